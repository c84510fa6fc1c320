"""Reverse-mode automatic differentiation: grad mode, the graph node, and the backward walk.

Every differentiable op in `_ops/` computes its output with NumPy and, when gradients are
being recorded, attaches a `Node` to it: the tensors it was computed from (`parents`) and a
`backward(g)` function that turns the gradient of the output into one gradient per parent.
`backward()` below sorts the graph topologically and walks it from the output to the leaves,
summing gradients where a tensor was used more than once; leaves accumulate theirs into `.grad`.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import sys
from collections.abc import Callable

import numpy as np

from ._dtypes import from_numpy_dtype

_grad_enabled = True


def is_grad_enabled() -> bool:
    """True unless inside `no_grad()` (torch.is_grad_enabled)."""
    return _grad_enabled


class set_grad_enabled:
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


class no_grad(_GradMode):
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


class enable_grad(_GradMode):
    """Context manager that turns gradient recording back on inside `no_grad()`."""

    mode = True


_FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward."
)


_sequence = itertools.count()


class Node:
    """The `grad_fn` of a tensor produced by a differentiable op.

    `parents` are the input tensors (None for Python numbers), `backward(g)` returns one gradient
    (a NumPy array, or None) per parent, each with that parent's shape.

    `next` is where each parent's gradient goes, fixed when the op runs (as torch's edges): the
    parent's grad_fn at that moment, the parent itself if it was a leaf that required grad, or
    None. So a later in-place op on a parent, or a later `requires_grad_()`, changes nothing for
    this node. `saved` lists what backward needs from the forward pass, as (tensor, version
    counter, version when saved); None when it needs nothing, and such a node may run again
    after backward has freed the graph.
    """

    # `inner`, set on a CopySlices node only: the in-place op it runs on the view's region
    __slots__ = (
        "_name",
        "parents",
        "backward",
        "next",
        "saved",
        "freed",
        "retained",
        "inner",
        "seq",
    )

    def __init__(self, name: str, parents: tuple, backward: Callable, saved=None):
        self._name = name
        self.parents = parents
        self.backward = backward
        edges = []
        for p in parents:
            if p is None or not p._requires_grad:
                edges.append(None)
            elif p._base is None:
                edges.append(p._node or p)  # a leaf: p itself
            else:  # a view made under no_grad has no history and gets no gradient
                edges.append(p._history() or (None if p._nograd_view == 1 else p))
        self.next = tuple(edges)
        self.saved = saved
        self.freed = False
        self.retained = None  # the tensor whose retain_grad() asks for this node's gradient
        self.seq = next(_sequence)  # creation order: backward runs later nodes first, as torch

    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:  # torch shows the class name: CopySlices, not torch::autograd::...
        return f"<{self._name.rsplit('::', 1)[-1]} object at {id(self):#x}>"

    def _check_saved(self) -> None:
        """torch's errors for a freed graph and for a saved tensor changed in place since."""
        if self.freed:
            raise RuntimeError(_FREED)
        for ref, counter, version in self.saved:
            if counter[0] != version:
                raise RuntimeError(_modified_message(ref, counter[0], version, self))


def _modified_message(ref, now: int, version: int, node: Node) -> str:
    out = isinstance(ref, np.ndarray)  # the node's own output, kept as its array
    dt = from_numpy_dtype(ref.dtype) if out else ref.dtype
    kind = "CPUBoolType" if dt.tensor_type == "torch.BoolTensor" else dt.tensor_type  # a mask
    what = f"[{kind} {list(ref.shape)}]"
    producer = getattr(node, "inner", node)  # CopySlices: the op that saved its output
    which, source = "", producer if out else ref.grad_fn  # an input: by its grad_fn now
    if source is not None:
        op = source.name()  # in full: torch::autograd::CopySlices
        which = f", which is output 0 of {op.replace('Backward0', '').replace('Backward', '')},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {what}{which} is at version {now}; expected version {version} instead. "
        "Hint: enable anomaly detection to find the operation that failed to compute its "
        "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )


def _refcounts() -> tuple[int, int]:
    """What sys.getrefcount reports for an array that one local variable refers to, and for the
    array behind a view that nothing but the view refers to (2 and 2 on CPython 3.11)."""
    a = np.empty(1)
    view = np.empty(1).reshape(1)
    return sys.getrefcount(a), sys.getrefcount(view.base)


_ONE_LOCAL, _ONE_VIEW = _refcounts()


def _unshared(g: np.ndarray) -> bool:
    """True when the walk's `g` is all that refers to this array and the memory it uses."""
    if g.base is None:
        return True
    owner = isinstance(g.base, np.ndarray) and g.base.flags.owndata
    return owner and sys.getrefcount(g.base) == _ONE_VIEW  # the view is the base's only holder


def backward(root, gradient: np.ndarray, retain_graph: bool = False) -> None:
    """Accumulate d(root)/d(leaf) · gradient into the `.grad` of every leaf that requires grad.

    Unless `retain_graph`, every node that saved tensors is freed afterwards: walking it again
    raises, as in torch (a node that saved nothing may run again).
    """
    start = root._node
    if start is None:  # a leaf: its gradient is the one given
        root._accumulate_grad(gradient)
        return
    # 1. How many edges lead to each node and each leaf (an iterative search: deep graphs need
    # no recursion).
    pending, stack, leaf_edges = {start: 0}, [start], {}
    while stack:
        for e in stack.pop().next:
            if type(e) is Node:
                if e not in pending:
                    pending[e] = 0
                    stack.append(e)
                pending[e] += 1
            elif e is not None:
                leaf_edges[id(e)] = leaf_edges.get(id(e), 0) + 1
    # 2. Run each node once all its gradient has arrived, the most recently created first among
    # those ready (torch's order, which decides which error is reported first). A leaf's .grad
    # is written as soon as all its edges have delivered, as torch's AccumulateGrad does: if a
    # later node raises, the leaves finished before it keep their gradient.
    grads = {start: gradient}
    leaves = {}  # id(leaf) -> [leaf, summed gradient]
    ready = [(-start.seq, start)]
    with np.errstate(all="ignore"):  # inf * 0 is nan in a gradient, silently, as in torch
        while ready:
            n = heapq.heappop(ready)[1]
            g = grads.pop(n, None)
            results = () if g is None else _run(n, g, retain_graph)
            finished = []
            for k, e in enumerate(n.next):
                if type(e) is Node:
                    pending[e] -= 1
                    if pending[e] == 0:
                        heapq.heappush(ready, (-e.seq, e))
                elif e is not None:
                    leaf_edges[id(e)] -= 1
                    if leaf_edges[id(e)] == 0:
                        finished.append(id(e))
                if e is None or not results or results[k] is None:
                    continue
                pg = results[k]
                if type(e) is Node:
                    grads[e] = pg if e not in grads else np.asarray(grads[e] + pg)
                elif id(e) in leaves:
                    leaves[id(e)][1] = np.asarray(leaves[id(e)][1] + pg)
                else:
                    leaves[id(e)] = [e, pg]
            g = pg = results = None  # this node's gradients: no longer referred to from here
            for key in finished:
                if key in leaves:
                    leaf, g = leaves.pop(key)
                    # a leaf may keep g itself when nothing but this walk's `g` refers to it
                    owned = sys.getrefcount(g) == _ONE_LOCAL and _unshared(g)
                    leaf._accumulate_grad(g, owned)
                    g = None


def _run(n: Node, g, retain_graph: bool) -> list:
    """One node's backward: its checks, then one gradient per parent (None where none flows)."""
    if n.retained is not None:
        n.retained._accumulate_grad(np.asarray(g))
    if n.saved is not None:
        n._check_saved()
    out = []
    for e, p, pg in zip(n.next, n.parents, n.backward(g), strict=True):
        if e is None or pg is None:
            out.append(None)
            continue
        pg = np.asarray(pg)
        if pg.shape != p._array.shape:  # a bug in that op's backward: say which op
            raise RuntimeError(
                f"Function {n.name()} returned an invalid gradient - got "
                f"{list(pg.shape)} but expected shape compatible with {list(p._array.shape)}"
            )
        if pg.dtype != p._array.dtype:  # a gradient has the dtype of its tensor
            pg = pg.astype(p._array.dtype)
        out.append(pg)
    if n.saved is not None and not retain_graph:
        n.freed = True
    return out
