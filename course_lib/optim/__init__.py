"""Optimizers: `Optimizer` (the base class, optimizer.py) and `SGD` (sgd.py), as in torch.optim;
`lr_scheduler` (StepLR) changes their learning rate over time."""

from . import lr_scheduler
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "lr_scheduler"]
