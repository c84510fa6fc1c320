"""`Tensor`: a NumPy array with torch's API and reverse-mode autograd.

Every op follows one pattern (micrograd's): compute the output with NumPy, then define its
`backward(g)` right beside it, which maps the output's gradient `g` to one gradient per input.
`_result(...)` attaches that function to the output as its `grad_fn` when gradients are recorded.
Broadcasting is undone in the backward pass by one helper, `unbroadcast`.

    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings
from collections import namedtuple

import numpy as np

from . import _random, autograd
from ._deterministic import uninitialised
from ._dtypes import Size, as_numpy_dtype, dtype, from_numpy_dtype, result_type
from ._dtypes import bool_ as _bool
from ._dtypes import float32 as _float32
from ._dtypes import float64 as _float64
from ._dtypes import int32 as _int32
from ._dtypes import int64 as _int64
from .autograd import Node

# ----------------------------------------------------------------------------------------------
# Helpers shared by the ops
# ----------------------------------------------------------------------------------------------


class _Quiet:
    """`with quiet:` is `np.errstate(all="ignore")` at a third of its cost: torch computes inf
    and nan silently where NumPy warns (RuntimeWarning: divide by zero, invalid value, overflow),
    so every place where course_lib lets NumPy compute values runs inside it. It nests (one
    stack: course_lib runs its ops on one Python thread).

    NumPy 2 keeps its error state in a context variable; entering sets it to "ignore", leaving
    puts back what was there (np.errstate does the same, and builds its settings on each entry).
    """

    __slots__ = ("_saved", "_set", "_reset", "_ignore")

    def __init__(self, state, ignore):
        self._saved, self._set, self._reset, self._ignore = [], state.set, state.reset, ignore

    def __enter__(self):
        self._saved.append(self._set(self._ignore))

    def __exit__(self, *exc):
        self._reset(self._saved.pop())


try:
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    quiet = _Quiet(_extobj_contextvar, _make_extobj(all="ignore"))
except ImportError:  # pragma: no cover (a NumPy that keeps it elsewhere: its own errstate)

    class _QuietErrstate:
        def __init__(self):
            self._saved = []

        def __enter__(self):
            self._saved.append(np.errstate(all="ignore"))
            self._saved[-1].__enter__()

        def __exit__(self, *exc):
            self._saved.pop().__exit__(*exc)

    quiet = _QuietErrstate()


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum `grad` back down to `shape`: the backward of broadcasting.

    Broadcasting copies an input along new leading axes and along axes of size 1, so each input
    element was used once per copy and its gradient is the sum over those copies. E.g. a bias of
    shape (3,) added to x of shape (2, 5, 3) gets `grad.sum(axis=(0, 1))`.
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1
    )
    return grad.sum(axis=axes).reshape(shape)


def _dim_error(dim: int, ndim: int) -> IndexError:
    lo, hi = (-ndim, ndim - 1) if ndim > 0 else (-1, 0)
    return IndexError(
        f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})"
    )


def _wrap_dim(dim, ndim: int) -> int:
    """A dim in [-ndim, ndim) made non-negative; torch's IndexError otherwise (0-d takes 0, -1)."""
    if not isinstance(dim, numbers.Integral) or isinstance(dim, bool):
        raise TypeError(f"dim must be int, not {type(dim).__name__}")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise _dim_error(dim, ndim)
    return dim % n


def _softmax_axis(dim, t, fn: str) -> int | None:
    """The NumPy axis for (log_)softmax along `dim`; None for a 0-d tensor (which takes 0, -1)."""
    if dim is None:  # torch has no implicit dim here (nn.functional's softmax has one)
        raise TypeError(f'{fn}() missing 1 required positional arguments: "dim"')
    if not isinstance(dim, numbers.Integral) or isinstance(dim, bool):
        raise TypeError(
            f"{fn}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}"
        )
    d = _wrap_dim(dim, t.ndim)
    if t._array.dtype.kind != "f":  # torch names the kernel it would have used
        kernel = f"{fn}_lastdim_kernel_impl" if d == max(t.ndim - 1, 0) else f"{fn}_kernel_impl"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{t.dtype.scalar_name}'")
    return d if t.ndim else None


def _row_blocks(a: np.ndarray, elements: int = 1 << 16):
    """Slices of about `elements` values' worth of rows of the 2-D `a`.

    An op on a whole large array streams it from RAM; a formula of several ops on one block of
    rows at a time finds its operands in the CPU cache, and its temporaries stay small.
    """
    step = max(1, elements // max(a.shape[1], 1))
    for start in range(0, len(a), step):
        yield slice(start, start + step)


def _log_softmax_array(x: np.ndarray, axis: int) -> np.ndarray:
    """NumPy log_softmax along `axis` (max-shifted, so ±1e4 logits stay finite)."""
    if x.size == 0:
        return x.copy()
    out = np.empty_like(x)
    # (N, C) logits go block by block, so that exp's temporary stays small and in the CPU cache
    blocks = _row_blocks(x) if x.ndim == 2 and axis == 1 else [...]
    with quiet:  # inf logits give nan, silently as in torch
        for rows in blocks:
            y = out[rows]
            np.subtract(x[rows], x[rows].max(axis=axis, keepdims=True), out=y)  # x − max
            y -= np.log(np.exp(y).sum(axis=axis, keepdims=True))  # − log Σ exp(x − max)
    return out


def _reduce_dims(dim, ndim: int) -> tuple | None:
    if dim is None:
        return None
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    wrapped = [_wrap_dim(d, ndim) for d in dims]
    for d in wrapped:
        if wrapped.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(wrapped)) if ndim else ()


def _size_arg(size: tuple, fn: str = "empty") -> tuple:
    """Sizes as separate ints or one tuple/list, as torch accepts them: (2, 3) or ((2, 3),)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list, Size)):
        size = tuple(size[0])
    for s in size:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral):
            raise TypeError(
                f"{fn}(): argument 'size' (position 1) must be tuple of ints, "
                f"not {type(s).__name__}"
            )
    if any(s < 0 for s in size):
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {min(size)}: {list(size)}"
        )
    return tuple(int(s) for s in size)


def _broadcast_error(a: tuple, b: tuple) -> RuntimeError:
    """torch's message for shapes that do not broadcast, naming the first clashing dim."""
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for i in range(n - 1, -1, -1):
        if pa[i] != pb[i] and pa[i] != 1 and pb[i] != 1:
            return RuntimeError(
                f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) "
                f"at non-singleton dimension {i}"
            )
    return RuntimeError(f"shapes {list(a)} and {list(b)} cannot be broadcast")


def _check_bool_sub(a, b) -> None:
    """torch refuses `-` on bools: `~` or `^` is what was meant."""
    is_bool = [
        isinstance(x, (bool, np.bool_)) or getattr(x, "dtype", None) == np.bool_ for x in (a, b)
    ]
    if all(is_bool):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
            "`logical_xor()` operator instead."
        )
    if any(is_bool):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def _pow(a, p) -> np.ndarray:
    """a ** p with torch's promotion; bool ** bool is only defined for a Python exponent."""
    if result_type(a, p) == np.bool_:
        if not isinstance(p, bool):
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        return np.asarray(a) | (not p)  # x ** True = x, x ** False = True
    if isinstance(p, np.ndarray) and p.dtype.kind == "i" and result_type(a, p).kind in "iu":
        if (p < 0).any():
            return _int_pow_negative(a, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _elementwise(np.power, a, p)


def _int_pow_negative(a, p: np.ndarray) -> np.ndarray:
    """Integers to negative integer powers, elementwise as torch: 1 for a base of 1, ±1 for -1
    (by the exponent's parity), 0 for any other base (0 too); NumPy refuses them all."""
    out = _elementwise(np.power, a, np.asarray(np.maximum(p, 0)))
    a_ = np.asarray(a)
    neg_result = np.where(a_ == 1, 1, np.where(a_ == -1, 1 - 2 * (p % 2), 0))
    return np.where(p < 0, neg_result, out).astype(out.dtype)


def _check_int_divisor(a, b, kernel: str = "remainder_cpu") -> None:
    """torch raises where NumPy would quietly give 0: an integer // or % by zero, or bools."""
    kind = result_type(a, b).kind
    if kind == "b":
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if kind in "iu" and np.any(np.asarray(b) == 0):
        raise RuntimeError("ZeroDivisionError")


def _remainder(a, b):
    """torch's remainder: fmod, moved into b's sign (so -2.0 % 1.0 is -0.0, as in torch)."""
    _check_int_divisor(a, b)
    m = np.fmod(a, b)
    return np.where((m != 0) & ((m < 0) != (np.asarray(b) < 0)), m + b, m)


_warned: set[str] = set()  # the warnings already given: torch gives each once per process


def _warn_once(message: str, stacklevel: int = 3) -> None:
    """A UserWarning the first time only, as torch's TORCH_WARN_ONCE: later calls stay silent,
    whatever the warning filters say (a warning filtered away the first time is used up too)."""
    if message in _warned:
        return
    _warned.add(message)
    warnings.warn(message, UserWarning, stacklevel=stacklevel)


# torch's node for an op it cannot differentiate
_NOT_IMPLEMENTED = "torch::autograd::NotImplemented"


def _floor_divide_backward(g):  # torch records the op (the result requires grad) but has no rule
    raise RuntimeError("derivative for aten::floor_divide is not implemented")


def _floor_divide_inplace_backward(g):
    raise RuntimeError("derivative for aten::floor_divide_ is not implemented")


def _check_inplace_broadcast(t: Tensor, other) -> None:
    """An in-place binary op writes into t: the operands must broadcast to t's own shape."""
    shape = t._array.shape
    other_shape = other._array.shape if isinstance(other, Tensor) else ()
    try:
        bshape = np.broadcast_shapes(shape, other_shape)
    except ValueError:
        raise _broadcast_error(shape, other_shape) from None
    if bshape != shape:
        raise RuntimeError(
            f"output with shape {list(shape)} doesn't match the broadcast shape {list(bshape)}"
        )


def _is_number(x) -> bool:
    return isinstance(x, (numbers.Number, np.bool_)) and not isinstance(x, np.ndarray)


def _py_number(x):
    return x.item() if isinstance(x, np.generic) else x


def _arr(x):
    """The NumPy array of a Tensor, or the Python number itself."""
    return x._array if isinstance(x, Tensor) else x


def _elementwise(f, a, b, true_div: bool = False) -> np.ndarray:
    """Apply a NumPy binary function with torch's type promotion and broadcasting message."""
    dt = result_type(a, b)
    if true_div and dt.kind != "f":
        dt = np.dtype(np.float32)
    if isinstance(a, np.ndarray) and a.dtype != dt:
        a = a.astype(dt)
    if isinstance(b, np.ndarray) and b.dtype != dt:
        b = b.astype(dt)
    try:
        with quiet:  # like torch: inf and nan, no warnings
            out = f(a, b)
    except ValueError:
        raise _broadcast_error(np.shape(a), np.shape(b)) from None
    if isinstance(out, np.ndarray) and out.dtype != dt and out.dtype.kind != "b":
        out = out.astype(dt)
    return np.asarray(out)


DEFAULT = object()  # `div(x, y)` and `div(x, y, rounding_mode=None)` print different grad_fns


OUT = object()  # in `saved=`: the op's own output (torch saves e.g. exp's result, not its input)


def _result(array: np.ndarray, parents: tuple, backward, name: str, saved=None) -> Tensor:
    """Wrap an op's output; record `backward` as its grad_fn if any parent requires grad.

    `saved` names what `backward` reads from the forward pass, as torch's op saves it: input
    tensors, `OUT` for the output, Python numbers (which torch saves too, so the graph is freed
    after one backward). None means nothing: shapes only, and such a node may run twice. A saved
    tensor changed in place before backward makes backward raise torch's error.
    """
    out = Tensor._wrap(array)
    if array.base is not None:  # a NumPy view: of a parent's memory (x[0], x.t(), ...)?
        for p in parents:
            if p is not None and _shares_memory(array, p._array):
                out._vc = p._vc  # views share one version counter with their base
                out._base = p if p._base is None else p._base
                out._view_version = p._vc[0]
                if p._requires_grad and not autograd._grad_enabled:
                    out._nograd_view, out._requires_grad = 1, True  # as torch: see _nograd_error
                elif p._nograd_view:
                    out._nograd_view = 2  # a view of such a view
                if p._multi_output is not None and autograd._grad_enabled:
                    out._multi_output = 0  # a view of a split/chunk/unbind output: as strict
                break
    if autograd._grad_enabled:
        for p in parents:  # a plain loop: this runs once per op, a generator costs more
            if p is not None and p._requires_grad:
                out._requires_grad = True
                out._node = Node(
                    name, parents, backward, None if saved is None else _save(saved, out)
                )
                break
    return out


def _shares_memory(array: np.ndarray, parent: np.ndarray) -> bool:
    """Whether `array` (a NumPy view) shows `parent`'s memory; an empty view shows none of it,
    but is a view of it all the same (x[2:] of a 2-element x), as NumPy's base tells."""
    if array.size == 0:
        return array.base is parent or array.base is not None and array.base is parent.base
    return np.may_share_memory(array, parent)


def _reading_output(backward, memory: np.ndarray, out: np.ndarray):
    """The backward of an in-place op that saved its output: the output is the tensor's memory
    now, so backward reads it from there (a `.data` write after the op shows, as in torch)."""

    def read_then_backward(g):
        np.copyto(out, memory, casting="unsafe")
        return backward(g)

    return read_then_backward


def _save(saved: tuple, out: Tensor) -> tuple:
    """(tensor, its version counter, the version now) for each saved tensor; numbers need none."""
    entries = []  # the output is held by its array: it holds its grad_fn, not the other way
    for t in saved:
        if t is OUT:
            entries.append((out._array, out._vc, out._vc[0]))
        elif isinstance(t, Tensor):
            entries.append((t, t._vc, t._vc[0]))
    return tuple(entries)


def _check_inplace(t: Tensor, bump: bool = True) -> None:
    """Every in-place op calls this before it writes: torch refuses in-place changes to a leaf
    that requires grad, or to a view of one; then the version counter of the memory goes up
    (`bump=False` for an op that still has argument checks to make: it bumps just before it
    writes), so that backward can tell a saved tensor was changed."""
    if autograd._grad_enabled:
        if t._nograd_view:
            raise _nograd_error(t)
        if t._multi_output is not None and t.requires_grad:
            raise _multi_output_error(t)
        base = t._base  # a view whose base is a leaf: x[0] of a leaf x, or a leaf that is
        if base is not None and base._node is None and t.requires_grad:  # itself a view
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation."
            )
        if t._requires_grad and t._node is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
    if bump:
        t._vc[0] += 1


def _nograd_error(t: Tensor, indirect: bool = False, op: str | None = None) -> RuntimeError:
    """A view made under no_grad of a tensor that requires grad requires grad but records no
    history; torch forbids changing it (or its base: `indirect`) in place in grad mode. `op`: the
    view op of a view of it (x[0] = ... on it: Select)."""
    if op is None and t._nograd_view == 2 and t._node is not None:
        op = t._node._name
    what = "A view was created"
    if op is not None:
        op = op.rsplit("Backward", 1)[0]  # SelectBackward0: Select
        what = f"Output 0 of {op} is a view of a view which was created"
    done = (
        "its base or another view of its base has been modified inplace"
        if indirect
        else "is being modified inplace"
    )
    return RuntimeError(
        f"{what} in no_grad mode and {done} with grad mode enabled. Given that this use case is "
        "ambiguous and error-prone, it is forbidden. You can clarify your code by moving both "
        "the view and the inplace either both inside the no_grad block (if you don't want the "
        "inplace to be tracked) or both outside (if you want the inplace to be tracked)."
    )


def _check_overlap(t: Tensor) -> None:
    """An op that reads and writes the same memory refuses an expand()ed tensor, as torch does."""
    a = t._array
    if a.size and any(s == 0 and n > 1 for s, n in zip(a.strides, a.shape)):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )


def _view_node(base: Tensor, view: Tensor, pos: np.ndarray | None = None) -> Node:
    """torch's AsStridedBackward0: the view's gradient lands on its region of the base."""
    if pos is None:
        pos = _positions(base._array, view._array).ravel()
    shape = base._array.shape

    def backward(g):
        gb = np.zeros(math.prod(shape), dtype=np.asarray(g).dtype)
        np.add.at(gb, pos, np.asarray(g).reshape(-1))
        return (gb.reshape(shape),)

    return Node("AsStridedBackward0", (base,), backward)


def _positions(base: np.ndarray, view: np.ndarray) -> np.ndarray:
    """For each element of `view` (a NumPy view into `base`'s memory), its flat (C-order) index
    in `base`: what CopySlices needs to route a gradient between a base and one of its views."""
    item = base.itemsize
    if base.size == 0 or view.size == 0:
        return np.zeros(view.shape, dtype=np.int64)

    def offsets(a):  # each element's distance from a's first element, in items
        off = np.zeros(a.shape, dtype=np.int64)
        for k, (n, st) in enumerate(zip(a.shape, a.strides)):
            off = off + (np.arange(n) * (st // item)).reshape((n,) + (1,) * (a.ndim - k - 1))
        return off

    b = offsets(base)
    lo = b.min()
    lookup = np.empty(b.max() - lo + 1, dtype=np.int64)
    lookup[(b - lo).ravel()] = np.arange(base.size)
    start = (view.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // item
    return lookup[offsets(view) + start - lo]


_max_result = namedtuple("max", ["values", "indices"])
_min_result = namedtuple("min", ["values", "indices"])


def _return_types_repr(self) -> str:
    return (
        f"torch.return_types.{type(self).__name__}(\nvalues={self.values!r},\n"
        f"indices={self.indices!r})"
    )


_max_result.__repr__ = _return_types_repr
_min_result.__repr__ = _return_types_repr


# ----------------------------------------------------------------------------------------------
# Tensor
# ----------------------------------------------------------------------------------------------


class Tensor:
    """An n-dimensional array that can record the operations applied to it.

    Attributes, as in torch: `shape`, `dtype`, `requires_grad`, `grad` (accumulated by
    `backward()`), `grad_fn` (the op that produced it, None for a leaf), `is_leaf`, `data`.
    The values live in a NumPy array, `_array`; `numpy()` returns it (sharing memory).

    `Tensor(list)` is torch's legacy constructor (always float32); `Tensor(2, 3)` is an
    uninitialised (2, 3) float32 tensor. Prefer `tensor(...)`, which infers the dtype.
    """

    __array_ufunc__ = None  # make `ndarray + Tensor` call Tensor.__radd__, as torch does
    _nograd_view = 0  # 1: a view made under no_grad of a tensor that requires grad; 2: its views

    def __init__(self, *args):
        if len(args) == 1 and isinstance(args[0], Tensor):  # an alias of that tensor
            array = args[0]._array
        elif len(args) == 1 and (
            isinstance(args[0], (bool, np.bool_)) or not isinstance(args[0], numbers.Integral)
        ):
            from .creation import _legacy_array  # creation builds on this module

            array = _legacy_array(args[0], np.float32)
        else:
            array = uninitialised(_size_arg(args or (0,), "Tensor"), np.float32)
        self._init(array)

    def _init(self, array: np.ndarray) -> None:
        if type(array) is not np.ndarray:  # NumPy gives scalars for 0-d results: keep an array
            array = np.asarray(array)
        self._array = array
        self._requires_grad = False
        self._node = None
        self._grad = None
        self._retains_grad = False
        self._vc = [0]  # one version counter per memory, shared with views; in-place ops bump it
        self._base = None  # for a view (x[0], x.t(), ...): the tensor whose memory it shows

    @classmethod
    def _wrap(cls, array: np.ndarray) -> Tensor:
        """A tensor around an existing array (no copy), without recording anything."""
        t = object.__new__(cls)
        t._init(array)
        return t

    # -- attributes --------------------------------------------------------------------------

    @property
    def shape(self) -> Size:
        return Size(self._array.shape)

    def size(self, dim: int | None = None):
        """The shape (a `Size`), or the length of one dim."""
        if dim is None:
            return Size(self._array.shape)
        if self.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self._array.shape[_wrap_dim(dim, self.ndim)]

    @property
    def dtype(self) -> dtype:
        return from_numpy_dtype(self._array.dtype)

    @property
    def ndim(self) -> int:
        return self._array.ndim

    def dim(self) -> int:
        return self._array.ndim

    def numel(self) -> int:
        return self._array.size

    def nelement(self) -> int:
        return self._array.size

    def is_floating_point(self) -> bool:
        return self._array.dtype.kind == "f"

    def is_contiguous(self) -> bool:
        return self._array.flags.c_contiguous

    @property
    def device(self) -> device:
        return device("cpu")

    @property
    def requires_grad(self) -> bool:
        if self._base is not None and not self._nograd_view and self._multi_output is None:
            self._history()
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Start (or stop) recording operations on this leaf tensor. Returns self."""
        if self._node is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if requires_grad and self._array.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if self._node is None:
            self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def _version(self) -> int:
        """How many in-place ops have changed this tensor's memory (shared with its views)."""
        return self._vc[0]

    @property
    def grad_fn(self) -> Node | None:
        return self._node if self._base is None else self._history()

    @property
    def grad(self) -> Tensor | None:
        if self._node is not None and not self._retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during autograd.backward(). If you indeed want "
                "the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the "
                "non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you "
                "access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for "
                "more information.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None and value.shape != self.shape:
            raise RuntimeError(
                f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of "
                f"size '{list(self.shape)}'. Please ensure that the gradient and the tensor are "
                "the same size"
            )
        self._grad = value

    def retain_grad(self) -> None:
        """Ask backward() to fill `.grad` on this non-leaf tensor too."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._node is not None:
            self._retains_grad = True
            self._node.retained = self

    @property
    def data(self) -> Tensor:
        """The same values as a plain tensor with no history (shares memory).

        Unlike `detach()`, it has a version counter of its own: in-place changes through `.data`
        are invisible to autograd (which is why `no_grad()` is the safer way to update)."""
        return Tensor._wrap(self._array)

    @data.setter
    def data(self, value: Tensor) -> None:
        if self._requires_grad and value._array.dtype.kind != "f":
            raise RuntimeError(
                "data set to a tensor that requires gradients must be floating point or complex dtype"
            )
        self._array = value._array

    # -- autograd ----------------------------------------------------------------------------

    def backward(self, gradient: Tensor | None = None, retain_graph=None, create_graph=False):
        """Compute d(self)/d(leaf) for every leaf that requires grad; add it to `leaf.grad`.

        `gradient` is d(loss)/d(self); it may be omitted only when self has one element.
        """
        self._history()
        if not self._requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        if create_graph:
            raise NotImplementedError(
                "course_lib does not build a graph of the backward pass: create_graph=True "
                "(higher-order gradients) is not supported"
            )
        if gradient is None:
            if self._array.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = np.ones_like(self._array)
        else:
            g = _arr(gradient) if isinstance(gradient, Tensor) else np.asarray(gradient)
            if g.shape != self._array.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {Size(g.shape)!r} and "
                    f"output[0] has a shape of {self.shape!r}."
                )
            g = g.astype(self._array.dtype, copy=False)
        autograd.backward(self, g, bool(retain_graph))

    def _accumulate_grad(self, g: np.ndarray, owned: bool = False) -> None:
        """Leaves add each backward's gradient to `.grad` (which is why we call zero_grad).

        The addition is in place, as torch's: `.grad` stays the same tensor (a 0-d one too).
        The first gradient becomes `.grad` as it is when the backward walk made it and nothing
        else refers to it (`owned`), as torch's AccumulateGrad keeps an unshared gradient;
        otherwise it is copied."""
        grad = self._grad
        if (
            grad is None
            or grad._array.shape != self._array.shape
            or not grad._array.flags.writeable
        ):
            if grad is None:
                fresh = owned and g.flags.writeable and g.flags.c_contiguous
                if not (fresh and g.dtype == self._array.dtype):
                    g = np.array(g, dtype=self._array.dtype, copy=True)
                self._grad = Tensor._wrap(g)
            else:
                self._grad = Tensor._wrap(np.asarray(grad._array + g, dtype=self._array.dtype))
        else:
            np.add(grad._array, g, out=grad._array, casting="unsafe")

    def detach(self) -> Tensor:
        """The same values, cut from the graph (shares memory and the version counter,
        requires_grad=False)."""
        t = Tensor._wrap(self._array)
        t._vc = self._vc
        return t

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place (not a view: torch refuses those)."""
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._node, self._requires_grad = None, False
        return self

    # -- conversion --------------------------------------------------------------------------

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._array.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._array.size} elements cannot be converted to Scalar"
            )
        return self._array.item()

    def _scalar(self, warn: bool):
        """float(t) / int(t): one element only (ValueError, as torch); float() warns as torch,
        before it looks at the size."""
        if warn and self._requires_grad and autograd._grad_enabled:
            _warn_once(
                "Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
                "behavior.\nConsider using tensor.detach() first.",
                stacklevel=4,
            )
        if self._array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._array.item()

    def tolist(self):
        return self._array.tolist()

    def numpy(self) -> np.ndarray:
        """The underlying NumPy array (shared memory, like torch)."""
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self._array

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def to(self, *args, **kwargs) -> Tensor:
        """`to(dtype)` converts; `to('cpu')` / `to(device)` is a no-op (the course runs on CPU)."""
        target = kwargs.get("dtype")
        for a in args:
            if isinstance(a, dtype):
                target = a
            elif str(a) != "cpu":
                raise RuntimeError(f"course_lib runs on the CPU only; cannot move a tensor to {a}")
        return self if target is None else self._cast(target)

    def _cast(self, d: dtype) -> Tensor:
        if self._array.dtype == d.np:
            return self
        if d.np.kind != "f":  # an integer or bool result cannot carry a gradient
            with quiet:  # nan and inf become some integer, silently as in torch
                return Tensor._wrap(self._array.astype(d.np))
        src = self._array.dtype

        def backward(g):  # a cast's gradient is cast back
            return (g.astype(src),)

        return _result(self._array.astype(d.np), (self,), backward, "ToCopyBackward0")

    def float(self) -> Tensor:
        return self._cast(_float32)

    def double(self) -> Tensor:
        return self._cast(_float64)

    def long(self) -> Tensor:
        return self._cast(_int64)

    def int(self) -> Tensor:
        return self._cast(_int32)

    def bool(self) -> Tensor:
        return self._cast(_bool)

    def type(self, d=None):
        """The type name ('torch.FloatTensor'), or a cast to a dtype, a legacy tensor type
        (`LongTensor`) or its name ('torch.LongTensor')."""
        if d is None:
            return self.dtype.tensor_type
        if isinstance(d, str):
            from ._dtypes import _ALL  # 'torch.LongTensor' names a dtype

            d = next((t for t in _ALL if t.tensor_type == d), None) or d
        return self._cast(getattr(d, "dtype", d))

    def clone(self) -> Tensor:
        def backward(g):  # d clone(x) = 1
            return (g,)

        return _result(self._array.copy(), (self,), backward, "CloneBackward0")

    def contiguous(self) -> Tensor:
        if self._array.flags.c_contiguous:
            return self
        return self.clone()

    # -- Python protocol -----------------------------------------------------------------------

    def __repr__(self) -> str:
        from ._tensor_str import tensor_repr

        return tensor_repr(self)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._array.shape[0]))

    def __bool__(self) -> bool:
        if self._array.size == 0:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
        if self._array.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._array)

    def __float__(self) -> float:
        return float(self._scalar(warn=True))

    def __int__(self) -> int:
        return int(self._scalar(warn=False))

    def __index__(self) -> int:
        if self._array.dtype.kind not in "iub" or self._array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._array.item())

    def __format__(self, format_spec: str) -> str:
        """f"{loss:.4f}" formats a 0-d tensor as its number, as torch does."""
        if self.ndim == 0 and type(self) is Tensor:
            return self._array.item().__format__(format_spec)
        return object.__format__(self, format_spec)

    __hash__ = object.__hash__

    # -- arithmetic (broadcasting; each backward undoes broadcasting with `unbroadcast`) ----

    def _other(self, other):
        if isinstance(other, Tensor):
            return other
        if _is_number(other):
            return _py_number(other)
        return None

    def __add__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        a, b = self._array, _arr(other)
        out = _elementwise(np.add, a, b)

        def backward(g):  # d(a + b) = da + db
            return unbroadcast(g, a.shape), unbroadcast(g, np.shape(b))

        return _result(out, (self, _parent(other)), backward, "AddBackward0")

    __radd__ = __add__

    def __sub__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        a, b = self._array, _arr(other)
        _check_bool_sub(a, b)
        out = _elementwise(np.subtract, a, b)

        def backward(g):  # d(a - b) = da - db
            return unbroadcast(g, a.shape), unbroadcast(-g, np.shape(b))

        return _result(out, (self, _parent(other)), backward, "SubBackward0")

    def __rsub__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        _check_bool_sub(other, self._array)
        out = _elementwise(np.subtract, other, self._array)

        def backward(g):  # d(b - x) = -dx
            return (-g,)

        return _result(out, (self,), backward, "RsubBackward1")

    def __mul__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        a, b = self._array, _arr(other)
        out = _elementwise(np.multiply, a, b)
        other_t = _parent(other)

        def backward(g):  # d(a * b) = b da + a db
            ga = unbroadcast(g * b, a.shape) if self._requires_grad else None
            gb = (
                unbroadcast(g * a, b.shape)
                if other_t is not None and other_t._requires_grad
                else None
            )
            return ga, gb

        saved = (
            other if self._requires_grad else None,  # d/da needs b, d/db needs a
            self if other_t is not None and other_t._requires_grad else None,
        )
        return _result(out, (self, other_t), backward, "MulBackward0", saved)

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        a, b = self._array, _arr(other)
        out = _elementwise(np.true_divide, a, b, true_div=True)
        other_t = _parent(other)

        def backward(g):  # d(a / b) = da / b - a db / b^2
            ga = unbroadcast(g / b, a.shape) if self._requires_grad else None
            gb = None
            if other_t is not None and other_t._requires_grad:
                gb = unbroadcast(-g * a / (b * b), b.shape)
            return ga, gb

        saved = (other, self if other_t is not None and other_t._requires_grad else None)
        return _result(out, (self, other_t), backward, "DivBackward0", saved)

    def __rtruediv__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        return self.reciprocal() * other

    def reciprocal(self) -> Tensor:
        a = self._array
        out = _elementwise(np.true_divide, 1, a, true_div=True)

        def backward(g):  # d(1/x) = -1/x^2
            return (-g * out * out,)

        return _result(out, (self,), backward, "ReciprocalBackward0", (OUT,))

    def __neg__(self):
        if self._array.dtype == np.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
                "to invert a mask, use the `~` or `logical_not()` operator instead."
            )

        def backward(g):  # d(-x) = -1
            return (-g,)

        return _result(np.negative(self._array), (self,), backward, "NegBackward0")

    def neg(self) -> Tensor:
        return -self

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    def __floordiv__(self, other):
        """a // b, rounded down; not differentiable (torch records no usable gradient either)."""
        other = self._other(other)
        if other is None:
            return NotImplemented
        _check_int_divisor(self._array, _arr(other), "div_floor_cpu")
        out = _elementwise(np.floor_divide, self._array, _arr(other))
        return _result(out, (self, _parent(other)), _floor_divide_backward, _NOT_IMPLEMENTED)

    def __rfloordiv__(self, other):
        other = self._other(other)
        if other is None:
            return NotImplemented
        _check_int_divisor(_arr(other), self._array, "div_floor_cpu")
        out = _elementwise(np.floor_divide, other, self._array)
        return _result(out, (self,), _floor_divide_backward, _NOT_IMPLEMENTED)

    def __mod__(self, other):
        """a % b with the sign of b (Python's and torch's remainder)."""
        other = self._other(other)
        if other is None:
            return NotImplemented
        a, b = self._array, _arr(other)
        out = _elementwise(_remainder, a, b)

        def backward(g):  # a % b = a - b floor(a / b): d/da = 1, d/db = -floor(a / b)
            gb = None
            if isinstance(other, Tensor):
                gb = unbroadcast(-g * np.floor(a / b), np.shape(b))
            return unbroadcast(g, a.shape), gb

        name = "RemainderBackward1" if isinstance(other, Tensor) else "RemainderBackward0"
        # only d/db = -floor(a / b) reads the inputs: a remainder by a tensor that needs no grad
        # (or by a number) saves nothing, and its graph may run backward twice
        saved = (self, other) if isinstance(other, Tensor) and other._requires_grad else None
        return _result(out, (self, _parent(other)), backward, name, saved)

    def __pow__(self, exponent):
        exponent = self._other(exponent)
        if exponent is None:
            return NotImplemented
        a, p = self._array, _arr(exponent)
        if (
            a.dtype.kind in "iu"
            and isinstance(p, numbers.Integral)
            and not isinstance(p, (bool, np.ndarray))
            and p < 0
        ):
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        out = _pow(a, p)
        exp_t = _parent(exponent)

        def backward(g):  # d(a^p) = p a^(p-1) da + a^p ln(a) dp
            ga = gp = None
            with np.errstate(divide="ignore", invalid="ignore"):
                if self._requires_grad:  # torch: 0 where p == 0, even at a == 0
                    ga = unbroadcast(np.where(p == 0, 0, g * p * np.power(a, p - 1)), a.shape)
                if exp_t is not None and exp_t._requires_grad:  # 0 where a == 0 and p >= 0
                    gp = np.where((a == 0) & (p >= 0), 0, g * out * np.log(a))
                    gp = unbroadcast(gp, p.shape)
            return ga, gp

        name, saved = (
            ("PowBackward0", (self, p)) if exp_t is None else ("PowBackward1", (self, exp_t, OUT))
        )
        return _result(out, (self, exp_t), backward, name, saved)

    def __rpow__(self, base):
        base = self._other(base)
        if base is None:
            return NotImplemented
        p = self._array
        out = _pow(base, p)

        def backward(g):  # d(b^x) = b^x ln(b); torch gives 0 where b == 0 and x >= 0
            with np.errstate(divide="ignore", invalid="ignore"):
                return (np.where((base == 0) & (p >= 0), 0, g * out * np.log(float(base))),)

        return _result(out, (self,), backward, "PowBackward2", (base, OUT))

    def pow(self, exponent) -> Tensor:
        return self**exponent

    def add(self, other, *, alpha=1) -> Tensor:
        return _add_sub(self, other, alpha, "add")

    def sub(self, other, *, alpha=1) -> Tensor:
        return _add_sub(self, other, alpha, "sub")

    def mul(self, other) -> Tensor:
        return _by_name(self, other, "mul", Tensor.__mul__, Tensor.__rmul__)

    def div(self, other, *, rounding_mode=DEFAULT) -> Tensor:
        return _div(self, other, rounding_mode)

    # -- comparisons (no gradient; results are bool tensors) --------------------------------

    def _compare(self, other, f):
        other = self._other(other)
        if other is None:
            return NotImplemented
        return Tensor._wrap(_elementwise(f, self._array, _arr(other)))

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def __invert__(self):
        if self._array.dtype.kind not in "biu":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return Tensor._wrap(np.invert(self._array))

    def _bitwise(self, other, f, kernel: str):
        """&, |, ^ on bool and integer tensors; torch names its kernel for anything else."""
        other = self._other(other)
        if other is None:
            return NotImplemented
        dt = result_type(self._array, _arr(other))
        if dt.kind not in "biu":
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{from_numpy_dtype(dt).scalar_name}'"
            )
        return Tensor._wrap(_elementwise(f, self._array, _arr(other)))

    def __and__(self, other):
        return self._bitwise(other, np.bitwise_and, "bitwise_and_cpu")

    def __or__(self, other):
        return self._bitwise(other, np.bitwise_or, "bitwise_or_cpu")

    __rand__, __ror__ = __and__, __or__

    # -- elementwise functions ---------------------------------------------------------------

    def _float_array(self) -> np.ndarray:
        a = self._array
        return a if a.dtype.kind == "f" else a.astype(np.float32)

    def exp(self) -> Tensor:
        with np.errstate(over="ignore"):  # exp(100.) is inf in float32, silently as in torch
            out = np.exp(self._float_array())

        def backward(g):  # d exp(x) = exp(x)
            return (g * out,)

        return _result(out, (self,), backward, "ExpBackward0", (OUT,))

    def log(self) -> Tensor:
        a = self._float_array()
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.log(a)

        def backward(g):  # d log(x) = 1 / x
            with np.errstate(divide="ignore"):
                return (g / a,)

        return _result(out, (self,), backward, "LogBackward0", (self,))

    def sqrt(self) -> Tensor:
        a = self._float_array()
        with np.errstate(invalid="ignore"):
            out = np.sqrt(a)

        def backward(g):  # d sqrt(x) = 1 / (2 sqrt(x))
            with np.errstate(divide="ignore"):
                return (g / (2 * out),)

        return _result(out, (self,), backward, "SqrtBackward0", (OUT,))

    def abs(self) -> Tensor:
        a = self._array
        if a.dtype == np.bool_:
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")

        def backward(g):  # d |x| = sign(x)
            return (g * np.sign(a),)

        return _result(np.abs(a), (self,), backward, "AbsBackward0", (self,))

    def tanh(self) -> Tensor:
        out = np.tanh(self._float_array())

        def backward(g):  # d tanh(x) = 1 - tanh(x)^2
            return (g * (1 - out * out),)

        return _result(out, (self,), backward, "TanhBackward0", (OUT,))

    def sigmoid(self) -> Tensor:
        a = self._float_array()
        # 1 / (1 + exp(-x)) overflows for very negative x; this form never does
        e = np.exp(-np.abs(a))
        out = np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)

        def backward(g):  # d sigmoid(x) = sigmoid(x) (1 - sigmoid(x))
            return (g * out * (1 - out),)

        return _result(out, (self,), backward, "SigmoidBackward0", (OUT,))

    def relu(self) -> Tensor:
        a = self._array
        if a.dtype == np.bool_:
            raise RuntimeError("Boolean inputs not supported for relu")
        out = np.where(a < 0, 0, a).astype(a.dtype, copy=False)  # -0. stays -0., as in torch

        def backward(g):  # d relu(x) = 1 where x > 0, else 0 (read from the output, as torch)
            return (np.where(out <= 0, 0, g),)  # nan passes g on, as torch's threshold_backward

        return _result(out, (self,), backward, "ReluBackward0", (OUT,))

    def clamp(self, min=None, max=None) -> Tensor:
        a = self._array
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        dt = result_type(a, *(_arr(b) for b in (min, max) if b is not None))
        out = a  # torch's clamp keeps x unless it is beyond a bound (so -0. stays -0.)
        if min is not None:
            out = np.where(a < _arr(min), _arr(min), out)
        if max is not None:
            out = np.where(out > _arr(max), _arr(max), out)
        out = np.asarray(out).astype(dt, copy=False)

        def backward(g):  # d clamp(x) = 1 inside [min, max], 0 where clipped
            keep = np.ones(a.shape, dtype=bool)
            if min is not None:
                keep &= a >= _arr(min)
            if max is not None:
                keep &= a <= _arr(max)
            return (np.where(keep, g, 0),)  # 0., never -0., where clipped (as torch)

        tensors = all(isinstance(b, Tensor) for b in (min, max) if b is not None)
        name = "ClampBackward0" if tensors else "ClampBackward1"  # torch's overload for tensors
        return _result(out, (self,), backward, name, (self,))

    def softmax(self, dim: int | None = None, dtype: dtype | None = None) -> Tensor:
        """exp(x - max) / sum(exp(x - max)) along `dim`: every slice along `dim` sums to 1.

        `dtype` casts the input first (so an int64 tensor can be given with dtype=float32).
        """
        if dtype is not None:
            return self.to(dtype).softmax(dim)
        d = _softmax_axis(dim, self, "softmax")
        a = self._array
        with np.errstate(invalid="ignore"):  # an inf logit gives nan, as in torch
            e = np.exp(a - a.max(axis=d, keepdims=True, initial=-np.inf))  # exp() stays finite
            out = e / e.sum(axis=d, keepdims=True)

        def backward(g):  # J = diag(p) - p p^T, so dx = p * (g - sum(g * p))
            return (out * (g - (g * out).sum(axis=d, keepdims=True)),)

        return _result(out, (self,), backward, "SoftmaxBackward0", (OUT,))

    def log_softmax(self, dim: int | None = None, dtype: dtype | None = None) -> Tensor:
        """x - logsumexp(x) along `dim`, computed without ever forming exp(x)."""
        if dtype is not None:
            return self.to(dtype).log_softmax(dim)
        d = _softmax_axis(dim, self, "log_softmax")
        with np.errstate(invalid="ignore", divide="ignore"):  # inf logits give nan, as in torch
            out = _log_softmax_array(self._array, d)

        def backward(g):  # J = I - 1 p^T, so dx = g - p * sum(g)
            return (g - np.exp(out) * g.sum(axis=d, keepdims=True),)

        return _result(out, (self,), backward, "LogSoftmaxBackward0", (OUT,))

    # -- reductions --------------------------------------------------------------------------

    def sum(self, dim=None, keepdim: bool = False, dtype=None) -> Tensor:
        """Sum over all elements, or over `dim` (an int or a tuple of ints)."""
        a = self._array
        axes = _reduce_dims(dim, self.ndim)
        out_dtype = (
            as_numpy_dtype(dtype)
            if dtype is not None
            else (np.int64 if a.dtype.kind in "biu" else a.dtype)
        )
        with quiet:  # inf + -inf is nan, silently
            out = np.asarray(a.sum(axis=axes, keepdims=keepdim, dtype=out_dtype))

        def backward(g):  # d sum(x) = 1 for every summed element
            if not keepdim and axes is not None:
                g = np.expand_dims(g, axes)
            return (np.broadcast_to(g, a.shape),)

        return _result(out, (self,), backward, "SumBackward0" if dim is None else "SumBackward1")

    def mean(self, dim=None, keepdim: bool = False, dtype=None) -> Tensor:
        """Mean over all elements, or over `dim`."""
        a = self._array
        if a.dtype.kind != "f" and dtype is None:
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {self.dtype.scalar_name}"
            )
        axes = _reduce_dims(dim, self.ndim)
        if dtype is not None:
            a = a.astype(as_numpy_dtype(dtype))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # mean of nothing is nan, silently
            out = np.asarray(a.mean(axis=axes, keepdims=keepdim), dtype=a.dtype)
        n = a.size // max(out.size, 1) if a.size else 0

        def backward(g):  # d mean(x) = 1/n for every averaged element
            if not keepdim and axes is not None:
                g = np.expand_dims(g, axes)
            return (np.broadcast_to(g / n, a.shape),)

        return _result(out, (self,), backward, "MeanBackward0" if dim is None else "MeanBackward1")

    def var(self, *args, **kwargs) -> Tensor:
        """Σ(x − mean)² / (N − correction): the unbiased sample variance by default (torch.var).

        `correction=0` (or `unbiased=False`) gives the biased (population) variance, the one
        LayerNorm uses. torch's signatures: var(dim=None, *, correction=1, keepdim=False),
        var(dim, unbiased=True, keepdim=False) and var(unbiased=True).
        """
        return self._spread(*_spread_args("var", args, kwargs), "var")

    def std(self, *args, **kwargs) -> Tensor:
        """sqrt(var): the unbiased sample standard deviation by default (torch.std).

        Takes the same arguments as `var`: std(1, False) is std(1, correction=0).
        """
        return self._spread(*_spread_args("std", args, kwargs), "std")

    def _spread(self, dim, correction: int, keepdim: bool, which: str) -> Tensor:
        a = self._array
        if a.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        axes = _reduce_dims(dim, self.ndim)
        n = a.size if axes is None else math.prod(a.shape[d] for d in axes)
        if n - correction <= 0:
            warnings.warn(
                f"{which}(): degrees of freedom is <= 0. Correction should be strictly less than "
                "the reduction factor (input numel divided by output numel).",
                UserWarning,
                stacklevel=3,
            )
        with quiet:  # inf values, and N <= correction, give nan/inf
            centred = a - a.mean(axis=axes, keepdims=True)
            var = (centred * centred).sum(axis=axes, keepdims=True) / max(n - correction, 0)
            out = var if which == "var" else np.sqrt(var)

        def backward(g):  # d var = 2 (x − mean) / (N − c);  d std = (x − mean) / ((N − c) std)
            if not keepdim and axes is not None:
                g = np.expand_dims(g, axes)
            with np.errstate(divide="ignore", invalid="ignore"):
                if which == "var":
                    return (g * 2 * centred / max(n - correction, 0),)
                # torch: 0 where the std is 0 (all values equal), not 0/0
                return (np.where(out == 0, 0, g * centred / (max(n - correction, 0) * out)),)

        result = out if keepdim else (out.reshape(()) if axes is None else out.squeeze(axes))
        name = f"{which.capitalize()}Backward0"
        saved = (self,) if which == "var" else (self, OUT)
        return _result(np.asarray(result, dtype=a.dtype), (self,), backward, name, saved)

    def _extreme(self, dim, keepdim, which: str):
        a = self._array
        reduce, arg = (np.max, np.argmax) if which == "max" else (np.min, np.argmin)
        if dim is None:
            if a.size == 0:
                raise RuntimeError(
                    f"{which}(): Expected reduction dim to be specified for input.numel() == 0. "
                    "Specify the reduction dim with the 'dim' argument."
                )
            out = np.asarray(reduce(a))

            def backward(g):  # the gradient is shared evenly by all the maxima (ties)
                mask = a == out
                return (np.where(mask, g / mask.sum(), 0),)

            return _result(out, (self,), backward, f"{which.capitalize()}Backward1", (self, OUT))
        d = _wrap_dim(dim, self.ndim)
        if self.ndim == 0:  # the one element is the value; its gradient passes straight through
            v = _result(a.copy(), (self,), lambda g: (g,), f"{which.capitalize()}Backward0", ())
            return (_max_result if which == "max" else _min_result)(v, zeros_index(()))
        if a.shape[d] == 0:
            raise IndexError(f"{which}(): Expected reduction dim {d} to have non-zero size.")
        idx = np.expand_dims(arg(a, axis=d), d)
        values = np.take_along_axis(a, idx, axis=d)

        def backward_dim(g):  # the gradient goes to the selected element of each slice
            ga = np.zeros_like(a)
            np.put_along_axis(ga, idx, g if keepdim else np.expand_dims(g, d), axis=d)
            return (ga,)

        indices = idx if keepdim else idx.squeeze(d)  # `idx` itself stays as backward needs it
        if not keepdim:
            values = values.squeeze(d)
        v = _result(values, (self,), backward_dim, f"{which.capitalize()}Backward0", ())
        result = _max_result if which == "max" else _min_result
        return result(v, Tensor._wrap(indices.astype(np.int64)))

    def max(self, dim=None, keepdim: bool = False):
        """The largest element; with `dim`, a (values, indices) pair along that dim; with a
        tensor, the elementwise maximum (torch.max(a, b))."""
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        return self._extreme(dim, keepdim, "max")

    def min(self, dim=None, keepdim: bool = False):
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        return self._extreme(dim, keepdim, "min")

    def maximum(self, other: Tensor) -> Tensor:
        """Elementwise max(a, b), broadcast; ties share the gradient half and half."""
        _check_tensor_arg(other, "maximum", "other", 1)
        return self._pick(other, np.maximum, "MaximumBackward0")

    def minimum(self, other: Tensor) -> Tensor:
        _check_tensor_arg(other, "minimum", "other", 1)
        return self._pick(other, np.minimum, "MinimumBackward0")

    def _pick(self, other: Tensor, f, name: str, position: int = 1) -> Tensor:
        if not isinstance(other, Tensor):
            raise TypeError(
                f"{name[:7].lower()}(): argument 'other' (position {position}) must be Tensor, "
                f"not {type(other).__name__}"
            )
        a, b = self._array, other._array
        out = _elementwise(f, a, b)

        def backward(g):  # g goes to whichever input was picked; ties share it 1/2, 1/2
            wins_a = np.where(a == b, 0.5, (f(a, b) == a).astype(g.dtype))
            ga = np.where(wins_a == 0, 0, g * wins_a)  # 0., never -0., for the loser (as torch)
            gb = np.where(wins_a == 1, 0, g * (1 - wins_a))
            return unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)

        return _result(out, (self, other), backward, name, (self, other))

    def argmax(self, dim=None, keepdim: bool = False) -> Tensor:
        if self._array.dtype == np.bool_:
            raise RuntimeError("argmax(): does not support bool input")
        if dim is None:
            return Tensor._wrap(np.asarray(np.argmax(self._array), dtype=np.int64))
        return self.max(dim, keepdim).indices

    def argmin(self, dim=None, keepdim: bool = False) -> Tensor:
        if self._array.dtype == np.bool_:
            raise RuntimeError("argmin(): does not support bool input")
        if dim is None:
            return Tensor._wrap(np.asarray(np.argmin(self._array), dtype=np.int64))
        return self.min(dim, keepdim).indices

    # -- matrix products -----------------------------------------------------------------------

    def __matmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        return matmul(self, other)

    def __rmatmul__(self, other):
        return NotImplemented

    def matmul(self, other: Tensor) -> Tensor:
        return matmul(self, other)

    def mm(self, other: Tensor) -> Tensor:
        return mm(self, other)

    def bmm(self, other: Tensor) -> Tensor:
        return bmm(self, other)

    # -- shape ops (results are views that share memory, as in torch) ------------------------

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
            name = "UnsafeViewBackward0"  # torch's reshape that had to copy
        elif copy_ok and not a.flags.c_contiguous:
            name = "ReshapeAliasBackward0"  # torch's reshape of a strided tensor, still a view
        return _result(out, (self,), backward, name)

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
        if not dims:
            raise TypeError('permute() missing 1 required positional arguments: "dims"')
        dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        if len(dims) != self.ndim:
            raise RuntimeError(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the "
                f"length of the desired ordering of dimensions i.e. input.dim() = {self.ndim} is "
                f"not equal to len(dims) = {len(dims)}"
            )
        perm = tuple(_wrap_dim(d, self.ndim) for d in dims)
        if len(set(perm)) != len(perm):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
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

        return _result(np.expand_dims(self._array, d), (self,), backward, "UnsqueezeBackward0")

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
        for position, (name, d) in enumerate((("start_dim", start_dim), ("end_dim", end_dim)), 1):
            if isinstance(d, bool) or not isinstance(d, numbers.Integral):
                raise TypeError(
                    f"flatten(): argument '{name}' (position {position}) must be int, "
                    f"not {type(d).__name__}"
                )
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
        if len(sizes) < a.ndim:
            raise RuntimeError(
                f"expand({self.dtype.tensor_type}{{{list(a.shape)}}}, size={list(sizes)}): the "
                f"number of sizes provided ({len(sizes)}) must be greater or equal to the number "
                f"of dimensions in the tensor ({a.ndim})"
            )
        lead = len(sizes) - a.ndim
        target = list(sizes)
        for i in range(lead):
            if sizes[i] < 0:
                raise RuntimeError(
                    f"The expanded size of the tensor ({sizes[i]}) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
        for i, n in enumerate(a.shape):
            want = sizes[lead + i]
            if want == -1:
                target[lead + i] = n
            elif n != want and n != 1:
                raise RuntimeError(
                    f"The expanded size of the tensor ({want}) must match the existing size ({n}) "
                    f"at non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  "
                    f"Tensor sizes: {list(a.shape)}"
                )

        def backward(g):  # every copy of an element sends its gradient back: sum them
            return (unbroadcast(g, a.shape),)

        # strides of 0 repeat an element without copying; writable as in torch (fill_ works,
        # an op that reads while it writes raises, see _check_overlap)
        lead_strides = (0,) * lead
        strides = lead_strides + tuple(
            0 if n == 1 and t != 1 else st for n, t, st in zip(a.shape, target[lead:], a.strides)
        )
        out = np.lib.stride_tricks.as_strided(
            a, tuple(target), strides, writeable=a.flags.writeable
        )
        return _result(out, (self,), backward, "ExpandBackward0")

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

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
            return _result(out, (self,), backward, name)
        # torch saves the index tensors: changing one in place makes backward raise
        items = index if isinstance(index, tuple) else (index,)
        saved = tuple(i for i in items if isinstance(i, Tensor) and i.ndim > 0)
        return _result(out, (self,), backward, name, saved)

    def __setitem__(self, index, value) -> None:
        if not isinstance(value, (Tensor, np.ndarray)) and not _is_number(value):
            raise TypeError(f"can't assign a {type(value).__name__} to a {self.dtype.tensor_type}")
        if index is False:  # torch writes nothing
            return
        idx = _np_index(index)
        v = _arr(value) if isinstance(value, Tensor) else value
        if self.ndim == 0:
            _check_index(idx, ())
        # torch writes into a view of self when the index applies an int, a slice that is not
        # the whole dimension, None or True; otherwise into self (lists and masks: index_put_)
        on_view, advanced = _setitem_target(idx, self._array.shape)
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
        try:
            target = np.shape(_get(self._array, idx))
        except IndexError as e:
            _check_index(idx, self._array.shape, bounds=False)
            if advanced:  # torch compares the dtypes before it reads the indices
                _check_index_put_dtype(idx, self, value)
            _check_index(idx, self._array.shape)
            raise IndexError(_index_error_message(e, idx, self._array.shape)) from None
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

    # -- in-place ops (modify this tensor's memory; return self) -----------------------------

    def _inplace(self, other, f, name) -> Tensor:
        _check_inplace(self, bump=False)
        b = _arr(self._other(other) if not isinstance(other, Tensor) else other)
        if name == "sub_":  # torch's checks in its order: bool subtraction, shapes, dtypes
            _check_bool_sub(self._array, b)
        try:
            bshape = np.broadcast_shapes(self._array.shape, np.shape(b))
        except ValueError:
            raise _broadcast_error(self._array.shape, np.shape(b)) from None
        if bshape != self._array.shape:
            raise RuntimeError(
                f"output with shape {list(self._array.shape)} doesn't match the broadcast shape "
                f"{list(bshape)}"
            )
        res_dt = result_type(self._array, b)
        if name == "div_" and res_dt.kind != "f":
            res_dt = np.dtype(np.float32)  # true division of integers gives the default float
        if not np.can_cast(res_dt, self._array.dtype, casting="same_kind"):
            raise RuntimeError(
                f"result type {from_numpy_dtype(res_dt).scalar_name} can't be cast to the desired "
                f"output type {self.dtype.scalar_name}"
            )
        _check_overlap(self)
        self._vc[0] += 1
        if self._records(other):
            op = {"add_": "__add__", "sub_": "__sub__", "mul_": "__mul__", "div_": "__truediv__"}
            return self._recorded_in_place(lambda old: getattr(old, op[name])(other))
        with quiet:
            f(self._array, b, out=self._array, casting="same_kind")
        return self

    def add_(self, other, alpha=1) -> Tensor:
        return self._inplace(other * alpha if alpha != 1 else other, np.add, "add_")

    def sub_(self, other, alpha=1) -> Tensor:
        if alpha != 1:
            _check_bool_sub(self._array, _arr(other))
        return self._inplace(other * alpha if alpha != 1 else other, np.subtract, "sub_")

    def mul_(self, other) -> Tensor:
        return self._inplace(other, np.multiply, "mul_")

    def div_(self, other) -> Tensor:
        return self._inplace(other, np.true_divide, "div_")

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def _recorded_in_place(self, compute, name: str | None = None) -> Tensor:
        """An in-place op that autograd records (call `_check_inplace` first).

        It runs out of place on a stand-in for the old self (a copy carrying self's history, so
        the graph has no cycle and the op's backward reads the old values), writes the result
        into self's memory (views see it), and takes the result's grad_fn: later ops see the
        new history, earlier ones keep the one they recorded. On a view, the base's history is
        rebased as well (torch's CopySlices).
        """
        if self._multi_output is not None:  # a split/chunk/unbind output, now written with grad
            raise _multi_output_error(self)
        self._history()
        old = Tensor._wrap(self._array.copy())
        old._requires_grad, old._node = self._requires_grad, self._node
        out = compute(old)
        node = out._node
        if name is not None and node is not None:
            node._name = name
        np.copyto(self._array, out._array, casting="unsafe")
        if node is None:
            return self
        if node.saved:  # a saved output is self now, at the version after this op; self
            # saved as an input (x.mul_(x)) was saved before this op's write
            if any(r is out._array for r, _, _ in node.saved):
                node.backward = _reading_output(node.backward, self._array, out._array)
            vc = self._vc
            node.saved = tuple(
                (self._array, vc, vc[0])
                if r is out._array
                else (r, c, v - 1)
                if c is vc and v == vc[0]
                else (r, c, v)
                for r, c, v in node.saved
            )
        if self._base is not None:
            self._rebase(node, old)
        else:
            self._take(node)
        return self

    def _history(self) -> Node | None:
        """This tensor's grad_fn. A view's is rebuilt as a view of its base's history when the
        memory was changed in place since it was recorded (through the base or another view),
        as torch regenerates it: the view then sees the base's new values and history."""
        base = self._base
        if base is None or self._view_version == self._vc[0]:
            return self._node
        if self._nograd_view:  # torch will not guess the history of a view made under no_grad
            if autograd._grad_enabled:
                raise _nograd_error(self, indirect=True)
            return self._node
        if self._multi_output is not None and base._requires_grad and autograd._grad_enabled:
            raise _multi_output_error(self, indirect=True)
        self._view_version = self._vc[0]
        if base._requires_grad:
            self._take(_view_node(base, self))
        return self._node

    def _take(self, node: Node) -> None:
        """Make `node` this tensor's grad_fn (a retained gradient moves with it)."""
        if self._retains_grad:
            node.retained = self
            if self._node is not None:
                self._node.retained = None
        self._node, self._requires_grad = node, True

    def _rebase(self, node: Node, old: Tensor) -> None:
        """An in-place op on a view: the base's grad_fn becomes CopySlices (the old base with
        the view's region replaced by `node`'s result), the view's a view of that."""
        base = self._base
        pos = _positions(base._array, self._array).ravel()
        i = next(k for k, p in enumerate(node.parents) if p is old)
        before = Tensor._wrap(base._array)  # stands for the base's history before this op
        before._requires_grad, before._node = base._requires_grad, base._node
        others = tuple(p for k, p in enumerate(node.parents) if k != i)
        inner, view_shape = node, self._array.shape

        def backward(g):  # the region's gradient goes through the op, the rest straight on
            flat = np.array(g).reshape(-1)
            grads = inner.backward(flat[pos].reshape(view_shape))
            g_old = flat.copy()
            g_old[pos] = 0
            if grads[i] is not None:
                g_old[pos] += np.asarray(grads[i]).reshape(-1)
            return (g_old.reshape(np.shape(g)), *(gr for k, gr in enumerate(grads) if k != i))

        copy_slices = Node("torch::autograd::CopySlices", (before, *others), backward, node.saved)
        copy_slices.inner = node
        base._take(copy_slices)
        self._take(_view_node(base, self, pos))
        self._view_version = self._vc[0]

    def _records(self, *others) -> bool:
        tensors = (self, *(o for o in others if isinstance(o, Tensor)))
        return autograd._grad_enabled and any(t._requires_grad for t in tensors)

    def zero_(self) -> Tensor:
        """Fill with zeros, in place."""
        return self._fill(0, "ZeroBackward0")

    def fill_(self, value) -> Tensor:
        """Fill with one value, in place."""
        return self._fill(value, "FillBackward2")

    def _fill(self, value, name: str) -> Tensor:
        value_t = None
        if isinstance(value, Tensor):
            if name == "FillBackward2":  # torch's fill_ overload for a 0-d tensor value
                if value.ndim != 0:
                    raise RuntimeError(
                        "fill_ only supports 0-dimension value tensor but got tensor with "
                        f"{value.ndim} dimensions."
                    )
                name, value_t = "FillBackward3", value
            value = value.item()
        if not _is_number(value):
            raise TypeError(
                f"fill_() received an invalid combination of arguments - got "
                f"({type(value).__name__}), but expected one of:\n * (Tensor value)\n"
                f"      didn't match because some of the arguments have invalid types: "
                f"(!{type(value).__name__}!)\n * (Number value)\n"
                f"      didn't match because some of the arguments have invalid types: "
                f"(!{type(value).__name__}!)\n"
            )
        _check_inplace(self, bump=False)
        if value_t is not None:  # fill_(tensor) refuses an expand()ed self, fill_(number) not
            _check_overlap(self)
        self._vc[0] += 1
        if self._records(value_t):  # the old values no longer matter: their gradient is 0

            def backward(g):  # a 0-d value tensor gets the sum of the gradient
                return np.zeros_like(g), np.asarray(g.sum(), dtype=g.dtype)

            full = np.full_like(self._array, value)
            return self._recorded_in_place(
                lambda old: _result(full, (old, value_t), backward, name), name
            )
        self._array[...] = value
        return self

    def copy_(self, src: Tensor) -> Tensor:
        """Copy `src`'s values (broadcast, cast) into this tensor's memory."""
        if not isinstance(src, Tensor):
            if not _is_number(src):
                raise TypeError(
                    "copy_(): argument 'other' (position 1) must be Tensor, not "
                    f"{type(src).__name__}"
                )
            src = Tensor._wrap(np.asarray(src))  # a number is copied as a 0-d tensor
        _check_inplace(self, bump=False)
        _check_overlap(self)
        self._vc[0] += 1
        s = _arr(src)
        try:
            shape = np.broadcast_shapes(self._array.shape, np.shape(s))
        except ValueError:
            raise _broadcast_error(self._array.shape, np.shape(s)) from None
        if shape != self._array.shape:
            raise RuntimeError(
                f"output with shape {list(self._array.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            )
        if self._array.dtype.kind == "f" and self._records(src):  # ints and bools hold no grad
            new = np.empty_like(self._array)
            np.copyto(new, s, casting="unsafe")

            def backward(g):  # the copy replaces self: all of g goes to src, summed over copies
                return np.zeros_like(g), unbroadcast(g, np.shape(s))

            name = "torch::autograd::CopyBackwards"
            return self._recorded_in_place(
                lambda old: _result(new, (old, src), backward, name), name
            )
        np.copyto(self._array, s, casting="unsafe")
        return self

    def _check_float_inplace(self, kernel: str) -> None:
        if self._array.dtype.kind != "f":
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{self.dtype.scalar_name}'"
            )
        _check_inplace(self, bump=False)
        _check_overlap(self)
        self._vc[0] += 1

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
        """Fill with samples from U(a, b), in place (torch's stream: see _random.py)."""
        self._check_float_inplace("check_uniform_bounds")
        _random.check_uniform_bounds(a, b)
        arr = self._array
        _random.fill(arr, _random.uniform(_random._gen(generator), arr.size, arr.dtype, a, b))
        return self

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
        """Fill with samples from N(mean, std^2), in place (torch's stream: see _random.py)."""
        self._check_float_inplace("normal_kernel_cpu")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        arr = self._array
        gen = _random._gen(generator)
        values = _random.normal(gen, arr.size, arr.dtype, mean, std, arr.flags.c_contiguous)
        _random.fill(arr, values)
        return self

    def random_(self, from_=None, to=None, *, generator=None) -> Tensor:
        """Fill with random integers: [0, from_) for one bound, [from_, to) for two (in place)."""
        _check_inplace(self, bump=False)
        _check_overlap(self)
        self._vc[0] += 1
        arr, gen = self._array, _random._gen(generator)
        if from_ is None:
            values = _random.random_default(gen, arr.size, arr.dtype)
        else:
            low, high = (0, from_) if to is None else (from_, to)
            if low >= high:
                raise RuntimeError(
                    f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
                )
            values = _random.random_from_to(gen, arr.size, int(low), int(high))
        _random.fill(arr, values.astype(arr.dtype))
        return self

    def bernoulli_(self, p=0.5, *, generator=None) -> Tensor:
        """Fill with 1 where a uniform draw is below p (a number or a tensor of probabilities)."""
        _check_inplace(self, bump=False)
        _check_overlap(self)
        self._vc[0] += 1
        arr, gen = self._array, _random._gen(generator)
        if isinstance(p, Tensor):
            probs = torch_order_like(np.broadcast_to(p._array, arr.shape), arr)
            values = _random.bernoulli(gen, probs.reshape(-1), arr.size)
        else:
            if not 0 <= p <= 1:
                raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
            values = _random.bernoulli(gen, float(p), arr.size)
        _random.fill(arr, values.astype(arr.dtype))
        return self

    def clamp_(self, min=None, max=None) -> Tensor:
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        bounds = [b for b in (min, max) if b is not None]
        dt = result_type(self._array, *(_arr(b) for b in bounds))
        if not np.can_cast(dt, self._array.dtype, casting="same_kind"):  # torch names the
            # output type as C++ does for number bounds ('long int'), as Python for tensor bounds
            to = self.dtype.scalar_name if all(isinstance(b, Tensor) for b in bounds) else None
            raise RuntimeError(
                f"result type {from_numpy_dtype(dt).scalar_name} can't be cast to the desired "
                f"output type {to or self.dtype.cpp_name}"
            )
        _check_inplace(self, bump=False)
        _check_overlap(self)
        self._vc[0] += 1
        if self._records(*bounds):
            return self._recorded_in_place(lambda old: old.clamp(min, max))
        out = self._array  # as clamp: a value is replaced only beyond a bound (-0. stays -0.)
        if min is not None:
            out = np.where(out < _arr(min), _arr(min), out)
        if max is not None:
            out = np.where(out > _arr(max), _arr(max), out)
        self._array[...] = out
        return self

    # ==========================================================================================
    # More of torch's Tensor API, one family per block below. Argument checks with torch's
    # messages come first, then the forward with its backward beside it, as everywhere above.
    # ==========================================================================================

    # -- elementwise: rsqrt, cosh, sinh --------------------------------------------------------

    def rsqrt(self) -> Tensor:
        """1 / sqrt(x), elementwise (torch.rsqrt); integer and bool input gives float32."""
        a = self._float_array()
        with np.errstate(divide="ignore", invalid="ignore"):
            out = 1 / np.sqrt(a)

        def backward(g):  # d x^(-1/2) = -1/2 x^(-3/2) = -rsqrt(x)^3 / 2
            return (-0.5 * g * out * out * out,)

        return _result(out, (self,), backward, "RsqrtBackward0", (OUT,))

    def cosh(self) -> Tensor:
        """(eˣ + e⁻ˣ) / 2, elementwise (torch.cosh)."""
        a = self._float_array()
        with np.errstate(over="ignore"):
            out = np.cosh(a)

        def backward(g):  # d cosh(x) = sinh(x)
            with np.errstate(over="ignore"):
                return (g * np.sinh(a),)

        return _result(out, (self,), backward, "CoshBackward0", (self,))

    def sinh(self) -> Tensor:
        """(eˣ − e⁻ˣ) / 2, elementwise (torch.sinh)."""
        a = self._float_array()
        with np.errstate(over="ignore"):
            out = np.sinh(a)

        def backward(g):  # d sinh(x) = cosh(x)
            with np.errstate(over="ignore"):
                return (g * np.cosh(a),)

        return _result(out, (self,), backward, "SinhBackward0", (self,))

    # -- bitwise xor (`^`) on integer and bool tensors ----------------------------------------

    def _xor_operand(self, other, kernel: str):
        """The other operand as an array or number, or None if `^` does not apply to it."""
        other = self._other(other)
        if other is None:
            return None
        b = _arr(other)
        dt = result_type(self._array, b)
        if dt.kind == "f":  # torch has no xor for floats
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{from_numpy_dtype(dt).scalar_name}'"
            )
        return b

    def __xor__(self, other):
        """a ^ b, bitwise on integers and logical on bools (torch.bitwise_xor); no gradient."""
        b = self._xor_operand(other, "bitwise_xor_cpu")
        if b is None:
            return NotImplemented
        return Tensor._wrap(_elementwise(np.bitwise_xor, self._array, b))

    __rxor__ = __xor__

    def bitwise_xor(self, other) -> Tensor:
        return self ^ other

    def __ixor__(self, other):
        if self._xor_operand(other, "bitwise_xor_cpu") is None:
            return NotImplemented
        return self._inplace(other, np.bitwise_xor, "bitwise_xor_")

    bitwise_xor_ = __ixor__

    def logical_xor(self, other: Tensor) -> Tensor:
        """True where exactly one of the two is non-zero (torch.logical_xor), any dtype."""
        b = _arr(other)
        return Tensor._wrap(_elementwise(np.logical_xor, self._array != 0, np.asarray(b) != 0))

    # -- remainder with the tensor on the right: `2 % t` --------------------------------------

    def __rmod__(self, other):
        """n % t with the sign of t (torch.remainder(n, t)); torch has no derivative for it."""
        other = self._other(other)
        if other is None:
            return NotImplemented
        b = self._array
        dt = result_type(other, b)
        if dt.kind == "b":
            raise NotImplementedError("\"remainder_cpu\" not implemented for 'Bool'")
        if dt.kind in "iu" and (b == 0).any():
            raise RuntimeError("ZeroDivisionError")
        out = _elementwise(_remainder, other, b)

        def backward(g):  # torch records the op but defines no derivative with respect to t
            raise RuntimeError("derivative for aten::remainder is not implemented")

        return _result(out, (self,), backward, "torch::autograd::NotImplemented")

    def remainder(self, other) -> Tensor:
        """x % other with the sign of other (torch.remainder)."""
        return self % other

    # -- sizes in bytes ----------------------------------------------------------------------

    def element_size(self, *args) -> int:
        """Bytes per element: 4 for float32, 8 for float64 and int64, 1 for bool and uint8."""
        if args:
            raise TypeError(f"TensorBase.element_size() takes no arguments ({len(args)} given)")
        return self._array.itemsize

    @property
    def itemsize(self) -> int:
        return self._array.itemsize

    @property
    def nbytes(self) -> int:
        return self._array.nbytes

    # -- reductions: amax, amin, logsumexp, norm ----------------------------------------------

    def amax(self, dim=(), keepdim: bool = False) -> Tensor:
        """The largest value over `dim` (all dims by default); ties share the gradient evenly."""
        return self._amax_amin(dim, keepdim, "amax")

    def amin(self, dim=(), keepdim: bool = False) -> Tensor:
        """The smallest value over `dim` (all dims by default); ties share the gradient evenly."""
        return self._amax_amin(dim, keepdim, "amin")

    def _amax_amin(self, dim, keepdim: bool, which: str) -> Tensor:
        a = self._array
        axes = None if isinstance(dim, (tuple, list)) and not dim else _reduce_dims(dim, self.ndim)
        if a.size == 0:
            if axes is None:
                raise RuntimeError(
                    f"{which}(): Expected reduction dim to be specified for input.numel() == 0. "
                    "Specify the reduction dim with the 'dim' argument."
                )
            for d in axes:
                if a.shape[d] == 0:
                    raise IndexError(
                        f"{which}(): Expected reduction dim {d} to have non-zero size."
                    )
        reduce = np.max if which == "amax" else np.min
        kept = reduce(a, axis=axes, keepdims=True)
        out = np.asarray(kept if keepdim else reduce(a, axis=axes, keepdims=False))

        def backward(g):  # d max = 1 at the maximum; k tied maxima get 1/k each
            mask = a == kept
            if not keepdim and axes is not None:
                g = np.expand_dims(g, axes)
            return (g * mask / mask.sum(axis=axes, keepdims=True),)

        return _result(out, (self,), backward, f"{which.capitalize()}Backward0", (self, OUT))

    def logsumexp(self, dim=None, keepdim: bool = False) -> Tensor:
        """log(Σ exp(x)) over `dim`, computed as m + log(Σ exp(x − m)) with m the max.

        Shape: the input's shape without `dim` (kept as size 1 with keepdim=True).

        >>> tensor([0.0, 0.0]).logsumexp(0)  # log 2
        tensor(0.6931)
        """
        if dim is None:
            raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
        if isinstance(dim, (tuple, list)) and not dim and self.ndim:
            raise RuntimeError(
                f"output with shape [] doesn't match the broadcast shape {[1] * self.ndim}"
            )
        a = self._float_array()
        axes = _reduce_dims(dim, self.ndim)
        m = np.max(a, axis=axes, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, 0)  # all -inf (or an inf): nothing to shift by
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            kept = np.log(np.exp(a - m).sum(axis=axes, keepdims=True)) + m
        out = kept if keepdim else _squeezed(kept, axes)

        def backward(g):  # d logsumexp(x) = softmax(x) = exp(x − logsumexp(x))
            if not keepdim:
                g = np.expand_dims(g, axes)
            with np.errstate(invalid="ignore", over="ignore"):
                return (g * np.exp(a - kept),)

        saved = (self, OUT)
        return _result(
            np.asarray(out, dtype=a.dtype), (self,), backward, "LogsumexpBackward0", saved
        )

    def norm(self, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
        """The p-norm (Σ|x|^p)^(1/p) over `dim` (all elements by default), as torch.norm.

        p=2 (or 'fro') is the Euclidean length; p=1 the sum of |x|; p=inf the largest |x|;
        p=0 counts the non-zeros. The gradient at a zero norm is 0, as in torch.

        >>> tensor([3.0, 4.0]).norm()
        tensor(5.)
        """
        if dtype is not None:
            return self.to(dtype).norm(p, dim, keepdim)
        if isinstance(p, str):
            dims = None if dim is None else (dim if isinstance(dim, (tuple, list)) else [dim])
            if p != "fro" or (dims is not None and len(dims) > 2):
                if p not in ("fro", "nuc"):
                    raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
                if self.ndim < 2:
                    raise RuntimeError(
                        "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
                    )
                if dims is not None and len(dims) != 2:
                    raise RuntimeError(
                        f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}"
                    )
                raise NotImplementedError(
                    "norm(p='nuc'): the nuclear norm (a sum of singular values) is not in "
                    "course_lib"
                )
            p = 2
        if p is None:
            p = 2
        if self._array.dtype.kind != "f":
            raise RuntimeError(
                "linalg.vector_norm: Expected a floating point or complex tensor as input. "
                f"Got {self.dtype.scalar_name}"
            )
        return self._vector_norm(float(p), dim, keepdim)

    def _vector_norm(self, p: float, dim, keepdim: bool) -> Tensor:
        a = self._array
        axes = _reduce_dims(dim, self.ndim)
        x = np.abs(a)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p == math.inf:
                kept = np.max(x, axis=axes, keepdims=True, initial=0)
            elif p == -math.inf:
                kept = np.min(x, axis=axes, keepdims=True)
            elif p == 0:
                kept = (x != 0).sum(axis=axes, keepdims=True).astype(a.dtype)
            elif p == 1:
                kept = x.sum(axis=axes, keepdims=True)
            elif p == 2:
                kept = np.sqrt((x * x).sum(axis=axes, keepdims=True))
            else:
                kept = (x**p).sum(axis=axes, keepdims=True) ** (1 / p)
        kept = kept.astype(a.dtype, copy=False)
        out = kept if keepdim else _squeezed(kept, axes)

        def backward(g):  # torch's vector_norm backward, case by case
            if p == 0:  # a count: no gradient
                return (None,)
            if not keepdim:
                g = g.reshape(kept.shape)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                if p == 1:  # d Σ|x| = sign(x)
                    return (np.sign(a) * g,)
                if p == 2:  # d ‖x‖ = x / ‖x‖, 0 where ‖x‖ = 0
                    return (g * np.where(kept == 0, 0, a / kept),)
                if math.isinf(p):  # d max|x| = sign(x) at the maxima, shared between ties
                    mask = (x == kept) | np.isnan(x)
                    return (np.sign(a) * (g / mask.sum(axis=axes, keepdims=True) * mask),)
                if p < 1:  # d ‖x‖_p = sign(x) |x|^(p−1) ‖x‖^(1−p), 0 where x = 0
                    scaled = np.sign(a) * np.where(a == 0, 0, x ** (p - 1))
                    return (scaled * g * kept ** (1 - p),)
                scale = np.where(kept == 0, 0, g / kept ** (p - 1))
                if p < 2:  # d ‖x‖_p = sign(x) |x|^(p−1) / ‖x‖^(p−1)
                    return (np.sign(a) * x ** (p - 1) * scale,)
                return (a * x ** (p - 2) * scale,)  # the same, written as torch does for p ≥ 2

        saved = (self, OUT)
        return _result(np.asarray(out), (self,), backward, "LinalgVectorNormBackward0", saved)

    # -- indexing: index_select, gather, masked_fill ------------------------------------------

    def index_select(self, dim: int, index: Tensor) -> Tensor:
        """The slices at positions `index` (a 1-D int tensor) along `dim` (torch.index_select).

        Shape: the input's shape with size len(index) at `dim`.
        """
        _check_tensor_arg(index, "index_select", "index", 2)
        d = _wrap_dim(dim, self.ndim)
        i = index._array
        if i.dtype.kind not in "iu" or i.dtype == np.uint8:
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        if i.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        a = self._array
        if a.ndim == 0:
            if i.size != 1:
                raise RuntimeError(
                    f"index_select(): Index to scalar can have only 1 value, got {i.size} value(s)"
                )
            if i.reshape(-1)[0] != 0:
                raise IndexError("index out of range in self")
            out = a.copy()  # a 0-d input gives a 0-d result, whatever the index's shape

            def backward_0d(g):  # the one element was picked
                return (g,)

            return _result(out, (self,), backward_0d, "IndexSelectBackward0", ())
        flat = i.reshape(-1)
        bad = flat[(flat < 0) | (flat >= a.shape[d])]
        if bad.size:
            raise RuntimeError(
                f"INDICES element is out of DATA bounds, id={bad[0]} axis_dim={a.shape[d]}"
            )
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
        if i.dtype.kind not in "iu" or i.dtype == np.uint8:
            raise RuntimeError("gather(): Expected dtype int32/int64 for index")
        if max(i.ndim, 1) != max(a.ndim, 1):
            raise RuntimeError(
                "Index tensor must have the same number of dimensions as input tensor"
            )
        a1, i1 = a.reshape(a.shape or (1,)), i.reshape(i.shape or (1,))
        for k, (n, m) in enumerate(zip(i1.shape, a1.shape, strict=True)):
            if k != d and n > m:
                raise RuntimeError(
                    f"Size does not match at dimension {k} expected index {list(i.shape)} to be "
                    f"no larger than self {list(a.shape)} apart from dimension {d}"
                )
        bad = i1[(i1 < 0) | (i1 >= a1.shape[d])]
        if bad.size:
            raise RuntimeError(
                f"index {bad.flat[0]} is out of bounds for dimension {d} with size {a1.shape[d]}"
            )
        region = tuple(slice(None) if k == d else slice(0, n) for k, n in enumerate(i1.shape))
        out = np.take_along_axis(a1[region], i1.astype(np.int64), axis=d).reshape(i.shape)
        where = list(np.indices(i1.shape, sparse=True))
        where[d] = i1

        def backward(g):  # scatter-add the gradient back to the gathered positions
            ga = np.zeros_like(a1)
            np.add.at(ga[region], tuple(where), g.reshape(i1.shape))
            return (ga.reshape(a.shape),)

        return _result(out, (self,), backward, "GatherBackward0", ())

    def _masked_fill_args(self, mask, value, fn: str):
        """Check masked_fill's arguments as torch does; return the mask's array and the value."""
        if not isinstance(mask, Tensor) or not (isinstance(value, Tensor) or _is_number(value)):
            got = ", ".join(_type_name(x) for x in (mask, value))
            marked = f"Tensor, !{_type_name(value)}!" if isinstance(mask, Tensor) else got
            why = (
                f"      didn't match because some of the arguments have invalid types: ({marked})\n"
            )
            raise TypeError(
                f"{fn}() received an invalid combination of arguments - got ({got}), but "
                f"expected one of:\n * (Tensor mask, Tensor value)\n{why}"
                f" * (Tensor mask, Number value)\n{why}"
            )
        if mask._array.dtype != np.bool_:
            raise RuntimeError(
                "masked_fill_ only supports boolean masks, but got mask with dtype "
                f"{mask.dtype.cpp_name}"
            )
        if isinstance(value, Tensor) and value.ndim != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        return mask._array, value

    def masked_fill(self, mask: Tensor, value) -> Tensor:
        """`value` where `mask` is True, x elsewhere (torch.masked_fill); the mask broadcasts.

        The value is cast to x's dtype. A 0-d tensor value receives the gradient of the filled
        positions; x receives it everywhere else.
        """
        m, v = self._masked_fill_args(mask, value, "masked_fill")
        a = self._array
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

        name = "MaskedFillBackward1" if isinstance(v, Tensor) else "MaskedFillBackward0"
        return _result(out, (self, v if isinstance(v, Tensor) else None), backward, name, ())

    def masked_fill_(self, mask: Tensor, value) -> Tensor:
        """masked_fill, in place: the mask must broadcast to x's shape."""
        m, v = self._masked_fill_args(mask, value, "masked_fill_")
        shape = self._array.shape
        try:
            bshape = np.broadcast_shapes(m.shape, shape)
        except ValueError:
            raise _broadcast_error(m.shape, shape) from None
        if bshape != shape:
            raise RuntimeError(
                f"output with shape {list(shape)} doesn't match the broadcast shape {list(bshape)}"
            )
        name = "MaskedFillBackward1" if isinstance(v, Tensor) else "MaskedFillBackward0"
        return self._apply_in_place(lambda t: t.masked_fill(mask, value), name, v)

    # -- triangles: tril, triu ---------------------------------------------------------------

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims (on and below `diagonal`), zeros above."""
        return self._triangle(diagonal, "tril")

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims (on and above `diagonal`), zeros below."""
        return self._triangle(diagonal, "triu")

    def _triangle(self, diagonal, which: str) -> Tensor:
        if isinstance(diagonal, bool) or not isinstance(diagonal, numbers.Integral):
            raise TypeError(
                f"{which}(): argument 'diagonal' (position 1) must be int, not "
                f"{type(diagonal).__name__}"
            )
        if self.ndim < 2:
            raise RuntimeError(f"{which}: input tensor must have at least 2 dimensions")
        f = np.tril if which == "tril" else np.triu

        def backward(g):  # the kept triangle passes its gradient through, the rest gets 0
            return (f(g, diagonal),)

        return _result(
            f(self._array, diagonal), (self,), backward, f"{which.capitalize()}Backward0"
        )

    def tril_(self, diagonal: int = 0) -> Tensor:
        return self._apply_in_place(lambda t: t.tril(diagonal), "TrilBackward0")

    def triu_(self, diagonal: int = 0) -> Tensor:
        return self._apply_in_place(lambda t: t.triu(diagonal), "TriuBackward0")

    # -- repeat_interleave ---------------------------------------------------------------------

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None) -> Tensor:
        """Repeat each element (or each slice along `dim`) `repeats` times, in place order.

        `repeats` is an int, or an int tensor with one count per slice. Without `dim` the
        input is flattened first. [1, 2].repeat_interleave(2) is [1, 1, 2, 2].
        """
        by_tensor = isinstance(repeats, Tensor)
        if not by_tensor and (
            isinstance(repeats, bool) or not isinstance(repeats, numbers.Integral)
        ):
            got = "" if repeats is None else _type_name(repeats)
            raise TypeError(
                "repeat_interleave() received an invalid combination of arguments - got "
                f"({got}), but expected one of:\n"
                " * (Tensor repeats, int dim = None, *, int output_size = None)\n"
                " * (int repeats, int dim = None, *, int output_size = None)\n"
            )
        if by_tensor:
            r = repeats._array
            if r.dtype.kind not in "iu":
                raise NotImplementedError(
                    f"\"repeat_interleave_cpu\" not implemented for '{repeats.dtype.scalar_name}'"
                )
            if r.ndim > 1:
                raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
            if (r < 0).any():
                raise RuntimeError("repeats can not be negative")
        elif repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
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

        # torch builds an int repeat from a view and a tensor repeat from index_select
        name = "IndexSelectBackward0" if by_tensor else "ViewBackward0"
        return _result(a[where], (x,), backward, name)

    # -- matrix product with a bias: addmm --------------------------------------------------------

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
        return addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmm_(self, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
        """addmm into this tensor, which must already have the result's shape."""
        compute = lambda t: addmm(t, mat1, mat2, beta=beta, alpha=alpha)
        return self._apply_in_place(compute, "AddmmBackward0", mat1, mat2)

    # -- in-place variants: x.exp_() is x.exp() written into x's memory ----------------------

    def _apply_in_place(self, compute, name: str, *others) -> Tensor:
        """Run `compute(x)` out of place and put its values into x: torch's in-place contract.

        torch refuses a result x cannot hold (exp_ of an int tensor, a broadcast to a larger
        shape); those checks come before `_check_inplace`, which marks the write. With a graph,
        the op is recorded as `name` and x takes over its grad_fn.
        """
        with autograd.no_grad():
            values = compute(Tensor._wrap(self._array))._array
        if not np.can_cast(values.dtype, self._array.dtype, casting="same_kind"):
            raise RuntimeError(
                f"result type {from_numpy_dtype(values.dtype).scalar_name} can't be cast to the "
                f"desired output type {self.dtype.scalar_name}"
            )
        if values.shape != self._array.shape:
            raise RuntimeError(
                f"Bad in-place call: input tensor size {list(self.shape)} and output tensor size "
                f"{list(values.shape)} should match"
            )
        _check_inplace(self, bump=False)
        _check_overlap(self)  # an expand()ed tensor cannot take one result per element
        self._vc[0] += 1
        if self._records(*others):
            return self._recorded_in_place(compute, name)
        self._array[...] = values
        return self

    def relu_(self) -> Tensor:
        return self._apply_in_place(Tensor.relu, "ReluBackward0")

    def exp_(self) -> Tensor:
        return self._apply_in_place(Tensor.exp, "ExpBackward0")

    def log_(self) -> Tensor:
        return self._apply_in_place(Tensor.log, "LogBackward0")

    def sqrt_(self) -> Tensor:
        return self._apply_in_place(Tensor.sqrt, "SqrtBackward0")

    def rsqrt_(self) -> Tensor:
        return self._apply_in_place(Tensor.rsqrt, "RsqrtBackward0")

    def abs_(self) -> Tensor:
        return self._apply_in_place(Tensor.abs, "AbsBackward0")

    def neg_(self) -> Tensor:
        return self._apply_in_place(Tensor.neg, "NegBackward0")

    def reciprocal_(self) -> Tensor:
        return self._apply_in_place(Tensor.reciprocal, "ReciprocalBackward0")

    def tanh_(self) -> Tensor:
        return self._apply_in_place(Tensor.tanh, "TanhBackward0")

    def sigmoid_(self) -> Tensor:
        return self._apply_in_place(Tensor.sigmoid, "SigmoidBackward0")

    def cosh_(self) -> Tensor:
        return self._apply_in_place(Tensor.cosh, "CoshBackward0")

    def sinh_(self) -> Tensor:
        return self._apply_in_place(Tensor.sinh, "SinhBackward0")

    def pow_(self, exponent) -> Tensor:
        _check_inplace_broadcast(self, exponent)
        name = "PowBackward1" if isinstance(exponent, Tensor) else "PowBackward0"
        return self._apply_in_place(lambda t: t**exponent, name, exponent)

    __ipow__ = pow_

    def remainder_(self, other) -> Tensor:
        _check_inplace_broadcast(self, other)
        name = "RemainderBackward1" if isinstance(other, Tensor) else "RemainderBackward0"
        return self._apply_in_place(lambda t: t % other, name, other)

    __imod__ = remainder_

    def floor_divide_(self, other) -> Tensor:
        """x //= other, in place (torch records it, with no derivative)."""
        _check_inplace_broadcast(self, other)

        def compute(t):
            out = t // other
            if out._node is not None:
                out._node.backward = _floor_divide_inplace_backward
            return out

        return self._apply_in_place(compute, _NOT_IMPLEMENTED, other)

    __ifloordiv__ = floor_divide_

    # -- in-place shape changes: squeeze_, unsqueeze_, t_, transpose_ ------------------------

    def _reshape_in_place(self, compute, name: str) -> Tensor:
        """The tensor itself takes the new shape: no values move, so nothing is written; with
        a graph, the view op is recorded on a stand-in for the old self, named `name`."""
        _check_inplace(self)
        old = Tensor._wrap(self._array)
        if self._records():
            old._requires_grad, old._node = self._requires_grad, self._node
        out = compute(old)
        self._array = out._array
        if out._node is not None:
            out._node._name = name
            self._node, self._requires_grad = out._node, True
        if self._base is not None:  # still a view, with this history until its memory changes
            self._view_version = self._vc[0]
        return self

    def squeeze_(self, dim=None) -> Tensor:
        name = (
            "SqueezeBackward3"
            if dim is None
            else "SqueezeBackward5"
            if isinstance(dim, (tuple, list))
            else "SqueezeBackward4"
        )
        return self._reshape_in_place(lambda t: t.squeeze(dim), name)

    def unsqueeze_(self, dim: int) -> Tensor:
        return self._reshape_in_place(lambda t: t.unsqueeze(dim), "UnsqueezeBackward1")

    def t_(self) -> Tensor:
        if self.ndim > 2:
            raise RuntimeError(
                f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D"
            )
        return self._reshape_in_place(Tensor.t, "TBackward1")

    def transpose_(self, dim0: int, dim1: int) -> Tensor:
        return self._reshape_in_place(lambda t: t.transpose(dim0, dim1), "TransposeBackward1")

    # -- splitting and selecting views: split, chunk, unbind, narrow, select, movedim, diagonal --

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
            outs.append(out)
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

    # -- square, swapaxes / swapdims, type_as -----------------------------------------------------

    def square(self) -> Tensor:
        """x * x, as torch computes it: pow(x, 2) (PowBackward0; a bool tensor gives int64)."""
        return self**2

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        """NumPy's name for transpose (torch.swapaxes): a view with two dims swapped."""
        return self.transpose(axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        """Another name for transpose (torch.swapdims)."""
        return self.transpose(dim0, dim1)

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in `other`'s dtype (itself when the dtype is already the same)."""
        _check_tensor_arg(other, "type_as", "other", 1)
        return self._cast(other.dtype)


def torch_order_like(values: np.ndarray, target: np.ndarray) -> np.ndarray:
    """`values` (target's shape) read in the order torch fills `target` (see _random.fill)."""
    view = _random.torch_order(target)
    if view is target:
        return np.ascontiguousarray(values)
    axes = sorted(range(target.ndim), key=lambda d: -abs(target.strides[d]))
    return np.ascontiguousarray(values.transpose(axes))


# ----------------------------------------------------------------------------------------------
# helpers that need Tensor
# ----------------------------------------------------------------------------------------------


class device:
    """Where a tensor lives; the course runs on the CPU."""

    def __init__(self, type: str = "cpu"):
        self.type = str(type)

    def __repr__(self) -> str:
        return f"device(type='{self.type}')"

    def __str__(self) -> str:
        return self.type

    def __eq__(self, other) -> bool:
        return str(other) == self.type

    __hash__ = object.__hash__


def _parent(x):
    return x if isinstance(x, Tensor) else None


def _flat_shape(shape) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Size)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


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


def zeros_index(shape):
    return Tensor._wrap(np.zeros(shape, dtype=np.int64))


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


def _check_step(i) -> None:
    if isinstance(i, slice) and i.step is not None:
        if i.step == 0:
            raise ValueError("slice step cannot be zero")
        if i.step < 0:  # torch has no negative strides: flip() copies instead
            raise ValueError("step must be greater than zero")


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
    if split is None:
        a[idx] = v
    else:
        a[split[0]][split[1]] = v


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
    if one_mask and value._array.size == 1:
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


def _index_error_message(e: IndexError, idx, shape) -> str:
    """NumPy's message for a bad index, said the way torch says it."""
    import re

    msg = str(e)
    if m := re.match(r"too many indices for array: array is (\d+)-dimensional", msg):
        return f"too many indices for tensor of dimension {m[1]}"
    if m := re.match(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", msg):
        return f"index {m[1]} is out of bounds for dimension {m[2]} with size {m[3]}"
    if m := re.match(
        r"boolean index did not match indexed array along axis (\d+); size of axis "
        r"is (\d+) but size of corresponding boolean axis is (\d+)",
        msg,
    ):
        return (
            f"The shape of the mask [{m[3]}] at index {m[1]} does not match the shape of the "
            f"indexed tensor [{m[2]}] at index {m[1]}"
        )
    if msg.startswith("arrays used as indices"):
        return "tensors used as indices must be long, int, byte or bool tensors"
    if msg.startswith("only integers, slices"):
        items = idx if isinstance(idx, tuple) else (idx,)
        bad = next(
            (i for i in items if not isinstance(i, (int, slice, type(None), type(Ellipsis)))),
            None,
        )
        return (
            "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
            f"valid indices (got {type(bad).__name__})"
        )
    return msg


# ----------------------------------------------------------------------------------------------
# Matrix products: torch's rank rules and error messages
# ----------------------------------------------------------------------------------------------


def _dtype_check(a: np.ndarray, b: np.ndarray, kernel: str) -> None:
    """No type promotion in dot and bmm: torch's message names the dtypes (mm's and mv's are
    in `_mm_check` and `_mv_check`)."""
    if a.dtype == b.dtype:
        return
    da, db = from_numpy_dtype(a.dtype), from_numpy_dtype(b.dtype)
    if kernel == "dot":
        msg = f"dot : expected both vectors to have same dtype, but found {da.scalar_name} and "
        msg += db.scalar_name
    else:
        msg = f"expected scalar type {da.scalar_name} but found {db.scalar_name}"
    raise RuntimeError(msg)


def _mm_shape_error(a: tuple, b: tuple) -> RuntimeError:
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({a[0]}x{a[1]} and {b[0]}x{b[1]})"
    )


def _bmm_error(expected: tuple, got: tuple) -> RuntimeError:
    return RuntimeError(
        "Expected size for first two dimensions of batch2 tensor to be: "
        f"[{expected[0]}, {expected[1]}] but got: [{got[0]}, {got[1]}]."
    )


def _bool_kernel_check(a: np.ndarray, kernel: str) -> None:
    """torch's matrix kernels have no bool version: the error names the kernel torch ran."""
    if a.dtype == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _mv_check(m: tuple, v: tuple, dm: np.dtype, dv: np.dtype) -> None:
    """torch's mv: the sizes first, then the dtypes, then the kernel."""
    if m[-1] != v[0]:
        raise RuntimeError(f"size mismatch, got input ({m[0]}), mat ({m[0]}x{m[1]}), vec ({v[0]})")
    if dm != dv:
        dm_, dv_ = from_numpy_dtype(dm), from_numpy_dtype(dv)
        raise RuntimeError(
            "addmv input tensors must have the same dtype, but got "
            f"{dv_.scalar_name}, {dm_.scalar_name}, and {dv_.scalar_name}"
        )
    if dm == np.bool_:
        raise NotImplementedError("\"addmv_impl_cpu\" not implemented for 'Bool'")


def _mm_check(m1: tuple, m2: tuple, d1: np.dtype, d2: np.dtype) -> None:
    """torch's mm: the shapes first, then the dtypes, then the kernel."""
    if m1[1] != m2[0]:
        raise _mm_shape_error(m1, m2)
    if d1 != d2:
        d1_, d2_ = from_numpy_dtype(d1), from_numpy_dtype(d2)
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {d1_.cpp_name} != {d2_.cpp_name}"
        )
    if d1 == np.bool_:
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")


def _should_fold(input: Tensor, other: Tensor) -> bool:
    """torch's matmul folds a batch times a matrix (or vector) into one mm (or mv) when the batch
    folds without a copy, or when the smaller operand requires grad (whatever the grad mode)."""
    a, b = input._array, other._array
    larger_a = a.ndim >= b.ndim
    t1 = a if larger_a else np.swapaxes(b, -1, -2)
    if not (t1.ndim >= 3 and (b.ndim if larger_a else a.ndim) <= 2):
        return False
    if (other if larger_a else input)._requires_grad:
        return True
    if a.ndim == 2:
        return False
    if t1.size == 0:
        return True
    x = a if larger_a else b
    shape, strides = list(x.shape), [s // x.itemsize for s in x.strides]
    for i in range(x.ndim - 1, -1, -1):  # an inserted dim: NumPy's stride 0, torch's as below
        if shape[i] == 1 and strides[i] == 0:
            strides[i] = strides[i + 1] * shape[i + 1] if i + 1 < x.ndim else 1
    if not larger_a:
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(x.ndim - 2))


def _folds_batch_of_one(input: Tensor, other: Tensor) -> bool:
    """torch computes (1, m, n) @ (B, n, p) as a[0] @ b when a requires grad."""
    a, b = input._array, other._array
    return a.ndim == b.ndim == 3 and a.shape[0] == 1 and b.shape[0] != 1 and input._requires_grad


def _matmul_check(input: Tensor, other: Tensor) -> None:
    """Raise the error torch raises for these ranks, shapes and dtypes, if any, in torch's order:
    the kernel torch's matmul ends in checks sizes, then dtypes, then that it has a bool version."""
    a, b = input._array, other._array
    if a.ndim == b.ndim == 2 and a.dtype == b.dtype and a.dtype != np.bool_:  # the common case
        if a.shape[1] != b.shape[0]:
            raise _mm_shape_error(a.shape, b.shape)
        return
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    if a.ndim == 1 and b.ndim == 1:  # dot checks the dtypes first
        _dtype_check(a, b, "dot")
        if a.shape != b.shape:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
                "to have the same number of elements, but got "
                f"{a.shape[0]} and {b.shape[0]} elements respectively"
            )
        _bool_kernel_check(a, "dot")
    elif a.ndim == 2 and b.ndim == 1:
        _mv_check(a.shape, b.shape, a.dtype, b.dtype)
    elif a.ndim <= 2 and b.ndim == 2:
        _mm_check(a.shape if a.ndim == 2 else (1, a.shape[0]), b.shape, a.dtype, b.dtype)
    elif _folds_batch_of_one(input, other):  # a[0] @ b, as below
        _mm_check(
            (math.prod(b.shape[:-1]) // b.shape[-2] * b.shape[-1], b.shape[-2]),
            a.shape[:0:-1],
            b.dtype,
            a.dtype,
        )
    elif _should_fold(input, other):  # the larger one folded to a matrix (transposed if b)
        transpose = b.ndim > a.ndim
        t1 = np.swapaxes(b, -1, -2) if transpose else a
        t2 = (a.T if a.ndim == 2 else a) if transpose else b
        folded = (math.prod(t1.shape[:-1]), t1.shape[-1])
        if t2.ndim == 2:
            _mm_check(folded, t2.shape, t1.dtype, t2.dtype)
        else:
            _mv_check(folded, t2.shape, t1.dtype, t2.dtype)
    else:  # batched: broadcast the batch dims, then bmm
        try:
            batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise _broadcast_error(a.shape[:-2], b.shape[:-2]) from None
        k = a.shape[-1]
        rows_b = b.shape[-2] if b.ndim >= 2 else b.shape[0]
        if rows_b != k:
            raise _bmm_error((math.prod(batch), k), (math.prod(batch), rows_b))
        _dtype_check(a, b, "bmm")
        _bool_kernel_check(a, "bmm")


def _matmul_name(input: Tensor, other: Tensor, a: np.ndarray, b: np.ndarray) -> str:
    """The grad_fn torch's matmul ends in beyond the 2-D ranks."""
    if a.ndim == 1 and b.ndim == 2:
        return "SqueezeBackward4"
    if (a.ndim == 2 and b.ndim >= 3 and input._requires_grad) or _folds_batch_of_one(input, other):
        # folded as (bᵀ aᵀ)ᵀ and made contiguous: a copy unless a row or column has one element
        m, p = a.shape[-2], b.shape[-1]
        return "TransposeBackward0" if m == 1 or p == 1 or b.size == 0 else "CloneBackward0"
    return "UnsafeViewBackward0"


_MATMUL_KERNELS = {(2, 2): "MmBackward0", (1, 1): "DotBackward0", (2, 1): "MvBackward0"}


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with torch's rank rules (torch.matmul, the `@` operator).

    1-D·1-D is a dot product (0-d result); a 1-D first argument is a row vector and a 1-D second
    argument a column vector (the added dim is removed again); beyond 2-D the leading dims are
    batch dims, broadcast against each other.

    Shape: (n,)·(n,) → (); (m,n)·(n,) → (m,); (n,)·(n,p) → (p,); (B…,m,n)·(B'…,n,p) → (B″…,m,p).

    >>> matmul(ones(5, 2, 3), ones(3, 4)).shape
    torch.Size([5, 2, 4])
    """
    a, b = input._array, other._array
    _matmul_check(input, other)
    with quiet:  # inf * 0 is nan, silently
        out = _mm2(a, b) if a.ndim == b.ndim == 2 else np.matmul(a, b)
    if type(out) is not np.ndarray:  # a dot product gives a NumPy scalar: make it 0-d
        out = np.asarray(out)
    # the grad_fn is named after the kernel torch's matmul ends in for these ranks
    name = _MATMUL_KERNELS.get((a.ndim, b.ndim)) or _matmul_name(input, other, a, b)

    def backward(g):  # d(A B) = dA B + A dB  →  gA = g Bᵀ, gB = Aᵀ g (summed over broadcast)
        if a.ndim == b.ndim == 1:  # a dot product: g·b and g·a, elementwise (signs as torch)
            return (
                g * b if input._requires_grad else None,
                g * a if other._requires_grad else None,
            )
        A = a[None, :] if a.ndim == 1 else a  # treat vectors as (1,n) rows / (n,1) columns
        B = b[:, None] if b.ndim == 1 else b
        G = g
        if b.ndim == 1:  # column first, so that a 0-d g (dot product) becomes (1, 1)
            G = np.expand_dims(G, -1)
        if a.ndim == 1:
            G = np.expand_dims(G, -2)
        if fold is not None:  # torch's products, whose single-term sums keep a zero's sign
            return _matmul_folded_grads(fold, a, b, G, input._requires_grad, other._requires_grad)
        ga = gb = None
        if input._requires_grad:
            ga = np.matmul(G, np.swapaxes(B, -1, -2))
            ga = unbroadcast(ga, A.shape).reshape(a.shape)
        if other._requires_grad:
            gb = np.matmul(np.swapaxes(A, -1, -2), G)
            gb = unbroadcast(gb, B.shape).reshape(b.shape)
        return ga, gb

    fold = "mm" if b.ndim == 2 and a.ndim <= 2 else _matmul_fold(input, other)
    return _result(out, (input, other), backward, name, _mm_saved(input, other))


def _matmul_fold(input: Tensor, other: Tensor) -> str | None:
    """Which matrix product torch's matmul computes, where its gradients' zeros differ from
    NumPy's batched matmul: 'mm' (both 2-D, or a vector row), 'mv' (a matrix or folded batch
    times a vector), 'a' / 'b' (that operand's batch folded into one mm), 'bv' (a vector times a
    folded batch); None for a batched bmm."""
    a, b = input._array, other._array
    if a.ndim == 1 and b.ndim == 1:
        return None
    if b.ndim == 1:
        return "mv" if a.ndim == 2 or _should_fold(input, other) else None
    if a.ndim >= 3 and b.ndim == 2:
        return "a" if _should_fold(input, other) else None
    if a.ndim <= 2 and b.ndim >= 3 and _should_fold(input, other):
        return "b" if a.ndim == 2 else "bv"
    return None


def _matmul_folded_grads(fold: str, a, b, G, grad_a: bool, grad_b: bool) -> tuple:
    """The gradients of matmul as torch's mm / mv compute them (G has a's and b's vector dims
    expanded, as in `matmul`'s backward)."""
    ga = gb = None
    if fold == "mm":  # A (1 or m, n) @ b (n, p)
        A = a[None, :] if a.ndim == 1 else a
        if grad_a:
            ga = _mm2(G, b.T).reshape(a.shape)
        if grad_b:
            gb = _mm2(A.T, G)
    elif fold == "mv":  # a folded to (rows, n) @ b (n,): a's gradient is an outer product
        n = a.shape[-1]
        if grad_a:
            ga = G * b  # G is (..., m, 1)
        if grad_b:
            gb = a.reshape(-1, n).T @ G.reshape(-1)
    elif fold == "a":  # a folded to (rows, n) @ b (n, p)
        n, p = b.shape
        G2 = G.reshape(-1, p)
        if grad_a:
            ga = _mm2(G2, b.T).reshape(a.shape)
        if grad_b:
            gb = _mm2(a.reshape(-1, n).T, G2)
    elif fold == "b":  # (bᵀ folded to (rows, n)) @ aᵀ, transposed back
        m, n = a.shape
        t1 = np.swapaxes(b, -1, -2).reshape(-1, n)
        g_t = np.swapaxes(G, -1, -2).reshape(-1, m)
        if grad_a:
            ga = _mm2(t1.T, g_t).T
        if grad_b:
            gb = np.swapaxes(_mm2(g_t, a).reshape(b.shape[:-2] + b.shape[:-3:-1]), -1, -2)
    else:  # "bv": (bᵀ folded to (rows, n)) @ a: b's gradient is an outer product
        n = a.shape[0]
        g_t = np.swapaxes(G, -1, -2)  # (..., p, 1)
        if grad_a:
            ga = np.swapaxes(b, -1, -2).reshape(-1, n).T @ g_t.reshape(-1)
        if grad_b:
            gb = np.swapaxes(g_t * a, -1, -2)
    return ga, gb


def _mm2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b of two matrices, as torch's mm: with an inner size of 1 (and an outer product that
    is not a single row or column) each entry is one product, so a zero keeps its sign (-0.),
    where NumPy's matmul adds it to +0."""
    if a.shape[1] == 1 and a.shape[0] > 1 and b.shape[1] > 1:
        return a * b
    return a @ b


def _mm_saved(a: Tensor, b: Tensor) -> tuple:
    """A product saves b to give a its gradient, and a to give b its gradient."""
    return (b if a._requires_grad else None, a if b._requires_grad else None)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Product of two matrices, 2-D only, no broadcasting (torch.mm).

    Shape: (m, n)·(n, p) → (m, p).
    """
    a, b = input._array, mat2._array
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _mm_check(a.shape, b.shape, a.dtype, b.dtype)

    def backward(g):  # gA = g Bᵀ, gB = Aᵀ g
        ga = g @ b.T if input._requires_grad else None
        gb = a.T @ g if mat2._requires_grad else None
        return ga, gb

    with quiet:
        out = _mm2(a, b)
    return _result(out, (input, mat2), backward, "MmBackward0", _mm_saved(input, mat2))


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched product of 3-D tensors with equal batch sizes, no broadcasting (torch.bmm).

    Shape: (B, m, n)·(B, n, p) → (B, m, p).
    """
    a, b = input._array, mat2._array
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if b.shape[:2] != (a.shape[0], a.shape[2]):
        raise _bmm_error((a.shape[0], a.shape[2]), b.shape[:2])
    _dtype_check(a, b, "bmm")
    _bool_kernel_check(a, "bmm")

    def backward(g):  # per batch: gA = g Bᵀ, gB = Aᵀ g
        ga = g @ np.swapaxes(b, 1, 2) if input._requires_grad else None
        gb = np.swapaxes(a, 1, 2) @ g if mat2._requires_grad else None
        return ga, gb

    with quiet:
        out = a @ b
    return _result(out, (input, mat2), backward, "BmmBackward0", _mm_saved(input, mat2))


# ----------------------------------------------------------------------------------------------
# Joining tensors
# ----------------------------------------------------------------------------------------------


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


# ----------------------------------------------------------------------------------------------
# Argument handling for the API blocks of Tensor: torch's messages, NumPy's keyword names
# ----------------------------------------------------------------------------------------------


def _type_name(x) -> str:
    """How torch's argument parser names a value's type: Tensor, int, float, list, NoneType."""
    return "Tensor" if isinstance(x, Tensor) else type(x).__name__


def _got(args: tuple, kwargs: dict) -> str:
    """The arguments as torch's "received an invalid combination" message lists them."""
    kw = [f"{k}={_type_name(v)}" for k, v in reversed(kwargs.items())]
    return ", ".join([_type_name(a) for a in args] + kw) + (", " if kw and not args else "")


def _check_tensor_arg(x, fn: str, arg: str, pos: int) -> None:
    """`maximum(): argument 'other' (position 2) must be Tensor, not float`, as torch says it."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}"
        )


def _by_name(input, other, fn: str, op, rop) -> Tensor:
    """torch.mul(a, b) and friends: a Tensor or a number on either side, torch's TypeError for
    anything else (the operators would say 'unsupported operand type')."""
    if not isinstance(input, Tensor):
        if not _is_number(input) or not isinstance(other, Tensor):
            _check_tensor_arg(input, fn, "input", 1)
        return rop(other, input)
    if not isinstance(other, Tensor) and not _is_number(other):
        _check_tensor_arg(other, fn, "other", 2)
    return op(input, other)


def _add_sub(input, other, alpha, fn: str) -> Tensor:
    """input + alpha * other (torch.add) or input - alpha * other (torch.sub)."""
    if type(alpha) is int and alpha == 1 and isinstance(input, Tensor):
        if fn == "add":
            return _by_name(input, other, fn, Tensor.__add__, Tensor.__radd__)
        return _by_name(input, other, fn, Tensor.__sub__, Tensor.__rsub__)
    for x, arg, pos in ((input, "input", 1), (other, "other", 2)):
        if not isinstance(x, Tensor) and not (_is_number(x) and _is_number(alpha)):
            _check_tensor_arg(x, fn, arg, pos)
    a, b = _arr(input), _arr(other)
    if fn == "sub":
        _check_bool_sub(a, b)
    dt = result_type(a, b)
    if dt.kind != "b" and isinstance(alpha, bool):
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if dt.kind in "iub" and isinstance(alpha, float):
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )
    if dt.kind == "b":  # bool tensors: alpha counts as a bool too (-1 is True)
        alpha = bool(alpha)
    scaled = b * alpha if _is_number(b) else _elementwise(np.multiply, b, alpha)
    out = _elementwise(np.add if fn == "add" else np.subtract, a, scaled).astype(dt, copy=False)
    sign = 1 if fn == "add" else -1

    def backward(g):  # d(a ± alpha b) = da ± alpha db
        return unbroadcast(g, np.shape(a)), unbroadcast(g * (sign * alpha), np.shape(b))

    name = "AddBackward0" if fn == "add" else "SubBackward0"
    if not isinstance(input, Tensor):  # a number first: only `other` can carry a gradient
        return _result(out, (_parent(other),), lambda g: backward(g)[1:], name)
    return _result(out, (input, _parent(other)), backward, name)


def _div(input, other, rounding_mode=DEFAULT) -> Tensor:
    """input / other; rounding_mode='trunc' rounds toward zero, 'floor' down (torch.div)."""
    if (rounding_mode is DEFAULT or rounding_mode is None) and _is_number(input):
        _check_tensor_arg(other, "div", "other", 2)
        b = other._array
        out = _elementwise(np.true_divide, input, b, true_div=True)

        def backward(g):  # d(n / b) = -n db / b^2
            return (-g * input / (b * b),)

        name = "DivBackward0" if rounding_mode is DEFAULT else "DivBackward2"
        return _result(out, (other,), backward, name, (other,))
    if rounding_mode is DEFAULT or rounding_mode is None:
        out = _by_name(input, other, "div", Tensor.__truediv__, Tensor.__rtruediv__)
        if rounding_mode is None and out._node is not None:
            out._node._name = "DivBackward2"
        return out
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    if not isinstance(other, Tensor) and not (_is_number(other) and isinstance(input, Tensor)):
        _check_tensor_arg(other, "div", "other", 2)
    if not isinstance(input, Tensor) and not _is_number(input):
        _check_tensor_arg(input, "div", "input", 1)
    a, b = _arr(input), _arr(other)
    _check_int_divisor(a, b, f"div_{rounding_mode}_cpu")
    if rounding_mode == "floor":
        out = _elementwise(np.floor_divide, a, b)
    elif result_type(a, b).kind in "iu":  # toward zero: floor, plus one where it rounded down
        q = _elementwise(np.floor_divide, a, b)
        out = q + ((q < 0) & (q * b != a))
    else:
        out = _elementwise(lambda x, y: np.trunc(np.true_divide(x, y)), a, b)

    def backward(g):  # a rounded quotient is flat almost everywhere: no gradient, as in torch
        return tuple(
            np.zeros(np.shape(x), dtype=g.dtype) if isinstance(t, Tensor) else None
            for x, t in ((a, input), (b, other))
        )

    return _result(np.asarray(out), (_parent(input), _parent(other)), backward, "DivBackward2")


def _squeezed(kept: np.ndarray, axes) -> np.ndarray:
    """A keepdim=True reduction result with the reduced dims dropped again."""
    return kept.reshape(()) if axes is None else np.squeeze(kept, axis=axes)


_SPREAD_OVERLOADS = (
    " * (tuple of ints dim, bool unbiased = True, bool keepdim = False)\n"
    " * (tuple of ints dim = None, *, Number correction = None, bool keepdim = False)\n"
    " * (bool unbiased = True)\n"
)


def _spread_args(fn: str, args: tuple, kwargs: dict) -> tuple:
    """(dim, correction, keepdim) from torch's three std/var signatures:

    std(dim=None, *, correction=1, keepdim=False), std(dim, unbiased=True, keepdim=False) and
    std(unbiased=True). `unbiased=False` is `correction=0`.
    """

    given = _got(args, kwargs)  # as given, before positional arguments are named below

    def invalid():
        got = given
        return TypeError(
            f"{fn}() received an invalid combination of arguments - got ({got}), but expected "
            f"one of:\n{_SPREAD_OVERLOADS}"
        )

    kwargs = dict(kwargs)
    for numpy_name, torch_name in (("axis", "dim"), ("keepdims", "keepdim")):  # NumPy's names
        if numpy_name in kwargs and torch_name not in kwargs:
            kwargs[torch_name] = kwargs.pop(numpy_name)
    if set(kwargs) - {"dim", "unbiased", "correction", "keepdim"}:
        raise invalid()
    if args and isinstance(args[0], bool):  # std(True): the bool is `unbiased`
        if len(args) > 1 or kwargs.keys() - {"unbiased"} or "unbiased" in kwargs:
            raise invalid()
        dim, unbiased, keepdim, correction = None, args[0], False, None
    else:
        if len(args) > 3:
            raise invalid()
        names = ("dim", "unbiased", "keepdim")[: len(args)]
        if set(names) & set(kwargs):
            raise invalid()
        kwargs.update(zip(names, args, strict=True))
        dim, keepdim = kwargs.get("dim"), kwargs.get("keepdim", False)
        unbiased, correction = kwargs.get("unbiased"), kwargs.get("correction")
        if unbiased is not None and correction is not None:
            raise invalid()
    ok_dim = dim is None or (
        isinstance(dim, numbers.Integral)
        or isinstance(dim, (tuple, list))
        and all(isinstance(d, numbers.Integral) for d in dim)
    )
    if (
        not ok_dim
        or isinstance(dim, bool)
        or not isinstance(keepdim, bool)
        or (unbiased is not None and not isinstance(unbiased, bool))
        or (correction is not None and not _is_number(correction))
    ):
        raise invalid()
    if unbiased is not None:
        correction = 1 if unbiased else 0
    return dim, 1 if correction is None else correction, keepdim


def _numpy_names(fn, name: str):
    """torch also accepts NumPy's keyword names: `axis=` for `dim=`, `keepdims=` for `keepdim=`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if "axis" in kwargs or "keepdims" in kwargs:
            for numpy_name, torch_name in (("axis", "dim"), ("keepdims", "keepdim")):
                if numpy_name in kwargs:
                    # args[0] is the tensor (or the list of tensors): args[1] is a positional dim
                    if torch_name in kwargs or (torch_name == "dim" and len(args) > 1):
                        raise TypeError(
                            f"{name}() got an unexpected keyword argument '{numpy_name}'"
                        )
                    kwargs[torch_name] = kwargs.pop(numpy_name)
        return fn(*args, **kwargs)

    return wrapper


for _name in (  # std and var read these names themselves (_spread_args)
    "sum", "mean", "max", "min", "argmax", "argmin", "amax", "amin", "logsumexp",
    "softmax", "log_softmax", "squeeze", "unsqueeze", "size", "index_select", "gather",
    "repeat_interleave",
):  # fmt: skip
    setattr(Tensor, _name, _numpy_names(getattr(Tensor, _name), _name))
cat, stack = _numpy_names(cat, "cat"), _numpy_names(stack, "stack")


# ----------------------------------------------------------------------------------------------
# addmm and einsum
# ----------------------------------------------------------------------------------------------


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """beta · input + alpha · (mat1 @ mat2) (torch.addmm): nn.Linear's op with a bias.

    `input` broadcasts to the product's shape; with beta=0 it is ignored (nan included).
    Shape: (n, m) @ (m, p) → (n, p).
    """
    for k, (x, arg) in enumerate(((input, "input"), (mat1, "mat1"), (mat2, "mat2")), 1):
        _check_tensor_arg(x, "addmm", arg, k)
    a, b, c = mat1._array, mat2._array, input._array
    for x, arg in ((a, "mat1"), (b, "mat2")):
        if x.ndim != 2:
            raise RuntimeError(f"{arg} must be a matrix, got {x.ndim}-D tensor")
    if c.dtype != b.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {input.dtype.scalar_name} and "
            f"{mat2.dtype.scalar_name}"
        )
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {mat1.dtype.scalar_name} and "
            f"{mat2.dtype.scalar_name}"
        )
    if a.shape[1] != b.shape[0]:
        raise _mm_shape_error(a.shape, b.shape)
    shape = (a.shape[0], b.shape[1])
    input.expand(shape)  # torch's error when the bias does not broadcast to the product
    if c.dtype.kind != "f":  # integer tensors take integer factors
        beta, alpha = int(beta), int(alpha)
    with quiet:  # inf * 0 is nan, silently
        product = (
            a @ b if alpha == 1 else alpha * (a @ b) if alpha != 0 else np.zeros(shape, a.dtype)
        )
        out = product if beta == 0 else product + (c if beta == 1 else beta * c)
    out = np.broadcast_to(out, shape).astype(c.dtype, copy=False)

    def backward(g):  # d(beta C + alpha A B): beta g (summed to C's shape), alpha g Bᵀ, alpha Aᵀ g
        gc = unbroadcast(beta * g, c.shape) if input._requires_grad else None
        ga = alpha * (g @ b.T) if mat1._requires_grad else None
        gb = alpha * (a.T @ g) if mat2._requires_grad else None
        return gc, ga, gb

    saved = _mm_saved(mat1, mat2)
    return _result(
        np.ascontiguousarray(out), (input, mat1, mat2), backward, "AddmmBackward0", saved
    )


def _einsum_parse(equation: str, shapes: list) -> tuple[list, str, str]:
    """Terms (one letter per dim; ellipses spelled out with unused letters), the output, and
    the letters that stand for the ellipsis dims."""
    letters = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    arrow = equation.find("->")
    for k, ch in enumerate(equation):
        if ch in letters or ch in ",. " or (arrow >= 0 and k in (arrow, arrow + 1)):
            continue
        raise RuntimeError(
            f"einsum(): invalid subscript given at index {k} in the equation string, "
            "subscripts must be in [a-zA-Z]"
        )
    eq = equation.replace(" ", "")
    lhs, _, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    free = sorted(letters - set(eq))
    ell_ndim = 0
    for i, (term, shape) in enumerate(zip(terms, shapes, strict=True)):
        n = len(term.replace("...", ""))
        if "..." not in term and n != len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) does not match the "
                f"number of dimensions ({len(shape)}) for operand {i} and no ellipsis was given"
            )
        if n > len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) is more than the "
                f"number of dimensions ({len(shape)}) for operand {i}"
            )
        if "..." in term:
            ell_ndim = max(ell_ndim, len(shape) - n)
    ell = "".join(free[:ell_ndim])  # the ellipsis dims, aligned from the right as broadcasting
    spelled = []
    for term, shape in zip(terms, shapes, strict=True):
        k = len(shape) - len(term.replace("...", ""))
        spelled.append(term.replace("...", ell[ell_ndim - k :] if k else ""))
    if "->" in eq:
        out = rhs.replace("...", ell)
        for ch in out:
            if out.count(ch) > 1:
                raise RuntimeError(
                    f"einsum(): output subscript {ch} appears more than once in the output"
                )
            if not any(ch in t for t in spelled):
                raise RuntimeError(
                    f"einsum(): output subscript {ch} does not appear in the equation for any "
                    "input operand"
                )
    else:  # implicit output: the ellipsis dims, then the letters used once, in alphabetical order
        used = "".join(terms).replace(".", "")
        out = ell + "".join(sorted(ch for ch in set(used) if used.count(ch) == 1))
    return spelled, out, ell


def einsum(equation: str, *operands) -> Tensor:
    """Einstein summation (torch.einsum): name each dim with a letter; letters shared between
    operands are multiplied together, letters missing from the output are summed over.

    'ij,jk->ik' is a matrix product, 'bij,bjk->bik' a batched one, 'ii->i' a diagonal,
    'ij->ji' a transpose. '...' stands for the leading (broadcast) dims.

    >>> einsum("i,i->", tensor([1.0, 2.0]), tensor([3.0, 4.0]))
    tensor(11.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, or at least "
            "one operand and its subscripts list"
        )
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 1, but got {type(op).__name__}"
            )
    terms, out_term, ell = _einsum_parse(equation, [op.shape for op in operands])
    size: dict = {}
    for i, (term, op) in enumerate(zip(terms, operands, strict=True)):
        seen: dict = {}
        for ch, n in zip(term, op.shape, strict=True):
            if ch in seen and seen[ch] != n:
                raise RuntimeError(
                    f"einsum(): subscript {ch} is repeated for operand {i} but the sizes don't "
                    f"match, {n} != {seen[ch]}"
                )
            seen[ch] = n
            if n != 1 and size.get(ch, 1) not in (1, n):
                if ch in ell:
                    raise RuntimeError(
                        f"einsum(): dimension {term.index(ch)} covered by ellipsis in operand {i}"
                        f"has size {n} which does not broadcast with previously seen ellipsis "
                        f"with size {size[ch]} for the respective dimension"
                    )
                raise RuntimeError(
                    f"einsum(): subscript {ch} has size {n} for operand {i} which does not "
                    f"broadcast with previously seen size {size[ch]}"
                )
            size[ch] = n if size.get(ch, 1) == 1 else size[ch]
    first = operands[0].dtype
    for op in operands[1:]:
        if op.dtype != first:
            raise RuntimeError(
                f"expected scalar type {first.scalar_name} but found {op.dtype.scalar_name}"
            )
    # broadcast size-1 dims to the common size, then let NumPy do the sum of products
    arrays = [
        np.broadcast_to(op._array, [size[ch] for ch in term])
        for term, op in zip(terms, operands, strict=True)
    ]
    spec = f"{','.join(terms)}->{out_term}"
    out = np.asarray(np.einsum(spec, *arrays, optimize=len(arrays) > 2))

    def backward(g):  # d/dX_k: the same sum with X_k left out and the output's gradient put in
        grads = []
        for k, (term, op) in enumerate(zip(terms, operands, strict=True)):
            if not op._requires_grad:
                grads.append(None)
                continue
            others = [(t, x) for j, (t, x) in enumerate(zip(terms, arrays, strict=True)) if j != k]
            unique = "".join(dict.fromkeys(term))
            present = set(out_term).union(*(t for t, _ in others))
            keep = "".join(ch for ch in unique if ch in present)
            subs = ",".join([out_term] + [t for t, _ in others])
            gk = np.einsum(f"{subs}->{keep}", g, *(x for _, x in others), optimize=len(others) > 1)
            missing = "".join(ch for ch in unique if ch not in present)  # summed within X_k only
            gk = gk.reshape(gk.shape + (1,) * len(missing))
            gk = np.transpose(gk, [(keep + missing).index(ch) for ch in unique])
            gk = np.broadcast_to(gk, [size[ch] for ch in unique])
            if len(unique) < len(term):  # a repeated letter: the gradient sits on a diagonal
                full = np.zeros([size[ch] for ch in term], dtype=g.dtype)
                np.einsum(f"{term}->{unique}", full)[...] = gk  # a writable diagonal view
                gk = full
            grads.append(_unbroadcast_dims(gk, op.shape))
        return tuple(grads)

    # torch's einsum ends in a different op depending on what the equation does
    summed = set("".join(terms)) - set(out_term)
    if len(operands) == 1:
        name = "SumBackward1" if summed else "PermuteBackward0"
    else:
        name = "ViewBackward0" if summed else "MulBackward0"
    return _result(out, tuple(operands), backward, name, tuple(operands))


def _unbroadcast_dims(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum `grad` over the dims where `shape` has size 1 (same number of dims)."""
    axes = tuple(i for i, (n, m) in enumerate(zip(shape, grad.shape, strict=True)) if n != m)
    return (grad.sum(axis=axes, keepdims=True) if axes else grad).copy()  # 0-d stays 0-d


# ----------------------------------------------------------------------------------------------
# helpers of the splitting and selecting views
# ----------------------------------------------------------------------------------------------


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


def _multi_output_error(t: Tensor, indirect: bool = False, op: str | None = None) -> RuntimeError:
    """torch forbids in-place changes to an output of split/chunk/unbind (or a view of one) in
    grad mode: its backward covers all the outputs at once. `op`: the view op that writes (x[0] =
    ... on it: Select); `indirect`: the base or another view was changed instead."""
    name = op or (t._node._name if t._node is not None else None)
    if name is None:
        what = "A view was created in no_grad mode and"
        done = "is being modified inplace with grad mode enabled"
    else:
        what = f"Output {t._multi_output if op is None else 0} of {name.rsplit('Backward', 1)[0]} is a view and"
        done = "is being modified inplace"
    if indirect:
        done = "its base or another view of its base has been modified inplace"
    return RuntimeError(
        f"{what} {done}. This view is the output of a function that returns multiple views. "
        "Such functions do not allow the output views to be modified inplace. You should replace "
        "the inplace operation by an out-of-place one."
    )


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
