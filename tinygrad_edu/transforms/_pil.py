"""PIL images, an optional extra: Pillow is imported only when a PIL image is made or changed.

    pip install tinygrad_edu[vision]     # adds Pillow

PIL images are recognised without importing Pillow (a program that never makes one never
needs it), and every operation on one is the PIL call torchvision makes.
"""
from __future__ import annotations

from .. import backend

# torchvision's interpolation names and Pillow's resampling filters (PIL.Image.Resampling)
PIL_FILTERS = {"nearest": 0, "lanczos": 1, "bilinear": 2, "bicubic": 3, "box": 4, "hamming": 5}
FLIP_LEFT_RIGHT, FLIP_TOP_BOTTOM = 0, 1  # PIL.Image.Transpose


def pillow():
    """The PIL.Image module, or an ImportError that says how to get it."""
    try:
        from PIL import Image  # noqa: PLC0415 - an optional dependency
    except ImportError:
        raise ImportError("PIL images need the Pillow package: pip install tinygrad_edu[vision] "
                          "(or pip install pillow)") from None
    return Image


def is_pil_image(img) -> bool:
    return hasattr(img, "getbands") and hasattr(img, "mode") and hasattr(img, "size")


def to_array(img):
    """The pixels of a PIL image as a NumPy array (H, W) or (H, W, C), copied."""
    return backend.asarray(img, copy=True)


def from_array(array, like):
    """A PIL image of `array`'s pixels in the mode of the image `like` (palette kept)."""
    image = pillow().fromarray(array, mode=like.mode)
    if like.mode == "P":
        image.putpalette(like.getpalette())
    return image


def grayscale(img, num_output_channels: int):
    """torchvision's PIL grayscale: Pillow's "L" conversion, repeated into RGB for 3 channels."""
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    luma = img.convert("L")
    return luma if num_output_channels == 1 else pillow().merge("RGB", (luma, luma, luma))
