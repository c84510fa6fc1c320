"""Exercise cases for notebook 03: a correct answer and diagnosed wrong answers per exercise."""

import course_lib as torch
from course_lib import nn

# -- 3.1: MultiHead ----------------------------------------------------------------------------


def _multi_head(name=lambda i: f"attention_{i}", dim=-1, combine="cat", shared=False):
    class MultiHead(nn.Module):
        def __init__(self, in_features, head_features, n_heads):
            super().__init__()
            self.n_heads = n_heads
            head = nn.Linear(in_features, head_features)
            for i in range(n_heads):
                self.add_module(name(i), head if shared else nn.Linear(in_features, head_features))

        def forward(self, x):
            outs = [module(x) for module in self._modules.values()]
            if combine == "stack":
                return torch.stack(outs, dim=dim)
            if combine == "sum":
                return sum(outs[1:], outs[0])
            return torch.cat(outs, dim=dim)

    return MultiHead


class ListHeads(nn.Module):
    """The heads kept in a plain list: nothing registered."""

    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.heads = [nn.Linear(in_features, head_features) for _ in range(n_heads)]

    def forward(self, x):
        return torch.cat([head(x) for head in self.heads], dim=-1)


class GatStyleHeads(nn.Module):
    """The pyGAT pattern: a plain list for iterating AND add_module for each head (correct)."""

    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.attentions = [nn.Linear(in_features, head_features) for _ in range(n_heads)]
        for i, attention in enumerate(self.attentions):
            self.add_module(f"attention_{i}", attention)

    def forward(self, x):
        return torch.cat([att(x) for att in self.attentions], dim=-1)


class TransposedHeads(nn.Module):
    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        for i in range(n_heads):
            self.add_module(f"attention_{i}", nn.Linear(head_features, in_features))

    def forward(self, x):
        return x


# -- 3.2: apply order --------------------------------------------------------------------------

APPLY_ORDER = ["Linear", "LayerNorm", "Block", "Tanh", "Linear", "Sequential"]

# -- 3.3: FixedDeep ----------------------------------------------------------------------------


def _deep(container="ModuleList", loop="right", repeat=False, name="layers"):
    class FixedDeep(nn.Module):
        def __init__(self, width, depth, n_out):
            super().__init__()
            if repeat:
                layers = [nn.Linear(width, width)] * depth
            else:
                layers = [nn.Linear(width, width) for _ in range(depth)]
            wrapped = {
                "list": layers,
                "ModuleList": nn.ModuleList(layers),
                "Sequential": nn.Sequential(*layers),
            }[container]
            setattr(self, name, wrapped)
            self.out = nn.Linear(width, n_out)

        def forward(self, x):
            layers = getattr(self, name)
            if loop == "sequential call":  # tanh once, after the whole Sequential
                return self.out(torch.tanh(layers(x)))
            if loop == "no reassign":
                h = x
                for layer in layers:
                    h = torch.tanh(layer(x))
                return self.out(h)
            for layer in layers:
                x = layer(x) if loop == "no tanh" else torch.tanh(layer(x))
            y = self.out(x)
            return torch.tanh(y) if loop == "tanh out" else y

    return FixedDeep


# -- 3.4: init_linears -------------------------------------------------------------------------


def _init_with(weight_init, bias=True, only_linear=True, children_only=False):
    def init_linears(model):
        def fn(m):
            if only_linear and not isinstance(m, nn.Linear):
                return
            if hasattr(m, "weight") and m.weight.dim() == 2:
                weight_init(m.weight)
            if bias and getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)

        if children_only:
            for child in model.children():
                fn(child)
            return model
        return model.apply(fn)

    return init_linears


def _init_replacing(model):
    for m in model.modules():
        if isinstance(m, nn.Linear):
            m.weight = nn.Parameter(nn.init.xavier_uniform_(torch.empty(m.weight.shape)))
            nn.init.zeros_(m.bias)
    return model


def _init_assigning_tensor(model):
    def fn(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            m.bias = torch.zeros_like(m.bias)

    return model.apply(fn)


def _init_not_in_place(model):
    def fn(m):
        if isinstance(m, nn.Linear):
            w = m.weight.detach().clone()
            nn.init.xavier_uniform_(w)  # initialises a copy: the parameter is untouched
            _ = m.bias * 0

    return model.apply(fn)


def _init_every_weight(model):
    def fn(m):
        if hasattr(m, "weight"):
            nn.init.xavier_uniform_(m.weight)

    return model.apply(fn)


CASES = {
    "3.1": (
        _multi_head(),
        [
            (ListHeads, "registered no child modules"),
            (_multi_head(name=lambda i: f"head_{i}"), "registered its children as ['head_0'"),
            (_multi_head(name=lambda i: f"attention_{i + 1}"), "number the heads from 0"),
            (_multi_head(dim=0), "you concatenated along dim 0"),
            (_multi_head(dim=1), "your output has shape (2, 15, 2), but it should be (2, 5, 6)"),
            (_multi_head(combine="stack"), "your output has shape (2, 3, 2)"),
            (_multi_head(combine="sum"), "you added the heads' outputs"),
            (_multi_head(shared=True), "the same Linear object under every name"),
            (TransposedHeads, "should be nn.Linear(4, 3)"),
        ],
    ),
    "3.2": (
        lambda: list(APPLY_ORDER),
        [
            (
                lambda: ["Sequential", "Block", "Linear", "LayerNorm", "Tanh", "Linear"],
                "that is pre-order",
            ),
            (lambda: ["Linear", "LayerNorm", "Tanh", "Linear"], "you listed only the leaves"),
            (lambda: APPLY_ORDER[:-1], "on the model itself (the Sequential), last of all"),
            (lambda: ["Sequential", *APPLY_ORDER[:-1]], "the model itself comes last"),
            (lambda: ["Block", "Tanh", "Linear", "Sequential"], "apply recurses"),
            (lambda: APPLY_ORDER[::-1], "you reversed the whole order"),
            (
                lambda: ["Linear", "Block", "LayerNorm", "Tanh", "Linear", "Sequential"],
                "the right modules in the wrong order",
            ),
            (lambda: "Linear, LayerNorm", "you predicted 2 calls"),
        ],
    ),
    "3.3": (
        _deep(),
        [
            (_deep(container="list"), "self.layers is still a plain Python list"),
            (_deep(repeat=True), "the same Linear object several times"),
            (_deep(name="hidden"), "keep the hidden layers in an nn.ModuleList called `layers`"),
            (_deep(container="Sequential", loop="sequential call"), "tanh was applied once"),
            (_deep(loop="no reassign"), "every hidden layer received the original x"),
            (_deep(loop="no tanh"), "you left out the tanh after each hidden layer"),
            (_deep(loop="tanh out"), "after the output layer too"),
        ],
    ),
    "3.4": (
        _init_with(nn.init.xavier_uniform_),
        [
            (_init_with(nn.init.xavier_uniform_, children_only=True), "only visited the model's"),
            (
                _init_with(nn.init.xavier_uniform_, only_linear=False),
                "the weight of an nn.Embedding",
            ),
            (_init_every_weight, "called a xavier initialiser on a 1-D weight"),
            (_init_not_in_place, "your function changed nothing"),
            (_init_replacing, "you replaced block.lin.weight with a new Parameter"),
            (_init_assigning_tensor, "you assigned a new tensor to a parameter"),
            (_init_with(nn.init.xavier_uniform_, bias=False), "bias was left as it was"),
            (_init_with(nn.init.xavier_normal_), "Did you use xavier_normal_?"),
            (_init_with(nn.init.kaiming_uniform_), "that is kaiming_uniform_"),
            (
                _init_with(lambda w: nn.init.xavier_uniform_(w, gain=2**0.5)),
                "you passed gain=sqrt(2)",
            ),
            (_init_with(lambda w: nn.init.xavier_uniform_(w, gain=0.5)), "a smaller gain"),
        ],
    ),
    "3.5": (
        lambda: [(2, 60), (120,), (2, 12, 5), (2, 60)],
        [
            (lambda: [(120,), (120,), (2, 12, 5), (2, 60)], "nn.Flatten() keeps dim 0"),
            (lambda: [(2, 60), (2, 60), (2, 12, 5), (2, 60)], "default start_dim is 0, not 1"),
            (lambda: [(2, 60), (120,), (2, 60), (2, 60)], "merges only dims 1 and 2"),
            (lambda: [(2, 60), (120,), (2, 3, 20), (2, 60)], "dims count from 0"),
            (lambda: [(2, 60), (120,), (2, 12, 5), (120,)], "the second argument of"),
            (lambda: [(2, 60), (120,), (2, 12), (2, 60)], "never changes the number of elements"),
            (lambda: [(2, 60), (120,)], "write a list of 4 values"),
        ],
    ),
}


class _MultiHeadSetattr(nn.Module):
    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.n_heads = n_heads
        for i in range(n_heads):
            setattr(self, f"attention_{i}", nn.Linear(in_features, head_features))

    def forward(self, x):
        outs = [self.get_submodule(f"attention_{i}")(x) for i in range(self.n_heads)]
        return torch.cat(outs, -1)


class _DeepSequentialLayers(nn.Module):
    def __init__(self, width, depth, n_out):
        super().__init__()
        self.layers = nn.ModuleList()
        for _ in range(depth):
            self.layers.append(nn.Linear(width, width))
        self.out = nn.Linear(width, n_out)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x).tanh()
        return self.out(x)


def _init_with_modules(model):
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight, gain=1.0)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


ALTERNATIVES = {
    "3.1": [_MultiHeadSetattr],
    "3.3": [_DeepSequentialLayers],
    "3.4": [_init_with_modules],
}
