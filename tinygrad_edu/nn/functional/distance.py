"""Distances and similarities between vectors: normalize, cosine_similarity, pairwise_distance
and pdist, each composed of norm, division and sums (so differentiable twice).

A norm is clamped away from zero before dividing by it. torch clamps cosine_similarity's
norms without recording the clamp: the gradient flows as if the norm were not clamped. Here
the same is written `norm + (clamp(norm, eps) - norm).detach()`: the value of the clamped norm
with the derivative of the norm.
"""
from __future__ import annotations

from ...backend import get_array_module
from ...functions import pointwise, reduction
from ...functions._args import broadcast_shapes, wrap_dim
from ...functions.promotion import result_type
from ...functions.shape import broadcast_to
from ...tensor import Tensor
from ._args import check_tensor

__all__ = ["cosine_similarity", "normalize", "pairwise_distance", "pdist"]


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Tensor | None = None) -> Tensor:
    """input / max(‖input‖_p, eps), the norm taken along dim"""
    if not isinstance(input, Tensor):
        raise AttributeError(f"'{type(input).__name__}' object has no attribute 'norm'")
    denom = pointwise.clamp_min(input.norm(p, dim, keepdim=True), eps).expand_as(input)
    return input / denom if out is None else pointwise.div(input, denom, out=out)


def _clamped_norm(x: Tensor, dim: int, eps: float) -> Tensor:
    """‖x‖ along dim, clamped to at least eps in value only (see the module's docstring)."""
    norm = x.norm(2, dim, keepdim=True)
    return norm + (pointwise.clamp_min(norm, eps) - norm).detach()


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Σ (x1 / max(‖x1‖, eps)) * (x2 / max(‖x2‖, eps)) along dim (so always in [-1, 1])"""
    check_tensor(x1, "cosine_similarity", "x1")
    check_tensor(x2, "cosine_similarity", "x2", 2)
    common = result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is "
                           f"{common.scalar_name}")
    x1, x2 = (x if x.is_floating_point() else x.to(common) for x in (x1, x2))
    shape = broadcast_shapes(tuple(x1.shape), tuple(x2.shape))
    x1, x2 = broadcast_to(x1, shape), broadcast_to(x2, shape)
    dim = wrap_dim(dim, len(shape))
    return ((x1 / _clamped_norm(x1, dim, eps)) * (x2 / _clamped_norm(x2, dim, eps))).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """‖x1 - x2 + eps‖_p along the last dim (of the broadcast shape)"""
    check_tensor(x1, "pairwise_distance", "x1")
    check_tensor(x2, "pairwise_distance", "x2", 2)
    last = max(x1.dim(), x2.dim()) - 1
    return reduction.norm(x1 - x2 + eps, p, last, keepdim)


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """‖x_i - x_j‖_p for every pair of rows i < j, in row-major order: N(N-1)/2 values"""
    check_tensor(input, "pdist")
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if not input.is_floating_point():
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    xp = get_array_module(input._data)
    first, second = xp.triu_indices(input.shape[0], 1)
    return reduction.norm(input[first] - input[second], p, 1)
