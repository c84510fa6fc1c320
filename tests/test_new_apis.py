"""ParameterList, ParameterDict, EmbeddingBag, clip_grad_norm_/clip_grad_value_ and StepLR,
compared with torch 2.13 (values, gradients, reprs, warnings and error messages)."""

import math
import warnings

import numpy as np
import pytest
from parity import error_of

import course_lib
from course_lib import nn


def both(torch):
    return [course_lib, torch]


# -- ParameterList / ParameterDict ------------------------------------------------------------


def test_parameter_list_registers_wraps_and_prints_like_torch(torch):
    seen = []
    for T in both(torch):
        pl = T.nn.ParameterList([T.ones(2), T.nn.Parameter(T.zeros(3, 4)), "x"])
        pl.append(T.ones(1, dtype=T.float64))
        pl += [T.zeros(5)]
        seen.append(
            (
                repr(pl),
                [name for name, _ in pl.named_parameters()],
                [type(p).__name__ for p in pl],
                len(pl),
                repr(pl[1:3]),
                type(pl[-1]).__name__,
                sorted(pl.state_dict()),
            )
        )
    assert seen[0] == seen[1]


def test_parameter_list_errors_like_torch(torch):
    cases = [
        lambda T: T.nn.ParameterList([T.ones(1)])(1),
        lambda T: T.nn.ParameterList([T.ones(1)])[3],
        lambda T: T.nn.ParameterList().extend(T.ones(2)),
        lambda T: T.nn.ParameterList(5),
    ]
    for case in cases:
        assert error_of(course_lib, case) == error_of(torch, case)


def test_parameter_dict_orders_wraps_and_prints_like_torch(torch):
    from collections import OrderedDict

    seen = []
    for T in both(torch):
        pd = T.nn.ParameterDict({"scale": T.ones(2), "bias": T.zeros(2, dtype=T.float64)})
        pd.update(OrderedDict([("z", T.ones(1)), ("a", T.ones(1))]))
        pd["m"] = "not a tensor"
        popped = pd.pop("z")
        seen.append(
            (
                repr(pd),
                list(pd.keys()),
                [name for name, _ in pd.named_parameters()],
                type(popped).__name__,
                "a" in pd,
                pd.get("missing", 7),
                list((pd | T.nn.ParameterDict({"q": T.ones(1)})).keys()),
            )
        )
    assert seen[0] == seen[1]


def test_parameter_dict_errors_like_torch(torch):
    cases = [
        lambda T: T.nn.ParameterDict({"a": T.ones(1)})(1),
        lambda T: T.nn.ParameterDict()[3],
        lambda T: T.nn.ParameterDict(5),
        lambda T: T.nn.ParameterDict([("a", T.ones(1), 3)]),
        lambda T: T.nn.ParameterDict([5]),
    ]
    for case in cases:
        assert error_of(course_lib, case) == error_of(torch, case)


@pytest.mark.parametrize("lib", ["course_lib", "torch"])
def test_a_plain_list_of_parameters_is_invisible_and_parameter_list_fixes_it(torch, lib):
    T = course_lib if lib == "course_lib" else torch

    class Plain(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = [T.nn.Parameter(T.ones(2)) for _ in range(3)]

    class Listed(T.nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = T.nn.ParameterList([T.nn.Parameter(T.ones(2)) for _ in range(3)])

    assert len(list(Plain().parameters())) == 0
    assert [n for n, _ in Listed().named_parameters()] == ["ws.0", "ws.1", "ws.2"]


# -- EmbeddingBag -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 0, -1])
def test_embedding_bag_2d_matches_torch(torch, mode, padding_idx):
    rng = np.random.default_rng(1)
    w0 = rng.standard_normal((7, 5)).astype(np.float32)
    x = rng.integers(0, 7, (6, 9))
    x[0] = 0  # a bag of padding only: empty when padding_idx=0
    x[1, :4] = 0
    x[2, :] = 6
    g = rng.standard_normal((6, 5)).astype(np.float32)
    out, grad = [], []
    for T in both(torch):
        w = T.tensor(w0, requires_grad=True)
        y = T.nn.functional.embedding_bag(T.tensor(x), w, mode=mode, padding_idx=padding_idx)
        y.backward(T.tensor(g))
        out.append(y.detach().numpy())
        grad.append(w.grad.numpy())
        assert "EmbeddingBagBackward0" in repr(y)
    np.testing.assert_array_equal(out[0], out[1])  # forward: bit for bit
    if mode == "max":  # each value's gradient goes to one row: nothing is summed
        np.testing.assert_array_equal(grad[0], grad[1])
    else:
        # a row read by many positions sums their gradients; torch sums them in its own order,
        # so the last float32 bit may differ
        np.testing.assert_allclose(grad[0], grad[1], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("include_last_offset", [False, True])
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_1d_with_offsets_matches_torch(torch, mode, include_last_offset):
    rng = np.random.default_rng(2)
    w0 = rng.standard_normal((6, 3)).astype(np.float32)
    idx = np.array([1, 2, 3, 4, 5, 0, 2])
    offsets = np.array([0, 2, 2, 5, 7]) if include_last_offset else np.array([0, 2, 2, 5])
    out = []
    for T in both(torch):
        bag = T.nn.EmbeddingBag(
            6, 3, mode=mode, _weight=T.tensor(w0), include_last_offset=include_last_offset
        )
        out.append(bag(T.tensor(idx), T.tensor(offsets)).detach().numpy())
    np.testing.assert_array_equal(out[0], out[1])


def test_embedding_bag_mean_is_the_masked_mean_of_embedding(torch):
    """What notebook 10 teaches: EmbeddingBag(mode='mean', padding_idx=0) = a masked mean."""
    x = course_lib.tensor([[3, 1, 0, 0], [2, 2, 5, 0]])
    emb = nn.Embedding(6, 4, padding_idx=0)
    bag = nn.EmbeddingBag(6, 4, mode="mean", padding_idx=0, _weight=emb.weight.detach())
    mask = (x != 0).float().unsqueeze(-1)
    masked_mean = (emb(x) * mask).sum(dim=1) / mask.sum(dim=1)
    np.testing.assert_allclose(bag(x).detach().numpy(), masked_mean.detach().numpy(), rtol=1e-6)


def test_embedding_bag_repr_init_and_errors_like_torch(torch):
    reprs = []
    for T in both(torch):
        T.manual_seed(0)
        reprs.append(
            (
                repr(T.nn.EmbeddingBag(10, 3)),
                repr(T.nn.EmbeddingBag(10, 3, mode="max", padding_idx=-1)),
                T.nn.EmbeddingBag(4, 2, padding_idx=1).weight[1].tolist(),
            )
        )
    assert reprs[0] == reprs[1]
    cases = [
        lambda T: T.nn.EmbeddingBag(5, 2)(T.tensor([[1, 2]]), T.tensor([0])),
        lambda T: T.nn.EmbeddingBag(5, 2)(T.tensor([1, 2])),
        lambda T: T.nn.EmbeddingBag(5, 2)(T.tensor([[[1]]])),
        lambda T: T.nn.EmbeddingBag(5, 2, mode="median")(T.tensor([[1]])),
        lambda T: T.nn.EmbeddingBag(5, 2, padding_idx=5),
        lambda T: T.nn.EmbeddingBag(5, 2)(T.tensor([[7]])),
        lambda T: T.nn.EmbeddingBag(5, 2)(T.tensor([1, 2]), T.tensor([1, 1])),
        lambda T: T.nn.EmbeddingBag(5, 2)(T.tensor([1, 2]), T.tensor([0, 3])),
        lambda T: T.nn.EmbeddingBag(5, 2)(T.tensor([[1]]), per_sample_weights=T.ones(1, 1)),
    ]
    for case in cases:
        assert error_of(course_lib, case) == error_of(torch, case)


def test_embedding_bag_options_it_does_not_implement_raise():
    bag = nn.EmbeddingBag(5, 2, max_norm=1.0)
    with pytest.raises(NotImplementedError, match="max_norm"):
        bag(course_lib.tensor([[1, 2]]))
    bag = nn.EmbeddingBag(5, 2, mode="sum")
    with pytest.raises(NotImplementedError, match="per_sample_weights"):
        bag(course_lib.tensor([[1, 2]]), per_sample_weights=course_lib.ones(1, 2))


# -- gradient clipping ------------------------------------------------------------------------


def _grads(T, arrays):
    params = []
    for a in arrays:
        p = T.nn.Parameter(T.tensor(a))
        p.grad = T.tensor(a * 3)
        params.append(p)
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf, 3.0])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_torch(torch, norm_type, max_norm):
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in [(4, 3), (3,), (2, 2, 2)]]
    totals, grads = [], []
    for T in both(torch):
        params = _grads(T, arrays)
        total = T.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
        totals.append((str(total.dtype), tuple(total.shape), total.item()))
        grads.append([p.grad.numpy() for p in params])
    assert totals[0][:2] == totals[1][:2]
    assert totals[0][2] == pytest.approx(totals[1][2], rel=1e-6)
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-8)
    if max_norm == 1e6:  # no clipping: the gradients are untouched, bit for bit
        for a, b in zip(*grads):
            np.testing.assert_array_equal(a, b)


def test_clip_grad_norm_exact_case_skips_missing_grads_and_errors_like_torch(torch):
    for T in both(torch):
        w = T.nn.Parameter(T.tensor([3.0, 4.0]))
        w.grad = T.tensor([3.0, 4.0])
        frozen = T.nn.Parameter(T.ones(2))  # no grad: skipped
        assert T.nn.utils.clip_grad_norm_([w, frozen], 1.0).item() == 5.0
        assert frozen.grad is None
    assert course_lib.nn.utils.clip_grad_norm_([], 1.0).item() == 0.0
    case = lambda T: T.nn.utils.clip_grad_norm_(
        _grads(T, [np.array([np.inf, 1.0], dtype=np.float32)]), 1.0, error_if_nonfinite=True
    )
    assert error_of(course_lib, case) == error_of(torch, case)


def test_clip_grad_value_matches_torch(torch):
    a = np.array([[-3.0, 0.25], [2.0, -0.5]], dtype=np.float32)
    out = []
    for T in both(torch):
        params = _grads(T, [a])
        assert T.nn.utils.clip_grad_value_(params, 1.0) is None
        out.append(params[0].grad.numpy())
    np.testing.assert_array_equal(out[0], out[1])


# -- StepLR -----------------------------------------------------------------------------------


def _schedule(T, scheduler_first: bool):
    model = T.nn.Linear(2, 1)
    opt = T.optim.SGD(model.parameters(), lr=1.0)
    sched = T.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    lrs, messages = [], []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(5):
            if scheduler_first:
                sched.step()
                opt.step()
            else:
                opt.step()
                sched.step()
            lrs.append((opt.param_groups[0]["lr"], sched.get_last_lr()))
    messages = [str(w.message) for w in caught]
    return lrs, messages, sorted(sched.state_dict()), sched.last_epoch, sched.base_lrs


@pytest.mark.parametrize("scheduler_first", [False, True])
def test_step_lr_schedule_state_and_call_order_warning_match_torch(torch, scheduler_first):
    ours, theirs = _schedule(course_lib, scheduler_first), _schedule(torch, scheduler_first)
    assert ours == theirs
    assert bool(ours[1]) == scheduler_first  # the warning appears only for the wrong order


def test_step_lr_errors_like_torch(torch):
    case = lambda T: T.optim.lr_scheduler.StepLR("not an optimizer", 2)
    assert error_of(course_lib, case) == error_of(torch, case)
    case = lambda T: T.optim.lr_scheduler.StepLR(
        T.optim.SGD(T.nn.Linear(1, 1).parameters(), lr=0.1), 2, last_epoch=3
    )
    assert error_of(course_lib, case) == error_of(torch, case)
