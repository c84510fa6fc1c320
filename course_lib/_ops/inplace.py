"""In-place ops: every method whose name ends in `_` (add_, mul_, exp_, zero_, fill_,
copy_, clamp_, masked_fill_, squeeze_, uniform_, ...) and `+=`, `*=`, ... They write into the
tensor's memory (its views see the change) and bump its version counter; with a graph, the op is
recorded out of place and the tensor takes over its history (`Tensor._recorded_in_place`).
"""

from __future__ import annotations

import numpy as np

from .. import _random, autograd
from .._dtypes import can_cast, check_fill_value, from_numpy_dtype, result_type
from ._checks import (
    _alpha_first,
    _broadcast_error,
    _check_bool_sub,
    _check_inplace_broadcast,
    _check_tensor_arg,
    _check_tensor_or_number,
    _masked_fill_args,
)
from ._common import (
    _NOT_IMPLEMENTED,
    _arr,
    _check_inplace,
    _check_overlap,
    _is_number,
    _result,
    quiet,
    unbroadcast,
)
from .elementwise import _addc_checks, _broadcast_check, _lerp_args, _lerp_dtypes
from .indexing import _check_scatter_reduce, _index_fill_value, _scatter_source
from .linalg import addmm

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


class InPlaceOps:
    """The in-place methods of Tensor (one of its base classes)."""

    # -- in-place ops (modify this tensor's memory; return self) -------------------------------

    def _inplace(self, other, f, name, alpha=1) -> Tensor:
        """x op= other (add_ and sub_: other * alpha), torch's checks first."""
        given = other
        if alpha != 1:  # the values only: the graph records add/sub with alpha, one node
            with autograd.no_grad():
                other = other * alpha
        _check_inplace(self, bump=False)
        b = _arr(self._other(other) if not isinstance(other, Tensor) else other)
        if name == "sub_":  # torch's checks in its order: bool subtraction, shapes, dtypes
            _check_bool_sub(self._array, b)
        _check_inplace_broadcast(self, b)
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
        if self._records(given):
            if alpha != 1:  # torch's AddBackward0/SubBackward0 with alpha: no Mul node
                op = {"add_": "add", "sub_": "sub"}[name]
                return self._recorded_in_place(lambda old: getattr(old, op)(given, alpha=alpha))
            op = {"add_": "__add__", "sub_": "__sub__", "mul_": "__mul__", "div_": "__truediv__"}
            return self._recorded_in_place(lambda old: getattr(old, op[name])(other))
        with quiet:
            f(self._array, b, out=self._array, casting="same_kind")
        return self

    def add_(self, other, *rest, alpha=1) -> Tensor:
        if rest:  # x.add_(2, y): torch's deprecated (alpha, other) order
            other, alpha = _alpha_first("add_", other, rest)
        return self._inplace(other, np.add, "add_", alpha)

    def sub_(self, other, *rest, alpha=1) -> Tensor:
        if rest:
            other, alpha = _alpha_first("sub_", other, rest)
        if alpha != 1:
            _check_bool_sub(self._array, _arr(other))
        return self._inplace(other, np.subtract, "sub_", alpha)

    def mul_(self, other) -> Tensor:
        return self._inplace(other, np.multiply, "mul_")

    def div_(self, other) -> Tensor:
        return self._inplace(other, np.true_divide, "div_")

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

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
        if value_t is None:  # a number must fit the dtype; a tensor's value is cast
            value = check_fill_value(value, self._array.dtype)
        else:
            with np.errstate(invalid="ignore"):
                value = value_t._array.astype(self._array.dtype)
        _check_inplace(self, bump=False)
        if value_t is not None:  # fill_(tensor) refuses an expand()ed self, fill_(number) not
            _check_overlap(self)
        self._vc[0] += 1
        if self._records(value_t):  # the old values no longer matter: their gradient is 0

            def backward(g):  # a 0-d value tensor gets the sum of the gradient
                if value_t is None:  # a number: torch's node has the one edge, to self
                    return (np.zeros_like(g),)
                return np.zeros_like(g), np.asarray(g.sum(), dtype=g.dtype)

            full = np.full_like(self._array, value)
            parents = (lambda old: (old,)) if value_t is None else (lambda old: (old, value_t))
            return self._recorded_in_place(
                lambda old: _result(full, parents(old), backward, name), name
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
        _check_inplace_broadcast(self, s)
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

    # -- random fills, in place (torch's random streams: see _random.py) -----------------------

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

    # -- in-place bitwise xor: x ^= y ----------------------------------------------------------

    def __ixor__(self, other):
        if self._bitwise_operand(other, "bitwise_xor_cpu") is None:
            return NotImplemented
        return self._inplace(other, np.bitwise_xor, "bitwise_xor_")

    bitwise_xor_ = __ixor__

    # -- in-place masked_fill, tril, triu, addmm -----------------------------------------------

    def masked_fill_(self, mask: Tensor, value) -> Tensor:
        """masked_fill, in place: the mask must broadcast to x's shape."""
        m, v = _masked_fill_args(mask, value, "masked_fill_")
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

    def tril_(self, diagonal: int = 0) -> Tensor:
        return self._apply_in_place(lambda t: t.tril(diagonal), "TrilBackward0")

    def triu_(self, diagonal: int = 0) -> Tensor:
        return self._apply_in_place(lambda t: t.triu(diagonal), "TriuBackward0")

    def addmm_(self, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
        """addmm into this tensor, which must already have the result's shape."""
        compute = lambda t: addmm(t, mat1, mat2, beta=beta, alpha=alpha)
        return self._apply_in_place(compute, "AddmmBackward0", mat1, mat2)

    # -- in-place variants: x.exp_() is x.exp() written into x's memory ------------------------

    def _apply_in_place(self, compute, name: str, *others) -> Tensor:
        """Run `compute(x)` out of place and put its values into x: torch's in-place contract.

        torch refuses a result x cannot hold (exp_ of an int tensor, a broadcast to a larger
        shape); those checks come before `_check_inplace`, which marks the write. With a graph,
        the op is recorded as `name` and x takes over its grad_fn.
        """
        with autograd.no_grad():
            values = compute(Tensor._wrap(self._array))._array
        if not can_cast(from_numpy_dtype(values.dtype), self.dtype):  # int32 into uint8 is
            raise RuntimeError(  # fine, as in torch (NumPy's same_kind says no)
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

    # -- in-place shape changes: squeeze_, unsqueeze_, t_, transpose_ --------------------------

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
        # unrecorded (no_grad): a view's history is now stale, as torch's (the version counter
        # moved, the history did not): it is rebuilt from the base's when next asked for, or
        # refused where torch cannot rebuild it (a no_grad view, a split/chunk/unbind output)
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

    # -- more of torch's API: in-place cos_, floor_, sign_, log2_, ..., clip_ ----------------------

    def cos_(self) -> Tensor:
        return self._apply_in_place(Tensor.cos, "CosBackward0")

    def sin_(self) -> Tensor:
        return self._apply_in_place(Tensor.sin, "SinBackward0")

    def tan_(self) -> Tensor:
        return self._apply_in_place(Tensor.tan, "TanBackward0")

    def acos_(self) -> Tensor:
        return self._apply_in_place(Tensor.acos, "AcosBackward0")

    def asin_(self) -> Tensor:
        return self._apply_in_place(Tensor.asin, "AsinBackward0")

    def atan_(self) -> Tensor:
        return self._apply_in_place(Tensor.atan, "AtanBackward0")

    def floor_(self) -> Tensor:
        return self._apply_in_place(Tensor.floor, "FloorBackward0")

    def ceil_(self) -> Tensor:
        return self._apply_in_place(Tensor.ceil, "CeilBackward0")

    def trunc_(self) -> Tensor:
        return self._apply_in_place(Tensor.trunc, "TruncBackward0")

    def frac_(self) -> Tensor:
        return self._apply_in_place(Tensor.frac, "FracBackward0")

    def sign_(self) -> Tensor:
        return self._apply_in_place(Tensor.sign, "SignBackward0")

    def sgn_(self) -> Tensor:
        return self._apply_in_place(Tensor.sgn, "SgnBackward0")

    def log2_(self) -> Tensor:
        return self._apply_in_place(Tensor.log2, "Log2Backward0")

    def log10_(self) -> Tensor:
        return self._apply_in_place(Tensor.log10, "Log10Backward0")

    def log1p_(self) -> Tensor:
        return self._apply_in_place(Tensor.log1p, "Log1PBackward0")

    def expm1_(self) -> Tensor:
        return self._apply_in_place(Tensor.expm1, "Expm1Backward0")

    def exp2_(self) -> Tensor:
        return self._apply_in_place(Tensor.exp2, "Exp2Backward0")

    def round_(self, *, decimals: int = 0) -> Tensor:
        name = "RoundBackward0" if decimals == 0 else "RoundBackward1"
        return self._apply_in_place(lambda t: t.round(decimals=decimals), name)

    def clip_(self, min=None, max=None) -> Tensor:
        return self.clamp_(min, max)

    # -- in-place forms of fmod, clamp_min/max, lerp, addcmul, addcdiv, atan2, hypot, xlogy,
    # -- copysign, true_divide, negative, the logical ops and nan_to_num

    def _binary_in_place(
        self, compute, name: str, *others, to_float: bool = False, typed: int | None = None
    ) -> Tensor:
        """An in-place op with more operands: the leaf check first (as torch), then the operands
        must broadcast to self's shape, then the result type (the promoted one, a float for
        `to_float` ops) must fit self's dtype, then `_apply_in_place`."""
        _check_inplace(self, bump=False)
        operands = [o for o in others if isinstance(o, Tensor) or _is_number(o)]
        shape = self._array.shape  # the operands broadcast together, then to self's shape
        full = _broadcast_check(shape, *(np.shape(_arr(o)) for o in operands))
        if tuple(full) != shape:
            raise RuntimeError(
                f"output with shape {list(shape)} doesn't match the broadcast shape {list(full)}"
            )
        typed_ones = [_arr(self._other(o)) for o in operands[:typed]]  # lerp_'s weight: its
        dt = from_numpy_dtype(result_type(self._array, *typed_ones))  # kernel checks it
        if to_float and not dt.is_floating_point:
            dt = from_numpy_dtype(np.float32)
        if not can_cast(dt, self.dtype):  # torch checks the promoted type before the kernel
            raise RuntimeError(
                f"result type {dt.scalar_name} can't be cast to the desired output type "
                f"{self.dtype.scalar_name}"
            )
        return self._apply_in_place(compute, name, *others)

    def negative_(self) -> Tensor:
        return self._apply_in_place(Tensor.neg, "NegBackward0")

    def fmod_(self, other) -> Tensor:
        _check_tensor_or_number("fmod_", (other,))
        name = "FmodBackward1" if isinstance(other, Tensor) else "FmodBackward0"
        return self._binary_in_place(lambda t: t.fmod(other), name, other)

    def true_divide_(self, other) -> Tensor:
        _check_tensor_or_number("true_divide_", (other,))
        return self.div_(other)

    def clamp_min_(self, min) -> Tensor:
        _check_tensor_or_number("clamp_min_", (min,), "min")
        return self._clamp_one_(min, "min")

    def clamp_max_(self, max) -> Tensor:
        _check_tensor_or_number("clamp_max_", (max,), "max")
        return self._clamp_one_(max, "max")

    def _clamp_one_(self, bound, which: str) -> Tensor:
        _check_inplace(self, bump=False)  # torch's order: the leaf, the shapes, the dtypes
        _check_inplace_broadcast(self, _arr(self._other(bound)))
        dt = result_type(self._array, _arr(self._other(bound)))
        if not can_cast(from_numpy_dtype(dt), self.dtype):  # named as clamp_ does
            to = self.dtype.scalar_name if isinstance(bound, Tensor) else self.dtype.cpp_name
            raise RuntimeError(
                f"result type {from_numpy_dtype(dt).scalar_name} can't be cast to the desired "
                f"output type {to}"
            )
        suffix = "1" if isinstance(bound, Tensor) else "0"
        name = f"Clamp{which.capitalize()}Backward{suffix}"
        compute = (
            (lambda t: t.clamp_min(bound)) if which == "min" else (lambda t: t.clamp_max(bound))
        )
        return self._binary_in_place(compute, name, bound)

    def lerp_(self, end: Tensor, weight) -> Tensor:
        _lerp_args(self, end, weight, "lerp_")
        _check_inplace(self, bump=False)
        _lerp_dtypes(self, end, weight)
        name = "LerpBackward1" if isinstance(weight, Tensor) else "LerpBackward0"
        typed = 2 if isinstance(weight, Tensor) else 1  # a number weight: the kernel's error
        return self._binary_in_place(lambda t: t.lerp(end, weight), name, end, weight, typed=typed)

    def addcmul_(self, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
        _check_tensor_arg(tensor1, "addcmul_", "tensor1", 1)
        _check_tensor_arg(tensor2, "addcmul_", "tensor2", 2)
        _check_inplace(self, bump=False)  # the leaf first, then the kernel's checks
        _addc_checks(self, tensor1, tensor2, value, "addcmul_")
        compute = lambda t: t.addcmul(tensor1, tensor2, value=value)  # noqa: E731
        return self._binary_in_place(compute, "AddcmulBackward0", tensor1, tensor2)

    def addcdiv_(self, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
        _check_tensor_arg(tensor1, "addcdiv_", "tensor1", 1)
        _check_tensor_arg(tensor2, "addcdiv_", "tensor2", 2)
        _check_inplace(self, bump=False)  # the leaf first, then the kernel's checks
        _addc_checks(self, tensor1, tensor2, value, "addcdiv_")
        compute = lambda t: t.addcdiv(tensor1, tensor2, value=value)  # noqa: E731
        return self._binary_in_place(compute, "AddcdivBackward0", tensor1, tensor2)

    def atan2_(self, other: Tensor) -> Tensor:
        _check_tensor_arg(other, "atan2_", "other", 1)
        return self._binary_in_place(
            lambda t: t.atan2(other), "Atan2Backward0", other, to_float=True
        )

    def arctan2_(self, other: Tensor) -> Tensor:
        _check_tensor_arg(other, "arctan2_", "other", 1)
        return self._binary_in_place(
            lambda t: t.atan2(other), "Atan2Backward0", other, to_float=True
        )

    def hypot_(self, other: Tensor) -> Tensor:
        _check_tensor_arg(other, "hypot_", "other", 1)
        return self._binary_in_place(lambda t: t.hypot(other), "HypotBackward0", other)

    def xlogy_(self, other) -> Tensor:
        _check_tensor_or_number("xlogy_", (other,))
        name = "XlogyBackward0" if isinstance(other, Tensor) else "XlogyBackward2"
        return self._binary_in_place(lambda t: t.xlogy(other), name, other, to_float=True)

    def copysign_(self, other) -> Tensor:
        _check_tensor_or_number("copysign_", (other,))
        name = "CopysignBackward0" if isinstance(other, Tensor) else "CopysignBackward1"
        return self._binary_in_place(lambda t: t.copysign(other), name, other, to_float=True)

    def nan_to_num_(self, nan=0.0, posinf=None, neginf=None) -> Tensor:
        compute = lambda t: t.nan_to_num(nan, posinf, neginf)  # noqa: E731
        return self._apply_in_place(compute, "NanToNumBackward0")

    def _logical_in_place(self, other, fn: str) -> Tensor:
        """logical_and_ and friends write 0/1 in self's dtype. torch records nothing for them
        (no derivative): self keeps its history, and a leaf that requires grad is no error."""
        if other is not None:
            _check_tensor_arg(other, fn, "other", 1)
            _check_inplace_broadcast(self, other)
            values = getattr(Tensor, fn[:-1])(self, other)._array
        else:
            values = self.logical_not()._array
        _check_overlap(self)
        self._vc[0] += 1
        self._array[...] = values
        return self

    def logical_and_(self, other: Tensor) -> Tensor:
        return self._logical_in_place(other, "logical_and_")

    def logical_or_(self, other: Tensor) -> Tensor:
        return self._logical_in_place(other, "logical_or_")

    def logical_xor_(self, other: Tensor) -> Tensor:
        return self._logical_in_place(other, "logical_xor_")

    def logical_not_(self) -> Tensor:
        return self._logical_in_place(None, "logical_not_")

    # -- in-place scatter_, scatter_add_, index_add_, index_copy_, index_fill_ ----------------

    def scatter_(self, dim: int, index: Tensor, src=None, value=None, *, reduce=None) -> Tensor:
        src = _scatter_source(self, dim, index, src, value, reduce, "scatter_", False)
        _check_inplace(self, bump=False)  # before the reduce argument's check, as torch
        if reduce is not None:
            _check_scatter_reduce(src, reduce)
            name = _NOT_IMPLEMENTED
        else:
            name = "ScatterBackward0" if isinstance(src, Tensor) else "ScatterBackward1"

        def compute(t):
            out = t.scatter(dim, index, src, reduce=reduce)
            if reduce is not None and out._node is not None:
                out._node.backward = _scatter_inplace_backward
            return out

        _check_inplace(self, bump=False)
        return self._apply_in_place(compute, name, src)

    def scatter_add_(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        _check_tensor_arg(src, "scatter_add_", "src", 3)
        _check_inplace(self, bump=False)
        compute = lambda t: t.scatter_add(dim, index, src)  # noqa: E731
        return self._apply_in_place(compute, "ScatterAddBackward0", src)

    def index_add_(self, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
        _check_tensor_arg(source, "index_add_", "source", 3)
        _check_inplace(self, bump=False)
        compute = lambda t: t.index_add(dim, index, source, alpha=alpha)  # noqa: E731
        return self._apply_in_place(compute, "IndexAddBackward0", source)

    def index_copy_(self, dim: int, index: Tensor, source: Tensor) -> Tensor:
        _check_tensor_arg(source, "index_copy_", "source", 3)
        _check_inplace(self, bump=False)
        compute = lambda t: t.index_copy(dim, index, source)  # noqa: E731
        return self._apply_in_place(compute, "IndexCopyBackward0", source)

    def index_fill_(self, dim: int, index: Tensor, value) -> Tensor:
        _index_fill_value(value, (dim, index), "index_fill_")
        _check_inplace(self, bump=False)
        name = "IndexFillBackward1" if isinstance(value, Tensor) else "IndexFillBackward0"
        compute = lambda t: t.index_fill(dim, index, value)  # noqa: E731
        return self._apply_in_place(compute, name, value)


def _scatter_inplace_backward(g):
    raise RuntimeError("derivative for aten::scatter_ is not implemented")


def _floor_divide_inplace_backward(g):
    raise RuntimeError("derivative for aten::floor_divide_ is not implemented")


def torch_order_like(values: np.ndarray, target: np.ndarray) -> np.ndarray:
    """`values` (target's shape) read in the order torch fills `target` (see _random.fill)."""
    view = _random.torch_order(target)
    if view is target:
        return np.ascontiguousarray(values)
    axes = sorted(range(target.ndim), key=lambda d: -abs(target.strides[d]))
    return np.ascontiguousarray(values.transpose(axes))
