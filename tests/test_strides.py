"""stride(), storage_offset() and is_contiguous() of views agree with torch 2.13 on random chains
of view ops (transpose, t, permute, slices with steps, select, narrow, expand, unsqueeze, None
indexing, squeeze, chunk, view, reshape, flatten, detach, .data). NumPy strides a size-1 dim
its own way (0 for x[None], anything after a reshape): the view ops that make one stride it
as torch does. An empty or copied view has lost its place in memory: stride() and
storage_offset() raise NotImplementedError for it."""

import copy
import random

import pytest

import course_lib


def _step(x, rng):
    """One random view op on x (the same op for both libraries: the same rng state)."""
    nd = x.dim()
    ops = ["unsqueeze", "expand", "none", "detach", "data", "view", "chunk", "reshape1", "flat"]
    if nd:
        ops += ["transpose", "permute", "slice", "select", "narrow", "squeeze", "t"]
    op = rng.choice(ops)
    if op == "unsqueeze":
        return x.unsqueeze(rng.randint(-nd - 1, nd))
    if op == "expand":
        shape = [rng.choice([s, 3]) if s == 1 else s for s in x.shape]
        if rng.random() < 0.3 or not shape:
            shape = [rng.choice([1, 2])] + shape
        return x.expand(*shape)
    if op == "none":
        return x[(slice(None),) * rng.randint(0, nd) + (None,)]
    if op == "detach":
        return x.detach()
    if op == "data":
        return x.data
    if op == "view":
        return x.view(-1) if x.is_contiguous() else x
    if op == "chunk":
        return x.chunk(2)[-1] if nd and x.shape[0] else x
    if op == "reshape1":
        shape = list(x.shape)
        shape.insert(rng.randint(0, len(shape)), 1)
        return x.reshape(*shape)
    if op == "flat":
        return x.flatten()
    if op == "transpose":
        return x.transpose(rng.randrange(nd), rng.randrange(nd))
    if op == "t":
        return x.t() if nd <= 2 else x.transpose(0, -1)
    if op == "permute":
        p = list(range(nd))
        rng.shuffle(p)
        return x.permute(*p)
    if op == "squeeze":
        return x.squeeze()
    d = rng.randrange(nd)
    n = x.shape[d]
    if op == "select":
        return x.select(d, rng.randrange(n)) if n else x
    if op == "narrow":
        start = rng.randint(0, n)
        return x.narrow(d, start, rng.randint(0, n - start))
    a = rng.randint(0, n)
    b = rng.randint(a, n)
    return x[(slice(None),) * d + (slice(a, b, rng.randint(1, 3)),)]


@pytest.mark.parametrize("seed", range(40))
def test_strides_of_view_chains_match_torch(torch, seed):
    rng = random.Random(seed)
    for _chain in range(50):
        shape = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
        n = 1
        for s in shape:
            n *= s
        x, y = torch.arange(float(n)).reshape(shape), course_lib.arange(float(n)).reshape(shape)
        for _ in range(rng.randint(1, 5)):
            state = rng.getstate()
            x = _step(x, rng)
            rng.setstate(state)
            y = _step(y, rng)
            assert tuple(y.shape) == tuple(x.shape)
            if x.numel() == 0:  # NumPy resets an empty view's strides: course_lib refuses
                with pytest.raises(NotImplementedError):
                    y.stride()
                break
            assert y.is_contiguous() == x.is_contiguous()
            assert y.storage_offset() == x.storage_offset()
            assert y.stride() == x.stride()


def test_stride_arguments_as_torch(torch):
    for T in (torch, course_lib):
        x = T.ones(2, 3)
        assert x.stride(0) == 3 and x.stride(-1) == 1 and x.t().stride() == (1, 3)
        assert T.tensor(1.0).stride() == ()
        assert x[1:].storage_offset() == 3
        assert x[1:].detach().storage_offset() == 3 and x[:, 1:].data.storage_offset() == 1
    for call in (
        lambda T: T.ones(3).stride(5),
        lambda T: T.tensor(1.0).stride(0),
        lambda T: T.ones(3).stride("a"),
        lambda T: T.ones(3).storage_offset(1),
    ):
        with pytest.raises(Exception) as ours:
            call(course_lib)
        with pytest.raises(Exception) as theirs:
            call(torch)
        assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_a_copied_view_does_not_guess_its_strides():
    """copy.deepcopy copies a view's array apart from its base's: where it was is lost."""
    x = copy.deepcopy(course_lib.arange(6.0)[1::2])
    with pytest.raises(NotImplementedError, match="copied view"):
        x.stride()
    with pytest.raises(NotImplementedError, match="copied view"):
        x.storage_offset()


def test_an_op_result_in_another_layout_does_not_guess_its_strides():
    """NumPy keeps a reduction over a transposed tensor in its own layout; torch's is
    contiguous: course_lib refuses rather than report NumPy's."""
    x = course_lib.arange(24.0).reshape(2, 3, 4).transpose(0, 2).sum(0)
    with pytest.raises(NotImplementedError, match="memory layout"):
        x.stride()
    assert x.contiguous().stride() == (2, 1)
    with pytest.raises(NotImplementedError, match="memory layout"):
        x.t().stride()  # a view of it
