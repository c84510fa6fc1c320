"""Notebook 01's first widget: the distribution an initialiser draws a weight from.

`init_distribution` fills a weight of shape (fan_out, fan_in) with one of torch.nn.init's schemes
(course_lib's own nn.init, seeded) and returns the samples with the theory: the bound of a
uniform scheme or the density of a normal one, the std, and the formula with the numbers filled
in. `init_explorer()` wraps it in controls and a histogram that is redrawn in place.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np

from .._random import Generator
from ..creation import empty
from ..nn import init

SCHEMES = (
    "uniform_",
    "normal_",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
    "Linear default",
)
NONLINEARITIES = ("linear", "relu", "tanh", "leaky_relu", "sigmoid")
MODES = ("fan_in", "fan_out")
BINS = 60
# The legend, as coloured marks in the HTML line under the controls (drawn by the browser, which
# is cheaper than a matplotlib legend on every frame).
_KEY_HIST = "<span style='color:#9ecae1'>■</span>"
_KEY_THEORY = "<span style='color:#e4572e'>━</span>"
_KEY_BOUND = "<span style='color:#e4572e'>╎</span>"
_KEY_STD = "<span style='color:#333333'>┆</span>"


@dataclass
class InitDistribution:
    """What the explorer draws: the sampled weights and the distribution they should follow.

    `kind` is "uniform" (support [low, high]) or "normal" (low and high are None); every scheme
    here has mean 0 except uniform_'s U(0, 1). `uses` names the settings the scheme reads
    ("fans", "nonlinearity", "mode"); it ignores the others.
    """

    scheme: str
    fan_in: int
    fan_out: int
    nonlinearity: str
    mode: str
    kind: str
    low: float | None
    high: float | None
    mean: float
    std_theory: float
    std_measured: float
    gain: float | None
    formula: str
    uses: tuple[str, ...]
    samples: np.ndarray = field(repr=False)


def _gain(scheme: str, nonlinearity: str) -> tuple[float, str]:
    """The gain the scheme uses and how it was obtained (as code)."""
    if scheme.startswith("xavier"):  # xavier takes gain=calculate_gain(...) from the caller
        return float(init.calculate_gain(nonlinearity)), f"calculate_gain('{nonlinearity}')"
    # kaiming_*(a=0, nonlinearity=...) calls calculate_gain(nonlinearity, a) with a = 0
    return float(init.calculate_gain(nonlinearity, 0)), f"calculate_gain('{nonlinearity}', 0)"


def init_distribution(
    scheme: str,
    fan_in: int,
    fan_out: int,
    nonlinearity: str = "linear",
    mode: str = "fan_in",
    seed: int = 0,
) -> InitDistribution:
    """Sample a (fan_out, fan_in) weight with `scheme` and compute the distribution it follows.

    Args:
        scheme: one of SCHEMES ("Linear default" is nn.Linear's kaiming_uniform_(a=sqrt(5))).
        fan_in, fan_out: the weight is (fan_out, fan_in), as nn.Linear stores it.
        nonlinearity: for xavier, gain = calculate_gain(nonlinearity); for kaiming it is passed
            as `nonlinearity=` (with a = 0). uniform_, normal_ and Linear default ignore it.
        mode: "fan_in" or "fan_out", read by the kaiming schemes only.
        seed: the samples come from a private generator seeded with it (the global one is
            left alone).

    >>> d = init_distribution("xavier_uniform_", 128, 256)
    >>> round(d.high, 4), d.kind
    (0.125, 'uniform')
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {SCHEMES}")
    w = empty(fan_out, fan_in)
    g = Generator().manual_seed(seed)
    gain, gain_code, low, high, uses = None, "", None, None, ("fans",)
    if scheme == "uniform_":
        init.uniform_(w, generator=g)
        kind, low, high, mean, uses = "uniform", 0.0, 1.0, 0.5, ()
        std = 1 / math.sqrt(12)
        formula = f"uniform_(w) = U(0, 1) whatever the shape; std = 1/√12 = {std:.4g}"
    elif scheme == "normal_":
        init.normal_(w, generator=g)
        kind, mean, std, uses = "normal", 0.0, 1.0, ()
        formula = "normal_(w) = N(0, 1) whatever the shape; std = 1"
    elif scheme == "Linear default":
        init.kaiming_uniform_(w, a=math.sqrt(5), generator=g)
        kind, mean = "uniform", 0.0
        high = 1 / math.sqrt(fan_in)
        low, std = -high, high / math.sqrt(3)
        formula = (
            f"kaiming_uniform_(w, a=√5): bound = 1/√fan_in = 1/√{fan_in} = {high:.4g}; "
            f"std = bound/√3 = {std:.4g}"
        )
    elif scheme.startswith("xavier"):
        gain, gain_code = _gain(scheme, nonlinearity)
        uses = ("fans", "nonlinearity")
        std = gain * math.sqrt(2.0 / (fan_in + fan_out))
        mean = 0.0
        if scheme == "xavier_uniform_":
            init.xavier_uniform_(w, gain=gain, generator=g)
            kind, high = "uniform", math.sqrt(3.0) * std
            low = -high
            formula = (
                f"xavier_uniform_(w, gain={gain:.4g}): bound = gain·√(6/(fan_in+fan_out)) = "
                f"{gain:.4g}·√(6/({fan_in}+{fan_out})) = {high:.4g}; std = bound/√3 = {std:.4g}"
            )
        else:
            init.xavier_normal_(w, gain=gain, generator=g)
            kind = "normal"
            formula = (
                f"xavier_normal_(w, gain={gain:.4g}): std = gain·√(2/(fan_in+fan_out)) = "
                f"{gain:.4g}·√(2/({fan_in}+{fan_out})) = {std:.4g}"
            )
        formula += f"   [gain = {gain_code}]"
    else:  # kaiming_uniform_ / kaiming_normal_
        gain, gain_code = _gain(scheme, nonlinearity)
        uses = ("fans", "nonlinearity", "mode")
        fan = fan_in if mode == "fan_in" else fan_out
        std, mean = gain / math.sqrt(fan), 0.0
        call = f"{scheme}(w, mode='{mode}', nonlinearity='{nonlinearity}')"
        if scheme == "kaiming_uniform_":
            init.kaiming_uniform_(w, mode=mode, nonlinearity=nonlinearity, generator=g)
            kind, high = "uniform", math.sqrt(3.0) * std
            low = -high
            formula = (
                f"{call}: bound = gain·√(3/{mode}) = {gain:.4g}·√(3/{fan}) = {high:.4g}; "
                f"std = gain/√{mode} = {std:.4g}"
            )
        else:
            init.kaiming_normal_(w, mode=mode, nonlinearity=nonlinearity, generator=g)
            kind = "normal"
            formula = f"{call}: std = gain/√{mode} = {gain:.4g}/√{fan} = {std:.4g}"
        formula += f"   [gain = {gain_code}]"
    samples = w._array.ravel()
    return InitDistribution(
        scheme=scheme,
        fan_in=fan_in,
        fan_out=fan_out,
        nonlinearity=nonlinearity,
        mode=mode,
        kind=kind,
        low=low,
        high=high,
        mean=mean,
        std_theory=std,
        std_measured=float(samples.std(dtype=np.float64)),
        gain=gain,
        formula=formula,
        uses=uses,
        samples=samples,
    )


def bin_edges(d: InitDistribution) -> np.ndarray:
    """BINS + 1 histogram edges: for a uniform scheme the support is split into BINS - 12 bins
    (so the bounds fall on edges) with 6 more bins each side; for a normal one, mean ± 4.5 std."""
    if d.kind == "uniform":
        inner = BINS - 12
        width = (d.high - d.low) / inner
        return d.low + width * np.arange(-6, inner + 7)
    return np.linspace(d.mean - 4.5 * d.std_theory, d.mean + 4.5 * d.std_theory, BINS + 1)


def theory_density(d: InitDistribution, x: np.ndarray) -> np.ndarray:
    """The density the samples should follow, evaluated at x."""
    if d.kind == "uniform":
        return np.where((x >= d.low) & (x <= d.high), 1.0 / (d.high - d.low), 0.0)
    z = (x - d.mean) / d.std_theory
    return np.exp(-0.5 * z**2) / (d.std_theory * math.sqrt(2 * math.pi))


def init_explorer(
    scheme: str = "xavier_uniform_",
    fan_in: int = 128,
    fan_out: int = 256,
    nonlinearity: str = "tanh",
    mode: str = "fan_in",
):
    """Controls for scheme, fans, nonlinearity and mode → histogram of the sampled weights with
    the theoretical density, the ±std lines and the formula with the numbers filled in."""
    import ipywidgets as widgets

    from ._ui import FigureView, make_widget

    style = {"description_width": "initial"}
    controls = {
        "scheme": widgets.Dropdown(
            options=SCHEMES, value=scheme, description="scheme", style=style
        ),
        "fan_in": widgets.IntSlider(
            value=fan_in, min=4, max=512, step=4, description="fan_in", style=style
        ),
        "fan_out": widgets.IntSlider(
            value=fan_out, min=4, max=512, step=4, description="fan_out", style=style
        ),
        "nonlinearity": widgets.Dropdown(
            options=NONLINEARITIES, value=nonlinearity, description="nonlinearity", style=style
        ),
        "mode": widgets.Dropdown(
            options=MODES, value=mode, description="mode (kaiming)", style=style
        ),
    }
    text = widgets.HTML()
    view = FigureView(figsize=(6.4, 3.2), dpi=100)
    ax = view.axes
    edges = np.linspace(-1, 1, BINS + 1)
    # What changes every frame is animated; the axes and x ticks only with the x limits (no y
    # ticks), which is redraw's static key.
    hist = ax.stairs(np.zeros(BINS), edges, fill=True, color="#9ecae1", animated=True)
    (density,) = ax.plot([], [], color="#e4572e", lw=2, animated=True)
    (bounds,) = ax.plot([], [], color="#e4572e", lw=1.2, ls="--", animated=True)
    (std_lines,) = ax.plot([], [], color="#333333", lw=1.2, ls=":", animated=True)
    # Text is most of the drawing time (about 3 ms per label here): no y ticks (the density's
    # scale says little) and the axis title in the HTML caption.
    ax.set_yticks([])
    view.figure.set_layout_engine(None)  # fixed margins: no layout pass on every frame
    view.figure.subplots_adjust(left=0.02, right=0.98, top=0.97, bottom=0.09)

    def update() -> InitDistribution:
        d = init_distribution(
            controls["scheme"].value,
            controls["fan_in"].value,
            controls["fan_out"].value,
            controls["nonlinearity"].value,
            controls["mode"].value,
        )
        controls["nonlinearity"].disabled = "nonlinearity" not in d.uses
        controls["mode"].disabled = "mode" not in d.uses
        edges = bin_edges(d)
        lo, hi = edges[0], edges[-1]
        counts, _ = np.histogram(d.samples, bins=edges, density=True)
        hist.set_data(counts, edges)
        x = np.linspace(lo, hi, 400)
        y = theory_density(d, x)
        density.set_data(x, y)
        top = 1.25 * max(float(y.max()), float(counts.max()))
        if d.kind == "uniform":
            bounds.set_data([d.low, d.low, np.nan, d.high, d.high], [0, top, np.nan, 0, top])
        else:
            bounds.set_data([], [])
        s0, s1 = d.mean - d.std_theory, d.mean + d.std_theory
        std_lines.set_data([s0, s0, np.nan, s1, s1], [0, top, np.nan, 0, top])
        ax.set_xlim(lo, hi)
        ax.set_ylim(0, top)
        # A setting the scheme does not read leaves the picture as it is: no redraw.
        key = (
            d.scheme,
            d.fan_in,
            d.fan_out,
            d.nonlinearity if "nonlinearity" in d.uses else None,
            d.mode if "mode" in d.uses else None,
        )
        view.redraw(key=key, static=(float(lo), float(hi)))
        ignored = [n for n in ("nonlinearity", "mode") if n not in d.uses]
        note = f"({' and '.join(ignored)} not used by {d.scheme})" if ignored else ""
        bound_key = f"{_KEY_BOUND} bound ±{d.high:.4g} &nbsp; " if d.kind == "uniform" else ""
        if d.scheme == "uniform_":
            bound_key = f"{_KEY_BOUND} support [0, 1] &nbsp; "
        text.value = (
            f"<code>{html.escape(d.formula)}</code><br>x: weight value, y: density &nbsp; {_KEY_HIST} {d.samples.size} sampled "
            f"weights of a ({d.fan_out}, {d.fan_in}) tensor (std {d.std_measured:.4g}) &nbsp; {_KEY_THEORY} theory &nbsp; {bound_key}{_KEY_STD} mean ± std "
            f"(theory {d.std_theory:.4g}) &nbsp; <span style='color:#555'>{html.escape(note)}</span>"
        )
        return d

    children = [
        widgets.HBox([controls["scheme"], controls["nonlinearity"], controls["mode"]]),
        widgets.HBox([controls["fan_in"], controls["fan_out"]]),
        text,
        view.image,
    ]
    box = make_widget(children, controls, update, view)
    box.text = text
    return box


WIDGETS = {"init distribution explorer (01)": init_explorer}
