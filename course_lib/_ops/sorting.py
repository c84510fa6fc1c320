"""Sorting and selection: sort, argsort, msort, topk, kthvalue, median; and the ops that find
elements: nonzero, argwhere, count_nonzero, masked_select, unique, cummax, cummin.

NumPy finds the values. Which index comes back when a slice holds equal values (ties, several
NaNs, 0. and -0.) is another matter: torch runs a C++ algorithm whose order among ties is its
own, and its CPU results are deterministic. So a slice without ties takes NumPy's answer (there
is only one), and a slice with ties runs torch's algorithm itself, in Python, at the end of
this file: libstdc++'s std::sort (introsort), std::nth_element and std::partial_sort, and
torch's quickselect. Which op runs which:

    sort(stable=False)  std::sort over (value, index) pairs: not stable past 16 elements;
                        but a 1-D integer tensor of 32768 elements or more: a stable radix sort
    sort(stable=True)   std::stable_sort (NumPy's stable argsort gives the same)
    topk                std::partial_sort when k * 64 <= n, else std::nth_element + std::sort
    kthvalue            torch's quickselect (median of three, Hoare partition)
    median(dim)         std::nth_element with the index as tie-breaker: the stable order's middle
    median()            the lower middle value; a NaN anywhere makes it NaN
    unique              sort(stable=False), which decides whether 0. or -0. is shown

NaN counts as larger than every number (ascending sorts put it last), as in torch. The Python
steps cost time: sorting a slice of a million elements with ties takes a couple of seconds
(stable=True, which NumPy does alone, a fraction of that).

The backward of the ops that return (values, indices) sends each output element's gradient to
the input element it was taken from.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from collections import namedtuple

import numpy as np

from ._checks import (
    _broadcast_error,
    _check_tensor_arg,
    _got,
    _overloads_error,
    _reduce_dims,
    _type_name,
    _wrap_dim,
)
from ._common import OUT, _is_number, _result, quiet, unbroadcast
from .reductions import _return_types_repr

# tensor.py builds `Tensor` from the classes of these files, so they cannot import it: it gives
# them the name once the class exists (see the end of tensor.py). Until then it is None.
Tensor = None


_sort_result = namedtuple("sort", ["values", "indices"])
_topk_result = namedtuple("topk", ["values", "indices"])
_kthvalue_result = namedtuple("kthvalue", ["values", "indices"])
_median_result = namedtuple("median", ["values", "indices"])
_cummax_result = namedtuple("cummax", ["values", "indices"])
_cummin_result = namedtuple("cummin", ["values", "indices"])
for _type in (
    _sort_result, _topk_result, _kthvalue_result, _median_result, _cummax_result, _cummin_result,
):  # fmt: skip
    _type.__repr__ = _return_types_repr


# -- torch's argument parser, for the ops of this file ------------------------------------------

_REQUIRED = inspect.Parameter.empty


def _is_int(x) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def _is_bool(x) -> bool:
    return isinstance(x, (bool, np.bool_))


_KINDS = {"int": _is_int, "bool": _is_bool}


def _bind(fn: str, params: list, args: tuple, kwargs: dict, offset: int) -> list:
    """The values of `params` ((name, kind, default) each) from a call, with torch's messages.

    `offset` is 1 for torch.fn(input, ...), whose `input` is argument 1, and 0 for a method.
    NumPy's names `axis=` and `keepdims=` stand for `dim=` and `keepdim=`, as torch accepts them.
    """
    kwargs = dict(kwargs)
    names = [name for name, _, _ in params]
    for numpy_name, torch_name in (("axis", "dim"), ("keepdims", "keepdim")):
        given = torch_name in kwargs or torch_name in names[: len(args)]
        if numpy_name in kwargs and not given:
            kwargs[torch_name] = kwargs.pop(numpy_name)
    required = sum(default is _REQUIRED for _, _, default in params)
    if len(args) > len(params):
        raise TypeError(
            f"{fn}() takes from {required + offset} to {len(params) + offset} positional "
            f"arguments but {len(args) + offset} were given"
        )
    for key in kwargs:
        if key not in names:
            raise TypeError(f"{fn}() got an unexpected keyword argument '{key}'")
        if key in names[: len(args)]:
            raise TypeError(f"{fn}() got multiple values for argument '{key}'")
    values = []
    for k, (name, kind, default) in enumerate(params):
        if k < len(args):
            value, where = args[k], f" (position {k + 1 + offset})"
        elif name in kwargs:
            value, where = kwargs[name], ""
        elif default is _REQUIRED:
            raise TypeError(f'{fn}() missing 1 required positional arguments: "{name}"')
        else:
            values.append(default)
            continue
        if not _KINDS[kind](value):
            raise TypeError(
                f"{fn}(): argument '{name}'{where} must be {kind}, not {type(value).__name__}"
            )
        values.append(int(value) if kind == "int" else bool(value))
    return values


def _parsed(*kinds: str, name: str | None = None):
    """Check a method's arguments as torch's parser does (kinds: 'int' or 'bool', one per
    parameter after self); the method itself keeps its plain signature, which help() shows.
    `name`: the op's name in messages, if not the method's."""

    def decorate(method):
        fn = name or method.__name__
        signature = inspect.signature(method)
        params = [
            (p.name, kind, p.default)
            for p, kind in zip(list(signature.parameters.values())[1:], kinds, strict=True)
        ]

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            return method(self, *_bind(fn, params, args, kwargs, 0))

        def as_function(input, *args, **kwargs):  # torch.fn(input, ...): positions count input
            _check_tensor_arg(input, fn, "input", 1)
            return method(input, *_bind(fn, params, args, kwargs, 1))

        wrapper.as_function = as_function
        return wrapper

    return decorate


def _sort_overloads(fn: str, function: bool) -> str:
    out = {"sort": ", tuple of Tensors out = None", "argsort": ", Tensor out = None"}[fn]
    if not function:
        return (
            " * (*, bool stable, int dim = -1, bool descending = False)\n"
            " * (int dim = -1, bool descending = False)\n"
        )
    second = ", *, tuple of Tensors out = None" if fn == "sort" else ""
    return (
        f" * (Tensor input, *, bool stable, int dim = -1, bool descending = False{out})\n"
        f" * (Tensor input, int dim = -1, bool descending = False{second})\n"
    )


def _sort_args(fn: str, args: tuple, kwargs: dict, function: bool) -> tuple:
    """(dim, descending, stable) from torch's two signatures of sort and argsort:
    (dim=-1, descending=False) and (*, stable, dim=-1, descending=False)."""
    kwargs = dict(kwargs)
    if "axis" in kwargs and "dim" not in kwargs:
        kwargs["dim"] = kwargs.pop("axis")
    given = args[1:] if function else args
    too_many = len(given) > 2 or ("stable" in kwargs and given and len(given) + len(kwargs) == 3)
    if too_many and not function:  # (the keyword-only signature, as torch reports it)
        raise TypeError(
            f"{fn}() takes from 1 to 0 positional arguments but {len(given)} were given"
        )
    if set(kwargs) == {"stable", "dim", "descending"} and not given:  # only the first fits
        params = [("stable", "bool", _REQUIRED), ("dim", "int", -1), ("descending", "bool", 0)]
        if fn == "sort" and kwargs["stable"] is None:
            kwargs["stable"] = False
        return tuple(_bind(fn, params, (), kwargs, 0)[k] for k in (1, 2, 0))
    values = dict(zip(("dim", "descending"), given))
    ok = (
        len(given) <= 2
        and not set(kwargs) - {"dim", "descending", "stable"}
        and not (set(values) & set(kwargs))
        and not ("stable" in kwargs and given)
    )
    values.update(kwargs)
    dim, descending = values.get("dim", -1), values.get("descending", False)
    stable = values.get("stable", False)
    if stable is None and fn == "sort":  # sort's `stable` is `bool?`, argsort's is `bool`
        stable = False
    if ok and _is_int(dim) and _is_bool(descending) and _is_bool(stable):
        return int(dim), bool(descending), bool(stable)
    message = (
        f"{fn}() received an invalid combination of arguments - got ({_got(args, kwargs)}), "
        f"but expected one of:\n{_sort_overloads(fn, function)}"
    )
    if not kwargs and (len(given) == 2 and (not function or fn == "argsort")):
        marked = [f"!{_type_name(x)}!" for x in given]  # torch marks every one
        if function:
            marked.insert(0, "Tensor")
        message += (
            "      didn't match because some of the arguments have invalid types: "
            f"({', '.join(marked)})\n"
        )
    elif len(given) == 1 and kwargs and not (function and fn == "sort"):
        # (dim, descending) is the one signature that takes a positional dim: torch names the
        # keywords as the ones that did not fit it
        wrong = sorted(kwargs)  # (even a descending= of the wrong type)
        message += (
            f"      didn't match because some of the keywords were incorrect: {', '.join(wrong)}\n"
        )
    raise TypeError(message)


def _no_arguments(fn: str, args: tuple) -> None:
    if args:  # as torch's C method says it
        raise TypeError(f"TensorBase.{fn}() takes no arguments ({len(args)} given)")


def _count_nonzero_dim(args: tuple, kwargs: dict, function: bool):
    """count_nonzero's dims from torch's signatures (int dim = None) and (tuple of ints dim);
    a method also takes the dims as separate ints: x.count_nonzero(0, 1)."""
    kwargs = dict(kwargs)
    if "axis" in kwargs and "dim" not in kwargs:
        kwargs["dim"] = kwargs.pop("axis")
    given = args[1:] if function else args
    head = "Tensor input, " if function else ""

    def invalid(why: tuple = ("", "")) -> TypeError:
        options = (f"({head}int dim = None)", f"({head}tuple of ints dim)")
        listed = "".join(f" * {o}\n" + (f"      didn't match because {w}\n" if w else "")
                         for o, w in zip(options, why))  # fmt: skip
        return TypeError(
            "count_nonzero() received an invalid combination of arguments - got "
            f"({_got(args, kwargs)}), but expected one of:\n{listed}"
        )

    unknown = [k for k in kwargs if k != "dim"]
    if unknown and not given and len(kwargs) == 1:
        raise invalid((f"some of the keywords were incorrect: {unknown[0]}",) * 2)
    if unknown or (given and kwargs) or (function and len(given) > 1):
        raise invalid()
    if len(given) > 1:
        value = tuple(given)
    elif given:
        value = given[0]
    else:
        value = kwargs.get("dim")
    if isinstance(value, (tuple, list)):
        for pos, d in enumerate(value, 1):
            if not _is_int(d):
                raise TypeError(
                    f"count_nonzero(): argument 'dim' failed to unpack the object at pos {pos} "
                    f'with error "type must be tuple of ints,but got {type(d).__name__}"'
                )
        return tuple(value)
    if value is None or _is_int(value):
        return value
    got = _type_name(value)
    if given:
        marked = f"({'Tensor, ' if function else ''}!{got}!)"
        raise invalid((f"some of the arguments have invalid types: {marked}",) * 2)
    marked = f"(Tensor, !dim={got}!)" if function else f"(!dim={got}!, )"
    raise invalid(
        (
            "some of the keywords were incorrect: dim",
            f"some of the arguments have invalid types: {marked}",
        )
    )


# -- the ops --------------------------------------------------------------------------------


class SortingOps:
    """The sorting and selection ops of Tensor (one of its base classes)."""

    def sort(self, *args, **kwargs):
        """The elements sorted along `dim`, and where each came from (torch.sort).

        sort(dim=-1, descending=False) or sort(*, stable, dim=-1, descending=False). NaN sorts
        as the largest value. With stable=False (the default) torch's CPU sort does not keep
        the order of equal elements in slices longer than 16; course_lib gives the same order.

        Returns (values, indices), a torch.return_types.sort: values = x.gather(dim, indices).

        >>> tensor([3.0, 1.0, 2.0]).sort()
        torch.return_types.sort(
        values=tensor([1., 2., 3.]),
        indices=tensor([1, 2, 0]))
        """
        # stable= given (even None) picks torch's sort.stable overload, whose node is numbered 1
        name = "SortBackward1" if "stable" in kwargs else "SortBackward0"
        return self._sort(*_sort_args("sort", args, kwargs, False), name)

    def _sort(self, dim: int, descending: bool, stable: bool, name: str = "SortBackward0"):
        a = self._array
        d = _wrap_dim(dim, self.ndim)
        if self.ndim == 0:
            order = np.zeros((), dtype=np.int64)
        else:
            order = _sort_order(a, d, descending, stable)
        values = np.take_along_axis(a, order, axis=d) if self.ndim else a.copy()
        indices = Tensor._wrap(order)

        def backward(g):  # each sorted value's gradient goes back to where it came from
            return (_scatter(g, order, d, a.shape),)

        v = _result(values, (self,), backward, name, (indices,))
        return _sort_result(v, indices)

    def argsort(self, *args, **kwargs) -> Tensor:
        """The indices that sort the elements along `dim` (torch.argsort): x.sort(...).indices.

        argsort(dim=-1, descending=False) or argsort(*, stable, dim=-1, descending=False).

        >>> tensor([3.0, 1.0, 2.0]).argsort(descending=True)
        tensor([0, 2, 1])
        """
        dim, descending, stable = _sort_args("argsort", args, kwargs, False)
        return self.detach()._sort(dim, descending, stable).indices

    def msort(self, *args) -> Tensor:
        """The elements sorted along dim 0 (torch.msort): x.sort(dim=0).values.

        >>> tensor([[2, 1], [0, 3]]).msort()
        tensor([[0, 1],
                [2, 3]])
        """
        _no_arguments("msort", args)
        return self._sort(0, False, False).values

    @_parsed("int", "int", "bool", "bool")
    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
        """The k largest elements along `dim` (the k smallest with largest=False), and their
        indices (torch.topk). NaN counts as the largest value.

        With sorted=True they come in order (largest first); with sorted=False in the order
        torch's selection leaves them. Equal elements come in torch's order too.

        Returns (values, indices), a torch.return_types.topk; shape: the input's, with `dim`
        of size k.

        >>> tensor([1.0, 5.0, 3.0, 4.0]).topk(2)
        torch.return_types.topk(
        values=tensor([5., 4.]),
        indices=tensor([1, 3]))
        """
        a = self._array
        d = _wrap_dim(dim, self.ndim)
        n = a.shape[d] if self.ndim else 1
        if not 0 <= k <= n:
            raise RuntimeError("selected index k out of range")
        if a.dtype == np.bool_:
            raise RuntimeError("topk does not support bool dtypes on CPU")
        if self.ndim == 0:  # torch copies the element, whether k is 1 or 0
            order = np.zeros((), dtype=np.int64)
            values = a.copy()
        else:
            order = _topk_order(a, k, d, largest, sorted)
            values = np.take_along_axis(a, order, axis=d)
        indices = Tensor._wrap(order)

        def backward(g):  # each selected value's gradient goes back to where it came from
            return (_scatter(g, order, d, a.shape),)

        v = _result(values, (self,), backward, "TopkBackward0", (indices,))
        return _topk_result(v, indices)

    @_parsed("int", "int", "bool")
    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False):
        """The k-th smallest element along `dim` (k counts from 1), and its index
        (torch.kthvalue). NaN counts as the largest value; among equal elements, the index is
        the one torch's quickselect stops at.

        Returns (values, indices), a torch.return_types.kthvalue; shape: the input's without
        `dim` (kept as size 1 with keepdim=True).

        >>> tensor([4.0, 1.0, 3.0]).kthvalue(2)
        torch.return_types.kthvalue(
        values=tensor(3.),
        indices=tensor(2))
        """
        a = self._array
        d = _wrap_dim(dim, self.ndim)
        if self.ndim and a.shape[d] == 0:
            raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
        n = a.shape[d] if self.ndim else 1
        if not 1 <= k <= n:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
        if a.dtype == np.bool_ and self.ndim:  # (a 0-d tensor is returned before the kernel)
            raise NotImplementedError("\"kthvalue_cpu\" not implemented for 'Bool'")
        index = _kth_index(a, k, d) if self.ndim else np.zeros((), dtype=np.int64)
        return self._select(index, d, keepdim, "KthvalueBackward0", _kthvalue_result)

    def median(self, *args, **kwargs):
        """The middle element (torch.median): of all elements, or along one `dim`.

        For an even count it is the lower of the two middle values (no average). A NaN makes
        the median NaN. median() returns a tensor; median(dim, keepdim=False) returns
        (values, indices), a torch.return_types.median: among equal middle values the index is
        the one a stable sort puts in the middle, and in a slice with NaNs the first NaN's.

        >>> tensor([1.0, 4.0, 2.0, 3.0]).median()
        tensor(2.)
        """
        if not args and not kwargs:
            return self._median_all()
        if len(args) > 2:  # fits neither of torch's two signatures
            raise TypeError(
                f"median() received an invalid combination of arguments - got "
                f"({_got(args, kwargs)}), but expected one of:\n * ()\n"
                " * (int dim, bool keepdim = False)\n"
            )
        return self._median_dim(*args, **kwargs)

    def _median_all(self) -> Tensor:
        a = self._array
        if a.size == 0:  # torch: NaN, cast to the input's dtype, still MedianBackward0's output
            with quiet:
                out = np.asarray(np.nan).astype(a.dtype)
            return _result(
                out, (self,), lambda g: (np.zeros_like(a),), "MedianBackward0", (self, OUT)
            )
        if a.dtype == np.bool_:
            raise NotImplementedError("\"median_cpu\" not implemented for 'Bool'")
        flat = a.reshape(-1)
        has_nan = a.dtype.kind == "f" and np.isnan(flat).any()
        out = np.asarray(np.nan if has_nan else np.sort(flat)[(flat.size - 1) // 2], a.dtype)

        def backward(g):  # the gradient is shared evenly by the elements equal to the median
            mask = np.isnan(a) if has_nan else a == out
            return (np.where(mask, g / mask.sum(), 0).astype(a.dtype),)

        return _result(out, (self,), backward, "MedianBackward0", (self, OUT))

    @_parsed("int", "bool", name="median")
    def _median_dim(self, dim: int, keepdim: bool = False):
        a = self._array
        d = _wrap_dim(dim, self.ndim)
        if self.ndim and a.shape[d] == 0:
            raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
        if a.dtype == np.bool_:
            raise NotImplementedError("\"median_out\" not implemented for 'Bool'")
        if self.ndim == 0:
            index = np.zeros((), dtype=np.int64)
        else:
            n = a.shape[d]
            index = np.take(np.argsort(a, axis=d, kind="stable"), (n - 1) // 2, axis=d)
            if a.dtype.kind == "f":  # a slice with a NaN: the first NaN
                nan = np.isnan(a)
                index = np.where(nan.any(axis=d), nan.argmax(axis=d), index)
        return self._select(index, d, keepdim, "MedianBackward1", _median_result)

    def _select(self, index: np.ndarray, d: int, keepdim: bool, name: str, result):
        """(values, indices) of one element per slice along `d`, the element at `index`."""
        a = self._array
        if self.ndim == 0:
            kept = index
            values = a.copy()
        else:
            kept = np.expand_dims(index, d)
            values = np.take_along_axis(a, kept, axis=d)
            if not keepdim:
                values = values.squeeze(d)
        indices = Tensor._wrap((kept if keepdim else index).astype(np.int64))

        def backward(g):  # the selected element of each slice takes the gradient
            if a.ndim == 0:
                return (g,)
            return (_scatter(g if keepdim else np.expand_dims(g, d), kept, d, a.shape),)

        v = _result(values, (self,), backward, name, (indices,))
        return result(v, indices)

    # -- finding elements: nonzero, argwhere, count_nonzero, masked_select, unique -------------

    def nonzero(self, *args, as_tuple: bool = False):
        """The indices of the non-zero elements (NaN counts as non-zero), in row-major order
        (torch.nonzero).

        Shape: (number of non-zeros, ndim), int64; with as_tuple=True, one 1-D index tensor
        per dim instead (a 0-d input counts as 1-D), so that x[x.nonzero(as_tuple=True)]
        picks the non-zeros.

        >>> tensor([[1, 0], [0, 2]]).nonzero()
        tensor([[0, 0],
                [1, 1]])
        """
        if args:  # as_tuple is keyword-only
            raise TypeError(
                f"nonzero() takes from 1 to 0 positional arguments but {len(args)} were given"
            )
        if not _is_bool(as_tuple):
            raise TypeError(
                f"nonzero(): argument 'as_tuple' must be bool, not {type(as_tuple).__name__}"
            )
        a = self._array
        if as_tuple:
            return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(a)))
        return Tensor._wrap(np.argwhere(a).astype(np.int64))

    def argwhere(self, *args) -> Tensor:
        """The indices of the non-zero elements, one row each (torch.argwhere): x.nonzero().

        >>> tensor([0.0, 3.0, 0.0, 4.0]).argwhere()
        tensor([[1],
                [3]])
        """
        _no_arguments("argwhere", args)
        return self.nonzero()

    def count_nonzero(self, *args, **kwargs) -> Tensor:
        """The number of non-zero elements, over all dims or over `dim` (an int or a tuple of
        ints), as int64 (torch.count_nonzero): count_nonzero(dim=None).

        >>> tensor([[1, 0], [0, 2]]).count_nonzero(0)
        tensor([1, 1])
        """
        return self._count_nonzero(_count_nonzero_dim(args, kwargs, False))

    def _count_nonzero(self, dim) -> Tensor:
        axes = _reduce_dims(dim, self.ndim)
        return Tensor._wrap(np.asarray(np.count_nonzero(self._array, axis=axes), np.int64))

    def masked_select(self, mask: Tensor) -> Tensor:
        """The elements where the bool `mask` is True, as a 1-D tensor (torch.masked_select).

        `mask` and the input broadcast together first; the gradient of each selected element
        goes back to where it came from (summed over broadcast copies).

        >>> tensor([1.0, 2.0, 3.0]).masked_select(tensor([True, False, True]))
        tensor([1., 3.])
        """
        _check_tensor_arg(mask, "masked_select", "mask", 1)
        m = mask._array
        if m.dtype != np.bool_:
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        a = self._array
        try:
            shape = np.broadcast_shapes(m.shape, a.shape)
        except ValueError:
            raise _broadcast_error(m.shape, a.shape) from None
        m = np.broadcast_to(m, shape)
        out = np.broadcast_to(a, shape)[m]

        def backward(g):  # each selected element's gradient goes back to its place
            grad = np.zeros(shape, dtype=g.dtype)
            grad[m] = g
            return (unbroadcast(grad, a.shape),)

        return _result(out, (self,), backward, "MaskedSelectBackward0", (self, mask))

    def unique(
        self,
        sorted: bool = True,
        return_inverse: bool = False,
        return_counts: bool = False,
        dim=None,
    ):
        """The distinct elements, sorted (torch.unique); each NaN counts as distinct, and 0.
        and -0. as one (shown as the one torch's unstable sort puts first).

        With return_inverse=True, also where each input element went (the input's shape);
        with return_counts=True, also how many times each occurs: a tuple then. On the CPU
        torch sorts even with sorted=False, and so does course_lib.

        >>> tensor([3, 1, 3, 2]).unique(return_counts=True)
        (tensor([1, 2, 3]), tensor([1, 1, 2]))
        """
        for name, value in (
            ("sorted", sorted), ("return_inverse", return_inverse), ("return_counts", return_counts),
        ):  # fmt: skip
            if not _is_bool(value):
                raise TypeError(
                    f"_unique2(): argument '{name}' must be bool, not {type(value).__name__}"
                )
        if dim is not None:
            raise NotImplementedError(
                "course_lib's unique() has no dim= (torch's unique of whole slices): "
                "use dim=None for the distinct elements"
            )
        a = self._array
        flat = a.reshape(-1)
        order = np.argsort(flat, kind="stable")
        if a.dtype.kind == "f" and (flat == 0).any() and np.signbit(flat[flat == 0]).any():
            # 0. and -0. are one element, shown as the one torch's sort(stable=False) puts first
            order = _sort_order(flat, 0, False, False)
        ranked = flat[order]
        new = np.ones(flat.size, dtype=bool)
        new[1:] = ranked[1:] != ranked[:-1]  # NaN != NaN: each NaN is a group of its own
        starts = np.flatnonzero(new)
        out = _result(ranked[starts], (self,), _unique_backward, "Unique2Backward0")
        extra = []
        if return_inverse:
            inverse = np.empty(flat.size, dtype=np.int64)
            inverse[order] = np.cumsum(new) - 1
            extra.append(Tensor._wrap(inverse.reshape(a.shape)))
        if return_counts:
            extra.append(Tensor._wrap(np.diff(np.append(starts, flat.size)).astype(np.int64)))
        return (out, *extra) if extra else out

    # -- running extremes: cummax, cummin ------------------------------------------------------

    @_parsed("int", name="cummax")
    def cummax(self, dim: int):
        """The running maximum along `dim`, and where each came from (torch.cummax).

        Among equal values the latest wins; a NaN, once met, is the maximum from there on.
        Returns (values, indices), a torch.return_types.cummax.

        >>> tensor([1, 3, 2, 3]).cummax(0)
        torch.return_types.cummax(
        values=tensor([1, 3, 3, 3]),
        indices=tensor([0, 1, 1, 3]))
        """
        return self._running_extreme(dim, "cummax")

    @_parsed("int", name="cummin")
    def cummin(self, dim: int):
        """The running minimum along `dim`, and where each came from (torch.cummin).

        Among equal values the latest wins; a NaN, once met, is the minimum from there on.
        Returns (values, indices), a torch.return_types.cummin.

        >>> tensor([2, 1, 1, 3]).cummin(0)
        torch.return_types.cummin(
        values=tensor([2, 1, 1, 1]),
        indices=tensor([0, 1, 2, 2]))
        """
        return self._running_extreme(dim, "cummin")

    def _running_extreme(self, dim: int, which: str):
        a = self._array
        if self.ndim == 0 and dim not in (0, -1):
            raise IndexError(f"{which}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
        d = _wrap_dim(dim, self.ndim)
        if self.ndim == 0:
            order = np.zeros((), dtype=np.int64)
            values = a.copy()
        else:
            running = (np.maximum if which == "cummax" else np.minimum).accumulate(a, axis=d)
            record = a == running  # a new extreme, or equal to it: the latest one wins
            if a.dtype.kind == "f":
                record |= np.isnan(a)  # a NaN takes over, and each later NaN too
            shape = [1] * a.ndim
            shape[d] = a.shape[d]
            positions = np.arange(a.shape[d]).reshape(shape)
            order = np.maximum.accumulate(np.where(record, positions, 0), axis=d)
            values = np.take_along_axis(a, order, axis=d)  # 0. or -0.: the latest one
        indices = Tensor._wrap(order.astype(np.int64))

        def backward(g):  # each output's gradient adds up at the element it came from
            if g.ndim == 0:
                return (g,)
            rows = _rows(np.zeros(a.shape, dtype=g.dtype), d)
            picked = _rows(order, d)
            np.add.at(rows, (np.arange(len(rows))[:, None], picked), _rows(g, d))
            return (_from_rows(rows, a, d),)

        name = "CummaxBackward0" if which == "cummax" else "CumminBackward0"
        v = _result(values, (self,), backward, name, (self, indices))  # as torch saves them
        return (_cummax_result if which == "cummax" else _cummin_result)(v, indices)


SortingOps.median.__signature__ = inspect.signature(
    lambda self, dim=None, keepdim=False: None
)  # help() shows median(dim, keepdim) as in torch, not *args


def _unique_backward(g):
    raise NotImplementedError("the derivative for '_unique2' is not implemented.")


def _scatter(g: np.ndarray, order: np.ndarray, d: int, shape: tuple) -> np.ndarray:
    """A zero gradient of `shape` with `g` put at `order` along `d` (gather's backward)."""
    grad = np.zeros(shape, dtype=g.dtype)
    if grad.ndim == 0:
        return grad + g
    np.put_along_axis(grad, order, g, axis=d)
    return grad


# -- torch-level functions: torch.sort(x, ...) is x.sort(...) ------------------------------------


def _no_out(out, fn: str) -> None:
    if out is not None:
        raise NotImplementedError(f"course_lib's {fn}() has no out= argument: assign the result")


def sort(input: Tensor, *args, **kwargs):
    """torch.sort(input, dim=-1, descending=False, *, stable=False); see Tensor.sort."""
    _no_out(kwargs.pop("out", None), "sort")
    _check_tensor_arg(input, "sort", "input", 1)
    name = "SortBackward1" if "stable" in kwargs else "SortBackward0"  # as Tensor.sort
    return input._sort(*_sort_args("sort", (input, *args), kwargs, True), name)


def argsort(input: Tensor, *args, **kwargs) -> Tensor:
    """torch.argsort(input, dim=-1, descending=False, *, stable=False); see Tensor.argsort."""
    _no_out(kwargs.pop("out", None), "argsort")
    _check_tensor_arg(input, "argsort", "input", 1)
    dim, descending, stable = _sort_args("argsort", (input, *args), kwargs, True)
    return input.detach()._sort(dim, descending, stable).indices


def msort(input: Tensor) -> Tensor:
    """torch.msort(input): input.sort(dim=0).values; see Tensor.msort."""
    _check_tensor_arg(input, "msort", "input", 1)
    return input.msort()


def topk(input: Tensor, *args, **kwargs):
    """torch.topk(input, k, dim=-1, largest=True, sorted=True); see Tensor.topk."""
    _no_out(kwargs.pop("out", None), "topk")
    return SortingOps.topk.as_function(input, *args, **kwargs)


def kthvalue(input: Tensor, *args, **kwargs):
    """torch.kthvalue(input, k, dim=-1, keepdim=False); see Tensor.kthvalue."""
    _no_out(kwargs.pop("out", None), "kthvalue")
    return SortingOps.kthvalue.as_function(input, *args, **kwargs)


def median(input: Tensor, *args, **kwargs):
    """torch.median(input) or torch.median(input, dim, keepdim=False); see Tensor.median."""
    _no_out(kwargs.pop("out", None), "median")
    _check_tensor_arg(input, "median", "input", 1)
    if not args and not kwargs:
        return input._median_all()
    return SortingOps._median_dim.as_function(input, *args, **kwargs)


def nonzero(input: Tensor, *, as_tuple: bool = False, out=None):
    """torch.nonzero(input, *, as_tuple=False); see Tensor.nonzero."""
    _no_out(out, "nonzero")
    _check_tensor_arg(input, "nonzero", "input", 1)
    return input.nonzero(as_tuple=as_tuple)


def argwhere(input: Tensor) -> Tensor:
    """torch.argwhere(input); see Tensor.argwhere."""
    _check_tensor_arg(input, "argwhere", "input", 1)
    return input.argwhere()


def count_nonzero(input: Tensor, *args, **kwargs) -> Tensor:
    """torch.count_nonzero(input, dim=None); see Tensor.count_nonzero."""
    _check_tensor_arg(input, "count_nonzero", "input", 1)
    return input._count_nonzero(_count_nonzero_dim((input, *args), kwargs, True))


def masked_select(input: Tensor, mask: Tensor, *, out=None) -> Tensor:
    """torch.masked_select(input, mask); see Tensor.masked_select."""
    _no_out(out, "masked_select")
    _check_tensor_arg(input, "masked_select", "input", 1)
    _check_tensor_arg(mask, "masked_select", "mask", 2)
    return input.masked_select(mask)


def unique(input: Tensor, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None);
    see Tensor.unique."""
    _check_tensor_arg(input, "_unique2", "input", 1)
    return input.unique(sorted, return_inverse, return_counts, dim)


def cummax(input: Tensor, *args, **kwargs):
    """torch.cummax(input, dim); see Tensor.cummax."""
    _no_out(kwargs.pop("out", None), "cummax")
    return SortingOps.cummax.as_function(input, *args, **kwargs)


def cummin(input: Tensor, *args, **kwargs):
    """torch.cummin(input, dim); see Tensor.cummin."""
    _no_out(kwargs.pop("out", None), "cummin")
    return SortingOps.cummin.as_function(input, *args, **kwargs)


# -- the orders: NumPy where the answer is unique, torch's algorithms where ties make it not ---


def _stable_order(a: np.ndarray, d: int, descending: bool) -> np.ndarray:
    """The indices of a stable sort along `d`; descending keeps equal elements in input order
    too, with NaN first (NumPy's ascending sort puts NaN last)."""
    if not descending:
        return np.argsort(a, axis=d, kind="stable")
    n = a.shape[d]
    flipped = np.argsort(np.flip(a, d), axis=d, kind="stable")
    return np.flip(n - 1 - flipped, d)


def _tied(sorted_rows: np.ndarray) -> np.ndarray:
    """For each row (sorted along the last axis), which neighbours are equal (NaN equals NaN)."""
    left, right = sorted_rows[..., :-1], sorted_rows[..., 1:]
    same = left == right
    if sorted_rows.dtype.kind == "f":
        same |= np.isnan(left) & np.isnan(right)
    return same


def _rows(a: np.ndarray, d: int) -> np.ndarray:
    """`a` as 2-D rows: the slices along `d`, one per row."""
    moved = np.moveaxis(a, d, -1)
    return moved.reshape(math.prod(moved.shape[:-1]), a.shape[d])


def _from_rows(rows: np.ndarray, a: np.ndarray, d: int) -> np.ndarray:
    """The inverse of _rows for an array of per-slice results (the last axis any length)."""
    moved = np.moveaxis(a, d, -1).shape[:-1]
    return np.moveaxis(rows.reshape(*moved, rows.shape[-1]), -1, d)


def _ranks(row: np.ndarray) -> list:
    """Each element's rank among the row's distinct values: equal values (all NaNs, 0. and -0.)
    share one, and NaN has the highest. The algorithms below compare these ints."""
    return np.unique(row, return_inverse=True)[1].reshape(-1).tolist()


def _sort_order(a: np.ndarray, d: int, descending: bool, stable: bool) -> np.ndarray:
    order = _stable_order(a, d, descending)
    n = a.shape[d]
    radix = (  # torch sorts big 1-D integer tensors with a (stable) radix sort
        a.ndim == 1
        and a.dtype.kind in "iu"
        and not descending
        and n >= 32768
        and a.max() <= 2**31 - 1
    )
    if stable or n <= 16 or radix or a.strides[d] == 0:  # std::sort: insertion sort up to 16
        return order  # (and a stride-0 dim, all equal, torch leaves as it is)
    rows, row_order = _rows(a, d), _rows(order, d).copy()
    tied = _tied(np.take_along_axis(rows, row_order, axis=1)).any(axis=1)
    for r in np.flatnonzero(tied):
        ranks = _ranks(rows[r])
        pairs = [(-q if descending else q, i) for i, q in enumerate(ranks)]
        _Stl(pairs).sort(0, n)
        row_order[r] = [i for _, i in pairs]
    return _from_rows(row_order, a, d)


def _topk_order(a: np.ndarray, k: int, d: int, largest: bool, sorted: bool) -> np.ndarray:
    n = a.shape[d]
    rows = _rows(a, d)
    row_order = _rows(_stable_order(a, d, largest), d)[:, :k].copy()
    if k == 0:
        return _from_rows(row_order, a, d)
    partial_sort = k * 64 <= n
    if sorted or partial_sort or k == 1:
        # the order is unique unless the k chosen values tie with each other or the next one
        ranked = np.take_along_axis(rows, _rows(_stable_order(a, d, largest), d), axis=1)
        redo = _tied(ranked[:, : k + 1]).any(axis=1)
    else:  # nth_element leaves the first k in an order of its own
        redo = np.ones(len(rows), dtype=bool)
    for r in np.flatnonzero(redo):
        pairs = [(-q if largest else q, i) for i, q in enumerate(_ranks(rows[r]))]
        stl = _Stl(pairs)
        if partial_sort:
            stl.partial_sort(0, k, n)
        else:
            stl.nth_element(0, k - 1, n)
            if sorted:
                stl.sort(0, k - 1)
        row_order[r] = [i for _, i in pairs[:k]]
    return _from_rows(row_order, a, d)


def _kth_index(a: np.ndarray, k: int, d: int) -> np.ndarray:
    rows = _rows(a, d)
    order = np.argsort(rows, axis=1, kind="stable")
    index = order[:, k - 1].copy()
    lo, hi = max(k - 2, 0), k + 1  # the k-th value and its neighbours in sorted order
    tied = _tied(np.take_along_axis(rows, order[:, lo:hi], axis=1)).any(axis=1)
    for r in np.flatnonzero(tied):
        pairs = [(q, i) for i, q in enumerate(_ranks(rows[r]))]
        _quickselect(pairs, k - 1)
        index[r] = pairs[k - 1][1]
    return index.reshape(np.delete(a.shape, d))


# -- torch's algorithms, for slices with ties -----------------------------------------------
#
# Each works on a list of (key, index) pairs in place, comparing keys only (so equal keys are
# ties), step for step as the C++ code does: the order it leaves equal keys in is torch's.


def _lg(n: int) -> int:
    return n.bit_length() - 1


class _Stl:
    """libstdc++'s std::sort, std::partial_sort and std::nth_element (ascending keys), which
    torch's CPU sort(stable=False) and topk call."""

    _THRESHOLD = 16  # introsort leaves runs this short to one final insertion sort

    def __init__(self, pairs: list):
        self.a = pairs

    def sort(self, first: int, last: int) -> None:
        if first != last:
            self._introsort_loop(first, last, _lg(last - first) * 2)
            self._final_insertion_sort(first, last)

    def partial_sort(self, first: int, middle: int, last: int) -> None:
        self._heap_select(first, middle, last)
        self._sort_heap(first, middle)

    def nth_element(self, first: int, nth: int, last: int) -> None:
        if first == last or nth == last:
            return
        depth = _lg(last - first) * 2
        while last - first > 3:
            if depth == 0:
                self._heap_select(first, nth + 1, last)
                self._swap(first, nth)
                return
            depth -= 1
            cut = self._partition_pivot(first, last)
            if cut <= nth:
                first = cut
            else:
                last = cut
        self._insertion_sort(first, last)

    def _swap(self, i: int, j: int) -> None:
        v = self.a
        v[i], v[j] = v[j], v[i]

    def _introsort_loop(self, first: int, last: int, depth: int) -> None:
        while last - first > self._THRESHOLD:
            if depth == 0:
                self.partial_sort(first, last, last)  # heapsort
                return
            depth -= 1
            cut = self._partition_pivot(first, last)
            self._introsort_loop(cut, last, depth)
            last = cut

    def _partition_pivot(self, first: int, last: int) -> int:
        """Median of three moved to `first`, then Hoare's partition around it."""
        v = self.a
        a, b, c = first + 1, first + (last - first) // 2, last - 1
        ka, kb, kc = v[a][0], v[b][0], v[c][0]
        if ka < kb:
            pick = b if kb < kc else (c if ka < kc else a)
        else:
            pick = a if ka < kc else (c if kb < kc else b)
        self._swap(first, pick)
        pivot = v[first][0]
        lo, hi = first + 1, last
        while True:
            while v[lo][0] < pivot:
                lo += 1
            hi -= 1
            while pivot < v[hi][0]:
                hi -= 1
            if not lo < hi:
                return lo
            v[lo], v[hi] = v[hi], v[lo]
            lo += 1

    def _final_insertion_sort(self, first: int, last: int) -> None:
        if last - first > self._THRESHOLD:
            self._insertion_sort(first, first + self._THRESHOLD)
            for i in range(first + self._THRESHOLD, last):
                self._linear_insert(i)
        else:
            self._insertion_sort(first, last)

    def _insertion_sort(self, first: int, last: int) -> None:
        v = self.a
        for i in range(first + 1, last):
            if v[i][0] < v[first][0]:
                v[first : i + 1] = [v[i]] + v[first:i]
            else:
                self._linear_insert(i)

    def _linear_insert(self, last: int) -> None:
        v = self.a
        value = v[last]
        while value[0] < v[last - 1][0]:
            v[last] = v[last - 1]
            last -= 1
        v[last] = value

    def _heap_select(self, first: int, middle: int, last: int) -> None:
        v = self.a
        self._make_heap(first, middle)
        for i in range(middle, last):
            if v[i][0] < v[first][0]:
                self._pop_heap(first, middle, i)

    def _make_heap(self, first: int, last: int) -> None:
        n = last - first
        if n < 2:
            return
        for parent in range((n - 2) // 2, -1, -1):
            self._adjust_heap(first, parent, n, self.a[first + parent])

    def _sort_heap(self, first: int, last: int) -> None:
        while last - first > 1:
            last -= 1
            self._pop_heap(first, last, last)

    def _pop_heap(self, first: int, last: int, result: int) -> None:
        v = self.a
        value = v[result]
        v[result] = v[first]
        self._adjust_heap(first, 0, last - first, value)

    def _adjust_heap(self, first: int, hole: int, n: int, value) -> None:
        v = self.a
        top = child = hole
        while child < (n - 1) // 2:  # move the hole down to a leaf, along the larger children
            child = 2 * (child + 1)
            if v[first + child][0] < v[first + child - 1][0]:
                child -= 1
            v[first + hole] = v[first + child]
            hole = child
        if n % 2 == 0 and child == (n - 2) // 2:
            child = 2 * (child + 1)
            v[first + hole] = v[first + child - 1]
            hole = child - 1
        parent = (hole - 1) // 2  # then push the value back up (std::__push_heap)
        while hole > top and v[first + parent][0] < value[0]:
            v[first + hole] = v[first + parent]
            hole = parent
            parent = (hole - 1) // 2
        v[first + hole] = value


def _quickselect(pairs: list, k: int) -> None:
    """torch's quick_select_template (kthvalue): puts the k-th smallest key at position k."""
    v = pairs
    lo, hi = 0, len(v) - 1
    while hi > lo:
        if hi == lo + 1:
            if v[lo][0] > v[hi][0]:
                v[lo], v[hi] = v[hi], v[lo]
            return
        mid = lo + (hi - lo) // 2  # median of three: v[lo + 1] <= v[lo] <= v[hi]
        v[mid], v[lo + 1] = v[lo + 1], v[mid]
        if v[lo + 1][0] > v[hi][0]:
            v[lo + 1], v[hi] = v[hi], v[lo + 1]
        if v[lo][0] > v[hi][0]:
            v[lo], v[hi] = v[hi], v[lo]
        if v[lo + 1][0] > v[lo][0]:
            v[lo + 1], v[lo] = v[lo], v[lo + 1]
        i, j, pivot = lo + 1, hi, v[lo][0]
        while True:
            i += 1
            while pivot > v[i][0]:
                i += 1
            j -= 1
            while v[j][0] > pivot:
                j -= 1
            if j < i:
                break
            v[i], v[j] = v[j], v[i]
        v[lo], v[j] = v[j], v[lo]
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


# -- searchsorted, bucketize ----------------------------------------------------------------------


def searchsorted(
    sorted_sequence: Tensor, input, *, out_int32=False, right=False, side=None, sorter=None
) -> Tensor:
    """For each value, the index where it would be inserted into the sorted last dim of
    `sorted_sequence` to keep it sorted (torch.searchsorted): before equal values, or after them
    with right=True (side='right'). A 1-D sequence serves all values; else the leading dims of
    sequence and values match. `sorter` gives the order that sorts an unsorted sequence.

    >>> searchsorted(tensor([1, 3, 5, 7]), tensor([3, 6]))
    tensor([1, 3])
    """
    if not isinstance(sorted_sequence, Tensor) or not (
        isinstance(input, Tensor) or _is_number(input)
    ):
        opts = (
            "*, bool out_int32 = False, bool right = False, str side = None, Tensor sorter = None"
        )
        raise _overloads_error(
            "searchsorted",
            (sorted_sequence, input),
            [
                f"(Tensor sorted_sequence, Tensor input, {opts}, Tensor out = None)",
                f"(Tensor sorted_sequence, Number self, {opts}, Tensor out = None)",
            ],
        )
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(
                f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}"
            )
        if right and side == "left":
            raise RuntimeError(
                "torch.searchsorted(): side and right can't be set to opposites, got side of left "
                "while right was True"
            )
        right = side == "right"
    b = sorted_sequence._array
    scalar = not isinstance(input, Tensor)
    v = np.asarray(input) if scalar else input._array
    if sorter is not None:
        if sorter.shape != sorted_sequence.shape:
            raise RuntimeError(
                "torch.searchsorted(): boundary and sorter must have the same size, but got "
                f"boundary tensor {list(b.shape)}and got sorter tensor {list(sorter.shape)}"
            )
        if sorter._array.dtype != np.int64:
            raise RuntimeError(
                "torch.searchsorted(): sorter must be a tensor of long dtype but got dtype "
                f"{sorter.dtype.scalar_name}"
            )
        s = sorter._array
        if s.size and (s.min() < 0 or s.max() >= s.shape[-1]):
            raise RuntimeError("torch.searchsorted(): sorter index out of range")
    if v.ndim == 0 and b.ndim != 1:
        raise RuntimeError(
            "torch.searchsorted(): input value can be a scalar only when boundaries tensor "
            f"dimension is 1, but we got boundaries tensor dim({b.ndim}) and input value's "
            "dim(0) numel(1)"
        )
    if b.ndim == 0:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
            "dimension"
        )
    if b.ndim != 1 and (b.shape[:-1] != v.shape[:-1] or v.ndim != b.ndim):
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            "dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(b.shape)} and input value tensor {list(v.shape)}"
        )
    if sorter is not None:
        b = np.take_along_axis(b, sorter._array, axis=-1)
    how = "right" if right else "left"
    if b.ndim == 1:
        out = np.searchsorted(b, v, side=how)
    else:
        rows_b, rows_v = b.reshape(-1, b.shape[-1]), v.reshape(-1, v.shape[-1])
        out = np.stack(
            [np.searchsorted(x, y, side=how) for x, y in zip(rows_b, rows_v, strict=True)]
        ).reshape(v.shape)
    return Tensor._wrap(np.asarray(out, dtype=np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries: Tensor, *, out_int32=False, right=False) -> Tensor:
    """The bucket of each value among 1-D sorted `boundaries` (torch.bucketize): i such that
    boundaries[i-1] < x <= boundaries[i], or boundaries[i-1] <= x < boundaries[i] with
    right=True (searchsorted with the arguments swapped).

    >>> bucketize(tensor([0, 3, 6]), tensor([1, 3, 5]))
    tensor([0, 1, 3])
    """
    if not isinstance(boundaries, Tensor) or not (isinstance(input, Tensor) or _is_number(input)):
        opts = "*, bool out_int32 = False, bool right = False"
        raise _overloads_error(
            "bucketize",
            (input, boundaries),
            [
                f"(Tensor input, Tensor boundaries, {opts}, Tensor out = None)",
                f"(Number self, Tensor boundaries, {opts})",
            ],
        )
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
