"""Creating tensors: `tensor`, `zeros`, `empty`, `randn`, ... with torch's dtype rules.

float32 is the default floating dtype; Python ints give int64; a NumPy array keeps its dtype
(so `from_numpy(np.zeros(2))` is float64, as in torch). Sizes may be given as separate ints or
as one tuple/list. Every factory takes `dtype=` and `requires_grad=`.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from . import _random
from ._deterministic import uninitialised
from ._dtypes import (
    Size,
    as_numpy_dtype,
    bool_,
    check_data_fits,
    check_fill_value,
    dtype,
    float32,
    float64,
    from_numpy_dtype,
    int32,
    int64,
    uint8,
)
from ._ops._checks import _size_arg, _sizes
from ._ops._common import _laid_out_like, quiet
from .tensor import Tensor


def _finish(array: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(array)
    if requires_grad:
        if array.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        t._requires_grad = True
    return t


def _infer_dtype(data) -> np.dtype:
    """torch.tensor's inference: bool → bool, int → int64, float → float32, ndarray → its own."""
    if isinstance(data, (np.ndarray, np.generic)):  # NumPy arrays and scalars keep their dtype
        return from_numpy_dtype(data.dtype).np
    if isinstance(data, Tensor):
        return data._array.dtype
    kinds = set()
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, Tensor):
            kinds.add(x._array.dtype.kind)
        elif isinstance(x, (bool, np.bool_)):
            kinds.add("b")
        elif isinstance(x, (numbers.Integral, np.integer)):
            kinds.add("i")
        elif isinstance(x, (numbers.Real, np.floating)):
            kinds.add("f")
        else:
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
    if "f" in kinds:
        return np.dtype(np.float32)
    if "i" in kinds or not kinds:
        return np.dtype(np.int64) if kinds else np.dtype(np.float32)
    return np.dtype(np.bool_)


def _nested_array(data, dt: np.dtype) -> np.ndarray:
    try:
        return np.array(data, dtype=dt)
    except ValueError:
        raise ValueError(_ragged_message(data)) from None


def _ragged_message(data, dim: int = 0) -> str:
    if isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)):
        n = len(data[0])
        for row in data:
            if not isinstance(row, (list, tuple)) or len(row) != n:
                got = len(row) if isinstance(row, (list, tuple)) else 0
                return f"expected sequence of length {n} at dim {dim + 1} (got {got})"
        for row in data:
            msg = _ragged_message(row, dim + 1)
            if msg:
                return msg
    return ""


def tensor(data, dtype: dtype | None = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of `data` (a number, nested list, ndarray or tensor).

    >>> tensor([1, 2]).dtype, tensor([1.0, 2]).dtype
    (torch.int64, torch.float32)
    """
    dt = as_numpy_dtype(dtype) if dtype is not None else _infer_dtype(data)
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
            "rather than torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        array = data._array.astype(dt, copy=True)
    elif isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
        array = np.array([np.asarray(x._array if isinstance(x, Tensor) else x) for x in data], dt)
    else:
        raw = None
        if dtype is not None and not isinstance(data, np.ndarray):
            raw = _numbers_that_fit(data, dt)
        if raw is not None and raw.dtype.kind == "i" and dt.kind == "u":
            array = raw.astype(dt)  # -1 is 255 in a uint8 tensor: wraps around, as in torch
        else:
            with np.errstate(invalid="ignore", over="ignore"):  # an ndarray's nan cast: silent
                array = _nested_array(data, dt)
    return _finish(array, requires_grad)


def _numbers_that_fit(data, dt: np.dtype) -> np.ndarray | None:
    """The data as NumPy reads it, after torch's check that each number fits `dt`
    (torch.tensor([300], dtype=torch.uint8) raises); None for ragged data."""
    try:
        raw = np.array(data)
    except ValueError:  # ragged: _nested_array gives torch's message
        return None
    check_data_fits(raw, dt)
    return raw


def as_tensor(data, dtype: dtype | None = None) -> Tensor:
    """Like `tensor`, but shares memory with an ndarray or tensor of the right dtype."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == as_numpy_dtype(dtype)):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor that shares memory with a NumPy array and keeps its dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    from_numpy_dtype(array.dtype)  # raises for dtypes the course does not cover
    return Tensor._wrap(array)


def _legacy_array(data, np_dtype) -> np.ndarray:
    """The data of `Tensor(data)` / `LongTensor(data)`: a sequence (or ndarray), cast."""
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if not isinstance(data, (list, tuple, np.ndarray)):
        kind = type(data)
        name = kind.__name__ if kind.__module__ == "builtins" else f"numpy.{kind.__name__}"
        raise TypeError(f"new(): data must be a sequence (got {name})")
    _infer_dtype(data)  # rejects strings and other non-numbers with torch's message
    return _nested_array(data, np.float64).astype(np_dtype)  # LongTensor truncates 1.7 to 1


class _LegacyTensorType(type):
    """torch's legacy tensor types (`LongTensor`, `FloatTensor`, ...): calling one builds a
    tensor of its dtype, and `isinstance(t, LongTensor)` is True for any int64 tensor."""

    def __call__(cls, *args, **kwargs) -> Tensor:
        return _legacy_new(cls.dtype, args, kwargs)

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor) and obj._array.dtype == cls.dtype.np

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


_NEW_OVERLOADS = (
    " * (*, torch.device device = None)\n{why}"
    " * (torch.Storage storage)\n"
    " * (Tensor other)\n"
    " * (tuple of ints size, *, torch.device device = None)\n"
    " * (object data, *, torch.device device = None)\n"
)


def _legacy_new(d: dtype, args: tuple, kwargs: dict) -> Tensor:
    """`LongTensor(2, 3)` (uninitialised), `LongTensor([1, 2])` (data, cast), `LongTensor()`."""
    if kwargs:
        got = ", ".join(
            [type(a).__name__ for a in args]
            + [f"{k}={type(v).__name__}" for k, v in kwargs.items()]
        )
        got = got.replace("=dtype", "=torch.dtype")
        why = "      didn't match because some of the keywords were incorrect: " + ", ".join(kwargs)
        raise TypeError(
            f"new() received an invalid combination of arguments - got ({got}), but expected "
            "one of:\n" + _NEW_OVERLOADS.format(why=why + "\n")
        )
    if len(args) == 1 and isinstance(args[0], Tensor):  # an alias of a tensor of this dtype
        src = args[0].dtype
        if src is not d:
            options = (
                "device=cpu, layout=Strided, requires_grad=false (default), "
                "pinned_memory=false (default), memory_format=(nullopt))"
            )
            raise TypeError(
                f"expected TensorOptions(dtype={d.cpp_name}, {options} "
                f"(got TensorOptions(dtype={src.cpp_name}, {options})"
            )
        return Tensor._wrap(args[0]._array)
    sizes = (
        not args
        or isinstance(args[0], Size)
        or all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args[:1])
    )
    if sizes:
        for k, a in enumerate(args[1:], 2):
            if isinstance(a, bool) or not isinstance(a, numbers.Integral):
                raise TypeError(
                    f"new(): argument 'size' failed to unpack the object at pos {k} with error "
                    f'"type must be tuple of ints,but got {type(a).__name__}"'
                )
        return Tensor._wrap(uninitialised(_size_arg(args or (0,), "new"), d.np))
    if len(args) > 1:
        raise TypeError(
            f"new() received an invalid combination of arguments - got "
            f"({', '.join(type(a).__name__ for a in args)}), but expected one of:\n"
            + _NEW_OVERLOADS.format(why="")
        )
    values = _legacy_array(args[0], np.float64)
    if d.np == np.uint8 and ((values < 0) | (values > 255)).any():
        raise RuntimeError("value cannot be converted to type uint8 without overflow")
    return Tensor._wrap(values.astype(d.np))  # LongTensor truncates 1.7 to 1


def _legacy_type(name: str, d: dtype) -> type:
    doc = f"Legacy constructor for {d!r} tensors: `{name}(2, 3)` is uninitialised, `{name}(list)`"
    doc += " copies (and casts) the data. Prefer torch.empty / torch.tensor with dtype=."
    return _LegacyTensorType(name, (), {"dtype": d, "is_cuda": False, "__doc__": doc})


LongTensor = _legacy_type("LongTensor", int64)
FloatTensor = _legacy_type("FloatTensor", float32)
DoubleTensor = _legacy_type("DoubleTensor", float64)
IntTensor = _legacy_type("IntTensor", int32)
BoolTensor = _legacy_type("BoolTensor", bool_)
ByteTensor = _legacy_type("ByteTensor", uint8)


def _factory(fill, size, dtype, requires_grad, fn: str) -> Tensor:
    if not size:  # zeros() is not zeros(()): torch wants the size
        raise TypeError(f'{fn}() missing 1 required positional arguments: "size"')
    shape = _size_arg(size, fn)
    dt = as_numpy_dtype(dtype) if dtype is not None else np.dtype(np.float32)
    return _finish(fill(shape, dt), requires_grad)


def empty(*sizes, size=None, dtype: dtype | None = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor: whatever bytes the memory allocator hands back (np.empty).

    Not random and not reproducible: the values are often those of recently freed memory, or
    zeros. It does not touch the random number generator. Fill it before use. Under
    `use_deterministic_algorithms(True)` it is filled with NaN (the largest value for integers).
    """
    size = sizes if size is None else (size,)  # (2, 3), ((2, 3),) or size=(2, 3)
    return _factory(uninitialised, size, dtype, requires_grad, "empty")


def zeros(*sizes, size=None, dtype: dtype | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros."""
    size = sizes if size is None else (size,)  # (2, 3), ((2, 3),) or size=(2, 3)
    flat = _sizes(size)
    if any(isinstance(s, numbers.Integral) and s < 0 for s in flat):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    return _factory(np.zeros, size, dtype, requires_grad, "zeros")


def ones(*sizes, size=None, dtype: dtype | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones."""
    size = sizes if size is None else (size,)  # (2, 3), ((2, 3),) or size=(2, 3)
    return _factory(np.ones, size, dtype, requires_grad, "ones")


def full(size, fill_value, dtype: dtype | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with `fill_value`; the dtype is inferred from it (int → int64)."""
    dt = dtype if dtype is not None else from_numpy_dtype(_infer_dtype(fill_value))
    if isinstance(fill_value, (numbers.Number, np.generic)):
        fill_value = check_fill_value(fill_value, as_numpy_dtype(dt))
    return _factory(
        lambda s, d: np.full(s, fill_value, dtype=d), (size,), dt, requires_grad, "full"
    )


_RANDOM_OVERLOADS = (
    " * (tuple of ints size, *, {gen}Tensor out = None, torch.dtype dtype = None, "
    "torch.layout layout = None, torch.device device = None, bool pin_memory = False, "
    "bool requires_grad = False)\n"
)


def _random_factory(size, dtype, requires_grad, generator, kernel, fn, like=None) -> Tensor:
    """A new tensor of `size` filled by `Tensor.uniform_` or `Tensor.normal_`; laid out as a
    copy of the array `like` (rand_like: the fill follows memory order, as torch's)."""
    bad_generator = generator is not None and not isinstance(generator, _random.Generator)
    if not size or bad_generator:  # randn() / randn(*()): torch has no size-less overload
        got = [type(s).__name__ for s in size]
        got += [f"generator={type(generator).__name__}"] if bad_generator else []
        raise TypeError(
            f"{fn}() received an invalid combination of arguments - got ({', '.join(got)}), "
            "but expected one of:\n"
            + _RANDOM_OVERLOADS.format(gen="torch.Generator generator, ")
            + _RANDOM_OVERLOADS.format(gen="")
        )
    dt = as_numpy_dtype(dtype) if dtype is not None else np.dtype(np.float32)
    if dt.kind != "f":
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{from_numpy_dtype(dt).scalar_name}'"
        )
    out = np.empty(_size_arg(size, fn), dtype=dt)
    out = Tensor._wrap(out if like is None else _laid_out_like(out, like))
    if fn == "randn":
        out.normal_(generator=generator)
    else:
        out.uniform_(generator=generator)
    return _finish(out._array, requires_grad)


def randn(
    *sizes,
    size=None,
    generator: _random.Generator | None = None,
    dtype: dtype | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples from the standard normal N(0, 1), the values torch gives for the same seed.

    Fewer than 16 values come from Box-Muller one pair at a time, 16 or more from Box-Muller
    in blocks of 16 (so `randn(16)[0]` differs from `randn(15)[0]`, as in torch).

    >>> _ = manual_seed(0); randn(3)
    tensor([ 1.5410, -0.2934, -2.1788])
    """
    size = sizes if size is None else (size,)  # (2, 3), ((2, 3),) or size=(2, 3)
    return _random_factory(size, dtype, requires_grad, generator, "normal_kernel_cpu", "randn")


def rand(
    *sizes,
    size=None,
    generator: _random.Generator | None = None,
    dtype: dtype | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples from the uniform distribution U[0, 1), the values torch gives for the same seed.

    >>> _ = manual_seed(0); rand(3)
    tensor([0.4963, 0.7682, 0.0885])
    """
    size = sizes if size is None else (size,)  # (2, 3), ((2, 3),) or size=(2, 3)
    return _random_factory(size, dtype, requires_grad, generator, "check_uniform_bounds", "rand")


def randint(
    low,
    high=None,
    size=None,
    *,
    generator: _random.Generator | None = None,
    dtype: dtype | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Random integers in [low, high) (int64): low + u % (high - low); `randint(high, size)`."""
    if size is None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    if high is None or size is None or not isinstance(size, (tuple, list)):
        got = ", ".join(type(a).__name__ for a in (low, high, size) if a is not None)
        raise TypeError(
            f"randint() received an invalid combination of arguments - got ({got}), but "
            "expected one of:\n * (int high, tuple of ints size, *, torch.Generator generator, "
            "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
            "torch.device device = None, bool pin_memory = False, bool requires_grad = False)"
        )
    dt = as_numpy_dtype(dtype) if dtype is not None else np.dtype(np.int64)
    out = Tensor._wrap(np.empty(_size_arg((size,), "randint"), dtype=dt))
    out.random_(low, high, generator=generator)
    return _finish(out._array, requires_grad)


def randperm(
    n: int,
    *,
    generator: _random.Generator | None = None,
    dtype: dtype | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A random permutation of 0..n-1 (int64), the one torch gives for the same seed.

    The algorithm: start from 0..n-1, and for i = 0..n-2 swap entry i with entry
    i + (u % (n - i)), u a 32-bit draw.
    """
    _size_arg((n,), "randperm")
    dt = as_numpy_dtype(dtype) if dtype is not None else np.dtype(np.int64)
    perm = _random.randperm(_random._gen(generator), int(n))
    return _finish(perm.astype(dt), requires_grad)


def normal(mean, std=1.0, size=None, *, generator: _random.Generator | None = None) -> Tensor:
    """Samples of N(mean, std²); mean and std are numbers (then give `size`) or tensors.

    With a tensor the shape is the broadcast shape. torch draws z ~ N(0, 1) and computes
    `z * std + mean` when std is a tensor, else z ~ N(0, std²) and `z + mean`.
    """
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TypeError("normal(): a size is needed when mean and std are numbers")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        return empty(size).normal_(mean, std, generator=generator)
    ref = mean if isinstance(mean, Tensor) else std
    m = mean._array if isinstance(mean, Tensor) else mean
    s = std._array if isinstance(std, Tensor) else std
    if isinstance(std, Tensor) and (s < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    out = Tensor._wrap(np.empty(shape, dtype=ref._array.dtype))
    dt = out._array.dtype
    if isinstance(std, Tensor):  # N(0, 1), then scaled and shifted in two roundings
        out.normal_(generator=generator)
        out._array[...] = out._array * np.asarray(s, dt) + np.asarray(m, dt)
    else:  # N(0, std²), then shifted
        out.normal_(0.0, std, generator=generator)
        out._array[...] = out._array + np.asarray(m, dt)
    return out


def bernoulli(input: Tensor, p=None, *, generator: _random.Generator | None = None) -> Tensor:
    """1 with probability `input` (or the number `p`) in each entry, else 0; same shape and dtype."""
    out = Tensor._wrap(np.empty(input.shape, dtype=input._array.dtype))
    return out.bernoulli_(input if p is None else p, generator=generator)


def multinomial(
    input: Tensor,
    num_samples: int,
    replacement: bool = False,
    *,
    generator: _random.Generator | None = None,
) -> Tensor:
    """Indices drawn from the categories in each row of `input` (weights, not normalised).

    Without replacement (or for one sample) torch takes the top `num_samples` of p / E with
    E ~ Exp(1) per entry; with replacement it looks a uniform draw up in the cumulative sum.
    """
    probs = input._array
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if probs.dtype.kind != "f":
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: {input.dtype.scalar_name}"
        )
    rows = probs.reshape(-1, probs.shape[-1])
    n_cat = rows.shape[1]
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > n_cat:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if (rows < 0).any() or not np.isfinite(rows).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (rows.sum(axis=1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    gen = _random._gen(generator)
    if not replacement or num_samples == 1:
        q = _random.exponential(gen, rows.size).astype(rows.dtype).reshape(rows.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = rows / q
        # top-k by key, largest first (ties: the lower index first)
        idx = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    else:
        acc = np.cumsum(rows, axis=1, dtype=rows.dtype)
        acc = acc / acc[:, -1:]
        acc[:, -1] = 1
        idx = np.empty((rows.shape[0], num_samples), dtype=np.int64)
        for i in range(rows.shape[0]):  # one float64 uniform per sample, row after row
            u = gen._uniform64(num_samples)
            idx[i] = np.searchsorted(acc[i].astype(np.float64), u, side="left")
    idx = idx.astype(np.int64)
    return Tensor._wrap(idx.reshape(*probs.shape[:-1], num_samples))


def arange(
    start, end=None, step=1, dtype: dtype | None = None, requires_grad: bool = False
) -> Tensor:
    """Values from start (default 0) to end, exclusive: int64 if all are ints, else float32."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        ints = all(isinstance(x, numbers.Integral) for x in (start, end, step))
        dt = np.dtype(np.int64) if ints else np.dtype(np.float32)
    else:
        dt = as_numpy_dtype(dtype)
    if dt.kind in "iu" and not all(isinstance(x, numbers.Integral) for x in (start, end, step)):
        # an integer dtype takes integer bounds and step: torch truncates them first (0.5 → 0)
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise ValueError("step must be nonzero")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = int(np.ceil((end - start) / step))
    values = start + step * np.arange(n, dtype=np.float64 if dt.kind == "f" else np.int64)
    return _finish(values.astype(dt), requires_grad)


def linspace(
    start, end, steps: int, dtype: dtype | None = None, requires_grad: bool = False
) -> Tensor:
    dt = as_numpy_dtype(dtype) if dtype is not None else np.dtype(np.float32)
    with quiet:  # an infinite end gives inf and nan, silently
        values = np.linspace(start, end, steps).astype(dt)
    return _finish(values, requires_grad)


def logspace(
    start,
    end,
    steps: int,
    base: float = 10.0,
    dtype: dtype | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """base ** x for `steps` x evenly spaced from start to end (torch.logspace): the exponents
    from the nearer end in double precision, C's pow, then the dtype (integers truncated).
    float64 results are torch's to the bit; float32 ones within an ulp.

    >>> logspace(0, 2, 3)
    tensor([  1.,  10., 100.])
    """
    dt = as_numpy_dtype(dtype) if dtype is not None else np.dtype(np.float32)
    if dt.kind == "b":
        raise NotImplementedError("\"logspace_cpu\" not implemented for 'Bool'")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    to = dt.type if dt.kind == "f" else int  # start and end in the dtype first
    s, e = float(to(start)), float(to(end))
    if steps == 1:
        exps = [s]
    else:
        step = (e - s) / max(steps - 1, 1)
        half = steps // 2
        exps = [s + step * k if k < half else e - step * (steps - k - 1) for k in range(steps)]
    with quiet:
        values = np.array([math.pow(float(base), x) for x in exps], dtype=np.float64).astype(dt)
    return _finish(values, requires_grad)


def eye(
    n: int, m: int | None = None, dtype: dtype | None = None, requires_grad: bool = False
) -> Tensor:
    dt = as_numpy_dtype(dtype) if dtype is not None else np.dtype(np.float32)
    return _finish(np.eye(n, m, dtype=dt), requires_grad)


def _like(fn):
    def like(
        input: Tensor,
        dtype: dtype | None = None,
        requires_grad: bool = False,
        **kwargs,
    ) -> Tensor:
        # size=: a 0-d input gives a 0-d result (fn() alone is a TypeError, as in torch)
        shape = tuple(input.shape)
        out = fn(size=shape, dtype=dtype or input.dtype, requires_grad=requires_grad, **kwargs)
        out._array = _laid_out_like(out._array, input._array)  # out is new: nothing shares it
        return out

    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"`{fn.__name__}` with the shape (and dtype) of `input`."
    return like


empty_like, zeros_like, ones_like = _like(empty), _like(zeros), _like(ones)


def _random_like(kernel: str, fn: str):
    def like(
        input: Tensor,
        *,
        generator: _random.Generator | None = None,
        dtype: dtype | None = None,
        requires_grad: bool = False,
    ) -> Tensor:
        shape = (tuple(input.shape),)  # a 0-d input gives a 0-d result
        dt = dtype or input.dtype
        return _random_factory(shape, dt, requires_grad, generator, kernel, fn, input._array)

    like.__name__ = fn + "_like"
    like.__doc__ = f"`{fn}` with the shape (and dtype) of `input`, laid out as a copy of it."
    return like


rand_like = _random_like("check_uniform_bounds", "rand")
randn_like = _random_like("normal_kernel_cpu", "randn")


def full_like(input: Tensor, fill_value, dtype: dtype | None = None) -> Tensor:
    out = full(input.shape, fill_value, dtype=dtype or input.dtype)
    out._array = _laid_out_like(out._array, input._array)  # out is new: nothing shares it
    return out
