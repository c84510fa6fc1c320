"""Notebook 01's second widget: how the spread of activations and gradients changes with depth.

`depth_statistics` pushes a batch through `depth` square layers h ← act(h Wᵀ) (width × width, no
bias) with a chosen activation and initialisation, runs course_lib's autograd backward from a
fixed random direction, and returns per layer the std of the layer's output (forward) and the std
of the gradient of the loss with respect to that output (backward), plus the std of each weight's
gradient. `depth_explorer()` plots the first two on a log scale, so vanishing (a curve falling
away from 1) and exploding (rising) are plain to see.
"""

from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass

import numpy as np

from .._random import Generator
from ..creation import empty, from_numpy, randn
from ..nn import init

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
INITS = (
    "xavier_uniform_ (gain 1)",
    "xavier_uniform_ (gain for the activation)",
    "kaiming_normal_",
    "Linear default",
    "normal_ (std 1)",
)
BATCH = 64
_FORWARD, _BACKWARD = "#1f77b4", "#e4572e"
# The legend, drawn by the browser in the HTML line (cheaper than a matplotlib legend per frame).
_KEY = (
    "x: layer (1 = nearest the input), y: std on a log scale (dotted line: 1) &nbsp; "
    f"<span style='color:{_FORWARD}'>●━</span> forward: std of each layer's output h &nbsp; "
    f"<span style='color:{_BACKWARD}'>■━</span> backward: std of ∂loss/∂h at each layer"
)


@dataclass
class DepthStatistics:
    """Per-layer spreads for one setting; index 0 is layer 1, the one nearest the input.

    activation_std[l]:        std of layer l's output h_l = act(h_{l-1} W_lᵀ) (the input has std 1).
    gradient_std[l]:          std of ∂loss/∂h_l, the gradient flowing back into layer l's output
                              (at the last layer it is the fixed direction r, std about 1).
    weight_gradient_std[l]:   std of ∂loss/∂W_l, the gradient SGD would use for that layer.
    inf where the float32 values overflowed; 0 where every gradient was exactly zero.
    """

    activation: str
    init: str
    depth: int
    width: int
    gain: float | None
    init_code: str
    activation_std: np.ndarray
    gradient_std: np.ndarray
    weight_gradient_std: np.ndarray

    @property
    def forward_overflow(self) -> int | None:
        """The first layer (1-based) whose output is not finite (float32 overflow), or None."""
        bad = ~np.isfinite(self.activation_std)
        return int(np.argmax(bad)) + 1 if bad.any() else None

    @property
    def backward_overflow(self) -> int | None:
        """The last layer (1-based) whose ∂loss/∂h is not finite, counting down from the top
        (where the backward pass starts), or None."""
        bad = ~np.isfinite(self.gradient_std)
        return int(np.flatnonzero(bad)[-1]) + 1 if bad.any() else None


def _std(a: np.ndarray) -> float:
    if not np.all(np.isfinite(a)):
        return math.inf
    return float(a.std(dtype=np.float64))


def _initialise(w, init_name: str, activation: str, g: Generator) -> tuple[float | None, str]:
    """Fill w in place with the chosen scheme; return (the gain used or None, the call as code)."""
    nonlinearity = activation  # calculate_gain knows 'tanh', 'relu', 'sigmoid' and 'linear'
    if init_name == "xavier_uniform_ (gain 1)":
        init.xavier_uniform_(w, gain=1.0, generator=g)
        return 1.0, "xavier_uniform_(w)"
    if init_name == "xavier_uniform_ (gain for the activation)":
        gain = float(init.calculate_gain(nonlinearity))
        init.xavier_uniform_(w, gain=gain, generator=g)
        return gain, f"xavier_uniform_(w, gain=calculate_gain('{nonlinearity}'))  # {gain:.4g}"
    if init_name == "kaiming_normal_":
        gain = float(init.calculate_gain(nonlinearity, 0))
        init.kaiming_normal_(w, nonlinearity=nonlinearity, generator=g)
        return gain, f"kaiming_normal_(w, nonlinearity='{nonlinearity}')  # gain {gain:.4g}"
    if init_name == "Linear default":
        init.kaiming_uniform_(w, a=math.sqrt(5), generator=g)
        return None, "kaiming_uniform_(w, a=√5)  # U(±1/√width), as nn.Linear"
    if init_name == "normal_ (std 1)":
        init.normal_(w, generator=g)
        return None, "normal_(w)  # N(0, 1), ignores the width"
    raise ValueError(f"unknown init {init_name!r}; choose one of {INITS}")


class _Draws:
    """The random numbers of one (activation, init, width, seed), drawn once and kept.

    The generator gives, in this order: the input x, the weights of layer 1, 2, ..., then the
    direction r. The weights of a deeper network start with those of a shallower one, so they
    are kept with the generator's state after each layer: `take(depth)` draws only the layers not
    drawn yet and then r from the state after layer `depth`, the same numbers as drawing it all
    afresh (the normal draws of kaiming_normal_ and normal_ take 70-100 ms for 20 layers).
    """

    def __init__(self, activation: str | None, init_name: str, width: int, seed: int):
        self.activation, self.init_name, self.width = activation, init_name, width
        self.generator = Generator().manual_seed(seed)
        self.x = randn(BATCH, width, generator=self.generator)
        self.weights: list[np.ndarray] = []  # float32 (width, width), layer 1 first
        self.states: list = []  # the generator's state after each layer's weights
        self.gain: float | None = None
        self.code = ""

    def take(self, depth: int):
        """(x, the first `depth` weights as arrays, r, gain, init code) for a `depth`-layer net."""
        while len(self.weights) < depth:
            w = empty(self.width, self.width)
            self.gain, self.code = _initialise(w, self.init_name, self.activation, self.generator)
            self.weights.append(w.numpy())
            self.states.append(self.generator.get_state())
        if depth < 1:
            raise ValueError(f"depth must be at least 1, got {depth}")
        after = Generator().set_state(self.states[depth - 1])
        r = randn(BATCH, self.width, generator=after)
        return self.x, self.weights[:depth], r, self.gain, self.code


@functools.lru_cache(maxsize=4)  # 50 layers of 256 x 256 float32 are 13 MB
def _draws(activation: str | None, init_name: str, width: int, seed: int) -> _Draws:
    return _Draws(activation, init_name, width, seed)


def depth_statistics(
    activation: str, init: str, depth: int, width: int, seed: int = 0
) -> DepthStatistics:
    """Forward and backward spreads through `depth` layers h ← act(h Wᵀ), W of shape (width, width).

    The input is a (64, width) batch of N(0, 1) values and the loss is (h_last · r).sum() for a
    fixed N(0, 1) matrix r, so both signals start with std 1: the forward one at the input, the
    backward one at the top; what the layers do to them is what the curves show. Everything is
    float32, as in torch, so a signal that keeps growing overflows to inf. The random numbers
    come from a private generator seeded with `seed` (the global one is left alone).

    >>> s = depth_statistics("relu", "xavier_uniform_ (gain 1)", depth=10, width=64)
    >>> bool(s.activation_std[-1] < 0.1 * s.activation_std[0])  # ReLU halves the variance per layer
    True
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {ACTIVATIONS}")
    # only the inits with the activation's gain read it: the others share their draws
    reads_activation = init in ("xavier_uniform_ (gain for the activation)", "kaiming_normal_")
    draws = _draws(activation if reads_activation else None, init, width, seed)
    x, arrays, r, gain, code = draws.take(depth)
    weights = [from_numpy(a.copy()).requires_grad_() for a in arrays]
    h, outputs = x, []
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for w in weights:
            z = h @ w.T
            if activation == "tanh":
                h = z.tanh()
            elif activation == "relu":
                h = z.relu()
            elif activation == "sigmoid":
                h = z.sigmoid()
            else:
                h = z * 1.0  # a new node per layer, so that its gradient can be kept
            h.retain_grad()
            outputs.append(h)
        (h * r).sum().backward()
        activation_std = np.array([_std(o._array) for o in outputs])
        gradient_std = np.array([_std(o.grad._array) for o in outputs])
        weight_gradient_std = np.array([_std(w.grad._array) for w in weights])
    return DepthStatistics(
        activation=activation,
        init=init,
        depth=depth,
        width=width,
        gain=gain,
        init_code=code,
        activation_std=activation_std,
        gradient_std=gradient_std,
        weight_gradient_std=weight_gradient_std,
    )


def _log_limits(*series: np.ndarray) -> tuple[float, float]:
    """Decade-rounded y-limits around the finite, positive values (at least 1e-3 to 1e1)."""
    values = np.concatenate([s[np.isfinite(s) & (s > 0)] for s in series] + [np.array([1.0])])
    lo = min(1e-3, 10.0 ** math.floor(math.log10(values.min())))
    hi = max(1e1, 10.0 ** math.ceil(math.log10(values.max())))
    return max(lo, 1e-40), min(hi, 1e40)


def _decade(value: float, _position=None) -> str:
    """A log-axis tick label as plain text: 1, 10, 0.1, 1e+06, 1e-09."""
    return f"{value:g}"


def summary(s: DepthStatistics) -> str:
    """What happened between the first layer and the last, in one line."""
    a0, a1 = s.activation_std[0], s.activation_std[-1]
    g0, g1 = s.gradient_std[0], s.gradient_std[-1]
    w0, w1 = s.weight_gradient_std[0], s.weight_gradient_std[-1]
    text = (
        f"forward: output std {a0:.3g} at layer 1 → {a1:.3g} at layer {s.depth};  "
        f"backward: ∂loss/∂h std {g1:.3g} at layer {s.depth} → {g0:.3g} at layer 1;  "
        f"∂loss/∂W std: layer 1 {w0:.3g}, layer {s.depth} {w1:.3g}"
    )
    if s.forward_overflow is not None:
        text += f";  float32 overflow (inf) in the forward pass from layer {s.forward_overflow} up"
    if s.backward_overflow is not None:
        text += f";  in the backward pass from layer {s.backward_overflow} down"
    if s.forward_overflow is None and np.any(s.gradient_std == 0):
        text += ";  some gradients are exactly 0 (saturated units)"
    return text


def depth_explorer(
    activation: str = "tanh",
    init: str = "xavier_uniform_ (gain 1)",
    depth: int = 20,
    width: int = 128,
):
    """Controls for activation, init, depth and width → the std of each layer's output (forward)
    and of ∂loss/∂h at each layer (backward) on a log scale, redrawn in place."""
    import ipywidgets as widgets
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

    from ._ui import FigureView, make_widget, one_blas_thread

    style = {"description_width": "initial"}
    controls = {
        "activation": widgets.Dropdown(
            options=ACTIVATIONS, value=activation, description="activation", style=style
        ),
        "init": widgets.Dropdown(
            options=INITS,
            value=init,
            description="init",
            style=style,
            layout=widgets.Layout(width="380px"),
        ),
        "depth": widgets.IntSlider(value=depth, min=2, max=50, description="depth", style=style),
        "width": widgets.IntSlider(
            value=width, min=32, max=256, step=32, description="width", style=style
        ),
    }
    text = widgets.HTML()
    view = FigureView(figsize=(6.4, 3.2), dpi=100, pictures=64)
    view.figure.set_layout_engine(None)  # fixed margins: tick labels change width (1e+36)
    view.figure.subplots_adjust(left=0.11, right=0.98, top=0.97, bottom=0.09)
    ax = view.axes
    ax.set_yscale("log")
    # Text is most of the drawing time (about 3 ms per label here): a few plain-text tick labels
    # (mathtext is slower still), no minor ticks, and the axis titles in the HTML caption.
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.yaxis.set_major_locator(LogLocator(numticks=5))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(_decade))
    # The two curves change every frame; the axes and ticks only with the limits (redraw's static).
    (fwd,) = ax.plot([], [], "o-", ms=3, color=_FORWARD, animated=True)
    (bwd,) = ax.plot([], [], "s-", ms=3, color=_BACKWARD, animated=True)
    ax.axhline(1.0, color="#999999", lw=0.8, ls=":")

    computed: dict[tuple, DepthStatistics] = {}  # setting -> its statistics, for going back

    def update() -> DepthStatistics:
        setting = tuple(controls[name].value for name in ("activation", "init", "depth", "width"))
        s = computed.get(setting)
        if s is None:
            with one_blas_thread():  # 60 small products in a chain: one thread is faster
                s = computed[setting] = depth_statistics(*setting)
        layers = np.arange(1, s.depth + 1)
        shown = lambda v: np.where(np.isfinite(v) & (v > 0), v, np.nan)  # log axis: no 0/inf
        fwd.set_data(layers, shown(s.activation_std))
        bwd.set_data(layers, shown(s.gradient_std))
        limits = (s.depth, _log_limits(s.activation_std, s.gradient_std))
        ax.set_xlim(0.5, s.depth + 0.5)
        ax.set_ylim(*limits[1])
        view.redraw(key=setting, static=limits)
        text.value = (
            f"<code>{html.escape(s.init_code)}</code><br>{_KEY}<br>{html.escape(summary(s))}"
        )
        return s

    children = [
        widgets.HBox([controls["activation"], controls["init"]]),
        widgets.HBox([controls["depth"], controls["width"]]),
        text,
        view.image,
    ]
    box = make_widget(children, controls, update, view)
    box.text = text
    return box


WIDGETS = {"depth explorer (01)": depth_explorer}
