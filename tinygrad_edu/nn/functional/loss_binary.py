"""Binary classification losses: binary_cross_entropy (of probabilities) and
binary_cross_entropy_with_logits (sigmoid fused in, stable for any logit)."""
from __future__ import annotations

from ... import backend
from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import get_array_module
from ...functions._args import broadcast_shapes
from ...functions.dtype_support import INTEGRAL, refuse
from ...functions.pointwise import promote
from ...tensor import Size, Tensor
from ._args import check_tensor, wrap
from .loss import _reduce, _reduction, _upstream

# ----------------------------------------------------------------------------- binary_cross_entropy

_EPSILON = 9.999999960041972e-13  # torch's 1e-12, which it stores as a float32


class BinaryCrossEntropy(Primitive):
    """L = -w·(t·log x + (1-t)·log(1-x)), each log clamped to >= -100 (as torch);
    dx = dL·w·(x - t) / max(x(1-x), 1e-12),  dt = -dL·w·logit(x)"""

    @staticmethod
    def forward(ctx, x, t, *, weight, reduction):
        xp = get_array_module(x)
        loss = (t - 1) * xp.maximum(xp.log1p(-x), -100) - t * xp.maximum(xp.log(x), -100)
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(x, t)
        ctx.weight, ctx.reduction, ctx.count = weight, reduction, loss.size
        return _reduce(loss.astype(x.dtype, copy=False), reduction, x.dtype)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        x, t = (v._data for v in ctx.saved_tensors)
        xp = get_array_module(x)
        g = _upstream(grad_output, ctx.reduction, ctx.count)
        if ctx.weight is not None:
            g = g * ctx.weight
        dx = g * (x - t) / xp.maximum((1 - x) * x, _EPSILON)
        dt = -xp.log(x / (1 - x)) * g if ctx.needs_input_grad[1] else None
        return wrap(dx.astype(x.dtype, copy=False)), wrap(dt)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """-(target log(input) + (1 - target) log(1 - input)), input holding probabilities;
    each log is clamped at -100, as torch does, so the loss stays finite."""
    check_tensor(input, "binary_cross_entropy")
    check_tensor(target, "binary_cross_entropy", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    if input._data.shape != target._data.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    input, target = promote(input, target)
    refuse(input, "binary_cross_entropy", INTEGRAL)
    weights = _expanded_weight(weight, target)
    data = input._data
    if backend.on_host(data):  # value checks: see backend.on_host
        if data.size and not bool(((data >= 0) & (data <= 1)).all()):
            raise RuntimeError("all elements of input should be between 0 and 1")
        if target._data.size and not bool(((target._data >= 0) & (target._data <= 1)).all()):
            raise RuntimeError("all elements of target should be between 0 and 1")
    return BinaryCrossEntropy.apply(input, target, weight=weights, reduction=reduction)


def _expanded_weight(weight, target):
    if weight is None:
        return None
    shape = broadcast_shapes(target._data.shape, weight._data.shape)
    if tuple(shape) != tuple(target._data.shape):
        raise RuntimeError(f"The size of tensor a ({shape[-1]}) must match the size of tensor b "
                           f"({target._data.shape[-1]}) at non-singleton dimension "
                           f"{len(shape) - 1}")
    return weight._data.astype(target._data.dtype, copy=False)


# ----------------------------------------------------------------------------- with logits

class BinaryCrossEntropyWithLogits(Primitive):
    """sigmoid and binary cross-entropy fused (stable for any logit x), pos_weight p:
    L = w·((1-t)·x - (1 + (p-1)t)·log σ(x)),  log σ(x) = min(x, 0) - log(1 + e^-|x|);
    dx = dL·w·((1 + (p-1)t)·σ(x) - p·t),  dt = dL·w·(log σ(-x) - p·log σ(x))"""

    @staticmethod
    def forward(ctx, x, t, *, weight, pos_weight, reduction):
        xp = get_array_module(x)
        log_sigmoid = xp.minimum(x, 0) - xp.log1p(xp.exp(-xp.abs(x)))
        scaled = log_sigmoid if pos_weight is None else log_sigmoid * ((pos_weight - 1) * t + 1)
        loss = (1 - t) * x - scaled
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(x, t)
        ctx.weights, ctx.reduction, ctx.count = (weight, pos_weight), reduction, loss.size
        return _reduce(loss.astype(x.dtype, copy=False), reduction, x.dtype)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        x, t = (v._data for v in ctx.saved_tensors)
        weight, pos_weight = ctx.weights
        xp = get_array_module(x)
        g = _upstream(grad_output, ctx.reduction, ctx.count)
        if weight is not None:
            g = g * weight
        e = xp.exp(-xp.abs(x))
        sigmoid = xp.where(x >= 0, 1 / (1 + e), e / (1 + e))
        if pos_weight is None:
            dx = (sigmoid - t) * g
        else:
            positive = pos_weight * t
            dx = ((positive + 1 - t) * sigmoid - positive) * g
        dt = None
        if ctx.needs_input_grad[1]:
            if pos_weight is None:
                dt = -x * g
            else:
                log_sigmoid = xp.minimum(x, 0) - xp.log1p(e)
                dt = (log_sigmoid - x - pos_weight * log_sigmoid) * g
        return wrap(dx.astype(x.dtype, copy=False)), wrap(dt)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None, size_average=None,
                                     reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """binary_cross_entropy(sigmoid(input), target) fused and stable for any logits;
    pos_weight scales the loss of positive targets (per class, broadcast)."""
    check_tensor(input, "binary_cross_entropy_with_logits")
    check_tensor(target, "binary_cross_entropy_with_logits", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    if input._data.shape != target._data.shape:
        raise ValueError(f"Target size ({Size(target._data.shape)!r}) must be the same as input "
                         f"size ({Size(input._data.shape)!r})")
    input, target = promote(input, target)
    refuse(input, "log_sigmoid_cpu", INTEGRAL)
    dtype = input._data.dtype
    shape = input._data.shape  # torch's errors, in torch's order: pos_weight * target first
    if pos_weight is not None:
        shape = broadcast_shapes(pos_weight._data.shape, shape)
    if weight is not None:
        broadcast_shapes(shape, weight._data.shape)
    return BinaryCrossEntropyWithLogits.apply(
        input, target, weight=None if weight is None else weight._data.astype(dtype),
        pos_weight=None if pos_weight is None else pos_weight._data.astype(dtype),
        reduction=reduction)
