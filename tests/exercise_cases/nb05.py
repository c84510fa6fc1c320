"""Exercise cases for notebook 05 (nn.Linear): a correct answer and diagnosed wrong answers."""

import math

import course_lib as torch


def _fit_shapes(x, w, b):
    """Transposes only when the shapes do not fit: right for non-square weights, wrong for square."""
    return (x @ w + b) if x.shape[-1] == w.shape[0] else (x @ w.T + b)


def _via_numpy(x, w, b):
    return torch.tensor(x.numpy() @ w.detach().numpy().T + b.detach().numpy())


CASES = {
    "5.1": (
        lambda x, w, b: x @ w.T + b,
        [
            (lambda x, w, b: x @ w + b, "did you forget to transpose the weight?"),
            (_fit_shapes, "did you forget to transpose the weight?"),
            (
                lambda x, w, b: x @ w.reshape(w.shape[1], w.shape[0]) + b,
                "reshaped the weight to (in_features, out_features) instead of transposing",
            ),
            (lambda x, w, b: w @ x + b, "the textbook column-vector form"),
            (lambda x, w, b: (w @ x.T).T + b, "you transposed x instead of the weight"),
            (lambda x, w, b: x @ w.T, "you forgot to add the bias"),
            (lambda x, w, b: x @ w.T + b[:, None], "added the bias along the wrong dim"),
            (lambda x, w, b: x @ w.T + b.unsqueeze(1), "added the bias along the wrong dim"),
            (
                lambda x, w, b: x.reshape(-1, w.shape[1]) @ w.T + b,
                "flattened the leading dims to 2-D and did not restore them",
            ),
            (_via_numpy, "Can't call numpy() on Tensor that requires grad"),
            (lambda x, w, b: (x @ w.T + b).tolist(), "return a tensor (you returned a list)"),
            (lambda x, w, b: x @ w.T - b, "you subtracted the bias"),
        ],
    ),
    "5.2": (
        lambda in_features, out_features: 1 / math.sqrt(in_features),
        [
            (lambda i, o: 1 / i, "you used 1/in_features"),
            (lambda i, o: math.sqrt(6 / i), "kaiming_uniform_ with nonlinearity='relu'"),
            (lambda i, o: math.sqrt(6 / (i + o)), "xavier_uniform_'s bound"),
            (lambda i, o: 1 / math.sqrt(o), "you used out_features"),
            (lambda i, o: 1 / math.sqrt(3 * i), "the standard deviation of U(-b, b)"),
            (lambda i, o: math.sqrt(3 / i), "kaiming_uniform_ with gain 1"),
            (
                lambda i, o: torch.full((o, i), 1 / math.sqrt(i)),
                "return a number (you returned a tensor of shape",
            ),
            (lambda i, o: 1.0, "scaled by the same factor, 3.162"),
        ],
    ),
    "5.3": (
        lambda: [(4,), (3, 4), (2, 3, 4)],
        [
            (lambda: [None, (3, 4), (2, 3, 4)], "a 1-D input does not raise an error"),
            (lambda: ["error", (3, 4), (2, 3, 4)], "a 1-D input does not raise an error"),
            (lambda: [(1, 4), (3, 4), (2, 3, 4)], "no batch dim is added"),
            (lambda: [(4,), (3, 4), (6, 4)], "the leading dims are not flattened"),
            (lambda: [(4,), (3, 4), None], "a 3-D input does not raise an error"),
            (lambda: [(4,), (3, 8), (2, 3, 8)], "the last dim becomes out_features = 4"),
            (lambda: [(4,), (4, 3), (2, 3, 4)], "that is not what course_lib gives"),
            (lambda: [(4,), (3, 4)], "write a list of 3 values"),
        ],
    ),
    "5.4": (
        lambda in_features, out_features, bias=True: (
            in_features * out_features + (out_features if bias else 0)
        ),
        [
            (lambda i, o, bias=True: i * o, "you forgot the bias"),
            (lambda i, o, bias=True: i * o + (i if bias else 0), "you counted in_features bias"),
            (lambda i, o, bias=True: i * o + o, "with bias=False the layer has no bias"),
            (lambda i, o, bias=True: i + o + (o if bias else 0), "you added in_features and"),
            (
                lambda i, o, bias=False: i * o + (o if bias else 0),
                "bias left at its default",
            ),
            (lambda i, o, bias=True: (i + 1) * (o + 1), "your output is 12, expected 9"),
        ],
    ),
}


def _linear_in_place(x, weight, bias):
    y = x @ weight.T
    y += bias  # in place on a fresh intermediate: fine
    return y


ALTERNATIVES = {
    "5.1": [
        lambda x, w, b: x @ w.t() + b,
        lambda x, w, b: x.matmul(w.T) + b,
        lambda x, w, b: b + x @ w.transpose(0, 1),
        _linear_in_place,
    ],
    "5.2": [
        lambda i, o: i**-0.5,
        lambda i, o: 1.0 / math.sqrt(i),
        lambda i, o: math.sqrt(3) * math.sqrt(2 / (1 + 5)) / math.sqrt(i),
    ],
    "5.4": [
        lambda i, o, bias=True: i * o + o * bias,
        lambda i, o, bias=True: o * (i + 1) if bias else o * i,
    ],
}
