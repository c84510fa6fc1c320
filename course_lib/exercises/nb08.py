"""Notebook 08 (`nn.Tanh`): the derivative 1 − tanh², its value at 3, the fraction of saturated
units, and which activation keeps the gradient alive through 30 layers."""

from __future__ import annotations

import math

import numpy as np

from .. import _random
from ..creation import empty, from_numpy, randn
from ..nn import init
from ..tensor import Tensor
from ._check import Mistake, as_array, exercise, expect_close, run

# -- 8.1 ---------------------------------------------------------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


@exercise(
    "8.1",
    task="return tanh′(x) = 1 − tanh(x)², element-wise, for a tensor x",
    hints=[
        "Differentiate tanh = sinh/cosh with the quotient rule: the result can be written with "
        "tanh itself, no exponentials needed.",
        "(cosh² − sinh²)/cosh² = 1 − (sinh/cosh)² = 1 − tanh². Compute t = x.tanh() first; "
        "square t, not x.",
        "t = torch.tanh(x); return 1 - t**2",
    ],
)
def tanh_derivative(answer) -> str:
    cases = [
        np.array([0.0, 0.5, -1.0, 2.0, -3.0, 5.0], dtype=np.float32),
        np.linspace(-4, 4, 12, dtype=np.float32).reshape(3, 4),
        np.array(0.7, dtype=np.float32),
    ]
    for a in cases:
        got = run(answer, from_numpy(a.copy()))
        x = a.astype(np.float64)
        t = np.tanh(x)
        what = f"tanh_derivative of a tensor of shape {a.shape}"
        expect_close(
            got,
            1 - t**2,
            wrong={
                f"{what}: you returned 1 − tanh(x); the derivative is 1 − tanh(x)², with the "
                "square (at x = 2: 1 − 0.964 = 0.036 instead of 1 − 0.929 = 0.071)": 1 - t,
                f"{what}: you returned tanh(x)²; the derivative is 1 minus that, 1 − tanh(x)² "
                "(it is largest, 1, at x = 0)": t**2,
                f"{what}: that is sigmoid's derivative σ(x)(1 − σ(x)), at most 0.25; tanh's is "
                "1 − tanh(x)², at most 1": _sigmoid(x) * (1 - _sigmoid(x)),
                f"{what}: you squared x instead of tanh(x): 1 − x² is negative for |x| > 1; "
                "the derivative is 1 − tanh(x)²": 1 - x**2,
                f"{what}: you returned tanh(x) itself, not its derivative 1 − tanh(x)²": t,
            },
            what=what,
            rtol=1e-4,
            atol=1e-6,
        )
    return "1 − tanh(x)² on a 1-D, a (3, 4) and a 0-d tensor, including x = 0, ±3 and 5"


# -- 8.2 ---------------------------------------------------------------------------------------


@exercise(
    "8.2",
    task="return your prediction of tanh′(3) = 1 − tanh(3)², to 2 significant digits",
    hints=[
        "tanh(3) is very close to 1: e⁻⁶ ≈ 0.0025 is tiny next to e⁶. How close?",
        "tanh(3) = (1 − e⁻⁶)/(1 + e⁻⁶) ≈ 1 − 2e⁻⁶ ≈ 0.99505; then 1 − tanh² = (1 − tanh)(1 + tanh).",
        "(1 − 0.99505)·(1 + 0.99505) ≈ 0.00495 · 1.995 ≈ 0.0099",
    ],
)
def tanh_slope_at_3(answer) -> str:
    got = run(answer)
    if isinstance(got, tuple | list):
        raise Mistake("predict one number, tanh′(3)")
    t = math.tanh(3.0)
    expected = 1 - t**2
    expect_close(
        got,
        expected,
        wrong={
            "that is 1 − tanh(3) ≈ 0.005: the derivative is 1 − tanh(3)², which is about twice "
            "that, since 1 − t² = (1 − t)(1 + t) and 1 + t ≈ 2": 1 - t,
            "a number close to 1 is tanh(3) ≈ 0.995 or tanh(3)² ≈ 0.990: tanh itself is almost 1 "
            "at x = 3, so its slope 1 − tanh(3)² is what is left": t**2,
            "that is sigmoid's slope σ′(3) = σ(3)(1 − σ(3)); tanh′(3) = 1 − tanh(3)² is smaller, "
            "since tanh(x) = 2σ(2x) − 1 saturates twice as fast": _sigmoid(3.0)
            * (1 - _sigmoid(3.0)),
            "1 − 3² = −8 squares x, not tanh(x): a slope of tanh is never negative": 1 - 9.0,
        },
        what="your predicted tanh′(3)",
        rtol=0.012,
        atol=0,
    )
    return f"tanh′(3) = 1 − tanh(3)² = {expected:.4g}: 1% of the slope at 0"


# -- 8.3 ---------------------------------------------------------------------------------------


def _fraction(x: np.ndarray, threshold: float) -> float:
    return float(np.mean(1 - np.tanh(x) ** 2 < threshold))


@exercise(
    "8.3",
    task="return the fraction of entries whose tanh′ = 1 − tanh² is below threshold",
    hints=[
        "A unit is saturated when its slope tanh′(z) = 1 − tanh(z)² is tiny: the gradient "
        "passing through it is multiplied by that slope.",
        "Compute the slope of every entry, compare it with `threshold` (a boolean tensor), then "
        "average the booleans as floats: a fraction between 0 and 1, not a count.",
        "slope = 1 - torch.tanh(pre_activations) ** 2; "
        "return (slope < threshold).float().mean().item()",
    ],
)
def fraction_saturated(answer) -> str:
    rng = np.random.default_rng(8)
    cases = [
        (rng.normal(0, 5, size=(40, 25)).astype(np.float32), 0.01),
        (rng.normal(0, 1, size=(1000,)).astype(np.float32), 0.1),
        (rng.normal(0, 2, size=(4, 5, 6)).astype(np.float32), 0.5),
        (np.array([0.0, 1.0, 3.0, -3.0, 5.0], dtype=np.float32), 0.01),
    ]
    for a, threshold in cases:
        x = a.astype(np.float64)
        if threshold == 0.01:
            got = run(answer, from_numpy(a.copy()))
            call = f"fraction_saturated(<shape {a.shape}>)"
        else:
            got = run(answer, from_numpy(a.copy()), threshold)
            call = f"fraction_saturated(<shape {a.shape}>, threshold={threshold})"
        if isinstance(got, Tensor) and got.numel() != 1:
            raise Mistake(f"{call} returned a tensor of shape {tuple(got.shape)}: return one "
                          "number, the fraction over all entries")  # fmt: skip
        value = float(as_array(got, f"{call}'s result"))
        slope = 1 - np.tanh(x) ** 2
        expected = _fraction(x, threshold)
        expect_close(
            value,
            expected,
            wrong={
                f"{call}: you returned a count ({value:g}); divide by the number of entries "
                f"({x.size}) to get a fraction": float(np.sum(slope < threshold)),
                f"{call}: that is the fraction NOT saturated (slope ≥ threshold): a saturated "
                "unit has a slope below the threshold": float(np.mean(slope >= threshold)),
                f"{call}: you compared the pre-activation |z| with the threshold; compare the "
                "slope 1 − tanh(z)² instead (large |z| saturates)": float(
                    np.mean(np.abs(x) < threshold)
                ),
                f"{call}: you used 1 − tanh(z) as the slope; tanh′ is 1 − tanh(z)², with the "
                "square": float(np.mean(1 - np.tanh(x) < threshold)),
                f"{call}: you ignored the `threshold` argument and used 0.01": _fraction(x, 0.01),
            },
            what=f"{call}",
            rtol=1e-6,
            atol=1e-6,
        )
    return "the fraction with 1 − tanh² < threshold for 4 inputs (1-D to 3-D), 3 thresholds"


# -- 8.4 ---------------------------------------------------------------------------------------

ACTIVATIONS = ("sigmoid", "tanh", "relu")


def gradient_ratios(depth: int = 30, width: int = 64, batch: int = 64) -> dict[str, float]:
    """‖∂loss/∂h_1‖ / ‖∂loss/∂h_depth‖ through `depth` layers h ← act(h Wᵀ), xavier_normal_ gain 1.

    The weights and data come from a private generator (seed 0); the global one is untouched.
    """
    ratios = {}
    for name in ACTIVATIONS:
        g = _random.Generator().manual_seed(0)
        x = randn(batch, width, generator=g)
        weights = [
            init.xavier_normal_(empty(width, width, requires_grad=True), generator=g)
            for _ in range(depth)
        ]
        r = randn(batch, width, generator=g)
        h, outputs = x, []
        with np.errstate(under="ignore"):
            for w in weights:
                h = getattr(h @ w.T, name)()
                h.retain_grad()
                outputs.append(h)
            (h * r).sum().backward()
        first, last = outputs[0].grad._array, outputs[-1].grad._array
        ratios[name] = float(np.linalg.norm(first) / np.linalg.norm(last))
    return ratios


@exercise(
    "8.4",
    task="return ['sigmoid', 'tanh', 'relu'] ordered by first/last gradient ratio, largest first",
    hints=[
        "Through each layer the gradient is multiplied by the weights (gain 1 here: about "
        "size-preserving) and by the activation's slope at that unit. What is the typical slope "
        "of each activation near 0?",
        "sigmoid′ ≤ 0.25 everywhere; tanh′ ≈ 1 near 0 and the pre-activations of a gain-1 tanh "
        "net shrink toward 0; relu′ is 1 for half the units and 0 for the other half, which halves "
        "the squared gradient at every layer.",
        "['tanh', 'relu', 'sigmoid']: tanh keeps about a fifth, relu halves the mean square 30 "
        "times (2⁻¹⁵ ≈ 3e-5), sigmoid multiplies by at most 0.25 thirty times",
    ],
)
def largest_ratio(answer) -> str:
    got = run(answer)
    if isinstance(got, str):
        raise Mistake("return a list of the three names, e.g. ['sigmoid', 'tanh', 'relu']")
    try:
        order = [str(n) for n in got]
    except TypeError:
        raise Mistake(
            "return a list of the three names, e.g. ['sigmoid', 'tanh', 'relu']"
        ) from None
    if sorted(order) != sorted(ACTIVATIONS):
        raise Mistake(f"your list {order} should hold each of {list(ACTIVATIONS)} exactly once")
    ratios = gradient_ratios()
    truth = sorted(ACTIVATIONS, key=lambda n: -ratios[n])
    if order == truth:
        return "tanh > relu > sigmoid: " + ", ".join(f"{n} {ratios[n]:.2g}" for n in truth)
    pos = {n: i for i, n in enumerate(order)}
    if pos["sigmoid"] != 2:
        raise Mistake(
            "sigmoid comes last: its slope is at most 0.25, so 30 layers multiply the gradient by "
            f"at most 0.25³⁰; the measured ratio is {ratios['sigmoid']:.2g}"
        )
    if pos["relu"] < pos["tanh"]:
        raise Mistake(
            "relu does not beat tanh here: with gain 1, relu's slope is 0 for half the units, so "
            "every layer halves the mean square of the gradient (30 layers: 2⁻¹⁵ ≈ 3e-5); the "
            f"measured ratios are relu {ratios['relu']:.2g}, tanh {ratios['tanh']:.2g}. ReLU "
            "needs gain √2 (kaiming) to make up for it"
        )
    raise Mistake(f"you predicted {order}, but the measured order is different")
