"""AdamW: Adam with decoupled weight decay. Mirrors torch/optim/adamw.py."""

from __future__ import annotations

from collections.abc import Iterable

from ..tensor import Tensor
from .adam import Adam


class AdamW(Adam):
    """Adam whose weight decay shrinks p directly, p ← p·(1 − lr·λ), before the Adam step
    (torch.optim.AdamW); the decay never enters m and v. Adam with decoupled_weight_decay=True.

    With plain Adam, an L2 penalty λ·p added to the gradient is divided by √v like the rest of
    it, so parameters with large gradients are barely decayed; AdamW decays every parameter at
    the same rate lr·λ per step. The default weight_decay is 0.01 (Adam's is 0).

    Args: those of `Adam` (adam.py), without decoupled_weight_decay (always True here).

    >>> w = course_lib.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> w.grad = course_lib.tensor([0.0, 0.0])   # no gradient signal: only the decay acts
    >>> opt.step()                               # p·(1 − 0.1·0.5), then an Adam step of 0
    >>> w
    tensor([ 0.9500, -1.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def load_state_dict(self, state_dict: dict) -> None:
        """As Optimizer.load_state_dict; the groups keep decoupled_weight_decay=True even when
        the dict was saved by an Adam (as torch's AdamW)."""
        super().load_state_dict(state_dict)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
