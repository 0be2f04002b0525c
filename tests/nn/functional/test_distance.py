"""normalize, cosine_similarity, pairwise_distance and pdist against torch: values, gradients
(zero vectors and repeated rows included), broadcasting, integer inputs, errors."""
from __future__ import annotations

import numpy as np
import pytest

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
Y = RNG.standard_normal(4)
ZEROS = np.zeros((3, 4))


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, float("inf")])
def test_normalize_pairwise_and_pdist_for_each_p(p, same_as_torch):
    same_as_torch(lambda lib, x: lib.nn.functional.normalize(x, p), X)
    same_as_torch(lambda lib, x: lib.nn.functional.normalize(x, p, dim=0), X)
    same_as_torch(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y, p), X, Y)
    same_as_torch(lambda lib, x: lib.nn.functional.pdist(x, p), X)


def test_zero_vectors_and_repeated_rows_get_torchs_gradients(same_as_torch):
    same_as_torch(lambda lib, x: lib.nn.functional.normalize(x), ZEROS)
    same_as_torch(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, -1), ZEROS, Y)
    same_as_torch(lambda lib, x: lib.nn.functional.pdist(x), np.stack([Y, Y, 2 * Y]))
    same_as_torch(lambda lib, x: lib.nn.functional.pdist(x, 0), X)


def test_cosine_similarity_broadcasts_and_stays_in_range(same_as_torch):
    same_as_torch(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y), X, X[::-1].copy())
    same_as_torch(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, -1), X, Y)
    tiny = same_as_torch(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, -1),
                         X * 1e-10, Y)
    assert np.all(np.abs(tiny.detach().numpy()) <= 1)


def test_pairwise_distance_shapes_and_integer_inputs(same_as_torch):
    same_as_torch(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y, keepdim=True),
                  X, Y)
    same_as_torch(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y),
                  np.array(1.5), np.array(-1.0))
    same_as_torch(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y),
                  np.array([1, 2]), np.array([3, 4]))


ERRORS = [
    (lambda lib: lib.nn.functional.cosine_similarity(lib.tensor([1, 2]), lib.tensor([1, 2]), 0),
     "expected common dtype to be floating point, yet common dtype is Long"),
    (lambda lib: lib.nn.functional.cosine_similarity(lib.ones(3), lib.ones(3)),
     "Dimension out of range"),
    (lambda lib: lib.nn.functional.cosine_similarity(lib.ones(2, 3), lib.ones(4)),
     "must match the size of tensor b"),
    (lambda lib: lib.nn.functional.pdist(lib.ones(3)), "pdist only supports 2D tensors, got: 1D"),
    (lambda lib: lib.nn.functional.pdist(lib.ones(3, 2), -1),
     "pdist only supports non-negative p values"),
    (lambda lib: lib.nn.functional.pdist(lib.ones(2, 2, dtype=lib.int64)),
     "pdist only supports floating-point dtypes"),
    (lambda lib: lib.nn.functional.normalize(lib.tensor([1, 2]), dim=0),
     "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),
    (lambda lib: lib.nn.functional.normalize([1.0]), "'list' object has no attribute 'norm'"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
