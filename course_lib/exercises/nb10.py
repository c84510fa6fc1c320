"""Notebook 10 (capstone): `nn.Embedding` as a lookup and as a one-hot matmul, which rows get a
gradient, and the masked mean of a padded sequence. The tables are non-square (a transposed weight
cannot hide) and square (it cannot hide behind an index error); the indices are 0-D, 1-D and 2-D;
the padding ids are 0 and 7, and the vectors at padding positions are not zero."""

from __future__ import annotations

import numpy as np

from ..creation import arange, tensor
from ..nn import Embedding
from ..tensor import Tensor
from ._check import Mistake, Names, Seq, exercise


def _lookup_cases():
    rng = np.random.default_rng(10)

    def w(*shape: int):
        return tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)

    return [
        ("weight (6, 3), idx [0, 5, 2, 2]", (w(6, 3), tensor([0, 5, 2, 2]))),
        (
            "weight (6, 3), 2-D idx [[1, 0, 4], [3, 3, 5]]",
            (w(6, 3), tensor([[1, 0, 4], [3, 3, 5]])),
        ),
        ("square weight (4, 4), idx [[3, 1], [0, 2]]", (w(4, 4), tensor([[3, 1], [0, 2]]))),
        ("weight (5, 2), 0-D idx 4", (w(5, 2), tensor(4))),
        ("weight (7, 3), idx [6]", (w(7, 3), tensor([6]))),
        (
            "weight (8, 3), idx [[2, 0], [1, 2]] (rows 3 to 7 unused)",
            (w(8, 3), tensor([[2, 0], [1, 2]])),
        ),
    ]


def lookup_reference(weight, idx):
    return weight[idx]


_TRANSPOSED = (
    "you looked the indices up in the transposed weight: the table is stored as "
    "(num_embeddings, embedding_dim), one row per token, so the lookup is weight[idx]; "
    "weight.T[idx] or weight[:, idx] picks columns, which fails for a non-square table and "
    "gives the wrong numbers for a square one"
)

_MISTAKES_101 = [
    (
        "you shifted the indices (idx − 1 or idx + 1): token i's vector is row i, weight[idx]",
        lambda w, i: w[i - 1],
    ),
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


exercise(
    "10.1",
    task="return the rows of weight selected by idx, as nn.Embedding does",
    hints=[
        "weight has shape (num_embeddings, embedding_dim): row k is the vector of token k. The output has shape idx.shape + (embedding_dim,).",
        "Integer-tensor indexing does exactly this: weight[idx] picks row idx[...] for every position of idx, whatever idx's shape.",
        "return weight[idx]",
    ],
    reference=lookup_reference,
    cases=_lookup_cases,
    mistakes=_MISTAKES_101,
    done="weight[idx] for 0-D, 1-D and 2-D indices, non-square and square tables",
)


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


def one_hot_reference(weight, idx):
    one_hot = (idx.unsqueeze(-1) == arange(weight.shape[0])).float()
    return one_hot @ weight


def _no_lookup(fn, weight, idx):
    """Run the answer; the numbers of a plain lookup are right, but this exercise multiplies."""
    out = fn(weight, idx)
    name = out.grad_fn.name() if isinstance(out, Tensor) and out.grad_fn is not None else ""
    if name in ("IndexBackward0", "EmbeddingBackward0"):
        raise Mistake(
            f"the numbers are right, but your output's grad_fn is {name}: that is the lookup of "
            "10.1; build the one-hot matrix and multiply it by weight"
        )
    return out


exercise(
    "10.2",
    task="return the embedding of idx computed as a one-hot matrix times weight",
    hints=[
        "A one-hot vector for index k has num_embeddings = weight.shape[0] entries, all 0 except a 1 at position k; multiplying it by weight selects row k.",
        "Compare idx.unsqueeze(-1) with torch.arange(weight.shape[0]): the result has shape idx.shape + (num_embeddings,); make it float, then multiply with @ (which side?).",
        "one_hot = (idx.unsqueeze(-1) == torch.arange(weight.shape[0])).float(); return one_hot @ weight",
    ],
    reference=one_hot_reference,
    cases=_lookup_cases,
    call=_no_lookup,
    mistakes=_MISTAKES_102,
    done="one_hot(idx) @ weight equals weight[idx] for 0-D, 1-D and 2-D indices",
)

_IDX_103 = [[1, 4], [4, 0]]


def _nonzero_rows(padding_idx: int | None) -> list[int]:
    emb = Embedding(6, 3, padding_idx=padding_idx)
    emb(tensor(_IDX_103)).sum().backward()
    rows = np.abs(emb.weight.grad.numpy()).sum(axis=1)
    return [int(k) for k in np.flatnonzero(rows)]


_ROWS = Names(tuple(range(6)))

exercise(
    "10.3",
    task="predict the non-zero rows of weight.grad, without and with padding_idx",
    hints=[
        "The lookup reads only the rows whose numbers appear in idx; a row that is never read does not influence the loss, so its gradient is zero.",
        "With padding_idx=4, row 4 is read, but nn.Embedding never gives the padding row a gradient. List the distinct row numbers of idx, then remove 4 for the second list.",
        "return [0, 1, 4], [0, 1]",
    ],
    reference=lambda: [_nonzero_rows(None), _nonzero_rows(4)],
    form=Seq((_ROWS, _ROWS)),
    mistakes={
        "not every row gets a gradient: only the rows the lookup read are non-zero; rows that "
        "never appear in idx get exactly 0": [range(6), range(6)],
        "without padding_idx row 4 is an ordinary row: it is looked up, so its gradient is "
        "non-zero": [[0, 1], [0, 1]],
        "the padding row's gradient is always zero, even though idx looks it up": [
            [0, 1, 4],
            [0, 1, 4],
        ],
        "padding_idx does not give the other rows a gradient: only rows read by the lookup are "
        "non-zero, minus the padding row": [[0, 1, 4], [0, 1, 2, 3, 5]],
    },
    explain=lambda got, truth: (
        "without padding_idx, list the distinct rows that idx reads"
        if got[0] != truth[0]
        else "with padding_idx=4, the rows idx reads, minus the padding row"
    ),
    done="rows [0, 1, 4] without padding_idx, [0, 1] with padding_idx=4",
)


def _cases_104():
    rng = np.random.default_rng(104)

    def v(*shape: int):  # vectors at padding positions are NOT zero on purpose
        return tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)

    return [
        (
            "3 sequences of length 4, padding 0",
            (v(3, 4, 2), tensor([[5, 2, 0, 0], [1, 1, 1, 3], [4, 0, 0, 0]]), 0),
        ),
        (
            "2 sequences of length 3, dim 5, padding 7",
            (v(2, 3, 5), tensor([[7, 3, 7], [1, 2, 7]]), 7),
        ),
        (
            "4 sequences of length 4, dim 4 (B = T = D), padding 0",
            (v(4, 4, 4), tensor([[2, 0, 0, 0], [3, 3, 0, 0], [1, 2, 3, 0], [1, 2, 3, 4]]), 0),
        ),
    ]


def masked_mean_reference(vectors, tokens, padding_idx):
    mask = (tokens != padding_idx).float()
    return (vectors * mask.unsqueeze(-1)).sum(dim=1) / mask.sum(dim=1, keepdim=True)


def _mask(t: Tensor, p: int) -> Tensor:
    return (t != p).float()


_MISTAKES_104 = [
    (
        "you hard-coded the padding index 0: use the padding_idx argument, tokens != "
        "padding_idx (a vocabulary may pad with any id)",
        lambda x, t, p: masked_mean_reference(x, t, 0),
    ),
    (
        "you hard-coded the padding index 1: use the padding_idx argument, tokens != padding_idx",
        lambda x, t, p: masked_mean_reference(x, t, 1),
    ),
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


exercise(
    "10.4",
    task="return the mean of vectors over the positions where tokens != padding_idx",
    hints=[
        "vectors has shape (B, T, D), tokens (B, T). Build a mask that is 1.0 where tokens != padding_idx and 0.0 elsewhere; the answer has shape (B, D).",
        "Sum vectors * mask.unsqueeze(-1) over dim 1, and divide by the number of real tokens of each sequence, mask.sum(dim=1, keepdim=True) (keepdim, so that it divides per row).",
        "mask = (tokens != padding_idx).float(); return (vectors * mask.unsqueeze(-1)).sum(dim=1) / mask.sum(dim=1, keepdim=True)",
    ],
    reference=masked_mean_reference,
    cases=_cases_104,
    mistakes=_MISTAKES_104,
    done="one mean per sequence over its non-padding positions, padding 0 and 7, B = T = D",
)
