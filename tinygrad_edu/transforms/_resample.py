"""Antialiased resizing: torch's interpolate(..., antialias=True), which is Pillow's algorithm.

Shrinking an axis by a factor s with plain bilinear sampling reads 2 of every s input pixels;
antialiasing stretches the filter by s, so that every input pixel contributes:

    out[i] = Σ_j f((j - c_i + ½) / s) · x[j]  /  Σ_j f(...)        c_i = s·(i + ½)

over the input pixels j within c_i ± support, f being the triangle (bilinear, support 1) or
Keys' cubic with a = -0.5 (bicubic, support 2), the support stretched by s when s > 1. When
enlarging (s < 1) nothing is stretched and this is plain interpolation, renormalised at the
borders. The weights of one axis form an (out, in) matrix W, so a resize is two matrix products,
Wh @ image @ Wwᵀ (width first, as torch), differentiable like any product. The weights are
computed in the image's precision, as torch computes them.
"""
from __future__ import annotations

from .. import backend
from ..tensor import Tensor

_SUPPORT = {"bilinear": 1.0, "bicubic": 2.0}  # half the filter's width, before stretching
_CUBIC_A = -0.5  # Pillow's cubic, which torch's antialiased bicubic follows


def _filter(mode: str, x, xp):
    x = xp.abs(x)
    if mode == "bilinear":
        return xp.maximum(1 - x, 0)
    a = _CUBIC_A
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return xp.where(x < 1, near, xp.where(x < 2, far, 0))


def weight_matrix(in_size: int, out_size: int, mode: str, dtype, xp):
    """The (out_size, in_size) matrix of one axis's weights, in `dtype` (a NumPy dtype)."""
    kind = dtype.type
    scale = kind(in_size) / kind(out_size)
    stretch = scale if scale >= 1 else kind(1)
    support = kind(_SUPPORT[mode]) * stretch
    center = scale * (xp.arange(out_size, dtype=dtype) + kind(0.5))
    first = xp.maximum((center - support + kind(0.5)).astype("int64"), 0)
    stop = xp.minimum((center + support + kind(0.5)).astype("int64"), in_size)
    source = xp.arange(in_size, dtype=dtype)
    inside = (xp.arange(in_size) >= first[:, None]) & (xp.arange(in_size) < stop[:, None])
    weights = _filter(mode, (source - center[:, None] + kind(0.5)) / stretch, xp) * inside
    weights = weights.astype(dtype, copy=False)
    total = weights.sum(axis=1, keepdims=True)
    return weights / xp.where(total == 0, kind(1), total)


def resize_antialiased(image: Tensor, size: tuple[int, int], mode: str) -> Tensor:
    """A float tensor (..., H, W) resized to `size` = (h, w) with antialiasing."""
    height, width = image.shape[-2:]
    xp = backend.xp_for(image.device)
    dtype = image.dtype.numpy
    with backend.device_context(image.device):
        if size[1] != width:
            columns = weight_matrix(width, size[1], mode, dtype, xp)
            image = image @ Tensor._make(xp.ascontiguousarray(columns.T))
        if size[0] != height:
            image = Tensor._make(weight_matrix(height, size[0], mode, dtype, xp)) @ image
    return image
