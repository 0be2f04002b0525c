"""The hook-based nn.utils.spectral_norm / remove_spectral_norm against torch's, with torch's
random u and v copied: training steps (power iteration), eval, removal; torch's errors."""
from __future__ import annotations

import numpy as np
import torch

import tinygrad_edu


def test_spectral_norm_steps_eval_and_removal():
    theirs, ours = torch.nn.Conv2d(2, 3, 2).double(), tinygrad_edu.nn.Conv2d(2, 3, 2).double()
    ours.load_state_dict({k: tinygrad_edu.tensor(v.numpy()) for k, v in
                          theirs.state_dict().items()})
    torch.nn.utils.spectral_norm(theirs)
    tinygrad_edu.nn.utils.spectral_norm(ours)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: tinygrad_edu.tensor(v.numpy()) for k, v in
                          theirs.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((2, 2, 4, 4))
    for training in (True, True, False):
        theirs.train(training)
        ours.train(training)
        expected, out = theirs(torch.tensor(x)), ours(tinygrad_edu.tensor(x))
        np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-12)
        expected.sum().backward()
        out.sum().backward()
        for mine, their in zip(ours.parameters(), theirs.parameters()):
            np.testing.assert_allclose(mine.grad.numpy(), their.grad.numpy(), rtol=1e-10)
    torch.nn.utils.remove_spectral_norm(theirs)
    tinygrad_edu.nn.utils.remove_spectral_norm(ours)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(),
                               rtol=1e-12)


def test_errors_are_torchs(raises_as_torch):
    def twice(lib):
        layer = lib.nn.Linear(2, 2)
        lib.nn.utils.spectral_norm(layer)
        lib.nn.utils.spectral_norm(layer)
    raises_as_torch(twice, "Cannot register two spectral_norm hooks on the same parameter")
    raises_as_torch(lambda lib: lib.nn.utils.remove_spectral_norm(lib.nn.Linear(2, 2)),
                    "spectral_norm of 'weight' not found in")
    raises_as_torch(lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2),
                                                           n_power_iterations=0),
                    "Expected n_power_iterations to be positive")
