"""Losses: `MSELoss`, `CrossEntropyLoss`, `NLLLoss`, `L1Loss`, `BCELoss`, `BCEWithLogitsLoss`,
`SmoothL1Loss` and `HuberLoss` (torch/nn/modules/loss.py).

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


class L1Loss(_Loss):
    """mean(|x − y|) over all elements (torch.nn.L1Loss); see `functional.l1_loss`.

    >>> L1Loss()(tensor([1.0, -2.0]), tensor([0.0, 0.0]))
    tensor(1.5000)
    """

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy from probabilities (torch.nn.BCELoss); see
    `functional.binary_cross_entropy`. Each log is clamped at −100.

    Args:
        weight: multiplies each element's loss (broadcast to the target; a buffer), or None.
        reduction: 'mean' | 'sum' | 'none'.

    >>> BCELoss()(tensor([0.8, 0.4]), tensor([1.0, 0.0]))
    tensor(0.3670)
    """

    def __init__(
        self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean"
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy from logits, stable for any logit (torch.nn.BCEWithLogitsLoss);
    see `functional.binary_cross_entropy_with_logits`.

    Args:
        weight: multiplies each element's loss (a buffer), or None.
        reduction: 'mean' | 'sum' | 'none'.
        pos_weight: the weight of positive examples, e.g. (C,) for C labels (a buffer), or None.

    >>> BCEWithLogitsLoss()(tensor([2.0, -1.0]), tensor([1.0, 0.0]))
    tensor(0.2201)
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average=None,
        reduce=None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class SmoothL1Loss(_Loss):
    """½(x − y)²/β inside |x − y| < β, |x − y| − ½β outside (torch.nn.SmoothL1Loss).

    >>> SmoothL1Loss()(tensor([0.5, 3.0]), tensor([0.0, 0.0]))
    tensor(1.3125)
    """

    def __init__(
        self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """½(x − y)² inside |x − y| < δ, δ(|x − y| − ½δ) outside (torch.nn.HuberLoss).

    >>> HuberLoss(delta=2.0)(tensor([0.5, 3.0]), tensor([0.0, 0.0]))
    tensor(2.0625)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        if not isinstance(delta, (float, int)):
            raise TypeError(f"delta must be a float or int, got: {type(delta)}")
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)
