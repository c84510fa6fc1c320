"""How long does the whole course take to run, and how much memory does a learner's kernel need?
Executes every solution notebook once, top to bottom, in a fresh kernel, and prints per notebook:
the wall time, the kernel's start, its cells, its shutdown, the kernel's CPU time (user + system,
its start included: on a shared machine wall time also counts the moments another process held the
core, CPU time does not), the wall and CPU time of the cells that use real torch (importing it is
most of it), the kernel's peak resident memory (what a JupyterHub must give each learner), and the
slowest cells. Target: <= 40 s for the whole course on 2 cores, torch installed. A measurement,
not a test.

    python bench/course.py [folder] [--cells N] [--blas-threads N]

Defaults: solutions/, the 3 slowest cells, the kernel's environment as it is. `--blas-threads 1`
starts each kernel with OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS set to 1, to see
how much of the time is BLAS threads waiting for a core (on a busy machine, most of it).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_lib.course import course_notebooks

# Prepended to each notebook: IPython's pre/post_run_cell events time every later cell (wall and
# the kernel's CPU), in a namespace of their own so the notebook's globals stay as they were.
TIMER = """exec('''
import time
from IPython import get_ipython

shell = get_ipython()
shell._bench_cells = []
shell._bench_start = None  # this cell's own end is not timed

def pre(info):
    shell._bench_start = (time.perf_counter(), time.process_time())

def post(result):
    if shell._bench_start is not None:
        wall, cpu = shell._bench_start
        shell._bench_cells.append((time.perf_counter() - wall, time.process_time() - cpu))

shell.events.register("pre_run_cell", pre)
shell.events.register("post_run_cell", post)
''', {})"""

# Appended to each notebook: the cell times, the kernel's CPU time so far and its peak resident
# memory in MiB (ru_maxrss is in KiB on Linux, in bytes on macOS).
REPORT = """exec('''
import json, resource, sys
from IPython import get_ipython

usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "cells": get_ipython()._bench_cells,  # this cell's own time is not in yet
    "cpu": usage.ru_utime + usage.ru_stime,
    "peak": usage.ru_maxrss / (1024**2 if sys.platform == "darwin" else 1024),
}))
''', {})"""


@dataclass
class Run:
    wall: float  # seconds from asking for a kernel to its shutdown
    start: float  # seconds to start the kernel and see it ready
    stop: float  # seconds from the last cell's end to the kernel's shutdown
    cpu: float  # the kernel's CPU seconds, its start included
    peak: float  # the kernel's peak resident memory, MiB
    errors: int  # cells that errored outside those tagged raises-exception
    cells: list[tuple[int, float, float]] = field(default_factory=list)  # (index, wall, cpu)
    torch_wall: float = 0.0  # wall seconds of the cells that use real torch
    torch_cpu: float = 0.0  # and their CPU seconds

    @property
    def cells_wall(self) -> float:
        return sum(w for _, w, _ in self.cells)


def run(path: Path, env: dict[str, str] | None = None) -> Run:
    nb = nbformat.read(path, as_version=4)
    cells = list(nb.cells)
    nb.cells = [nbformat.v4.new_code_cell(TIMER), *cells, nbformat.v4.new_code_cell(REPORT)]
    ready: list[float] = []
    complete: list[float] = []
    begin = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", allow_errors=True,
            # A throwaway kernel (as `progress` and nbval use): a graceful exit would add about 2 s
            # per notebook once torch is imported, time no learner waits for.
            shutdown_kernel="immediate",
            resources={"metadata": {"path": tmp}},
            on_notebook_start=lambda notebook: ready.append(time.perf_counter()),
            # (on_notebook_complete runs after the shutdown: the last cell's reply marks the end)
            on_cell_executed=lambda **_: complete.append(time.perf_counter()),
        )  # fmt: skip
        client.execute(**({"env": env} if env else {}))
    wall = time.perf_counter() - begin
    report = json.loads(nb.cells[-1].outputs[0].text)
    # The kernel timed each cell it ran: the code cells that are not blank (nbclient skips those).
    code = [i for i, c in enumerate(cells) if c.cell_type == "code" and c.source.strip()]
    assert len(code) == len(report["cells"]), (path, len(code), len(report["cells"]))
    timed = [(i, w, c) for i, (w, c) in zip(code, report["cells"])]
    uses_torch = [(w, c) for i, w, c in timed if "real_torch" in cells[i].source]
    errors = sum(
        any(o.output_type == "error" for o in c.get("outputs", []))
        for c in cells
        if "raises-exception" not in c.metadata.get("tags", [])
    )
    return Run(
        wall=wall, start=ready[0] - begin, stop=begin + wall - complete[-1], cpu=report["cpu"],
        peak=report["peak"], errors=errors,
        cells=sorted(timed, key=lambda t: -t[1]),
        torch_wall=sum(w for w, _ in uses_torch), torch_cpu=sum(c for _, c in uses_torch),
    )  # fmt: skip


def _row(t: dict) -> str:
    return (
        f"{t['wall']:6.2f} {t['start']:5.2f} {t['cells']:5.2f} {t['stop']:4.1f} {t['cpu']:6.2f} "
        f"{t['torch_wall']:5.2f}/{t['torch_cpu']:5.2f} {t['peak']:4.0f}"
    )


def main(argv: list[str]) -> int:
    n_cells, env = 3, None
    if "--cells" in argv:
        at = argv.index("--cells")
        n_cells = int(argv[at + 1])
        del argv[at : at + 2]
    if "--blas-threads" in argv:
        at = argv.index("--blas-threads")
        threads = argv[at + 1]
        del argv[at : at + 2]
        names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
        env = {**os.environ, **dict.fromkeys(names, threads)}
    folder = Path(argv[0] if argv else "solutions")
    paths = course_notebooks(folder)
    if not paths:
        print(f"no notebooks in {folder}/")
        return 2
    runs = []
    print(
        f"{'notebook':24s} {'wall s':>6s} {'start':>5s} {'cells':>5s} {'stop':>4s} {'CPU s':>6s} "
        f"{'torch':>11s} {'MiB':>4s} {'err':>3s}  slowest cells ([index] wall s / CPU s)"
    )
    for path in paths:
        r = run(path, env)
        runs.append(r)
        slowest = ", ".join(f"[{i}] {w:.2f}/{c:.2f}" for i, w, c in r.cells[:n_cells])
        print(
            f"{path.stem:24s} {_row(r.__dict__ | {'cells': r.cells_wall})} {r.errors:3d}  {slowest}"
        )
    total = {
        key: sum(getattr(r, key) for r in runs)
        for key in ("wall", "start", "cells_wall", "stop", "cpu", "torch_wall", "torch_cpu")
    }
    total["cells"], total["peak"] = total.pop("cells_wall"), max(r.peak for r in runs)
    print(f"{'all ' + str(len(runs)) + ' notebooks':24s} {_row(total)}")
    print(
        "wall: kernel start to shutdown; start: the kernel's start; cells: the notebook's cells"
        " (wall); stop: the kernel's shutdown; CPU: the kernel's user + system time, its start"
        " included; torch: wall / CPU of the cells that use real torch; MiB: peak resident memory"
        " (in the last row: the largest kernel). Target: <= 40 s wall in all."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
