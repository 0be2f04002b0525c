"""ops/padding.py without torch: finite-difference gradients of every padding mode (negative
pads too) and values worked by hand."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("pads", [(1, 2), (2, 0, 1, 1), (-1, 2), (1, -1, 0, 2)])
def test_pad_gradients_match_finite_differences(mode, pads):
    shape = (2, 3, 4) if len(pads) == 2 else (1, 2, 3, 4)  # the ranks torch's modes accept
    x = tinygrad_edu.tensor(np.random.default_rng(0).standard_normal(shape), requires_grad=True)
    assert gradcheck(lambda x: F.pad(x, pads, mode=mode), (x,))


def test_pad_values_worked_by_hand():
    x = tinygrad_edu.tensor([[[1.0, 2.0, 3.0]]])
    assert F.pad(x, (2, 1), mode="reflect").tolist() == [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]]
    assert F.pad(x, (2, 1), mode="replicate").tolist() == [[[1.0, 1.0, 1.0, 2.0, 3.0, 3.0]]]
    assert F.pad(x, (2, 1), mode="circular").tolist() == [[[2.0, 3.0, 1.0, 2.0, 3.0, 1.0]]]
    assert F.pad(x, (-1, 1), value=7.0).tolist() == [[[2.0, 3.0, 7.0]]]
