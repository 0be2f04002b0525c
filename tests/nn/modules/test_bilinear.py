"""Bilinear against torch's layer: parameters, initial range, forward and backward with torch's
weights copied."""
from __future__ import annotations

import numpy as np
import torch

import tinygrad_edu


def test_bilinear_matches_torch_with_its_weights():
    theirs = torch.nn.Bilinear(2, 3, 4).double()
    ours = tinygrad_edu.nn.Bilinear(2, 3, 4).double()
    assert repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert np.abs(ours.weight.detach().numpy()).max() <= 1 / np.sqrt(2)
    ours.load_state_dict({k: tinygrad_edu.tensor(v.numpy())
                          for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((5, 2)), rng.standard_normal((5, 3))
    expected = theirs(torch.tensor(a), torch.tensor(b))
    out = ours(tinygrad_edu.tensor(a), tinygrad_edu.tensor(b))
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy())
    expected.sum().backward()
    out.sum().backward()
    for mine, their in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(mine.grad.numpy(), their.grad.numpy())
    assert tinygrad_edu.nn.Bilinear(2, 3, 4, bias=False).bias is None
