"""The layers, one file per family as in torch/nn/modules: module.py (Module), container.py
(Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict), linear.py, activation.py, normalization.py, sparse.py,
loss.py, flatten.py, dropout.py. `course_lib.nn` re-exports them."""

from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .module import Module

__all__ = [
    "Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict",
]  # fmt: skip
