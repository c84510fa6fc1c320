"""Optimizers: `Optimizer` (the base class, optimizer.py) and `SGD` (sgd.py), as in torch.optim."""

from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["Optimizer", "SGD"]
