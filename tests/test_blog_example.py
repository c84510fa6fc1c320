"""A popular blog's one-step example (Module, Parameter,
CrossEntropyLoss with a float target, SGD) gives w = [1.0385435, 1.9614565], and our library
agrees with torch running the very same script."""

import numpy as np
import pytest

import course_lib

W_FLOAT32 = [1.038543462753296, 1.961456537246704]
W_FLOAT64 = [1.0385434740360189, 1.9614565259639811]
PRINTED = "Parameter containing:\ntensor([1.0385, 1.9615], requires_grad=True)"


def blog_example(torch, dtype=None):
    """The blog's script, written once; `torch` is either real torch or course_lib."""
    nn = torch.nn

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = nn.Parameter(torch.tensor([1.0, 2.0], dtype=dtype))

        def forward(self):
            return 2 * self.weight

    model = Model()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss = criterion(model(), torch.tensor([3.0, 6.0], dtype=dtype))
    optimizer.zero_grad()
    loss.backward()
    grad = model.weight.grad.detach().numpy().copy()
    optimizer.step()
    return model, loss, grad


def numpy_blog_example():
    """The same step by hand in float64: z = 2w is 1-D (unbatched, C = 2); the float target
    takes the class-probability path, loss = -Σ t log_softmax(z), dL/dz = softmax(z) Σt - t."""
    w, t = np.array([1.0, 2.0]), np.array([3.0, 6.0])
    z = 2 * w
    log_p = z - z.max() - np.log(np.exp(z - z.max()).sum())
    loss = -(t * log_p).sum()
    grad_w = 2 * (np.exp(log_p) * t.sum() - t)
    return w - 0.01 * grad_w, loss


def test_blog_example_float32():
    model, loss, _ = blog_example(course_lib)
    w = model.weight
    assert isinstance(w, course_lib.nn.Parameter) and w.dtype == course_lib.float32
    np.testing.assert_allclose(w.detach().numpy(), W_FLOAT32, rtol=0, atol=1e-6)
    assert abs(loss.item() - 7.142352) < 1e-5
    assert repr(w) == PRINTED
    assert w.is_leaf and w.requires_grad


def test_blog_example_float64():
    model, loss, _ = blog_example(course_lib, course_lib.float64)
    w = model.weight
    assert w.dtype == course_lib.float64
    np.testing.assert_allclose(w.detach().numpy(), W_FLOAT64, rtol=0, atol=1e-12)
    assert abs(loss.item() - 7.142352) < 1e-6


def test_numpy_reference_gives_the_documented_numbers():
    w, loss = numpy_blog_example()
    np.testing.assert_allclose(w, W_FLOAT64, rtol=0, atol=1e-15)
    assert abs(loss - 7.142352) < 1e-6


@pytest.mark.parametrize("dtype_name", ["float32", "float64"])
def test_blog_example_parity(torch, dtype_name):
    results = []
    for lib in (course_lib, torch):
        model, loss, grad = blog_example(lib, getattr(lib, dtype_name))
        w = model.weight
        results.append((w.detach().numpy().copy(), loss.item(), grad, repr(w), str(w)))
    (w, loss, grad, r, s), (tw, tloss, tgrad, tr, ts) = results
    assert w.dtype == tw.dtype
    tol = 1e-6 if dtype_name == "float32" else 1e-12
    np.testing.assert_allclose(w, tw, rtol=0, atol=tol)
    np.testing.assert_allclose(grad, tgrad, rtol=0, atol=10 * tol)
    assert abs(loss - tloss) < 10 * tol
    assert (r, s) == (tr, ts)
