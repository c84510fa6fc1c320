"""Exercise cases for notebook 06 (nn.LayerNorm): a correct answer and diagnosed wrong answers."""

import course_lib as torch


def _solution(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    var = x.var(-1, correction=0, keepdim=True)
    return (x - mean) / (var + eps).sqrt() * gamma + beta


def _std_unbiased(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    return (x - mean) / (x.std(-1, keepdim=True) ** 2 + eps).sqrt() * gamma + beta


def _eps_outside(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    return (x - mean) / (x.var(-1, correction=0, keepdim=True).sqrt() + eps) * gamma + beta


def _std_correction0_plus_eps(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    return (x - mean) / (x.std(-1, correction=0, keepdim=True) + eps) * gamma + beta


def _no_eps(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    return (x - mean) / x.var(-1, correction=0, keepdim=True).sqrt() * gamma + beta


def _over_batch(x, gamma, beta, eps=1e-5):
    mean = x.mean(0, keepdim=True)
    return (x - mean) / (x.var(0, correction=0, keepdim=True) + eps).sqrt() * gamma + beta


def _no_keepdim(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1)
    return (x - mean) / (x.var(-1, correction=0) + eps).sqrt() * gamma + beta


def _no_affine(x, gamma, beta, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    return (x - mean) / (x.var(-1, correction=0, keepdim=True) + eps).sqrt()


def _no_beta(x, gamma, beta, eps=1e-5):
    return _solution(x, gamma, beta, eps) - beta


def _via_numpy(x, gamma, beta, eps=1e-5):
    return torch.tensor(_solution(x, gamma, beta, eps).detach().numpy())


def _module(x, gamma, beta, eps=1e-5):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), gamma, beta, eps)


CASES = {
    "6.1": (
        _solution,
        [
            (_std_unbiased, "variance looks unbiased (divided by N−1); LayerNorm uses N"),
            (_eps_outside, "eps is outside the square root"),
            (_std_correction0_plus_eps, "eps is outside the square root"),
            (_no_eps, "you left out eps"),
            (_over_batch, "you normalised over dim 0 (the batch)"),
            (_no_keepdim, "without keepdim=True"),
            (_no_affine, "you forgot γ and β"),
            (_no_beta, "you forgot β"),
            (lambda x, g, b, eps=1e-5: _no_affine(x, g, b, eps) + b, "you forgot γ"),
            (_via_numpy, "does not require grad"),
            (
                lambda x, g, b, eps=1e-5: _solution(x, g, b, eps).tolist(),
                "return a tensor (you returned a list)",
            ),
            (lambda x, g, b, eps=1e-5: _solution(x, g, b, eps) * 2, "differs: every value is"),
        ],
    ),
    "6.2": (
        lambda: ((1, 2), (3, 4)),
        [
            (lambda: ((2,), (4,)), "dim 2 alone is what LayerNorm(4) averages over"),
            (lambda: ((0,), (3, 4)), "that is not what course_lib gives"),
            (lambda: ((0, 1, 2), (3, 4)), "the batch dim 0 is not averaged"),
            (lambda: ((-2, -1), (4,)), "one γ for each of the 12"),
            (lambda: ((1, 2), (2, 3, 4)), "do not depend on the batch size"),
            (lambda: ((1, 2), (12,)), "the weight is not flattened"),
            (lambda: (1, 2), "write a shape as a tuple of ints"),
            (lambda: [(1, 2)], "write a list of 2 values"),
        ],
    ),
    "6.3": (
        lambda: [0.5, -1.0, 2.0, 0.0],
        [
            (lambda: "nan", "write a list of 4 values"),
            (lambda: [float("nan")] * 4, "no nan"),
            (lambda: [0.0, 0.0, 0.0, 0.0], "not 0"),
            (lambda: [1.5, -1.0, 2.0, 0.5], "γ drops out"),
            (lambda: [3.0, 3.0, 3.0, 3.0], "the constant is removed"),
            (lambda: [1.0, 1.0, 1.0, 1.0], "every value of your list is wrong"),
            (lambda: 0.0, "write a list of 4 values"),
        ],
    ),
}


def _solution_nd(x, normalized_shape, gamma, beta, eps=1e-5):
    dims = tuple(range(-len(normalized_shape), 0))
    mean = x.mean(dims, keepdim=True)
    var = x.var(dims, correction=0, keepdim=True)
    return (x - mean) / (var + eps).sqrt() * gamma + beta


def _sequential(x, normalized_shape, gamma, beta, eps=1e-5):
    for d in (-1, -2)[: len(normalized_shape)]:
        x = (x - x.mean(d, keepdim=True)) / (x.var(d, correction=0, keepdim=True) + eps).sqrt()
    return x * gamma + beta


def _dims_from_front(x, normalized_shape, gamma, beta, eps=1e-5):
    dims = tuple(range(len(normalized_shape)))
    mean = x.mean(dims, keepdim=True)
    return (x - mean) / (x.var(dims, correction=0, keepdim=True) + eps).sqrt() * gamma + beta


CASES["6.4"] = (
    _solution_nd,
    [
        (lambda x, ns, g, b, eps=1e-5: _solution(x, g, b, eps), "over the last dim only"),
        (_dims_from_front, "over the first len(normalized_shape) dims"),
        (_sequential, "one dim at a time"),
        (
            lambda x, ns, g, b, eps=1e-5: (
                (x - x.mean(tuple(range(-len(ns), 0)), keepdim=True))
                / (x.var(tuple(range(-len(ns), 0)), keepdim=True) + eps).sqrt()
                * g
                + b
            ),
            "variance looks unbiased",
        ),
        (
            lambda x, ns, g, b, eps=1e-5: _solution_nd(x, ns, g, b, eps) + 1,
            "differs: every value is",
        ),
    ],
)


def _ln_pow(x, gamma, beta, eps=1e-5):
    centred = x - x.mean(-1, keepdim=True)
    return gamma * centred / torch.sqrt(centred.pow(2).mean(-1, keepdim=True) + eps) + beta


def _ln_rsqrt_style(x, gamma, beta, eps=1e-5):
    var = x.var(dim=-1, keepdim=True, correction=0)
    return (x - x.mean(dim=-1, keepdim=True)) * (var + eps) ** -0.5 * gamma + beta


def _ln_nd_loop_free(x, normalized_shape, gamma, beta, eps=1e-5):
    dims = [-(i + 1) for i in range(len(normalized_shape))]
    centred = x - x.mean(dims, keepdim=True)
    var = (centred * centred).mean(dims, keepdim=True)
    return centred / (var + eps).sqrt() * gamma + beta


ALTERNATIVES = {
    "6.1": [
        _ln_pow,
        _ln_rsqrt_style,
        lambda x, g, b, eps=1e-5: torch.nn.functional.layer_norm(x, x.shape[-1:], g, b, eps),
    ],
    "6.4": [
        _ln_nd_loop_free,
        lambda x, ns, g, b, eps=1e-5: torch.nn.functional.layer_norm(x, ns, g, b, eps),
    ],
}
