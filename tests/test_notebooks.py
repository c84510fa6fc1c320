"""The untouched learner notebooks fail exactly where expected: each check cell says "not
implemented yet" (NotStarted), an exercise cell may raise only its stub's NotImplementedError, a
cell that shows an error on purpose raises exactly the error stored in the solution, and no other
cell raises anything (nbval-lax, in `make test`, only *allows* those errors)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LEARNER = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", LEARNER, ids=lambda p: p.name)
def test_untouched_learner_notebook_raises_exactly_the_expected_errors(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()  # fmt: skip
    solution = nbformat.read(ROOT / "solutions" / path.name, as_version=4)
    assert len(solution.cells) == len(nb.cells), f"{path.name}: run `make notebooks`"
    checks = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        errors = [o for o in cell.outputs if o.output_type == "error"]
        where = f"{path.name}, cell {i}: {cell.source[:60]!r}"
        if "check" in tags:
            checks += 1
            assert [e.ename for e in errors] == ["NotStarted"], where
            assert "is not implemented yet" in errors[0].evalue, where
        elif "exercise" in tags:
            assert all(e.ename == "NotImplementedError" for e in errors), where
            assert all(e.evalue.startswith("Exercise ") for e in errors), where
        elif "raises-exception" in tags:  # an error shown on purpose: the one the solution shows
            stored = [o for o in solution.cells[i].outputs if o.output_type == "error"]
            assert [(e.ename, e.evalue) for e in errors] == [(e.ename, e.evalue) for e in stored], (
                where
            )
        else:
            assert not errors, f"{where} raised {[(e.ename, e.evalue) for e in errors]}"
    assert checks >= 1, f"{path.name} has no check cell"


def test_the_original_notebooks_were_not_touched_by_running_them():
    for path in LEARNER:
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name
