"""The one error each cell of an untouched learner notebook may raise (used by the root conftest.py,
which runs the learner notebooks under nbval-lax)."""


def expected_error_problem(tags, errors, stored) -> str | None:
    """Why a learner cell's errors are not the expected ones, or None when they are.

    `errors` and `stored` are lists of (ename, evalue): what the cell raised, what the solution's
    copy of the cell stores."""
    if "check" in tags:
        if [e for e, _ in errors] != ["NotStarted"] or "is not implemented yet" not in errors[0][1]:
            return f"a check cell of an untouched notebook must say NotStarted, it raised {errors}"
    elif "exercise" in tags:
        if not all(e == "NotImplementedError" and v.startswith("Exercise ") for e, v in errors):
            return f"an exercise stub may raise only its NotImplementedError, it raised {errors}"
    elif "raises-exception" in tags:
        if errors != stored:
            return f"this cell shows an error on purpose: expected {stored}, it raised {errors}"
    elif errors:
        return f"raised {errors}"
    return None
