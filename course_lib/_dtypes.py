"""dtypes, `Size`, and torch's type-promotion rule, on top of NumPy.

A `dtype` is a thin named wrapper around a NumPy scalar type, printed the way torch prints it
(`torch.float32`), so that `import course_lib as torch` code reads and prints the same.
"""

from __future__ import annotations

import numpy as np


class dtype:
    """A tensor element type: `float32` (the default), `float64`, `int64`, `int32`, `bool`."""

    def __init__(self, name: str, np_type: type, scalar_name: str, cpp_name: str, tensor_type: str):
        self.name = name
        self.np = np.dtype(np_type)
        self.scalar_name = scalar_name  # "Float", as in "mat1 and mat2 must have the same dtype..."
        self.cpp_name = cpp_name  # "float", as in "expected m1 and m2 ... float != double"
        self.tensor_type = tensor_type  # "torch.FloatTensor", as in torch.typename(t)
        self.is_floating_point = self.np.kind == "f"

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


float32 = dtype("float32", np.float32, "Float", "float", "torch.FloatTensor")
float64 = dtype("float64", np.float64, "Double", "double", "torch.DoubleTensor")
int64 = dtype("int64", np.int64, "Long", "long int", "torch.LongTensor")
int32 = dtype("int32", np.int32, "Int", "int", "torch.IntTensor")
uint8 = dtype("uint8", np.uint8, "Byte", "unsigned char", "torch.ByteTensor")
bool_ = dtype("bool", np.bool_, "Bool", "bool", "torch.BoolTensor")

_ALL = (float32, float64, int64, int32, uint8, bool_)
_FROM_NUMPY = {d.np: d for d in _ALL}


def _by_name(name: str) -> dtype:
    return next(d for d in _ALL if d.name == name)


def from_numpy_dtype(np_dtype) -> dtype:
    """The course dtype for a NumPy dtype; TypeError for types the course does not cover."""
    try:
        return _FROM_NUMPY[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype)}. The only supported "
            "types are: float64, float32, int64, int32, uint8, and bool."
        ) from None


def as_numpy_dtype(d) -> np.dtype:
    """Accept a course dtype (or a NumPy dtype, for convenience) and return the NumPy dtype."""
    if isinstance(d, dtype):
        return d.np
    return from_numpy_dtype(d).np


class Size(tuple):
    """The shape of a tensor: a tuple that prints as `torch.Size([2, 3])`."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n


def _category(np_dtype: np.dtype) -> int:
    """0 for bool, 1 for integers, 2 for floating point: torch promotes by category first."""
    return 0 if np_dtype.kind == "b" else (2 if np_dtype.kind == "f" else 1)


def result_type(*operands) -> np.dtype:
    """torch's type promotion for an elementwise op (NumPy's differs for scalars and 0-d arrays).

    The highest category (bool < int < float) wins. Within it, tensors with dimensions decide; if
    none has that category, 0-d tensors decide; if only a Python number has it, the result is
    float32 (the default dtype) or int64. So `float32 tensor * float64 0-d tensor` stays float32
    and `int64 tensor * 2.5` is float32, where NumPy would give float64 for both.
    Operands are NumPy arrays (from tensors) or Python numbers.
    """
    best = [(-1, None), (-1, None), (-1, None)]  # per priority: dims, zero-dim, python scalar
    for x in operands:
        if isinstance(x, np.ndarray):
            cat, slot = _category(x.dtype), (0 if x.ndim else 1)
            d = x.dtype
        else:
            cat = 0 if isinstance(x, bool) else (1 if isinstance(x, int) else 2)
            slot, d = 2, None
        c, cur = best[slot]
        if cat > c:
            best[slot] = (cat, d)
        elif cat == c and d is not None:
            best[slot] = (cat, np.promote_types(cur, d))
    top = max(c for c, _ in best)
    for c, d in best[:2]:
        if c == top:
            return d
    return np.dtype((np.bool_, np.int64, np.float32)[top])


# ----------------------------------------------------------------------------------------------
# Python numbers written into a tensor: torch refuses a number its dtype cannot hold
# ----------------------------------------------------------------------------------------------

_C_TYPES = {"uint8": "uint8_t", "int32": "int", "int64": "int64_t", "float32": "float"}


def _overflow(type_name: str) -> RuntimeError:
    return RuntimeError(f"value cannot be converted to type {type_name} without overflow")


def _fits(value, np_dtype: np.dtype) -> bool:
    """Whether torch writes `value` into a `np_dtype` tensor: any number fits a bool; an integer
    fits between the type's bounds (an unsigned type also takes -max..-1, wrapping around); a
    float is truncated toward 0 into an integer type if finite and in bounds, and fits float32
    unless it is finite and beyond float32's largest value (inf and nan fit)."""
    if np_dtype.kind == "b" or isinstance(value, (bool, np.bool_)):
        return True
    if np_dtype.kind == "f":
        largest = float(np.finfo(np_dtype).max)
        return np_dtype.itemsize == 8 or bool(np.isinf(value)) or not abs(value) > largest
    info = np.iinfo(np_dtype)
    if isinstance(value, (int, np.integer)):
        low = -info.max if np_dtype.kind == "u" else info.min
        return low <= value <= info.max
    return bool(np.isfinite(value)) and info.min <= value <= info.max


def check_fill_value(value, np_dtype: np.dtype):
    """torch's check on a number filled into a tensor (full, fill_, masked_fill, setitem, ...);
    returns the number as NumPy takes it (a negative int wrapped around for an unsigned type)."""
    if not _fits(value, np_dtype):
        raise _overflow(_C_TYPES.get(np_dtype.name, np_dtype.name))
    if np_dtype.kind == "u" and isinstance(value, (int, np.integer)) and value < 0:
        return int(value) % (int(np.iinfo(np_dtype).max) + 1)
    return value


def check_data_fits(raw: np.ndarray, np_dtype: np.dtype) -> None:
    """torch's check on the numbers of `torch.tensor(data, dtype=...)` with an integer dtype:
    `raw` is the data as NumPy reads it without a dtype (int64, float64, bool, or object for
    integers beyond int64)."""
    if np_dtype.kind not in "iu" or raw.dtype.kind == "b":
        return
    info = np.iinfo(np_dtype)
    if raw.dtype.kind == "O":
        bad = any(not _fits(v, np_dtype) for v in raw.ravel())
    elif raw.dtype.kind in "iu":
        low = -info.max if np_dtype.kind == "u" else info.min
        bad = bool(((raw < low) | (raw > info.max)).any())
    else:
        with np.errstate(invalid="ignore"):
            bad = not bool((np.isfinite(raw) & (raw >= info.min) & (raw <= info.max)).all())
    if bad:
        raise _overflow(np_dtype.name)


# ----------------------------------------------------------------------------------------------
# torch.promote_types, torch.can_cast, torch.finfo, torch.iinfo: the dtype rules as functions
# ----------------------------------------------------------------------------------------------


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The dtype an op on tensors of `type1` and `type2` gives (torch.promote_types): the higher
    category (bool < integer < floating point) wins, then the wider type within it."""
    c1, c2 = _category(type1.np), _category(type2.np)
    if c1 != c2:
        return type1 if c1 > c2 else type2
    return from_numpy_dtype(np.promote_types(type1.np, type2.np))


def can_cast(from_: dtype, to: dtype) -> bool:
    """Whether an in-place op may write a `from_` result into a `to` tensor (torch.can_cast):
    never down a category (a float into an integer, a number into a bool)."""
    return _category(from_.np) <= _category(to.np)


class finfo:
    """The limits of a floating-point dtype (torch.finfo): bits, eps (the gap between 1 and
    the next float), max, min, tiny (= smallest_normal, the smallest positive normal number)
    and resolution (10 ** -precision), as Python floats.

    >>> finfo(float32).eps
    1.1920928955078125e-07
    """

    def __init__(self, type: dtype = float32):
        if not type.is_floating_point:
            raise TypeError(
                "torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                "'torch.finfo'"
            )
        info = np.finfo(type.np)
        self.bits = info.bits
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0**-info.precision  # 1e-06, as torch (not float32(1e-06))
        self.dtype = type.name

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
            f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, "
            f"dtype={self.dtype})"
        )


class iinfo:
    """The limits of an integer dtype (torch.iinfo): bits, max and min, as Python ints.

    >>> iinfo(int32).max
    2147483647
    """

    def __init__(self, type: dtype):
        if type.np.kind == "b":
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if type.is_floating_point:
            raise TypeError(
                "torch.iinfo() requires an integer input type. Use torch.finfo to handle "
                "'torch.iinfo'"
            )
        info = np.iinfo(type.np)
        self.bits, self.max, self.min, self.dtype = (
            info.bits,
            int(info.max),
            int(info.min),
            type.name,
        )

    def __repr__(self) -> str:
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"
