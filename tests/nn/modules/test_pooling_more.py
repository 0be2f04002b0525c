"""The 3-d, adaptive, unpooling and power-average pooling layers against torch's: output and
input gradient (check_layer), the printed form, return_indices and MaxUnpool's output_size."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

from ..test_layers import arrays, check_layer

LAYERS = [
    ("MaxPool3d", (2,), {"stride": 1, "padding": 1}, (1, 2, 3, 4, 3)),
    ("AvgPool3d", ((2, 1, 2),), {"ceil_mode": True, "count_include_pad": False}, (2, 3, 3, 3)),
    ("AvgPool3d", (2,), {"divisor_override": 3}, (1, 1, 2, 4, 2)),
    ("AdaptiveAvgPool1d", (3,), {}, (2, 2, 5)),
    ("AdaptiveAvgPool3d", ((2, None, 1),), {}, (1, 2, 3, 4, 3)),
    ("AdaptiveMaxPool1d", (2,), {}, (2, 5)),
    ("AdaptiveMaxPool3d", (2,), {}, (1, 1, 3, 3, 4)),
    ("LPPool1d", (2, 3), {"stride": 1}, (1, 2, 5)),
    ("LPPool2d", (1.5, (2, 1)), {"ceil_mode": True}, (1, 2, 3, 3)),
    ("LPPool3d", (3, 2), {}, (1, 1, 2, 4, 2)),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, args, options, shape", LAYERS)
def test_layers_match_torch(name, args, options, shape, dtype):
    x = arrays(shape, low=0.2, high=2.0)  # positive: LPPool's fractional powers
    check_layer(lambda nn: getattr(nn, name)(*args, **options), x, dtype,
                rtol=None if dtype == "float64" else 1e-4)


@pytest.mark.parametrize("name, args, options, shape", LAYERS + [
    ("MaxUnpool1d", (2,), {}, ()), ("MaxUnpool2d", ((2, 3),), {"stride": 1}, ()),
    ("MaxUnpool3d", (2,), {"padding": 1}, ())])
def test_layers_print_as_torch(name, args, options, shape):
    assert repr(getattr(tinygrad_edu.nn, name)(*args, **options)) == \
        repr(getattr(torch.nn, name)(*args, **options))


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_max_pool_indices_unpool_back_to_the_maxima(dims, same_as_torch):
    shape = (2, 2) + (4,) * dims
    x = np.random.default_rng(dims).permutation(int(np.prod(shape))).reshape(shape) / 5.0

    def round_trip(lib, a):
        pool = getattr(lib.nn, f"MaxPool{dims}d")(2, return_indices=True)
        unpool = getattr(lib.nn, f"MaxUnpool{dims}d")(2)
        values, indices = pool(a)
        return unpool(values, indices, output_size=a.shape), indices
    same_as_torch(round_trip, x)


def test_adaptive_max_pool3d_returns_indices(same_as_torch):
    x = np.random.default_rng(0).permutation(60).reshape(1, 3, 4, 5) / 5.0
    same_as_torch(lambda lib, a: lib.nn.AdaptiveMaxPool3d((2, 2, 3), return_indices=True)(a), x)
