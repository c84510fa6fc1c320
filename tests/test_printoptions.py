"""torch.set_printoptions: precision, threshold, edgeitems, linewidth, profile and sci_mode change
every repr exactly as they change torch's."""

import numpy as np
import pytest

import course_lib as cl
from course_lib._tensor_str import get_printoptions, printoptions

OPTIONS = dict(
    precision=[None, 0, 1, 2, 6, 8],
    threshold=[None, 5, 10, 50, float("inf")],
    edgeitems=[None, 0, 1, 2, 4],
    linewidth=[None, 20, 40, 120],
    profile=[None, None, "default", "short", "full"],
    sci_mode=[None, None, True, False],
)


@pytest.fixture(autouse=True)
def _default_options(torch):
    yield
    cl.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


def _draw(rng):
    options = {}
    for name, choices in OPTIONS.items():
        choice = choices[int(rng.integers(len(choices)))]
        if choice is not None:
            options[name] = choice
    shape = tuple(int(n) for n in rng.integers(0, 8, int(rng.integers(0, 4))))
    size = int(np.prod(shape))
    values = [
        rng.standard_normal(size) * 10.0 ** rng.integers(-6, 9),
        rng.integers(-50, 50, size).astype(float),
        rng.choice([0.0, np.inf, np.nan, -1.5, 1e-9], size),
    ][int(rng.integers(3))].reshape(shape)
    return options, values, str(rng.choice(["float32", "float64", "int64", "bool"]))


def _printed(T, options, values, dtype):
    T.set_printoptions(**options)
    try:
        t = T.tensor(values.tolist(), dtype=T.float64)
        t = t > 0.5 if dtype == "bool" else t.to(getattr(T, dtype))
        if dtype.startswith("float"):
            t = t.requires_grad_() * 1  # a grad_fn suffix, wrapped at the line width too
        return repr(t), str(t)
    finally:
        T.set_printoptions(profile="default")


@pytest.mark.parametrize("seed", range(40))
def test_reprs_under_random_print_options_match_torch(torch, seed):
    rng = np.random.default_rng(seed)
    for _ in range(10):
        options, values, dtype = _draw(rng)
        assert _printed(cl, options, values, dtype) == _printed(torch, options, values, dtype), (
            options,
            dtype,
            values.shape,
        )


def test_the_docstring_example_and_reset(torch):
    for T in (cl, torch):
        T.set_printoptions(precision=2)
        assert repr(T.tensor([1.12345])) == "tensor([1.12])"
        T.set_printoptions(threshold=5)
        assert repr(T.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
        T.set_printoptions(profile="default")
        assert repr(T.tensor([1.12345])) == "tensor([1.1235])"


def test_every_call_resets_sci_mode_and_an_unknown_profile_changes_nothing(torch):
    for T in (cl, torch):
        T.set_printoptions(sci_mode=True)
        assert repr(T.tensor([1.5])) == "tensor([1.5000e+00])"
        T.set_printoptions(precision=3)  # sci_mode back to None
        assert repr(T.tensor([1.5])) == "tensor([1.500])"
        T.set_printoptions(profile="no such profile")
        assert repr(T.tensor([1.5])) == "tensor([1.500])"


def test_printoptions_context_restores(torch):
    with printoptions(precision=1, sci_mode=False):
        assert repr(cl.tensor([1e-5, 2.25])) == "tensor([0.0, 2.2])"
    assert get_printoptions() == torch._tensor_str.get_printoptions()
    assert repr(cl.tensor([1e-5, 2.25])) == "tensor([1.0000e-05, 2.2500e+00])"
