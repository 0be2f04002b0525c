"""The new loss layers against torch's: the options they pass on, reprs and state_dicts,
torch's constructor errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import tinygrad_edu

RNG = np.random.default_rng(0)
X, T = RNG.standard_normal((3, 4)), RNG.random((3, 4)) + 0.05
SIGNS = np.array([1.0, -1.0, 1.0])

CASES = {
    "KLDivLoss": (dict(reduction="batchmean", log_target=True), lambda lib, x, t: (x, t.log())),
    "PoissonNLLLoss": (dict(log_input=False, full=True), lambda lib, x, t: (x.abs() + 0.1, t)),
    "GaussianNLLLoss": (dict(full=True, eps=0.1), lambda lib, x, t: (x, t, t[:, :1])),
    "SoftMarginLoss": (dict(reduction="sum"), lambda lib, x, t: (x, lib.tensor(T > 0.5) * 2 - 1)),
    "MultiLabelSoftMarginLoss": (dict(), lambda lib, x, t: (x, (t > 0.5) * 1.0)),
    "MarginRankingLoss": (dict(margin=0.2), lambda lib, x, t: (x[0], t[0], lib.tensor(
        [1.0, -1.0, 1.0, 1.0]))),
    "HingeEmbeddingLoss": (dict(margin=0.5), lambda lib, x, t: (x, lib.tensor(T > 0.5) * 2 - 1)),
    "CosineEmbeddingLoss": (dict(margin=0.1), lambda lib, x, t: (x, t, lib.tensor(SIGNS))),
    "TripletMarginLoss": (dict(margin=0.5, p=1.0, swap=True), lambda lib, x, t: (x, t, -x)),
    "TripletMarginWithDistanceLoss": (dict(swap=True), lambda lib, x, t: (x, t, -x)),
    "MultiMarginLoss": (dict(p=2, margin=0.5), lambda lib, x, t: (x, lib.tensor([0, 3, 1]))),
    "MultiLabelMarginLoss": (dict(), lambda lib, x, t: (x, lib.tensor([[3, 0, -1, 1]] * 3))),
    "CTCLoss": (dict(blank=1, zero_infinity=True), lambda lib, x, t: (
        x.reshape(3, 1, 4).log_softmax(2), lib.tensor([[0, 2]]), [3], [2])),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_matches_torch(name, same_as_torch):
    options, arguments = CASES[name]

    def call(lib, x, t):
        layer = getattr(lib.nn, name)(**options)
        assert repr(layer) == repr(getattr(torch.nn, name)(**options))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return layer(*arguments(lib, x, t))
    same_as_torch(call, X, T)


def test_multi_label_soft_margin_and_multi_margin_weights_are_buffers():
    weight = tinygrad_edu.ones(4)
    for name in ("MultiLabelSoftMarginLoss", "MultiMarginLoss"):
        layer = getattr(tinygrad_edu.nn, name)(weight=weight)
        assert list(layer.state_dict()) == list(getattr(torch.nn, name)(
            weight=torch.ones(4)).state_dict()) == ["weight"]


ERRORS = [
    (lambda lib: lib.nn.TripletMarginLoss(margin=0),
     "TripletMarginLoss: expected margin to be greater than 0, got 0 instead"),
    (lambda lib: lib.nn.TripletMarginWithDistanceLoss(margin=-1.0),
     "TripletMarginWithDistanceLoss: expected margin to be greater than 0"),
    (lambda lib: lib.nn.MultiMarginLoss(p=3), "only p == 1 and p == 2 supported"),
    (lambda lib: lib.nn.MultiMarginLoss(weight=lib.ones(2, 2)),
     "MultiMarginLoss: expected weight to be None or 1D tensor, got 2D instead"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
