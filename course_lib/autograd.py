"""Reverse-mode automatic differentiation: grad mode, the graph node, and the backward walk.

Every differentiable op in `tensor.py` computes its output with NumPy and, when gradients are
being recorded, attaches a `Node` to it: the tensors it was computed from (`parents`) and a
`backward(g)` function that turns the gradient of the output into one gradient per parent.
`backward()` below sorts the graph topologically and walks it from the output to the leaves,
summing gradients where a tensor was used more than once; leaves accumulate theirs into `.grad`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

_grad_enabled = True


def is_grad_enabled() -> bool:
    """True unless inside `no_grad()` (torch.is_grad_enabled)."""
    return _grad_enabled


class set_grad_enabled:  # noqa: N801  (torch's name)
    """Turn gradient recording on or off, as a function call or a context manager."""

    def __init__(self, mode: bool):
        global _grad_enabled
        self.prev = _grad_enabled
        _grad_enabled = bool(mode)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        global _grad_enabled
        _grad_enabled = self.prev
        return False


class _GradMode:
    mode = True

    def __new__(cls, func: Callable | None = None):
        """`@no_grad` without parentheses decorates `func` directly, as torch allows."""
        if func is None:
            return super().__new__(cls)
        return cls()(func)

    def __enter__(self):
        global _grad_enabled
        self.prev = _grad_enabled
        _grad_enabled = self.mode
        return None

    def __exit__(self, *exc):
        global _grad_enabled
        _grad_enabled = self.prev
        return False

    def __call__(self, fn: Callable) -> Callable:
        """Use as a decorator: `@no_grad()` runs the whole function in this mode."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradMode):  # noqa: N801  (torch's name)
    """Context manager (and decorator) in which ops record no graph (torch.no_grad).

    >>> from course_lib import tensor
    >>> w = tensor([1.0, 2.0], requires_grad=True)
    >>> (w * w).sum().backward()
    >>> with no_grad():
    ...     w -= 0.1 * w.grad      # an update that autograd must not see
    >>> w
    tensor([0.8000, 1.6000], requires_grad=True)
    """

    mode = False


class enable_grad(_GradMode):  # noqa: N801  (torch's name)
    """Context manager that turns gradient recording back on inside `no_grad()`."""

    mode = True


class Node:
    """The `grad_fn` of a tensor produced by a differentiable op.

    `parents` are the input tensors (None for Python numbers), `backward(g)` returns one gradient
    (a NumPy array, or None) per parent, each with that parent's shape.
    """

    __slots__ = ("_name", "parents", "backward")

    def __init__(self, name: str, parents: tuple, backward: Callable):
        self._name = name
        self.parents = parents
        self.backward = backward

    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:  # torch shows the class name: CopySlices, not torch::autograd::...
        return f"<{self._name.rsplit('::', 1)[-1]} object at {id(self):#x}>"


def backward(root, gradient: np.ndarray) -> None:
    """Accumulate d(root)/d(leaf) · gradient into the `.grad` of every leaf that requires grad."""
    # 1. Topological order by an iterative depth-first search (deep graphs need no recursion).
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        t, finished = stack.pop()
        if finished:
            order.append(t)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        stack.append((t, True))
        if t._node is not None:
            for p in t._node.parents:
                if p is not None and p._requires_grad and id(p) not in seen:
                    stack.append((p, False))
    # 2. Walk from the output back to the leaves; a tensor's gradient is complete when reached.
    grads = {id(root): gradient}
    with np.errstate(all="ignore"):  # inf * 0 is nan in a gradient, silently, as in torch
        for t in reversed(order):
            g = grads.pop(id(t), None)
            if g is None:
                continue
            node = t._node
            if node is None or t._retains_grad:
                t._accumulate_grad(g)
            if node is None:
                continue
            for p, pg in zip(node.parents, node.backward(g), strict=True):
                if p is None or pg is None or not p._requires_grad:
                    continue
                pg = np.asarray(pg)
                if pg.shape != p._array.shape:  # a bug in that op's backward: say which op
                    raise RuntimeError(
                        f"Function {node.name()} returned an invalid gradient - got "
                        f"{list(pg.shape)} but expected shape compatible with "
                        f"{list(p._array.shape)}"
                    )
                if pg.dtype != p._array.dtype:  # a gradient has the dtype of its tensor
                    pg = pg.astype(p._array.dtype)
                key = id(p)
                grads[key] = pg if key not in grads else grads[key] + pg
