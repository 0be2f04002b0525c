"""The transforms, named after torchvision.transforms, each a call of transforms.functional.

    transform = transforms.Compose([
        transforms.RandomResizedCrop(224),            # a random window, resized
        transforms.RandomHorizontalFlip(),            # mirrored half the time
        transforms.ToTensor(),                        # uint8 (H, W, C) -> float (C, H, W)
        transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
    ])

Images are PIL images, tensors (..., C, H, W) or NumPy arrays (H, W[, C]) as our datasets give
them (see functional.py). As in torchvision, the transforms that work on tensors are nn.Modules,
the others plain callables. The random ones draw from tinygrad_edu's generator, so
`torch.manual_seed` makes them repeatable; the numbers drawn differ from torch's (another
generator), the distributions and the algorithms are torchvision's.
"""
from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Sequence

from ..functions.creation import empty
from ..functions.sampling import rand, randint
from ..nn.module import Module
from . import functional as F
from .functional import InterpolationMode


def _random_int(low: int, high: int) -> int:
    """torch.randint(low, high, size=(1,)).item()"""
    return int(randint(low, high, size=(1,)).item())


def _setup_size(size, error_msg: str):
    """(h, w) from an int, a 1-sequence or a 2-sequence (torchvision's _setup_size)."""
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if len(size) != 2:
        raise ValueError(error_msg)
    return size


_TWO_SIZES = "Please provide only two dimensions (h, w) for size."


# ----------------------------------------------------------------------------- plain callables

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
    """An image (H, W) or (H, W, C) as a tensor (C, H, W); uint8 is scaled to [0, 1] float32."""

    def __call__(self, pic):
        return F.to_tensor(pic)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class PILToTensor(ToTensor):
    """A PIL image as a tensor (C, H, W) of its own dtype, values unchanged."""

    def __call__(self, pic):
        return F.pil_to_tensor(pic)


class ToPILImage:
    """A tensor (C, H, W) or an array (H, W, C) as a PIL image (needs Pillow)."""

    def __init__(self, mode: str | None = None) -> None:
        self.mode = mode

    def __call__(self, pic):
        return F.to_pil_image(pic, self.mode)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({'' if self.mode is None else f'mode={self.mode}'})"


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


# ----------------------------------------------------------------------------- modules

class Normalize(Module):
    """(x - mean[c]) / std[c] for each channel c of a float tensor (..., C, H, W).

    Written with tensor operations, so gradients flow through it.
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False):
        super().__init__()
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def forward(self, tensor):
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean}, std={self.std})"


class Resize(Module):
    """Resize to `size`: (h, w), or an int that the smaller edge becomes (the other edge keeps
    the aspect ratio). Tensors and arrays are antialiased as torch's interpolate(...,
    antialias=True) does; PIL images are resized by Pillow."""

    def __init__(self, size, interpolation=InterpolationMode.BILINEAR,
                 max_size: int | None = None, antialias: bool | None = True) -> None:
        super().__init__()
        if not isinstance(size, (int, Sequence)):
            raise TypeError(f"Size should be int or sequence. Got {type(size)}")
        if isinstance(size, Sequence) and len(size) not in (1, 2):
            raise ValueError("If size is a sequence, it should have 1 or 2 values")
        self.size = size
        self.max_size = max_size
        self.interpolation = F.interpolation_mode(interpolation)
        self.antialias = antialias

    def forward(self, img):
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(size={self.size}, interpolation="
                f"{self.interpolation.value}, max_size={self.max_size}, "
                f"antialias={self.antialias})")


class CenterCrop(Module):
    """The central (h, w) window (an int: a square), zero-padded if the image is smaller."""

    def __init__(self, size) -> None:
        super().__init__()
        self.size = _setup_size(size, _TWO_SIZES)

    def forward(self, img):
        return F.center_crop(img, self.size)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size})"


class Pad(Module):
    """Pad the border of an image: an int for all sides, (left/right, top/bottom), or
    (left, top, right, bottom). Modes: constant (with `fill`), edge, reflect, symmetric.

    A negative padding crops. The result of padding a tensor is a new tensor outside autograd.
    """

    def __init__(self, padding, fill=0, padding_mode: str = "constant") -> None:
        super().__init__()
        F.check_pad_args(padding, fill, padding_mode)
        self.padding = padding
        self.fill = fill
        self.padding_mode = padding_mode

    def forward(self, img):
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(padding={self.padding}, fill={self.fill}, "
                f"padding_mode={self.padding_mode})")


class RandomCrop(Module):
    """A (h, w) window at a uniformly random place, after optional padding; pad_if_needed
    pads an image smaller than the window first."""

    def __init__(self, size, padding=None, pad_if_needed: bool = False, fill=0,
                 padding_mode: str = "constant") -> None:
        super().__init__()
        self.size = tuple(_setup_size(size, _TWO_SIZES))
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode

    @staticmethod
    def get_params(img, output_size) -> tuple[int, int, int, int]:
        """(top, left, h, w) of a random window of `output_size` = (h, w)."""
        _, height, width = F.get_dimensions(img)
        crop_height, crop_width = output_size
        if height < crop_height or width < crop_width:
            raise ValueError(f"Required crop size {(crop_height, crop_width)} is larger than "
                             f"input image size {(height, width)}")
        if width == crop_width and height == crop_height:
            return 0, 0, height, width
        top = _random_int(0, height - crop_height + 1)
        left = _random_int(0, width - crop_width + 1)
        return top, left, crop_height, crop_width

    def forward(self, img):
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        _, height, width = F.get_dimensions(img)
        if self.pad_if_needed and width < self.size[1]:
            img = F.pad(img, [self.size[1] - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < self.size[0]:
            img = F.pad(img, [0, self.size[0] - height], self.fill, self.padding_mode)
        return F.crop(img, *self.get_params(img, self.size))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip(Module):
    """Mirror the image left to right with probability p."""

    flip = staticmethod(F.hflip)

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p

    def forward(self, img):
        return self.flip(img) if rand(1).item() < self.p else img

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Turn the image upside down with probability p."""

    flip = staticmethod(F.vflip)


class RandomResizedCrop(Module):
    """A random window of random area (a fraction in `scale` of the image's) and aspect ratio
    (log-uniform in `ratio`), resized to `size`. Ten tries; then the central crop of the
    largest window whose aspect ratio is within `ratio`."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation=InterpolationMode.BILINEAR, antialias: bool | None = True):
        super().__init__()
        self.size = _setup_size(size, _TWO_SIZES)
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)", stacklevel=2)
        self.interpolation = F.interpolation_mode(interpolation)
        self.antialias = antialias
        self.scale = scale
        self.ratio = ratio

    @staticmethod
    def get_params(img, scale, ratio) -> tuple[int, int, int, int]:
        """(top, left, h, w) of the window to crop."""
        _, height, width = F.get_dimensions(img)
        area = height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = area * empty(1).uniform_(scale[0], scale[1]).item()
            aspect_ratio = math.exp(empty(1).uniform_(*log_ratio).item())
            w = int(round(math.sqrt(target_area * aspect_ratio)))
            h = int(round(math.sqrt(target_area / aspect_ratio)))
            if 0 < w <= width and 0 < h <= height:
                return _random_int(0, height - h + 1), _random_int(0, width - w + 1), h, w
        in_ratio = float(width) / float(height)
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            w, h = int(round(height * max(ratio))), height
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def forward(self, img):
        top, left, h, w = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, top, left, h, w, self.size, self.interpolation,
                              antialias=self.antialias)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(size={self.size}, "
                f"scale={tuple(round(s, 4) for s in self.scale)}, "
                f"ratio={tuple(round(r, 4) for r in self.ratio)}, "
                f"interpolation={self.interpolation.value}, antialias={self.antialias})")


class Grayscale(Module):
    """Luma 0.2989 R + 0.587 G + 0.114 B in 1 or 3 channels."""

    def __init__(self, num_output_channels: int = 1) -> None:
        super().__init__()
        self.num_output_channels = num_output_channels

    def forward(self, img):
        return F.rgb_to_grayscale(img, num_output_channels=self.num_output_channels)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(num_output_channels={self.num_output_channels})"


class RandomGrayscale(Module):
    """Grayscale with probability p, keeping the number of channels."""

    def __init__(self, p: float = 0.1) -> None:
        super().__init__()
        self.p = p

    def forward(self, img):
        channels, _, _ = F.get_dimensions(img)
        if rand(1).item() < self.p:
            return F.rgb_to_grayscale(img, num_output_channels=channels)
        return img

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class RandomApply(Module):
    """Apply all the transforms, in order, with probability p; else none."""

    def __init__(self, transforms: Sequence[Callable], p: float = 0.5) -> None:
        super().__init__()
        self.transforms = transforms
        self.p = p

    def forward(self, img):
        if self.p < rand(1).item():
            return img
        for transform in self.transforms:
            img = transform(img)
        return img

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}(", f"    p={self.p}"]
        return "\n".join(lines + [f"    {t}" for t in self.transforms] + [")"])
