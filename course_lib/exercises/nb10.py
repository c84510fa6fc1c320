"""Notebook 10 (capstone): `nn.Embedding` as a lookup and as a one-hot matmul, which rows get a
gradient, and the masked mean of a padded sequence.

Each check runs the learner's answer on reference cases (a non-square table so that a transposed
weight cannot hide, a square one so that it cannot hide behind an index error, 0-D, 1-D and 2-D
index tensors) and compares with course_lib's own `nn.functional.embedding`. A wrong answer is
diagnosed by running the known mistakes on the same cases: the mistake that behaves like the
answer on every case (the same numbers, or the same error) names it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from ..creation import arange, tensor
from ..nn import Embedding
from ..nn import functional as F
from ..tensor import Tensor
from ._legacy import (
    Mistake,
    exercise,
    explain_wrong_tensor,
    outcome,
    run,
    values,
)

# -- shared helpers: which known mistake behaves like the answer? -------------------------------


_outcome, _values = outcome, values


def _lookup_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(10)

    def w(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(np.float32)

    return [
        ("weight (6, 3), idx [0, 5, 2, 2]", w(6, 3), np.array([0, 5, 2, 2])),
        (
            "weight (6, 3), 2-D idx [[1, 0, 4], [3, 3, 5]]",
            w(6, 3),
            np.array([[1, 0, 4], [3, 3, 5]]),
        ),
        ("square weight (4, 4), idx [[3, 1], [0, 2]]", w(4, 4), np.array([[3, 1], [0, 2]])),
        ("weight (5, 2), 0-D idx 4", w(5, 2), np.array(4)),
        ("weight (7, 3), idx [6]", w(7, 3), np.array([6])),
        (
            "weight (8, 3), idx [[2, 0], [1, 2]] (rows 3 to 7 unused)",
            w(8, 3),
            np.array([[2, 0], [1, 2]]),
        ),
    ]


def _run_lookup_check(answer: Callable, mistakes: list[tuple[str, Callable]], what: str) -> None:
    cases = _lookup_cases()
    got, expected = [], []
    outs: list[tuple[str, list]] = [(d, []) for d, _ in mistakes]
    for _, w, i in cases:
        weight, idx = tensor(w, requires_grad=True), tensor(i)
        got.append(_outcome(answer, weight, idx))
        expected.append(F.embedding(idx, weight))
        with warnings.catch_warnings():  # x.T on a 3-D tensor warns; the learner need not see it
            warnings.simplefilter("ignore")
            for (_, fn), (_, results) in zip(mistakes, outs, strict=True):
                results.append(_outcome(fn, weight, idx))
    explain_wrong_tensor(
        [c[0] for c in cases],
        got,
        expected,
        outs,
        what,
        needs_grad="the weight does: compute it with tensor ops (indexing, @, sum), not "
        "through NumPy or .data, so that backward() can reach the weight",
    )


# -- 10.1 ---------------------------------------------------------------------------------------

_TRANSPOSED = (
    "you looked the indices up in the transposed weight: the table is stored as "
    "(num_embeddings, embedding_dim), one row per token, so the lookup is weight[idx]; "
    "weight.T[idx] or weight[:, idx] picks columns, which fails for a non-square table and "
    "gives the wrong numbers for a square one"
)

_MISTAKES_101 = [
    (_TRANSPOSED, lambda w, i: w.T[i]),
    (_TRANSPOSED, lambda w, i: w[:, i]),
    (
        "you indexed with float indices: indices must be integers (int64), as they are when "
        "they reach you; use weight[idx] without converting idx to float",
        lambda w, i: w[i.float()],
    ),
    (
        "you multiplied the indices themselves into the weight (idx.float() @ weight): an index "
        "is a row number, not a coefficient; select row idx with weight[idx]",
        lambda w, i: i.float() @ w,
    ),
    (
        "you returned weight[idx].sum(), one number: the lookup returns one row per index, "
        "of shape idx.shape + (embedding_dim,); do not sum",
        lambda w, i: w[i].sum(),
    ),
    (
        "you summed the looked-up rows over the first dim (weight[idx].sum(0)): the lookup "
        "keeps one row per index, of shape idx.shape + (embedding_dim,)",
        lambda w, i: w[i].sum(0),
    ),
    (
        "you flattened idx: the output shape must be idx.shape + (embedding_dim,), so a 2-D "
        "idx gives a 3-D output; index with idx as it is",
        lambda w, i: w[i.reshape(-1)],
    ),
]


@exercise(
    "10.1",
    task="return the rows of weight selected by idx, as nn.Embedding does",
    hints=[
        "weight has shape (num_embeddings, embedding_dim): row k is the vector of token k. "
        "The output has shape idx.shape + (embedding_dim,).",
        "Integer-tensor indexing does exactly this: weight[idx] picks row idx[...] for every "
        "position of idx, whatever idx's shape.",
        "return weight[idx]",
    ],
)
def embedding_lookup(answer) -> str:
    _run_lookup_check(answer, _MISTAKES_101, "weight[idx]")
    return "weight[idx] for 0-D, 1-D and 2-D indices, non-square and square tables"


# -- 10.2 ---------------------------------------------------------------------------------------


def _one_hot(i: Tensor, width: int) -> Tensor:
    return (i.unsqueeze(-1) == arange(width)).float()


_MISTAKES_102 = [
    (
        "your one-hot vectors have embedding_dim entries: they need one entry per row of the "
        "table, num_embeddings = weight.shape[0]",
        lambda w, i: _one_hot(i, w.shape[1]) @ w,
    ),
    (
        "your one-hot width is idx.max() + 1, the largest index seen: it must be "
        "num_embeddings = weight.shape[0], whatever indices happen to occur",
        lambda w, i: _one_hot(i, int(i.max().item()) + 1) @ w,
    ),
    (
        "you multiplied in the wrong order: the one-hot matrix has shape idx.shape + "
        "(num_embeddings,), so it goes on the left, one_hot @ weight",
        lambda w, i: w @ _one_hot(i, w.shape[0]),
    ),
    (
        "you multiplied in the wrong order, weight.T @ one_hot.T: that gives the transpose "
        "(embedding_dim, n) and fails for 2-D idx; write one_hot @ weight",
        lambda w, i: w.T @ _one_hot(i, w.shape[0]).T,
    ),
    (
        "you used weight.T: one_hot @ weight.T has the one-hot's num_embeddings meet "
        "embedding_dim; the table is stored (num_embeddings, embedding_dim), so one_hot @ weight",
        lambda w, i: _one_hot(i, w.shape[0]) @ w.T,
    ),
    (
        "you summed the one-hot rows first: (one_hot.sum(...)) @ weight adds the rows of all "
        "indices together; keep one one-hot vector per index",
        lambda w, i: _one_hot(i, w.shape[0]).sum(0) @ w,
    ),
]


@exercise(
    "10.2",
    task="return the embedding of idx computed as a one-hot matrix times weight",
    hints=[
        "A one-hot vector for index k has num_embeddings = weight.shape[0] entries, all 0 "
        "except a 1 at position k; multiplying it by weight selects row k.",
        "Compare idx.unsqueeze(-1) with torch.arange(weight.shape[0]): the result has shape "
        "idx.shape + (num_embeddings,); make it float, then multiply with @ (which side?).",
        "one_hot = (idx.unsqueeze(-1) == torch.arange(weight.shape[0])).float(); "
        "return one_hot @ weight",
    ],
)
def one_hot_embedding(answer) -> str:
    _run_lookup_check(answer, _MISTAKES_102, "one_hot(idx) @ weight")
    probe = run(answer, tensor(np.eye(3, dtype=np.float32), requires_grad=True), tensor([2, 0]))
    name = probe.grad_fn.name() if probe.grad_fn is not None else ""
    if name in ("IndexBackward0", "EmbeddingBackward0"):
        raise Mistake(
            f"the numbers are right, but your output's grad_fn is {name}: that is the lookup of "
            "10.1; build the one-hot matrix and multiply it by weight"
        )
    return "one_hot(idx) @ weight equals weight[idx] for 0-D, 1-D and 2-D indices"


# -- 10.3 ---------------------------------------------------------------------------------------

_IDX_103 = [[1, 4], [4, 0]]
_PADDING_103 = 4


def _nonzero_rows(padding_idx: int | None) -> list[int]:
    emb = Embedding(6, 3, padding_idx=padding_idx)
    emb(tensor(_IDX_103)).sum().backward()
    rows = np.abs(emb.weight.grad.numpy()).sum(axis=1)
    return [int(k) for k in np.flatnonzero(rows)]


def _as_rows(p, which: str) -> list[int]:
    try:
        return sorted({int(k) for k in p})
    except (TypeError, ValueError):
        raise Mistake(f"{which}: write a list of row numbers such as [2, 5]; got {p!r}") from None


@exercise(
    "10.3",
    task="predict the non-zero rows of weight.grad, without and with padding_idx",
    hints=[
        "The lookup reads only the rows whose numbers appear in idx; a row that is never read "
        "does not influence the loss, so its gradient is zero.",
        "With padding_idx=4, row 4 is read, but nn.Embedding never gives the padding row a "
        "gradient. List the distinct row numbers of idx, then remove 4 for the second list.",
        "return [0, 1, 4], [0, 1]",
    ],
)
def grad_rows(answer) -> str:
    plain, padded = _nonzero_rows(None), _nonzero_rows(_PADDING_103)
    predicted = run(answer)
    if not isinstance(predicted, (list, tuple)) or len(predicted) != 2:
        raise Mistake("return two lists: the rows without padding_idx, then with padding_idx=4")
    p_plain = _as_rows(predicted[0], "your first list")
    p_padded = _as_rows(predicted[1], "your second list")
    used = sorted({k for row in _IDX_103 for k in row})
    if p_plain != plain:
        if p_plain == list(range(6)):
            raise Mistake(
                "not every row gets a gradient: only the rows the lookup read, "
                f"{plain}, are non-zero; rows that never appear in idx get exactly 0"
            )
        if p_plain == [k for k in used if k != _PADDING_103]:
            raise Mistake(
                "without padding_idx row 4 is an ordinary row: it is looked up, so its gradient "
                f"is non-zero; the non-zero rows are {plain}"
            )
        raise Mistake(f"without padding_idx the non-zero rows are {plain}, not {p_plain}")
    if p_padded != padded:
        if p_padded == plain:
            raise Mistake(
                "the padding row's gradient is always zero, even though idx looks it up: with "
                f"padding_idx=4 the non-zero rows are {padded}"
            )
        if p_padded == list(range(6)) or p_padded == [k for k in range(6) if k != _PADDING_103]:
            raise Mistake(
                "padding_idx does not give the other rows a gradient: only rows read by the "
                f"lookup are non-zero, minus the padding row: {padded}"
            )
        raise Mistake(f"with padding_idx=4 the non-zero rows are {padded}, not {p_padded}")
    return f"rows {plain} without padding_idx, {padded} with padding_idx=4"


# -- 10.4 ---------------------------------------------------------------------------------------


def _cases_104() -> list[tuple[str, np.ndarray, np.ndarray, int]]:
    rng = np.random.default_rng(104)

    def v(*shape: int) -> np.ndarray:  # vectors at padding positions are NOT zero on purpose
        return rng.standard_normal(shape).astype(np.float32)

    return [
        (
            "3 sequences of length 4, padding 0",
            v(3, 4, 2),
            np.array([[5, 2, 0, 0], [1, 1, 1, 3], [4, 0, 0, 0]]),
            0,
        ),
        (
            "2 sequences of length 3, dim 5, padding 7",
            v(2, 3, 5),
            np.array([[7, 3, 7], [1, 2, 7]]),
            7,
        ),
        (
            "4 sequences of length 4, dim 4 (B = T = D), padding 0",
            v(4, 4, 4),
            np.array([[2, 0, 0, 0], [3, 3, 0, 0], [1, 2, 3, 0], [1, 2, 3, 4]]),
            0,
        ),
    ]


def _mask(t: Tensor, p: int) -> Tensor:
    return (t != p).float()


_MISTAKES_104 = [
    (
        "you averaged over every position, padding included (vectors.mean(dim=1)): padding "
        "positions must be left out of the sum and of the count",
        lambda x, t, p: x.mean(dim=1),
    ),
    (
        "you divided by the full length T: after masking, divide by the number of non-padding "
        "positions of each sequence, mask.sum(dim=1, keepdim=True)",
        lambda x, t, p: (x * _mask(t, p).unsqueeze(-1)).sum(dim=1) / t.shape[1],
    ),
    (
        "you included the padding positions in the sum (you divided by the right count, but "
        "summed every vector): multiply by the mask before summing; the padding row of "
        "nn.Embedding is zero only until someone changes it, and here the vectors are arbitrary",
        lambda x, t, p: x.sum(dim=1) / _mask(t, p).sum(dim=1, keepdim=True),
    ),
    (
        "your mask is inverted: you averaged over the padding positions; the mask is "
        "tokens != padding_idx",
        lambda x, t, p: (
            (x * (t == p).float().unsqueeze(-1)).sum(dim=1)
            / (t == p).float().sum(dim=1, keepdim=True)
        ),
    ),
    (
        "you divided by the count without keepdim: a (B,) count divides the (B, D) sum "
        "along the wrong dim (it lines up with D, not B); use mask.sum(dim=1, keepdim=True)",
        lambda x, t, p: (x * _mask(t, p).unsqueeze(-1)).sum(dim=1) / _mask(t, p).sum(dim=1),
    ),
    (
        "you divided by the total number of non-padding positions in the whole batch: each "
        "sequence must be divided by its own count, mask.sum(dim=1, keepdim=True)",
        lambda x, t, p: (x * _mask(t, p).unsqueeze(-1)).sum(dim=1) / _mask(t, p).sum(),
    ),
]


def _reference_104(x: Tensor, t: Tensor, p: int) -> Tensor:
    m = _mask(t, p)
    return (x * m.unsqueeze(-1)).sum(dim=1) / m.sum(dim=1, keepdim=True)


@exercise(
    "10.4",
    task="return the mean of vectors over the positions where tokens != padding_idx",
    hints=[
        "vectors has shape (B, T, D), tokens (B, T). Build a mask that is 1.0 where "
        "tokens != padding_idx and 0.0 elsewhere; the answer has shape (B, D).",
        "Sum vectors * mask.unsqueeze(-1) over dim 1, and divide by the number of real tokens "
        "of each sequence, mask.sum(dim=1, keepdim=True) (keepdim, so that it divides per row).",
        "mask = (tokens != padding_idx).float(); return (vectors * mask.unsqueeze(-1))"
        ".sum(dim=1) / mask.sum(dim=1, keepdim=True)",
    ],
)
def masked_mean(answer) -> str:
    cases = _cases_104()
    got, expected = [], []
    outs: list[tuple[str, list]] = [(d, []) for d, _ in _MISTAKES_104]
    for _, x, t, p in cases:
        args = (tensor(x, requires_grad=True), tensor(t), p)
        got.append(_outcome(answer, *args))
        expected.append(_reference_104(*args))
        for (_, fn), (_, results) in zip(_MISTAKES_104, outs, strict=True):
            results.append(_outcome(fn, *args))
    explain_wrong_tensor(
        [c[0] for c in cases],
        got,
        expected,
        outs,
        "the masked mean",
        needs_grad="vectors does: compute it with tensor ops (*, sum, /), not through NumPy "
        "or .data, so that backward() can reach vectors",
    )
    return "one mean per sequence over its non-padding positions, padding 0 and 7, B = T = D"
