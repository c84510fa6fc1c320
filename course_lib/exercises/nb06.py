"""Notebook 06 (`nn.LayerNorm`): LayerNorm by hand, its dims and parameters, a constant row, and
LayerNorm over several dims."""

from __future__ import annotations

import numpy as np

from ..creation import full, tensor
from ..nn import LayerNorm
from ..tensor import Tensor
from ._check import Dims, Number, Seq, Shape, exercise


def _cases_61():
    rng = np.random.default_rng(61)

    def r(*shape: int, scale: float = 1.0, shift: float = 0.0, grad: bool = True):
        a = (rng.standard_normal(shape) * scale + shift).astype(np.float32)
        return tensor(a, requires_grad=grad)

    x_const = r(4, 5, scale=2.0, shift=1.0, grad=False)
    x_const[2] = 3.0  # a constant row: var = 0
    return [
        ("x (4, 5) with a constant row 2", (x_const, r(5), r(5))),
        ("x (2, 3, 6)", (r(2, 3, 6, scale=3.0), r(6), r(6))),
        ("1-D x (6,)", (r(6, shift=5.0), r(6), r(6))),
        (
            "x (3, 4) with a spread of about 1e-3 (variance below eps)",
            (r(3, 4, scale=1e-3), r(4), r(4)),
        ),
        ("x (2, 2)", (r(2, 2), r(2), r(2))),
        ("x (3, 4), eps=0.1", (r(3, 4, scale=0.5), r(4), r(4), 0.1)),
    ]


def layer_norm_reference(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / (var + eps).sqrt() * gamma + beta


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
    "you ignored the `eps` argument (a hard-coded 1e-5): use the eps passed in": (
        lambda x, g, b, eps=1e-5: layer_norm_reference(x, g, b)
    ),
    "you added β before multiplying by γ: (normalised + beta) * gamma scales β too; multiply "
    "by gamma first, then add beta": lambda x, g, b, eps=1e-5: (
        (layer_norm_reference(x, 1, b, eps)) * g
    ),
    "you added eps², not eps: divide by sqrt(var + eps)": (
        lambda x, g, b, eps=1e-5: layer_norm_reference(x, g, b, eps**2)
    ),
    "you swapped γ and β: multiply by gamma, then add beta": (
        lambda x, g, b, eps=1e-5: layer_norm_reference(x, b, g, eps)
    ),
    "you forgot γ and β: multiply the normalised values by gamma, then add beta": _no_affine,
    "you forgot β: add beta after multiplying by gamma": _no_beta,
    "you forgot γ: multiply the normalised values by gamma before adding beta": _no_gamma,
}


exercise(
    "6.1",
    task="return LayerNorm over the last dim of x, scaled by gamma and shifted by beta",
    hints=[
        "Each row (the last dim) is normalised on its own: subtract its mean, divide by its standard deviation, then multiply by gamma and add beta. Keep the reduced dim (keepdim=True) so that the mean broadcasts back over the row.",
        "LayerNorm's variance is the biased one, x.var(-1, correction=0, keepdim=True) (divided by N, not N−1), and eps goes inside the square root: (var + eps).sqrt().",
        "mean = x.mean(-1, keepdim=True); var = x.var(-1, correction=0, keepdim=True); return (x - mean) / (var + eps).sqrt() * gamma + beta",
    ],
    reference=layer_norm_reference,
    cases=_cases_61,
    mistakes=_MISTAKES_61,
    done="biased variance, eps inside the square root, γ and β, for 1-D to 3-D inputs, a "
    "constant row and a spread below eps",
)

exercise(
    "6.2",
    task="return (the dims of x that LayerNorm((3, 4)) averages over, its weight's shape)",
    hints=[
        "normalized_shape names the LAST dims of the input: (3, 4) matches the last two dims of a (2, 3, 4) input.",
        "The mean and the variance are taken over those dims jointly (12 values per sample); the batch dim 0 is never averaged. weight and bias have the shape normalized_shape.",
        "return (1, 2), (3, 4)",
    ],
    reference=lambda: [(1, 2), tuple(LayerNorm((3, 4)).weight.shape)],
    form=Seq((Dims(3), Shape())),
    mistakes={
        "dim 0 is the batch: averaging over it is what BatchNorm does; LayerNorm never mixes "
        "samples, it averages over the last len(normalized_shape) dims": [(0, 1), (3, 4)],
        "the batch dim 0 is not averaged: each sample gets its own mean": [(0, 1, 2), (3, 4)],
        "dim 2 alone is what LayerNorm(4) averages over; LayerNorm((3, 4)) averages over the "
        "last two dims jointly: 12 values per sample": [(2,), (3, 4)],
        "the weight has the shape normalized_shape: one γ for each of the 12 normalised "
        "positions, not one per feature": [(1, 2), (4,)],
        "the weight is not flattened: it has the shape normalized_shape": [(1, 2), (12,)],
        "the parameters do not depend on the batch size: the weight has the shape "
        "normalized_shape": [(1, 2), (2, 3, 4)],
    },
    done="LayerNorm((3, 4)) on (2, 3, 4) averages over dims (1, 2); weight shape (3, 4)",
)

GAMMA_63 = [1.5, -1.0, 2.0, 0.5]
BETA_63 = [0.5, -1.0, 2.0, 0.0]


def _constant_row() -> Tensor:
    ln = LayerNorm(4)
    ln.weight.data = tensor(GAMMA_63)
    ln.bias.data = tensor(BETA_63)
    return ln(full((4,), 3.0))


exercise(
    "6.3",
    task="return your predicted output of the LayerNorm(4) above for the constant row "
    "[3, 3, 3, 3] (four numbers, to 3 significant digits)",
    hints=[
        "All four values are equal: what is x − mean? What is the variance, and what does eps inside the square root change about dividing by it?",
        "x − mean is 0 and the variance is 0, so the row is divided by sqrt(0 + 1e-5) ≈ 0.00316, not by 0: the normalised row is 0, not nan. Then γ·0 + β.",
        "return [0.5, -1.0, 2.0, 0.0]",
    ],
    reference=_constant_row,
    form=Seq((Number(3), 4)),
    mistakes={
        "the normalised row is 0, but the layer then computes γ·0 + β: the output is β, not 0": [0]
        * 4,
        "γ multiplies the normalised value, which is 0 for a constant row, so γ drops out": GAMMA_63,
        "γ drops out (it multiplies 0), and β is added once": np.add(GAMMA_63, BETA_63).tolist(),
        "the constant is removed: x − mean = 3 − 3 = 0 for every value": [3.0] * 4,
        "the constant is removed: x − mean = 0, so γ·3 never appears": (
            np.multiply(GAMMA_63, 3.0) + BETA_63
        ).tolist(),
    },
    explain=lambda got, truth: (
        "no nan: eps sits inside the square root, so the row is divided by sqrt(0 + 1e-5), not by 0"
        if any(v != v for v in got)
        else None
    ),
    done=f"a constant row gives β = {BETA_63}, not nan",
)


def _cases_64():
    rng = np.random.default_rng(64)

    def r(*shape: int, scale: float = 1.0, grad: bool = True):
        return tensor(
            (rng.standard_normal(shape) * scale + 1.0).astype(np.float32), requires_grad=grad
        )

    return [
        ("x (2, 3, 4), normalized_shape (3, 4)", (r(2, 3, 4, scale=2.0), (3, 4), r(3, 4), r(3, 4))),
        ("x (2, 5, 3, 4), normalized_shape (3, 4)", (r(2, 5, 3, 4), (3, 4), r(3, 4), r(3, 4))),
        ("x (2, 3, 4), normalized_shape (4,)", (r(2, 3, 4), (4,), r(4), r(4))),
        ("x (3, 4), normalized_shape (3, 4)", (r(3, 4, scale=3.0), (3, 4), r(3, 4), r(3, 4))),
        ("x (4, 3, 4), normalized_shape [3, 4] (a list)", (r(4, 3, 4), [3, 4], r(3, 4), r(3, 4))),
        (
            "x (2, 3, 4), normalized_shape (3, 4), eps=0.5",
            (r(2, 3, 4), (3, 4), r(3, 4), r(3, 4), 0.5),
        ),
    ]


def layer_norm_nd_reference(x, normalized_shape, gamma, beta, eps=1e-5):
    dims = tuple(range(-len(normalized_shape), 0))
    mean = x.mean(dims, keepdim=True)
    var = x.var(dims, correction=0, keepdim=True)
    return (x - mean) / (var + eps).sqrt() * gamma + beta


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
    "you ignored the `eps` argument (a hard-coded 1e-5): use the eps passed in": (
        lambda x, ns, g, b, eps=1e-5: layer_norm_nd_reference(x, ns, g, b)
    ),
    "you normalised over the last 2 dims whatever normalized_shape says: take its length, "
    "dims = tuple(range(-len(normalized_shape), 0))": (
        lambda x, ns, g, b, eps=1e-5: _normalise(x, (-2, -1), g, b, eps)
    ),
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
    "you averaged the per-row variances: the joint variance also counts how far the row means "
    "lie apart; take x.var(dims, correction=0, keepdim=True) over the dims jointly": (
        lambda x, ns, g, b, eps=1e-5: (
            (x - x.mean(tuple(range(-len(ns), 0)), keepdim=True))
            / (
                x.var(-1, correction=0, keepdim=True).mean(tuple(range(-len(ns), -1)), keepdim=True)
                + eps
            ).sqrt()
            * g
            + b
        )
    ),
}


exercise(
    "6.4",
    task="return LayerNorm of x over its last len(normalized_shape) dims, with gamma and beta",
    hints=[
        "The dims to normalise over are the last len(normalized_shape) dims of x, all at once: one mean and one variance for each position of the leading dims.",
        "mean and var accept a tuple of dims: dims = tuple(range(-len(normalized_shape), 0)), then x.mean(dims, keepdim=True) and x.var(dims, correction=0, keepdim=True).",
        "dims = tuple(range(-len(normalized_shape), 0)); mean = x.mean(dims, keepdim=True); var = x.var(dims, correction=0, keepdim=True); return (x - mean) / (var + eps).sqrt() * gamma + beta",
    ],
    reference=layer_norm_nd_reference,
    cases=_cases_64,
    mistakes=_MISTAKES_64,
    done="joint statistics over the last 1 or 2 dims, for 2-D, 3-D and 4-D inputs",
)
