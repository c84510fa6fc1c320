"""The few pointwise operations Adam, RMSprop and Adagrad are built from, rounded as torch's CPU
kernels round them, so that a float32 training run gives torch's numbers, not just close ones.

Three kernels of torch compute `a·b + c` as one fused multiply-add (FMA: the exact product plus
c, rounded once): `x.add(y, alpha=a)`, `x.lerp_(y, w)` and `x.addcmul_(y, z, value=v)`. NumPy has
no FMA, but for float32 it can be had exactly enough: the product of two float32 numbers is exact
in float64, the sum is rounded once to float64 and then to float32 (a double rounding, which can
differ from one rounding only when the float64 sum lands exactly halfway between two float32
numbers). For float64 there is no wider type, so `a·b + c` is rounded twice: float64 runs agree
with torch to the last bit or two, not bit for bit.

`sqrt` is NumPy's, correctly rounded. torch's x86 CPU build takes its float32 sqrt from MKL's
vector math library (high-accuracy mode), which is not always correctly rounded: about one
element in 150, those whose root lies near halfway between two float32 numbers, comes out 1 ulp
away. Runs through a sqrt (every optimizer here but SGD) therefore agree with torch to about
1 ulp of each update, not bit for bit; with torch's sqrt swapped in, they agree bit for bit.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor


def fma(a, b, c) -> np.ndarray:
    """a·b + c rounded once (float32) in a's dtype; a, b, c arrays or numbers."""
    dtype = np.result_type(a, b, c)
    if dtype == np.float32:
        return (np.asarray(a, np.float64) * np.asarray(b, np.float64) + c).astype(np.float32)
    return np.asarray(a * b + c, dtype=dtype)  # float64: two roundings (see the module docstring)


def sqrt(a: np.ndarray) -> np.ndarray:
    return np.sqrt(a)


def lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """start ← start + w·(end − start) in place, as torch's `start.lerp_(end, w)` computes it."""
    w = start.dtype.type(weight)
    diff = end - start
    if abs(w) < 0.5:  # the formula that is accurate for small weights ...
        start[...] = fma(w, diff, start)
    else:  # ... and for weights near 1: end − (1 − w)·(end − start)
        start[...] = fma(w - 1, diff, end)


def addcmul_(out: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float) -> None:
    """out ← out + value·t1·t2 in place (torch's `out.addcmul_(t1, t2, value=value)`)."""
    out[...] = fma(out.dtype.type(value) * t1, t2, out)


def bump(*tensors: Tensor) -> None:
    """Count one in-place change of each tensor (as torch's in-place ops do)."""
    for t in tensors:
        t._vc[0] += 1


def as_scalar(x):
    """A hyperparameter that may be a 1-element tensor: that tensor's 0-d array, else x itself."""
    return x._array.reshape(()) if isinstance(x, Tensor) else x
