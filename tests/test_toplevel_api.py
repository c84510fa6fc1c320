"""torch's top-level names: course_lib has those of every op it has elsewhere, with torch's
signatures, values and argument errors (parity with torch 2.13); torch.where's one-argument form
and its overload errors; torch.return_types.
"""

import inspect
import pickle

import numpy as np
import pytest

import course_lib

# torch names course_lib leaves out on purpose, with the reason
LEFT_OUT = {
    "embedding_bag": "torch.embedding_bag is the kernel: it returns its four internal tensors "
    "(output, offset2bag, bag_size, max_indices); F.embedding_bag is the learner's function",
}


def test_every_op_course_lib_has_is_also_at_the_top_level_where_torch_has_it(torch):
    """A name torch has at the top level, that course_lib has as a Tensor method or in
    nn.functional, is at course_lib's top level too."""
    missing = []
    for name in dir(torch):
        if name.startswith("_") or name in LEFT_OUT or hasattr(course_lib, name):
            continue
        if inspect.ismodule(getattr(torch, name)):  # torch.cpu, F's math and warnings
            continue
        if hasattr(course_lib.Tensor, name) or hasattr(course_lib.nn.functional, name):
            missing.append(name)
    assert missing == []


def test_the_names_left_out_are_still_torchs(torch):
    assert all(hasattr(torch, name) for name in LEFT_OUT)
    assert not any(hasattr(course_lib, name) for name in LEFT_OUT)


def test_sparse_embedding_gradients_are_not_modelled():
    with pytest.raises(NotImplementedError, match="sparse"):
        course_lib.embedding(course_lib.ones(3, 2), course_lib.tensor([0, 2]), sparse=True)


def test_new_top_level_names_are_exported_as_torch_exports_them(torch):
    for name in ("dropout", "selu_", "embedding", "layer_norm", "unflatten", "return_types"):
        assert (name in course_lib.__all__) == (name in torch.__all__)


def _plain(x):
    """Tensors as (dtype, shape, values, requires_grad, grad_fn name)."""
    if isinstance(x, (tuple, list)):
        return [type(x).__name__, [_plain(v) for v in x]]
    if hasattr(x, "grad_fn") and hasattr(x, "shape"):
        fn = x.grad_fn
        values = np.round(x.detach().numpy().astype(np.float64), 5)
        return (
            str(x.dtype),
            tuple(x.shape),
            np.where(np.isnan(values), -999.0, values).tolist(),
            x.requires_grad,
            None if fn is None else fn.name(),
        )
    return x


def outcome(T, program):
    """Run `program(T)` after seeding: its result, or the exception's type and message."""
    T.manual_seed(0)
    try:
        return ("ok", _plain(program(T)))
    except Exception as e:  # the parity is in the exception too
        return (type(e).__name__, str(e))


def _x(T):
    return T.tensor([[-1.5, 0.0, 2.0], [0.5, -0.25, 3.0]])


def _grad_of(T, fn):
    x = _x(T).requires_grad_()
    fn(x).sum().backward()
    return x.grad


def _in_place(T, fn):
    x = _x(T)
    out = fn(x)
    return [out is x, x]


W = lambda T: T.tensor([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])  # noqa: E731
I = lambda T: T.tensor([[2, 0], [1, 2]])  # noqa: E731

PROGRAMS = {
    # dropout / dropout_: three required positional arguments, the kernel's checks
    "dropout train": lambda T: T.dropout(T.ones(4, 5), 0.5, True),
    "dropout eval": lambda T: T.dropout(_x(T), 0.5, False),
    "dropout keywords": lambda T: T.dropout(input=_x(T), p=0.2, train=True),
    "dropout grad": lambda T: _grad_of(T, lambda x: T.dropout(x, 0.5, True)),
    "dropout p tensor": lambda T: T.dropout(_x(T), T.tensor(0.5), False),
    "dropout p int": lambda T: T.dropout(_x(T), 1, True),
    "dropout p out of range": lambda T: T.dropout(_x(T), 2.0, True),
    "dropout p negative": lambda T: T.dropout(_x(T), -0.5, False),
    "dropout p str": lambda T: T.dropout(_x(T), "a", True),
    "dropout train int": lambda T: T.dropout(_x(T), 0.5, 1),
    "dropout train missing": lambda T: T.dropout(_x(T), 0.5),
    "dropout no arguments": lambda T: T.dropout(),
    "dropout four arguments": lambda T: T.dropout(_x(T), 0.5, True, 1),
    "dropout unknown keyword": lambda T: T.dropout(_x(T), 0.5, True, foo=1),
    "dropout p twice": lambda T: T.dropout(_x(T), 0.5, True, p=0.5),
    "dropout input int": lambda T: T.dropout(1, 0.5, True),
    "dropout_ train": lambda T: _in_place(T, lambda x: T.dropout_(x, 0.5, True)),
    "dropout_ eval": lambda T: _in_place(T, lambda x: T.dropout_(x, 0.5, False)),
    "dropout_ leaf": lambda T: T.dropout_(T.ones(2, requires_grad=True), 0.5, True),
    # selu / selu_
    "selu": lambda T: T.selu(_x(T)),
    "selu grad": lambda T: _grad_of(T, T.selu),
    "selu_": lambda T: _in_place(T, T.selu_),
    "selu int": lambda T: T.selu(T.tensor([1, 2])),
    "selu inplace keyword": lambda T: T.selu(_x(T), inplace=True),
    "selu two arguments": lambda T: T.selu(_x(T), True),
    "selu_ missing": lambda T: T.selu_(),
    # binary_cross_entropy_with_logits: reduction is an int
    "bce logits mean": lambda T: T.binary_cross_entropy_with_logits(_x(T), _x(T).sigmoid()),
    "bce logits none": lambda T: T.binary_cross_entropy_with_logits(
        _x(T), _x(T).sigmoid(), None, None, 0
    ),
    "bce logits sum": lambda T: T.binary_cross_entropy_with_logits(
        _x(T), _x(T).sigmoid(), reduction=2
    ),
    "bce logits other reduction": lambda T: T.binary_cross_entropy_with_logits(
        _x(T), _x(T).sigmoid(), reduction=5
    ),
    "bce logits weights": lambda T: T.binary_cross_entropy_with_logits(
        _x(T), T.ones(2, 3) * 0.5, T.tensor([1.0, 2.0, 0.5]), T.tensor([3.0, 1.0, 2.0])
    ),
    "bce logits grad": lambda T: _grad_of(
        T, lambda x: T.binary_cross_entropy_with_logits(x, T.ones(2, 3), reduction=0)
    ),
    "bce logits reduction str": lambda T: T.binary_cross_entropy_with_logits(
        _x(T), _x(T), reduction="mean"
    ),
    "bce logits mean by number": lambda T: T.binary_cross_entropy_with_logits(
        _x(T), _x(T).sigmoid(), reduction=1
    ),
    "bce logits six arguments": lambda T: T.binary_cross_entropy_with_logits(
        _x(T), _x(T), None, None, 1, 2
    ),
    "layer_norm seven arguments": lambda T: T.layer_norm(_x(T), [3], None, None, 1e-5, True, 1),
    "bce logits missing target": lambda T: T.binary_cross_entropy_with_logits(_x(T)),
    # embedding: weight first, padding_idx an int (-1: none)
    "embedding": lambda T: T.embedding(W(T), I(T)),
    "embedding keywords": lambda T: T.embedding(weight=W(T), indices=I(T)),
    "embedding padding grad": lambda T: (
        lambda w: (T.embedding(w, I(T), 2).sum().backward(), w.grad)[1]
    )(W(T).requires_grad_()),
    "embedding padding -1 grad": lambda T: (
        lambda w: (T.embedding(w, I(T), -1).sum().backward(), w.grad)[1]
    )(W(T).requires_grad_()),
    "embedding padding -2 grad": lambda T: (
        lambda w: (T.embedding(w, I(T), -2).sum().backward(), w.grad)[1]
    )(W(T).requires_grad_()),
    "embedding padding out of range": lambda T: T.embedding(W(T), I(T), 7),
    "embedding scale_grad_by_freq": lambda T: (
        lambda w: (T.embedding(w, I(T), -1, True).sum().backward(), w.grad)[1]
    )(W(T).requires_grad_()),
    "embedding grad_fn": lambda T: T.embedding(W(T).requires_grad_(), I(T)),
    "embedding padding float": lambda T: T.embedding(W(T), I(T), 1.0),
    "embedding padding None": lambda T: T.embedding(W(T), I(T), None),
    "embedding index out of range": lambda T: T.embedding(W(T), T.tensor([0, 3])),
    "embedding float indices": lambda T: T.embedding(W(T), T.tensor([0.0, 1.0])),
    # layer_norm
    "layer_norm": lambda T: T.layer_norm(_x(T), [3]),
    "layer_norm all": lambda T: T.layer_norm(
        _x(T), (3,), T.tensor([1.0, 2.0, 3.0]), T.tensor([0.0, 1.0, 0.0]), 1e-3, False
    ),
    "layer_norm Size": lambda T: T.layer_norm(_x(T), _x(T).shape),
    "layer_norm grad": lambda T: _grad_of(T, lambda x: T.layer_norm(x, [3]) * T.arange(3.0)),
    "layer_norm int shape": lambda T: T.layer_norm(_x(T), 3),
    "layer_norm float shape": lambda T: T.layer_norm(_x(T), [3.0]),
    "layer_norm eps str": lambda T: T.layer_norm(_x(T), [3], eps="a"),
    "layer_norm wrong shape": lambda T: T.layer_norm(_x(T), [2]),
    # unflatten
    "unflatten": lambda T: T.unflatten(T.arange(12).reshape(2, 6), 1, (2, 3)),
    "unflatten -1": lambda T: T.unflatten(T.arange(12).reshape(2, 6), -1, [3, -1]),
    "unflatten int sizes": lambda T: T.unflatten(T.arange(12).reshape(2, 6), 1, 6),
    "unflatten dim str": lambda T: T.unflatten(T.arange(6), "a", (2, 3)),
    "unflatten bad product": lambda T: T.unflatten(T.arange(6), 0, (4, 2)),
    "unflatten missing": lambda T: T.unflatten(T.arange(6)),
    # clamp_, fill_, zero_, detach_
    "clamp_": lambda T: _in_place(T, lambda x: T.clamp_(x, -1, 1)),
    "clamp_ max only": lambda T: _in_place(T, lambda x: T.clamp_(x, max=0.5)),
    "clamp_ tensors": lambda T: _in_place(T, lambda x: T.clamp_(x, T.zeros(3), T.ones(3))),
    "clamp_ neither": lambda T: T.clamp_(_x(T)),
    "clamp_ str": lambda T: T.clamp_(_x(T), "a", "b"),
    "clamp_ one str": lambda T: T.clamp_(_x(T), "a"),
    "clamp_ 0-d tensor as number": lambda T: _in_place(T, lambda x: T.clamp_(x, 0, T.tensor(1.0))),
    "clamp_ 0-d tensor that requires grad": lambda T: T.clamp_(
        _x(T), 0, T.tensor(1.0, requires_grad=True)
    ),
    "clamp_ 1-d tensor with a number": lambda T: T.clamp_(_x(T), 0, T.ones(3)),
    "clamp_ None and str": lambda T: T.clamp_(_x(T), None, "a"),
    "clamp_ tensor and str": lambda T: T.clamp_(_x(T), T.tensor(0.0), "a"),
    "clamp_ four arguments": lambda T: T.clamp_(_x(T), 0.5, None, 1),
    "clamp_ min str": lambda T: T.clamp_(_x(T), min="a"),
    "fill_ 0-d tensor that requires grad": lambda T: T.fill_(
        _x(T), T.tensor(1.0, requires_grad=True)
    ),
    "fill_ 1-d tensor": lambda T: T.fill_(_x(T), T.ones(2)),
    "where number and 0-d tensor": lambda T: T.where(T.tensor([True, False]), 1, T.tensor(2.0)),
    "where 0-d tensor and str": lambda T: T.where(T.tensor([True]), T.tensor(1.0), "a"),
    "fill_": lambda T: _in_place(T, lambda x: T.fill_(x, 2)),
    "fill_ tensor": lambda T: _in_place(T, lambda x: T.fill_(x, T.tensor(3.0))),
    "fill_ str": lambda T: T.fill_(_x(T), "a"),
    "fill_ missing": lambda T: T.fill_(_x(T)),
    "zero_": lambda T: _in_place(T, T.zero_),
    "zero_ two arguments": lambda T: T.zero_(_x(T), 1),
    "detach_": lambda T: (lambda y: (T.detach_(y), y.requires_grad, y.grad_fn))(
        _x(T).requires_grad_() * 2
    )[1:],
    "detach_ int": lambda T: T.detach_(1),
    # torch.where(condition): nonzero(condition, as_tuple=True)
    "where one argument": lambda T: T.where(T.tensor([[True, False], [False, True]])),
    "where one float argument": lambda T: T.where(T.tensor([[0.0, 2.0], [3.0, float("nan")]])),
    "where one 0-d argument": lambda T: T.where(T.tensor(0.0)),
    "where condition keyword": lambda T: T.where(condition=T.tensor([1, 0, 2])),
    "where one int": lambda T: T.where(1),
    "where condition=int": lambda T: T.where(condition=1),
    "where two arguments": lambda T: T.where(T.tensor([True]), T.ones(1)),
    "where no arguments": lambda T: T.where(),
    "where str": lambda T: T.where(T.tensor([True]), T.ones(1), "a"),
    "where list": lambda T: T.where(T.tensor([True]), T.ones(1), other=[1.0]),
    "where int condition": lambda T: T.where(1, T.ones(1), T.ones(1)),
    "where wrong keyword": lambda T: T.where(T.tensor([True]), T.ones(1), y=0.0),
    "where input keyword with self": lambda T: T.where(
        T.tensor([True]), input=T.ones(1), other="a"
    ),
    "where four arguments": lambda T: T.where(T.tensor([True]), T.ones(1), T.ones(1), T.ones(1)),
    "where out str": lambda T: T.where(T.tensor([True]), T.ones(1), T.ones(1), out="a"),
    "where out with a number": lambda T: T.where(T.tensor([True]), T.ones(1), 1.5, out=T.empty(1)),
    "where unknown keyword": lambda T: T.where(T.tensor([True]), foo=1),
    "where self keyword": lambda T: T.where(T.tensor([True, False]), self=1, other=T.zeros(2)),
    "where two numbers": lambda T: T.where(T.tensor([True, False]), 1, 2.5),
    "where keywords": lambda T: T.where(T.tensor([True, False]), input=T.ones(2), other=0.0),
    "Tensor.where other keyword": lambda T: T.ones(2).where(T.tensor([True, False]), other=0.0),
    "Tensor.where y keyword": lambda T: T.ones(2).where(condition=T.tensor([True]), y=0.0),
    "Tensor.where one argument": lambda T: T.ones(2).where(T.tensor([True, False])),
    "Tensor.where three arguments": lambda T: T.ones(2).where(T.tensor([True]), 1, 2),
    "Tensor.where list": lambda T: T.ones(2).where(T.tensor([True]), [1]),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_top_level_function_matches_torch(torch, name):
    program = PROGRAMS[name]
    assert outcome(course_lib, program) == outcome(torch, program)


RETURN_TYPES = {
    "max": lambda T: T.tensor([[1.0, 3.0], [2.0, 0.0]]).max(1),
    "min": lambda T: T.tensor([[1.0, 3.0], [2.0, 0.0]]).min(1),
    "sort": lambda T: T.tensor([3.0, 1.0, 2.0]).sort(),
    "topk": lambda T: T.tensor([3.0, 1.0, 2.0]).topk(2),
    "kthvalue": lambda T: T.tensor([3.0, 1.0, 2.0]).kthvalue(2),
    "median": lambda T: T.tensor([[3.0, 1.0, 2.0]]).median(1),
    "cummax": lambda T: T.tensor([1.0, 3.0, 2.0]).cummax(0),
    "cummin": lambda T: T.tensor([1.0, 3.0, 2.0]).cummin(0),
}


@pytest.mark.parametrize("name", list(RETURN_TYPES))
def test_return_types_name_the_result_classes(torch, name):
    ours, theirs = RETURN_TYPES[name](course_lib), RETURN_TYPES[name](torch)
    assert type(ours) is getattr(course_lib.return_types, name)
    assert type(theirs) is getattr(torch.return_types, name)
    assert repr(ours) == repr(theirs)
    assert isinstance(ours, tuple) and ours._fields == ("values", "indices")
    again = pickle.loads(pickle.dumps(ours))
    assert type(again) is type(ours) and again.values.tolist() == ours.values.tolist()


def test_return_types_has_every_result_type_of_an_op_course_lib_has(torch):
    names = [
        n
        for n in dir(torch.return_types)
        if isinstance(getattr(torch.return_types, n), type) and not n.endswith("_out")
    ]
    missing = [
        n for n in names if hasattr(course_lib, n) and not hasattr(course_lib.return_types, n)
    ]
    assert missing == []
