"""Notebook 05 (`nn.Linear`): the forward pass by hand, the init bound, the shapes it accepts, and
its parameter count."""

from __future__ import annotations

import math

import numpy as np

from ..creation import tensor, zeros
from ..nn import Linear, init
from ._check import Seq, Shape, exercise


def _cases_51():
    rng = np.random.default_rng(51)

    def r(*shape: int, grad: bool = True):
        return tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=grad)

    return [
        ("x (4, 2), weight (3, 2)", (r(4, 2), r(3, 2), r(3))),
        ("x (3, 3), square weight (3, 3)", (r(3, 3), r(3, 3), r(3))),  # batch = out = in
        ("1-D x (2,), weight (3, 2)", (r(2), r(3, 2), r(3))),
        ("3-D x (2, 4, 2), weight (3, 2)", (r(2, 4, 2), r(3, 2), r(3))),
        ("4-D x (2, 3, 5, 4), weight (6, 4)", (r(2, 3, 5, 4, grad=False), r(6, 4), r(6))),
    ]


def linear_reference(x, weight, bias):
    return x @ weight.T + bias


_MISTAKES_51 = {
    "you subtracted the bias: nn.Linear adds it, x @ weight.T + bias": lambda x, w, b: x @ w.T - b,
    "did you forget to transpose the weight? It is stored as (out_features, in_features), so "
    "y = x @ weight.T + bias; x @ weight raises a shape error for a non-square weight and gives "
    "the wrong numbers for a square one": lambda x, w, b: x @ w + b,
    "you reshaped the weight to (in_features, out_features) instead of transposing it: reshape "
    "keeps the numbers in memory order, so they land in the wrong places; use weight.T": (
        lambda x, w, b: x @ w.reshape(w.shape[1], w.shape[0]) + b
    ),
    "you computed weight @ x + bias, the textbook column-vector form y = Wx + b; in PyTorch each "
    "row of x is one sample, so it is y = x @ weight.T + bias": lambda x, w, b: w @ x + b,
    "you transposed x instead of the weight: (weight @ x.T).T works for a 2-D x, but on a "
    "3-D or 4-D tensor .T reverses every dim, mixing the batch dims with the features; "
    "transpose the weight instead: x @ weight.T + bias": lambda x, w, b: (w @ x.T).T + b,
    "you forgot to add the bias": lambda x, w, b: x @ w.T,
    "you added the bias along the wrong dim: bias[:, None] lines it up with the rows (the "
    "samples), but there is one bias per output feature, the last dim; add it as it is: "
    "+ bias": lambda x, w, b: x @ w.T + b[:, None],
    "you flattened the leading dims to 2-D and did not restore them: a (*, in_features) input "
    "must give a (*, out_features) output (reshape back to (*x.shape[:-1], out_features))": (
        lambda x, w, b: x.reshape(-1, w.shape[1]) @ w.T + b
    ),
}

exercise(
    "5.1",
    task="return what nn.Linear computes for x of shape (*, in_features), weight and bias",
    hints=[
        "weight has shape (out_features, in_features): row j holds the weights of output j. Each output is a dot product of one row of weight with the last dim of x.",
        "x @ weight would pair x's last dim (in_features) with weight's first dim (out_features): transpose the weight so that its in_features come first. matmul (@) already handles any number of leading dims in x, and the bias broadcasts over them.",
        "return x @ weight.T + bias",
    ],
    reference=linear_reference,
    cases=_cases_51,
    mistakes=_MISTAKES_51,
    done="x @ weight.T + bias for non-square and square weights, 1-D to 4-D inputs, with "
    "gradients reaching x, weight and bias",
)

_MISTAKES_52 = {
    "you used 1/in_features; the bound is 1/sqrt(in_features)": lambda i, o: 1 / i,
    "sqrt(6/in_features) is kaiming_uniform_ with nonlinearity='relu' (gain sqrt(2)); "
    "nn.Linear calls kaiming_uniform_ with a=sqrt(5), whose gain 1/sqrt(3) makes the bound "
    "1/sqrt(in_features)": lambda i, o: math.sqrt(6 / i),
    "sqrt(6/(in_features + out_features)) is xavier_uniform_'s bound; nn.Linear's default "
    "depends on in_features only: 1/sqrt(in_features)": lambda i, o: math.sqrt(6 / (i + o)),
    "you used out_features; the bound depends on in_features (the fan-in): "
    "1/sqrt(in_features)": lambda i, o: 1 / math.sqrt(o),
    "1/sqrt(3*in_features) is the standard deviation of U(-b, b) with b = 1/sqrt(in_features), "
    "not the bound b itself": lambda i, o: 1 / math.sqrt(3 * i),
    "sqrt(3/in_features) is kaiming_uniform_ with gain 1; nn.Linear's a=sqrt(5) gives gain "
    "1/sqrt(3), hence the bound 1/sqrt(in_features)": lambda i, o: math.sqrt(3 / i),
}


def linear_bound_reference(in_features, out_features):
    return 1 / math.sqrt(in_features)


def _measured_bound(in_features: int) -> float:
    """kaiming_uniform_(a=sqrt(5))'s bound, from course_lib's own calculate_gain."""
    return math.sqrt(3) * init.calculate_gain("leaky_relu", math.sqrt(5)) / math.sqrt(in_features)


exercise(
    "5.2",
    task="return the bound b of nn.Linear(in_features, out_features)'s weights U(-b, b)",
    hints=[
        "nn.Linear's reset_parameters() calls init.kaiming_uniform_(weight, a=math.sqrt(5)). kaiming_uniform_'s bound is sqrt(3) * gain / sqrt(fan_in).",
        "For leaky_relu with slope a the gain is sqrt(2 / (1 + a**2)); with a = sqrt(5) that is sqrt(2/6) = 1/sqrt(3). Multiply it by sqrt(3) / sqrt(fan_in); fan_in is in_features.",
        "return 1 / math.sqrt(in_features)",
    ],
    reference=linear_bound_reference,
    cases=lambda: [
        (f"nn.Linear({i}, {o})", (i, o)) for i, o in [(10, 1000), (256, 512), (4096, 64), (3, 7)]
    ],
    mistakes=_MISTAKES_52,
    done=f"b = 1/sqrt(in_features), e.g. {_measured_bound(10):.5f} for in_features = 10, as "
    "kaiming_uniform_(a=sqrt(5)) gives",
)


def _linear_shapes():
    layer = Linear(8, 4)
    return [tuple(layer(zeros(*s)).shape) for s in [(8,), (3, 8), (2, 3, 8)]]


exercise(
    "5.3",
    task="return your predicted shapes of nn.Linear(8, 4)(x) for x of shape (8,), (3, 8), (2, 3, 8)",
    hints=[
        "nn.Linear only looks at the last dim of its input: it must be in_features = 8.",
        "Every other dim is carried through unchanged, in place; the last dim becomes out_features = 4. A 1-D input is one sample and gives a 1-D output.",
        "return [(4,), (3, 4), (2, 3, 4)]",
    ],
    reference=_linear_shapes,
    form=Seq((Shape(error=True), 3)),
    mistakes={
        "a 1-D input does not raise an error: nn.Linear treats an (8,) vector as one sample": [
            "error",
            (3, 4),
            (2, 3, 4),
        ],
        "no batch dim is added: a 1-D input gives a 1-D output": [(1, 4), (3, 4), (2, 3, 4)],
        "a 3-D input does not raise an error: any (*, in_features) input works": [
            (4,),
            (3, 4),
            "error",
        ],
        "the leading dims are not flattened: only the last dim changes, from in_features to "
        "out_features": [(4,), (3, 4), (6, 4)],
        "the last dim becomes out_features = 4, not in_features": [(8,), (3, 8), (2, 3, 8)],
    },
    done="(8,) -> (4,), (3, 8) -> (3, 4), (2, 3, 8) -> (2, 3, 4)",
)

_MISTAKES_54 = {
    "you forgot the bias: a Linear with bias=True also has out_features bias values": (
        lambda i, o, b=True: i * o
    ),
    "you counted in_features bias values; there is one bias per output, out_features of them": (
        lambda i, o, b=True: i * o + (i if b else 0)
    ),
    "with bias=False the layer has no bias at all: only the in_features * out_features "
    "weights": lambda i, o, b=True: i * o + o,
    "you added in_features and out_features; the weight is a matrix of out_features rows and "
    "in_features columns, so it has in_features * out_features entries": (
        lambda i, o, b=True: i + o + (o if b else 0)
    ),
}


def count_reference(in_features, out_features, bias=True):
    return in_features * out_features + (out_features if bias else 0)


exercise(
    "5.4",
    task="return the number of parameters of nn.Linear(in_features, out_features, bias)",
    hints=[
        "Count the entries of each parameter: the weight has shape (out_features, in_features), the bias (if any) has shape (out_features,).",
        "A matrix of shape (m, n) has m * n entries; with bias=False, self.bias is None.",
        "return in_features * out_features + (out_features if bias else 0)",
    ],
    reference=count_reference,
    cases=lambda: (
        [
            (f"nn.Linear({i}, {o}, bias={b})", (i, o, b))
            for i, o, b in [
                (2, 3, True),
                (10, 1000, True),
                (784, 128, False),
                (4096, 64, True),
                (3, 3, False),
            ]
        ]
        + [("nn.Linear(5, 2), bias left at its default", (5, 2))]
    ),
    mistakes=_MISTAKES_54,
    done="in·out + out with a bias, in·out without, for five layer sizes",
)
