"""Losses composed of existing ops: kl_div, poisson_nll_loss, gaussian_nll_loss,
soft_margin_loss and multilabel_soft_margin_loss.

Each is written as torch writes it (its formula in ATen or in its Python code), so the
gradients, second derivatives included, are those of the composition. Where torch clamps a
tensor without recording the clamp (gaussian_nll_loss's variance), the gradient flows as if it
were not clamped: `v + (clamp(v, eps) - v).detach()` has the clamped value and v's derivative.
"""
from __future__ import annotations

import math
import warnings

from ...autograd import grad_mode
from ...functions import math as tmath
from ...functions import pointwise
from ...functions.creation import ones_like
from ...tensor import Tensor
from ._args import check_tensor
from .activation_more import logsigmoid
from .loss import _reduction

__all__ = ["gaussian_nll_loss", "kl_div", "multilabel_soft_margin_loss", "poisson_nll_loss",
           "soft_margin_loss"]


def reduce_loss(loss: Tensor, reduction: str) -> Tensor:
    """'none': each element's loss; 'sum'; 'mean' (torch's apply_loss_reduction)."""
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


# how torch's C++ names a dtype in "result type Float can't be cast to ..."
_CPP_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char",
              "int16": "short int", "int32": "int", "int64": "long int"}


def value_clamped(x: Tensor, low: float) -> Tensor:
    """max(x, low) in value, with x's own derivative (a clamp torch does under no_grad, in
    place: so it refuses integer tensors)."""
    if not x.is_floating_point():
        raise RuntimeError("result type Float can't be cast to the desired output type "
                           f"{_CPP_NAMES.get(x.dtype.name, x.dtype.name)}")
    return x + (pointwise.clamp_min(x, low) - x).detach()


# ----------------------------------------------------------------------------- divergences

def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Σ target * (log target - input): the KL divergence of the target from exp(input).
    log_target: the target is given as log-probabilities too. 'batchmean' divides the sum by
    the batch size (the mathematical KL divergence); 'mean' divides by every element."""
    check_tensor(input, "kl_div")
    check_tensor(target, "kl_div", "target", 2)
    if size_average is not None or reduce is not None:
        legacy = _reduction(size_average, reduce, "mean")
    else:
        if reduction == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and "
                          "the support size.'batchmean' divides only by the batch size, and "
                          "aligns with the KL div math definition.'mean' will be changed to "
                          "behave the same as 'batchmean' in the next major release.",
                          UserWarning, stacklevel=2)
        legacy = "sum" if reduction == "batchmean" else _reduction(None, None, reduction)
    if not (input.is_floating_point() and target.is_floating_point()):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = tmath.xlogy(target, target) - target * input
    reduced = reduce_loss(loss, legacy)
    if reduction == "batchmean" and input.dim() != 0 and legacy == "sum":
        reduced = reduced / input.shape[0]
    return reduced


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """exp(input) - target * input (log_input), or input - target * log(input + eps); full adds
    Stirling's approximation of log(target!) where target > 1"""
    check_tensor(input, "poisson_nll_loss")
    check_tensor(target, "poisson_nll_loss", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (target * (2 * math.pi)).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return reduce_loss(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """½ (log var + (input - target)² / var), var clamped to at least eps; full adds ½ log 2π.
    var has input's shape, or one dim of size 1 (or missing last) where input's is not"""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ones_like(input)
    elif not isinstance(var, Tensor):
        raise TypeError(f"any() received an invalid combination of arguments - got "
                        f"({type(var < 0).__name__}), but expected a Tensor")
    elif bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    if not isinstance(input, Tensor):
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'size'")
    input_shape, var_shape = tuple(input.shape), tuple(var.shape)
    if var_shape != input_shape:
        if input_shape[:-1] == var_shape:
            var = var.unsqueeze(-1)
        elif not (len(input_shape) == len(var_shape) and sum(
                v for i, v in zip(input_shape, var_shape) if i != v) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    var = value_clamped(var, eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return reduce_loss(loss, reduction)


# ----------------------------------------------------------------------------- soft margins

def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + exp(-input * target)), target in {-1, 1} (a two-class logistic loss)"""
    check_tensor(input, "soft_margin_loss")
    check_tensor(target, "soft_margin_loss", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    if target.requires_grad and grad_mode.is_grad_enabled():
        raise RuntimeError("The function 'soft_margin_loss' is not differentiable with respect "
                           "to argument 'target'. This input cannot have requires_grad True.")
    negated = -input  # (first, as torch: refuses bool)
    if not input.is_floating_point():
        raise RuntimeError("result type Float can't be cast to the desired output type "
                           f"{input.dtype.scalar_name}")
    product = negated * target.to(input.dtype)
    if tuple(product.shape) != tuple(input.shape):  # torch writes into an input-shaped buffer
        raise RuntimeError(f"output with shape {list(input.shape)} doesn't match the broadcast "
                           f"shape {list(product.shape)}")
    return reduce_loss(product.exp().log1p(), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average=None, reduce=None,
                                reduction: str = "mean") -> Tensor:
    """-(target log σ(input) + (1 - target) log σ(-input)), averaged over the classes (last
    dim), then reduced over the samples"""
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    if input.dim() == 0:
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    loss = loss.sum(dim=input.dim() - 1) / input.shape[-1]
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return reduce_loss(loss, reduction)

