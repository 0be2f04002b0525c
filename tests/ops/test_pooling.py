"""ops/pooling.py without torch: finite-difference gradients, indices and divisors worked by
hand, and the tie rule (the first maximum of a window takes the gradient)."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


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
