"""torch.add/sub (with alpha), torch.mul, torch.div (with rounding_mode), square, swapaxes and
swapdims, Tensor.type_as: forward, dtype, grad_fn and gradients as torch 2.13 gives them, a
float64 gradient check, and torch's errors."""

import numpy as np
import pytest
from gradcheck import gradcheck
from parity import error_of

import course_lib as cl


def _inputs(T):
    x = T.tensor([[3.0, -1.5], [0.5, 2.0]], requires_grad=True)
    y = T.tensor([2.0, -0.5], requires_grad=True)
    return x, y


def _seen(T, fn):
    """What a learner sees: the result's values, dtype, grad_fn, and the inputs' gradients."""
    x, y = _inputs(T)
    out = fn(T, x, y)
    grad_fn = None if out.grad_fn is None else out.grad_fn.name()
    grads = None
    if out.requires_grad:
        out.sum().backward()
        grads = [None if t.grad is None else t.grad.tolist() for t in (x, y)]
    return out.tolist(), str(out.dtype), grad_fn, grads


CASES = {
    "torch.add": lambda T, x, y: T.add(x, y),
    "torch.add alpha": lambda T, x, y: T.add(x, y, alpha=2),
    "torch.add number alpha": lambda T, x, y: T.add(x, 1.5, alpha=-3),
    "torch.add number first": lambda T, x, y: T.add(2, y, alpha=0.5),
    "Tensor.add alpha": lambda T, x, y: x.add(y, alpha=-0.5),
    "torch.sub": lambda T, x, y: T.sub(x, y),
    "torch.sub alpha": lambda T, x, y: T.sub(x, y, alpha=3),
    "torch.sub number first": lambda T, x, y: T.sub(2, y),
    "torch.sub number first alpha": lambda T, x, y: T.sub(2, y, alpha=2),
    "torch.add number first, no alpha": lambda T, x, y: T.add(2, y),
    "Tensor.sub alpha": lambda T, x, y: x.sub(y, alpha=0.25),
    "torch.mul": lambda T, x, y: T.mul(x, y),
    "torch.mul number": lambda T, x, y: T.mul(x, -2),
    "torch.mul number first": lambda T, x, y: T.mul(3, y),
    "torch.div": lambda T, x, y: T.div(x, y),
    "torch.div number first": lambda T, x, y: T.div(1, y),
    "torch.div rounding None": lambda T, x, y: T.div(x, y, rounding_mode=None),
    "torch.div trunc": lambda T, x, y: T.div(x, y, rounding_mode="trunc"),
    "torch.div floor": lambda T, x, y: T.div(x, y, rounding_mode="floor"),
    "Tensor.div trunc number": lambda T, x, y: x.div(2, rounding_mode="trunc"),
    "torch.div number first trunc": lambda T, x, y: T.div(2, y, rounding_mode="trunc"),
    "torch.div number first floor": lambda T, x, y: T.div(-3, y, rounding_mode="floor"),
    "Tensor.div floor number": lambda T, x, y: y.div(-0.75, rounding_mode="floor"),
    "int div trunc": lambda T, x, y: T.div(T.tensor([7, -7, 6]), T.tensor([2, 2, -4]), rounding_mode="trunc"),
    "int div floor": lambda T, x, y: T.div(T.tensor([7, -7, 6]), T.tensor([2, 2, -4]), rounding_mode="floor"),
    "int div": lambda T, x, y: T.div(T.tensor([7, -7]), 2),
    "int add alpha": lambda T, x, y: T.add(T.tensor([1, 2]), T.tensor([3, 4]), alpha=-2),
    "bool add alpha": lambda T, x, y: T.add(T.tensor([True, False]), T.tensor([True, False]), alpha=2),
    "torch.square": lambda T, x, y: T.square(x),
    "Tensor.square": lambda T, x, y: y.square(),
    "square int": lambda T, x, y: T.tensor([-3, 2]).square(),
    "square bool": lambda T, x, y: T.tensor([True, False]).square(),
    "square float64": lambda T, x, y: T.tensor([1.5], dtype=T.float64).square(),
    "Tensor.swapaxes": lambda T, x, y: x.swapaxes(0, 1),
    "swapaxes of 0-d": lambda T, x, y: x.sum().swapaxes(0, -1),
    "bool add alpha -1": lambda T, x, y: T.tensor([True, False]).add(T.tensor([True, True]), alpha=-1),
    "bool sub number alpha": lambda T, x, y: T.add(T.tensor([False, False]), True, alpha=0),
    "torch.swapaxes": lambda T, x, y: T.swapaxes(x.unsqueeze(0), 0, -1),
    "Tensor.swapdims": lambda T, x, y: x.swapdims(dim0=1, dim1=0),
    "torch.swapdims": lambda T, x, y: T.swapdims(x, 0, 1),
    "type_as int": lambda T, x, y: x.type_as(T.tensor([1])),
    "type_as float64": lambda T, x, y: x.type_as(T.ones(1, dtype=T.float64)),
    "type_as same": lambda T, x, y: x.type_as(y),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_matches_torch(torch, name):
    assert _seen(cl, CASES[name]) == _seen(torch, CASES[name])


def test_type_as_same_dtype_is_the_tensor_itself():
    x = cl.ones(2)
    assert x.type_as(cl.zeros(1)) is x


GRADCHECKED = {
    "add alpha": lambda x, y: cl.add(x, y, alpha=-1.5),
    "sub alpha": lambda x, y: cl.sub(x, y, alpha=2.5),
    "mul": lambda x, y: cl.mul(x, y),
    "div": lambda x, y: cl.div(x, y),
    "square": lambda x, y: cl.square(x) + y.square(),
    "swapaxes": lambda x, y: x.swapaxes(0, 1) * y.unsqueeze(1),
}


@pytest.mark.parametrize("name", list(GRADCHECKED))
def test_gradcheck(name):
    rng = np.random.default_rng(1)
    x = rng.uniform(0.5, 2.0, (3, 2))
    y = rng.uniform(0.5, 2.0, (2,))
    gradcheck(GRADCHECKED[name], x, y)


ERRORS = {
    "int alpha float": lambda T: T.add(T.tensor([1]), T.tensor([2]), alpha=0.5),
    "int alpha 1.0": lambda T: T.sub(T.tensor([1]), 1, alpha=1.0),
    "bool alpha on floats": lambda T: T.ones(2).add(T.ones(2), alpha=True),
    "bool sub": lambda T: T.sub(T.tensor([True]), T.tensor([True])),
    "bool sub alpha": lambda T: T.sub(T.tensor([True]), T.tensor([True]), alpha=2),
    "mul by a string": lambda T: T.mul(T.ones(2), "a"),
    "add a string first": lambda T: T.add("a", T.ones(2)),
    "div rounding round": lambda T: T.div(T.ones(2), 2, rounding_mode="round"),
    "int div trunc by zero": lambda T: T.div(T.tensor([1]), T.tensor([0]), rounding_mode="trunc"),
    "bool number first div trunc by 0": lambda T: T.div(True, T.tensor(0), rounding_mode="trunc"),
    "bool div floor": lambda T: T.div(T.tensor([True]), T.tensor([True]), rounding_mode="floor"),
    "swapaxes out of range": lambda T: T.ones(2, 3).swapaxes(0, 2),
    "type_as a number": lambda T: T.ones(2).type_as(2.0),
    "square of a list": lambda T: T.square([1.0]),
    "add alpha positional": lambda T: T.add(T.ones(2), T.ones(2), 2),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_like_torch(torch, name):
    assert error_of(cl, ERRORS[name]) == error_of(torch, ERRORS[name])


def test_out_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="no out= argument"):
        cl.add(cl.ones(2), cl.ones(2), out=cl.empty(2))
