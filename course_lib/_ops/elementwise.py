"""Elementwise ops: arithmetic, comparisons, bitwise ops and functions of one value.

`+ - * / // % **` and their methods (add, sub, mul, div, remainder, pow, neg, reciprocal),
`== != < <= > >=`, `& | ^ ~` (bitwise_xor, logical_xor), exp, log, sqrt, rsqrt, abs, tanh, sigmoid,
relu, clamp, cosh, sinh, maximum, minimum; cos, sin, tan, acos, asin, atan, log2, log10,
log1p, expm1, exp2, floor, ceil, round, trunc, frac, sign, sgn, isnan, isinf, isfinite, clip.
negative, fmod, floor_divide, true_divide, clamp_min, clamp_max, lerp, addcmul, addcdiv, atan2,
hypot, logaddexp, xlogy, copysign, fmax, fmin, logical_and/or/not, isclose, nan_to_num.
Binary ops broadcast with torch's type promotion (`_elementwise`); each backward sums its
gradient back to its input's shape with `unbroadcast`.
In-place versions (`add_`, `exp_`, ...) are in inplace.py.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._dtypes import from_numpy_dtype, result_type
from ._checks import (
    _alpha_first,
    _broadcast_error,
    _check_bool_sub,
    _check_int_divisor,
    _check_tensor_arg,
    _check_tensor_or_number,
    _overloads_error,
    _type_name,
    _value_desc,
)
from ._common import (
    _NOT_IMPLEMENTED,
    OUT,
    _arr,
    _is_number,
    _parent,
    _py_number,
    _result,
    quiet,
    unbroadcast,
)

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


DEFAULT = object()  # `div(x, y)` and `div(x, y, rounding_mode=None)` print different grad_fns


class ElementwiseOps:
    """The elementwise methods of Tensor (one of its base classes)."""

    # -- arithmetic (broadcasting; each backward undoes broadcasting with `unbroadcast`) -------

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
            if isinstance(other, Tensor):  # floor(a / b) as a // b in out's dtype, not a / b
                with quiet:
                    q = np.floor_divide(a.astype(out.dtype, copy=False), b.astype(out.dtype))
                    gb = unbroadcast(-g * q, np.shape(b))
            return unbroadcast(g, a.shape), gb

        # only d/db = -floor(a / b) reads the inputs: a remainder by a tensor that needs no grad
        # (or by a number) saves nothing, and its graph may run backward twice
        if not isinstance(other, Tensor):  # torch's node for a number has self's edge alone
            return _result(out, (self,), lambda g: backward(g)[:1], "RemainderBackward0")
        saved = (self, other) if other._requires_grad else None
        return _result(out, (self, other), backward, "RemainderBackward1", saved)

    def __pow__(self, exponent):
        exponent = self._other(exponent)
        if exponent is None:
            return NotImplemented
        a, p = self._array, _arr(exponent)
        if (
            a.dtype.kind in "biu"  # bool too: True ** -1 is an integer power in torch
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
                    if exp_t is not None and p.dtype == np.bool_:  # torch computes p - 1 first
                        _check_bool_sub(p, 1)
                    ga = unbroadcast(np.where(p == 0, 0, g * p * np.power(a, p - 1)), a.shape)
                if exp_t is not None and exp_t._requires_grad:  # 0 where a == 0 and p >= 0
                    gp = np.where((a == 0) & (p >= 0), 0, g * out * np.log(a))
                    gp = unbroadcast(gp, p.shape)
            return ga, gp

        if exp_t is None:  # a number exponent: torch's node has self's edge alone
            return _result(out, (self,), lambda g: backward(g)[:1], "PowBackward0", (self, p))
        return _result(out, (self, exp_t), backward, "PowBackward1", (self, exp_t, OUT))

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

    def add(self, other, *rest, alpha=1) -> Tensor:
        if rest:  # x.add(2, y): torch's deprecated (alpha, other) order
            other, alpha = _alpha_first("add", other, rest)
        return _add_sub(self, other, alpha, "add")

    def sub(self, other, *rest, alpha=1) -> Tensor:
        if rest:
            other, alpha = _alpha_first("sub", other, rest)
        return _add_sub(self, other, alpha, "sub")

    def mul(self, other) -> Tensor:
        return _by_name(self, other, "mul", Tensor.__mul__, Tensor.__rmul__)

    def div(self, other, *, rounding_mode=DEFAULT) -> Tensor:
        return _div(self, other, rounding_mode)

    # -- comparisons (no gradient; results are bool tensors) -----------------------------------

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
        b = self._bitwise_operand(other, kernel)
        if b is None:
            return NotImplemented
        return Tensor._wrap(_elementwise(f, self._array, b))

    def _bitwise_operand(self, other, kernel: str):
        """The other operand of & | ^ as an array or number, or None if they do not apply to it;
        torch's errors for floats, after the shapes (torch sizes the result first)."""
        other = self._other(other)
        if other is None:
            return None
        b = _arr(other)
        dt = result_type(self._array, b)
        if dt.kind not in "biu":
            try:
                np.broadcast_shapes(self._array.shape, np.shape(b))
            except ValueError:
                raise _broadcast_error(self._array.shape, np.shape(b)) from None
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{from_numpy_dtype(dt).scalar_name}'"
            )
        return b

    def __and__(self, other):
        return self._bitwise(other, np.bitwise_and, "bitwise_and_cpu")

    def __or__(self, other):
        return self._bitwise(other, np.bitwise_or, "bitwise_or_cpu")

    __rand__, __ror__ = __and__, __or__

    # -- elementwise functions -----------------------------------------------------------------

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
        with quiet:  # exp(-x) overflows to inf for very negative x: 1 / inf is 0, as in torch
            out = 1 / (1 + np.exp(-a))

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

    # -- elementwise maximum and minimum of two tensors ----------------------------------------

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
        if out.dtype.kind == "f":  # a tie gives the first (0. and -0.: torch keeps self's sign)
            out = np.where(a == b, a, out).astype(out.dtype, copy=False)

        def backward(g):  # g goes to whichever input was picked; ties share it 1/2, 1/2
            wins_a = np.where(a == b, 0.5, (f(a, b) == a).astype(g.dtype))
            ga = np.where(wins_a == 0, 0, g * wins_a)  # 0., never -0., for the loser (as torch)
            gb = np.where(wins_a == 1, 0, g * (1 - wins_a))
            return unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)

        return _result(out, (self, other), backward, name, (self, other))

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

    # -- bitwise xor (`^`) on integer and bool tensors -----------------------------------------

    def __xor__(self, other):
        """a ^ b, bitwise on integers and logical on bools (torch.bitwise_xor); no gradient."""
        return self._bitwise(other, np.bitwise_xor, "bitwise_xor_cpu")

    __rxor__ = __xor__

    def bitwise_xor(self, other) -> Tensor:
        return self ^ other

    def logical_xor(self, other: Tensor) -> Tensor:
        """True where exactly one of the two is non-zero (torch.logical_xor), any dtype."""
        _check_tensor_arg(other, "logical_xor", "other", 1)
        return _logical(self._array, other._array, np.logical_xor)

    # -- remainder with the tensor on the right: `2 % t` ---------------------------------------

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

    # -- square --------------------------------------------------------------------------------

    def square(self) -> Tensor:
        """x * x, as torch computes it: pow(x, 2) (PowBackward0; a bool tensor gives int64)."""
        return self**2

    # -- more of torch's API: trigonometry, rounding, sign, more logs and exps, isnan, clip ----

    def _float_unary(self, f, name: str, derivative, saved) -> Tensor:
        """f(x) elementwise on floats (int and bool input give float32); its backward is
        g * derivative(x, out). `saved` is what torch keeps for backward: self (the input) or
        OUT (the result)."""
        a = self._float_array()
        with np.errstate(all="ignore"):  # like torch: nan and inf, no warnings
            # float32 goes through float64: the correctly rounded result, which torch's float32
            # kernels also give for most inputs (NumPy's float32 ones are often 1 ulp off it)
            wide = a.astype(np.float64) if a.dtype == np.float32 else a
            out = np.asarray(f(wide)).astype(a.dtype, copy=False)

        def backward(g):
            with np.errstate(all="ignore"):
                return (g * derivative(a, out),)

        return _result(out, (self,), backward, name, (saved,))

    def cos(self) -> Tensor:
        """cos(x), elementwise (torch.cos); int and bool input give float32."""
        return self._float_unary(np.cos, "CosBackward0", lambda x, y: -np.sin(x), self)

    def sin(self) -> Tensor:
        """sin(x), elementwise (torch.sin)."""
        return self._float_unary(np.sin, "SinBackward0", lambda x, y: np.cos(x), self)

    def tan(self) -> Tensor:
        """tan(x), elementwise (torch.tan); d tan(x) = 1 + tan(x)²."""
        return self._float_unary(np.tan, "TanBackward0", lambda x, y: 1 + y * y, OUT)

    def acos(self) -> Tensor:
        """arccos(x), elementwise (torch.acos); nan outside [-1, 1]."""
        d = lambda x, y: -1 / np.sqrt(1 - x * x)  # noqa: E731
        return self._float_unary(np.arccos, "AcosBackward0", d, self)

    def asin(self) -> Tensor:
        """arcsin(x), elementwise (torch.asin); nan outside [-1, 1]."""
        d = lambda x, y: 1 / np.sqrt(1 - x * x)  # noqa: E731
        return self._float_unary(np.arcsin, "AsinBackward0", d, self)

    def atan(self) -> Tensor:
        """arctan(x), elementwise (torch.atan)."""
        return self._float_unary(np.arctan, "AtanBackward0", lambda x, y: 1 / (1 + x * x), self)

    def log2(self) -> Tensor:
        """Base-2 logarithm, elementwise (torch.log2); d log2(x) = 1 / (x ln 2)."""
        d = lambda x, y: 1 / (x * np.log(2.0))  # noqa: E731
        return self._float_unary(np.log2, "Log2Backward0", d, self)

    def log10(self) -> Tensor:
        """Base-10 logarithm, elementwise (torch.log10); d log10(x) = 1 / (x ln 10)."""
        d = lambda x, y: 1 / (x * np.log(10.0))  # noqa: E731
        return self._float_unary(np.log10, "Log10Backward0", d, self)

    def log1p(self) -> Tensor:
        """log(1 + x), accurate for tiny x (torch.log1p); d log1p(x) = 1 / (1 + x)."""
        return self._float_unary(np.log1p, "Log1PBackward0", lambda x, y: 1 / (1 + x), self)

    def expm1(self) -> Tensor:
        """exp(x) − 1, accurate for tiny x (torch.expm1); d expm1(x) = expm1(x) + 1."""
        return self._float_unary(np.expm1, "Expm1Backward0", lambda x, y: y + 1, OUT)

    def exp2(self) -> Tensor:
        """2ˣ, elementwise (torch.exp2); d 2ˣ = 2ˣ ln 2."""
        return self._float_unary(np.exp2, "Exp2Backward0", lambda x, y: y * np.log(2.0), OUT)

    def _rounding(self, f, name: str, kernel: str) -> Tensor:
        """floor, ceil, round, trunc: integers come back unchanged; bool is refused, as torch."""
        a = self._array
        if a.dtype == np.bool_:
            raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
        with np.errstate(all="ignore"):  # round(x, decimals=400): inf and nan, silently
            out = f(a) if a.dtype.kind == "f" else a.copy()

        def backward(g):  # a step function: its slope is 0 everywhere
            return (np.zeros_like(g),)

        return _result(np.asarray(out), (self,), backward, name)

    def floor(self) -> Tensor:
        """The largest integer <= x, elementwise (torch.floor); the dtype stays."""
        return self._rounding(np.floor, "FloorBackward0", "floor_vml_cpu")

    def ceil(self) -> Tensor:
        """The smallest integer >= x, elementwise (torch.ceil); the dtype stays."""
        return self._rounding(np.ceil, "CeilBackward0", "ceil_vml_cpu")

    def trunc(self) -> Tensor:
        """x with its fractional part dropped (rounded towards 0; torch.trunc)."""
        return self._rounding(np.trunc, "TruncBackward0", "trunc_vml_cpu")

    def round(self, *, decimals: int = 0) -> Tensor:
        """The nearest integer, halves to even (torch.round): 0.5 → 0, 1.5 → 2, 2.5 → 2.

        With `decimals`, the nearest multiple of 10**-decimals (x scaled, rounded, scaled back).
        """
        if decimals == 0:
            return self._rounding(np.round, "RoundBackward0", "round_vml_cpu")
        if self._array.dtype.kind != "f":
            raise NotImplementedError(
                f"\"round_cpu\" not implemented for '{self.dtype.scalar_name}'"
            )
        return self._rounding(lambda a: np.round(a, decimals), "RoundBackward1", "round_cpu")

    def frac(self) -> Tensor:
        """x − trunc(x), with x's sign (torch.frac); floats only. d frac(x) = 1."""
        a = self._array
        if a.dtype.kind != "f":
            raise NotImplementedError(
                f"\"frac_cpu\" not implemented for '{self.dtype.scalar_name}'"
            )
        with np.errstate(invalid="ignore"):  # inf gives nan, as in torch
            out = a - np.trunc(a)

        def backward(g):  # d (x − trunc(x)) = 1
            return (g,)

        return _result(np.asarray(out), (self,), backward, "FracBackward0")

    def _sign(self, name: str) -> Tensor:
        a = self._array
        if a.dtype == np.bool_:
            out = a.copy()
        else:  # 1 above 0, −1 below, else 0: so −0. and nan give 0., as in torch
            out = (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)

        def backward(g):  # a step function: its slope is 0 everywhere
            return (np.zeros_like(g),)

        return _result(np.asarray(out), (self,), backward, name)

    def sign(self) -> Tensor:
        """1 where x > 0, −1 where x < 0, else 0 (nan too), in x's dtype (torch.sign)."""
        return self._sign("SignBackward0")

    def sgn(self) -> Tensor:
        """sign(x) (torch.sgn; it differs from sign only for complex numbers)."""
        return self._sign("SgnBackward0")

    def isnan(self) -> Tensor:
        """True where x is nan (torch.isnan); never for integers."""
        return Tensor._wrap(np.asarray(np.isnan(self._array)))

    def isinf(self) -> Tensor:
        """True where x is inf or −inf (torch.isinf)."""
        return Tensor._wrap(np.asarray(np.isinf(self._array)))

    def isfinite(self) -> Tensor:
        """True where x is neither inf, −inf nor nan (torch.isfinite)."""
        return Tensor._wrap(np.asarray(np.isfinite(self._array)))

    def clip(self, min=None, max=None) -> Tensor:
        """torch.clip: another name for clamp."""
        return self.clamp(min, max)

    # -- more binary ops: fmod, floor_divide, true_divide, clamp_min/max, lerp, addcmul, addcdiv,
    # -- atan2, hypot, logaddexp, xlogy, copysign, fmax, fmin, logical ops, isclose, nan_to_num

    def negative(self) -> Tensor:
        """-x (torch.negative, another name for neg)."""
        return -self

    def fmod(self, other) -> Tensor:
        """C's remainder a - trunc(a / b) * b, with the sign of a (torch.fmod; remainder takes
        b's sign); `other` may be a number.

            >>> tensor([-3.0, 3.0]).fmod(2)
            tensor([-1.,  1.])
        """
        _check_tensor_or_number("fmod", (other,))
        a, b = self._array, _arr(self._other(other))
        _broadcast_check(a.shape, np.shape(b))  # the shapes first, then the divisor
        _check_int_divisor(a, b, "fmod_cpu")
        out = _elementwise(np.fmod, a, b)
        by_tensor = isinstance(other, Tensor)

        def backward(g):  # fmod(a, b) = a - trunc(a / b) b: d/da = 1, d/db = -trunc(a / b)
            gb = unbroadcast(-g * np.trunc(a / b), b.shape) if by_tensor else None
            return unbroadcast(g, a.shape), gb

        name = "FmodBackward1" if by_tensor else "FmodBackward0"
        saved = (self, other) if by_tensor and other._requires_grad else None
        return _result(out, (self, _parent(other)), backward, name, saved)

    def floor_divide(self, other) -> Tensor:
        """a // b, rounded down (torch.floor_divide); no gradient, as in torch."""
        _check_tensor_or_number("floor_divide", (other,))
        return self // other

    def true_divide(self, other) -> Tensor:
        """a / b, a float even for integers (torch.true_divide, another name for div)."""
        _check_tensor_or_number("true_divide", (other,))
        return _div(self, other)

    def clamp_min(self, min) -> Tensor:
        """max(x, min) elementwise, nan kept (torch.clamp_min); `min` a number or a tensor."""
        _check_tensor_or_number("clamp_min", (min,), "min")
        return _clamp_one(self, min, np.less, "ClampMin")

    def clamp_max(self, max) -> Tensor:
        """min(x, max) elementwise, nan kept (torch.clamp_max); `max` a number or a tensor."""
        _check_tensor_or_number("clamp_max", (max,), "max")
        return _clamp_one(self, max, np.greater, "ClampMax")

    def lerp(self, end: Tensor, weight) -> Tensor:
        """x + weight * (end - x), elementwise (torch.lerp); `weight` a number or a tensor.

        >>> tensor([0.0, 10.0]).lerp(tensor([10.0, 20.0]), 0.25)
        tensor([ 2.5000, 12.5000])
        """
        return _lerp(self, end, weight)

    def addcmul(self, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
        """x + value * tensor1 * tensor2, broadcast (torch.addcmul)."""
        return _addc(self, tensor1, tensor2, value, "addcmul")

    def addcdiv(self, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
        """x + value * tensor1 / tensor2, broadcast (torch.addcdiv); integer division refused."""
        return _addc(self, tensor1, tensor2, value, "addcdiv")

    def atan2(self, other: Tensor) -> Tensor:
        """The angle of the point (other, x), in (-pi, pi] (torch.atan2; x is the y coordinate).

        >>> tensor([1.0, -1.0]).atan2(tensor([0.0, 0.0]))
        tensor([ 1.5708, -1.5708])
        """
        _check_tensor_arg(other, "atan2", "other", 1)
        return _float_binary(self, other, "atan2")

    def arctan2(self, other: Tensor) -> Tensor:
        """torch.arctan2: another name for atan2."""
        _check_tensor_arg(other, "arctan2", "other", 1)
        return _float_binary(self, other, "atan2")

    def hypot(self, other: Tensor) -> Tensor:
        """sqrt(x² + other²), without overflow (torch.hypot); floats only."""
        _check_tensor_arg(other, "hypot", "other", 1)
        return _float_binary(self, other, "hypot")

    def logaddexp(self, other: Tensor) -> Tensor:
        """log(exp(x) + exp(other)), without overflow (torch.logaddexp); floats only."""
        _check_tensor_arg(other, "logaddexp", "other", 1)
        return _float_binary(self, other, "logaddexp")

    def xlogy(self, other) -> Tensor:
        """x * log(other), 0 where x is 0 (unless other is nan) (torch.xlogy)."""
        _check_tensor_or_number("xlogy", (other,))
        return _xlogy(self, other)

    def copysign(self, other) -> Tensor:
        """|x| with the sign (bit) of other, as floats (torch.copysign); other may be a number."""
        _check_tensor_or_number("copysign", (other,))
        return _copysign(self, other)

    def fmax(self, other: Tensor) -> Tensor:
        """Elementwise max that ignores nan: nan only where both are nan (torch.fmax)."""
        _check_tensor_arg(other, "fmax", "other", 1)
        return _fmax_fmin(self, other, "fmax")

    def fmin(self, other: Tensor) -> Tensor:
        """Elementwise min that ignores nan: nan only where both are nan (torch.fmin)."""
        _check_tensor_arg(other, "fmin", "other", 1)
        return _fmax_fmin(self, other, "fmin")

    def logical_and(self, other: Tensor) -> Tensor:
        """True where both are non-zero (torch.logical_and), any dtypes; a bool tensor."""
        _check_tensor_arg(other, "logical_and", "other", 1)
        return _logical(self._array, other._array, np.logical_and)

    def logical_or(self, other: Tensor) -> Tensor:
        """True where either is non-zero (torch.logical_or), any dtypes; a bool tensor."""
        _check_tensor_arg(other, "logical_or", "other", 1)
        return _logical(self._array, other._array, np.logical_or)

    def logical_not(self) -> Tensor:
        """True where x is zero (torch.logical_not), any dtype; a bool tensor."""
        return Tensor._wrap(np.asarray(self._array == 0))

    def isclose(self, other: Tensor, rtol=1e-05, atol=1e-08, equal_nan: bool = False) -> Tensor:
        """|x - other| <= atol + rtol * |other| elementwise, broadcast (torch.isclose); the two
        dtypes must be the same.

            >>> tensor([1.0, 2.0]).isclose(tensor([1.0 + 1e-7, 2.1]))
            tensor([ True, False])
        """
        return _isclose(self, other, rtol, atol, equal_nan)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None) -> Tensor:
        """x with nan, inf and -inf replaced (by 0, the dtype's largest and its lowest value
        unless given) (torch.nan_to_num); integers and bools are copied unchanged."""
        a = self._array
        if a.dtype.kind != "f":
            return Tensor._wrap(a.copy())
        info = np.finfo(a.dtype)
        with quiet:  # a replacement beyond float32's range becomes inf, as in torch
            values = [np.asarray(v, dtype=np.float64).astype(a.dtype) for v in (
                nan, info.max if posinf is None else posinf, info.min if neginf is None else neginf
            )]  # fmt: skip
        out = np.where(np.isnan(a), values[0], a)
        out = np.where(np.isposinf(a), values[1], out)
        out = np.where(np.isneginf(a), values[2], out).astype(a.dtype, copy=False)

        def backward(g):  # d nan_to_num(x) = 1 where x is finite, 0 where it was replaced
            return (np.where(np.isfinite(a), g, 0),)

        return _result(out, (self,), backward, "NanToNumBackward0", (self,))

    def where(self, *args, **kwargs) -> Tensor:
        """x where condition is True, else other (Tensor.where(condition, other);
        torch.where(condition, x, other))."""
        from ._overloads import overload
        from .joining import _TENSOR_WHERE, where

        _, (condition, other) = overload(_TENSOR_WHERE, args, kwargs, "where")
        return where(condition, self, other)

    # -- erf: the Gauss error function (GELU is built on it) -----------------------------------

    def erf(self) -> Tensor:
        """erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, elementwise (torch.erf); int and bool input give float32.

        Computed in float64 with the C library's erf; d erf(x) = 2/√π · e^(−x²).

        >>> tensor([0.0, 0.5, 3.0]).erf()
        tensor([0.0000, 0.5205, 1.0000])
        """
        d = lambda x, y: (2 / math.sqrt(math.pi)) * np.exp(-x * x)  # noqa: E731
        return self._float_unary(_erf_float64, "ErfBackward0", d, self)

    def erf_(self) -> Tensor:
        """erf(x) written into x (Tensor.erf_); an integer tensor cannot hold it."""
        return self._apply_in_place(Tensor.erf, "ErfBackward0")


def _erf_float64(a: np.ndarray) -> np.ndarray:
    """erf of a float64 array, value by value with the C library's erf (NumPy has none, and
    course_lib's core needs nothing but NumPy): about 0.1 s per million values."""
    a = np.asarray(a)
    values = map(math.erf, a.ravel().tolist())
    return np.fromiter(values, np.float64, count=a.size).reshape(a.shape)


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


def _remainder(a, b):
    """torch's remainder: fmod, moved into b's sign (so -2.0 % 1.0 is -0.0, as in torch)."""
    _check_int_divisor(a, b)
    m = np.fmod(a, b)
    return np.where((m != 0) & ((m < 0) != (np.asarray(b) < 0)), m + b, m)


def _floor_divide_backward(g):  # torch records the op (the result requires grad) but has no rule
    raise RuntimeError("derivative for aten::floor_divide is not implemented")


def _elementwise(f, a, b, true_div: bool = False) -> np.ndarray:
    """Apply a NumPy binary function with torch's type promotion and broadcasting message."""
    dt = result_type(a, b)
    if true_div and dt.kind != "f":
        dt = np.dtype(np.float32)
    if dt.kind == "u":  # a negative Python int wraps around into uint8, as torch casts it
        a, b = (x % 256 if type(x) is int and x < 0 else x for x in (a, b))
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

    # torch saves other for input's gradient, and both for other's (a number too, wrapped in a
    # tensor): a second backward raises, and so does changing a saved tensor in place
    saved = (other,) if getattr(input, "_requires_grad", False) else ()
    saved += (input, other) if getattr(other, "_requires_grad", False) else ()
    parents = (_parent(input), _parent(other))
    return _result(np.asarray(out), parents, backward, "DivBackward2", saved)


# -- the math of clamp_min/max, lerp, addcmul/addcdiv, atan2, hypot, logaddexp, xlogy, copysign,
# -- fmax/fmin, the logical ops and isclose (their methods are in ElementwiseOps above)


def _broadcast_check(*shapes) -> tuple:
    """The broadcast shape of `shapes`, or torch's error naming the first pair that clashes."""
    shape = ()
    for s in shapes:
        try:
            shape = np.broadcast_shapes(shape, s)
        except ValueError:
            raise _broadcast_error(shape, s) from None
    return shape


def _clamp_one(x: Tensor, bound, beyond, prefix: str) -> Tensor:
    """clamp_min (beyond = np.less) or clamp_max (np.greater): the bound where x is beyond it
    or the bound is nan, else x; promoted as torch promotes x with the bound. On a tie x is
    kept (0. and -0.), as maximum does here; torch's vectorised loop over a tensor bound of 8
    or more float64 (16 float32) elements keeps the bound's sign instead."""
    a, m = x._array, _arr(x._other(bound))
    _broadcast_check(a.shape, np.shape(m))
    dt = result_type(a, m)
    if dt.kind == "b" and not isinstance(bound, Tensor):
        kernel = f"{prefix[:5].lower()}_{prefix[5:].lower()}_scalar_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    with quiet:  # both are cast to the result's dtype first (-3 into uint8 is 253, as torch)
        a, m = a.astype(dt, copy=False), np.asarray(m).astype(dt, copy=False)
        out = np.where(beyond(a, m) | np.isnan(m), m, a).astype(dt, copy=False)
    by_tensor = isinstance(bound, Tensor)
    inside = np.greater_equal if beyond is np.less else np.less_equal

    def backward(g):  # d clamp_min(x, m) = 1 where x >= m (to x), 1 where x < m (to m)
        with quiet:
            ga = unbroadcast(np.where(inside(a, m), g, 0), a.shape)
            gm = unbroadcast(np.where(beyond(a, m), g, 0), m.shape) if by_tensor else None
        return ga, gm

    name = f"{prefix}Backward1" if by_tensor else f"{prefix}Backward0"
    return _result(out, (x, _parent(bound)), backward, name, (x, _parent(bound)))


_LERP_OVERLOADS = [
    "(Tensor input, Tensor end, Tensor weight, *, Tensor out = None)",
    "(Tensor input, Tensor end, Number weight, *, Tensor out = None)",
]


def _lerp_args(input, end, weight, fn: str, method: bool = True) -> None:
    """lerp's end must be a tensor, its weight a tensor or a number (torch's overload error:
    the function's overloads name `input` and `out=`, the method's do not)."""
    if isinstance(end, Tensor) and (isinstance(weight, Tensor) or _is_number(weight)):
        return
    if not method:
        raise _overloads_error(fn, (input, end, weight), _LERP_OVERLOADS)

    def shown(x, ok):
        return _type_name(x) if ok else f"!{_value_desc(x)}!"

    end_ok = isinstance(end, Tensor)  # torch marks the number weight too after a bad end
    marked = (shown(end, end_ok), shown(weight, isinstance(weight, Tensor)))
    number = (marked[0], shown(weight, end_ok and _is_number(weight)))
    raise _overloads_error(
        fn,
        (end, weight),
        [("(Tensor end, Tensor weight)", marked), ("(Tensor end, Number weight)", number)],
    )


def _lerp_dtypes(input: Tensor, end: Tensor, weight) -> None:
    """lerp does not promote: end (and a weight tensor with dims) must have input's dtype."""
    by_tensor = isinstance(weight, Tensor) and weight.ndim > 0
    for arr, what in ((end._array, "end"), (weight._array if by_tensor else None, "weight")):
        if arr is not None and arr.dtype != input._array.dtype:
            raise RuntimeError(
                f"expected dtype {input.dtype.cpp_name} for `{what}` but got dtype "
                f"{from_numpy_dtype(arr.dtype).cpp_name}"
            )


def _lerp_kernel(input: Tensor, weight) -> None:
    """lerp's kernels are for floats only (checked after the shapes)."""
    if input._array.dtype.kind != "f":
        kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{input.dtype.scalar_name}'")


def _lerp(input: Tensor, end: Tensor, weight, method: bool = True) -> Tensor:
    """input + weight * (end - input), computed from the nearer end as torch does (exact at
    weight 0 and 1)."""
    _lerp_args(input, end, weight, "lerp", method)
    _lerp_dtypes(input, end, weight)
    a, b = input._array, end._array
    by_tensor = isinstance(weight, Tensor)
    w = weight._array if by_tensor else np.asarray(_py_number(weight), dtype=a.dtype)
    _broadcast_check(a.shape, b.shape, w.shape)
    _lerp_kernel(input, weight)
    w = w.astype(a.dtype, copy=False)  # a 0-d weight of another float dtype
    with quiet:
        diff = b - a
        out = np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w)).astype(a.dtype)

    def backward(g):  # d lerp = (1 - w) da + w dend + (end - x) dw
        with quiet:
            ga = unbroadcast(g * (1 - w), a.shape)
            gb = unbroadcast(g * w, b.shape)
            gw = unbroadcast(g * diff, w.shape) if by_tensor else None
        return ga, gb, gw

    if not by_tensor:  # a number weight: torch's node has the two tensors' edges alone
        return _result(out, (input, end), lambda g: backward(g)[:2], "LerpBackward0", (weight,))
    return _result(out, (input, end, weight), backward, "LerpBackward1", (input, end, weight))


_ADDCDIV_INT = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
    "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
    "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
    "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
    "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
    "for all dtypes."
)


def _addc_checks(input: Tensor, t1, t2, value, fn: str, first: int = 1) -> np.dtype:
    """addcmul's and addcdiv's checks before any shape: the argument types, no integer
    division, no bools. Returns the result dtype."""
    name = fn.rstrip("_")
    _check_tensor_arg(t1, fn, "tensor1", first)
    _check_tensor_arg(t2, fn, "tensor2", first + 1)
    if not _is_number(value):
        raise TypeError(f"{fn}(): argument 'value' must be Number, not {type(value).__name__}")
    if name == "addcdiv" and result_type(t1._array, t2._array).kind in "biu":
        raise RuntimeError(_ADDCDIV_INT)
    dt = result_type(input._array, t1._array, t2._array)
    if dt.kind == "b":
        raise NotImplementedError(f"\"{name}_cpu_out\" not implemented for 'Bool'")
    return dt


def _addc(input: Tensor, t1: Tensor, t2: Tensor, value, fn: str, first: int = 1) -> Tensor:
    """addcmul (input + value t1 t2) and addcdiv (input + value t1 / t2); `first` is the
    position of tensor1 in torch's messages (1 for the method, 2 for the function)."""
    dt = _addc_checks(input, t1, t2, value, fn, first)
    a, b, c = input._array, t1._array, t2._array
    _broadcast_check(a.shape, b.shape, c.shape)
    v = np.asarray(int(value) if dt.kind in "iu" else _py_number(value)).astype(dt)
    b_, c_ = b.astype(dt, copy=False), c.astype(dt, copy=False)
    with quiet:
        out = a.astype(dt, copy=False) + (v * b_ * c_ if fn == "addcmul" else v * (b_ / c_))
    out = np.asarray(out).astype(dt, copy=False)

    def backward(g):  # addcmul: d = dx + v t2 dt1 + v t1 dt2; addcdiv: dx + v/t2 dt1 - v t1/t2² dt2
        if fn == "addcdiv" and t1._requires_grad and c.dtype.kind in "biu":  # as torch's
            raise RuntimeError(  # backward, which divides in place into tensor2's dtype
                f"result type {from_numpy_dtype(g.dtype).scalar_name} can't be cast to the "
                f"desired output type {t2.dtype.scalar_name}"
            )
        with quiet:
            if fn == "addcmul":
                g1, g2 = g * v * c, g * v * b
            else:
                g1, g2 = g * v / c, -g * v * b / (c * c)
        return unbroadcast(g, a.shape), unbroadcast(g1, b.shape), unbroadcast(g2, c.shape)

    saved = (t2 if t1._requires_grad else None, t1 if t2._requires_grad else None)
    if fn == "addcdiv" and t2._requires_grad:
        saved += (t2,)
    name = "AddcmulBackward0" if fn == "addcmul" else "AddcdivBackward0"
    return _result(out, (input, t1, t2), backward, name, saved)


def _float_binary(x: Tensor, other: Tensor, op: str) -> Tensor:
    """atan2, hypot, logaddexp of two tensors, broadcast; atan2 takes integers (a float32
    result), hypot and logaddexp refuse them as torch."""
    a, b = x._array, other._array
    _broadcast_check(a.shape, b.shape)  # torch sizes the result before it picks a kernel
    dt = result_type(a, b)
    if dt.kind != "f":
        if op != "atan2":
            raise NotImplementedError(
                f"\"{op}_cpu\" not implemented for '{from_numpy_dtype(dt).scalar_name}'"
            )
        dt = np.dtype(np.float32)
    _broadcast_check(a.shape, b.shape)
    wide = np.float64 if dt == np.float32 else dt  # correctly rounded, as torch's kernels
    A, B = a.astype(wide), b.astype(wide)
    f = {"atan2": np.arctan2, "hypot": np.hypot, "logaddexp": np.logaddexp}[op]
    with quiet:
        out = np.asarray(f(A, B)).astype(dt)

    def backward(g):
        with quiet:
            if op == "atan2":  # d atan2(a, b) = (b da - a db) / (a² + b²)
                r = A * A + B * B
                ga, gb = g * (B / r), g * (-A / r)
            elif op == "hypot":  # d hypot(a, b) = (a da + b db) / hypot(a, b)
                ga, gb = g * (A / out), g * (B / out)
            else:  # d logaddexp(a, b) = (e^a da + e^b db) / (e^a + e^b)
                ga, gb = g / (1 + np.exp(B - A)), g / (1 + np.exp(A - B))
        return unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)

    name = {"atan2": "Atan2Backward0", "hypot": "HypotBackward0"}.get(op, "LogaddexpBackward0")
    saved = (x, other, OUT) if op == "hypot" else (x, other)
    return _result(out, (x, other), backward, name, saved)


def _xlogy(x, y) -> Tensor:
    """x * log(y) with 0 where x == 0 and y is not nan; either may be a number (not both)."""
    a, b = _arr(x), _arr(y)
    dt = result_type(a, b)
    dt = dt if dt.kind == "f" else np.dtype(np.float32)
    _broadcast_check(np.shape(a), np.shape(b))
    wide = np.float64 if dt == np.float32 else dt
    A, B = np.asarray(a).astype(wide), np.asarray(b).astype(wide)
    with quiet:
        out = np.where((A == 0) & ~np.isnan(B), 0, A * np.log(B)).astype(dt)

    def backward(g):  # d xlogy(x, y) = log(y) dx + x / y dy (0 to x where x == 0 and y <= 0)
        with quiet:
            gx = np.where(((A == 0) & (B <= 0)) | (g == 0), 0, g * np.log(B))
            gy = g * A / B
        return (
            unbroadcast(gx, np.shape(a)) if isinstance(x, Tensor) else None,
            unbroadcast(gy, np.shape(b)) if isinstance(y, Tensor) else None,
        )

    name = "XlogyBackward0"
    if not isinstance(x, Tensor):
        name = "XlogyBackward1"
    elif not isinstance(y, Tensor):
        name = "XlogyBackward2"
    return _result(out, (_parent(x), _parent(y)), backward, name, (_parent(x), _parent(y)))


def _copysign(x: Tensor, other) -> Tensor:
    """|x| with other's sign bit (-0. counts as negative), as floats."""
    a, b = x._array, _arr(x._other(other))
    dt = result_type(a, b)
    dt = dt if dt.kind == "f" else np.dtype(np.float32)
    _broadcast_check(a.shape, np.shape(b))
    with quiet:
        out = np.asarray(np.copysign(a.astype(dt), np.asarray(b).astype(dt))).astype(dt)
    by_tensor = isinstance(other, Tensor)

    def backward(g):  # d copysign(x, s) = ±1 (out / x) to x, 0 where x == 0; nothing to s
        with quiet:
            ga = unbroadcast(np.where(a == 0, 0, g * (out / a)), a.shape)
        return ga, (np.zeros(b.shape, dtype=g.dtype) if by_tensor else None)

    name = "CopysignBackward0" if by_tensor else "CopysignBackward1"
    return _result(out, (x, _parent(other)), backward, name, (x, OUT))


def _fmax_fmin(x: Tensor, other: Tensor, op: str) -> Tensor:
    """fmax/fmin: NumPy's, which ignore a nan unless both are nan; a tie goes to x."""
    a, b = x._array, other._array
    f = np.fmax if op == "fmax" else np.fmin
    out = _elementwise(f, a, b)
    if out.dtype.kind == "f":  # a tie gives x (0. and -0.: torch keeps x's sign)
        out = np.where(a == b, a, out).astype(out.dtype, copy=False)
    first = np.greater_equal if op == "fmax" else np.less_equal

    def backward(g):  # the gradient goes to the one picked: x on a tie or where other is nan
        with quiet:
            to_a = first(a, b) | np.isnan(b)
        return unbroadcast(np.where(to_a, g, 0), a.shape), unbroadcast(
            np.where(to_a, 0, g), b.shape
        )

    name = "FmaxBackward0" if op == "fmax" else "FminBackward0"
    return _result(out, (x, other), backward, name, (x, other))


def _logical(a: np.ndarray, b: np.ndarray, f) -> Tensor:
    """A logical op of two arrays of any dtypes: non-zero is True (nan too)."""
    return Tensor._wrap(_elementwise(f, np.asarray(a != 0), np.asarray(b != 0)))


def _isclose(x: Tensor, other: Tensor, rtol, atol, equal_nan: bool, pos: int = 1) -> Tensor:
    """torch.isclose: the dtypes must match; close where equal (inf too), both nan with
    `equal_nan`, or finitely within atol + rtol * |other|."""
    _check_tensor_arg(other, "isclose", "other", pos)
    if x.dtype is not other.dtype:
        raise RuntimeError(f"{x.dtype.scalar_name} did not match {other.dtype.scalar_name}")
    for name, v in (("rtol", rtol), ("atol", atol)):
        if v < 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {v:g}")
    a, b = x._array, other._array
    _broadcast_check(a.shape, b.shape)
    if a.dtype.kind != "f":
        a, b = a.astype(np.float64), b.astype(np.float64)
    with quiet:
        close = a == b
        if equal_nan:
            close = close | (np.isnan(a) & np.isnan(b))
        err = np.abs(a - b)
        close = close | (np.isfinite(err) & (err <= atol + np.abs(rtol * b)))
    return Tensor._wrap(np.asarray(close))


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """The step function (torch.heaviside): 0 where input < 0, `values` where input == 0, 1
    where input > 0 (nan gives 0); input and values broadcast and share one dtype. It has no
    derivative in torch: backward raises.

    >>> heaviside(tensor([-1.0, 0.0, 2.0]), tensor([0.5]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    _check_tensor_arg(input, "heaviside", "input", 1)
    _check_tensor_arg(values, "heaviside", "values", 2)
    a, v = input._array, values._array
    if a.dtype != v.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    try:
        np.broadcast_shapes(a.shape, v.shape)
    except ValueError:
        raise _broadcast_error(a.shape, v.shape) from None
    out = np.where(a == 0, v, a > 0).astype(a.dtype)

    def backward(g):
        raise RuntimeError("derivative for aten::heaviside is not implemented")

    return _result(out, (input, values), backward, "torch::autograd::NotImplemented")
