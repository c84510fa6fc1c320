"""The per-exercise checking functions of the notebooks not yet declared in the one form of
`_check.py` (nb01 to nb04 and nb08 to nb10): `@exercise(...)` registers a function that runs the
answer and raises `Mistake`; the helpers below are what those functions use. Each notebook moves
to the declarative form of `_check.py` as it is rewritten, and this file goes with the last one."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tensor import Tensor
from ._check import _REGISTRY, Exercise, Mistake


def exercise(exercise_id: str, task: str, hints: list[str]):
    """Register a checking function `fn(answer) -> str` as exercise `exercise_id`."""

    def register(fn: Callable) -> Callable:
        _REGISTRY[exercise_id] = Exercise(exercise_id, task, list(hints), reference=fn, legacy=True)
        return fn

    return register


# -- helpers for writing checks ---------------------------------------------------------------


def run(answer: Callable, *args, **kwargs):
    """Call the learner's function; an exception other than NotImplementedError is a Mistake."""
    try:
        return answer(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as e:  # noqa: BLE001  (any error in learner code is reported, not raised)
        shown = ", ".join(_describe(a) for a in args)
        raise Mistake(f"your code raised {type(e).__name__}: {e} (called with {shown})") from None


def _describe(x) -> str:
    if isinstance(x, Tensor):
        return f"a tensor of shape {tuple(x.shape)}"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    return repr(x)


def as_array(x, what: str = "your answer") -> np.ndarray:
    """The values of a Tensor (or array or number) as float64 NumPy, or a Mistake."""
    if isinstance(x, Tensor):
        return np.asarray(x.detach()._array, dtype=np.float64)
    if isinstance(x, (np.ndarray, int, float, np.number)):
        return np.asarray(x, dtype=np.float64)
    raise Mistake(f"{what} should be a tensor, but it is {type(x).__name__}: {x!r:.80}")


def close(a, b, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def expect_close(got, expected, wrong: dict | None = None, what: str = "your answer", **tol):
    """Compare `got` with `expected`; if it matches a known wrong answer, raise that diagnosis.

    `wrong` maps a diagnosis message to the value that mistake would produce. Shapes are
    compared first, then the known mistakes, then a generic message naming the worst element.
    """
    g, e = as_array(got, what), np.asarray(expected, dtype=np.float64)
    if close(g, e, **tol):
        return
    for message, value in (wrong or {}).items():
        if close(g, value, **tol):
            raise Mistake(message)
    if g.shape != e.shape:
        raise Mistake(
            f"{what} has shape {tuple(g.shape)}, but it should have shape {tuple(e.shape)}"
        )
    if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
        raise Mistake(f"{what} contains nan or inf where the expected values are finite")
    worst = np.unravel_index(np.argmax(np.abs(g - e)), e.shape) if e.ndim else ()
    raise Mistake(
        f"{what} differs from the expected values: at index {tuple(int(i) for i in worst)} "
        f"it is {g[worst]:.6g}, expected {e[worst]:.6g}"
    )


# -- recognising a mistake by what it does on every reference case -----------------------------


def outcome(fn: Callable, *args) -> tuple:
    """("value", result) or ("error", "TypeName: message") for fn(*args); NotImplementedError passes.

    An answer's outcomes on the reference cases are its fingerprint: a known mistake is recognised
    because it gives the same values, or raises the same error, on the same cases.
    """
    try:
        out = fn(*args)
    except NotImplementedError:
        raise
    except Exception as e:  # noqa: BLE001  (the learner's error is part of the fingerprint)
        return ("error", f"{type(e).__name__}: {e}")
    return ("value", out)


def values(x) -> np.ndarray:
    """A tensor's (or array's, or number's) values as float64 NumPy."""
    if isinstance(x, Tensor):
        return np.asarray(x.detach()._array, dtype=np.float64)
    return np.asarray(x, dtype=np.float64)


def same_outcome(a: tuple, b: tuple, rtol: float = 1e-5, atol: float = 1e-5) -> bool:
    """Two outcomes agree: the same error text, or values close to each other."""
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return a[1] == b[1]
    try:
        return close(values(a[1]), values(b[1]), rtol=rtol, atol=atol)
    except (TypeError, ValueError):
        return False


def diagnose_outcomes(got: list, mistakes, first: int, rtol: float = 1e-5) -> str | None:
    """The diagnosis of a known mistake (a dict or (diagnosis, outcomes) pairs) that matches the
    answer on case `first`, preferring one that matches it on every case (several mistakes can
    raise the same error on one case)."""
    pairs = mistakes.items() if isinstance(mistakes, dict) else mistakes
    matching = [(d, outs) for d, outs in pairs if same_outcome(got[first], outs[first], rtol)]
    for diagnosis, outs in matching:
        if all(same_outcome(g, o, rtol) for g, o in zip(got, outs, strict=True)):
            return diagnosis
    return matching[0][0] if matching else None


def explain_wrong_tensor(
    descs: list,
    got: list,
    expected: list,
    mistakes,
    what: str,
    needs_grad: str | None = None,
    rtol: float = 1e-5,
) -> None:
    """Raise the Mistake for the first case where an answer that should return a tensor is wrong.

    `descs`, `got` and `expected` run over the reference cases: a description, the answer's
    outcome, the expected tensor. `mistakes` are the known mistakes' outcomes (as for
    `diagnose_outcomes`); `what` names the reference ("x @ weight.T + bias"). With `needs_grad`
    (e.g. "weight does: compute it with tensor ops ..."), a right value that does not require grad
    is a mistake too: it was computed outside autograd. Returns when every case is right.
    """
    for i, (desc, g, e) in enumerate(zip(descs, got, expected, strict=True)):
        if g[0] == "value" and not isinstance(g[1], Tensor):
            raise Mistake(
                f"your function should return a tensor, but for {desc} it returned "
                f"{type(g[1]).__name__}"
            )
        if same_outcome(g, ("value", e), rtol):
            if needs_grad and not g[1].requires_grad:
                raise Mistake(
                    f"for {desc}, your output does not require grad although {needs_grad}"
                )
            continue
        diagnosis = diagnose_outcomes(got, mistakes, i, rtol)
        if diagnosis is not None:
            seen = (
                f"your code raised {g[1]}"
                if g[0] == "error"
                else "your output is exactly what that gives"
            )
            raise Mistake(f"{diagnosis} (for {desc}, {seen})")
        if g[0] == "error":
            raise Mistake(f"for {desc}, your code raised {g[1]}")
        shape, want = tuple(g[1].shape), tuple(e.shape)
        if shape != want:
            raise Mistake(f"for {desc}, your output has shape {shape}, but it should be {want}")
        diff = np.abs(values(g[1]) - values(e))
        largest = np.nanmax(diff) if np.isfinite(diff).any() else float("nan")
        raise Mistake(
            f"for {desc}, your output differs from {what} (largest difference {largest:.4g})"
        )
