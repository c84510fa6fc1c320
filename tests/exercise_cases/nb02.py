"""Exercise cases for notebook 02: a correct answer and diagnosed wrong answers per exercise."""

import math

import course_lib as torch
from course_lib import nn

# -- 2.3: the names Encoder().named_parameters() yields ----------------------------------------

RIGHT_NAMES = ["gain", "embed.weight", "embed.bias", "head.weight"]


def _names(names):
    return lambda: names


# -- 2.2: Scale and its realistic mistakes ---------------------------------------------------


class Scale(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(num_features))

    def forward(self, x):
        return x * self.scale


class PlainTensorScale(Scale):
    def __init__(self, num_features):
        nn.Module.__init__(self)
        self.scale = torch.ones(num_features, requires_grad=True)  # not registered


class NoGradScale(Scale):
    def __init__(self, num_features):
        nn.Module.__init__(self)
        self.scale = nn.Parameter(torch.ones(num_features), requires_grad=False)


class OneNumberScale(Scale):
    def __init__(self, num_features):
        nn.Module.__init__(self)
        self.scale = nn.Parameter(torch.ones(1))


class ColumnScale(Scale):
    def __init__(self, num_features):
        nn.Module.__init__(self)
        self.scale = nn.Parameter(torch.ones(num_features, 1))


class RandomScale(Scale):
    def __init__(self, num_features):
        nn.Module.__init__(self)
        self.scale = nn.Parameter(torch.randn(num_features))


class BufferScale(Scale):
    def __init__(self, num_features):
        nn.Module.__init__(self)
        self.register_buffer("scale", torch.ones(num_features))


class RowScale(Scale):
    def forward(self, x):
        return x * self.scale[:, None]  # scales dim 0 (crashes on non-square 2-D inputs)


class DataScale(Scale):
    def forward(self, x):
        return x * self.scale.data  # autograd never sees the parameter


class AddScale(Scale):
    def forward(self, x):
        return x + self.scale


class IgnoresScale(Scale):
    def forward(self, x):
        return x


class MatmulScale(Scale):
    def forward(self, x):
        return x @ self.scale


class UnsqueezeScale(Scale):
    def forward(self, x):
        return x * self.scale.unsqueeze(0)  # (1, n): adds a dim to a 1-D input


class NotAModule:
    def __init__(self, num_features):
        self.scale = nn.Parameter(torch.ones(num_features))


# -- 2.4: count_parameters ---------------------------------------------------------------------


def _per_module(model):
    return sum(p.numel() for m in model.modules() for p in m._parameters.values() if p is not None)


CASES = {
    "2.3": (
        _names(RIGHT_NAMES),
        [
            (_names(["gain", "mask", "embed.weight", "embed.bias", "head.weight"]), "'mask' is a plain tensor"),
            (_names([*RIGHT_NAMES, "steps"]), "'steps' is a buffer"),
            (_names(["embed.weight", "embed.bias", "gain", "head.weight"]), "own parameters (gain) always come before"),
            (_names([*RIGHT_NAMES, "head.bias"]), "bias=False"),
            (_names(["gain", "weight", "bias", "weight"]), "'weight' is not one of"),
            (_names(["embed.weight", "embed.bias", "head.weight"]), "'gain' is missing"),
            (_names(["gain"]), "recurses into the children"),
            (_names(["gain", "embed.bias", "embed.weight", "head.weight"]), "right names, wrong order"),
            (lambda: "gain, embed.weight", "'embed.bias' is missing"),
        ],
    ),
    "2.2": (
        Scale,
        [
            (PlainTensorScale, "plain tensor attribute"),
            (BufferScale, "registered the scale as a buffer"),
            (NoGradScale, "requires_grad=False"),
            (OneNumberScale, "has shape (1,), but it should be (4,)"),
            (ColumnScale, "you scaled along dim 0"),
            (RandomScale, "not at ones"),
            (RowScale, "you scaled along dim 0"),
            (DataScale, "your output does not require grad"),
            (AddScale, "you added the scale"),
            (IgnoresScale, "your output does not require grad"),
            (MatmulScale, "your output has shape (2,), but it should be (2, 4)"),
            (UnsqueezeScale, "(the right values in the wrong shape)"),
            (NotAModule, "should be an nn.Module"),
        ],
    ),
    "2.4": (
        lambda model: sum(p.numel() for p in model.parameters()),
        [
            (lambda model: len(list(model.parameters())), "counted parameter tensors"),
            (lambda model: sum(v.numel() for v in model.state_dict().values()), "included the buffers"),
            (
                lambda model: sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers()),
                "included the buffers",
            ),
            (
                lambda model: sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False)),
                "counted a shared parameter twice",
            ),
            (_per_module, "counted a shared parameter twice"),
            (lambda model: sum(p.sum().item() for p in model.parameters()), "added up the parameters' values"),
            (lambda model: sum(len(p) for p in model.parameters()), "first dim"),
            (lambda model: sum(p.numel() for p in model.parameters(recurse=False)), "own parameters"),
            (lambda model: [p.numel() for p in model.parameters()], "return a number (you returned list)"),
        ],
    ),
    "2.1": (
        lambda: [2.0, 8.0, -4.0],
        [
            (lambda: [1.5, 6.0, -3.0], "expected .grad to be overwritten"),
            (lambda: [0.5, 2.0, -1.0], "after the first backward() only"),
            (lambda: [1.0, 4.0, -2.0], "added the first gradient twice"),
            (lambda: [4.0, -8.0, 12.0], "with respect to w is x, not w"),
            (lambda: [1.0, -2.0, 3.0], "that is w itself"),
            (lambda: None, "write a list of 3 values"),
            (lambda: [0.0, 0.0, 0.0], "nothing resets .grad"),
            (lambda: [2.0, 8.0], "write a list of 3 values"),
            (lambda: torch.tensor([1.5, 6.0, -3.0]), "expected .grad to be overwritten"),
            (lambda: [2.0, 8.0, 4.0], "value 3 of your list is wrong"),
        ],
    ),
}  # fmt: skip


class _ScaleNamedWeight(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.weight = nn.Parameter(torch.full((num_features,), 1.0))

    def forward(self, x):
        return self.weight * x


class _ScaleRegistered(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.register_parameter("gamma", nn.Parameter(torch.ones(num_features)))

    def forward(self, x):
        return x.mul(self.gamma)


ALTERNATIVES = {
    "2.2": [_ScaleNamedWeight, _ScaleRegistered],
    "2.4": [
        lambda model: sum(p.numel() for p in model.parameters()),
        lambda model: sum(math.prod(p.shape) for p in model.parameters()),
    ],
}
