"""torchvision.utils.make_grid and save_image: a batch of images as one picture.

    grid = make_grid(images, nrow=8, padding=2)     # (B, C, H, W) -> (3 or C, H', W')
    save_image(images, "samples.png")               # the same grid, written as a PNG

Both work outside autograd (torchvision runs them under no_grad): the grid is a new, detached
tensor. Writing an image file needs Pillow (`pip install pillow`).
"""
from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import BinaryIO

from .. import backend
from ..functions.shape import stack
from ..tensor import Tensor


def make_grid(tensor: Tensor | list[Tensor], nrow: int = 8, padding: int = 2,
              normalize: bool = False, value_range: tuple[float, float] | None = None,
              scale_each: bool = False, pad_value: float = 0.0, **kwargs) -> Tensor:
    """Tile a batch of images (B, C, H, W) into one image, `nrow` images per row.

    Single-channel images are repeated into 3 channels; `normalize=True` maps
    [min, max] (or `value_range`) to [0, 1], per image when `scale_each=True`.
    """
    is_list = isinstance(tensor, list) and all(isinstance(item, Tensor) for item in tensor)
    if not (isinstance(tensor, Tensor) or is_list):
        raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")
    if "range" in kwargs:
        warnings.warn("range will be deprecated, please use value_range instead.", stacklevel=2)
        value_range = kwargs["range"]
    images = _as_batch(tensor)
    xp = backend.get_array_module(images)

    if normalize:
        if value_range is not None and not isinstance(value_range, tuple):
            raise AssertionError("value_range has to be a tuple (min, max) if specified. min and "
                                 "max are numbers")
        images = images.copy()
        for image in (images if scale_each else [images]):
            low, high = value_range if value_range is not None else (image.min(), image.max())
            low, high = float(low), float(high)
            xp.clip(image, low, high, out=image)
            image -= low
            image /= max(high - low, 1e-5)

    if images.shape[0] == 1:
        return Tensor._make(images[0])
    count, channels, height, width = images.shape
    across = min(nrow, count)
    down = int(math.ceil(count / across))
    cell_height, cell_width = height + padding, width + padding
    grid = xp.full((channels, cell_height * down + padding, cell_width * across + padding),
                   pad_value, dtype=images.dtype)
    for k in range(count):
        top = (k // across) * cell_height + padding
        left = (k % across) * cell_width + padding
        grid[:, top:top + height, left:left + width] = images[k]
    return Tensor._make(grid)


def _as_batch(tensor):
    """The images as a (B, C, H, W) array, grey images repeated into three channels."""
    if isinstance(tensor, list):
        tensor = stack(tensor, 0)  # checks equal sizes in torch's words
    images = tensor._data
    xp = backend.get_array_module(images)
    if images.ndim == 2:
        images = images[None]
    if images.ndim == 3:
        if images.shape[0] == 1:
            images = xp.concatenate([images] * 3, axis=0)
        images = images[None]
    if images.ndim == 4 and images.shape[1] == 1:
        images = xp.concatenate([images] * 3, axis=1)
    return images


def save_image(tensor: Tensor | list[Tensor], fp: str | Path | BinaryIO,
               format: str | None = None, **kwargs) -> None:
    """Write `make_grid(tensor, **kwargs)` (values in [0, 1]) as an image file (PNG, ...)."""
    try:
        from PIL import Image  # noqa: PLC0415 - an optional dependency
    except ImportError:
        raise ImportError("save_image needs the Pillow package to write image files: "
                          "pip install pillow") from None
    grid = make_grid(tensor, **kwargs)._data
    grid = backend.to_device(grid, backend.CPU)
    xp = backend.get_array_module(grid)
    # As torchvision: scale to [0, 255] in the grid's dtype, add 0.5, clamp, then truncate.
    pixels = xp.clip(grid * 255 + 0.5, 0, 255).astype(xp.uint8).transpose(1, 2, 0)
    Image.fromarray(xp.ascontiguousarray(pixels)).save(fp, format=format)
