"""course_lib: PyTorch's building blocks, rebuilt in NumPy so that you can read every line.

It keeps torch's names, defaults, shapes and errors, so `import course_lib as torch` runs the
course's subset of real PyTorch code. Where to find things (the same places as in torch):

    tensor.py        Tensor: its data, attributes, autograd state, conversions
    _ops/            the ops by family (elementwise.py, reductions.py, shape.py,
                     indexing.py, linalg.py, joining.py, inplace.py, sorting.py), each forward
                     with its backward beside it; torch.matmul, torch.cat, ... too
    autograd.py      no_grad, the backward walk over the graph, autograd.grad
    creation.py      tensor, zeros, empty, randn, arange, ...
    nn/              Parameter, Module, Linear, LayerNorm, ..., nn.init, nn.functional
    optim/           Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad, lr_scheduler
    utils/           hooks.RemovableHandle (what register_hook returns)

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
from ._ops._checks import _check_tensor_arg, _numpy_names, _type_name
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
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
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
bitwise_xor, logical_xor = _method("bitwise_xor"), _method("logical_xor")
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


def add(input, other, *, alpha=1, out=None) -> Tensor:
    """input + alpha * other, broadcast (torch.add); either may be a Python number."""
    _no_out(out, "add")
    return _add_sub(input, other, alpha, "add")


def sub(input, other, *, alpha=1, out=None) -> Tensor:
    """input - alpha * other, broadcast (torch.sub)."""
    _no_out(out, "sub")
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


from . import nn, optim, utils  # noqa: E402  (nn and optim build on everything above)

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
    "erf",
    "erf_",
]
