"""Notebook 04's shape playground, driven headless: the pure function gives course_lib's (and
torch's) result or error for every op, splits batch from matrix dims, says what was broadcast,
and turns bad text into a message; the widget redraws on every control and never raises."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import course_lib
from course_lib.widgets.shape_playground import (
    OPS,
    PRESETS,
    BatchDim,
    parse_shape,
    playground,
    result_html,
    shape_playground,
)

SHAPES = [(), (3,), (4,), (2, 3), (3, 4), (4, 5), (0, 3), (2, 0), (0, 4), (5, 2, 3), (5, 3, 4),
          (1, 3, 4), (4, 3, 4), (7, 3, 4), (5, 1, 2, 3), (2, 5, 2, 3), (3, 5, 3, 4)]  # fmt: skip
FUNCTIONS = {"matmul": course_lib.matmul, "mm": course_lib.mm, "bmm": course_lib.bmm}


@pytest.mark.parametrize("op", OPS)
def test_result_or_error_is_the_ops_own(op):
    for a, b in itertools.product(SHAPES, repeat=2):
        r = playground(op, a, b)
        fn = FUNCTIONS.get(op, course_lib.matmul)  # @ is matmul
        try:
            expected = tuple(fn(course_lib.zeros(a), course_lib.zeros(b)).shape)
        except RuntimeError as e:
            assert (r.shape, r.error) == (None, f"RuntimeError: {e}"), (op, a, b)
        else:
            assert (r.shape, r.error) == (expected, None), (op, a, b)
        assert r.parse_error is None


def test_errors_are_torchs_words(torch):
    """Every (op, a, b) that PyTorch refuses gives PyTorch's own message here."""
    refused = 0
    for op, (a, b) in itertools.product(OPS, itertools.product(SHAPES, repeat=2)):
        x, y = torch.zeros(a), torch.zeros(b)
        try:
            shape = tuple((x @ y if op == "@" else getattr(torch, op)(x, y)).shape)
        except RuntimeError as e:
            refused += 1
            assert playground(op, a, b).error == f"RuntimeError: {e}", (op, a, b)
            continue
        assert playground(op, a, b).shape == shape, (op, a, b)
    assert refused > 300


def test_batch_dims_and_broadcasting_are_described():
    r = playground("matmul", "5, 1, 2, 3", "7, 3, 4")
    assert r.shape == (5, 7, 2, 4)
    assert r.batch_shape == (5, 7) and r.matrix_shape == (2, 4)
    assert r.batch == (BatchDim(5, 5, None, 0, None), BatchDim(7, 1, 7, 1, 0))
    assert [d.broadcast for d in r.batch] == [("b",), ("a",)]
    assert r.broadcast_dims == (0, 1)
    assert "b has no such dim, so it is reused 5×" in r.notes[0]
    assert "a has size 1, stretched to 7" in r.notes[1]


@pytest.mark.parametrize(
    "op, a, b, batch, matrix, broadcast",
    [
        ("matmul", "3", "3", (), (), ()),  # dot product: 0-d
        ("matmul", "2, 3", "3", (), (2,), ()),
        ("@", "3", "5, 3, 4", (5,), (4,), (0,)),  # a vector has no batch dims: reused
        ("matmul", "5, 2, 3", "5, 3, 4", (5,), (2, 4), ()),  # equal batch: nothing stretched
        ("matmul", "0, 2, 3", "1, 3, 4", (0,), (2, 4), (0,)),  # 1 against 0 gives 0
        ("bmm", "5, 2, 3", "5, 3, 4", (5,), (2, 4), ()),
        ("mm", "2, 3", "3, 4", (), (2, 4), ()),
    ],
)
def test_batch_and_matrix_dims_split(op, a, b, batch, matrix, broadcast):
    r = playground(op, a, b)
    assert (r.batch_shape, r.matrix_shape, r.broadcast_dims) == (batch, matrix, broadcast)
    assert r.shape == batch + matrix


def test_vectors_are_explained():
    assert "acts as (1, 3)" in playground("matmul", "3", "3, 4").notes[0]
    assert "acts as (3, 1)" in playground("matmul", "2, 3", "3").notes[0]
    assert "dot product" in playground("@", "3", "3").notes[0]


@pytest.mark.parametrize(
    "text, shape",
    [("5, 2, 3", (5, 2, 3)), ("(3,)", (3,)), ("3,", (3,)), ("[2, 3]", (2, 3)), ("5 2 3", (5, 2, 3)),
     ("()", ()), ("torch.Size([2, 3])", (2, 3)), ((2, 3), (2, 3)), (" 0 , 4 ", (0, 4))],
)  # fmt: skip
def test_shapes_are_read_from_text(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize(
    "text, phrase",
    [("2, x", "'x' is not a whole number"), ("", "type a shape"), ("-1, 3", "cannot be negative"),
     ("2.5", "'2.5' is not a whole number"), ("1, " * 9, "more than this playground shows")],
)  # fmt: skip
def test_bad_text_gives_a_message_not_an_exception(text, phrase):
    r = playground("matmul", text, "3, 4")
    assert r.shape is None and r.error is None
    assert r.parse_error.startswith("a: ") and phrase in r.parse_error
    assert phrase in html_text(result_html(r))
    assert playground("mm", "2, 3", text).parse_error.startswith("b: ")


def test_huge_shapes_are_not_computed():
    r = playground("matmul", "100000, 100000", "100000, 3")
    assert "too large" in r.parse_error and "elements" in r.parse_error
    r = playground("matmul", "1000, 1000", "1000, 1000")  # small enough, but too much work
    assert "too large" in r.parse_error and "multiply-adds" in r.parse_error
    assert playground("matmul", "1000, 100", "100, 1000").shape == (1000, 1000)
    huge = "100000000000000000000"  # an empty tensor, but NumPy refuses a dim this large
    assert "too large" in playground("matmul", f"0, {huge}", f"{huge}, 0").parse_error


def test_an_unknown_op_is_a_programming_error():
    with pytest.raises(ValueError, match="op must be one of"):
        playground("einsum", "2, 3", "3, 4")


def html_text(markup: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def coloured(markup: str, colour: str) -> list[str]:
    import re

    return re.findall(rf"<span style='color:{colour};[^']*'[^>]*>([^<]*)</span>", markup)


def test_the_panel_colours_batch_and_matrix_dims():
    from course_lib.widgets.shape_playground import BATCH_COLOUR, BROADCAST_COLOUR, MATRIX_COLOUR

    markup = result_html(playground("matmul", "5, 1, 2, 3", "7, 3, 4"))
    text = html_text(markup)
    assert "torch.matmul(a, b) → shape (5, 7, 2, 4)" in text
    # a: 5, 1 | b: 7 | result: 5, 7 | legend "batch dims", "broadcast"
    assert coloured(markup, BATCH_COLOUR) == ["5", "1", "7", "5", "7", "batch dims", "broadcast"]
    assert coloured(markup, MATRIX_COLOUR) == ["2", "3", "3", "4", "2", "4", "matrix dims"]
    stretched = [s for s in markup.split("<span") if BROADCAST_COLOUR in s]
    assert len(stretched) == 4  # a's 1, the result's 5 and 7, the legend


def test_the_panel_shows_the_error_word_for_word():
    markup = result_html(playground("bmm", "5, 2, 3", "1, 3, 4"))
    assert (
        "torch.bmm(a, b) raises RuntimeError: Expected size for first two dimensions of batch2 "
        "tensor to be: [5, 3] but got: [1, 3]." in html_text(markup)
    )


def test_moving_each_control_redraws_the_panel():
    box = shape_playground()
    assert set(box.controls) == {"op", "a", "b"}
    assert "shape (5, 2, 4)" in html_text(box.panel.value)
    box.controls["op"].value = "mm"
    assert "torch.mm(a, b) raises RuntimeError: self must be a matrix" in html_text(box.panel.value)
    assert box.state.error == "RuntimeError: self must be a matrix"
    box.controls["a"].value = "2, 3"
    assert "shape (2, 4)" in html_text(box.panel.value) and box.state.shape == (2, 4)
    box.controls["b"].value = "4, 5"
    assert "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)" in box.panel.value
    box.controls["a"].value = "2, x"  # typing: never an exception, a message instead
    assert "Could not try this: a: 'x' is not a whole number" in html_text(box.panel.value)
    box.controls["op"].value = "@"
    box.controls["a"].value = "5, 1, 2, 4"
    assert "a @ b → shape (5, 1, 2, 5)" in html_text(box.panel.value)
    assert set(box.controls["a"].options) == set(PRESETS)


def test_every_preset_pair_runs_for_every_op():
    for op, a, b in itertools.product(OPS, PRESETS, PRESETS):
        r = playground(op, a, b)
        assert r.parse_error is None and (r.shape is None) != (r.error is None), (op, a, b)


small_shapes = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)


@settings(max_examples=150, deadline=None)
@given(op=st.sampled_from(OPS), a=st.text(max_size=12), b=st.text(max_size=12))
def test_any_text_gives_a_panel_never_an_exception(op, a, b):
    r = playground(op, a, b)
    assert [r.shape is not None, r.error is not None, r.parse_error is not None].count(True) == 1
    assert result_html(r).startswith("<div")


@settings(max_examples=200, deadline=None)
@given(a=small_shapes, b=small_shapes)
def test_matmul_shapes_agree_with_numpy(a, b):
    r = playground("matmul", a, b)
    try:
        expected = np.matmul(np.zeros(a), np.zeros(b)).shape if a and b else None
    except ValueError:
        expected = None
    assert r.shape == expected, (a, b, r.error)
    if r.ok:
        assert r.batch_shape + r.matrix_shape == r.shape
        assert len(r.matrix_shape) == min(len(a), 2) + min(len(b), 2) - 2
