"""Notebook 00 (welcome): the warm-up exercise."""

from __future__ import annotations

import numpy as np

from ..creation import tensor
from ._check import exercise


def _row_cases():
    rng = np.random.default_rng(0)
    f32 = np.float32
    return [
        ("a 3x4 tensor", (tensor(rng.standard_normal((3, 4)).astype(f32), requires_grad=True),)),
        ("a 4x4 tensor (square)", (tensor(rng.standard_normal((4, 4)).astype(f32)),)),
        ("a 1x1 tensor", (tensor([[7.0]]),)),
        ("a 500x2 tensor", (tensor(rng.uniform(-1, 1, (500, 2)).astype(f32)),)),
        ("a 2x3 tensor with values near ±1e6", (tensor([[1e6, -1e6, 3.0], [2.0, 2.0, 2.0]]),)),
    ]


def row_means_reference(x):
    return x.mean(dim=1)


exercise(
    "0.1",
    task="return the mean of each row of the 2-D tensor x, one number per row (shape (n,))",
    hints=[
        "A row of a 2-D tensor runs along dim 1: x[i, :] is row i, and x.shape is (rows, columns).",
        "Reductions such as sum() and mean() take a `dim` argument, and the dim you name is the "
        "one that disappears from the shape.",
        "x.mean(dim=1), or equally x.sum(dim=1) / x.shape[1], gives one number per row.",
    ],
    reference=row_means_reference,
    cases=_row_cases,
    mistakes={
        "you averaged over dim 0, which gives one mean per column; rows run along dim 1 (or -1)": (
            lambda x: x.mean(dim=0)
        ),
        "you summed each row but did not divide by its length, x.shape[1]": lambda x: x.sum(dim=1),
        "you divided by the number of rows, x.shape[0]; each row has x.shape[1] elements": (
            lambda x: x.sum(dim=1) / x.shape[0]
        ),
        "keepdim=True keeps the reduced dim, but the answer has one number per row, shape (n,)": (
            lambda x: x.mean(dim=1, keepdim=True)
        ),
        "you averaged over every element: mean() without a dim gives a single number": (
            lambda x: x.mean()
        ),
        "you divided by x.shape[1] − 1: a mean divides by the number of elements, x.shape[1]": (
            lambda x: x.sum(dim=1) / (x.shape[1] - 1)
        ),
        "squeeze() with no dim removes every dim of size 1: a 1x1 input then gives a 0-d "
        "tensor, not shape (1,); squeeze(1) removes only the kept dim": (
            lambda x: x.mean(dim=1, keepdim=True).squeeze()
        ),
        "you used //, which rounds each mean down to a whole number; / divides exactly": (
            lambda x: x.sum(dim=1) // x.shape[1]
        ),
    },
    done="one mean per row for 3x4, 4x4, 1x1, 500x2 and large-valued inputs",
)
