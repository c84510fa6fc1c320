"""Neural-network building blocks (torch.nn): Parameter, Module, containers, layers, losses,
plus `nn.init` (initialisers) and `nn.functional` (the stateless ops behind the layers).

Each class lives where torch keeps it: `Linear` in `modules/linear.py`, `LayerNorm` in
`modules/normalization.py`, `Embedding` in `modules/sparse.py`, and so on."""

from . import functional, init, utils
from .modules.activation import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .modules.container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .modules.flatten import Flatten
from .modules.linear import Identity, Linear
from .modules.loss import CrossEntropyLoss, MSELoss, NLLLoss
from .modules.module import Module
from .modules.normalization import LayerNorm
from .modules.sparse import Embedding, EmbeddingBag
from .parameter import Buffer, Parameter

__all__ = [
    "Parameter", "Buffer", "Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList",
    "ParameterDict", "Linear", "Identity", "ReLU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax",
    "LayerNorm", "Embedding", "EmbeddingBag", "CrossEntropyLoss", "MSELoss", "NLLLoss",
    "Flatten",
    "functional", "init", "utils",
]  # fmt: skip
