"""The lazy layers against torch's: reprs before and after, the class they become, shapes
inferred from the first input, state_dict keys, outputs with torch's weights copied."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu.nn import UninitializedParameter

CASES = [("LazyLinear", (3,), (2, 5)), ("LazyLinear", (3, False), (5,)),
         ("LazyConv1d", (4, 3), (2, 2, 6)), ("LazyConv2d", (4, 3), (3, 5, 5)),
         ("LazyConv2d", (4, 3, 1, 1, 1, 2, False), (1, 4, 5, 5)),
         ("LazyBatchNorm1d", (), (4, 3)), ("LazyBatchNorm2d", (), (2, 3, 2, 2)),
         ("LazyConv3d", (2, 2), (1, 3, 3, 3, 3)), ("LazyBatchNorm3d", (), (2, 3, 2, 2, 2)),
         ("LazyBatchNorm1d", (1e-5, 0.1, False, False), (4, 3))]


@pytest.mark.parametrize("name, args, shape", CASES)
def test_lazy_layer_becomes_torchs_layer(name, args, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    theirs, ours = getattr(torch.nn, name)(*args), getattr(tinygrad_edu.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    assert any(isinstance(p, UninitializedParameter) for p in ours.parameters()) == \
        any(isinstance(p, torch.nn.UninitializedParameter) for p in theirs.parameters())
    theirs(torch.tensor(x))
    ours(tinygrad_edu.tensor(x))
    assert type(ours).__name__ == type(theirs).__name__ and repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    ours.load_state_dict({k: tinygrad_edu.tensor(v.numpy()) for k, v in
                          theirs.state_dict().items()})
    np.testing.assert_allclose(ours(tinygrad_edu.tensor(x)).detach().numpy(),
                               theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_uninitialized_parameters_print_as_torchs():
    assert repr(tinygrad_edu.nn.LazyLinear(2).weight) == repr(torch.nn.LazyLinear(2).weight)


def test_lazy_conv_checks_the_input_rank_and_groups(raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.LazyConv2d(4, 3)(lib.ones(5, 5)),
                    "Expected 3D (unbatched) or 4D (batched) input to LazyConv2d")
    raises_as_torch(lambda lib: lib.nn.LazyConv1d(4, 1, groups=2)(lib.ones(1, 3, 4)),
                    "in_channels must be divisible by groups")
