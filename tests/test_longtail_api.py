"""torch.linalg (norm, vector_norm, matrix_norm, inv, det, solve, matmul, cross) and torch.cross,
tensordot, kron, cdist, diff, compared with torch 2.13: values, dtypes, shapes, grad_fn names,
gradients and errors (type and message)."""

import math
import warnings

import numpy as np
import pytest
from parity import error_of

import course_lib

INF = math.inf
RNG = np.random.default_rng(0)


def arr(*shape, dtype="float64", seed=None):
    rng = RNG if seed is None else np.random.default_rng(seed)
    if dtype == "int64":
        return rng.integers(-5, 6, size=shape).astype(np.int64)
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    return rng.standard_normal(shape).astype(dtype)


def run(T, fn, arrays, grad):
    """fn(T, *tensors) with each NumPy array made a tensor (floats require grad when `grad`):
    the exception's (type, message), or (values, dtype, shape, grad_fn name, gradients)."""
    leaves = [
        T.tensor(a, requires_grad=grad and a.dtype.kind == "f") if isinstance(a, np.ndarray) else a
        for a in arrays
    ]
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
        out.backward(T.tensor(proj, dtype=out.dtype))
        for x in leaves:
            g = getattr(x, "grad", None) if isinstance(x, T.Tensor) else None
            grads.append(None if g is None else (np.array(g.tolist(), dtype=float), str(g.dtype)))
    values = np.array(out.detach().tolist(), dtype=float)
    return values, str(out.dtype), tuple(out.shape), name, grads


def same(torch, fn, *arrays, grad=True, rtol=1e-6, atol=1e-7):
    """fn gives the same values, dtype, shape, grad_fn name and gradients (or error) in both."""
    ours = run(course_lib, fn, arrays, grad)
    theirs = run(torch, fn, arrays, grad)
    if isinstance(theirs[0], str) or isinstance(ours[0], str):
        assert ours == theirs
        return
    np.testing.assert_allclose(ours[0], theirs[0], rtol=rtol, atol=atol, equal_nan=True)
    assert ours[1:4] == theirs[1:4], "dtype, shape and grad_fn"
    for k, (a, b) in enumerate(zip(ours[4], theirs[4], strict=True)):
        assert (a is None) == (b is None), f"gradient of operand {k}"
        if a is not None:
            np.testing.assert_allclose(a[0], b[0], rtol=max(rtol, 1e-5), atol=1e-5, equal_nan=True)
            assert a[1] == b[1], f"gradient dtype of operand {k}"


def same_error(torch, fn):
    assert error_of(course_lib, fn) == error_of(torch, fn)


FLOATS = ["float32", "float64"]


# -- torch.linalg is a module, as in torch -------------------------------------------------------


def test_linalg_is_a_module_of_the_package():
    import course_lib.linalg

    assert course_lib.linalg is course_lib.linalg
    assert issubclass(course_lib.linalg.LinAlgError, RuntimeError)
    assert course_lib.linalg.matmul is course_lib.matmul


# -- norms ---------------------------------------------------------------------------------------

NORM_CASES = [
    ((5,), {}),
    ((3, 4), {}),
    ((2, 3, 4), {}),
    ((5,), {"ord": 1}),
    ((5,), {"ord": INF}),
    ((5,), {"ord": -INF}),
    ((5,), {"ord": 3}),
    ((5,), {"ord": 0.5}),
    ((5,), {"ord": 0}),
    ((3, 4), {"ord": "fro"}),
    ((3, 4), {"ord": "nuc"}),
    ((3, 4), {"ord": 2}),
    ((3, 4), {"ord": -2}),
    ((4, 3), {"ord": 1}),
    ((4, 3), {"ord": -1}),
    ((4, 3), {"ord": INF}),
    ((4, 3), {"ord": -INF}),
    ((2, 3, 4), {"dim": 1}),
    ((2, 3, 4), {"dim": (0, 2), "ord": 1}),
    ((2, 3, 4), {"dim": (2, 0), "ord": INF, "keepdim": True}),
    ((2, 3, 4), {"dim": (0, 2), "ord": "nuc", "keepdim": True}),
    ((2, 3, 4), {"dim": (1, 2), "ord": 2}),
    ((2, 3, 4), {"dim": (1, 2), "ord": -2, "keepdim": True}),
    ((2, 3, 4), {"dim": [-1], "ord": 3, "keepdim": True}),
    ((3, 4), {"dtype": "float64"}),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape,kwargs", NORM_CASES)
def test_linalg_norm(torch, shape, kwargs, dtype):
    def fn(T, x):
        kw = dict(kwargs)
        if "dtype" in kw:
            kw["dtype"] = getattr(T, kw["dtype"])
        return T.linalg.norm(x, **kw)

    same(torch, fn, arr(*shape, dtype=dtype), rtol=1e-5)


VECTOR_NORM_CASES = [
    {},
    {"ord": 1},
    {"ord": INF},
    {"ord": -INF},
    {"ord": 0},
    {"ord": 3.5},
    {"ord": -1},
    {"dim": 1},
    {"dim": (0, 2), "keepdim": True},
    {"ord": INF, "dim": -1},
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("kwargs", VECTOR_NORM_CASES)
def test_vector_norm(torch, kwargs, dtype):
    same(
        torch, lambda T, x: T.linalg.vector_norm(x, **kwargs), arr(2, 3, 4, dtype=dtype), rtol=1e-5
    )


MATRIX_NORM_CASES = [
    {},
    {"ord": "nuc"},
    {"ord": 2},
    {"ord": -2},
    {"ord": 1},
    {"ord": -1},
    {"ord": INF},
    {"ord": -INF},
    {"ord": 1, "keepdim": True},
    {"ord": -INF, "keepdim": True, "dim": (2, 0)},
    {"ord": 2, "keepdim": True, "dim": (0, 1)},
    {"ord": "fro", "dim": (0, 2)},
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("kwargs", MATRIX_NORM_CASES)
def test_matrix_norm(torch, kwargs, dtype):
    same(
        torch, lambda T, x: T.linalg.matrix_norm(x, **kwargs), arr(2, 3, 4, dtype=dtype), rtol=1e-5
    )


NORM_ERRORS = [
    lambda T: T.linalg.norm(T.tensor([[1, 2], [3, 4]])),
    lambda T: T.linalg.norm(T.tensor([1.0, 2.0]), "fro"),
    lambda T: T.linalg.norm(T.ones(2, 2, 2), 2),
    lambda T: T.linalg.norm(T.ones(2, 2, 2), dim=(0, 1, 2)),
    lambda T: T.linalg.norm(T.ones(2, 2), "abc"),
    lambda T: T.linalg.norm(T.ones(2, 2), 3),
    lambda T: T.linalg.norm(T.ones(2, 2), dim=2),
    lambda T: T.linalg.vector_norm(T.tensor([1, 2])),
    lambda T: T.linalg.vector_norm(T.ones(2), "fro"),
    lambda T: T.linalg.vector_norm(T.ones(2), dtype=T.int64),
    lambda T: T.linalg.vector_norm(T.ones(2), dim=(0, 0)),
    lambda T: T.linalg.matrix_norm(T.ones(2)),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), 3),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), 2.5),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), "abc"),
    lambda T: T.linalg.matrix_norm(T.tensor([[1, 2], [3, 4]])),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), "nuc", dim=(0, 0)),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), dim=(0, 2)),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), dim=(0,)),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), dtype=T.int64),
]


@pytest.mark.parametrize("k", range(len(NORM_ERRORS)))
def test_norm_errors(torch, k):
    same_error(torch, NORM_ERRORS[k])


# -- inv, det, solve -----------------------------------------------------------------------------


def well_conditioned(*shape, dtype="float64"):
    a = arr(*shape, dtype="float64")
    return (a + 3 * np.eye(shape[-1])).astype(dtype)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 4, 4), (2, 1, 3, 3)])
def test_inv_and_det(torch, shape, dtype):
    a = well_conditioned(*shape, dtype=dtype)
    same(torch, lambda T, x: T.linalg.inv(x), a, rtol=1e-4, atol=1e-5)
    same(torch, lambda T, x: T.linalg.det(x), a, rtol=1e-4, atol=1e-5)


def test_det_of_a_singular_matrix(torch):  # torch's gradient: g · det · (a finite matrix)
    same(torch, lambda T, x: T.linalg.det(x), np.array([[1.0, 2.0], [2.0, 4.0]]))
    # (a singular matrix whose LU has no exact zero pivot gets det = rounding error, and a
    # gradient of that size times A⁻ᵀ: both depend on the rounding of LAPACK's kernels)
    same(torch, lambda T, x: T.linalg.det(x), np.array([[1.0, 2.0, 3], [2.0, 4.0, 6], [0, 0, 5]]))


SOLVE_SHAPES = [
    ((3, 3), (3,)),
    ((3, 3), (3, 2)),
    ((2, 3, 3), (3,)),
    ((2, 3, 3), (2, 3)),
    ((2, 3, 3), (3, 4)),
    ((3, 3), (2, 3, 1)),
    ((2, 1, 3, 3), (4, 3, 2)),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("sa,sb", SOLVE_SHAPES)
def test_solve(torch, sa, sb, dtype):
    a, b = well_conditioned(*sa, dtype=dtype), arr(*sb, dtype=dtype)
    same(torch, lambda T, x, y: T.linalg.solve(x, y), a, b, rtol=1e-4, atol=1e-5)


SINGULAR = [[1.0, 2.0], [2.0, 4.0]]
LINALG_ERRORS = [
    lambda T: T.linalg.inv(T.tensor(SINGULAR)),
    lambda T: T.linalg.inv(T.stack([T.eye(2), T.tensor(SINGULAR)])),
    lambda T: T.linalg.inv(T.tensor([[0.0, 1.0], [0.0, 0.0]])),
    lambda T: T.linalg.inv(T.ones(2, 3)),
    lambda T: T.linalg.inv(T.tensor([[1, 2], [3, 4]])),
    lambda T: T.linalg.inv(T.ones(2)),
    lambda T: T.linalg.det(T.ones(2, 3)),
    lambda T: T.linalg.det(T.tensor([[1, 2], [3, 4]])),
    lambda T: T.linalg.det(T.ones(2)),
    lambda T: T.linalg.solve(T.tensor(SINGULAR), T.tensor([1.0, 2.0])),
    lambda T: T.linalg.solve(T.stack([T.eye(2), T.tensor(SINGULAR)]), T.ones(2)),
    lambda T: T.linalg.solve(T.tensor(SINGULAR), T.ones(3, 2, 1)),
    lambda T: T.linalg.solve(T.ones(2, 3), T.tensor([1.0, 2.0])),
    lambda T: T.linalg.solve(T.tensor([[1, 2], [3, 4]]), T.tensor([1, 2])),
    lambda T: T.linalg.solve(T.eye(2, dtype=T.float64), T.tensor([1.0, 2.0])),
    lambda T: T.linalg.solve(T.eye(2), T.tensor([1.0, 2.0, 3.0])),
    lambda T: T.linalg.solve(T.eye(2), T.ones(3, 2)),
    lambda T: T.linalg.solve(T.eye(2).expand(3, 2, 2), T.ones(4, 2, 1)),
]


@pytest.mark.parametrize("k", range(len(LINALG_ERRORS)))
def test_linalg_errors(torch, k):
    same_error(torch, LINALG_ERRORS[k])


def test_linalg_error_type_is_linalg_error(torch):
    with pytest.raises(course_lib.linalg.LinAlgError):
        course_lib.linalg.inv(course_lib.tensor(SINGULAR))
    with pytest.raises(torch.linalg.LinAlgError):
        torch.linalg.inv(torch.tensor(SINGULAR))


def test_solve_left_false_is_not_implemented():
    with pytest.raises(NotImplementedError, match="left=False"):
        course_lib.linalg.solve(course_lib.eye(2), course_lib.ones(2, 2), left=False)


@pytest.mark.parametrize("sa,sb", [((3, 4), (4, 2)), ((2, 3, 4), (4,)), ((4,), (4,))])
def test_linalg_matmul(torch, sa, sb):
    same(torch, lambda T, x, y: T.linalg.matmul(x, y), arr(*sa), arr(*sb))


# -- cross ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
@pytest.mark.parametrize(
    "sa,sb,dim", [((3,), (3,), -1), ((4, 3), (4, 3), -1), ((1, 3), (4, 3), 1), ((3, 2), (3, 1), 0)]
)
def test_cross(torch, sa, sb, dim, dtype):
    a, b = arr(*sa, dtype=dtype), arr(*sb, dtype=dtype)
    same(torch, lambda T, x, y: T.linalg.cross(x, y, dim=dim), a, b)
    same(torch, lambda T, x, y: T.cross(x, y, dim=dim), a, b)


@pytest.mark.parametrize("shape", [(3, 3), (4, 3), (3, 4), (2, 3, 3)])
def test_cross_without_dim_takes_the_first_dim_of_size_3(torch, shape):
    same(torch, lambda T, x, y: T.cross(x, y), arr(*shape), arr(*shape))


def test_cross_without_dim_warns(torch):
    import subprocess
    import sys

    code = (
        "import warnings, {m} as T\nwarnings.simplefilter('always')\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    T.cross(T.ones(3), T.ones(3)); T.cross(T.ones(3), T.ones(3))\n"
        "print(repr([(x.category.__name__, str(x.message).split(' (Triggered')[0]) for x in w]))"
    )
    outs = [
        subprocess.run(
            [sys.executable, "-c", code.format(m=m)], capture_output=True, text=True, check=True
        ).stdout
        for m in ("course_lib", "torch")
    ]
    assert outs[0] == outs[1]


CROSS_ERRORS = [
    lambda T: T.cross(T.ones(2, 2), T.ones(2, 2)),
    lambda T: T.linalg.cross(T.ones(2, 2), T.ones(2, 2)),
    lambda T: T.linalg.cross(T.ones(4, 3, dtype=T.int64), T.ones(4, 3)),
    lambda T: T.linalg.cross(T.ones(4, 3), T.ones(3)),
    lambda T: T.linalg.cross(T.ones(4, 3), T.ones(2, 3)),
    lambda T: T.linalg.cross(T.ones(4, 3), T.ones(4, 3), dim=2),
    lambda T: T.cross(T.ones(3, 2), T.ones(3, 2), dim=1),
]


@pytest.mark.parametrize("k", range(len(CROSS_ERRORS)))
def test_cross_errors(torch, k):
    same_error(torch, CROSS_ERRORS[k])


# -- tensordot, kron -----------------------------------------------------------------------------

TENSORDOT_CASES = [
    ((2, 3), (3, 4), 1),
    ((2, 3, 4), (3, 4, 5), 2),
    ((3, 4), (3, 4), 2),
    ((2, 3), (4,), 0),
    ((2, 3, 4), (4, 2, 3), ([0, 1], [1, 2])),
    ((2, 3, 4), (5, 3), ([1], [1])),
    ((2, 1, 4), (3, 5), ([1], [0])),
    ((2, 3), (1, 5), ([1], [0])),
    ((2, 3), (3, 4), [[1], [0]]),
]


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
@pytest.mark.parametrize("sa,sb,dims", TENSORDOT_CASES)
def test_tensordot(torch, sa, sb, dims, dtype):
    a, b = arr(*sa, dtype=dtype), arr(*sb, dtype=dtype)
    same(torch, lambda T, x, y: T.tensordot(x, y, dims=dims), a, b, rtol=1e-5)


TENSORDOT_ERRORS = [
    lambda T: T.tensordot(T.ones(2, 3), T.ones(2, 3), dims=1),
    lambda T: T.tensordot(T.ones(2, 3, dtype=T.int64), T.ones(3, 2), dims=1),
    lambda T: T.tensordot(T.ones(2, 3), T.ones(3, 2), dims=-1),
    lambda T: T.tensordot(T.ones(2, 3), T.ones(3, 2), dims=3),
    lambda T: T.tensordot(T.ones(2, 3), T.ones(3, 2), dims=[[1, 0], [0]]),
    lambda T: T.tensordot(T.ones(2, 3), T.ones(3, 2), dims=[1, 0]),
    lambda T: T.tensordot(T.ones(2, 3), T.ones(3, 2), dims=[[1], 0]),
    lambda T: T.tensordot(T.ones(2, 3), T.ones(3, 2), dims=1.5),
]


@pytest.mark.parametrize("k", range(len(TENSORDOT_ERRORS)))
def test_tensordot_errors(torch, k):
    same_error(torch, TENSORDOT_ERRORS[k])


@pytest.mark.parametrize("dims", [[[1], [0]], 1, 0])
def test_tensordot_dims_as_a_tensor(torch, dims):
    same(torch, lambda T, x, y: T.tensordot(x, y, dims=T.tensor(dims)), arr(2, 3), arr(3, 4))


KRON_CASES = [((2,), (3,)), ((2, 3), (2, 2)), ((2,), (2, 3)), ((2, 1, 3), (2, 2)), ((), (2, 2))]


@pytest.mark.parametrize(
    "types",
    [("float32", "float32"), ("float64", "float64"), ("int64", "int64"), ("int64", "float32")],
)
@pytest.mark.parametrize("sa,sb", KRON_CASES)
def test_kron(torch, sa, sb, types):
    same(torch, lambda T, x, y: T.kron(x, y), arr(*sa, dtype=types[0]), arr(*sb, dtype=types[1]))


# -- cdist ---------------------------------------------------------------------------------------

CDIST_CASES = [
    ((4, 3), (5, 3), 2.0),
    ((4, 3), (5, 3), 1.0),
    ((4, 3), (5, 3), 3.0),
    ((4, 3), (5, 3), 0.5),
    ((4, 3), (5, 3), 1.5),
    ((4, 3), (5, 3), 0.0),
    ((4, 3), (5, 3), INF),
    ((2, 1, 3, 2), (4, 5, 2), 2.0),
    ((30, 3), (5, 3), 2.0),
    ((2, 30, 3), (5, 3), 2.0),
    ((30, 3), (5, 3), 1.0),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("sa,sb,p", CDIST_CASES)
def test_cdist(torch, sa, sb, p, dtype):
    same(
        torch,
        lambda T, x, y: T.cdist(x, y, p=p),
        arr(*sa, dtype=dtype),
        arr(*sb, dtype=dtype),
        rtol=1e-4,
        atol=1e-5,
    )


@pytest.mark.parametrize("mode", ["use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"])
def test_cdist_compute_mode(torch, mode):
    same(torch, lambda T, x, y: T.cdist(x, y, compute_mode=mode), arr(30, 3), arr(4, 3), rtol=1e-5)


def test_cdist_of_equal_rows_has_zero_gradient(torch):
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    same(torch, lambda T, a, b: T.cdist(a, b), x, x.copy())
    same(torch, lambda T, a, b: T.cdist(a, b, p=0.5), x, x.copy())
    same(torch, lambda T, a, b: T.cdist(a, b, p=3), x, x.copy())


CDIST_ERRORS = [
    lambda T: T.cdist(T.ones(3), T.ones(3)),
    lambda T: T.cdist(T.ones(3, 2), T.ones(3)),
    lambda T: T.cdist(T.ones(3, 2), T.ones(3, 3)),
    lambda T: T.cdist(T.ones(3, 2, dtype=T.int64), T.ones(3, 2, dtype=T.int64)),
    lambda T: T.cdist(T.ones(3, 2), T.ones(3, 2), p=-1),
    lambda T: T.cdist(T.ones(3, 2), T.ones(3, 2, dtype=T.float64)),
    lambda T: T.cdist(T.ones(2, 3, 2), T.ones(3, 5, 2)),
    lambda T: T.cdist(T.ones(3, 2), T.ones(3, 2), compute_mode="fast"),
]


@pytest.mark.parametrize("k", range(len(CDIST_ERRORS)))
def test_cdist_errors(torch, k):
    same_error(torch, CDIST_ERRORS[k])


# -- diff ----------------------------------------------------------------------------------------

DIFF_CASES = [
    ((5,), {}),
    ((3, 4), {}),
    ((3, 4), {"dim": 0}),
    ((3, 4), {"n": 2}),
    ((3, 4), {"n": 7}),
    ((5,), {"n": 0}),
]


@pytest.mark.parametrize("dtype", FLOATS + ["int64", "bool"])
@pytest.mark.parametrize("shape,kwargs", DIFF_CASES)
def test_diff(torch, shape, kwargs, dtype):
    same(torch, lambda T, x: T.diff(x, **kwargs), arr(*shape, dtype=dtype))


@pytest.mark.parametrize(
    "types", [("float32", "float32"), ("float32", "float64"), ("int64", "float32")]
)
def test_diff_with_prepend_and_append(torch, types):
    x, p = arr(3, 4, dtype=types[0]), arr(2, 4, dtype=types[1])
    same(torch, lambda T, a, b: T.diff(a, dim=0, prepend=b), x, p)
    same(torch, lambda T, a, b: T.diff(a, n=2, dim=0, append=b), x, p)
    same(torch, lambda T, a, b: T.diff(a, n=0, dim=0, prepend=b, append=b), x, p)


DIFF_ERRORS = [
    lambda T: T.diff(T.tensor(1.0)),
    lambda T: T.diff(T.tensor([1.0, 2.0]), n=-1),
    lambda T: T.diff(T.tensor([1.0, 2.0]), dim=1),
    lambda T: T.diff(T.ones(2, 2), prepend=T.ones(3)),
    lambda T: T.diff(T.ones(2, 2), prepend=T.ones(2, 3), dim=0),
    lambda T: T.diff(T.ones(3), prepend=2.0),
]


@pytest.mark.parametrize("k", range(len(DIFF_ERRORS)))
def test_diff_errors(torch, k):
    same_error(torch, DIFF_ERRORS[k])


# -- searchsorted, bucketize ---------------------------------------------------------------------

SEQ = np.array([1.0, 3.0, 5.0, 7.0])
VALS = np.array([[0.0, 3.0, 6.0], [3.0, 5.0, 8.0]])


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
@pytest.mark.parametrize(
    "kwargs", [{}, {"right": True}, {"side": "right"}, {"side": "left"}, {"out_int32": True}]
)
def test_searchsorted_and_bucketize(torch, kwargs, dtype):
    s, v = SEQ.astype(dtype), VALS.astype(dtype)
    same(torch, lambda T, a, b: T.searchsorted(a, b, **kwargs), s, v)
    if "side" not in kwargs:
        same(torch, lambda T, a, b: T.bucketize(b, a, **kwargs), s, v)


def test_searchsorted_more(torch):
    same(
        torch,
        lambda T, a, b: T.searchsorted(a, b),
        np.array([[1.0, 2], [3, 4]]),
        np.array([[1.5], [3.5]]),
    )
    same(torch, lambda T, a: T.searchsorted(a, 4), SEQ)
    same(torch, lambda T, a: T.searchsorted(a, 4.5, right=True), SEQ)
    same(torch, lambda T, a: T.bucketize(3, a), SEQ)
    same(torch, lambda T, a, b: T.searchsorted(a, b), SEQ, np.array([1, 2, 9]))
    same(torch, lambda T, a, b: T.searchsorted(a, b), SEQ, np.array([np.nan, 2.0, np.inf]))
    same(
        torch,
        lambda T, a, b: T.searchsorted(a, b, sorter=T.tensor([1, 2, 0])),
        np.array([5.0, 1.0, 3.0]),
        np.array([2.0, 5.0]),
    )


SEARCH_ERRORS = [
    lambda T: T.searchsorted(T.ones(3), T.ones(2), side="up"),
    lambda T: T.searchsorted(T.ones(3), T.ones(2), side="left", right=True),
    lambda T: T.searchsorted(T.tensor(1.0), T.ones(2)),
    lambda T: T.searchsorted(T.ones(2, 2), T.ones(1, 1)),
    lambda T: T.searchsorted(T.ones(2, 2), T.ones(1)),
    lambda T: T.bucketize(T.ones(2), T.ones(2, 2)),
]


@pytest.mark.parametrize("k", range(len(SEARCH_ERRORS)))
def test_searchsorted_errors(torch, k):
    same_error(torch, SEARCH_ERRORS[k])


# -- bincount, histc -----------------------------------------------------------------------------


@pytest.mark.parametrize("wdtype", [None, "float32", "float64", "int64"])
@pytest.mark.parametrize("minlength", [0, 6])
def test_bincount(torch, wdtype, minlength):
    x = np.array([0, 1, 1, 3, 1])
    if wdtype is None:
        same(torch, lambda T, a: T.bincount(a, minlength=minlength), x)
    else:
        w = np.array([0.5, 1.0, 2.0, 3.0, -1.5]).astype(wdtype)
        same(torch, lambda T, a, b: T.bincount(a, b, minlength), x, w, grad=False)
    same(torch, lambda T, a: T.bincount(a, minlength=minlength), np.array([], dtype=np.int64))


def test_bincount_of_weights_that_require_grad(torch):
    def fn(T):
        w = T.ones(2, requires_grad=True)
        out = T.bincount(T.tensor([0, 1]), weights=w)
        assert out.grad_fn.name() == "torch::autograd::NotImplemented"
        out.sum().backward()

    same_error(torch, fn)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(
    "values,kwargs",
    [
        ([1.0, 2.0, 1.0], {"bins": 4, "min": 0, "max": 3}),
        ([1.0, 2.0, 1.0, 5.0], {"bins": 4}),
        ([1.0, 1.0], {"bins": 4}),
        ([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], {"bins": 3, "min": 0, "max": 3}),
        ([0.1, 0.2, 0.3, 0.7, 0.9, 1.0], {"bins": 10, "min": 0, "max": 1}),
        ([], {"bins": 3}),
    ],
)
def test_histc(torch, values, kwargs, dtype):
    same(torch, lambda T, x: T.histc(x, **kwargs), np.array(values, dtype=dtype))


def test_histc_of_random_data(torch):
    same(torch, lambda T, x: T.histc(x, bins=7), arr(1000, dtype="float32"))
    same(torch, lambda T, x: T.histc(x, bins=13, min=-1, max=1.5), arr(1000, dtype="float64"))


COUNT_ERRORS = [
    lambda T: T.bincount(T.tensor([0, -1])),
    lambda T: T.bincount(T.tensor([0.0, 1.0])),
    lambda T: T.bincount(T.tensor([[0, 1]])),
    lambda T: T.bincount(T.tensor([0, 1]), weights=T.tensor([1.0])),
    lambda T: T.bincount(T.tensor([0, 1]), minlength=-1),
    lambda T: T.bincount(T.tensor([True, False])),
    lambda T: T.histc(T.tensor([1, 2]), bins=4),
    lambda T: T.histc(T.tensor([1.0, 2.0]), bins=4, min=3, max=1),
    lambda T: T.histc(T.tensor([1.0, 2.0]), bins=0),
    lambda T: T.histc(T.tensor([1.0, math.nan]), bins=3),
    lambda T: T.histc(T.tensor([1.0, math.inf]), bins=3),
]


@pytest.mark.parametrize("k", range(len(COUNT_ERRORS)))
def test_count_errors(torch, k):
    same_error(torch, COUNT_ERRORS[k])


# -- cartesian_prod, atleast_*d, block_diag, rot90, fliplr, flipud --------------------------------


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
def test_cartesian_prod(torch, dtype):
    a, b, c = arr(2, dtype=dtype), arr(3, dtype=dtype), arr(2, dtype=dtype)
    same(torch, lambda T, x, y: T.cartesian_prod(x, y), a, b)
    same(torch, lambda T, x, y, z: T.cartesian_prod(x, y, z), a, b, c)
    same(torch, lambda T, x: T.cartesian_prod(x), a)


@pytest.mark.parametrize("fn", ["atleast_1d", "atleast_2d", "atleast_3d"])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (1, 2, 3), (2, 1, 2, 1)])
def test_atleast(torch, fn, shape):
    same(torch, lambda T, x: getattr(T, fn)(x * 1), arr(*shape))  # x * 1: a non-leaf


@pytest.mark.parametrize("fn", ["atleast_1d", "atleast_2d", "atleast_3d"])
def test_atleast_of_several_tensors_gives_a_tuple(torch, fn):
    def shapes(T):
        x, y, z = T.tensor(1.0), T.ones(2), T.ones(1, 2, 3, 4)
        several, listed = getattr(T, fn)(x, y, z), getattr(T, fn)([x, y, z])
        assert type(several) is tuple and type(listed) is tuple
        assert getattr(T, fn)(z) is z  # enough dims already: the tensor itself
        return [tuple(t.shape) for t in several + listed]

    assert shapes(course_lib) == shapes(torch)
    same_error(torch, lambda T: getattr(T, fn)(3))


@pytest.mark.parametrize(
    "types",
    [("float32", "float32"), ("float64", "float64"), ("int64", "int64"), ("int64", "float32")],
)
def test_block_diag(torch, types):
    a, b, c = arr(2, 3, dtype=types[0]), arr(3, dtype=types[1]), arr(dtype=types[0])
    same(torch, lambda T, x, y, z: T.block_diag(x, y, z), a, b, c)
    same(torch, lambda T, x: T.block_diag(x), a)
    same(torch, lambda T: T.block_diag())


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
@pytest.mark.parametrize("k", [-1, 0, 1, 2, 3, 5])
@pytest.mark.parametrize("dims", [(0, 1), (1, 0), (2, 0), (-1, -2)])
def test_rot90(torch, k, dims, dtype):
    same(torch, lambda T, x: T.rot90(x, k, dims), arr(2, 3, 4, dtype=dtype))


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 3, 4)])
def test_fliplr_flipud(torch, shape):
    same(torch, lambda T, x: T.flipud(x), arr(*shape))
    same(torch, lambda T, x: T.fliplr(x), arr(*shape))


SHAPE_ERRORS = [
    lambda T: T.cartesian_prod(T.tensor([1, 2]), T.tensor([1.0])),
    lambda T: T.cartesian_prod(T.tensor([[1, 2]]), T.tensor([1])),
    lambda T: T.cartesian_prod(),
    lambda T: T.block_diag(T.ones(1, 1, 1)),
    lambda T: T.rot90(T.ones(3)),
    lambda T: T.rot90(T.ones(2, 3), 1, [0, 1, 2]),
    lambda T: T.rot90(T.ones(2, 3), 1, [0, 0]),
    lambda T: T.rot90(T.ones(2, 3), 1, [0, -2]),
    lambda T: T.rot90(T.ones(2, 3), 1, [0, 2]),
    lambda T: T.fliplr(T.ones(3)),
    lambda T: T.flipud(T.tensor(1.0)),
]


@pytest.mark.parametrize("k", range(len(SHAPE_ERRORS)))
def test_shape_errors(torch, k):
    same_error(torch, SHAPE_ERRORS[k])


# -- heaviside, cov, corrcoef --------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOATS + ["int64"])
def test_heaviside(torch, dtype):
    x = np.array([-1.0, 0.0, 2.0, 0.0]).astype(dtype)
    same(torch, lambda T, a, b: T.heaviside(a, b), x, np.array([5.0]).astype(dtype), grad=False)
    same(
        torch,
        lambda T, a, b: T.heaviside(a, b),
        x,
        np.array([1.0, 2, 3, 4]).astype(dtype),
        grad=False,
    )
    same(torch, lambda T, a: T.heaviside(a, T.tensor(3).to(a.dtype)), x, grad=False)
    same(
        torch,
        lambda T, a, b: T.heaviside(a, b),
        x,
        np.array([[1.0], [2]]).astype(dtype),
        grad=False,
    )


def test_heaviside_of_nan_and_its_missing_derivative(torch):
    same(
        torch,
        lambda T, a, b: T.heaviside(a, b),
        np.array([np.nan, 0.0]),
        np.array([0.5]),
        grad=False,
    )

    def backward(T):
        out = T.heaviside(T.ones(2, requires_grad=True), T.tensor([0.5]))
        assert out.grad_fn.name() == "torch::autograd::NotImplemented"
        out.sum().backward()

    same_error(torch, backward)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize(
    "shape,kwargs",
    [
        ((2, 5), {}),
        ((5,), {}),
        ((3, 5), {"correction": 0}),
        ((3, 5), {"correction": 2}),
        ((2, 5), {"fweights": [1, 2, 1, 3, 1]}),
        ((2, 5), {"aweights": [1.0, 2.0, 1.0, 0.5, 1.0]}),
        ((2, 5), {"fweights": [1, 2, 1, 3, 1], "aweights": [1.0, 2.0, 1.0, 0.5, 1.0]}),
        ((2, 5), {"fweights": [1, 2, 1, 3, 1], "aweights": [1.0, 2, 1, 0.5, 1], "correction": 0}),
    ],
)
def test_cov_and_corrcoef(torch, shape, kwargs, dtype):
    def cov(T, x):
        kw = {
            k: T.tensor(v, dtype=x.dtype if k == "aweights" else None)
            for k, v in kwargs.items()
            if k != "correction"
        }
        return T.cov(x, correction=kwargs.get("correction", 1), **kw)

    same(torch, cov, arr(*shape, dtype=dtype), rtol=1e-5, atol=1e-6)
    if not kwargs:
        same(torch, lambda T, x: T.corrcoef(x), arr(*shape, dtype=dtype), rtol=1e-5, atol=1e-6)


def test_cov_of_ints_and_of_one_observation(torch):
    same(torch, lambda T, x: T.cov(x), np.array([[1, 2, 4]]))
    same(torch, lambda T, x: T.corrcoef(x), np.array([[1, 2, 4], [1, 0, 0]]))
    same(torch, lambda T, x: T.cov(x), np.array([[1.0]]))


STATS_ERRORS = [
    lambda T: T.heaviside(T.tensor([1.0]), 0.5),
    lambda T: T.heaviside(T.tensor([-1, 0, 2]), T.tensor([0.5])),
    lambda T: T.heaviside(T.tensor([1.0, 0]), T.tensor(3.0, dtype=T.float64)),
    lambda T: T.heaviside(T.ones(2), T.ones(3)),
    lambda T: T.cov(T.ones(2, 2, 2)),
    lambda T: T.cov(T.tensor([True, False])),
    lambda T: T.cov(T.ones(2, 3), fweights=T.tensor([1.0, 2, 3])),
    lambda T: T.cov(T.ones(2, 3), fweights=T.tensor([1, 2])),
    lambda T: T.cov(T.ones(2, 3), fweights=T.tensor([1, -2, 1])),
    lambda T: T.cov(T.ones(2, 3), aweights=T.tensor([1, 2, 3])),
    lambda T: T.cov(T.ones(2, 3), aweights=T.ones(1, 3)),
    lambda T: T.cov(T.ones(2, 3), fweights=T.tensor([0, 0, 0])),
    lambda T: T.corrcoef(T.ones(2, 2, 2)),
]


@pytest.mark.parametrize("k", range(len(STATS_ERRORS)))
def test_stats_errors(torch, k):
    same_error(torch, STATS_ERRORS[k])


def test_cov_warns_when_the_degrees_of_freedom_are_not_positive(torch):
    for T in (course_lib, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.cov(T.ones(2, 2), correction=3)
        texts = [str(w.message).split(" (Triggered")[0] for w in caught]
        assert texts == [
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "number of observations."
        ]


# -- float64 central-difference gradient checks (no torch needed) --------------------------------

L = course_lib.linalg
GRADCHECKS = [
    ("inv", lambda a: L.inv(a), [well_conditioned(2, 3, 3)]),
    ("det", lambda a: L.det(a), [well_conditioned(2, 3, 3)]),
    ("solve", lambda a, b: L.solve(a, b), [well_conditioned(2, 3, 3), arr(3, 2)]),
    ("solve vector", lambda a, b: L.solve(a, b), [well_conditioned(2, 3, 3), arr(2, 3)]),
    ("nuc", lambda a: L.matrix_norm(a, "nuc"), [arr(2, 3, 4)]),
    ("2-norm", lambda a: L.matrix_norm(a, 2), [arr(3, 4)]),
    ("-2-norm", lambda a: L.matrix_norm(a, -2), [arr(4, 3)]),
    ("1-norm", lambda a: L.matrix_norm(a, 1), [arr(4, 3)]),
    ("vector 3-norm", lambda a: L.vector_norm(a, 3, dim=1), [arr(4, 3)]),
    ("cross", lambda a, b: L.cross(a, b), [arr(4, 3), arr(1, 3)]),
    (
        "tensordot",
        lambda a, b: course_lib.tensordot(a, b, ([0, 2], [2, 0])),
        [arr(2, 3, 4), arr(4, 5, 2)],
    ),
    ("kron", lambda a, b: course_lib.kron(a, b), [arr(2, 3), arr(3, 1, 2)]),
    ("cdist", lambda a, b: course_lib.cdist(a, b), [arr(2, 4, 3), arr(5, 3)]),
    ("cdist p=1.5", lambda a, b: course_lib.cdist(a, b, p=1.5), [arr(4, 3), arr(5, 3)]),
    ("cdist p=3", lambda a, b: course_lib.cdist(a, b, p=3), [arr(4, 3), arr(5, 3)]),
    ("cdist mm", lambda a, b: course_lib.cdist(a, b), [arr(30, 3), arr(4, 3)]),
    ("diff", lambda a, b: course_lib.diff(a, n=2, dim=0, prepend=b), [arr(3, 4), arr(1, 4)]),
    ("block_diag", lambda a, b: course_lib.block_diag(a, b), [arr(2, 3), arr(3)]),
    ("rot90", lambda a: course_lib.rot90(a, 3, (2, 0)), [arr(2, 3, 4)]),
    (
        "cov",
        lambda a: course_lib.cov(
            a, aweights=course_lib.tensor([1.0, 2, 0.5, 1, 1], dtype=course_lib.float64)
        ),
        [arr(3, 5)],
    ),
    ("corrcoef", lambda a: course_lib.corrcoef(a), [arr(3, 5)]),
]


@pytest.mark.parametrize("name,fn,inputs", GRADCHECKS, ids=[g[0] for g in GRADCHECKS])
def test_gradients_match_central_differences(name, fn, inputs):
    from gradcheck import gradcheck

    gradcheck(fn, *inputs)


# -- edge cases: empty matrices, grad on one operand, dtype arguments -----------------------------

EDGE_CASES = [
    ("det of 0x0", lambda T, a: T.linalg.det(a), [np.zeros((0, 0))]),
    ("inv of 0x0", lambda T, a: T.linalg.inv(a), [np.zeros((2, 0, 0))]),
    ("det batch", lambda T, a: T.linalg.det(a), [well_conditioned(2, 1, 2, 2)]),
    (
        "solve B only",
        lambda T, a, b: T.linalg.solve(a.detach(), b),
        [well_conditioned(3, 3), arr(3)],
    ),
    (
        "solve A only",
        lambda T, a, b: T.linalg.solve(a, b.detach()),
        [well_conditioned(3, 3), arr(3)],
    ),
    ("norm dtype", lambda T, a: T.linalg.norm(a, 1, dtype=T.float64), [arr(3, 4, dtype="float32")]),
    (
        "matrix_norm dtype",
        lambda T, a: T.linalg.matrix_norm(a, "nuc", dtype=T.float64),
        [arr(3, 4, dtype="float32")],
    ),
    (
        "vector_norm of ints with dtype",
        lambda T, a: T.linalg.vector_norm(a, dtype=T.float32),
        [arr(4, dtype="int64")],
    ),
    ("vector_norm ord 2.0", lambda T, a: T.linalg.vector_norm(a, 2.0), [arr(4)]),
    (
        "vector_norm ord int",
        lambda T, a: T.linalg.vector_norm(a, 1, dim=0, keepdim=True),
        [arr(3, 4)],
    ),
    ("norm int dim", lambda T, a: T.linalg.norm(a, dim=-1), [arr(3, 4)]),
    ("norm str dim", lambda T, a: T.linalg.norm(a, "fro", dim=(0, 2)), [arr(2, 3, 4)]),
    ("norm of zeros", lambda T, a: T.linalg.norm(a), [np.zeros((2, 2))]),
    ("nuc of zeros", lambda T, a: T.linalg.matrix_norm(a, 1), [np.zeros((2, 2))]),
    ("cdist empty", lambda T, a, b: T.cdist(a, b), [np.zeros((0, 3)), arr(2, 3)]),
    ("cdist one grad", lambda T, a, b: T.cdist(a, b.detach(), p=1), [arr(3, 2), arr(4, 2)]),
    ("kron 0d both", lambda T, a, b: T.kron(a, b), [arr(), arr()]),
    ("tensordot empty", lambda T, a, b: T.tensordot(a, b, 1), [np.zeros((2, 0)), np.zeros((0, 3))]),
    ("diff empty", lambda T, a: T.diff(a), [np.zeros((0,))]),
    ("cross 0d other", lambda T, a, b: T.linalg.cross(a, b, dim=0), [arr(3, 2), arr(3, 1)]),
    ("searchsorted empty", lambda T, a, b: T.searchsorted(a, b), [np.zeros((0,)), arr(3)]),
    (
        "histc of ints",
        lambda T, a: T.histc(a.double(), bins=3, min=-2, max=2),
        [arr(10, dtype="int64")],
    ),
]


@pytest.mark.parametrize("name,fn,inputs", EDGE_CASES, ids=[c[0] for c in EDGE_CASES])
def test_edge_cases(torch, name, fn, inputs):
    same(torch, fn, *inputs, rtol=1e-5, atol=1e-6)


# -- arguments of the wrong type or value --------------------------------------------------------

ARGUMENT_ERRORS = [
    lambda T: T.rot90(T.ones(3), 1, [0, 1, 2]),
    lambda T: T.searchsorted(T.tensor([5.0, 1, 3]), T.tensor([2.0]), sorter=T.tensor([1, 2])),
    lambda T: T.searchsorted(T.tensor([5.0, 1, 3]), T.tensor([2.0]), sorter=T.tensor([1.0, 2, 0])),
    lambda T: T.searchsorted(T.tensor([5.0, 1, 3]), T.tensor([2.0]), sorter=T.tensor([1, 5, 0])),
    lambda T: T.searchsorted(T.tensor([5.0, 1, 3]), [2.0]),
    lambda T: T.searchsorted([1, 2], T.tensor([2.0])),
    lambda T: T.searchsorted(T.ones(2, 2), 3),
    lambda T: T.searchsorted(T.ones(2, 2), T.tensor(3.0)),
    lambda T: T.bucketize(T.ones(1), [1.0]),
    lambda T: T.bucketize([1.0], T.ones(1)),
    lambda T: T.histc(T.tensor([1.0, 2]), bins=2.5),
    lambda T: T.histc([1.0]),
    lambda T: T.bincount([1]),
    lambda T: T.block_diag(T.ones(2), [1]),
    lambda T: T.cartesian_prod([1]),
    lambda T: T.kron(T.ones(2), 2),
    lambda T: T.kron([1], T.ones(1)),
    lambda T: T.tensordot(T.ones(2, 3), T.ones(3, 2), dims=([1], [0, 0])),
    lambda T: T.tensordot(T.ones(2, 3), T.ones(3, 2), dims=([5], [0])),
    lambda T: T.diff(T.ones(3), n=1.5),
    lambda T: T.diff([1, 2]),
    lambda T: T.cdist(T.ones(3, 2), T.ones(3, 2), p=math.nan),
    lambda T: T.cdist([[1.0]], T.ones(1, 1)),
    lambda T: T.linalg.vector_norm(T.ones(3), dim=3),
    lambda T: T.linalg.matrix_norm(T.ones(3, 3), dim=(0, 5)),
    lambda T: T.linalg.solve(T.eye(2), T.ones(2, dtype=T.float64)),
    lambda T: T.cov(T.ones(2, 3), correction=1.5),
    lambda T: T.cov([1.0]),
    lambda T: T.corrcoef([1.0]),
    lambda T: T.atleast_2d(T.ones(2), 3),
    lambda T: T.atleast_3d([T.ones(2), 3]),
    lambda T: T.linalg.cross(T.ones(3), T.ones(3), dim=1),
    lambda T: T.linalg.cross([1.0, 2, 3], T.ones(3)),
    lambda T: T.cross(T.ones(3), T.ones(3), dim=1),
    lambda T: T.cross([1.0, 2, 3], T.ones(3)),
    lambda T: T.rot90([[1]]),
    lambda T: T.fliplr([[1]]),
    lambda T: T.flipud([1]),
    lambda T: T.linalg.inv([[1.0]]),
    lambda T: T.linalg.det([[1.0]]),
    lambda T: T.linalg.solve([[1.0]], T.ones(1)),
    lambda T: T.linalg.solve(T.ones(1, 1), [1.0]),
    lambda T: T.linalg.vector_norm([1.0]),
    lambda T: T.linalg.matrix_norm([[1.0]]),
    lambda T: T.linalg.norm([1.0]),
]


@pytest.mark.parametrize("k", range(len(ARGUMENT_ERRORS)))
def test_argument_errors(torch, k):
    same_error(torch, ARGUMENT_ERRORS[k])


# -- random shapes and arguments, compared with torch ---------------------------------------------


def random_cases(seed: int, count: int = 25):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        yield rng


@pytest.mark.parametrize("seed", range(4))
def test_random_norms(torch, seed):
    for rng in random_cases(seed):
        ndim = int(rng.integers(1, 4))
        shape = tuple(int(s) for s in rng.integers(1, 5, size=ndim))
        x = rng.standard_normal(shape)
        ord_ = [None, 1, 2, 3, 0.5, INF, -INF, 0][rng.integers(8)]
        dim = None if rng.random() < 0.3 else int(rng.integers(-ndim, ndim))
        keepdim = bool(rng.random() < 0.5)
        kw = {"dim": dim, "keepdim": keepdim}
        same(
            torch,
            lambda T, a, o=ord_, kw=kw: T.linalg.vector_norm(a, 2 if o is None else o, **kw),
            x,
            rtol=1e-6,
        )
        if ndim >= 2:
            mord = ["fro", "nuc", 1, -1, 2, -2, INF, -INF][rng.integers(8)]
            d0, d1 = rng.choice(ndim, 2, replace=False)
            mkw = {"dim": (int(d0), int(d1)), "keepdim": keepdim}
            same(torch, lambda T, a, o=mord, kw=mkw: T.linalg.matrix_norm(a, o, **kw), x, rtol=1e-6)
            same(torch, lambda T, a, o=mord, kw=mkw: T.linalg.norm(a, o, **kw), x, rtol=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_random_cdist_tensordot_kron(torch, seed):
    for rng in random_cases(seed):
        batch = tuple(int(s) for s in rng.integers(1, 3, size=int(rng.integers(0, 3))))
        m = int(rng.integers(1, 4))
        x1 = rng.standard_normal(batch + (int(rng.integers(1, 5)), m))
        x2 = rng.standard_normal((int(rng.integers(1, 5)), m))
        p = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, INF][rng.integers(7)]
        same(torch, lambda T, a, b, p=p: T.cdist(a, b, p=p), x1, x2, rtol=1e-6)
        sa = tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(1, 4))))
        sb = tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(1, 4))))
        same(torch, lambda T, a, b: T.kron(a, b), rng.standard_normal(sa), rng.standard_normal(sb))
        n = int(rng.integers(0, min(len(sa), 2) + 1))
        sb2 = sa[len(sa) - n :] + sb
        same(
            torch,
            lambda T, a, b, n=n: T.tensordot(a, b, n),
            rng.standard_normal(sa),
            rng.standard_normal(sb2),
        )


@pytest.mark.parametrize("seed", range(4))
def test_random_searchsorted_histc_bincount(torch, seed):
    for rng in random_cases(seed):
        seq = np.sort(rng.integers(-5, 6, size=int(rng.integers(1, 8)))).astype(float)
        vals = rng.integers(-6, 7, size=(2, int(rng.integers(1, 6)))).astype(float)
        right = bool(rng.random() < 0.5)
        same(torch, lambda T, a, b, r=right: T.searchsorted(a, b, right=r), seq, vals)
        same(torch, lambda T, a, b, r=right: T.bucketize(b, a, right=r), seq, vals)
        data = rng.standard_normal(int(rng.integers(0, 50))).astype("float32")
        bins = int(rng.integers(1, 12))
        lo = float(rng.integers(-3, 1))
        hi = lo + float(rng.integers(0, 4))
        same(torch, lambda T, a, b=bins, lo=lo, hi=hi: T.histc(a, b, lo, hi), data)
        counts = rng.integers(0, 8, size=int(rng.integers(0, 10)))
        minlength = int(rng.integers(0, 10))
        same(torch, lambda T, a, m=minlength: T.bincount(a, minlength=m), counts)


def ints(T, *shape):
    return T.ones(*shape, dtype=T.int64)


# which check comes first when an argument breaks several rules
ORDER_ERRORS = [
    lambda T: T.linalg.inv(ints(T, 2, 3)),
    lambda T: T.linalg.inv(ints(T, 3)),
    lambda T: T.linalg.det(ints(T, 3)),
    lambda T: T.linalg.det(ints(T, 2, 3)),
    lambda T: T.linalg.solve(ints(T, 2, 3), T.ones(2)),
    lambda T: T.linalg.solve(ints(T, 2, 2), T.ones(2)),
    lambda T: T.linalg.solve(T.ones(2, 3), ints(T, 2)),
    lambda T: T.linalg.solve(T.ones(3), T.ones(3)),
    lambda T: T.linalg.solve(T.ones(2, 2), T.ones(2, dtype=T.float64)[0]),
    lambda T: T.linalg.solve(T.eye(2), T.ones(())),
    lambda T: T.linalg.matrix_norm(ints(T, 3)),
    lambda T: T.linalg.matrix_norm(ints(T, 3), 3),
    lambda T: T.linalg.matrix_norm(T.ones(3), "abc"),
    lambda T: T.linalg.vector_norm(ints(T, 3), "fro"),
    lambda T: T.linalg.norm(ints(T, 3, 3), "nuc"),
    lambda T: T.linalg.norm(T.ones(3, 3), "nuc", dim=1),
    lambda T: T.linalg.norm(T.ones(3, 3), 2, dim=(0, 1, 2)),
    lambda T: T.linalg.cross(ints(T, 3), T.ones(2)),
    lambda T: T.linalg.cross(ints(T, 2, 3), T.ones(3, 3)),
    lambda T: T.cdist(ints(T, 3), T.ones(3, 2)),
    lambda T: T.cdist(ints(T, 3, 2), T.ones(3, 3)),
    lambda T: T.cdist(T.ones(3, 2), ints(T, 3, 2)),
    lambda T: T.cdist(T.ones(2, 3, 2), T.ones(3, 3, 2, dtype=T.float64)),
    lambda T: T.tensordot(ints(T, 2, 3), T.ones(2, 3), 1),
    lambda T: T.diff(T.ones(3), n=-1, dim=5),
    lambda T: T.diff(T.tensor(1.0), n=-1),
    lambda T: T.histc(ints(T, 2), bins=0),
    lambda T: T.histc(T.ones(2), bins=0, min=3, max=1),
    lambda T: T.bincount(T.tensor([0.5]), minlength=-1),
    lambda T: T.bincount(T.tensor([[1]]), weights=T.ones(3)),
    lambda T: T.searchsorted(T.tensor(1.0), T.tensor(1.0)),
    lambda T: T.rot90(T.ones(3), 1, [0, 0]),
    lambda T: T.block_diag(T.ones(2, 2, 2), T.ones(2, 2, 2, 2)),
    lambda T: T.cov(T.ones(2, 2, 2), correction=1.5),
    lambda T: T.cov(T.tensor([True]), fweights=T.ones(3)),
    lambda T: T.cov(T.ones(2, 3), fweights=T.ones(2, 2, dtype=T.int64)),
    lambda T: T.cov(T.ones(2, 3), aweights=T.tensor([1.0, -1, 1])),
]


@pytest.mark.parametrize("k", range(len(ORDER_ERRORS)))
def test_checks_come_in_torchs_order(torch, k):
    same_error(torch, ORDER_ERRORS[k])


# -- what backward reads: changed in place, or freed after one backward --------------------------


def diag_heavy(T):
    return (T.eye(3) * 2 + T.ones(3, 3) * 0.1).requires_grad_()


def inv_output_changed(T):
    y = T.linalg.inv(diag_heavy(T))
    y.add_(1)
    y.sum().backward()


def inv_input_changed(T):  # inv's backward reads its output only
    x = diag_heavy(T) * 1
    y = T.linalg.inv(x)
    x.add_(1)
    y.sum().backward()


def det_input_changed(T):
    x = diag_heavy(T) * 1
    y = T.linalg.det(x)
    x.add_(1)
    y.backward()


def det_output_changed(T):
    y = T.linalg.det(diag_heavy(T))
    y.add_(1)
    y.backward()


def solve_input_changed(T):
    x = diag_heavy(T) * 1
    y = T.linalg.solve(x, T.ones(3))
    x.add_(1)
    y.sum().backward()


def solve_output_changed(T):
    y = T.linalg.solve(diag_heavy(T), T.ones(3))
    y.add_(1)
    y.sum().backward()


def solve_rhs_changed(T):  # B is not read by backward
    b = T.ones(3, requires_grad=True) * 1
    y = T.linalg.solve(diag_heavy(T), b)
    b.add_(1)
    y.sum().backward()


def cross_own_operand_changed(T):  # a's gradient reads b only
    a = T.ones(3, requires_grad=True) * 1
    y = T.linalg.cross(a, T.ones(3))
    a.add_(1)
    y.sum().backward()


def cdist_output_changed(T):
    y = T.cdist(T.ones(3, 2, requires_grad=True), T.zeros(2, 2))
    y.add_(1)
    y.sum().backward()


def nuc_input_changed(T):  # the SVD's backward reads its factors, not A
    a = diag_heavy(T) * 1
    y = T.linalg.matrix_norm(a, "nuc")
    a.add_(1)
    y.backward()


def inv_backward_twice(T):
    y = T.linalg.inv(diag_heavy(T))
    y.sum().backward()
    y.sum().backward()


@pytest.mark.parametrize(
    "fn",
    [
        inv_output_changed,
        inv_input_changed,
        det_input_changed,
        det_output_changed,
        solve_input_changed,
        solve_output_changed,
        solve_rhs_changed,
        cross_own_operand_changed,
        cdist_output_changed,
        nuc_input_changed,
        inv_backward_twice,
    ],
)
def test_saved_tensors_as_torch(torch, fn):
    def outcome(T):
        try:
            fn(T)
        except RuntimeError as e:
            return str(e)
        return "ok"

    assert outcome(course_lib) == outcome(torch)


NUC_CASES = [
    lambda T, x: x.norm("nuc"),
    lambda T, x: T.norm(x, "nuc"),
    lambda T, x: x.norm("nuc", dim=(0, 1), keepdim=True),
    lambda T, x: x.norm("nuc", dtype=T.float64),
    lambda T, x: x.unsqueeze(0).norm("nuc"),
    lambda T, x: x.unsqueeze(0).norm("nuc", dim=(2, 0), keepdim=True),
    lambda T, x: x.norm("nuc", dim=0),
    lambda T, x: x[0].norm("nuc"),
    lambda T, x: x.long().norm("nuc"),
]


@pytest.mark.parametrize("k", range(len(NUC_CASES)))
def test_tensor_norm_nuc(torch, k):
    same(torch, NUC_CASES[k], arr(3, 4, dtype="float32"), rtol=1e-5)


def test_cdist_of_many_rows_in_blocks(torch):  # differences computed a block of rows at a time
    same(torch, lambda T, a, b: T.cdist(a, b, p=1), arr(300, 100), arr(200, 100), rtol=1e-6)
