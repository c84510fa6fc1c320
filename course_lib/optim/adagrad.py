"""Adagrad: divide the gradient by the root of the sum of all past squared gradients.
Mirrors torch/optim/adagrad.py (the for-loop implementation torch runs on CPU)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..autograd import enable_grad, no_grad
from ..tensor import Tensor
from . import _float_ops as ops
from .adam import _refuse_unsupported, _step_tensor
from .optimizer import Optimizer


class Adagrad(Optimizer):
    """p ← p − clr · g / (√S + eps), S the sum of every g² so far (torch.optim.Adagrad).

    For each parameter p whose `p.grad` is not None, `step()` does, in this order:

        t = t + 1                                   state['step']
        g = p.grad                                  (g = −p.grad if maximize)
        g = g + weight_decay · p                    if weight_decay ≠ 0
        clr = lr / (1 + (t − 1) · lr_decay)
        S = S + g²                                  state['sum'], from initial_accumulator_value
        p = p − clr · g / (√S + eps)

    S only grows, so each entry's steps shrink over time, fastest for entries with large
    gradients. Unlike Adam and RMSprop, the state of every parameter is made when the optimizer
    is built (step 0, S filled with initial_accumulator_value), so `optimizer.state` lists
    parameters that never had a gradient; a parameter whose grad is None is still not updated.

    Args:
        params: the tensors to optimize, or a list of dicts, one per parameter group.
        lr: learning rate (default 1e-2); a float or a 1-element tensor.
        lr_decay: the learning rate at step t is lr / (1 + (t − 1)·lr_decay) (default 0).
        weight_decay: λ, L2 penalty coefficient (default 0).
        initial_accumulator_value: the starting value of S (default 0).
        eps: added to the denominator for stability (default 1e-10).
        foreach: accepted: torch's multi-tensor implementation gives the same numbers on CPU.
        maximize: maximize the objective instead of minimizing it.
        differentiable, fused=True: not supported (NotImplementedError).

    >>> w = course_lib.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adagrad([w], lr=0.1)
    >>> w.grad = course_lib.tensor([0.5, -1.0])
    >>> opt.step()                                # S = g², so g/√S = ±1
    >>> w
    tensor([ 0.9000, -1.9000], requires_grad=True)
    >>> opt.state[w]
    {'step': tensor(1.), 'sum': tensor([0.2500, 1.0000])}
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        _refuse_unsupported("Adagrad", fused, differentiable)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, initial_accumulator_value)

    def _init_state(self, p: Tensor, initial_accumulator_value: float) -> None:
        state = self.state[p]
        state["step"] = _step_tensor()
        state["sum"] = Tensor._wrap(np.full_like(p._array, initial_accumulator_value))

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
            for p in group["params"]:
                if p.grad is None:
                    continue
                if len(self.state[p]) == 0:  # added by add_param_group: the optimizer's default
                    self._init_state(p, self.defaults["initial_accumulator_value"])
                self._update(p, group)
        return loss

    def _update(self, p: Tensor, group: dict[str, Any]) -> None:
        state = self.state[p]
        lr, weight_decay = ops.as_scalar(group["lr"]), group["weight_decay"]
        param, scalar = p._array, p._array.dtype.type  # scalar(x): x rounded to p's dtype
        step_t, state_sum = state["step"], state["sum"]

        step_t._array += 1
        ops.bump(step_t)
        step = float(step_t._array)
        grad = -p.grad._array if group["maximize"] else p.grad._array
        if weight_decay != 0:
            grad = ops.fma(param, scalar(weight_decay), grad)  # g + λ·p

        decay = 1 + (step - 1) * group["lr_decay"]
        if isinstance(lr, np.ndarray):  # a tensor lr: the division happens in lr's dtype
            clr = lr / lr.dtype.type(decay)
        else:
            clr = lr / decay
        ops.addcmul_(state_sum._array, grad, grad, 1)  # S ← S + g²
        ops.bump(state_sum)
        std = ops.sqrt(state_sum._array) + scalar(group["eps"])
        param += scalar(-clr) * grad / std  # p.addcdiv_(g, std, value=-clr)
        ops.bump(p)  # an in-place change, as torch's: saved copies of p are stale
