"""Reductions over dims: sum, mean, var, std, max, min, amax, amin, argmax, argmin,
logsumexp, norm, prod, all, any, nansum, nanmean (and torch.std_mean, torch.var_mean); running
sums and products (cumsum, cumprod); and softmax, log_softmax, which normalise along one dim.

A reduction's backward hands each reduced element its share of the output's gradient: the
reduced dims are put back (size 1) so the gradient broadcasts over the input.
"""

from __future__ import annotations

import math
import warnings
from collections import namedtuple

import numpy as np

from .._dtypes import as_numpy_dtype, dtype
from ._checks import (
    _check_logsumexp_dim,
    _check_reduce_nonempty,
    _check_tensor_arg,
    _norm_order,
    _reduce_dims,
    _softmax_axis,
    _spread_args,
    _wrap_dim,
)
from ._common import OUT, _result, quiet

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


_max_result = namedtuple("max", ["values", "indices"])


_min_result = namedtuple("min", ["values", "indices"])


def _return_types_repr(self) -> str:
    return (
        f"torch.return_types.{type(self).__name__}(\nvalues={self.values!r},\n"
        f"indices={self.indices!r})"
    )


_max_result.__repr__ = _return_types_repr


_min_result.__repr__ = _return_types_repr


class ReductionOps:
    """The reductions of Tensor (one of its base classes)."""

    # -- softmax and log_softmax: normalised along one dim -------------------------------------

    def softmax(self, dim: int | None = None, dtype: dtype | None = None) -> Tensor:
        """exp(x - max) / sum(exp(x - max)) along `dim`: every slice along `dim` sums to 1.

        `dtype` casts the input first (so an int64 tensor can be given with dtype=float32).
        """
        if dtype is not None:
            return self.to(dtype).softmax(dim)
        d = _softmax_axis(dim, self, "softmax")
        a = self._array
        with np.errstate(invalid="ignore"):  # an inf logit gives nan, as in torch
            e = np.exp(a - a.max(axis=d, keepdims=True, initial=-np.inf))  # exp() stays finite
            out = e / e.sum(axis=d, keepdims=True)

        def backward(g):  # J = diag(p) - p p^T, so dx = p * (g - sum(g * p))
            return (out * (g - (g * out).sum(axis=d, keepdims=True)),)

        return _result(out, (self,), backward, "SoftmaxBackward0", (OUT,))

    def log_softmax(self, dim: int | None = None, dtype: dtype | None = None) -> Tensor:
        """x - logsumexp(x) along `dim`, computed without ever forming exp(x)."""
        if dtype is not None:
            return self.to(dtype).log_softmax(dim)
        d = _softmax_axis(dim, self, "log_softmax")
        with np.errstate(invalid="ignore", divide="ignore"):  # inf logits give nan, as in torch
            out = _log_softmax_array(self._array, d)

        def backward(g):  # J = I - 1 p^T, so dx = g - p * sum(g)
            return (g - np.exp(out) * g.sum(axis=d, keepdims=True),)

        return _result(out, (self,), backward, "LogSoftmaxBackward0", (OUT,))

    # -- reductions ----------------------------------------------------------------------------

    def sum(self, dim=None, keepdim: bool = False, dtype=None) -> Tensor:
        """Sum over all elements, or over `dim` (an int or a tuple of ints)."""
        a = self._array
        axes = _reduce_dims(dim, self.ndim)
        out_dtype = (
            as_numpy_dtype(dtype)
            if dtype is not None
            else (np.int64 if a.dtype.kind in "biu" else a.dtype)
        )
        with quiet:  # inf + -inf is nan, silently
            out = np.asarray(a.sum(axis=axes, keepdims=keepdim, dtype=out_dtype))

        def backward(g):  # d sum(x) = 1 for every summed element
            g = _unreduce(g, axes, keepdim)
            return (np.broadcast_to(g, a.shape),)

        return _result(out, (self,), backward, "SumBackward0" if dim is None else "SumBackward1")

    def mean(self, dim=None, keepdim: bool = False, dtype=None) -> Tensor:
        """Mean over all elements, or over `dim`."""
        a = self._array
        if a.dtype.kind != "f" and dtype is None:
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {self.dtype.scalar_name}"
            )
        axes = _reduce_dims(dim, self.ndim)
        if dtype is not None:
            a = a.astype(as_numpy_dtype(dtype))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # mean of nothing is nan, silently
            out = np.asarray(a.mean(axis=axes, keepdims=keepdim), dtype=a.dtype)
        n = a.size // max(out.size, 1) if a.size else 0

        def backward(g):  # d mean(x) = 1/n for every averaged element
            g = _unreduce(g, axes, keepdim)
            return (np.broadcast_to(g / n, a.shape),)

        return _result(out, (self,), backward, "MeanBackward0" if dim is None else "MeanBackward1")

    def var(self, *args, **kwargs) -> Tensor:
        """Σ(x − mean)² / (N − correction): the unbiased sample variance by default (torch.var).

        `correction=0` (or `unbiased=False`) gives the biased (population) variance, the one
        LayerNorm uses. torch's signatures: var(dim=None, *, correction=1, keepdim=False),
        var(dim, unbiased=True, keepdim=False) and var(unbiased=True).
        """
        return self._spread(*_spread_args("var", args, kwargs), "var")

    def std(self, *args, **kwargs) -> Tensor:
        """sqrt(var): the unbiased sample standard deviation by default (torch.std).

        Takes the same arguments as `var`: std(1, False) is std(1, correction=0).
        """
        return self._spread(*_spread_args("std", args, kwargs), "std")

    def _spread(self, dim, correction: int, keepdim: bool, which: str, fn=None) -> Tensor:
        a = self._array
        if a.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        axes = _reduce_dims(dim, self.ndim)
        n = a.size if axes is None else math.prod(a.shape[d] for d in axes)
        if n - correction <= 0:
            warnings.warn(
                f"{fn or which}(): degrees of freedom is <= 0. Correction should be strictly less "
                "than the reduction factor (input numel divided by output numel).",
                UserWarning,
                stacklevel=3 if fn is None else 5,
            )
        with quiet:  # inf values, and N <= correction, give nan/inf
            centred = a - a.mean(axis=axes, keepdims=True)
            var = (centred * centred).sum(axis=axes, keepdims=True) / max(n - correction, 0)
            out = var if which == "var" else np.sqrt(var)

        def backward(g):  # d var = 2 (x − mean) / (N − c);  d std = (x − mean) / ((N − c) std)
            g = _unreduce(g, axes, keepdim)
            with np.errstate(divide="ignore", invalid="ignore"):
                if which == "var":
                    return (g * 2 * centred / max(n - correction, 0),)
                # torch: 0 where the std is 0 (all values equal), not 0/0
                return (np.where(out == 0, 0, g * centred / (max(n - correction, 0) * out)),)

        result = out if keepdim else (out.reshape(()) if axes is None else out.squeeze(axes))
        name = f"{which.capitalize()}Backward0"
        saved = (self,) if which == "var" else (self, OUT)
        return _result(np.asarray(result, dtype=a.dtype), (self,), backward, name, saved)

    def _extreme(self, dim, keepdim, which: str):
        a = self._array
        reduce, arg = (np.max, np.argmax) if which == "max" else (np.min, np.argmin)
        if dim is None:
            if a.size == 0:
                raise RuntimeError(
                    f"{which}(): Expected reduction dim to be specified for input.numel() == 0. "
                    "Specify the reduction dim with the 'dim' argument."
                )
            out = np.asarray(reduce(a))

            def backward(g):  # the gradient is shared evenly by all the maxima (ties)
                mask = a == out
                return (np.where(mask, g / mask.sum(), 0),)

            return _result(out, (self,), backward, f"{which.capitalize()}Backward1", (self, OUT))
        d = _wrap_dim(dim, self.ndim)
        if self.ndim == 0:  # the one element is the value; its gradient passes straight through
            v = _result(a.copy(), (self,), lambda g: (g,), f"{which.capitalize()}Backward0", ())
            return (_max_result if which == "max" else _min_result)(v, zeros_index(()))
        if a.shape[d] == 0:
            raise IndexError(f"{which}(): Expected reduction dim {d} to have non-zero size.")
        idx = np.expand_dims(arg(a, axis=d), d)
        values = np.take_along_axis(a, idx, axis=d)

        def backward_dim(g):  # the gradient goes to the selected element of each slice
            ga = np.zeros_like(a)
            np.put_along_axis(ga, idx, g if keepdim else np.expand_dims(g, d), axis=d)
            return (ga,)

        indices = idx if keepdim else idx.squeeze(d)  # `idx` itself stays as backward needs it
        if not keepdim:
            values = values.squeeze(d)
        v = _result(values, (self,), backward_dim, f"{which.capitalize()}Backward0", ())
        result = _max_result if which == "max" else _min_result
        return result(v, Tensor._wrap(indices.astype(np.int64)))

    def max(self, dim=None, keepdim: bool = False):
        """The largest element; with `dim`, a (values, indices) pair along that dim; with a
        tensor, the elementwise maximum (torch.max(a, b))."""
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        return self._extreme(dim, keepdim, "max")

    def min(self, dim=None, keepdim: bool = False):
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        return self._extreme(dim, keepdim, "min")

    def argmax(self, dim=None, keepdim: bool = False) -> Tensor:
        if self._array.dtype == np.bool_:
            raise RuntimeError("argmax(): does not support bool input")
        if dim is None:
            return Tensor._wrap(np.asarray(np.argmax(self._array), dtype=np.int64))
        return self.max(dim, keepdim).indices

    def argmin(self, dim=None, keepdim: bool = False) -> Tensor:
        if self._array.dtype == np.bool_:
            raise RuntimeError("argmin(): does not support bool input")
        if dim is None:
            return Tensor._wrap(np.asarray(np.argmin(self._array), dtype=np.int64))
        return self.min(dim, keepdim).indices

    # -- reductions: amax, amin, logsumexp, norm -----------------------------------------------

    def amax(self, dim=(), keepdim: bool = False) -> Tensor:
        """The largest value over `dim` (all dims by default); ties share the gradient evenly."""
        return self._amax_amin(dim, keepdim, "amax")

    def amin(self, dim=(), keepdim: bool = False) -> Tensor:
        """The smallest value over `dim` (all dims by default); ties share the gradient evenly."""
        return self._amax_amin(dim, keepdim, "amin")

    def _amax_amin(self, dim, keepdim: bool, which: str) -> Tensor:
        a = self._array
        axes = None if isinstance(dim, (tuple, list)) and not dim else _reduce_dims(dim, self.ndim)
        _check_reduce_nonempty(a, axes, which)
        reduce = np.max if which == "amax" else np.min
        kept = reduce(a, axis=axes, keepdims=True)
        out = np.asarray(kept if keepdim else reduce(a, axis=axes, keepdims=False))

        def backward(g):  # d max = 1 at the maximum; k tied maxima get 1/k each
            mask = a == kept
            g = _unreduce(g, axes, keepdim)
            return (g * mask / mask.sum(axis=axes, keepdims=True),)

        return _result(out, (self,), backward, f"{which.capitalize()}Backward0", (self, OUT))

    def logsumexp(self, dim=None, keepdim: bool = False) -> Tensor:
        """log(Σ exp(x)) over `dim`, computed as m + log(Σ exp(x − m)) with m the max.

        Shape: the input's shape without `dim` (kept as size 1 with keepdim=True).

        >>> tensor([0.0, 0.0]).logsumexp(0)  # log 2
        tensor(0.6931)
        """
        _check_logsumexp_dim(dim, self.ndim)
        a = self._float_array()
        axes = _reduce_dims(dim, self.ndim)
        m = np.max(a, axis=axes, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, 0)  # all -inf (or an inf): nothing to shift by
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            kept = np.log(np.exp(a - m).sum(axis=axes, keepdims=True)) + m
        out = kept if keepdim else _squeezed(kept, axes)

        def backward(g):  # d logsumexp(x) = softmax(x) = exp(x − logsumexp(x))
            g = _unreduce(g, axes, keepdim)
            with np.errstate(invalid="ignore", over="ignore"):
                return (g * np.exp(a - kept),)

        saved = (self, OUT)
        return _result(
            np.asarray(out, dtype=a.dtype), (self,), backward, "LogsumexpBackward0", saved
        )

    def norm(self, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
        """The p-norm (Σ|x|^p)^(1/p) over `dim` (all elements by default), as torch.norm.

        p=2 (or 'fro') is the Euclidean length; p=1 the sum of |x|; p=inf the largest |x|;
        p=0 counts the non-zeros. The gradient at a zero norm is 0, as in torch.

        >>> tensor([3.0, 4.0]).norm()
        tensor(5.)
        """
        if dtype is not None:
            return self.to(dtype).norm(p, dim, keepdim)
        if p == "nuc":  # the sum of the singular values, as torch.linalg.matrix_norm computes it
            from ..linalg import matrix_norm

            return matrix_norm(
                self, "nuc", tuple(range(self.ndim)) if dim is None else dim, keepdim
            )
        return self._vector_norm(_norm_order(self, p, dim), dim, keepdim)

    def _vector_norm(self, p: float, dim, keepdim: bool) -> Tensor:
        a = self._array
        axes = _reduce_dims(dim, self.ndim)
        x = np.abs(a)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p == math.inf:
                kept = np.max(x, axis=axes, keepdims=True, initial=0)
            elif p == -math.inf:
                kept = np.min(x, axis=axes, keepdims=True)
            elif p == 0:
                kept = (x != 0).sum(axis=axes, keepdims=True).astype(a.dtype)
            elif p == 1:
                kept = x.sum(axis=axes, keepdims=True)
            elif p == 2:
                kept = np.sqrt((x * x).sum(axis=axes, keepdims=True))
            else:
                kept = (x**p).sum(axis=axes, keepdims=True) ** (1 / p)
        kept = kept.astype(a.dtype, copy=False)
        out = kept if keepdim else _squeezed(kept, axes)

        def backward(g):  # torch's vector_norm backward, case by case
            if p == 0:  # a count: no gradient
                return (None,)
            if not keepdim:
                g = g.reshape(kept.shape)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                if p == 1:  # d Σ|x| = sign(x)
                    return (np.sign(a) * g,)
                if p == 2:  # d ‖x‖ = x / ‖x‖, 0 where ‖x‖ = 0
                    return (g * np.where(kept == 0, 0, a / kept),)
                if math.isinf(p):  # d max|x| = sign(x) at the maxima, shared between ties
                    mask = (x == kept) | np.isnan(x)
                    return (np.sign(a) * (g / mask.sum(axis=axes, keepdims=True) * mask),)
                if p < 1:  # d ‖x‖_p = sign(x) |x|^(p−1) ‖x‖^(1−p), 0 where x = 0
                    scaled = np.sign(a) * np.where(a == 0, 0, x ** (p - 1))
                    return (scaled * g * kept ** (1 - p),)
                scale = np.where(kept == 0, 0, g / kept ** (p - 1))
                if p < 2:  # d ‖x‖_p = sign(x) |x|^(p−1) / ‖x‖^(p−1)
                    return (np.sign(a) * x ** (p - 1) * scale,)
                return (a * x ** (p - 2) * scale,)  # the same, written as torch does for p ≥ 2

        saved = (self, OUT)
        return _result(np.asarray(out), (self,), backward, "LinalgVectorNormBackward0", saved)

    # -- more of torch's API: prod, all, any, cumsum, cumprod ----------------------------------

    def prod(self, dim=None, keepdim: bool = False, dtype=None) -> Tensor:
        """The product of all elements, or along one `dim` (torch.prod); int and bool give int64.

        Each element's gradient is the product of the others in its slice, so a slice with one
        zero sends a gradient to that zero only, and a slice with two zeros sends none.

        >>> tensor([2.0, 3.0, 4.0]).prod()
        tensor(24.)
        """
        if dim is None and keepdim:  # torch has no prod(keepdim=...) without a dim
            raise TypeError(
                "prod() received an invalid combination of arguments - got (keepdim=bool, ), but "
                "expected one of:\n * (*, torch.dtype dtype = None)\n * (int dim, bool keepdim "
                "= False, *, torch.dtype dtype = None)\n"
            )
        if dtype is not None:
            return self.to(dtype).prod(dim, keepdim)
        a = self._array
        if a.dtype.kind in "biu":
            a = a.astype(np.int64)
        if dim is None:
            out = np.asarray(a.prod())
            axis, flat = 0, a.reshape(-1)
        else:
            axis, flat = _wrap_dim(dim, self.ndim), a
            out = np.asarray(a.prod(axis=axis if a.ndim else None, keepdims=keepdim))

        def backward(g):  # d Π x / d x_k = the product of the others
            if a.ndim == 0:
                return (g,)
            if dim is not None:
                g = _unreduce(g, (axis,), keepdim)
            with np.errstate(all="ignore"):
                if not (a == 0).any():  # torch divides: Π x / x_k (so inf and nan give nan)
                    kept = out if dim is None else _unreduce(out, (axis,), keepdim)
                    return (g * (kept / a),)
                # with a zero, the product of the others is formed without division
                return ((g * _product_of_others(flat, axis)).reshape(a.shape),)

        name = "ProdBackward0" if dim is None else "ProdBackward1"
        return _result(out, (self,), backward, name, (self, OUT))

    def all(self, dim=None, keepdim: bool = False) -> Tensor:
        """True if every element is non-zero (nan counts as non-zero), over `dim` (torch.all).

        The result is bool (uint8 for uint8 input, as torch)."""
        return self._logical_reduce(np.all, dim, keepdim)

    def any(self, dim=None, keepdim: bool = False) -> Tensor:
        """True if some element is non-zero, over `dim` (torch.any)."""
        return self._logical_reduce(np.any, dim, keepdim)

    def _logical_reduce(self, f, dim, keepdim: bool) -> Tensor:
        a = self._array
        axes = _reduce_dims(dim, self.ndim)
        out = np.asarray(f(a != 0, axis=axes, keepdims=keepdim))
        return Tensor._wrap(out.astype(np.uint8) if a.dtype == np.uint8 else out)

    def cumsum(self, dim=None, *, dtype=None) -> Tensor:
        """Running sums along `dim`: [x0, x0 + x1, ...] (torch.cumsum); int and bool give int64.

        >>> tensor([1, 2, 3]).cumsum(0)
        tensor([1, 3, 6])
        """
        if dim is None:
            raise TypeError('cumsum() missing 1 required positional arguments: "dim"')
        if dtype is not None:
            return self.to(dtype).cumsum(dim)
        d = _wrap_dim(dim, self.ndim)
        a = self._array
        if a.dtype.kind in "biu":
            a = a.astype(np.int64)
        with np.errstate(invalid="ignore"):  # inf + -inf gives nan, silently as in torch
            out = a.copy() if a.ndim == 0 else _running(np.cumsum, a, d)

        def backward(g):  # x_k is in every running sum from k on: sum g from the end backwards
            if g.ndim == 0:
                return (g,)
            return (_reversed_cumsum(g, d),)

        return _result(out, (self,), backward, "CumsumBackward0")

    def cumprod(self, dim=None, *, dtype=None) -> Tensor:
        """Running products along `dim`: [x0, x0 x1, ...] (torch.cumprod); int and bool give int64.

        The backward never divides by x, so zeros get torch's gradients.
        """
        if dim is None:
            raise TypeError('cumprod() missing 1 required positional arguments: "dim"')
        if dtype is not None:
            return self.to(dtype).cumprod(dim)
        d = _wrap_dim(dim, self.ndim)
        a = self._array
        if a.dtype.kind in "biu":
            a = a.astype(np.int64)
        with np.errstate(invalid="ignore"):  # inf * 0 gives nan, silently as in torch
            out = a.copy() if a.ndim == 0 else _running(np.cumprod, a, d)

        def backward(g):  # see _cumprod_backward
            if g.ndim == 0:
                return (g,)
            return (_cumprod_backward(a, g, out, d),)

        return _result(out, (self,), backward, "CumprodBackward0", (self, OUT))

    # -- sums and means that skip nan: nansum, nanmean -----------------------------------------

    def nansum(self, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
        """The sum with nan counted as 0 (torch.nansum); ints and bools give int64.

        >>> import math
        >>> tensor([1.0, math.nan, 3.0]).nansum()
        tensor(4.)
        """
        a = self._array
        if dtype is not None:
            a = a.astype(as_numpy_dtype(dtype))
        axes = _reduce_dims(dim, self.ndim)
        out_dtype = np.int64 if a.dtype.kind in "biu" else a.dtype
        with quiet:
            out = np.asarray(np.nansum(a, axis=axes, keepdims=keepdim, dtype=out_dtype))

        def backward(g):  # d nansum(x) = 1 for every element that is not nan, 0 for nan
            g = np.broadcast_to(_unreduce(g, axes, keepdim), a.shape)
            with quiet:  # multiplied, as torch: an inf gradient gives nan at a nan
                return (g * ~np.isnan(a),)

        return _result(out, (self,), backward, "NansumBackward0", (self,))

    def nanmean(self, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
        """The mean of the elements that are not nan (torch.nanmean): nansum / their count."""
        if self._array.dtype.kind != "f":
            raise RuntimeError(
                "nanmean(): expected input to have floating point or complex dtype but got "
                f"{self.dtype.scalar_name}"
            )
        count = Tensor._wrap(~np.isnan(self._array)).sum(dim, keepdim)
        return self.nansum(dim, keepdim, dtype=dtype) / count


def _row_blocks(a: np.ndarray, elements: int = 1 << 16):
    """Slices of about `elements` values' worth of rows of the 2-D `a`.

    An op on a whole large array streams it from RAM; a formula of several ops on one block of
    rows at a time finds its operands in the CPU cache, and its temporaries stay small.
    """
    step = max(1, elements // max(a.shape[1], 1))
    for start in range(0, len(a), step):
        yield slice(start, start + step)


def _log_softmax_array(x: np.ndarray, axis: int) -> np.ndarray:
    """NumPy log_softmax along `axis` (max-shifted, so ±1e4 logits stay finite)."""
    if x.size == 0:
        return x.copy()
    out = np.empty_like(x)
    # (N, C) logits go block by block, so that exp's temporary stays small and in the CPU cache
    blocks = _row_blocks(x) if x.ndim == 2 and axis == 1 else [...]
    with quiet:  # inf logits give nan, silently as in torch
        for rows in blocks:
            y = out[rows]
            np.subtract(x[rows], x[rows].max(axis=axis, keepdims=True), out=y)  # x − max
            y -= np.log(np.exp(y).sum(axis=axis, keepdims=True))  # − log Σ exp(x − max)
    return out


def zeros_index(shape):
    return Tensor._wrap(np.zeros(shape, dtype=np.int64))


def _unreduce(g: np.ndarray, axes, keepdim: bool) -> np.ndarray:
    """A reduction's gradient with the reduced dims put back (size 1), so that it broadcasts
    over the input: what keepdim=False took away. `axes` None means all dims (g is 0-d)."""
    return g if keepdim or axes is None else np.expand_dims(g, axes)


def _squeezed(kept: np.ndarray, axes) -> np.ndarray:
    """A keepdim=True reduction result with the reduced dims dropped again."""
    return kept.reshape(()) if axes is None else np.squeeze(kept, axis=axes)


# -- more of torch's API: the backward helpers of prod and cumprod ------------------------------


def _exclusive_cumprod(a: np.ndarray, axis: int) -> np.ndarray:
    """[1, x0, x0 x1, ...] along `axis`: for each element, the product of those before it."""
    n = a.shape[axis]
    ones = np.ones_like(np.take(a, [0], axis=axis))
    return _running(
        np.cumprod, np.concatenate([ones, np.take(a, range(n - 1), axis=axis)], axis), axis
    )


def _product_of_others(a: np.ndarray, axis: int) -> np.ndarray:
    """For each element, the product of the other elements of its slice along `axis`: the
    product of those before it times the product of those after it."""
    if a.shape[axis] == 0:
        return a.copy()
    after = np.flip(_exclusive_cumprod(np.flip(a, axis), axis), axis)
    return _exclusive_cumprod(a, axis) * after


def _cumprod_backward(a: np.ndarray, g: np.ndarray, out: np.ndarray, axis: int) -> np.ndarray:
    """d/dx_k of Σ_j g_j y_j with y = cumprod(x): y_j contains x_k for every j >= k.

    As torch computes it: without zeros in x, Σ_{j>=k} g_j y_j / x_k. With zeros, a slice's
    elements before its first zero take the same sum over the y_j before that zero (the later y_j
    are 0); those after it get 0; the first zero itself gets (the product of x before it) × S_k,
    where S_k = Σ_{j>=k} g_j x_{k+1} ⋯ x_j, which runs backwards as S_k = g_k + x_{k+1} S_{k+1}.
    """
    if a.shape[axis] == 0:
        return np.zeros_like(g)
    if a.shape[axis] == 1:  # y = x: g passes unchanged (torch's shortcut, so inf gives no nan)
        return g
    with np.errstate(all="ignore"):
        if not (a == 0).any():
            return _reversed_cumsum(g * out, axis) / a
        zeros_so_far = np.cumsum(a == 0, axis=axis)
        before = zeros_so_far == 0
        grad = _reversed_cumsum(np.where(before, g, 0) * np.where(before, out, 0), axis)
        grad = np.where(before, grad / np.where(before, a, 1), 0)
        x, gm = np.moveaxis(a, axis, 0), np.moveaxis(g, axis, 0)
        s = np.empty(gm.shape, dtype=g.dtype)
        s[-1] = gm[-1]
        for k in range(len(x) - 2, -1, -1):
            s[k] = gm[k] + x[k + 1] * s[k + 1]
        at_zero = np.moveaxis(_exclusive_cumprod(x, 0) * s, 0, axis)
        return np.where((zeros_so_far == 1) & (a == 0), at_zero, grad)


def _reversed_cumsum(x: np.ndarray, axis: int) -> np.ndarray:
    """[x0 + x1 + ... , x1 + ..., ..., x_last]: running sums from the end."""
    return np.flip(_running(np.cumsum, np.flip(x, axis), axis), axis)


def _running(f, x: np.ndarray, axis: int) -> np.ndarray:
    """np.cumsum or np.cumprod as torch runs them: float32 accumulates in float64 (so a long
    running sum keeps its precision), then rounds back to float32."""
    if x.dtype == np.float32:
        return f(x, axis=axis, dtype=np.float64).astype(np.float32)
    return f(x, axis=axis)


def _spread_and_mean(input: Tensor, args: tuple, kwargs: dict, which: str) -> tuple:
    """torch.std_mean / torch.var_mean: (std or var, mean) over the same dims, with std's and
    var's arguments; both outputs are named as torch's one node, StdMeanBackward0."""
    fn = f"{which}_mean"
    if not isinstance(input, Tensor):
        raise TypeError(
            f"{fn}() received an invalid combination of arguments - got "
            f"({type(input).__name__}), but expected one of:\n"
            " * (Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)\n"
            " * (Tensor input, tuple of ints dim = None, *, Number correction = None, bool "
            "keepdim = False)\n * (Tensor input, bool unbiased = True)\n"
        )
    dim, correction, keepdim = _spread_args(fn, args, kwargs)
    if input._array.dtype.kind != "f":
        raise RuntimeError(f"{fn} only support floating point and complex dtypes")
    spread = input._spread(dim, correction, keepdim, which, fn)
    mean = input.mean(dim, keepdim)
    for out in (spread, mean):
        if out._node is not None:
            out._node._name = f"{which.capitalize()}MeanBackward0"
    return spread, mean


def std_mean(input: Tensor, *args, **kwargs) -> tuple:
    """(std, mean) of `input` over the same dims (torch.std_mean); std's arguments.

    >>> std_mean(tensor([1.0, 2.0, 3.0]))
    (tensor(1.), tensor(2.))
    """
    return _spread_and_mean(input, args, kwargs, "std")


def var_mean(input: Tensor, *args, **kwargs) -> tuple:
    """(var, mean) of `input` over the same dims (torch.var_mean); var's arguments."""
    return _spread_and_mean(input, args, kwargs, "var")


# -- bincount, histc, cov, corrcoef ---------------------------------------------------------------


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, ..., max occurs in a 1-D tensor of non-negative ints
    (torch.bincount); with `weights`, the sum of the weights instead of a count. The result
    has at least `minlength` entries.

    >>> bincount(tensor([0, 1, 1, 3]))
    tensor([1, 2, 0, 1])
    """
    _check_tensor_arg(input, "bincount", "input", 1)
    a = input._array
    if a.dtype.kind not in "iu":
        raise NotImplementedError(
            f"\"bincount_cpu\" not implemented for '{input.dtype.scalar_name}'"
        )
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if a.ndim != 1 or (a.size and a.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is not None and (weights.ndim != 1 or weights.shape[0] != a.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    length = max(minlength, int(a.max()) + 1 if a.size else 0)
    if weights is None:
        return Tensor._wrap(np.bincount(a, minlength=length).astype(np.int64))
    w = weights._array
    dt = w.dtype if w.dtype.kind == "f" else np.dtype(np.float64)  # others count in float64
    out = np.bincount(a, weights=w.astype(np.float64), minlength=length).astype(dt)

    def backward(g):
        raise RuntimeError("derivative for aten::bincount is not implemented")

    return _result(out, (weights,), backward, "torch::autograd::NotImplemented")


def _cpp_float(x: float) -> str:
    """A number as C++ prints a double (what torch's messages show): 1, 1.5, inf, -nan."""
    if math.isnan(x):
        return "-nan" if math.copysign(1, x) < 0 else "nan"
    return f"{x:g}"


def histc(input: Tensor, bins: int = 100, min=0, max=0) -> Tensor:
    """A histogram of the values: `bins` equal-width bins from min to max (torch.histc); values
    outside are left out, max falls in the last bin. With min == max the data's own min and max
    are used. The result is not differentiable (torch records no gradient).

    >>> histc(tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3)
    tensor([0., 2., 1., 0.])
    """
    _check_tensor_arg(input, "histc", "input", 1)
    if not isinstance(bins, int) or isinstance(bins, bool):
        raise TypeError(f"histc(): argument 'bins' must be int, not {type(bins).__name__}")
    a = input._array
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    if a.dtype.kind != "f":
        raise NotImplementedError(
            f"\"histogram_cpu\" not implemented for '{input.dtype.scalar_name}'"
        )
    lo, hi = float(min), float(max)
    if lo == hi and a.size:  # the data's range: a nan there is the CPU's default nan, -nan
        lo, hi = (-abs(v) if math.isnan(v) else v for v in (float(a.min()), float(a.max())))
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(
            f"torch.histc: range of [{_cpp_float(lo)}, {_cpp_float(hi)}] is not finite"
        )
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    edges = np.linspace(lo, hi, bins + 1).astype(a.dtype)
    left, right = edges[0], edges[-1]
    x = a.reshape(-1)
    x = x[(x >= left) & (x <= right)]
    with quiet:
        pos = ((x - left) * a.dtype.type(bins) / (right - left)).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    return Tensor._wrap(np.bincount(pos, minlength=bins).astype(a.dtype))


def cov(input: Tensor, *, correction: int = 1, fweights=None, aweights=None) -> Tensor:
    """The covariance matrix of the variables in the rows of `input`, each column one
    observation (torch.cov): Σ_k w_k (x_ik − x̄_i)(x_jk − x̄_j) / (Σ w − correction), with
    optional integer frequency weights and float observation weights. A 1-D input is one
    variable (a 0-d result). Composed of course_lib's ops as torch composes it.

    >>> cov(tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
    tensor([[ 1., -1.],
            [-1.,  1.]])
    """
    _check_tensor_arg(input, "cov", "input", 1)
    if not isinstance(correction, int) or isinstance(correction, bool):
        raise TypeError(
            f"cov(): argument 'correction' must be int, not {type(correction).__name__}"
        )
    if input.ndim > 2:
        raise RuntimeError(
            "cov(): expected input to have two or fewer dimensions but got an input with "
            f"{input.ndim} dimensions"
        )
    if input._array.dtype == np.bool_:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input.view(1, -1) if input.ndim < 2 else input
    n = x.shape[1]
    w = None
    for kind, t in (("fweights", fweights), ("aweights", aweights)):
        if t is None:
            continue
        if t.ndim > 1:
            raise RuntimeError(
                f"cov(): expected {kind} to have one or fewer dimensions but got {kind} with "
                f"{t.ndim} dimensions"
            )
        integral = t._array.dtype.kind in "iu"
        if kind == "fweights" and not integral:
            raise RuntimeError(
                "cov(): expected fweights to have integral dtype but got fweights with "
                f"{t.dtype.scalar_name} dtype"
            )
        if kind == "aweights" and t._array.dtype.kind != "f":
            raise RuntimeError(
                "cov(): expected aweights to have floating point dtype but got aweights with "
                f"{t.dtype.scalar_name} dtype"
            )
        if t.numel() != n:
            raise RuntimeError(
                f"cov(): expected {kind} to have the same numel as there are observations in the "
                f"input but got {t.numel()} != {n}"
            )
        if n and t._array.min() < 0:
            raise RuntimeError(f"cov(): {kind} cannot be negative")
        w = t if w is None else w * t
    w_sum = w.sum() if w is not None else Tensor._wrap(np.asarray(n, dtype=np.int64))
    if w is not None and not w_sum.item():
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = (x * w if w is not None else x).sum(1) / w_sum
    if w is not None and aweights is not None and correction != 0:
        norm_factor = w_sum - correction * (w * aweights).sum() / w_sum
    else:
        norm_factor = w_sum - correction
    if norm_factor.item() <= 0:
        warnings.warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "number of observations.",
            UserWarning,
            stacklevel=2,
        )
        norm_factor = norm_factor * 0
    x = x - avg.unsqueeze(1)
    c = x.mm((x * w if w is not None else x).t())
    return (c / norm_factor).squeeze()


def corrcoef(input: Tensor) -> Tensor:
    """Pearson's correlation coefficients of the variables in the rows of `input`
    (torch.corrcoef): cov(x)_ij / sqrt(cov_ii cov_jj), clipped to [-1, 1].

    >>> corrcoef(tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
    tensor([[ 1., -1.],
            [-1.,  1.]])
    """
    _check_tensor_arg(input, "corrcoef", "input", 1)
    if input.ndim > 2:
        raise RuntimeError(
            "corrcoef(): expected input to have two or fewer dimensions but got an input with "
            f"{input.ndim} dimensions"
        )
    c = cov(input)
    if c.ndim == 0:  # one variable: nan for a variance of nan, inf or 0, else 1
        return c / c
    stddev = c.diagonal().sqrt()
    c = c / stddev.view(-1, 1)
    c = c / stddev.view(1, -1)
    return c.clip(-1, 1)
