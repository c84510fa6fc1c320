"""The learner notebooks: untouched copies of the solutions, run once by `make test` under
nbval-lax, where the root conftest.py holds every erroring cell to the one error it is expected to
raise (`expected_error_problem`, tested here on its own)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from notebook_errors import expected_error_problem

from course_lib.course import course_notebooks

ROOT = Path(__file__).resolve().parents[1]
LEARNER = course_notebooks(ROOT / "notebooks")
NOT_STARTED = ("NotStarted", "Exercise 1.2 is not implemented yet: ...")
STUB = ("NotImplementedError", "Exercise 1.2: write the initialisation")


@pytest.mark.parametrize("path", LEARNER, ids=lambda p: p.name)
def test_learner_notebook_is_an_unrun_copy_of_its_solution_with_a_check(path):
    nb = nbformat.read(path, as_version=4)
    solution = nbformat.read(ROOT / "solutions" / path.name, as_version=4)
    assert len(solution.cells) == len(nb.cells), f"{path.name}: run `make notebooks`"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
    assert any("check" in c.metadata.get("tags", []) for c in nb.cells), path.name


@pytest.mark.parametrize(
    "tags, errors, stored",
    [
        (["check", "raises-exception"], [NOT_STARTED], []),
        (["exercise", "raises-exception"], [STUB], []),
        (["exercise", "raises-exception"], [], []),
        (
            ["raises-exception"],
            [("RuntimeError", "mat1 and mat2")],
            [("RuntimeError", "mat1 and mat2")],
        ),
        ([], [], []),
    ],
)
def test_expected_errors_pass(tags, errors, stored):
    assert expected_error_problem(tags, errors, stored) is None


@pytest.mark.parametrize(
    "tags, errors, stored, says",
    [
        (
            ["check", "raises-exception"],
            [("NameError", "name 'x' is not defined")],
            [],
            "NotStarted",
        ),
        (["check", "raises-exception"], [], [], "NotStarted"),
        (
            ["exercise", "raises-exception"],
            [("TypeError", "bad")],
            [],
            "only its NotImplementedError",
        ),
        (["raises-exception"], [("RuntimeError", "other")], [("RuntimeError", "mat1")], "expected"),
        (["raises-exception"], [], [("RuntimeError", "mat1")], "expected"),
        ([], [("ValueError", "x")], [], "raised"),
    ],
)
def test_unexpected_errors_are_named(tags, errors, stored, says):
    assert says in expected_error_problem(tags, errors, stored)
