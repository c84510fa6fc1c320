"""Parameter(t) shares t's memory and version counter, and a `.data` write into the output of a
recorded in-place op is what backward reads, as in torch 2.13."""

import pytest

import course_lib


def _run(T, program):
    try:
        return ("ok", program(T))
    except Exception as e:  # the error is part of the behaviour compared
        return ("raised", type(e).__name__, str(e))


def shared_memory(T):
    t = T.tensor([1.0, 2.0])
    p = T.nn.Parameter(t)
    t.add_(1)
    seen = [p.tolist()]
    p.data.mul_(2)
    return seen + [t.tolist(), t._version, p._version]


def shared_version_counter(T):
    t = T.tensor([1.0, 2.0])
    p = T.nn.Parameter(t)
    with T.no_grad():
        p.add_(1)
    return t._version, p._version, t.tolist()


def write_to_data_after_use(T):
    t = T.tensor([1.0, 2.0])
    p = T.nn.Parameter(t)
    loss = (p * p).sum()
    t.mul_(3)  # p's memory changed after p was saved for backward
    loss.backward()
    return p.grad.tolist()


def parameter_of_a_non_leaf(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    p = T.nn.Parameter(y)
    y.data.add_(1)
    return p.is_leaf, p.grad_fn is None, p.tolist()


def data_write_after_exp_(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    h.exp_()  # saves its output: h's memory
    h.data.fill_(5.0)  # not a version bump: backward reads the new values
    h.sum().backward()
    return x.grad.tolist()


def data_write_after_sigmoid_(T):
    x = T.tensor([1.0, -1.0], requires_grad=True)
    h = x * 1
    h.sigmoid_()
    h.data[0] = 0.25
    h.sum().backward()
    return [round(v, 5) for v in x.grad.tolist()]


def data_write_after_view_exp_(T):
    x = T.tensor([[1.0, 2.0]], requires_grad=True)
    h = x * 1
    h[0].exp_()
    h.data[0, 0] = 3.0
    h.sum().backward()
    return [round(v, 5) for v in x.grad.view(-1).tolist()]


def data_write_after_mul_(T):  # mul_ saves its inputs, not its output
    x = T.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    h.mul_(x)
    h.data[0] = 100.0
    h.sum().backward()
    return x.grad.tolist(), h._version


PROGRAMS = [
    shared_memory,
    shared_version_counter,
    write_to_data_after_use,
    parameter_of_a_non_leaf,
    data_write_after_exp_,
    data_write_after_sigmoid_,
    data_write_after_view_exp_,
    data_write_after_mul_,
]


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__ for p in PROGRAMS])
def test_as_torch(torch, program):
    assert _run(course_lib, program) == _run(torch, program)
