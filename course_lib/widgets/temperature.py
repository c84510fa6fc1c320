"""Notebook 00's first widget: softmax with a temperature slider.

`softmax_with_temperature` computes what is drawn; `temperature_widget()` wraps it in a slider
and a bar chart made of HTML (no figure, so an update is just a string).
"""

from __future__ import annotations

import html

from ..creation import tensor

LOGITS = (2.0, 1.0, 0.1, -1.0)
LABELS = ("cat", "dog", "fox", "owl")


def softmax_with_temperature(logits=LOGITS, temperature: float = 1.0) -> list[float]:
    """softmax(logits / T): a high T flattens the probabilities, a low T sharpens them."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    return (tensor(list(logits)) / temperature).softmax(dim=0).tolist()


def bars_html(probabilities, labels=LABELS) -> str:
    """One labelled horizontal bar per class, its width proportional to the probability."""
    rows = []
    for label, p in zip(labels, probabilities, strict=True):
        width = round(300 * p)
        rows.append(
            f"<div style='display:flex;align-items:center;gap:8px;font-family:monospace'>"
            f"<span style='width:3em'>{html.escape(label)}</span>"
            f"<span class='bar' style='display:inline-block;height:14px;width:{width}px;"
            f"background:#e4572e'></span><span>{p:.3f}</span></div>"
        )
    return "\n".join(rows)


def temperature_widget(logits=LOGITS, labels=LABELS):
    """A slider for T and the bars of softmax(logits / T), redrawn in place on every change."""
    import ipywidgets as widgets

    from ._ui import make_widget

    slider = widgets.FloatLogSlider(
        value=1.0,
        base=10,
        min=-1,
        max=1,
        step=0.01,
        description="temperature",
        style={"description_width": "initial"},
        readout_format=".2f",
    )
    bars = widgets.HTML()

    def update():
        probabilities = softmax_with_temperature(logits, slider.value)
        bars.value = bars_html(probabilities, labels)
        return probabilities

    box = make_widget([slider, bars], {"temperature": slider}, update)
    box.slider, box.bars = slider, bars
    return box


WIDGETS = {"softmax temperature (00)": temperature_widget}
