"""Neural-network building blocks (torch.nn): Parameter, Module, containers, layers, losses,
plus `nn.init` (initialisers) and `nn.functional` (the stateless ops behind the layers)."""

from .modules.container import ModuleDict, ModuleList, Sequential
from .modules.module import Module
from .parameter import Buffer, Parameter

# ---- layers, losses, init and functional (written by the layers helper) ----------------------
# TODO(other helper): enable these imports once the files exist (the lead will uncomment them),
# and add their names to __all__.
# from . import functional, init
# from .modules.activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
# from .modules.flatten import Flatten
# from .modules.linear import Identity, Linear
# from .modules.loss import CrossEntropyLoss, MSELoss
# from .modules.normalization import LayerNorm
# from .modules.sparse import Embedding
# ----------------------------------------------------------------------------------------------

__all__ = ["Parameter", "Buffer", "Module", "Sequential", "ModuleList", "ModuleDict"]
