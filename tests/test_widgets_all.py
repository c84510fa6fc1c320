"""Every widget of the course, driven headless: each control, moved through a few values,
changes what the widget computed or shows, and never raises."""

import ipywidgets as widgets
import pytest

from course_lib.widgets import all_widgets, control_values

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
