"""The machinery behind `check("0.1", answer)` and `hint("0.1")`.

Every exercise is declared once, as data: its id, task and hint tiers, a reference, the cases it
runs on and the known mistakes, each reproduced by a small wrong answer. One runner does the rest:

- a *function* exercise calls the learner's function on every case and on the reference (in
  float64 for the values, in the inputs' own dtype for dtype and shape); it guards the type, the
  dtype and the shape, that no value comes from uninitialised memory, that the inputs are left
  untouched and that gradients flow as the reference's do; a wrong answer is named by the known
  mistake whose outputs it reproduces, else by a specific description of the difference;
- a *prediction* exercise reads the learner's answer with one parser (`parse`) and compares it
  with the value course_lib measures.

The learner sees one line, never a traceback into this code: the exceptions below render
themselves in Jupyter through IPython's `_render_traceback_` hook.
"""

from __future__ import annotations

import importlib
import inspect
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import _deterministic, _random
from ..nn import Module
from ..tensor import Tensor

EPS32 = float(np.finfo(np.float32).eps)


class ExerciseError(Exception):
    """Base of the two ways a check can fail; renders as a short message in Jupyter."""

    def __init__(self, exercise_id: str, message: str):
        super().__init__(message)
        self.exercise_id = exercise_id
        self.message = message

    def _render_traceback_(self) -> list[str]:  # IPython shows these lines instead of a traceback
        red, bold, reset = "\x1b[31m", "\x1b[1m", "\x1b[0m"
        return [
            f"{red}{bold}{type(self).__name__}{reset}{red}: {self.message}{reset}",
            f"(Exercise {self.exercise_id}: run hint('{self.exercise_id}') for a hint)",
        ]


class NotStarted(ExerciseError):
    """The answer still raises the stub's NotImplementedError."""


class Mistake(ExerciseError):
    """The answer runs but is wrong; the message diagnoses how."""

    def __init__(self, message: str, exercise_id: str = "?"):
        super().__init__(exercise_id, message)


class Out:
    """What a `call` returns when the output is not all there is to check: the output plus the
    tensors whose gradients must match the reference's (e.g. the parameters of a module the
    call built): `Out(model(x), **dict(model.named_parameters()))`."""

    def __init__(self, value, **leaves: Tensor):
        self.value, self.leaves = value, leaves


@dataclass
class Exercise:
    id: str
    task: str
    hints: list[str]
    reference: Callable = field(repr=False)
    cases: Callable | None = field(default=None, repr=False)  # () -> [(name, args), ...]
    mistakes: dict = field(default_factory=dict, repr=False)  # message -> wrong answer/value
    form: object = None  # a prediction: how to read it (see `parse`)
    call: Callable | None = field(default=None, repr=False)  # (answer, *args) -> output
    explain: Callable | None = field(default=None, repr=False)  # (got, truth) -> str | None
    done: str = ""  # what a passing answer got right, said on success
    untouched: bool = True  # the inputs must come back unchanged

    @property
    def is_prediction(self) -> bool:
        return self.form is not None


_REGISTRY: dict[str, Exercise] = {}
_hints_shown: dict[str, int] = {}


def exercise(exercise_id: str, task: str, hints: list[str], **declaration) -> Exercise:
    """Declare exercise `exercise_id` (e.g. "3.2"); see `Exercise` for the fields."""
    if len(hints) != 3 or "reference" not in declaration:
        raise ValueError(f"exercise {exercise_id} needs three tiers of hints")
    ex = Exercise(exercise_id, task, list(hints), **declaration)
    _REGISTRY[exercise_id] = ex
    return ex


def get(exercise_id: str) -> Exercise:
    """The exercise with this id, loading its notebook's module (`nb03` for "3.2") on demand."""
    exercise_id = str(exercise_id)
    if exercise_id not in _REGISTRY:
        try:
            importlib.import_module(f"course_lib.exercises.nb{int(exercise_id.split('.')[0]):02d}")
        except (ValueError, ModuleNotFoundError):
            pass
    if exercise_id not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY, key=_sort_key)) or "none loaded"
        raise KeyError(f"there is no exercise {exercise_id!r} (known: {known})")
    return _REGISTRY[exercise_id]


def _sort_key(exercise_id: str):
    return tuple(int(p) for p in exercise_id.split(".") if p.isdigit())


def all_exercises() -> list[Exercise]:
    """Every exercise of every notebook, in course order."""
    import pkgutil

    from .. import exercises

    for info in pkgutil.iter_modules(exercises.__path__):
        if info.name.startswith("nb"):
            importlib.import_module(f"course_lib.exercises.{info.name}")
    return [_REGISTRY[k] for k in sorted(_REGISTRY, key=_sort_key)]


def check(exercise_id: str, *answers) -> None:
    """Run exercise `exercise_id`'s cases on your answer.

    Prints one line on success; raises `Mistake` (what is wrong) or `NotStarted` otherwise.
    """
    ex = get(exercise_id)
    try:
        answer = answers[0] if answers else None
        detail = _check_prediction(ex, answer) if ex.is_prediction else _check_function(ex, answer)
    except NotImplementedError:
        raise NotStarted(
            ex.id,
            f"Exercise {ex.id} is not implemented yet: replace `raise NotImplementedError` in "
            "the exercise cell with your code, run that cell, then run this one.",
        ) from None
    except Mistake as m:
        raise Mistake(m.message, ex.id) from None
    except Exception as e:
        raise Mistake(
            f"your answer could not be checked ({type(e).__name__}: {e})", ex.id
        ) from None
    print(f"✔ Exercise {ex.id} passed: {detail}")


def hint(exercise_id: str) -> None:
    """Print the next hint for an exercise: each call is more concrete than the last."""
    ex = get(exercise_id)
    shown = min(_hints_shown.get(ex.id, 0) + 1, len(ex.hints))
    _hints_shown[ex.id] = shown
    print(f"Hint {shown}/{len(ex.hints)} for Exercise {ex.id}: {ex.hints[shown - 1]}")


def _kind(x) -> str:
    if isinstance(x, Tensor):
        return f"a tensor of shape {tuple(x.shape)}"
    return (
        "None"
        if x is None
        else f"{type(x).__module__.replace('builtins', '')}.{type(x).__name__}".lstrip(".")
    )


# -- predictions: one parser --------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A number, right when it agrees with the truth to `digits` significant digits."""

    digits: int = 4


@dataclass(frozen=True)
class Names:
    """Names (or letters) from `choices`, compared as a set, or in order with `ordered`."""

    choices: tuple
    ordered: bool = False


@dataclass(frozen=True)
class Shape:
    """A shape (a tuple of ints); with `error`, also the word 'error' (or None) for a raise."""

    error: bool = False


@dataclass(frozen=True)
class Dim:
    """A dim of an `ndim`-D tensor; -1 and ndim - 1 are the same answer."""

    ndim: int


@dataclass(frozen=True)
class Dims:
    """A set of dims of an `ndim`-D tensor, in any order, negative or not."""

    ndim: int


@dataclass(frozen=True)
class Seq:
    """A fixed-length sequence: `items` is one form per position, or (form, n)."""

    items: tuple


_SEPARATORS = r"[\s,;|/\[\]{}()'\">→]+"


def parse(x, form):
    """Read a prediction in any reasonable spelling as `form` says; a Mistake when it cannot."""
    if callable(x) and not isinstance(x, (Tensor, type)):
        try:
            x = x()
        except NotImplementedError:
            raise
        except Exception as e:
            raise Mistake(f"your code raised {type(e).__name__}: {e}") from None
    if isinstance(form, Number):
        return _number(x)
    if isinstance(form, Dim):
        d = _number(x)
        if d != int(d) or not -form.ndim <= d < form.ndim:
            raise Mistake(
                f"a {form.ndim}-D tensor has dims 0 to {form.ndim - 1} (or -{form.ndim} to -1), not {x!r:.20}"
            )
        return int(d) % form.ndim
    if isinstance(form, Dims):
        dims = [x] if isinstance(x, (int, str)) and not str(x).count(",") else x
        if isinstance(dims, str):
            dims = re.findall(r"-?\d+", dims)
        try:
            return tuple(sorted({parse(d, Dim(form.ndim)) for d in dims}))
        except TypeError:
            raise Mistake(f"write dims as a tuple of ints such as (0, 1), not {x!r:.40}") from None
    if isinstance(form, Shape):
        if x is None or (isinstance(x, str) and x.strip().lower() in ("error", "none", "raises")):
            if form.error:
                return "error"
            raise Mistake("write a shape, a tuple of ints such as (2, 3)")
        if isinstance(x, str):
            x = [int(v) for v in re.findall(r"-?\d+", x)]
        try:
            return tuple(int(_number(v)) for v in x)
        except (TypeError, Mistake):
            raise Mistake(
                f"write a shape as a tuple of ints such as (2, 3), not {x!r:.60}"
            ) from None
    if isinstance(form, Names):
        if form.ordered and isinstance(x, (set, frozenset, dict)):
            raise Mistake(f"write a list, in order: a {type(x).__name__} has no order")
        by_key = {str(c).lower(): c for c in form.choices}
        if isinstance(x, str):
            parts = [p for p in re.split(_SEPARATORS, x) if p]
            if (
                len(parts) == 1
                and parts[0].lower() not in by_key
                and all(len(str(c)) == 1 for c in form.choices)
            ):
                parts = list(parts[0])
            x = parts
        try:
            items = [_name(v).lower() for v in x]
        except TypeError:
            raise Mistake(
                f"write {'a list' if form.ordered else 'a set'} of names such as {form.choices[:2]}, not {_kind(x)}"
            ) from None
        for v in items:
            if v not in by_key:
                raise Mistake(f"{v!r} is not one of {list(form.choices)}")
        names = [by_key[v] for v in items]
        return names if form.ordered else set(names)
    if isinstance(form, Seq):
        forms = form.items
        if len(forms) == 2 and isinstance(forms[1], int):
            forms = (forms[0],) * forms[1]
        if isinstance(x, str) and all(isinstance(f, Shape) for f in forms):
            x = re.findall(r"\(([^()]*)\)|(error|none)", x, flags=re.I)
            x = [b or [int(v) for v in re.findall(r"-?\d+", a)] for a, b in x]
        if isinstance(x, str) and all(isinstance(f, Number) for f in forms):
            x = [v for v in re.split(r"[\s,;|\[\]()]+", x) if v]
        if isinstance(x, Tensor):
            x = x.tolist()
        if isinstance(x, np.ndarray):
            x = x.tolist()
        if not isinstance(x, (list, tuple)) or len(x) != len(forms):
            raise Mistake(f"write a list of {len(forms)} values, in order; yours is {x!r:.80}")
        return tuple(parse(v, f) for v, f in zip(x, forms, strict=True))
    raise TypeError(f"unknown form {form!r}")


def _name(v) -> str:
    """A name as written, a class, or a module: 'nn.Linear()', nn.Linear and Linear() all read
    'Linear'."""
    if isinstance(v, type):
        return v.__name__
    if isinstance(v, Module):
        return type(v).__name__
    return str(v).strip().removeprefix("nn.").removeprefix("torch.nn.").removesuffix("()")


def _number(x) -> float:
    if isinstance(x, Tensor) and x.numel() == 1:
        x = x.item()
    if isinstance(x, str):
        try:
            return float(x.strip().replace("−", "-"))
        except ValueError:
            raise Mistake(f"write a number such as 0.25, not {x!r:.40}") from None
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.number)):
        raise Mistake(f"write a number such as 0.25, not {_kind(x)}")
    return float(x)


def _seq_forms(form: Seq) -> tuple:
    forms = form.items
    return (forms[0],) * forms[1] if len(forms) == 2 and isinstance(forms[1], int) else forms


def _agree(got, truth, form) -> bool:
    if isinstance(form, Number):
        if truth == 0:
            return abs(got) < 10.0**-form.digits
        unit = 10.0 ** (math.floor(math.log10(abs(truth))) - form.digits + 1)
        return abs(got - truth) <= 0.5 * unit * (1 + 1e-9)
    if isinstance(form, Seq):
        forms = form.items
        if len(forms) == 2 and isinstance(forms[1], int):
            forms = (forms[0],) * forms[1]
        return all(_agree(g, t, f) for g, t, f in zip(got, truth, forms, strict=True))
    return got == truth


def _check_prediction(ex: Exercise, answer) -> str:
    with _checking():
        truth = parse(ex.reference(), ex.form)
    got = parse(answer, ex.form)
    if _agree(got, truth, ex.form):
        return ex.done
    for message, wrong in _pairs(ex.mistakes):
        with _checking():
            wrong = parse(wrong, ex.form)
        if _agree(got, wrong, ex.form):
            raise Mistake(message)
    reason = ex.explain(got, truth) if ex.explain else None
    if reason:
        raise Mistake(reason)
    if isinstance(ex.form, Seq):  # one wrong part that a known mistake has wrong the same way
        forms = _seq_forms(ex.form)
        for message, wrong in _pairs(ex.mistakes):
            with _checking():
                wrong = parse(wrong, ex.form)
            for k, f in enumerate(forms):
                if not _agree(got[k], truth[k], f) and _agree(got[k], wrong[k], f):
                    raise Mistake(message)
    if isinstance(ex.form, Names) and not ex.form.ordered:
        extra, missing = sorted(got - truth), sorted(truth - got)
        raise Mistake(
            f"{extra[0]!r} should not be in your set"
            if extra
            else f"your set misses one ({len(missing)} missing)"
        )
    if isinstance(ex.form, Names) and sorted(got) == sorted(truth):
        raise Mistake("right names, wrong order")
    raise Mistake(
        _numbers_differ(got, truth, ex.form)
        or f"that is not what course_lib gives: run hint('{ex.id}') for a hint"
    )


def _numbers_differ(got, truth, form) -> str | None:
    """For number predictions: too few digits, swapped, sign, factor, reciprocal, else which."""
    forms = (form,) if isinstance(form, Number) else form.items if isinstance(form, Seq) else ()
    if len(forms) == 2 and isinstance(forms[1], int):
        forms = (forms[0],) * forms[1]
    if not forms or not all(isinstance(f, Number) for f in forms):
        return None
    g, t = (
        (np.array([got]), np.array([truth]))
        if len(forms) == 1
        else (np.array(got), np.array(truth, dtype=float))
    )
    digits = forms[0].digits
    if np.allclose(g, t, rtol=10.0 ** (1 - digits), atol=0) or all(
        any(
            _agree(a, b, Number(k))
            or _agree(
                a,
                b + math.copysign(0.5, b) * 10 ** (math.floor(math.log10(abs(b))) - k + 1),
                Number(k),
            )
            for k in range(1, digits)
        )
        for a, b in zip(g, t, strict=True)
        if b != 0
    ):
        return "close, but not as precise as the task asks: write more digits"
    if (
        len(g) > 1
        and np.allclose(g, t[::-1], rtol=10.0 ** (1 - digits))
        and not np.allclose(t, t[::-1])
    ):
        return "right numbers, wrong order"
    nz = t != 0
    if np.allclose(g, -t, rtol=10.0 ** (1 - digits)):
        return "the sign is flipped"
    if nz.all() and (g != 0).all():
        ratio = g / t
        if np.allclose(ratio, ratio[0], rtol=1e-2) and abs(ratio[0] - 1) > 1e-2:
            c = float(ratio[0])
            if len(g) == 1 and np.isclose(g[0] * t[0], 1, rtol=1e-2):
                return "that is the reciprocal of the answer (1/x)"
            return f"{'each of your numbers is' if len(g) > 1 else 'your number is'} {c:.3g} times the answer"
    if len(g) > 1:
        wrong = [
            i + 1 for i in range(len(g)) if not np.isclose(g[i], t[i], rtol=10.0 ** (1 - digits))
        ]
        if len(wrong) == len(g):
            return "every value of your list is wrong"
        return f"value {wrong[0]} of your list is wrong" + (
            f" ({len(wrong)} of {len(g)} are)" if len(wrong) > 1 else ""
        )
    return f"your number is {'too large' if g[0] > t[0] else 'too small'}"


# -- functions: run, guard, compare, diagnose ----------------------------------------------------


class _checking:
    """Checks run seeded, with `empty` filled with NaN, and leave the learner's state as it was."""

    def __enter__(self):
        self._fork = _random.fork_rng()
        self._fork.__enter__()
        _random.manual_seed(0)
        self._mode = dict(_deterministic._mode)
        _deterministic.use_deterministic_algorithms(True)
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")
        self._errstate = np.errstate(all="ignore")
        self._errstate.__enter__()

    def __exit__(self, *exc):
        self._errstate.__exit__(*exc)
        self._warnings.__exit__(*exc)
        _deterministic._mode.update(self._mode)
        return self._fork.__exit__(*exc)


@dataclass
class _Run:
    value: object = None
    error: str | None = None  # "TypeError: message"
    error_type: type | None = None
    grads: dict = field(default_factory=dict)  # leaf name -> float64 array or None
    changed: list = field(default_factory=list)  # argument names the call overwrote
    requires_grad: bool = False
    backward_error: str | None = None  # "RuntimeError: ..." when backward() through it fails


def _as64(x):
    if isinstance(x, Tensor) and x.is_floating_point():
        t = Tensor._wrap(x.detach()._array.astype(np.float64))
        return t.requires_grad_(x.requires_grad) if x.is_leaf else t
    if isinstance(x, (list, tuple)):
        return type(x)(_as64(v) for v in x)
    return x


def _arg_names(fn) -> list[str]:
    try:
        return list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return []


def _leaves(args: tuple, names: list[str]) -> dict:
    found = {}
    for i, a in enumerate(args):
        if isinstance(a, Tensor) and a.requires_grad and a.is_leaf:
            found[names[i] if i < len(names) else f"argument {i + 1}"] = a
        elif isinstance(a, Module):
            found.update(dict(a.named_parameters()))
    return found


def _snapshot(args: tuple) -> list:
    return [
        (i, a, _values(a).copy(), getattr(a, "_version", None))
        for i, a in enumerate(args)
        if isinstance(a, (Tensor, np.ndarray))
    ]


def _values(a) -> np.ndarray:
    return a.detach().numpy() if isinstance(a, Tensor) else a


def _projection(shape, dtype) -> Tensor:
    rng = np.random.default_rng(12345)
    return Tensor._wrap(rng.standard_normal(shape).astype(dtype))


def _run(ex: Exercise, fn, case: int, f64: bool = False) -> _Run:
    with _checking():
        name, args = ex.cases()[case]
        if f64:
            args = _as64(args)
        names = _arg_names(ex.reference)
        before, leaves = _snapshot(args), _leaves(args, names)
        result = _Run()
        try:
            out = (ex.call or (lambda f, *a: f(*a)))(fn, *args)
        except (NotImplementedError, Mistake):
            raise
        except Exception as e:
            result.error, result.error_type = f"{type(e).__name__}: {e}", type(e)
            return result
        if isinstance(out, Out):
            leaves.update(out.leaves)
            out = out.value
        result.value = out
        result.changed = [
            names[i] if i < len(names) else f"argument {i + 1}"
            for i, a, values, version in before
            if not np.array_equal(_values(a), values, equal_nan=True)
            or version != getattr(a, "_version", None)
        ]
        if isinstance(out, Tensor) and out.requires_grad and out.is_floating_point():
            result.requires_grad = True
            for leaf in leaves.values():
                leaf.grad = None
            try:
                (out * _projection(tuple(out.shape), out._array.dtype)).sum().backward()
            except Exception as e:
                result.requires_grad = False
                result.backward_error = f"{type(e).__name__}: {e}"
            result.grads = {
                k: None if v.grad is None else v.grad.numpy().astype(np.float64)
                for k, v in leaves.items()
            }
        return result


def _scale(ex: Exercise, case: int, ref) -> float:
    """The magnitude that float32 rounding is relative to: the case's inputs and the result."""
    _, args = ex.cases()[case]
    sizes = [
        np.nanmax(np.abs(_values(a)))
        for a in args
        if isinstance(a, (Tensor, np.ndarray)) and _values(a).size and _values(a).dtype.kind == "f"
    ]
    sizes += [np.nanmax(np.abs(v)) for v in _arrays(ref) if v.size and np.isfinite(v).any()]
    return float(max(sizes + [1e-3]))


def _arrays(x) -> list[np.ndarray]:
    if isinstance(x, np.ndarray):
        return [np.asarray(x, dtype=np.float64)]
    if isinstance(x, Tensor):
        return [np.asarray(x.detach()._array, dtype=np.float64)]
    if isinstance(x, (list, tuple)):
        return [a for v in x for a in _arrays(v)]
    if isinstance(x, (int, float, np.number)) and not isinstance(x, bool):
        return [np.asarray(x, dtype=np.float64)]
    return []


def _close(a: np.ndarray, b: np.ndarray, tol: float) -> np.ndarray:
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    with np.errstate(invalid="ignore"):
        return same | (np.abs(a - b) <= tol + 64 * EPS32 * np.abs(b))


def _same_values(got, ref, tol: float) -> bool:
    if isinstance(got, Tensor) and got.ndim == 0 and not isinstance(ref, Tensor):
        got = got.item()
    g, r = _structure(got), _structure(ref)
    if g[0] != r[0]:
        return False
    if r[0] == "seq":
        return len(g[1]) == len(r[1]) and all(
            _same_values(a, b, tol) for a, b in zip(got, ref, strict=False)
        )
    if r[0] in ("tensor", "number", "array"):
        a, b = g[1], r[1]
        return a.shape == b.shape and bool(_close(a, b, tol).all())
    return got == ref


def _structure(x):
    if isinstance(x, np.ndarray):
        return ("array", np.asarray(x, dtype=np.float64))
    if isinstance(x, Tensor):
        return ("tensor", np.asarray(x.detach()._array, dtype=np.float64))
    if isinstance(x, (bool, np.bool_)):
        return ("bool", x)
    if isinstance(x, (int, float, np.number)):
        return ("number", np.asarray(x, dtype=np.float64))
    if isinstance(x, (list, tuple)):
        return ("seq", x)
    return ("other", x)


def _outcomes_match(a: _Run, b: _Run, tol: float, exact_errors: bool = False) -> bool:
    if a.error or b.error:
        return a.error == b.error if exact_errors else a.error_type is b.error_type
    try:
        return _same_values(a.value, b.value, tol)
    except (TypeError, ValueError):
        return False


def _check_function(ex: Exercise, answer) -> str:
    if not callable(answer) or isinstance(answer, Tensor):
        raise Mistake(
            f"pass your function itself, e.g. check('{ex.id}', my_function), not its result ({_kind(answer)})"
        )
    n = len(ex.cases())
    for i in range(n):
        got, ref = _run(ex, answer, i), _run(ex, ex.reference, i)
        ref64 = _run(ex, ex.reference, i, f64=True) if ref.value is not None else ref
        ref64 = ref if ref64.error else ref64  # a reference that mixes in float32 on purpose
        name = ex.cases()[i][0]
        problem = _compare(got, ref, ref64, _scale(ex, i, ref64.value), name, ex, answer, i)
        if problem:
            raise Mistake(problem)
    return ex.done


def _pairs(mistakes) -> list:
    """Known mistakes as (message, wrong answer) pairs, from a dict or a list of pairs."""
    return list(mistakes.items()) if isinstance(mistakes, dict) else list(mistakes)


def _known_mistake(ex: Exercise, got_runs: dict, case: int, tol: float, ref: _Run) -> str | None:
    """The message of the known mistake whose outputs the answer reproduces: on every case if
    one does, else on the failing case."""
    n = len(ex.cases())
    partial = None

    def run(wrong, i):
        try:
            return _run(ex, wrong, i)
        except Mistake as m:  # a known mistake that the call's own guards name
            return _Run(error=m.message, error_type=Mistake)

    for message, wrong in _pairs(ex.mistakes):
        theirs = run(wrong, case)
        if not _outcomes_match(got_runs[case], theirs, tol) or _outcomes_match(theirs, ref, tol):
            continue
        if partial is None and _outcomes_match(got_runs[case], theirs, tol, exact_errors=True):
            partial = message  # the same on the failing case, up to the error's text
        if all(_outcomes_match(got_runs[i], run(wrong, i), tol) for i in range(n) if i != case):
            return message
    return partial


def _compare(
    got: _Run, ref: _Run, ref64: _Run, scale: float, name: str, ex, answer, case
) -> str | None:
    where = f"for {name}"
    tol = 64 * EPS32 * scale

    def mistake_or(message: str) -> str:
        runs = {i: _run(ex, answer, i) for i in range(len(ex.cases()))}
        known = _known_mistake(ex, runs, case, tol, ref)
        return f"{known} ({where})" if known else f"{where}, {message}"

    if ref.error:  # the reference raises here: the answer must raise the same kind of error
        if got.error_type is None or not issubclass(got.error_type, ref.error_type):
            said = f"raised {got.error}" if got.error else f"returned {_short(got.value)}"
            return mistake_or(f"this should raise {ref.error_type.__name__}, but your code {said}")
        return None
    if got.error:
        return mistake_or(f"your code raised {got.error}")
    problem = _diff(got.value, ref.value, ref64.value, tol, "your output")
    if problem:
        if problem.startswith("@"):  # a type problem: no known mistake to look for
            return f"{where}, {problem[1:]}"
        return mistake_or(problem)
    if got.changed and ex.untouched:
        return f"{where}, your code overwrote {got.changed[0]} (an in-place op such as `+=` or `x[...] =`, or `.data`): compute a new tensor and leave the inputs as they were"
    if ref.requires_grad and got.backward_error:
        return f"{where}, backward() through your output raised {got.backward_error}"
    if ref.requires_grad and not got.requires_grad:
        return f"{where}, your output does not require grad, so backward() cannot reach the inputs: it was computed outside autograd (.detach(), .data, torch.no_grad() or a NumPy round trip)"
    for leaf, g in ref64.grads.items():
        mine = got.grads.get(leaf)
        if g is not None and mine is None:
            return f"{where}, no gradient reaches {leaf}: it was used outside autograd (.detach(), .data, torch.no_grad() or a NumPy round trip)"
        if g is not None and (mine.shape != g.shape or not _close(mine, g, tol).all()):
            return f"{where}, your values are right but the gradient of {leaf} is not: part of the computation was cut from autograd (.detach(), .data, .item() or a NumPy round trip), or a non-differentiable op was used; the gradient {_describe(mine, g, tol)}"
    return None


def _short(x) -> str:
    if isinstance(x, np.ndarray):
        return f"a NumPy array of shape {x.shape}"
    if isinstance(x, Tensor):
        return f"a tensor of shape {tuple(x.shape)}"
    return f"{_kind(x)} {x!r:.40}"


def _diff(got, ref, ref64, tol: float, what: str) -> str | None:
    """None when `got` matches the reference; else what differs ('@...' for a type problem)."""
    kind = _structure(ref)[0]
    if got is None and ref is not None:
        if what != "your output":
            return f"{what} is None, but it should be {_short(ref)}"
        return "@your function returned None: did you forget `return`?"
    if kind == "tensor":
        if not isinstance(got, Tensor):
            return f"@return a tensor (you returned a {_kind(got)})"
        g, e = np.asarray(got.detach()._array, dtype=np.float64), _structure(ref64)[1]
        if g.shape == e.shape and _close(g, e, tol).all():
            if got.dtype != ref.dtype:
                return f"@{what} has dtype {got.dtype}, but it should be {ref.dtype} (the inputs' dtype): a float64 result from float32 inputs comes from a NumPy array or a Python float that crept in"
            return None
        if (
            np.isnan(g).any()
            and not np.isnan(e[np.isnan(g)] if g.shape == e.shape else e).any()
            and _deterministic.are_deterministic_algorithms_enabled()
        ):
            return "your parameter starts from uninitialised memory (torch.empty): fill it (e.g. torch.ones, torch.zeros or an nn.init function)"
        return f"{what} {_describe(g, e, tol)}"
    if kind == "array":
        if not isinstance(got, np.ndarray):
            return f"@return a NumPy array, as the inputs are (you returned {_kind(got)})"
        g, e = np.asarray(got, dtype=np.float64), _structure(ref64)[1]
        if g.shape == e.shape and _close(g, e, tol).all():
            return None
        return f"{what} {_describe(g, e, tol)}"
    if kind == "number":
        if isinstance(got, Tensor) and got.ndim == 0:
            got = got.item()
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.number)):
            return f"@return a number (you returned {_kind(got)})"
        g, e = float(got), float(ref64)
        if _close(np.asarray(g), np.asarray(e), tol).all():
            return None
        return f"{what} is {g:.6g}, expected {e:.6g}" + _relation(np.asarray(g), np.asarray(e), tol)
    if kind == "seq" and isinstance(ref, tuple) and isinstance(got, list):
        return (
            f"@return a tuple (you returned a list): {tuple(got)} would compare equal to torch.Size"
        )
    if kind == "seq" and all(_structure(v)[0] == "number" for v in ref):  # a shape, a pair
        if isinstance(got, (list, tuple)) and len(got) != len(ref):
            return f"{what} is {tuple(got)}, expected {len(ref)} values"
    if kind == "seq":
        if not isinstance(got, (list, tuple)) or len(got) != len(ref):
            return f"@return {len(ref)} values in a tuple (you returned {_short(got)})"
        for k, (gv, rv, r64) in enumerate(zip(got, ref, ref64, strict=True)):
            problem = _diff(gv, rv, r64, tol, f"value {k + 1} of your output")
            if problem:
                return problem
        return None
    if ref is None:
        return None if got is None else f"{what} should be None, not {_short(got)}"
    if got != ref:
        return (
            f"{what} is {got!r:.60}, expected {ref!r:.60}"
            if type(got) is type(ref)
            else f"@return {_kind(ref)} (you returned {_kind(got)})"
        )
    return None


def _relation(g: np.ndarray, e: np.ndarray, tol: float) -> str:
    """' (sign flipped)', ' (scaled by 2)', ' (off by 0.5)' when one relation explains it all."""
    ok = np.isfinite(g) & np.isfinite(e)
    if not ok.any():
        return ""
    g, e = g[ok], e[ok]
    if np.allclose(g, -e, rtol=1e-4, atol=tol) and np.abs(e).max() > tol:
        return ": the sign is flipped"
    big = np.abs(e) > 1e3 * tol
    if big.any():
        c = float(np.median(g[big] / e[big]))
        if abs(c - 1) > 1e-3 and np.allclose(g, c * e, rtol=1e-4, atol=tol):
            return f": every value is scaled by the same factor, {c:.4g}"
    d = float(np.median(g - e))
    if abs(d) > tol and np.allclose(g - e, d, rtol=1e-4, atol=tol * 4):
        return f": every value is off by the same constant, {d:+.4g}"
    return ""


def _describe(g: np.ndarray, e: np.ndarray, tol: float) -> str:
    """A specific description of how array g differs from the expected e."""
    if g.shape != e.shape:
        msg = f"has shape {g.shape}, but it should be {e.shape}"
        if (
            g.ndim >= 2
            and g.shape == e.shape[:-2] + e.shape[-2:][::-1]
            and _close(np.swapaxes(g, -1, -2), e, tol).all()
        ):
            return msg + ": it is transposed"
        if g.size == e.size and _close(g.reshape(e.shape), e, tol).all():
            return msg + " (the right values in the wrong shape)"
        if tuple(d for d in g.shape if d != 1) == tuple(d for d in e.shape if d != 1):
            return msg + " (a dim of size 1 too many or too few: keepdim, squeeze or unsqueeze?)"
        return msg
    bad = ~_close(g, e, tol)
    nan = (np.isnan(g) | np.isinf(g)) & np.isfinite(e)
    if nan.any():
        idx = tuple(int(i) for i in np.argwhere(nan)[0])
        return f"has {g[idx]} at index {idx} where the value is {e[idx]:.6g} ({int(nan.sum())} such entries): overflow in exp, or a division by zero?"
    rel = _relation(g, e, tol)
    if rel:
        return "differs" + rel
    if g.ndim >= 2:
        for axis in range(g.ndim):
            rows = np.any(bad, axis=tuple(a for a in range(g.ndim) if a != axis))
            if 0 < rows.sum() < rows.size and rows.size > 1:
                which = [int(i) for i in np.flatnonzero(rows)][:4]
                idx = tuple(int(i) for i in np.argwhere(bad)[0])
                return f"is right except at index {which} along dim {axis} (e.g. at {idx}: {g[idx]:.6g}, expected {e[idx]:.6g})"
    idx = tuple(int(i) for i in np.argwhere(bad)[0]) if g.ndim else ()
    return f"differs: at index {idx} it is {g[idx]:.6g}, expected {e[idx]:.6g}"
