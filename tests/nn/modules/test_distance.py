"""CosineSimilarity and PairwiseDistance against torch's layers."""
from __future__ import annotations

import numpy as np
import torch

RNG = np.random.default_rng(0)


def test_layers_match_torch(same_as_torch):
    for name, args in (("CosineSimilarity", (0, 1e-6)), ("PairwiseDistance", (1.0, 1e-3, True))):
        def call(lib, a, b, name=name, args=args):
            layer = getattr(lib.nn, name)(*args)
            assert repr(layer) == repr(getattr(torch.nn, name)(*args))
            return layer(a, b)
        same_as_torch(call, RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4)))
