"""linear, conv1d, conv2d: argument handling and torch's checks; the math is in ops/conv.py."""
from __future__ import annotations

import warnings

from ...ops.conv import Convolution, Linear, LinearNoBias
from ...tensor import Tensor
from ._args import check_tensor, int_tuple, scalar_name

_SHORT = {"float32": "float", "float64": "double", "float16": "half", "int64": "long",
          "int32": "int"}


# ----------------------------------------------------------------------------- linear

def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = input @ weightᵀ + bias, over the last dimension of input (any leading dimensions)."""
    check_tensor(input, "linear")
    check_tensor(weight, "linear", "weight", 2)
    x_rank, w_rank = input._data.ndim, weight._data.ndim
    if x_rank == 0 or w_rank == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{x_rank}D and {w_rank}D")
    if w_rank > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {w_rank}D")
    if w_rank == 1:  # a vector of weights: a plain product, as torch's matmul
        out = input.matmul(weight)
        return out if bias is None else out + bias
    if x_rank == 2:
        _check_linear(input, weight, bias, input._data.shape[0])
        if bias is None:
            return LinearNoBias.apply(input, weight)
        return Linear.apply(bias, input, weight)
    # other ranks: flatten the leading dimensions into rows, as torch does
    rows = 1
    for size in input._data.shape[:-1]:
        rows *= size
    _check_linear(input, weight, bias, rows)
    flat = input.reshape(rows, input._data.shape[-1])
    out = LinearNoBias.apply(flat, weight) if bias is None else Linear.apply(bias, flat, weight)
    return out.view(*input._data.shape[:-1], weight._data.shape[0])


def _check_linear(input: Tensor, weight: Tensor, bias, rows: int) -> None:
    features = input._data.shape[-1]
    out_features, in_features = weight._data.shape
    if features != in_features:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{features} and "
                           f"{in_features}x{out_features})")
    if input._data.dtype != weight._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_SHORT.get(input.dtype.name)} != {_SHORT.get(weight.dtype.name)}")
    if bias is not None:
        check_tensor(bias, "linear", "bias", 3)
        if bias._data.dtype != input._data.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                               f"{scalar_name(bias)} and {scalar_name(input)}")
        shape = bias._data.shape
        if len(shape) > 2 or any(s not in (1, t) for s, t in zip(shape[::-1],
                                                                 (out_features, rows))):
            raise RuntimeError(f"The expanded size of the tensor ({out_features}) must match the "
                               f"existing size ({shape[-1]}) at non-singleton dimension 1.  "
                               f"Target sizes: [{rows}, {out_features}].  Tensor sizes: "
                               f"{list(shape)}")


# ----------------------------------------------------------------------------- convolution

def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """1-d cross-correlation of (N, C, L) or unbatched (C, L) inputs with (O, C/groups, k)."""
    return _convolution("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """2-d cross-correlation of (N, C, H, W) or unbatched (C, H, W) inputs with
    (O, C/groups, kh, kw) filters; padding is an int, a pair, 'valid' or 'same'."""
    return _convolution("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def _convolution(name, dims, input, weight, bias, stride, padding, dilation, groups):
    check_tensor(input, name)
    check_tensor(weight, name, "weight", 2)
    batched = dims + 2
    if input._data.ndim not in (batched - 1, batched):
        raise RuntimeError(f"Expected {batched - 1}D (unbatched) or {batched}D (batched) input "
                           f"to {name}, but got input of size: {list(input.shape)}")
    stride = int_tuple(stride, dims, name, "stride")
    dilation = int_tuple(dilation, dims, name, "dilation")
    _check_weight_rank(name, dims, input, weight, stride)
    unbatched = input._data.ndim == batched - 1
    x = input.unsqueeze(0) if unbatched else input
    kernel = weight._data.shape[2:]
    pads = _padding(padding, kernel, stride, dilation, dims, name)
    _check_arguments(x, weight, bias, stride, pads, dilation, groups, kernel)
    if dims == 1:  # the primitive computes 1-d as 2-d over a height of 1
        stride, dilation, pads = (1,) + stride, (1,) + dilation, ((0, 0),) + pads
    out = Convolution.apply(x, weight, bias, stride=stride, padding=pads, dilation=dilation,
                            groups=groups)
    return out.squeeze(0) if unbatched else out


def _check_weight_rank(name, dims, input, weight, stride) -> None:
    rank = weight._data.ndim
    if rank == dims + 2:
        return
    if rank < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if dims == 1:
        raise RuntimeError(f"Expected {rank}-dimensional input for {rank}-dimensional weight "
                           f"{list(weight.shape)}, but got {input._data.ndim}-dimensional input "
                           f"of size {list(input.shape)} instead")
    raise RuntimeError(f"expected stride to be a single integer value or a list of {rank - 2} "
                       f"values to match the convolution dimensions, but got stride="
                       f"{list(stride)}")


def _padding(padding, kernel, stride, dilation, dims, name) -> tuple:
    """((before, after), ...) per spatial axis, from an int, a tuple, 'valid' or 'same'."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * dims
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pads = []
        for k, d in zip(kernel, dilation):
            total = d * (k - 1)  # the output keeps the input's size; odd totals pad more after
            pads.append((total // 2, total - total // 2))
        if any(before != after for before, after in pads):
            warnings.warn("Using padding='same' with even kernel lengths and odd dilation may "
                          "require a zero-padded copy of the input be created", UserWarning,
                          stacklevel=4)
        return tuple(pads)
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, dims):
        raise RuntimeError(f"expected padding to be a single integer value or a list of {dims} "
                           f"values to match the convolution dimensions, but got padding="
                           f"{list(padding)}")
    return tuple((p, p) for p in int_tuple(padding, dims, name, "padding"))


def _check_arguments(x, weight, bias, stride, pads, dilation, groups, kernel) -> None:
    """torch's checks, in torch's order."""
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for pair in pads for p in pair):
        raise RuntimeError("negative padding is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    w_shape = list(weight.shape)
    out_channels = w_shape[0]
    if out_channels < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                           f"dimension 0, but got weight of size {w_shape} instead")
    if out_channels % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{w_shape}] instead")
    channels = x._data.shape[1]
    if channels != w_shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {w_shape}, expected "
                           f"input{list(x.shape)} to have {w_shape[1] * groups} channels, but "
                           f"got {channels} channels instead")
    if bias is not None and (bias._data.ndim != 1 or bias._data.shape[0] != out_channels):
        raise RuntimeError(f"Given weight of size {w_shape}, expected bias to be 1-dimensional "
                           f"with {out_channels} elements, but got bias of size "
                           f"{list(bias.shape)} instead")
    padded = [size + before + after for size, (before, after) in zip(x._data.shape[2:], pads)]
    dilated = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(k > size for k, size in zip(dilated, padded)):
        raise RuntimeError(f"Calculated padded input size per channel: "
                           f"({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(map(str, dilated))}). Kernel size can't be greater "
                           "than actual input size")
    if x._data.dtype != weight._data.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(x)} but found "
                           f"{scalar_name(weight)}")
    if bias is not None and bias._data.dtype != x._data.dtype:
        raise RuntimeError(f"Input type ({_SHORT.get(x.dtype.name)}) and bias type "
                           f"({_SHORT.get(bias.dtype.name)}) should be the same")
    if type(x._data) is not type(weight._data) or (
            bias is not None and type(bias._data) is not type(x._data)):
        raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                           f"two devices, {x.device} and {weight.device}!")
