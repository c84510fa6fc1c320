"""Answers written as a learner would, in unusual right spellings and common slips, for
every exercise: a right answer (R) must pass, a wrong one (W) must be refused with the text
in PHRASES, and an answer right in torch but refused today because course_lib lacks the API
it calls (E) must be refused only for that reason. Run by tests/test_learner_answers.py."""

# ruff: noqa: B904, E721, UP008, B007  (written as learners write)

import math

import numpy as np

import course_lib as torch
import course_lib.nn.functional as F
from course_lib import nn

ANSWERS = []  # (exercise id, label, answer, "R" | "W" | "E")


def R(i, label, f):
    ANSWERS.append((i, label, f, "R"))


def W(i, label, f):
    ANSWERS.append((i, label, f, "W"))


def E(i, label, f):
    ANSWERS.append((i, label, f, "E"))


# 0.1 row means
R("0.1", "torch.mean(x, 1)", lambda x: torch.mean(x, 1))
R("0.1", "x.sum(1)/x.size(1)", lambda x: x.sum(1) / x.size(1))
R("0.1", "x @ ones / n", lambda x: x @ torch.ones(x.shape[1]) / x.shape[1])
R("0.1", "mean keepdim squeeze", lambda x: x.mean(1, keepdim=True).squeeze(1))
R("0.1", "mean keepdim view(-1)", lambda x: x.mean(-1, keepdim=True).view(-1))
R("0.1", "x.mean(dim=1).float()", lambda x: x.mean(dim=1).float())
W("0.1", "squeeze() with keepdim", lambda x: x.mean(1, keepdim=True).squeeze())
W("0.1", "mean(0)", lambda x: x.mean(0))
W("0.1", "global mean", lambda x: x.mean())
W("0.1", "numpy round trip", lambda x: torch.tensor(x.detach().numpy().mean(1)))
W("0.1", "return numpy", lambda x: x.detach().numpy().mean(1))
W(
    "0.1",
    "in-place x/=",
    lambda x: (x.div_(x.shape[1])).sum(1) if not x.requires_grad else x.mean(1).add_(0),
)
W("0.1", "detach", lambda x: x.mean(1).detach())
W("0.1", "double", lambda x: x.double().mean(1))
W("0.1", "no return", lambda x: None)
W("0.1", "list", lambda x: x.mean(1).tolist())
W("0.1", "median", lambda x: x.median(1).values)
W("0.1", "sum/(n-1)", lambda x: x.sum(1) / (x.shape[1] - 1))

# 1.1 prediction set
R("1.1", "str", lambda: "out.bias")
R("1.1", "set", lambda: {"out.bias"})
R("1.1", "list caps", lambda: ["OUT.BIAS"])
W("1.1", "all biases", lambda: {"hidden.bias", "out.bias"})
W("1.1", "all", lambda: {"hidden.weight", "hidden.bias", "out.weight", "out.bias"})
W("1.1", "nothing", lambda: set())
R("1.1", "dict", lambda: {"out.bias": True})


# 1.2 fans
def fans_ok(shape):
    rf = 1
    for k in shape[2:]:
        rf *= k
    return shape[1] * rf, shape[0] * rf


R("1.2", "loop", fans_ok)
R("1.2", "math.prod", lambda s: (s[1] * math.prod(s[2:]), s[0] * math.prod(s[2:])))
R("1.2", "numpy prod ints", lambda s: (int(np.prod(s[1:])), int(s[0] * np.prod(s[2:]))))
R("1.2", "torch.Size input", lambda s: (math.prod(torch.Size(s)[1:]), s[0] * math.prod(s[2:])))
W("1.2", "swapped", lambda s: fans_ok(s)[::-1])
W("1.2", "no receptive field", lambda s: (s[1], s[0]))
W("1.2", "list", lambda s: list(fans_ok(s)))
W("1.2", "str", lambda s: tuple(str(v) for v in fans_ok(s)))
R("1.2", "floats", lambda s: tuple(float(v) for v in fans_ok(s)))
R(
    "1.2",
    "np.prod float",
    lambda s: (s[1] * np.prod(s[2:]), s[0] * np.prod(s[2:])) if len(s) > 2 else (s[1], s[0]),
)
R("1.2", "numel/shape", lambda s: (math.prod(s) // s[0], math.prod(s) // s[1]))
W(
    "1.2",
    "rf from s[2] only",
    lambda s: (s[1] * (s[2] if len(s) > 2 else 1), s[0] * (s[2] if len(s) > 2 else 1)),
)
# 1.3 xavier
R("1.3", "formula", lambda fi, fo, gain=1.0: gain * math.sqrt(6 / (fi + fo)))
R(
    "1.3",
    "sqrt(3)*std",
    lambda fi, fo, gain=1.0: math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fi + fo)),
)
R("1.3", "numpy", lambda fi, fo, gain=1.0: float(gain * np.sqrt(6 / (fi + fo))))
R("1.3", "tensor 0-d", lambda fi, fo, gain=1.0: torch.tensor(gain * math.sqrt(6 / (fi + fo))))
R("1.3", "**0.5", lambda fi, fo, gain=1.0: gain * (6 / (fi + fo)) ** 0.5)
W("1.3", "std not bound", lambda fi, fo, gain=1.0: gain * math.sqrt(2 / (fi + fo)))
W("1.3", "no gain", lambda fi, fo, gain=1.0: math.sqrt(6 / (fi + fo)))
W("1.3", "gain inside sqrt", lambda fi, fo, gain=1.0: math.sqrt(6 * gain / (fi + fo)))
W("1.3", "fan_in only", lambda fi, fo, gain=1.0: gain * math.sqrt(3 / fi))
W("1.3", "precedence", lambda fi, fo, gain=1.0: gain * math.sqrt(6 / fi + fo))
W(
    "1.3",
    "sqrt6/sqrt(fi)+sqrt(fo)",
    lambda fi, fo, gain=1.0: gain * math.sqrt(6) / (math.sqrt(fi) + math.sqrt(fo)),
)
W("1.3", "no return", lambda fi, fo, gain=1.0: None)
# 1.4 kaiming 0.153
R("1.4", "0.15", lambda: 0.15)
R("1.4", "str 0.153", lambda: "0.153")
R("1.4", "1/sqrt(64)*..?", lambda: math.sqrt(6 / 256))
W("1.4", "1/16", lambda: 1 / 16)
W("1.4", "sqrt(6/64)", lambda: math.sqrt(6 / 64))
W("1.4", "1/sqrt(256)", lambda: 1 / math.sqrt(256))
W("1.4", "0.1", lambda: 0.1)
W("1.4", "'0,15'", lambda: "0,15")
# 1.5 letters raising
R("1.5", "str", lambda: "acefg")
R("1.5", "caps comma", lambda: "A, C, E, F, G")
R("1.5", "list", lambda: ["a", "c", "e", "f", "g"])
W("1.5", "missing g", lambda: "acef")
W("1.5", "extra b", lambda: "abcefg")
W("1.5", "none", lambda: None)
# 1.6 gain tanh
R("1.6", "5/3", lambda: 5 / 3)
R("1.6", "1.67", lambda: 1.67)
R("1.6", "str 1.667", lambda: "1.667")
R("1.6", "str 5/3?", lambda: 1.6667)
W("1.6", "1", lambda: 1)
W("1.6", "sqrt2", lambda: math.sqrt(2))
W("1.6", "1.6", lambda: 1.6)
W("1.6", "3/5", lambda: 0.6)
# 2.1
R("2.1", "list", lambda: [2, 8, -4])
R("2.1", "str", lambda: "2., 8., -4.")
R("2.1", "tensor", lambda: torch.tensor([2.0, 8.0, -4.0]))
W("2.1", "only second", lambda: [1, 4, -2])
W("2.1", "wrong sign", lambda: [2, 8, 4])
W("2.1", "2 values", lambda: [2, 8])
W("2.1", "dict", lambda: {"a": 1})


# 2.2 Scale
class S_ok(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(n))

    def forward(self, x):
        return x * self.scale


class S_ok2(nn.Module):
    def __init__(self, num_features):
        super(S_ok2, self).__init__()
        self.register_parameter("scale", nn.Parameter(torch.ones((num_features,))))

    def forward(self, x):
        return torch.mul(self.scale, x)


class S_ok3(nn.Module):
    def __init__(self, num_features):
        super().__init__()
        self.scale = nn.Parameter(torch.empty(num_features))
        nn.init.ones_(self.scale)

    def forward(self, x):
        return x * self.scale.expand_as(x)


class S_empty(S_ok):
    def __init__(self, n):
        nn.Module.__init__(self)
        self.scale = nn.Parameter(torch.empty(n))


class S_f64(S_ok):
    def __init__(self, n):
        nn.Module.__init__(self)
        self.scale = nn.Parameter(torch.ones(n, dtype=torch.float64))


class S_inplace(S_ok):
    def forward(self, x):
        x *= self.scale
        return x


class S_noret(S_ok):
    def forward(self, x):
        x * self.scale


class S_numpy(S_ok):
    def __init__(self, n):
        nn.Module.__init__(self)
        self.scale = nn.Parameter(torch.tensor(np.ones(n)))


class S_zeros(S_ok):
    def __init__(self, n):
        nn.Module.__init__(self)
        self.scale = nn.Parameter(torch.zeros(n))


class S_detach(S_ok):
    def forward(self, x):
        return x * self.scale.detach()


class S_nosuper(nn.Module):
    def __init__(self, n):
        self.scale = nn.Parameter(torch.ones(n))

    def forward(self, x):
        return x * self.scale


R("2.2", "plain", S_ok)
R("2.2", "register_parameter+mul", S_ok2)
R("2.2", "empty+init.ones_", S_ok3)
W("2.2", "empty", S_empty)
W("2.2", "float64", S_f64)
W("2.2", "in-place x*=", S_inplace)
W("2.2", "no return", S_noret)
W("2.2", "np.ones", S_numpy)
W("2.2", "zeros", S_zeros)
W("2.2", "detach", S_detach)
W("2.2", "no super", S_nosuper)
# 2.3
R("2.3", "str", lambda: "gain embed.weight embed.bias head.weight")
R("2.3", "tuple", lambda: ("gain", "embed.weight", "embed.bias", "head.weight"))
W(
    "2.3",
    "with head.bias",
    lambda: ["gain", "embed.weight", "embed.bias", "head.weight", "head.bias"],
)
W("2.3", "modules", lambda: ["gain", "embed", "head"])
W("2.3", "set", lambda: {"gain", "embed.weight", "embed.bias", "head.weight"})
# 2.4
R("2.4", "sum numel", lambda m: sum(p.numel() for p in m.parameters()))
R("2.4", "named", lambda m: sum(p.numel() for _, p in m.named_parameters()))
R("2.4", "math.prod", lambda m: sum(math.prod(p.shape) for p in m.parameters()))
R("2.4", "tensor", lambda m: torch.tensor(sum(p.numel() for p in m.parameters())))
W("2.4", "trainable only", lambda m: sum(p.numel() for p in m.parameters() if p.requires_grad))
W("2.4", "len", lambda m: len(list(m.parameters())))
W(
    "2.4",
    "with buffers",
    lambda m: sum(p.numel() for p in m.parameters()) + sum(b.numel() for b in m.buffers()),
)
W("2.4", "state_dict", lambda m: sum(v.numel() for v in m.state_dict().values()))
W(
    "2.4",
    "per module",
    lambda m: sum(
        p.numel() for mod in m.modules() for p in mod._parameters.values() if p is not None
    ),
)
W("2.4", "shape[0]", lambda m: sum(p.shape[0] for p in m.parameters()))
R("2.4", "float", lambda m: float(sum(p.numel() for p in m.parameters())))


# 3.1
class MH_ok(nn.Module):
    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.n = n_heads
        for i in range(n_heads):
            setattr(self, f"attention_{i}", nn.Linear(in_features, head_features))

    def forward(self, x):
        return torch.cat([getattr(self, f"attention_{i}")(x) for i in range(self.n)], -1)


class MH_list(nn.Module):
    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.heads = [nn.Linear(in_features, head_features) for _ in range(n_heads)]

    def forward(self, x):
        return torch.cat([h(x) for h in self.heads], -1)


class MH_dim0(MH_ok):
    def forward(self, x):
        return torch.cat([getattr(self, f"attention_{i}")(x) for i in range(self.n)], 0)


class MH_dim1(MH_ok):
    def forward(self, x):
        return torch.cat([getattr(self, f"attention_{i}")(x) for i in range(self.n)], dim=1)


class MH_children(MH_ok):
    def forward(self, x):
        return torch.cat([m(x) for m in self.children()], dim=-1)


class MH_stack(MH_ok):
    def forward(self, x):
        return torch.stack([getattr(self, f"attention_{i}")(x) for i in range(self.n)], -1)


class MH_stackflat(MH_ok):
    def forward(self, x):
        return torch.stack([getattr(self, f"attention_{i}")(x) for i in range(self.n)], -2).flatten(
            -2
        )


class MH_shared(nn.Module):
    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.n = n_heads
        lin = nn.Linear(in_features, head_features)
        for i in range(n_heads):
            setattr(self, f"attention_{i}", lin)

    def forward(self, x):
        return torch.cat([getattr(self, f"attention_{i}")(x) for i in range(self.n)], -1)


R("3.1", "setattr", MH_ok)
R("3.1", "children", MH_children)
R("3.1", "stack dim -2 flatten", MH_stackflat)
W("3.1", "plain list", MH_list)
W("3.1", "cat dim 0", MH_dim0)
W("3.1", "cat dim 1", MH_dim1)
W("3.1", "stack", MH_stack)
W("3.1", "shared layer", MH_shared)
# 3.2
R("3.2", "str", lambda: "Linear, LayerNorm, Block, Tanh, Linear, Sequential")
R("3.2", "lower", lambda: "linear layernorm block tanh linear sequential")
W("3.2", "preorder", lambda: ["Sequential", "Block", "Linear", "LayerNorm", "Tanh", "Linear"])
W("3.2", "no containers", lambda: ["Linear", "LayerNorm", "Tanh", "Linear"])


# 3.3
class D_ok(nn.Module):
    def __init__(self, width, depth, n_out):
        super().__init__()
        self.layers = nn.ModuleList()
        for _ in range(depth):
            self.layers.append(nn.Linear(width, width))
        self.out = nn.Linear(width, n_out)

    def forward(self, x):
        for l in self.layers:
            x = torch.tanh(l(x))
        return self.out(x)


class D_list(D_ok):
    def __init__(self, width, depth, n_out):
        nn.Module.__init__(self)
        self.layers = [nn.Linear(width, width) for _ in range(depth)]
        self.out = nn.Linear(width, n_out)


class D_seq(D_ok):
    def __init__(self, width, depth, n_out):
        nn.Module.__init__(self)
        self.layers = nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])
        self.out = nn.Linear(width, n_out)


class D_same(D_ok):
    def __init__(self, width, depth, n_out):
        nn.Module.__init__(self)
        l = nn.Linear(width, width)
        self.layers = nn.ModuleList([l] * depth)
        self.out = nn.Linear(width, n_out)


class D_relu(D_ok):
    def forward(self, x):
        for l in self.layers:
            x = torch.relu(l(x))
        return self.out(x)


class D_off(D_ok):
    def __init__(self, width, depth, n_out):
        nn.Module.__init__(self)
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth - 1)])
        self.out = nn.Linear(width, n_out)


R("3.3", "append", D_ok)
R("3.3", "Sequential? (tanh applied)", D_seq)
W("3.3", "plain list", D_list)
W("3.3", "same layer", D_same)
W("3.3", "relu", D_relu)
W("3.3", "off by one", D_off)


# 3.4
def i_ok(model):
    def f(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    model.apply(f)
    return model


def i_ok2(model):
    def f(m):
        if isinstance(m, nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight, gain=1.0)
            if m.bias is not None:
                nn.init.constant_(m.bias, 0.0)

    return model.apply(f)


def i_type(model):
    def f(m):
        if type(m) == nn.Linear:
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    return model.apply(f)


def i_noret(model):
    i_ok(model)


def i_normal(model):
    def f(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_normal_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    return model.apply(f)


def i_nobias_check(model):
    def f(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)

    return model.apply(f)


def i_all(model):
    def f(m):
        for p in m.parameters(recurse=False):
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
            else:
                nn.init.zeros_(p)

    return model.apply(f)


def i_kaiming(model):
    def f(m):
        if isinstance(m, nn.Linear):
            nn.init.kaiming_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    return model.apply(f)


def i_fill_ones_bias(model):
    def f(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                m.bias.data.fill_(0.01)

    return model.apply(f)


def i_modules(model):
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


R("3.4", "isinstance", i_ok)
R("3.4", "constant_ 0", i_ok2)
R("3.4", "modules() loop", i_modules)
W("3.4", "type ==", i_type)
W("3.4", "no return", i_noret)
W("3.4", "xavier_normal", i_normal)
R("3.4", "bias None crash", i_nobias_check)
W("3.4", "all params by dim", i_all)
W("3.4", "kaiming", i_kaiming)
W("3.4", "bias 0.01", i_fill_ones_bias)
# 3.5
R("3.5", "list", lambda: [(2, 60), (120,), (2, 12, 5), (2, 60)])
R("3.5", "str", lambda: "(2,60) (120) (2,12,5) (2,60)")
W("3.5", "third wrong", lambda: [(2, 60), (120,), (2, 3, 20), (2, 60)])
W("3.5", "second 2d", lambda: [(2, 60), (2, 60), (2, 12, 5), (2, 60)])


# 4.1 mm shape
def mm_ok(a, b):
    if len(a) != 2 or len(b) != 2 or a[1] != b[0]:
        raise ValueError("bad")
    return (a[0], b[1])


R("4.1", "ok", mm_ok)
R("4.1", "tuple()", lambda a, b: tuple(mm_ok(a, b)))
W("4.1", "list", lambda a, b: list(mm_ok(a, b)))
W(
    "4.1",
    "no ndim check",
    lambda a, b: (a[0], b[1]) if a[-1] == b[0] else (_ for _ in ()).throw(ValueError()),
)
W(
    "4.1",
    "(a0,b0)",
    lambda a, b: (
        (a[0], b[0])
        if len(a) == 2 and len(b) == 2 and a[1] == b[0]
        else (_ for _ in ()).throw(ValueError())
    ),
)


def mm_assert(a, b):
    assert len(a) == 2 and len(b) == 2 and a[1] == b[0]
    return (a[0], b[1])


W("4.1", "assert", mm_assert)


def mm_real(a, b):
    try:
        return tuple(torch.mm(torch.zeros(a), torch.zeros(b)).shape)
    except RuntimeError as e:
        raise ValueError(str(e))


R("4.1", "call mm", mm_real)


# 4.2
def mat_real(a, b):
    try:
        return tuple(torch.matmul(torch.zeros(a), torch.zeros(b)).shape)
    except (RuntimeError, IndexError) as e:
        raise ValueError(str(e))


R("4.2", "call matmul", mat_real)


def mat_nobcast(a, b):
    if len(a) == 0 or len(b) == 0:
        raise ValueError()
    aa = (1, *a) if len(a) == 1 else tuple(a)
    bb = (*b, 1) if len(b) == 1 else tuple(b)
    if aa[-1] != bb[-2]:
        raise ValueError()
    batch = aa[:-2] if len(aa) >= len(bb) else bb[:-2]
    out = batch + ((aa[-2],) if len(a) > 1 else ()) + ((bb[-1],) if len(b) > 1 else ())
    return out


W("4.2", "no broadcast, longer batch", mat_nobcast)


def mat_keep1(a, b):
    if len(a) == 0 or len(b) == 0:
        raise ValueError()
    aa = (1, *a) if len(a) == 1 else tuple(a)
    bb = (*b, 1) if len(b) == 1 else tuple(b)
    if aa[-1] != bb[-2]:
        raise ValueError()
    batch = tuple(np.broadcast_shapes(aa[:-2], bb[:-2]))
    return batch + (aa[-2], bb[-1])


W("4.2", "keeps the 1s of 1-D", mat_keep1)
# 4.3
R("4.3", "list", lambda: [(4,), (10, 7), (2, 4, 5, 5), "error"])
R("4.3", "str", lambda: "(4,), (10, 7), (2, 4, 5, 5), error")
R("4.3", "None for error", lambda: [(4,), (10, 7), (2, 4, 5, 5), None])
W("4.3", "1-D keeps", lambda: [(1, 4), (10, 7), (2, 4, 5, 5), "error"])
W("4.3", "no error", lambda: [(4,), (10, 7), (2, 4, 5, 5), (2, 3)])
# 4.4
R("4.4", "transpose(1,2)", lambda q, k: q @ k.transpose(1, 2))
R("4.4", "matmul mT", lambda q, k: torch.matmul(q, k.transpose(-1, -2)))
R("4.4", "bmm", lambda q, k: torch.bmm(q, k.permute(0, 2, 1)))
R("4.4", "einsum", lambda q, k: torch.einsum("btd,bsd->bts", q, k))
R("4.4", "broadcast sum", lambda q, k: (q.unsqueeze(2) * k.unsqueeze(1)).sum(-1))
R("4.4", "mT", lambda q, k: q @ k.mT)
W("4.4", "k.T", lambda q, k: q @ k.T)
W("4.4", "no transpose", lambda q, k: q @ k)
W("4.4", "k @ q^T", lambda q, k: k @ q.transpose(-2, -1))
W("4.4", "transpose(0,1)", lambda q, k: q @ k.transpose(0, 1))
W("4.4", "scaled", lambda q, k: q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]))
W("4.4", "numpy", lambda q, k: q.detach().numpy() @ np.swapaxes(k.detach().numpy(), -1, -2))
W("4.4", "softmaxed", lambda q, k: torch.softmax(q @ k.transpose(-2, -1), -1))
# 5.1 linear
R("5.1", "F.linear", lambda x, w, b: F.linear(x, w, b))
R("5.1", "matmul w.t()", lambda x, w, b: torch.matmul(x, w.t()) + b)
R("5.1", "einsum", lambda x, w, b: torch.einsum("...i,oi->...o", x, w) + b)
R("5.1", "(w @ x^T)^T", lambda x, w, b: (w @ x.unsqueeze(-1)).squeeze(-1) + b)
R("5.1", "addition first", lambda x, w, b: b + x @ w.transpose(0, 1))
W("5.1", "no transpose", lambda x, w, b: x @ w + b)
W("5.1", "no bias", lambda x, w, b: x @ w.T)
W("5.1", "weight detach", lambda x, w, b: x @ w.T.detach() + b)
W("5.1", "w.data", lambda x, w, b: x @ w.data.T + b)
W("5.1", "reshape", lambda x, w, b: x @ w.reshape(w.shape[1], w.shape[0]) + b)
W("5.1", "bias twice", lambda x, w, b: x @ w.T + 2 * b)
W("5.1", "double", lambda x, w, b: x.double() @ w.double().T + b.double())
R("5.1", "add_ on the fresh product", lambda x, w, b: (x @ w.T).add_(b))
W(
    "5.1",
    "x.mul_ on the input",
    lambda x, w, b: (
        x.mul_(1.0) @ w.T + b if not x.requires_grad else x.detach().mul_(1.0) @ w.T + b
    ),
)
W("5.1", "2-D only view", lambda x, w, b: x.view(-1, x.shape[-1]) @ w.T + b)
# 5.2
R("5.2", "1/sqrt", lambda i, o: 1 / math.sqrt(i))
R("5.2", "**-0.5", lambda i, o: i**-0.5)
R("5.2", "gain formula", lambda i, o: math.sqrt(3) * math.sqrt(2 / (1 + 5)) / math.sqrt(i))
R("5.2", "np", lambda i, o: float(1 / np.sqrt(i)))
W("5.2", "fan_out", lambda i, o: 1 / math.sqrt(o))
W("5.2", "sqrt(6/in)", lambda i, o: math.sqrt(6 / i))
W("5.2", "1/in", lambda i, o: 1 / i)
W("5.2", "xavier", lambda i, o: math.sqrt(6 / (i + o)))
W("5.2", "sqrt(3/in)", lambda i, o: math.sqrt(3 / i))
# 5.3
R("5.3", "list", lambda: [(4,), (3, 4), (2, 3, 4)])
R("5.3", "str", lambda: "(4) (3,4) (2,3,4)")
W("5.3", "unbatched (1,4)", lambda: [(1, 4), (3, 4), (2, 3, 4)])
W("5.3", "error 3d", lambda: [(4,), (3, 4), "error"])
# 5.4
R("5.4", "formula", lambda i, o, bias=True: i * o + (o if bias else 0))
R(
    "5.4",
    "build",
    lambda i, o, bias=True: sum(p.numel() for p in nn.Linear(i, o, bias=bias).parameters()),
)
R("5.4", "int(bias)", lambda i, o, bias=True: o * (i + int(bias)))
W("5.4", "ignores bias flag", lambda i, o, bias=True: i * o + o)
W("5.4", "bias in", lambda i, o, bias=True: i * o + (i if bias else 0))
W("5.4", "(i+1)(o+1)", lambda i, o, bias=True: (i + 1) * (o + 1) if bias else i * o)
W("5.4", "i*o only", lambda i, o, bias=True: i * o)
# 6.1 LayerNorm
R("6.1", "F.layer_norm", lambda x, g, b, eps=1e-5: F.layer_norm(x, (x.shape[-1],), g, b, eps))
R(
    "6.1",
    "var correction=0",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, keepdim=True, correction=0) + eps) * g
        + b
    ),
)
R(
    "6.1",
    "rsqrt",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True))
        * (((x - x.mean(-1, keepdim=True)) ** 2).mean(-1, keepdim=True) + eps).rsqrt()
        * g
        + b
    ),
)
R(
    "6.1",
    "unsqueeze",
    lambda x, g, b, eps=1e-5: (
        g
        * (x - x.mean(-1).unsqueeze(-1))
        / ((x - x.mean(-1).unsqueeze(-1)).pow(2).mean(-1).unsqueeze(-1) + eps) ** 0.5
        + b
    ),
)


def ln_fresh(x, g, b, eps=1e-5):
    y = x - x.mean(-1, keepdim=True)
    v = (y * y).mean(-1, keepdim=True)
    y = y / (v + eps).sqrt()
    y = y * g
    y += b
    return y


R("6.1", "in-place on fresh", ln_fresh)
W(
    "6.1",
    "unbiased var",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, keepdim=True) + eps).sqrt() * g + b
    ),
)
W(
    "6.1",
    "eps outside",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, keepdim=True, correction=0).sqrt() + eps) * g
        + b
    ),
)
W(
    "6.1",
    "no eps",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / x.var(-1, keepdim=True, correction=0).sqrt() * g + b
    ),
)
W(
    "6.1",
    "std unbiased",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True) + eps) * g + b
    ),
)
W(
    "6.1",
    "dim 0",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(0, keepdim=True)) / (x.var(0, keepdim=True, correction=0) + eps).sqrt() * g + b
    ),
)
W(
    "6.1",
    "no keepdim",
    lambda x, g, b, eps=1e-5: (x - x.mean(-1)) / (x.var(-1, correction=0) + eps).sqrt() * g + b,
)
W(
    "6.1",
    "gamma beta swapped",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, keepdim=True, correction=0) + eps).sqrt() * b
        + g
    ),
)
W(
    "6.1",
    "global",
    lambda x, g, b, eps=1e-5: (x - x.mean()) / (x.var(correction=0) + eps).sqrt() * g + b,
)
W(
    "6.1",
    "eps hard-coded 1e-5",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, keepdim=True, correction=0) + 1e-5).sqrt() * g
        + b
    ),
)


def ln_inplace(x, g, b, eps=1e-5):
    x -= x.mean(-1, keepdim=True)
    return x / (x.pow(2).mean(-1, keepdim=True) + eps).sqrt() * g + b


W("6.1", "x -= mean", ln_inplace)
W(
    "6.1",
    "mean detached",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True).detach())
        / (x.var(-1, keepdim=True, correction=0) + eps).sqrt()
        * g
        + b
    ),
)
W(
    "6.1",
    "no gamma",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, keepdim=True, correction=0) + eps).sqrt() + b
    ),
)
W(
    "6.1",
    "sqrt of var missing",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, keepdim=True, correction=0) + eps) * g + b
    ),
)
# 6.2
R("6.2", "list", lambda: [(1, 2), (3, 4)])
R("6.2", "negative dims", lambda: [(-2, -1), (3, 4)])
W("6.2", "last only", lambda: [(2,), (3, 4)])
W("6.2", "weight (4,)", lambda: [(1, 2), (4,)])
W("6.2", "all dims", lambda: [(0, 1, 2), (3, 4)])
# 6.3 constant row
R("6.3", "list", lambda: [0.5, -1, 2, 0])
R("6.3", "str", lambda: "0.5 -1 2 0")
W("6.3", "zeros", lambda: [0, 0, 0, 0])
W("6.3", "nan", lambda: [float("nan")] * 4)
W("6.3", "gamma", lambda: [1.5, 0, 3, 1])


# 6.4
def lnd_ok(x, ns, g, b, eps=1e-5):
    dims = [-(i + 1) for i in range(len(ns))]
    m = x.mean(dim=dims, keepdim=True)
    v = ((x - m) ** 2).mean(dim=dims, keepdim=True)
    return (x - m) / torch.sqrt(v + eps) * g + b


R("6.4", "list dims", lnd_ok)
R("6.4", "F.layer_norm", lambda x, ns, g, b, eps=1e-5: F.layer_norm(x, ns, g, b, eps))


def lnd_flat(x, ns, g, b, eps=1e-5):
    k = len(ns)
    flat = x.reshape(*x.shape[: x.dim() - k], -1)
    m = flat.mean(-1, keepdim=True)
    v = flat.var(-1, keepdim=True, correction=0)
    return ((flat - m) / (v + eps).sqrt()).reshape(x.shape) * g + b


R("6.4", "flatten", lnd_flat)


def lnd_last(x, ns, g, b, eps=1e-5):
    m = x.mean(-1, keepdim=True)
    v = x.var(-1, keepdim=True, correction=0)
    return (x - m) / (v + eps).sqrt() * g + b


W("6.4", "last dim only", lnd_last)


def lnd_first(x, ns, g, b, eps=1e-5):
    dims = tuple(range(len(ns)))
    m = x.mean(dims, keepdim=True)
    v = x.var(dims, keepdim=True, correction=0)
    return (x - m) / (v + eps).sqrt() * g + b


W("6.4", "first dims", lnd_first)


def lnd_seq(x, ns, g, b, eps=1e-5):
    m = x.mean(-1, keepdim=True).mean(-2, keepdim=True)
    v = x.var(-1, keepdim=True, correction=0).mean(-2, keepdim=True)
    return (x - m) / (v + eps).sqrt() * g + b


W("6.4", "mean of per-row var", lnd_seq)


def lnd_unb(x, ns, g, b, eps=1e-5):
    dims = tuple(range(-len(ns), 0))
    return (x - x.mean(dims, keepdim=True)) / (x.var(dims, keepdim=True) + eps).sqrt() * g + b


W("6.4", "unbiased", lnd_unb)


def lnd_len(x, ns, g, b, eps=1e-5):
    dims = tuple(range(-len(ns) + 1, 0))
    return (x - x.mean(dims, keepdim=True)) / (
        x.var(dims, keepdim=True, correction=0) + eps
    ).sqrt() * g + b


W("6.4", "off by one dims", lnd_len)


# 7.1 softmax
def sm_ok(x, dim):
    e = (x - x.max(dim, keepdim=True).values).exp()
    return e / e.sum(dim, keepdim=True)


R("7.1", "ok", sm_ok)
R(
    "7.1",
    "torch.max tuple",
    lambda x, dim: (
        torch.exp(x - torch.max(x, dim=dim, keepdim=True)[0])
        / torch.exp(x - torch.max(x, dim=dim, keepdim=True)[0]).sum(dim=dim, keepdim=True)
    ),
)
W(
    "7.1",
    "F.softmax (the task builds it from exp, max and sum)",
    lambda x, dim: F.softmax(x, dim=dim),
)
R("7.1", "exp(x-lse)", lambda x, dim: (x - x.logsumexp(dim, keepdim=True)).exp())
R(
    "7.1",
    "max detached",
    lambda x, dim: (
        (x - x.max(dim, keepdim=True).values.detach()).exp()
        / (x - x.max(dim, keepdim=True).values.detach()).exp().sum(dim, keepdim=True)
    ),
)
W(
    "7.1",
    "global max",
    lambda x, dim: (x - x.max()).exp() / (x - x.max()).exp().sum(dim, keepdim=True),
)
W("7.1", "no max", lambda x, dim: x.exp() / x.exp().sum(dim, keepdim=True))
W(
    "7.1",
    "no keepdim",
    lambda x, dim: (x - x.max(dim).values).exp() / (x - x.max(dim).values).exp().sum(dim),
)
W(
    "7.1",
    "sum all",
    lambda x, dim: (
        (x - x.max(dim, keepdim=True).values).exp()
        / (x - x.max(dim, keepdim=True).values).exp().sum()
    ),
)
W("7.1", "dim -1 fixed", lambda x, dim: sm_ok(x, -1))
W(
    "7.1",
    "numpy",
    lambda x, dim: torch.tensor(
        np.exp(x.detach().numpy()) / np.exp(x.detach().numpy()).sum(dim, keepdims=True)
    ),
)
W(
    "7.1",
    "max over wrong dim",
    lambda x, dim: (
        (x - x.max(0, keepdim=True).values).exp()
        / (x - x.max(0, keepdim=True).values).exp().sum(dim, keepdim=True)
    ),
)


def sm_inplace(x, dim):
    x -= x.max(dim, keepdim=True).values
    return x.exp() / x.exp().sum(dim, keepdim=True)


W("7.1", "x -= max", sm_inplace)
W("7.1", "sigmoid", lambda x, dim: torch.sigmoid(x))
# 7.2
R("7.2", "list", lambda: [[[1, 1, 1]], -1])
R("7.2", "dim 2", lambda: [[[1.0, 1.0, 1.0]], 2])
W("7.2", "row softmax", lambda: [[[0.090, 0.245, 0.665]], -1])
W("7.2", "dim 1", lambda: [[[1, 1, 1]], 1])


# 7.3
def ls_ok(x, dim):
    m = x.max(dim, keepdim=True).values
    return x - (m + (x - m).exp().sum(dim, keepdim=True).log())


R("7.3", "m + log sum", ls_ok)
R(
    "7.3",
    "(x-m)-log",
    lambda x, dim: (
        (x - x.max(dim, keepdim=True).values)
        - (x - x.max(dim, keepdim=True).values).exp().sum(dim, keepdim=True).log()
    ),
)
R("7.3", "logsumexp", lambda x, dim: x - torch.logsumexp(x, dim, keepdim=True))
W(
    "7.3",
    "F.log_softmax (the task builds it from exp, max and sum)",
    lambda x, dim: F.log_softmax(x, dim),
)
W("7.3", "log of softmax", lambda x, dim: torch.log(sm_ok(x, dim)))
W("7.3", "no max", lambda x, dim: x - x.exp().sum(dim, keepdim=True).log())
W(
    "7.3",
    "forgot to add m",
    lambda x, dim: x - (x - x.max(dim, keepdim=True).values).exp().sum(dim, keepdim=True).log(),
)
W(
    "7.3",
    "global max",
    lambda x, dim: x - (x.max() + (x - x.max()).exp().sum(dim, keepdim=True).log()),
)
W(
    "7.3",
    "sign",
    lambda x, dim: (
        (
            x.max(dim, keepdim=True).values
            + (x - x.max(dim, keepdim=True).values).exp().sum(dim, keepdim=True).log()
        )
        - x
    ),
)
W("7.3", "no keepdim lse", lambda x, dim: x - torch.logsumexp(x, dim))
# 8.1
R("8.1", "torch.tanh", lambda x: 1 - torch.tanh(x) ** 2)
R("8.1", "pow", lambda x: 1 - x.tanh().pow(2))
R("8.1", "sech^2", lambda x: 1 / torch.cosh(x) ** 2)
R("8.1", "t*t", lambda x: 1.0 - torch.tanh(x) * torch.tanh(x))
R("8.1", "sub", lambda x: torch.ones_like(x) - torch.tanh(x).square())
W("8.1", "1 - tanh", lambda x: 1 - torch.tanh(x))
W("8.1", "(1-tanh)^2", lambda x: (1 - torch.tanh(x)) ** 2)
W("8.1", "1 - x^2", lambda x: 1 - x**2)
W("8.1", "sigmoid deriv", lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)))
W("8.1", "numpy", lambda x: 1 - np.tanh(x.detach().numpy()) ** 2)
W(
    "8.1",
    "math.tanh",
    lambda x: torch.tensor([1 - math.tanh(v) ** 2 for v in x.flatten().tolist()]).reshape(x.shape),
)
W(
    "8.1",
    "in-place",
    lambda x: 1 - x.tanh_() ** 2 if not x.requires_grad else 1 - x.tanh() ** 2 + 0 * x.add_(0),
)
W("8.1", "detach", lambda x: (1 - x.tanh() ** 2).detach())
# 8.2
R("8.2", "0.0099", lambda: 0.0099)
R("8.2", "str", lambda: "0.0099")
R("8.2", "9.9e-3", lambda: 9.9e-3)
W("8.2", "0.01", lambda: 0.01)
W("8.2", "0.995", lambda: 0.995)
W("8.2", "0.0025", lambda: 0.0025)
# 8.3
R("8.3", "ok", lambda x, threshold=0.01: ((1 - x.tanh() ** 2) < threshold).float().mean().item())
R(
    "8.3",
    "sum/numel",
    lambda x, threshold=0.01: ((1 - torch.tanh(x) ** 2) < threshold).sum().item() / x.numel(),
)
R(
    "8.3",
    "tensor 0-d",
    lambda x, threshold=0.01: ((1 - torch.tanh(x) ** 2) < threshold).float().mean(),
)
W("8.3", "<=", lambda x, threshold=0.01: ((1 - x.tanh() ** 2) <= threshold).float().mean().item())
W("8.3", ">", lambda x, threshold=0.01: ((1 - x.tanh() ** 2) > threshold).float().mean().item())
W("8.3", "tanh < thr", lambda x, threshold=0.01: (x.tanh().abs() < threshold).float().mean().item())
W("8.3", "count", lambda x, threshold=0.01: ((1 - x.tanh() ** 2) < threshold).sum().item())
W(
    "8.3",
    "mean over dim 0",
    lambda x, threshold=0.01: ((1 - x.tanh() ** 2) < threshold).float().mean(0),
)
W(
    "8.3",
    "hard-coded 0.01",
    lambda x, threshold=0.01: ((1 - x.tanh() ** 2) < 0.01).float().mean().item(),
)
W(
    "8.3",
    "shape[0]",
    lambda x, threshold=0.01: ((1 - x.tanh() ** 2) < threshold).sum().item() / x.shape[0],
)
# 8.4
R("8.4", "list", lambda: ["tanh", "relu", "sigmoid"])
R("8.4", "str caps", lambda: "Tanh > ReLU > Sigmoid")
W("8.4", "reversed", lambda: ["sigmoid", "relu", "tanh"])
W("8.4", "relu first", lambda: ["relu", "tanh", "sigmoid"])


# 9.1
def sgd_ok(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p if weight_decay else grad
    if momentum:
        if buf is None:
            buf = np.copy(d)
        else:
            buf = buf * momentum + (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    return p - lr * d, buf


R("9.1", "ok", sgd_ok)


def sgd_clone_inplace(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad.copy()
    d += weight_decay * p
    if momentum != 0:
        if buf is None:
            buf = d.copy()
        else:
            buf = momentum * buf + (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    return p - lr * d, buf


R("9.1", "copy then +=", sgd_clone_inplace)


def sgd_damp_first(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum:
        buf = (1 - dampening) * d if buf is None else momentum * buf + (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    return p - lr * d, buf


W("9.1", "dampening on first", sgd_damp_first)


def sgd_buf_zero(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum:
        buf = np.zeros_like(p) if buf is None else buf
        buf = momentum * buf + (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    return p - lr * d, buf


W("9.1", "buffer starts at 0", sgd_buf_zero)


def sgd_inplace(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum:
        if buf is None:
            buf = d.copy()
        else:
            buf *= momentum
            buf += (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    p -= lr * d
    return p, buf


W("9.1", "p -= and buf *= in place (torch does it!)", sgd_inplace)


def sgd_alias(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum:
        buf = d if buf is None else momentum * buf + (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    return p - lr * d, buf


R("9.1", "buf aliases fresh d", sgd_alias)


def sgd_alias_grad(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    if weight_decay:
        grad = grad + weight_decay * p
    if momentum:
        buf = grad if buf is None else momentum * buf + (1 - dampening) * grad
        grad = grad + momentum * buf if nesterov else buf
    return p - lr * grad, buf


R("9.1", "buf is grad when wd=0", sgd_alias_grad)


def sgd_plus(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum:
        buf = d.copy() if buf is None else momentum * buf + (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    return p + lr * d, buf


W("9.1", "sign", sgd_plus)


def sgd_wd_sub(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad
    if momentum:
        buf = d.copy() if buf is None else momentum * buf + (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    return p - lr * d - lr * weight_decay * p, buf


W("9.1", "decoupled decay", sgd_wd_sub)


def sgd_torch(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    t = torch.tensor(p, requires_grad=True)
    t.grad = torch.tensor(grad)
    o = torch.optim.SGD(
        [t],
        lr=lr,
        momentum=momentum,
        dampening=dampening,
        weight_decay=weight_decay,
        nesterov=nesterov,
    )
    if buf is not None:
        o.state[t]["momentum_buffer"] = torch.tensor(buf)
    o.step()
    b = o.state[t].get("momentum_buffer")
    return t.detach().numpy(), None if b is None else b.numpy()


R("9.1", "drive optim.SGD", sgd_torch)


def sgd_nonone(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum:
        buf = d.copy() if buf is None else momentum * buf + (1 - dampening) * d
        d = d + momentum * buf if nesterov else buf
    return p - lr * d, buf if buf is not None else np.zeros_like(p)


W("9.1", "zeros buffer when momentum=0", sgd_nonone)
# 9.2
R("9.2", "list", lambda: [1.5, -3])
R("9.2", "str", lambda: "1.5, -3.0")
W("9.2", "half", lambda: [0.75, -1.5])
W("9.2", "double", lambda: [3, -6])
# 9.3
R("9.3", "ok", lambda bs: sum(l.item() for l, n in bs) / sum(n for _, n in bs))
R("9.3", "loop", lambda bs: float(sum(l for l, _ in bs) / sum(n for _, n in bs)))
R(
    "9.3",
    "tensor total",
    lambda bs: (torch.stack([l for l, _ in bs]).sum() / sum(n for _, n in bs)).item(),
)
R("9.3", "tensor result", lambda bs: torch.stack([l for l, _ in bs]).sum() / sum(n for _, n in bs))
W("9.3", "per batch", lambda bs: sum(float(l) for l, _ in bs) / len(bs))
W("9.3", "mean of means", lambda bs: sum(float(l) / n for l, n in bs) / len(bs))
W("9.3", "times n", lambda bs: sum(float(l) * n for l, n in bs) / sum(n for _, n in bs))
W("9.3", "batch size from first", lambda bs: sum(float(l) for l, _ in bs) / (len(bs) * bs[0][1]))
# 9.4
R("9.4", "4 decimals", lambda: [1.0385, 1.9615])
R("9.4", "str", lambda: "1.0385 1.9615")
W("9.4", "3 decimals only", lambda: [1.039, 1.961])
W("9.4", "swapped", lambda: [1.9615, 1.0385])


# 9.5
def tl_ok(model, optimizer, loss_fn, batches):
    for x, y in batches:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return model


def tl_zero_after(model, optimizer, loss_fn, batches):
    for x, y in batches:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return model


def tl_model_zero(model, optimizer, loss_fn, batches):
    for x, y in batches:
        model.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    return model


def tl_noret(model, optimizer, loss_fn, batches):
    for x, y in batches:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()


def tl_nozero(model, optimizer, loss_fn, batches):
    for x, y in batches:
        loss_fn(model(x), y).backward()
        optimizer.step()
    return model


def tl_order(model, optimizer, loss_fn, batches):
    for x, y in batches:
        optimizer.zero_grad()
        optimizer.step()
        loss_fn(model(x), y).backward()
    return model


def tl_args(model, optimizer, loss_fn, batches):
    for x, y in batches:
        optimizer.zero_grad()
        loss_fn(y, model(x)).backward()
        optimizer.step()
    return model


def tl_once(model, optimizer, loss_fn, batches):
    x, y = batches[0]
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()
    return model


def tl_manual(model, optimizer, loss_fn, batches):
    for x, y in batches:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
    return model


R("9.5", "ok", tl_ok)
W("9.5", "zero after step", tl_zero_after)
R("9.5", "model.zero_grad", tl_model_zero)
R("9.5", "no return", tl_noret)
W("9.5", "no zero_grad", tl_nozero)
W("9.5", "step before backward", tl_order)
R("9.5", "loss args swapped (mse symmetric)", tl_args)
W("9.5", "one batch", tl_once)
W("9.5", "manual step ignores momentum", tl_manual)
# 10.1
R("10.1", "index", lambda w, i: w[i])
R("10.1", "F.embedding", lambda w, i: F.embedding(i, w))
R(
    "10.1",
    "index_select",
    lambda w, i: w.index_select(0, i.reshape(-1)).reshape(*i.shape, w.shape[1]),
)
R("10.1", "long()", lambda w, i: w[i.long()])
W("10.1", "transposed", lambda w, i: w.T[i])
W("10.1", "columns", lambda w, i: w[:, i])
W("10.1", "detach", lambda w, i: w.detach()[i])
W("10.1", "data", lambda w, i: w.data[i])
W("10.1", "numpy", lambda w, i: torch.tensor(w.detach().numpy()[i.numpy()]))
W("10.1", "flatten idx", lambda w, i: w[i.flatten()])
W("10.1", "list comp 1-D only", lambda w, i: torch.stack([w[j] for j in i.flatten().tolist()]))


# 10.2
def oh_ok(w, i):
    oh = F.one_hot(i, w.shape[0]).float()
    return oh @ w


R("10.2", "F.one_hot", oh_ok)
R("10.2", "eye", lambda w, i: torch.eye(w.shape[0])[i] @ w)
R("10.2", "to(dtype)", lambda w, i: F.one_hot(i, num_classes=w.size(0)).to(w.dtype) @ w)
R(
    "10.2",
    "matmul",
    lambda w, i: torch.matmul((i[..., None] == torch.arange(w.shape[0])).float(), w),
)
W("10.2", "lookup", lambda w, i: w[i])
W("10.2", "one_hot without num_classes", lambda w, i: F.one_hot(i).float() @ w)
W("10.2", "long one-hot", lambda w, i: F.one_hot(i, w.shape[0]) @ w)
W("10.2", "one-hot @ w.T", lambda w, i: F.one_hot(i, w.shape[1]).float() @ w.T)
W("10.2", "double", lambda w, i: F.one_hot(i, w.shape[0]).double() @ w.double())
W("10.2", "detach", lambda w, i: F.one_hot(i, w.shape[0]).float() @ w.detach())
# 10.3
R("10.3", "lists", lambda: [[0, 1, 4], [0, 1]])
R("10.3", "sets", lambda: [{4, 0, 1}, {1, 0}])
W("10.3", "padding row in second", lambda: [[0, 1, 4], [0, 1, 4]])
W("10.3", "pad 0 assumed", lambda: [[0, 1, 4], [1, 4]])


# 10.4
def mm_ok2(v, t, p):
    m = (t != p).unsqueeze(-1).float()
    return (v * m).sum(1) / m.sum(1)


R("10.4", "unsqueeze", mm_ok2)
R(
    "10.4",
    "ne / to",
    lambda v, t, p: (
        (v * t.ne(p)[..., None].to(v.dtype)).sum(dim=1) / t.ne(p).sum(dim=1, keepdim=True)
    ),
)
R(
    "10.4",
    "masked_fill",
    lambda v, t, p: (
        v.masked_fill((t == p).unsqueeze(-1), 0.0).sum(1) / (t != p).sum(-1, keepdim=True).float()
    ),
)
R(
    "10.4",
    "einsum",
    lambda v, t, p: (
        torch.einsum("bt,btd->bd", (t != p).float(), v) / (t != p).float().sum(1, keepdim=True)
    ),
)
W("10.4", "pad 0 hard-coded", lambda v, t, p: mm_ok2(v, t, 0))
W("10.4", "plain mean", lambda v, t, p: v.mean(1))
W("10.4", "sum / T", lambda v, t, p: (v * (t != p).float().unsqueeze(-1)).sum(1) / t.shape[1])
W(
    "10.4",
    "== p",
    lambda v, t, p: (
        mm_ok2(v, t, p) * 0
        + (v * (t == p).float().unsqueeze(-1)).sum(1) / (t == p).float().sum(1, keepdim=True)
    ),
)
W(
    "10.4",
    "no keepdim",
    lambda v, t, p: (v * (t != p).float().unsqueeze(-1)).sum(1) / (t != p).float().sum(1),
)
W(
    "10.4",
    "mean over dim 0",
    lambda v, t, p: (
        (v * (t != p).float().unsqueeze(-1)).sum(0) / (t != p).float().sum(0).unsqueeze(-1)
    ),
)
R(
    "10.4",
    "long mask int division",
    lambda v, t, p: (
        (v * (t != p).long().unsqueeze(-1)).sum(1) / (t != p).long().sum(1, keepdim=True)
    ),
)
W(
    "10.4",
    "in-place zero",
    lambda v, t, p: (
        (v.masked_fill_((t == p).unsqueeze(-1), 0)).sum(1) / (t != p).float().sum(1, keepdim=True)
    ),
)

# -- a second round --
R("0.1", "as_tensor count", lambda x: x.sum(1) / torch.as_tensor(float(x.shape[1])))
R("0.1", "torch.tensor count", lambda x: x.sum(dim=1) / torch.tensor(x.shape[1]))
R("0.1", "mul 1/n", lambda x: x.sum(1) * (1.0 / x.shape[1]))


def m_fresh(x):
    s = x.sum(1)
    s /= x.shape[1]
    return s


R("0.1", "in-place on fresh sum", m_fresh)
W("0.1", "x.T.mean(1)", lambda x: x.T.mean(1))
R(
    "0.1",
    "tensor(count) float64 0-d",
    lambda x: x.sum(1) / torch.tensor(float(x.shape[1]), dtype=torch.float64),
)
W("0.1", "int division", lambda x: x.sum(1) // x.shape[1])
W("0.1", "keepdim", lambda x: x.mean(dim=1, keepdim=True))
W("0.1", "mean(-2)", lambda x: x.mean(-2))
W("0.1", "item list", lambda x: torch.tensor([r.mean().item() for r in x]))
R("0.1", "stack rows", lambda x: torch.stack([r.mean() for r in x]))
W("0.1", "float64 ones", lambda x: x @ torch.ones(x.shape[1], dtype=torch.float64) / x.shape[1])
# 4.4
R("4.4", "swapaxes? transpose(2,1)", lambda q, k: q.matmul(k.transpose(2, 1)))
W("4.4", "k.t()", lambda q, k: q @ k.t())
W("4.4", "permute(0,2,1) on q", lambda q, k: q.permute(0, 2, 1) @ k)
W("4.4", "elementwise", lambda q, k: (q * k).sum(-1))
W("4.4", "k^T q", lambda q, k: k @ q.transpose(-2, -1))
W("4.4", "detach k", lambda q, k: q @ k.detach().transpose(-2, -1))
# 5.1
R("5.1", "x.matmul(w.T)", lambda x, w, b: x.matmul(w.T).add(b))
R("5.1", "torch.add", lambda x, w, b: torch.add(x @ w.T, b))
R(
    "5.1",
    "addmm-like for any shape",
    lambda x, w, b: (x.reshape(-1, x.shape[-1]) @ w.T + b).reshape(*x.shape[:-1], w.shape[0]),
)
W("5.1", "w @ x", lambda x, w, b: (w @ x.T).T + b)
W("5.1", "b as column", lambda x, w, b: x @ w.T + b.unsqueeze(-1))
W("5.1", "sub bias", lambda x, w, b: x @ w.T - b)
W("5.1", "no_grad", lambda x, w, b: (lambda: [None for _ in ()])() or _ng(x, w, b))


def _ng(x, w, b):
    with torch.no_grad():
        return x @ w.T + b


W("5.1", "weight.data", lambda x, w, b: x @ w.data.t() + b)


def _ip(x, w, b):
    out = x @ w.T
    out += b
    b.mul_(1.0) if False else None
    return out


R("5.1", "+= on fresh out", _ip)


def _bad_ip(x, w, b):
    with torch.no_grad():
        x.mul_(1.0)
    return x @ w.T + b


# 6.1
R(
    "6.1",
    "std unbiased=False?",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True))
        / torch.sqrt(x.var(dim=-1, keepdim=True, correction=0) + eps)
        * g
        + b
    ),
)
R(
    "6.1",
    "F.layer_norm via shape[-1:]",
    lambda x, g, b, eps=1e-5: F.layer_norm(x, x.shape[-1:], weight=g, bias=b, eps=eps),
)
R("6.1", "nn.LayerNorm module copying", lambda x, g, b, eps=1e-5: _ln_mod(x, g, b, eps))


def _ln_mod(x, g, b, eps):
    return F.layer_norm(x, (x.shape[-1],), g, b, eps)


W(
    "6.1",
    "F.layer_norm default eps",
    lambda x, g, b, eps=1e-5: F.layer_norm(x, (x.shape[-1],), g, b),
)
W(
    "6.1",
    "var over N-1 manual",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True))
        / (
            ((x - x.mean(-1, keepdim=True)) ** 2).sum(-1, keepdim=True) / (x.shape[-1] - 1) + eps
        ).sqrt()
        * g
        + b
    ),
)
W(
    "6.1",
    "eps squared",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, keepdim=True, correction=0) + eps**2).sqrt() * g
        + b
    ),
)
W(
    "6.1",
    "beta before gamma",
    lambda x, g, b, eps=1e-5: (
        ((x - x.mean(-1, keepdim=True)) / (x.var(-1, keepdim=True, correction=0) + eps).sqrt() + b)
        * g
    ),
)
W(
    "6.1",
    "std + eps inside? std(correction=0)+eps",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.std(-1, keepdim=True, correction=0) + eps) * g + b
    ),
)
# 6.4
R("6.4", "flatten(-k)", lambda x, ns, g, b, eps=1e-5: _fl(x, ns, g, b, eps))


def _fl(x, ns, g, b, eps):
    f = x.flatten(x.dim() - len(ns))
    y = (f - f.mean(-1, keepdim=True)) / (f.var(-1, correction=0, keepdim=True) + eps).sqrt()
    return y.view(x.shape) * g + b


W(
    "6.4",
    "hard-coded 2 dims",
    lambda x, ns, g, b, eps=1e-5: (
        (x - x.mean((-2, -1), keepdim=True))
        / (x.var((-2, -1), correction=0, keepdim=True) + eps).sqrt()
        * g
        + b
    ),
)
W("6.4", "ignores eps", lambda x, ns, g, b, eps=1e-5: F.layer_norm(x, ns, g, b))
# 7.1
R(
    "7.1",
    "amax-free: torch.max values",
    lambda x, dim: (lambda e: e / torch.sum(e, dim=dim, keepdim=True))(
        torch.exp(x - torch.max(x, dim, True).values)
    ),
)


def sm_fresh(x, dim):
    e = x - x.max(dim=dim, keepdim=True).values
    e = e.exp()
    e /= e.sum(dim=dim, keepdim=True)
    return e


W("7.1", "in-place /= on exp's output (torch raises at backward)", sm_fresh)
W(
    "7.1",
    "dim hard-coded 1",
    lambda x, dim: (lambda e: e / e.sum(1, keepdim=True))(
        (x - x.max(1, keepdim=True).values).exp()
    ),
)
W(
    "7.1",
    "min instead of max",
    lambda x, dim: (lambda e: e / e.sum(dim, keepdim=True))(
        (x - x.min(dim, keepdim=True).values).exp()
    ),
)
W(
    "7.1",
    "add max",
    lambda x, dim: (lambda e: e / e.sum(dim, keepdim=True))(
        (x + x.max(dim, keepdim=True).values).exp()
    ),
)
W(
    "7.1",
    "float64",
    lambda x, dim: (lambda e: e / e.sum(dim, keepdim=True))(
        (x.double() - x.double().max(dim, keepdim=True).values).exp()
    ),
)
W(
    "7.1",
    "sum not keepdim + unsqueeze wrong",
    lambda x, dim: (lambda e: e / e.sum(dim).unsqueeze(0))(
        (x - x.max(dim, keepdim=True).values).exp()
    ),
)
R(
    "7.1",
    "sum unsqueeze right",
    lambda x, dim: (lambda e: e / e.sum(dim).unsqueeze(dim))(
        (x - x.max(dim, keepdim=True).values).exp()
    ),
)
# 7.3
R(
    "7.3",
    "log(sum) + m via unsqueeze",
    lambda x, dim: (
        x
        - x.max(dim).values.unsqueeze(dim)
        - (x - x.max(dim).values.unsqueeze(dim)).exp().sum(dim).log().unsqueeze(dim)
    ),
)


def ls_fresh(x, dim):
    s = x - x.max(dim, keepdim=True).values
    s -= s.exp().sum(dim, keepdim=True).log()
    return s


R("7.3", "-= on fresh", ls_fresh)
W(
    "7.3",
    "log10",
    lambda x, dim: (
        x
        - (
            x.max(dim, keepdim=True).values
            + (x - x.max(dim, keepdim=True).values).exp().sum(dim, keepdim=True).log10()
        )
    ),
)
W(
    "7.3",
    "mean instead of sum",
    lambda x, dim: (
        x
        - (
            x.max(dim, keepdim=True).values
            + (x - x.max(dim, keepdim=True).values).exp().mean(dim, keepdim=True).log()
        )
    ),
)
W(
    "7.3",
    "dim 0",
    lambda x, dim: (
        x - torch.logsumexp(x, 0, keepdim=True)
        if False
        else (lambda m: x - (m + (x - m).exp().sum(0, keepdim=True).log()))(
            x.max(0, keepdim=True).values
        )
    ),
)
W("7.3", "x - max only", lambda x, dim: x - x.max(dim, keepdim=True).values)
# 8.1
R("8.1", "via grad", lambda x: 1 - torch.tanh(x) ** 2.0)
R("8.1", "exp formula", lambda x: 4 / (torch.exp(x) + torch.exp(-x)) ** 2)
W("8.1", "1 + tanh^2", lambda x: 1 + torch.tanh(x) ** 2)
W("8.1", "2 * tanh", lambda x: 2 * torch.tanh(x))
W(
    "8.1",
    "float64 via np",
    lambda x: torch.tensor(1 - np.tanh(x.detach().numpy().astype(np.float64)) ** 2),
)
# 10.1
R("10.1", "weight[idx, :]", lambda w, i: w[i, :])
R("10.1", "nn.functional embedding kw", lambda w, i: F.embedding(input=i, weight=w))
W("10.1", "one-hot float64", lambda w, i: F.one_hot(i, w.shape[0]).double() @ w.double())
W("10.1", "idx-1", lambda w, i: w[i - 1])
W("10.1", "clone at start then index in no_grad", lambda w, i: _ng_idx(w, i))


def _ng_idx(w, i):
    with torch.no_grad():
        return w[i]


# 10.2
R("10.2", "one_hot.type_as", lambda w, i: F.one_hot(i, w.shape[0]).type_as(w) @ w)
R(
    "10.2",
    "compare with arange float",
    lambda w, i: (i.unsqueeze(-1) == torch.arange(w.size(0))).to(torch.float32) @ w,
)
R("10.2", "one_hot * 1.0 python float", lambda w, i: (F.one_hot(i, w.shape[0]) * 1.0) @ w)
W("10.2", "w @ onehot.T", lambda w, i: (w.T @ F.one_hot(i, w.shape[0]).float().T).T)
# 10.4
R(
    "10.4",
    "sum/clamp",
    lambda v, t, p: (v * (t != p).unsqueeze(-1)).sum(1) / (t != p).sum(1, keepdim=True),
)
W(
    "10.4",
    "mask not unsqueezed",
    lambda v, t, p: (v * (t != p).float()).sum(1) / (t != p).float().sum(1, keepdim=True),
)
W(
    "10.4",
    "mean of masked incl pad count",
    lambda v, t, p: (v * (t != p).float().unsqueeze(-1)).mean(1),
)
W(
    "10.4",
    "padding 1",
    lambda v, t, p: (
        (v * (t != 1).float().unsqueeze(-1)).sum(1) / (t != 1).float().sum(1, keepdim=True)
    ),
)


# 9.1
def sgd_np_inplace_copy(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    p = p.copy()
    d = grad.copy()
    if weight_decay != 0:
        d += weight_decay * p
    if momentum != 0:
        if buf is None:
            buf = d.copy()
        else:
            buf = buf.copy()
            buf *= momentum
            buf += (1 - dampening) * d
        if nesterov:
            d += momentum * buf
        else:
            d = buf
    p -= lr * d
    return p, buf


R("9.1", "copies then in-place", sgd_np_inplace_copy)


def sgd_nest_buf_alias(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum != 0:
        if buf is None:
            buf = d
        else:
            buf = momentum * buf + (1 - dampening) * d
        if nesterov:
            d += momentum * buf
        else:
            d = buf
    return p - lr * d, buf


W("9.1", "nesterov d += aliases buf on first step", sgd_nest_buf_alias)


def sgd_torch_tensor(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    P = torch.tensor(p)
    G = torch.tensor(grad)
    d = G + weight_decay * P
    if momentum:
        b = d.clone() if buf is None else momentum * torch.tensor(buf) + (1 - dampening) * d
        d = d + momentum * b if nesterov else b
        buf = b.numpy()
    return (P - lr * d).numpy(), buf


R("9.1", "torch tensors inside, numpy out", sgd_torch_tensor)
W(
    "9.1",
    "returns tensors",
    lambda *a: tuple(None if v is None else torch.tensor(v) for v in sgd_torch_tensor(*a)),
)


def sgd_nesterov_wrong(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum:
        buf = d.copy() if buf is None else momentum * buf + (1 - dampening) * d
        d = buf + momentum * buf if nesterov else buf
    return p - lr * d, buf


W("9.1", "nesterov buf+m*buf", sgd_nesterov_wrong)


def sgd_damp_g(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d = grad + weight_decay * p
    if momentum:
        buf = d.copy() if buf is None else momentum * buf + dampening * d
        d = d + momentum * buf if nesterov else buf
    return p - lr * d, buf


W("9.1", "dampening not 1-dampening", sgd_damp_g)
# 1.2 / 1.3 / 5.2 / 5.4
R(
    "1.2",
    "functools.reduce",
    lambda s: (lambda rf: (s[1] * rf, s[0] * rf))(
        __import__("functools").reduce(lambda a, b: a * b, s[2:], 1)
    ),
)
R("1.2", "numel trick", lambda s: (torch.empty(s)[0].numel(), torch.empty(s)[:, 0].numel()))
R(
    "1.2",
    "0-d tensor values",
    lambda s: (torch.tensor(s[1] * math.prod(s[2:])), torch.tensor(s[0] * math.prod(s[2:]))),
)
R("1.3", "int literals", lambda fan_in, fan_out, gain=1: gain * (6 / (fan_in + fan_out)) ** (1 / 2))
W("1.3", "integer division", lambda fi, fo, gain=1.0: gain * math.sqrt(6 // (fi + fo)))
R("5.2", "1/in**.5", lambda i, o: 1.0 / i**0.5)
R("5.2", "0-d tensor result", lambda i, o: torch.tensor(1 / math.sqrt(i)))
R("5.4", "bias*o", lambda i, o, bias=True: i * o + bias * o)
W("5.4", "bool str", lambda i, o, bias=True: i * o + (o if bias == "True" else 0))
# 9.3
R("9.3", "numpy", lambda bs: float(np.sum([l.item() for l, _ in bs]) / np.sum([n for _, n in bs])))
W("9.3", "int division", lambda bs: sum(float(l) for l, _ in bs) // sum(n for _, n in bs))
W("9.3", "mean of losses list", lambda bs: float(np.mean([float(l) for l, _ in bs])))

# -- a third round: the torch spellings the engine gained --
R("0.1", "mean(axis=1)", lambda x: x.mean(axis=1))
R("0.1", "torch.mean(x, axis=-1)", lambda x: torch.mean(x, axis=-1))
R(
    "6.1",
    "var(unbiased=False)",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, unbiased=False, keepdim=True) + eps).sqrt() * g
        + b
    ),
)
W(
    "6.1",
    "var(unbiased=True)",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.var(-1, unbiased=True, keepdim=True) + eps).sqrt() * g
        + b
    ),
)
R(
    "6.1",
    "std(unbiased=False) inside",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True))
        / (x.std(-1, unbiased=False, keepdim=True) ** 2 + eps) ** 0.5
        * g
        + b
    ),
)
W(
    "6.1",
    "std(unbiased=False) + eps",
    lambda x, g, b, eps=1e-5: (
        (x - x.mean(-1, keepdim=True)) / (x.std(-1, unbiased=False, keepdim=True) + eps) * g + b
    ),
)
R(
    "6.4",
    "var(dims, unbiased=False)",
    lambda x, ns, g, b, eps=1e-5: (
        (x - x.mean(tuple(range(-len(ns), 0)), keepdim=True))
        / (x.var(tuple(range(-len(ns), 0)), unbiased=False, keepdim=True) + eps).sqrt()
        * g
        + b
    ),
)
R(
    "7.1",
    "amax",
    lambda x, dim: (lambda e: e / e.sum(dim, keepdim=True))((x - x.amax(dim, keepdim=True)).exp()),
)
R(
    "7.1",
    "torch.amax",
    lambda x, dim: (lambda e: e / e.sum(dim=dim, keepdim=True))(
        torch.exp(x - torch.amax(x, dim=dim, keepdim=True))
    ),
)
W(
    "7.1",
    "amax global",
    lambda x, dim: (lambda e: e / e.sum(dim, keepdim=True))((x - x.amax()).exp()),
)
W(
    "7.1",
    "amax no keepdim",
    lambda x, dim: (lambda e: e / e.sum(dim, keepdim=True))((x - x.amax(dim)).exp()),
)
R(
    "7.3",
    "amax + log sum exp",
    lambda x, dim: (lambda m: x - m - (x - m).exp().sum(dim, keepdim=True).log())(
        x.amax(dim, keepdim=True)
    ),
)
R("8.1", "torch.square", lambda x: 1 - torch.square(torch.tanh(x)))
R("8.1", "torch.cosh", lambda x: torch.cosh(x) ** -2)
R("10.2", "one_hot.to(weight.dtype)", lambda w, i: F.one_hot(i, w.shape[0]).to(w.dtype) @ w)
R("4.4", "swapaxes", lambda q, k: q @ k.swapaxes(-1, -2))
R("4.4", "torch.transpose", lambda q, k: torch.matmul(q, torch.transpose(k, 1, 2)))
R("5.1", "F.linear kw", lambda x, w, b: F.linear(x, weight=w, bias=b))
R(
    "10.4",
    "where",
    lambda v, t, p: (
        torch.where((t != p).unsqueeze(-1), v, torch.zeros_like(v)).sum(1)
        / (t != p).sum(1, keepdim=True)
    ),
)


# -- a fourth round: shape functions, containers and predictions --
def mat_manual(a, b):
    if not a or not b:
        raise ValueError("0-d")
    a2 = list(a) if len(a) > 1 else [1, a[0]]
    b2 = list(b) if len(b) > 1 else [b[0], 1]
    if a2[-1] != b2[-2]:
        raise ValueError("inner")
    ba, bb = a2[:-2], b2[:-2]
    n = max(len(ba), len(bb))
    ba, bb = [1] * (n - len(ba)) + ba, [1] * (n - len(bb)) + bb
    batch = []
    for x, y in zip(ba, bb):
        if x != y and 1 not in (x, y):
            raise ValueError("batch")
        batch.append(y if x == 1 else x)
    out = batch + ([a2[-2]] if len(a) > 1 else []) + ([b2[-1]] if len(b) > 1 else [])
    return tuple(out)


R("4.2", "by hand", mat_manual)
W("4.2", "returns list", lambda a, b: list(mat_manual(a, b)))
W(
    "4.2",
    "batch max without check",
    lambda a, b: (
        mat_manual(a, b)
        if len(a) < 3 or len(b) < 3
        else tuple(max(x, y) for x, y in zip(a[:-2], b[:-2])) + (a[-2], b[-1])
    ),
)


def mat_runtime(a, b):
    if a[-1] != (b[-2] if len(b) > 1 else b[0]):
        raise RuntimeError("inner")
    return mat_manual(a, b)


W("4.2", "RuntimeError not ValueError", mat_runtime)
R(
    "4.1",
    "torch.Size result -> tuple",
    lambda a, b: (
        tuple(torch.Size([a[0], b[1]]))
        if len(a) == len(b) == 2 and a[1] == b[0]
        else (_ for _ in ()).throw(ValueError("no"))
    ),
)
R(
    "4.1",
    "returns torch.Size (a tuple)",
    lambda a, b: (
        torch.Size([a[0], b[1]])
        if len(a) == len(b) == 2 and a[1] == b[0]
        else (_ for _ in ()).throw(ValueError("no"))
    ),
)


def mm_none(a, b):
    if len(a) != 2 or len(b) != 2 or a[1] != b[0]:
        return None
    return (a[0], b[1])


W("4.1", "returns None instead of raising", mm_none)


class MH_modulelist(nn.Module):
    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.heads = nn.ModuleList([nn.Linear(in_features, head_features) for _ in range(n_heads)])

    def forward(self, x):
        return torch.cat([h(x) for h in self.heads], dim=-1)


W("3.1", "ModuleList named heads.0 (task asks attention_i)", MH_modulelist)


class MH_addmodule(nn.Module):
    def __init__(self, in_features, head_features, n_heads):
        super().__init__()
        self.n_heads = n_heads
        for i in range(n_heads):
            self.add_module("attention_" + str(i), nn.Linear(in_features, head_features))

    def forward(self, x):
        outs = []
        for name, m in self.named_children():
            outs.append(m(x))
        return torch.cat(outs, dim=x.dim() - 1)


R("3.1", "add_module + named_children + dim=x.dim()-1", MH_addmodule)


class MH_one_based(MH_addmodule):
    def __init__(self, in_features, head_features, n_heads):
        nn.Module.__init__(self)
        self.n_heads = n_heads
        for i in range(1, n_heads + 1):
            self.add_module(f"attention_{i}", nn.Linear(in_features, head_features))


W("3.1", "names from attention_1", MH_one_based)


class D_tuple(D_ok):
    def __init__(self, width, depth, n_out):
        nn.Module.__init__(self)
        self.layers = nn.ModuleList(tuple(nn.Linear(width, width) for _ in range(depth)))
        self.out = nn.Linear(width, n_out)


R("3.3", "ModuleList from a tuple", D_tuple)


class D_dict(D_ok):
    def __init__(self, width, depth, n_out):
        nn.Module.__init__(self)
        self.layers = nn.ModuleDict({str(i): nn.Linear(width, width) for i in range(depth)})
        self.out = nn.Linear(width, n_out)

    def forward(self, x):
        for l in self.layers.values():
            x = torch.tanh(l(x))
        return self.out(x)


R("3.3", "ModuleDict (registers them just as well)", D_dict)
R("2.3", "list of lowercase with spaces", lambda: "gain,  embed.weight , embed.bias,head.weight")
W("2.3", "module names without params", lambda: ["gain", "embed", "head"])
R("3.2", "classes", lambda: [nn.Linear, nn.LayerNorm, "Block", nn.Tanh, nn.Linear, nn.Sequential])
W(
    "3.2",
    "ModuleList inside",
    lambda: ["Linear", "LayerNorm", "Block", "Tanh", "Linear", "Sequential", "ModuleList"],
)
R(
    "3.5",
    "torch.Size",
    lambda: [torch.Size([2, 60]), torch.Size([120]), torch.Size([2, 12, 5]), torch.Size([2, 60])],
)
W("3.5", "first keeps nothing", lambda: [(120,), (120,), (2, 12, 5), (2, 60)])
R("5.3", "tuples without parens", lambda: ["4", "3, 4", "2, 3, 4"])
R("6.2", "dims as list and weight as torch.Size", lambda: [[2, 1], torch.Size([3, 4])])
W("6.2", "batch included", lambda: [(0, 1, 2), (2, 3, 4)])
R("7.2", "nested tuple", lambda: (((1.0, 1.0, 1.0),), 2))
W("7.2", "flat list", lambda: [[1, 1, 1], -1])
R("10.3", "string", lambda: ["0 1 4", "0, 1"])
W("10.3", "with duplicates ok? swapped", lambda: [[0, 1], [0, 1, 4]])
R("1.5", "set of caps", lambda: {"A", "C", "E", "F", "G"})
W("1.5", "only the obvious ones", lambda: "ae")
R("8.4", "tuple", lambda: ("tanh", "relu", "sigmoid"))
R("9.2", "tensor", lambda: torch.tensor([1.5, -3.0]))
R("1.1", "nn-style name", lambda: ["out.bias"])
W("1.1", "out layer", lambda: ["out.weight", "out.bias"])


# The text each refused answer's message must contain.
PHRASES = {
    (
        "0.1",
        "squeeze() with keepdim",
    ): "squeeze() with no dim removes every dim of size 1: a 1x1 input then gi",
    ("0.1", "mean(0)"): "you averaged over dim 0, which gives one mean per column; rows run alo",
    (
        "0.1",
        "global mean",
    ): "you averaged over every element: mean() without a dim gives a single n",
    (
        "0.1",
        "numpy round trip",
    ): "your output does not require grad, so backward() cannot reach the inpu",
    ("0.1", "return numpy"): "return a tensor (you returned a numpy.ndarray)",
    (
        "0.1",
        "in-place x/=",
    ): "your code overwrote x (an in-place op such as `+=` or `x[...] =`, or `",
    ("0.1", "detach"): "your output does not require grad, so backward() cannot reach the inpu",
    ("0.1", "double"): "your output has dtype torch.float64, but it should be torch.float32 (t",
    ("0.1", "no return"): "your function returned None: did you forget `return`?",
    ("0.1", "list"): "return a tensor (you returned a list)",
    ("0.1", "median"): "for a 3x4 tensor, your output differs: at index (0,) it is 0.1049, expe",
    ("0.1", "sum/(n-1)"): "you divided by x.shape[1] − 1: a mean divides by the number of element",
    ("1.1", "all biases"): "the hidden layer never moves: the gradient reaching it is out.weightᵀ·",
    ("1.1", "all"): "the hidden layer never moves: the gradient reaching it is out.weightᵀ·",
    ("1.1", "nothing"): "out.bias does move: its gradient is δ = 2·(prediction − target) averag",
    ("1.2", "swapped"): "you swapped them: the weight is stored (out, in, *kernel), so fan_in c",
    (
        "1.2",
        "no receptive field",
    ): "you ignored the receptive field: each output of a conv sees in·kernel ",
    ("1.2", "list"): "return a tuple (you returned a list): (5, 3) would compare equal to to",
    ("1.2", "str"): "return a number (you returned str)",
    (
        "1.2",
        "rf from s[2] only",
    ): "value 1 of your output is 15, expected 75: every value is scaled by th",
    (
        "1.3",
        "std not bound",
    ): "that is the std, gain·√(2/(fan_in+fan_out)). A uniform U(−a, a) has st",
    ("1.3", "no gain"): "you forgot the gain; the bound scales with it",
    (
        "1.3",
        "gain inside sqrt",
    ): "you took the square root of the gain too; the gain multiplies the boun",
    (
        "1.3",
        "fan_in only",
    ): "that is kaiming_uniform_'s bound, gain·√(3/fan_in); xavier's is gain·√",
    ("1.3", "precedence"): "your output is 8.00146, expected 0.136931: every value is scaled by th",
    (
        "1.3",
        "sqrt6/sqrt(fi)+sqrt(fo)",
    ): "your output is 0.102062, expected 0.136931: every value is scaled by t",
    ("1.3", "no return"): "your function returned None: did you forget `return`?",
    ("1.4", "1/16"): "that is nn.Linear's bound, 1/√fan_in, which comes from a=√5; with the ",
    ("1.4", "sqrt(6/64)"): "you used fan_out = 64: the weight is (out, in) = (64, 256), so fan_in ",
    (
        "1.4",
        "1/sqrt(256)",
    ): "that is nn.Linear's bound, 1/√fan_in, which comes from a=√5; with the ",
    ("1.4", "0.1"): "your number is 0.653 times the answer",
    ("1.4", "'0,15'"): "write a number such as 0.25, not '0,15'",
    ("1.5", "missing g"): "g) nn.init.calculate_gain('ReLU') raises: the names are case-sensitive",
    ("1.5", "extra b"): "b) nn.init.calculate_gain('relu', 5) runs: param is read only for 'lea",
    ("1.5", "none"): "write a set of names such as ('a', 'b'), not None",
    ("1.6", "1"): "that is the gain of 'linear' (and of 'sigmoid'): tanh shrinks the sign",
    ("1.6", "sqrt2"): "√2 is ReLU's gain, which makes up for losing half the signal; tanh los",
    ("1.6", "1.6"): "close, but not as precise as the task asks: write more digits",
    ("1.6", "3/5"): "that is the reciprocal of the answer (1/x)",
    (
        "2.1",
        "only second",
    ): "you added the first gradient twice, but the second loss is 3 times the",
    ("2.1", "wrong sign"): "value 3 of your list is wrong",
    ("2.1", "2 values"): "write a list of 3 values, in order; yours is [2, 8]",
    ("2.1", "dict"): "write a list of 3 values, in order; yours is {'a': 1}",
    ("2.2", "empty"): "your parameter starts from uninitialised memory (torch.empty): fill it",
    ("2.2", "float64"): "your output has dtype torch.float64, but it should be torch.float32 (t",
    (
        "2.2",
        "in-place x*=",
    ): "your code overwrote argument 2 (an in-place op such as `+=` or `x[...]",
    ("2.2", "no return"): "your function returned None: did you forget `return`?",
    ("2.2", "np.ones"): "your output has dtype torch.float64, but it should be torch.float32 (t",
    ("2.2", "zeros"): "your scale starts at [0.0, 0.0, 0.0, 0.0], not at ones: starting at 1 ",
    ("2.2", "detach"): "your output does not require grad, so backward() cannot reach the inpu",
    ("2.2", "no super"): "your code raised AttributeError: cannot assign parameters before Modul",
    (
        "2.3",
        "with head.bias",
    ): "head was built with bias=False, so it has no bias parameter (head.bias",
    ("2.3", "modules"): "'embed.weight' is missing: named_parameters() recurses into the childr",
    ("2.3", "set"): "write a list, in order: a set has no order",
    (
        "2.4",
        "trainable only",
    ): "you counted only the trainable parameters (requires_grad): a frozen pa",
    ("2.4", "len"): "you counted parameter tensors, not the numbers in them: a (3, 4) weigh",
    (
        "2.4",
        "with buffers",
    ): "you included the buffers (state_dict() and buffers() hold them): they ",
    ("2.4", "state_dict"): "you included the buffers (state_dict() and buffers() hold them): they ",
    ("2.4", "per module"): "you counted a shared parameter twice: a loop over each module's own pa",
    ("2.4", "shape[0]"): "you counted only each parameter's first dim (len(p) or p.shape[0]); p.",
    ("3.1", "plain list"): "MultiHead(4, 3, 2) registered no child modules: your heads sit in a pl",
    ("3.1", "cat dim 0"): "you concatenated along dim 0: the heads' features join on the last dim",
    ("3.1", "cat dim 1"): "your output has shape (2, 15, 2), but it should be (2, 5, 6)",
    ("3.1", "stack"): "your output has shape (2, 3, 2), but it should be (2, 6)",
    (
        "3.1",
        "shared layer",
    ): "MultiHead(4, 3, 2) registered the same Linear object under every name:",
    ("3.2", "preorder"): "that is pre-order (parent first), the order of modules() and named_mod",
    (
        "3.2",
        "no containers",
    ): "you listed only the leaves: apply calls fn on every module, the contai",
    ("3.3", "plain list"): "FixedDeep(4, 3, 2): parameters() sees only ['out.weight', 'out.bias'],",
    ("3.3", "same layer"): "FixedDeep(4, 3, 2): your layers hold the same Linear object several ti",
    ("3.3", "relu"): "you used relu after the hidden layers; Deep uses torch.tanh",
    ("3.3", "off by one"): "FixedDeep(4, 3, 2): parameters() sees ['layers.0.weight', 'layers.0.bi",
    ("3.4", "type =="): "head is a subclass of nn.Linear and was not initialised: type(m) == nn",
    ("3.4", "no return"): "your function returned None: did you forget `return`? It should return",
    (
        "3.4",
        "xavier_normal",
    ): "block.lin.weight has values beyond the xavier_uniform bound sqrt(6 / (",
    (
        "3.4",
        "all params by dim",
    ): "your function changed embed.weight, the weight of an nn.Embedding: onl",
    ("3.4", "kaiming"): "block.lin.weight is uniform up to sqrt(6 / fan_in) = 0.2500: that is k",
    ("3.4", "bias 0.01"): "block.lin.bias should be zero everywhere, but its largest value is 0.0",
    (
        "3.5",
        "third wrong",
    ): "nn.Flatten(1, 2)(x): dims count from 0: dims 1 and 2 are the sizes 3 a",
    ("3.5", "second 2d"): "torch.flatten(x): torch.flatten's default start_dim is 0, not 1: it me",
    ("4.1", "list"): "return a tuple (you returned a list): (2, 4) would compare equal to to",
    (
        "4.1",
        "no ndim check",
    ): "you did not check the inner dims: the columns of the first matrix and ",
    ("4.1", "(a0,b0)"): "value 2 of your output is 3, expected 4: every value is scaled by the ",
    ("4.1", "assert"): "this should raise ValueError, but your code raised AssertionError: ",
    (
        "4.2",
        "no broadcast, longer batch",
    ): "value 1 of your output is 1, expected 5: every value is scaled by the ",
    (
        "4.2",
        "keeps the 1s of 1-D",
    ): "the 1 put in front of a 1-D first operand (or appended to a 1-D second",
    ("4.3", "1-D keeps"): "x @ W: the 1 put in front of a 1-D first operand is removed again: x (",
    ("4.3", "no error"): "go through the rank rules product by product: torch.bmm(q, k) is not w",
    ("4.4", "k.T"): "you used k.T, which on a 3-D tensor reverses every dim and moves the b",
    (
        "4.4",
        "no transpose",
    ): "you forgot to transpose k: q @ k multiplies queries with the rows of k",
    ("4.4", "k @ q^T"): "your scores are transposed: you computed k @ qᵀ, keys against queries;",
    (
        "4.4",
        "transpose(0,1)",
    ): "you transposed the batch dim (dims 0 and 1 of k); the batch dim stays ",
    ("4.4", "scaled"): "you divided by √D: that scaling belongs to the attention formula, the ",
    ("4.4", "numpy"): "return a tensor (you returned a numpy.ndarray)",
    ("4.4", "softmaxed"): "you applied softmax: the task asks for the raw scores q @ kᵀ, before a",
    (
        "5.1",
        "no transpose",
    ): "did you forget to transpose the weight? It is stored as (out_features,",
    ("5.1", "no bias"): "you forgot to add the bias",
    (
        "5.1",
        "weight detach",
    ): "no gradient reaches weight: it was used outside autograd (.detach(), .",
    ("5.1", "w.data"): "no gradient reaches weight: it was used outside autograd (.detach(), .",
    ("5.1", "reshape"): "you reshaped the weight to (in_features, out_features) instead of tran",
    ("5.1", "bias twice"): "your output differs: at index (0, 0) it is 0.555062, expected 0.74646",
    ("5.1", "double"): "your output has dtype torch.float64, but it should be torch.float32 (t",
    (
        "5.1",
        "x.mul_ on the input",
    ): "your code overwrote x (an in-place op such as `+=` or `x[...] =`, or `",
    (
        "5.1",
        "2-D only view",
    ): "you flattened the leading dims to 2-D and did not restore them: a (*, ",
    ("5.2", "fan_out"): "you used out_features; the bound depends on in_features (the fan-in): ",
    ("5.2", "sqrt(6/in)"): "sqrt(6/in_features) is kaiming_uniform_ with nonlinearity='relu' (gain",
    ("5.2", "1/in"): "you used 1/in_features; the bound is 1/sqrt(in_features)",
    ("5.2", "xavier"): "sqrt(6/(in_features + out_features)) is xavier_uniform_'s bound; nn.Li",
    ("5.2", "sqrt(3/in)"): "sqrt(3/in_features) is kaiming_uniform_ with gain 1; nn.Linear's a=sqr",
    ("5.3", "unbatched (1,4)"): "no batch dim is added: a 1-D input gives a 1-D output",
    ("5.3", "error 3d"): "a 3-D input does not raise an error: any (*, in_features) input works",
    (
        "5.4",
        "ignores bias flag",
    ): "with bias=False the layer has no bias at all: only the in_features * o",
    ("5.4", "bias in"): "you counted in_features bias values; there is one bias per output, out",
    ("5.4", "(i+1)(o+1)"): "your output is 12, expected 9: every value is scaled by the same facto",
    ("5.4", "i*o only"): "you forgot the bias: a Linear with bias=True also has out_features bia",
    (
        "6.1",
        "unbiased var",
    ): "variance looks unbiased (divided by N−1); LayerNorm uses N: x.var(-1, ",
    (
        "6.1",
        "eps outside",
    ): "eps is outside the square root: LayerNorm divides by sqrt(var + eps), ",
    ("6.1", "no eps"): "you left out eps: a constant row then has variance 0 and gives 0/0 = n",
    (
        "6.1",
        "std unbiased",
    ): "variance looks unbiased (divided by N−1); LayerNorm uses N: x.var(-1, ",
    ("6.1", "dim 0"): "you normalised over dim 0 (the batch), which is what BatchNorm does; L",
    ("6.1", "no keepdim"): "you took the mean and the variance without keepdim=True: a (4,) mean d",
    ("6.1", "gamma beta swapped"): "you swapped γ and β: multiply by gamma, then add beta",
    ("6.1", "global"): "you normalised over the whole tensor (one mean for everything); LayerN",
    (
        "6.1",
        "eps hard-coded 1e-5",
    ): "you ignored the `eps` argument (a hard-coded 1e-5): use the eps passed",
    ("6.1", "x -= mean"): "your code overwrote x (an in-place op such as `+=` or `x[...] =`, or `",
    (
        "6.1",
        "mean detached",
    ): "your values are right but the gradient of x is not: part of the comput",
    ("6.1", "no gamma"): "you forgot γ: multiply the normalised values by gamma before adding be",
    (
        "6.1",
        "sqrt of var missing",
    ): "your output is right except at index [0, 1, 3] along dim 0 (e.g. at (0",
    ("6.2", "last only"): "dim 2 alone is what LayerNorm(4) averages over; LayerNorm((3, 4)) aver",
    (
        "6.2",
        "weight (4,)",
    ): "the weight has the shape normalized_shape: one γ for each of the 12 no",
    ("6.2", "all dims"): "the batch dim 0 is not averaged: each sample gets its own mean",
    ("6.3", "zeros"): "the normalised row is 0, but the layer then computes γ·0 + β: the outp",
    ("6.3", "nan"): "no nan: eps sits inside the square root, so the row is divided by sqrt",
    ("6.3", "gamma"): "the normalised row is 0, but the layer then computes γ·0 + β: the outp",
    (
        "6.4",
        "last dim only",
    ): "you normalised over the last dim only; normalized_shape (3, 4) covers ",
    ("6.4", "first dims"): "you normalised over the first len(normalized_shape) dims; normalized_s",
    (
        "6.4",
        "mean of per-row var",
    ): "you averaged the per-row variances: the joint variance also counts how",
    ("6.4", "unbiased"): "variance looks unbiased (divided by N−1); LayerNorm uses N: x.var(dims",
    (
        "6.4",
        "off by one dims",
    ): "you normalised over the last dim only; normalized_shape (3, 4) covers ",
    (
        "7.1",
        "F.softmax (the task builds it from exp, max and sum)",
    ): "your code raised RuntimeError: this exercise builds softmax from exp, ",
    ("7.1", "global max"): "you subtracted the global max x.max(): a slice whose values all lie fa",
    ("7.1", "no max"): "exp(x) / sum(exp(x)) overflows for large logits (exp(1e4) is inf, inf ",
    ("7.1", "no keepdim"): "you forgot keepdim=True on the max and on the sum: the reduced values ",
    ("7.1", "sum all"): "you divided by the sum over every element: divide by the sum over `dim",
    (
        "7.1",
        "dim -1 fixed",
    ): "you normalised over the last dim whatever `dim` says: pass dim to max ",
    ("7.1", "numpy"): "your output does not require grad, so backward() cannot reach the inpu",
    (
        "7.1",
        "max over wrong dim",
    ): "you subtracted a max taken over another dim: softmax is unchanged only",
    ("7.1", "x -= max"): "your code raised RuntimeError: a leaf Variable that requires grad is b",
    ("7.1", "sigmoid"): "that is the sigmoid, element by element: softmax divides each exp by t",
    (
        "7.2",
        "row softmax",
    ): "your first prediction is the softmax along dim 1 (each row sums to 1);",
    ("7.2", "dim 1"): "for the (B, T, T) scores, dim 1 makes each column sum to 1 (one key ov",
    (
        "7.3",
        "F.log_softmax (the task builds it from exp, max and sum)",
    ): "your code raised RuntimeError: this exercise builds log_softmax from e",
    (
        "7.3",
        "log of softmax",
    ): "you took log(softmax(x)): the small probabilities underflow to 0 and l",
    ("7.3", "no max"): "exp(x) overflows without the max subtracted (exp(1e4) is inf): use log",
    (
        "7.3",
        "forgot to add m",
    ): "x - log(sum(exp(x - m))) leaves out the max m subtracted inside: logsu",
    ("7.3", "global max"): "your output has inf at index (0, 0) where the value is -1.31326 (2 suc",
    ("7.3", "sign"): "your output differs: the sign is flipped",
    (
        "7.3",
        "no keepdim lse",
    ): "you subtracted logsumexp without keepdim=True: the (n,) result broadca",
    ("8.1", "1 - tanh"): "you returned 1 − tanh(x); the derivative is 1 − tanh(x)², with the squ",
    ("8.1", "(1-tanh)^2"): "you squared (1 − tanh(x)); the derivative is 1 − tanh(x)², only tanh i",
    ("8.1", "1 - x^2"): "you squared x instead of tanh(x): 1 − x² is negative for |x| > 1",
    (
        "8.1",
        "sigmoid deriv",
    ): "that is sigmoid's derivative σ(x)(1 − σ(x)), at most 0.25; tanh's is 1",
    ("8.1", "numpy"): "return a tensor (you returned a numpy.ndarray)",
    ("8.1", "math.tanh"): "your output does not require grad, so backward() cannot reach the inpu",
    ("8.1", "in-place"): "your code raised RuntimeError: a leaf Variable that requires grad is b",
    ("8.1", "detach"): "your output does not require grad, so backward() cannot reach the inpu",
    ("8.2", "0.01"): "close, but not as precise as the task asks: write more digits",
    ("8.2", "0.995"): "a number close to 1 is tanh(3) ≈ 0.995 or tanh(3)² ≈ 0.990: tanh itsel",
    ("8.2", "0.0025"): "your number is 0.253 times the answer",
    ("8.3", "<="): "you counted slopes equal to the threshold too (<=): below means strict",
    ("8.3", ">"): "that is the fraction NOT saturated (slope ≥ threshold): a saturated un",
    ("8.3", "tanh < thr"): "you compared the pre-activation |z| with the threshold; compare the sl",
    ("8.3", "count"): "you counted the saturated entries; divide by the number of entries (x.",
    ("8.3", "mean over dim 0"): "return a number (you returned a tensor of shape (25,))",
    ("8.3", "hard-coded 0.01"): "you ignored the `threshold` argument and used 0.01",
    ("8.3", "shape[0]"): "your output is 13.575, expected 0.543: every value is scaled by the sa",
    ("8.4", "reversed"): "sigmoid comes last: its slope is at most 0.25, thirty times over",
    ("8.4", "relu first"): "relu does not beat tanh here: with gain 1, relu's slope is 0 for half ",
    (
        "9.1",
        "dampening on first",
    ): "you applied dampening on the first step: torch starts the momentum buf",
    (
        "9.1",
        "buffer starts at 0",
    ): "you applied dampening on the first step: torch starts the momentum buf",
    (
        "9.1",
        "p -= and buf *= in place (torch does it!)",
    ): "your code overwrote p (an in-place op such as `+=` or `x[...] =`, or `",
    ("9.1", "sign"): "your weights moved up the gradient: SGD subtracts, p ← p − lr·g",
    (
        "9.1",
        "decoupled decay",
    ): "you added weight decay after the momentum update: torch adds weight_de",
    (
        "9.1",
        "zeros buffer when momentum=0",
    ): "value 2 of your output should be None, not a NumPy array of shape (2, ",
    ("9.2", "half"): "each of your numbers is 0.5 times the answer",
    ("9.2", "double"): "each of your numbers is 2 times the answer",
    ("9.3", "per batch"): "you divided by the number of batches, not the number of samples: that ",
    (
        "9.3",
        "mean of means",
    ): "you averaged the batch means: a smaller last batch then counts as much",
    ("9.3", "times n"): "you multiplied a summed loss by the batch size: with reduction='sum' t",
    (
        "9.3",
        "batch size from first",
    ): "your output is 0.986652, expected 1.1276: every value is scaled by the",
    ("9.4", "3 decimals only"): "close, but not as precise as the task asks: write more digits",
    ("9.4", "swapped"): "right numbers, wrong order",
    (
        "9.5",
        "zero after step",
    ): "you call zero_grad() after step(): the first step then also uses the g",
    (
        "9.5",
        "no zero_grad",
    ): "you never call zero_grad(): backward() adds each batch's gradient to t",
    (
        "9.5",
        "step before backward",
    ): "your loop left the weights as they were: step() never found a gradient",
    ("9.5", "one batch"): "you trained on the first batch only: loop over every (x, y) in batches",
    (
        "9.5",
        "manual step ignores momentum",
    ): "you updated the parameters by hand (p -= lr * p.grad): that skips what",
    (
        "10.1",
        "transposed",
    ): "you looked the indices up in the transposed weight: the table is store",
    ("10.1", "columns"): "you looked the indices up in the transposed weight: the table is store",
    ("10.1", "detach"): "your output does not require grad, so backward() cannot reach the inpu",
    ("10.1", "data"): "your output does not require grad, so backward() cannot reach the inpu",
    ("10.1", "numpy"): "your output does not require grad, so backward() cannot reach the inpu",
    (
        "10.1",
        "flatten idx",
    ): "you flattened idx: the output shape must be idx.shape + (embedding_dim",
    (
        "10.1",
        "list comp 1-D only",
    ): "you flattened idx: the output shape must be idx.shape + (embedding_dim",
    ("10.2", "lookup"): "the numbers are right, but your output's grad_fn is IndexBackward0: th",
    (
        "10.2",
        "one_hot without num_classes",
    ): "your one-hot width is idx.max() + 1, the largest index seen: it must b",
    (
        "10.2",
        "long one-hot",
    ): "your code raised RuntimeError: expected m1 and m2 to have the same dty",
    (
        "10.2",
        "one-hot @ w.T",
    ): "your code raised RuntimeError: Class values must be smaller than num_c",
    ("10.2", "double"): "your output has dtype torch.float64, but it should be torch.float32 (t",
    ("10.2", "detach"): "your output does not require grad, so backward() cannot reach the inpu",
    (
        "10.3",
        "padding row in second",
    ): "the padding row's gradient is always zero, even though idx looks it up",
    ("10.3", "pad 0 assumed"): "with padding_idx=4, the rows idx reads, minus the padding row",
    (
        "10.4",
        "pad 0 hard-coded",
    ): "you hard-coded the padding index 0: use the padding_idx argument, toke",
    (
        "10.4",
        "plain mean",
    ): "you averaged over every position, padding included (vectors.mean(dim=1",
    ("10.4", "sum / T"): "you divided by the full length T: after masking, divide by the number ",
    ("10.4", "== p"): "your mask is inverted: you averaged over the padding positions; the ma",
    (
        "10.4",
        "no keepdim",
    ): "you divided by the count without keepdim: a (B,) count divides the (B,",
    ("10.4", "mean over dim 0"): "your output has shape (4, 2), but it should be (3, 2)",
    (
        "10.4",
        "in-place zero",
    ): "your code raised RuntimeError: a leaf Variable that requires grad is b",
    (
        "0.1",
        "x.T.mean(1)",
    ): "you averaged over dim 0, which gives one mean per column; rows run alo",
    (
        "0.1",
        "int division",
    ): "you used //, which rounds each mean down to a whole number; / divides ",
    ("0.1", "keepdim"): "keepdim=True keeps the reduced dim, but the answer has one number per ",
    ("0.1", "mean(-2)"): "you averaged over dim 0, which gives one mean per column; rows run alo",
    ("0.1", "item list"): "your output does not require grad, so backward() cannot reach the inpu",
    (
        "0.1",
        "float64 ones",
    ): "your code raised RuntimeError: addmv input tensors must have the same ",
    ("4.4", "k.t()"): "k.t() only transposes 2-D matrices and raises for the 3-D k; swap the ",
    (
        "4.4",
        "permute(0,2,1) on q",
    ): "you transposed q instead of k: qᵀ @ k is (B, D, D), feature against fe",
    ("4.4", "elementwise"): "your output has shape (3, 3), but it should be (3, 3, 3)",
    ("4.4", "k^T q"): "your scores are transposed: you computed k @ qᵀ, keys against queries;",
    ("4.4", "detach k"): "no gradient reaches k: it was used outside autograd (.detach(), .data,",
    ("5.1", "w @ x"): "you transposed x instead of the weight: (weight @ x.T).T works for a 2",
    (
        "5.1",
        "b as column",
    ): "you added the bias along the wrong dim: bias[:, None] lines it up with",
    ("5.1", "sub bias"): "you subtracted the bias: nn.Linear adds it, x @ weight.T + bias",
    ("5.1", "no_grad"): "your output does not require grad, so backward() cannot reach the inpu",
    (
        "5.1",
        "weight.data",
    ): "no gradient reaches weight: it was used outside autograd (.detach(), .",
    (
        "6.1",
        "F.layer_norm default eps",
    ): "you ignored the `eps` argument (a hard-coded 1e-5): use the eps passed",
    (
        "6.1",
        "var over N-1 manual",
    ): "variance looks unbiased (divided by N−1); LayerNorm uses N: x.var(-1, ",
    ("6.1", "eps squared"): "you added eps², not eps: divide by sqrt(var + eps)",
    (
        "6.1",
        "beta before gamma",
    ): "you added β before multiplying by γ: (normalised + beta) * gamma scale",
    (
        "6.1",
        "std + eps inside? std(correction=0)+eps",
    ): "eps is outside the square root: LayerNorm divides by sqrt(var + eps), ",
    (
        "6.4",
        "hard-coded 2 dims",
    ): "you normalised over the last 2 dims whatever normalized_shape says: ta",
    (
        "6.4",
        "ignores eps",
    ): "you ignored the `eps` argument (a hard-coded 1e-5): use the eps passed",
    (
        "7.1",
        "in-place /= on exp's output (torch raises at backward)",
    ): "backward() through your output raised RuntimeError: one of the variabl",
    (
        "7.1",
        "dim hard-coded 1",
    ): "you normalised over the last dim whatever `dim` says: pass dim to max ",
    (
        "7.1",
        "min instead of max",
    ): "exp(x) / sum(exp(x)) overflows for large logits (exp(1e4) is inf, inf ",
    ("7.1", "add max"): "exp(x) / sum(exp(x)) overflows for large logits (exp(1e4) is inf, inf ",
    ("7.1", "float64"): "your output has dtype torch.float64, but it should be torch.float32 (t",
    (
        "7.1",
        "sum not keepdim + unsqueeze wrong",
    ): "you forgot keepdim=True on the sum: the reduced values broadcast along",
    ("7.3", "log10"): "your output differs: at index (0, 0) it is -0.714319, expected -1.25724",
    (
        "7.3",
        "mean instead of sum",
    ): "your output differs: every value is off by the same constant, +1.386",
    ("7.3", "dim 0"): "you normalised over dim 0 whatever `dim` says",
    (
        "7.3",
        "x - max only",
    ): "you subtracted the max only: x - m is not normalised, also subtract lo",
    ("8.1", "1 + tanh^2"): "you added tanh(x)²; the derivative is 1 − tanh(x)², minus",
    ("8.1", "2 * tanh"): "your output differs: at index (0,) it is 0, expected 1",
    (
        "8.1",
        "float64 via np",
    ): "your output has dtype torch.float64, but it should be torch.float32 (t",
    (
        "10.1",
        "one-hot float64",
    ): "your output has dtype torch.float64, but it should be torch.float32 (t",
    ("10.1", "idx-1"): "you shifted the indices (idx − 1 or idx + 1): token i's vector is row ",
    (
        "10.1",
        "clone at start then index in no_grad",
    ): "your output does not require grad, so backward() cannot reach the inpu",
    (
        "10.2",
        "w @ onehot.T",
    ): "you multiplied in the wrong order, weight.T @ one_hot.T: that gives th",
    (
        "10.4",
        "mask not unsqueezed",
    ): "your code raised RuntimeError: The size of tensor a (2) must match the",
    (
        "10.4",
        "mean of masked incl pad count",
    ): "you divided by the full length T: after masking, divide by the number ",
    ("10.4", "padding 1"): "you hard-coded the padding index 1: use the padding_idx argument, toke",
    (
        "9.1",
        "nesterov d += aliases buf on first step",
    ): "value 2 of your output differs: every value is scaled by the same fact",
    (
        "9.1",
        "returns tensors",
    ): "return a NumPy array, as the inputs are (you returned a tensor of shap",
    (
        "9.1",
        "nesterov buf+m*buf",
    ): "with nesterov=True you used buf + momentum·buf: Nesterov's step is the",
    (
        "9.1",
        "dampening not 1-dampening",
    ): "you scaled the new gradient by dampening: the buffer takes (1 − dampen",
    (
        "1.3",
        "integer division",
    ): "your output is 0, expected 0.136931: every value is scaled by the same",
    ("5.4", "bool str"): "you forgot the bias: a Linear with bias=True also has out_features bia",
    (
        "9.3",
        "int division",
    ): "your output is 1, expected 1.1276: every value is scaled by the same f",
    (
        "9.3",
        "mean of losses list",
    ): "you divided by the number of batches, not the number of samples: that ",
    (
        "6.1",
        "var(unbiased=True)",
    ): "variance looks unbiased (divided by N−1); LayerNorm uses N: x.var(-1, ",
    (
        "6.1",
        "std(unbiased=False) + eps",
    ): "eps is outside the square root: LayerNorm divides by sqrt(var + eps), ",
    (
        "7.1",
        "amax global",
    ): "you subtracted the global max x.max(): a slice whose values all lie fa",
    (
        "7.1",
        "amax no keepdim",
    ): "you forgot keepdim=True on the max: the reduced values broadcast along",
    (
        "4.2",
        "returns list",
    ): "return a tuple (you returned a list): (2, 4) would compare equal to to",
    ("4.2", "batch max without check"): "your output is (7, 2, 4), expected 4 values",
    (
        "4.2",
        "RuntimeError not ValueError",
    ): "this should raise ValueError, but your code raised RuntimeError: inner",
    (
        "4.1",
        "returns None instead of raising",
    ): "this should raise ValueError, but your code returned None None",
    (
        "3.1",
        "ModuleList named heads.0 (task asks attention_i)",
    ): "MultiHead(4, 3, 2) registered its children as ['heads']: name head i f",
    (
        "3.1",
        "names from attention_1",
    ): "MultiHead(4, 3, 2) registered ['attention_1', 'attention_2']: number t",
    (
        "2.3",
        "module names without params",
    ): "'embed.weight' is missing: named_parameters() recurses into the childr",
    (
        "3.2",
        "ModuleList inside",
    ): "you predicted 7 calls, but apply calls fn on every module of the tree,",
    (
        "3.5",
        "first keeps nothing",
    ): "nn.Flatten()(x): nn.Flatten() keeps dim 0 (the batch): its default sta",
    ("6.2", "batch included"): "the batch dim 0 is not averaged: each sample gets its own mean",
    ("7.2", "flat list"): "write a list of 1 values, in order; yours is [1, 1, 1]",
    (
        "10.3",
        "with duplicates ok? swapped",
    ): "without padding_idx, list the distinct rows that idx reads",
    (
        "1.5",
        "only the obvious ones",
    ): "c) nn.init.xavier_uniform_(torch.empty(5)) raises: a 1-D tensor has no",
    ("1.1", "out layer"): "out.weight does not move: its gradient is δ·hᵀ, and h = tanh(0·x + 0) ",
}
