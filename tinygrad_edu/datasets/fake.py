"""FakeData (torchvision.datasets.FakeData): random images, the same image for the same index.

    data = FakeData(size=100, image_size=(3, 32, 32), num_classes=10, transform=ToTensor())
    image, target = data[7]      # always the same image and class for index 7

Item i is drawn from a generator seeded with i + random_offset: standard normal pixels, then,
as torchvision's ToPILImage does with them, scaled by 255 and converted to uint8 (wrapping
around); and a class uniform in [0, num_classes). The global random state is left alone. The
values differ from torchvision's (another random generator); the recipe is the same.

As our MNIST, an item's image is a uint8 NumPy array (H, W, C), or (H, W) for one channel (what
torchvision's PIL image holds), rather than a PIL image; transforms.ToTensor takes either.
"""
from __future__ import annotations

from collections.abc import Callable

from .. import arrays
from ..functions.sampling import randint, randn
from ..random import Generator
from .vision import StandardTransform, VisionDataset


class FakeData(VisionDataset):
    """`size` random images of `image_size` (C, H, W) in `num_classes` classes."""

    def __init__(self, size: int = 1000, image_size: tuple[int, int, int] = (3, 224, 224),
                 num_classes: int = 10, transform: Callable | None = None,
                 target_transform: Callable | None = None, random_offset: int = 0) -> None:
        super().__init__(None, transform=transform, target_transform=target_transform)
        self.size = size
        self.num_classes = num_classes
        self.image_size = image_size
        self.random_offset = random_offset

    def __getitem__(self, index: int):
        if index >= len(self):
            raise IndexError(f"{type(self).__name__} index out of range")
        generator = Generator().manual_seed(index + self.random_offset)
        image = randn(*self.image_size, generator=generator)
        target = int(randint(0, self.num_classes, size=(1,), generator=generator)[0])
        pixels = image.mul(255).byte()  # what torchvision's ToPILImage makes of floats
        if pixels.ndim == 3:
            pixels = pixels.permute(1, 2, 0)  # (H, W, C), as the PIL image's array
            if pixels.shape[2] == 1:
                pixels = pixels[:, :, 0]
        image = arrays.ascontiguousarray(pixels.numpy())
        return StandardTransform.of(self)(image, target)

    def __len__(self) -> int:
        return self.size
