"""A learner's first exercise, in a real browser: notebook 00's exercise 0.1 in the learner copy.

Untouched, its check says the exercise is not implemented yet; typed correctly, it passes in one
line; typed with a classic mistake (averaging over dim 0), the check names that mistake in a short
message, not a wall of traceback. The learner copy served is a temporary one.
"""

from __future__ import annotations

import json

from lab_page import open_notebook, output_text, run_all, run_cell, type_into_cell

NOTEBOOK = "notebooks/00_welcome.ipynb"
EXERCISE = "0.1"
CORRECT = "def row_means(x):\n    return x.mean(dim=1)\n"
WRONG = "def row_means(x):\n    return x.mean(dim=0)\n"


def exercise_cells(path) -> tuple[int, int]:
    """(exercise cell, check cell) indices of EXERCISE in the learner notebook."""
    cells = json.loads(path.read_text())["cells"]
    for i, c in enumerate(cells):
        tags = c["metadata"].get("tags", [])
        if "exercise" in tags and f"Exercise {EXERCISE}:" in "".join(c["source"]):
            following = cells[i + 1]
            assert "check" in following["metadata"].get("tags", []), "no check cell after it"
            return i, i + 1
    raise LookupError(f"exercise {EXERCISE} not found in {path}")


def test_exercise_feedback_in_the_browser(lab, browser, course, artifacts):
    exercise, check = exercise_cells(course / NOTEBOOK)
    page = open_notebook(browser, lab, NOTEBOOK)
    try:
        run_all(page)
        untouched = output_text(page, check)
        assert f"Exercise {EXERCISE} is not implemented yet" in untouched, untouched

        type_into_cell(page, exercise, CORRECT)
        run_cell(page, exercise)
        run_cell(page, check)
        passed = output_text(page, check)
        assert f"✔ Exercise {EXERCISE} passed" in passed, passed
        page.screenshot(path=artifacts / "correct-answer.png")

        type_into_cell(page, exercise, WRONG)
        run_cell(page, exercise)
        run_cell(page, check)
        diagnosis = output_text(page, check)
        assert "you averaged over dim 0" in diagnosis, diagnosis
        assert "Traceback" not in diagnosis and len(diagnosis.strip().splitlines()) <= 3, (
            f"the diagnosis should be short, got:\n{diagnosis}"
        )
        page.screenshot(path=artifacts / "wrong-answer.png")
    finally:
        page.close()
