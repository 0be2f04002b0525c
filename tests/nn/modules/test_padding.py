"""The padding layers (Constant, Zero, Reflection, Replication and Circular, in 1, 2 and 3
dimensions) against torch's: output, input gradient, printed form and input-rank errors."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu

from ..test_layers import arrays, check_layer

CASES = [(kind, dims, padding) for kind in ("Reflection", "Replication", "Zero", "Circular")
         for dims, padding in ((1, 2), (2, (1, 0, 2, 1)), (3, 1))]
CASES += [("Constant", 1, (1, 2)), ("Constant", 2, 1), ("Constant", 3, (0, 1, 1, 0, 2, 1))]


def _make(kind, dims, padding):
    def make(nn):
        layer = getattr(nn, f"{kind}Pad{dims}d")
        return layer(padding, 1.5) if kind == "Constant" else layer(padding)
    return make


@pytest.mark.parametrize("kind, dims, padding", CASES)
def test_layers_match_torch(kind, dims, padding):
    shape = (2, 3) + (3,) * dims  # reflection needs sides longer than the padding
    check_layer(_make(kind, dims, padding), arrays(shape), "float64")
    check_layer(_make(kind, dims, padding), arrays(shape[1:]), "float32")  # unbatched


@pytest.mark.parametrize("kind, dims, padding", CASES)
def test_layers_print_as_torch(kind, dims, padding):
    assert repr(_make(kind, dims, padding)(tinygrad_edu.nn)) == \
        repr(_make(kind, dims, padding)(torch.nn))


def test_circular_padding_checks_the_input_rank(raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.CircularPad2d(1)(lib.zeros(3, 3)),
                    "expected 3D or 4D input (got 2D input)")
