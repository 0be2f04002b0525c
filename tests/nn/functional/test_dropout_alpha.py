"""alpha_dropout, feature_alpha_dropout and dropout3d against torch with torch's own masks
(bridge.masks_from_torch), their eval mode, statistics that alpha dropout keeps, errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.bridge import masks_from_torch

X = np.random.default_rng(0).standard_normal((3, 4, 2, 2, 2))


@pytest.mark.parametrize("name", ["alpha_dropout", "feature_alpha_dropout", "dropout3d"])
@pytest.mark.parametrize("p", [0.2, 0.5, 1.0])
def test_training_with_torchs_masks(name, p, same_as_torch):
    def call(lib, x):
        if lib is torch:
            torch.manual_seed(3)
            return getattr(torch.nn.functional, name)(x, p, training=True)
        with masks_from_torch(3, "float64", "cpu"):
            return getattr(F, name)(x, p, training=True)
    same_as_torch(call, X)


@pytest.mark.parametrize("name", ["alpha_dropout", "feature_alpha_dropout", "dropout3d"])
def test_eval_mode_returns_the_input(name):
    x = tinygrad_edu.tensor(X)
    assert getattr(F, name)(x, 0.5, training=False) is x


def test_alpha_dropout_is_off_by_default_and_keeps_mean_and_variance():
    x = tinygrad_edu.randn(200000, dtype=tinygrad_edu.float64)
    assert F.alpha_dropout(x) is x
    y = F.alpha_dropout(x, 0.3, training=True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.std() - 1) < 0.01


def test_in_place_alpha_dropout_writes_into_the_input():
    x = tinygrad_edu.ones(4, 3)
    assert F.alpha_dropout(x, 0.5, training=True, inplace=True) is x


def test_dropout3d_warns_for_other_ranks_and_handles_unbatched_inputs():
    with pytest.warns(UserWarning, match="Received a 3-D input to dropout3d"):
        F.dropout3d(tinygrad_edu.ones(2, 2, 2), training=False)
    assert F.dropout3d(tinygrad_edu.ones(2, 3, 3, 3), 0.5).shape == (2, 3, 3, 3)


ERRORS = [
    (lambda lib: lib.nn.functional.alpha_dropout(lib.ones(2), 1.5),
     "dropout probability has to be between 0 and 1"),
    (lambda lib: lib.nn.functional.feature_alpha_dropout(lib.ones(3), 0.5, training=True),
     "Feature dropout requires at least 2 dimensions in the input"),
    (lambda lib: lib.nn.functional.dropout3d([1.0]), "'list' object has no attribute 'dim'"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
