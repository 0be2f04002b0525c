"""batch_norm and layer_norm: shift and scale activations to zero mean and unit variance.

Both are fused: the forward saves the normalized input x̂ = (x - mean) / √(var + eps) and
1 / √(var + eps), and the backward applies the closed-form gradient in a few array passes
(the chain rule through mean and variance, written out once), instead of a dozen recorded ops.
With M the number of elements averaged together and g = dy·w:

    dx = (1/σ) · (g - mean(g) - x̂ · mean(g · x̂)),   dw = Σ dy · x̂,   db = Σ dy

batch_norm and layer_norm check their arguments as torch does, in torch's words.
"""
from __future__ import annotations

from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import get_array_module
from ...tensor import Size, Tensor
from ._args import check_tensor, scalar_name, wrap


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


# ----------------------------------------------------------------------------- batch norm

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
        if x.size == 0:  # an empty batch: nothing to normalize, running statistics unchanged
            inverse_std, xhat = xp.ones(x.shape[1], x.dtype), x
        elif training:
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
            if ctx.training and g.size:
                dx = _normalize_backward(scaled, xhat, ctx.inverse_std, axes, shape)
            else:  # the statistics are constants: only the scaling remains
                dx = scaled * ctx.inverse_std.reshape(shape)
        return wrap(dx), wrap(dweight), wrap(dbias)


def _blend(running, batch, momentum) -> None:
    """running = (1 - momentum)·running + momentum·batch, in place (torch's update)."""
    running *= 1 - momentum
    running += momentum * batch


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel (dim 1) of (N, C), (N, C, L) or (N, C, H, W) inputs.

    training: by the batch's mean and (biased) variance; running_mean/running_var, when given,
    are updated in place: running = (1 - momentum) * running + momentum * batch statistic,
    with the unbiased variance. Evaluation: by running_mean and running_var.
    """
    check_tensor(input, "batch_norm")
    if momentum is None:
        raise TypeError("batch_norm(): argument 'momentum' (position 7) must be float, not "
                        "NoneType")
    shape = input._data.shape
    channels = shape[1] if len(shape) > 1 else 0
    if training:
        count = 1
        for size in shape[:1] + shape[2:]:
            count *= size
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {Size(shape)!r}")
    for name, tensor in (("running_mean", running_mean), ("running_var", running_var),
                         ("weight", weight), ("bias", bias)):
        if tensor is not None and tensor._data.size != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not "
                               f"{tensor._data.size}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean must be defined in evaluation mode" if running_mean
                           is None else "running_var must be defined in evaluation mode")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{scalar_name(input)}'")
    for tensor in (weight, bias):
        if tensor is not None and tensor._data.dtype != input._data.dtype:
            raise RuntimeError(f"mixed dtype (CPU): expect parameter to have scalar type of "
                               f"{scalar_name(input)}")
    for tensor in (running_mean, running_var):
        if tensor is not None and tensor._data.dtype != input._data.dtype:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    return BatchNorm.apply(input, weight, bias,
                           running_mean=None if running_mean is None else running_mean._data,
                           running_var=None if running_var is None else running_var._data,
                           training=training, momentum=momentum, eps=eps)


# ----------------------------------------------------------------------------- layer norm

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


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalize over the last len(normalized_shape) dimensions of each sample."""
    check_tensor(input, "layer_norm")
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}")
    normalized = [int(n) for n in normalized_shape]
    shape = list(input._data.shape)
    if len(normalized) == 0 or len(normalized) > len(shape) or \
            shape[len(shape) - len(normalized):] != normalized:
        raise RuntimeError(f"Given normalized_shape={normalized}, expected input with shape "
                           f"[*, {', '.join(map(str, normalized))}], but got input of size"
                           f"{shape}")
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None and list(tensor._data.shape) != normalized:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got "
                               f"{name} of shape {list(tensor.shape)} and normalized_shape = "
                               f"{normalized}")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"LayerNormKernelImpl\" not implemented for "
                                  f"'{scalar_name(input)}'")
    return LayerNorm.apply(input, weight, bias, dims=len(normalized), eps=eps)
