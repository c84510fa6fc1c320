"""The temperature widget of notebook 00, driven headless: set a control's value, the drawn data
and the display change."""

import numpy as np
import pytest

from course_lib.widgets.temperature import softmax_with_temperature, temperature_widget


def test_temperature_flattens_or_sharpens_softmax():
    cold, one, hot = (softmax_with_temperature(temperature=t) for t in (0.1, 1.0, 10.0))
    for p in (cold, one, hot):
        assert sum(p) == pytest.approx(1.0, abs=1e-6)
    assert cold[0] > 0.99 and max(hot) - min(hot) < 0.1
    z = np.array([2.0, 1.0, 0.1, -1.0])  # the widget's logits
    assert one == pytest.approx(np.exp(z) / np.exp(z).sum(), abs=1e-6)


def test_temperature_must_be_positive():
    with pytest.raises(ValueError, match="temperature must be positive"):
        softmax_with_temperature(temperature=0)


def test_moving_the_slider_redraws_the_bars():
    w = temperature_widget()
    before = w.bars.value
    w.slider.value = 0.1
    assert w.bars.value != before
    first_bar_width = int(w.bars.value.split("width:")[2].split("px")[0])
    assert first_bar_width == round(300 * softmax_with_temperature(temperature=0.1)[0])
    w.slider.value = 10.0
    assert "0.2" in w.bars.value  # near-uniform probabilities are shown
