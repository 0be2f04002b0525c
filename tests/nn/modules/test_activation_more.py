"""The new activation layers against torch's: repr, forward and backward (PReLU with torch's
weights copied), train/eval behaviour of RReLU, Softmax2d's input check."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

X = np.random.default_rng(0).standard_normal((2, 3, 4))

LAYERS = [("SELU", ()), ("SELU", (True,)), ("CELU", (0.5, True)), ("GLU", (1,)),
          ("Hardswish", (True,)), ("Hardsigmoid", ()), ("Hardshrink", ()), ("Softshrink", (0.3,)),
          ("Tanhshrink", ()), ("LogSigmoid", ()), ("Mish", (True,)), ("Softsign", ()),
          ("Softmin", (1,)), ("Threshold", (0.1, 20.0, True)), ("Softmax2d", ()),
          ("RReLU", (0.1, 0.3))]


@pytest.mark.parametrize("name, args", LAYERS)
def test_layer_matches_torch(name, args, same_as_torch):
    def call(lib, x):
        layer = getattr(lib.nn, name)(*args)
        assert repr(layer) == repr(getattr(torch.nn, name)(*args))
        if name == "RReLU":
            layer.eval()
        return layer(x * 1)
    x = X[:, :2] if name == "GLU" else X
    same_as_torch(call, x)


@pytest.mark.parametrize("count", [1, 3])
def test_prelu_with_torchs_weights(count):
    theirs = torch.nn.PReLU(count, init=0.1).double()
    ours = tinygrad_edu.nn.PReLU(count).double()
    assert repr(ours) == repr(theirs) and ours.weight.tolist() == [0.25] * count
    ours.load_state_dict({"weight": tinygrad_edu.tensor(theirs.weight.detach().numpy())})
    x, y = torch.tensor(X, requires_grad=True), tinygrad_edu.tensor(X, requires_grad=True)
    expected, out = theirs(x), ours(y)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy())
    expected.pow(2).sum().backward()
    out.pow(2).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), x.grad.numpy())
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy())


def test_rrelu_draws_in_training_only():
    layer = tinygrad_edu.nn.RReLU()
    x = -tinygrad_edu.ones(1000)
    slopes = -layer(x).numpy()
    assert len(np.unique(slopes)) > 100
    layer.eval()
    assert np.allclose(-layer(x).numpy(), (1 / 8 + 1 / 3) / 2)


def test_softmax2d_refuses_other_ranks(raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.Softmax2d()(lib.ones(2, 2)),
                    "Softmax2d: expected input to be 3D or 4D, got 2D instead")
