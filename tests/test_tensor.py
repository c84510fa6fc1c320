"""Every differentiable op of `course_lib.tensor`: a float64 central-difference gradient check,
parity with torch (forward values, gradients, dtypes, grad_fn names), torch's type promotion,
torch's exception types and messages for bad input, and extreme inputs.

One table, `CASES`, drives the gradient check and the torch parity tests: each case is a function
`fn(T, *tensors)` written once and run with `T = course_lib` and with `T = torch`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from gradcheck import gradcheck
from parity import (
    Case,
    assert_case_matches,
    error_of,
    inputs,
    outcome,
    run_case,
)

import course_lib as cl


def _setitem(T, x, y):
    z = x * 1
    z[0] = y[1] * 2  # overwritten row: no gradient to x[0], gradient to y[1]
    z[:, 1] = 5.0
    z[T.tensor([2, 0])] = y[0, 0]  # advanced index
    return z


def _inplace(T, x, y):
    z = x * 1
    z.add_(y)
    z.mul_(y)
    z.sub_(x, alpha=2)
    z.div_(y)
    z += 1.5
    z *= y
    return z


def _fill_copy_clamp(T, x, y):
    buf = T.zeros(2, 3, 4, dtype=T.float64)
    buf.copy_(x)  # broadcast into a tensor that did not require grad: it does now
    w = y * 1
    w.fill_(2.0)  # y's values no longer matter: its gradient is 0
    v = (x * 3).clamp_(-0.5, 0.5)
    u = (y * 1).zero_() + y
    return buf * w + v + u


def _chain_of_views(T, x):
    return x.reshape(2, 6).t().unsqueeze(0).transpose(0, 2).flatten().view(3, 4)[1:].exp()


A, B, P, AW, D = "any", "any", "pos", "away", "distinct"
M = ((3, 4), A)
CASES = [
    # arithmetic and broadcasting
    Case("add", lambda T, x, y: x + y, (M, M)),
    Case("add_bcast_col_row", lambda T, x, y: x + y, (((3, 1), A), ((4,), A))),
    Case("add_bcast_3d", lambda T, x, y: x + y, (((2, 1, 4), A), ((3, 1), A))),
    Case("add_scalar", lambda T, x: x + 2.5, (M,)),
    Case("radd_scalar", lambda T, x: 2.5 + x, (M,)),
    Case("add_alpha", lambda T, x, y: x.add(y, alpha=3), (M, ((4,), A))),
    Case("sub", lambda T, x, y: x - y, (M, M)),
    Case("sub_bcast", lambda T, x, y: x - y, (((4,), A), ((3, 1), A))),
    Case("sub_scalar", lambda T, x: x - 2, (M,)),
    Case("rsub_scalar", lambda T, x: 2 - x, (M,)),
    Case("mul", lambda T, x, y: x * y, (M, M)),
    Case("mul_bcast", lambda T, x, y: x * y, (((2, 3, 1), A), ((1, 4), A))),
    Case("mul_scalar", lambda T, x: x * -1.5, (M,)),
    Case("rmul_scalar", lambda T, x: 3 * x, (M,)),
    Case("mul_self", lambda T, x: x * x, (M,)),
    Case("div", lambda T, x, y: x / y, (M, ((3, 4), P))),
    Case("div_bcast", lambda T, x, y: x / y, (((3, 1), A), ((4,), P))),
    Case("div_scalar", lambda T, x: x / 4, (M,)),
    Case("rdiv_scalar", lambda T, x: 2 / x, (((3, 4), P),)),
    Case("pow_tensor", lambda T, x, y: x**y, (((3, 4), P), M)),
    Case("pow_bcast", lambda T, x, y: x**y, (((3, 1), P), ((4,), A))),
    Case("pow_2", lambda T, x: x**2, (M,)),
    Case("pow_3_int", lambda T, x: x**3, (M,)),
    Case("pow_half", lambda T, x: x**0.5, (((3, 4), P),)),
    Case("pow_neg", lambda T, x: x**-1.5, (((3, 4), P),)),
    Case("pow_0", lambda T, x: x**0, (M,)),
    Case("pow_method", lambda T, x: x.pow(2), (M,)),
    Case("rpow", lambda T, x: 2**x, (M,)),
    Case("rpow_frac", lambda T, x: 0.5**x, (M,)),
    Case("neg", lambda T, x: -x, (M,)),
    Case("neg_method", lambda T, x: x.neg(), (M,)),
    Case("reciprocal", lambda T, x: x.reciprocal(), (((3, 4), P),)),
    Case("abs_builtin", lambda T, x: abs(x), (((3, 4), AW),)),
    Case("mod_scalar", lambda T, x: x % 0.7, (M,)),
    Case("mod_tensor", lambda T, x, y: x % y, (M, ((4,), P))),
    # elementwise functions
    Case("exp", lambda T, x: x.exp(), (M,)),
    Case("log", lambda T, x: x.log(), (((3, 4), P),)),
    Case("sqrt", lambda T, x: x.sqrt(), (((3, 4), P),)),
    Case("abs", lambda T, x: x.abs(), (((3, 4), AW),)),
    Case("tanh", lambda T, x: x.tanh(), (M,)),
    Case("sigmoid", lambda T, x: x.sigmoid(), (M,)),
    Case("relu", lambda T, x: x.relu(), (((3, 4), AW),)),
    Case("clamp", lambda T, x: x.clamp(-0.25, 0.25), (((3, 4), AW),)),
    Case("clamp_min", lambda T, x: x.clamp(min=0.1), (((3, 4), AW),)),
    Case("clamp_max", lambda T, x: x.clamp(max=-0.1), (((3, 4), AW),)),
    Case(
        "top_level_fns", lambda T, x: T.tanh(T.exp(x)) + T.sigmoid(x) * T.relu(x), (((3, 4), AW),)
    ),
    Case("softmax_1", lambda T, x: x.softmax(1), (M,)),
    Case("softmax_0", lambda T, x: x.softmax(0), (M,)),
    Case("softmax_neg", lambda T, x: T.softmax(x, -1), (((2, 3, 4), A),)),
    Case("softmax_3d_mid", lambda T, x: x.softmax(1), (((2, 3, 4), A),)),
    Case("softmax_1d", lambda T, x: x.softmax(0), (((5,), A),)),
    Case("log_softmax_1", lambda T, x: x.log_softmax(1), (M,)),
    Case("log_softmax_0", lambda T, x: T.log_softmax(x, 0), (M,)),
    Case("log_softmax_3d", lambda T, x: x.log_softmax(-2), (((2, 3, 4), A),)),
    Case("where", lambda T, x, y: T.where(x > 0, x, y), (((3, 4), AW), M)),
    Case("where_scalar", lambda T, x: T.where(x > 0, x, 0.0), (((3, 4), AW),)),
    # reductions
    Case("sum", lambda T, x: x.sum(), (M,)),
    Case("sum_dim", lambda T, x: x.sum(1), (((2, 3, 4), A),)),
    Case("sum_neg_dim", lambda T, x: x.sum(-3), (((2, 3, 4), A),)),
    Case("sum_tuple", lambda T, x: x.sum((0, 2)), (((2, 3, 4), A),)),
    Case("sum_keepdim", lambda T, x: x.sum(1, keepdim=True), (((2, 3, 4), A),)),
    Case("sum_tuple_keepdim", lambda T, x: T.sum(x, (-1, 0), keepdim=True), (((2, 3, 4), A),)),
    Case("mean", lambda T, x: x.mean(), (M,)),
    Case("mean_dim", lambda T, x: T.mean(x, 0), (((2, 3, 4), A),)),
    Case("mean_tuple", lambda T, x: x.mean((1, 2)), (((2, 3, 4), A),)),
    Case("std", lambda T, x: x.std(), (M,)),
    Case("std_dim_keepdim", lambda T, x: T.std(x, 1, keepdim=True), (((2, 3, 4), A),)),
    Case("var_biased", lambda T, x: x.var((0, 2), correction=0), (((2, 3, 4), A),)),
    Case("var_dim", lambda T, x: T.var(x, -1), (((2, 3, 4), A),)),
    Case("mean_keepdim", lambda T, x: x.mean(-1, keepdim=True), (((2, 3, 4), A),)),
    Case("max", lambda T, x: x.max(), (((3, 4), D),)),
    Case("max_dim", lambda T, x: x.max(1)[0], (((3, 4), D),)),
    Case("max_dim_keepdim", lambda T, x: x.max(0, keepdim=True).values, (((3, 4), D),)),
    Case("max_dim_3d", lambda T, x: x.max(-2).values, (((2, 3, 4), D),)),
    Case("min", lambda T, x: x.min(), (((3, 4), D),)),
    Case("min_dim", lambda T, x: x.min(1).values, (((3, 4), D),)),
    Case("max_of_two", lambda T, x, y: T.max(x, y), (((3, 4), D), ((4,), A))),
    Case("min_of_two", lambda T, x, y: x.min(y), (((3, 4), D), ((3, 1), A))),
    Case("maximum", lambda T, x, y: T.maximum(x, y), (((3, 4), D), M)),
    Case("minimum", lambda T, x, y: x.minimum(y), (((3, 4), D), M)),
    Case("min_dim_keepdim", lambda T, x: x.min(-1, keepdim=True)[0], (((2, 3, 4), D),)),
    # shapes
    Case("reshape", lambda T, x: x.reshape(4, 3), (M,)),
    Case("reshape_infer", lambda T, x: x.reshape(-1), (M,)),
    Case("reshape_tuple", lambda T, x: x.reshape((2, -1, 2)), (M,)),
    Case("reshape_copying", lambda T, x: x.t().reshape(12), (M,)),
    Case("view", lambda T, x: x.view(2, 6), (M,)),
    Case("view_infer", lambda T, x: x.view(-1, 2), (M,)),
    Case("transpose", lambda T, x: x.transpose(0, 1), (M,)),
    Case("transpose_3d", lambda T, x: x.transpose(-1, 0), (((2, 3, 4), A),)),
    Case("t", lambda T, x: x.t(), (M,)),
    Case("T", lambda T, x: x.T, (M,)),
    Case("permute", lambda T, x: x.permute(2, 0, 1), (((2, 3, 4), A),)),
    Case("permute_tuple", lambda T, x: x.permute((1, -1, 0)), (((2, 3, 4), A),)),
    Case("unsqueeze_0", lambda T, x: x.unsqueeze(0), (M,)),
    Case("unsqueeze_neg", lambda T, x: x.unsqueeze(-1), (M,)),
    Case("squeeze_all", lambda T, x: x.squeeze(), (((1, 3, 1, 4), A),)),
    Case("squeeze_dim", lambda T, x: x.squeeze(2), (((1, 3, 1, 4), A),)),
    Case("squeeze_noop", lambda T, x: x.squeeze(1), (((1, 3, 1, 4), A),)),
    Case("flatten", lambda T, x: x.flatten(), (((2, 3, 4), A),)),
    Case("flatten_range", lambda T, x: T.flatten(x, 1, 2), (((2, 3, 4, 1), A),)),
    Case("expand", lambda T, x: x.expand(3, 4), (((3, 1), A),)),
    Case("expand_new_dims", lambda T, x: x.expand(2, 3, -1), (((1, 4), A),)),
    Case("chain_of_views", _chain_of_views, (M,)),
    # indexing
    Case("getitem_int", lambda T, x: x[1], (M,)),
    Case("getitem_neg_int", lambda T, x: x[-1], (M,)),
    Case("getitem_slice", lambda T, x: x[1:], (M,)),
    Case("getitem_step", lambda T, x: x[:, ::2], (M,)),
    Case("getitem_neg_slice", lambda T, x: x[-2:, :-1], (M,)),
    Case("getitem_int_int", lambda T, x: x[1, 2], (M,)),
    Case("getitem_slice_int", lambda T, x: x[:, 1], (M,)),
    Case("getitem_none", lambda T, x: x[None], (M,)),
    Case("getitem_none_mid", lambda T, x: x[:, None, 1:3], (M,)),
    Case("getitem_ellipsis", lambda T, x: x[..., 0], (((2, 3, 4), A),)),
    Case("getitem_ellipsis_int", lambda T, x: x[1, ..., 1:], (((2, 3, 4), A),)),
    Case("getitem_list_repeats", lambda T, x: x[[0, 2, 0, 0]], (M,)),
    Case("getitem_tensor_repeats", lambda T, x: x[T.tensor([1, 1, 2])], (M,)),
    Case("getitem_2d_tensor_index", lambda T, x: x[T.tensor([[0, 1], [1, 0]])], (((4,), A),)),
    Case("getitem_pairs", lambda T, x: x[T.tensor([0, 2, 2]), T.tensor([3, 1, 1])], (M,)),
    Case("getitem_list_and_slice", lambda T, x: x[[2, 0], 1:], (M,)),
    Case("getitem_mask", lambda T, x: x[x > 0], (M,)),
    Case("getitem_row_mask", lambda T, x: x[T.tensor([True, False, True])], (M,)),
    Case("getitem_0d_tensor", lambda T, x: x[T.tensor(1)], (M,)),
    Case("setitem_nonleaf", _setitem, (M, M)),
    # joining, copies, casts, in-place
    Case("cat_0", lambda T, x, y: T.cat([x, y]), (M, ((2, 4), A))),
    Case("cat_1", lambda T, x, y: T.cat((x, y, x), dim=1), (M, ((3, 2), A))),
    Case("cat_neg", lambda T, x, y: T.cat([x, y], -1), (((2, 3), A), ((2, 1), A))),
    Case("stack_0", lambda T, x, y: T.stack([x, y]), (M, M)),
    Case("stack_1", lambda T, x, y: T.stack((x, y, x), dim=1), (M, M)),
    Case("stack_neg", lambda T, x, y: T.stack([x, y], -1), (M, M)),
    Case("clone", lambda T, x: x.clone() * 2, (M,)),
    Case("double", lambda T, x: x.double(), (M,)),
    Case("inplace_nonleaf", _inplace, (M, ((3, 4), P))),
    Case("fill_copy_clamp_nonleaf", _fill_copy_clamp, (M, M)),
    Case("used_twice", lambda T, x, y: (x * y + x).tanh() * x, (M, M)),
]
CASE_IDS = [c.name for c in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS), "duplicate case names"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_gradcheck(case):
    assert gradcheck(lambda *xs: case.fn(cl, *xs), *inputs(case))


@pytest.mark.parametrize(
    "name, fn",
    [("float", lambda x: x.float()), ("float_double", lambda x: x.float().double() * x)],
)
def test_gradcheck_float32_cast(name, fn):
    # a float32 round trip has ~1e-7 relative error: a wider step and tolerance absorb it
    assert gradcheck(fn, np.random.default_rng(0).standard_normal((3, 4)), eps=1e-2, atol=1e-4)


def test_cast_gradient_has_the_input_dtype():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    y = x.double()
    assert y.dtype == cl.float64 and y.grad_fn.name() == "ToCopyBackward0"
    y.backward(cl.tensor([0.5, 0.25], dtype=cl.float64))
    assert x.grad.dtype == cl.float32
    assert x.grad.tolist() == [0.5, 0.25]


# ----------------------------------------------------------------------------------------------
# Parity with torch: forward, gradients and dtypes on the same inputs
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_parity_with_torch(torch, case, dtype):
    assert_case_matches(cl, torch, case, dtype, rtol32=1e-5)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_grad_fn_name_matches_torch(torch, case):
    assert run_case(cl, case, "float64")[4] == run_case(torch, case, "float64")[4]


SETITEM_NAMES = {
    "int": lambda T, z: z.__setitem__(0, 1.0),
    "slice": lambda T, z: z.__setitem__((slice(None), slice(1, 3)), 1.0),
    "tensor_index": lambda T, z: z.__setitem__(T.tensor([0]), 1.0),
    "list_index": lambda T, z: z.__setitem__([0, 1], 1.0),
    "mask": lambda T, z: z.__setitem__(z > 0, 1.0),
    "all_scalar": lambda T, z: z.__setitem__(slice(None), 1.0),
    "all_tensor": lambda T, z: z.__setitem__(Ellipsis, T.ones(4)),
}


@pytest.mark.parametrize("name", list(SETITEM_NAMES))
def test_setitem_grad_fn_name_and_repr_match_torch(torch, name):
    results = []
    for T in (cl, torch):
        z = T.ones(3, 4, requires_grad=True) * 2
        SETITEM_NAMES[name](T, z)
        results.append((z.grad_fn.name(), repr(z)))
    assert results[0] == results[1]


def test_setitem_with_a_repeated_index_counts_the_value_per_occurrence_like_torch(torch):
    # torch's index_put_ gathers the gradient once per index, repeats included
    results = []
    for T in (cl, torch):
        y = T.tensor([2.0, 3.0], requires_grad=True)
        z = T.zeros(3, 2)
        z[T.tensor([2, 2, 0])] = y
        (z * T.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).sum().backward()
        results.append((z.tolist(), y.grad.tolist()))
    assert results[0] == results[1]


def test_max_ties_share_the_gradient_like_torch(torch):
    values = [[1.0, 3.0, 3.0], [3.0, 0.0, 3.0]]
    results = []
    for T in (cl, torch):
        x = T.tensor(values, requires_grad=True)
        y = T.tensor([[1.0, 3.0, 2.0]], requires_grad=True)
        loss = x.max() + x.max(1).values.sum() + x.min(0)[0].sum() + T.max(x, y).sum()
        (loss + T.minimum(x, y).sum()).backward()
        indices = (x.max(1).indices.tolist(), x.min(0).indices.tolist())
        results.append((x.grad.tolist(), y.grad.tolist(), indices))
    assert results[0] == results[1]


def _python_protocol(T):
    x = T.tensor([[1.5, -2.0], [0.25, 3.0]])
    loss = T.tensor(0.123456)
    i = T.tensor([7, -8])
    return [
        f"{loss:.3f}",
        f"{loss}",
        format(T.tensor(2), "03d"),
        f"{x}",
        str(abs(x)),
        str(i // 3),
        str(7 // T.tensor([2, 3])),
        str(i % 3),
        str(x % 1.0),
        len(x),
        [str(row) for row in x],
        float(loss),
        int(T.tensor([3])),
        ["a", "b", "c"][T.tensor(1)],
        bool(T.tensor([0.0])),
        2 in i,
        str(+x),
        str(x.T),
        str(x.mT),
    ]


def test_python_protocol_matches_torch(torch):
    assert _python_protocol(cl) == _python_protocol(torch)


def _set_columns(T):
    x = T.zeros(2, 3)
    x[:, 1] = T.tensor([5.0, 6.0])
    x[0] = 1
    return x


# Forward behaviour on corner cases: the repr of the result (or the error) must be torch's.
BEHAVIOUR = {
    "T1d": lambda T: T.ones(3).T,
    "T3d": lambda T: T.ones(2, 3, 4).T.shape,
    "T0d": lambda T: T.tensor(1.0).T,
    "bool_empty": lambda T: bool(T.ones(0)),
    "retain_nograd": lambda T: T.ones(2).retain_grad(),
    "size0d": lambda T: T.tensor(1.0).size(0),
    "to_f64": lambda T: T.ones(2).to(T.float64),
    "to_cpu": lambda T: T.ones(2).to("cpu"),
    "to_dtype_kw": lambda T: T.ones(2).to(dtype=T.float64),
    "type": lambda T: T.ones(2).type(),
    "long": lambda T: T.ones(2).long(),
    "int": lambda T: T.tensor([1.7, -1.7]).int(),
    "bool_cast": lambda T: T.tensor([0.0, 2.0]).bool(),
    "clamp_int": lambda T: T.tensor([1, 5]).clamp(0.5, 3.5),
    "clamp_int_int": lambda T: T.tensor([1, 5]).clamp(2, 3),
    "relu_int": lambda T: T.tensor([-1, 5]).relu(),
    "exp_int": lambda T: T.tensor([1, 2]).exp(),
    "sigmoid_int": lambda T: T.tensor([1]).sigmoid(),
    "sum_bool": lambda T: T.tensor([True, True]).sum(),
    "mean_dtype": lambda T: T.tensor([1, 2]).mean(dtype=T.float32),
    "max_int": lambda T: T.tensor([1, 5]).max(),
    "abs_int": lambda T: T.tensor([-1, 5]).abs(),
    "neg_int": lambda T: -T.tensor([1]),
    "sqrt_int": lambda T: T.tensor([4]).sqrt(),
    "log_int": lambda T: T.tensor([1]).log(),
    "tanh_int": lambda T: T.tensor([1, 2]).tanh(),
    "squeeze0d": lambda T: T.tensor(1.0).squeeze(0),
    "unsqueeze0d": lambda T: T.tensor(1.0).unsqueeze(0),
    "flatten0d": lambda T: T.tensor(1.0).flatten(),
    "transpose0d": lambda T: T.tensor(1.0).transpose(0, -1),
    "t1d": lambda T: T.ones(3).t(),
    "t0d": lambda T: T.tensor(2.0).t(),
    "permute0d": lambda T: T.tensor(1.0).permute(),
    "view0d": lambda T: T.tensor(1.0).view(1, 1),
    "reshape_empty": lambda T: T.ones(0).reshape(2, 0, 3).shape,
    "expand0d": lambda T: T.tensor(1.0).expand(2, 3),
    "max0d_dim": lambda T: T.tensor(1.0).max(0),
    "sum0d_dim": lambda T: T.tensor(2.0).sum(0),
    "softmax0d": lambda T: T.tensor(5.0).softmax(0),
    "mean_empty": lambda T: T.ones(0).mean(),
    "sum_empty": lambda T: T.ones(0, 3).sum(0),
    "max_empty_dim": lambda T: T.ones(0, 3).max(1),
    "max_empty_dim0": lambda T: T.ones(0, 3).max(0),
    "cat_1d_empty": lambda T: T.cat([T.ones(0), T.ones(2, 3)]),
    "cat_mixed": lambda T: T.cat([T.ones(2), T.ones(2, dtype=T.int64)]),
    "stack_mixed": lambda T: T.stack([T.ones(2), T.ones(2, dtype=T.float64)]),
    "argmax_all": lambda T: T.tensor([[1, 5], [7, 2]]).argmax(),
    "argmax_keep": lambda T: T.tensor([[1, 5], [7, 2]]).argmax(1, keepdim=True),
    "eq": lambda T: T.tensor([1, 2]) == T.tensor([1.0, 3.0]),
    "eq_none": lambda T: T.tensor([1]).__eq__(None),
    "and": lambda T: T.tensor([True, False]) & T.tensor([True, True]),
    "or": lambda T: T.tensor([True, False]) | T.tensor([False, False]),
    "invert": lambda T: ~T.tensor([True, False]),
    "numel0d": lambda T: T.tensor(1.0).numel(),
    "len": lambda T: len(T.ones(4, 2)),
    "is_floating": lambda T: (T.ones(1).is_floating_point(), T.tensor([1]).is_floating_point()),
    "contiguous": lambda T: T.ones(2, 3).t().is_contiguous(),
    "nelement": lambda T: T.ones(2, 3).nelement(),
    "clone_rg": lambda T: T.ones(2, requires_grad=True).clone(),
    "detach_rg": lambda T: T.ones(2, requires_grad=True).detach(),
    "float_noop": lambda T: (lambda x: x.float() is x)(T.ones(2)),
    "double_f64_noop": lambda T: (lambda x: x.double() is x)(T.ones(2, dtype=T.float64)),
    "setitem_broadcast": _set_columns,
    "softmax_dtype": lambda T: T.softmax(T.tensor([1, 2]), 0, dtype=T.float32),
    "log_softmax_dtype": lambda T: T.tensor([1.0, 2.0]).log_softmax(0, dtype=T.float64),
    "setitem_leading_ones": lambda T: _setitem_on(T.zeros(2, 3), 0, T.ones(1, 1, 3)),
    "setitem_advanced_leading_ones": lambda T: _setitem_on(T.zeros(2, 3), [0, 1], T.ones(1, 3)),
    "add_alpha_scalar": lambda T: T.ones(2).add(1, alpha=2),
    "sub_alpha_inplace": lambda T: T.ones(2).sub_(T.ones(2), alpha=3),
    "iter": lambda T: list(T.tensor([[1, 2], [3, 4]])),
    "bool_one": lambda T: bool(T.tensor([0.5])),
    "item_bool": lambda T: T.tensor([True]).item(),
    "tolist0d": lambda T: T.tensor(2).tolist(),
    "numpy_f64": lambda T: T.ones(2, dtype=T.float64).numpy().dtype,
    "size_neg": lambda T: T.ones(2, 3).size(-2),
    "mT": lambda T: T.ones(2, 3, 4).mT.shape,
    "unflatten": lambda T: T.ones(2, 6).unflatten(1, (3, -1)).shape,
    "view_as": lambda T: T.ones(6).view_as(T.ones(2, 3)).shape,
    "expand_as": lambda T: T.ones(3).expand_as(T.ones(2, 3)).shape,
    "div_int_int": lambda T: T.tensor([3]) / 2,
    "div_by_zero_int": lambda T: T.tensor([3]) / 0,
    "pow_int_float": lambda T: T.tensor([2]) ** 0.5,
    "rpow_int": lambda T: 2 ** T.tensor([3]),
    "rsub_int": lambda T: 5 - T.tensor([3]),
    "rdiv_int": lambda T: 1 / T.tensor([4]),
    "mod_zero": lambda T: T.tensor([3.0]) % 0,
    "where_bcast": lambda T: T.where(T.tensor([[True], [False]]), T.ones(3), 0.0),
}


@pytest.mark.parametrize("name", list(BEHAVIOUR))
def test_behaviour_matches_torch(torch, name):
    assert outcome(cl, BEHAVIOUR[name]) == outcome(torch, BEHAVIOUR[name])


# torch gives these warnings once per process (and never again, whatever the filters say), so
# each sequence runs in a fresh interpreter, once with torch and once with course_lib.
_ONCE_PROGRAM = """
import re, sys, warnings
T = __import__(sys.argv[1])

def show(label, fn, action="always"):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter(action)
        try:
            fn()
        except Exception as e:
            print(label, "raised", type(e).__name__, re.sub(r" \\(Triggered .*\\)$", "", str(e)))
    texts = [re.sub(r" \\(Triggered internally at .*\\)$", "", str(w.message)) for w in caught]
    print(label, [(w.category.__name__, t, w.lineno) for w, t in zip(caught, texts)])

if sys.argv[2] == "default":  # torch warns before it checks the size
    show("float of two elements first", lambda: float(T.ones(2, requires_grad=True)))
x = T.tensor(1.5, requires_grad=True)
with T.no_grad():
    show("float under no_grad", lambda: float(x))
show("int", lambda: int(x))
show("float, filter " + sys.argv[2], lambda: float(x * 2), sys.argv[2])
show("float again", lambda: float(x))
show("float of two elements", lambda: float(T.ones(2, requires_grad=True)))
show("complex", lambda: complex(x))
show("x.T of 3-D, filter " + sys.argv[2], lambda: T.ones(2, 3, 4).T, sys.argv[2])
show("x.T of 1-D", lambda: T.ones(3).T)
show("x.T of 2-D", lambda: T.ones(2, 3).T)
show("x.T of 0-d", lambda: T.tensor(1.0).T)
show("x.T of 0-d again", lambda: T.tensor(1.0).T)
show("x.mT of 0-d", lambda: T.tensor(1.0).mT)
show("x.mT of 0-d again", lambda: T.tensor(1.0).mT)
show("x.mT of 1-D", lambda: T.ones(3).mT)
"""


@pytest.mark.parametrize("first_filter", ["always", "ignore", "error", "default"])
def test_once_per_process_warnings_as_torch(torch, first_filter):
    import subprocess
    import sys

    def run(module):
        done = subprocess.run(
            [sys.executable, "-c", _ONCE_PROGRAM, module, first_filter],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    assert run("course_lib") == run("torch")


def test_mT_of_0d_is_the_tensor_itself():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = cl.tensor(2.0, requires_grad=True)
        assert x.mT is x


# ----------------------------------------------------------------------------------------------
# Type promotion: the result dtype of mixed operands, as torch computes it
# ----------------------------------------------------------------------------------------------


def _operands(T):
    return {
        "int64": T.tensor([1, 2]),
        "int32": T.tensor([1, 2], dtype=T.int32),
        "float32": T.tensor([1.0, 2.0]),
        "float64": T.tensor([1.0, 2.0], dtype=T.float64),
        "bool": T.tensor([True, False]),
        "int64_0d": T.tensor(3),
        "float32_0d": T.tensor(2.0),
        "float64_0d": T.tensor(2.0, dtype=T.float64),
        "py_int": 2,
        "py_float": 2.5,
        "py_bool": True,
    }


PROMOTION_PAIRS = [
    ("int64", "float32"),
    ("float32", "float64"),
    ("float32", "float64_0d"),
    ("int64", "float64_0d"),
    ("int64_0d", "float32"),
    ("float32_0d", "float64_0d"),
    ("int64", "int64"),
    ("int32", "int64"),
    ("int32", "int64_0d"),
    ("bool", "int64"),
    ("bool", "py_int"),
    ("bool", "py_float"),
    ("bool", "bool"),
    ("int64", "py_float"),
    ("int32", "py_int"),
    ("float32", "py_float"),
    ("float64_0d", "py_float"),
    ("int64_0d", "py_float"),
    ("float32", "py_bool"),
]
PROMOTION_OPS = {
    "add": lambda x, y: x + y,
    "radd": lambda x, y: y + x,
    "mul": lambda x, y: x * y,
    "truediv": lambda x, y: x / y,
    "rtruediv": lambda x, y: y / x,
    "pow": lambda x, y: x**y,
    "eq": lambda x, y: x == y,
}


@pytest.mark.parametrize("op", list(PROMOTION_OPS))
@pytest.mark.parametrize("left, right", PROMOTION_PAIRS, ids=["-".join(p) for p in PROMOTION_PAIRS])
def test_type_promotion_matches_torch(torch, op, left, right):
    results = []
    for T in (cl, torch):
        ops = _operands(T)
        try:
            out = PROMOTION_OPS[op](ops[left], ops[right])
        except Exception as e:  # bool ** bool: both must refuse it the same way
            results.append((type(e).__name__, str(e), None))
            continue
        results.append((str(out.dtype), tuple(out.shape), out.tolist()))
    assert results[0][:2] == results[1][:2]
    if results[1][2] is not None:
        np.testing.assert_allclose(results[0][2], results[1][2], rtol=1e-6)


def test_int_true_division_gives_float32():
    out = cl.tensor([1, 2]) / cl.tensor([2, 4])
    assert out.dtype == cl.float32 and out.tolist() == [0.5, 0.5]


# ----------------------------------------------------------------------------------------------
# Bad input: the same exception type and message as torch
# ----------------------------------------------------------------------------------------------


def _leaf(T, *shape):
    return T.ones(*shape, requires_grad=True)


def _setitem_on(t, index, value):
    t[index] = value
    return t


ERRORS = {
    "item_of_many": lambda T: T.ones(3).item(),
    "item_of_empty": lambda T: T.ones(0).item(),
    "view_incompatible": lambda T: T.ones(2, 3).t().view(6),
    "view_invalid": lambda T: T.ones(2, 3).view(4, -1),
    "view_negative": lambda T: T.ones(6).view(-2, 3),
    "reshape_invalid": lambda T: T.ones(2, 3).reshape(4, 2),
    "reshape_two_inferred": lambda T: T.ones(2, 3).reshape(-1, -1),
    "reshape_ambiguous_empty": lambda T: T.ones(0, 3).reshape(-1, 0),
    "backward_non_scalar": lambda T: (_leaf(T, 3) * 2).backward(),
    "backward_no_grad": lambda T: T.ones(3).sum().backward(),
    "backward_gradient_shape": lambda T: (_leaf(T, 3) * 2).backward(T.ones(4)),
    "numpy_requires_grad": lambda T: _leaf(T, 3).numpy(),
    "inplace_leaf_add_": lambda T: _leaf(T, 3).add_(1),
    "inplace_leaf_mul_": lambda T: _leaf(T, 3).mul_(2),
    "inplace_leaf_iadd": lambda T: _leaf(T, 3).__iadd__(1),
    "inplace_leaf_zero_": lambda T: _leaf(T, 3).zero_(),
    "inplace_leaf_fill_": lambda T: _leaf(T, 3).fill_(2),
    "inplace_leaf_uniform_": lambda T: _leaf(T, 3).uniform_(),
    "inplace_leaf_normal_": lambda T: _leaf(T, 3).normal_(),
    "inplace_leaf_copy_": lambda T: _leaf(T, 3).copy_(T.zeros(3)),
    "inplace_leaf_setitem_int": lambda T: _setitem_on(_leaf(T, 3), 0, 2.0),
    "inplace_leaf_setitem_all": lambda T: _setitem_on(_leaf(T, 3), slice(None), 2.0),
    "inplace_leaf_setitem_list": lambda T: _setitem_on(_leaf(T, 3), [0, 1], 2.0),
    "inplace_view_of_leaf_getitem": lambda T: _leaf(T, 2, 2)[0].add_(1),
    "inplace_view_of_leaf_t": lambda T: _leaf(T, 2, 2).t().mul_(2),
    "inplace_view_of_leaf_reshape": lambda T: _leaf(T, 2, 2).reshape(4).zero_(),
    "inplace_view_of_leaf_setitem": lambda T: _setitem_on(_leaf(T, 2, 2).view(4), 0, 1.0),
    "inplace_int_from_float": lambda T: T.ones(3, dtype=T.int64).add_(1.5),
    "inplace_int_div_": lambda T: T.ones(3, dtype=T.int64).div_(2),
    "inplace_broadcast_output": lambda T: T.ones(3).add_(T.ones(2, 3)),
    "inplace_broadcast_mismatch": lambda T: T.ones(3).mul_(T.ones(4)),
    "requires_grad_int": lambda T: T.ones(3, dtype=T.int64).requires_grad_(),
    "requires_grad_int_factory": lambda T: T.ones(3, dtype=T.int64, requires_grad=True),
    "requires_grad_int_tensor": lambda T: T.tensor([1, 2], requires_grad=True),
    "requires_grad_false_non_leaf": lambda T: (_leaf(T, 3) * 2).requires_grad_(False),
    "grad_assign_wrong_size": lambda T: setattr(_leaf(T, 3), "grad", T.ones(4)),
    "index_out_of_bounds": lambda T: T.ones(3)[5],
    "index_negative_out_of_bounds": lambda T: T.ones(3)[-4],
    "index_out_of_bounds_dim1": lambda T: T.ones(2, 3)[:, 3],
    "index_list_out_of_bounds": lambda T: T.ones(3)[[0, 5]],
    "index_tensor_out_of_bounds": lambda T: T.ones(3)[T.tensor([0, 5])],
    "index_too_many": lambda T: T.ones(2, 3)[0, 0, 0],
    "index_0d": lambda T: T.tensor(1.0)[0],
    "index_float": lambda T: T.ones(3)[1.0],
    "index_float_tensor": lambda T: T.ones(3)[T.tensor([0.0, 1.0])],
    "index_mask_shape": lambda T: T.ones(3)[T.tensor([True, False])],
    "setitem_value_shape": lambda T: _setitem_on(T.ones(2, 3), 0, T.ones(4)),
    "setitem_list": lambda T: _setitem_on(T.ones(3), slice(None), [1.0, 2.0, 3.0]),
    "setitem_extra_dims": lambda T: _setitem_on(T.ones(2, 3), 0, T.ones(2, 3)),
    "setitem_out_of_bounds": lambda T: _setitem_on(T.ones(2, 3), 5, 1.0),
    "setitem_advanced_value_shape": lambda T: _setitem_on(T.ones(2, 3), [0, 1], T.ones(2, 2)),
    "sum_dim": lambda T: T.ones(2, 3).sum(2),
    "sum_neg_dim": lambda T: T.ones(2, 3).sum(-3),
    "sum_tuple_dim": lambda T: T.ones(2, 3).sum((0, 2)),
    "sum_repeated_dim": lambda T: T.ones(2, 3).sum((0, -2)),
    "sum_0d_dim": lambda T: T.tensor(1.0).sum(1),
    "mean_dim": lambda T: T.ones(2, 3).mean(5),
    "mean_int": lambda T: T.ones(2, 3, dtype=T.int64).mean(),
    "unsqueeze_dim": lambda T: T.ones(2, 3).unsqueeze(3),
    "unsqueeze_neg_dim": lambda T: T.ones(2, 3).unsqueeze(-4),
    "transpose_dim": lambda T: T.ones(2, 3).transpose(0, 2),
    "transpose_neg_dim": lambda T: T.ones(2, 3).transpose(-3, 0),
    "squeeze_dim": lambda T: T.ones(2, 3).squeeze(2),
    "flatten_dim": lambda T: T.ones(2, 3).flatten(0, 2),
    "flatten_order": lambda T: T.ones(2, 3, 4).flatten(2, 1),
    "flatten_0d_start": lambda T: T.tensor(1.0).flatten(1),
    "flatten_float_dim": lambda T: T.ones(2, 3).flatten(1.0),
    "softmax_int_not_last_dim": lambda T: T.ones(2, 3, dtype=T.int64).softmax(0),
    "log_softmax_int_last_dim": lambda T: T.ones(2, 3, dtype=T.int64).log_softmax(-1),
    "max_dim": lambda T: T.ones(2, 3).max(2),
    "min_dim": lambda T: T.ones(2, 3).min(-3),
    "max_of_empty": lambda T: T.ones(0).max(),
    "argmax_dim": lambda T: T.ones(2, 3).argmax(2),
    "softmax_dim": lambda T: T.ones(2, 3).softmax(2),
    "softmax_neg_dim": lambda T: T.ones(2, 3).softmax(-3),
    "softmax_1d_dim": lambda T: T.ones(3).softmax(1),
    "softmax_0d_dim": lambda T: T.tensor(1.0).softmax(1),
    "softmax_no_dim": lambda T: T.softmax(T.ones(3)),
    "softmax_method_no_dim": lambda T: T.ones(3).softmax(),
    "softmax_int": lambda T: T.ones(3, dtype=T.int64).softmax(0),
    "log_softmax_dim": lambda T: T.ones(2, 3).log_softmax(2),
    "log_softmax_int": lambda T: T.ones(3, dtype=T.int64).log_softmax(0),
    "log_softmax_no_dim": lambda T: T.log_softmax(T.ones(3)),
    "t_of_3d": lambda T: T.ones(2, 3, 4).t(),
    "mT_of_1d": lambda T: T.ones(3).mT,
    "permute_length": lambda T: T.ones(2, 3).permute(0),
    "permute_repeated": lambda T: T.ones(2, 3).permute(0, 0),
    "permute_dim": lambda T: T.ones(2, 3).permute(0, 2),
    "expand_mismatch": lambda T: T.ones(2, 3).expand(4, 3),
    "expand_too_few_sizes": lambda T: T.ones(2, 3).expand(3),
    "expand_int_too_few_sizes": lambda T: T.ones(2, 3, dtype=T.int64).expand(3),
    "expand_new_dim_minus_one": lambda T: T.ones(3).expand(-1, 3),
    "unflatten_sizes": lambda T: T.ones(6).unflatten(0, (4, 2)),
    "cat_ranks": lambda T: T.cat([T.ones(2, 3), T.ones(3)]),
    "cat_sizes": lambda T: T.cat([T.ones(2, 3), T.ones(2, 4)]),
    "cat_sizes_dim1": lambda T: T.cat([T.ones(2, 3), T.ones(3, 3)], 1),
    "cat_dim": lambda T: T.cat([T.ones(2, 3), T.ones(2, 3)], 2),
    "cat_empty_list": lambda T: T.cat([]),
    "stack_sizes": lambda T: T.stack([T.ones(2, 3), T.ones(3, 2)]),
    "stack_empty_list": lambda T: T.stack([]),
    "stack_dim": lambda T: T.stack([T.ones(2, 3), T.ones(2, 3)], 3),
    "broadcast_add": lambda T: T.ones(2, 3) + T.ones(4),
    "broadcast_mul": lambda T: T.ones(2, 3) * T.ones(2, 1, 4),
    "broadcast_sub": lambda T: T.ones(5, 3) - T.ones(4, 3),
    "broadcast_div": lambda T: T.ones(5, 3) / T.ones(4, 1),
    "broadcast_pow": lambda T: T.ones(5, 3) ** T.ones(4, 1),
    "broadcast_compare": lambda T: T.ones(5, 3) < T.ones(4, 1),
    "int_negative_power": lambda T: T.tensor([1, 2]) ** -1,
    "bool_sub": lambda T: T.tensor([True]) - T.tensor([1]),
    "bool_sub_bool": lambda T: T.tensor([True]) - T.tensor([False]),
    "bool_neg": lambda T: -T.tensor([True]),
    "bool_pow_bool": lambda T: T.tensor([True]) ** T.tensor([True]),
    "len_0d": lambda T: len(T.tensor(1.0)),
    "format_spec_of_1d": lambda T: f"{T.ones(2):.2f}",
    "index_of_float": lambda T: [1, 2][T.tensor(1.0)],
    "iter_0d": lambda T: iter(T.tensor(1.0)),
    "bool_of_many": lambda T: bool(T.ones(3)),
    "clamp_without_bounds": lambda T: T.ones(3).clamp(),
    "fill_str": lambda T: T.ones(2).fill_("a"),
    "uniform_bounds": lambda T: T.ones(2).uniform_(1.0, 0.0),
    "normal_std": lambda T: T.ones(2).normal_(0.0, -1.0),
    "uniform_int": lambda T: T.ones(2, dtype=T.int64).uniform_(),
    "normal_int": lambda T: T.ones(2, dtype=T.int64).normal_(),
    "copy_broadcast": lambda T: T.ones(2, 3).copy_(T.ones(4)),
    "size_dim": lambda T: T.ones(2, 3).size(2),
    "where_int_condition": lambda T: T.where(T.tensor([1, 0]), T.ones(2), T.zeros(2)),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_type_and_message_match_torch(torch, name):
    assert error_of(cl, ERRORS[name]) == error_of(torch, ERRORS[name])


# ----------------------------------------------------------------------------------------------
# Extreme input
# ----------------------------------------------------------------------------------------------


def _no_numpy_warnings(fn):
    """torch computes inf and nan silently; so must we (no NumPy RuntimeWarning leaks out)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn()


@pytest.mark.parametrize("dtype", [cl.float32, cl.float64])
def test_softmax_of_huge_logits_is_finite_and_exact(dtype):
    x = cl.tensor([[-1e4, 0.0, 1e4], [1e4, 1e4, -1e4]], dtype=dtype, requires_grad=True)
    p = _no_numpy_warnings(lambda: x.softmax(1))
    assert p.tolist() == [[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]]
    logp = _no_numpy_warnings(lambda: x.log_softmax(-1))
    expected = [[-2e4, -1e4, 0.0], [-np.log(2), -np.log(2), -2e4 - np.log(2)]]  # x - logsumexp
    np.testing.assert_allclose(logp.tolist(), expected, rtol=1e-6)
    _no_numpy_warnings(lambda: (p * cl.tensor([1.0, 2.0, 3.0], dtype=dtype)).sum().backward())
    assert np.isfinite(x.grad.numpy()).all()
    x.grad = None
    _no_numpy_warnings(lambda: logp.sum().backward())
    assert np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize("dtype", [cl.float32, cl.float64])
def test_sigmoid_and_tanh_of_huge_inputs_saturate(dtype):
    x = cl.tensor([-1e4, -100.0, 0.0, 100.0, 1e4], dtype=dtype, requires_grad=True)
    s = _no_numpy_warnings(lambda: x.sigmoid())
    assert s.tolist() == [0.0, pytest.approx(0.0, abs=1e-40), 0.5, 1.0, 1.0]
    t = _no_numpy_warnings(lambda: x.tanh())
    assert t.tolist() == [-1.0, -1.0, 0.0, 1.0, 1.0]
    _no_numpy_warnings(lambda: (s + t).sum().backward())
    assert np.isfinite(x.grad.numpy()).all()
    assert x.grad[2].item() == 1.25  # sigmoid'(0) + tanh'(0) = 0.25 + 1


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_extreme_values_match_torch(torch, dtype):
    values = [-1e4, -800.0, -100.0, -1.0, 0.0, 1e-30, 1.0, 100.0, 800.0, 1e4, np.inf, -np.inf]
    fns = {
        "exp": lambda T, x: x.exp(),
        "log": lambda T, x: x.log(),
        "sqrt": lambda T, x: x.abs().sqrt(),
        "sigmoid": lambda T, x: x.sigmoid(),
        "tanh": lambda T, x: x.tanh(),
        "softmax": lambda T, x: x.softmax(0),
        "log_softmax": lambda T, x: x[:-2].log_softmax(0),
        "reciprocal": lambda T, x: x.reciprocal(),
        "div_by_zero": lambda T, x: x / 0.0,
        "pow": lambda T, x: x**3,
    }
    x = cl.tensor(values, dtype=getattr(cl, dtype))
    for name, fn in fns.items():
        ours = _no_numpy_warnings(lambda fn=fn: fn(cl, x))
        theirs = fn(torch, torch.tensor(values, dtype=getattr(torch, dtype)))
        # atol: torch flushes sigmoid(-100) to 0 in float32, we give the denormal 3.8e-44
        np.testing.assert_allclose(
            ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-38, err_msg=name
        )
        assert str(ours.dtype) == str(theirs.dtype), name


def test_exp_overflows_to_inf_like_torch():
    assert cl.tensor([100.0]).exp().item() == np.inf  # float32 overflows above ~88.7
    assert np.isfinite(cl.tensor([100.0], dtype=cl.float64).exp().item())
