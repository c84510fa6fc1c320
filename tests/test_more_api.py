"""Elementwise functions (cos ... exp2, floor ... sign and their in-place forms), comparisons as
functions, isnan/isinf/isfinite, all/any, prod, cumsum, cumprod, flip, dot, mv, outer and clip,
compared with torch 2.13: values, dtypes, grad_fn names, gradients and errors."""

import math
import warnings

import numpy as np
import pytest
from gradcheck import gradcheck
from parity import error_of

import course_lib

NAN, INF = math.nan, math.inf

FLOATS = [0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 2.5, 0.999, -1.0, 1.0, 3.0, -7.25, NAN, INF, -INF]
INTS = [0, 1, -1, 2, -3, 7]
BOOLS = [True, False]


def run(T, fn, data, dtype, grad):
    """fn applied to tensors of `data` (a list, or a tuple of lists for several inputs) in
    library T: (values, dtype, grad_fn name, the inputs' gradients)."""
    inputs = [
        T.tensor(d, dtype=getattr(T, dtype), requires_grad=grad)
        for d in (data if isinstance(data, tuple) else (data,))
    ]
    out = fn(T, *inputs)
    name = out.grad_fn.name() if out.grad_fn is not None else None
    grads = []
    if grad and out.requires_grad:
        out.backward(
            T.ones(out.shape, dtype=out.dtype) * 0.5
            + T.arange(out.numel()).reshape(out.shape).to(out.dtype)
        )
        grads = [
            None if x.grad is None else np.array((x.grad + 0).tolist(), dtype=float) for x in inputs
        ]
    return np.array(out.tolist(), dtype=float), str(out.dtype), name, grads


def assert_same(torch, fn, data, dtype="float32", grad=None, rtol=1e-6):
    grad = dtype.startswith("float") if grad is None else grad
    ours = run(course_lib, fn, data, dtype, grad)
    theirs = run(torch, fn, data, dtype, grad)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=rtol, atol=1e-7, equal_nan=True)
    real = ~np.isnan(theirs[0])  # -0.0 and 0.0 differ too (a nan's sign bit does not count)
    assert np.array_equal(np.signbit(ours[0][real]), np.signbit(theirs[0][real]))
    assert ours[1:3] == theirs[1:3]
    assert len(ours[3]) == len(theirs[3])
    for a, b in zip(ours[3], theirs[3], strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True)


def assert_same_error(torch, fn):
    assert error_of(course_lib, fn) == error_of(torch, fn)


# -- elementwise functions of one value ---------------------------------------------------------

FLOAT_FNS = "cos sin tan acos asin atan log2 log10 log1p expm1 exp2".split()
ROUNDING = "floor ceil round trunc sign sgn".split()


@pytest.mark.parametrize("name", FLOAT_FNS + ROUNDING + ["frac"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_on_floats_matches_torch(torch, name, dtype):
    assert_same(torch, lambda T, x: getattr(x, name)(), FLOATS, dtype, grad=False)
    finite = [v for v in FLOATS if math.isfinite(v)]  # gradients, nan outside acos's domain too
    assert_same(torch, lambda T, x: getattr(T, name)(x), finite, dtype, rtol=1e-5)


@pytest.mark.parametrize("name", FLOAT_FNS + ROUNDING)
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_unary_on_ints_and_bools_matches_torch(torch, name, dtype):
    data = INTS if dtype == "int64" else BOOLS
    fn = lambda T, x: getattr(x, name)()  # noqa: E731
    if name in ROUNDING[:4] and dtype == "bool":
        assert_same_error(torch, lambda T: fn(T, T.tensor(data)))
    else:
        assert_same(torch, fn, data, dtype)


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_frac_refuses_ints_and_bools_as_torch(torch, dtype):
    assert_same_error(torch, lambda T: T.tensor([1, 0], dtype=getattr(T, dtype)).frac())


def test_sgn_and_sign_gradients_are_zero(torch):
    for name in ("sign", "sgn"):
        x = course_lib.tensor([0.0, 2.0, -1.0, NAN], requires_grad=True)
        y = getattr(x, name)()
        assert (
            y.grad_fn.name()
            == getattr(torch.tensor([1.0], requires_grad=True), name)().grad_fn.name()
        )
        y.sum().backward()
        assert x.grad.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_round_is_half_to_even(torch):
    assert_same(torch, lambda T, x: x.round(), [0.5, 1.5, 2.5, -0.5, -1.5], "float32")


@pytest.mark.parametrize("decimals", [1, 2, -1, -2, 3, 40, 400])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_with_decimals_matches_torch(torch, decimals, dtype):
    data = [0.125, 0.375, 2.5, -12.5, 1.005, 1234.5678, -0.04, 0.0, NAN, INF]
    values = np.random.default_rng(decimals % 7).standard_normal(200) * 1000
    for d in (data, values.tolist()):
        assert_same(torch, lambda T, x: x.round(decimals=decimals), d, dtype, rtol=0)
    assert_same(torch, lambda T, x: T.round(x * 1, decimals=decimals), data[:6], dtype)
    assert_same(torch, lambda T, x: (x * 1).round_(decimals=decimals), data[:6], dtype)
    assert_same_error(torch, lambda T: T.tensor([1]).round(decimals=decimals))
    assert_same_error(torch, lambda T: T.tensor([True]).round(decimals=decimals))


@pytest.mark.parametrize("name", FLOAT_FNS + ["frac"])
def test_unary_gradients_pass_gradcheck(name):
    x = [0.3, -0.7, 0.9] if name in ("acos", "asin", "log1p") else [0.3, 1.7, 2.9]
    gradcheck(lambda t: getattr(t, name)(), course_lib.tensor(x))


@pytest.mark.parametrize("name", FLOAT_FNS + ROUNDING + ["frac"])
def test_in_place_forms_match_torch(torch, name):
    def fn(T, x):
        y = x * 1  # a non-leaf, so the in-place op is recorded
        return getattr(y, name + "_")()

    assert_same(torch, fn, [0.25, -0.5, 0.75], "float32")
    if name not in ("sign", "sgn"):  # torch has no torch.sign_ or torch.sgn_
        data = [0.25, -0.5]
        assert_same(torch, lambda T, x: getattr(T, name + "_")(x), data, "float64", grad=False)
    else:
        assert not hasattr(course_lib, name + "_") and not hasattr(torch, name + "_")
    assert_same_error(torch, lambda T: getattr(T.ones(2, requires_grad=True), name + "_")())


@pytest.mark.parametrize("name", FLOAT_FNS)
def test_in_place_float_fns_refuse_int_tensors(torch, name):
    assert_same_error(torch, lambda T: getattr(T.tensor([1, 2]), name + "_")())


@pytest.mark.parametrize("name", ["floor_", "ceil_", "round_", "trunc_", "sign_", "sgn_"])
def test_in_place_rounding_keeps_ints(torch, name):
    assert_same(torch, lambda T, x: getattr(x, name)(), [3, -2, 0], "int64")


# -- comparisons, isnan/isinf/isfinite, clip ----------------------------------------------------


@pytest.mark.parametrize("name", "eq ne gt ge lt le".split())
def test_comparison_functions_match_torch(torch, name):
    a, b = [1.0, NAN, 3.0, -INF], [1.0, NAN, 2.0, 0.0]
    assert_same(torch, lambda T, x, y: getattr(T, name)(x, y), (a, b), "float32", grad=False)
    assert_same(torch, lambda T, x: getattr(T, name)(x, 2), [1, 2, 3], "int64")
    assert_same(torch, lambda T, x: getattr(x, name)(True), BOOLS, "bool")


@pytest.mark.parametrize("name", ["isnan", "isinf", "isfinite"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_isnan_isinf_isfinite_match_torch(torch, name, dtype):
    data = {"int64": INTS, "bool": BOOLS}.get(dtype, FLOATS)
    assert_same(torch, lambda T, x: getattr(x, name)(), data, dtype, grad=False)
    assert_same(torch, lambda T, x: getattr(T, name)(x), data, dtype, grad=False)


def test_clip_is_clamp(torch):
    assert_same(torch, lambda T, x: x.clip(-1, 1), [-2.0, 0.5, 1.0, 3.0], "float32")
    assert_same(torch, lambda T, x: T.clip(x, min=0), [-2, 0, 3], "int64")
    assert_same(torch, lambda T, x: (x * 1).clip_(max=0.5), [-2.0, 0.5, 1.0], "float64")


# -- all, any, prod, cumsum, cumprod ------------------------------------------------------------

MATRIX = [[1.0, 0.0, 3.0], [NAN, -2.0, 0.5]]


@pytest.mark.parametrize("name", ["all", "any"])
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "uint8"])
@pytest.mark.parametrize("args", [(), (0,), (1, True), ((0, 1),), (-1,)])
def test_all_and_any_match_torch(torch, name, dtype, args):
    data = {
        "float32": MATRIX,
        "int64": [[1, 0, 3], [2, 2, 2]],
        "bool": [[True, False], [True, True]],
        "uint8": [[1, 0, 3], [2, 2, 2]],
    }[dtype]
    assert_same(torch, lambda T, x: getattr(x, name)(*args), data, dtype, grad=False)
    assert_same(torch, lambda T, x: getattr(T, name)(x, *args), data, dtype, grad=False)


def test_all_any_keepdim_without_dim_and_bad_dims_match_torch(torch):
    assert_same(torch, lambda T, x: x.all(keepdim=True), MATRIX, "float32", grad=False)
    assert_same_error(torch, lambda T: T.ones(2).any(2))
    assert_same_error(torch, lambda T: T.ones(2, 2).all((0, 0)))


PROD_DATA = [
    [[2.0, 3.0, 4.0], [1.5, -2.0, 0.5]],
    [[2.0, NAN, 4.0], [INF, -2.0, 0.5]],
    [[2.0, NAN, 0.0], [INF, -2.0, 0.5]],
    [[2.0, 0.0, 4.0], [0.0, 0.0, 1.0]],
    [[0.0, 1.0, 0.0], [3.0, 0.0, -1.0]],
]


@pytest.mark.parametrize("data", PROD_DATA)
@pytest.mark.parametrize("args", [(), (0,), (1,), (-1, True)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_prod_values_and_gradients_with_zeros_match_torch(torch, data, args, dtype):
    assert_same(torch, lambda T, x: x.prod(*args), data, dtype)
    assert_same(torch, lambda T, x: T.prod(x, *args), data, dtype)


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_prod_cumsum_cumprod_of_ints_and_bools_give_int64(torch, dtype):
    data = [[1, 2, 3], [0, 4, 1]] if dtype == "int64" else [[True, False], [True, True]]
    for fn in (
        lambda T, x: x.prod(),
        lambda T, x: x.prod(1),
        lambda T, x: x.cumsum(0),
        lambda T, x: T.cumprod(x, 1),
        lambda T, x: x.cumsum(1, dtype=T.float32),
        lambda T, x: x.cumprod(0, dtype=T.float64),
        lambda T, x: x.prod(dtype=T.float64),
        lambda T, x: T.prod(x, 1, dtype=T.float32),
    ):
        assert_same(torch, fn, data, dtype)


CUM_DATA = [
    [[1.0, NAN, 2.0], [INF, 1.0, -INF]],
    [[0.0, 2.0, INF], [1.0, 0.0, 3.0]],
    [[2.0, 0.0, 3.0, 0.0, 5.0], [0.0, 0.0, 1.0, 2.0, 3.0]],
    [[1.5, -2.0, 0.0, 4.0, 0.5], [3.0, 0.5, 0.25, 0.0, 2.0]],
    [[INF], [2.0]],
]


@pytest.mark.parametrize("data", PROD_DATA + CUM_DATA)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumsum_and_cumprod_match_torch(torch, data, dim):
    assert_same(torch, lambda T, x: x.cumsum(dim), data, "float32")
    assert_same(torch, lambda T, x: x.cumprod(dim), data, "float64")


def test_zero_dim_prod_cumsum_cumprod_flip_match_torch(torch):
    for fn in (
        lambda T, x: x.prod(),
        lambda T, x: x.prod(0),
        lambda T, x: x.cumsum(0),
        lambda T, x: x.cumprod(-1),
        lambda T, x: x.flip(0),
    ):
        assert_same(torch, fn, 3.0, "float32")


def test_reduction_errors_match_torch(torch):
    assert_same_error(torch, lambda T: T.ones(2).cumsum(1))
    assert_same_error(torch, lambda T: T.ones(2).cumsum())
    assert_same_error(torch, lambda T: T.ones(2).cumprod())
    assert_same_error(torch, lambda T: T.ones(2).prod(1))
    assert_same_error(torch, lambda T: T.ones(2).prod(keepdim=True))


def test_prod_and_cumprod_gradients_pass_gradcheck():
    x = course_lib.tensor([[0.5, -1.5, 2.0], [1.2, 0.7, -0.3]])
    gradcheck(lambda t: t.prod(), x)
    gradcheck(lambda t: t.prod(1), x)
    gradcheck(lambda t: t.cumprod(1), x)
    gradcheck(lambda t: t.cumsum(0), x)
    zeros = course_lib.tensor([[0.0, 2.0, 0.0], [3.0, 0.0, 4.0]])
    gradcheck(lambda t: t.prod(1), zeros)
    gradcheck(lambda t: t.cumprod(1), zeros)


# -- flip, dot, mv, outer -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda T, x: x.flip(0),
        lambda T, x: x.flip(0, 1),
        lambda T, x: x.flip((-1,)),
        lambda T, x: x.flip(dims=(1, 0)),
        lambda T, x: T.flip(x, (1,)),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
def test_flip_matches_torch(torch, fn, dtype):
    data = [[1, 0, 3], [4, 5, 0]]
    assert_same(torch, fn, data, dtype)


def test_flip_is_a_copy_and_its_errors_match_torch(torch):
    x = course_lib.tensor([1.0, 2.0])
    y = x.flip(0)
    y[0] = 9.0
    assert x.tolist() == [1.0, 2.0]
    assert_same_error(torch, lambda T: T.ones(2).flip(0, 0))
    assert_same_error(torch, lambda T: T.ones(2).flip(1))
    assert_same_error(torch, lambda T: T.ones(2).flip())
    assert_same_error(torch, lambda T: T.flip(T.ones(2), 0))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_dot_mv_outer_match_torch(torch, dtype):
    v, w, m = [1, -2, 3], [4, 0, -1], [[1, 2, 3], [0, -1, 5]]
    assert_same(torch, lambda T, a, b: a.dot(b), (v, w), dtype)
    assert_same(torch, lambda T, a, b: T.dot(a, b), (v, w), dtype)
    assert_same(torch, lambda T, a, b: a.mv(b), (m, v), dtype)
    assert_same(torch, lambda T, a, b: T.mv(a, b), (m, v), dtype)
    assert_same(torch, lambda T, a, b: a.outer(b), (v, [2, 5]), dtype)
    assert_same(torch, lambda T, a, b: T.outer(a, b), (v, w), dtype)


def test_outer_promotes_and_takes_bools_as_torch(torch):
    def fn(T):
        return T.outer(T.tensor([1.5, 2.0]), T.tensor([1, 2])).tolist()

    assert fn(course_lib) == fn(torch)
    assert_same(torch, lambda T, a, b: T.outer(a, b), ([True, False], [True]), "bool")


def test_dot_mv_outer_gradients_pass_gradcheck():
    v, w = course_lib.tensor([0.5, -1.0, 2.0]), course_lib.tensor([1.5, 0.3, -0.7])
    m = course_lib.tensor([[1.0, 2.0, -1.0], [0.1, 0.2, 0.3]])
    gradcheck(lambda a, b: a.dot(b), v, w)
    gradcheck(lambda a, b: a.mv(b), m, v)
    gradcheck(lambda a, b: a.outer(b), v, w)


@pytest.mark.parametrize(
    "fn",
    [
        lambda T: T.ones(2, 2).dot(T.ones(2, 2)),
        lambda T: T.ones(2).dot(T.ones(3, 3, dtype=T.float64)),
        lambda T: T.ones(2).dot(T.ones(2, dtype=T.float64)),
        lambda T: T.ones(2).dot(T.ones(3)),
        lambda T: T.tensor([True]).dot(T.tensor([True])),
        lambda T: T.ones(2).dot([1.0, 2.0]),
        lambda T: T.ones(2, 2).mv(T.ones(3)),
        lambda T: T.ones(2).mv(T.ones(2)),
        lambda T: T.ones(2, 2).mv(T.ones(2, 1)),
        lambda T: T.ones(2, 2).mv(T.ones(2, dtype=T.float64)),
        lambda T: T.ones(2, 2, dtype=T.int64).mv(T.ones(2)),
        lambda T: T.ones(2, 2, dtype=T.bool).mv(T.ones(2, dtype=T.bool)),
        lambda T: T.outer(T.ones(2, 2), T.ones(2)),
        lambda T: T.outer(T.ones(2), T.ones(2, 2)),
    ],
)
def test_dot_mv_outer_errors_match_torch(torch, fn):
    assert_same_error(torch, fn)


@pytest.mark.parametrize(
    "op",
    [
        lambda x: x.cos(),
        lambda x: x.tan(),
        lambda x: x.log1p(),
        lambda x: x.expm1(),
        lambda x: x.exp2(),
        lambda x: x.sin(),
        lambda x: x.prod(),
        lambda x: x.prod(0),
        lambda x: x.cumprod(0),
        lambda x: x.dot(x),
        lambda x: x.outer(x),
    ],
)
def test_changing_a_saved_tensor_in_place_breaks_backward_as_in_torch(torch, op):
    def changed_input(T):
        x = T.tensor([0.5, 1.5], requires_grad=True) * 1
        y = op(x)
        x.add_(1)
        y.sum().backward()

    def changed_output(T):
        y = op(T.tensor([0.5, 1.5], requires_grad=True) * 1)
        y.add_(1)
        y.sum().backward()

    def outcome(T, fn):  # the error backward raises, or None
        try:
            fn(T)
        except RuntimeError as e:
            return str(e)
        return None

    for fn in (changed_input, changed_output):
        assert outcome(course_lib, fn) == outcome(torch, fn)


@pytest.mark.parametrize(
    "fn",
    [
        lambda T, x: x.prod(),
        lambda T, x: x.prod(0),
        lambda T, x: x.cumsum(1),
        lambda T, x: x.cumprod(0),
        lambda T, x: x.flip(1),
        lambda T, x: x.cos(),
        lambda T, x: x.floor(),
    ],
)
def test_empty_tensors_match_torch(torch, fn):
    assert_same(torch, fn, [[], []], "float32")


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "prod"])
def test_long_float32_running_sums_and_products_round_as_torch(torch, name):
    # torch accumulates float32 in float64: a 300-long running sum in float32 would drift
    values = np.random.default_rng(1).standard_normal((4, 300)).astype(np.float32)
    values[1, 7] = 0.0
    ours = getattr(course_lib.tensor(values), name)(1)
    theirs = getattr(torch.tensor(values), name)(1)
    assert np.array_equal(np.array(ours.tolist()), np.array(theirs.tolist()), equal_nan=True)


@pytest.mark.parametrize("name", FLOAT_FNS)
def test_float32_results_are_within_one_ulp_of_torch(torch, name):
    values = np.random.default_rng(0).standard_normal(10000).astype(np.float32)
    ours = getattr(course_lib.tensor(values), name)()._array
    theirs = getattr(torch.from_numpy(values), name)().numpy()
    both = ~np.isnan(theirs)
    assert np.array_equal(np.isnan(ours), ~both)
    np.testing.assert_array_max_ulp(ours[both], theirs[both], maxulp=1)


# ----------------------------------------------------------------------------------------------
# repeat, new_* constructors, cpu, allclose/equal as methods, nn.NLLLoss
# ----------------------------------------------------------------------------------------------

NEW_API = {
    "new_tensor_from_tensor_warns": "t.new_tensor(T.ones(1))",
    "new_tensor_list": "t.new_tensor([1, 2])",
    "new_tensor_dtype": "t.new_tensor([1, 2], dtype=T.int64)",
    "new_zeros_ints": "t.new_zeros(2, 3)",
    "new_zeros_tuple": "t.new_zeros((2, 3))",
    "new_zeros_dtype": "t.new_zeros(2, dtype=T.int32)",
    "new_ones_requires_grad": "t.new_ones(2, requires_grad=True)",
    "new_full": "t.new_full((2,), 3)",
    "new_full_int_size": "t.new_full(2, 3)",
    "new_full_int_dtype_truncates": "t.int().new_full((2,), 3.7)",
    "new_full_nan_into_int": "t.int().new_full((2,), math.nan)",
    "new_empty_shape": "t.new_empty(0)",
    "repeat_3d": "T.arange(6).view(2, 3).repeat(2, 1, 2)",
    "repeat_1d": "T.ones(2).repeat(3)",
    "repeat_tuple": "T.ones(2).repeat((2, 3))",
    "repeat_zero": "T.ones(2).repeat(0, 2)",
    "repeat_too_few": "T.ones(2, 3).repeat(2)",
    "repeat_none": "T.ones(2).repeat()",
    "repeat_negative": "T.ones(2).repeat(-1)",
    "cpu": "T.ones(2).cpu()",
    "allclose_method": "T.ones(2).allclose(T.ones(2) + 1e-9)",
    "equal_method": "T.ones(2).equal(T.zeros(2))",
    "nll_loss_module": "T.nn.NLLLoss(weight=T.tensor([1., 2., 3.]), ignore_index=1)("
    "T.log_softmax(T.tensor([[1., 2., 3.], [0., 0., 5.]]), 1), T.tensor([0, 2]))",
    "nll_loss_module_none": "T.nn.NLLLoss(reduction='none')("
    "T.log_softmax(T.tensor([[1., 2., 3.], [0., 0., 5.]]), 1), T.tensor([0, 2]))",
    "nll_loss_repr": "repr(T.nn.NLLLoss())",
}


def _new_api(T, code: str):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        t = T.ones(2, dtype=T.float64)
        try:
            result = repr(eval(code, {"T": T, "t": t, "math": math}))
        except Exception as e:  # the error is the behaviour being compared
            result = f"{type(e).__name__}: {e}"
    return result, [str(w.message) for w in seen]


@pytest.mark.parametrize("name", list(NEW_API))
def test_new_api_matches_torch(torch, name):
    assert _new_api(course_lib, NEW_API[name]) == _new_api(torch, NEW_API[name])


@pytest.mark.parametrize("reps", [(2,), (1, 3), (2, 1, 2), (3, 2, 1, 1)])
def test_repeat_gradient(torch, reps):
    data = np.arange(3.0) if len(reps) == 1 else np.arange(6.0).reshape(2, 3)
    assert gradcheck(lambda x: x.repeat(*reps), data)
    grads = []
    for T in (course_lib, torch):
        x = T.tensor(data, requires_grad=True)
        y = x.repeat(*reps)
        (y * T.arange(float(y.numel()), dtype=T.float64).view(y.shape)).sum().backward()
        grads.append((y.grad_fn.name(), x.grad.tolist()))
    assert grads[0] == grads[1]
