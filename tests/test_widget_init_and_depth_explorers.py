"""Notebook 01's widgets, driven headless: the init distribution explorer and the depth explorer.

The pure functions are checked against the formulas (and, for the samples' spread, against real
torch's initialisers through the `torch` fixture); the widgets are driven by setting their
controls, and what they computed and drew must follow. Callbacks run synchronously, so an
exception inside one fails the test."""

from __future__ import annotations

import math

import numpy as np
import pytest

import course_lib as cl
from course_lib._random import Generator
from course_lib.nn import init
from course_lib.widgets import depth_explorer as depth_module
from course_lib.widgets import init_explorer as init_module
from course_lib.widgets.depth_explorer import (
    ACTIVATIONS,
    INITS,
    depth_explorer,
    depth_statistics,
    summary,
)
from course_lib.widgets.init_explorer import (
    NONLINEARITIES,
    SCHEMES,
    bin_edges,
    init_distribution,
    init_explorer,
    theory_density,
)

SQRT2 = math.sqrt(2)

# ----------------------------------------------------------------------------------------------
# init_distribution: the theory for every scheme
# ----------------------------------------------------------------------------------------------


def expected_theory(scheme, fan_in, fan_out, nonlinearity, mode):
    """(bound or None, std) straight from torch.nn.init's documented formulas."""
    if scheme == "uniform_":
        return 1.0, 1 / math.sqrt(12)
    if scheme == "normal_":
        return None, 1.0
    if scheme == "Linear default":
        return 1 / math.sqrt(fan_in), 1 / math.sqrt(3 * fan_in)
    if scheme.startswith("xavier"):
        std = init.calculate_gain(nonlinearity) * math.sqrt(2 / (fan_in + fan_out))
        return (math.sqrt(3) * std if scheme.endswith("uniform_") else None), std
    fan = fan_in if mode == "fan_in" else fan_out
    std = init.calculate_gain(nonlinearity, 0) / math.sqrt(fan)
    return (math.sqrt(3) * std if scheme.endswith("uniform_") else None), std


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("nonlinearity", ["relu", "tanh", "leaky_relu"])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_theory_matches_the_formula_and_the_samples(scheme, nonlinearity, mode):
    fan_in, fan_out = 96, 320  # non-square, so a swapped fan shows
    d = init_distribution(scheme, fan_in, fan_out, nonlinearity, mode)
    bound, std = expected_theory(scheme, fan_in, fan_out, nonlinearity, mode)
    assert d.samples.shape == (fan_in * fan_out,)
    assert d.std_theory == pytest.approx(std, rel=1e-12)
    assert d.std_measured == pytest.approx(std, rel=0.03)  # 30,720 samples
    if bound is None:
        assert d.kind == "normal" and d.low is None and d.high is None
    else:
        assert d.kind == "uniform" and d.high == pytest.approx(bound, rel=1e-12)
        assert d.samples.min() >= d.low - 1e-6 and d.samples.max() <= d.high + 1e-6
        assert d.samples.max() > d.high - 0.01 * (d.high - d.low)  # the support is filled
    assert f"{d.std_theory:.4g}" in d.formula


def test_the_default_kaiming_gain_is_the_relu_gain_and_xavier_takes_calculate_gain():
    # kaiming passes a=0 to calculate_gain, so leaky_relu means slope 0: exactly √2
    k = init_distribution("kaiming_uniform_", 128, 256, "leaky_relu", "fan_in")
    assert k.gain == SQRT2 and k.high == pytest.approx(SQRT2 * math.sqrt(3 / 128))
    # xavier gets gain=calculate_gain('leaky_relu'), whose default slope is 0.01
    x = init_distribution("xavier_uniform_", 128, 256, "leaky_relu")
    assert x.gain == pytest.approx(1.4141428569978354, rel=1e-15)


def test_mode_is_read_by_kaiming_only_and_the_nonlinearity_not_by_plain_schemes():
    for scheme in SCHEMES:
        a = init_distribution(scheme, 64, 256, "relu", "fan_in")
        b = init_distribution(scheme, 64, 256, "relu", "fan_out")
        c = init_distribution(scheme, 64, 256, "tanh", "fan_in")
        assert (a.std_theory != b.std_theory) == scheme.startswith("kaiming"), scheme
        assert ("mode" in a.uses) == scheme.startswith("kaiming"), scheme
        plain = scheme in ("uniform_", "normal_", "Linear default")
        assert (a.std_theory == c.std_theory) == plain, scheme
        assert ("nonlinearity" not in a.uses) == plain, scheme


def test_plain_schemes_ignore_the_shape_and_linear_default_only_reads_fan_in():
    for scheme in ("uniform_", "normal_"):
        assert (
            init_distribution(scheme, 4, 8).std_theory
            == init_distribution(scheme, 500, 300).std_theory
        )
    assert init_distribution("Linear default", 100, 4).high == pytest.approx(0.1)
    assert init_distribution("Linear default", 100, 400).high == pytest.approx(0.1)


def test_linear_default_is_what_nn_linear_draws():
    cl.manual_seed(3)
    layer = cl.nn.Linear(50, 200)
    d = init_distribution("Linear default", 50, 200)
    w = layer.weight.detach().numpy()
    assert np.abs(w).max() <= d.high and d.high == pytest.approx(1 / math.sqrt(50))
    assert w.std() == pytest.approx(d.std_theory, rel=0.05)


def test_seeded_and_leaves_the_global_generator_alone():
    a = init_distribution("xavier_normal_", 32, 64, seed=5).samples
    cl.manual_seed(0)
    expected_next = cl.randn(3)
    cl.manual_seed(0)
    b = init_distribution("xavier_normal_", 32, 64, seed=5).samples
    assert np.array_equal(a, b)
    assert cl.equal(cl.randn(3), expected_next)
    assert not np.array_equal(a, init_distribution("xavier_normal_", 32, 64, seed=6).samples)


def test_bin_edges_put_the_bounds_on_edges_and_the_density_integrates_to_one():
    for scheme in SCHEMES:
        d = init_distribution(scheme, 48, 80, "relu")
        edges = bin_edges(d)
        assert len(edges) == init_module.BINS + 1
        if d.kind == "uniform":
            assert np.isclose(edges, d.low).any() and np.isclose(edges, d.high).any()
        x = np.linspace(edges[0], edges[-1], 20001)
        area = np.sum(theory_density(d, x)) * (x[1] - x[0])
        assert area == pytest.approx(1.0, abs=0.01), scheme


def test_unknown_scheme_is_an_error_naming_the_choices():
    with pytest.raises(ValueError, match="unknown scheme 'he_uniform'.*xavier_uniform_"):
        init_distribution("he_uniform", 4, 4)


@pytest.mark.parametrize(
    "scheme, kwargs",
    [
        ("xavier_uniform_", {"gain": SQRT2}),
        ("xavier_normal_", {"gain": SQRT2}),
        ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
        ("kaiming_normal_", {"mode": "fan_in", "nonlinearity": "tanh"}),
    ],
)
def test_spread_matches_real_torch(torch, scheme, kwargs):
    fan_in, fan_out = 300, 700
    nonlinearity = kwargs.get("nonlinearity", "relu")
    d = init_distribution(scheme, fan_in, fan_out, nonlinearity, kwargs.get("mode", "fan_in"))
    torch.manual_seed(0)
    w = getattr(torch.nn.init, scheme)(torch.empty(fan_out, fan_in), **kwargs)
    assert float(w.std()) == pytest.approx(d.std_theory, rel=0.02)
    assert float(w.std()) == pytest.approx(d.std_measured, rel=0.03)
    if d.kind == "uniform":
        assert float(w.abs().max()) == pytest.approx(d.high, rel=1e-3)


# ----------------------------------------------------------------------------------------------
# the init explorer widget
# ----------------------------------------------------------------------------------------------


def test_init_explorer_follows_its_controls():
    box = init_explorer()
    c = box.controls
    assert box.state.scheme == "xavier_uniform_" and box.view.image.value
    image = box.view.image.value

    c["scheme"].value = "kaiming_uniform_"
    c["nonlinearity"].value = "relu"
    c["fan_in"].value = 192
    c["fan_out"].value = 64
    s = box.state
    assert (s.scheme, s.fan_in, s.fan_out, s.nonlinearity) == (
        "kaiming_uniform_", 192, 64, "relu",
    )  # fmt: skip
    assert s.samples.shape == (192 * 64,)
    assert s.high == pytest.approx(SQRT2 * math.sqrt(3 / 192))
    assert box.view.image.value != image
    assert f"{s.high:.4g}" in box.text.value and "√(3/192)" in box.text.value

    c["mode"].value = "fan_out"
    assert box.state.high == pytest.approx(SQRT2 * math.sqrt(3 / 64))
    assert not c["mode"].disabled and not c["nonlinearity"].disabled


def test_init_explorer_disables_the_controls_a_scheme_ignores():
    box = init_explorer()
    c = box.controls
    c["scheme"].value = "xavier_normal_"
    assert c["mode"].disabled and not c["nonlinearity"].disabled
    assert "mode not used by xavier_normal_" in box.text.value
    c["scheme"].value = "uniform_"
    assert c["mode"].disabled and c["nonlinearity"].disabled
    assert "support [0, 1]" in box.text.value
    c["scheme"].value = "kaiming_normal_"
    assert not c["mode"].disabled and not c["nonlinearity"].disabled


def test_init_explorer_draws_the_histogram_and_the_theory_it_computed():
    box = init_explorer()
    box.controls["scheme"].value = "xavier_normal_"
    d = box.state
    ax = box.view.axes
    hist = ax.patches[0]
    data = hist.get_data()
    values, edges = data.values, data.edges
    assert np.allclose(edges, bin_edges(d))
    assert np.allclose(values, np.histogram(d.samples, bins=edges, density=True)[0])
    density = ax.lines[0]
    x, y = density.get_data()
    assert np.allclose(y, theory_density(d, np.asarray(x)))
    assert ax.get_xlim() == pytest.approx((edges[0], edges[-1]))


def test_every_nonlinearity_and_scheme_gives_a_finite_distribution():
    for scheme in SCHEMES:
        for nonlinearity in NONLINEARITIES:
            d = init_distribution(scheme, 16, 24, nonlinearity, "fan_out")
            assert np.isfinite(d.std_measured) and d.std_theory > 0, (scheme, nonlinearity)


# ----------------------------------------------------------------------------------------------
# depth_statistics
# ----------------------------------------------------------------------------------------------


def numpy_reference(activation, init_name, depth, width, seed=0):
    """The same computation in float64 NumPy with the same weights (drawn the same way)."""
    g = Generator().manual_seed(seed)
    x = cl.randn(depth_module.BATCH, width, generator=g).numpy().astype(np.float64)
    weights = []
    for _ in range(depth):
        w = cl.empty(width, width)
        depth_module._initialise(w, init_name, activation, g)
        weights.append(w.numpy().astype(np.float64))
    r = cl.randn(depth_module.BATCH, width, generator=g).numpy().astype(np.float64)
    act = {
        "tanh": (np.tanh, lambda z, h: 1 - h**2),
        "relu": (lambda z: np.maximum(z, 0), lambda z, h: (z > 0).astype(float)),
        "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, h: h * (1 - h)),
        "linear": (lambda z: z, lambda z, h: np.ones_like(z)),
    }[activation]
    hs, zs, h = [x], [], x
    for w in weights:
        z = h @ w.T
        h = act[0](z)
        zs.append(z)
        hs.append(h)
    grad_h, grads_h, grads_w = r, [None] * depth, [None] * depth
    for layer in reversed(range(depth)):
        grads_h[layer] = grad_h
        grad_z = grad_h * act[1](zs[layer], hs[layer + 1])
        grads_w[layer] = grad_z.T @ hs[layer]
        grad_h = grad_z @ weights[layer]
    return (
        np.array([h.std() for h in hs[1:]]),
        np.array([g.std() for g in grads_h]),
        np.array([g.std() for g in grads_w]),
    )


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("init_name", ["xavier_uniform_ (gain 1)", "kaiming_normal_"])
def test_forward_and_backward_spreads_match_a_numpy_reference(activation, init_name):
    s = depth_statistics(activation, init_name, depth=6, width=24)
    forward, backward, weight_grads = numpy_reference(activation, init_name, 6, 24)
    assert s.activation_std == pytest.approx(forward, rel=1e-4)
    assert s.gradient_std == pytest.approx(backward, rel=1e-4)
    assert s.weight_gradient_std == pytest.approx(weight_grads, rel=1e-4)


def test_shapes_seed_and_the_global_generator():
    cl.manual_seed(0)
    expected_next = cl.randn(3)
    cl.manual_seed(0)
    a = depth_statistics("tanh", INITS[0], depth=7, width=32)
    assert cl.equal(cl.randn(3), expected_next)
    b = depth_statistics("tanh", INITS[0], depth=7, width=32)
    c = depth_statistics("tanh", INITS[0], depth=7, width=32, seed=1)
    assert a.activation_std.shape == a.gradient_std.shape == a.weight_gradient_std.shape == (7,)
    assert np.array_equal(a.activation_std, b.activation_std)
    assert not np.array_equal(a.activation_std, c.activation_std)
    assert a.gradient_std[-1] == pytest.approx(1.0, abs=0.05)  # the backward signal starts at r


def test_relu_vanishes_with_gain_1_and_kaiming_keeps_it():
    bad = depth_statistics("relu", "xavier_uniform_ (gain 1)", depth=20, width=128)
    good = depth_statistics("relu", "kaiming_normal_", depth=20, width=128)
    right_gain = depth_statistics("relu", INITS[1], depth=20, width=128)
    # the mean square halves at every layer: std × 2^(-1/2) per layer, 2^-9.5 over 19 layers
    assert bad.activation_std[-1] / bad.activation_std[0] == pytest.approx(2**-9.5, rel=0.5)
    assert bad.gradient_std[0] < 0.01
    for s in (good, right_gain):
        assert 0.3 < s.activation_std[-1] < 3 and 0.3 < s.gradient_std[0] < 3
    assert right_gain.gain == SQRT2 and "calculate_gain('relu')" in right_gain.init_code


def test_sigmoid_gradients_vanish_and_linear_default_shrinks_by_sqrt3_per_layer():
    s = depth_statistics("sigmoid", INITS[0], depth=20, width=128)
    assert s.gradient_std[0] < 1e-8 * s.gradient_std[-1]
    lin = depth_statistics("linear", "Linear default", depth=20, width=128)
    ratio = lin.activation_std[-1] / lin.activation_std[0]
    assert ratio == pytest.approx(3**-9.5, rel=0.5)


def test_normal_std_1_overflows_float32_and_the_summary_says_where():
    s = depth_statistics("linear", "normal_ (std 1)", depth=40, width=128)
    # std × √128 ≈ 11.3 per layer: float32's 3.4e38 is passed near layer 37
    assert s.forward_overflow is not None and 33 <= s.forward_overflow <= 40
    assert np.all(np.isfinite(s.activation_std[: s.forward_overflow - 1]))
    assert not np.isfinite(s.activation_std[-1])
    assert s.backward_overflow is not None
    assert f"forward pass from layer {s.forward_overflow} up" in summary(s)
    fine = depth_statistics("linear", "kaiming_normal_", depth=40, width=128)
    assert fine.forward_overflow is None and fine.backward_overflow is None
    assert "overflow" not in summary(fine)


def test_unknown_activation_or_init_is_an_error():
    with pytest.raises(ValueError, match="unknown activation 'elu'"):
        depth_statistics("elu", INITS[0], 3, 8)
    with pytest.raises(ValueError, match="unknown init 'orthogonal'"):
        depth_statistics("tanh", "orthogonal", 3, 8)


# ----------------------------------------------------------------------------------------------
# the depth explorer widget
# ----------------------------------------------------------------------------------------------


def test_depth_explorer_follows_its_controls():
    box = depth_explorer(depth=4, width=32)
    c = box.controls
    image = box.view.image.value
    c["activation"].value = "relu"
    c["init"].value = "kaiming_normal_"
    c["depth"].value = 12
    c["width"].value = 64
    s = box.state
    assert (s.activation, s.init, s.depth, s.width) == ("relu", "kaiming_normal_", 12, 64)
    expected = depth_statistics("relu", "kaiming_normal_", 12, 64)
    assert np.array_equal(s.activation_std, expected.activation_std)
    assert box.view.image.value != image
    fwd, bwd = box.view.axes.lines[:2]
    assert np.array_equal(fwd.get_xdata(), np.arange(1, 13))
    assert np.allclose(fwd.get_ydata(), s.activation_std)
    assert np.allclose(bwd.get_ydata(), s.gradient_std)
    assert "kaiming_normal_(w, nonlinearity=&#x27;relu&#x27;)" in box.text.value
    lo, hi = box.view.axes.get_ylim()
    assert lo <= s.activation_std.min() and hi >= s.activation_std.max()


def test_depth_explorer_shows_overflow_as_gaps_and_says_so():
    box = depth_explorer(activation="linear", init="normal_ (std 1)", depth=40, width=128)
    s = box.state
    assert s.forward_overflow is not None
    fwd = box.view.axes.lines[0]
    assert np.isnan(fwd.get_ydata()[-1])  # inf is not drawn on a log axis
    assert "overflow" in box.text.value


def test_kept_draws_give_the_numbers_of_drawing_afresh():
    """The weights are drawn once per setting and a deeper net draws only its new layers: going
    up and down in depth must give exactly what a network drawn from scratch gives."""
    for activation, init_name in [("tanh", "kaiming_normal_"), ("relu", "Linear default")]:
        seen = [depth_statistics(activation, init_name, d, 32) for d in (9, 3, 14, 9)]
        depth_module._draws.cache_clear()
        for s in seen:
            fresh = depth_statistics(activation, init_name, s.depth, 32)
            depth_module._draws.cache_clear()
            assert np.array_equal(s.activation_std, fresh.activation_std)
            assert np.array_equal(s.gradient_std, fresh.gradient_std)
            assert np.array_equal(s.weight_gradient_std, fresh.weight_gradient_std)
            assert (s.gain, s.init_code) == (fresh.gain, fresh.init_code)
    forward, _, _ = numpy_reference("relu", "Linear default", 9, 32)
    assert seen[-1].activation_std == pytest.approx(forward, rel=1e-4)
    # an init that ignores the activation shares its weights between activations
    depth_statistics("tanh", "Linear default", 5, 32)
    shared = depth_statistics("sigmoid", "Linear default", 5, 32)
    assert depth_module._draws.cache_info().currsize == 1
    forward, backward, _ = numpy_reference("sigmoid", "Linear default", 5, 32)
    assert shared.activation_std == pytest.approx(forward, rel=1e-4)
    assert shared.gradient_std == pytest.approx(backward, rel=1e-4)
    with pytest.raises(ValueError, match="depth must be at least 1"):
        depth_statistics("tanh", INITS[0], 0, 8)


def test_depth_explorer_going_back_shows_the_same_picture_and_numbers():
    box = depth_explorer(depth=6, width=32)
    c = box.controls
    first = (box.view.image.value, box.text.value, box.state.activation_std.copy())
    c["depth"].value = 7
    second = box.view.image.value
    assert second != first[0]
    c["init"].value = "kaiming_normal_"
    c["init"].value = INITS[0]
    c["depth"].value = 6
    assert box.view.image.value == first[0] and box.text.value == first[1]
    assert np.array_equal(box.state.activation_std, first[2])
    fwd = box.view.axes.lines[0]
    assert np.array_equal(fwd.get_xdata(), np.arange(1, 7))  # the artists follow too
    # the kept picture is the one a fresh widget draws for that setting
    assert depth_explorer(depth=6, width=32).view.image.value == first[0]
    c["depth"].value = 7
    assert box.view.image.value == second
