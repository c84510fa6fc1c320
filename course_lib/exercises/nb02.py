"""Notebook 02 (`Parameter` vs `Tensor`): how `.grad` accumulates, a module with a learnable
scale, what a Module registers, and counting parameters."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

from .. import _random
from ..autograd import no_grad
from ..creation import ones, rand, tensor, zeros
from ..nn import Embedding, Linear, Module, Parameter, Sequential, Tanh
from ..tensor import Tensor
from ._check import Mistake, Names, Number, Out, Seq, exercise


@contextlib.contextmanager
def _own_random_numbers() -> Iterator[None]:
    """Draw the check's random numbers from a fixed seed; leave the learner's stream untouched."""
    with _random.fork_rng():
        _random.manual_seed(2)
        yield


# -- 2.1 ---------------------------------------------------------------------------------------


def _twice_backward() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the notebook's code with course_lib: w.grad after two backward calls, plus w and x."""
    w = tensor([1.0, -2.0, 3.0], requires_grad=True)
    x = tensor([0.5, 2.0, -1.0])
    loss = (w * x).sum()
    loss.backward()
    loss = 3 * (w * x).sum()  # a second loss, three times the first
    loss.backward()
    return w.grad.numpy().astype(np.float64), w.detach().numpy(), x.numpy()


_GRAD, _W, _X = _twice_backward()

exercise(
    "2.1",
    task="return your prediction of w.grad after the two backward calls, as a list of 3 numbers "
    "(to 3 significant digits)",
    hints=[
        "backward() does not set .grad: it adds the new gradient to whatever .grad already holds. Nothing here resets it.",
        "The gradient of (w * x).sum() with respect to w is x; the gradient of 3 * (w * x).sum() is 3 * x.",
        "w.grad = x + 3 * x = 4 * x = [2.0, 8.0, -4.0]",
    ],
    reference=lambda: _twice_backward()[0],
    form=Seq((Number(3), 3)),
    mistakes={
        "you expected .grad to be overwritten: that is the second loss's gradient, 3 * x, alone; "
        "backward() adds it to the x already in .grad": 3 * _X,
        "that is .grad after the first backward() only: the second backward() adds its "
        "gradient, 3 * x, to it": _X,
        "you added the first gradient twice, but the second loss is 3 times the first, so it adds "
        "3 * x": 2 * _X,
        "you used w where the gradient is x: the gradient of (w * x).sum() with respect to w is x, "
        "not w": 4 * _W,
        "that is w itself: .grad holds d loss / d w, which here does not depend on w": _W,
        "you predicted zeros, but nothing resets .grad between the two backward() calls (and "
        "zero_grad() would set it to None, not zeros)": [0, 0, 0],
    },
    done=f"w.grad = x + 3x = {_GRAD.tolist()}",
)


class Scale(Module):
    """The reference of exercise 2.2: one learnable value per feature, starting at 1."""

    def __init__(self, num_features):
        super().__init__()
        self.scale = Parameter(ones(num_features))

    def forward(self, x):
        return x * self.scale


def _run_scale(cls, n, x, values):
    """Build cls(n), check what it registers, give its scale `values` (if any), run it on x."""
    m = cls(n)
    if not isinstance(m, Module):
        raise Mistake(f"Scale({n}) should be an nn.Module: write class Scale(nn.Module)")
    named = list(m.named_parameters())
    plain = [k for k, v in vars(m).items() if isinstance(v, Tensor)]
    if not named and plain:
        raise Mistake(
            f"Scale({n}).parameters() is empty: self.{plain[0]} is a plain tensor attribute, which "
            "a Module does not register (not even with requires_grad=True), so no optimizer would "
            "ever update it; wrap it in nn.Parameter"
        )
    if not named and list(m.named_buffers()):
        raise Mistake(
            f"Scale({n}).parameters() is empty: you registered the scale as a buffer, which is "
            "saved in state_dict() but never trained; make it an nn.Parameter"
        )
    if len(named) != 1:
        raise Mistake(
            f"Scale({n}) should have one parameter, the scale; yours has {[k for k, _ in named]}"
        )
    p = named[0][1]
    if not p.requires_grad:
        raise Mistake(
            "your scale has requires_grad=False: backward() never gives it a gradient, so no "
            "optimizer can train it (nn.Parameter's default is requires_grad=True)"
        )
    start = p.detach().numpy()
    if values is None and np.isnan(start).any():
        raise Mistake("your parameter starts from uninitialised memory (torch.empty): fill it")
    if values is None and not (start == 1).all():
        raise Mistake(
            f"your scale starts at {start.tolist()}, not at ones: starting at 1 makes a new Scale "
            "the identity (output = input) until training changes it"
        )
    if values is not None and p.numel() == n:
        with no_grad():
            p.copy_(tensor(values).reshape(p.shape))
    return Out(m(x), **{"the scale": p})


def _cases_22():
    rng = np.random.default_rng(0)
    r = lambda *shape: tensor(rng.standard_normal(shape).astype(np.float32))
    s = [2.0, -1.0, 0.5]
    return [
        ("a new Scale(4) on a (2, 4) input (it must start as the identity)", (4, r(2, 4), None)),
        ("Scale(3) with scale [2, -1, 0.5] on a (3, 3) input", (3, r(3, 3), s)),
        ("Scale(3) with scale [2, -1, 0.5] on a (2, 3) input", (3, r(2, 3), s)),
        ("Scale(3) with scale [2, -1, 0.5] on a 1-D (3,) input", (3, r(3), s)),
        ("Scale(3) with scale [2, -1, 0.5] on a (2, 5, 3) input", (3, r(2, 5, 3), s)),
    ]


class _RandomStart(Scale):
    def __init__(self, num_features):
        super().__init__(num_features)
        self.scale = Parameter(rand(num_features))


class _OneNumber(Scale):
    def __init__(self, num_features):
        super().__init__(num_features)
        self.scale = Parameter(ones(1))


class _Rows(Scale):
    def forward(self, x):
        return x * self.scale.reshape(-1, *([1] * (x.ndim - 1)))


exercise(
    "2.2",
    task="in __init__ register a learnable scale of shape (num_features,) starting at ones; forward returns x * scale",
    hints=[
        "A Module only trains what it registers, and assigning an nn.Parameter as an attribute (self.name = ...) is what registers it; a plain tensor is just an attribute.",
        "One value per feature means shape (num_features,), and torch.ones(num_features) starts every value at 1. In forward, x has shape (..., num_features): broadcasting lines up the last dims, so no reshaping is needed.",
        "In __init__ (after super().__init__()): self.scale = nn.Parameter(torch.ones(num_features)). In forward: return x * self.scale",
    ],
    reference=Scale,
    cases=_cases_22,
    call=_run_scale,
    mistakes={
        "your scale does not start at ones: starting at 1 makes a new Scale the identity (output "
        "= input) until training changes it": _RandomStart,
        "your scale is a single number shared by all features; a per-feature scale has one value "
        "per feature: shape (num_features,)": _OneNumber,
        "you scaled along dim 0 (each row by one value), but the features are the last dim: "
        "x * self.scale already broadcasts the scale over the last dim": _Rows,
        "you added the scale: Scale multiplies, x * scale": type(
            "_Add", (Scale,), {"forward": lambda self, x: x + self.scale}
        ),
        "your forward returns its input unchanged: it never uses the scale (multiply by the "
        "parameter)": type("_Ignore", (Scale,), {"forward": lambda self, x: x}),
    },
    done="one registered parameter of shape (num_features,) starting at ones; forward and "
    "gradient right for (3, 3), (2, 3), (3,) and (2, 5, 3) inputs",
)


class Encoder(Module):
    """The module of Exercise 2.3, exactly as the notebook defines it."""

    def __init__(self):
        super().__init__()
        self.embed = Linear(4, 3)
        self.gain = Parameter(ones(3))
        self.mask = ones(3, requires_grad=True)
        self.register_buffer("steps", zeros(1))
        self.head = Linear(3, 2, bias=False)

    def forward(self, x):
        return self.head(self.embed(x) * self.gain * self.mask)


def _explain_23(got, truth):
    for name, why in [
        ("mask", "'mask' is a plain tensor attribute: assigning a tensor, even one with "
         "requires_grad=True, does not register it, so named_parameters() never yields it"),
        ("steps", "'steps' is a buffer (register_buffer): it appears in named_buffers() and "
         "state_dict(), never in named_parameters()"),
        ("head.bias", "head was built with bias=False, so it has no bias parameter (head.bias is "
         "None, and None entries are skipped)"),
    ]:  # fmt: skip
        if name in got:
            return why
    if len(got) != len(set(got)):
        return "each parameter is yielded once: your list repeats a name"
    if "gain" not in got:
        return "'gain' is missing: it is an nn.Parameter assigned as an attribute, which is exactly what registers a parameter"
    missing = [n for n in truth if n not in got]
    if missing:
        return (
            f"{missing[0]!r} is missing: named_parameters() recurses into the children "
            "(recurse=True is the default), so their parameters are included, prefixed"
        )
    if got == ["embed.weight", "embed.bias", "gain", "head.weight"]:
        return (
            "right names, wrong order: you followed the order of the lines in __init__, but a "
            "module's own parameters (gain) always come before its children's"
        )
    return (
        "right names, wrong order: the module's own parameters come first, then each child in "
        "the order it was assigned, each child's parameters in its own order (weight, bias)"
    )


_NAMES_23 = (
    "gain",
    "embed.weight",
    "embed.bias",
    "head.weight",
    "head.bias",
    "mask",
    "steps",
    "embed",
    "head",
)

exercise(
    "2.3",
    task="return the list of names that Encoder().named_parameters() yields, in order",
    hints=[
        "named_parameters() yields only what the module registered: nn.Parameter attributes and the parameters of child modules. For each line of __init__, ask where it lands: _parameters, _buffers, _modules, or none of them (a plain attribute).",
        "A plain tensor (even with requires_grad=True) is not registered; a buffer is registered as a buffer, not a parameter; Linear(3, 2, bias=False) has no bias. A child's parameters are named '<child>.<name>'. A module's own parameters come before its children's.",
        "Own parameter first, then each child in the order it was assigned, weight before bias: ['gain', 'embed.weight', 'embed.bias', 'head.weight']",
    ],
    reference=lambda: [name for name, _ in Encoder().named_parameters()],
    form=Names(_NAMES_23, ordered=True),
    explain=_explain_23,
    done="named_parameters() yields ['gain', 'embed.weight', 'embed.bias', 'head.weight']",
)


class _WithBuffer(Module):
    """A layer with a persistent buffer of 5 numbers (like BatchNorm's running statistics)."""

    def __init__(self):
        super().__init__()
        self.lin = Linear(4, 3)
        self.register_buffer("running_mean", zeros(5))

    def forward(self, x):
        return self.lin(x)


class _Tied(Module):
    """An embedding and an output layer that share one weight (weight tying)."""

    def __init__(self):
        super().__init__()
        self.emb = Embedding(10, 4)
        self.out = Linear(4, 10, bias=False)
        self.out.weight = self.emb.weight


def _frozen():
    """Sequential(Linear(4, 3), Linear(3, 2)) with the first layer frozen (fine-tuning)."""
    model = Sequential(Linear(4, 3), Linear(3, 2))
    for p in model[0].parameters():
        p.requires_grad_(False)
    return model


def _count_cases():
    l = Linear(3, 3)
    models = [
        ("Linear(4, 3)", Linear(4, 3)),
        (
            "Sequential(Linear(4, 3), Tanh(), Linear(3, 2))",
            Sequential(Linear(4, 3), Tanh(), Linear(3, 2)),
        ),
        ("a Linear(4, 3) with a buffer of 5 numbers", _WithBuffer()),
        ("Sequential(l, Tanh(), l), the same Linear(3, 3) twice", Sequential(l, Tanh(), l)),
        ("Embedding(10, 4) and Linear(4, 10) sharing one weight", _Tied()),
        ("Sequential(Linear(4, 3), Linear(3, 2)) with the first layer frozen", _frozen()),
    ]
    return [(name, (model,)) for name, model in models]


def count_reference(model):
    return sum(p.numel() for p in model.parameters())


def _shared_twice(model):
    return sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False))


exercise(
    "2.4",
    task="return the total number of values held by the model's parameters",
    hints=[
        "model.parameters() yields every registered parameter of the model and of its children, each one once.",
        "A parameter of shape (3, 4) holds 12 numbers: p.numel() counts them. len(list(model.parameters())) counts tensors, not numbers, and state_dict() also holds buffers.",
        "return sum(p.numel() for p in model.parameters())",
    ],
    reference=count_reference,
    cases=_count_cases,
    mistakes={
        "you counted parameter tensors, not the numbers in them: a (3, 4) weight holds 12 values, "
        "which p.numel() counts": lambda model: len(list(model.parameters())),
        "you added up the parameters' values; count their elements with p.numel()": (
            lambda model: sum(float(p.sum().item()) for p in model.parameters())
        ),
        "you counted only each parameter's first dim (len(p) or p.shape[0]); p.numel() counts "
        "every element": lambda model: sum(p.shape[0] for p in model.parameters()),
        "you counted only the model's own parameters, not its children's: parameters() with its "
        "default recurse=True includes them": (
            lambda model: sum(p.numel() for p in model.parameters(recurse=False))
        ),
        "you included the buffers (state_dict() and buffers() hold them): they are saved with "
        "the model, but they are not parameters": (
            lambda model: count_reference(model) + sum(b.numel() for b in model.buffers())
        ),
        "you counted a shared parameter twice: state_dict(), named_parameters(remove_duplicate="
        "False) and a loop over each module's own parameters list it under each of its names; "
        "parameters() yields it once": _shared_twice,
        "you counted only the trainable parameters (requires_grad): a frozen parameter still "
        "holds its values and counts": (
            lambda model: sum(p.numel() for p in model.parameters() if p.requires_grad)
        ),
        "you counted a shared parameter twice: a loop over each module's own parameters lists it "
        "under each of its names; parameters() yields it once": (
            lambda model: sum(
                p.numel() for m in model.modules() for p in m._parameters.values() if p is not None
            )
        ),
    },
    done="right count for a Linear, a Sequential, a model with a buffer, a repeated layer and "
    "tied weights",
)
