"""The leaf modules: Linear, Identity, ReLU, Tanh, Sigmoid, Softmax, LogSoftmax, LayerNorm,
Embedding, CrossEntropyLoss, MSELoss, Flatten, against torch 2.13.

Parity tests take the `torch` fixture: the same layer is built in both libraries, torch's
parameters are copied into ours, and outputs, gradients, reprs, init statistics and exceptions
are compared.
"""

import math
import warnings

import numpy as np
import pytest
from gradcheck import gradcheck
from hypothesis import given, settings
from hypothesis import strategies as st

import course_lib as cl
from course_lib.nn import (
    CrossEntropyLoss,
    Embedding,
    Flatten,
    LayerNorm,
    Linear,
    LogSoftmax,
    Module,
    MSELoss,
    Parameter,
    ReLU,
    Sequential,
    Softmax,
    Tanh,
)

NN = cl.nn  # every layer is reached as lib.nn.X, for course_lib and torch alike


def nn_of(lib):
    return lib.nn


def arr(*shape, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def copy_params(ours: Module, theirs) -> None:
    """Give our module torch's parameter values (same names, same shapes)."""
    t_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        with cl.no_grad():
            p.copy_(cl.tensor(t_params[name].detach().numpy()))


# ----------------------------------------------------------------------------------------------
# reprs (section 2.7)
# ----------------------------------------------------------------------------------------------

REPRS = [
    ("Linear(3, 4)", "Linear(in_features=3, out_features=4, bias=True)"),
    ("Linear(3, 4, bias=False)", "Linear(in_features=3, out_features=4, bias=False)"),
    ("LayerNorm(5)", "LayerNorm((5,), eps=1e-05, elementwise_affine=True, bias=True)"),
    (
        "LayerNorm([2, 3], eps=1e-6, elementwise_affine=False)",
        "LayerNorm((2, 3), eps=1e-06, elementwise_affine=False, bias=False)",
    ),
    ("LayerNorm(4, bias=False)", "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=False)"),
    ("Softmax(dim=1)", "Softmax(dim=1)"),
    ("Softmax()", "Softmax(dim=None)"),
    ("LogSoftmax(dim=-1)", "LogSoftmax(dim=-1)"),
    ("Tanh()", "Tanh()"),
    ("ReLU()", "ReLU()"),
    ("Sigmoid()", "Sigmoid()"),
    ("Identity()", "Identity()"),
    ("Embedding(10, 3)", "Embedding(10, 3)"),
    (
        "Embedding(10, 3, padding_idx=0, max_norm=1.0)",
        "Embedding(10, 3, padding_idx=0, max_norm=1.0)",
    ),
    ("Embedding(10, 3, padding_idx=-1)", "Embedding(10, 3, padding_idx=9)"),
    ("Flatten()", "Flatten(start_dim=1, end_dim=-1)"),
    ("CrossEntropyLoss()", "CrossEntropyLoss()"),
    ("MSELoss()", "MSELoss()"),
]

MORE_REPRS = [
    "ReLU(inplace=True)",
    "LayerNorm((2, 3))",
    "LayerNorm(3, eps=0.001)",
    "LayerNorm(3, eps=1)",
    "LayerNorm([])",
    "Embedding(10, 3, max_norm=1, norm_type=1.0, scale_grad_by_freq=True, sparse=True)",
    "Embedding(10, 3, norm_type=2)",
    "Embedding(10, 3, norm_type=3)",
    "Flatten(0, 2)",
    "Identity(3, unused=True)",
    "CrossEntropyLoss(weight=cl.ones(3), label_smoothing=0.1)",
    "Linear(0, 3)",
]


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors is a no-op")
@pytest.mark.parametrize("expr, expected", REPRS)
def test_repr_table(expr, expected):
    assert repr(eval(expr, {"cl": cl}, vars(NN))) == expected


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors is a no-op")
@pytest.mark.parametrize("expr", [e for e, _ in REPRS] + MORE_REPRS)
def test_repr_parity(torch, expr):
    ours = eval(expr, {"cl": cl}, vars(NN))
    theirs = eval(expr.replace("cl.", "torch."), {"torch": torch}, vars(torch.nn))
    assert repr(ours) == repr(theirs)


def test_repr_inside_a_container():
    seq = Sequential(Linear(3, 2), Softmax(dim=-1))
    assert repr(seq) == (
        "Sequential(\n"
        "  (0): Linear(in_features=3, out_features=2, bias=True)\n"
        "  (1): Softmax(dim=-1)\n"
        ")"
    )


# ----------------------------------------------------------------------------------------------
# Linear (section 4, claim 9a)
# ----------------------------------------------------------------------------------------------


def test_linear_parameters():
    lin = Linear(3, 4)
    assert [n for n, _ in lin.named_parameters()] == ["weight", "bias"]
    assert isinstance(lin.weight, Parameter) and lin.weight.requires_grad
    assert lin.weight.shape == (4, 3) and lin.bias.shape == (4,)
    assert lin.weight.dtype == cl.float32 and lin.in_features == 3 and lin.out_features == 4
    nobias = Linear(3, 4, bias=False)
    assert nobias.bias is None and [n for n, _ in nobias.named_parameters()] == ["weight"]
    assert "bias" in nobias._parameters  # registered as None, as torch does
    double = Linear(3, 4, dtype=cl.float64)
    assert double.weight.dtype == cl.float64 and double.bias.dtype == cl.float64
    assert double(cl.randn(2, 3).double()).dtype == cl.float64


def test_linear_default_init_is_uniform_with_bound_one_over_sqrt_in():
    lin = Linear(100, 2000)
    w = lin.weight.detach().numpy().astype(np.float64)
    bound = 1 / math.sqrt(100)
    assert -bound <= w.min() < -0.999 * bound and 0.999 * bound < w.max() <= bound
    assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.01)  # theory 0.05774
    assert (np.abs(w) > 1).mean() == 0  # not N(0, 1) (claim 9a)
    hist, _ = np.histogram(w * math.sqrt(100), bins=10, range=(-1, 1))
    assert hist.min() > 0.9 * hist.mean()  # flat, i.e. uniform, not bell-shaped
    b = Linear(10, 4000).bias.detach().numpy()
    assert np.abs(b).max() <= 1 / math.sqrt(10) and np.abs(b).max() > 0.99 / math.sqrt(10)


def test_linear_draws_weight_then_bias_from_one_stream():
    cl.manual_seed(123)
    lin = Linear(5, 3)
    cl.manual_seed(123)
    bound = 1 / math.sqrt(5)
    w = cl.empty(3, 5).uniform_(-bound, bound)
    b = cl.empty(3).uniform_(-bound, bound)
    np.testing.assert_array_equal(lin.weight.detach().numpy(), w.numpy())
    np.testing.assert_array_equal(lin.bias.detach().numpy(), b.numpy())


def test_linear_init_parity(torch):
    torch.manual_seed(0)
    for n_in, n_out in [(100, 2000), (256, 512), (4096, 64)]:
        ours = Linear(n_in, n_out).weight.detach().numpy().astype(np.float64)
        theirs = torch.nn.Linear(n_in, n_out).weight.detach().numpy().astype(np.float64)
        assert np.abs(ours).max() == pytest.approx(np.abs(theirs).max(), rel=1e-3)
        assert ours.std() == pytest.approx(theirs.std(), rel=0.02)
        assert ours.mean() == pytest.approx(0, abs=5 * theirs.std() / math.sqrt(ours.size))


def test_linear_zero_sizes_warn_and_zero_bias():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        lin = Linear(0, 4)
    np.testing.assert_array_equal(lin.bias.detach().numpy(), 0)  # bound = 0 when fan_in = 0
    assert lin(cl.randn(2, 0)).shape == (2, 4)
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        assert Linear(3, 0)(cl.randn(2, 3)).shape == (2, 0)


@pytest.mark.parametrize("shape", [(3,), (5, 3), (2, 5, 3), (2, 2, 5, 3), (0, 3), (2, 0, 3)])
def test_linear_any_leading_dims(shape):
    lin = Linear(3, 4)
    x = cl.randn(shape)
    y = lin(x)
    assert y.shape == (*shape[:-1], 4)
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    np.testing.assert_allclose(y.detach().numpy(), x.numpy() @ w.T + b, rtol=1e-6, atol=1e-6)


def test_linear_gradcheck():
    lin = Linear(3, 2, dtype=cl.float64)
    assert gradcheck(lin, arr(4, 3, dtype=np.float64))
    assert gradcheck(lin, arr(2, 4, 3, dtype=np.float64))
    x = cl.randn(2, 5, 3, dtype=cl.float64)
    lin.zero_grad()
    lin(x).sum().backward()
    np.testing.assert_allclose(lin.bias.grad.numpy(), 10.0)
    np.testing.assert_allclose(lin.weight.grad.numpy(), np.tile(x.numpy().sum((0, 1)), (2, 1)))


@pytest.mark.parametrize("shape", [(3,), (5, 3), (2, 5, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_parity(torch, shape, bias):
    theirs = torch.nn.Linear(3, 4, bias=bias)
    ours = Linear(3, 4, bias=bias)
    copy_params(ours, theirs)
    x = arr(*shape)
    cx, tx = cl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cy, ty = ours(cx), theirs(tx)
    np.testing.assert_allclose(cy.detach().numpy(), ty.detach().numpy(), rtol=1e-5, atol=1e-6)
    g = arr(*cy.shape, seed=1)
    cy.backward(cl.tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-6)
    for (name, p), (_, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-5, atol=1e-5), name


# ----------------------------------------------------------------------------------------------
# Activations (section 6)
# ----------------------------------------------------------------------------------------------


ACTIVATIONS = [
    "ReLU()",
    "Tanh()",
    "Sigmoid()",
    "Softmax(dim=1)",
    "Softmax(dim=0)",
    "LogSoftmax(dim=-1)",
    "Identity()",
    "Flatten()",
    "Flatten(0, 1)",
]


@pytest.mark.parametrize("expr", ACTIVATIONS)
def test_parameterless_modules_gradcheck(expr):
    m = eval(expr, {}, vars(NN))
    assert list(m.parameters()) == []
    assert gradcheck(m, arr(3, 4, 2, dtype=np.float64) + 0.01)


@pytest.mark.parametrize("expr", ACTIVATIONS + ["ReLU(inplace=True)"])
def test_parameterless_modules_parity(torch, expr):
    x = arr(3, 4, 2) * 3
    outs = []
    for lib in (cl, torch):
        m = eval(expr, {}, vars(nn_of(lib)))
        leaf = lib.tensor(x, requires_grad=True)
        inp = leaf * 1  # a non-leaf, so that ReLU(inplace=True) is allowed
        y = m(inp)
        (y * lib.tensor(arr(*y.shape, seed=1))).sum().backward()
        outs.append((y.detach().numpy(), leaf.grad.numpy()))
    np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(outs[0][1], outs[1][1], rtol=1e-5, atol=1e-6)


def test_tanh_values_and_int_input():
    y = Tanh()(cl.tensor([1, 2]))
    assert y.dtype == cl.float32
    np.testing.assert_allclose(y.numpy(), [0.7616, 0.9640], atol=1e-4)
    x = cl.tensor([0.0, 0.5, 1.0, 2.0, 3.0, 5.0], requires_grad=True)
    Tanh()(x).sum().backward()
    np.testing.assert_allclose(
        x.grad.numpy(), [1.0, 0.7864, 0.4200, 0.07065, 0.009866, 1.8e-4], rtol=1e-3, atol=5e-6
    )


def test_softmax_module_implicit_dim_warns():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax") as rec:
        y = Softmax()(cl.randn(2, 3, 5))
    assert rec[0].filename == __file__
    np.testing.assert_allclose(y.numpy().sum(axis=0), 1, rtol=1e-6)  # 3-D: dim 0
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        LogSoftmax()(cl.randn(2, 3))


# ----------------------------------------------------------------------------------------------
# LayerNorm (section 5, claim 9c)
# ----------------------------------------------------------------------------------------------


def test_layer_norm_parameters():
    ln = LayerNorm([2, 3])
    assert ln.normalized_shape == (2, 3) and ln.eps == 1e-5 and ln.elementwise_affine
    assert ln.weight.shape == (2, 3) and (ln.weight.detach().numpy() == 1).all()
    assert (ln.bias.detach().numpy() == 0).all()
    assert LayerNorm(4).normalized_shape == (4,)
    assert LayerNorm(cl.Size([4])).normalized_shape == (4,)
    nob = LayerNorm(4, bias=False)
    assert nob.bias is None and [n for n, _ in nob.named_parameters()] == ["weight"]
    off = LayerNorm(4, elementwise_affine=False)
    assert off.weight is None and off.bias is None and off.state_dict() == {}
    assert list(off.buffers()) == []
    assert LayerNorm(4, dtype=cl.float64).weight.dtype == cl.float64


def test_layer_norm_is_deterministic_per_sample():
    ln = LayerNorm(6)
    x = cl.randn(4, 6)
    a = ln(x).detach().numpy()
    ln.eval()
    np.testing.assert_array_equal(ln(x).detach().numpy(), a)  # no train/eval difference
    np.testing.assert_array_equal(ln(x[1:2]).detach().numpy(), a[1:2])  # batch-mates irrelevant


def test_layer_norm_sample_alone_matches_it_in_a_batch_of_several_blocks():
    # 600 rows of 256 are worked through in blocks of rows; rows on either side of a block's edge
    # give the same bits alone as in the batch, forward and backward
    ln = LayerNorm(256)
    with cl.no_grad():
        ln.weight.copy_(cl.randn(256))
        ln.bias.copy_(cl.randn(256))
    x, g = arr(600, 256) * 3 + 1, arr(600, 256, seed=1)
    batch = cl.tensor(x, requires_grad=True)
    y = ln(batch)
    y.backward(cl.tensor(g))
    for i in (0, 255, 256, 599):
        alone = cl.tensor(x[i : i + 1], requires_grad=True)
        y_alone = ln(alone)
        y_alone.backward(cl.tensor(g[i : i + 1]))
        np.testing.assert_array_equal(y_alone.detach().numpy(), y.detach().numpy()[i : i + 1])
        np.testing.assert_array_equal(alone.grad.numpy(), batch.grad.numpy()[i : i + 1])


def test_layer_norm_constant_row_gives_bias_not_nan():
    ln = LayerNorm(4)
    with cl.no_grad():
        ln.bias.copy_(cl.tensor([1.0, -2.0, 3.0, 0.5]))
    x = cl.full((3, 4), 7.0, requires_grad=True)
    y = ln(x)
    np.testing.assert_allclose(y.detach().numpy(), np.tile([1.0, -2.0, 3.0, 0.5], (3, 1)))
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 0, atol=1e-3)


def test_layer_norm_gradcheck():
    ln = LayerNorm((3, 4), dtype=cl.float64)
    with cl.no_grad():
        ln.weight.copy_(cl.randn(3, 4))
        ln.bias.copy_(cl.randn(3, 4))
    assert gradcheck(ln, arr(2, 3, 4, dtype=np.float64))


@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), seed=st.integers(0, 99))
@settings(max_examples=25, deadline=None)
def test_layer_norm_module_property(shape, seed):
    ln = LayerNorm(shape[-1], dtype=cl.float64)
    x = arr(*shape, seed=seed, dtype=np.float64) * 5
    y = ln(cl.tensor(x)).detach().numpy()
    np.testing.assert_allclose(y.mean(-1), 0, atol=1e-9)
    v = x.var(-1)
    np.testing.assert_allclose(y.var(-1), v / (v + 1e-5), rtol=1e-9)


@pytest.mark.parametrize(
    "args, shape", [((4,), (2, 4)), (([3, 4],), (2, 3, 4)), ((5,), (2, 3, 5)), ((4, 1e-3), (3, 4))]
)
def test_layer_norm_parity(torch, args, shape):
    theirs = torch.nn.LayerNorm(*args)
    with torch.no_grad():
        theirs.weight.copy_(torch.randn(theirs.weight.shape))
        theirs.bias.copy_(torch.randn(theirs.bias.shape))
    ours = LayerNorm(*args)
    copy_params(ours, theirs)
    x = arr(*shape) * 2 + 1
    cx, tx = cl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cy, ty = ours(cx), theirs(tx)
    np.testing.assert_allclose(cy.detach().numpy(), ty.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = arr(*shape, seed=2)
    cy.backward(cl.tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(
        ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-4, atol=1e-4
    )
    np.testing.assert_allclose(ours.bias.grad.numpy(), theirs.bias.grad.numpy(), rtol=1e-5)


# ----------------------------------------------------------------------------------------------
# Embedding (section 7.1)
# ----------------------------------------------------------------------------------------------


def test_embedding_init_is_standard_normal():
    e = Embedding(2000, 100)
    w = e.weight.detach().numpy().astype(np.float64)
    assert w.std() == pytest.approx(1.0, abs=0.01)
    assert w.mean() == pytest.approx(0.0, abs=0.01)
    assert (np.abs(w) > 1).mean() == pytest.approx(0.3173, abs=0.01)  # N(0, 1), unlike Linear


def test_embedding_init_parity(torch):
    torch.manual_seed(0)
    ours = Embedding(2000, 100).weight.detach().numpy().astype(np.float64)
    theirs = torch.nn.Embedding(2000, 100).weight.detach().numpy().astype(np.float64)
    assert ours.std() == pytest.approx(theirs.std(), abs=0.01)
    assert ours.mean() == pytest.approx(theirs.mean(), abs=0.01)
    assert np.percentile(ours, 90) == pytest.approx(np.percentile(theirs, 90), abs=0.02)


def test_embedding_padding_and_lookup():
    e = Embedding(5, 3, padding_idx=-1)
    assert e.padding_idx == 4
    assert (e.weight.detach().numpy()[4] == 0).all() and (e.weight.detach().numpy()[:4] != 0).all()
    idx = cl.tensor([[4, 1], [1, 0]])
    out = e(idx)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.detach().numpy(), e.weight.detach().numpy()[idx.numpy()])
    assert e(cl.tensor(2)).shape == (3,)
    assert e(cl.tensor([1], dtype=cl.int32)).shape == (1, 3)
    with cl.no_grad():
        e.weight[4] = cl.tensor([1.0, 2.0, 3.0])  # the forward does not force the padding row
    np.testing.assert_array_equal(e(cl.tensor([4])).detach().numpy(), [[1.0, 2.0, 3.0]])
    e(cl.tensor([1, 1, 4, 1])).sum().backward()
    np.testing.assert_array_equal(e.weight.grad.numpy()[:, 0], [0, 3, 0, 0, 0])


def test_embedding_from_pretrained_and_weight_argument():
    t = cl.randn(5, 2)
    e = Embedding.from_pretrained(t)
    assert not e.weight.requires_grad and repr(e) == "Embedding(5, 2)"
    with cl.no_grad():
        t[0, 0] = 100.0
    assert e.weight[0, 0].item() == 100.0  # shares memory with t
    assert Embedding.from_pretrained(t, freeze=False).weight.requires_grad
    assert Embedding.from_pretrained(t, padding_idx=1).padding_idx == 1
    w = cl.randn(4, 3)
    e2 = Embedding(4, 3, _weight=w)
    np.testing.assert_array_equal(e2.weight.detach().numpy(), w.numpy())
    assert Embedding(4, 3, dtype=cl.float64).weight.dtype == cl.float64


def test_embedding_max_norm_module():
    e = Embedding(4, 3, max_norm=1.0)
    with cl.no_grad():
        e.weight.copy_(cl.tensor(arr(4, 3) * 3))
    before = np.linalg.norm(e.weight.detach().numpy(), axis=1)
    e(cl.tensor([0, 2]))
    after = np.linalg.norm(e.weight.detach().numpy(), axis=1)
    np.testing.assert_allclose(after[[0, 2]], 1.0, rtol=1e-6)
    np.testing.assert_array_equal(after[[1, 3]], before[[1, 3]])


@pytest.mark.parametrize(
    "kw", [{}, {"padding_idx": 1}, {"max_norm": 1.5}, {"scale_grad_by_freq": True}]
)
def test_embedding_parity(torch, kw):
    theirs = torch.nn.Embedding(6, 3, **kw)
    ours = Embedding(6, 3, **kw)
    copy_params(ours, theirs)
    idx = np.array([[0, 1, 5], [1, 1, 2]])
    cy, ty = ours(cl.tensor(idx)), theirs(torch.tensor(idx))
    np.testing.assert_allclose(cy.detach().numpy(), ty.detach().numpy(), rtol=1e-6)
    g = arr(2, 3, 3, seed=1)
    cy.backward(cl.tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(
        ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=1e-6
    )


# ----------------------------------------------------------------------------------------------
# Losses (sections 8.2, 8.3)
# ----------------------------------------------------------------------------------------------


def test_loss_module_options_and_weight_buffer():
    ce = CrossEntropyLoss()
    assert (ce.reduction, ce.ignore_index, ce.label_smoothing, ce.weight) == (
        "mean",
        -100,
        0.0,
        None,
    )
    assert list(ce.named_buffers()) == [] and list(ce.parameters()) == []
    w = cl.tensor([1.0, 2.0, 3.0])
    cw = CrossEntropyLoss(weight=w)
    assert [n for n, _ in cw.named_buffers()] == ["weight"] and list(cw.state_dict()) == ["weight"]
    assert MSELoss().reduction == "mean"
    with pytest.warns(UserWarning, match="please use reduction='sum' instead"):
        assert MSELoss(size_average=False).reduction == "sum"
    with pytest.warns(UserWarning, match="please use reduction='none' instead"):
        assert CrossEntropyLoss(reduce=False).reduction == "none"


def test_invalid_options_are_reported_when_called():
    bad = MSELoss(reduction="avg")  # accepted here, as in torch
    with pytest.raises(ValueError) as info:
        bad(cl.randn(3), cl.randn(3))
    assert str(info.value) == "avg is not a valid value for reduction"
    ce = CrossEntropyLoss(label_smoothing=1.5)
    with pytest.raises(RuntimeError) as info:
        ce(cl.randn(2, 3), cl.tensor([0, 1]))
    assert str(info.value) == "label_smoothing must be between 0.0 and 1.0. Got: 1.5"
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        CrossEntropyLoss(reduction="avg")(cl.randn(2, 3), cl.tensor([0, 1]))


def test_cross_entropy_module_gradcheck():
    w = cl.tensor([0.5, 1.0, 2.0], dtype=cl.float64)
    y = cl.tensor([0, 2, 1, -100])
    assert gradcheck(lambda x: CrossEntropyLoss(weight=w)(x, y), arr(4, 3, dtype=np.float64))
    ls = CrossEntropyLoss(label_smoothing=0.1, reduction="sum")
    assert gradcheck(lambda x: ls(x, y), arr(4, 3, dtype=np.float64))
    assert gradcheck(CrossEntropyLoss(), arr(4, 3, dtype=np.float64), np.abs(arr(4, 3, seed=1)))
    assert gradcheck(MSELoss(), arr(4, 3, dtype=np.float64), arr(4, 3, seed=1))


LOSS_CASES = [
    ("CrossEntropyLoss()", "index"),
    ("CrossEntropyLoss(reduction='sum')", "index"),
    ("CrossEntropyLoss(reduction='none')", "index"),
    ("CrossEntropyLoss(weight=lib.tensor([0.2, 1.0, 3.0]))", "index"),
    ("CrossEntropyLoss(ignore_index=2)", "index"),
    ("CrossEntropyLoss(label_smoothing=0.25)", "index"),
    ("CrossEntropyLoss()", "prob"),
    ("CrossEntropyLoss(weight=lib.tensor([0.2, 1.0, 3.0]), reduction='none')", "prob"),
    ("MSELoss()", "same"),
    ("MSELoss(reduction='sum')", "same"),
    ("MSELoss(reduction='none')", "same"),
]


@pytest.mark.parametrize("expr, kind", LOSS_CASES)
def test_loss_parity(torch, expr, kind):
    x = arr(5, 3) * 2
    target = {
        "index": np.array([0, 2, 1, 2, 0]),
        "prob": np.abs(arr(5, 3, seed=1)),
        "same": arr(5, 3, seed=2),
    }[kind]
    results = []
    for lib in (cl, torch):
        loss_fn = eval(expr, {"lib": lib}, vars(nn_of(lib)))
        xt = lib.tensor(x, requires_grad=True)
        loss = loss_fn(xt, lib.tensor(target))
        (loss * lib.tensor(arr(*loss.shape, seed=3))).sum().backward()
        results.append((loss.detach().numpy(), xt.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------------------------------------
# Flatten (section 7.4)
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, shape, out",
    [
        ((), (2, 3, 4, 5), (2, 60)),
        ((), (2, 3), (2, 3)),
        ((0,), (2, 3, 4), (24,)),
        ((1, 2), (2, 3, 4, 5), (2, 12, 5)),
        ((-3, -2), (2, 3, 4, 5), (2, 12, 5)),
    ],
)
def test_flatten_shapes(args, shape, out):
    x = cl.randn(shape)
    y = Flatten(*args)(x)
    assert y.shape == out
    np.testing.assert_array_equal(y.numpy(), x.numpy().reshape(out))
    assert np.shares_memory(y.numpy(), x.numpy())  # a view of contiguous input


# ----------------------------------------------------------------------------------------------
# Errors: the same exception type and message in both libraries
# ----------------------------------------------------------------------------------------------

DOCUMENTED_ERRORS = [
    (
        "Linear(3.0, 4)",
        TypeError,
        "empty(): argument 'size' failed to unpack the object at pos 2 with error \"type must be "
        'tuple of ints,but got float"',
    ),
    (
        "Linear('3', 4)",
        TypeError,
        "empty(): argument 'size' failed to unpack the object at pos 2 with error \"type must be "
        'tuple of ints,but got str"',
    ),
    ("Linear(-1, 4)", RuntimeError, "Trying to create tensor with negative dimension -1: [4, -1]"),
    (
        "Linear(3, 4)(lib.randn(2, 5))",
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (2x5 and 3x4)",
    ),
    (
        "Linear(3, 4)(lib.randn(5))",
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (1x5 and 3x4)",
    ),
    (
        "Linear(3, 4)(lib.randn(2, 5, 7))",
        RuntimeError,
        "mat1 and mat2 shapes cannot be multiplied (10x7 and 3x4)",
    ),
    (
        "Linear(3, 4)(lib.randn(()))",
        RuntimeError,
        "both arguments to linear need to be at least 1D, but they are 0D and 2D",
    ),
    (
        "Linear(3, 4)(lib.ones(2, 3, dtype=lib.long))",
        RuntimeError,
        "mat1 and mat2 must have the same dtype, but got Long and Float",
    ),
    (
        "Linear(3, 4)(lib.randn(2, 3).double())",
        RuntimeError,
        "mat1 and mat2 must have the same dtype, but got Double and Float",
    ),
    (
        "Linear(3, 4)([1.0, 2.0, 3.0])",
        TypeError,
        "linear(): argument 'input' (position 1) must be Tensor, not list",
    ),
    ("LayerNorm(4.0)", TypeError, "'float' object is not iterable"),
    (
        "LayerNorm(4)(lib.randn(2, 5))",
        RuntimeError,
        "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 5]",
    ),
    (
        "LayerNorm([5, 4])(lib.randn(2, 4, 5))",
        RuntimeError,
        "Given normalized_shape=[5, 4], expected input with shape [*, 5, 4], but got input of "
        "size[2, 4, 5]",
    ),
    (
        "LayerNorm(4)(lib.ones(2, 4, dtype=lib.long))",
        RuntimeError,
        "mixed dtype (CPU): all inputs must share same datatype.",
    ),
    (
        "LayerNorm(4)(lib.randn(2, 4).double())",
        RuntimeError,
        "mixed dtype (CPU): all inputs must share same datatype.",
    ),
    (
        "Tanh(inplace=True)",
        TypeError,
        "Tanh.__init__() got an unexpected keyword argument 'inplace'",
    ),
    (
        "Softmax(dim=3)(lib.randn(2, 3))",
        IndexError,
        "Dimension out of range (expected to be in range of [-2, 1], but got 3)",
    ),
    ("Embedding(5, 3, padding_idx=5)", AssertionError, "Padding_idx must be within num_embeddings"),
    (
        "Embedding(5, 3, padding_idx=-6)",
        AssertionError,
        "Padding_idx must be within num_embeddings",
    ),
    (
        "Embedding(5, 3, _weight=lib.randn(3, 5))",
        AssertionError,
        "Shape of weight does not match num_embeddings and embedding_dim",
    ),
    (
        "Embedding.from_pretrained(lib.randn(5))",
        AssertionError,
        "Embeddings parameter is expected to be 2-dimensional",
    ),
    (
        "Embedding(5, 3)(lib.tensor([1.0]))",
        RuntimeError,
        "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
        "Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)",
    ),
    ("Embedding(5, 3)(lib.tensor([5]))", IndexError, "index out of range in self"),
    ("Embedding(5, 3)(lib.tensor([-1]))", IndexError, "index out of range in self"),
    (
        "Embedding(5, 3)([1, 2])",
        TypeError,
        "embedding(): argument 'indices' (position 2) must be Tensor, not list",
    ),
    (
        "Flatten()(lib.randn(3))",
        IndexError,
        "Dimension out of range (expected to be in range of [-1, 0], but got 1)",
    ),
    (
        "Flatten(2, 1)(lib.randn(2, 3, 4))",
        RuntimeError,
        "flatten() has invalid args: start_dim cannot come after end_dim",
    ),
    (
        "Flatten(1, 5)(lib.randn(2, 3, 4))",
        IndexError,
        "Dimension out of range (expected to be in range of [-3, 2], but got 5)",
    ),
    (
        "CrossEntropyLoss()(lib.randn(4, 3), lib.randn(4))",
        RuntimeError,
        "expected target dtype to be Long or Byte, but got Float",
    ),
    (
        "CrossEntropyLoss()(lib.randn(4, 3), lib.tensor([0, 1, 3, 0]))",
        IndexError,
        "Target 3 is out of bounds.",
    ),
    (
        "CrossEntropyLoss()(lib.randn(4, 3), lib.tensor([0, 1, 2, 0, 1]))",
        ValueError,
        "Expected input batch_size (4) to match target batch_size (5).",
    ),
    (
        "MSELoss()(lib.randn(3), lib.randn(4))",
        RuntimeError,
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0",
    ),
    (
        "MSELoss()(lib.ones(3, dtype=lib.long), lib.ones(3, dtype=lib.long))",
        NotImplementedError,
        "\"mse_cpu\" not implemented for 'Long'",
    ),
]

MORE_ERRORS = [
    "Linear(3, 4.0)",
    "Linear(3, '4')",
    "Linear(None, 4)",
    "Linear(3, -4)",
    "Linear(3, 4, dtype=lib.long)",
    "Linear(3, 4)(lib.randn(2, 3), lib.randn(2, 3))",
    "Tanh(1)",
    "Sigmoid(inplace=True)",
    "ReLU(inplace=True, extra=1)",
    "Tanh()([1.0])",
    "Sigmoid()([1.0])",
    "LayerNorm(-1)",
    "LayerNorm((2, 'a'))",
    "LayerNorm([])(lib.randn(2, 3))",
    "LayerNorm(4, dtype=lib.long)",
    "LayerNorm(4)([1.0, 2.0, 3.0, 4.0])",
    "LayerNorm(4, bias=False)(lib.randn(2, 4).double())",
    "Embedding(10.0, 3)",
    "Embedding(-1, 3)",
    "Embedding(4, 3, dtype=lib.long)",
    "Embedding(5, 3)(lib.tensor([1], dtype=lib.uint8))",
    "Embedding(5, 3, max_norm=1.0)(lib.tensor([9]))",
    "CrossEntropyLoss(weight=lib.ones(2))(lib.randn(4, 3), lib.tensor([0, 1, 2, 0]))",
    "CrossEntropyLoss()(lib.randn(4, 3), lib.ones(4, 3, dtype=lib.long))",
    "CrossEntropyLoss()(lib.randn(4, 3), lib.ones(4, 1, dtype=lib.long))",
    "CrossEntropyLoss(ignore_index=0)(lib.randn(4, 3), lib.randn(4, 3))",
    "MSELoss()(lib.randn(3), [1.0, 2.0, 3.0])",
]


def error_of(expr: str, lib):
    env = {"lib": lib, "cl": cl}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            eval(expr, env, vars(nn_of(lib)))
        except Exception as e:
            return e
    return None


@pytest.mark.parametrize("expr, exc, message", DOCUMENTED_ERRORS)
def test_documented_errors(expr, exc, message):
    err = error_of(expr, cl)
    assert type(err) is exc and str(err) == message


@pytest.mark.parametrize("expr", [e for e, _, _ in DOCUMENTED_ERRORS] + MORE_ERRORS)
def test_error_parity(torch, expr):
    theirs, ours = error_of(expr, torch), error_of(expr, cl)
    assert theirs is not None, "torch accepted this: the case is wrong"
    assert ours is not None, f"course_lib accepted it; torch raised {theirs!r}"
    assert type(ours) is type(theirs)
    if torch.__version__.startswith("2.13."):  # C++ messages may change in other releases
        assert str(ours) == str(theirs)


def test_modules_in_a_model_train_end_to_end():
    model = Sequential(
        Embedding(10, 4), Flatten(), Linear(12, 8), LayerNorm(8), ReLU(), Linear(8, 3)
    )
    idx = cl.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [0, 1, 2]])
    y = cl.tensor([0, 1, 2, 1])
    loss_fn = CrossEntropyLoss()
    first = loss_fn(model(idx), y).item()
    for _ in range(60):
        loss = loss_fn(model(idx), y)
        for p in model.parameters():
            p.grad = None
        loss.backward()
        with cl.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
    assert loss.item() < 0.2 * first


def test_docstring_examples():
    import doctest

    from course_lib.nn.modules import activation, flatten, linear, loss, normalization, sparse

    names = {name: getattr(cl, name) for name in cl.__all__}
    for module in (linear, activation, normalization, sparse, loss, flatten):
        result = doctest.testmod(module, extraglobs={**names, **vars(module)})
        assert result.failed == 0 and result.attempted > 0, module.__name__
