"""Adam: a step per parameter scaled by running averages of its gradient and squared gradient.
Mirrors torch/optim/adam.py (the for-loop implementation torch runs on CPU)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..autograd import enable_grad, no_grad
from ..tensor import Tensor
from . import _float_ops as ops
from .optimizer import Optimizer

_CAPTURABLE_DEVICES = ["cuda", "xpu", "hpu", "privateuseone", "xla"]


def _step_tensor() -> Tensor:
    """The step counter torch keeps per parameter: a 0-d float32 tensor, counting 1, 2, 3, ..."""
    return Tensor._wrap(np.zeros((), dtype=np.float32))


def _refuse_unsupported(name: str, fused: bool | None, differentiable: bool) -> None:
    if fused:
        raise NotImplementedError(
            f"course_lib's {name} does not support fused=True: torch's fused kernel orders its "
            "float operations differently, so its results differ in the last bits; course_lib "
            "reproduces the default implementation (fused=None or False)"
        )
    if differentiable:
        raise NotImplementedError(
            f"course_lib's {name} does not support differentiable=True: its step updates the "
            "NumPy arrays in place and records no graph"
        )


def _check_capturable(group: dict[str, Any]) -> None:
    if group.get("capturable"):  # CUDA graphs: torch refuses CPU tensors at the first step
        raise AssertionError(
            "If capturable=True, params and state_steps must be on supported devices: "
            f"{_CAPTURABLE_DEVICES}."
        )


class Adam(Optimizer):
    """p ← p − lr · m̂ / (√v̂ + eps), with m, v running averages of g and g² (torch.optim.Adam).

    For each parameter p whose `p.grad` is not None, `step()` does, in this order:

        t = t + 1                                   state['step'], a 0-d float32 tensor
        g = p.grad                                  (g = −p.grad if maximize)
        if weight_decay ≠ 0:
            p = p · (1 − lr·weight_decay)            if decoupled_weight_decay (AdamW)
            g = g + weight_decay · p                 otherwise (the L2 penalty's gradient)
        m = m + (1 − β1) · (g − m)                  state['exp_avg'], i.e. β1·m + (1 − β1)·g
        v = β2 · v + (1 − β2) · g²                  state['exp_avg_sq']
        v_max = max(v_max, v)                       state['max_exp_avg_sq'], if amsgrad
        p = p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)        (v_max in place of v if amsgrad)

    m and v start at zero, so early on they are too small; dividing by 1 − β1ᵗ and 1 − β2ᵗ (the
    bias corrections) undoes that. Every parameter thus moves by about lr per step at first,
    whatever the scale of its gradient. A parameter whose grad is None is skipped (no update, no
    state). The float operations are torch's, in torch's order, so float32 runs give torch's
    numbers (to 1 ulp where torch's sqrt is not correctly rounded; see _float_ops.py).

    Args:
        params: the tensors to optimize (`model.parameters()`), or a list of dicts, one per
            parameter group, each with its own hyperparameters.
        lr: learning rate (default 1e-3); a float or a 1-element tensor.
        betas: (β1, β2), the averaging coefficients of m and v (default (0.9, 0.999)).
        eps: added to the denominator for stability (default 1e-8).
        weight_decay: λ, L2 penalty coefficient (default 0).
        amsgrad: divide by the largest v seen so far (the AMSGrad variant).
        foreach: accepted: torch's multi-tensor implementation gives the same numbers on CPU.
        maximize: maximize the objective instead of minimizing it.
        capturable: for CUDA graphs; as in torch on CPU, step() then raises.
        differentiable, fused=True, tensor betas: not supported (NotImplementedError).
        decoupled_weight_decay: decay p directly instead of adding λ·p to g (this is AdamW).

    >>> w = course_lib.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> w.grad = course_lib.tensor([0.5, -1.0])   # as if loss.backward() had put it there
    >>> opt.step()                                # the first step moves each entry by about lr
    >>> w
    tensor([ 0.9000, -1.9000], requires_grad=True)
    >>> opt.state[w]
    {'step': tensor(1.), 'exp_avg': tensor([ 0.0500, -0.1000]), 'exp_avg_sq': tensor([0.0003, 0.0010])}
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError(
                    "lr as a Tensor is not supported for capturable=False and foreach=True"
                )
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (
            (isinstance(betas[0], float) and isinstance(betas[1], float))
            or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))
        ):
            raise ValueError("betas must be either both floats or both Tensors")
        if isinstance(betas[0], Tensor):
            raise NotImplementedError(
                f"course_lib's {type(self).__name__} does not support tensor betas; "
                "pass floats, e.g. betas=(0.9, 0.999)"
            )
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        _refuse_unsupported(type(self).__name__, fused, differentiable)

    @no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:
        """Update every parameter that has a gradient once, by the rule in the class docstring.

        Args:
            closure: optional function that recomputes the loss (and calls backward); it runs
                with gradients enabled, and its loss is returned.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()

        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            for p in params:
                state = self.state[p]
                if len(state) == 0:  # the state appears at a parameter's first step
                    state["step"] = _step_tensor()
                    state["exp_avg"] = Tensor._wrap(np.zeros_like(p._array))
                    state["exp_avg_sq"] = Tensor._wrap(np.zeros_like(p._array))
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = Tensor._wrap(np.zeros_like(p._array))
            if params:
                _check_capturable(group)
            for p in params:
                self._update(p, group)
        return loss

    def _update(self, p: Tensor, group: dict[str, Any]) -> None:
        state = self.state[p]
        beta1, beta2 = group["betas"]
        lr, weight_decay, eps = ops.as_scalar(group["lr"]), group["weight_decay"], group["eps"]
        param, scalar = p._array, p._array.dtype.type  # scalar(x): x rounded to p's dtype
        step_t, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]

        step_t._array += 1
        ops.bump(step_t)
        step = float(step_t._array)
        grad = -p.grad._array if group["maximize"] else p.grad._array

        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                param *= scalar(1 - lr * weight_decay)  # a tensor lr: 1 - lr·λ in lr's dtype
                ops.bump(p)
            else:
                grad = ops.fma(param, scalar(weight_decay), grad)  # g + λ·p

        ops.lerp_(exp_avg._array, grad, 1 - beta1)  # m ← β1·m + (1 − β1)·g
        exp_avg_sq._array *= scalar(beta2)
        ops.addcmul_(exp_avg_sq._array, grad, grad, 1 - beta2)  # v ← β2·v + (1 − β2)·g²
        ops.bump(exp_avg, exp_avg_sq, exp_avg_sq)

        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        if isinstance(lr, np.ndarray):  # a tensor lr: the division happens in lr's dtype
            step_size = lr / lr.dtype.type(bias_correction1)
        else:
            step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5

        if group["amsgrad"]:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            np.maximum(max_exp_avg_sq._array, exp_avg_sq._array, out=max_exp_avg_sq._array)
            ops.bump(max_exp_avg_sq)
            v = max_exp_avg_sq._array
        else:
            v = exp_avg_sq._array
        denom = ops.sqrt(v) / scalar(bias_correction2_sqrt) + scalar(eps)
        param += scalar(-step_size) * exp_avg._array / denom  # p.addcdiv_(m, denom, -step_size)
        ops.bump(p)  # an in-place change, as torch's: saved copies of p are stale
