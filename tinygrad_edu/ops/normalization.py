"""Normalization layers: shift and scale activations to zero mean and unit variance.

Both are fused: the forward saves the normalized input x̂ = (x - mean) / √(var + eps) and
1 / √(var + eps), and the backward applies the closed-form gradient in a few array passes
(the chain rule through mean and variance, written out once), instead of a dozen recorded ops.
With M the number of elements averaged together and g = dy·w:

    dx = (1/σ) · (g - mean(g) - x̂ · mean(g · x̂)),   dw = Σ dy · x̂,   db = Σ dy
"""
from __future__ import annotations

from ..autograd.primitive import Primitive, wrap
from ..autograd.raw_backward import once_differentiable
from ..backend import get_array_module


def _affine(xhat, weight, bias, shape):
    y = xhat
    if weight is not None:
        y = y * weight.reshape(shape)
    if bias is not None:
        y = y + bias.reshape(shape)
    return y


def _normalize_backward(g, xhat, inverse_std, axes, keep_shape):
    """dx for x̂ = (x - mean) / σ over `axes`, given g = dL/dx̂ (the formula above)."""
    mean_g = g.mean(axis=axes, keepdims=True)
    mean_gx = (g * xhat).mean(axis=axes, keepdims=True)
    return (g - mean_g - xhat * mean_gx) * inverse_std.reshape(keep_shape)


class BatchNorm(Primitive):
    """y = x̂·w + b, x normalized per channel (axis 1) over the batch and spatial axes;
    training: batch statistics (biased variance), running statistics updated in place with
    the unbiased variance; evaluation: the running statistics, so dx = dy·w/σ."""

    node_name = "NativeBatchNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, *, running_mean, running_var, training, momentum, eps):
        xp = get_array_module(x)
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        if training:
            mean = x.mean(axis=axes)
            centered = x - mean.reshape(shape)
            var = (centered * centered).mean(axis=axes)
            inverse_std = 1 / xp.sqrt(var + eps)
            xhat = centered * inverse_std.reshape(shape)
            if running_mean is not None:
                count = x.size // x.shape[1]
                unbiased = var * count / (count - 1)  # the functional layer ensures count > 1
                _blend(running_mean, mean, momentum)
                _blend(running_var, unbiased, momentum)
        else:
            inverse_std = 1 / xp.sqrt(running_var + eps)
            xhat = (x - running_mean.reshape(shape)) * inverse_std.reshape(shape)
        ctx.save_for_backward(weight, xhat)  # the engine frees them once backward has run
        ctx.inverse_std, ctx.training = inverse_std.astype(x.dtype), training
        return _affine(xhat, weight, bias, shape).astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        weight, xhat = ctx.saved_tensors
        need_x, need_weight, need_bias = ctx.needs_input_grad
        g, xhat = grad_output._data, xhat._data
        axes = (0,) + tuple(range(2, g.ndim))
        shape = (1, -1) + (1,) * (g.ndim - 2)
        dweight = (g * xhat).sum(axis=axes) if need_weight else None
        dbias = g.sum(axis=axes) if need_bias else None
        dx = None
        if need_x:
            scaled = g if weight is None else g * weight._data.reshape(shape)
            if ctx.training:
                dx = _normalize_backward(scaled, xhat, ctx.inverse_std, axes, shape)
            else:  # the statistics are constants: only the scaling remains
                dx = scaled * ctx.inverse_std.reshape(shape)
        return wrap(dx), wrap(dweight), wrap(dbias)


def _blend(running, batch, momentum) -> None:
    """running = (1 - momentum)·running + momentum·batch, in place (torch's update)."""
    running *= 1 - momentum
    running += momentum * batch


class LayerNorm(Primitive):
    """y = x̂·w + b, x normalized over its last `dims` axes (per sample);
    dx, dw, db as in the module docstring (dw, db summed over the leading axes)"""

    node_name = "NativeLayerNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, *, dims, eps):
        xp = get_array_module(x)
        axes = tuple(range(x.ndim - dims, x.ndim))
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        inverse_std = 1 / xp.sqrt(var + eps)
        xhat = centered * inverse_std
        ctx.save_for_backward(weight, xhat)
        ctx.inverse_std, ctx.axes = inverse_std, axes
        y = xhat
        if weight is not None:
            y = y * weight
        if bias is not None:
            y = y + bias
        return y.astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        weight, xhat = ctx.saved_tensors
        need_x, need_weight, need_bias = ctx.needs_input_grad
        g, xhat, axes = grad_output._data, xhat._data, ctx.axes
        leading = tuple(range(g.ndim - len(axes)))
        dweight = (g * xhat).sum(axis=leading) if need_weight else None
        dbias = g.sum(axis=leading) if need_bias else None
        dx = None
        if need_x:
            scaled = g if weight is None else g * weight._data
            dx = _normalize_backward(scaled, xhat, ctx.inverse_std, axes, ctx.inverse_std.shape)
        return wrap(dx), wrap(dweight), wrap(dbias)
