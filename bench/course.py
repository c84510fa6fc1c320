"""How long does the whole course take to run? Executes every solution notebook once, top to
bottom, in a fresh kernel, and prints each one's wall time and the total (target: <= 60 s for all
notebooks on 2 cores). A measurement, not a test.

    python bench/course.py [folder]          # default: solutions
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path) -> tuple[float, int]:
    """Seconds to start a kernel and execute the notebook, and the number of cells that errored."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", allow_errors=True,
            resources={"metadata": {"path": tmp}},
        )  # fmt: skip
        client.execute()
    seconds = time.perf_counter() - start
    errors = sum(
        any(o.output_type == "error" for o in c.get("outputs", []))
        for c in nb.cells
        if "raises-exception" not in c.metadata.get("tags", [])
    )
    return seconds, errors


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "solutions")
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        print(f"no notebooks in {folder}/")
        return 2
    total = 0.0
    print(f"{'notebook':36s} {'seconds':>8s}  unexpected errors")
    for path in paths:
        seconds, errors = run(path)
        total += seconds
        print(f"{path.name:36s} {seconds:8.2f}  {errors}")
    print(f"{'all ' + str(len(paths)) + ' notebooks':36s} {total:8.2f}  (target <= 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
