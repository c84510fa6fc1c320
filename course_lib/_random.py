"""torch's CPU random number generator, value for value: `manual_seed`, `Generator` and the draws.

After `manual_seed(s)`, course_lib and torch 2.13 (CPU) give the same random numbers in the same
order: `rand`, `randn`, `randint`, `randperm`, `uniform_`, `normal_`, `random_`, `bernoulli_`,
`multinomial`, `normal` and every `nn.init` function. Here is how torch makes them.

The engine is MT19937 (the Mersenne Twister). `manual_seed(s)` keeps `s` (a 64-bit number) as
the initial seed and fills the 624-word state from its low 32 bits with Knuth's recurrence
state[j] = 1812433253 · (state[j-1] ^ (state[j-1] >> 30)) + j; this is also how NumPy's
legacy `RandomState(s)` seeds, so both produce the same 32-bit words. A 64-bit draw is two
32-bit words, the first one high. We let NumPy's `MT19937` bit generator run the engine (its
state is set from ours) and do everything else here.

    float32 uniform   (u32 & (2^24 - 1)) · 2^-24           one 32-bit word per value
    float64 uniform   (u64 & (2^53 - 1)) · 2^-53           one 64-bit draw per value
    U(a, b)           x · (b - a) + a, with a fused multiply-add, in the tensor's dtype
    randint/random_   low + u % (high - low): u is 32-bit, or 64-bit when the range is >= 2^32
    randperm(n)       start from 0..n-1; for i = 0..n-2 swap entry i with entry i + u32 % (n - i)
    bernoulli_(p)     float64 uniform < p  (a tensor p of float32: float32 uniform < p)
    multinomial       without replacement (or one sample): argmax / top-k of p / E with E ~ Exp(1),
                      E = -log1p(-u) from float64 uniforms; with replacement: a float64 uniform
                      per sample, looked up in the normalised cumulative sum (binary search)

Normal samples come from Box-Muller on two uniforms, by one of three paths:

* fewer than 16 values, or a non-contiguous tensor: float64 uniforms u1, u2 give
  r = sqrt(-2 log1p(-u2)), θ = 2π u1, the value r cos θ, and r sin θ is kept in the generator
  for the next such draw (it is part of the saved state); float32 tensors round these values.
* 16 or more float64 values: the tensor is first filled with uniforms; each block of 16 then
  becomes 8 pairs (u1 = 1 - x[j], u2 = x[j + 8]) with x[j] = r cos θ and x[j + 8] = r sin θ,
  r = sqrt(-2 log u1), θ = 2π u2. When the size is not a multiple of 16, the last 16 entries are
  drawn again and transformed as one more block.
* 16 or more float32 values: the same blocks, but torch's AVX2 kernel computes log, sin and cos
  with its own float32 polynomials (Cephes-style, with fused multiply-adds); we evaluate the same
  polynomials in the same order in NumPy.

What is exact and what is not: the integer paths (randint, random_, randperm, bernoulli_,
multinomial's indices) and the uniform paths are bit for bit. The float32 normal block path
reproduces torch's polynomials bit for bit (measured: every one of 303,216 values equal). The
float64 normals use the C library's log, sin and cos, as torch does (bit for bit with glibc).
Fused multiply-adds are emulated exactly for float32 results (float64 rounded to odd) and with
error-free arithmetic for float64 results, where a wrong last bit remains possible in rare
double-rounding cases: those values are within 1 ulp. torch itself gives other last bits on a CPU without AVX2 (it then uses the C library's
float32 functions), so "within 1 ulp" is the honest promise for normals; printed values agree.
`orthogonal_` goes through a QR decomposition (LAPACK in torch, NumPy here): equal to float
tolerance.
"""

from __future__ import annotations

import contextlib
import math
import os

import numpy as np

_DEFAULT_SEED = 67280421310721  # torch's seed for a new Generator
_N = 624  # MT19937 state words
_STATE_BYTES = 5056  # the size of torch's CPU generator state (get_rng_state)
_LARGE_RANDPERM = 0xFFFFFFFF // 20  # torch shuffles differently from here on


def _seeded_key(seed32: int) -> np.ndarray:
    """MT19937's initial 624 words for a 32-bit seed (Knuth's recurrence)."""
    key = [seed32]
    for j in range(1, _N):
        prev = key[-1]
        key.append((1812433253 * (prev ^ (prev >> 30)) + j) & 0xFFFFFFFF)
    return np.array(key, dtype=np.uint32)


class Generator:
    """A seedable source of random numbers: torch.Generator (CPU), the same stream as torch's.

    >>> g = Generator().manual_seed(0)
    >>> g.initial_seed()
    0
    """

    def __init__(self, device: str = "cpu"):
        if str(device) != "cpu":
            raise NotImplementedError("course_lib has CPU generators only (device='cpu')")
        self._bits = np.random.MT19937(0)
        self.manual_seed(_DEFAULT_SEED)

    @property
    def device(self):
        from .tensor import device

        return device("cpu")

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream from `seed` (any int in [-2^63, 2^64)); returns the generator."""
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed % 2**64
        self._set_engine(_seeded_key(self._seed & 0xFFFFFFFF), _N)
        self._fresh = True  # seeded, nothing drawn yet (torch reports next = 0 until then)
        self._next_double_normal: float | None = None
        self._next_float_normal: float | None = None
        return self

    def seed(self) -> int:
        """Seed from the operating system's entropy; returns the new seed."""
        s = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self):
        """The state as torch stores it: a uint8 tensor of 5056 bytes (interchangeable with torch)."""
        from .tensor import Tensor

        return Tensor._wrap(self._state_bytes())

    def set_state(self, new_state) -> Generator:
        """Restore a state from `get_state()` (ours or torch's): the next numbers repeat."""
        from .tensor import Tensor

        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state._array.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state.numel() != _STATE_BYTES:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} but found the input "
                f"RNG state size to be {new_state.numel()}"
            )
        self._load_state_bytes(np.ascontiguousarray(new_state._array).reshape(-1))
        return self

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {id(self):#x}>"

    # -- the engine ------------------------------------------------------------------------------

    def _set_engine(self, key: np.ndarray, pos: int) -> None:
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}

    def _u32(self, n: int) -> np.ndarray:
        """The next n 32-bit words (as uint64)."""
        if n <= 0:
            return np.zeros(0, dtype=np.uint64)
        self._fresh = False
        return self._bits.random_raw(n)

    def _u64(self, n: int) -> np.ndarray:
        """The next n 64-bit draws: two words each, the first one high."""
        w = self._u32(2 * n)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def _uniform32(self, n: int) -> np.ndarray:
        return (self._u32(n) & np.uint64(0xFFFFFF)).astype(np.float32) * np.float32(2**-24)

    def _uniform64(self, n: int) -> np.ndarray:
        return (self._u64(n) & np.uint64(2**53 - 1)).astype(np.float64) * 2.0**-53

    # -- torch's state layout --------------------------------------------------------------------
    # u64 initial seed | i32 left | i32 seeded | u64 next | 624 x u64 words | f64 normal_x |
    # f64 normal_y (the kept float64 normal) | f64 normal_rho | i32 valid | f32 kept float normal |
    # u8 valid | padding

    def _state_bytes(self) -> np.ndarray:
        st = self._bits.state["state"]
        pos = int(st["pos"])
        out = bytearray(_STATE_BYTES)
        left = _N + 1 - pos
        nxt = 0 if self._fresh else pos
        out[0:24] = (
            np.array([self._seed], "<u8").tobytes()
            + np.array([left, 1], "<i4").tobytes()
            + np.array([nxt], "<u8").tobytes()
        )
        out[24:5016] = np.asarray(st["key"], dtype="<u8").tobytes()
        if self._next_double_normal is not None:
            out[5024:5032] = np.array([self._next_double_normal], "<f8").tobytes()
            out[5040:5044] = np.array([1], "<i4").tobytes()
        if self._next_float_normal is not None:
            out[5044:5048] = np.array([self._next_float_normal], "<f4").tobytes()
            out[5048] = 1
        return np.frombuffer(bytes(out), dtype=np.uint8).copy()

    def _load_state_bytes(self, raw: np.ndarray) -> None:
        seed = int(raw[0:8].view("<u8")[0])
        left, seeded = (int(v) for v in raw[8:16].view("<i4"))
        nxt = int(raw[16:24].view("<u8")[0])
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = raw[24:5016].view("<u8").astype(np.uint32)
        self._seed = seed
        self._set_engine(key, _N if left == 1 else nxt)
        self._fresh = left == 1 and nxt == 0
        valid = int(raw[5040:5044].view("<i4")[0])
        self._next_double_normal = float(raw[5024:5032].view("<f8")[0]) if valid else None
        fvalid = bool(raw[5048])
        self._next_float_normal = float(raw[5044:5048].view("<f4")[0]) if fvalid else None


default_generator = Generator()


def _gen(generator: Generator | None) -> Generator:
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a Generator, but got {type(generator).__name__}")
    return generator


def manual_seed(seed: int) -> Generator:
    """Seed the global generator (torch.manual_seed) and return it."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the global generator from the operating system's entropy (torch.seed)."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the global generator was last seeded with (torch.initial_seed)."""
    return default_generator.initial_seed()


def get_rng_state():
    """The global generator's state, in torch's format: a uint8 tensor of 5056 bytes."""
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    """Restore a state taken by `get_rng_state()` (ours or torch's): the next numbers repeat."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng():
    """Random numbers drawn inside leave the global stream where it was (torch.random.fork_rng).

    The checks and widgets use it, with `manual_seed` inside, so that running them never shifts
    the random numbers of the learner's next cell.
    """
    gen = default_generator
    saved = gen._state_bytes()
    try:
        yield
    finally:
        gen._load_state_bytes(saved)


# ------------------------------------------------------------------------------------------------
# arithmetic helpers
# ------------------------------------------------------------------------------------------------


def _fma32(a, b, c) -> np.ndarray:
    """a·b + c rounded once to float32, as a fused multiply-add does.

    The product of two float32 numbers is exact in float64; the sum is rounded to float64 "to
    odd" (toward zero, last bit set when inexact), after which rounding to float32 is exact.
    """
    p = np.asarray(a, np.float64) * np.float64(b)
    c = np.asarray(c, np.float64)
    s = p + c
    bb = s - p
    err = (p - (s - bb)) + (c - bb)  # s + err == p + c exactly
    inexact = err != 0
    if np.any(inexact):
        s = np.array(s, dtype=np.float64, copy=True)
        toward_zero = inexact & ((err > 0) != (s > 0))  # s is farther from zero than p + c
        s[toward_zero] = np.nextafter(s[toward_zero], 0.0)
        bits = s.view(np.int64)
        bits[inexact] |= 1
    return s.astype(np.float32)


def _split(x: np.ndarray):
    t = 134217729.0 * x  # 2^27 + 1: Dekker's split into two 26-bit halves
    hi = t - (t - x)
    return hi, x - hi


def _fma64(a, b: float, c: float) -> np.ndarray:
    """a·b + c with one rounding, in float64 (error-free product and sum, then one addition)."""
    a = np.asarray(a, np.float64)
    b, c = np.float64(b), np.float64(c)
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    perr = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = p + c
    bb = s - p
    serr = (p - (s - bb)) + (c - bb)
    return s + (serr + perr)


def _libm(fn, x: np.ndarray) -> np.ndarray:
    """A C-library function applied value by value (NumPy's SIMD versions differ in the last bit)."""
    return np.array([fn(v) for v in x.tolist()], dtype=np.float64)


def torch_order(array: np.ndarray) -> np.ndarray:
    """A view of `array` whose C order is the order torch fills it (memory order, by strides)."""
    if array.flags.c_contiguous or array.ndim < 2:
        return array
    axes = sorted(range(array.ndim), key=lambda d: -abs(array.strides[d]))
    return array.transpose(axes)


def fill(array: np.ndarray, values: np.ndarray) -> None:
    """Write `values` (flat, in draw order) into `array` in the order torch fills it."""
    view = torch_order(array)
    view[...] = values.reshape(view.shape)


# ------------------------------------------------------------------------------------------------
# distributions: each returns the values for n elements, in the order torch draws them
# ------------------------------------------------------------------------------------------------


def check_uniform_bounds(a: float, b: float) -> None:
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}"
        )


def uniform(gen: Generator, n: int, dt: np.dtype, a: float = 0.0, b: float = 1.0) -> np.ndarray:
    """n samples of U(a, b) in dtype dt (float32 or float64)."""
    if dt == np.float64:
        x = gen._uniform64(n)
        return x if (a, b) == (0.0, 1.0) else _fma64(x, b - a, a)
    x = gen._uniform32(n)
    lo, hi = np.float32(a), np.float32(b)
    return x if (lo, hi) == (0, 1) else _fma32(x, hi - lo, lo)


def _normal_scalar(gen: Generator, n: int, mean: float, std: float) -> np.ndarray:
    """Box-Muller one pair at a time on float64 uniforms; the spare value waits in `gen`."""
    out = np.empty(n, dtype=np.float64)
    start = 0
    if n and gen._next_double_normal is not None:
        out[0], gen._next_double_normal = gen._next_double_normal, None
        start = 1
    k = n - start
    pairs = (k + 1) // 2
    if pairs:
        d = gen._uniform64(2 * pairs).tolist()
        vals = []
        for u1, u2 in zip(d[0::2], d[1::2]):
            r = math.sqrt(-2.0 * math.log1p(-u2))
            theta = 2.0 * math.pi * u1
            vals += [r * math.cos(theta), r * math.sin(theta)]
        out[start:] = vals[:k]
        if k % 2:
            gen._next_double_normal = vals[-1]
    return _fma64(out, std, mean)


_F32 = np.float32
_LOG_P = (
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
)  # fmt: skip


def _log_f32(x: np.ndarray) -> np.ndarray:
    """Natural log as torch's AVX2 kernel computes it: x = m·2^e, a polynomial in m - 1."""
    bits = np.maximum(x, np.int32(0x00800000).view(_F32)).view(np.int32)
    e = ((bits >> 23) - 127).astype(_F32) + _F32(1)
    m = ((bits & ~0x7F800000) | _F32(0.5).view(np.int32)).view(_F32)  # m in [0.5, 1)
    small = m < _F32(0.707106781186547524)
    m = (m - _F32(1)) + np.where(small, m, _F32(0))  # m - 1, or 2m - 1 with e lowered by one
    e = e - small.astype(_F32)
    z = m * m
    y = np.full_like(m, _F32(_LOG_P[0]))
    for p in _LOG_P[1:]:
        y = _fma32(y, m, _F32(p))
    y = y * m
    y = _fma32(y, z, e * _F32(-2.12194440e-4))
    y = _fma32(-z, _F32(0.5), y)
    return _fma32(e, _F32(0.693359375), m + y)


def _sincos_f32(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sin and cos as torch's AVX2 kernel computes them (for x >= 0): reduce by π/4, two polynomials."""
    j = (x * _F32(1.27323954473516)).astype(np.int32)  # x / (π/4), truncated
    j = (j + 1) & ~1
    y = j.astype(_F32)
    for dp in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = _fma32(y, _F32(dp), x)  # x - j·π/4 in three exact-ish pieces
    z = x * x
    c = _fma32(_F32(2.443315711809948e-5), z, _F32(-1.388731625493765e-3))
    c = _fma32(c, z, _F32(4.166664568298827e-2)) * z
    c = _fma32(c, z, -(z * _F32(0.5))) + _F32(1)
    s = _fma32(_F32(-1.9515295891e-4), z, _F32(8.3321608736e-3))
    s = _fma32(s, z, _F32(-1.6666654611e-1)) * z
    s = _fma32(s, x, x)
    first = (j & 2) == 0
    sin, cos = np.where(first, s, c), np.where(first, c, s)
    sin = np.where((j & 4) != 0, -sin, sin)
    cos = np.where((~(j - 2) & 4) != 0, -cos, cos)
    return sin, cos


def _box_muller_blocks(x: np.ndarray, mean: float, std: float) -> None:
    """Turn each block of 16 uniforms in x (whole blocks only) into 16 normals, in place."""
    blocks = x.reshape(-1, 16)
    u1, u2 = 1 - blocks[:, :8], blocks[:, 8:]
    if x.dtype == np.float32:
        r = np.sqrt(_F32(-2) * _log_f32(u1))
        sin, cos = _sincos_f32(_F32(2 * math.pi) * u2)
        blocks[:, :8] = _fma32(r * cos, _F32(std), _F32(mean))
        blocks[:, 8:] = _fma32(r * sin, _F32(std), _F32(mean))
    else:
        r = np.sqrt(-2 * _libm(math.log, u1.ravel()))
        theta = (2.0 * math.pi * u2).ravel()
        blocks[:, :8] = _fma64(r * _libm(math.cos, theta), std, mean).reshape(-1, 8)
        blocks[:, 8:] = _fma64(r * _libm(math.sin, theta), std, mean).reshape(-1, 8)


def normal(
    gen: Generator, n: int, dt: np.dtype, mean: float = 0.0, std: float = 1.0, contiguous=True
) -> np.ndarray:
    """n samples of N(mean, std²) in dtype dt, by the path torch takes for that size."""
    if n < 16 or not contiguous:
        return _normal_scalar(gen, n, mean, std).astype(dt)
    draw = gen._uniform32 if dt == np.float32 else gen._uniform64
    x = draw(n)
    whole = n - n % 16
    _box_muller_blocks(x[:whole], mean, std)
    if n % 16:
        tail = draw(16)  # the last 16 entries are drawn again and transformed together
        _box_muller_blocks(tail, mean, std)
        x[n - 16 :] = tail
    return x


def random_from_to(gen: Generator, n: int, low: int, high: int) -> np.ndarray:
    """n integers low + u % (high - low) (as int64 or uint64 values)."""
    span = high - low
    u = gen._u64(n) if span >= 2**32 else gen._u32(n)
    return (u % np.uint64(span)).astype(np.int64) + np.int64(low)


def random_default(gen: Generator, n: int, dt: np.dtype) -> np.ndarray:
    """`random_()` with no bounds: [0, 2^digits] for floats, [0, max] for integers."""
    if dt == np.float64:
        return (gen._u64(n) % np.uint64(2**53 + 1)).astype(dt)
    if dt == np.float32:
        return (gen._u32(n) % np.uint64(2**24 + 1)).astype(dt)
    if dt == np.int64:
        return (gen._u64(n) % np.uint64(2**63)).astype(dt)
    if dt == np.bool_:
        return (gen._u32(n) & np.uint64(1)).astype(dt)
    return (gen._u32(n) % np.uint64(int(np.iinfo(dt).max) + 1)).astype(dt)


def randperm(gen: Generator, n: int) -> np.ndarray:
    """A random permutation of 0..n-1 as torch's CPU randperm makes it."""
    if n >= _LARGE_RANDPERM:
        raise NotImplementedError(
            f"randperm(n) for n >= {_LARGE_RANDPERM} is not implemented in course_lib "
            "(torch switches to another shuffle there)"
        )
    perm = list(range(n))
    if n > 1:
        offsets = (gen._u32(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        for i, z in enumerate(offsets):  # swap entry i with a random entry at or after it
            j = i + z
            perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, dtype=np.int64)


def bernoulli(gen: Generator, p: np.ndarray | float, n: int) -> np.ndarray:
    """n draws of (uniform < p) as bool: float64 uniforms, float32 ones for a float32 tensor p."""
    if isinstance(p, np.ndarray) and p.dtype == np.float32:
        return gen._uniform32(n) < p
    return gen._uniform64(n) < p


def exponential(gen: Generator, n: int, lambd: float = 1.0) -> np.ndarray:
    """n samples of Exp(lambd) in float64: -1/lambd · log1p(-u)."""
    return (-1.0 / lambd) * _libm(math.log1p, -gen._uniform64(n))
