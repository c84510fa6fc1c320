"""Exercise cases for notebook 08: a correct answer and diagnosed wrong answers per exercise."""

import course_lib as torch


def _slope(x):
    return 1 - torch.tanh(x) ** 2


CASES = {
    "8.1": (
        lambda x: 1 - torch.tanh(x) ** 2,
        [
            (lambda x: 1 - torch.tanh(x), "you returned 1 − tanh(x)"),
            (lambda x: torch.tanh(x) ** 2, "you returned tanh(x)²"),
            (lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)), "sigmoid's derivative"),
            (lambda x: 1 - x**2, "you squared x instead of tanh(x)"),
            (lambda x: torch.tanh(x), "tanh(x) itself"),
            (lambda x: (1 - torch.tanh(x) ** 2).sum(), "has shape ()"),
        ],
    ),
    "8.2": (
        lambda: 0.0099,
        [
            (lambda: 0.0049, "that is 1 − tanh(3)"),
            (lambda: 0.99, "tanh itself is almost 1"),
            (lambda: 0.045, "sigmoid's slope"),
            (lambda: -8, "squares x, not tanh(x)"),
            (lambda: 1.0, "tanh(3) itself"),
            (lambda: 0.02, "your number is 2.03 times the answer"),
        ],
    ),
    "8.3": (
        lambda z, threshold=0.01: (_slope(z) < threshold).float().mean().item(),
        [
            (lambda z, threshold=0.01: (_slope(z) < threshold).sum().item(), "you counted"),
            (lambda z, threshold=0.01: (_slope(z) >= threshold).float().mean(), "NOT saturated"),
            (
                lambda z, threshold=0.01: (z.abs() < threshold).float().mean().item(),
                "compared the pre-activation",
            ),
            (
                lambda z, threshold=0.01: ((1 - torch.tanh(z)) < threshold).float().mean().item(),
                "you used 1 − tanh(z)",
            ),
            (lambda z, threshold=0.01: (_slope(z) < 0.01).float().mean().item(), "ignored the"),
            (lambda z, threshold=0.01: (_slope(z) < threshold).float(), "return a number"),
        ],
    ),
    "8.4": (
        lambda: ["tanh", "relu", "sigmoid"],
        [
            (lambda: ["relu", "tanh", "sigmoid"], "relu does not beat tanh"),
            (lambda: ["tanh", "sigmoid", "relu"], "sigmoid comes last"),
            (lambda: ["sigmoid", "tanh", "relu"], "sigmoid comes last"),
            (lambda: ["tanh", "relu"], "exactly once"),
            (lambda: "tanh", "exactly once"),
        ],
    ),
}


def _fraction_count(x, threshold=0.01):
    slope = 1 - torch.tanh(x) ** 2
    return float((slope < threshold).sum()) / x.numel()


ALTERNATIVES = {
    "8.1": [
        lambda x: 1 - torch.tanh(x) ** 2,
        lambda x: 1 - x.tanh() * x.tanh(),
        lambda x: (1 - x.tanh()) * (1 + x.tanh()),
        lambda x: 1 / torch.cosh(x) ** 2 if hasattr(torch, "cosh") else 1 - x.tanh().pow(2),
    ],
    "8.3": [
        _fraction_count,
        lambda x, threshold=0.01: ((1 - x.tanh() ** 2) < threshold).float().mean(),
    ],
}
