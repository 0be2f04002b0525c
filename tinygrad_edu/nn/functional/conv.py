"""conv1d and conv2d: cross-correlation of images with learned filters.

Convolution is computed by im2col: every receptive field of the input is copied into one column
of a matrix `cols`, so that the whole convolution is ONE matrix product with the weight:

    cols[(c, i, j), (oh, ow, n)] = x_padded[n, c, oh*s + i*d, ow*s + j*d]
    y = W.reshape(O, C*kh*kw) @ cols + b

Its backward is two more products and col2im, the adjoint of im2col, which adds every column
back where it was read from (one strided add per kernel offset (i, j)):

    dW = dy @ colsᵀ,   dcols = Wᵀ @ dy,   dx = col2im(dcols),   db = Σ dy

Groups split the channels into independent convolutions: the products become batched (G, ...)
matrix products. Internally the batch axis is LAST, (C, H, W, N): every window slice copied or
added then moves contiguous runs of N numbers, which NumPy does several times faster than the
short image rows of the (N, C, H, W) layout (benchmarks/conv.py measures the whole op).

conv1d and conv2d (at the end) check their arguments as torch does, in torch's words,
then call the one kernel, Convolution.
"""
from __future__ import annotations

import threading
import warnings

from ... import _tuning
from ...arrays import sliding_window_view
from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import CPU, get_array_module, xp_for
from ...functions.dtype_support import refuse
from ...tensor import Tensor
from ._args import SHORT_NAMES, check_tensor, int_tuple, scalar_name, wrap

# ----------------------------------------------------------------------------- the kernel

class _Scratch(threading.local):
    """Temporary buffers kept from one call to the next (per thread), by role and shape.

    A fresh megabyte-sized array is fresh memory from the OS, paid for in page faults when
    first touched: measured on (64, 16, 14, 14), that took as long as the convolution itself.
    The few most recently used buffers are kept (not the huge ones, which are rare and for
    which the arithmetic dominates anyway)."""

    KEEP = 12                # buffers kept, least recently used dropped first
    LARGEST = 64 * 2**20     # bytes; larger buffers are allocated each time

    def __init__(self):
        self.buffers = {}

    def empty(self, role, xp, shape, dtype):
        if not _tuning.keep_conv_buffers:  # platform tuning off: a fresh array every time
            return xp.empty(shape, dtype=dtype)
        # a GPU buffer serves only the GPU it was made on (the current one, as xp.empty's)
        where = "cpu" if xp is xp_for(CPU) else xp.cuda.runtime.getDevice()
        key = (role, where, shape, dtype)  # a dtype hashes as itself: no str() per call
        buffer = self.buffers.pop(key, None)
        if buffer is None:
            buffer = xp.empty(shape, dtype=dtype)
            if buffer.nbytes > self.LARGEST:
                return buffer
            if len(self.buffers) >= self.KEEP:
                del self.buffers[next(iter(self.buffers))]
        self.buffers[key] = buffer  # (re)inserted last: the most recently used
        return buffer

    def zeros(self, role, xp, shape, dtype):
        buffer = self.empty(role, xp, shape, dtype)
        buffer.fill(0)
        return buffer


_scratch = _Scratch()


def _batch_first(array, xp):
    """The transpose (N, M) of a batch-last (M, N) array, copied. Read along its columns, the
    array is strided by N: NumPy's plain copy misses the cache on every element, copying blocks
    of ~32 KB of rows is 1.5-6x faster (measured for N = 32 ... 1024). CuPy copies it at once."""
    rows, n = array.shape
    out = xp.empty((n, rows), dtype=array.dtype)
    step = max(16, 8192 // n) if n >= 32 and xp is xp_for(CPU) else rows
    for start in range(0, rows, step):
        out[:, start:start + step] = array[start:start + step].T
    return out


def _zero_border(padded, top, bottom, left, right):
    """Zero the padding rows and columns around the inside of a (C, H, W, N) buffer."""
    height, width = padded.shape[1:3]
    padded[:, :top] = padded[:, height - bottom:] = 0
    padded[:, :, :left] = padded[:, :, width - right:] = 0


class Convolution(Primitive):
    """y = W ⋆ x + b (cross-correlation) by im2col: y = W @ cols + b;
    dW = dy @ colsᵀ,  dx = col2im(Wᵀ @ dy),  db = Σ dy over batch and pixels
    x is (N, C, H, W) or (N, C, L); padding is ((top, bottom), (left, right))."""

    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, *, stride, padding, dilation, groups):
        xp = get_array_module(x)
        weight_in = weight  # saved as is, so that changing it in place is detected
        one_d = x.ndim == 3
        if one_d:  # a 1-d convolution is a 2-d one over an image of height 1
            x, weight = x[:, :, None], weight[:, :, None]
        n, c, h, w = x.shape
        o, cg, kh, kw = weight.shape
        (sh, sw), (dh, dw) = stride, dilation
        (top, bottom), (left, right) = padding
        oh = (h + top + bottom - dh * (kh - 1) - 1) // sh + 1
        ow = (w + left + right - dw * (kw - 1) - 1) // sw + 1

        padded = _scratch.empty("input", xp, (c, h + top + bottom, w + left + right, n), x.dtype)
        _zero_border(padded, top, bottom, left, right)  # the inside is written next
        padded[:, top:top + h, left:left + w] = x.transpose(1, 2, 3, 0)
        windows = sliding_window_view(padded, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), (1, 2))
        windows = windows[:, ::sh, ::sw, :, ::dh, ::dw]           # (C, OH, OW, N, kh, kw)
        k = cg * kh * kw
        # the copy (never a view: `padded` is reused by the next call)
        cols = windows.transpose(0, 4, 5, 1, 2, 3).copy().reshape(groups, k, oh * ow * n)
        out = weight.reshape(groups, o // groups, k) @ cols      # (G, O/G, OH*OW*N)
        out = out.reshape(o, oh * ow * n)
        if bias is not None:
            out += bias.reshape(o, 1)  # in place on the fresh product
        y = _batch_first(out.reshape(o * oh * ow, n), xp).reshape(n, o, oh, ow)
        ctx.save_for_backward(weight_in, cols)  # freed by the engine once backward has run
        ctx.geometry = (x.shape, weight.shape, stride, padding, dilation, groups, one_d)
        return y[:, :, 0] if one_d else y

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        weight, cols = (t._data for t in ctx.saved_tensors)
        x_shape, w_shape, (sh, sw), padding, (dh, dw), groups, one_d = ctx.geometry
        need_x, need_weight, need_bias = ctx.needs_input_grad
        g = grad_output._data
        if one_d:
            g = g[:, :, None]
        xp = get_array_module(g)
        n, c, h, w = x_shape
        o, cg, kh, kw = w_shape
        oh, ow = g.shape[2:]
        gt = xp.ascontiguousarray(g.transpose(1, 2, 3, 0)).reshape(groups, o // groups, -1)

        dbias = gt.sum(axis=-1).reshape(o) if need_bias else None  # contiguous: a fast sum
        dweight = None
        if need_weight:
            dweight = (gt @ cols.transpose(0, 2, 1)).reshape(weight.shape)
        dx = None
        if need_x:
            flat_weight = weight.reshape(groups, o // groups, cg * kh * kw)
            dcols = _scratch.empty("dcols", xp, (groups, cg * kh * kw, gt.shape[-1]), g.dtype)
            xp.matmul(flat_weight.transpose(0, 2, 1), gt, out=dcols)
            dcols = dcols.reshape(c, kh, kw, oh, ow, n)
            (top, bottom), (left, right) = padding
            padded = _scratch.zeros("grad", xp, (c, h + top + bottom, w + left + right, n),
                                    g.dtype)
            for i in range(kh):  # col2im: each kernel offset adds back what it read
                rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
                for j in range(kw):
                    padded[:, rows, j * dw:j * dw + sw * (ow - 1) + 1:sw] += dcols[:, i, j]
            inside = padded[:, top:top + h, left:left + w].reshape(c * h * w, n)  # copy if padded
            dx = _batch_first(inside, xp).reshape(n, c, h, w)  # a copy: `padded` is reused
            if one_d:
                dx = dx[:, :, 0]
        return wrap(dx), wrap(dweight), wrap(dbias)


# ----------------------------------------------------------------------------- conv1d, conv2d

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
    refuse(x, "slow_conv2d_cpu")
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
        raise RuntimeError(f"Input type ({SHORT_NAMES.get(x.dtype.name)}) and bias type "
                           f"({SHORT_NAMES.get(bias.dtype.name)}) should be the same")
    if type(x._data) is not type(weight._data) or (
            bias is not None and type(bias._data) is not type(x._data)):
        raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                           f"two devices, {x.device} and {weight.device}!")
