"""nn.utils: gradient clipping and parameters <-> vector, against torch.nn.utils."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import compare_arrays


def parameters_with_grads(lib, shapes, seed: int, scale: float):
    rng = np.random.default_rng(seed)
    params = []
    for shape in shapes:
        param = lib.nn.Parameter(lib.tensor(rng.standard_normal(shape)))
        param.grad = lib.tensor(rng.standard_normal(shape) * scale)
        params.append(param)
    return params


shapes = st.lists(st.lists(st.integers(1, 4), max_size=3), min_size=1, max_size=4)


@given(shapes=shapes, max_norm=st.floats(0.1, 10), norm_type=st.sampled_from([1, 2.0, 3,
                                                                              float("inf")]),
       scale=st.sampled_from([0.01, 1.0, 10.0]), seed=st.integers(0, 100))
def test_clip_grad_norm_matches_torch(shapes, max_norm, norm_type, scale, seed):
    ours = parameters_with_grads(tinygrad_edu, shapes, seed, scale)
    theirs = parameters_with_grads(torch, shapes, seed, scale)
    total_ours = tinygrad_edu.nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
    total_theirs = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    compare_arrays(total_ours.numpy(), total_theirs.numpy(), 1e-10, 1e-12, "total norm")
    for a, b in zip(ours, theirs):
        compare_arrays(a.grad.numpy(), b.grad.numpy(), 1e-10, 1e-12, "clipped gradient")


@given(shapes=shapes, clip=st.floats(0.01, 2), seed=st.integers(0, 100))
def test_clip_grad_value_matches_torch(shapes, clip, seed):
    ours = parameters_with_grads(tinygrad_edu, shapes, seed, 1.0)
    theirs = parameters_with_grads(torch, shapes, seed, 1.0)
    assert tinygrad_edu.nn.utils.clip_grad_value_(ours, clip) is None
    torch.nn.utils.clip_grad_value_(theirs, clip)
    for a, b in zip(ours, theirs):
        assert np.array_equal(a.grad.numpy(), b.grad.numpy())


def test_clip_grad_norm_edge_cases():
    single = tinygrad_edu.nn.Parameter(tinygrad_edu.ones(3))
    assert tinygrad_edu.nn.utils.clip_grad_norm_(single, 1.0).item() == 0.0  # no grads
    single.grad = tinygrad_edu.tensor([3.0, 4.0, 0.0])
    assert tinygrad_edu.nn.utils.clip_grad_norm_(single, 10.0).item() == 5.0
    assert single.grad.tolist() == [3.0, 4.0, 0.0]  # under max_norm: unchanged
    single.grad = tinygrad_edu.tensor([float("nan"), 1.0, 0.0])
    message = "The total norm of order 2.0 for gradients from `parameters` is non-finite"
    with pytest.raises(RuntimeError, match=message):
        tinygrad_edu.nn.utils.clip_grad_norm_([single], 1.0, error_if_nonfinite=True)


def test_parameters_to_vector_and_back():
    ours, theirs = tinygrad_edu.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    ours.load_state_dict(theirs.state_dict())
    vector = tinygrad_edu.nn.utils.parameters_to_vector(ours.parameters())
    expected = torch.nn.utils.parameters_to_vector(theirs.parameters())
    assert np.array_equal(vector.detach().numpy(), expected.detach().numpy())
    assert vector.requires_grad  # differentiable, as torch's
    new = tinygrad_edu.arange(8.0)
    tinygrad_edu.nn.utils.vector_to_parameters(new, ours.parameters())
    assert ours.weight.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert ours.bias.tolist() == [6.0, 7.0]
    new[0] = 9.0  # the parameters now share the vector's memory, as in torch
    assert ours.weight[0, 0].item() == 9.0
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        tinygrad_edu.nn.utils.vector_to_parameters([1.0], ours.parameters())
