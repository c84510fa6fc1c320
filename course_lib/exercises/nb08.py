"""Notebook 08 (`nn.Tanh`): tanh's derivative, its value at 3, the fraction of saturated units,
and which activation keeps the gradient alive through 30 layers."""

from __future__ import annotations

import math

import numpy as np

from .. import _random
from ..creation import empty, randn, tensor
from ..nn import init
from ._check import Names, Number, exercise


def _cases_81():
    return [
        (
            "x = [0, 0.5, -1, 2, -3, 5]",
            (tensor([0.0, 0.5, -1.0, 2.0, -3.0, 5.0], requires_grad=True),),
        ),
        (
            "a (3, 4) tensor from -4 to 4",
            (tensor(np.linspace(-4, 4, 12, dtype=np.float32).reshape(3, 4)),),
        ),
        ("a 0-d tensor 0.7", (tensor(0.7, requires_grad=True),)),
    ]


def tanh_derivative_reference(x):
    return 1 - x.tanh() ** 2


exercise(
    "8.1",
    task="return tanh′(x) = 1 − tanh(x)², element-wise, for a tensor x",
    hints=[
        "Differentiate tanh = sinh/cosh with the quotient rule: the result can be written with tanh itself, no exponentials needed.",
        "(cosh² − sinh²)/cosh² = 1 − (sinh/cosh)² = 1 − tanh². Compute t = x.tanh() first; square t, not x.",
        "t = torch.tanh(x); return 1 - t**2",
    ],
    reference=tanh_derivative_reference,
    cases=_cases_81,
    mistakes={
        "you returned 1 − tanh(x); the derivative is 1 − tanh(x)², with the square": lambda x: (
            1 - x.tanh()
        ),
        "you added tanh(x)²; the derivative is 1 − tanh(x)², minus": lambda x: 1 + x.tanh() ** 2,
        "you squared (1 − tanh(x)); the derivative is 1 − tanh(x)², only tanh is squared": (
            lambda x: (1 - x.tanh()) ** 2
        ),
        "you returned tanh(x)²; the derivative is 1 minus that (it is largest, 1, at x = 0)": lambda x: (
            x.tanh() ** 2
        ),
        "that is sigmoid's derivative σ(x)(1 − σ(x)), at most 0.25; tanh's is 1 − tanh(x)², at most 1": (
            lambda x: x.sigmoid() * (1 - x.sigmoid())
        ),
        "you squared x instead of tanh(x): 1 − x² is negative for |x| > 1": lambda x: 1 - x**2,
        "you returned tanh(x) itself, not its derivative 1 − tanh(x)²": lambda x: x.tanh(),
    },
    done="1 − tanh(x)² on a 1-D, a (3, 4) and a 0-d tensor, including x = 0, ±3 and 5",
)

_T3 = math.tanh(3.0)
_SIGMOID3 = 1 / (1 + math.exp(-3.0))

exercise(
    "8.2",
    task="return your prediction of tanh′(3) = 1 − tanh(3)², to 2 significant digits",
    hints=[
        "tanh(3) is very close to 1: e⁻⁶ ≈ 0.0025 is tiny next to e⁶. How close?",
        "tanh(3) = (1 − e⁻⁶)/(1 + e⁻⁶) ≈ 1 − 2e⁻⁶ ≈ 0.99505; then 1 − tanh² = (1 − tanh)(1 + tanh).",
        "(1 − 0.99505)·(1 + 0.99505) ≈ 0.00495 · 1.995 ≈ 0.0099",
    ],
    reference=lambda: 1 - math.tanh(3.0) ** 2,
    form=Number(2),
    mistakes={
        "that is 1 − tanh(3) ≈ 0.005: the derivative is 1 − tanh(3)², which is about twice that, "
        "since 1 − t² = (1 − t)(1 + t) and 1 + t ≈ 2": 1 - _T3,
        "a number close to 1 is tanh(3) ≈ 0.995 or tanh(3)² ≈ 0.990: tanh itself is almost 1 at "
        "x = 3, so its slope 1 − tanh(3)² is what is left": _T3**2,
        "that is tanh(3) itself, almost 1: its slope 1 − tanh(3)² is what is left": _T3,
        "that is sigmoid's slope σ′(3) = σ(3)(1 − σ(3)); tanh′(3) = 1 − tanh(3)² is smaller, "
        "since tanh(x) = 2σ(2x) − 1 saturates twice as fast": _SIGMOID3 * (1 - _SIGMOID3),
        "1 − 3² = −8 squares x, not tanh(x): a slope of tanh is never negative": -8.0,
    },
    done=f"tanh′(3) = 1 − tanh(3)² = {1 - _T3**2:.4g}: 1% of the slope at 0",
)


def _cases_83():
    rng = np.random.default_rng(8)
    r = lambda scale, shape: tensor(rng.normal(0, scale, size=shape).astype(np.float32))
    return [
        ("x of shape (40, 25), the default threshold", (r(5, (40, 25)),)),
        ("x of shape (1000,), threshold=0.1", (r(1, (1000,)), 0.1)),
        ("x of shape (4, 5, 6), threshold=0.5", (r(2, (4, 5, 6)), 0.5)),
        ("x = [0, 1, 3, -3, 5]", (tensor([0.0, 1.0, 3.0, -3.0, 5.0]),)),
        (
            "x = [0, 0, 1, 2], threshold=1.0 (the slope at 0 is exactly 1)",
            (tensor([0.0, 0.0, 1.0, 2.0]), 1.0),
        ),
    ]


def fraction_saturated_reference(x, threshold=0.01):
    slope = 1 - x.tanh() ** 2
    return (slope < threshold).float().mean().item()


exercise(
    "8.3",
    task="return the fraction of entries whose tanh′ = 1 − tanh² is below threshold",
    hints=[
        "A unit is saturated when its slope tanh′(z) = 1 − tanh(z)² is tiny: the gradient passing through it is multiplied by that slope.",
        "Compute the slope of every entry, compare it with `threshold` (a boolean tensor), then average the booleans as floats: a fraction between 0 and 1, not a count.",
        "slope = 1 - torch.tanh(pre_activations) ** 2; return (slope < threshold).float().mean().item()",
    ],
    reference=fraction_saturated_reference,
    cases=_cases_83,
    mistakes={
        "you counted the saturated entries; divide by the number of entries (x.numel()) to get a "
        "fraction": lambda x, threshold=0.01: (
            ((1 - x.tanh() ** 2) < threshold).float().sum().item()
        ),
        "that is the fraction NOT saturated (slope ≥ threshold): a saturated unit has a slope "
        "below the threshold": lambda x, threshold=0.01: (
            ((1 - x.tanh() ** 2) >= threshold).float().mean().item()
        ),
        "you compared the pre-activation |z| with the threshold; compare the slope 1 − tanh(z)² "
        "instead (large |z| saturates)": lambda x, threshold=0.01: (
            (x.abs() < threshold).float().mean().item()
        ),
        "you used 1 − tanh(z) as the slope; tanh′ is 1 − tanh(z)², with the square": (
            lambda x, threshold=0.01: ((1 - x.tanh()) < threshold).float().mean().item()
        ),
        "you counted slopes equal to the threshold too (<=): below means strictly less, "
        "slope < threshold": lambda x, threshold=0.01: (
            ((1 - x.tanh() ** 2) <= threshold).float().mean().item()
        ),
        "you ignored the `threshold` argument and used 0.01": (
            lambda x, threshold=0.01: fraction_saturated_reference(x)
        ),
    },
    done="the fraction with 1 − tanh² < threshold for 4 inputs (1-D to 3-D), 3 thresholds",
)


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


def _ordered(ratios: dict[str, float]) -> list[str]:
    """The activations, largest ratio first (the ratios computed once, not once per name)."""
    return sorted(ratios, key=lambda name: -ratios[name])


exercise(
    "8.4",
    task="return ['sigmoid', 'tanh', 'relu'] ordered by first/last gradient ratio, largest first",
    hints=[
        "Through each layer the gradient is multiplied by the weights (gain 1 here: about size-preserving) and by the activation's slope at that unit. What is the typical slope of each activation near 0?",
        "sigmoid′ ≤ 0.25 everywhere; tanh′ ≈ 1 near 0 and the pre-activations of a gain-1 tanh net shrink toward 0; relu′ is 1 for half the units and 0 for the other half, which halves the squared gradient at every layer.",
        "['tanh', 'relu', 'sigmoid']: tanh keeps about a fifth, relu halves the mean square 30 times (2⁻¹⁵ ≈ 3e-5), sigmoid multiplies by at most 0.25 thirty times",
    ],
    reference=lambda: _ordered(gradient_ratios()),
    form=Names(ACTIVATIONS, ordered=True),
    mistakes={
        "tanh does not alleviate vanishing gradients for every comparison, but sigmoid comes "
        "last: its slope is at most 0.25, so 30 layers multiply the gradient by at most 0.25³⁰": [
            "tanh",
            "sigmoid",
            "relu",
        ],
        "relu does not beat tanh here: with gain 1, relu's slope is 0 for half the units, so "
        "every layer halves the mean square of the gradient (30 layers: 2⁻¹⁵ ≈ 3e-5). ReLU needs "
        "gain √2 (kaiming) to make up for it": ["relu", "tanh", "sigmoid"],
    },
    explain=lambda got, truth: (
        f"your list {got} should hold each of {list(ACTIVATIONS)} exactly once"
        if sorted(got) != sorted(ACTIVATIONS)
        else "sigmoid comes last: its slope is at most 0.25, thirty times over"
    ),
    done="tanh > relu > sigmoid, as measured on 30 layers of width 64",
)
