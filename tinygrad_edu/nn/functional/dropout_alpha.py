"""dropout3d, and alpha dropout: the dropout of self-normalizing networks (SELU).

Alpha dropout sets a dropped element to SELU's negative saturation value -α' (not 0) and then
applies the affine map that keeps the mean and variance of the input (Klambauer et al., 2017):

    a = 1 / sqrt((α'² p + 1)(1 - p)),   y = a · (x · mask - α' (1 - mask)) + a α' p

written as torch writes it, y = x · (a · mask) + b with b = a α' (mask - 1 + p): a product and a
sum with constants, so dx = dy · a · mask. The keep-mask is the one plain dropout draws
(dropouts.bernoulli_mask, one draw per element, or per channel for the feature variants).
"""
from __future__ import annotations

import math
import warnings

from ...backend import get_array_module
from ...tensor import Tensor
from . import dropouts
from ._args import check_tensor

__all__ = ["alpha_dropout", "dropout3d", "feature_alpha_dropout"]

_ALPHA = 1.7580993408473766  # α' = SELU's scale × alpha: the value SELU tends to at -infinity


def _alpha_dropout(input: Tensor, p: float, training: bool, inplace: bool, feature: bool):
    dropouts._check_probability(p)
    check_tensor(input, "feature_alpha_dropout" if feature else "alpha_dropout")
    data = input._data
    if feature and data.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if p == 0 or not training or data.size == 0:
        return input
    xp = get_array_module(data)
    if p == 1:  # everything dropped: torch multiplies by zero, without the shift
        zero = Tensor._make(xp.zeros((), dtype=data.dtype))
        return input.mul_(zero) if inplace else input * zero
    shape = data.shape[:2] + (1,) * (data.ndim - 2) if feature else data.shape
    mask = dropouts.bernoulli_mask(shape, p, input.dtype, input.device)
    noise = (mask._data if isinstance(mask, Tensor) else xp.asarray(mask)).astype(data.dtype)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    real = data.dtype.type  # the constants in the input's dtype, as torch's noise
    shift = Tensor._make((noise - 1) * real(_ALPHA * a) + real(_ALPHA * a * p))
    scale = Tensor._make(noise * real(a))
    if inplace:
        return input.mul_(scale).add_(shift)
    return input * scale + shift


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                  inplace: bool = False) -> Tensor:
    """Alpha dropout of each element (training only; note torch's default training=False)"""
    return _alpha_dropout(input, p, training, inplace, feature=False)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels (dim 1) of inputs with at least 2 dims"""
    return _alpha_dropout(input, p, training, inplace, feature=True)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or unbatched (C, D, H, W) inputs."""
    dropouts._check_probability(p)
    if not isinstance(input, Tensor):  # torch's Python code asks the input for its dim first
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'dim'")
    rank = input.dim()
    if rank not in (4, 5):
        warnings.warn(f"dropout3d: Received a {rank}-D input to dropout3d, which is deprecated "
                      "and will result in an error in a future release. To retain the behavior "
                      "and silence this warning, please use dropout instead. Note that dropout3d "
                      "exists to provide channel-wise dropout on inputs with 3 spatial "
                      "dimensions, a channel dimension, and an optional batch dimension (i.e. 4D "
                      "or 5D inputs).", UserWarning, stacklevel=2)
    if rank == 5:
        return dropouts._feature_dropout(input, p, training, inplace)
    result = dropouts._feature_dropout(input.unsqueeze(0), p, training, inplace)
    return input if inplace else result.squeeze(0)
