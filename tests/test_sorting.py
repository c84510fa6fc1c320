"""Sorting and selection (sort, argsort, msort, topk, kthvalue, median) against torch: values,
indices (with ties, NaN, 0. and -0.), dtypes, gradients and grad_fn names, return types and
their reprs, and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import gradcheck
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from parity import Case, assert_case_matches, error_of, outcome

import course_lib as cl

NAN = float("nan")


def _pair(result) -> tuple:
    """(values, indices) as NumPy arrays with their dtypes, to compare across libraries."""
    values, indices = result
    return (
        values.detach().numpy().copy(),
        str(values.dtype),
        indices.numpy().copy(),
        str(indices.dtype),
    )


def _same(ours, theirs) -> None:
    np.testing.assert_array_equal(ours[0], theirs[0])  # NaN equals NaN here
    assert ours[1] == theirs[1], "values dtype"
    np.testing.assert_array_equal(ours[2], theirs[2], err_msg="indices")
    assert ours[3] == theirs[3], "indices dtype"
    assert np.signbit(ours[0]).tolist() == np.signbit(theirs[0]).tolist(), "0. and -0."


def _tie_heavy(rng, shape, dtype: str) -> np.ndarray:
    """Few distinct values (so many ties), with NaNs and -0. for floats."""
    if dtype == "bool":
        return rng.random(shape) < 0.5
    levels = int(rng.choice([1, 2, 3, 7, 50]))
    a = rng.integers(-levels // 2, levels - levels // 2, shape)
    if dtype == "int64":
        return a
    a = a.astype(np.float64)
    a[rng.random(shape) < 0.1] = NAN
    a[(a == 0) & (rng.random(shape) < 0.5)] = -0.0
    return a


SIZES = [1, 2, 3, 5, 16, 17, 30, 64, 65, 129, 300]


# -- sort, argsort, msort ---------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize("stable", [False, True])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_order_of_ties_matches_torch(torch, dtype, stable, descending):
    """Past 16 elements torch's unstable sort reorders equal elements: the same order here."""
    rng = np.random.default_rng(0)
    for n in SIZES:
        for shape, dim in (((n,), 0), ((3, n), 1), ((n, 2), 0), ((2, n, 2), -2)):
            a = _tie_heavy(rng, shape, dtype)
            got = [
                _pair(
                    T.tensor(a, dtype=getattr(T, dtype)).sort(
                        dim=dim, descending=descending, stable=stable
                    )
                )
                for T in (cl, torch)
            ]
            _same(*got)


def test_unstable_sort_reorders_ties_past_16_elements(torch):
    a = np.zeros(17)  # all equal: a stable sort would give 0, 1, ..., 16
    ours = cl.tensor(a).sort().indices.tolist()
    assert ours == torch.tensor(a).sort().indices.tolist()
    assert ours != list(range(17))
    assert cl.tensor(a).sort(stable=True).indices.tolist() == list(range(17))


def test_sort_nan_is_largest_and_zero_signs_tie(torch):
    a = [3.0, 1.0, NAN, 1.0, 2.0, NAN, 1.0, -0.0, 0.0]
    for descending in (False, True):
        _same(*[_pair(T.tensor(a).sort(descending=descending)) for T in (cl, torch)])
    assert cl.tensor(a).sort().indices.tolist() == [7, 8, 1, 3, 6, 4, 0, 2, 5]


def test_sort_bool_and_small_int_dtypes(torch):
    rng = np.random.default_rng(1)
    a = rng.random(40) < 0.5
    for descending in (False, True):
        _same(*[_pair(T.tensor(a).sort(descending=descending)) for T in (cl, torch)])
    for dtype in ("int32", "uint8"):
        b = rng.integers(0, 4, 40)
        _same(*[_pair(T.tensor(b, dtype=getattr(T, dtype)).sort()) for T in (cl, torch)])


def test_big_1d_int_sort_is_stable_as_torch_radix_sort(torch):
    """torch sorts a 1-D integer tensor of 32768 elements or more with a stable radix sort."""
    rng = np.random.default_rng(2)
    for n in (32767, 32768):
        a = rng.integers(-2, 2, n)
        _same(*[_pair(T.tensor(a).sort()) for T in (cl, torch)])


def test_sort_of_an_expanded_dim_keeps_the_order(torch):
    a = [[1.0], [2.0]]
    _same(*[_pair(T.tensor(a).expand(2, 20).sort()) for T in (cl, torch)])


@pytest.mark.parametrize(
    "shape, dim", [((), 0), ((), -1), ((0,), 0), ((0, 3), 0), ((0, 3), 1), ((2, 0), -1)]
)
def test_sort_of_empty_and_0d(torch, shape, dim):
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    _same(*[_pair(T.tensor(a).sort(dim)) for T in (cl, torch)])
    assert outcome(cl, lambda T: T.tensor(a).argsort(dim)) == outcome(
        torch, lambda T: T.tensor(a).argsort(dim)
    )


def test_argsort_and_msort_match_sort(torch):
    rng = np.random.default_rng(3)
    a = _tie_heavy(rng, (40, 3), "float64")
    for T in (cl, torch):
        x = T.tensor(a)
        assert T.argsort(x).tolist() == x.sort().indices.tolist()
    for fn in (
        lambda T: T.argsort(T.tensor(a), 0, True),
        lambda T: T.tensor(a).argsort(dim=0, descending=True, stable=True),
        lambda T: T.argsort(T.tensor(a), stable=True),
        lambda T: T.msort(T.tensor(a)),
        lambda T: T.tensor(a).msort(),
        lambda T: T.sort(T.tensor(a), 0, True).indices,
        lambda T: T.sort(T.tensor(a), stable=True, dim=0).indices,
        lambda T: T.tensor(a).sort(axis=0).indices,
    ):
        ours, theirs = fn(cl), fn(torch)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert str(ours.dtype) == str(theirs.dtype)


def test_argsort_and_msort_of_0d(torch):
    for fn in (lambda T: T.tensor(5.0).argsort(), lambda T: T.msort(T.tensor(5.0))):
        assert outcome(cl, fn) == outcome(torch, fn)


# -- topk -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_topk_order_of_ties_matches_torch(torch, dtype):
    """partial_sort when k * 64 <= n, else nth_element (+ sort): torch's order for ties, and
    for sorted=False its selection's own order."""
    rng = np.random.default_rng(4)
    for n in SIZES + [128, 640]:
        for shape, dim in (((n,), 0), ((2, n), -1), ((n, 2), 0)):
            a = _tie_heavy(rng, shape, dtype)
            ks = sorted({0, 1, 2, n // 64, n // 2, n - 1, n} & set(range(n + 1)))
            for k in ks:
                for largest in (True, False):
                    for sorted_ in (True, False):
                        got = [
                            _pair(T.tensor(a, dtype=getattr(T, dtype)).topk(
                                k, dim, largest, sorted_
                            ))
                            for T in (cl, torch)
                        ]  # fmt: skip
                        _same(*got)


def test_topk_unsorted_without_ties_is_torch_selection_order(torch):
    a = np.random.default_rng(5).permutation(50).astype(np.float64)
    ours = cl.tensor(a).topk(10, sorted=False).indices.tolist()
    assert ours == torch.tensor(a).topk(10, sorted=False).indices.tolist()
    assert ours != cl.tensor(a).topk(10).indices.tolist()  # not simply the sorted order


def test_topk_0d_and_empty(torch):
    for fn in (
        lambda T: T.tensor(3.0).topk(1),
        lambda T: T.tensor(3.0).topk(0),  # torch copies the element here too
        lambda T: T.zeros(0).topk(0),
        lambda T: T.zeros(2, 0).topk(0),
        lambda T: T.zeros(2, 0).topk(0, 0),
        lambda T: T.topk(T.tensor([[1, 5, 2]]), 2, largest=False),
    ):
        assert outcome(cl, fn) == outcome(torch, fn)


# -- kthvalue and median ----------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_kthvalue_index_among_ties_matches_torch(torch, dtype):
    rng = np.random.default_rng(6)
    for n in SIZES:
        for shape, dim in (((n,), 0), ((3, n), 1), ((n, 2), 0)):
            a = _tie_heavy(rng, shape, dtype)
            for k in sorted({1, 2, (n + 1) // 2, n} & set(range(1, n + 1))):
                for keepdim in (False, True):
                    got = [
                        _pair(T.tensor(a, dtype=getattr(T, dtype)).kthvalue(k, dim, keepdim))
                        for T in (cl, torch)
                    ]
                    _same(*got)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_median_matches_torch(torch, dtype):
    rng = np.random.default_rng(7)
    for n in SIZES:
        for shape, dim in (((n,), 0), ((3, n), 1), ((n, 2), 0), ((n, 2), -2)):
            a = _tie_heavy(rng, shape, dtype)
            for keepdim in (False, True):
                got = [
                    _pair(T.tensor(a, dtype=getattr(T, dtype)).median(dim, keepdim))
                    for T in (cl, torch)
                ]
                _same(*got)
            whole = [T.tensor(a, dtype=getattr(T, dtype)).median() for T in (cl, torch)]
            np.testing.assert_array_equal(whole[0].numpy(), whole[1].numpy())
            assert str(whole[0].dtype) == str(whole[1].dtype)


def test_median_is_the_lower_middle_and_nan_wins(torch):
    for a in ([1.0, 4.0, 2.0, 3.0], [1.0, NAN, 2.0], [[1.0, NAN], [2.0, 2.0]]):
        for fn in (
            lambda T, a=a: T.tensor(a).median(),
            lambda T, a=a: T.median(T.tensor(a), -1),
            lambda T, a=a: T.median(T.tensor(a), dim=0, keepdim=True),
        ):
            assert outcome(cl, fn) == outcome(torch, fn)
    assert cl.tensor([1.0, 4.0, 2.0, 3.0]).median().item() == 2.0


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool"])
def test_median_of_nothing(torch, dtype):
    """torch gives NaN, cast to the dtype (the smallest int for int64 and int32, True for bool)."""
    fn = lambda T: T.zeros(0, dtype=getattr(T, dtype)).median()  # noqa: E731
    assert outcome(cl, fn) == outcome(torch, fn)


def test_kthvalue_and_median_0d_and_empty(torch):
    for fn in (
        lambda T: T.tensor(3.0).kthvalue(1),
        lambda T: T.tensor(3.0).median(0),
        lambda T: T.tensor(3.0).median(),
        lambda T: T.zeros(2, 0).kthvalue(1, 0),
        lambda T: T.zeros(2, 0).median(0),
        lambda T: T.kthvalue(T.tensor([[3.0, 1.0], [0.0, 5.0]]), 1, dim=0),
        lambda T: T.tensor([[3.0, 1.0], [0.0, 5.0]]).kthvalue(1, axis=0, keepdims=True),
    ):
        assert outcome(cl, fn) == outcome(torch, fn)


# -- return types -----------------------------------------------------------------------------


def test_return_types_repr_fields_and_unpacking(torch):
    a = [[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]
    for fn in (
        lambda T: T.tensor(a).sort(),
        lambda T: T.tensor(a).topk(2),
        lambda T: T.tensor(a).kthvalue(2),
        lambda T: T.tensor(a).median(1, keepdim=True),
    ):
        ours, theirs = fn(cl), fn(torch)
        assert repr(ours) == repr(theirs)
        assert type(ours).__name__ == type(theirs).__name__
        assert isinstance(ours, tuple) and len(ours) == 2
        values, indices = ours
        assert values is ours.values and indices is ours.indices
        assert ours[0] is ours.values


# -- gradients --------------------------------------------------------------------------------

GRAD_CASES = [
    Case("sort", lambda T, x: T.sort(x).values, [((3, 5), "distinct")]),
    Case("sort desc dim0", lambda T, x: x.sort(0, True).values, [((4, 3), "distinct")]),
    Case("msort", lambda T, x: T.msort(x), [((4, 3), "distinct")]),
    Case("topk", lambda T, x: x.topk(2).values, [((3, 5), "distinct")]),
    Case("topk smallest", lambda T, x: T.topk(x, 3, 0, False).values, [((4, 3), "distinct")]),
    Case("kthvalue", lambda T, x: x.kthvalue(2, 1).values, [((3, 5), "distinct")]),
    Case("kthvalue keep", lambda T, x: x.kthvalue(3, 0, True).values, [((4, 3), "distinct")]),
    Case("median dim", lambda T, x: x.median(1).values, [((3, 5), "distinct")]),
    Case("median keep", lambda T, x: T.median(x, 0, True).values, [((4, 3), "distinct")]),
    Case("median", lambda T, x: x.median(), [((4, 3), "distinct")]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[c.name for c in GRAD_CASES])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_and_grad_fn_match_torch(torch, case, dtype):
    assert_case_matches(cl, torch, case, dtype)
    x = [T.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True) for T in (cl, torch)]
    names = [case.fn(T, t).grad_fn.name() for T, t in zip((cl, torch), x)]
    assert names[0] == names[1]


@pytest.mark.parametrize("case", GRAD_CASES, ids=[c.name for c in GRAD_CASES])
def test_gradients_numerically(case):
    x = np.random.default_rng(8).permutation(12).reshape(4, 3) * 0.5
    gradcheck(lambda t: case.fn(cl, t), x)


def test_gradient_with_ties_goes_where_torch_sends_it(torch):
    a = [[1.0, 3.0, 3.0, 2.0, 3.0, 3.0]]
    for fn in (
        lambda x: x.sort(1, True).values,
        lambda x: x.topk(2).values,
        lambda x: x.kthvalue(5).values,
        lambda x: x.median(1).values,
        lambda x: x.median(),  # shared evenly by the equal elements
        lambda x: x.reshape(-1)[:4].median(),
    ):
        grads = []
        for T in (cl, torch):
            x = T.tensor(a, requires_grad=True)
            out = fn(x)
            out.backward(T.arange(1.0, out.numel() + 1).reshape(out.shape))
            grads.append(x.grad.numpy())
        np.testing.assert_array_equal(*grads)
    for T in (cl, torch):  # NaN medians: the gradient is shared by the NaNs
        x = T.tensor([1.0, NAN, 3.0, NAN], requires_grad=True)
        x.median().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_array_equal(grads[-2], grads[-1])


def test_0d_gradients_and_indices_need_no_grad(torch):
    for fn in (
        lambda x: x.sort(),
        lambda x: x.topk(1),
        lambda x: x.kthvalue(1),
        lambda x: x.median(0),
    ):
        seen = []
        for T in (cl, torch):
            x = T.tensor(2.0, requires_grad=True)
            values, indices = fn(x)
            values.backward()
            seen.append((values.grad_fn.name(), indices.requires_grad, x.grad.item()))
        assert seen[0] == seen[1]


def test_sort_backward_frees_its_saved_indices(torch):
    messages = []
    for T in (cl, torch):
        x = T.tensor([1.0, 3.0, 2.0], requires_grad=True)
        v, i = x.sort()
        v.sum().backward()
        messages.append(error_of(T, lambda T, v=v: v.sum().backward()))
        v, i = x.sort()
        i.add_(1)  # the saved indices changed in place
        messages.append(error_of(T, lambda T, v=v: v.sum().backward()))
    assert messages[:2] == messages[2:]


# -- errors -----------------------------------------------------------------------------------

X = [[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]

ERRORS = [
    lambda T: T.tensor(X).sort(2),
    lambda T: T.tensor(3.0).sort(1),
    lambda T: T.tensor(X).sort(1.0),
    lambda T: T.tensor(X).sort(0, 1),
    lambda T: T.tensor(X).sort(1.0, True),
    lambda T: T.tensor(X).sort(True),
    lambda T: T.tensor(X).sort(dim=None),
    lambda T: T.tensor(X).sort(descending=1),
    lambda T: T.tensor(X).sort(foo=1),
    lambda T: T.tensor(X).sort(0, True, 5),
    lambda T: T.tensor(X).sort(0, True, stable=True),
    lambda T: T.tensor(X).sort(0, descending=True, stable=True),
    lambda T: T.tensor(X).sort(stable=1, dim=0, descending=True),
    lambda T: T.tensor(X).sort(stable=1),
    lambda T: T.sort([1, 2]),
    lambda T: T.sort(T.tensor(X), 1.0),
    lambda T: T.sort(T.tensor(X), 0, True, True),
    lambda T: T.sort(T.tensor(X), 0, 1),
    lambda T: T.tensor(X).argsort(0, 1.0),
    lambda T: T.tensor(X).argsort(stable=None),
    lambda T: T.tensor(X).argsort(stable=1),
    lambda T: T.argsort(T.tensor(X), 0, 1),
    lambda T: T.argsort(T.tensor(X), 1.0),
    lambda T: T.msort([1]),
    lambda T: T.msort(T.tensor(X), dim=0),
    lambda T: T.tensor(X).topk(4),
    lambda T: T.tensor(X).topk(-1),
    lambda T: T.tensor(X).topk(2, 2),
    lambda T: T.tensor(X).topk(2.0),
    lambda T: T.tensor(X).topk(True),
    lambda T: T.tensor(X).topk(k=None),
    lambda T: T.tensor(X).topk(),
    lambda T: T.tensor(X).topk(1, 0.0),
    lambda T: T.tensor(X).topk(1, dim=True),
    lambda T: T.tensor(X).topk(1, 0, 1),
    lambda T: T.tensor(X).topk(1, 0, True, 1),
    lambda T: T.tensor(X).topk(1, largest=None),
    lambda T: T.tensor(X).topk(1, 0, True, True, 5),
    lambda T: T.tensor(X).topk(1, foo=2),
    lambda T: T.tensor(X).topk(1, k=2),
    lambda T: T.topk(T.tensor(X), 1, k=2),
    lambda T: T.tensor(X).topk(1, 0, axis=0),
    lambda T: T.tensor(X).kthvalue(1, 0, dim=1),
    lambda T: T.tensor(X).median(0, dim=0),
    lambda T: T.tensor(X).cummax(0, dim=0),
    lambda T: T.tensor(3.0).topk(2),
    lambda T: T.zeros(0).topk(1),
    lambda T: T.tensor([True, False]).topk(1),
    lambda T: T.tensor([True]).topk(5),
    lambda T: T.topk(T.tensor(X), 1.0),
    lambda T: T.topk(T.tensor(X), 1, 0.0),
    lambda T: T.topk(T.tensor(X), 1, 0, True, True, 5),
    lambda T: T.topk([1], 1),
    lambda T: T.topk(T.tensor(X)),
    lambda T: T.tensor(X).kthvalue(0),
    lambda T: T.tensor(X).kthvalue(4),
    lambda T: T.tensor(X).kthvalue(-1),
    lambda T: T.tensor(3.0).kthvalue(2),
    lambda T: T.tensor(3.0).kthvalue(1, 1),
    lambda T: T.zeros(0).kthvalue(1),
    lambda T: T.zeros(2, 0).kthvalue(1),
    lambda T: T.zeros(0).kthvalue(1, 5),
    lambda T: T.tensor([True, False]).kthvalue(1),
    lambda T: T.tensor([True]).kthvalue(5),
    lambda T: T.zeros(0, dtype=T.bool).kthvalue(1),
    lambda T: T.tensor(X).kthvalue(),
    lambda T: T.tensor(X).kthvalue(1.0),
    lambda T: T.tensor(X).kthvalue(1, 0.0),
    lambda T: T.tensor(X).kthvalue(1, 0, 1),
    lambda T: T.tensor(X).kthvalue(1, 0, True, 5),
    lambda T: T.tensor(X).kthvalue(1, foo=1),
    lambda T: T.kthvalue(T.tensor(X), 1.0),
    lambda T: T.kthvalue(T.tensor(X), 1, 0, 1),
    lambda T: T.kthvalue([1], 1),
    lambda T: T.tensor([True, False]).median(),
    lambda T: T.tensor([True, False]).median(0),
    lambda T: T.zeros(0, dtype=T.bool).median(0),
    lambda T: T.zeros(2, 0).median(1),
    lambda T: T.tensor(3.0).median(1),
    lambda T: T.tensor(X).median(0.5),
    lambda T: T.tensor(X).median(None),
    lambda T: T.tensor(X).median(dim=None),
    lambda T: T.tensor(X).median(True),
    lambda T: T.tensor(X).median(0, 1),
    lambda T: T.tensor(X).median(keepdim=True),
    lambda T: T.tensor(X).median(0, foo=1),
    lambda T: T.tensor(X).median(0, True, 5),
    lambda T: T.median(T.tensor(X), 0.0),
    lambda T: T.median(T.tensor(X), 0, 1),
    lambda T: T.median(T.tensor(X), None),
    lambda T: T.median([1]),
]


@pytest.mark.parametrize("fn", ERRORS, ids=range(len(ERRORS)))
def test_errors_match_torch(torch, fn):
    assert error_of(cl, fn) == error_of(torch, fn)


# -- nonzero, argwhere, count_nonzero ----------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("shape", [(), (0,), (7,), (3, 4), (2, 0, 3), (2, 3, 4)])
def test_nonzero_argwhere_count_nonzero_match_torch(torch, dtype, shape):
    rng = np.random.default_rng(9)
    a = _tie_heavy(rng, shape, dtype)
    if dtype != "bool":
        a = np.where(rng.random(shape) < 0.4, 0, a)  # zeros (and -0.), NaN is non-zero
    for fn in (
        lambda T: T.tensor(a, dtype=getattr(T, dtype)).nonzero(),
        lambda T: T.nonzero(T.tensor(a, dtype=getattr(T, dtype)), as_tuple=True),
        lambda T: T.argwhere(T.tensor(a, dtype=getattr(T, dtype))),
        lambda T: T.tensor(a, dtype=getattr(T, dtype)).argwhere(),
        lambda T: T.count_nonzero(T.tensor(a, dtype=getattr(T, dtype))),
        lambda T: T.tensor(a, dtype=getattr(T, dtype)).count_nonzero(-1),
        lambda T: T.tensor(a, dtype=getattr(T, dtype)).count_nonzero(dim=(0, -1)),
        lambda T: T.tensor(a, dtype=getattr(T, dtype)).count_nonzero(0, -1),
        lambda T: T.tensor(a, dtype=getattr(T, dtype)).count_nonzero(axis=[-1]),
        lambda T: T.count_nonzero(T.tensor(a, dtype=getattr(T, dtype)), None),
    ):
        assert outcome(cl, fn) == outcome(torch, fn)


def test_nonzero_as_tuple_indexes_the_nonzeros():
    x = cl.tensor([[0.0, 2.0], [3.0, 0.0]])
    assert x[x.nonzero(as_tuple=True)].tolist() == [2.0, 3.0]


# -- masked_select ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x_shape, mask_shape",
    [((2, 3), (2, 3)), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 1), (1, 3)), ((), ()), ((4,), ())],
)
def test_masked_select_broadcasts_and_its_gradient_sums_back(torch, x_shape, mask_shape):
    rng = np.random.default_rng(10)
    a = rng.standard_normal(x_shape)
    m = rng.random(mask_shape) < 0.6
    results = []
    for T in (cl, torch):
        x = T.tensor(a, requires_grad=True)
        out = T.masked_select(x, T.tensor(m))
        out.backward(T.arange(1.0, out.numel() + 1, dtype=T.float64))
        results.append((out.detach().numpy(), str(out.dtype), out.grad_fn.name(), x.grad.numpy()))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    assert results[0][1:3] == results[1][1:3]
    np.testing.assert_array_equal(results[0][3], results[1][3])


def test_masked_select_gradient_numerically():
    m = cl.tensor([[True, False, True], [False, True, True]])
    gradcheck(lambda x: x.masked_select(m), np.arange(6.0).reshape(2, 3))
    gradcheck(lambda x: x.masked_select(m), np.arange(3.0))  # broadcast over rows


# -- unique -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("shape", [(), (0,), (1,), (9,), (3, 5), (40, 3)])
def test_unique_matches_torch(torch, dtype, shape):
    """Sorted; each NaN on its own; 0. and -0. as one, shown as the one torch's unstable sort
    puts first (past 16 elements, not always the first in the input)."""
    rng = np.random.default_rng(11)
    a = _tie_heavy(rng, shape, dtype)
    for flags in ((True, False, False), (True, True, True), (False, True, False)):
        for fn in (
            lambda T, f=flags: T.unique(T.tensor(a, dtype=getattr(T, dtype)), *f),
            lambda T, f=flags: T.tensor(a, dtype=getattr(T, dtype)).unique(
                sorted=f[0], return_inverse=f[1], return_counts=f[2]
            ),
        ):
            ours, theirs = fn(cl), fn(torch)
            assert outcome(cl, fn) == outcome(torch, fn)
            for o, t in zip(ours if flags[1] else [ours], theirs if flags[1] else [theirs]):
                assert np.signbit(o.numpy()).tolist() == np.signbit(t.numpy()).tolist()


def test_unique_zero_signs():
    assert np.signbit(cl.unique(cl.tensor([0.0, -0.0])).numpy()).tolist() == [False]
    assert np.signbit(cl.unique(cl.tensor([-0.0, 0.0])).numpy()).tolist() == [True]


def test_unique_records_a_grad_fn_without_a_derivative(torch):
    seen = []
    for T in (cl, torch):
        u = T.tensor([1.0, 2.0, 1.0], requires_grad=True).unique()
        seen.append(
            (u.grad_fn.name(), u.requires_grad, error_of(T, lambda T, u=u: u.sum().backward()))
        )
    assert seen[0] == seen[1]


# -- cummax, cummin ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("which", ["cummax", "cummin"])
def test_cummax_cummin_match_torch(torch, dtype, which):
    """The latest of equal values wins (0. and -0. too); a NaN wins from where it appears."""
    rng = np.random.default_rng(12)
    for shape, dim in (((), 0), ((0,), 0), ((9,), 0), ((4, 7), 1), ((7, 3), 0), ((2, 0), 0)):
        for _ in range(3):
            a = _tie_heavy(rng, shape, dtype)
            got = [
                _pair(getattr(T, which)(T.tensor(a, dtype=getattr(T, dtype)), dim))
                for T in (cl, torch)
            ]
            _same(*got)
    fn = lambda T: getattr(T.tensor([[1.0, 3.0], [2.0, 2.0]]), which)(dim=-1)  # noqa: E731
    assert outcome(cl, fn) == outcome(torch, fn)


@pytest.mark.parametrize("which", ["cummax", "cummin"])
def test_cummax_cummin_gradients(torch, which):
    a = [[1.0, 3.0, 2.0, 3.0, 1.0], [2.0, 2.0, 5.0, 0.0, 0.0]]  # ties: the latest takes it
    seen = []
    for T in (cl, torch):
        x = T.tensor(a, requires_grad=True)
        values = getattr(x, which)(1).values
        values.backward(T.arange(1.0, 11.0).reshape(2, 5))
        seen.append((values.grad_fn.name(), x.grad.tolist()))
        s = T.tensor(2.0, requires_grad=True)
        getattr(s, which)(0).values.backward()
        seen.append(s.grad.item())
    assert seen[:2] == seen[2:]
    gradcheck(lambda x: getattr(x, which)(0).values, np.random.default_rng(13).random((5, 3)))


PART3_ERRORS = [
    lambda T: T.tensor(X).nonzero(True),
    lambda T: T.tensor(X).nonzero(as_tuple=1),
    lambda T: T.tensor(X).nonzero(as_tuple=None),
    lambda T: T.nonzero([1]),
    lambda T: T.tensor(X).count_nonzero(dim=(0, 0)),
    lambda T: T.tensor(X).count_nonzero(2),
    lambda T: T.tensor(X).count_nonzero(1.0),
    lambda T: T.tensor(X).count_nonzero(True),
    lambda T: T.tensor(X).count_nonzero(dim=1.0),
    lambda T: T.tensor(X).count_nonzero((0, 1.0)),
    lambda T: T.tensor(X).count_nonzero(0, dim=1),
    lambda T: T.tensor(X).count_nonzero(dim=(0, 1), axis=0),
    lambda T: T.tensor(X).count_nonzero(foo=1),
    lambda T: T.count_nonzero(T.tensor(X), 1.0),
    lambda T: T.count_nonzero(T.tensor(X), dim=1.0),
    lambda T: T.count_nonzero(T.tensor(X), 0, 1),
    lambda T: T.tensor(X).argwhere(0),
    lambda T: T.tensor(X).msort(0),
    lambda T: T.tensor(X).masked_select(T.tensor([1, 0, 1])),
    lambda T: T.tensor(X).masked_select(T.tensor([1, 0], dtype=T.uint8)),
    lambda T: T.tensor(X).masked_select(T.tensor([True, False])),
    lambda T: T.tensor(X).masked_select(True),
    lambda T: T.masked_select(T.tensor(X), 1),
    lambda T: T.unique(T.tensor([1, 2]), sorted=1),
    lambda T: T.unique(T.tensor([1, 2]), return_inverse=1),
    lambda T: T.tensor([1, 2]).unique(1),
    lambda T: T.tensor([1, 2]).unique(return_counts=None),
    lambda T: T.unique([1, 2]),
    lambda T: T.tensor(X).cummax(),
    lambda T: T.tensor(X).cummin(2),
    lambda T: T.tensor(3.0).cummax(1),
    lambda T: T.tensor(3.0).cummin(-2),
    lambda T: T.tensor(X).cummax(0.0),
    lambda T: T.tensor(X).cummin(dim=None),
    lambda T: T.cummax([1], 0),
    lambda T: T.cummin(T.tensor(X), 0.0),
]


@pytest.mark.parametrize("fn", PART3_ERRORS, ids=range(len(PART3_ERRORS)))
def test_finding_errors_match_torch(torch, fn):
    assert error_of(cl, fn) == error_of(torch, fn)


def test_unique_over_a_dim_is_not_in_course_lib():
    with pytest.raises(NotImplementedError, match="no dim="):
        cl.tensor([[1, 2], [1, 2]]).unique(dim=0)


def test_unique_zero_sign_past_16_elements_matches_torch(torch):
    rng = np.random.default_rng(14)
    for n in (17, 40, 120, 500):
        for _ in range(5):
            a = rng.integers(-2, 3, n).astype(np.float64)
            a[(a == 0) & (rng.random(n) < 0.5)] = -0.0
            ours, theirs = cl.unique(cl.tensor(a)).numpy(), torch.unique(torch.tensor(a)).numpy()
            np.testing.assert_array_equal(ours, theirs)
            assert np.signbit(ours).tolist() == np.signbit(theirs).tolist()


@pytest.mark.parametrize(
    "fn",
    [
        lambda: cl.sort(cl.tensor([2.0, 1.0]), out=(cl.empty(2), cl.empty(2, dtype=cl.int64))),
        lambda: cl.topk(cl.tensor([2.0, 1.0]), 1, out=(cl.empty(1), cl.empty(1))),
        lambda: cl.masked_select(cl.tensor([2.0, 1.0]), cl.tensor([True, False]), out=cl.empty(1)),
        lambda: cl.nonzero(cl.tensor([2.0, 1.0]), out=cl.empty(2, 1, dtype=cl.int64)),
    ],
)
def test_out_arguments_are_refused_clearly(fn):
    """torch writes into `out`; course_lib says it has no out= rather than ignore it."""
    with pytest.raises(NotImplementedError, match="has no out= argument"):
        fn()


# -- properties over random shapes (no torch needed) ------------------------------------------

TIE_ARRAYS = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=40),
    elements=st.sampled_from([-1.0, 0.0, -0.0, 1.0, 2.5, np.nan]),
)


@settings(max_examples=60, deadline=None)
@given(TIE_ARRAYS, st.data())
def test_sort_topk_kthvalue_median_agree_with_each_other(a, data):
    x = cl.tensor(a)
    d = data.draw(st.integers(0, a.ndim - 1))
    n = a.shape[d]
    ascending = np.sort(a, axis=d)  # NaN last
    descending = data.draw(st.booleans())
    values, indices = x.sort(d, descending)
    expected = np.flip(ascending, d) if descending else ascending
    np.testing.assert_array_equal(values.numpy(), expected)
    np.testing.assert_array_equal(x.gather(d, indices).numpy(), values.numpy())
    assert (
        np.sort(indices.numpy(), axis=d) == np.arange(n).reshape((-1,) + (1,) * (a.ndim - 1 - d))
    ).all()
    k = data.draw(st.integers(0, n))
    top = x.topk(k, d)
    np.testing.assert_array_equal(top.values.numpy(), np.take(np.flip(ascending, d), range(k), d))
    np.testing.assert_array_equal(x.gather(d, top.indices).numpy(), top.values.numpy())
    for kth, position in ((x.kthvalue(max(k, 1), d), max(k, 1) - 1), (x.median(d), (n - 1) // 2)):
        picked = x.gather(d, kth.indices.unsqueeze(d)).squeeze(d)
        np.testing.assert_array_equal(picked.numpy(), kth.values.numpy())
        if not np.isnan(a).any():  # median: a NaN wins; kthvalue: NaN sorts last as here
            np.testing.assert_array_equal(kth.values.numpy(), np.take(ascending, position, d))


SAVING = {  # what each op's backward keeps, as torch: the input (then an in-place change to it
    # is refused at backward), or only the indices it chose
    "sort": lambda x: x.sort().values,
    "topk": lambda x: x.topk(2).values,
    "kthvalue": lambda x: x.kthvalue(2).values,
    "median dim": lambda x: x.median(0).values,
    "median": lambda x: x.median(),
    "masked_select": lambda x: x.masked_select(x > 1),
    "cummax": lambda x: x.cummax(0).values,
    "cummin": lambda x: x.cummin(0).values,
}


@pytest.mark.parametrize("op", SAVING.values(), ids=SAVING.keys())
def test_saved_tensors_as_torch(torch, op):
    def changed_then_backward(T):
        a = T.tensor([1.0, 3.0, 2.0], requires_grad=True)
        x = a * 1
        y = op(x)
        with T.no_grad():
            x.add_(1)
        y.sum().backward()
        return a.grad

    def twice(T):
        y = op(T.tensor([1.0, 3.0, 2.0], requires_grad=True) * 1)
        y.sum().backward()
        y.sum().backward()

    for program in (changed_then_backward, twice):
        assert outcome(cl, program) == outcome(torch, program)


@settings(max_examples=60, deadline=None)
@given(TIE_ARRAYS, st.data())
def test_cummax_cummin_and_masked_select_properties(a, data):
    x = cl.tensor(a)
    d = data.draw(st.integers(0, a.ndim - 1))
    for which, running in (("cummax", np.fmax), ("cummin", np.fmin)):
        values, indices = getattr(x, which)(d)
        np.testing.assert_array_equal(x.gather(d, indices).numpy(), values.numpy())
        assert (np.diff(indices.numpy(), axis=d) >= 0).all()  # the chosen index never goes back
        if not np.isnan(a).any():
            np.testing.assert_array_equal(values.numpy(), running.accumulate(a, axis=d))
    mask = data.draw(hnp.arrays(np.bool_, a.shape[d:]))  # broadcasts over the leading dims
    np.testing.assert_array_equal(
        x.masked_select(cl.tensor(mask)).numpy(), a[np.broadcast_to(mask, a.shape)]
    )
