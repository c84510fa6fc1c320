"""`Flatten` (torch/nn/modules/flatten.py)."""

from __future__ import annotations

from ...tensor import Tensor
from .module import Module


class Flatten(Module):
    """Merge dims start_dim..end_dim into one (torch.nn.Flatten); row-major, like reshape.

    The defaults keep the batch dim: (N, C, H, W) → (N, C·H·W). (`torch.flatten`'s default
    start_dim is 0, which flattens everything.)

    >>> Flatten()(zeros(2, 3, 4, 5)).shape
    torch.Size([2, 60])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
