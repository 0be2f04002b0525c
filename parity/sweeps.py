"""Sweeps over every registered op, beyond its drawn float examples.

    from parity.sweeps import bad_outcomes, dtype_outcomes, layout_fn, value_outcome

`dtype_outcomes(spec)` runs the op's simplest example again with its floating inputs cast to
bool, uint8, int32, int64 and float16, in torch and here: where torch computes, we must compute
the same values in the same dtype; where torch raises (a dtype it refuses, the bad input of that
op), we must raise the same exception type with torch's key phrase in the message.

`layout_fn(fn, layout)` and `layout_arrays(arrays, layout)` feed an op non-contiguous inputs
(a transposed view, or every other element of a wider tensor) whose values are the example's,
so that strides are exercised as well as values.

`value_outcome(spec)` compares values and gradients at ±0, ±inf, NaN and ties (and a zero
vector for reductions); `bad_outcomes(spec, ...)` compares the errors for a list in place of a
tensor, shapes that do not broadcast and a dim out of range.
"""
from __future__ import annotations

import re

import numpy as np
import torch

import tinygrad_edu

from .check import ParityError, _outputs, _to_numpy, check_op, compare_arrays

SWEEP_DTYPES = ("bool", "uint8", "int32", "int64", "float16")
LAYOUTS = ("contiguous", "transposed", "sliced")


def key_phrase(message: str) -> str:
    """The part of torch's message that names the problem: its first line up to the first
    number, quote or parenthesis (which name this call's particulars), or the whole line."""
    line = message.strip().splitlines()[0] if message.strip() else ""
    prefix = re.split(r"[0-9'\"(\[]", line, maxsplit=1)[0].strip()
    return prefix if len(prefix) >= 12 else line


def _cast(array, dtype: str):
    if not isinstance(array, np.ndarray) or array.dtype.kind != "f":
        return array
    if dtype == "bool":
        return np.asarray(array > 0)
    if dtype == "float16":
        return array.astype(np.float16)
    return np.asarray(np.round(np.abs(array) if dtype == "uint8" else array).astype(dtype))


def same_outcome(call, arrays) -> None:
    """call(lib, *tensors) without gradients: the same values and dtypes as torch, or the same
    error. Raises ParityError on a difference."""
    outcomes = []
    for lib in (torch, tinygrad_edu):
        tensors = [lib.tensor(a.copy()) if isinstance(a, np.ndarray) else a for a in arrays]
        try:
            outcomes.append((None, _outputs(call(lib, *tensors))))
        except Exception as error:  # noqa: BLE001 - the error is what is compared
            outcomes.append((error, None))
    (their_error, theirs), (our_error, ours) = outcomes
    if their_error is not None:
        phrase = key_phrase(str(their_error))
        if our_error is None:
            raise ParityError(f"torch raises {type(their_error).__name__}: {their_error}; "
                              "we return a value")
        if type(our_error).__name__ != type(their_error).__name__ or phrase not in str(our_error):
            raise ParityError(f"torch raises {type(their_error).__name__}: {phrase!r}; we raise "
                              f"{type(our_error).__name__}: {our_error}")
        return
    if our_error is not None:
        raise ParityError(f"torch computes; we raise {type(our_error).__name__}: {our_error}")
    if len(ours) != len(theirs):
        raise ParityError(f"{len(ours)} outputs, torch gives {len(theirs)}")
    for i, (o, t) in enumerate(zip(ours, theirs)):
        compare_arrays(_to_numpy(o), _to_numpy(t), 1e-3, 1e-3, f"output {i}")


def dtype_outcomes(spec, arrays, options) -> dict[str, str]:
    """dtype -> the difference from torch ('' where the outcome is the same)."""
    found = {}
    for dtype in SWEEP_DTYPES:
        cast = [_cast(a, dtype) for a in arrays]
        try:
            with np.errstate(all="ignore"):
                same_outcome(lambda lib, *t: spec.fn(lib, *t, **options), cast)
            found[dtype] = ""
        except ParityError as error:
            found[dtype] = str(error)
    return found


# ----------------------------------------------------------------------------- layouts

def layout_arrays(arrays, layout: str):
    """The leaves to create so that `layout_fn` views give back `arrays`' values."""
    if layout == "contiguous":
        return arrays
    made = []
    for a in arrays:
        if not isinstance(a, np.ndarray) or a.dtype.kind != "f" or a.ndim == 0:
            made.append(a)
        elif layout == "transposed":
            made.append(np.ascontiguousarray(np.swapaxes(a, 0, -1)))
        else:  # sliced: a's elements at the even positions of a last axis twice as long
            wide = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), dtype=a.dtype)
            wide[..., ::2] = a
            wide[..., 1::2] = 7.0
            made.append(wide)
    return made


def _view(t, layout: str):
    if layout == "contiguous" or not hasattr(t, "shape") or len(t.shape) == 0 \
            or not t.is_floating_point():
        return t
    return t.transpose(0, -1) if layout == "transposed" else t[..., ::2]


def layout_fn(fn, layout: str):
    """fn, given non-contiguous views of its leaves (see layout_arrays)."""
    if layout == "contiguous":
        return fn
    return lambda lib, *tensors, **options: fn(lib, *[_view(t, layout) for t in tensors],
                                               **options)


# ----------------------------------------------------------------------------- special values

# Where derivatives have special cases: zeros of both signs, infinities, NaN, ties (repeats).
SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.5, -2.0, 1.5])


def special_arrays(spec, dtype: str = "float64"):
    """The op's inputs made of SPECIAL values, or None for ops of other categories: a unary
    op gets every value; a binary op every pair; a reduction a (3, n) matrix: one row ordinary,
    one with every special value, one of zeros."""
    values = SPECIAL.astype(dtype)
    if spec.category == "unary":  # (every pair of a binary op side by side, not broadcast:
                                  # a sum over a broadcast axis would hide a wrong element)
        return [values]
    if spec.category == "binary" and spec.name not in ("where", "masked_fill", "lerp",
                                                       "lerp_scalar", "addcmul", "addcdiv"):
        return [np.repeat(values, len(values)), np.tile(values, len(values))]
    if spec.category == "reduction" and spec.name in REDUCTIONS:
        ordinary = np.linspace(-1.0, 2.0, len(values)).astype(dtype)
        return [np.stack([ordinary, values, np.zeros_like(values)])]  # and a zero vector
    return None


# reductions compared at the special values: over everything, and along dim 1 (rows: ordinary,
# special values, all zeros) for the ones that take a dim
REDUCTIONS = {"sum": True, "mean": True, "prod": True, "amax": True, "amin": True, "norm": True,
              "max_all": False, "min_all": False}


def value_outcome(spec) -> str:
    """'' if the op gives torch's values and gradients at the special values (NaN where torch
    has NaN), else the difference."""
    arrays = special_arrays(spec)
    if arrays is None:
        return ""
    variants = [{}] + ([{"dim": 1}] if REDUCTIONS.get(spec.name) else [])
    for options in variants:
        try:
            with np.errstate(all="ignore"):
                check_op(lambda lib, *t, o=options: spec.fn(lib, *t, **o), arrays,
                         grad=spec.grad)
        except ParityError as error:
            return f"{options or ''} " + str(error).replace("\n", " ")
        except Exception as error:  # noqa: BLE001 - a crash here is a difference too
            return f"{options or ''} {type(error).__name__}: {error}"
    return ""


# ----------------------------------------------------------------------------- bad input

def bad_inputs(spec, arrays, options) -> dict[str, tuple]:
    """Bad variants of an example: name -> (arrays, options). Every op gets a Python list in
    place of its first tensor; a binary op, operands whose shapes do not broadcast; an op with
    a dim, a dim out of range."""
    cases = {}
    first = next((i for i, a in enumerate(arrays) if isinstance(a, np.ndarray)), None)
    if first is not None:
        listed = list(arrays)
        listed[first] = arrays[first].tolist() if arrays[first].ndim else [arrays[first].item()]
        cases["a list for a tensor"] = (listed, options)
    if spec.category == "binary" and len(arrays) >= 2:
        cases["shapes that do not broadcast"] = (
            [np.ones((2, 3)), np.ones((4,))] + list(arrays[2:]), options)
    if isinstance(options.get("dim"), int):
        cases["dim out of range"] = (arrays, {**options, "dim": 7})
    return cases


def bad_outcomes(spec, arrays, options) -> dict[str, str]:
    """case -> the difference from torch ('' where both raise alike, or both compute alike)."""
    found = {}
    for case, (bad_arrays, bad_options) in bad_inputs(spec, arrays, options).items():
        try:
            with np.errstate(all="ignore"):
                same_outcome(lambda lib, *t, o=bad_options: spec.fn(lib, *t, **o), bad_arrays)
            found[case] = ""
        except ParityError as error:
            found[case] = str(error)
    return found
