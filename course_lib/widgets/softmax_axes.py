"""Notebook 07's widget: the softmax axes explorer.

A fixed, seeded (2, 3, 4) tensor of logits is drawn as a row of heatmaps, one per index of dim 0.
Choose `dim`: the slices along it (the groups of cells that softmax turns into probabilities) are
outlined, one colour per slice, and their sums are printed. For dim 0 a slice is the same cell in
both panels, for dim 1 a column of each panel, for dim 2 a row of each panel.
`softmax_axes(dim, show)` computes everything drawn; `softmax_axes_explorer()` wraps it.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass, field

import numpy as np

from .._ops._checks import _wrap_dim
from ..creation import tensor

SHAPE = (2, 3, 4)
DIMS = (-3, -2, -1, 0, 1, 2)
SHOWS = ("logits", "softmax")
_SLICE_NAMES = {
    0: "the same cell in every panel",
    1: "a column of each panel",
    2: "a row of each panel",
}
# one colour per slice (at most 12 slices: dim 0 has 3 · 4 of them)
_COLOURS = (
    "#e4572e", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
    "#d62728", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f", "#000000",
)  # fmt: skip


def _logits() -> np.ndarray:
    """The fixed logits: seeded, rounded to one decimal so they are easy to read."""
    rng = np.random.default_rng(7)
    return np.round(rng.normal(0.0, 1.5, SHAPE), 1).astype(np.float32)


LOGITS = _logits()


@dataclass
class SoftmaxAxes:
    """What the explorer draws for one `dim`.

    `values` is the shown tensor (the logits, or softmax(logits, dim)); `groups[s]` lists the
    (i, j, k) indices of slice s, the cells softmax normalises together; `sums[s]` is the sum of
    `values` over them (1 for every slice of the softmax).
    """

    dim: int
    axis: int
    show: str
    logits: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)
    groups: list[list[tuple[int, int, int]]] = field(repr=False)
    sums: np.ndarray
    description: str


def softmax_axes(dim: int, show: str = "softmax") -> SoftmaxAxes:
    """softmax(LOGITS, dim) (course_lib's own) with the slices along `dim` and their sums.

    Args:
        dim: -3 .. 2; a negative dim counts from the end (-1 is dim 2).
        show: "softmax" (the probabilities) or "logits" (the input).

    >>> s = softmax_axes(-1)
    >>> s.axis, len(s.groups), len(s.groups[0])
    (2, 6, 4)
    """
    if show not in SHOWS:
        raise ValueError(f"show must be one of {SHOWS}, got {show!r}")
    axis = _wrap_dim(dim, len(SHAPE))  # torch's IndexError for a dim out of range
    probabilities = tensor(LOGITS).softmax(dim).numpy()
    values = probabilities if show == "softmax" else LOGITS.copy()
    others = [d for d in range(len(SHAPE)) if d != axis]
    groups = []
    for fixed in itertools.product(*(range(SHAPE[d]) for d in others)):
        cells = []
        for n in range(SHAPE[axis]):
            index = [0, 0, 0]
            index[axis] = n
            for d, i in zip(others, fixed, strict=True):
                index[d] = i
            cells.append(tuple(index))
        groups.append(cells)
    sums = np.array([sum(float(values[c]) for c in cells) for cells in groups])
    name = f"dim {dim}" if dim == axis else f"dim {dim} (that is dim {axis})"
    description = (
        f"{name}: {len(groups)} slices of {SHAPE[axis]} values, each slice is {_SLICE_NAMES[axis]}"
    )
    return SoftmaxAxes(dim, axis, show, LOGITS, values, groups, sums, description)


def _outline(axis: int, cells: list) -> tuple[int, float, float, float, float]:
    """The rectangles (panel, x, y, width, height) that outline one slice."""
    i, j, k = cells[0]
    if axis == 2:  # a row of panel i
        return [(i, -0.5, j - 0.5, SHAPE[2], 1)]
    if axis == 1:  # a column of panel i
        return [(i, k - 0.5, -0.5, 1, SHAPE[1])]
    return [(n, k - 0.5, j - 0.5, 1, 1) for n in range(SHAPE[0])]  # one cell in each panel


def sums_html(s: SoftmaxAxes) -> str:
    """The caption: which slices these are and what each sums to, in its outline colour."""
    what = "softmax(x, dim=" + str(s.dim) + ")" if s.show == "softmax" else "the logits x"
    parts = []
    for n, (cells, total) in enumerate(zip(s.groups, s.sums, strict=True)):
        free = ", ".join(":" if d == s.axis else str(c) for d, c in enumerate(cells[0]))
        parts.append(f"<span style='color:{_COLOURS[n]}'>x[{free}]</span>&nbsp;{total:.3f}")
    verdict = "every slice sums to 1" if s.show == "softmax" else "the logits' sums are arbitrary"
    return (
        f"<b>showing {html.escape(what)}</b> (in each panel, rows: dim 1, columns: dim 2)<br>"
        f"slices along {html.escape(s.description)}"
        f"<br>sums ({verdict}): " + " &nbsp; ".join(parts)
    )


def softmax_axes_explorer(dim: int = -1, show: str = "softmax"):
    """A dim dropdown and a logits / softmax toggle → the (2, 3, 4) tensor as two heatmaps with
    the slices along `dim` outlined and their sums in the caption."""
    import ipywidgets as widgets
    from matplotlib.patches import Rectangle

    from ._ui import FigureView, make_widget

    controls = {
        "dim": widgets.Dropdown(
            options=DIMS, value=dim, description="dim", layout=widgets.Layout(width="160px")
        ),
        # The label and both buttons on one line (ipywidgets 8 stacks the buttons under the label).
        "show": widgets.ToggleButtons(
            options=SHOWS,
            value=show,
            description="show",
            style={"description_width": "initial", "button_width": "80px"},
            layout=widgets.Layout(display="flex", flex_flow="row nowrap", align_items="center"),
        ),
    }
    text = widgets.HTML()
    view = FigureView(figsize=(5.2, 2.0), dpi=110, ncols=SHAPE[0])
    view.figure.set_layout_engine(None)  # fixed margins: no layout pass on every frame
    view.figure.subplots_adjust(left=0.02, right=0.98, top=0.88, bottom=0.03, wspace=0.08)
    # Text is most of the drawing time (about 0.25 ms per glyph): no ticks, no numbers in the
    # cells, short titles; the axes are named and the sums printed in the HTML caption.
    images, pool = [], []
    for i, ax in enumerate(view.axes):
        # The cells and outlines change with every frame (animated); the titles never do. The
        # cells are a mesh of quadrilaterals (a few polygons to fill, where an image is resampled
        # to every pixel), row 0 at the top as in an image.
        rows, cols = SHAPE[1], SHAPE[2]
        mesh = ax.pcolormesh(
            np.arange(cols + 1) - 0.5,
            np.arange(rows + 1) - 0.5,
            LOGITS[i],
            cmap="Blues",
            vmin=0,
            vmax=1,
            animated=True,
        )
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_aspect("equal")
        images.append(mesh)
        ax.set_title(f"x[{i}]", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    for i in range(SHAPE[0]):  # enough rectangles for the most slices any dim has (dim 0: 12)
        for _ in range(SHAPE[1] * SHAPE[2]):
            r = Rectangle((0, 0), 1, 1, fill=False, lw=2.2, visible=False, animated=True)
            view.axes[i].add_patch(r)
            pool.append((i, r))

    def update() -> SoftmaxAxes:
        s = softmax_axes(controls["dim"].value, controls["show"].value)
        lo, hi = (0.0, 1.0) if s.show == "softmax" else (float(LOGITS.min()), float(LOGITS.max()))
        for i, image in enumerate(images):
            image.set_array(s.values[i])
            image.set_clim(lo, hi)
        free = {i: [r for p, r in pool if p == i] for i in range(SHAPE[0])}
        for r in (r for _, r in pool):
            r.set_visible(False)
        for n, cells in enumerate(s.groups):
            for panel, x, y, w, h in _outline(s.axis, cells):
                r = free[panel].pop()
                inset = 0.06  # keep neighbouring outlines apart
                r.set_xy((x + inset, y + inset))
                r.set_width(w - 2 * inset)
                r.set_height(h - 2 * inset)
                r.set_edgecolor(_COLOURS[n])
                r.set_visible(True)
        view.redraw(key=(s.axis, s.show), static="titles")  # dim -1 draws what dim 2 draws
        text.value = sums_html(s)
        return s

    children = [widgets.HBox([controls["dim"], controls["show"]]), view.image, text]
    box = make_widget(children, controls, update, view)
    box.text = text
    return box


WIDGETS = {"softmax axes explorer (07)": softmax_axes_explorer}
