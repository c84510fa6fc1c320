"""Printing: `repr` of tensors must match torch's character for character (precision, integer mode,
scientific mode, column widths, line wrapping, summarisation, dtype / grad suffixes)."""

from __future__ import annotations

import numpy as np
import pytest

import course_lib as cl

_rng = np.random.default_rng(0)
F32 = np.float32

ARRAYS = {
    "ints": np.array([1, 2, 3]),
    "negative_ints": np.array([[-1, 20], [300, -4000]]),
    "big_ints": np.array([10**12, -5]),
    "int32": np.array([1, 2], dtype=np.int32),
    "uint8": np.array([1, 2], dtype=np.uint8),
    "floats": np.array([1.5, 2.25, -3.125], dtype=F32),
    "randn": _rng.standard_normal((3, 4)).astype(F32),
    "mixed_magnitudes": np.array([1e-5, 1.0, 1000.0], dtype=F32),
    "ratio_just_over_1000": np.array([0.001, 1.5], dtype=F32),
    "ratio_exactly_1000": np.array([0.001, 1.0], dtype=F32),
    "big": np.array([1e9, 1.0], dtype=F32),
    "small": np.array([1e-5, 2e-5], dtype=F32),
    "tiny_and_one": np.array([1e-40, 1.0], dtype=F32),
    "huge": np.array([3e38, -3e38], dtype=F32),
    "whole": np.array([1.0, 2.0, -3.0], dtype=F32),
    "whole_big": np.array([1.0, 2e8, -3.0], dtype=F32),
    "whole_wide_ratio": np.array([1.0, 2000.0], dtype=F32),
    "negative_zero": np.array([-0.0, 1.0], dtype=F32),
    "only_zeros": np.array([-0.0, 0.0], dtype=F32),
    "negative_zero_fraction": np.array([-0.0, 1.5], dtype=F32),
    "nan_inf": np.array([np.nan, np.inf, -np.inf, 1.5], dtype=F32),
    "nan_inf_whole": np.array([np.nan, np.inf, -np.inf, 1.0], dtype=F32),
    "only_nan": np.array([np.nan, np.nan], dtype=F32),
    "only_inf": np.array([np.inf], dtype=F32),
    "precision": np.array([0.12345678, 123.456789], dtype=F32),
    "rounds_up": np.array([9.99996, 0.5], dtype=F32),
    "sevenths": np.arange(7.0, dtype=F32) / 7,
    "sci_negative": np.array([-1e-10, 1e10], dtype=F32),
    "bool": np.array([True, False]),
    "bool_2d": np.array([[True, False], [False, True]]),
    "float64": np.array([1.5, 2.0]),
    "float64_whole": np.array([1.0, 2.0]),
    "float64_2d": _rng.standard_normal((2, 3)),
    "empty": np.zeros((0,), F32),
    "empty_0x3": np.zeros((0, 3), F32),
    "empty_2x3x0": np.zeros((2, 3, 0), F32),
    "empty_0x0": np.zeros((0, 0), F32),
    "empty_int": np.zeros((0,), np.int64),
    "empty_int_2d": np.zeros((2, 0), np.int64),
    "empty_float64": np.zeros((0,), np.float64),
    "empty_bool": np.zeros((0,), bool),
    "3d": _rng.standard_normal((2, 3, 4)).astype(F32),
    "4d": _rng.standard_normal((2, 2, 2, 3)).astype(F32),
    "wide_row": _rng.standard_normal(30).astype(F32),
    "wide_rows": _rng.standard_normal((3, 30)).astype(F32),
    "wide_sci": (_rng.standard_normal(20) * 1e5).astype(F32),
    "wide_ints": np.arange(100) * 12345,
    "exactly_1000": np.arange(1000.0, dtype=F32),
    "over_1000": np.arange(1001.0, dtype=F32),
    "large_1d": _rng.standard_normal(2000).astype(F32),
    "large_2d": _rng.standard_normal((40, 50)).astype(F32),
    "large_3d": _rng.standard_normal((10, 11, 12)).astype(F32),
    "large_4d": _rng.standard_normal((3, 4, 10, 10)).astype(F32),
    "large_ints": np.arange(1500),
    "large_sci": (_rng.standard_normal((30, 40)) * 10.0 ** _rng.integers(-6, 6, (30, 40))).astype(
        F32
    ),
    "large_float64": _rng.standard_normal(1200),
    "large_bool": _rng.standard_normal((40, 30)) > 0,
}
SCALARS = {
    "0d_float": np.array(3.5, F32),
    "0d_int": np.array(7),
    "0d_negative_zero": np.array(-0.0, F32),
    "0d_nan": np.array(np.nan, F32),
    "0d_big": np.array(1e10, F32),
    "0d_bool": np.array(True),
    "0d_float64": np.array(2.5),
    "0d_int32": np.array(3, dtype=np.int32),
}


def _make(T, array):
    return T.from_numpy(array.copy()) if array.ndim else T.tensor(array)


@pytest.mark.parametrize("name", list(ARRAYS) + list(SCALARS))
def test_repr_matches_torch(torch, name):
    array = ARRAYS.get(name, SCALARS.get(name))
    assert repr(_make(cl, array)) == repr(_make(torch, array))


# Tensors with a history: requires_grad=True and grad_fn suffixes, on short and wrapped reprs.
GRAD_SOURCES = ["floats", "wide_rows", "large_1d", "empty_0x3", "float64", "wide_sci", "3d"]
GRAD_OPS = {
    "leaf": lambda x: x,
    "mul": lambda x: x * 2,
    "exp": lambda x: x.exp(),
    "neg": lambda x: -x,
    "getitem": lambda x: x[:1],
    "view": lambda x: x.reshape(-1),
    "t": lambda x: x.T if x.ndim == 2 else x.flatten(),
}


@pytest.mark.parametrize("op", list(GRAD_OPS))
@pytest.mark.parametrize("name", GRAD_SOURCES)
def test_repr_with_grad_suffix_matches_torch(torch, name, op):
    out = []
    for T in (cl, torch):
        x = T.tensor(ARRAYS[name], requires_grad=True)
        out.append(repr(GRAD_OPS[op](x)))
    assert out[0] == out[1]


def test_repr_of_reductions_with_grad_fn(torch):
    out = []
    for T in (cl, torch):
        x = T.tensor(ARRAYS["randn"].astype(np.float64), requires_grad=True)
        out.append([repr(x.sum()), repr(x.mean(1)), repr(x.max()), repr(x.max(1)), repr(x.min(0))])
    assert out[0] == out[1]


def test_other_reprs_match_torch(torch):
    out = []
    for T in (cl, torch):
        x = T.ones(2, 3)
        out.append(
            [repr(x.shape), repr(x.dtype), repr(T.float64), repr(T.int64), repr(T.bool)]
            + [repr(x.device), str(x.device), str(x), repr(T.Size([2, 3])), repr(T.Size([]))]
        )
    assert out[0] == out[1]


def test_repr_without_torch():
    # expected strings printed by torch 2.13 (measured, and torch's own docs)
    assert repr(cl.tensor([1.0385434, 1.9614565], requires_grad=True)) == (
        "tensor([1.0385, 1.9615], requires_grad=True)"
    )
    assert repr(cl.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(cl.tensor(2.0) * 3) == "tensor(6.)"
    assert repr(cl.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert repr(cl.ones(2, dtype=cl.float64)) == "tensor([1., 1.], dtype=torch.float64)"
    assert repr(cl.tensor([1e-5, 1.0])) == "tensor([1.0000e-05, 1.0000e+00])"
    assert repr(cl.ones(2, requires_grad=True) * 2) == "tensor([2., 2.], grad_fn=<MulBackward0>)"
    assert repr(cl.ones(2).shape) == "torch.Size([2])"
