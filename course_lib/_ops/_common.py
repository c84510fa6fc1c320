"""What every op uses: `_result` wraps an op's output and records its backward as the
output's grad_fn; `unbroadcast` sums a gradient back to an input's shape; `_check_inplace` guards
and counts in-place writes; `_view_node` routes a view's gradient to its base.
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings

import numpy as np

from .. import autograd
from ..autograd import Node

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


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

    # `quiet` as two plain calls, for the hottest path (a small matmul): on() returns a token
    _quiet_on = functools.partial(_extobj_contextvar.set, _make_extobj(all="ignore"))
    _quiet_off = _extobj_contextvar.reset
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

    def _quiet_on():
        quiet.__enter__()

    def _quiet_off(token):
        quiet.__exit__(None, None, None)


_warned: set[str] = set()  # the warnings already given: torch gives each once per process


# torch's node for an op it cannot differentiate
_NOT_IMPLEMENTED = "torch::autograd::NotImplemented"


OUT = object()  # in `saved=`: the op's own output (torch saves e.g. exp's result, not its input)


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


def _warn_once(message: str, stacklevel: int = 3) -> None:
    """A UserWarning the first time only, as torch's TORCH_WARN_ONCE: later calls stay silent,
    whatever the warning filters say (a warning filtered away the first time is used up too)."""
    if message in _warned:
        return
    _warned.add(message)
    warnings.warn(message, UserWarning, stacklevel=stacklevel)


def _is_number(x) -> bool:
    return isinstance(x, (numbers.Number, np.bool_)) and not isinstance(x, np.ndarray)


def _py_number(x):
    return x.item() if isinstance(x, np.generic) else x


def _arr(x):
    """The NumPy array of a Tensor, or the Python number itself."""
    return x._array if isinstance(x, Tensor) else x


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
                out._inference = p._inference  # a view is an inference tensor if its base is
                if p._requires_grad and not autograd._grad_enabled:
                    out._nograd_view, out._requires_grad = 1, True  # as torch: see _nograd_error
                    out._inference_view = autograd._inference_mode
                elif p._nograd_view:
                    out._nograd_view = 2  # a view of such a view
                    out._inference_view = p._inference_view
                if p._multi_output is not None and autograd._grad_enabled:
                    out._multi_output = 0  # a view of a split/chunk/unbind output: as strict
                break
    if autograd._grad_enabled:
        for p in parents:  # a plain loop: this runs once per op, a generator costs more
            if p is not None and p._requires_grad:
                if p._inference:
                    _inference_parents(parents, name)
                out._requires_grad = True
                out._node = Node(
                    name, parents, backward, None if saved is None else _save(saved, out)
                )
                break
    return out


def _recorded(array: np.ndarray, parents: tuple, backward, name: str, saved=None) -> Tensor:
    """`array` as a tensor made by the op `name` from `parents`, recorded when one of them
    requires grad (in grad mode). Unlike `_result`, it never makes the tensor a view of a
    parent: for the inner nodes of an op that torch records as several (linear, matmul,
    cross_entropy), whose output the user holds is not a view either."""
    out = Tensor._wrap(array)
    if autograd._grad_enabled and any(p is not None and p._requires_grad for p in parents):
        if any(p is not None and p._inference for p in parents):
            _inference_parents(parents, name)
        out._requires_grad = True
        out._node = Node(name, parents, backward, None if saved is None else _save(saved, out))
    return out


def _inference_parents(parents: tuple, name: str) -> None:
    """An inference tensor that requires grad (made with requires_grad=True inside
    inference_mode()) used outside the mode: when every tensor input is one, torch records no
    graph for some ops (exp, sum) and does for others (x * 2): course_lib does not model which."""
    if all(p is None or p._inference for p in parents):
        raise NotImplementedError(
            f"{name.rsplit('Backward', 1)[0]} of inference tensors that require grad, outside "
            "inference_mode(): course_lib does not model whether torch records it. Make a normal "
            "tensor first: t.detach().clone().requires_grad_()"
        )


def _shares_memory(array: np.ndarray, parent: np.ndarray) -> bool:
    """Whether `array` (a NumPy view) shows `parent`'s memory; an empty view shows none of it,
    but is a view of it all the same (x[2:] of a 2-element x), as NumPy's base tells."""
    if array.size == 0:  # follow NumPy's bases (as_strided puts a holder in between)
        base = array.base
        while base is not None:
            if base is parent or (parent.base is not None and base is parent.base):
                return True
            base = getattr(base, "base", None)
        return False
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
            if t._inference:
                raise RuntimeError(_SAVED_INFERENCE)
            entries.append((t, t._vc, t._vc[0]))
    return tuple(entries)


_SAVED_INFERENCE = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`."
)


def _check_inplace(t: Tensor, bump: bool = True) -> None:
    """Every in-place op calls this before it writes: torch refuses in-place changes to a leaf
    that requires grad, or to a view of one; then the version counter of the memory goes up
    (`bump=False` for an op that still has argument checks to make: it bumps just before it
    writes), so that backward can tell a saved tensor was changed. An inference tensor may only
    change inside inference_mode()."""
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
    if t._inference and not t._inference_alias and not autograd._inference_mode:
        raise RuntimeError(
            "Inplace update to inference tensor outside InferenceMode is not allowed.You can make "
            "a clone to get a normal tensor before doing inplace update.See "
            "https://github.com/pytorch/rfcs/pull/17 for more details."
        )
    if bump:
        t._vc[0] += 1


def _nograd_error(t: Tensor, indirect: bool = False, op: str | None = None) -> RuntimeError:
    """A view made under no_grad of a tensor that requires grad requires grad but records no
    history; torch forbids changing it (or its base: `indirect`) in place in grad mode. `op`: the
    view op of a view of it (x[0] = ... on it: Select)."""
    if t._inference_view:  # made inside inference_mode(), which torch names instead
        done = (
            "its base or another view of its base has been modified"
            if indirect
            else "is being modified"
        )
        return RuntimeError(
            f"A view was created in inference mode and {done} inplace in normal mode. Given that "
            "this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
            "code by moving both the view and the inplace either both inside the inference_mode "
            "block (if you don't want the inplace to be tracked) or both outside (if you want "
            "the inplace to be tracked)."
        )
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


def _parent(x):
    return x if isinstance(x, Tensor) else None


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


def _layout(like: np.ndarray) -> list | None:
    """The dims of `like`, outermost first, in the order torch's preserve_format lays out a copy
    of it (clone, zeros_like, rand_like, ...): by decreasing stride, where an expanded dim
    (stride 0) keeps its place; None when that is plain C order. Insertion sort as torch's:
    a stride of 0 compares as undecided, equal strides put the smaller dim inside."""
    if like.flags.c_contiguous:
        return None
    shape, strides = like.shape, like.strides

    def outside(d0: int, d1: int) -> int:  # 1: d0 lies outside d1; -1: inside; 0: undecided
        if strides[d0] == 0 or strides[d1] == 0:
            return 0
        if strides[d0] != strides[d1]:
            return 1 if strides[d0] > strides[d1] else -1
        return 1 if shape[d0] > shape[d1] else 0

    inner_first = list(range(like.ndim - 1, -1, -1))
    for i in range(1, like.ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            order = outside(inner_first[d0], inner_first[d1])
            if order > 0:
                inner_first[d0], inner_first[d1] = inner_first[d1], inner_first[d0]
                d1 = d0
            elif order < 0:
                break
    outer_first = inner_first[::-1]
    return None if outer_first == sorted(outer_first) else outer_first


def _laid_out_like(values: np.ndarray, like: np.ndarray) -> np.ndarray:
    """`values` (a new C-ordered array of like's shape) moved into the layout of a copy of
    `like` (`_layout`), keeping their memory order: rand_like of a transposed tensor fills
    memory as torch's generator does, so its values differ from rand of the same shape."""
    dims = _layout(like)
    if dims is None:
        return values
    return values.reshape([like.shape[d] for d in dims]).transpose(np.argsort(dims))


def _copy_laid_out(a: np.ndarray) -> np.ndarray:
    """A copy of `a` in the layout torch's clone gives it (`_layout`)."""
    dims = _layout(a)
    if dims is None:
        return a.copy()
    out = np.empty([a.shape[d] for d in dims], a.dtype).transpose(np.argsort(dims))
    out[...] = a
    return out
