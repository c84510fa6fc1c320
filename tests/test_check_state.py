"""A check's verdict does not depend on what ran before in the kernel, so `progress` (a fresh
kernel) and the check cell (a kernel with history) agree on every answer; and a check leaves the
learner's random stream and deterministic-algorithms switch as they were."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import numpy as np
import pytest

import course_lib as torch
from course_lib import nn
from course_lib.exercises import Mistake, NotStarted, check

CASES = {}
for _info in pkgutil.iter_modules([str(Path(__file__).parent / "exercise_cases")]):
    CASES.update(getattr(importlib.import_module(f"exercise_cases.{_info.name}"), "CASES", {}))


def _verdict(exercise_id, answer) -> str:
    try:
        check(exercise_id, answer)
    except (Mistake, NotStarted) as e:
        return f"{type(e).__name__}: {e.message}"
    return "passed"


def _dirty_kernel() -> None:
    """What a learner's earlier cells may have left: a seed, drawn numbers, freed blocks of
    ones (memory that `empty` may hand back), the switch set either way."""
    torch.manual_seed(1234)
    torch.randn(1000)
    for n in (3, 4, 8, 64):
        del_me = torch.ones(n)
        del del_me
        np.ones(n, dtype=np.float32)


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", sorted(CASES, key=lambda k: tuple(map(int, k.split(".")))))
def test_the_verdict_does_not_depend_on_the_kernel_history(exercise_id, capsys):
    solution, wrongs = CASES[exercise_id]
    answers = [solution, *(w for w, _ in wrongs)]
    torch.use_deterministic_algorithms(False)
    fresh = [_verdict(exercise_id, a) for a in answers]
    _dirty_kernel()
    dirty = [_verdict(exercise_id, a) for a in answers]
    torch.use_deterministic_algorithms(True)
    switched = [_verdict(exercise_id, a) for a in answers]
    torch.use_deterministic_algorithms(False)
    assert fresh == dirty == switched


class EmptyScale(nn.Module):
    """Starts from uninitialised memory: passes by luck when a freed block of ones comes back."""

    def __init__(self, num_features):
        super().__init__()
        self.scale = nn.Parameter(torch.empty(num_features))

    def forward(self, x):
        return x * self.scale


def test_a_parameter_from_empty_is_refused_whatever_the_memory_holds():
    for _ in range(3):
        _dirty_kernel()
        with pytest.raises(Mistake, match="uninitialised memory"):
            check("2.2", EmptyScale)


def test_a_check_leaves_the_random_stream_and_the_switch_as_they_were():
    torch.manual_seed(7)
    expected = torch.randn(3)
    torch.manual_seed(7)
    check("0.1", lambda x: x.mean(dim=1))
    assert torch.equal(torch.randn(3), expected)
    assert not torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    check("0.1", lambda x: x.mean(dim=1))
    assert torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(False)


ODD_ANSWERS = {
    "None": None,
    "a dict": {},
    "a string": "abc",
    "a generator": (i for i in range(3)),
    "a number": 3,
    "an object": object(),
    "a function returning a dict": lambda *a, **k: {},
    "a function returning a string": lambda *a, **k: "x",
    "a function returning None": lambda *a, **k: None,
    "a function returning a generator": lambda *a, **k: (x for x in []),
    "a function returning a NumPy array": lambda *a, **k: np.zeros(3),
    "a function that raises": lambda *a, **k: 1 / 0,
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ODD_ANSWERS)
@pytest.mark.parametrize("exercise_id", sorted(CASES, key=lambda k: tuple(map(int, k.split(".")))))
def test_any_answer_gets_one_line_from_the_check_itself(exercise_id, kind):
    with pytest.raises(Mistake) as info:
        check(exercise_id, ODD_ANSWERS[kind])
    message = info.value.message
    assert "\n" not in message and "could not be checked" not in message, message
