"""functions/matrix_products.py against torch: addmv, addr, addbmm, baddbmm (β, α, broadcast input,
integer and bool dtypes, in-place forms), chain_matmul, linalg.multi_dot, matrix_power,
cross, linalg.vecdot, linalg.diagonal, tensorsolve and tensorinv — values, gradients and
torch's errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.sweeps import same_outcome

RNG = np.random.default_rng(0)
WELL = np.diag([1.0, -2.0, 3.0]) + RNG.uniform(-0.1, 0.1, (2, 3, 3))


def _r(*shape):
    return RNG.standard_normal(shape)


@pytest.mark.parametrize("beta, alpha", [(1, 1), (0.5, -2.0), (0, 1)])
@pytest.mark.parametrize("name, shapes", [
    ("addmv", [(3,), (3, 4), (4,)]), ("addmv", [(1,), (3, 4), (4,)]),
    ("addr", [(3, 4), (3,), (4,)]), ("addr", [(4,), (3,), (4,)]),
    ("addbmm", [(3, 4), (2, 3, 5), (2, 5, 4)]), ("baddbmm", [(2, 3, 4), (2, 3, 5), (2, 5, 4)]),
    ("baddbmm", [(4,), (2, 3, 5), (2, 5, 4)]),
])
def test_fused_products_match_torch(same_as_torch, name, shapes, beta, alpha):
    arrays = [_r(*shape) for shape in shapes]
    same_as_torch(lambda lib, c, x, y: getattr(lib, name)(c, x, y, beta=beta, alpha=alpha),
                  *arrays)
    full = np.zeros(getattr(torch, name)(*[torch.tensor(a) for a in arrays]).shape)
    same_as_torch(lambda lib, c, x, y: getattr(c * 1, f"{name}_")(x, y, beta=beta, alpha=alpha),
                  full + arrays[0], *arrays[1:])


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "float16"])
@pytest.mark.parametrize("call", [
    lambda lib, v, m, b: lib.addmv(v, m, v), lambda lib, v, m, b: lib.addr(m, v, v),
    lambda lib, v, m, b: lib.addr(m, v, v, alpha=2), lambda lib, v, m, b: lib.addbmm(m, b, b),
    lambda lib, v, m, b: lib.baddbmm(b, b, b, beta=2),
    lambda lib, v, m, b: lib.linalg.multi_dot([m, m]),
    lambda lib, v, m, b: lib.linalg.matrix_power(m, 3),
    lambda lib, v, m, b: lib.linalg.cross(b[0], b[1]), lambda lib, v, m, b: lib.linalg.vecdot(v, v),
])
def test_other_dtypes_as_torch(call, dtype):
    arrays = [np.array([1.0, 2.0, 3.0]), np.arange(9.0).reshape(3, 3),
              np.arange(27.0).reshape(3, 3, 3) % 4]
    same_outcome(call, [a.astype(dtype) for a in arrays])


def test_integral_results_truncate_float_scalars_as_torch(same_as_torch):
    ints = [np.full(2, 3), np.ones((2, 2), dtype=np.int64), np.ones(2, dtype=np.int64)]
    same_as_torch(lambda lib, c, m, v: lib.addmv(c, m, v, beta=1.7, alpha=0.5), *ints)
    same_outcome(lambda lib, m, v: lib.addr(m, v, v, beta=1.5), [ints[1], ints[2]])


@pytest.mark.parametrize("call", [
    lambda lib, a: lib.chain_matmul(a[0], a[1], a[0]),
    lambda lib, a: lib.linalg.multi_dot([a[0, 0], a[1], a[0], a[1, :, 0]]),
    lambda lib, a: lib.linalg.multi_dot([a[0], a[1, 0]]),
    lambda lib, a: lib.linalg.matrix_power(a, 3), lambda lib, a: lib.matrix_power(a, -2),
    lambda lib, a: a.matrix_power(0), lambda lib, a: a.matrix_power(1),
    lambda lib, a: lib.linalg.cross(a[..., 0], a[..., 1], dim=1),
    lambda lib, a: lib.cross(a, a[:1] * 2, dim=1),
    lambda lib, a: lib.linalg.vecdot(a, a[:1], dim=-2),
    lambda lib, a: lib.linalg.diagonal(a, offset=-1), lambda lib, a: lib.linalg.diagonal(
        a, offset=2, dim1=2, dim2=0),
    lambda lib, a: lib.linalg.tensorinv(a[1], ind=1),
    lambda lib, a: lib.linalg.tensorsolve(a[0].mT, a[1, 0], dims=(0,)),
])
def test_chains_powers_and_vector_products_match_torch(same_as_torch, call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # chain_matmul is deprecated in torch
        same_as_torch(call, WELL)


def test_gradcheck():
    a = tinygrad_edu.tensor(WELL, requires_grad=True)
    for call in (lambda x: tinygrad_edu.linalg.matrix_power(x, -3),
                 lambda x: tinygrad_edu.linalg.cross(x, x.flip(0), dim=1),
                 lambda x: tinygrad_edu.linalg.diagonal(x, offset=1),
                 lambda x: tinygrad_edu.baddbmm(x[0], x, x, beta=0.5, alpha=2.0)):
        assert tinygrad_edu.autograd.gradcheck(call, (a,))


def test_grad_fn_names_are_torchs():
    a = tinygrad_edu.tensor(WELL, requires_grad=True)
    v = a[0, 0]
    assert [type(x.grad_fn).__name__ for x in (
        tinygrad_edu.addmv(v, a[0], v), tinygrad_edu.addr(a[0], v, v),
        tinygrad_edu.addbmm(a[0], a, a), tinygrad_edu.baddbmm(a, a, a),
        tinygrad_edu.linalg.cross(a, a, dim=1))] == [
        "AddmvBackward0", "AddrBackward0", "AddbmmBackward0", "BaddbmmBackward0",
        "LinalgCrossBackward0"]


@pytest.mark.parametrize("call", [
    lambda lib: lib.addmv(lib.ones(2), lib.ones(2, 3), lib.ones(2)),
    lambda lib: lib.addmv(lib.ones(2), lib.ones(3), lib.ones(3)),
    lambda lib: lib.addmv(lib.ones(2), lib.ones(2, 2), lib.ones(2, dtype=lib.float64)),
    lambda lib: lib.addmv([1.0], lib.ones(1, 1), lib.ones(1)),
    lambda lib: lib.addr(lib.ones(2, 2), lib.ones(2, 2), lib.ones(2)),
    lambda lib: lib.addr(lib.ones(3, 3), lib.ones(2), lib.ones(2)),
    lambda lib: lib.addbmm(lib.ones(2, 2), lib.ones(2, 2), lib.ones(2, 2)),
    lambda lib: lib.addbmm(lib.ones(2, 2), lib.ones(2, 2, 3), lib.ones(2, 2, 2)),
    lambda lib: lib.addbmm(lib.ones(2, 2), lib.ones(2, 2, 3), lib.ones(3, 3, 2)),
    lambda lib: lib.addbmm(lib.ones(2, 2, dtype=lib.float64), lib.ones(2, 2, 3),
                           lib.ones(2, 3, 2)),
    lambda lib: lib.baddbmm(lib.ones(2, 2, 2), lib.ones(2, 2, 3), lib.ones(2, 2, 2)),
    lambda lib: lib.baddbmm(lib.ones(2, 2, 2), lib.ones(2, 2, 3, dtype=lib.float64),
                            lib.ones(2, 3, 2)),
    lambda lib: lib.baddbmm([1.0], lib.ones(1, 1, 1), lib.ones(1, 1, 1), alpha=2.0),
    lambda lib: lib.ones(1).addmv_(lib.ones(2, 3), lib.ones(3)),
    lambda lib: lib.chain_matmul(), lambda lib: lib.chain_matmul(lib.ones(3), lib.ones(3, 4)),
    lambda lib: lib.linalg.multi_dot([lib.ones(2, 3)]),
    lambda lib: lib.linalg.multi_dot([lib.ones(2, 3), lib.ones(2, 3, 4)]),
    lambda lib: lib.linalg.multi_dot([lib.ones(2, 3), lib.ones(2, 4)]),
    lambda lib: lib.linalg.multi_dot([lib.ones(2, 2), lib.ones(2, 2, dtype=lib.float64)]),
    lambda lib: lib.linalg.multi_dot(lib.ones(2, 2)),
    lambda lib: lib.linalg.matrix_power(lib.ones(2, 3), 2),
    lambda lib: lib.linalg.matrix_power(lib.ones(2, 2), 2.0),
    lambda lib: lib.linalg.cross(lib.ones(2), lib.ones(2)),
    lambda lib: lib.linalg.cross(lib.ones(4, 3), lib.ones(2, 3)),
    lambda lib: lib.linalg.cross(lib.ones(3), lib.ones(3, dtype=lib.float64)),
    lambda lib: lib.linalg.cross(lib.ones(3), lib.ones(3), dim=3),
    lambda lib: lib.cross(lib.ones(4, 4), lib.ones(4, 4)),
    lambda lib: lib.linalg.vecdot(lib.ones(3), lib.ones(3, dtype=lib.float64)),
    lambda lib: lib.linalg.vecdot(lib.ones(2, 3), lib.ones(4, 3)),
    lambda lib: lib.linalg.diagonal(lib.ones(2, 2), dim1=0, dim2=-2),
    lambda lib: lib.linalg.diagonal(lib.ones(2)),
    lambda lib: lib.linalg.tensorsolve(lib.ones(2, 3, 5), lib.ones(2, 3)),
    lambda lib: lib.linalg.tensorinv(lib.ones(4, 6, 8, 2), ind=2),
    lambda lib: lib.linalg.tensorinv(lib.ones(4, 4), ind=0),
])
def test_bad_arguments_raise_torchs_errors(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_outcome(lambda lib: call(lib), [])


def test_deprecated_spellings_warn_as_torch():
    a = tinygrad_edu.ones(3, 3)
    with pytest.warns(UserWarning, match="chain_matmul is deprecated"):
        tinygrad_edu.chain_matmul(a, a)
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        assert tinygrad_edu.cross(a, a).shape == (3, 3)
