"""torch.erf, and the activations, losses and dropout a learner reaches for after ReLU and MSE:
gelu, silu, leaky_relu, elu, softplus, hardtanh, dropout, binary_cross_entropy(_with_logits),
l1_loss, smooth_l1_loss, huber_loss, and their nn modules.

Kinds of test: float64 central-difference gradient checks; hypothesis properties; parity with torch 2.13 (values,
gradients, output and gradient dtypes, grad_fn names, reprs, exception types and messages,
warnings, dropout masks after the same seed; these take the `torch` fixture); extreme inputs.
"""

import math
import warnings

import numpy as np
import pytest
from gradcheck import gradcheck
from hypothesis import given, settings
from hypothesis import strategies as st
from parity import assert_close, outcome

import course_lib as cl
import course_lib.nn.functional as F

PROPERTY = settings(max_examples=25, deadline=None)
SHAPES = st.lists(st.integers(1, 5), min_size=1, max_size=3)


def arr(*shape, seed=0, low=None, high=None):
    rng = np.random.default_rng(seed)
    if low is not None:
        return rng.uniform(low, high, shape)
    return rng.standard_normal(shape)


def away(*shape, seed=0):
    """Values with |x| in [0.3, 2]: away from the kinks at 0 (leaky_relu, elu, l1)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.3, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


# ----------------------------------------------------------------------------------------------
# 1. float64 gradient checks
# ----------------------------------------------------------------------------------------------

ACTIVATIONS = {
    "erf": lambda x: cl.erf(x),
    "gelu": lambda x: F.gelu(x),
    "logsigmoid": lambda x: F.logsigmoid(x),
    "selu": lambda x: F.selu(x),
    "mish": lambda x: F.mish(x),
    "relu6": lambda x: F.relu6(x * 4),
    "gelu tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": lambda x: F.silu(x),
    "leaky_relu": lambda x: F.leaky_relu(x, 0.1),
    "elu": lambda x: F.elu(x, 0.7),
    "softplus": lambda x: F.softplus(x),
    "softplus beta threshold": lambda x: F.softplus(x * 3, beta=2.0, threshold=4.0),
    "hardtanh": lambda x: F.hardtanh(x * 0.9, -1.0, 1.0),
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_gradcheck_activations(name):
    assert gradcheck(ACTIVATIONS[name], away(3, 4))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_gradcheck_losses(reduction):
    p = arr(3, 4, low=0.05, high=0.95)
    t = arr(3, 4, seed=1, low=0.0, high=1.0)
    w = arr(4, seed=2, low=0.5, high=2.0)
    r = reduction
    assert gradcheck(lambda x, y: F.binary_cross_entropy(x, y, reduction=r), p, t)
    assert gradcheck(
        lambda x: F.binary_cross_entropy(x, cl.tensor(t), weight=cl.tensor(w), reduction=r), p
    )
    logits = arr(3, 4) * 3
    assert gradcheck(lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction=r), logits, t)
    assert gradcheck(
        lambda x, y: F.binary_cross_entropy_with_logits(
            x, y, weight=cl.tensor(w), pos_weight=cl.tensor(w[::-1].copy()), reduction=r
        ),
        logits,
        t,
    )
    a, b = away(3, 4), away(3, 4, seed=1) * 0.01  # |a − b| stays away from the kinks
    assert gradcheck(lambda x, y: F.l1_loss(x, y, reduction=r), a, b)
    assert gradcheck(lambda x, y: F.smooth_l1_loss(x, y, reduction=r, beta=0.5), a * 2, b)
    assert gradcheck(lambda x, y: F.huber_loss(x, y, reduction=r, delta=0.5), a * 2, b)


def test_gradcheck_dropout_is_the_scaled_mask():
    x = cl.tensor(arr(4, 5), requires_grad=True)
    cl.manual_seed(3)
    y = F.dropout(x, 0.4)
    y.sum().backward()
    mask = (y.detach().numpy() != 0).astype(np.float64)
    np.testing.assert_allclose(x.grad.numpy(), mask / 0.6)
    np.testing.assert_allclose(y.detach().numpy(), x.detach().numpy() * mask / 0.6)
    assert y.grad_fn.name() == "MulBackward0"


# ----------------------------------------------------------------------------------------------
# 2. reference values that need no torch
# ----------------------------------------------------------------------------------------------


def test_erf_matches_the_c_library_and_its_symmetry():
    xs = np.linspace(-6, 6, 241)
    got = cl.tensor(xs).erf().numpy()
    assert np.array_equal(got, np.array([math.erf(v) for v in xs]))
    assert np.array_equal(got, -cl.tensor(-xs).erf().numpy())
    assert cl.erf(cl.tensor([1, 2])).dtype == cl.float32  # integers give float32


def test_gelu_is_x_times_the_normal_cdf():
    xs = np.linspace(-4, 4, 81)
    cdf = np.array([0.5 * (1 + math.erf(v / math.sqrt(2))) for v in xs])
    np.testing.assert_allclose(F.gelu(cl.tensor(xs)).numpy(), xs * cdf, rtol=1e-14, atol=1e-300)
    tanh_form = 0.5 * xs * (1 + np.tanh(math.sqrt(2 / math.pi) * (xs + 0.044715 * xs**3)))
    got = F.gelu(cl.tensor(xs), approximate="tanh").numpy()
    np.testing.assert_allclose(got, tanh_form, rtol=1e-14)
    assert np.abs(got - xs * cdf).max() < 1e-3  # the approximation is close


def test_bce_clamps_log_at_minus_100():
    p = cl.tensor([0.0, 1.0, 0.0, 1.0])
    y = cl.tensor([0.0, 1.0, 1.0, 0.0])
    loss = F.binary_cross_entropy(p, y, reduction="none")
    assert loss.tolist() == [0.0, 0.0, 100.0, 100.0]
    assert F.binary_cross_entropy(p, y).item() == 50.0


def test_bce_with_logits_equals_bce_of_sigmoid_where_both_are_finite():
    x = cl.tensor(arr(20) * 4)
    y = cl.tensor(arr(20, seed=1, low=0.0, high=1.0))
    a = F.binary_cross_entropy_with_logits(x, y, reduction="none").numpy()
    b = F.binary_cross_entropy(x.sigmoid(), y, reduction="none").numpy()
    np.testing.assert_allclose(a, b, rtol=1e-9)


def test_smooth_l1_and_huber_agree_as_documented():
    a, b = cl.tensor(arr(10) * 3), cl.tensor(arr(10, seed=1))
    for beta in (0.5, 1.0, 2.0):
        s = F.smooth_l1_loss(a, b, beta=beta, reduction="none").numpy()
        h = F.huber_loss(a, b, delta=beta, reduction="none").numpy()
        np.testing.assert_allclose(h, beta * s, rtol=1e-12)
    l1 = F.smooth_l1_loss(a, b, beta=0.0)
    assert l1.item() == F.l1_loss(a, b).item()


@PROPERTY
@given(shape=SHAPES, seed=st.integers(0, 2**31 - 1), p=st.floats(0.05, 0.95))
def test_dropout_zeros_or_scales_each_element(shape, seed, p):
    x = cl.tensor(arr(*shape, seed=seed % 1000) + 3.0)  # no zeros in x
    cl.manual_seed(seed)
    y = F.dropout(x, p).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], x.numpy()[kept] / (1 - p), rtol=1e-6)
    assert F.dropout(x, p, training=False) is x


@PROPERTY
@given(shape=SHAPES, seed=st.integers(0, 1000))
def test_activation_properties_over_random_shapes(shape, seed):
    x = arr(*shape, seed=seed) * 4
    t = cl.tensor(x)
    np.testing.assert_allclose(F.silu(t).numpy(), x / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(F.leaky_relu(t, 0.1).numpy(), np.where(x > 0, x, 0.1 * x))
    np.testing.assert_allclose(F.hardtanh(t).numpy(), np.clip(x, -1, 1))
    sp = F.softplus(t).numpy()
    np.testing.assert_allclose(
        sp - F.softplus(-t).numpy(), x, atol=1e-12
    )  # softplus(x) − softplus(−x) = x
    assert (F.elu(t).numpy() >= -1).all()
    g = F.gelu(t).numpy()
    assert (g <= np.maximum(x, 0) + 1e-12).all() and (g >= -0.17).all()


@PROPERTY
@given(shape=SHAPES, seed=st.integers(0, 1000))
def test_losses_are_means_of_their_elementwise_losses(shape, seed):
    x, y = (
        cl.tensor(arr(*shape, seed=seed) * 3),
        cl.tensor(arr(*shape, seed=seed + 1, low=0, high=1)),
    )
    for fn in (F.l1_loss, F.smooth_l1_loss, F.huber_loss, F.binary_cross_entropy_with_logits):
        elem = fn(x, y, reduction="none").numpy()
        assert elem.shape == tuple(shape) and (elem >= 0).all()
        np.testing.assert_allclose(fn(x, y).item(), elem.mean(), rtol=1e-12)
        np.testing.assert_allclose(fn(x, y, reduction="sum").item(), elem.sum(), rtol=1e-12)


# ----------------------------------------------------------------------------------------------
# 3. parity with torch: values, gradients, dtypes, grad_fn names
# ----------------------------------------------------------------------------------------------


def run(T, fn, arrays, dtype, grads):
    """fn(T, *tensors) in dtype; (value, dtype, [grads], [grad dtypes], grad_fn name)."""
    dt = getattr(T, dtype)
    ts = [T.tensor(a, dtype=dt, requires_grad=g) for a, g in zip(arrays, grads)]
    out = fn(T, *ts)
    name = out.grad_fn.name() if out.grad_fn is not None else None
    if out.requires_grad:
        proj = np.random.default_rng(99).standard_normal(tuple(out.shape))
        (out * T.tensor(proj, dtype=out.dtype)).sum().backward()
    gs = [None if t.grad is None else t.grad.numpy().copy() for t in ts]
    gdt = [None if t.grad is None else str(t.grad.dtype) for t in ts]
    return out.detach().numpy().copy(), str(out.dtype), gs, gdt, name


def assert_matches(torch, fn, arrays, dtype, grads=None, rtol32=1e-5):
    grads = [True] * len(arrays) if grads is None else grads
    ours, theirs = run(cl, fn, arrays, dtype, grads), run(torch, fn, arrays, dtype, grads)
    assert ours[1] == theirs[1], "output dtype"
    assert ours[4] == theirs[4], "grad_fn name"
    assert_close(ours[0], theirs[0], dtype, "forward", rtol32)
    assert ours[3] == theirs[3], "gradient dtypes"
    for k, (g, h) in enumerate(zip(ours[2], theirs[2])):
        if h is not None:
            assert_close(g, h, dtype, f"gradient of input {k}", rtol32)


ACTIVATION_CASES = {
    "erf": lambda T, x: T.erf(x),
    "erf method": lambda T, x: x.erf(),
    "gelu": lambda T, x: T.nn.functional.gelu(x),
    "gelu tanh": lambda T, x: T.nn.functional.gelu(x, approximate="tanh"),
    "GELU module": lambda T, x: T.nn.GELU("tanh")(x),
    "silu": lambda T, x: T.nn.functional.silu(x),
    "SiLU module": lambda T, x: T.nn.SiLU()(x),
    "leaky_relu": lambda T, x: T.nn.functional.leaky_relu(x),
    "leaky_relu 0.2": lambda T, x: T.nn.functional.leaky_relu(x, 0.2),
    "leaky_relu negative slope": lambda T, x: T.nn.functional.leaky_relu(x, -0.5),
    "LeakyReLU module": lambda T, x: T.nn.LeakyReLU(0.3)(x),
    "elu": lambda T, x: T.nn.functional.elu(x),
    "elu alpha": lambda T, x: T.nn.functional.elu(x, alpha=0.5),
    "ELU module": lambda T, x: T.nn.ELU(2.0)(x),
    "softplus": lambda T, x: T.nn.functional.softplus(x),
    "softplus beta threshold": lambda T, x: T.nn.functional.softplus(x * 5, 2.0, 3.0),
    "Softplus module": lambda T, x: T.nn.Softplus(beta=0.5)(x),
    "hardtanh": lambda T, x: T.nn.functional.hardtanh(x),
    "hardtanh bounds": lambda T, x: T.nn.functional.hardtanh(x, -0.5, 2.0),
    "Hardtanh module": lambda T, x: T.nn.Hardtanh(-2.0, 0.5)(x),
    "relu6": lambda T, x: T.nn.functional.relu6(x * 3),
    "ReLU6 module": lambda T, x: T.nn.ReLU6()(x * 3),
    "logsigmoid": lambda T, x: T.nn.functional.logsigmoid(x),
    "LogSigmoid module": lambda T, x: T.nn.LogSigmoid()(x),
    "selu": lambda T, x: T.nn.functional.selu(x),
    "SELU module": lambda T, x: T.nn.SELU()(x),
    "mish": lambda T, x: T.nn.functional.mish(x),
    "Mish module": lambda T, x: T.nn.Mish()(x),
    # in place, on a non-leaf: the input takes over the op's history
    "relu6 inplace": lambda T, x: T.nn.functional.relu6(x * 3, inplace=True),
    "selu inplace": lambda T, x: T.nn.functional.selu(x * 1, inplace=True),
    "F.selu_": lambda T, x: T.nn.functional.selu_(x * 1),
    "mish inplace": lambda T, x: T.nn.functional.mish(x * 1, inplace=True),
    "Mish module inplace": lambda T, x: T.nn.Mish(inplace=True)(x * 1),
    "leaky_relu inplace": lambda T, x: T.nn.functional.leaky_relu(x * 1, 0.2, inplace=True),
    "elu inplace": lambda T, x: T.nn.functional.elu(x * 1, inplace=True),
    "silu inplace": lambda T, x: T.nn.functional.silu(x * 1, inplace=True),
    "hardtanh inplace": lambda T, x: T.nn.functional.hardtanh(x * 1, inplace=True),
    "F.leaky_relu_": lambda T, x: T.nn.functional.leaky_relu_(x * 1, 0.3),
    "F.elu_": lambda T, x: T.nn.functional.elu_(x * 1),
    "F.hardtanh_": lambda T, x: T.nn.functional.hardtanh_(x * 1, -0.5, 2.0),
    "F.hardtanh_ min > max": lambda T, x: T.nn.functional.hardtanh_(x * 1, 2.0, 1.0),
    "erf_": lambda T, x: (x * 1).erf_(),
    "torch.erf_": lambda T, x: T.erf_(x * 1),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(ACTIVATION_CASES))
def test_activation_parity(torch, name, dtype):
    assert_matches(torch, ACTIVATION_CASES[name], [away(4, 5) * 2], dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activation_parity_over_a_wide_range(torch, dtype):
    x = np.concatenate([np.linspace(-30, 30, 601), [-1e4, 1e4, 0.0, -0.0]])
    for name, fn in ACTIVATION_CASES.items():
        if "inplace" not in name and "_" != name[-1]:
            assert_matches(torch, fn, [x], dtype)


LOSS_CASES = {
    # name: (fn, input kind, target kind); kinds: "prob" in (0, 1), "logit", "normal"
    "bce": (lambda T, x, y: T.nn.functional.binary_cross_entropy(x, y), "prob", "prob"),
    "bce sum": (
        lambda T, x, y: T.nn.functional.binary_cross_entropy(x, y, reduction="sum"),
        "prob",
        "prob",
    ),
    "bce none": (
        lambda T, x, y: T.nn.functional.binary_cross_entropy(x, y, reduction="none"),
        "prob",
        "prob",
    ),
    "bce weight": (
        lambda T, x, y: T.nn.functional.binary_cross_entropy(
            x, y, weight=T.linspace(0.5, 2.0, 5, dtype=x.dtype)
        ),
        "prob",
        "prob",
    ),
    "BCELoss weight none": (
        lambda T, x, y: T.nn.BCELoss(T.tensor([2.0], dtype=x.dtype), reduction="none")(x, y),
        "prob",
        "prob",
    ),
    "bce with logits": (
        lambda T, x, y: T.nn.functional.binary_cross_entropy_with_logits(x, y),
        "logit",
        "prob",
    ),
    "bce with logits sum": (
        lambda T, x, y: T.nn.functional.binary_cross_entropy_with_logits(x, y, reduction="sum"),
        "logit",
        "prob",
    ),
    "bce with logits none": (
        lambda T, x, y: T.nn.functional.binary_cross_entropy_with_logits(x, y, reduction="none"),
        "logit",
        "prob",
    ),
    "bce with logits pos_weight": (
        lambda T, x, y: T.nn.functional.binary_cross_entropy_with_logits(
            x, y, pos_weight=T.linspace(0.5, 3.0, 5, dtype=x.dtype)
        ),
        "logit",
        "prob",
    ),
    "bce with logits weight and pos_weight": (
        lambda T, x, y: T.nn.functional.binary_cross_entropy_with_logits(
            x,
            y,
            weight=T.linspace(0.5, 3.0, 5, dtype=x.dtype).reshape(1, 5),
            pos_weight=T.tensor([3.0], dtype=x.dtype),
            reduction="none",
        ),
        "logit",
        "prob",
    ),
    "BCEWithLogitsLoss": (
        lambda T, x, y: T.nn.BCEWithLogitsLoss(pos_weight=T.full((5,), 2.0, dtype=x.dtype))(x, y),
        "logit",
        "prob",
    ),
    "l1": (lambda T, x, y: T.nn.functional.l1_loss(x, y), "normal", "normal"),
    "l1 sum": (lambda T, x, y: T.nn.functional.l1_loss(x, y, reduction="sum"), "normal", "normal"),
    "l1 none": (
        lambda T, x, y: T.nn.functional.l1_loss(x, y, reduction="none"),
        "normal",
        "normal",
    ),
    "l1 weight": (
        lambda T, x, y: T.nn.functional.l1_loss(x, y, weight=T.ones_like(x) * 2),
        "normal",
        "normal",
    ),
    "L1Loss": (lambda T, x, y: T.nn.L1Loss()(x, y), "normal", "normal"),
    "smooth_l1": (lambda T, x, y: T.nn.functional.smooth_l1_loss(x, y), "normal", "normal"),
    "smooth_l1 beta none": (
        lambda T, x, y: T.nn.functional.smooth_l1_loss(x, y, reduction="none", beta=0.3),
        "normal",
        "normal",
    ),
    "smooth_l1 beta 0": (
        lambda T, x, y: T.nn.functional.smooth_l1_loss(x, y, beta=0.0),
        "normal",
        "normal",
    ),
    "SmoothL1Loss sum": (
        lambda T, x, y: T.nn.SmoothL1Loss(reduction="sum", beta=2.0)(x, y),
        "normal",
        "normal",
    ),
    "huber": (lambda T, x, y: T.nn.functional.huber_loss(x, y), "normal", "normal"),
    "huber delta none": (
        lambda T, x, y: T.nn.functional.huber_loss(x, y, reduction="none", delta=0.3),
        "normal",
        "normal",
    ),
    "huber weight": (
        lambda T, x, y: T.nn.functional.huber_loss(x, y, weight=T.ones_like(x) * 3),
        "normal",
        "normal",
    ),
    "HuberLoss sum": (
        lambda T, x, y: T.nn.HuberLoss(reduction="sum", delta=2.0)(x, y),
        "normal",
        "normal",
    ),
}


def loss_data(kind, seed):
    if kind == "prob":
        return arr(4, 5, seed=seed, low=0.02, high=0.98)
    if kind == "logit":
        return arr(4, 5, seed=seed) * 4
    return arr(4, 5, seed=seed) * 2


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(LOSS_CASES))
def test_loss_parity(torch, name, dtype):
    fn, kx, ky = LOSS_CASES[name]
    arrays = [loss_data(kx, 0), loss_data(ky, 1)]
    assert_matches(torch, fn, arrays, dtype)  # gradients reach the target too
    assert_matches(torch, fn, arrays, dtype, grads=[True, False])


@pytest.mark.parametrize(
    "fn",
    [
        lambda T, x, y: T.nn.functional.l1_loss(x, y),
        lambda T, x, y: T.nn.functional.smooth_l1_loss(x, y, reduction="none"),
        lambda T, x, y: T.nn.functional.huber_loss(x, y),
    ],
    ids=["l1", "smooth_l1", "huber"],
)
def test_broadcast_losses_parity(torch, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for shapes in [((3, 1), (3,)), ((2, 3), ()), ((4,), (2, 1, 4))]:
            arrays = [arr(*shapes[0]), arr(*shapes[1], seed=1)]
            assert_matches(torch, fn, arrays, "float64")


def test_mixed_dtype_losses_parity(torch):
    def case(fn):
        f32, f64 = arr(6), arr(6, seed=1)
        outs = []
        for T in (cl, torch):
            x = T.tensor(f32, dtype=T.float32, requires_grad=True)
            y = T.tensor(f64, dtype=T.float64, requires_grad=True)
            out = fn(T, x, y)
            out.sum().backward()
            outs.append((out.detach().numpy(), str(out.dtype), x.grad.numpy(), y.grad.numpy()))
        (a, da, gxa, gya), (b, db, gxb, gyb) = outs
        assert da == db
        assert_close(a, b, "float32", "forward")
        assert_close(gxa, gxb, "float32", "input gradient")
        assert gya.dtype == gyb.dtype
        assert_close(gya, gyb, "float32", "target gradient")

    case(lambda T, x, y: T.nn.functional.l1_loss(x, y))
    case(lambda T, x, y: T.nn.functional.smooth_l1_loss(x, y))
    case(lambda T, x, y: T.nn.functional.binary_cross_entropy_with_logits(x, y.sigmoid()))
    assert outcome(cl, huber_mixed) == outcome(torch, huber_mixed)


def huber_mixed(T):
    x = T.tensor([1.0, -2.0], requires_grad=True)
    out = T.nn.functional.huber_loss(x, T.tensor([0.0, 1.0], dtype=T.float64))
    forward = (str(out.dtype), round(out.item(), 6))
    out.backward()  # torch's backward kernel refuses the two dtypes
    return forward


# ----------------------------------------------------------------------------------------------
# 4. extreme inputs
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bce_with_logits_huge_logits_stay_finite_and_exact(torch, dtype):
    big = 1e30 if dtype == "float32" else 1e300
    x = np.array([1e4, -1e4, big, -big, 100.0, -100.0, 0.0])
    y = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.5])
    ours = F.binary_cross_entropy_with_logits(
        cl.tensor(x, dtype=getattr(cl, dtype)),
        cl.tensor(y, dtype=getattr(cl, dtype)),
        reduction="none",
    ).numpy()
    assert np.isfinite(ours).all()
    assert ours[0] == 1e4 and ours[1] == 1e4
    np.testing.assert_allclose(ours[2:4], [big, big], rtol=1e-7)
    assert ours[4] < 1e-40 and ours[5] < 1e-40
    assert_matches(
        torch,
        lambda T, a, b: T.nn.functional.binary_cross_entropy_with_logits(a, b, reduction="none"),
        [x, y],
        dtype,
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bce_at_zero_and_one_probabilities_parity(torch, dtype):
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-30, 1 - 1e-7])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])

    def fn(T, a, b):
        return T.nn.functional.binary_cross_entropy(a, b, reduction="none")

    ours, theirs = (
        run(cl, fn, [p, y], dtype, [True, True]),
        run(torch, fn, [p, y], dtype, [True, True]),
    )
    np.testing.assert_array_equal(ours[0], theirs[0])  # 0, -0., 100, 100 exactly
    assert np.array_equal(np.signbit(ours[0]), np.signbit(theirs[0]))
    for g, h in zip(ours[2], theirs[2]):  # ±1e12 where p(1 − p) = 0, ±inf for the target
        np.testing.assert_allclose(g, h, rtol=1e-5)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activations_at_huge_values_parity(torch, dtype):
    big = 1e30 if dtype == "float32" else 1e200
    x = np.array([-big, big, -100.0, 100.0, 0.0, -0.0])
    names = ("gelu", "gelu tanh", "silu", "elu", "softplus", "leaky_relu", "hardtanh", "erf")
    for name in names + ("relu6", "selu", "mish"):
        fn = ACTIVATION_CASES[name]
        ours = fn(cl, cl.tensor(x, dtype=getattr(cl, dtype))).numpy()
        theirs = fn(torch, torch.tensor(x, dtype=getattr(torch, dtype))).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, err_msg=name)
        assert np.array_equal(np.signbit(ours), np.signbit(theirs)), name


def test_nan_propagates_like_torch(torch):
    x = [float("nan"), 1.0]
    for name in ("gelu", "silu", "elu", "softplus", "leaky_relu", "hardtanh", "erf", "relu6",
                 "logsigmoid", "selu", "mish"):  # fmt: skip
        fn = ACTIVATION_CASES[name]
        ours = fn(cl, cl.tensor(x)).numpy()
        theirs = fn(torch, torch.tensor(x)).numpy()
        assert np.isnan(ours[0]) and np.isnan(theirs[0]), name
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6, err_msg=name)


# ----------------------------------------------------------------------------------------------
# 5. dropout: torch's mask after the same seed, eval mode, p = 0 and 1, in place
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 7, 1234, 2**40 + 5])
@pytest.mark.parametrize("p", [0.1, 0.5, 0.9, 1 / 3])
def test_dropout_mask_equals_torch(torch, seed, p):
    for shape, dtype in [((7,), "float32"), ((40, 30), "float32"), ((3, 1000), "float64"),
                         ((2, 3, 5), "float64"), ((5000,), "float32")]:  # fmt: skip
        x = arr(*shape)
        outs = []
        for T in (cl, torch):
            T.manual_seed(seed)
            t = T.tensor(x, dtype=getattr(T, dtype), requires_grad=True)
            y = T.nn.functional.dropout(t, p)
            y.sum().backward()
            after = T.rand(3).numpy()  # the generator moved on by the same amount
            outs.append((y.detach().numpy(), t.grad.numpy(), after, y.grad_fn.name()))
        (a, ga, ra, na), (b, gb, rb, nb) = outs
        assert np.array_equal(a, b), f"{shape} {dtype}"
        assert np.array_equal(ga, gb)
        assert np.array_equal(ra, rb)
        assert na == nb == "MulBackward0"


def test_dropout_mask_of_a_transposed_input_follows_memory_order(torch):
    x = arr(6, 9)
    outs = []
    for T in (cl, torch):
        T.manual_seed(5)
        outs.append(T.nn.functional.dropout(T.tensor(x).t(), 0.5).numpy())
    assert np.array_equal(*outs)


def test_dropout_module_and_train_eval_parity(torch):
    def model_outputs(T):
        T.manual_seed(0)
        model = T.nn.Sequential(T.nn.Linear(4, 8), T.nn.ReLU(), T.nn.Dropout(0.25))
        x = T.randn(3, 4)
        train1 = model(x)
        model.eval()
        ev = model(x)
        model.train()
        train2 = model(x)
        return [t.detach().numpy() for t in (train1, ev, train2)] + [repr(model)]

    ours, theirs = model_outputs(cl), model_outputs(torch)
    for a, b in zip(ours[:3], theirs[:3]):  # the same zeros; Linear's sums may round apart
        assert np.array_equal(a == 0, b == 0)
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert ours[3] == theirs[3]
    assert not np.array_equal(ours[0], ours[2])  # a new mask on each call


def test_dropout_returns_the_input_itself_when_it_does_nothing():
    x = cl.randn(3, requires_grad=True)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert F.dropout(x, 0.5, training=False, inplace=True) is x
    e = cl.empty(0, requires_grad=True)
    assert F.dropout(e, 0.5) is e
    drop = cl.nn.Dropout(0.5).eval()
    assert drop(x) is x
    state = cl.get_rng_state()
    F.dropout(x, 0.5, training=False)
    assert cl.equal(state, cl.get_rng_state())  # eval mode draws nothing


@pytest.mark.parametrize(
    "make",
    [
        lambda T, x: T.nn.functional.dropout(x, 1.0),
        lambda T, x: T.nn.functional.dropout(x * 1, 1.0, inplace=True),
        lambda T, x: T.nn.functional.dropout(x * 1, 0.3, inplace=True),
        lambda T, x: T.nn.Dropout(0.6, inplace=True)(x * 1),
        lambda T, x: T.nn.functional.dropout(x, True),
        lambda T, x: T.nn.functional.dropout(x.double(), 0.7),
        lambda T, x: T.nn.functional.dropout(x, T.tensor(0.5)),  # a 0-d p is its number
        lambda T, x: T.nn.functional.dropout(x, np.float32(0.3)),
        lambda T, x: T.nn.Dropout(T.tensor(0.25))(x),
    ],
)
def test_dropout_special_cases_parity(torch, make):
    outs = []
    for T in (cl, torch):
        T.manual_seed(11)
        x = T.tensor(arr(4, 6), dtype=T.float32, requires_grad=True)
        y = make(T, x)
        (y * T.arange(24.0, dtype=y.dtype).reshape(4, 6)).sum().backward()
        outs.append((y.detach().numpy(), str(y.dtype), x.grad.numpy(), y.grad_fn.name()))
    (a, da, ga, na), (b, db, gb, nb) = outs
    assert np.array_equal(a, b) and np.array_equal(np.signbit(a), np.signbit(b))
    assert da == db and na == nb
    np.testing.assert_allclose(ga, gb, rtol=1e-6)


def test_dropout_on_integers_parity(torch):
    for T in (cl, torch):
        T.manual_seed(0)
    assert outcome(cl, lambda T: T.nn.functional.dropout(T.tensor([1, 2, 3]), 1.0)) == outcome(
        torch, lambda T: T.nn.functional.dropout(T.tensor([1, 2, 3]), 1.0)
    )


# ----------------------------------------------------------------------------------------------
# 6. reprs, defaults, buffers
# ----------------------------------------------------------------------------------------------

MODULES = [
    lambda T: T.nn.GELU(),
    lambda T: T.nn.GELU("tanh"),
    lambda T: T.nn.GELU(approximate="tanh"),
    lambda T: T.nn.SiLU(),
    lambda T: T.nn.SiLU(inplace=True),
    lambda T: T.nn.LeakyReLU(),
    lambda T: T.nn.LeakyReLU(0.2),
    lambda T: T.nn.LeakyReLU(1, True),
    lambda T: T.nn.ELU(),
    lambda T: T.nn.ELU(alpha=2, inplace=True),
    lambda T: T.nn.Softplus(),
    lambda T: T.nn.Softplus(2, 10),
    lambda T: T.nn.Hardtanh(),
    lambda T: T.nn.Hardtanh(-2, 2, True),
    lambda T: T.nn.ReLU6(),
    lambda T: T.nn.ReLU6(True),
    lambda T: T.nn.LogSigmoid(),
    lambda T: T.nn.SELU(),
    lambda T: T.nn.SELU(inplace=True),
    lambda T: T.nn.Mish(),
    lambda T: T.nn.Mish(True),
    lambda T: T.nn.Dropout(),
    lambda T: T.nn.Dropout(0.1),
    lambda T: T.nn.Dropout(p=1, inplace=True),
    lambda T: T.nn.BCELoss(),
    lambda T: T.nn.BCELoss(weight=T.ones(2)),
    lambda T: T.nn.BCEWithLogitsLoss(pos_weight=T.ones(2)),
    lambda T: T.nn.L1Loss(),
    lambda T: T.nn.SmoothL1Loss(beta=0.5),
    lambda T: T.nn.HuberLoss(delta=2.0),
    lambda T: T.nn.Sequential(T.nn.Linear(2, 3), T.nn.GELU(), T.nn.Dropout(0.2), T.nn.SiLU()),
]


@pytest.mark.parametrize("make", MODULES)
def test_module_repr_parity(torch, make):
    assert outcome(cl, make) == outcome(torch, make)


@pytest.mark.parametrize(
    "make",
    [
        lambda T: T.nn.BCELoss(weight=T.ones(2)),
        lambda T: T.nn.BCELoss(),
        lambda T: T.nn.BCEWithLogitsLoss(pos_weight=T.ones(2)),
        lambda T: T.nn.BCEWithLogitsLoss(weight=T.ones(2), pos_weight=T.ones(2)),
        lambda T: T.nn.BCEWithLogitsLoss(),
        lambda T: T.nn.SmoothL1Loss(),
        lambda T: T.nn.HuberLoss(),
        lambda T: T.nn.Dropout(),
    ],
)
def test_module_attributes_and_buffers_parity(torch, make):
    def describe(T):
        m = make(T)
        names = ("reduction", "beta", "delta", "p", "inplace", "training")
        attrs = {n: getattr(m, n) for n in names if hasattr(m, n)}
        return repr((attrs, list(m.state_dict()), [n for n, _ in m.named_buffers()]))

    assert describe(cl) == describe(torch)


def test_legacy_flags_and_eval_parity(torch):
    def describe(T):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            losses = [T.nn.L1Loss(size_average=False), T.nn.BCELoss(reduce=False),
                      T.nn.SmoothL1Loss(size_average=True, reduce=True)]  # fmt: skip
        drop = T.nn.Dropout().eval()
        return [m.reduction for m in losses], [str(r.message) for r in rec], drop.training

    assert describe(cl) == describe(torch)


# ----------------------------------------------------------------------------------------------
# 7. errors and warnings: torch's types and messages
# ----------------------------------------------------------------------------------------------

BAD = {
    "erf list": lambda T, F: T.erf([1.0]),
    "erf_ int": lambda T, F: T.tensor([1, 2]).erf_(),
    "erf_ leaf": lambda T, F: T.ones(2, requires_grad=True).erf_(),
    "gelu int": lambda T, F: F.gelu(T.tensor([1, 2])),
    "gelu bool": lambda T, F: F.gelu(T.tensor([True])),
    "gelu list": lambda T, F: F.gelu([1.0]),
    "gelu approximate": lambda T, F: F.gelu(T.ones(2), approximate="exact"),
    "gelu approximate None": lambda T, F: F.gelu(T.ones(2), approximate=None),
    "GELU approximate": lambda T, F: T.nn.GELU("Tanh")(T.ones(2)),
    "silu int": lambda T, F: F.silu(T.tensor([1])),
    "silu inplace int": lambda T, F: F.silu(T.tensor([1]), inplace=True),
    "silu inplace leaf": lambda T, F: F.silu(T.ones(2, requires_grad=True), inplace=True),
    "silu list": lambda T, F: F.silu([1.0]),
    "leaky_relu int": lambda T, F: F.leaky_relu(T.tensor([1])),
    "leaky_relu bool": lambda T, F: F.leaky_relu(T.tensor([True])),
    "leaky_relu inplace leaf": lambda T, F: F.leaky_relu(
        T.ones(2, requires_grad=True), inplace=True
    ),
    "leaky_relu inplace negative slope backward": lambda T, F: (
        F.leaky_relu(T.ones(2, requires_grad=True) * 1, -0.1, inplace=True).sum().backward()
    ),
    "elu int": lambda T, F: F.elu(T.tensor([1])),
    "elu list": lambda T, F: F.elu([1.0]),
    "elu inplace negative alpha backward": lambda T, F: (
        F.elu(T.ones(2, requires_grad=True) * 1, -0.5, inplace=True).sum().backward()
    ),
    "softplus int": lambda T, F: F.softplus(T.tensor([1])),
    "softplus list": lambda T, F: F.softplus([1.0]),
    "hardtanh bool": lambda T, F: F.hardtanh(T.tensor([True])),
    "hardtanh min > max": lambda T, F: F.hardtanh(T.ones(2), 2.0, 1.0),
    "Hardtanh min == max": lambda T, F: T.nn.Hardtanh(1.0, 1.0),
    "hardtanh list": lambda T, F: F.hardtanh([1.0]),
    "hardtanh inplace list": lambda T, F: F.hardtanh([1.0], inplace=True),
    "relu6 bool": lambda T, F: F.relu6(T.tensor([True])),
    "relu6 list": lambda T, F: F.relu6([1.0]),
    "relu6 inplace list": lambda T, F: F.relu6([1.0], inplace=True),
    "logsigmoid int": lambda T, F: F.logsigmoid(T.tensor([1])),
    "logsigmoid list": lambda T, F: F.logsigmoid([1.0]),
    "selu int": lambda T, F: F.selu(T.tensor([1])),
    "selu list": lambda T, F: F.selu([1.0]),
    "selu_ list": lambda T, F: F.selu_([1.0]),
    "selu inplace leaf": lambda T, F: F.selu(T.ones(2, requires_grad=True), True),
    "mish int": lambda T, F: F.mish(T.tensor([1])),
    "mish list": lambda T, F: F.mish([1.0]),
    "mish inplace int": lambda T, F: F.mish(T.tensor([1]), True),
    "silu inplace list": lambda T, F: F.silu([1.0], inplace=True),
    "elu inplace list": lambda T, F: F.elu([1.0], inplace=True),
    "leaky_relu slope str": lambda T, F: F.leaky_relu(T.ones(2), "a"),
    "leaky_relu slope 1-d tensor": lambda T, F: F.leaky_relu(T.ones(2), T.tensor([0.5])),
    "leaky_relu slope None": lambda T, F: F.leaky_relu(T.ones(2), None),
    "leaky_relu inplace slope str": lambda T, F: F.leaky_relu(T.ones(2), "a", True),
    "elu alpha str": lambda T, F: F.elu(T.ones(2), "a"),
    "softplus beta str": lambda T, F: F.softplus(T.ones(2), "a"),
    "softplus threshold str": lambda T, F: F.softplus(T.ones(2), 1, "a"),
    "hardtanh bounds str": lambda T, F: F.hardtanh(T.ones(2), "a", "b"),
    "hardtanh bound str": lambda T, F: F.hardtanh(T.ones(2), -1.0, "b"),
    "smooth_l1 beta str": lambda T, F: F.smooth_l1_loss(T.ones(2), T.ones(2), beta="a"),
    "smooth_l1 beta None": lambda T, F: F.smooth_l1_loss(T.ones(2), T.ones(2), beta=None),
    "huber delta str": lambda T, F: F.huber_loss(T.ones(2), T.ones(2), delta="a"),
    "bce reduction None": lambda T, F: F.binary_cross_entropy(T.rand(2), T.rand(2), reduction=None),
    "leaky_relu_ list": lambda T, F: F.leaky_relu_([1.0]),
    "elu_ int": lambda T, F: F.elu_(T.tensor([1])),
    "hardtanh_ bool": lambda T, F: F.hardtanh_(T.tensor([True])),
    "hardtanh_ list": lambda T, F: F.hardtanh_([1.0]),
    "dropout p > 1": lambda T, F: F.dropout(T.ones(2), 1.5),
    "dropout p < 0": lambda T, F: F.dropout(T.ones(2), -0.1),
    "Dropout p": lambda T, F: T.nn.Dropout(2),
    "dropout list": lambda T, F: F.dropout([1.0], 0.5),
    "dropout inplace list": lambda T, F: F.dropout([1.0], 0.5, inplace=True),
    "dropout training None": lambda T, F: F.dropout(T.ones(2), 0.5, training=None),
    "dropout training int": lambda T, F: F.dropout(T.ones(2), 0.5, training=1),
    "dropout training numpy bool": lambda T, F: F.dropout(T.ones(2), 0.5, np.bool_(True)),
    "dropout p 1-d tensor": lambda T, F: F.dropout(T.ones(2), T.tensor([0.5])),
    "dropout_ p 1-d tensor": lambda T, F: F.dropout(T.ones(2) * 1, T.tensor([0.5]), True, True),
    "dropout int": lambda T, F: F.dropout(T.tensor([1, 2]), 0.5),
    "dropout bool": lambda T, F: F.dropout(T.tensor([True]), 0.5),
    "dropout inplace leaf": lambda T, F: F.dropout(T.ones(2, requires_grad=True), 0.5, True, True),
    "dropout p str": lambda T, F: F.dropout(T.ones(2), "0.5"),
    "bce size": lambda T, F: F.binary_cross_entropy(T.rand(3), T.rand(2)),
    "bce size (N,1) vs (N,)": lambda T, F: F.binary_cross_entropy(T.rand(3, 1), T.rand(3)),
    "bce input > 1": lambda T, F: F.binary_cross_entropy(T.tensor([0.5, 1.5]), T.rand(2)),
    "bce input < 0": lambda T, F: F.binary_cross_entropy(T.tensor([-0.5]), T.rand(1)),
    "bce input nan": lambda T, F: F.binary_cross_entropy(T.tensor([float("nan")]), T.rand(1)),
    "bce target > 1": lambda T, F: F.binary_cross_entropy(T.rand(2), T.tensor([0.5, 2.0])),
    "bce target first": lambda T, F: F.binary_cross_entropy(
        T.tensor([0.5, 2.0]), T.tensor([3.0, 0.5])
    ),
    "bce input first": lambda T, F: F.binary_cross_entropy(
        T.tensor([2.0, 0.5]), T.tensor([3.0, 0.5])
    ),
    "bce int target": lambda T, F: F.binary_cross_entropy(T.rand(2), T.tensor([0, 1])),
    "bce float64 target": lambda T, F: F.binary_cross_entropy(T.rand(2), T.rand(2).double()),
    "bce int input": lambda T, F: F.binary_cross_entropy(T.tensor([0, 1]), T.tensor([0, 1])),
    "bce list": lambda T, F: F.binary_cross_entropy([0.5], T.rand(1)),
    "bce reduction": lambda T, F: F.binary_cross_entropy(T.rand(2), T.rand(2), reduction="avg"),
    "bce weight shape": lambda T, F: F.binary_cross_entropy(T.rand(3), T.rand(3), T.ones(2)),
    "bce weight 2-d": lambda T, F: F.binary_cross_entropy(
        T.rand(2, 3), T.rand(2, 3), weight=T.ones(4, 1)
    ),
    "bce weight larger": lambda T, F: F.binary_cross_entropy(T.rand(3), T.rand(3), T.ones(2, 3)),
    "bce weight requires grad": lambda T, F: F.binary_cross_entropy(
        T.rand(3), T.rand(3), T.ones(3, requires_grad=True)
    ),
    "BCELoss size": lambda T, F: T.nn.BCELoss()(T.rand(4, 1), T.rand(4)),
    "bcel size": lambda T, F: F.binary_cross_entropy_with_logits(T.randn(3), T.rand(2)),
    "bcel int input": lambda T, F: F.binary_cross_entropy_with_logits(T.tensor([0, 1]), T.rand(2)),
    "bcel int target": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(2), T.tensor([0, 1])
    ),
    "bcel pos_weight shape": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(3), T.rand(3), pos_weight=T.ones(2)
    ),
    "bcel pos_weight 2-d": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(3), T.rand(3), pos_weight=T.ones(2, 3)
    ),
    "bcel weight shape": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(3), T.rand(3), weight=T.ones(2)
    ),
    "bcel weight 2-d": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(3), T.rand(3), weight=T.ones(2, 3)
    ),
    "bcel pos_weight list": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(3), T.rand(3), pos_weight=[2.0]
    ),
    "bcel pos_weight requires grad": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(3), T.rand(3), pos_weight=T.ones(3, requires_grad=True)
    ),
    "bcel reduction": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(3), T.rand(3), reduction="batchmean"
    ),
    "bcel list": lambda T, F: F.binary_cross_entropy_with_logits([1.0], T.rand(1)),
    "l1 shapes": lambda T, F: F.l1_loss(T.randn(3), T.randn(2)),
    "l1 int mean": lambda T, F: F.l1_loss(T.tensor([1, 2]), T.tensor([0, 0])),
    "l1 bool": lambda T, F: F.l1_loss(T.tensor([True]), T.tensor([False])),
    "l1 reduction": lambda T, F: F.l1_loss(T.randn(3), T.randn(3), reduction="avg"),
    "l1 weight size": lambda T, F: F.l1_loss(T.randn(3), T.randn(3), weight=T.ones(2)),
    "l1 weight reduction": lambda T, F: F.l1_loss(
        T.randn(3), T.randn(3), weight=T.ones(3), reduction="avg"
    ),
    "l1 list": lambda T, F: F.l1_loss([1.0], T.randn(1)),
    "smooth_l1 negative beta": lambda T, F: F.smooth_l1_loss(T.randn(3), T.randn(3), beta=-1.0),
    "smooth_l1 int": lambda T, F: F.smooth_l1_loss(T.tensor([1, 2]), T.tensor([0, 0])),
    "smooth_l1 reduction": lambda T, F: F.smooth_l1_loss(T.randn(3), T.randn(3), reduction="x"),
    "smooth_l1 shapes": lambda T, F: F.smooth_l1_loss(T.randn(3), T.randn(2)),
    "smooth_l1 list": lambda T, F: F.smooth_l1_loss(T.randn(1), [1.0]),
    "huber delta 0": lambda T, F: F.huber_loss(T.randn(3), T.randn(3), delta=0.0),
    "huber negative delta": lambda T, F: F.huber_loss(T.randn(3), T.randn(3), delta=-1.0),
    "huber int": lambda T, F: F.huber_loss(T.tensor([1, 2]), T.tensor([0, 0])),
    "huber int input float target": lambda T, F: F.huber_loss(T.tensor([1, 2]), T.zeros(2)),
    "huber reduction": lambda T, F: F.huber_loss(T.randn(3), T.randn(3), reduction="avg"),
    "huber weight size": lambda T, F: F.huber_loss(T.randn(3), T.randn(3), weight=T.ones(2)),
    "huber weight reduction": lambda T, F: F.huber_loss(
        T.randn(3), T.randn(3), weight=T.ones(3), reduction="avg"
    ),
    "HuberLoss delta str": lambda T, F: T.nn.HuberLoss(delta="1"),
    "huber list": lambda T, F: F.huber_loss([1.0], T.randn(1)),
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
    assert str(ours) == str(theirs)


WARNING_CASES = {
    "l1 broadcast": lambda T, F: F.l1_loss(T.randn(3, 1), T.randn(3)),
    "l1 broadcast 0-d": lambda T, F: F.l1_loss(T.randn(3), T.tensor(1.0)),
    "smooth_l1 broadcast": lambda T, F: F.smooth_l1_loss(T.randn(3, 1), T.randn(3)),
    "huber broadcast": lambda T, F: F.huber_loss(T.randn(2, 1), T.randn(2)),
    "l1 size_average": lambda T, F: F.l1_loss(T.randn(3), T.randn(3), size_average=False),
    "smooth_l1 reduce": lambda T, F: F.smooth_l1_loss(T.randn(3), T.randn(3), reduce=False),
    "bce reduce": lambda T, F: F.binary_cross_entropy(T.rand(3), T.rand(3), reduce=False),
    "bcel size_average": lambda T, F: F.binary_cross_entropy_with_logits(
        T.randn(3), T.rand(3), size_average=True
    ),
    "Hardtanh min_value": lambda T, F: T.nn.Hardtanh(min_value=-2.0),
    "Hardtanh max_value": lambda T, F: T.nn.Hardtanh(max_value=2.0),
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
    "call",
    [
        lambda T: T.nn.functional.l1_loss(T.empty(0), T.empty(0)),
        lambda T: T.nn.functional.smooth_l1_loss(T.empty(0), T.empty(0)),
        lambda T: T.nn.functional.huber_loss(T.empty(0), T.empty(0), reduction="sum"),
        lambda T: T.nn.functional.binary_cross_entropy(T.empty(0), T.empty(0)),
        lambda T: T.nn.functional.binary_cross_entropy(T.empty(0), T.empty(0), reduction="sum"),
        lambda T: T.nn.functional.binary_cross_entropy_with_logits(T.empty(0), T.empty(0)),
        lambda T: T.nn.functional.hardtanh(T.tensor([-3, 0, 3]), -1.5, 2.7),
        lambda T: T.nn.functional.hardtanh(T.ones(2), 1.0, 1.0),
        lambda T: T.nn.functional.softplus(T.tensor([1.0, 2.0]), beta=0),
        lambda T: T.nn.functional.l1_loss(T.tensor([1, 2]), T.tensor([0, 0]), reduction="sum"),
        lambda T: T.nn.functional.smooth_l1_loss(T.tensor([1, 2]), T.zeros(2), beta=0.0),
        lambda T: T.nn.functional.huber_loss(T.zeros(2), T.tensor([1, 3])),
        lambda T: T.erf(T.tensor([True, False])),
        lambda T: T.nn.functional.leaky_relu(T.tensor([-1.0, 2.0]), T.tensor(0.5)),
        lambda T: T.nn.functional.leaky_relu(T.tensor([-1.0, 2.0]), True),
        lambda T: T.nn.functional.leaky_relu(T.tensor([-1.0, 2.0]), np.float64(0.5)),
        lambda T: T.nn.functional.elu(T.tensor([-1.0, 2.0]), T.tensor(0.5)),
        lambda T: T.nn.functional.softplus(T.tensor([-1.0, 2.0]), T.tensor(2.0)),
        lambda T: T.nn.functional.hardtanh(T.tensor([-1.0, 2.0]), T.tensor(-0.5), 1.0),
        lambda T: T.nn.functional.smooth_l1_loss(T.ones(2), T.ones(2) * 3, beta=T.tensor(0.5)),
        lambda T: T.nn.functional.huber_loss(T.ones(2), T.ones(2) * 3, delta=T.tensor(0.5)),
        lambda T: T.nn.functional.huber_loss(T.ones(2), T.ones(2) * 3, delta=True),
        lambda T: T.nn.functional.silu(T.tensor([-1.0, 2.0]), inplace="yes"),
    ],
)
def test_odd_but_valid_inputs_parity(torch, call):
    assert outcome(cl, call) == outcome(torch, call)


@pytest.mark.parametrize(
    "name",
    (
        "erf erf_ gelu silu leaky_relu leaky_relu_ elu elu_ softplus hardtanh hardtanh_ relu6 "
        "relu6_ logsigmoid mish mish_ ReLU6 LogSigmoid SELU Mish "
        "binary_cross_entropy l1_loss smooth_l1_loss huber_loss GELU SiLU LeakyReLU ELU Softplus "
        "Hardtanh Dropout BCELoss BCEWithLogitsLoss L1Loss SmoothL1Loss HuberLoss"
    ).split(),
)
def test_name_is_exposed_where_torch_exposes_it(torch, name):
    ours = (hasattr(cl, name), hasattr(cl.Tensor, name), hasattr(cl.nn.functional, name))
    theirs = (hasattr(torch, name), hasattr(torch.Tensor, name), hasattr(torch.nn.functional, name))
    assert ours == theirs, "(torch.X, Tensor.X, nn.functional.X)"
    assert hasattr(cl.nn, name) == hasattr(torch.nn, name)


# ----------------------------------------------------------------------------------------------
# 8. a small training loop: the same model, masks and losses as torch, step by step
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "act, loss",
    [
        ("GELU", "BCEWithLogitsLoss"),
        ("SiLU", "HuberLoss"),
        ("LeakyReLU", "SmoothL1Loss"),
        ("ELU", "L1Loss"),
        ("Mish", "BCEWithLogitsLoss"),
    ],
)
def test_training_loop_with_dropout_tracks_torch(torch, act, loss):
    def losses(T):
        T.manual_seed(0)
        model = T.nn.Sequential(
            T.nn.Linear(6, 16), getattr(T.nn, act)(), T.nn.Dropout(0.3), T.nn.Linear(16, 2)
        )
        criterion = getattr(T.nn, loss)()
        opt = T.optim.SGD(model.parameters(), lr=0.1)
        x, y = T.randn(32, 6), T.rand(32, 2)
        seen = []
        for _ in range(5):
            opt.zero_grad()
            value = criterion(model(x), y)
            value.backward()
            opt.step()
            seen.append(value.item())
        model.eval()
        seen.append(criterion(model(x), y).item())
        return seen

    np.testing.assert_allclose(losses(cl), losses(torch), rtol=1e-5)
