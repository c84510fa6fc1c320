"""Notebook 04 (`matmul` vs `mm`): shape rules, predicted shapes and batched attention scores.

The shape references follow torch's rules; a test checks them against course_lib's own `mm` and
`matmul` on every case. A shape torch refuses must raise ValueError."""

from __future__ import annotations

import math

import numpy as np

from .._ops.linalg import bmm, matmul
from ..creation import tensor, zeros
from ._check import Seq, Shape, exercise

_MM_CASES = [
    ((2, 3), (3, 4)), ((4, 1), (1, 5)), ((1, 6), (6, 1)), ((0, 3), (3, 4)), ((2, 0), (0, 4)),
    ((2, 3), (4, 5)), ((3, 2), (3, 2)), ((4, 1), (4, 5)),
    ((3,), (3, 4)), ((2, 3), (3,)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((), (3, 4)),
]  # fmt: skip


def _shape_cases(pairs):
    return lambda: [(f"shapes {a} and {b}", (a, b)) for a, b in pairs]


def mm_shape_reference(a_shape, b_shape):
    if len(a_shape) != 2 or len(b_shape) != 2:
        raise ValueError("mm takes two 2-D matrices")
    m, n = a_shape
    n2, p = b_shape
    if n != n2:
        raise ValueError(f"mat1 and mat2 shapes cannot be multiplied ({m}x{n} and {n2}x{p})")
    return (m, p)


def _mm_no_rank_check(a, b):
    if a[-1] != b[0]:
        raise ValueError("inner dims differ")
    return (*a[:-1], *b[1:])


exercise(
    "4.1",
    task="return the shape of torch.mm(a, b) as a tuple, or raise ValueError when mm refuses it",
    hints=[
        "torch.mm takes exactly two 2-D matrices: (m, n) times (n, p). Check the number of dims of each shape first, then the sizes that must agree.",
        "Raise ValueError unless len(a_shape) == len(b_shape) == 2; then the columns of the first (a_shape[1]) must equal the rows of the second (b_shape[0]); the result takes its rows from a and its columns from b.",
        "if len(a_shape) != 2 or len(b_shape) != 2: raise ValueError(...); m, n = a_shape; n2, p = b_shape; if n != n2: raise ValueError(...); return (m, p)",
    ],
    reference=mm_shape_reference,
    cases=_shape_cases(_MM_CASES),
    mistakes={
        "you did not check the inner dims: the columns of the first matrix and the rows of the "
        "second must be equal": lambda a, b: (a[0], b[1]),
        "mm accepts 2-D shapes only; vectors and batches are matmul's job, so raise ValueError "
        "for any other number of dims": _mm_no_rank_check,
        "your shape is transposed: the result (m, p) takes its rows from the first matrix and its "
        "columns from the second": lambda a, b: mm_shape_reference(b[::-1], a[::-1]),
    },
    done="5 valid products (0-size dims included) and 8 refused ones (inner dims, 0-d, 1-D and "
    "3-D shapes)",
)

_MATMUL_CASES = [
    ((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)), ((3,), (3, 1)), ((1, 3), (3,)),
    ((5, 2, 3), (3,)), ((3,), (5, 3, 4)), ((0, 3), (3, 4)), ((2, 0), (0, 4)), ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (5, 3, 4)), ((5, 1, 2, 3), (7, 3, 4)),
    ((6, 5, 2, 3), (5, 3, 4)), ((0, 2, 3), (1, 3, 4)), ((3,), (4,)), ((2, 3), (4,)),
    ((2, 3), (4, 5)), ((5, 2, 3), (5, 4, 4)), ((2, 1), (3, 4)), ((5, 2, 1), (5, 3, 4)),
    ((5, 2, 3), (4, 3, 4)), ((2, 5, 2, 3), (3, 5, 3, 4)), ((), (3,)), ((2, 3), ()),
]  # fmt: skip


def matmul_shape_reference(a_shape, b_shape):
    if len(a_shape) == 0 or len(b_shape) == 0:
        raise ValueError("both arguments to matmul need to be at least 1D")
    a = (1, *a_shape) if len(a_shape) == 1 else tuple(a_shape)
    b = (*b_shape, 1) if len(b_shape) == 1 else tuple(b_shape)
    if a[-1] != b[-2]:
        raise ValueError(f"inner dims differ: {a[-1]} and {b[-2]}")
    batch = tuple(np.broadcast_shapes(a[:-2], b[:-2]))  # raises ValueError when they cannot
    rows = (a[-2],) if len(a_shape) > 1 else ()
    cols = (b[-1],) if len(b_shape) > 1 else ()
    return batch + rows + cols


def _matmul_keeps_ones(a_shape, b_shape):
    a = (1, *a_shape) if len(a_shape) == 1 else tuple(a_shape)
    b = (*b_shape, 1) if len(b_shape) == 1 else tuple(b_shape)
    return matmul_shape_reference(a, b)


def _matmul_no_broadcast(a_shape, b_shape):
    out = matmul_shape_reference(a_shape, b_shape)
    a, b = a_shape[:-2], b_shape[:-2]
    if a and b and a != b:
        raise ValueError("batch dims differ")
    return out


exercise(
    "4.2",
    task="return the shape of torch.matmul(a, b) as a tuple, or raise ValueError when it fails",
    hints=[
        "Turn 1-D operands into matrices first: a (n,) first operand becomes (1, n), a (n,) second operand becomes (n, 1). Remember which you changed: those 1s leave the result.",
        "Split each shape into batch dims (all but the last two) and matrix dims (the last two). The inner sizes must be equal; the batch dims broadcast, right-aligned, like an elementwise op (np.broadcast_shapes raises ValueError when they cannot).",
        "if not a or not b: raise ValueError(...); A = (1,) + a if len(a) == 1 else a; B = b + (1,) if len(b) == 1 else b; if A[-1] != B[-2]: raise ValueError(...); batch = np.broadcast_shapes(A[:-2], B[:-2]); return batch + (A[-2],) if a was at least 2-D (else nothing) + (B[-1],) if b was at least 2-D (else nothing).",
    ],
    reference=matmul_shape_reference,
    cases=_shape_cases(_MATMUL_CASES),
    mistakes={
        "the 1 put in front of a 1-D first operand (or appended to a 1-D second one) is removed "
        "again: a vector operand leaves no dim of its own in the result": _matmul_keeps_ones,
        "batch dims broadcast like elementwise ops (a size 1 or a missing dim stretches)": (
            _matmul_no_broadcast
        ),
    },
    done="27 rank combinations: vectors, batches, broadcasting, 0-size and 0-d",
)

PRODUCTS = [
    ("x @ W", (3,), (3, 4), matmul),
    ("torch.matmul(h, v)", (10, 7, 3), (3,), matmul),
    ("q @ k", (2, 1, 5, 8), (4, 8, 5), matmul),
    ("torch.bmm(q, k)", (4, 5, 8), (1, 8, 5), bmm),
]


def _products():
    out = []
    for _, a, b, op in PRODUCTS:
        try:
            out.append(tuple(op(zeros(a), zeros(b)).shape))
        except RuntimeError:
            out.append("error")
    return out


exercise(
    "4.3",
    task="return your four predicted shapes (a tuple each, or the string 'error'), in order",
    hints=[
        "Work through each product with the rules above: 1-D operands get a 1 added and removed again; batch dims broadcast in matmul (and @), but mm and bmm never broadcast.",
        "Two of the four keep fewer dims than you might expect (a vector operand), one broadcasts a batch dim of size 1, and one is refused.",
        "x @ W: (3,)·(3, 4) → (4,). matmul(h, v): (10, 7, 3)·(3,) → (10, 7). q @ k: batch (2, 1) with (4,) → (2, 4, 5, 5). bmm with batch sizes 4 and 1 → 'error'.",
    ],
    reference=_products,
    form=Seq((Shape(error=True), 4)),
    mistakes={
        "x @ W: the 1 put in front of a 1-D first operand is removed again: x (3,) acts as "
        "(1, 3) and the result (1, 4) loses that 1": [(1, 4), (10, 7), (2, 4, 5, 5), "error"],
        "x @ W: matmul accepts a 1-D first operand (it is mm that refuses it)": [
            "error",
            (10, 7),
            (2, 4, 5, 5),
            "error",
        ],
        "matmul(h, v): the 1 appended to a 1-D second operand is removed again": [
            (4,),
            (10, 7, 1),
            (2, 4, 5, 5),
            "error",
        ],
        "q @ k: batch dims broadcast like elementwise ops: (2, 1) and (4,) broadcast to (2, 4)": [
            (4,),
            (10, 7),
            "error",
            "error",
        ],
        "bmm does not broadcast: its two batch sizes must be equal (4 and 1 here), so it raises "
        "where matmul would give (4, 5, 5)": [(4,), (10, 7), (2, 4, 5, 5), (4, 5, 5)],
    },
    explain=lambda got, truth: (
        "go through the rank rules product by product: "
        + ", ".join(
            e for e, g, t in zip([p[0] for p in PRODUCTS], got, truth, strict=True) if g != t
        )
        + " is not what you wrote"
    ),
    done="all four predictions match what torch computes",
)


def _cases_44():
    rng = np.random.default_rng(4)

    def pair(b, t, s, d):
        q = tensor(rng.standard_normal((b, t, d)).astype(np.float32), requires_grad=True)
        k = tensor(rng.standard_normal((b, s, d)).astype(np.float32), requires_grad=True)
        return (f"q {tuple(q.shape)}, k {tuple(k.shape)}", (q, k))

    return [
        pair(3, 3, 3, 3),
        pair(2, 3, 5, 4),
        pair(1, 1, 6, 4),
        pair(2, 4, 4, 2),
        pair(2, 0, 5, 4),
    ]


def attention_scores_reference(q, k):
    return q @ k.transpose(-2, -1)


exercise(
    "4.4",
    task="return the attention scores q @ kᵀ, shape (B, T, S), for q of shape (B, T, D) and k of shape (B, S, D)",
    hints=[
        "scores[b, i, j] is the dot product of query i with key j in batch entry b: a batched matrix product of q (B, T, D) with k turned into (B, D, S).",
        "Only the last two dims of k must swap; the batch dim stays first. k.T and k.t() are for 2-D matrices (on 3-D, .T reverses every dim and .t() raises).",
        "return q @ k.transpose(-2, -1)   (or q @ k.mT, or torch.bmm(q, k.transpose(1, 2)))",
    ],
    reference=attention_scores_reference,
    cases=_cases_44,
    mistakes={
        "you applied softmax: the task asks for the raw scores q @ kᵀ, before any softmax": (
            lambda q, k: (q @ k.transpose(-2, -1)).softmax(-1)
        ),
        "you divided by √D: that scaling belongs to the attention formula, the task asks for "
        "the raw scores q @ kᵀ": lambda q, k: q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]),
        "you forgot to transpose k: q @ k multiplies queries with the rows of k, not with its "
        "feature vectors; use k.transpose(-2, -1)": lambda q, k: q @ k,
        "you used k.T, which on a 3-D tensor reverses every dim and moves the batch dim last; "
        "only the last two dims should swap: k.transpose(-2, -1)": lambda q, k: (
            q @ k.permute(2, 1, 0)
        ),
        "you transposed the batch dim (dims 0 and 1 of k); the batch dim stays first, swap the "
        "last two: k.transpose(-2, -1)": lambda q, k: q @ k.transpose(0, 1),
        "your scores are transposed: you computed k @ qᵀ, keys against queries; scores[b, i, j] "
        "is query i against key j": lambda q, k: k @ q.transpose(-2, -1),
        "you divided by √D: that is the scaled dot-product attention; this exercise asks for "
        "the raw scores q @ kᵀ": lambda q, k: q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]),
        "you transposed q instead of k: qᵀ @ k is (B, D, D), feature against feature": (
            lambda q, k: q.transpose(-2, -1) @ k
        ),
        "k.t() only transposes 2-D matrices and raises for the 3-D k; swap the last two dims "
        "with k.transpose(-2, -1) (or k.mT)": lambda q, k: q @ k.t(),
    },
    done="q @ kᵀ for a cube, non-square (B, T, S, D), one query and zero queries",
)
