"""Mutation testing of the checks: wrong answers generated from each reference solution's code.

An AST pass over the reference makes the classic slips (swap or drop `dim`/`keepdim`, drop a
transpose, reduce over everything, `.detach()`, a NumPy round trip, a float64 cast, an input
overwritten in place, a changed constant, a dropped term, swapped operands, an early return).
A mutant whose outputs differ from the reference's on the exercise's cases (by a criterion
independent of the check: 1e-3 relative, type, shape, dtype, NaN, gradients, inputs) must be
rejected by the check; the test prints the score per exercise. Correct alternative spellings,
kept per exercise in tests/exercise_cases, must pass."""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
import pkgutil
import textwrap
from pathlib import Path

import numpy as np
import pytest

from course_lib.autograd import no_grad
from course_lib.exercises import Mistake, _check, all_exercises, check
from course_lib.tensor import Tensor

ALTERNATIVES = {}
for _info in pkgutil.iter_modules([str(Path(__file__).parent / "exercise_cases")]):
    ALTERNATIVES.update(
        getattr(importlib.import_module(f"exercise_cases.{_info.name}"), "ALTERNATIVES", {})
    )


def _declared():
    return [ex for ex in all_exercises() if not ex.is_prediction]


def _mutate_input(t):
    """An input overwritten in place, as `x += ...` or `x.data[...] = ...` would."""
    if isinstance(t, Tensor) and t.is_floating_point():
        with no_grad():
            t.mul_(1.5)
    return t


def _to_numpy(t):
    return t.detach().numpy() if isinstance(t, Tensor) else t


class _Sites(ast.NodeTransformer):
    """Visit the nodes of a function; with `target`, mutate the target-th site of `kind`."""

    def __init__(self, kind: str, target: int = -1):
        self.kind, self.target, self.count = kind, target, 0

    def _hit(self) -> bool:
        self.count += 1
        return self.count - 1 == self.target

    def visit_Call(self, node):
        self.generic_visit(node)
        for i, kw in enumerate(node.keywords):
            if kw.arg == "keepdim" and self.kind == "keepdim" and self._hit():
                node.keywords[i] = ast.keyword("keepdim", ast.Constant(False))
            if kw.arg == "dim" and self.kind in ("dim0", "dim-1", "nodim") and self._hit():
                if self.kind == "nodim":
                    node.keywords = [k for k in node.keywords if k.arg not in ("dim", "keepdim")]
                else:
                    node.keywords[i] = ast.keyword(
                        "dim", ast.Constant(0 if self.kind == "dim0" else -1)
                    )
        names = ("mean", "sum", "max", "var", "std", "amax")
        if isinstance(node.func, ast.Attribute) and node.func.attr in names and node.args:
            if self.kind == "nodim" and self._hit():
                node.args, node.keywords = (
                    [],
                    [k for k in node.keywords if k.arg not in ("dim", "keepdim")],
                )
            elif self.kind in ("dim0", "dim-1") and self._hit():
                node.args = [ast.Constant(0 if self.kind == "dim0" else -1), *node.args[1:]]
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if node.attr == "T" and self.kind == "transpose" and self._hit():
            return node.value
        return node

    def visit_Constant(self, node):
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            if self.kind == "constant" and self._hit():
                return ast.Constant(node.value * 2 + 1 if node.value != 0 else 1)
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if self.kind == "dropleft" and isinstance(node.op, (ast.Add, ast.Sub)) and self._hit():
            return node.right
        if (
            self.kind == "dropright"
            and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div))
            and self._hit()
        ):
            return node.left
        if (
            self.kind == "swap"
            and isinstance(node.op, (ast.Sub, ast.Div, ast.MatMult))
            and self._hit()
        ):
            node.left, node.right = node.right, node.left
        return node

    def visit_Return(self, node):
        self.generic_visit(node)
        wrap = {"detach": "detach", "double": "double"}
        if node.value is not None and self.kind in wrap and self._hit():
            call = ast.Attribute(node.value, wrap[self.kind], ast.Load())
            node.value = ast.Call(call, [], [])
        if node.value is not None and self.kind == "numpy" and self._hit():
            node.value = ast.Call(ast.Name("_to_numpy", ast.Load()), [node.value], [])
        return node


def _mutants(fn):
    """(description, mutant function) for every site of every mutation operator."""
    source = textwrap.dedent(inspect.getsource(fn))
    tree = ast.parse(source)
    func = tree.body[0]
    kinds = ["keepdim", "dim0", "dim-1", "nodim", "transpose", "constant", "dropleft", "dropright",
             "swap", "detach", "double", "numpy"]  # fmt: skip
    found = []
    for kind in kinds:
        counter = _Sites(kind)
        counter.visit(copy.deepcopy(func))
        for k in range(counter.count):
            found.append((f"{kind} #{k + 1}", _Sites(kind, k).visit(copy.deepcopy(func))))
    is_class = isinstance(func, ast.ClassDef)  # a Module: mutate its methods' code, not its inputs
    args = [] if is_class else [a.arg for a in func.args.args]
    for a in args:  # overwrite each input in place
        mutated = copy.deepcopy(func)
        call = ast.Call(ast.Name("_mutate_input", ast.Load()), [ast.Name(a, ast.Load())], [])
        mutated.body.insert(0, ast.Expr(call))
        found.append((f"overwrite {a}", mutated))
    body = [] if is_class else func.body
    for i, stmt in enumerate(body[:-1]):  # return early, with an intermediate value
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            mutated = copy.deepcopy(func)
            mutated.body = [
                *mutated.body[: i + 1],
                ast.Return(ast.Name(stmt.targets[0].id, ast.Load())),
            ]
            found.append((f"return {stmt.targets[0].id} early", mutated))
    namespace = dict(vars(inspect.getmodule(fn)), _mutate_input=_mutate_input, _to_numpy=_to_numpy)
    for description, node in found:
        module = ast.fix_missing_locations(ast.Module([node], []))
        local = {}
        exec(compile(module, f"<mutant {description}>", "exec"), namespace, local)
        yield description, local[func.name]


def _differs(ex, mutant) -> bool:
    """Independent of the check: does the mutant behave differently from the reference?"""
    for i in range(len(ex.cases())):
        try:
            a = _check._run(ex, mutant, i)
        except Mistake:  # refused by the exercise's own call (3.4 looks at the model it changed)
            return True
        b = _check._run(ex, ex.reference, i)
        if (
            (a.error is None) != (b.error is None)
            or a.changed
            or a.requires_grad != b.requires_grad
        ):
            return True
        if a.error:
            continue
        ga, gb = _flat(a.value), _flat(b.value)
        if len(ga) != len(gb):
            return True
        for x, y in zip(ga, gb, strict=True):
            if type(x) is not type(y) or getattr(x, "dtype", None) != getattr(y, "dtype", None):
                return True
            if isinstance(y, str) or y is None:
                if x != y:
                    return True
                continue
            x, y = np.asarray(_to_numpy(x), dtype=float), np.asarray(_to_numpy(y), dtype=float)
            if x.shape != y.shape or not np.array_equal(np.isnan(x), np.isnan(y)):
                return True
            ok = np.isfinite(y) & np.isfinite(x)
            if ok.any() and np.abs(x[ok] - y[ok]).max() > 1e-3 * (1 + np.abs(y[ok]).max()):
                return True
        for leaf, g in b.grads.items():
            h = a.grads.get(leaf)
            if (g is None) != (h is None):
                return True
            if g is not None and (
                g.shape != h.shape or np.abs(g - h).max() > 1e-3 * (1 + np.abs(g).max())
            ):
                return True
    return False


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in _flat(item)]
    return [x]


SCORES = {}


@pytest.mark.slow
@pytest.mark.parametrize("ex", _declared(), ids=lambda ex: ex.id)
def test_every_differing_mutant_is_rejected(ex):
    survivors, killed, equivalent = [], 0, 0
    for description, mutant in _mutants(ex.reference):
        if not _differs(ex, mutant):
            equivalent += 1
            continue
        try:
            check(ex.id, mutant)
        except Mistake as m:
            assert "could not be checked" not in m.message, f"{description}: {m.message}"
            killed += 1
            continue
        survivors.append(description)
    total = killed + len(survivors)
    SCORES[ex.id] = (killed, total, equivalent)
    print(f"\n{ex.id}: {killed}/{total} non-equivalent mutants rejected ({equivalent} equivalent)")
    assert not survivors, f"mutants of {ex.id} that the check passes: {survivors}"


@pytest.mark.parametrize("ex", _declared(), ids=lambda ex: ex.id)
def test_correct_alternative_spellings_pass(ex, capsys):
    alternatives = ALTERNATIVES.get(ex.id, [])
    assert alternatives, f"list correct alternative spellings for {ex.id} in tests/exercise_cases"
    for answer in alternatives:
        check(ex.id, answer)
    assert capsys.readouterr().out.count("passed") == len(alternatives)


@pytest.mark.parametrize(
    "exercise_id, op", [("4.1", "mm"), ("4.2", "matmul")], ids=["mm", "matmul"]
)
def test_the_shape_references_agree_with_course_lib(exercise_id, op):
    import course_lib

    ex = _check.get(exercise_id)
    for _, (a, b) in ex.cases():
        try:
            want = tuple(getattr(course_lib, op)(course_lib.zeros(a), course_lib.zeros(b)).shape)
        except RuntimeError:
            with pytest.raises(ValueError):
                ex.reference(a, b)
        else:
            assert ex.reference(a, b) == want


def test_the_sgd_reference_agrees_with_course_lib():
    from course_lib.exercises import nb09

    for config in nb09._CONFIGS:
        p, buf = nb09._P0.copy(), None
        for grad, want in zip(nb09._GRADS, nb09.course_sgd(config), strict=True):
            p, buf = nb09.sgd_step_reference(p, grad, buf, *config)
            np.testing.assert_allclose(p, want, rtol=1e-6, atol=1e-6)


def _scaled(reference, factor):
    def answer(*args):
        out = reference(*args)
        if isinstance(out, Tensor):
            return out * factor
        if isinstance(out, float):
            return out * factor
        if isinstance(out, tuple) and isinstance(out[0], np.ndarray):
            return (out[0] * factor, *out[1:])
        return out

    return answer


@pytest.mark.parametrize("ex", _declared(), ids=lambda ex: ex.id)
def test_an_answer_off_by_one_percent_is_refused(ex):
    """The tolerance follows float32 rounding, so a 1e-2 relative error never passes."""
    answer = _scaled(ex.reference, 1.01)
    if not _differs(ex, answer):
        pytest.skip(f"{ex.id}: its outputs are not floating-point values")
    with pytest.raises(Mistake):
        check(ex.id, answer)
