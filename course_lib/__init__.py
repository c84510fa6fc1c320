"""course_lib: PyTorch's building blocks, rebuilt in NumPy so that you can read every line.

It keeps torch's names, defaults, shapes and errors, so `import course_lib as torch` runs the
course's subset of real PyTorch code. Where to find things (the same places as in torch):

    tensor.py        Tensor: its data, attributes, autograd state, conversions
    _ops/            the ops by family (elementwise.py, reductions.py, shape.py,
                     indexing.py, linalg.py, joining.py, inplace.py, sorting.py), each forward
                     with its backward beside it; torch.matmul, torch.cat, ... too
    autograd.py      no_grad, inference_mode, the backward walk over the graph, autograd.grad
    linalg.py        torch.linalg: norm, vector_norm, matrix_norm, inv, det, solve, cross
    creation.py      tensor, zeros, empty, randn, arange, ...
    nn/              Parameter, Module, Linear, LayerNorm, ..., nn.init, nn.functional
    optim/           Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, lr_scheduler
    utils/           hooks.RemovableHandle (what register_hook returns)
    _toplevel.py     torch.dropout, torch.embedding, ...: nn.functional's kernels by torch's names
    return_types.py  the (values, indices) tuples of max, min, sort, topk, ...

The core imports NumPy only (no matplotlib, ipywidgets or torch).
"""

from __future__ import annotations  # annotations below mean builtins, not torch.int etc.

import numpy as _np

from . import _dtypes
from ._deterministic import (
    are_deterministic_algorithms_enabled,
    is_deterministic_algorithms_warn_only_enabled,
    use_deterministic_algorithms,
)
from ._dtypes import Size, dtype, float32, float64, int32, int64, uint8
from ._ops._checks import _alpha_first, _check_tensor_arg, _numpy_names, _type_name
from ._ops._common import _is_number, unbroadcast
from ._ops.elementwise import DEFAULT as _DEFAULT
from ._ops.elementwise import _add_sub, _by_name, _div
from ._ops.joining import cat, stack, where
from ._ops.linalg import addmm, bmm, einsum, matmul, mm
from ._ops.sorting import (
    argsort,
    argwhere,
    count_nonzero,
    cummax,
    cummin,
    kthvalue,
    masked_select,
    median,
    msort,
    nonzero,
    sort,
    topk,
    unique,
)
from ._random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)
from ._tensor_str import set_printoptions
from .autograd import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .creation import (
    BoolTensor,
    ByteTensor,
    DoubleTensor,
    FloatTensor,
    IntTensor,
    LongTensor,
    arange,
    as_tensor,
    bernoulli,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    multinomial,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .tensor import Tensor, device

# torch's short dtype aliases (`torch.float`, `torch.long`, ...) live on the package only.
globals().update(
    {"float": float32, "double": float64, "long": int64, "int": int32, "bool": _dtypes.bool_}
)
# `import course_lib as torch; torch.get_default_dtype()`: the course keeps float32.


def get_default_dtype() -> dtype:
    return float32


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    return input.numel()


def is_inference(input: Tensor) -> bool:
    """Whether `input` was made inside `inference_mode()` (torch.is_inference)."""
    _check_tensor_arg(input, "is_inference", "input", 1)
    return input.is_inference()


# Functions that are also Tensor methods: torch.exp(x) is x.exp().
def softmax(input: Tensor, dim: int | None = None, dtype: dtype | None = None) -> Tensor:
    """exp(x) / sum(exp(x)) along `dim` (torch.softmax; `dim` is required here)."""
    return input.softmax(dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, dtype: dtype | None = None) -> Tensor:
    """x - logsumexp(x) along `dim` (torch.log_softmax)."""
    return input.log_softmax(dim, dtype)


# torch's functions take NumPy's `axis=` for `dim=` too
softmax, log_softmax = _numpy_names(softmax, "softmax"), _numpy_names(log_softmax, "log_softmax")


def _method(name: str):
    def fn(input: Tensor, *args, **kwargs):
        _check_tensor_arg(input, name, "input", 1)  # torch.exp([1.0]) is a TypeError
        return getattr(input, name)(*args, **kwargs)

    fn.__name__ = name
    fn.__doc__ = f"torch.{name}(x, ...) is x.{name}(...); see Tensor.{name}."
    return fn


exp, log, sqrt, abs, tanh, sigmoid, relu, clamp = (
    _method(n) for n in ("exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "clamp")
)
sum, mean, max, min, argmax, argmin = (
    _method(n) for n in ("sum", "mean", "max", "min", "argmax", "argmin")
)
std, var = (_method(n) for n in ("std", "var"))
reshape, flatten, transpose, t, unsqueeze, squeeze, permute = (
    _method(n) for n in ("reshape", "flatten", "transpose", "t", "unsqueeze", "squeeze", "permute")
)
clone, detach = _method("clone"), _method("detach")
rsqrt, cosh, sinh, amax, amin, logsumexp, norm = (
    _method(n) for n in ("rsqrt", "cosh", "sinh", "amax", "amin", "logsumexp", "norm")
)
index_select, gather, masked_fill, tril, triu = (
    _method(n) for n in ("index_select", "gather", "masked_fill", "tril", "triu")
)
bitwise_xor = _method("bitwise_xor")
relu_, exp_, log_, sqrt_, rsqrt_, abs_, neg_, reciprocal_, tanh_, sigmoid_, cosh_, sinh_ = (
    _method(n)
    for n in (
        "relu_", "exp_", "log_", "sqrt_", "rsqrt_", "abs_", "neg_", "reciprocal_", "tanh_",
        "sigmoid_", "cosh_", "sinh_",
    )
)  # fmt: skip


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise max(a, b) of two tensors, broadcast (torch.maximum)."""
    _check_tensor_arg(input, "maximum", "input", 1)
    _check_tensor_arg(other, "maximum", "other", 2)
    return input.maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise min(a, b) of two tensors, broadcast (torch.minimum)."""
    _check_tensor_arg(input, "minimum", "input", 1)
    _check_tensor_arg(other, "minimum", "other", 2)
    return input.minimum(other)


def add(input, other, *rest, alpha=1, out=None) -> Tensor:
    """input + alpha * other, broadcast (torch.add); either may be a Python number."""
    _no_out(out, "add")
    if rest:  # torch.add(x, 2, y): torch's deprecated (alpha, other) order
        other, alpha = _alpha_first("add", other, rest, given=2)
    return _add_sub(input, other, alpha, "add")


def sub(input, other, *rest, alpha=1, out=None) -> Tensor:
    """input - alpha * other, broadcast (torch.sub)."""
    _no_out(out, "sub")
    if rest:
        other, alpha = _alpha_first("sub", other, rest, given=2)
    return _add_sub(input, other, alpha, "sub")


def mul(input, other, *, out=None) -> Tensor:
    """input * other, broadcast (torch.mul)."""
    _no_out(out, "mul")
    return _by_name(input, other, "mul", Tensor.__mul__, Tensor.__rmul__)


def pow(input, exponent, *, out=None) -> Tensor:
    """input ** exponent, broadcast (torch.pow); a number on either side, but not both."""
    _no_out(out, "pow")
    if isinstance(input, Tensor) and (isinstance(exponent, Tensor) or _is_number(exponent)):
        return input**exponent
    if _is_number(input) and isinstance(exponent, Tensor):
        return exponent.__rpow__(input)
    got = ", ".join(_type_name(x) for x in (input, exponent))
    raise TypeError(
        f"pow() received an invalid combination of arguments - got ({got}), but expected one "
        "of:\n * (Tensor input, Tensor exponent, *, Tensor out = None)\n * (Number self, Tensor "
        "exponent, *, Tensor out = None)\n * (Tensor input, Number exponent, *, Tensor out = "
        "None)\n"
    )


def div(input, other, *, rounding_mode=_DEFAULT, out=None) -> Tensor:
    """input / other, broadcast (torch.div); rounding_mode='trunc' or 'floor' rounds the quotient
    (toward zero, or down) and keeps an integer dtype."""
    _no_out(out, "div")
    return _div(input, other, rounding_mode)


def square(input: Tensor) -> Tensor:
    """input ** 2 (torch.square)."""
    _check_tensor_arg(input, "square", "input", 1)
    return input.square()


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """input with two dims swapped, a view (torch.swapaxes, NumPy's name for transpose)."""
    _check_tensor_arg(input, "swapaxes", "input", 1)
    return input.transpose(axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """input with two dims swapped, a view (torch.swapdims, another name for transpose)."""
    _check_tensor_arg(input, "swapdims", "input", 1)
    return input.transpose(dim0, dim1)


chunk, unbind, narrow, select, diagonal = (
    _method(n) for n in ("chunk", "unbind", "narrow", "select", "diagonal")
)


def movedim(input: Tensor, source, destination) -> Tensor:
    """input with dim(s) `source` moved to `destination`, a view (torch.movedim)."""
    _check_tensor_arg(input, "movedim", "input", 1)
    return input._movedim(source, destination, "movedim", input=True)


def moveaxis(input: Tensor, source, destination) -> Tensor:
    """NumPy's name for movedim (torch.moveaxis)."""
    _check_tensor_arg(input, "moveaxis", "input", 1)
    return input._movedim(source, destination, "moveaxis", input=True)


def split(tensor: Tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of `tensor` along `dim`, views (torch.split): of `split_size_or_sections` each
    (the last may be smaller), or one per size in a list; see Tensor.split."""
    return tensor.split(split_size_or_sections, dim)  # torch.split([1], 1): AttributeError too


def _no_out(out, fn: str) -> None:
    if out is not None:
        raise NotImplementedError(f"course_lib's {fn}() has no out= argument: assign the result")


def remainder(input, other) -> Tensor:
    """input % other with the sign of other (torch.remainder); either may be a number."""
    if not isinstance(input, Tensor):
        return other.__rmod__(input)
    return input % other


def repeat_interleave(input: Tensor, repeats=None, dim=None, *, output_size=None) -> Tensor:
    """Repeat elements (torch.repeat_interleave); with only an int tensor `input`, the indices
    0, 1, ... each repeated input[i] times: repeat_interleave(tensor([1, 2])) is [0, 1, 1]."""
    if repeats is None and isinstance(input, Tensor):
        if input._array.dtype.kind not in "iu":
            raise NotImplementedError(
                f"\"repeat_interleave_cpu\" not implemented for '{input.dtype.scalar_name}'"
            )
        counts = input.reshape(-1)
        return arange(counts.numel()).repeat_interleave(counts, output_size=output_size)
    return input.repeat_interleave(repeats, dim, output_size=output_size)


def allclose(input: Tensor, other: Tensor, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    if isinstance(input, Tensor) and isinstance(other, Tensor) and input.dtype != other.dtype:
        # torch's allclose is isclose(...).all(): the two dtypes must be the same
        raise RuntimeError(f"{input.dtype.scalar_name} did not match {other.dtype.scalar_name}")
    # np.allclose returns a Python bool; the name `bool` in this module is torch.bool
    return _np.allclose(input._array, other._array, rtol=rtol, atol=atol, equal_nan=equal_nan)


def equal(input: Tensor, other: Tensor) -> bool:
    return input.shape == other.shape and (input._array == other._array).all().item()


# -- more of torch's API: cos, floor, sign, log2, ..., comparisons, isnan, all, any, prod, ... --
from ._ops.linalg import dot, mv, outer  # noqa: E402
from ._ops.shape import flip  # noqa: E402

cos, sin, tan, acos, asin, atan = (
    _method(n) for n in ("cos", "sin", "tan", "acos", "asin", "atan")
)
floor, ceil, round, trunc, frac, sign, sgn = (
    _method(n) for n in ("floor", "ceil", "round", "trunc", "frac", "sign", "sgn")
)
log2, log10, log1p, expm1, exp2 = (_method(n) for n in ("log2", "log10", "log1p", "expm1", "exp2"))
cos_, sin_, tan_, acos_, asin_, atan_ = (
    _method(n) for n in ("cos_", "sin_", "tan_", "acos_", "asin_", "atan_")
)
floor_, ceil_, round_, trunc_, frac_ = (
    _method(n) for n in ("floor_", "ceil_", "round_", "trunc_", "frac_")
)  # torch has no torch.sign_ or torch.sgn_: they are Tensor methods only
log2_, log10_, log1p_, expm1_, exp2_ = (
    _method(n) for n in ("log2_", "log10_", "log1p_", "expm1_", "exp2_")
)
eq, ne, gt, ge, lt, le = (_method(n) for n in ("eq", "ne", "gt", "ge", "lt", "le"))
isnan, isinf, isfinite, all, any = (
    _method(n) for n in ("isnan", "isinf", "isfinite", "all", "any")
)
prod, cumsum, cumprod, clip, clip_ = (
    _method(n) for n in ("prod", "cumsum", "cumprod", "clip", "clip_")
)
erf, erf_ = _method("erf"), _method("erf_")  # the Gauss error function (F.gelu uses it)


# -- more elementwise functions: neg ... nan_to_num (the methods are in _ops/elementwise.py) ----
from ._ops._checks import _check_tensor_or_number, _overloads_error  # noqa: E402
from ._ops.elementwise import _addc, _isclose, _lerp, _xlogy  # noqa: E402

neg, negative, negative_, reciprocal, logical_not, nan_to_num, nan_to_num_ = (
    _method(n)
    for n in (
        "neg", "negative", "negative_", "reciprocal", "logical_not", "nan_to_num", "nan_to_num_"
    )
)  # fmt: skip


def _tensor_pair(fn: str, input, other) -> None:
    _check_tensor_arg(input, fn, "input", 1)
    _check_tensor_arg(other, fn, "other", 2)


def fmod(input: Tensor, other) -> Tensor:
    """a - trunc(a / b) * b, with the sign of a (torch.fmod); see Tensor.fmod."""
    _check_tensor_or_number("fmod", (input, other))
    return input.fmod(other)


def floor_divide(input, other) -> Tensor:
    """input // other, rounded down (torch.floor_divide); a number on either side."""
    _check_tensor_or_number("floor_divide", (input, other), style="div")
    return input // other if isinstance(input, Tensor) else other.__rfloordiv__(input)


def true_divide(input, other) -> Tensor:
    """input / other as floats (torch.true_divide, another name for div)."""
    _check_tensor_or_number("true_divide", (input, other), style="div")
    return _div(input, other)


def clamp_min(input: Tensor, min) -> Tensor:
    """max(input, min) elementwise (torch.clamp_min); see Tensor.clamp_min."""
    _check_tensor_or_number("clamp_min", (input, min), "min")
    return input.clamp_min(min)


def clamp_max(input: Tensor, max) -> Tensor:
    """min(input, max) elementwise (torch.clamp_max); see Tensor.clamp_max."""
    _check_tensor_or_number("clamp_max", (input, max), "max")
    return input.clamp_max(max)


def clamp_min_(input: Tensor, min) -> Tensor:
    _check_tensor_or_number("clamp_min_", (input, min), "min")
    return input.clamp_min_(min)


def clamp_max_(input: Tensor, max) -> Tensor:
    _check_tensor_or_number("clamp_max_", (input, max), "max")
    return input.clamp_max_(max)


def lerp(input: Tensor, end: Tensor, weight) -> Tensor:
    """input + weight * (end - input) (torch.lerp); see Tensor.lerp."""
    _check_tensor_arg(input, "lerp", "input", 1)
    return _lerp(input, end, weight, method=False)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """input + value * tensor1 * tensor2, broadcast (torch.addcmul)."""
    _check_tensor_arg(input, "addcmul", "input", 1)
    return _addc(input, tensor1, tensor2, value, "addcmul", first=2)


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value=1) -> Tensor:
    """input + value * tensor1 / tensor2, broadcast (torch.addcdiv)."""
    _check_tensor_arg(input, "addcdiv", "input", 1)
    return _addc(input, tensor1, tensor2, value, "addcdiv", first=2)


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """The angle of (other, input) in (-pi, pi] (torch.atan2); see Tensor.atan2."""
    _tensor_pair("atan2", input, other)
    return input.atan2(other)


def arctan2(input: Tensor, other: Tensor) -> Tensor:
    """torch.arctan2: another name for atan2."""
    _tensor_pair("arctan2", input, other)
    return input.atan2(other)


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """sqrt(input² + other²) (torch.hypot); see Tensor.hypot."""
    _tensor_pair("hypot", input, other)
    return input.hypot(other)


def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    """log(exp(input) + exp(other)) (torch.logaddexp); see Tensor.logaddexp."""
    _tensor_pair("logaddexp", input, other)
    return input.logaddexp(other)


def xlogy(input, other) -> Tensor:
    """input * log(other), 0 where input is 0 (torch.xlogy); a number on either side."""
    _check_tensor_or_number("xlogy", (input, other), style="xlogy")
    return _xlogy(input, other)


def xlogy_(input: Tensor, other) -> Tensor:
    _check_tensor_or_number("xlogy_", (input, other))
    return input.xlogy_(other)


def copysign(input: Tensor, other) -> Tensor:
    """|input| with the sign of other (torch.copysign); see Tensor.copysign."""
    _check_tensor_or_number("copysign", (input, other))
    return input.copysign(other)


def fmax(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise max ignoring nan (torch.fmax); see Tensor.fmax."""
    _tensor_pair("fmax", input, other)
    return input.fmax(other)


def fmin(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise min ignoring nan (torch.fmin); see Tensor.fmin."""
    _tensor_pair("fmin", input, other)
    return input.fmin(other)


def logical_and(input: Tensor, other: Tensor) -> Tensor:
    """True where both are non-zero (torch.logical_and)."""
    _tensor_pair("logical_and", input, other)
    return input.logical_and(other)


def logical_or(input: Tensor, other: Tensor) -> Tensor:
    """True where either is non-zero (torch.logical_or)."""
    _tensor_pair("logical_or", input, other)
    return input.logical_or(other)


def logical_xor(input: Tensor, other: Tensor) -> Tensor:
    """True where exactly one is non-zero (torch.logical_xor)."""
    _tensor_pair("logical_xor", input, other)
    return input.logical_xor(other)


def isclose(input: Tensor, other: Tensor, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    """|input - other| <= atol + rtol * |other|, elementwise (torch.isclose)."""
    _check_tensor_arg(input, "isclose", "input", 1)
    return _isclose(input, other, rtol, atol, equal_nan, pos=2)


# -- shapes, joining, nan-skipping reductions, dtype rules ---------------------------------------
from ._dtypes import can_cast, finfo, iinfo, promote_types  # noqa: E402
from ._ops.joining import column_stack, dstack, hstack, row_stack, vstack  # noqa: E402
from ._ops.reductions import std_mean, var_mean  # noqa: E402
from ._ops.shape import broadcast_shapes, broadcast_tensors, meshgrid  # noqa: E402

roll, tile, ravel, broadcast_to, diag, trace, nansum, nanmean, is_floating_point = (
    _method(n)
    for n in (
        "roll", "tile", "ravel", "broadcast_to", "diag", "trace", "nansum", "nanmean",
        "is_floating_point",
    )
)  # fmt: skip


def result_type(tensor1, tensor2) -> dtype:
    """The dtype of an elementwise op on the two (torch.result_type): tensors or numbers."""
    return _dtypes.from_numpy_dtype(_dtypes.result_type(*(
        x._array if isinstance(x, Tensor) else x for x in (tensor1, tensor2)
    )))  # fmt: skip


# -- scatter, index_add, index_copy, index_fill, take, signbit, logspace --------------------------
from ._ops.indexing import _index_fill_value  # noqa: E402
from .creation import logspace  # noqa: E402

signbit = _method("signbit")


def take(input: Tensor, index: Tensor) -> Tensor:
    """The elements of the flattened input at index (torch.take)."""
    _check_tensor_arg(input, "take", "input", 1)
    _check_tensor_arg(index, "take", "index", 2)
    return input.take(index)


def scatter(input: Tensor, dim: int, index: Tensor, src=None, value=None, *, reduce=None):
    """A copy of input with src's values written at index along dim (torch.scatter)."""
    _check_tensor_arg(input, "scatter", "input", 1)
    source = value if src is None else src
    if not (isinstance(source, Tensor) or _is_number(source)):
        overloads = [
            f"(Tensor input, int dim, Tensor index, {kind}, *, {extra}Tensor out = None)"
            for kind in ("Tensor src", "Number value")
            for extra in ("", "str reduce, ")
        ]
        got = (input, dim, index) if source is None else (input, dim, index, source)
        raise _overloads_error("scatter", got, overloads)
    return input.scatter(dim, index, src, value, reduce=reduce)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of input with src's values added at index along dim (torch.scatter_add)."""
    _check_tensor_arg(input, "scatter_add", "input", 1)
    _check_tensor_arg(src, "scatter_add", "src", 4)
    return input.scatter_add(dim, index, src)


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    """A copy of input with alpha * source's slices added at index (torch.index_add)."""
    _check_tensor_arg(input, "index_add", "input", 1)
    _check_tensor_arg(source, "index_add", "source", 4)
    return input.index_add(dim, index, source, alpha=alpha)


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of input with source's slices written at index (torch.index_copy)."""
    _check_tensor_arg(input, "index_copy", "input", 1)
    _check_tensor_arg(source, "index_copy", "source", 4)
    return input.index_copy(dim, index, source)


def index_fill(input: Tensor, dim: int, index: Tensor, value) -> Tensor:
    """A copy of input with the slices at index set to value (torch.index_fill)."""
    _check_tensor_arg(input, "index_fill", "input", 1)
    _index_fill_value(value, (input, dim, index))
    return input.index_fill(dim, index, value)


from . import nn, optim, return_types, utils  # noqa: E402, F401  (they build on all above)
from ._toplevel import (  # noqa: E402  (they call nn.functional)
    binary_cross_entropy_with_logits,
    clamp_,
    detach_,
    dropout,
    dropout_,
    embedding,
    fill_,
    layer_norm,
    selu,
    selu_,
    unflatten,
    zero_,
)

__all__ = [
    "Tensor",
    "Size",
    "dtype",
    "float32",
    "float64",
    "int64",
    "int32",
    "uint8",
    "Generator",
    "manual_seed",
    "use_deterministic_algorithms",
    "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled",
    "get_rng_state",
    "set_rng_state",
    "std",
    "var",
    "initial_seed",
    "seed",
    "default_generator",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "set_printoptions",
    "is_grad_enabled",
    "inference_mode",
    "is_inference_mode_enabled",
    "is_inference",
    "dropout",
    "dropout_",
    "selu",
    "selu_",
    "binary_cross_entropy_with_logits",
    "embedding",
    "layer_norm",
    "unflatten",
    "clamp_",
    "fill_",
    "zero_",
    "detach_",
    "tensor",
    "as_tensor",
    "from_numpy",
    "LongTensor",
    "FloatTensor",
    "DoubleTensor",
    "IntTensor",
    "BoolTensor",
    "ByteTensor",
    "empty",
    "zeros",
    "ones",
    "full",
    "arange",
    "linspace",
    "eye",
    "rand",
    "randn",
    "randint",
    "randperm",
    "normal",
    "bernoulli",
    "multinomial",
    "empty_like",
    "zeros_like",
    "ones_like",
    "full_like",
    "rand_like",
    "randn_like",
    "matmul",
    "mm",
    "bmm",
    "addmm",
    "einsum",
    "cat",
    "stack",
    "softmax",
    "log_softmax",
    "exp",
    "log",
    "sqrt",
    "abs",
    "tanh",
    "sigmoid",
    "relu",
    "clamp",
    "sum",
    "mean",
    "max",
    "min",
    "argmax",
    "argmin",
    "sort",
    "argsort",
    "msort",
    "topk",
    "kthvalue",
    "median",
    "nonzero",
    "argwhere",
    "count_nonzero",
    "masked_select",
    "unique",
    "cummax",
    "cummin",
    "maximum",
    "minimum",
    "reshape",
    "flatten",
    "transpose",
    "t",
    "unsqueeze",
    "squeeze",
    "permute",
    "clone",
    "detach",
    "rsqrt",
    "cosh",
    "sinh",
    "amax",
    "amin",
    "logsumexp",
    "norm",
    "index_select",
    "gather",
    "masked_fill",
    "tril",
    "triu",
    "repeat_interleave",
    "remainder",
    "add",
    "sub",
    "mul",
    "pow",
    "div",
    "square",
    "swapaxes",
    "swapdims",
    "split",
    "chunk",
    "unbind",
    "narrow",
    "select",
    "movedim",
    "moveaxis",
    "diagonal",
    "bitwise_xor",
    "logical_xor",
    "relu_",
    "exp_",
    "log_",
    "sqrt_",
    "rsqrt_",
    "abs_",
    "neg_",
    "reciprocal_",
    "tanh_",
    "sigmoid_",
    "cosh_",
    "sinh_",
    "where",
    "allclose",
    "equal",
    "is_tensor",
    "numel",
    "get_default_dtype",
    "device",
    "unbroadcast",
    "nn",
    "optim",
    "autograd",
    "utils",
    "cos",
    "sin",
    "tan",
    "acos",
    "asin",
    "atan",
    "floor",
    "ceil",
    "round",
    "trunc",
    "frac",
    "sign",
    "sgn",
    "log2",
    "log10",
    "log1p",
    "expm1",
    "exp2",
    "cos_",
    "sin_",
    "tan_",
    "acos_",
    "asin_",
    "atan_",
    "floor_",
    "ceil_",
    "round_",
    "trunc_",
    "frac_",
    "log2_",
    "log10_",
    "log1p_",
    "expm1_",
    "exp2_",
    "eq",
    "ne",
    "gt",
    "ge",
    "lt",
    "le",
    "isnan",
    "isinf",
    "isfinite",
    "all",
    "any",
    "prod",
    "cumsum",
    "cumprod",
    "clip",
    "clip_",
    "dot",
    "mv",
    "outer",
    "flip",
    "neg",
    "negative",
    "negative_",
    "reciprocal",
    "logical_not",
    "nan_to_num",
    "nan_to_num_",
    "fmod",
    "floor_divide",
    "true_divide",
    "clamp_min",
    "clamp_max",
    "clamp_min_",
    "clamp_max_",
    "lerp",
    "addcmul",
    "addcdiv",
    "atan2",
    "arctan2",
    "hypot",
    "logaddexp",
    "xlogy",
    "xlogy_",
    "copysign",
    "fmax",
    "fmin",
    "logical_and",
    "logical_or",
    "isclose",
    "roll",
    "tile",
    "ravel",
    "broadcast_to",
    "broadcast_tensors",
    "broadcast_shapes",
    "hstack",
    "vstack",
    "dstack",
    "column_stack",
    "row_stack",
    "diag",
    "trace",
    "meshgrid",
    "std_mean",
    "var_mean",
    "nansum",
    "nanmean",
    "is_floating_point",
    "result_type",
    "promote_types",
    "can_cast",
    "finfo",
    "iinfo",
    "scatter",
    "scatter_add",
    "index_add",
    "index_copy",
    "index_fill",
    "take",
    "signbit",
    "logspace",
    "erf",
    "erf_",
    "linalg",
    "cdist",
    "cross",
    "kron",
    "tensordot",
    "diff",
    "searchsorted",
    "bucketize",
    "bincount",
    "histc",
    "cartesian_prod",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "block_diag",
    "rot90",
    "fliplr",
    "flipud",
    "heaviside",
    "cov",
    "corrcoef",
]


# -- torch.linalg (a module, as in torch); tensordot, kron, cdist, cross, diff, searchsorted, ... --
from . import linalg as linalg  # noqa: E402
from ._ops.elementwise import heaviside  # noqa: E402
from ._ops.joining import block_diag, cartesian_prod  # noqa: E402
from ._ops.linalg import cdist, cross, kron, tensordot  # noqa: E402
from ._ops.reductions import bincount, corrcoef, cov, histc  # noqa: E402
from ._ops.shape import (  # noqa: E402
    atleast_1d,
    atleast_2d,
    atleast_3d,
    diff,
    fliplr,
    flipud,
    rot90,
)
from ._ops.sorting import bucketize, searchsorted  # noqa: E402
