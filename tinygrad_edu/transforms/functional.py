"""torchvision.transforms.functional: the operations behind the transforms.

Each works on three kinds of image:

    PIL images                  through Pillow's own calls, as torchvision does (needs Pillow)
    tensors (..., C, H, W)      torchvision's tensor code: slicing, flips, interpolate; the
                                results of crops, flips and resizes keep their autograd graph
    NumPy arrays (H, W[, C])    what our datasets return (torchvision's give PIL images): an
                                array is worked on as the tensor (C, H, W) viewing it, by the
                                tensor code, and comes back as an array (H, W[, C])

so values for arrays are those of torchvision's tensor path (a uint8 image resized is rounded
from float32), which can differ from Pillow's fixed-point arithmetic by one grey level.
"""
from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from enum import Enum

from .. import arrays, backend, dtypes
from ..functions.creation import as_tensor
from ..nn.functional.interpolation import interpolate
from ..tensor import Tensor
from . import _pil
from ._resample import resize_antialiased


class InterpolationMode(Enum):
    """How pixels are sampled when an image is resized."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_CONSTANTS = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR,
                  3: InterpolationMode.BICUBIC, 4: InterpolationMode.BOX,
                  5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}
_TENSOR_MODES = ("nearest", "nearest-exact", "bilinear", "bicubic")


def interpolation_mode(value) -> InterpolationMode:
    """An InterpolationMode, or Pillow's integer constant for one (PIL.Image.BILINEAR)."""
    if isinstance(value, InterpolationMode):
        return value
    if isinstance(value, int) and value in _PIL_CONSTANTS:
        return _PIL_CONSTANTS[value]
    raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding "
                    "Pillow integer constant")


# ----------------------------------------------------------------------------- the three kinds

def _apply(img, on_tensor: Callable, on_pil: Callable):
    """on_tensor(img) for a tensor (and an array, as the tensor viewing it); on_pil for PIL."""
    if isinstance(img, Tensor):
        if img.ndim < 2:
            raise TypeError("Tensor is not a torch image.")
        return on_tensor(img)
    if isinstance(img, arrays.NUMPY_ARRAY):
        if img.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {img.ndim} dimensions.")
        channels_first = as_tensor(img if img.ndim == 3 else img[:, :, None]).permute(2, 0, 1)
        out = on_tensor(channels_first)
        pixels = arrays.ascontiguousarray(out.permute(1, 2, 0).numpy())
        # back to (H, W) when there is one channel and there was one less axis, or the op
        # made one channel of several (grayscale), as Pillow's "L" images are
        if pixels.shape[2] == 1 and (img.ndim == 2 or channels_first.shape[0] != 1):
            return pixels[:, :, 0]
        return pixels
    if _pil.is_pil_image(img):
        return on_pil(img)
    raise TypeError(f"img should be PIL Image, Tensor or ndarray. Got {type(img)}")


def get_dimensions(img) -> list[int]:
    """[channels, height, width] of an image."""
    if _pil.is_pil_image(img):
        return [len(img.getbands()), img.size[1], img.size[0]]
    if isinstance(img, arrays.NUMPY_ARRAY) and img.ndim in (2, 3):
        return [1 if img.ndim == 2 else img.shape[2], img.shape[0], img.shape[1]]
    if isinstance(img, Tensor) and img.ndim >= 2:
        return [1 if img.ndim == 2 else img.shape[-3], img.shape[-2], img.shape[-1]]
    return _apply(img, None, None)  # raises the error of its kind


def get_image_size(img) -> list[int]:
    """[width, height] of an image."""
    _, height, width = get_dimensions(img)
    return [width, height]


# ----------------------------------------------------------------------------- conversion

def to_tensor(pic) -> Tensor:
    """An image (H, W) or (H, W, C) as a tensor (C, H, W); uint8 is scaled to [0, 1] float.

    Arrays of other dtypes keep their values and dtype, as in torchvision.
    """
    if _pil.is_pil_image(pic):
        pic = _pil.to_array(pic)
    if not isinstance(pic, arrays.NUMPY_ARRAY):
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
    if pic.ndim not in (2, 3):
        raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
    if pic.ndim == 2:
        pic = pic[:, :, None]
    chw = arrays.ascontiguousarray(pic.transpose(2, 0, 1))
    if chw.dtype == dtypes.uint8.numpy:
        float_type = dtypes.get_default_dtype().numpy
        return Tensor._make(chw.astype(float_type) / float_type.type(255))
    return as_tensor(chw)  # shares memory with `pic` when it can, as torchvision does


def pil_to_tensor(pic) -> Tensor:
    """A PIL image as a tensor (C, H, W) of its own dtype, values unchanged."""
    if not _pil.is_pil_image(pic):
        raise TypeError(f"pic should be PIL Image. Got {type(pic)}")
    pixels = _pil.to_array(pic)
    pixels = pixels[:, :, None] if pixels.ndim == 2 else pixels
    return Tensor._make(arrays.ascontiguousarray(pixels.transpose(2, 0, 1)))


_ONE_CHANNEL_MODES = {"uint8": "L", "int16": "I;16", "int32": "I", "float32": "F"}
_MODES_BY_CHANNELS = {2: ["LA"], 3: ["RGB", "YCbCr", "HSV"], 4: ["RGBA", "CMYK", "RGBX"]}
_DEFAULT_MODES = {2: "LA", 3: "RGB", 4: "RGBA"}


def to_pil_image(pic, mode: str | None = None):
    """A tensor (C, H, W) or an array (H, W, C) as a PIL image, values kept (floats scaled by
    255 into uint8, as torchvision does, unless mode is "F")."""
    if isinstance(pic, Tensor):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        pic = pic.unsqueeze(0) if pic.ndim == 2 else pic
        if pic.shape[-3] > 4:
            raise ValueError(f"pic should not have > 4 channels. Got {pic.shape[-3]} channels.")
        if pic.is_floating_point() and mode != "F":
            pic = pic.detach().mul(255).byte()
        pixels = backend.to_device(pic.detach()._data, backend.CPU).transpose(1, 2, 0)
    elif isinstance(pic, arrays.NUMPY_ARRAY):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        pixels = pic[:, :, None] if pic.ndim == 2 else pic
        if pixels.shape[-1] > 4:
            raise ValueError(f"pic should not have > 4 channels. Got {pixels.shape[-1]} "
                             "channels.")
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic)}.")
    channels = pixels.shape[2]
    if channels == 1:
        pixels = pixels[:, :, 0]
        expected = _ONE_CHANNEL_MODES.get(pixels.dtype.name)
        if mode is not None and mode != expected:
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type "
                             f"{pixels.dtype}. Should be {expected}")
        mode = expected
    else:
        permitted = _MODES_BY_CHANNELS[channels]
        if mode is not None and mode not in permitted:
            raise ValueError(f"Only modes {permitted} are supported for {channels}D inputs")
        if mode is None and pixels.dtype == dtypes.uint8.numpy:
            mode = _DEFAULT_MODES[channels]
    if mode is None:
        raise TypeError(f"Input type {pixels.dtype} is not supported")
    return _pil.pillow().fromarray(arrays.ascontiguousarray(pixels), mode=mode)


def normalize(tensor: Tensor, mean: Sequence[float], std: Sequence[float],
              inplace: bool = False) -> Tensor:
    """(x - mean[c]) / std[c] for each channel c of a float tensor (..., C, H, W)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tensor.size()}")
    mean = as_tensor(mean, dtype=tensor.dtype, device=tensor.device)
    std = as_tensor(std, dtype=tensor.dtype, device=tensor.device)
    if (std == 0).any():
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading "
                         "to division by zero.")
    if mean.ndim == 1:
        mean = mean.view(-1, 1, 1)
    if std.ndim == 1:
        std = std.view(-1, 1, 1)
    if not inplace:
        tensor = tensor.clone()
    return tensor.sub_(mean).div_(std)


# ----------------------------------------------------------------------------- resizing

def resized_output_size(height: int, width: int, size: list[int],
                        max_size: int | None = None) -> list[int]:
    """[new_height, new_width]: `size` is [h, w], or [s] for the smaller edge (the other
    scaled to keep the aspect ratio, rounded down, and capped by max_size)."""
    if len(size) != 1:
        return [size[0], size[1]]
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size[0], int(size[0] * long / short)
    if max_size is not None:
        if max_size <= size[0]:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the "
                             f"requested size for the smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    new_width, new_height = (new_short, new_long) if width <= height else (new_long, new_short)
    return [new_height, new_width]


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size: int | None = None,
           antialias: bool | None = True):
    """The image resized to `size`: (h, w), or an int for the smaller edge."""
    interpolation = interpolation_mode(interpolation)
    if isinstance(size, (list, tuple)):
        if len(size) not in (1, 2):
            raise ValueError(f"Size must be an int or a 1 or 2 element tuple/list, not a "
                             f"{len(size)} element tuple/list")
        if max_size is not None and len(size) != 1:
            raise ValueError("max_size should only be passed if size specifies the length of "
                             "the smaller edge, i.e. size should be an int or a sequence of "
                             "length 1 in torchscript mode.")
    _, height, width = get_dimensions(img)
    output = resized_output_size(height, width, [size] if isinstance(size, int) else size,
                                 max_size)
    if [height, width] == output:
        return img
    mode = interpolation.value
    return _apply(img, lambda image: _resize_tensor(image, output, mode, antialias),
                  lambda image: image.resize((output[1], output[0]), _pil.PIL_FILTERS[mode]))


def _resize_tensor(image: Tensor, size: list[int], mode: str, antialias: bool | None) -> Tensor:
    """torchvision's tensor resize: computed in float32 (or float64), then rounded back."""
    if mode not in _TENSOR_MODES:
        raise ValueError(f"Input Tensor image does not support {mode} interpolation; use one "
                         f"of {', '.join(_TENSOR_MODES)}")
    out_dtype = image.dtype
    if out_dtype not in (dtypes.float32, dtypes.float64):
        image = image.to(dtypes.float32)
    if antialias and mode in ("bilinear", "bicubic"):
        image = resize_antialiased(image, size, mode)
    else:
        lead, (height, width) = image.shape[:-2], image.shape[-2:]
        corners = False if mode in ("bilinear", "bicubic") else None
        image = interpolate(image.reshape(-1, 1, height, width), size=size, mode=mode,
                            align_corners=corners).reshape(*lead, *size)
    if mode == "bicubic" and out_dtype == dtypes.uint8:
        image = image.clamp(min=0, max=255)
    if out_dtype != image.dtype:
        image = (image if out_dtype.is_floating_point else image.round()).to(out_dtype)
    return image


# ----------------------------------------------------------------------------- cropping

def crop(img, top: int, left: int, height: int, width: int):
    """The (height, width) window at (top, left); parts outside the image are zeros."""
    def on_tensor(image: Tensor) -> Tensor:
        image_height, image_width = image.shape[-2:]
        right, bottom = left + width, top + height
        if left < 0 or top < 0 or right > image_width or bottom > image_height:
            outside = [max(-left + min(0, right), 0), max(-top + min(0, bottom), 0),
                       max(right - max(image_width, left), 0),
                       max(bottom - max(image_height, top), 0)]
            inside = image[..., max(top, 0):bottom, max(left, 0):right]
            return _pad_tensor(inside, outside, 0, "constant")
        return image[..., top:bottom, left:right]
    return _apply(img, on_tensor, lambda image: image.crop((left, top, left + width,
                                                            top + height)))


def center_crop(img, output_size):
    """The central (h, w) window; an image smaller than that is padded with zeros first."""
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif isinstance(output_size, (tuple, list)) and len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    _, image_height, image_width = get_dimensions(img)
    crop_height, crop_width = output_size
    if crop_width > image_width or crop_height > image_height:
        padding = [(crop_width - image_width) // 2 if crop_width > image_width else 0,
                   (crop_height - image_height) // 2 if crop_height > image_height else 0,
                   (crop_width - image_width + 1) // 2 if crop_width > image_width else 0,
                   (crop_height - image_height + 1) // 2 if crop_height > image_height else 0]
        img = pad(img, padding, fill=0)
        _, image_height, image_width = get_dimensions(img)
        if crop_width == image_width and crop_height == image_height:
            return img
    top = int(round((image_height - crop_height) / 2.0))
    left = int(round((image_width - crop_width) / 2.0))
    return crop(img, top, left, crop_height, crop_width)


def resized_crop(img, top: int, left: int, height: int, width: int, size,
                 interpolation=InterpolationMode.BILINEAR, antialias: bool | None = True):
    """crop, then resize to `size`."""
    return resize(crop(img, top, left, height, width), size, interpolation,
                  antialias=antialias)


def hflip(img):
    """The image mirrored left to right."""
    return _apply(img, lambda image: image.flip(-1),
                  lambda image: image.transpose(_pil.FLIP_LEFT_RIGHT))


def vflip(img):
    """The image upside down."""
    return _apply(img, lambda image: image.flip(-2),
                  lambda image: image.transpose(_pil.FLIP_TOP_BOTTOM))


# ----------------------------------------------------------------------------- padding

PADDING_MODES = ("constant", "edge", "reflect", "symmetric")


def check_pad_args(padding, fill, padding_mode) -> None:
    if not isinstance(padding, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate padding arg")
    if not isinstance(fill, (numbers.Number, tuple, list)):
        raise TypeError("Got inappropriate fill arg")
    if padding_mode not in PADDING_MODES:
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    if isinstance(padding, Sequence) and len(padding) not in (1, 2, 4):
        raise ValueError("Padding must be an int or a 1, 2, or 4 element tuple, not a "
                         f"{len(padding)} element tuple")


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    """Pad the border: an int for all sides, (left/right, top/bottom), or (left, top, right,
    bottom); a negative side crops. Tensors come back outside autograd."""
    check_pad_args(padding, fill, padding_mode)
    sides = [padding] if isinstance(padding, numbers.Number) else [int(p) for p in padding]
    sides = [int(p) for p in sides]
    sides = sides * 4 if len(sides) == 1 else sides * 2 if len(sides) == 2 else sides

    def on_pil(image):  # as the array of its pixels
        return _pil.from_array(pad(_pil.to_array(image), padding, fill, padding_mode), image)
    return _apply(img, lambda image: _pad_tensor(image, sides, fill, padding_mode), on_pil)


def _pad_tensor(image: Tensor, sides: list[int], fill, mode: str) -> Tensor:
    array = image._data
    left, top, right, bottom = sides
    height_axis = array.ndim - 2
    # Negative sides crop: cut first, then pad what stays positive.
    cut = [slice(None)] * array.ndim
    cut[height_axis] = slice(max(-top, 0), array.shape[height_axis] - max(-bottom, 0))
    cut[height_axis + 1] = slice(max(-left, 0), array.shape[height_axis + 1] - max(-right, 0))
    array = array[tuple(cut)]
    widths = [(0, 0)] * array.ndim
    widths[height_axis] = (max(top, 0), max(bottom, 0))
    widths[height_axis + 1] = (max(left, 0), max(right, 0))
    xp = backend.get_array_module(array)
    if mode != "constant":
        return Tensor._make(xp.pad(array, widths, mode=mode))
    if isinstance(fill, numbers.Number):
        return Tensor._make(xp.pad(array, widths, mode="constant", constant_values=fill))
    # One fill value per channel, the channels being the axis before the rows.
    channels = [xp.pad(xp.take(array, [c], axis=height_axis - 1), widths, mode="constant",
                       constant_values=value) for c, value in enumerate(fill)]
    return Tensor._make(xp.concatenate(channels, axis=height_axis - 1))


# ----------------------------------------------------------------------------- colour

def rgb_to_grayscale(img, num_output_channels: int = 1):
    """Luma 0.2989 R + 0.587 G + 0.114 B (Pillow's "L" for PIL images), in 1 or 3 channels."""
    def on_tensor(image: Tensor) -> Tensor:
        if image.ndim < 3:
            raise TypeError("Input image tensor should have at least 3 dimensions, but found "
                            f"{image.ndim}")
        if image.shape[-3] not in (1, 3):
            raise TypeError("Input image tensor permitted channel values are [1, 3], but "
                            f"found {image.shape[-3]}")
        if num_output_channels not in (1, 3):
            raise ValueError("num_output_channels should be either 1 or 3")
        if image.shape[-3] == 3:
            red, green, blue = image[..., 0, :, :], image[..., 1, :, :], image[..., 2, :, :]
            luma = (0.2989 * red + 0.587 * green + 0.114 * blue).to(image.dtype).unsqueeze(-3)
        else:
            luma = image.clone()
        return luma.expand(image.shape) if num_output_channels == 3 else luma
    return _apply(img, on_tensor, lambda image: _pil.grayscale(image, num_output_channels))


to_grayscale = rgb_to_grayscale
