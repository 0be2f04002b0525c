"""Shared by the tests of the core's primitives (tinygrad_edu/ops/), which need no `parity`.

`matches_torch`: one call runs an op with tinygrad_edu and with torch on the same float64 arrays
and compares the value, the gradient of every input and the name of the graph node.
`leaves`: small fixed float64 inputs for tinygrad_edu.autograd.gradcheck (no torch involved).
Both are session fixtures holding plain functions, so that hypothesis tests may use them.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

RTOL = 1e-10
ATOL = 1e-12  # for values that cancel to about 0 (sums of products in another order)


def _numpy(tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy()


def check_against_torch(fn, *arrays, requires_grad=None, node=True, device="cpu"):
    """fn(lib, *tensors) with lib = tinygrad_edu (on `device`) and lib = torch (on the CPU).

    Compares shape, dtype and value of the output; then, for one random grad_output, the gradient
    of every input that requires one (all of them unless `requires_grad` says otherwise).
    node=True: our grad_fn has torch's name; a string: ours has that name (torch records another
    node, or several); False: no check. Returns our output.
    """
    requires_grad = [True] * len(arrays) if requires_grad is None else requires_grad
    ours = [tinygrad_edu.tensor(a, requires_grad=r, device=device)
            for a, r in zip(arrays, requires_grad)]
    theirs = [torch.tensor(a, requires_grad=r) for a, r in zip(arrays, requires_grad)]
    out, expected = fn(tinygrad_edu, *ours), fn(torch, *theirs)
    assert tuple(out.shape) == tuple(expected.shape)
    assert str(out.dtype) == str(expected.dtype)
    np.testing.assert_allclose(_numpy(out), _numpy(expected), rtol=RTOL, atol=ATOL)
    name = type(out.grad_fn).__name__
    if node is True:
        assert name == type(expected.grad_fn).__name__
    elif node:
        assert name == node
    if not expected.requires_grad:
        return out
    grad_output = np.random.default_rng(0).standard_normal(expected.shape)
    grad_output = grad_output.astype(_numpy(expected).dtype)
    out.backward(tinygrad_edu.tensor(grad_output, device=device))
    expected.backward(torch.tensor(grad_output))
    for i, (mine, reference) in enumerate(zip(ours, theirs)):
        if reference.grad is None:
            assert mine.grad is None, f"input {i}: a gradient where torch has none"
            continue
        assert mine.grad is not None, f"input {i}: no gradient"
        assert str(mine.grad.dtype) == str(reference.grad.dtype)
        np.testing.assert_allclose(_numpy(mine.grad), _numpy(reference.grad), rtol=RTOL,
                                   atol=ATOL, err_msg=f"gradient of input {i}")
    return out


def random_leaves(*shapes, low: float = -1.0, high: float = 1.0, seed: int = 0) -> tuple:
    """float64 leaves requiring grad, uniform in [low, high): the inputs of a gradcheck."""
    rng = np.random.default_rng(seed)
    return tuple(tinygrad_edu.tensor(rng.uniform(low, high, shape), requires_grad=True)
                 for shape in shapes)


@pytest.fixture(scope="session")
def matches_torch():
    return check_against_torch


@pytest.fixture(scope="session")
def leaves():
    return random_leaves
