"""group_norm, instance_norm, rms_norm and local_response_norm, composed (no new backward).

    group_norm      x̂ over each group of channels of each sample, then a per-channel w·x̂ + b:
                    normalization.py's LayerNorm over the (N, G, C/G · spatial) view
    instance_norm   batch_norm over the (1, N·C, spatial) view: every (sample, channel) is its
                    own "channel" (torch's own reduction, running statistics averaged back)
    rms_norm        y = x / √(mean(x²) + eps) · w over the last dims (Tensor arithmetic)
    local_response_norm
                    y = x / (k + α·mean of x² over `size` neighbouring channels)^β, the
                    neighbourhood mean an average pool over the channel axis, as torch's
"""
from __future__ import annotations

import math

from ...backend import get_array_module
from ...functions.dtype_support import INTEGRAL, refuse
from ...tensor import Size, Tensor
from ._args import check_tensor
from ._python_args import check_python_tensor
from .normalization import LayerNorm, batch_norm
from .pooling import avg_pool2d
from .pooling_more import avg_pool3d
from .sparse import pad

__all__ = ["group_norm", "instance_norm", "local_response_norm", "rms_norm"]


def _per_channel(tensor: Tensor, dims: int) -> Tensor:
    """A (C,) parameter shaped (C, 1, ..., 1) to broadcast over `dims` trailing spatial axes."""
    return tensor.reshape((-1,) + (1,) * dims)


# ----------------------------------------------------------------------------- group norm

def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalize each group of num_groups consecutive channels of each sample of (N, C, *)."""
    check_python_tensor(input)
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    n, c, *spatial = input.shape
    sizes = [n * c // num_groups, num_groups] + spatial
    if math.prod(sizes) // num_groups == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input "
                         f"size {sizes}")
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(input.shape)} and "
                           f"num_groups={num_groups}")
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None and (tensor.dim() != 1 or tensor.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape "
                               f"{list(tensor.shape)} and input of shape {list(input.shape)}")
    refuse(input, "GroupNormKernelImpl", INTEGRAL)
    grouped = input.reshape(n, num_groups, -1)
    if input.numel():  # an empty input stays empty (its means would be 0/0)
        grouped = LayerNorm.apply(grouped, None, None, dims=1, eps=eps)
    out = grouped.reshape(tuple(input.shape))
    if weight is not None:
        out = out * _per_channel(weight, len(spatial))
    if bias is not None:
        out = out + _per_channel(bias, len(spatial))
    return out


# ----------------------------------------------------------------------------- instance norm

def instance_norm(input: Tensor, running_mean: Tensor | None = None,
                  running_var: Tensor | None = None, weight: Tensor | None = None,
                  bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel of each sample of (N, C, *) over its spatial elements; with
    running statistics, update them by the average over the batch of the per-sample ones."""
    check_tensor(input, "instance_norm")
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size "
                         f"{Size(input.shape)!r}")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when "
                           "use_input_stats is false")
    b, c = input.shape[:2]
    weight = None if weight is None else weight.repeat(b)
    bias = None if bias is None else bias.repeat(b)
    # the statistics in the input's dtype (torch accepts float ones for half inputs)
    means, variances = (None if stat is None else Tensor._make(get_array_module(
        stat._data).tile(stat._data, b).astype(input._data.dtype)) for stat in (running_mean,
                                                                               running_var))
    flat = input.reshape((1, b * c) + tuple(input.shape[2:]))
    out = batch_norm(flat, means, variances, weight, bias, use_input_stats, momentum, eps)
    for stat, repeated in ((running_mean, means), (running_var, variances)):
        if stat is not None:  # the per-sample statistics averaged back, in place
            stat._data[...] = repeated._data.reshape(b, c).mean(axis=0)
    return out.reshape(tuple(input.shape))


# ----------------------------------------------------------------------------- RMS norm

def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """x / √(mean(x²) + eps) over the last len(normalized_shape) dims, times weight; eps
    defaults to the machine epsilon of the input's dtype."""
    check_tensor(input, "rms_norm")
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError("rms_norm(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}")
    normalized = [int(s) for s in normalized_shape]
    shape = list(input.shape)
    if not normalized or len(normalized) > len(shape) or \
            shape[len(shape) - len(normalized):] != normalized:
        raise RuntimeError(f"Given normalized_shape={normalized}, expected input with shape "
                           f"[*{', '.join(map(str, normalized))}], but got input of size"
                           f"{shape}")
    if weight is not None and list(weight.shape) != normalized:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got "
                           f"weight of shape {list(weight.shape)} and normalized_shape = "
                           f"{normalized}")
    refuse(input, "rms_norm", INTEGRAL)
    if eps is None:
        eps = float(get_array_module(input._data).finfo(input._data.dtype).eps)
    dims = tuple(range(-len(normalized), 0))
    out = input * (input.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    return out if weight is None else out * weight


# ----------------------------------------------------------------------------- LRN

def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """x / (k + α · mean of x² over `size` neighbouring channels)^β, for (N, C, *) inputs."""
    check_python_tensor(input)
    dim = input.dim()
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input "
                         f"(got {dim} dimensions)")
    if input.numel() == 0:
        return input
    div = input * input
    if dim == 3:
        div = pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = tuple(input.shape)
        div = div.reshape(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).reshape(sizes)
    return input / (div * alpha + k).pow(beta)
