"""split, chunk, unbind, narrow, select, movedim / moveaxis and diagonal, compared with torch 2.13:
values, shapes, grad_fn names, memory shared with the input, gradients, argument errors, and the
rule that an output of split/chunk/unbind may not be changed in place in grad mode."""

import numpy as np
import pytest
from gradcheck import gradcheck
from hypothesis import given, settings
from hypothesis import strategies as st
from parity import error_of

import course_lib


def both(torch):
    return [course_lib, torch]


def describe(T, out) -> list:
    """Type, shape, values, grad_fn name and requires_grad of each output (one or a tuple)."""
    outs = out if isinstance(out, tuple) else (out,)
    return [type(out).__name__] + [
        (
            tuple(o.shape),
            o.tolist(),
            grad_name(o.grad_fn),
            o.requires_grad,
        )
        if hasattr(o, "shape")
        else o
        for o in outs
    ]


def grad_name(node) -> str | None:  # course_lib's Node class is one class for all ops
    return None if node is None else getattr(node, "_name", type(node).__name__)


def x25(T, grad=True):
    return T.arange(10.0).reshape(2, 5).requires_grad_(grad)


def x234(T, grad=True):
    return T.arange(24.0).reshape(2, 3, 4).requires_grad_(grad)


FORWARD = {
    "split int": lambda T: x25(T).split(2, 1),
    "split list": lambda T: x25(T).split([2, 3], 1),
    "split tuple": lambda T: x25(T).split((1, 0, 4), dim=-1),
    "split too big": lambda T: x25(T).split(7, 1),
    "split 0-d int tensor": lambda T: x25(T).split(T.tensor(2), 1),
    "torch.split": lambda T: T.split(x25(T), [1, 1]),
    "torch.split keywords": lambda T: T.split(x25(T), split_size_or_sections=4, dim=1),
    "split no grad": lambda T: x25(T, False).split(3, 1),
    "split empty dim": lambda T: T.zeros(0, 3).split(2),
    "split empty by 0": lambda T: T.zeros(0, 3).split(0),
    "chunk": lambda T: x25(T).chunk(2, 1),
    "chunk 4 of 5": lambda T: x25(T).chunk(4, 1),
    "chunk more than size": lambda T: x25(T).chunk(6, 1),
    "chunk empty dim": lambda T: T.zeros(0, 3, requires_grad=True).chunk(2),
    "torch.chunk": lambda T: T.chunk(x25(T), 2),
    "unbind": lambda T: x25(T).unbind(),
    "unbind to 0-d views": lambda T: T.tensor([1.0, 2.0]).unbind(),
    "unbind -1": lambda T: T.unbind(x25(T), dim=-1),
    "narrow": lambda T: x25(T).narrow(1, 1, 3),
    "narrow negative start": lambda T: x25(T).narrow(1, -2, 2),
    "narrow empty at end": lambda T: x25(T).narrow(1, 5, 0),
    "narrow tensor start": lambda T: x25(T).narrow(1, T.tensor(1), 2),
    "torch.narrow": lambda T: T.narrow(x25(T), 0, 1, 1),
    "select": lambda T: x25(T).select(1, 2),
    "select -1": lambda T: x25(T).select(-1, -1),
    "select tensor index": lambda T: x25(T).select(0, T.tensor(1)),
    "torch.select": lambda T: T.select(x234(T), 1, 0),
    "movedim": lambda T: x234(T).movedim(0, 2),
    "movedim tuples": lambda T: x234(T).movedim((0, 1), (2, 0)),
    "movedim lists": lambda T: x234(T).movedim([0, -1], [-1, 0]),
    "movedim nothing": lambda T: x234(T).movedim((), ()),
    "movedim 0-d": lambda T: T.tensor(1.0, requires_grad=True).movedim(0, 0),
    "moveaxis": lambda T: x234(T).moveaxis(0, -1),
    "torch.movedim": lambda T: T.movedim(x234(T), 2, 0),
    "torch.moveaxis": lambda T: T.moveaxis(x234(T), source=1, destination=0),
    "diagonal": lambda T: x234(T).diagonal(),
    "diagonal offset": lambda T: x234(T).diagonal(1),
    "diagonal below": lambda T: x234(T).diagonal(-1, 2, 1),
    "diagonal past the end": lambda T: x234(T).diagonal(5),
    "diagonal far below": lambda T: x234(T).diagonal(-5, 0, 2),
    "diagonal keywords": lambda T: T.diagonal(
        T.arange(12.0).reshape(3, 4), offset=2, dim1=1, dim2=0
    ),
    "diagonal negative dims": lambda T: x234(T).diagonal(0, -1, -3),
}


@pytest.mark.parametrize("name", FORWARD)
def test_values_shapes_and_grad_fn_as_torch(torch, name):
    seen = [describe(T, FORWARD[name](T)) for T in both(torch)]
    assert seen[0] == seen[1]


VIEWS = {
    "split": lambda t: t.split(2, 1),
    "split list": lambda t: t.split([1, 3], 1),
    "chunk": lambda t: t.chunk(2, 1),
    "unbind": lambda t: t.unbind(1),
    "unbind to 0-d": lambda t: t.view(-1).unbind(),
    "narrow": lambda t: (t.narrow(1, 1, 2),),
    "select": lambda t: (t.select(1, 1),),
    "movedim": lambda t: (t.movedim(0, 1),),
    "diagonal": lambda t: (t.diagonal(1),),
}


@pytest.mark.parametrize("name", VIEWS)
def test_outputs_share_memory_and_version_with_the_input(torch, name):
    seen = []
    for T in both(torch):
        t = T.arange(12.0).reshape(3, 4)
        outs = VIEWS[name](t)
        outs[-1].add_(100)  # a write into the view shows in the input ...
        t.mul_(2)  # ... and a write into the input shows in every view
        seen.append(
            (t.tolist(), [o.tolist() for o in outs], t._version, [o._version for o in outs])
        )
    assert seen[0] == seen[1]
    assert seen[0][2] == 2


GRADS = {
    "split": (lambda x: x.split(2, 1)[1] * 1, (3, 5)),
    "split list": (lambda x: x.split([1, 3, 1], 1)[1] * 1, (3, 5)),
    "chunk": (lambda x: x.chunk(3, 0)[-1] * 1, (5, 2)),
    "unbind": (lambda x: x.unbind(1)[2] * 1, (3, 4)),
    "narrow": (lambda x: x.narrow(1, 1, 2), (3, 4)),
    "select": (lambda x: x.select(0, -1), (3, 4)),
    "movedim": (lambda x: x.movedim((0, 2), (2, 0)), (2, 3, 4)),
    "diagonal": (lambda x: x.diagonal(1, 0, 2), (3, 2, 4)),
    "diagonal below": (lambda x: x.diagonal(-1), (4, 3)),
}


@pytest.mark.parametrize("name", GRADS)
def test_gradcheck(name):
    fn, shape = GRADS[name]
    gradcheck(fn, np.random.default_rng(0).standard_normal(shape))


def test_gradients_of_several_outputs_add_up_as_in_torch(torch):
    data = np.random.default_rng(1).standard_normal((4, 3))
    seen = []
    for T in both(torch):
        x = T.tensor(data, requires_grad=True)
        a, b = x.split([1, 3])
        rows = x.unbind(1)
        c = x.chunk(2)[1]
        loss = (a * 2).sum() + (b**2).sum() + (rows[0] * rows[2]).sum() + c.exp().sum()
        loss = loss + x.diagonal().sum() * 3 + x.narrow(0, 1, 2).select(1, 0).sum()
        loss.backward()
        seen.append(x.grad.numpy().copy())
    np.testing.assert_allclose(seen[0], seen[1], rtol=1e-12)


ERRORS = {
    "split size 0": lambda T: x25(T).split(0, 1),
    "split negative": lambda T: x25(T).split(-1, 1),
    "split dim": lambda T: x25(T).split(2, 2),
    "split sizes sum": lambda T: x25(T).split([2, 2], 1),
    "split sizes sum, negative dim": lambda T: x25(T).split([0, 6], -1),
    "split sizes negative": lambda T: x25(T).split([2, -1, 4], 1),
    "split float": lambda T: x25(T).split(2.0, 1),
    "split 1-d tensor": lambda T: x25(T).split(T.tensor([2, 3]), 1),
    "torch.split of a list": lambda T: T.split([1, 2], 1),
    "torch.chunk of a list": lambda T: T.chunk([1, 2], 1),
    "split 0-d": lambda T: T.tensor(1.0).split(1),
    "split sizes 0-d": lambda T: T.tensor(1.0).split([1]),
    "chunk 0": lambda T: x25(T).chunk(0, 1),
    "chunk -1": lambda T: x25(T).chunk(-1, 1),
    "chunk dim": lambda T: x25(T).chunk(2, 5),
    "chunk float": lambda T: x25(T).chunk(2.0, 1),
    "chunk 0-d": lambda T: T.tensor(1.0).chunk(1),
    "unbind dim": lambda T: x25(T).unbind(2),
    "unbind 0-d": lambda T: T.tensor(1.0).unbind(),
    "narrow too long": lambda T: x25(T).narrow(1, 4, 2),
    "narrow start high": lambda T: x25(T).narrow(1, 6, 0),
    "narrow start low": lambda T: x25(T).narrow(1, -6, 0),
    "narrow length": lambda T: x25(T).narrow(1, 1, -1),
    "narrow dim": lambda T: x25(T).narrow(3, 1, 1),
    "narrow 0-d": lambda T: T.tensor(1.0).narrow(0, 0, 1),
    "narrow float start": lambda T: x25(T).narrow(1, 1.0, 1),
    "narrow 1-d start": lambda T: x25(T).narrow(1, T.tensor([1]), 2),
    "narrow float tensor start": lambda T: x25(T).narrow(1, T.tensor(1.0), 2),
    "select high": lambda T: x25(T).select(1, 5),
    "select low": lambda T: x25(T).select(1, -6),
    "select dim": lambda T: x25(T).select(-3, 0),
    "select float": lambda T: x25(T).select(1, 1.0),
    "select 0-d": lambda T: T.tensor(1.0).select(0, 0),
    "movedim lengths": lambda T: x234(T).movedim((0, 1), (2,)),
    "movedim repeated source": lambda T: x234(T).movedim((0, -3), (1, 2)),
    "movedim repeated destination": lambda T: x234(T).movedim((0, 1), (2, 2)),
    "movedim source range": lambda T: x234(T).movedim(3, 0),
    "movedim destination range": lambda T: x234(T).movedim(0, -4),
    "diagonal same dims": lambda T: x234(T).diagonal(0, 1, 1),
    "diagonal same dims wrapped": lambda T: x234(T).diagonal(0, -2, 1),
    "diagonal dim range": lambda T: x234(T).diagonal(0, 1, 3),
    "diagonal 1-d": lambda T: T.arange(5.0).diagonal(),
    "diagonal float offset": lambda T: x234(T).diagonal(1.0),
}


@pytest.mark.parametrize("name", ERRORS)
def test_argument_errors_as_torch(torch, name):
    assert error_of(course_lib, ERRORS[name]) == error_of(torch, ERRORS[name])


MOVEDIM_TYPES = {
    "int, tuple": lambda T: x234(T).movedim(0, (1,)),
    "tuple, int": lambda T: x234(T).moveaxis((0,), 1),
    "int, list": lambda T: T.movedim(x234(T), 0, [1]),
    "list, int": lambda T: T.moveaxis(x234(T), [0, 1], 2),
    "int, float": lambda T: x234(T).movedim(0, 1.0),
    "str, int": lambda T: T.movedim(x234(T), "a", 1),
    "tuples, one of floats": lambda T: x234(T).movedim((0,), (1.0,)),
    "int, pair": lambda T: x234(T).movedim(0, (1, 2)),
}


@pytest.mark.parametrize("name", MOVEDIM_TYPES)
def test_movedim_argument_types_as_torch(torch, name):
    assert error_of(course_lib, MOVEDIM_TYPES[name]) == error_of(torch, MOVEDIM_TYPES[name])


# -- in place on the outputs of split / chunk / unbind ---------------------------------------

MULTI = {
    "split": lambda x: x.split(2),
    "split list": lambda x: x.split([1, 3]),
    "chunk": lambda x: x.chunk(3),
    "chunk one piece": lambda x: x.chunk(1),
    "unbind": lambda x: x.unbind(),
    "unbind 1": lambda x: x.unbind(1),
}
IN_PLACE = {
    "mul_": lambda o: o.mul_(3),
    "zero_": lambda o: o.zero_(),
    "unsqueeze_": lambda o: o.unsqueeze_(0),
    "setitem": lambda o: o.__setitem__(0, 5.0),
    "view then mul_": lambda o: o.view(-1).mul_(2),
}


def leaf(T, views, op):
    x = T.ones(4, 2, requires_grad=True)
    outs = views(x)
    op(outs[-1])
    return x, outs[-1]


def non_leaf(T, views, op):
    x = T.ones(4, 2, requires_grad=True) * 2
    outs = views(x)
    op(outs[-1])
    return x, outs[-1]


def no_grad(T, views, op):
    x = T.ones(4, 2, requires_grad=True)
    with T.no_grad():
        outs = views(x)
        op(outs[-1])
    return x, outs[-1]


def made_in_no_grad(T, views, op):
    x = T.ones(4, 2, requires_grad=True)
    with T.no_grad():
        outs = views(x)
    op(outs[-1])
    return x, outs[-1]


def nothing_requires_grad(T, views, op):
    x = T.ones(4, 2)
    outs = views(x)
    op(outs[-1])
    return x, outs[-1]


def base_changed(T, views, op):
    x = T.ones(4, 2, requires_grad=True) * 2
    outs = views(x)
    x.mul_(3)
    return outs[-1].sum()


def base_changed_under_no_grad(T, views, op):
    x = T.ones(4, 2, requires_grad=True) * 2
    outs = views(x)
    x.mul_(3)
    with T.no_grad():
        return outs[-1].sum(), repr(outs[-1])


def written_under_no_grad_then_used(T, views, op):
    x = T.ones(4, 2, requires_grad=True)
    outs = views(x)
    with T.no_grad():
        op(outs[-1])
    return outs[-1].sum()


def written_with_a_grad_operand(T, views, op):
    x = T.ones(4, 2)
    outs = views(x)
    outs[-1].mul_(T.ones(outs[-1].shape, requires_grad=True))


SCENARIOS = [
    leaf,
    non_leaf,
    no_grad,
    made_in_no_grad,
    nothing_requires_grad,
    base_changed,
    base_changed_under_no_grad,
    written_under_no_grad_then_used,
    written_with_a_grad_operand,
]


def outcome(T, fn):
    try:
        out = fn(T)
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared
        return type(e).__name__, str(e)
    outs = out if isinstance(out, tuple) else (out,)
    return [
        (o.tolist(), repr(o), o.requires_grad, o._version) if hasattr(o, "shape") else o
        for o in outs
    ]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
@pytest.mark.parametrize("op", IN_PLACE)
@pytest.mark.parametrize("views", MULTI)
def test_in_place_on_a_multi_output_view_as_torch(torch, views, op, scenario):
    def fn(T):
        return scenario(T, MULTI[views], IN_PLACE[op])

    assert outcome(course_lib, fn) == outcome(torch, fn)


def test_the_multi_output_message_names_the_output_and_the_op(torch):
    x = course_lib.ones(4, 2, requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        x.split(1)[2].mul_(2)
    assert str(info.value).startswith("Output 2 of Split is a view and is being modified inplace.")
    assert error_of(course_lib, lambda T: T.ones(4, requires_grad=True).split(1)[2].mul_(2)) == (
        error_of(torch, lambda T: T.ones(4, requires_grad=True).split(1)[2].mul_(2))
    )


def test_single_output_views_stay_writable_in_grad_mode(torch):
    seen = []
    for T in both(torch):
        x = T.ones(3, 3, requires_grad=True)
        y = x * 2
        y.narrow(0, 0, 1).mul_(5)
        y.diagonal().add_(1)
        y.select(1, 2).zero_()
        y.sum().backward()
        seen.append((y.tolist(), grad_name(y.grad_fn).rsplit("::", 1)[-1], x.grad.tolist()))
    assert seen[0] == seen[1]


# -- properties over random shapes (NumPy as the reference) --------------------------------------


@st.composite
def shaped(draw):
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=1, max_size=4)))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape), dim


@settings(max_examples=60, deadline=None)
@given(shaped(), st.integers(1, 5))
def test_pieces_put_back_together_give_the_input(case, k):
    a, dim = case
    x = course_lib.tensor(a)
    pieces = x.split(k, dim)
    np.testing.assert_array_equal(course_lib.cat(pieces, dim).numpy(), a)
    assert all(np.shares_memory(p.numpy(), x.numpy()) for p in pieces if p.numel())
    chunks = x.chunk(k, dim)
    assert len(chunks) == k if a.shape[dim] == 0 else len(chunks) <= k
    np.testing.assert_array_equal(course_lib.cat(chunks, dim).numpy(), a)
    if a.shape[dim]:
        np.testing.assert_array_equal(course_lib.stack(x.unbind(dim), dim).numpy(), a)


@settings(max_examples=60, deadline=None)
@given(shaped(), st.integers(-4, 4), st.data())
def test_diagonal_and_movedim_match_numpy(case, offset, data):
    a, dim = case
    x = course_lib.tensor(a)
    other = data.draw(st.integers(-a.ndim, a.ndim - 1))
    np.testing.assert_array_equal(x.movedim(dim, other).numpy(), np.moveaxis(a, dim, other))
    if dim % a.ndim != other % a.ndim:
        d = x.diagonal(offset, dim, other)
        np.testing.assert_array_equal(d.numpy(), np.diagonal(a, offset, dim, other))
        d.fill_(-1)  # a view: the diagonal of the input changes
        assert (np.diagonal(x.numpy(), offset, dim, other) == -1).all()
