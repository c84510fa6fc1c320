"""`Linear` (y = x Wᵀ + b) and `Identity` (torch/nn/modules/linear.py)."""

from __future__ import annotations

import math

from ... import creation
from ..._dtypes import dtype as _dtype
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


def _empty(size: tuple, device, dtype: _dtype | None) -> Tensor:
    """torch.empty(size, device=..., dtype=...) with torch's messages for a bad size."""
    if device is not None and str(device) != "cpu":
        raise RuntimeError(f"course_lib runs on the CPU only; cannot create a tensor on {device}")
    return creation.empty(F._check_int_tuple(size, "empty", "size", 1), dtype=dtype)


class Identity(Module):
    """Returns its input unchanged (torch.nn.Identity); any constructor arguments are ignored.

    Handy as a placeholder, e.g. to switch a layer off without changing the model's structure.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """y = x Wᵀ + b, applied to the last dim of the input (torch.nn.Linear).

    Args:
        in_features: size of each input sample (the last dim of x).
        out_features: size of each output sample.
        bias: if False, the layer has no bias (`self.bias` is None).
        dtype: the parameters' dtype (default float32).

    Shape: (*, in_features) → (*, out_features), for any number of leading dims.

    Attributes:
        weight: (out_features, in_features), initialised U(−1/sqrt(in), 1/sqrt(in)).
        bias: (out_features,), initialised U(−1/sqrt(in), 1/sqrt(in)).

    The initialisation is kaiming_uniform_(a=sqrt(5)): gain sqrt(2/(1+5)) = 1/sqrt(3), bound
    sqrt(3)·gain/sqrt(in) = 1/sqrt(in). It is uniform, not N(0, 1).

    >>> Linear(3, 4)
    Linear(in_features=3, out_features=4, bias=True)
    >>> Linear(3, 4)(ones(2, 5, 3)).shape
    torch.Size([2, 5, 4])
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device=None,
        dtype: _dtype | None = None,
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(_empty((out_features, in_features), device, dtype))
        if bias:
            self.bias = Parameter(_empty((out_features,), device, dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """W ~ U(−1/sqrt(in), 1/sqrt(in)), drawn first; then b from the same range."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
