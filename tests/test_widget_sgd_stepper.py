"""Notebook 09's widget, driven headless: the SGD stepper's state machine follows torch's
training-loop semantics (checked against a NumPy computation of the same model, and against real
torch through the `torch` fixture), and its buttons and sliders drive it."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.widgets.sgd_stepper import B0, W0, SGDStepper, X, Y, sgd_stepper


def numpy_grad(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """d MSE / d (w00, w01, b) for the stepper's 8 points, in float64."""
    x, y = X.astype(np.float64), Y.astype(np.float64)
    r = x @ w.reshape(1, 2).T + b - y  # (8, 1) residuals
    dout = 2 * r / r.size
    return np.concatenate([(dout.T @ x).ravel(), dout.sum(0)])


def start() -> np.ndarray:
    return np.concatenate([W0.ravel(), B0]).astype(np.float64)


def test_one_iteration_matches_numpy():
    s = SGDStepper(lr=0.1)
    first = s.snapshot()
    assert first.grads is None and first.buffer is None and first.losses == ()
    s.zero_grad()
    s.forward()
    assert s.snapshot().grads is None  # forward computes the loss, leaves .grad alone
    s.backward()
    g = numpy_grad(start()[:2], start()[2:])
    np.testing.assert_allclose(s.snapshot().grads, g, rtol=1e-5)
    np.testing.assert_array_equal(s.snapshot().weights, start())  # backward moves nothing
    s.step()
    np.testing.assert_allclose(s.snapshot().weights, start() - 0.1 * g, rtol=1e-5, atol=1e-7)
    assert s.snapshot().calls == ("zero_grad", "forward", "backward", "step")


def test_skipping_zero_grad_accumulates():
    s = SGDStepper(lr=0.0)  # lr 0: the weights stay put, so each gradient is the same
    grads = []
    for _ in range(3):
        s.forward()
        s.backward()
        grads.append(s.snapshot().grads)
    np.testing.assert_allclose(grads[1], 2 * grads[0], rtol=1e-6)
    np.testing.assert_allclose(grads[2], 3 * grads[0], rtol=1e-6)
    assert s.snapshot().backward_calls_since_zero_grad == 3
    s.zero_grad()
    assert s.snapshot().grads is None and s.snapshot().backward_calls_since_zero_grad == 0
    s.forward()
    s.backward()
    np.testing.assert_allclose(s.snapshot().grads, grads[0], rtol=1e-6)


def test_accumulated_grad_is_the_sum_of_the_gradients_at_each_weight():
    s = SGDStepper(lr=0.1)
    s.forward(), s.backward(), s.step()
    w1 = s.snapshot().weights
    s.forward(), s.backward()  # no zero_grad: .grad = g(w0) + g(w1)
    expected = numpy_grad(start()[:2], start()[2:]) + numpy_grad(w1[:2], w1[2:])
    np.testing.assert_allclose(s.snapshot().grads, expected, rtol=1e-5)


def test_momentum_buffer_equals_the_grad_after_the_first_step_then_follows_the_rule():
    s = SGDStepper(lr=0.1, momentum=0.9)
    s.forward(), s.backward()
    assert s.snapshot().buffer is None  # no state before the first step
    s.step()
    snap = s.snapshot()
    np.testing.assert_array_equal(snap.buffer, snap.grads)
    s.zero_grad(), s.forward(), s.backward()
    g2 = s.snapshot().grads
    s.step()
    np.testing.assert_allclose(s.snapshot().buffer, 0.9 * snap.buffer + g2, rtol=1e-6)
    np.testing.assert_allclose(
        s.snapshot().weights, snap.weights - 0.1 * (0.9 * snap.buffer + g2), rtol=1e-5
    )


def test_backward_without_a_new_forward_and_step_without_grads_change_nothing():
    s = SGDStepper()
    s.backward()
    assert s.snapshot().grads is None and "forward() first" in s.snapshot().message
    s.step()
    np.testing.assert_array_equal(s.snapshot().weights, start())
    s.forward(), s.backward(), s.backward()  # the second backward has no new graph
    assert s.snapshot().backward_calls_since_zero_grad == 1


def test_training_by_clicks_lowers_the_loss():
    s = SGDStepper(lr=0.1, momentum=0.5)
    for _ in range(30):
        s.zero_grad(), s.forward(), s.backward(), s.step()
    losses = s.snapshot().losses
    assert len(losses) == 30 and losses[-1] < 0.05 * losses[0]


def test_matches_torch(torch):
    s = SGDStepper(lr=0.1, momentum=0.9)
    model = torch.nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(W0))
        model.bias.copy_(torch.tensor(B0))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x, y = torch.tensor(X), torch.tensor(Y)
    for skip_zero_grad in (False, True, False, False):
        if not skip_zero_grad:
            s.zero_grad()
            opt.zero_grad()
        s.forward(), s.backward(), s.step()
        torch.nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    theirs = np.concatenate([model.weight.detach().numpy().ravel(), model.bias.detach().numpy()])
    np.testing.assert_allclose(s.snapshot().weights, theirs, rtol=1e-5, atol=1e-6)


def click(box, name):
    before = box.state
    image = box.view.image.value
    box.controls[name].click()
    assert box.state is not before and repr(box.state) != repr(before), f"{name} changed nothing"
    return image


def test_buttons_drive_the_stepper_and_the_table_shows_accumulation():
    box = sgd_stepper(lr=0.1)
    assert box.state.calls == () and "None" in box.table.value
    click(box, "forward")
    image = click(box, "backward")
    g1 = box.state.grads
    assert f"{g1[0]:+.4f}" in box.table.value
    click(box, "forward")
    click(box, "backward")  # no zero_grad, no step: .grad doubles
    np.testing.assert_allclose(box.state.grads, 2 * g1, rtol=1e-6)
    assert f"{2 * g1[0]:+.4f}" in box.table.value
    assert "sum of 2 gradients" in box.table.value
    click(box, "step")
    assert box.view.image.value != image or len(box.state.losses) == 2
    click(box, "zero_grad")
    assert box.state.grads is None
    click(box, "reset")
    assert box.state.calls == () and box.state.losses == ()


def test_the_loss_curve_grows_with_each_forward():
    box = sgd_stepper(lr=0.2)
    images = [box.view.image.value]
    for _ in range(3):
        for name in ("zero_grad", "forward", "backward", "step"):
            box.controls[name].click()
        images.append(box.view.image.value)
    assert len(set(images)) == 4
    line = box.view.axes.lines[0]
    np.testing.assert_array_equal(line.get_ydata(), box.state.losses)


def test_lr_slider_changes_the_next_step():
    box = sgd_stepper(lr=0.1)
    box.controls["forward"].click()
    box.controls["backward"].click()
    before = box.state.weights
    box.controls["lr"].value = 0.3
    assert box.state.lr == pytest.approx(0.3)
    np.testing.assert_array_equal(box.state.weights, before)  # a slider does not step
    box.controls["step"].click()
    np.testing.assert_allclose(
        box.state.weights, before - 0.3 * box.state.grads, rtol=1e-5, atol=1e-7
    )


def test_momentum_slider_turns_the_buffer_on():
    box = sgd_stepper(lr=0.1, momentum=0.0)
    for name in ("forward", "backward", "step"):
        box.controls[name].click()
    assert box.state.buffer is None
    box.controls["momentum"].value = 0.9
    for name in ("zero_grad", "forward", "backward", "step"):
        box.controls[name].click()
    np.testing.assert_array_equal(box.state.buffer, box.state.grads)  # first momentum step
    assert box.state.momentum == pytest.approx(0.9)
