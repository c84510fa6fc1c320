"""Indexing: x[i] and x[i] = v with torch's rules, index_select, gather, masked_fill,
repeat_interleave, scatter, scatter_add, index_add, index_copy, index_fill, take, signbit. Each backward sends the gradient back to the positions that were read
(adding where a position was read more than once).
"""

from __future__ import annotations

import numpy as np

from .. import autograd
from .._dtypes import check_fill_value
from ._checks import (
    _broadcast_error,
    _check_gather,
    _check_index_select,
    _check_repeats,
    _check_step,
    _check_tensor_arg,
    _index_error_message,
    _masked_fill_args,
    _overloads_error,
    _type_name,
    _value_desc,
    _wrap_dim,
)
from ._common import (
    _NOT_IMPLEMENTED,
    _arr,
    _check_inplace,
    _check_overlap,
    _is_number,
    _multi_output_error,
    _nograd_error,
    _parent,
    _py_number,
    _result,
    _warn_once,
    quiet,
    unbroadcast,
)

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


class IndexingOps:
    """The indexing methods of Tensor (one of its base classes)."""

    # -- indexing and slicing: x[i], x[i] = v --------------------------------------------------

    def __getitem__(self, index) -> Tensor:
        """Indexing and slicing, with torch's semantics; the gradient lands on the picked elements."""
        a = self._array
        idx = _np_index(index)
        items = idx if isinstance(idx, tuple) else (idx,)
        if a.ndim == 0:
            _check_index(idx, a.shape)
        try:
            out = _get(a, idx)
        except IndexError as e:
            _check_index(idx, a.shape)  # torch's message, if torch's checks find the fault
            raise IndexError(_index_error_message(e, idx, a.shape)) from None
        basic = _is_basic(idx)
        if basic and not isinstance(out, np.ndarray):  # one element: a 0-d view, not a copy
            out = a[(*items, Ellipsis)]
        if not basic:  # a 0-d index tensor is not saved: backward must not see it change
            idx = _copy_0d(idx) if not isinstance(idx, tuple) else tuple(map(_copy_0d, idx))

        def backward(g):  # scatter the gradient back to the positions that were read
            ga = np.zeros_like(a)
            if basic:
                ga[idx] = g
            else:
                split = _split_index(idx)
                target, idx2 = (ga, idx) if split is None else (ga[split[0]], split[1])
                np.add.at(target, idx2, g)  # an index may repeat: add, don't overwrite
            return (ga,)

        name = _index_name(idx, a.shape)
        if basic:
            if autograd._grad_enabled and self._requires_grad:
                steps = _basic_steps(items, a.shape)
                if steps is not None and len(steps) > 1:  # torch's graph: one node per op
                    return self._view_steps(steps)
            if any(i is None for i in items):
                out = _none_strided(a, items, out)
            return _result(out, (self,), backward, name)
        if autograd._grad_enabled and self._requires_grad and isinstance(index, tuple):
            first = _slices_first(items, a.shape, index)
            if first is not None:  # torch slices first, then gathers: a node for each
                steps, rest = first
                picked = self._view_steps(steps)[rest]
                if picked.shape == out.shape:
                    return picked
        # torch saves the index tensors: changing one in place makes backward raise
        items = index if isinstance(index, tuple) else (index,)
        saved = tuple(i for i in items if isinstance(i, Tensor) and i.ndim > 0)
        return _result(out, (self,), backward, name, saved)

    def _view_steps(self, steps: list) -> Tensor:
        """Apply a basic index as torch does, one view op at a time (each its own node)."""
        cur = self
        for key, name in steps:
            before = cur._array

            def backward(g, key=key, shape=before.shape, dtype=before.dtype):
                ga = np.zeros(shape, dtype=dtype)
                ga[key] = g
                return (ga,)

            view = before[key]
            if name == "UnsqueezeBackward0":  # the new dim strided as torch strides it
                view = _none_strided(before, key, view)
            cur = _result(view, (cur,), backward, name)
        return cur

    def __setitem__(self, index, value) -> None:
        if not isinstance(value, (Tensor, np.ndarray)) and not _is_number(value):
            raise TypeError(f"can't assign a {type(value).__name__} to a {self.dtype.tensor_type}")
        if _is_number(value):  # checked first, whatever the index: x[5] = nan on ints raises this
            value = check_fill_value(value, self._array.dtype)
        if index is False:  # torch writes nothing
            return
        idx = _np_index(index)
        v = _arr(value) if isinstance(value, Tensor) else value
        if self.ndim == 0:
            _check_index(idx, ())
        # torch writes into a view of self when the index applies an int, a slice that is not
        # the whole dimension, None or True; otherwise into self (lists and masks: index_put_)
        on_view, advanced = _setitem_target(idx, self._array.shape)
        basic_view = on_view and not advanced
        if basic_view:  # torch makes the view first: a bad index is that error
            target = _indexed_shape(self, idx, advanced, value)
        if on_view and autograd._grad_enabled and self._nograd_view:  # through a view of self
            self._history()  # making that view raises first if self's memory has changed
            raise _nograd_error(self, op=_index_name(idx, self._array.shape, getitem=False))
        if on_view and autograd._grad_enabled and self._multi_output is not None:
            if self.requires_grad:  # torch writes through a view of it: that view is refused
                raise _multi_output_error(self, op=_index_name(idx, self._array.shape, False))
        if on_view and autograd._grad_enabled and self.requires_grad:
            if (self if self._base is None else self._base)._node is None:
                raise RuntimeError(
                    "a view of a leaf Variable that requires grad is being used in an in-place "
                    "operation."
                )
        _check_inplace(self, bump=False)
        if not basic_view:  # index_put_ checks the tensor it writes into, then the indices
            target = _indexed_shape(self, idx, advanced, value)
        vshape = np.shape(v)
        while np.ndim(v) > len(target) and np.shape(v)[0] == 1:
            v = v[0]  # torch drops leading dims of size 1: x[0] = ones(1, 3) is fine
        try:
            np.broadcast_to(v, target)
        except ValueError:
            if not advanced:
                Tensor._wrap(np.asarray(v)).expand(target)  # raises torch's expand error
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(np.shape(v))} cannot be broadcast "
                f"to indexing result of shape {list(target)}"
            ) from None
        if advanced:
            _check_index_put_dtype(idx, self, value)
        else:  # a fill or copy into the region: an expand()ed region repeats elements
            _check_overlap(Tensor._wrap(np.asarray(_get(self._array, idx))))
        self._vc[0] += 1
        if not self._records(value):
            _set(self._array, idx, v)
            return
        # Recording: the result is a new node; overwritten positions get no gradient.
        new = self._array.copy()
        _set(new, idx, v)
        used = np.shape(v)  # the value's shape after dropping leading 1s

        def backward(g):  # overwritten elements no longer depend on the old values
            g_old = g.copy()
            _set(g_old, idx, 0)
            g_val = None
            if isinstance(value, Tensor):
                g_val = unbroadcast(np.asarray(_get(g, idx)), used).reshape(vshape)
            return g_old, g_val

        name = (  # torch's grad_fn depends on where it writes, and how
            "torch::autograd::CopySlices"
            if on_view
            else "IndexPutBackward0"
            if advanced
            else "torch::autograd::CopyBackwards"
            if isinstance(value, Tensor) and value.ndim > 0
            else "FillBackward3"  # the whole tensor set to one number or 0-d tensor: a fill
        )
        value_t = value if isinstance(value, Tensor) else None
        self._recorded_in_place(lambda old: _result(new, (old, value_t), backward, name))

    # -- indexing: index_select, gather, masked_fill -------------------------------------------

    def index_select(self, dim: int, index: Tensor) -> Tensor:
        """The slices at positions `index` (a 1-D int tensor) along `dim` (torch.index_select).

        Shape: the input's shape with size len(index) at `dim`.
        """
        _check_tensor_arg(index, "index_select", "index", 2)
        d = _wrap_dim(dim, self.ndim)
        a, i = self._array, index._array
        _check_index_select(a, i, d)
        if a.ndim == 0:
            out = a.copy()  # a 0-d input gives a 0-d result, whatever the index's shape

            def backward_0d(g):  # the one element was picked
                return (g,)

            return _result(out, (self,), backward_0d, "IndexSelectBackward0", ())
        flat = i.reshape(-1)
        out = np.take(a, flat, axis=d)
        where = (slice(None),) * d + (flat,)

        def backward(g):  # each picked slice sends its gradient back; repeats add up
            ga = np.zeros_like(a)
            np.add.at(ga, where, g)
            return (ga,)

        return _result(out, (self,), backward, "IndexSelectBackward0", ())

    def gather(self, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
        """out[i][j] = x[index[i][j]][j] for dim=0, and so on (torch.gather).

        `index` has the input's number of dims and is no larger than it except along `dim`.
        Shape: index's shape.
        """
        _check_tensor_arg(index, "gather", "index", 2)
        if sparse_grad:
            raise NotImplementedError("gather(sparse_grad=True): course_lib has no sparse tensors")
        d = _wrap_dim(dim, self.ndim)
        a, i = self._array, index._array
        _check_gather(a, i, d)
        a1, i1 = a.reshape(a.shape or (1,)), i.reshape(i.shape or (1,))  # 0-d as 1-D
        region = tuple(slice(None) if k == d else slice(0, n) for k, n in enumerate(i1.shape))
        out = np.take_along_axis(a1[region], i1.astype(np.int64), axis=d).reshape(i.shape)
        where = list(np.indices(i1.shape, sparse=True))
        where[d] = i1

        def backward(g):  # scatter-add the gradient back to the gathered positions
            ga = np.zeros_like(a1)
            np.add.at(ga[region], tuple(where), g.reshape(i1.shape))
            return (ga.reshape(a.shape),)

        return _result(out, (self,), backward, "GatherBackward0", ())

    def masked_fill(self, mask: Tensor, value) -> Tensor:
        """`value` where `mask` is True, x elsewhere (torch.masked_fill); the mask broadcasts.

        The value is cast to x's dtype. A 0-d tensor value receives the gradient of the filled
        positions; x receives it everywhere else.
        """
        m, v = _masked_fill_args(mask, value, "masked_fill")
        a = self._array
        if isinstance(v, Tensor):  # torch reads a 0-d value tensor as a number: it must fit
            check_fill_value(v.item(), a.dtype)
        else:
            v = check_fill_value(v, a.dtype)
        try:
            np.broadcast_shapes(m.shape, a.shape)
        except ValueError:
            raise _broadcast_error(m.shape, a.shape) from None
        fill = np.asarray(_arr(v)).astype(a.dtype)  # 2.7 into an int tensor is 2, as in torch
        out = np.where(m, fill, a).astype(a.dtype, copy=False)  # broadcast to `shape`

        def backward(g):  # filled positions no longer depend on x; they depend on the value
            ga = unbroadcast(np.where(m, 0, g), a.shape)
            gv = np.where(m, g, 0).sum() if isinstance(v, Tensor) else None
            return ga, gv

        saved = (mask,)  # torch saves the mask: changed in place before backward, it raises
        if not isinstance(v, Tensor):  # a number: torch's node has self's edge alone
            return _result(out, (self,), lambda g: backward(g)[:1], "MaskedFillBackward0", saved)
        return _result(out, (self, v), backward, "MaskedFillBackward1", saved)

    # -- repeat_interleave ---------------------------------------------------------------------

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None) -> Tensor:
        """Repeat each element (or each slice along `dim`) `repeats` times, in place order.

        `repeats` is an int, or an int tensor with one count per slice. Without `dim` the
        input is flattened first. [1, 2].repeat_interleave(2) is [1, 1, 2, 2].
        """
        _check_repeats(repeats)
        by_tensor = isinstance(repeats, Tensor)
        x = self.reshape(-1) if dim is None else self
        a = x._array
        d = 0 if dim is None else _wrap_dim(dim, self.ndim)
        if a.ndim == 0:
            x, a = x.reshape(1), a.reshape(1)
        n = a.shape[d]
        counts = np.asarray(repeats._array if by_tensor else repeats).reshape(-1)
        if counts.size != 1 and counts.size != n:
            raise RuntimeError(
                "repeats must have the same size as input along dim, but got "
                f"repeats.size(0) = {counts.size} and input.size({d}) = {n}"
            )
        source = np.repeat(np.arange(n), np.broadcast_to(counts, (n,)))
        if output_size is not None and output_size != source.size:
            raise RuntimeError(
                f"repeat_interleave: Invalid output_size, expected {source.size} but got "
                f"{output_size}"
            )
        where = (slice(None),) * d + (source,)

        def backward(g):  # each copy sends its gradient back to its source: add them up
            ga = np.zeros_like(a)
            np.add.at(ga, where, g)
            return (ga,)

        if not by_tensor and autograd._grad_enabled and x._requires_grad:
            # torch's graph for an int repeat: unsqueeze, expand, clone, then view
            wide = x.unsqueeze(d + 1)
            size = list(wide.shape)
            size[d + 1] = int(repeats)
            shape = list(a.shape)
            shape[d] *= int(repeats)
            return wide.expand(*size).clone().view(*shape)
        # torch builds an int repeat from a view and a tensor repeat from index_select
        name = "IndexSelectBackward0" if by_tensor else "ViewBackward0"
        return _result(a[where], (x,), backward, name)

    # -- scatter, scatter_add, index_add, index_fill, index_copy, take -------------------------

    def scatter(self, dim: int, index: Tensor, src=None, value=None, *, reduce=None) -> Tensor:
        """A copy of x with out[index[i][j]][j] = src[i][j] for dim=0, and so on (torch.scatter);
        `src` may be a number (or given as `value=`). reduce='add' or 'multiply' combines
        with what is there instead (torch records that without a derivative).

        >>> zeros(3).scatter(0, tensor([2, 0]), tensor([5.0, 7.0]))
        tensor([7., 0., 5.])
        """
        src = _scatter_source(self, dim, index, src, value, reduce, "scatter")
        return _scatter(self, dim, index, src, reduce, "scatter")

    def scatter_add(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        """A copy of x with src[i][j] added at out[index[i][j]][j] for dim=0, and so on;
        repeated positions add up (torch.scatter_add)."""
        _check_tensor_arg(src, "scatter_add", "src", 3)
        return _scatter(self, dim, index, src, "sum", "scatter_add")

    def index_add(self, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
        """A copy of x with alpha * source's slices added at positions `index` along `dim`;
        repeated positions add up (torch.index_add)."""
        _check_tensor_arg(source, "index_add", "source", 3)
        return _index_put(self, dim, index, source, alpha, "add")

    def index_copy(self, dim: int, index: Tensor, source: Tensor) -> Tensor:
        """A copy of x with source's slices written at positions `index` along `dim`
        (torch.index_copy)."""
        _check_tensor_arg(source, "index_copy", "source", 3)
        return _index_put(self, dim, index, source, 1, "copy")

    def index_fill(self, dim: int, index: Tensor, value) -> Tensor:
        """A copy of x with the slices at positions `index` along `dim` set to `value`, a number
        or a 0-d tensor (torch.index_fill)."""
        _index_fill_value(value, (dim, index))
        i = index._array
        if i.dtype != np.int64:
            raise IndexError("index_fill_(): Expected dtype int64 for index.")
        a, d = self._array, _wrap_dim(dim, self.ndim)
        if i.ndim > 1:
            raise RuntimeError("Index has to be a vector/scalar")
        if isinstance(value, Tensor) and value.ndim != 0:
            raise RuntimeError(
                "index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        n = a.shape[d] if a.ndim else 1
        flat = i.reshape(-1)
        bad = flat[(flat < -n) | (flat >= n)]
        if bad.size:
            raise IndexError(f"index {bad[0]} is out of bounds for dimension {d} with size {n}")
        where = (slice(None),) * d + (flat % n,) if a.ndim else ()
        if not a.ndim and not flat.size:  # no index: a 0-d tensor keeps its value
            where = np.zeros((), dtype=bool)
        out = a.copy()
        with quiet:
            out[where] = np.asarray(_arr(value)).astype(a.dtype)
        by_tensor = isinstance(value, Tensor)

        def backward(g):  # filled slices no longer depend on x; a tensor value gets their sum
            ga = g.copy()
            ga[where] = 0
            return ga, (g[where].sum() if by_tensor else None)

        if not by_tensor:  # a number value: torch's node has self's edge alone
            return _result(out, (self,), lambda g: backward(g)[:1], "IndexFillBackward0", ())
        return _result(out, (self, value), backward, "IndexFillBackward1", ())

    def take(self, index: Tensor) -> Tensor:
        """The elements of the flattened x at `index` (an int64 tensor; negative counts from
        the end), in index's shape (torch.take)."""
        _check_tensor_arg(index, "take", "index", 1)
        i = index._array
        if i.dtype != np.int64:
            raise RuntimeError(
                f"take(): Expected a long tensor for index, but got {index.dtype.scalar_name}"
            )
        a, n = self._array, self._array.size
        if n == 0 and i.size:
            raise IndexError("take(): tried to take from an empty tensor")
        bad = i[(i < -n) | (i >= n)]
        if bad.size:
            raise IndexError(
                f"out of range: tried to access index {bad.flat[0]} on a tensor of {n} elements."
            )
        pos = i % max(n, 1)
        out = a.reshape(-1)[pos]

        def backward(g):  # each taken element's gradient goes back to it; repeats add up
            ga = np.zeros(n, dtype=g.dtype)
            np.add.at(ga, pos.reshape(-1), g.reshape(-1))
            return (ga.reshape(a.shape),)

        return _result(out, (self,), backward, "TakeBackward0", (self, index))  # as torch saves

    def signbit(self) -> Tensor:
        """True where x's sign bit is set: x < 0, and -0. and -nan too (torch.signbit)."""
        a = self._array
        return Tensor._wrap(np.asarray(np.signbit(a) if a.dtype.kind != "b" else a & False))


def _np_index(index):
    """Turn Tensors inside an index into NumPy arrays (int64 index tensors, bool masks)."""
    if isinstance(index, Tensor):
        return index._array
    if isinstance(index, tuple):
        for i in index:
            _check_step(i)
        return tuple(i._array if isinstance(i, Tensor) else i for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    _check_step(index)
    return index


def _copy_0d(i):
    return i.copy() if isinstance(i, np.ndarray) and i.ndim == 0 else i


def _is_int(i) -> bool:
    return isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_))


def _split_index(idx):
    """torch applies integer indices first (each removes its dim), then the lists and tensors;
    NumPy treats an integer beside a list as one more advanced index, which moves dims
    (x[1, :, [0, 3]] has shape (3, 2) in torch, (2, 3) in NumPy). For such an index, the two
    steps as (basic index, advanced index); None when NumPy's single step agrees with torch."""
    items = idx if isinstance(idx, tuple) else (idx,)
    adv = [isinstance(i, (list, np.ndarray)) and np.ndim(i) > 0 for i in items]
    if not any(adv) or not any(_is_int(i) for i in items):
        return None
    first, second = [], []
    for i, is_adv in zip(items, adv):
        if _is_int(i):
            first.append(i)
        elif is_adv:
            arr = np.asarray(i)
            first.extend([slice(None)] * (arr.ndim if arr.dtype == np.bool_ else 1))
            second.append(i)
        else:  # a slice or None is done by the first step; ... stands for the same dims in both
            first.append(i)
            second.append(Ellipsis if i is Ellipsis else slice(None))
    return tuple(first), tuple(second)


def _get(a: np.ndarray, idx):
    split = _split_index(idx)
    return a[idx] if split is None else a[split[0]][split[1]]


def _set(a: np.ndarray, idx, v) -> None:
    split = _split_index(idx)
    with quiet:  # a nan cast into an int tensor: torch writes it without a warning
        if split is None:
            a[idx] = v
        else:
            a[split[0]][split[1]] = v


def _basic_steps(items, shape: tuple) -> list | None:
    """The view ops torch applies for a basic index, in order, as (NumPy key on the tensor so
    far, grad_fn name): each int selects, each None unsqueezes, each slice that is not over a
    whole dimension slices. None for an index with a bool in it."""
    if any(isinstance(i, (bool, np.bool_)) for i in items):
        return None
    used = sum(_is_int(i) or isinstance(i, slice) for i in items)
    steps, src, dim = [], 0, 0  # src: the dim of `shape` the next item indexes; dim: of the view
    for i in items:
        lead = (slice(None),) * dim
        if i is None:
            steps.append(((*lead, None, Ellipsis), "UnsqueezeBackward0"))
            dim += 1
        elif i is Ellipsis:
            src += len(shape) - used
            dim += len(shape) - used
        elif _is_int(i):
            steps.append(((*lead, i, Ellipsis), "SelectBackward0"))
            src += 1
        else:
            size = shape[src] if 0 <= src < len(shape) else 0
            whole = (
                i.start in (None, 0)
                and i.step in (None, 1)
                and (i.stop is None or _is_int(i.stop) and i.stop >= size)
            )
            if not whole:
                steps.append(((*lead, i, Ellipsis), "SliceBackward0"))
            src, dim = src + 1, dim + 1
    return steps


def _slices_first(items, shape: tuple, index: tuple):
    """For an index of slices (or None) beside integer lists or tensors, and no ints: the view
    ops torch applies first (`_basic_steps`) and the index of what is left for its gather (the
    lists and tensors as given, full slices elsewhere). None when no view op comes first."""
    advanced = [isinstance(i, list) or isinstance(i, np.ndarray) and i.ndim > 0 for i in items]
    if not any(advanced) or any(
        not adv and not (i is None or i is Ellipsis or isinstance(i, slice))
        for i, adv in zip(items, advanced)
    ):
        return None
    for i, adv in zip(items, advanced):
        kind = np.asarray(i).dtype.kind if adv else "i"
        if kind not in "iu" and not (kind == "b" and np.ndim(i) == 1) and np.size(i):
            return None  # a mask of several dims spans them all
    steps = _basic_steps([slice(None) if adv else i for i, adv in zip(items, advanced)], shape)
    if not steps:
        return None
    rest = tuple(
        given if adv else Ellipsis if i is Ellipsis else slice(None)
        for i, adv, given in zip(items, advanced, index)
    )
    return steps, rest


def _is_basic(idx) -> bool:
    items = idx if isinstance(idx, tuple) else (idx,)
    return all(isinstance(i, (int, slice, type(None), type(Ellipsis))) for i in items)


def _index_name(idx, shape: tuple = (), getitem: bool = True) -> str:
    """torch's grad_fn for an index: named after the last op torch applies for it. Lists and
    tensors gather once (IndexBackward0); otherwise each int selects, each None unsqueezes and
    each slice slices, except that a slice over a whole dimension (start 0, step 1, stop at or
    past the end) is skipped, unless it is the whole index of a getitem (x[:] slices); nothing
    applied is an alias."""
    if getitem and isinstance(idx, slice):
        return "SliceBackward0"
    items = idx if isinstance(idx, tuple) else (idx,)
    items = [
        int(i) if isinstance(i, np.ndarray) and i.ndim == 0 and i.dtype.kind in "iu" else i
        for i in items
    ]  # a 0-d integer tensor selects, like an int
    if any(isinstance(i, (bool, list, np.ndarray)) for i in items):
        return "IndexBackward0"  # advanced indexing: one gather, whatever else is in the index
    if any(not isinstance(i, (int, slice, type(None), type(Ellipsis))) for i in items):
        return "IndexBackward0"
    name, dim = "AliasBackward0", 0  # dim: the dimension of `shape` the next item indexes
    for i in items:
        if i is None:
            name = "UnsqueezeBackward0"
        elif i is Ellipsis:
            dim += len(shape) - sum(isinstance(j, (int, slice)) for j in items)
        elif isinstance(i, int):
            name, dim = "SelectBackward0", dim + 1
        else:
            size = shape[dim] if 0 <= dim < len(shape) else 0
            whole = (
                i.start in (None, 0)
                and i.step in (None, 1)
                and (i.stop is None or _is_int(i.stop) and i.stop >= size)
            )
            name, dim = (name if whole else "SliceBackward0"), dim + 1
    return name


def _setitem_target(idx, shape: tuple) -> tuple[bool, bool]:
    """(whether torch writes through a view of self, whether it writes with index_put_) for
    `x[idx] = value`: the ints, slices, None and bools apply first (a slice over a whole dimension
    is skipped), then the lists, tensors and masks index what they gave."""
    items = idx if isinstance(idx, tuple) else (idx,)
    basic, advanced = [], False
    for i in items:
        if isinstance(i, (bool, np.bool_)) or np.shape(i) == () and np.asarray(i).dtype == bool:
            basic.append(None)  # a bool unsqueezes, then indexes that new dimension
            advanced = True
        elif isinstance(i, np.ndarray) and i.ndim == 0 and i.dtype.kind in "iu":
            basic.append(int(i))  # a 0-d integer tensor selects, like an int
        elif isinstance(i, (list, np.ndarray)):
            basic.extend([slice(None)] * (np.ndim(i) if np.asarray(i).dtype == np.bool_ else 1))
            advanced = True
        else:
            basic.append(i)
    if len(items) == 1 and items[0] is True:
        advanced = False
    return _index_name(tuple(basic), shape, getitem=False) != "AliasBackward0", advanced


def _indexed_shape(t: Tensor, idx, advanced: bool, value) -> tuple:
    """The shape `t[idx]` has; torch's IndexError, in torch's order, for an index that fails."""
    try:
        return np.shape(_get(t._array, idx))
    except IndexError as e:
        _check_index(idx, t._array.shape, bounds=False)
        if advanced:  # torch compares the dtypes before it reads the indices
            _check_index_put_dtype(idx, t, value)
        _check_index(idx, t._array.shape)
        raise IndexError(_index_error_message(e, idx, t._array.shape)) from None


def _check_index_put_dtype(idx, dst: Tensor, value) -> None:
    """x[lists or masks] = a tensor: torch's index_put_ takes no other dtype, unless the index
    is one mask and the value one element (then it fills)."""
    if not isinstance(value, Tensor) or value._array.dtype == dst._array.dtype:
        return
    items = idx if isinstance(idx, tuple) else (idx,)
    lists = [i for i in items if isinstance(i, (bool, np.bool_, list, np.ndarray))]
    lists = [
        i for i in lists if not (isinstance(i, np.ndarray) and i.dtype.kind in "iu" and i.ndim == 0)
    ]
    one_mask = len(lists) == 1 and np.ndim(lists[0]) > 0 and np.asarray(lists[0]).dtype == bool
    if one_mask and value._array.size == 1:  # a fill: torch reads the value as a number
        check_fill_value(value._array.item(), dst._array.dtype)
        return
    raise RuntimeError(
        "Index put requires the source and destination dtypes match, got "
        f"{dst.dtype.scalar_name} for the destination and {value.dtype.scalar_name} for the source."
    )


def _check_index(idx, shape: tuple, bounds: bool = True) -> None:
    """Raise torch's IndexError for a bad index, found in the order torch checks: the number of
    indices; each int (named by its place in the index); the masks' shapes (against the tensor
    the ints, slices and Nones leave); the broadcast of the lists, tensors and masks (a mask
    gives one index per dimension); then their values (named by their place among them)."""
    single = not isinstance(idx, tuple)
    items = (idx,) if single else idx

    def is_bool(i):
        return isinstance(i, (bool, np.bool_)) or np.shape(i) == () and np.asarray(i).dtype == bool

    def is_int(i):
        return _is_int(i) or isinstance(i, np.ndarray) and i.shape == () and i.dtype.kind in "iu"

    widths = []
    for i in items:
        if i is None or i is Ellipsis or is_bool(i):
            widths.append(0)
        elif is_int(i) or isinstance(i, slice):
            widths.append(1)
        elif isinstance(i, (list, np.ndarray)) and np.asarray(i).dtype.kind in "biu":
            widths.append(np.ndim(i) if np.asarray(i).dtype == bool else 1)
        else:
            return  # not an index torch takes: NumPy's message, translated, says so
    if not shape and single and _is_int(idx):
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
            "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
        )
    if not shape and single and isinstance(idx, slice):
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    if sum(widths) > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    dim, sliced, lists = 0, [], []  # sliced: the shape the ints, slices and Nones leave
    for place, (i, width) in enumerate(zip(items, widths)):
        if i is None:
            sliced.append(1)
        elif i is Ellipsis:
            rest = len(shape) - sum(widths)
            sliced.extend(shape[dim : dim + rest])
            dim += rest
        elif is_bool(i):  # a new dimension of size 1, indexed by [0] (True) or [] (False)
            lists.append((np.zeros(1 if i else 0, dtype=np.int64), len(sliced), None))
            sliced.append(1)
        elif is_int(i):
            n = shape[dim]
            if not -n <= int(i) < n:
                raise IndexError(
                    f"index {int(i)} is out of bounds for dimension {place} with size {n}"
                )
            dim += 1
        elif isinstance(i, slice):
            sliced.append(len(range(*i.indices(shape[dim]))))
            dim += 1
        else:
            a = np.asarray(i)
            lists.append((a, len(sliced), a.dtype == bool))
            sliced.extend(shape[dim : dim + width])
            dim += width
    sliced.extend(shape[dim:])  # the dimensions after the last index stay as they are
    for a, start, mask in lists:
        for j in range(a.ndim if mask else 0):
            if a.shape[j] != sliced[start + j]:
                raise IndexError(
                    f"The shape of the mask {list(a.shape)} at index {j} does not match the "
                    f"shape of the indexed tensor {sliced} at index {start + j}"
                )
    indices, sizes = [], []
    for a, start, mask in lists:
        parts = np.nonzero(a) if mask else (a,)
        indices.extend(parts)
        sizes.extend(sliced[start : start + len(parts)])
    try:
        indices = np.broadcast_arrays(*indices)
    except ValueError:
        shapes = ", ".join(str(list(np.shape(a))) for a in indices)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"
        ) from None
    if not indices or not bounds:
        return
    bad = np.stack([(a < -n) | (a >= n) for a, n in zip(indices, sizes)]).reshape(len(sizes), -1)
    if bad.any():
        first = np.flatnonzero(bad.any(axis=0))[0]  # the first element with a bad index,
        k = int(np.flatnonzero(bad[:, first])[0])  # and its first bad index
        if sizes[k] == 0:
            raise IndexError("index is out of bounds for dimension with size 0")
        value = int(indices[k].reshape(-1)[first])
        raise IndexError(f"index {value} is out of bounds for dimension {k} with size {sizes[k]}")


# -- the checks and math of scatter, scatter_add, index_add and index_copy ---------------------


_SCATTER_WARNING = (
    "The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in "
    "a future PyTorch release. Use torch.scatter_reduce instead for more reduction options."
)
_SCATTER_OVERLOADS = [
    "(int dim, Tensor index, Tensor src)",
    "(int dim, Tensor index, Tensor src, *, str reduce)",
    "(int dim, Tensor index, Number value)",
    "(int dim, Tensor index, Number value, *, str reduce)",
]


def _scatter_source(x: Tensor, dim, index, src, value, reduce, fn: str, check_reduce=True):
    """scatter's source: a tensor (`src`) or a number (positional, or `value=`)."""
    if src is None:
        src = value
    if not (isinstance(src, Tensor) or _is_number(src)):
        args = (dim, index) if src is None else (dim, index, src)
        overloads = list(_SCATTER_OVERLOADS)
        if src is not None:  # torch marks the bad argument under the overloads that fit
            why = (_type_name(dim), _type_name(index), f"!{_value_desc(src)}!")
            overloads = [(o, why) if "reduce" not in o else o for o in overloads]
        raise _overloads_error(fn, args, overloads)
    if reduce is not None and check_reduce:
        _check_scatter_reduce(src, reduce)
    return src


def _check_scatter_reduce(src, reduce) -> None:
    if reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    if isinstance(src, Tensor):
        _warn_once(_SCATTER_WARNING, stacklevel=5)


def _scatter(x: Tensor, dim, index: Tensor, src, reduce, fn: str) -> Tensor:
    """scatter (reduce None, 'add', 'multiply') and scatter_add (reduce 'sum') out of place."""
    _check_tensor_arg(index, fn, "index", 2)
    a, i = x._array, index._array
    d = _wrap_dim(dim, x.ndim)
    by_tensor = isinstance(src, Tensor)
    if i.size == 0:  # nothing is written: torch checks the dtypes only
        if by_tensor and src._array.dtype != a.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        name = _scatter_name(reduce, by_tensor)

        def backward_empty(g):  # x keeps its values; src's gradient has index's shape
            if by_tensor and src._requires_grad and i.shape != src.shape:
                raise RuntimeError(
                    f"Function {name} returned an invalid gradient at index 1 - got "
                    f"{list(i.shape)} but expected shape compatible with {list(src.shape)}"
                )
            return g, (np.zeros(src.shape, dtype=g.dtype) if by_tensor else None)

        return _result(a.copy(), (x, _parent(src)), backward_empty, name, ())
    if i.dtype.kind not in "iu" or i.dtype == np.uint8:
        raise RuntimeError("scatter(): Expected dtype int32/int64 for index")
    if by_tensor and src._array.dtype != a.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    a1, i1 = a.reshape(a.shape or (1,)), i.reshape(i.shape or (1,))  # 0-d as 1-D
    if i.size and i1.ndim != a1.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    s1 = src._array.reshape(src.shape or (1,)) if by_tensor else None
    if i.size and by_tensor and s1.ndim != i1.ndim:
        if reduce is None and 0 < src.ndim < i1.ndim:  # torch reads src's sizes first
            _wrap_dim(s1.ndim, s1.ndim)
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if i.size:
        too_big = any(k != d and n > m for k, (n, m) in enumerate(zip(i1.shape, a1.shape)))
        if too_big or (by_tensor and any(n > m for n, m in zip(i1.shape, s1.shape))):
            msg = (
                f"Expected index {list(i.shape)} to be no larger than self {list(a.shape)} "
                f"apart from dimension {d}"
            )
            if by_tensor:
                msg += f" and to be no larger size than src {list(src.shape)}"
            raise RuntimeError(msg)
        bad = i1[(i1 < 0) | (i1 >= a1.shape[d])]
        if bad.size:
            raise RuntimeError(
                f"index {bad.flat[0]} is out of bounds for dimension {d} with size {a1.shape[d]}"
            )
    where = list(np.indices(i1.shape, sparse=True))
    where[d] = i1.astype(np.int64)
    where = tuple(where)
    region = tuple(slice(0, n) for n in i1.shape)
    values = s1[region] if by_tensor else np.asarray(_py_number(src)).astype(a.dtype)
    out = a1.copy()
    with quiet:
        if reduce is None:
            out[where] = values
        elif reduce in ("add", "sum"):
            np.add.at(out, where, np.broadcast_to(values, i1.shape))
        else:
            np.multiply.at(out, where, np.broadcast_to(values, i1.shape))
    out = out.reshape(a.shape)

    src_grad = by_tensor and src._requires_grad
    name = _scatter_name(reduce, by_tensor)

    def backward(g):  # written positions no longer depend on x; src's values went there
        if src_grad and i1.shape != s1.shape:  # torch's src gradient has index's shape
            raise RuntimeError(
                f"Function {name} returned an invalid gradient at index 1 - got "
                f"{list(i.shape)} but expected shape compatible with {list(src.shape)}"
            )
        g1 = g.reshape(a1.shape)
        ga = g1.copy()
        if reduce is None:
            ga[where] = 0
        gs = None
        if by_tensor:
            gs = np.zeros(s1.shape, dtype=g.dtype)
            gs[region] = g1[where]
            gs = gs.reshape(src.shape)
        return ga.reshape(a.shape), gs

    parents = (x, src) if by_tensor else (x,)  # a number value: torch's node has x's edge alone
    if reduce in ("add", "multiply"):
        return _result(out, parents, _scatter_reduce_backward, _NOT_IMPLEMENTED)
    return _result(out, parents, backward if by_tensor else lambda g: backward(g)[:1], name, ())


def _scatter_name(reduce, by_tensor: bool) -> str:
    if reduce in ("add", "multiply"):
        return _NOT_IMPLEMENTED
    return "ScatterAddBackward0" if reduce == "sum" else f"ScatterBackward{0 if by_tensor else 1}"


def _scatter_reduce_backward(g):
    raise RuntimeError("derivative for aten::scatter is not implemented")


def _index_put(x: Tensor, dim, index: Tensor, source: Tensor, alpha, how: str) -> Tensor:
    """index_add (how='add': x + alpha * source's slices at `index`) and index_copy."""
    fn = f"index_{how}_"
    _check_tensor_arg(index, fn[:-1], "index", 2)
    a, i, s = x._array, index._array, source._array
    d = _wrap_dim(dim, x.ndim)
    a1 = a.reshape(a.shape or (1,))
    s1 = s.reshape(s.shape or (1,))
    flat = i.reshape(-1).astype(np.int64)
    if how == "add":
        _check_index_add(x, index, source, d)
    else:
        _check_index_copy(x, index, source, d)
    n = a1.shape[d]
    bad = flat[(flat < 0) | (flat >= n)]
    # torch's index_add takes another kernel, which says only this, for an int32 index, a 1-D
    # (or 0-d) self, a dim between the first and the last, or an alpha other than 1
    one = alpha == 1 and not isinstance(alpha, bool)
    other_kernel = i.dtype == np.int32 or a.ndim <= 1 or 0 < d < a.ndim - 1 or not one
    if bad.size and how == "add" and other_kernel:
        raise IndexError("index out of range in self")
    if bad.size:
        prefix = "" if how == "add" else f"{fn}(): "
        error = RuntimeError if how == "add" else IndexError
        raise error(f"{prefix}index {bad[0]} is out of bounds for dimension {d} with size {n}")
    where = (slice(None),) * d + (flat,)
    out = a1.copy()
    if how == "add":
        scale = int(alpha) if a.dtype.kind in "iub" else _py_number(alpha)
        with quiet:
            np.add.at(out, where, (s1 * scale).astype(a.dtype) if scale != 1 else s1)
    else:
        out[where] = s1
    out = out.reshape(a.shape)

    def backward(g):  # index_add: x gets g, source the picked slices (times alpha);
        g1 = g.reshape(a1.shape)  # index_copy: the written slices are source's alone
        ga = g1.copy()
        if how == "copy":
            ga[where] = 0
        gs = g1[where] * (scale if how == "add" else 1)
        return ga.reshape(a.shape), np.asarray(gs).reshape(s.shape)

    name = "IndexAddBackward0" if how == "add" else "IndexCopyBackward0"
    return _result(out, (x, source), backward, name, ())


def _index_fill_value(value, args: tuple, fn: str = "index_fill") -> None:
    """index_fill's value: a tensor or a number; torch's overload error names the arguments
    (`args`: (dim, index) for the method, (input, dim, index) for torch.index_fill)."""
    if isinstance(value, Tensor) or _is_number(value):
        return
    why = (*(_type_name(a) for a in args), f"!{_value_desc(value)}!")
    head = "Tensor input, " if len(args) == 3 else ""
    raise _overloads_error(
        fn,
        (*args, value),
        [
            (f"({head}int dim, Tensor index, Tensor value)", why),
            (f"({head}int dim, Tensor index, Number value)", why),
        ],
    )


def _check_index_add(x: Tensor, index: Tensor, source: Tensor, d: int) -> None:
    """index_add's checks in torch's order: the index's dims and dtype, the dtypes, dim within
    source, the number of indices, then the other dims' sizes."""
    i, s = index._array, source._array
    if i.ndim > 1:
        raise IndexError(
            f"index_add_(): Index is supposed to be a vector, but got dim: {i.ndim} with type: "
            f"{index.dtype.scalar_name} and size: {list(i.shape)}"
        )
    if i.dtype.kind not in "iu" or i.dtype == np.uint8:
        raise RuntimeError(
            f"index_add_(): Expected dtype int32/int64 for index but got: {index.dtype.scalar_name}"
        )
    if s.dtype != x._array.dtype:
        raise RuntimeError(
            f"index_add_(): self ({x.dtype.scalar_name}) and source ({source.dtype.scalar_name}) "
            "must have the same scalar type"
        )
    if d != 0 and d >= s.ndim:
        raise RuntimeError(
            f"index_add_(): Indexing dim {d} is out of bounds of the source tensor with dim "
            f"{s.ndim}"
        )
    count = 1 if s.ndim == 0 else s.shape[d]
    if i.size != count:
        if s.ndim == 0:  # torch's message reads source.size(dim) of a 0-d source
            raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        raise RuntimeError(
            f"index_add_(): Number of indices ({i.size}) should be equal to source.size(dim): "
            f"({count}), for dim: {d}"
        )
    rest_a, rest_s = list(x._array.shape), list(s.shape)
    if s.ndim and x.ndim:
        del rest_a[d], rest_s[d]
    if rest_a != rest_s:
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {list(x.shape)} source.shape = {list(s.shape)}"
        )


def _check_index_copy(x: Tensor, index: Tensor, source: Tensor, d: int) -> None:
    """index_copy's checks in torch's order: the index's dims, scalars, the dims, the index's
    dtype, the dtypes, the slices' sizes, the number of indices."""
    i, s, a = index._array, source._array, x._array
    fn = "index_copy_"
    if i.ndim > 1:
        raise IndexError(f"{fn}(): Index should have dimension 1 or 0 (got {i.ndim})")
    if s.ndim == 0 and i.size != 1:
        raise IndexError(
            f"{fn}(): When source is scalar, index should have one element (got {i.size})"
        )
    if s.ndim != a.ndim and s.ndim and a.ndim:
        raise IndexError(
            f"{fn}(): When source and destination are not scalars, their dimensionality must "
            f"match. Source dimensionality ({s.ndim}), destination dimensionality ({a.ndim})"
        )
    if i.dtype != np.int64:
        raise RuntimeError(
            f"{fn}(): Expected a long tensor for index, but got {index.dtype.scalar_name}"
        )
    if s.dtype != a.dtype:
        raise RuntimeError(
            f"{fn}(): self and source expected to have the same dtype, but got (self) "
            f"{x.dtype.scalar_name} and (source) {source.dtype.scalar_name}"
        )
    rest_a = [n for k, n in enumerate(a.shape) if k != d]
    rest_s = [n for k, n in enumerate(s.shape) if k != d]
    if rest_a != rest_s:
        raise RuntimeError(
            f"{fn}(): Source/destination tensor must have same slice shapes. Destination slice "
            f"shape: {' '.join(map(str, rest_a))} at dimension {d} and source slice shape: "
            f"{' '.join(map(str, rest_s))} at dimension 0."
        )
    if s.ndim and i.size != s.shape[d]:
        raise IndexError(
            f"{fn}(): Number of indices ({i.size}) should be equal to source.size(dim) "
            f"({s.shape[d]})"
        )


def _none_strided(a: np.ndarray, items: tuple, out: np.ndarray) -> np.ndarray:
    """x[..., None, ...] strided as torch strides it: each new dim as unsqueeze() makes it,
    stepping once over the dim of x that comes next (1 at the end), where NumPy steps 0."""
    if any(isinstance(i, (bool, np.bool_)) for i in items):
        return out  # x[True]: left as NumPy has it (stride() refuses to guess)
    strides = list(out.strides)
    spanned = a.ndim - sum(i is not None and i is not Ellipsis for i in items)
    src = pos = 0  # the next dim of x; the next dim of out
    for i in items:
        if i is None:
            strides[pos] = a.shape[src] * a.strides[src] if src < a.ndim else a.itemsize
            pos += 1
        elif i is Ellipsis:
            src, pos = src + spanned, pos + spanned
        elif isinstance(i, slice):
            src, pos = src + 1, pos + 1
        else:  # an int: that dim goes away
            src += 1
    if tuple(strides) == out.strides:
        return out
    return np.lib.stride_tricks.as_strided(out, out.shape, strides)
