"""The strong-Wolfe line search's pieces against torch's own (torch.optim.lbfgs)."""
from __future__ import annotations

import importlib

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from tinygrad_edu.optim._line_search import cubic_interpolate, strong_wolfe

torch_lbfgs = importlib.import_module("torch.optim.lbfgs")
values = st.floats(-10, 10, allow_nan=False)


@given(x1=values, f1=values, g1=values, x2=values, f2=values, g2=values,
       bounded=st.booleans())
def test_cubic_interpolate_matches_torch(x1, f1, g1, x2, f2, g2, bounded):
    """Points as Python floats, slopes as 0-d float64 tensors, as the line search passes them;
    the same step, and the same kind of result (float or tensor)."""
    if x1 == x2:
        return
    bounds = (min(x1, x2) - 1.0, max(x1, x2) + 1.0) if bounded else None
    results = [cubic_interpolate(x1, f1, tinygrad_edu.tensor(g1, dtype=tinygrad_edu.float64),
                                 x2, f2, tinygrad_edu.tensor(g2, dtype=tinygrad_edu.float64),
                                 bounds=bounds),
               torch_lbfgs._cubic_interpolate(x1, f1, torch.tensor(g1, dtype=torch.float64),
                                              x2, f2, torch.tensor(g2, dtype=torch.float64),
                                              bounds=bounds)]
    ours, theirs = results
    assert isinstance(ours, float) == isinstance(theirs, float)
    np.testing.assert_equal(float(ours), float(theirs))  # NaN where torch's is NaN


def test_strong_wolfe_on_a_quartic_matches_torch():
    """f(x) = Σ x⁴ - x from x = 0.2 along -g: the same step, loss, gradient and evaluations."""
    def search(lib, search_fn):
        def loss_and_gradient(point):  # in NumPy, the same bits for both libraries
            p = point.numpy()
            return float((p * p * p * p - p).sum()), lib.tensor(4 * p * p * p - 1)

        def evaluate(x0, t, d):
            return loss_and_gradient(x0 + t * d)

        x = lib.tensor(np.array([0.2, -0.3, 0.5]))
        f, g = loss_and_gradient(x)
        d = -g
        return search_fn(evaluate, x, 1.0, d, f, g, g.dot(d))

    ours = search(tinygrad_edu, strong_wolfe)
    theirs = search(torch, torch_lbfgs._strong_wolfe)
    assert ours[0] == theirs[0] and float(ours[2]) == float(theirs[2]) and ours[3] == theirs[3]
    np.testing.assert_array_equal(ours[1].numpy(), theirs[1].numpy())
    assert theirs[3] > 1  # the first trial was not accepted: the search did its work
