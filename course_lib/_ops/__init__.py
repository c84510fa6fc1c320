"""Tensor's ops, one family per file; `Tensor` (in ../tensor.py) is built from their classes.

    _common.py      _result (an op's output and its grad_fn), unbroadcast, in-place guards
    _checks.py      argument checks with torch's messages, kept out of the math
    elementwise.py  + - * / // % ** == < & | ^ ~, exp, log, sqrt, abs, tanh, sigmoid, relu, clamp,
                    fmod, lerp, addcmul, atan2, xlogy, logical_and, isclose, nan_to_num, ...
    reductions.py   sum, mean, var, std, max, min, amax, argmax, logsumexp, norm, softmax, log_softmax,
                    nansum, nanmean, std_mean, var_mean
    shape.py        view, reshape, transpose, t, T, permute, unsqueeze, squeeze, flatten, expand,
                    roll, tile, ravel, diag, trace, broadcast_to/_tensors/_shapes, meshgrid
    indexing.py     x[i], x[i] = v, index_select, gather, masked_fill, repeat_interleave, scatter,
                    scatter_add, index_add, index_copy, index_fill, take
    linalg.py       matmul (@), mm, bmm, addmm, einsum, tril, triu
    joining.py      cat, stack, where, hstack, vstack, dstack, column_stack
    inplace.py      every method ending in `_` (add_, exp_, zero_, fill_, copy_, uniform_, ...), +=, *=
    sorting.py      sort, argsort, msort, topk, kthvalue, median, nonzero, argwhere, count_nonzero,
                    masked_select, unique, cummax, cummin

Each op computes its output with NumPy and defines its `backward` right below it.
"""

from . import (
    _checks,
    _common,
    elementwise,
    indexing,
    inplace,
    joining,
    linalg,
    reductions,
    shape,
    sorting,
)

__all__ = [
    "_checks", "_common", "elementwise", "indexing", "inplace", "joining", "linalg", "reductions",
    "shape", "sorting",
]  # fmt: skip
