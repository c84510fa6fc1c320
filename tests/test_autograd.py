"""Autograd semantics: accumulation, leaves, detach/data, no_grad, retain_grad, requires_grad_,
backward(gradient=...), deep graphs, and the internal contract for writing an op."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
from gradcheck import gradcheck

import course_lib as cl
from course_lib._ops._common import _result, unbroadcast
from course_lib.tensor import Tensor


def test_grad_accumulates_across_backward_calls():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):
        (x * x).sum().backward()  # a new graph each time
    assert x.grad.tolist() == [6.0, 12.0]  # 3 * 2x


def test_retain_graph_backward_twice_accumulates():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    loss = (x**3).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    assert x.grad.tolist() == [6.0, 24.0]  # 2 * 3x^2


def test_zeroing_grad_in_place_restarts_accumulation():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    g = x.grad
    x.grad.zero_()
    (x * 2).sum().backward()
    assert x.grad is g and x.grad.tolist() == [2.0, 2.0]
    x.grad = None
    (x * 5).sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]


def _memory_story(T) -> list:
    """What a held `.grad` sees, and whether two leaves' gradients share memory, in library T."""
    w = T.ones(3, requires_grad=True)
    (w * 2).sum().backward()
    held = w.grad.numpy()  # the array behind .grad, taken before the next backward
    (w * 3).sum().backward()
    a, b = T.ones(2, requires_grad=True), T.ones(2, requires_grad=True)
    (a + b).sum().backward()  # one gradient array reaches both leaves
    a.grad.numpy()[0] = 5.0
    return [held.tolist(), w.grad.tolist(), b.grad.tolist()]


def test_grad_memory_matches_torch(torch):
    assert _memory_story(cl) == _memory_story(torch)


def test_grads_add_in_place_and_two_leaves_never_share_one():
    assert _memory_story(cl) == [[5.0, 5.0, 5.0], [5.0, 5.0, 5.0], [1.0, 1.0]]


@pytest.mark.parametrize("route", ["leaf", "view", "view of a view", "reshape of a product"])
def test_grad_never_shares_memory_with_the_gradient_passed_to_backward(route):
    upstream = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    x = cl.zeros(3, requires_grad=True)
    out = {
        "leaf": lambda: x,
        "view": lambda: x.view(3),
        "view of a view": lambda: x.view(1, 3).view(3),
        "reshape of a product": lambda: (x.view(1, 3) * 1).reshape(3),
    }[route]()
    out.backward(cl.from_numpy(upstream))
    assert not np.shares_memory(x.grad.numpy(), upstream)
    x.grad.numpy()[0] = 9.0  # writing into .grad leaves the caller's array alone
    assert upstream.tolist() == [1.0, 2.0, 3.0]


def test_a_tensor_used_twice_gets_the_sum_of_both_gradients():
    x = cl.tensor([1.0, -2.0], requires_grad=True)
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, -4.0]
    x.grad = None
    a = x * 3
    (a + a.exp() + x).sum().backward()  # x reaches the loss along three paths
    np.testing.assert_allclose(x.grad.numpy(), 3 + 3 * np.exp([3.0, -6.0]) + 1)


def test_grad_is_a_plain_tensor_of_the_input_shape_and_dtype():
    x = cl.ones(2, 3, dtype=cl.float64, requires_grad=True)
    (x * 2).sum().backward()
    assert isinstance(x.grad, Tensor)
    assert x.grad.shape == (2, 3) and x.grad.dtype == cl.float64
    assert not x.grad.requires_grad and x.grad.grad_fn is None


def test_only_tensors_that_require_grad_get_a_gradient():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    w = cl.tensor([3.0, 4.0])
    (x * w).sum().backward()
    assert x.grad.tolist() == [3.0, 4.0]
    assert w.grad is None


# ----------------------------------------------------------------------------------------------
# Leaves, detach, data
# ----------------------------------------------------------------------------------------------


def test_is_leaf_rules():
    a = cl.ones(2)
    w = cl.ones(2, requires_grad=True)
    assert a.is_leaf and w.is_leaf
    assert (a * 2).is_leaf  # no input requires grad: nothing recorded
    y = w * 2
    assert not y.is_leaf and y.requires_grad and y.grad_fn.name() == "MulBackward0"
    with cl.no_grad():
        z = w * 2
    assert z.is_leaf and not z.requires_grad and z.grad_fn is None
    assert w.detach().is_leaf and y.detach().is_leaf


def test_detach_shares_memory_and_cuts_the_graph():
    w = cl.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * 2
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None
    d[0] = 100.0  # same memory as y
    assert y.tolist()[0] == 100.0
    (d * w).sum().backward()  # d is a constant: gradient d, nothing flows through y
    assert w.grad.tolist() == [100.0, 4.0, 6.0]


def test_data_shares_memory_and_cuts_the_graph():
    w = cl.tensor([1.0, 2.0], requires_grad=True)
    d = w.data
    assert not d.requires_grad and d.is_leaf
    d.mul_(10)  # allowed on .data although w is a leaf that requires grad
    assert w.tolist() == [10.0, 20.0] and w.requires_grad
    w.data = cl.zeros(2)
    assert w.tolist() == [0.0, 0.0] and w.requires_grad and w.is_leaf


def test_detach_in_place():
    w = cl.ones(2, requires_grad=True)
    y = w * 2
    assert y.detach_() is y
    assert y.is_leaf and not y.requires_grad


def test_in_place_update_under_no_grad_keeps_the_leaf():
    w = cl.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    ident = id(w)
    with cl.no_grad():
        w -= 0.1 * w.grad
    assert id(w) == ident and w.is_leaf and w.requires_grad
    np.testing.assert_allclose(w.tolist(), [0.7, 1.7], rtol=1e-6)


def test_in_place_op_on_a_non_leaf_is_recorded_and_returns_self():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    assert y.add_(x) is y and y.mul_(3) is y
    assert y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]  # y = 3 (x + x)


# ----------------------------------------------------------------------------------------------
# Grad mode
# ----------------------------------------------------------------------------------------------


def test_no_grad_context_records_nothing():
    w = cl.ones(2, requires_grad=True)
    with cl.no_grad():
        assert not cl.is_grad_enabled()
        y = (w * 2).exp().sum()
        with cl.enable_grad():
            z = w * 2
    assert cl.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()


def test_no_grad_decorator_with_and_without_parentheses():
    w = cl.ones(2, requires_grad=True)

    @cl.no_grad()
    def f(x):
        assert not cl.is_grad_enabled()
        return x * 2

    @cl.no_grad
    def g(x):
        return x * 2

    assert not f(w).requires_grad and not g(w).requires_grad
    assert f.__name__ == "f" and g.__name__ == "g"
    assert cl.is_grad_enabled()


def test_no_grad_restores_the_mode_after_an_exception():
    with pytest.raises(ValueError), cl.no_grad():
        raise ValueError("boom")
    assert cl.is_grad_enabled()


def test_set_grad_enabled_as_function_and_context():
    with cl.set_grad_enabled(False):
        assert not cl.is_grad_enabled()
    assert cl.is_grad_enabled()
    cl.set_grad_enabled(False)
    try:
        assert not cl.is_grad_enabled()
        assert not (cl.ones(1, requires_grad=True) * 2).requires_grad
    finally:
        cl.set_grad_enabled(True)
    assert cl.is_grad_enabled()


# ----------------------------------------------------------------------------------------------
# retain_grad, requires_grad_, backward(gradient=...)
# ----------------------------------------------------------------------------------------------


def test_retain_grad_fills_grad_of_a_non_leaf():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    assert h.grad.tolist() == [4.0, 8.0]
    assert x.grad.tolist() == [8.0, 16.0]


def test_grad_of_a_non_leaf_without_retain_grad_warns_and_is_none():
    h = cl.ones(2, requires_grad=True) * 2
    h.sum().backward()
    with pytest.warns(UserWarning, match="is not a leaf Tensor is being accessed"):
        assert h.grad is None


def test_retain_grad_on_a_leaf_changes_nothing():
    x = cl.ones(2, requires_grad=True)
    x.retain_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.grad is None


def test_requires_grad_flag_and_errors():
    x = cl.ones(2)
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad
    x.requires_grad = True
    assert x.requires_grad
    y = x * 2
    assert y.requires_grad_(True) is y  # allowed on a non-leaf: it already requires grad
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        y.requires_grad_(False)
    with pytest.raises(RuntimeError, match="floating point"):
        cl.ones(2, dtype=cl.int64).requires_grad_()
    with pytest.raises(RuntimeError, match="floating point"):
        cl.tensor([1, 2], requires_grad=True)


def test_backward_with_a_gradient():
    x = cl.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    y.backward(cl.tensor([1.0, 0.5, 0.0]))
    assert x.grad.tolist() == [2.0, 2.0, 0.0]
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of"):
        (x * 2).backward(cl.ones(2))
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (x * 2).backward()


def test_backward_of_a_one_element_tensor_needs_no_gradient():
    x = cl.tensor([2.0], requires_grad=True)
    (x * 3).backward()
    assert x.grad.tolist() == [3.0]
    x.backward()  # a leaf's own backward: d x / d x = 1
    assert x.grad.tolist() == [4.0]


def test_scalar_gradient_scales_the_result():
    x = cl.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).sum().backward(cl.tensor(0.5))
    assert x.grad.tolist() == [1.0, 1.0]


# ----------------------------------------------------------------------------------------------
# Deep graphs and the internal contract
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1000, 5000])
def test_deep_chain_does_not_hit_the_recursion_limit(depth):
    assert depth > sys.getrecursionlimit() // 2
    x = cl.tensor(1.0, dtype=cl.float64, requires_grad=True)
    y = x
    for _ in range(depth):
        y = y * 1.001
    y.backward()
    np.testing.assert_allclose(x.grad.item(), 1.001**depth, rtol=1e-9)


def test_wide_graph_reuses_one_node_many_times():
    x = cl.tensor([1.0], dtype=cl.float64, requires_grad=True)
    h = x.exp()
    total = h
    for _ in range(500):
        total = total + h
    total.sum().backward()
    np.testing.assert_allclose(x.grad.item(), 501 * np.e)


def _scaled_add(x: Tensor, w: Tensor) -> Tensor:
    """The op-writing contract of the project: x * w + w, with its own backward."""
    a, b = x._array, w._array
    out = a * b + b

    def backward(g):  # d(x w + w) = w dx + (x + 1) dw
        return unbroadcast(g * b, a.shape), unbroadcast(g * (a + 1), b.shape)

    return _result(out, (x, w), backward, "ScaledAddBackward0")


def test_custom_op_written_to_the_contract_passes_gradcheck():
    rng = np.random.default_rng(0)
    assert gradcheck(_scaled_add, rng.standard_normal((3, 4)), rng.standard_normal(4))
    y = _scaled_add(cl.ones(2, requires_grad=True), cl.ones(2))
    assert y.grad_fn.name() == "ScaledAddBackward0"
    assert "grad_fn=<ScaledAddBackward0>" in repr(y)


def test_a_backward_returning_the_wrong_shape_is_reported_by_name():
    x = cl.ones(2, 3, requires_grad=True)
    y = _result(x._array * 2, (x,), lambda g: (g.sum(0),), "BuggyBackward0")
    with pytest.raises(RuntimeError, match=r"BuggyBackward0 returned an invalid gradient.*\[3\]"):
        y.sum().backward()


def test_grad_fn_repr_names_the_node():
    y = cl.ones(2, requires_grad=True) * 2
    assert repr(y.grad_fn).startswith("<MulBackward0 object at 0x")


# ----------------------------------------------------------------------------------------------
# The same sequences, step by step, in torch
# ----------------------------------------------------------------------------------------------


def _semantics(T):
    seen = []
    x = T.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    seen.append((h.grad.tolist(), x.grad.tolist(), h.is_leaf, x.is_leaf))
    d = h.detach()
    d[0] = 7.0
    seen.append((h.tolist(), d.requires_grad))
    with T.no_grad():
        z = x * 3
        x.mul_(2)
    seen.append((z.requires_grad, z.is_leaf, x.tolist(), x.requires_grad, x.is_leaf))
    y = x * 1
    y.add_(x).mul_(x)
    y.backward(T.tensor([1.0, -1.0]))
    seen.append((y.grad_fn.name(), x.grad.tolist()))
    w = T.ones(2, 2, requires_grad=True)
    (w[0] * w[:, 1]).sum().backward()
    seen.append(w.grad.tolist())
    return seen


def test_semantics_match_torch(torch):
    assert _semantics(cl) == _semantics(torch)
