"""Every solution notebook, opened in JupyterLab in a real browser and run from the Run menu:
it raises only the errors its solution shows on purpose, every cell gives the kinds of output its
solution stores (the last cell's included), and every widget renders as a widget."""

from __future__ import annotations

import pytest
from lab_page import cell, stored_notebook
from lab_server import ROOT

NOTEBOOKS = sorted(p.name for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def output_kinds(cell: dict) -> list[str]:
    """The kinds of a code cell's outputs: 'stdout', 'stderr', 'result', 'display', 'error:Name'.
    Repeated kinds collapse into one: how a stream is split into outputs depends on timing."""
    kinds = []
    for output in cell.get("outputs", []):
        kind = {
            "stream": output.get("name"),
            "execute_result": "result",
            "display_data": "display",
            "error": f"error:{output.get('ename')}",
        }[output["output_type"]]
        if WIDGET_VIEW in output.get("data", {}):
            kind = "widget"
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    return kinds


def code_cells(notebook: dict) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "code"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab(name, solved, artifacts):
    ran = solved(name)
    stored = stored_notebook(name)
    assert len(ran.saved["cells"]) == len(stored["cells"])

    problems = []
    for i, ran_cell in code_cells(ran.saved):
        want = output_kinds(stored["cells"][i])
        got = output_kinds(ran_cell)
        errors = [k for k in got if k.startswith("error:")]
        if errors and "raises-exception" not in ran_cell["metadata"].get("tags", []):
            tb = next(o for o in ran_cell["outputs"] if o["output_type"] == "error")
            problems.append(f"cell {i} raised {tb['ename']}: {tb['evalue']}")
        elif got != want:
            problems.append(f"cell {i}: outputs {got}, the solution stores {want}")
    assert not problems, "\n".join(problems)

    page = ran.page
    assert page.get_by_text("Error displaying widget").count() == 0
    fallbacks = page.evaluate(
        """() => [...document.querySelectorAll('.jp-OutputArea-output')]
            .map(o => o.textContent.trim())
            .filter(t => /^(VBox|HBox|interactive|Output|IntSlider|Dropdown)\\(/.test(t))"""
    )
    assert fallbacks == [], f"widgets shown as text (is the widget extension missing?): {fallbacks}"

    widget_cells = [i for i, c in code_cells(ran.saved) if "widget" in output_kinds(c)]
    for i in widget_cells:
        widget = cell(page, i).locator(".jp-OutputArea-output .jupyter-widgets").first
        widget.scroll_into_view_if_needed()
        box = widget.bounding_box()
        assert box and box["height"] > 20, f"cell {i}: the widget has no size on the page"
        broken = widget.evaluate(
            """el => [...el.querySelectorAll('img')].filter(i => !i.complete || !i.naturalWidth)
                .length"""
        )
        assert broken == 0, f"cell {i}: {broken} widget image(s) did not load"
    page.screenshot(path=artifacts / "last-screen.png")
    print(
        f"{name}: opened in {ran.open_seconds:.1f} s, ran in {ran.run_seconds:.1f} s, "
        f"{len(code_cells(ran.saved))} code cells, {len(widget_cells)} widget(s)"
    )
