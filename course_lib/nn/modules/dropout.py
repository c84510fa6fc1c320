"""Dropout (torch/nn/modules/dropout.py): zero random elements while training, nothing in eval.

>>> Dropout(0.1)
Dropout(p=0.1, inplace=False)
"""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module


class Dropout(Module):
    """Zero each element with probability p and scale the others by 1/(1 − p) (torch.nn.Dropout).

    Only in training mode: after `model.eval()` it returns its input unchanged, so the
    expected activation is the same in both modes. The mask is torch's, element for element,
    after the same `manual_seed`; see `functional.dropout`.

    Args:
        p: the probability of zeroing an element, in [0, 1] (ValueError otherwise).
        inplace: multiply the input in place.

    >>> _ = manual_seed(0)
    >>> drop = Dropout(0.5)
    >>> drop(ones(6))
    tensor([0., 0., 2., 0., 0., 0.])
    >>> drop.eval()(ones(6))
    tensor([1., 1., 1., 1., 1., 1.])
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
