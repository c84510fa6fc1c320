"""More of torch's API, compared with torch 2.13: neg/negative, reciprocal, fmod, floor_divide,
true_divide, clamp_min/clamp_max, lerp, addcmul/addcdiv, hypot, atan2, logaddexp, xlogy,
copysign, fmax/fmin, the logical ops, isclose, nan_to_num and their in-place forms: values,
dtypes (with Python numbers, 0-d tensors, ints and bools), grad_fn names, gradients, errors."""

import math
import warnings

import numpy as np
import pytest
from gradcheck import gradcheck
from parity import error_of

import course_lib

NAN, INF = math.nan, math.inf


def run(T, fn, args, dtypes, grad):
    """fn(T, *operands) in library T, each list in `args` made a tensor of its dtype (floats
    require grad when `grad`), numbers and None passed as they are. Returns what to compare:
    the exception's (type, message), or (values, dtype, grad_fn name, the inputs' gradients)."""
    leaves = []
    for a, d in zip(args, dtypes, strict=True):
        if isinstance(a, list):
            dt = getattr(T, d)
            leaves.append(T.tensor(a, dtype=dt, requires_grad=grad and dt.is_floating_point))
        elif isinstance(a, tuple):  # a 0-d tensor: (value,)
            dt = getattr(T, d)
            leaves.append(T.tensor(a[0], dtype=dt, requires_grad=grad and dt.is_floating_point))
        else:
            leaves.append(a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn(T, *leaves)
        except Exception as e:  # the error is the behaviour being compared
            return type(e).__name__, str(e)
    name = out.grad_fn.name() if out.grad_fn is not None else None
    grads = []
    if out.requires_grad:
        proj = np.arange(out.numel(), dtype=float).reshape(tuple(out.shape)) * 0.5 + 0.25
        try:
            out.backward(T.tensor(proj, dtype=out.dtype))
        except RuntimeError as e:  # floor_divide has no derivative: the message is compared
            return np.array(out.detach().tolist(), dtype=float), str(out.dtype), name, [str(e)]
        for x in leaves:
            g = getattr(x, "grad", None) if isinstance(x, T.Tensor) and x.is_leaf else None
            grads.append(None if g is None else (np.array(g.tolist(), dtype=float), str(g.dtype)))
    return np.array(out.detach().tolist(), dtype=float), str(out.dtype), name, grads


def same(torch, fn, *args, dtypes=None, grad=True, rtol=1e-6):
    """fn gives the same values, dtype, grad_fn name and gradients (or error) in both."""
    dtypes = dtypes or ["float32"] * len(args)
    ours, theirs = run(course_lib, fn, args, dtypes, grad), run(torch, fn, args, dtypes, grad)
    if isinstance(theirs[0], str) or isinstance(ours[0], str):
        assert ours == theirs
        return
    np.testing.assert_allclose(ours[0], theirs[0], rtol=rtol, atol=1e-7, equal_nan=True)
    real = ~np.isnan(theirs[0])  # 0. and -0. differ too
    assert np.array_equal(np.signbit(ours[0][real]), np.signbit(theirs[0][real])), "signs"
    assert ours[1:3] == theirs[1:3], "dtype and grad_fn"
    assert len(ours[3]) == len(theirs[3])
    for k, (a, b) in enumerate(zip(ours[3], theirs[3], strict=True)):
        assert (a is None) == (b is None), f"gradient of operand {k}"
        if isinstance(a, str) or isinstance(b, str):
            assert a == b
        elif a is not None:
            np.testing.assert_allclose(a[0], b[0], rtol=1e-5, atol=1e-6, equal_nan=True)
            assert a[1] == b[1], f"gradient dtype of operand {k}"


def torch_warnings(torch, code: str) -> list:
    """The warnings `code` gives in a fresh Python with torch: torch gives some once per
    process, and this one may have given them already."""
    import subprocess
    import sys

    script = (
        "import warnings, torch as T\nwarnings.simplefilter('always')\n"
        f"with warnings.catch_warnings(record=True) as w:\n    {code}\n"
        "print(repr([str(x.message).split(' (Triggered')[0] for x in w]))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    return eval(out.stdout)  # noqa: S307  (a list of strings printed by repr)


def same_error(torch, fn):
    assert error_of(course_lib, fn) == error_of(torch, fn)


A = [1.5, -2.0, 3.0, -0.5, 0.0, 2.5]
B = [0.5, 2.0, -1.0, -0.75, 1.25, -3.0]
C = [0.25, 0.5, 2.0, -1.5, 0.75, -1.0]
I = [5, -7, 3, 0, 8, -2]
J = [2, 3, -2, 4, -3, 5]
BOOLS = [True, False, True, False, True, True]

# operand pairs: (first, second, their dtypes)
PAIRS = [
    (A, B, ["float32", "float32"]),
    (A, B, ["float64", "float64"]),
    (A, B, ["float32", "float64"]),
    (A, (2.0,), ["float32", "float64"]),  # a 0-d tensor does not decide the dtype
    (I, (2.5,), ["int64", "float64"]),  # ... unless its category is higher
    (A, 2, ["float32", None]),
    (A, 2.5, ["float32", None]),
    (I, J, ["int64", "int64"]),
    (I, 3, ["int64", None]),
    (I, 2.5, ["int64", None]),
    (I, BOOLS, ["int64", "bool"]),
    (BOOLS, BOOLS, ["bool", "bool"]),
    (BOOLS, True, ["bool", None]),
    (I, A, ["int64", "float32"]),
    ([[1.5], [-2.0]], B, ["float32", "float32"]),  # broadcast (2, 1) with (6,)
    (A, [1.0, 2.0], ["float32", "float32"]),  # shapes that do not broadcast
    (A, [1.0], ["float32", "list"]),
]


def _pair_ids():
    return [f"{d[0]}-{d[1]}-{type(b).__name__}" for _, b, d in PAIRS]


def pair_args(p):
    a, b, d = p
    if d[1] == "list":  # a list where a tensor or number is expected
        return (a, None), [d[0], None], b
    return (a, b), d, None


BINARY = (
    "fmod floor_divide true_divide clamp_min clamp_max atan2 arctan2 hypot logaddexp xlogy".split()
)
BINARY += "copysign fmax fmin logical_and logical_or logical_xor isclose".split()


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("pair", PAIRS, ids=_pair_ids())
def test_binary_functions_and_methods_match_torch(torch, name, pair):
    args, dtypes, raw = pair_args(pair)
    if raw is not None:  # the list goes in as is
        same(torch, lambda T, x, _: getattr(T, name)(x, raw), *args, dtypes=dtypes)
        same(torch, lambda T, x, _: getattr(x, name)(raw), *args, dtypes=dtypes)
        return
    same(torch, lambda T, x, y: getattr(T, name)(x, y), *args, dtypes=dtypes)
    same(torch, lambda T, x, y: getattr(x, name)(y), *args, dtypes=dtypes)


@pytest.mark.parametrize("name", ["floor_divide", "true_divide", "xlogy", "fmod", "atan2"])
@pytest.mark.parametrize("number", [2, 2.5, True])
def test_a_number_first_matches_torch(torch, name, number):
    same(torch, lambda T, y: getattr(T, name)(number, y), B)
    same(torch, lambda T, y: getattr(T, name)(number, y), J, dtypes=["int64"])


IN_PLACE = "fmod clamp_min clamp_max atan2 arctan2 hypot xlogy copysign true_divide".split()
IN_PLACE += "logical_and logical_or logical_xor".split()


@pytest.mark.parametrize("name", IN_PLACE)
@pytest.mark.parametrize("pair", PAIRS, ids=_pair_ids())
def test_in_place_binary_forms_match_torch(torch, name, pair):
    args, dtypes, raw = pair_args(pair)
    if raw is not None:
        same(torch, lambda T, x, _: getattr(x * 1, name + "_")(raw), *args, dtypes=dtypes)
        return

    def fn(T, x, y):
        x2 = x * 1 if x.dtype != T.bool else x.clone()  # a non-leaf: the op is recorded
        out = getattr(x2, name + "_")(y)
        assert out is x2
        return out

    same(torch, fn, *args, dtypes=dtypes)
    if dtypes[0] == "float32":  # on a leaf that requires grad
        same(torch, lambda T, x, y: getattr(x, name + "_")(y), *args, dtypes=dtypes)
    same(torch, lambda T, x, y: getattr(T.ones(1), name + "_")(y), *args, dtypes=dtypes)


def test_torch_level_in_place_functions_match_torch(torch):
    for name in ["clamp_min_", "clamp_max_", "xlogy_", "negative_", "nan_to_num_"]:
        assert hasattr(course_lib, name) == hasattr(torch, name)
    same(torch, lambda T, x: T.clamp_min_(x * 1, 0.5), A)
    same(torch, lambda T, x: T.clamp_max_(x * 1, 0.5), A)
    same(torch, lambda T, x, y: T.xlogy_(x * 1, y), A, B)
    same(torch, lambda T, x: T.negative_(x * 1), A)
    same(torch, lambda T, x: T.nan_to_num_(x * 1), [NAN, INF, -INF, 1.0])
    for name in ["fmod_", "lerp_", "addcmul_", "hypot_", "logical_and_", "true_divide_"]:
        assert hasattr(course_lib, name) == hasattr(torch, name)


# -- neg, negative, reciprocal ------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("name", ["neg", "negative", "reciprocal"])
def test_neg_negative_reciprocal_match_torch(torch, name, dtype):
    data = {"int64": I, "bool": BOOLS}.get(dtype, A)
    same(torch, lambda T, x: getattr(T, name)(x), data, dtypes=[dtype])
    same(torch, lambda T, x: getattr(x, name)(), data, dtypes=[dtype])
    same(torch, lambda T, x: getattr(x * 1 if dtype != "bool" else x, name + "_")(), data,
         dtypes=[dtype])  # fmt: skip
    same(torch, lambda T, x: getattr(x, name + "_")(), data, dtypes=[dtype])
    same_error(torch, lambda T: getattr(T, name)([1.0]))


# -- lerp, addcmul, addcdiv ---------------------------------------------------------------------

LERP = [
    (A, B, 0.3, ["float32", "float32", None]),
    (A, B, 0.7, ["float64", "float64", None]),
    (A, B, 1, ["float32", "float32", None]),
    (A, B, C, ["float32", "float32", "float32"]),
    (A, B, (0.5,), ["float32", "float32", "float32"]),
    (A, [2.0], 0.5, ["float32", "float32", None]),
    (A, B, C, ["float32", "float64", "float32"]),
    (A, B, C, ["float32", "float32", "float64"]),
    (I, J, 0.5, ["int64", "int64", None]),
    (I, J, I, ["int64", "int64", "int64"]),
    (A, [1.0, 2.0], 0.5, ["float32", "float32", None]),
    (A, 2.0, 0.5, ["float32", None, None]),
    (A, B, None, ["float32", "float32", None]),
]


@pytest.mark.parametrize("case", LERP, ids=range(len(LERP)))
def test_lerp_matches_torch(torch, case):
    *args, dtypes = case
    same(torch, lambda T, x, e, w: T.lerp(x, e, w), *args, dtypes=dtypes)
    same(torch, lambda T, x, e, w: x.lerp(e, w), *args, dtypes=dtypes)
    same(torch, lambda T, x, e, w: (x * 1).lerp_(e, w), *args, dtypes=dtypes)
    same(torch, lambda T, x, e, w: x.lerp_(e, w), *args, dtypes=dtypes)


def test_lerp_in_place_must_keep_its_shape(torch):
    same_error(torch, lambda T: T.ones(1).lerp_(T.ones(3), 0.5))


ADDC = [
    (A, B, C, ["float32"] * 3),
    (A, B, C, ["float64"] * 3),
    (A, B, C, ["float32", "float64", "float32"]),
    ((1.0,), B, C, ["float64", "float32", "float32"]),
    ([[1.0], [2.0]], B, C, ["float32"] * 3),
    (I, J, J, ["int64"] * 3),
    (I, A, J, ["int64", "float32", "int64"]),
    (A, J, J, ["float32", "int64", "int64"]),
    (BOOLS, BOOLS, BOOLS, ["bool"] * 3),
    (A, [1.0, 2.0], C, ["float32"] * 3),
    (A, 2.0, C, ["float32", None, "float32"]),
]


@pytest.mark.parametrize("value", [1, 2, 0.5, True, -1.5])
@pytest.mark.parametrize("case", ADDC, ids=range(len(ADDC)))
@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_addcmul_and_addcdiv_match_torch(torch, name, case, value):
    *args, dtypes = case
    if name == "addcdiv" and isinstance(args[2], list) and dtypes[2] != "bool":
        args[2] = [v if v != 0 else 1 for v in args[2]]
    same(torch, lambda T, x, a, b: getattr(T, name)(x, a, b, value=value), *args, dtypes=dtypes)
    same(torch, lambda T, x, a, b: getattr(x, name)(a, b, value=value), *args, dtypes=dtypes)
    same(torch, lambda T, x, a, b: getattr(x * 1, name + "_")(a, b, value=value), *args,
         dtypes=dtypes)  # fmt: skip


def test_addcmul_argument_errors_match_torch(torch):
    x = lambda T: T.ones(2)  # noqa: E731
    same_error(torch, lambda T: T.addcmul(x(T), x(T), x(T), 2))
    same_error(torch, lambda T: T.addcmul(x(T), x(T), x(T), value=[1]))
    same_error(torch, lambda T: T.addcdiv(x(T), 2.0, x(T)))
    same_error(torch, lambda T: T.ones(1).addcmul_(x(T), x(T)))


# -- gradients by central differences -----------------------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b: a.fmod(b),
        lambda a, b: a.atan2(b),
        lambda a, b: a.hypot(b),
        lambda a, b: a.logaddexp(b),
        lambda a, b: a.xlogy(b),
        lambda a, b: a.lerp(b, 0.3),
        lambda a, b: a.lerp(b, b * 0.1),
        lambda a, b: a.addcmul(b, b, value=0.5),
        lambda a, b: a.addcdiv(b, a + 3, value=-2),
        lambda a, b: a.clamp_min(b),
        lambda a, b: a.clamp_max(b),
        lambda a, b: a.fmax(b),
        lambda a, b: a.copysign(b),
    ],
)
def test_binary_gradients_pass_gradcheck(fn):
    a = course_lib.tensor([0.3, 1.7, 2.9, -0.8], dtype=course_lib.float64)
    b = course_lib.tensor([0.6, 1.1, 2.3, 0.45], dtype=course_lib.float64)
    gradcheck(lambda x: fn(x, b), a)
    gradcheck(lambda y: fn(a, y), b)


# -- isclose, nan_to_num ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"equal_nan": True}, {"rtol": 0.1}, {"atol": 3}, {"rtol": -1}, {"atol": -1.5}],
)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_isclose_matches_torch(torch, kwargs, dtype):
    data = {
        "int64": (I, J),
        "bool": (BOOLS, BOOLS[::-1]),
    }.get(dtype, ([1.0, NAN, INF, -INF, 2.0, 1e-9], [1.0 + 1e-6, NAN, INF, INF, 2.15, 0.0]))
    same(torch, lambda T, x, y: T.isclose(x, y, **kwargs), *data, dtypes=[dtype] * 2)
    same(torch, lambda T, x, y: x.isclose(y, **kwargs), *data, dtypes=[dtype] * 2)


def test_isclose_wants_one_dtype_as_torch(torch):
    same_error(torch, lambda T: T.isclose(T.ones(2), T.ones(2, dtype=T.float64)))
    same_error(torch, lambda T: T.isclose(T.ones(2), 1.0))
    same_error(torch, lambda T: T.ones(2).isclose(1.0))


@pytest.mark.parametrize(
    "kwargs", [{}, {"nan": 2.0}, {"posinf": 1.0, "neginf": -1.0}, {"posinf": 1e300}, {"nan": 7}]
)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_nan_to_num_matches_torch(torch, kwargs, dtype):
    data = {"int64": I, "bool": BOOLS}.get(dtype, [NAN, INF, -INF, 1.0, -0.0])
    same(torch, lambda T, x: T.nan_to_num(x, **kwargs), data, dtypes=[dtype])
    same(torch, lambda T, x: x.nan_to_num(**kwargs), data, dtypes=[dtype])
    same(torch, lambda T, x: (x * 1 if dtype != "bool" else x).nan_to_num_(**kwargs), data,
         dtypes=[dtype])  # fmt: skip


@pytest.mark.parametrize(
    "data, dtype", [(A, "float32"), (I, "int64"), (BOOLS, "bool"), ([NAN, 0.0], "float64")]
)
def test_logical_not_matches_torch(torch, data, dtype):
    same(torch, lambda T, x: T.logical_not(x), data, dtypes=[dtype])
    same(torch, lambda T, x: x.logical_not(), data, dtypes=[dtype])
    same(torch, lambda T, x: (x * 1 if dtype != "bool" else x).logical_not_(), data,
         dtypes=[dtype])  # fmt: skip
    same(torch, lambda T, x: x.logical_not_(), data, dtypes=[dtype])


def test_logical_in_place_keeps_the_history_as_torch(torch):
    for T in (course_lib, torch):
        x = T.tensor([1.0, 0.0], requires_grad=True)
        y = x * 2
        y.logical_and_(T.tensor([1.0, 1.0]))
        assert y.grad_fn.name() == "MulBackward0" and y._version == 1


# -- roll, tile, ravel, broadcast_to, diag, trace -----------------------------------------------

M = [[0.5, -1.0, 2.0], [3.0, -0.25, 1.5]]


@pytest.mark.parametrize(
    "fn",
    [
        lambda T, x: T.roll(x, 1),
        lambda T, x: T.roll(x, -4),
        lambda T, x: x.roll(1, 1),
        lambda T, x: x.roll((1, -1), (0, 1)),
        lambda T, x: x.roll(shifts=[2], dims=[-1]),
        lambda T, x: T.roll(x, (1, 2), 0),
        lambda T, x: T.roll(x, (1, 2)),
        lambda T, x: T.roll(x, 1, 5),
        lambda T, x: T.tile(x, (2,)),
        lambda T, x: x.tile(2, 1, 1),
        lambda T, x: x.tile((2, 2)),
        lambda T, x: x.tile(-1),
        lambda T, x: T.ravel(x),
        lambda T, x: x.t().ravel(),
        lambda T, x: T.broadcast_to(x[0], (2, 3)),
        lambda T, x: x.broadcast_to((4, 2, 3)),
        lambda T, x: x.broadcast_to((2, 4)),
        lambda T, x: T.diag(x),
        lambda T, x: x.diag(1),
        lambda T, x: x.diag(-1),
        lambda T, x: x.diag(5),
        lambda T, x: T.diag(x[0]),
        lambda T, x: x[1].diag(2),
        lambda T, x: x[1].diag(-1),
        lambda T, x: T.diag(x.unsqueeze(0)),
        lambda T, x: T.diag(x[0, 0]),
        lambda T, x: T.trace(x),
        lambda T, x: x.trace(),
        lambda T, x: x[0].trace(),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_shape_functions_match_torch(torch, fn, dtype):
    data = M if dtype.startswith("float") else [[1, 0, 2], [3, 0, 1]]
    same(torch, fn, data, dtypes=[dtype])


def test_broadcast_tensors_and_shapes_match_torch(torch):
    def both(T, x, y):
        a, b = T.broadcast_tensors(x, y)
        assert b is y  # already of the broadcast shape
        return a * b

    same(torch, both, [1.0, 2.0, 3.0], M)
    same(torch, lambda T, x, y: T.broadcast_tensors(x, y)[0], [1.0, 2.0], M)
    for shapes in [((3,), (2, 1)), (3, (2, 1)), ((2,), (3, 1), (1, 1, 1)), ((3,), (2,)), ()]:
        fn = lambda T, shapes=shapes: T.broadcast_shapes(*shapes)  # noqa: E731
        assert outcome_or_error(course_lib, fn) == outcome_or_error(torch, fn)


def outcome_or_error(torch, fn):
    try:
        return repr(fn(torch))
    except Exception as e:  # compared as text
        return f"{type(e).__name__}: {e}"


# -- hstack, vstack, dstack, column_stack ------------------------------------------------------

STACKS = ["hstack", "vstack", "dstack", "column_stack"]


@pytest.mark.parametrize("name", STACKS)
@pytest.mark.parametrize(
    "shapes", [((3,), (3,)), ((2, 3), (2, 3)), ((), ()), ((2, 3), (3,)), ((3,), (2,))]
)
def test_stacking_functions_match_torch(torch, name, shapes):
    rng = np.random.default_rng(len(shapes[0]))
    a, b = (rng.standard_normal(s).tolist() for s in shapes)
    a = a if isinstance(a, list) else (a,)
    b = b if isinstance(b, list) else (b,)
    same(torch, lambda T, x, y: getattr(T, name)([x, y]), a, b)
    same(torch, lambda T, x, y: getattr(T, name)((x, y.long())), a, b, dtypes=["float64"] * 2)


@pytest.mark.parametrize("name", STACKS + ["row_stack"])
def test_stacking_errors_match_torch(torch, name):
    same_error(torch, lambda T: getattr(T, name)([]))
    same_error(torch, lambda T: getattr(T, name)(T.ones(2)))


# -- meshgrid -----------------------------------------------------------------------------------


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_meshgrid_matches_torch(torch, indexing, n):
    data = [[1.0, 2.0, 3.0], [4.0, 5.0], [6.0, 7.0, 8.0, 9.0]][:n]

    def grid(T, *xs):
        out = T.meshgrid(*xs, indexing=indexing)
        assert len(out) == n
        return T.stack([o * (k + 1) for k, o in enumerate(out)])  # every output's gradient

    same(torch, grid, *data)
    same(torch, lambda T, *xs: T.meshgrid(list(xs), indexing=indexing)[-1], *data)


def test_meshgrid_warns_once_without_indexing_and_its_errors_match_torch(torch):
    import course_lib._ops._common as common

    common._warned.discard(course_lib._ops.shape._MESHGRID_WARNING)
    code = "T.meshgrid(T.tensor([1.0, 2.0]), T.tensor([3.0])); T.meshgrid(T.ones(2), T.ones(1))"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(code, {"T": course_lib})  # noqa: S102
        xs, ys = course_lib.meshgrid(course_lib.tensor([1.0, 2.0]), course_lib.tensor([3.0]))
    assert [str(w.message) for w in caught] == torch_warnings(torch, code)
    assert len(caught) == 1
    assert xs.tolist() == [[1.0], [2.0]] and ys.tolist() == [[3.0], [3.0]]
    same_error(torch, lambda T: T.meshgrid(T.ones(2), T.ones(2), indexing="zz"))
    same_error(torch, lambda T: T.meshgrid(T.ones(2), T.ones(2).long(), indexing="ij"))


# -- std_mean, var_mean, nansum, nanmean ---------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"dim": 1}, {"dim": 0, "keepdim": True}, {"correction": 0}, {"unbiased": False},
     {"dim": (0, 1)}, {"dim": 1, "correction": 2}],
)  # fmt: skip
@pytest.mark.parametrize("name", ["std_mean", "var_mean"])
def test_std_mean_and_var_mean_match_torch(torch, name, kwargs):
    data = [[0.5, -1.0, 2.0, 4.0], [3.0, -0.25, 1.5, 0.0]]
    for k in (0, 1):
        fn = lambda T, x, k=k: getattr(T, name)(x, **kwargs)[k]  # noqa: E731
        same(torch, fn, data)
        same(torch, fn, data, dtypes=["float64"])
    same(torch, lambda T, x: sum(getattr(T, name)(x, **kwargs)), data)  # one backward for both
    same_error(torch, lambda T: getattr(T, name)(T.tensor([1, 2])))
    same_error(torch, lambda T: getattr(T, name)([1.0]))
    assert type(getattr(course_lib, name)(course_lib.ones(2))) is tuple


@pytest.mark.parametrize("name", ["std_mean", "var_mean"])
def test_std_mean_warns_of_no_degrees_of_freedom_as_torch(torch, name):
    for T in (course_lib, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = getattr(T, name)(T.ones(2, 3), 1, correction=3)
        assert [str(w.message).split(" (Triggered")[0] for w in caught] == [
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel)."
        ]
        assert np.isnan(out[0].tolist()).all() and out[1].tolist() == [1.0, 1.0]


NAN_DATA = [[1.0, NAN, 3.0], [NAN, NAN, -2.0]]


@pytest.mark.parametrize("args", [(), (0,), (1, True), ((0, 1),), (-1,)])
@pytest.mark.parametrize("name", ["nansum", "nanmean"])
def test_nansum_and_nanmean_match_torch(torch, name, args):
    same(torch, lambda T, x: getattr(T, name)(x, *args), NAN_DATA)
    same(torch, lambda T, x: getattr(x, name)(*args), NAN_DATA, dtypes=["float64"])
    same(torch, lambda T, x: getattr(x, name)(*args), [[1, 2, 3], [4, 5, 6]], dtypes=["int64"])
    same(torch, lambda T, x: getattr(x, name)(*args), [[True, False]] * 2, dtypes=["bool"])
    same(torch, lambda T, x: getattr(x, name)(*args, dtype=T.float64), NAN_DATA)


# -- dtype rules: is_floating_point, result_type, promote_types, can_cast, finfo, iinfo ----------

DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool"]


@pytest.mark.parametrize("d1", DTYPES)
@pytest.mark.parametrize("d2", DTYPES)
def test_promote_types_can_cast_and_result_type_match_torch(torch, d1, d2):
    ours = (
        course_lib.promote_types(getattr(course_lib, d1), getattr(course_lib, d2)),
        course_lib.can_cast(getattr(course_lib, d1), getattr(course_lib, d2)),
    )
    theirs = (
        torch.promote_types(getattr(torch, d1), getattr(torch, d2)),
        torch.can_cast(getattr(torch, d1), getattr(torch, d2)),
    )
    assert (repr(ours[0]), ours[1]) == (repr(theirs[0]), theirs[1])
    for make in (
        lambda T: (T.ones(2, dtype=getattr(T, d1)), T.ones(2, dtype=getattr(T, d2))),
        lambda T: (T.ones(2, dtype=getattr(T, d1)), T.ones((), dtype=getattr(T, d2))),
        lambda T: (T.ones((), dtype=getattr(T, d1)), 2.5),
        lambda T: (True, T.ones(2, dtype=getattr(T, d2))),
        lambda T: (T.ones(2, dtype=getattr(T, d1)), 3),
    ):
        assert repr(course_lib.result_type(*make(course_lib))) == repr(
            torch.result_type(*make(torch))
        )


def test_is_floating_point_matches_torch(torch):
    for d in DTYPES:
        assert course_lib.is_floating_point(course_lib.ones(1, dtype=getattr(course_lib, d))) == (
            torch.is_floating_point(torch.ones(1, dtype=getattr(torch, d)))
        )
    same_error(torch, lambda T: T.is_floating_point([1.0]))


@pytest.mark.parametrize("name", DTYPES)
def test_finfo_and_iinfo_match_torch(torch, name):
    for info in ("finfo", "iinfo"):
        fn = lambda T, info=info: getattr(T, info)(getattr(T, name))  # noqa: E731
        try:
            theirs = fn(torch)
        except TypeError:
            same_error(torch, fn)
            continue
        ours = fn(course_lib)
        assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
        attrs = ["bits", "max", "min", "dtype"]
        attrs += ["eps", "tiny", "smallest_normal", "resolution"] if info == "finfo" else []
        for a in attrs:
            assert getattr(ours, a) == getattr(theirs, a), a
            assert type(getattr(ours, a)) is type(getattr(theirs, a)), a
    assert repr(course_lib.finfo()) == repr(torch.finfo())


# -- Tensor.where -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "other, dtypes",
    [(B, ["float32", "float32"]), (0.5, ["float32", None]), (2.5, ["int64", None]),
     (J, ["float32", "int64"]), ((1.0,), ["float32", "float64"]), ([1.0, 2.0], ["float32"] * 2)],
)  # fmt: skip
def test_tensor_where_matches_torch(torch, other, dtypes):
    x = A if dtypes[0] == "float32" else I
    same(torch, lambda T, x, y: x.where(x > 0, y), x, other, dtypes=dtypes)


def test_tensor_where_errors_match_torch(torch):
    same_error(torch, lambda T: T.ones(2).where(T.ones(2) > 0, [1.0]))
    same_error(torch, lambda T: T.ones(2).where(T.ones(2), 0.0))


# -- scatter, scatter_add, index_add, index_copy, index_fill, take, signbit, logspace -----------

Z = [[0.5, -1.0, 2.0, 4.0], [3.0, -0.25, 1.5, 0.0], [1.0, 2.0, -3.0, 0.75]]
S = [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]
IDX = [[0, 1, 2, 0], [2, 0, 1, 1]]


def idx(T, data, dtype="int64"):
    return T.tensor(data, dtype=getattr(T, dtype))


def _call(case, T, x, s, form):
    """One row of the tables below: (name, args(T, s), kwargs) run as the method x.name(...),
    the function T.name(x, ...) or the in-place method x.name_(...)."""
    name, args, kwargs = case[:3]
    kwargs = kwargs(T) if callable(kwargs) else kwargs
    if form == "function":
        return getattr(T, name)(x, *args(T, s), **kwargs)
    return getattr(x, name + ("_" if form == "in_place" else ""))(*args(T, s), **kwargs)


SCATTERS = [
    ("scatter", lambda T, s: (0, idx(T, IDX), s), {}),
    ("scatter", lambda T, s: (1, idx(T, [[3, 0], [1, 2]]), s), {}),
    ("scatter", lambda T, s: (0, idx(T, IDX, "int32"), s), {}),
    ("scatter", lambda T, s: (0, idx(T, IDX), 5.0), {}),
    ("scatter", lambda T, s: (), lambda T: {"dim": 0, "index": idx(T, IDX), "value": 2}),
    ("scatter", lambda T, s: (0, idx(T, [[0, 1]]), s), {}),  # an index smaller than src
    ("scatter", lambda T, s: (0, idx(T, IDX), s), {"reduce": "add"}),
    ("scatter", lambda T, s: (0, idx(T, IDX), s), {"reduce": "multiply"}),
    ("scatter", lambda T, s: (0, idx(T, IDX), 2.0), {"reduce": "add"}),
    ("scatter", lambda T, s: (0, idx(T, IDX), s), {"reduce": "max"}),
    ("scatter", lambda T, s: (0, idx(T, IDX, "float32"), s), {}),
    ("scatter", lambda T, s: (0, idx(T, IDX), s.double()), {}),
    ("scatter", lambda T, s: (0, idx(T, [[5, 0, 0, 0]]), s), {}),
    ("scatter", lambda T, s: (0, idx(T, [[-1, 0, 0, 0]]), s), {}),
    ("scatter", lambda T, s: (0, T.zeros(4, 5, dtype=T.long), s), {}),
    ("scatter", lambda T, s: (0, T.zeros(4, 5, dtype=T.long), 1.0), {}),
    ("scatter", lambda T, s: (0, T.zeros(4, dtype=T.long), s), {}),
    ("scatter", lambda T, s: (0, idx(T, IDX), s.reshape(-1)), {}),
    ("scatter", lambda T, s: (2, idx(T, IDX), s), {}),
    ("scatter", lambda T, s: (0, idx(T, IDX), [1.0]), {}),
    ("scatter", lambda T, s: (0, idx(T, IDX)), {}),
    ("scatter", lambda T, s: (0, T.zeros(0, 4, dtype=T.long), s), {}),
    ("scatter", lambda T, s: (0, idx(T, [], "uint8"), s), {}),  # an empty index: no checks
    ("scatter", lambda T, s: (0, idx(T, []), s.double()), {}),  # ... but the dtypes'
    ("scatter_add", lambda T, s: (0, idx(T, IDX), s), {}),
    ("scatter_add", lambda T, s: (1, idx(T, [[3, 3], [1, 1]]), s), {}),
    ("scatter_add", lambda T, s: (0, idx(T, IDX), 1.0), {}),
    ("scatter_add", lambda T, s: (0, idx(T, IDX), s.double()), {}),
]


@pytest.mark.parametrize("case", SCATTERS, ids=range(len(SCATTERS)))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_scatter_and_scatter_add_match_torch(torch, case, dtype):
    data = (Z, S) if dtype.startswith("float") else ([[1, 2, 3, 4]] * 3, [[5, 6, 7, 8]] * 2)
    same(torch, lambda T, x, s: _call(case, T, x, s, "method"), *data, dtypes=[dtype] * 2)
    if len(case) == 3:  # torch's function lists other overloads in its errors
        same(torch, lambda T, x, s: _call(case, T, x, s, "function"), *data, dtypes=[dtype] * 2)

    def in_place(T, x, s):  # written into a non-leaf copy of x
        y = x * 1 if x.dtype.is_floating_point else x.clone()
        out = _call(case, T, y, s, "in_place")
        assert out is y
        return out

    same(torch, in_place, *data, dtypes=[dtype] * 2)
    same(torch, lambda T, x, s: _call(case, T, x, s, "in_place"), *data, dtypes=[dtype] * 2)


def test_scatter_reduce_warns_once_as_torch(torch):
    import course_lib._ops._common as common

    code = (
        "T.zeros(3).scatter(0, T.tensor([0]), T.ones(1), reduce='add'); "
        "T.zeros(3).scatter(0, T.tensor([0]), T.ones(1), reduce='multiply'); "
        "T.zeros(3).scatter(0, T.tensor([0]), 1.0, reduce='add')"
    )
    common._warned.discard(course_lib._ops.indexing._SCATTER_WARNING)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(code, {"T": course_lib})  # noqa: S102
    assert [str(w.message) for w in caught] == torch_warnings(torch, code)
    assert len(caught) == 1


V = [[0.5, -1.0, 2.0], [3.0, -0.25, 1.5], [1.0, 2.0, -3.0], [4.0, 0.0, 1.0], [2.0, 2.0, 2.0]]
SRC = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]
INDEX_OPS = [
    ("index_add", lambda T, s: (0, idx(T, [0, 4, 2]), s), {}),
    ("index_add", lambda T, s: (0, idx(T, [0, 0, 1]), s), {"alpha": 2}),
    ("index_add", lambda T, s: (1, idx(T, [2, 0, 2]), s.t()[:5, :3] * 1), {}),
    ("index_add", lambda T, s: (0, idx(T, [0, 4, 2], "int32"), s), {"alpha": 0.5}),
    ("index_add", lambda T, s: (0, idx(T, [0, 1]), s), {}),
    ("index_add", lambda T, s: (0, idx(T, [[0, 1, 2]]), s), {}),
    ("index_add", lambda T, s: (0, idx(T, [-1, 1, 2]), s), {}),
    ("index_add", lambda T, s: (0, idx(T, [9, 1, 2]), s), {}),
    ("index_add", lambda T, s: (0, idx(T, [0, 1, 2], "float32"), s), {}),
    ("index_add", lambda T, s: (0, idx(T, [0, 1, 2]), s.double()), {}),
    ("index_add", lambda T, s: (0, idx(T, [0, 1, 2]), s[:, :2]), {}),
    ("index_add", lambda T, s: (0, idx(T, [0, 1, 2]), 1.0), {}),
    ("index_add", lambda T, s: (1, idx(T, [0, 1, 2]), s[0] * 1), {}),  # dim beyond source
    ("index_add", lambda T, s: (0, idx(T, [[0]], "float32"), s), {}),  # dims before dtype
    ("index_add", lambda T, s: (0, idx(T, [0, 0]), s[0, 0]), {}),  # a 0-d source
    ("index_add", lambda T, s: (0, idx(T, 0), s[0, 0]), {}),
    ("index_add", lambda T, s: (0, idx(T, [-9, 0, 1], "int32"), s), {}),
    ("index_copy", lambda T, s: (0, idx(T, [[0]], "int32"), s), {}),  # dims before dtype
    ("index_copy", lambda T, s: (0, idx(T, [0, 1]), s[0, 0]), {}),  # a 0-d source
    ("index_copy", lambda T, s: (0, idx(T, [0, 1]), s[0]), {}),  # dims differ
    ("index_fill", lambda T, s: (5, idx(T, [0], "int32"), 1.0), {}),  # dtype before dim
    ("index_copy", lambda T, s: (0, idx(T, [0, 4, 2]), s), {}),
    ("index_copy", lambda T, s: (0, idx(T, [-1, 1, 2]), s), {}),
    ("index_copy", lambda T, s: (0, idx(T, [5, 1, 2]), s), {}),
    ("index_copy", lambda T, s: (0, idx(T, [0, 1, 2], "int32"), s), {}),
    ("index_copy", lambda T, s: (0, idx(T, [[0, 1, 2]]), s), {}),
    ("index_copy", lambda T, s: (0, idx(T, [0, 1, 2]), s.double()), {}),
    ("index_copy", lambda T, s: (0, idx(T, [0, 1, 2]), s[:, :2]), {}),
    ("index_copy", lambda T, s: (0, idx(T, [0, 1]), s), {}),
    ("index_fill", lambda T, s: (1, idx(T, [0, 2]), -1.0), {}),
    ("index_fill", lambda T, s: (0, idx(T, [-1]), 2), {}),
    ("index_fill", lambda T, s: (1, idx(T, [0, 2]), s[0, 0]), {}),
    ("index_fill", lambda T, s: (1, idx(T, 1), 0.5), {}),
    ("index_fill", lambda T, s: (1, idx(T, [0, 5]), 1.0), {}),
    ("index_fill", lambda T, s: (1, idx(T, [[0]]), 1.0), {}),
    ("index_fill", lambda T, s: (1, idx(T, [0], "int32"), 1.0), {}),
    ("index_fill", lambda T, s: (1, idx(T, [0]), s[0]), {}),
    ("index_fill", lambda T, s: (1, idx(T, [0]), [1.0]), {}),
]


@pytest.mark.parametrize("case", INDEX_OPS, ids=range(len(INDEX_OPS)))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_index_add_copy_fill_match_torch(torch, case, dtype):
    data = (V, SRC) if dtype.startswith("float") else ([[1, 2, 3]] * 5, [[4, 5, 6]] * 3)
    for form in ("method", "function"):
        same(torch, lambda T, x, s, f=form: _call(case, T, x, s, f), *data, dtypes=[dtype] * 2)
    same(torch, lambda T, x, s: _call(case, T, x * 1, s, "in_place"), *data, dtypes=[dtype] * 2)
    same(torch, lambda T, x, s: _call(case, T, x, s, "in_place"), *data, dtypes=[dtype] * 2)


@pytest.mark.parametrize(
    "index, dtype",
    [([0, 8, -1], "int64"), ([[0, 4], [4, 4]], "int64"), (3, "int64"), ([9], "int64"),
     ([-10], "int64"), ([1], "int32"), ([1.0], "float32"), ([], "int64")],
)  # fmt: skip
def test_take_matches_torch(torch, index, dtype):
    same(torch, lambda T, x: x.take(idx(T, index, dtype)), SRC)
    same(torch, lambda T, x: T.take(x, idx(T, index, dtype)), SRC, dtypes=["int64"])
    same_error(torch, lambda T: T.take(T.ones(2), [1]))
    same_error(torch, lambda T: T.ones(0).take(T.tensor([0])))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_signbit_matches_torch(torch, dtype):
    data = {"int64": [-1, 0, 2], "bool": [True, False]}.get(dtype, [-0.0, 0.0, -1.0, NAN, -NAN])
    same(torch, lambda T, x: T.signbit(x), data, dtypes=[dtype])
    same(torch, lambda T, x: x.signbit(), data, dtypes=[dtype])


@pytest.mark.parametrize(
    "args, kwargs",
    [((0, 2, 3), {}), ((0, 3, 4), {"base": 2}), ((-1, 1.5, 7), {"base": 3.0}),
     ((0, 2, 3), {"dtype": "float64"}), ((0, 2, 3), {"dtype": "int64"}),
     ((0, 2, 3), {"dtype": "int32"}), ((-2.5, 7.25, 50), {}), ((-2.5, 7.25, 50), {"dtype": "float64"}),
     ((1, 2, 1), {}), ((1, 2, 0), {}), ((0, 2, -1), {}), ((0, 1, 3), {"dtype": "bool"}),
     ((0, 2, 3), {"requires_grad": True}), ((3, -4, 11), {"base": 1.5, "dtype": "int64"})],
)  # fmt: skip
def test_logspace_matches_torch(torch, args, kwargs):
    def fn(T):
        kw = {k: getattr(T, v) if k == "dtype" else v for k, v in kwargs.items()}
        out = T.logspace(*args, **kw)
        return out.dtype, out.requires_grad, out.detach().tolist()

    ours, theirs = outcome_or_error(course_lib, fn), outcome_or_error(torch, fn)
    if kwargs.get("dtype", "float32") != "float32" or ours.startswith("(") is False:
        assert ours == theirs  # float64 and integer values to the bit, and the errors
    else:  # float32 within an ulp
        (d1, r1, v1), (d2, r2, v2) = fn(course_lib), fn(torch)
        assert (repr(d1), r1) == (repr(d2), r2)
        np.testing.assert_allclose(v1, v2, rtol=2e-7)


# -- gradients of the shape, reduction and index ops by central differences ---------------------

_I = course_lib.tensor  # index tensors, made once


@pytest.mark.parametrize(
    "fn, shapes",
    [
        (lambda x: x.roll((1, -2), (0, 1)), [(3, 4)]),
        (lambda x: x.roll(5), [(3, 4)]),
        (lambda x: x.tile((2, 1, 3)), [(2, 3)]),
        (lambda x: x.t().ravel(), [(3, 4)]),
        (lambda x: x.broadcast_to((2, 3, 4)), [(3, 1)]),
        (lambda x: x.diag(1), [(3,)]),
        (lambda x: x.diag(-1), [(3, 4)]),
        (lambda x: x.trace(), [(3, 4)]),
        (lambda x, y: course_lib.hstack([x, y]), [(2, 3), (2, 1)]),
        (lambda x, y: course_lib.vstack([x, y]), [(3,), (2, 3)]),
        (lambda x, y: course_lib.dstack([x, y]), [(3,), (3,)]),
        (lambda x, y: course_lib.column_stack([x, y]), [(3,), (3, 2)]),
        (lambda x, y: course_lib.stack(course_lib.meshgrid(x, y, indexing="xy")), [(3,), (2,)]),
        (lambda x: course_lib.std_mean(x, 1)[0] * course_lib.std_mean(x, 1)[1], [(3, 4)]),
        (lambda x: course_lib.var_mean(x, correction=0)[0], [(3, 4)]),
        (lambda x: x.nansum(1), [(3, 4)]),
        (lambda x: x.nanmean(0, keepdim=True), [(3, 4)]),
        (lambda x, s: x.scatter(0, _I([[0, 1, 2, 0], [2, 0, 1, 1]]), s), [(3, 4), (2, 4)]),
        (lambda x: x.scatter(1, _I([[0], [3], [1]]), 2.5), [(3, 4)]),
        (lambda x, s: x.scatter_add(0, _I([[0, 0, 2, 0], [0, 0, 1, 1]]), s), [(3, 4), (2, 4)]),
        (lambda x, s: x.index_add(0, _I([2, 0, 2]), s, alpha=-2), [(3, 4), (3, 4)]),
        (lambda x, s: x.index_copy(1, _I([3, 0]), s), [(3, 4), (3, 2)]),
        (lambda x, v: x.index_fill(1, _I([3, 0]), v), [(3, 4), ()]),
        (lambda x: x.take(_I([[0, 11], [5, 5]])), [(3, 4)]),
        (lambda x: x.nan_to_num(), [(3, 4)]),
        (lambda x, w: x.lerp(x * 0.5 + 1, w), [(3, 4), (4,)]),
        (lambda x, y: x.xlogy(y * y + 0.5), [(3, 4), (3, 4)]),
        (lambda x, y: x.addcdiv(x, y * y + 1, value=0.5), [(3, 4), (4,)]),
    ],
)
def test_more_gradients_pass_gradcheck(fn, shapes):
    rng = np.random.default_rng(len(shapes))
    gradcheck(fn, *(rng.uniform(-2.0, 2.0, s) for s in shapes))


SPECIAL_A = [0.0, -0.0, NAN, INF, -INF, 1.0, -2.5, 0.0, NAN, -0.0, 3.0, INF]
SPECIAL_B = [-0.0, 0.0, 1.0, 2.0, -INF, NAN, -0.0, 0.0, NAN, INF, INF, INF]
SPECIAL_B_CLAMP = [0.5, -0.5, *SPECIAL_B[2:]]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binary_ops_on_special_values_match_torch(torch, name, dtype):
    b = SPECIAL_B_CLAMP if name.startswith("clamp") else SPECIAL_B  # no 0./-0. ties for clamp
    same(torch, lambda T, x, y: getattr(T, name)(x, y), SPECIAL_A, b, dtypes=[dtype] * 2,
         grad=False)  # fmt: skip
    same(
        torch,
        lambda T, x, y: getattr(x, name)(y[0]),
        SPECIAL_A,
        b,
        dtypes=[dtype] * 2,
        grad=False,
    )  # fmt: skip  (a 0-d tensor)


@pytest.mark.parametrize("name", ["clamp_min", "clamp_max", "fmod", "xlogy", "copysign"])
@pytest.mark.parametrize("number", [0.0, -0.0, NAN, INF, -INF])
def test_binary_ops_with_special_numbers_match_torch(torch, name, number):
    same(torch, lambda T, x: getattr(x, name)(number), SPECIAL_A, grad=False)


@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_on_empty_and_0d_tensors_match_torch(torch, name):
    same(torch, lambda T, x, y: getattr(T, name)(x, y), [], [], grad=False)
    same(torch, lambda T, x, y: getattr(T, name)(x, y), (1.5,), (-2.0,))
    same(torch, lambda T, x, y: getattr(T, name)(x, y), (1.5,), [[-2.0, 3.0]])


# -- in-place forms on views and on tensors saved for backward ----------------------------------

IN_PLACE_CALLS = [
    lambda T, y: y.fmod_(0.7),
    lambda T, y: y.clamp_min_(T.tensor(0.1)),
    lambda T, y: y.lerp_(T.ones(3), 0.25),
    lambda T, y: y.addcmul_(T.ones(3), T.full((3,), 2.0), value=0.5),
    lambda T, y: y.addcdiv_(T.ones(3), T.full((3,), 2.0)),
    lambda T, y: y.atan2_(T.ones(3)),
    lambda T, y: y.hypot_(T.ones(3)),
    lambda T, y: y.xlogy_(2.0),
    lambda T, y: y.copysign_(-1.0),
    lambda T, y: y.nan_to_num_(),
    lambda T, y: y.negative_(),
    lambda T, y: y.scatter_(0, T.tensor([2, 0]), T.tensor([5.0, 6.0])),
    lambda T, y: y.index_add_(0, T.tensor([1]), T.tensor([5.0])),
    lambda T, y: y.index_fill_(0, T.tensor([1]), 3.0),
    lambda T, y: y.index_copy_(0, T.tensor([1]), T.tensor([3.0])),
]


@pytest.mark.parametrize("op", IN_PLACE_CALLS, ids=range(len(IN_PLACE_CALLS)))
def test_in_place_forms_on_views_and_saved_tensors_match_torch(torch, op):
    def on_view(T, x):  # a row of a non-leaf: the base's history becomes CopySlices
        y = x * 1
        op(T, y[1])
        return y

    data = [[0.5, 1.5, -2.0], [1.25, -0.5, 3.0]]
    same(torch, on_view, data)

    def saved(T, x):  # exp saved its output: changing it in place breaks backward
        y = x.exp()
        op(T, y[0])
        return y

    same(torch, saved, data)


# -- random operands: shapes that broadcast or not, six dtypes, numbers, empty and 0-d tensors ----

FUZZ_DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool"]


def _random_operand(rng):
    if rng.random() < 0.15:
        return [2, -3, 2.5, True, 0, -0.0, NAN, np.float64(1.5)][rng.integers(8)], None
    shape = [(), (1,), (3,), (2, 3), (2, 1), (0,)][rng.integers(6)]
    dtype = FUZZ_DTYPES[rng.integers(len(FUZZ_DTYPES))]
    a = rng.uniform(-4, 4, shape)
    if dtype in ("int64", "int32", "uint8"):
        a = np.abs(np.round(a)) if dtype == "uint8" else np.round(a)
    values = (a > 0 if dtype == "bool" else a).tolist()
    return (values if shape else (values,)), dtype


@pytest.mark.parametrize("seed", range(8))
def test_random_operands_match_torch(torch, seed):
    """Values, dtypes and errors (their order too: shapes, then dtypes, then kernels) of the
    binary ops and their in-place forms on 60 random operand pairs."""
    rng = np.random.default_rng(seed)
    for _ in range(60):
        name = BINARY[rng.integers(len(BINARY))]
        (a, da), (b, db) = _random_operand(rng), _random_operand(rng)
        if da is None:
            (a, da), (b, db) = (b, db), (a, da)
        if da is None:
            continue
        form = ["function", "method", "in_place"][rng.integers(3)]
        if form == "in_place" and name not in IN_PLACE:
            form = "method"
        fns = {
            "function": lambda T, x, y, n=name: getattr(T, n)(x, y),
            "method": lambda T, x, y, n=name: getattr(x, n)(y),
            "in_place": lambda T, x, y, n=name: getattr(x.clone(), n + "_")(y),
        }
        same(torch, fns[form], a, b, dtypes=[da, db], grad=False)


MORE_OPS = {
    "lerp": lambda T, x, y, z: T.lerp(x, y, z),
    "lerp_": lambda T, x, y, z: x.clone().lerp_(y, z),
    "addcmul": lambda T, x, y, z: T.addcmul(x, y, z, value=2),
    "addcmul_": lambda T, x, y, z: x.clone().addcmul_(y, z, value=0.5),
    "addcdiv": lambda T, x, y, z: T.addcdiv(x, y, z),
    "addcdiv_": lambda T, x, y, z: x.clone().addcdiv_(y, z, value=-1),
    "where": lambda T, x, y, z: x.where(x > 0, y),
    "hstack": lambda T, x, y, z: T.hstack([x, y]),
    "vstack": lambda T, x, y, z: T.vstack([x, y]),
    "column_stack": lambda T, x, y, z: T.column_stack([x, y, z]),
    "dstack": lambda T, x, y, z: T.dstack([x, y]),
    "broadcast_tensors": lambda T, x, y, z: T.broadcast_tensors(x, y, z)[1],
    "nan_to_num": lambda T, x, y, z: T.nan_to_num(x, nan=2.5, posinf=-1),
    "nan_to_num_": lambda T, x, y, z: x.clone().nan_to_num_(posinf=3),
    "nansum": lambda T, x, y, z: x.nansum(-1),
    "nanmean": lambda T, x, y, z: x.nanmean(),
    "roll": lambda T, x, y, z: x.roll(1, -1),
    "tile": lambda T, x, y, z: x.tile((2, 1)),
    "diag": lambda T, x, y, z: x.diag(-1),
    "trace": lambda T, x, y, z: x.trace(),
    "signbit": lambda T, x, y, z: x.signbit(),
    "take": lambda T, x, y, z: x.take(T.tensor([0, -1])),
    "logical_not_": lambda T, x, y, z: x.clone().logical_not_(),
    "std_mean": lambda T, x, y, z: T.std_mean(x, -1)[0],
    "var_mean": lambda T, x, y, z: T.var_mean(x)[1],
}


@pytest.mark.parametrize("seed", range(8))
def test_random_operands_of_more_ops_match_torch(torch, seed):
    """Values, dtypes and errors (and their order) of three-operand, stacking, reducing and
    shape ops on 60 random operand triples."""
    rng = np.random.default_rng(100 + seed)
    names = list(MORE_OPS)
    for _ in range(60):
        name = names[rng.integers(len(names))]
        operands = [_random_operand(rng) for _ in range(3)]
        if operands[0][1] is None:
            continue
        args, dtypes = [v for v, _ in operands], [d for _, d in operands]
        same(torch, MORE_OPS[name], *args, dtypes=dtypes, grad=False)
