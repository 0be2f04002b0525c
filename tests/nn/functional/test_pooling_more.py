"""3-d, 1-d/3-d adaptive and power-average pooling, and max unpooling: torch's errors, the
tie-breaking and indices of the two-stage 3-d maximum, finite-difference gradients. Values and
gradients against torch, property based: the op registry (parity/ops_nn_conv.py)."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


def _x(lib, *shape):
    return lib.tensor((np.arange(float(np.prod(shape))).reshape(shape) / 10).astype(np.float32))


ERRORS = {
    "max_pool3d rank": (lambda l: l.nn.functional.max_pool3d(_x(l, 3, 4, 5), 2),
                        "non-empty 4D or 5D (batch mode) tensor expected for input"),
    "max_pool3d two kernel sizes": (lambda l: l.nn.functional.max_pool3d(_x(l, 1, 2, 3, 4), (2, 2)),
                                    "max_pool3d: kernel_size must either be a single int"),
    "max_pool3d padding": (lambda l: l.nn.functional.max_pool3d(_x(l, 1, 2, 3, 4), 2, padding=2),
                           "pad should be at most half of effective kernel size"),
    "max_pool3d output": (lambda l: l.nn.functional.max_pool3d(_x(l, 1, 2, 3, 4, 5), 4),
                          "Output size is too small"),
    "max_pool3d dilation": (lambda l: l.nn.functional.max_pool3d(_x(l, 1, 2, 3, 4), 2,
                                                                 dilation=0),
                            "dilation should be greater than zero, but got dilationT: 0"),
    "avg_pool3d kernel": (lambda l: l.nn.functional.avg_pool3d(_x(l, 1, 2, 3, 4, 5), 4),
                          "input image (T: 3 H: 4 W: 5) smaller than kernel size"),
    "avg_pool3d divisor": (lambda l: l.nn.functional.avg_pool3d(_x(l, 1, 2, 3, 4), 2,
                                                                divisor_override=0),
                           "divisor must be not zero"),
    "avg_pool3d int": (lambda l: l.nn.functional.avg_pool3d(_x(l, 1, 2, 3, 4).int(), 2),
                       "\"avg_pool3d_out_frame\" not implemented for 'Int'"),
    "adaptive_avg_pool1d rank": (lambda l: l.nn.functional.adaptive_avg_pool1d(
        _x(l, 1, 2, 3, 4), 2), "Expected 2 to 3 dimensions"),
    "adaptive_max_pool1d size": (lambda l: l.nn.functional.adaptive_max_pool1d(
        _x(l, 2, 4), (2, 3)), "should contain one int (got 2)"),
    "adaptive_avg_pool3d rank": (lambda l: l.nn.functional.adaptive_avg_pool3d(
        _x(l, 3, 4, 5), 2), "adaptive_avg_pool3d(): Expected 4D or 5D tensor"),
    "adaptive_avg_pool3d size": (lambda l: l.nn.functional.adaptive_avg_pool3d(
        _x(l, 1, 3, 4, 5), (2, 3)), "adaptive_avg_pool3d: output_size must be 3"),
    "adaptive_max_pool3d long": (lambda l: l.nn.functional.adaptive_max_pool3d(
        _x(l, 1, 3, 4, 5).long(), 2), "\"adaptive_max_pool3d_cpu\" not implemented for 'Long'"),
    "max_unpool2d indices dtype": (lambda l: l.nn.functional.max_unpool2d(
        _x(l, 1, 1, 2, 2), _x(l, 1, 1, 2, 2), 2), "elements in indices should be type int64"),
    "max_unpool2d indices shape": (lambda l: l.nn.functional.max_unpool2d(
        _x(l, 1, 1, 2, 2), _x(l, 1, 2, 2).long(), 2), "Expected shape of indices to be same"),
    "max_unpool2d index out of range": (lambda l: l.nn.functional.max_unpool2d(
        _x(l, 1, 1, 2, 2), _x(l, 1, 1, 2, 2).long() + 100, 2), "Found an invalid max index"),
    "max_unpool2d output size": (lambda l: l.nn.functional.max_unpool2d(
        _x(l, 1, 1, 2, 2), _x(l, 1, 1, 2, 2).long(), 2, output_size=(7, 5)),
        "invalid output_size \"(7, 5)\" (dim 0 must be between 2 and 6)"),
    "max_unpool2d output size length": (lambda l: l.nn.functional.max_unpool2d(
        _x(l, 1, 1, 2, 2), _x(l, 1, 1, 2, 2).long(), 2, output_size=(5,)),
        "output_size should be a sequence containing 2 or 4 elements"),
    "max_unpool3d rank": (lambda l: l.nn.functional.max_unpool3d(
        _x(l, 2, 2, 2), _x(l, 2, 2, 2).long(), 2), "Input to max_unpooling3d should be a 4d or "
        "5d Tensor, but got a tensor with 3 dimensions."),
    "max_unpool2d long": (lambda l: l.nn.functional.max_unpool2d(
        _x(l, 1, 1, 2, 2).long(), _x(l, 1, 1, 2, 2).long() * 0, 2),
        "\"max_unpool2d\" not implemented for 'Long'"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_in_torchs_words(case, raises_as_torch):
    call, phrase = ERRORS[case]
    raises_as_torch(call, phrase)


def test_ties_in_a_box_go_to_the_first_in_depth_row_column_order(same_as_torch):
    """The two-stage maximum picks torch's element among equal maxima, and its index."""
    x = np.zeros((1, 1, 3, 4, 4))
    x[0, 0, 1, 2, 1] = x[0, 0, 2, 0, 3] = x[0, 0, 1, 3, 0] = 5.0
    same_as_torch(lambda lib, a: lib.nn.functional.max_pool3d(a, 2, stride=1, padding=1,
                                                              return_indices=True), x)
    same_as_torch(lambda lib, a: lib.nn.functional.adaptive_max_pool3d(a, (2, 3, 2), True), x)


def test_max_pool_then_unpool_puts_each_maximum_back(same_as_torch):
    x = np.random.default_rng(0).permutation(2 * 3 * 4 * 4 * 2).reshape(2, 3, 4, 4, 2) / 7.0

    def round_trip(lib, a):
        values, indices = lib.nn.functional.max_pool3d(a, 2, return_indices=True)
        return lib.nn.functional.max_unpool3d(values, indices, 2, output_size=a.shape)
    same_as_torch(round_trip, x)


def test_average_of_long_inputs_truncates_as_torch(same_as_torch):
    x = np.arange(-20, 28).reshape(1, 2, 2, 3, 4)
    same_as_torch(lambda lib, a: lib.nn.functional.avg_pool3d(a, 2, stride=1, padding=1,
                                                              count_include_pad=False), x)


def _distinct(shape, seed=0):
    values = np.random.default_rng(seed).permutation(int(np.prod(shape))) / 7.0 + 0.5
    return tinygrad_edu.tensor(values.reshape(shape), requires_grad=True)


@pytest.mark.parametrize("call", [
    lambda x: F.max_pool3d(x, 2, stride=1, padding=1),
    lambda x: F.max_pool3d(x, (1, 2, 2), dilation=(2, 1, 1), ceil_mode=True),
    lambda x: F.avg_pool3d(x, 2, stride=(1, 2, 1), padding=1, count_include_pad=False),
    lambda x: F.avg_pool3d(x, 2, ceil_mode=True, divisor_override=3),
    lambda x: F.adaptive_avg_pool3d(x, (2, 3, 2)),
    lambda x: F.adaptive_max_pool3d(x, (3, 2, 1)),
    lambda x: F.adaptive_avg_pool1d(x[0, 0, 0], 3),
    lambda x: F.adaptive_max_pool1d(x[0, 0, 0], 2),
    lambda x: F.lp_pool1d(x[0, 0, 0], 2.0, 2),
    lambda x: F.lp_pool2d(x[0, 0], 1.5, (2, 1), stride=1),
    lambda x: F.lp_pool3d(x, 3.0, 2, ceil_mode=True),
    lambda x: F.max_unpool2d(*F.max_pool2d(x[0, 0], 2, return_indices=True), 2),
])
def test_gradients_match_finite_differences(call):
    assert gradcheck(call, (_distinct((1, 2, 3, 5, 4)),))


@pytest.mark.parametrize("norm", [float("inf"), -float("inf")])
def test_lp_pool_with_an_infinite_norm_takes_the_largest_or_smallest_magnitude(norm,
                                                                            same_as_torch):
    x = np.array([[[1.0, -4.0, 2.0, 3.0, -0.5]]])
    same_as_torch(lambda lib, a: lib.nn.functional.lp_pool1d(a, norm, 2, stride=1), x)
