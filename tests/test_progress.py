"""`python -m course_lib progress`: learner notebooks in every state, run in temporary copies.

The scenario notebooks mimic learner copies of a notebook with the real exercise 0.1 (row means).
They run once, in one folder (one kernel per notebook), and each test reads that run's report.
"""

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_lib.course import build, progress
from course_lib.course.progress import ExerciseResult, NotebookReport, classify

pytestmark = pytest.mark.notebooks  # runs learner notebooks in kernels

REPO = Path(__file__).resolve().parents[1]
OLD = 1_000_000_000  # 2001-09-09: the learner's files get this mtime, so any rewrite shows
TIMEOUT = "4"  # seconds per cell in the scenario run (one notebook loops forever)
IMPORT = "from course_lib.exercises import check"
STUB = (
    "def row_means(x):\n"
    "    # YOUR CODE HERE\n"
    '    raise NotImplementedError("Exercise 0.1: return the mean of each row")'
)
DIAGNOSIS = "you averaged over dim 0"


def exercise_cell(source):
    return new_code_cell(source, metadata={"tags": ["exercise", "raises-exception"]})


def check_cell(source='check("0.1", row_means)'):
    return new_code_cell(source, metadata={"tags": ["check", "raises-exception"]})


def answer(body):
    return exercise_cell(f"def row_means(x):\n    {body}")


def write_scenarios(folder: Path) -> None:
    def write(name, cells):
        nbformat.write(new_notebook(cells=cells), folder / name)

    folder.mkdir()
    write(
        "00_done.ipynb",
        [
            new_markdown_cell("# Solved, then an unrelated mistake below"),
            new_code_cell(IMPORT),
            answer("return x.mean(dim=1)"),
            check_cell(),
            new_code_cell("import numpy as npp\nnpp.frobnicate()"),
        ],
    )
    write(
        "01_mistake.ipynb",
        [
            new_code_cell(IMPORT),
            new_code_cell("print(open('data.txt').read())"),  # a data file beside the notebook
            new_code_cell("open('written_by_the_notebook.txt', 'w').write('x')"),
            answer("return x.mean(dim=0)"),
            check_cell(),
        ],
    )
    write("02_stub.ipynb", [new_code_cell(IMPORT), exercise_cell(STUB), check_cell()])
    write(
        "03_syntax.ipynb",
        [new_code_cell(IMPORT), answer("return x.mean(dim=1"), check_cell()],
    )
    (folder / "04_corrupt.ipynb").write_text('{"cells": [ this is not json', encoding="utf-8")
    write(
        "05_loops_then_dies.ipynb",
        [
            new_code_cell(IMPORT),
            answer("while True:\n        pass"),
            check_cell(),
            new_code_cell("import os\nos._exit(1)"),
            new_markdown_cell("never reached"),
            check_cell('check("0.2", row_means)'),
        ],
    )
    (folder / "data.txt").write_text("data beside the notebooks\n", encoding="utf-8")
    (folder / "notes.ipynb").write_text("{}", encoding="utf-8")  # not a course notebook: ignored
    for path in folder.iterdir():
        os.utime(path, ns=(OLD * 10**9, OLD * 10**9))


def snapshot(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def run_main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = progress.main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    folder = tmp_path_factory.mktemp("learner") / "notebooks"
    write_scenarios(folder)
    before = snapshot(folder)
    code, out, err = run_main("--json", "--timeout", TIMEOUT, str(folder))
    report = json.loads(out)
    by_name = {n["notebook"]: n for n in report["notebooks"]}
    return {"code": code, "report": report, "nb": by_name, "err": err}, before, snapshot(folder)


def only_exercise(notebook: dict) -> dict:
    (exercise,) = notebook["exercises"]
    return exercise


def test_every_learner_state_exits_0_and_says_what_it_runs(scenarios):
    result, _, _ = scenarios
    assert result["code"] == 0, result["err"]
    names = [n["notebook"] for n in result["report"]["notebooks"]]
    assert names == sorted(p for p in result["nb"] if p[:2].isdigit()) and len(names) == 6
    for name in names:
        assert f"running {name} ...\n" in result["err"]


def test_solved_exercise_is_done_and_an_unrelated_error_is_reported_beside_it(scenarios):
    nb = scenarios[0]["nb"]["00_done.ipynb"]
    assert only_exercise(nb) == {"id": "0.1", "status": "done", "detail": ""}
    assert nb["state"] == "error outside the exercises"
    assert nb["problem"].startswith("error outside the exercises: cell 5 (`import numpy as npp`)")
    assert "raised AttributeError: module 'numpy' has no attribute 'frobnicate'" in nb["problem"]


def test_wrong_answer_is_failing_with_the_checks_diagnosis(scenarios):
    nb = scenarios[0]["nb"]["01_mistake.ipynb"]
    exercise = only_exercise(nb)
    assert exercise["status"] == "failing"
    assert exercise["detail"].startswith(DIAGNOSIS)
    assert nb["state"] == "ok", nb["problem"]  # data.txt was copied beside the notebook


def test_untouched_stub_is_not_started(scenarios):
    nb = scenarios[0]["nb"]["02_stub.ipynb"]
    assert only_exercise(nb)["status"] == "not started"
    assert nb["state"] == "ok"


def test_syntax_error_in_the_exercise_cell_is_failing_not_not_started(scenarios):
    exercise = only_exercise(scenarios[0]["nb"]["03_syntax.ipynb"])
    assert exercise["status"] == "failing"
    assert exercise["detail"].startswith("your exercise cell raised SyntaxError: ")
    assert exercise["detail"].endswith("(line 2)")  # not ipykernel's temporary file name


def test_corrupt_notebook_could_not_run(scenarios):
    nb = scenarios[0]["nb"]["04_corrupt.ipynb"]
    assert nb["state"] == "could not run" and nb["exercises"] == []
    assert nb["problem"].startswith("could not run: not a valid notebook (NotJSONError")


def test_endless_loop_is_stopped_and_a_dead_kernel_reported(scenarios):
    nb = scenarios[0]["nb"]["05_loops_then_dies.ipynb"]
    exercise = only_exercise(nb)  # 0.2 comes after the kernel died: it was never checked
    assert exercise["status"] == "failing"
    assert f"ran longer than {TIMEOUT} s and was stopped" in exercise["detail"]
    assert nb["state"] == "could not run"
    assert "the kernel died while running cell 4 (`import os`)" in nb["problem"]


def test_total_counts_every_listed_exercise(scenarios):
    total = scenarios[0]["report"]["total"]
    assert total == {"done": 1, "failing": 3, "not started": 1, "exercises": 5}


def test_the_learners_files_are_untouched(scenarios):
    _, before, after = scenarios
    assert after == before  # same files (nothing written beside them), same bytes, same mtimes
    assert "written_by_the_notebook.txt" not in after


def test_table_lists_each_notebook_then_the_total(scenarios):
    reports = [
        NotebookReport(**{**n, "exercises": [ExerciseResult(**e) for e in n["exercises"]]})
        for n in scenarios[0]["report"]["notebooks"]
    ]
    lines = progress.format_table(reports, width=100).splitlines()
    assert all(len(line) <= 100 for line in lines)
    block = lines[lines.index("01_mistake.ipynb") + 1]
    assert block.startswith(f"  0.1  failing      {DIAGNOSIS}") and block.endswith("...")
    assert lines[lines.index("02_stub.ipynb") + 1] == "  0.1  not started"
    assert lines[lines.index("04_corrupt.ipynb") + 1].startswith("  ! could not run: ")
    assert "Total: 1 done, 3 failing, 1 not started (of 5 exercises)" in lines


# -- exit 2 when there is nothing to run --------------------------------------------------------


def test_missing_folder_exits_2(tmp_path):
    code, out, err = run_main(str(tmp_path / "nowhere"))
    assert code == 2 and out == ""
    assert "there is no folder" in err


def test_folder_without_course_notebooks_exits_2(tmp_path):
    (tmp_path / "scratch.ipynb").write_text("{}", encoding="utf-8")
    code, out, err = run_main(str(tmp_path))
    assert code == 2 and out == ""
    assert "no course notebooks" in err


def test_kernel_that_cannot_start_exits_2_and_says_so(tmp_path):
    nbformat.write(new_notebook(cells=[new_code_cell("1")]), tmp_path / "00_a.ipynb")
    code, out, err = run_main("--kernel", "no-such-kernel", str(tmp_path))
    assert code == 2 and out == ""
    assert "could not start the Jupyter kernel 'no-such-kernel'" in err


def test_table_for_a_folder_whose_notebooks_cannot_be_read_exits_0(tmp_path):
    (tmp_path / "00_a.ipynb").write_text('{"nbformat": 4}', encoding="utf-8")  # not valid nbformat
    code, out, err = run_main(str(tmp_path))
    assert code == 0, err
    assert out.splitlines()[:2] == ["00_a.ipynb", out.splitlines()[1]]
    assert out.splitlines()[1].startswith("  ! could not run: not a valid notebook (")
    assert "Total: 0 done, 0 failing, 0 not started (of 0 exercises)" in out


# -- reading outputs, without a kernel ------------------------------------------------------------


def error(ename, evalue=""):
    return new_output("error", ename=ename, evalue=evalue, traceback=[])


def stdout(text):
    return new_output("stream", name="stdout", text=text)


def ran(cell, *outputs):
    cell.outputs = list(outputs)
    return cell


def statuses(*cells):
    report = classify(new_notebook(cells=list(cells)))
    return [(e.id, e.status, e.detail) for e in report.exercises], report.problem


def test_a_cell_checking_two_exercises_stops_at_the_first_failure():
    cell = ran(
        check_cell('check("1.1", f)\ncheck("1.2", g)\ncheck("1.3", h)'),
        stdout("✔ Exercise 1.1 passed: fine\n"),
        error("Mistake", "forgot the transpose\nmore"),
    )
    assert statuses(cell) == (
        [
            ("1.1", "done", ""),
            ("1.2", "failing", "forgot the transpose"),
            ("1.3", "not started", "not checked: the cell stopped at an earlier check"),
        ],
        "",
    )


def test_a_stub_raising_at_top_level_is_not_started_even_if_the_check_then_fails():
    stub = ran(
        exercise_cell('raise NotImplementedError("Exercise 2.1: ...")'),
        error("NotImplementedError"),
    )
    check = ran(check_cell('check("2.1", w)'), error("NameError", "name 'w' is not defined"))
    assert statuses(stub, check)[0] == [("2.1", "not started", "")]


def test_other_errors_in_the_check_cell_are_failing_with_their_message():
    exercise = ran(answer("return x"))
    check = ran(check_cell(), error("NameError", "name 'row_means' is not defined"))
    assert statuses(exercise, check)[0] == [
        ("0.1", "failing", "NameError: name 'row_means' is not defined")
    ]


def test_a_commented_out_check_is_not_started_and_says_why():
    cell = ran(check_cell('# check("0.1", row_means)'))
    assert statuses(cell)[0] == [
        ("0.1", "not started", 'its check cell does not call check("0.1", ...)')
    ]


def test_the_last_check_of_an_exercise_counts_and_keeps_its_place():
    first = ran(check_cell('check("0.1", a)'), error("Mistake", "wrong"))
    other = ran(check_cell('check("0.2", b)'), stdout("✔ Exercise 0.2 passed: ok\n"))
    again = ran(check_cell('check("0.1", c)'), stdout("✔ Exercise 0.1 passed: ok\n"))
    assert [s[:2] for s in statuses(first, other, again)[0]] == [("0.1", "done"), ("0.2", "done")]


def test_a_demo_cell_calling_check_on_purpose_is_not_a_check_cell():
    check = ran(check_cell(), stdout("✔ Exercise 0.1 passed: ok\n"))
    demo = ran(
        new_code_cell(
            'try:\n    check("0.1", lambda x: x.mean(dim=0))\nexcept Mistake as m:\n    print(m)',
            metadata={"tags": ["demo"]},
        ),
        stdout("you averaged over dim 0\n"),
    )
    assert statuses(check, demo) == ([("0.1", "done", "")], "")


def test_expected_errors_are_not_problems_and_errors_elsewhere_are_counted():
    demo = ran(
        new_code_cell("torch.mm(a, b)", metadata={"tags": ["raises-exception"]}),
        error("RuntimeError", "x"),
    )
    bad1 = ran(
        new_code_cell("\n  import nump\n"), error("ModuleNotFoundError", "No module named 'nump'")
    )
    bad2 = ran(new_code_cell("y"), error("NameError", "name 'y' is not defined"))
    assert statuses(demo, bad1, bad2)[1] == (
        "error outside the exercises: cell 2 (`import nump`) raised ModuleNotFoundError: "
        "No module named 'nump' (and 1 more)"
    )


# -- the course's own notebooks -------------------------------------------------------------------


def test_the_courses_welcome_notebook_untouched_and_solved(tmp_path):
    solved = REPO / "solutions" / "00_welcome.ipynb"
    if not solved.exists():
        pytest.skip("solutions/00_welcome.ipynb is not written yet")
    folder = tmp_path / "both"
    folder.mkdir()
    learner = REPO / "notebooks" / "00_welcome.ipynb"
    if learner.exists():  # the learner's copy as `make notebooks` wrote it: every exercise a stub
        shutil.copy(learner, folder / "00_welcome.ipynb")
    else:  # not generated in this checkout: make it the same way
        nb = build.learner_copy(nbformat.read(solved, as_version=4), solved.name)
        (folder / "00_welcome.ipynb").write_text(build.dumps(nb), encoding="utf-8")
    shutil.copy(solved, folder / "01_welcome_solved.ipynb")
    code, out, err = run_main("--json", str(folder))
    assert code == 0, err
    untouched, solved_report = json.loads(out)["notebooks"]
    assert untouched["state"] == solved_report["state"] == "ok", (untouched, solved_report)
    assert "0.1" in [e["id"] for e in untouched["exercises"]]
    assert [e["id"] for e in untouched["exercises"]] == [
        e["id"] for e in solved_report["exercises"]
    ]
    assert {e["status"] for e in untouched["exercises"]} == {"not started"}
    assert {e["status"] for e in solved_report["exercises"]} == {"done"}
