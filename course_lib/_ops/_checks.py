"""Argument checks with torch's exact messages, kept out of the ops' math.

Dims (`_wrap_dim`, `_reduce_dims`), sizes (`_sizes`, `_size_arg`), broadcasting, dtypes, torch's
argument-parser messages (`_check_tensor_arg`, `_spread_args`), indexing and matrix-product shapes.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from .._dtypes import from_numpy_dtype, result_type
from ._common import _is_number, _warn_once

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


_SPREAD_OVERLOADS = (
    " * (tuple of ints dim, bool unbiased = True, bool keepdim = False)\n"
    " * (tuple of ints dim = None, *, Number correction = None, bool keepdim = False)\n"
    " * (bool unbiased = True)\n"
)


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


def _reduce_dims(dim, ndim: int) -> tuple | None:
    if dim is None:
        return None
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    wrapped = [_wrap_dim(d, ndim) for d in dims]
    for d in wrapped:
        if wrapped.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(wrapped)) if ndim else ()


def _sizes(size: tuple) -> tuple:
    """Sizes given as separate ints or as one tuple/list/Size: (2, 3) and ((2, 3),) are
    both (2, 3), as torch reads them in zeros, view, reshape, expand, permute, ..."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):  # Size is a tuple
        return tuple(size[0])
    return tuple(size)


def _size_arg(size: tuple, fn: str = "empty") -> tuple:
    """Sizes as separate ints or one tuple/list, as torch accepts them: (2, 3) or ((2, 3),)."""
    size = _sizes(size)
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


def _check_int_divisor(a, b, kernel: str = "remainder_cpu") -> None:
    """torch raises where NumPy would quietly give 0: an integer // or % by zero, or bools."""
    try:  # torch sizes the result first
        empty = 0 in np.broadcast_shapes(np.shape(a), np.shape(b))
    except ValueError:
        raise _broadcast_error(np.shape(a), np.shape(b)) from None
    kind = result_type(a, b).kind
    if kind == "b":
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if kind in "iu" and not empty and np.any(np.asarray(b) == 0):  # an empty result divides
        raise RuntimeError("ZeroDivisionError")  # nothing


def _check_inplace_broadcast(t: Tensor, other) -> None:
    """An in-place binary op writes into t: the operands must broadcast to t's own shape."""
    shape = t._array.shape
    other_shape = np.shape(other._array if isinstance(other, Tensor) else other)
    try:
        bshape = np.broadcast_shapes(shape, other_shape)
    except ValueError:
        raise _broadcast_error(shape, other_shape) from None
    if bshape != shape:
        raise RuntimeError(
            f"output with shape {list(shape)} doesn't match the broadcast shape {list(bshape)}"
        )


def _flat_shape(shape) -> tuple:
    """The sizes of view/reshape/expand as ints."""
    return tuple(int(s) for s in _sizes(shape))


def _check_step(i) -> None:
    if isinstance(i, slice) and i.step is not None:
        if i.step == 0:
            raise ValueError("slice step cannot be zero")
        if i.step < 0:  # torch has no negative strides: flip() copies instead
            raise ValueError("step must be greater than zero")


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


def _type_name(x) -> str:
    """How torch's argument parser names a value's type: Tensor, int, float, list, NoneType,
    numpy.float64."""
    if isinstance(x, Tensor):
        return "Tensor"
    return f"numpy.{type(x).__name__}" if isinstance(x, np.generic) else type(x).__name__


def _got(args: tuple, kwargs: dict) -> str:
    """The arguments as torch's "received an invalid combination" message lists them."""
    kw = [f"{k}={_type_name(v)}" for k, v in reversed(kwargs.items())]
    return ", ".join([_type_name(a) for a in args] + kw) + (", " if kw and not args else "")


def _check_tensor_arg(x, fn: str, arg: str, pos: int) -> None:
    """`maximum(): argument 'other' (position 2) must be Tensor, not float`, as torch says it."""
    if not isinstance(x, Tensor):
        kind = type(x).__name__  # a NumPy scalar is named as its type prints: numpy.float64
        if isinstance(x, np.generic):
            kind = f"numpy.{kind}"
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {kind}")


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


def _masked_fill_args(mask, value, fn: str):
    """Check masked_fill's arguments as torch does; return the mask's array and the value."""
    if not isinstance(mask, Tensor) or not (isinstance(value, Tensor) or _is_number(value)):
        got = ", ".join(_type_name(x) for x in (mask, value))
        marked = f"Tensor, !{_type_name(value)}!" if isinstance(mask, Tensor) else got
        why = f"      didn't match because some of the arguments have invalid types: ({marked})\n"
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


# -- the checks of single ops, taken out of their math --------------------------------------


def _check_index_select(a: np.ndarray, i: np.ndarray, d: int) -> None:
    """index_select's index: int32/int64, at most 1-D, each within dim `d` (a 0-d input takes
    one index, 0)."""
    if i.dtype.kind not in "iu" or i.dtype == np.uint8:
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if i.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if a.ndim == 0:
        if i.size != 1:
            raise RuntimeError(
                f"index_select(): Index to scalar can have only 1 value, got {i.size} value(s)"
            )
        if i.reshape(-1)[0] != 0:
            raise IndexError("index out of range in self")
        return
    flat = i.reshape(-1)
    bad = flat[(flat < 0) | (flat >= a.shape[d])]
    if bad.size and a.ndim > 1 and d == 1:  # torch's kernel for dim 1 says it so
        raise RuntimeError(
            f"INDICES element is out of DATA bounds, id={bad[0]} axis_dim={a.shape[d]}"
        )
    if bad.size:
        raise IndexError("index out of range in self")


def _check_gather(a: np.ndarray, i: np.ndarray, d: int) -> None:
    """gather's index: int32/int64, as many dims as the input, no larger than it except along
    `d`, each value within dim `d`."""
    if i.dtype.kind not in "iu" or i.dtype == np.uint8:
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if max(i.ndim, 1) != max(a.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
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


def _check_repeats(repeats) -> None:
    """repeat_interleave's `repeats`: an int, or an integer tensor of at most one dim; never
    negative."""
    by_tensor = isinstance(repeats, Tensor)
    if not by_tensor and (isinstance(repeats, bool) or not isinstance(repeats, numbers.Integral)):
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


def _check_addmm(input, mat1, mat2) -> None:
    """addmm's arguments: three tensors, two matrices of one dtype (the bias's too) whose sizes
    multiply, and a bias that broadcasts to the product's shape."""
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
    input.expand((a.shape[0], b.shape[1]))  # torch's error when the bias does not broadcast


def _check_einsum_operands(operands: tuple) -> None:
    """einsum takes one tensor at least, and tensors only."""
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


def _einsum_sizes(terms: list, operands: tuple, ell: str) -> dict:
    """Each letter's size, broadcast over the operands (a letter repeated within an operand must
    keep its size); then the operands must share one dtype. torch's messages otherwise."""
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
    return size


def _permutation(dims: tuple, ndim: int) -> tuple:
    """permute's dims (separate ints or one tuple), made non-negative: each dim once."""
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = _sizes(dims)
    if len(dims) != ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {ndim} is "
            f"not equal to len(dims) = {len(dims)}"
        )
    perm = tuple(_wrap_dim(d, ndim) for d in dims)
    if len(set(perm)) != len(perm):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return perm


def _expand_target(shape: tuple, sizes: tuple, type_name: str) -> list:
    """expand's target shape: `sizes`, with -1 keeping the existing size; only dims of size 1
    (and new leading dims) may change."""
    ndim = len(shape)
    if len(sizes) < ndim:
        raise RuntimeError(
            f"expand({type_name}{{{list(shape)}}}, size={list(sizes)}): the "
            f"number of sizes provided ({len(sizes)}) must be greater or equal to the number "
            f"of dimensions in the tensor ({ndim})"
        )
    lead = len(sizes) - ndim
    target = list(sizes)
    for i in range(lead):
        if sizes[i] < 0:
            raise RuntimeError(
                f"The expanded size of the tensor ({sizes[i]}) isn't allowed in a leading, "
                f"non-existing dimension {i}"
            )
    for i, n in enumerate(shape):
        want = sizes[lead + i]
        if want == -1:
            target[lead + i] = n
        elif n != want and n != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size ({n}) "
                f"at non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  "
                f"Tensor sizes: {list(shape)}"
            )
    return target


def _check_int_args(fn: str, *named) -> None:
    """Each (name, value) an int, not a bool: `flatten(): argument 'end_dim' (position 2) must be
    int, not float`, as torch's argument parser says it."""
    for position, (name, value) in enumerate(named, 1):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(
                f"{fn}(): argument '{name}' (position {position}) must be int, "
                f"not {type(value).__name__}"
            )


def _norm_order(t, p, dim) -> float:
    """norm's `p` as a number ('fro' and None are 2) for a floating-point tensor; torch's errors
    for the matrix norms course_lib does not have ('nuc', 'fro' over more than two dims)."""
    if isinstance(p, str):
        dims = None if dim is None else (dim if isinstance(dim, (tuple, list)) else [dim])
        if p != "fro" or (dims is not None and len(dims) > 2):
            if p not in ("fro", "nuc"):
                raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
            if t.ndim < 2:
                raise RuntimeError(
                    "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
                )
            if dims is not None and len(dims) != 2:
                raise RuntimeError(
                    f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}"
                )
            raise NotImplementedError(
                "norm(p='nuc'): the nuclear norm (a sum of singular values) is not in course_lib"
            )
        p = 2
    if p is None:
        p = 2
    if t._array.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {t.dtype.scalar_name}"
        )
    return float(p)


def _check_reduce_nonempty(a: np.ndarray, axes, which: str) -> None:
    """amax/amin have no value over nothing: an empty input needs dims, each of non-zero size."""
    if a.size == 0:
        if axes is None:
            raise RuntimeError(
                f"{which}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        for d in axes:
            if a.shape[d] == 0:
                raise IndexError(f"{which}(): Expected reduction dim {d} to have non-zero size.")


def _check_logsumexp_dim(dim, ndim: int) -> None:
    """logsumexp needs its dim (torch has no default), and an empty tuple only for a 0-d input."""
    if dim is None:
        raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
    if isinstance(dim, (tuple, list)) and not dim and ndim:
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape {[1] * ndim}")


# -- torch's argument-parser messages for a tensor-or-number argument ----------------------


def _value_desc(x) -> str:
    """How torch's argument parser shows a bad value among the overloads: `list of [float]`."""
    if isinstance(x, (list, tuple)):
        kinds = list(dict.fromkeys(_type_name(v) for v in x))
        return f"{type(x).__name__} of [{', '.join(kinds)}]"
    return _type_name(x)


def _overloads_error(fn: str, got: tuple, overloads: list) -> TypeError:
    """`fn() received an invalid combination of arguments - got (...), but expected one of:`
    then each overload; an overload given with a tuple of its arguments (the bad ones marked
    `!x!`) is followed by torch's "didn't match because ..." line."""
    lines = []
    for o in overloads:
        if isinstance(o, tuple):
            o, marked = o
            lines.append(f" * {o}\n")
            lines.append(
                "      didn't match because some of the arguments have invalid types: "
                f"({', '.join(marked)})\n"
            )
        else:
            lines.append(f" * {o}\n")
    return TypeError(
        f"{fn}() received an invalid combination of arguments - got "
        f"({', '.join(_type_name(x) for x in got)}), but expected one of:\n{''.join(lines)}"
    )


def _check_tensor_or_number(fn: str, args: tuple, arg: str = "other", style: str = "out"):
    """The last of `args` (after the tensor) must be a Tensor or a Number, and the first a
    Tensor, or torch's overload error. `args` is `(other,)` for a method, `(input, other)` for a
    function; `style` names the function's overloads: "out" (fmod, copysign, clamp_min, ...),
    "div" (floor_divide, true_divide: the number overload has no out=) or "xlogy" (a number
    first too)."""
    other = args[-1]
    first_ok = len(args) == 1 or isinstance(args[0], Tensor) or (style in ("xlogy", "div")
        and _is_number(args[0]) and isinstance(other, Tensor))  # fmt: skip
    if first_ok and (isinstance(other, Tensor) or _is_number(other)):
        return
    if len(args) == 1:
        why = (f"!{_value_desc(other)}!",)
        raise _overloads_error(fn, args, [(f"(Tensor {arg})", why), (f"(Number {arg})", why)])
    tensor_o = f"(Tensor input, Tensor {arg}, *, Tensor out = None)"
    if style == "div":
        marked = tuple(
            _type_name(x) if ok else f"!{_value_desc(x)}!"
            for x, ok in ((args[0], isinstance(args[0], Tensor)), (other, _is_number(other)))
        )
        raise _overloads_error(fn, args, [tensor_o, (f"(Tensor input, Number {arg})", marked)])
    number_o = f"(Tensor input, Number {arg}, *, Tensor out = None)"
    if style == "xlogy":
        self_o = f"(Number self, Tensor {arg}, *, Tensor out = None)"
        raise _overloads_error(fn, args, [tensor_o, self_o, number_o])
    raise _overloads_error(fn, args, [tensor_o, number_o])


def _alpha_first(fn: str, alpha, rest: tuple, given: int = 1) -> tuple:
    """torch's deprecated overload fn(Number alpha, Tensor other): x.add(2, y) is x + 2 * y,
    with a warning once per process. Returns (other, alpha). After a tensor, a second
    positional argument is torch's TypeError (`given`: positional arguments before alpha's)."""
    if len(rest) != 1 or not (_is_number(alpha) or getattr(alpha, "ndim", None) == 0):
        total = given + len(rest)
        s = "s" if given > 1 else ""
        raise TypeError(f"{fn}() takes {given} positional argument{s} but {total} were given")
    head, out = ("Tensor input, ", "Tensor out = None") if given > 1 else ("", "")
    _warn_once(
        f"This overload of {fn} is deprecated:\n"
        f"\t{fn}({head}Number alpha, Tensor other{', *, ' + out if out else ''})\n"
        "Consider using one of the following signatures instead:\n"
        f"\t{fn}({head}Tensor other, *, Number alpha = 1{', ' + out if out else ''})",
        stacklevel=4,
    )
    return rest[0], (alpha.item() if getattr(alpha, "ndim", None) == 0 else alpha)
