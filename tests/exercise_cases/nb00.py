"""Exercise cases for notebook 00: a correct answer and diagnosed wrong answers per exercise."""

CASES = {
    "0.1": (
        lambda x: x.mean(dim=1),
        [
            (lambda x: x.mean(dim=0), "averaged over dim 0"),
            (lambda x: x.sum(dim=1), "did not divide by its length"),
            (lambda x: x.mean(dim=1, keepdim=True), "keepdim=True keeps the reduced dim"),
            (lambda x: x.mean(), "averaged over every element"),
            (lambda x: x.sum(dim=1) / x.shape[0], "divided by the number of rows"),
            (lambda x: x.max(dim=1).values, "differs: at index (0,)"),
            (
                lambda x: x.numpy().mean(1).tolist(),
                "Can't call numpy() on Tensor that requires grad",
            ),
        ],
    ),
}

# Correct answers in other spellings: each must pass.
ALTERNATIVES = {
    "0.1": [
        lambda x: x.mean(1),
        lambda x: x.mean(dim=-1),
        lambda x: x.sum(dim=1) / x.shape[1],
        lambda x: x.sum(-1) / x.size(-1),
        lambda x: (x / x.shape[1]).sum(1),
    ],
}
