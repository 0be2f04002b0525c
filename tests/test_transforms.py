"""transforms: torchvision's semantics, checked against the same steps done in torch.

torchvision is not installed, so each reference is the torchvision function's few torch lines.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as torch_f
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import tinygrad_edu
from tinygrad_edu import transforms


def reference_to_tensor(pic: np.ndarray) -> torch.Tensor:
    """torchvision.transforms.functional.to_tensor for an ndarray."""
    if pic.ndim == 2:
        pic = pic[:, :, None]
    image = torch.from_numpy(pic.transpose((2, 0, 1))).contiguous()
    return image.to(torch.float32).div(255) if image.dtype == torch.uint8 else image


def images(dtype=np.uint8):
    shapes = st.tuples(st.integers(1, 6), st.integers(1, 6),
                       st.sampled_from([None, 1, 3, 4]))
    return shapes.flatmap(lambda s: st.integers(0, 2**16).map(
        lambda seed: _image(s, seed, dtype)))


def _image(shape, seed, dtype):
    height, width, channels = shape
    size = (height, width) if channels is None else (height, width, channels)
    rng = np.random.default_rng(seed)
    if dtype == np.uint8:
        return rng.integers(0, 256, size, dtype=np.uint8)
    return rng.standard_normal(size).astype(dtype)


@given(pic=images())
def test_to_tensor_scales_uint8_like_torchvision(pic):
    ours = transforms.ToTensor()(pic)
    theirs = reference_to_tensor(pic)
    assert ours.dtype == tinygrad_edu.float32 and tuple(ours.shape) == tuple(theirs.shape)
    assert np.array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_to_tensor_keeps_other_dtypes_unchanged(dtype):
    pic = _image((3, 4, 2), 0, np.float64).astype(dtype)
    ours = transforms.ToTensor()(pic)
    assert str(ours.dtype) == str(reference_to_tensor(pic).dtype)
    assert np.array_equal(ours.numpy(), pic.transpose(2, 0, 1))


@pytest.mark.parametrize("mode,shape", [("L", (5, 4)), ("RGB", (5, 4, 3))])
def test_to_tensor_accepts_pil_images(mode, shape):
    pic = _image((*shape[:2], shape[2] if len(shape) == 3 else None), 1, np.uint8)
    ours = transforms.ToTensor()(Image.fromarray(pic, mode=mode))
    assert np.array_equal(ours.numpy(), reference_to_tensor(pic).numpy())


def test_to_tensor_errors_are_torchvisions():
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray. Got <class 'list'>"):
        transforms.ToTensor()([[1]])
    with pytest.raises(ValueError, match="pic should be 2/3 dimensional. Got 4 dimensions."):
        transforms.ToTensor()(np.zeros((1, 1, 1, 1), np.uint8))


@given(pic=images())
def test_mnist_pipeline_equals_torch(pic):
    channels = 1 if pic.ndim == 2 else pic.shape[2]
    mean, std = tuple(np.linspace(0.1, 0.5, channels)), tuple(np.linspace(0.2, 0.4, channels))
    pipeline = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
    theirs = reference_to_tensor(pic).clone()
    theirs.sub_(torch.as_tensor(mean, dtype=torch.float32).view(-1, 1, 1))
    theirs.div_(torch.as_tensor(std, dtype=torch.float32).view(-1, 1, 1))
    assert np.array_equal(pipeline(pic).numpy(), theirs.numpy())


def test_normalize_is_differentiable_and_inplace_when_asked():
    x = tinygrad_edu.ones(2, 1, 2, 2, requires_grad=True)
    transforms.Normalize((0.5,), (0.25,))(x).sum().backward()
    assert np.allclose(x.grad.numpy(), 4.0)
    image = tinygrad_edu.ones(1, 2, 2)
    out = transforms.Normalize((0.5,), (0.5,))(image)
    assert image.numpy().max() == 1.0 and out.numpy().max() == 1.0
    out = transforms.Normalize((0.5,), (0.25,), inplace=True)(image)
    assert out is image and image.numpy().max() == 2.0


@pytest.mark.parametrize("case,error,text", [
    ("array", TypeError, "img should be Tensor Image. Got <class 'numpy.ndarray'>"),
    ("int", TypeError, "Input tensor should be a float tensor. Got torch.int64."),
    ("2d", ValueError, "Expected tensor to be a tensor image of size (..., C, H, W). Got "
                       "tensor.size() = torch.Size([2, 2])"),
    ("zero std", ValueError, "std evaluated to zero after conversion to torch.float32, leading "
                             "to division by zero."),
])
def test_normalize_errors_are_torchvisions(case, error, text):
    value = {"array": np.zeros((1, 2, 2)),
             "int": tinygrad_edu.zeros(1, 2, 2, dtype=tinygrad_edu.int64),
             "2d": tinygrad_edu.zeros(2, 2),
             "zero std": tinygrad_edu.zeros(1, 2, 2)}[case]
    std = (0.0,) if case == "zero std" else (1.0,)
    with pytest.raises(error) as info:
        transforms.Normalize((0.0,), std)(value)
    assert str(info.value) == text


def test_reprs_are_torchvisions():
    pipeline = transforms.Compose([transforms.ToTensor(),
                                   transforms.Normalize((0.1307,), (0.3081,)),
                                   transforms.Lambda(lambda x: x), transforms.Pad(2)])
    assert repr(pipeline) == ("Compose(\n    ToTensor()\n    Normalize(mean=(0.1307,), "
                              "std=(0.3081,))\n    Lambda()\n    Pad(padding=2, fill=0, "
                              "padding_mode=constant)\n)")
    assert transforms.Lambda(abs)(-3) == 3
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        transforms.Lambda(3)


# ----------------------------------------------------------------------------- Pad

TORCH_MODES = {"constant": "constant", "edge": "replicate", "reflect": "reflect"}


@given(padding=st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=1, max_size=4)
                         .filter(lambda p: len(p) != 3)),
       mode=st.sampled_from(sorted(TORCH_MODES)), fill=st.sampled_from([0, 2.5]))
def test_pad_tensors_like_torch(padding, mode, fill):
    image = np.arange(2 * 4 * 5, dtype=np.float32).reshape(2, 4, 5)
    ours = transforms.Pad(padding, fill=fill, padding_mode=mode)(tinygrad_edu.tensor(image))
    sides = [padding] * 4 if isinstance(padding, int) else (
        padding * 4 if len(padding) == 1 else padding * 2 if len(padding) == 2 else padding)
    left, top, right, bottom = sides
    theirs = torch_f.pad(torch.tensor(image)[None], (left, right, top, bottom),
                         mode=TORCH_MODES[mode], **({"value": fill} if mode == "constant" else {}))
    assert np.array_equal(ours.numpy(), theirs[0].numpy())


def test_pad_arrays_symmetric_negative_and_per_channel_fill():
    image = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert np.array_equal(transforms.Pad(1, padding_mode="symmetric")(image),
                          np.pad(image, 1, mode="symmetric"))
    assert np.array_equal(transforms.Pad(-1)(image), image[1:-1, 1:-1])
    rgb = np.zeros((2, 2, 3), np.uint8)
    padded = transforms.Pad((1, 0), fill=(7, 8, 9))(rgb)
    assert padded.shape == (2, 4, 3) and padded[0, 0].tolist() == [7, 8, 9]


@pytest.mark.parametrize("args,error,text", [
    (("1",), TypeError, "Got inappropriate padding arg"),
    ((1, "red"), TypeError, "Got inappropriate fill arg"),
    ((1, 0, "wrap"), ValueError, "Padding mode should be either constant, edge, reflect or "
                                 "symmetric"),
    (((1, 2, 3),), ValueError, "Padding must be an int or a 1, 2, or 4 element tuple, not a 3 "
                               "element tuple"),
])
def test_pad_errors_are_torchvisions(args, error, text):
    with pytest.raises(error) as info:
        transforms.Pad(*args)
    assert str(info.value) == text
