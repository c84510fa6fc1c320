"""Regression tests for the differences the differential fuzzer found, one minimal program each.

Each case runs in torch and in course_lib through the fuzzer's interpreter and must behave
identically (values, gradients, dtypes, grad_fn names, reprs, exceptions, warnings). A case the
engine does not yet pass is xfail(strict=True) with the reason: it fails as XPASS once fixed, and
then its `xfail` and its entry in test_fuzz_parity.KNOWN_DIVERGENCES are removed together.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from fuzz_programs import Program, Step, compare, report, run_program

import course_lib


@dataclass(frozen=True)
class Case:
    lines: tuple[str, ...]  # each `name = ...` line's value is printed and compared
    reason: str
    xfail: bool = True


def _case(reason: str, *lines: str, xfail: bool = True) -> Case:
    return Case(lines, reason, xfail)


def _caught(name: str, statement: str) -> str:
    """A step that keeps going when `statement` raises: `name` holds the exception's type and
    message (or None), so one case can compare several errors."""
    return (
        f"try:\n    {statement}\n    {name} = None\n"
        f"except Exception as e:\n    {name} = (type(e).__name__, str(e))"
    )


CASES: dict[str, Case] = {
    "maximum_with_python_number": _case(
        "torch.maximum(t, 2) raises torch's TypeError, course_lib an AttributeError about _array",
        "v0 = torch.tensor([1.0, 3.0])",
        "v1 = torch.maximum(v0, 2)",
        xfail=False,
    ),
    "second_backward_raises": _case(
        "a second backward through a freed graph raises in torch; course_lib doubles the grad",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = (v0 * v0).sum()",
        "v1.backward()",
        "v1.backward()",
        xfail=False,
    ),
    "zeros_without_size": _case(
        "torch.zeros() without a size is a TypeError in torch; course_lib returns a 0-d tensor",
        "v0 = torch.zeros()",
        xfail=False,
    ),
    "bitwise_on_floats": _case(
        "& on float tensors: torch NotImplementedError, course_lib NumPy's TypeError",
        "v0 = torch.tensor([1.0, 2.0])",
        "v1 = v0 & v0",
        xfail=False,
    ),
    "nonleaf_grad_warning_text": _case(
        "the non-leaf .grad warning stops before torch's last two sentences",
        "v0 = torch.tensor([1.0], requires_grad=True)",
        "v1 = v0 * 2",
        "v2 = v1.grad",
        xfail=False,
    ),
    "std_var_dof_warning": _case(
        "std of one element warns about degrees of freedom in torch, not in course_lib",
        "v0 = torch.tensor([1.5])",
        "v1 = v0.std()",
        xfail=False,
    ),
    "scalar_of_many_elements": _case(
        "float() of a 2-element tensor: torch ValueError, course_lib RuntimeError",
        "v0 = torch.tensor([1.0, 2.0])",
        "v1 = float(v0)",
        xfail=False,
    ),
    "std_var_integer_message": _case(
        "std of an int64 tensor: course_lib adds ', got: Long' to torch's message",
        "v0 = torch.tensor([1, 2])",
        "v1 = v0.std()",
        xfail=False,
    ),
    "floor_divide_requires_grad": _case(
        "x // 2 requires grad in torch (grad_fn NotImplemented); course_lib gives a plain tensor",
        "v0 = torch.tensor([3.0, -1.5], requires_grad=True)",
        "v1 = v0 // 2",
        xfail=False,
    ),
    "floor_divide_backward_raises": _case(
        "backward through n // t (t requiring grad) raises torch's 'derivative ... not implemented'",
        "v0 = torch.tensor(2.5, requires_grad=True)",
        "v1 = 7 // v0",
        "v2 = (v1 * v0).sum()",
        "v2.backward()",
        xfail=False,
    ),
    "floor_divide_by_tensor_requires_grad": _case(
        "x // an int tensor, x requiring grad: grad_fn NotImplemented; under no_grad a plain tensor",
        "v0 = torch.tensor([[3.0], [-1.5]], requires_grad=True)",
        "v1 = v0 // torch.tensor([2, 3])",
        "with torch.no_grad():\n    v2 = v0 // 2",
        xfail=False,
    ),
    "matmul_error_order": _case(
        "(1, 2) float32 @ (3,) float64: torch reports the size mismatch, course_lib the dtypes",
        "v0 = torch.tensor([[1.0, 2.0]])",
        "v1 = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)",
        "v2 = v0 @ v1",
        xfail=False,
    ),
    "matmul_error_order_mm": _case(
        "(1, 2) float32 @ (1, 3) int64: torch reports the shapes before the dtypes",
        "v0 = torch.tensor([[1.0, 2.0]])",
        "v1 = torch.tensor([[1, 2, 3]])",
        "v2 = v0 @ v1",
        xfail=False,
    ),
    "matmul_error_order_batched": _case(
        "(1, 1, 2) float32 @ (1, 3, 1) int64: bmm reports the sizes before the dtypes",
        "v0 = torch.tensor([[[1.0, 2.0]]])",
        "v1 = torch.tensor([[[1], [2], [3]]])",
        "v2 = v0 @ v1",
        xfail=False,
    ),
    "matmul_folded_error": _case(
        "(3, 2) requiring grad @ (1, 3, 4): torch folds the batch into one mm and names its shapes",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)",
        "v1 = torch.ones(1, 3, 4)",
        "v2 = v0 @ v1",
        xfail=False,
    ),
    "matmul_bool": _case(
        "bool @ bool: torch has no bool matrix kernel (NotImplementedError naming it)",
        "v0 = torch.tensor([[True, False], [False, True]])",
        "v1 = v0 @ v0",
        xfail=False,
    ),
    "matmul_batched_grad_fn": _case(
        "2-D @ 3-D prints TransposeBackward0 in torch, UnsafeViewBackward0 in course_lib",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
        "v1 = torch.tensor([[[1.0], [2.0]]])",
        "v2 = v0 @ v1",
        xfail=False,
    ),
    "matmul_batched_grad_fn_clone": _case(
        "(2, 2) requiring grad @ (1, 2, 2) prints CloneBackward0 in torch",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
        "v1 = torch.tensor([[[1.0, 0.5], [2.0, -1.0]]])",
        "v2 = v0 @ v1",
        "v2.sum().backward()",
        "v3 = v0.grad",
        xfail=False,
    ),
    "matmul_batch_of_one_grad_fn": _case(
        "(1, 2, 2) requiring grad @ (2, 2, 1) prints TransposeBackward0 in torch",
        "v0 = torch.tensor([[[1.0, 2.0], [3.0, 4.0]]], requires_grad=True)",
        "v1 = torch.tensor([[[1.0], [2.0]], [[0.5], [-1.0]]])",
        "v2 = v0 @ v1",
        xfail=False,
    ),
    "inplace_broadcast_message": _case(
        "a (3, 1) float tensor add_ a (3, 2): torch names the shapes, course_lib the dtypes",
        "v0 = torch.tensor([[True], [False], [True]])",
        "v1 = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])",
        "v0.add_(v1)",
        xfail=False,
    ),
    "inplace_broadcast_message_int": _case(
        "an int (3, 1) tensor mul_ a float (3, 2): torch names the shapes before the dtypes",
        "v0 = torch.tensor([[1], [2], [3]])",
        "v0.mul_(torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))",
        xfail=False,
    ),
    "inplace_broadcast_message_pow": _case(
        "pow_/remainder_/floor_divide_ to a larger broadcast shape: torch names the shapes",
        "v0 = torch.tensor([[1.0], [2.0]])",
        "v0.pow_(torch.tensor([1.0, 2.0]))",
        "v0.remainder_(torch.tensor([1.0, 2.0]))",
        xfail=False,
    ),
    "index_0d_message": _case(
        "slicing a 0-d tensor: torch says 'too many indices for tensor of dimension 0'",
        "v0 = torch.tensor(2.0)",
        "v1 = v0[..., :1]",
        xfail=False,
    ),
    "bool_unsupported_ops": _case(
        "relu of a bool tensor raises in torch; course_lib returns a tensor",
        "v0 = torch.tensor([True, False])",
        "v1 = torch.relu(v0)",
        xfail=False,
    ),
    "integer_cast_keeps_grad_fn": _case(
        ".long() of a tensor that requires grad keeps grad_fn=ToCopyBackward0 in course_lib",
        "v0 = torch.tensor([1.5, 2.5], requires_grad=True)",
        "v1 = v0.long()",
        xfail=False,
    ),
    "negative_step": _case(
        "t[::-1] = ... raises ValueError('step must be greater than zero') in torch",
        "v0 = torch.tensor([1.0, 2.0, 3.0])",
        "v0[::-1] = 0.0",
        xfail=False,
    ),
    "zero_d_numpy_scalar": _case(
        "abs() of a 0-d tensor holds a NumPy scalar, so zero_() on it raises a TypeError",
        "v0 = torch.tensor(3.0)",
        "v1 = v0.abs()",
        "v1.zero_()",
        "v2 = v1",
        xfail=False,
    ),
    "arange_zero_step": _case(
        "torch.arange(0, 2, 0.5, dtype=torch.long) raises 'step must be nonzero' in torch",
        "v0 = torch.arange(0, 2, 0.5, dtype=torch.long)",
        xfail=False,
    ),
    "int_power_negative_exponent": _case(
        "2 ** t for an int64 t with negative entries: course_lib raises a broadcast error",
        "v0 = torch.tensor([2, -1])",
        "v1 = 2 ** v0",
        xfail=False,
    ),
    "int_power_negative_exponent_tensors": _case(
        "int tensor ** int tensor with negative entries: 1, ±1 by parity for -1, else 0 (0 too)",
        "v0 = torch.tensor([1, -1, -1, 0, 3])",
        "v1 = v0 ** torch.tensor([-2, -3, -2, -1, -1])",
        "v2 = torch.tensor(2).pow(torch.tensor(-1))",
        "v3 = (-1) ** torch.tensor([[2], [-1]])",
        xfail=False,
    ),
    "leaf_view_setitem_message": _case(
        "x[0:] = 0 on a leaf that requires grad: torch's message names the leaf, not a view",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v0[0:] = 0.0",
        xfail=False,
    ),
    "numpy_warning_leaks": _case(
        "0 / 0 in place warns 'invalid value encountered in divide' (NumPy) in course_lib",
        "v0 = torch.tensor([0.0, 1.0])",
        "v0 /= v0",
        "v1 = v0",
        xfail=False,
    ),
    "detach_shares_storage": _case(
        "an in-place op on a non-leaf in grad mode does not show in its detach()ed alias",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = v0 * 2",
        "v2 = v1.detach()",
        "v1.add_(1)",
        "v3 = v2",
        xfail=False,
    ),
    "signed_zeros": _case(
        "relu(-0.) keeps the sign in torch (prints -0.); course_lib prints 0.",
        "v0 = torch.tensor([-0.0])",
        "v1 = torch.relu(v0)",
        xfail=False,
    ),
    "signed_zero_relu_matmul": _case(
        "relu then matmul backward: course_lib prints -0. where torch prints 0.",
        "v0 = torch.tensor([[-1.0, 2.0]], requires_grad=True)",
        "v1 = torch.tensor([[-1.0], [0.5]])",
        "(torch.relu(v0) @ v1).sum().backward()",
        "v2 = v0.grad",
        xfail=False,
    ),
    "signed_zero_clamp": _case(
        "clamp(-0., min=0.) and clamp_ keep -0. in torch (a value changes only beyond a bound)",
        "v0 = torch.tensor([-0.0, -1.0, 2.0])",
        "v1 = v0.clamp(min=0.0)",
        "v0.clamp_(0.0, 1.0)",
        "v2 = v0",
        "v3 = torch.tensor([-0.0]).relu_()",
        xfail=False,
    ),
    "signed_zero_nll_ignored": _case(
        "nll_loss of an ignored target prints 0. in torch, -0. in course_lib",
        "v0 = torch.tensor([[-2.0, -2.0]], requires_grad=True)",
        "v1 = torch.nn.functional.nll_loss(v0, torch.tensor([-100]), reduction='none')",
        xfail=False,
    ),
    "signed_zero_linear_grad": _case(
        "a zero output gradient times a negative input: torch's weight grad prints -0.",
        "v0 = torch.nn.Linear(3, 2)\nwith torch.no_grad():\n    v0.weight.fill_(-2.0)\n    v0.bias.fill_(-2.0)",
        "v1 = torch.tensor([[-2.0, 0.0, 2.0]])",
        "torch.nn.functional.mse_loss(v0(v1), torch.tensor([[-2.0, -2.0]])).backward()",
        "v2 = v0.weight.grad",
        xfail=False,
    ),
    "signed_zero_matmul_outer_grads": _case(
        "a zero gradient through an outer product keeps -0. in torch (mv, mm with inner size 1)",
        "v0 = torch.tensor([[-1.0, 2.0], [3.0, -4.0]], requires_grad=True)",
        "v1 = torch.tensor([-1.0, 0.5], requires_grad=True)",
        "((v0 @ v1) * 0).sum().backward()",
        "v2 = v0.grad",
        "v3 = torch.tensor([-1.0, -2.0, 3.0], requires_grad=True)",
        "((v3 @ torch.ones(3, 2)) * 0).sum().backward()",
        "v4 = v3.grad",
        xfail=False,
    ),
    "signed_zero_matmul_folded_grads": _case(
        "2-D @ 3-D and 3-D @ 2-D fold into one mm in torch: its zero gradients keep their sign",
        "v0 = torch.tensor([[-1.0, 2.0, -3.0]], requires_grad=True)",
        "v1 = torch.tensor([[[-1.0], [2.0], [0.5]], [[1.0], [-2.0], [4.0]]], requires_grad=True)",
        "((v0 @ v1) * 0).sum().backward()",
        "v2 = v0.grad",
        "v3 = v1.grad",
        "v4 = torch.tensor([[[-1.0, 2.0]], [[3.0, -4.0]]], requires_grad=True)",
        "((v4 @ torch.tensor([[-1.0], [2.0]])) * 0).sum().backward()",
        "v5 = v4.grad",
        xfail=False,
    ),
    "view_sees_base_inplace": _case(
        "a slice view of a non-leaf does not see a later in-place op on its base "
        "(torch: the new values and grad_fn AsStridedBackward0)",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = v0 * 1",
        "v2 = v1[0:]",
        "v1.mul_(2)",
        "v3 = v2",
        xfail=False,
    ),
    "index_out_of_range_message": _case(
        "a list index into an empty dimension: torch's message has no index or dimension",
        "v0 = torch.tensor([[3.0]])",
        "v1 = v0[1:, ...]",
        "v2 = v1[[0, 0], ...]",
        xfail=False,
    ),
    "linear_1d_grad_fn": _case(
        "F.linear on a 1-D input prints SqueezeBackward4 in torch, ViewBackward0 in course_lib",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = torch.tensor([[1.0, 0.5], [2.0, -1.0]])",
        "v2 = torch.nn.functional.linear(v0, v1)",
        xfail=False,
    ),
    "index_grad_fn_names": _case(
        "x[:, 0, 0:] prints SelectBackward0 in torch (a whole-dimension slice records no op)",
        "v0 = torch.tensor([[[1.0, 2.0], [3.0, 4.0]]], requires_grad=True)",
        "v1 = v0[:, 0, 0:]",
        xfail=False,
    ),
    "full_slice_is_alias": _case(
        "x[0:, 0:] (every slice the whole dimension) prints AliasBackward0 in torch",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
        "v1 = v0[0:, 0:]",
        xfail=False,
    ),
    "expanded_inplace": _case(
        "fill_ on an expand()ed tensor works in torch; course_lib raises NumPy's read-only error",
        "v0 = torch.tensor([[1.0, 2.0]])",
        "v1 = v0.expand(3, 2)",
        "v1.fill_(5.0)",
        "v2 = v0",
        xfail=False,
    ),
    "where_broadcast_message": _case(
        "torch.where with shapes that do not broadcast: NumPy's ValueError text leaks",
        "v0 = torch.tensor([True, False, True, False])",
        "v1 = torch.where(v0, torch.tensor([1.0, 2.0, 3.0]), 0.0)",
        xfail=False,
    ),
    "int_index_is_view": _case(
        "x[3] is a 0-d view in torch: a later write into x shows in it",
        "v0 = torch.tensor([4, 0, -2, -2])",
        "v1 = v0[3]",
        "v0[:] = 0",
        "v2 = v1",
        xfail=False,
    ),
    "mixed_index_placement": _case(
        "t[0, :, [1]] has shape (2, 1) in torch, (1, 2) in course_lib",
        "v0 = torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])",
        "v1 = v0[0, :, [1]]",
        xfail=False,
    ),
    "max_dim_0d_grad_fn": _case(
        "max(dim=0) of a 0-d tensor prints MaxBackward0 in torch, CloneBackward0 in course_lib",
        "v0 = torch.tensor(-0.5, requires_grad=True)",
        "v1 = v0.max(dim=0).values",
        xfail=False,
    ),
    "max_dim_0d_grad": _case(
        "min(dim, keepdim=True) of a 0-d tensor: MinBackward0, and its gradient passes through",
        "v0 = torch.tensor(-0.5, requires_grad=True)",
        "v1 = v0.min(0, keepdim=True).values",
        "(v1 * 3).backward()",
        "v2 = v0.grad",
        xfail=False,
    ),
    "view_of_leaf_inplace": _case(
        "x[0].add_(1) on a leaf that requires grad raises in torch; course_lib runs it",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v0[0].add_(1)",
        xfail=False,
    ),
    "index_put_dtype": _case(
        "b[[0, 1]] = torch.tensor(5.0) on a bool tensor raises in torch (dtypes must match)",
        "v0 = torch.tensor([True, False])",
        "v0[[0, 1]] = torch.tensor(5.0)",
        xfail=False,
    ),
    "version_counter": _case(
        "backward after an in-place change of a saved tensor raises in torch",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = v0 * 1",
        "v2 = (v1 * v1).sum()",
        "v1.mul_(10)",
        "v2.backward()",
        "v3 = v0.grad",
        xfail=False,
    ),
    "bool_subtract": _case(
        "b -= c for bool tensors raises in torch; course_lib runs it",
        "v0 = torch.tensor([True, False])",
        "v0 -= torch.tensor([True, True])",
        xfail=False,
    ),
    "bool_subtract_variations": _case(
        "bool subtraction raises before the shape and cast checks; a Python True counts as bool",
        "v0 = torch.tensor([[True], [False]])",
        "v0.sub_(torch.tensor([1.0, 2.0]))",
        "v1 = torch.tensor([1.0, 2.0])",
        "v1.sub_(True)",
        "v2 = torch.tensor([1.0]).sub(torch.tensor([True]), alpha=2)",
        xfail=False,
    ),
    "inplace_cast_error_type": _case(
        "an int64 tensor clamp_(max=0.5): torch RuntimeError, course_lib NumPy's UFuncTypeError",
        "v0 = torch.tensor([1, 2])",
        "v0.clamp_(max=0.5)",
        xfail=False,
    ),
    "inplace_cast_error_clamp_variations": _case(
        "clamp_ that cannot cast: torch says 'long int'/'bool' for number bounds, 'Long' for tensors",
        "v0 = torch.tensor([True, False])",
        "v0.clamp_(0, 1)",
        "v1 = torch.tensor([1, 2])",
        "v1.clamp_(torch.tensor(0.5))",
        xfail=False,
    ),
    "inplace_floor_divide": _case(
        "x //= y runs in place as torch's floor_divide_: an int tensor refuses a float result",
        "v0 = torch.tensor([5, 7])",
        "v1 = v0",
        "v0 //= 2",
        "v2 = v1",
        "v0 //= 1.5",
        xfail=False,
    ),
    "inplace_floor_divide_grad": _case(
        "y //= 2 on a non-leaf: grad_fn NotImplemented, backward names floor_divide_",
        "v0 = torch.tensor([1.0, 3.0], requires_grad=True)",
        "v1 = v0 * 1",
        "v1 //= 2",
        "v1.sum().backward()",
        xfail=False,
    ),
    "clamp_tensor_bound_grad_fn": _case(
        "clamp with tensor bounds is torch's other overload: ClampBackward0",
        "v0 = torch.tensor([1.0, 3.0], requires_grad=True)",
        "v1 = v0.clamp(torch.tensor(2.0))",
        "v2 = v0 * 1",
        "v2.clamp_(max=torch.tensor(2.0))",
        xfail=False,
    ),
    "rmod": _case(
        "2 % t: torch computes it; course_lib has no __rmod__ (TypeError)",
        "v0 = torch.tensor([2.0, 3.0])",
        "v1 = 2 % v0",
        xfail=False,
    ),
    "int_divide_by_zero": _case(
        "integer // or % by zero raises RuntimeError('ZeroDivisionError') in torch",
        "v0 = torch.tensor([3, 0])",
        "v1 = v0 // v0",
        xfail=False,
    ),
    "single_full_slice_grad_fn": _case(
        "x[:] prints SliceBackward0 in torch (only several whole-dimension slices are an alias)",
        "v0 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)",
        "v1 = v0[:]",
        xfail=False,
    ),
    "bool_sub_number_message": _case(
        "b.sub_(1.5) on a bool tensor: torch's message is about bool subtraction, not the cast",
        "v0 = torch.tensor(False)",
        "v0.sub_(-1.5)",
        xfail=False,
    ),
    "int_copy_from_requires_grad": _case(
        "an int64 tensor copy_ from a float that requires grad stays a plain int tensor in torch",
        "v0 = torch.tensor([1, 2])",
        "v1 = torch.tensor(-0.5, requires_grad=True)",
        "v0.copy_(v1)",
        "v2 = v0",
        xfail=False,
    ),
    "int_copy_from_requires_grad_variations": _case(
        "int and bool copy_ from a float non-leaf stay plain; a float copy_ records CopyBackwards",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = torch.tensor([True, False])",
        "v1.copy_(v0 * 2)",
        "v2 = v1",
        "v3 = torch.tensor([0.0, 0.0])",
        "v3.copy_(v0 * 2)",
        "v4 = v3",
        xfail=False,
    ),
    "index_none_dim_in_message": _case(
        "an out-of-range index after None: torch counts the None in the dimension it names",
        "v0 = torch.tensor([[3.0]])",
        "v1 = v0[1:]",
        "v2 = v1[None, 0]",
        xfail=False,
    ),
    "inplace_keeps_dtype": _case(
        "an in-place /= by a float64 0-d tensor turns a float32 non-leaf into float64",
        "v0 = torch.tensor(3.0, requires_grad=True)",
        "v1 = v0 + 0.5",
        "v1 /= torch.tensor(2.0, dtype=torch.float64)",
        "v2 = v1",
        xfail=False,
    ),
    "zero_d_promotion": _case(
        "clamp of a 0-d int tensor holds a NumPy scalar, so * a float32 0-d tensor gives float64",
        "v0 = torch.tensor(1)",
        "v1 = v0.clamp(-1, 1)",
        "v2 = v1 * torch.tensor(2.0)",
        xfail=False,
    ),
    "index_broadcast_message": _case(
        "index lists that do not broadcast: NumPy's message (shapes (2,) (3,)) leaks",
        "v0 = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])",
        "v1 = v0[[0, 1], [0, 1, 2]]",
        xfail=False,
    ),
    "mask_shape_message": _case(
        "a (1, 3) mask on a (3, 3) tensor: torch's message names both whole shapes",
        "v0 = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])",
        "v1 = v0[torch.tensor([[True, False, True]])]",
        xfail=False,
    ),
    "ror": _case(
        "1 | t on an int tensor: course_lib has no __ror__",
        "v0 = torch.tensor([1, 2])",
        "v1 = 1 | v0",
        xfail=False,
    ),
    "zero_d_where_dtype": _case(
        "where() between a 0-d int64 tensor and a 0-d result held as a NumPy scalar gives float32",
        "v0 = torch.tensor(1)",
        "v1 = v0 | v0",
        "v2 = torch.where(torch.tensor(True), v0, v1)",
        xfail=False,
    ),
    "view_chain_of_leaf_inplace": _case(
        "an in-place op on a view of a view (squeeze, then unsqueeze) of a leaf raises in torch",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
        "v1 = v0.squeeze()",
        "v1.unsqueeze(0).clamp_(max=0.5)",
        xfail=False,
    ),
    "noop_squeeze_is_view": _case(
        "squeeze() that drops no dimension is still a view of its leaf: add_ on it raises",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
        "v0.squeeze().add_(1)",
        xfail=False,
    ),
    "unflatten_grad_fn": _case(
        "unflatten of a permuted tensor is a view in torch: grad_fn ViewBackward0",
        "v0 = torch.tensor([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]], requires_grad=True)",
        "v1 = v0.permute(2, 1, 0)",
        "v2 = v1.unflatten(0, (2, 1))",
        xfail=False,
    ),
    "unflatten_transposed_grad_fn": _case(
        "unflatten of a transposed or sliced tensor is a view in torch: ViewBackward0",
        "v0 = torch.tensor([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]], requires_grad=True)",
        "v1 = v0.t().unflatten(0, (2, 2))",
        "v2 = v0[:, ::2].unflatten(1, (2, 1))",
        "v3 = v0.t().unflatten(1, (-1, 1))",
        xfail=False,
    ),
    "setitem_fill_grad_fn": _case(
        "x[...] = a 0-d tensor on a non-leaf prints FillBackward3 in torch, CopyBackwards here",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = v0 * 1",
        "v1[...] = torch.tensor(5.0)",
        "v2 = v1",
        xfail=False,
    ),
    "fill_tensor_value": _case(
        "fill_ with a 0-d tensor is FillBackward3 in torch, and the value gets the summed gradient",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = torch.tensor(2.0, requires_grad=True)",
        "v2 = v0 * 1",
        "v2.fill_(v1)",
        "(v2 * torch.tensor([1.0, 3.0])).sum().backward()",
        "v3 = v1.grad",
        "v4 = torch.zeros(2).fill_(torch.tensor([1.0]))",
        xfail=False,
    ),
    "remainder_by_tensor_saves_nothing": _case(
        "x % a tensor that needs no grad saves nothing for x in torch: a second backward runs",
        "v0 = torch.tensor([1.5, -2.0], requires_grad=True)",
        "v1 = (v0 % torch.tensor(-0.5)).sum()",
        "v1.backward()",
        "v1.backward()",
        "v2 = v0.grad",
        xfail=False,
    ),
    "remainder_by_tensor_variations": _case(
        "x % a tensor that requires grad saves the inputs: a second backward raises as in torch",
        "v0 = torch.tensor([1.5, -2.0], requires_grad=True)",
        "v1 = torch.tensor([-0.5, 0.7], requires_grad=True)",
        "v2 = (v0 % v1).sum()",
        "v2.backward()",
        "v2.backward()",
        "v3 = v1.grad",
        xfail=False,
    ),
    "index_grad_fn_after_whole_slices": _case(
        "x[0, 0:3] of a (2, 3, 4) tensor prints SelectBackward0 in torch: the whole-dimension "
        "slice after the int records no op; a slice to past the end counts as whole too",
        "v0 = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], requires_grad=True)",
        "v1 = v0[0, 0:3]",
        "v2 = v0[:, 0:100]",
        "v3 = v0[None, 0:1]",
        "v4 = v0[..., 0:1, :]",
        "v5 = v0[:, -3:]",
        xfail=False,
    ),
    "leaf_of_a_view_inplace": _case(
        "a leaf made by requires_grad_() on a view (arange(...).reshape(...)): in-place ops on it "
        "or on its views raise torch's view-of-leaf error",
        "v0 = torch.arange(6.0).reshape(2, 3).requires_grad_()",
        _caught("v1", "v0[0].add_(1)"),
        _caught("v2", "v0.mul_(2)"),
        _caught("v3", "v0[0] = 1.0"),
        _caught("v4", "v0[[0]] = 1.0"),
        xfail=False,
    ),
    "setitem_target_grad_fn": _case(
        "setitem writes into self (FillBackward3, CopyBackwards, IndexPutBackward0) or into a "
        "view of it (CopySlices) as torch does for each index form",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
        "v1 = v0 * 1",
        "v1[:, 0:2] = 1.0",
        "v2 = v1",
        "v1[0:] = torch.tensor([5.0, 6.0])",
        "v3 = v1",
        "v1[:, [0]] = 7.0",
        "v4 = v1",
        "v1[:, True] = 8.0",
        "v5 = v1",
        "v1[False] = 9.0",
        "v6 = v1",
        "v1.sum().backward()",
        "v7 = v0.grad",
        xfail=False,
    ),
    "setitem_leaf_messages": _case(
        "setitem on a leaf that requires grad: a view's message for an int, None or partial "
        "slice; the leaf's for whole slices, lists and masks; nothing at all for x[False]",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
        "v0[False] = 1.0",
        _caught("v1", "v0[[0, 1]] = 1.0"),
        _caught("v2", "v0[torch.tensor(0)] = 1.0"),
        _caught("v3", "v0[torch.tensor([True, False])] = 1.0"),
        _caught("v4", "v0[:, True] = 1.0"),
        _caught("v5", "v0[0:5, 0:2] = 1.0"),
        _caught("v6", "v0[None] = 1.0"),
        _caught("v7", "v0[0:1] = 1.0"),
        xfail=False,
    ),
    "detach_of_a_view": _case(
        "detach_() on a view raises in torch, with or without grad; on a detach()ed tensor not",
        "v0 = torch.tensor([1.0, 2.0])",
        _caught("v1", "v0[0:1].detach_()"),
        "v2 = torch.tensor([1.0, 2.0], requires_grad=True)",
        _caught("v3", "v2.t().detach_()"),
        "v4 = v2.detach()",
        "v4.detach_()",
        xfail=False,
    ),
    "shape_inplace_on_view": _case(
        "squeeze_/unsqueeze_/t_/transpose_ on a view of a non-leaf print their own grad_fn; "
        "a later in-place on the base makes the view AsStridedBackward0",
        "v0 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
        "v1 = v0 * 2",
        "v2 = v1[0:1]",
        "v2.t_()",
        "v3 = v2",
        "v2.unsqueeze_(0)",
        "v4 = v2",
        "v2.squeeze_()",
        "v5 = v2",
        "v1.mul_(2)",
        "v6 = v2",
        "v2.transpose_(0, 0)",
        "v7 = v2",
        "v1.sum().backward()",
        "v8 = v0.grad",
        xfail=False,
    ),
    "view_chain_inplace_forms": _case(
        "in-place ops on views of views of a leaf that requires grad raise; on views of a "
        "non-leaf they write through",
        "v0 = torch.tensor([[1.0, 2.0]], requires_grad=True)",
        _caught("v1", "v0.squeeze(0).add_(1)"),
        _caught("v2", "v0.t().squeeze().mul_(2)"),
        _caught("v3", "v0.view(2)[0:1].zero_()"),
        _caught("v4", "v0.expand(2, 2).unsqueeze(0).fill_(1.0)"),
        _caught("v5", "v0.squeeze().squeeze_()"),
        "v6 = v0 * 1",
        "v6.squeeze().unsqueeze(0).t().mul_(3)",
        "v7 = v6",
        xfail=False,
    ),
    "index_messages_0d": _case(
        "indexing a 0-d tensor: an int, a slice and a tuple each have their own message",
        "v0 = torch.tensor(2.0)",
        _caught("v1", "v0[0]"),
        _caught("v2", "v0[:1]"),
        _caught("v3", "v0[None, 0]"),
        _caught("v4", "v0[torch.tensor(0)]"),
        _caught("v5", "v0[0] = 1.0"),
        _caught("v6", "v0[:1] = 1.0"),
        _caught("v7", "v0[..., :1] = 1.0"),
        "v8 = v0[None]",
        xfail=False,
    ),
    "index_messages_int_place": _case(
        "an int out of range: torch names its place in the index, Nones and ... counted",
        "v0 = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])",
        _caught("v1", "v0[..., 5]"),
        _caught("v2", "v0[0, None, ..., 5]"),
        _caught("v3", "v0[None, None, 0, 5]"),
        _caught("v4", "v0[None, 3] = 1.0"),
        _caught("v5", "v0[0, 0, 0, 0]"),
        xfail=False,
    ),
    "index_messages_lists": _case(
        "a list index out of range: torch names its place among the lists, not the dimension",
        "v0 = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])",
        _caught("v1", "v0[:, [0, 5]]"),
        _caught("v2", "v0[[0], :, [5]]"),
        _caught("v3", "v0[0, :, [-3]]"),
        _caught("v4", "v0[[0, 0], [1, 1], [0, 5]]"),
        _caught("v5", "v0[:, :, [7]] = 1.0"),
        _caught("v6", "torch.ones(0, 2)[[0], ...]"),
        _caught("v7", "v0[[0, 0], [0, 1, 2]]"),
        _caught("v8", "v0[[0, 0], :, [0, 1, 1]] = 2.0"),
        xfail=False,
    ),
    "index_messages_masks": _case(
        "a mask of the wrong shape: torch names the mask's and the sliced tensor's whole shapes",
        "v0 = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])",
        _caught("v1", "v0[torch.tensor([True, False])]"),
        _caught("v2", "v0[:, torch.tensor([[True, False]])]"),
        _caught("v3", "v0[None, torch.tensor([True, True])]"),
        _caught("v4", "v0[0, torch.tensor([True, False])]"),
        _caught("v5", "v0[torch.tensor([[True, False, True]]), torch.tensor([True])] = 1.0"),
        xfail=False,
    ),
    "index_put_dtype_forms": _case(
        "setitem through lists or masks takes only the tensor's own dtype, except one mask with "
        "a one-element value (filled); ints, slices and numbers cast",
        "v0 = torch.tensor([[1, 2], [3, 4]])",
        _caught("v1", "v0[[0, 1]] = torch.tensor(5.0)"),
        _caught("v2", "v0[0, [0, 1]] = torch.tensor([5.0, 6.0])"),
        _caught("v3", "v0[torch.tensor([True, False]), [0]] = torch.tensor(8.0)"),
        _caught("v4", "v0[torch.tensor(True)] = torch.tensor(9.0)"),
        _caught("v5", "v0[[0, 5]] = torch.tensor(12.0)"),
        _caught("v6", "v0[torch.tensor(0)] = torch.tensor([5.0, 6.0, 7.0])"),
        "v0[torch.tensor([True, False])] = torch.tensor([7.0])",
        "v0[True] = torch.tensor(9.0)",
        "v0[0, 0:1] = torch.tensor(10.0, dtype=torch.float64)",
        "v0[[0]] = 11.5",
        "v7 = v0",
        xfail=False,
    ),
    "nograd_view_requires_grad": _case(
        "a view made under no_grad of a tensor that requires grad requires grad, records no "
        "history, and passes no gradient on",
        "v0 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)",
        "with torch.no_grad():\n    v1 = v0[0:2]",
        "v2 = v1 * 2",
        "v3 = v1[0:1]",
        "(v1 * 2).sum().backward()",
        "v4 = v0.grad",
        xfail=False,
    ),
    "nograd_view_inplace": _case(
        "in-place changes of a view made under no_grad (or of a view of it, or of its base) in "
        "grad mode raise torch's errors; inside no_grad they are allowed",
        "v0 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)",
        "v1 = v0 * 1",
        "with torch.no_grad():\n    v2 = v1[0:2]\n    v2.mul_(2)",
        _caught("v3", "v2.add_(1)"),
        _caught("v4", "v2[0:1].mul_(2)"),
        _caught("v5", "v2[0] = 1.0"),
        _caught("v6", "v2.t_()"),
        "v1.mul_(2)",
        _caught("v7", "v2.grad_fn"),
        "v8 = v1",
        xfail=False,
    ),
    "transpose_0d_grad_fn": _case(
        "transpose of a 0-d tensor records TransposeBackward0 in torch (not a view op)",
        "v0 = torch.tensor(-2.0, requires_grad=True)",
        "v1 = v0.transpose(0, -1)",
        "v2 = v0 * 1",
        "v2.transpose_(0, 0)",
        "v3 = v2",
        "v1.backward()",
        "v4 = v0.grad",
        xfail=False,
    ),
    "expanded_inplace_forms": _case(
        "in-place ops that write one result per element refuse an expand()ed tensor, as torch "
        "does; fill_(number), zero_() and a write into a region that repeats nothing run",
        "v0 = torch.tensor([1.0, 2.0])",
        "v1 = v0.expand(2, 2)",
        _caught("v2", "v1.clamp_(max=0.5)"),
        _caught("v3", "v1.exp_()"),
        _caught("v4", "v1.copy_(torch.ones(2))"),
        _caught("v5", "v1.fill_(torch.tensor(1.0))"),
        _caught("v6", "v1[:, 0] = 5.0"),
        _caught("v7", "v1[...] = torch.tensor(5.0)"),
        _caught("v8", "v1.uniform_()"),
        "v1[0, 0:1] = 3.0",
        "v1.fill_(4.0)",
        "v9 = v0",
        xfail=False,
    ),
    "empty_view_of_leaf": _case(
        "an empty slice is still a view of its leaf: in-place ops and setitem on it raise",
        "v0 = torch.tensor([[-0.5], [-1.0]], dtype=torch.float64, requires_grad=True)",
        "v1 = v0[None, 2:, ::2]",
        _caught("v2", "v1[-1, [0, 0]] = torch.tensor(5.0)"),
        _caught("v3", "v0[2:].add_(1)"),
        "v4 = v0 * 1",
        "v4[2:].mul_(2)",
        "v5 = v4",
        xfail=False,
    ),
    "index_tensors_saved": _case(
        "x[index tensor] saves the index: changing it in place makes backward raise (a bool "
        "mask is named CPUBoolType); a 0-d index is not saved and its change is not seen",
        "v0 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)",
        "v1 = torch.tensor([True, False, True])",
        "v2 = v0[v1]",
        "v1[0] = False",
        _caught("v3", "v2.sum().backward()"),
        "v4 = torch.tensor([[0, 2]])",
        "v5 = v0[v4]",
        "v4.add_(0)",
        _caught("v6", "v5.sum().backward()"),
        "v7 = torch.tensor(True)",
        "v8 = v0[v7]",
        "v7.fill_(False)",
        "v8.sum().backward()",
        "v9 = v0.grad",
        xfail=False,
    ),
    "copy_forms": _case(
        "copy_ of a number (recorded as CopyBackwards), of a source that broadcasts to a larger "
        "shape (torch's output-shape message), of a string (TypeError)",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = v0 * 1",
        "v1.copy_(0.5)",
        "v2 = v1",
        _caught("v3", "torch.ones(2, 3).copy_(torch.ones(2, 2, 3))"),
        _caught("v4", "torch.tensor(3).copy_(torch.tensor([True, False]))"),
        _caught("v5", "torch.ones(2).copy_('a')"),
        "v1.sum().backward()",
        "v6 = v0.grad",
        xfail=False,
    ),
    "stale_view_repr": _case(
        "the repr of a view whose base changed in place names the regenerated grad_fn",
        "v0 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)",
        "v1 = v0 * 1",
        "v2 = v1[0:2]",
        "v1.mul_(2)",
        "v3 = repr(v2)",
        xfail=False,
    ),
    "parameter_shares_version_counter": _case(
        "nn.Parameter(t) shares t's version counter: a write into t after use makes backward raise",
        "v0 = torch.tensor([1.0, 2.0])",
        "v1 = nn.Parameter(v0)",
        "v2 = (v1 * v1).sum()",
        "v0.mul_(3)",
        "v2.backward()",
        xfail=False,
    ),
    "data_write_into_inplace_output": _case(
        "exp_ saves its output; a .data write into it afterwards is what backward reads",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = v0 * 1",
        "v1.exp_()",
        "v1.data.fill_(5.0)",
        "v1.sum().backward()",
        "v2 = v0.grad",
        xfail=False,
    ),
    "swapaxes_0d_grad_fn": _case(
        "transpose/swapaxes of a 0-d tensor prints TransposeBackward0 in torch, not ViewBackward0",
        "v0 = torch.tensor(-1.5, requires_grad=True)",
        "v1 = v0.swapaxes(-1, -1)",
        xfail=False,
    ),
    "bool_add_alpha": _case(
        "b.add(c, alpha=-1) on bool tensors: torch takes alpha as a bool (True), so it is b | c",
        "v0 = torch.tensor([True, True, False])",
        "v1 = torch.add(v0, v0, alpha=-1)",
        xfail=False,
    ),
    "new_arith_apis": _case(
        "torch.add(alpha=), torch.sub, torch.mul, torch.div(rounding_mode=), square, swapaxes, type_as",
        "v0 = torch.tensor([[3.0, -1.5], [0.5, 2.0]], requires_grad=True)",
        "v1 = torch.add(v0, torch.tensor([1.0, 2.0]), alpha=-2)",
        "v2 = torch.sub(2, v1)",
        "v3 = torch.mul(v2, v0).square()",
        "v4 = torch.div(v3, 3, rounding_mode='floor') + torch.div(v3, -2.5)",
        "v5 = v4.swapaxes(0, 1).type_as(torch.tensor([1.0], dtype=torch.float64))",
        "v5.sum().backward()",
        "v6 = v0.grad",
        xfail=False,
    ),
    "unbind_one_element_gives_a_0d_view": _case(
        "unbind of a 1-element dim gave a NumPy scalar: an in-place op on it was lost",
        "v0 = torch.tensor([-2.0])",
        "v1 = v0.unbind(0)[0]",
        "v2 = v1.mul_(2)",
        "v3 = v0 * 1",
        xfail=False,
    ),
    "split_sizes_error_names_the_dim_given": _case(
        "split_with_sizes' sum error names the dim as given (-1), not wrapped",
        "v0 = torch.zeros(3, 4)",
        _caught("v1", "torch.split(v0, [0, 5], dim=-1)"),
        xfail=False,
    ),
    "in_place_on_a_split_output_raises": _case(
        "torch refuses an in-place op on an output of split/chunk/unbind in grad mode",
        "v0 = torch.ones(4, 2, requires_grad=True)",
        _caught("v1", "v0.chunk(2)[1].mul_(2)"),
        _caught("v2", "(v0 * 1).unbind(1)[0][0] = 5.0"),
        "v3 = v0.detach().split(3)[1].mul_(2)",
        xfail=False,
    ),
    "leaf_grads_written_before_a_failing_node": _case(
        "backward that fails at a node whose saved tensor changed: leaves whose gradients were "
        "all delivered before it keep them (torch's AccumulateGrad runs as soon as it can)",
        "v1 = torch.tensor([[-1.0, 0.5], [2.0, 0.25]], dtype=torch.float64, requires_grad=True)",
        "v2 = v1.reciprocal()",
        "v3 = torch.tensor([1.5, -1.0], requires_grad=True)",
        "v2.mul_(v3)",
        _caught("v4", "v2.sum().backward()"),
        "v5 = v3.grad",
        "v6 = v1.grad",
        xfail=False,
    ),
    "folded_matmul_keeps_zero_signs": _case(
        "2-D @ 3-D and 3-D @ 2-D with an inner size of 1: torch folds the batch into one mm, "
        "whose single products keep a zero's sign (-0.)",
        "v0 = torch.tensor([[-1.5], [-1.0], [-0.5]], requires_grad=True)",
        "v1 = torch.tensor([[[0.0, 0.0]], [[0.5, -2.0]]], requires_grad=True)",
        "v2 = v0 @ v1",
        "v3 = torch.tensor([[[-1.5], [-1.0]], [[1.0], [2.0]]], requires_grad=True)",
        "v4 = torch.matmul(v3, torch.tensor([[0.0, -0.0]]))",
        xfail=False,
    ),
    "bitwise_on_floats_checks_shapes_first": _case(
        "& | ^ of float tensors whose shapes do not broadcast: torch reports the shapes first",
        _caught("v0", "torch.ones(2, 3) & torch.ones(4)"),
        _caught("v1", "torch.ones(3) ^ torch.ones(2, dtype=torch.int64)"),
        _caught("v2", "torch.ones(3) | torch.ones(1)"),
        xfail=False,
    ),
    "div_rounding_mode_saves_its_operands": _case(
        "div with a rounding mode saves other (and input when other needs grad), a number "
        "wrapped in a tensor too: a second backward raises, as in torch",
        "v0 = torch.tensor([1.5, -1.5], requires_grad=True)",
        "v1 = torch.div(v0, 2, rounding_mode='trunc').sum()",
        "v1.backward()",
        _caught("v2", "v1.backward()"),
        "v3 = torch.tensor([-2.0, 3.0], requires_grad=True)",
        "v4 = torch.div(v0, v3, rounding_mode='floor').sum()",
        "v4.backward()",
        _caught("v5", "v4.backward()"),
        xfail=False,
    ),
    "bool_to_a_negative_integer_power": _case(
        "a bool tensor to a negative int power is an integer power in torch: refused",
        _caught("v0", "torch.tensor([True, False]) ** -1"),
        _caught("v1", "torch.tensor(True).pow(-2)"),
        _caught("v2", "torch.pow(torch.tensor([True]), -1)"),
        "v3 = torch.pow(2, torch.tensor([1, 2]))",
        _caught("v4", "torch.pow(2, 3)"),
        xfail=False,
    ),
    "setitem_index_error_before_the_view_checks": _case(
        "x[i] = v through a view: torch makes the view first, so a bad index is the error even "
        "on a leaf that requires grad",
        "v0 = torch.ones(4, 1, 2, requires_grad=True)",
        _caught("v1", "v0[4:].__setitem__((-1, -1), -1)"),
        _caught("v2", "v0.__setitem__(9, 1.0)"),
        _caught("v3", "v0.__setitem__(0, 1.0)"),
        xfail=False,
    ),
    "maximum_minimum_ties_keep_the_first": _case(
        "torch.maximum/minimum of 0. and -0. give the first argument (NumPy gives the second)",
        "v0 = torch.tensor([0.0, -0.0, 1.0], dtype=torch.float64, requires_grad=True)",
        "v1 = torch.tensor([-0.0, 0.0, 1.0])",
        "v2 = torch.maximum(v0, v1)",
        "v3 = torch.minimum(v0, v1)",
        "v4 = torch.maximum(v1, v0)",
        "v5 = torch.minimum(v1, v0)",
        "(v2 + v3).sum().backward()",
        "v6 = v0.grad",
        xfail=False,
    ),
    "empty_diagonal_is_a_view": _case(
        "an empty diagonal is still a view: an in-place op on it (or its views) on a leaf raises",
        "v0 = torch.ones(2, 4, 3, requires_grad=True)",
        "v1 = v0.diagonal(-2, 0, -1)",
        _caught("v2", "v1.unsqueeze(0).clamp_(max=0.5)"),
        _caught("v3", "v1.clamp_(max=0.5)"),
        xfail=False,
    ),
    "functional_relu_inplace_is_relu_": _case(
        "F.relu(x, inplace=True) is x.relu_(): torch's bool error, -0. kept, ReluBackward0",
        _caught("v0", "F.relu(torch.tensor([True, False]), inplace=True)"),
        "v1 = torch.tensor([-1.0, -0.0, 2.0], requires_grad=True)",
        "v2 = F.relu(v1 * 1, inplace=True)",
        "v2.sum().backward()",
        "v3 = v1.grad",
        xfail=False,
    ),
    "matmul_3d_onto_batch_of_one_dtype": _case(
        "(B, m, n) @ (1, n, p) with the second requiring grad folds into one mm in torch: its "
        "dtype error is mm's, not bmm's",
        "v0 = torch.tensor([[[0, 1]], [[-2, -2]]])",
        "v1 = torch.tensor([[[-2.0], [3.0]]], dtype=torch.float64, requires_grad=True)",
        _caught("v2", "v0.matmul(v1)"),
        "v3 = torch.tensor([[[1.0, 2.0]], [[3.0, 4.0]]])",
        _caught("v4", "v3 @ v1"),
        xfail=False,
    ),
    "matmul_3d_onto_batch_of_one_grads": _case(
        "(B, m, 1) @ (1, 1, p) folded into one mm: zeros keep their signs in values and grads",
        "v0 = torch.tensor([[[-0.0], [2.0]], [[0.0], [-1.0]]], requires_grad=True)",
        "v1 = torch.tensor([[[-0.0, 0.5]]], requires_grad=True)",
        "v2 = v0 @ v1",
        "v2.backward(torch.tensor([[[1.0, -0.0], [0.0, -1.0]], [[-1.0, 0.0], [1.0, 1.0]]]))",
        xfail=False,
    ),
    "pow_bool_tensor_exponent_backward": _case(
        "x ** bool_tensor: torch's PowBackward1 computes exponent - 1 and refuses the bool",
        "v0 = torch.tensor([1.0, 2.0], requires_grad=True)",
        "v1 = v0 ** torch.tensor([True, False])",
        _caught("v2", "v1.sum().backward()"),
        "v3 = v0.pow(torch.tensor(True))",
        _caught("v4", "v3.sum().backward()"),
        "v5 = v0 ** True",
        "v5.sum().backward()",
        xfail=False,
    ),
    "remainder_grad_is_floor_divide": _case(
        "d(a % b)/db is -(a // b), exact, in the result dtype: not -floor(a / b) rounded",
        "v0 = torch.tensor(500000000.3, dtype=torch.float64, requires_grad=True)",
        "v1 = torch.tensor(0.1, dtype=torch.float64, requires_grad=True)",
        "v2 = v0 % v1",
        "v2.backward()",
        "v3 = v1.grad.item()",
        "v4 = torch.tensor([62300908, -82870167, -64111854, -52637899])",
        "v5 = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)",
        "v6 = (v4.float() % v5).sum()",
        "v6.backward()",
        "v7 = v5.grad.item()",
        xfail=False,
    ),
    "sort_stable_grad_fn": _case(
        "sort with stable= given is torch's sort.stable overload: its grad_fn is SortBackward1",
        "v0 = torch.tensor([2.0, -1.0, 2.0], requires_grad=True)",
        "v1 = v0.sort(dim=0, descending=True, stable=True)",
        "v2 = torch.sort(v0, stable=False)",
        "v3 = v0.sort(stable=None)",
        "v4 = v0.sort(0, True)",
        "v5 = torch.msort(v0)",
        xfail=False,
    ),
    "kthvalue_of_0d_bool": _case(
        "kthvalue of a 0-d bool tensor returns it in torch (no kernel runs); 1-D bool raises",
        "v0 = torch.tensor(True)",
        "v1 = v0.kthvalue(1, dim=-1)",
        "v2 = torch.kthvalue(v0, 1, keepdim=True)",
        "v3 = torch.tensor([True, False])",
        "v4 = v3.kthvalue(1)",
        xfail=False,
    ),
    "index_select_out_of_range_by_dim": _case(
        "an index out of range: torch's IndexError 'index out of range in self', except along "
        "dim 1 of a tensor of 2 or more dims (its other kernel's RuntimeError)",
        "v0 = torch.tensor([[2.0, 1.0, -2.0], [0.5, 2.0, 0.5]])",
        _caught("v1", "torch.index_select(v0, 0, torch.tensor([2]))"),
        _caught("v2", "v0.index_select(-2, torch.tensor([-1]))"),
        _caught("v3", "v0.index_select(1, torch.tensor([3]))"),
        _caught("v4", "v0.t().index_select(1, torch.tensor([-1]))"),
        _caught("v5", "torch.tensor([2.0, -0.5]).index_select(0, torch.tensor([-1, 1]))"),
        _caught("v6", "torch.ones(2, 3, 2).index_select(2, torch.tensor([5]))"),
        _caught("v7", "torch.ones(2, 3, 2).index_select(-2, torch.tensor([5]))"),
        xfail=False,
    ),
    "mse_loss_target_grad_signed_zero": _case(
        "mse_loss's gradient for the target is 2 (y - x) g: where x == y it is +0, not -0",
        "v0 = torch.tensor([2.0, -1.0, 0.5], requires_grad=True)",
        "v1 = torch.tensor([1.5, -1.0, 0.5], requires_grad=True)",
        "v2 = F.mse_loss(v0, v1, reduction='none')",
        "v2.sum().backward()",
        "v3 = torch.tensor([1.0, 0.0], dtype=torch.float64, requires_grad=True)",
        "F.mse_loss(torch.tensor([1.0, 2.0], dtype=torch.float64), v3).backward()",
        xfail=False,
    ),
    "not_implemented_node_next_functions": _case(
        "torch's NotImplemented node (x // y requiring grad) lists only the inputs that require "
        "grad in next_functions, no (None, 0) for the others",
        "v0 = torch.tensor([[2.0, -1.0, 2.0, 3.0]], requires_grad=True)",
        "v1 = v0 // torch.tensor(-1.5, dtype=torch.float64)",
        "v2 = [f if f is None else f.name() for f, _ in v1.grad_fn.next_functions]",
        "v3 = torch.tensor([2.0, 1.0]) // v0[0, :2]",
        "v4 = [f if f is None else f.name() for f, _ in v3.grad_fn.next_functions]",
        "v5 = v0 * 1",
        "v5 //= 2",
        "v6 = [f if f is None else f.name() for f, _ in v5.grad_fn.next_functions]",
        "v7 = v0 * 2",
        "v8 = [f if f is None else f.name() for f, _ in v7.grad_fn.next_functions]",
        xfail=False,
    ),
    "linear_graph_next_functions": _case(
        "nn.Linear's forward is one node in course_lib: torch's is t(weight) into addmm / mm "
        "(and views around them for other than 2-D inputs), so next_functions differ",
        "v0 = nn.Linear(2, 2)\nwith torch.no_grad():\n    v0.weight.copy_(torch.tensor([[1.0, 2.0], "
        "[2.0, -2.0]]))\n    v0.bias.copy_(torch.tensor([1.5, -1.0]))",
        "v1 = torch.tensor([[-0.5, -0.5]], requires_grad=True)",
        "v2 = v0(v1)",
        "v3 = [f if f is None else f.name() for f, _ in v2.grad_fn.next_functions]",
        xfail=False,
    ),
    "sort_positional_dim_with_stable_message": _case(
        "x.sort(1, stable=True): torch's TypeError ends naming the keywords that did not fit "
        "(dim, descending)",
        "v0 = torch.tensor([[0, -3, -2, 0]])",
        _caught("v1", "v0.sort(1, stable=True)"),
        _caught("v2", "torch.argsort(v0, 1, stable=True)"),
        _caught("v3", "v0.sort(1, descending=1)"),
        _caught("v4", "torch.sort(v0, 1, stable=True)"),
        xfail=False,
    ),
    "index_add_alpha_out_of_range_error": _case(
        "index_add_ with alpha != 1 (or along dim 1 of a 3-D tensor) and an index out of range: "
        "torch's IndexError 'index out of range in self'; course_lib the RuntimeError of "
        "torch's alpha == 1 path",
        "v0 = torch.zeros(4, 4)",
        _caught("v1", "v0.index_add_(-2, torch.tensor([-2, 1, -3]), torch.ones(3, 4), alpha=2)"),
        _caught("v2", "torch.zeros(2, 3, 4).index_add_(1, torch.tensor([5]), torch.ones(2, 1, 4))"),
        _caught("v3", "torch.zeros(2, 3, 4).index_add_(2, torch.tensor([5]), torch.ones(2, 3, 1))"),
        _caught("v4", "torch.zeros(4).index_add_(0, torch.tensor([-1]), torch.ones(1))"),
        _caught(
            "v5", "torch.zeros(3, 2).index_add_(0, torch.tensor([3]), torch.ones(1, 2), alpha=True)"
        ),
        xfail=False,
    ),
    "index_copy_partial_write_before_error": _case(
        "index_copy_ / index_add_ write the slices before the first index out of range, then "
        "raise; course_lib checks every index first and writes nothing",
        "v2 = torch.tensor([[[1.5]], [[-0.5]]])",
        _caught("v3", "v2.index_add_(2, torch.tensor([0, -1, 0]), torch.ones(2, 1, 3))"),
        "v0 = torch.tensor([-1.0])",
        _caught(
            "v1", "v0.index_copy_(0, torch.tensor([0, 0, -1]), torch.tensor([0.0, -0.5, 1.5]))"
        ),
    ),
    "sgn_grad_is_a_zero_tensor": _case(
        "torch's gradient of sgn on a real tensor is an 'efficient zero tensor': it prints as "
        "zeros, but its tolist() raises (unallocated storage); course_lib's is plain zeros",
        "v0 = torch.tensor([-2.0, 1.0], requires_grad=True)",
        "torch.sgn(v0).sum().backward()",
        _caught("v1", "v0.grad.tolist()"),
    ),
    "take_saves_its_input": _case(
        "torch's TakeBackward0 saves the input and the index: either changed in place before "
        "backward makes backward raise",
        "v0 = torch.tensor([3.0, -1.5], requires_grad=True)",
        "v1 = v0.index_select(0, torch.tensor([1]))",
        "v2 = torch.take(v1, torch.tensor([0, 0, -1]))",
        "v1.index_fill_(-1, torch.tensor([0]), 2.5)",
        _caught("v3", "v2.sum().backward()"),
        "v4 = torch.tensor([0, 1])",
        "v5 = torch.take(v0, v4)",
        "v4.add_(1)",
        _caught("v6", "v5.sum().backward()"),
        xfail=False,
    ),
    "linear_1d_output_is_a_view": _case(
        "F.linear of a 1-D input: torch's output is a view (squeeze of an mm), so an in-place op "
        "on it gives AsStridedBackward0; course_lib's output is no view",
        "v0 = torch.tensor([2.0, 3.0, 1.5], requires_grad=True)",
        "v1 = torch.tensor([[-2.0, 1.5, 0.5], [3.0, 2.0, 0.0]], requires_grad=True)",
        "v2 = F.linear(v0, v1, torch.tensor([-1.0, 0.0]))",
        "v3 = F.relu(v2, inplace=True)",
        "v4 = torch.ones(2, 2, 3, requires_grad=True)",
        "v5 = F.linear(v4, v1, torch.tensor([-1.0, 0.0]))",
        "v5.mul_(2)",
        "v5.sum().backward()",
        xfail=False,
    ),
    "huber_smooth_l1_target_grads": _case(
        "huber_loss / smooth_l1_loss: the target's gradient is -l'(x - y), the loss's own slope",
        "v0 = torch.tensor(1.5, requires_grad=True)",
        "v1 = torch.tensor(-2.0, requires_grad=True)",
        "F.huber_loss(v0, v1).backward()",
        "v2 = torch.tensor([1.5, 0.2, -1.0, 2.0], requires_grad=True)",
        "v3 = torch.tensor([-2.0, 0.0, 1.0, 2.0], requires_grad=True)",
        "F.smooth_l1_loss(v2, v3, beta=0.5, reduction='none').sum().backward()",
        "v4 = torch.tensor([1.5, 0.2, -1.0, 2.0], requires_grad=True)",
        "nn.HuberLoss(delta=2.0)(v4, v3).backward()",
        xfail=False,
    ),
    "allclose_dtypes_must_match": _case(
        "torch.allclose is isclose(...).all(): two dtypes raise 'Float did not match Bool'",
        "v0 = torch.tensor([[False, True]]).clamp_max(0.5)",
        _caught("v1", "torch.allclose(v0, torch.tensor([[True, False]]))"),
        _caught("v2", "torch.tensor([1]).allclose(torch.tensor([1.0]))"),
        "v3 = torch.allclose(torch.tensor([1.0]), torch.tensor([1.0 + 1e-7]))",
        xfail=False,
    ),
    "median_of_empty_requires_grad": _case(
        "the median of an empty tensor that requires grad is NaN from MedianBackward0",
        "v0 = torch.ones(0, requires_grad=True)",
        "v1 = v0.median()",
        "v1.backward()",
        xfail=False,
    ),
    "masked_fill_saves_its_mask": _case(
        "torch's MaskedFillBackward saves the mask: changing it in place before backward makes "
        "backward raise; course_lib saves nothing",
        "v0 = torch.tensor([-0.5, 0.5, 1.0], requires_grad=True)",
        "v1 = torch.tensor([False, True, False])",
        "v2 = v0.masked_fill(v1, 2.5)",
        "v1.scatter_add_(-1, torch.tensor([2, 2]), torch.tensor([True, True]))",
        _caught("v3", "v2.sum().backward()"),
        xfail=False,
    ),
    "flip_keeps_the_input_layout": _case(
        "torch.flip's result has its input's memory layout: flattening the flip of a transposed "
        "tensor copies (UnsafeViewBackward0 / ReshapeAliasBackward0), it is no view",
        "v0 = torch.tensor([[[-2.0, -2.0], [-1.5, -1.5], [-0.5, 1.0]]], requires_grad=True)",
        "v1 = torch.flip(v0.T, (0, 1))",
        "v2 = v1.flatten()",
        "v3 = torch.flatten(v1, 1)",
        "v4 = v1.is_contiguous()",
        "v5 = torch.flip(torch.ones(2, 3).t(), (0,)).view(-1)",
        xfail=False,
    ),
}


def _program(lines: tuple[str, ...]) -> Program:
    steps = []
    for line in lines:
        left = line.split(" = ")[0]
        target = left if re.fullmatch(r"v\d+", left) else None
        steps.append(Step(line, target, "regression"))
    return Program("regression", tuple(steps))


# torch shows some warnings once per process. These cases run in a fresh Python, twice each:
# the first run must warn as torch does, the second must be as silent as torch.
WARN_ONCE_CASES: dict[str, Case] = {
    "transpose_warning_once": _case(
        "torch warns once per process about x.T on a 1-D tensor; course_lib at every x.T",
        "v0 = torch.tensor([1.0, 2.0])",
        "v1 = v0.T",
        xfail=False,
    ),
    "transpose_0d_warning_once": _case(
        "torch warns once per process about x.T on a 0-d tensor; course_lib at every x.T",
        "v0 = torch.tensor(1.0)",
        "v1 = v0.T",
        xfail=False,
    ),
    "mT_of_0d": _case(
        "x.mT of a 0-d tensor: torch returns it and warns once per process; course_lib is silent",
        "v0 = torch.tensor(2.0)",
        "v1 = v0.mT",
        xfail=False,
    ),
    "float_of_requires_grad_warning": _case(
        "float() of a tensor that requires grad warns once per process in torch",
        "v0 = torch.tensor(1.5, requires_grad=True)",
        "v1 = float(v0)",
        xfail=False,
    ),
}

_TWICE = """
import sys
import course_lib, torch
from fuzz_programs import compare, report, run_program
from test_fuzz_regressions import WARN_ONCE_CASES, _program
program = _program(WARN_ONCE_CASES[sys.argv[1]].lines)
for run in ("first", "second"):
    torch_record, course_record = run_program(torch, program), run_program(course_lib, program)
    found = compare(torch_record, course_record)
    if found is not None:
        sys.exit(f"{run} run: " + report(program, torch_record, course_record, found))
"""


@pytest.mark.fuzz
@pytest.mark.slow  # a fresh Python with torch per case
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=c.reason)) if c.xfail else n
        for n, c in WARN_ONCE_CASES.items()
    ],
)
def test_fuzz_regression_warning_once(torch, name):
    here = Path(__file__).parent
    path = os.pathsep.join(p for p in (str(here), os.environ.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-c", _TWICE, name],
        cwd=here,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.fuzz
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=c.reason)) if c.xfail else n
        for n, c in CASES.items()
    ],
)
def test_fuzz_regression(torch, name):
    program = _program(CASES[name].lines)
    torch_record = run_program(torch, program)
    course_record = run_program(course_lib, program)
    found = compare(torch_record, course_record)
    assert found is None, report(program, torch_record, course_record, found)
