"""Conv3d and ConvTranspose1d/2d/3d against torch's layers: weights copied from torch, then
output and every gradient compared (tests/nn/test_layers.py's check_layer); torch's parameter
shapes, printed form, default initialisation bounds, output_size and its errors."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import tinygrad_edu

from ..test_layers import DTYPES, arrays, check_layer

LAYERS = [
    ("Conv3d", (2, 4, (2, 1, 2)), {"stride": (1, 2, 1), "padding": 1, "groups": 2},
     (2, 2, 3, 4, 3)),
    ("Conv3d", (1, 2, 2), {"padding": "same", "padding_mode": "circular", "bias": False},
     (1, 1, 3, 3, 3)),
    ("ConvTranspose1d", (2, 3, 3), {"stride": 2, "padding": 1, "output_padding": 1},
     (2, 2, 4)),
    ("ConvTranspose2d", (4, 2, (2, 3)), {"stride": (2, 1), "groups": 2, "dilation": (1, 2),
                                         "bias": False}, (1, 4, 3, 2)),
    ("ConvTranspose3d", (1, 2, 2), {"stride": 2, "output_padding": (1, 0, 1)}, (1, 1, 2, 2, 2)),
]


@pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, args, options, shape", LAYERS)
def test_layers_match_torch(name, args, options, shape, dtype):
    check_layer(lambda nn: getattr(nn, name)(*args, **options), arrays(shape), dtype,
                rtol=None if dtype == "float64" else 1e-4, atol=None if dtype == "float64"
                else 1e-5)


@pytest.mark.parametrize("name, args, options, shape", LAYERS)
def test_parameters_print_and_initialise_as_torch(name, args, options, shape):
    theirs, ours = (getattr(lib.nn, name)(*args, **options) for lib in (torch, tinygrad_edu))
    assert repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    weight = ours.weight.detach().numpy()
    bound = 1 / math.sqrt(weight[0].size)  # kaiming_uniform(a=√5): ±1/√fan_in, fan_in from dim 1
    assert np.abs(weight).max() <= bound and weight.std() > bound / 4


@pytest.mark.parametrize("output_size", [(7, 5), [1, 3, 8, 6], (8, 6)])
def test_output_size_picks_the_output_padding(output_size, same_as_torch):
    def call(lib, x):
        torch.manual_seed(0)
        layer = torch.nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)
        if lib is tinygrad_edu:
            mine = tinygrad_edu.nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1).double()
            mine.load_state_dict({k: tinygrad_edu.tensor(v.double().numpy())
                                  for k, v in layer.state_dict().items()})
            return mine(x, output_size)
        return layer.double()(x, output_size)
    same_as_torch(call, arrays((1, 3, 4, 3)))


@pytest.mark.parametrize("output_size, phrase", [
    ((9, 5), "requested an output size of (9, 5), but valid sizes range from [7, 5] to [8, 6]"),
    ((7,), "ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements (got 1)"),
])
def test_bad_output_size_in_torchs_words(output_size, phrase, raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1)(
        lib.zeros(1, 3, 4, 3), output_size), phrase)


def test_transposed_layers_take_only_zero_padding(raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.ConvTranspose1d(2, 2, 3, padding_mode="reflect"),
                    'Only "zeros" padding mode is supported for ConvTranspose1d')
