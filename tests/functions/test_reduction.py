"""functions/reduction.py against torch: values, gradients, shapes (found wrong before)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu


def _both(fn, data, grad=None):
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.tensor(data, dtype=lib.float64, requires_grad=True)
        y = fn(lib, x)
        y.backward(lib.tensor(grad, dtype=lib.float64) if grad is not None else lib.ones_like(y))
        results.append((y.detach().numpy(), x.grad.numpy(), type(y.grad_fn).__name__))
    return results


@pytest.mark.parametrize("data, dim", [
    ([2.0, 0.0, -3.0, 4.0], 0),                      # a zero, then negatives: no NaN
    ([[2.0, 0.0, 0.0, 4.0], [1.0, -2.0, 3.0, 4.0]], 1),  # two zeros in a row
    ([[1.5, -2.0], [0.5, 3.0]], 0),                  # no zero
    ([[1.5, -2.0], [0.5, 3.0]], -1),
    ([0.0, 0.0, 0.0], 0),
])
def test_cumprod_is_a_true_cumulative_product_with_torchs_gradient(data, dim):
    (y_t, g_t, node_t), (y, g, node) = _both(lambda lib, x: lib.cumprod(x, dim), data)
    np.testing.assert_allclose(y, y_t, rtol=1e-12)
    np.testing.assert_allclose(g, g_t, rtol=1e-12, atol=1e-12)
    assert node == node_t == "CumprodBackward0"


def test_cumprod_forward_does_not_depend_on_requires_grad():
    data = [2.0, -1.0, 0.0, -3.0]
    plain = tinygrad_edu.cumprod(tinygrad_edu.tensor(data), 0)
    tracked = tinygrad_edu.cumprod(tinygrad_edu.tensor(data, requires_grad=True), 0)
    assert np.array_equal(plain.numpy(), tracked.detach().numpy())
    assert np.array_equal(plain.numpy(), torch.cumprod(torch.tensor(data), 0).numpy())


@pytest.mark.parametrize("data", [[1.5, -2.0, 0.5], [1.5, 0.0, 0.5], [0.0, 2.0, 0.0]])
def test_cumprod_gradcheck_and_gradgradcheck(data):
    x = tinygrad_edu.tensor(data, dtype=tinygrad_edu.float64, requires_grad=True)
    assert tinygrad_edu.autograd.gradcheck(lambda a: tinygrad_edu.cumprod(a, 0), (x,))
    assert tinygrad_edu.autograd.gradgradcheck(lambda a: tinygrad_edu.cumprod(a, 0), (x,))


def test_cumprod_of_a_0d_tensor_keeps_its_shape():
    for lib in (torch, tinygrad_edu):
        assert lib.cumprod(lib.tensor(5.0), 0).shape == ()


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
@pytest.mark.parametrize("unbiased", [True, False])
def test_var_mean_and_std_mean_read_a_positional_bool_as_unbiased_for_both(name, unbiased):
    data = [[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]]
    theirs = getattr(torch, name)(torch.tensor(data), unbiased)
    ours = getattr(tinygrad_edu, name)(tinygrad_edu.tensor(data), unbiased)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


@pytest.mark.parametrize("p", [float("-inf"), float("inf")])
def test_norm_at_plus_and_minus_infinity_as_torch(p):
    data = [3.0, -0.5, 2.0, 0.5]  # two elements tie for the smallest |x|
    (y_t, g_t, _), (y, g, _) = _both(lambda lib, x: lib.norm(x, p), data)
    np.testing.assert_allclose(y, y_t)
    np.testing.assert_allclose(g, g_t)


@pytest.mark.parametrize("dim, keepdim", [(None, False), ((0, 1), True), ((1, 0), False),
                                          ((-1, 0), True)])
def test_nuclear_norm_sums_the_singular_values_with_torchs_gradient(dim, keepdim):
    data = np.random.default_rng(3).standard_normal((3, 4))
    (y_t, g_t, _), (y, g, _) = _both(
        lambda lib, x: lib.norm(x, p="nuc", dim=dim, keepdim=keepdim), data)
    np.testing.assert_allclose(y, y_t, rtol=1e-12)
    np.testing.assert_allclose(g, g_t, rtol=1e-10, atol=1e-12)
    assert y.shape == y_t.shape


def test_nuclear_norm_of_a_batch_over_two_chosen_dims():
    data = np.random.default_rng(4).standard_normal((2, 3, 4))
    grad = np.arange(1.0, 4.0).reshape(1, 3, 1)
    (y_t, g_t, _), (y, g, _) = _both(
        lambda lib, x: x.norm("nuc", dim=(2, 0), keepdim=True), data, grad)
    np.testing.assert_allclose(y, y_t, rtol=1e-12)
    np.testing.assert_allclose(g, g_t, rtol=1e-10, atol=1e-12)


def test_nuclear_norm_needs_exactly_two_dims_as_torch():
    for lib in (torch, tinygrad_edu):
        with pytest.raises(RuntimeError, match="dim must be a 2-tuple. Got 0 1 2"):
            lib.norm(lib.zeros(2, 3, 4), p="nuc")


# ----------------------------------------------------------------------------- 0-d inputs

SORTS_OF_0D = {
    "sort": lambda lib, s: lib.sort(s),
    "sort descending, dim 0": lambda lib, s: s.sort(0, descending=True),
    "argsort": lambda lib, s: lib.argsort(s, -1),
    "topk 1": lambda lib, s: lib.topk(s, 1),
    "topk 0": lambda lib, s: s.topk(0, dim=0),
    "topk smallest": lambda lib, s: lib.topk(s, 1, largest=False, sorted=False),
}


@pytest.mark.parametrize("name", sorted(SORTS_OF_0D))
def test_sort_and_topk_of_a_0d_tensor_as_torch(name, same_as_torch):
    same_as_torch(SORTS_OF_0D[name], np.float64(3.0))


@pytest.mark.parametrize("shape, k", [((), 2), ((3,), 4), ((3,), -1)])
def test_topk_beyond_the_size_raises_as_torch(shape, k, same_error_as_torch):
    same_error_as_torch(lambda lib: lib.topk(lib.zeros(shape), k), RuntimeError)


# ----------------------------------------------------------------------------- zero-size inputs

EMPTY_SHAPES_AND_DIMS = [((0, 3), 0), ((0, 3), 1), ((3, 0), 1), ((3, 0), -2), ((0,), 0),
                         ((2, 0, 3), 1)]
SOFTMAXES = {
    "torch.softmax": lambda lib, x, dim: lib.softmax(x, dim),
    "torch.softmax dtype": lambda lib, x, dim: lib.softmax(x, dim, dtype=lib.float64),
    "Tensor.softmax": lambda lib, x, dim: x.softmax(dim),
    "Tensor.softmax dtype": lambda lib, x, dim: x.softmax(dim, dtype=lib.float32),
    "torch.log_softmax": lambda lib, x, dim: lib.log_softmax(x, dim),
    "Tensor.log_softmax dtype": lambda lib, x, dim: x.log_softmax(dim, dtype=lib.float64),
    "torch.logsumexp": lambda lib, x, dim: lib.logsumexp(x, dim),
    "Tensor.logsumexp keepdim": lambda lib, x, dim: x.logsumexp(dim, keepdim=True),
}


@pytest.mark.parametrize("shape, dim", EMPTY_SHAPES_AND_DIMS)
@pytest.mark.parametrize("name", sorted(SOFTMAXES))
def test_softmaxes_of_zero_size_inputs_as_torch(name, shape, dim, same_as_torch):
    same_as_torch(lambda lib, x: SOFTMAXES[name](lib, x, dim), np.zeros(shape, np.float32))
