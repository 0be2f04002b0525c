"""Dropout1d, Dropout3d, AlphaDropout and FeatureAlphaDropout against torch's layers, with
torch's masks in training, the identity in eval."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.bridge import masks_from_torch

X = np.random.default_rng(0).standard_normal((2, 3, 2, 2, 2))


@pytest.mark.parametrize("name, shape", [("Dropout1d", (2, 3, 4)), ("Dropout3d", X.shape),
                                         ("AlphaDropout", X.shape),
                                         ("FeatureAlphaDropout", X.shape)])
def test_layer_matches_torch(name, shape, same_as_torch):
    x = X.reshape(-1)[:int(np.prod(shape))].reshape(shape)

    def call(lib, x):
        layer = getattr(lib.nn, name)(0.4)
        assert repr(layer) == repr(getattr(torch.nn, name)(0.4))
        if lib is torch:
            torch.manual_seed(1)
            return layer(x)
        with masks_from_torch(1, "float64", "cpu"):
            return layer(x)
    same_as_torch(call, x)
    layer = getattr(tinygrad_edu.nn, name)(0.4).eval()
    y = tinygrad_edu.tensor(x)
    assert layer(y) is y


def test_probability_is_checked(raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.AlphaDropout(1.5),
                    "dropout probability has to be between 0 and 1, but got 1.5")
