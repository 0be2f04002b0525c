"""functions/shape.py against torch: roll's shifts and dims, movedim's source and destination."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu


def grid(lib):
    return lib.arange(24).reshape(2, 3, 4)


@pytest.mark.parametrize("shifts, dims, phrase", [
    ((), None, "`shifts` required"),
    ([], (), "`shifts` required"),
    ((1, 1), None, "shifts and dimensions must align. shifts: 2, dims:0"),
    ((1,), (0, 1), "shifts and dimensions must align. shifts: 1, dims:2"),
    ((1, 1), 0, "shifts and dimensions must align. shifts: 2, dims:1"),
    (1, (0, 1), "shifts and dimensions must align. shifts: 1, dims:2"),
], ids=str)
def test_roll_refuses_missing_or_unaligned_shifts(shifts, dims, phrase, raises_as_torch):
    raises_as_torch(lambda lib: lib.roll(grid(lib), shifts, dims), phrase)


def test_roll_without_shifts_is_a_type_error(raises_as_torch):
    raises_as_torch(lambda lib: lib.roll(grid(lib)), "missing 1 required positional argument")
    raises_as_torch(lambda lib: grid(lib).roll(dims=0), "missing 1 required positional argument")


@pytest.mark.parametrize("shifts, dims", [(1, None), ([2], None), (1, ()), (5, 1),
                                          ((1, -2), (0, 2)), ((1, 1), (0, 0)), (-1, -1)],
                         ids=str)
def test_valid_rolls_match_torch(shifts, dims):
    assert tinygrad_edu.roll(grid(tinygrad_edu), shifts, dims).tolist() == \
        torch.roll(grid(torch), shifts, dims).tolist()


@pytest.mark.parametrize("source, destination, error, phrase", [
    ([0, 1], [1], "RuntimeError", "movedim: Invalid source or destination dims: source ([0, 1] "
     "dims) should contain the same number of dims as destination ([1] dims)"),
    ([0, 5], [1], "RuntimeError", "should contain the same number of dims"),
    ([0, 0], [1, 2], "RuntimeError", "movedim: repeated dim in `source` ([0, 0])"),
    ([0, -3], [1, 2], "RuntimeError", "movedim: repeated dim in `source` ([0, -3])"),
    ([0, 1], [2, 2], "RuntimeError", "movedim: repeated dim in `destination` ([2, 2])"),
    ([0, 1], [1, -2], "RuntimeError", "movedim: repeated dim in `destination` ([1, -2])"),
    ([0, 0], [5, 1], "IndexError", "Dimension out of range (expected to be in range of [-3, 2], "
     "but got 5)"),
    (3, 0, "IndexError", "but got 3)"),
], ids=str)
def test_movedim_refuses_unmatched_repeated_or_out_of_range_dims(source, destination, error,
                                                                 phrase, raises_as_torch):
    ours = raises_as_torch(lambda lib: lib.movedim(grid(lib), source, destination), phrase)
    assert type(ours).__name__ == error
    raises_as_torch(lambda lib: grid(lib).movedim(source, destination), phrase)


@pytest.mark.parametrize("source, destination", [(0, 2), (-1, 0), ([0, 1], [2, 0]), ([], [])],
                         ids=str)
def test_valid_movedims_match_torch(source, destination):
    assert tinygrad_edu.movedim(grid(tinygrad_edu), source, destination).tolist() == \
        torch.movedim(grid(torch), source, destination).tolist()
