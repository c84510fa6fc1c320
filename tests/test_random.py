"""Same seed, same numbers: course_lib's random draws against torch 2.13's CPU generator.

Bit for bit everywhere (uniforms, integers, permutations, Bernoulli, normals on every path);
`orthogonal_` goes through a QR decomposition and is compared to float tolerance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import course_lib as cl

SEEDS = (0, 1, 42, 2**32 + 5, 67280421310721)
SIZES = (1, 5, 15, 16, 17, 31, 32, 100, 1000)
DTYPES = ("float32", "float64")


def same(ours, theirs):
    """Bit-for-bit equality of a course_lib tensor and a torch tensor (dtype and shape too)."""
    a, b = ours.numpy(), theirs.detach().numpy()
    assert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, b.dtype, a.shape, b.shape)
    np.testing.assert_array_equal(a, b)


def both(torch, seed, fn):
    """fn(module) run after manual_seed(seed) in course_lib and in torch."""
    cl.manual_seed(seed)
    torch.manual_seed(seed)
    return fn(cl), fn(torch)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_rand_and_randn(torch, seed, dt, n):
    for name in ("rand", "randn"):
        ours, theirs = both(torch, seed, lambda m, f=name: getattr(m, f)(n, dtype=getattr(m, dt)))
        same(ours, theirs)


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("shape", [(3, 5), (4, 4), (7, 3, 5), (2, 0), ()])
def test_shapes_and_in_place_fills(torch, seed, dt, shape):
    def draw(m):
        d = getattr(m, dt)
        a = m.empty(shape, dtype=d).uniform_(-0.37, 1.91)
        b = m.empty(shape, dtype=d).normal_(0.25, 3.5)
        c = m.randn(shape, dtype=d)
        return m.stack([a, b, c])

    ours, theirs = both(torch, seed, draw)
    same(ours, theirs)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_call_orders_share_one_stream_and_the_spare_normal(torch, seed):
    # randn of 1..15 values keeps a spare value that the next small draw uses first; the block
    # path (16+) neither uses nor clears it
    def draws(m):
        out = [m.randn(3), m.rand(2), m.randn(1, dtype=m.float64), m.randn(20), m.randn(1)]
        out += [m.randint(0, 7, (4,)).to(m.float32), m.randn(15), m.randn(16), m.rand(17)]
        out += [m.randperm(9).to(m.float32), m.randn(5, dtype=m.float64).to(m.float32)]
        return m.cat(out)

    ours, theirs = both(torch, seed, draws)
    same(ours, theirs)


def test_non_contiguous_fills_follow_memory_order(torch):
    def draws(m):
        a = m.zeros(6, 5)
        a.T.normal_()  # non-contiguous: the one-pair-at-a-time path
        b = m.zeros(4, 8)
        b[:, 1:5].uniform_(-2, 2)
        b.T[1:3].normal_(1.0, 0.5)
        return m.cat([a.reshape(-1), b.reshape(-1)])

    ours, theirs = both(torch, 3, draws)
    same(ours, theirs)


@pytest.mark.parametrize("seed", SEEDS)
def test_randint(torch, seed):
    def draws(m):
        return m.cat(
            [
                m.randint(0, 10, (50,)),
                m.randint(-5, 5, (3, 4)).reshape(-1),
                m.randint(7, (20,)),
                m.randint(-(2**40), 2**40, (10,)),  # a range of 2^32 or more: 64-bit draws
                m.randint(0, 2**32, (5,)),
                m.randint(3, 4, (2,)),
            ]
        )

    ours, theirs = both(torch, seed, draws)
    same(ours, theirs)
    ours, theirs = both(torch, seed, lambda m: m.randint(0, 10, (6,), dtype=m.float32))
    same(ours, theirs)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", [0, 1, 2, 5, 16, 60, 150, 1000, 20000])
def test_randperm(torch, seed, n):
    ours, theirs = both(torch, seed, lambda m: m.randperm(n))
    same(ours, theirs)


def test_randperm_refuses_what_it_does_not_implement():
    with pytest.raises(NotImplementedError, match="randperm"):
        cl.randperm(2**40)


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("dt", ("float32", "float64", "int64", "int32", "uint8"))
def test_random_(torch, seed, dt):
    def draws(m):
        d = getattr(m, dt)
        return m.cat(
            [
                m.zeros(20, dtype=d).random_(),
                m.zeros(20, dtype=d).random_(100),
                m.zeros(20, dtype=d).random_(3, 90),
            ]
        )

    ours, theirs = both(torch, seed, draws)
    same(ours, theirs)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_bernoulli(torch, seed):
    def draws(m):
        p32 = m.rand(40)
        p64 = m.rand(40, dtype=m.float64)
        return m.cat(
            [
                m.empty(40).bernoulli_(0.3),
                m.empty(40, dtype=m.float64).bernoulli_(0.5),
                m.empty(40).bernoulli_(p32),
                m.empty(40).bernoulli_(p64),
                m.bernoulli(p32),
                m.empty(10, dtype=m.int64).bernoulli_(0.7).to(m.float32),
            ]
        )

    ours, theirs = both(torch, seed, draws)
    same(ours, theirs)
    with pytest.raises(
        RuntimeError, match=r"bernoulli_ expects p to be in \[0, 1\], but got p=1.5"
    ):
        cl.empty(3).bernoulli_(1.5)


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("dt", DTYPES)
def test_multinomial(torch, seed, dt):
    def draws(m):
        d = getattr(m, dt)
        w = m.tensor([[0.1, 2.0, 0.0, 3.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0]], dtype=d)
        v = m.tensor([0.2, 0.5, 0.3], dtype=d)
        return m.cat(
            [
                m.multinomial(v, 1),
                m.multinomial(v, 3),
                m.multinomial(v, 10, replacement=True),
                m.multinomial(w, 3).reshape(-1),
                m.multinomial(w, 7, replacement=True).reshape(-1),
                m.multinomial(w, 1, replacement=True).reshape(-1),
            ]
        )

    ours, theirs = both(torch, seed, draws)
    same(ours, theirs)


@pytest.mark.parametrize("bad, message", [
    ([0.0, 0.0], "invalid multinomial distribution \\(sum of probabilities <= 0\\)"),
    ([1.0, -1.0], "probability tensor contains either `inf`, `nan` or element < 0"),
])  # fmt: skip
def test_multinomial_errors(torch, bad, message):
    for m in (cl, torch):
        with pytest.raises(RuntimeError, match=message):
            m.multinomial(m.tensor(bad), 1)
    for m in (cl, torch):
        with pytest.raises(RuntimeError, match="cannot sample n_sample > prob_dist.size"):
            m.multinomial(m.tensor([1.0, 1.0]), 3)


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("n", [3, 20])
def test_normal(torch, seed, n):
    def draws(m):
        mean = m.arange(n) / 7.0 - 1  # (linspace rounds differently: not this test's subject)
        std = m.arange(n) / 9.0 + 0.1
        return m.cat(
            [
                m.normal(0.5, 2.0, (n,)),
                m.normal(mean, std),
                m.normal(mean, 0.3),
                m.normal(mean, m.tensor(0.7)),
                m.normal(0.4, std),
            ]
        )

    ours, theirs = both(torch, seed, draws)
    same(ours, theirs)


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("dt", DTYPES)
def test_like_factories(torch, seed, dt):
    def draws(m):
        x = m.zeros(4, 5, dtype=getattr(m, dt))
        return m.cat([m.rand_like(x), m.randn_like(x), m.randn_like(x[:2, :1]).expand(2, 5)])

    ours, theirs = both(torch, seed, draws)
    same(ours, theirs)


INITS = [
    ("uniform_", {}),
    ("uniform_", {"a": -0.3, "b": 0.8}),
    ("normal_", {"mean": 0.2, "std": 0.02}),
    ("xavier_uniform_", {}),
    ("xavier_uniform_", {"gain": 1.414}),
    ("xavier_normal_", {}),
    ("kaiming_uniform_", {}),
    ("kaiming_uniform_", {"a": math.sqrt(5)}),
    ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", {}),
    ("kaiming_normal_", {"a": 0.2}),
    ("trunc_normal_", {}),
    ("trunc_normal_", {"std": 0.02}),
    ("trunc_normal_", {"mean": 0.0, "std": 1.0, "a": 1.5, "b": 3.0}),  # rejection path
]


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("shape", [(3, 4), (8, 16), (64, 33), (4, 3, 2, 2)])
@pytest.mark.parametrize("name, kwargs", INITS, ids=[f"{n}{k}" for n, k in INITS])
def test_init_functions(torch, seed, dt, shape, name, kwargs):
    def draw(m):
        w = m.empty(shape, dtype=getattr(m, dt))
        getattr(m.nn.init, name)(w, **kwargs)
        return m.cat([w.reshape(-1), m.rand(3, dtype=w.dtype)])  # and the stream after it

    ours, theirs = both(torch, seed, draw)
    same(ours, theirs)


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("shape, gain", [((3, 5), 1), ((5, 3), 1), ((4, 4), 2.0), ((6, 2, 3), 1)])
def test_orthogonal_to_float_tolerance_and_the_stream_after_it(torch, seed, shape, gain):
    def draw(m):
        w = m.nn.init.orthogonal_(m.empty(shape), gain=gain)
        return w, m.rand(4)

    (w1, r1), (w2, r2) = both(torch, seed, draw)
    np.testing.assert_allclose(w1.numpy(), w2.numpy(), rtol=0, atol=1e-5)
    same(r1, r2)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_module_default_inits(torch, seed):
    def build(m):
        model = m.nn.Sequential(
            m.nn.Embedding(10, 4, padding_idx=0),
            m.nn.Linear(4, 8),
            m.nn.LayerNorm(8),
            m.nn.Linear(8, 3, bias=False),
            m.nn.Linear(3, 1),
        )
        return m.cat([p.detach().reshape(-1) for p in model.parameters()] + [m.rand(2)])

    ours, theirs = both(torch, seed, build)
    same(ours, theirs)


@pytest.mark.parametrize("dt", DTYPES)
def test_generator_objects_and_generator_arguments(torch, dt):
    def draws(m):
        d = getattr(m, dt)
        g = m.Generator().manual_seed(11)
        w = m.empty(5, 5, dtype=d)
        out = [
            m.rand(4, generator=g, dtype=d),
            m.randn(17, generator=g, dtype=d),
            m.randint(0, 9, (5,), generator=g).to(d),
            m.randperm(7, generator=g).to(d),
            m.empty(3, dtype=d).normal_(generator=g),
            m.empty(3, dtype=d).uniform_(generator=g),
            m.empty(3, dtype=d).bernoulli_(0.5, generator=g),
            m.nn.init.xavier_uniform_(w, generator=g).reshape(-1),
            m.nn.init.kaiming_normal_(w, generator=g).reshape(-1),
            m.nn.init.trunc_normal_(w, generator=g).reshape(-1),
            m.multinomial(m.tensor([0.2, 0.8], dtype=d), 1, generator=g).to(d),
            m.rand(3, dtype=d),  # the global stream, untouched by all of the above
        ]
        return m.cat(out)

    ours, theirs = both(torch, 5, draws)
    same(ours, theirs)


def test_new_generator_seed_initial_seed():
    g = cl.Generator()
    assert g.initial_seed() == 67280421310721
    assert cl.manual_seed(2**40 + 5).initial_seed() == 2**40 + 5
    assert cl.manual_seed(-1).initial_seed() == 2**64 - 1
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        cl.manual_seed(2**64)
    s = cl.seed()
    assert cl.initial_seed() == s
    assert repr(g).startswith("<torch._C.Generator object at 0x")


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_rng_states_interchange_with_torch(torch, seed):
    def after_some_draws(m):
        m.manual_seed(seed)
        m.randn(3)  # leaves a spare normal in the state
        m.rand(5)
        return m.get_rng_state()

    ours, theirs = after_some_draws(cl), after_some_draws(torch)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    cl.manual_seed(seed)
    torch.manual_seed(seed)
    np.testing.assert_array_equal(cl.get_rng_state().numpy(), torch.get_rng_state().numpy())
    # a state saved by torch restores course_lib, and the other way round
    cl.set_rng_state(cl.tensor(theirs.numpy()))
    torch.set_rng_state(torch.from_numpy(ours.numpy().copy()))
    same(cl.randn(7), torch.randn(7))
    same(cl.randn(40), torch.randn(40))


def test_state_round_trip_and_bad_states(torch):
    state = cl.get_rng_state()
    a = cl.randn(9)
    cl.set_rng_state(state)
    np.testing.assert_array_equal(cl.randn(9).numpy(), a.numpy())
    for m in (cl, torch):
        with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056"):
            m.set_rng_state(m.zeros(10, dtype=m.uint8))
        with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
            m.set_rng_state(m.zeros(5056))


def test_fork_rng_leaves_the_global_stream_where_it_was():
    from course_lib import _random

    cl.manual_seed(3)
    cl.randn(1)  # a spare normal is kept; fork_rng must keep it too
    expected = cl.get_rng_state()
    with _random.fork_rng():
        cl.manual_seed(99)
        cl.randn(100)
    np.testing.assert_array_equal(cl.get_rng_state().numpy(), expected.numpy())
    assert cl.initial_seed() == 3


def test_randn_without_a_size_raises_as_torch_does(torch):
    for m in (cl, torch):
        for fn in (m.randn, m.rand):
            with pytest.raises(TypeError, match=r"received an invalid combination of arguments"):
                fn(*())
    assert cl.randn(()).shape == torch.randn(()).shape == ()


def test_float32_block_normals_are_bit_exact_over_many_values(torch):
    """The float32 Box-Muller blocks reproduce torch's AVX2 log/sin/cos, bit for bit."""
    ours, theirs = both(torch, 2024, lambda m: m.randn(200_000))
    same(ours, theirs)
    ours, theirs = both(torch, 7, lambda m: m.empty(4099).normal_(-1.5, 0.01))
    same(ours, theirs)
