"""matmul, mm, bmm and `@`: every rank rule of torch.matmul, the strict ranks of mm and bmm,
gradients (float64 central differences and torch), and torch's errors for each kernel path."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import gradcheck
from parity import error_of

import course_lib as cl

# (shape of a, shape of b, shape of a @ b), measured on torch 2.13
RANK_RULES = [
    ((3,), (3,), ()),
    ((2, 3), (3,), (2,)),
    ((3,), (3, 4), (4,)),
    ((2, 3), (3, 4), (2, 4)),
    ((5, 2, 3), (3,), (5, 2)),
    ((2, 5, 2, 3), (3,), (2, 5, 2)),
    ((3,), (5, 3, 4), (5, 4)),
    ((3,), (2, 5, 3, 4), (2, 5, 4)),
    ((5, 2, 3), (3, 4), (5, 2, 4)),
    ((2, 3), (5, 3, 4), (5, 2, 4)),
    ((5, 2, 3), (5, 3, 4), (5, 2, 4)),
    ((5, 1, 2, 3), (7, 3, 4), (5, 7, 2, 4)),
    ((1, 2, 3), (5, 3, 4), (5, 2, 4)),
    ((6, 5, 2, 3), (5, 3, 4), (6, 5, 2, 4)),
    ((5, 2, 3), (1, 3, 4), (5, 2, 4)),
    ((3,), (3, 1), (1,)),
    ((1, 3), (3,), (1,)),
    ((0, 3), (3, 4), (0, 4)),
    ((2, 0), (0, 4), (2, 4)),
]
RULE_IDS = [f"{a}@{b}" for a, b, _ in RANK_RULES]


def _pair(sa, sb, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(sa), rng.standard_normal(sb)


@pytest.mark.parametrize("sa, sb, expected", RANK_RULES, ids=RULE_IDS)
def test_matmul_shape_and_values_follow_the_rank_rules(sa, sb, expected):
    a, b = _pair(sa, sb)
    out = cl.matmul(cl.tensor(a), cl.tensor(b))
    assert out.shape == expected
    assert out.dtype == cl.float64
    np.testing.assert_allclose(out.numpy(), np.matmul(a, b), rtol=1e-12, atol=1e-12)
    assert (cl.tensor(a) @ cl.tensor(b)).tolist() == out.tolist()  # `@` is matmul


def test_matmul_of_empty_inner_dim_is_zeros():
    assert cl.matmul(cl.ones(2, 0), cl.ones(0, 4)).tolist() == [[0.0] * 4] * 2


@pytest.mark.parametrize("sa, sb, expected", RANK_RULES, ids=RULE_IDS)
def test_matmul_gradcheck(sa, sb, expected):
    assert gradcheck(cl.matmul, *_pair(sa, sb))


@pytest.mark.parametrize("sa, sb", [((2, 3), (3, 4)), ((1, 1), (1, 5)), ((4, 2), (2, 1))])
def test_mm_gradcheck(sa, sb):
    assert gradcheck(cl.mm, *_pair(sa, sb))


@pytest.mark.parametrize("sa, sb", [((2, 2, 3), (2, 3, 4)), ((1, 3, 1), (1, 1, 2))])
def test_bmm_gradcheck(sa, sb):
    assert gradcheck(cl.bmm, *_pair(sa, sb))


def test_methods_and_operator_agree():
    a, b = cl.randn(2, 3), cl.randn(3, 4)
    for out in (a.matmul(b), a.mm(b), a @ b, cl.mm(a, b)):
        assert out.tolist() == cl.matmul(a, b).tolist()
    a3, b3 = cl.randn(2, 2, 3), cl.randn(2, 3, 4)
    assert a3.bmm(b3).tolist() == cl.bmm(a3, b3).tolist() == (a3 @ b3).tolist()


def test_int_matmul_stays_int64():
    out = cl.tensor([[1, 2], [3, 4]]) @ cl.tensor([1, 1])
    assert out.dtype == cl.int64 and out.tolist() == [3, 7]


def _run(T, fn, sa, sb, dtype):
    a, b = _pair(sa, sb)
    x = T.tensor(a, dtype=getattr(T, dtype), requires_grad=True)
    y = T.tensor(b, dtype=getattr(T, dtype), requires_grad=True)
    out = fn(T, x, y)
    proj = np.random.default_rng(7).standard_normal(tuple(out.shape))
    (out * T.tensor(proj, dtype=out.dtype)).sum().backward()
    return [v.detach().numpy().copy() for v in (out, x.grad, y.grad)], out.grad_fn.name()


PARITY = [(sa, sb, "matmul", lambda T, x, y: T.matmul(x, y)) for sa, sb, _ in RANK_RULES] + [
    ((2, 3), (3, 4), "mm", lambda T, x, y: T.mm(x, y)),
    ((3, 2, 3), (3, 3, 4), "bmm", lambda T, x, y: T.bmm(x, y)),
    ((2, 3), (3, 4), "operator", lambda T, x, y: x @ y),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "sa, sb, op, fn", PARITY, ids=[f"{op}-{sa}@{sb}" for sa, sb, op, _ in PARITY]
)
def test_forward_and_gradients_match_torch(torch, sa, sb, op, fn, dtype):
    ours, _ = _run(cl, fn, sa, sb, dtype)
    theirs, _ = _run(torch, fn, sa, sb, dtype)
    rtol, atol = (1e-5, 1e-5) if dtype == "float32" else (1e-10, 1e-10)
    for what, o, t in zip(("forward", "grad a", "grad b"), ours, theirs):
        assert o.shape == t.shape, what
        assert o.dtype == t.dtype, what
        np.testing.assert_allclose(o, t, rtol=rtol, atol=atol, err_msg=what)


@pytest.mark.parametrize(
    "sa, sb, op, fn", PARITY, ids=[f"{op}-{sa}@{sb}" for sa, sb, op, _ in PARITY]
)
def test_grad_fn_name_matches_torch(torch, sa, sb, op, fn):
    assert _run(cl, fn, sa, sb, "float64")[1] == _run(torch, fn, sa, sb, "float64")[1]


# ----------------------------------------------------------------------------------------------
# Errors: type and message compared with torch
# ----------------------------------------------------------------------------------------------


def _t(T, *shape, dtype="float32"):
    return T.ones(*shape, dtype=getattr(T, dtype))


ERRORS = {
    # §3.2 matmul: the message depends on the kernel the ranks lead to
    "dot_sizes": lambda T: T.matmul(_t(T, 3), _t(T, 4)),
    "mv_sizes": lambda T: T.matmul(_t(T, 2, 3), _t(T, 4)),
    "batched_mv_sizes": lambda T: T.matmul(_t(T, 5, 2, 3), _t(T, 4)),
    "vm_sizes": lambda T: T.matmul(_t(T, 3), _t(T, 4, 5)),
    "mm_sizes": lambda T: T.matmul(_t(T, 2, 3), _t(T, 4, 5)),
    "folded_mm_sizes": lambda T: T.matmul(_t(T, 5, 2, 3), _t(T, 4, 5)),
    "vector_batch_sizes": lambda T: T.matmul(_t(T, 4), _t(T, 5, 3, 4)),
    "vector_empty_batch_sizes": lambda T: T.matmul(_t(T, 3), _t(T, 0, 2, 3)),
    "vector_batch_empty_rows": lambda T: T.matmul(_t(T, 3), _t(T, 5, 0, 3)),
    "bmm_sizes": lambda T: T.matmul(_t(T, 5, 2, 3), _t(T, 5, 4, 4)),
    "matrix_batch_sizes": lambda T: T.matmul(_t(T, 2, 3), _t(T, 5, 4, 4)),
    "batch_mismatch": lambda T: T.matmul(_t(T, 5, 2, 3), _t(T, 4, 3, 4)),
    "batch_mismatch_4d": lambda T: T.matmul(_t(T, 2, 5, 2, 3), _t(T, 3, 5, 3, 4)),
    "0d_and_1d": lambda T: T.matmul(T.tensor(1.0), _t(T, 3)),
    "1d_and_0d": lambda T: T.matmul(_t(T, 3), T.tensor(1.0)),
    "0d_and_0d": lambda T: T.matmul(T.tensor(1.0), T.tensor(2.0)),
    "long_float": lambda T: T.matmul(_t(T, 2, 3, dtype="int64"), _t(T, 3, 2)),
    "float_double": lambda T: T.matmul(_t(T, 2, 3), _t(T, 3, 2, dtype="float64")),
    "double_float_vectors": lambda T: T.matmul(_t(T, 3, dtype="float64"), _t(T, 3)),
    "long_float_vectors": lambda T: T.matmul(_t(T, 3, dtype="int64"), _t(T, 3)),
    "mv_dtypes": lambda T: T.matmul(_t(T, 2, 3), _t(T, 3, dtype="float64")),
    "batched_mv_dtypes": lambda T: T.matmul(_t(T, 5, 2, 3), _t(T, 3, dtype="float64")),
    "vm_dtypes": lambda T: T.matmul(_t(T, 3), _t(T, 3, 2, dtype="float64")),
    "folded_mm_dtypes": lambda T: T.matmul(_t(T, 5, 2, 3), _t(T, 3, 4, dtype="float64")),
    "batch_dtypes": lambda T: T.matmul(_t(T, 5, 2, 3), _t(T, 5, 3, 4, dtype="int64")),
    "vector_batch_dtypes": lambda T: T.matmul(_t(T, 3), _t(T, 5, 3, 4, dtype="float64")),
    # §3.3 mm and bmm: strict ranks, no broadcasting
    "mm_vector_second": lambda T: T.mm(_t(T, 2, 3), _t(T, 3)),
    "mm_vector_first": lambda T: T.mm(_t(T, 3), _t(T, 3, 4)),
    "mm_3d_first": lambda T: T.mm(_t(T, 5, 2, 3), _t(T, 3, 4)),
    "mm_3d_second": lambda T: T.mm(_t(T, 2, 3), _t(T, 5, 3, 4)),
    "mm_sizes_strict": lambda T: T.mm(_t(T, 2, 3), _t(T, 4, 5)),
    "mm_dtypes": lambda T: T.mm(_t(T, 2, 3), _t(T, 3, 2, dtype="float64")),
    "mm_long": lambda T: T.mm(_t(T, 2, 3), _t(T, 3, 2, dtype="int64")),
    "bmm_2d_first": lambda T: T.bmm(_t(T, 2, 3), _t(T, 3, 4)),
    "bmm_2d_second": lambda T: T.bmm(_t(T, 5, 2, 3), _t(T, 3, 4)),
    "bmm_4d": lambda T: T.bmm(_t(T, 1, 5, 2, 3), _t(T, 5, 3, 4)),
    "bmm_inner": lambda T: T.bmm(_t(T, 5, 2, 3), _t(T, 5, 4, 4)),
    "bmm_batch": lambda T: T.bmm(_t(T, 5, 2, 3), _t(T, 4, 3, 4)),
    "bmm_no_broadcast": lambda T: T.bmm(_t(T, 5, 2, 3), _t(T, 1, 3, 4)),
    "bmm_dtypes": lambda T: T.bmm(_t(T, 5, 2, 3), _t(T, 5, 3, 4, dtype="float64")),
    # §3.4 the `@` operator
    "at_list": lambda T: _t(T, 3) @ [[1.0], [1.0], [1.0]],
    "at_int": lambda T: _t(T, 3) @ 2,
    "ndarray_at_tensor": lambda T: np.ones(3) @ _t(T, 3),
    "at_sizes": lambda T: _t(T, 2, 3) @ _t(T, 2, 3),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_type_and_message_match_torch(torch, name):
    assert error_of(cl, ERRORS[name]) == error_of(torch, ERRORS[name])


@pytest.mark.parametrize(
    "fn, message",
    [
        (lambda: cl.matmul(cl.ones(3), cl.ones(4, 5)), "(1x3 and 4x5)"),
        (lambda: cl.matmul(cl.ones(5, 2, 3), cl.ones(4)), "input (10), mat (10x3), vec (4)"),
        (lambda: cl.matmul(cl.ones(2, 3), cl.ones(3, 2, dtype=cl.float64)), "float != double"),
        (lambda: cl.bmm(cl.ones(5, 2, 3), cl.ones(1, 3, 4)), "[5, 3] but got: [1, 3]."),
    ],
)
def test_error_messages_name_the_shapes_without_torch(fn, message):
    # torch 2.13's messages, checked here even where torch is not installed
    with pytest.raises(RuntimeError) as info:
        fn()
    assert message in str(info.value)
