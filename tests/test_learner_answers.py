"""Answers written as a learner would (tests/exercise_cases/learner_answers.py): every right
spelling passes, every slip is refused with the message that names it, no answer crashes the
check, and an answer right in torch that course_lib cannot run yet is refused for that reason
only (when the engine gains the function, it moves to the right answers)."""

from __future__ import annotations

import pytest
from exercise_cases.learner_answers import ANSWERS, PHRASES

from course_lib.exercises import Mistake, check


@pytest.mark.slow
@pytest.mark.parametrize(
    "exercise_id, label, answer, kind", ANSWERS, ids=[f"{a[0]}: {a[1]}" for a in ANSWERS]
)
def test_learner_answer(exercise_id, label, answer, kind, capsys):
    if kind == "R":
        check(exercise_id, answer)
        assert capsys.readouterr().out.startswith(f"✔ Exercise {exercise_id} passed")
        return
    with pytest.raises(Mistake) as info:
        check(exercise_id, answer)
    assert PHRASES[(exercise_id, label)] in info.value.message


def test_every_exercise_has_right_and_wrong_learner_answers():
    from course_lib.exercises import all_exercises

    for ex in all_exercises():
        kinds = {kind for i, _, _, kind in ANSWERS if i == ex.id}
        assert {"R", "W"} <= kinds, f"exercise {ex.id} needs right and wrong learner answers"
