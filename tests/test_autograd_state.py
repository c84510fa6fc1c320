"""Autograd state as torch keeps it, and what learners see printed: parity with torch 2.13.

Each program below runs once with course_lib and once with torch (the `torch` fixture); both
must give the same values, gradients, grad_fn names, exception type and message, and warnings.
They are grouped by the behaviour they pin down: 0-d gradients, the graph freed after backward,
version counters, in-place ops on non-leaves and on views, who gets a gradient, degenerate
cases, signed zeros, exception types and warnings.
"""

import math
import re
import warnings

import numpy as np
import pytest

import course_lib
import course_lib.nn.functional


def _plain(x):
    """A value both libraries can be compared on: tensors as (dtype, shape, values, grad_fn)."""
    if isinstance(x, (tuple, list)):
        return [_plain(v) for v in x]
    if hasattr(x, "detach") and hasattr(x, "shape"):
        fn = x.grad_fn
        a = x.detach().numpy()
        signs = np.where(a == 0, np.signbit(a), False).tolist()  # -0. and 0. differ here
        return (str(x.dtype), tuple(x.shape), a.tolist(), signs, _node_name(fn))
    return x


def _node_name(fn):
    return None if fn is None else repr(fn).split(" object")[0].lstrip("<")


def outcome(T, program):
    """Run `program(T)`; return its result (or exception) and the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", _plain(program(T)))
        except Exception as e:
            result = ("raised", type(e).__name__, str(e))
    texts = [re.sub(r" \(Triggered internally at .*\)$", "", str(w.message)) for w in caught]
    return result, texts


def _same(a, b) -> bool:
    """Equal, except that floats may differ in their last bits (nan equals nan)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-5)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def check(torch, program):
    ours, theirs = outcome(course_lib, program), outcome(torch, program)
    assert _same(ours, theirs), f"\ncourse_lib: {ours}\ntorch:      {theirs}"


def _loss(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    return x, (x * x).sum()


# ----------------------------------------------------------------------------------------------
# 1. 0-d gradients stay tensors
# ----------------------------------------------------------------------------------------------


def first_loop(T):  # the first autograd loop everyone writes
    w = T.tensor(0.5, requires_grad=True)
    x = T.tensor(3.0)
    for _ in range(3):
        loss = (w * x - 1.0) ** 2
        loss.backward()
        with T.no_grad():
            w -= 0.1 * w.grad
        w.grad.zero_()
    return w, w.grad


def data_update_loop(T):
    w = T.tensor(0.5, requires_grad=True)
    for _ in range(3):
        (w * w * 2.0).backward()
        w.data -= 0.1 * w.grad.data
        w.grad.data.zero_()
    return w, w.grad


def zero_grad_to_zeros(T):
    w = T.nn.Parameter(T.tensor(0.5))
    opt = T.optim.SGD([w], lr=0.1)
    for _ in range(3):
        opt.zero_grad(set_to_none=False)
        (w * 3.0).backward()
        opt.step()
    return w, w.grad


def grad_accumulates_in_place(T):
    w = T.tensor(1.5, requires_grad=True)
    (w * w).backward()
    g = w.grad
    (w * w).backward()
    return g is w.grad, w.grad, g.ndim


@pytest.mark.parametrize(
    "program", [first_loop, data_update_loop, zero_grad_to_zeros, grad_accumulates_in_place]
)
def test_zero_d_gradients(torch, program):
    check(torch, program)


# ----------------------------------------------------------------------------------------------
# 2. the graph is freed after backward
# ----------------------------------------------------------------------------------------------


def _twice(build, **kwargs):
    def program(T):
        x = T.tensor([1.0, -2.0, 3.0], requires_grad=True)
        loss = build(T, x)
        loss.backward(**kwargs)
        loss.backward()
        return x.grad

    program.__name__ = build.__name__
    return program


GRAPHS = [
    lambda T, x: (x * x).sum(),
    lambda T, x: (x * 2).sum(),
    lambda T, x: (x / 2).sum(),
    lambda T, x: x.exp().sum(),
    lambda T, x: (x**2).sum(),
    lambda T, x: x.relu().sum(),
    lambda T, x: x.tanh().sum(),
    lambda T, x: x.sigmoid().sum(),
    lambda T, x: x.abs().sum(),
    lambda T, x: x.std(),
    lambda T, x: x.max(),
    lambda T, x: x.softmax(0)[0],
    lambda T, x: x @ x,
    lambda T, x: x[T.tensor([0, 0, 2])].sum(),
    lambda T, x: T.nn.functional.mse_loss(x, T.zeros(3)),
    lambda T, x: T.nn.functional.cross_entropy(x[None], T.tensor([1])),
    lambda T, x: x.abs().rsqrt().sum(),
    lambda T, x: x.cosh().sum(),
    lambda T, x: x.amax(),
    lambda T, x: x.logsumexp(0),
    lambda T, x: x.norm(),
    lambda T, x: x.gather(0, T.tensor([2, 0])).sum(),
    lambda T, x: x.index_select(0, T.tensor([1])).sum(),
    lambda T, x: x.masked_fill(x > 0, 0.0).sum(),
    lambda T, x: T.addmm(T.zeros(1, 1), x[None], x[:, None]).sum(),
    lambda T, x: T.einsum("i,i->", x, x),
    # these save no tensor: a second backward runs and accumulates again, in both libraries
    lambda T, x: (x + 1).sum(),
    lambda T, x: x.mean(),
    lambda T, x: (x - 2 * 1).sum(),
    lambda T, x: x[0],
    lambda T, x: x.reshape(3, 1).t().sum(),
    lambda T, x: T.cat([x, x]).sum(),
]


@pytest.mark.parametrize("retain", [False, True])
@pytest.mark.parametrize("build", GRAPHS)
def test_second_backward(torch, build, retain):
    check(torch, _twice(build, retain_graph=True) if retain else _twice(build))


def test_create_graph_is_refused_not_ignored():
    x, loss = _loss(course_lib)
    with pytest.raises(NotImplementedError, match="create_graph=True"):
        loss.backward(create_graph=True)
    assert x.grad is None


# ----------------------------------------------------------------------------------------------
# 3. version counters
# ----------------------------------------------------------------------------------------------


def changed_under_no_grad(T):
    x, loss = _loss(T)
    with T.no_grad():
        x.mul_(10)
    loss.backward()


def changed_output(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


def add_own_log(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    b = x * 1
    b += b.log()
    b.sum().backward()


def relu_inplace_after_save(T):
    x = T.tensor([1.0, -2.0], requires_grad=True)
    h = x * 1
    loss = (h * h).sum()
    T.nn.functional.relu(h, inplace=True)
    loss.backward()


def zero_d_saved(T):
    a = T.tensor(2.0, requires_grad=True)
    loss = a * a
    with T.no_grad():
        a.add_(1)
    loss.backward()


def changed_through_view(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    loss = (x * x).sum()
    with T.no_grad():
        x[1:].mul_(2)
    loss.backward()


def changed_through_detach(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    x.detach().zero_()
    loss.backward()


def changed_by_setitem(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    loss = (y * y).sum()
    y[0] = 5.0
    loss.backward()


def changed_through_data(T):  # allowed: .data has a counter of its own
    x, loss = _loss(T)
    x.data.mul_(10)
    loss.backward()
    return x.grad, x._version


def changed_but_not_saved(T):  # allowed: add saves nothing
    x = T.tensor([1.0, 2.0], requires_grad=True)
    loss = (x + 1).sum()
    with T.no_grad():
        x.mul_(10)
    loss.backward()
    return x.grad, x._version


def versions(T):
    x = T.zeros(4)
    v = x[1:3]
    v.add_(1)
    x[0] = 2.0
    d = x.detach()
    d.fill_(3.0)
    x.data.fill_(4.0)
    return x._version, v._version, d._version


def mul_self_in_place(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.mul_(y)
    y.sum().backward()


@pytest.mark.parametrize(
    "program",
    [
        changed_under_no_grad,
        changed_output,
        add_own_log,
        relu_inplace_after_save,
        zero_d_saved,
        changed_through_view,
        changed_through_detach,
        changed_by_setitem,
        changed_through_data,
        changed_but_not_saved,
        versions,
        mul_self_in_place,
    ],
)
def test_version_counter(torch, program):
    check(torch, program)


# ----------------------------------------------------------------------------------------------
# in-place on a non-leaf changes only what comes after it
# ----------------------------------------------------------------------------------------------


def earlier_consumer_keeps_history(T):
    x = T.tensor([-1.0, 2.0], requires_grad=True)
    h = x * 2
    a = T.relu(h)
    h *= 0.5
    a.sum().backward()
    return x.grad, _node_name(h.grad_fn)


def later_consumer_sees_change(T):
    x = T.tensor([-1.0, 2.0], requires_grad=True)
    h = x * 2
    h *= 3
    (h * x).sum().backward()
    return x.grad, h


def in_place_with_other_grad(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    w = T.tensor([3.0, -1.0], requires_grad=True)
    y = x * 2
    y.mul_(w)
    y.sum().backward()
    return x.grad, w.grad, _node_name(y.grad_fn)


def in_place_chain(T):
    x = T.tensor([0.5, 2.0, -1.0], requires_grad=True)
    y = x * 1
    y.mul_(3)
    y.clamp_(0.0, 3.0)
    y.sub_(x)
    y.div_(2)
    y.sum().backward()
    return x.grad, y


def retained_grad_follows(T):
    x = T.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.add_(1)
    (y * y).sum().backward()
    return x.grad, y.grad


@pytest.mark.parametrize(
    "program",
    [
        earlier_consumer_keeps_history,
        later_consumer_sees_change,
        in_place_with_other_grad,
        in_place_chain,
        retained_grad_follows,
    ],
)
def test_in_place_on_non_leaf(torch, program):
    check(torch, program)


# ----------------------------------------------------------------------------------------------
# 4. views are views
# ----------------------------------------------------------------------------------------------


def int_index_writes_through(T):
    w = T.zeros(2, 3)
    w[0, 0].fill_(1.0)
    x = T.arange(4.0)
    x[1].add_(5)
    x[-1].mul_(2)
    return w, x, x[2]._version


def view_of_non_leaf(T):
    x = T.ones(3, requires_grad=True)
    y = x * 2
    v = y[0:2]
    v.mul_(10)
    y.sum().backward()
    return y, x.grad, _node_name(v.grad_fn)


def view_of_non_leaf_saved(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y[1].mul_(y[1])
    (y * y).sum().backward()


def view_chain_of_non_leaf(T):
    x = T.arange(6.0).requires_grad_()
    y = x * 1
    v = y.view(2, 3).t()[1:]
    v.mul_(T.tensor([[2.0, 3.0]]))
    (y * T.arange(6.0)).sum().backward()
    return y, x.grad


def view_of_plain_tensor_gets_history(T):
    w = T.tensor([1.0, 2.0], requires_grad=True)
    base = T.zeros(3)
    base[1:].add_(w)
    (base * base).sum().backward()
    return base, w.grad


def setitem_on_view(T):
    x = T.ones(2, 3, requires_grad=True)
    y = x * 3
    y[1][0:2] = T.tensor([7.0, 8.0])
    y.sum().backward()
    return y, x.grad


def base_changed_after_view(T):  # the view's history is rebuilt from the base's new one
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    v = y[0:2]
    y.mul_(3)
    (v * v).sum().backward()
    return v, x.grad, _node_name(v.grad_fn)


def sibling_view_changed(T):
    x = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    a, b = y[0:2], y[1:]
    b.mul_(10)
    a.sum().backward()
    return a, x.grad, _node_name(a.grad_fn), _node_name(y.grad_fn)


def view_of_leaf(T):
    x = T.ones(3, requires_grad=True)
    x[0:2].mul_(2)


def view_of_leaf_later(T):
    x = T.ones(3, requires_grad=True)
    v = x.t()
    v.add_(1)


def view_of_leaf_under_no_grad(T):
    x = T.ones(3, requires_grad=True)
    with T.no_grad():
        x[0:2].mul_(2)
    return x


def mixed_indices(T):
    a = T.arange(24).reshape(2, 3, 4)
    return [
        a[1, :, [0, 3]],
        a[[0, 1], 1, [0, 3]],
        a[:, 1, [0, 3]],
        a[[0, 1], :, 1],
        a[None, 1, [0, 1]],
        a[..., 1, [2, 0]],
    ]


def mixed_indices_grad(T):
    x = T.arange(24.0).reshape(2, 3, 4).requires_grad_()
    y = x[1, :, [0, 3, 3]]
    (y * T.arange(9.0).reshape(3, 3)).sum().backward()
    return y, x.grad


def mixed_indices_setitem(T):
    a = T.zeros(2, 3, 4)
    a[1, :, [0, 3]] = T.arange(6.0).reshape(3, 2)
    return a


def negative_step(T):
    return T.arange(5)[::-1]


def negative_step_in_tuple(T):
    return T.arange(6).reshape(2, 3)[:, ::-2]


def write_into_expanded(T):
    x = T.zeros(1, 2).expand(3, 2)
    x.add_(1)


def fill_expanded(T):
    base = T.zeros(1, 2)
    x = base.expand(3, 2)
    x.fill_(1.0)
    x[0] = 2.0
    return base


@pytest.mark.parametrize(
    "program",
    [
        int_index_writes_through,
        view_of_non_leaf,
        view_of_non_leaf_saved,
        view_chain_of_non_leaf,
        view_of_plain_tensor_gets_history,
        base_changed_after_view,
        sibling_view_changed,
        setitem_on_view,
        view_of_leaf,
        view_of_leaf_later,
        view_of_leaf_under_no_grad,
        mixed_indices,
        mixed_indices_grad,
        mixed_indices_setitem,
        negative_step,
        negative_step_in_tuple,
        write_into_expanded,
        fill_expanded,
    ],
)
def test_views(torch, program):
    check(torch, program)


# ----------------------------------------------------------------------------------------------
# 5. who gets a gradient is decided when the op runs
# ----------------------------------------------------------------------------------------------


def requires_grad_after_use(T):
    w = T.ones(2)
    v = T.ones(2, requires_grad=True)
    loss = (w * v).sum()
    w.requires_grad_()
    loss.backward()
    return w.grad, v.grad


def requires_grad_after_use_only(T):
    w = T.ones(2)
    loss = (w * 3).sum()
    w.requires_grad_()
    loss.backward()


def integer_casts(T):
    x = T.tensor([1.5, -2.0], requires_grad=True)
    return [(t.requires_grad, _node_name(t.grad_fn)) for t in (x.long(), x.int(), x.bool())]


@pytest.mark.parametrize(
    "program", [requires_grad_after_use, requires_grad_after_use_only, integer_casts]
)
def test_who_gets_a_gradient(torch, program):
    check(torch, program)


# ----------------------------------------------------------------------------------------------
# 6. degenerate cases
# ----------------------------------------------------------------------------------------------


def std_at_zero(T):
    x = T.tensor([[1.0, 1.0], [1.0, 2.0]], requires_grad=True)
    x.std(1).sum().backward()
    g1 = x.grad
    y = T.tensor([3.0, 3.0, 3.0], requires_grad=True)
    y.std().backward()
    return g1, y.grad


def _logits(T):
    return T.tensor([[0.5, -1.0, 2.0, 0.0], [1.0, 0.0, float("nan"), 3.0], [0.1, 0.2, 0.3, 0.4]])


def ce_all_ignored(T):
    x = _logits(T)[[0, 2]].requires_grad_()
    loss = T.nn.functional.cross_entropy(x, T.tensor([-100, -100]))
    loss.backward()
    return loss, x.grad


def ce_nan_in_ignored_row(T):
    x = _logits(T).requires_grad_()
    loss = T.nn.functional.cross_entropy(x, T.tensor([0, -100, 1]))
    loss.backward()
    return loss, x.grad


def nll_all_ignored(T):
    x = _logits(T)[[0, 2]].requires_grad_()
    loss = T.nn.functional.nll_loss(x, T.tensor([-100, -100]))
    loss.backward()
    return loss, x.grad


def nll_nan_in_ignored_row(T):
    x = _logits(T).requires_grad_()
    loss = T.nn.functional.nll_loss(x, T.tensor([0, -100, 1]))
    loss.backward()
    return loss, x.grad


@pytest.mark.parametrize(
    "program",
    [std_at_zero, ce_all_ignored, ce_nan_in_ignored_row, nll_all_ignored, nll_nan_in_ignored_row],
)
def test_degenerate(torch, program):
    check(torch, program)


# ----------------------------------------------------------------------------------------------
# 7. what learners see printed
# ----------------------------------------------------------------------------------------------


def grad_fn_names(T):
    x = T.ones(2, 3, requires_grad=True)
    lin = T.nn.Linear(3, 2, bias=False)
    lin_b = T.nn.Linear(3, 2)
    logits = T.zeros(2, 4, 5, requires_grad=True)
    target = T.zeros(2, 5, dtype=T.long)
    y = x * 1
    y[0, 1:] = 2.0
    out = [
        lin(T.ones(4, 5, 3)),
        lin(T.ones(3)),
        lin_b(T.ones(3)),
        lin_b(T.ones(4, 5, 3)),
        T.nn.functional.cross_entropy(logits, target),
        T.nn.functional.cross_entropy(logits, target, reduction="none"),
        T.nn.functional.nll_loss(logits, target),
        x.t().reshape(6),
        x.t().reshape(3, 2),
        x.t().reshape(3, 2, 1),
        x.reshape(3, 2),
        x.unsqueeze(0).squeeze((0,)),
        x.unsqueeze(0).squeeze(0),
        x.unsqueeze(0).squeeze(),
        y,
    ]
    return [_node_name(t.grad_fn) for t in out]


def signed_zeros(T):
    x = T.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    g = T.tensor([-1.0, -1.0, -1.0])
    grads = []
    for f in (
        T.relu,
        lambda t: t.clamp(0, 1),
        lambda t: T.maximum(t, T.tensor([0.0, 0.5, 0.0])),
        lambda t: T.minimum(t, T.tensor([0.0, 0.5, 0.0])),
    ):
        x.grad = None
        f(x).backward(g)
        grads.append(x.grad)
    x.grad = None
    x.max().backward(T.tensor(-1.0))
    grads.append(x.grad)
    a = T.tensor([1.0, -2.0], requires_grad=True)
    b = T.tensor([0.0, 0.0], requires_grad=True)
    (a @ b).backward(T.tensor(-1.0))
    m = T.tensor([[1.0, -2.0], [3.0, 0.0]], requires_grad=True)
    z = T.zeros(2, 2, requires_grad=True)
    (m @ z).backward(T.tensor([[-1.0, 0.0], [0.0, 1.0]]))
    return grads, a.grad, b.grad, m.grad, z.grad


@pytest.mark.parametrize("program", [grad_fn_names, signed_zeros])
def test_printed(torch, program):
    check(torch, program)


RAISES = {
    "float of many": lambda T: float(T.ones(2)),
    "int of many": lambda T: int(T.ones(2)),
    "maximum with a float": lambda T: T.maximum(T.ones(2), 2.5),
    "Tensor.maximum with a float": lambda T: T.ones(2).minimum(2.5),
    "where shapes": lambda T: T.where(T.ones(2, 3) > 0, T.ones(2, 3), T.ones(4)),
    "where condition shape": lambda T: T.where(T.ones(4) > 0, T.ones(2, 3), 1.0),
    "& on floats": lambda T: T.ones(2) & T.ones(2),
    "| on floats": lambda T: T.ones(2) | 1,
    "^ on floats": lambda T: T.ones(2) ^ T.ones(2),
    "& bool with float": lambda T: T.ones(2).bool() & T.ones(2),
    "~ on floats": lambda T: ~T.ones(2),
    "& on bools": lambda T: T.tensor([True, False]) & T.tensor([True, True]),
    "^ on ints": lambda T: T.tensor([5, 3]) ^ 1,
    "~ on ints": lambda T: ~T.tensor([5, 0]),
}


@pytest.mark.parametrize("case", list(RAISES))
def test_exception_types(torch, case):
    check(torch, RAISES[case])


WARNS = {
    "int() of one": lambda T: int(T.tensor(1.5, requires_grad=True)),
    "std with one element": lambda T: T.ones(1).std(),
    "var with correction 2": lambda T: T.ones(2).var(correction=2),
    "std along a dim of 1": lambda T: T.ones(2, 1).std(1),
    "non-leaf .grad": lambda T: (T.ones(2, requires_grad=True) * 2).grad,
}


@pytest.mark.parametrize("case", list(WARNS))
def test_warnings(torch, case):
    check(torch, WARNS[case])


# ----------------------------------------------------------------------------------------------
# random programs: views, in-place ops and consumers in any order, then backward
# ----------------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

STARTS = {
    "x * 2": lambda T, x: x * 2,
    "x.exp()": lambda T, x: x.exp(),
    "x.tanh()": lambda T, x: x.tanh(),
    "x * x": lambda T, x: x * x,
    "x.relu()": lambda T, x: x.relu(),
    "plain zeros": lambda T, x: T.zeros(3, 4),
}
VIEWS = {
    "h": lambda h: h,
    "h[1]": lambda h: h[1],
    "h[0:2]": lambda h: h[0:2],
    "h[:, 1:3]": lambda h: h[:, 1:3],
    "h.t()": lambda h: h.t(),
    "h.view(12)[2:5]": lambda h: h.view(12)[2:5],
    "h[1, 2]": lambda h: h[1, 2],
    "h[::2]": lambda h: h[::2],
    "h[[0, 2]]": lambda h: h[[0, 2]],  # advanced indexing copies: changes do not reach h
    "h[1, [0, 3]]": lambda h: h[1, [0, 3]],
    "h.detach()[1:]": lambda h: h.detach()[1:],
    "h.unsqueeze(0)[0, 2]": lambda h: h.unsqueeze(0)[0, 2],
}
IN_PLACE = {
    "mul_(3)": lambda T, v, x: v.mul_(3.0),
    "add_(1)": lambda T, v, x: v.add_(1.0),
    "sub_(x-part)": lambda T, v, x: v.sub_(x[0, 0]),
    "clamp_(0, 2)": lambda T, v, x: v.clamp_(0.0, 2.0),
    "fill_(0.5)": lambda T, v, x: v.fill_(0.5),
    "zero_()": lambda T, v, x: v.zero_(),
    "relu(inplace)": lambda T, v, x: T.nn.functional.relu(v, inplace=True),
    "[...] = 2": lambda T, v, x: v.__setitem__(..., 2.0) if v.ndim else v.fill_(2.0),
    "copy_(x-part)": lambda T, v, x: v.copy_(x[1, 1] * 1.5),
    "exp_()": lambda T, v, x: v.exp_(),
    "pow_(2)": lambda T, v, x: v.pow_(2),
    "tanh_()": lambda T, v, x: v.tanh_(),
    "**= x-part": lambda T, v, x: v.__ipow__(x[2, 3]),
}
CONSUMERS = {
    "exp": lambda v: v.exp(),
    "* 2": lambda v: v * 2,
    "* itself": lambda v: v * v,
    "relu": lambda v: v.relu(),
    "sum": lambda v: v.sum(),
    "tanh": lambda v: v.tanh(),
}

actions = st.lists(
    st.one_of(
        st.tuples(
            st.just("inplace"),
            st.sampled_from(list(VIEWS)),
            st.sampled_from(list(IN_PLACE)),
            st.booleans(),  # under no_grad()
        ),
        st.tuples(st.just("use"), st.sampled_from(list(VIEWS)), st.sampled_from(list(CONSUMERS))),
    ),
    min_size=1,
    max_size=4,
)


def random_program(start, steps, retain):
    def program(T):
        x = (T.arange(12.0).reshape(3, 4) / 7 - 0.8).requires_grad_()
        h = STARTS[start](T, x)
        used = [h]
        for step in steps:
            if step[0] == "inplace":
                _, view, op, quiet = step
                if quiet:
                    with T.no_grad():
                        IN_PLACE[op](T, VIEWS[view](h), x)
                else:
                    IN_PLACE[op](T, VIEWS[view](h), x)
            else:
                _, view, use = step
                used.append(CONSUMERS[use](VIEWS[view](h)))
        loss = sum(u.sum() for u in used)
        if not loss.requires_grad:
            return loss, h
        loss.backward(retain_graph=retain)
        if retain:
            loss.backward()
        return loss, h, x.grad, [_node_name(u.grad_fn) for u in used], h._version

    return program


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(start=st.sampled_from(list(STARTS)), steps=actions, retain=st.booleans())
def test_random_programs(torch, start, steps, retain):
    check(torch, random_program(start, steps, retain))


LEAF_STEPS = {
    "y = a * b": lambda T, env: env["ys"].append(env["ys"][-1] * env["v"]),
    "y = tanh(y)": lambda T, env: env["ys"].append(env["ys"][-1].tanh()),
    "y = y[1:] * w[:2]": lambda T, env: env["ys"].append(env["ys"][-1][1:] * env["w"][:2]),
    "y = y.long() * 1.0": lambda T, env: env["ys"].append(env["ys"][-1].long() * 1.0),
    "y = y.detach() + w": lambda T, env: env["ys"].append(env["ys"][-1].detach() + env["w"]),
    "v.requires_grad_()": lambda T, env: env["v"].requires_grad_(),
    "y.retain_grad()": lambda T, env: (
        env["ys"][-1].retain_grad() if env["ys"][-1].requires_grad else None
    ),
    "backward": lambda T, env: env["ys"][-1].sum().backward(),
    "backward, keep": lambda T, env: env["ys"][-1].sum().backward(retain_graph=True),
    "step": lambda T, env: _step(T, env["w"]),
    "w.grad = None": lambda T, env: setattr(env["w"], "grad", None),
    "w.grad.zero_()": lambda T, env: env["w"].grad.zero_(),
}


def _step(T, w):
    with T.no_grad():
        w -= 0.1 * w.grad


def leaf_program(steps):
    def program(T):
        w = T.tensor([0.5, -1.0, 2.0], requires_grad=True)
        env = {"w": w, "v": T.tensor([3.0, 0.25, -2.0]), "ys": [w * 1]}
        for step in steps:
            LEAF_STEPS[step](T, env)
        last = env["ys"][-1]
        return w, w.grad, env["v"].grad, last, last.requires_grad, last.is_leaf

    return program


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(st.sampled_from(list(LEAF_STEPS)), min_size=1, max_size=6))
def test_random_leaf_programs(torch, steps):
    check(torch, leaf_program(steps))
