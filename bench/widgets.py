"""How quickly does each widget respond? For every widget in the course (course_lib.widgets),
moves each control through a few values and times one change: from setting the value to the
redrawn figure's PNG being ready (the callback recomputes with the pure function, updates the
figure's artists and renders it). Reports the median per widget; target <= 50 ms. The first pass
through the values is also reported on its own: a widget that keeps what it computed (the depth
explorer) answers the later passes from memory, the first one shows the cost of a new setting.

    python bench/widgets.py

What a learner waits for is measured in the browser by tests/browser/test_browser_widget_speed.py
(`make test-browser`): key press or selection to the changed picture or text on screen, which
adds the trip through JupyterLab and the browser's decoding and painting (bench/README.md keeps
both).
"""

from __future__ import annotations

import statistics
import time

import ipywidgets as widgets

from course_lib.widgets import all_widgets, control_values


def change_times(factory, rounds: int = 5) -> list[list[float]]:
    """Seconds per change, one list per pass through every control's values."""
    box = factory()
    passes = []
    for _ in range(rounds):
        times = []
        passes.append(times)
        for control in box.controls.values():
            steps = (
                [control.click] if isinstance(control, widgets.Button)
                else [lambda v=v, c=control: setattr(c, "value", v) for v in control_values(control)]
            )  # fmt: skip
            for step in steps:
                t0 = time.perf_counter()
                step()
                times.append(time.perf_counter() - t0)
    return passes


def main() -> int:
    print(
        f"{'widget':44s} {'median':>10s} {'max':>10s}  changes   first pass: median, max"
        "   (target <= 50 ms)"
    )
    for name, factory in all_widgets().items():
        passes = change_times(factory)
        times, first = [t for p in passes for t in p], passes[0]
        print(
            f"{name:44s} {statistics.median(times) * 1e3:7.1f} ms {max(times) * 1e3:7.1f} ms"
            f"  {len(times):7d}   {statistics.median(first) * 1e3:7.1f} ms"
            f" {max(first) * 1e3:7.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
