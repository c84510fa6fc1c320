"""Joining tensors: cat, stack, and where (which picks from two tensors by a mask)."""

from __future__ import annotations

import numpy as np

from .._dtypes import result_type
from ._checks import _broadcast_error, _numpy_names, _wrap_dim
from ._common import _result, unbroadcast

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


def cat(tensors, dim: int = 0) -> Tensor:
    """Concatenate along an existing dim (torch.cat)."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    dt = result_type(*(t._array for t in tensors))
    # torch skips 1-D empty tensors (the legacy "nothing yet" value), whatever the other shapes
    kept = [i for i, t in enumerate(tensors) if t.shape != (0,)] or [0]
    arrays = [tensors[i]._array for i in kept]
    d = _wrap_dim(dim, arrays[0].ndim)
    ref = arrays[0].shape
    for i, x in zip(kept[1:], arrays[1:]):
        if x.ndim != len(ref):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(ref)} and {x.ndim}"
            )
        for k, (p, q) in enumerate(zip(ref, x.shape, strict=True)):
            if k != d and p != q:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {p} but "
                    f"got size {q} for tensor number {i} in the list."
                )
    out = np.concatenate([x.astype(dt, copy=False) for x in arrays], axis=d)
    splits = np.cumsum([x.shape[d] for x in arrays])[:-1]

    def backward(g):  # each input gets its own slice of the gradient back
        grads = [np.zeros(t.shape, dtype=g.dtype) for t in tensors]  # skipped ones: empty
        for i, part in zip(kept, np.split(g, splits, axis=d)):
            grads[i] = part
        return tuple(grads)

    return _result(out, tuple(tensors), backward, "CatBackward0")


def stack(tensors, dim: int = 0) -> Tensor:
    """Stack equal-shaped tensors along a new dim (torch.stack)."""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    ref = tensors[0].shape
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != ref:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(ref)} at entry 0 and "
                f"{list(t.shape)} at entry {i}"
            )
    out = cat([t.unsqueeze(dim) for t in tensors], dim if dim >= 0 else dim + len(ref) + 1)
    if out._node is not None:
        out._node._name = "StackBackward0"  # one node, named as torch names it
    return out


cat, stack = _numpy_names(cat, "cat"), _numpy_names(stack, "stack")


def where(condition: Tensor, input, other) -> Tensor:
    """`input` where condition is True, else `other` (torch.where); differentiable in both.

    Unlike `input * c + other * ~c`, an inf or nan in the branch not taken does not leak through.
    """
    c = condition._array
    if c.dtype != np.bool_:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition.dtype.scalar_name}"
        )
    a, b = (x._array if isinstance(x, Tensor) else x for x in (input, other))
    dt = result_type(a, b)
    try:
        out = np.where(c, a, b).astype(dt, copy=False)
    except ValueError:  # torch's message, not NumPy's: name the first pair that does not fit
        shapes = [np.shape(x) for x in (c, a, b)]
        try:
            np.broadcast_shapes(shapes[0], shapes[1])
        except ValueError:
            raise _broadcast_error(shapes[0], shapes[1]) from None
        raise _broadcast_error(np.broadcast_shapes(shapes[0], shapes[1]), shapes[2]) from None

    def backward(g):  # the gradient goes to whichever branch was picked
        ga = unbroadcast(np.where(c, g, 0), np.shape(a)) if isinstance(input, Tensor) else None
        gb = unbroadcast(np.where(c, 0, g), np.shape(b)) if isinstance(other, Tensor) else None
        return ga, gb

    parents = tuple(x if isinstance(x, Tensor) else None for x in (input, other))
    return _result(out, parents, backward, "WhereBackward0", ())  # it saves the condition
