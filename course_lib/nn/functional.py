"""The stateless ops behind the layers (torch.nn.functional).

Every layer in `nn/modules/` holds its parameters and calls one function from here:
`Linear` calls `linear`, `LayerNorm` calls `layer_norm`, `CrossEntropyLoss` calls `cross_entropy`.
The ops that matter for speed or for numerical stability have a fused backward written beside
their forward (`linear`, `layer_norm`, `embedding`, the losses, the activations); each one is
checked against central differences in tests/. Errors use torch's exception types and messages.

    >>> import course_lib.nn.functional as F
    >>> F.softmax(tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([0.0900, 0.2447, 0.6652])
"""

from __future__ import annotations

import math
import numbers
import operator
import warnings

import numpy as np

from .. import autograd
from .._dtypes import dtype as _dtype
from .._dtypes import float32 as _float32
from .._dtypes import from_numpy_dtype, result_type
from .._ops._checks import _broadcast_error, _dim_error
from .._ops._common import OUT, _recorded, _result, quiet, unbroadcast
from .._ops.linalg import _mm2, matmul
from .._ops.reductions import _log_softmax_array, _row_blocks
from ..tensor import Tensor

__all__ = [
    "linear", "relu", "relu_", "tanh", "sigmoid", "softmax", "log_softmax", "layer_norm", "embedding",
    "embedding_bag",
    "cross_entropy", "nll_loss", "mse_loss",
]  # fmt: skip

# ----------------------------------------------------------------------------------------------
# Argument checks with torch's messages
# ----------------------------------------------------------------------------------------------


def _check_tensor(x, fn: str, arg: str, pos: int) -> None:
    """torch's argument parser: `linear(): argument 'input' (position 1) must be Tensor, not list`."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}"
        )


def _check_int_tuple(values, fn: str, arg: str, pos: int) -> tuple:
    """A size given as a tuple/list of ints, checked the way torch's argument parser does."""
    if isinstance(values, numbers.Integral) or not isinstance(values, (tuple, list)):
        raise TypeError(
            f"{fn}(): argument '{arg}' (position {pos}) must be tuple of ints, "
            f"not {type(values).__name__}"
        )
    for i, v in enumerate(values):
        if isinstance(v, numbers.Integral):  # bools pass too, as in torch
            continue
        name = type(v).__name__
        if i == 0:
            raise TypeError(
                f"{fn}(): argument '{arg}' (position {pos}) must be tuple of ints, but found "
                f"element of type {name} at pos 0"
            )
        raise TypeError(
            f"{fn}(): argument '{arg}' failed to unpack the object at pos {i + 1} with error "
            f'"type must be tuple of ints,but got {name}"'
        )
    return tuple(int(v) for v in values)


def _not_implemented(kernel: str, t: np.ndarray) -> NotImplementedError:
    """torch's message for a kernel that has no version for this dtype."""
    return NotImplementedError(
        f"\"{kernel}\" not implemented for '{from_numpy_dtype(t.dtype).scalar_name}'"
    )


def _scalar_name(a: np.ndarray) -> str:
    return from_numpy_dtype(a.dtype).scalar_name


# torch/nn/_reduction.py: the three reductions of a loss, and the legacy size_average/reduce flags.
def _check_reduction(reduction: str) -> str:
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            stacklevel=3,
        )
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _legacy_reduction(size_average: bool | None, reduce: bool | None) -> str:
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else ("sum" if reduce else "none")
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
        stacklevel=3,
    )
    return ret


# ----------------------------------------------------------------------------------------------
# linear
# ----------------------------------------------------------------------------------------------


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b over any number of leading dims (torch.nn.functional.linear).

    Args:
        input: (*, in_features); every leading dim is a batch dim.
        weight: (out_features, in_features), as stored by `nn.Linear`.
        bias: (out_features,) or None.

    Shape: (*, in) → (*, out). A 1-D input gives a 1-D output: (in,) → (out,).

    The leading dims are folded into one, so the whole batch is a single matrix product, and the
    backward is three matrix products: dx = g W, dW = gᵀ x (both 2-D), db = g summed over rows.

    >>> linear(ones(2, 5, 3), ones(4, 3), zeros(4)).shape
    torch.Size([2, 5, 4])
    """
    _check_tensor(input, "linear", "input", 1)
    _check_tensor(weight, "linear", "weight", 2)
    if bias is not None:
        _check_tensor(bias, "linear", "bias", 3)
    x, w = input._array, weight._array
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and {w.ndim}D"
        )
    if w.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {w.ndim}D")
    if w.ndim == 1:  # a weight vector: x @ w, a dot product per row (torch allows it without bias)
        if bias is not None:
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
        return matmul(input, weight.t())  # torch's graph shows the t() (TBackward0)

    out_f, in_f = w.shape
    rows = math.prod(x.shape[:-1])  # all leading dims folded into one (1 for a 1-D input)
    if bias is not None:  # torch's addmm checks dtypes before shapes
        if bias._array.dtype != w.dtype:
            raise RuntimeError(
                "self and mat2 must have the same dtype, but got "
                f"{_scalar_name(bias._array)} and {_scalar_name(w)}"
            )
        if x.dtype != w.dtype:
            raise RuntimeError(
                f"mat1 and mat2 must have the same dtype, but got {_scalar_name(x)} and "
                f"{_scalar_name(w)}"
            )
    if x.shape[-1] != in_f:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} and {in_f}x{out_f})"
        )
    if x.dtype != w.dtype:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{from_numpy_dtype(x.dtype).cpp_name} != {from_numpy_dtype(w.dtype).cpp_name}"
        )

    x2 = x.reshape(rows, in_f)  # a view when x is contiguous: no copy
    with quiet:  # inf * 0 is nan, silently as in torch
        out2 = _mm2(x2, w.T)
    out_shape = (*x.shape[:-1], out_f)
    b = None if bias is None else bias._array
    folded = b is None or x.ndim == 2 or b.ndim <= 1  # the bias is added to the (rows, out) matrix
    if b is not None and folded:
        Tensor._wrap(b).expand(rows, out_f)  # raises torch's "expanded size" error if it can't
        with quiet:
            out2 += b
    out = out2.reshape(out_shape)
    if b is not None and not folded:  # a bias with 2+ dims is broadcast against the output
        try:
            full = np.broadcast_shapes(out_shape, b.shape)
        except ValueError:
            raise _broadcast_error(out_shape, b.shape) from None
        if full != out_shape:
            raise RuntimeError(
                f"output with shape {list(out_shape)} doesn't match the broadcast shape {list(full)}"
            )
        out = out + b

    bias_req = bias is not None and bias._requires_grad
    if not (autograd._grad_enabled and (input._requires_grad or weight._requires_grad or bias_req)):
        return Tensor._wrap(out)
    return _linear_graph(input, weight, bias, x2, out2, out, folded)


def _linear_graph(input, weight, bias, x2, out2, out, folded: bool) -> Tensor:
    """The graph torch's linear builds: AddmmBackward0 (bias, input, TBackward0 of the weight) or
    MmBackward0 (input, TBackward0); an input that is not 2-D is flattened to rows first
    (ViewBackward0, or UnsqueezeBackward0 for a 1-D input without bias) and the result shaped
    back (ViewBackward0, SqueezeBackward4 or UnsafeViewBackward0); a bias that does not fold into
    the matrix product is added after it (AddBackward0)."""
    x, w = input._array, weight._array
    rows, in_f = x2.shape
    b = None if bias is None else bias._array
    tw = _recorded(w.T, (weight,), lambda g: (g.T,), "TBackward0")
    xin = input
    if x.ndim != 2:
        name = "UnsqueezeBackward0" if x.ndim == 1 and b is None else "ViewBackward0"
        xin = _recorded(x2, (input,), lambda g: (g.reshape(x.shape),), name)

    def backward(g2):  # y = x Wᵀ + b  →  dx = g W,  d(Wᵀ) = xᵀ g,  db = Σ_rows g
        gx = _mm2(g2, w) if input._requires_grad else None
        gtw = _mm2(g2.T, x2).T if weight._requires_grad else None
        if not with_bias:
            return gx, gtw
        return (unbroadcast(g2, b.shape) if bias._requires_grad else None), gx, gtw

    with_bias = b is not None and folded
    parents = (bias, xin, tw) if with_bias else (xin, tw)
    saved = (weight if input._requires_grad else None, input if weight._requires_grad else None)
    name = "AddmmBackward0" if with_bias else "MmBackward0"
    core = _recorded(out2, parents, backward, name, saved)
    if x.ndim == 2 and (b is None or folded):
        return core
    if b is not None and not folded:  # the product's shape first, then the bias added
        shaped = _recorded(
            out2.reshape(out.shape),  # the bias broadcast to the product's shape: no larger
            (core,),
            lambda g: (g.reshape(out2.shape),),
            "UnsafeViewBackward0",
        )

        def add_backward(g):
            return unbroadcast(g, shaped._array.shape), unbroadcast(g, b.shape)

        return _recorded(out, (shaped, bias), add_backward, "AddBackward0")
    if b is not None:  # a view of the product, as torch's: an in-place op on it rebases it
        return core.view(out.shape)
    name = "SqueezeBackward4" if x.ndim == 1 else "UnsafeViewBackward0"
    return _recorded(out, (core,), lambda g: (g.reshape(out2.shape),), name)


# ----------------------------------------------------------------------------------------------
# Activations
# ----------------------------------------------------------------------------------------------


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0), elementwise (torch.nn.functional.relu). `inplace=True` overwrites `input`."""
    _check_tensor(input, "relu", "input", 1)
    return input.relu_() if inplace else input.relu()


def relu_(input: Tensor) -> Tensor:
    """max(x, 0) written into x (torch.nn.functional.relu_); returns x."""
    _check_tensor(input, "relu_", "input", 1)
    return input.relu_()


def tanh(input: Tensor) -> Tensor:
    """(eˣ − e⁻ˣ) / (eˣ + e⁻ˣ), elementwise (torch.nn.functional.tanh)."""
    return input.tanh()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e⁻ˣ), elementwise (torch.nn.functional.sigmoid)."""
    return input.sigmoid()


# ----------------------------------------------------------------------------------------------
# softmax / log_softmax
# ----------------------------------------------------------------------------------------------


def _softmax_prepare(name: str, input: Tensor, dim, dtype, stacklevel: int) -> tuple[Tensor, int]:
    """The functional form's own rules, shared by softmax and log_softmax: the implicit dim, a
    non-tensor input, dim checked before dtype, then the cast. Returns the input and the dim;
    the method (`Tensor.softmax`) then checks the dim's range and the dtype's kernel."""
    if dim is None:  # torch's legacy rule, with its deprecation warning
        ndim = input.dim()
        warnings.warn(
            f"Implicit dimension choice for {name} has been deprecated. "
            "Change the call to include dim=X as an argument.",
            UserWarning,
            stacklevel=stacklevel,
        )
        dim = 0 if ndim in (0, 1, 3) else 1
    if not isinstance(input, Tensor):
        raise AttributeError(f"'{type(input).__name__}' object has no attribute '{name}'")
    try:
        if isinstance(dim, bool):
            raise TypeError
        dim = operator.index(dim)  # any integer, a 0-d int tensor too; range: the method
    except TypeError:
        raise TypeError(
            f"{name}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}"
        ) from None
    if dtype is not None:
        if not isinstance(dtype, _dtype):
            raise TypeError(
                f"{name}(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}"
            )
        input = input.to(dtype)
    return input, dim


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """exp(x − max) / Σ exp(x − max) along `dim`: each slice along `dim` sums to 1.

    Mirrors torch.nn.functional.softmax. Subtracting the slice's max first keeps exp() finite, so
    logits of 1e4 are fine. `dim=None` picks dim 0 for 0-, 1- and 3-D input and dim 1 otherwise,
    with torch's deprecation warning; always pass `dim`.

    Args:
        input: any shape.
        dim: the dim whose slices become probability vectors (negative counts from the end).
        dtype: cast the input to this dtype first (e.g. to use an int64 tensor).

    >>> softmax(tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]), dim=1)
    tensor([[0.0900, 0.2447, 0.6652],
            [0.3333, 0.3333, 0.3333]])
    """
    input, dim = _softmax_prepare("softmax", input, dim, dtype, _stacklevel)
    return input.softmax(dim)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """x − logsumexp(x) along `dim`, computed without forming exp(x) (torch.nn.functional.log_softmax).

    Unlike log(softmax(x)), it stays finite where a probability underflows to 0:
    log_softmax([-1000, 0, 1000]) = [-2000, -1000, 0]. Arguments as for `softmax`.
    """
    input, dim = _softmax_prepare("log_softmax", input, dim, dtype, _stacklevel)
    return input.log_softmax(dim)


# ----------------------------------------------------------------------------------------------
# layer_norm
# ----------------------------------------------------------------------------------------------


def layer_norm(
    input: Tensor,
    normalized_shape: tuple[int, ...],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """(x − mean) / sqrt(var + eps) · weight + bias over the last len(normalized_shape) dims.

    Mirrors torch.nn.functional.layer_norm. Each sample is normalised on its own: the mean and the
    **biased** variance (÷N) are taken over the trailing dims given by `normalized_shape`, and
    `eps` sits inside the square root, so a constant row gives `bias` rather than NaN.

    Args:
        input: (*, *normalized_shape).
        normalized_shape: a tuple (or list) of ints; the module `nn.LayerNorm` also accepts an int.
        weight, bias: of shape normalized_shape, or None.
        eps: added to the variance.

    Backward (fused), with x̂ = (x − μ)·rstd, N normalised elements and g' = g·weight:
    dx = rstd · (g' − mean(g') − x̂ · mean(g'·x̂)); dweight = Σ g·x̂; dbias = Σ g.

    >>> layer_norm(tensor([[1.0, 2.0, 3.0]]), (3,))
    tensor([[-1.2247,  0.0000,  1.2247]])
    """
    _check_tensor(input, "layer_norm", "input", 1)
    shape = _check_int_tuple(normalized_shape, "layer_norm", "normalized_shape", 2)
    if weight is not None:
        _check_tensor(weight, "layer_norm", "weight", 3)
    if bias is not None:
        _check_tensor(bias, "layer_norm", "bias", 4)
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
        raise TypeError(
            f"layer_norm(): argument 'eps' (position 5) must be float, not {type(eps).__name__}"
        )
    if not shape:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
            "one element, but got normalized_shape = []"
        )
    for label, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(p.shape) != shape:
            raise RuntimeError(
                f"Expected {label} to be of same shape as normalized_shape, but got {label} of "
                f"shape {list(p.shape)} and normalized_shape = {list(shape)}"
            )
    x = input._array
    D = len(shape)
    if x.ndim < D or x.shape[x.ndim - D :] != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(map(str, shape))}], but got input of size{list(x.shape)}"
        )
    if weight is not None and weight._array.dtype != x.dtype:
        raise RuntimeError(
            "mixed dtype (CPU): expect parameter to have scalar type of Float"
            if x.dtype == _float32.np
            else "mixed dtype (CPU): all inputs must share same datatype."
        )
    if bias is not None and bias._array.dtype != x.dtype:
        raise RuntimeError(
            f"expected scalar type {_scalar_name(x)} but found {_scalar_name(bias._array)}"
        )
    if x.dtype.kind != "f":
        raise _not_implemented("LayerNormKernelImpl", x)

    N = math.prod(shape)
    n = max(N, 1)  # an empty group gives an empty output; avoid 0/0 on the way
    x2 = x.reshape(math.prod(x.shape[: x.ndim - D]), N)  # one row per sample: its N elements
    blocks = list(_row_blocks(x2))
    rows_per_block = len(x2[blocks[0]]) if blocks else 0
    # weight and bias repeated down one block's rows: `y *= w` is then one flat loop over the
    # block, where broadcasting a row would cost NumPy one short loop per row
    w = np.tile(weight._array.reshape(N), (rows_per_block, 1)) if weight is not None else None
    b = np.tile(bias._array.reshape(N), (rows_per_block, 1)) if bias is not None else None
    mu = np.empty((len(x2), 1), x.dtype)
    rstd = np.empty_like(mu)  # 1 / sqrt(var + eps) per row; eps inside: a constant row gives 0
    out = np.empty(x.shape, x.dtype)
    out2 = out.reshape(x2.shape)  # a view: filling its rows fills `out`
    # Each block of rows is computed in place in the output's own rows: one pass per op, no
    # temporaries, and the block is still in the CPU cache for the next op.
    # Row sums with NumPy's own reduction (einsum: the fastest of NumPy's), never BLAS: a
    # matrix-vector product sums a row in an order that depends on where the row sits in the
    # batch, and a sample must not depend on its batch-mates (to the last bit, as in torch).
    for rows in blocks:
        xs, y = x2[rows], out2[rows]
        mu[rows] = np.einsum("ij->i", xs)[:, None] / n  # mean
        np.subtract(xs, mu[rows], out=y)  # x − μ
        var = np.einsum("ij,ij->i", y, y)[:, None] / n  # biased variance (÷N), as torch
        rstd[rows] = 1.0 / np.sqrt(var + eps)
        y *= rstd[rows]  # x̂
        if w is not None:
            y *= w[: len(y)]
        if b is not None:
            y += b[: len(y)]

    def backward(g):  # dx = rstd (g' − mean(g') − x̂ mean(g' x̂)), g' = g·w; dw = Σ g x̂; db = Σ g
        g2 = g.reshape(x2.shape)
        gx = np.empty(x.shape, x.dtype) if input._requires_grad else None
        gx2 = None if gx is None else gx.reshape(x2.shape)  # a view: filling its rows fills gx
        gw = np.zeros(N, x.dtype) if weight is not None and weight._requires_grad else None
        gb = np.zeros(N, x.dtype) if bias is not None and bias._requires_grad else None
        xhat_block = np.empty((rows_per_block, N), x.dtype)  # reused by every block
        for rows in blocks:  # in place, block by block, as in the forward
            gs, r = g2[rows], rstd[rows]
            xhat = np.subtract(x2[rows], mu[rows], out=xhat_block[: len(gs)])
            xhat *= r  # recomputed from μ and rstd, as torch does: no copy of x̂ is kept
            if gw is not None:
                gw += np.einsum("ij,ij->j", gs, xhat)  # Σ_rows g x̂
            if gb is not None:
                gb += np.einsum("ij->j", gs)  # Σ_rows g, while the block is in the cache
            if gx is not None:
                gp = gx2[rows]  # g' = g·w, then turned into dx in place
                np.multiply(gs, w[: len(gs)], out=gp) if w is not None else np.copyto(gp, gs)
                m1 = np.einsum("ij->i", gp)[:, None] / n
                m2 = np.einsum("ij,ij->i", gp, xhat)[:, None] / n
                xhat *= m2
                gp -= m1
                gp -= xhat
                gp *= r
        return (
            gx,
            None if gw is None else gw.reshape(shape),
            None if gb is None else gb.reshape(shape),
        )

    saved = (input, weight, bias)
    return _result(out, (input, weight, bias), backward, "NativeLayerNormBackward0", saved)


# ----------------------------------------------------------------------------------------------
# embedding
# ----------------------------------------------------------------------------------------------


def _check_indices(idx: Tensor, fn: str, argnum: int) -> None:
    if idx._array.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            f"Expected tensor for argument #{argnum} 'indices' to have one of the following "
            f"scalar types: Long, Int; but got {idx.dtype.tensor_type} instead (while checking "
            f"arguments for {fn})"
        )


def _embedding_renorm_(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """Rescale, in place, each looked-up row whose norm exceeds max_norm (torch.embedding_renorm_)."""
    w = weight._array
    _check_indices(input, "embedding_renorm_", 2)
    if w.ndim != 2:
        raise RuntimeError(
            f"Expected 2-dimensional tensor, but got {w.ndim}-dimensional tensor for argument #1 "
            "'self' (while checking arguments for embedding_renorm_)"
        )
    rows = np.unique(input._array)  # each looked-up row once, sorted
    if rows.size and rows[0] < 0:
        raise IndexError("index out of range in self")
    if rows.size and rows[-1] >= w.shape[0]:
        raise IndexError(
            f"select(): index {rows[-1]} out of range for tensor of size {list(w.shape)} at "
            "dimension 0"
        )
    if w.dtype.kind != "f":
        raise RuntimeError(
            "norm(): input dtype should be either floating point or complex. "
            f"Got {_scalar_name(w)} instead."
        )
    norms = np.linalg.norm(w[rows].astype(np.float64), ord=norm_type, axis=1)
    big = norms > max_norm
    scale = max_norm / (norms[big] + 1e-7)
    w[rows[big]] *= scale[:, None].astype(w.dtype)  # no graph is recorded: this edits the data


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """out[..., c] = 1 where c == tensor[...], else 0: int64, one new last dim (F.one_hot).

    `num_classes=-1` uses tensor.max() + 1. `one_hot(idx, n).float() @ weight` is what an
    Embedding lookup computes, one matrix product instead of a row read.

    >>> one_hot(tensor([0, 2]), 4)
    tensor([[1, 0, 0, 0],
            [0, 0, 1, 0]])
    """
    idx = tensor._array
    if idx.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if idx.size and idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    n = int(idx.max()) + 1 if num_classes == -1 and idx.size else num_classes
    if idx.size and idx.max() >= n:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._wrap((idx[..., None] == np.arange(n)).astype(np.int64))


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """weight[input]: one row of `weight` per index (torch.nn.functional.embedding).

    Args:
        input: int64 or int32 indices of any shape, each in [0, num_embeddings).
        weight: (num_embeddings, embedding_dim).
        padding_idx: this row's gradient is always zero (negative values count from the end).
        max_norm: before the lookup, every looked-up row whose `norm_type`-norm exceeds max_norm
            is rescaled **in place in weight** to norm max_norm.
        scale_grad_by_freq: divide each row's gradient by how often it occurs in `input`.
        sparse: accepted for compatibility; the gradient is always a dense tensor here.

    Shape: input (*) → output (*, embedding_dim).

    The gradient of a row is the sum of the output gradients of every position that looked it
    up (np.add.at adds once per occurrence).

    >>> F.embedding(tensor([[0, 2]]), eye(3)).shape
    torch.Size([1, 2, 3])
    """
    if padding_idx is not None:
        if padding_idx > 0 and padding_idx >= weight.size(0):
            raise AssertionError("Padding_idx must be within num_embeddings")
        if padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    _check_tensor(weight, "embedding", "weight", 1)
    _check_tensor(input, "embedding", "indices", 2)
    w = weight._array
    if w.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(input, "embedding", 1)
    idx = input._array
    num = w.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError("index out of range in self")  # torch does not wrap negative indices
    out = w[idx]

    def backward(g):  # each row gets the sum of the gradients of the positions that read it
        flat = idx.reshape(-1)
        g2 = g.reshape(flat.size, w.shape[1])
        if scale_grad_by_freq:
            g2 = g2 / np.bincount(flat, minlength=num)[flat][:, None].astype(g2.dtype)
        gw = np.zeros_like(w)
        np.add.at(gw, flat, g2)
        if padding_idx is not None:
            gw[padding_idx] = 0
        return None, gw

    return _result(out, (input, weight), backward, "EmbeddingBackward0", (input,))


def embedding_bag(
    input: Tensor,
    weight: Tensor,
    offsets: Tensor | None = None,
    max_norm: float | None = None,
    norm_type: float = 2,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Tensor | None = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    """The sum, mean or max of each bag of looked-up rows (torch.nn.functional.embedding_bag).

    `embedding_bag(x, w, mode='mean')` on a 2-D `x` equals `embedding(x, w).mean(dim=1)`, except
    that positions holding `padding_idx` are left out of the bag (and of the count). An empty
    bag gives a row of zeros.

    Args:
        input: int64/int32 indices; 2-D (B, N): B bags of N; or 1-D with `offsets`.
        offsets: 1-D, where each bag starts in a 1-D `input`.
        mode: 'sum', 'mean' (default) or 'max'.
        include_last_offset: `offsets` has one more entry, the end of the last bag.
        padding_idx: positions with this index are not part of any bag.
        max_norm, scale_grad_by_freq, per_sample_weights, sparse=True: not implemented here.

    Shape: (B, N) or (L,) with offsets (B,) → (B, embedding_dim).

    >>> w = tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
    >>> embedding_bag(tensor([[1, 2], [2, 0]]), w, mode="mean", padding_idx=0)
    tensor([[2., 3.],
            [3., 4.]])
    """
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
            f"then it must have the same shape as the input ({input.shape})"
        )
    if weight.dim() != 2:
        raise ValueError(
            f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}"
        )
    _check_indices(input, "embedding_bag", 2)
    idx = input._array
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a "
                "mini-batch of fixed length sequences. However, found offsets of type "
                + ("<class 'torch.Tensor'>" if isinstance(offsets, Tensor) else str(type(offsets)))
            )
        starts = np.arange(0, idx.size, idx.shape[1]) if idx.shape[1] else np.zeros(idx.shape[0])
        include_last_offset = False
        idx = idx.reshape(-1)
    elif idx.ndim == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        starts = offsets._array
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {idx.ndim}")
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    elif mode not in ("sum", "mean"):
        raise ValueError("mode has to be one of sum, mean or max")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub."
        )
    for name, unsupported in [
        ("max_norm", max_norm is not None),
        ("scale_grad_by_freq=True", scale_grad_by_freq),
        ("sparse=True", sparse),
        ("per_sample_weights", per_sample_weights is not None),
    ]:
        if unsupported:
            raise NotImplementedError(f"course_lib's embedding_bag does not implement {name}")
    w = weight._array
    num = w.shape[0]
    flat = idx.reshape(-1)
    bad = np.flatnonzero((flat < 0) | (flat >= num))
    if bad.size:
        raise RuntimeError(
            f"Index {bad[0]} of input takes value {flat[bad[0]]} which is not in the valid "
            f"range [0, {num})"
        )
    if offsets is not None and idx.ndim == 1:
        if starts.size and starts[0] != 0:
            raise RuntimeError(
                "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to "
                f"start from position 0. However, got {starts[0]}\n[ torch.LongTensor{{}} ]"
            )
        if starts.size and starts[-1] > idx.size:
            raise RuntimeError(
                f"offsets[-1] can not be greater than input's length {idx.size} but got "
                f"offsets[-1] of {starts[-1]}"
            )
    if padding_idx is not None and padding_idx < 0:
        padding_idx += num
    starts = [int(s) for s in starts]
    ends = [*starts[1:], idx.size]
    if include_last_offset:
        starts, ends = starts[:-1], ends[:-1]
    bags = [idx[a:b] for a, b in zip(starts, ends)]
    if padding_idx is not None:
        bags = [bag[bag != padding_idx] for bag in bags]
    out = np.zeros((len(bags), w.shape[1]), dtype=w.dtype)  # an empty bag stays zero
    argmax = np.full((len(bags), w.shape[1]), -1)
    for b, bag in enumerate(bags):
        if bag.size == 0:
            continue
        if mode == "max":  # the first of equal maxima wins, as in torch's `value > max` loop
            rows = w[bag]
            which = rows.argmax(axis=0)
            argmax[b] = bag[which]
            out[b] = rows[which, np.arange(w.shape[1])]
            continue
        acc = out[b]
        for i in bag:  # one row at a time, in bag order: the float32 sums torch computes
            acc += w[i]
        if mode == "mean":
            acc /= w.dtype.type(bag.size)

    def backward(g):  # each bag's gradient goes to its rows (÷ its size for mean; max: argmax row)
        gw = np.zeros_like(w)
        for b, bag in enumerate(bags):
            if bag.size == 0:
                continue
            if mode == "max":
                np.add.at(gw, (argmax[b], np.arange(w.shape[1])), g[b])
            else:
                gb = g[b] * w.dtype.type(1 / bag.size) if mode == "mean" else g[b]
                np.add.at(gw, bag, gb)
        return None, gw

    return _result(out, (input, weight), backward, "EmbeddingBagBackward0")


# ----------------------------------------------------------------------------------------------
# Losses
# ----------------------------------------------------------------------------------------------


def _reduce_loss(elem: np.ndarray, reduction: str, denom) -> tuple[np.ndarray, object]:
    """Apply a reduction; return the output and a function from its gradient to elem's gradient."""
    elem = np.asarray(elem)
    if reduction == "none":
        return elem, lambda g: g
    total = elem.sum()
    if reduction == "sum":
        return np.asarray(total), lambda g: np.broadcast_to(g, elem.shape)
    with np.errstate(invalid="ignore", divide="ignore"):  # mean of nothing is nan, as in torch
        out = np.asarray(total / denom, dtype=elem.dtype)
    return out, lambda g: np.broadcast_to(g / denom, elem.shape)


def _nll_targets(
    x: np.ndarray, target: Tensor, weight: Tensor | None, ignore_index: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Class-index targets: the checks of torch's nll_loss, then where each sample's target is.

    Returns (ys, wy, valid, w): `ys` indexes each sample's target class along the class dim
    (for take_along_axis), `wy` is that class's weight (0 for ignored samples), both with a class
    dim of size 1; `valid` marks the samples that are not ignored; `w` the (C,) class weights.
    """
    t = target._array
    cd = 0 if x.ndim == 1 else 1  # the class dim
    C = x.shape[cd]
    t_batch = t.shape[0] if t.ndim else 0
    if x.ndim != 1 and x.shape[0] != t_batch:
        raise ValueError(
            f"Expected input batch_size ({x.shape[0]}) to match target batch_size ({t_batch})."
        )
    if x.ndim <= 2:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif x.ndim == 4:
        if t.ndim != 3:
            raise RuntimeError(
                "only batches of spatial targets supported (3D tensors) but got targets of "
                f"dimension: {t.ndim}"
            )
        if t.shape[0] != x.shape[0] or t.shape[1:] != x.shape[2:]:
            raise RuntimeError(
                f"size mismatch (got input: {list(x.shape)} , target: {list(t.shape)}"
            )
    elif list(t.shape) != [x.shape[0], *x.shape[2:]]:
        raise RuntimeError(
            f"Expected target size {[x.shape[0], *x.shape[2:]]}, got {list(t.shape)}"
        )
    if t.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_scalar_name(t)}")
    if x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
        raise ValueError(
            f"For 1D input, 1D target must have size 1, but got target size: {t.shape[0]}"
        )
    if weight is not None:
        if weight.ndim != 1 or weight.numel() != C:
            raise RuntimeError(
                f"weight tensor should be defined either for all {C} classes or no classes but "
                f"got weight tensor of shape: {list(weight.shape)}"
            )
        if weight._array.dtype != x.dtype:
            raise RuntimeError(
                f"expected scalar type {_scalar_name(x)} but found {_scalar_name(weight._array)}"
            )
    y = t.astype(np.int64).reshape(() if x.ndim == 1 else t.shape)  # (C,) input: one sample
    valid = y != ignore_index
    bad = valid & ((y < 0) | (y >= C))
    if bad.any():
        raise IndexError(f"Target {y[bad].flat[0]} is out of bounds.")
    yc = np.where(valid, y, 0)  # any class index, for the ignored samples (weighted by 0)
    w = weight._array if weight is not None else np.ones(C, dtype=x.dtype)
    wy = w[yc] * valid  # the weight of each sample's target class; 0 when ignored
    return np.expand_dims(yc, cd), np.expand_dims(wy, cd), valid, w


def _nll_coefficients(
    x: np.ndarray,
    target: Tensor,
    weight: Tensor | None,
    ignore_index: int,
    label_smoothing: float,
) -> tuple[np.ndarray, object]:
    """Class-index targets as a dense loss −Σ_c a_c · logp_c (used with label smoothing).

    Returns (a, denom): `a` has x's shape and holds, for each sample, (1 − ε)·w[y] at its
    target class plus ε/C·w_c at every class (ε = label_smoothing); ignored samples have a = 0.
    `denom` = Σ w[y] over the samples that are not ignored (the divisor of reduction='mean').
    """
    ys, wy, valid, w = _nll_targets(x, target, weight, ignore_index)
    cd = 0 if x.ndim == 1 else 1
    C = x.shape[cd]
    a = np.zeros_like(x)
    if label_smoothing > 0:  # ε/C·w_c at every class of every sample that is not ignored
        wc = w.reshape((C,) + (1,) * (x.ndim - cd - 1))
        a += (label_smoothing / C) * wc * np.expand_dims(valid, cd)
    at_y = np.take_along_axis(a, ys, axis=cd)
    np.put_along_axis(a, ys, at_y + (1 - max(label_smoothing, 0)) * wy, cd)
    return a, wy.sum()


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """−w[y] · input[y] per sample: the negative log-likelihood of log-probabilities.

    Mirrors torch.nn.functional.nll_loss; `input` holds log-probabilities (from log_softmax).
    `cross_entropy(x, y)` is `nll_loss(log_softmax(x, 1), y)`. Reductions as in `cross_entropy`.
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    reduction = _check_reduction(reduction)
    _check_tensor(input, "nll_loss_nd", "input", 1)
    _check_tensor(target, "nll_loss_nd", "target", 2)
    if weight is not None:
        _check_tensor(weight, "nll_loss_nd", "weight", 3)
    x = input._array
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.dtype.kind != "f":
        raise _not_implemented("nll_loss_out_frame", x)
    a, denom = _nll_coefficients(x, target, weight, ignore_index, 0.0)
    cd = 0 if x.ndim == 1 else 1
    picked = a != 0  # only the target entries are read: a nan elsewhere is not used
    with np.errstate(invalid="ignore"):
        elem = -np.where(picked, a * x, 0).sum(axis=cd)
        elem = np.where(picked.any(axis=cd), elem, 0)  # an ignored sample's loss is 0., not -0.
        out, grad_elem = _reduce_loss(elem, reduction, denom)

    def backward(g):  # d(−Σ a·logp)/d logp = −a (0 where nothing was read, even if Σw = 0)
        return np.where(picked, -a * np.expand_dims(grad_elem(g), cd), 0), None

    # the target is a constant: torch's node has the one edge, to the input
    name = _nll_name(x.ndim, reduction)
    return _result(out, (input,), lambda g: backward(g)[:1], name, (target,))


def _nll_name(ndim: int, reduction: str) -> str:
    """torch runs (N, C, d...) inputs through its 2-D kernel, reshaped to 4-D and back."""
    if ndim < 3:
        return "NllLossBackward0"
    return "ViewBackward0" if reduction == "none" and ndim != 4 else "NllLoss2DBackward0"


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """−Σ_c t_c · log_softmax(x)_c per sample, from logits (torch.nn.functional.cross_entropy).

    The target decides the formula, exactly as in torch:

    * **class indices** (int64, shape (N,), () or (N, d1, ...)): ℓ_n = −w[y_n] · log_softmax(x_n)[y_n].
      'mean' divides by Σ w[y_n] over the samples whose target is not `ignore_index` (a weighted
      mean; the plain mean without weights). With label_smoothing ε:
      ℓ_n = (1 − ε)·ℓ_n + ε/C · Σ_c −w_c · log_softmax(x_n)_c.
    * **class probabilities** (a float tensor of the **same shape** as the input):
      ℓ_n = −Σ_c w_c · t_{n,c} · log_softmax(x_n)_c, and 'mean' divides by the number of samples
      N (not by Σw). The targets are not checked: they need not sum to 1, or even be ≥ 0.
      With ε, t is replaced by (1 − ε)·t + ε/C.

    Args:
        input: logits (N, C), (C,) for one sample, or (N, C, d1, ...).
        target: class indices or class probabilities, as above.
        weight: (C,) per-class weights, or None. It is treated as a constant (no gradient).
        ignore_index: index targets equal to it contribute nothing (index targets only).
        reduction: 'mean' | 'sum' | 'none'.
        label_smoothing: ε in [0, 1].

    log_softmax is computed with the max subtracted, so logits of ±1e4 give finite losses.
    Backward (fused): with p = softmax(x) and a_c the coefficient of log p_c above,
    dx = (p · Σ_c a_c − a) · dL/dℓ.

    >>> cross_entropy(tensor([[2.0, 0.0]]), tensor([0]))
    tensor(0.1269)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    reduction = _check_reduction(reduction)
    _check_tensor(input, "cross_entropy_loss", "input", 1)
    _check_tensor(target, "cross_entropy_loss", "target", 2)
    if weight is not None:
        _check_tensor(weight, "cross_entropy_loss", "weight", 3)
    x, t = input._array, target._array
    cd = 0 if x.ndim == 1 else 1  # the class dim
    probabilities = x.shape == t.shape  # torch's rule: same shape means class probabilities

    def log_probs() -> np.ndarray:
        if x.ndim == 0 and not probabilities:
            raise _dim_error(1, 0)
        if x.dtype.kind != "f":
            kernel = "log_softmax_lastdim_kernel_impl" if x.ndim <= 2 else "log_softmax_kernel_impl"
            raise _not_implemented(kernel, x)
        return _log_softmax_array(x, cd)

    def check_smoothing() -> None:
        if label_smoothing > 1.0:
            raise RuntimeError(
                f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}"
            )

    if probabilities:
        if t.dtype.kind != "f":
            raise RuntimeError(
                "Expected floating point type for target with class probabilities, "
                f"got {_scalar_name(t)}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if x.ndim == 0:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        C = x.shape[cd]
        if weight is not None and (weight.ndim != 1 or weight.numel() != C):
            raise RuntimeError(
                f"cross_entropy: weight tensor should be defined either for all {C} classes or "
                f"no classes but got weight tensor of shape: {list(weight.shape)}"
            )
        logp = log_probs()
        smooth = label_smoothing > 0.0
        if smooth:
            check_smoothing()
        keep = 1 - label_smoothing if smooth else 1.0
        ts = t * keep + label_smoothing / C if smooth else t
        wc = 1 if weight is None else weight._array.reshape((C,) + (1,) * (x.ndim - cd - 1))
        a = ts * wc
        denom = x.size // C if x.size else np.nan
        name = "DivBackward1" if reduction == "mean" else "NegBackward0"
    elif label_smoothing <= 0.0:  # the common case: only the target class enters the loss
        logp = log_probs()
        ys, wy, valid, _ = _nll_targets(x, target, weight, ignore_index)
        picked = -(np.take_along_axis(logp, ys, axis=cd) * wy).squeeze(cd)
        out, grad_elem = _reduce_loss(np.where(valid, picked, 0), reduction, wy.sum())

        def backward_index(g):  # ℓ = −w[y]·logp[y]  →  d logp = −w[y]·onehot(y)·g
            c = wy * np.expand_dims(np.where(valid, grad_elem(g), 0), cd)  # ignored: 0, not g/0
            glogp = np.zeros(logp.shape, dtype=x.dtype)
            np.put_along_axis(glogp, ys, -c, axis=cd)
            return (glogp,)

        return _nll_graph(input, target, logp, ys, out, cd, reduction, backward_index)
    else:
        check_smoothing()
        logp = log_probs()
        a, denom = _nll_coefficients(x, target, weight, ignore_index, label_smoothing)
        wc, keep = None, None  # used by the probability path only
        name = "AddBackward0"

    out, grad_elem = _reduce_loss(-(a * logp).sum(axis=cd), reduction, denom)

    def backward(g):  # ℓ = −Σ a·logp  →  dx = (p·Σa − a)·g,  dt = −w·(1 − ε)·logp·g
        ge = np.expand_dims(grad_elem(g), cd)
        gx = np.exp(logp)  # p = softmax(x); then gx = (p·Σa − a)·g, in place
        gx *= a.sum(axis=cd, keepdims=True)
        gx -= a
        gx *= ge
        gx = gx.astype(x.dtype, copy=False)
        gt = None
        if probabilities and target._requires_grad:
            gt = (-logp * wc * keep * ge).astype(t.dtype, copy=False)
        return gx, gt

    return _result(out, (input, target), backward, name, (target,))


def _nll_graph(input, target, logp, ys, out, cd, reduction, backward_index) -> Tensor:
    """torch's graph for cross_entropy with class indices: NllLossBackward0 (or, for (N, C, d...)
    inputs, NllLoss2DBackward0 on a 4-D view) after LogSoftmaxBackward0 of the input. The target
    and the weight are constants: no edges."""
    if not (autograd._grad_enabled and input._requires_grad):
        return Tensor._wrap(out)

    made = []  # the loss node's gradient as it made it: nonzero at the targets only

    def log_softmax_backward(g):  # J = I - 1 p^T, so dx = g - p * sum(g)
        if made and made[0] is g and lp._node.hooks is None and loss._node.hooks is None:
            # untouched since (no hook saw it), and nothing else holds it: g's entries at the
            # targets are all of it, so sum(g) is those, and g's memory can take the result
            ys = made[1]
            made.clear()
            picked = np.take_along_axis(g, ys, axis=cd)
            gx = np.exp(logp, out=g)
            gx *= -picked
            np.put_along_axis(gx, ys, np.take_along_axis(gx, ys, axis=cd) + picked, axis=cd)
            return (gx,)
        gx = np.exp(logp)  # p, then g - p * sum(g) in its memory
        gx *= g.sum(axis=cd, keepdims=True)
        return (np.subtract(g, gx, out=gx),)

    def nll_backward(g):
        (glogp,) = backward_index(g)
        made[:] = [glogp, ys]
        return (glogp,)

    lp = _recorded(logp, (input,), log_softmax_backward, "LogSoftmaxBackward0", (OUT,))
    x = input._array
    if x.ndim < 3 or x.ndim == 4:
        name = "NllLossBackward0" if x.ndim < 3 else "NllLoss2DBackward0"
        loss = _recorded(out, (lp,), nll_backward, name, (target,))
        return loss
    # torch's 2-D kernel runs on (N, C, rest, 1): a view in, and for 'none' a view back out
    flat = (x.shape[0], x.shape[1], math.prod(x.shape[2:]), 1)
    lp4 = _recorded(logp.reshape(flat), (lp,), lambda g: (g.reshape(x.shape),), "ViewBackward0")
    loss_shape = np.shape(out)
    picked = np.reshape(out, flat[:1] + flat[2:]) if reduction == "none" else out
    nll = _recorded(
        picked,
        (lp4,),
        lambda g: (backward_index(np.reshape(g, loss_shape))[0].reshape(flat),),
        "NllLoss2DBackward0",
        (target,),
    )
    if reduction != "none":
        return nll
    return _recorded(out, (nll,), lambda g: (g.reshape(flat[:1] + flat[2:]),), "ViewBackward0")


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """(x − y)², averaged over all elements by default (torch.nn.functional.mse_loss).

    Args:
        input, target: the same shape. Shapes that differ but broadcast are broadcast, with
            torch's warning (usually a bug: (N, 1) against (N,) gives an (N, N) grid).
        reduction: 'mean' (over every element) | 'sum' | 'none'.
        weight: optional, input's shape; 'mean' then divides by Σ weight.

    Backward: d/dx = 2 (x − y) / numel for 'mean'.

    >>> mse_loss(tensor([1.0, 2.0]), tensor([0.0, 0.0]))
    tensor(2.5000)
    """
    for v in (target, input):  # torch calls target.size() first
        if not isinstance(v, Tensor):
            raise AttributeError(f"'{type(v).__name__}' object has no attribute 'size'")
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=2,
        )
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    x, y = input._array, target._array
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise _broadcast_error(x.shape, y.shape) from None
    if weight is not None:  # torch builds the weighted loss from ordinary ops
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        weighted = (input - target) ** 2 * weight
        if reduction == "none":
            return weighted
        if reduction == "sum":
            return weighted.sum()
        if reduction == "mean":
            return weighted.sum() / weight.sum()
        raise ValueError(
            f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
        )
    reduction = _check_reduction(reduction)
    dt = result_type(x, y)
    if dt.kind != "f":
        raise NotImplementedError(
            f"\"mse_cpu\" not implemented for '{from_numpy_dtype(dt).scalar_name}'"
        )
    with quiet:  # inf − inf is nan and 1e20² is inf, silently as in torch
        diff = x.astype(dt, copy=False) - y.astype(dt, copy=False)
        out, grad_elem = _reduce_loss(diff * diff, reduction, math.prod(shape))

    def backward(g):  # d(x − y)² = 2 (x − y) (dx − dy)
        gx = None
        if input._requires_grad:
            gx = unbroadcast(2 * diff * grad_elem(g), x.shape).astype(x.dtype, copy=False)
        gy = None
        if target._requires_grad:
            with quiet:  # 2 (y − x) g, not −2 (x − y) g: +0 where x == y, as torch's
                gy = 2 * (y.astype(dt, copy=False) - x.astype(dt, copy=False)) * grad_elem(g)
            gy = unbroadcast(gy, y.shape).astype(y.dtype, copy=False)
        return gx, gy

    return _result(out, (input, target), backward, "MseLossBackward0", (input, target))


# ----------------------------------------------------------------------------------------------
# More activations: gelu, silu, leaky_relu, elu, softplus, hardtanh, relu6, logsigmoid, selu, mish
# ----------------------------------------------------------------------------------------------
# (ops that torch builds from other ops, l1_loss and dropout, are built the same way here, so
# their grad_fns are torch's too)

__all__ += [
    "gelu", "silu", "leaky_relu", "leaky_relu_", "elu", "elu_", "softplus", "hardtanh", "hardtanh_",
    "relu6", "logsigmoid", "selu", "selu_", "mish", "dropout",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "l1_loss", "smooth_l1_loss",
    "huber_loss",
]  # fmt: skip


def _float_input(input: Tensor, kernel: str) -> np.ndarray:
    """The input's values as float64 (float32 rounds back at the end), or torch's dtype error."""
    x = input._array
    if x.dtype.kind != "f":
        raise _not_implemented(kernel, x)
    return x.astype(np.float64, copy=False)


def _in_place_or_not(input: Tensor, inplace: bool, compute, name: str) -> Tensor:
    """`compute(input)`, or its values written into input (torch's `inplace=True`): the grad_fn
    is then `name` and the input takes over the history, as with relu_."""
    if inplace:
        return input._apply_in_place(compute, name)
    return compute(input)


def _number(value, fn: str, name: str, pos: int, kind: str = "Number"):
    """A number argument as torch's parser reads it: a Python or NumPy number, or a 0-d tensor
    (its value); anything else is torch's TypeError."""
    if isinstance(value, Tensor):
        if value.ndim == 0:
            return value.item()
    elif isinstance(value, numbers.Number):
        return value
    raise TypeError(
        f"{fn}(): argument '{name}' (position {pos}) must be {kind}, not {_type_name(value)}"
    )


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x · Φ(x), Φ the standard normal CDF: x · ½(1 + erf(x/√2)) (torch.nn.functional.gelu).

    Args:
        input: any shape, floating point.
        approximate: 'none' (the exact erf form) or 'tanh', the approximation
            ½x(1 + tanh(√(2/π)(x + 0.044715x³))).

    Backward: Φ(x) + x·φ(x) with φ(x) = e^(−x²/2)/√(2π) (for 'tanh', the derivative of the
    tanh form). Smooth where ReLU has a kink; slightly negative for x < 0 (minimum ≈ −0.17).

    >>> F.gelu(tensor([-1.0, 0.0, 1.0]))
    tensor([-0.1587,  0.0000,  0.8413])
    """
    _check_tensor(input, "gelu", "input", 1)
    if not isinstance(approximate, str):
        raise TypeError(
            f"gelu(): argument 'approximate' must be str, not {type(approximate).__name__}"
        )
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    from .._ops.elementwise import _erf_float64

    x = input._array
    w = _float_input(input, "GeluKernelImpl")
    k = math.sqrt(2 / math.pi)
    with quiet:  # x = ±1e200: x³ overflows to ±inf, and tanh gives ±1, as it should
        if approximate == "none":
            cdf = 0.5 * (1 + _erf_float64(w * math.sqrt(0.5)))
            out = w * cdf
        else:
            t = np.tanh(k * (w + 0.044715 * w * w * w))
            out = 0.5 * w * (1 + t)

    def backward(g):
        with quiet:
            if approximate == "none":  # d x·Φ(x) = Φ(x) + x·φ(x)
                d = cdf + w * np.exp(-0.5 * w * w) / math.sqrt(2 * math.pi)
            else:  # d ½x(1 + t) = ½(1 + t) + ½x(1 − t²)·k(1 + 3·0.044715x²)
                d = 0.5 * (1 + t) + 0.5 * w * (1 - t * t) * k * (1 + 3 * 0.044715 * w * w)
            return ((g * d).astype(x.dtype, copy=False),)

    return _result(out.astype(x.dtype), (input,), backward, "GeluBackward0", (input,))


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x · σ(x), elementwise, also called swish (torch.nn.functional.silu).

    Backward: σ(x)(1 + x(1 − σ(x))). `inplace=True` overwrites `input`.

    >>> F.silu(tensor([-1.0, 0.0, 1.0]))
    tensor([-0.2689,  0.0000,  0.7311])
    """
    _check_tensor(input, "silu_" if inplace else "silu", "input", 1)

    def compute(t: Tensor) -> Tensor:
        x = t._array
        if x.dtype.kind != "f":
            raise _not_implemented("silu_cpu", x)
        with quiet:  # torch's form, in the input's dtype: x = −100 gives −0. in float32
            out = x / (1 + np.exp(-x))

        def backward(g):  # d x·σ(x) = σ(x)(1 + x(1 − σ(x)))
            with quiet:
                s = 1 / (1 + np.exp(-x))
                return (g * s * (1 + x * (1 - s)),)

        return _result(out, (t,), backward, "SiluBackward0", (t,))

    return _in_place_or_not(input, inplace, compute, "SiluBackward0")


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope · x (torch.nn.functional.leaky_relu).

    The small slope for x ≤ 0 keeps a gradient flowing where ReLU's is 0.

    >>> F.leaky_relu(tensor([-2.0, 3.0]), 0.1)
    tensor([-0.2000,  3.0000])
    """
    fn = "leaky_relu_" if inplace else "leaky_relu"
    _check_tensor(input, fn, "input", 1)
    slope = _number(negative_slope, fn, "negative_slope", 2)

    def compute(t: Tensor) -> Tensor:
        x = t._array
        if x.dtype.kind != "f":
            raise _not_implemented("leaky_relu_cpu", x)
        with quiet:
            out = np.where(x > 0, x, x * slope).astype(x.dtype, copy=False)

        def backward(g):  # d leaky_relu(x) = 1 where x > 0, else negative_slope
            if inplace and slope < 0:
                raise RuntimeError(
                    "In-place leakyReLu backward calculation is triggered with a negative slope "
                    "which is not supported. This is caused by calling in-place forward function "
                    "with a negative slope, please call out-of-place version instead. File an "
                    "issue at https://github.com/pytorch/pytorch if you do require supporting "
                    "in-place leakRelu backward calculation with negative slope"
                )
            with quiet:
                return (np.where(x > 0, g, g * slope).astype(x.dtype, copy=False),)

        return _result(out, (t,), backward, "LeakyReluBackward0", (t,))

    return _in_place_or_not(input, inplace, compute, "LeakyReluBackward1")


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """leaky_relu written into `input` (torch.nn.functional.leaky_relu_); returns input."""
    _check_tensor(input, "leaky_relu_", "input", 1)
    return leaky_relu(input, negative_slope, inplace=True)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else α(eˣ − 1) (torch.nn.functional.elu): smooth, and ≥ −α.

    Backward: 1 where x > 0, else α·eˣ.

    >>> F.elu(tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    fn = "elu_" if inplace else "elu"
    _check_tensor(input, fn, "input", 1)
    return _elu(input, _number(alpha, fn, "alpha", 2), 1.0, inplace)


def _elu(input: Tensor, alpha: float, scale: float, inplace: bool) -> Tensor:
    """scale · (x where x > 0, else α(eˣ − 1)): torch's one kernel behind elu and selu."""

    def compute(t: Tensor) -> Tensor:
        x = t._array
        w = _float_input(t, "elu_cpu")
        with quiet:
            out = np.where(w <= 0, np.expm1(w) * (alpha * scale), w * scale)

        def backward(g):  # d elu(x) = scale·α·eˣ where x ≤ 0, else scale
            if inplace and alpha < 0:
                raise RuntimeError(
                    "In-place elu backward calculation is triggered with a negative slope which "
                    "is not supported. This is caused by calling in-place forward function with "
                    "a negative slope, please call out-of-place version instead."
                )
            with quiet:
                d = np.where(w <= 0, (alpha * scale) * np.exp(w), scale)
                return ((g * d).astype(x.dtype, copy=False),)

        return _result(out.astype(x.dtype), (t,), backward, "EluBackward0", (t,))

    return _in_place_or_not(input, inplace, compute, "EluBackward1")


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """elu written into `input` (torch.nn.functional.elu_); returns input."""
    _check_tensor(input, "elu_", "input", 1)
    return elu(input, alpha, inplace=True)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(βx)) / β, a smooth ReLU (torch.nn.functional.softplus).

    Where βx > threshold the result is x itself (the two agree to float precision there, and
    e^(βx) would overflow). Backward: σ(βx), or 1 above the threshold.

    >>> F.softplus(tensor([-1.0, 0.0, 30.0]))
    tensor([ 0.3133,  0.6931, 30.0000])
    """
    _check_tensor(input, "softplus", "input", 1)
    beta = _number(beta, "softplus", "beta", 2)
    threshold = _number(threshold, "softplus", "threshold", 3)
    x = input._array
    w = _float_input(input, "softplus_cpu")
    with quiet:
        above = (x * beta) > threshold  # compared in the input's dtype, as torch does
        z = np.exp(w * beta)
        out = np.where(above, w, np.log1p(z) / beta)

    def backward(g):  # d log(1 + e^(βx))/β = e^(βx) / (e^(βx) + 1)
        with quiet:
            return ((g * np.where(above, 1.0, z / (z + 1))).astype(x.dtype, copy=False),)

    return _result(out.astype(x.dtype), (input,), backward, "SoftplusBackward0", (input,))


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """x clamped to [min_val, max_val] (torch.nn.functional.hardtanh).

    Backward: 1 strictly between the bounds, 0 at or beyond them. Integer tensors are clamped
    too (the bounds are truncated to integers).

    >>> F.hardtanh(tensor([-2.0, 0.5, 2.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _hardtanh(input, min_val, max_val, inplace, "hardtanh_" if inplace else "hardtanh")


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """hardtanh written into `input` (torch.nn.functional.hardtanh_); returns input. Unlike
    `hardtanh`, min_val > max_val is not refused (every element becomes max_val)."""
    return _hardtanh(input, min_val, max_val, True, "hardtanh_")


def _hardtanh(input: Tensor, min_val: float, max_val: float, inplace: bool, fn: str) -> Tensor:
    _check_tensor(input, fn, "input", 1)
    min_val = _number(min_val, fn, "min_val", 2)
    max_val = _number(max_val, fn, "max_val", 3)

    def compute(t: Tensor) -> Tensor:
        x = t._array
        if x.dtype == np.bool_:
            raise RuntimeError("Bool inputs not supported for hardtanh")
        lo, hi = (min_val, max_val) if x.dtype.kind == "f" else (int(min_val), int(max_val))
        with quiet:  # torch's clamp: max with lo, then min with hi; nan and -0. stay as they are
            out = np.where(x < lo, lo, x)
            out = np.where(out > hi, hi, out).astype(x.dtype, copy=False)

        def backward(g):  # 1 strictly inside (min_val, max_val), 0 elsewhere
            return (np.where((x <= min_val) | (x >= max_val), 0, g).astype(g.dtype, copy=False),)

        return _result(out, (t,), backward, "HardtanhBackward0", (t,))

    return _in_place_or_not(input, inplace, compute, "HardtanhBackward0")


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6) (torch.nn.functional.relu6): hardtanh with the bounds 0 and 6.

    >>> F.relu6(tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return _hardtanh(input, 0.0, 6.0, inplace, "relu6_" if inplace else "relu6")


def logsigmoid(input: Tensor) -> Tensor:
    """log σ(x) = min(x, 0) − log(1 + e^(−|x|)), which never overflows (F.logsigmoid).

    Backward: σ(−x) = 1 − σ(x).

    >>> F.logsigmoid(tensor([-100.0, 0.0]))
    tensor([-100.0000,   -0.6931])
    """
    _check_tensor(input, "log_sigmoid", "input", 1)
    x = input._array
    w = _float_input(input, "log_sigmoid_cpu")
    with quiet:
        e = np.exp(-np.abs(w))
        out = np.minimum(w, 0) - np.log1p(e)

    def backward(g):  # d log σ(x) = σ(−x)
        with quiet:
            s = np.where(w >= 0, e / (1 + e), 1 / (1 + e))
            return ((g * s).astype(x.dtype, copy=False),)

    return _result(out.astype(x.dtype), (input,), backward, "LogSigmoidBackward0", (input,))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale · elu(x, α) with α ≈ 1.6733 and scale ≈ 1.0507 (torch.nn.functional.selu): the
    constants that keep activations at mean 0 and variance 1 through many layers.

    >>> F.selu(tensor([-1.0, 1.0]))
    tensor([-1.1113,  1.0507])
    """
    _check_tensor(input, "selu_" if inplace else "selu", "input", 1)
    return _elu(input, _SELU_ALPHA, _SELU_SCALE, inplace)


def selu_(input: Tensor) -> Tensor:
    """selu written into `input` (torch.nn.functional.selu_); returns input."""
    return selu(input, inplace=True)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x · tanh(softplus(x)) = x · tanh(log(1 + eˣ)) (torch.nn.functional.mish).

    Backward: t + x·σ(x)·(1 − t²) with t = tanh(softplus(x)).

    >>> F.mish(tensor([-1.0, 1.0]))
    tensor([-0.3034,  0.8651])
    """
    _check_tensor(input, "mish_" if inplace else "mish", "input", 1)

    def compute(t: Tensor) -> Tensor:
        x = t._array
        if x.dtype.kind != "f":
            raise _not_implemented("mish_cpu", x)
        with quiet:  # torch's form, in the input's dtype (as silu)
            th = np.tanh(np.log1p(np.exp(x)))
            out = x * th

        def backward(g):  # d x·t = t + x·σ(x)·(1 − t²)
            with quiet:
                s = 1 / (1 + np.exp(-x))
                return (g * (th + x * s * (1 - th * th)),)

        return _result(out, (t,), backward, "MishBackward0", (t,))

    return _in_place_or_not(input, inplace, compute, "MishBackward0")


# ----------------------------------------------------------------------------------------------
# dropout
# ----------------------------------------------------------------------------------------------


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1 − p) (F.dropout).

    The expected value of each element is unchanged. With `training=False` (a module in
    eval() mode), or p = 0, the input itself is returned. The mask is drawn as torch draws it,
    `empty_like(input).bernoulli_(1 − p)`, so after `manual_seed(s)` course_lib and torch zero
    the same elements. The result is `input * mask` (grad_fn MulBackward0): the gradient is
    the mask, scaled.

    Args:
        p: the probability of zeroing an element, in [0, 1].
        training: apply dropout (True) or return the input unchanged (False).
        inplace: multiply the input in place.

    >>> _ = manual_seed(0)
    >>> F.dropout(ones(6), p=0.5)
    tensor([0., 0., 2., 0., 0., 0.])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    fn = "dropout_" if inplace else "dropout"
    _check_tensor(input, fn, "input", 1)
    if isinstance(p, Tensor):  # torch reads a 0-d tensor as its number
        if p.ndim != 0:
            raise TypeError(f"{fn}(): argument 'p' (position 2) must be float, not Tensor")
        p = float(p.item())
    if not isinstance(training, bool):
        raise TypeError(
            f"{fn}(): argument 'train' (position 3) must be bool, not {_type_name(training)}"
        )
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        zero = Tensor._wrap(np.zeros((), dtype=input._array.dtype))
        return input.mul_(zero) if inplace else input * zero
    noise = Tensor._wrap(np.empty_like(input._array))  # the input's memory layout, as torch
    noise.bernoulli_(1 - p)
    noise.div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


def _type_name(x) -> str:
    """A type as torch's argument errors name it: `int`, `NoneType`, `numpy.bool`."""
    t = type(x)
    if isinstance(x, Tensor) or t.__module__ == "builtins":
        return t.__name__
    return f"{t.__module__}.{t.__name__}"


# ----------------------------------------------------------------------------------------------
# More losses: binary_cross_entropy(_with_logits), l1_loss, smooth_l1_loss, huber_loss
# ----------------------------------------------------------------------------------------------


def _check_size_attr(input, target) -> None:
    """torch's loss functions call target.size() first, then input.size()."""
    for v in (target, input):
        if not isinstance(v, Tensor):
            raise AttributeError(f"'{type(v).__name__}' object has no attribute 'size'")


def _warn_size_mismatch(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )


def _broadcast_pair(x: np.ndarray, y: np.ndarray) -> tuple:
    """torch.broadcast_tensors(input, target): the common shape, or torch's message."""
    try:
        return np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise _broadcast_error(x.shape, y.shape) from None


def _no_grad_for(fn: str, **tensors) -> None:
    """torch refuses a gradient for an argument its backward does not cover (e.g. `weight`)."""
    from .. import autograd

    for name, t in tensors.items():
        if t is not None and t.requires_grad and autograd.is_grad_enabled():
            raise RuntimeError(
                f"The function '{fn}' is not differentiable with respect to argument '{name}'. "
                "This input cannot have requires_grad True."
            )


def _loss_reduction(size_average, reduce, reduction: str) -> str:
    if size_average is not None or reduce is not None:
        return _legacy_reduction(size_average, reduce)
    return _check_reduction(reduction)


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """−w·(y·log(p) + (1 − y)·log(1 − p)) from probabilities p (F.binary_cross_entropy).

    Each log is clamped at −100, as in torch, so p = 0 or 1 gives a finite loss (100, not inf).
    `input` and `target` must have the same shape and values in [0, 1] (RuntimeError
    otherwise). For logits use `binary_cross_entropy_with_logits`: it is exact where sigmoid
    rounds to 0 or 1.

    Args:
        input: probabilities p, any shape.
        target: y of the same shape and dtype (soft labels allowed).
        weight: broadcast to the target's shape; multiplies each element's loss.
        reduction: 'mean' (over all elements) | 'sum' | 'none'.

    Backward: (p − y) / max(p(1 − p), 1e-12) · w.

    >>> F.binary_cross_entropy(tensor([0.8, 0.4]), tensor([1.0, 0.0]))
    tensor(0.3670)
    """
    reduction = _loss_reduction(size_average, reduce, reduction)
    _check_size_attr(input, target)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}) is deprecated. Please ensure they have the same size."
        )
    if weight is not None:
        _check_tensor(weight, "binary_cross_entropy", "weight", 3)
        shape = _broadcast_shapes_checked(tuple(target.shape), tuple(weight.shape))
        weight = weight.expand(*shape)
    _check_tensor(input, "binary_cross_entropy", "input", 1)
    _no_grad_for("binary_cross_entropy", weight=weight)
    x, y = input._array, target._array
    if y.dtype != x.dtype:
        raise RuntimeError(f"Found dtype {_scalar_name(y)} but expected {_scalar_name(x)}")
    if x.dtype.kind != "f":
        raise _not_implemented("binary_cross_entropy", x)
    bad_x = ~((x >= 0) & (x <= 1))
    bad = bad_x | ~((y >= 0) & (y <= 1))
    if bad.any():  # the first bad element decides, its input checked before its target
        what = "input" if bad_x.ravel()[np.argmax(bad.ravel())] else "target"
        raise RuntimeError(f"all elements of {what} should be between 0 and 1")
    w = None if weight is None else weight._array
    with quiet:  # log(0) = −inf, clamped at −100
        elem = (y - 1) * np.maximum(np.log1p(-x), -100) - y * np.maximum(np.log(x), -100)
        if w is not None:
            full = np.broadcast_shapes(elem.shape, w.shape)
            if full != elem.shape:
                raise RuntimeError(
                    f"output with shape {list(elem.shape)} doesn't match the broadcast shape "
                    f"{list(full)}"
                )
            elem = elem * w
        out, grad_elem = _reduce_loss(elem.astype(x.dtype, copy=False), reduction, x.size)

    def backward(g):  # dℓ/dp = (p − y) / max(p(1 − p), ε) · w;  dℓ/dy = −logit(p) · w
        with quiet:
            ge = grad_elem(g) if w is None else grad_elem(g) * w
            gx = gy = None
            if input._requires_grad:
                gx = (ge * (x - y) / np.maximum((1 - x) * x, 1e-12)).astype(x.dtype, copy=False)
            if target._requires_grad:
                gy = (-np.log(x / (1 - x)) * ge).astype(y.dtype, copy=False)
            return gx, gy

    saved = (input, target) if weight is None else (input, target, weight)
    return _result(out, (input, target), backward, "BinaryCrossEntropyBackward0", saved)


def _broadcast_shapes_checked(*shapes: tuple) -> tuple:
    """torch.broadcast_shapes, with its message for shapes that do not broadcast."""
    common = [1] * max(len(s) for s in shapes)
    for arg, shape in enumerate(shapes):
        for i in range(-1, -1 - len(shape), -1):
            if shape[i] == common[i] or shape[i] == 1:
                continue
            if common[i] == 1:
                common[i] = shape[i]
                continue
            from .._dtypes import Size  # (imported here: the top of this file stays as it was)

            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {shape[i]} at {i}! Mismatching "
                f"argument at index {arg} had {Size(shape)!r}; but expected shape should be "
                f"broadcastable to {common}"
            )
    return tuple(common)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Binary cross-entropy from logits x: (1 − y)·x − log σ(x), as torch computes it.

    The same loss as `binary_cross_entropy(sigmoid(x), y)`, but log σ(x) = min(x, 0) −
    log(1 + e^(−|x|)) never overflows: logits of ±1e4 give exact, finite losses.

    Args:
        input: logits, any shape.
        target: y of the same shape (floats; soft labels allowed).
        weight: broadcast against the loss; multiplies each element's loss.
        pos_weight: weight of the positive term, broadcast against the target (for C classes,
            shape (C,)): the loss becomes (1 − y)·x − (1 + (pos_weight − 1)·y)·log σ(x).
        reduction: 'mean' | 'sum' | 'none'.

    Backward: (σ(x) − y)·w, or ((pos_weight·y + 1 − y)·σ(x) − pos_weight·y)·w.

    >>> F.binary_cross_entropy_with_logits(tensor([2.0, -1.0]), tensor([1.0, 0.0]))
    tensor(0.2201)
    """
    reduction = _loss_reduction(size_average, reduce, reduction)
    _check_size_attr(input, target)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape!r}) must be the same as input size ({input.shape!r})"
        )
    fn = "binary_cross_entropy_with_logits"
    _check_tensor(input, fn, "input", 1)
    if weight is not None:
        _check_tensor(weight, fn, "weight", 3)
    if pos_weight is not None:
        _check_tensor(pos_weight, fn, "pos_weight", 4)
    _no_grad_for(fn, weight=weight, pos_weight=pos_weight)
    x, y = input._array, target._array
    w = _float_input(input, "log_sigmoid_cpu")
    from .. import autograd

    # torch's own sequence of ops (their dtypes, broadcasts and in-place checks), without a graph
    with autograd.no_grad(), quiet:
        log_sig = Tensor._wrap((np.minimum(w, 0) - np.log1p(np.exp(-np.abs(w)))).astype(x.dtype))
        if pos_weight is not None:
            log_weight = (Tensor._wrap(pos_weight._array) - 1).mul(Tensor._wrap(y)).add_(1)
            log_sig.mul_(log_weight)
        loss = (1 - Tensor._wrap(y)).mul_(Tensor._wrap(x)).sub_(log_sig)
        if weight is not None:
            loss.mul_(Tensor._wrap(weight._array))
        elem = loss._array
        out, grad_elem = _reduce_loss(elem, reduction, elem.size)

    def backward(g):
        with quiet:
            ge = grad_elem(g)
            if weight is not None:
                ge = ge * weight._array
            gx = gy = None
            if input._requires_grad:  # dℓ/dx = (pw·y + 1 − y)·σ(x) − pw·y  (pw = 1: σ(x) − y)
                s = 1 / (1 + np.exp(-x))  # x.sigmoid(), in the input's dtype as torch
                if pos_weight is None:
                    d = s - y
                else:
                    py = pos_weight._array * y
                    d = (py + 1 - y) * s - py
                gx = (d * ge).astype(x.dtype, copy=False)
            if target._requires_grad:  # dℓ/dy = −x − (pw − 1)·log σ(x)
                if pos_weight is None:
                    d = -w
                else:
                    ls = np.minimum(w, 0) - np.log1p(np.exp(-np.abs(w)))
                    d = (ls - w) - ls * pos_weight._array  # log σ(−x) − pw·log σ(x)
                gy = (d * ge).astype(y.dtype, copy=False)
            return gx, gy

    saved = tuple(t for t in (input, target, weight, pos_weight) if t is not None)
    return _result(out, (input, target), backward, "BinaryCrossEntropyWithLogitsBackward0", saved)


def _reduce_tensor(loss: Tensor, reduction: str) -> Tensor:
    """torch's apply_loss_reduction on a tensor that has its graph: mean(), sum() or itself."""
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


def _weighted(loss: Tensor, weight: Tensor, reduction: str, by_weight_sum: bool) -> Tensor:
    """The `weight=` form of l1_loss and huber_loss, built from ordinary ops as in torch."""
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.sum() / weight.sum() if by_weight_sum else weighted.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """|x − y|, averaged over all elements by default (torch.nn.functional.l1_loss).

    Built from ordinary ops as in torch: (x − y).abs(), then .mean() or .sum(), so its grad_fn
    is MeanBackward0 (AbsBackward0 for 'none'). Shapes that differ but broadcast are broadcast,
    with torch's warning. With `weight` (the input's shape), 'mean' divides by Σ weight.

    >>> F.l1_loss(tensor([1.0, -2.0]), tensor([0.0, 0.0]))
    tensor(1.5000)
    """
    _check_size_attr(input, target)
    _warn_size_mismatch(input, target)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    _broadcast_pair(input._array, target._array)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        return _weighted((input - target).abs(), weight, reduction, by_weight_sum=True)
    return _reduce_tensor((input - target).abs(), _check_reduction(reduction))


def _pointwise_loss(input: Tensor, target: Tensor, reduction: str, elem_fn, grad_fn):
    """A loss ℓ(x − y) applied elementwise and reduced, with its fused backward."""
    x, y = input._array, target._array
    shape = _broadcast_pair(x, y)
    dt = result_type(x, y)
    with quiet:
        diff = x.astype(dt, copy=False) - y.astype(dt, copy=False)
        out, grad_elem = _reduce_loss(elem_fn(diff), reduction, math.prod(shape))

    def backward(g):  # dℓ/dx = ℓ'(x − y), dℓ/dy = −ℓ'(x − y) = ℓ'(y − x) (ℓ' is odd)
        with quiet:
            gd = grad_fn(diff) * grad_elem(g)
        gx = unbroadcast(gd, x.shape).astype(x.dtype, copy=False) if input._requires_grad else None
        gy = None
        if target._requires_grad:
            with quiet:  # ℓ'(y − x) g, not −ℓ'(x − y) g: +0 where x == y, as torch's
                gy = grad_fn(y.astype(dt, copy=False) - x.astype(dt, copy=False)) * grad_elem(g)
            gy = unbroadcast(gy, y.shape).astype(y.dtype, copy=False)
        return gx, gy

    return out, backward


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """½(x − y)²/β where |x − y| < β, else |x − y| − ½β (torch.nn.functional.smooth_l1_loss).

    Quadratic near 0, linear beyond β: the gradient is (x − y)/β inside, ±1 outside, so large
    errors do not blow up the gradient. beta = 0 is the L1 loss (computed as `l1_loss`).

    >>> F.smooth_l1_loss(tensor([0.5, 3.0]), tensor([0.0, 0.0]))
    tensor(1.3125)
    """
    _check_size_attr(input, target)
    _warn_size_mismatch(input, target)
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    _broadcast_pair(input._array, target._array)
    reduction = _check_reduction(reduction)
    if beta == 0.0:
        return _reduce_tensor((input - target).abs(), reduction)
    beta = _number(beta, "smooth_l1_loss", "beta", 4, "float")
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    dt = result_type(input._array, target._array)
    if dt.kind != "f":
        raise NotImplementedError(
            f"\"smooth_l1_cpu\" not implemented for '{from_numpy_dtype(dt).scalar_name}'"
        )

    def elem(d):
        z = np.abs(d)
        return np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta).astype(d.dtype, copy=False)

    def slope(d):  # d/dd: −1 below −β, +1 above β, d/β between
        return np.where(d <= -beta, -1, np.where(d >= beta, 1, d / beta)).astype(d.dtype)

    out, backward = _pointwise_loss(input, target, reduction, elem, slope)
    return _result(out, (input, target), backward, "SmoothL1LossBackward0", (input, target))


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """½(x − y)² where |x − y| < δ, else δ(|x − y| − ½δ) (torch.nn.functional.huber_loss).

    smooth_l1_loss with β = δ, times δ: the gradient is x − y inside, ±δ outside. The result
    has the input's dtype. With `weight` (the input's shape), the elementwise losses are
    multiplied by it and 'mean' is their plain mean.

    >>> F.huber_loss(tensor([0.5, 3.0]), tensor([0.0, 0.0]))
    tensor(1.3125)
    """
    _check_size_attr(input, target)
    _warn_size_mismatch(input, target)
    _broadcast_pair(input._array, target._array)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        return _weighted(huber_loss(input, target, "none", delta), weight, reduction, False)
    reduction = _check_reduction(reduction)
    delta = _number(delta, "huber_loss", "delta", 4, "float")
    if not delta > 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    x, y = input._array, target._array
    dt = result_type(x, y)
    if dt.kind != "f":
        raise NotImplementedError(
            f"\"huber_cpu\" not implemented for '{from_numpy_dtype(dt).scalar_name}'"
        )
    if x.dtype.kind != "f":
        raise RuntimeError(
            f"result type {from_numpy_dtype(dt).scalar_name} can't be cast to the desired "
            f"output type {_scalar_name(x)}"
        )

    def elem(d):  # computed in the common dtype, kept in the input's
        z = np.abs(d)
        return np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta)).astype(x.dtype)

    def slope(d):  # −δ below −δ, +δ above δ, x − y between
        if x.dtype != y.dtype:  # torch's backward kernel wants one dtype
            raise RuntimeError(f"Found dtype {_scalar_name(y)} but expected {_scalar_name(x)}")
        return np.where(d <= -delta, -delta, np.where(d >= delta, delta, d)).astype(d.dtype)

    out, backward = _pointwise_loss(input, target, reduction, elem, slope)
    return _result(out, (input, target), backward, "HuberLossBackward0", (input, target))
