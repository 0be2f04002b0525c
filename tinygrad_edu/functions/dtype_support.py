"""Which dtypes torch's kernels refuse, and the error torch raises when asked for one.

NumPy computes in any dtype; torch compiles each kernel for a list of dtypes only, and refuses
the others: `torch.abs` of a bool tensor raises NotImplementedError('"abs_cpu" not implemented
for 'Bool''). The public functions call `refuse` (or `refuse_with` for the kernels that explain
themselves in a sentence of their own) with torch's kernel name and the dtypes it has no version
for, on the dtype the kernel would compute in (after promotion, for two operands).
"""
from __future__ import annotations

from .. import dtypes
from ..tensor import Tensor
from . import promotion

# the dtypes that torch's kernels leave out, by the families its dispatch macros name
BOOL = frozenset({"bool"})
INTEGRAL = frozenset({"bool", "uint8", "int8", "int16", "int32", "int64"})  # not floating point
INTEGRAL_BUT_LONG = INTEGRAL - {"int64"}  # avg_pool, conv_transpose: int64 is compiled

SUBTRACT_BOOLS = ("Subtraction, the `-` operator, with two bool tensors is not supported. Use "
                  "the `^` or `logical_xor()` operator instead.")
SUBTRACT_BOOL = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                 "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
NEGATE_BOOL = ("Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
               "to invert a mask, use the `~` or `logical_not()` operator instead.")
INTEGER_ADDCDIV = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
    "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
    "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
    "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
    "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
    "for all dtypes.")


def _dtype(value):
    """The dtype of a tensor, or the dtype itself."""
    return value.dtype if isinstance(value, Tensor) else value


def refuse(value, kernel: str, refused: frozenset = BOOL) -> None:
    """torch's NotImplementedError when `kernel` has no version for value's dtype (a tensor or
    a dtype: the one the kernel would compute in)."""
    dtype = _dtype(value)
    if dtype.name in refused:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dtype.scalar_name}'")


def refuse_with(value, refused: frozenset, message: str) -> None:
    """torch's RuntimeError `message`, for the kernels that check the dtype in words of their
    own ("Boolean inputs not supported for relu")."""
    if _dtype(value).name in refused:
        raise RuntimeError(message)


def is_bool(value) -> bool:
    """A bool tensor or a Python bool."""
    return isinstance(value, bool) or (isinstance(value, Tensor) and value.dtype is dtypes.bool_)


def check_subtraction(input, other) -> None:
    """torch refuses `-` with bool operands (a mask is inverted with `~`)."""
    if is_bool(input) or is_bool(other):
        raise RuntimeError(SUBTRACT_BOOLS if is_bool(input) and is_bool(other) else
                           SUBTRACT_BOOL)


def check_alpha(alpha, *operands) -> None:
    """add/sub's `alpha` must be of the result's kind: no float alpha for integral results, no
    bool alpha but for bool results."""
    if type(alpha) is int:  # the common case, first: every add and sub passes here
        return
    dtype = promotion.result_type(*operands)
    if isinstance(alpha, bool) and dtype is not dtypes.bool_:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, float) and not dtype.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
