"""Gradient clipping, applied between `loss.backward()` and `optimizer.step()`
(torch/nn/utils/clip_grad.py)."""

from __future__ import annotations

import math
import types
import warnings
from collections.abc import Iterable

import numpy as np

from ... import autograd
from ...tensor import Tensor


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        return [parameters]
    is_generator = isinstance(parameters, types.GeneratorType)
    parameters = list(parameters)  # a generator would be used up by the first pass
    if is_generator and not parameters:
        warnings.warn(
            "`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=3
        )
    return parameters


def _vector_norm(a: np.ndarray, norm_type: float) -> np.float64:
    """‖a‖_p of all the values of `a`, computed in float64."""
    a = np.abs(a.astype(np.float64)).reshape(-1)
    if norm_type == math.inf:
        return a.max() if a.size else np.float64(0.0)
    if norm_type == -math.inf:
        return a.min() if a.size else np.float64(math.inf)
    if norm_type == 0:
        return np.float64(np.count_nonzero(a))
    return np.sum(a**norm_type) ** (1.0 / norm_type)


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale every `.grad` by min(1, max_norm / (total_norm + 1e-6)), in place
    (torch.nn.utils.clip_grad_norm_).

    total_norm is the `norm_type`-norm of all the gradients seen as one vector (the norm of
    the per-tensor norms). Call it after `backward()` and before `step()`.

    Args:
        parameters: a Tensor or an iterable of them (e.g. `model.parameters()`).
        max_norm: the largest total norm allowed.
        norm_type: p of the p-norm; `math.inf` for the largest absolute value.
        error_if_nonfinite: raise if the total norm is nan or inf.
        foreach: torch's choice of kernel; the result is the same either way.

    Returns: the total norm before clipping, a 0-d float32 tensor.

    >>> from course_lib import tensor
    >>> w = tensor([3.0, 4.0], requires_grad=True)
    >>> w.grad = tensor([3.0, 4.0])
    >>> clip_grad_norm_([w], max_norm=1.0)
    tensor(5.)
    >>> w.grad
    tensor([0.6000, 0.8000])
    """
    parameters = _as_list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    norm_type = float(norm_type)
    if not grads:
        return Tensor._wrap(np.array(0.0, dtype=np.float32))
    # the norm of each gradient, in its dtype, then the norm of those norms
    norms = [g._array.dtype.type(_vector_norm(g._array, norm_type)) for g in grads]
    dtype = np.result_type(*norms)
    total = dtype.type(_vector_norm(np.array(norms, dtype=dtype), norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
            "by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    coef = min(dtype.type(float(max_norm)) / (total + dtype.type(1e-6)), dtype.type(1.0))
    with autograd.no_grad():
        for g in grads:
            g._array *= g._array.dtype.type(coef)
    return Tensor._wrap(np.array(total, dtype=dtype))


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every `.grad` to [-clip_value, clip_value], in place (torch.nn.utils.clip_grad_value_).

    >>> from course_lib import tensor
    >>> w = tensor([1.0, 1.0], requires_grad=True)
    >>> w.grad = tensor([-3.0, 0.5])
    >>> clip_grad_value_(w, 1.0)
    >>> w.grad
    tensor([-1.0000,  0.5000])
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    clip_value = float(clip_value)
    for p in parameters:
        if p.grad is not None:
            np.clip(p.grad._array, -clip_value, clip_value, out=p.grad._array)
