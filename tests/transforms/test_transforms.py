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


# ----------------------------------------------------------------------------- geometry classes

def test_resize_and_crop_classes_call_functional_and_print_as_torchvision():
    image = tinygrad_edu.tensor(np.arange(48, dtype=np.float32).reshape(1, 6, 8))
    resize = transforms.Resize(4)
    assert isinstance(resize, tinygrad_edu.nn.Module)
    assert tuple(resize(image).shape) == (1, 4, 5)
    assert repr(resize) == "Resize(size=4, interpolation=bilinear, max_size=None, antialias=True)"
    assert transforms.Resize((2, 3), interpolation=Image.NEAREST).interpolation == \
        transforms.InterpolationMode.NEAREST
    assert repr(transforms.CenterCrop(3)) == "CenterCrop(size=(3, 3))"
    assert np.array_equal(transforms.CenterCrop((2, 4))(image).numpy(),
                          image.numpy()[:, 2:4, 2:6])
    assert repr(transforms.Grayscale(3)) == "Grayscale(num_output_channels=3)"
    assert repr(transforms.ToPILImage()) == "ToPILImage()"
    assert repr(transforms.ToPILImage("RGB")) == "ToPILImage(mode=RGB)"
    with pytest.raises(TypeError, match="Size should be int or sequence. Got <class 'float'>"):
        transforms.Resize(2.5)
    with pytest.raises(ValueError, match="If size is a sequence, it should have 1 or 2 values"):
        transforms.Resize((1, 2, 3))
    with pytest.raises(ValueError, match=r"Please provide only two dimensions \(h, w\)"):
        transforms.CenterCrop((1, 2, 3))


# ----------------------------------------------------------------------------- random transforms

def test_random_flips_draw_from_the_seeded_generator():
    image = np.arange(6, dtype=np.uint8).reshape(2, 3)
    tinygrad_edu.manual_seed(3)
    draws = [tinygrad_edu.rand(1).item() < 0.5 for _ in range(16)]
    assert any(draws) and not all(draws)
    for flip, mirrored in ((transforms.RandomHorizontalFlip(), image[:, ::-1]),
                           (transforms.RandomVerticalFlip(), image[::-1])):
        tinygrad_edu.manual_seed(3)
        outcomes = [np.array_equal(flip(image), mirrored) for _ in range(16)]
        assert outcomes == draws
    assert np.array_equal(transforms.RandomHorizontalFlip(p=1.0)(image), image[:, ::-1])
    assert transforms.RandomHorizontalFlip(p=0.0)(image) is image
    assert repr(transforms.RandomVerticalFlip(0.3)) == "RandomVerticalFlip(p=0.3)"


@pytest.mark.parametrize("kwargs,pad", [
    ({"size": 3}, (0, 0, 0, 0)),
    ({"size": (4, 2), "padding": 1}, (1, 1, 1, 1)),
    ({"size": 5, "padding": (1, 2), "padding_mode": "reflect"}, (1, 1, 2, 2)),
    # torchvision pads *both* sides by the whole shortfall ([size - width, 0] is left/right)
    ({"size": (6, 7), "pad_if_needed": True, "fill": 9}, (2, 2, 2, 2)),
])
def test_random_crop_is_a_window_of_the_padded_image(kwargs, pad):
    image = np.arange(4 * 5, dtype=np.float32).reshape(1, 4, 5)
    crop = transforms.RandomCrop(**kwargs)
    mode = {"constant": "constant", "reflect": "reflect"}[kwargs.get("padding_mode", "constant")]
    left, right, top, bottom = pad
    padded = torch_f.pad(torch.tensor(image), (left, right, top, bottom), mode=mode,
                         **({"value": kwargs.get("fill", 0)} if mode == "constant" else {}))
    height, width = crop.size
    windows = {padded[:, i:i + height, j:j + width].numpy().tobytes()
               for i in range(padded.shape[1] - height + 1)
               for j in range(padded.shape[2] - width + 1)}
    tinygrad_edu.manual_seed(0)
    seen = [crop(tinygrad_edu.tensor(image)).numpy() for _ in range(12)]
    assert all(tuple(out.shape) == (1, height, width) for out in seen)
    assert {out.tobytes() for out in seen} <= windows
    tinygrad_edu.manual_seed(0)
    assert all(np.array_equal(crop(tinygrad_edu.tensor(image)).numpy(), out) for out in seen)


def test_random_crop_errors_and_repr():
    with pytest.raises(ValueError, match=r"Required crop size \(5, 5\) is larger than input "
                                         r"image size \(4, 5\)"):
        transforms.RandomCrop(5)(np.zeros((4, 5), np.uint8))
    assert repr(transforms.RandomCrop(32, padding=4)) == "RandomCrop(size=(32, 32), padding=4)"


def reference_resized_crop_params(height, width, scale, ratio):
    """torchvision's RandomResizedCrop.get_params, drawing from tinygrad_edu's generator."""
    area = height * width
    log_ratio = torch.log(torch.tensor(ratio))
    for _ in range(10):
        target_area = area * tinygrad_edu.empty(1).uniform_(scale[0], scale[1]).item()
        aspect_ratio = np.exp(tinygrad_edu.empty(1).uniform_(
            log_ratio[0].item(), log_ratio[1].item()).item())
        w = int(round(np.sqrt(target_area * aspect_ratio)))
        h = int(round(np.sqrt(target_area / aspect_ratio)))
        if 0 < w <= width and 0 < h <= height:
            i = tinygrad_edu.randint(0, height - h + 1, size=(1,)).item()
            j = tinygrad_edu.randint(0, width - w + 1, size=(1,)).item()
            return i, j, h, w
    in_ratio = float(width) / float(height)
    if in_ratio < min(ratio):
        w, h = width, int(round(width / min(ratio)))
    elif in_ratio > max(ratio):
        h, w = height, int(round(height * max(ratio)))
    else:
        w, h = width, height
    return (height - h) // 2, (width - w) // 2, h, w


@pytest.mark.parametrize("height,width,scale,ratio", [
    (20, 30, (0.08, 1.0), (3 / 4, 4 / 3)),   # the default: a window is found
    (20, 30, (2.0, 3.0), (3 / 4, 4 / 3)),    # too large: the central fallback, ratio capped
    (30, 10, (2.0, 3.0), (1.0, 2.0)),        # tall image: width kept
    (12, 12, (2.0, 3.0), (0.5, 2.0)),        # ratio within: the whole image
])
def test_random_resized_crop_is_torchvisions_algorithm(height, width, scale, ratio):
    image = tinygrad_edu.zeros(1, height, width)
    for seed in range(4):
        tinygrad_edu.manual_seed(seed)
        theirs = reference_resized_crop_params(height, width, scale, ratio)
        tinygrad_edu.manual_seed(seed)
        assert transforms.RandomResizedCrop.get_params(image, scale, ratio) == theirs
    out = transforms.RandomResizedCrop((5, 4), scale=scale, ratio=ratio)(image)
    assert tuple(out.shape) == (1, 5, 4)


def test_random_resized_crop_repr_checks_and_pil_images():
    crop = transforms.RandomResizedCrop(8)
    assert repr(crop) == ("RandomResizedCrop(size=(8, 8), scale=(0.08, 1.0), ratio=(0.75, "
                          "1.3333), interpolation=bilinear, antialias=True)")
    with pytest.raises(TypeError, match="Scale should be a sequence"):
        transforms.RandomResizedCrop(8, scale=0.5)
    with pytest.warns(UserWarning, match="Scale and ratio should be of kind \\(min, max\\)"):
        transforms.RandomResizedCrop(8, scale=(1.0, 0.5))
    picture = Image.fromarray(np.zeros((20, 30, 3), np.uint8))
    assert crop(picture).size == (8, 8)


def test_random_grayscale_and_random_apply_use_the_generator():
    rgb = np.random.default_rng(0).integers(0, 256, (3, 4, 3), dtype=np.uint8)
    gray = transforms.Grayscale(3)(rgb)
    tinygrad_edu.manual_seed(1)
    draws = [tinygrad_edu.rand(1).item() for _ in range(12)]
    tinygrad_edu.manual_seed(1)
    randomly = transforms.RandomGrayscale(p=0.5)
    assert [np.array_equal(randomly(rgb), gray) for _ in range(12)] == [d < 0.5 for d in draws]
    tinygrad_edu.manual_seed(1)
    apply = transforms.RandomApply([transforms.Grayscale(3)], p=0.5)
    assert [np.array_equal(apply(rgb), gray) for _ in range(12)] == [d <= 0.5 for d in draws]
    assert repr(apply) == "RandomApply(\n    p=0.5\n    Grayscale(num_output_channels=3)\n)"


def test_an_imagenet_pipeline_on_a_pil_image():
    picture = Image.fromarray(np.random.default_rng(1).integers(0, 256, (24, 20, 3), np.uint8))
    pipeline = transforms.Compose([
        transforms.Resize(12), transforms.CenterCrop(10), transforms.RandomResizedCrop(8),
        transforms.RandomHorizontalFlip(), transforms.ToTensor(),
        transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
    out = pipeline(picture)
    assert tuple(out.shape) == (3, 8, 8) and out.dtype == tinygrad_edu.float32
    assert transforms.ToPILImage()(transforms.PILToTensor()(picture)).size == picture.size
