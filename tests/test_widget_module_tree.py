"""Notebook 03's module tree inspector, driven headless: each control changes which parameters
`named_parameters()` yields, exactly as registration implies, and the HTML shows it."""

import math

import numpy as np
import pytest

import course_lib
from course_lib import nn
from course_lib.widgets.module_tree import (
    Stack,
    inspect_model,
    module_tree_lines,
    module_tree_widget,
)

LAYER = [("weight", (4, 4)), ("bias", (4,))]
TAIL = [("norm.weight", (4,)), ("norm.bias", (4,)), ("head.weight", (2, 4)), ("head.bias", (2,))]


def expected_parameters(container, scale_kind, n_layers):
    """What registration implies: own `scale` first (if a Parameter), then the children's."""
    names = [("scale", (4,))] if scale_kind == "Parameter" else []
    if container == "ModuleList":
        names += [(f"layers.{i}.{k}", s) for i in range(n_layers) for k, s in LAYER]
    return names + TAIL


@pytest.mark.parametrize("container", ["plain list", "ModuleList"])
@pytest.mark.parametrize("scale_kind", ["tensor", "Parameter"])
@pytest.mark.parametrize("n_layers", [1, 3, 6])
def test_named_parameters_follow_registration(container, scale_kind, n_layers):
    view = inspect_model(container, scale_kind, n_layers)
    expected = expected_parameters(container, scale_kind, n_layers)
    assert view.named_parameters == expected
    assert view.total == sum(math.prod(s) for _, s in expected)
    tree = "\n".join(view.tree)
    assert ("(layers): ModuleList" in tree) == (container == "ModuleList")
    assert tree.count("Linear  weight (4, 4)") == (n_layers if container == "ModuleList" else 0)
    assert view.tree[0] == ("Stack  scale (4,)" if scale_kind == "Parameter" else "Stack")
    missing = "\n".join(view.unregistered)
    assert (f"layers: a plain list of {n_layers} Linear" in missing) == (container != "ModuleList")
    assert ("scale: a plain Tensor (4,)" in missing) == (scale_kind == "tensor")


def test_the_tree_is_indented_by_depth():
    lines = module_tree_lines(nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.Tanh())))
    assert lines == [
        "Sequential",
        "  (0): Linear  weight (3, 2), bias (3,)",
        "  (1): Sequential",
        "    (0): Tanh",
    ]


def test_the_model_runs_and_an_unregistered_list_still_computes():
    x = course_lib.randn(5, 4)
    for container in ("plain list", "ModuleList"):
        assert tuple(Stack(container, "tensor", 2)(x).shape) == (5, 2)


def test_inspecting_does_not_move_the_random_stream():
    course_lib.manual_seed(0)
    a = course_lib.rand(3)
    course_lib.manual_seed(0)
    inspect_model("ModuleList", "Parameter", 6)
    b = course_lib.rand(3)
    assert np.array_equal(a.numpy(), b.numpy())


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="container should be one of"):
        inspect_model("dict")
    with pytest.raises(ValueError, match="scale_kind should be one of"):
        inspect_model(scale_kind="Buffer")


def test_names_match_real_torch(torch):
    """The same model built with torch.nn yields the same named_parameters()."""

    def build(lib, container, scale_kind, n):
        class Stack(lib.nn.Module):
            def __init__(self):
                super().__init__()
                layers = [lib.nn.Linear(4, 4) for _ in range(n)]
                self.layers = lib.nn.ModuleList(layers) if container == "ModuleList" else layers
                s = lib.ones(4)
                self.scale = lib.nn.Parameter(s) if scale_kind == "Parameter" else s
                self.norm = lib.nn.LayerNorm(4)
                self.head = lib.nn.Linear(4, 2)

        return [(k, tuple(p.shape)) for k, p in Stack().named_parameters()]

    for setting in [("ModuleList", "Parameter", 3), ("plain list", "Parameter", 2)]:
        assert build(torch, *setting) == inspect_model(*setting).named_parameters
        assert build(course_lib, *setting) == inspect_model(*setting).named_parameters


def test_each_control_changes_the_state_and_the_html():
    box = module_tree_widget()
    c = box.controls
    assert box.view is None and box.state.named_parameters == expected_parameters(
        "ModuleList", "Parameter", 3
    )
    before = box.html.value
    c["container"].value = "plain list"
    assert box.state.named_parameters == expected_parameters("plain list", "Parameter", 3)
    assert box.html.value != before and "a plain list of 3 Linear" in box.html.value
    c["scale"].value = "tensor"
    assert box.state.named_parameters == expected_parameters("plain list", "tensor", 3)
    assert "scale: a plain Tensor (4,)" in box.html.value
    c["container"].value = "ModuleList"
    c["n_layers"].value = 6
    assert box.state.named_parameters == expected_parameters("ModuleList", "tensor", 6)
    assert f"<span class='total'>{box.state.total}</span>" in box.html.value
    assert box.state.total == 6 * 20 + 18
