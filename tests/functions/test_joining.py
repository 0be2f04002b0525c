"""functions/joining.py against torch: the stacks, atleast_nd, broadcast_tensors, meshgrid,
block_diag, cartesian_prod and combinations; their argument forms, dtypes and errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
V = RNG.standard_normal(4)
ONE = np.float64(1.5)

CALLS = {
    "hstack of 0-d tensors": (lambda t, a, b: t.hstack([a, b]), ONE, V),
    "vstack of a matrix and a row": (lambda t, a, b: t.vstack([a, b]), X, V),
    "row_stack of 0-d tensors": (lambda t, a, b: t.row_stack((a, b)), ONE, ONE),
    "dstack of vectors": (lambda t, a, b: t.dstack([a, b]), V, V),
    "dstack of matrices": (lambda t, a, b: t.dstack([a, b]), X, X),
    "column_stack": (lambda t, a, b, c: t.column_stack([a, b, c]), X, X[:, 0], X[:, :2]),
    "hstack promotes": (lambda t, a: t.hstack([a, t.ones(3, 1, dtype=t.int64)]), X),
    "atleast_3d of several": (lambda t, a, b, c: t.atleast_3d(a, b, c), ONE, V, X),
    "atleast_2d of a list": (lambda t, a: t.atleast_2d([a]), V),
    "atleast_1d of a 0-d tensor": (lambda t, a: t.atleast_1d(a), ONE),
    "atleast_1d of nothing": (lambda t: t.atleast_1d(),),
    "broadcast_tensors": (lambda t, a, b: t.broadcast_tensors(a, b), X, V),
    "broadcast_tensors of one": (lambda t, a: t.broadcast_tensors(a), X),
    "meshgrid xy": (lambda t, a, b: t.meshgrid(a, b, indexing="xy"), V, V[:3]),
    "meshgrid of a list, three": (lambda t, a, b: t.meshgrid([a, b, a], indexing="ij"), V, V[:3]),
    "meshgrid with a 0-d tensor": (lambda t, a, b: t.meshgrid(a, b, indexing="xy"), V, ONE),
    "block_diag": (lambda t, a, b, c: t.block_diag(a, b, c), X, V, ONE),
    "block_diag promotes": (lambda t, a: t.block_diag(a, t.ones(2, 2, dtype=t.int64)), X),
    "block_diag of nothing": (lambda t: t.block_diag(),),
    "cartesian_prod": (lambda t, a, b: t.cartesian_prod(a, b), V, V[:2]),
    "cartesian_prod of one": (lambda t, a: t.cartesian_prod(a), V),
    "combinations of 3": (lambda t, a: t.combinations(a, 3), V),
    "combinations, more than there are": (lambda t, a: t.combinations(a, 5), V),
    "combinations with replacement": (lambda t, a: t.combinations(a, with_replacement=True),
                                      V[:3]),
    "combinations of 0": (lambda t, a: t.combinations(a, 0), V),
    "combinations of integers": (lambda t: t.combinations(t.tensor([1, 2, 3])),),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_values_and_gradients_as_torch(name, same_as_torch):
    call, *arrays = CALLS[name]
    same_as_torch(call, *arrays)


def test_meshgrid_without_indexing_warns_as_torch():
    for lib in (torch, tinygrad_edu):
        with pytest.warns(UserWarning, match="required to pass the indexing argument"):
            grids = lib.meshgrid(lib.ones(2), lib.ones(3))
        assert tuple(grids[0].shape) == (2, 3)


ERRORS = [
    lambda t: t.column_stack([]),
    lambda t: t.hstack([]),
    lambda t: t.dstack([]),
    lambda t: t.row_stack([]),
    lambda t: t.hstack(t.tensor(X)),
    lambda t: t.column_stack([t.tensor(X), t.tensor(V)]),
    lambda t: t.dstack([[1.0], t.tensor(V)]),
    lambda t: t.atleast_3d([1.0], t.tensor(V)),
    lambda t: t.broadcast_tensors(t.tensor(X), t.tensor(X)[:, :2]),
    lambda t: t.broadcast_tensors([t.tensor(X)]),
    lambda t: t.meshgrid(t.tensor(V), indexing="foo"),
    lambda t: t.meshgrid(indexing="ij"),
    lambda t: t.meshgrid(t.tensor(V), t.tensor(V).float(), indexing="ij"),
    lambda t: t.block_diag(t.tensor(X)[None]),
    lambda t: t.block_diag([1.0]),
    lambda t: t.cartesian_prod(t.tensor(V), t.tensor(X)),
    lambda t: t.cartesian_prod(),
    lambda t: t.combinations(t.tensor(V), -1),
    lambda t: t.combinations(t.tensor(X)),
    lambda t: t.combinations([1.0, 2.0]),
]


@pytest.mark.parametrize("call", ERRORS)
def test_errors_as_torch(call, same_error_as_torch):
    same_error_as_torch(call)


def test_meshgrid_of_a_matrix_raises_as_torch(raises_as_torch):
    raises_as_torch(lambda t: t.meshgrid(t.tensor(X), indexing="ij"),
                    "Expected 0D or 1D tensor in the tensor list but got")
