"""Exercise cases for notebook 01: a correct answer and diagnosed wrong answers per exercise."""

import math


def _fans(shape):
    rf = math.prod(shape[2:])
    return shape[1] * rf, shape[0] * rf


CASES = {
    "1.1": (
        lambda: {"out.bias"},
        [
            (
                lambda: {"hidden.weight", "hidden.bias", "out.weight", "out.bias"},
                "the hidden layer never moves",
            ),
            (lambda: {"out.weight", "out.bias"}, "h = tanh(0·x + 0) = 0"),
            (lambda: set(), "out.bias does move"),
            (lambda: ["hidden.bias"], "the hidden layer never moves"),
            (lambda: {"fc2.bias"}, "not one of"),
        ],
    ),
    "1.2": (
        _fans,
        [
            (lambda s: _fans(s)[::-1], "you swapped them"),
            (lambda s: (s[1], s[0]), "you ignored the receptive field"),
            (lambda s: (s[0], s[1]), "you swapped the fans"),
            (lambda s: (s[1] * math.prod(s[2:]), s[0]), "fan_out counts the kernel too"),
            (lambda s: (s[-1], s[-2]), "you read the last two dims"),
            (lambda s: _fans(s)[0], "return 2 values in a tuple"),
            (lambda s: (*_fans(s), 1), "expected 2 values"),
        ],
    ),
    "1.3": (
        lambda fan_in, fan_out, gain=1.0: gain * math.sqrt(6 / (fan_in + fan_out)),
        [
            (lambda fi, fo, gain=1.0: gain * math.sqrt(2 / (fi + fo)), "that is the std"),
            (lambda fi, fo, gain=1.0: gain * math.sqrt(6 / fi), "you used fan_in alone"),
            (lambda fi, fo, gain=1.0: gain * math.sqrt(6 / fo), "you used fan_out alone"),
            (lambda fi, fo, gain=1.0: gain * math.sqrt(3 / fi), "kaiming_uniform_'s bound"),
            (lambda fi, fo, gain=1.0: math.sqrt(6 / (fi + fo)), "you forgot the gain"),
            (lambda fi, fo, gain=1.0: gain**2 * math.sqrt(6 / (fi + fo)), "you squared the gain"),
            (lambda fi, fo, gain=1.0: math.sqrt(gain * 6 / (fi + fo)), "square root of the gain"),
            (lambda fi, fo, gain=1.0: gain * 6 / (fi + fo), "you forgot the square root"),
            (lambda fi, fo, gain=1.0: gain * math.sqrt(12 / (fi + fo)), "divided by the mean fan"),
            (lambda fi, fo, gain=2.0: gain * math.sqrt(6 / (fi + fo)), "xavier_bound(256, 64)"),
            (lambda fi, fo, gain=1.0: None, "did you forget `return`?"),
        ],
    ),
    "1.4": (
        lambda: math.sqrt(2) * math.sqrt(3 / 256),
        [
            (lambda: 0.1531, None),  # a rounded prediction is right: replaced below
            (lambda: math.sqrt(2) * math.sqrt(3 / 64), "you used fan_out = 64"),
            (lambda: math.sqrt(2) / math.sqrt(256), "that is the std"),
            (lambda: math.sqrt(3 / 256), "you used gain 1"),
            (lambda: 1 / math.sqrt(256), "nn.Linear's bound"),
            (lambda: math.sqrt(6 / 320), "xavier_uniform_'s bound"),
            (lambda: (0.15, 0.15), "write a number such as 0.25"),
        ],
    ),
    "1.5": (
        lambda: {"a", "c", "e", "f", "g"},
        [
            (lambda: {"c", "e", "f", "g"}, "a) nn.init.calculate_gain('elu') raises"),
            (lambda: {"a", "b", "c", "e", "f", "g"}, "param is read only for 'leaky_relu'"),
            (lambda: {"a", "c", "d", "e", "f", "g"}, "under torch.no_grad()"),
            (lambda: {"a", "c", "f", "g"}, "a leaf Variable that requires grad"),
            (lambda: {"a", "c", "e", "g"}, "mode must be 'fan_in' or 'fan_out'"),
            (lambda: {"a", "c", "e", "f"}, "case-sensitive"),
            (lambda: {"a", "c", "e", "f", "g", "h"}, "shares the memory"),
            (lambda: "acefgz", "not one of"),
            (lambda: {"a", "e"}, "(2 more letter(s) wrong)"),
        ],
    ),
}
# A rounded prediction (2 or more significant digits) passes, so it is not a wrong answer.
CASES["1.4"][1].pop(0)

ALTERNATIVES = {
    "1.2": [
        lambda shape: (shape[1] * math.prod(shape[2:]), shape[0] * math.prod(shape[2:])),
        lambda s: tuple(n * math.prod(s[2:]) for n in (s[1], s[0])),
    ],
    "1.3": [
        lambda fan_in, fan_out, gain=1.0: gain * (6 / (fan_in + fan_out)) ** 0.5,
        lambda fan_in, fan_out, gain=1: math.sqrt(3) * gain * math.sqrt(2 / (fan_in + fan_out)),
    ],
}

CASES["1.6"] = (
    lambda: 5 / 3,
    [
        (lambda: 1.0, "that is the gain of 'linear'"),
        (lambda: 1.414, "√2 is ReLU's gain"),
        (lambda: 0.75, "SELU's gain"),
        (lambda: "five thirds", "write a number"),
    ],
)
