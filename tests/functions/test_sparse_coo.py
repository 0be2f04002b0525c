"""Sparse COO tensors (stored dense): the COO interface, printing and errors against torch."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import tinygrad_edu

warnings.filterwarnings("ignore", message="Sparse invariant checks")
INDICES = [[0, 1, 1, 0], [2, 0, 2, 2]]  # (0, 2) twice: uncoalesced
VALUES = [3.0, 4.0, 5.0, -1.0]


def both(make):
    return make(tinygrad_edu), make(torch)


def test_construction_printing_and_the_coo_view():
    ours, theirs = both(lambda t: t.sparse_coo_tensor(INDICES, VALUES, (2, 3)))
    assert repr(ours) == repr(theirs)
    assert (ours.is_sparse, str(ours.layout), ours.is_coalesced(), ours._nnz()) == \
        (theirs.is_sparse, str(theirs.layout), theirs.is_coalesced(), theirs._nnz())
    assert ours.to_dense().tolist() == theirs.to_dense().tolist()
    for method in ("indices", "values"):
        messages = []
        for s in (ours, theirs):
            with pytest.raises(RuntimeError) as caught:
                getattr(s, method)()
            messages.append(str(caught.value))
        assert messages[0] == messages[1]
    ours, theirs = ours.coalesce(), theirs.coalesce()
    assert repr(ours) == repr(theirs)
    assert ours.indices().tolist() == theirs.indices().tolist()
    assert ours.values().tolist() == theirs.values().tolist()
    assert (ours.sparse_dim(), ours.dense_dim()) == (theirs.sparse_dim(), theirs.dense_dim())


@pytest.mark.parametrize("make", [
    lambda t: t.sparse_coo_tensor([[0, 1], [1, 0]], [1, 2], (2, 2), dtype=t.int64),
    lambda t: t.sparse_coo_tensor([[0, 1], [1, 0]], [1.0, 2.0], (2, 2), dtype=t.float64),
    lambda t: t.sparse_coo_tensor([[0, 1]], [[1.0, 2.0], [3.0, 4.0]]),
    lambda t: t.tensor([[0.0, 1.5], [2.0, 0.0]]).to_sparse(),
    lambda t: t.sparse_coo_tensor([[0, 1], [1, 0]], [1.0, 2.0], (2, 2), requires_grad=True),
])
def test_printed_forms_and_dense_values(make):
    ours, theirs = both(make)
    assert repr(ours) == repr(theirs)
    assert ours.to_dense().tolist() == theirs.to_dense().tolist()
    assert tuple(ours.shape) == tuple(theirs.shape)


@pytest.mark.parametrize("make", [
    lambda t: t.sparse_coo_tensor([0, 1], [1.0, 2.0], (2,)),
    lambda t: t.sparse_coo_tensor([[0, 1], [1, 0]], [1.0], (2, 2)),
    lambda t: t.sparse_coo_tensor([[0, 3], [1, 0]], [1.0, 2.0], (2, 2), check_invariants=True),
    lambda t: t.sparse_coo_tensor([[0, -1], [1, 0]], [1.0, 2.0], (2, 2), check_invariants=True),
])
def test_bad_construction_raises_as_torch(make):
    """Indices are always checked here (torch checks them when asked to)."""
    errors = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(Exception) as caught:
            make(lib)
        errors.append((type(caught.value), str(caught.value)))
    assert errors[0] == errors[1]


def test_mixed_dtypes_in_a_sparse_product_raise_as_torch():
    errors = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(RuntimeError) as caught:
            lib.spmm(lib.eye(2).to_sparse(), lib.ones(2, 2, dtype=lib.float64))
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_dense_tensors_say_they_are_strided():
    x, y = both(lambda t: t.ones(2))
    assert (x.is_sparse, str(x.layout)) == (y.is_sparse, str(y.layout))
    assert x.to_dense() is x


def test_a_graph_tutorials_pipeline_matches_torch():
    """The renormalised adjacency of a small graph, D^-1/2 (A + I) D^-1/2, then two sparse
    products; gradients reach the features and the dense weights."""
    rng = np.random.default_rng(0)
    edges = rng.integers(0, 6, (2, 9)).astype(np.int32)
    features = rng.random((6, 4)).astype(np.float32)
    weights = rng.standard_normal((4, 3)).astype(np.float32)

    def run(t):
        adj = t.sparse_coo_tensor(edges, t.ones(9), (6, 6), dtype=t.int64)
        adj = t.eye(6) + adj
        degree = t.sqrt(1 / t.sum(adj, dim=1))
        degree[degree == float("inf")] = 0
        degree = (t.eye(6) * degree).to_sparse()
        adj = (degree @ adj @ degree).to_sparse()
        x = t.tensor(features, requires_grad=True)
        w = t.tensor(weights, requires_grad=True)
        out = t.spmm(adj, t.mm(x.to_sparse(), w))
        out.square().sum().backward()
        return out.detach().numpy(), x.grad.numpy(), w.grad.numpy(), adj.is_sparse
    for ours, theirs in zip(run(tinygrad_edu), run(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)
