"""torch's argument parser for functions with a fixed signature or several overloads.

An overload is written as torch prints it, `"(Tensor input, float p, bool train)"`; `parse`
binds a call's arguments to it (or gives torch's complaint), `overload` picks the first of
several overloads that takes the call, or gives torch's "received an invalid combination of
arguments" message, which lists the overloads and why those of the right length did not match.
"""

from __future__ import annotations

import ast
import numbers
from typing import NamedTuple

import numpy as np

from ._checks import _got, _type_name, _value_desc
from ._common import _is_number

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None

_REQUIRED = object()

# the name torch's messages give each type: "must be float, not str"
_TYPE_NAMES = {"Tensor": "Tensor", "Number": "Number", "float": "float", "bool": "bool",
               "int": "int", "int[]": "tuple of ints"}  # fmt: skip


class _Param(NamedTuple):
    name: str
    type: str  # Tensor, Number, float, bool, int, int[]
    default: object  # _REQUIRED if the argument must be given
    keyword_only: bool


class Signature(NamedTuple):
    text: str
    params: tuple

    @property
    def positional(self) -> int:
        return sum(not p.keyword_only for p in self.params)

    @property
    def required(self) -> int:
        return sum(p.default is _REQUIRED for p in self.params)


def signature(text: str) -> Signature:
    """`"(Tensor input, Number min = None, *, Tensor out = None)"` as a Signature."""
    params, keyword_only = [], False
    for part in text.strip("()").split(", ") if text != "()" else ():
        if part == "*":
            keyword_only = True
            continue
        decl, _, default = part.partition(" = ")
        kind, name = decl.rsplit(" ", 1)
        value = _REQUIRED if not default else ast.literal_eval(default)
        params.append(_Param(name, kind, value, keyword_only))
    return Signature(text, tuple(params))


def _fits(p: _Param, v, shown: bool = False) -> bool:
    """Whether `v` is a valid `p`; `shown`: as the "didn't match" line marks it, which is stricter
    (an argument with a default of None is always marked, a 0-d tensor is no Number)."""
    if shown and p.default is None:
        return False
    if v is None and p.default is None:
        return True
    kind = p.type
    if kind == "Tensor":
        return isinstance(v, Tensor)
    if kind == "Number":  # a 0-d tensor that records no gradient counts as its number
        if isinstance(v, Tensor) and not shown:
            return v.ndim == 0 and not v.requires_grad
        return _is_number(v)
    if kind == "float":
        if isinstance(v, Tensor):
            return v.ndim == 0
        return _is_number(v) and not isinstance(v, (complex, np.complexfloating))
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "int":
        if isinstance(v, Tensor):
            return v.ndim == 0 and v._array.dtype.kind in "iu"
        return isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, (bool, np.bool_))
    return _bad_element(v) is None and isinstance(v, (list, tuple))  # int[]


def _bad_element(v):
    """For an int[] argument: (position, type name) of the first element that is not an int."""
    if not isinstance(v, (list, tuple)):
        return None
    for i, e in enumerate(v):
        if not isinstance(e, (numbers.Integral, np.integer)) or isinstance(e, (bool, np.bool_)):
            return i, _type_name(e)
    return None


def parse(sig: Signature, args: tuple, kwargs: dict, fn: str, complain: bool = True):
    """The call's arguments bound to `sig`, defaults filled in, in its order; if they do not fit,
    torch's message as a TypeError (or None, with complain=False)."""

    def fail(message: str):
        if complain:
            raise TypeError(message)
        return None

    if len(args) > sig.positional:
        n = sig.positional
        takes = f"from {sig.required} to {n} positional arguments"
        if sig.required == n:
            takes = f"{n} positional argument{'' if n == 1 else 's'}"
        return fail(f"{fn}() takes {takes} but {len(args)} were given")
    values = []
    for i, p in enumerate(sig.params):
        if i < len(args):
            if p.name in kwargs:
                return fail(f"{fn}() got multiple values for argument '{p.name}'")
            v, at = args[i], f" (position {i + 1})"
        elif p.name in kwargs:
            v, at = kwargs[p.name], ""
        elif p.default is not _REQUIRED:
            values.append(p.default)
            continue
        else:  # torch's own wording: "arguments" for one, "argument" for more
            missing = [
                q.name for q in sig.params[i:] if q.default is _REQUIRED and q.name not in kwargs
            ]
            names = ", ".join(f'"{n}"' for n in missing)
            s = "s" if len(missing) == 1 else ""
            return fail(f"{fn}() missing {len(missing)} required positional argument{s}: {names}")
        if not _fits(p, v):
            need = _TYPE_NAMES[p.type]
            bad = _bad_element(v)
            if bad is not None and p.type == "int[]":
                return fail(
                    f"{fn}(): argument '{p.name}'{at} must be {need}, but found element of type "
                    f"{bad[1]} at pos {bad[0]}"
                )
            return fail(f"{fn}(): argument '{p.name}'{at} must be {need}, not {_type_name(v)}")
        if isinstance(v, Tensor) and p.type in ("float", "int"):  # a 0-d tensor: its number
            v = float(v.item()) if p.type == "float" else int(v.item())
        values.append(v)
    names = {p.name for p in sig.params}
    for k in kwargs:
        if k not in names:
            return fail(f"{fn}() got an unexpected keyword argument '{k}'")
    return values


def overload(table: tuple, args: tuple, kwargs: dict, fn: str) -> tuple:
    """(index, arguments) of the first overload in `table` that takes the call, or torch's
    error: the complaint of the only overload whose length fits the call, else the list."""
    for k, sig in enumerate(table):
        values = parse(sig, args, kwargs, fn, complain=False)
        if values is not None:
            return k, values
    given = len(args) + len(kwargs)
    plausible = [sig for sig in table if sig.required <= given <= len(sig.params)]
    if len(plausible) == 1:
        parse(plausible[0], args, kwargs, fn)  # raises
    raise _invalid_combination(table, args, kwargs, fn)


def _invalid_combination(table: tuple, args: tuple, kwargs: dict, fn: str) -> TypeError:
    given = len(args) + len(kwargs)
    lines = []
    for sig in table:
        lines.append(f" * {sig.text}\n")
        if len(sig.params) != given:
            continue
        names = {p.name for p in sig.params}
        wrong = [k for k in kwargs if k not in names]
        if wrong:
            why = f"some of the keywords were incorrect: {', '.join(wrong)}"
        else:
            marks = []
            for i, p in enumerate(sig.params):
                if i < len(args):
                    v, shown = args[i], ""
                elif p.name in kwargs:
                    v, shown = kwargs[p.name], f"{p.name}="
                else:
                    continue
                fits = _fits(p, v, shown=True)
                shown += _type_name(v) if fits else _value_desc(v)
                marks.append(shown if fits else f"!{shown}!")
            why = f"some of the arguments have invalid types: ({', '.join(marks)})"
        lines.append(f"      didn't match because {why}\n")
    return TypeError(
        f"{fn}() received an invalid combination of arguments - got ({_got(args, kwargs)}), "
        f"but expected one of:\n{''.join(lines)}"
    )
