"""Losses: a prediction and a target in, one number (or one per element) out.

Each loss is one fused op computed on raw arrays, forward and backward (the backward is
`once_differentiable`: a second derivative of a loss is rarely needed). `reduction` is 'none'
(per element), 'sum', or 'mean'; for the backward, `_upstream` turns the incoming gradient
into the gradient of each element's loss. Broadcast inputs are summed back by the engine.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive, wrap
from ..autograd.raw_backward import once_differentiable
from ..backend import get_array_module


def _reduce(loss, reduction, dtype):
    if reduction == "none":
        return loss
    total = loss.sum() if reduction == "sum" else loss.mean()
    return get_array_module(loss).asarray(total, dtype=dtype)


def _upstream(grad_output, reduction, count):
    """d(reduced loss)/d(loss of each element), times the incoming gradient."""
    g = grad_output._data
    return g / count if reduction == "mean" else g


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


# ----------------------------------------------------------------------------- classification

def _samples(x, target=None):
    """x as (N, C, S) and class targets as (N, S), from (C,), (N, C) or (N, C, d1, ...)."""
    n, classes = (1, x.shape[0]) if x.ndim == 1 else x.shape[:2]
    spatial = 1
    for size in x.shape[2:]:
        spatial *= size
    x = x.reshape(n, classes, spatial)
    return x if target is None else (x, target.reshape(n, spatial))


def _picked(xp, target, ignore_index, weight, dtype):
    """For class targets (N, S): the class each sample is scored on (0 for ignored ones), the
    samples that count (None: all), and each sample's weight w[target] (None: all 1).
    ignore_index is None when the functional layer found no target to ignore."""
    if ignore_index is None:
        return target, None, None if weight is None else weight[target]
    valid = target != ignore_index
    safe = xp.where(valid, target, 0)
    sample_weight = valid.astype(dtype) if weight is None else weight[safe] * valid
    return safe, valid, sample_weight


def _total(per_sample, sample_weight, reduction):
    """Reduce per-sample losses; 'mean' divides by the summed sample weights (torch's nll)."""
    xp = get_array_module(per_sample)
    if reduction == "none":
        return per_sample, None
    if reduction == "sum":
        return xp.asarray(per_sample.sum()), None
    if sample_weight is None:  # every sample counts fully: Σ L_n / N (0/0 = NaN for none)
        return xp.asarray(per_sample.sum() / per_sample.size if per_sample.size else xp.nan,
                          dtype=per_sample.dtype), per_sample.size
    denominator = sample_weight.sum()
    return xp.asarray(per_sample.sum() / denominator), denominator


def _upstream_per_sample(xp, g, reduction, denominator, shape):
    """The gradient reaching each sample's loss: dL/Σw for 'mean' (0 when every target is
    ignored: torch's gradient is then 0, though the loss is 0/0 = NaN), dL for 'sum',
    dL_n for 'none'."""
    if reduction == "none":
        return g.reshape(shape)
    if reduction == "sum":
        return g
    if isinstance(denominator, int):
        return g / denominator if denominator else g * 0
    return xp.where(denominator != 0, g / denominator, 0).astype(g.dtype, copy=False)


def _times(a, b):
    return a if b is None else a * b


class NllLoss(Primitive):
    """L_n = -w[t_n]·x[n, t_n] (x holds log-probabilities; 0 where t_n == ignore_index);
    mean: Σ L_n / Σ w[t_n].  dx[n, t_n] = -w[t_n]·dL_n, 0 elsewhere
    (x is (C,), (N, C) or (N, C, d1, ...), handled as (N, C, S))"""

    @staticmethod
    def forward(ctx, x, *, target, weight, ignore_index, reduction):
        xp = get_array_module(x)
        x_shape, target_shape = x.shape, target.shape
        x, target = _samples(x, target)
        n, _, s = x.shape
        safe, _, sample_weight = _picked(xp, target, ignore_index, weight, x.dtype)
        rows, columns = xp.arange(n)[:, None], xp.arange(s)[None, :]
        per_sample = _times(-x[rows, safe, columns], sample_weight)
        loss, denominator = _total(per_sample, sample_weight, reduction)
        ctx.saved = (x.shape, x_shape, safe, sample_weight, denominator, reduction)
        out = loss.reshape(target_shape) if reduction == "none" else loss
        return out.astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        shape, x_shape, safe, sample_weight, denominator, reduction = ctx.saved
        xp = get_array_module(grad_output._data)
        g = _upstream_per_sample(xp, grad_output._data, reduction, denominator, safe.shape)
        grad = xp.zeros(shape, dtype=g.dtype)
        rows, columns = xp.arange(shape[0])[:, None], xp.arange(shape[2])[None, :]
        grad[rows, safe, columns] = -_times(g, sample_weight)  # one entry per sample
        return wrap(grad.reshape(x_shape))


class NllLoss2d(NllLoss):
    """nll_loss of (N, C, H, W) inputs (torch records it under this name)"""

    node_name = "NllLoss2DBackward0"


class CrossEntropy(Primitive):
    """log_softmax and nll_loss fused (stable for any logits), with label smoothing ε:
    L_n = (1-ε)·w[t_n]·(-p̂[n, t_n]) + (ε/C)·Σ_c w_c·(-p̂[n, c]),  p̂ = log_softmax(x) over C;
    dx[n, c] = dL_n·((1-ε)·w[t_n] + (ε/C)·Σw)·softmax(x)[n, c] - dL_n·((1-ε)·w[t_n]·[c = t_n]
    + (ε/C)·w_c).  x is (N, C, S), t (N, S); mean divides by Σ w[t_n], as nll_loss does."""

    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, x, *, target, weight, ignore_index, reduction, label_smoothing):
        xp = get_array_module(x)
        x_shape, target_shape = x.shape, target.shape
        x, target = _samples(x, target)
        n, classes, s = x.shape
        shifted = x - x.max(axis=1, keepdims=True)
        exp = xp.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        log_total = xp.log(total[:, 0])  # log_softmax = shifted - log_total, per sample
        safe, valid, sample_weight = _picked(xp, target, ignore_index, weight, x.dtype)
        rows, columns = xp.arange(n)[:, None], xp.arange(s)[None, :]
        per_sample = _times(log_total - shifted[rows, safe, columns], sample_weight)
        if label_smoothing:
            log_probability = shifted - log_total[:, None]
            scaled = log_probability if weight is None else log_probability * weight[:, None]
            smooth = _times(-scaled.sum(axis=1), valid)
            per_sample = (1 - label_smoothing) * per_sample + label_smoothing / classes * smooth
        loss, denominator = _total(per_sample, sample_weight, reduction)
        ctx.save_for_backward(exp)  # the engine frees it once backward has run
        ctx.saved = (total, safe, valid, sample_weight, denominator, rows, columns)
        ctx.options = (weight, reduction, label_smoothing, x_shape)
        out = loss.reshape(target_shape) if reduction == "none" else loss
        return out.astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        exp = ctx.saved_tensors[0]._data
        total, safe, valid, sample_weight, denominator, rows, columns = ctx.saved
        weight, reduction, smoothing, x_shape = ctx.options
        xp = get_array_module(exp)
        n, classes, s = exp.shape
        g = _upstream_per_sample(xp, grad_output._data, reduction, denominator, (n, s))
        picked_scale = _times(g * (1 - smoothing) if smoothing else g, sample_weight)
        spread_scale = picked_scale
        if smoothing:
            weight_sum = classes if weight is None else weight.sum()
            spread_scale = picked_scale + _times(g * (smoothing / classes * weight_sum), valid)
        grad = exp * (_per_class(spread_scale) / total)              # softmax · scale
        grad[rows, safe, columns] -= picked_scale
        if smoothing:
            class_weight = xp.ones(classes, dtype=exp.dtype) if weight is None else weight
            grad -= class_weight[:, None] * _per_class(_times(g * (smoothing / classes), valid))
        return wrap(grad.astype(exp.dtype, copy=False).reshape(x_shape))


def _per_class(per_sample):
    """A per-sample (N, S) array as (N, 1, S), to broadcast over the classes (0-d: as is)."""
    return per_sample[:, None] if per_sample.ndim else per_sample


class CrossEntropyWithProbabilities(Primitive):
    """Targets are class probabilities t (smoothed: t' = (1-ε)t + ε/C):
    L_n = -Σ_c w_c·t'[n, c]·log_softmax(x)[n, c];  mean divides by the number of samples;
    dx = dL·(softmax(x)·Σ_c w_c t'_c - w·t'),  dt = -dL·(1-ε)·w·log_softmax(x)"""

    @staticmethod
    def forward(ctx, x, t, *, weight, reduction, label_smoothing):
        xp = get_array_module(x)
        x_shape = x.shape
        x = _samples(x)
        t = t.reshape(x.shape)  # the same layout as the input: (N, C, S)
        classes = x.shape[1]
        shifted = x - x.max(axis=1, keepdims=True)
        log_probability = shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))
        smoothed = t * (1 - label_smoothing) + label_smoothing / classes if label_smoothing \
            else t
        weighted = smoothed if weight is None else smoothed * weight[:, None]
        per_sample = -(log_probability * weighted).sum(axis=1)
        count = per_sample.size
        loss = per_sample.reshape(x_shape[:1] + x_shape[2:] if len(x_shape) > 1 else ()) \
            if reduction == "none" else xp.asarray(
                per_sample.sum() / count if reduction == "mean" else per_sample.sum())
        ctx.save_for_backward(log_probability, weighted)
        ctx.count = count
        ctx.options = (weight, reduction, label_smoothing, x_shape)
        return loss.astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        log_probability, weighted = (t._data for t in ctx.saved_tensors)
        count = ctx.count
        weight, reduction, smoothing, x_shape = ctx.options
        xp = get_array_module(log_probability)
        g = _upstream(grad_output, reduction, count)
        if reduction == "none":  # one gradient per sample: spread over the classes
            n, _, s = log_probability.shape
            g = g.reshape(n, 1, s)
        dx = (xp.exp(log_probability) * weighted.sum(axis=1, keepdims=True) - weighted) * g
        dt = None
        if ctx.needs_input_grad[1]:
            scaled = log_probability if weight is None else log_probability * weight[:, None]
            dt = (-(1 - smoothing) * scaled * g).reshape(x_shape)
        return wrap(dx.reshape(x_shape)), wrap(dt)


# ----------------------------------------------------------------------------- binary

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
