"""Notebook 03 (`add_module` and the module tree): registered heads, the order of `apply`, a
ModuleList, initialising every Linear with `apply`, and flatten's shapes."""

from __future__ import annotations

import math
from collections import OrderedDict
from contextlib import contextmanager

import numpy as np

from .. import _random, cat, tanh
from ..autograd import no_grad
from ..creation import randn, tensor, zeros
from ..nn import Flatten, Linear, Module, ModuleList, Sequential, init
from ..nn.modules.normalization import LayerNorm
from ..nn.modules.sparse import Embedding
from ..tensor import Tensor
from ._check import Mistake, Names, Out, Seq, Shape, exercise


@contextmanager
def _seeded(seed: int):
    """Run with the global generator seeded, then give the learner's stream back untouched."""
    with _random.fork_rng():
        _random.manual_seed(seed)
        yield


def _values(t: Tensor) -> np.ndarray:
    return np.asarray(t.detach()._array, dtype=np.float64)


def _listed_modules(model: Module) -> list[str]:
    """Names of plain list/tuple/dict attributes that hold Modules (which register nothing)."""
    found = []
    for key, value in vars(model).items():
        items = value.values() if isinstance(value, dict) else value
        if isinstance(value, (list, tuple, dict)) and any(isinstance(v, Module) for v in items):
            found.append(key)
    return found


def _fill(model: Module) -> dict:
    """Give every parameter fixed values chosen by its name, so that two models built in any
    order compute the same function; return the parameters by name."""
    params = dict(model.named_parameters())
    with no_grad():
        for name, p in params.items():
            rng = np.random.default_rng(sum(map(ord, name)))
            p.copy_(tensor(rng.uniform(-1, 1, tuple(p.shape)).astype(np.float32)))
    return params


class MultiHead(Module):
    """The reference of exercise 3.1."""

    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.n_heads = n_heads
        for i in range(n_heads):
            self.add_module(f"attention_{i}", Linear(in_features, head_features))

    def forward(self, x):
        return cat([getattr(self, f"attention_{i}")(x) for i in range(self.n_heads)], dim=-1)


def _run_multi_head(cls, in_f, head_f, n, x):
    model = cls(in_f, head_f, n)
    label = f"MultiHead({in_f}, {head_f}, {n})"
    if not isinstance(model, Module):
        raise Mistake(f"{label} should be an nn.Module, but it is {type(model).__name__}")
    names, expected = list(model._modules), [f"attention_{i}" for i in range(n)]
    if not names:
        listed = _listed_modules(model)
        where = f" (self.{listed[0]})" if listed else ""
        raise Mistake(
            f"{label} registered no child modules: your heads sit in a plain Python container"
            f"{where}, which parameters(), apply() and repr() never look into; register each head "
            "with self.add_module(f'attention_{i}', head)"
        )
    if names == [f"attention_{i + 1}" for i in range(n)]:
        raise Mistake(
            f"{label} registered {names}: number the heads from 0, as range(n_heads) counts"
        )
    if names != expected:
        raise Mistake(
            f"{label} registered its children as {names}: name head i f'attention_{{i}}', and register nothing else"
        )
    heads = [model._modules[k] for k in names]
    for key, head in zip(names, heads, strict=True):
        if not isinstance(head, Linear) or (head.in_features, head.out_features) != (in_f, head_f):
            raise Mistake(f"{label}.{key} should be nn.Linear({in_f}, {head_f}), not {head}")
    if len({id(h) for h in heads}) < n:
        raise Mistake(
            f"{label} registered the same Linear object under every name: create a new nn.Linear "
            "inside the loop, one per head"
        )
    params = _fill(model)  # before the forward, so that it runs on these values
    return Out(model(x), **params)


def _cases_31():
    with _seeded(3):
        return [
            (f"MultiHead({i}, {h}, {n}) on a {shape} input", (i, h, n, randn(*shape)))
            for i, h, n, shape in [
                (4, 3, 2, (2, 4)),
                (5, 2, 3, (2, 5, 5)),
                (3, 4, 1, (3,)),
                (4, 2, 3, (4,)),
            ]
        ]


def _multi_head_variant(forward):
    return type("_Variant", (MultiHead,), {"forward": forward})


def _heads(m, x):
    return [getattr(m, f"attention_{i}")(x) for i in range(m.n_heads)]


exercise(
    "3.1",
    task="register n_heads Linear heads named attention_0, attention_1, ... and concatenate their outputs on the last dim",
    hints=[
        "Registration is what makes parameters() see a head: a Linear kept in a plain Python list is invisible. In __init__, loop over range(n_heads) and register each new head with self.add_module(name, module), the name built with an f-string.",
        "In forward, get head i back with getattr(self, f'attention_{i}'), call it on x, and join the n outputs with torch.cat(..., dim=-1): the last dim is the features, whatever the number of leading dims.",
        "__init__: `for i in range(n_heads): self.add_module(f'attention_{i}', nn.Linear(in_features, head_features))`; forward: `return torch.cat([getattr(self, f'attention_{i}')(x) for i in range(self.n_heads)], dim=-1)` (store self.n_heads = n_heads in __init__).",
    ],
    reference=MultiHead,
    cases=_cases_31,
    call=lambda cls, i, h, n, x: _run_multi_head(cls, i, h, n, x),
    mistakes={
        "you concatenated along dim 0: the heads' features join on the last dim, dim=-1": (
            _multi_head_variant(lambda self, x: cat(_heads(self, x), dim=0))
        ),
        "you added the heads' outputs; concatenate them (torch.cat, dim=-1)": (
            _multi_head_variant(lambda self, x: sum(_heads(self, x)))
        ),
        "your output is only the last head's: concatenate all of them": (
            _multi_head_variant(lambda self, x: _heads(self, x)[-1])
        ),
    },
    done="heads registered as attention_0 ... attention_{n-1}, distinct Linear(in, head) each, "
    "outputs concatenated on dim -1 for 1-D, 2-D and 3-D inputs",
)


class Block(Module):
    """The small block of exercise 3.2 (the notebook defines the same one)."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = Linear(3, 3)
        self.norm = LayerNorm(3)

    def forward(self, x: Tensor) -> Tensor:
        return self.norm(self.lin(x))


def apply_order_model() -> Module:
    """`nn.Sequential(Block(), nn.Tanh(), nn.Linear(3, 2))`, as in the notebook."""
    from ..nn.modules.activation import Tanh

    return Sequential(Block(), Tanh(), Linear(3, 2))


def _apply_order() -> list[str]:
    visited: list[str] = []
    apply_order_model().apply(lambda m: visited.append(type(m).__name__))
    return visited


def _explain_32(got, truth):
    if sorted(got) == sorted(truth):
        return (
            "the right modules in the wrong order: apply goes through the children in "
            "registration order, each child's subtree first, the parent after them"
        )
    return (
        f"you predicted {len(got)} calls, but apply calls fn on every module of the tree, once "
        "each, the containers and the model itself included"
    )


_ORDER = ["Linear", "LayerNorm", "Block", "Tanh", "Linear", "Sequential"]

exercise(
    "3.2",
    task="return the class names, in order, of the modules that model.apply(fn) calls fn on",
    hints=[
        "apply visits every module of the tree, the containers and the model itself included, not only the leaves. Read the source printed above: what comes first, the loop over the children or fn(self)?",
        "The loop over the children runs before fn(self), and it recurses: a child's own children are visited before that child. So the model itself comes last, and each block's layers come just before the block (post-order).",
        "['Linear', 'LayerNorm', 'Block', 'Tanh', 'Linear', 'Sequential']",
    ],
    reference=_apply_order,
    form=Names(("Linear", "LayerNorm", "Block", "Tanh", "Sequential", "ModuleList"), ordered=True),
    mistakes={
        "that is pre-order (parent first), the order of modules() and named_modules(); apply "
        "loops over the children first and calls fn(self) last: post-order": [
            "Sequential",
            "Block",
            "Linear",
            "LayerNorm",
            "Tanh",
            "Linear",
        ],
        "you listed only the leaves: apply calls fn on every module, the containers (Block, and "
        "the Sequential model itself) included": ["Linear", "LayerNorm", "Tanh", "Linear"],
        "apply also calls fn on the model itself (the Sequential), last of all": _ORDER[:-1],
        "the model itself comes last, not first: fn(self) runs after the children": (
            _ORDER[-1:] + _ORDER[:-1]
        ),
        "apply recurses: before fn(Block) it visits Block's own children (lin and norm)": [
            "Block",
            "Tanh",
            "Linear",
            "Sequential",
        ],
        "you reversed the whole order: the children are visited in the order they were "
        "registered (Block, Tanh, Linear), each subtree before its parent": _ORDER[::-1],
    },
    explain=_explain_32,
    done="apply calls fn on 6 modules, children before their parent",
)


class FixedDeep(Module):
    """The reference of exercise 3.3."""

    def __init__(self, width, depth, n_out):
        super().__init__()
        self.layers = ModuleList([Linear(width, width) for _ in range(depth)])
        self.out = Linear(width, n_out)

    def forward(self, x):
        for layer in self.layers:
            x = tanh(layer(x))
        return self.out(x)


def _run_deep(cls, width, depth, n_out, x):
    model = cls(width, depth, n_out)
    label = f"FixedDeep({width}, {depth}, {n_out})"
    if not isinstance(model, Module):
        raise Mistake(f"{label} should be an nn.Module, but it is {type(model).__name__}")
    names = [name for name, _ in model.named_parameters()]
    expected = [f"layers.{i}.{p}" for i in range(depth) for p in ("weight", "bias")]
    layers = model.__dict__.get("layers", model._modules.get("layers"))
    if isinstance(layers, (list, tuple)):
        raise Mistake(
            f"{label}: parameters() sees only {names}, because self.layers is still a plain "
            "Python list, which registers nothing; wrap it in nn.ModuleList([...])"
        )
    if isinstance(layers, (ModuleList, Sequential)) and len({id(m) for m in layers}) < len(layers):
        raise Mistake(
            f"{label}: your layers hold the same Linear object several times ([layer] * depth "
            "repeats one object), so the layers share their weights; build a new nn.Linear for "
            "each layer"
        )
    if names != [*expected, "out.weight", "out.bias"]:
        raise Mistake(
            f"{label}: parameters() sees {names}; keep the hidden layers in an nn.ModuleList "
            "called `layers` (the names, and so the state_dict keys, come from it) and the last "
            "layer as `out`"
        )
    params = _fill(model)  # before the forward, so that it runs on these values
    return Out(model(x), **params)


def _cases_33():
    with _seeded(4):
        return [
            (f"FixedDeep({w}, {d}, {o}) on a {shape} input", (w, d, o, randn(*shape)))
            for w, d, o, shape in [(4, 3, 2, (2, 4)), (5, 2, 3, (3, 2, 5)), (3, 1, 4, (2, 3))]
        ]


def _deep_variant(forward):
    return type("_Variant", (FixedDeep,), {"forward": forward})


def _tanh_out(self, x):
    for layer in self.layers:
        x = tanh(layer(x))
    return tanh(self.out(x))


def _unchained(self, x):
    h = x
    for layer in self.layers:
        h = tanh(layer(x))
    return self.out(h)


def _tanh_once(self, x):
    for layer in self.layers:
        x = layer(x)
    return self.out(tanh(x))


def _relu_chain(layers, x):
    for layer in layers:
        x = layer(x).relu()
    return x


def _no_tanh(self, x):
    for layer in self.layers:
        x = layer(x)
    return self.out(x)


exercise(
    "3.3",
    task="keep Deep's hidden layers in an nn.ModuleList called layers, so they are registered",
    hints=[
        "A Python list assigned to self.layers is an ordinary attribute: Module.__setattr__ registers Parameters and Modules only, and a list is neither. A container that is itself a Module registers its items as children '0', '1', ...",
        "Wrap the list: self.layers = nn.ModuleList([...]). It iterates like a list, so the loop in forward does not change: x = torch.tanh(layer(x)) for each layer, then self.out(x).",
        "self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)]); self.out = nn.Linear(width, n_out); forward: `for layer in self.layers: x = torch.tanh(layer(x))`, then `return self.out(x)`.",
    ],
    reference=FixedDeep,
    cases=_cases_33,
    call=lambda cls, w, d, o, x: _run_deep(cls, w, d, o, x),
    mistakes={
        "you applied tanh after the output layer too: the output stays linear (tanh after each "
        "hidden layer only)": _deep_variant(_tanh_out),
        "every hidden layer received the original x: write x = torch.tanh(layer(x)) in the loop, "
        "so that each layer takes the previous one's output": _deep_variant(_unchained),
        "tanh was applied once, after all the hidden layers; apply it after each hidden layer": (
            _deep_variant(_tanh_once)
        ),
        "you left out the tanh after each hidden layer": _deep_variant(_no_tanh),
        "you used relu after the hidden layers; Deep uses torch.tanh": _deep_variant(
            lambda self, x: self.out(_relu_chain(self.layers, x))
        ),
        "your forward skipped the hidden layers: only self.out was applied": (
            _deep_variant(lambda self, x: self.out(x))
        ),
    },
    done="hidden layers registered as layers.0 ... in a ModuleList, out last, and the same "
    "forward as Deep, for depths 1 to 3",
)


class Inner(Module):
    def __init__(self) -> None:
        super().__init__()
        self.lin = Linear(96, 32)
        self.norm = LayerNorm(32)

    def forward(self, x: Tensor) -> Tensor:
        return self.norm(self.lin(x))


class _Projection(Linear):
    """A subclass of Linear: it is a Linear (isinstance), though type(m) is not Linear."""


def _init_model() -> Module:
    """Linear layers at depths 1, 2 and 3, beside a LayerNorm and an Embedding."""
    model = Sequential(
        OrderedDict(
            [
                ("embed", Embedding(10, 96)),
                ("block", Inner()),
                ("deep", Sequential(Linear(32, 32))),
                ("head", _Projection(32, 5)),
                ("norm", LayerNorm(5)),
            ]
        )
    )
    for module in model.modules():
        if isinstance(module, LayerNorm):  # not the defaults, so that a reset shows
            init.constant_(module.weight, 2.0)
            init.constant_(module.bias, 0.5)
    return model


def init_linears_reference(model: Module) -> Module:
    """The course's answer to exercise 3.4: xavier_uniform_ weights, zero biases, Linear only."""

    def init_linear(m: Module) -> None:
        if isinstance(m, Linear):
            init.xavier_uniform_(m.weight)
            if m.bias is not None:
                init.zeros_(m.bias)

    return model.apply(init_linear)


def _run_init(fn, model):
    """Run init_linears(model) and name what it got wrong; the summary is compared after."""
    before = {name: (p, _values(p).copy()) for name, p in model.named_parameters()}
    with _seeded(5):
        try:
            returned = fn(model)
        except Exception as m:
            detail = f"{type(m).__name__}: {m}"
            if "fewer than 2 dimensions" in str(m):
                raise Mistake(
                    "your function called a xavier initialiser on a 1-D weight (LayerNorm's): "
                    "fan_in and fan_out need at least 2 dims. Act only when "
                    f"isinstance(m, nn.Linear). ({detail})"
                ) from None
            if "as parameter" in str(m):
                raise Mistake(
                    "you assigned a new tensor to a parameter (m.bias = ...): a registered "
                    "parameter accepts only a Parameter. Change its values in place instead, "
                    f"with nn.init.zeros_(m.bias). ({detail})"
                ) from None
            raise
    after = dict(model.named_parameters())
    for name, (param, _) in before.items():
        if after.get(name) is not param:
            raise Mistake(
                f"you replaced {name} with a new Parameter: an optimizer built earlier would "
                "keep updating the old one. Initialise in place (nn.init.xavier_uniform_, "
                "nn.init.zeros_) so the object stays the same"
            )
    modules = dict(model.named_modules())
    linears = [name for name, m in modules.items() if isinstance(m, Linear)]
    changed = {name: not np.array_equal(_values(p), old) for name, (p, old) in before.items()}
    for name, module in modules.items():
        if isinstance(module, Linear):
            continue
        for pname, _ in module.named_parameters(recurse=False):
            if changed[f"{name}.{pname}"]:
                raise Mistake(
                    f"your function changed {name}.{pname}, the {pname} of an "
                    f"nn.{type(module).__name__}: only Linear layers should change; test "
                    "isinstance(m, nn.Linear) before initialising"
                )
    touched = [n for n in linears if changed[f"{n}.weight"] or changed[f"{n}.bias"]]
    if not touched:
        raise Mistake(
            "your function changed nothing: an op such as m.weight * 0 or torch.zeros_like "
            "makes a new tensor and leaves the parameter as it was; the nn.init functions whose "
            "names end in '_' (xavier_uniform_, zeros_) change it in place"
        )
    missed = [n for n in linears if n not in touched]
    if missed and all(type(modules[n]) is not Linear for n in missed):
        raise Mistake(
            f"{missed[0]} is a subclass of nn.Linear and was not initialised: type(m) == "
            "nn.Linear is False for a subclass; test isinstance(m, nn.Linear)"
        )
    if missed:
        raise Mistake(
            f"the Linear layers {missed} were not initialised, while {touched} were: you only "
            "visited the model's direct children; model.apply(fn) reaches every depth"
        )
    for name in linears:
        if not changed[f"{name}.weight"]:
            raise Mistake(
                f"{name}.weight was left as it was: initialise it with "
                "nn.init.xavier_uniform_(m.weight)"
            )
        bias = _values(after[f"{name}.bias"])
        if not changed[f"{name}.bias"]:
            raise Mistake(
                f"{name}.bias was left as it was (the default init); zero it in place with "
                "nn.init.zeros_(m.bias)"
            )
        if np.any(bias != 0):
            raise Mistake(
                f"{name}.bias should be zero everywhere, but its largest value is "
                f"{np.abs(bias).max():.4g}: use nn.init.zeros_(m.bias)"
            )
    for name in linears:
        w = _values(after[f"{name}.weight"])
        fan_out, fan_in = w.shape
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        if np.abs(w).max() > bound * (1 + 1e-6):
            if name != "block.lin":  # the big layer gives the statistics below
                w = _values(after["block.lin.weight"])
                fan_out, fan_in = w.shape
                bound = math.sqrt(6.0 / (fan_in + fan_out))
            peak, std = np.abs(w).max(), w.std()
            if peak / std > 2.2:  # a uniform sample has peak/std close to sqrt(3) = 1.73
                raise Mistake(
                    f"{name}.weight has values beyond the xavier_uniform bound "
                    f"sqrt(6 / (fan_in + fan_out)): the weights are normally distributed. "
                    "Did you use xavier_normal_? The task asks for xavier_uniform_"
                )
            kaiming = math.sqrt(6.0 / fan_in)
            if abs(peak / kaiming - 1) < 0.03:
                raise Mistake(
                    f"{name}.weight is uniform up to sqrt(6 / fan_in) = {kaiming:.4f}: that is "
                    "kaiming_uniform_, which uses fan_in only; xavier_uniform_ averages fan_in "
                    f"and fan_out (bound {bound:.4f} here)"
                )
            if abs(peak / bound - math.sqrt(2)) < 0.04:
                raise Mistake(
                    f"{name}.weight is uniform up to {peak:.4f}, sqrt(2) times the xavier "
                    f"bound {bound:.4f}: you passed gain=sqrt(2); the task asks for the default "
                    "gain, 1"
                )
            raise Mistake(
                f"{name}.weight reaches {peak:.4f}, beyond the xavier_uniform bound {bound:.4f}"
            )
    w = _values(after["block.lin.weight"])
    bound = math.sqrt(6.0 / sum(w.shape))
    if abs(w.std() / (bound / math.sqrt(3)) - 1) > 0.05:
        raise Mistake(
            f"block.lin.weight has std {w.std():.4f}, but xavier_uniform_ gives "
            f"{bound / math.sqrt(3):.4f} for a (32, 96) weight: did you use a smaller gain, or "
            "another initialiser?"
        )
    if returned is not model:
        raise Mistake(
            f"your function returned {'None: did you forget `return`?' if returned is None else type(returned).__name__}"
            " It should return the model (model.apply(fn) returns it)"
        )
    return "every Linear re-initialised in place, xavier bound and std right, biases zero"


def _cases_34():
    return [
        (
            "the model of the notebook (Linear at depths 1, 2 and 3, a LayerNorm, an Embedding)",
            (_init_model(),),
        )
    ]


exercise(
    "3.4",
    task="with model.apply and nn.init, give every Linear xavier_uniform_ weights and zero biases",
    hints=[
        "model.apply(fn) calls fn on every module at every depth. Inside fn, act only when isinstance(m, nn.Linear): LayerNorm and Embedding have a weight too.",
        "The nn.init functions ending in an underscore change the tensor in place and keep the same Parameter object (which is what an optimizer holds): nn.init.xavier_uniform_ for the weight, nn.init.zeros_ for the bias.",
        "Define fn(m) as `if isinstance(m, nn.Linear): nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)` (on separate lines), then `return model.apply(fn)`.",
    ],
    reference=init_linears_reference,
    cases=_cases_34,
    call=_run_init,
    untouched=False,  # the task is to change the model's parameters in place
    done="all 4 Linear layers (depths 1 to 3) re-initialised in place, xavier bound and std "
    "right, biases zero, LayerNorm and Embedding untouched",
)

_FLATTEN_CALLS = [
    "nn.Flatten()(x)",
    "torch.flatten(x)",
    "nn.Flatten(1, 2)(x)",
    "torch.flatten(x, 1)",
]
_WHY_35 = [
    {
        (120,): "nn.Flatten() keeps dim 0 (the batch): its default start_dim is 1",
        (2, 12, 5): "nn.Flatten()'s default end_dim is -1: it merges every dim from 1 to the last",
    },
    {
        (2, 60): "torch.flatten's default start_dim is 0, not 1: it merges every dim (unlike "
        "nn.Flatten, whose default keeps the batch)"
    },
    {
        (2, 60): "Flatten(1, 2) merges only dims 1 and 2; the last dim (size 5) is kept",
        (6, 4, 5): "dims count from 0: dims 1 and 2 are the sizes 3 and 4, not 2 and 3",
        (2, 3, 20): "dims count from 0: dims 1 and 2 are the sizes 3 and 4, not 4 and 5",
    },
    {(120,): "the second argument of torch.flatten is start_dim: torch.flatten(x, 1) keeps dim 0"},
]


def _flatten_shapes():
    from .. import flatten

    x = zeros(2, 3, 4, 5)
    return [tuple(out.shape) for out in [Flatten()(x), flatten(x), Flatten(1, 2)(x), flatten(x, 1)]]


def _explain_35(got, truth):
    for call, why, g, t in zip(_FLATTEN_CALLS, _WHY_35, got, truth, strict=True):
        if g != t:
            if g in why:
                return f"{call}: {why[g]}"
            if math.prod(g) != 120:
                return (
                    f"{call}: a flatten never changes the number of elements, 2*3*4*5 = 120, but "
                    f"your shape {g} holds {math.prod(g)}"
                )
            return f"{call}: {g} is not what it gives"
    return None


exercise(
    "3.5",
    task="return the four shapes that the four flatten calls give for x of shape (2, 3, 4, 5)",
    hints=[
        "nn.Flatten and torch.flatten do the same reshaping but have different defaults: nn.Flatten(start_dim=1, end_dim=-1), torch.flatten(input, start_dim=0, end_dim=-1). Dims start_dim to end_dim (both included) merge into one, of their product's size.",
        "nn.Flatten keeps the batch dim 0; torch.flatten merges everything by default. Flatten(1, 2) merges only dims 1 and 2 (sizes 3 and 4) and leaves dim 3 alone; torch.flatten(x, 1) takes 1 as start_dim.",
        "[(2, 60), (120,), (2, 12, 5), (2, 60)]",
    ],
    reference=_flatten_shapes,
    form=Seq((Shape(), 4)),
    explain=_explain_35,
    done="the four shapes, from the defaults start_dim=1 (nn.Flatten) and 0 (torch.flatten)",
)
