"""What every widget shares: a matplotlib figure shown as a sharp PNG and redrawn in place, and
the `controls` / `state` handles that tests and `bench/widgets.py` use to drive it without a
browser.

A widget module defines a pure function that computes what is drawn, a factory that returns a
`Widget` built on it, and `WIDGETS = {"display name": factory}` for discovery.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import struct
import zlib
from pathlib import Path

import numpy as np

# Image pixels per CSS pixel. 2 is sharp on HiDPI screens (device pixel ratio 2) and on every
# ordinary one; the browser only ever shrinks the picture, never stretches it.
SCALE = 2


def png(rgba) -> bytes:
    """An (h, w, 4) uint8 array as PNG bytes: no row filters, zlib level 1.

    A plot is mostly flat colour, which zlib alone compresses well; skipping the per-row filter
    search that general PNG encoders do makes this 2-3x faster than Pillow at level 1.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    h, w, _ = rgba.shape
    rows = np.zeros((h, 1 + 4 * w), dtype=np.uint8)  # each row starts with its filter type, 0
    rows[:, 1:] = np.asarray(rgba, dtype=np.uint8).reshape(h, 4 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


@functools.cache
def _openblas():
    """NumPy's own OpenBLAS (the one its wheels bundle), or None if this NumPy uses another."""
    root = Path(np.__file__).parent
    for folder in (root.parent / "numpy.libs", root / ".dylibs"):
        for path in sorted(folder.glob("libscipy_openblas*")):
            lib = ctypes.CDLL(str(path))  # already loaded by NumPy: the same library
            if hasattr(lib, "scipy_openblas_set_num_threads64_"):
                return lib
    return None


@contextlib.contextmanager
def one_blas_thread():
    """Run the block with NumPy's matrix products on one thread, then restore the setting.

    For a chain of small products (64x128 by 128x128) a second thread costs more than it saves:
    each product waits for both threads, and on a busy machine the wait grows to tens of
    milliseconds (a depth-explorer update measured 150-440 ms with two threads, 40-50 ms with
    one, on 2 shared cores). Does nothing if NumPy's OpenBLAS cannot be found.
    """
    lib = _openblas()
    if lib is None:
        yield
        return
    before = lib.scipy_openblas_get_num_threads64_()
    lib.scipy_openblas_set_num_threads64_(1)
    try:
        yield
    finally:
        lib.scipy_openblas_set_num_threads64_(before)


class FigureView:
    """One matplotlib Figure (not pyplot's: nothing global) displayed in an `ipywidgets.Image`.

    The figure is `figsize` inches at `dpi` CSS pixels per inch on the page, rendered with SCALE
    times as many pixels, and the image is given that fixed CSS width: the notebook's layout can
    shrink it (a narrow window) but never stretch it into a blur.

    Update the figure's artists (`set_data`, `set_height`, ...), then call `redraw()`: the same
    Image gets new PNG bytes, so the notebook shows one figure that changes, with no flicker and
    no new figure per change. Two savings, both chosen by the widget:
    - `redraw(key=...)`: `key` sums up everything drawn; a redraw with the key of the picture
      already shown does nothing (an lr change does not alter a loss curve drawn so far).
    - artists created with `animated=True` are the ones that change from frame to frame; the rest
      (axes, ticks, labels) is rendered once per `static` key and kept, and each frame draws only
      the animated artists on top of it (matplotlib's blitting).
    - `pictures=n`: the PNG bytes of the last n keys drawn are kept, and a redraw with one of
      those keys shows them again without rendering (going back to a setting seen before).
    """

    def __init__(self, figsize=(6.4, 3.6), dpi: int = 90, pictures: int = 0, **subplots):
        import ipywidgets as widgets
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=dpi * SCALE, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(**subplots)
        width = round(figsize[0] * dpi)
        self.image = widgets.Image(
            format="png", layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto")
        )
        self.shown_key = None  # the key of the picture on display
        self._backgrounds: dict = {}  # static key -> the rendered axes, ticks and labels
        self._pictures: dict = {}  # key -> PNG bytes, the most recently shown last
        self._keep = pictures

    def redraw(self, key=None, static=None) -> bool:
        """Render the figure into the image; False if `key` says it is already shown."""
        if key is not None and key == self.shown_key:
            return False
        self.shown_key = key
        if key is not None and key in self._pictures:
            self.image.value = self._pictures[key] = self._pictures.pop(key)
            return True
        animated = sorted(
            (a for ax in self.figure.axes for a in ax.get_children() if a.get_animated()),
            key=lambda a: a.get_zorder(),
        )
        if animated and static is not None and static in self._backgrounds:
            self.canvas.restore_region(self._backgrounds[static])
        else:
            self.canvas.draw()  # everything except the animated artists
            if animated and static is not None:
                if len(self._backgrounds) > 64:
                    self._backgrounds.clear()
                self._backgrounds[static] = self.canvas.copy_from_bbox(self.figure.bbox)
        for artist in animated:
            artist.axes.draw_artist(artist)
        self.image.value = png(np.asarray(self.canvas.buffer_rgba()))
        if key is not None and self._keep:
            self._pictures[key] = self.image.value
            if len(self._pictures) > self._keep:
                del self._pictures[next(iter(self._pictures))]
        return True


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
