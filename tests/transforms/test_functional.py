"""transforms.functional against torchvision's own steps, written here in torch.

torchvision is not installed: each reference below is the few torch lines of torchvision's tensor
code (transforms/_functional_tensor.py), and PIL images are checked against the Pillow call
torchvision makes.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as torch_f
from PIL import Image

import tinygrad_edu
from tinygrad_edu.transforms import InterpolationMode
from tinygrad_edu.transforms import functional as F


def reference_resize(img: torch.Tensor, size, mode="bilinear", antialias=True) -> torch.Tensor:
    """torchvision's _functional_tensor.resize: float32 (or float64), interpolate, round back."""
    antialias = antialias and mode in ("bilinear", "bicubic")
    squeeze = img.ndim < 4
    out_dtype = img.dtype
    x = img.unsqueeze(0) if squeeze else img
    if out_dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    corners = False if mode in ("bilinear", "bicubic") else None
    x = torch_f.interpolate(x, size=list(size), mode=mode, align_corners=corners,
                            antialias=antialias)
    if mode == "bicubic" and out_dtype == torch.uint8:
        x = x.clamp(min=0, max=255)
    x = x.squeeze(0) if squeeze else x
    if out_dtype != x.dtype:
        x = (x if out_dtype.is_floating_point else torch.round(x)).to(out_dtype)
    return x


def pixels(shape, seed=0, dtype=np.uint8):
    rng = np.random.default_rng(seed)
    if dtype == np.uint8:
        return rng.integers(0, 256, shape, dtype=np.uint8)
    return rng.standard_normal(shape).astype(dtype)


# ----------------------------------------------------------------------------- resize

@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("shape,size", [((2, 13, 17), (5, 7)), ((1, 6, 5), (11, 9)),
                                        ((3, 12, 12), (12, 4))])
def test_antialiased_resize_of_float64_tensors_and_its_gradient(same_as_torch, mode, shape,
                                                                size):
    def call(lib, x):
        if lib is torch:
            return reference_resize(x, size, mode)
        return F.resize(x, list(size), InterpolationMode(mode))
    same_as_torch(call, pixels(shape, dtype=np.float64))


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [True, False])
def test_resize_of_float32_and_uint8_tensors(mode, antialias):
    for dtype, tolerance in ((np.float32, 1e-5), (np.uint8, 0)):
        image = pixels((3, 14, 10), seed=1, dtype=dtype)
        ours = F.resize(tinygrad_edu.tensor(image), [6, 4], InterpolationMode(mode),
                        antialias=antialias)
        theirs = reference_resize(torch.tensor(image), (6, 4), mode, antialias)
        assert str(ours.dtype) == str(theirs.dtype)
        np.testing.assert_allclose(ours.numpy().astype(float), theirs.numpy().astype(float),
                                   atol=tolerance)


@pytest.mark.parametrize("height,width,size,max_size", [(30, 40, 20, None), (40, 30, 20, None),
                                                         (25, 25, 7, None), (10, 100, 5, 20),
                                                         (3, 7, [4], None), (9, 8, (3, 5), None)])
def test_resize_sizes_follow_the_smaller_edge(height, width, size, max_size):
    """An int (or [int]) is the smaller edge: the other is int(size * long / short), capped."""
    image = tinygrad_edu.zeros(1, height, width)
    out = F.resize(image, size, max_size=max_size)
    if isinstance(size, tuple):
        expected = list(size)
    else:
        short = size if isinstance(size, int) else size[0]
        long = int(short * max(height, width) / min(height, width))
        if max_size is not None and long > max_size:
            short, long = int(max_size * short / long), max_size
        expected = [short, long] if height <= width else [long, short]
    assert list(out.shape[-2:]) == expected


def test_resize_to_the_same_size_returns_the_image_and_errors_are_torchvisions():
    image = tinygrad_edu.zeros(1, 4, 6)
    assert F.resize(image, 4) is image
    with pytest.raises(ValueError, match="max_size = 4 must be strictly greater than the "
                                         r"requested size for the smaller edge size = \[4\]"):
        F.resize(image, 4, max_size=4)
    with pytest.raises(ValueError, match="max_size should only be passed if size specifies"):
        F.resize(image, [2, 2], max_size=5)
    with pytest.raises(ValueError, match="Size must be an int or a 1 or 2 element tuple/list, "
                                         "not a 3 element tuple/list"):
        F.resize(image, [1, 2, 3])
    with pytest.raises(TypeError, match="Argument interpolation should be a InterpolationMode"):
        F.resize(image, 2, interpolation="bilinear")


def test_resize_of_pil_images_is_pillows_and_arrays_follow_the_tensor_path():
    rgb = pixels((9, 12, 3), seed=2)
    picture = Image.fromarray(rgb)
    ours = F.resize(picture, 5)
    assert isinstance(ours, Image.Image)
    assert np.array_equal(np.asarray(ours), np.asarray(picture.resize((6, 5), Image.BILINEAR)))
    assert np.array_equal(np.asarray(F.resize(picture, [4, 4], 0)),
                          np.asarray(picture.resize((4, 4), Image.NEAREST)))
    array = F.resize(rgb, 5)
    theirs = reference_resize(torch.tensor(rgb).permute(2, 0, 1), (5, 6))
    assert array.dtype == np.uint8 and np.array_equal(array, theirs.permute(1, 2, 0).numpy())
    gray = F.resize(rgb[:, :, 0], [3, 4])
    assert gray.shape == (3, 4)


# ----------------------------------------------------------------------------- crops and flips

def reference_crop(img: torch.Tensor, top, left, height, width) -> torch.Tensor:
    """torchvision's _functional_tensor.crop: zeros where the window leaves the image."""
    h, w = img.shape[-2:]
    right, bottom = left + width, top + height
    if left < 0 or top < 0 or right > w or bottom > h:
        padding = [max(-left + min(0, right), 0), max(right - max(w, left), 0),
                   max(-top + min(0, bottom), 0), max(bottom - max(h, top), 0)]
        return torch_f.pad(img[..., max(top, 0):bottom, max(left, 0):right], padding)
    return img[..., top:bottom, left:right]


@pytest.mark.parametrize("box", [(1, 2, 3, 2), (0, 0, 5, 6), (-2, 1, 4, 3), (3, 4, 4, 5),
                                 (-1, -2, 8, 10)])
def test_crop_of_tensors_arrays_and_pil_images(box):
    image = pixels((3, 5, 6), seed=3)
    theirs = reference_crop(torch.tensor(image), *box).numpy()
    assert np.array_equal(F.crop(tinygrad_edu.tensor(image), *box).numpy(), theirs)
    hwc = np.ascontiguousarray(image.transpose(1, 2, 0))
    assert np.array_equal(F.crop(hwc, *box), theirs.transpose(1, 2, 0))
    top, left, height, width = box
    picture = F.crop(Image.fromarray(hwc), *box)
    assert np.array_equal(np.asarray(picture), np.asarray(
        Image.fromarray(hwc).crop((left, top, left + width, top + height))))


def test_crops_and_flips_of_tensors_keep_the_graph(same_as_torch):
    def call(lib, x):
        if lib is torch:
            return reference_crop(x, 1, 0, 2, 3).flip(-1).flip(-2)
        return F.vflip(F.hflip(F.crop(x, 1, 0, 2, 3)))
    same_as_torch(call, pixels((2, 4, 5), dtype=np.float64))


@pytest.mark.parametrize("size", [2, (3, 2), [4], (7, 5), (2, 9)])
def test_center_crop_pads_small_images_as_torchvision(size):
    image = pixels((1, 4, 5), seed=4)
    crop_height, crop_width = (size, size) if isinstance(size, int) else (
        (size[0], size[0]) if len(size) == 1 else size)
    reference = torch.tensor(image)
    height, width = 4, 5
    if crop_width > width or crop_height > height:  # torchvision's center_crop, in torch
        pads = [(crop_width - width) // 2 if crop_width > width else 0,
                (crop_width - width + 1) // 2 if crop_width > width else 0,
                (crop_height - height) // 2 if crop_height > height else 0,
                (crop_height - height + 1) // 2 if crop_height > height else 0]
        reference = torch_f.pad(reference, pads)
        height, width = reference.shape[-2:]
    top, left = int(round((height - crop_height) / 2.0)), int(round((width - crop_width) / 2.0))
    theirs = reference_crop(reference, top, left, crop_height, crop_width)
    assert np.array_equal(F.center_crop(tinygrad_edu.tensor(image), size).numpy(),
                          theirs.numpy())
    picture = F.center_crop(Image.fromarray(image[0]), size)
    assert np.array_equal(np.asarray(picture), theirs[0].numpy())


def test_flips_of_pil_images_and_arrays():
    rgb = pixels((3, 4, 3), seed=5)
    assert np.array_equal(np.asarray(F.hflip(Image.fromarray(rgb))), rgb[:, ::-1])
    assert np.array_equal(np.asarray(F.vflip(Image.fromarray(rgb))), rgb[::-1])
    assert np.array_equal(F.hflip(rgb), rgb[:, ::-1]) and np.array_equal(F.vflip(rgb), rgb[::-1])
    assert np.array_equal(F.hflip(rgb[:, :, 0]), rgb[:, ::-1, 0])


def test_pad_of_pil_images_keeps_mode_and_fill():
    rgb = pixels((2, 3, 3), seed=6)
    padded = F.pad(Image.fromarray(rgb), [1, 2], fill=(9, 8, 7))
    assert padded.mode == "RGB" and padded.size == (5, 6)
    assert np.asarray(padded)[0, 0].tolist() == [9, 8, 7]
    assert np.array_equal(np.asarray(padded)[2:4, 1:4], rgb)


# ----------------------------------------------------------------------------- grayscale

@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("channels", [1, 3])
def test_grayscale_of_tensors_is_torchvisions_luma(dtype, channels):
    image = pixels((3, 4, 5), seed=7, dtype=dtype)
    r, g, b = torch.tensor(image).unbind(dim=-3)
    luma = (0.2989 * r + 0.587 * g + 0.114 * b).to(r.dtype).unsqueeze(dim=-3)
    theirs = luma.expand(3, 4, 5) if channels == 3 else luma
    ours = F.rgb_to_grayscale(tinygrad_edu.tensor(image), channels)
    assert str(ours.dtype) == str(theirs.dtype)
    assert np.array_equal(ours.numpy(), theirs.numpy())
    hwc = np.ascontiguousarray(image.transpose(1, 2, 0))
    expected = theirs.permute(1, 2, 0).numpy()
    assert np.array_equal(F.rgb_to_grayscale(hwc, channels),
                          expected[:, :, 0] if channels == 1 else expected)


def test_grayscale_of_pil_images_and_errors():
    picture = Image.fromarray(pixels((3, 4, 3), seed=8))
    assert np.array_equal(np.asarray(F.rgb_to_grayscale(picture)),
                          np.asarray(picture.convert("L")))
    three = F.rgb_to_grayscale(picture, 3)
    assert three.mode == "RGB" and np.array_equal(np.asarray(three)[:, :, 2],
                                                  np.asarray(picture.convert("L")))
    with pytest.raises(TypeError, match="permitted channel values are \\[1, 3\\], but found 2"):
        F.rgb_to_grayscale(tinygrad_edu.zeros(2, 3, 3))
    with pytest.raises(ValueError, match="num_output_channels should be either 1 or 3"):
        F.rgb_to_grayscale(tinygrad_edu.zeros(3, 3, 3), 2)


# ----------------------------------------------------------------------------- PIL conversion

def reference_pil_pixels(pic: torch.Tensor) -> np.ndarray:
    """torchvision's to_pil_image before Image.fromarray: floats * 255 as bytes, HWC."""
    if pic.is_floating_point():
        pic = pic.mul(255).byte()
    return np.transpose(pic.numpy(), (1, 2, 0))


@pytest.mark.parametrize("shape,dtype,mode", [((3, 4, 5), np.float32, "RGB"),
                                              ((1, 4, 5), np.uint8, "L"),
                                              ((4, 2, 3), np.uint8, "RGBA"),
                                              ((2, 2, 3), np.float32, "LA"),
                                              ((1, 3, 3), np.float32, "L")])
def test_to_pil_image_of_tensors(shape, dtype, mode):
    image = pixels(shape, seed=9, dtype=dtype)
    picture = F.to_pil_image(tinygrad_edu.tensor(image))
    expected = reference_pil_pixels(torch.tensor(image))
    assert picture.mode == mode
    assert np.array_equal(np.asarray(picture), expected[:, :, 0] if shape[0] == 1 else expected)


def test_to_pil_image_of_arrays_and_errors():
    gray = pixels((3, 4), seed=10)
    assert F.to_pil_image(gray).mode == "L"
    assert np.array_equal(np.asarray(F.to_pil_image(gray)), gray)
    floats = pixels((3, 4), dtype=np.float32)
    assert F.to_pil_image(floats).mode == "F"  # arrays are not scaled, as in torchvision
    with pytest.raises(ValueError, match="pic should be 2/3 dimensional. Got 4 dimensions."):
        F.to_pil_image(tinygrad_edu.zeros(1, 1, 2, 2))
    with pytest.raises(ValueError, match="pic should not have > 4 channels. Got 5 channels."):
        F.to_pil_image(tinygrad_edu.zeros(5, 2, 2))
    with pytest.raises(ValueError, match="Incorrect mode \\(RGB\\) supplied for input type"):
        F.to_pil_image(gray, mode="RGB")
    with pytest.raises(TypeError, match="Input type int64 is not supported"):
        F.to_pil_image(np.zeros((2, 2, 3), np.int64))


def test_pil_to_tensor_and_dimensions():
    rgb = pixels((3, 4, 3), seed=11)
    ours = F.pil_to_tensor(Image.fromarray(rgb))
    assert ours.dtype == tinygrad_edu.uint8
    assert np.array_equal(ours.numpy(), torch.tensor(rgb).permute(2, 0, 1).numpy())
    assert F.get_dimensions(Image.fromarray(rgb)) == [3, 3, 4]
    assert F.get_dimensions(rgb) == [3, 3, 4] == F.get_dimensions(ours)
    assert F.get_image_size(rgb[:, :, 0]) == [4, 3]
    with pytest.raises(TypeError, match="img should be PIL Image, Tensor or ndarray"):
        F.get_dimensions([1, 2])
