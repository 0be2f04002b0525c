"""interpolate (and the older upsample*): resize images by nearest, linear or cubic sampling.

Every mode resizes one spatial axis at a time (torch's kernels compute the same sums, innermost
axis first). Output position i of an axis is mapped to a source position in the input:

    nearest        ⌊i·scale⌋                 nearest-exact  ⌊(i + ½)·scale⌋
    linear, cubic  (i + ½)·scale - ½          (align_corners: i·(n_in - 1)/(n_out - 1))

with scale = n_in / n_out, or 1 / scale_factor when one is given. Nearest modes read the one
element there; linear ones blend the two neighbours, y = (1 - λ)·x[i₀] + λ·x[i₁]; bicubic blends
four with Keys' cubic weights (A = -0.75), indices clamped at the borders. 'area' is adaptive
average pooling. Each is indexing and arithmetic, whose gradients scatter back (no new backward).
Indices and weights are computed in the input's precision, as torch computes them.
"""
from __future__ import annotations

import math
import warnings

from ...backend import get_array_module
from ...functions.dtype_support import INTEGRAL, refuse
from ...tensor import Tensor
from ._python_args import check_python_tensor
from .adaptive_pooling import adaptive_avg_pool2d
from .pooling_more import adaptive_avg_pool1d, adaptive_avg_pool3d

__all__ = ["interpolate", "upsample", "upsample_bilinear", "upsample_nearest"]

_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
# the input dims each mode needs (None: any of 3, 4, 5)
_NEEDS = {"nearest": None, "nearest-exact": None, "area": None, "linear": 3, "bilinear": 4,
          "trilinear": 5, "bicubic": 4}
_AXES = ("D", "H", "W")
CUBIC_A = -0.75  # Keys' parameter, torch's (and OpenCV's) choice


# ----------------------------------------------------------------------------- arguments

def _sizes(input, size, scale_factor, mode, recompute_scale_factor):
    """(output sizes, scale factors handed to the kernels or None per axis), as torch's."""
    dims = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        if isinstance(size, (tuple, list)):
            if len(size) != dims:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(input.shape[2:])} and output size "
                    f"of {size}. Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                    "and output size in (o1, o2, ...,oK) format.")
            if not all(isinstance(s, int) or hasattr(s, "__index__") for s in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] "
                                "or Tuple[int, int, int], but got size with types "
                                f"{[type(s) for s in size]}")
            return [int(s) for s in size], [None] * dims
        return [int(size)] * dims, [None] * dims
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if isinstance(scale_factor, (tuple, list)):
        if len(scale_factor) != dims:
            raise ValueError(
                "Input and scale_factor must have the same number of spatial dimensions, but "
                f"got input with spatial dimensions of {list(input.shape[2:])} and scale_factor "
                f"of shape {scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                "format and scale_factor in (s1, s2, ...,sK) format.")
        factors = [float(f) for f in scale_factor]
    else:
        factors = [float(scale_factor)] * dims
    sizes = [math.floor(n * f) for n, f in zip(input.shape[2:], factors)]
    if mode == "area" or recompute_scale_factor:  # the kernels recompute n_in / n_out
        return sizes, [None] * dims
    return sizes, factors


def _check_sizes(input, sizes) -> None:
    if all(n > 0 for n in input.shape[2:]) and all(o > 0 for o in sizes):
        return
    names = _AXES[3 - len(sizes):]
    raise RuntimeError("Input and output sizes should be greater than 0, but got input (" +
                       ", ".join(f"{a}: {n}" for a, n in zip(names, input.shape[2:])) +
                       ") and output (" + ", ".join(f"{a}: {o}" for a, o in zip(names, sizes)) +
                       ")")


# ----------------------------------------------------------------------------- source positions

def _scale(xp, dtype, n_in, n_out, factor, align_corners):
    """torch's area_pixel_compute_scale, in the kernel's precision."""
    if align_corners:
        return dtype.type(n_in - 1) / dtype.type(n_out - 1) if n_out > 1 else dtype.type(0)
    if factor is not None and factor > 0:
        return dtype.type(1.0 / factor)
    return dtype.type(n_in) / dtype.type(n_out)


def _nearest_index(xp, n_in, n_out, factor, exact):
    """Source element of each output element: ⌊i·scale⌋ (or ⌊(i + ½)·scale⌋), in float32."""
    if n_out == n_in and not exact:
        return xp.arange(n_out)
    if n_out == 2 * n_in and not exact:
        return xp.arange(n_out) >> 1
    f32 = xp.dtype("float32")
    scale = _scale(xp, f32, n_in, n_out, factor, False)
    if exact:
        position = ((xp.arange(n_out) + 0.5) * float(scale)).astype(f32)
    else:
        position = xp.arange(n_out).astype(f32) * scale
    return xp.minimum(xp.floor(position).astype(xp.int64), n_in - 1)


def _source(xp, dtype, n_in, n_out, factor, align_corners, cubic):
    """(first index, fraction λ) of each output element's source position."""
    scale = _scale(xp, dtype, n_in, n_out, factor, align_corners)
    out = xp.arange(n_out).astype(dtype)
    if align_corners:
        real = scale * out
    else:
        real = scale * (out + dtype.type(0.5)) - dtype.type(0.5)
        if not cubic:
            real = xp.maximum(real, dtype.type(0))
    index = xp.minimum(xp.floor(real.astype(xp.float32)).astype(xp.int64), n_in - 1)
    fraction = xp.clip(real - index.astype(dtype), 0, 1).astype(dtype)
    return index, fraction


def _cubic_weights(xp, t, dtype):
    """Keys' cubic convolution weights of the four neighbours at fraction t."""
    a = dtype.type(CUBIC_A)

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    one = dtype.type(1)
    return [far(t + one), near(t), near(one - t), far(one - t + one)]


# ----------------------------------------------------------------------------- resampling

def _taps(x: Tensor, axis: int, index, weights=None) -> Tensor:
    """Σ_j x[..., index[j], ...]·weights[j] along `axis` (only one gather without weights)."""
    if weights is None:
        return x.index_select(axis, Tensor._make(index))
    shape = [1] * x.dim()
    shape[axis] = -1
    out = None
    for where, weight in zip(index, weights):
        term = x.index_select(axis, Tensor._make(where)) * Tensor._make(weight.reshape(shape))
        out = term if out is None else out + term
    return out


def _resample(x: Tensor, sizes, factors, mode: str, align_corners: bool) -> Tensor:
    xp = get_array_module(x._data)
    dtype = x._data.dtype
    if dtype.kind != "f" or dtype.itemsize < 4:  # torch computes positions in float32 then
        dtype = xp.dtype("float32")
    byte = x._data.dtype.kind != "f"
    # uint8 images: each pass in float32, rounded back to bytes; torch's byte kernels weigh in
    # fixed point, so linear and cubic results may differ from its by a level or two
    if byte:
        x = x.float()
    for axis in reversed(range(2, x.dim())):  # innermost axis first, as torch's sums
        n_in, n_out = x.shape[axis], sizes[axis - 2]
        factor = factors[axis - 2]
        if mode in ("nearest", "nearest-exact"):
            x = _taps(x, axis, _nearest_index(xp, n_in, n_out, factor, mode != "nearest"))
        elif mode == "bicubic":
            index, fraction = _source(xp, dtype, n_in, n_out, factor, align_corners, True)
            where = [xp.clip(index - 1 + j, 0, n_in - 1) for j in range(4)]
            x = _taps(x, axis, where, _cubic_weights(xp, fraction, dtype))
        else:
            index, fraction = _source(xp, dtype, n_in, n_out, factor, align_corners, False)
            following = xp.minimum(index + 1, n_in - 1)
            x = _taps(x, axis, [index, following], [1 - fraction, fraction])
        if byte:
            x = x.round().clamp(0, 255)
    return x


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize (N, C, [D,] [H,] W) inputs to `size`, or by `scale_factor`, with `mode`."""
    check_python_tensor(input)
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    sizes, factors = _sizes(input, size, scale_factor, mode, recompute_scale_factor)
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    if antialias:
        raise NotImplementedError("interpolate(antialias=True) is not implemented here")
    dim = input.dim()
    if dim not in (3, 4, 5) or mode not in _NEEDS or _NEEDS[mode] not in (None, dim):
        needs = _NEEDS.get(mode)
        if dim in (3, 4, 5) and mode != "bicubic" and needs is not None:
            raise NotImplementedError(f"Got {dim}D input, but {mode} mode needs {needs}D input")
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                                  f"{dim}D) for the modes: {_MODES} (got {mode})")
    if mode == "area":
        pool = {3: adaptive_avg_pool1d, 4: adaptive_avg_pool2d, 5: adaptive_avg_pool3d}[dim]
        return pool(input, sizes)
    _check_sizes(input, sizes)
    if mode in ("nearest", "nearest-exact"):
        refuse(input, "compute_indices_weights_nearest", INTEGRAL - {"uint8"})
    else:
        kernel = {"bilinear": "upsample_bilinear2d_channels_last",
                  "bicubic": "compute_indices_weights_cubic"}.get(mode,
                                                                   "compute_indices_weights_linear")
        refuse(input, kernel, INTEGRAL - ({"uint8"} if dim == 4 else set()))
    out = _resample(input, sizes, factors, mode, align_corners)
    return out if out.dtype == input.dtype else out.to(input.dtype)


# ----------------------------------------------------------------------------- the older names

def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """interpolate, under its older name (deprecated in torch, with a warning)."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """interpolate(mode='nearest') (deprecated in torch, with a warning)."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """interpolate(mode='bilinear', align_corners=True) (deprecated in torch, with a warning)."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
