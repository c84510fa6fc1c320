"""Measure how often course_lib behaves as torch on generated programs, per category.

    .venv/bin/python tests/fuzz_measure.py --programs 250          # 250 programs per category
    .venv/bin/python tests/fuzz_measure.py --known                 # only the unknown differences

Prints, per category, the programs run and the share that behave identically, then each kind of
difference with its count and the shortest program that showed it.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import torch
from fuzz_programs import CATEGORIES, compare, programs, render, run_program
from hypothesis import HealthCheck, Phase, given, settings

import course_lib


def _signature(program, found) -> str:
    """A coarse class of a difference: its kind and the step's code with names and numbers out."""
    kind, where, t, c = found
    match = re.match(r"(?:step|final) (\d+)|final (v\d+)", where)
    step_code = ""
    if where.startswith("step"):
        step_code = program.steps[int(match.group(1))].code
    elif where.startswith("final"):
        name = where.split()[1].split(".")[0]
        step_code = next((s.code for s in program.steps if s.target == name), "")
    code = re.sub(r"v\d+", "v", step_code.splitlines()[-1] if step_code else "")
    code = re.sub(r"torch\.tensor\([^=]*?\)", "T", code)
    code = re.sub(r"-?\d+(\.\d+)?", "n", code)
    return f"{kind} | {code.strip()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", type=int, default=250, help="programs per category")
    parser.add_argument(
        "--known", action="store_true", help="count the known divergences apart (not as classes)"
    )
    parser.add_argument("--categories", nargs="*", default=list(CATEGORIES))
    parser.add_argument("--show", type=int, default=60, help="classes to print")
    args = parser.parse_args()

    from test_fuzz_parity import RELAXED_COMPARISONS, known_divergence

    relax = frozenset(RELAXED_COMPARISONS)
    known_counts: collections.Counter = collections.Counter()
    totals: dict[str, list[int]] = {}
    classes: dict[str, list] = {}
    start = time.perf_counter()
    for category in args.categories:
        totals[category] = [0, 0]

        @settings(
            max_examples=args.programs,
            phases=[Phase.generate],
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(programs(category))
        def run(program):
            tally = totals[program.category]
            tally[0] += 1
            t_rec = run_program(torch, program)
            c_rec = run_program(course_lib, program)
            found = compare(t_rec, c_rec, relax)
            if found is None:
                tally[1] += 1
                return
            known = known_divergence(program, found)
            known_counts[known] += 1
            if args.known and known is not None:
                return
            sig = f"{program.category} | {_signature(program, found)}"
            entry = classes.setdefault(sig, [0, None, None])
            entry[0] += 1
            if entry[1] is None or len(program.steps) < len(entry[1].steps):
                entry[1], entry[2] = program, found

        run()
    elapsed = time.perf_counter() - start
    n = sum(t[0] for t in totals.values())
    ok = sum(t[1] for t in totals.values())
    print(f"{n} programs in {elapsed:.0f} s; {ok / n:.1%} identical")
    for category, (runs, same) in totals.items():
        print(f"  {category:18s} {runs:5d} programs  {same / runs:6.1%} identical")
    print("first differences by known divergence:", dict(known_counts.most_common()))
    by_kind = collections.Counter()
    for sig, (count, _, _) in classes.items():
        by_kind[sig.split(" | ")[1]] += count
    print("differences by kind:", dict(by_kind.most_common()))
    for sig, (count, program, found) in sorted(classes.items(), key=lambda kv: -kv[1][0])[
        : args.show
    ]:
        kind, where, t, c = found
        print(f"\n=== {count}x {sig}\n{render(program)}\n-- {kind} at {where}")
        print(f"   torch:      {str(t)[:400]}")
        print(f"   course_lib: {str(c)[:400]}")


if __name__ == "__main__":
    main()
