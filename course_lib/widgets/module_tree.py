"""Notebook 03's widget: the module tree inspector.

`inspect_model` builds a small real model (`Stack`) whose layer container is a plain list or a
`ModuleList` and whose `scale` is a plain tensor or a `Parameter`, and returns what a learner
should see: the module tree (each module's class, name and own parameter shapes), the attributes
that hold modules or tensors without being registered, and what `named_parameters()` yields.
`module_tree_widget()` wraps it in two toggles and a slider; the view is HTML (no figure).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from .. import _random
from ..creation import ones
from ..nn import LayerNorm, Linear, Module, ModuleList, Parameter
from ..tensor import Tensor

CONTAINERS = ("plain list", "ModuleList")
SCALE_KINDS = ("tensor", "Parameter")


class Stack(Module):
    """n_layers Linear(width, width) + tanh, then LayerNorm, times `scale`, then Linear(width, 2).

    Args:
        container: 'ModuleList' registers the hidden layers; 'plain list' keeps them in a Python
            list, which registers nothing (the classic bug).
        scale_kind: 'Parameter' registers `scale`; 'tensor' keeps a plain tensor (with
            requires_grad=True), which is not registered either.
    """

    def __init__(
        self,
        container: str = "ModuleList",
        scale_kind: str = "Parameter",
        n_layers: int = 3,
        width: int = 4,
        n_out: int = 2,
    ) -> None:
        super().__init__()
        if container not in (*CONTAINERS, "list"):
            raise ValueError(f"container should be one of {CONTAINERS}, got {container!r}")
        if scale_kind not in SCALE_KINDS:
            raise ValueError(f"scale_kind should be one of {SCALE_KINDS}, got {scale_kind!r}")
        layers = [Linear(width, width) for _ in range(n_layers)]
        self.layers = ModuleList(layers) if container == "ModuleList" else layers
        scale = ones(width)
        self.scale = Parameter(scale) if scale_kind == "Parameter" else scale.requires_grad_()
        self.norm = LayerNorm(width)
        self.head = Linear(width, n_out)

    def forward(self, x: Tensor) -> Tensor:
        for layer in self.layers:
            x = layer(x).tanh()
        return self.head(self.norm(x) * self.scale)


@dataclass
class ModelView:
    """What the inspector shows for one model."""

    tree: list[str]  # the registered module tree, one indented line per module
    unregistered: list[str]  # attributes holding modules or tensors that nothing registered
    named_parameters: list[tuple[str, tuple[int, ...]]]  # what named_parameters() yields
    total: int  # the number of scalars in parameters()


def _shape(t: Tensor) -> tuple[int, ...]:
    return tuple(int(d) for d in t.shape)


def module_tree_lines(model: Module) -> list[str]:
    """One line per registered module, indented by depth: `(name): Class  own params`.

    >>> module_tree_lines(nn.Sequential(nn.Linear(2, 3)))
    ['Sequential', '  (0): Linear  weight (3, 2), bias (3,)']
    """
    lines = []

    def walk(module: Module, name: str | None, depth: int) -> None:
        own = [f"{k} {_shape(p)}" for k, p in module._parameters.items() if p is not None]
        label = type(module).__name__ if name is None else f"({name}): {type(module).__name__}"
        lines.append("  " * depth + label + ("  " + ", ".join(own) if own else ""))
        for child_name, child in module._modules.items():
            if child is not None:
                walk(child, child_name, depth + 1)

    walk(model, None, 0)
    return lines


def unregistered_attributes(model: Module) -> list[str]:
    """Every module in the tree: its plain attributes that hold tensors or Modules (unregistered)."""
    found = []
    for prefix, module in model.named_modules():
        for key, value in vars(module).items():
            where = f"{prefix}.{key}" if prefix else key
            if isinstance(value, Tensor):
                found.append(f"{where}: a plain Tensor {_shape(value)}")
            elif isinstance(value, (list, tuple)) and any(isinstance(v, Module) for v in value):
                kinds = sorted({type(v).__name__ for v in value if isinstance(v, Module)})
                found.append(
                    f"{where}: a plain {type(value).__name__} of {len(value)} {', '.join(kinds)}"
                )
    return found


def inspect_model(
    container: str = "ModuleList", scale_kind: str = "Parameter", n_layers: int = 3
) -> ModelView:
    """Build `Stack(container, scale_kind, n_layers)` and return its tree and its parameters.

    >>> [name for name, _ in inspect_model('plain list', 'tensor', 2).named_parameters]
    ['norm.weight', 'norm.bias', 'head.weight', 'head.bias']
    """
    with _random.fork_rng():
        model = Stack(container, scale_kind, n_layers)
    named = [(name, _shape(p)) for name, p in model.named_parameters()]
    return ModelView(
        tree=module_tree_lines(model),
        unregistered=unregistered_attributes(model),
        named_parameters=named,
        total=sum(math.prod(shape) for _, shape in named),
    )


def view_html(view: ModelView) -> str:
    """The tree (registered modules), the unregistered attributes, and the parameter list."""
    mono = "font-family:monospace;white-space:pre;line-height:1.35"
    tree = "\n".join(html.escape(line) for line in view.tree)
    missing = "\n".join(f"✗ {html.escape(line)}" for line in view.unregistered) or "(none)"
    params = "\n".join(
        f"{html.escape(name):22s} {str(shape):9s} {math.prod(shape):4d}"
        for name, shape in view.named_parameters
    )
    return (
        "<div style='display:flex;gap:28px;flex-wrap:wrap'>"
        f"<div><b>module tree</b> (<code>_modules</code>, what repr, apply and train see)"
        f"<div style='{mono}'>{tree}</div>"
        f"<b>not registered</b> (plain attributes)"
        f"<div class='unregistered' style='{mono};color:#c0392b'>{missing}</div></div>"
        f"<div><b>named_parameters()</b>: {len(view.named_parameters)} tensors, "
        f"<span class='total'>{view.total}</span> numbers"
        f"<div style='{mono}'>{params}</div></div>"
        "</div>"
    )


def module_tree_widget():
    """Toggles (plain list / ModuleList, tensor / Parameter) and a layer-count slider over a
    live model: its module tree and its named_parameters() update on every change."""
    import ipywidgets as widgets

    from ._ui import make_widget

    wide = {"description_width": "initial"}
    # The label and the buttons on one line (ipywidgets 8 stacks the buttons under the label).
    container = widgets.ToggleButtons(
        options=list(CONTAINERS),
        value="ModuleList",
        description="layers kept in",
        style=wide,
        layout=widgets.Layout(display="flex", flex_flow="row nowrap", align_items="center"),
    )
    scale = widgets.ToggleButtons(
        options=list(SCALE_KINDS),
        value="Parameter",
        description="scale is a",
        style=wide,
        layout=widgets.Layout(display="flex", flex_flow="row nowrap", align_items="center"),
    )
    n_layers = widgets.IntSlider(value=3, min=1, max=6, description="n_layers", style=wide)
    shown = widgets.HTML()

    def update() -> ModelView:
        view = inspect_model(container.value, scale.value, n_layers.value)
        shown.value = view_html(view)
        return view

    controls = {"container": container, "scale": scale, "n_layers": n_layers}
    box = make_widget([container, scale, n_layers, shown], controls, update)
    box.html = shown
    return box


WIDGETS = {"module tree inspector (03)": module_tree_widget}
