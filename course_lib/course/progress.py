"""Where am I? Which exercises in my notebooks are done, failing or not started.

    python -m course_lib progress [folder] [--json]          # or: make progress [FOLDER=...]

Runs a temporary copy of every `NN_name.ipynb` in the folder (default `notebooks/`), each in a fresh
kernel, from the first cell to the last, and reads the outputs of its check cells (the cells that
call `check("3.2", ...)`). Your files are only read: they are copied, with the data files beside
them, into a temporary folder, and the copies are run there. It works offline. A cell that runs
longer than `--timeout` seconds (120) is stopped and reported. "cell 5" counts every cell from the
top of the notebook, text cells included.

Each exercise is reported as
    done         its check cell printed "✔ Exercise 3.2 passed"
    failing      the check found a mistake (its diagnosis is shown), or your exercise cell raised
                 an error of its own (a SyntaxError, a NameError ...)
    not started  the exercise still raises the stub's NotImplementedError
A notebook can also report an error in a cell that is neither an exercise nor a check ("error
outside the exercises"), or that it could not run at all (not a valid notebook, the kernel died).
When a notebook checks the same exercise twice, the last check counts.

Exit status: 0 whatever state your exercises are in; 2 when there is nothing to run (no such
folder, no notebooks in it) or no Jupyter kernel can be started.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course_lib.course import course_notebooks

from .build import CHECK_CALL, CHECK_TAG, DEMO_TAG, EXERCISE_TAG, RAISES_TAG

DONE, FAILING, NOT_STARTED = "done", "failing", "not started"
STATUSES = (DONE, FAILING, NOT_STARTED)
# A check call anywhere in the source, even commented out (used only for cells tagged `check`).
ANY_CHECK_CALL = re.compile(r"""check\(\s*["'](?P<id>\d+\.\d+)["']""")
# ipykernel names a cell's code after a temporary file: "invalid syntax (3462134.py, line 2)".
CELL_FILE = re.compile(r"\((?:[\w.-]+\.py|<[^>]*>), line (\d+)\)")
NOT_STARTED_ERRORS = ("NotStarted", "NotImplementedError")


class KernelStartError(RuntimeError):
    """No Jupyter kernel could be started: nothing can be run."""


@dataclass
class ExerciseResult:
    id: str
    status: str  # one of STATUSES
    detail: str = ""


@dataclass
class NotebookReport:
    notebook: str
    state: str = "ok"  # "ok", "error outside the exercises" or "could not run"
    problem: str = ""  # the one-line explanation when state is not "ok"
    exercises: list[ExerciseResult] = field(default_factory=list)


# -- reading the outputs of an executed notebook --------------------------------------------------


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _snippet(cell) -> str:
    """The first line of a cell's code, short enough to recognise the cell by."""
    line = _first_line(cell.source)
    return line if len(line) <= 40 else line[:37] + "..."


def _error(cell) -> dict | None:
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def _stdout(cell) -> str:
    outputs = cell.get("outputs", [])
    return "".join(
        o.get("text", "")
        for o in outputs
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


def _what_happened(error: dict, timeout: float) -> str:
    """'raised SyntaxError: invalid syntax (line 2)', or how a cell stopped by the timeout ended."""
    ename = error.get("ename") or "an error"
    if ename == "KeyboardInterrupt":
        return f"ran longer than {timeout:g} s and was stopped (an endless loop?)"
    message = _first_line(error.get("evalue", ""))
    if ename in ("SyntaxError", "IndentationError", "TabError"):
        message = CELL_FILE.sub(r"(line \1)", message)
    return f"raised {ename}: {message}" if message else f"raised {ename}"


def _check_ids(cell) -> tuple[list[str], bool]:
    """The exercise ids a cell checks, and whether its check calls are actually live code."""
    if DEMO_TAG in cell.metadata.get("tags", []):  # calls check() to show a mistake on purpose
        return [], False
    ids = list(dict.fromkeys(m["id"] for m in CHECK_CALL.finditer(cell.source)))
    if ids:
        return ids, True
    if CHECK_TAG in cell.metadata.get("tags", []):  # a check cell whose call was commented out
        return list(dict.fromkeys(m["id"] for m in ANY_CHECK_CALL.finditer(cell.source))), False
    return [], False


def _check_result(
    exercise_id: str, cell, live: bool, exercise_errors: list, error_used: bool, timeout: float
) -> ExerciseResult:
    """The status of one exercise from its check cell and the exercise cells before it."""
    error = _error(cell)
    if f"✔ Exercise {exercise_id} passed" in _stdout(cell):
        return ExerciseResult(exercise_id, DONE)
    own = [e for e in exercise_errors if e.get("ename") not in NOT_STARTED_ERRORS]
    if own:
        return ExerciseResult(
            exercise_id, FAILING, f"your exercise cell {_what_happened(own[0], timeout)}"
        )
    if not live:
        return ExerciseResult(
            exercise_id, NOT_STARTED, f'its check cell does not call check("{exercise_id}", ...)'
        )
    if error is None:
        return ExerciseResult(
            exercise_id,
            NOT_STARTED,
            f'the check cell ran but did not print "Exercise {exercise_id} passed"',
        )
    if error_used:  # a cell checking two exercises stops at the first that fails
        return ExerciseResult(
            exercise_id, NOT_STARTED, "not checked: the cell stopped at an earlier check"
        )
    ename = error.get("ename")
    if ename in NOT_STARTED_ERRORS:
        return ExerciseResult(exercise_id, NOT_STARTED)
    if ename == "Mistake":
        return ExerciseResult(exercise_id, FAILING, _first_line(error.get("evalue", "")))
    if exercise_errors:  # the exercise cell still raises the stub's NotImplementedError
        return ExerciseResult(exercise_id, NOT_STARTED)
    if ename == "KeyboardInterrupt":
        return ExerciseResult(exercise_id, FAILING, "the check " + _what_happened(error, timeout))
    detail = _what_happened(error, timeout).removeprefix("raised ")
    return ExerciseResult(exercise_id, FAILING, detail)


def classify(nb, timeout: float = 120, name: str = "") -> NotebookReport:
    """Read an executed notebook's outputs into one result per exercise (no kernel needed)."""
    report = NotebookReport(name)
    results: dict[str, ExerciseResult] = {}
    exercise_errors: list[dict] = []  # errors of the exercise cells since the last check cell
    outside: list[str] = []
    for n, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        error = _error(cell)
        ids, live = _check_ids(cell)
        if EXERCISE_TAG in tags and error is not None:
            exercise_errors.append(error)
        if ids:
            error_used = False
            for exercise_id in ids:
                result = _check_result(
                    exercise_id, cell, live, exercise_errors, error_used, timeout
                )
                error_used |= result.status != DONE and error is not None
                results[exercise_id] = result
            exercise_errors = []
        elif error is not None and EXERCISE_TAG not in tags and RAISES_TAG not in tags:
            outside.append(f"cell {n} (`{_snippet(cell)}`) {_what_happened(error, timeout)}")
    report.exercises = list(results.values())
    if outside:
        more = f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""
        report.state = "error outside the exercises"
        report.problem = f"error outside the exercises: {outside[0]}{more}"
    return report


# -- running the notebooks ----------------------------------------------------------------------


def read_notebook(path: Path):
    """The notebook at `path` as nbformat v4, or ValueError saying why it is not a notebook."""
    import nbformat

    try:
        nb = nbformat.convert(nbformat.reader.reads(path.read_text(encoding="utf-8")), 4)
        nbformat.validate(nb)
    except Exception as e:
        raise ValueError(f"not a valid notebook ({type(e).__name__}: {_first_line(e)})") from None
    return nb


def _kernel_env() -> dict[str, str]:
    """The kernel imports the same course_lib as this command, even when it is not installed."""
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}


def run_notebook(nb, cwd: Path, workdir: Path, timeout: float, kernel_name: str):
    """Execute `nb` in place in a fresh kernel started in `cwd`.

    Returns None, or why the run stopped early (the kernel died); raises KernelStartError when the
    kernel cannot be started.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError
    from traitlets.config import Config

    for cell in nb.cells:  # cells left empty are not executed: drop their old outputs too
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    # The kernel's connection file goes in the temporary folder too, not in Jupyter's runtime dir.
    config = Config({"KernelManager": {"connection_file": str(workdir / "kernel.json")}})
    client = NotebookClient(
        nb,
        config=config,
        timeout=timeout,
        kernel_name=kernel_name,
        allow_errors=True,
        shutdown_kernel="immediate",  # a throwaway kernel: no need to wait for a clean exit
        interrupt_on_timeout=True,  # an endless loop is stopped and reported, not fatal
        extra_arguments=["--HistoryManager.enabled=False"],  # keep your IPython history clean
        resources={"metadata": {"path": str(cwd)}},
    )
    started, running = False, None  # `running`: the 1-based number of the cell being executed
    with open(workdir / "kernel.log", "w", encoding="utf-8") as log:
        try:
            with client.setup_kernel(env=_kernel_env(), stdout=log, stderr=log):
                started = True
                for running, cell in enumerate(nb.cells, 1):
                    client.execute_cell(cell, running - 1)
                running = None
        except Exception as e:
            if not started:
                raise KernelStartError(f"{type(e).__name__}: {_first_line(e) or e!r}") from None
            if running is None:  # every cell ran; only shutting the kernel down went wrong
                return None
            why = "the kernel died" if isinstance(e, DeadKernelError) else _first_line(e)
            snippet = _snippet(nb.cells[running - 1])
            del nb.cells[running - 1 :]  # keep the results of the cells that did run
            return f"{why} while running cell {running} (`{snippet}`)"
    return None


def progress(
    folder: Path, timeout: float = 120, kernel_name: str = "python3", log=None
) -> list[NotebookReport]:
    """Run a temporary copy of each notebook in `folder` and report every exercise in it.

    One line per notebook goes to `log` (default: stderr) as it starts.
    """
    log = sys.stderr if log is None else log
    notebooks = course_notebooks(folder)
    reports = []
    with tempfile.TemporaryDirectory(prefix="course-progress-") as tmp:
        workdir = Path(tmp)
        copy = workdir / "notebooks"
        # Everything beside the notebooks comes too (data files, helper modules), except hidden
        # folders such as .ipynb_checkpoints or a virtual environment.
        shutil.copytree(
            folder,
            copy,
            ignore=shutil.ignore_patterns(".*", "__pycache__"),
            ignore_dangling_symlinks=True,
        )
        for path in notebooks:
            print(f"running {path.name} ...", file=log, flush=True)
            try:
                nb = read_notebook(copy / path.name)
            except ValueError as e:
                reports.append(NotebookReport(path.name, "could not run", f"could not run: {e}"))
                continue
            stopped = run_notebook(nb, copy, workdir, timeout, kernel_name)
            report = classify(nb, timeout, path.name)
            if stopped:
                report.state = "could not run"
                report.problem = f"could not run: {stopped}; later exercises were not checked"
            reports.append(report)
    return reports


# -- output -------------------------------------------------------------------------------------


def to_json(folder: Path, reports: list[NotebookReport]) -> dict:
    """The machine-readable report (`--json`)."""
    return {
        "folder": str(folder.resolve()),
        "notebooks": [asdict(r) for r in reports],
        "total": totals(reports),
    }


def totals(reports: list[NotebookReport]) -> dict[str, int]:
    results = [e for r in reports for e in r.exercises]
    counts = {s: sum(e.status == s for e in results) for s in STATUSES}
    return {**counts, "exercises": len(results)}


def _clip(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 3] + "..."


def format_table(reports: list[NotebookReport], width: int = 100) -> str:
    """One block per notebook (exercise, status, detail clipped to `width`), then the total."""
    idw = max([3, *(len(e.id) for r in reports for e in r.exercises)])
    lines = []
    for r in reports:
        lines.append(r.notebook)
        if r.problem:  # rare and about the whole notebook: wrapped, never clipped
            lines += textwrap.wrap(
                r.problem, width, initial_indent="  ! ", subsequent_indent="    "
            )
        for e in r.exercises:
            lines.append(_clip(f"  {e.id:<{idw}}  {e.status:<11}  {e.detail}".rstrip(), width))
        if not r.exercises and r.state != "could not run":
            lines.append("  (no exercises)")
    t = totals(reports)
    lines.append("")
    lines.append(
        f"Total: {t[DONE]} done, {t[FAILING]} failing, {t[NOT_STARTED]} not started "
        f"(of {t['exercises']} exercises)"
    )
    broken = [r.notebook for r in reports if r.state == "could not run"]
    if broken:
        lines.append(_clip(f"Could not run: {', '.join(broken)}", width))
    failing = [e.id for r in reports for e in r.exercises if e.status == FAILING]
    if failing:
        lines.append(f'For a hint, run hint("{failing[0]}") in its notebook (each call says more).')
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(
        prog="python -m course_lib progress",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("folder", nargs="?", type=Path, default=Path("notebooks"), help="(notebooks)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--timeout", type=float, default=120, help="seconds allowed per cell (120)")
    p.add_argument("--kernel", default="python3", help="Jupyter kernel to run them with (python3)")
    args = p.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):  # a diagnosis may hold characters the console lacks
        sys.stdout.reconfigure(errors="replace")

    folder = args.folder
    if not folder.is_dir():
        hint = " (run `make notebooks` to create it)" if folder == Path("notebooks") else ""
        print(f"progress: there is no folder {folder}{hint}", file=sys.stderr)
        return 2
    if not course_notebooks(folder):
        print(f"progress: no course notebooks (NN_name.ipynb) in {folder}", file=sys.stderr)
        return 2
    try:
        reports = progress(folder, args.timeout, args.kernel)
    except (shutil.Error, OSError) as e:
        print(f"progress: could not copy {folder} to a temporary folder: {e}", file=sys.stderr)
        return 2
    except KernelStartError as e:
        print(
            f"progress: could not start the Jupyter kernel {args.kernel!r}, so no notebook was "
            f"run ({e}). Is ipykernel installed in this environment? `make install` sets it up.",
            file=sys.stderr,
        )
        return 2
    if args.json:
        print(json.dumps(to_json(folder, reports), indent=2))
    else:
        print(format_table(reports, max(60, shutil.get_terminal_size((100, 24)).columns)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
