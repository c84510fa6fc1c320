"""course_lib.optim's Adam, AdamW, RMSprop and Adagrad (and SGD's rounding), against an independent
NumPy implementation of the documented updates and against torch 2.13 (parity tests take the
`torch` fixture).

Bit-for-bit: the optimizers reproduce the float32 operations of torch's CPU for-loop step in
torch's order, including its fused multiply-adds, and the parity tests below compare float32
trajectories with exact equality. One operation is not reproduced: torch's CPU float32 sqrt is
not correctly rounded (about one element in 150 is 1 ulp off NumPy's correctly rounded root).
The exact tests therefore run course_lib with torch's sqrt put in place of NumPy's (the fixture
`torch_sqrt`), which isolates that single difference; the tests without it use a tolerance and
say why. float64 runs also use a tolerance: NumPy has no float64 fused multiply-add.
"""

import doctest
import re

import numpy as np
import pytest

import course_lib
from course_lib.optim import SGD, Adagrad, Adam, AdamW, RMSprop, _float_ops

SHAPES = [(3, 4), (5,), (17,), ()]  # a matrix, vectors shorter and longer than 8 floats, 0-d
STEPS = 40


@pytest.fixture
def torch_sqrt(torch, monkeypatch):
    """Run course_lib's optimizers with torch's float32 sqrt instead of NumPy's."""

    def sqrt(a):
        a = np.asarray(a)
        return torch.from_numpy(a.copy()).sqrt().numpy().reshape(a.shape)

    monkeypatch.setattr(_float_ops, "sqrt", sqrt)
    return torch


def data(seed=0, shapes=SHAPES, steps=STEPS):
    rng = np.random.default_rng(seed)
    p0s = [rng.normal(size=s).astype(np.float32) for s in shapes]
    grads = [[rng.normal(size=s).astype(np.float32) for s in shapes] for _ in range(steps)]
    return p0s, grads


def run(lib, name, config, p0s, grads, dtype="float32"):
    """One optimizer over several parameters fed the same gradients; (path, optimizer, params)."""
    dt = getattr(lib, dtype)
    params = [lib.tensor(p, dtype=dt, requires_grad=True) for p in p0s]
    config = dict(config)
    if "tensor_lr" in config:
        config["lr"] = lib.tensor([config.pop("tensor_lr")])
    opt = getattr(lib.optim, name)(params, **config)
    path = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = lib.tensor(g, dtype=dt)
        opt.step()
        path.append([p.detach().numpy().copy() for p in params])
    return path, opt, params


CONFIGS = {
    "Adam": dict(lr=0.01),
    "Adam wd": dict(lr=0.01, weight_decay=0.1),
    "Adam amsgrad": dict(lr=0.02, amsgrad=True, weight_decay=0.05),
    "Adam maximize": dict(lr=0.01, maximize=True),
    "Adam small betas": dict(lr=0.01, betas=(0.3, 0.4), eps=1e-3),  # lerp's other formula
    "Adam decoupled": dict(lr=0.01, weight_decay=0.2, decoupled_weight_decay=True),
    "Adam tensor lr": dict(tensor_lr=0.003, weight_decay=0.1),
    "Adam foreach": dict(lr=0.01, foreach=True),
    "AdamW": dict(lr=0.01),
    "AdamW amsgrad": dict(lr=0.03, weight_decay=0.3, amsgrad=True, maximize=True),
    "AdamW tensor lr": dict(tensor_lr=0.03, weight_decay=0.3),
    "RMSprop": dict(lr=0.01),
    "RMSprop momentum": dict(lr=0.01, momentum=0.9, weight_decay=0.1),
    "RMSprop centered": dict(lr=0.01, centered=True, alpha=0.9),
    "RMSprop everything": dict(lr=0.005, momentum=0.5, centered=True, weight_decay=0.1,
                               maximize=True, alpha=0.3),
    "RMSprop tensor lr": dict(tensor_lr=0.01, momentum=0.9),
    "Adagrad": dict(lr=0.1),
    "Adagrad decay": dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.2),
    "Adagrad maximize": dict(lr=0.1, maximize=True, eps=1e-3),
    "Adagrad tensor lr": dict(tensor_lr=0.1, lr_decay=0.05),
    "SGD": dict(lr=0.1),
    "SGD nesterov wd": dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
    "SGD dampening tensor lr": dict(tensor_lr=0.05, momentum=0.8, dampening=0.3, maximize=True),
}  # fmt: skip


def class_name(config_id):
    return config_id.split()[0]


def assert_states_equal(opt, params, topt, tparams, exact=True):
    assert len(opt.state) == len(topt.state)
    for p, tp in zip(params, tparams):
        ours, theirs = opt.state[p], topt.state[tp]
        assert list(ours) == list(theirs)
        for key in ours:
            a, b = ours[key], theirs[key]
            assert isinstance(a, course_lib.Tensor) and repr(a.dtype) == repr(b.dtype)
            assert a.shape == tuple(b.shape)
            if exact:
                np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=key)


@pytest.mark.parametrize("config_id", CONFIGS)
def test_float32_trajectory_is_bit_exact(torch_sqrt, config_id):
    torch = torch_sqrt
    p0s, grads = data()
    name, config = class_name(config_id), CONFIGS[config_id]
    ours, opt, params = run(course_lib, name, config, p0s, grads)
    theirs, topt, tparams = run(torch, name, config, p0s, grads)
    for step, (a, b) in enumerate(zip(ours, theirs), start=1):
        for i, (x, y) in enumerate(zip(a, b)):
            assert x.dtype == y.dtype == np.float32 and x.shape == y.shape
            np.testing.assert_array_equal(x, y, err_msg=f"step {step}, param {i}")
    assert_states_equal(opt, params, topt, tparams)
    assert [p._version for p in params] == [p._version for p in tparams]


def test_the_configurations_differ():
    """Guard for the test above: each configuration gives its own final parameters."""
    p0s, grads = data()
    finals = {c: run(course_lib, class_name(c), CONFIGS[c], p0s, grads)[0][-1][0].tobytes()
              for c in CONFIGS}  # fmt: skip
    assert finals["Adam foreach"] == finals["Adam"]  # foreach=True: the same numbers
    assert len(set(finals.values())) == len(CONFIGS) - 1


@pytest.mark.parametrize("config_id", CONFIGS)
def test_float32_trajectory_with_numpy_sqrt(torch, config_id):
    """Without torch's sqrt the runs agree to about 1 ulp of each step: torch's float32 sqrt
    is sometimes 1 ulp off the correctly rounded root that NumPy gives. The centered RMSprop
    takes the root of s − a², a difference of close numbers, which magnifies the ulp."""
    p0s, grads = data()
    name, config = class_name(config_id), CONFIGS[config_id]
    ours, opt, params = run(course_lib, name, config, p0s, grads)
    theirs, topt, tparams = run(torch, name, config, p0s, grads)
    tol = dict(rtol=1e-3, atol=1e-4) if config.get("centered") else dict(rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        np.concatenate([x.ravel() for x in ours[-1]]),
        np.concatenate([x.ravel() for x in theirs[-1]]),
        **tol,
    )
    assert_states_equal(opt, params, topt, tparams, exact=False)


@pytest.mark.parametrize("config_id", [c for c in CONFIGS if "tensor" not in c])
def test_float64_trajectory(torch, config_id):
    """float64 agrees to ~1e-13: torch fuses a·b + c into one rounding, NumPy rounds twice."""
    p0s, grads = data()
    name, config = class_name(config_id), CONFIGS[config_id]
    ours, opt, params = run(course_lib, name, config, p0s, grads, "float64")
    theirs, topt, tparams = run(torch, name, config, p0s, grads, "float64")
    for a, b in zip(ours[-1], theirs[-1]):
        assert a.dtype == b.dtype == np.float64
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-12)
    assert_states_equal(opt, params, topt, tparams, exact=False)
    if "step" in opt.state[params[0]]:  # the step counter stays float32, as in torch
        assert opt.state[params[0]]["step"].dtype == course_lib.float32


# -- the update rules, from their documented formulas, in float64 (no torch needed) -------------


def numpy_adam(p0, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
               maximize=False, decoupled=False):  # fmt: skip
    theta = np.array(p0, np.float64)
    m = v = vmax = np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        g = -np.asarray(g, np.float64) if maximize else np.asarray(g, np.float64)
        if decoupled:
            theta = theta * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * theta
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        vmax = np.maximum(vmax, v)
        v_hat = (vmax if amsgrad else v) / (1 - betas[1] ** t)
        theta = theta - lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v_hat) + eps)
    return theta


def numpy_rmsprop(p0, grads, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                  centered=False, maximize=False):  # fmt: skip
    theta = np.array(p0, np.float64)
    s = a = b = np.zeros_like(theta)
    for g in grads:
        g = -np.asarray(g, np.float64) if maximize else np.asarray(g, np.float64)
        g = g + weight_decay * theta
        s = alpha * s + (1 - alpha) * g * g
        a = alpha * a + (1 - alpha) * g
        d = np.sqrt(s - a * a if centered else s) + eps
        if momentum > 0:
            b = momentum * b + g / d
            theta = theta - lr * b
        else:
            theta = theta - lr * g / d
    return theta


def numpy_adagrad(p0, grads, lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                  eps=1e-10, maximize=False):  # fmt: skip
    theta = np.array(p0, np.float64)
    total = np.full_like(theta, initial_accumulator_value)
    for t, g in enumerate(grads, start=1):
        g = -np.asarray(g, np.float64) if maximize else np.asarray(g, np.float64)
        g = g + weight_decay * theta
        total = total + g * g
        theta = theta - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(total) + eps)
    return theta


REFERENCE = {
    "Adam": lambda p0, grads, c: numpy_adam(p0, grads, **c),
    "AdamW": lambda p0, grads, c: numpy_adam(p0, grads, **{"weight_decay": 0.01, **c},
                                             decoupled=True),
    "RMSprop": lambda p0, grads, c: numpy_rmsprop(p0, grads, **c),
    "Adagrad": lambda p0, grads, c: numpy_adagrad(p0, grads, **c),
}  # fmt: skip


@pytest.mark.parametrize(
    "config_id", [c for c in CONFIGS if class_name(c) in REFERENCE and "tensor" not in c]
)
def test_matches_the_documented_formula(config_id):
    name, config = class_name(config_id), dict(CONFIGS[config_id])
    config.pop("foreach", None)
    decoupled = config.pop("decoupled_weight_decay", False)
    p0s, grads = data(shapes=[(3, 2)], steps=12)
    got = run(course_lib, name, CONFIGS[config_id], p0s, grads, "float64")[0][-1][0]
    if decoupled:
        want = numpy_adam(p0s[0], [g[0] for g in grads], **config, decoupled=True)
    else:
        want = REFERENCE[name](p0s[0], [g[0] for g in grads], config)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)


def test_adam_first_step_moves_each_entry_by_lr():
    w = course_lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    w.grad = course_lib.tensor([1e-2, -50.0, 7.0])
    Adam([w], lr=0.1).step()
    np.testing.assert_allclose(w.detach().numpy(), [0.9, -1.9, 2.9], rtol=1e-6)


def test_maximize_is_minimizing_the_negated_gradient():
    p0s, grads = data(shapes=[(6,)], steps=10)
    for name, config in [("Adam", dict(lr=0.01, weight_decay=0.1)), ("RMSprop", dict(lr=0.01)),
                         ("Adagrad", dict(lr=0.1))]:  # fmt: skip
        up = run(course_lib, name, dict(config, maximize=True), p0s, grads)[0]
        negated = [[-g for g in step] for step in grads]
        down = run(course_lib, name, config, p0s, negated)[0]
        np.testing.assert_array_equal(np.array(up), np.array(down), err_msg=name)


# -- state, grad None, param groups, versions ---------------------------------------------------


STATE_KEYS = {
    Adam: ["step", "exp_avg", "exp_avg_sq"],
    AdamW: ["step", "exp_avg", "exp_avg_sq"],
    RMSprop: ["step", "square_avg"],
    Adagrad: ["step", "sum"],
}


@pytest.mark.parametrize("cls", STATE_KEYS, ids=lambda c: c.__name__)
def test_state_keys_and_types(cls):
    w = course_lib.tensor([[1.0, 2.0]], requires_grad=True)
    opt = cls([w], lr=0.1)
    for _ in range(3):
        w.grad = course_lib.tensor([[0.5, -1.0]])
        opt.step()
    state = opt.state[w]
    assert list(state) == STATE_KEYS[cls]
    step = state["step"]
    assert isinstance(step, course_lib.Tensor) and step.shape == () and step.item() == 3.0
    assert step.dtype == course_lib.float32 and not step.requires_grad
    for key in STATE_KEYS[cls][1:]:
        assert state[key].shape == (1, 2) and state[key].dtype == course_lib.float32
        assert not state[key].requires_grad and state[key].grad_fn is None


def test_optional_state_entries():
    w = course_lib.tensor([1.0], requires_grad=True)
    w.grad = course_lib.tensor([1.0])
    opt = Adam([w], amsgrad=True)
    opt.step()
    assert list(opt.state[w]) == ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
    opt = RMSprop([w], momentum=0.9, centered=True)
    opt.step()
    assert list(opt.state[w]) == ["step", "square_avg", "momentum_buffer", "grad_avg"]


@pytest.mark.parametrize("lib_name", ["course_lib", "torch"])
@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adagrad"])
def test_grad_none_is_skipped(lib_name, name, request):
    lib = course_lib if lib_name == "course_lib" else request.getfixturevalue("torch")
    moving = lib.tensor([1.0, 2.0], requires_grad=True)
    idle = lib.tensor([5.0], requires_grad=True)
    opt = getattr(lib.optim, name)([moving, idle], lr=0.1, weight_decay=0.1)
    for _ in range(3):
        moving.grad = lib.tensor([1.0, -1.0])
        opt.step()
    assert idle.item() == 5.0 and idle._version == 0
    assert moving._version > 0 and moving.tolist() != [1.0, 2.0]
    if name == "Adagrad":  # Adagrad makes every parameter's state when it is built
        assert list(opt.state) == [moving, idle]
        assert opt.state[idle]["step"].item() == 0.0 and opt.state[idle]["sum"].tolist() == [0.0]
    else:
        assert list(opt.state) == [moving]


def test_grad_of_zeros_is_not_skipped():
    w = course_lib.tensor([1.0], requires_grad=True)
    opt = Adam([w], lr=0.1)
    w.grad = course_lib.tensor([1.0])
    opt.step()
    w.grad = course_lib.tensor([0.0])
    opt.step()  # m is not zero: the parameter keeps moving
    assert opt.state[w]["step"].item() == 2.0 and w.item() < 0.9


def two_groups(lib, name):
    w = lib.tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True)
    b = lib.tensor([0.25, -0.75, 2.0], requires_grad=True)
    extra = {
        "Adam": dict(betas=(0.5, 0.9), amsgrad=True, weight_decay=0.1),
        "AdamW": dict(weight_decay=0.5, eps=1e-3),
        "RMSprop": dict(momentum=0.9, centered=True, alpha=0.5),
        "Adagrad": dict(lr_decay=0.1, eps=1e-3),
    }[name]
    groups = [{"params": [w]}, {"params": [b], "lr": 0.05, **extra}]
    return getattr(lib.optim, name)(groups, lr=0.01), [w, b]


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adagrad"])
def test_param_groups_with_their_own_hyperparameters(torch_sqrt, name):
    torch = torch_sqrt
    finals = []
    for lib in (course_lib, torch):
        opt, params = two_groups(lib, name)
        for k in range(20):
            for i, p in enumerate(params):
                p.grad = lib.full(tuple(p.shape), np.sin(k + i) * 0.5, dtype=lib.float32)
            opt.step()
        finals.append((opt, params))
    (opt, params), (topt, tparams) = finals
    assert opt.param_groups[1]["lr"] == 0.05 and opt.param_groups[0]["lr"] == 0.01
    assert [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups] == [
        {k: v for k, v in g.items() if k != "params"} for g in topt.param_groups
    ]
    for p, tp in zip(params, tparams):
        np.testing.assert_array_equal(p.detach().numpy(), tp.detach().numpy())
    assert_states_equal(opt, params, topt, tparams)


def test_adagrad_add_param_group_starts_from_the_default_accumulator(torch):
    """A group added later gets its state at its first step, from the optimizer's default
    initial_accumulator_value, not the group's own (as torch)."""
    sums = []
    for lib in (course_lib, torch):
        a, b = lib.tensor([1.0], requires_grad=True), lib.tensor([2.0], requires_grad=True)
        opt = lib.optim.Adagrad([a], lr=0.1, initial_accumulator_value=0.5)
        opt.add_param_group({"params": [b], "initial_accumulator_value": 3.0})
        assert b not in opt.state
        a.grad, b.grad = lib.tensor([1.0]), lib.tensor([1.0])
        opt.step()
        sums.append([opt.state[a]["sum"].item(), opt.state[b]["sum"].item(), b.item()])
    assert sums[0] == sums[1] and sums[0][:2] == [1.5, 1.5]


def test_step_is_in_place_under_no_grad():
    p = course_lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    array, view = p._array, p.detach()
    p.grad = course_lib.tensor([1.0, 1.0, 1.0])
    with course_lib.enable_grad():
        Adam([p], lr=0.5).step()
    assert p._array is array and np.array_equal(view.numpy(), p.detach().numpy())
    assert p.is_leaf and p.grad_fn is None and p.requires_grad
    assert p.grad.tolist() == [1.0, 1.0, 1.0]  # the gradient is left alone


def test_closure_runs_with_grad_and_its_loss_is_returned():
    p = course_lib.tensor([3.0], requires_grad=True)
    opt = RMSprop([p], lr=0.01)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with course_lib.no_grad():
        assert opt.step(closure).item() == 9.0
    assert opt.step() is None


# -- repr and errors ------------------------------------------------------------------------------

ADAM_REPR = """Adam (
Parameter Group 0
    amsgrad: False
    betas: (0.9, 0.999)
    capturable: False
    decoupled_weight_decay: False
    differentiable: False
    eps: 1e-08
    foreach: None
    fused: None
    lr: 0.001
    maximize: False
    weight_decay: 0
)"""


def test_adam_repr():
    assert repr(Adam([course_lib.zeros(1, requires_grad=True)])) == ADAM_REPR


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adagrad"])
def test_repr_parity(torch, name):
    reprs = [repr(getattr(lib.optim, name)([lib.zeros(1, requires_grad=True)]))
             for lib in (course_lib, torch)]  # fmt: skip
    assert reprs[0] == reprs[1]
    assert repr(two_groups(course_lib, name)[0]) == repr(two_groups(torch, name)[0])


# name -> (build(lib, w) that raises, exception type, message); w = lib.tensor([1., 2.], requires_grad)
BAD_INPUTS = {
    "Adam negative lr": (lambda lib, w: lib.optim.Adam([w], lr=-0.1), ValueError,
                         "Invalid learning rate: -0.1"),
    "Adam lr is a str": (lambda lib, w: lib.optim.Adam([w], lr="0.1"), TypeError,
                         "'<=' not supported between instances of 'float' and 'str'"),
    "Adam negative eps": (lambda lib, w: lib.optim.Adam([w], eps=-1e-8), ValueError,
                          "Invalid epsilon value: -1e-08"),
    "Adam beta1 = 1": (lambda lib, w: lib.optim.Adam([w], betas=(1.0, 0.999)), ValueError,
                       "Invalid beta parameter at index 0: 1.0"),
    "Adam beta1 is nan": (lambda lib, w: lib.optim.Adam([w], betas=(float("nan"), 0.9)),
                          ValueError, "Invalid beta parameter at index 0: nan"),
    "Adam negative beta2": (lambda lib, w: lib.optim.Adam([w], betas=(0.9, -0.1)), ValueError,
                            "Invalid beta parameter at index 1: -0.1"),
    "Adam negative weight_decay": (lambda lib, w: lib.optim.Adam([w], weight_decay=-1),
                                   ValueError, "Invalid weight_decay value: -1"),
    "Adam int beta": (lambda lib, w: lib.optim.Adam([w], betas=(0, 0.9)), ValueError,
                      "betas must be either both floats or both Tensors"),
    "Adam mixed betas": (lambda lib, w: lib.optim.Adam([w], betas=(lib.tensor(0.9), 0.9)),
                         ValueError, "betas must be either both floats or both Tensors"),
    "Adam one beta": (lambda lib, w: lib.optim.Adam([w], betas=(0.9,)), IndexError,
                      "tuple index out of range"),
    "Adam lr tensor of 2": (lambda lib, w: lib.optim.Adam([w], lr=lib.tensor([0.1, 0.2])),
                            ValueError, "Tensor lr must be 1-element"),
    "Adam lr tensor foreach": (
        lambda lib, w: lib.optim.Adam([w], lr=lib.tensor(0.1), foreach=True), ValueError,
        "lr as a Tensor is not supported for capturable=False and foreach=True"),
    "Adam empty": (lambda lib, w: lib.optim.Adam([]), ValueError,
                   "optimizer got an empty parameter list"),
    "Adam fused and foreach": (lambda lib, w: lib.optim.Adam([w], fused=True, foreach=True),
                               RuntimeError, "`fused` and `foreach` cannot be `True` together."),
    "Adam fused and differentiable": (
        lambda lib, w: lib.optim.Adam([w], fused=True, differentiable=True), RuntimeError,
        "`fused` does not support `differentiable`"),
    "AdamW negative weight_decay": (lambda lib, w: lib.optim.AdamW([w], weight_decay=-0.01),
                                    ValueError, "Invalid weight_decay value: -0.01"),
    "AdamW beta2 = 1": (lambda lib, w: lib.optim.AdamW([w], betas=(0.9, 1.0)), ValueError,
                        "Invalid beta parameter at index 1: 1.0"),
    "RMSprop negative lr": (lambda lib, w: lib.optim.RMSprop([w], lr=-1.0), ValueError,
                            "Invalid learning rate: -1.0"),
    "RMSprop negative eps": (lambda lib, w: lib.optim.RMSprop([w], eps=-1.0), ValueError,
                             "Invalid epsilon value: -1.0"),
    "RMSprop negative momentum": (lambda lib, w: lib.optim.RMSprop([w], momentum=-0.9),
                                  ValueError, "Invalid momentum value: -0.9"),
    "RMSprop negative weight_decay": (lambda lib, w: lib.optim.RMSprop([w], weight_decay=-2),
                                      ValueError, "Invalid weight_decay value: -2"),
    "RMSprop negative alpha": (lambda lib, w: lib.optim.RMSprop([w], alpha=-0.5), ValueError,
                               "Invalid alpha value: -0.5"),
    "RMSprop lr tensor of 2": (lambda lib, w: lib.optim.RMSprop([w], lr=lib.ones(2)),
                               ValueError, "Tensor lr must be 1-element"),
    "Adagrad negative lr": (lambda lib, w: lib.optim.Adagrad([w], lr=-0.5), ValueError,
                            "Invalid learning rate: -0.5"),
    "Adagrad negative lr_decay": (lambda lib, w: lib.optim.Adagrad([w], lr_decay=-0.5),
                                  ValueError, "Invalid lr_decay value: -0.5"),
    "Adagrad negative weight_decay": (lambda lib, w: lib.optim.Adagrad([w], weight_decay=-0.5),
                                      ValueError, "Invalid weight_decay value: -0.5"),
    "Adagrad negative accumulator": (
        lambda lib, w: lib.optim.Adagrad([w], initial_accumulator_value=-1), ValueError,
        "Invalid initial_accumulator_value value: -1"),
    "Adagrad negative eps": (lambda lib, w: lib.optim.Adagrad([w], eps=-1e-10), ValueError,
                             "Invalid epsilon value: -1e-10"),
    "Adagrad fused and foreach": (lambda lib, w: lib.optim.Adagrad([w], foreach=True, fused=True),
                                  RuntimeError, "`fused` and `foreach` cannot be `True` together."),
}  # fmt: skip


def raised(lib, build):
    with pytest.raises(Exception) as info:
        build(lib, lib.tensor([1.0, 2.0], requires_grad=True))
    return type(info.value), str(info.value)


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_validation_errors(name):
    build, exc_type, message = BAD_INPUTS[name]
    assert raised(course_lib, build) == (exc_type, message)


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_validation_errors_parity(torch, name):
    build = BAD_INPUTS[name][0]
    assert raised(course_lib, build) == raised(torch, build)


# what torch accepts and course_lib refuses, rather than accepting and ignoring
REFUSED = {
    "Adam fused": (lambda w: Adam([w], fused=True), "fused=True"),
    "AdamW fused": (lambda w: AdamW([w], fused=True), "fused=True"),
    "Adagrad fused": (lambda w: Adagrad([w], fused=True), "fused=True"),
    "SGD fused": (lambda w: SGD([w], lr=0.1, fused=True), "fused=True"),
    "Adam differentiable": (lambda w: Adam([w], differentiable=True), "differentiable=True"),
    "AdamW differentiable": (lambda w: AdamW([w], differentiable=True), "differentiable=True"),
    "RMSprop differentiable": (lambda w: RMSprop([w], differentiable=True), "differentiable=True"),
    "Adagrad differentiable": (lambda w: Adagrad([w], differentiable=True), "differentiable=True"),
    "Adam tensor betas": (
        lambda w: Adam([w], betas=(course_lib.tensor(0.9), course_lib.tensor(0.99))),
        "tensor betas"),
}  # fmt: skip


@pytest.mark.parametrize("name", REFUSED)
def test_unsupported_options_are_refused(name):
    build, words = REFUSED[name]
    with pytest.raises(NotImplementedError, match=re.escape(words)):
        build(course_lib.tensor([1.0], requires_grad=True))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
def test_torch_fused_step_really_rounds_differently(torch, name):
    """Why fused=True is refused: torch's own fused kernel does not always give its default's
    numbers: after 30 steps a few elements differ in their last bits."""
    p0s, grads = data(shapes=[(5, 7), (7,), (33,), (64, 64)], steps=30)
    config = dict(lr=0.01 if name.startswith("Adam") else 0.1, weight_decay=0.1)
    if name == "SGD":
        config.update(momentum=0.9, nesterov=True)
    default = run(torch, name, config, p0s, grads)[0][-1]
    fused = run(torch, name, dict(config, fused=True), p0s, grads)[0][-1]
    assert not all(np.array_equal(a, b) for a, b in zip(default, fused))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_foreach_and_fused_false_are_accepted_and_change_nothing(torch_sqrt, name):
    """torch's multi-tensor (foreach=True) step gives its for-loop's numbers on CPU, so
    course_lib accepts it; fused=False is the default's own path."""
    torch = torch_sqrt
    p0s, grads = data(steps=10)
    config = dict(lr=0.01, weight_decay=0.1)
    default = run(course_lib, name, config, p0s, grads)[0][-1]
    options = [dict(foreach=True), dict(foreach=False)]
    if name != "RMSprop":  # RMSprop has no fused argument
        options.append(dict(fused=False))
    for extra in options:
        ours, opt, _ = run(course_lib, name, dict(config, **extra), p0s, grads)
        theirs = run(torch, name, dict(config, **extra), p0s, grads)[0]
        assert opt.param_groups[0][next(iter(extra))] is next(iter(extra.values()))
        for a, b, c in zip(ours[-1], theirs[-1], default):
            np.testing.assert_array_equal(a, b, err_msg=str(extra))
            np.testing.assert_array_equal(a, c, err_msg=str(extra))


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop"])
def test_capturable_raises_at_step_as_on_cpu(torch, name):
    outcomes = []
    for lib in (course_lib, torch):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = getattr(lib.optim, name)([w], capturable=True)
        assert opt.param_groups[0]["capturable"] is True
        opt.step()  # no gradient yet: nothing to check, nothing to do
        w.grad = lib.tensor([1.0, 1.0])
        with pytest.raises(Exception) as info:
            opt.step()
        outcomes.append((type(info.value), str(info.value), list(opt.state[w])))
        assert w.tolist() == [1.0, 2.0]
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] is AssertionError


# -- state_dict, schedulers, a real model --------------------------------------------------------


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adagrad"])
def test_state_dict_round_trip_continues_the_run_exactly(torch_sqrt, name):
    """Save after 5 steps, load into a fresh optimizer over fresh tensors, run 5 more: the same
    numbers as 10 steps in one go, and as torch."""
    torch = torch_sqrt
    finals = []
    for lib in (course_lib, torch):
        opt, params = two_groups(lib, name)
        full, _ = two_groups(lib, name)
        fparams = [p for g in full.param_groups for p in g["params"]]

        def feed(ps, k, lib=lib):
            for i, p in enumerate(ps):
                p.grad = lib.full(tuple(p.shape), np.cos(k * 0.7 + i), dtype=lib.float32)

        for k in range(5):
            feed(params, k)
            opt.step()
        sd = opt.state_dict()
        assert list(sd) == ["state", "param_groups"] and list(sd["state"]) == [0, 1]
        opt2, params2 = two_groups(lib, name)
        with lib.no_grad():
            for p, p2 in zip(params, params2):
                p2.copy_(p)
        opt2.load_state_dict(sd)
        assert opt2.state[params2[0]]["step"].item() == 5.0
        for k in range(5, 10):
            feed(params2, k)
            opt2.step()
        for k in range(10):
            feed(fparams, k)
            full.step()
        for p2, fp in zip(params2, fparams):
            np.testing.assert_array_equal(p2.detach().numpy(), fp.detach().numpy())
        finals.append([p.detach().numpy() for p in params2] + [repr(opt2)])
    ours, theirs = finals
    assert ours[-1] == theirs[-1]
    for a, b in zip(ours[:-1], theirs[:-1]):
        np.testing.assert_array_equal(a, b)


def test_load_state_dict_keeps_step_float32_for_float64_params(torch):
    steps = []
    for lib in (course_lib, torch):
        w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        opt = lib.optim.Adam([w])
        w.grad = lib.ones(2, dtype=lib.float64)
        opt.step()
        sd = opt.state_dict()
        opt.load_state_dict(sd)
        state = opt.state[w]
        assert state["step"] is sd["state"][0]["step"]  # not cast, the same tensor
        steps.append((repr(state["step"].dtype), repr(state["exp_avg"].dtype)))
    assert steps[0] == steps[1] == ("torch.float32", "torch.float64")


def test_adamw_stays_decoupled_after_loading_an_adam_state(torch):
    for lib in (course_lib, torch):
        w = lib.tensor([1.0], requires_grad=True)
        w.grad = lib.tensor([1.0])
        adam = lib.optim.Adam([w], weight_decay=0.1)
        adam.step()
        adamw = lib.optim.AdamW([w])
        adamw.load_state_dict(adam.state_dict())
        assert adamw.param_groups[0]["decoupled_weight_decay"] is True
        assert adamw.param_groups[0]["weight_decay"] == 0.1


@pytest.mark.parametrize("name", ["Adam", "AdamW", "RMSprop", "Adagrad"])
def test_step_lr_scheduler_drives_the_new_optimizers(torch_sqrt, name):
    torch = torch_sqrt
    runs = []
    for lib in (course_lib, torch):
        opt, params = two_groups(lib, name)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
        lrs = []
        for k in range(10):
            for p in params:
                p.grad = lib.full(tuple(p.shape), 1.0 - 0.2 * k, dtype=lib.float32)
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
        runs.append((lrs, [p.detach().numpy() for p in params]))
    (lrs, ours), (tlrs, theirs) = runs
    assert lrs == tlrs and lrs[-1] == [0.01 * 0.125, 0.05 * 0.125]
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


MODEL_OPTIMIZERS = {
    "SGD": dict(lr=0.1, momentum=0.9),
    "Adam": dict(lr=0.01),
    "AdamW": dict(lr=0.01, weight_decay=0.1),
    "RMSprop": dict(lr=0.005, momentum=0.5),
    "Adagrad": dict(lr=0.1),
}


def tiny_model(lib, weights):
    model = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Tanh(), lib.nn.Linear(8, 3))
    with lib.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(lib.tensor(w))
    return model


def model_data(torch):
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(16, 4)), rng.normal(size=(16, 3))
    torch.manual_seed(0)
    reference = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    weights = [p.detach().numpy().copy() for p in reference.parameters()]
    return x.astype(np.float32), y.astype(np.float32), weights


@pytest.mark.parametrize("name", MODEL_OPTIMIZERS)
def test_training_a_model_on_torchs_gradients_is_bit_exact(torch_sqrt, name):
    """torch trains its model; course_lib's optimizer steps a copy of it on the same gradients
    (copied from torch each step): after 30 steps every weight is the same float32 number."""
    torch = torch_sqrt
    x, y, weights = model_data(torch)
    tmodel, model = tiny_model(torch, weights), tiny_model(course_lib, weights)
    topt = getattr(torch.optim, name)(tmodel.parameters(), **MODEL_OPTIMIZERS[name])
    opt = getattr(course_lib.optim, name)(model.parameters(), **MODEL_OPTIMIZERS[name])
    for _ in range(30):
        topt.zero_grad()
        torch.nn.functional.mse_loss(tmodel(torch.tensor(x)), torch.tensor(y)).backward()
        for p, tp in zip(model.parameters(), tmodel.parameters()):
            p.grad = course_lib.tensor(tp.grad.numpy())
        topt.step()
        opt.step()
        for p, tp in zip(model.parameters(), tmodel.parameters()):
            np.testing.assert_array_equal(p.detach().numpy(), tp.detach().numpy())


@pytest.mark.parametrize("name", MODEL_OPTIMIZERS)
def test_training_a_model_end_to_end(torch, name):
    """Each library computes its own forward and backward: their matmuls, tanh and mean round
    differently in the last bits, so the weights agree to ~1e-6 after 30 steps, not exactly."""
    x, y, weights = model_data(torch)
    runs = []
    for lib in (course_lib, torch):
        model = tiny_model(lib, weights)
        opt = getattr(lib.optim, name)(model.parameters(), **MODEL_OPTIMIZERS[name])
        losses = []
        for _ in range(30):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(lib.tensor(x)), lib.tensor(y))
            loss.backward()
            opt.step()
            losses.append(loss.item())
        runs.append((losses, [p.detach().numpy() for p in model.parameters()]))
    (losses, ours), (tlosses, theirs) = runs
    assert losses[-1] < losses[0]  # it trains
    np.testing.assert_allclose(losses, tlosses, rtol=1e-5)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=2e-5)


@pytest.mark.parametrize("module", ["adam", "adamw", "rmsprop", "adagrad"])
def test_docstring_examples(module):
    mod = __import__(f"course_lib.optim.{module}", fromlist=["_"])
    result = doctest.testmod(mod, extraglobs={"course_lib": course_lib})
    assert result.attempted > 0 and result.failed == 0


# -- the other schedulers ----------------------------------------------------------------------


class Warmup:
    """A callable object: LambdaLR saves its __dict__ in state_dict()."""

    def __init__(self, steps):
        self.steps = steps

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.steps)


SCHEDULERS = {
    "MultiStepLR": lambda lr_scheduler, opt: lr_scheduler.MultiStepLR(opt, [3, 5, 5, 9], 0.3),
    "ExponentialLR": lambda lr_scheduler, opt: lr_scheduler.ExponentialLR(opt, gamma=0.9),
    "CosineAnnealingLR": lambda lr_scheduler, opt: lr_scheduler.CosineAnnealingLR(opt, T_max=5),
    "CosineAnnealingLR eta_min": lambda lr_scheduler, opt: lr_scheduler.CosineAnnealingLR(
        opt, T_max=4, eta_min=0.001
    ),
    "LambdaLR": lambda lr_scheduler, opt: lr_scheduler.LambdaLR(opt, lambda e: 0.95**e),
    "LambdaLR per group": lambda lr_scheduler, opt: lr_scheduler.LambdaLR(
        opt, [lambda e: 1 / (e + 1), Warmup(4)]
    ),
}


@pytest.mark.parametrize("sched_id", SCHEDULERS)
def test_scheduler_parity(torch_sqrt, sched_id):
    """16 steps (past CosineAnnealingLR's T_max, where it climbs back): the same rates to the
    last bit, the same parameters, the same scheduler state."""
    torch = torch_sqrt
    runs = []
    for lib in (course_lib, torch):
        opt, params = two_groups(lib, "Adam")
        sched = SCHEDULERS[sched_id](lib.optim.lr_scheduler, opt)
        lrs = [sched.get_last_lr()]
        for k in range(16):
            for p in params:
                p.grad = lib.full(tuple(p.shape), np.sin(k) + 0.5, dtype=lib.float32)
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
            assert [g["lr"] for g in opt.param_groups] == lrs[-1]
        state = sched.state_dict()
        runs.append((lrs, [p.detach().numpy() for p in params], state))
    (lrs, ours, state), (tlrs, theirs, tstate) = runs
    assert lrs == tlrs
    assert len(set(map(tuple, lrs))) > 3  # the rate does change
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
    assert sorted(state) == sorted(tstate)
    for key in state:
        assert state[key] == tstate[key], key


def test_cosine_annealing_resumed_from_an_epoch(torch):
    """last_epoch > 0: the first step uses the closed form, as torch."""
    runs = []
    for lib in (course_lib, torch):
        w = lib.zeros(1, requires_grad=True)
        opt = lib.optim.SGD([{"params": [w], "initial_lr": 0.5}], lr=0.2)
        sched = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, last_epoch=3)
        lrs = [sched.get_last_lr()]
        for _ in range(3):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
        runs.append(lrs)
    assert runs[0] == runs[1]


def test_lambda_lr_state_dict_round_trip():
    opt, _ = two_groups(course_lib, "Adam")
    warmup = Warmup(4)
    sched = course_lib.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0, warmup])
    opt.step()
    sched.step()
    state = sched.state_dict()
    assert state["lr_lambdas"] == [None, {"steps": 4}]
    assert "optimizer" not in state and state["last_epoch"] == 1
    opt2, _ = two_groups(course_lib, "Adam")
    other = Warmup(10)
    sched2 = course_lib.optim.lr_scheduler.LambdaLR(opt2, [lambda e: 1.0, other])
    sched2.load_state_dict(state)
    assert other.steps == 4 and sched2.last_epoch == 1
    assert "lr_lambdas" in state  # the caller's dict is left whole


@pytest.mark.parametrize("lib_name", ["course_lib", "torch"])
def test_lambda_lr_needs_one_function_per_group(lib_name, request):
    lib = course_lib if lib_name == "course_lib" else request.getfixturevalue("torch")
    opt, _ = two_groups(lib, "Adam")
    with pytest.raises(ValueError, match=r"^Expected 2 lr_lambdas, but got 3$"):
        lib.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0] * 3)


@pytest.mark.parametrize("lib_name", ["course_lib", "torch"])
def test_get_lr_outside_step_warns(lib_name, request):
    lib = course_lib if lib_name == "course_lib" else request.getfixturevalue("torch")
    opt, _ = two_groups(lib, "Adam")
    sched = lib.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    message = "To get the last learning rate computed by the scheduler, please use `get_last_lr()`."
    with pytest.warns(UserWarning, match=f"^{re.escape(message)}$"):
        sched.get_lr()
