"""ops/embedding.py without torch: finite-difference gradients of lookups with repeated
indices, and padding_idx left without gradient."""
from __future__ import annotations

import numpy as np

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from tinygrad_edu.autograd import gradcheck


def test_embedding_gradients_match_finite_differences():
    # (padding_idx and scale_grad_by_freq change the gradient on purpose: tested against torch)
    weight = tinygrad_edu.tensor(np.random.default_rng(1).standard_normal((4, 3)),
                                 requires_grad=True)
    indices = tinygrad_edu.tensor([[1, 3, 1], [0, 1, 2]])
    assert gradcheck(lambda w: F.embedding(indices, w), (weight,))


def test_embedding_adds_up_repeated_rows_and_skips_padding_idx():
    weight = tinygrad_edu.zeros(3, 2, requires_grad=True)
    F.embedding(tinygrad_edu.tensor([0, 2, 0, 0]), weight, padding_idx=2).sum().backward()
    assert weight.grad.tolist() == [[3.0, 3.0], [0.0, 0.0], [0.0, 0.0]]
