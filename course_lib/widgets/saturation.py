"""Notebook 08's widget: how tanh, sigmoid and relu respond to pre-activations of growing spread.

`saturation(scale)` draws n pre-activations z ~ N(0, scale²) and returns, for each activation,
histograms of its outputs act(z) and of its slopes act′(z), and the fraction of saturated units
(slope below 0.01; for relu, slope exactly 0). `saturation_explorer()` shows the six histograms
(top row: outputs, bottom row: slopes) and redraws them in place when the scale slider moves.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

ACTIVATIONS = ("tanh", "sigmoid", "relu")
THRESHOLD = 0.01  # a unit whose slope is below this passes on less than 1% of its gradient
BINS = 30
# Fixed bin edges for the outputs (relu's grow with the scale) and for the slopes.
# relu's output is drawn divided by σ: relu(σε)/σ = relu(ε), the same histogram at every scale.
_OUTPUT_RANGE = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "relu": (0.0, 3.0)}
_SLOPE_RANGE = {"tanh": (0.0, 1.0), "sigmoid": (0.0, 0.25), "relu": (0.0, 1.0)}
_COLOURS = {"tanh": "#1f77b4", "sigmoid": "#2ca02c", "relu": "#e4572e"}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e⁻ᶻ), without overflow warnings


def activation_and_slope(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(act(z), act′(z)) for 'tanh' (1 − tanh²), 'sigmoid' (σ(1 − σ)) or 'relu' (1 where z > 0)."""
    if name == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t**2
    if name == "sigmoid":
        s = _sigmoid(z)
        return s, s * (1.0 - s)
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(z.dtype)
    raise ValueError(f"unknown activation {name!r}; choose one of {ACTIVATIONS}")


@dataclass
class Histogram:
    edges: np.ndarray  # BINS + 1 edges
    fractions: np.ndarray  # BINS values: the fraction of the n units in each bin (sums to 1)


@dataclass
class Saturation:
    """What the widget draws for one scale.

    outputs[a], slopes[a]:   histograms of act(z) and act′(z) for activation a (values outside
                             the edges are counted in the end bins); relu's output histogram is
                             of relu(z)/σ, in units of the input std.
    saturated[a]:            fraction of units whose slope is below THRESHOLD (0.01).
    zero_slope[a]:           fraction whose slope is exactly 0 (relu: the units with z ≤ 0).
    """

    scale: float
    n: int
    outputs: dict[str, Histogram] = field(default_factory=dict)
    slopes: dict[str, Histogram] = field(default_factory=dict)
    saturated: dict[str, float] = field(default_factory=dict)
    zero_slope: dict[str, float] = field(default_factory=dict)


def _histogram(values: np.ndarray, lo: float, hi: float) -> Histogram:
    edges = np.linspace(lo, hi, BINS + 1)
    counts, _ = np.histogram(np.clip(values, lo, hi), bins=edges)
    return Histogram(edges, counts / values.size)


def saturation(scale: float, n: int = 4000, seed: int = 0) -> Saturation:
    """Histograms of act(z) and act′(z), z ~ N(0, scale²), for tanh, sigmoid and relu.

    The same seed gives the same standard normal draws at every scale (z = scale · ε), so moving
    the scale changes only the spread. The global course_lib generator is not touched.

    >>> s = saturation(5.0)
    >>> s.saturated["tanh"] > saturation(0.5).saturated["tanh"]  # wider input, more saturation
    True
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    z = scale * np.random.default_rng(seed).standard_normal(n)
    result = Saturation(scale=float(scale), n=n)
    for name in ACTIVATIONS:
        out, slope = activation_and_slope(name, z)
        shown = out / scale if name == "relu" else out
        result.outputs[name] = _histogram(shown, *_OUTPUT_RANGE[name])
        result.slopes[name] = _histogram(slope, *_SLOPE_RANGE[name])
        result.saturated[name] = float(np.mean(slope < THRESHOLD))
        result.zero_slope[name] = float(np.mean(slope == 0))
    return result


def caption(s: Saturation) -> str:
    """One line: the fraction of saturated units per activation."""
    parts = [
        f"tanh {s.saturated['tanh']:.1%}",
        f"sigmoid {s.saturated['sigmoid']:.1%}",
        f"relu {s.saturated['relu']:.1%} (slope exactly 0)",
    ]
    return f"z ~ N(0, {s.scale:.3g}²), {s.n} units; slope < {THRESHOLD}: " + ", ".join(parts)


def saturation_explorer(scale: float = 1.0):
    """A log slider for the spread σ of the pre-activations → histograms of tanh, sigmoid and
    relu outputs (top) and slopes (bottom), with the fraction of saturated units below."""
    import ipywidgets as widgets
    from matplotlib.ticker import MaxNLocator

    from ._ui import FigureView, make_widget

    controls = {
        "scale": widgets.FloatLogSlider(
            value=scale,
            base=10,
            min=-1,
            max=1,
            step=0.05,
            description="input std σ",
            style={"description_width": "initial"},
            readout_format=".3g",
        )
    }
    text = widgets.HTML()
    view = FigureView(figsize=(6.4, 3.4), dpi=100, nrows=2, ncols=3)
    view.figure.set_layout_engine(None)
    view.figure.subplots_adjust(left=0.06, right=0.98, top=0.92, bottom=0.08, hspace=0.5)
    first = saturation(scale)
    bars = {}
    for col, name in enumerate(ACTIVATIONS):
        for row, (kind, hists) in enumerate((("output", first.outputs), ("slope", first.slopes))):
            ax = view.axes[row, col]
            h = hists[name]
            # One filled step outline per histogram (one artist, not one patch per bar: 4 times
            # faster to draw), animated: drawn on top of the axes, ticks and titles, which never
            # change and are rendered once (blitting).
            bars[kind, name] = ax.stairs(
                h.fractions, h.edges, fill=True, color=_COLOURS[name], animated=True
            )
            ax.set_ylim(0, 1)
            ax.set_xlim(h.edges[0], h.edges[-1])
            ax.set_xticks([h.edges[0], (h.edges[0] + h.edges[-1]) / 2, h.edges[-1]])
            # The end labels inside the axes' width: none leaves the figure at the right edge,
            # and the first clears the y axis's 0 at the origin.
            for tick, align in zip(ax.get_xticklabels(), ("left", "center", "right"), strict=True):
                tick.set_horizontalalignment(align)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=2))
            label = f"{name}(z)" if kind == "output" else f"{name}′(z)"
            if (kind, name) == ("output", "relu"):
                label = "relu(z) / σ"
            ax.set_title(label, fontsize=10, pad=2)
            ax.tick_params(labelsize=8, length=2, pad=1)

    def update() -> Saturation:
        s = saturation(controls["scale"].value)
        for (kind, name), step in bars.items():
            step.set_data((s.outputs if kind == "output" else s.slopes)[name].fractions)
        view.redraw(key=s.scale, static="axes")
        text.value = (
            "top: the outputs act(z), bottom: the slopes act′(z); y: fraction of units per bin"
            f"<br>{html.escape(caption(s))}"
        )
        return s

    box = make_widget([controls["scale"], view.image, text], controls, update, view)
    box.text = text
    return box


WIDGETS = {"saturation explorer (08)": saturation_explorer}
