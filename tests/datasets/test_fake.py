"""FakeData: torchvision's recipe (seed = index + random_offset; randn pixels made bytes as
ToPILImage makes them; a class from the same generator), with the global state left alone."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu import transforms
from tinygrad_edu.datasets import FakeData


def drawn(index: int, image_size, num_classes: int):
    """The numbers item `index` is made of: standard normals, then a class."""
    generator = tinygrad_edu.Generator().manual_seed(index)
    values = tinygrad_edu.randn(*image_size, generator=generator).numpy()
    target = tinygrad_edu.randint(0, num_classes, size=(1,), generator=generator)[0].item()
    return values, target


@pytest.mark.parametrize("image_size", [(3, 4, 5), (1, 6, 2)])
def test_items_are_torchvisions_recipe_on_our_generator(image_size):
    data = FakeData(size=6, image_size=image_size, num_classes=4, random_offset=2)
    for index in (0, 3):
        image, target = data[index]
        values, expected_target = drawn(index + 2, image_size, 4)
        # torchvision's ToPILImage: pic.mul(255).byte(), then (H, W, C) ("L": (H, W))
        pixels = torch.tensor(values).mul(255).byte().permute(1, 2, 0).numpy()
        expected = pixels[:, :, 0] if image_size[0] == 1 else pixels
        assert image.dtype == np.uint8 and np.array_equal(image, expected)
        assert target == expected_target and isinstance(target, int)


def test_items_repeat_offsets_shift_and_the_global_state_is_untouched():
    data = FakeData(size=10, image_size=(3, 4, 4), num_classes=10)
    tinygrad_edu.manual_seed(5)
    before = tinygrad_edu.rand(3).numpy()
    tinygrad_edu.manual_seed(5)
    first, again = data[7], data[7]
    assert np.array_equal(tinygrad_edu.rand(3).numpy(), before)
    assert np.array_equal(first[0], again[0]) and first[1] == again[1]
    assert not np.array_equal(data[6][0], first[0])
    assert np.array_equal(FakeData(10, (3, 4, 4), 10, random_offset=3)[4][0], first[0])


def test_transforms_length_index_error_and_repr():
    data = FakeData(size=3, image_size=(3, 8, 6), transform=transforms.ToTensor(),
                    target_transform=lambda t: t + 100)
    image, target = data[1]
    assert tuple(image.shape) == (3, 8, 6) and image.dtype == tinygrad_edu.float32
    assert target >= 100 and len(data) == 3
    with pytest.raises(IndexError, match="FakeData index out of range"):
        data[3]
    assert repr(FakeData(size=2)) == "Dataset FakeData\n    Number of datapoints: 2"
    assert repr(data).startswith("Dataset FakeData\n    Number of datapoints: 3\n    "
                                 "StandardTransform\nTransform: ToTensor()\nTarget transform: ")
    loader = tinygrad_edu.utils.data.DataLoader(data, batch_size=2)
    images, targets = next(iter(loader))
    assert tuple(images.shape) == (2, 3, 8, 6) and targets.dtype == tinygrad_edu.int64
