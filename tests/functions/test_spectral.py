"""functions/spectral.py against torch: svd (and torch.svd's some= and compute_uv=), svdvals,
eigh / eigvalsh with UPLO, pinv, pinverse, lstsq's four fields per driver and matrix_rank.
Singular and eigenvectors are defined up to sign: values and gradients are compared through
quantities that do not depend on it (U diag(f(S)) Vh, U Uᵀ, V diag(c) Vᵀ)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.sweeps import same_outcome

RNG = np.random.default_rng(0)
TALL = np.diag([3.0, -2.0, 1.0])[:, :2] + RNG.uniform(-0.1, 0.1, (2, 3, 2))
WIDE = TALL.swapaxes(-1, -2).copy()
SQUARE = np.diag([1.0, -2.0, 3.0]) + RNG.uniform(-0.1, 0.1, (3, 3))


def _invariants(u, s, vh):
    k = s.shape[-1]
    u, vh = u[..., :k], vh[..., :k, :]
    return (u * (s ** 3).unsqueeze(-2)) @ vh, s, u @ u.mT, vh.mT @ vh


@pytest.mark.parametrize("array", [TALL, WIDE, SQUARE], ids=["tall", "wide", "square"])
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_values_and_gradients_match_torch(same_as_torch, array, full_matrices):
    same_as_torch(lambda lib, a: _invariants(*lib.linalg.svd(a, full_matrices)), array)


@pytest.mark.parametrize("some", [True, False])
def test_torch_svd_returns_v_and_honours_some(same_as_torch, some):
    same_as_torch(lambda lib, a: (lambda u, s, v: _invariants(u, s, v.mT))(*lib.svd(a, some)),
                  TALL)
    ours, theirs = tinygrad_edu.svd(tinygrad_edu.tensor(TALL), some), torch.svd(
        torch.tensor(TALL), some)
    assert [tuple(x.shape) for x in ours] == [tuple(x.shape) for x in theirs]


def test_torch_svd_without_uv_gives_zero_matrices(same_as_torch):
    same_as_torch(lambda lib, a: lib.svd(a, compute_uv=False), TALL)


def test_svdvals_and_gradcheck():
    a = tinygrad_edu.tensor(TALL, requires_grad=True)
    assert tinygrad_edu.autograd.gradcheck(tinygrad_edu.linalg.svdvals, (a,))
    assert tinygrad_edu.autograd.gradcheck(
        lambda x: _invariants(*tinygrad_edu.linalg.svd(x, full_matrices=False))[0], (a,))
    assert type(tinygrad_edu.linalg.svdvals(a).grad_fn).__name__ == "LinalgSvdBackward0"


@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_eigh_reads_one_triangle_and_gives_torchs_symmetric_gradient(same_as_torch, UPLO):
    weights = np.arange(1.0, 4.0)
    same_as_torch(lambda lib, a, w: (lambda values, vectors: (
        values, (vectors * w) @ vectors.mT))(*lib.linalg.eigh(a, UPLO)), SQUARE, weights)
    same_as_torch(lambda lib, a: lib.linalg.eigvalsh(a, UPLO=UPLO), SQUARE)


def test_eigh_gradcheck_on_symmetric_inputs():
    a = tinygrad_edu.tensor(SQUARE, requires_grad=True)
    weights = tinygrad_edu.arange(1.0, 4.0, dtype=tinygrad_edu.float64)

    def projections(x):
        values, vectors = tinygrad_edu.linalg.eigh(x + x.mT)
        return values, (vectors * weights) @ vectors.mT
    assert tinygrad_edu.autograd.gradcheck(projections, (a,))


@pytest.mark.parametrize("options", [{}, {"atol": 0.5}, {"rtol": 0.2}, {"hermitian": True}])
def test_pinv_matches_torch(same_as_torch, options):
    array = SQUARE + SQUARE.T if options.get("hermitian") else TALL
    same_as_torch(lambda lib, a: lib.linalg.pinv(a, **options), array)


def test_pinv_drops_the_singular_directions_as_torch_does(same_as_torch):
    same_as_torch(lambda lib, a: lib.linalg.pinv(a), np.ones((3, 3)))
    same_as_torch(lambda lib, a: lib.pinverse(a, rcond=0.3), np.diag([1.0, 0.2, 0.5]))
    same_as_torch(lambda lib, a: a.pinverse(), WIDE)


@pytest.mark.parametrize("driver", [None, "gels", "gelsy", "gelsd", "gelss"])
@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (3, 3)])
def test_lstsq_fields_per_driver(driver, shape):
    a, b = RNG.standard_normal(shape), RNG.standard_normal((shape[0], 2))
    if driver == "gels" and shape[0] < shape[1]:
        shape = shape[::-1]  # torch's gels solves no underdetermined system on the CPU
        a, b = RNG.standard_normal(shape), RNG.standard_normal((shape[0], 2))
    ours = tinygrad_edu.linalg.lstsq(tinygrad_edu.tensor(a), tinygrad_edu.tensor(b),
                                     driver=driver)
    theirs = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), driver=driver)
    assert ours._fields == ("solution", "residuals", "rank", "singular_values")
    for mine, torchs in zip(ours, theirs):
        assert str(mine.dtype) == str(torchs.dtype) and tuple(mine.shape) == tuple(torchs.shape)
        np.testing.assert_allclose(mine.numpy(), torchs.numpy(), rtol=1e-10, atol=1e-12)


def test_lstsq_gradients_and_vector_right_hand_side(same_as_torch):
    same_as_torch(lambda lib, a, b: lib.linalg.lstsq(a, b).solution, TALL, RNG.standard_normal(
        (2, 3, 2)))
    same_as_torch(lambda lib, a, b: lib.linalg.lstsq(a, b).solution, TALL[0],
                  RNG.standard_normal(3))


@pytest.mark.parametrize("options", [{}, {"atol": 0.05}, {"rtol": 0.05}, {"hermitian": True}])
def test_matrix_rank_counts_as_torch(same_as_torch, options):
    array = np.stack([np.diag([1.0, 0.1, 0.01]), np.ones((3, 3)), np.zeros((3, 3))])
    rank = same_as_torch(lambda lib, a: lib.linalg.matrix_rank(a, **options), array)
    assert rank.dtype is tinygrad_edu.int64


@pytest.mark.parametrize("dtype", ["int64", "bool", "float16"])
@pytest.mark.parametrize("call", [
    lambda lib, a: lib.linalg.svd(a), lambda lib, a: lib.svd(a),
    lambda lib, a: lib.linalg.svdvals(a), lambda lib, a: lib.linalg.eigh(a),
    lambda lib, a: lib.linalg.eigvalsh(a), lambda lib, a: lib.linalg.pinv(a),
    lambda lib, a: lib.pinverse(a), lambda lib, a: lib.linalg.lstsq(a, a),
    lambda lib, a: lib.linalg.matrix_rank(a),
])
def test_dtypes_torch_refuses(call, dtype):
    same_outcome(call, [(np.eye(2) + 1).astype(dtype)])


@pytest.mark.parametrize("call", [
    lambda lib: lib.linalg.svd(lib.ones(3)), lambda lib: lib.linalg.eigh(lib.ones(2, 3)),
    lambda lib: lib.linalg.eigh(lib.eye(2), UPLO="X"), lambda lib: lib.linalg.pinv([[1.0]]),
    lambda lib: lib.linalg.pinv(lib.ones(3)), lambda lib: lib.linalg.matrix_rank(lib.ones(3)),
    lambda lib: lib.linalg.matrix_rank([[1.0]]), lambda lib: lib.svd([[1.0]]),
    lambda lib: lib.linalg.lstsq(lib.ones(4, 3), lib.ones(3, 2)),
    lambda lib: lib.linalg.lstsq(lib.ones(2, 2), lib.ones(2, 2), driver="foo"),
])
def test_bad_arguments_raise_torchs_errors(call):
    same_outcome(lambda lib: call(lib), [])


def test_result_types_have_torchs_names():
    a = tinygrad_edu.tensor(TALL)
    assert repr(tinygrad_edu.linalg.svd(a)).startswith("torch.return_types.linalg_svd(\nU=")
    assert tinygrad_edu.svd(a)._fields == ("U", "S", "V")
    assert tinygrad_edu.linalg.eigh(a @ a.mT)._fields == ("eigenvalues", "eigenvectors")
