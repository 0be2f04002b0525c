"""Activation functions: the nonlinearities between layers (relu, sigmoid and tanh are
primitives of ops/elementwise.py; erf is in functions/special.py).

Each kernel's forward computes on raw arrays; each backward is written with Tensor operations,
so the gradient of an activation can itself be differentiated (double backward, e.g. for
gradient penalties). At a kink the subgradient is the one torch picks, stated in each
docstring. The functions (relu, leaky_relu, ..., softmax) check their arguments as torch does.
"""
from __future__ import annotations

import math
import warnings

from ...autograd.inplace import apply_inplace
from ...autograd.primitive import Primitive
from ...backend import get_array_module
from ...functions import pointwise, reduction
from ...functions.dtype_support import BOOL, refuse_with
from ...functions.special import Erf, erf
from ...tensor import Tensor
from ._args import check_float, check_tensor


def _constant(array):
    """A Tensor of values that do not depend on any input (a mask, a fixed slope)."""
    return Tensor._make(array)


# ----------------------------------------------------------------------------- piecewise linear

class LeakyRelu(Primitive):
    """y = x if x > 0 else slope·x;  dx = dy if x > 0 else slope·dy   (slope at 0, as torch)"""

    @staticmethod
    def forward(ctx, x, *, negative_slope):
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        return get_array_module(x).where(x > 0, x, x * negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        data = x._data
        slope = get_array_module(data).where(data > 0, 1.0, ctx.negative_slope)
        return grad_output * _constant(slope.astype(data.dtype, copy=False))


class LeakyReluInplace(LeakyRelu):
    """leaky_relu_ (torch records the in-place form under its own name; torch's backward reads
    the overwritten result, whose sign no longer tells x's when the slope is negative)"""

    node_name = "LeakyReluBackward1"

    @staticmethod
    def backward(ctx, grad_output):
        _refuse_negative_in_place("leakyReLu", ctx.negative_slope)
        return LeakyRelu.backward(ctx, grad_output)


def _refuse_negative_in_place(name: str, slope: float) -> None:
    if slope < 0:
        raise RuntimeError(f"In-place {name} backward calculation is triggered with a negative "
                           "slope which is not supported. This is caused by calling in-place "
                           "forward function with a negative slope, please call out-of-place "
                           "version instead.")


class Hardtanh(Primitive):
    """y = min(max(x, lo), hi);  dx = dy where lo < x < hi, 0 elsewhere (0 at both bounds)"""

    @staticmethod
    def forward(ctx, x, *, min_val, max_val):
        ctx.save_for_backward(x)
        ctx.bounds = (min_val, max_val)
        xp = get_array_module(x)
        return xp.minimum(xp.maximum(x, min_val), max_val).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        lo, hi = ctx.bounds
        inside = (x._data > lo) & (x._data < hi)
        return grad_output * _constant(inside)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)"""
    check_tensor(input, "relu")
    return input.relu_() if inplace else pointwise.relu(input)


def relu_(input: Tensor) -> Tensor:
    return relu(input, inplace=True)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """x clipped to [min_val, max_val]"""
    check_tensor(input, "hardtanh")
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    refuse_with(input, BOOL, "Bool inputs not supported for hardtanh")
    if input._data.dtype.kind != "f":  # integer tensors are clipped at integer bounds
        min_val, max_val = int(min_val), int(max_val)
        if input._data.dtype.kind == "u" and min_val < 0:
            raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    options = {"min_val": min_val, "max_val": max_val}
    if inplace:
        return apply_inplace(input, Hardtanh, (input,), options, "hardtanh_")
    return Hardtanh.apply(input, **options)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6): hardtanh(x, 0, 6), as torch computes it"""
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, negative_slope * x elsewhere"""
    check_tensor(input, "leaky_relu")
    check_float(input, "leaky_relu_cpu")
    if inplace:
        return apply_inplace(input, LeakyReluInplace, (input,),
                             {"negative_slope": negative_slope}, "leaky_relu_")
    return LeakyRelu.apply(input, negative_slope=negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


# ----------------------------------------------------------------------------- smooth

class Elu(Primitive):
    """y = x if x > 0 else α(eˣ - 1);  dx = dy if x > 0 else dy·α·eˣ   (α·dy at 0, as torch;
    the slope's own derivative is 0 at 0, as torch's double backward)"""

    @staticmethod
    def forward(ctx, x, *, alpha):
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        xp = get_array_module(x)
        return xp.where(x > 0, x, xp.expm1(x) * alpha)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        # e^x for x < 0 only: no overflow where the slope is 1 anyway (inf * 0 would be NaN),
        # and no second derivative at 0 itself
        negative = x.masked_fill(_constant(x._data >= 0), 0.0)
        slope = (negative.exp() * ctx.alpha).masked_fill(_constant(x._data > 0), 1.0)
        return grad_output * slope


class EluInplace(Elu):
    """elu_ (torch records the in-place form under its own name, and refuses a negative α
    in the backward, as leaky_relu_)"""

    node_name = "EluBackward1"

    @staticmethod
    def backward(ctx, grad_output):
        _refuse_negative_in_place("elu", ctx.alpha)
        return Elu.backward(ctx, grad_output)


class Softplus(Primitive):
    """y = log(1 + e^(βx)) / β, or x where βx > threshold;
    dx = dy·σ(βx), or dy where βx > threshold   (σ's own derivative is 0 from the threshold
    on, as torch's double backward)"""

    @staticmethod
    def forward(ctx, x, *, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        xp = get_array_module(x)
        scaled = x * beta
        return xp.where(scaled > threshold, x, xp.log1p(xp.exp(scaled)) / beta).astype(
            x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        threshold = ctx.threshold
        scaled = x * ctx.beta
        flat = scaled.masked_fill(_constant(scaled._data >= threshold), threshold)
        linear = _constant(scaled._data > threshold)
        return grad_output * flat.sigmoid().masked_fill(linear, 1.0)


class Silu(Primitive):
    """y = x·σ(x);  dx = dy·σ(x)·(1 + x·(1 - σ(x)))"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp = get_array_module(x)
        return x / (1 + xp.exp(-x))

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        s = x.sigmoid()
        return grad_output * s * (1 + x * (1 - s))


class Gelu(Primitive):
    """y = x·Φ(x), Φ the standard normal CDF;  dx = dy·(Φ(x) + x·φ(x))
    approximate='tanh': Φ(x) ≈ (1 + tanh(√(2/π)(x + 0.044715x³))) / 2, differentiated as is"""

    @staticmethod
    def forward(ctx, x, *, approximate):
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        xp = get_array_module(x)
        if approximate == "tanh":
            inner = _TANH_BETA * (x + _TANH_KAPPA * x * x * x)
            return 0.5 * x * (1 + xp.tanh(inner))
        return (x * 0.5 * (1 + erf(x * _SQRT1_2))).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        if ctx.approximate == "tanh":
            square = x * x
            t = ((x + square * x * _TANH_KAPPA) * _TANH_BETA).tanh()
            slope = (1 + t) * 0.5 + x * 0.5 * (1 - t * t) * _TANH_BETA * (1 + square * 3 *
                                                                         _TANH_KAPPA)
            return grad_output * slope
        cdf = (1 + Erf.apply(x * _SQRT1_2)) * 0.5
        pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
        return grad_output * (cdf + x * pdf)


_SQRT1_2 = math.sqrt(0.5)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_TANH_BETA = math.sqrt(2 / math.pi)
_TANH_KAPPA = 0.044715


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, alpha * (exp(x) - 1) elsewhere"""
    check_tensor(input, "elu")
    check_float(input, "elu_cpu")
    if inplace:
        return apply_inplace(input, EluInplace, (input,), {"alpha": alpha}, "elu_")
    return Elu.apply(input, alpha=alpha)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Φ(x) (Φ: the standard normal CDF); approximate='tanh' uses the tanh formula"""
    check_tensor(input, "gelu")
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    check_float(input, "GeluKernelImpl")
    return Gelu.apply(input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x)"""
    check_tensor(input, "silu")
    check_float(input, "silu_cpu")
    if inplace:
        return apply_inplace(input, Silu, (input,), {}, "silu_")
    return Silu.apply(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta * x)) / beta, linear where beta * x > threshold"""
    check_tensor(input, "softplus")
    check_float(input, "softplus_cpu")
    return Softplus.apply(input, beta=beta, threshold=threshold)


def sigmoid(input: Tensor) -> Tensor:
    return pointwise.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    return pointwise.tanh(input)


# ----------------------------------------------------------------------------- softmax

def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    """torch's legacy choice when dim is not given (with its deprecation warning)."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def _check_softmax_input(name: str, input: Tensor, dim: int, dtype) -> None:
    """torch names a different kernel when the softmax runs along the last dimension."""
    if dtype is None and input._data.dtype.kind != "f":
        last = dim in (-1, input._data.ndim - 1) or input._data.ndim == 0
        check_float(input, f"{name}_lastdim_kernel_impl" if last else f"{name}_kernel_impl")


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype=None) -> Tensor:
    """exp(x) / Σ exp(x) along dim (shifted by the max: no overflow)"""
    check_tensor(input, "softmax")
    if dim is None:
        dim = _softmax_dim("softmax", input._data.ndim, _stacklevel)
    _check_softmax_input("softmax", input, dim, dtype)
    return reduction.softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype=None) -> Tensor:
    """x - log Σ exp(x) along dim (fused: finite even for logits of magnitude 1e4)"""
    check_tensor(input, "log_softmax")
    if dim is None:
        dim = _softmax_dim("log_softmax", input._data.ndim, _stacklevel)
    _check_softmax_input("log_softmax", input, dim, dtype)
    return reduction.log_softmax(input, dim, dtype=dtype)
