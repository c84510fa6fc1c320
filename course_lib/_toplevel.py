"""Names torch has at the top level for ops course_lib keeps elsewhere (nn.functional, Tensor
methods): `torch.dropout(input, p, train)` is the kernel `F.dropout` calls, with the kernel's own
signature (positional `train`, an int `reduction`, `weight` before `indices`), argument checks
and messages.
"""

from __future__ import annotations

from ._ops._overloads import overload, parse, signature
from .nn import functional as F
from .tensor import Tensor

_DROPOUT = signature("(Tensor input, float p, bool train)")
_INPUT = signature("(Tensor input)")
_BCE_LOGITS = signature(
    "(Tensor input, Tensor target, Tensor weight = None, Tensor pos_weight = None, "
    "int reduction = 0)"
)
_EMBEDDING = signature(
    "(Tensor weight, Tensor indices, int padding_idx = -1, bool scale_grad_by_freq = False, "
    "bool sparse = False)"
)
_LAYER_NORM = signature(
    "(Tensor input, int[] normalized_shape, Tensor weight = None, Tensor bias = None, "
    "float eps = 1e-05, bool cudnn_enable = True)"
)
_UNFLATTEN = signature("(Tensor input, int dim, int[] sizes)")
_CLAMP_ = (
    signature("(Tensor input, Tensor min = None, Tensor max = None)"),
    signature("(Tensor input, Number min = None, Number max = None)"),
)
_FILL_ = (signature("(Tensor input, Tensor value)"), signature("(Tensor input, Number value)"))


def _dropout(fn: str, args: tuple, kwargs: dict) -> Tensor:
    input, p, train = parse(_DROPOUT, args, kwargs, fn)
    if p < 0 or p > 1:  # the kernel says RuntimeError (F.dropout checks first: ValueError)
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p:g}")
    return F.dropout(input, p, train, inplace=fn == "dropout_")


def dropout(*args, **kwargs) -> Tensor:
    """torch.dropout(input, p, train): F.dropout(input, p, training=train), all three required.

    >>> dropout(ones(3), 0.5, False)
    tensor([1., 1., 1.])
    """
    return _dropout("dropout", args, kwargs)


def dropout_(*args, **kwargs) -> Tensor:
    """torch.dropout_(input, p, train): dropout written into input; returns input."""
    return _dropout("dropout_", args, kwargs)


def selu(*args, **kwargs) -> Tensor:
    """torch.selu(input): F.selu(input).

    >>> selu(tensor([-1.0, 1.0]))
    tensor([-1.1113,  1.0507])
    """
    (input,) = parse(_INPUT, args, kwargs, "selu")
    return F.selu(input)


def selu_(*args, **kwargs) -> Tensor:
    """torch.selu_(input): selu written into input; returns input."""
    (input,) = parse(_INPUT, args, kwargs, "selu_")
    return F.selu_(input)


def binary_cross_entropy_with_logits(*args, **kwargs) -> Tensor:
    """torch.binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None,
    reduction=0): the kernel of F.binary_cross_entropy_with_logits, whose `reduction` is an int:
    1 'mean', 2 'sum', anything else 'none' (the default: torch's binding gives 0).

    >>> binary_cross_entropy_with_logits(tensor([2.0, -1.0]), tensor([1.0, 0.0]), reduction=2)
    tensor(0.4402)
    """
    input, target, weight, pos_weight, reduction = parse(
        _BCE_LOGITS, args, kwargs, "binary_cross_entropy_with_logits"
    )
    reduction = {1: "mean", 2: "sum"}.get(reduction, "none")
    return F.binary_cross_entropy_with_logits(
        input, target, weight, reduction=reduction, pos_weight=pos_weight
    )


def embedding(*args, **kwargs) -> Tensor:
    """torch.embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False,
    sparse=False): weight[indices], the kernel of F.embedding (note: weight first). A negative
    padding_idx means none; sparse=True (a sparse gradient) raises NotImplementedError.

    >>> embedding(eye(3), tensor([2, 0]))
    tensor([[0., 0., 1.],
            [1., 0., 0.]])
    """
    weight, indices, padding_idx, scale_grad_by_freq, sparse = parse(
        _EMBEDDING, args, kwargs, "embedding"
    )
    if sparse:
        raise NotImplementedError(
            "course_lib has no sparse tensors: torch.embedding(..., sparse=True) gives weight a "
            "sparse gradient"
        )
    if padding_idx < 0 or padding_idx >= weight.size(0):  # no row has that index
        padding_idx = None
    return F.embedding(indices, weight, padding_idx, None, 2.0, scale_grad_by_freq, sparse)


def layer_norm(*args, **kwargs) -> Tensor:
    """torch.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05,
    cudnn_enable=True): F.layer_norm (cudnn_enable only concerns GPUs).

    >>> layer_norm(tensor([[1.0, 2.0, 3.0]]), [3])
    tensor([[-1.2247,  0.0000,  1.2247]])
    """
    input, shape, weight, bias, eps, _ = parse(_LAYER_NORM, args, kwargs, "layer_norm")
    return F.layer_norm(input, tuple(shape), weight, bias, eps)


def unflatten(*args, **kwargs) -> Tensor:
    """torch.unflatten(input, dim, sizes): input.unflatten(dim, sizes).

    >>> unflatten(ones(2, 6), 1, (2, 3)).shape
    torch.Size([2, 2, 3])
    """
    input, dim, sizes = parse(_UNFLATTEN, args, kwargs, "unflatten")
    return input.unflatten(dim, sizes)


def clamp_(*args, **kwargs) -> Tensor:
    """torch.clamp_(input, min=None, max=None): input.clamp_(min, max)."""
    _, (input, min, max) = overload(_CLAMP_, args, kwargs, "clamp_")
    return input.clamp_(min, max)


def fill_(*args, **kwargs) -> Tensor:
    """torch.fill_(input, value): input.fill_(value)."""
    _, (input, value) = overload(_FILL_, args, kwargs, "fill_")
    return input.fill_(value)


def zero_(*args, **kwargs) -> Tensor:
    """torch.zero_(input): input.zero_()."""
    (input,) = parse(_INPUT, args, kwargs, "zero_")
    return input.zero_()


def detach_(*args, **kwargs) -> Tensor:
    """torch.detach_(input): input.detach_()."""
    (input,) = parse(_INPUT, args, kwargs, "detach_")
    return input.detach_()
