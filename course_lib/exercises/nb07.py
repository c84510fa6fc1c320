"""Notebook 07 (Softmax and `dim`): a stable softmax, predictions about `dim`, a stable
log_softmax. The cases mix square, non-square, 3-D and 1-D inputs, negative dims, logits of ±1e4
and slices whose maxima are far apart (where a global max underflows a whole slice)."""

from __future__ import annotations

import numpy as np

from ..creation import tensor
from ..tensor import Tensor
from ._check import Dim, Number, Seq, exercise


def _built_in_refused(*names: str):
    """A `call` that runs the answer with Tensor.<name> (and so F.<name>) refused."""

    def call(fn, *args):
        saved = {n: getattr(Tensor, n) for n in names}

        def refuse(name):
            def refused(*a, **k):
                raise RuntimeError(
                    f"this exercise builds {name} from exp, max and sum: do not call it"
                )

            return refused

        try:
            for n in names:
                setattr(Tensor, n, refuse(n))
            return fn(*args)
        finally:
            for n, method in saved.items():
                setattr(Tensor, n, method)

    return call


def _cases():
    rng = np.random.default_rng(7)
    cases = []
    for shape, dim, scale in [
        ((4, 4), 1, 1.0), ((3, 5), 1, 1.0), ((3, 5), 0, 1.0), ((2, 3, 4), 2, 1.0),
        ((2, 3, 4), 1, 1.0), ((2, 3, 4), -1, 1.0), ((2, 3, 4), -3, 1.0), ((5,), 0, 1.0),
        ((5,), -1, 1.0), ((3, 5), -1, 1e4), ((2, 3, 4), 1, 1e4),
    ]:  # fmt: skip
        a = rng.standard_normal(shape).astype(np.float32)
        a = a if scale == 1.0 else np.sign(a) * np.float32(scale) + a  # logits near ±1e4
        big = " with logits near ±1e4" if scale != 1.0 else ""
        cases.append((f"shape {shape}, dim={dim}{big}", (tensor(a, requires_grad=True), dim)))
    far = tensor([[0.0, 1.0], [1000.0, 1001.0]], requires_grad=True)
    cases.append(("[[0., 1.], [1000., 1001.]], dim=1 (rows with far-apart maxima)", (far, 1)))
    cases.append(("tensor([-1000., 0., 1000.]), dim=0", (tensor([-1000.0, 0.0, 1000.0]), 0)))
    return cases


def softmax_reference(x, dim):
    e = (x - x.max(dim=dim, keepdim=True).values).exp()
    return e / e.sum(dim=dim, keepdim=True)


def log_softmax_reference(x, dim):
    s = x - x.max(dim=dim, keepdim=True).values
    return s - s.exp().sum(dim=dim, keepdim=True).log()


def _softmax(x, dim, max_keep=True, sum_keep=True, max_dim=None):
    m = x.max() if max_dim == "all" else x.max(dim=dim, keepdim=max_keep).values
    e = (x - m).exp()
    return e / e.sum(dim=dim, keepdim=sum_keep)


exercise(
    "7.1",
    task="return softmax(x) along dim, computed stably from exp, max and sum",
    hints=[
        "Every slice along `dim` must become positive numbers that sum to 1: exponentiate, then divide by the sum over `dim`. Subtract each slice's max first, so exp() never overflows (it does not change the result).",
        "x.max(dim=dim, keepdim=True).values is each slice's max; keepdim=True keeps the reduced dim as a 1, so it broadcasts back against x along the right dim. The same for .sum(dim=dim, keepdim=True). Negative dims need no special handling.",
        "e = (x - x.max(dim=dim, keepdim=True).values).exp(); return e / e.sum(dim=dim, keepdim=True)",
    ],
    reference=softmax_reference,
    cases=_cases,
    call=_built_in_refused("softmax", "log_softmax"),
    mistakes={
        "you normalised over dim 0 whatever `dim` says: pass dim to max and sum": (
            lambda x, dim: softmax_reference(x, 0)
        ),
        "you normalised over the last dim whatever `dim` says: pass dim to max and sum": (
            lambda x, dim: softmax_reference(x, -1)
        ),
        "you forgot keepdim=True on the max: the reduced values broadcast along the wrong dim": (
            lambda x, dim: _softmax(x, dim, max_keep=False)
        ),
        "you forgot keepdim=True on the sum: the reduced values broadcast along the wrong dim": (
            lambda x, dim: _softmax(x, dim, sum_keep=False)
        ),
        "you subtracted the global max x.max(): a slice whose values all lie far below it "
        "underflows to exp(...) = 0, and 0 / 0 is nan; subtract each slice's own max": (
            lambda x, dim: _softmax(x, dim, max_dim="all")
        ),
        "exp(x) / sum(exp(x)) overflows for large logits (exp(1e4) is inf, inf / inf is nan); "
        "subtract each slice's max before exp()": (
            lambda x, dim: x.exp() / x.exp().sum(dim=dim, keepdim=True)
        ),
        "you divided by the sum over every element: divide by the sum over `dim` only": (
            lambda x, dim: (lambda e: e / e.sum())((x - x.max(dim=dim, keepdim=True).values).exp())
        ),
        "you forgot keepdim=True on the max and on the sum: the reduced values broadcast along "
        "the wrong dim": lambda x, dim: _softmax(x, dim, max_keep=False, sum_keep=False),
        "you subtracted a max taken over another dim: softmax is unchanged only by a shift that "
        "is constant along `dim`; take the max over `dim`": lambda x, dim: (
            lambda e: e / e.sum(dim=dim, keepdim=True)
        )((x - x.max(dim=0 if dim % x.ndim else -1, keepdim=True).values).exp()),
        "that is the sigmoid, element by element: softmax divides each exp by the sum over "
        "`dim`": lambda x, dim: x.sigmoid(),
        "you forgot the exp: x / sum(x) is not a softmax (it can be negative)": (
            lambda x, dim: x / x.sum(dim=dim, keepdim=True)
        ),
    },
    done="square, non-square, 3-D and 1-D inputs, negative dims, logits of ±1e4 and slices "
    "with far-apart maxima",
)


def _explain_72(got, truth):
    if got[0] != truth[0]:
        return (
            "nn.Softmax(dim=0) of a (1, 3) tensor: along dim 0 each column is a slice of length "
            "1; what does a slice of one number sum to?"
        )
    return {
        0: "for the (B, T, T) scores, dim 0 normalises across the batch: the same (query, key) "
        "cell of every sequence sums to 1",
        1: "for the (B, T, T) scores, dim 1 makes each column sum to 1 (one key over all the "
        "queries); a row is a slice along the last dim",
    }[got[1]]


exercise(
    "7.2",
    task="return [nn.Softmax(dim=0)(tensor([[1., 2., 3.]])) as a nested list, the dim that "
    "makes each row of a (B, T, T) tensor sum to 1] (values to 3 significant digits)",
    hints=[
        "Softmax along a dim normalises every slice along that dim. For a (1, 3) tensor, what are the slices along dim 0, and how long is each?",
        "Along dim 0 each column is a slice of its own, of length 1, and a slice of one number becomes exp(x) / exp(x). For (B, T, T) a row is a slice along the last dim: its index changes, the others stay fixed.",
        "[[[1.0, 1.0, 1.0]], -1]   (2 is the same dim as -1 for a 3-D tensor)",
    ],
    reference=lambda: [tensor([[1.0, 2.0, 3.0]]).softmax(0), -1],
    form=Seq((Seq((Seq((Number(3), 3)), 1)), Dim(3))),
    mistakes={
        "your first prediction is the softmax along dim 1 (each row sums to 1); along dim 0 "
        "each column is a slice of length 1, and one number's softmax is exp(x) / exp(x) = 1": [
            tensor([[1.0, 2.0, 3.0]]).softmax(1),
            -1,
        ],
        "softmax is not uniform here: the slices along dim 0 are the columns, each of length 1, "
        "and one number's softmax is exp(x) / exp(x) = 1": [[[1 / 3] * 3], -1],
    },
    explain=lambda got, truth: _explain_72(got, truth),
    done="nn.Softmax(0) of a (1, 3) tensor is all ones, and dim=-1 normalises each row",
)


exercise(
    "7.3",
    task="return log_softmax(x) along dim, computed stably as x - logsumexp(x)",
    hints=[
        "log(softmax(x)) = x - log(sum(exp(x))). Do not take the log of a softmax: a probability that underflows to 0 becomes -inf. Compute log(sum(exp(x))) (logsumexp) stably instead.",
        "logsumexp(x) = m + log(sum(exp(x - m))) with m the slice's max (keepdim=True), so x - logsumexp(x) = (x - m) - log(sum(exp(x - m))).",
        "s = x - x.max(dim=dim, keepdim=True).values; return s - s.exp().sum(dim=dim, keepdim=True).log()",
    ],
    reference=log_softmax_reference,
    cases=_cases,
    call=_built_in_refused("log_softmax"),
    mistakes={
        "you took log(softmax(x)): the small probabilities underflow to 0 and log(0) = -inf; "
        "compute x - logsumexp(x) instead, which never forms them": (
            lambda x, dim: softmax_reference(x, dim).log()
        ),
        "exp(x) overflows without the max subtracted (exp(1e4) is inf): use logsumexp(x) = "
        "m + log(sum(exp(x - m)))": lambda x, dim: x - x.exp().sum(dim=dim, keepdim=True).log(),
        "x - log(sum(exp(x - m))) leaves out the max m subtracted inside: logsumexp(x) = m + "
        "log(sum(exp(x - m))), so subtract both": (
            lambda x, dim: (
                x - (x - x.max(dim, keepdim=True).values).exp().sum(dim, keepdim=True).log()
            )
        ),
        "you subtracted the max only: x - m is not normalised, also subtract "
        "log(sum(exp(x - m)))": lambda x, dim: x - x.max(dim=dim, keepdim=True).values,
        "you normalised over dim 0 whatever `dim` says": lambda x, dim: log_softmax_reference(x, 0),
        "you normalised over the last dim whatever `dim` says": (
            lambda x, dim: log_softmax_reference(x, -1)
        ),
        "you forgot keepdim=True on the max: it broadcasts along the wrong dim": (
            lambda x, dim: (lambda s: s - s.exp().sum(dim, keepdim=True).log())(
                x - x.max(dim).values
            )
        ),
        "you subtracted logsumexp without keepdim=True: the (n,) result broadcasts along the "
        "wrong dim; keep the reduced dim": lambda x, dim: (
            x - (x.max(dim).values + (x - x.max(dim, keepdim=True).values).exp().sum(dim).log())
        ),
        "you forgot keepdim=True on the sum: it broadcasts along the wrong dim": (
            lambda x, dim: (lambda s: s - s.exp().sum(dim).log())(
                x - x.max(dim, keepdim=True).values
            )
        ),
    },
    done="[-1000, 0, 1000], square, non-square, 3-D and 1-D inputs, negative dims, logits of "
    "±1e4 and slices with far-apart maxima; both x - (m + log Σ) and (x - m) - log Σ pass",
)
