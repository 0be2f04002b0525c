"""Activations with torch's signatures: relu & co., softmax, log_softmax."""
from __future__ import annotations

import warnings

from ...autograd.inplace import apply_inplace
from ...functions import pointwise, reduction
from ...ops import activation as act
from ...tensor import Tensor
from ._args import check_float, check_tensor


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
    if input._data.dtype.kind != "f":  # integer tensors are clipped at integer bounds
        min_val, max_val = int(min_val), int(max_val)
    options = {"min_val": min_val, "max_val": max_val}
    if inplace:
        return apply_inplace(input, act.Hardtanh, (input,), options, "hardtanh_")
    return act.Hardtanh.apply(input, **options)


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
        return apply_inplace(input, act.LeakyReluInplace, (input,),
                             {"negative_slope": negative_slope}, "leaky_relu_")
    return act.LeakyRelu.apply(input, negative_slope=negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, alpha * (exp(x) - 1) elsewhere"""
    check_tensor(input, "elu")
    check_float(input, "elu_cpu")
    if inplace:
        return apply_inplace(input, act.EluInplace, (input,), {"alpha": alpha}, "elu_")
    return act.Elu.apply(input, alpha=alpha)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Φ(x) (Φ: the standard normal CDF); approximate='tanh' uses the tanh formula"""
    check_tensor(input, "gelu")
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    check_float(input, "GeluKernelImpl")
    return act.Gelu.apply(input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x)"""
    check_tensor(input, "silu")
    check_float(input, "silu_cpu")
    if inplace:
        return apply_inplace(input, act.Silu, (input,), {}, "silu_")
    return act.Silu.apply(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta * x)) / beta, linear where beta * x > threshold"""
    check_tensor(input, "softplus")
    check_float(input, "softplus_cpu")
    return act.Softplus.apply(input, beta=beta, threshold=threshold)


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
