"""functions/shape_more.py against torch: diagonals, tile and repeat_interleave, rot90 and the
flips, the splits, unfold, narrow_copy; their argument forms, views and errors. (Drawn
examples of each, forward and backward, are in the op registry: parity/ops_shape_more.py.)"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
X3 = RNG.standard_normal((2, 3, 4))
V = RNG.standard_normal(4)
INTS = np.arange(12).reshape(3, 4)

CALLS = {
    "diag of a matrix, above": (lambda t, x: t.diag(x, 1), X),
    "diag of a vector, below": (lambda t, v: t.diag(v, -1), V),
    "diagonal, dims reversed": (lambda t, x: t.diagonal(x, 1, 2, 0), X3),
    "diagonal past the end": (lambda t, x: x.diagonal(7), X),
    "diag_embed into dims 0 and 2": (lambda t, x: t.diag_embed(x, 1, 0, 2), X3),
    "trace of integers is int64": (lambda t, x: t.trace(x), INTS),
    "diagonal_scatter": (lambda t, x, s: t.diagonal_scatter(x, s, -1, 1, 2), X3,
                         RNG.standard_normal((2, 2))),
    "tile with fewer dims": (lambda t, x: t.tile(x, (2,)), X),
    "tile as a method, sizes as arguments": (lambda t, x: x.tile(2, 1, 1), X),
    "repeat_interleave flattens": (lambda t, x: t.repeat_interleave(x, 2), X),
    "repeat_interleave along a dim": (lambda t, x: x.repeat_interleave(2, dim=-1), X),
    "repeat_interleave of a 0-d tensor": (lambda t, x: t.repeat_interleave(x, 3), np.float64(2)),
    "repeat_interleave by counts": (lambda t, x: x.repeat_interleave(t.tensor([1, 0, 2]), 0),
                                    X),
    "repeat_interleave, one count": (lambda t, x: x.repeat_interleave(t.tensor([2]), 0), X),
    "repeat_interleave of counts": (lambda t: t.repeat_interleave(t.tensor([2, 0, 1])),),
    "ravel of a transposed matrix": (lambda t, x: x.t().ravel(), X),
    "rot90 backwards": (lambda t, x: x.rot90(-1), X),
    "rot90 in dims 2, 0": (lambda t, x: t.rot90(x, 1, (2, 0)), X3),
    "rot90 four times": (lambda t, x: x.rot90(4), X),
    "flipud of a vector": (lambda t, v: v.flipud(), V),
    "tensor_split in sections": (lambda t, x: t.tensor_split(x, 3, 1), X),
    "tensor_split at indices, past the end": (lambda t, x: x.tensor_split([1, -1, 5], 1), X),
    "tensor_split at a tensor of indices": (lambda t, x: x.tensor_split(t.tensor([1, 2]), 1), X),
    "tensor_split by keyword": (lambda t, x: t.tensor_split(x, sections=2, dim=1), X),
    "hsplit of a vector": (lambda t, v: v.hsplit([1, 3]), V),
    "dsplit": (lambda t, x: x.dsplit(2), X3),
    "unsafe_chunk": (lambda t, x: t.unsafe_chunk(x, 2, 1), X),
    "unfold, overlapping": (lambda t, x: x.unfold(1, 2, 1), X),
    "unfold, empty windows": (lambda t, x: x.unfold(2, 0, 3), X3),
    "unfold of a 0-d tensor": (lambda t, x: x.unfold(0, 1, 1), np.float64(2)),
    "adjoint": (lambda t, x: x.adjoint(), X3),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_values_and_gradients_as_torch(name, same_as_torch):
    call, *arrays = CALLS[name]
    same_as_torch(call, *arrays)


def test_narrow_copy_as_torch(same_as_torch):
    # (torch's own backward fails for a negative start: compared forward only there)
    same_as_torch(lambda t, x: t.narrow_copy(x, 1, 1, 2), X)
    same_as_torch(lambda t, x: t.narrow_copy(x, 1, -2, 2).detach(), X)


def test_diagonal_and_unfold_are_views_as_in_torch():
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.tensor(X.copy())
        x.diagonal(1).fill_(-1.0)
        x.unfold(1, 2, 2)[2, 1, 0] = 9.0
        results.append(x.numpy())
    np.testing.assert_array_equal(*results)


def test_a_diagonal_written_in_place_carries_gradients_as_torch(same_as_torch):
    def call(t, x, y):
        z = x * 1
        z.diagonal().mul_(y)
        return z
    same_as_torch(call, X, np.float64(3.0))


ERRORS = [
    lambda t: t.diag(t.ones(2, 2, 2)),
    lambda t: t.diagonal(t.tensor(X), 0, 0, -2),
    lambda t: t.diagonal(t.tensor(1.0)),
    lambda t: t.diag_embed(t.tensor(X), 0, 0, 0),
    lambda t: t.trace(t.tensor(V)),
    lambda t: t.trace(t.ones(2, 2, dtype=t.bool)),
    lambda t: t.tile(t.tensor(X), 2),
    lambda t: t.repeat_interleave(t.tensor(X), t.tensor([1, 2]), dim=0),
    lambda t: t.repeat_interleave(t.tensor(X), -1, dim=0),
    lambda t: t.repeat_interleave(t.tensor(X), t.tensor([1, -2, 0]), dim=0),
    lambda t: t.repeat_interleave(t.tensor(X), t.tensor([1.0, 2, 0]), dim=0),
    lambda t: t.repeat_interleave(t.tensor(X), t.tensor([[1, 2, 0]]), dim=0),
    lambda t: t.repeat_interleave(t.tensor(2)),
    lambda t: t.repeat_interleave(t.tensor(X), 2, output_size=5),
    lambda t: t.repeat_interleave(t.tensor(2.0), 3, dim=0),
    lambda t: t.rot90(t.tensor(X), 1, [0]),
    lambda t: t.rot90(t.tensor(V)),
    lambda t: t.rot90(t.tensor(X), 1, [0, -2]),
    lambda t: t.rot90(t.tensor(X), 1, [0, 5]),
    lambda t: t.fliplr(t.tensor(V)),
    lambda t: t.flipud(t.tensor(1.0)),
    lambda t: t.tensor_split(t.tensor(X), 0, 1),
    lambda t: t.tensor_split(t.tensor(X), t.tensor([[1, 2]]), 1),
    lambda t: t.tensor_split(t.tensor(X), t.tensor([1.0, 2]), 1),
    lambda t: t.tensor_split(t.tensor(1.0), 2),
    lambda t: t.hsplit(t.tensor(X), 3),
    lambda t: t.hsplit(t.tensor(X), 0),
    lambda t: t.hsplit(t.tensor(1.0), 2),
    lambda t: t.vsplit(t.tensor(V), 2),
    lambda t: t.dsplit(t.tensor(X), 2),
    lambda t: t.narrow(t.tensor(X), 1, -5, 2),
    lambda t: t.narrow(t.tensor(X), 1, 1, -1),
    lambda t: t.narrow(t.tensor(1.0), 0, 0, 1),
    lambda t: t.narrow_copy(t.tensor(X), 1, 3, 2),
    lambda t: t.tensor(X).unfold(1, 5, 1),
    lambda t: t.tensor(X).unfold(1, 2, 0),
    lambda t: t.tensor(X).unfold(1, -1, 1),
    lambda t: t.tensor(V).adjoint(),
    lambda t: t.tensor(X)[:1].expand(4),
    lambda t: t.flatten(t.tensor(1.0), 1),
    lambda t: t.tensor(X).unflatten(1, (3, -1)),
    lambda t: t.tensor(X).unflatten(1, (5, 2)),
    lambda t: t.tensor(X).unflatten(1, ()),
    lambda t: t.tensor(X).repeat(),
]


@pytest.mark.parametrize("sizes", [(-1, -1), (0, -1)])
def test_unflatten_with_sizes_it_cannot_infer_raises_as_torch(sizes, raises_as_torch):
    raises_as_torch(lambda t: t.zeros(2, 0).unflatten(1, sizes),
                    "unflatten got an unexpected error:")


@pytest.mark.parametrize("call", ERRORS)
def test_errors_as_torch(call, same_error_as_torch):
    same_error_as_torch(call)


# ----------------------------------------------------------------------------- split and chunk

SPLITS = [
    lambda t: t.zeros(0).chunk(3), lambda t: t.zeros(6).chunk(4),
    lambda t: t.zeros(2, 3).chunk(5, 1), lambda t: t.zeros(0, 3).chunk(2),
    lambda t: t.zeros(0).split(0), lambda t: t.zeros(4).split(5),
    lambda t: t.zeros(4).split((2, 2)), lambda t: t.zeros(4).split(split_size=2),
    lambda t: t.split(t.zeros(4), split_size_or_sections=[1, 3]),
    lambda t: t.zeros(4).split(t.tensor(2)),
    lambda t: t.zeros(4).chunk(chunks=2, dim=0), lambda t: t.zeros(5, 2).unbind(1),
]


@pytest.mark.parametrize("call", SPLITS)
def test_split_and_chunk_shapes_as_torch(call):
    shapes = [[tuple(piece.shape) for piece in call(lib)] for lib in (torch, tinygrad_edu)]
    assert shapes[0] == shapes[1]


@pytest.mark.parametrize("call", [
    lambda t: t.zeros(4).split(-1), lambda t: t.zeros(4).split(0),
    lambda t: t.zeros(4).split([1, -1, 4]), lambda t: t.zeros(4).split([1, 2]),
    lambda t: t.tensor(1.0).split(1), lambda t: t.tensor(1.0).chunk(1),
    lambda t: t.zeros(4).chunk(0), lambda t: t.tensor(1.0).unbind(),
])
def test_split_and_chunk_errors_as_torch(call, same_error_as_torch):
    same_error_as_torch(call)
