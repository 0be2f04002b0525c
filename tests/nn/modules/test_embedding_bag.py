"""EmbeddingBag against torch's: repr, padding row, forward and backward with torch's weights,
from_pretrained (frozen or not); Embedding.from_pretrained."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu


@pytest.mark.parametrize("options", [dict(mode="sum", padding_idx=1, max_norm=1.0),
                                     dict(mode="max", include_last_offset=True), dict()])
def test_embedding_bag_matches_torch(options):
    theirs = torch.nn.EmbeddingBag(6, 3, **options).double()
    ours = tinygrad_edu.nn.EmbeddingBag(6, 3, **options).double()
    assert repr(ours) == repr(theirs)
    if "padding_idx" in options:
        assert ours.weight[1].tolist() == [0.0, 0.0, 0.0]
    ours.load_state_dict({"weight": tinygrad_edu.tensor(theirs.weight.detach().numpy())})
    indices, offsets = [1, 2, 4, 5, 4, 3], [0, 2, 6]
    expected = theirs(torch.tensor(indices), torch.tensor(offsets))
    out = ours(tinygrad_edu.tensor(indices), tinygrad_edu.tensor(offsets))
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy())
    expected.sum().backward()
    out.sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy())


@pytest.mark.parametrize("name", ["EmbeddingBag", "Embedding"])
@pytest.mark.parametrize("freeze", [True, False])
def test_from_pretrained(name, freeze):
    table = np.arange(12.0).reshape(4, 3)
    theirs = getattr(torch.nn, name).from_pretrained(torch.tensor(table), freeze=freeze)
    ours = getattr(tinygrad_edu.nn, name).from_pretrained(tinygrad_edu.tensor(table),
                                                          freeze=freeze)
    assert repr(ours) == repr(theirs)
    assert ours.weight.requires_grad == theirs.weight.requires_grad == (not freeze)
    indices = [[0, 3], [2, 2]]
    np.testing.assert_allclose(ours(tinygrad_edu.tensor(indices)).detach().numpy(),
                               theirs(torch.tensor(indices)).detach().numpy())


def test_from_pretrained_needs_a_matrix(raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.EmbeddingBag.from_pretrained(lib.ones(3)),
                    "Embeddings parameter is expected to be 2-dimensional")
