"""Stochastic gradient descent: what `optimizer.step()` does. Mirrors torch/optim/sgd.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..autograd import enable_grad, no_grad
from ..tensor import Tensor
from . import _float_ops as ops
from .optimizer import Optimizer


class SGD(Optimizer):
    """p ← p − lr·g, g the gradient, with optional weight decay and momentum (torch.optim.SGD).

    For each parameter p whose `p.grad` is not None, `step()` does, in this order:

        g = p.grad                    (g = −p.grad if maximize: climb instead of descend)
        if weight_decay ≠ 0:
            g = g + weight_decay · p                    the L2 penalty's gradient
        if momentum ≠ 0:
            b = g                                       first step (no dampening yet)
            b = momentum · b + (1 − dampening) · g      later steps
            g = g + momentum · b   if nesterov,   else   g = b
        p = p − lr · g                (in place, with no graph recorded)

    The momentum buffer b is kept in `optimizer.state[p]['momentum_buffer']`. A parameter whose
    grad is None is skipped entirely (no update, no state); a grad of zeros is not skipped, so
    momentum keeps moving it.

    Args:
        params: the tensors to optimize (`model.parameters()`), or a list of dicts, one per
            parameter group, each with its own hyperparameters.
        lr: learning rate (default 1e-3).
        momentum: momentum factor μ (default 0: plain gradient descent).
        dampening: τ, scales the new gradient by (1 − τ) in the momentum update (default 0).
        weight_decay: λ, L2 penalty coefficient (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening 0).
        maximize: maximize the objective instead of minimizing it.
        foreach: accepted (same numbers on CPU); fused=True, differentiable: NotImplementedError.

    >>> w = course_lib.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> w.grad = course_lib.tensor([0.5, -1.0])   # as if loss.backward() had put it there
    >>> opt.step()                                # b = g; w = w - 0.1 * b
    >>> w
    tensor([ 0.9500, -1.9000], requires_grad=True)
    >>> opt.state[w]
    {'momentum_buffer': tensor([ 0.5000, -1.0000])}
    """

    def __init__(
        self,
        params: Iterable,
        lr: float | Tensor = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float | Tensor = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        if fused:
            raise NotImplementedError(
                "course_lib's SGD does not support fused=True: torch's fused kernel orders its "
                "float operations differently, so its results differ in the last bits; course_lib "
                "reproduces the default implementation (fused=None or False)"
            )
        if differentiable:
            raise NotImplementedError(
                "course_lib's SGD does not support differentiable=True: its step updates the "
                "NumPy arrays in place and records no graph"
            )

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
            lr, momentum, dampening, weight_decay = (
                float(group[k]) for k in ("lr", "momentum", "dampening", "weight_decay")
            )
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient: no update, no state
                scalar = p._array.dtype.type  # scalar(x): x rounded to p's dtype
                g = -p.grad._array if group["maximize"] else p.grad._array
                if weight_decay != 0:
                    g = ops.fma(p._array, scalar(weight_decay), g)  # g + λ·p, one rounding
                if momentum != 0:
                    buf = self.state[p].get("momentum_buffer")
                    if buf is None:  # first step: b = g (a copy), no dampening
                        buf = self.state[p]["momentum_buffer"] = Tensor._wrap(np.array(g))
                    else:  # b = momentum * b + (1 - dampening) * g, in place
                        buf._array *= scalar(momentum)
                        buf._array[...] = ops.fma(g, scalar(1 - dampening), buf._array)
                        ops.bump(buf, buf)
                    g = (
                        ops.fma(buf._array, scalar(momentum), g)
                        if group["nesterov"]
                        else buf._array
                    )
                p._array[...] = ops.fma(g, scalar(-lr), p._array)  # p.add_(g, alpha=-lr)
                ops.bump(p)  # in place, as torch's: views of p and p.data see the new values
        return loss
