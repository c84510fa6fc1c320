"""The autograd graph each op builds has torch's shape: learners print
`loss.grad_fn.next_functions` to explore it, so the same nodes (by name), the same edges in the
same order, `(None, 0)` exactly where torch has one, each leaf's AccumulateGrad at the input it
belongs to, and one node shared wherever torch shares one (split's outputs, say).

Every op case of the parity tables runs in both libraries and its graph, walked from the
output, is written down as a list; the lists must be equal.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import test_misc_api
import test_nn_more
import test_sorting
import test_tensor
import test_tensor_api
from parity import Case, inputs

import course_lib as cl


def graph(out, leaves) -> list:
    """The graph behind `out` as a list of nodes in depth-first order (edges in their order): each
    node is (name, ((target, output index), ...)); a target is the number of a node met before,
    "leaf k" for the AccumulateGrad of the k-th input, or None. Two edges to one node name the
    same number, so a node shared in one library and not in the other shows."""
    numbers, nodes = {}, []

    def visit(node):
        if node is None:
            return None
        if node.name() == "torch::autograd::AccumulateGrad":
            k = [i for i, leaf in enumerate(leaves) if leaf is node.variable]
            return f"leaf {k[0]}" if k else "leaf ?"
        if id(node) in numbers:
            return numbers[id(node)]
        numbers[id(node)] = len(nodes)
        entry = [node.name(), None]
        nodes.append(entry)
        entry[1] = tuple((visit(n), i) for n, i in node.next_functions)
        return numbers[id(node)]

    root = out.grad_fn
    visit(root)
    return [tuple(e) for e in nodes]


def _run(T, fn, arrays, dtype="float64"):
    dt = getattr(T, dtype)
    leaves = [T.tensor(a, dtype=dt, requires_grad=True) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = fn(T, *leaves)
    return graph(out, leaves)


def _case(table: str, case: Case):
    return f"{table}: {case.name}", case.fn, inputs(case)


def _extra(name, fn, *shapes):
    rng = np.random.default_rng(0)
    return f"extra: {name}", fn, [rng.uniform(0.5, 2.0, s) for s in shapes]


def _split_sum(T, x):
    u = x.split(2, 1)
    return u[0] * 2 + u[1]


# ops the tables do not cover, or cover only one output of
EXTRA = [
    _extra("stack", lambda T, x, y: T.stack([x, y]), (3, 4), (3, 4)),
    _extra("stack dim1", lambda T, x, y: T.stack([x, y * 2], 1), (3, 4), (3, 4)),
    _extra("split outputs", _split_sum, (3, 4)),
    _extra("split sizes", lambda T, x: sum(x.split([1, 3], 1)[::-1][0:1]) * 1, (3, 4)),
    _extra(
        "split sizes both", lambda T, x: (lambda u: u[1][:, :1] + u[0])(x.split([1, 3], 1)), (3, 4)
    ),
    _extra("chunk", lambda T, x: (lambda u: u[1] - u[0])(x.chunk(2, 0)), (4, 3)),
    _extra("chunk uneven", lambda T, x: (lambda u: u[2] * u[0][:1])(x.chunk(3, 0)), (5, 3)),
    _extra("unbind", lambda T, x: (lambda u: u[2] * u[0])(x.unbind(0)), (3, 4)),
    _extra("torch.unbind dim1", lambda T, x: (lambda u: u[1] + u[3])(T.unbind(x, 1)), (3, 4)),
    _extra("linear", lambda T, x, w, b: T.nn.functional.linear(x, w, b), (2, 3), (4, 3), (4,)),
    _extra("linear no bias", lambda T, x, w: T.nn.functional.linear(x, w), (2, 3), (4, 3)),
    _extra("linear 1d", lambda T, x, w, b: T.nn.functional.linear(x, w, b), (3,), (4, 3), (4,)),
    _extra("linear 1d no bias", lambda T, x, w: T.nn.functional.linear(x, w), (3,), (4, 3)),
    _extra(
        "linear 3d", lambda T, x, w, b: T.nn.functional.linear(x, w, b), (2, 5, 3), (4, 3), (4,)
    ),
    _extra("linear 3d no bias", lambda T, x, w: T.nn.functional.linear(x, w), (2, 5, 3), (4, 3)),
    _extra("masked_fill", lambda T, x: x.masked_fill(x > 1, 0.0), (3, 4)),
    _extra("masked_fill tensor", lambda T, x, v: x.masked_fill(x > 1, v[0, 0]), (3, 4), (1, 1)),
    _extra("pow 2", lambda T, x: x**2, (3, 4)),
    _extra("mod", lambda T, x: x % 3, (3, 4)),
    _extra("index 2", lambda T, x: x[1, 2], (3, 4)),
    _extra("index slice int", lambda T, x: x[1:, 2], (3, 4)),
    _extra("index 3", lambda T, x: x[1, 2, 0], (3, 4, 2)),
    _extra("index slice then list", lambda T, x: x[1:, [0, 2]], (3, 4)),
    _extra("index list None slice", lambda T, x: x[T.tensor([2, 0]), None, 1:3], (3, 4)),
    _extra("index mask then slice", lambda T, x: x[T.tensor([True, False, True]), 1:], (3, 4)),
    _extra("sub_ alpha", lambda T, x, y: (x * 1).sub_(y, alpha=2), (3, 4), (3, 4)),
    _extra("add_ alpha", lambda T, x, y: (x * 1).add_(y, alpha=2), (3, 4), (3, 4)),
    _extra("sub alpha", lambda T, x, y: x.sub(y, alpha=2), (3, 4), (3, 4)),
    _extra("reshape t", lambda T, x: x.t().reshape(-1), (3, 4)),
    _extra("view of t contiguous", lambda T, x: x.t().contiguous().view(-1), (3, 4)),
    _extra("einsum", lambda T, x, y: T.einsum("ij,jk->ik", x, y), (3, 4), (4, 2)),
    _extra("einsum trace", lambda T, x: T.einsum("ii", x), (3, 3)),
    _extra("einsum outer", lambda T, x, y: T.einsum("i,j->ij", x, y), (3,), (4,)),
    _extra("repeat_interleave", lambda T, x: x.repeat_interleave(2), (3, 4)),
    _extra("repeat_interleave dim", lambda T, x: x.repeat_interleave(2, 0), (3, 4)),
    _extra("cat", lambda T, x, y: T.cat([x, y]), (3, 4), (2, 4)),
    _extra("mse", lambda T, x, y: T.nn.functional.mse_loss(x, y), (3, 4), (3, 4)),
    _extra(
        "cross_entropy", lambda T, x: T.nn.functional.cross_entropy(x, T.tensor([0, 2, 1])), (3, 4)
    ),
    _extra("softmax", lambda T, x: T.softmax(x, 1), (3, 4)),
    _extra("matmul", lambda T, x, y: x @ y, (3, 4), (4, 2)),
    _extra("matmul 1d", lambda T, x, y: x @ y, (4,), (4, 2)),
    _extra("matmul batch by matrix", lambda T, x, y: x @ y, (2, 3, 4), (4, 2)),
    _extra("matmul batch by vector", lambda T, x, y: x @ y, (2, 3, 4), (4,)),
    _extra("matmul matrix by vector", lambda T, x, y: x @ y, (3, 4), (4,)),
    _extra(
        "linear 4d 2d bias",
        lambda T, x, w, b: T.nn.functional.linear(x, w, b),
        (2, 2, 5, 3),
        (4, 3),
        (5, 4),
    ),
    _extra("linear 1d weight", lambda T, x, w: T.nn.functional.linear(x, w), (2, 3), (3,)),
    _extra("nn.Linear", lambda T, x: T.nn.Linear(3, 4)(x), (2, 3)),
    _extra(
        "cross_entropy 3d none",
        lambda T, x: T.nn.functional.cross_entropy(
            x, T.tensor([[0, 2, 1, 1, 0]] * 2), reduction="none"
        ),
        (2, 3, 5),
    ),
    _extra(
        "cross_entropy 4d",
        lambda T, x: T.nn.functional.cross_entropy(x, T.zeros(2, 5, 2, dtype=T.long)),
        (2, 3, 5, 2),
    ),
    _extra("cross_entropy 1d", lambda T, x: T.nn.functional.cross_entropy(x, T.tensor(1)), (3,)),
    _extra("nll_loss", lambda T, x: T.nn.functional.nll_loss(x, T.tensor([0, 2, 1])), (3, 4)),
    _extra("flatten of t", lambda T, x: x.t().flatten(), (3, 4)),
    _extra("stack of views", lambda T, x: T.stack(x.unbind(1), 0), (3, 4)),
    _extra("split then index", lambda T, x: x.split(1)[2][0, 1:], (3, 4)),
    _extra("sum", lambda T, x: x.sum(), (3, 4)),
    _extra("mean dim", lambda T, x: x.mean(1), (3, 4)),
]


ALL = (
    [_case("tensor", c) for c in test_tensor.CASES]
    + [_case("api", c) for c in test_tensor_api.CASES]
    + [_case("sorting", c) for c in test_sorting.GRAD_CASES]
    + [
        (f"activation: {name}", fn, [test_nn_more.away(4, 5) * 2])
        for name, fn in test_nn_more.ACTIVATION_CASES.items()
    ]
    + [
        (f"loss: {name}", fn, [test_nn_more.loss_data(kx, 0), test_nn_more.loss_data(ky, 1)])
        for name, (fn, kx, ky) in test_nn_more.LOSS_CASES.items()
    ]
    + EXTRA
)


def _misc(case, form):
    """A row of test_misc_api's scatter and index tables as a graph case: the method, or the
    in-place method on a copy (a leaf refuses in-place changes)."""
    if form == "method":
        return lambda T, x, s: test_misc_api._call(case, T, x, s, "method")
    return lambda T, x, s: test_misc_api._call(case, T, x * 1, s, "in_place")


MISC = [
    (f"{table}: {k} {case[0]} {form}", _misc(case, form), data)
    for table, cases, data in [
        ("scatter", test_misc_api.SCATTERS, [test_misc_api.Z, test_misc_api.S]),
        ("index op", test_misc_api.INDEX_OPS, [test_misc_api.V, test_misc_api.SRC]),
    ]
    for k, case in enumerate(cases)
    for form in ("method", "in place")
]
MISC += [
    _extra(f"{name} {shapes}", lambda T, x, y, name=name: getattr(T, name)([x, y]), *shapes)
    for name in test_misc_api.STACKS
    for shapes in [((3,), (3,)), ((2, 3), (2, 3)), ((), ()), ((2, 3), (3,))]
]
MISC += [
    _extra("lerp number", lambda T, x, e: T.lerp(x, e, 0.3), (6,), (6,)),
    _extra("lerp tensor", lambda T, x, e, w: x.lerp(e, w), (6,), (6,), (6,)),
    _extra("lerp_", lambda T, x, e: (x * 1).lerp_(e, 0.5), (6,), (6,)),
    _extra("addcmul", lambda T, x, a, b: T.addcmul(x, a, b, value=0.5), (6,), (6,), (6,)),
    _extra("addcdiv", lambda T, x, a, b: x.addcdiv(a, b), (6,), (6,), (6,)),
    _extra("addcmul_", lambda T, x, a, b: (x * 1).addcmul_(a, b), (6,), (6,), (6,)),
]
ALL += MISC
IDS = [name for name, _, _ in ALL]
assert len(set(IDS)) == len(IDS), "case names must be unique"


@pytest.mark.parametrize("name, fn, arrays", ALL, ids=IDS)
def test_graph_has_torchs_shape(torch, name, fn, arrays):
    try:
        theirs = _run(torch, fn, arrays)
    except Exception as e:  # the tables hold bad arguments too: those build no graph
        pytest.skip(f"torch refuses these arguments: {type(e).__name__}")
    assert _run(cl, fn, arrays) == theirs


def test_graph_walk_tells_shared_nodes_from_copies(torch):
    """The harness itself: split's outputs share torch's node, two separate ops do not."""
    x = torch.ones(3, 4, requires_grad=True)
    shared = graph(_split_sum(torch, x), [x])
    assert ("SplitBackward0", (("leaf 0", 0),)) in shared
    assert sum(1 for name, _ in shared if name == "SplitBackward0") == 1
    apart = graph(x * 2 + x * 3, [x])
    assert [name for name, _ in apart].count("MulBackward0") == 2
