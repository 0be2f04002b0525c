"""More activations: selu, celu, glu, prelu, rrelu, the hard and soft shrinkages, hardswish,
hardsigmoid, logsigmoid, mish, softsign, softmin and threshold.

Most are composed of existing ops (elu, hardtanh, leaky_relu, sigmoid, masked_fill ...), so
their gradients, second derivatives included, come for free, with torch's choices at the kinks
(hardtanh's gradient is 0 at its bounds, so hardswish = x * hardtanh(x + 3, 0, 6) / 6 has
torch's slopes 0 at -3 and 1 at 3). Two are kernels of their own: logsigmoid, which must stay
finite for inputs of any size, and hardsigmoid, whose gradient is torch's float32 1/6.

The in-place forms (selu_, celu_, threshold_, ..., or inplace=True) compute the result out of
place from a clone of the input, then write it into the input's memory (autograd.inplace.adopt):
the composed graph never reads the overwritten values.
"""
from __future__ import annotations

from ... import backend, random
from ...autograd.inplace import adopt, apply_inplace
from ...autograd.primitive import Primitive
from ...backend import get_array_module
from ...functions import pointwise, reduction
from ...functions._args import wrap_dim
from ...functions.dtype_support import refuse
from ...tensor import Tensor
from ._args import check_float, check_tensor, scalar_name
from .activation import (
    Elu,
    _check_softmax_input,
    _constant,
    _softmax_dim,
    hardtanh,
    leaky_relu,
    softplus,
)


def _in_place(input: Tensor, compute, name: str) -> Tensor:
    """input <- compute(input), recorded as compute on a clone of the input."""
    return adopt(input, compute(input.clone()), name)


def _require_tensor(value, attribute: str) -> None:
    """torch's own Python code calls a method on its input first: AttributeError for others."""
    if not isinstance(value, Tensor):
        raise AttributeError(f"'{type(value).__name__}' object has no attribute '{attribute}'")


# ----------------------------------------------------------------------------- elu family

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with torch's fixed alpha ≈ 1.6733 and scale ≈ 1.0507"""
    check_tensor(input, "selu")
    check_float(input, "elu_cpu")
    if inplace:
        return _in_place(input, lambda x: selu(x), "selu_")
    return Elu.apply(input, alpha=_SELU_ALPHA) * _SELU_SCALE


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, alpha * (exp(x / alpha) - 1) elsewhere: alpha * elu(x / alpha)"""
    check_tensor(input, "celu")
    check_float(input, "elu_cpu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    if inplace:
        return _in_place(input, lambda x: celu(x, alpha), "celu_")
    return Elu.apply(input / alpha, alpha=1.0) * alpha


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


# ----------------------------------------------------------------------------- gated, parametric

def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a * sigmoid(b), where a and b are the two halves of the input along dim"""
    _require_tensor(input, "dim")
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = wrap_dim(dim, input.dim())
    size = input.shape[dim]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {dim} is size {size}")
    check_float(input, "glu_cpu")
    a, b = input.chunk(2, dim) if size else (input, input)
    return a * b.sigmoid()


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, weight * x elsewhere; weight holds one slope, or one per channel (dim 1)"""
    check_tensor(input, "prelu")
    check_tensor(weight, "prelu", "weight", 2)
    check_float(input, "prelu_cpu")
    count, ndim = weight.numel(), input.dim()
    if count != 1:
        if ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if ndim >= 2 else 1
        if count != channels:
            raise RuntimeError("Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {count} and channel size = {channels}.")
        weight = weight.reshape((channels,) + (1,) * (ndim - 2))
    elif weight.dim() > 0:
        weight = weight.reshape(())
    positive = _constant(input._data > 0)
    return pointwise.where(positive, input, weight * input)


def rrelu_noise(input: Tensor, lower: float, upper: float) -> Tensor:
    """rrelu's random slopes: U(lower, upper) for every element (only those at x <= 0 are
    used). Tests replace this drawer with one that replays torch's draws."""
    uniform = random.random_array("uniform", input._data.shape, backend.numpy_dtype("float64"),
                                  backend.as_device(input.device))
    return Tensor._make((lower + (upper - lower) * uniform).astype(input._data.dtype))


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """leaky_relu with slope (lower + upper) / 2 in eval; in training each element at x <= 0
    gets its own slope drawn from U(lower, upper): y = x * a,  dx = dy * a"""
    check_tensor(input, "rrelu")
    check_float(input, "rrelu_with_noise_out_cpu" if training else "leaky_relu_cpu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    if inplace:
        return _in_place(input, lambda x: rrelu(x, lower, upper, True), "rrelu_")
    slopes = rrelu_noise(input, lower, upper)._data
    noise = get_array_module(slopes).where(input._data <= 0, slopes, 1).astype(slopes.dtype)
    return input * _constant(noise)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
           training: bool = False) -> Tensor:
    return rrelu(input, lower, upper, training, inplace=True)


# ----------------------------------------------------------------------------- hard ones

class Hardsigmoid(Primitive):
    """y = relu6(x + 3) / 6;  dx = dy / 6 strictly between -3 and 3, 0 elsewhere
    (torch's kernel multiplies by 1/6 rounded to float32, in every dtype: so do we)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (get_array_module(x).clip(x + 3, 0, 6) / 6).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        inside = (x._data > -3) & (x._data < 3)
        return grad_output * _constant((inside * _ONE_SIXTH_FLOAT32).astype(x._data.dtype))


_ONE_SIXTH_FLOAT32 = 0.1666666716337204  # float32(1 / 6), as torch's hardsigmoid backward


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6 (composed: slope 0 at -3 and 1 at 3, as torch's)"""
    check_tensor(input, "hardswish")
    check_float(input, "hardswish_cpu")
    if inplace:
        return _in_place(input, hardswish, "hardswish_")
    return input * hardtanh(input + 3, 0.0, 6.0) / 6


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6"""
    check_tensor(input, "hardsigmoid")
    check_float(input, "hardsigmoid_cpu")
    if inplace:
        return apply_inplace(input, Hardsigmoid, (input,), {}, "hardsigmoid_")
    return Hardsigmoid.apply(input)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, 0 elsewhere (gradient 0 on [-lambd, lambd])"""
    check_tensor(input, "hardshrink")
    check_float(input, "hardshrink_cpu")
    return input * _constant(get_array_module(input._data).abs(input._data) > lambd)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 between: x - clamp(x, -lambd, lambd)"""
    check_tensor(input, "softshrink")
    check_float(input, "softshrink_check")
    if input._data.dtype.kind == "f":
        largest = float(get_array_module(input._data).finfo(input._data.dtype).max)
        if not 0 <= lambd <= largest:
            raise RuntimeError(f"lambda must be in range [0, {largest:g}] for input dtype "
                               f"{scalar_name(input)}, but found {lambd:g}")
    return input - pointwise.clamp(input, -lambd, lambd)


def _threshold(input: Tensor, limit: float, value: float, inplace: bool) -> Tensor:
    check_tensor(input, "threshold")
    refuse(input, "threshold_cpu")
    data = input._data
    if data.dtype.kind in "iu":
        info = get_array_module(data).iinfo(data.dtype)
        if not info.min <= value <= info.max:
            raise RuntimeError(f"value cannot be converted to type {data.dtype.name}_t without "
                               "overflow")
    if inplace:
        return _in_place(input, lambda x: _threshold(x, limit, value, False), "threshold_")
    return input.masked_fill(_constant(~(data > limit)), value)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, value elsewhere"""
    return _threshold(input, threshold, value, inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _threshold(input, threshold, value, True)


# ----------------------------------------------------------------------------- smooth ones

class LogSigmoid(Primitive):
    """y = log σ(x) = min(x, 0) - log(1 + e^-|x|);  dx = dy·σ(-x)   (finite for any x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp = get_array_module(x)
        return (xp.minimum(x, 0) - xp.log1p(xp.exp(-xp.abs(x)))).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * (-x).sigmoid()


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)), computed stably"""
    check_tensor(input, "log_sigmoid")
    check_float(input, "log_sigmoid_cpu")
    return LogSigmoid.apply(input)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)"""
    _require_tensor(input, "tanh")
    return input - input.tanh()


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)"""
    _require_tensor(input, "abs")
    return input / (input.abs() + 1)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))"""
    check_tensor(input, "mish")
    check_float(input, "mish_cpu")
    if inplace:
        return _in_place(input, mish, "mish_")
    return input * softplus(input).tanh()


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """softmax(-x) along dim"""
    if not isinstance(input, Tensor):
        raise TypeError(f"bad operand type for unary -: '{type(input).__name__}'")
    if dim is None:
        dim = _softmax_dim("softmin", input.dim(), _stacklevel)
    negated = -input
    _check_softmax_input("softmax", negated, dim, dtype)
    return reduction.softmax(negated, dim, dtype=dtype)


__all__ = ["celu", "celu_", "glu", "hardshrink", "hardsigmoid", "hardswish", "logsigmoid",
           "mish", "prelu", "rrelu", "rrelu_", "selu", "selu_", "softmin", "softshrink",
           "softsign", "tanhshrink", "threshold", "threshold_"]
