"""Root pytest configuration for the notebook runs (`pytest --nbval solutions`,
`pytest --nbval-lax notebooks`).

- Reports each notebook's execution time.
- In the learner notebooks (`notebooks/`, run once, under nbval-lax), the errors that nbval-lax
  only *allows* must be exactly the expected ones: a check cell says "not implemented yet"
  (`NotStarted`), an exercise cell raises only its stub's `NotImplementedError("Exercise ...")`,
  and a cell that shows an error on purpose raises exactly the error its solution stores. Every
  other cell must not raise (nbval-lax already fails it), and an exception in a widget callback
  fails the cell (nbval sees it; nbclient would hide it in the Output widget).
"""

from collections import defaultdict
from functools import cache
from pathlib import Path

import nbformat
import pytest

from tests.notebook_errors import expected_error_problem

ROOT = Path(__file__).resolve().parent
_notebook_seconds: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook execution time")
    for path, seconds in sorted(_notebook_seconds.items()):
        terminalreporter.write_line(f"{seconds:7.2f} s  {path}")
    terminalreporter.write_line(f"{sum(_notebook_seconds.values()):7.2f} s  in all")


@cache
def _stored_errors(name: str) -> list[list[tuple[str, str]]]:
    """For each code cell of solutions/<name>, the (ename, evalue) of its stored errors."""
    solution = nbformat.read(ROOT / "solutions" / name, as_version=4)
    return [
        [(o.ename, o.evalue) for o in cell.outputs if o.output_type == "error"]
        for cell in solution.cells
        if cell.cell_type == "code"
    ]


def _is_learner_cell(item) -> bool:
    path = Path(str(getattr(item, "fspath", "")))
    return hasattr(item, "cell_num") and path.suffix == ".ipynb" and path.parent.name == "notebooks"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    if _is_learner_cell(item) and item.test_outputs is not None:
        errors = [(o.ename, o.evalue) for o in item.test_outputs if o.output_type == "error"]
        stored = _stored_errors(Path(str(item.fspath)).name)[item.cell_num]
        problem = expected_error_problem(item.cell.metadata.get("tags", []), errors, stored)
        if problem:
            pytest.fail(f"{item.cell.source[:60]!r}: {problem}", pytrace=False)
    return result
