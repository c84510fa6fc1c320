"""How each widget looks and how quickly it answers, in JupyterLab in a real browser.

`test_figures_are_sharp_at_device_pixel_ratio_2` opens the notebooks with figures in a chromium
whose screen has two device pixels per CSS pixel (a HiDPI laptop) and checks that no figure is
stretched there either.

`test_widget_latency` is a benchmark, not a timed assertion (the machine may be busy): for every
control of every widget it makes 20 changes a learner makes (an arrow key on a slider, another
option in a dropdown or toggle, a click on a button, a shape typed into a box) and times each from
the browser event to the frame after the widget's picture or text last changed. The table is
printed at the end of the run and kept in build/browser-artifacts/widget-latency.txt;
bench/README.md keeps it beside `python bench/widgets.py`'s headless compute times.
"""

from __future__ import annotations

import os
import statistics

import ipywidgets as widgets
import pytest
from lab_page import (
    BENCHMARK,
    control_locator,
    images,
    open_notebook,
    option_label,
    readout,
    run_all,
    timed,
    upscale,
    view,
    wait_for_view,
)
from test_browser_widgets import WIDGETS, choice_with_effect, where_shown, widget_root

CHANGES = int(os.environ.get("WIDGET_LATENCY_CHANGES", 20))
SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def slider_actions(page, root, control):
    """Arrow keys on the slider's handle, alternating, starting away from the end it is at."""
    element = control_locator(root, control)
    handle = element.locator(".noUi-handle")
    top = control.base**control.max if isinstance(control, widgets.FloatLogSlider) else control.max
    at_top = float(readout(element)) >= top * (1 - 1e-9)
    keys = ["ArrowLeft", "ArrowRight"] if at_top else ["ArrowRight", "ArrowLeft"]

    def press(key):
        handle.focus()
        page.keyboard.press(key)

    return [lambda key=key: press(key) for key in keys]


def choice_actions(root, model, control):
    """Switch between the current option and one that changes the view (None: none does)."""
    other = choice_with_effect(model, control)
    if other is None:
        return None
    element = control_locator(root, control)

    def pick(value):
        if isinstance(control, widgets.Dropdown):
            element.locator("select").select_option(label=option_label(control, value))
        elif isinstance(control, widgets.ToggleButtons):
            label = option_label(control, value)
            element.locator("button.widget-toggle-button", has_text=label).first.click()
        else:  # a combobox: type the shape
            element.locator("input").fill(value)
        control.value = value

    return [lambda: pick(other), lambda start=control.value: pick(start)]


def button_actions(root, model, control):
    """A click, if two clicks in a row each change the view (reset does once, then not)."""
    changes = []
    for _ in range(2):
        before = view(model)
        control.click()
        changes.append(view(model) != before)
    if not all(changes):
        return None
    element = control_locator(root, control)

    def press():
        element.click()
        control.click()

    return [press]


@pytest.fixture(scope="module")
def fresh(lab, browser):
    """fresh("01_empty_and_init.ipynb"): the solution notebook opened and run on a page of its
    own, so its widgets are as `factory()` builds them whatever other tests did to theirs."""
    pages = {}

    def get(notebook: str):
        if notebook not in pages:
            pages[notebook] = open_notebook(browser, lab, f"solutions/{notebook}")
            run_all(pages[notebook])
        return pages[notebook]

    yield get
    for page in pages.values():
        page.close()


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_widget_latency(name, fresh):
    factory = WIDGETS[name]
    notebook, index = where_shown(factory)
    page = fresh(notebook)
    root = widget_root(page, index)
    root.scroll_into_view_if_needed()
    model = factory()
    wait_for_view(root, view(model))
    factors = [round(upscale(image), 2) for image in images(root)]
    rows, every = [], []
    for label, control in model.controls.items():
        if isinstance(control, SLIDERS):
            actions = slider_actions(page, root, control)
        elif isinstance(control, widgets.Button):
            actions = button_actions(root, model, control)
        else:
            actions = choice_actions(root, model, control)
        if actions is None:
            rows.append(f"  {label:14s} (no change with an effect in this state: not timed)")
            continue
        times = [timed(page, root, actions[i % len(actions)]) for i in range(CHANGES)]
        every += times
        rows.append(
            f"  {label:14s} median {statistics.median(times):6.1f} ms   p90 "
            f"{_percentile(times, 0.9):6.1f} ms   max {max(times):6.1f} ms   ({len(times)} changes)"
        )
    assert every, f"{name}: no control could be timed"
    BENCHMARK.append(
        f"{name:34s} median {statistics.median(every):6.1f} ms   p90 "
        f"{_percentile(every, 0.9):6.1f} ms   max {max(every):6.1f} ms   figures shown at "
        f"{factors or '-'}x their pixels"
    )
    BENCHMARK.extend(rows)


def test_figures_are_sharp_at_device_pixel_ratio_2(lab, hidpi, artifacts):
    with_figures = {
        name: where_shown(factory) for name, factory in WIDGETS.items() if factory().view
    }
    assert with_figures, "no widget draws a figure"
    pages, seen = {}, []
    for name, (notebook, index) in sorted(with_figures.items(), key=lambda item: item[1]):
        if notebook not in pages:
            pages[notebook] = open_notebook(hidpi, lab, f"solutions/{notebook}")
            run_all(pages[notebook])
        root = widget_root(pages[notebook], index)
        root.scroll_into_view_if_needed()
        wait_for_view(root, view(WIDGETS[name]()))
        shown = images(root)
        assert shown and all(image["ratio"] == 2 for image in shown), shown
        factors = [round(upscale(image), 2) for image in shown]
        seen.append(f"{name}: {factors}")
        assert max(factors) <= 1.0 + 1e-6, f"{name}: stretched {factors}x at ratio 2: {shown}"
        root.screenshot(path=artifacts / f"{notebook[:2]}-{index}.png")
    for page in pages.values():
        page.close()
    print("; ".join(seen))
