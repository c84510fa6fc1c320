"""Helpers for tests that run the same code against course_lib and torch."""

import warnings

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
