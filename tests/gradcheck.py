"""A float64 central-difference gradient check (minitorch style): its message names the argument,
the index, and the received and expected values.

    gradcheck(lambda x, w: (x @ w).tanh(), randn(3, 4), randn(4, 2))

Each input becomes a float64 leaf that requires grad; the output is reduced against a fixed random
projection so every output element matters; each input element is nudged by ±eps and the numeric
slope is compared with `.grad` from backward().
"""

from __future__ import annotations

import numpy as np

import course_lib as cl


def gradcheck(fn, *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-4, seed=0):
    arrays = [
        np.array(x._array if isinstance(x, cl.Tensor) else x, dtype=np.float64) for x in inputs
    ]
    leaves = [cl.tensor(a, requires_grad=True) for a in arrays]
    out = fn(*leaves)
    proj = np.random.default_rng(seed).standard_normal(out.shape)

    def scalar(values) -> float:
        with cl.no_grad():
            return float((fn(*[cl.tensor(v) for v in values])._array * proj).sum())

    (out * cl.tensor(proj)).sum().backward()
    for k, (a, leaf) in enumerate(zip(arrays, leaves, strict=True)):
        analytic = np.zeros_like(a) if leaf.grad is None else leaf.grad._array
        assert analytic.shape == a.shape, (
            f"argument {k}: gradient has shape {analytic.shape}, input has {a.shape}"
        )
        for idx in np.ndindex(a.shape):
            plus = [x.copy() for x in arrays]
            minus = [x.copy() for x in arrays]
            plus[k][idx] += eps
            minus[k][idx] -= eps
            numeric = (scalar(plus) - scalar(minus)) / (2 * eps)
            got = analytic[idx]
            assert abs(got - numeric) <= atol + rtol * abs(numeric), (
                f"gradient check failed for argument {k} at index {idx}: "
                f"backward gave {got:.8g}, central difference gives {numeric:.8g}"
            )
    return True
