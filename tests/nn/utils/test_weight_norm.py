"""The hook-based nn.utils.weight_norm / remove_weight_norm against torch's: the deprecation
warning, parameters weight_g and weight_v, gradients, removal; torch's errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import tinygrad_edu


@pytest.mark.parametrize("dim", [0, None])
def test_weight_norm_and_its_removal(dim):
    theirs, ours = torch.nn.Linear(3, 2).double(), tinygrad_edu.nn.Linear(3, 2).double()
    ours.load_state_dict({k: tinygrad_edu.tensor(v.numpy()) for k, v in
                          theirs.state_dict().items()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.nn.utils.weight_norm(theirs, dim=dim)
    with pytest.warns(FutureWarning, match="is deprecated in favor of"):
        tinygrad_edu.nn.utils.weight_norm(ours, dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["bias", "weight_g",
                                                                     "weight_v"]
    x = np.random.default_rng(0).standard_normal((4, 3))
    theirs(torch.tensor(x)).pow(2).sum().backward()
    ours(tinygrad_edu.tensor(x)).pow(2).sum().backward()
    for mine, their in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(mine.grad.numpy(), their.grad.numpy(), rtol=1e-12)
    torch.nn.utils.remove_weight_norm(theirs)
    tinygrad_edu.nn.utils.remove_weight_norm(ours)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy())


def test_errors_are_torchs(raises_as_torch):
    def twice(lib):
        layer = lib.nn.Linear(2, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lib.nn.utils.weight_norm(layer)
            lib.nn.utils.weight_norm(layer)
    raises_as_torch(twice, "Cannot register two weight_norm hooks on the same parameter weight")
    raises_as_torch(lambda lib: lib.nn.utils.remove_weight_norm(lib.nn.Linear(2, 2)),
                    "weight_norm of 'weight' not found in")
