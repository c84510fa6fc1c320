"""Exercise cases for notebook 04: a correct answer and diagnosed wrong answers per exercise."""

import math
import warnings

import numpy as np

import course_lib as torch

# -- 4.1 mm_shape ------------------------------------------------------------------------------


def mm_shape(a, b):
    if len(a) != 2 or len(b) != 2:
        raise ValueError(f"mm needs two matrices, got {len(a)}-D and {len(b)}-D shapes")
    (m, n), (n2, p) = a, b
    if n != n2:
        raise ValueError(f"mat1 and mat2 shapes cannot be multiplied ({m}x{n} and {n2}x{p})")
    return (m, p)


def mm_transposed(a, b):
    return mm_shape(a, b)[::-1]


def mm_no_inner_check(a, b):
    if len(a) != 2 or len(b) != 2:
        raise ValueError("mm needs two matrices")
    return (a[0], b[1])


def mm_accepts_any_rank(a, b):  # checks the inner dims, but takes vectors and batches too
    if a[-1] != b[0]:
        raise ValueError("inner dims differ")
    return a[:-1] + b[1:]


def mm_indexes_blindly(a, b):  # IndexError on a 1-D shape instead of a ValueError
    if a[1] != b[0]:
        raise ValueError("inner dims differ")
    return (a[0], b[1])


def mm_zero_is_not_a_size(a, b):
    if len(a) != 2 or len(b) != 2 or not all(a + b):
        raise ValueError("bad shape")
    return mm_shape(a, b)


def mm_returns_list(a, b):
    return list(mm_shape(a, b))


# -- 4.2 matmul_shape --------------------------------------------------------------------------


def matmul_shape(a, b):
    if len(a) == 0 or len(b) == 0:
        raise ValueError("both arguments to matmul need to be at least 1D")
    A = (1, *a) if len(a) == 1 else a
    B = (*b, 1) if len(b) == 1 else b
    if A[-1] != B[-2]:
        raise ValueError(f"inner dims differ: {A[-1]} and {B[-2]}")
    batch = np.broadcast_shapes(A[:-2], B[:-2])
    return batch + (A[-2],) * (len(a) > 1) + (B[-1],) * (len(b) > 1)


def matmul_keeps_the_ones(a, b):
    if len(a) == 0 or len(b) == 0:
        raise ValueError("0-d")
    A = (1, *a) if len(a) == 1 else a
    B = (*b, 1) if len(b) == 1 else b
    if A[-1] != B[-2]:
        raise ValueError("inner dims differ")
    return np.broadcast_shapes(A[:-2], B[:-2]) + (A[-2], B[-1])


def matmul_no_batch_broadcasting(a, b):
    """Batch dims must be equal (or one side has none): a (1, ...) batch is not stretched."""
    if len(a) == 0 or len(b) == 0:
        raise ValueError("0-d")
    A = (1, *a) if len(a) == 1 else a
    B = (*b, 1) if len(b) == 1 else b
    if A[-1] != B[-2]:
        raise ValueError("inner dims differ")
    batch_a, batch_b = A[:-2], B[:-2]
    if batch_a and batch_b and batch_a != batch_b:
        raise ValueError(f"batch dims differ: {batch_a} and {batch_b}")
    return (batch_a or batch_b) + (A[-2],) * (len(a) > 1) + (B[-1],) * (len(b) > 1)


def matmul_broadcasts_matrix_dims(a, b):
    """Lets an inner size of 1 stretch, as if the matrix dims broadcast too."""
    if len(a) == 0 or len(b) == 0:
        raise ValueError("0-d")
    A = (1, *a) if len(a) == 1 else a
    B = (*b, 1) if len(b) == 1 else b
    if A[-1] != B[-2] and 1 not in (A[-1], B[-2]):
        raise ValueError("inner dims differ")
    batch = np.broadcast_shapes(A[:-2], B[:-2])
    return batch + (A[-2],) * (len(a) > 1) + (B[-1],) * (len(b) > 1)


def matmul_accepts_0d(a, b):
    if len(a) == 0 or len(b) == 0:
        return a or b
    return matmul_shape(a, b)


# -- 4.3 predictions ---------------------------------------------------------------------------


def predictions():
    return [(4,), (10, 7), (2, 4, 5, 5), "error"]


def kept_the_one():
    return [(1, 4), (10, 7), (2, 4, 5, 5), "error"]


def no_broadcast():
    return [(4,), (10, 7), (2, 1, 5, 5), "error"]


def bmm_broadcasts():
    return [(4,), (10, 7), (2, 4, 5, 5), (4, 5, 5)]


def vector_refused():
    return [(4,), "error", (2, 4, 5, 5), "error"]


# -- 4.4 attention scores ----------------------------------------------------------------------


def scores_with_dot_T(q, k):
    with warnings.catch_warnings():  # .T on a 3-D tensor warns (as torch does)
        warnings.simplefilter("ignore")
        return q @ k.T


CASES = {
    "4.1": (
        mm_shape,
        [
            (mm_transposed, "transposed"),
            (mm_no_inner_check, "did not check the inner dims"),
            (mm_accepts_any_rank, "mm accepts 2-D shapes only"),
            (mm_indexes_blindly, "this should raise ValueError, but your code raised IndexError"),
            (mm_zero_is_not_a_size, "your code raised ValueError: bad shape"),
            (mm_returns_list, "return a tuple"),
        ],
    ),
    "4.2": (
        matmul_shape,
        [
            (matmul_keeps_the_ones, "is removed again"),
            (matmul_no_batch_broadcasting, "batch dims broadcast"),
            (
                matmul_broadcasts_matrix_dims,
                "this should raise ValueError, but your code returned tuple (2, 4)",
            ),
            (matmul_accepts_0d, "for shapes () and (3,), this should raise ValueError"),
            (mm_shape, "mm needs two matrices"),
        ],
    ),
    "4.3": (
        predictions,
        [
            (kept_the_one, "the 1 put in front of a 1-D first operand is removed again"),
            (no_broadcast, "q @ k is not what you wrote"),
            (bmm_broadcasts, "bmm does not broadcast"),
            (vector_refused, "torch.matmul(h, v) is not what you wrote"),
            (lambda: [4, (10, 7), (2, 4, 5, 5), "error"], "write a shape as a tuple"),
            (lambda: [(4,), (10, 7)], "write a list of 4 values"),
        ],
    ),
    "4.4": (
        lambda q, k: q @ k.transpose(-2, -1),
        [
            (lambda q, k: q @ k, "forgot to transpose k"),
            (scores_with_dot_T, "you used k.T"),
            (lambda q, k: q @ k.t(), "k.t() only transposes 2-D matrices"),
            (lambda q, k: q @ k.transpose(0, 1), "transposed the batch dim"),
            (lambda q, k: k @ q.transpose(-2, -1), "your scores are transposed"),
            (lambda q, k: q @ k.mT / math.sqrt(q.shape[-1]), "divided by √D"),
            (lambda q, k: torch.bmm(q.mT, k), "transposed q instead of k"),
        ],
    ),
}


def _mm_shape_unpacking(a, b):
    if len(a) != 2 or len(b) != 2 or a[1] != b[0]:
        raise ValueError(f"mm refuses {a} and {b}")
    return a[0], b[1]


def _matmul_shape_numpy(a, b):
    if not a or not b:
        raise ValueError("0-d")
    A, B = (a if len(a) > 1 else (1, *a)), (b if len(b) > 1 else (*b, 1))
    if A[-1] != B[-2]:
        raise ValueError("inner")
    out = list(np.broadcast_shapes(A[:-2], B[:-2])) + [A[-2], B[-1]]
    if len(b) == 1:
        out.pop(-1)
    if len(a) == 1:
        out.pop(-2 if len(b) > 1 else -1)
    return tuple(out)


ALTERNATIVES = {
    "4.1": [_mm_shape_unpacking],
    "4.2": [_matmul_shape_numpy],
    "4.4": [
        lambda q, k: q @ k.transpose(1, 2),
        lambda q, k: torch.bmm(q, k.transpose(-1, -2)),
        lambda q, k: torch.matmul(q, k.permute(0, 2, 1)),
    ],
}
