"""conv3d and the transposed convolutions, composed from conv.py's kernel (no new backward).

A 3-d convolution is a sum of 2-d ones, one per kernel depth k: the input planes that offset k
reads (every stride-th plane from k·dilation on) are convolved with the filter slice W[:, :, k],
all output depths at once (the depth axis joins the batch):

    y[:, :, z] = Σ_k conv2d(x[:, :, z·s + k·d], W[:, :, k])

A transposed convolution is the adjoint of a convolution (it maps a conv's output shape back to
its input shape): spread the input out with stride - 1 zeros between its elements, pad each side
by dilation·(k - 1) - padding (+ output_padding at the end; a negative amount crops), and
convolve with stride 1 with the filters flipped and their in/out channels swapped per group:

    conv_transpose(x, W) = conv(pad(spread(x, s)), flip(W)ᵀ)

Gradients come from the pieces: Convolution's backward, padding's and indexing's.
"""
from __future__ import annotations

from ...functions.dtype_support import INTEGRAL_BUT_LONG, refuse
from ...tensor import Tensor
from ._args import check_tensor, int_tuple, scalar_name
from .conv import Convolution, _check_arguments, _check_weight_rank, _padding
from .sparse import ConstantPad

__all__ = ["conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


def _convolve(x: Tensor, weight: Tensor, bias, stride, pads, dilation, groups) -> Tensor:
    """A batched convolution of 1, 2 or 3 spatial dims; pads are (before, after) pairs."""
    dims = x.dim() - 2
    if dims == 1:  # the kernel computes 1-d as 2-d over a height of 1
        return Convolution.apply(x, weight, bias, stride=(1,) + stride,
                                 padding=((0, 0),) + pads, dilation=(1,) + dilation,
                                 groups=groups)
    if dims == 2:
        return Convolution.apply(x, weight, bias, stride=stride, padding=pads,
                                 dilation=dilation, groups=groups)
    return _convolve3d(x, weight, bias, stride, pads, dilation, groups)


def _convolve3d(x, weight, bias, stride, pads, dilation, groups):
    """Σ over kernel depth of 2-d convolutions of the planes each depth offset reads."""
    (front, back) = pads[0]
    if front or back:
        x = ConstantPad.apply(x, pads=((0, 0),) * 2 + ((front, back),) + ((0, 0),) * 2, value=0)
    n, c, depth, h, w = x.shape
    kd, sd, dd = weight.shape[2], stride[0], dilation[0]
    out_depth = (depth - dd * (kd - 1) - 1) // sd + 1
    out = None
    for k in range(kd):
        planes = x[:, :, k * dd:k * dd + sd * (out_depth - 1) + 1:sd]  # (N, C, OD, H, W)
        planes = planes.transpose(1, 2).reshape(n * out_depth, c, h, w)
        part = Convolution.apply(planes, weight[:, :, k], None, stride=stride[1:],
                                 padding=pads[1:], dilation=dilation[1:], groups=groups)
        out = part if out is None else out + part
    out = out.reshape((n, out_depth) + tuple(out.shape[1:])).transpose(1, 2)
    return out if bias is None else out + bias.reshape(-1, 1, 1, 1)


def _batched(name, dims, input, weight):
    """input as a batch (unsqueezed when unbatched) and whether it was unbatched."""
    check_tensor(input, name)
    check_tensor(weight, name, "weight", 2)
    batched = dims + 2
    if input.dim() not in (batched - 1, batched):
        raise RuntimeError(f"Expected {batched - 1}D (unbatched) or {batched}D (batched) input "
                           f"to {name}, but got input of size: {list(input.shape)}")
    unbatched = input.dim() == batched - 1
    return (input.unsqueeze(0) if unbatched else input), unbatched


# ----------------------------------------------------------------------------- conv3d

def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """3-d cross-correlation of (N, C, D, H, W) or unbatched (C, D, H, W) inputs with
    (O, C/groups, kd, kh, kw) filters; padding is an int, a triple, 'valid' or 'same'."""
    stride = int_tuple(stride, 3, "conv3d", "stride")
    dilation = int_tuple(dilation, 3, "conv3d", "dilation")
    x, unbatched = _batched("conv3d", 3, input, weight)
    _check_weight_rank("conv3d", 3, input, weight, stride)
    kernel = tuple(weight.shape[2:])
    pads = _padding(padding, kernel, stride, dilation, 3, "conv3d")
    _check_arguments(x, weight, bias, stride, pads, dilation, groups, kernel)
    pointwise = kernel == (1, 1, 1) and stride == (1, 1, 1) and pads == ((0, 0),) * 3
    refuse(x, "slow_conv_dilated<>" if max(dilation) > 1 else
           "slow_conv3d_cpu" if pointwise and groups == 1 else "compute_columns3d")
    out = _convolve3d(x, weight, bias, stride, pads, dilation, groups)
    return out.squeeze(0) if unbatched else out


# ----------------------------------------------------------------------------- transposed

def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv1d: (N, C_in, L) with (C_in, C_out/groups, k) filters."""
    return _transposed("conv_transpose1d", 1, input, weight, bias, stride, padding,
                       output_padding, groups, dilation)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv2d: (N, C_in, H, W) with (C_in, C_out/groups, kh, kw) filters."""
    return _transposed("conv_transpose2d", 2, input, weight, bias, stride, padding,
                       output_padding, groups, dilation)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1,
                     padding=0, output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv3d: (N, C_in, D, H, W) with (C_in, C_out/groups, kd, kh, kw)."""
    return _transposed("conv_transpose3d", 3, input, weight, bias, stride, padding,
                       output_padding, groups, dilation)


def _transposed(name, dims, input, weight, bias, stride, padding, output_padding, groups,
                dilation):
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    stride = int_tuple(stride, dims, name, "stride")
    padding = int_tuple(padding, dims, name, "padding")
    output_padding = int_tuple(output_padding, dims, name, "output_padding")
    dilation = int_tuple(dilation, dims, name, "dilation")
    x, unbatched = _batched(name, dims, input, weight)
    _check_weight_rank(name, dims, input, weight, stride)
    kernel = tuple(weight.shape[2:])
    _check_transposed(x, weight, bias, stride, padding, output_padding, dilation, groups)
    refuse(x, f"slow_conv_transpose{max(dims, 2)}d_out_cpu", INTEGRAL_BUT_LONG)
    if bias is not None and bias.dtype != x.dtype:
        bias = bias.to(x.dtype)  # torch adds a bias of another dtype in the input's

    # filters (C_in, C_out/G, *k) -> (C_out, C_in/G, *k), flipped in every spatial axis
    c_in, c_out_group = weight.shape[:2]
    flipped = weight.reshape((groups, c_in // groups, c_out_group) + kernel).transpose(1, 2)
    flipped = flipped.reshape((groups * c_out_group, c_in // groups) + kernel)
    flipped = flipped.flip(tuple(range(2, dims + 2)))

    # spread: stride - 1 zeros after each element (a new axis padded, then merged)
    pads = []
    for axis, (s, p, extra, d, k) in enumerate(zip(stride, padding, output_padding, dilation,
                                                   kernel)):
        if s > 1:
            axis += 2
            size = x.shape[axis]
            x = x.unsqueeze(axis + 1)
            spread = [(0, 0)] * x.dim()
            spread[axis + 1] = (0, s - 1)
            x = ConstantPad.apply(x, pads=tuple(spread), value=0)
            x = x.reshape(tuple(x.shape[:axis]) + (size * s,) + tuple(x.shape[axis + 2:]))
        border = d * (k - 1) - p
        pads.append((border, border + extra - (s - 1)))  # less the zeros after the last one
    if any(before or after for before, after in pads):
        x = ConstantPad.apply(x, pads=((0, 0),) * 2 + tuple(pads), value=0)
    out = _convolve(x, flipped, bias, (1,) * dims, ((0, 0),) * dims, dilation, groups)
    return out.squeeze(0) if unbatched else out


def _check_transposed(x, weight, bias, stride, padding, output_padding, dilation,
                      groups) -> None:
    """torch's checks for transposed convolutions, in torch's words and order."""
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if len(stride) == 1:  # torch checks a 1-d one as a 2-d one of height 1
        stride, padding, output_padding, dilation = ((1,) + stride, (0,) + padding,
                                                     (0,) + output_padding, (1,) + dilation)
    names = ("depth", "height", "width")[3 - len(stride):]
    if any(d <= 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero, but got " + ", ".join(
            f"dilation_{n}: {d}" for n, d in zip(names, dilation)))
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    w_shape, channels = list(weight.shape), x.shape[1]
    if channels != w_shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {w_shape}, expected "
                           f"input{list(x.shape)} to have {w_shape[0]} channels, but got "
                           f"{channels} channels instead")
    if w_shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{w_shape}] instead")
    out_channels = w_shape[1] * groups
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != out_channels):
        raise RuntimeError(f"Given transposed=1, weight of size {w_shape}, expected bias to be "
                           f"1-dimensional with {out_channels} elements, but got bias of size "
                           f"{list(bias.shape)} instead")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        described = " ".join(f"output_padding_{n}: {v}" for n, v in zip(names, output_padding))
        described += " " + " ".join(f"stride_{n}: {v}" for n, v in zip(names, stride))
        described += " " + " ".join(f"dilation_{n}: {v}" for n, v in zip(names, dilation))
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           f"got {described}")
    spatial = (1,) * (len(stride) + 2 - x.dim()) + tuple(x.shape[2:])
    kernel = (1,) * (len(stride) + 2 - x.dim()) + tuple(weight.shape[2:])
    sizes = [(n - 1) * s - 2 * p + d * (k - 1) + op + 1 for n, s, p, d, k, op in zip(
        spatial, stride, padding, dilation, kernel, output_padding)]
    if any(size < 1 for size in sizes):
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, spatial))}). "
                           f"Calculated output size per channel: ({' x '.join(map(str, sizes))})"
                           ". Output size is too small")
    if x.dtype != weight.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(x)} but found "
                           f"{scalar_name(weight)}")
