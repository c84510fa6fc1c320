"""Parameter, Buffer, Module and the containers, against torch 2.13.

Expected strings below are torch 2.13's, copied from its output. Parity tests (they take
the `torch` fixture) build the same structures with torch.nn and course_lib.nn and compare names,
orders, reprs, and exception types and messages.

Linear, LayerNorm, Tanh and Softmax are stand-ins defined here (same names, parameters and
extra_repr as torch's), so that these tests exercise Module alone.
"""

from collections import OrderedDict
from types import SimpleNamespace

import numpy as np
import pytest

import course_lib
from course_lib.nn import Buffer, Module, ModuleDict, ModuleList, Parameter, Sequential
from course_lib.tensor import Tensor

# ----------------------------------------------------------------------------------------------
# Stand-in leaf modules and the Net/Block example of section 2.6, for either library
# ----------------------------------------------------------------------------------------------


def stand_ins(lib):
    """Linear, LayerNorm, Tanh, Softmax written on `lib.nn.Module` (lib: course_lib or torch)."""

    class Linear(lib.nn.Module):
        def __init__(self, in_features, out_features, bias=True):
            super().__init__()
            self.in_features, self.out_features = in_features, out_features
            self.weight = lib.nn.Parameter(lib.randn(out_features, in_features))
            self.bias = lib.nn.Parameter(lib.zeros(out_features)) if bias else None

        def extra_repr(self):
            return (
                f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}"
            )

        def forward(self, x):
            out = x @ self.weight.T
            return out if self.bias is None else out + self.bias

    class LayerNorm(lib.nn.Module):
        def __init__(self, n, eps=1e-5):
            super().__init__()
            self.normalized_shape, self.eps = (n,), eps
            self.weight = lib.nn.Parameter(lib.ones(n))
            self.bias = lib.nn.Parameter(lib.zeros(n))

        def extra_repr(self):
            return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine=True, bias=True"

    class Tanh(lib.nn.Module):
        def forward(self, x):
            return x.tanh()

    class Softmax(lib.nn.Module):
        def __init__(self, dim=None):
            super().__init__()
            self.dim = dim

        def extra_repr(self):
            return f"dim={self.dim}"

        def forward(self, x):
            return x.softmax(self.dim)

    return SimpleNamespace(Linear=Linear, LayerNorm=LayerNorm, Tanh=Tanh, Softmax=Softmax)


def build_net(lib, layers=None):
    """The Net of section 2.6: alpha, block1, act, block2, head, beta. `layers` holds the leaf
    classes (stand-ins by default; torch.nn for the real torch layers)."""
    L = layers or stand_ins(lib)
    nn_ = lib.nn

    class Block(nn_.Module):
        def __init__(self):
            super().__init__()
            self.lin = L.Linear(4, 3)
            self.norm = L.LayerNorm(3)
            self.scale = nn_.Parameter(lib.ones(3))  # registered after the submodules
            self.count = nn_.Buffer(lib.zeros(()))

    class Net(nn_.Module):
        def __init__(self):
            super().__init__()
            self.alpha = nn_.Parameter(lib.ones(1))
            self.block1 = Block()
            self.act = L.Tanh()
            self.block2 = Block()
            self.head = nn_.Sequential(L.Linear(3, 2), L.Softmax(dim=-1))
            self.beta = nn_.Parameter(lib.zeros(1))

    return Net()


NET_PARAMS = [
    "alpha", "beta",
    "block1.scale", "block1.lin.weight", "block1.lin.bias", "block1.norm.weight", "block1.norm.bias",
    "block2.scale", "block2.lin.weight", "block2.lin.bias", "block2.norm.weight", "block2.norm.bias",
    "head.0.weight", "head.0.bias",
]  # fmt: skip
NET_STATE = [
    "alpha", "beta",
    "block1.scale", "block1.count", "block1.lin.weight", "block1.lin.bias", "block1.norm.weight",
    "block1.norm.bias",
    "block2.scale", "block2.count", "block2.lin.weight", "block2.lin.bias", "block2.norm.weight",
    "block2.norm.bias",
    "head.0.weight", "head.0.bias",
]  # fmt: skip
NET_MODULES = [
    "", "block1", "block1.lin", "block1.norm", "act", "block2", "block2.lin", "block2.norm",
    "head", "head.0", "head.1",
]  # fmt: skip
NET_APPLY = [
    "Linear", "LayerNorm", "Block", "Tanh", "Linear", "LayerNorm", "Block", "Linear", "Softmax",
    "Sequential", "Net",
]  # fmt: skip
NET_REPR = """Net(
  (block1): Block(
    (lin): Linear(in_features=4, out_features=3, bias=True)
    (norm): LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=True)
  )
  (act): Tanh()
  (block2): Block(
    (lin): Linear(in_features=4, out_features=3, bias=True)
    (norm): LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=True)
  )
  (head): Sequential(
    (0): Linear(in_features=3, out_features=2, bias=True)
    (1): Softmax(dim=-1)
  )
)"""


def names(pairs):
    return [name for name, _ in pairs]


def _np(t):
    return np.asarray(t.detach().numpy() if hasattr(t, "detach") else t)


# ----------------------------------------------------------------------------------------------
# 2.1 Parameter and Buffer
# ----------------------------------------------------------------------------------------------


def test_parameter_is_a_leaf_tensor_sharing_storage():
    t = course_lib.tensor([1.0, 2.0, 3.0])
    p = Parameter(t)
    assert isinstance(p, Parameter) and isinstance(p, Tensor) and p is not t
    assert issubclass(Parameter, Tensor) and not isinstance(t, Parameter)
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    assert not t.requires_grad
    t[0] = 100.0
    assert p[0].item() == 100.0
    with course_lib.no_grad():
        p[1] = -5.0
    assert t.tolist() == [100.0, -5.0, 3.0]


def test_parameter_of_a_non_leaf_is_a_new_leaf():
    a = course_lib.ones(2, requires_grad=True)
    p = Parameter(a * 2)
    assert p.is_leaf and p.grad_fn is None and p.requires_grad
    assert p.tolist() == [2.0, 2.0]


def test_parameter_requires_grad_default_true_even_in_no_grad():
    with course_lib.no_grad():
        p = Parameter(course_lib.ones(2))
    assert p.requires_grad
    assert not Parameter(course_lib.ones(2), requires_grad=False).requires_grad


def test_empty_parameter():
    p = Parameter()
    assert p.shape == (0,) and p.dtype == course_lib.float32 and p.requires_grad
    assert repr(p) == "Parameter containing:\ntensor([], requires_grad=True)"


def test_parameter_repr_1d_2d_and_without_grad():
    assert repr(Parameter(course_lib.tensor([1.0, 2.0]))) == (
        "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    )
    assert str(Parameter(course_lib.tensor([1.0, 2.0]), requires_grad=False)) == (
        "Parameter containing:\ntensor([1., 2.])"
    )
    assert repr(Parameter(course_lib.zeros(2, 2))) == (
        "Parameter containing:\ntensor([[0., 0.],\n        [0., 0.]], requires_grad=True)"
    )


def test_results_of_ops_on_a_parameter_are_plain_tensors():
    p = Parameter(course_lib.tensor([1.0, 2.0]))
    for out in (p * 2, p.detach(), p.clone(), p.data, p + p, p[0], p.double()):
        assert type(out) is Tensor
    assert (p * 2).grad_fn.name() == "MulBackward0"
    assert not p.data.requires_grad
    p.data[0] = 7.0  # .data shares memory
    assert p[0].item() == 7.0


def test_parameter_data_assignment_may_change_shape():
    p = Parameter(course_lib.ones(3))
    p.data = course_lib.ones(4)
    assert p.shape == (4,) and isinstance(p, Parameter) and p.requires_grad


def test_parameter_data_cannot_become_integer():
    p = Parameter(course_lib.ones(3))
    with pytest.raises(
        RuntimeError,
        match=r"^data set to a tensor that requires gradients must be floating point or complex",
    ):
        p.data = course_lib.tensor([1, 2])


def test_parameter_bad_input():
    with pytest.raises(AttributeError, match=r"^'list' object has no attribute 'detach'$"):
        Parameter([1.0, 2.0])
    with pytest.raises(
        RuntimeError,
        match=r"^Only Tensors of floating point and complex dtype can require gradients$",
    ):
        Parameter(course_lib.tensor([1, 2]))
    p = Parameter(course_lib.tensor([1, 2]), requires_grad=False)
    assert p.dtype == course_lib.int64 and not p.requires_grad


def test_buffer_marks_a_plain_detached_tensor():
    t = course_lib.ones(2)
    b = Buffer(t)
    assert type(b) is Tensor and isinstance(b, Buffer) and b.persistent
    assert not isinstance(t, Buffer) and not isinstance(Parameter(t), Buffer)
    assert Buffer(t, persistent=False).persistent is False
    b[0] = 5.0
    assert t[0].item() == 5.0
    assert Buffer().shape == (0,)


# ----------------------------------------------------------------------------------------------
# 2.2 __setattr__, __getattr__, __delattr__
# ----------------------------------------------------------------------------------------------


class Plain(Module):
    """A parameter `w`, a buffer `buf`, a child `sub` and a plain attribute `existing`."""

    def __init__(self):
        super().__init__()
        self.w = Parameter(course_lib.ones(3))
        self.register_buffer("buf", course_lib.zeros(2))
        self.sub = Sequential()
        self.existing = 1


def test_fresh_module_state():
    m = Module()
    assert m.training is True
    assert m._parameters == {} and m._buffers == {} and m._modules == {}
    assert m._non_persistent_buffers_set == set()
    assert repr(m) == "Module()"


def test_setattr_registers_by_kind():
    m = Plain()
    assert list(m._parameters) == ["w"] and list(m._buffers) == ["buf"]
    assert list(m._modules) == ["sub"] and m.__dict__["existing"] == 1
    assert m.w is m._parameters["w"] and m.buf is m._buffers["buf"] and m.sub is m._modules["sub"]
    assert "w" not in m.__dict__ and "sub" not in m.__dict__


def test_rule1_parameter_replaces_buffer_module_and_attribute():
    m = Plain()
    m.register_buffer("nb", course_lib.zeros(1), persistent=False)
    for name in ("buf", "sub", "existing", "nb"):
        p = Parameter(course_lib.zeros(1))
        setattr(m, name, p)
        assert m._parameters[name] is p and getattr(m, name) is p
    assert m._buffers == {} and m._modules == {} and "existing" not in m.__dict__
    assert m._non_persistent_buffers_set == set()


def test_rule2_parameter_slot_takes_only_parameter_or_none():
    m = Module()
    m.a, m.b, m.c = (Parameter(course_lib.ones(1)) for _ in range(3))
    m.b = None  # keeps its key and position
    assert list(m._parameters) == ["a", "b", "c"] and m.b is None
    assert names(m.named_parameters()) == ["a", "c"] and list(m.state_dict()) == ["a", "c"]
    m.b = Parameter(course_lib.ones(1))
    assert list(m._parameters) == ["a", "b", "c"]
    with pytest.raises(TypeError) as e:
        m.a = course_lib.ones(1, requires_grad=True)  # a plain tensor never replaces a parameter
    assert str(e.value) == (
        "cannot assign 'torch.FloatTensor' as parameter 'a' (torch.nn.Parameter or None expected)"
    )


def test_rule3_module_replaces_parameter_free_names():
    m = Plain()
    child = Sequential()
    m.buf = child
    m.existing = child
    assert list(m._modules) == ["sub", "buf", "existing"] and m._buffers == {}
    assert "existing" not in m.__dict__


def test_rule4_child_slot_takes_only_module_or_none():
    m = Plain()
    m.sub = None
    assert list(m._modules) == ["sub"] and m.sub is None
    assert list(m.children()) == [] and names(m.named_modules()) == [""]
    assert repr(m) == "Plain(\n  (sub): None\n)"
    with pytest.raises(TypeError) as e:
        m.sub = "x"
    assert (
        str(e.value)
        == "cannot assign 'str' as child module 'sub' (torch.nn.Module or None expected)"
    )


def test_rule5_buffers():
    m = Plain()
    m.buf = course_lib.ones(5)  # a tensor replaces the buffer; the shape may change
    assert m._buffers["buf"].shape == (5,)
    m.buf = None
    assert m.buf is None and list(m.state_dict()) == ["w"]
    m.nb = Buffer(course_lib.ones(1), persistent=False)
    m.pb = Buffer(course_lib.ones(1))
    assert list(m._buffers) == ["buf", "nb", "pb"] and m._non_persistent_buffers_set == {"nb"}
    m.nb = course_lib.zeros(1)  # stays non-persistent
    assert m._non_persistent_buffers_set == {"nb"} and list(m.state_dict()) == ["w", "pb"]
    m.register_buffer("asparam", Parameter(course_lib.ones(1)))  # a Parameter as a buffer
    assert "asparam" in m._buffers and "asparam" not in m._parameters
    with pytest.raises(TypeError) as e:
        m.pb = "x"
    assert str(e.value) == (
        "cannot assign 'str' as buffer 'pb' (torch.nn.Buffer, torch.Tensor or None expected)"
    )


def test_rule6_everything_else_is_a_plain_attribute():
    m = Module()
    m.t = course_lib.ones(2, requires_grad=True)
    m.n = 3
    m.layers = [Sequential(), Sequential()]  # a list of modules registers nothing
    assert set(m.__dict__) >= {"t", "n", "layers"}
    assert list(m.parameters()) == [] and list(m.buffers()) == [] and list(m.children()) == []
    assert list(m.state_dict()) == []
    m.double()
    assert m.t.dtype == course_lib.float32  # not converted


def test_getattr_errors_name_the_class():
    class Net(Module):
        pass

    with pytest.raises(AttributeError, match=r"^'Net' object has no attribute 'x'$"):
        _ = Net().x
    with pytest.raises(AttributeError, match=r"^'Module' object has no attribute 'missing'$"):
        _ = Module().missing


def test_del_then_readd_goes_to_the_end():
    m = Module()
    m.a, m.b = Parameter(course_lib.ones(1)), Parameter(course_lib.ones(1))
    m.x, m.y = Sequential(), Sequential()
    m.register_buffer("u", course_lib.ones(1), persistent=False)
    del m.a, m.x, m.u
    assert list(m._parameters) == ["b"] and list(m._modules) == ["y"] and m._buffers == {}
    assert m._non_persistent_buffers_set == set()
    m.a, m.x = Parameter(course_lib.ones(1)), Sequential()
    assert list(m._parameters) == ["b", "a"] and list(m._modules) == ["y", "x"]
    m.plain = 1
    del m.plain
    assert "plain" not in m.__dict__
    with pytest.raises(AttributeError, match=r"^'Module' object has no attribute 'nothing'$"):
        del m.nothing


def test_before_init_plain_attributes_are_accepted_and_the_module_is_broken():
    class Bad5(Module):
        def __init__(self):
            self.x = course_lib.ones(1)
            self.n = 3

    b = Bad5()
    assert b.n == 3
    with pytest.raises(AttributeError, match=r"^'Bad5' object has no attribute '_modules'$"):
        repr(b)
    with pytest.raises(AttributeError, match=r"^'Bad5' object has no attribute 'training'$"):
        _ = b.training
    with pytest.raises(AttributeError, match=r"^'Bad5' object has no attribute '_parameters'$"):
        list(b.parameters())


def test_init_takes_no_arguments():
    with pytest.raises(TypeError, match=r"^Module\.__init__\(\) takes 1 positional argument"):
        Module(1)
    with pytest.raises(TypeError, match=r"got an unexpected keyword argument 'a'$"):
        Module(a=1)


def test_dir_lists_registered_names():
    d = dir(Plain())
    assert {"w", "buf", "sub", "existing", "parameters", "training"} <= set(d)
    assert d == sorted(d)
    assert "0" not in dir(Sequential(Sequential()))


# ----------------------------------------------------------------------------------------------
# 2.2-2.5 and 7.2, 7.3: every error, with its exact type and message.
# Each case is `fn(lib)` run on course_lib (and on torch in the parity test below).
# ----------------------------------------------------------------------------------------------


def _plain(lib):
    class Plain(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = lib.nn.Parameter(lib.ones(3))
            self.register_buffer("buf", lib.zeros(2))
            self.sub = lib.nn.Sequential()
            self.existing = 1

    return Plain()


def _before_init(stmt):
    def fn(lib):
        class Bad(lib.nn.Module):
            def __init__(self):
                stmt(self, lib)
                super().__init__()

        Bad()

    return fn


def _non_leaf_parameter(lib):
    # An in-place op with an operand that requires grad turns a Parameter into a non-leaf.
    p = lib.nn.Parameter(lib.ones(2), requires_grad=False)
    p.mul_(lib.ones(2, requires_grad=True))
    return p


def _load(sd, strict=True):
    def fn(lib):
        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.w = lib.nn.Parameter(lib.ones(3))
                self.register_buffer("rb", lib.zeros(2))
                self.child = lib.nn.Sequential(lib.nn.Module())

        Net().load_state_dict(sd(lib), strict=strict)

    return fn


def _sequential(lib):
    m = lib.nn.Module
    return lib.nn.Sequential(m(), m(), m())


def _bad_init_plain(lib):
    class Bad5(lib.nn.Module):
        def __init__(self):
            self.x = lib.ones(1)

    return Bad5()


def _setitem(obj, key, value):
    obj[key] = value


def _set(name, value):
    return lambda lib: setattr(_plain(lib), name, value(lib))


def _reg_param(name, value):
    return lambda lib: _plain(lib).register_parameter(name, value(lib))


def _reg_buffer(name, value):
    return lambda lib: _plain(lib).register_buffer(name, value(lib))


def _add(name, value):
    return lambda lib: _plain(lib).add_module(name, value(lib))


_ones = lambda lib: lib.ones(1)
_param = lambda lib: lib.nn.Parameter(lib.ones(1))
_module = lambda lib: lib.nn.Sequential()

ERROR_CASES = {
    # 2.1 Parameter
    "param_list": (lambda lib: lib.nn.Parameter([1.0, 2.0]), AttributeError,
                   "'list' object has no attribute 'detach'"),
    "param_int": (lambda lib: lib.nn.Parameter(lib.tensor([1, 2])), RuntimeError,
                  "Only Tensors of floating point and complex dtype can require gradients"),
    # 2.2 __setattr__ before Module.__init__
    "before_init_param": (_before_init(lambda s, lib: setattr(s, "p", _param(lib))),
                          AttributeError, "cannot assign parameters before Module.__init__() call"),
    "before_init_module": (_before_init(lambda s, lib: setattr(s, "m", _module(lib))),
                           AttributeError, "cannot assign module before Module.__init__() call"),
    "before_init_buffer": (_before_init(lambda s, lib: setattr(s, "b", lib.nn.Buffer(_ones(lib)))),
                           AttributeError, "cannot assign buffer before Module.__init__() call"),
    "before_init_register_parameter": (
        _before_init(lambda s, lib: s.register_parameter("p", None)), AttributeError,
        "cannot assign parameter before Module.__init__() call"),
    "before_init_register_buffer": (
        _before_init(lambda s, lib: s.register_buffer("b", None)), AttributeError,
        "cannot assign buffer before Module.__init__() call"),
    "before_init_repr": (lambda lib: repr(_bad_init_plain(lib)), AttributeError,
                         "'Bad5' object has no attribute '_modules'"),
    "before_init_training": (lambda lib: _bad_init_plain(lib).training, AttributeError,
                             "'Bad5' object has no attribute 'training'"),
    "before_init_parameters": (lambda lib: list(_bad_init_plain(lib).parameters()),
                               AttributeError, "'Bad5' object has no attribute '_parameters'"),
    # 2.2 rule 2: over a registered parameter
    "set_tensor_over_param": (_set("w", _ones), TypeError,
                              "cannot assign 'torch.FloatTensor' as parameter 'w' "
                              "(torch.nn.Parameter or None expected)"),
    "set_float_over_param": (_set("w", lambda lib: 1.5), TypeError,
                             "cannot assign 'float' as parameter 'w' "
                             "(torch.nn.Parameter or None expected)"),
    "set_module_over_param": (_set("w", _module), TypeError,
                              "cannot assign 'torch.nn.modules.container.Sequential' as parameter "
                              "'w' (torch.nn.Parameter or None expected)"),
    "set_int_tensor_over_param": (_set("w", lambda lib: lib.tensor([1])), TypeError,
                                  "cannot assign 'torch.LongTensor' as parameter 'w' "
                                  "(torch.nn.Parameter or None expected)"),
    # 2.2 rule 4: over a child module
    "set_tensor_over_module": (_set("sub", _ones), TypeError,
                               "cannot assign 'torch.FloatTensor' as child module 'sub' "
                               "(torch.nn.Module or None expected)"),
    "set_str_over_module": (_set("sub", lambda lib: "x"), TypeError,
                            "cannot assign 'str' as child module 'sub' "
                            "(torch.nn.Module or None expected)"),
    # 2.2 rule 5: buffers
    "set_str_over_buffer": (_set("buf", lambda lib: "x"), TypeError,
                            "cannot assign 'str' as buffer 'buf' "
                            "(torch.nn.Buffer, torch.Tensor or None expected)"),
    "set_buffer_over_attribute": (_set("existing", lambda lib: lib.nn.Buffer(_ones(lib))),
                                  KeyError, "\"attribute 'existing' already exists\""),
    # 2.2 __getattr__
    "getattr_missing": (lambda lib: _plain(lib).missing, AttributeError,
                        "'Plain' object has no attribute 'missing'"),
    "delattr_missing": (lambda lib: delattr(_plain(lib), "missing"), AttributeError,
                        "'Plain' object has no attribute 'missing'"),
    # 2.3 register_parameter, in the order of the checks
    "reg_param_name_int": (_reg_param(1, _param), TypeError,
                           "parameter name should be a string. Got int"),
    "reg_param_dot": (_reg_param("a.b", _param), KeyError, "'parameter name can\\'t contain \".\"'"),
    "reg_param_empty": (_reg_param("", _param), KeyError,
                        "'parameter name can\\'t be empty string \"\"'"),
    "reg_param_dot_before_exists": (_reg_param("a.b", _ones), KeyError,
                                    "'parameter name can\\'t contain \".\"'"),
    "reg_param_exists": (_reg_param("existing", _param), KeyError,
                         "\"attribute 'existing' already exists\""),
    "reg_param_buffer_name": (_reg_param("buf", _param), KeyError,
                              "\"attribute 'buf' already exists\""),
    "reg_param_module_name": (_reg_param("sub", _param), KeyError,
                              "\"attribute 'sub' already exists\""),
    "reg_param_training": (_reg_param("training", _param), KeyError,
                           "\"attribute 'training' already exists\""),
    "reg_param_forward": (_reg_param("forward", _param), KeyError,
                          "\"attribute 'forward' already exists\""),
    "reg_param_exists_before_type": (_reg_param("existing", _ones), KeyError,
                                     "\"attribute 'existing' already exists\""),
    "reg_param_tensor": (_reg_param("p", _ones), TypeError,
                         "cannot assign 'torch.FloatTensor' object to parameter 'p' "
                         "(torch.nn.Parameter or None required)"),
    "reg_param_int": (_reg_param("p", lambda lib: 3), TypeError,
                      "cannot assign 'int' object to parameter 'p' "
                      "(torch.nn.Parameter or None required)"),
    "reg_param_non_leaf": (_reg_param("p", _non_leaf_parameter), ValueError,
                           "Cannot assign non-leaf Tensor to parameter 'p'. Model parameters must "
                           "be created explicitly. To express 'p' as a function of another "
                           "Tensor, compute the value in the forward() method."),
    "set_non_leaf_param": (_set("p", _non_leaf_parameter), ValueError,
                           "Cannot assign non-leaf Tensor to parameter 'p'. Model parameters must "
                           "be created explicitly. To express 'p' as a function of another "
                           "Tensor, compute the value in the forward() method."),
    # 2.4 add_module: the type check comes first, and 'exists' before '.'
    "add_tensor": (_add("m", _ones), TypeError, "torch.FloatTensor is not a Module subclass"),
    "add_str": (_add("m", lambda lib: "x"), TypeError, "str is not a Module subclass"),
    "add_str_bad_name": (_add(1, lambda lib: "x"), TypeError, "str is not a Module subclass"),
    "add_name_int": (_add(1, _module), TypeError, "module name should be a string. Got int"),
    "add_exists": (_add("existing", _module), KeyError, "\"attribute 'existing' already exists\""),
    "add_param_name": (_add("w", _module), KeyError, "\"attribute 'w' already exists\""),
    "add_dot": (_add("a.b", _module), KeyError, "'module name can\\'t contain \".\", got: a.b'"),
    "add_empty": (_add("", _module), KeyError, "'module name can\\'t be empty string \"\"'"),
    "register_module_str": (lambda lib: _plain(lib).register_module("m", "x"), TypeError,
                            "str is not a Module subclass"),
    # 2.5 register_buffer
    "reg_buf_name_int": (_reg_buffer(1, _ones), TypeError,
                         "buffer name should be a string. Got int"),
    "reg_buf_dot": (_reg_buffer("a.b", _ones), KeyError, "'buffer name can\\'t contain \".\"'"),
    "reg_buf_empty": (_reg_buffer("", _ones), KeyError,
                      "'buffer name can\\'t be empty string \"\"'"),
    "reg_buf_exists": (_reg_buffer("existing", _ones), KeyError,
                       "\"attribute 'existing' already exists\""),
    "reg_buf_param_name": (_reg_buffer("w", _ones), KeyError, "\"attribute 'w' already exists\""),
    "reg_buf_list": (_reg_buffer("x", lambda lib: [1.0]), TypeError,
                     "cannot assign 'list' object to buffer 'x' (torch Tensor or None required)"),
    "reg_buf_float": (_reg_buffer("x", lambda lib: 1.0), TypeError,
                      "cannot assign 'float' object to buffer 'x' (torch Tensor or None required)"),
    # get_submodule
    "get_submodule_missing": (lambda lib: _plain(lib).get_submodule("sub.x"), AttributeError,
                              "Sequential has no attribute `x`"),
    "get_submodule_not_module": (lambda lib: _plain(lib).get_submodule("w"), AttributeError,
                                 "`w` is not an nn.Module"),
    # 2.6 train
    "train_str": (lambda lib: lib.nn.Module().train("yes"), ValueError,
                  "training mode is expected to be boolean"),
    "train_int": (lambda lib: lib.nn.Module().train(0), ValueError,
                  "training mode is expected to be boolean"),
    # to / __init__ / forward
    "to_int_dtype": (lambda lib: lib.nn.Module().to(lib.int64), TypeError,
                     "nn.Module.to only accepts floating point or complex dtypes, but got "
                     "desired dtype=torch.int64"),
    "init_positional": (lambda lib: lib.nn.Module(1), TypeError,
                        "Module.__init__() takes 1 positional argument but 2 were given"),
    "init_keyword": (lambda lib: lib.nn.Module(a=1), TypeError,
                     "Module.__init__() got an unexpected keyword argument 'a'"),
    "no_forward": (lambda lib: lib.nn.Module()(1), NotImplementedError,
                   'Module [Module] is missing the required "forward" function'),
    # load_state_dict
    "load_missing": (_load(lambda lib: {"child.0.x": lib.ones(1)}, True), RuntimeError,
                     'Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: '
                     '"w", "rb". \n\tUnexpected key(s) in state_dict: "child.0.x". '),
    "load_unexpected": (_load(lambda lib: {"w": lib.ones(3), "rb": lib.ones(2), "x": lib.ones(1),
                                           "y.z": lib.ones(1)}), RuntimeError,
                        'Error(s) in loading state_dict for Net:\n\tUnexpected key(s) in '
                        'state_dict: "x", "y.z". '),
    "load_size_mismatch": (_load(lambda lib: {"w": lib.ones(4), "rb": lib.ones(2)}), RuntimeError,
                           "Error(s) in loading state_dict for Net:\n\tsize mismatch for w: "
                           "copying a param with shape torch.Size([4]) from checkpoint, the shape "
                           "in current model is torch.Size([3])."),
    "load_size_mismatch_not_strict": (
        _load(lambda lib: {"w": lib.ones(4), "rb": lib.ones(1, 2)}, False), RuntimeError,
        "Error(s) in loading state_dict for Net:\n\tsize mismatch for w: copying a param with "
        "shape torch.Size([4]) from checkpoint, the shape in current model is torch.Size([3]).\n"
        "\tsize mismatch for rb: copying a param with shape torch.Size([1, 2]) from checkpoint, "
        "the shape in current model is torch.Size([2])."),
    "load_non_tensor": (_load(lambda lib: {"w": 3, "rb": lib.ones(2)}), RuntimeError,
                        'Error(s) in loading state_dict for Net:\n\tWhile copying the parameter '
                        'named "w", expected torch.Tensor or Tensor-like object from checkpoint '
                        "but received <class 'int'>"),
    "load_not_mapping": (_load(lambda lib: [1]), TypeError,
                         "Expected state_dict to be dict-like, got <class 'list'>."),
    # 7.2 Sequential
    "seq_index_high": (lambda lib: _sequential(lib)[3], IndexError, "index 3 is out of range"),
    "seq_index_low": (lambda lib: _sequential(lib)[-4], IndexError, "index -4 is out of range"),
    "seq_index_str": (lambda lib: _sequential(lib)["0"], TypeError,
                      "'str' object cannot be interpreted as an integer"),
    "seq_setitem_str": (lambda lib: _setitem(_sequential(lib), 0, "x"), TypeError,
                        "cannot assign 'str' as child module '0' (torch.nn.Module or None expected)"),
    "seq_setitem_out_of_range": (lambda lib: _setitem(_sequential(lib), 5, lib.nn.Module()),
                                 IndexError, "index 5 is out of range"),
    "seq_delitem_out_of_range": (lambda lib: _sequential(lib).__delitem__(-5), IndexError,
                                 "index -5 is out of range"),
    "seq_str_arg": (lambda lib: lib.nn.Sequential("x"), TypeError, "str is not a Module subclass"),
    "seq_list_arg": (lambda lib: lib.nn.Sequential([lib.nn.Module()]), TypeError,
                     "list is not a Module subclass"),
    "seq_forward_two_args": (lambda lib: lib.nn.Sequential()(1, 2), TypeError,
                             "Sequential.forward() takes 2 positional arguments but 3 were given"),
    "seq_add_int": (lambda lib: _sequential(lib) + 1, ValueError,
                    "add operator supports only objects of Sequential class, but <class 'int'> "
                    "is given."),
    "seq_insert_out_of_range": (lambda lib: _sequential(lib).insert(5, lib.nn.Module()),
                                IndexError, "Index out of range: 5"),
    "seq_mul_zero": (lambda lib: _sequential(lib) * 0, ValueError,
                     "Non-positive multiplication factor 0 for "
                     "<class 'torch.nn.modules.container.Sequential'>"),
    # 7.3 ModuleList
    "ml_empty_index": (lambda lib: lib.nn.ModuleList()[0], IndexError, "index 0 is out of range"),
    "ml_index_low": (lambda lib: lib.nn.ModuleList([lib.nn.Module()])[-2], IndexError,
                     "index -2 is out of range"),
    "ml_str": (lambda lib: lib.nn.ModuleList(["x"]), TypeError, "str is not a Module subclass"),
    "ml_append_str": (lambda lib: lib.nn.ModuleList().append("x"), TypeError,
                      "str is not a Module subclass"),
    "ml_not_iterable": (lambda lib: lib.nn.ModuleList(3), TypeError,
                        "ModuleList.extend should be called with an iterable, but got int"),
    "ml_forward": (lambda lib: lib.nn.ModuleList()(lib.ones(1)), NotImplementedError,
                   'Module [ModuleList] is missing the required "forward" function'),
    "ml_setitem_str": (lambda lib: _setitem(lib.nn.ModuleList([lib.nn.Module()]), 0, "x"),
                       TypeError, "cannot assign 'str' as child module '0' "
                       "(torch.nn.Module or None expected)"),
    # ModuleDict
    "md_missing_key": (lambda lib: lib.nn.ModuleDict()["a"], KeyError, "'a'"),
    "md_str_value": (lambda lib: lib.nn.ModuleDict({"a": "x"}), TypeError,
                     "str is not a Module subclass"),
    "md_bad_pair": (lambda lib: lib.nn.ModuleDict([("a",)]), ValueError,
                    "ModuleDict update sequence element #0 has length 1; 2 is required"),
    "md_not_iterable": (lambda lib: lib.nn.ModuleDict(3), TypeError,
                        "ModuleDict.update should be called with an iterable of key/value pairs, "
                        "but got int"),
}  # fmt: skip


def _raised(fn, lib):
    """(exception type, message) of running fn(lib), with course_lib's module path as torch's."""
    try:
        fn(lib)
    except Exception as e:
        return type(e), str(e).replace("course_lib.", "torch.")
    return None, "no exception"


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_errors(case):
    fn, exc_type, message = ERROR_CASES[case]
    assert _raised(fn, course_lib) == (exc_type, message)


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_errors_parity(torch, case):
    fn = ERROR_CASES[case][0]
    assert _raised(fn, course_lib) == _raised(fn, torch)


# ----------------------------------------------------------------------------------------------
# 2.3-2.5 what the registration methods accept
# ----------------------------------------------------------------------------------------------


def test_register_parameter_accepts_none_and_replacement_keeps_position():
    m = Module()
    m.register_parameter("a", Parameter(course_lib.ones(1)))
    m.register_parameter("p", None)
    m.register_parameter("c", Parameter(course_lib.ones(1)))
    assert m.p is None and list(m._parameters) == ["a", "p", "c"]
    assert names(m.named_parameters()) == ["a", "c"] and list(m.state_dict()) == ["a", "c"]
    new = Parameter(course_lib.zeros(2))
    m.register_parameter("a", new)
    assert list(m._parameters) == ["a", "p", "c"] and m.a is new


def test_add_module_none_and_replacement():
    m = Module()
    first, second = Sequential(), Sequential()
    m.add_module("x", first)
    m.register_module("y", None)
    m.add_module("z", Sequential())
    m.add_module("x", second)  # replaced, position kept
    assert list(m._modules) == ["x", "y", "z"] and m.x is second and m.y is None
    assert names(m.named_children()) == ["x", "z"] and names(m.named_modules()) == ["", "x", "z"]


def test_register_buffer_persistence():
    m = Module()
    m.register_buffer("a", course_lib.ones(1))
    m.register_buffer("b", course_lib.ones(1), persistent=False)
    m.register_buffer("c", None)
    assert names(m.named_buffers()) == ["a", "b"] and list(m.state_dict()) == ["a"]
    m.register_buffer("b", course_lib.ones(1))  # re-registered as persistent
    assert list(m.state_dict()) == ["a", "b"]


def test_get_submodule():
    net = build_net(course_lib)
    assert net.get_submodule("") is net
    assert net.get_submodule("block1.lin") is net.block1.lin
    assert net.get_submodule("head.1") is net.head[1]


# ----------------------------------------------------------------------------------------------
# 2.6 iteration order, prefixes, de-duplication
# ----------------------------------------------------------------------------------------------


def test_net_iteration_orders():
    net = build_net(course_lib)
    assert names(net.named_parameters()) == NET_PARAMS
    assert [p for _, p in net.named_parameters()] == list(net.parameters())
    assert names(net.named_parameters(prefix="model")) == ["model." + n for n in NET_PARAMS]
    assert names(net.named_parameters(recurse=False)) == ["alpha", "beta"]
    assert names(net.named_buffers()) == ["block1.count", "block2.count"]
    assert names(net.named_buffers(recurse=False)) == []
    assert len(list(net.buffers())) == 2
    assert list(net.state_dict()) == NET_STATE
    assert names(net.named_modules()) == NET_MODULES
    assert len(list(net.modules())) == 11
    assert names(net.named_modules(prefix="m"))[:2] == ["m", "m.block1"]
    assert names(net.named_children()) == ["block1", "act", "block2", "head"]
    assert list(net.children()) == [net.block1, net.act, net.block2, net.head]


def test_net_repr():
    assert repr(build_net(course_lib)) == NET_REPR


def test_apply_is_post_order_and_returns_self():
    net = build_net(course_lib)
    seen = []
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == NET_APPLY


def test_deduplication_of_a_repeated_module():
    L = stand_ins(course_lib)
    lin = L.Linear(2, 2)
    seq = Sequential(lin, L.Tanh(), lin)
    assert names(seq.named_parameters()) == ["0.weight", "0.bias"]
    assert len(list(seq.parameters())) == 2
    assert names(seq.named_parameters(remove_duplicate=False)) == [
        "0.weight", "0.bias", "2.weight", "2.bias"
    ]  # fmt: skip
    assert names(seq.named_modules()) == ["", "0", "1"]
    assert names(seq.named_modules(remove_duplicate=False)) == ["", "0", "1", "2"]
    assert len(list(seq.modules(remove_duplicate=False))) == 4
    assert names(seq.named_children()) == ["0", "1"]
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    calls = []
    seq.apply(calls.append)
    assert calls == [lin, seq[1], seq]  # children() skips the repeat


def test_deduplication_of_tied_and_repeated_parameters():
    L = stand_ins(course_lib)

    class Tied(Module):
        def __init__(self):
            super().__init__()
            self.emb = L.Linear(3, 4, bias=False)
            self.out = L.Linear(3, 4, bias=False)
            self.out.weight = self.emb.weight

    tied = Tied()
    assert names(tied.named_parameters()) == ["emb.weight"]
    assert list(tied.state_dict()) == ["emb.weight", "out.weight"]

    m = Module()
    m.a = Parameter(course_lib.ones(1))
    m.b = m.a
    assert names(m.named_parameters()) == ["a"]
    assert names(m.named_parameters(remove_duplicate=False)) == ["a", "b"]
    m.register_buffer("x", course_lib.ones(1))
    m.register_buffer("y", m.x)
    assert names(m.named_buffers()) == ["x"]


def test_named_modules_memo_is_shared():
    net = build_net(course_lib)
    memo = {net.block1}
    assert names(net.named_modules(memo=memo)) == [
        n for n in NET_MODULES if not n.startswith("block1")
    ]
    assert net in memo and net.head in memo


def test_a_list_of_modules_registers_nothing_but_a_module_list_does():
    L = stand_ins(course_lib)

    class Holder(Module):
        def __init__(self):
            super().__init__()
            self.plain = [L.Linear(2, 2)]
            self.layers = ModuleList([L.Linear(2, 2), L.Linear(2, 2)])

    assert names(Holder().named_parameters()) == [
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"
    ]  # fmt: skip


# ----------------------------------------------------------------------------------------------
# 2.6 train / eval, requires_grad_, zero_grad
# ----------------------------------------------------------------------------------------------


def test_train_eval_recursion():
    net = build_net(course_lib)
    assert all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    assert net.block1.train() is net.block1
    assert not net.training and net.block1.training and net.block1.lin.training
    assert not net.block2.training and not net.block2.lin.training
    net.train()
    assert all(m.training for m in net.modules())
    net.train(False)
    assert not net.head[0].training


def test_requires_grad_freezes_every_parameter():
    net = build_net(course_lib)
    assert net.block1.requires_grad_(False) is net.block1
    assert not any(p.requires_grad for p in net.block1.parameters())
    assert net.block2.lin.weight.requires_grad
    net.requires_grad_()
    assert all(p.requires_grad for p in net.parameters())


def _backward_once(net):
    x = course_lib.randn(5, 4)
    out = net.block1.lin(x).sum() + net.alpha.sum()
    out.backward()


def test_zero_grad_sets_to_none_by_default():
    net = build_net(course_lib)
    _backward_once(net)
    assert net.block1.lin.weight.grad is not None and net.alpha.grad is not None
    assert net.block2.lin.weight.grad is None
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_zero_grad_without_none_zeroes_in_place():
    net = build_net(course_lib)
    _backward_once(net)
    g = net.block1.lin.weight.grad
    assert np.abs(g.numpy()).sum() > 0
    net.zero_grad(set_to_none=False)
    assert net.block1.lin.weight.grad is g and not g.requires_grad
    assert np.all(g.numpy() == 0) and np.all(net.alpha.grad.numpy() == 0)
    assert net.block2.lin.weight.grad is None  # never had one


# ----------------------------------------------------------------------------------------------
# state_dict / load_state_dict
# ----------------------------------------------------------------------------------------------


def test_state_dict_values_are_detached_plain_tensors_sharing_memory():
    net = build_net(course_lib)
    sd = net.state_dict()
    assert type(sd) is OrderedDict
    for v in sd.values():
        assert type(v) is Tensor and not v.requires_grad
    sd["alpha"][0] = 42.0  # shares memory with the parameter
    assert net.alpha.item() == 42.0
    kept = net.state_dict(keep_vars=True)
    assert kept["alpha"] is net.alpha and kept["block1.count"] is net.block1.count
    assert list(net.state_dict(prefix="net.")) == ["net." + k for k in NET_STATE]
    dest = {}
    assert net.head.state_dict(destination=dest) is dest and list(dest) == ["0.weight", "0.bias"]


def test_state_dict_positional_arguments_warn():
    m = Module()
    m.w = Parameter(course_lib.ones(1))
    with pytest.warns(FutureWarning, match="Positional args are being deprecated"):
        sd = m.state_dict(None, "p.")
    assert list(sd) == ["p.w"]


def test_state_dict_round_trip():
    src, dst = build_net(course_lib), build_net(course_lib)
    with course_lib.no_grad():
        src.block1.count.fill_(3.0)
    assert not np.array_equal(_np(src.block1.lin.weight), _np(dst.block1.lin.weight))
    weight_before = dst.block1.lin.weight
    result = dst.load_state_dict(src.state_dict())
    assert result == ([], []) and result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == str(result) == "<All keys matched successfully>"
    for (k, a), (k2, b) in zip(src.state_dict().items(), dst.state_dict().items()):
        assert k == k2 and np.array_equal(a.numpy(), b.numpy())
    assert dst.block1.lin.weight is weight_before  # copied in place
    assert dst.block1.lin.weight.requires_grad and dst.block1.lin.weight.is_leaf
    assert dst.block1.count.item() == 3.0
    # the loaded values are copies, not shared with the source
    with course_lib.no_grad():
        src.alpha.fill_(-1.0)
    assert dst.alpha.item() == 1.0


def test_load_state_dict_not_strict_reports_keys():
    net = build_net(course_lib)
    sd = net.state_dict()
    del sd["alpha"]
    sd["extra"] = course_lib.ones(1)
    sd["block1.lin.extra"] = course_lib.ones(1)
    sd["nochild.x"] = course_lib.ones(1)
    result = net.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["alpha"]
    assert result.unexpected_keys == ["extra", "nochild.x", "block1.lin.extra"]
    assert repr(result) == (
        "_IncompatibleKeys(missing_keys=['alpha'], "
        "unexpected_keys=['extra', 'nochild.x', 'block1.lin.extra'])"
    )


def test_load_state_dict_casts_and_accepts_old_scalar_layout():
    m = Module()
    m.w = Parameter(course_lib.ones(3))
    m.s = Parameter(course_lib.tensor(1.0))
    m.load_state_dict({"w": course_lib.tensor([1, 2, 3]), "s": course_lib.tensor([5.0])})
    assert m.w.dtype == course_lib.float32 and m.w.tolist() == [1.0, 2.0, 3.0]
    assert m.s.shape == () and m.s.item() == 5.0


def test_load_state_dict_assign():
    m = Module()
    m.w = Parameter(course_lib.ones(2))
    new = course_lib.tensor([3.0, 4.0], dtype=course_lib.float64)
    m.load_state_dict({"w": new}, assign=True)
    assert isinstance(m.w, Parameter) and m.w.requires_grad and m.w.dtype == course_lib.float64


def test_non_persistent_buffers_and_none_are_not_loaded_or_expected():
    m = Module()
    m.register_buffer("np", course_lib.zeros(1), persistent=False)
    m.register_buffer("none", None)
    m.register_parameter("p", None)
    assert list(m.state_dict()) == []
    result = m.load_state_dict({"np": course_lib.ones(1)}, strict=False)
    assert result.unexpected_keys == ["np"] and m.np.item() == 0.0


# ----------------------------------------------------------------------------------------------
# double / float / to / type
# ----------------------------------------------------------------------------------------------


def test_double_converts_in_place_keeping_parameter_identity():
    net = build_net(course_lib)
    _backward_once(net)
    w = net.block1.lin.weight
    net.register_buffer("steps", course_lib.tensor([1, 2]))
    net.plain = course_lib.ones(2)
    assert net.double() is net
    assert net.block1.lin.weight is w and isinstance(w, Parameter) and w.requires_grad
    assert all(p.dtype == course_lib.float64 for p in net.parameters())
    assert w.grad.dtype == course_lib.float64
    assert net.block1.count.dtype == course_lib.float64
    assert net.steps.dtype == course_lib.int64  # integers are left alone
    assert net.plain.dtype == course_lib.float32  # not registered, not converted
    assert repr(net.alpha) == (
        "Parameter containing:\ntensor([1.], dtype=torch.float64, requires_grad=True)"
    )
    net.float()
    assert net.block1.lin.weight is w and w.dtype == course_lib.float32


def test_to_and_type():
    net = build_net(course_lib)
    w = net.head[0].weight
    assert net.to("cpu") is net and net.to(course_lib.device("cpu")) is net
    assert net.to(course_lib.float64) is net and w.dtype == course_lib.float64
    net.to(dtype=course_lib.float32)
    assert w.dtype == course_lib.float32
    net.to(course_lib.zeros(1, dtype=course_lib.float64))
    assert w.dtype == course_lib.float64 and net.head[0].weight is w
    with pytest.raises(RuntimeError, match="CPU only"):
        net.to("cuda")
    m = Module()
    m.register_buffer("n", course_lib.tensor([1, 2]))
    m.type(course_lib.float64)  # type() converts integer tensors too
    assert m.n.dtype == course_lib.float64
    m.type("torch.FloatTensor")
    assert m.n.dtype == course_lib.float32
    assert m.cpu() is m


# ----------------------------------------------------------------------------------------------
# 2.7 repr and extra_repr
# ----------------------------------------------------------------------------------------------


class ML(Module):
    def extra_repr(self):
        return "line1\n\nline3"


class ML2(Module):
    def __init__(self):
        super().__init__()
        self.inner = ML()

    def extra_repr(self):
        return "k=3"


def test_repr_layouts():
    # a blank extra_repr line gets the 2-space margin; _addindent then empties it in a child
    assert repr(ML()) == "ML(\n  line1\n  \n  line3\n)"
    assert repr(ML2()) == "ML2(\n  k=3\n  (inner): ML(\n    line1\n\n    line3\n  )\n)"
    assert repr(Sequential()) == "Sequential()" and repr(ModuleList()) == "ModuleList()"
    assert Module().extra_repr() == ""


def test_module_list_repr_groups_repeats():
    L = stand_ins(course_lib)
    ml = ModuleList([L.Linear(2, 2), L.Linear(2, 2), L.Tanh(), L.Linear(2, 2)])
    lin = "Linear(in_features=2, out_features=2, bias=True)"
    assert repr(ml) == f"ModuleList(\n  (0-1): 2 x {lin}\n  (2): Tanh()\n  (3): {lin}\n)"


# ----------------------------------------------------------------------------------------------
# 7.2 Sequential
# ----------------------------------------------------------------------------------------------


def test_sequential_forward_chains():
    L = stand_ins(course_lib)
    a, act, b = L.Linear(4, 3), L.Tanh(), L.Linear(3, 2)
    seq = Sequential(a, act, b)
    x = course_lib.randn(5, 4)
    assert np.allclose(_np(seq(x)), _np(b(act(a(x)))))
    assert Sequential()(x) is x


def test_sequential_indexing_and_slicing():
    L = stand_ins(course_lib)
    mods = [L.Linear(2, 2), L.Tanh(), L.Linear(2, 2)]
    seq = Sequential(*mods)
    assert len(seq) == 3 and list(seq) == mods
    assert seq[0] is mods[0] and seq[-1] is mods[2] and seq[-3] is mods[0]
    tail = seq[1:]
    assert type(tail) is Sequential and list(tail._modules) == ["1", "2"]
    assert tail[0] is mods[1]  # shares the module objects
    assert repr(tail) == (
        "Sequential(\n  (1): Tanh()\n  (2): Linear(in_features=2, out_features=2, bias=True)\n)"
    )
    assert list(seq[::2]._modules) == ["0", "2"]
    assert getattr(seq, "0") is mods[0]


def test_sequential_from_ordered_dict():
    L = stand_ins(course_lib)
    fc1, act, fc2 = L.Linear(4, 3), L.Tanh(), L.Linear(3, 2)
    seq = Sequential(OrderedDict([("fc1", fc1), ("act", act), ("fc2", fc2)]))
    assert seq.fc1 is fc1 and seq[0] is fc1 and seq[-1] is fc2
    assert list(seq.state_dict()) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert repr(seq).splitlines()[1] == "  (fc1): Linear(in_features=4, out_features=3, bias=True)"
    assert list(seq[1:]._modules) == ["act", "fc2"]


def test_sequential_mutation_renumbers():
    a, b, c, d = (Module() for _ in range(4))
    seq = Sequential(a, b)
    assert seq.append(c) is seq and list(seq._modules) == ["0", "1", "2"]
    del seq[0]
    assert list(seq._modules) == ["0", "1"] and list(seq) == [b, c]
    assert seq.insert(0, d) is seq and list(seq) == [d, b, c]
    assert list(seq._modules) == ["0", "1", "2"]
    seq.insert(-1, a)
    assert list(seq) == [d, b, a, c]
    assert seq.extend(Sequential(b)) is seq and list(seq) == [d, b, a, c, b]
    del seq[1:3]
    assert list(seq) == [d, c, b] and list(seq._modules) == ["0", "1", "2"]
    seq[1] = a
    assert list(seq) == [d, a, b]
    assert seq.pop(0) is d and list(seq) == [a, b]
    total = Sequential(a) + Sequential(b, c)
    assert list(total._modules) == ["0", "1", "2"] and list(total) == [a, b, c]
    twice = Sequential(a, b) * 2
    assert list(twice) == [a, b, a, b]
    seq2 = Sequential(a)
    seq2 += Sequential(b)
    assert list(seq2) == [a, b]


# ----------------------------------------------------------------------------------------------
# 7.3 ModuleList, and ModuleDict
# ----------------------------------------------------------------------------------------------


def test_module_list_operations():
    a, b, c, d = (Module() for _ in range(4))
    ml = ModuleList([a, b])
    assert len(ml) == 2 and ml[0] is a and ml[-1] is b and list(ml) == [a, b]
    assert type(ml[1:]) is ModuleList and list(ml[1:]) == [b]
    assert ml.append(c) is ml and list(ml._modules) == ["0", "1", "2"]
    assert ml.extend([d]) is ml and list(ml) == [a, b, c, d]
    del ml[0]
    assert list(ml._modules) == ["0", "1", "2"] and list(ml) == [b, c, d]
    ml.insert(1, a)
    assert list(ml) == [b, a, c, d] and list(ml._modules) == ["0", "1", "2", "3"]
    ml[0] = c
    assert ml[0] is c
    assert ml.pop(-1) is d and len(ml) == 3
    ml += [d]
    assert ml[3] is d
    assert list(ModuleList([a]) + ModuleList([b])) == [a, b]


def test_module_dict_operations():
    a, b = Module(), Module()
    md = ModuleDict({"a": a})
    md["b"] = b
    md.update([("c", Module())])
    assert list(md) == ["a", "b", "c"] and list(md.keys()) == ["a", "b", "c"]
    assert md["a"] is a and "b" in md and len(md) == 3 and md.b is b
    assert names(md.named_children()) == ["a", "b", "c"]
    assert md.pop("a") is a and list(md) == ["b", "c"]
    md.clear()
    assert len(md) == 0


# ----------------------------------------------------------------------------------------------
# Parity with torch: the same structure built with torch.nn and course_lib.nn
# ----------------------------------------------------------------------------------------------


def _structure(net):
    applied = []
    net.apply(lambda m: applied.append(type(m).__name__))
    return {
        "named_parameters": names(net.named_parameters()),
        "named_parameters_prefix": names(net.named_parameters(prefix="model")),
        "named_parameters_no_recurse": names(net.named_parameters(recurse=False)),
        "named_buffers": names(net.named_buffers()),
        "state_dict": list(net.state_dict()),
        "named_modules": names(net.named_modules()),
        "named_children": names(net.named_children()),
        "apply": applied,
        "repr": repr(net),
        "shapes": [tuple(p.shape) for p in net.parameters()],
    }


def test_net_structure_parity(torch):
    ours = _structure(build_net(course_lib))
    theirs = _structure(build_net(torch, layers=torch.nn))  # torch's real layers
    assert ours == theirs
    assert theirs["state_dict"] == NET_STATE and theirs["repr"] == NET_REPR


def _dedup_cases(lib):
    L = stand_ins(lib)
    lin = L.Linear(2, 2)
    seq = lib.nn.Sequential(lin, L.Tanh(), lin)

    class Tied(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = L.Linear(3, 4, bias=False)
            self.out = L.Linear(3, 4, bias=False)
            self.out.weight = self.emb.weight
            self.a = lib.nn.Parameter(lib.ones(1))
            self.b = self.a

    tied = Tied()
    calls = []
    seq.apply(lambda m: calls.append(type(m).__name__))
    return {
        "seq_params": names(seq.named_parameters()),
        "seq_params_all": names(seq.named_parameters(remove_duplicate=False)),
        "seq_modules": names(seq.named_modules()),
        "seq_modules_all": names(seq.named_modules(remove_duplicate=False)),
        "seq_state": list(seq.state_dict()),
        "seq_apply": calls,
        "tied_params": names(tied.named_parameters()),
        "tied_params_all": names(tied.named_parameters(remove_duplicate=False)),
        "tied_state": list(tied.state_dict()),
    }


def test_deduplication_parity(torch):
    assert _dedup_cases(course_lib) == _dedup_cases(torch)


def _setattr_story(lib):
    """Replacements, None, deletion and re-adding; returns the registries after each step."""
    nn_ = lib.nn
    m = nn_.Module()
    log = []

    def snap():
        log.append(
            (list(m._parameters), list(m._buffers), list(m._modules),
             sorted(m._non_persistent_buffers_set), list(m.state_dict()),
             names(m.named_parameters()), "x" in m.__dict__)
        )  # fmt: skip

    m.a, m.b = nn_.Parameter(lib.ones(1)), nn_.Parameter(lib.ones(1))
    m.register_buffer("buf", lib.zeros(1), persistent=False)
    m.sub = nn_.Sequential()
    m.x = lib.ones(1)
    snap()
    m.a = None
    snap()
    m.a = nn_.Parameter(lib.ones(1))
    snap()
    m.buf = nn_.Parameter(lib.ones(1))  # a parameter replaces a non-persistent buffer
    snap()
    m.x = nn_.Parameter(lib.ones(1))  # ... and a plain attribute
    snap()
    m.b2 = nn_.Buffer(lib.ones(1), persistent=False)
    m.b3 = nn_.Buffer(lib.ones(1))
    snap()
    m.b2 = lib.zeros(2)
    snap()
    m.sub2 = nn_.Sequential()
    m.b3 = nn_.Sequential()  # a module replaces a buffer
    snap()
    del m.a, m.sub
    m.a, m.sub = nn_.Parameter(lib.ones(1)), nn_.Sequential()
    snap()
    m.sub = None
    m.b2 = None
    snap()
    return log


def test_setattr_story_parity(torch):
    assert _setattr_story(course_lib) == _setattr_story(torch)


def _train_story(lib):
    net = build_net(lib)
    out = []
    net.eval()
    net.block1.train()
    out.append([m.training for m in net.modules()])
    net.head.train()
    net.head[0].eval()
    out.append([m.training for m in net.modules()])
    net.train()
    out.append([m.training for m in net.modules()])
    return out


def test_train_eval_parity(torch):
    assert _train_story(course_lib) == _train_story(torch)


def _repr_cases(lib):
    L = stand_ins(lib)

    class ML(lib.nn.Module):
        def extra_repr(self):
            return "line1\n\nline3"

    class ML2(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = ML()
            self.l = L.Linear(2, 3)
            self.none = None
            self.register_module("gone", None)

        def extra_repr(self):
            return "k=3"

    fc = OrderedDict([("fc1", L.Linear(4, 3)), ("act", L.Tanh()), ("fc2", L.Linear(3, 2))])
    seq = lib.nn.Sequential(fc)
    lin = L.Linear(2, 2)
    return [
        repr(ML()), repr(ML2()), repr(seq), repr(seq[1:]), repr(seq[::2]),
        repr(lib.nn.Sequential()), repr(lib.nn.ModuleList()), repr(lib.nn.Module()),
        repr(lib.nn.ModuleList([lin, lin, L.Tanh(), lin, ML2(), ML2()])),
        repr(lib.nn.ModuleDict({"a": L.Tanh(), "b": lib.nn.Sequential(L.Tanh())})),
        repr(lib.nn.Sequential(L.Tanh()) + lib.nn.Sequential(L.Softmax(1))),
    ]  # fmt: skip


def test_repr_parity(torch):
    assert _repr_cases(course_lib) == _repr_cases(torch)


def _container_story(lib):
    """Keys after each Sequential/ModuleList mutation, as (key, index of the module) lists."""
    mods = [lib.nn.Module() for _ in range(5)]
    idx = {id(m): i for i, m in enumerate(mods)}
    log = []

    def snap(c):
        log.append([(k, idx[id(v)]) for k, v in c._modules.items()])

    seq = lib.nn.Sequential(*mods[:3])
    snap(seq)
    snap(seq[1:])
    snap(seq[::2])
    snap(seq[-2:])
    del seq[0]
    snap(seq)
    seq.insert(1, mods[3])
    snap(seq)
    seq.insert(-3, mods[4])
    snap(seq)
    seq.append(mods[0]).extend([mods[1]])
    snap(seq)
    del seq[::2]
    snap(seq)
    seq[-1] = mods[2]
    snap(seq)
    snap(seq + lib.nn.Sequential(mods[4]))
    snap(seq * 2)
    seq *= 2
    snap(seq)
    seq += lib.nn.Sequential(mods[3])
    snap(seq)
    snap(lib.nn.Sequential(OrderedDict([("x", mods[0]), ("y", mods[1])]))[1:])
    ml = lib.nn.ModuleList(mods[:4])
    del ml[1:3]
    snap(ml)
    ml.insert(0, mods[4])
    snap(ml)
    snap(ml[::-1])
    snap(ml + [mods[2]])
    ml.pop(1)
    snap(ml)
    md = lib.nn.ModuleDict([("b", mods[1]), ("a", mods[0])])
    md.update({"c": mods[2], "b": mods[3]})
    snap(md)
    return log


def test_container_parity(torch):
    assert _container_story(course_lib) == _container_story(torch)


def _values_story(lib, arrays):
    """Load the same arrays into the same module in both libraries, then convert it."""

    class Small(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = lib.nn.Parameter(lib.zeros(2, 3))
            self.register_buffer("steps", lib.tensor([0, 0]))
            self.register_buffer("mean", lib.zeros(3))
            self.register_buffer("scratch", lib.zeros(1), persistent=False)
            self.s = lib.nn.Parameter(lib.tensor(0.0))

    m = Small()
    sd = {k: lib.tensor(v) for k, v in arrays.items()}
    result = m.load_state_dict(sd, strict=False)
    out = [repr(result), {k: (_np(v).tolist(), str(v.dtype)) for k, v in m.state_dict().items()}]
    w = m.w
    m.double()
    out.append([str(v.dtype) for v in m.state_dict().values()])
    out.append((m.w is w, m.w.requires_grad, type(m.state_dict()["w"]).__name__))
    out.append(repr(m.s))
    m.to(lib.float32)
    out.append([str(v.dtype) for v in m.state_dict().values()])
    return out


def test_load_and_convert_parity(torch):
    rng = np.random.default_rng(0)
    arrays = {
        "w": rng.standard_normal((2, 3)).astype(np.float32),
        "steps": np.array([3, 4]),
        "mean": np.array([1.0, 2.0, 3.0]),  # float64 into a float32 buffer
        "s": np.array([2.5], dtype=np.float32),  # old (1,) layout for a 0-d parameter
        "unexpected": np.zeros(1, dtype=np.float32),
    }
    ours = _values_story(course_lib, arrays)
    theirs = _values_story(torch, arrays)
    assert ours == theirs


def _parameter_reprs(lib):
    t = lib.tensor
    return [
        repr(lib.nn.Parameter(t([1.0, 2.0]))),
        repr(lib.nn.Parameter(t([1.0, 2.0]), requires_grad=False)),
        repr(lib.nn.Parameter(lib.zeros(2, 2))),
        repr(lib.nn.Parameter(t([[1.5, -2.25, 3.0], [4.0, 5.0, 6.125]]))),
        repr(lib.nn.Parameter()),
        repr(lib.nn.Parameter(t(3.0))),
        repr(lib.nn.Parameter(t([1, 2]), requires_grad=False)),
        str(lib.nn.Parameter(lib.ones(2, 1, dtype=lib.float64))),
    ]


def test_parameter_repr_parity(torch):
    assert _parameter_reprs(course_lib) == _parameter_reprs(torch)


def _zero_grad_story(lib):
    m = build_net(lib)
    x = lib.tensor(np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4))
    m.block1.lin(x).sum().backward()
    had = [p.grad is not None for p in m.parameters()]
    m.zero_grad(set_to_none=False)
    zeroed = [None if p.grad is None else float(p.grad.abs().sum()) for p in m.parameters()]
    m.zero_grad()
    return had, zeroed, [p.grad is None for p in m.parameters()]


def test_zero_grad_parity(torch):
    assert _zero_grad_story(course_lib) == _zero_grad_story(torch)
