"""Small helpers that nn and optim share (torch keeps the same ones in torch/__init__.py and
torch/optim)."""

from __future__ import annotations

from collections.abc import Iterable

from .tensor import Tensor


def typename(obj) -> str:
    """torch.typename: 'torch.FloatTensor' for a tensor, 'float' for 1.0, 'pkg.mod.Cls' for others."""
    if isinstance(obj, Tensor):
        return obj.dtype.tensor_type
    module, qualname = getattr(obj, "__module__", "") or "", getattr(obj, "__qualname__", None)
    if qualname is None:
        qualname = getattr(obj, "__name__", None)
    if qualname is None:  # an instance: name its class
        module, qualname = type(obj).__module__ or "", type(obj).__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


def zero_grad_(params: Iterable[Tensor], set_to_none: bool = True) -> None:
    """Reset each `.grad`: to None (the default), or to zeros in place, cut from any graph.

    What `Module.zero_grad` and `Optimizer.zero_grad` both do. Gradients accumulate
    (`backward()` adds to `.grad`), so the training loop calls one of them before each backward.
    """
    for p in params:
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            if p.grad.grad_fn is not None:
                p.grad.detach_()
            else:
                p.grad.requires_grad_(False)
            p.grad.zero_()
