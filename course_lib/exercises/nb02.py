"""Notebook 02 (`Parameter` vs `Tensor`): what a Module registers, counting parameters, and
how `.grad` accumulates."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

from .. import _random
from ..autograd import no_grad
from ..creation import ones, tensor, zeros
from ..nn import Embedding, Linear, Module, Parameter, Sequential, Tanh
from ..tensor import Tensor
from ._legacy import Mistake, as_array, close, exercise, expect_close, run


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


@exercise(
    "2.1",
    task="return your prediction of w.grad after the two backward calls, as a list of 3 numbers",
    hints=[
        "backward() does not set .grad: it adds the new gradient to whatever .grad already "
        "holds. Nothing here resets it.",
        "The gradient of (w * x).sum() with respect to w is x; the gradient of 3 * (w * x).sum() "
        "is 3 * x.",
        "w.grad = x + 3 * x = 4 * x = [2.0, 8.0, -4.0]",
    ],
)
def accumulated_grad(answer) -> str:
    expected, w, x = _twice_backward()
    got = run(answer)
    if got is None:
        raise Mistake(
            "you predicted None: .grad is None only before the first backward() (or after "
            "zero_grad()); each backward() fills it"
        )
    try:
        g = as_array(got) if isinstance(got, Tensor) else np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise Mistake(f"your prediction should be a list of 3 numbers; got {got!r:.80}") from None
    if g.shape != (3,):
        raise Mistake(
            f"your prediction has shape {g.shape}: w.grad has w's shape, (3,), so give 3 numbers"
        )
    if close(g, np.zeros(3)):
        raise Mistake(
            "you predicted zeros, but nothing resets .grad between the two backward() calls "
            "(and zero_grad() would set it to None, not zeros)"
        )
    expect_close(
        g,
        expected,
        wrong={
            "you expected .grad to be overwritten: that is the second loss's gradient, 3 * x, "
            "alone; backward() adds it to the x already in .grad": 3 * x,
            "that is .grad after the first backward() only: the second backward() adds its "
            "gradient, 3 * x, to it": x,
            "you added the first gradient twice, but the second loss is 3 times the first, so "
            "it adds 3 * x": 2 * x,
            "you used w where the gradient is x: the gradient of (w * x).sum() with respect to w is x, not w": 4
            * w,
            "that is w itself: .grad holds d loss / d w, which here does not depend on w": w,
        },
        what="your predicted w.grad",
    )
    return f"w.grad = x + 3x = {expected.tolist()}"


# -- 2.2 ---------------------------------------------------------------------------------------


def _describe_array(a: np.ndarray) -> str:
    return np.array2string(np.asarray(a, dtype=np.float64), precision=4, separator=", ")


@exercise(
    "2.2",
    task="in __init__ register a learnable scale of shape (num_features,) starting at ones; "
    "forward returns x * scale",
    hints=[
        "A Module only trains what it registers, and assigning an nn.Parameter as an attribute "
        "(self.name = ...) is what registers it; a plain tensor is just an attribute.",
        "One value per feature means shape (num_features,), and torch.ones(num_features) "
        "starts every value at 1. In forward, x has shape (..., num_features): broadcasting "
        "lines up the last dims, so no reshaping is needed.",
        "In __init__ (after super().__init__()): self.scale = nn.Parameter(torch.ones("
        "num_features)). In forward: return x * self.scale",
    ],
)
def scale_module(answer) -> str:
    with _own_random_numbers():
        return _check_scale(answer)


def _check_scale(answer) -> str:
    n = 4
    m = run(answer, n)
    if not isinstance(m, Module):
        raise Mistake(f"Scale({n}) should be an nn.Module: write class Scale(nn.Module)")
    named = list(m.named_parameters())
    if not named:
        plain = [k for k, v in vars(m).items() if isinstance(v, Tensor)]
        if plain:
            raise Mistake(
                f"Scale({n}).parameters() is empty: self.{plain[0]} is a plain tensor "
                "attribute, which a Module does not register (not even with requires_grad=True), "
                "so no optimizer would ever update it; wrap it in nn.Parameter"
            )
        if list(m.named_buffers()):
            raise Mistake(
                f"Scale({n}).parameters() is empty: you registered the scale as a buffer, which "
                "is saved in state_dict() but never trained; make it an nn.Parameter"
            )
        raise Mistake(
            f"Scale({n}).parameters() is empty: assign the scale in __init__ as "
            "self.<name> = nn.Parameter(...)"
        )
    if len(named) > 1:
        raise Mistake(
            f"Scale({n}) should have one parameter, the scale; yours has "
            f"{[name for name, _ in named]}"
        )
    name, p = named[0]
    shape = tuple(p.shape)
    if shape != (n,):
        if p.numel() == 1:
            raise Mistake(
                f"your scale has shape {shape}: a single number shared by all features. A "
                f"per-feature scale has one value per feature: shape (num_features,) = ({n},)"
            )
        raise Mistake(
            f"Scale({n}).{name} has shape {shape}, but a per-feature scale has shape "
            f"(num_features,) = ({n},), like LayerNorm's weight"
        )
    if not p.requires_grad:
        raise Mistake(
            "your scale has requires_grad=False: backward() never gives it a gradient, so no "
            "optimizer can train it (nn.Parameter's default is requires_grad=True)"
        )
    start = as_array(p)
    if not np.all(start == 1.0):
        raise Mistake(
            f"your scale starts at {_describe_array(start)}, not at ones: starting at 1 makes a "
            "new Scale the identity (output = input) until training changes it"
        )
    # forward: give the scale distinct values so that a misplaced broadcast shows
    m3 = run(answer, 3)
    p3 = next(m3.parameters())
    s = np.array([2.0, -1.0, 0.5], dtype=np.float32)
    with no_grad():
        p3.copy_(tensor(s))
    rng = np.random.default_rng(0)
    inputs = [  # square first: scaling the rows instead of the columns changes values, not shape
        rng.standard_normal((3, 3)).astype(np.float32),
        rng.standard_normal((2, 3)).astype(np.float32),
        rng.standard_normal(3).astype(np.float32),  # one sample, 1-D
        rng.standard_normal((2, 5, 3)).astype(np.float32),  # (batch, time, features)
    ]
    for x in inputs:
        p3.grad = None
        xt = tensor(x)
        out = run(m3, xt)
        what = f"Scale(3) on an input of shape {x.shape}"
        if isinstance(out, Tensor) and tuple(out.shape) != x.shape:
            if out.ndim < x.ndim:
                why = "did you use @, a matrix product, instead of *?"
            else:
                why = "did you reshape or unsqueeze the scale? x * self.scale broadcasts as it is"
            raise Mistake(
                f"{what} returned shape {tuple(out.shape)}: an element-wise scale keeps the "
                f"input's shape {x.shape} ({why})"
            )
        wrong = {
            "your forward returns its input unchanged: it never uses the scale (multiply by "
            "the parameter)": x,
            "you added the scale: Scale multiplies, x * scale": x + s,
        }
        if x.ndim == 2 and x.shape[0] == 3:
            wrong[
                "you scaled along dim 0 (each row by one value), but the features are the last "
                "dim: x * self.scale already broadcasts the scale over the last dim"
            ] = x * s[:, None]
        expect_close(out, x * s, wrong=wrong, what=what)
        if not out.requires_grad:
            raise Mistake(
                f"{what}: the output has requires_grad=False, so no gradient can reach the "
                "scale: did you use scale.data, detach() or a copy in forward?"
            )
        out.sum().backward()
        if p3.grad is None:
            raise Mistake(
                f"{what}: after out.sum().backward() the scale's .grad is None: forward must "
                "multiply by the parameter itself (not .data, detach() or a copy)"
            )
        expect_close(
            p3.grad,
            x.reshape(-1, 3).sum(axis=0, dtype=np.float64),
            what=f"the scale's gradient after out.sum().backward() ({what})",
            rtol=1e-4,
            atol=1e-5,
        )
    return (
        "one registered parameter of shape (num_features,) starting at ones; forward and "
        "gradient right for (3, 3), (2, 3), (3,) and (2, 5, 3) inputs"
    )


# -- 2.3 ---------------------------------------------------------------------------------------


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


def _names(answer, what: str) -> list[str]:
    if isinstance(answer, (list, tuple)) and all(isinstance(n, str) for n in answer):
        return list(answer)
    raise Mistake(
        f"{what} should be a list of names (strings) such as 'child.weight'; got {answer!r:.80}"
    )


@exercise(
    "2.3",
    task="return the list of names that Encoder().named_parameters() yields, in order",
    hints=[
        "named_parameters() yields only what the module registered: nn.Parameter attributes and "
        "the parameters of child modules. For each line of __init__, ask where it lands: "
        "_parameters, _buffers, _modules, or none of them (a plain attribute).",
        "A plain tensor (even with requires_grad=True) is not registered; a buffer is registered "
        "as a buffer, not a parameter; Linear(3, 2, bias=False) has no bias. A child's "
        "parameters are named '<child>.<name>'. A module's own parameters come before its "
        "children's.",
        "Own parameter first, then each child in the order it was assigned, weight before bias: "
        "['gain', 'embed.weight', 'embed.bias', 'head.weight']",
    ],
)
def encoder_names(answer) -> str:
    with _own_random_numbers():
        expected = [name for name, _ in Encoder().named_parameters()]
    got = _names(run(answer), "your prediction")
    if got == expected:
        return f"named_parameters() yields {expected}"
    if "mask" in got:
        raise Mistake(
            "'mask' is a plain tensor attribute: assigning a tensor, even one with "
            "requires_grad=True, does not register it, so named_parameters() never yields it"
        )
    if "steps" in got:
        raise Mistake(
            "'steps' is a buffer (register_buffer): it appears in named_buffers() and "
            "state_dict(), never in named_parameters()"
        )
    if "head.bias" in got:
        raise Mistake(
            "head was built with bias=False, so it has no bias parameter (head.bias is None, "
            "and None entries are skipped)"
        )
    unknown = [n for n in got if n not in expected]
    if unknown:
        raise Mistake(
            f"{unknown[0]!r} is not a name this module yields: a child's parameters are "
            "named '<child attribute>.<parameter>', e.g. a Linear assigned as self.lin gives "
            "'lin.weight'"
        )
    if len(got) != len(set(got)):
        raise Mistake("each parameter is yielded once: your list repeats a name")
    missing = [n for n in expected if n not in got]
    if "gain" in missing:
        raise Mistake(
            "'gain' is missing: it is an nn.Parameter assigned as an attribute, which is exactly "
            "what registers a parameter"
        )
    if missing:
        raise Mistake(
            f"{missing[0]!r} is missing: named_parameters() recurses into the children "
            "(recurse=True is the default), so their parameters are included, prefixed"
        )
    if got == ["embed.weight", "embed.bias", "gain", "head.weight"]:
        raise Mistake(
            "right names, wrong order: you followed the order of the lines in __init__, but a "
            "module's own parameters (gain) always come before its children's, whatever the "
            "order of assignment"
        )
    raise Mistake(
        "right names, wrong order: the module's own parameters come first, then each child "
        "in the order it was assigned, each child's parameters in its own order (weight, bias)"
    )


# -- 2.4 ---------------------------------------------------------------------------------------


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


def _count_cases() -> list[tuple[str, Module]]:
    l = Linear(3, 3)
    return [
        ("Linear(4, 3)", Linear(4, 3)),
        (
            "Sequential(Linear(4, 3), Tanh(), Linear(3, 2))",
            Sequential(Linear(4, 3), Tanh(), Linear(3, 2)),
        ),
        ("a Linear(4, 3) with a buffer of 5 numbers", _WithBuffer()),
        ("Sequential(l, Tanh(), l), the same Linear(3, 3) twice", Sequential(l, Tanh(), l)),
        ("Embedding(10, 4) and Linear(4, 10) sharing one weight", _Tied()),
    ]


@exercise(
    "2.4",
    task="return the total number of values held by the model's parameters",
    hints=[
        "model.parameters() yields every registered parameter of the model and of its "
        "children, each one once.",
        "A parameter of shape (3, 4) holds 12 numbers: p.numel() counts them. "
        "len(list(model.parameters())) counts tensors, not numbers, and state_dict() also "
        "holds buffers.",
        "return sum(p.numel() for p in model.parameters())",
    ],
)
def count_parameters(answer) -> str:
    with _own_random_numbers():
        cases = _count_cases()
    for label, model in cases:
        params = list(model.parameters())
        expected = sum(p.numel() for p in params)
        got = run(answer, model)
        if isinstance(got, Tensor) and got.numel() == 1:
            got = got.item()
        if not isinstance(got, (int, float, np.integer, np.floating)) or isinstance(got, bool):
            raise Mistake(f"count_parameters should return a number; it returned {got!r:.80}")
        if got == expected:
            continue
        with_dups = sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False))
        per_module = sum(
            p.numel() for m in model.modules() for p in m._parameters.values() if p is not None
        )
        shared = (
            "you counted a shared parameter twice: state_dict(), "
            "named_parameters(remove_duplicate=False) and a loop over each module's own "
            "parameters list it under each of its names; parameters() yields it once"
        )
        wrong = [
            (
                "you counted parameter tensors, not the numbers in them: a (3, 4) weight holds "
                "12 values, which p.numel() counts",
                len(params),
            ),
            (
                "you added up the parameters' values; count their elements with p.numel()",
                sum(float(p.sum().item()) for p in params),
            ),
            (
                "you counted only each parameter's first dim (len(p) or p.shape[0]); p.numel() "
                "counts every element",
                sum(p.shape[0] for p in params),
            ),
            (
                "you counted only the model's own parameters, not its children's: parameters() "
                "with its default recurse=True includes them",
                sum(p.numel() for p in model.parameters(recurse=False)),
            ),
            (
                "you included the buffers (state_dict() and buffers() hold them): they are "
                "saved with the model, but they are not parameters",
                expected + sum(b.numel() for b in model.buffers()),
            ),
            (shared, with_dups),
            (shared, per_module),
        ]
        for message, value in wrong:
            if value != expected and np.isclose(float(got), float(value), rtol=1e-6, atol=1e-6):
                raise Mistake(f"for {label}: {message}")
        raise Mistake(f"for {label} your count is {got}, but its parameters hold {expected} values")
    return (
        "right count for a Linear, a Sequential, a model with a buffer, a repeated layer and "
        "tied weights"
    )
