"""functions/indexing_more.py against torch: index_add/copy/fill/put, put, masked_scatter,
take_along_dim, scatter_reduce, the slice scatters and the in-place forms; their dtypes, edge
cases and errors. (Drawn examples of each are in the op registry: parity/ops_shape_more.py.)"""
from __future__ import annotations

import numpy as np
import pytest

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
S = RNG.standard_normal((2, 4))
INDEX = [[0, 1, 0, 1], [2, 2, 0, 0]]


def _index(t, values):
    return t.tensor(values)


CALLS = {
    "index_add, repeated indices": (lambda t, x, s: x.index_add(1, _index(t, [0, 0, 3, 0]), s),
                                    X, RNG.standard_normal((3, 4))),
    "index_add_ with an int32 index": (lambda t, x, s: (x * 1).index_add_(
        0, _index(t, [0, 2]).int(), s, alpha=2), X, S),
    "index_add of 0-d tensors": (lambda t, x, s: x.index_add(0, _index(t, 0), s),
                                 np.float64(1), np.float64(2)),
    "index_add on integers takes an integer alpha": (lambda t: t.ones(3, dtype=t.int64).index_add(
        0, _index(t, [0, 2]), t.ones(2, dtype=t.int64), alpha=2.5),),
    "index_copy_ along dim 1": (lambda t, x, s: (x * 1).index_copy_(1, _index(t, [3, 1]), s),
                                X, RNG.standard_normal((3, 2))),
    "index_fill, negative index": (lambda t, x: t.index_fill(x, 1, _index(t, [0, -1]), 2.5), X),
    "index_fill with a 0-d tensor": (lambda t, x, v: x.index_fill(1, _index(t, [0, 2]), v),
                                     X, np.float64(3)),
    "index_fill on integers": (lambda t: t.ones(3, dtype=t.int64).index_fill(
        0, _index(t, [0, 2]), 2.5),),
    "index_put accumulates": (lambda t, x, s: x.index_put([_index(t, [0, 0])], s,
                                                          accumulate=True), X, S),
    "put, negative index": (lambda t, x, s: t.put(x, _index(t, [0, 11, -1]), s), X, S[0, :3]),
    "put accumulates a 2-d source": (lambda t, x, s: x.put(_index(t, [[1, 1]]), s, True),
                                     X, S[:1, :2]),
    "masked_scatter broadcasts input": (lambda t, x, s: x[0].masked_scatter(t.tensor(X) > 0, s),
                                        X, RNG.standard_normal(13)),
    "masked_scatter_ broadcasts the mask": (lambda t, x, s: (x * 1).masked_scatter_(x[0] > 0, s),
                                            X, RNG.standard_normal(12)),
    "take_along_dim without dim": (lambda t, x: x.take_along_dim(_index(t, INDEX)), X),
    "take_along_dim, negative, broadcast": (lambda t, x: t.take_along_dim(
        x, _index(t, [[0], [1], [-1]]), 1), X),
    "take_along_dim broadcasts the input": (lambda t, x: t.take_along_dim(
        x[:, :1], _index(t, [[0, 1, 2]]), 0), X),
    "select_scatter of float64 into float32": (lambda t, x, s: x.select_scatter(s.double(), 1, 0),
                                               X.astype(np.float32), X[:, 0].astype(np.float32)),
    "slice_scatter, the whole tensor": (lambda t, x, s: x.slice_scatter(s), X, 2 * X),
    "fill_diagonal_ of a tall matrix, wrapped": (
        lambda t, x: (x * 1).fill_diagonal_(-1, wrap=True), RNG.standard_normal((7, 3))),
    "tril_": (lambda t, x: (x * 1).tril_(1), X),
    "triu_": (lambda t, x: (x * 1).triu_(-1), X),
    "scatter_reduce_ amax": (lambda t, x, s: (x * 1).scatter_reduce_(
        1, _index(t, [[0, 0], [1, 1]]), s, "amax"), X, S[:, :2]),
    "scatter_reduce amax shares ties": (lambda t, x, s: x.scatter_reduce(
        0, _index(t, [0, 0, 1]), s, "amax", include_self=False),
        np.array([3.0, 1.0, 2.0]), np.array([3.0, 3.0, 1.0])),
}
for _reduce in ("sum", "prod", "mean", "amax", "amin"):
    for _include in (True, False):
        CALLS[f"scatter_reduce {_reduce}, zeros and ties, include_self={_include}"] = (
            lambda t, x, s, r=_reduce, i=_include: x.scatter_reduce(
                0, _index(t, [0, 0, 1, 1]), s, reduce=r, include_self=i),
            np.array([3.0, 0.0, 2.0]), np.array([0.0, 3.0, 0.0, 0.0]))
        CALLS[f"scatter_reduce {_reduce} of integers, include_self={_include}"] = (
            lambda t, r=_reduce, i=_include: t.tensor([5, 7, 9]).scatter_reduce(
                0, _index(t, [0, 0, 1]), t.tensor([-2, -3, 4]), r, include_self=i),)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_values_and_gradients_as_torch(name, same_as_torch):
    call, *arrays = CALLS[name]
    same_as_torch(call, *arrays)


def _x(t):
    return t.tensor(X, dtype=t.float32)


def _s(t):
    return t.tensor(S, dtype=t.float32)


ERRORS = [
    lambda t: _x(t).index_add(0, _index(t, [0, 2]).float(), _s(t)),
    lambda t: _x(t).index_add(0, _index(t, [0, 2]), _s(t).double()),
    lambda t: _x(t).index_add(0, _index(t, [[0, 2]]), _s(t)),
    lambda t: _x(t).index_add(0, _index(t, [0, 2]), _s(t)[:, :3]),
    lambda t: _x(t).index_add(0, _index(t, [0, -1]), _s(t)),
    lambda t: _x(t).index_add(1, _index(t, [0, 2]), _s(t)),
    lambda t: _x(t).index_copy(0, _index(t, [0, 2]).int(), _s(t)),
    lambda t: _x(t).index_copy(0, _index(t, [0, 2]), _s(t).double()),
    lambda t: _x(t).index_copy(0, _index(t, [0, 5]), _s(t)),
    lambda t: _x(t).index_copy(0, _index(t, [0, 2]), _s(t)[:1]),
    lambda t: _x(t).index_copy(0, _index(t, [[0, 2]]), _s(t)),
    lambda t: t.ones(3, 4, 5).index_copy(0, _index(t, [0, 1]), t.ones(2, 4, 6)),
    lambda t: _x(t).index_fill(1, _index(t, [0, 2]), t.tensor([2.0])),
    lambda t: _x(t).index_fill(1, _index(t, [0, 2]).int(), 1),
    lambda t: _x(t).index_fill(1, _index(t, [[0, 2]]), 1),
    lambda t: _x(t).index_fill(1, _index(t, [-9, 5]), 1),
    lambda t: _x(t).index_put((_index(t, [0, 2]),), _s(t).double()),
    lambda t: t.put(_x(t), _index(t, [0, 11]).int(), _s(t)[0, :2]),
    lambda t: _x(t).put(_index(t, [-19, 12]), _s(t)[0, :2]),
    lambda t: _x(t).put(_index(t, [0, 1]), _s(t)[0, :3]),
    lambda t: _x(t).put(_index(t, [0, 1]), _s(t)[0, :2].double()),
    lambda t: _x(t).masked_scatter(_x(t) > 0, _x(t).double().flatten()),
    lambda t: _x(t).masked_scatter((_x(t) > 0).float(), _x(t).flatten()),
    lambda t: _x(t).masked_scatter(t.ones(3, 4, dtype=t.bool), _x(t).flatten()[:11]),
    lambda t: _x(t).masked_scatter(t.ones(5, dtype=t.bool), _x(t).flatten()),
    lambda t: t.take_along_dim(_x(t), _index(t, INDEX).int(), 0),
    lambda t: t.take_along_dim(_x(t), _index(t, INDEX[0]), 0),
    lambda t: t.take_along_dim(_x(t), _index(t, [[0, 1]]), 0),
    lambda t: t.take_along_dim(_x(t), _index(t, INDEX) - 3),
    lambda t: t.take_along_dim(t.tensor(2.0), t.tensor(0), 0),
    lambda t: t.select_scatter(_x(t), _x(t)[0], 0, 3),
    lambda t: t.select_scatter(_x(t), _x(t)[0, :3], 0, 1),
    lambda t: t.slice_scatter(_x(t), _x(t)[:, :3], 1, 1, 3),
    lambda t: t.slice_scatter(_x(t), _x(t), 1, step=0),
    lambda t: _x(t).scatter_reduce(0, _index(t, INDEX), _s(t), "add"),
    lambda t: _x(t).scatter_reduce(0, _index(t, INDEX), _s(t).double(), "sum"),
    lambda t: _x(t).scatter_reduce(0, _index(t, INDEX).float(), _s(t), "sum"),
    lambda t: _x(t).scatter_reduce(0, _index(t, [[0, 9, 5, 1]]), _s(t), "sum"),
    lambda t: _x(t).scatter_reduce(0, _index(t, INDEX[0]), _s(t), "sum"),
    lambda t: _x(t).scatter_reduce(0, _index(t, INDEX), _s(t)[:1], "sum"),
    lambda t: t.scatter(_x(t), 0, _index(t, INDEX[0]), _s(t)),
    lambda t: t.gather(_x(t), 0, _index(t, INDEX[0])),
    lambda t: t.zeros(2, 3, 4).fill_diagonal_(2),
    lambda t: t.zeros(2).fill_diagonal_(2),
    lambda t: _x(t).requires_grad_().index_add_(0, _index(t, [0, 2]), _s(t)),
]


@pytest.mark.parametrize("call", ERRORS)
def test_errors_as_torch(call, same_error_as_torch):
    same_error_as_torch(call)


def test_argwhere_as_torch(same_as_torch):
    same_as_torch(lambda t, x: t.argwhere(x > 0), X)
    same_as_torch(lambda t, x: x.argwhere(), np.float64(0))
