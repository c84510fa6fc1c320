"""Shape ops: view, reshape, transpose, t, T, mT, permute, unsqueeze, squeeze, flatten,
unflatten, expand. Their results are views sharing the input's memory, as in torch (reshape copies
when it must); each backward moves the gradient back into the input's shape. flip, which copies
as torch.flip does, is at the end, with roll, tile, ravel, broadcast_to, diag, trace, and the
functions broadcast_shapes, broadcast_tensors and meshgrid.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .. import autograd
from .._dtypes import Size
from ._checks import (
    _broadcast_error,
    _check_int_args,
    _check_tensor_arg,
    _expand_target,
    _flat_shape,
    _permutation,
    _type_name,
    _wrap_dim,
)
from ._common import _result, _warn_once, unbroadcast
from .indexing import _is_int

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


class ShapeOps:
    """The shape methods of Tensor (one of its base classes)."""

    # -- shape ops (results are views that share memory, as in torch) --------------------------

    def _reshaped(self, shape: tuple, name: str, copy_ok: bool) -> Tensor:
        a = self._array
        shape = _infer_shape(_flat_shape(shape), a.size)
        try:
            out = np.reshape(a, shape, copy=None if copy_ok else False)
        except ValueError:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            ) from None

        def backward(g):  # reshaping moves no values: reshape the gradient back
            return (g.reshape(a.shape),)

        if out.size and not np.may_share_memory(out, a):
            name = "UnsafeViewBackward0"  # torch's reshape that had to copy: clone, then view
            if autograd._grad_enabled and self._requires_grad:
                return self._copied_reshape(shape)
        else:
            if copy_ok and not a.flags.c_contiguous:
                name = "ReshapeAliasBackward0"  # torch's reshape of a strided tensor, a view
            if 1 in shape and a.ndim and a.size:  # a view with a size-1 dim: torch's strides
                out = _view_strided(a, out)
        return _result(out, (self,), backward, name)

    def _copied_reshape(self, shape: tuple) -> Tensor:
        """torch's graph for a reshape that copies: CloneBackward0 (a contiguous copy), then
        UnsafeViewBackward0 (its new shape, not a view of anything the user holds)."""
        copy = np.ascontiguousarray(self._array)
        clone = _result(copy, (self,), lambda g: (g,), "CloneBackward0")
        out = Tensor._wrap(copy.reshape(shape))
        out._requires_grad = True
        out._node = autograd.Node(
            "UnsafeViewBackward0", (clone,), lambda g: (g.reshape(copy.shape),)
        )
        return out

    def view(self, *shape) -> Tensor:
        """The same memory seen with another shape (-1 is inferred); never copies."""
        return self._reshaped(shape, "ViewBackward0", copy_ok=False)

    def reshape(self, *shape) -> Tensor:
        """Like `view`, but copies when the memory layout does not allow a view."""
        return self._reshaped(shape, "ViewBackward0", copy_ok=True)

    def view_as(self, other: Tensor) -> Tensor:
        return self.view(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dims (a view)."""
        d0, d1 = _wrap_dim(dim0, self.ndim), _wrap_dim(dim1, self.ndim)
        if self.ndim == 0:  # nothing to swap, but still recorded as a transpose
            return _result(self._array.view(), (self,), lambda g: (g,), "TransposeBackward0")

        def backward(g):  # swapping back is its own inverse
            return (np.swapaxes(g, d0, d1),)

        return _result(np.swapaxes(self._array, d0, d1), (self,), backward, "TransposeBackward0")

    def t(self) -> Tensor:
        """Transpose a matrix (a 0-d or 1-D tensor is returned as is)."""
        if self.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D"
            )

        def backward(g):  # d x^T = (dx)^T
            return (g.T,)

        return _result(self._array.T, (self,), backward, "TBackward0")

    @property
    def T(self) -> Tensor:
        if self.ndim == 0:
            _warn_once(
                "Tensor.T is deprecated on 0-D tensors. This function is the identity in these "
                "cases."
            )
        elif self.ndim != 2:
            _warn_once(
                "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
                "to reverse the dimensions of a tensor."
            )
        return self.permute(tuple(range(self.ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        if self.ndim == 0:  # torch returns the tensor itself
            _warn_once(
                "Tensor.mT is deprecated on 0-D tensors. This function is the identity in these "
                "cases."
            )
            return self
        if self.ndim < 2:
            raise RuntimeError(
                "tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor."
            )
        return self.transpose(-2, -1)

    def permute(self, *dims) -> Tensor:
        perm = _permutation(dims, self.ndim)
        inverse = tuple(np.argsort(perm))

        def backward(g):  # undo the permutation
            return (np.transpose(g, inverse),)

        return _result(np.transpose(self._array, perm), (self,), backward, "PermuteBackward0")

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dim of size 1 at `dim` (in [-ndim-1, ndim])."""
        n = self.ndim + 1
        if not -n <= dim < n:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
            )
        d = dim % n

        def backward(g):  # drop the inserted dim again
            return (np.squeeze(g, d),)

        return _result(_unsqueezed(self._array, d), (self,), backward, "UnsqueezeBackward0")

    def squeeze(self, dim=None) -> Tensor:
        """Remove dims of size 1 (all of them, or just `dim` if it has size 1)."""
        a = self._array
        if dim is None:
            axes = tuple(i for i, s in enumerate(a.shape) if s == 1)
        else:
            dims = dim if isinstance(dim, (tuple, list)) else (dim,)
            axes = tuple(
                d for d in (_wrap_dim(x, self.ndim) for x in dims) if self.ndim and a.shape[d] == 1
            )

        def backward(g):  # put the removed dims back
            return (g.reshape(a.shape),)

        name = (
            "SqueezeBackward0"
            if dim is None
            else "SqueezeBackward2"
            if isinstance(dim, (tuple, list))
            else "SqueezeBackward1"
        )
        out = np.squeeze(a, axes) if axes else a.view()  # a view even when nothing is dropped
        return _result(out, (self,), backward, name)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge dims start_dim..end_dim into one (row-major, like reshape)."""
        _check_int_args("flatten", ("start_dim", start_dim), ("end_dim", end_dim))
        s, e = _wrap_dim(start_dim, self.ndim), _wrap_dim(end_dim, self.ndim)
        if self.ndim == 0:
            return self.reshape(1)
        if s > e:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = self.shape
        if s == e:
            return self
        return self.reshape(*shape[:s], math.prod(shape[s : e + 1]), *shape[e + 1 :])

    def unflatten(self, dim: int, sizes) -> Tensor:
        d = _wrap_dim(dim, self.ndim)
        if -1 not in sizes and math.prod(sizes) != self.shape[d]:
            raise RuntimeError(
                f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
                f"{dim} ({self.shape[d]}) in the input tensor"
            )
        # splitting one dim is always possible in place: a view, whatever the strides
        return self.view(*self.shape[:d], *sizes, *self.shape[d + 1 :])

    def expand(self, *sizes) -> Tensor:
        """Repeat dims of size 1 (and new leading dims) without copying; -1 keeps a size."""
        sizes = _flat_shape(sizes)
        a = self._array
        target = _expand_target(a.shape, sizes, self.dtype.tensor_type)
        lead = len(sizes) - a.ndim  # new leading dims

        def backward(g):  # every copy of an element sends its gradient back: sum them
            return (unbroadcast(g, a.shape),)

        # strides of 0 repeat an element without copying; writable as in torch (fill_ works,
        # an op that reads while it writes raises, see _check_overlap)
        strides = [0] * lead + [
            0 if n == 1 and t != 1 else st for n, t, st in zip(a.shape, target[lead:], a.strides)
        ]
        for i in range(lead - 1, -1, -1):  # a new dim of size 1: torch steps over the next one
            if target[i] == 1 and i + 1 < len(target):  # (not after a 0-d tensor: 0)
                strides[i] = target[i + 1] * strides[i + 1]
        strides = tuple(strides)
        out = np.lib.stride_tricks.as_strided(
            a, tuple(target), strides, writeable=a.flags.writeable
        )
        return _result(out, (self,), backward, "ExpandBackward0")

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

    def repeat(self, *sizes) -> Tensor:
        """Tile the tensor `sizes[i]` times along dim i (a copy, unlike expand); extra leading
        sizes add dims."""
        if not sizes:
            raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
        reps = _flat_shape(sizes)
        a = self._array
        if len(reps) < a.ndim:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of "
                "dimensions of tensor"
            )
        shape = (1,) * (len(reps) - a.ndim) + a.shape
        target = [r * n for r, n in zip(reps, shape)]
        if any(r < 0 for r in reps):
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {min(target)}: {target}"
            )

        def backward(g):  # each copy sends its gradient back: fold the tiles and sum them
            tiles = g.reshape([k for r, n in zip(reps, shape) for k in (r, n)])
            return (tiles.sum(axis=tuple(range(0, 2 * len(reps), 2))).reshape(a.shape),)

        return _result(np.tile(a, reps), (self,), backward, "RepeatBackward0")

    # -- splitting and selecting views: split, chunk, unbind, narrow, select, movedim, diagonal ----

    _multi_output = None  # an output of split/chunk/unbind made in grad mode: its index (views: 0)

    def _views(self, regions: list, dim: int, name: str, drop: bool = False) -> tuple:
        """One view per `(start, stop)` range of `dim` (or per index, `drop`ping the dim): torch's
        multi-output view ops. In grad mode, none of them may be changed in place later."""
        a = self._array
        outs = []
        for i, region in enumerate(regions):
            key = (slice(None),) * dim + ((region, Ellipsis) if drop else (slice(*region),))

            def backward(g, key=key):  # the piece's gradient lands on its region, 0 elsewhere
                ga = np.zeros(a.shape, dtype=np.asarray(g).dtype)
                ga[key] = g
                return (ga,)

            out = _result(a[key], (self,), backward, name)
            if autograd._grad_enabled:
                out._multi_output = i
                if out._node is not None:  # next_functions shows which output: (node, i)
                    out._node.output_nr = i
            outs.append(out)
        nodes = [out._node for out in outs if out._node is not None]
        if nodes:  # torch has one node for them all: each output's grad_fn
            shared = autograd.SharedNode(nodes[0])
            for node in nodes:
                node.shared = shared
        return tuple(outs)

    def split(self, split_size, dim: int = 0) -> tuple:
        """Pieces of `split_size` along `dim` (the last may be smaller), or one piece per size in
        a list that sums to the dim's size (torch.split). Each piece is a view.

        >>> torch.arange(5).split([2, 3])
        (tensor([0, 1]), tensor([2, 3, 4]))
        """
        if (
            isinstance(split_size, Tensor)
            and split_size.ndim == 0
            and not split_size.dtype.is_floating_point
        ):
            split_size = split_size.item()
        if isinstance(split_size, (list, tuple)):
            return self._split_with_sizes(split_size, dim)
        if isinstance(split_size, bool) or not isinstance(split_size, numbers.Integral):
            raise TypeError(
                "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, "
                f"not {type(split_size).__name__}"
            )
        if self.ndim == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        d = _wrap_dim(dim, self.ndim)
        n = self._array.shape[d]
        if split_size < 0:
            raise RuntimeError(
                f"split expects split_size be non-negative, but got split_size={split_size}"
            )
        if split_size == 0 and n != 0:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
            )
        starts = range(0, n, split_size) if n else [0]
        return self._views([(s, min(s + split_size, n)) for s in starts], d, "SplitBackward0")

    def _split_with_sizes(self, sizes, dim: int) -> tuple:
        for i, s in enumerate(sizes):
            if isinstance(s, bool) or not isinstance(s, numbers.Integral):
                raise TypeError(
                    "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of "
                    f"ints, but found element of type {type(s).__name__} at pos {i}"
                )
        if self.ndim == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        d = _wrap_dim(dim, self.ndim)
        n = self._array.shape[d]
        if any(s < 0 for s in sizes):
            raise RuntimeError(
                "split_with_sizes expects split_sizes have only non-negative entries, but got "
                f"split_sizes={list(sizes)}"
            )
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size "
                f"at dimension {dim}), but got split_sizes={list(sizes)}"
            )
        ends = np.cumsum([0, *sizes]).tolist()
        return self._views(list(zip(ends[:-1], ends[1:])), d, "SplitWithSizesBackward0")

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        """`chunks` near-equal pieces along `dim` (fewer when the size does not allow it), views
        (torch.chunk): each ceil(size / chunks) long, the last one shorter."""
        if isinstance(chunks, bool) or not isinstance(chunks, numbers.Integral):
            raise TypeError(
                f"chunk(): argument 'chunks' (position 1) must be int, not {type(chunks).__name__}"
            )
        if self.ndim == 0:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        d = _wrap_dim(dim, self.ndim)
        n = self._array.shape[d]
        if n == 0:  # torch gives `chunks` empty pieces
            return self._views([(0, 0)] * chunks, d, "SplitWithSizesBackward0")
        return self.split(-(-n // chunks), d)

    def unbind(self, dim: int = 0) -> tuple:
        """The slices along `dim`, each without that dim, as views (torch.unbind)."""
        if self.ndim == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        d = _wrap_dim(dim, self.ndim)
        return self._views(list(range(self._array.shape[d])), d, "UnbindBackward0", drop=True)

    def narrow(self, dim: int, start, length: int) -> Tensor:
        """x[..., start:start + length, ...] along `dim`, a view (torch.narrow)."""
        if isinstance(start, Tensor):
            if (
                start.ndim != 0
                or start.dtype.is_floating_point
                or start.dtype.scalar_name == "Bool"
            ):
                raise RuntimeError("start must be an 0-dim integral Tensor.")
            start = start.item()
        if isinstance(start, bool) or not isinstance(start, numbers.Integral):
            t = type(start).__name__
            raise TypeError(
                f"narrow() received an invalid combination of arguments - got (int, {t}, int), "
                "but expected one of:\n * (int dim, Tensor start, int length)\n      didn't "
                f"match because some of the arguments have invalid types: (int, !{t}!, int)\n"
                " * (int dim, int start, int length)\n      didn't match because some of the "
                f"arguments have invalid types: (int, !{t}!, int)\n"
            )
        if self.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        d = _wrap_dim(dim, self.ndim)
        n = self._array.shape[d]
        if not -n <= start <= n:
            raise IndexError(
                f"start out of range (expected to be in range of [{-n}, {n}], but got {start})"
            )
        start = start + n if start < 0 else start
        if start > n - length:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
        key = (slice(None),) * d + (slice(start, start + length),)
        a = self._array

        def backward(g):  # the slice's gradient lands on its region, 0 elsewhere
            ga = np.zeros(a.shape, dtype=np.asarray(g).dtype)
            ga[key] = g
            return (ga,)

        return _result(a[key], (self,), backward, "SliceBackward0")

    def select(self, dim: int, index) -> Tensor:
        """The slice at `index` along `dim`, without that dim: x.select(1, 2) is x[:, 2], a view
        (torch.select)."""
        if isinstance(index, Tensor) and index.ndim == 0 and not index.dtype.is_floating_point:
            index = index.item()
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise TypeError(
                f"select(): argument 'index' (position 2) must be int, not {type(index).__name__}"
            )
        if self.ndim == 0:
            raise IndexError("select() cannot be applied to a 0-dim tensor.")
        d = _wrap_dim(dim, self.ndim)
        a = self._array
        n = a.shape[d]
        if not -n <= index < n:
            raise IndexError(
                f"select(): index {index} out of range for tensor of size {list(a.shape)} at "
                f"dimension {d}"
            )
        key = (slice(None),) * d + (index % n, Ellipsis)

        def backward(g):  # the slice's gradient lands on its row, 0 elsewhere
            ga = np.zeros(a.shape, dtype=np.asarray(g).dtype)
            ga[key] = g
            return (ga,)

        return _result(a[key], (self,), backward, "SelectBackward0")

    def movedim(self, source, destination) -> Tensor:
        """Move dim(s) `source` to position(s) `destination`, the others keeping their order: a
        permutation, a view (torch.movedim)."""
        return self._movedim(source, destination, "movedim")

    def moveaxis(self, source, destination) -> Tensor:
        """NumPy's name for movedim (torch.moveaxis)."""
        return self._movedim(source, destination, "moveaxis")

    def _movedim(self, source, destination, fn: str, input: bool = False) -> Tensor:
        _check_movedim_args(source, destination, fn, input)
        one = isinstance(source, numbers.Integral)
        src = [source] if one else list(source)
        dst = [destination] if one else list(destination)
        if len(src) != len(dst):
            raise RuntimeError(
                f"movedim: Invalid source or destination dims: source ({src} dims) should "
                f"contain the same number of dims as destination ({dst} dims)"
            )
        n = self.ndim
        ws = [_wrap_dim(s, n) for s in src]
        wd = [_wrap_dim(s, n) for s in dst]
        for name, given, wrapped in (("source", src, ws), ("destination", dst, wd)):
            if len(set(wrapped)) != len(wrapped):
                raise RuntimeError(f"movedim: repeated dim in `{name}` ({given})")
        rest = iter(d for d in range(n) if d not in ws)
        placed = dict(zip(wd, ws))
        perm = [placed[i] if i in placed else next(rest) for i in range(n)]
        if n == 0:  # torch returns an alias of a 0-d tensor
            return _result(self._array.view(), (self,), lambda g: (g,), "AliasBackward0")
        return self.permute(perm)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The diagonal of the (dim1, dim2) matrices, above it for offset > 0, below for
        offset < 0; it becomes the last dim, a view (torch.diagonal)."""
        if isinstance(offset, bool) or not isinstance(offset, numbers.Integral):
            raise TypeError(
                f"diagonal(): argument 'offset' (position 1) must be int, not "
                f"{type(offset).__name__}"
            )
        a = self._array
        d1, d2 = _wrap_dim(dim1, self.ndim), _wrap_dim(dim2, self.ndim)
        if d1 == d2:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        return _result(
            _diagonal_view(a, offset, d1, d2),
            (self,),
            _diagonal_backward(a.shape, offset, d1, d2),
            "DiagonalBackward0",
        )

    # -- swapaxes and swapdims: other names for transpose --------------------------------------

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        """NumPy's name for transpose (torch.swapaxes): a view with two dims swapped."""
        return self.transpose(axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        """Another name for transpose (torch.swapdims)."""
        return self.transpose(dim0, dim1)

    # -- more of torch's API: flip -------------------------------------------------------------

    def flip(self, *dims, **kwargs) -> Tensor:
        """The elements in reverse order along each of `dims` (torch.flip): a copy, not a view.

        >>> tensor([[1, 2], [3, 4]]).flip(1)
        tensor([[2, 1],
                [4, 3]])
        """
        if not dims and "dims" in kwargs:  # flip(dims=(0, 1))
            dims = (kwargs.pop("dims"),)
        if kwargs:
            raise TypeError(f"flip() got an unexpected keyword argument '{next(iter(kwargs))}'")
        if not dims:
            raise TypeError('flip() missing 1 required positional arguments: "dims"')
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        axes = tuple(_wrap_dim(d, self.ndim) for d in dims) if self.ndim else ()
        for d in axes:
            if axes.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        out = np.flip(self._array, axes).copy(order="K")  # in the input's layout, as torch

        def backward(g):  # flipping again puts every element back
            return (np.flip(g, axes),)

        return _result(out, (self,), backward, "FlipBackward0")

    # -- more of torch's API: roll, tile, ravel, broadcast_to, diag, trace ---------------------

    def roll(self, shifts, dims=None) -> Tensor:
        """The elements shifted along `dims` by `shifts` (a copy, torch.roll); those pushed off
        the end come back at the start. Without dims, the flattened tensor is rolled.

        >>> tensor([1, 2, 3, 4]).roll(1)
        tensor([4, 1, 2, 3])
        """
        s = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
        d = () if dims is None else tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
        if dims is None and len(s) == 1:
            a = self._array

            def backward_flat(g):  # rolling back puts every element where it was
                return (np.roll(g.reshape(-1), -s[0]).reshape(a.shape),)

            out = np.roll(a.reshape(-1), s[0]).reshape(a.shape)
            return _result(out, (self,), backward_flat, "RollBackward0")
        if len(s) != len(d):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(s)}, dims:{len(d)}")
        if self.ndim == 0:
            raise IndexError(f"Dimension specified as {d[0]} but tensor has no dimensions")
        axes = tuple(_wrap_dim(k, self.ndim) for k in d)

        def backward(g):  # rolling back puts every element where it was
            return (np.roll(g, tuple(-k for k in s), axes),)

        return _result(np.roll(self._array, s, axes), (self,), backward, "RollBackward0")

    def tile(self, *dims) -> Tensor:
        """The tensor repeated `dims[i]` times along dim i (torch.tile): repeat, with missing
        leading counts taken as 1."""
        reps = _flat_shape(dims)
        reps = (1,) * (self.ndim - len(reps)) + reps
        return self.repeat(reps)

    def ravel(self) -> Tensor:
        """The elements as one dim, in order (torch.ravel): a view when the memory allows."""
        return self.contiguous().view(-1)

    def broadcast_to(self, size) -> Tensor:
        """The tensor expanded to `size` by broadcasting, a view (torch.broadcast_to)."""
        return self.expand(size)

    def diag(self, diagonal: int = 0) -> Tensor:
        """A 1-D tensor as the diagonal of a square matrix, or a 2-D tensor's diagonal as a
        1-D copy (torch.diag); `diagonal` > 0 is above the main one, < 0 below.

        >>> tensor([1, 2]).diag()
        tensor([[1, 0],
                [0, 2]])
        """
        _check_int_args("diag", ("diagonal", diagonal))
        a = self._array
        if a.ndim == 2:
            out = _diagonal_view(a, diagonal, 0, 1).copy()
            back = _diagonal_backward(a.shape, diagonal, 0, 1)
            return _result(out, (self,), back, "DiagonalBackward0_copy")
        if a.ndim != 1:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {a.ndim}D")
        n = a.shape[0] + abs(diagonal)
        out = np.zeros((n, n), dtype=a.dtype)
        rows = np.arange(a.shape[0]) + max(-diagonal, 0)
        out[rows, rows + diagonal] = a

        def backward(g):  # each element's gradient is read back from its place on the diagonal
            return (g[rows, rows + diagonal],)

        return _result(out, (self,), backward, "DiagEmbedBackward0")

    def trace(self) -> Tensor:
        """The sum of a matrix's main diagonal (torch.trace); integers give int64."""
        a = self._array
        if a.dtype == np.bool_:
            raise NotImplementedError("\"trace\" not implemented for 'Bool'")
        if a.ndim != 2:
            raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {a.ndim}")
        out = np.asarray(np.trace(a), dtype=np.int64 if a.dtype.kind in "iu" else a.dtype)

        def backward(g):  # d trace(X) = I (the identity, cut to X's shape)
            return (np.eye(a.shape[0], a.shape[1], dtype=g.dtype) * g,)

        return _result(out, (self,), backward, "TraceBackward0")


def _infer_shape(shape: tuple, size: int) -> tuple:
    """A view/reshape target with its one -1 worked out from `size`; torch's errors otherwise."""
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
    known = math.prod(s for s in shape if s != -1)
    if -1 not in shape and known == size:
        return shape
    if -1 in shape and known == 0 and size == 0:
        raise RuntimeError(
            f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
            "unspecified dimension size -1 can be any value and is ambiguous"
        )
    if -1 in shape and known and size % known == 0:
        return tuple(size // known if s == -1 else s for s in shape)
    raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")


def _diagonal_view(a: np.ndarray, offset: int, d1: int, d2: int) -> np.ndarray:
    """A writeable view of a's diagonal over dims d1, d2 (np.diagonal's is read-only)."""
    n1, n2 = a.shape[d1], a.shape[d2]
    length = max(min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2), 0)
    if length:  # start at the diagonal's first element
        key = [slice(None)] * a.ndim
        key[d2 if offset >= 0 else d1] = slice(abs(offset), None)
        a = a[tuple(key)]
    keep = [k for k in range(a.ndim) if k not in (d1, d2)]
    shape = tuple(a.shape[k] for k in keep) + (length,)
    strides = tuple(a.strides[k] for k in keep) + (a.strides[d1] + a.strides[d2],)
    return np.lib.stride_tricks.as_strided(a, shape, strides, writeable=a.flags.writeable)


def _diagonal_backward(shape: tuple, offset: int, d1: int, d2: int):
    def backward(g):  # the diagonal's gradient lands on the diagonal, 0 elsewhere
        ga = np.zeros(shape, dtype=np.asarray(g).dtype)
        _diagonal_view(ga, offset, d1, d2)[...] = g
        return (ga,)

    return backward


def _check_movedim_args(source, destination, fn: str, input: bool = False) -> None:
    """movedim takes two ints or two sequences of ints; anything else gets torch's overload
    message (`input`: called as torch.movedim(x, ...), which lists the tensor too)."""
    seqs = all(isinstance(a, (tuple, list)) and all(map(_is_int, a)) for a in (source, destination))
    if (_is_int(source) and _is_int(destination)) or seqs:
        return

    def shown(a):
        if isinstance(a, (tuple, list)):
            names = ", ".join(type(x).__name__ for x in a) + (
                "," if isinstance(a, tuple) and len(a) == 1 else ""
            )
            return f"tuple of ({names})" if isinstance(a, tuple) else f"list of [{names}]"
        return type(a).__name__

    got = [shown(source), shown(destination)]
    ints = [g if _is_int(a) else f"!{g}!" for g, a in zip(got, (source, destination))]
    tuples = [f"!{g}!" for g in got]
    lead, arg = ("Tensor, ", "Tensor input, ") if input else ("", "")
    kinds = ", ".join(type(a).__name__ for a in (source, destination))
    raise TypeError(
        f"{fn}() received an invalid combination of arguments - got ({lead}{kinds}), but "
        f"expected one of:\n * ({arg}int source, int destination)\n      didn't match because "
        f"some of the arguments have invalid types: ({lead}{', '.join(ints)})\n * ({arg}tuple "
        "of ints source, tuple of ints destination)\n      didn't match because some of the "
        f"arguments have invalid types: ({lead}{', '.join(tuples)})\n"
    )


# -- more of torch's API: torch.flip ------------------------------------------------------------


def flip(input: Tensor, dims) -> Tensor:
    """torch.flip(x, dims): x reversed along each dim in the tuple `dims` (see Tensor.flip)."""
    if not isinstance(dims, (tuple, list)):
        raise TypeError(
            f"flip(): argument 'dims' (position 2) must be tuple of ints, not {type(dims).__name__}"
        )
    return input.flip(dims)


# -- broadcasting and grids of tensors: broadcast_shapes, broadcast_tensors, meshgrid ---------


def broadcast_shapes(*shapes) -> Size:
    """The shape that tensors of `shapes` broadcast to (torch.broadcast_shapes); an int is a
    1-D shape.

    >>> broadcast_shapes((2,), (3, 1))
    torch.Size([3, 2])
    """
    shapes = tuple((s,) if isinstance(s, numbers.Integral) else s for s in shapes if s is not None)
    if not shapes:
        return Size([])
    for shape in shapes:
        if not isinstance(shape, (tuple, list)):
            raise RuntimeError(
                "Input shapes should be of type ints, a tuple of ints, or a list of ints, got "
                f"{shape}"
            )
    common = [1] * max(len(s) for s in shapes)
    for k, shape in enumerate(shapes):
        for i in range(-1, -1 - len(shape), -1):
            if shape[i] == common[i]:
                continue
            if common[i] == 1:
                if shape[i] < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[i] = shape[i]
            if shape[i] != 1 and common[i] != shape[i]:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {shape[i]} at {i}! "
                    f"Mismatching argument at index {k} had {shape}; but expected shape should "
                    f"be broadcastable to {common}"
                )
    return Size(common)


def broadcast_tensors(*tensors) -> tuple:
    """The tensors expanded to their common broadcast shape, views (torch.broadcast_tensors);
    a tensor that has that shape already comes back as it is."""
    _check_tensors(tensors)
    shape = ()
    for t in tensors:
        try:
            shape = np.broadcast_shapes(shape, t._array.shape)
        except ValueError:
            raise _broadcast_error(shape, t._array.shape) from None
    return tuple(t if t._array.shape == shape else t.expand(shape) for t in tensors)


_MESHGRID_WARNING = (
    "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument."
)


def meshgrid(*tensors, indexing: str | None = None) -> tuple:
    """Coordinate grids from 1-D tensors (torch.meshgrid): with indexing='ij' output k varies
    along dim k; with 'xy' the first two dims are swapped (NumPy's and matplotlib's order).
    torch warns once when `indexing` is left out, and then uses 'ij'.

    >>> xs, ys = meshgrid(tensor([1, 2, 3]), tensor([4, 5]), indexing="ij")
    >>> xs.shape
    torch.Size([3, 2])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tuple(tensors[0])
    if indexing is None:
        _warn_once(_MESHGRID_WARNING)
        indexing = "ij"
    if indexing not in ("xy", "ij"):
        raise RuntimeError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    for t in tensors:
        if t.ndim > 1:
            raise NotImplementedError(
                "torch.meshgrid takes 0-D or 1-D tensors: course_lib does not print torch's "
                f"message for a {t.ndim}-D one (torch raises a RuntimeError)"
            )
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    sizes = [t.numel() for t in tensors]
    swap = indexing == "xy" and len(tensors) >= 2
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for k, t in enumerate(tensors):
        at = (1 - k if k < 2 else k) if swap else k
        shape = [1] * len(tensors)
        shape[at] = -1
        out.append(t.reshape(shape).expand(sizes) if t.ndim else t.expand(sizes))
    return tuple(out)


def _check_tensors(tensors) -> None:
    """Every element of a list of tensors is one, as torch's argument parser checks."""
    for k, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {k} in argument 0, but got {_type_name(t)}"
            )


def _unsqueezed(a: np.ndarray, d: int) -> np.ndarray:
    """`a` with a dim of size 1 inserted at `d`, strided as torch strides it: the new dim steps
    over dim d (size × stride), or 1 at the end; the other dims keep theirs (NumPy's reshape may
    change the stride of a size-1 dim)."""
    out = np.expand_dims(a, d)
    item = a.itemsize
    new = a.shape[d] * a.strides[d] if d < a.ndim else item
    strides = a.strides[:d] + (new,) + a.strides[d:]
    if out.strides == strides or a.size == 0:
        return out
    return np.lib.stride_tricks.as_strided(a, out.shape, strides)


def _view_strided(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """`out`, a NumPy reshape of `a` that shares its memory, strided as torch's view() strides
    it (torch's computeStride): NumPy may give a size-1 dim another stride, which changes no
    value but shows in stride()."""
    item = a.itemsize
    old, old_st, new = a.shape, [st // item for st in a.strides], out.shape
    strides = [0] * len(new)
    view_d, base, tensor_n, view_n = len(new) - 1, old_st[-1], 1, 1
    for d in range(len(old) - 1, -1, -1):  # chunks of old dims that are contiguous together
        tensor_n *= old[d]
        if d == 0 or (old[d - 1] != 1 and old_st[d - 1] != tensor_n * base):
            while view_d >= 0 and (view_n < tensor_n or new[view_d] == 1):
                strides[view_d] = view_n * base
                view_n *= new[view_d]
                view_d -= 1
            if view_n != tensor_n:
                return out
            if d > 0:
                base, tensor_n, view_n = old_st[d - 1], 1, 1
    strides = tuple(st * item for st in strides)
    if view_d != -1 or strides == out.strides:
        return out
    return np.lib.stride_tricks.as_strided(a, new, strides)


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend=None, append=None) -> Tensor:
    """The n-th forward difference along `dim`, out[i] = x[i+1] - x[i] applied n times
    (torch.diff); `prepend` / `append` are joined to input along `dim` first. Bool tensors
    give x[i+1] != x[i]. Composed of narrow and sub, as torch computes it.

    >>> diff(tensor([1, 4, 9, 16]))
    tensor([3, 5, 7])
    """
    _check_tensor_arg(input, "diff", "input", 1)
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"diff(): argument 'n' must be int, not {_type_name(n)}")
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    for name, t in (("prepend", prepend), ("append", append)):
        if t is not None and not isinstance(t, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {_type_name(t)}")
    d = _wrap_dim(dim, input.ndim)
    for t in (prepend, append):
        if t is None:
            continue
        if t.ndim != input.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for k in range(input.ndim):
            if k != d and t.shape[k] != input.shape[k]:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of input "
                    f"except along the differencing dimension; input.size({k}) = "
                    f"{input.shape[k]}, but got tensor.size({k}) = {t.shape[k]}"
                )
    if n == 0:  # a copy of input (torch leaves prepend and append out too)
        return _result(
            input._array.copy(), (input,), lambda g: (g,), "torch::autograd::CopyBackwards"
        )
    if prepend is not None or append is not None:
        from .joining import cat

        input = cat([t for t in (prepend, input, append) if t is not None], d)
    result, length = input, input.shape[d] - 1
    for _ in range(min(n, input.shape[d])):
        later, earlier = result.narrow(d, 1, length), result.narrow(d, 0, length)
        result = later.logical_xor(earlier) if result._array.dtype == np.bool_ else later - earlier
        length -= 1
    return result


# -- atleast_1d/2d/3d, rot90, fliplr, flipud ------------------------------------------------------


def _atleast(tensors: tuple, fn: str, grow):
    """One tensor in, one out; several (or one list) in, a tuple out, as torch's atleast_*."""
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return grow(tensors[0])
    if len(tensors) == 1 and not isinstance(tensors[0], (tuple, list)):
        got = _type_name(tensors[0])
        raise TypeError(
            f"{fn}() received an invalid combination of arguments - got ({got}), but expected "
            f"one of:\n * (Tensor input)\n      didn't match because some of the arguments "
            f"have invalid types: (!{got}!)\n * (tuple of Tensors tensors)\n      didn't match "
            f"because some of the arguments have invalid types: (!{got}!)\n"
        )
    items = tensors[0] if len(tensors) == 1 else tensors
    _check_tensors(items)
    return tuple(grow(t) for t in items)


def atleast_1d(*tensors):
    """Each tensor with at least 1 dim: a 0-d one becomes shape (1,) (torch.atleast_1d). One
    tensor gives one tensor; several (or a list) give a tuple.

    >>> atleast_1d(tensor(3.0))
    tensor([3.])
    """
    return _atleast(tensors, "atleast_1d", lambda t: t.reshape(1) if t.ndim == 0 else t)


def atleast_2d(*tensors):
    """Each tensor with at least 2 dims: () → (1, 1), (n,) → (1, n) (torch.atleast_2d).

    >>> atleast_2d(tensor([1.0, 2.0])).shape
    torch.Size([1, 2])
    """

    def grow(t):
        return t.reshape(1, 1) if t.ndim == 0 else t.unsqueeze(0) if t.ndim == 1 else t

    return _atleast(tensors, "atleast_2d", grow)


def atleast_3d(*tensors):
    """Each tensor with at least 3 dims: () → (1, 1, 1), (n,) → (1, n, 1), (m, n) → (m, n, 1)
    (torch.atleast_3d, NumPy's rule).

    >>> atleast_3d(tensor([1.0, 2.0])).shape
    torch.Size([1, 2, 1])
    """

    def grow(t):
        if t.ndim == 0:
            return t.reshape(1, 1, 1)
        if t.ndim == 1:
            return t.unsqueeze(0).unsqueeze(-1)
        return t.unsqueeze(-1) if t.ndim == 2 else t

    return _atleast(tensors, "atleast_3d", grow)


def rot90(input: Tensor, k: int = 1, dims=(0, 1)) -> Tensor:
    """input turned k quarter turns in the plane of `dims`, from dims[0] toward dims[1]
    (torch.rot90): k=1 is flip(dims[1]) then transpose.

    >>> rot90(tensor([[1, 2], [3, 4]]))
    tensor([[2, 4],
            [1, 3]])
    """
    _check_tensor_arg(input, "rot90", "input", 1)
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    d0, d1 = _wrap_dim(dims[0], input.ndim), _wrap_dim(dims[1], input.ndim)
    if d0 == d1:
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}"
        )
    out = np.rot90(input._array, k, axes=(d0, d1)).copy()

    def backward(g):  # turning back: k quarter turns the other way
        return (np.rot90(g, -k, axes=(d0, d1)),)

    return _result(out, (input,), backward, "Rot90Backward0")


def fliplr(input: Tensor) -> Tensor:
    """input with dim 1 (its columns) reversed (torch.fliplr).

    >>> fliplr(tensor([[1, 2, 3]]))
    tensor([[3, 2, 1]])
    """
    _check_tensor_arg(input, "fliplr", "input", 1)
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return input.flip(1)


def flipud(input: Tensor) -> Tensor:
    """input with dim 0 (its rows) reversed (torch.flipud).

    >>> flipud(tensor([1, 2, 3]))
    tensor([3, 2, 1])
    """
    _check_tensor_arg(input, "flipud", "input", 1)
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return input.flip(0)
