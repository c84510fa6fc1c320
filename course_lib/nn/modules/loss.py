"""Losses: `MSELoss`, `CrossEntropyLoss` and `NLLLoss` (torch/nn/modules/loss.py).

A loss module only stores its options; `forward(input, target)` calls the function of the same
name in `functional`. An invalid `reduction` is therefore reported when the loss is called, not
when it is built (as in torch).
"""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .module import Module


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = F._legacy_reduction(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(
        self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean"
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)  # a buffer: saved in state_dict, never trained


class MSELoss(_Loss):
    """mean((x − y)²) over all elements (torch.nn.MSELoss); 'sum' and 'none' as in `mse_loss`.

    >>> MSELoss()(tensor([1.0, 2.0]), tensor([0.0, 0.0]))
    tensor(2.5000)
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy from logits (torch.nn.CrossEntropyLoss); see `functional.cross_entropy`.

    An int64 target of class indices gives −log softmax(x)[y] (a weighted mean over samples
    that are not ignored); a float target of the input's shape is read as class probabilities
    (−Σ t·log softmax(x), divided by N, never normalised or checked).

    Args:
        weight: (C,) per-class weights (stored as a buffer), or None.
        ignore_index: index targets equal to it are skipped.
        reduction: 'mean' | 'sum' | 'none'.
        label_smoothing: ε in [0, 1]: the target becomes (1 − ε)·target + ε/C.

    >>> CrossEntropyLoss()(tensor([[2.0, 0.0]]), tensor([0]))
    tensor(0.1269)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    """−w[y] · input[y] from log-probabilities (torch.nn.NLLLoss); see `functional.nll_loss`.

    `CrossEntropyLoss()(x, y)` is `NLLLoss()(log_softmax(x, 1), y)`.

    >>> NLLLoss()(tensor([[-0.1, -2.3]]), tensor([0]))
    tensor(0.1000)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(
            input, target, weight=self.weight, ignore_index=self.ignore_index,
            reduction=self.reduction,
        )  # fmt: skip
