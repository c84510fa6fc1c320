"""Every widget of the course, in its notebook in a real browser, moved control by control.

For each control the test does what a learner does (drags a slider and uses its keyboard keys,
picks a dropdown option, clicks a toggle or a button, types into a combobox) and makes the same
change to the same widget built in the test process. It then waits until the page shows exactly
what the course's code computes for the new values: the same text, the same PNG bytes. (What that
code computes is checked headless in tests/test_widgets_*.py.) Each control must change the view;
a control with no visible effect fails the test. Before and after the moves, every figure must be
shown without stretching its pixels and every control label in full. A screenshot of each widget
is saved (`make screenshots` copies them to docs/images/).
"""

from __future__ import annotations

import json

import ipywidgets as widgets
import pytest
from lab_page import (
    browser_view,
    cell,
    control_locator,
    images,
    option_label,
    readout,
    truncated_labels,
    upscale,
    view,
    wait_for_change,
    wait_for_view,
)
from lab_server import ROOT

from course_lib.widgets import all_widgets, control_values

WIDGETS = all_widgets()
SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider)
CHOICES = (widgets.Dropdown, widgets.ToggleButtons, widgets.Combobox)


def where_shown(factory) -> tuple[str, int]:
    """(notebook, cell index) of the solution cell that ends with `factory()`."""
    call = f"{factory.__name__}()"
    for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")):
        for i, c in enumerate(json.loads(path.read_text())["cells"]):
            lines = "".join(c["source"]).strip().splitlines()
            if c["cell_type"] == "code" and lines and lines[-1].strip() == call:
                return path.name, i
    raise LookupError(f"no solution notebook shows {call}")


def test_every_widget_is_shown_in_a_notebook():
    for name, factory in WIDGETS.items():
        assert where_shown(factory), name


def widget_root(page, index: int):
    """The widget's outer box in the output of cell `index`."""
    return cell(page, index).locator(".jp-OutputArea-output .widget-vbox").first


def assert_looks_right(name: str, root) -> list[float]:
    """Every figure shown at most at its pixel size (natural width >= shown width x device pixel
    ratio) and no control label cut off; returns each figure's upscale factor."""
    shown = images(root)
    factors = [round(upscale(image), 2) for image in shown]
    blurry = [image for image in shown if upscale(image) > 1.0 + 1e-6]
    assert not blurry, f"{name}: the browser stretches its figure {factors}x: {blurry}"
    cut = truncated_labels(root)
    assert not cut, f"{name}: control labels cut off: {cut}"
    return factors


def _try(model, control, value) -> bool:
    """Set `control` to `value` on the model; True if that changed the view."""
    before = view(model)
    control.value = value
    return view(model) != before


def choice_with_effect(model, control):
    """A value of `control` that changes the model's view, or None."""
    start = control.value
    for value in control_values(control):
        if value != start and _try(model, control, value):
            control.value = start
            return value
        control.value = start
    return None


def enabling_change(model, control):
    """(other control, value) after which `control` has a visible effect (e.g. 'mode' matters
    only for the kaiming schemes), or None."""
    for other in model.controls.values():
        if other is control or not isinstance(other, CHOICES):
            continue
        start = other.value
        for value in control_values(other):
            other.value = value
            if choice_with_effect(model, control) is not None:
                other.value = start
                return other, value
        other.value = start
    return None


def choose(page, root, control, value) -> None:
    """Make the learner's change for a dropdown, toggle buttons or combobox."""
    element = control_locator(root, control)
    if isinstance(control, widgets.Dropdown):
        element.locator("select").select_option(label=option_label(control, value))
    elif isinstance(control, widgets.ToggleButtons):
        label = option_label(control, value)
        element.locator("button.widget-toggle-button", has_text=label).first.click()
    else:
        box = element.locator("input")
        box.fill(value)
        box.press("Enter")


def move_choice(page, root, model, control) -> None:
    value = choice_with_effect(model, control)
    if value is None:
        enabling = enabling_change(model, control)
        assert enabling, f"{control.description!r}: no value changes what the widget shows"
        other, other_value = enabling
        choose(page, root, other, other_value)
        other.value = other_value
        wait_for_view(root, view(model))
        value = choice_with_effect(model, control)
    choose(page, root, control, value)
    control.value = value
    wait_for_view(root, view(model))


def move_slider(page, root, model, control) -> None:
    element = control_locator(root, control)
    handle = element.locator(".noUi-handle")
    element.scroll_into_view_if_needed()

    # Drag the handle a quarter of the track towards the far end.
    track = element.locator(".noUi-target").bounding_box()
    knob = handle.bounding_box()
    x, y = knob["x"] + knob["width"] / 2, knob["y"] + knob["height"] / 2
    direction = 1 if x < track["x"] + track["width"] / 2 else -1
    before_view, before_readout = browser_view(root), readout(element)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + direction * track["width"] / 4 * step / 10, y)
    page.mouse.up()
    wait_for_change(root, before_view)
    after = readout(element)
    moved = float(after) - float(before_readout)
    assert moved * direction > 0, f"{control.description}: readout {before_readout} -> {after}"
    if isinstance(control, widgets.IntSlider):  # the readout is the exact value: compare exactly
        control.value = int(after)
        wait_for_view(root, view(model))

    # Keyboard: End and Home set the exact ends of the range.
    ends = (control.max, control.min)
    if isinstance(control, widgets.FloatLogSlider):
        ends = tuple(control.base**e for e in ends)
    shown = []
    for key, value in zip(("End", "Home"), ends):
        handle.focus()
        page.keyboard.press(key)
        control.value = value
        shown.append(wait_for_view(root, view(model)))
    assert shown[0] != shown[1], f"{control.description}: both ends of the slider look the same"


def click(page, root, model, control) -> None:
    before = view(model)
    control_locator(root, control).click()
    control.click()
    assert view(model) != before, f"button {control.description!r} changed nothing"
    wait_for_view(root, view(model))


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_widget_controls_in_the_browser(name, solved, artifacts):
    factory = WIDGETS[name]
    notebook, index = where_shown(factory)
    page = solved(notebook).page
    root = widget_root(page, index)
    root.scroll_into_view_if_needed()

    model = factory()  # the same widget, in this process
    wait_for_view(root, view(model))  # untouched: the page shows what the code computes
    root.screenshot(path=artifacts / "before.png")
    factors = assert_looks_right(name, root)
    done = []
    for control_name, control in model.controls.items():
        if isinstance(control, widgets.Button):
            click(page, root, model, control)
        elif isinstance(control, SLIDERS):
            move_slider(page, root, model, control)
        elif isinstance(control, CHOICES):
            move_choice(page, root, model, control)
        else:
            pytest.fail(f"no browser action for a {type(control).__name__} ({control_name})")
        done.append(f"{control_name} ({type(control).__name__})")
    root.scroll_into_view_if_needed()
    root.screenshot(path=artifacts / "after.png")
    assert_looks_right(name, root)
    print(f"{name}: moved {', '.join(done)}; figures shown at {factors}x their pixels")
