"""The global random number generator behind `manual_seed`, `rand`, `randn` and `nn.init`.

One NumPy `Generator` plays the role of torch's default CPU generator. Seeding it makes the
course reproducible run to run; it does not reproduce torch's own random stream (torch uses a
different algorithm), so parity with torch is checked on distributions, not on sampled values.
"""

from __future__ import annotations

import contextlib

import numpy as np


class Generator:
    """A seedable source of random numbers (the role of torch.Generator)."""

    def __init__(self, seed: int = 67280421310721):
        self.manual_seed(seed)

    def manual_seed(self, seed: int) -> Generator:
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int:
        return self._seed

    def __repr__(self) -> str:
        return f"<course_lib.Generator object at {id(self):#x}>"


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the global generator (torch.manual_seed) and return it."""
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    return default_generator.initial_seed()


def rng() -> np.random.Generator:
    return default_generator.rng


def get_rng_state() -> dict:
    """A snapshot of the global generator's state (torch.get_rng_state; here NumPy's state dict)."""
    return default_generator.rng.bit_generator.state


def set_rng_state(state: dict) -> None:
    """Restore a snapshot taken by `get_rng_state()`: the next random numbers repeat."""
    default_generator.rng.bit_generator.state = state


@contextlib.contextmanager
def fork_rng():
    """Random numbers drawn inside leave the global stream where it was (torch.random.fork_rng).

    The checks and widgets use it, with `manual_seed` inside, so that running them never shifts
    the random numbers of the learner's next cell.
    """
    gen = default_generator
    saved_rng, saved_seed, saved_state = gen.rng, gen._seed, gen.rng.bit_generator.state
    try:
        yield
    finally:
        saved_rng.bit_generator.state = saved_state
        gen.rng, gen._seed = saved_rng, saved_seed
