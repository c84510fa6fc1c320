"""Differential fuzzing: small tutorial-style programs run in course_lib and in torch.

A program is data: a category and a list of steps. Each step is a few lines of Python over the
variables v0, v1, ... and the names `torch`, `nn` and `F`, as a learner would type them. The
interpreter (`run_program`) runs the steps against a library module (course_lib or torch),
recording each step's result, warnings and exception; it stops at the first exception, as a
notebook cell does, then records every tensor's final state and gradient. `compare` names the
first difference between two such records. `programs(category)` is a hypothesis strategy, so a
program that differs shrinks to a minimal one, and `render` prints it as plain Python.

The generator keeps a rough model of each variable (shape, dtype, requires_grad) so that most
programs are valid; the ones that are not still compare the two libraries' errors.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

import course_lib._ops._common

CATEGORIES = (
    "creation",
    "elementwise",
    "broadcast_scalars",
    "reduction",
    "shape_view",
    "indexing",
    "matmul",
    "inplace",
    "functional",
    "module",
    "sgd",
    "autograd",
    "sorting",
    "math",
    "index_ops",
    "activation_loss",
    "optim",
    "hooks",
)

# Values drawn for tensors: exact in float32, so that sums and products agree to the last bit.
FLOATS = (-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
INTS = (-3, -2, -1, 0, 1, 2, 3, 4)
DTYPE_NAMES = {"f": "torch.float32", "d": "torch.float64", "i": "torch.int64", "b": "torch.bool"}


@dataclass(frozen=True)
class Step:
    code: str  # one or more lines of Python
    target: str | None  # the variable the step defines, observed right after it
    feature: str  # which family of the covered API the step exercises (shown in failing cases)


@dataclass(frozen=True)
class Program:
    category: str
    steps: tuple[Step, ...]


def render(program: Program, module: str = "torch") -> str:
    """The program as plain Python a learner can paste (module: 'torch' or 'course_lib')."""
    head = "import torch" if module == "torch" else "import course_lib as torch"
    lines = [head, "import torch.nn as nn" if module == "torch" else "nn = torch.nn"]
    lines.append(
        "import torch.nn.functional as F" if module == "torch" else "F = torch.nn.functional"
    )
    for step in program.steps:
        lines.append(step.code)
        if step.target:
            lines.append(f"print({step.target})")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The interpreter: run a program against a library, record what a learner would see.


@functools.lru_cache(maxsize=4096)
def _compiled(code: str):
    return compile(code, "<program>", "exec")


def _grad_fn_name(t) -> str | None:
    gf = t.grad_fn
    return None if gf is None else gf.name()


def _safe(fn):
    """fn(), or ('raised', type, message) when reading the attribute fails."""
    try:
        return fn()
    except Exception as e:  # a failing read is itself a difference to report
        return ("raised", type(e).__name__, str(e))


def _observe(T, value, deep: bool = True) -> object:
    """A plain-data picture of `value` (a tensor, module, number, tuple, ...)."""
    if isinstance(value, T.Tensor):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = {
                "type": _safe(lambda: type(value).__name__),
                "dtype": _safe(lambda: str(value.dtype)),
                "shape": _safe(lambda: tuple(value.shape)),
                "requires_grad": _safe(lambda: value.requires_grad),
                "is_leaf": _safe(lambda: value.is_leaf),
                "grad_fn": _safe(lambda: _grad_fn_name(value)),
                "values": _safe(lambda: np.asarray(value.tolist())),
                "repr": _safe(lambda: repr(value)),
            }
            if deep:
                grad = _safe(lambda: value.grad)
                out["grad"] = (
                    grad
                    if grad is None or isinstance(grad, tuple)
                    else _observe(T, grad, deep=False)
                )
        return out
    if isinstance(value, T.nn.Module):
        params = {n: _observe(T, p) for n, p in value.named_parameters()}
        return {"module": repr(value), "training": value.training, "params": params}
    if isinstance(value, T.optim.Optimizer):
        return {"optimizer": type(value).__name__}
    if isinstance(value, T.Size):
        return ("Size", tuple(value))
    if isinstance(value, tuple | list):
        return (type(value).__name__, [_observe(T, v, deep) for v in value])
    if isinstance(value, bool | int | float | str | type(None)):
        return (type(value).__name__, value)
    return ("other", type(value).__name__)


def run_program(T, program: Program) -> list[tuple[str, object]]:
    """Run `program` with `torch` bound to T; return the labelled observations, in order."""
    env: dict[str, object] = {"torch": T, "nn": T.nn, "F": T.nn.functional}
    record: list[tuple[str, object]] = []
    for i, step in enumerate(program.steps):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                exec(_compiled(step.code), env)  # the program is our own generated source
                error = None
            except Exception as e:  # the exception is what we compare
                error = (type(e).__name__, str(e))
        seen = [(w.category.__name__, str(w.message)) for w in caught]
        record.append((f"step {i} warnings", seen))
        if error is not None:
            record.append((f"step {i} raised", error))
            break
        record.append((f"step {i} raised", None))
        if step.target:
            record.append((f"step {i} {step.target}", _observe(T, env[step.target])))
    for name in sorted((k for k in env if re.fullmatch(r"v\d+", k)), key=lambda k: int(k[1:])):
        record.append((f"final {name}", _observe(T, env[name])))
    if any("set_printoptions" in step.code for step in program.steps):
        T.set_printoptions(profile="default")  # and sci_mode back to automatic
    return record


# ---------------------------------------------------------------------------------------------
# Comparing two records.


def _values_differ(a, b) -> str | None:
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
        return None if repr(a) == repr(b) else "values"
    if a.shape != b.shape:
        return f"values of shape {a.shape} vs {b.shape}"
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        a, b = a.astype(np.float64), b.astype(np.float64)
        same = np.isclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True)
        if not same.all():
            return "values"
        return None
    if not np.array_equal(a, b):
        return "values"
    return None


def _exact(a, b) -> bool:
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
        return False
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")


_NEG_ZERO = re.compile(r"-0\.(?![0-9]*[1-9])")


def _diff(torch_obs, course_obs, relax: frozenset[str], path: str) -> tuple[str, str] | None:
    """(kind, where) of the first difference, or None."""
    if isinstance(torch_obs, dict) and isinstance(course_obs, dict):
        if torch_obs.keys() != course_obs.keys():
            return "kind of value", path
        for key in torch_obs:
            t, c = torch_obs[key], course_obs[key]
            where = f"{path}.{key}"
            if key == "values":
                why = _values_differ(t, c)
                if why:
                    return "value", where
                continue
            if key == "repr":
                # A repr is compared where the values are identical (rounding at the 4th digit
                # may differ otherwise, and a value difference is reported already).
                if not _exact(torch_obs["values"], course_obs["values"]):
                    continue
                if t != c:
                    unsigned = [re.sub(r"\s", "", _NEG_ZERO.sub("0.", r)) for r in (t, c)]
                    only_zeros = unsigned[0] == unsigned[1]
                    return ("signed zero" if only_zeros else "repr"), where
                continue
            if key == "grad":
                if (t is None) != (c is None):
                    return "grad is None", where
                if t is not None:
                    found = _diff(t, c, relax, where)
                    if found:
                        return ("grad " + found[0], found[1])
                continue
            if key == "module":
                if t != c:
                    return "module repr", where
                continue
            found = _diff(t, c, relax, where)
            if found:
                kind = {"grad_fn": "grad_fn", "dtype": "dtype", "shape": "shape"}.get(key)
                return (kind or found[0], found[1])
        return None
    if isinstance(torch_obs, list | tuple) and isinstance(course_obs, list | tuple):
        if len(torch_obs) != len(course_obs):
            return "length", path
        for i, (t, c) in enumerate(zip(torch_obs, course_obs)):
            found = _diff(t, c, relax, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(torch_obs, float) and isinstance(course_obs, float):
        if math.isclose(torch_obs, course_obs, rel_tol=1e-5, abs_tol=1e-6) or (
            math.isnan(torch_obs) and math.isnan(course_obs)
        ):
            return None
        return "value", path
    if torch_obs != course_obs:
        return "value", path
    return None


_TRIGGERED = re.compile(r"\s*\(Triggered internally at [^)]*\)\s*$")


def _warnings(seen: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Warnings without torch's pointer into its C++ sources (which says nothing to a learner),
    and without the warnings both libraries give once per process (`x.T` on 3-D, float() of a
    tensor that requires grad): whether one shows depends on what ran earlier in the process,
    in each library apart; test_once_per_process_warnings_as_torch compares them in fresh
    processes."""
    once = course_lib._ops._common._warned  # every once-per-process warning given so far
    kept = [(category, _TRIGGERED.sub("", message)) for category, message in seen]
    return [(category, message) for category, message in kept if message not in once]


def compare(torch_record, course_record, relax: frozenset[str] = frozenset()):
    """The first difference as (kind, label, torch's observation, course_lib's), or None.

    kind is one of: 'raised' (one raised, the other did not), 'exception type', 'exception
    message', 'warnings', 'value', 'dtype', 'shape', 'grad_fn', 'repr', 'grad ...', ...
    """
    for (label_t, t), (label_c, c) in zip(torch_record, course_record):
        if label_t != label_c:
            # One library stopped at an exception the other did not raise.
            return "raised", f"{label_t} / {label_c}", t, c
        if label_t.endswith("raised"):
            if (t is None) != (c is None):
                return "raised", label_t, t, c
            if t is not None and t[0] != c[0]:
                return "exception type", label_t, t, c
            if t is not None and t[1] != c[1] and "messages" not in relax:
                return "exception message", label_t, t, c
            continue
        if label_t.endswith("warnings"):
            if "warnings" in relax:
                continue
            if _warnings(t) != _warnings(c):
                return "warnings", label_t, t, c
            continue
        found = _diff(t, c, relax, label_t)
        if found:
            return found[0], found[1], t, c
    if len(torch_record) != len(course_record):
        return "raised", "record length", len(torch_record), len(course_record)
    return None


def _brief(obs) -> str:
    if isinstance(obs, dict) and "repr" in obs:
        extra = {k: v for k, v in obs.items() if k not in ("values", "repr")}
        return f"{obs['repr']}  {extra}"
    return repr(obs)


def report(program: Program, torch_record, course_record, found) -> str:
    """A reproducer and both libraries' output, for a failed comparison."""
    kind, where, t, c = found
    return (
        f"course_lib differs from torch ({kind} at {where}) in this {program.category} program:\n\n"
        f"{render(program)}\n\n"
        f"torch:      {_brief(t)}\n"
        f"course_lib: {_brief(c)}\n"
    )


# ---------------------------------------------------------------------------------------------
# The generator.


@dataclass
class Var:
    name: str
    kind: str = "tensor"  # tensor | module | optimizer | scalar
    shape: tuple = ()
    dtype: str = "f"  # f float32, d float64, i int64, b bool
    grad: bool = False  # requires grad
    leaf: bool = True
    extra: dict = field(default_factory=dict)


def _promote(a: Var | None, b: Var | None) -> str:
    order = "bifd"
    kinds = [v.dtype for v in (a, b) if v is not None]
    return max(kinds, key=order.index) if kinds else "f"


def _broadcast(*shapes) -> tuple | None:
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        return None


class _Builder:
    def __init__(self, draw):
        self.draw = draw
        self.vars: list[Var] = []
        self.steps: list[Step] = []
        self.feature = "basic"

    # -- helpers -------------------------------------------------------------------------------
    def new(self, **kw) -> Var:
        v = Var(name=f"v{len(self.vars)}", **kw)
        self.vars.append(v)
        return v

    def emit(self, code: str, var: Var | None = None, feature: str | None = None) -> Var | None:
        self.steps.append(Step(code, var.name if var else None, feature or self.feature))
        return var

    def choice(self, options):
        return self.draw(st.sampled_from(list(options)))

    def flag(self, p_true: float = 0.5) -> bool:
        return self.draw(st.integers(0, 99)) < p_true * 100

    def int(self, lo: int, hi: int) -> int:
        # The shape model is rough (a size may be 0 where it guessed wrong): never an empty range.
        return self.draw(st.integers(lo, max(lo, hi)))

    def pick(self, pred=lambda v: True, kind: str = "tensor") -> Var | None:
        options = [v for v in self.vars if v.kind == kind and pred(v)]
        if not options:
            return None
        return self.choice(options)

    def shape(self, max_dims: int = 3) -> tuple:
        return tuple(self.int(1, 4) for _ in range(self.int(0, max_dims)))

    def literal(self, shape: tuple, dtype: str) -> str:
        def one():
            if dtype in "fd":
                return repr(self.choice(FLOATS))
            if dtype == "i":
                return str(self.choice(INTS))
            return str(self.flag())

        def nest(dims):
            if not dims:
                return one()
            return "[" + ", ".join(nest(dims[1:]) for _ in range(dims[0])) + "]"

        return nest(shape)

    def tensor(self, shape=None, dtype=None, grad=None, max_dims: int = 3) -> Var:
        shape = self.shape(max_dims) if shape is None else tuple(shape)
        dtype = dtype or self.choice("ffffdib")
        grad = (dtype in "fd" and self.flag(0.4)) if grad is None else grad
        args = [self.literal(shape, dtype)]
        if dtype == "d":
            args.append("dtype=torch.float64")
        if grad:
            args.append("requires_grad=True")
        v = self.new(shape=shape, dtype=dtype, grad=grad)
        return self.emit(f"{v.name} = torch.tensor({', '.join(args)})", v, "creation")

    def operand(self, like: Var) -> tuple[str, Var | None]:
        """A second operand for a binary op with `like`: a tensor, a 0-d tensor or a Python number."""
        kind = self.choice(["var", "new", "new", "scalar", "scalar", "zerod"])
        if kind == "var":
            other = self.pick(lambda v: _broadcast(v.shape, like.shape) is not None)
            if other is not None:
                return other.name, other
        if kind in ("var", "new"):
            shape = list(like.shape)
            shape = shape[self.int(0, len(shape)) :]
            shape = [1 if self.flag(0.3) else s for s in shape]
            if self.flag(0.05):
                shape = [s + 1 for s in shape]  # a broadcast error, now and then
            other = self.tensor(shape=shape, dtype=self.choice("ffffidb"))
            return other.name, other
        if kind == "zerod":
            other = self.tensor(shape=(), dtype=self.choice("ffdib"))
            return other.name, other
        number = self.choice([2, -1, 0, 3, 0.5, -1.5, 2.0, True])
        return repr(number), Var(
            "", shape=(), dtype={bool: "b", int: "i", float: "f"}[type(number)]
        )

    def result(self, code_rhs: str, shape, dtype: str, grad: bool, leaf: bool = False) -> Var:
        v = self.new(shape=tuple(shape), dtype=dtype, grad=grad, leaf=leaf)
        return self.emit(f"{v.name} = {code_rhs}", v)

    def dim(self, t: Var) -> int:
        n = len(t.shape)
        return self.int(-n, n - 1) if n else self.choice([0, -1])

    def any_tensor(self, pred=lambda v: True) -> Var:
        return self.pick(pred) or self.tensor()

    # -- elementwise ---------------------------------------------------------------------------
    def binary(self):
        a = self.any_tensor()
        other, b = self.operand(a)
        op = self.choice(["+", "-", "*", "/", "**", "//", "%", "<", "==", ">=", "&", "|"])
        reverse = b is not None and b.name == "" and self.flag(0.3)
        expr = f"{other} {op} {a.name}" if reverse else f"{a.name} {op} {other}"
        if op in "+-*/" and self.flag(0.3):  # the same op by its name: torch.add(a, b, alpha=2)
            fn = {"+": "add", "-": "sub", "*": "mul", "/": "div"}[op]
            extra = ""
            if fn in ("add", "sub") and self.flag():
                extra = f", alpha={self.choice([2, -1, 0.5])}"
            elif fn == "div" and self.flag():
                extra = f", rounding_mode={self.choice(['trunc', 'floor'])!r}"
                op = "//"  # the model's dtype: that of a floor division
            first, second = (other, a.name) if reverse else (a.name, other)
            expr = f"torch.{fn}({first}, {second}{extra})"
        shape = _broadcast(a.shape, b.shape) or a.shape
        dtype = _promote(a, b) if b.name else a.dtype if a.dtype != "b" else b.dtype
        if op == "/" and dtype in "bi":
            dtype = "f"
        if op in ("<", "==", ">="):
            dtype = "b"
        grad = (a.grad or b.grad) and dtype in "fd"
        self.result(expr, shape, dtype, grad)

    def unary(self):
        a = self.any_tensor()
        fn = self.choice(
            [
                "-{x}",
                "{x}.exp()",
                "{x}.log()",
                "torch.sqrt({x})",
                "{x}.abs()",
                "torch.tanh({x})",
                "{x}.sigmoid()",
                "torch.relu({x})",
                "{x}.clamp(min=0.0)",
                "{x}.clamp(-1, 1)",
                "{x}.reciprocal()",
                "{x}.pow(2)",
                "{x}.square()",
                "torch.square({x})",
                "{x} ** 0.5",
                "2 ** {x}",
                "1 - {x}",
                "~{x}",
                "{x}.float()",
                "{x}.long()",
                "{x}.double()",
                "{x}.bool()",
            ]
        )
        dtype = a.dtype
        if any(s in fn for s in ("exp", "log", "sqrt", "tanh", "sigmoid", "reciprocal", "0.5")):
            dtype = "f" if a.dtype in "bi" else a.dtype
        for conv, d in ((".float()", "f"), (".long()", "i"), (".double()", "d"), (".bool()", "b")):
            if conv in fn:
                dtype = d
        grad = a.grad and dtype in "fd"
        self.result(fn.format(x=a.name), a.shape, dtype, grad)

    def two_tensor_fn(self):
        a = self.any_tensor()
        other, b = self.operand(a)
        fn = self.choice(["torch.maximum", "torch.minimum", "torch.where"])
        if fn == "torch.where":
            cond = self.pick(lambda v: v.dtype == "b") or self.tensor(shape=a.shape, dtype="b")
            expr = f"torch.where({cond.name}, {a.name}, {other})"
            shape = _broadcast(cond.shape, a.shape, b.shape) or a.shape
        else:
            expr = f"{fn}({a.name}, {other})"
            shape = _broadcast(a.shape, b.shape) or a.shape
        self.result(expr, shape, _promote(a, b), a.grad or b.grad)

    # -- creation ------------------------------------------------------------------------------
    def create(self):
        shape = self.shape()
        kind = self.choice(
            [
                "zeros", "ones", "full", "arange", "linspace", "eye", "like", "tensor", "scalar",
                "as", "parameter",
            ]
        )  # fmt: skip
        size = ", ".join(map(str, shape))
        dtype_kw = self.choice(
            ["", ", dtype=torch.float64", ", dtype=torch.long", ", dtype=torch.bool"]
        )
        d = {
            "": "f",
            ", dtype=torch.float64": "d",
            ", dtype=torch.long": "i",
            ", dtype=torch.bool": "b",
        }[dtype_kw]
        if kind in ("zeros", "ones"):
            return self.result(f"torch.{kind}({size}{dtype_kw})", shape, d, False, True)
        if kind == "full":
            value = self.choice([1.5, 2, True, -1])
            d = d if dtype_kw else {bool: "b", int: "i", float: "f"}[type(value)]
            return self.result(
                f"torch.full(({size}{',' if len(shape) == 1 else ''}), {value!r}{dtype_kw})",
                shape,
                d,
                False,
                True,
            )
        if kind == "arange":
            args = self.choice(["5", "1, 4", "0, 2, 0.5", "3.0", "-2, 2", "0, 1, 0.25", "4, 0, -1"])
            try:
                n = len(np.arange(*[float(s) for s in args.split(",")]))
            except ValueError:
                n = 0
            d2 = "f" if "." in args else "i"
            return self.result(
                f"torch.arange({args}{dtype_kw if dtype_kw != ', dtype=torch.bool' else ''})",
                (n,),
                d if dtype_kw and d != "b" else d2,
                False,
                True,
            )
        if kind == "linspace":
            n = self.int(1, 5)
            return self.result(f"torch.linspace(-1, 1, {n})", (n,), "f", False, True)
        if kind == "eye":
            n = self.int(1, 3)
            return self.result(f"torch.eye({n}{dtype_kw})", (n, n), d, False, True)
        if kind == "like":
            a = self.any_tensor()
            fn = self.choice(["zeros_like", "ones_like", "full_like"])
            value = ", 7" if fn == "full_like" else ""
            return self.result(f"torch.{fn}({a.name}{value})", a.shape, a.dtype, False, True)
        if kind == "scalar":
            value = self.choice([3, -1.5, True, 0.0, 2.5])
            d = {bool: "b", int: "i", float: "f"}[type(value)]
            return self.result(
                f"torch.tensor({value!r}{dtype_kw})", (), d if not dtype_kw else d, False, True
            )
        if kind == "as":
            a = self.any_tensor()
            return self.result(f"torch.tensor({a.name})", a.shape, a.dtype, False, True)
        if kind == "parameter":  # shares a's memory and version counter
            a = self.any_tensor(lambda v: not v.grad)
            return self.result(f"nn.Parameter({a.name})", a.shape, a.dtype, a.dtype in "fd", True)
        return self.tensor()

    def convert(self):
        a = self.any_tensor()
        kind = self.choice(
            [
                "item",
                "tolist",
                "float",
                "int",
                "len",
                "shape",
                "numel",
                "dtype",
                "dim",
                "to",
                "type",
            ]
        )
        exprs = {
            "item": f"{a.name}.item()",
            "tolist": f"{a.name}.tolist()",
            "float": f"float({a.name})",
            "int": f"int({a.name})",
            "len": f"len({a.name})",
            "shape": f"{a.name}.shape",
            "numel": f"{a.name}.numel()",
            "dtype": f"str({a.name}.dtype)",
            "dim": f"{a.name}.dim()",
            "to": f"{a.name}.to(torch.float64)",
            "type": f"{a.name}.type()",
        }
        if kind == "to":
            return self.result(exprs[kind], a.shape, "d", a.grad)
        v = self.new(kind="scalar")
        self.emit(f"{v.name} = {exprs[kind]}", v)

    def join(self):
        a = self.any_tensor(lambda v: len(v.shape) >= 1)
        fn = self.choice(["cat", "stack"])
        b = self.tensor(shape=a.shape, dtype=a.dtype) if self.flag(0.7) else self.any_tensor()
        d = self.dim(a) if fn == "cat" else self.int(0, len(a.shape))
        shape = list(a.shape)
        if fn == "cat" and shape:
            shape[d] = shape[d] * 2
        elif fn == "stack":
            shape.insert(d, 2)
        self.result(
            f"torch.{fn}([{a.name}, {b.name}], dim={d})", shape, _promote(a, b), a.grad or b.grad
        )

    # -- reductions ----------------------------------------------------------------------------
    def reduce(self):
        a = self.any_tensor()
        fn = self.choice(
            [
                "sum",
                "mean",
                "max",
                "min",
                "argmax",
                "argmin",
                "std",
                "var",
                "softmax",
                "log_softmax",
            ]
        )
        how = (
            self.choice(["all", "dim", "dim_keep"])
            if fn not in ("softmax", "log_softmax")
            else "dim"
        )
        shape, dtype = (), a.dtype
        if fn in ("mean", "std", "var") and dtype in "bi":
            dtype = "f"  # (torch raises for int mean; compared anyway)
        if fn in ("argmax", "argmin"):
            dtype = "i"
        if fn == "sum" and dtype == "b":
            dtype = "i"
        args = ""
        if how != "all":
            d = self.dim(a)
            args = f"dim={d}" if self.flag() else str(d)
            if how == "dim_keep":
                args += ", keepdim=True"
            shape = list(a.shape)
            if shape:
                if fn in ("softmax", "log_softmax"):
                    dtype = "f" if dtype in "bi" else dtype
                elif how == "dim_keep":
                    shape[d] = 1
                else:
                    shape.pop(d)
        call = (
            f"{a.name}.{fn}({args})"
            if self.flag(0.7)
            else f"torch.{fn}({a.name}{', ' + args if args else ''})"
        )
        if fn in ("max", "min") and how != "all":
            v = self.new(kind="scalar")
            self.emit(f"{v.name} = {call}", v)
            part = self.choice(["values", "indices"])
            self.result(
                f"{v.name}.{part}",
                shape,
                dtype if part == "values" else "i",
                a.grad and part == "values",
            )
            return
        grad = a.grad and fn not in ("argmax", "argmin")
        self.result(call, shape, dtype, grad)

    # -- shapes and views ----------------------------------------------------------------------
    def reshape(self):
        a = self.any_tensor()
        n = int(np.prod(a.shape))
        divisors = [d for d in range(1, n + 1) if n % d == 0]
        kind = self.choice(
            [
                "view",
                "reshape",
                "view_-1",
                "flatten",
                "unsqueeze",
                "squeeze",
                "squeeze_dim",
                "t",
                "T",
                "transpose",
                "permute",
                "expand",
                "contiguous",
                "clone",
                "detach",
                "unflatten",
                "view_as",
                "mT",
                "swapaxes",
                "type_as",
            ]
        )
        s = a.shape
        if kind in ("view", "reshape"):
            d = self.choice(divisors or [1])  # an empty tensor (a narrow of length 0)
            new = (d, n // d) if self.flag() else (n // d, d)
            if self.flag(0.05):
                new = (new[0] + 1, new[1])
            return self.result(f"{a.name}.{kind}({new[0]}, {new[1]})", new, a.dtype, a.grad)
        if kind == "view_-1":
            return self.result(f"{a.name}.view(-1)", (n,), a.dtype, a.grad)
        if kind == "flatten":
            return self.result(
                f"{a.name}.flatten()" if self.flag() else f"torch.flatten({a.name}, 1)",
                (n,),
                a.dtype,
                a.grad,
            )
        if kind == "unsqueeze":
            d = self.int(-len(s) - 1, len(s))
            new = list(s)
            new.insert(d if d >= 0 else len(s) + 1 + d, 1)
            return self.result(f"{a.name}.unsqueeze({d})", new, a.dtype, a.grad)
        if kind == "squeeze":
            return self.result(f"{a.name}.squeeze()", [x for x in s if x != 1], a.dtype, a.grad)
        if kind == "squeeze_dim":
            d = self.dim(a)
            new = list(s)
            if new and new[d] == 1:
                new.pop(d)
            return self.result(f"{a.name}.squeeze({d})", new, a.dtype, a.grad)
        if kind in ("t", "T", "mT"):
            expr = f"{a.name}.t()" if kind == "t" else f"{a.name}.{kind}"
            new = (
                tuple(reversed(s))
                if kind != "mT"
                else (s[:-2] + (s[-1], s[-2]) if len(s) >= 2 else s)
            )
            return self.result(expr, new, a.dtype, a.grad)
        if kind in ("transpose", "swapaxes"):
            d0, d1 = self.dim(a), self.dim(a)
            new = list(s)
            if new:
                new[d0], new[d1] = new[d1], new[d0]
            fn = kind if kind == "transpose" else self.choice(["swapaxes", "swapdims"])
            expr = (
                f"{a.name}.{fn}({d0}, {d1})" if self.flag() else f"torch.{fn}({a.name}, {d0}, {d1})"
            )
            return self.result(expr, new, a.dtype, a.grad)
        if kind == "type_as":
            b = self.any_tensor()
            return self.result(
                f"{a.name}.type_as({b.name})", s, b.dtype, a.grad and b.dtype in "fd"
            )
        if kind == "permute":
            order = list(self.draw(st.permutations(range(len(s)))))
            return self.result(
                f"{a.name}.permute({', '.join(map(str, order))})"
                if order
                else f"{a.name}.permute()",
                [s[i] for i in order],
                a.dtype,
                a.grad,
            )
        if kind == "expand":
            new = [self.int(2, 3)] + [x if x != 1 else self.choice([1, 3, -1]) for x in s]
            shown = ", ".join(map(str, new))
            return self.result(
                f"{a.name}.expand({shown})", [x if x != -1 else 1 for x in new], a.dtype, a.grad
            )
        if kind in ("contiguous", "clone"):
            return self.result(f"{a.name}.{kind}()", s, a.dtype, a.grad)
        if kind == "detach":
            return self.result(f"{a.name}.detach()", s, a.dtype, False, True)
        if kind == "unflatten":
            if not s:
                return self.result(f"{a.name}.flatten()", (1,), a.dtype, a.grad)
            d = self.choice(divisors) if s[0] == n else 1
            return (
                self.result(
                    f"{a.name}.unflatten(0, ({s[0]}, 1))", (s[0], 1) + s[1:], a.dtype, a.grad
                )
                if d
                else None
            )
        if kind == "view_as":
            b = self.any_tensor(lambda v: int(np.prod(v.shape)) == n)
            return self.result(f"{a.name}.view_as({b.name})", b.shape, a.dtype, a.grad)

    def write_through_view(self):
        """An in-place op on a view, to see whether its base changes."""
        a = self.any_tensor(lambda v: v.dtype in "fd" and len(v.shape) >= 1)
        view = self.choice(
            [
                f"{a.name}[0]",
                f"{a.name}.view(-1)",
                f"{a.name}.t()",
                f"{a.name}[..., :1]",
                f"{a.name}.unsqueeze(0)",
                f"{a.name}.reshape(-1)",
                f"{a.name}.transpose(0, -1)",
            ]
        )
        op = self.choice(["add_(1)", "mul_(2)", "zero_()", "fill_(5.0)", "clamp_(max=0.5)"])
        self.emit(f"{view}.{op}", None, "view_inplace")

    def split_select(self):
        """split / chunk / unbind (one piece kept), narrow, select, movedim, diagonal; now and
        then an in-place op on the piece (torch refuses it on split/chunk/unbind outputs)."""
        a = self.any_tensor()
        s = a.shape
        if not s:
            return self.result(f"{a.name}.movedim(0, 0)", s, a.dtype, a.grad)
        d = self.dim(a)
        n = s[d]
        rest = [x for k, x in enumerate(s) if k != d % len(s)]
        kind = self.choice(
            ["split", "split_sizes", "chunk", "unbind", "narrow", "select", "movedim", "diagonal"]
        )
        if kind in ("split", "chunk"):
            size = self.int(1, n) if kind == "split" else self.int(1, n + 1)
            piece = size if kind == "split" else -(-n // size)
            pieces = -(-n // piece)
            k = self.int(-pieces, pieces - 1)
            length = min(piece, n - (k % pieces) * piece)
            expr = f"{a.name}.{kind}({size}, {d})[{k}]"
        elif kind == "split_sizes":
            first = self.int(0, n)
            sizes = [first, n - first] if self.flag(0.9) else [first, n - first + 1]
            k = self.int(0, 1)
            length = sizes[k]
            expr = f"torch.split({a.name}, {sizes}, dim={d})[{k}]"
        elif kind == "unbind":
            k = self.int(-n, n - 1)
            expr = f"{a.name}.unbind({d})[{k}]"
            length = None
        elif kind == "narrow":
            start = self.int(-n, n)
            length = self.int(0, n - (start % n if start < 0 else start))
            expr = f"{a.name}.narrow({d}, {start}, {length})"
        elif kind == "select":
            k = self.int(-n, n - 1 + int(self.flag(0.05)))  # out of range, now and then
            expr = (
                f"torch.select({a.name}, {d}, {k})" if self.flag() else f"{a.name}.select({d}, {k})"
            )
            length = None
        elif kind == "movedim":
            d2 = self.dim(a)
            order = [k for k in range(len(s)) if k != d % len(s)]
            order.insert(d2 % len(s), d % len(s))
            fn = self.choice(["movedim", "moveaxis"])
            return self.result(f"{a.name}.{fn}({d}, {d2})", [s[k] for k in order], a.dtype, a.grad)
        else:
            if len(s) < 2:
                return self.result(f"{a.name}.diagonal()", s, a.dtype, a.grad)  # an error
            off = self.int(-2, 2)
            d1, d2 = self.choice([(0, 1), (1, 0), (-1, -2), (0, -1)])
            w1, w2 = d1 % len(s), d2 % len(s)
            size = max(min(s[w1], s[w2] - off) if off >= 0 else min(s[w1] + off, s[w2]), 0)
            keep = [x for k, x in enumerate(s) if k not in (w1, w2)]
            return self.result(
                f"{a.name}.diagonal({off}, {d1}, {d2})", keep + [size], a.dtype, a.grad
            )
        shape = (
            rest if length is None else [length if k == d % len(s) else x for k, x in enumerate(s)]
        )
        v = self.result(expr, shape, a.dtype, a.grad)
        if self.flag(0.3) and a.dtype in "fd":
            self.emit(f"{v.name}.{self.choice(['mul_(2)', 'zero_()', 'add_(1)'])}", None)
        return v

    # -- indexing ------------------------------------------------------------------------------
    def index_expr(self, s: tuple) -> tuple[str, tuple | None]:
        parts, out, dims = [], [], list(s)
        i = 0
        n_adv = 0
        while i < len(dims) and self.flag(0.75):
            size = dims[i]
            kind = self.choice(["int", "neg", "slice", "step", "none", "colon", "list", "ellipsis"])
            if kind == "int":
                parts.append(str(self.int(0, size - 1)))
            elif kind == "neg":
                parts.append(str(-self.int(1, size)))
            elif kind == "slice":
                lo = self.int(0, size)
                parts.append(f"{lo}:")
                out.append(size - lo)
            elif kind == "step":
                step = self.choice([2, 3, -1]) if self.flag(0.1) else self.choice([2, 3])
                parts.append(f"::{step}")
                out.append(len(range(0, size, abs(step))))
            elif kind == "none":
                parts.append("None")
                out.append(1)
                continue
            elif kind == "colon":
                parts.append(":")
                out.append(size)
            elif kind == "ellipsis":
                parts.append("...")
                out.extend(dims[i:])
                return ", ".join(parts) if parts else ":", tuple(out)
            else:
                n_adv += 1
                items = [self.int(-size, size - 1) for _ in range(self.int(1, 3))]
                parts.append(str(items))
                out.append(len(items))
            i += 1
        out.extend(dims[i:])
        if not parts:
            parts = ["..."]
        return ", ".join(parts), tuple(out) if n_adv <= 1 else None

    def index(self):
        a = self.any_tensor(lambda v: len(v.shape) >= 1) if self.flag(0.9) else self.any_tensor()
        kind = self.choice(["basic", "basic", "basic", "mask", "long", "setitem", "setitem"])
        if kind == "basic" or not a.shape:
            expr, shape = self.index_expr(a.shape)
            if self.flag(0.05):
                expr = f"{a.shape[0] if a.shape else 0}" + (
                    "" if not a.shape else ", ..."
                )  # out of range
            return self.result(f"{a.name}[{expr}]", shape or (), a.dtype, a.grad)
        if kind == "mask":
            if self.flag():
                mask = self.tensor(shape=a.shape, dtype="b")
                m = mask.name
            else:
                m = f"{a.name} > 0"
            return self.result(f"{a.name}[{m}]", (1,), a.dtype, a.grad)
        if kind == "long":
            size = a.shape[0]
            idx = (
                "[" + ", ".join(str(self.int(-size, size - 1)) for _ in range(self.int(1, 3))) + "]"
            )
            return self.result(
                f"{a.name}[torch.tensor({idx})]", (1,) + a.shape[1:], a.dtype, a.grad
            )
        expr, _ = self.index_expr(a.shape)
        value = self.choice(["0.0", "-1", "torch.tensor(5.0)", "True", "2.5"])
        if self.flag(0.3):
            expr = f"{a.name} < 0"
        self.emit(f"{a.name}[{expr}] = {value}", None, "setitem")

    # -- matmul --------------------------------------------------------------------------------
    def matmul(self):
        ranks = self.choice(
            [(1, 1), (1, 2), (2, 1), (2, 2), (3, 2), (2, 3), (3, 3), (3, 1), (1, 3), (4, 2), (0, 1)]
        )
        k = self.int(1, 3)
        dtype = self.choice("ffffdi")
        grad = dtype in "fd" and self.flag(0.5)

        def make(rank, last, first):
            if rank == 0:
                return ()
            if rank == 1:
                return (k,)
            batch = tuple(self.int(1, 2) for _ in range(rank - 2))
            return batch + ((self.int(1, 3), k) if last else (k, self.int(1, 3)))

        a = self.tensor(shape=make(ranks[0], True, False), dtype=dtype, grad=grad)
        b_shape = make(ranks[1], False, True)
        if self.flag(0.1) and b_shape:
            b_shape = (b_shape[0] + 1,) + b_shape[1:]  # a shape error, now and then
        b = self.tensor(
            shape=b_shape, dtype=self.choice([dtype, dtype, dtype, "f", "d"]), grad=None
        )
        fn = self.choice(["@", "matmul", "mm", "bmm", "method"])
        expr = {
            "@": f"{a.name} @ {b.name}",
            "matmul": f"torch.matmul({a.name}, {b.name})",
            "mm": f"torch.mm({a.name}, {b.name})",
            "bmm": f"torch.bmm({a.name}, {b.name})",
            "method": f"{a.name}.matmul({b.name})",
        }[fn]
        shape = (
            np.matmul(np.zeros(a.shape or (1,)), np.zeros(b_shape or (1,))).shape
            if _can_matmul(a.shape, b_shape)
            else ()
        )
        self.result(expr, shape, dtype, grad or b.grad)

    # -- in-place ------------------------------------------------------------------------------
    def inplace(self):
        a = self.any_tensor()
        other, b = self.operand(a)
        form = self.choice(
            [
                "add_",
                "sub_",
                "mul_",
                "div_",
                "+=",
                "-=",
                "*=",
                "/=",
                "zero_",
                "fill_",
                "clamp_",
                "copy_",
                "requires_grad_",
                "newer",
            ]
        )
        if form == "newer":  # the in-place forms of the newer elementwise functions
            form = self.choice(
                ["lerp_", "addcmul_", "addcdiv_", "clamp_min_", "clamp_max_", "fmod_",
                 "remainder_", "floor_divide_", "nan_to_num_", "logical_not_"]
            )  # fmt: skip
        nograd = self.flag(0.3)
        if form in ("+=", "-=", "*=", "/="):
            line = f"{a.name} {form} {other}"
        elif form == "zero_":
            line = f"{a.name}.zero_()"
        elif form == "fill_":
            line = f"{a.name}.fill_({self.choice([2, 0.5, -1.0])})"
        elif form == "clamp_":
            line = f"{a.name}.clamp_(min=0)"
        elif form == "copy_":
            line = f"{a.name}.copy_({other})"
        elif form == "requires_grad_":
            line = f"{a.name}.requires_grad_()"
            if a.dtype in "fd":
                a.grad = True
        elif form == "lerp_":
            line = f"{a.name}.lerp_({other}, {self.choice([0.5, 0.25])})"
        elif form in ("addcmul_", "addcdiv_"):
            line = f"{a.name}.{form}({other}, {other}, value={self.choice([0.5, 2])})"
        elif form in ("clamp_min_", "clamp_max_"):
            line = f"{a.name}.{form}({self.choice([0.5, 0, -1])})"
        elif form in ("nan_to_num_", "logical_not_"):
            line = f"{a.name}.{form}()"
        else:
            line = f"{a.name}.{form}({other})"
        if nograd:
            line = "with torch.no_grad():\n    " + line
        self.emit(line, None, "inplace_after_use" if a.grad and not a.leaf else "inplace")
        if self.flag(0.3):  # look at the tensor again after the in-place op
            self.result(f"{a.name}", a.shape, a.dtype, a.grad, a.leaf)

    # -- functional ----------------------------------------------------------------------------
    def functional(self):
        kind = self.choice(
            [
                "relu",
                "softmax",
                "log_softmax",
                "cross_entropy",
                "mse_loss",
                "one_hot",
                "linear",
                "layer_norm",
                "embedding",
                "nll_loss",
                "sigmoid",
                "tanh",
            ]
        )
        grad = self.flag(0.6)
        if kind in ("relu", "sigmoid", "tanh", "softmax", "log_softmax"):
            a = self.any_tensor(lambda v: v.dtype in "fd")
            if kind in ("relu", "sigmoid", "tanh"):
                extra = ", inplace=True" if kind == "relu" and self.flag(0.2) else ""
                return self.result(f"F.{kind}({a.name}{extra})", a.shape, a.dtype, a.grad)
            return self.result(f"F.{kind}({a.name}, dim={self.dim(a)})", a.shape, a.dtype, a.grad)
        if kind in ("cross_entropy", "nll_loss"):
            n, c = self.int(1, 3), self.int(2, 4)
            logits = self.tensor(shape=(n, c), dtype="f", grad=grad)
            targets = "[" + ", ".join(str(self.int(0, c - 1)) for _ in range(n)) + "]"
            if self.flag(0.1):
                targets = "[" + ", ".join("-100" for _ in range(n)) + "]"
            kw = self.choice(
                [
                    "",
                    ", reduction='sum'",
                    ", reduction='none'",
                    ", ignore_index=0",
                    ", label_smoothing=0.1" if kind == "cross_entropy" else "",
                ]
            )
            inp = logits.name if kind == "cross_entropy" else f"F.log_softmax({logits.name}, dim=1)"
            shape = (n,) if "none" in kw else ()
            return self.result(f"F.{kind}({inp}, torch.tensor({targets}){kw})", shape, "f", grad)
        if kind == "mse_loss":
            a = self.any_tensor(lambda v: v.dtype in "fd")
            b = self.tensor(shape=a.shape, dtype=a.dtype)
            kw = self.choice(["", ", reduction='sum'", ", reduction='none'"])
            return self.result(
                f"F.mse_loss({a.name}, {b.name}{kw})",
                a.shape if "none" in kw else (),
                a.dtype,
                a.grad or b.grad,
            )
        if kind == "one_hot":
            idx = self.tensor(shape=(self.int(1, 4),), dtype="i")
            return self.result(
                f"F.one_hot({idx.name}.clamp(min=0), {self.choice(['', '5'])})".replace(", )", ")"),
                (idx.shape[0], 5),
                "i",
                False,
            )
        if kind == "linear":
            x = self.tensor(
                shape=(self.int(1, 2), 3) if self.flag() else (3,), dtype="f", grad=grad
            )
            w = self.tensor(shape=(2, 3), dtype="f", grad=self.flag())
            b = self.tensor(shape=(2,), dtype="f") if self.flag() else None
            shape = x.shape[:-1] + (2,)
            return self.result(
                f"F.linear({x.name}, {w.name}{', ' + b.name if b else ''})",
                shape,
                "f",
                grad or w.grad,
            )
        if kind == "layer_norm":
            x = self.tensor(shape=(2, 3), dtype="f", grad=grad)
            return self.result(f"F.layer_norm({x.name}, (3,))", x.shape, "f", grad)
        idx = self.tensor(shape=(self.int(1, 3),), dtype="i")
        w = self.tensor(shape=(5, 2), dtype="f", grad=grad)
        return self.result(
            f"F.embedding({idx.name}.clamp(min=0), {w.name})", idx.shape + (2,), "f", grad
        )

    # -- modules and SGD -------------------------------------------------------------------------
    def set_params(self, m: Var, shapes: dict[str, tuple]) -> None:
        """Fill the module built by the last step with drawn values (the two libraries' random
        initialisations differ), in the same step, so that it is observed after."""
        lines = ["with torch.no_grad():"]
        for name, shape in shapes.items():
            lines.append(f"    {m.name}.{name}.copy_(torch.tensor({self.literal(shape, 'f')}))")
        last = self.steps.pop()
        self.steps.append(Step(last.code + "\n" + "\n".join(lines), last.target, last.feature))

    def module(self) -> Var:
        kind = self.choice(["linear", "linear", "mlp", "layernorm", "embedding", "activation"])
        fin, fout = self.int(1, 3), self.int(1, 3)
        m = self.new(kind="module")
        if kind == "linear":
            bias = self.flag(0.8)
            self.emit(
                f"{m.name} = nn.Linear({fin}, {fout}{'' if bias else ', bias=False'})", m, "module"
            )
            self.set_params(m, {"weight": (fout, fin), **({"bias": (fout,)} if bias else {})})
            m.extra.update(fin=fin, fout=fout)
        elif kind == "mlp":
            act = self.choice(["ReLU", "Tanh", "Sigmoid"])
            self.emit(
                f"{m.name} = nn.Sequential(nn.Linear({fin}, 2), nn.{act}(), nn.Linear(2, {fout}))",
                m,
                "module",
            )
            self.set_params(
                m, {"0.weight": (2, fin), "0.bias": (2,), "2.weight": (fout, 2), "2.bias": (fout,)}
            )
            m.extra.update(fin=fin, fout=fout)
        elif kind == "layernorm":
            self.emit(f"{m.name} = nn.LayerNorm({fin})", m, "module")
            m.extra.update(fin=fin, fout=fin)
        elif kind == "embedding":
            self.emit(f"{m.name} = nn.Embedding(4, {fout})", m, "module")
            self.set_params(m, {"weight": (4, fout)})
            m.extra.update(fin=None, fout=fout)
        else:
            act = self.choice(
                [
                    "ReLU()",
                    "Tanh()",
                    "Sigmoid()",
                    "Softmax(dim=-1)",
                    "LogSoftmax(dim=1)",
                    "Flatten()",
                    "Identity()",
                ]
            )
            self.emit(f"{m.name} = nn.{act}", m, "module")
            m.extra.update(fin=fin, fout=fin)
        return m

    def forward(self, m: Var) -> Var:
        fin = m.extra["fin"]
        if fin is None:
            x = self.tensor(shape=(self.int(1, 3),), dtype="i")
            x_expr = f"{x.name}.clamp(0, 3)"
            shape = x.shape + (m.extra["fout"],)
        else:
            batch = self.choice([(), (2,), (self.int(1, 3),), (2, 2)])
            x = self.tensor(shape=batch + (fin,), dtype="f", grad=self.flag(0.2))
            x_expr = x.name
            shape = batch + (m.extra["fout"],)
        return self.result(f"{m.name}({x_expr})", shape, "f", True)

    def module_program(self):
        m = self.module()
        for _ in range(self.int(1, 3)):
            kind = self.choice(
                ["forward", "forward", "repr", "params", "backward", "train", "state"]
            )
            if kind == "forward":
                y = self.forward(m)
                if self.flag(0.5):
                    loss = self.result(f"{y.name}.sum()", (), "f", True)
                    self.emit(f"{loss.name}.backward()", None, "module")
            elif kind == "repr":
                v = self.new(kind="scalar")
                self.emit(f"{v.name} = repr({m.name})", v, "module")
            elif kind == "params":
                v = self.new(kind="scalar")
                self.emit(
                    f"{v.name} = [(n, tuple(p.shape)) for n, p in {m.name}.named_parameters()]",
                    v,
                    "module",
                )
            elif kind == "state":
                v = self.new(kind="scalar")
                self.emit(f"{v.name} = list({m.name}.state_dict())", v, "module")
            elif kind == "train":
                self.emit(
                    f"{m.name}.eval()" if self.flag() else f"{m.name}.train()", None, "module"
                )
            else:
                y = self.forward(m)
                self.emit(f"{y.name}.backward(torch.ones_like({y.name}))", None, "module")

    def sgd_program(self):
        self.feature = "sgd"
        fin, fout = self.int(1, 3), self.int(1, 3)
        m = self.new(kind="module")
        if self.flag(0.7):
            self.emit(f"{m.name} = nn.Linear({fin}, {fout})", m, "module")
            self.set_params(m, {"weight": (fout, fin), "bias": (fout,)})
        else:
            act = self.choice(["ReLU", "Tanh", "Sigmoid"])
            self.emit(
                f"{m.name} = nn.Sequential(nn.Linear({fin}, 2), nn.{act}(), nn.Linear(2, {fout}))",
                m,
                "module",
            )
            self.set_params(
                m, {"0.weight": (2, fin), "0.bias": (2,), "2.weight": (fout, 2), "2.bias": (fout,)}
            )
        m.extra.update(fin=fin, fout=fout)
        self.feature = "sgd"
        kw = self.choice(
            [
                "lr=0.1",
                "lr=0.5, momentum=0.9",
                "lr=0.1, weight_decay=0.01",
                "lr=0.1, momentum=0.5, nesterov=True",
                "lr=0.1, maximize=True",
                "lr=0.1, dampening=0.1, momentum=0.5",
            ]
        )
        opt = self.new(kind="optimizer")
        self.emit(f"{opt.name} = torch.optim.SGD({m.name}.parameters(), {kw})", opt)
        batch = (self.int(1, 3),)
        x = self.tensor(shape=batch + (m.extra["fin"],), dtype="f", grad=False)
        y = self.tensor(shape=batch + (m.extra["fout"],), dtype="f", grad=False)
        loss_fn = self.choice(
            ["F.mse_loss({p}, {y})", "((({p}) - {y}) ** 2).mean()", "nn.MSELoss()({p}, {y})"]
        )
        for _ in range(self.int(1, 3)):
            actions = self.choice(
                [
                    ("zero", "loss", "backward", "step"),
                    ("loss", "backward", "step", "zero"),
                    ("zero_keep", "loss", "backward", "step"),
                    ("loss", "backward", "backward2", "step"),
                    ("step",),
                    ("loss", "step"),
                ]
            )
            for act in actions:
                if act in ("zero", "zero_keep"):
                    self.emit(
                        f"{opt.name}.zero_grad({'set_to_none=False' if act == 'zero_keep' else ''})",
                        None,
                    )
                elif act == "loss":
                    loss = self.result(
                        loss_fn.format(p=f"{m.name}({x.name})", y=y.name), (), "f", True
                    )
                elif act == "backward":
                    self.emit(f"{loss.name}.backward()", None)
                elif act == "backward2":
                    self.feature = "second_backward"
                    loss = self.result(
                        loss_fn.format(p=f"{m.name}({x.name})", y=y.name), (), "f", True
                    )
                    self.emit(f"{loss.name}.backward()", None)
                    self.feature = "sgd"
                else:
                    self.emit(f"{opt.name}.step()", None)

    # -- autograd ------------------------------------------------------------------------------
    def autograd_step(self):
        kind = self.choice(
            [
                "op",
                "op",
                "op",
                "backward",
                "backward",
                "retain_grad",
                "detach",
                "no_grad",
                "accumulate",
                "zero_grad",
                "manual_update",
                "second_backward",
                "inplace_after_use",
                "requires_grad_",
                "nonleaf_grad",
                "item",
            ]
        )
        leaves = lambda v: v.grad and v.leaf
        rg = lambda v: v.grad
        if kind == "op":
            return self.choice(
                [self.binary, self.unary, self.reduce, self.index, self.matmul_small]
            )()
        if kind in ("backward", "second_backward", "accumulate"):
            src = self.pick(rg) or self.tensor(dtype="f", grad=True)
            if kind == "second_backward":
                self.feature = "second_backward"
            loss = self.result(
                f"{src.name}.sum()" if src.shape or self.flag(0.2) else f"{src.name} * 1",
                (),
                src.dtype,
                True,
            )
            retain = ", retain_graph=True" if kind != "second_backward" and self.flag(0.2) else ""
            self.emit(f"{loss.name}.backward({retain.lstrip(', ')})", None)
            if kind in ("second_backward", "accumulate"):
                if kind == "accumulate":
                    loss = self.result(f"({src.name} * 2).sum()", (), src.dtype, True)
                self.emit(f"{loss.name}.backward()", None)
            self.feature = "autograd"
            return
        if kind == "retain_grad":
            a = self.pick(lambda v: v.grad and not v.leaf)
            if a is not None:
                self.emit(f"{a.name}.retain_grad()", None)
            return
        if kind == "detach":
            a = self.any_tensor()
            return self.result(
                f"{a.name}.detach()" if self.flag() else f"{a.name}.detach().requires_grad_()",
                a.shape,
                a.dtype,
                False,
                True,
            )
        if kind == "no_grad":
            a = self.any_tensor(rg)
            v = self.new(shape=a.shape, dtype=a.dtype)
            self.emit(f"with torch.no_grad():\n    {v.name} = {a.name} * 2", v)
            return
        if kind == "zero_grad":
            a = self.pick(leaves)
            if a is not None:
                self.emit(self.choice([f"{a.name}.grad.zero_()", f"{a.name}.grad = None"]), None)
            return
        if kind == "manual_update":
            a = self.pick(leaves)
            if a is not None:
                self.feature = "manual_update"
                self.emit(
                    self.choice(
                        [
                            f"with torch.no_grad():\n    {a.name} -= 0.1 * {a.name}.grad",
                            f"{a.name}.data -= 0.1 * {a.name}.grad",
                            f"with torch.no_grad():\n    {a.name}.sub_(0.5 * {a.name}.grad)",
                        ]
                    ),
                    None,
                )
                self.feature = "autograd"
            return
        if kind == "inplace_after_use":
            a = self.pick(lambda v: v.grad and v.dtype in "fd")
            if a is not None:
                self.feature = "inplace_after_use"
                op = self.choice(["mul_(2)", "add_(1)", "div_(2)"])
                self.emit(
                    f"{a.name}.{op}" if not a.leaf else f"with torch.no_grad():\n    {a.name}.{op}",
                    None,
                )
                self.feature = "autograd"
            return
        if kind == "requires_grad_":
            a = self.pick(lambda v: v.dtype in "fd" and not v.grad)
            if a is not None:
                self.emit(f"{a.name}.requires_grad_()", None)
                a.grad = True
            return
        if kind == "nonleaf_grad":
            a = self.pick(lambda v: v.grad)
            if a is not None:
                v = self.new(kind="scalar")
                self.emit(f"{v.name} = {a.name}.grad", v)
            return
        a = self.any_tensor()
        v = self.new(kind="scalar")
        self.emit(
            f"{v.name} = {self.choice(['float', 'int'])}({a.name}.sum())"
            if self.flag()
            else f"{v.name} = {a.name}.sum().item()",
            v,
        )

    def matmul_small(self):
        a = self.pick(lambda v: v.grad and len(v.shape) in (1, 2)) or self.tensor(
            shape=(2, 3), dtype="f", grad=True
        )
        k = a.shape[-1]
        b = self.tensor(
            shape=(k, self.int(1, 2)) if self.flag() else (k,), dtype="f", grad=self.flag()
        )
        shape = np.matmul(np.zeros(a.shape), np.zeros(b.shape)).shape
        self.result(f"{a.name} @ {b.name}", shape, "f", True)

    # -- sorting and selection -----------------------------------------------------------------
    def sorting(self):
        """sort, argsort, msort, topk, kthvalue, median, nonzero, argwhere, masked_select, unique,
        cummax / cummin, count_nonzero; a pair of results is kept whole or one part taken."""
        a = self.any_tensor()
        s = a.shape
        kind = self.choice(
            [
                "sort", "sort", "argsort", "msort", "topk", "topk", "kthvalue", "median",
                "nonzero", "argwhere", "masked_select", "unique", "cummax", "count_nonzero",
            ]
        )  # fmt: skip
        d = self.dim(a)
        size = s[d] if s else 1
        method = self.flag(0.6)

        def call(fn, args):
            args = [x for x in args if x]
            if method:
                return f"{a.name}.{fn}({', '.join(args)})"
            return f"torch.{fn}({', '.join([a.name, *args])})"

        def pair(expr, shape, values_dtype, grad):
            v = self.new(kind="scalar")
            self.emit(f"{v.name} = {expr}", v)
            part = self.choice(["values", "indices", "[0]", "[1]", ""])
            if not part:
                return v
            values = part in ("values", "[0]")
            access = f"{v.name}.{part}" if part[0] != "[" else f"{v.name}{part}"
            return self.result(
                access, shape, values_dtype if values else "i", grad and values, False
            )

        if kind == "sort":
            args = [f"dim={d}" if self.flag() else str(d) if self.flag() else ""]
            if self.flag():
                args.append("descending=True")
            if self.flag(0.3):
                args.append("stable=True")
            return pair(call("sort", args), s, a.dtype, a.grad)
        if kind == "argsort":
            args = [f"dim={d}" if self.flag() else "", "descending=True" if self.flag() else ""]
            return self.result(call("argsort", args), s, "i", False)
        if kind == "msort":
            return self.result(f"torch.msort({a.name})", s, a.dtype, a.grad)
        if kind in ("topk", "kthvalue"):
            k = self.int(1, size) if self.flag(0.95) else size + 1  # k out of range, now and then
            args = [str(k), f"dim={d}" if self.flag() else ""]
            shape = list(s)
            if kind == "topk":
                if self.flag(0.3):
                    args.append("largest=False")
                if s:
                    shape[d] = k
            else:
                if self.flag(0.3):
                    args.append("keepdim=True")
                    if s:
                        shape[d] = 1
                elif s:
                    shape.pop(d)
            return pair(call(kind, args), shape, a.dtype, a.grad)
        if kind == "median":
            if self.flag(0.4):
                return self.result(call("median", []), (), a.dtype, a.grad)
            keep = self.flag(0.3)
            shape = list(s)
            if s and keep:
                shape[d] = 1
            elif s:
                shape.pop(d)
            return pair(
                call("median", [str(d), "keepdim=True" if keep else ""]), shape, a.dtype, a.grad
            )
        if kind == "nonzero":
            if self.flag(0.3):
                v = self.new(kind="scalar")
                return self.emit(f"{v.name} = {call('nonzero', ['as_tuple=True'])}", v)
            return self.result(call("nonzero", []), (1, len(s)), "i", False)
        if kind == "argwhere":
            return self.result(call("argwhere", []), (1, len(s)), "i", False)
        if kind == "masked_select":
            mask = (
                f"{a.name} > 0"
                if self.flag()
                else self.tensor(shape=s[self.int(0, len(s)) :], dtype="b").name
            )
            return self.result(f"{call('masked_select', [mask])}", (1,), a.dtype, a.grad)
        if kind == "unique":
            args = [
                "sorted=False" if self.flag(0.2) else "",
                "return_inverse=True" if self.flag(0.3) else "",
                "return_counts=True" if self.flag(0.3) else "",
            ]  # (not dim=: course_lib's unique has none and says so with a NotImplementedError)
            if any(x.startswith("return") for x in args):
                v = self.new(kind="scalar")
                return self.emit(f"{v.name} = {call('unique', args)}", v)
            return self.result(call("unique", args), (1,), a.dtype, False)
        if kind == "cummax":
            fn = self.choice(["cummax", "cummin"])
            return pair(call(fn, [str(d) if self.flag() else f"dim={d}"]), s, a.dtype, a.grad)
        args = [f"dim={d}" if self.flag(0.5) else ""]
        shape = [x for k, x in enumerate(s) if k != d % max(len(s), 1)] if args[0] else ()
        return self.result(call("count_nonzero", args), shape, "i", False)

    # -- more elementwise math -----------------------------------------------------------------
    def math(self):
        """The elementwise functions beyond the arithmetic operators."""
        a = self.any_tensor()
        kind = self.choice(
            [
                "binary", "binary", "binary", "clamp_side", "lerp", "addc", "logical", "isclose",
                "nan_to_num", "unary", "unary", "float_binary",
            ]
        )  # fmt: skip
        if kind in ("binary", "float_binary"):
            other, b = self.operand(a)
            fn = (
                self.choice(["fmod", "remainder", "floor_divide"])
                if kind == "binary"
                else self.choice(["atan2", "hypot", "logaddexp", "xlogy"])
            )
            dtype = _promote(a, b) if b.name else a.dtype if a.dtype != "b" else b.dtype
            if kind == "float_binary" and dtype in "bi":
                dtype = "f"
            shape = _broadcast(a.shape, b.shape) or a.shape
            if self.flag(0.6):
                expr = f"torch.{fn}({a.name}, {other})"
            else:
                expr = f"{a.name}.{fn}({other})"
            return self.result(expr, shape, dtype, (a.grad or b.grad) and dtype in "fd")
        if kind == "clamp_side":
            fn = self.choice(["clamp_min", "clamp_max"])
            bound = self.choice(["0.5", "0", "-1", "1.5"])
            if self.flag(0.3):
                bound = self.tensor(shape=a.shape[self.int(0, len(a.shape)) :], dtype="f").name
            expr = f"torch.{fn}({a.name}, {bound})" if self.flag() else f"{a.name}.{fn}({bound})"
            return self.result(expr, a.shape, a.dtype, a.grad)
        if kind == "lerp":
            end = self.tensor(shape=a.shape, dtype=a.dtype if a.dtype in "fd" else "f")
            weight = self.choice(["0.5", "0.25", "1.5"])
            if self.flag(0.3):
                weight = self.tensor(shape=a.shape[self.int(0, len(a.shape)) :], dtype="f").name
            return self.result(
                f"torch.lerp({a.name}, {end.name}, {weight})", a.shape, a.dtype, a.grad or end.grad
            )
        if kind == "addc":
            fn = self.choice(["addcmul", "addcdiv"])
            t1 = self.tensor(shape=a.shape, dtype=self.choice("ffd"))
            t2 = self.tensor(shape=a.shape[self.int(0, len(a.shape)) :], dtype=self.choice("ffd"))
            value = self.choice(["", ", value=0.5", ", value=2"])
            if self.flag(0.7):
                expr = f"torch.{fn}({a.name}, {t1.name}, {t2.name}{value})"
            else:
                expr = f"{a.name}.{fn}({t1.name}, {t2.name}{value})"
            grad = a.grad or t1.grad or t2.grad
            dtype = max((a.dtype, t1.dtype, t2.dtype), key="bifd".index)
            return self.result(expr, a.shape, dtype, grad)
        if kind == "logical":
            fn = self.choice(["logical_and", "logical_or", "logical_xor", "logical_not"])
            if fn == "logical_not":
                return self.result(f"torch.logical_not({a.name})", a.shape, "b", False)
            other, b = self.operand(a)
            shape = _broadcast(a.shape, b.shape) or a.shape
            return self.result(f"torch.{fn}({a.name}, {other})", shape, "b", False)
        if kind == "isclose":
            b = self.tensor(shape=a.shape, dtype=a.dtype)
            kw = self.choice(["", ", atol=0.5", ", rtol=0.1, atol=0.0", ", equal_nan=True"])
            fn = self.choice(["isclose", "allclose", "equal"])
            if fn == "isclose":
                return self.result(f"torch.isclose({a.name}, {b.name}{kw})", a.shape, "b", False)
            v = self.new(kind="scalar")
            kw = kw if fn == "allclose" else ""
            return self.emit(f"{v.name} = torch.{fn}({a.name}, {b.name}{kw})", v)
        if kind == "nan_to_num":
            src = f"({a.name} / 0)" if self.flag(0.6) else a.name  # inf, -inf and nan
            kw = self.choice(["", "nan=0.5", "posinf=9.0, neginf=-9.0", "0.0, 1.0, -1.0"])
            dtype = "f" if a.dtype in "bi" and "/" in src else a.dtype
            return self.result(
                f"torch.nan_to_num({src}{', ' + kw if kw else ''})", a.shape, dtype, a.grad
            )
        fn = self.choice(
            ["erf", "sign", "exp2", "expm1", "log1p", "log2", "log10", "rsqrt", "sin", "cos",
             "floor", "ceil", "round", "trunc", "frac", "sgn", "isnan", "isinf", "isfinite"]
        )  # fmt: skip
        expr = f"torch.{fn}({a.name})" if self.flag() else f"{a.name}.{fn}()"
        dtype = a.dtype
        if fn in ("erf", "exp2", "expm1", "log1p", "log2", "log10", "rsqrt", "sin", "cos"):
            dtype = "f" if dtype in "bi" else dtype
        if fn in ("isnan", "isinf", "isfinite"):
            dtype = "b"
        return self.result(expr, a.shape, dtype, a.grad and dtype in "fd")

    # -- more shapes ---------------------------------------------------------------------------
    def shape_more(self):
        """roll, tile, ravel, broadcast_to, hstack / vstack, diag, trace, meshgrid, flip."""
        a = self.any_tensor()
        s = a.shape
        kind = self.choice(
            ["roll", "tile", "ravel", "broadcast_to", "stack_hv", "diag", "trace", "meshgrid",
             "flip"]
        )  # fmt: skip
        if kind == "roll":
            shift = self.int(-3, 3)
            if s and self.flag(0.7):
                expr = f"torch.roll({a.name}, {shift}, {self.dim(a)})"
            else:
                expr = f"{a.name}.roll({shift})"
            return self.result(expr, s, a.dtype, a.grad)
        if kind == "tile":
            reps = tuple(self.int(1, 2) for _ in range(self.int(1, 3)))
            full = (1,) * (len(reps) - len(s)) + s
            reps_full = (1,) * (len(s) - len(reps)) + reps
            shape = tuple(x * r for x, r in zip(full, reps_full, strict=False))
            return self.result(f"torch.tile({a.name}, {reps})", shape, a.dtype, a.grad)
        if kind == "ravel":
            return self.result(
                f"{a.name}.ravel()" if self.flag() else f"torch.ravel({a.name})",
                (int(np.prod(s)),),
                a.dtype,
                a.grad,
            )
        if kind == "broadcast_to":
            new = (self.int(1, 3),) + tuple(x if x != 1 else self.int(1, 3) for x in s)
            if self.flag(0.05):
                new = new[:-1] + (new[-1] + 1,)
            expr = (
                f"torch.broadcast_to({a.name}, {new})"
                if self.flag()
                else f"{a.name}.broadcast_to({new})"
            )
            return self.result(expr, new, a.dtype, a.grad)
        if kind == "stack_hv":
            b = self.tensor(shape=s, dtype=a.dtype) if self.flag(0.8) else self.any_tensor()
            fn = self.choice(["hstack", "vstack"])
            return self.result(
                f"torch.{fn}([{a.name}, {b.name}])", s, _promote(a, b), a.grad or b.grad
            )
        if kind == "diag":
            off = self.choice(["", ", 1", ", -1"])
            shape = (s[0], s[0]) if len(s) == 1 else (min(s),) if len(s) == 2 else s
            return self.result(f"torch.diag({a.name}{off})", shape, a.dtype, a.grad)
        if kind == "trace":
            return self.result(
                f"torch.trace({a.name})" if self.flag() else f"{a.name}.trace()",
                (),
                "i" if a.dtype == "b" else a.dtype,
                a.grad,
            )
        if kind == "meshgrid":
            # 0-D or 1-D tensors: torch's error for more prints the tensor in its C++ layout,
            # which course_lib declines with a NotImplementedError
            a = self.pick(lambda v: len(v.shape) <= 1) or self.tensor(shape=(self.int(1, 3),))
            b = self.tensor(shape=(self.int(1, 3),), dtype=a.dtype)
            index = self.choice(["", ", indexing='ij'", ", indexing='xy'"])
            v = self.new(kind="scalar")
            self.emit(f"{v.name} = torch.meshgrid({a.name}, {b.name}{index})", v)
            return self.result(f"{v.name}[{self.int(0, 1)}]", (), a.dtype, a.grad)
        dims = tuple(sorted({self.dim(a) % max(len(s), 1) for _ in range(self.int(1, 2))}))
        return self.result(f"torch.flip({a.name}, {dims})", s, a.dtype, a.grad)

    def reduce_more(self):
        """std_mean / var_mean, nansum / nanmean, cumsum / cumprod, prod, logsumexp, aminmax."""
        a = self.any_tensor()
        kind = self.choice(["std_mean", "var_mean", "nansum", "nanmean", "cumsum", "cumprod",
                            "prod", "logsumexp", "all_any", "norm"])  # fmt: skip
        d = self.dim(a)
        if kind in ("std_mean", "var_mean"):
            args = self.choice(["", f", dim={d}", f", {d}, keepdim=True", ", correction=0",
                                f", dim={d}, unbiased=False"])  # fmt: skip
            v = self.new(kind="scalar")
            self.emit(f"{v.name} = torch.{kind}({a.name}{args})", v)
            return self.result(f"{v.name}[{self.int(0, 1)}]", (), a.dtype, a.grad)
        if kind in ("nansum", "nanmean"):
            src = (
                f"torch.where({a.name} > 0, {a.name} / 0 * 0, {a.name})" if self.flag() else a.name
            )
            args = self.choice(["", f", dim={d}", f", {d}, keepdim=True"])
            return self.result(f"torch.{kind}({src}{args})", (), a.dtype, a.grad)
        if kind in ("cumsum", "cumprod"):
            expr = f"{a.name}.{kind}({d})" if self.flag() else f"torch.{kind}({a.name}, dim={d})"
            return self.result(expr, a.shape, "i" if a.dtype in "bi" else a.dtype, a.grad)
        if kind in ("prod", "logsumexp"):
            args = "" if kind == "prod" and self.flag() else f"{d}"
            sep = ", " if args else ""
            expr = (
                f"{a.name}.{kind}({args})" if self.flag() else f"torch.{kind}({a.name}{sep}{args})"
            )
            return self.result(expr, (), a.dtype, a.grad)
        if kind == "all_any":
            fn = self.choice(["all", "any"])
            args = self.choice(["", f"{d}", f"dim={d}, keepdim=True"])
            return self.result(f"{a.name}.{fn}({args})", (), "b", False)
        p = self.choice(["", "1", "float('inf')", "p=2, dim=" + str(d)])
        return self.result(f"{a.name}.norm({p})", (), a.dtype, a.grad)

    # -- scatter, gather and index ops -----------------------------------------------------------
    def index_ops(self):
        """gather, scatter / scatter_add (out of place and in place), index_select, index_add_,
        index_fill_, index_copy_, take, masked_fill; indices in range, now and then not."""
        a = self.any_tensor(lambda v: len(v.shape) >= 1) if self.flag(0.9) else self.any_tensor()
        s = a.shape or ()
        d = self.dim(a)
        size = s[d] if s else 1
        bad = self.flag(0.05)

        def index_list(n, limit):
            items = [self.int(-limit if self.flag(0.2) else 0, limit - 1) for _ in range(n)]
            if bad and items:
                items[0] = limit
            return items

        kind = self.choice(
            [
                "gather", "scatter", "scatter", "scatter_add", "index_select", "index_add",
                "index_fill", "index_copy", "take", "masked_fill",
            ]
        )  # fmt: skip
        inplace = self.flag(0.4) and kind in ("scatter", "scatter_add", "masked_fill")
        if kind in ("gather", "scatter", "scatter_add"):
            # an index of the same rank, no larger than a; positive entries along d
            ishape = tuple(self.int(1, x) for x in s)
            flat = int(np.prod(ishape))
            items = [self.int(0, size - 1) for _ in range(flat)]
            if bad and items:
                items[0] = size
            arr = np.array(items, dtype=int).reshape(ishape) if s else np.array(items[0])
            idx = f"torch.tensor({arr.tolist()})"
            if kind == "gather":
                return self.result(
                    f"torch.gather({a.name}, {d}, {idx})"
                    if self.flag()
                    else f"{a.name}.gather({d}, {idx})",
                    ishape,
                    a.dtype,
                    a.grad,
                )
            src_kind = self.choice(["tensor", "scalar"]) if kind == "scatter" else "tensor"
            if src_kind == "scalar":
                src = f"value={self.choice(['1.5', '-1', '0'])}" if self.flag() else "2.0"
            else:
                src = self.tensor(shape=ishape, dtype=a.dtype if self.flag(0.9) else "f").name
            reduce = ""
            if kind == "scatter" and src_kind == "tensor" and self.flag(0.2):
                reduce = f", reduce={self.choice(['add', 'multiply'])!r}"
            fn = kind + ("_" if inplace else "")
            if inplace:
                self.emit(f"{a.name}.{fn}({d}, {idx}, {src}{reduce})", None, "index_ops")
                return self.result(a.name, s, a.dtype, a.grad, a.leaf)
            expr = (
                f"torch.{fn}({a.name}, {d}, {idx}, {src}{reduce})"
                if self.flag()
                else f"{a.name}.{fn}({d}, {idx}, {src}{reduce})"
            )
            return self.result(expr, s, a.dtype, a.grad)
        if kind == "take":
            n = int(np.prod(s))
            items = index_list(self.int(1, 3), max(n, 1))
            return self.result(f"torch.take({a.name}, torch.tensor({items}))", (len(items),),
                               a.dtype, a.grad)  # fmt: skip
        if kind == "masked_fill":
            mask = f"{a.name} < 0" if self.flag() else self.tensor(shape=s, dtype="b").name
            value = self.choice(["0.0", "-1", "float('-inf')", "torch.tensor(2.5)"])
            if inplace:
                self.emit(f"{a.name}.masked_fill_({mask}, {value})", None, "index_ops")
                return self.result(a.name, s, a.dtype, a.grad, a.leaf)
            return self.result(f"{a.name}.masked_fill({mask}, {value})", s, a.dtype, a.grad)
        items = index_list(self.int(1, 3), size)
        idx = f"torch.tensor({items})"
        if kind == "index_select":
            shape = list(s)
            if shape:
                shape[d] = len(items)
            expr = (
                f"torch.index_select({a.name}, {d}, {idx})"
                if self.flag()
                else f"{a.name}.index_select({d}, {idx})"
            )
            return self.result(expr, shape, a.dtype, a.grad)
        if kind == "index_fill":
            value = self.choice(["0.0", "-1", "2.5"])
            form = self.choice(["_", "", "_"])
            if form == "_":
                self.emit(f"{a.name}.index_fill_({d}, {idx}, {value})", None, "index_ops")
                return self.result(a.name, s, a.dtype, a.grad, a.leaf)
            return self.result(f"{a.name}.index_fill({d}, {idx}, {value})", s, a.dtype, a.grad)
        # index_add / index_copy: a source with len(items) along d
        src_shape = list(s)
        if src_shape:
            src_shape[d] = len(items)
        src = self.tensor(shape=src_shape, dtype=a.dtype if self.flag(0.9) else "d")
        alpha = ", alpha=2" if kind == "index_add" and self.flag(0.3) else ""
        if self.flag(0.6):
            self.emit(f"{a.name}.{kind}_({d}, {idx}, {src.name}{alpha})", None, "index_ops")
            return self.result(a.name, s, a.dtype, a.grad or src.grad, a.leaf)
        expr = (
            f"torch.{kind}({a.name}, {d}, {idx}, {src.name}{alpha})"
            if self.flag()
            else f"{a.name}.{kind}({d}, {idx}, {src.name}{alpha})"
        )
        return self.result(expr, s, a.dtype, a.grad or src.grad)

    # -- activations, losses, dropout ----------------------------------------------------------
    _ACTIVATIONS = (
        ("gelu", "GELU", ("", "approximate='tanh'")),
        ("silu", "SiLU", ("",)),
        ("leaky_relu", "LeakyReLU", ("", "0.2", "negative_slope=0.5")),
        ("elu", "ELU", ("", "alpha=0.5")),
        ("softplus", "Softplus", ("", "beta=2", "beta=2, threshold=1")),
        ("hardtanh", "Hardtanh", ("", "-0.5, 0.5", "min_val=-2.0, max_val=1.0")),
        ("relu6", "ReLU6", ("",)),
        ("logsigmoid", "LogSigmoid", ("",)),
        ("selu", "SELU", ("",)),
        ("mish", "Mish", ("",)),
    )

    def activation_loss(self):
        kind = self.choice(["activation", "activation", "module_activation", "inplace_activation",
                            "loss", "loss", "loss_module", "dropout"])  # fmt: skip
        if kind in ("activation", "module_activation", "inplace_activation"):
            a = self.any_tensor(lambda v: v.dtype in "fd") if self.flag(0.9) else self.any_tensor()
            fn, cls, kws = self.choice(self._ACTIVATIONS)
            kw = self.choice(kws)
            if kind == "module_activation":
                m = self.new(kind="module")
                self.emit(f"{m.name} = nn.{cls}({kw})", m)
                return self.result(f"{m.name}({a.name})", a.shape, a.dtype, a.grad)
            if kind == "inplace_activation" and fn in ("leaky_relu", "elu", "hardtanh", "relu6",
                                                       "selu", "silu", "mish"):  # fmt: skip
                kw = ", ".join(x for x in (kw, "inplace=True") if x)
            return self.result(
                f"F.{fn}({', '.join(x for x in (a.name, kw) if x)})", a.shape, a.dtype, a.grad
            )
        if kind == "dropout":
            a = self.any_tensor(lambda v: v.dtype in "fd")
            p = self.choice(["0.5", "0.2", "0.0", "1.0"])
            seed = self.int(0, 5)
            if self.flag():
                form = f"F.dropout({a.name}, p={p}{', training=False' if self.flag(0.2) else ''})"
            else:
                m = self.new(kind="module")
                self.emit(f"{m.name} = nn.Dropout({p})", m)
                if self.flag(0.2):
                    self.emit(f"{m.name}.eval()", None)
                form = f"{m.name}({a.name})"
            v = self.new(shape=a.shape, dtype=a.dtype, grad=a.grad, leaf=False)
            return self.emit(f"torch.manual_seed({seed})\n{v.name} = {form}", v)
        # losses
        loss = self.choice(["bce", "bce_logits", "l1", "smooth_l1", "huber", "mse"])
        grad = self.flag(0.7)
        shape = self.shape(2)
        x = self.tensor(shape=shape, dtype=self.choice("ffd"), grad=grad)
        if loss in ("bce", "bce_logits"):
            target = self.tensor(shape=shape if self.flag(0.95) else shape + (2,), dtype="f")
            tname = f"{target.name}.clamp(0, 1)" if self.flag(0.9) else target.name
        else:
            target = self.tensor(shape=shape if self.flag(0.95) else shape + (2,),
                                 dtype=x.dtype if self.flag(0.9) else "f")  # fmt: skip
            tname = target.name
        red = self.choice(["", "", "reduction='sum'", "reduction='none'"])
        extra = {
            "smooth_l1": self.choice(["", "beta=0.5", "beta=2.0"]),
            "huber": self.choice(["", "delta=0.5", "delta=2.0"]),
            "bce_logits": self.choice(
                ["", "pos_weight=torch.tensor(2.0)", "weight=torch.tensor(0.5)"]
            ),  # fmt: skip
            "bce": self.choice(["", "weight=torch.tensor(0.5)"]),
        }.get(loss, "")
        inp = f"torch.sigmoid({x.name})" if loss == "bce" and self.flag(0.9) else x.name
        kws = ", ".join(k for k in (extra, red) if k)
        out_shape = shape if "none" in red else ()
        if kind == "loss_module":
            cls = {"bce": "BCELoss", "bce_logits": "BCEWithLogitsLoss", "l1": "L1Loss",
                   "smooth_l1": "SmoothL1Loss", "huber": "HuberLoss", "mse": "MSELoss"}[loss]  # fmt: skip
            m = self.new(kind="module")
            self.emit(f"{m.name} = nn.{cls}({kws})", m)
            return self.result(f"{m.name}({inp}, {tname})", out_shape, x.dtype, grad)
        fn = {"bce": "binary_cross_entropy", "bce_logits": "binary_cross_entropy_with_logits",
              "l1": "l1_loss", "smooth_l1": "smooth_l1_loss", "huber": "huber_loss",
              "mse": "mse_loss"}[loss]  # fmt: skip
        return self.result(
            f"F.{fn}({inp}, {tname}{', ' + kws if kws else ''})", out_shape, x.dtype, grad
        )

    # -- optimizers and schedulers ---------------------------------------------------------------
    def optim_program(self):
        self.feature = "optim"
        fin, fout = self.int(1, 3), self.int(1, 2)
        m = self.new(kind="module")
        self.emit(f"{m.name} = nn.Linear({fin}, {fout})", m)
        self.set_params(m, {"weight": (fout, fin), "bias": (fout,)})
        name, kws = self.choice(
            [
                ("Adam", ["lr=0.1", "lr=0.01, betas=(0.8, 0.9)", "lr=0.1, weight_decay=0.1",
                          "lr=0.1, amsgrad=True", "lr=0.1, eps=1e-3", "lr=0.1, maximize=True"]),
                ("AdamW", ["lr=0.1", "lr=0.1, weight_decay=0.5", "lr=0.05, amsgrad=True"]),
                ("RMSprop", ["lr=0.01", "lr=0.01, momentum=0.9", "lr=0.01, alpha=0.9, centered=True",
                             "lr=0.01, weight_decay=0.1"]),
                ("Adagrad", ["lr=0.1", "lr=0.1, lr_decay=0.1", "lr=0.1, weight_decay=0.1",
                             "lr=0.1, initial_accumulator_value=0.5"]),
                ("SGD", ["lr=0.1", "lr=0.1, momentum=0.9"]),
            ]
        )  # fmt: skip
        opt = self.new(kind="optimizer")
        self.emit(
            f"{opt.name} = torch.optim.{name}({m.name}.parameters(), {self.choice(kws)})", opt
        )
        sched = None
        if self.flag(0.5):
            sched = self.new(kind="scheduler")
            kind = self.choice(
                [
                    "StepLR({o}, step_size=2)",
                    "StepLR({o}, step_size=1, gamma=0.5)",
                    "MultiStepLR({o}, milestones=[1, 3], gamma=0.1)",
                    "ExponentialLR({o}, gamma=0.9)",
                    "CosineAnnealingLR({o}, T_max=3)",
                    "CosineAnnealingLR({o}, T_max=2, eta_min=0.01)",
                    "LambdaLR({o}, lambda epoch: 1 / (epoch + 1))",
                ]
            )
            self.emit(f"{sched.name} = torch.optim.lr_scheduler.{kind.format(o=opt.name)}", sched)
        batch = (self.int(1, 3),)
        x = self.tensor(shape=batch + (fin,), dtype="f", grad=False)
        y = self.tensor(shape=batch + (fout,), dtype="f", grad=False)
        for _ in range(self.int(1, 4)):
            # reduction='sum': gradients exact in float32. A mean's rounding differs from torch's
            # in the last bit now and then, and Adam's g / sqrt(v) turns a gradient of 6e-8
            # against an exact 0 into a whole step of lr
            loss = self.result(
                f"F.mse_loss({m.name}({x.name}), {y.name}, reduction='sum')", (), "f", True
            )
            self.emit(f"{opt.name}.zero_grad()\n{loss.name}.backward()\n{opt.name}.step()", None)
            if sched is not None:
                self.emit(f"{sched.name}.step()", None)
                v = self.new(kind="scalar")
                self.emit(f"{v.name} = {sched.name}.get_last_lr()", v)
            if self.flag(0.3):
                v = self.new(kind="scalar")
                self.emit(f"{v.name} = {opt.name}.param_groups[0]['lr']", v)
        if self.flag(0.3):
            v = self.new(kind="scalar")
            self.emit(f"{v.name} = sorted({opt.name}.state_dict()['state'][0])", v)

    # -- hooks and the autograd API ----------------------------------------------------------------
    def hooks_step(self):
        kind = self.choice(
            ["op", "op", "register_hook", "register_hook", "autograd_grad", "autograd_backward",
             "next_functions", "retains_grad", "forward_hook", "backward"]
        )  # fmt: skip
        rg = lambda v: v.grad
        if kind == "op":
            return self.choice([self.binary, self.unary, self.reduce, self.matmul_small])()
        if kind == "register_hook":
            a = self.pick(rg) or self.tensor(dtype="f", grad=True)
            hook = self.choice(
                [
                    "lambda g: g * 2",
                    "lambda g: None",
                    "lambda g: g.clamp(min=0)",
                    "lambda g: seen.append(g.sum().item())",
                ]
            )
            setup = "seen = []\n" if "seen" in hook else ""
            h = self.new(kind="scalar")
            self.emit(f"{setup}{h.name} = {a.name}.register_hook({hook})", None)
            src = self.result(f"({a.name} * {a.name}).sum()", (), a.dtype, True)
            self.emit(f"{src.name}.backward()", None)
            if "seen" in hook:
                v = self.new(kind="scalar")
                self.emit(f"{v.name} = seen", v)
            if self.flag(0.3):
                self.emit(f"{h.name}.remove()", None)
            return
        if kind in ("autograd_grad", "autograd_backward"):
            a = self.pick(lambda v: v.grad and v.leaf) or self.tensor(dtype="f", grad=True)
            y = self.result(f"({a.name} ** 2).sum()" if self.flag(0.8) else f"{a.name} * 3",
                            (), a.dtype, True)  # fmt: skip
            if kind == "autograd_grad":
                # (not create_graph=True: course_lib builds no graph of the backward pass and
                # says so with a NotImplementedError)
                kw = self.choice(["", ", retain_graph=True", ", allow_unused=True"])
                go = "" if self.flag(0.8) else f", grad_outputs=torch.ones_like({y.name})"
                v = self.new(kind="scalar")
                self.emit(f"{v.name} = torch.autograd.grad({y.name}, [{a.name}]{go}{kw})", v)
                return
            gt = "" if self.flag(0.6) else f", grad_tensors=torch.ones_like({y.name})"
            self.emit(f"torch.autograd.backward({y.name}{gt})", None)
            return
        if kind == "next_functions":
            a = self.pick(lambda v: v.grad and not v.leaf)
            if a is None:
                return
            v = self.new(kind="scalar")
            self.emit(
                f"{v.name} = [f if f is None else f.name() for f, _ in "
                f"{a.name}.grad_fn.next_functions]",
                v,
            )
            return
        if kind == "retains_grad":
            a = self.pick(rg)
            if a is None:
                return
            if not a.leaf and self.flag():
                self.emit(f"{a.name}.retain_grad()", None)
            v = self.new(kind="scalar")
            self.emit(f"{v.name} = {a.name}.retains_grad", v)
            return
        if kind == "forward_hook":
            fin = self.int(1, 3)
            m = self.new(kind="module")
            self.emit(f"{m.name} = nn.Linear({fin}, 2)", m)
            self.set_params(m, {"weight": (2, fin), "bias": (2,)})
            hook = self.choice(
                [
                    "register_forward_hook(lambda mod, inp, out: out * 2)",
                    "register_forward_hook(lambda mod, inp, out: None)",
                    "register_forward_pre_hook(lambda mod, inp: (inp[0] + 1,))",
                    "register_forward_pre_hook(lambda mod, inp: None)",
                ]
            )
            h = self.new(kind="scalar")
            self.emit(f"{h.name} = {m.name}.{hook}", None)
            x = self.tensor(shape=(self.int(1, 2), fin), dtype="f", grad=self.flag())
            self.result(f"{m.name}({x.name})", (x.shape[0], 2), "f", True)
            if self.flag(0.4):
                self.emit(f"{h.name}.remove()", None)
                self.result(f"{m.name}({x.name})", (x.shape[0], 2), "f", True)
            return
        src = self.pick(rg) or self.tensor(dtype="f", grad=True)
        loss = self.result(f"{src.name}.sum()", (), src.dtype, True)
        self.emit(f"{loss.name}.backward()", None)

    # -- printing options ------------------------------------------------------------------------
    def printing(self):
        """torch.set_printoptions, then a repr (run_program restores the defaults afterwards)."""
        kw = self.choice(
            [
                "precision=2",
                "precision=6",
                "sci_mode=True",
                "sci_mode=False",
                "threshold=5",
                "threshold=5, edgeitems=1",
                "linewidth=20",
                "profile='short'",
                "profile='full'",
            ]
        )
        self.emit(f"torch.set_printoptions({kw})", None, "printing")
        a = self.any_tensor()
        v = self.new(kind="scalar")
        expr = self.choice([f"repr({a.name})", f"repr({a.name} * 1000.25)", f"str({a.name} / 3)",
                            "repr(torch.arange(12.0) / 7)"])  # fmt: skip
        self.emit(f"{v.name} = {expr}", v, "printing")


def _can_matmul(a, b) -> bool:
    try:
        np.matmul(np.zeros(a or (1,)), np.zeros(b or (1,)))
        return bool(a) and bool(b)
    except ValueError:
        return False


_CATEGORY_OPS = {
    "creation": ("create", "create", "convert", "join", "printing"),
    "elementwise": ("binary", "unary", "unary", "two_tensor_fn"),
    "broadcast_scalars": ("binary", "binary", "two_tensor_fn"),
    "reduction": ("reduce", "reduce", "reduce_more"),
    "shape_view": ("reshape", "reshape", "write_through_view", "split_select", "shape_more"),
    "indexing": ("index",),
    "matmul": ("matmul",),
    "inplace": ("inplace", "binary", "unary"),
    "functional": ("functional",),
    "autograd": ("autograd_step",),
    "sorting": ("sorting",),
    "math": ("math",),
    "index_ops": ("index_ops",),
    "activation_loss": ("activation_loss",),
    "hooks": ("hooks_step",),
}

# Steps whose family is not their category's name.
_FEATURE_OF = {
    "write_through_view": "view_inplace",
    "reduce_more": "reduction",
    "shape_more": "shape_view",
    "printing": "printing",
}


@st.composite
def programs(draw, category: str) -> Program:
    """Programs of one category (see CATEGORIES)."""
    b = _Builder(draw)
    for _ in range(b.int(1, 2)):
        if category in ("broadcast_scalars",):
            b.tensor(shape=b.shape(2), dtype=b.choice("fffdi"))
        elif category not in ("module", "sgd", "optim", "creation", "matmul", "functional"):
            b.tensor(
                grad=True if category in ("autograd", "hooks") else None,
                dtype="f" if category in ("autograd", "hooks") else None,
            )
    if category == "module":
        b.feature = "module"
        b.module_program()
    elif category == "sgd":
        b.sgd_program()
    elif category == "optim":
        b.optim_program()
    else:
        ops = _CATEGORY_OPS[category]
        for _ in range(b.int(1, 5)):
            name = b.choice(ops)
            b.feature = _FEATURE_OF.get(name, category)
            getattr(b, name)()
        backward_after = (
            "autograd", "inplace", "indexing", "shape_view", "reduction", "sorting", "math",
            "index_ops", "activation_loss",
        )  # fmt: skip
        if category in backward_after and b.flag(0.5):
            b.feature = "autograd"
            src = b.pick(lambda v: v.grad)
            if src is not None:
                loss = b.result(f"{src.name}.sum()", (), src.dtype, True)
                b.emit(f"{loss.name}.backward()", None)
    return Program(category, tuple(b.steps))
