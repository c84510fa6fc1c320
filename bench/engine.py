"""How fast is course_lib? Compared in one run with bare NumPy (the floor) and torch CPU (the peer).

    python bench/engine.py            # or: make bench

Each case runs forward + backward with a fixed upstream gradient, the same shapes and dtype in all
three libraries, on one thread each. The three libraries' batches alternate round by round, so the
machine's busy and quiet moments hit all three alike, and each library's time is its fastest
batch (min of N) in CPU time of this process (`time.process_time`, page faults included): on a
shared machine, wall time also counts the moments another process had the core, and load only
ever adds time. The ratios course_lib/NumPy and
course_lib/torch divide those minima. The NumPy column is the arithmetic the case needs written by
hand (no graph, no checks). Nothing here is asserted: the figures are reported (bench/README.md),
not tested, because timings depend on the machine."""

from __future__ import annotations

import argparse
import importlib.util
import os

# One thread for every library, set before NumPy and torch load their BLAS: on a shared 2-core
# machine, thread pools spinning against each other measure the load, not the code.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import resource  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import course_lib as cl  # noqa: E402
import course_lib.nn.functional as F  # noqa: E402

torch = None
if importlib.util.find_spec("torch") is not None:
    import torch

    torch.set_num_threads(1)


def calls_per_batch(fn, batch_time: float) -> int:
    """How many calls make a batch of about `batch_time` seconds (after one warm-up call)."""
    fn()
    n = 1
    while True:
        t0 = time.process_time()
        for _ in range(n):
            fn()
        if time.process_time() - t0 > batch_time:
            return n
        n *= 2


def page_faults(fn, calls: int = 20) -> float:
    """Minor page faults per call: memory the OS had to hand over again (a cost NumPy hides)."""
    fn()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(calls):
        fn()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / calls


def interleaved_times(fns: dict, rounds: int, batch_time: float) -> dict[str, list[float]]:
    """CPU seconds per call of each library, measured in alternating batches (round 1: numpy,
    course_lib, torch; round 2: the same ...), so that the machine's slow and fast moments hit
    every library alike."""
    sizes = {lib: calls_per_batch(fn, batch_time) for lib, fn in fns.items()}
    times = {lib: [] for lib in fns}
    for _ in range(rounds):
        for lib, fn in fns.items():
            t0 = time.process_time()
            for _ in range(sizes[lib]):
                fn()
            times[lib].append((time.process_time() - t0) / sizes[lib])
    return times


# -- cases: each returns {library: callable} ------------------------------------------------------


def linear_case(rng):
    """nn.Linear(512, 512) on a (256, 512) float32 batch: y = x Wᵀ + b, then dx, dW, db."""
    x = rng.standard_normal((256, 512), dtype=np.float32)
    w = (rng.random((512, 512), dtype=np.float32) - 0.5) / 11
    b = (rng.random(512, dtype=np.float32) - 0.5) / 11
    g = rng.standard_normal((256, 512), dtype=np.float32)

    def numpy_fn():
        y = x @ w.T + b
        dx, dw, db = g @ w, g.T @ x, g.sum(0)
        return y, dx, dw, db

    lin = cl.nn.Linear(512, 512)
    lin.weight.data.copy_(cl.from_numpy(w))
    lin.bias.data.copy_(cl.from_numpy(b))
    cx, cg = cl.tensor(x, requires_grad=True), cl.from_numpy(g)

    def course_fn():
        lin.weight.grad = lin.bias.grad = cx.grad = None
        lin(cx).backward(cg)

    fns = {"numpy": numpy_fn, "course_lib": course_fn}
    if torch is not None:
        tlin = torch.nn.Linear(512, 512)
        with torch.no_grad():
            tlin.weight.copy_(torch.from_numpy(w))
            tlin.bias.copy_(torch.from_numpy(b))
        tx, tg = torch.tensor(x, requires_grad=True), torch.from_numpy(g)

        def torch_fn():
            tlin.weight.grad = tlin.bias.grad = tx.grad = None
            tlin(tx).backward(tg)

        fns["torch"] = torch_fn
    return fns


def layer_norm_case(rng):
    """nn.LayerNorm(256) on (64, 128, 256) float32: normalise the last dim, then dx, dγ, dβ."""
    x = rng.standard_normal((64, 128, 256), dtype=np.float32)
    g = rng.standard_normal((64, 128, 256), dtype=np.float32)
    gamma, beta, eps = np.ones(256, np.float32), np.zeros(256, np.float32), 1e-5

    def numpy_fn():
        mu = x.mean(-1, keepdims=True)
        xc = x - mu
        rstd = 1 / np.sqrt((xc * xc).mean(-1, keepdims=True) + eps)
        xhat = xc * rstd
        y = xhat * gamma + beta
        gx = g * gamma
        n = x.shape[-1]
        dx = (
            rstd
            / n
            * (n * gx - gx.sum(-1, keepdims=True) - xhat * (gx * xhat).sum(-1, keepdims=True))
        )
        return y, dx, (g * xhat).sum((0, 1)), g.sum((0, 1))

    ln = cl.nn.LayerNorm(256)
    cx, cg = cl.tensor(x, requires_grad=True), cl.from_numpy(g)

    def course_fn():
        ln.weight.grad = ln.bias.grad = cx.grad = None
        ln(cx).backward(cg)

    fns = {"numpy": numpy_fn, "course_lib": course_fn}
    if torch is not None:
        tln = torch.nn.LayerNorm(256)
        tx, tg = torch.tensor(x, requires_grad=True), torch.from_numpy(g)

        def torch_fn():
            tln.weight.grad = tln.bias.grad = tx.grad = None
            tln(tx).backward(tg)

        fns["torch"] = torch_fn
    return fns


def cross_entropy_case(rng):
    """softmax + cross-entropy: logits (64, 128, 256) read as 8192 rows of 256 classes; loss, dlogits."""
    logits = rng.standard_normal((64, 128, 256), dtype=np.float32)
    target = rng.integers(0, 256, size=64 * 128)
    rows = np.arange(target.size)

    def numpy_fn():
        z = logits.reshape(-1, 256)
        shifted = z - z.max(1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(1, keepdims=True)
        loss = -(shifted[rows, target] - np.log(s[:, 0])).mean()
        grad = e / s
        grad[rows, target] -= 1
        return loss, grad / target.size

    cx, ct = cl.tensor(logits, requires_grad=True), cl.tensor(target)

    def course_fn():
        cx.grad = None
        F.cross_entropy(cx.view(-1, 256), ct).backward()

    fns = {"numpy": numpy_fn, "course_lib": course_fn}
    if torch is not None:
        tx, tt = torch.tensor(logits, requires_grad=True), torch.tensor(target)

        def torch_fn():
            tx.grad = None
            torch.nn.functional.cross_entropy(tx.view(-1, 256), tt).backward()

        fns["torch"] = torch_fn
    return fns


def tiny_matmul_case(rng):
    """Per-op overhead: one 2×2 float32 matmul whose input requires grad (forward only)."""
    a, b = (
        rng.standard_normal((2, 2), dtype=np.float32),
        rng.standard_normal((2, 2), dtype=np.float32),
    )
    ca, cb = cl.tensor(a, requires_grad=True), cl.tensor(b)
    fns = {"numpy": lambda: a @ b, "course_lib": lambda: ca @ cb}
    if torch is not None:
        ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b)
        fns["torch"] = lambda: ta @ tb
    return fns


CASES = [
    ("Linear 256x512->512 fwd+bwd", linear_case, "<= 1.1x torch"),
    ("LayerNorm (64,128,256) fwd+bwd", layer_norm_case, "<= 2x torch"),
    ("softmax+cross-entropy (64,128,256) fwd+bwd", cross_entropy_case, "<= 1.5x torch"),
    ("2x2 matmul, per-op overhead", tiny_matmul_case, "<= 1.5x torch"),
]


def fmt(seconds: float) -> str:
    return f"{seconds * 1e6:9.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:9.2f} ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds per case")
    parser.add_argument("--batch-time", type=float, default=0.05, help="seconds per batch")
    args = parser.parse_args(argv)
    threads = f", torch {torch.__version__} (threads: {torch.get_num_threads()})" if torch else ""
    malloc = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")} or "glibc defaults"
    print(f"course_lib vs NumPy {np.__version__}{threads}; malloc settings: {malloc}")
    print(
        f"CPU time per call: fastest batch of {args.rounds} alternating rounds per library, one "
        "thread each; ratios divide those minima\n"
    )
    if torch is None:
        print("torch is not installed: the torch column is empty (`make parity` installs it)\n")
    header = (
        f"{'case':44s} {'numpy':>12s} {'course_lib':>12s} {'torch':>12s} {'cl/np':>6s} "
        f"{'cl/torch':>8s} {'faults':>7s}  target"
    )
    print(header)
    print("-" * len(header))
    for name, make, target in CASES:
        fns = make(np.random.default_rng(0))
        faults = page_faults(fns["course_lib"])
        times = interleaved_times(fns, args.rounds, args.batch_time)
        best = {lib: min(ts) for lib, ts in times.items()}
        cl_np = best["course_lib"] / best["numpy"]
        cl_torch = best["course_lib"] / best["torch"] if "torch" in best else float("nan")
        print(
            f"{name:44s} {fmt(best['numpy']):>12s} {fmt(best['course_lib']):>12s} "
            f"{fmt(best['torch']) if 'torch' in best else '-':>12s} {cl_np:6.2f} {cl_torch:8.2f}"
            f" {faults:7.0f}  {target}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
