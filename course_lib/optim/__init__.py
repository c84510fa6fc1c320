"""Optimizers, as in torch.optim: `Optimizer` (the base class, optimizer.py), `SGD` (sgd.py),
`Adam` (adam.py), `AdamW` (adamw.py), `RMSprop` (rmsprop.py) and `Adagrad` (adagrad.py);
`lr_scheduler` (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR) changes
their learning rate over time."""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "SGD", "lr_scheduler"]
