"""course_lib.nn.functional against torch 2.13 (linear, activations, softmax, layer_norm, embedding, losses).

Four kinds of test: float64 central-difference gradient checks, hypothesis properties over
random shapes, parity with real torch (forward, gradients, exception types and messages,
warnings; these take the `torch` fixture), and extreme inputs (logits of ±1e4, constant rows).
"""

import math
import warnings

import numpy as np
import pytest
from gradcheck import gradcheck
from hypothesis import given, settings
from hypothesis import strategies as st
from parity import error_of

import course_lib as cl
import course_lib.nn.functional as F

PROPERTY = settings(max_examples=30, deadline=None)


def arr(*shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


# ----------------------------------------------------------------------------------------------
# 1. float64 gradient checks
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("xshape", [(3,), (4, 3), (2, 3, 3)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_gradcheck_linear(xshape, with_bias):
    if with_bias:
        assert gradcheck(F.linear, arr(*xshape), arr(2, 3, seed=1), arr(2, seed=2))
    else:
        assert gradcheck(F.linear, arr(*xshape), arr(2, 3, seed=1))


def test_gradcheck_linear_two_dim_bias_and_vector_weight():
    assert gradcheck(F.linear, arr(2, 3, 3), arr(2, 3, seed=1), arr(3, 2, seed=2))
    assert gradcheck(F.linear, arr(4, 3), arr(3, seed=1))


@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax], ids=["softmax", "log_softmax"])
def test_gradcheck_softmax(fn, dim):
    assert gradcheck(lambda x: fn(x, dim), arr(3, 2, 4))


@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax], ids=["softmax", "log_softmax"])
def test_gradcheck_softmax_vector_and_scalar(fn):
    assert gradcheck(lambda x: fn(x, 0), arr(5))
    assert gradcheck(lambda x: fn(x, -1), arr())


@pytest.mark.parametrize("shape", [(4,), (3, 4)])
def test_gradcheck_layer_norm(shape):
    x = arr(2, *shape)
    assert gradcheck(
        lambda x, w, b: F.layer_norm(x, shape, w, b), x, arr(*shape, seed=1), arr(*shape, seed=2)
    )
    assert gradcheck(lambda x: F.layer_norm(x, shape), x)
    assert gradcheck(lambda x, w: F.layer_norm(x, shape, w), x, arr(*shape, seed=1))


def test_gradcheck_cross_entropy_index_targets():
    y = cl.tensor([0, 2, 1, -100, 2])
    w = cl.tensor([0.5, 2.0, 1.5], dtype=cl.float64)
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(lambda x, r=reduction: F.cross_entropy(x, y, w, reduction=r), arr(5, 3))
        assert gradcheck(lambda x, r=reduction: F.cross_entropy(x, y, reduction=r), arr(5, 3))
    y0 = cl.tensor([0, 2, 1, 1, 2])
    for eps in (0.1, 0.9):
        assert gradcheck(lambda x, e=eps: F.cross_entropy(x, y, w, label_smoothing=e), arr(5, 3))
        assert gradcheck(lambda x, e=eps: F.cross_entropy(x, y0, label_smoothing=e), arr(5, 3))
    assert gradcheck(lambda x: F.cross_entropy(x, y0, w, ignore_index=2), arr(5, 3))


def test_gradcheck_cross_entropy_probability_targets():
    w = cl.tensor([0.5, 2.0, 1.5], dtype=cl.float64)
    t = np.abs(arr(4, 3, seed=3))
    for reduction in ("mean", "sum", "none"):
        ce = lambda x, t, r=reduction: F.cross_entropy(x, t, reduction=r)
        assert gradcheck(ce, arr(4, 3), t)
        ce_w = lambda x, t, r=reduction: F.cross_entropy(x, t, w, reduction=r)
        assert gradcheck(ce_w, arr(4, 3), t)
    assert gradcheck(lambda x, t: F.cross_entropy(x, t, label_smoothing=0.3), arr(4, 3), t)


def test_gradcheck_cross_entropy_spatial_and_unbatched():
    y = cl.tensor([[0, 2, 1, 2], [1, 1, 0, -100]])
    assert gradcheck(lambda x: F.cross_entropy(x, y), arr(2, 3, 4))
    assert gradcheck(lambda x: F.cross_entropy(x, y, reduction="none"), arr(2, 3, 4))
    assert gradcheck(lambda x: F.cross_entropy(x, y, label_smoothing=0.2), arr(2, 3, 4))
    assert gradcheck(lambda x, t: F.cross_entropy(x, t), arr(2, 3, 4), arr(2, 3, 4, seed=1))
    assert gradcheck(lambda x: F.cross_entropy(x, cl.tensor(1)), arr(3))
    assert gradcheck(lambda x, t: F.cross_entropy(x, t), arr(3), arr(3, seed=1))


def test_gradcheck_nll_loss():
    y = cl.tensor([0, 2, 1, -100])
    assert gradcheck(lambda x: F.nll_loss(x.log_softmax(1), y), arr(4, 3))
    assert gradcheck(lambda x: F.nll_loss(x, y, reduction="none"), arr(4, 3))


def test_gradcheck_mse_loss():
    for reduction in ("mean", "sum", "none"):
        mse = lambda x, y, r=reduction: F.mse_loss(x, y, reduction=r)
        assert gradcheck(mse, arr(3, 4), arr(3, 4, seed=1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the broadcast is deliberate here
        assert gradcheck(F.mse_loss, arr(3, 1), arr(3, seed=1))
    assert gradcheck(
        lambda x, y, w: F.mse_loss(x, y, weight=w), arr(3), arr(3, seed=1), np.abs(arr(3, seed=2))
    )


def test_gradcheck_embedding_weight():
    idx = cl.tensor([[0, 2], [4, 2], [1, 1]])
    assert gradcheck(lambda w: F.embedding(idx, w), arr(5, 3))
    assert gradcheck(lambda w: F.embedding(idx[0], w), arr(5, 3))  # a 0-d index: one row


def test_embedding_gradient_counts_occurrences_and_skips_padding():
    w = cl.randn(5, 3, requires_grad=True)
    F.embedding(cl.tensor([[0, 2], [4, 2]]), w).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy()[:, 0], [1, 0, 2, 0, 1])  # §7.1
    w.grad = None
    F.embedding(cl.tensor([1, 1, 3, 1]), w, padding_idx=1).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy()[:, 0], [0, 0, 0, 1, 0])
    w.grad = None
    F.embedding(
        cl.tensor([1, 1, 3, 1, 2]), w, padding_idx=1, scale_grad_by_freq=True
    ).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy()[:, 0], [0, 0, 1, 1, 0])


def test_activations_gradcheck_and_values():
    assert gradcheck(F.tanh, arr(3, 2))
    assert gradcheck(F.sigmoid, arr(3, 2))
    assert gradcheck(F.relu, arr(3, 2) + 0.05)
    x = cl.tensor([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(F.relu(x).numpy(), [0.0, 0.0, 2.0])
    np.testing.assert_allclose(F.tanh(x).numpy(), np.tanh([-1.0, 0.0, 2.0]), rtol=1e-6)
    np.testing.assert_allclose(F.sigmoid(x).numpy(), 1 / (1 + np.exp([1.0, 0.0, -2.0])), rtol=1e-6)


def test_relu_inplace():
    x = cl.tensor([-1.0, 2.0])
    assert F.relu(x, inplace=True) is x
    np.testing.assert_array_equal(x.numpy(), [0.0, 2.0])
    a = cl.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    h = a * 2
    out = F.relu(h, inplace=True)
    assert out is h and h.grad_fn.name() == "ReluBackward0"
    h.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 2.0, 2.0])
    # tanh saved its output, which relu_ then overwrote: backward refuses, as torch does
    a = cl.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    h = a.tanh()
    F.relu(h, inplace=True)
    with pytest.raises(RuntimeError, match=r"which is output 0 of Tanh, is at version 1"):
        h.sum().backward()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        F.relu(cl.tensor([1.0], requires_grad=True), inplace=True)


# ----------------------------------------------------------------------------------------------
# 2. properties over random shapes
# ----------------------------------------------------------------------------------------------

shapes = st.lists(st.integers(1, 4), min_size=1, max_size=4)


@PROPERTY
@given(shape=shapes, data=st.data(), seed=st.integers(0, 2**16))
def test_softmax_slices_sum_to_one(shape, data, seed):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = cl.tensor(arr(*shape, seed=seed, dtype=np.float32) * 10)
    p = F.softmax(x, dim).numpy()
    assert p.shape == tuple(shape) and (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=dim), 1.0, rtol=1e-5)
    np.testing.assert_allclose(np.exp(F.log_softmax(x, dim).numpy()), p, rtol=1e-5, atol=1e-7)


@PROPERTY
@given(
    lead=st.lists(st.integers(1, 3), max_size=3),
    sizes=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    seed=st.integers(0, 2**16),
)
def test_linear_any_leading_dims_equals_2d(lead, sizes, seed):
    n_in, n_out = sizes
    x = cl.tensor(arr(*lead, n_in, seed=seed), requires_grad=True)
    w = cl.tensor(arr(n_out, n_in, seed=seed + 1), requires_grad=True)
    b = cl.tensor(arr(n_out, seed=seed + 2), requires_grad=True)
    y = F.linear(x, w, b)
    assert y.shape == (*lead, n_out)
    x2 = x.detach().reshape(-1, n_in).requires_grad_()
    y2 = F.linear(x2, w, b)
    np.testing.assert_allclose(y.detach().numpy().reshape(-1, n_out), y2.detach().numpy())
    np.testing.assert_allclose(
        y2.detach().numpy(), x2.detach().numpy() @ w.detach().numpy().T + b.detach().numpy()
    )
    g = arr(*y.shape, seed=seed + 3)
    y.backward(cl.tensor(g))
    grads = [t.grad.numpy().copy() for t in (w, b)]
    w.grad = b.grad = None
    y2.backward(cl.tensor(g.reshape(-1, n_out)))
    np.testing.assert_allclose(x.grad.numpy().reshape(-1, n_in), x2.grad.numpy())
    np.testing.assert_allclose(grads[0], w.grad.numpy())
    np.testing.assert_allclose(grads[1], b.grad.numpy())


@PROPERTY
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    data=st.data(),
    seed=st.integers(0, 2**16),
)
def test_layer_norm_normalises_the_trailing_dims(shape, data, seed):
    d = data.draw(st.integers(1, len(shape)))
    norm_shape = tuple(shape[len(shape) - d :])
    x = arr(*shape, seed=seed) * 3 + 2
    y = F.layer_norm(cl.tensor(x), norm_shape, eps=1e-5).numpy()
    axes = tuple(range(len(shape) - d, len(shape)))
    np.testing.assert_allclose(y.mean(axis=axes), 0, atol=1e-9)
    var = x.var(axis=axes)  # biased, as torch
    np.testing.assert_allclose(y.var(axis=axes), var / (var + 1e-5), rtol=1e-9)


@PROPERTY
@given(n=st.integers(1, 6), c=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_cross_entropy_index_targets_equal_one_hot_probabilities(n, c, seed):
    x = cl.tensor(arr(n, c, seed=seed) * 3)
    y = np.random.default_rng(seed).integers(0, c, n)
    one_hot = cl.tensor(np.eye(c)[y])
    w = cl.tensor(np.random.default_rng(seed).random(c) + 0.5)
    for reduction in ("mean", "none", "sum"):
        a = F.cross_entropy(x, cl.tensor(y), reduction=reduction).numpy()
        b = F.cross_entropy(x, one_hot, reduction=reduction).numpy()
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # with weights, 'sum' agrees; 'mean' divides by Σ w[y] (index) but by N (probabilities)
    a = F.cross_entropy(x, cl.tensor(y), w, reduction="sum").item()
    b = F.cross_entropy(x, one_hot, w, reduction="sum").item()
    assert a == pytest.approx(b, rel=1e-12)
    mean = F.cross_entropy(x, cl.tensor(y), w).item()
    assert mean == pytest.approx(a / w.numpy()[y].sum(), rel=1e-12)
    assert F.cross_entropy(x, one_hot, w).item() == pytest.approx(a / n, rel=1e-12)


@PROPERTY
@given(shape=shapes, seed=st.integers(0, 2**16))
def test_mse_loss_is_mean_of_squares(shape, seed):
    x, y = arr(*shape, seed=seed), arr(*shape, seed=seed + 1)
    out = F.mse_loss(cl.tensor(x), cl.tensor(y))
    assert out.shape == () and out.item() == pytest.approx(((x - y) ** 2).mean(), rel=1e-12)
    assert F.mse_loss(cl.tensor(x), cl.tensor(y), reduction="sum").item() == pytest.approx(
        ((x - y) ** 2).sum(), rel=1e-12
    )


@PROPERTY
@given(
    idx_shape=st.lists(st.integers(0, 3), max_size=3),
    num=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_embedding_is_one_hot_times_weight(idx_shape, num, seed):
    w = arr(num, 3, seed=seed)
    idx = np.random.default_rng(seed).integers(0, num, idx_shape)
    out = F.embedding(cl.tensor(idx), cl.tensor(w)).numpy()
    assert out.shape == (*idx_shape, 3)
    np.testing.assert_allclose(out, np.eye(num)[idx] @ w)


# ----------------------------------------------------------------------------------------------
# 3. worked values measured on torch 2.13 (no torch needed)
# ----------------------------------------------------------------------------------------------


def test_softmax_reference_values_and_implicit_dim():
    x = cl.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    np.testing.assert_allclose(
        F.softmax(x, 1).numpy()[0], [0.0900306, 0.2447285, 0.6652409], rtol=1e-6
    )
    np.testing.assert_allclose(F.softmax(x, 0).numpy()[:, 1], [0.7310586, 0.2689414], rtol=1e-6)
    np.testing.assert_allclose(
        F.log_softmax(cl.tensor([-1000.0, 0.0, 1000.0]), 0).numpy(), [-2000, -1000, 0]
    )
    message = (
        "Implicit dimension choice for softmax has been deprecated. "
        "Change the call to include dim=X as an argument."
    )
    for shape, dim in [((), 0), ((5,), 0), ((2, 5), 1), ((2, 3, 5), 0), ((2, 3, 4, 5), 1)]:
        x = cl.randn(shape)
        with pytest.warns(UserWarning) as rec:
            p = F.softmax(x)
        assert [str(r.message) for r in rec] == [message]
        assert rec[0].filename == __file__  # the warning points at the caller
        np.testing.assert_array_equal(p.numpy(), F.softmax(x, dim).numpy())
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        F.log_softmax(cl.randn(2, 3))


def test_softmax_special_values():
    p = F.softmax(cl.tensor([0.0, -math.inf, 1.0]), 0).numpy()
    np.testing.assert_allclose(p, [0.2689414, 0, 0.7310586], rtol=1e-6)
    with np.errstate(invalid="ignore"):
        assert np.isnan(F.softmax(cl.tensor([-math.inf, -math.inf]), 0).numpy()).all()
        assert np.isnan(F.softmax(cl.tensor([1.0, math.inf]), 0).numpy()).all()
    assert F.softmax(cl.tensor(3.0), -1).item() == 1.0
    p = F.softmax(cl.ones(2, 3, dtype=cl.int64), 1, dtype=cl.float64)
    assert p.dtype == cl.float64
    np.testing.assert_allclose(p.numpy(), 1 / 3)


def test_layer_norm_reference_values():
    x = cl.tensor([[0.0, 1e-3, 2e-3, 3e-3]])  # var = 1.25e-6 < eps: eps inside the sqrt matters
    y = F.layer_norm(x, (4,)).numpy()[0]
    xs = np.array([0.0, 1e-3, 2e-3, 3e-3])
    np.testing.assert_allclose(y, (xs - xs.mean()) / np.sqrt(xs.var() + 1e-5), rtol=1e-4)
    np.testing.assert_allclose(np.abs(y), [0.4472, 0.1491, 0.1491, 0.4472], atol=1e-4)


def test_cross_entropy_reference_values():
    x = cl.tensor([[1.0, 2.0, 3.0], [1.0, 0.0, -1.0]], dtype=cl.float64)
    logp = x.numpy() - np.log(np.exp(x.numpy()).sum(1, keepdims=True))
    y = cl.tensor([2, 0])
    assert F.cross_entropy(x, y).item() == pytest.approx(-(logp[0, 2] + logp[1, 0]) / 2)
    eps = 0.1
    nll = -np.array([logp[0, 2], logp[1, 0]])
    smooth = -logp.mean(axis=1)
    expected = ((1 - eps) * nll + eps * smooth).mean()
    assert F.cross_entropy(x, y, label_smoothing=eps).item() == pytest.approx(expected)
    ignored = F.cross_entropy(x, cl.tensor([-100, -100]))
    assert math.isnan(ignored.item())
    empty = F.cross_entropy(cl.zeros(0, 3), cl.zeros(0, dtype=cl.int64))
    assert math.isnan(empty.item())
    # unnormalised and negative probability targets are accepted, unchecked (§8.2)
    t = cl.tensor([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]], dtype=cl.float64)
    base = F.cross_entropy(x, t).item()
    assert F.cross_entropy(x, t * 5).item() == pytest.approx(5 * base)
    assert F.cross_entropy(x, -t).item() == pytest.approx(-base)


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    x = cl.tensor(arr(4, 3), requires_grad=True)
    y = np.array([0, 2, 1, 1])
    F.cross_entropy(x, cl.tensor(y)).backward()
    p = np.exp(x.detach().numpy())
    p /= p.sum(1, keepdims=True)
    np.testing.assert_allclose(x.grad.numpy(), (p - np.eye(3)[y]) / 4, rtol=1e-12)


def test_mse_loss_broadcast_warning_and_value():
    x, y = cl.tensor([[1.0], [2.0], [3.0]]), cl.tensor([1.0, 2.0, 3.0])
    with pytest.warns(UserWarning) as rec:
        out = F.mse_loss(x, y)
    assert str(rec[0].message) == (
        "Using a target size (torch.Size([3])) that is different to the input size "
        "(torch.Size([3, 1])). This will likely lead to incorrect results due to broadcasting. "
        "Please ensure they have the same size."
    )
    assert rec[0].filename == __file__
    diffs = np.array([[1.0], [2.0], [3.0]]) - np.array([1.0, 2.0, 3.0])  # a (3, 3) grid
    assert out.item() == pytest.approx((diffs**2).mean(), rel=1e-6)
    assert math.isnan(F.mse_loss(cl.zeros(0), cl.zeros(0)).item())
    assert F.mse_loss(cl.zeros(3), cl.zeros(3, dtype=cl.float64)).dtype == cl.float64


def test_legacy_reduction_flags_warn():
    x, y = cl.randn(3), cl.randn(3)
    with pytest.warns(UserWarning, match=r"please use reduction='sum' instead\."):
        s = F.mse_loss(x, y, size_average=False)
    assert s.item() == pytest.approx(F.mse_loss(x, y, reduction="sum").item())
    with pytest.warns(UserWarning, match=r"please use reduction='none' instead\."):
        assert F.cross_entropy(cl.randn(2, 3), cl.tensor([0, 1]), reduce=False).shape == (2,)


# torch 2.13's messages, copied here and checked without torch.
DOCUMENTED = [
    (
        lambda: F.linear(cl.randn(2, 5), cl.randn(4, 3), cl.randn(4)),
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (2x5 and 3x4)",
    ),
    (
        lambda: F.linear(cl.randn(5), cl.randn(4, 3), cl.randn(4)),
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (1x5 and 3x4)",
    ),
    (
        lambda: F.linear(cl.randn(2, 5, 7), cl.randn(4, 3), cl.randn(4)),
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (10x7 and 3x4)",
    ),
    (
        lambda: F.linear(cl.randn(()), cl.randn(4, 3), cl.randn(4)),
        RuntimeError,
        "both arguments to linear need to be at least 1D, but they are 0D and 2D",
    ),
    (
        lambda: F.linear(cl.ones(2, 3, dtype=cl.int64), cl.randn(4, 3), cl.randn(4)),
        RuntimeError,
        "mat1 and mat2 must have the same dtype, but got Long and Float",
    ),
    (
        lambda: F.linear(cl.randn(2, 3).double(), cl.randn(4, 3), cl.randn(4)),
        RuntimeError,
        "mat1 and mat2 must have the same dtype, but got Double and Float",
    ),
    (
        lambda: F.linear([1.0, 2.0, 3.0], cl.randn(4, 3)),
        TypeError,
        "linear(): argument 'input' (position 1) must be Tensor, not list",
    ),
    (
        lambda: F.linear(cl.randn(2, 3), cl.randn(4, 3), cl.randn(5)),
        RuntimeError,
        "The expanded size of the tensor (4) must match the existing size (5) at non-singleton "
        "dimension 1.  Target sizes: [2, 4].  Tensor sizes: [5]",
    ),
    (
        lambda: F.linear(cl.randn(2, 3), cl.randn(2, 4, 3)),
        RuntimeError,
        "t() expects a tensor with <= 2 dimensions, but self is 3D",
    ),
    (
        lambda: F.layer_norm(cl.randn(2, 5), (4,)),
        RuntimeError,
        "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 5]",
    ),
    (
        lambda: F.layer_norm(cl.randn(2, 4, 5), (5, 4)),
        RuntimeError,
        "Given normalized_shape=[5, 4], expected input with shape [*, 5, 4], but got input of "
        "size[2, 4, 5]",
    ),
    (
        lambda: F.layer_norm(cl.randn(5, 4), (2, 5, 4)),
        RuntimeError,
        "Given normalized_shape=[2, 5, 4], expected input with shape [*, 2, 5, 4], but got input "
        "of size[5, 4]",
    ),
    (
        lambda: F.layer_norm(cl.ones(2, 4, dtype=cl.int64), (4,), cl.ones(4)),
        RuntimeError,
        "mixed dtype (CPU): all inputs must share same datatype.",
    ),
    (
        lambda: F.layer_norm(cl.randn(2, 4).double(), (4,), cl.ones(4)),
        RuntimeError,
        "mixed dtype (CPU): all inputs must share same datatype.",
    ),
    (
        lambda: F.layer_norm(cl.randn(2, 4), (4,), cl.ones(3)),
        RuntimeError,
        "Expected weight to be of same shape as normalized_shape, but got weight of shape [3] and "
        "normalized_shape = [4]",
    ),
    (
        lambda: F.layer_norm(cl.randn(2, 4), 4),
        TypeError,
        "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int",
    ),
    (
        lambda: F.softmax(cl.randn(2, 3), 2),
        IndexError,
        "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
    ),
    (
        lambda: F.log_softmax(cl.randn(2, 3), -3),
        IndexError,
        "Dimension out of range (expected to be in range of [-2, 1], but got -3)",
    ),
    (
        lambda: F.softmax(cl.randn(3), 1),
        IndexError,
        "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
    ),
    (
        lambda: F.softmax(cl.randn(()), 1),
        IndexError,
        "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
    ),
    (
        lambda: F.softmax(cl.ones(2, 3, dtype=cl.int64), 1),
        NotImplementedError,
        "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'",
    ),
    (
        lambda: F.softmax(cl.randn(2, 3), (0, 1)),
        TypeError,
        "softmax(): argument 'dim' (position 1) must be int, not tuple",
    ),
    (
        lambda: F.softmax(cl.randn(2, 3), 1.0),
        TypeError,
        "softmax(): argument 'dim' (position 1) must be int, not float",
    ),
    (
        lambda: F.embedding(cl.tensor([1.0]), cl.randn(5, 3)),
        RuntimeError,
        "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
        "Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)",
    ),
    (
        lambda: F.embedding(cl.tensor([1], dtype=cl.uint8), cl.randn(5, 3)),
        RuntimeError,
        "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
        "Long, Int; but got torch.ByteTensor instead (while checking arguments for embedding)",
    ),
    (
        lambda: F.embedding([1, 2], cl.randn(5, 3)),
        TypeError,
        "embedding(): argument 'indices' (position 2) must be Tensor, not list",
    ),
    (lambda: F.embedding(cl.tensor([5]), cl.randn(5, 3)), IndexError, "index out of range in self"),
    (
        lambda: F.embedding(cl.tensor([-1]), cl.randn(5, 3)),
        IndexError,
        "index out of range in self",
    ),
    (
        lambda: F.embedding(cl.tensor([1]), cl.randn(5, 3), padding_idx=5),
        AssertionError,
        "Padding_idx must be within num_embeddings",
    ),
    (
        lambda: F.embedding(cl.tensor([1]), cl.randn(5, 3), padding_idx=-6),
        AssertionError,
        "Padding_idx must be within num_embeddings",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.randn(4)),
        RuntimeError,
        "expected target dtype to be Long or Byte, but got Float",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.tensor([0, 1, 2, 0], dtype=cl.int32)),
        RuntimeError,
        "expected target dtype to be Long or Byte, but got Int",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.tensor([0, 1, 3, 0])),
        IndexError,
        "Target 3 is out of bounds.",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.tensor([0, -1, 2, 0])),
        IndexError,
        "Target -1 is out of bounds.",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.tensor([0, 1, 2, 0, 1])),
        ValueError,
        "Expected input batch_size (4) to match target batch_size (5).",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.ones(4, 1, dtype=cl.int64)),
        RuntimeError,
        "0D or 1D target tensor expected, multi-target not supported",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.randn(4, 4)),
        RuntimeError,
        "0D or 1D target tensor expected, multi-target not supported",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.ones(4, 3, dtype=cl.int64)),
        RuntimeError,
        "Expected floating point type for target with class probabilities, got Long",
    ),
    (
        lambda: F.cross_entropy(cl.ones(4, 3, dtype=cl.int64), cl.tensor([0, 1, 2, 0])),
        NotImplementedError,
        "\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.tensor([0, 1, 2, 0]), reduction="avg"),
        ValueError,
        "avg is not a valid value for reduction",
    ),
    (
        lambda: F.cross_entropy(cl.randn(4, 3), cl.tensor([0, 1, 2, 0]), label_smoothing=1.5),
        RuntimeError,
        "label_smoothing must be between 0.0 and 1.0. Got: 1.5",
    ),
    (
        lambda: F.mse_loss(cl.randn(3), cl.randn(4)),
        RuntimeError,
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0",
    ),
    (
        lambda: F.mse_loss(cl.ones(3, dtype=cl.int64), cl.ones(3, dtype=cl.int64)),
        NotImplementedError,
        "\"mse_cpu\" not implemented for 'Long'",
    ),
    (
        lambda: F.mse_loss(cl.randn(3), cl.randn(3), reduction="avg"),
        ValueError,
        "avg is not a valid value for reduction",
    ),
]


@pytest.mark.filterwarnings("ignore:Using a target size:UserWarning")
@pytest.mark.parametrize("call, exc, message", DOCUMENTED)
def test_documented_errors(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert type(info.value) is exc
    assert str(info.value) == message


def test_embedding_max_norm_renormalises_looked_up_rows_in_place():
    w = cl.tensor(arr(4, 3) * 3, requires_grad=True)
    norms = np.linalg.norm(w.detach().numpy(), axis=1)
    assert (norms > 1).all()
    out = F.embedding(cl.tensor([0, 2, 2]), w, max_norm=1.0)
    after = np.linalg.norm(w.detach().numpy(), axis=1)
    np.testing.assert_allclose(after[[0, 2]], 1.0, rtol=1e-6)
    np.testing.assert_array_equal(after[[1, 3]], norms[[1, 3]])  # not looked up: untouched
    np.testing.assert_array_equal(out.detach().numpy(), w.detach().numpy()[[0, 2, 2]])
    assert w.grad_fn is None and w.requires_grad  # still a leaf
    w2 = cl.tensor(arr(4, 3) * 3)
    F.embedding(cl.tensor([1]), w2, max_norm=0.5, norm_type=1)
    assert np.abs(w2.numpy()[1]).sum() == pytest.approx(0.5, rel=1e-5)


# ----------------------------------------------------------------------------------------------
# 4. extreme inputs
# ----------------------------------------------------------------------------------------------


def float64_log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    """An independent float64 reference: x − logsumexp(x), with the max taken out first."""
    x = x.astype(np.float64)
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def test_huge_logits_stay_finite_and_correct():
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [5e3, 1e4, 1e4]], dtype=np.float32)
    ref = float64_log_softmax(x, 1)
    lp = F.log_softmax(cl.tensor(x), 1).numpy()
    p = F.softmax(cl.tensor(x), 1).numpy()
    assert np.isfinite(lp).all() and np.isfinite(p).all()
    np.testing.assert_allclose(lp, ref, rtol=1e-6, atol=1e-3)
    np.testing.assert_allclose(p, np.exp(ref), atol=1e-7)
    y = np.array([1, 0, 0])
    xt = cl.tensor(x, requires_grad=True)
    loss = F.cross_entropy(xt, cl.tensor(y), reduction="none")
    assert np.isfinite(loss.detach().numpy()).all()
    np.testing.assert_allclose(loss.detach().numpy(), -ref[[0, 1, 2], y], rtol=1e-6)
    loss.sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), np.exp(ref) - np.eye(3)[y], atol=1e-6)
    t = np.full((3, 3), 1 / 3, dtype=np.float32)
    soft = F.cross_entropy(cl.tensor(x), cl.tensor(t)).item()
    assert soft == pytest.approx(-(t * ref).sum() / 3, rel=1e-6)


def test_layer_norm_constant_row_gives_bias_and_zero_gradient():
    x = cl.tensor([[2.5, 2.5, 2.5, 2.5], [0.1, 0.1, 0.1, 0.1]], requires_grad=True)
    w = cl.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    b = cl.tensor([0.5, -1.0, 0.0, 2.0], requires_grad=True)
    y = F.layer_norm(x, (4,), w, b)
    np.testing.assert_allclose(y.detach().numpy(), np.tile(b.detach().numpy(), (2, 1)), atol=1e-4)
    assert np.isfinite(y.detach().numpy()).all()
    y.sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    np.testing.assert_allclose(b.grad.numpy(), 2.0)
    # With the default affine parameters (weight 1), loss = sum gives a zero input gradient (§5).
    x.grad = None
    y = F.layer_norm(x, (4,), cl.ones(4), cl.zeros(4))
    np.testing.assert_allclose(y.detach().numpy(), 0, atol=1e-4)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 0, atol=1e-3)  # rstd = 1/sqrt(eps) ≈ 316


# ----------------------------------------------------------------------------------------------
# 5. parity with torch
# ----------------------------------------------------------------------------------------------


def run_both(torch, fn, *arrays, grad=None):
    """Run fn(lib, *tensors) in both libraries; return (outputs, grads) pairs as NumPy arrays."""
    grad = [a.dtype.kind == "f" for a in arrays] if grad is None else grad
    results = []
    for lib in (cl, torch):
        ts = [lib.tensor(a, requires_grad=g) for a, g in zip(arrays, grad)]
        out = fn(lib, *ts)
        if any(grad):
            proj = np.random.default_rng(1).standard_normal(tuple(out.shape))
            (out * lib.tensor(proj, dtype=out.dtype)).sum().backward()
        grads = [t.grad.numpy() if t.grad is not None else None for t, g in zip(ts, grad) if g]
        results.append((out.detach().numpy(), grads))
    return results


def assert_parity(torch, fn, *arrays, grad=None, rtol=1e-5, atol=1e-6):
    (out, grads), (t_out, t_grads) = run_both(torch, fn, *arrays, grad=grad)
    assert out.dtype == t_out.dtype and out.shape == t_out.shape
    np.testing.assert_allclose(out, t_out, rtol=rtol, atol=atol, equal_nan=True)
    for g, tg in zip(grads, t_grads):
        assert (g is None) == (tg is None)
        if g is not None:
            assert g.dtype == tg.dtype
            np.testing.assert_allclose(g, tg, rtol=rtol, atol=atol)


def f32(*shape, seed=0):
    return arr(*shape, seed=seed, dtype=np.float32)


@pytest.mark.parametrize("xshape", [(3,), (5, 3), (2, 5, 3), (2, 2, 5, 3), (0, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_parity(torch, xshape, bias):
    arrays = [f32(*xshape), f32(4, 3, seed=1)] + ([f32(4, seed=2)] if bias else [])
    assert_parity(torch, lambda lib, *t: lib.nn.functional.linear(*t), *arrays)


def test_linear_parity_unusual_bias_and_weight(torch):
    assert_parity(
        torch,
        lambda lib, *t: lib.nn.functional.linear(*t),
        f32(5, 2, 3),
        f32(4, 3, seed=1),
        f32(2, 4, seed=2),
    )
    assert_parity(
        torch,
        lambda lib, *t: lib.nn.functional.linear(*t),
        f32(2, 3),
        f32(4, 3, seed=1),
        f32(seed=2),
    )
    assert_parity(torch, lambda lib, *t: lib.nn.functional.linear(*t), f32(5, 3), f32(3, seed=1))
    assert_parity(
        torch,
        lambda lib, *t: lib.nn.functional.linear(*t),
        f32(2, 3).astype(np.float64),
        f32(4, 3, seed=1).astype(np.float64),
    )


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize(
    "shape, dim",
    [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -2), ((), 0), ((0, 3), 1), ((0, 3), 0)],
)
def test_softmax_parity(torch, name, shape, dim):
    assert_parity(torch, lambda lib, x: getattr(lib.nn.functional, name)(x, dim), f32(*shape) * 4)


@pytest.mark.parametrize("shape, norm", [((2, 4), (4,)), ((2, 3, 4), (3, 4)), ((3, 5), (5,))])
@pytest.mark.parametrize("affine", ["both", "weight", "none"])
def test_layer_norm_parity(torch, shape, norm, affine):
    arrays = [f32(*shape) * 3 + 1]
    if affine in ("both", "weight"):
        arrays.append(f32(*norm, seed=1))
    if affine == "both":
        arrays.append(f32(*norm, seed=2))
    assert_parity(
        torch,
        lambda lib, x, *p: lib.nn.functional.layer_norm(x, norm, *p),
        *arrays,
        rtol=1e-4,
        atol=1e-5,
    )


def test_layer_norm_constant_row_parity(torch):
    x = np.full((2, 4), 0.1, np.float32)
    assert_parity(
        torch,
        lambda lib, x, w, b: lib.nn.functional.layer_norm(x, (4,), w, b),
        x,
        f32(4, seed=1),
        f32(4, seed=2),
        atol=1e-3,
    )


@pytest.mark.parametrize(
    "kw", [{}, {"padding_idx": 2}, {"padding_idx": -1}, {"scale_grad_by_freq": True}]
)
def test_embedding_parity(torch, kw):
    idx = np.array([[0, 2, 2], [4, 1, 2]])
    assert_parity(
        torch,
        lambda lib, i, w: lib.nn.functional.embedding(i, w, **kw),
        idx,
        f32(5, 3),
        grad=[False, True],
    )


def test_embedding_max_norm_parity(torch):
    w = f32(6, 3) * 3
    cw, tw = cl.tensor(w), torch.tensor(w)
    cl.nn.functional.embedding(cl.tensor([0, 2, 5]), cw, max_norm=1.5, norm_type=3.0)
    torch.nn.functional.embedding(torch.tensor([0, 2, 5]), tw, max_norm=1.5, norm_type=3.0)
    np.testing.assert_allclose(cw.numpy(), tw.numpy(), rtol=1e-6)


CE_CASES = [
    ("index", {}),
    ("index", {"reduction": "sum"}),
    ("index", {"reduction": "none"}),
    ("index", {"weight": True}),
    ("index", {"weight": True, "reduction": "none"}),
    ("index", {"ignore_index": 1}),
    ("index", {"label_smoothing": 0.2}),
    ("index", {"label_smoothing": 0.2, "weight": True}),
    ("index", {"label_smoothing": 0.2, "weight": True, "reduction": "sum"}),
    ("index", {"label_smoothing": -0.5}),
    ("prob", {}),
    ("prob", {"reduction": "sum"}),
    ("prob", {"reduction": "none"}),
    ("prob", {"weight": True}),
    ("prob", {"label_smoothing": 0.3, "weight": True}),
    ("prob", {"label_smoothing": 1.0}),
]


@pytest.mark.parametrize("kind, kw", CE_CASES)
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4), (3,)])
def test_cross_entropy_parity(torch, kind, kw, shape):
    rng = np.random.default_rng(3)
    x = f32(*shape) * 3
    weight = rng.random(3).astype(np.float32) + 0.5
    if kind == "index":
        tshape = () if len(shape) == 1 else (shape[0], *shape[2:])
        target = rng.integers(0, 3, tshape)
        if len(shape) > 1:
            target.flat[0] = -100 if "ignore_index" not in kw else kw["ignore_index"]
        grad = [True, False]
    else:
        target, grad = np.abs(f32(*shape, seed=4)), [True, True]
    kw = dict(kw)
    use_weight = kw.pop("weight", False)

    def fn(lib, x, t):
        w = lib.tensor(weight) if use_weight else None
        return lib.nn.functional.cross_entropy(x, t, w, **kw)

    assert_parity(torch, fn, x, target, grad=grad)


def test_cross_entropy_parity_spatial_4d_and_mixed_dtypes(torch):
    x, y = f32(2, 3, 4, 5), np.random.default_rng(0).integers(0, 3, (2, 4, 5))
    assert_parity(
        torch, lambda lib, x, y: lib.nn.functional.cross_entropy(x, y), x, y, grad=[True, False]
    )
    t64 = np.abs(arr(4, 3))  # float64 probabilities with float32 logits promote to float64
    assert_parity(torch, lambda lib, x, t: lib.nn.functional.cross_entropy(x, t), f32(4, 3), t64)


def test_cross_entropy_blog_example_parity(torch):
    def fn(lib, w):
        return lib.nn.functional.cross_entropy(2 * w, lib.tensor([3.0, 6.0]))

    assert_parity(torch, fn, np.array([1.0, 2.0], np.float32))


def test_nll_loss_parity(torch):
    logp = f32(4, 3)
    y = np.array([0, 2, -100, 1])
    for kw in ({}, {"reduction": "sum"}, {"reduction": "none"}):
        nll = lambda lib, x, y, kw=kw: lib.nn.functional.nll_loss(x, y, **kw)
        assert_parity(torch, nll, logp, y, grad=[True, False])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 1), (3,)), ((), ())])
def test_mse_loss_parity(torch, reduction, shapes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        assert_parity(
            torch,
            lambda lib, x, y: lib.nn.functional.mse_loss(x, y, reduction=reduction),
            f32(*shapes[0]),
            f32(*shapes[1], seed=1),
        )


def test_mse_loss_weight_and_int_target_parity(torch):
    assert_parity(
        torch,
        lambda lib, x, y, w: lib.nn.functional.mse_loss(x, y, weight=w),
        f32(3),
        f32(3, seed=1),
        np.abs(f32(3, seed=2)),
    )
    assert_parity(
        torch, lambda lib, x, y: lib.nn.functional.mse_loss(x, y), f32(3), np.array([1, 0, 2])
    )


@pytest.mark.parametrize("name", ["relu", "tanh", "sigmoid"])
def test_activation_parity(torch, name):
    assert_parity(torch, lambda lib, x: getattr(lib.nn.functional, name)(x), f32(3, 4) * 3)
    ints = np.array([-1, 0, 2])
    assert_parity(torch, lambda lib, x: getattr(lib.nn.functional, name)(x) * 1, ints, grad=[False])


def test_linear_fused_backward_matches_torch_on_the_benchmark_shape(torch):
    assert_parity(
        torch,
        lambda lib, *t: lib.nn.functional.linear(*t),
        f32(256, 512) / 8,
        f32(512, 512, seed=1) / 8,
        f32(512, seed=2),
        rtol=1e-4,
        atol=1e-4,
    )


# Bad inputs run in both libraries: same exception type, same message.
# Each case builds its arguments with `lib` (course_lib or torch) and calls `lib.nn.functional`.
BAD = {
    "linear shapes": lambda L, F: F.linear(L.randn(2, 5), L.randn(4, 3), L.randn(4)),
    "linear shapes 1-D": lambda L, F: F.linear(L.randn(5), L.randn(4, 3), L.randn(4)),
    "linear shapes 3-D": lambda L, F: F.linear(L.randn(2, 5, 7), L.randn(4, 3), L.randn(4)),
    "linear shapes 4-D": lambda L, F: F.linear(L.randn(2, 3, 5, 7), L.randn(4, 3)),
    "linear shapes no bias": lambda L, F: F.linear(L.randn(2, 5), L.randn(4, 3)),
    "linear 0-d input": lambda L, F: F.linear(L.randn(()), L.randn(4, 3), L.randn(4)),
    "linear 0-d weight": lambda L, F: F.linear(L.randn(3), L.randn(())),
    "linear long input": lambda L, F: F.linear(
        L.ones(2, 3, dtype=L.long), L.randn(4, 3), L.randn(4)
    ),
    "linear long input 3-D": lambda L, F: F.linear(
        L.ones(2, 2, 3, dtype=L.long), L.randn(4, 3), L.randn(4)
    ),
    "linear double input": lambda L, F: F.linear(L.randn(2, 3).double(), L.randn(4, 3), L.randn(4)),
    "linear double input no bias": lambda L, F: F.linear(L.randn(2, 3).double(), L.randn(4, 3)),
    "linear double weight": lambda L, F: F.linear(
        L.randn(2, 3), L.randn(4, 3).double(), L.randn(4)
    ),
    "linear double bias": lambda L, F: F.linear(L.randn(2, 3), L.randn(4, 3), L.randn(4).double()),
    "linear list input": lambda L, F: F.linear([1.0, 2.0, 3.0], L.randn(4, 3)),
    "linear list weight": lambda L, F: F.linear(L.randn(2, 3), [[1.0]]),
    "linear list bias": lambda L, F: F.linear(L.randn(2, 3), L.randn(4, 3), [1.0]),
    "linear bias expand": lambda L, F: F.linear(L.randn(2, 3), L.randn(4, 3), L.randn(5)),
    "linear bias expand 1-D": lambda L, F: F.linear(L.randn(3), L.randn(4, 3), L.randn(5)),
    "linear bias expand 3-D": lambda L, F: F.linear(L.randn(2, 2, 3), L.randn(4, 3), L.randn(5)),
    "linear bias 2-D": lambda L, F: F.linear(L.randn(2, 3), L.randn(4, 3), L.randn(3, 4)),
    "linear bias 2-D on 3-D": lambda L, F: F.linear(L.randn(5, 2, 3), L.randn(4, 3), L.randn(3, 4)),
    "linear 3-D weight": lambda L, F: F.linear(L.randn(2, 3), L.randn(2, 4, 3)),
    "linear vector weight + bias": lambda L, F: F.linear(L.randn(2, 3), L.randn(3), L.randn(2)),
    "linear vector weight mismatch": lambda L, F: F.linear(L.randn(2, 3), L.randn(4)),
    "softmax dim 2": lambda L, F: F.softmax(L.randn(2, 3), 2),
    "softmax dim -3": lambda L, F: F.softmax(L.randn(2, 3), -3),
    "softmax 1-D dim 1": lambda L, F: F.softmax(L.randn(3), 1),
    "softmax 0-d dim 1": lambda L, F: F.softmax(L.randn(()), 1),
    "softmax long": lambda L, F: F.softmax(L.ones(2, 3, dtype=L.long), 1),
    "softmax long dim 0": lambda L, F: F.softmax(L.ones(2, 3, dtype=L.long), 0),
    "softmax int32": lambda L, F: F.softmax(L.ones(2, 3, dtype=L.int32), -1),
    "softmax uint8": lambda L, F: F.softmax(L.ones(2, 3, dtype=L.uint8), 1),
    "log_softmax long dim 0": lambda L, F: F.log_softmax(L.ones(2, 3, dtype=L.long), 0),
    "softmax tuple dim": lambda L, F: F.softmax(L.randn(2, 3), (0, 1)),
    "log_softmax tuple dim": lambda L, F: F.log_softmax(L.randn(2, 3), (0, 1)),
    "softmax float dim": lambda L, F: F.softmax(L.randn(2, 3), 1.0),
    "softmax str dim": lambda L, F: F.softmax(L.randn(2, 3), "1"),
    "softmax bool dim": lambda L, F: F.softmax(L.randn(2, 3), True),
    "softmax str dtype": lambda L, F: F.softmax(L.randn(3), 0, dtype="float"),
    "softmax list": lambda L, F: F.softmax([1.0, 2.0], 0),
    "softmax list no dim": lambda L, F: F.softmax([1.0, 2.0]),
    "layer_norm int shape": lambda L, F: F.layer_norm(L.randn(2, 4), 4),
    "layer_norm float in shape": lambda L, F: F.layer_norm(L.randn(2, 4), (4.0,)),
    "layer_norm float in shape pos 2": lambda L, F: F.layer_norm(L.randn(2, 4), (4, 2.0)),
    "layer_norm empty shape": lambda L, F: F.layer_norm(L.randn(2, 4), ()),
    "layer_norm input shape": lambda L, F: F.layer_norm(L.randn(2, 5), (4,)),
    "layer_norm input shape 2": lambda L, F: F.layer_norm(L.randn(2, 4, 5), [5, 4]),
    "layer_norm input too small": lambda L, F: F.layer_norm(L.randn(5, 4), (2, 5, 4)),
    "layer_norm weight shape": lambda L, F: F.layer_norm(L.randn(2, 4), (4,), L.ones(3)),
    "layer_norm weight 2-D": lambda L, F: F.layer_norm(L.randn(2, 4), (4,), L.ones(1, 4)),
    "layer_norm bias shape": lambda L, F: F.layer_norm(L.randn(2, 4), (4,), L.ones(4), L.ones(3)),
    "layer_norm weight before input": lambda L, F: F.layer_norm(L.randn(2, 5), (4,), L.ones(3)),
    "layer_norm long": lambda L, F: F.layer_norm(L.ones(2, 4, dtype=L.long), (4,)),
    "layer_norm long + weight": lambda L, F: F.layer_norm(
        L.ones(2, 4, dtype=L.long), (4,), L.ones(4)
    ),
    "layer_norm double + weight": lambda L, F: F.layer_norm(
        L.randn(2, 4).double(), (4,), L.ones(4)
    ),
    "layer_norm double weight": lambda L, F: F.layer_norm(L.randn(2, 4), (4,), L.ones(4).double()),
    "layer_norm double bias": lambda L, F: F.layer_norm(
        L.randn(2, 4), (4,), L.ones(4), L.ones(4).double()
    ),
    "layer_norm list input": lambda L, F: F.layer_norm([1.0], (1,)),
    "layer_norm list weight": lambda L, F: F.layer_norm(L.randn(5, 4), (4,), [1.0] * 4),
    "layer_norm str eps": lambda L, F: F.layer_norm(L.randn(5, 4), (4,), eps="a"),
    "embedding list": lambda L, F: F.embedding([1, 2], L.randn(5, 3)),
    "embedding list weight": lambda L, F: F.embedding(L.tensor([1]), [[1.0]]),
    "embedding float idx": lambda L, F: F.embedding(L.tensor([1.0]), L.randn(5, 3)),
    "embedding uint8 idx": lambda L, F: F.embedding(L.tensor([1], dtype=L.uint8), L.randn(5, 3)),
    "embedding out of range": lambda L, F: F.embedding(L.tensor([5]), L.randn(5, 3)),
    "embedding negative": lambda L, F: F.embedding(L.tensor([[0, -1]]), L.randn(5, 3)),
    "embedding 1-D weight": lambda L, F: F.embedding(L.tensor([1]), L.randn(5)),
    "embedding 1-D weight float idx": lambda L, F: F.embedding(L.tensor([1.0]), L.randn(5)),
    "embedding padding 5": lambda L, F: F.embedding(L.tensor([1]), L.randn(5, 3), padding_idx=5),
    "embedding padding -6": lambda L, F: F.embedding(L.tensor([1]), L.randn(5, 3), padding_idx=-6),
    "embedding max_norm float idx": lambda L, F: F.embedding(
        L.tensor([1.0]), L.randn(5, 3), max_norm=1.0
    ),
    "embedding max_norm 1-D weight": lambda L, F: F.embedding(
        L.tensor([1]), L.randn(5), max_norm=1.0
    ),
    "embedding max_norm out of range": lambda L, F: F.embedding(
        L.tensor([7]), L.randn(5, 3), max_norm=1.0
    ),
    "embedding max_norm negative": lambda L, F: F.embedding(
        L.tensor([-1]), L.randn(5, 3), max_norm=1.0
    ),
    "embedding max_norm long weight": lambda L, F: F.embedding(
        L.tensor([1]), L.ones(5, 3, dtype=L.long), max_norm=1.0
    ),
    "ce float target": lambda L, F: F.cross_entropy(L.randn(4, 3), L.randn(4)),
    "ce int32 target": lambda L, F: F.cross_entropy(L.randn(4, 3), L.ones(4, dtype=L.int32)),
    "ce bool target": lambda L, F: F.cross_entropy(L.randn(4, 3), L.ones(4, dtype=L.bool)),
    "ce target 3": lambda L, F: F.cross_entropy(L.randn(4, 3), L.tensor([0, 1, 3, 0])),
    "ce target -1": lambda L, F: F.cross_entropy(L.randn(4, 3), L.tensor([0, -1, 3, 0])),
    "ce two bad targets": lambda L, F: F.cross_entropy(L.randn(4, 3), L.tensor([0, 5, 3, 0])),
    "ce target smoothing": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.tensor([0, 7, 2, 1]), label_smoothing=0.1
    ),
    "ce batch": lambda L, F: F.cross_entropy(L.randn(4, 3), L.tensor([0, 1, 2, 0, 1])),
    "ce 0-d target": lambda L, F: F.cross_entropy(L.randn(4, 3), L.tensor(1)),
    "ce (N,1) target": lambda L, F: F.cross_entropy(L.randn(4, 3), L.ones(4, 1, dtype=L.long)),
    "ce float (4,4) target": lambda L, F: F.cross_entropy(L.randn(4, 3), L.randn(4, 4)),
    "ce one-hot long": lambda L, F: F.cross_entropy(L.randn(4, 3), L.ones(4, 3, dtype=L.long)),
    "ce one-hot int32": lambda L, F: F.cross_entropy(L.randn(4, 3), L.ones(4, 3, dtype=L.int32)),
    "ce long logits": lambda L, F: F.cross_entropy(
        L.ones(4, 3, dtype=L.long), L.tensor([0, 1, 2, 0])
    ),
    "ce long logits 3-D": lambda L, F: F.cross_entropy(
        L.ones(4, 3, 2, dtype=L.long), L.ones(4, 2, dtype=L.long)
    ),
    "ce reduction avg": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.tensor([0, 1, 2, 0]), reduction="avg"
    ),
    "ce smoothing 1.5": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.tensor([0, 1, 2, 0]), label_smoothing=1.5
    ),
    "ce smoothing 1.5 prob": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.randn(4, 3), label_smoothing=1.5
    ),
    "ce weight shape": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.tensor([0, 1, 2, 0]), weight=L.ones(2)
    ),
    "ce weight shape prob": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.randn(4, 3), weight=L.ones(2)
    ),
    "ce weight double": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.tensor([0, 1, 2, 0]), weight=L.ones(3).double()
    ),
    "ce weight long": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.tensor([0, 1, 2, 0]), weight=L.ones(3, dtype=L.long)
    ),
    "ce 1-D input, 2 targets": lambda L, F: F.cross_entropy(L.randn(3), L.tensor([1, 2])),
    "ce 1-D input, (1,1) target": lambda L, F: F.cross_entropy(
        L.randn(3), L.ones(1, 1, dtype=L.long)
    ),
    "ce 1-D input, float target": lambda L, F: F.cross_entropy(L.randn(3), L.randn(4)),
    "ce 0-d input": lambda L, F: F.cross_entropy(L.randn(()), L.tensor([0])),
    "ce 0-d input, 0-d float target": lambda L, F: F.cross_entropy(L.randn(()), L.randn(())),
    "ce 0-d input, 0-d long target": lambda L, F: F.cross_entropy(L.randn(()), L.tensor(0)),
    "ce 3-D target size": lambda L, F: F.cross_entropy(
        L.randn(2, 3, 5), L.ones(2, 4, dtype=L.long)
    ),
    "ce 3-D target dims": lambda L, F: F.cross_entropy(L.randn(2, 3, 5), L.ones(2, dtype=L.long)),
    "ce 4-D target size": lambda L, F: F.cross_entropy(
        L.randn(2, 3, 5, 6), L.ones(2, 5, 7, dtype=L.long)
    ),
    "ce 4-D target dims": lambda L, F: F.cross_entropy(
        L.randn(2, 3, 5, 6), L.ones(2, 5, dtype=L.long)
    ),
    "ce 5-D target size": lambda L, F: F.cross_entropy(
        L.randn(2, 3, 5, 6, 2), L.ones(2, 5, 6, dtype=L.long)
    ),
    "ce ignore_index with probabilities": lambda L, F: F.cross_entropy(
        L.randn(4, 3), L.randn(4, 3), ignore_index=1
    ),
    "ce list input": lambda L, F: F.cross_entropy([1.0], L.tensor([0])),
    "ce list target": lambda L, F: F.cross_entropy(L.randn(4, 3), [0, 1, 2, 0]),
    "nll long": lambda L, F: F.nll_loss(L.ones(2, 3, dtype=L.long), L.tensor([0, 1])),
    "nll 0-d": lambda L, F: F.nll_loss(L.randn(()), L.tensor(0)),
    "nll list": lambda L, F: F.nll_loss([1.0], L.tensor(0)),
    "mse shapes": lambda L, F: F.mse_loss(L.randn(3), L.randn(4)),
    "mse shapes 2": lambda L, F: F.mse_loss(L.randn(2, 3), L.randn(4, 1, 2)),
    "mse long": lambda L, F: F.mse_loss(L.ones(3, dtype=L.long), L.ones(3, dtype=L.long)),
    "mse int32": lambda L, F: F.mse_loss(L.ones(3, dtype=L.int32), L.ones(3, dtype=L.int32)),
    "mse avg": lambda L, F: F.mse_loss(L.randn(3), L.randn(3), reduction="avg"),
    "mse list input": lambda L, F: F.mse_loss([1.0], L.randn(3)),
    "mse weight size": lambda L, F: F.mse_loss(L.randn(3), L.randn(3), weight=L.ones(2)),
    "mse weight reduction": lambda L, F: F.mse_loss(
        L.randn(3), L.randn(3), weight=L.ones(3), reduction="avg"
    ),
    "relu list": lambda L, F: F.relu([1.0]),
    "tanh list": lambda L, F: F.tanh([1.0]),
    "sigmoid list": lambda L, F: F.sigmoid([1.0]),
}


def capture(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call()
        except Exception as e:
            return e
    return None


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_parity(torch, case):
    ours = capture(lambda: BAD[case](cl, cl.nn.functional))
    theirs = capture(lambda: BAD[case](torch, torch.nn.functional))
    assert theirs is not None, "torch accepted this input: the case is wrong"
    assert ours is not None, f"course_lib accepted it; torch raised {theirs!r}"
    assert type(ours) is type(theirs)
    if torch.__version__.startswith("2.13."):  # C++ messages may change in other releases
        assert str(ours) == str(theirs)


WARNING_CASES = {
    "softmax implicit dim": lambda L, F: F.softmax(L.randn(2, 3, 4)),
    "log_softmax implicit dim": lambda L, F: F.log_softmax(L.randn(2, 3)),
    "mse broadcast": lambda L, F: F.mse_loss(L.randn(3, 1), L.randn(3)),
    "mse broadcast 0-d": lambda L, F: F.mse_loss(L.randn(3), L.tensor(3.0)),
    "mse size_average": lambda L, F: F.mse_loss(L.randn(3), L.randn(3), size_average=False),
    "ce reduce": lambda L, F: F.cross_entropy(L.randn(2, 3), L.tensor([0, 1]), reduce=False),
    "ce elementwise_mean": lambda L, F: F.cross_entropy(
        L.randn(2, 3), L.tensor([0, 1]), reduction="elementwise_mean"
    ),
}


@pytest.mark.parametrize("case", list(WARNING_CASES))
def test_warning_parity(torch, case):
    seen = []
    for lib in (cl, torch):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            WARNING_CASES[case](lib, lib.nn.functional)
        seen.append([(r.category, str(r.message)) for r in rec])
    assert seen[0] and seen[0] == seen[1]


@pytest.mark.parametrize(
    "make",
    [
        lambda T: T.nn.functional.one_hot(T.tensor([0, 2]), 4),
        lambda T: T.nn.functional.one_hot(T.tensor([[0, 2], [1, 1]])),
        lambda T: T.nn.functional.one_hot(T.tensor([], dtype=T.int64), 3),
    ],
)
def test_one_hot_matches_torch(torch, make):
    ours, theirs = make(cl), make(torch)
    assert repr(ours) == repr(theirs) and ours.dtype is cl.int64


@pytest.mark.parametrize(
    "make",
    [
        lambda T: T.nn.functional.one_hot(T.tensor([0.0, 2.0])),
        lambda T: T.nn.functional.one_hot(T.tensor([0, 5]), 3),
        lambda T: T.nn.functional.one_hot(T.tensor([-1, 2])),
    ],
)
def test_one_hot_errors_match_torch(torch, make):
    assert error_of(cl, make) == error_of(torch, make)
