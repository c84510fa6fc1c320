"""What a learner types to look inside autograd, against torch: `grad_fn.next_functions`,
`Tensor.register_hook` (and its order with retain_grad), `register_post_accumulate_grad_hook`,
`grad_fn.register_hook` / `register_prehook`, `torch.autograd.grad`, `torch.autograd.backward`,
a module's forward hooks, and a view's history after an in-place shape change under no_grad.

Each program runs on `T` (course_lib or torch) and returns what it saw as plain Python values
(addresses in reprs replaced), so one `==` compares values, call order, gradients and errors."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from parity import error_of

import course_lib as cl

ADDRESS = re.compile(r"0x[0-9a-f]+")


def same(torch, program):
    """The program's record in course_lib equals torch's."""
    ours, theirs = program(cl), program(torch)
    assert ours == theirs, f"\ncourse_lib: {ours}\ntorch:      {theirs}"
    return ours


def outcome(fn):
    """('ok', value as lists) or (exception type, message) of fn()."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = fn()
    except Exception as e:  # the record compares the type and message with torch's
        return type(e).__name__, str(e)
    return "ok", _plain(result)


def _plain(x):
    if isinstance(x, (tuple, list)):
        return [_plain(v) for v in x]
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if hasattr(x, "detach"):
        return (x.detach().numpy().tolist(), str(x.dtype), x.requires_grad)
    return x


# -- grad_fn.next_functions ---------------------------------------------------------------------


def graph(fn, leaves):
    """The graph below fn's grad_fn as nested tuples: each node's name and, per input,
    (its graph, output index); a leaf is ('leaf', its position in `leaves`)."""

    def walk(node):
        if node is None:
            return None
        if type(node).__name__ == "AccumulateGrad":
            return ("leaf", next(i for i, t in enumerate(leaves) if t is node.variable))
        return (node.name(), tuple((walk(n), k) for n, k in node.next_functions))

    return walk(fn)


def _copy_slices(T, a, b):
    c = a * 1
    c[0] = 5.0
    return c


def _view_in_place(T, a, b):
    c = a * 1
    v = c[1:]
    v.mul_(2)
    return v


def _base_after_view_in_place(T, a, b):
    c = a * 1
    c[1:].mul_(b[1:])
    return c


def _set_item_from_graph(T, a, b):
    c = a * 1
    c[0] = b[0] * a[1]
    return c


GRAPHS = {
    "tensor times number": lambda T, a, b: a * 2,
    "number times tensor": lambda T, a, b: 2 * a,
    "tensor times tensor": lambda T, a, b: a * b,
    "with a constant": lambda T, a, b: a * b.detach(),
    "constant first": lambda T, a, b: b.detach() * a,
    "plus number": lambda T, a, b: a + 1,
    "same leaf twice": lambda T, a, b: a - a,
    "number to a power": lambda T, a, b: 2**a,
    "divided by number": lambda T, a, b: a / 2,
    "number divided by": lambda T, a, b: 1 / a,
    "where": lambda T, a, b: T.where(a > 1, a, 0.0),
    "select": lambda T, a, b: a[0],
    "view": lambda T, a, b: a.view(3, 1),
    "expand": lambda T, a, b: a.expand(2, 3),
    "unbind output 1": lambda T, a, b: a.unbind()[1] * 2,
    "split outputs 2 and 0": lambda T, a, b: (lambda s: s[2] + s[0])(a.split(1)),
    "CopySlices": _copy_slices,
    "view after in-place": _view_in_place,
    "base after in-place on a view": _base_after_view_in_place,
    "setitem from a graph": _set_item_from_graph,
    "sum": lambda T, a, b: a.sum(),
    "max values": lambda T, a, b: a.max(0).values,
    "cat": lambda T, a, b: T.cat([a, b.detach()]),
    "double": lambda T, a, b: a.double(),
    "clone": lambda T, a, b: a.clone(),
    "dot": lambda T, a, b: a @ a,
    "relu": lambda T, a, b: T.nn.functional.relu(a),
    "exp then mul": lambda T, a, b: a.exp() * b,
    "chain": lambda T, a, b: ((a * b).sum() + b.exp().mean()) * 3,
}


@pytest.mark.parametrize("name", GRAPHS)
def test_next_functions_show_torch_graph(torch, name):
    def program(T):
        a = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = T.tensor([4.0, 5.0, 6.0], requires_grad=True)
        return graph(GRAPHS[name](T, a, b).grad_fn, [a, b])

    same(torch, program)


def test_accumulate_grad_node_as_torch(torch):
    def program(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        y = a * 2
        acc = y.grad_fn.next_functions[0][0]
        return [
            type(acc).__name__,
            acc.name(),
            acc.variable is a,
            acc.next_functions,
            ADDRESS.sub("ADDR", repr(acc)),
            ADDRESS.sub("ADDR", repr(y.grad_fn.next_functions)),
            acc is (a * 3).grad_fn.next_functions[0][0],  # one per leaf while a graph shows it
            acc is y.grad_fn.next_functions[0][0],
            type(y.grad_fn.next_functions).__name__,
            a.grad_fn,
        ]

    record = same(torch, program)
    assert record[4] == "<AccumulateGrad object at ADDR>"


def test_next_functions_address_is_the_node_address():
    a = cl.tensor([1.0, 2.0], requires_grad=True)
    acc = (a * 2).grad_fn.next_functions[0][0]
    assert repr(acc) == f"<AccumulateGrad object at {id(acc):#x}>"


# -- Tensor.register_hook -----------------------------------------------------------------------


def _logger(log, name, change=None):
    def hook(g):
        log.append((name, g.tolist()))
        return None if change is None else change(g)

    return hook


def test_hooks_order_with_retain_grad_and_returned_gradients(torch):
    def program(T):
        log = []
        a = T.tensor([1.0, 2.0], requires_grad=True)
        a.register_hook(_logger(log, "a1", lambda g: g * 10))
        a.register_hook(_logger(log, "a2"))
        y = a * 3
        y.register_hook(_logger(log, "y1", lambda g: g + 1))
        y.retain_grad()
        y.register_hook(_logger(log, "y2"))
        z = (y * y).sum()
        z.register_hook(_logger(log, "z"))
        z.backward()
        return log, a.grad.tolist(), y.grad.tolist()

    log, a_grad, y_grad = same(torch, program)
    assert [name for name, _ in log] == ["z", "y1", "y2", "a1", "a2"]
    assert y_grad == [7.0, 13.0]  # retain_grad runs after every hook: it sees y1's +1


def test_retain_grad_registered_first_still_runs_last(torch):
    def program(T):
        log = []
        b = T.tensor([1.0, 2.0], requires_grad=True)
        w = b * 2
        w.retain_grad()
        w.register_hook(_logger(log, "w", lambda g: g * 100))
        w.sum().backward()
        return log, w.grad.tolist(), b.grad.tolist()

    assert same(torch, program)[1] == [100.0, 100.0]


def test_leaf_hook_runs_once_on_the_summed_gradient(torch):
    def program(T):
        log = []
        g = T.tensor([1.0, 2.0], requires_grad=True)
        g.register_hook(_logger(log, "g"))
        (g * 2 + g * 3).sum().backward()
        (g * 1).sum().backward()
        return log, g.grad.tolist()

    same(torch, program)


def test_hook_on_a_leaf_that_is_the_output(torch):
    def program(T):
        log = []
        p = T.tensor(2.0, requires_grad=True)
        p.register_hook(_logger(log, "p", lambda g: g * 7))
        p.backward()
        return log, p.item()

    same(torch, program)


def test_hooks_order_across_outputs_of_one_graph(torch):
    def program(T):
        log = []
        s = T.tensor([1.0, 2.0], requires_grad=True)
        s1, s2 = s * 1, s * 2
        s1.register_hook(_logger(log, "s1"))
        s2.register_hook(_logger(log, "s2"))
        (s1 + s2).sum().backward()
        return log

    assert same(torch, program) == [("s2", [1.0, 1.0]), ("s1", [1.0, 1.0])]


def test_hook_changing_the_gradient_in_place(torch):
    def program(T):
        k = T.tensor([1.0, 2.0], requires_grad=True)
        k.register_hook(lambda g: g.mul_(2))
        (k * 1).sum().backward()
        m = T.tensor([1.0, 2.0], requires_grad=True)
        mm = m * 1
        mm.register_hook(lambda g: None if g.mul_(3) is g else g)  # changes g, returns None
        (mm * 1).sum().backward()
        expanded = outcome(lambda: mm.sum().backward())  # sum's gradient is expanded
        return k.grad.tolist(), m.grad.tolist(), expanded

    same(torch, program)


def test_hooks_stay_with_the_grad_fn_of_their_registration(torch):
    def program(T):
        log = []
        m = T.tensor([1.0, 2.0], requires_grad=True)
        n = m * 1
        n.register_hook(_logger(log, "before"))
        n.mul_(5)
        n.register_hook(_logger(log, "after"))
        n.sum().backward()
        return log

    assert same(torch, program) == [("after", [1.0, 1.0]), ("before", [5.0, 5.0])]


def test_hooks_and_retain_grad_through_an_in_place_op(torch):
    def program(T):
        log = []
        a = T.tensor([1.0, 2.0], requires_grad=True)
        y = a * 1
        y.register_hook(_logger(log, "before", lambda g: g * 10))
        y.retain_grad()  # moves to y's new grad_fn; the hook stays with the old one
        y.mul_(2)
        y.register_hook(_logger(log, "after"))
        (y * 3).sum().backward()
        b = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        c = b * 1
        v = c[1:]
        v.register_hook(_logger(log, "view", lambda g: g * 100))
        v.retain_grad()
        v.mul_(2)
        (c * 1).sum().backward()
        return log, y.grad.tolist(), a.grad.tolist(), v.grad, b.grad.tolist()

    same(torch, program)


def test_hook_on_a_view(torch):
    def program(T):
        log = []
        r = T.tensor([1.0, 2.0, 3.0], requires_grad=True)
        rr = r * 1
        v = rr[1:]
        v.register_hook(_logger(log, "v"))
        rr.sum().backward(retain_graph=True)
        (v * 2).sum().backward()
        return log, r.grad.tolist()

    same(torch, program)


def test_handles_remove_and_count(torch):
    def program(T):
        log = []
        a = T.tensor([1.0, 2.0], requires_grad=True)
        h1 = a.register_hook(_logger(log, "a1", lambda g: g * 10))
        h2 = a.register_hook(_logger(log, "a2"))
        h1.remove()
        h1.remove()  # twice: nothing happens
        with a.register_hook(_logger(log, "inside")) as h3:
            (a * 1).sum().backward()
        (a * 1).sum().backward()
        return log, a.grad.tolist(), h2.id - h1.id, h3.id - h2.id, type(h1).__name__

    same(torch, program)


HOOK_ERRORS = {
    "no grad": lambda T: T.tensor([1.0]).register_hook(lambda g: g),
    "integer": lambda T: T.tensor([1]).register_hook(lambda g: g),
    "under no_grad": lambda T: _under_no_grad(T).register_hook(lambda g: g),
    "leaf, size": lambda T: _hooked(T, True, lambda g: T.ones(3)),
    "non-leaf, size": lambda T: _hooked(T, False, lambda g: T.ones(3)),
    "same numel, other shape": lambda T: _hooked(T, True, lambda g: g.reshape(2, 1)),
    "leaf, dtype": lambda T: _hooked(T, True, lambda g: g.double()),
    "non-leaf, dtype": lambda T: _hooked(T, False, lambda g: g.double()),
    "leaf, a number": lambda T: _hooked(T, True, lambda g: 3),
    "non-leaf, a list": lambda T: _hooked(T, False, lambda g: [1, 2]),
    "a callable object": lambda T: _hooked(T, True, _ReturnsThree(T)),
}


class _ReturnsThree:
    def __init__(self, T):
        self.T = T

    def __call__(self, g):
        return self.T.ones(3)


def _under_no_grad(T):
    a = T.tensor([1.0, 2.0], requires_grad=True)
    with T.no_grad():
        return a * 2


def _hooked(T, leaf: bool, hook):
    c = T.tensor([1.0, 2.0], requires_grad=True)
    t = c if leaf else c * 1
    t.register_hook(hook)
    (t * 1).sum().backward()


@pytest.mark.parametrize("name", HOOK_ERRORS)
def test_hook_errors_as_torch(torch, name):
    assert error_of(cl, HOOK_ERRORS[name]) == error_of(torch, HOOK_ERRORS[name])


def test_a_hook_returning_a_tensor_that_requires_grad(torch):
    def program(T):
        d = T.tensor([1.0, 2.0], requires_grad=True)
        e = T.tensor([2.0, 2.0], requires_grad=True)
        d.register_hook(lambda g: g * e)
        (d * 1).sum().backward()
        return d.grad.tolist(), d.grad.requires_grad, e.grad

    same(torch, program)


def test_retains_grad_as_torch(torch):
    def program(T):
        a = T.tensor([1.0], requires_grad=True)
        a.retain_grad()  # a leaf: nothing to do
        y = a * 2
        seen = [a.retains_grad, y.retains_grad]
        y.retain_grad()
        seen.append(y.retains_grad)
        y.mul_(2)
        seen += [y.retains_grad, y.detach().retains_grad]

        def assign():
            y.retains_grad = False

        return seen, outcome(assign)

    same(torch, program)


def test_post_accumulate_grad_hooks_as_torch(torch):
    def program(T):
        log = []
        a = T.tensor([1.0, 2.0], requires_grad=True)
        h = a.register_post_accumulate_grad_hook(
            lambda t: log.append(("post", t is a, t.grad.tolist()))
        )
        a.register_hook(_logger(log, "hook", lambda g: g * 2))
        h2 = a.register_post_accumulate_grad_hook(lambda t: log.append(("post2",)))
        (a * 3).sum().backward()
        (a * 1).sum().backward()
        h.remove()
        grad = outcome(lambda: T.autograd.grad((a * 3).sum(), a))  # no .grad written: no call
        b = T.tensor(2.0, requires_grad=True)
        b.register_post_accumulate_grad_hook(lambda t: log.append(("b", t.grad.item())))
        b.backward()
        T.autograd.backward(a * b, T.ones(2), inputs=[a])
        errors = [
            outcome(lambda: (a * 2).register_post_accumulate_grad_hook(lambda t: None)),
            outcome(lambda: T.tensor([1.0]).register_post_accumulate_grad_hook(lambda t: None)),
        ]
        for ret in (lambda t: 5, lambda t: t * 2):
            c = T.tensor([1.0], requires_grad=True)
            c.register_post_accumulate_grad_hook(ret)
            errors.append((outcome(lambda c=c: (c * 1).sum().backward()), c.grad.tolist()))
        return log, grad, errors, h2.id - h.id

    same(torch, program)


# -- grad_fn.register_hook and grad_fn.register_prehook -----------------------------------------


def _plain_grads(gs):
    return [None if g is None else g.tolist() for g in gs]


def test_node_hooks_order_and_replacements(torch):
    def program(T):
        log = []
        a = T.tensor([1.0, 2.0], requires_grad=True)
        b = T.tensor([3.0, 4.0], requires_grad=True)
        y = a * b
        fn = y.grad_fn
        h = fn.register_hook(
            lambda gi, go: log.append(("hook", _plain_grads(gi), _plain_grads(go)))
        )
        p = fn.register_prehook(lambda go: log.append(("pre", _plain_grads(go))))
        y.register_hook(_logger(log, "tensor"))
        y.retain_grad()
        y.sum().backward(retain_graph=True)
        h.remove()
        p.remove()
        fn.register_prehook(lambda go: (go[0] * 10,))
        fn.register_hook(lambda gi, go: (gi[0] + 1, None))  # None: b gets no gradient
        y.sum().backward()
        c = a * 3
        c.grad_fn.register_hook(lambda gi, go: log.append(("scalar", _plain_grads(gi))))
        c.sum().backward()
        return log, a.grad.tolist(), b.grad.tolist(), y.grad.tolist(), type(h).__name__

    same(torch, program)


NODE_HOOK_ERRORS = {
    "pre-hook returns a number": lambda T, fn: fn.register_prehook(lambda go: 5),
    "pre-hook returns two": lambda T, fn: fn.register_prehook(lambda go: (go[0], go[0])),
    "hook returns one": lambda T, fn: fn.register_hook(lambda gi, go: (gi[0],)),
    "hook changes a size": lambda T, fn: fn.register_hook(lambda gi, go: (T.ones(3), None)),
    "hook changes a dtype": lambda T, fn: fn.register_hook(lambda gi, go: (gi[0].double(), None)),
    "pre-hook returns a list": lambda T, fn: fn.register_prehook(lambda go: [go[0]]),
}


@pytest.mark.parametrize("name", NODE_HOOK_ERRORS)
def test_node_hook_errors_as_torch(torch, name):
    def program(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        y = a * 2
        NODE_HOOK_ERRORS[name](T, y.grad_fn)
        y.sum().backward()

    assert error_of(cl, program) == error_of(torch, program)


def test_node_hooks_on_a_split_output_are_refused():
    a = cl.tensor([1.0, 2.0], requires_grad=True)
    piece = a.split(1)[0]
    with pytest.raises(NotImplementedError, match="split/chunk/unbind"):
        piece.grad_fn.register_hook(lambda gi, go: None)


# -- torch.autograd.grad ------------------------------------------------------------------------


def _grad_cases(T):
    a = T.tensor([1.0, 2.0], requires_grad=True)
    b = T.tensor([3.0, 4.0], requires_grad=True)
    c = T.tensor([3.0, 4.0])
    z = T.tensor([1.0], requires_grad=True)
    y = (a * b).sum()
    yy = a * b
    h = a * 2
    o = (h * h).sum()
    grad = T.autograd.grad
    cases = {
        "one input": lambda: grad(y, a, retain_graph=True),
        "two inputs": lambda: grad(y, [a, b], retain_graph=True),
        "a tuple": lambda: grad([y], (b,), retain_graph=True),
        "a dict": lambda: grad(y, {"b": b, "a": a}, retain_graph=True),
        "input without grad": lambda: grad(y, [a, c], retain_graph=True),
        "unused input": lambda: grad(y, [a, z], retain_graph=True),
        "allow_unused": lambda: grad(y, [z, a], retain_graph=True, allow_unused=True),
        "materialize_grads": lambda: grad(y, [z, a], retain_graph=True, materialize_grads=True),
        "materialize, not allow": lambda: grad(
            y, [z, a], retain_graph=True, allow_unused=False, materialize_grads=True
        ),
        "non-scalar output": lambda: grad(yy, a, retain_graph=True),
        "grad_outputs": lambda: grad(yy, a, grad_outputs=T.ones(2), retain_graph=True),
        "grad_outputs list": lambda: grad(yy, a, grad_outputs=[T.ones(2)], retain_graph=True),
        "grad_outputs shape": lambda: grad(yy, a, grad_outputs=T.ones(3), retain_graph=True),
        "extra grad_outputs": lambda: grad(
            yy, a, grad_outputs=[T.ones(2), T.ones(2)], retain_graph=True
        ),
        "too few grad_outputs": lambda: grad(
            [yy, y], a, grad_outputs=[T.ones(2)], retain_graph=True
        ),
        "two outputs": lambda: grad([yy, y], a, grad_outputs=[T.ones(2), None], retain_graph=True),
        "two outputs, no grad_outputs": lambda: grad([yy, y], a, [None, None], retain_graph=True),
        "output without grad": lambda: grad(c.sum(), a),
        "second output without grad": lambda: grad([y, c.sum()], a, retain_graph=True),
        "no inputs": lambda: grad(y, [], retain_graph=True),
        "no outputs": lambda: grad([], [a], retain_graph=True),
        "0-d grad_output": lambda: grad(y, a, grad_outputs=T.tensor(2.0), retain_graph=True),
        "float64 grad_output": lambda: grad(
            y, a, grad_outputs=T.tensor(2.0, dtype=T.float64), retain_graph=True
        ),
        "int grad_output": lambda: grad(y, a, grad_outputs=T.tensor(2), retain_graph=True),
        "grad_output shape [1]": lambda: grad(
            y, a, grad_outputs=T.tensor([2.0]), retain_graph=True
        ),
        "number grad_outputs": lambda: grad(y, a, grad_outputs=2.0, retain_graph=True),
        "number in grad_outputs": lambda: grad(y, a, grad_outputs=[3], retain_graph=True),
        "non-leaf input": lambda: grad(o, h, retain_graph=True),
        "non-leaf and leaf": lambda: grad(o, [h, a], retain_graph=True),
        "same input twice": lambda: grad(o, [a, a], retain_graph=True),
        "output is the input": lambda: grad(a, a, grad_outputs=T.ones(2)),
        "non-leaf output is the input": lambda: grad(h, h, grad_outputs=T.ones(2)),
        "int input": lambda: grad(y, T.tensor([1, 2]), retain_graph=True),
        "number input": lambda: grad(y, 3, retain_graph=True),
        "number output": lambda: grad(3, a, retain_graph=True),
        "detached input": lambda: grad(y, b.detach(), retain_graph=True),
        "unused: output does not depend": lambda: grad((a * c).sum(), [b, a]),
    }
    return cases


GRAD_CASES = list(_grad_cases(cl))


@pytest.mark.parametrize("name", GRAD_CASES)
def test_autograd_grad_as_torch(torch, name):
    same(torch, lambda T: outcome(_grad_cases(T)[name]))


def test_autograd_grad_leaves_grad_alone_and_frees_the_graph(torch):
    def program(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        b = T.tensor([3.0, 4.0], requires_grad=True)
        o = (a * b).sum()
        first = outcome(lambda: T.autograd.grad(o, a))
        second = outcome(lambda: T.autograd.grad(o, a))
        (g,) = T.autograd.grad((a * a).sum(), a)
        return first, second, a.grad, b.grad, g.requires_grad, g.grad_fn, g.is_leaf

    same(torch, program)


def test_autograd_grad_runs_only_what_leads_to_the_inputs(torch):
    def program(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        b = T.tensor([3.0, 4.0], requires_grad=True)
        y = a * b  # saves a and b
        s = y.sum()
        got = outcome(lambda: T.autograd.grad(s, y))  # MulBackward0 neither runs nor is freed
        y.sum().backward()  # so y's graph can still be walked
        s2 = (a * b).sum()
        with T.no_grad():
            b.mul_(2)  # a saved tensor changed: only a walk through MulBackward0 notices
        not_run = outcome(lambda: T.autograd.grad(s2, s2))
        run = outcome(lambda: T.autograd.grad(s2, a))
        return got, not_run, run, a.grad.tolist()

    same(torch, program)


def test_autograd_grad_runs_hooks_and_retain_grad(torch):
    def program(T):
        log = []
        q = T.tensor([1.0, 2.0], requires_grad=True)
        q.register_hook(_logger(log, "q", lambda g: g * 10))
        qq = q * 3
        qq.register_hook(_logger(log, "qq", lambda g: g * 2))
        qq.retain_grad()
        first = outcome(lambda: T.autograd.grad(qq.sum(), q, retain_graph=True))
        second = outcome(lambda: T.autograd.grad(qq.sum(), qq, retain_graph=True))
        return first, second, log, qq.grad.tolist(), q.grad

    same(torch, program)


def test_autograd_grad_skips_outputs_that_lead_to_no_input(torch):
    def program(T):
        log = []
        a = T.tensor([1.0, 2.0], requires_grad=True)
        b = T.tensor([3.0, 4.0], requires_grad=True)
        u = b * 2
        u.register_hook(_logger(log, "u"))
        s = u.sum()
        s.register_hook(_logger(log, "s"))
        s.retain_grad()
        z = (a * 3).sum()
        first = outcome(lambda: T.autograd.grad([s, z], [a], retain_graph=True))
        seen = list(log)
        second = outcome(lambda: T.autograd.grad([s, z], [a, s]))
        return first, seen, second, log, s.grad.tolist()

    same(torch, program)


def test_autograd_grad_deprecated_only_inputs_warns(torch):
    def program(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            (g,) = T.autograd.grad((a * a).sum(), a, only_inputs=False)
        return g.tolist(), [(w.category.__name__, str(w.message)) for w in caught]

    same(torch, program)


def test_autograd_grad_signature_as_torch(torch):
    import inspect

    ours = inspect.signature(cl.autograd.grad).parameters
    theirs = inspect.signature(torch.autograd.grad).parameters
    assert [(p.name, p.default) for p in ours.values()] == [
        (p.name, p.default) for p in theirs.values()
    ]
    ours = inspect.signature(cl.autograd.backward).parameters
    theirs = inspect.signature(torch.autograd.backward).parameters
    assert [(p.name, p.default) for p in ours.values()] == [
        (p.name, p.default) for p in theirs.values()
    ]


def test_what_course_lib_cannot_do_is_refused():
    a = cl.tensor([1.0, 2.0], requires_grad=True)
    y = (a * a).sum()
    with pytest.raises(NotImplementedError, match="create_graph=True"):
        cl.autograd.grad(y, a, create_graph=True)
    with pytest.raises(NotImplementedError, match="is_grads_batched=True"):
        cl.autograd.grad(y, a, grad_outputs=cl.ones(3), is_grads_batched=True)
    with pytest.raises(NotImplementedError, match="create_graph=True"):
        cl.autograd.backward(y, create_graph=True)
    assert a.grad is None


def test_autograd_grad_matches_backward_on_a_small_network(torch):
    def program(T):
        T.manual_seed(0)
        x = T.tensor(np.linspace(-1, 1, 12).reshape(4, 3), dtype=T.float64)
        w = T.tensor(np.linspace(0.5, -0.5, 6).reshape(2, 3), dtype=T.float64, requires_grad=True)
        v = T.tensor([0.3, -0.2], dtype=T.float64, requires_grad=True)
        hid = T.tanh(x @ w.t())
        loss = ((hid * v).sum(1) ** 2).mean()
        gw, gv, gh = T.autograd.grad(loss, [w, v, hid], retain_graph=True)
        loss.backward()
        return [np.round(t.detach().numpy(), 12).tolist() for t in (gw, gv, gh, w.grad, v.grad)]

    record = same(torch, program)
    assert record[0] == record[3] and record[1] == record[4]


# -- torch.autograd.backward and Tensor.backward(inputs=...) ------------------------------------


def _backward_cases(T):
    def run(fn):
        def go():
            a = T.tensor([1.0, 2.0], requires_grad=True)
            b = T.tensor([5.0, 6.0], requires_grad=True)
            c = T.tensor([3.0, 4.0])
            fn(a, b, c)
            return [None if t.grad is None else t.grad.tolist() for t in (a, b)]

        return go

    bw = T.autograd.backward
    return {
        "two roots": run(lambda a, b, c: bw([(a * a).sum(), a * 3], [None, T.ones(2)])),
        "one tensor": run(lambda a, b, c: bw((a * b).sum())),
        "non-scalar root": run(lambda a, b, c: bw([(a * a).sum(), a * 3])),
        "too few grad_tensors": run(lambda a, b, c: bw([(a * a).sum(), a * 3], [T.tensor(1.0)])),
        "a leaf as a root": run(lambda a, b, c: bw([(a * a).sum(), a], [None, T.ones(2)])),
        "root without grad": run(lambda a, b, c: bw(c)),
        "no roots": run(lambda a, b, c: bw([])),
        "grad_variables": run(lambda a, b, c: bw(a * 2, grad_variables=T.ones(2))),
        "both": run(lambda a, b, c: bw(a * 2, T.ones(2), grad_variables=T.ones(2))),
        "inputs leaf": run(lambda a, b, c: bw(((a * b) ** 2).sum(), inputs=[a])),
        "inputs one tensor": run(lambda a, b, c: bw(((a * b) ** 2).sum(), inputs=b)),
        "inputs dict": run(lambda a, b, c: bw(((a * b) ** 2).sum(), inputs={"a": a})),
        "inputs empty": run(lambda a, b, c: bw((a * b).sum(), inputs=[])),
        "inputs without grad": run(lambda a, b, c: bw((a * b).sum(), inputs=[c])),
        "inputs unused": run(lambda a, b, c: bw((a * 2).sum(), inputs=[b])),
        "Tensor.backward inputs": run(lambda a, b, c: ((a * b) ** 2).sum().backward(inputs=[b])),
        "Tensor.backward inputs empty": run(lambda a, b, c: (a * b).sum().backward(inputs=[])),
    }


@pytest.mark.parametrize("name", list(_backward_cases(cl)))
def test_autograd_backward_as_torch(torch, name):
    same(torch, lambda T: outcome(_backward_cases(T)[name]))


def test_backward_inputs_fill_a_non_leaf_grad_without_warning(torch):
    def program(T):
        a = T.tensor([1.0, 2.0], requires_grad=True)
        h = a * 5
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.autograd.backward((h * h).sum(), inputs=[h])
            got = h.grad.tolist()
        return got, a.grad, len(caught)

    same(torch, program)


def test_a_non_leaf_grad_warns_only_while_it_is_none(torch):
    def program(T):
        y = T.tensor([1.0, 2.0], requires_grad=True) * 2
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            first = y.grad
            y.grad = T.ones(2)
            second = y.grad.tolist()
        return first, second, [w.category.__name__ for w in caught]

    same(torch, program)


# -- nn.Module forward hooks --------------------------------------------------------------------


def _linear(T):
    lin = T.nn.Linear(2, 2)
    with T.no_grad():
        lin.weight.copy_(T.tensor([[1.0, 2.0], [3.0, 4.0]]))
        lin.bias.zero_()
    return lin


def test_forward_hooks_order_and_returned_values(torch):
    def program(T):
        log = []
        lin, x = _linear(T), T.tensor([[1.0, 1.0]])

        def pre(m, args):
            log.append(("pre", type(m).__name__, len(args), args[0].tolist()))

        def pre2(m, args):
            log.append(("pre2",))
            return args[0] * 2  # not a tuple: becomes the only argument

        def pre_kw(m, args, kwargs):
            log.append(("pre_kw", kwargs))

        def post(m, args, out):
            log.append(("post", args[0].tolist(), out.tolist()))

        def post2(m, args, out):
            log.append(("post2",))
            return out + 1

        def post_kw(m, args, kwargs, out):
            log.append(("post_kw", kwargs, out.tolist()))

        handles = [
            lin.register_forward_pre_hook(pre),
            lin.register_forward_pre_hook(pre2),
            lin.register_forward_hook(post),
            lin.register_forward_hook(post2, prepend=True),
            lin.register_forward_hook(post_kw, with_kwargs=True),
            lin.register_forward_pre_hook(pre_kw, with_kwargs=True, prepend=True),
        ]
        first = lin(x).tolist()
        first_id = handles[0].id
        ids = [
            [k - first_id for k in d]
            for d in (
                lin._forward_hooks,
                lin._forward_pre_hooks,
                lin._forward_hooks_with_kwargs,
                lin._forward_pre_hooks_with_kwargs,
                lin._forward_hooks_always_called,
            )
        ]
        for k in (1, 3, 4):
            handles[k].remove()
        after = lin(x).tolist()
        for h in handles:
            h.remove()
        plain = lin(x).tolist()
        empty = [len(d) for d in (lin._forward_hooks, lin._forward_pre_hooks)]
        return first, ids, after, plain, empty, log, type(handles[0]).__name__

    same(torch, program)


def test_forward_hooks_with_kwargs_replace_arguments(torch):
    def program(T):
        log = []

        class Scale(T.nn.Module):
            def forward(self, x, scale=1.0):
                return x * scale

        k = Scale()
        k.register_forward_pre_hook(
            lambda m, a, kw: ((a[0] + 1,), {"scale": 3.0}), with_kwargs=True
        )
        k.register_forward_hook(
            lambda m, a, kw, o: log.append((a[0].tolist(), kw, o.tolist())), with_kwargs=True
        )
        return k(T.tensor([[1.0, 1.0]]), scale=2.0).tolist(), log

    same(torch, program)


def test_forward_hooks_on_children_of_a_sequential(torch):
    def program(T):
        log = []
        seq = T.nn.Sequential(T.nn.ReLU(), T.nn.Tanh())
        for name, m in seq.named_children():
            m.register_forward_hook(lambda m, a, o, name=name: log.append((name, type(m).__name__)))
        seq.register_forward_hook(lambda m, a, o: log.append(("seq",)))
        seq(T.tensor([1.0, -1.0]))
        return log

    same(torch, program)


def test_forward_hook_always_call_and_errors(torch):
    def program(T):
        log = []

        class Boom(T.nn.Module):
            def forward(self, x):
                raise ValueError("boom")

        x = T.tensor([1.0])
        b = Boom()
        b.register_forward_hook(lambda m, a, o: log.append(("always", o)), always_call=True)
        b.register_forward_hook(lambda m, a, o: log.append(("not always", o)))
        boom = outcome(lambda: b(x))

        def bad(m, a, o):
            raise KeyError("k")

        b2 = Boom()
        b2.register_forward_hook(bad, always_call=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            silenced = outcome(lambda: b2(x))
        warned = [(w.category.__name__, str(w.message)) for w in caught]
        lin = _linear(T)
        lin.register_forward_pre_hook(lambda m, a, k: 5, with_kwargs=True)
        bad_pre = outcome(lambda: lin(T.tensor([[1.0, 1.0]])))
        positional = outcome(lambda: lin.register_forward_hook(lambda m, a, o: None, True))
        return boom, log, silenced, warned, bad_pre, positional

    same(torch, program)


# -- an in-place shape change under no_grad leaves a view's history stale -----------------------


def _shape_change_programs(T):
    def select_unsqueezed():
        x = T.ones(4, 2, requires_grad=True)
        v = (x * 2)[0]
        with T.no_grad():
            v.unsqueeze_(0)
        v.sum().backward()
        return repr(v), v._version, x.grad.tolist()

    def transposed_back():
        x = T.ones(4, 2, requires_grad=True)
        v = (x * 2).t()
        with T.no_grad():
            v.t_()
        (v * T.arange(8.0).view(4, 2)).sum().backward()
        return repr(v), x.grad.tolist()

    def recorded():
        x = T.ones(4, 2, requires_grad=True)
        v = (x * 2)[1:3]
        v.unsqueeze_(0)
        (v * T.arange(4.0).view(1, 2, 2)).sum().backward()
        return repr(v), x.grad.tolist()

    def made_under_no_grad():
        x = T.ones(4, 2, requires_grad=True)
        with T.no_grad():
            v = x[1:3]
            v.unsqueeze_(0)
        return repr(v), outcome(lambda: v.sum())

    return {
        "select then unsqueeze_": select_unsqueezed,
        "t then t_": transposed_back,
        "recorded in grad mode": recorded,
        "a view made under no_grad": made_under_no_grad,
    }


@pytest.mark.parametrize("name", list(_shape_change_programs(cl)))
def test_shape_change_under_no_grad_as_torch(torch, name):
    same(torch, lambda T: outcome(_shape_change_programs(T)[name]))
