"""unfold and fold (im2col and col2im), pixel_shuffle and channel_shuffle: rearranging elements.

unfold copies every sliding block of a padded image into one column, a gather through a table
of flat positions computed once from the geometry; fold adds columns back where unfold read
them, a scatter-add through the same table. Each is the other's adjoint, and indexing's two
primitives already are that pair, so both are one indexing op (no new backward):

    cols = x_padded[:, :, position]               (unfold, N × C × k × L)
    y = zeros;  y[:, :, position] += cols          (fold, then the padding cut off)

pixel_shuffle, pixel_unshuffle and channel_shuffle are a reshape, a permutation and a reshape.
"""
from __future__ import annotations

import math

from ...backend import get_array_module
from ...functions.dtype_support import BOOL, INTEGRAL, refuse
from ...ops.indexing import AdvancedIndex, IndexToZeros
from ...tensor import Tensor
from ._args import check_tensor, int_tuple
from .sparse import ConstantPad

__all__ = ["channel_shuffle", "fold", "native_channel_shuffle", "pixel_shuffle",
           "pixel_unshuffle", "unfold"]


# ----------------------------------------------------------------------------- fold, unfold

def _geometry(name, kernel_size, dilation, padding, stride):
    values = []
    for argument, value in (("kernel_size", kernel_size), ("dilation", dilation),
                            ("padding", padding), ("stride", stride)):
        if isinstance(value, (tuple, list)) and len(value) != 2:
            raise RuntimeError(f"It is expected {argument} equals to 2, but got size "
                               f"{len(value)}")
        values.append(int_tuple(value, 2, name, argument))
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = values
    if kh <= 0 or kw <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: "
                           f"{kh} kernel_width: {kw}")
    if sh <= 0 or sw <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: {sh} "
                           f"stride_width: {sw}")
    if dh <= 0 or dw <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: {dh} "
                           f"dilation_width: {dw}")
    if ph < 0 or pw < 0:
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {ph} "
                           f"pad_width: {pw}")
    return values


def _blocks(size, kernel, dilation, padding, stride) -> tuple:
    """The number of sliding blocks along each axis."""
    return tuple((n + 2 * p - (d * (k - 1) + 1)) // s + 1
                 for n, k, d, p, s in zip(size, kernel, dilation, padding, stride))


def _positions(xp, padded_width, kernel, dilation, stride, blocks):
    """(k, L) flat positions in the padded plane: element (i, j) of block (r, c)."""
    (kh, kw), (dh, dw), (sh, sw), (bh, bw) = kernel, dilation, stride, blocks
    offset = (xp.arange(kh) * dh)[:, None] * padded_width + xp.arange(kw) * dw
    start = (xp.arange(bh) * sh)[:, None] * padded_width + xp.arange(bw) * sw
    return offset.reshape(-1, 1) + start.reshape(1, -1)


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Every kernel_size block of (N, C, H, W) as a column: (N, C·kh·kw, L), L the number of
    blocks; (C, H, W) gives (C·kh·kw, L)."""
    check_tensor(input, "im2col")
    kernel, dilation, padding, stride = _geometry("unfold", kernel_size, dilation, padding,
                                                  stride)
    if input.dim() not in (3, 4):
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[-{input.dim()}, {input.dim() - 1}], but got {input.dim()})")
    blocks = _blocks(input.shape[-2:], kernel, dilation, padding, stride)
    if min(blocks) < 1:
        raise RuntimeError(f"Given input with spatial size {tuple(input.shape[-2:])}, "
                           f"kernel_size={kernel}, dilation={dilation}, padding={padding}, "
                           f"calculated shape of the array of sliding blocks as {blocks}, but "
                           "its components must be at least one.")
    refuse(input, "im2col_out_cpu", INTEGRAL - BOOL)
    (ph, pw), w = padding, input.shape[-1]
    x = input
    if ph or pw:
        x = ConstantPad.apply(x, pads=((0, 0),) * (x.dim() - 2) + ((ph, ph), (pw, pw)), value=0)
    lead = tuple(x.shape[:-2])
    flat = x.reshape(lead + (-1,))
    position = _positions(get_array_module(x._data), w + 2 * pw, kernel, dilation, stride,
                          blocks)
    columns = AdvancedIndex.apply(flat, key=(Ellipsis, position))   # (..., k, L)
    return columns.reshape(lead[:-1] + (lead[-1] * kernel[0] * kernel[1], -1))


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """The adjoint of unfold: columns (N, C·kh·kw, L) added back into (N, C, *output_size)
    where their blocks lie; (C·kh·kw, L) gives (C, *output_size)."""
    check_tensor(input, "col2im")
    if isinstance(output_size, (tuple, list)) and len(output_size) != 2:
        raise RuntimeError(f"It is expected output_size equals to 2, but got size "
                           f"{len(output_size)}")
    size = int_tuple(output_size, 2, "fold", "output_size")
    kernel, dilation, padding, stride = _geometry("fold", kernel_size, dilation, padding,
                                                  stride)
    if input.dim() not in (2, 3) or any(n == 0 for n in input.shape[-2:]):
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 "
                           "batch size and non-zero dimensions for input, but got: "
                           f"{list(input.shape)}")
    k = kernel[0] * kernel[1]
    if input.shape[-2] % k:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={input.shape[-2]} and "
                           f"kernel_size={kernel}.")
    blocks = _blocks(size, kernel, dilation, padding, stride)
    if math.prod(blocks) != input.shape[-1] or min(blocks) < 1:
        raise RuntimeError(f"Given output_size={size}, kernel_size={kernel}, "
                           f"dilation={dilation}, padding={padding}, stride={stride}, expected "
                           f"size of input's dimension 2 to match the calculated number of "
                           f"sliding blocks {blocks[0]} * {blocks[1]} = {math.prod(blocks)}, "
                           f"but got input.size(2)={input.shape[-1]}.")
    refuse(input, "col2im_out_cpu", INTEGRAL - BOOL)
    (ph, pw), (h, w) = padding, size
    lead = tuple(input.shape[:-2]) + (input.shape[-2] // k,)
    position = _positions(get_array_module(input._data), w + 2 * pw, kernel, dilation, stride,
                          blocks)
    columns = input.reshape(lead + (k, input.shape[-1]))
    plane = IndexToZeros.apply(columns, key=(Ellipsis, position),
                               shape=lead + ((h + 2 * ph) * (w + 2 * pw),), accumulate=True)
    plane = plane.reshape(lead + (h + 2 * ph, w + 2 * pw))
    return plane[..., ph:ph + h, pw:pw + w] if ph or pw else plane


# ----------------------------------------------------------------------------- shuffles

def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C·r², H, W) -> (*, C, H·r, W·r): each group of r² channels becomes r×r pixels."""
    check_tensor(input, "pixel_shuffle")
    r = upscale_factor
    if input.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got "
                           f"input with {input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {r * r}")
    n = len(lead)
    x = input.reshape(tuple(lead) + (c // (r * r), r, r, h, w))
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(tuple(lead) + (c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H·r, W·r) -> (*, C·r², H, W): the inverse of pixel_shuffle."""
    check_tensor(input, "pixel_unshuffle")
    r = downscale_factor
    if input.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    for axis, size in (("height", h), ("width", w)):
        if size % r:
            raise RuntimeError(f"pixel_unshuffle expects {axis} to be divisible by "
                               f"downscale_factor, but input.size({-2 if axis == 'height' else -1}"
                               f")={size} is not divisible by {r}")
    n = len(lead)
    x = input.reshape(tuple(lead) + (c, h // r, r, w // r, r))
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(tuple(lead) + (c * r * r, h // r, w // r))


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, C, *) with its channels regrouped: (N, g, C/g, *) read as (N, C/g, g, *)."""
    check_tensor(input, "channel_shuffle")
    if input.dim() <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with "
                           f"sizes {list(input.shape)}")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    n, c, *rest = input.shape
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    x = input.reshape((n, groups, c // groups) + tuple(rest)).transpose(1, 2)
    return x.reshape(tuple(input.shape))


def native_channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """channel_shuffle (torch's native kernel, the same rearrangement)."""
    check_tensor(input, "native_channel_shuffle", "self")
    return channel_shuffle(input, groups)
