"""Notebook 09 (the SGD loop): the exact SGD update, accumulating gradients, averaging a loss
over batches, and the blog example's one step."""

from __future__ import annotations

import numpy as np

from .. import cat
from ..autograd import no_grad
from ..creation import tensor
from ..nn import Linear
from ..nn.functional import mse_loss
from ..optim import SGD
from ._check import Number, Seq, exercise

_CONFIGS = [
    (0.1, 0.0, 0.0, 0.0, False),
    (0.1, 0.9, 0.0, 0.0, False),
    (0.1, 0.9, 0.5, 0.0, False),
    (0.1, 0.9, 0.0, 0.2, False),
    (0.1, 0.9, 0.0, 0.0, True),
    (0.05, 0.8, 0.0, 0.1, True),
]
_P0 = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])  # (2, 3): non-square
_GRADS = [
    np.array([[0.5, -1.0, 2.0], [0.0, 1.5, -0.5]]),
    np.array([[0.25, 2.0, -1.0], [1.0, -0.5, 0.0]]),
    np.array([[-1.0, 0.5, 0.5], [-2.0, 0.25, 1.0]]),
]


def _variant(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov, mistake=None):
    """One SGD step in NumPy, right (mistake=None) or with one named mistake."""
    g = grad
    if weight_decay != 0 and mistake != "decay after momentum":
        g = g + weight_decay * p
    if momentum != 0:
        if buf is None:
            buf = (1 - dampening) * g if mistake == "dampening first" else g.copy()
        else:
            new = {"no dampening": g, "dampening as factor": dampening * g}.get(
                mistake, (1 - dampening) * g
            )
            buf = momentum * buf + new
        if nesterov:
            g = {
                "nesterov as buffer": buf,
                "nesterov buffer twice": buf + momentum * buf,
            }.get(mistake, g + momentum * buf)
        else:
            g = buf
    if weight_decay != 0 and mistake == "decay after momentum":
        g = g + weight_decay * p
    step = lr * g
    p = p + step if mistake == "sign" else p - step
    return p, buf


_MISTAKES = {
    "sign": "your weights moved up the gradient: SGD subtracts, p ← p − lr·g",
    "dampening first": "you applied dampening on the first step: torch starts the momentum "
    "buffer at g itself (buf = g); (1 − dampening) scales the new gradient only from step 2 on",
    "dampening as factor": "you scaled the new gradient by dampening: the buffer takes "
    "(1 − dampening)·g, buf = momentum·buf + (1 − dampening)·g",
    "no dampening": "you ignored dampening: from step 2 on, buf = momentum·buf + (1 − dampening)·g",
    "decay after momentum": "you added weight decay after the momentum update: torch adds "
    "weight_decay·p to the gradient first, so the decay term goes into the momentum buffer too",
    "nesterov as buffer": "with nesterov=True you stepped along the buffer, which is plain "
    "momentum: Nesterov steps along g + momentum·buf",
    "nesterov buffer twice": "with nesterov=True you used buf + momentum·buf: Nesterov's step is "
    "the gradient plus momentum times the buffer, g + momentum·buf",
}


def _cases_91():
    cases = []
    rng = np.random.default_rng(91)
    for lr, momentum, dampening, weight_decay, nesterov in _CONFIGS:
        config = f"lr={lr}, momentum={momentum}, dampening={dampening}, weight_decay={weight_decay}, nesterov={nesterov}"
        incoming = rng.standard_normal(_P0.shape)  # a momentum buffer from earlier steps
        for buf, when in [(None, "the first step"), (incoming, "a step with an incoming buffer")]:
            args = (
                _P0.copy(),
                _GRADS[0].copy(),
                None if buf is None else buf.copy(),
                lr,
                momentum,
                dampening,
                weight_decay,
                nesterov,
            )
            cases.append((f"{when}, {config}", args))
    return cases


def sgd_step_reference(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    g = grad + weight_decay * p
    if momentum != 0:
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    return p - lr * g, buf


def _mistaken(mistake):
    """The step with one of the named mistakes of `_variant`."""

    def step(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
        return _variant(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov, mistake)

    return step


def course_sgd(config, steps: int = 3) -> list[np.ndarray]:
    """Three steps from _P0 with course_lib's optim.SGD (what the reference must reproduce)."""
    lr, momentum, dampening, weight_decay, nesterov = config
    p = tensor(_P0, requires_grad=True)
    opt = SGD(
        [p],
        lr=lr,
        momentum=momentum,
        dampening=dampening,
        weight_decay=weight_decay,
        nesterov=nesterov,
    )
    out = []
    for grad in _GRADS[:steps]:
        p.grad = tensor(grad)
        opt.step()
        out.append(p.detach().numpy().copy())
    return out


exercise(
    "9.1",
    task="return (new_p, new_buf) after one SGD step, exactly as torch.optim.SGD computes it",
    hints=[
        "Follow torch's order: first the gradient g (with weight decay added), then the momentum buffer, then the step p − lr·g. buf is None on the first step.",
        "g = grad + weight_decay·p. With momentum: on the first step buf = g (a copy, no dampening); later buf = momentum·buf + (1 − dampening)·g. Then g = g + momentum·buf if nesterov, else g = buf. With momentum 0, leave buf as it is (None).",
        "g = grad + weight_decay * p; if momentum != 0: buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g; g = g + momentum * buf if nesterov else buf; return p - lr * g, buf",
    ],
    reference=sgd_step_reference,
    cases=_cases_91,
    mistakes={message: _mistaken(name) for name, message in _MISTAKES.items()},
    done="new_p and new_buf match torch.optim.SGD for plain SGD, momentum, dampening, weight "
    "decay and nesterov, on a first step and with an incoming momentum buffer",
)


def _no_zero_grad() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The notebook's code: two iterations without zero_grad; w.grad after the second backward."""
    w = tensor([1.0, -2.0], requires_grad=True)
    opt = SGD([w], lr=0.5)
    first = None
    for _ in range(2):
        loss = (w**2).sum() / 2
        loss.backward()
        if first is None:
            first = w.grad.numpy().astype(np.float64).copy()
        opt.step()
    w_after_one = np.array([1.0, -2.0]) - 0.5 * first
    return w.grad.numpy().astype(np.float64), first, w_after_one


_W1 = _no_zero_grad()

exercise(
    "9.2",
    task="return your prediction of w.grad after the second backward(), as a list of 2 numbers",
    hints=[
        "Two things happen between the backward() calls: step() moves w, and nothing resets .grad. The second backward() adds its gradient to what .grad already holds.",
        "The gradient of (w**2).sum() / 2 is w itself, evaluated at the w of that iteration: [1, -2] the first time, and w after one step of lr 0.5 the second time.",
        "After the first step w = [1, -2] - 0.5 * [1, -2] = [0.5, -1]; .grad = [1, -2] + [0.5, -1] = [1.5, -3.0]",
    ],
    reference=lambda: _no_zero_grad()[0],
    form=Seq((Number(3), 2)),
    mistakes={
        "you expected the second backward() to overwrite .grad: that is the second gradient "
        "alone; without zero_grad() it is added to the first": _W1[2],
        "you added the first gradient twice, but step() moved w in between, so the second "
        "gradient (w at that moment) is smaller": 2 * _W1[1],
        "that is .grad after the first backward() only: the second backward() adds to it": _W1[1],
        "you predicted zeros: nothing resets .grad here (and zero_grad() would give None)": [0, 0],
    },
    done=f"w.grad = {_W1[1].tolist()} + {_W1[2].tolist()} = {_W1[0].tolist()}",
)


def _cases_93():
    cases = []
    for seed, sizes in enumerate([(4, 4, 4, 2), (3, 3, 1), (5,)]):
        rng = np.random.default_rng(seed)
        per_sample = [rng.uniform(0.2, 2.0, size=n).astype(np.float32) for n in sizes]
        batches = [(tensor(float(ls.sum())), n) for ls, n in zip(per_sample, sizes, strict=True)]
        cases.append((f"batches of sizes {list(sizes)}", (batches,)))
    return cases


def average_loss_reference(batches):
    total = sum(float(loss) for loss, n in batches)
    count = sum(n for loss, n in batches)
    return total / count


exercise(
    "9.3",
    task="return the average loss per sample over all the batches, as a float",
    hints=[
        "Each loss was computed with reduction='sum': it is already the total over its batch. The average per sample is the total over all batches divided by the number of samples.",
        "Add up the losses (float(loss)) and add up the batch sizes, then divide once at the end. Do not multiply a summed loss by its batch size, and do not divide by the number of batches (the last batch may be smaller).",
        "return sum(float(loss) for loss, n in batches) / sum(n for loss, n in batches)",
    ],
    reference=average_loss_reference,
    cases=_cases_93,
    mistakes={
        "you multiplied a summed loss by the batch size: with reduction='sum' the loss is already "
        "the batch total, so loss * n counts every sample n times": (
            lambda b: sum(float(l) * n for l, n in b) / sum(n for _, n in b)
        ),
        "you divided by the number of batches, not the number of samples: that is the average "
        "loss per batch": lambda b: sum(float(l) for l, _ in b) / len(b),
        "you averaged the batch means: a smaller last batch then counts as much as a full one; "
        "divide the total loss by the total number of samples": (
            lambda b: sum(float(l) / n for l, n in b) / len(b)
        ),
        "you returned the total loss: divide it by the number of samples": (
            lambda b: sum(float(l) for l, _ in b)
        ),
    },
    done="the per-sample average for equal batches, a smaller last batch and a single batch",
)


def _blog_weights(target_scale: float = 1.0, normalise: bool = False) -> np.ndarray:
    """The blog step in float64 NumPy: z = 2w (1-D: unbatched, C = 2), probability targets."""
    w = np.array([1.0, 2.0])
    t = np.array([3.0, 6.0]) * target_scale
    if normalise:
        t = t / t.sum()
    z = 2 * w
    softmax = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    dz = softmax * t.sum() - t  # d/dz of -Σ t·log_softmax(z)
    return w - 0.01 * 2 * dz


_W, _Z, _T = np.array([1.0, 2.0]), np.array([2.0, 4.0]), np.array([3.0, 6.0])
_SOFTMAX = np.exp(_Z) / np.exp(_Z).sum()

exercise(
    "9.4",
    task="return your prediction of model.weight after the blog's one step, as a list of 2 "
    "numbers (to 4 decimals)",
    hints=[
        "The output 2 * weight is 1-D, so CrossEntropyLoss treats it as ONE unbatched sample with 2 classes; the float target [3., 6.] has the same shape, so it is read as class probabilities (not indices), and it is not normalised.",
        "loss = −Σ t·log_softmax(z) with z = 2w = [2, 4]. Its gradient is dL/dz = softmax(z)·Σt − t (Σt = 9 here, not 1), and dL/dw = 2·dL/dz. Then w ← w − 0.01·dL/dw.",
        "softmax([2, 4]) = [0.119203, 0.880797]; dL/dz = [0.119203·9 − 3, 0.880797·9 − 6] = [−1.927174, 1.927174]; w = [1, 2] − 0.02·dL/dz = [1.0385, 1.9615]",
    ],
    reference=_blog_weights,
    form=Seq((Number(5), 2)),
    mistakes={
        "you normalised the target to [1/3, 2/3]: PyTorch does not; probability targets are used "
        "as given, so [3, 6] weighs the loss by Σt = 9": _blog_weights(normalise=True),
        "you used dL/dz = softmax(z) − t, which holds only when the target sums to 1; here Σt = 9, "
        "so dL/dz = softmax(z)·Σt − t": _W - 0.02 * (_SOFTMAX - _T),
        "your step is half the size: either you forgot dz/dw = 2 (z = 2·weight), or you divided by "
        "a batch size of 2; a 1-D input is one unbatched sample": _W - 0.01 * (_SOFTMAX * 9 - _T),
        "your weights moved up the gradient: SGD subtracts lr·grad": _W
        + 0.02 * (_SOFTMAX * 9 - _T),
        "that is the starting weight: step() did move it": _W,
    },
    done=f"weight = {np.round(_blog_weights(), 4).tolist()} (to 4 decimals, as torch prints it)",
)


def train_loop_reference(model, optimizer, loss_fn, batches):
    for x, y in batches:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return model


def _cases_95():
    rng = np.random.default_rng(95)
    cases = []
    for momentum, n in [(0.0, 3), (0.9, 4)]:
        model = Linear(3, 2)
        with no_grad():
            model.weight.copy_(tensor(rng.uniform(-1, 1, (2, 3)).astype(np.float32)))
            model.bias.copy_(tensor(rng.uniform(-1, 1, 2).astype(np.float32)))
        optimizer = SGD(model.parameters(), lr=0.1, momentum=momentum)
        if momentum:  # a model used before: stale gradients are waiting in .grad
            mse_loss(
                model(tensor(np.ones((2, 3), np.float32))), tensor(np.zeros((2, 2), np.float32))
            ).backward()
        r = lambda *s: tensor(rng.standard_normal(s).astype(np.float32))
        batches = [(r(4, 3), r(4, 2)) for _ in range(n)]
        cases.append(
            (
                f"{n} batches, SGD(lr=0.1, momentum={momentum})",
                (model, optimizer, mse_loss, batches),
            )
        )
    return cases


def _trained_weights(fn, model, optimizer, loss_fn, batches):
    """Run the learner's loop; the weights it leaves are what is compared."""
    fn(model, optimizer, loss_fn, batches)
    return cat([p.detach().reshape(-1) for p in model.parameters()])


def _loop(order):
    """A loop that runs the calls in `order` for each batch ('z' zero_grad, 'b' backward, 's' step)."""

    def train(model, optimizer, loss_fn, batches):
        for x, y in batches:
            for call in order:
                if call == "z":
                    optimizer.zero_grad()
                elif call == "b":
                    loss_fn(model(x), y).backward()
                else:
                    optimizer.step()
        return model

    return train


def _zero_grad_once(model, optimizer, loss_fn, batches):
    optimizer.zero_grad()
    return _loop("bs")(model, optimizer, loss_fn, batches)


def _by_hand(model, optimizer, loss_fn, batches):
    for x, y in batches:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        with no_grad():
            for p in model.parameters():
                p -= optimizer.param_groups[0]["lr"] * p.grad
    return model


exercise(
    "9.5",
    task="train model for one pass over batches, one training iteration per (x, y), as traced "
    "above for a single batch",
    hints=[
        "Each iteration needs four calls: one that clears the old gradients, the forward pass "
        "with its loss, backward(), and the optimizer's step. Their order matters.",
        "backward() adds to .grad, so the gradients must be cleared before it, at the start of "
        "each iteration; step() reads .grad, so it comes after backward().",
        "for x, y in batches: optimizer.zero_grad(); loss = loss_fn(model(x), y); "
        "loss.backward(); optimizer.step()",
    ],
    reference=train_loop_reference,
    cases=_cases_95,
    call=_trained_weights,
    untouched=False,  # the model's parameters are meant to change
    mistakes={
        "you never call zero_grad(): backward() adds each batch's gradient to the previous ones, "
        "so every step uses the sum of all the gradients so far": _loop("bs"),
        "you call zero_grad() once, before the loop: from the second batch on, the gradients "
        "accumulate": _zero_grad_once,
        "your loop left the weights as they were: step() never found a gradient (is zero_grad() "
        "between backward() and step()?)": _loop("bzs"),
        "you call zero_grad() after step(): the first step then also uses the gradients left in "
        ".grad before the loop (from an earlier backward()); clear them at the start of each "
        "iteration, before backward()": _loop("bsz"),
        "you trained on the first batch only: loop over every (x, y) in batches": (
            lambda m, o, f, b: train_loop_reference(m, o, f, b[:1])
        ),
        "you updated the parameters by hand (p -= lr * p.grad): that skips what the optimizer "
        "adds (here its momentum); call optimizer.step()": _by_hand,
    },
    done="zero_grad → forward → loss → backward → step for each batch, with and without momentum",
)
