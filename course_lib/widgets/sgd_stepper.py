"""Notebook 09's widget: the SGD loop, one call at a time.

`SGDStepper` is a pure state machine around a tiny model (course_lib's own `nn.Linear(2, 1)`,
`nn.MSELoss` and `optim.SGD`) fitted to 8 fixed points. Its methods are the calls of a training
loop, `zero_grad()`, `forward()` (forward pass and loss), `backward()` and `step()`, and
`snapshot()` returns what a learner should look at after each one: the weights, their `.grad`,
SGD's momentum buffers and the losses so far. `sgd_stepper()` puts a button on each call, sliders
on lr and momentum, a table of the numbers and the loss curve.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

from ..autograd import no_grad
from ..creation import tensor
from ..nn import Linear, MSELoss
from ..optim import SGD

# 8 fixed points in 2-D and their targets y = 2·x₀ − 3·x₁ + 1 (a line the model can fit exactly).
X = np.array(
    [[-1.0, -0.5], [-0.5, 1.0], [0.0, 0.5], [0.5, -1.0], [1.0, 0.0], [1.5, 0.5], [-1.5, 0.0],
     [0.5, 1.5]],
    dtype=np.float32,
)  # fmt: skip
Y = (2 * X[:, :1] - 3 * X[:, 1:] + 1).astype(np.float32)
W0 = np.array([[0.5, -0.5]], dtype=np.float32)  # the starting weight, (out, in) = (1, 2)
B0 = np.array([0.0], dtype=np.float32)
NAMES = ("weight[0, 0]", "weight[0, 1]", "bias[0]")


def _flat(t) -> np.ndarray | None:
    return None if t is None else np.asarray(t.detach().numpy(), dtype=np.float64).ravel()


@dataclass
class Snapshot:
    """The stepper's state after a call. Arrays hold weight[0, 0], weight[0, 1], bias[0]; a
    grad or buffer is None where torch's would be None (`p.grad` after zero_grad, the momentum
    buffer before the first step with momentum)."""

    calls: tuple[str, ...]
    weights: np.ndarray
    grads: np.ndarray | None
    buffer: np.ndarray | None
    losses: tuple[float, ...]
    lr: float
    momentum: float
    message: str
    backward_calls_since_zero_grad: int = 0
    pending_loss: float | None = field(default=None)


class SGDStepper:
    """A Linear(2, 1) fitted to 8 fixed points with MSE and SGD, driven one call at a time.

    >>> s = SGDStepper(lr=0.1)
    >>> s.forward(); s.backward(); s.step()
    >>> s.snapshot().calls
    ('forward', 'backward', 'step')
    """

    def __init__(self, lr: float = 0.1, momentum: float = 0.0) -> None:
        self.model = Linear(2, 1)
        with no_grad():
            self.model.weight.copy_(tensor(W0))
            self.model.bias.copy_(tensor(B0))
        self.params = [self.model.weight, self.model.bias]
        self.optimizer = SGD(self.params, lr=lr, momentum=momentum)
        self.criterion = MSELoss()
        self.x, self.y = tensor(X), tensor(Y)
        self.loss = None  # the loss of the last forward, until backward consumes it
        self.losses: list[float] = []
        self.calls: list[str] = []
        self.message = "start: no forward yet, every .grad is None"
        self.backward_count = 0  # backward() calls since the last zero_grad()

    # -- the hyperparameters: written into the param group, read by the next step() ----------
    @property
    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    @lr.setter
    def lr(self, value: float) -> None:
        self.optimizer.param_groups[0]["lr"] = float(value)

    @property
    def momentum(self) -> float:
        return float(self.optimizer.param_groups[0]["momentum"])

    @momentum.setter
    def momentum(self, value: float) -> None:
        self.optimizer.param_groups[0]["momentum"] = float(value)

    # -- the four calls ----------------------------------------------------------------------
    def zero_grad(self) -> None:
        """optimizer.zero_grad(): every .grad becomes None."""
        self.optimizer.zero_grad()
        self.backward_count = 0
        self.calls.append("zero_grad")
        self.message = "zero_grad(): every .grad is now None"

    def forward(self) -> None:
        """loss = MSELoss()(model(x), y): records the graph, changes no .grad."""
        self.loss = self.criterion(self.model(self.x), self.y)
        self.losses.append(float(self.loss.item()))
        self.calls.append("forward")
        self.message = f"forward(): loss = {self.losses[-1]:.4f}; .grad unchanged"

    def backward(self) -> None:
        """loss.backward(): adds d loss / d p to every p.grad (does not replace it)."""
        self.calls.append("backward")
        if self.loss is None:
            self.message = "backward() needs a new loss: call forward() first (nothing changed)"
            return
        self.loss.backward()
        self.loss = None  # one backward per forward, as torch frees the graph
        self.backward_count += 1
        self.message = (
            "backward(): .grad += d loss / d p"
            if self.backward_count == 1
            else f"backward(): .grad now holds the sum of {self.backward_count} gradients "
            "(no zero_grad in between)"
        )

    def step(self) -> None:
        """optimizer.step(): p ← p − lr·g (g the momentum buffer when momentum > 0)."""
        self.calls.append("step")
        if all(p.grad is None for p in self.params):
            self.message = "step(): every .grad is None, so nothing moved"
        else:
            self.message = f"step(): p ← p − {self.lr:g}·" + (
                "buffer" if self.momentum else ".grad"
            )
        self.optimizer.step()

    def snapshot(self) -> Snapshot:
        """The numbers after the last call (copies: later calls do not change them)."""
        weights = np.concatenate([_flat(p) for p in self.params])
        if all(p.grad is None for p in self.params):
            grads = None
        else:
            grads = np.concatenate(
                [_flat(p.grad) if p.grad is not None else np.full(p.numel(), np.nan)
                 for p in self.params]
            )  # fmt: skip
        bufs = [self.optimizer.state[p].get("momentum_buffer") for p in self.params]
        buffer = None if all(b is None for b in bufs) else np.concatenate([_flat(b) for b in bufs])
        return Snapshot(
            calls=tuple(self.calls),
            weights=weights,
            grads=grads,
            buffer=buffer,
            losses=tuple(self.losses),
            lr=self.lr,
            momentum=self.momentum,
            message=self.message,
            backward_calls_since_zero_grad=self.backward_count,
            pending_loss=None if self.loss is None else float(self.loss.item()),
        )


_CELL = "padding:2px 10px;text-align:right"  # columns apart, numbers aligned


def _cell(values: np.ndarray | None, i: int, changed: bool) -> str:
    text = "None" if values is None or np.isnan(values[i]) else f"{values[i]:+.4f}"
    style = _CELL + (";background:#fff3b0" if changed else "")
    return f"<td style='{style}'><code>{text}</code></td>"


def snapshot_table(s: Snapshot, previous: Snapshot | None = None) -> str:
    """An HTML table: one row per number, columns value / .grad / momentum buffer; the cells
    the last call changed are highlighted."""

    def differs(a, b, i):
        if previous is None:
            return False
        if (a is None) != (b is None):
            return True
        return a is not None and not np.array_equal(a[i], b[i], equal_nan=True)

    rows = []
    for i, name in enumerate(NAMES):
        rows.append(
            f"<tr><td style='{_CELL}'><code>{name}</code></td>"
            + _cell(s.weights, i, differs(s.weights, previous and previous.weights, i))
            + _cell(s.grads, i, differs(s.grads, previous and previous.grads, i))
            + _cell(s.buffer, i, differs(s.buffer, previous and previous.buffer, i))
            + "</tr>"
        )
    last = s.calls[-1] if s.calls else "(none)"
    loss = f"{s.losses[-1]:.4f}" if s.losses else "not computed yet"
    head = "".join(
        f"<th style='{_CELL}'>{h}</th>"
        for h in ("", "value", "<code>.grad</code>", "momentum buffer")
    )
    # One sentence per line; a line wraps only between its phrases (nowrap spans).
    phrase = "<span style='white-space:nowrap'>{}</span>"
    lines = [
        phrase.format(f"last call: <b>{html.escape(last)}</b>")
        + " &nbsp;"
        + phrase.format(html.escape(s.message)),
        phrase.format(f"last loss: {loss};")
        + " "
        + phrase.format(f"calls so far: {len(s.calls)};")
        + " "
        + phrase.format(f"backward() calls since zero_grad(): {s.backward_calls_since_zero_grad}"),
        phrase.format(f"lr = {s.lr:g}, momentum = {s.momentum:g}"),
    ]
    return (
        f"<table style='border-collapse:collapse;font-size:13px'><tr>{head}</tr>"
        + "".join(rows)
        + "</table><div style='line-height:1.5'>"
        + "<br>".join(lines)
        + "</div>"
    )


def sgd_stepper(lr: float = 0.1, momentum: float = 0.5):
    """Buttons for zero_grad / forward / backward / step (and reset), sliders for lr and
    momentum → a table of weights, .grad and momentum buffer, and the loss curve so far."""
    import ipywidgets as widgets
    from matplotlib.ticker import MaxNLocator

    from ._ui import FigureView, make_widget

    style = {"description_width": "initial"}
    controls = {
        name: widgets.Button(description=f"{name}()", layout=widgets.Layout(width="110px"))
        for name in ("zero_grad", "forward", "backward", "step")
    }
    controls["reset"] = widgets.Button(description="reset", layout=widgets.Layout(width="80px"))
    controls["lr"] = widgets.FloatSlider(
        value=lr, min=0.0, max=0.5, step=0.01, description="lr", style=style
    )
    controls["momentum"] = widgets.FloatSlider(
        value=momentum, min=0.0, max=0.95, step=0.05, description="momentum", style=style
    )
    table = widgets.HTML()
    view = FigureView(figsize=(4.2, 2.2), dpi=90)
    ax = view.axes
    (curve,) = ax.plot([], [], "o-", color="#1f77b4", ms=3, lw=1.5, animated=True)
    # Text is most of the drawing time: few ticks, and the axis titles in the HTML caption.
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(4))
    view.figure.set_layout_engine(None)  # fixed margins: no layout pass on every click
    view.figure.subplots_adjust(left=0.12, right=0.97, top=0.95, bottom=0.12)
    caption = widgets.HTML("loss curve: x = forward() call, y = MSE loss")

    holder = {"stepper": SGDStepper(lr, momentum), "clicked": None}
    for name in ("zero_grad", "forward", "backward", "step", "reset"):
        # on_click handlers registered before make_widget's run first: record which was clicked
        controls[name].on_click(lambda _b, name=name: holder.__setitem__("clicked", name))

    def update() -> Snapshot:
        clicked, holder["clicked"] = holder["clicked"], None
        if clicked == "reset":
            holder["stepper"] = SGDStepper()
            holder["stepper"].message = "reset: the starting weights again, no grads, no buffer"
        stepper = holder["stepper"]
        stepper.lr, stepper.momentum = controls["lr"].value, controls["momentum"].value
        previous = stepper.snapshot()
        if clicked in ("zero_grad", "forward", "backward", "step"):
            getattr(stepper, clicked)()
        s = stepper.snapshot()
        table.value = snapshot_table(s, previous if clicked else None)
        losses = np.asarray(s.losses)
        x = np.arange(1, len(losses) + 1)
        curve.set_data(x, losses)
        # The x axis grows 5 calls at a time, so most clicks keep the axes and draw only the curve.
        shown_calls = 5 * max(1, -(-len(losses) // 5))
        limits = (shown_calls + 0.5, 1.05 * float(losses.max()) if len(losses) else 1.0)
        ax.set_xlim(0.5, limits[0])
        ax.set_ylim(0, limits[1])
        view.redraw(key=s.losses, static=limits)  # only the losses are drawn: lr changes none
        return s

    children = [
        widgets.HBox([controls[n] for n in ("zero_grad", "forward", "backward", "step", "reset")]),
        widgets.HBox([controls["lr"], controls["momentum"]]),
        widgets.HBox(
            [table, widgets.VBox([caption, view.image])], layout={"flex_flow": "row wrap"}
        ),
    ]
    box = make_widget(children, controls, update, view)
    box.table = table
    box.stepper = lambda: holder["stepper"]
    return box


WIDGETS = {"SGD stepper (09)": sgd_stepper}
