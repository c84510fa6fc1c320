"""Initialisers: fill a weight tensor in place with a chosen distribution (torch.nn.init).

Every function here works in place under `no_grad()` (so it also works on a Parameter that
requires grad, which keeps requires_grad=True) and returns the same tensor object.

The scaled initialisers take their spread from the tensor's fans. For a weight of shape
(out, in, *kernel), as stored by `nn.Linear` (y = x Wᵀ) and convolutions:

    fan_in  = in  · prod(kernel)         (how many inputs feed one output)
    fan_out = out · prod(kernel)

    xavier_uniform_(w, gain)      U(−a, a),   a = gain · sqrt(6 / (fan_in + fan_out))
    xavier_normal_(w, gain)       N(0, std²), std = gain · sqrt(2 / (fan_in + fan_out))
    kaiming_uniform_(w, a, mode)  U(−b, b),   b = gain · sqrt(3 / fan),  gain = calculate_gain(...)
    kaiming_normal_(w, a, mode)   N(0, std²), std = gain / sqrt(fan)

`nn.Linear` uses kaiming_uniform_(a=sqrt(5)), which is U(−1/sqrt(in), 1/sqrt(in)).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._random import Generator
from ..autograd import no_grad
from ..tensor import Tensor

__all__ = [
    "calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_",
    "eye_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "orthogonal_", "uniform", "normal", "constant", "eye", "xavier_uniform", "xavier_normal",
    "kaiming_uniform", "kaiming_normal", "orthogonal",
]  # fmt: skip

_LINEAR_FNS = (
    "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d",
)  # fmt: skip


def calculate_gain(nonlinearity: str, param: int | float | None = None) -> int | float:
    """The recommended gain for a nonlinearity (torch.nn.init.calculate_gain).

    linear, conv*, sigmoid → 1 (an int); tanh → 5/3; relu → sqrt(2); selu → 3/4;
    leaky_relu → sqrt(2 / (1 + negative_slope²)) with negative_slope = param (0.01 if None).
    `param` is only read for 'leaky_relu'.

    >>> calculate_gain('relu')
    1.4142135623730951
    """
    if nonlinearity in _LINEAR_FNS or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            negative_slope = param  # bool is an int subclass, hence the check above
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel): in·prod(kernel), out·prod(kernel)."""
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
        )
    receptive_field_size = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field_size, tensor.shape[0] * receptive_field_size


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with samples from U(a, b), in place (torch.nn.init.uniform_)."""
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(
    tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with samples from N(mean, std²), in place (torch.nn.init.normal_)."""
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: Generator | None = None,
) -> Tensor:
    """Fill with N(mean, std²) restricted to [a, b], in place (torch.nn.init.trunc_normal_).

    `a` and `b` are absolute bounds, not multiples of std: trunc_normal_(w, std=0.02) gives
    values within about ±0.09, and the default ±2 never matters. As in torch 2.13: when the
    interval holds more than 30% of the mass, draw N(mean, std²) and redraw the entries that fall
    outside until none do; otherwise draw x ~ U(a, b) and accept it with probability
    exp(−½((x − mean)/std)²) / peak (rejection sampling), redrawing the rejected ones.
    """

    def norm_cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if (mean < a - 2 * std) or (mean > b + 2 * std):
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            UserWarning,
            stacklevel=2,
        )
    with no_grad():
        t = tensor._array
        p = norm_cdf((b - mean) / std) - norm_cdf((a - mean) / std)
        if p > 0.3:
            # N(mean, std²); while any value is outside [a, b], draw a whole new tensor of
            # normals and take its values at those places.
            lo, hi = t.dtype.type(a), t.dtype.type(b)  # the bounds as the tensor stores them
            tensor.normal_(mean, std, generator=generator)
            out = (t < lo) | (t > hi)
            while out.any():
                fresh = Tensor._wrap(np.empty_like(t)).normal_(mean, std, generator=generator)
                t[out] = fresh._array[out]
                out = (t < lo) | (t > hi)
        else:
            # Rejection sampling: x ~ U(a, b) is kept when log(u) <= log pdf(x) - log pdf(mode),
            # u ~ U(0, 1); each round draws a whole tensor of candidates and of u.
            mode = max(a, min(mean, b))  # the most likely value inside [a, b]
            log_peak = -0.5 * ((mode - mean) / std) ** 2

            def log_pdf(x: np.ndarray) -> np.ndarray:  # in the tensor's dtype, step by step
                dt = x.dtype.type
                return ((((x - dt(mean)) / dt(std)) ** 2) * dt(-0.5)) - dt(log_peak)

            def rejected(x: np.ndarray) -> np.ndarray:
                u = Tensor._wrap(np.empty_like(t)).uniform_(generator=generator)._array
                with np.errstate(divide="ignore"):
                    return np.log(u) > log_pdf(x)

            tensor.uniform_(a, b, generator=generator)
            pending = rejected(t)
            while pending.any():
                cand = Tensor._wrap(np.empty_like(t)).uniform_(a, b, generator=generator)._array
                t[pending] = cand[pending]
                pending &= rejected(cand)
    return tensor


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with `val`, in place (torch.nn.init.constant_)."""
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1, in place (torch.nn.init.ones_)."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0, in place (torch.nn.init.zeros_)."""
    with no_grad():
        return tensor.zero_()


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity matrix (ones on the diagonal), in place."""
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with no_grad():
        tensor.zero_()
        np.fill_diagonal(tensor._array, 1)
    return tensor


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """U(−a, a) with a = gain · sqrt(6 / (fan_in + fan_out)) (Glorot; torch.nn.init.xavier_uniform_).

    It keeps the variance of activations and of gradients about equal across a layer when the
    layer is roughly linear around 0 (tanh, with gain 5/3).
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std  # a uniform on [−a, a] has std a/sqrt(3)
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """N(0, std²) with std = gain · sqrt(2 / (fan_in + fan_out)) (torch.nn.init.xavier_normal_)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor:
    """U(−bound, bound) with bound = gain · sqrt(3 / fan) (He; torch.nn.init.kaiming_uniform_).

    gain = calculate_gain(nonlinearity, a). The default (leaky_relu with a=0) gives gain sqrt(2),
    the ReLU gain. mode='fan_in' keeps the forward variance, 'fan_out' the backward one.
    A tensor with a 0 in its shape is left alone, with a warning.
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    with no_grad():
        return tensor.uniform_(-bound, bound, generator=generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor:
    """N(0, std²) with std = gain / sqrt(fan) (He; torch.nn.init.kaiming_normal_)."""
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    with no_grad():
        return tensor.normal_(0, std, generator=generator)


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Generator | None = None) -> Tensor:
    """A (semi-)orthogonal matrix times gain, in place (Saxe et al.; torch.nn.init.orthogonal_).

    The tensor is viewed as (rows, numel/rows). A N(0, 1) matrix of that shape (transposed when
    it is wide) is QR-factorised; Q times sign(diag(R)) is uniformly distributed over orthogonal
    matrices. So W Wᵀ = gain²·I for a wide W and Wᵀ W = gain²·I for a tall one.
    """
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    if not tensor.is_floating_point():  # torch fails when it draws the normal matrix
        raise NotImplementedError(
            f"\"normal_kernel_cpu\" not implemented for '{tensor.dtype.scalar_name}'"
        )
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flattened = Tensor._wrap(np.empty((rows, cols), dtype=tensor._array.dtype))
    flattened = flattened.normal_(0, 1, generator=generator)._array
    if rows < cols:
        flattened = flattened.T
    q, r = np.linalg.qr(flattened)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    with no_grad():
        tensor._array[...] = (q * gain).reshape(tensor.shape)
    return tensor


def _make_deprecate(meth):
    new_name = meth.__name__
    old_name = new_name[:-1]

    def deprecated_init(*args, **kwargs):
        warnings.warn(
            f"`nn.init.{old_name}` is now deprecated in favor of `nn.init.{new_name}`.",
            FutureWarning,
            stacklevel=2,
        )
        return meth(*args, **kwargs)

    deprecated_init.__doc__ = f"Deprecated: use `{new_name}`."
    deprecated_init.__name__ = old_name
    return deprecated_init


# The old names without the underscore still work, with a FutureWarning (as in torch).
uniform = _make_deprecate(uniform_)
normal = _make_deprecate(normal_)
constant = _make_deprecate(constant_)
eye = _make_deprecate(eye_)
xavier_uniform = _make_deprecate(xavier_uniform_)
xavier_normal = _make_deprecate(xavier_normal_)
kaiming_uniform = _make_deprecate(kaiming_uniform_)
kaiming_normal = _make_deprecate(kaiming_normal_)
orthogonal = _make_deprecate(orthogonal_)
