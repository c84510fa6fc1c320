"""torch computes inf and nan silently: course_lib must not let NumPy's RuntimeWarnings (divide by
zero, invalid value, overflow, invalid cast) through, in any op family, forward or backward.

Each op runs on values that make NumPy warn (0, ±inf, nan, 1e38, -0.) in both libraries, with
every warning switched on; the warnings seen must be torch's (none, for these)."""

import warnings

import pytest

import course_lib

VALUES = [0.0, -1.0, float("inf"), -float("inf"), float("nan"), 1e38, -0.0, 2.0]

OPS = {
    "exp": lambda T, x: x.exp(),
    "log": lambda T, x: x.log(),
    "sqrt": lambda T, x: x.sqrt(),
    "rsqrt": lambda T, x: x.rsqrt(),
    "reciprocal": lambda T, x: x.reciprocal(),
    "sigmoid": lambda T, x: x.sigmoid(),
    "cosh": lambda T, x: x.cosh(),
    "x ** 0.5": lambda T, x: x**0.5,
    "x ** -1": lambda T, x: x**-1,
    "x ** x": lambda T, x: x**x,
    "0 ** x": lambda T, x: 0**x,
    "x / x": lambda T, x: x / x,
    "1 / x": lambda T, x: 1 / x,
    "x // x": lambda T, x: x.detach() // x.detach(),
    "x % x": lambda T, x: x % x,
    "x * x": lambda T, x: x * x,
    "x - x": lambda T, x: x - x,
    "torch.div floor": lambda T, x: T.div(x, x, rounding_mode="floor"),
    "torch.div trunc": lambda T, x: T.div(x, x, rounding_mode="trunc"),
    "torch.add alpha": lambda T, x: T.add(x, x, alpha=-1),
    "x.square()": lambda T, x: x.square(),
    "x /= x": lambda T, x: x.detach().__itruediv__(x.detach()),
    "x *= x": lambda T, x: x.detach().__imul__(x.detach()),
    "x -= x": lambda T, x: x.detach().__isub__(x.detach()),
    "div_(0)": lambda T, x: x.detach().div_(0.0),
    "mul_(inf)": lambda T, x: x.detach().mul_(float("inf")),
    "log_()": lambda T, x: x.detach().log_(),
    "pow_(-1)": lambda T, x: x.detach().pow_(-1),
    "sum": lambda T, x: x.sum(),
    "mean": lambda T, x: x.mean(),
    "std": lambda T, x: x.std(),
    "var": lambda T, x: x.var(),
    "softmax": lambda T, x: x.softmax(0),
    "log_softmax": lambda T, x: x.log_softmax(0),
    "logsumexp": lambda T, x: x.logsumexp(0),
    "norm": lambda T, x: x.norm(),
    "long()": lambda T, x: x.long(),
    "int()": lambda T, x: x.int(),
    "to(int64)": lambda T, x: x.to(T.int64),
    "matmul": lambda T, x: x.view(2, 4) @ x.view(4, 2),
    "mm": lambda T, x: T.mm(x.view(2, 4), x.view(4, 2)),
    "dot": lambda T, x: x @ x,
    "addmm": lambda T, x: T.addmm(x.view(2, 4)[:, :2], x.view(2, 4), x.view(4, 2)),
    "linear": lambda T, x: T.nn.functional.linear(x.view(2, 4), x.view(2, 4), x[:2]),
    "mse_loss": lambda T, x: T.nn.functional.mse_loss(x, x * 0),
    "cross_entropy": lambda T, x: T.nn.functional.cross_entropy(x.view(2, 4), T.tensor([0, 1])),
    "layer_norm": lambda T, x: T.nn.functional.layer_norm(x.view(2, 4), (4,)),
    "softmax module": lambda T, x: T.nn.Softmax(dim=0)(x),
    "linspace to inf": lambda T, x: T.linspace(0, float("inf"), 3) * x[:3],
}


def _warnings(T, name, dtype, backward):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x = T.tensor(VALUES, dtype=getattr(T, dtype), requires_grad=backward)
        y = OPS[name](T, x)
        if backward and y.requires_grad:
            y.sum().backward()
    return sorted({(w.category.__name__, str(w.message)) for w in caught})


@pytest.mark.parametrize("backward", [False, True], ids=["forward", "backward"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(OPS))
def test_no_numpy_warnings_where_torch_is_silent(torch, name, dtype, backward):
    assert _warnings(course_lib, name, dtype, backward) == _warnings(torch, name, dtype, backward)


def test_numpy_still_warns_outside_course_lib():
    """course_lib silences NumPy inside its own ops only: a learner's NumPy code still warns."""
    import numpy as np

    course_lib.tensor([0.0]) / 0
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        np.array([1.0]) / 0
