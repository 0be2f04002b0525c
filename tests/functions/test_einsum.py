"""functions/einsum.py against torch: einsum's equations (ellipsis, repeated labels, implicit
output, broadcasting, the sublist form), its dtypes and errors, and tensordot's dims forms."""
from __future__ import annotations

import numpy as np
import pytest

RNG = np.random.default_rng(0)
A = RNG.standard_normal((2, 3, 3))
B = RNG.standard_normal((3, 4))
C = RNG.standard_normal((4, 5))
V = RNG.standard_normal(3)
INTS = np.arange(12, dtype=np.int32).reshape(3, 4)

EQUATIONS = [
    ("bii->bi", A), ("...ii->...i", A), ("bii", A), ("...ij,jk", A, B), ("...ij,jk->...", A, B),
    ("ij->", B), ("ji", B), ("ba,ab", B, B.T.copy()), ("ij,ij->ij", B, B[:1]), ("i...->...", B),
    ("...,...->...", B, B[0]), ("ij->...", B), ("ij->j...", B), ("i,i", V, V),
    ("i j -> j i", B), ("ij,jk,kl->il", B, C, C.T.copy()), ("Ab,bC->AC", B, B.T.copy()),
    ("i...,j...->ij...", RNG.standard_normal((2, 3)), RNG.standard_normal((4, 3))),
    ("ab...,...->", RNG.standard_normal((2, 3, 1)), RNG.standard_normal((4, 5))),
    ("i,j,k", V, V[:2], V), ("->", np.float64(2)), ("ij,->ij", B, np.float64(2.0)),
    ("iij->ji", RNG.standard_normal((3, 3, 2))), ("ijij->", RNG.standard_normal((2, 3, 2, 3))),
    ("bn,anm,bm->ba", RNG.standard_normal((2, 3)), RNG.standard_normal((4, 3, 5)),
     RNG.standard_normal((2, 5))),
    ("ij,ij->ij", B, B.astype(np.float32)),  # no contraction: a product, which promotes
    # integers: a label summed alone widens to int64 (torch.sum), a contraction keeps the dtype
    ("ij,jk", INTS, INTS.T.copy()), ("ij,j->j", INTS, INTS[0]), ("ii", INTS[:3, :3]),
    ("ij->", INTS.astype(bool)), ("ii->i", INTS[:3, :3].astype(bool)),
    ("ij,ij->ij", INTS.astype(bool), INTS.astype(bool)), ("ij->", B.astype(np.float16)),
]


@pytest.mark.parametrize("case", EQUATIONS, ids=[case[0] for case in EQUATIONS])
def test_einsum_as_torch(case, same_as_torch):
    equation, *arrays = case
    same_as_torch(lambda t, *xs: t.einsum(equation, *xs), *arrays)


def test_einsum_operands_as_a_list_or_sublists_as_torch(same_as_torch):
    same_as_torch(lambda t, a, b: t.einsum("ij,jk", [a, b]), B, C)
    same_as_torch(lambda t, a, b: t.einsum(a, [0, 1], b, [1, 2], [0, 2]), B, C)
    same_as_torch(lambda t, a, b: t.einsum(a, [0, Ellipsis], b, [Ellipsis], [0]), B, B[0])
    same_as_torch(lambda t, a, b: t.einsum(a, [0, 1], b, [1]), B, B[0])


TENSORDOT = {
    "dims=2": (lambda t, a, b: t.tensordot(a, b, 2), B, B),
    "dims=1": (lambda t, a, b: t.tensordot(a, b, 1), B, C),
    "dims=0": (lambda t, a, b: t.tensordot(a, b, 0), B, V),
    "lists": (lambda t, a, b: t.tensordot(a, b, ([1], [1])), B, B),
    "lists, out of order": (lambda t, a, b: t.tensordot(a, b, [[1, 0], [0, 1]]), B, B.T.copy()),
    "3-d": (lambda t, a, b: t.tensordot(a, b, ([2, 0], [0, 1])), A, RNG.standard_normal((3, 2))),
    "a 0-d tensor": (lambda t, a, b: t.tensordot(a, b, t.tensor(1)), B, C),
    "a tensor of lists": (lambda t, a, b: t.tensordot(a, b, t.tensor([[1], [0]])), B, C),
    "size 1 broadcasts": (lambda t, a, b: t.tensordot(a, b, ([1], [0])),
                          np.arange(6.0).reshape(2, 3), np.ones((1, 4))),
    "integers": (lambda t, a, b: t.tensordot(a, b, 1), np.ones((2, 3), np.int64),
                 np.ones(3, np.int64)),
}


@pytest.mark.parametrize("name", sorted(TENSORDOT))
def test_tensordot_as_torch(name, same_as_torch):
    call, *arrays = TENSORDOT[name]
    same_as_torch(call, *arrays)


def _b(t):
    return t.tensor(B)


ERRORS = [
    lambda t: t.einsum("ij,jk->ik", _b(t)), lambda t: t.einsum("ij->ik", _b(t)),
    lambda t: t.einsum("ij->ii", _b(t)), lambda t: t.einsum("i1->i", _b(t)),
    lambda t: t.einsum("ijk->i", _b(t)), lambda t: t.einsum("ij", _b(t), _b(t)),
    lambda t: t.einsum("ii->i", _b(t)), lambda t: t.einsum("ij,ij->ij", _b(t), _b(t)[:2]),
    lambda t: t.einsum("ij,kj->ik", _b(t), _b(t).float()), lambda t: t.einsum("i..j->", _b(t)),
    lambda t: t.einsum("i...j...->", _b(t)), lambda t: t.einsum("ij->j-i", _b(t)),
    lambda t: t.einsum("ij-j", _b(t)), lambda t: t.einsum("ij,jk", _b(t).bool(), _b(t).bool().t()),
    lambda t: t.einsum("ij,i->", _b(t).int(), _b(t)[:, 0].int()),
    lambda t: t.einsum("ijk...->", _b(t)), lambda t: t.einsum("i->...i.", t.ones(2)),
    lambda t: t.einsum("i...,j...->ij...", t.ones(2, 3), t.ones(4, 5)),
    lambda t: t.einsum("i,j"), lambda t: t.einsum("ij->J", t.ones(2, 3)),
    lambda t: t.einsum("ij,jk->ik", t.ones(2, 3), "a"), lambda t: t.einsum(1, t.ones(2, 3)),
    lambda t: t.einsum("ij->ij->", t.ones(2, 3)), lambda t: t.einsum(t.ones(2, 3), [0, 60]),
    lambda t: t.tensordot(_b(t), _b(t), 1), lambda t: t.tensordot(_b(t), _b(t), -1),
    lambda t: t.tensordot(_b(t), _b(t), ([1], [1, 0])), lambda t: t.tensordot(_b(t), _b(t), 3),
    lambda t: t.tensordot(_b(t), _b(t), t.tensor(1)),
    lambda t: t.tensordot(_b(t), _b(t).float(), ([1], [1])),
    lambda t: t.tensordot(_b(t), _b(t), ([1, 1], [1, 1])),
    lambda t: t.tensordot(_b(t), _b(t), (1, 1)), lambda t: t.tensordot(_b(t), _b(t), ([5], [1])),
    lambda t: t.tensordot(_b(t), _b(t), dims=1.5), lambda t: t.tensordot([1.0], _b(t)),
]


@pytest.mark.parametrize("call", ERRORS)
def test_errors_as_torch(call, same_error_as_torch):
    same_error_as_torch(call)
