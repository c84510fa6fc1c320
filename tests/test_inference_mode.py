"""inference_mode() as torch 2.13 has it: parity on small programs.

Each program runs once with course_lib and once with torch (the `torch` fixture) and must give the
same result: values, is_inference(), requires_grad, grad_fn names, exception type and message.
They cover the mode's state (nesting, no_grad, enable_grad, decorators), which tensors are
inference tensors, what torch refuses later (saving one for backward, changing one in place,
requires_grad on one, in-place on a view made inside the mode) and what it allows.
"""

import copy
import pickle

import pytest

import course_lib


def _plain(x):
    """Tensors as (dtype, shape, values, is_inference, requires_grad, grad_fn name)."""
    if isinstance(x, (tuple, list)):
        return [_plain(v) for v in x]
    if hasattr(x, "is_inference") and hasattr(x, "shape"):
        fn = x.grad_fn
        name = None if fn is None else fn.name()
        return (
            str(x.dtype),
            tuple(x.shape),
            x.detach().numpy().tolist(),
            x.is_inference(),
            x.requires_grad,
            name,
        )
    return x


def outcome(T, program):
    """Run `program(T)`: its result, or the exception's type and message."""
    try:
        return ("ok", _plain(program(T)))
    except Exception as e:  # the parity is in the exception too
        return (type(e).__name__, str(e))


def _inf(T, *shape, **kw):
    """A tensor made inside inference_mode()."""
    with T.inference_mode():
        return T.ones(*shape, **kw)


def _state(T):
    return (T.is_grad_enabled(), T.is_inference_mode_enabled())


def _nested(T):
    out = [_state(T)]
    with T.inference_mode():
        out.append(_state(T))
        with T.inference_mode(False):
            out.append(_state(T))
            out.append(T.ones(1).is_inference())
        with T.no_grad():
            out.append(_state(T))
        with T.enable_grad():  # grad mode says on, but ops still record nothing
            w = T.ones(2, requires_grad=True)
            out += [_state(T), T.ones(1).is_inference(), (w * 2).requires_grad]
        with T.set_grad_enabled(True):
            out.append(_state(T))
        out.append(_state(T))
    with T.no_grad():
        with T.inference_mode(False):
            out.append(_state(T))
        with T.inference_mode():
            out.append(_state(T))
        out.append(_state(T))
    out.append(_state(T))
    return out


def _after_exception(T):
    try:
        with T.inference_mode():
            raise ValueError("inside")
    except ValueError:
        pass
    return _state(T)


def _decorators(T):
    @T.inference_mode
    def bare():
        return _state(T)

    @T.inference_mode()
    def called(x):
        return x * 2

    @T.inference_mode(False)
    def off():
        return _state(T)

    w = T.ones(2, requires_grad=True)
    return [bare(), bare.__name__, called(w), off(), called.__name__]


def _made_inside(T):
    w = T.ones(3, requires_grad=True)
    n = T.ones(3)
    with T.inference_mode():
        out = [
            T.zeros(2),
            T.tensor([1.0, 2.0]),
            T.arange(3),
            T.randn(2).is_inference(),
            w * 2,
            n + 1,
            T.ones(2, requires_grad=True),
            n[1:],  # a view of a normal tensor stays normal
            w[1:],  # ... and keeps requires_grad, without a grad_fn
            n.detach(),
            n.data,
            T.ones(3)[1:],  # a view of an inference tensor is one
            w.sum(),
            T.nn.functional.relu(n),
        ]
    return out


def _outside(T):
    w = T.ones(3, requires_grad=True)
    x = _inf(T, 3)
    return [
        x,
        x + 1,
        x.neg(),
        x.clone(),
        x.view(3, 1),
        x[0],
        x.detach(),
        x.data,
        x + w,  # add saves nothing: allowed
        T.cat([x, w]),
        T.stack([x, w]),
        T.where(x > 0, w, x),
        w[x > 0],
        (x + 1) * w,  # a normal tensor made from x may be saved
        x.sum().item(),
        x.tolist(),
        T.is_inference(x),
        T.is_inference(w),
        x.clone()._version,
        T.softmax(x, 0),
    ]


def _inplace_inside(T):
    n = T.ones(3)
    w = T.ones(3, requires_grad=True)
    x = _inf(T, 3)
    with T.inference_mode():
        n.add_(1)
        v = n[1:]
        v.mul_(3)
        x.add_(1)
        x[0] = 5.0
        w.add_(1)  # a leaf that requires grad: as under no_grad
    return [n, n._version, v._version, x, w]


def _optimiser_outside(T):
    T.manual_seed(0)
    m = T.nn.Linear(2, 3)
    x = T.ones(4, 2)
    with T.inference_mode():
        y = m(x)
    loss = m(x).sum()
    loss.backward()
    T.optim.SGD(m.parameters(), lr=0.1).step()
    return [y.is_inference(), y.requires_grad, y.grad_fn, m.weight.is_inference()]


def _view_inplace_later(T, how):
    w = T.ones(3, requires_grad=True)
    with T.inference_mode():
        v = w[1:]
        vv = v[1:]
    if how == "view":
        return v.add_(1)
    if how == "view of view":
        return vv.add_(1)
    with T.no_grad():
        return v.add_(1).detach()


def _version_of(T, which):
    x = _inf(T, 3)
    return {"x": x, "view": x.view(3), "data": x.data, "detach": x.detach()}[which]._version


PROGRAMS = {
    "mode state, nested": _nested,
    "mode state after an exception": _after_exception,
    "decorators": _decorators,
    "mode attribute and clone": lambda T: [
        T.inference_mode().mode,
        T.inference_mode(False).mode,
        T.inference_mode(mode=False).clone().mode,
    ],
    "tensors made inside": _made_inside,
    "inference tensors outside the mode": _outside,
    "in-place inside the mode": _inplace_inside,
    "a model run inside, trained outside": _optimiser_outside,
    "mul saves an inference tensor": lambda T: _inf(T, 3) * T.ones(3, requires_grad=True),
    "mul saves it, other side": lambda T: T.ones(3, requires_grad=True) * _inf(T, 3),
    "matmul saves it": lambda T: _inf(T, 3) @ T.ones(3, requires_grad=True),
    "div saves it": lambda T: T.ones(3, requires_grad=True) / _inf(T, 3),
    "pow saves it": lambda T: T.ones(3, requires_grad=True).pow(_inf(T, 3)),
    "linear saves it": lambda T: T.nn.functional.linear(
        _inf(T, 2, 3), T.ones(4, 3, requires_grad=True)
    ),
    "mse_loss saves it": lambda T: T.nn.functional.mse_loss(
        T.ones(3, requires_grad=True), _inf(T, 3)
    ),
    "model of inference outputs": lambda T: T.nn.Linear(3, 2)(_inf(T, 2, 3)),
    "add_ outside": lambda T: _inf(T, 3).add_(1),
    "add_ under no_grad": lambda T: T.no_grad()(lambda: _inf(T, 3).add_(1))(),
    "setitem outside": lambda T: _inf(T, 3).__setitem__(0, 1.0),
    "copy_ outside": lambda T: _inf(T, 3).copy_(T.zeros(3)),
    "zero_ outside": lambda T: _inf(T, 3).zero_(),
    "uniform_ outside": lambda T: _inf(T, 3).uniform_(),
    "t_ outside": lambda T: _inf(T, 2, 3).t_(),
    "nn.init outside": lambda T: T.nn.init.normal_(_inf(T, 3)),
    "relu inplace outside": lambda T: T.nn.functional.relu(_inf(T, 3), inplace=True),
    "in-place on a view of it": lambda T: _inf(T, 3)[1:].add_(1),
    "in-place on its detach()": lambda T: _inf(T, 3).detach().add_(1),
    "in-place on its .data": lambda T: _inf(T, 3).data.add_(1),
    "in-place on a view of its .data": lambda T: _inf(T, 3).data[1:].add_(1),
    "data set to a normal tensor": lambda T: (
        lambda x: (setattr(x, "data", T.zeros(3)), x.is_inference())
    )(_inf(T, 3)),
    "requires_grad_ outside": lambda T: _inf(T, 3).requires_grad_(),
    "requires_grad = True outside": lambda T: setattr(_inf(T, 3), "requires_grad", True),
    "requires_grad_ of its .data": lambda T: _inf(T, 3).data.requires_grad_(),
    "requires_grad_(False) outside": lambda T: _inf(T, 3).requires_grad_(False),
    "retain_grad outside": lambda T: _inf(T, 3).retain_grad(),
    "backward of its sum": lambda T: _inf(T, 3).sum().backward(),
    "a view made inside, changed outside": lambda T: _view_inplace_later(T, "view"),
    "its view, changed outside": lambda T: _view_inplace_later(T, "view of view"),
    "a view made inside, changed under no_grad": lambda T: _view_inplace_later(T, "no_grad"),
    "_version of an inference tensor": lambda T: _version_of(T, "x"),
    "_version of its view": lambda T: _version_of(T, "view"),
    "_version of its .data": lambda T: _version_of(T, "data"),
    "_version of its detach()": lambda T: _version_of(T, "detach"),
    "is_inference of a number": lambda T: T.is_inference(1),
    "Tensor.is_inference with an argument": lambda T: T.ones(1).is_inference(1),
    "is_inference_mode_enabled with an argument": lambda T: T.is_inference_mode_enabled(1),
    "Parameter of an inference tensor": lambda T: T.nn.Parameter(_inf(T, 3)),
    "Parameter of one, no grad": lambda T: T.nn.Parameter(_inf(T, 3), requires_grad=False),
    "Parameter made inside": lambda T: T.inference_mode()(
        lambda: [T.nn.Parameter(T.ones(2)), T.nn.Parameter(_inf(T, 2))]
    )(),
    "Parameter of a normal tensor, made inside": lambda T: (
        lambda n: T.inference_mode()(lambda: T.nn.Parameter(n))()
    )(T.ones(2)),
    "copies of an inference tensor are normal": lambda T: [
        copy.deepcopy(_inf(T, 3)),
        copy.copy(_inf(T, 3)),
        pickle.loads(pickle.dumps(_inf(T, 3))),
        copy.deepcopy(_inf(T, 3)).add_(1),
    ],
    "conversions of an inference tensor": lambda T: [
        _inf(T, 3).double(),
        _inf(T, 3).to(T.float64),
        _inf(T, 3).contiguous(),
        _inf(T, 3)[[0, 1]],
        _inf(T, 3).reshape(3, 1),
        list(_inf(T, 3).unbind()),
        list(_inf(T, 3).split(2)),
        _inf(T, 3).expand(2, 3),
        T.zeros(3).copy_(_inf(T, 3)),
        T.as_tensor(_inf(T, 3)),
    ],
    "inference leaf that requires grad, with a normal tensor": lambda T: (
        _inf(T, 3, requires_grad=True) * T.ones(3)
    ),
    "inference leaf that requires grad, saved": lambda T: (
        _inf(T, 3, requires_grad=True) * T.ones(3, requires_grad=True)
    ),
    "inference leaf that requires grad, in place": lambda T: _inf(T, 3, requires_grad=True).add_(1),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_inference_mode_matches_torch(torch, name):
    program = PROGRAMS[name]
    assert outcome(course_lib, program) == outcome(torch, program)


@pytest.mark.parametrize(
    "program",
    [
        lambda T: _inf(T, 3, requires_grad=True).exp(),
        lambda T: _inf(T, 3, requires_grad=True) * 2,
        lambda T: _inf(T, 3, requires_grad=True).clone(),
    ],
)
def test_ops_on_inference_leaves_alone_not_modelled(program):
    """torch records a graph for some of these and not for others: course_lib refuses them all
    rather than guess."""
    with pytest.raises(NotImplementedError, match="detach\\(\\).clone\\(\\)"):
        program(course_lib)


def test_in_place_on_an_inference_tensor_leaves_it_unchanged():
    """torch writes the values and then raises; course_lib raises before writing."""
    x = _inf(course_lib, 3)
    with pytest.raises(RuntimeError, match="Inplace update to inference tensor"):
        x.add_(1)
    assert x.tolist() == [1.0, 1.0, 1.0]


def test_inference_mode_is_exported():
    assert course_lib.autograd.inference_mode is course_lib.inference_mode
    assert "inference_mode" in course_lib.__all__
    assert "is_inference" in course_lib.__all__
