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
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping

import numpy as np

from ._dtypes import from_numpy_dtype
from .utils.hooks import RemovableHandle

_grad_enabled = True  # whether ops record a graph: off inside no_grad() and inside inference_mode()
_grad_mode = True  # what is_grad_enabled() reports: enable_grad() inside inference_mode() sets it
_inference_mode = False  # inside inference_mode(): every tensor made is an inference tensor


def is_grad_enabled() -> bool:
    """True unless inside `no_grad()` or `inference_mode()` (torch.is_grad_enabled)."""
    return _grad_mode


def is_inference_mode_enabled(*args) -> bool:
    """True inside `inference_mode()` (torch.is_inference_mode_enabled)."""
    if args:
        raise TypeError(f"torch.is_inference_mode_enabled() takes no arguments ({len(args)} given)")
    return _inference_mode


def _set_grad_mode(mode: bool) -> None:
    """Grad mode on or off; inside inference_mode() ops record nothing whatever it says."""
    global _grad_enabled, _grad_mode
    _grad_mode = mode
    _grad_enabled = mode and not _inference_mode


class set_grad_enabled:
    """Turn gradient recording on or off, as a function call or a context manager."""

    def __init__(self, mode: bool):
        self.prev = _grad_mode
        _set_grad_mode(bool(mode))

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _set_grad_mode(self.prev)
        return False


class _GradMode:
    mode = True

    def __new__(cls, func: Callable | None = None):
        """`@no_grad` without parentheses decorates `func` directly, as torch allows."""
        if func is None:
            return super().__new__(cls)
        return cls()(func)

    def __enter__(self):
        self.prev = _grad_mode
        _set_grad_mode(self.mode)
        return None

    def __exit__(self, *exc):
        _set_grad_mode(self.prev)
        return False

    def __call__(self, fn: Callable) -> Callable:
        """Use as a decorator: `@no_grad()` runs the whole function in this mode."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper

    def clone(self):
        return self.__class__()


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


class inference_mode(_GradMode):
    """Context manager (and decorator) for code that will never need gradients
    (torch.inference_mode): as `no_grad()`, ops record no graph; and every tensor made inside,
    by an op or a creation function, is an *inference tensor* (`t.is_inference()`), which
    autograd refuses later: an op that would save it for backward raises, and so does changing it
    in place outside the mode. Views of normal tensors made inside stay normal tensors.
    `inference_mode(False)` turns the mode off again inside it.

    >>> from course_lib import ones
    >>> w = ones(2, requires_grad=True)
    >>> with inference_mode():
    ...     y = w * 2
    >>> y.requires_grad, y.is_inference()
    (False, True)
    >>> y.clone().is_inference()   # a clone is a normal tensor
    False
    """

    def __new__(cls, mode=True):
        if isinstance(mode, bool):  # anything else is the function to decorate, as in torch
            return object.__new__(cls)
        return cls()(mode)

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self):
        global _inference_mode, _grad_enabled, _grad_mode
        self.prev = (_inference_mode, _grad_enabled, _grad_mode)
        _inference_mode = self.mode
        _grad_enabled = _grad_mode = not self.mode
        return None

    def __exit__(self, *exc):
        global _inference_mode, _grad_enabled, _grad_mode
        _inference_mode, _grad_enabled, _grad_mode = self.prev
        return False

    def clone(self) -> inference_mode:
        return self.__class__(self.mode)


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
    this node (`next_functions` shows them as torch does). `saved` lists what backward needs
    from the forward pass, as (tensor, version counter, version when saved); None when it needs
    nothing, and such a node may run again after backward has freed the graph.

    `hooks` stays None until a hook is registered on the tensor or the node: the walk then
    costs nothing more for a graph without hooks.
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
        "hooks",
        "output_nr",
        "shared",
        "_next_functions",
        "pre_hooks",
        "post_hooks",
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
        self.hooks = None  # Tensor.register_hook on the tensor this node made: {handle id: hook}

    def name(self) -> str:
        return self._name

    @property
    def next_functions(self) -> tuple:
        """Where this node sends each input's gradient: (node, output index) per input, as
        torch's. A leaf that requires grad shows as its `AccumulateGrad` (`.variable` is the
        leaf), an input that does not require grad, or a number, as `(None, 0)`.

        >>> a = tensor([1.0, 2.0], requires_grad=True)
        >>> (a * 2).grad_fn.next_functions
        ((<AccumulateGrad object at 0x...>, 0), (None, 0))
        """
        try:
            return self._next_functions
        except AttributeError:  # made once: the graph then keeps each leaf's AccumulateGrad
            self._next_functions = _next_functions(self)
            return self._next_functions

    def register_prehook(self, hook: Callable):
        """Call `hook(grad_outputs)` before this node's backward, after the hooks of the tensor
        it made (torch's Node.register_prehook); a tuple it returns replaces `grad_outputs`."""
        return self._register("pre_hooks", hook)

    def register_hook(self, hook: Callable):
        """Call `hook(grad_inputs, grad_outputs)` after this node's backward (torch's
        Node.register_hook); a tuple it returns replaces `grad_inputs` (None: no gradient).

        >>> a = tensor([1.0, 2.0], requires_grad=True)
        >>> y = a * 3
        >>> handle = y.grad_fn.register_hook(lambda gi, go: print(gi, go))
        >>> y.sum().backward()
        (tensor([3., 3.]), None) (tensor([1., 1.]),)
        """
        return self._register("post_hooks", hook)

    def _register(self, kind: str, hook: Callable):
        if hasattr(self, "output_nr"):  # torch has one node for all the outputs
            raise NotImplementedError(
                "course_lib runs the node of split/chunk/unbind once per output: hooks on it "
                "(which torch calls with every output's gradient at once) are not supported"
            )
        if self.hooks is None:  # the walk looks at a node's hooks only when this is set
            self.hooks = OrderedDict()
        hooks = getattr(self, kind, None)
        if hooks is None:
            hooks = OrderedDict()
            setattr(self, kind, hooks)
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle

    def __repr__(self) -> str:  # torch shows the class name: CopySlices, not torch::autograd::...
        return f"<{self._name.rsplit('::', 1)[-1]} object at {id(self):#x}>"

    def _check_saved(self) -> None:
        """torch's errors for a freed graph and for a saved tensor changed in place since."""
        if self.freed:
            raise RuntimeError(_FREED)
        for ref, counter, version in self.saved:
            if counter[0] != version:
                raise RuntimeError(_modified_message(ref, counter[0], version, self))


class SharedNode:
    """torch's one node for all the outputs of split/chunk/unbind: each output's grad_fn, and
    `(node, i)` in the next_functions of whatever used output i. The backward walk itself runs
    one node per output (`part`: the first one's, which has the same edge to the input)."""

    __slots__ = ("part",)

    def __init__(self, part: Node) -> None:
        self.part = part

    @property
    def _name(self) -> str:
        return self.part._name

    def name(self) -> str:
        return self.part._name

    @property
    def next_functions(self) -> tuple:
        return self.part.next_functions

    def register_prehook(self, hook: Callable):
        return self.part.register_prehook(hook)

    def register_hook(self, hook: Callable):
        return self.part.register_hook(hook)

    def __repr__(self) -> str:
        return f"<{self.part._name} object at {id(self):#x}>"


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


class AccumulateGrad:
    """torch's node for a leaf that requires grad: where the graph ends and `.grad` is written.

    It appears in `next_functions` (`variable` is the leaf). One per leaf while the graph that
    shows it is alive, as in torch: two ops on the same leaf show the same AccumulateGrad.
    """

    __slots__ = ("variable", "__weakref__")

    next_functions = ()

    def __init__(self, variable) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"


def _accumulator(leaf) -> AccumulateGrad:
    """The leaf's AccumulateGrad: the one a graph still shows, or a new one (the leaf keeps only
    a weak reference, so the two do not keep each other alive)."""
    ref = leaf._accumulator_ref
    acc = None if ref is None else ref()
    if acc is None:
        acc = AccumulateGrad(leaf)
        leaf._accumulator_ref = weakref.ref(acc)
    return acc


def _edges_shown(node: Node) -> tuple:
    if node._name == "torch::autograd::NotImplemented":
        return tuple(e for e in node.next if e is not None)
    return node.next


def _next_functions(node: Node) -> tuple:
    """(node, output index) per input, as torch's `grad_fn.next_functions`: a leaf that requires
    grad shows its AccumulateGrad, an input that does not require grad (or a number) (None, 0);
    torch's NotImplemented node (an op with no derivative) lists only the inputs that do."""
    out = []
    for e in _edges_shown(node):
        if e is None:
            out.append((None, 0))
        elif type(e) is Node:
            out.append((getattr(e, "shared", e), getattr(e, "output_nr", 0)))
        else:
            out.append((_accumulator(e), 0))
    return tuple(out)


def _checked(hook, out, like):
    """A hook's replacement for the gradient tensor `like`: a tensor of the same shape and
    dtype."""
    from .tensor import Tensor

    if not isinstance(out, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(out).__name__}'")
    name = getattr(hook, "__name__", "<unknown>")
    if like is None:  # a gradient that was not there: nothing to compare with
        return out
    if out._array.shape != like._array.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")
    if out._array.dtype != like._array.dtype:
        raise RuntimeError(
            f"hook '{name}' has changed the type of value (was {like.type()} got {out.type()})"
        )
    return out


def _call_node_hooks(hooks, values: tuple, *args) -> tuple:
    """A node's hooks (pre: hook(grad_outputs); post: hook(grad_inputs, grad_outputs)): a
    tuple returned replaces `values`, entry by entry (None: no gradient)."""
    for hook in tuple(hooks.values()):
        out = hook(values, *args)
        if out is None:
            continue
        name = getattr(hook, "__name__", "<unknown>")
        if not isinstance(out, tuple):
            raise TypeError(f"expected tuple, but hook returned '{type(out).__name__}'")
        if len(out) != len(values):
            raise RuntimeError(
                f"hook '{name}' has returned an incorrect number of values (got {len(out)}, "
                f"but expected {len(values)})"
            )
        values = tuple(None if o is None else _checked(hook, o, v) for o, v in zip(out, values))
    return values


def _call_hooks(hooks, g: np.ndarray) -> np.ndarray:
    """Run a tensor's hooks in the order they were registered on the gradient `g`; a hook that
    returns a tensor replaces the gradient (same shape and dtype, as torch checks), None keeps it.
    A hook that changes the gradient in place changes what flows on, as in torch."""
    from .tensor import Tensor  # tensor.py builds on this module

    expanded = any(s == 0 and n > 1 for s, n in zip(g.strides, g.shape))
    if not g.flags.writeable and not expanded:  # an expanded one (sum's) refuses g.mul_(2)
        g = g.copy()
    t = Tensor._wrap(g)
    for hook in tuple(hooks.values()):
        out = hook(t)
        if out is not None:
            t = _checked(hook, out, t)
    return t._array


def _after_accumulate(leaf) -> None:
    """The leaf's post-accumulate-grad hooks, once its .grad has been written; each returns None."""
    from .tensor import Tensor

    for hook in tuple(leaf._post_accumulate_grad_hooks.values()):
        out = hook(leaf)
        if isinstance(out, Tensor):
            raise RuntimeError("Tensor post accumulate grad hooks should return None.")
        if out is not None:
            raise TypeError(f"expected Variable, but hook returned '{type(out).__name__}'")


def _before(n: Node, g: np.ndarray) -> np.ndarray:
    """What runs on a node's gradient before its backward, as torch's tensor pre-hooks: the
    hooks registered on the tensor it made, then retain_grad's (always last)."""
    if n.hooks:
        g = _call_hooks(n.hooks, g)
    if n.retained is not None:
        n.retained._accumulate_grad(np.asarray(g))
    pre = getattr(n, "pre_hooks", None)
    if pre:  # the node's own pre-hooks come last
        from .tensor import Tensor

        (out,) = _call_node_hooks(pre, (Tensor._wrap(g),))
        g = None if out is None else out._array
    return g


def _after(n: Node, g, results: list) -> list:
    """The node's hooks on its result, given the gradient it was called with."""
    from .tensor import Tensor

    grad_inputs = tuple(None if r is None else Tensor._wrap(r) for r in results)
    out = _call_node_hooks(n.post_hooks, grad_inputs, (Tensor._wrap(g),))
    return [None if e is None or o is None else o._array for e, o in zip(n.next, out)]


def _backward(root, gradient: np.ndarray, retain_graph: bool = False) -> None:
    """Accumulate d(root)/d(leaf) · gradient into the `.grad` of every leaf that requires grad.

    Unless `retain_graph`, every node that saved tensors is freed afterwards: walking it again
    raises, as in torch (a node that saved nothing may run again).
    """
    start = root._node
    if start is None:  # a leaf: its gradient is the one given
        if root._backward_hooks:
            gradient = _call_hooks(root._backward_hooks, gradient)
        root._accumulate_grad(gradient)
        if root._post_accumulate_grad_hooks:
            _after_accumulate(root)
        return
    _engine({start: gradient}, {}, retain_graph)


def _engine(starts: dict, leaf_starts: dict, retain_graph: bool, targets=None) -> dict | None:
    """The backward walk from the nodes `starts` ({node: gradient}) and the leaves `leaf_starts`
    ({id(leaf): [leaf, gradient]}: an output that is itself a leaf); it uses both dicts up.

    With `targets` (torch.autograd.grad's inputs: a node, or id(leaf) for a leaf), nothing is
    accumulated into `.grad`: the gradient reaching each target is returned, {target: array},
    and only the nodes on a path to a target run, as in torch.
    """
    # 1. How many edges lead to each node and each leaf (an iterative search: deep graphs need
    # no recursion).
    one = len(starts) == 1  # the usual: a single output's backward() (set up for less)
    if one:
        (start,) = starts
        pending, stack, leaf_edges = {start: 0}, [start], {}
    else:
        pending, stack, leaf_edges = dict.fromkeys(starts, 0), list(starts), {}
    while stack:
        for e in stack.pop().next:
            if type(e) is Node:
                if e not in pending:
                    pending[e] = 0
                    stack.append(e)
                pending[e] += 1
            elif e is not None:
                leaf_edges[id(e)] = leaf_edges.get(id(e), 0) + 1
    captured, needed = None, None
    if targets is not None:
        captured, needed = {}, _needed(pending, targets)
    # 2. Run each node once all its gradient has arrived, the most recently created first among
    # those ready (torch's order, which decides which error is reported first). A leaf's .grad
    # is written as soon as all its edges have delivered, as torch's AccumulateGrad does: if a
    # later node raises, the leaves finished before it keep their gradient.
    grads, leaves = starts, leaf_starts  # both used up by the walk; leaves: id -> [leaf, grad]
    if one:
        ready = [(-start.seq, start)]
    else:  # the starts that no other start leads to
        ready = [(-n.seq, n) for n in starts if pending[n] == 0]
        heapq.heapify(ready)
    finished = [key for key in leaves if key not in leaf_edges] if leaves else ()
    with np.errstate(all="ignore"):  # inf * 0 is nan in a gradient, silently, as in torch
        while True:
            for key in finished:
                if key in leaves:
                    leaf, g = leaves.pop(key)
                    if targets is not None:
                        if key in targets:
                            if leaf._backward_hooks:
                                g = _call_hooks(leaf._backward_hooks, g)
                            captured[key] = g
                        continue
                    if leaf._backward_hooks:
                        g = _call_hooks(leaf._backward_hooks, g)
                    # a leaf may keep g itself when nothing but this walk's `g` refers to it
                    owned = sys.getrefcount(g) == _ONE_LOCAL and _unshared(g)
                    leaf._accumulate_grad(g, owned)
                    g = None
                    if leaf._post_accumulate_grad_hooks:
                        _after_accumulate(leaf)
            if not ready:
                break
            n = heapq.heappop(ready)[1]
            g = grads.pop(n, None)
            if targets is None:
                if g is not None and (n.hooks is not None or n.retained is not None):
                    g = _before(n, g)
            elif n in needed or n in targets:
                if g is not None and (n.hooks is not None or n.retained is not None):
                    g = _before(n, g)
                if n in targets and g is not None:
                    captured[n] = g
                if n not in needed:  # captured; nothing below it is asked for
                    finished = ()
                    continue
            else:  # an output that leads to no input: not run, no hooks
                finished = ()
                continue
            results = () if g is None else _run(n, g, retain_graph)
            if n.hooks is not None and results and getattr(n, "post_hooks", None):
                results = _after(n, g, results)
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
    return captured


def _needed(pending: dict, targets) -> set:
    """The nodes that lead to a target: the only ones torch.autograd.grad runs. A node's inputs
    were made before it, so creation order visits every node after all those it leads to."""
    needed = set()
    for n in sorted(pending, key=lambda n: n.seq):
        for e in n.next:
            if type(e) is Node:
                if e in needed or e in targets:
                    needed.add(n)
                    break
            elif e is not None and id(e) in targets:
                needed.add(n)
                break
    return needed


def _run(n: Node, g, retain_graph: bool) -> list:
    """One node's backward: its checks, then one gradient per parent (None where none flows)."""
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


# -- torch.autograd.grad and torch.autograd.backward ----------------------------------------------


def _as_tuple(tensors, what: str) -> tuple:
    """A tensor, a sequence of tensors, or (for inputs) a dict of them, as torch takes them."""
    from .tensor import Tensor

    if isinstance(tensors, Tensor):
        return (tensors,)
    if type(tensors) is dict:
        return tuple(tensors.values())
    if isinstance(tensors, Mapping):
        raise TypeError(
            f"`inputs` argument to `{what}()` must be a dict, not {type(tensors).__name__}. "
            "Other Mapping types are not supported."
        )
    return tuple(tensors)


def _make_grads(outputs: tuple, grads) -> list:
    """torch's checks of the output gradients; a missing one is 1 for a one-element output."""
    from .tensor import Tensor

    if grads is None:
        grads = (None,) * len(outputs)
    elif isinstance(grads, Tensor):
        grads = (grads,)
    else:
        grads = tuple(grads)
    new = []
    for i, (out, grad) in enumerate(zip(outputs, grads)):  # zip: extra gradients are ignored
        if isinstance(grad, Tensor):
            if grad._array.shape != out._array.shape:
                k = next(j for j, gr in enumerate(grads) if gr is grad)
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{k}] has a shape of {grad.shape!r} and "
                    f"output[{i}] has a shape of {out.shape!r}."
                )
            new.append(grad._array)
        elif grad is None:
            if out.requires_grad:
                if out._array.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if out._array.dtype.kind != "f":
                    raise RuntimeError(
                        "grad can be implicitly created only for real scalar outputs but got "
                        f"{out.dtype}"
                    )
                new.append(np.ones_like(out._array))
            else:
                new.append(None)
        else:
            raise TypeError(
                f"gradients can be either Tensors or None, but got {type(grad).__name__}"
            )
    if len(new) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(new)} gradients")
    return new


def _roots(outputs: tuple, grads: list) -> tuple[dict, dict]:
    """Where the walk starts: {node: gradient} and {id(leaf): [leaf, gradient]}, gradients of
    one output summed, each in its output's dtype."""
    starts, leaf_starts = {}, {}
    for i, (out, g) in enumerate(zip(outputs, grads)):
        node = out._grad_node()
        if not out._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        g = np.asarray(g).astype(out._array.dtype, copy=False)
        if node is not None:
            starts[node] = np.asarray(starts[node] + g) if node in starts else g
        elif id(out) in leaf_starts:
            leaf_starts[id(out)][1] = np.asarray(leaf_starts[id(out)][1] + g)
        else:
            leaf_starts[id(out)] = [out, g]
    return starts, leaf_starts


def _no_create_graph(create_graph: bool) -> None:
    if create_graph:
        raise NotImplementedError(
            "course_lib does not build a graph of the backward pass: create_graph=True "
            "(higher-order gradients) is not supported"
        )


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
):
    """The gradients of `outputs` with respect to `inputs`, returned as a tuple (a dict when
    `inputs` is a dict) without touching any `.grad` (torch.autograd.grad).

    `grad_outputs` are d(loss)/d(output), one per output (None for a one-element output: 1).
    An input the outputs do not depend on raises, unless `allow_unused` (its gradient is then
    None) or `materialize_grads` (zeros). Only the part of the graph between the outputs and
    the inputs runs; it is freed afterwards unless `retain_graph`.

    >>> x = tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> torch.autograd.grad((x ** 2).sum(), x)
    (tensor([2., 4., 6.]),)
    >>> print(x.grad)
    None
    """
    from .tensor import Tensor

    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    inputs_tuple = _as_tuple(inputs, "grad")
    if len(inputs_tuple) == 0:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn(
            "only_inputs argument is deprecated and is ignored now (defaults to True). To "
            "accumulate gradient for other parts of the graph, please use "
            "torch.autograd.backward.",
            FutureWarning,
            stacklevel=2,
        )
    if is_grads_batched:
        raise NotImplementedError(
            "course_lib does not vectorise backward over a batch of grad_outputs: "
            "is_grads_batched=True is not supported (call grad once per grad_output)"
        )
    grads = _make_grads(outputs, grad_outputs)
    _no_create_graph(create_graph)
    starts, leaf_starts = _roots(outputs, grads)
    keys = []
    for t in inputs_tuple:
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        node = t._grad_node()
        keys.append(id(t) if node is None else node)
    captured = _engine(starts, leaf_starts, bool(retain_graph), targets=set(keys))
    result = []
    for i, (t, key) in enumerate(zip(inputs_tuple, keys)):
        g = captured.get(key)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
            result.append(Tensor._wrap(np.zeros_like(t._array)) if materialize_grads else None)
        else:
            result.append(Tensor._wrap(np.array(g, dtype=t._array.dtype)))
    if type(inputs) is dict:
        return dict(zip(inputs.keys(), result, strict=True))
    return tuple(result)


def backward(
    tensors,
    grad_tensors=None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    grad_variables=None,
    inputs=None,
) -> None:
    """Accumulate the gradients of `tensors` into the `.grad` of the leaves
    (torch.autograd.backward): `torch.autograd.backward([a, b], [ga, gb])` is
    `a.backward(ga)` and `b.backward(gb)` in one walk. With `inputs`, only those tensors
    (leaves or not) get a `.grad`.

    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> torch.autograd.backward([(x * x).sum(), x * 3], [None, tensor([1.0, 1.0])])
    >>> x.grad
    tensor([5., 7.])
    """
    if grad_variables is not None:
        warnings.warn(
            "`grad_variables` is deprecated. Use `grad_tensors` instead.",
            FutureWarning,
            stacklevel=2,
        )
        if grad_tensors is None:
            grad_tensors = grad_variables
        else:
            raise RuntimeError(
                "`grad_tensors` and `grad_variables` (deprecated) arguments both passed to "
                "`backward()`. Please only use `grad_tensors`."
            )
    inputs_tuple = () if inputs is None else _as_tuple(inputs, "backward")
    if inputs is not None and len(inputs_tuple) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    from .tensor import Tensor

    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    grads = _make_grads(tensors, grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    _no_create_graph(create_graph)
    starts, leaf_starts = _roots(tensors, grads)
    if inputs is None:
        _engine(starts, leaf_starts, bool(retain_graph))
        return
    keys = []
    for t in inputs_tuple:
        if not t.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        node = t._grad_node()
        keys.append(id(t) if node is None else node)
    captured = _engine(starts, leaf_starts, bool(retain_graph), targets=set(keys))
    for key, t in dict(zip(keys, inputs_tuple)).items():
        if captured.get(key) is not None:
            t._accumulate_grad(np.asarray(captured[key]))
            if t._post_accumulate_grad_hooks:
                _after_accumulate(t)
