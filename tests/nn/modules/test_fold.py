"""Upsample (and its two fixed-mode forms), Fold, Unfold and the shuffle layers against torch's:
output and input gradient (check_layer) and the printed form."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu

from ..test_layers import arrays, check_layer

LAYERS = [
    ("Upsample", (), {"scale_factor": 2}, (1, 2, 3)),
    ("Upsample", ((3, 5),), {"mode": "bicubic", "align_corners": True}, (1, 1, 2, 3)),
    ("Upsample", (), {"scale_factor": (1.5, 0.5, 2), "mode": "trilinear"}, (1, 1, 2, 4, 3)),
    ("Upsample", (4,), {"mode": "area"}, (2, 1, 6)),
    ("UpsamplingNearest2d", (), {"scale_factor": 3}, (1, 2, 2, 2)),
    ("UpsamplingBilinear2d", ((3, 4),), {}, (1, 1, 2, 3)),
    ("Fold", ((3, 4), 2), {"padding": 1}, (2, 8, 20)),
    ("Unfold", ((2, 3),), {"dilation": (2, 1), "stride": 2}, (2, 2, 5, 4)),
    ("PixelShuffle", (2,), {}, (1, 8, 2, 3)),
    ("PixelUnshuffle", (3,), {}, (2, 3, 6)),
    ("ChannelShuffle", (2,), {}, (2, 4, 3)),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, args, options, shape", LAYERS)
def test_layers_match_torch(name, args, options, shape, dtype):
    check_layer(lambda nn: getattr(nn, name)(*args, **options), arrays(shape), dtype,
                rtol=None if dtype == "float64" else 1e-5)


@pytest.mark.parametrize("name, args, options, shape", LAYERS)
def test_layers_print_as_torch(name, args, options, shape):
    assert repr(getattr(tinygrad_edu.nn, name)(*args, **options)) == \
        repr(getattr(torch.nn, name)(*args, **options))
