"""`use_deterministic_algorithms(True)` fills uninitialised tensors as torch does."""

from __future__ import annotations

import numpy as np
import pytest

import course_lib

DTYPES = ["float32", "float64", "int64", "int32", "bool"]


@pytest.fixture
def switched_on():
    course_lib.use_deterministic_algorithms(True)
    yield
    course_lib.use_deterministic_algorithms(False)


def test_the_switch_reads_back():
    assert not course_lib.are_deterministic_algorithms_enabled()
    course_lib.use_deterministic_algorithms(True, warn_only=True)
    assert course_lib.are_deterministic_algorithms_enabled()
    assert course_lib.is_deterministic_algorithms_warn_only_enabled()
    course_lib.use_deterministic_algorithms(False)
    assert not course_lib.are_deterministic_algorithms_enabled()


@pytest.mark.parametrize("name", DTYPES)
def test_empty_is_filled_like_torch(name, switched_on, torch):
    torch.use_deterministic_algorithms(True)
    try:
        want = torch.empty(3, dtype=getattr(torch, name))
        ours = course_lib.empty(3, dtype=getattr(course_lib, name))
        assert ours.tolist() == pytest.approx(want.tolist(), nan_ok=True)
        assert str(ours.dtype) == str(want.dtype)
    finally:
        torch.use_deterministic_algorithms(False)


def test_every_uninitialised_constructor_is_filled(switched_on):
    for t in [
        course_lib.empty(2, 3),
        course_lib.empty_like(course_lib.zeros(4)),
        course_lib.Tensor(3),
        course_lib.empty(size=(2,)),
        course_lib.FloatTensor(2, 2),
        course_lib.DoubleTensor(3),
    ]:
        assert np.isnan(t.numpy()).all()
    assert course_lib.LongTensor(2).tolist() == [np.iinfo(np.int64).max] * 2


def test_a_non_bool_mode_is_refused_as_torch_refuses_it(torch):
    with pytest.raises(TypeError) as ours:
        course_lib.use_deterministic_algorithms(1)
    with pytest.raises(TypeError) as theirs:
        torch.use_deterministic_algorithms(1)
    assert str(ours.value) == str(theirs.value)
