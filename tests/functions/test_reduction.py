"""functions/reduction.py against torch: values, gradients, shapes (found wrong before)."""
from __future__ import annotations

import warnings

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


# ----------------------------------------------------------------------------- bad input
# Reductions with no identity refuse empty slices in torch's words (not NumPy's); mean, var and
# std of nothing are NaN with torch's warnings only; topk's k must fit the dim.

EMPTY_SHAPES = [(0,), (0, 3), (3, 0)]


def _dims(shape):
    """The reduction dims to try: none, each dim (also negative), and all of them."""
    return [None] + list(range(len(shape))) + [-1, tuple(range(len(shape)))]


@pytest.mark.parametrize("name", ["amax", "amin", "argmax", "argmin", "max", "min"])
@pytest.mark.parametrize("shape", EMPTY_SHAPES, ids=str)
def test_extremes_of_empty_tensors_raise_or_return_as_torch(name, shape):
    for dim in _dims(shape):
        if isinstance(dim, tuple) and name not in ("amax", "amin"):
            continue
        outcomes = []
        for lib in (torch, tinygrad_edu):
            args = () if dim is None else (dim,)
            try:
                result = getattr(lib, name)(lib.zeros(shape), *args)
            except (RuntimeError, IndexError) as error:
                outcomes.append((type(error).__name__, str(error).split(" (Triggered")[0]))
            else:
                values = result[0] if isinstance(result, tuple) else result
                outcomes.append(("returned", tuple(values.shape)))
        assert outcomes[0] == outcomes[1], (dim, outcomes)


def test_the_messages_for_empty_extremes_differ_by_form_as_torchs(raises_as_torch):
    raises_as_torch(lambda lib: lib.amax(lib.zeros(0)),
                    "amax(): Expected reduction dim to be specified for input.numel() == 0. "
                    "Specify the reduction dim with the 'dim' argument.")
    raises_as_torch(lambda lib: lib.argmin(lib.zeros(0, 3)),
                    "argmin(): Expected reduction dim to be specified for input.numel() == 0.")
    raises_as_torch(lambda lib: lib.amin(lib.zeros(3, 0), -1),
                    "amin(): Expected reduction dim -1 to have non-zero size.")
    raises_as_torch(lambda lib: lib.argmax(lib.zeros(3, 0), -1),
                    "argmax(): Expected reduction dim 1 to have non-zero size.")
    raises_as_torch(lambda lib: lib.amax(lib.zeros(3, 0), (-1, 0)),
                    "amax(): Expected reduction dim -1 to have non-zero size.")
    raises_as_torch(lambda lib: lib.zeros(0).argmax(keepdim=True), "Expected reduction dim")


def _with_warnings(call):
    """call()'s result as nested lists (NaN as a string) and the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    values = [r.tolist() for r in result] if isinstance(result, tuple) else result.tolist()
    return str(values), [(w.category.__name__, str(w.message).split(" (Triggered")[0])
                         for w in caught]


@pytest.mark.parametrize("name", ["mean", "var", "std", "var_mean", "std_mean"])
@pytest.mark.parametrize("shape", EMPTY_SHAPES + [(1,), (1, 3)], ids=str)
def test_statistics_of_too_few_elements_are_nan_with_torchs_warnings_only(name, shape):
    for dim in _dims(shape):
        args = () if dim is None else (dim,)
        ours = _with_warnings(lambda: getattr(tinygrad_edu, name)(tinygrad_edu.zeros(shape),
                                                                  *args))
        theirs = _with_warnings(lambda: getattr(torch, name)(torch.zeros(shape), *args))
        assert ours == theirs, (dim, ours, theirs)


def test_mean_of_nothing_is_nan_without_any_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for shape, dim in [((0,), None), ((0, 3), 0), ((3, 0), 1), ((0, 3), (0, 1))]:
            args = () if dim is None else (dim,)
            ours = tinygrad_edu.mean(tinygrad_edu.zeros(shape), *args)
            theirs = torch.mean(torch.zeros(shape), *args)
            assert str(ours.tolist()) == str(theirs.tolist())


def test_var_with_a_correction_beyond_the_count_warns_as_torch():
    ours = _with_warnings(lambda: tinygrad_edu.tensor([1.0, 2.0, 4.0]).var(correction=5))
    theirs = _with_warnings(lambda: torch.tensor([1.0, 2.0, 4.0]).var(correction=5))
    assert ours == theirs


@pytest.mark.parametrize("shape, dim", [((0,), 0), ((0, 3), 0), ((3, 0), 1), ((3, 0), (0, 1))],
                         ids=str)
def test_logsumexp_of_nothing_is_minus_infinity(shape, dim):
    ours = tinygrad_edu.logsumexp(tinygrad_edu.zeros(shape), dim)
    theirs = torch.logsumexp(torch.zeros(shape), dim)
    assert str(ours.tolist()) == str(theirs.tolist())


@pytest.mark.parametrize("p", [-1, float("inf"), float("-inf")])
def test_norms_without_an_identity_refuse_empty_tensors(p, raises_as_torch):
    raises_as_torch(lambda lib: lib.norm(lib.zeros(0), p),
                    "norm on an empty tensor because the operation does not have an identity")
    raises_as_torch(lambda lib: lib.norm(lib.zeros(3, 0), p, dim=1), "norm on the dimension 1")
    ours = tinygrad_edu.norm(tinygrad_edu.zeros(3, 0), p, dim=0)
    assert tuple(ours.shape) == tuple(torch.norm(torch.zeros(3, 0), p, dim=0).shape)


@pytest.mark.parametrize("shape, k, dim", [((3,), 4, -1), ((3,), -1, -1), ((3, 2), 3, 1),
                                           ((0,), 1, 0), ((3, 0), 1, 1), ((), 2, -1)], ids=str)
def test_topk_refuses_k_beyond_the_dim(shape, k, dim, raises_as_torch):
    raises_as_torch(lambda lib: lib.topk(lib.ones(shape), k, dim),
                    "selected index k out of range")


@pytest.mark.parametrize("k", [0, 1])
def test_topk_and_sort_of_a_zero_dim_tensor_give_the_element_as_torch(k):
    for call in [lambda lib: lib.topk(lib.tensor(5.0), k), lambda lib: lib.sort(lib.tensor(5.0))]:
        ours, theirs = call(tinygrad_edu), call(torch)
        assert (ours.values.tolist(), ours.indices.tolist(), tuple(ours.indices.shape)) == \
            (theirs.values.tolist(), theirs.indices.tolist(), tuple(theirs.indices.shape))


def test_elementwise_max_takes_no_keepdim(raises_as_torch):
    for name in ("max", "min"):
        raises_as_torch(lambda lib: getattr(lib, name)(lib.ones(2), lib.ones(2), True),
                        "received an invalid combination of arguments")


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64"])
@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_variances_of_integers_are_refused_in_torchs_words(name, dtype, same_error_as_torch):
    same_error_as_torch(lambda lib: getattr(lib, name)(lib.ones(3, dtype=getattr(lib, dtype))),
                        RuntimeError)


@pytest.mark.parametrize("call", [lambda lib, x: lib.argmax(x), lambda lib, x: x.argmin(0),
                                  lambda lib, x: lib.topk(x, 2)], ids=["argmax", "argmin", "topk"])
def test_argmax_argmin_and_topk_refuse_bool_as_torch(call, same_error_as_torch):
    same_error_as_torch(lambda lib: call(lib, lib.tensor([True, False, True])), RuntimeError)


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int64", "float32"])
def test_descending_sort_and_topk_of_unsigned_and_extreme_values_as_torch(dtype):
    values = np.array([0, 1, 200, -128, 127, 3], dtype=np.int64)
    values = values.astype(dtype) if dtype != "bool" else values > 1
    for call in (lambda lib, x: lib.sort(x, descending=True, stable=True),
                 lambda lib, x: lib.topk(x, 3) if dtype != "bool" else lib.sort(x, 0, True)):
        ours = call(tinygrad_edu, tinygrad_edu.tensor(values))
        theirs = call(torch, torch.tensor(values))
        assert ours.values.tolist() == theirs.values.tolist()
        assert ours.indices.tolist() == theirs.indices.tolist()
