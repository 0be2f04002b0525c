"""functions/norms.py against torch: linalg.vector_norm, matrix_norm (fro, nuc, ±1, ±2, ±inf)
and norm (which picks one by ord and dim) — values, gradients, dtypes and torch's errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_edu
from parity.sweeps import same_outcome

A = np.diag([1.0, -2.0, 3.0]) + np.random.default_rng(0).uniform(-0.3, 0.3, (2, 3, 3))


@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf])
@pytest.mark.parametrize("dim, keepdim", [((-2, -1), False), ((2, 0), True)])
def test_matrix_norms_match_torch(same_as_torch, ord, dim, keepdim):
    same_as_torch(lambda lib, a: lib.linalg.matrix_norm(a, ord, dim, keepdim), A)


@pytest.mark.parametrize("ord", [2, 1, 3, math.inf, -math.inf])
@pytest.mark.parametrize("dim, keepdim", [(None, False), (None, True), (1, False), ((0, 2), True)])
def test_vector_norms_match_torch(same_as_torch, ord, dim, keepdim):
    same_as_torch(lambda lib, a: lib.linalg.vector_norm(a, ord, dim, keepdim), A)


def test_the_zero_norm_counts_non_zeros(same_as_torch):
    # (its gradient is zero: torch leaves .grad None, we fill it with zeros)
    same_as_torch(lambda lib, a: lib.linalg.vector_norm(a, 0, dim=1).detach(), A)


@pytest.mark.parametrize("ord, dim", [(None, None), (None, 1), (None, (0, 1)), (2, None),
                                      ("nuc", None), (-1, (1, 2)), (math.inf, 0)])
def test_norm_picks_vector_or_matrix_norm_as_torch(same_as_torch, ord, dim):
    same_as_torch(lambda lib, a: lib.linalg.norm(a, ord, dim), A[0] if dim is None and ord
                  else A)


def test_dtype_argument_computes_in_that_dtype(same_as_torch):
    same_as_torch(lambda lib, a: lib.linalg.vector_norm(a, dtype=lib.float64),
                  A.astype(np.float32))
    same_as_torch(lambda lib, a: lib.linalg.matrix_norm(a, dtype=lib.float64),
                  A.astype(np.float32))
    same_outcome(lambda lib, a: lib.linalg.matrix_norm(a, dtype=lib.float32), [A])


def test_gradcheck():
    a = tinygrad_edu.tensor(A, requires_grad=True)
    for ord in ("nuc", 2, 1, math.inf):
        assert tinygrad_edu.autograd.gradcheck(
            lambda x, o=ord: tinygrad_edu.linalg.matrix_norm(x, o), (a,))


@pytest.mark.parametrize("call", [
    lambda lib, a: lib.linalg.vector_norm(a), lambda lib, a: lib.linalg.matrix_norm(a),
    lambda lib, a: lib.linalg.matrix_norm(a, 1), lambda lib, a: lib.linalg.matrix_norm(a, "nuc"),
    lambda lib, a: lib.linalg.norm(a), lambda lib, a: lib.linalg.norm(a, 2),
])
@pytest.mark.parametrize("dtype", ["int64", "bool", "float16"])
def test_other_dtypes_as_torch(call, dtype):
    same_outcome(call, [np.eye(3).astype(dtype)])


@pytest.mark.parametrize("call", [
    lambda lib, a: lib.linalg.matrix_norm(a, 3), lambda lib, a: lib.linalg.matrix_norm(a, "foo"),
    lambda lib, a: lib.linalg.matrix_norm(a, dim=(0,)),
    lambda lib, a: lib.linalg.matrix_norm(a, dim=(0, 0)),
    lambda lib, a: lib.linalg.matrix_norm(a[0, 0]),
    lambda lib, a: lib.linalg.norm(a[0, 0], "fro"), lambda lib, a: lib.linalg.norm(a, 2),
    lambda lib, a: lib.linalg.norm(a, dim=(0, 1, 2)),
    lambda lib, a: lib.linalg.vector_norm(a, "fro"),
    lambda lib, a: lib.linalg.vector_norm(a, dtype=lib.int64),
    lambda lib, a: lib.linalg.vector_norm(a[:, :0], math.inf),
    lambda lib, a: lib.linalg.norm([1.0]), lambda lib, a: lib.linalg.norm([1.0], 2, None),
])
def test_bad_arguments_raise_torchs_errors(call):
    same_outcome(call, [A])
