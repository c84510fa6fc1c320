"""A traceback stored in a solution notebook shows course_lib's code as it is now.

nbval compares an error's type and message but not its traceback, so a traceback whose frames
name lines of course_lib that have since moved would go on showing the learner the wrong code.
For every course_lib frame of every stored error, each numbered source line the frame shows
must be that line of the file today. After changing course_lib, re-run the notebooks
(`make outputs`)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FRAME = re.compile(r"^File [^\n]*?/(course_lib/[\w/]+\.py):(\d+), in ([^\n(]+)")
SOURCE_LINE = re.compile(r"^(?:-*> )?\s*(\d+) (.*)$")


def _frames(path: Path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            for entry in output["traceback"]:
                text = ANSI.sub("", entry)
                match = FRAME.match(text)
                if match:
                    yield index, match.group(1), int(match.group(2)), text.split("\n")[1:]


NOTEBOOKS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_tracebacks_match_course_lib(path):
    stale = []
    for cell, rel, line, shown in _frames(path):
        source = (ROOT / rel).read_text(encoding="utf-8").splitlines()
        marked, moved = False, False
        for text in shown:
            match = SOURCE_LINE.match(text)
            if not match:
                continue
            number, code = int(match.group(1)), match.group(2)
            marked |= text.lstrip().startswith("-") and number == line
            actual = source[number - 1] if number <= len(source) else "<past the end>"
            if actual.strip() != code.strip():
                stale.append(
                    f"cell {cell}: {rel}:{number} shows {code.strip()!r}, is {actual.strip()!r}"
                )
                moved = True
                break
        if not marked and not moved:
            stale.append(f"cell {cell}: {rel}:{line} is not the marked line of its frame")
    assert stale == [], f"{path.name}: re-run the notebook (`make outputs`):\n" + "\n".join(stale)


def test_the_check_reads_frames():
    # the notebooks store course_lib frames (cells that raise on purpose): the test is not empty
    assert sum(len(list(_frames(p))) for p in NOTEBOOKS) > 10
