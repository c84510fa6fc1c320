"""Notebook 01 (`empty` vs initialisation): zero init and symmetry, fans, the xavier bound,
kaiming's default bound, and which nn.init calls raise."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

import numpy as np

from .. import _random
from ..creation import empty, from_numpy
from ..nn import Linear, Module, Parameter, init
from ..nn.functional import mse_loss
from ..optim import SGD
from ..tensor import Tensor
from ._check import Names, Number, exercise


@contextlib.contextmanager
def _own_random_numbers() -> Iterator[None]:
    """Draw the check's random numbers from a fixed seed; leave the learner's stream untouched."""
    with _random.fork_rng():
        _random.manual_seed(1)
        yield


# -- 1.1 ---------------------------------------------------------------------------------------


class _TinyMLP(Module):
    """The notebook's model: 3 inputs → 4 tanh hidden units → 1 output."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = Linear(3, 4)
        self.out = Linear(4, 1)

    def forward(self, x: Tensor) -> Tensor:
        return self.out(self.hidden(x).tanh())


PARAMETER_NAMES = ("hidden.weight", "hidden.bias", "out.weight", "out.bias")


def zero_init_moves(steps: int = 20, lr: float = 0.1) -> set[str]:
    """Train _TinyMLP from all-zero weights and biases; return the parameters that changed."""
    rng = np.random.default_rng(0)
    x = from_numpy(rng.standard_normal((32, 3)).astype(np.float32))
    y = from_numpy((np.sin(x.numpy()[:, :1]) + 0.5).astype(np.float32))
    with _own_random_numbers():
        model = _TinyMLP()
    for p in model.parameters():
        init.zeros_(p)
    before = {n: p.detach().numpy().copy() for n, p in model.named_parameters()}
    optimizer = SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        mse_loss(model(x), y).backward()
        optimizer.step()
    return {
        n for n, p in model.named_parameters() if not np.array_equal(before[n], p.detach().numpy())
    }


def _explain_11(got, truth):
    if got & {"hidden.weight", "hidden.bias"}:
        return (
            "the hidden layer never moves: the gradient reaching it is out.weightᵀ·δ (times "
            "tanh′), and out.weight is 0, so hidden.weight and hidden.bias get exactly zero "
            "gradient on every step"
        )
    if "out.weight" in got:
        return (
            "out.weight does not move: its gradient is δ·hᵀ, and h = tanh(0·x + 0) = 0 for every "
            "sample, so that gradient is 0 on every step"
        )
    return (
        "out.bias does move: its gradient is δ = 2·(prediction − target) averaged over the "
        "batch, and with a prediction of 0 and non-zero targets that is not 0"
    )


exercise(
    "1.1",
    task="return the set of parameter names that change when every weight and bias starts at 0",
    hints=[
        "Follow one forward pass with everything at 0: what is the hidden output h = tanh(W₁x + b₁)? What is the prediction?",
        "The gradients: ∂loss/∂out.weight = δ·hᵀ, ∂loss/∂out.bias = δ, and the gradient that reaches the hidden layer is out.weightᵀ·δ (times tanh′). Which of these is 0 when h = 0 and out.weight = 0, and does that ever change?",
        "h = tanh(0) = 0 and out.weight = 0, so out.weight and the whole hidden layer get zero gradient on every step; only out.bias, whose gradient is δ itself, moves: {'out.bias'}",
    ],
    reference=zero_init_moves,
    form=Names(PARAMETER_NAMES),
    explain=_explain_11,
    done="only out.bias moves; the zero hidden layer and out.weight get zero gradient forever",
)


def fans_reference(shape):
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


exercise(
    "1.2",
    task="return (fan_in, fan_out) for a weight of the given shape (out, in, *kernel)",
    hints=[
        "A weight is stored (out, in) for nn.Linear and (out, in, *kernel) for a convolution. fan_in counts the inputs that feed one output; fan_out the outputs one input feeds.",
        "For a conv weight, one output unit sees `in` channels times every kernel position, so both fans are multiplied by the receptive field prod(shape[2:]) (1 for a 2-D weight).",
        "rf = math.prod(shape[2:]); return shape[1] * rf, shape[0] * rf",
    ],
    reference=fans_reference,
    cases=lambda: [
        (f"shape {s}", (s,))
        for s in [
            (3, 5),
            (5, 3),
            (64, 256),
            (16, 3, 5, 5),
            (8, 4, 3),
            (6, 2, 3, 4, 5),
            (7, 7, 1, 1),
        ]
    ],
    mistakes={
        "you swapped them: the weight is stored (out, in, *kernel), so fan_in comes from "
        "shape[1] and fan_out from shape[0]": lambda s: fans_reference(s)[::-1],
        "you ignored the receptive field: each output of a conv sees in·kernel inputs, so "
        "multiply both fans by prod(shape[2:])": lambda s: (s[1], s[0]),
        "you swapped the fans and ignored the receptive field (fan_in = shape[1]·prod(shape[2:]), "
        "fan_out = shape[0]·prod(shape[2:]))": lambda s: (s[0], s[1]),
        "fan_out counts the kernel too: each input feeds out·kernel outputs": (
            lambda s: (fans_reference(s)[0], s[0])
        ),
        "you read the last two dims, but for a conv weight those are the kernel; the channels "
        "are shape[0] (out) and shape[1] (in)": lambda s: (s[-1], s[-2]),
    },
    done="(fan_in, fan_out) for 2-D weights and conv weights with 1 to 3 kernel dims",
)


def xavier_bound_reference(fan_in, fan_out, gain=1.0):
    return gain * math.sqrt(6.0 / (fan_in + fan_out))


def _xb(formula):
    return lambda fan_in, fan_out, gain=1.0: formula(fan_in, fan_out, gain)


exercise(
    "1.3",
    task="return the bound a of xavier_uniform_'s U(−a, a) for these fans and gain",
    hints=[
        "Xavier picks the weight std that keeps the variance about the same forward (fan_in) and backward (fan_out): std = gain·√(2 / (fan_in + fan_out)).",
        "A uniform U(−a, a) has variance a²/3, i.e. std a/√3. So the bound is √3 times the std.",
        "return gain * math.sqrt(6.0 / (fan_in + fan_out))",
    ],
    reference=xavier_bound_reference,
    cases=lambda: [
        ("xavier_bound(256, 64), the default gain", (256, 64)),
        *[
            (f"xavier_bound({i}, {o}, {g:.4g})", (i, o, g))
            for i, o, g in [(3, 5, 5.0 / 3), (1000, 500, 1.0), (75, 400, 0.75), (7, 7, 1.0)]
        ],
    ],
    mistakes={
        "that is the std, gain·√(2/(fan_in+fan_out)). A uniform U(−a, a) has std a/√3, so the "
        "bound is √3 times the std": _xb(lambda i, o, g: g * math.sqrt(2 / (i + o))),
        "you used fan_in alone, √(6/fan_in); xavier averages both fans": _xb(
            lambda i, o, g: g * math.sqrt(6 / i)
        ),
        "you used fan_out alone; xavier uses both fans": _xb(lambda i, o, g: g * math.sqrt(6 / o)),
        "that is kaiming_uniform_'s bound, gain·√(3/fan_in); xavier's is gain·√(6/(fan_in + "
        "fan_out))": _xb(lambda i, o, g: g * math.sqrt(3 / i)),
        "you forgot the gain; the bound scales with it": _xb(
            lambda i, o, g: math.sqrt(6 / (i + o))
        ),
        "you squared the gain; the gain multiplies the std (and so the bound), not the variance": (
            _xb(lambda i, o, g: g**2 * math.sqrt(6 / (i + o)))
        ),
        "you took the square root of the gain too; the gain multiplies the bound as it is": (
            _xb(lambda i, o, g: math.sqrt(g * 6 / (i + o)))
        ),
        "you forgot the square root": _xb(lambda i, o, g: g * 6 / (i + o)),
        "you divided by the mean fan; √(6/(fan_in+fan_out)) already is √(3/mean fan)": (
            _xb(lambda i, o, g: g * math.sqrt(12 / (i + o)))
        ),
        "the default gain is 1": lambda i, o, gain=1.4142135623730951: (
            gain * math.sqrt(6 / (i + o))
        ),
    },
    done="the bound gain·√(6/(fan_in+fan_out)) for square and non-square fans and 4 gains",
)

_G, _IN, _OUT = math.sqrt(2.0), 256, 64

exercise(
    "1.6",
    task="return your prediction of nn.init.calculate_gain('tanh') (a number, to 3 significant "
    "digits)",
    hints=[
        "A gain makes up for how much an activation shrinks the signal. tanh is close to the "
        "identity near 0 but flattens further out, so it shrinks the signal, less than ReLU does.",
        "ReLU's gain is √2 ≈ 1.414 and the identity's is 1; tanh's lies between them. PyTorch's "
        "value is a simple fraction, chosen to keep the activations of a deep tanh network "
        "steady.",
        "5 / 3 ≈ 1.667",
    ],
    reference=lambda: init.calculate_gain("tanh"),
    form=Number(3),
    mistakes={
        "that is the gain of 'linear' (and of 'sigmoid'): tanh shrinks the signal, so its gain is "
        "above 1": 1.0,
        "√2 is ReLU's gain, which makes up for losing half the signal; tanh loses less": math.sqrt(
            2
        ),
        "√2 is ReLU's gain, which makes up for losing half the signal; tanh loses less (1.41)": 1.41,
        "that is SELU's gain, 3/4": 0.75,
    },
    done="calculate_gain('tanh') = 5/3: more than linear's 1, more than √2 would be for tanh",
)

exercise(
    "1.4",
    task="return your prediction of the bound kaiming_uniform_ uses on a (64, 256) weight "
    "(a number, to 2 significant digits or more)",
    hints=[
        "kaiming_uniform_(w) with its defaults: a=0, mode='fan_in', nonlinearity='leaky_relu'. Which dim of a (64, 256) weight is fan_in?",
        "The gain is calculate_gain('leaky_relu', a) with a = 0, i.e. √(2/(1+0²)) = √2; std = gain/√fan_in and a uniform's bound is √3·std.",
        "math.sqrt(2) * math.sqrt(3 / 256), about 0.1531",
    ],
    reference=lambda: init.calculate_gain("leaky_relu", 0) * math.sqrt(3 / _IN),
    form=Number(2),
    mistakes={
        "you used fan_out = 64: the weight is (out, in) = (64, 256), so fan_in = 256, and "
        "kaiming's default mode is 'fan_in'": _G * math.sqrt(3 / _OUT),
        "that is the std, gain/√fan_in; the bound of a uniform is √3·std": _G / math.sqrt(_IN),
        "you used gain 1: the default nonlinearity is 'leaky_relu' with a=0, so the gain is "
        "√(2/(1+0²)) = √2": math.sqrt(3 / _IN),
        "that is nn.Linear's bound, 1/√fan_in, which comes from a=√5; with the default a=0 the "
        "gain is √2": 1 / math.sqrt(_IN),
        "that is xavier_uniform_'s bound, √(6/(fan_in+fan_out)); kaiming uses one fan only": (
            math.sqrt(6 / (_IN + _OUT))
        ),
    },
    done=f"bound = √2·√(3/256) = {_G * math.sqrt(3 / _IN):.4f} (gain √2 from leaky_relu with a=0, "
    "fan_in 256)",
)


def _parameter() -> Parameter:
    return Parameter(empty(3, 4))


CALLS = {
    "a": ("nn.init.calculate_gain('elu')", lambda: init.calculate_gain("elu")),
    "b": ("nn.init.calculate_gain('relu', 5)", lambda: init.calculate_gain("relu", 5)),
    "c": ("nn.init.xavier_uniform_(torch.empty(5))", lambda: init.xavier_uniform_(empty(5))),
    "d": (
        "nn.init.xavier_uniform_(nn.Parameter(torch.empty(3, 4)))",
        lambda: init.xavier_uniform_(_parameter()),
    ),
    "e": ("nn.Parameter(torch.empty(3, 4)).uniform_()", lambda: _parameter().uniform_()),
    "f": (
        "nn.init.kaiming_normal_(torch.empty(3, 4), mode='fan_avg')",
        lambda: init.kaiming_normal_(empty(3, 4), mode="fan_avg"),
    ),
    "g": ("nn.init.calculate_gain('ReLU')", lambda: init.calculate_gain("ReLU")),
    "h": ("nn.Parameter(torch.empty(3, 4)).data.uniform_()", lambda: _parameter().data.uniform_()),
}

WHY = {
    "a": "calculate_gain knows linear, conv*, sigmoid, tanh, relu, leaky_relu and selu; 'elu' "
    "is not one of them (ValueError: Unsupported nonlinearity elu)",
    "b": "param is read only for 'leaky_relu', so calculate_gain('relu', 5) ignores the 5 and "
    "returns √2",
    "c": "a 1-D tensor has no fan_in and fan_out; the fans need at least 2 dims (ValueError)",
    "d": "every nn.init function fills the tensor under torch.no_grad(), so a Parameter is fine "
    "(and keeps requires_grad=True)",
    "e": "an in-place op on a leaf that requires grad, outside no_grad, is refused (RuntimeError: "
    "a leaf Variable that requires grad is being used in an in-place operation.)",
    "f": "mode must be 'fan_in' or 'fan_out' (ValueError); averaging the fans is what xavier "
    "does, kaiming has no such mode",
    "g": "the names are case-sensitive: 'ReLU' is the module's name, calculate_gain wants 'relu'",
    "h": ".data is a tensor that shares the memory but has requires_grad=False, so the in-place "
    "op is allowed",
}


def raising_calls() -> set[str]:
    """Run each call of CALLS with course_lib; return the letters of those that raise."""
    raised = set()
    with _own_random_numbers():
        for letter, (_, call) in CALLS.items():
            try:
                call()
            except Exception:
                raised.add(letter)
    return raised


def _explain_15(got, truth):
    wrong = sorted(got ^ truth)
    letter = wrong[0]
    verdict = "raises" if letter in truth else "runs"
    others = f" ({len(wrong) - 1} more letter(s) wrong)" if len(wrong) > 1 else ""
    return f"{letter}) {CALLS[letter][0]} {verdict}: {WHY[letter]}{others}"


exercise(
    "1.5",
    task="return the set of letters of the calls that raise an exception",
    hints=[
        "Three rules cover most of them: calculate_gain knows a fixed, case-sensitive list of names; the fans need a weight with at least 2 dims; an in-place op on a Parameter is refused unless autograd is off for it.",
        "nn.init functions run under torch.no_grad() themselves; `.data` gives a tensor with requires_grad=False; kaiming's mode is 'fan_in' or 'fan_out'; `param` only matters for 'leaky_relu'.",
        "a, c, e, f and g raise; b, d and h run.",
    ],
    reference=raising_calls,
    form=Names(tuple(CALLS)),
    explain=_explain_15,
    done="a, c, e, f and g raise; the others run",
)
