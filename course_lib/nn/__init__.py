"""Neural-network building blocks (torch.nn): Parameter, Module, containers, layers, losses,
plus `nn.init` (initialisers) and `nn.functional` (the stateless ops behind the layers).

Each class lives where torch keeps it: `Linear` in `modules/linear.py`, `LayerNorm` in
`modules/normalization.py`, `Embedding` in `modules/sparse.py`, and so on."""

from . import functional, init, utils
from .modules.activation import (
    ELU,
    GELU,
    SELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from .modules.container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .modules.dropout import Dropout
from .modules.flatten import Flatten
from .modules.linear import Identity, Linear
from .modules.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .modules.module import Module
from .modules.normalization import LayerNorm
from .modules.sparse import Embedding, EmbeddingBag
from .parameter import Buffer, Parameter

__all__ = [
    "Parameter", "Buffer", "Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList",
    "ParameterDict", "Linear", "Identity", "ReLU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax",
    "LayerNorm", "Embedding", "EmbeddingBag", "CrossEntropyLoss", "MSELoss", "NLLLoss",
    "Flatten",
    "GELU", "SiLU", "LeakyReLU", "ELU", "Softplus", "Hardtanh", "ReLU6", "LogSigmoid", "SELU",
    "Mish", "Dropout",
    "BCELoss", "BCEWithLogitsLoss", "L1Loss", "SmoothL1Loss", "HuberLoss",
    "functional", "init", "utils",
]  # fmt: skip
