"""`Tensor`: a NumPy array with torch's API and reverse-mode autograd.

Every op follows one pattern (micrograd's): compute the output with NumPy, then define its
`backward(g)` right beside it, which maps the output's gradient `g` to one gradient per input.
`_result(...)` attaches that function to the output as its `grad_fn` when gradients are recorded.
Broadcasting is undone in the backward pass by one helper, `unbroadcast`.

The ops live in `_ops/`, one family per file (elementwise, reductions, shape, indexing,
linalg, joining, inplace, sorting; `_common.py` has `_result` and `unbroadcast`, `_checks.py`
torch's argument checks). `Tensor` inherits each family's class and keeps here its
data, attributes, autograd state, conversions and Python protocol.

    >>> x = tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
"""

from __future__ import annotations

import numbers
import warnings
from collections import OrderedDict

import numpy as np

from . import _ops, autograd
from ._deterministic import uninitialised
from ._dtypes import Size, dtype, from_numpy_dtype
from ._dtypes import bool_ as _bool
from ._dtypes import float32 as _float32
from ._dtypes import float64 as _float64
from ._dtypes import int32 as _int32
from ._dtypes import int64 as _int64
from ._ops._checks import _check_tensor_arg, _numpy_names, _size_arg, _wrap_dim
from ._ops._common import (
    _arr,
    _copy_laid_out,
    _multi_output_error,
    _nograd_error,
    _positions,
    _reading_output,
    _result,
    _view_node,
    _warn_once,
    quiet,
)
from ._ops.elementwise import ElementwiseOps
from ._ops.indexing import IndexingOps
from ._ops.inplace import InPlaceOps
from ._ops.linalg import LinalgOps
from ._ops.reductions import ReductionOps
from ._ops.shape import ShapeOps
from ._ops.sorting import SortingOps
from .autograd import Node


class Tensor(
    ElementwiseOps, ReductionOps, ShapeOps, IndexingOps, LinalgOps, InPlaceOps, SortingOps
):
    """An n-dimensional array that can record the operations applied to it.

    Attributes, as in torch: `shape`, `dtype`, `requires_grad`, `grad` (accumulated by
    `backward()`), `grad_fn` (the op that produced it, None for a leaf), `is_leaf`, `data`.
    The values live in a NumPy array, `_array`; `numpy()` returns it (sharing memory).

    `Tensor(list)` is torch's legacy constructor (always float32); `Tensor(2, 3)` is an
    uninitialised (2, 3) float32 tensor. Prefer `tensor(...)`, which infers the dtype.
    """

    __array_ufunc__ = None  # make `ndarray + Tensor` call Tensor.__radd__, as torch does

    _backward_hooks = None  # a leaf's register_hook hooks: {handle id: hook}
    _post_accumulate_grad_hooks = None  # a leaf's hooks that run after .grad was written
    _accumulator_ref = None  # a leaf's AccumulateGrad, while a graph shows it (a weak reference)
    _nograd_view = 0  # 1: a view made under no_grad of a tensor that requires grad; 2: its views
    _inference = False  # made inside inference_mode() (or a view of such a tensor)
    _inference_view = False  # a view made inside inference_mode() of a tensor that requires grad
    _inference_alias = False  # detach() or .data of an inference tensor: torch lets it change
    _offset_root = None  # detach() or .data of a view: its base's memory (for storage_offset)

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
        if autograd._inference_mode:
            self._inference = True

    @classmethod
    def _wrap(cls, array: np.ndarray) -> Tensor:
        """A tensor around an existing array (no copy), without recording anything."""
        t = object.__new__(cls)
        t._init(array)
        return t

    # -- attributes ----------------------------------------------------------------------------

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

    def stride(self, dim: int | None = None):
        """How many elements to step in memory to move by one along each dim (a tuple), or
        along `dim` (torch.Tensor.stride). Views share their base's memory with other strides:
        x.t() swaps them, x[:, ::2] doubles one, x.expand(...) gives 0 for a repeated dim.

        >>> ones(2, 3).t().stride()
        (1, 3)
        """
        self._check_shows_base("strides")
        a = self._array
        if not self._memory_root().flags.c_contiguous:  # the memory's owner, or a view of it
            raise NotImplementedError(
                "course_lib keeps an op's result in NumPy's memory layout, not always torch's: "
                "stride() is known for new tensors and views of them (call .contiguous() first)"
            )
        strides = tuple(s // a.itemsize for s in a.strides)
        if dim is None:
            return strides
        if not isinstance(dim, numbers.Integral) or isinstance(dim, bool):
            raise TypeError(
                f"stride(): argument 'dim' (position 1) must be int, not {type(dim).__name__}"
            )
        if self.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return strides[_wrap_dim(dim, self.ndim)]

    def _check_shows_base(self, what: str) -> None:
        """stride() and storage_offset() read NumPy's view of the base's memory: an empty view
        (NumPy resets its strides) or a copied one (copy.deepcopy) has lost it."""
        if self._base is None and self._offset_root is None:
            return
        if self._array.size == 0 or not np.may_share_memory(self._array, self._memory_root()):
            raise NotImplementedError(
                f"course_lib does not keep the {what} of an empty or copied view (NumPy resets "
                "them)"
            )

    def _memory_root(self) -> np.ndarray:
        """The array of the tensor whose memory this one shows (itself if it owns it)."""
        owner = self if self._base is None else self._base
        return owner._array if owner._offset_root is None else owner._offset_root

    def storage_offset(self, *args) -> int:
        """Where this tensor starts in its memory, in elements (torch.Tensor.storage_offset):
        0 for a new tensor, e.g. 1 for x[1:] of a 1-D x."""
        if args:
            raise TypeError(f"TensorBase.storage_offset() takes no arguments ({len(args)} given)")
        self._check_shows_base("offset")
        root = self._memory_root()
        start = self._array.__array_interface__["data"][0]
        return (start - root.__array_interface__["data"][0]) // self._array.itemsize

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
        if requires_grad and self._inference and not autograd._inference_mode:
            raise RuntimeError(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed."
            )
        if self._node is None:
            self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def _version(self) -> int:
        """How many in-place ops have changed this tensor's memory (shared with its views)."""
        if self._inference and not self._inference_alias:
            raise RuntimeError("Inference tensors do not track version counter.")
        return self._vc[0]

    def is_inference(self, *args) -> bool:
        """Whether this tensor was made inside `inference_mode()` (torch.Tensor.is_inference)."""
        if args:
            raise TypeError(f"TensorBase.is_inference() takes no arguments ({len(args)} given)")
        return self._inference

    @property
    def grad_fn(self) -> Node | None:
        node = self._node if self._base is None else self._history()
        return getattr(node, "shared", node)  # split's outputs show their one shared node

    def _grad_node(self) -> Node | None:
        """The node the backward walk starts from for this tensor (its own, for an output of
        split/chunk/unbind, whose grad_fn is the node all the outputs share)."""
        return self._node if self._base is None else self._history()

    @property
    def grad(self) -> Tensor | None:
        if self._grad is None and self._node is not None and not self._retains_grad:
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

    def register_hook(self, hook):
        """Call `hook(grad)` each time a gradient for this tensor is computed (torch's
        Tensor.register_hook). If it returns a tensor, that replaces the gradient: a leaf
        accumulates it into `.grad`, a non-leaf passes it on to its inputs. Hooks run in the
        order they were registered, before retain_grad's. On a non-leaf, the hook stays with the
        grad_fn the tensor has now (an in-place op later gives it a new one). Returns a handle
        whose `remove()` takes the hook out.

        >>> x = tensor([1.0, 2.0], requires_grad=True)
        >>> y = x * 3
        >>> handle = y.register_hook(lambda g: print("y's gradient:", g))
        >>> y.sum().backward()
        y's gradient: tensor([1., 1.])
        """
        from .utils.hooks import RemovableHandle

        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node = self._grad_node()
        if node is None:  # a leaf: its hooks run before AccumulateGrad adds to .grad
            if self._backward_hooks is None:
                self._backward_hooks = OrderedDict()
            hooks = self._backward_hooks
        else:
            if node.hooks is None:
                node.hooks = OrderedDict()
            hooks = node.hooks
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle

    def register_post_accumulate_grad_hook(self, hook):
        """Call `hook(self)` on this leaf each time backward has added to its `.grad` (torch's
        Tensor.register_post_accumulate_grad_hook): e.g. to update a parameter as soon as its
        gradient is there. The hook returns None. Returns a handle whose `remove()` takes it out.
        """
        from .utils.hooks import RemovableHandle

        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        if self._post_accumulate_grad_hooks is None:
            self._post_accumulate_grad_hooks = OrderedDict()
        handle = RemovableHandle(self._post_accumulate_grad_hooks)
        self._post_accumulate_grad_hooks[handle.id] = hook
        return handle

    @property
    def retains_grad(self) -> bool:
        """Whether backward() fills `.grad` on this non-leaf tensor (after `retain_grad()`)."""
        return self._retains_grad

    @retains_grad.setter
    def retains_grad(self, value) -> None:
        raise AttributeError(
            "attribute 'retains_grad' of 'torch._C.TensorBase' objects is not writable"
        )

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
        t = Tensor._wrap(self._array)
        if self._inference or t._inference:  # an inference tensor that may change in place
            t._inference = t._inference_alias = self._inference
        if self._base is not None or self._offset_root is not None:
            t._offset_root = self._memory_root()
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        if self._requires_grad and value._array.dtype.kind != "f":
            raise RuntimeError(
                "data set to a tensor that requires gradients must be floating point or complex dtype"
            )
        self._array = value._array
        if self._inference or value._inference:  # the tensor takes the value's kind
            self._inference, self._inference_alias = value._inference, value._inference_alias

    # -- sizes in bytes ------------------------------------------------------------------------

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

    # -- autograd ------------------------------------------------------------------------------

    def backward(
        self, gradient: Tensor | None = None, retain_graph=None, create_graph=False, inputs=None
    ):
        """Compute d(self)/d(leaf) for every leaf that requires grad; add it to `leaf.grad`.

        `gradient` is d(loss)/d(self); it may be omitted only when self has one element.
        With `inputs`, only those tensors get a `.grad` (torch.autograd.backward's `inputs`).
        """
        if inputs is not None:
            return autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)
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
        autograd._backward(self, g, bool(retain_graph))

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
        if self._inference or t._inference:  # an inference tensor that may change in place
            t._inference = t._inference_alias = self._inference
        if self._base is not None or self._offset_root is not None:
            t._offset_root = self._memory_root()
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

    # -- autograd: history through in-place ops and views --------------------------------------

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

    # -- conversion ----------------------------------------------------------------------------

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
        """A copy with its own memory, in this tensor's layout: a transposed or permuted tensor's
        copy keeps its strides (torch's preserve_format)."""
        return self._copy(_copy_laid_out(self._array))

    def _copy(self, copy: np.ndarray) -> Tensor:
        def backward(g):  # d clone(x) = 1
            return (g,)

        out = _result(copy, (self,), backward, "CloneBackward0")
        if self._inference and not out._inference:  # torch copies into a new tensor: one write
            out._vc[0] = 1
        return out

    def cpu(self) -> Tensor:
        return self  # the course runs on the CPU: already there

    def allclose(self, other: Tensor, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
        from . import allclose

        return allclose(self, other, rtol=rtol, atol=atol, equal_nan=equal_nan)

    def equal(self, other: Tensor) -> bool:
        from . import equal

        return equal(self, other)

    # -- new tensors like this one: its dtype unless another is given -------------------------

    def new_tensor(self, data, dtype=None, requires_grad: bool = False) -> Tensor:
        from .creation import tensor

        if isinstance(data, Tensor):
            warnings.warn(
                "To copy construct from a tensor, it is recommended to use "
                "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_"
                "(True), rather than tensor.new_tensor(sourceTensor).",
                UserWarning,
                stacklevel=2,
            )
            data = data.detach().numpy()
        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, requires_grad: bool = False) -> Tensor:
        from .creation import zeros

        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad: bool = False) -> Tensor:
        from .creation import ones

        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad: bool = False) -> Tensor:
        from .creation import empty

        return empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
        from .creation import full

        if not isinstance(size, (tuple, list)):
            raise TypeError(
                "new_full(): argument 'size' (position 1) must be tuple of ints, not "
                f"{type(size).__name__}"
            )
        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def contiguous(self) -> Tensor:
        if self._array.flags.c_contiguous:
            return self
        return self._copy(self._array.copy())

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in `other`'s dtype (itself when the dtype is already the same)."""
        _check_tensor_arg(other, "type_as", "other", 1)
        return self._cast(other.dtype)

    # -- Python protocol -----------------------------------------------------------------------

    def __getstate__(self) -> dict:
        """What copy, deepcopy and pickle keep: a copy of an inference tensor is a normal tensor,
        as in torch."""
        state = self.__dict__
        if "_inference" in state or "_offset_root" in state:
            dropped = ("_inference", "_inference_alias", "_inference_view", "_offset_root")
            state = {k: v for k, v in state.items() if k not in dropped}
        return state

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


for _name in (  # std and var read these names themselves (_spread_args)
    "sum", "mean", "max", "min", "argmax", "argmin", "amax", "amin", "logsumexp",
    "softmax", "log_softmax", "squeeze", "unsqueeze", "size", "index_select", "gather",
    "repeat_interleave",
):  # fmt: skip
    setattr(Tensor, _name, _numpy_names(getattr(Tensor, _name), _name))


# The op files name `Tensor` in their code (Tensor._wrap, isinstance(x, Tensor)); they were
# imported above, before the class existed, so they are given it now.
for _module in (
    _ops._common,
    _ops._checks,
    _ops.elementwise,
    _ops.reductions,
    _ops.shape,
    _ops.indexing,
    _ops.linalg,
    _ops.joining,
    _ops.inplace,
    _ops.sorting,
    _ops._overloads,
):
    _module.Tensor = Tensor
