"""`LayerNorm` (torch/nn/modules/normalization.py)."""

from __future__ import annotations

import numbers

from ..._dtypes import dtype as _dtype
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .linear import _empty
from .module import Module


class LayerNorm(Module):
    """(x − mean) / sqrt(var + eps) · weight + bias over the last dims (torch.nn.LayerNorm).

    Each sample is normalised on its own, over its last len(normalized_shape) dims, with the
    biased variance; there are no running statistics and no train/eval difference.

    Args:
        normalized_shape: the trailing shape to normalise over: an int (→ a 1-tuple) or a
            list/tuple of ints.
        eps: added to the variance, inside the square root.
        elementwise_affine: learn `weight` (init 1) and `bias` (init 0) of shape normalized_shape.
        bias: if False, learn only `weight`.
        dtype: the parameters' dtype (default float32).

    Shape: (*, *normalized_shape) → the same shape.

    >>> LayerNorm(4)
    LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
    """

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...] | list[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device=None,
        dtype: _dtype | None = None,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if self.elementwise_affine:
            self.weight = Parameter(_empty(self.normalized_shape, device, dtype))
            if bias:
                self.bias = Parameter(_empty(self.normalized_shape, device, dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """weight = 1 and bias = 0: the layer starts as a plain normalisation."""
        if self.elementwise_affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )
