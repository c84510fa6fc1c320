"""Shared fixtures. Parity tests take the `torch` fixture: it skips with a reason when PyTorch
is absent (CI installs torch==2.13.0 so they run there)."""

import importlib.util

import numpy as np
import pytest
from parity import TORCH_MISSING

import course_lib


@pytest.fixture(scope="session")
def torch():
    if importlib.util.find_spec("torch") is None:
        pytest.skip(TORCH_MISSING)
    import torch as real_torch

    return real_torch


@pytest.fixture(autouse=True)
def _seed():
    """Every test starts from the same random state."""
    course_lib.manual_seed(0)
    np.random.seed(0)
    yield
