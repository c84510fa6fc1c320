"""RMSprop: divide the gradient by a running root-mean-square of past gradients.
Mirrors torch/optim/rmsprop.py (the for-loop implementation torch runs on CPU)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..autograd import enable_grad, no_grad
from ..tensor import Tensor
from . import _float_ops as ops
from .adam import _check_capturable, _refuse_unsupported, _step_tensor
from .optimizer import Optimizer


class RMSprop(Optimizer):
    """p ← p − lr · g / (√s + eps), s a running average of g² (torch.optim.RMSprop).

    For each parameter p whose `p.grad` is not None, `step()` does, in this order:

        t = t + 1                                   state['step'] (counted, not used)
        g = p.grad                                  (g = −p.grad if maximize)
        g = g + weight_decay · p                    if weight_decay ≠ 0
        s = α · s + (1 − α) · g²                    state['square_avg']
        if centered:
            a = a + (1 − α) · (g − a)               state['grad_avg'], the average gradient
            d = √(s − a²) + eps                     divide by a standard deviation instead
        else:
            d = √s + eps
        if momentum > 0:
            b = momentum · b + g / d                state['momentum_buffer']
            p = p − lr · b
        else:
            p = p − lr · g / d

    Unlike Adam there is no bias correction: s starts at zero, so the first steps are large
    (the first one moves each entry by lr/√(1 − α) = 10·lr with the default α = 0.99). A
    parameter whose grad is None is skipped (no update, no state).

    Args:
        params: the tensors to optimize, or a list of dicts, one per parameter group.
        lr: learning rate (default 1e-2); a float or a 1-element tensor.
        alpha: smoothing constant α of the squared-gradient average (default 0.99).
        eps: added to the denominator for stability (default 1e-8).
        weight_decay: λ, L2 penalty coefficient (default 0).
        momentum: momentum factor (default 0).
        centered: normalize by an estimate of the gradient's variance instead of its mean square.
        capturable: for CUDA graphs; as in torch on CPU, step() then raises.
        foreach: accepted: torch's multi-tensor implementation gives the same numbers on CPU.
        maximize: maximize the objective instead of minimizing it.
        differentiable: not supported (NotImplementedError).

    >>> w = course_lib.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01)
    >>> w.grad = course_lib.tensor([0.5, -1.0])
    >>> opt.step()                                # s = 0.01·g², so g/√s = ±10
    >>> w
    tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)
        _refuse_unsupported("RMSprop", None, differentiable)

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
                    state["square_avg"] = Tensor._wrap(np.zeros_like(p._array))
                    if group["momentum"] > 0:
                        state["momentum_buffer"] = Tensor._wrap(np.zeros_like(p._array))
                    if group["centered"]:
                        state["grad_avg"] = Tensor._wrap(np.zeros_like(p._array))
            if params:
                _check_capturable(group)
            for p in params:
                self._update(p, group)
        return loss

    def _update(self, p: Tensor, group: dict[str, Any]) -> None:
        state = self.state[p]
        lr = float(ops.as_scalar(group["lr"]))
        alpha, eps, weight_decay = group["alpha"], group["eps"], group["weight_decay"]
        param, scalar = p._array, p._array.dtype.type  # scalar(x): x rounded to p's dtype
        square_avg = state["square_avg"]

        grad = -p.grad._array if group["maximize"] else p.grad._array
        state["step"]._array += 1
        ops.bump(state["step"])
        if weight_decay != 0:
            grad = ops.fma(param, scalar(weight_decay), grad)  # g + λ·p

        square_avg._array *= scalar(alpha)
        ops.addcmul_(square_avg._array, grad, grad, 1 - alpha)  # s ← α·s + (1 − α)·g²
        ops.bump(square_avg, square_avg)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            ops.lerp_(grad_avg._array, grad, 1 - alpha)  # a ← α·a + (1 − α)·g
            ops.bump(grad_avg)
            avg = ops.sqrt(ops.fma(-grad_avg._array, grad_avg._array, square_avg._array))
        else:
            avg = ops.sqrt(square_avg._array)
        avg = avg + scalar(eps)

        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf._array *= scalar(group["momentum"])
            buf._array += grad / avg  # buf.addcdiv_(g, avg)
            ops.bump(buf, buf)
            param[...] = ops.fma(buf._array, scalar(-lr), param)  # p.add_(buf, alpha=-lr)
        else:
            param += scalar(-lr) * grad / avg  # p.addcdiv_(g, avg, value=-lr)
        ops.bump(p)  # an in-place change, as torch's: saved copies of p are stale
