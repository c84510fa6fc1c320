"""Every widget of the course, driven headless: each control, moved through a few values,
changes what the widget computed or shows, and never raises."""

import ipywidgets as widgets
import pytest

from course_lib.widgets import all_widgets, control_values
from course_lib.widgets._ui import make_widget

WIDGETS = all_widgets()


def snapshot(box):
    view = box.view.image.value if box.view is not None else None
    return repr(box.state), view, [getattr(c, "value", None) for c in box.children]


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_every_control_changes_the_widget(name):
    box = WIDGETS[name]()
    assert box.controls, f"{name} has no controls"
    if box.view is not None:
        assert box.view.image.value, f"{name} shows no figure before any change"
    for label, control in box.controls.items():
        before = snapshot(box)
        if isinstance(control, widgets.Button):
            control.click()
        else:
            for value in control_values(control)[:-1]:
                control.value = value
        assert snapshot(box) != before, f"{name}: moving {label!r} changed nothing"


def test_an_exception_inside_a_callback_is_not_swallowed():
    """Every widget is built by make_widget, whose callbacks are plain `observe` handlers: an
    error while redrawing reaches the code that moved the control (the test, or nbval in a
    notebook), where `interact` would only log it."""
    slider = widgets.IntSlider(value=0)

    def update():
        if slider.value == 3:
            raise RuntimeError("redraw failed")
        return slider.value

    box = make_widget([slider], {"n": slider}, update)
    slider.value = 2
    assert box.state == 2
    with pytest.raises(RuntimeError, match="redraw failed"):
        slider.value = 3


def drawn_texts(figure) -> list:
    """Every piece of text the figure draws: titles, axis labels, the tick labels inside the view
    limits, figure texts and legends."""
    from matplotlib.text import Text

    texts = list(figure.texts)
    for ax in figure.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if lo <= tick.get_loc() <= hi:
                    texts += [tick.label1, tick.label2]
        if ax.get_legend() is not None:
            texts += ax.get_legend().findobj(Text)
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def layout_problems(figure) -> list[str]:
    """Text that leaves the image, and text that overlaps other text, measured with matplotlib's
    own extents of the rendered glyphs."""
    figure.canvas.draw()  # positions every tick for the current limits
    renderer = figure.canvas.get_renderer()
    page = figure.bbox
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in drawn_texts(figure)]
    problems = [
        f"{text!r} at x {box.x0:.0f}..{box.x1:.0f}, y {box.y0:.0f}..{box.y1:.0f} leaves the "
        f"{page.width:.0f}x{page.height:.0f} image"
        for text, box in boxes
        if box.x0 < page.x0 - 0.5
        or box.y0 < page.y0 - 0.5
        or box.x1 > page.x1 + 0.5
        or box.y1 > page.y1 + 0.5
    ]
    for i, (text, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :]:
            overlap = (
                min(box.x1, other_box.x1) - max(box.x0, other_box.x0),
                min(box.y1, other_box.y1) - max(box.y0, other_box.y0),
            )
            if overlap[0] > 0.5 and overlap[1] > 0.5:
                problems.append(f"{text!r} overlaps {other!r}")
    return problems


FIGURES = sorted(name for name, factory in WIDGETS.items() if factory().view is not None)


@pytest.mark.parametrize("name", FIGURES)
def test_every_text_of_the_figure_is_inside_it_and_apart(name):
    """In every state the other tests visit (each control through its values), no title, tick
    label or axis label is cut off at the image's edge or drawn over another one."""
    box = WIDGETS[name]()
    figure = box.view.figure
    states = ["initial"]
    assert layout_problems(figure) == [], f"{name}, initial state"
    for label, control in box.controls.items():
        moves = [None] if isinstance(control, widgets.Button) else control_values(control)
        for value in moves:
            if value is None:
                control.click()
            else:
                control.value = value
            states.append(f"{label}={value}")
            assert layout_problems(figure) == [], f"{name}, {label} = {value}"
    assert len(states) > len(box.controls)


@pytest.mark.parametrize("name", FIGURES)
def test_the_figure_is_rendered_for_its_display_width_at_twice_the_pixels(name):
    """The image is shown at a fixed CSS width (never stretched by the layout) and holds twice as
    many pixels across, so it stays sharp on a screen with device pixel ratio 2."""
    import io

    import PIL.Image

    from course_lib.widgets._ui import SCALE

    view = WIDGETS[name]().view
    css_width = view.image.layout.width
    assert css_width.endswith("px"), f"{name}: display width {css_width!r} is not fixed"
    pixels = PIL.Image.open(io.BytesIO(view.image.value)).size
    assert pixels[0] >= SCALE * float(css_width[:-2]) - 1, (name, pixels, css_width)


def test_the_readme_shows_a_screenshot_of_every_widget():
    """docs/images/ holds one picture per widget (`make screenshots` copies the browser tests'),
    and the README's notebook table shows each."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text()
    table = readme[readme.index("## The notebooks") : readme.index("## What's inside")]
    for name in WIDGETS:
        slug = re.sub(r"[^\w.-]+", "_", name).strip("_").lower().replace("_", "-")
        path = f"docs/images/{slug}.png"
        assert (root / path).is_file(), f"{name}: no screenshot at {path} (make screenshots)"
        assert f'src="{path}"' in table, f"{name}: the README's notebook table does not show {path}"
