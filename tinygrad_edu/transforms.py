"""Image transforms, named after torchvision.transforms (the few the tutorials use).

    transform = transforms.Compose([
        transforms.ToTensor(),                        # uint8 (H, W) -> float32 (1, H, W) in [0, 1]
        transforms.Normalize((0.1307,), (0.3081,)),   # (x - mean) / std, per channel
    ])
    image = transform(mnist_image)

Images arrive as NumPy arrays (H, W) or (H, W, C), as our datasets give them, or as PIL images;
after ToTensor they are tensors (C, H, W).
"""
from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

from . import arrays, backend, dtypes
from .functions.creation import as_tensor
from .tensor import Tensor


class Compose:
    """Apply several transforms, one after the other."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        self.transforms = transforms

    def __call__(self, img):
        for transform in self.transforms:
            img = transform(img)
        return img

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}("] + [f"    {t}" for t in self.transforms] + [")"]
        return "\n".join(lines)


class ToTensor:
    """An image (H, W) or (H, W, C) as a tensor (C, H, W); uint8 is scaled to [0, 1] float32.

    Arrays of other dtypes keep their values and dtype, as in torchvision.
    """

    def __call__(self, pic) -> Tensor:
        if hasattr(pic, "getbands") and hasattr(pic, "mode"):  # a PIL image
            pic = backend.asarray(pic, copy=True)
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

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Normalize:
    """(x - mean[c]) / std[c] for each channel c of a float tensor (..., C, H, W).

    Written with tensor operations, so gradients flow through it.
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False):
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        if not isinstance(tensor, Tensor):
            raise TypeError(f"img should be Tensor Image. Got {type(tensor)}")
        if not tensor.is_floating_point():
            raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
        if tensor.ndim < 3:
            raise ValueError("Expected tensor to be a tensor image of size (..., C, H, W). Got "
                             f"tensor.size() = {tensor.size()}")
        mean = as_tensor(self.mean, dtype=tensor.dtype, device=tensor.device)
        std = as_tensor(self.std, dtype=tensor.dtype, device=tensor.device)
        if (std == 0).any():
            raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading "
                             "to division by zero.")
        if mean.ndim == 1:
            mean = mean.view(-1, 1, 1)
        if std.ndim == 1:
            std = std.view(-1, 1, 1)
        if not self.inplace:
            tensor = tensor.clone()
        return tensor.sub_(mean).div_(std)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean}, std={self.std})"


class Lambda:
    """A user function as a transform."""

    def __init__(self, lambd: Callable) -> None:
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__!r}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Pad:
    """Pad the border of an image: an int for all sides, (left/right, top/bottom), or
    (left, top, right, bottom). Modes: constant (with `fill`), edge, reflect, symmetric.

    Works on arrays (H, W) / (H, W, C) and on tensors (..., H, W); a negative padding crops.
    The result of padding a tensor is a new tensor outside autograd.
    """

    _MODES = ("constant", "edge", "reflect", "symmetric")

    def __init__(self, padding, fill=0, padding_mode: str = "constant") -> None:
        if not isinstance(padding, (numbers.Number, tuple, list)):
            raise TypeError("Got inappropriate padding arg")
        if not isinstance(fill, (numbers.Number, tuple, list)):
            raise TypeError("Got inappropriate fill arg")
        if padding_mode not in self._MODES:
            raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
        if isinstance(padding, Sequence) and len(padding) not in (1, 2, 4):
            raise ValueError("Padding must be an int or a 1, 2, or 4 element tuple, not a "
                             f"{len(padding)} element tuple")
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def _sides(self) -> tuple[int, int, int, int]:
        padding = self.padding
        if isinstance(padding, numbers.Number):
            padding = [padding]
        padding = [int(p) for p in padding]
        if len(padding) == 1:
            return padding[0], padding[0], padding[0], padding[0]
        if len(padding) == 2:
            return padding[0], padding[1], padding[0], padding[1]
        return padding[0], padding[1], padding[2], padding[3]

    def __call__(self, img):
        if isinstance(img, Tensor):
            height_axis, array = img.ndim - 2, img._data
        elif isinstance(img, arrays.NUMPY_ARRAY):
            height_axis, array = 0, img
        else:
            raise TypeError(f"img should be a Tensor or an ndarray. Got {type(img)}")
        left, top, right, bottom = self._sides()
        # Negative sides crop: cut first, then pad what stays positive.
        crop = [slice(None)] * array.ndim
        crop[height_axis] = slice(max(-top, 0), array.shape[height_axis] - max(-bottom, 0))
        crop[height_axis + 1] = slice(max(-left, 0), array.shape[height_axis + 1] - max(-right, 0))
        array = array[tuple(crop)]
        widths = [(0, 0)] * array.ndim
        widths[height_axis] = (max(top, 0), max(bottom, 0))
        widths[height_axis + 1] = (max(left, 0), max(right, 0))
        padded = self._pad(array, widths, height_axis)
        return Tensor._make(padded) if isinstance(img, Tensor) else padded

    def _pad(self, array, widths, height_axis: int):
        xp = backend.get_array_module(array)
        mode = self.padding_mode
        if mode != "constant":
            return xp.pad(array, widths, mode=mode)
        if isinstance(self.fill, numbers.Number):
            return xp.pad(array, widths, mode="constant", constant_values=self.fill)
        # One fill value per channel: channels come first for tensors, last for arrays.
        channel_axis = height_axis - 1 if height_axis > 0 else array.ndim - 1
        channels = [xp.pad(xp.take(array, [c], axis=channel_axis), widths, mode="constant",
                           constant_values=value) for c, value in enumerate(self.fill)]
        return xp.concatenate(channels, axis=channel_axis)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(padding={self.padding}, fill={self.fill}, "
                f"padding_mode={self.padding_mode})")
