"""How a tensor prints: a port of torch/_tensor_str.py, so reprs match torch's character for character.

Four decimals (`tensor([1.0385, 1.9615])`), whole-valued floats as `1.`, scientific
notation when the values span more than 1000x (or exceed 1e8, or go below 1e-4), columns padded to
the widest value, rows wrapped at 80 characters, and only the first and last 3 items of each dim
shown once a tensor holds more than 1000 elements. `set_printoptions` changes these numbers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math

import numpy as np


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4  # digits after the point
    threshold: float = 1000  # more elements than this: show only the edges
    edgeitems: int = 3  # items shown at each end of a summarized dim
    linewidth: int = 80  # characters per line
    sci_mode: bool | None = None  # None: chosen from the values


PRINT_OPTS = _PrintOptions()
_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
) -> None:
    """Set how tensors print (torch.set_printoptions).

    Args:
        precision: digits after the decimal point (default 4).
        threshold: tensors with more elements are summarized (default 1000).
        edgeitems: items shown at each end of a summarized dim (default 3).
        linewidth: characters per line (default 80).
        profile: 'default', 'short' (precision 2, edgeitems 2) or 'full' (never summarize),
            applied first; the other arguments override it. An unknown name changes nothing.
        sci_mode: True or False forces scientific notation on or off; None (what every call
            without it sets) lets the values decide.

    >>> set_printoptions(precision=2)
    >>> course_lib.tensor([1.12345])
    tensor([1.12])
    >>> set_printoptions(profile="default")
    """
    for name, value in _PROFILES.get(profile, {}).items():
        setattr(PRINT_OPTS, name, value)
    for name, value in dict(
        precision=precision, threshold=threshold, edgeitems=edgeitems, linewidth=linewidth
    ).items():
        if value is not None:
            setattr(PRINT_OPTS, name, value)
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """The current print options, as keyword arguments for `set_printoptions`."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Change the print options inside a `with` block only."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


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
        self.sci_mode = PRINT_OPTS.sci_mode
        if self.sci_mode is None:
            self.sci_mode = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
        for v in finite.tolist():
            self.max_width = max(self.max_width, len(self._text(v)))

    def _text(self, value: float) -> str:
        """A float as printed, before padding: 1.5000, 1.5000e+00, or 2. (whole values)."""
        digits = PRINT_OPTS.precision
        if self.sci_mode:
            return f"{value:.{digits}e}"
        if self.int_mode:  # inf and nan get no point
            return f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        return f"{value:.{digits}f}"

    def format(self, value) -> str:
        s = self._text(value) if self.floating else str(value)
        return (self.max_width - len(s)) * " " + s


def _summarized(a: np.ndarray) -> np.ndarray:
    """The values that will be shown: the first and last `edgeitems` along every dim."""
    edge = PRINT_OPTS.edgeitems
    if a.ndim == 0:
        return a
    if a.ndim == 1:  # (torch's quirk: with edgeitems 0, a[-0:] is all of a)
        return np.concatenate([a[:edge], a[-edge:]]) if a.shape[0] > 2 * edge else a
    if not edge:
        return a[(slice(0, 0),) * a.ndim]
    if a.shape[0] > 2 * edge:
        a = np.concatenate([a[:edge], a[-edge:]])
    return np.stack([_summarized(x) for x in a]) if len(a) else a


def _vector(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    edge = PRINT_OPTS.edgeitems
    per_line = max(1, int(math.floor((PRINT_OPTS.linewidth - indent) / (fmt.max_width + 2))))
    if summarize and not edge:
        data = ["..."]
    elif summarize and a.shape[0] > 2 * edge:
        data = (
            [fmt.format(v) for v in a[:edge].tolist()]
            + [" ..."]
            + [fmt.format(v) for v in a[-edge:].tolist()]
        )
    else:
        data = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    edge = PRINT_OPTS.edgeitems
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector(a, indent, summarize, fmt)
    if summarize and a.shape[0] > 2 * edge:
        rows = (
            [_tensor_str(a[i], indent + 1, summarize, fmt) for i in range(edge)]
            + ["..."]
            + [_tensor_str(a[i], indent + 1, summarize, fmt) for i in range(len(a) - edge, len(a))]
        )
    else:
        rows = [_tensor_str(a[i], indent + 1, summarize, fmt) for i in range(a.shape[0])]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _add_suffixes(text: str, suffixes: list, indent: int) -> str:
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
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
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(a.shape)}")
        if a.dtype not in (np.float32, np.int64, np.bool_):
            suffixes.append(f"dtype={t.dtype!r}")
        summarize = a.size > PRINT_OPTS.threshold
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
