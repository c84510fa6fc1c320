"""Interactive widgets for the notebooks: each is a pure function that computes what is shown,
plus a small ipywidgets UI around it (so tests can drive it without a browser).

Every widget module lists its widgets in `WIDGETS = {"display name": factory}`; `all_widgets()`
collects them (for the headless tests and `bench/widgets.py`). This package imports the core,
ipywidgets and matplotlib; the core never imports it.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

# `import course_lib` needs NumPy alone; the widgets need the course extra.
for _name in ("matplotlib", "ipywidgets"):
    if importlib.util.find_spec(_name) is None:
        raise ImportError(
            f"course_lib.widgets needs {_name}, which comes with the course extra: "
            "pip install 'torch-unboxed[course]' (in a checkout: make install)"
        )


def all_widgets() -> dict:
    """{display name: factory} for every widget in the course."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.update(getattr(module, "WIDGETS", {}))
    return found


def control_values(control) -> list:
    """A few values to move a control through: both ends and the middle of a slider, every
    option of a dropdown, both states of a toggle; [] for a button (it is clicked instead)."""
    import ipywidgets as widgets

    if isinstance(control, widgets.Button):
        return []
    if isinstance(control, widgets.FloatLogSlider):
        b = control.base
        return [b**control.min, b**control.max, b ** ((control.min + control.max) / 2)]
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [v for v in values if v != control.value] + [control.value]
    if isinstance(control.value, bool):
        return [not control.value, control.value]
    if hasattr(control, "min") and hasattr(control, "max"):
        mid = (control.min + control.max) / 2
        mid = round(mid) if isinstance(control.value, int) else mid
        return [control.max, control.min, mid]
    return []
