"""make_grid / save_image against torchvision's algorithm, run in torch.

torchvision is not installed here, so `reference_make_grid` is torchvision.utils.make_grid's
algorithm (same steps, same torch operations) written out for this test.
"""
from __future__ import annotations

import math
import sys

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from tinygrad_edu.utils import make_grid, save_image


def reference_make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None,
                        scale_each=False, pad_value=0.0):
    if isinstance(tensor, list):
        tensor = torch.stack(tensor, dim=0)
    if tensor.dim() == 2:
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 3:
        if tensor.size(0) == 1:
            tensor = torch.cat((tensor, tensor, tensor), 0)
        tensor = tensor.unsqueeze(0)
    if tensor.dim() == 4 and tensor.size(1) == 1:
        tensor = torch.cat((tensor, tensor, tensor), 1)
    if normalize:
        tensor = tensor.clone()

        def norm(image, low, high):
            image.clamp_(min=low, max=high)
            image.sub_(low).div_(max(high - low, 1e-5))

        def norm_range(image):
            if value_range is not None:
                norm(image, value_range[0], value_range[1])
            else:
                norm(image, float(image.min()), float(image.max()))

        for image in (tensor if scale_each else [tensor]):
            norm_range(image)
    if tensor.size(0) == 1:
        return tensor.squeeze(0)
    count = tensor.size(0)
    across = min(nrow, count)
    down = int(math.ceil(float(count) / across))
    height, width = int(tensor.size(2) + padding), int(tensor.size(3) + padding)
    grid = tensor.new_full((tensor.size(1), height * down + padding, width * across + padding),
                           pad_value)
    k = 0
    for y in range(down):
        for x in range(across):
            if k >= count:
                break
            grid.narrow(1, y * height + padding, height - padding).narrow(
                2, x * width + padding, width - padding).copy_(tensor[k])
            k += 1
    return grid


@given(count=st.integers(1, 11), channels=st.sampled_from([1, 3]), height=st.integers(1, 5),
       width=st.integers(1, 5), nrow=st.integers(1, 9), padding=st.integers(0, 3),
       normalize=st.booleans(), scale_each=st.booleans(),
       value_range=st.sampled_from([None, (-0.5, 0.5)]), pad_value=st.sampled_from([0.0, 0.7]),
       seed=st.integers(0, 100))
def test_make_grid_equals_torchvision(count, channels, height, width, nrow, padding, normalize,
                                      scale_each, value_range, pad_value, seed):
    images = np.random.default_rng(seed).standard_normal(
        (count, channels, height, width)).astype(np.float32)
    options = dict(nrow=nrow, padding=padding, normalize=normalize, value_range=value_range,
                   scale_each=scale_each, pad_value=pad_value)
    ours = make_grid(tinygrad_edu.tensor(images), **options)
    theirs = reference_make_grid(torch.tensor(images), **options)
    assert tuple(ours.shape) == tuple(theirs.shape) and ours.dtype == tinygrad_edu.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("shape", [(5, 4), (1, 5, 4), (3, 5, 4), (1, 1, 5, 4)])
def test_make_grid_single_images_and_lists(shape):
    image = np.random.default_rng(0).random(shape).astype(np.float32)
    ours = make_grid(tinygrad_edu.tensor(image))
    theirs = reference_make_grid(torch.tensor(image))
    assert np.array_equal(ours.numpy(), theirs.numpy())
    listed = [tinygrad_edu.tensor(image.reshape(-1, 5, 4)[:1])] * 3
    assert np.array_equal(make_grid(listed, nrow=2).numpy(),
                          reference_make_grid([torch.tensor(image.reshape(-1, 5, 4)[:1])] * 3,
                                              nrow=2).numpy())


def test_make_grid_leaves_its_input_alone_and_is_detached():
    images = tinygrad_edu.randn(4, 1, 3, 3, requires_grad=True)
    before = images.detach().numpy().copy()
    grid = make_grid(images, normalize=True)
    assert np.array_equal(images.detach().numpy(), before)
    assert not grid.requires_grad


def test_make_grid_errors():
    with pytest.raises(TypeError, match="tensor or list of tensors expected, got <class 'str'>"):
        make_grid("image")
    with pytest.raises(AssertionError, match="value_range has to be a tuple"):
        make_grid(tinygrad_edu.zeros(2, 1, 2, 2), normalize=True, value_range=[0, 1])


def test_save_image_writes_torchvisions_pixels(tmp_path):
    from PIL import Image

    images = np.random.default_rng(1).random((6, 3, 4, 5)).astype(np.float32)
    path = tmp_path / "grid.png"
    save_image(tinygrad_edu.tensor(images), path, nrow=3)
    grid = reference_make_grid(torch.tensor(images), nrow=3)
    expected = grid.mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to(torch.uint8).numpy()
    with Image.open(path) as written:
        assert written.format == "PNG"
        assert np.array_equal(np.asarray(written), expected)


def test_save_image_without_pillow_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "PIL", None)  # makes `from PIL import Image` fail
    with pytest.raises(ImportError, match="pip install pillow"):
        save_image(tinygrad_edu.zeros(3, 2, 2), tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()
