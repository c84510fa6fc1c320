"""course_lib.optim: Optimizer and SGD, checked against torch 2.13's documented update, an independent
NumPy implementation of the update, and real torch (parity tests take the `torch` fixture)."""

import doctest
import itertools
import re
import warnings

import numpy as np
import pytest

import course_lib
from course_lib.optim import SGD, Optimizer


def leaf(values, dtype=None):
    return course_lib.tensor(values, dtype=dtype, requires_grad=True)


def sgd_steps(p, grads, **kwargs):
    """Run one SGD on p, feeding the given gradients; return the values after each step."""
    opt = SGD([p], **kwargs)
    out = []
    for g in grads:
        p.grad = course_lib.tensor(g, dtype=p.dtype)
        opt.step()
        out.append(p.detach().numpy().copy())
    return out, opt


# -- the update rule, on the worked examples of §8.1 ---------------------------------------------

GRADS_81 = [[0.5, -1.0], [0.25, 2.0], [-1.0, 0.5]]


def test_worked_example_momentum():
    out, _ = sgd_steps(leaf([1.0, -2.0]), GRADS_81, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(out, [[0.95, -1.9], [0.88, -2.01], [0.917, -2.159]], rtol=1e-6)


def test_worked_example_float64_exact():
    out, _ = sgd_steps(leaf([1.0, -2.0], course_lib.float64), GRADS_81, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(out, [[0.95, -1.9], [0.88, -2.01], [0.917, -2.159]], atol=1e-15)
    assert out[0].dtype == np.float64


def test_first_step_buffer_is_the_gradient_without_dampening():
    p = leaf([1.0, -2.0])
    out, opt = sgd_steps(p, GRADS_81[:1], lr=0.1, momentum=0.9, dampening=0.5)
    buf = opt.state[p]["momentum_buffer"]
    assert isinstance(buf, course_lib.Tensor)
    np.testing.assert_array_equal(buf.numpy(), [0.5, -1.0])  # g, not (1 - 0.5) g
    # the second step applies dampening: b = 0.9 b + 0.5 g
    p.grad = course_lib.tensor(GRADS_81[1])
    opt.step()
    np.testing.assert_allclose(buf.numpy(), [0.9 * 0.5 + 0.5 * 0.25, 0.9 * -1 + 0.5 * 2], rtol=1e-6)
    assert opt.state[p]["momentum_buffer"] is buf  # updated in place


def test_grad_none_is_skipped_but_grad_zero_is_not():
    moving, idle = leaf([1.0]), leaf([5.0])
    opt = SGD([moving, idle], lr=0.1, momentum=0.9, weight_decay=0.1)
    moving.grad = course_lib.tensor([1.0])
    opt.step()  # idle.grad is None: no update, no weight decay, no state
    moving.grad = course_lib.tensor([0.0])
    opt.step()
    # 1 - 0.1*(1 + 0.1*1) = 0.89;  g = 0 + 0.1*0.89, b = 0.9*1.1 + 0.089 = 1.079
    np.testing.assert_allclose(moving.detach().numpy(), [0.89 - 0.1 * 1.079], rtol=1e-6)
    assert idle.item() == 5.0
    assert idle not in opt.state and list(opt.state) == [moving]


def test_grad_zero_keeps_momentum_moving():
    p = leaf([1.0])
    out, _ = sgd_steps(p, [[1.0], [0.0]], lr=0.1, momentum=0.9)
    np.testing.assert_allclose(out, [[0.9], [0.81]], rtol=1e-6)


def test_step_leaves_the_gradient_alone():
    """The buffer is a copy of the first gradient: updating it must not change p.grad."""
    p = leaf([1.0, -2.0], course_lib.float64)
    p.grad = course_lib.tensor([0.5, -1.0], dtype=course_lib.float64)
    opt = SGD([p], lr=0.1, momentum=0.9, dampening=0.2)
    for _ in range(3):  # the same grad each step (no zero_grad)
        opt.step()
    assert p.grad.tolist() == [0.5, -1.0]
    expected = numpy_sgd([1.0, -2.0], [[0.5, -1.0]] * 3, lr=0.1, momentum=0.9, dampening=0.2)
    np.testing.assert_allclose(p.detach().numpy(), expected[-1], rtol=1e-14)


def test_state_only_with_momentum():
    p = leaf([1.0, 2.0])
    _, opt = sgd_steps(p, GRADS_81, lr=0.1)
    assert opt.state == {} and dict(opt.state_dict()["state"]) == {}
    _, opt = sgd_steps(p, GRADS_81, lr=0.1, momentum=0.5)
    assert list(opt.state[p]) == ["momentum_buffer"]


def test_step_is_in_place_under_no_grad_and_keeps_dtype():
    for dt in (course_lib.float32, course_lib.float64):
        p = leaf([1.0, 2.0, 3.0], dt)
        array, view, data = p._array, p.detach(), p.data
        p.grad = course_lib.tensor([1.0, 1.0, 1.0], dtype=dt)
        SGD([p], lr=0.5).step()
        assert p._array is array and p.dtype == dt
        np.testing.assert_array_equal(view.numpy(), [0.5, 1.5, 2.5])
        np.testing.assert_array_equal(data.numpy(), [0.5, 1.5, 2.5])
        assert p.is_leaf and p.grad_fn is None and p.requires_grad


def test_step_with_closure():
    p = leaf([3.0])
    opt = SGD([p], lr=0.25)
    seen = []

    def closure():
        opt.zero_grad()
        seen.append(course_lib.is_grad_enabled())
        loss = (p * p).sum()
        loss.backward()
        return loss

    with course_lib.no_grad():
        loss = opt.step(closure)
    assert seen == [True]  # the closure runs with gradients on, even inside no_grad
    assert loss.item() == 9.0  # the closure's loss, computed before the update
    assert p.item() == 3.0 - 0.25 * 6.0
    assert opt.step() is None


def test_tensor_lr_gives_the_same_steps_as_its_float():
    out_f, _ = sgd_steps(leaf([1.0, -2.0]), GRADS_81, lr=float(np.float32(0.1)), momentum=0.9)
    out_t, _ = sgd_steps(leaf([1.0, -2.0]), GRADS_81, lr=course_lib.tensor([0.1]), momentum=0.9)
    np.testing.assert_array_equal(out_f, out_t)


def test_sgd_docstring_example():
    import course_lib.optim.sgd as sgd_module

    result = doctest.testmod(sgd_module, extraglobs={"course_lib": course_lib})
    assert result.attempted > 0 and result.failed == 0


# -- an independent NumPy implementation of the update, 9 configurations ------------------------


def numpy_sgd(
    p0, grads, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False
):
    """SGD written from torch's documented algorithm, in float64, out of place."""
    theta, b, path = np.array(p0, dtype=np.float64), None, []
    for t, grad in enumerate(grads, start=1):
        g = -np.asarray(grad, np.float64) if maximize else np.asarray(grad, np.float64)
        g = g + weight_decay * theta
        if momentum:
            b = g if t == 1 else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        theta = theta - lr * g
        path.append(theta)
    return path


NINE_CONFIGS = {
    "lr only": dict(lr=0.1),
    "momentum": dict(lr=0.1, momentum=0.9),
    "momentum+dampening": dict(lr=0.1, momentum=0.9, dampening=0.5),
    "nesterov": dict(lr=0.1, momentum=0.9, nesterov=True),
    "weight decay": dict(lr=0.1, weight_decay=0.1),
    "nesterov+wd": dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
    "maximize": dict(lr=0.1, maximize=True),
    "maximize+wd": dict(lr=0.1, maximize=True, weight_decay=0.1),
    "everything": dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.2, maximize=True),
}


@pytest.mark.parametrize("shape", [(3, 2), ()], ids=["3x2", "0-d"])
@pytest.mark.parametrize("config", NINE_CONFIGS.values(), ids=NINE_CONFIGS.keys())
def test_matches_independent_numpy_implementation(config, shape):
    rng = np.random.default_rng(1)
    p0, grads = rng.normal(size=shape), rng.normal(size=(4, *shape))
    got, _ = sgd_steps(leaf(p0, course_lib.float64), grads, **config)
    np.testing.assert_allclose(got, numpy_sgd(p0, grads, **config), rtol=1e-13, atol=1e-14)


def test_nine_configurations_differ():
    """Guard for the test above: every configuration gives its own trajectory."""
    rng = np.random.default_rng(1)
    p0, grads = rng.normal(size=(3, 2)), rng.normal(size=(4, 3, 2))
    finals = [numpy_sgd(p0, grads, **c)[-1].round(12).tobytes() for c in NINE_CONFIGS.values()]
    assert len(set(finals)) == 9


# -- zero_grad, param_groups, repr ---------------------------------------------------------------


def test_zero_grad_sets_to_none_by_default():
    p = leaf([1.0, 2.0])
    p.grad = course_lib.tensor([3.0, 4.0])
    opt = SGD([p], lr=0.1)
    opt.zero_grad()
    assert p.grad is None
    opt.zero_grad()  # nothing to do: no error


def test_zero_grad_set_to_none_false_zeroes_in_place():
    p, q = leaf([1.0, 2.0]), leaf([0.0])
    grad = course_lib.tensor([3.0, 4.0])
    p.grad = grad
    x = leaf([1.0, 1.0])
    # a grad with a history: zero_grad detaches it (not a view: detach_() of a view raises)
    q_grad = (x * 2).sum() * course_lib.ones(1)
    q.grad = q_grad
    SGD([p, q], lr=0.1).zero_grad(set_to_none=False)
    assert p.grad is grad and p.grad.tolist() == [0.0, 0.0]
    assert q.grad is q_grad and q.grad.grad_fn is None and not q.grad.requires_grad
    assert q.grad.tolist() == [0.0]


def test_param_groups_have_params_and_every_default():
    w = leaf([1.0])
    opt = SGD([w], lr=0.1)
    assert opt.param_groups == [
        {"params": [w], "lr": 0.1, "momentum": 0, "dampening": 0, "weight_decay": 0,
         "nesterov": False, "maximize": False, "foreach": None, "differentiable": False,
         "fused": None}
    ]  # fmt: skip
    assert opt.param_groups[0]["params"][0] is w
    assert opt.defaults == {k: v for k, v in opt.param_groups[0].items() if k != "params"}
    assert SGD([w]).defaults["lr"] == 1e-3


def test_per_group_overrides_are_used_in_step():
    w1, w2 = leaf([1.0]), leaf([1.0])
    opt = SGD([{"params": [w1]}, {"params": [w2], "lr": 0.5, "momentum": 0.9}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert [g["momentum"] for g in opt.param_groups] == [0, 0.9]
    for _ in range(2):
        w1.grad, w2.grad = course_lib.tensor([1.0]), course_lib.tensor([1.0])
        opt.step()
    np.testing.assert_allclose([w1.item(), w2.item()], [0.8, 1 - 0.5 - 0.5 * 1.9], rtol=1e-6)
    assert list(opt.state) == [w2]


def test_named_parameters_add_param_names():
    a, b = leaf([1.0]), leaf([2.0])
    opt = SGD([("a", a), ("b", b)], lr=0.1)
    assert opt.param_groups[0]["params"] == [a, b]
    assert opt.param_groups[0]["param_names"] == ["a", "b"]
    assert "    param_names: ['a', 'b']\n" in repr(opt)


def test_add_param_group_wraps_a_single_tensor():
    a, b = leaf([1.0]), leaf([2.0])
    opt = SGD([a], lr=0.1)
    opt.add_param_group({"params": b, "momentum": 0.5})
    assert opt.param_groups[1]["params"] == [b] and opt.param_groups[1]["lr"] == 0.1
    assert opt.param_groups[1]["momentum"] == 0.5


def test_state_is_keyed_by_the_parameter_object():
    a, b = leaf([1.0, 2.0]), leaf([1.0, 2.0])  # equal values, different tensors
    opt = SGD([a, b], lr=0.1, momentum=0.9)
    a.grad = b.grad = course_lib.tensor([1.0, 1.0])
    opt.step()
    assert len(opt.state) == 2 and opt.state[a] is not opt.state[b]


REPR_81 = """SGD (
Parameter Group 0
    dampening: 0
    differentiable: False
    foreach: None
    fused: None
    lr: 0.1
    maximize: False
    momentum: 0
    nesterov: False
    weight_decay: 0
)"""


def test_repr():
    assert repr(SGD([leaf([1.0])], lr=0.1)) == REPR_81
    two = SGD([{"params": [leaf([1.0])]}, {"params": [leaf([1.0])], "momentum": 0.9}], lr=0.1)
    assert repr(two).startswith(REPR_81[:-1] + "\nParameter Group 1\n    dampening: 0\n")
    assert "    momentum: 0.9\n" in repr(two)
    assert repr(Optimizer([leaf([1.0])], {})) == "Optimizer (\nParameter Group 0\n)"


def test_base_optimizer_step_is_abstract():
    with pytest.raises(NotImplementedError):
        Optimizer([leaf([1.0])], {}).step()


def test_differentiable_is_refused_with_a_reason():
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        SGD([leaf([1.0])], lr=0.1, differentiable=True)


# -- validation errors: course_lib against §8.1, then against torch -----------------------------

DUPLICATE_WARNING = (
    "optimizer contains a parameter group with duplicate parameters; in future, this will cause "
    "an error; see github.com/pytorch/pytorch/issues/40967 for more information"
)

# name -> (build(lib, w) that raises, exception type, message); w = lib.tensor([1., 2.], requires_grad)
BAD_INPUTS = {
    "negative lr": (lambda lib, w: lib.optim.SGD([w], lr=-0.1), ValueError,
                    "Invalid learning rate: -0.1"),
    "negative momentum": (lambda lib, w: lib.optim.SGD([w], lr=0.1, momentum=-0.5), ValueError,
                          "Invalid momentum value: -0.5"),
    "negative weight_decay": (lambda lib, w: lib.optim.SGD([w], lr=0.1, weight_decay=-1),
                              ValueError, "Invalid weight_decay value: -1"),
    "nesterov without momentum": (lambda lib, w: lib.optim.SGD([w], lr=0.1, nesterov=True),
                                  ValueError,
                                  "Nesterov momentum requires a momentum and zero dampening"),
    "nesterov with dampening": (
        lambda lib, w: lib.optim.SGD([w], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        ValueError, "Nesterov momentum requires a momentum and zero dampening"),
    "lr is a str": (lambda lib, w: lib.optim.SGD([w], lr="0.1"), TypeError,
                    "'<' not supported between instances of 'str' and 'float'"),
    "momentum is a str": (lambda lib, w: lib.optim.SGD([w], lr=0.1, momentum="0.9"), TypeError,
                          "'<' not supported between instances of 'str' and 'float'"),
    "lr tensor of 2 elements": (lambda lib, w: lib.optim.SGD([w], lr=lib.tensor([0.1, 0.2])),
                                ValueError, "Tensor lr must be 1-element"),
    "negative lr tensor": (lambda lib, w: lib.optim.SGD([w], lr=lib.tensor([-0.1])), ValueError,
                           "Invalid learning rate: tensor([-0.1000])"),
    "lr checked before params": (lambda lib, w: lib.optim.SGD([], lr=-1), ValueError,
                                 "Invalid learning rate: -1"),
    "empty list": (lambda lib, w: lib.optim.SGD([], lr=0.1), ValueError,
                   "optimizer got an empty parameter list"),
    "a float32 tensor": (lambda lib, w: lib.optim.SGD(w, lr=0.1), TypeError,
                         "params argument given to the optimizer should be an iterable of "
                         "Tensors or dicts, but got torch.FloatTensor"),
    "a float64 tensor": (lambda lib, w: lib.optim.SGD(w.double(), lr=0.1), TypeError,
                         "params argument given to the optimizer should be an iterable of "
                         "Tensors or dicts, but got torch.DoubleTensor"),
    "a float": (lambda lib, w: lib.optim.SGD([1.0]), TypeError,
                "optimizer can only optimize Tensors, but one of the params is float"),
    "a class": (lambda lib, w: lib.optim.SGD([w, int], lr=0.1), TypeError,
                "optimizer can only optimize Tensors, but one of the params is int"),
    "a dict, not a list": (lambda lib, w: lib.optim.SGD({"params": [w]}, lr=0.1), TypeError,
                           "optimizer can only optimize Tensors, but one of the params is str"),
    "None": (lambda lib, w: lib.optim.SGD(None, lr=0.1), TypeError,
             "'NoneType' object is not iterable"),
    "non-leaf": (lambda lib, w: lib.optim.SGD([w * 2], lr=0.1), ValueError,
                 "can't optimize a non-leaf Tensor"),
    "a set": (lambda lib, w: lib.optim.SGD([{"params": {w}}], lr=0.1), TypeError,
              "optimizer parameters need to be organized in ordered collections, but the ordering "
              "of tensors in sets will change between runs. Please use a list instead."),
    "param in two groups": (lambda lib, w: lib.optim.SGD([{"params": [w]}, {"params": [w]}], lr=1),
                            ValueError, "some parameters appear in more than one parameter group"),
    "add_param_group(list)": (lambda lib, w: lib.optim.SGD([w], lr=0.1).add_param_group([w]),
                              TypeError, "param_group must be a dict, but got <class 'list'>"),
    "some names missing": (lambda lib, w: lib.optim.SGD([("a", w), w * 1], lr=0.1), ValueError,
                           "all optimizer params should be with/without names. Some param "
                           "names are missing"),
    "named and unnamed groups": (
        lambda lib, w: lib.optim.SGD([{"params": [("a", w)]}, {"params": [w.detach()]}], lr=1),
        ValueError, "all optimizer param groups should be with/without names. cannot add param "
        "group without names to the optimizer"),
    "fused and foreach": (lambda lib, w: lib.optim.SGD([w], lr=0.1, foreach=True, fused=True),
                          RuntimeError, "`fused` and `foreach` cannot be `True` together."),
    "fused and differentiable": (
        lambda lib, w: lib.optim.SGD([w], lr=0.1, fused=True, differentiable=True),
        RuntimeError, "`fused` does not support `differentiable`"),
    "load: groups differ": (
        lambda lib, w: lib.optim.SGD([w], lr=0.1).load_state_dict({"state": {}, "param_groups": []}),
        ValueError, "loaded state dict has a different number of parameter groups"),
    "load: group sizes differ": (
        lambda lib, w: lib.optim.SGD([w], lr=0.1).load_state_dict(
            {"state": {}, "param_groups": [{"params": [0, 1]}]}),
        ValueError, "loaded state dict contains a parameter group that doesn't match the size of "
        "optimizer's group"),
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


def test_allowed_edge_values():
    w = leaf([1.0])
    SGD([w], lr=0)  # lr = 0 is allowed
    SGD([w], lr=0.1, momentum=1.5)  # no upper bound on momentum
    SGD([w], lr=0.1, dampening=-3)  # dampening is not checked
    SGD([w], lr=0.1, momentum=0.9, nesterov=True)


@pytest.mark.parametrize("lib_name", ["course_lib", "torch"])
def test_duplicate_in_one_group_warns(lib_name, request):
    lib = course_lib if lib_name == "course_lib" else request.getfixturevalue("torch")
    w = lib.tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning, match=f"^{re.escape(DUPLICATE_WARNING)}$"):
        opt = lib.optim.SGD([w, w], lr=0.1)
    assert len(opt.param_groups[0]["params"]) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lib.optim.SGD([w, lib.tensor([1.0], requires_grad=True)], lr=0.1)  # no warning


# -- parity with torch: trajectories, repr, state_dict --------------------------------------------

SHAPES = [(3,), (2, 4), (1,), ()]
STEPS = 6


def run_sgd(lib, dtype_name, p0s, grads, config):
    """SGD over several parameters with gradients set from the same NumPy arrays; the path."""
    dtype = getattr(lib, dtype_name)
    params = [lib.tensor(p, dtype=dtype, requires_grad=True) for p in p0s]
    opt = lib.optim.SGD(params, **config)
    path = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = lib.tensor(g, dtype=dtype)
        opt.step()
        path.append([p.detach().numpy().copy() for p in params])
    return path, opt, params


def sgd_configs():
    for lr, momentum, dampening, wd, nesterov, maximize in itertools.product(
        [0.1, 0.03], [0, 0.9], [0, 0.3], [0, 0.05], [False, True], [False, True]
    ):
        if nesterov and (momentum == 0 or dampening != 0):
            continue
        yield dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=wd,
                   nesterov=nesterov, maximize=maximize)  # fmt: skip


CONFIGS = list(sgd_configs())


def config_id(c):
    return ",".join(f"{k}={v}" for k, v in c.items() if v not in (0, False) or k == "lr")


@pytest.mark.parametrize("dtype_name", ["float32", "float64"])
@pytest.mark.parametrize("config", CONFIGS, ids=map(config_id, CONFIGS))
def test_sgd_trajectory_parity(torch, config, dtype_name):
    rng = np.random.default_rng(len(CONFIGS))
    p0s = [rng.normal(size=s) for s in SHAPES]
    grads = [[rng.normal(size=s) for s in SHAPES] for _ in range(STEPS)]
    ours, opt, params = run_sgd(course_lib, dtype_name, p0s, grads, config)
    theirs, topt, tparams = run_sgd(torch, dtype_name, p0s, grads, config)
    # float32: torch's rounding reproduced (its fused multiply-adds included), so exactly equal;
    # float64: NumPy has no float64 fused multiply-add, so a last bit may differ
    tol = dict(rtol=0, atol=0) if dtype_name == "float32" else dict(rtol=1e-12, atol=1e-13)
    for step, (a, b) in enumerate(zip(ours, theirs)):
        for i, (x, y) in enumerate(zip(a, b)):
            assert x.dtype == y.dtype and x.shape == y.shape
            np.testing.assert_allclose(x, y, **tol, err_msg=f"step {step + 1}, param {i}")
    assert len(opt.state) == len(topt.state)
    for p, tp in zip(params, tparams):
        if config["momentum"]:
            buf, tbuf = opt.state[p]["momentum_buffer"], topt.state[tp]["momentum_buffer"]
            np.testing.assert_allclose(buf.numpy(), tbuf.numpy(), **tol)


def test_training_loop_parity(torch):
    """backward -> step -> zero_grad, on a small quadratic, in both libraries."""
    rng = np.random.default_rng(3)
    a, w0, b0 = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(2,))

    def train(lib):
        x = lib.tensor(a, dtype=lib.float32)
        w = lib.tensor(w0, dtype=lib.float32, requires_grad=True)
        b = lib.tensor(b0, dtype=lib.float32, requires_grad=True)
        opt = lib.optim.SGD([w, b], lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True)
        losses = []
        for _ in range(8):
            opt.zero_grad()
            loss = ((x @ w + b).tanh() ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses, w.detach().numpy().copy(), b.detach().numpy().copy()

    for ours, theirs in zip(train(course_lib), train(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=1e-7)


def test_tensor_lr_parity(torch):
    rng = np.random.default_rng(4)
    p0s, grads = [rng.normal(size=(3,))], [[rng.normal(size=(3,))] for _ in range(4)]
    ours, _, _ = run_sgd(course_lib, "float32", p0s, grads,
                         dict(lr=course_lib.tensor([0.1]), momentum=0.9))  # fmt: skip
    theirs, _, _ = run_sgd(torch, "float32", p0s, grads, dict(lr=torch.tensor([0.1]), momentum=0.9))
    np.testing.assert_allclose(np.array(ours), np.array(theirs), rtol=1e-6, atol=1e-7)


def build_groups(lib, named: bool):
    w = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = lib.tensor([0.5], requires_grad=True)
    c = lib.tensor([2.0, -1.0], dtype=lib.float64, requires_grad=True)
    if named:
        return lib.optim.SGD([("w", w), ("b", b), ("c", c)], lr=0.1, momentum=0.9), [w, b, c]
    groups = [{"params": [w, b]}, {"params": c, "lr": 0.5, "weight_decay": 0.1, "maximize": True}]
    return lib.optim.SGD(groups, lr=0.1, momentum=0.9, nesterov=True), [w, b, c]


@pytest.mark.parametrize("named", [False, True])
def test_repr_parity(torch, named):
    assert repr(build_groups(course_lib, named)[0]) == repr(build_groups(torch, named)[0])
    w = [course_lib.tensor([1.0], requires_grad=True), torch.tensor([1.0], requires_grad=True)]
    reprs = [repr(lib.optim.SGD([x])) for lib, x in zip((course_lib, torch), w)]
    assert reprs[0] == reprs[1]  # the default lr: 0.001


def test_repr_parity_0d_tensor_lr(torch):
    reprs = [repr(lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=lib.tensor(0.1)))
             for lib in (course_lib, torch)]  # fmt: skip
    assert reprs[0] == reprs[1]
    assert "    lr: 0.10000000149011612\n" in reprs[0]  # f"{0-d tensor}" formats its number


def step_with_grads(params, lib, k):
    for i, p in enumerate(params):
        p.grad = lib.full(tuple(p.shape), 0.5 * (i + 1) - 0.3 * k, dtype=p.dtype)


@pytest.mark.parametrize("named", [False, True])
def test_state_dict_parity(torch, named):
    dicts = []
    for lib in (course_lib, torch):
        opt, params = build_groups(lib, named)
        params[1].grad = None
        for k in range(2):
            step_with_grads(params[:1] + params[2:], lib, k)  # b never gets a grad
            opt.step()
        dicts.append(opt.state_dict())
    ours, theirs = dicts
    assert list(ours) == list(theirs) == ["state", "param_groups"]
    assert ours["param_groups"] == theirs["param_groups"]
    assert [list(g) for g in ours["param_groups"]] == [list(g) for g in theirs["param_groups"]]
    assert list(ours["state"]) == list(theirs["state"]) == [0, 2]
    for i in ours["state"]:
        assert list(ours["state"][i]) == list(theirs["state"][i]) == ["momentum_buffer"]
        a, b = ours["state"][i]["momentum_buffer"], theirs["state"][i]["momentum_buffer"]
        assert repr(a.dtype) == repr(b.dtype)
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_state_dict_holds_the_live_state():
    opt, params = build_groups(course_lib, named=False)
    step_with_grads(params, course_lib, 0)
    opt.step()
    sd = opt.state_dict()
    assert sd["state"][0] is opt.state[params[0]]
    assert sd["param_groups"][1]["params"] == [2] and sd["param_groups"][0]["params"] == [0, 1]
    sd["param_groups"][0]["lr"] = 99.0  # the groups are copies
    assert opt.param_groups[0]["lr"] == 0.1


@pytest.mark.parametrize("named", [False, True])
def test_load_state_dict_parity(torch, named):
    """Train 2 steps, save, load into a fresh optimizer over fresh tensors, train 2 more."""
    finals = []
    for lib in (course_lib, torch):
        opt, params = build_groups(lib, named)
        for k in range(2):
            step_with_grads(params, lib, k)
            opt.step()
        sd = opt.state_dict()
        sd["param_groups"][0]["lr"] = 0.2
        opt2, params2 = build_groups(lib, named)
        for p, p2 in zip(params, params2):
            p2.data = p.detach().clone()
        opt2.load_state_dict(sd)
        assert opt2.param_groups[0]["lr"] == 0.2
        assert opt2.param_groups[0]["params"][0] is params2[0]
        assert set(opt2.state) == set(params2) and type(opt2.state) is type(opt.state)
        # the loaded buffers are the saved tensors themselves when the dtypes agree (as in torch)
        assert opt2.state[params2[0]]["momentum_buffer"] is sd["state"][0]["momentum_buffer"]
        for k in range(2, 4):
            step_with_grads(params2, lib, k)
            opt2.step()
        finals.append([p.detach().numpy().copy() for p in params2] + [repr(opt2)])
    ours, theirs = finals
    assert ours[-1] == theirs[-1]
    for a, b in zip(ours[:-1], theirs[:-1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_load_state_dict_casts_to_the_parameter_dtype():
    opt, params = build_groups(course_lib, named=False)
    step_with_grads(params, course_lib, 0)
    opt.step()
    sd = opt.state_dict()
    sd["state"][2]["momentum_buffer"] = sd["state"][2]["momentum_buffer"].float()
    opt2, params2 = build_groups(course_lib, named=False)
    opt2.load_state_dict(sd)
    assert opt2.state[params2[2]]["momentum_buffer"].dtype == course_lib.float64
