"""Linear algebra (torch.linalg): norms, inv, det, solve, cross, matmul.

`import course_lib as torch; torch.linalg.inv(A)` works as in torch. Each op computes its values
with NumPy's np.linalg and has its backward beside it; the norms are compositions of course_lib's
reductions, as torch's are, so their grad_fn names follow (vector_norm, amax, sum).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._ops._checks import _broadcast_error, _check_tensor_arg, _wrap_dim
from ._ops._common import OUT, _result, quiet, unbroadcast
from ._ops.linalg import matmul
from .tensor import Tensor

__all__ = [
    "LinAlgError",
    "norm",
    "vector_norm",
    "matrix_norm",
    "inv",
    "det",
    "solve",
    "matmul",
    "cross",
]


class _LinAlgError(RuntimeError):
    """A matrix that the algorithm cannot handle (singular for inv and solve), as
    torch.linalg.LinAlgError: a RuntimeError."""


LinAlgError = _LinAlgError


# -- checks shared by the matrix functions ------------------------------------------------------


def _check_float(A: Tensor, fn: str) -> None:
    if A._array.dtype.kind != "f":
        raise RuntimeError(
            f"{fn}: Expected a floating point or complex tensor as input. Got {A.dtype.scalar_name}"
        )


def _check_matrix(A: Tensor, fn: str) -> None:
    if A.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")


def _check_square(A: Tensor, fn: str) -> None:
    _check_matrix(A, fn)
    m, n = A.shape[-2:]
    if m != n:
        raise RuntimeError(
            f"{fn}: A must be batches of square matrices, but they are {m} by {n} matrices"
        )


def _lu(a: np.ndarray) -> tuple:
    """A = P L U with partial pivoting (LAPACK's getrf, which torch uses): P, L, U."""
    u = np.array(a, dtype=a.dtype)
    n = u.shape[0]
    lower, perm = np.eye(n, dtype=a.dtype), np.arange(n)
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        u[[k, p]], perm[[k, p]], lower[[k, p], :k] = u[[p, k]], perm[[p, k]], lower[[p, k], :k]
        if u[k, k] != 0:
            lower[k + 1 :, k] = u[k + 1 :, k] / u[k, k]
            u[k + 1 :, k:] -= np.outer(lower[k + 1 :, k], u[k, k:])
            u[k + 1 :, k] = 0
    return np.eye(n, dtype=a.dtype)[:, perm], lower, u


def _zero_pivot(a: np.ndarray) -> int:
    """The 1-based position of the first zero on U's diagonal in A = P L U, as torch reports
    it for a singular matrix, or 0 when there is none."""
    zeros = np.flatnonzero(np.diagonal(_lu(a)[2]) == 0)
    return int(zeros[0]) + 1 if zeros.size else 0


def _batch_prefix(i: int, batched: bool) -> str:
    return f"(Batch element {i}): " if batched else ""


# -- norms --------------------------------------------------------------------------------------


def _check_norm_dtype(fn: str, dtype) -> None:
    if dtype is not None and not dtype.is_floating_point:
        raise RuntimeError(
            f"{fn}: dtype should be floating point or complex, but got {dtype.scalar_name}"
        )


def vector_norm(x: Tensor, ord=2, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """(Σ|x|^ord)^(1/ord) over `dim` (all elements by default), x seen as one vector
    (torch.linalg.vector_norm). ord=inf is max|x|, ord=0 counts the non-zeros.

    >>> course_lib.linalg.vector_norm(tensor([[3.0, 0.0], [0.0, -4.0]]))
    tensor(5.)
    """
    _check_tensor_arg(x, "linalg_vector_norm", "input", 1)
    if not isinstance(ord, numbers.Number) or isinstance(ord, bool):
        raise TypeError(
            "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not "
            f"{type(ord).__name__}"
        )
    _check_float(x, "linalg.vector_norm")
    _check_norm_dtype("linalg.vector_norm", dtype)
    if dtype is not None:
        x = x.to(dtype)
    return x._vector_norm(float(ord), dim, keepdim)


def _matrix_dims(A: Tensor, dim) -> tuple[int, int]:
    dims = list(dim) if isinstance(dim, (tuple, list)) else [dim]
    if len(dims) != 2:
        raise RuntimeError(
            f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}"
        )
    d0, d1 = (_wrap_dim(d, A.ndim) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    return d0, d1


def _order_text(ord) -> str:
    return f"{ord:g}" if isinstance(ord, numbers.Number) else str(ord)


def matrix_norm(A: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None) -> Tensor:
    """A matrix norm over the two dims `dim` (torch.linalg.matrix_norm): 'fro' is
    sqrt(Σ a_ij²); 'nuc' the sum of the singular values; 2 / -2 the largest / smallest singular
    value; 1 / -1 the largest / smallest column sum of |a|; inf / -inf the same for rows.

    >>> course_lib.linalg.matrix_norm(tensor([[1.0, -2.0], [3.0, 4.0]]), 1)
    tensor(6.)
    """
    _check_tensor_arg(A, "linalg_matrix_norm", "input", 1)
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    elif not isinstance(ord, numbers.Number) or abs(ord) not in (1, 2, math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {_order_text(ord)} not supported.")
    _check_matrix(A, "linalg.matrix_norm")
    _check_float(A, "linalg.matrix_norm")
    d0, d1 = _matrix_dims(A, dim)
    _check_norm_dtype("linalg.matrix_norm", dtype)
    if dtype is not None:
        A = A.to(dtype)
    if ord == "fro":
        return A._vector_norm(2.0, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):  # from the singular values, the two dims moved to the end
        perm = [d for d in range(A.ndim) if d not in (d0, d1)] + [d0, d1]
        s = _svdvals(A.permute(perm))
        if ord == "nuc":
            out = s.sum(-1)
        else:
            out = s.amax(-1) if ord == 2 else s.amin(-1)
        if keepdim:
            out = out.unsqueeze(-1).unsqueeze(-1).permute([perm.index(d) for d in range(A.ndim)])
        return out
    if abs(ord) == math.inf:  # rows: sum along the columns first
        d0, d1 = d1, d0
    if not keepdim and d0 < d1:
        d1 -= 1
    sums = A.abs().sum(d0, keepdim)
    return sums.amax(d1, keepdim) if ord > 0 else sums.amin(d1, keepdim)


def _svdvals(A: Tensor) -> Tensor:
    """The singular values of each matrix in the last two dims, largest first (what
    torch.linalg.svdvals gives)."""
    a = A._array
    with quiet:
        u, s, vh = np.linalg.svd(a, full_matrices=False)

    def backward(g):  # d σ_i = u_iᵀ dA v_i  →  gA = U diag(g) Vᵀ
        return ((u * g[..., None, :]) @ vh,)

    return _result(s.astype(a.dtype, copy=False), (A,), backward, "LinalgSvdBackward0", (OUT,))


def norm(A: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """A vector or matrix norm (torch.linalg.norm): with no `ord` the 2-norm of all elements
    seen as one vector; a matrix norm (see matrix_norm) for a string `ord`, for two dims, or for
    a 2-D input with an `ord`; else a vector norm (see vector_norm) over `dim`.

    >>> course_lib.linalg.norm(tensor([3.0, 4.0]))
    tensor(5.)
    """
    _check_tensor_arg(A, "linalg_norm", "input", 1)
    if dim is not None:
        dims = list(dim) if isinstance(dim, (tuple, list)) else [dim]
        if len(dims) not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {dims}"
            )
    elif ord is not None and A.ndim not in (1, 2):
        raise RuntimeError(
            "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
            f"Got {A.ndim}D."
        )
    if isinstance(ord, str) or (
        ord is not None and ((dim is not None and len(dims) == 2) or (dim is None and A.ndim == 2))
    ):
        return matrix_norm(A, ord, (0, 1) if dim is None else dims, keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


# -- inverse, determinant, solve ----------------------------------------------------------------


def inv(A: Tensor) -> Tensor:
    """The inverse A⁻¹ of each square matrix in the last two dims (torch.linalg.inv); a
    singular matrix raises LinAlgError.

    >>> course_lib.linalg.inv(tensor([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    _check_tensor_arg(A, "linalg_inv", "A", 1)
    _check_square(A, "linalg.inv")
    _check_float(A, "linalg.inv")
    a = A._array
    out = _lapack(np.linalg.inv, a, lambda i, k: (
        f"linalg.inv: {_batch_prefix(i, a.ndim > 2)}The diagonal element {k} is zero, the "
        "inversion could not be completed because the input matrix is singular."
    )).astype(a.dtype, copy=False)  # fmt: skip

    def backward(g):  # d(A⁻¹) = -A⁻¹ dA A⁻¹  →  gA = -A⁻ᵀ g A⁻ᵀ
        t = np.swapaxes(out, -1, -2)
        return (-(t @ g @ t),)

    return _result(out, (A,), backward, "LinalgInvExBackward0", (OUT,))


def _lapack(fn, a: np.ndarray, message, *args, own=None) -> np.ndarray:
    """fn(a, *args) (NumPy's LAPACK, as torch's); for a singular matrix in the batch a (in
    `own`, A before broadcasting, if given), torch's LinAlgError(message(batch index, the zero
    pivot's position)) instead of NumPy's error."""
    try:
        return fn(a, *args)
    except np.linalg.LinAlgError:
        pass
    a = a if own is None else own
    mats = a.reshape((math.prod(a.shape[:-2]),) + a.shape[-2:])
    for i, m in enumerate(mats):
        try:
            np.linalg.inv(m)
        except np.linalg.LinAlgError:
            raise _LinAlgError(message(i, _zero_pivot(m) or m.shape[-1])) from None
    raise AssertionError("unreachable: NumPy found a singular matrix")  # pragma: no cover


def det(A: Tensor) -> Tensor:
    """The determinant of each square matrix in the last two dims (torch.linalg.det).

    >>> course_lib.linalg.det(tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor(-2.)
    """
    _check_tensor_arg(A, "linalg_det", "A", 1)
    _check_square(A, "linalg.det")
    _check_float(A, "linalg.det")
    a = A._array
    out = np.asarray(np.linalg.det(a)).astype(a.dtype, copy=False)

    def backward(g):  # d det A = det A · tr(A⁻¹ dA)  →  gA = g det(A) A⁻ᵀ
        # A⁻ᵀ from A's LU factors, as torch: a zero pivot made ε, so that a singular A (det 0)
        # has a finite A⁻ᵀ and the gradient g · 0 · A⁻ᵀ = 0
        eps = np.finfo(a.dtype).eps
        mats = a.reshape((math.prod(a.shape[:-2]),) + a.shape[-2:])
        inverses = np.empty_like(mats)
        for i, m in enumerate(mats):
            p, lower, upper = _lu(m)
            np.fill_diagonal(upper, np.where(np.diagonal(upper) == 0, eps, np.diagonal(upper)))
            inverses[i] = np.linalg.inv(upper) @ np.linalg.inv(lower) @ p.T
        inv_t = np.swapaxes(inverses.reshape(a.shape), -1, -2)
        return (((g * out)[..., None, None] * inv_t).astype(a.dtype, copy=False),)

    return _result(out, (A,), backward, "LinalgDetBackward0", (A, OUT))


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """The X with A X = B (torch.linalg.solve), for square A; B is a vector or a matrix of
    right-hand sides, batch dims broadcast. A singular A raises LinAlgError.

    Shape: A (*, n, n), B (*, n) or (*, n, k) → X of B's shape (batch dims broadcast).

    >>> course_lib.linalg.solve(tensor([[2.0, 0.0], [0.0, 4.0]]), tensor([1.0, 1.0]))
    tensor([0.5000, 0.2500])
    """
    _check_tensor_arg(A, "linalg_solve", "A", 1)
    _check_tensor_arg(B, "linalg_solve", "B", 2)
    if not left:
        raise NotImplementedError("course_lib's linalg.solve has no left=False: solve Aᵀ Xᵀ = Bᵀ")
    _check_float(A, "linalg.solve")
    if A._array.dtype != B._array.dtype:
        raise RuntimeError(
            "linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{A.dtype.scalar_name} and B of type {B.dtype.scalar_name} instead"
        )
    _check_square(A, "linalg.solve")
    a, b = A._array, B._array
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    if not vector and b.ndim < 2:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    bm = b[..., None] if vector else b
    if bm.ndim < 2 or bm.shape[-2] != a.shape[-1]:
        rows, cols = (bm.shape[-2], bm.shape[-1]) if bm.ndim >= 2 else (bm.shape[-1], 1)
        raise RuntimeError(
            "linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({a.shape[-2]}x{a.shape[-1]} and {rows}x{cols})"
        )
    try:
        batch = np.broadcast_shapes(bm.shape[:-2], a.shape[:-2])
    except ValueError:
        raise _broadcast_error(bm.shape[:-2], a.shape[:-2]) from None
    a_full = np.broadcast_to(a, batch + a.shape[-2:])
    x = _lapack(np.linalg.solve, a_full, lambda i, k: (
        f"torch.linalg.solve: {_batch_prefix(i, a.ndim > 2)}The solver failed because the "
        "input matrix is singular."
    ), np.broadcast_to(bm, batch + bm.shape[-2:]), own=a).astype(a.dtype)  # fmt: skip
    out = x[..., 0] if vector else x

    def backward(g):  # X = A⁻¹ B: gB = A⁻ᵀ g, gA = -gB Xᵀ (summed over broadcast batch dims)
        gm = g[..., None] if vector else g
        gb = np.linalg.solve(np.swapaxes(a_full, -1, -2), gm)
        ga = -(gb @ np.swapaxes(x, -1, -2))
        gb = gb[..., 0] if vector else gb
        return unbroadcast(ga, a.shape), unbroadcast(gb, b.shape)

    return _result(out, (A, B), backward, "LinalgSolveExBackward0", (A, OUT))


# -- the cross product --------------------------------------------------------------------------


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """The cross product a × b of 3-vectors along `dim`, other dims broadcast
    (torch.linalg.cross).

    >>> course_lib.linalg.cross(tensor([1.0, 0.0, 0.0]), tensor([0.0, 1.0, 0.0]))
    tensor([0., 0., 1.])
    """
    _check_tensor_arg(input, "linalg_cross", "input", 1)
    _check_tensor_arg(other, "linalg_cross", "other", 2)
    return _cross(input, other, dim, "linalg.cross: ")


def _cross(input: Tensor, other: Tensor, dim: int, prefix: str) -> Tensor:
    a, b = input._array, other._array
    if a.ndim != b.ndim:
        raise RuntimeError(f"{prefix}inputs must have the same number of dimensions.")
    d = _wrap_dim(dim, a.ndim)
    if a.shape[d] != 3 or b.shape[d] != 3:
        raise RuntimeError(
            f"{prefix}inputs dimension {dim} must have length 3. Got {a.shape[d]} and {b.shape[d]}"
        )
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise _broadcast_error(a.shape, b.shape) from None
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"expected scalar type {input.dtype.scalar_name} but found {other.dtype.scalar_name}"
        )
    out = np.cross(a, b, axis=d)

    def backward(g):  # d(a × b) = da × b + a × db  →  ga = b × g, gb = g × a
        ga = np.cross(b, g, axis=d) if input._requires_grad else None
        gb = np.cross(g, a, axis=d) if other._requires_grad else None
        return (
            None if ga is None else unbroadcast(ga, a.shape),
            None if gb is None else unbroadcast(gb, b.shape),
        )

    # each operand's gradient reads the other one: saved only when that gradient is needed
    saved = (other if input._requires_grad else None, input if other._requires_grad else None)
    return _result(out, (input, other), backward, "LinalgCrossBackward0", saved)
