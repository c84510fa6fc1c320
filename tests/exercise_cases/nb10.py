"""Exercise cases for notebook 10 (capstone): a correct answer and diagnosed wrong answers."""

import course_lib as torch


def _one_hot(idx, width):
    return (idx.unsqueeze(-1) == torch.arange(width)).float()


def _masked(vectors, tokens, padding_idx):
    return (tokens != padding_idx).float()


CASES = {
    "10.1": (
        lambda weight, idx: weight[idx],
        [
            (lambda w, i: w.T[i], "looked the indices up in the transposed weight"),
            (lambda w, i: w[:, i], "looked the indices up in the transposed weight"),
            (lambda w, i: w[i.float()], "you indexed with float indices"),
            (lambda w, i: i.float() @ w, "multiplied the indices themselves into the weight"),
            (lambda w, i: w[i].sum(), "you returned weight[idx].sum()"),
            (lambda w, i: w[i].sum(0), "summed the looked-up rows over the first dim"),
            (lambda w, i: w[i.reshape(-1)], "you flattened idx"),
            (lambda w, i: w.detach()[i], "does not require grad"),
            (lambda w, i: w[i].tolist(), "return a tensor (you returned a list)"),
            (lambda w, i: w[i] * 2, "scaled by the same factor, 2"),
        ],
    ),
    "10.2": (
        lambda weight, idx: _one_hot(idx, weight.shape[0]) @ weight,
        [
            (lambda w, i: _one_hot(i, w.shape[1]) @ w, "one-hot vectors have embedding_dim"),
            (
                lambda w, i: _one_hot(i, int(i.max().item()) + 1) @ w,
                "one-hot width is idx.max() + 1",
            ),
            (lambda w, i: w @ _one_hot(i, w.shape[0]), "multiplied in the wrong order"),
            (lambda w, i: w.T @ _one_hot(i, w.shape[0]).T, "multiplied in the wrong order"),
            (lambda w, i: _one_hot(i, w.shape[0]) @ w.T, "you used weight.T"),
            (lambda w, i: w[i], "that is the lookup of 10.1"),
            (lambda w, i: _one_hot(i, w.shape[0]) @ w.detach(), "does not require grad"),
        ],
    ),
    "10.3": (
        lambda: ([0, 1, 4], [0, 1]),
        [
            (lambda: (list(range(6)), [0, 1]), "list the distinct rows that idx reads"),
            (lambda: ([0, 1], [0, 1]), "without padding_idx row 4 is an ordinary row"),
            (lambda: ([0, 1, 4], [1]), "minus the padding row"),
            (lambda: ([0, 1, 4], [0, 1, 4]), "the padding row's gradient is always zero"),
            (lambda: ([0, 1, 4], [0, 1, 2, 3, 5]), "padding_idx does not give the other rows"),
            (lambda: [0, 1, 4], "write a list of 2 values"),
            (lambda: ([0, 1, 4], "0 and 1"), "is not one of [0, 1, 2, 3, 4, 5]"),
        ],
    ),
    "10.4": (
        lambda vectors, tokens, padding_idx: (
            (vectors * _masked(vectors, tokens, padding_idx).unsqueeze(-1)).sum(dim=1)
            / _masked(vectors, tokens, padding_idx).sum(dim=1, keepdim=True)
        ),
        [
            (lambda x, t, p: x.mean(dim=1), "you averaged over every position"),
            (
                lambda x, t, p: (x * _masked(x, t, p).unsqueeze(-1)).sum(dim=1) / t.shape[1],
                "you divided by the full length",
            ),
            (
                lambda x, t, p: x.sum(dim=1) / _masked(x, t, p).sum(dim=1, keepdim=True),
                "you included the padding positions in the sum",
            ),
            (
                lambda x, t, p: (
                    (x * (t == p).float().unsqueeze(-1)).sum(dim=1)
                    / (t == p).float().sum(dim=1, keepdim=True)
                ),
                "your mask is inverted",
            ),
            (
                lambda x, t, p: (
                    (x * _masked(x, t, p).unsqueeze(-1)).sum(dim=1) / _masked(x, t, p).sum(dim=1)
                ),
                "divided by the count without keepdim",
            ),
            (
                lambda x, t, p: (
                    (x * _masked(x, t, p).unsqueeze(-1)).sum(dim=1) / _masked(x, t, p).sum()
                ),
                "divided by the total number of non-padding positions",
            ),
            (
                lambda x, t, p: (x * _masked(x, t, p).unsqueeze(-1)).sum(dim=1),
                "right except at index [0, 1] along dim 0",
            ),
            (
                lambda x, t, p: (
                    (x.detach() * _masked(x, t, p).unsqueeze(-1)).sum(dim=1)
                    / _masked(x, t, p).sum(dim=1, keepdim=True)
                ),
                "your output does not require grad",
            ),
        ],
    ),
}


ALTERNATIVES = {
    "10.1": [
        lambda weight, idx: weight[idx],
        lambda weight, idx: torch.nn.functional.embedding(idx, weight),
        lambda weight, idx: (
            weight.index_select(0, idx.reshape(-1)).reshape(*idx.shape, -1)
            if hasattr(weight, "index_select")
            else weight[idx]
        ),
    ],
    "10.2": [
        lambda weight, idx: (idx[..., None] == torch.arange(weight.shape[0])).float() @ weight,
        lambda weight, idx: torch.matmul(
            (idx.unsqueeze(-1) == torch.arange(len(weight))).to(weight.dtype), weight
        ),
    ],
    "10.4": [
        lambda v, t, p: (v * (t != p).unsqueeze(-1)).sum(1) / (t != p).sum(1, keepdim=True),
        lambda v, t, p: (
            (v * (t != p).float()[..., None]).sum(dim=1) / (t != p).float().sum(-1)[:, None]
        ),
    ],
}
