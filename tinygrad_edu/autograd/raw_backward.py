"""`once_differentiable`: for the fused kernels whose backward computes on raw arrays, for speed.

Such a backward is not made of Tensor ops, so it cannot be recorded for a second derivative. The
decorator runs it without recording and, under `create_graph=True`, puts a `DelayedError` node in
the graph so that differentiating it again raises a clear error instead of a wrong zero.
"""
from __future__ import annotations

import functools

from ..tensor_base import TensorBase
from . import grad_mode
from .primitive import Primitive


def once_differentiable(backward):
    """Decorate a backward that works on raw arrays: differentiating it again raises clearly."""
    @functools.wraps(backward)
    def wrapper(ctx, *grad_outputs):
        if not grad_mode.state.enabled:  # a plain backward(): nothing to record, no switch
            return backward(ctx, *grad_outputs)
        with grad_mode.no_grad():
            grads = backward(ctx, *grad_outputs)
        if not any(isinstance(g, TensorBase) and g._requires_grad for g in grad_outputs):
            return grads
        single = not isinstance(grads, tuple)
        grads = (grads,) if single else grads
        anchor = next(g for g in grad_outputs if isinstance(g, TensorBase) and g._requires_grad)
        name = ctx.name()
        grads = tuple(g if g is None else DelayedError.apply(g, anchor, name=name) for g in grads)
        return grads[0] if single else grads
    return wrapper


class DelayedError(Primitive):
    """Stands where a once-differentiable backward was recorded; differentiating it raises."""

    @staticmethod
    def forward(ctx, x, anchor, *, name):
        ctx.name_of_op = name
        return x

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError(f"trying to differentiate twice a function that was marked with "
                           f"@once_differentiable ({ctx.name_of_op}: its backward is computed on "
                           "raw arrays, so its second derivative is not available)")
