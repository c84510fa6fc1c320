"""Activation layers: ReLU, Sigmoid, Tanh, Softmax, LogSoftmax (torch/nn/modules/activation.py).

None of them has parameters; each calls the function of the same name.
"""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module


class ReLU(Module):
    """max(x, 0), elementwise (torch.nn.ReLU). `inplace=True` overwrites the input.

    >>> ReLU()(tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ), elementwise (torch.nn.Sigmoid). Its slope is at most 1/4, at x = 0."""

    def __init__(self) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        F._check_tensor(input, "sigmoid", "input", 1)
        return input.sigmoid()


class Tanh(Module):
    """tanh(x) = 2σ(2x) − 1, elementwise (torch.nn.Tanh). Its slope 1 − tanh² is at most 1, at 0."""

    def __init__(self) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        F._check_tensor(input, "tanh", "input", 1)
        return input.tanh()


class Softmax(Module):
    """exp(x) / Σ exp(x) along `dim` (torch.nn.Softmax); see `functional.softmax`.

    `dim=None` (the default) falls back to torch's deprecated implicit rule with a warning:
    always pass `dim`, usually -1 (the class dim of (N, C) logits is 1, i.e. -1).
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """x − logsumexp(x) along `dim` (torch.nn.LogSoftmax); see `functional.log_softmax`."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
