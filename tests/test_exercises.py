"""Every exercise's check: the solution passes, the untouched stub says "not implemented yet",
and realistic wrong answers are rejected with their own diagnosis (a check that passes a wrong
answer is a defect). Hints come in tiers and only the last may give the answer away."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from course_lib.exercises import Mistake, NotStarted, _check, all_exercises, check, hint


def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise: the untouched stub")


# One module per notebook in tests/exercise_cases/ (nb00.py, nb01.py, ...), each with a CASES dict:
# exercise id -> (a correct answer, [(a wrong answer, a phrase its diagnosis must contain), ...])
CASES = {}
for _info in pkgutil.iter_modules([str(Path(__file__).parent / "exercise_cases")]):
    CASES.update(getattr(importlib.import_module(f"exercise_cases.{_info.name}"), "CASES", {}))


def test_every_exercise_has_cases_here():
    ids = [ex.id for ex in all_exercises()]
    assert ids, "no exercises registered"
    assert sorted(ids) == sorted(CASES), (
        "add the new exercise's solution and wrong answers to CASES"
    )


@pytest.mark.parametrize("exercise_id", sorted(CASES))
def test_the_solution_passes(exercise_id, capsys):
    solution, _ = CASES[exercise_id]
    check(exercise_id, solution)
    out = capsys.readouterr().out
    assert out.startswith(f"✔ Exercise {exercise_id} passed: ") and out.count("\n") == 1


@pytest.mark.parametrize("exercise_id", sorted(CASES))
def test_the_untouched_stub_is_not_started(exercise_id):
    with pytest.raises(NotStarted, match="is not implemented yet") as info:
        check(exercise_id, _stub)
    rendered = info.value._render_traceback_()
    assert (
        len(rendered) == 2 and "not implemented yet" in rendered[0]
    )  # one line, no traceback wall
    assert f"hint('{exercise_id}')" in rendered[1]


WRONG = [(i, w, phrase) for i, (_, wrongs) in CASES.items() for w, phrase in wrongs]


@pytest.mark.parametrize("exercise_id, wrong, phrase", WRONG)
def test_a_wrong_answer_gets_its_diagnosis(exercise_id, wrong, phrase):
    with pytest.raises(Mistake) as info:
        check(exercise_id, wrong)
    assert phrase in str(info.value)
    assert info.value.exercise_id == exercise_id


@pytest.mark.parametrize("exercise_id", sorted(CASES))
def test_each_exercise_has_at_least_two_diagnosed_wrong_answers(exercise_id):
    phrases = {p for _, p in CASES[exercise_id][1] if p != "differs from the expected values"}
    assert len(phrases) >= 2


def test_code_that_crashes_is_reported_as_a_mistake_naming_the_error():
    with pytest.raises(Mistake, match="your code raised TypeError"):
        check("0.1", lambda x: x + None)


@pytest.mark.parametrize("ex", all_exercises(), ids=lambda ex: ex.id)
def test_hints_get_more_concrete_and_stop_at_the_last(ex, monkeypatch, capsys):
    monkeypatch.setattr(_check, "_hints_shown", {})
    for _ in range(len(ex.hints) + 1):
        hint(ex.id)
    lines = capsys.readouterr().out.splitlines()
    n = len(ex.hints)
    assert n >= 2
    assert [line.split(":")[0] for line in lines] == [
        f"Hint {k}/{n} for Exercise {ex.id}" for k in [*range(1, n + 1), n]
    ]
    assert len(set(ex.hints)) == n


def test_an_unknown_exercise_names_the_known_ones():
    with pytest.raises(KeyError, match="no exercise '9.9'.*0.1"):
        check("9.9", lambda x: x)
