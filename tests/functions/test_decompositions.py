"""functions/decompositions.py against torch: inv, inv_ex, det, slogdet, logdet, solve,
cholesky, cholesky_ex and qr — values, gradients (and a finite-difference gradcheck), the
errors for singular and indefinite matrices, bad dtypes and shapes, and torch's result types.
Forward, backward and second derivatives on drawn examples are in the registry
(parity/ops_linalg.py, tests/functions/test_registry.py)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_edu
from parity.sweeps import same_outcome

RNG = np.random.default_rng(0)
WELL = np.diag([1.0, -2.0, 3.0]) + RNG.uniform(-0.1, 0.1, (2, 3, 3))  # a batch, far from singular
SINGULAR = [[1.0, 2.0], [2.0, 4.0]]
INDEFINITE = [[1.0, 2.0], [2.0, 1.0]]


def _t(lib, values, **options):
    return lib.tensor(np.asarray(values, dtype=np.float64), **options)


@pytest.mark.parametrize("call", [
    lambda lib, a: lib.linalg.inv(a), lambda lib, a: lib.inverse(a),
    lambda lib, a: lib.linalg.det(a), lambda lib, a: a.det(),
    lambda lib, a: lib.linalg.slogdet(a).logabsdet, lambda lib, a: lib.logdet(a @ a.mT),
    lambda lib, a: lib.linalg.solve(a, a[..., 0]),
    lambda lib, a: lib.linalg.solve(a, a.mT, left=False),
    lambda lib, a: lib.linalg.cholesky(a @ a.mT, upper=True),
    lambda lib, a: lib.linalg.qr(a[..., :2]).Q, lambda lib, a: lib.linalg.qr(a[..., :2, :]).R,
], ids=["inv", "inverse", "det", "det_method", "slogdet", "logdet", "solve", "solve_right",
        "cholesky_upper", "qr_tall", "qr_wide"])
def test_values_and_gradients_match_torch(same_as_torch, call):
    same_as_torch(call, WELL)


@pytest.mark.parametrize("call", [
    lambda t, a: t.linalg.inv(a), lambda t, a: t.linalg.det(a),
    lambda t, a: t.linalg.slogdet(a)[1], lambda t, a: t.linalg.solve(a, a.sum(-1)),
    lambda t, a: t.linalg.cholesky(a @ a.mT), lambda t, a: t.linalg.qr(a[..., :2])[0],
])
def test_gradcheck(call):
    a = tinygrad_edu.tensor(WELL, requires_grad=True)
    assert tinygrad_edu.autograd.gradcheck(lambda x: call(tinygrad_edu, x), (a,))


def test_grad_fn_names_are_torchs():
    a = tinygrad_edu.tensor(WELL, requires_grad=True)
    names = [type(f(a).grad_fn).__name__ for f in (
        tinygrad_edu.linalg.inv, tinygrad_edu.linalg.det, lambda x: tinygrad_edu.linalg.solve(
            x, x), lambda x: tinygrad_edu.linalg.cholesky(x @ x.mT),
        lambda x: tinygrad_edu.linalg.qr(x).Q)]
    assert names == ["LinalgInvExBackward0", "LinalgDetBackward0", "LinalgSolveExBackward0",
                     "LinalgCholeskyExBackward0", "LinalgQrBackward0"]


@pytest.mark.parametrize("call, phrase", [
    (lambda lib: lib.linalg.inv(_t(lib, SINGULAR)), "linalg.inv: The diagonal element 2 is zero"),
    (lambda lib: lib.inverse(_t(lib, [np.eye(2), SINGULAR])),
     "linalg.inv: (Batch element 1): The diagonal element 2 is zero, the inversion could not be "
     "completed because the input matrix is singular."),
    (lambda lib: lib.linalg.inv_ex(_t(lib, SINGULAR), check_errors=True),
     "linalg.inv_ex: The diagonal element 2"),
    (lambda lib: lib.linalg.matrix_power(_t(lib, SINGULAR), -1), "The diagonal element 2"),
    (lambda lib: lib.linalg.solve(_t(lib, SINGULAR), _t(lib, [1.0, 1.0])),
     "torch.linalg.solve: The solver failed because the input matrix is singular."),
    (lambda lib: lib.linalg.cholesky(_t(lib, [np.eye(2), INDEFINITE])),
     "linalg.cholesky: (Batch element 1): The factorization could not be completed because the "
     "input is not positive-definite (the leading minor of order 2 is not positive-definite)."),
])
def test_singular_and_indefinite_matrices_raise_torchs_linalg_error(raises_as_torch, call,
                                                                     phrase):
    error = raises_as_torch(call, phrase)
    assert isinstance(error, tinygrad_edu.linalg.LinAlgError) and isinstance(error, RuntimeError)


def test_ex_variants_report_info_instead(same_as_torch):
    info = same_as_torch(lambda lib, a: lib.linalg.inv_ex(a).info, np.array([np.eye(2), SINGULAR]))
    assert info.dtype is tinygrad_edu.int32 and info.tolist() == [0, 2]
    same_as_torch(lambda lib, a: lib.linalg.cholesky_ex(a).info, np.array(INDEFINITE))
    same_as_torch(lambda lib, a: lib.linalg.cholesky_ex(a @ a.mT), WELL)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float16"])
@pytest.mark.parametrize("call", [
    lambda lib, a: lib.linalg.inv(a), lambda lib, a: lib.linalg.det(a),
    lambda lib, a: lib.linalg.slogdet(a), lambda lib, a: lib.logdet(a),
    lambda lib, a: lib.linalg.solve(a, a), lambda lib, a: lib.linalg.cholesky(a),
    lambda lib, a: lib.cholesky(a), lambda lib, a: lib.linalg.qr(a), lambda lib, a: lib.qr(a),
])
def test_dtypes_torch_refuses(call, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_outcome(lambda lib, a: call(lib, a), [(np.eye(2) + 1).astype(dtype)])


@pytest.mark.parametrize("call, phrase", [
    (lambda lib: lib.linalg.inv(_t(lib, [1.0, 2.0])),
     "linalg.inv: The input tensor A must have at least 2 dimensions."),
    (lambda lib: lib.linalg.det(_t(lib, np.ones((2, 3)))),
     "linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices"),
    (lambda lib: lib.linalg.inv([[1.0]]),
     "linalg_inv(): argument 'A' (position 1) must be Tensor, not list"),
    (lambda lib: lib.logdet([[1.0]]),
     "logdet(): argument 'input' (position 1) must be Tensor, not list"),
    (lambda lib: lib.linalg.solve(_t(lib, np.eye(2)).float(), _t(lib, [1.0, 1.0])),
     "linalg.solve: Expected A and B to have the same dtype, but found A of type Float and B of "
     "type Double instead"),
    (lambda lib: lib.linalg.solve(_t(lib, np.eye(2)), _t(lib, np.ones((3, 4)))),
     "linalg.solve: Incompatible shapes of A and B for the equation AX = B (2x2 and 3x4)"),
    (lambda lib: lib.linalg.solve(_t(lib, np.eye(2)), _t(lib, np.ones(2)), left=False),
     "linalg.solve: Incompatible shapes of A and B for the equation XA = B (2x2 and 2x1)"),
    (lambda lib: lib.linalg.qr(_t(lib, np.eye(2)), mode="x"),
     "qr received unrecognized mode 'x' but expected one of 'reduced' (default), 'r', or "
     "'complete'"),
])
def test_bad_arguments_raise_torchs_errors(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)


def test_solve_broadcasts_and_takes_batches_of_vectors(same_as_torch):
    same_as_torch(lambda lib, a, b: lib.linalg.solve(a, b), WELL, RNG.standard_normal((3, 1)))
    same_as_torch(lambda lib, a, b: lib.linalg.solve(a, b), WELL, RNG.standard_normal((2, 3)))
    same_as_torch(lambda lib, a, b: lib.linalg.solve(a, b), WELL[0], RNG.standard_normal((4, 3, 2)))


def test_logdet_and_slogdet_of_negative_and_singular_determinants(same_as_torch):
    same_as_torch(lambda lib, a: lib.logdet(a), np.array([[0.0, 1.0], [1.0, 0.0]]))  # NaN
    assert tinygrad_edu.logdet(tinygrad_edu.tensor(SINGULAR)).item() == float("-inf")
    same_as_torch(lambda lib, a: lib.slogdet(a), WELL)


@pytest.mark.parametrize("shape", [(4, 2), (2, 4), (3, 3)])
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_qr_modes_give_torchs_shapes_and_values(shape, mode):
    import torch
    a = RNG.standard_normal(shape)
    ours, theirs = tinygrad_edu.linalg.qr(tinygrad_edu.tensor(a), mode), torch.linalg.qr(
        torch.tensor(a), mode)
    for mine, torchs in zip(ours, theirs):
        assert tuple(mine.shape) == tuple(torchs.shape)
        np.testing.assert_allclose(mine.numpy(), torchs.numpy(), atol=1e-12)


@pytest.mark.parametrize("mode, shape, phrase", [
    ("r", (3, 2), "The derivative of linalg.qr depends on Q, which is not computed when "
                  "mode='r'."),
    ("complete", (3, 2), "The QR decomposition is not differentiable when mode='complete' and "
                         "nrows > ncols."),
])
def test_qr_backward_refuses_what_torch_refuses(raises_as_torch, mode, shape, phrase):
    def call(lib):
        a = lib.tensor(np.ones(shape), requires_grad=True)
        lib.linalg.qr(a, mode=mode).R.sum().backward()
    raises_as_torch(call, phrase)


def test_result_types_have_torchs_names_and_fields():
    a = tinygrad_edu.tensor(WELL)
    assert repr(tinygrad_edu.linalg.slogdet(a)).startswith("torch.return_types.linalg_slogdet(")
    assert tinygrad_edu.slogdet(a)._fields == ("sign", "logabsdet")
    assert type(tinygrad_edu.qr(a)).__name__ == "qr" and tinygrad_edu.qr(a)._fields == ("Q", "R")
    assert tinygrad_edu.linalg.inv_ex(a)._fields == ("inverse", "info")
    assert tinygrad_edu.linalg.cholesky_ex(a @ a.mT)._fields == ("L", "info")


def test_torch_cholesky_warns_as_deprecated_and_takes_upper():
    a = tinygrad_edu.tensor(WELL[0] @ WELL[0].T)
    with pytest.warns(UserWarning, match="torch.cholesky is deprecated"):
        upper = tinygrad_edu.cholesky(a, upper=True)
    np.testing.assert_allclose(upper.numpy(), np.linalg.cholesky(a.numpy()).T)


def test_out_argument_holds_the_result():
    out = tinygrad_edu.empty(0, dtype=tinygrad_edu.float64)
    result = tinygrad_edu.linalg.inv(tinygrad_edu.tensor(WELL), out=out)
    assert result is out and tuple(out.shape) == (2, 3, 3)
