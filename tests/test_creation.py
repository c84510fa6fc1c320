"""Factories (`tensor`, `zeros`, `empty`, `arange`, `randn`, legacy `Tensor(...)`, ...): dtypes,
shapes, sizes given as ints or tuples, memory sharing, the random generator, and torch's errors
(torch 2.13's, measured)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from parity import error_of, outcome

import course_lib as cl

# Each factory call, run with T = course_lib and T = torch: the repr must be identical (dtype,
# shape and values all show in it). Random and uninitialised factories compare dtype and shape.
FACTORIES = {
    "tensor_int_list": lambda T: T.tensor([1, 2]),
    "tensor_float_list": lambda T: T.tensor([1.0, 2]),
    "tensor_mixed_list": lambda T: T.tensor([1, 2.5, True]),
    "tensor_bool": lambda T: T.tensor(True),
    "tensor_bool_list": lambda T: T.tensor([True, False]),
    "tensor_nested": lambda T: T.tensor([[1, 2], [3, 4]]),
    "tensor_tuple": lambda T: T.tensor((1.5, 2.5)),
    "tensor_0d_int": lambda T: T.tensor(3),
    "tensor_0d_float": lambda T: T.tensor(3.0),
    "tensor_empty_list": lambda T: T.tensor([]),
    "tensor_empty_nested": lambda T: T.tensor([[]]),
    "tensor_of_0d_tensors": lambda T: T.tensor([T.tensor(1.0), T.tensor(2.0)]),
    "tensor_ndarray_float64": lambda T: T.tensor(np.zeros(2)),
    "tensor_ndarray_int32": lambda T: T.tensor(np.array([1, 2], dtype=np.int32)),
    "tensor_ndarray_bool": lambda T: T.tensor(np.array([True])),
    "tensor_numpy_float64_scalar": lambda T: T.tensor(np.float64(2.5)),
    "tensor_numpy_int32_scalar": lambda T: T.tensor(np.int32(2)),
    "tensor_dtype_keyword": lambda T: T.tensor([1, 2], dtype=T.float64),
    "tensor_dtype_truncates": lambda T: T.tensor([1.7, -2.7], dtype=T.int64),
    "tensor_requires_grad": lambda T: T.tensor([1.0], requires_grad=True),
    "from_numpy_float64": lambda T: T.from_numpy(np.zeros(2)),
    "from_numpy_float32": lambda T: T.from_numpy(np.ones((2, 2), dtype=np.float32)),
    "from_numpy_int64": lambda T: T.from_numpy(np.arange(3)),
    "legacy_Tensor_list": lambda T: T.Tensor([1, 2]),
    "legacy_Tensor_tuple": lambda T: T.Tensor((1, 2)),
    "legacy_Tensor_nested": lambda T: T.Tensor([[1, 2], [3, 4]]),
    "legacy_Tensor_sizes": lambda T: T.Tensor(2, 3).shape,
    "legacy_Tensor_empty": lambda T: T.Tensor(),
    "legacy_Tensor_of_tensor": lambda T: T.Tensor(T.ones(2, dtype=T.float64)),
    "legacy_Tensor_ndarray": lambda T: T.Tensor(np.arange(3)),
    "legacy_Tensor_of_0d_tensors": lambda T: T.Tensor([T.tensor(1.0), T.tensor(2)]),
    "legacy_Tensor_bools": lambda T: T.Tensor([True, 2]),
    "legacy_LongTensor_list": lambda T: T.LongTensor([1, 2]),
    "legacy_LongTensor_truncates": lambda T: T.LongTensor([1.7, -2.7]),
    "legacy_LongTensor_size": lambda T: T.LongTensor(3).shape,
    "zeros_ints": lambda T: T.zeros(2, 3),
    "zeros_tuple": lambda T: T.zeros((2, 3)),
    "zeros_list": lambda T: T.zeros([2, 3]),
    "zeros_size": lambda T: T.zeros(T.ones(2, 3).shape),
    "zeros_0d": lambda T: T.zeros(()),
    "zeros_empty": lambda T: T.zeros(0),
    "zeros_empty_2d": lambda T: T.zeros(2, 0),
    "zeros_int64": lambda T: T.zeros(2, dtype=T.int64),
    "zeros_requires_grad": lambda T: T.zeros(2, requires_grad=True),
    "ones": lambda T: T.ones(2, 2),
    "ones_0d": lambda T: T.ones([]),
    "ones_float64": lambda T: T.ones(3, dtype=T.float64),
    "ones_bool": lambda T: T.ones(2, dtype=T.bool),
    "full_int": lambda T: T.full((2,), 3),
    "full_float": lambda T: T.full((2,), 3.0),
    "full_bool": lambda T: T.full((2,), True),
    "full_list_size": lambda T: T.full([2, 3], 1.5),
    "full_dtype": lambda T: T.full((2,), 3, dtype=T.float32),
    "full_requires_grad": lambda T: T.full((2,), 0.5, requires_grad=True),
    "arange_int": lambda T: T.arange(5),
    "arange_float": lambda T: T.arange(5.0),
    "arange_start_end": lambda T: T.arange(2, 6),
    "arange_negative_step": lambda T: T.arange(5, 0, -1),
    "arange_float_step": lambda T: T.arange(0, 1, 0.1),
    "arange_half_step": lambda T: T.arange(1, 2.5, 0.5),
    "arange_negative_float_step": lambda T: T.arange(5, 0, -1.5),
    "arange_odd": lambda T: T.arange(-3, 3, 2),
    "arange_empty": lambda T: T.arange(0),
    "arange_dtype": lambda T: T.arange(3, dtype=T.float64),
    "arange_requires_grad": lambda T: T.arange(3.0, requires_grad=True),
    "linspace": lambda T: T.linspace(0, 1, 5),
    "eye": lambda T: T.eye(2, 3),
    "zeros_like": lambda T: T.zeros_like(T.ones(2, dtype=T.int64)),
    "ones_like_dtype": lambda T: T.ones_like(T.tensor([1, 2]), dtype=T.float32),
    "full_like": lambda T: T.full_like(T.ones(2), 3),
    "empty_shape": lambda T: (T.empty(2, 3).shape, T.empty(2, 3).dtype),
    "empty_tuple": lambda T: (T.empty((2, 3)).shape, T.empty([4]).dtype),
    "empty_int64": lambda T: T.empty(2, dtype=T.int64).dtype,
    "empty_requires_grad": lambda T: T.empty(2, requires_grad=True).requires_grad,
    "empty_0": lambda T: T.empty(0),
    "randn_shape": lambda T: (T.randn(2, 3).shape, T.randn((2, 3)).dtype),
    "randn_float64": lambda T: T.randn(2, dtype=T.float64).dtype,
    "randn_requires_grad": lambda T: T.randn(2, requires_grad=True).requires_grad,
    "rand_shape": lambda T: (T.rand(2, 3).shape, T.rand([4]).dtype),
    "randint": lambda T: (T.randint(0, 5, (2,)).dtype, T.randint(5, (3, 2)).shape),
    "clone_is_independent": lambda T: _clone_independent(T),
    "from_numpy_shares_memory": lambda T: _shares(T, T.from_numpy),
    "tensor_copies": lambda T: _shares(T, T.tensor),
    "numpy_shares_memory": lambda T: _numpy_shares(T),
    "as_tensor_shares_memory": lambda T: _shares(T, T.as_tensor),
    "float_and_double": lambda T: (T.tensor([1, 2]).float(), T.tensor([1, 2]).double()),
    "conversions": lambda T: (T.tensor([[1.5, 2]]).tolist(), T.tensor([2.5]).item()),
    "item_types": lambda T: (type(T.tensor(2).item()), type(T.tensor(2.0).item())),
    "numpy_dtype": lambda T: (T.ones(2).numpy().dtype, T.ones(2).double().numpy().dtype),
    "sizes": lambda T: (T.ones(2, 3).size(), T.ones(2, 3).size(1), T.ones(2, 3).size(-1)),
    "counts": lambda T: (T.ones(2, 3).numel(), T.ones(2, 3).dim(), T.ones(2, 3).ndim),
    "size_type": lambda T: type(T.ones(2).shape).__name__,
    "dtype_reprs": lambda T: (T.float32, T.float64, T.int64, T.float, T.double, T.long, T.bool),
    "default_dtype": lambda T: T.get_default_dtype(),
}


def _clone_independent(T):
    a = T.ones(2)
    b = a.clone()
    b[0] = 5
    return a, b


def _shares(T, make):
    array = np.zeros(2)
    t = make(array)
    array[0] = 5
    return t


def _numpy_shares(T):
    t = T.zeros(2)
    t.numpy()[1] = 3
    return t


@pytest.mark.parametrize("name", list(FACTORIES))
def test_factory_matches_torch(torch, name):
    assert repr(FACTORIES[name](cl)) == repr(FACTORIES[name](torch))


def test_tensor_of_a_tensor_copies_and_warns_like_torch(torch):
    results = []
    for T in (cl, torch):
        source = T.tensor([1.0, 2.0], requires_grad=True)
        with pytest.warns(UserWarning) as record:
            t = T.tensor(source)
        results.append((repr(t), str(record[0].message)))
    assert results[0] == results[1]


def test_default_dtypes_without_torch():
    # torch 2.13: float32 by default
    assert cl.empty(2, 3).dtype == cl.zeros(2).dtype == cl.randn(2).dtype == cl.float32
    assert cl.rand(2).dtype == cl.float32 == cl.tensor([1.0, 2]).dtype
    assert cl.tensor([1, 2]).dtype == cl.arange(5).dtype == cl.full((2,), 3).dtype == cl.int64
    assert cl.tensor(True).dtype == cl.bool
    assert cl.from_numpy(np.zeros(2)).dtype == cl.tensor(np.zeros(2)).dtype == cl.float64
    assert cl.zeros(2, 3).shape == cl.zeros((2, 3)).shape == cl.zeros([2, 3]).shape == (2, 3)
    assert cl.zeros(()).shape == () and cl.zeros(0).shape == (0,)
    assert not any(f(2).requires_grad for f in (cl.empty, cl.zeros, cl.ones, cl.rand, cl.randn))


def test_from_numpy_shares_memory_and_tensor_copies():
    a = np.zeros(3)
    shared, copied = cl.from_numpy(a), cl.tensor(a)
    a[0] = 1.0
    assert shared.tolist() == [1.0, 0.0, 0.0]
    assert copied.tolist() == [0.0, 0.0, 0.0]
    shared.numpy()[2] = 5.0
    assert a[2] == 5.0


def test_empty_uses_np_empty_and_leaves_the_rng_alone():
    cl.manual_seed(3)
    expected = cl.rand(4).tolist()
    cl.manual_seed(3)
    cl.empty(1000)
    cl.empty(2, 3, dtype=cl.float64)
    assert cl.rand(4).tolist() == expected


def test_manual_seed_makes_random_factories_reproducible():
    draws = []
    for _ in range(2):
        cl.manual_seed(123)
        draws.append((cl.randn(3).tolist(), cl.rand(2, 2).tolist(), cl.ones(3).normal_().tolist()))
    assert draws[0] == draws[1]
    cl.manual_seed(124)
    assert cl.randn(3).tolist() != draws[0][0]


def test_random_factories_have_the_right_distributions():
    cl.manual_seed(0)
    n = cl.randn(100_000).numpy()
    u = cl.rand(100_000).numpy()
    assert abs(n.mean()) < 0.02 and abs(n.std() - 1) < 0.02
    assert u.min() >= 0.0 and u.max() < 1.0 and abs(u.mean() - 0.5) < 0.01
    w = cl.empty(50_000).uniform_(-2.0, 3.0).numpy()
    assert w.min() >= -2.0 and w.max() < 3.0 and abs(w.mean() - 0.5) < 0.03
    g = cl.empty(50_000, dtype=cl.float64).normal_(1.0, 0.1).numpy()
    assert g.dtype == np.float64 and abs(g.mean() - 1.0) < 0.002 and abs(g.std() - 0.1) < 0.002


def test_in_place_fills_return_the_same_tensor():
    t = cl.empty(2, 3)
    for out in (t.zero_(), t.fill_(2.5), t.uniform_(), t.normal_(), t.copy_(cl.ones(3))):
        assert out is t
    assert t.tolist() == [[1.0] * 3] * 2
    t.copy_(cl.tensor([[1, 2, 3]]))  # broadcast and cast into float32
    assert t.dtype == cl.float32 and t.tolist() == [[1.0, 2.0, 3.0]] * 2
    assert cl.ones(2).normal_(0.0, 0.0).tolist() == [0.0, 0.0]  # std 0 fills with the mean


ERRORS = {
    "zeros_negative": lambda T: T.zeros(-1),
    "zeros_negative_tuple": lambda T: T.zeros((2, -1)),
    "empty_negative": lambda T: T.empty(-1),
    "empty_float_size": lambda T: T.empty(2.5),
    "rand_float_size": lambda T: T.rand(2.5),
    "randn_long": lambda T: T.randn(2, dtype=T.long),
    "rand_long": lambda T: T.rand(2, dtype=T.long),
    "requires_grad_int": lambda T: T.zeros(2, dtype=T.int64, requires_grad=True),
    "tensor_str": lambda T: T.tensor("a"),
    "tensor_ragged": lambda T: T.tensor([[1, 2], [3]]),
    "tensor_ragged_long": lambda T: T.tensor([[1, 2], [3, 4, 5]]),
    "legacy_Tensor_str": lambda T: T.Tensor("a"),
    "legacy_Tensor_float": lambda T: T.Tensor(2.5),
    "legacy_Tensor_bool": lambda T: T.Tensor(True),
    "legacy_Tensor_numpy_scalar": lambda T: T.Tensor(np.float64(2.5)),
    "legacy_Tensor_ragged": lambda T: T.Tensor([[1, 2], [3]]),
    "legacy_Tensor_negative": lambda T: T.Tensor(-1),
    "legacy_LongTensor_str": lambda T: T.LongTensor("a"),
    "legacy_LongTensor_ragged": lambda T: T.LongTensor([[1], [2, 3]]),
    "legacy_LongTensor_negative": lambda T: T.LongTensor(-1),
    "arange_zero_step": lambda T: T.arange(0, 5, 0),
    "arange_wrong_sign": lambda T: T.arange(0, 5, -1),
    "uniform_bounds": lambda T: T.ones(2).uniform_(1.0, 0.0),
    "normal_negative_std": lambda T: T.ones(2).normal_(0.0, -1.0),
    "uniform_long": lambda T: T.ones(2, dtype=T.long).uniform_(),
    "normal_long": lambda T: T.ones(2, dtype=T.long).normal_(),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_type_and_message_match_torch(torch, name):
    assert error_of(cl, ERRORS[name]) == error_of(torch, ERRORS[name])


@pytest.mark.parametrize(
    "fn, error, message",
    [
        (lambda: cl.zeros(-1), RuntimeError, "zeros: Dimension size must be non-negative."),
        (lambda: cl.empty(-1), RuntimeError, "negative dimension -1: [-1]"),
        (lambda: cl.empty(2.5), TypeError, "must be tuple of ints, not float"),
        (lambda: cl.randn(2, dtype=cl.long), NotImplementedError, '"normal_kernel_cpu"'),
        (lambda: cl.ones(2).uniform_(1.0, 0.0), RuntimeError, "found from=1 > to=0"),
        (lambda: cl.ones(2).normal_(0.0, -1.0), RuntimeError, "found std -1"),
    ],
)
def test_reference_errors_without_torch(fn, error, message):
    with pytest.raises(error) as info:
        fn()
    assert message in str(info.value)


@pytest.mark.parametrize("name", ["empty", "zeros", "ones", "rand", "randn"])
def test_size_can_be_given_by_keyword(name):
    assert getattr(cl, name)(size=(3, 5)).shape == (3, 5)
    assert getattr(cl, name)(size=[2]).shape == (2,)


# ----------------------------------------------------------------------------------------------
# Numbers a dtype cannot hold: torch refuses them (and wraps negative ints into uint8)
# ----------------------------------------------------------------------------------------------

_EDGE_NUMBERS = [
    "math.nan", "math.inf", "-math.inf", "1e20", "1e40", "3.5e38", "300", "-1", "-255", "-256",
    "200", "2**31", "2**63 - 1", "-2**63", "255.5", "-0.5", "-1.5", "2.7", "True",
]  # fmt: skip
_EDGE_DTYPES = ["uint8", "int32", "int64", "float32", "float64", "bool"]


@pytest.mark.parametrize("dtype", _EDGE_DTYPES)
@pytest.mark.parametrize("value", _EDGE_NUMBERS)
def test_full_and_tensor_refuse_numbers_their_dtype_cannot_hold_as_torch(torch, value, dtype):
    for code in (
        f"T.full((2,), {value}, dtype=T.{dtype})",
        f"T.full_like(T.zeros(2, dtype=T.{dtype}), {value})",
        f"T.tensor([1, {value}], dtype=T.{dtype})",
        f"T.tensor({value}, dtype=T.{dtype})",
    ):
        run = lambda T, code=code: eval(code, {"T": T, "math": math})  # noqa: E731
        assert outcome(cl, run) == outcome(torch, run), code


@pytest.mark.parametrize("dtype", _EDGE_DTYPES)
@pytest.mark.parametrize("value", _EDGE_NUMBERS)
def test_fills_and_writes_refuse_numbers_the_dtype_cannot_hold_as_torch(torch, value, dtype):
    mask = "T.tensor([True, False])"
    for code in (
        f"x.fill_({value})",
        f"x.masked_fill({mask}, {value})",
        f"x.masked_fill_({mask}, {value})",
        f"x.masked_fill({mask}, T.tensor({value}))",
        f"x.fill_(T.tensor({value}))",
        f"x.__setitem__(0, {value})",
        f"x.__setitem__(5, {value})",
        f"x.__setitem__(slice(None), {value})",
        f"x.__setitem__([1], {value})",
        f"x.__setitem__({mask}, {value})",
        f"x.__setitem__(0, T.tensor({value}))",
        f"x.__setitem__({mask}, T.tensor([{value}]))",
    ):

        def run(T, code=code):
            x = T.zeros(2, dtype=getattr(T, dtype))
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)  # no NumPy warning either
                eval(code, {"T": T, "math": math, "x": x})
            return x

        assert outcome(cl, run) == outcome(torch, run), code
