"""Notebook 07's softmax axes explorer, driven headless: for every dim (negative ones included) the
outlined slices are exactly the slices along that dim, the softmax's slices sum to 1, and the
widget's outlines, image and caption follow its controls."""

import itertools

import numpy as np
import pytest

import course_lib as cl
from course_lib.widgets.softmax_axes import (
    DIMS,
    LOGITS,
    SHAPE,
    softmax_axes,
    softmax_axes_explorer,
)


def slices_along(dim):
    """The index groups of the slices along `dim`, from NumPy's own axis handling."""
    index = np.indices(SHAPE).reshape(3, -1).T.reshape(*SHAPE, 3)  # index[i, j, k] = (i, j, k)
    moved = np.moveaxis(index, dim % 3, -2).reshape(-1, SHAPE[dim], 3)  # dim -1 is 2, not 3
    return {frozenset(map(tuple, group.tolist())) for group in moved}


@pytest.mark.parametrize("dim", DIMS)
def test_outlined_groups_are_the_slices_along_dim_and_sum_to_one(dim):
    s = softmax_axes(dim)
    assert s.axis == dim % 3
    groups = {frozenset(g) for g in s.groups}
    assert len(groups) == len(s.groups) == LOGITS.size // SHAPE[dim]
    assert groups == slices_along(dim)
    for g in s.groups:  # a slice varies only along dim
        fixed = {tuple(c for d, c in enumerate(cell) if d != s.axis) for cell in g}
        assert len(fixed) == 1 and sorted(cell[s.axis] for cell in g) == list(range(SHAPE[dim]))
    assert np.allclose(s.sums, 1.0, atol=1e-6)
    expected = cl.tensor(LOGITS).softmax(dim).numpy()
    assert np.array_equal(s.values, expected)
    assert np.allclose(s.values.sum(axis=dim), 1.0, atol=1e-6)


def test_negative_dims_equal_their_positive_twins():
    for neg in (-3, -2, -1):
        a, b = softmax_axes(neg), softmax_axes(neg + 3)
        assert a.axis == b.axis and a.groups == b.groups
        assert np.array_equal(a.values, b.values)
        assert f"dim {neg} (that is dim {neg + 3})" in a.description


def test_logits_show_the_input_and_their_sums_are_not_one():
    s = softmax_axes(1, show="logits")
    assert np.array_equal(s.values, LOGITS)
    assert np.allclose(s.sums, [sum(float(LOGITS[c]) for c in g) for g in s.groups])
    assert not np.allclose(s.sums, 1.0)


def test_bad_arguments_raise():
    with pytest.raises(IndexError, match=r"expected to be in range of \[-3, 2\], but got 3"):
        softmax_axes(3)
    with pytest.raises(ValueError, match="show must be one of"):
        softmax_axes(0, show="probabilities")


def visible_outlines(box):
    """(panel, x, y, width, height) of every visible rectangle, rounded."""
    out = []
    for panel, ax in enumerate(box.view.axes):
        for r in ax.patches:
            if r.get_visible():
                x, y = r.get_xy()
                out.append((panel, x, y, r.get_width(), r.get_height(), r.get_edgecolor()))
    return out


def cells_inside(rect):
    """The (i, j, k) cells a rectangle surrounds (the cell (j, k) is centred on x=k, y=j)."""
    panel, x, y, w, h, _ = rect
    return {
        (panel, j, k)
        for j, k in itertools.product(range(SHAPE[1]), range(SHAPE[2]))
        if x < k < x + w and y < j < y + h
    }


@pytest.mark.parametrize("dim", DIMS)
def test_widget_outlines_exactly_the_slices(dim):
    box = softmax_axes_explorer()
    box.controls["dim"].value = dim
    s = box.state
    assert s.dim == dim
    rects = visible_outlines(box)
    by_colour = {}
    for r in rects:
        by_colour.setdefault(r[5], set()).update(cells_inside(r))
    drawn = {frozenset(cells) for cells in by_colour.values()}
    assert drawn == {frozenset(g) for g in s.groups} == slices_along(dim)
    expected_count = {0: 24, 1: 8, 2: 6}[dim % 3]  # dim 0: one square per cell in each panel
    assert len(rects) == expected_count
    for total in s.sums:
        assert f"{total:.3f}" in box.text.value
    assert "every slice sums to 1" in box.text.value


def test_toggle_changes_the_image_and_the_caption():
    box = softmax_axes_explorer(dim=2)
    image, caption = box.view.image.value, box.text.value
    heatmaps = [ax.collections[0] for ax in box.view.axes]  # the cells, a QuadMesh
    assert np.allclose(heatmaps[0].get_array(), box.state.values[0])
    box.controls["show"].value = "logits"
    assert box.state.show == "logits"
    assert box.view.image.value != image and box.text.value != caption
    assert np.array_equal(np.asarray(heatmaps[1].get_array()), LOGITS[1])
    assert heatmaps[0].get_clim() == (float(LOGITS.min()), float(LOGITS.max()))
    assert "the logits' sums are arbitrary" in box.text.value
    box.controls["show"].value = "softmax"
    assert heatmaps[0].get_clim() == (0.0, 1.0)
    assert box.view.image.value == image
