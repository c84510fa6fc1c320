"""`Parameter` and `Buffer`: tensors that a `Module` registers when you assign them (torch/nn/parameter.py).

A `Parameter` is a `Tensor` subclass and nothing more: `self.w = Parameter(...)` inside a Module
puts it in `module._parameters`, so `parameters()`, `state_dict()` and optimizers find it.
A plain tensor assigned the same way is just an attribute. `Buffer` marks a tensor that is part of
the module's state but is not trained (BatchNorm's running mean).
"""

from __future__ import annotations

import numpy as np

from .._tensor_str import tensor_repr
from ..tensor import Tensor


class Parameter(Tensor):
    """A tensor that a Module registers as a trainable parameter (torch.nn.Parameter).

    It shares memory with `data` but is a new leaf of the graph, with `requires_grad=True` by
    default, even inside `no_grad()`. Operations on it return plain `Tensor`s.

    Args:
        data: the values (a Tensor; shared, not copied). `None` gives an empty float32 tensor.
        requires_grad: whether autograd records operations on it. Default: True.

    >>> p = Parameter(tensor([1.0, 2.0]))
    >>> p
    Parameter containing:
    tensor([1., 2.], requires_grad=True)
    """

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = Tensor._wrap(np.empty(0, dtype=np.float32))
        if not isinstance(data, Tensor):  # torch calls data.detach() and fails the same way
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        if requires_grad and data._array.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        self._init(data._array)  # same NumPy array: a new leaf over the same memory
        self._vc = data._vc  # and the same version counter, as data.detach() has in torch
        if data._inference or self._inference:  # data.detach() of an inference tensor is one
            data.detach().requires_grad_(requires_grad)  # outside inference_mode(): torch's error
            self._inference = self._inference_alias = data._inference
        self._requires_grad = bool(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + tensor_repr(self)


class _BufferMeta(type):
    # `Buffer(t)` returns a plain Tensor marked `_is_buffer`; isinstance(t, Buffer) checks the mark.
    def __instancecheck__(cls, instance) -> bool:
        if cls is Buffer and isinstance(instance, Tensor):
            return bool(getattr(instance, "_is_buffer", False))
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    """A tensor that a Module registers as a buffer: saved in `state_dict()`, never trained.

    `self.b = Buffer(t)` is `self.register_buffer('b', t, persistent)` (torch.nn.Buffer).
    The result is a plain detached `Tensor` (type `Tensor`) sharing memory with `t`, marked so
    that `isinstance(b, Buffer)` is True.

    Args:
        data: the values (a Tensor). `None` gives an empty float32 tensor.
        persistent: whether `state_dict()` includes it. Default: True.
    """

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        if data is None:
            data = Tensor._wrap(np.empty(0, dtype=np.float32))
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t
