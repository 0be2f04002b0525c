"""Losses: a prediction and a target in, one number (or one per element) out. Here the
regression losses and what every loss shares; the classification losses are in
loss_classification.py and loss_binary.py.

Each loss is one fused kernel computed on raw arrays, forward and backward (the backward is
`once_differentiable`: a second derivative of a loss is rarely needed). `reduction` is 'none'
(per element), 'sum', or 'mean'; for the backward, `_upstream` turns the incoming gradient
into the gradient of each element's loss. Broadcast inputs are summed back by the engine.
The functions check their arguments as torch does, in torch's words.
"""
from __future__ import annotations

import warnings

from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import get_array_module
from ...functions._args import broadcast_shapes
from ...functions.pointwise import promote
from ...tensor import Tensor
from ._args import check_tensor, scalar_name, wrap


def _reduce(loss, reduction, dtype):
    if reduction == "none":
        return loss
    total = loss.sum() if reduction == "sum" else loss.mean()
    return get_array_module(loss).asarray(total, dtype=dtype)


def _upstream(grad_output, reduction, count):
    """d(reduced loss)/d(loss of each element), times the incoming gradient."""
    g = grad_output._data
    return g / count if reduction == "mean" else g


# ----------------------------------------------------------------------------- reduction

def _reduction(size_average, reduce, reduction: str) -> str:
    """The reduction to use, from the legacy size_average/reduce flags when given."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", UserWarning, stacklevel=3)
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _pair(name, input, target, float_kernel=None):
    """Checks for elementwise losses: tensors, torch's size warning, broadcastable shapes."""
    check_tensor(input, name)
    check_tensor(target, name, "target", 2)
    if input._data.shape != target._data.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=3)
        broadcast_shapes(input._data.shape, target._data.shape)  # torch's error if they clash
    input, target = promote(input, target)
    if float_kernel and input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{float_kernel}\" not implemented for "
                                  f"'{scalar_name(input)}'")
    return input, target


def _weighted(loss: Tensor, weight: Tensor, input: Tensor, reduction: str, by_weight: bool):
    """torch's weight= for the regression losses: elementwise, same size as the input."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.sum() / weight.sum() if by_weight else weighted.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     "'sum'.")


# ----------------------------------------------------------------------------- regression

class MseLoss(Primitive):
    """L = (x - t)²;  dx = 2(x - t)·dL,  dt = -dx"""

    @staticmethod
    def forward(ctx, x, t, *, reduction):
        difference = x - t
        ctx.save_for_backward(difference)
        ctx.reduction = reduction
        return _reduce(difference * difference, reduction, difference.dtype)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        d = ctx.saved_tensors[0]._data
        dx = 2 * d * _upstream(grad_output, ctx.reduction, d.size)
        return wrap(dx), wrap(-dx) if ctx.needs_input_grad[1] else None


class SmoothL1Loss(Primitive):
    """L = ½(x - t)²/β where |x - t| < β, |x - t| - ½β elsewhere;
    dx = clamp((x - t)/β, -1, 1)·dL,  dt = -dx"""

    @staticmethod
    def forward(ctx, x, t, *, reduction, beta):
        xp = get_array_module(x)
        difference = x - t
        z = xp.abs(difference)
        ctx.save_for_backward(difference)
        ctx.reduction, ctx.beta = reduction, beta
        loss = xp.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)
        return _reduce(loss.astype(x.dtype, copy=False), reduction, x.dtype)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        d, beta = ctx.saved_tensors[0]._data, ctx.beta
        slope = get_array_module(d).clip(d / beta, -1, 1)
        dx = slope * _upstream(grad_output, ctx.reduction, d.size)
        return wrap(dx), wrap(-dx) if ctx.needs_input_grad[1] else None


class HuberLoss(Primitive):
    """L = ½(x - t)² where |x - t| < δ, δ(|x - t| - ½δ) elsewhere;
    dx = clamp(x - t, -δ, δ)·dL,  dt = -dx"""

    @staticmethod
    def forward(ctx, x, t, *, reduction, delta):
        xp = get_array_module(x)
        difference = x - t
        z = xp.abs(difference)
        ctx.save_for_backward(difference)
        ctx.reduction, ctx.delta = reduction, delta
        loss = xp.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
        return _reduce(loss.astype(x.dtype, copy=False), reduction, x.dtype)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        d, delta = ctx.saved_tensors[0]._data, ctx.delta
        slope = get_array_module(d).clip(d, -delta, delta)
        dx = slope * _upstream(grad_output, ctx.reduction, d.size)
        return wrap(dx), wrap(-dx) if ctx.needs_input_grad[1] else None


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
             reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """(input - target)², reduced: the mean squared error by default."""
    input, target = _pair("mse_loss", input, target, "mse_cpu")
    if weight is not None:
        if size_average is not None or reduce is not None:
            reduction = _reduction(size_average, reduce, reduction)
        return _weighted((input - target) ** 2, weight, input, reduction, by_weight=True)
    reduction = _reduction(size_average, reduce, reduction)
    return MseLoss.apply(input, target, reduction=reduction)


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
            reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """|input - target|, reduced (composed of sub, abs and mean, as torch records it)."""
    input, target = _pair("l1_loss", input, target)
    if weight is not None:
        if size_average is not None or reduce is not None:
            reduction = _reduction(size_average, reduce, reduction)
        return _weighted((input - target).abs(), weight, input, reduction, by_weight=True)
    reduction = _reduction(size_average, reduce, reduction)
    loss = (input - target).abs()
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.mean()


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d² / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = input - target)."""
    input, target = _pair("smooth_l1_loss", input, target, "smooth_l1_cpu")
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    return SmoothL1Loss.apply(input, target, reduction=reduction, beta=beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d² where |d| < delta, delta (|d| - 0.5 delta) elsewhere (d = input - target)."""
    input, target = _pair("huber_loss", input, target, "huber_cpu")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:
        loss = HuberLoss.apply(input, target, reduction="none", delta=delta)
        return _weighted(loss, weight, input, reduction, by_weight=False)
    return HuberLoss.apply(input, target, reduction=_reduction(None, None, reduction),
                               delta=delta)
