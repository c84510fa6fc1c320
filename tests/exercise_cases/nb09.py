"""Exercise cases for notebook 09: a correct answer and diagnosed wrong answers per exercise."""

import numpy as np


def sgd_step(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    g = grad + weight_decay * p
    if momentum != 0:
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    return p - lr * g, buf


def dampening_on_first_step(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    g = grad + weight_decay * p
    if momentum != 0:
        buf = (1 - dampening) * g if buf is None else momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    return p - lr * g, buf


def decay_after_momentum(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    g = grad
    if momentum != 0:
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    return p - lr * (g + weight_decay * p), buf


def nesterov_as_buffer(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    g = grad + weight_decay * p
    if momentum != 0:
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        g = buf  # nesterov ignored
    return p - lr * g, buf


def sign_error(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    g = grad + weight_decay * p
    if momentum != 0:
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    return p + lr * g, buf


def no_dampening(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    g = grad + weight_decay * p
    if momentum != 0:
        buf = g.copy() if buf is None else momentum * buf + g
        g = g + momentum * buf if nesterov else buf
    return p - lr * g, buf


def returns_only_p(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    return sgd_step(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov)[0]


def loses_buffer(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    return sgd_step(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov)[0], None


def average_loss(batches):
    return sum(float(loss) for loss, n in batches) / sum(n for loss, n in batches)


CASES = {
    "9.1": (
        sgd_step,
        [
            (dampening_on_first_step, "applied dampening on the first step"),
            (decay_after_momentum, "added weight decay after the momentum update"),
            (nesterov_as_buffer, "you stepped along the buffer"),
            (sign_error, "moved up the gradient"),
            (no_dampening, "you ignored dampening"),
            (returns_only_p, "return 2 values in a tuple"),
            (loses_buffer, "value 2 of your output is None"),
        ],
    ),
    "9.2": (
        lambda: [1.5, -3.0],
        [
            (lambda: [0.5, -1.0], "overwrite .grad"),
            (lambda: [2.0, -4.0], "added the first gradient twice"),
            (lambda: [1.0, -2.0], "after the first backward() only"),
            (lambda: None, "write a list of 2 values"),
            (lambda: [0.0, 0.0], "you predicted zeros"),
            (lambda: [1.5, -3.0, 0.0], "write a list of 2 values"),
        ],
    ),
    "9.3": (
        average_loss,
        [
            (lambda batches: sum(float(l) * n for l, n in batches) / sum(n for _, n in batches), "multiplied a summed loss by the batch size"),
            (lambda batches: sum(float(l) for l, _ in batches) / len(batches), "divided by the number of batches"),
            (lambda batches: sum(float(l) / n for l, n in batches) / len(batches), "averaged the batch means"),
            (lambda batches: sum(float(l) for l, _ in batches), "returned the total loss"),
            (lambda batches: [float(l) / n for l, n in batches], "return a number (you returned list)"),
        ],
    ),
    "9.4": (
        lambda: [1.0385, 1.9615],
        [
            (lambda: [1.004283, 1.995717], "you normalised the target"),
            (lambda: [1.0192717, 1.9807283], "your step is half the size"),
            (lambda: [0.9614565, 2.0385435], "moved up the gradient"),
            (lambda: [1.0, 2.0], "that is the starting weight"),
            (lambda: [1.2], "write a list of 2 values"),
        ],
    ),
}  # fmt: skip


def _sgd_step_in_place_free(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov):
    d_p = grad + p * weight_decay if weight_decay else grad
    if momentum:
        if buf is None:
            buf = np.array(d_p)
        else:
            buf = buf * momentum + d_p * (1 - dampening)
        d_p = d_p + buf * momentum if nesterov else buf
    return p - d_p * lr, buf


ALTERNATIVES = {
    "9.1": [_sgd_step_in_place_free],
    "9.3": [
        lambda batches: sum(loss.item() for loss, _ in batches) / sum(n for _, n in batches),
        lambda batches: float(sum(l for l, _ in batches)) / sum(n for _, n in batches),
    ],
}


def _train_loop(model, optimizer, loss_fn, batches):
    for x, y in batches:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()


def _train_loop_no_zero_grad(model, optimizer, loss_fn, batches):
    for x, y in batches:
        loss_fn(model(x), y).backward()
        optimizer.step()


def _train_loop_zero_grad_once(model, optimizer, loss_fn, batches):
    optimizer.zero_grad()
    _train_loop_no_zero_grad(model, optimizer, loss_fn, batches)


def _train_loop_zero_grad_late(model, optimizer, loss_fn, batches):
    for x, y in batches:
        loss_fn(model(x), y).backward()
        optimizer.zero_grad()
        optimizer.step()


def _train_loop_set_to_zero(model, optimizer, loss_fn, batches):
    for x, y in batches:
        for p in model.parameters():
            p.grad = None
        loss_fn(model(x), y).backward()
        optimizer.step()


def _train_loop_model_zero_grad(model, optimizer, loss_fn, batches):
    for x, y in batches:
        model.zero_grad()
        output = model(x)
        loss_fn(output, y).backward()
        optimizer.step()
    return model


CASES["9.5"] = (
    _train_loop,
    [
        (_train_loop_no_zero_grad, "you never call zero_grad()"),
        (_train_loop_zero_grad_once, "you call zero_grad() once, before the loop"),
        (_train_loop_zero_grad_late, "left the weights as they were"),
    ],
)
ALTERNATIVES["9.5"] = [_train_loop_set_to_zero, _train_loop_model_zero_grad]
