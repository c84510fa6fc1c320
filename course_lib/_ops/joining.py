"""Joining tensors: cat, stack, where (which picks from two tensors by a mask), and NumPy's
hstack, vstack, dstack, column_stack."""

from __future__ import annotations

import numpy as np

from .. import autograd
from .._dtypes import result_type
from ._checks import _broadcast_error, _numpy_names, _type_name, _wrap_dim
from ._common import _is_number, _result, unbroadcast
from ._overloads import overload, signature

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
    d = dim if dim >= 0 else dim + len(ref) + 1
    with autograd.no_grad():  # one node with an edge to each input, as torch's
        out = cat([t.unsqueeze(dim) for t in tensors], d)._array

    def backward(g):  # each input gets its slice of the gradient, without the new dim
        return tuple(np.take(g, i, axis=d) for i in range(len(tensors)))

    return _result(out, tuple(tensors), backward, "StackBackward0")


cat, stack = _numpy_names(cat, "cat"), _numpy_names(stack, "stack")


# torch.where's overloads, in the order torch tries them
_WHERE = tuple(
    signature(text)
    for text in (
        "(Tensor condition)",
        "(Tensor condition, Tensor input, Tensor other, *, Tensor out = None)",
        "(Tensor condition, Number self, Tensor other)",
        "(Tensor condition, Tensor input, Number other)",
        "(Tensor condition, Number self, Number other)",
    )
)
_TENSOR_WHERE = (  # Tensor.where's
    signature("(Tensor condition, Tensor other)"),
    signature("(Tensor condition, Number other)"),
)


def where(*args, **kwargs):
    """`input` where condition is True, else `other` (torch.where); differentiable in both.
    `where(condition)` alone is `nonzero(condition, as_tuple=True)`.

    Unlike `input * c + other * ~c`, an inf or nan in the branch not taken does not leak through.

    >>> where(tensor([True, False]), tensor([1.0, 2.0]), 0.0)
    tensor([1., 0.])
    >>> where(tensor([[0, 3], [4, 0]]))
    (tensor([0, 1]), tensor([1, 0]))
    """
    if len(args) == 3 and not kwargs and isinstance(args[0], Tensor):  # the common call
        c, a, b = args
        if (isinstance(a, Tensor) or _is_number(a)) and (isinstance(b, Tensor) or _is_number(b)):
            return _where(c, a, b)
    k, values = overload(_WHERE, args, kwargs, "where")
    if k == 0:
        return values[0].nonzero(as_tuple=True)
    if k == 1 and values[3] is not None:
        raise NotImplementedError("course_lib's where() has no out= argument: assign the result")
    return _where(*values[:3])


def _where(condition: Tensor, input, other) -> Tensor:
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


# -- NumPy's stacking names: hstack, vstack (row_stack), dstack, column_stack -----------------


def _tensor_list(tensors, fn: str) -> list:
    """The tensors of hstack and friends: a non-empty list or tuple, as torch checks it."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
            f"{type(tensors).__name__}"
        )
    if not tensors:
        raise RuntimeError(f"{fn} expects a non-empty TensorList")
    for k, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {k} in argument 0, but got {_type_name(t)}"
            )
    return list(tensors)


def _at_least(t: Tensor, ndim: int) -> Tensor:
    """torch.atleast_1d/2d/3d: a 0-d tensor as (1,...), a vector as (1, n) or (1, n, 1), a
    matrix as (m, n, 1)."""
    if t.ndim >= ndim:
        return t
    if t.ndim == 0:
        return t.reshape((1,) * ndim)
    if ndim == 2 or t.ndim == 1 and ndim == 3:
        t = t.unsqueeze(0)
    return t.unsqueeze(-1) if ndim == 3 else t


def hstack(tensors) -> Tensor:
    """Tensors joined side by side (torch.hstack): along dim 0 for vectors, else dim 1.

    >>> hstack([tensor([1, 2]), tensor([3])])
    tensor([1, 2, 3])
    """
    ts = [_at_least(t, 1) for t in _tensor_list(tensors, "hstack")]
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors) -> Tensor:
    """Tensors stacked as rows (torch.vstack): vectors become rows, then cat along dim 0.

    >>> vstack([tensor([1, 2]), tensor([3, 4])])
    tensor([[1, 2],
            [3, 4]])
    """
    return cat([_at_least(t, 2) for t in _tensor_list(tensors, "vstack")], 0)


def row_stack(tensors) -> Tensor:
    """torch.row_stack: another name for vstack."""
    if not isinstance(tensors, (list, tuple)):
        _tensor_list(tensors, "row_stack")  # torch's TypeError names row_stack
    return vstack(tensors)  # anything else: torch's messages name vstack


def dstack(tensors) -> Tensor:
    """Tensors stacked along a third dim (torch.dstack), each made at least 3-D first."""
    return cat([_at_least(t, 3) for t in _tensor_list(tensors, "dstack")], 2)


def column_stack(tensors) -> Tensor:
    """Tensors as columns side by side (torch.column_stack): vectors (and numbers) become
    columns, matrices stay; then cat along dim 1."""
    ts = _tensor_list(tensors, "column_stack")
    return cat([t.reshape(t.numel(), 1) if t.ndim <= 1 else t for t in ts], 1)


def block_diag(*tensors) -> Tensor:
    """The tensors as blocks on the diagonal of one matrix, zeros elsewhere (torch.block_diag);
    a 0-d tensor is a (1, 1) block and a 1-D one a single row. The dtype is promoted.

    >>> block_diag(tensor([[1, 2]]), tensor(3))
    tensor([[1, 2, 0],
            [0, 0, 3]])
    """
    from .shape import _check_tensors

    _check_tensors(tensors)
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(
                "torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                f"Input {i} has {t.ndim} dimensions"
            )
    blocks = [t._array.reshape((1,) * (2 - t.ndim) + t.shape) for t in tensors]
    dt = result_type(*blocks) if blocks else np.dtype(np.float32)
    rows, cols = sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)
    out = np.zeros((rows, cols) if blocks else (1, 0), dtype=dt)
    corners, r, c = [], 0, 0
    for b in blocks:
        out[r : r + b.shape[0], c : c + b.shape[1]] = b
        corners.append((r, c))
        r, c = r + b.shape[0], c + b.shape[1]

    def backward(g):  # each block gets its own part of the gradient back
        return tuple(
            g[r : r + b.shape[0], c : c + b.shape[1]].reshape(t.shape).astype(t._array.dtype)
            if t._requires_grad
            else None
            for t, b, (r, c) in zip(tensors, blocks, corners, strict=True)
        )

    return _result(out, tuple(tensors), backward, "BlockDiagBackward0")


def cartesian_prod(*tensors) -> Tensor:
    """Every combination of one element from each 1-D tensor, one per row, the last tensor
    varying fastest (torch.cartesian_prod, itertools.product); one tensor is returned as is.

    >>> cartesian_prod(tensor([1, 2]), tensor([3, 4]))
    tensor([[1, 3],
            [1, 4],
            [2, 3],
            [2, 4]])
    """
    from .shape import _check_tensors, meshgrid

    _check_tensors(tensors)
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.flatten() for g in grids], 1)
