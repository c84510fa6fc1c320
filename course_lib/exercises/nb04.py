"""Notebook 04 (`matmul` vs `mm`): shape rules, predicted shapes and batched attention scores.

The shape exercises are checked against course_lib's own `mm` / `matmul`, called on zero tensors
of the reference shapes: a shape torch accepts must come back as a tuple, a shape torch refuses
must raise ValueError. The first case that goes wrong names the rule that was missed.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np

from ..creation import tensor, zeros
from ..tensor import bmm, matmul, mm
from ._legacy import Mistake, exercise, expect_close, run

# -- shared helpers ----------------------------------------------------------------------------


def _show(shape) -> str:
    """A shape as Python writes the tuple: (3,), (2, 4), ()."""
    return repr(tuple(shape)) if isinstance(shape, tuple) else repr(shape)


def _product(a: tuple, b: tuple, op: str = "matmul") -> str:
    return f"{op}({_show(a)}, {_show(b)})"


def _torch_outcome(op, a: tuple, b: tuple):
    """What course_lib (torch's rules) gives for these shapes: a shape tuple, or the error text."""
    try:
        return tuple(op(zeros(a), zeros(b)).shape)
    except RuntimeError as e:
        return f"RuntimeError: {e}"


def _is_shape(value) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(d, Integral) and not isinstance(d, bool) for d in value
    )


def _learner_outcome(answer, a: tuple, b: tuple, name: str):
    """Call the learner's shape function: ("shape", tuple) or ("ValueError", message)."""
    try:
        got = answer(a, b)
    except NotImplementedError:
        raise
    except ValueError as e:
        return "ValueError", str(e)
    except Exception as e:  # noqa: BLE001  (any other error in learner code is reported)
        op = {"mm": mm, "matmul": matmul}[name]
        truth = _torch_outcome(op, a, b)
        if isinstance(truth, tuple):
            should = f"it is valid, torch gives {_show(truth)}"
        else:
            should = (
                f"torch refuses it ({truth}), so raise ValueError; check the number of dims "
                "before you index a shape"
            )
        raise Mistake(
            f"your code raised {type(e).__name__}: {e} for {_product(a, b, name)}: {should}"
        ) from None
    if isinstance(got, list) and _is_shape(tuple(got)):
        raise Mistake(
            f"your code returned the list {got!r}: return a tuple such as {_show(tuple(got))}, "
            "the way torch.Size compares"
        )
    if not _is_shape(got):
        raise Mistake(
            f"for {_show(a)}, {_show(b)} your code returned {got!r} "
            f"({type(got).__name__}); return a tuple of ints such as (2, 4)"
        )
    return "shape", tuple(int(d) for d in got)


# -- 4.1 mm_shape ------------------------------------------------------------------------------

# (a, b, what makes it invalid); valid cases have reason None
_MM_VALID = [
    ((2, 3), (3, 4)),
    ((4, 1), (1, 5)),
    ((1, 6), (6, 1)),
    ((0, 3), (3, 4)),
    ((2, 0), (0, 4)),
]
_MM_INNER = [((2, 3), (4, 5)), ((3, 2), (3, 2)), ((4, 1), (4, 5))]
_MM_RANK = [((3,), (3, 4)), ((2, 3), (3,)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((), (3, 4))]


@exercise(
    "4.1",
    task="return the shape of torch.mm(a, b) as a tuple, or raise ValueError when mm refuses it",
    hints=[
        "torch.mm takes exactly two 2-D matrices: (m, n) times (n, p). Check the number of dims "
        "of each shape first, then the sizes that must agree.",
        "Raise ValueError unless len(a_shape) == len(b_shape) == 2; then the columns of the first "
        "(a_shape[1]) must equal the rows of the second (b_shape[0]); the result takes its rows "
        "from a and its columns from b.",
        "if len(a_shape) != 2 or len(b_shape) != 2: raise ValueError(...); "
        "m, n = a_shape; n2, p = b_shape; if n != n2: raise ValueError(...); return (m, p)",
    ],
)
def mm_shape(answer) -> str:
    for a, b in _MM_VALID:
        expected = _torch_outcome(mm, a, b)
        kind, got = _learner_outcome(answer, a, b, "mm")
        if kind == "ValueError":
            zero = " (a size of 0 is allowed)" if 0 in a + b else ""
            raise Mistake(
                f"{_product(a, b, 'mm')} is valid{zero}: torch gives shape {_show(expected)}, "
                f"but your code raised ValueError: {got}"
            )
        if got != expected:
            if got == expected[::-1]:
                raise Mistake(
                    f"your shape for {_product(a, b, 'mm')} is {_show(got)}, transposed: the "
                    f"result (m, p) takes its rows from the first matrix and its columns from "
                    f"the second, {_show(expected)}"
                )
            raise Mistake(
                f"your shape for {_product(a, b, 'mm')} is {_show(got)}, but torch gives "
                f"{_show(expected)}: (m, n)·(n, p) is (m, p)"
            )
    for a, b in _MM_INNER:
        kind, got = _learner_outcome(answer, a, b, "mm")
        if kind == "shape":
            raise Mistake(
                f"{_product(a, b, 'mm')} must raise ValueError, but your code returned "
                f"{_show(got)}: you did not check the inner dims, the columns of the first "
                f"({a[1]}) and the rows of the second ({b[0]}) must be equal; torch says "
                f"'{_torch_outcome(mm, a, b)}'"
            )
    for a, b in _MM_RANK:
        kind, got = _learner_outcome(answer, a, b, "mm")
        if kind == "shape":
            raise Mistake(
                f"{_product(a, b, 'mm')} must raise ValueError, but your code returned "
                f"{_show(got)}: mm accepts 2-D shapes only (torch says "
                f"'{_torch_outcome(mm, a, b)}'); vectors and batches are matmul's job"
            )
    return (
        f"{len(_MM_VALID)} valid products (0-size dims included) and "
        f"{len(_MM_INNER) + len(_MM_RANK)} refused ones (inner dims, 0-d, 1-D and 3-D shapes)"
    )


# -- 4.2 matmul_shape --------------------------------------------------------------------------

_DROP_FRONT = "the 1 put in front of a 1-D first operand is removed again"
_DROP_BACK = "the 1 appended to a 1-D second operand is removed again"
_BROADCAST = "batch dims broadcast like elementwise ops (a size 1 or a missing dim stretches)"
_MATRIX_ONLY = "only the batch dims broadcast: the inner sizes must be equal, a 1 does not stretch"

# (a, b, rule that explains the case): in order, so the first failure names the simplest rule
_MATMUL_CASES = [
    ((2, 3), (3, 4), "(m, n)·(n, p) is (m, p)"),
    ((3,), (3, 4), _DROP_FRONT),
    ((2, 3), (3,), _DROP_BACK),
    ((3,), (3,), f"a dot product is 0-d, shape (): {_DROP_FRONT} and {_DROP_BACK}"),
    ((3,), (3, 1), _DROP_FRONT),
    ((1, 3), (3,), _DROP_BACK),
    ((5, 2, 3), (3,), _DROP_BACK),
    ((3,), (5, 3, 4), _DROP_FRONT),
    ((0, 3), (3, 4), "a size of 0 is allowed"),
    ((2, 0), (0, 4), "a size of 0 is allowed (the result is all zeros)"),
    ((5, 2, 3), (3, 4), "a matrix is reused for every batch entry"),
    ((2, 3), (5, 3, 4), "a matrix is reused for every batch entry"),
    ((5, 2, 3), (5, 3, 4), "equal batch dims are kept"),
    ((1, 2, 3), (5, 3, 4), _BROADCAST),
    ((5, 1, 2, 3), (7, 3, 4), _BROADCAST),
    ((6, 5, 2, 3), (5, 3, 4), _BROADCAST),
    ((0, 2, 3), (1, 3, 4), f"{_BROADCAST}; 1 against 0 gives 0"),
    ((3,), (4,), "the two vectors must have the same length"),
    ((2, 3), (4,), "the vector's length must equal the matrix's columns"),
    ((2, 3), (4, 5), "the inner dims must be equal"),
    ((5, 2, 3), (5, 4, 4), "the inner dims must be equal"),
    ((2, 1), (3, 4), _MATRIX_ONLY),
    ((5, 2, 1), (5, 3, 4), _MATRIX_ONLY),
    ((5, 2, 3), (4, 3, 4), "batch dims 5 and 4 cannot broadcast (neither is 1)"),
    ((2, 5, 2, 3), (3, 5, 3, 4), "batch dims 2 and 3 cannot broadcast (neither is 1)"),
    ((), (3,), "matmul needs both operands at least 1-D: a 0-d tensor is refused"),
    ((2, 3), (), "matmul needs both operands at least 1-D: a 0-d tensor is refused"),
]


def _kept_one(a: tuple, b: tuple, expected: tuple) -> set:
    """The shapes a solution gives when it forgets to remove the 1 added to a 1-D operand."""
    wrong = set()
    if len(a) == 1 and len(b) == 1:
        wrong |= {(1, 1), (1,)}
    elif len(a) == 1:
        wrong.add(expected[:-1] + (1,) + expected[-1:])
    elif len(b) == 1:
        wrong.add(expected + (1,))
    return wrong


@exercise(
    "4.2",
    task="return the shape of torch.matmul(a, b) as a tuple, or raise ValueError when it fails",
    hints=[
        "Turn 1-D operands into matrices first: a (n,) first operand becomes (1, n), a (n,) "
        "second operand becomes (n, 1). Remember which you changed: those 1s leave the result.",
        "Split each shape into batch dims (all but the last two) and matrix dims (the last "
        "two). The inner sizes must be equal; the batch dims broadcast, right-aligned, like an "
        "elementwise op (np.broadcast_shapes raises ValueError when they cannot).",
        "if not a or not b: raise ValueError(...); A = (1,) + a if len(a) == 1 else a; "
        "B = b + (1,) if len(b) == 1 else b; if A[-1] != B[-2]: raise ValueError(...); "
        "batch = np.broadcast_shapes(A[:-2], B[:-2]); return batch + (A[-2],) if a was at least "
        "2-D (else nothing) + (B[-1],) if b was at least 2-D (else nothing).",
    ],
)
def matmul_shape(answer) -> str:
    for a, b, rule in _MATMUL_CASES:
        expected = _torch_outcome(matmul, a, b)
        kind, got = _learner_outcome(answer, a, b, "matmul")
        if isinstance(expected, tuple):
            if kind == "ValueError":
                raise Mistake(
                    f"{_product(a, b)} is valid, torch gives {_show(expected)}: {rule}; but "
                    f"your code raised ValueError: {got}"
                )
            if got == expected:
                continue
            if got in _kept_one(a, b, expected) and len(a) + len(b) > 2:
                rule = _DROP_FRONT if len(a) == 1 else _DROP_BACK
            raise Mistake(
                f"your shape for {_product(a, b)} is {_show(got)}, torch gives "
                f"{_show(expected)}: {rule}"
            )
        if kind == "shape":
            raise Mistake(
                f"{_product(a, b)} must raise ValueError ({rule}), but your code returned "
                f"{_show(got)}; torch says '{expected}'"
            )
    return f"{len(_MATMUL_CASES)} rank combinations: vectors, batches, broadcasting, 0-size and 0-d"


# -- 4.3 predict, then run ---------------------------------------------------------------------

# (the expression, a shape, b shape, op) for the four products the learner predicts
PRODUCTS = [
    ("x @ W", (3,), (3, 4), matmul),
    ("torch.matmul(h, v)", (10, 7, 3), (3,), matmul),
    ("q @ k", (2, 1, 5, 8), (4, 8, 5), matmul),
    ("torch.bmm(q, k)", (4, 5, 8), (1, 8, 5), bmm),
]
_PREDICTION_MISTAKES = [
    {
        (1, 4): f"{_DROP_FRONT}: x (3,) acts as (1, 3) and the result (1, 4) loses that 1",
        "error": "matmul accepts a 1-D first operand (it is mm that refuses it): "
        "x acts as a row (1, 3)",
    },
    {
        (10, 7, 1): f"{_DROP_BACK}: v (3,) acts as (3, 1) and the result loses that 1",
        "error": "matmul accepts a batch times a vector: v multiplies each of the 10 (7, 3) "
        "matrices",
    },
    {
        (2, 1, 5, 5): f"{_BROADCAST}: the batch dims (2, 1) and (4,) broadcast to (2, 4)",
        (2, 5, 5): f"{_BROADCAST}: the batch dims (2, 1) and (4,) broadcast to (2, 4)",
        "error": f"{_BROADCAST}: the batch dims (2, 1) and (4,) broadcast to (2, 4)",
    },
    {
        (4, 5, 5): "bmm does not broadcast: its two batch sizes must be equal (4 and 1 "
        "here), so it raises where matmul would give (4, 5, 5)",
    },
]


@exercise(
    "4.3",
    task="return your four predicted shapes (a tuple each, or the string 'error'), in order",
    hints=[
        "Work through each product with the rules above: 1-D operands get a 1 added and removed "
        "again; batch dims broadcast in matmul (and @), but mm and bmm never broadcast.",
        "Two of the four keep fewer dims than you might expect (a vector operand), one "
        "broadcasts a batch dim of size 1, and one is refused.",
        "x @ W: (3,)·(3, 4) → (4,). matmul(h, v): (10, 7, 3)·(3,) → (10, 7). "
        "q @ k: batch (2, 1) with (4,) → (2, 4, 5, 5). bmm with batch sizes 4 and 1 → 'error'.",
    ],
)
def predict_shapes(answer) -> str:
    got = run(answer) if callable(answer) else answer
    if not isinstance(got, (list, tuple)) or len(got) != len(PRODUCTS):
        raise Mistake(
            f"return a list of {len(PRODUCTS)} predictions (one per product, in order), "
            f"got {got!r:.80}"
        )
    for (expr, a, b, op), guess, mistakes in zip(PRODUCTS, got, _PREDICTION_MISTAKES, strict=True):
        truth = _torch_outcome(op, a, b)
        where = f"{expr} with shapes {_show(a)} and {_show(b)}"
        if isinstance(guess, Integral) and not isinstance(guess, bool):
            raise Mistake(
                f"for {where} you wrote the number {guess}: write a shape as a tuple, e.g. "
                f"({guess},) with its comma"
            )
        if isinstance(guess, list):
            guess = tuple(guess)
        if isinstance(guess, str):
            guess = guess.strip().lower()
            if guess != "error":
                raise Mistake(f"for {where} write a tuple or the string 'error', got {guess!r}")
        elif not _is_shape(guess):
            raise Mistake(f"for {where} write a tuple or the string 'error', got {guess!r:.60}")
        right = "error" if isinstance(truth, str) else truth
        if guess == right:
            continue
        if right == "error":
            said = f"{where} raises ({truth}), it does not give {_show(guess)}"
        elif guess == "error":
            said = f"{where} does not raise, it gives {_show(right)}"
        else:
            said = f"{where} gives {_show(right)}, not {_show(guess)}"
        reason = mistakes.get(guess, "go through the rank rules above step by step")
        raise Mistake(f"{said}: {reason}")
    return "all four predictions match what torch computes"


# -- 4.4 batched attention scores --------------------------------------------------------------


@exercise(
    "4.4",
    task="return the attention scores q @ kᵀ, shape (B, T, S), for q of shape (B, T, D) and "
    "k of shape (B, S, D)",
    hints=[
        "scores[b, i, j] is the dot product of query i with key j in batch entry b: a batched "
        "matrix product of q (B, T, D) with k turned into (B, D, S).",
        "Only the last two dims of k must swap; the batch dim stays first. k.T and k.t() are "
        "for 2-D matrices (on 3-D, .T reverses every dim and .t() raises).",
        "return q @ k.transpose(-2, -1)   (or q @ k.mT, or torch.bmm(q, k.transpose(1, 2)))",
    ],
)
def attention_scores(answer) -> str:
    rng = np.random.default_rng(4)

    def pair(b, t, s, d):
        q = rng.standard_normal((b, t, d)).astype(np.float32)
        k = rng.standard_normal((b, s, d)).astype(np.float32)
        return q, k

    # a cube first: every transpose mistake still runs there, so its value can be recognised
    cases = [pair(3, 3, 3, 3), pair(2, 3, 5, 4), pair(1, 1, 6, 4), pair(2, 4, 4, 2)]
    cases.append(pair(2, 0, 5, 4))  # no queries at all: a (2, 0, 5) result
    for q, k in cases:
        b, t, d = q.shape
        s = k.shape[1]
        q64, k64 = q.astype(np.float64), k.astype(np.float64)
        expected = q64 @ np.swapaxes(k64, -2, -1)
        try:
            got = run(answer, tensor(q), tensor(k))
        except Mistake as m:
            if "t() expects a tensor with <= 2 dimensions" in m.message:
                raise Mistake(
                    "k.t() only transposes 2-D matrices and raises for the 3-D k; swap the "
                    "last two dims with k.transpose(-2, -1) (or k.mT)"
                ) from None
            raise
        wrong = {}
        if t == s == d == b:  # the shapes where the mistakes below still run
            wrong = {
                "you forgot to transpose k: q @ k multiplies queries with the rows of k, not "
                "with its feature vectors; use k.transpose(-2, -1)": q64 @ k64,
                "you used k.T, which on a 3-D tensor reverses every dim and moves the batch "
                "dim last; only the last two dims should swap: k.transpose(-2, -1)": (
                    q64 @ np.transpose(k64, (2, 1, 0))
                ),
                "you transposed the batch dim (dims 0 and 1 of k); the batch dim stays first, "
                "swap the last two: k.transpose(-2, -1)": q64 @ np.swapaxes(k64, 0, 1),
                "your scores are transposed: you computed k @ qᵀ, keys against queries; "
                "scores[b, i, j] is query i against key j": np.swapaxes(expected, -2, -1),
                "you divided by √D: that is the scaled dot-product attention; this exercise "
                "asks for the raw scores q @ kᵀ": expected / math.sqrt(d),
                "you transposed q instead of k: qᵀ @ k is (B, D, D), feature against feature": (
                    np.swapaxes(q64, -2, -1) @ k64
                ),
            }
        expect_close(
            got,
            expected,
            wrong=wrong,
            what=f"scores for q of shape {q.shape} and k of shape {k.shape}",
            rtol=1e-4,
            atol=1e-5,
        )
    return "q @ kᵀ for a cube, non-square (B, T, S, D), one query and zero queries"
