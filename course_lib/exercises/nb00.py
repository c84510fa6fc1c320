"""Notebook 00 (welcome): the warm-up exercise."""

from __future__ import annotations

import numpy as np

from ..creation import tensor
from ._check import exercise, expect_close, run


@exercise(
    "0.1",
    task="return the mean of each row of the 2-D tensor x, one number per row (shape (n,))",
    hints=[
        "A row of a 2-D tensor runs along dim 1: x[i, :] is row i, and x.shape is (rows, columns).",
        "Reductions such as sum() and mean() take a `dim` argument, and the dim you name is the "
        "one that disappears from the shape.",
        "x.mean(dim=1), or equally x.sum(dim=1) / x.shape[1], gives one number per row.",
    ],
)
def row_means(answer) -> str:
    rng = np.random.default_rng(0)
    cases = [
        rng.standard_normal((3, 4)).astype(np.float32),
        np.array([[7.0]], dtype=np.float32),  # one row, one column
        rng.uniform(-1, 1, (500, 2)).astype(np.float32),  # many rows
        np.array([[1e6, -1e6, 3.0], [2.0, 2.0, 2.0]], dtype=np.float32),  # large values
    ]
    for x in cases:
        got = run(answer, tensor(x))
        n, m = x.shape
        expected = x.mean(axis=1, dtype=np.float64)
        expect_close(
            got,
            expected,
            wrong={
                "you averaged over dim 0, which gives one mean per column; rows run along "
                "dim 1 (or -1)": x.mean(axis=0, dtype=np.float64),
                f"you summed each row but did not divide by its length (x.shape[1] = {m})": (
                    x.sum(axis=1, dtype=np.float64)
                ),
                f"you divided by the number of rows (x.shape[0] = {n}); each row has "
                f"x.shape[1] = {m} elements": x.sum(axis=1, dtype=np.float64) / n,
                f"your output has shape ({n}, 1): keepdim=True keeps the reduced dim, but the "
                f"answer has one number per row, shape ({n},)": expected[:, None],
                "you averaged over every element: mean() without a dim gives a single "
                "number": np.asarray(x.mean(dtype=np.float64)),
            },
            what=f"row_means of a {n}x{m} tensor",
            rtol=1e-4,
            atol=1e-3 if np.abs(x).max() > 1e3 else 1e-6,
        )
    return "one mean per row for 3x4, 1x1, 500x2 and large-valued inputs"
