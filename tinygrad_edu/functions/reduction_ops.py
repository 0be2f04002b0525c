"""Reduction primitives of the torch surface beyond the core's (ops/reduce.py): products, norms,
cumulative sums, and the fused, max-shifted ones that stay finite for huge inputs (logsumexp,
softmax, log_softmax). The functions that check arguments and call them are in reduction.py.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module, on_host, zeros
from ..ops.reduce import Amax, expand_back
from .shape_ops import Stack


class Prod(Primitive):
    """y = Π x over dims;  dx_i = dy * Π_{j≠i} x_j   (= dy * y / x_i when no x is zero)"""

    @staticmethod
    def forward(ctx, x, *, dims=None, keepdim=False, dtype=None):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        y = x.prod(axis=dims, keepdims=keepdim, dtype=dtype)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        dims, keepdim, shape = ctx.dims, ctx.keepdim, ctx.shape
        y = expand_back(y, shape, dims, keepdim)
        grad = expand_back(grad_output, shape, dims, keepdim)
        zero = x == 0
        # (asking whether a zero exists costs a GPU a copy to the host: there, the general rule)
        if on_host(x._data) and not bool(zero.any()):
            return grad * y / x
        # With zeros: the product of the others is non-zero only at a lone zero of its slice.
        others = x.masked_fill(zero, 1).prod(dim=dims, keepdim=True)
        zeros_in_slice = zero.sum(dim=dims, keepdim=True)
        at_lone_zero = zero & (zeros_in_slice == 1)
        safe_x = x.masked_fill(zero, 1)
        # in a slice with a zero, only a lone zero gets a gradient (even if an inf makes y NaN)
        general = (y / safe_x).masked_fill(zeros_in_slice > 0, 0)
        lone = others.expand(shape).masked_fill(at_lone_zero.logical_not(), 0)
        return grad * general + grad * lone


class Cumsum(Primitive):
    """y_i = Σ_{j<=i} x_j along dim;  dx_j = Σ_{i>=j} dy_i (a reversed cumulative sum)"""

    @staticmethod
    def forward(ctx, x, *, dim, dtype=None):
        ctx.dim = dim
        return x.cumsum(axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad_output):
        dim = ctx.dim
        return grad_output.flip(dim).cumsum(dim).flip(dim)


class Cumprod(Primitive):
    """y_i = Π_{j<=i} x_j along dim;  dx_i = Σ_{k>=i} dy_k Π_{j<=k, j≠i} x_j
    (= reversed-cumsum(dy * y) / x without zeros; with zeros, the products are taken apart)"""

    @staticmethod
    def forward(ctx, x, *, dim, dtype=None):
        y = x.cumprod(axis=dim, dtype=dtype)
        ctx.save_for_backward(x, y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        dim = ctx.dim
        zero = x == 0
        # (asking whether a zero exists costs a GPU a copy to the host: there, the general rule)
        if on_host(x._data) and not bool(zero.any()):
            return (grad_output * y).flip(dim).cumsum(dim).flip(dim) / x
        # dx_i = P_i * S_i with P_i = Π_{j<i} x_j and S_i = dy_i + x_{i+1} * S_{i+1}
        n = x.shape[dim]
        suffix = [None] * n
        suffix[n - 1] = grad_output.select(dim, n - 1)
        for i in range(n - 2, -1, -1):
            suffix[i] = grad_output.select(dim, i) + x.select(dim, i + 1) * suffix[i + 1]
        prefix = [None] + [y.select(dim, i) for i in range(n - 1)]  # P_0 = 1
        parts = [suffix[0]] + [p * s for p, s in zip(prefix[1:], suffix[1:])]
        return Stack.apply(*parts, dim=dim)


def max_shift(x, dims):
    """The max along dims (kept as size-1 axes) that the fused kernels subtract so that exp()
    cannot overflow; 0 for an empty x, whose max does not exist and is not needed."""
    if x.size == 0:
        return get_array_module(x).zeros((1,) * x.ndim, dtype=x.dtype)
    return x.max(axis=dims, keepdims=True)


class LogSumExp(Primitive):
    """y = log Σ exp(x) over dims, computed as m + log Σ exp(x - m);  dx = dy * exp(x - y)"""

    @staticmethod
    def forward(ctx, x, *, dims, keepdim=False):
        xp = get_array_module(x)
        m = max_shift(x, dims)
        m = xp.where(xp.isfinite(m), m, 0)
        y = xp.log(xp.exp(x - m).sum(axis=dims, keepdims=True)) + m
        if not keepdim:
            y = y.squeeze(axis=dims)
        ctx.save_for_backward(x, y)
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        shape, dims, keepdim = ctx.shape, ctx.dims, ctx.keepdim
        grad = expand_back(grad_output, shape, dims, keepdim)
        return grad * (x - expand_back(y, shape, dims, keepdim)).exp()


class Softmax(Primitive):
    """y = exp(x) / Σ exp(x) along dim (shifted by the max, for stability);
    dx = y * (dy - Σ dy * y)"""

    @staticmethod
    def forward(ctx, x, *, dim):
        xp = get_array_module(x)
        e = xp.exp(x - max_shift(x, dim))
        y = e / e.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return y * (grad_output - (grad_output * y).sum(dim=ctx.dim, keepdim=True))


class LogSoftmax(Primitive):
    """y = x - log Σ exp(x) along dim (fused and shifted by the max: finite for huge logits);
    dx = dy - exp(y) * Σ dy"""

    @staticmethod
    def forward(ctx, x, *, dim):
        xp = get_array_module(x)
        shifted = x - max_shift(x, dim)
        y = shifted - xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output - y.exp() * grad_output.sum(dim=ctx.dim, keepdim=True)


class Norm(Primitive):
    """y = (Σ |x|^p)^(1/p) over dims;  dx = dy * x |x|^(p-2) / y^(p-1)   (0 where y == 0);
    p = ±inf: dy shared among the largest (smallest) |x|"""

    @staticmethod
    def forward(ctx, x, *, p=2.0, dims=None, keepdim=False):
        xp = get_array_module(x)
        a = xp.abs(x)
        if p == float("inf"):
            y = a.max(axis=dims, keepdims=True)
        elif p == float("-inf"):
            y = a.min(axis=dims, keepdims=True)
        elif p == 2:
            y = xp.sqrt((x * x).sum(axis=dims, keepdims=True))
        elif p == 1:
            y = a.sum(axis=dims, keepdims=True)
        elif p == 0:
            y = (a != 0).sum(axis=dims, keepdims=True).astype(x.dtype)
        else:
            y = (a ** p).sum(axis=dims, keepdims=True) ** (1.0 / p)
        if not keepdim:
            y = y.reshape(()) if dims is None else y.squeeze(axis=dims)
        ctx.save_for_backward(x, y)
        ctx.p, ctx.shape, ctx.dims, ctx.keepdim = p, x.shape, dims, keepdim
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        p = ctx.p
        grad = expand_back(grad_output, ctx.shape, ctx.dims, ctx.keepdim)
        y = expand_back(y, ctx.shape, ctx.dims, ctx.keepdim)
        if p == 0:
            return grad * 0
        if p == 1:
            return grad * x.sign()
        if p == 2:
            return x * (grad / y).masked_fill(y == 0, 0)
        if p in (float("inf"), float("-inf")):
            is_extreme = x.abs() == y
            count = is_extreme.sum(dim=ctx.dims, keepdim=True)
            return grad * x.sign() * is_extreme / count
        return p_norm_grad(x, (grad / y ** (p - 1)).masked_fill(y == 0, 0), p)


def p_norm_grad(x, scale, p):
    """d|x|_p / dx times `scale` (= dy / y^(p-1)): sign(x) |x|^(p-1) scale, 0 where x = 0
    (also for p < 1, where |x|^(p-1) is infinite there: torch's subgradient)"""
    power = x.abs() ** (p - 1)
    if p < 1:
        power = power.masked_fill(x == 0, 0)
    return x.sign() * power * scale


class MaxDim(Primitive):
    """(values, indices) = max of x along dim;  dx = dy at the returned index, 0 elsewhere"""

    node_name = "MaxBackward0"

    @staticmethod
    def forward(ctx, x, *, dim, keepdim=False, largest=True):
        xp = get_array_module(x)
        if x.ndim == 0:
            indices = xp.zeros((), dtype=xp.int64)
            values = x.copy()
        else:
            indices = x.argmax(axis=dim) if largest else x.argmin(axis=dim)
            indices = xp.expand_dims(indices, dim)
            values = xp.take_along_axis(x, indices, axis=dim)
            if not keepdim:
                values, indices = values.squeeze(dim), indices.squeeze(dim)
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        indices = indices.astype(xp.int64, copy=False)
        ctx.save_for_backward(indices)
        return values, indices

    @staticmethod
    def backward(ctx, grad_output, _grad_indices=None):
        index, = ctx.saved_tensors
        if len(ctx.shape) == 0:
            return grad_output
        if not ctx.keepdim:
            grad_output, index = grad_output.unsqueeze(ctx.dim), index.unsqueeze(ctx.dim)
        base = grad_output._make(zeros(ctx.shape, grad_output._data.dtype, grad_output.device))
        return base.scatter_add(ctx.dim, index, grad_output)


class MinDim(MaxDim):
    """(values, indices) = min of x along dim;  dx = dy at the returned index, 0 elsewhere"""

    node_name = "MinBackward0"


def _evenly_distribute(ctx, grad_output):
    """dy shared by the k elements equal to y — or, when y is NaN, by the k NaNs (torch's rule)"""
    x, y = ctx.saved_tensors
    chosen = (x == y) | (x.isnan() & y.isnan())
    return grad_output * chosen / chosen.sum()


class MaxAll(Amax):
    """y = max(x) over everything;  dx = dy / k at each of the k maximal elements (the NaNs, if
    any: the maximum is then NaN)"""

    node_name = "MaxBackward1"
    backward = staticmethod(_evenly_distribute)


class MinAll(Amax):
    """y = min(x) over everything;  dx = dy / k at each of the k minimal elements (or NaNs)"""

    node_name = "MinBackward1"
    backward = staticmethod(_evenly_distribute)


class Amin(Amax):
    """y = min of x over dims;  dx = dy / k at each of the k minimal elements"""
