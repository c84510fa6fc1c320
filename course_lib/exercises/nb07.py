"""Notebook 07 (Softmax and `dim`): a stable softmax, predictions about `dim`, a stable log_softmax.

The implementations are checked against course_lib's own `Tensor.softmax` / `log_softmax` on
reference cases: a square matrix (where a forgotten `keepdim=True` still runs but divides the wrong
way), non-square 2-D and 3-D tensors (so a wrong dim shows), a 1-D vector, negative dims, and
logits of ±1e4 (where the naive formula overflows). The first case that goes wrong names the
mistake. While a check runs, the learner's code may not call the built-in it re-implements.
"""

from __future__ import annotations

import contextlib
from numbers import Integral

import numpy as np

from ..creation import tensor
from ..tensor import Tensor
from ._check import Mistake, as_array, exercise, expect_close, run

# -- shared helpers ----------------------------------------------------------------------------


@contextlib.contextmanager
def _builtins_refused(*names: str):
    """Make Tensor.<name> (and so F.<name>, nn.<Name>) raise a Mistake while the check runs."""
    saved = {name: getattr(Tensor, name) for name in names}

    def refuse(name):
        def refused(self, *args, **kwargs):
            raise Mistake(
                f"your code calls the built-in {name}: this exercise is to build it yourself "
                "from exp, log, max and sum"
            )

        return refused

    try:
        for name in names:
            setattr(Tensor, name, refuse(name))
        yield
    finally:
        for name, method in saved.items():
            setattr(Tensor, name, method)


def _softmax_np(a: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax_np(a: np.ndarray, axis: int) -> np.ndarray:
    s = a - a.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def _broadcast_or_none(fn):
    """fn() if the shapes broadcast, else None (a mistake that would raise on this case)."""
    try:
        with np.errstate(all="ignore"):
            return fn()
    except ValueError:
        return None


def _which(max_keep: bool, sum_keep: bool) -> str:
    return {(False, True): "the max", (True, False): "the sum"}.get(
        (max_keep, sum_keep), "the max and the sum"
    )


def _no_keepdim(a: np.ndarray, d: int) -> dict:
    """{which reduction lost keepdim: the values a softmax then gives} (runs on square inputs)."""
    out = {}
    for max_keep in (True, False):
        e = _broadcast_or_none(lambda k=max_keep: np.exp(a - a.max(axis=d, keepdims=k)))
        if e is None:
            continue
        for sum_keep in (True, False):
            if max_keep and sum_keep:
                continue  # that one is correct
            v = _broadcast_or_none(lambda e=e, k=sum_keep: e / e.sum(axis=d, keepdims=k))
            if v is not None:
                out[_which(max_keep, sum_keep)] = v
    return out


def _no_keepdim_log(a: np.ndarray, d: int) -> dict:
    """The same for log_softmax: (x - max) - log(sum(exp(x - max)))."""
    out = {}
    for max_keep in (True, False):
        for sum_keep in (True, False):
            if max_keep and sum_keep:
                continue

            def f(mk=max_keep, sk=sum_keep):
                s = a - a.max(axis=d, keepdims=mk)
                return s - np.log(np.exp(s).sum(axis=d, keepdims=sk))

            v = _broadcast_or_none(f)
            if v is not None:
                out[_which(max_keep, sum_keep)] = v
    return out


# (shape, dim, scale) in the order they are tried: the first failure names the simplest mistake
_CASES = [
    ((4, 4), 1, 1.0),  # square: a forgotten keepdim runs, but divides the wrong way
    ((3, 5), 1, 1.0),
    ((3, 5), 0, 1.0),
    ((2, 3, 4), 2, 1.0),
    ((2, 3, 4), 1, 1.0),
    ((2, 3, 4), -1, 1.0),
    ((2, 3, 4), -3, 1.0),
    ((5,), 0, 1.0),
    ((5,), -1, 1.0),
    ((3, 5), -1, 1e4),  # logits of ±1e4: exp overflows without the max subtracted
    ((2, 3, 4), 1, 1e4),
]


def _inputs():
    """Seeded reference inputs, float32 like torch's, one per case."""
    rng = np.random.default_rng(7)
    for shape, dim, scale in _CASES:
        a = rng.standard_normal(shape).astype(np.float32)
        if scale != 1.0:
            a = np.sign(a) * np.float32(scale) + a  # values near ±1e4
        yield tensor(a), dim, scale


def _where(x: Tensor, dim: int, scale: float) -> str:
    big = " with logits of about ±1e4" if scale != 1.0 else ""
    return f"a tensor of shape {tuple(x.shape)}, dim={dim}{big}"


def _wrong_dims(a: np.ndarray, dim: int, fn, kind: str) -> dict:
    """Diagnoses for normalising over another dim than `dim`."""
    d = dim % a.ndim
    wrong = {}
    for other in range(a.ndim):
        if other == d or a.shape[other] == 1:
            continue
        msg = f"you normalised over dim {other}"
        if a.ndim == 2:
            names = {0: "column", 1: "row"}
            msg += (
                f" — every {names[other]} {kind}, but each {names[d]} should "
                f"(dim={dim} takes the slices along dim {d})"
            )
        else:
            msg += f": every slice along dim {other} {kind}, but the slices along dim {d} should"
        if dim < 0:
            msg += (
                f"; a negative dim counts from the end: for a {a.ndim}-D tensor dim={dim} "
                f"is dim {d}"
            )
        wrong[msg] = fn(a, other)
    return wrong


def _check_dim_errors(answer, x: Tensor, dim: int, scale: float):
    """Call the answer; turn the typical errors of a wrong dim into a diagnosis."""
    try:
        return answer(x, dim)
    except (NotImplementedError, Mistake):
        raise
    except (IndexError, ValueError) as e:
        if dim < 0:
            raise Mistake(
                f"your code raised {type(e).__name__}: {e} for {_where(x, dim, scale)}: "
                f"negative dims count from the end, dim={dim} is dim {dim % x.ndim} here; "
                "pass it to max and sum as it is (they accept negative dims)"
            ) from None
        raise Mistake(
            f"your code raised {type(e).__name__}: {e} for {_where(x, dim, scale)}"
        ) from None
    except RuntimeError as e:
        if "must match the size" in str(e):
            raise Mistake(
                f"your code raised RuntimeError: {e} for {_where(x, dim, scale)}: did you "
                "forget keepdim=True? Without it the reduced dim disappears and the max or the "
                "sum cannot broadcast back against x"
            ) from None
        raise Mistake(f"your code raised RuntimeError: {e} for {_where(x, dim, scale)}") from None
    except Exception as e:  # noqa: BLE001  (any other error in learner code is reported)
        raise Mistake(
            f"your code raised {type(e).__name__}: {e} for {_where(x, dim, scale)}"
        ) from None


def _same_shape(got, x: Tensor, dim: int, scale: float) -> np.ndarray:
    g = as_array(got, "your softmax")
    if g.shape != tuple(x.shape):
        raise Mistake(
            f"for {_where(x, dim, scale)} your result has shape {g.shape}: softmax keeps the "
            f"input's shape {tuple(x.shape)} (only the values change); did you sum without "
            "putting the result back in place?"
        )
    return g


# -- 7.1 a stable softmax ----------------------------------------------------------------------


@exercise(
    "7.1",
    task="return softmax(x) along dim, computed stably from exp, max and sum",
    hints=[
        "Every slice along `dim` must become positive numbers that sum to 1: exponentiate, then "
        "divide by the sum over `dim`. Subtract each slice's max first, so exp() never overflows "
        "(it does not change the result).",
        "x.max(dim=dim, keepdim=True).values is each slice's max; keepdim=True keeps the reduced "
        "dim as a 1, so it broadcasts back against x along the right dim. The same for "
        ".sum(dim=dim, keepdim=True). Negative dims need no special handling.",
        "e = (x - x.max(dim=dim, keepdim=True).values).exp(); "
        "return e / e.sum(dim=dim, keepdim=True)",
    ],
)
def softmax(answer) -> str:
    for x, dim, scale in _inputs():
        a = x.numpy().astype(np.float64)
        d = dim % a.ndim
        expected = x.softmax(dim).numpy()
        with _builtins_refused("softmax", "log_softmax"):
            got = _check_dim_errors(answer, x, dim, scale)
        g = _same_shape(got, x, dim, scale)
        where = _where(x, dim, scale)
        if scale != 1.0 and not np.all(np.isfinite(g)):
            raise Mistake(
                f"your softmax gives nan or inf for {where}: the naive formula "
                "exp(x) / sum(exp(x)) overflows (exp(1e4) is inf, and inf / inf is nan); "
                "subtract each slice's max before exp()"
            )
        wrong = _wrong_dims(a, dim, _softmax_np, "sums to 1")
        for which, v in _no_keepdim(a, d).items():
            wrong[
                f"for {where} your values are wrong although every step runs: you forgot "
                f"keepdim=True on {which}, so the reduced values broadcast along the wrong dim "
                "(an element is shifted or divided by another slice's max or sum)"
            ] = v
        with np.errstate(all="ignore"):
            e = np.exp(a)
            wrong[
                f"for {where} you divided exp(x) by the sum over every element: divide by the "
                f"sum over dim {dim} only, so that each slice sums to 1"
            ] = e / e.sum()
            wrong[
                f"for {where} you forgot the exp: x / sum(x) is not a softmax (it can be "
                "negative); exponentiate first"
            ] = a / a.sum(axis=d, keepdims=True)
        expect_close(g, expected, wrong=wrong, what=f"your softmax of {where}", rtol=1e-4)
        sums = g.sum(axis=d)
        if not np.allclose(sums, 1, atol=1e-4):  # pragma: no cover (expect_close catches it)
            raise Mistake(f"for {where} the slices along dim {dim} do not sum to 1")
    return (
        f"{len(_CASES)} cases: square, non-square, 3-D and 1-D inputs, negative dims and "
        "logits of ±1e4"
    )


# -- 7.2 predict, then run ---------------------------------------------------------------------

ROW = (1.0, 2.0, 3.0)


def _as_values(v) -> np.ndarray | None:
    if isinstance(v, Tensor):
        return v.numpy().astype(np.float64)
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr


@exercise(
    "7.2",
    task="return [nn.Softmax(dim=0)(tensor([[1., 2., 3.]])) as a nested list, the dim that "
    "makes each row of a (B, T, T) tensor sum to 1]",
    hints=[
        "Softmax along a dim normalises every slice along that dim. For a (1, 3) tensor, what "
        "are the slices along dim 0, and how long is each?",
        "Along dim 0 each column is a slice of its own, of length 1, and a slice of one number "
        "becomes exp(x) / exp(x). For (B, T, T) a row is a slice along the last dim: its index "
        "changes, the others stay fixed.",
        "[[[1.0, 1.0, 1.0]], -1]   (2 is the same dim as -1 for a 3-D tensor)",
    ],
)
def predict_dims(answer) -> str:
    got = run(answer) if callable(answer) else answer
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        raise Mistake(
            f"return a list of 2 predictions: [the output as a nested list, a dim], got {got!r:.80}"
        )
    out, dim = got
    x = tensor([list(ROW)])
    truth = x.softmax(0).numpy().astype(np.float64)
    values = _as_values(out)
    if values is None:
        raise Mistake(
            f"write the first prediction as a nested list of numbers such as [[0.5, 0.5]], got "
            f"{out!r:.60}"
        )
    if values.shape != truth.shape:
        if values.size == truth.size:
            raise Mistake(
                f"your first prediction has shape {values.shape}: softmax keeps the input's "
                f"shape {tuple(truth.shape)}, so write it as [[a, b, c]]"
            )
        raise Mistake(
            f"your first prediction has shape {values.shape}, but softmax keeps the input's shape "
            f"{tuple(truth.shape)}: one value per input element"
        )
    if not np.allclose(values, truth, atol=2e-3):
        along_1 = x.softmax(1).numpy()
        if np.allclose(values, along_1, atol=2e-3):
            raise Mistake(
                "your first prediction is the softmax along dim 1 (each row sums to 1); along "
                "dim 0 each column is a slice of length 1, and one number's softmax is "
                "exp(x) / exp(x) = 1"
            )
        if np.allclose(values, 1 / 3, atol=2e-3):
            raise Mistake(
                "softmax is not uniform here: the slices along dim 0 are the columns, each of "
                "length 1, and one number's softmax is exp(x) / exp(x) = 1"
            )
        raise Mistake(
            f"nn.Softmax(dim=0) of tensor([[1., 2., 3.]]) is not {values.tolist()}: along dim 0 "
            "each column is a slice of length 1; what does a slice of one number sum to?"
        )
    if not isinstance(dim, Integral) or isinstance(dim, bool):
        raise Mistake(f"write the second prediction as an int dim such as 0 or -1, got {dim!r:.40}")
    if dim not in (2, -1):
        why = {
            0: "dim 0 normalises across the batch: the same (query, key) cell of every sequence "
            "sums to 1",
            -3: "dim -3 is dim 0 for a 3-D tensor: it normalises across the batch",
            1: "dim 1 makes each column sum to 1 (one key, over all the queries); a row is a "
            "slice along the last dim",
            -2: "dim -2 is dim 1 for a 3-D tensor: it makes each column sum to 1 (one key, over "
            "all the queries); a row is a slice along the last dim",
        }.get(int(dim), f"a (B, T, T) tensor has dims 0, 1, 2 (or -3, -2, -1), not {dim}")
        raise Mistake(f"for the (B, T, T) scores, {why}")
    return "nn.Softmax(0) of a (1, 3) tensor is all ones, and dim=-1 normalises each row"


# -- 7.3 a stable log_softmax ------------------------------------------------------------------


@exercise(
    "7.3",
    task="return log_softmax(x) along dim, computed stably as x - logsumexp(x)",
    hints=[
        "log(softmax(x)) = x - log(sum(exp(x))). Do not take the log of a softmax: a probability "
        "that underflows to 0 becomes -inf. Compute log(sum(exp(x))) (logsumexp) stably instead.",
        "logsumexp(x) = m + log(sum(exp(x - m))) with m the slice's max (keepdim=True), so "
        "x - logsumexp(x) = (x - m) - log(sum(exp(x - m))).",
        "s = x - x.max(dim=dim, keepdim=True).values; "
        "return s - s.exp().sum(dim=dim, keepdim=True).log()",
    ],
)
def log_softmax(answer) -> str:
    cases = [
        (tensor([-1000.0, 0.0, 1000.0]), 0, 1000.0),
        *_inputs(),
    ]
    for x, dim, scale in cases:
        a = x.numpy().astype(np.float64)
        d = dim % a.ndim
        expected = x.log_softmax(dim).numpy()
        with _builtins_refused("log_softmax"):
            got = _check_dim_errors(answer, x, dim, scale)
        g = _same_shape(got, x, dim, scale)
        where = "tensor([-1000., 0., 1000.]), dim=0" if scale == 1000.0 else _where(x, dim, scale)
        if not np.all(np.isfinite(g)):
            with np.errstate(all="ignore"):
                log_of_softmax = np.log(_softmax_np(a, d))
            if np.array_equal(np.isneginf(g), np.isneginf(log_of_softmax)) and np.any(
                np.isneginf(g)
            ):
                raise Mistake(
                    f"your log_softmax gives -inf for {where}: you took log(softmax(x)); the "
                    "small probabilities underflow to 0 and log(0) = -inf. Compute "
                    "x - logsumexp(x) instead, which never forms them"
                )
            raise Mistake(
                f"your log_softmax gives nan or inf for {where}: exp(x) overflows without the "
                "max subtracted; use logsumexp(x) = m + log(sum(exp(x - m)))"
            )
        m = a.max(axis=d, keepdims=True)
        wrong = _wrong_dims(a, dim, _log_softmax_np, "has exp() summing to 1")
        for which, v in _no_keepdim_log(a, d).items():
            wrong[
                f"for {where} your values are wrong although every step runs: you forgot "
                f"keepdim=True on {which}, so it broadcasts along the wrong dim"
            ] = v
        wrong[
            f"for {where} you forgot to subtract logsumexp properly: x - log(sum(exp(x - m))) "
            "leaves out the max m that was subtracted inside; logsumexp(x) = m + "
            "log(sum(exp(x - m))), so subtract both"
        ] = expected + m
        wrong[
            f"for {where} you subtracted the max only: x - m is not normalised, "
            "also subtract log(sum(exp(x - m)))"
        ] = a - m
        expect_close(g, expected, wrong=wrong, what=f"your log_softmax of {where}", rtol=1e-4)
    return (
        f"[-1000, 0, 1000] and {len(_CASES)} more cases: square, non-square, 3-D and 1-D "
        "inputs, negative dims and logits of ±1e4"
    )
