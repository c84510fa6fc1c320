"""What every widget shares: a matplotlib figure shown as a PNG and redrawn in place, and the
`controls` / `state` handles that tests and `bench/widgets.py` use to drive it without a browser.

A widget module defines a pure function that computes what is drawn, a factory that returns a
`Widget` built on it, and `WIDGETS = {"display name": factory}` for discovery.
"""

from __future__ import annotations

import io


class FigureView:
    """One matplotlib Figure (not pyplot's: nothing global) displayed in an `ipywidgets.Image`.

    Update the figure's artists (`set_data`, `set_height`, ...), then call `redraw()`: the same
    Image gets new PNG bytes, so the notebook shows one figure that changes, with no flicker and
    no new figure per change.
    """

    def __init__(self, figsize=(6.4, 3.6), dpi: int = 90, **subplots):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.axes = self.figure.subplots(**subplots)
        self.image = widgets.Image(format="png")

    def redraw(self) -> None:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})  # fast
        self.image.value = buffer.getvalue()


def make_widget(children, controls: dict, update, view: FigureView | None = None):
    """A VBox of `children` whose `controls` call `update()` on every change.

    `update()` recomputes and redraws; what it returns is kept as `box.state` (the computed data,
    for tests). Callbacks are plain `observe` handlers, so an exception in one is not swallowed.
    """
    import ipywidgets as widgets

    box = widgets.VBox(children)
    box.controls, box.view, box.state = controls, view, None

    def on_change(change=None):
        box.state = update()

    for control in controls.values():
        if isinstance(control, widgets.Button):
            control.on_click(lambda _button: on_change())
        else:
            control.observe(on_change, names="value")
    on_change()
    return box
