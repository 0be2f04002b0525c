"""The normwise relative error of parity/compare.py."""
from __future__ import annotations

import math

import numpy as np
import pytest

from parity.compare import Worst, compare


def test_normwise_error_is_the_largest_difference_over_the_largest_magnitude():
    error = compare([1.0, 2.0, -4.0], [1.0, 2.5, -4.0])
    assert error.relative == pytest.approx(0.5 / 4.0)
    assert error.absolute == pytest.approx(0.5)
    assert error.index == (1,) and (error.ours, error.theirs) == (2.0, 2.5)


def test_exact_zeros_in_torch_do_not_blow_up_the_ratio():
    # An element-wise ratio would be 1e-20 / 0 = inf here; against the tensor's scale it is tiny.
    error = compare([1.0, 1e-20], [1.0, 0.0])
    assert error.relative == pytest.approx(1e-20)


def test_the_floor_covers_tensors_that_are_zero_on_both_sides():
    assert compare(np.zeros(3), np.zeros(3)).relative == 0.0
    assert compare([1e-15, 0.0], [0.0, 0.0], floor=1e-12).relative == pytest.approx(1e-3)
    assert compare([1e-15], [0.0]).relative == 1.0  # no floor: any difference is total


def test_nan_and_infinity_agree_only_in_the_same_places():
    assert compare([np.nan, 1.0], [np.nan, 1.0]).relative == 0.0
    assert compare([np.inf, 1.0], [np.inf, 1.0]).relative == 0.0
    assert math.isinf(compare([np.nan, 1.0], [0.5, 1.0]).relative)
    assert math.isinf(compare([np.inf, 1.0], [-np.inf, 1.0]).relative)


def test_the_worst_element_is_reported_as_a_multi_index():
    ours = np.zeros((2, 3))
    ours[1, 2] = 0.25
    error = compare(ours, np.zeros((2, 3)), floor=1.0)
    assert error.index == (1, 2) and "[1, 2]" in error.describe()


def test_shapes_must_match():
    with pytest.raises(ValueError, match="shape"):
        compare(np.zeros(2), np.zeros(3))


def test_worst_keeps_the_largest_relative_error_and_its_name():
    worst = Worst()
    worst.update("a", compare([1.0], [1.1]))
    worst.update("b", compare([1.0], [2.0]))
    worst.update("c", compare([1.0], [1.0]))
    assert worst.name == "b" and worst.relative == pytest.approx(0.5)
