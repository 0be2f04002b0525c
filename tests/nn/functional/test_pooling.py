"""Pooling against torch (parity.check_op): max/avg 1-d and 2-d with every option, adaptive
pooling to any output size; values, indices and input gradients.

Inputs are drawn either continuous or from a few levels (many ties), so that max pooling's
tie-breaking (the gradient goes to the element torch picks: the first maximum of the window)
is exercised. float32 inputs lie on a 1/8 grid, so window sums are exact in both libraries.

Without torch (the last section): finite-difference gradients, indices and divisors worked by
hand, and the tie rule (the first maximum of a window takes the gradient)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.check import check_op
from tinygrad_edu.autograd import gradcheck

DTYPES = ["float64", "float32"]


def _values(rng, shape, dtype, ties):
    if ties:  # a handful of levels: windows often hold their maximum twice
        return rng.integers(-2, 3, shape).astype(dtype)
    if dtype == "float32":
        return (rng.integers(-16, 17, shape) / 8).astype(np.float32)
    return rng.standard_normal(shape)


@st.composite
def pool_cases(draw, dims, dilation=True):
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride = draw(st.sampled_from([None, "drawn"]))
    stride = None if stride is None else tuple(draw(st.integers(1, 3)) for _ in range(dims))
    dil = tuple(draw(st.integers(1, 2)) if dilation else 1 for _ in range(dims))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)  # torch's limit
    ceil_mode = draw(st.booleans())
    spatial = tuple((k - 1) * d + 1 + draw(st.integers(0, 5)) for k, d in zip(kernel, dil))
    lead = draw(st.sampled_from([(), (2,), (1, 3), (2, 2)]))  # () and (C,): unbatched
    if dims == 1 and len(lead) == 0:
        lead = (3,)
    options = dict(kernel_size=kernel if dims == 2 or draw(st.booleans()) else kernel[0],
                   stride=stride, padding=padding, ceil_mode=ceil_mode)
    if dilation:
        options["dilation"] = dil
    return lead + (1,) * (len(lead) == 0) + spatial, options


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dims", [1, 2])
@given(data=st.data(), ties=st.booleans(), seed=st.integers(0, 2**16))
def test_max_pool_matches_torch(dims, dtype, data, ties, seed):
    shape, options = data.draw(pool_cases(dims), label="case")
    x = _values(np.random.default_rng(seed), shape, dtype, ties)
    name = f"max_pool{dims}d"
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(x, return_indices=True, **options),
             [x])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dims", [1, 2])
@given(data=st.data(), count_include_pad=st.booleans(),
       divisor=st.sampled_from([None, None, 1, 3, 7]), seed=st.integers(0, 2**16))
def test_avg_pool_matches_torch(dims, dtype, data, count_include_pad, divisor, seed):
    shape, options = data.draw(pool_cases(dims, dilation=False), label="case")
    if dims == 2:  # avg_pool1d has no divisor_override
        options["divisor_override"] = divisor
    x = _values(np.random.default_rng(seed), shape, dtype, ties=False)
    name = f"avg_pool{dims}d"
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(
        x, count_include_pad=count_include_pad, **options), [x])


@st.composite
def adaptive_cases(draw):
    spatial = (draw(st.integers(1, 9)), draw(st.integers(1, 9)))
    size = tuple(draw(st.one_of(st.none(), st.integers(1, 11))) for _ in range(2))
    output = size[0] if size[0] == size[1] and size[0] is not None and draw(st.booleans()) \
        else size
    lead = draw(st.sampled_from([(2,), (2, 3)]))
    return lead + spatial, output


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=adaptive_cases(), seed=st.integers(0, 2**16))
def test_adaptive_avg_pool2d_matches_torch(case, seed, dtype):
    shape, output = case
    x = _values(np.random.default_rng(seed), shape, dtype, ties=False)
    check_op(lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, output), [x])


@pytest.mark.parametrize("dtype", DTYPES)
@given(case=adaptive_cases(), ties=st.booleans(), seed=st.integers(0, 2**16))
def test_adaptive_max_pool2d_matches_torch(case, ties, seed, dtype):
    shape, output = case
    x = _values(np.random.default_rng(seed), shape, dtype, ties)
    check_op(lambda lib, x: lib.nn.functional.adaptive_max_pool2d(x, output, True), [x])


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.nn.functional.max_pool2d(x, 2),          # LeNet, after each conv
    lambda lib, x: lib.nn.functional.avg_pool2d(x, 4),          # the MNIST tutorial's head
    lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, 1),  # global average pooling
])
def test_tutorial_pools_match_torch(call):
    rng = np.random.default_rng(0)
    check_op(call, [np.maximum(rng.standard_normal((4, 3, 8, 8)), 0)])  # relu'd: many ties at 0


def test_pool_graph_names_match_torch():
    def names(lib):
        x = lib.randn(1, 2, 6, 6, requires_grad=True)
        f = lib.nn.functional
        pools = [type(y.grad_fn).__name__ for y in (
            f.max_pool2d(x, 2), f.avg_pool2d(x, 2), f.adaptive_avg_pool2d(x, 4),
            f.adaptive_max_pool2d(x, 4))]
        # 1-d pooling is 2-d pooling between an unsqueeze and a squeeze, in torch as here
        return pools + [type(y.grad_fn.next_functions[0][0]).__name__
                        for y in (f.max_pool1d(x[0], 2), f.avg_pool1d(x[0], 2))]
    assert names(tinygrad_edu) == names(torch)


def test_max_pool_indices_are_torch_flat_indices():
    x = tinygrad_edu.tensor([[[[1.0, 5.0, 2.0], [5.0, 0.0, 7.0], [7.0, 7.0, 1.0]]]])
    values, indices = F.max_pool2d(x, 2, stride=1, return_indices=True)
    assert values.tolist() == [[[[5.0, 7.0], [7.0, 7.0]]]]
    assert indices.tolist() == [[[[1, 5], [6, 5]]]]  # first maximum, row-major, in the input
    assert indices.dtype is tinygrad_edu.int64


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.nn.functional.max_pool2d(x, 2, return_indices=True),
    lambda lib, x: lib.nn.functional.avg_pool2d(x, 2, padding=1),
    lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, 3),
    lambda lib, x: lib.nn.functional.adaptive_max_pool2d(x, 3, return_indices=True),
])
def test_empty_batches_match_torch(call):
    check_op(call, [np.zeros((0, 2, 4, 4))])


# ----------------------------------------------------------------------------- without torch

def _distinct(shape, seed=0):
    """Values with no ties, so that every window's maximum is unique."""
    values = np.random.default_rng(seed).permutation(int(np.prod(shape))) / 7.0
    return tinygrad_edu.tensor(values.reshape(shape), requires_grad=True)


@pytest.mark.parametrize("call", [
    lambda x: F.max_pool2d(x, 2),
    lambda x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True),
    lambda x: F.max_pool2d(x, (2, 3), stride=1, dilation=(2, 1)),
    lambda x: F.avg_pool2d(x, 2),
    lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    lambda x: F.avg_pool2d(x, 2, stride=1, divisor_override=3),
    lambda x: F.adaptive_avg_pool2d(x, (3, 2)),
    lambda x: F.adaptive_avg_pool2d(x, 2),
    lambda x: F.adaptive_max_pool2d(x, (4, 3)),
    lambda x: F.max_pool1d(x[0], 2, stride=1),
    lambda x: F.avg_pool1d(x[0], 3, padding=1),
])
def test_gradients_match_finite_differences(call):
    assert gradcheck(call, (_distinct((1, 2, 5, 4)),))


def test_ties_send_the_gradient_to_the_first_maximum():
    x = tinygrad_edu.tensor([[[[1.0, 1.0], [1.0, 0.0]]]], requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad.tolist() == [[[[1.0, 0.0], [0.0, 0.0]]]]
    x.grad = None
    F.adaptive_max_pool2d(x, 1).sum().backward()
    assert x.grad.tolist() == [[[[1.0, 0.0], [0.0, 0.0]]]]


def test_overlapping_windows_add_their_gradients():
    x = tinygrad_edu.tensor([[[[0.0, 9.0, 0.0]]]], requires_grad=True)
    F.max_pool2d(x, (1, 2), stride=1).sum().backward()  # 9 wins both windows
    assert x.grad.tolist() == [[[[0.0, 2.0, 0.0]]]]


def test_avg_pool_divisors_worked_by_hand():
    x = tinygrad_edu.ones(1, 1, 3, 3, dtype=tinygrad_edu.float64)
    # padding 1, 3x3 windows over 2 outputs: corners hold 4 of 9 real values
    assert F.avg_pool2d(x, 3, stride=2, padding=1).tolist() == [[[[4 / 9, 4 / 9],
                                                                  [4 / 9, 4 / 9]]]]
    assert F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False).tolist() == \
        [[[[1.0, 1.0], [1.0, 1.0]]]]
    assert F.avg_pool2d(x, 3, divisor_override=2).tolist() == [[[[4.5]]]]


def test_adaptive_windows_overlap_like_torchs():
    x = tinygrad_edu.tensor(np.arange(5.0).reshape(1, 1, 1, 5))
    # windows [0, 2), [1, 4), [3, 5): floor(i n / o) to ceil((i + 1) n / o)
    assert F.adaptive_avg_pool2d(x, (1, 3)).tolist() == [[[[0.5, 2.0, 3.5]]]]
    values, indices = F.adaptive_max_pool2d(x, (1, 3), return_indices=True)
    assert values.tolist() == [[[[1.0, 3.0, 4.0]]]] and indices.tolist() == [[[[1, 3, 4]]]]


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int32", "int64", "float16"])
@pytest.mark.parametrize("call", [
    lambda F, x: F.avg_pool2d(x, 2), lambda F, x: F.max_pool2d(x, 2),
    lambda F, x: F.max_pool1d(x[0], 2), lambda F, x: F.max_pool1d(x[0], 2, return_indices=True),
    lambda F, x: F.adaptive_max_pool2d(x, 2), lambda F, x: F.adaptive_avg_pool2d(x, 2),
], ids=["avg_pool2d", "max_pool2d", "max_pool1d", "max_pool1d_indices", "adaptive_max_pool2d",
        "adaptive_avg_pool2d"])
def test_pools_compute_or_refuse_each_dtype_as_torch(call, dtype):
    values = np.arange(16).reshape(1, 1, 4, 4) % 3
    outcomes = []
    for lib in (torch, tinygrad_edu):
        try:
            result = call(lib.nn.functional, lib.tensor(values.astype(dtype)))
            result = result[0] if isinstance(result, tuple) else result
            outcomes.append((str(result.dtype).split(".")[-1], result.tolist()))
        except NotImplementedError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]
