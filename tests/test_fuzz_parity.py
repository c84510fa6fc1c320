"""Differential fuzzing against torch: generated tutorial-style programs must behave identically.

Each category runs FUZZ_EXAMPLES programs (default 70, which keeps the run of all 18 categories
near 25 s of CPU; `make fuzz` runs more, with fresh random programs). The programs are
derandomized by default, so CI sees the same ones on every run; set FUZZ_RANDOM=1 to explore.
A difference fails with a shrunk reproducer and both libraries' output.

Differences that are known and not yet fixed in the engine are listed in KNOWN_DIVERGENCES: a
program whose first difference matches one is not a failure. Each entry names its regression test
in tests/test_fuzz_regressions.py, which is xfail(strict=True): when the engine is fixed that test
passes, fails as XPASS, and both it and the entry here must be updated.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from fuzz_programs import CATEGORIES, compare, programs, render, report, run_program
from hypothesis import HealthCheck, given, settings

import course_lib

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "70"))
RANDOM = os.environ.get("FUZZ_RANDOM", "") not in ("", "0")


@dataclass(frozen=True)
class Known:
    """A known difference: the kind of difference, and patterns its step, torch's output and
    course_lib's output must match (None matches anything)."""

    reason: str
    kinds: tuple[str, ...]
    code: str | None = None
    torch: str | None = None
    course: str | None = None
    where: str | None = None  # where the difference shows ('step 3 ...', 'final v0.values')
    program: str | None = None  # a pattern the whole program's source must contain

    def matches(self, found, code: str, source: str) -> bool:
        kind, where, t, c = found
        return (
            kind in self.kinds
            and (self.code is None or re.search(self.code, code) is not None)
            and (self.where is None or re.search(self.where, where) is not None)
            and (self.program is None or re.search(self.program, source) is not None)
            and (self.torch is None or re.search(self.torch, _text(t)) is not None)
            and (self.course is None or re.search(self.course, _text(c)) is not None)
        )


def _text(obs) -> str:
    """An observation as plain text, for the patterns above (no repr escapes of quotes)."""
    if isinstance(obs, list | tuple):
        return " ".join(_text(o) for o in obs)
    return str(obs)


# Each key is the name of a regression test in test_fuzz_regressions.py (test_<name>).
KNOWN_DIVERGENCES: dict[str, Known] = {
    "sgn_grad_is_a_zero_tensor": Known(
        "torch's gradient of sgn is a zero tensor without storage (its tolist() raises)",
        ("grad value",),
        program=r"sgn\(",
        torch=r"unallocated storage",
    ),
    "index_copy_partial_write_before_error": Known(
        "index_copy_ / index_add_ write the slices before a bad index, then raise",
        ("value",),
        program=r"index_(copy|add)_\(",
        where=r"^final ",
    ),
}

# Comparisons relaxed while the engine catches up (passed to `compare`).
RELAXED_COMPARISONS: dict[str, str] = {}


def step_code(program, where: str) -> str:
    """The source of the step a difference was found at ('step 3 raised', 'final v2.values')."""
    match = re.match(r"step (\d+)", where)
    if match:
        return program.steps[int(match.group(1))].code
    match = re.match(r"final (v\d+)", where)
    if match:
        return next((s.code for s in program.steps if s.target == match.group(1)), "")
    return ""


def known_divergence(program, found) -> str | None:
    code, source = step_code(program, found[1]), render(program)
    return next(
        (name for name, k in KNOWN_DIVERGENCES.items() if k.matches(found, code, source)), None
    )


@pytest.mark.parametrize("category", CATEGORIES)
def test_programs_behave_as_in_torch(torch, category):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=RANDOM,
    )
    @given(programs(category))
    def check(program):
        torch_record = run_program(torch, program)
        course_record = run_program(course_lib, program)
        found = compare(torch_record, course_record, frozenset(RELAXED_COMPARISONS))
        if found is not None and known_divergence(program, found) is None:
            raise AssertionError(report(program, torch_record, course_record, found))

    check()


def test_each_known_divergence_has_a_strict_xfail_regression_test():
    import test_fuzz_regressions as regressions

    for name in KNOWN_DIVERGENCES:
        case = regressions.CASES.get(name) or regressions.WARN_ONCE_CASES.get(name)
        assert case is not None, f"KNOWN_DIVERGENCES[{name!r}] has no case in test_fuzz_regressions"
        assert case.xfail, (
            f"{name!r} now passes in test_fuzz_regressions: remove it from KNOWN_DIVERGENCES"
        )
