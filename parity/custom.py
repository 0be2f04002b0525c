"""Checking your own autograd.Function: against torch, or against finite differences.

    check_function(MySigmoid.apply, torch.sigmoid, [x])   # values and gradients vs torch
    check_gradient(MySigmoid.apply, [x])                  # gradients vs finite differences

Inputs are NumPy arrays (hypothesis draws them with parity.strategies); floating ones get
requires_grad. Both raise an AssertionError (ParityError) that shows the worst element.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

import tinygrad_edu

from .check import ParityError, check_op


def check_function(function: Callable, reference: Callable, inputs, **tolerances) -> float:
    """Compare `function` (on tinygrad_edu tensors) with `reference` (on torch tensors): outputs
    and input gradients. Returns the worst relative difference."""
    def both(lib, *tensors):
        return reference(*tensors) if lib.__name__ == "torch" else function(*tensors)
    return check_op(both, inputs, **tolerances)


def check_gradient(function: Callable, inputs, eps: float = 1e-6, atol: float = 1e-5,
                   rtol: float = 1e-3) -> None:
    """Compare `function`'s backward with central finite differences, in float64, without
    torch (tinygrad_edu.autograd.gradcheck). Inputs of other dtypes are converted."""
    tensors = tuple(tinygrad_edu.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)
                    for a in inputs)
    try:
        tinygrad_edu.autograd.gradcheck(function, tensors, eps=eps, atol=atol, rtol=rtol)
    except RuntimeError as error:
        raise ParityError(str(error)) from None
