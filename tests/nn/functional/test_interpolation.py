"""interpolate and the upsample* names: argument handling and errors as torch's, the index
rules (nearest's float32 arithmetic, the doubling shortcut), uint8 images, finite-difference
gradients. Values and gradients in every mode: the op registry (parity/ops_nn_conv.py)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


def _x(lib, *shape):
    return lib.tensor((np.arange(float(np.prod(shape))).reshape(shape) / 10).astype(np.float32))


ERRORS = {
    "size and scale": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), 2, 2.0),
                       "only one of size or scale_factor should be defined"),
    "neither": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4)),
                "either size or scale_factor should be defined"),
    "size length": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), (2, 3)),
                    "Input and output must have the same number of spatial dimensions"),
    "scale length": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), scale_factor=(2, 3)),
                     "Input and scale_factor must have the same number of spatial dimensions"),
    "float size": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), [5.0]),
                   "expected size to be one of int or Tuple[int]"),
    "align corners with nearest": (lambda l: l.nn.functional.interpolate(
        _x(l, 1, 1, 4), 2, align_corners=True), "align_corners option can only be set"),
    "recompute with size": (lambda l: l.nn.functional.interpolate(
        _x(l, 1, 1, 4), 2, recompute_scale_factor=True), "recompute_scale_factor is not "
        "meaningful with an explicit size."),
    "bilinear of 3-d": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), 2,
                                                              mode="bilinear"),
                        "Got 3D input, but bilinear mode needs 4D input"),
    "linear of 5-d": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 2, 2, 2), 2,
                                                            mode="linear"),
                      "Got 5D input, but linear mode needs 3D input"),
    "bicubic of 3-d": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), 2, mode="bicubic"),
                       "Input Error: Only 3D, 4D and 5D input Tensors supported"),
    "unknown mode": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), 2, mode="cubic"),
                     "Input Error: Only 3D, 4D and 5D input Tensors supported"),
    "empty output": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), scale_factor=0.1),
                     "Input and output sizes should be greater than 0, but got input (W: 4) and "
                     "output (W: 0)"),
    "antialias of 3-d": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4), 2, mode="linear",
                                                               antialias=True),
                         "Anti-alias option is restricted"),
    "long linear": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4).long(), 2,
                                                          mode="linear"),
                    "\"compute_indices_weights_linear\" not implemented for 'Long'"),
    "int nearest": (lambda l: l.nn.functional.interpolate(_x(l, 1, 1, 4).int(), 2),
                    "\"compute_indices_weights_nearest\" not implemented for 'Int'"),
    "a list": (lambda l: l.nn.functional.interpolate([1.0, 2.0], 2),
               "'list' object has no attribute 'dim'"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_in_torchs_words(case, raises_as_torch):
    call, phrase = ERRORS[case]
    raises_as_torch(call, phrase)


@pytest.mark.parametrize("mode, size, factor", [
    ("nearest", None, 3.3), ("nearest", 7, None), ("nearest", 26, None),
    ("nearest-exact", None, 0.3), ("nearest", None, 2.0),
])
def test_nearest_sources_follow_torchs_float32_arithmetic(mode, size, factor, same_as_torch):
    x = np.arange(13.0).reshape(1, 1, 13)
    same_as_torch(lambda lib, a: lib.nn.functional.interpolate(a, size, factor, mode=mode), x)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
def test_uint8_images_resize_as_in_torch(mode):
    image = np.random.default_rng(0).integers(0, 256, (1, 3, 5, 6)).astype(np.uint8)
    theirs = torch.nn.functional.interpolate(torch.tensor(image), (7, 9), mode=mode).numpy()
    ours = F.interpolate(tinygrad_edu.tensor(image), (7, 9), mode=mode).numpy()
    assert ours.dtype == theirs.dtype
    # torch resamples bytes with fixed-point weights: within one or two levels
    assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= (0 if "nearest" in mode else 2)


def test_the_older_names_warn_as_torch(same_as_torch):
    x = np.arange(12.0).reshape(1, 1, 3, 4)
    for name in ("upsample", "upsample_nearest", "upsample_bilinear"):
        with pytest.warns(UserWarning, match=f"nn.functional.{name}` is deprecated"):
            same_as_torch(lambda lib, a: getattr(lib.nn.functional, name)(a, scale_factor=2),
                          x)


@pytest.mark.parametrize("options", [
    {"size": (5,), "mode": "nearest"}, {"scale_factor": 1.5, "mode": "nearest-exact"},
    {"size": 6, "mode": "linear", "align_corners": True},
    {"scale_factor": 0.6, "mode": "linear"}, {"size": 2, "mode": "area"},
])
def test_gradients_match_finite_differences(options):
    x = tinygrad_edu.tensor(np.random.default_rng(0).standard_normal((2, 1, 4)),
                            requires_grad=True)
    assert gradcheck(lambda a: F.interpolate(a, **options), (x,))


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_gradients_in_two_and_three_dims_match_finite_differences(mode):
    x = tinygrad_edu.tensor(np.random.default_rng(0).standard_normal((1, 2, 3, 4)),
                            requires_grad=True)
    assert gradcheck(lambda a: F.interpolate(a, (5, 3), mode=mode, align_corners=False), (x,))
    y = tinygrad_edu.tensor(np.random.default_rng(1).standard_normal((1, 1, 2, 3, 2)),
                            requires_grad=True)
    assert gradcheck(lambda a: F.interpolate(a, scale_factor=1.5, mode="trilinear"), (y,))
