"""The layers that hold a network's weights: linear (a matrix product) and convolution.

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
"""
from __future__ import annotations

import threading

from ..autograd import grad_mode
from ..autograd.primitive import Primitive, wrap
from ..autograd.raw_backward import once_differentiable
from ..backend import get_array_module, numpy_module, sliding_window_view
from .linalg import Mm
from .movement import MatrixTranspose
from .reduce import Sum

# ----------------------------------------------------------------------------- linear


def _linear_backward(ctx, grad_output, x, weight, need_x, need_weight):
    """Tensor ops, so that the backward of a linear layer can itself be differentiated (under
    create_graph); a plain backward() records nothing, so it takes the raw products directly."""
    if not grad_mode.state.enabled:  # no graph to record: skip the op calls (~10 us a layer)
        g = grad_output._data
        return (wrap(g @ weight._data) if need_x else None,
                wrap(g.T @ x._data) if need_weight else None)
    dx = Mm.apply(grad_output, weight) if need_x else None
    dweight = None
    if need_weight:
        dweight = Mm.apply(MatrixTranspose.apply(grad_output, dim0=0, dim1=1), x)
    return dx, dweight


class Linear(Primitive):
    """y = x @ Wᵀ + b for a batch of rows x (fused: one product, bias added in place);
    db = Σ dy over the rows,  dx = dy @ W,  dW = dyᵀ @ x
    Inputs in torch's order (bias, input, weight), so grad_fn reads as torch's addmm."""

    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, bias, x, weight):
        ctx.save_for_backward(x, weight)
        ctx.bias_is_row = bias.ndim == 1  # else the engine sums dy down to the bias's shape
        y = x @ weight.T
        y += bias
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        need_bias, need_x, need_weight = ctx.needs_input_grad
        dbias = None
        if need_bias:
            dbias = Sum.apply(grad_output, dims=(0,)) if ctx.bias_is_row else grad_output
        dx, dweight = _linear_backward(ctx, grad_output, x, weight, need_x, need_weight)
        return dbias, dx, dweight


class LinearNoBias(Primitive):
    """y = x @ Wᵀ;  dx = dy @ W,  dW = dyᵀ @ x   (torch records it as mm)"""

    node_name = "MmBackward0"

    @staticmethod
    def forward(ctx, x, weight):
        ctx.save_for_backward(x, weight)
        return x @ weight.T

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        return _linear_backward(ctx, grad_output, x, weight, *ctx.needs_input_grad)


# ----------------------------------------------------------------------------- convolution

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
        # a GPU buffer serves only the GPU it was made on (the current one, as xp.empty's)
        where = "cpu" if xp is numpy_module() else xp.cuda.runtime.getDevice()
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
    step = max(16, 8192 // n) if n >= 32 and xp is numpy_module() else rows
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
