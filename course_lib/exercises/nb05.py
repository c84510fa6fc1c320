"""Notebook 05 (`nn.Linear`): the forward formula, the init bound, shapes, parameter counts.

Each check runs the learner's answer on reference cases (non-square weights so that a missing
transpose cannot hide, a square one so that it cannot hide behind a shape error, 1-D and 3-D
inputs) and compares with course_lib's own `nn.Linear`. A wrong answer is diagnosed by running
the known mistakes on the same cases: the mistake that behaves like the answer on every case
(the same numbers, or the same error) names it.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..creation import tensor
from ..nn import Linear, init
from ..nn import functional as F
from ._check import (
    Mistake,
    as_array,
    close,
    diagnose_outcomes,
    exercise,
    explain_wrong_tensor,
    outcome,
    run,
    values,
)

# -- a shared helper: which known mistake behaves like the answer? ------------------------------


_outcome, _values = outcome, values


def _diagnose(got: list, mistakes, first: int) -> str | None:
    return diagnose_outcomes(got, mistakes, first, rtol=1e-4)


# -- 5.1 ----------------------------------------------------------------------------------------


def _cases_51() -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(51)

    def r(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(np.float32)

    return [
        ("x (4, 2), weight (3, 2)", r(4, 2), r(3, 2), r(3)),
        ("x (3, 3), square weight (3, 3)", r(3, 3), r(3, 3), r(3)),  # batch = out = in
        ("1-D x (2,), weight (3, 2)", r(2), r(3, 2), r(3)),
        ("3-D x (2, 4, 2), weight (3, 2)", r(2, 4, 2), r(3, 2), r(3)),
        ("4-D x (2, 3, 5, 4), weight (6, 4)", r(2, 3, 5, 4), r(6, 4), r(6)),
    ]


_MISTAKES_51 = {
    "did you forget to transpose the weight? It is stored as (out_features, in_features), so "
    "y = x @ weight.T + bias; x @ weight raises a shape error for a non-square weight and gives "
    "the wrong numbers for a square one": lambda x, w, b: x @ w + b,
    "you reshaped the weight to (in_features, out_features) instead of transposing it: reshape "
    "keeps the numbers in memory order, so they land in the wrong places; use weight.T": (
        lambda x, w, b: x @ w.reshape(w.shape[1], w.shape[0]) + b
    ),
    "you computed weight @ x + bias, the textbook column-vector form y = Wx + b; in PyTorch each "
    "row of x is one sample, so it is y = x @ weight.T + bias": lambda x, w, b: w @ x + b,
    "you transposed x instead of the weight: (weight @ x.T).T works for a 2-D x, but on a "
    "3-D or 4-D tensor .T reverses every dim, mixing the batch dims with the features; "
    "transpose the weight instead: x @ weight.T + bias": lambda x, w, b: (w @ x.T).T + b,
    "you forgot to add the bias": lambda x, w, b: x @ w.T,
    "you added the bias along the wrong dim: bias[:, None] lines it up with the rows (the "
    "samples), but there is one bias per output feature, the last dim; add it as it is: "
    "+ bias": lambda x, w, b: x @ w.T + b[:, None],
    "you flattened the leading dims to 2-D and did not restore them: a (*, in_features) input "
    "must give a (*, out_features) output (reshape back to (*x.shape[:-1], out_features))": (
        lambda x, w, b: x.reshape(-1, w.shape[1]) @ w.T + b
    ),
}


@exercise(
    "5.1",
    task="return what nn.Linear computes for x of shape (*, in_features), weight and bias",
    hints=[
        "weight has shape (out_features, in_features): row j holds the weights of output j. "
        "Each output is a dot product of one row of weight with the last dim of x.",
        "x @ weight would pair x's last dim (in_features) with weight's first dim "
        "(out_features): transpose the weight so that its in_features come first. matmul (@) "
        "already handles any number of leading dims in x, and the bias broadcasts over them.",
        "return x @ weight.T + bias",
    ],
)
def linear_forward(answer) -> str:
    cases = _cases_51()
    got, expected, mistakes = [], [], {d: [] for d in _MISTAKES_51}
    for _, x, w, b in cases:
        args = (tensor(x), tensor(w, requires_grad=True), tensor(b, requires_grad=True))
        got.append(_outcome(answer, *args))
        expected.append(F.linear(*args))
        with warnings.catch_warnings():  # x.T on a 3-D tensor warns; the learner need not see it
            warnings.simplefilter("ignore")
            for diagnosis, mistake in _MISTAKES_51.items():
                mistakes[diagnosis].append(_outcome(mistake, *args))
    explain_wrong_tensor(
        [c[0] for c in cases],
        got,
        expected,
        mistakes,
        "x @ weight.T + bias",
        needs_grad="weight does: compute it with tensor ops (@, .T, +), not through NumPy or "
        ".data, so that backward() can reach the weight and the bias",
        rtol=1e-4,
    )
    return "x @ weight.T + bias for non-square and square weights, and 1-D, 2-D, 3-D and 4-D inputs"


# -- 5.2 ----------------------------------------------------------------------------------------

_CASES_52 = [(10, 1000), (256, 512), (4096, 64), (3, 7)]

_MISTAKES_52 = {
    "you used 1/in_features; the bound is 1/sqrt(in_features)": lambda i, o: 1 / i,
    "sqrt(6/in_features) is kaiming_uniform_ with nonlinearity='relu' (gain sqrt(2)); "
    "nn.Linear calls kaiming_uniform_ with a=sqrt(5), whose gain 1/sqrt(3) makes the bound "
    "1/sqrt(in_features)": lambda i, o: math.sqrt(6 / i),
    "sqrt(6/(in_features + out_features)) is xavier_uniform_'s bound; nn.Linear's default "
    "depends on in_features only: 1/sqrt(in_features)": lambda i, o: math.sqrt(6 / (i + o)),
    "you used out_features; the bound depends on in_features (the fan-in): "
    "1/sqrt(in_features)": lambda i, o: 1 / math.sqrt(o),
    "1/sqrt(3*in_features) is the standard deviation of U(-b, b) with b = 1/sqrt(in_features), "
    "not the bound b itself": lambda i, o: 1 / math.sqrt(3 * i),
    "sqrt(3/in_features) is kaiming_uniform_ with gain 1; nn.Linear's a=sqrt(5) gives gain "
    "1/sqrt(3), hence the bound 1/sqrt(in_features)": lambda i, o: math.sqrt(3 / i),
}


def _reference_bound(in_features: int) -> float:
    """kaiming_uniform_(a=sqrt(5))'s bound, from course_lib's own calculate_gain."""
    gain = init.calculate_gain("leaky_relu", math.sqrt(5))
    return math.sqrt(3) * gain / math.sqrt(in_features)


@exercise(
    "5.2",
    task="return the bound b of nn.Linear(in_features, out_features)'s weights U(-b, b)",
    hints=[
        "nn.Linear's reset_parameters() calls init.kaiming_uniform_(weight, a=math.sqrt(5)). "
        "kaiming_uniform_'s bound is sqrt(3) * gain / sqrt(fan_in).",
        "For leaky_relu with slope a the gain is sqrt(2 / (1 + a**2)); with a = sqrt(5) that is "
        "sqrt(2/6) = 1/sqrt(3). Multiply it by sqrt(3) / sqrt(fan_in); fan_in is in_features.",
        "return 1 / math.sqrt(in_features)",
    ],
)
def linear_init_bound(answer) -> str:
    got = [_outcome(answer, i, o) for i, o in _CASES_52]
    mistakes = {d: [_outcome(m, i, o) for i, o in _CASES_52] for d, m in _MISTAKES_52.items()}
    for k, ((i, o), g) in enumerate(zip(_CASES_52, got, strict=True)):
        desc = f"nn.Linear({i}, {o})"
        if g[0] == "error":
            raise Mistake(f"for {desc}, your code raised {g[1]}")
        value = as_array(g[1], f"your bound for {desc}")
        if value.shape != ():
            raise Mistake(
                f"the bound is one number, but for {desc} you returned shape {value.shape}"
            )
        if close(value, _reference_bound(i), rtol=1e-6, atol=0):
            continue
        diagnosis = _diagnose(got, mistakes, k)
        if diagnosis is not None:
            raise Mistake(f"{diagnosis} (for {desc} you returned {float(value):.6g})")
        raise Mistake(
            f"for {desc} you returned {float(value):.6g}, but the weights lie in "
            f"U(-{1 / math.sqrt(i):.6g}, {1 / math.sqrt(i):.6g})"
        )
    return "1/sqrt(in_features) for Linear(10, 1000), (256, 512), (4096, 64) and (3, 7)"


# -- 5.3 ----------------------------------------------------------------------------------------

_INPUTS_53 = [(8,), (3, 8), (2, 3, 8)]


def _as_shape(p):
    """A prediction as a tuple of ints, or None for "raises an error"."""
    if p is None or (isinstance(p, str) and "error" in p.lower()):
        return None
    if isinstance(p, type) and issubclass(p, Exception):
        return None
    if isinstance(p, int):
        return (p,)
    try:
        return tuple(int(n) for n in p)
    except (TypeError, ValueError):
        raise Mistake(
            f"write each prediction as a shape tuple such as (5, 4), or None for an error; "
            f"got {p!r}"
        ) from None


@exercise(
    "5.3",
    task="return your predicted shapes of nn.Linear(8, 4)(x) for x of shape (8,), (3, 8), (2, 3, 8)",
    hints=[
        "nn.Linear only looks at the last dim of its input: it must be in_features = 8.",
        "Every other dim is carried through unchanged, in place; the last dim becomes "
        "out_features = 4. A 1-D input is one sample and gives a 1-D output.",
        "return [(4,), (3, 4), (2, 3, 4)]",
    ],
)
def linear_shapes(answer) -> str:
    layer = Linear(8, 4)
    actual = [tuple(layer(tensor(np.zeros(s, dtype=np.float32))).shape) for s in _INPUTS_53]
    predicted = run(answer)
    if not isinstance(predicted, (list, tuple)) or len(predicted) != len(_INPUTS_53):
        raise Mistake(
            "return a list of three predictions, one per input (8,), (3, 8), (2, 3, 8), e.g. "
            "[(1, 2), (3, 4), (5, 6)]"
        )
    for shape_in, p, out in zip(_INPUTS_53, predicted, actual, strict=True):
        p = _as_shape(p)
        if p == out:
            continue
        lead = shape_in[:-1]
        if p is None and len(shape_in) == 1:
            raise Mistake(
                "a 1-D input does not raise an error: nn.Linear treats an (8,) vector as one "
                f"sample and returns shape {out}"
            )
        if p is None:
            raise Mistake(
                f"a {len(shape_in)}-D input does not raise an error: any (*, in_features) input "
                f"works, so {shape_in} gives {out}"
            )
        if p == (1, *out):
            raise Mistake(
                f"no batch dim is added: a 1-D input gives a 1-D output, {shape_in} -> {out}"
            )
        if len(lead) > 1 and p == (math.prod(lead), out[-1]):
            raise Mistake(
                f"the leading dims are not flattened: {shape_in} -> {out}; only the last dim "
                "changes, from in_features to out_features"
            )
        if p == (*lead, shape_in[-1]) or p == shape_in:
            raise Mistake(f"the last dim becomes out_features = 4, so {shape_in} -> {out}, not {p}")
        if len(p) == len(out) and sorted(p) == sorted(out):
            raise Mistake(
                f"the order of the dims is kept: the leading dims stay in front and the features "
                f"come last, so {shape_in} -> {out}, not {p}"
            )
        raise Mistake(f"for an input of shape {shape_in} the output has shape {out}, not {p}")
    return "(8,) -> (4,), (3, 8) -> (3, 4), (2, 3, 8) -> (2, 3, 4)"


# -- 5.4 ----------------------------------------------------------------------------------------

_CASES_54 = [(2, 3, True), (10, 1000, True), (784, 128, False), (4096, 64, True), (3, 3, False)]

_MISTAKES_54 = {
    "you forgot the bias: a Linear with bias=True also has out_features bias values": (
        lambda i, o, b: i * o
    ),
    "you counted in_features bias values; there is one bias per output, out_features of them": (
        lambda i, o, b: i * o + (i if b else 0)
    ),
    "with bias=False the layer has no bias at all: only the in_features * out_features "
    "weights": lambda i, o, b: i * o + o,
    "you added in_features and out_features; the weight is a matrix of out_features rows and "
    "in_features columns, so it has in_features * out_features entries": (
        lambda i, o, b: i + o + (o if b else 0)
    ),
}


@exercise(
    "5.4",
    task="return the number of parameters of nn.Linear(in_features, out_features, bias)",
    hints=[
        "Count the entries of each parameter: the weight has shape (out_features, in_features), "
        "the bias (if any) has shape (out_features,).",
        "A matrix of shape (m, n) has m * n entries; with bias=False, self.bias is None.",
        "return in_features * out_features + (out_features if bias else 0)",
    ],
)
def count_linear_parameters(answer) -> str:
    got = [_outcome(answer, i, o, b) for i, o, b in _CASES_54]
    mistakes = {d: [_outcome(m, *c) for c in _CASES_54] for d, m in _MISTAKES_54.items()}
    for k, ((i, o, b), g) in enumerate(zip(_CASES_54, got, strict=True)):
        desc = f"nn.Linear({i}, {o}, bias={b})"
        if g[0] == "error":
            raise Mistake(f"for {desc}, your code raised {g[1]}")
        value = as_array(g[1], f"your count for {desc}")
        expected = sum(p.numel() for p in Linear(i, o, bias=b).parameters())
        if value.shape == () and value == expected:
            continue
        diagnosis = _diagnose(got, mistakes, k)
        if diagnosis is not None:
            raise Mistake(f"{diagnosis} (for {desc} you counted {g[1]})")
        raise Mistake(f"{desc} has {expected} parameters; you counted {g[1]}")
    default = _outcome(answer, 5, 2)
    if default[0] == "error" or _values(default[1]) != 12:
        raise Mistake("bias should default to True, as in nn.Linear: nn.Linear(5, 2) has 12")
    return "in*out + out with a bias, in*out without, for five layer sizes and the default bias"
