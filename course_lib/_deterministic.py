"""`torch.use_deterministic_algorithms`: the switch, and what it changes in course_lib.

In torch the switch makes operations pick deterministic kernels (or raise when there is none), and,
with `torch.utils.deterministic.fill_uninitialized_memory` at its default True, it makes `empty`
and its relatives fill their memory: NaN for floating dtypes, the largest value for integers
(True for bool). course_lib's kernels are deterministic already, so the filling is all it changes.
"""

from __future__ import annotations

import numpy as np

_mode = {"enabled": False, "warn_only": False}


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Set whether operations must be deterministic; with True, `empty` fills its memory.

    Mirrors `torch.use_deterministic_algorithms`: uninitialised tensors (`empty`, `empty_like`,
    `Tensor(n)`) come back filled with NaN (floats) or the dtype's largest value (integers), so a
    value read from one shows up instead of passing silently.

    >>> use_deterministic_algorithms(True); empty(2)
    tensor([nan, nan])
    """
    if not isinstance(mode, bool):
        raise TypeError(
            "_set_deterministic_algorithms(): argument 'mode' (position 1) must be bool, "
            f"not {type(mode).__name__}"
        )
    _mode["enabled"], _mode["warn_only"] = mode, bool(warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """True when `use_deterministic_algorithms(True)` is in effect."""
    return _mode["enabled"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """True when the switch was set with `warn_only=True`."""
    return _mode["warn_only"]


def uninitialised(shape, dtype) -> np.ndarray:
    """np.empty, filled as torch fills `empty` when deterministic algorithms are on."""
    array = np.empty(shape, dtype=dtype)
    if _mode["enabled"]:
        if array.dtype.kind in "fc":
            array.fill(np.nan)
        elif array.dtype.kind == "b":
            array.fill(True)
        else:
            array.fill(np.iinfo(array.dtype).max)
    return array
