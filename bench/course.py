"""How long does the whole course take to run, and how much memory does a learner's kernel need?
Executes every solution notebook once, top to bottom, in a fresh kernel, and prints each one's wall
time and its kernel's peak resident memory (what a JupyterHub must give each learner), and the
total time (target: <= 60 s for all notebooks on 2 cores). A measurement, not a test.

    python bench/course.py [folder]          # default: solutions
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_lib.course import course_notebooks

# Appended to each notebook: the kernel's peak resident memory in MiB (ru_maxrss is in KiB on
# Linux, in bytes on macOS).
PEAK_MEMORY = (
    "import resource, sys\n"
    "_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(_kib / (1024**2 if sys.platform == 'darwin' else 1024))"
)


def run(path: Path) -> tuple[float, int, float]:
    """Seconds to start a kernel and execute the notebook, the number of cells that errored
    (outside cells tagged raises-exception), and the kernel's peak memory in MiB."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_MEMORY))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", allow_errors=True,
            resources={"metadata": {"path": tmp}},
        )  # fmt: skip
        client.execute()
    seconds = time.perf_counter() - start
    peak = float(nb.cells.pop().outputs[0].text)
    errors = sum(
        any(o.output_type == "error" for o in c.get("outputs", []))
        for c in nb.cells
        if "raises-exception" not in c.metadata.get("tags", [])
    )
    return seconds, errors, peak


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "solutions")
    paths = course_notebooks(folder)
    if not paths:
        print(f"no notebooks in {folder}/")
        return 2
    total, peaks = 0.0, []
    print(f"{'notebook':36s} {'seconds':>8s} {'peak MiB':>9s}  unexpected errors")
    for path in paths:
        seconds, errors, peak = run(path)
        total += seconds
        peaks.append(peak)
        print(f"{path.name:36s} {seconds:8.2f} {peak:9.0f}  {errors}")
    print(
        f"{'all ' + str(len(paths)) + ' notebooks':36s} {total:8.2f} {max(peaks):9.0f}"
        "  (target <= 60 s; peak: the largest kernel)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
