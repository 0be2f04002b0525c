"""Vector products, covariance and distances (functions/products.py) against torch: values,
dtypes, gradients (with torch's subgradients at zero distances) and errors."""
from __future__ import annotations

import numpy as np
import pytest

TIES = np.array([[1., 3, 3, 2, 3, 1], [2, 2, 5, 5, 1, 0]])
DISTINCT = (np.random.default_rng(0).permutation(24).reshape(2, 3, 4) - 11.5) / 4
INTEGERS = np.array([[1, 3, 3, 2], [2, 2, 5, 1]])

# ----------------------------------------------------------------------------- covariance


def test_cov_and_corrcoef(same_as_torch):
    def call(t, x):
        frequency = t.tensor([1, 2, 1, 3, 1, 1])
        weight = t.tensor([0.5, 1.0, 2.0, 1.0, 0.25, 1.0], dtype=x.dtype)
        return (t.cov(x), x.cov(correction=0), t.cov(x, fweights=frequency, aweights=weight),
                t.cov(x[0], correction=2, aweights=weight), t.corrcoef(x), x[1].corrcoef())
    same_as_torch(call, TIES)
    same_as_torch(lambda t, x: (t.cov(x), t.corrcoef(x)), INTEGERS)


def test_cov_with_no_degrees_of_freedom_warns_and_divides_by_zero(same_as_torch):
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        same_as_torch(lambda t, x: (t.cov(x, correction=6), t.corrcoef(x[0, :1])), TIES)


@pytest.mark.parametrize("call, phrase", [
    (lambda t: t.cov(t.zeros(2, 3, 4)), "expected input to have two or fewer dimensions"),
    (lambda t: t.cov(t.ones(2, 3), fweights=t.ones(3)), "expected fweights to have integral"),
    (lambda t: t.cov(t.ones(2, 3), fweights=t.tensor([1, -1, 1])), "fweights cannot be negative"),
    (lambda t: t.cov(t.ones(2, 3), aweights=t.tensor([1, 1, 1])), "aweights to have floating"),
    (lambda t: t.cov(t.ones(2, 3), aweights=t.ones(2)), "have the same numel as there are"),
    (lambda t: t.cov(t.ones(2, 3), aweights=t.zeros(3)), "weights sum to zero"),
    (lambda t: t.corrcoef(t.zeros(2, 3, 4)), "expected input to have two or fewer dimensions"),
])
def test_cov_errors(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)


# ----------------------------------------------------------------------------- products


def test_cross_kron_inner_vdot(same_as_torch):
    same_as_torch(lambda t, x: (t.cross(x[0, :, :3], x[1, :, 1:], dim=1),
                                x[:, 0, :3].cross(x[:, 2, 1:], -1),
                                t.cross(x[:, :, :3], x[:1, :1, 1:], dim=2),
                                t.kron(x[0], x[1, :2]), x[0, 0].kron(x[1]), t.kron(x, x[0, 0, 0]),
                                t.inner(x, x[1]), x[0, 0].inner(x[1, 1]), t.inner(x[0, 0, 0], x),
                                t.vdot(x[0, 0], x[1, 2]), x[0, 1].vdot(x[0, 2])), DISTINCT)
    same_as_torch(lambda t, x: (t.kron(x, x[0]), t.inner(x, x), t.vdot(x[0], x[1]),
                                t.cross(x[:, :3], x[:, 1:], dim=1)), INTEGERS)


def test_cross_without_dim_warns_and_takes_the_first_size_3_dim(same_as_torch):
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        same_as_torch(lambda t, x: t.cross(x[0, :, :3], x[1, :, 1:]), DISTINCT)


@pytest.mark.parametrize("p", [0.5, 1, 1.5, 2, 3, float("inf"), -1])
def test_dist_and_its_subgradients_at_zero(same_as_torch, p):
    a = np.array([[0.0, 1.0, -2.0], [2.0, 0.5, 0.0]])
    same_as_torch(lambda t, x, y: (t.dist(x, y, p), x.dist(y[0], p=p)), a, a * [[1], [-1]])
    same_as_torch(lambda t, x, y: t.dist(x, y, 0).detach(), a, a * [[1], [-1]])


@pytest.mark.parametrize("p", [0, 0.5, 1, 1.5, 2, 3, float("inf")])
def test_cdist_pairs_and_zero_distance_rules(same_as_torch, p):
    a = np.array([[[0.0, 1.0, -2.0], [2.0, 0.5, 0.0], [0.0, 1.0, -2.0]]])
    same_as_torch(lambda t, x, y: t.cdist(x, y, p), a, np.concatenate([a, a[:, :2] * 0.5], 1))
    same_as_torch(lambda t, x, y: t.cdist(x, y[0], p), np.stack([a[0], -a[0]]), a[:, :2] * 2)


def test_cdist_by_matrix_product_for_many_rows(same_as_torch):
    rows = np.random.default_rng(1).normal(size=(30, 4))
    same_as_torch(lambda t, x, y: (t.cdist(x, y), t.cdist(x[:3], y[:3], compute_mode=
                                                           "use_mm_for_euclid_dist")),
                  rows, rows[::-1] * 0.5)
    same_as_torch(lambda t, x: t.cdist(x, x, compute_mode="donot_use_mm_for_euclid_dist"), rows)


@pytest.mark.filterwarnings("ignore:Using torch.cross without specifying the dim")
@pytest.mark.parametrize("call, phrase", [
    (lambda t: t.cross(t.ones(4, 2), t.ones(4, 2)), "no dimension of size 3 in input"),
    (lambda t: t.cross(t.ones(3), t.ones(2, 3), dim=0), "must have the same number of dim"),
    (lambda t: t.cross(t.ones(3), t.ones(4), dim=0), "dimension 0 must have length 3. Got 3 and 4"),
    (lambda t: t.cross(t.ones(3), t.tensor([1, 2, 3]), dim=0), "expected scalar type Float"),
    (lambda t: t.inner(t.ones(2, 4), t.ones(2, 3)), "the last dimension must match on both"),
    (lambda t: t.vdot(t.ones(2, 2), t.ones(2, 2)), "1D tensors expected, but got 2D and 2D"),
    (lambda t: t.vdot(t.ones(2), t.tensor([1, 2])), "expected both vectors to have same dtype"),
    (lambda t: t.vdot(t.ones(2), t.ones(3)), "inconsistent tensor size"),
    (lambda t: t.dist(t.tensor([1, 2]), t.tensor([1, 2])), "input dtype should be either"),
    (lambda t: t.cdist(t.ones(2), t.ones(2, 2)), "cdist only supports at least 2D tensors"),
    (lambda t: t.cdist(t.ones(2, 3), t.ones(2, 2)), "X1 and X2 must have the same number of"),
    (lambda t: t.cdist(t.ones(2, 2, dtype=t.int64), t.ones(2, 2)), "only supports floating"),
    (lambda t: t.cdist(t.ones(2, 2), t.ones(2, 2), p=-1), "only supports non-negative p"),
    (lambda t: t.cdist(t.ones(2, 2, 2), t.ones(3, 2, 2)), "must match the size of tensor b"),
    (lambda t: t.cdist(t.ones(2, 2), t.ones(2, 2, dtype=t.float64)), "expected scalar type"),
])
def test_product_and_distance_errors(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)


def test_cdist_refuses_an_unknown_compute_mode(same_error_as_torch):
    same_error_as_torch(lambda t: t.cdist(t.ones(2, 2), t.ones(2, 2), compute_mode="fast"),
                        ValueError)
