"""`make notebooks`: learner copies generated from solutions, idempotent, never overwriting work."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_lib.course import build as b
from course_lib.course import course_notebooks

ROOT = Path(__file__).resolve().parents[1]

SOLVED = """def row_means(x):
    ### BEGIN SOLUTION 0.1
    total = x.sum(dim=1)
    return total / x.shape[1]
    ### END SOLUTION"""


def write_solution(folder: Path, name: str = "00_demo.ipynb") -> Path:
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Demo"),
            new_code_cell("import course_lib as torch", execution_count=1),
            new_code_cell(SOLVED),
            new_code_cell(
                'from course_lib.exercises import check\ncheck("0.1", row_means)\n'
                "### BEGIN HIDDEN TESTS\nassert row_means(torch.ones(2, 2)).shape == (2,)\n"
                "### END HIDDEN TESTS"
            ),
            new_code_cell('check("0.1", lambda x: x.mean(0))', metadata={"tags": ["demo"]}),
        ]
    )
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def test_solution_block_becomes_stub_at_its_indentation():
    source, ids = b.strip_solutions(SOLVED, "cell")
    assert ids == ["0.1"]
    assert source.split("\n") == [
        "def row_means(x):",
        "    # YOUR CODE HERE",
        "    raise NotImplementedError(",
        f'        "Exercise 0.1: {b.task_text("0.1")}"',
        "    )",
    ]
    compile(source, "stub", "exec")  # still valid Python


def test_hidden_tests_are_dropped():
    source, ids = b.strip_solutions(
        "a = 1\n### BEGIN HIDDEN TESTS\nassert a\n### END HIDDEN TESTS", "c"
    )
    assert source == "a = 1" and ids == []


@pytest.mark.parametrize(
    "source, message",
    [
        ("### BEGIN SOLUTION 0.1\nx = 1", "never closed"),
        ("### END SOLUTION", "END SOLUTION without BEGIN"),
        ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "write the exercise id"),
        ("### BEGIN SOLUTION 0.1\n### BEGIN SOLUTION 0.1\n### END SOLUTION", "inside another"),
        ("### BEGIN HIDDEN TESTS\n", "never closed"),
        ("### END HIDDEN TESTS", "without BEGIN"),
    ],
)
def test_malformed_markers_are_errors_naming_the_cell(source, message):
    with pytest.raises(b.BuildError, match=message) as info:
        b.strip_solutions(source, "07_x.ipynb, cell 3")
    assert "07_x.ipynb, cell 3" in str(info.value)


def test_learner_copy_clears_outputs_and_tags_exercise_and_check_cells(tmp_path):
    src = write_solution(tmp_path / "solutions")
    nb = b.learner_copy(nbformat.read(src, as_version=4), src.name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert code[0].metadata.get("tags") is None
    assert code[1].metadata["tags"] == ["exercise", "raises-exception"]
    assert code[2].metadata["tags"] == ["check", "raises-exception"]
    assert "HIDDEN" not in code[2].source and "assert" not in code[2].source
    assert code[3].metadata["tags"] == ["demo"]  # calls check() on purpose: not a check cell
    assert nb.metadata["torch_unboxed"]["cells_hash"] == b.cells_hash(nb)


def test_build_is_idempotent(tmp_path):
    write_solution(tmp_path / "solutions")
    first = b.build(tmp_path / "solutions", tmp_path / "notebooks")
    text = (tmp_path / "notebooks/00_demo.ipynb").read_bytes()
    second = b.build(tmp_path / "solutions", tmp_path / "notebooks")
    assert [o.action for o in first] == ["written"]
    assert [o.action for o in second] == ["unchanged"]
    assert (tmp_path / "notebooks/00_demo.ipynb").read_bytes() == text


def test_outputs_a_learner_produced_do_not_count_as_edits(tmp_path):
    write_solution(tmp_path / "solutions")
    b.build(tmp_path / "solutions", tmp_path / "notebooks")
    target = tmp_path / "notebooks/00_demo.ipynb"
    nb = nbformat.read(target, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="ran it\n")]
    nbformat.write(nb, target)
    assert not b.is_learners_work(target)


def edit_learner_copy(target: Path) -> bytes:
    nb = nbformat.read(target, as_version=4)
    nb.cells[2].source = "def row_means(x):\n    return x.mean(1)  # my answer"
    nbformat.write(nb, target)
    return target.read_bytes()


def test_an_edited_learner_notebook_is_never_overwritten(tmp_path, capsys):
    src = write_solution(tmp_path / "solutions")
    b.build(tmp_path / "solutions", tmp_path / "notebooks")
    target = tmp_path / "notebooks/00_demo.ipynb"
    mine = edit_learner_copy(target)
    src.write_text(src.read_text().replace("# Demo", "# Demo, revised"))  # a new version
    status = b.main(["--solutions", str(tmp_path / "solutions"), "--notebooks", str(target.parent)])
    out = capsys.readouterr().out
    assert status == 1
    assert target.read_bytes() == mine
    assert str(target) in out and "--force" in out and "not overwritten" in out
    assert list(target.parent.iterdir()) == [target]  # no stray files either


def test_force_saves_the_learners_copy_first(tmp_path, capsys):
    write_solution(tmp_path / "solutions")
    b.build(tmp_path / "solutions", tmp_path / "notebooks")
    target = tmp_path / "notebooks/00_demo.ipynb"
    mine = edit_learner_copy(target)
    status = b.main(
        ["--solutions", str(tmp_path / "solutions"), "--notebooks", str(target.parent), "--force"]
    )
    assert status == 0
    backups = [p for p in target.parent.iterdir() if p != target]
    assert len(backups) == 1 and backups[0].name.startswith("00_demo.20")
    assert backups[0].read_bytes() == mine
    assert "my answer" not in target.read_text()
    assert str(backups[0]) in capsys.readouterr().out


@pytest.mark.parametrize("content", ["not json at all", '{"cells": []}'])
def test_a_notebook_we_did_not_write_is_left_alone(tmp_path, content):
    write_solution(tmp_path / "solutions")
    (tmp_path / "notebooks").mkdir()
    target = tmp_path / "notebooks/00_demo.ipynb"
    target.write_text(content)
    outcomes = b.build(tmp_path / "solutions", tmp_path / "notebooks")
    assert [o.action for o in outcomes] == ["refused"]
    assert target.read_text() == content


def test_check_mode_reports_without_writing(tmp_path):
    write_solution(tmp_path / "solutions")
    assert (
        b.main(
            [
                "--solutions",
                str(tmp_path / "solutions"),
                "--notebooks",
                str(tmp_path / "nb"),
                "--check",
            ]
        )
        == 1
    )
    assert not (tmp_path / "nb").exists()


def test_committed_learner_notebooks_are_what_the_command_produces(tmp_path):
    """`make notebooks` was run and its output committed: nothing is stale or hand-edited."""
    solutions = course_notebooks(ROOT / "solutions")
    assert solutions, "no solution notebooks found"
    outcomes = b.build(ROOT / "solutions", ROOT / "notebooks", check=True)
    stale = [str(o.path.relative_to(ROOT)) for o in outcomes if o.action != "unchanged"]
    assert not stale, f"run `make notebooks` and commit: {stale} differ from what it produces"
    learner = [p.name for p in course_notebooks(ROOT / "notebooks")]
    assert learner == [p.name for p in solutions], (
        "notebooks/ and solutions/ hold different notebooks"
    )


def test_the_repository_copy_can_be_rebuilt_from_scratch(tmp_path):
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    b.build(tmp_path / "solutions", tmp_path / "notebooks")
    for p in course_notebooks(ROOT / "notebooks"):
        assert (tmp_path / "notebooks" / p.name).read_bytes() == p.read_bytes()
