"""Exercise cases for notebook 07: a correct answer and diagnosed wrong answers per exercise."""

import course_lib as torch

# -- 7.1 softmax -------------------------------------------------------------------------------


def softmax(x, dim):
    e = (x - x.max(dim=dim, keepdim=True).values).exp()
    return e / e.sum(dim=dim, keepdim=True)


def softmax_dim0(x, dim):
    return softmax(x, 0)


def softmax_naive(x, dim):
    e = x.exp()
    return e / e.sum(dim=dim, keepdim=True)


def softmax_no_keepdim(x, dim):
    e = (x - x.max(dim=dim, keepdim=True).values).exp()
    return e / e.sum(dim=dim)


def softmax_max_no_keepdim(x, dim):
    e = (x - x.max(dim=dim).values).exp()
    return e / e.sum(dim=dim, keepdim=True)


def softmax_off_by_one_negative_dim(x, dim):
    if dim < 0:
        dim = x.ndim + dim - 1  # should be x.ndim + dim
    return softmax(x, dim)


def softmax_wrong_sign_negative_dim(x, dim):
    if dim < 0:
        dim = x.ndim - dim  # should be x.ndim + dim
    return softmax(x, dim)


def softmax_total_sum(x, dim):
    e = (x - x.max()).exp()
    return e / e.sum()


def softmax_sum_only(x, dim):
    return softmax(x, dim).sum(dim=dim)


# -- 7.3 log_softmax ---------------------------------------------------------------------------


def log_softmax(x, dim):
    s = x - x.max(dim=dim, keepdim=True).values
    return s - s.exp().sum(dim=dim, keepdim=True).log()


def log_of_softmax(x, dim):
    return torch.nn.functional.softmax(x, dim=dim).log()


def log_softmax_naive(x, dim):
    return x - x.exp().sum(dim=dim, keepdim=True).log()


def log_softmax_forgot_max(x, dim):
    m = x.max(dim=dim, keepdim=True).values
    return x - (x - m).exp().sum(dim=dim, keepdim=True).log()


def log_softmax_only_max(x, dim):
    return x - x.max(dim=dim, keepdim=True).values


def log_softmax_no_keepdim(x, dim):
    s = x - x.max(dim=dim, keepdim=True).values
    return s - s.exp().sum(dim=dim).log()


CASES = {
    "7.1": (
        softmax,
        [
            (softmax_dim0, "you normalised over dim 0 whatever `dim` says"),
            (softmax_naive, "exp(x) / sum(exp(x)) overflows"),
            (softmax_no_keepdim, "you forgot keepdim=True"),
            (softmax_max_no_keepdim, "you forgot keepdim=True"),
            (softmax_off_by_one_negative_dim, "for shape (2, 3, 4), dim=-1, your output differs"),
            (softmax_wrong_sign_negative_dim, "IndexError: Dimension out of range"),
            (softmax_total_sum, "your output differs"),
            (lambda x, dim: x / x.sum(dim=dim, keepdim=True), "you forgot the exp"),
            (lambda x, dim: x.softmax(dim), "builds softmax from exp, max and sum"),
            (lambda x, dim: torch.nn.Softmax(dim)(x), "builds softmax from exp, max and sum"),
            (softmax_sum_only, "but it should be"),
        ],
    ),
    "7.2": (
        lambda: [[[1.0, 1.0, 1.0]], -1],
        [
            (lambda: [[[0.0900, 0.2447, 0.6652]], -1], "softmax along dim 1"),
            (lambda: [[[1 / 3, 1 / 3, 1 / 3]], -1], "softmax is not uniform here"),
            (lambda: [[1.0, 1.0, 1.0], -1], "write a list of 1 values"),
            (lambda: [[[1.0, 1.0, 1.0]], 1], "dim 1 makes each column sum to 1"),
            (lambda: [[[1.0, 1.0, 1.0]], 0], "normalises across the batch"),
            (lambda: [[[1.0, 1.0, 1.0]], -2], "dim 1 makes each column sum to 1"),
            (lambda: [[[1.0, 1.0, 1.0]]], "write a list of 2 values"),
        ],
    ),
    "7.3": (
        log_softmax,
        [
            (log_of_softmax, "you took log(softmax(x))"),
            (log_softmax_naive, "exp(x) overflows"),
            (log_softmax_forgot_max, "leaves out the max m subtracted inside"),
            (log_softmax_only_max, "you subtracted the max only"),
            (log_softmax_no_keepdim, "you forgot keepdim=True"),
            (lambda x, dim: log_softmax(x, 0), "you normalised over dim 0"),
            (
                lambda x, dim: torch.nn.functional.log_softmax(x, dim),
                "builds log_softmax from exp, max and sum",
            ),
        ],
    ),
}


def _softmax_detached_max(x, dim):
    e = torch.exp(x - x.max(dim, keepdim=True)[0].detach())  # the max's gradient cancels
    return e / torch.sum(e, dim=dim, keepdim=True)


def _log_softmax_m_plus(x, dim):
    m = x.max(dim=dim, keepdim=True).values
    return x - (m + torch.log(torch.sum(torch.exp(x - m), dim=dim, keepdim=True)))


ALTERNATIVES = {
    "7.1": [softmax, _softmax_detached_max],
    "7.3": [log_softmax, _log_softmax_m_plus],
}
