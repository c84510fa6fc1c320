"""How a tensor prints: a port of torch/_tensor_str.py, so reprs match torch's character for character.

Four significant decimals (`tensor([1.0385, 1.9615])`), whole-valued floats as `1.`, scientific
notation when the values span more than 1000x (or exceed 1e8, or go below 1e-4), columns padded to
the widest value, rows wrapped at 80 characters, and only the first and last 3 items of each dim
shown once a tensor holds more than 1000 elements.
"""

from __future__ import annotations

import math

import numpy as np

PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = 4, 1000, 3, 80


class _Formatter:
    def __init__(self, values: np.ndarray):
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        flat = values.reshape(-1)
        if not self.floating:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(str(v)))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)]
        if finite.size == 0:
            return
        absolute = np.abs(finite).astype(np.float64)
        lo, hi = absolute.min(), absolute.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if self.int_mode:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8
            fmt = (lambda v: f"{v:.{PRECISION}e}") if self.sci_mode else (lambda v: f"{v:.0f}.")
        else:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
            fmt = (
                (lambda v: f"{v:.{PRECISION}e}")
                if self.sci_mode
                else (lambda v: f"{v:.{PRECISION}f}")
            )
        for v in finite.tolist():
            self.max_width = max(self.max_width, len(fmt(v)))

    def format(self, value) -> str:
        if not self.floating:
            s = str(value)
        elif self.sci_mode:
            s = f"{value:{self.max_width}.{PRECISION}e}"
        elif self.int_mode:
            s = f"{value:.0f}"
            if not (math.isinf(value) or math.isnan(value)):
                s += "."
        else:
            s = f"{value:.{PRECISION}f}"
        return (self.max_width - len(s)) * " " + s


def _summarized(a: np.ndarray) -> np.ndarray:
    """The values that will be shown: the first and last EDGEITEMS along every dim."""
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * EDGEITEMS:
        a = np.concatenate([a[:EDGEITEMS], a[-EDGEITEMS:]])
    if a.ndim == 1:
        return a
    return np.stack([_summarized(x) for x in a]) if len(a) else a


def _vector(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    per_line = max(1, int(math.floor((LINEWIDTH - indent) / (fmt.max_width + 2))))
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        data = (
            [fmt.format(v) for v in a[:EDGEITEMS].tolist()]
            + [" ..."]
            + [fmt.format(v) for v in a[-EDGEITEMS:].tolist()]
        )
    else:
        data = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector(a, indent, summarize, fmt)
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        rows = (
            [_tensor_str(a[i], indent + 1, summarize, fmt) for i in range(EDGEITEMS)]
            + ["..."]
            + [
                _tensor_str(a[i], indent + 1, summarize, fmt)
                for i in range(len(a) - EDGEITEMS, len(a))
            ]
        )
    else:
        rows = [_tensor_str(a[i], indent + 1, summarize, fmt) for i in range(a.shape[0])]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _add_suffixes(text: str, suffixes: list, indent: int) -> str:
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def tensor_repr(t, prefix: str = "tensor(") -> str:
    a = t._array
    indent = len(prefix)
    suffixes = []
    if a.size == 0:
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if a.dtype != np.float32:
            suffixes.append(f"dtype={t.dtype!r}")
        body = "[]"
    else:
        if a.dtype not in (np.float32, np.int64, np.bool_):
            suffixes.append(f"dtype={t.dtype!r}")
        summarize = a.size > THRESHOLD
        fmt = _Formatter(_summarized(a) if summarize else a)
        body = _tensor_str(a, indent, summarize, fmt)
    stale = t._base is not None and t._view_version != t._vc[0]  # a view whose memory changed
    if stale and (t._nograd_view or t._multi_output is not None and t._base._requires_grad):
        # made under no_grad, or a split/chunk/unbind output: torch has no history to show for it
        suffixes.append("grad_fn=<Invalid>")
    elif (t._history() if stale else t._node) is not None:
        suffixes.append(f"grad_fn=<{t._node.name().rsplit('::', 1)[-1]}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
