"""The margin losses against torch: every reduction, the hinge's gradient at exactly 0,
1-d and 0-d inputs, class weights, multilabel targets ending at -1; torch's errors."""
from __future__ import annotations

import numpy as np
import pytest

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
T = RNG.random((3, 4))
Y = np.array([1.0, -1.0, 1.0])
REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_pair_losses(reduction, same_as_torch):
    same_as_torch(lambda lib, a, b, y: lib.nn.functional.margin_ranking_loss(
        a, b, y, 0.3, reduction=reduction), X[:, 0], X[:, 1], Y)
    same_as_torch(lambda lib, a, b, y: lib.nn.functional.margin_ranking_loss(
        a, b, y, reduction=reduction), X[:, 0], X[:, 0], Y)  # every hinge at exactly 0
    same_as_torch(lambda lib, a: lib.nn.functional.hinge_embedding_loss(
        a, lib.tensor([-1.0, 1.0, 2.0]), 0.5, reduction=reduction), np.array([0.5, 0.5, 1.0]))
    same_as_torch(lambda lib, a, b: lib.nn.functional.cosine_embedding_loss(
        a, b, lib.tensor([1, -1, -1]), 0.1, reduction=reduction), X, T)
    same_as_torch(lambda lib, a, b: lib.nn.functional.cosine_embedding_loss(
        a, b, lib.tensor(-1.0), -0.2, reduction=reduction), X[0], T[0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_losses(reduction, swap, same_as_torch):
    negative = X[::-1].copy()
    same_as_torch(lambda lib, a, p, n: lib.nn.functional.triplet_margin_loss(
        a, p, n, p=1, swap=swap, reduction=reduction), X, T, negative)

    def cosine(lib):
        return lambda u, v: 1 - lib.nn.functional.cosine_similarity(u, v)
    same_as_torch(lambda lib, a, p, n: lib.nn.functional.triplet_margin_with_distance_loss(
        a, p, n, distance_function=cosine(lib), swap=swap, reduction=reduction), X, T, negative)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
def test_multi_margin_loss(reduction, p, same_as_torch):
    labels = np.array([0, 3, 1])
    same_as_torch(lambda lib, x: lib.nn.functional.multi_margin_loss(
        x, lib.tensor(labels), p=p, margin=0.7, reduction=reduction), X)
    same_as_torch(lambda lib, x: lib.nn.functional.multi_margin_loss(
        x, lib.tensor(labels), p=p, weight=lib.tensor(T[0]), reduction=reduction), X)
    same_as_torch(lambda lib, x: lib.nn.functional.multi_margin_loss(
        x, lib.tensor(2), p=p, reduction=reduction), X[0])
    same_as_torch(lambda lib, x: lib.nn.functional.multi_margin_loss(
        x, lib.tensor([1]), p=p, reduction=reduction), np.array([[0.0, 1.0, 0.0]]))  # z = 0


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_margin_loss(reduction, same_as_torch):
    targets = np.array([[3, 0, -1, 1], [1, 2, 3, 0], [-1, 1, 2, 3]])
    same_as_torch(lambda lib, x: lib.nn.functional.multilabel_margin_loss(
        x, lib.tensor(targets), reduction=reduction), X)
    same_as_torch(lambda lib, x: lib.nn.functional.multilabel_margin_loss(
        x, lib.tensor([3, 3, -1, 1]), reduction=reduction), X[0])
    same_as_torch(lambda lib, x: lib.nn.functional.multilabel_margin_loss(
        x, lib.tensor(0), reduction=reduction), np.array(0.5))


def test_integer_inputs_follow_torchs_promotions(same_as_torch):
    same_as_torch(lambda lib, a, b, y: lib.nn.functional.margin_ranking_loss(a, b, y),
                  np.array([1, 2]), np.array([1, 3]), np.array([1, -1]))
    same_as_torch(lambda lib, a, y: lib.nn.functional.hinge_embedding_loss(a, y, reduction="sum"),
                  np.array([1, 2]), np.array([1, -1]))


ERRORS = [
    (lambda lib: lib.nn.functional.margin_ranking_loss(lib.ones(3, 4), lib.ones(3, 4),
                                                       lib.ones(4)),
     "margin_ranking_loss : All input tensors should have same dimension"),
    (lambda lib: lib.nn.functional.cosine_embedding_loss(lib.ones(3, 4), lib.ones(3, 4),
                                                         lib.ones(3, 4)),
     "0D or 1D target tensor expected, multi-target not supported"),
    (lambda lib: lib.nn.functional.cosine_embedding_loss(lib.ones(4), lib.ones(4), lib.ones(2)),
     "1D target tensor expects 2D input tensors, but found inputs with sizes [4] and [4]."),
    (lambda lib: lib.nn.functional.triplet_margin_loss(lib.ones(2, 3), lib.ones(2, 3),
                                                       lib.ones(3)),
     "The anchor, positive, and negative tensors are expected to have the same number"),
    (lambda lib: lib.nn.functional.triplet_margin_loss(lib.ones(3), lib.ones(3), lib.ones(3),
                                                       margin=0), "margin must be greater than 0"),
    (lambda lib: lib.nn.functional.multi_margin_loss(lib.ones(3, 4), lib.tensor([0, 1, 4])),
     "target out of range"),
    (lambda lib: lib.nn.functional.multi_margin_loss(lib.ones(3, 4), lib.tensor([0, 1])),
     "multi_margin_loss: target tensor should be 1-D with size equal to the number of input"),
    (lambda lib: lib.nn.functional.multi_margin_loss(lib.ones(3, 4), lib.tensor([0, 1, 2]), p=3),
     "only p == 1 and p == 2 supported"),
    (lambda lib: lib.nn.functional.multi_margin_loss(lib.ones(3, 4), lib.tensor([0, 1, 2]),
                                                     weight=lib.ones(3)),
     "inconsistent weight size, expected 4 but got [3]"),
    (lambda lib: lib.nn.functional.multi_margin_loss(lib.ones(2, 3, 4), lib.tensor([1])),
     "Expected non-empty vector or matrix with optional 0-dim batch size, but got: [2, 3, 4]"),
    (lambda lib: lib.nn.functional.multi_margin_loss(lib.ones(3, 4), lib.tensor([0.0, 1, 2])),
     "expected scalar type Long but found Float"),
    (lambda lib: lib.nn.functional.multilabel_margin_loss(lib.ones(3, 4),
                                                          lib.tensor([[0, 1, -1, 0]] * 2)),
     "inconsistent target size: [2, 4] for input of size: [3, 4]"),
    (lambda lib: lib.nn.functional.multilabel_margin_loss(lib.ones(3, 4),
                                                          lib.tensor([[0, 5, -1, 0]] * 3)),
     "argument #2 'target' is out of range"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
