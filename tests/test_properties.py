"""Property tests over random shapes (hypothesis): broadcasting binary ops against NumPy and their
gradients, matmul over random rank combinations, reshape/transpose round trips, reductions over
random dims."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import course_lib as cl

FAST = settings(max_examples=30, deadline=None)

dims = st.lists(st.integers(1, 4), min_size=0, max_size=3)


@st.composite
def broadcast_pair(draw):
    """Two shapes that broadcast: drop leading dims and turn some dims into 1, in each."""
    full = draw(dims)

    def derive():
        keep = draw(st.integers(0, len(full)))
        shape = full[len(full) - keep :]
        return tuple(1 if draw(st.booleans()) else n for n in shape)

    return derive(), derive()


def _values(shape, seed, positive=False):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 2.0, shape) if positive else rng.standard_normal(shape)


def _grad_by_basis(f, a, b, proj, wrt):
    """d sum(proj * f(a, b)) / d input, one basis vector at a time (f is linear in that input)."""
    x = (a, b)[wrt]
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = 1.0
        args = (e, np.zeros_like(b)) if wrt == 0 else (np.zeros_like(a), e)
        grad[idx] = (proj * np.broadcast_to(f(*args), proj.shape)).sum()
    return grad


BINARY = {
    "add": (lambda x, y: x + y, np.add),
    "sub": (lambda x, y: x - y, np.subtract),
    "mul": (lambda x, y: x * y, np.multiply),
    "div": (lambda x, y: x / y, np.divide),
}


@FAST
@given(pair=broadcast_pair(), op=st.sampled_from(list(BINARY)), seed=st.integers(0, 2**16))
def test_binary_op_broadcasts_like_numpy_and_unbroadcasts_its_gradients(pair, op, seed):
    ours, theirs = BINARY[op]
    a, b = _values(pair[0], seed), _values(pair[1], seed + 1, positive=op == "div")
    x, y = cl.tensor(a, requires_grad=True), cl.tensor(b, requires_grad=True)
    out = ours(x, y)
    expected = theirs(a, b)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.detach().numpy(), expected)
    proj = _values(expected.shape, seed + 2)
    (out * cl.tensor(proj)).sum().backward()
    assert x.grad.shape == a.shape and y.grad.shape == b.shape
    if op in ("add", "sub"):  # linear in each input: the gradient is the sum over broadcast copies
        np.testing.assert_allclose(x.grad.numpy(), _grad_by_basis(theirs, a, b, proj, 0))
        np.testing.assert_allclose(y.grad.numpy(), _grad_by_basis(theirs, a, b, proj, 1))
    if op == "mul":  # linear in a for fixed b: d/da sum(p * a * b) = sum over copies of p * b
        np.testing.assert_allclose(
            x.grad.numpy(), _grad_by_basis(lambda e, _: e * b, a, b, proj, 0), atol=1e-12
        )


@st.composite
def matmul_shapes(draw):
    """Ranks 1-4 on each side; batch dims that broadcast; the inner sizes agree."""
    ra, rb = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    m, k, p = (draw(st.integers(1, 4)) for _ in range(3))
    batch = draw(st.lists(st.integers(1, 3), min_size=2, max_size=2))
    ba = [1 if draw(st.booleans()) else n for n in batch][2 - max(ra - 2, 0) :]
    bb = [1 if draw(st.booleans()) else n for n in batch][2 - max(rb - 2, 0) :]
    sa = (k,) if ra == 1 else (*ba, m, k)
    sb = (k,) if rb == 1 else (*bb, k, p)
    return sa, sb


@FAST
@given(shapes=matmul_shapes(), seed=st.integers(0, 2**16))
def test_matmul_equals_numpy_over_random_ranks(shapes, seed):
    a, b = _values(shapes[0], seed), _values(shapes[1], seed + 1)
    x, y = cl.tensor(a, requires_grad=True), cl.tensor(b, requires_grad=True)
    out = x @ y
    np.testing.assert_allclose(out.detach().numpy(), np.matmul(a, b), rtol=1e-12, atol=1e-12)
    proj = _values(np.matmul(a, b).shape, seed + 2)
    (out * cl.tensor(proj)).sum().backward()
    assert x.grad.shape == a.shape and y.grad.shape == b.shape
    # sum(proj * A B) is linear in A and in B: one basis vector at a time, with NumPy alone
    ga = _grad_by_basis(lambda e, _: np.matmul(e, b), a, b, proj, 0)
    gb = _grad_by_basis(lambda _, e: np.matmul(a, e), a, b, proj, 1)
    np.testing.assert_allclose(x.grad.numpy(), ga, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(y.grad.numpy(), gb, rtol=1e-10, atol=1e-12)


@FAST
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4), data=st.data())
def test_permute_and_transpose_round_trip(shape, data):
    a = _values(shape, len(shape))
    x = cl.tensor(a, requires_grad=True)
    perm = data.draw(st.permutations(range(len(shape))))
    inverse = list(np.argsort(perm))
    y = x.permute(*perm)
    assert y.shape == tuple(shape[i] for i in perm)
    np.testing.assert_array_equal(y.permute(inverse).detach().numpy(), a)
    i, j = (
        data.draw(st.integers(-len(shape), len(shape) - 1)),
        data.draw(st.integers(-len(shape), len(shape) - 1)),
    )
    z = x.transpose(i, j)
    np.testing.assert_array_equal(z.detach().numpy(), np.swapaxes(a, i, j))
    np.testing.assert_array_equal(z.transpose(i, j).detach().numpy(), a)
    (y.sum() + 2 * z.sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full(a.shape, 3.0))


@FAST
@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=4), data=st.data())
def test_reshape_round_trip(shape, data):
    a = _values(shape, 7)
    n = a.size
    divisors = [d for d in range(1, n + 1) if n % d == 0]
    d = data.draw(st.sampled_from(divisors))
    x = cl.tensor(a, requires_grad=True)
    y = x.reshape(d, -1)
    assert y.shape == (d, n // d)
    back = y.reshape(tuple(shape))
    np.testing.assert_array_equal(back.detach().numpy(), a)
    flat = x.flatten()
    assert flat.shape == (n,) and flat.tolist() == a.reshape(-1).tolist()
    (back * cl.tensor(a)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), a)


@FAST
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4), data=st.data())
def test_sum_and_mean_over_random_dims(shape, data):
    a = _values(shape, 3)
    nd = len(shape)
    chosen = data.draw(
        st.lists(st.integers(-nd, nd - 1), min_size=1, max_size=nd, unique_by=lambda d: d % nd)
    )
    keepdim = data.draw(st.booleans())
    x = cl.tensor(a, requires_grad=True)
    s = x.sum(tuple(chosen), keepdim=keepdim)
    m = x.mean(tuple(chosen), keepdim=keepdim)
    axes = tuple(chosen)
    np.testing.assert_allclose(s.detach().numpy(), a.sum(axis=axes, keepdims=keepdim))
    np.testing.assert_allclose(m.detach().numpy(), a.mean(axis=axes, keepdims=keepdim))
    (s.sum() + m.sum()).backward()
    count = np.prod([shape[d] for d in chosen])
    np.testing.assert_allclose(x.grad.numpy(), np.full(a.shape, 1 + 1 / count))
