"""Helpers for tests that run the same code against course_lib and torch."""

import warnings
from typing import NamedTuple

import numpy as np
import pytest

TORCH_MISSING = (
    "PyTorch is not installed: parity with torch is checked in CI "
    "(`make parity` installs torch==2.13.0 here)"
)


def error_of(T, fn) -> tuple[str, str]:
    """The (exception type, message) that `fn(T)` raises, T being course_lib or torch."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as info:
            fn(T)
    return type(info.value).__name__, str(info.value)


# ----------------------------------------------------------------------------------------------
# Op tables: one case per op, run in both libraries on the same float64 data
# ----------------------------------------------------------------------------------------------


class Case(NamedTuple):
    name: str
    fn: object  # fn(T, *tensors) -> tensor, run with T = course_lib and T = torch
    inputs: tuple  # one (shape, kind) per tensor argument; see `data`


def data(shape: tuple, kind: str, seed: int) -> np.ndarray:
    """float64 inputs that keep each op away from its kinks and its domain edges."""
    rng = np.random.default_rng(seed)
    if kind == "pos":  # log, sqrt, rsqrt, division, powers
        return rng.uniform(0.5, 2.0, shape)
    if kind == "away":  # |x| >= 0.3: abs, relu, clamp at 0, p-norms are smooth there
        return rng.uniform(0.3, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    if kind == "distinct":  # max-like ops: no ties, gaps of at least 0.1
        n = int(np.prod(shape))
        return rng.permutation(np.linspace(-2.0, 2.0, n) if n > 1 else np.ones(1)).reshape(shape)
    return rng.standard_normal(shape)


def inputs(case: Case, seed: int = 0) -> list:
    return [data(shape, kind, seed + k) for k, (shape, kind) in enumerate(case.inputs)]


def run_case(T, case: Case, dtype: str, seed: int = 0):
    """Forward, a random projection's backward: (value, dtype, grads, grad dtypes, grad_fn name)."""
    dt = getattr(T, dtype)
    leaves = [T.tensor(a, dtype=dt, requires_grad=True) for a in inputs(case, seed)]
    out = case.fn(T, *leaves)
    proj = np.random.default_rng(99).standard_normal(tuple(out.shape))
    (out * T.tensor(proj, dtype=out.dtype)).sum().backward()
    grads = [None if x.grad is None else x.grad.numpy().copy() for x in leaves]
    grad_dtypes = [None if x.grad is None else str(x.grad.dtype) for x in leaves]
    fn_name = out.grad_fn.name() if out.grad_fn is not None else None
    return out.detach().numpy().copy(), str(out.dtype), grads, grad_dtypes, fn_name


def assert_close(ours, theirs, dtype: str, what: str, rtol32: float = 1e-5) -> None:
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != torch's {theirs.shape}"
    rtol, atol = (rtol32, 1e-6) if dtype == "float32" else (1e-9, 1e-12)
    scale = max(1.0, float(np.nanmax(np.abs(theirs), initial=0.0)))
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol * scale, err_msg=what)


def assert_case_matches(cl, torch, case: Case, dtype: str, rtol32: float = 1e-5) -> None:
    """Same forward, output dtype, gradient dtypes and gradients as torch."""
    ours, theirs = run_case(cl, case, dtype), run_case(torch, case, dtype)
    assert_close(ours[0], theirs[0], dtype, "forward", rtol32)
    assert ours[1] == theirs[1], "output dtype"
    assert ours[3] == theirs[3], "gradient dtypes (None: no gradient reached that input)"
    for k, (g, h) in enumerate(zip(ours[2], theirs[2])):
        if h is not None:
            assert_close(g, h, dtype, f"gradient of input {k}", rtol32)


def outcome(T, fn) -> str:
    """What `fn(T)` gives, as text: its repr, or the exception's type and message."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return repr(fn(T))
        except Exception as e:  # the error is the behaviour being compared
            return f"{type(e).__name__}: {e}"
