"""Notebook 08's saturation explorer: the pure function `saturation` and the widget around it."""

import numpy as np
import pytest

import course_lib as cl
from course_lib.widgets import saturation as saturation_module
from course_lib.widgets.saturation import (
    ACTIVATIONS,
    BINS,
    THRESHOLD,
    saturation,
    saturation_explorer,
)

SCALES = [0.1, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0]


def test_fraction_saturated_grows_with_the_scale_for_tanh_and_sigmoid():
    for name in ("tanh", "sigmoid"):
        fractions = [saturation(s).saturated[name] for s in SCALES]
        assert all(a <= b for a, b in zip(fractions, fractions[1:])), (name, fractions)
        assert fractions[0] == 0.0 and fractions[-1] > 0.5, (name, fractions)
    # tanh saturates first: tanh(x) = 2σ(2x) − 1 is sigmoid squeezed by 2 along x
    assert saturation(3.0).saturated["tanh"] > saturation(3.0).saturated["sigmoid"]


def test_fraction_saturated_is_the_slope_below_the_threshold_counted_directly():
    z = 5.0 * np.random.default_rng(0).standard_normal(4000)
    s = saturation(5.0)
    t = np.tanh(z)
    sig = 1 / (1 + np.exp(-z))
    assert s.saturated["tanh"] == pytest.approx(np.mean(1 - t**2 < THRESHOLD))
    assert s.saturated["sigmoid"] == pytest.approx(np.mean(sig * (1 - sig) < THRESHOLD))
    # torch.nn's numbers for σ = 5: about half the tanh units have slope below 0.01
    assert 0.45 < s.saturated["tanh"] < 0.6


def test_relu_has_slope_zero_for_half_the_units_at_every_scale():
    for scale in SCALES:
        s = saturation(scale, n=20000)
        assert s.zero_slope["relu"] == pytest.approx(0.5, abs=0.02)
        assert s.saturated["relu"] == s.zero_slope["relu"]
        if scale <= 3:  # (beyond |z| ≈ 19, float64 tanh is exactly ±1: slope exactly 0)
            assert s.zero_slope["tanh"] == 0.0
        # the bottom-right histogram: all units sit in the first or the last bin
        slopes = s.slopes["relu"].fractions
        assert slopes[0] == pytest.approx(0.5, abs=0.02) and slopes[0] + slopes[-1] == 1.0


def test_histograms_hold_every_unit_on_fixed_edges():
    s = saturation(2.0, n=1000)
    for name in ACTIVATIONS:
        for h in (s.outputs[name], s.slopes[name]):
            assert len(h.edges) == BINS + 1 and len(h.fractions) == BINS
            assert h.fractions.sum() == pytest.approx(1.0)
    assert s.slopes["sigmoid"].edges[-1] == 0.25  # sigmoid's slope is at most 1/4
    assert (s.outputs["tanh"].edges[0], s.outputs["tanh"].edges[-1]) == (-1.0, 1.0)
    # small inputs: tanh′ near 1, every unit in the last slope bin
    assert saturation(0.02).slopes["tanh"].fractions[-1] == 1.0


def test_seeded_and_leaves_the_global_generator_alone():
    cl.manual_seed(0)
    expected_next = cl.randn(3)
    cl.manual_seed(0)
    a = saturation(2.0)
    assert cl.equal(cl.randn(3), expected_next)
    b = saturation(2.0)
    c = saturation(2.0, seed=1)
    assert np.array_equal(a.outputs["tanh"].fractions, b.outputs["tanh"].fractions)
    assert not np.array_equal(a.outputs["tanh"].fractions, c.outputs["tanh"].fractions)


def test_bad_arguments_are_errors():
    with pytest.raises(ValueError, match="scale must be positive"):
        saturation(0.0)
    with pytest.raises(ValueError, match="unknown activation 'elu'"):
        saturation_module.activation_and_slope("elu", np.zeros(3))


def test_explorer_follows_the_slider_and_the_image_changes():
    box = saturation_explorer()
    image = box.view.image.value
    assert image and box.state.scale == pytest.approx(1.0)
    box.controls["scale"].value = 5.0
    s = box.state
    assert s.scale == pytest.approx(5.0)
    assert box.view.image.value != image
    expected = saturation(5.0)
    assert s.saturated == expected.saturated
    steps = [a for a in box.view.figure.get_children()[1].get_children() if hasattr(a, "get_data")]
    drawn = steps[0].get_data()
    assert np.allclose(drawn.values, expected.outputs["tanh"].fractions)
    assert f"tanh {expected.saturated['tanh']:.1%}" in box.text.value
    image = box.view.image.value
    box.controls["scale"].value = 0.2
    assert box.view.image.value != image and box.state.saturated["tanh"] == 0.0
