"""Write the learner notebooks (`notebooks/`) from the solved ones (`solutions/`).

    python -m course_lib notebooks [--force] [--check]      # or: make notebooks

`solutions/NN_name.ipynb` is the only hand-edited copy. In it, exercise code sits between
`### BEGIN SOLUTION <id>` and `### END SOLUTION`, and code the learner should not see between
`### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`. The learner copy gets, for each solution block,
`# YOUR CODE HERE` and `raise NotImplementedError("Exercise <id>: <task>")` at the block's
indentation; hidden tests are dropped; outputs are cleared; exercise cells and the `check(...)`
cells after them are tagged `exercise` / `check` and `raises-exception`, so the untouched copy runs
under nbval-lax. (A cell tagged `demo` that calls check() on purpose is not a check cell.)

A learner's work is never overwritten: each generated notebook stores a hash of its cells in its
metadata; a notebook whose cells no longer match that hash has been edited, and is left alone
unless `--force` is given, which first saves it beside itself with a timestamp.
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_lib.course import course_notebooks

BEGIN = re.compile(r"^(?P<indent>[ \t]*)### BEGIN SOLUTION(?:\s+(?P<id>\d+\.\d+))?\s*$")
END = re.compile(r"^[ \t]*### END SOLUTION\s*$")
BEGIN_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS\s*$")
END_HIDDEN = re.compile(r"^[ \t]*### END HIDDEN TESTS\s*$")
CHECK_CALL = re.compile(r"""^\s*check\(\s*["'](?P<id>\d+\.\d+)["']""", re.MULTILINE)
META_KEY = "torch_unboxed"
EXERCISE_TAG, CHECK_TAG, RAISES_TAG = "exercise", "check", "raises-exception"
DEMO_TAG = "demo"  # a cell that calls check() to show a diagnosis on purpose: not a check cell


class BuildError(ValueError):
    """A solution notebook whose markers are malformed."""


def task_text(exercise_id: str) -> str:
    """The one-line task of an exercise, from its check module (course_lib.exercises)."""
    from ..exercises import get

    return get(exercise_id).task


def strip_solutions(source: str, where: str) -> tuple[str, list[str]]:
    """Replace each solution block by a stub and drop hidden tests; return (source, exercise ids)."""
    out, ids, block, hidden = [], [], None, False
    for n, line in enumerate(source.split("\n"), 1):
        if BEGIN_HIDDEN.match(line):
            if hidden or block:
                raise BuildError(f"{where}, line {n}: BEGIN HIDDEN TESTS inside another block")
            hidden = True
        elif END_HIDDEN.match(line):
            if not hidden:
                raise BuildError(f"{where}, line {n}: END HIDDEN TESTS without BEGIN")
            hidden = False
        elif m := BEGIN.match(line):
            if hidden or block:
                raise BuildError(f"{where}, line {n}: BEGIN SOLUTION inside another block")
            if not m["id"]:
                raise BuildError(
                    f"{where}, line {n}: write the exercise id: ### BEGIN SOLUTION 3.2"
                )
            block = m
            ids.append(m["id"])
            indent = m["indent"]
            out += [f"{indent}# YOUR CODE HERE", *_stub(indent, m["id"])]
        elif END.match(line):
            if not block:
                raise BuildError(f"{where}, line {n}: END SOLUTION without BEGIN")
            block = None
        elif not (block or hidden):
            out.append(line)
    if block or hidden:
        raise BuildError(f"{where}: a BEGIN marker is never closed")
    return "\n".join(out).rstrip("\n"), ids


def _stub(indent: str, exercise_id: str, width: int = 100) -> list[str]:
    """`raise NotImplementedError("Exercise <id>: <task>")`, laid out as ruff formats it."""
    message = json.dumps(f"Exercise {exercise_id}: {task_text(exercise_id)}", ensure_ascii=False)
    line = f"{indent}raise NotImplementedError({message})"
    if len(line) <= width:
        return [line]
    return [f"{indent}raise NotImplementedError(", f"{indent}    {message}", f"{indent})"]


def cells_hash(nb) -> str:
    """A hash of what a learner edits: each cell's type and source (outputs don't count)."""
    h = hashlib.sha256()
    for cell in nb.cells:
        h.update(cell.cell_type.encode() + b"\0" + cell.source.encode() + b"\0\0")
    return h.hexdigest()[:16]


def learner_copy(solution, name: str):
    """The learner's notebook for a solution notebook (a new nbformat object)."""
    nb = copy.deepcopy(solution)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        tags = [t for t in cell.metadata.get("tags", []) if t not in (EXERCISE_TAG, CHECK_TAG)]
        source, ids = strip_solutions(cell.source, f"{name}, cell {i}")
        cell.source = source
        if ids:
            tags += [EXERCISE_TAG]
        is_check = bool(CHECK_CALL.search(source)) and DEMO_TAG not in tags
        if is_check:
            tags += [CHECK_TAG]
        if (ids or is_check) and RAISES_TAG not in tags:
            tags.append(RAISES_TAG)
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    nb.metadata[META_KEY] = {"generated_from": f"solutions/{name}", "cells_hash": cells_hash(nb)}
    return nb


def dumps(nb) -> str:
    return nbformat.writes(nb) + "\n"


@dataclass
class Outcome:
    path: Path
    action: str  # "written", "unchanged", "refused", "saved and rewritten", "differs"
    backup: Path | None = None


def is_learners_work(path: Path) -> bool:
    """True when the notebook at `path` was edited since we generated it (or is not ours)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return True
    stored = nb.metadata.get(META_KEY, {}).get("cells_hash")
    return stored != cells_hash(nb)


def build(
    solutions: Path, notebooks: Path, force: bool = False, check: bool = False
) -> list[Outcome]:
    """Generate every learner notebook; with `check`, only report which would change."""
    outcomes = []
    if not check:
        notebooks.mkdir(parents=True, exist_ok=True)
    for src in course_notebooks(solutions):
        target = notebooks / src.name
        text = dumps(learner_copy(nbformat.read(src, as_version=4), src.name))
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            outcomes.append(Outcome(target, "unchanged"))
        elif check:
            outcomes.append(Outcome(target, "differs"))
        elif current is not None and is_learners_work(target):
            if not force:
                outcomes.append(Outcome(target, "refused"))
                continue
            stamp = _dt.datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
            backup = target.with_name(f"{target.stem}.{stamp}.ipynb")
            shutil.copy2(target, backup)
            target.write_text(text, encoding="utf-8")
            outcomes.append(Outcome(target, "saved and rewritten", backup))
        else:
            target.write_text(text, encoding="utf-8")
            outcomes.append(Outcome(target, "written"))
    return outcomes


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m course_lib notebooks", description=__doc__)
    p.add_argument("--solutions", type=Path, default=Path("solutions"))
    p.add_argument("--notebooks", type=Path, default=Path("notebooks"))
    p.add_argument("--force", action="store_true", help="overwrite edited notebooks (saved first)")
    p.add_argument("--check", action="store_true", help="only report notebooks that would change")
    args = p.parse_args(argv)
    try:
        outcomes = build(args.solutions, args.notebooks, force=args.force, check=args.check)
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    status = 0
    for o in outcomes:
        if o.action == "refused":
            status = 1
            print(
                f"kept {o.path}: it has your changes (its cells differ from what this command "
                f"last wrote), so it was not overwritten.\n  To keep your work and get the new "
                f"version, rename it, or run `make notebooks FORCE=1` (or --force), which first "
                f"saves it as {o.path.stem}.<date>.ipynb beside it."
            )
        elif o.action == "differs":
            status = 1
            print(f"out of date: {o.path} (run `make notebooks`)")
        elif o.action == "saved and rewritten":
            print(f"saved your copy as {o.backup}, then rewrote {o.path}")
        elif o.action == "written":
            print(f"wrote {o.path}")
    if not outcomes:
        print(f"no notebooks found in {args.solutions}/")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
