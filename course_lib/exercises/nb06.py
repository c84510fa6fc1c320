"""Notebook 06 (`nn.LayerNorm`): the formula, which dims it averages, a constant row.

6.1 runs the learner's `layer_norm` on reference cases chosen so that each classic slip shows:
a constant row (no eps gives 0/0), a row whose variance is below eps (eps outside the square root
gives other numbers), rows of 2 values (the unbiased variance is twice the biased one), non-square
and 3-D inputs (normalising over dim 0 instead of the last). A wrong answer is diagnosed by running
the known mistakes on the same cases: the one that behaves like the answer on every case names it.
"""

from __future__ import annotations

import math

import numpy as np

from ..creation import full, tensor
from ..nn import LayerNorm
from ..nn import functional as F
from ..tensor import Tensor
from ._check import (
    Mistake,
    as_array,
    close,
    exercise,
    explain_wrong_tensor,
    outcome,
    run,
    values,
)

# -- which known mistake behaves like the answer? -----------------------------------------------


_outcome, _values = outcome, values


# -- 6.1 ----------------------------------------------------------------------------------------


def _cases_61() -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(61)

    def r(*shape: int, scale: float = 1.0, shift: float = 0.0) -> np.ndarray:
        return (rng.standard_normal(shape) * scale + shift).astype(np.float32)

    x_const = r(4, 5, scale=2.0, shift=1.0)
    x_const[2] = 3.0  # a constant row: var = 0
    return [
        ("x (4, 5) with a constant row 2", x_const, r(5), r(5)),
        ("x (2, 3, 6)", r(2, 3, 6, scale=3.0), r(6), r(6)),
        ("1-D x (6,)", r(6, shift=5.0), r(6), r(6)),
        (
            "x (3, 4) with a spread of about 1e-3 (variance below eps)",
            r(3, 4, scale=1e-3),
            r(4),
            r(4),
        ),
        ("x (2, 2)", r(2, 2), r(2), r(2)),
    ]


def _biased(x: Tensor, dim) -> tuple[Tensor, Tensor]:
    return x.mean(dim, keepdim=True), x.var(dim, correction=0, keepdim=True)


def _unbiased(x, g, b, eps=1e-5):
    m = x.mean(-1, keepdim=True)
    return (x - m) / (x.var(-1, keepdim=True) + eps).sqrt() * g + b


def _eps_outside(x, g, b, eps=1e-5):
    m, v = _biased(x, -1)
    return (x - m) / (v.sqrt() + eps) * g + b


def _no_eps(x, g, b, eps=1e-5):
    m, v = _biased(x, -1)
    return (x - m) / v.sqrt() * g + b


def _over_dim0(x, g, b, eps=1e-5):
    m, v = _biased(x, 0)
    return (x - m) / (v + eps).sqrt() * g + b


def _over_everything(x, g, b, eps=1e-5):
    m, v = x.mean(), x.var(correction=0)
    return (x - m) / (v + eps).sqrt() * g + b


def _no_keepdim(x, g, b, eps=1e-5):
    m, v = x.mean(-1), x.var(-1, correction=0)
    return (x - m) / (v + eps).sqrt() * g + b


def _no_affine(x, g, b, eps=1e-5):
    m, v = _biased(x, -1)
    return (x - m) / (v + eps).sqrt()


def _no_beta(x, g, b, eps=1e-5):
    m, v = _biased(x, -1)
    return (x - m) / (v + eps).sqrt() * g


def _no_gamma(x, g, b, eps=1e-5):
    m, v = _biased(x, -1)
    return (x - m) / (v + eps).sqrt() + b


_MISTAKES_61 = {
    "variance looks unbiased (divided by N−1); LayerNorm uses N: x.var(-1, correction=0), the "
    "biased variance (x.var's default correction=1 is the unbiased one)": _unbiased,
    "eps is outside the square root: LayerNorm divides by sqrt(var + eps), not by "
    "sqrt(var) + eps (the two differ when the variance is near eps or below it)": _eps_outside,
    "you left out eps: a constant row then has variance 0 and gives 0/0 = nan; divide by "
    "sqrt(var + eps)": _no_eps,
    "you normalised over dim 0 (the batch), which is what BatchNorm does; LayerNorm takes one mean "
    "and one variance per sample, over the last dim: mean(-1, keepdim=True)": _over_dim0,
    "you normalised over the whole tensor (one mean for everything); LayerNorm takes one mean and "
    "one variance per sample, over the last dim: mean(-1, keepdim=True)": _over_everything,
    "you took the mean and the variance without keepdim=True: a (4,) mean does not line up with "
    "the rows of a (4, 5) input; use mean(-1, keepdim=True) so that it broadcasts per row": (
        _no_keepdim
    ),
    "you forgot γ and β: multiply the normalised values by gamma, then add beta": _no_affine,
    "you forgot β: add beta after multiplying by gamma": _no_beta,
    "you forgot γ: multiply the normalised values by gamma before adding beta": _no_gamma,
}


@exercise(
    "6.1",
    task="return LayerNorm over the last dim of x, scaled by gamma and shifted by beta",
    hints=[
        "Each row (the last dim) is normalised on its own: subtract its mean, divide by its "
        "standard deviation, then multiply by gamma and add beta. Keep the reduced dim "
        "(keepdim=True) so that the mean broadcasts back over the row.",
        "LayerNorm's variance is the biased one, x.var(-1, correction=0, keepdim=True) (divided "
        "by N, not N−1), and eps goes inside the square root: (var + eps).sqrt().",
        "mean = x.mean(-1, keepdim=True); var = x.var(-1, correction=0, keepdim=True); "
        "return (x - mean) / (var + eps).sqrt() * gamma + beta",
    ],
)
def layer_norm_by_hand(answer) -> str:
    cases = _cases_61()
    got, expected, mistakes = [], [], {d: [] for d in _MISTAKES_61}
    for _, x, g, b in cases:
        args = (tensor(x), tensor(g, requires_grad=True), tensor(b, requires_grad=True))
        got.append(_outcome(answer, *args))
        expected.append(F.layer_norm(args[0], (x.shape[-1],), args[1], args[2], 1e-5))
        with np.errstate(all="ignore"):
            for diagnosis, mistake in _MISTAKES_61.items():
                mistakes[diagnosis].append(_outcome(mistake, *args))
    explain_wrong_tensor(
        [c[0] for c in cases],
        got,
        expected,
        mistakes,
        "nn.functional.layer_norm",
        needs_grad="gamma does: compute it with tensor ops (mean, var, sqrt, *, +), not "
        "through NumPy or .data, so that backward() can reach gamma and beta",
    )
    return (
        "(x − mean)/sqrt(var_biased + eps)·γ + β over the last dim, for 1-D to 3-D inputs, "
        "a constant row and a variance below eps"
    )


# -- 6.2 ----------------------------------------------------------------------------------------

_SHAPE_62 = (2, 3, 4)  # (B, T, C)


def _ints(p, what: str) -> tuple[int, ...]:
    if isinstance(p, int):
        return (p,)
    try:
        return tuple(int(n) for n in p)
    except (TypeError, ValueError):
        raise Mistake(f"write {what} as a tuple of ints such as (0, 1); got {p!r}") from None


@exercise(
    "6.2",
    task="return (the dims of x that LayerNorm((3, 4)) averages over, its weight's shape)",
    hints=[
        "normalized_shape names the LAST dims of the input: (3, 4) matches the last two dims of "
        "a (2, 3, 4) input.",
        "The mean and the variance are taken over those dims jointly (12 values per sample); the "
        "batch dim 0 is never averaged. weight and bias have the shape normalized_shape.",
        "return (1, 2), (3, 4)",
    ],
)
def layer_norm_dims(answer) -> str:
    ln = LayerNorm((3, 4))
    ndim, d = len(_SHAPE_62), len(ln.normalized_shape)
    dims_true = tuple(range(ndim - d, ndim))
    weight_true = tuple(ln.weight.shape)
    predicted = run(answer)
    if isinstance(predicted, (list, tuple)) and all(isinstance(k, int) for k in predicted):
        raise Mistake(
            f"return two things, the dims and the weight's shape, e.g. (0, 1), (2,); you returned "
            f"{predicted!r}, a single tuple of ints"
        )
    if not isinstance(predicted, (list, tuple)) or len(predicted) != 2:
        raise Mistake(
            "return two things: the dims that are averaged together and the weight's shape, "
            "e.g. (0, 1), (2,)"
        )
    dims = _ints(predicted[0], "the dims")
    if any(not -ndim <= k < ndim for k in dims):
        raise Mistake(f"a (2, 3, 4) input has dims 0, 1, 2 (or -3, -2, -1); got {dims}")
    dims = tuple(sorted({k % ndim for k in dims}))
    weight = _ints(predicted[1], "the weight's shape")
    if dims != dims_true:
        if 0 in dims and dims != (0, 1, 2):
            raise Mistake(
                "dim 0 is the batch: averaging over it is what BatchNorm does; LayerNorm never "
                "mixes samples, it averages over the last len(normalized_shape) dims: (1, 2)"
            )
        if dims == (0, 1, 2):
            raise Mistake(
                "the batch dim 0 is not averaged: each sample gets its own mean, over the last "
                "two dims (1, 2)"
            )
        if dims == (2,):
            raise Mistake(
                "dim 2 alone is what LayerNorm(4) averages over; LayerNorm((3, 4)) averages over "
                "the last two dims jointly, (1, 2): 12 values per sample"
            )
        raise Mistake(
            "normalized_shape (3, 4) names the LAST two dims of the input, averaged jointly: "
            f"dims (1, 2), not {dims}"
        )
    if weight != weight_true:
        if weight == (4,):
            raise Mistake(
                "the weight has the shape normalized_shape, (3, 4): one γ for each of the 12 "
                "normalised positions, not one per feature"
            )
        if weight == (12,):
            raise Mistake("the weight is not flattened: it has the shape normalized_shape, (3, 4)")
        if weight == _SHAPE_62:
            raise Mistake(
                "the parameters do not depend on the batch size: the weight has the shape "
                "normalized_shape, (3, 4)"
            )
        raise Mistake(f"the weight has the shape normalized_shape, (3, 4), not {weight}")
    return "LayerNorm((3, 4)) on (2, 3, 4) averages over dims (1, 2); weight shape (3, 4)"


# -- 6.3 ----------------------------------------------------------------------------------------

GAMMA_63 = [1.5, -1.0, 2.0, 0.5]
BETA_63 = [0.5, -1.0, 2.0, 0.0]


@exercise(
    "6.3",
    task="return your predicted output of the LayerNorm(4) above for the constant row [3, 3, 3, 3]",
    hints=[
        "All four values are equal: what is x − mean? What is the variance, and what does eps "
        "inside the square root change about dividing by it?",
        "x − mean is 0 and the variance is 0, so the row is divided by sqrt(0 + 1e-5) ≈ 0.00316, "
        "not by 0: the normalised row is 0, not nan. Then γ·0 + β.",
        f"return {BETA_63}",
    ],
)
def constant_row(answer) -> str:
    ln = LayerNorm(4)
    ln.weight.data = tensor(GAMMA_63)
    ln.bias.data = tensor(BETA_63)
    actual = _values(ln(full((4,), 3.0)))
    p = run(answer)
    if isinstance(p, str) and "nan" in p.lower():
        p = [math.nan] * 4
    try:
        value = as_array(p if isinstance(p, Tensor) else np.asarray(p, dtype=np.float64))
    except (TypeError, ValueError):
        raise Mistake(f"predict four numbers, e.g. [1.0, 2.0, 3.0, 4.0]; got {p!r}") from None
    if value.ndim == 0 and np.isnan(value):
        value = np.full(4, np.nan)
    if value.shape != (4,):
        raise Mistake(f"predict the four output values, e.g. [1.0, 2.0, 3.0, 4.0]; got {p!r}")
    if close(value, actual):
        return f"a constant row gives β = {BETA_63}, not nan"
    if np.isnan(value).any():
        raise Mistake(
            "no nan: the variance is 0, but eps sits inside the square root, so the row is "
            "divided by sqrt(0 + 1e-5) ≈ 0.00316, not by 0; x − mean is 0, so the normalised row "
            "is 0, and the output is γ·0 + β = β"
        )
    if close(value, np.zeros(4)):
        raise Mistake(
            "the normalised row is 0, but the layer then computes γ·0 + β: the output is β, "
            f"{BETA_63}, not 0"
        )
    if close(value, GAMMA_63) or close(value, np.add(GAMMA_63, BETA_63)):
        raise Mistake(
            "γ multiplies the normalised value, which is 0 for a constant row, so γ drops out: "
            f"the output is β = {BETA_63}"
        )
    if close(value, np.full(4, 3.0)) or close(value, np.multiply(GAMMA_63, 3.0) + BETA_63):
        raise Mistake(
            "the constant is removed: x − mean = 3 − 3 = 0 for every value, so the output is "
            f"γ·0 + β = β = {BETA_63}"
        )
    raise Mistake(f"the output is {actual.tolist()}, not {value.tolist()}")


# -- 6.4 (optional) -----------------------------------------------------------------------------


def _cases_64() -> list[tuple[str, np.ndarray, tuple[int, ...], np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(64)

    def r(*shape: int, scale: float = 1.0) -> np.ndarray:
        return (rng.standard_normal(shape) * scale + 1.0).astype(np.float32)

    return [
        ("x (2, 3, 4), normalized_shape (3, 4)", r(2, 3, 4, scale=2.0), (3, 4), r(3, 4), r(3, 4)),
        ("x (2, 5, 3, 4), normalized_shape (3, 4)", r(2, 5, 3, 4), (3, 4), r(3, 4), r(3, 4)),
        ("x (2, 3, 4), normalized_shape (4,)", r(2, 3, 4), (4,), r(4), r(4)),
        ("x (3, 4), normalized_shape (3, 4)", r(3, 4, scale=3.0), (3, 4), r(3, 4), r(3, 4)),
    ]


def _normalise(x: Tensor, dims, g, b, eps: float, correction: int = 0) -> Tensor:
    m = x.mean(dims, keepdim=True)
    v = x.var(dims, correction=correction, keepdim=True)
    return (x - m) / (v + eps).sqrt() * g + b


def _last_dim_only(x, ns, g, b, eps=1e-5):
    return _normalise(x, -1, g, b, eps)


def _leading_dims(x, ns, g, b, eps=1e-5):
    return _normalise(x, tuple(range(len(ns))), g, b, eps)


def _one_dim_at_a_time(x, ns, g, b, eps=1e-5):
    for d in range(-1, -len(ns) - 1, -1):
        m = x.mean(d, keepdim=True)
        x = (x - m) / (x.var(d, correction=0, keepdim=True) + eps).sqrt()
    return x * g + b


def _unbiased_nd(x, ns, g, b, eps=1e-5):
    return _normalise(x, tuple(range(-len(ns), 0)), g, b, eps, correction=1)


_MISTAKES_64 = {
    "you normalised over the last dim only; normalized_shape (3, 4) covers the last 2 dims, "
    "jointly: dims = tuple(range(-len(normalized_shape), 0))": _last_dim_only,
    "you normalised over the first len(normalized_shape) dims; normalized_shape names the LAST "
    "dims of x: dims = tuple(range(-len(normalized_shape), 0))": _leading_dims,
    "you normalised one dim at a time; LayerNorm takes a single mean and a single variance over "
    "all the normalised dims jointly: x.mean(dims, keepdim=True) with dims a tuple": (
        _one_dim_at_a_time
    ),
    "variance looks unbiased (divided by N−1); LayerNorm uses N: x.var(dims, correction=0)": (
        _unbiased_nd
    ),
}


@exercise(
    "6.4",
    task="return LayerNorm of x over its last len(normalized_shape) dims, with gamma and beta",
    hints=[
        "The dims to normalise over are the last len(normalized_shape) dims of x, all at once: "
        "one mean and one variance for each position of the leading dims.",
        "mean and var accept a tuple of dims: dims = tuple(range(-len(normalized_shape), 0)), "
        "then x.mean(dims, keepdim=True) and x.var(dims, correction=0, keepdim=True).",
        "dims = tuple(range(-len(normalized_shape), 0)); mean = x.mean(dims, keepdim=True); "
        "var = x.var(dims, correction=0, keepdim=True); "
        "return (x - mean) / (var + eps).sqrt() * gamma + beta",
    ],
)
def layer_norm_over_shape(answer) -> str:
    cases = _cases_64()
    got, expected, mistakes = [], [], {d: [] for d in _MISTAKES_64}
    for _, x, ns, g, b in cases:
        args = (tensor(x), ns, tensor(g, requires_grad=True), tensor(b, requires_grad=True))
        got.append(_outcome(answer, *args))
        expected.append(F.layer_norm(args[0], ns, args[2], args[3], 1e-5))
        for diagnosis, mistake in _MISTAKES_64.items():
            mistakes[diagnosis].append(_outcome(mistake, *args))
    explain_wrong_tensor([c[0] for c in cases], got, expected, mistakes, "nn.functional.layer_norm")
    return "joint statistics over the last 1 or 2 dims, for 2-D, 3-D and 4-D inputs"
