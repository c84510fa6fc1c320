"""Notebook 04's widget: the shape playground.

Pick an op (`matmul`, `mm`, `bmm`, `@`) and two shapes; see the result shape with its batch dims
and matrix dims coloured and the broadcast batch dims marked, or the exact error torch raises.
`playground(op, a_shape, b_shape)` computes everything shown: it calls course_lib's own op on
zero tensors of those shapes, so a result or an error message is the library's (and torch's) by
construction, never a re-derivation. `shape_playground()` wraps it in a dropdown, two text boxes
with preset shapes, and an HTML panel.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from .._ops.linalg import bmm, matmul, mm
from ..creation import zeros
from ..tensor import Tensor

OPS = ("matmul", "mm", "bmm", "@")
PRESETS = (
    "3",
    "2, 3",
    "3, 4",
    "4, 5",
    "5, 2, 3",
    "5, 3, 4",
    "1, 3, 4",
    "4, 3, 4",
    "7, 3, 4",
    "5, 1, 2, 3",
    "0, 3",
    "()",
)
MAX_ELEMENTS = 1_000_000  # per operand and for the result: the playground stays instant
MAX_WORK = 200_000_000  # multiply-adds of one product (about 10 ms)
MAX_DIMS = 8

BATCH_COLOUR, MATRIX_COLOUR, BROADCAST_COLOUR = "#1f77b4", "#e4572e", "#ffe08a"
ERROR_COLOUR, NOTE_COLOUR = "#b00020", "#8a6d00"


@dataclass(frozen=True)
class BatchDim:
    """One batch dim of the result: the sizes the operands had there (None: no such dim)."""

    size: int
    a: int | None
    b: int | None
    a_dim: int | None = None  # where that size sits in a's shape
    b_dim: int | None = None

    @property
    def broadcast(self) -> tuple[str, ...]:
        """The operands that were stretched along this dim ("a", "b"), by a 1 or a missing dim."""
        return tuple(
            name for name, s in (("a", self.a), ("b", self.b)) if s is None or s != self.size
        )


@dataclass(frozen=True)
class Playground:
    """What the playground shows for one op and two shapes.

    Exactly one of `shape` (the result), `error` (what the op raised, "Type: message") and
    `parse_error` (a shape could not be read) is set.
    """

    op: str
    a_shape: tuple[int, ...] | None
    b_shape: tuple[int, ...] | None
    shape: tuple[int, ...] | None = None
    error_type: str | None = None
    error_message: str | None = None
    parse_error: str | None = None
    batch: tuple[BatchDim, ...] = ()  # the result's batch dims, left to right
    notes: tuple[str, ...] = field(default=())  # vectors and broadcasting, in words

    @property
    def ok(self) -> bool:
        return self.shape is not None

    @property
    def error(self) -> str | None:
        return None if self.error_type is None else f"{self.error_type}: {self.error_message}"

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return tuple(d.size for d in self.batch)

    @property
    def matrix_shape(self) -> tuple[int, ...]:
        return () if self.shape is None else self.shape[len(self.batch) :]

    @property
    def broadcast_dims(self) -> tuple[int, ...]:
        """Indices (in the result) of the batch dims along which an operand was stretched."""
        return tuple(i for i, d in enumerate(self.batch) if d.broadcast)


def parse_shape(text) -> tuple[int, ...]:
    """Read "5, 2, 3", "5 2 3", "(3,)", "[2, 3]" or "()" as a shape; ValueError if it is not one.

    A tuple or list of ints is accepted as is. Sizes must be whole numbers >= 0.
    """
    if isinstance(text, (tuple, list)):
        items = list(text)
    else:
        raw = str(text).strip()
        inner = raw
        if inner.startswith("torch.Size(") and inner.endswith(")"):
            inner = inner[len("torch.Size(") : -1]
        inner = inner.strip().strip("()[]").strip()
        if not inner:
            if raw in ("()", "[]", "torch.Size([])"):
                return ()
            raise ValueError(
                "type a shape such as 5, 2, 3 (sizes separated by commas; () is a 0-d tensor)"
            )
        items = inner.replace(",", " ").split()  # "5, 2, 3", "5 2 3" and "3," all read
    shape = []
    for item in items:
        try:
            size = int(item)
        except (TypeError, ValueError):
            raise ValueError(
                f"{str(item)!r} is not a whole number: write sizes separated by commas, "
                "such as 5, 2, 3"
            ) from None
        if size < 0:
            raise ValueError(f"a size cannot be negative ({size}); sizes are 0 or more")
        shape.append(size)
    if len(shape) > MAX_DIMS:
        raise ValueError(f"{len(shape)} dims is more than this playground shows (at most 8)")
    return tuple(shape)


def _result_bound(a: tuple, b: tuple) -> tuple[int, int]:
    """An upper bound on the result's number of elements, and on the multiply-adds."""
    batch_a, batch_b = a[:-2], b[:-2]
    n = max(len(batch_a), len(batch_b))
    batch_a, batch_b = (1,) * (n - len(batch_a)) + batch_a, (1,) * (n - len(batch_b)) + batch_b
    rows = a[-2] if len(a) >= 2 else 1
    cols = b[-1] if len(b) >= 2 else 1
    out = math.prod(max(p, q) for p, q in zip(batch_a, batch_b)) * rows * cols
    inner = a[-1] if a else 1
    return out, out * inner


def _call(op: str, a: Tensor, b: Tensor) -> Tensor:
    if op == "@":
        return a @ b
    return {"matmul": matmul, "mm": mm, "bmm": bmm}[op](a, b)


def _batch_dims(op: str, a: tuple, b: tuple, shape: tuple) -> tuple[BatchDim, ...]:
    """The result's batch dims and the operand sizes they came from (right-aligned)."""
    if op == "mm":
        return ()
    if op == "bmm":
        return (BatchDim(shape[0], a[0], b[0], 0, 0),)
    matrix_dims = (len(a) >= 2) + (len(b) >= 2)  # a 1-D operand leaves no dim of its own
    n = len(shape) - matrix_dims
    batch_a, batch_b = a[:-2], b[:-2]
    dims = []
    for i in range(n):
        ia, ib = i - (n - len(batch_a)), i - (n - len(batch_b))
        ia, ib = (ia if ia >= 0 else None), (ib if ib >= 0 else None)
        size_a = None if ia is None else batch_a[ia]
        size_b = None if ib is None else batch_b[ib]
        dims.append(BatchDim(shape[i], size_a, size_b, ia, ib))
    return tuple(dims)


def _notes(op: str, a: tuple, b: tuple, batch: tuple[BatchDim, ...]) -> tuple[str, ...]:
    notes = []
    if op in ("matmul", "@"):
        if len(a) == 1 and len(b) == 1:
            notes.append("two vectors: a dot product, a 0-d result")
        elif len(a) == 1:
            notes.append(f"a is 1-D: it acts as (1, {a[0]}), and that 1 is removed from the result")
        elif len(b) == 1:
            notes.append(f"b is 1-D: it acts as ({b[0]}, 1), and that 1 is removed from the result")
    for i, d in enumerate(batch):
        for name in d.broadcast:
            size = d.a if name == "a" else d.b
            if size is None:
                notes.append(f"batch dim {i}: {name} has no such dim, so it is reused {d.size}×")
            else:
                notes.append(f"batch dim {i}: {name} has size {size}, stretched to {d.size}")
    return tuple(notes)


def playground(op: str, a_shape, b_shape) -> Playground:
    """Run `op` (matmul, mm, bmm or @) on zero tensors of the two shapes and describe the result.

    Shapes are tuples or text ("5, 2, 3"); text that is not a shape gives `parse_error`, never
    an exception. The result's `error` is the RuntimeError the op raised, word for word.

    >>> playground("matmul", "5, 1, 2, 3", "7, 3, 4").shape
    (5, 7, 2, 4)
    """
    if op not in OPS:
        raise ValueError(f"op must be one of {OPS}, got {op!r}")
    parsed = {}
    for name, given in (("a", a_shape), ("b", b_shape)):
        try:
            parsed[name] = parse_shape(given)
        except ValueError as e:
            return Playground(op, None, None, parse_error=f"{name}: {e}")
    a, b = parsed["a"], parsed["b"]
    out, work = _result_bound(a, b)
    biggest = max(math.prod(a), math.prod(b), out, *a, *b)  # one huge size of an empty tensor too
    too_large = (
        f"{biggest:,} elements" if biggest > MAX_ELEMENTS
        else f"{work:,} multiply-adds" if work > MAX_WORK
        else None
    )  # fmt: skip
    if too_large:
        return Playground(
            op,
            a,
            b,
            parse_error=f"these shapes are too large to try here (up to {too_large}); the rules "
            "do not depend on the sizes, so try smaller ones",
        )
    try:
        result = _call(op, zeros(a), zeros(b))
    except RuntimeError as e:
        return Playground(op, a, b, error_type=type(e).__name__, error_message=str(e))
    shape = tuple(result.shape)
    batch = _batch_dims(op, a, b, shape)
    return Playground(op, a, b, shape=shape, batch=batch, notes=_notes(op, a, b, batch))


# -- drawing -----------------------------------------------------------------------------------


def _span(text, colour: str, broadcast: bool = False, title: str = "") -> str:
    style = f"color:{colour};font-weight:bold"
    if broadcast:
        style += f";background:{BROADCAST_COLOUR};border-bottom:2px dashed {colour}"
    tip = f" title='{html.escape(title)}'" if title else ""
    return f"<span style='{style}'{tip}>{html.escape(str(text))}</span>"


def _tuple_html(parts: list[str]) -> str:
    if len(parts) == 1:
        return f"({parts[0]},)"
    return "(" + ", ".join(parts) + ")"


def _operand_html(op: str, shape: tuple, stretched: set[int]) -> str:
    """An operand's shape: batch dims blue, matrix dims orange (mm/bmm/matmul rules)."""
    if op == "mm":
        n_matrix = len(shape)
    elif op == "bmm":
        n_matrix = max(len(shape) - 1, 0)
    else:
        n_matrix = min(len(shape), 2)
    n_batch = len(shape) - n_matrix
    parts = []
    for i, size in enumerate(shape):
        if i < n_batch:
            tip = "stretched by broadcasting" if i in stretched else ""
            parts.append(_span(size, BATCH_COLOUR, i in stretched, tip))
        else:
            parts.append(_span(size, MATRIX_COLOUR))
    return _tuple_html(parts)


def _call_text(op: str) -> str:
    return "a @ b" if op == "@" else f"torch.{op}(a, b)"


def result_html(r: Playground) -> str:
    """The panel under the controls: operands, the call, and its result or error."""
    mono = "font-family:monospace;line-height:1.6"
    if r.parse_error is not None:
        return (
            f"<div style='{mono};color:{NOTE_COLOUR}'>Could not try this: "
            f"{html.escape(r.parse_error)}</div>"
        )
    stretched = {"a": set(), "b": set()}  # operand dims of size 1 that were stretched
    for d in r.batch:
        if "a" in d.broadcast and d.a_dim is not None:
            stretched["a"].add(d.a_dim)
        if "b" in d.broadcast and d.b_dim is not None:
            stretched["b"].add(d.b_dim)
    lines = [
        f"a: {_operand_html(r.op, r.a_shape, stretched['a'])} &nbsp; "
        f"b: {_operand_html(r.op, r.b_shape, stretched['b'])}"
    ]
    if r.ok:
        parts = [
            _span(d.size, BATCH_COLOUR, bool(d.broadcast), "broadcast batch dim") for d in r.batch
        ]
        parts += [_span(s, MATRIX_COLOUR) for s in r.matrix_shape]
        shape = _tuple_html(parts) if parts else "() &nbsp;(0-d)"
        lines.append(f"{_call_text(r.op)} → shape {shape}")
        lines += [f"<span style='color:{NOTE_COLOUR}'>· {html.escape(n)}</span>" for n in r.notes]
    else:
        lines.append(
            f"{_call_text(r.op)} raises <span style='color:{ERROR_COLOUR};font-weight:bold'>"
            f"{html.escape(r.error)}</span>"
        )
    legend = (
        f"<span style='font-size:85%'>{_span('batch dims', BATCH_COLOUR)} · "
        f"{_span('matrix dims', MATRIX_COLOUR)} · "
        f"{_span('broadcast', BATCH_COLOUR, True)}</span>"
    )
    return f"<div style='{mono}'>" + "<br>".join([*lines, legend]) + "</div>"


def shape_playground(op: str = "matmul", a: str = "5, 2, 3", b: str = "3, 4"):
    """An op dropdown and two shape boxes (type a shape or pick a preset) → result or error."""
    import ipywidgets as widgets

    from ._ui import make_widget

    style = {"description_width": "initial"}
    op_box = widgets.Dropdown(options=OPS, value=op, description="op", style=style)
    layout = widgets.Layout(width="220px")
    a_box, b_box = (
        widgets.Combobox(
            value=value,
            options=PRESETS,
            ensure_option=False,
            description=name,
            style=style,
            placeholder="e.g. 5, 2, 3",
            layout=layout,
        )
        for name, value in (("a shape", a), ("b shape", b))
    )
    panel = widgets.HTML()

    def update():
        result = playground(op_box.value, a_box.value, b_box.value)
        panel.value = result_html(result)
        return result

    box = make_widget(
        [widgets.HBox([op_box, a_box, b_box]), panel],
        {"op": op_box, "a": a_box, "b": b_box},
        update,
    )
    box.panel = panel
    return box


WIDGETS = {"shape playground (04)": shape_playground}
