"""Matrix products and matrices: matmul (`@`), mm, bmm, addmm, einsum, dot, mv, outer, tril,
triu.

torch.matmul, torch.mm, ... are the functions here; the Tensor methods call them. Products do
no type promotion; their errors name the shapes, as torch's do (see _checks.py).
"""

from __future__ import annotations

import math

import numpy as np

from .. import autograd
from ._checks import (
    _bmm_error,
    _bool_kernel_check,
    _broadcast_error,
    _check_addmm,
    _check_einsum_operands,
    _check_int_args,
    _check_tensor_arg,
    _dtype_check,
    _einsum_sizes,
    _mm_check,
    _mm_shape_error,
    _mv_check,
    _wrap_dim,
)
from ._common import (
    OUT,
    _quiet_off,
    _quiet_on,
    _recorded,
    _result,
    _warn_once,
    quiet,
    unbroadcast,
)

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


_MATMUL_KERNELS = {(2, 2): "MmBackward0", (1, 1): "DotBackward0", (2, 1): "MvBackward0"}


class LinalgOps:
    """The matrix methods of Tensor (one of its base classes)."""

    # -- matrix products -----------------------------------------------------------------------

    def __matmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        return matmul(self, other)

    def __rmatmul__(self, other):
        return NotImplemented

    def matmul(self, other: Tensor) -> Tensor:
        return matmul(self, other)

    def mm(self, other: Tensor) -> Tensor:
        return mm(self, other)

    def bmm(self, other: Tensor) -> Tensor:
        return bmm(self, other)

    # -- triangles: tril, triu -----------------------------------------------------------------

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims (on and below `diagonal`), zeros above."""
        return self._triangle(diagonal, "tril")

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims (on and above `diagonal`), zeros below."""
        return self._triangle(diagonal, "triu")

    def _triangle(self, diagonal, which: str) -> Tensor:
        _check_int_args(which, ("diagonal", diagonal))
        if self.ndim < 2:
            raise RuntimeError(f"{which}: input tensor must have at least 2 dimensions")
        f = np.tril if which == "tril" else np.triu

        def backward(g):  # the kept triangle passes its gradient through, the rest gets 0
            return (f(g, diagonal),)

        return _result(
            f(self._array, diagonal), (self,), backward, f"{which.capitalize()}Backward0"
        )

    # -- matrix product with a bias: addmm -----------------------------------------------------

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
        return addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    # -- more of torch's API: dot, mv, outer ---------------------------------------------------

    def dot(self, tensor: Tensor) -> Tensor:
        _check_dot_arg(tensor, "tensor", 1)  # a method does not count `self`
        return dot(self, tensor)

    def mv(self, vec: Tensor) -> Tensor:
        return mv(self, vec)

    def outer(self, vec2: Tensor) -> Tensor:
        return outer(self, vec2)


def _should_fold(input: Tensor, other: Tensor) -> bool:
    """torch's matmul folds a batch times a matrix (or vector) into one mm (or mv) when the batch
    folds without a copy, or when the smaller operand requires grad (whatever the grad mode)."""
    a, b = input._array, other._array
    larger_a = a.ndim >= b.ndim
    t1 = a if larger_a else np.swapaxes(b, -1, -2)
    if not (t1.ndim >= 3 and (b.ndim if larger_a else a.ndim) <= 2):
        return False
    if (other if larger_a else input)._requires_grad:
        return True
    if a.ndim == 2:
        return False
    if t1.size == 0:
        return True
    x = a if larger_a else b
    shape, strides = list(x.shape), [s // x.itemsize for s in x.strides]
    for i in range(x.ndim - 1, -1, -1):  # an inserted dim: NumPy's stride 0, torch's as below
        if shape[i] == 1 and strides[i] == 0:
            strides[i] = strides[i + 1] * shape[i + 1] if i + 1 < x.ndim else 1
    if not larger_a:
        shape[-2:], strides[-2:] = shape[:-3:-1], strides[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(x.ndim - 2))


def _folds_batch_of_one(input: Tensor, other: Tensor) -> bool:
    """torch computes (1, m, n) @ (B, n, p) as a[0] @ b when a requires grad."""
    a, b = input._array, other._array
    return a.ndim == b.ndim == 3 and a.shape[0] == 1 and b.shape[0] != 1 and input._requires_grad


def _folds_onto_batch_of_one(input: Tensor, other: Tensor) -> bool:
    """torch computes (B, m, n) @ (1, n, p) as one (B·m, n) @ b[0] when b requires grad."""
    a, b = input._array, other._array
    return a.ndim == b.ndim == 3 and b.shape[0] == 1 and a.shape[0] != 1 and other._requires_grad


def _matmul_check(input: Tensor, other: Tensor) -> None:
    """Raise the error torch raises for these ranks, shapes and dtypes, if any, in torch's order:
    the kernel torch's matmul ends in checks sizes, then dtypes, then that it has a bool version."""
    a, b = input._array, other._array
    if a.ndim == b.ndim == 2 and a.dtype == b.dtype and a.dtype != np.bool_:  # the common case
        if a.shape[1] != b.shape[0]:
            raise _mm_shape_error(a.shape, b.shape)
        return
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    if a.ndim == 1 and b.ndim == 1:  # dot checks the dtypes first
        _dtype_check(a, b, "dot")
        if a.shape != b.shape:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
                "to have the same number of elements, but got "
                f"{a.shape[0]} and {b.shape[0]} elements respectively"
            )
        _bool_kernel_check(a, "dot")
    elif a.ndim == 2 and b.ndim == 1:
        _mv_check(a.shape, b.shape, a.dtype, b.dtype)
    elif a.ndim <= 2 and b.ndim == 2:
        _mm_check(a.shape if a.ndim == 2 else (1, a.shape[0]), b.shape, a.dtype, b.dtype)
    elif _folds_batch_of_one(input, other):  # a[0] @ b, as below
        _mm_check(
            (math.prod(b.shape[:-1]) // b.shape[-2] * b.shape[-1], b.shape[-2]),
            a.shape[:0:-1],
            b.dtype,
            a.dtype,
        )
    elif _folds_onto_batch_of_one(input, other):  # (B·m, n) @ b[0], as below
        _mm_check((a.shape[0] * a.shape[1], a.shape[2]), b.shape[1:], a.dtype, b.dtype)
    elif _should_fold(input, other):  # the larger one folded to a matrix (transposed if b)
        transpose = b.ndim > a.ndim
        t1 = np.swapaxes(b, -1, -2) if transpose else a
        t2 = (a.T if a.ndim == 2 else a) if transpose else b
        folded = (math.prod(t1.shape[:-1]), t1.shape[-1])
        if t2.ndim == 2:
            _mm_check(folded, t2.shape, t1.dtype, t2.dtype)
        else:
            _mv_check(folded, t2.shape, t1.dtype, t2.dtype)
    else:  # batched: broadcast the batch dims, then bmm
        try:
            batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise _broadcast_error(a.shape[:-2], b.shape[:-2]) from None
        k = a.shape[-1]
        rows_b = b.shape[-2] if b.ndim >= 2 else b.shape[0]
        if rows_b != k:
            raise _bmm_error((math.prod(batch), k), (math.prod(batch), rows_b))
        _dtype_check(a, b, "bmm")
        _bool_kernel_check(a, "bmm")


def _matmul_name(input: Tensor, other: Tensor, a: np.ndarray, b: np.ndarray) -> str:
    """The grad_fn torch's matmul ends in beyond the 2-D ranks."""
    if a.ndim == 1 and b.ndim == 2:
        return "SqueezeBackward4"
    if (a.ndim == 2 and b.ndim >= 3 and input._requires_grad) or _folds_batch_of_one(input, other):
        # folded as (bᵀ aᵀ)ᵀ and made contiguous: a copy unless a row or column has one element
        m, p = a.shape[-2], b.shape[-1]
        return "TransposeBackward0" if m == 1 or p == 1 or b.size == 0 else "CloneBackward0"
    return "UnsafeViewBackward0"


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with torch's rank rules (torch.matmul, the `@` operator).

    1-D·1-D is a dot product (0-d result); a 1-D first argument is a row vector and a 1-D second
    argument a column vector (the added dim is removed again); beyond 2-D the leading dims are
    batch dims, broadcast against each other.

    Shape: (n,)·(n,) → (); (m,n)·(n,) → (m,); (n,)·(n,p) → (p,); (B…,m,n)·(B'…,n,p) → (B″…,m,p).

    >>> matmul(ones(5, 2, 3), ones(3, 4)).shape
    torch.Size([5, 2, 4])
    """
    a, b = input._array, other._array
    if (  # the common case, kept short (per-op overhead): two matrices that fit, one dtype
        a.ndim == b.ndim == 2 and a.dtype is b.dtype and a.dtype != np.bool_
        and a.shape[1] == b.shape[0]
    ):  # fmt: skip
        token = _quiet_on()  # inf * 0 is nan, silently (what `with quiet:` does, inlined)
        try:
            out = _mm2(a, b)
        finally:
            _quiet_off(token)
        fold, name = "mm", "MmBackward0"
    else:
        _matmul_check(input, other)
        fold = "mm" if b.ndim == 2 and a.ndim <= 2 else _matmul_fold(input, other)
        with quiet:
            if a.ndim == b.ndim == 2:
                out = _mm2(a, b)
            elif fold in ("a", "b"):  # one mm over a folded batch, as torch: zeros keep signs
                out = _folded_product(fold, a, b)
            elif fold == "a1":  # a's batch folded onto b's only matrix
                out = _folded_product("a", a, b[0])
            else:
                out = np.matmul(a, b)
        if type(out) is not np.ndarray:  # a dot product gives a NumPy scalar: make it 0-d
            out = np.asarray(out)
        # the grad_fn is named after the kernel torch's matmul ends in for these ranks
        name = _MATMUL_KERNELS.get((a.ndim, b.ndim)) or _matmul_name(input, other, a, b)

    def backward(g):  # d(A B) = dA B + A dB  →  gA = g Bᵀ, gB = Aᵀ g (summed over broadcast)
        if a.ndim == b.ndim == 1:  # a dot product: g·b and g·a, elementwise (signs as torch)
            return (
                g * b if input._requires_grad else None,
                g * a if other._requires_grad else None,
            )
        A = a[None, :] if a.ndim == 1 else a  # treat vectors as (1,n) rows / (n,1) columns
        B = b[:, None] if b.ndim == 1 else b
        G = g
        if b.ndim == 1:  # column first, so that a 0-d g (dot product) becomes (1, 1)
            G = np.expand_dims(G, -1)
        if a.ndim == 1:
            G = np.expand_dims(G, -2)
        if fold == "a1":
            ga, gb = _matmul_folded_grads("a", a, b[0], G, input._requires_grad, True)
            return ga, gb[None]
        if fold is not None:  # torch's products, whose single-term sums keep a zero's sign
            return _matmul_folded_grads(fold, a, b, G, input._requires_grad, other._requires_grad)
        ga = gb = None
        if input._requires_grad:
            ga = np.matmul(G, np.swapaxes(B, -1, -2))
            ga = unbroadcast(ga, A.shape).reshape(a.shape)
        if other._requires_grad:
            gb = np.matmul(np.swapaxes(A, -1, -2), G)
            gb = unbroadcast(gb, B.shape).reshape(b.shape)
        return ga, gb

    if autograd._grad_enabled and (a.ndim == 1 and b.ndim == 2 or a.ndim > 2 and b.ndim <= 2):
        if input._requires_grad or other._requires_grad:  # torch's graph: several nodes
            return _matmul_graph(input, other, out, backward)
    return _result(out, (input, other), backward, name, _mm_saved(input, other))


def _matmul_graph(input: Tensor, other: Tensor, out: np.ndarray, backward) -> Tensor:
    """The nodes torch's matmul records when it reshapes to a matrix product: a vector made a
    row (UnsqueezeBackward0), then MmBackward0, then the row squeezed (SqueezeBackward4); or a
    batch folded into rows (ViewBackward0), then MmBackward0 (MvBackward0 times a vector), then
    the batch shape back (UnsafeViewBackward0). `backward` is matmul's own, on the whole."""
    a, b = input._array, other._array
    if a.ndim == 1:
        rows, names = a[None, :], ("UnsqueezeBackward0", "MmBackward0", "SqueezeBackward4")
        core = out[None, :]
    else:
        rows = a.reshape(math.prod(a.shape[:-1]), a.shape[-1])
        names = ("ViewBackward0", "MmBackward0" if b.ndim == 2 else "MvBackward0")
        names += ("UnsafeViewBackward0",)
        core = out.reshape(rows.shape[0], *b.shape[1:])
    first = _recorded(rows, (input,), lambda g: (g.reshape(a.shape),), names[0])

    def product_backward(g):
        ga, gb = backward(g.reshape(out.shape))
        return (None if ga is None else ga.reshape(rows.shape)), gb

    saved = _mm_saved(input, other)
    product = _recorded(core, (first, other), product_backward, names[1], saved)
    return _recorded(out, (product,), lambda g: (g.reshape(core.shape),), names[2])


def _folded_product(fold: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b computed as torch's matmul folds it: 'a', (B…, m, n) @ (n, p) is one (B…·m, n) @
    (n, p) product; 'b', (m, n) @ (B…, n, p) is ((B…, p, n) @ (n, m))ᵀ, made contiguous."""
    if fold == "a":
        rows = a.reshape(math.prod(a.shape[:-1]), a.shape[-1])
        return _mm2(rows, b).reshape(*a.shape[:-1], b.shape[-1])
    bt = np.swapaxes(b, -1, -2)
    rows = bt.reshape(math.prod(bt.shape[:-1]), bt.shape[-1])
    out = _mm2(rows, a.T).reshape(*bt.shape[:-1], a.shape[0])
    return np.ascontiguousarray(np.swapaxes(out, -1, -2))


def _matmul_fold(input: Tensor, other: Tensor) -> str | None:
    """Which matrix product torch's matmul computes, where its gradients' zeros differ from
    NumPy's batched matmul: 'mm' (both 2-D, or a vector row), 'mv' (a matrix or folded batch
    times a vector), 'a' / 'b' (that operand's batch folded into one mm), 'bv' (a vector times a
    folded batch), 'a1' (a's batch folded, times b's one matrix); None for a batched bmm."""
    a, b = input._array, other._array
    if a.ndim == 1 and b.ndim == 1:
        return None
    if _folds_onto_batch_of_one(input, other):
        return "a1"
    if b.ndim == 1:
        return "mv" if a.ndim == 2 or _should_fold(input, other) else None
    if a.ndim >= 3 and b.ndim == 2:
        return "a" if _should_fold(input, other) else None
    if a.ndim <= 2 and b.ndim >= 3 and _should_fold(input, other):
        return "b" if a.ndim == 2 else "bv"
    return None


def _matmul_folded_grads(fold: str, a, b, G, grad_a: bool, grad_b: bool) -> tuple:
    """The gradients of matmul as torch's mm / mv compute them (G has a's and b's vector dims
    expanded, as in `matmul`'s backward)."""
    ga = gb = None
    if fold == "mm":  # A (1 or m, n) @ b (n, p)
        A = a[None, :] if a.ndim == 1 else a
        if grad_a:
            ga = _mm2(G, b.T).reshape(a.shape)
        if grad_b:
            gb = _mm2(A.T, G)
    elif fold == "mv":  # a folded to (rows, n) @ b (n,): a's gradient is an outer product
        n = a.shape[-1]
        if grad_a:
            ga = G * b  # G is (..., m, 1)
        if grad_b:
            gb = a.reshape(-1, n).T @ G.reshape(-1)
    elif fold == "a":  # a folded to (rows, n) @ b (n, p)
        n, p = b.shape
        G2 = G.reshape(-1, p)
        if grad_a:
            ga = _mm2(G2, b.T).reshape(a.shape)
        if grad_b:
            gb = _mm2(a.reshape(-1, n).T, G2)
    elif fold == "b":  # (bᵀ folded to (rows, n)) @ aᵀ, transposed back
        m, n = a.shape
        t1 = np.swapaxes(b, -1, -2).reshape(-1, n)
        g_t = np.swapaxes(G, -1, -2).reshape(-1, m)
        if grad_a:
            ga = _mm2(t1.T, g_t).T
        if grad_b:
            gb = np.swapaxes(_mm2(g_t, a).reshape(b.shape[:-2] + b.shape[:-3:-1]), -1, -2)
    else:  # "bv": (bᵀ folded to (rows, n)) @ a: b's gradient is an outer product
        n = a.shape[0]
        g_t = np.swapaxes(G, -1, -2)  # (..., p, 1)
        if grad_a:
            ga = np.swapaxes(b, -1, -2).reshape(-1, n).T @ g_t.reshape(-1)
        if grad_b:
            gb = np.swapaxes(g_t * a, -1, -2)
    return ga, gb


def _mm2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b of two matrices, as torch's mm: with an inner size of 1 (and an outer product that
    is not a single row or column) each entry is one product, so a zero keeps its sign (-0.),
    where NumPy's matmul adds it to +0."""
    if a.shape[1] == 1 and a.shape[0] > 1 and b.shape[1] > 1:
        return a * b
    return a @ b


def _mm_saved(a: Tensor, b: Tensor) -> tuple:
    """A product saves b to give a its gradient, and a to give b its gradient."""
    return (b if a._requires_grad else None, a if b._requires_grad else None)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Product of two matrices, 2-D only, no broadcasting (torch.mm).

    Shape: (m, n)·(n, p) → (m, p).
    """
    a, b = input._array, mat2._array
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _mm_check(a.shape, b.shape, a.dtype, b.dtype)

    def backward(g):  # gA = g Bᵀ, gB = Aᵀ g
        ga = g @ b.T if input._requires_grad else None
        gb = a.T @ g if mat2._requires_grad else None
        return ga, gb

    with quiet:
        out = _mm2(a, b)
    return _result(out, (input, mat2), backward, "MmBackward0", _mm_saved(input, mat2))


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched product of 3-D tensors with equal batch sizes, no broadcasting (torch.bmm).

    Shape: (B, m, n)·(B, n, p) → (B, m, p).
    """
    a, b = input._array, mat2._array
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if b.shape[:2] != (a.shape[0], a.shape[2]):
        raise _bmm_error((a.shape[0], a.shape[2]), b.shape[:2])
    _dtype_check(a, b, "bmm")
    _bool_kernel_check(a, "bmm")

    def backward(g):  # per batch: gA = g Bᵀ, gB = Aᵀ g
        ga = g @ np.swapaxes(b, 1, 2) if input._requires_grad else None
        gb = np.swapaxes(a, 1, 2) @ g if mat2._requires_grad else None
        return ga, gb

    with quiet:
        out = a @ b
    return _result(out, (input, mat2), backward, "BmmBackward0", _mm_saved(input, mat2))


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """beta · input + alpha · (mat1 @ mat2) (torch.addmm): nn.Linear's op with a bias.

    `input` broadcasts to the product's shape; with beta=0 it is ignored (nan included).
    Shape: (n, m) @ (m, p) → (n, p).
    """
    _check_addmm(input, mat1, mat2)
    a, b, c = mat1._array, mat2._array, input._array
    shape = (a.shape[0], b.shape[1])
    if c.dtype.kind != "f":  # integer tensors take integer factors
        beta, alpha = int(beta), int(alpha)
    with quiet:  # inf * 0 is nan, silently
        product = (
            a @ b if alpha == 1 else alpha * (a @ b) if alpha != 0 else np.zeros(shape, a.dtype)
        )
        out = product if beta == 0 else product + (c if beta == 1 else beta * c)
    out = np.broadcast_to(out, shape).astype(c.dtype, copy=False)

    def backward(g):  # d(beta C + alpha A B): beta g (summed to C's shape), alpha g Bᵀ, alpha Aᵀ g
        gc = unbroadcast(beta * g, c.shape) if input._requires_grad else None
        ga = alpha * (g @ b.T) if mat1._requires_grad else None
        gb = alpha * (a.T @ g) if mat2._requires_grad else None
        return gc, ga, gb

    saved = _mm_saved(mat1, mat2)
    return _result(
        np.ascontiguousarray(out), (input, mat1, mat2), backward, "AddmmBackward0", saved
    )


def _einsum_parse(equation: str, shapes: list) -> tuple[list, str, str]:
    """Terms (one letter per dim; ellipses spelled out with unused letters), the output, and
    the letters that stand for the ellipsis dims."""
    letters = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    arrow = equation.find("->")
    for k, ch in enumerate(equation):
        if ch in letters or ch in ",. " or (arrow >= 0 and k in (arrow, arrow + 1)):
            continue
        raise RuntimeError(
            f"einsum(): invalid subscript given at index {k} in the equation string, "
            "subscripts must be in [a-zA-Z]"
        )
    eq = equation.replace(" ", "")
    lhs, _, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(shapes):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    free = sorted(letters - set(eq))
    ell_ndim = 0
    for i, (term, shape) in enumerate(zip(terms, shapes, strict=True)):
        n = len(term.replace("...", ""))
        if "..." not in term and n != len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) does not match the "
                f"number of dimensions ({len(shape)}) for operand {i} and no ellipsis was given"
            )
        if n > len(shape):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) is more than the "
                f"number of dimensions ({len(shape)}) for operand {i}"
            )
        if "..." in term:
            ell_ndim = max(ell_ndim, len(shape) - n)
    ell = "".join(free[:ell_ndim])  # the ellipsis dims, aligned from the right as broadcasting
    spelled = []
    for term, shape in zip(terms, shapes, strict=True):
        k = len(shape) - len(term.replace("...", ""))
        spelled.append(term.replace("...", ell[ell_ndim - k :] if k else ""))
    if "->" in eq:
        out = rhs.replace("...", ell)
        for ch in out:
            if out.count(ch) > 1:
                raise RuntimeError(
                    f"einsum(): output subscript {ch} appears more than once in the output"
                )
            if not any(ch in t for t in spelled):
                raise RuntimeError(
                    f"einsum(): output subscript {ch} does not appear in the equation for any "
                    "input operand"
                )
    else:  # implicit output: the ellipsis dims, then the letters used once, in alphabetical order
        used = "".join(terms).replace(".", "")
        out = ell + "".join(sorted(ch for ch in set(used) if used.count(ch) == 1))
    return spelled, out, ell


def einsum(equation: str, *operands) -> Tensor:
    """Einstein summation (torch.einsum): name each dim with a letter; letters shared between
    operands are multiplied together, letters missing from the output are summed over.

    'ij,jk->ik' is a matrix product, 'bij,bjk->bik' a batched one, 'ii->i' a diagonal,
    'ij->ji' a transpose. '...' stands for the leading (broadcast) dims.

    >>> einsum("i,i->", tensor([1.0, 2.0]), tensor([3.0, 4.0]))
    tensor(11.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    _check_einsum_operands(operands)
    terms, out_term, ell = _einsum_parse(equation, [op.shape for op in operands])
    size = _einsum_sizes(terms, operands, ell)  # each letter's size, broadcast
    # broadcast size-1 dims to the common size, then let NumPy do the sum of products
    arrays = [
        np.broadcast_to(op._array, [size[ch] for ch in term])
        for term, op in zip(terms, operands, strict=True)
    ]
    spec = f"{','.join(terms)}->{out_term}"
    out = np.asarray(np.einsum(spec, *arrays, optimize=len(arrays) > 2))

    def backward(g):  # d/dX_k: the same sum with X_k left out and the output's gradient put in
        grads = []
        for k, (term, op) in enumerate(zip(terms, operands, strict=True)):
            if not op._requires_grad:
                grads.append(None)
                continue
            others = [(t, x) for j, (t, x) in enumerate(zip(terms, arrays, strict=True)) if j != k]
            unique = "".join(dict.fromkeys(term))
            present = set(out_term).union(*(t for t, _ in others))
            keep = "".join(ch for ch in unique if ch in present)
            subs = ",".join([out_term] + [t for t, _ in others])
            gk = np.einsum(f"{subs}->{keep}", g, *(x for _, x in others), optimize=len(others) > 1)
            missing = "".join(ch for ch in unique if ch not in present)  # summed within X_k only
            gk = gk.reshape(gk.shape + (1,) * len(missing))
            gk = np.transpose(gk, [(keep + missing).index(ch) for ch in unique])
            gk = np.broadcast_to(gk, [size[ch] for ch in unique])
            if len(unique) < len(term):  # a repeated letter: the gradient sits on a diagonal
                full = np.zeros([size[ch] for ch in term], dtype=g.dtype)
                np.einsum(f"{term}->{unique}", full)[...] = gk  # a writable diagonal view
                gk = full
            grads.append(unbroadcast(gk, op.shape).copy())  # gk may be a read-only view
        return tuple(grads)

    recorded = autograd._grad_enabled and any(op._requires_grad for op in operands)
    if recorded and all(0 not in op.shape for op in operands):  # torch's graph, op by op
        return _einsum_graph(terms, out_term, ell, operands)
    # torch's einsum ends in a different op depending on what the equation does
    summed = set("".join(terms)) - set(out_term)
    if len(operands) == 1:
        name = "SumBackward1" if summed else "PermuteBackward0"
    else:
        name = "ViewBackward0" if summed else "MulBackward0"
    return _result(out, tuple(operands), backward, name, tuple(operands))


def _einsum_graph(terms: list, out_term: str, ell: str, operands: tuple) -> Tensor:
    """einsum as torch computes it, so that its graph has torch's nodes: each operand's repeated
    letters taken as diagonals, its missing letters unsqueezed, its dims permuted to one order
    (the output's letters, the ellipsis if summed, then the summed letters, capitals first);
    then the operands contracted left to right (mul, or permute, reshape, bmm, view, permute),
    and the summed dims viewed away (or, for one operand, summed)."""
    summed = sorted(
        set("".join(terms)) - set(out_term) - set(ell), key=lambda ch: (ch.islower(), ch)
    )
    order = out_term + "".join(ch for ch in ell if ch not in out_term) + "".join(summed)
    slot = {ch: k for k, ch in enumerate(order)}
    n_out, n_all = len(out_term), len(order)
    counts = [0] * n_all  # per dim: how many operands have it with a size other than 1
    ops = []
    for term, op in zip(terms, operands, strict=True):
        perm, dim = [-1] * n_all, 0
        for ch in term:
            k = slot[ch]
            if perm[k] == -1:
                if op.shape[dim] != 1:
                    counts[k] += 1
                perm[k], dim = dim, dim + 1
            else:  # a repeated letter: its diagonal, where the letter first stood
                op = op.diagonal(0, perm[k], dim).movedim(-1, perm[k])
        for k in range(n_all):
            if perm[k] == -1:
                op = op.unsqueeze(dim)
                perm[k], dim = dim, dim + 1
        ops.append(op.permute(perm))
    while len(ops) > 1:
        a, b = ops.pop(0), ops.pop(0)
        sum_dims, a_sum, b_sum = [], [], []
        for d in range(n_out, n_all):
            if a.shape[d] != 1 and b.shape[d] != 1:
                counts[d] -= 1
                if counts[d] == 1:
                    sum_dims.append(d)
                    counts[d] = 0
            elif counts[d] == 1:
                if a.shape[d] != 1:
                    a_sum.append(d)
                    counts[d] = 0
                elif b.shape[d] != 1:
                    b_sum.append(d)
                    counts[d] = 0
        if a_sum:
            a = a.sum(a_sum, True)
        if b_sum:
            b = b.sum(b_sum, True)
        ops.insert(0, _sumproduct_pair(a, b, sum_dims))
    result = ops[0]
    if n_all > n_out:
        if len(operands) > 1:
            return result.view(result.shape[:n_out])
        return result.sum(list(range(n_out, n_all)))
    return result


def _sumproduct_pair(left: Tensor, right: Tensor, sum_dims: list) -> Tensor:
    """left * right summed over `sum_dims` (kept as size 1), as torch's einsum computes it: a
    product when nothing is summed, else one bmm of the two permuted and reshaped to
    (shared, left's own, summed) and (shared, summed, right's own)."""
    if not sum_dims:
        return left * right
    lro, lo, ro = [], [], []
    sizes = {"lro": 1, "lo": 1, "ro": 1, "sum": 1}
    for i in range(left.ndim):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:
            if sl and sr:
                sizes["sum"] *= left.shape[i]
            elif sl:
                left = left.sum(i, True)
            elif sr:
                right = right.sum(i, True)
        elif sl and sr:
            lro.append(i)
            sizes["lro"] *= left.shape[i]
        elif sl:
            lo.append(i)
            sizes["lo"] *= left.shape[i]
        else:
            ro.append(i)
            sizes["ro"] *= right.shape[i]
    out_size = [left.shape[d] for d in lro + lo] + [1] * len(sum_dims)
    out_size += [right.shape[d] for d in ro]
    lperm = lro + lo + sum_dims + ro
    rperm = lro + sum_dims + ro + lo
    operm = [0] * len(lperm)
    for k, d in enumerate(lro + lo + sum_dims + ro):
        operm[d] = k
    left = left.permute(lperm).reshape(sizes["lro"], sizes["lo"], sizes["sum"])
    right = right.permute(rperm).reshape(sizes["lro"], sizes["sum"], sizes["ro"])
    return left.bmm(right).view(out_size).permute(operm)


# -- more of torch's API: dot, mv, outer ----------------------------------------------------------


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Σ a_i b_i of two 1-D tensors of one dtype (torch.dot): a 0-d tensor.

    >>> dot(tensor([1.0, 2.0]), tensor([3.0, 4.0]))
    tensor(11.)
    """
    _check_dot_arg(input, "input", 1)
    _check_dot_arg(tensor, "tensor", 2)
    a, b = input._array, tensor._array
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{input.dtype.scalar_name} and {tensor.dtype.scalar_name}"
        )
    if a.shape != b.shape:
        n, m = len(a), len(b)
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
            f"number of elements, but got {n} and {m} elements respectively"
        )
    if a.dtype == np.bool_:
        raise NotImplementedError("\"dot\" not implemented for 'Bool'")
    out = np.asarray(np.dot(a, b))

    def backward(g):  # d Σ a_i b_i = b da + a db
        return g * b, g * a

    return _result(out, (input, tensor), backward, "DotBackward0", (input, tensor))


def _check_dot_arg(t, arg: str, pos: int) -> None:
    if not isinstance(t, Tensor):
        raise TypeError(
            f"dot(): argument '{arg}' (position {pos}) must be Tensor, not {type(t).__name__}"
        )


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix times vector (torch.mv): (m, n)·(n,) → (m,), one dtype, no broadcasting."""
    a, v = input._array, vec._array
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
            f"vec ({v.shape[0]})"
        )
    if a.dtype != v.dtype:
        vt, mt = vec.dtype.scalar_name, input.dtype.scalar_name
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {vt}, {mt}, and {vt}"
        )
    if a.dtype == np.bool_:
        raise NotImplementedError("\"addmv_impl_cpu\" not implemented for 'Bool'")
    out = a @ v

    def backward(g):  # d (A v) = dA v + A dv: dA = g vᵀ, dv = Aᵀ g
        return np.outer(g, v), a.T @ g

    return _result(out, (input, vec), backward, "MvBackward0", (input, vec))


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """a_i b_j for 1-D a and b (torch.outer): a column times a row, with type promotion.

    >>> outer(tensor([1, 2]), tensor([1, 10]))
    tensor([[ 1, 10],
            [ 2, 20]])
    """
    for name, t in (("self", input), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return input.reshape(-1, 1) * vec2  # as torch computes it (so its grad_fn is MulBackward0)


# -- tensordot, kron, cdist -----------------------------------------------------------------------


def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Σ over paired dims of a and b (torch.tensordot): dims=n pairs a's last n dims with b's
    first n; dims=([i, ...], [j, ...]) pairs a's dim i with b's dim j. Computed as torch does:
    both permuted and reshaped to matrices, one mm, reshaped back.

    >>> tensordot(ones(2, 3), ones(3, 4), dims=1).shape
    torch.Size([2, 4])
    """
    if isinstance(dims, Tensor):  # two rows of dims, or one number
        dims = dims.tolist() if dims.numel() > 1 else int(dims.item())
    if not isinstance(dims, (tuple, list, int)):
        raise RuntimeError(
            "tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] "
            f"containing two lists, but got dims={dims}"
        )
    if isinstance(dims, (tuple, list)):
        dims_a, dims_b = dims
        for k, (name, d) in enumerate((("dims_self", dims_a), ("dims_other", dims_b))):
            if not isinstance(d, (tuple, list)):
                raise TypeError(
                    f"tensordot(): argument '{name}' (position {k + 3}) must be tuple of ints, "
                    f"not {type(d).__name__}"
                )
        dims_a, dims_b = list(dims_a), list(dims_b)
        if len(dims_a) != len(dims_b):
            raise RuntimeError("both dimension lists should have same length")
    else:
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    if a._array.dtype != b._array.dtype:
        raise RuntimeError("both inputs should have same dtype")
    t1, t2, size = a, b, 1
    for da, db in zip(dims_a, dims_b, strict=True):
        s1, s2 = a.shape[_wrap_dim(da, a.ndim)], b.shape[_wrap_dim(db, b.ndim)]
        if s2 == 1:  # a broadcast dim: summed at once
            t1 = t1.sum(da, True)
        elif s1 == 1:
            t2 = t2.sum(db, True)
        elif s1 != s2:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {s1} in dim {da} and "
                f"second has size {s2} in dim {db}"
            )
        else:
            size *= s1
    ca = [_wrap_dim(d, a.ndim) for d in dims_a]
    cb = [_wrap_dim(d, b.ndim) for d in dims_b]
    keep_a = [d for d in range(a.ndim) if d not in ca]
    keep_b = [d for d in range(b.ndim) if d not in cb]
    rows = math.prod(a.shape[d] for d in keep_a)
    cols = math.prod(b.shape[d] for d in keep_b)
    m1 = t1.permute(keep_a + ca).reshape(rows, size)
    m2 = t2.permute(cb + keep_b).reshape(size, cols)
    return mm(m1, m2).reshape([a.shape[d] for d in keep_a] + [b.shape[d] for d in keep_b])


def _unsafe_view(t: Tensor, shape: tuple) -> Tensor:
    """t reshaped, recorded as torch's _unsafe_view (a reshape that autograd does not treat
    as a view)."""

    def backward(g):  # a reshape: the gradient reshaped back
        return (g.reshape(t.shape),)

    return _result(t._array.reshape(shape).copy(), (t,), backward, "UnsafeViewBackward0")


def kron(input: Tensor, other: Tensor) -> Tensor:
    """The Kronecker product (torch.kron): each element a_i of input times all of other, laid
    out in blocks; shape (a₀·b₀, a₁·b₁, ...) after padding the shorter shape with leading 1s.

    >>> kron(tensor([1, 10]), tensor([1, 2]))
    tensor([ 1,  2, 10, 20])
    """
    _check_tensor_arg(input, "kron", "input", 1)
    _check_tensor_arg(other, "kron", "other", 2)
    n = max(input.ndim, other.ndim)
    sa = (1,) * (n - input.ndim) + tuple(input.shape)
    sb = (1,) * (n - other.ndim) + tuple(other.shape)
    a = _unsafe_view(input, [s for k in sa for s in (k, 1)])  # a_i at even dims
    b = _unsafe_view(other, [s for k in sb for s in (1, k)])  # b_j at odd dims
    return _unsafe_view(a * b, [i * j for i, j in zip(sa, sb, strict=True)])


_CDIST_MODES = {
    "use_mm_for_euclid_dist_if_necessary": 0,
    "use_mm_for_euclid_dist": 1,
    "donot_use_mm_for_euclid_dist": 2,
}


def cdist(
    x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"
):
    """The p-norm distance between each row of x1 and each row of x2 (torch.cdist), batch dims
    broadcast. For p=2 with more than 25 rows, torch (and this) use ‖x‖² − 2 x·y + ‖y‖² with one
    matrix product, clamped at 1e-30 before the square root.

    Shape: x1 (*, P, M), x2 (*, R, M) → (*, P, R).

    >>> cdist(tensor([[0.0, 0.0]]), tensor([[3.0, 4.0], [0.0, 1.0]]))
    tensor([[5., 1.]])
    """
    if compute_mode not in _CDIST_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    mode = _CDIST_MODES[compute_mode]
    _check_tensor_arg(x1, "cdist", "x1", 1)
    _check_tensor_arg(x2, "cdist", "x2", 2)
    for name, t in (("X1", x1), ("X2", x2)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {t.ndim}D")
    c1, c2 = x1.shape[-1], x2.shape[-1]
    if c1 != c2:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {c1} X2: {c2}")
    for name, t in (("X1", x1), ("X2", x2)):
        if t._array.dtype.kind != "f":
            raise RuntimeError(
                f"cdist only supports floating-point dtypes, {name} got: {t.dtype.scalar_name}"
            )
    if not p >= 0:  # nan too
        raise RuntimeError("cdist only supports non-negative p values")
    try:
        batch = np.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    except ValueError:
        raise _broadcast_error(x1.shape[:-2], x2.shape[:-2]) from None
    if x1._array.dtype != x2._array.dtype:
        raise RuntimeError(
            f"expected scalar type {x1.dtype.scalar_name} but found {x2.dtype.scalar_name}"
        )
    r1, r2 = x1.shape[-2], x2.shape[-2]
    if x1.numel() and x2.numel() and p == 2 and (mode == 1 or (mode == 0 and (r1 > 25 or r2 > 25))):
        return _euclidean_cdist(x1, x2, batch)
    return _cdist(x1, x2, float(p), batch)


def _euclidean_cdist(x1: Tensor, x2: Tensor, batch: tuple) -> Tensor:
    """torch's matrix-product form of the 2-norm distance, composed of course_lib's ops."""
    from .joining import cat  # joining imports nothing from here; imported late all the same

    b = math.prod(batch)
    t1 = x1.expand(*batch, *x1.shape[-2:]).contiguous().view(b, *x1.shape[-2:])
    t2 = x2.expand(*batch, *x2.shape[-2:]).contiguous().view(b, *x2.shape[-2:])
    n1, n2 = t1.pow(2).sum(-1, True), t2.pow(2).sum(-1, True)
    a = cat([t1.mul(-2), n1, _ones_like(n1)], -1)
    c = cat([t2, _ones_like(n2), n2], -1)
    result = a.matmul(c.mT)
    result.clamp_min_(1e-30).sqrt_()
    return result.view(*batch, x1.shape[-2], x2.shape[-2])


def _ones_like(t: Tensor) -> Tensor:
    return Tensor._wrap(np.ones(t.shape, t._array.dtype))


def _cdist_blocks(a: np.ndarray, b: np.ndarray):
    """(rows, a[..., rows, None, :] - b[..., None, :, :]) in blocks of rows of a, so that the
    differences (*, P, R, M) never take more than a few million numbers at once."""
    per_row = max(1, math.prod(b.shape[:-2]) * b.shape[-2] * b.shape[-1])
    step = max(1, 4_000_000 // per_row)
    for start in range(0, a.shape[-2], step):
        rows = slice(start, start + step)
        yield rows, a[..., rows, None, :] - b[..., None, :, :]


def _cdist(x1: Tensor, x2: Tensor, p: float, batch: tuple) -> Tensor:
    a = np.broadcast_to(x1._array, batch + x1.shape[-2:])
    b = np.broadcast_to(x2._array, batch + x2.shape[-2:])
    out = np.empty(batch + (a.shape[-2], b.shape[-2]), dtype=a.dtype)
    with quiet:
        for rows, diff in _cdist_blocks(a, b):  # diff: (*, rows, R, M)
            x = np.abs(diff)
            if p == 0:
                out[..., rows, :] = (x != 0).sum(-1)
            elif p == 1:
                out[..., rows, :] = x.sum(-1)
            elif p == 2:
                out[..., rows, :] = np.sqrt((x * x).sum(-1))
            elif p == math.inf:
                out[..., rows, :] = x.max(-1, initial=0)
            else:
                out[..., rows, :] = (x**p).sum(-1) ** (1 / p)

    def backward(g):  # each distance's gradient along its difference vector (torch's cases)
        g1 = np.zeros(a.shape, dtype=g.dtype)
        g2 = np.zeros(b.shape, dtype=g.dtype)
        with quiet:
            for rows, diff in _cdist_blocks(a, b):
                x, d, gg = np.abs(diff), out[..., rows, :, None], g[..., rows, :, None]
                if p == 0:
                    continue
                if p == 1:  # d Σ|x| = sign(x)
                    grad = np.sign(diff) * gg
                elif p == 2:  # d ‖x‖ = x / ‖x‖, 0 at a zero distance
                    grad = np.where(d == 0, 0, diff * gg / d)
                elif p == math.inf:  # sign(x) where |x| is the max (no sharing between ties)
                    grad = np.sign(diff) * (x == d) * gg
                elif p < 2:  # sign(x) |x|^(p−1) / ‖x‖^(p−1); 0 at a zero distance, or x = 0 (p < 1)
                    zero = (d == 0) | ((diff == 0) & (p < 1))
                    grad = np.where(zero, 0, np.sign(diff) * x ** (p - 1) * gg / d ** (p - 1))
                else:  # x |x|^(p−2) / ‖x‖^(p−1)
                    grad = np.where(d == 0, 0, diff * x ** (p - 2) * gg / d ** (p - 1))
                g1[..., rows, :] = grad.sum(-2)
                g2 -= grad.sum(-3)
        return (
            unbroadcast(g1, x1.shape) if x1._requires_grad else None,
            unbroadcast(g2, x2.shape) if x2._requires_grad else None,
        )

    return _result(out, (x1, x2), backward, "CdistBackward0", (x1, x2, OUT))


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """The cross product along `dim` (torch.cross); with no `dim`, along the first dim of size
    3 (with torch's warning: give `dim`, or use linalg.cross, whose default is the last dim).

    >>> cross(tensor([1.0, 0.0, 0.0]), tensor([0.0, 1.0, 0.0]), dim=0)
    tensor([0., 0., 1.])
    """
    from ..linalg import _cross

    _check_tensor_arg(input, "cross", "input", 1)
    _check_tensor_arg(other, "cross", "other", 2)
    if dim is None:
        _warn_once(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass "
            "the dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will "
            "change to agree with that of linalg.cross in a future release."
        )
        sizes = list(input.shape)
        if 3 not in sizes:
            raise RuntimeError("no dimension of size 3 in input")
        dim = sizes.index(3)
    return _cross(input, other, dim, "linalg.cross: ")
