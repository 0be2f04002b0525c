"""Inverses, determinants, solves and factorizations with torch's names, defaults and errors:
linalg.inv / inv_ex / det / slogdet / solve / cholesky / cholesky_ex / qr, and torch.inverse,
det, logdet, slogdet, cholesky (upper=), qr (some=). The primitives are in decomposition_ops.py.

    A = torch.tensor([[4.0, 1.0], [1.0, 3.0]])
    torch.linalg.inv(A) @ A            # the identity
    torch.linalg.solve(A, b)           # A⁻¹ b without forming A⁻¹
    torch.linalg.cholesky(A)           # L, lower triangular, with L Lᵀ = A
"""
from __future__ import annotations

import warnings
from collections import namedtuple

from .. import dtypes
from ..backend import get_array_module
from ..tensor import Tensor
from . import decomposition_ops as ops
from ._args import maybe_out


class _LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: the matrix is singular, or not positive-definite."""


def return_type(name: str, fields: str):
    """torch.return_types.<name>: a named tuple with torch's repr."""
    cls = namedtuple(name, fields)
    cls.__repr__ = lambda self: (f"torch.return_types.{name}(\n" + ",\n".join(
        f"{field}={value!r}" for field, value in zip(self._fields, self)) + ")")
    return cls


_Slogdet = return_type("slogdet", "sign logabsdet")
_LinalgSlogdet = return_type("linalg_slogdet", "sign logabsdet")
_InvEx = return_type("linalg_inv_ex", "inverse info")
_CholeskyEx = return_type("linalg_cholesky_ex", "L info")
_Qr = return_type("qr", "Q R")
_LinalgQr = return_type("linalg_qr", "Q R")

# ----------------------------------------------------------------------------- argument checks


def check_tensor(value, function: str, argument: str = "A", position: int = 1) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(f"{function}(): argument '{argument}' (position {position}) must be "
                        f"Tensor, not {type(value).__name__}")


def check_matrices(a: Tensor, name: str, kernel: str | None = None, square: bool = True,
                   checks_dtype: bool = True) -> None:
    """torch's checks of a batch of matrices, in its order: at least 2-d; a floating dtype
    (checks_dtype=False: the LAPACK kernel refuses the others instead); float16 refused, by
    `kernel` or else as a low precision dtype; square matrices."""
    data = a._data
    if data.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if data.dtype.kind != "f" or a.dtype is dtypes.float16:
        if checks_dtype and data.dtype.kind != "f":
            raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                               f"Got {a.dtype.scalar_name}")
        if kernel is None:
            raise RuntimeError(f"{name}: Low precision dtypes not supported. Got Half")
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{a.dtype.scalar_name}'")
    if square and data.shape[-1] != data.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{data.shape[-2]} by {data.shape[-1]} matrices")


def _linalg_error(a: Tensor):
    """The backend's LAPACK error class (NumPy's LinAlgError)."""
    return getattr(get_array_module(a._data).linalg, "LinAlgError", ValueError)


def _zero_pivot(matrix) -> int:
    """The first zero pivot (1-based) of Gaussian elimination with partial pivoting, as LAPACK's
    getrf reports it; 0 when there is none."""
    xp = get_array_module(matrix)
    u = matrix.copy()
    for k in range(u.shape[0]):
        p = k + int(xp.argmax(xp.abs(u[k:, k])))
        if u[p, k] == 0:
            return k + 1
        u[[k, p]] = u[[p, k]]
        u[k + 1:, k:] -= u[k + 1:, k:k + 1] / u[k, k] * u[k, k:]
    return 0


def _failing_minor(matrix, error) -> int:
    """The order of the first leading minor that is not positive-definite (potrf's info)."""
    xp = get_array_module(matrix)
    for k in range(1, matrix.shape[-1] + 1):
        try:
            xp.linalg.cholesky(matrix[:k, :k])
        except error:
            return k
    return 0


def _infos(a: Tensor, find) -> list:
    """find(matrix) for every matrix of the batch, in torch's (row-major) order."""
    data = a._data
    return [find(m) for m in data.reshape((-1,) + data.shape[-2:])]


def _first_failure(a: Tensor, find, message: str, prefix: str) -> None:
    """Raise torch's LinAlgError for the first matrix of the batch where find() is non-zero."""
    for index, info in enumerate(_infos(a, find)):
        if info:
            batch = f"(Batch element {index}): " if a._data.ndim > 2 else ""
            raise _LinAlgError(f"{prefix}: {batch}{message.format(info)}")


SINGULAR = ("The diagonal element {} is zero, the inversion could not be completed because the "
            "input matrix is singular.")
NOT_DEFINITE = ("The factorization could not be completed because the input is not "
                "positive-definite (the leading minor of order {} is not positive-definite).")

# ----------------------------------------------------------------------------- inverse, det


def invert(A: Tensor, prefix: str = "linalg.inv") -> Tensor:
    check_matrices(A, "linalg.inv")
    try:
        return ops.LinalgInvEx.apply(A)
    except _linalg_error(A):
        _first_failure(A, _zero_pivot, SINGULAR, prefix)
        raise _LinAlgError(f"{prefix}: The input matrix is singular.") from None


def inv(A, *, out=None) -> Tensor:
    """A⁻¹, for each matrix of the batch."""
    check_tensor(A, "linalg_inv")
    return maybe_out(invert(A), out, "linalg_inv")


def inverse(input, *, out=None) -> Tensor:
    check_tensor(input, "inverse", "input")
    return maybe_out(invert(input), out, "inverse")


def inv_ex(A, *, check_errors: bool = False, out=None):
    """(inverse, info): info is 0, or the first zero pivot of a singular matrix (whose inverse
    is then NaN here, where LAPACK leaves torch with whatever it had computed)."""
    check_tensor(A, "linalg_inv_ex")
    check_matrices(A, "linalg.inv")
    infos = _infos(A, _zero_pivot)
    if check_errors:
        _first_failure(A, _zero_pivot, SINGULAR, "linalg.inv_ex")
    if any(infos):
        inverse = A.detach() * float("nan")
    else:
        inverse = ops.LinalgInvEx.apply(A)
    return _InvEx(inverse, _info_tensor(A, infos))


def _info_tensor(a: Tensor, infos: list) -> Tensor:
    xp = get_array_module(a._data)
    return a._make(xp.asarray(infos, dtype=dtypes.int32.numpy).reshape(a._data.shape[:-2]))


def linalg_det(A, *, out=None) -> Tensor:
    """det A, for each matrix of the batch."""
    check_tensor(A, "linalg_det")
    check_matrices(A, "linalg.det", kernel="lu_cpu")
    return maybe_out(ops.LinalgDet.apply(A), out, "linalg_det")


def det(input) -> Tensor:
    check_tensor(input, "det", "input")
    return linalg_det(input)


def _slogdet(A: Tensor, name: str, kernel=None):
    check_matrices(A, name, kernel=kernel)
    return ops.LinalgSlogdet.apply(A)


def slogdet(input, *, out=None):
    """(sign, log |det|): torch.slogdet's names."""
    check_tensor(input, "slogdet", "input")
    return _Slogdet(*_slogdet(input, "linalg.slogdet"))


def linalg_slogdet(A, *, out=None):
    check_tensor(A, "linalg_slogdet")
    return _LinalgSlogdet(*_slogdet(A, "linalg.slogdet"))


def logdet(input) -> Tensor:
    """log det A: NaN where det A < 0, -inf where it is 0."""
    check_tensor(input, "logdet", "input")
    sign, logabsdet = _slogdet(input, "logdet")
    return logabsdet.masked_fill(sign < 0, float("nan"))


# ----------------------------------------------------------------------------- solve


def is_vector_rhs(A: Tensor, B: Tensor) -> bool:
    """torch's rule: B is a vector (or a batch of vectors) when it is 1-d, or has one dim less
    than A and the shape of A without its last dim."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve(A, B, *, left: bool = True, out=None) -> Tensor:
    """X with A X = B (left=False: X A = B), batch dims broadcast; B may be a vector."""
    check_tensor(A, "linalg_solve")
    check_tensor(B, "linalg_solve", "B", 2)
    check_matrices(A, "linalg.solve", kernel="lu_cpu")
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A "
                           f"of type {A.dtype.scalar_name} and B of type {B.dtype.scalar_name} "
                           "instead")
    vector = is_vector_rhs(A, B)
    matrix = B.unsqueeze(-1) if vector else B
    n = A.shape[-1]
    if (matrix.shape[-2] if left else matrix.shape[-1]) != n:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and "
                           f"{matrix.shape[-2]}x{matrix.shape[-1]})")
    try:
        x = ops.LinalgSolveEx.apply(A, matrix) if left else ops.solve_right(A, matrix)
    except _linalg_error(A):
        raise _LinAlgError("torch.linalg.solve: The solver failed because the input matrix is "
                           "singular.") from None
    return maybe_out(x.squeeze(-1) if vector else x, out, "linalg_solve")


# ----------------------------------------------------------------------------- cholesky, qr


def _cholesky(A: Tensor, upper: bool, prefix: str) -> Tensor:
    # torch.cholesky leaves the dtype to the kernel; linalg.cholesky checks it first
    check_matrices(A, "linalg.cholesky", "cholesky_cpu", checks_dtype=prefix != "cholesky")
    try:
        lower = ops.LinalgCholeskyEx.apply(A)
    except _linalg_error(A):
        error = _linalg_error(A)
        _first_failure(A, lambda m: _failing_minor(m, error), NOT_DEFINITE, prefix)
        raise _LinAlgError(f"{prefix}: The input is not positive-definite.") from None
    return lower.mT if upper else lower


def linalg_cholesky(A, *, upper: bool = False, out=None) -> Tensor:
    """L, lower triangular with L Lᵀ = A (upper=True: U = Lᵀ, with Uᵀ U = A)."""
    check_tensor(A, "linalg_cholesky", "input")
    return maybe_out(_cholesky(A, upper, "linalg.cholesky"), out, "linalg_cholesky")


def cholesky(input, upper: bool = False, *, out=None) -> Tensor:
    """torch.cholesky, deprecated in torch for linalg.cholesky (same factor; upper=True gives
    Lᵀ)."""
    check_tensor(input, "cholesky", "input")
    warnings.warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be "
                  "removed in a future PyTorch release.", UserWarning, stacklevel=2)
    return maybe_out(_cholesky(input, upper, "cholesky"), out, "cholesky")


def cholesky_ex(A, *, upper: bool = False, check_errors: bool = False, out=None):
    """(L, info): info is 0, or the order of the first leading minor that is not
    positive-definite (L is then NaN here, LAPACK's partial factor in torch)."""
    check_tensor(A, "linalg_cholesky_ex", "input")
    check_matrices(A, "linalg.cholesky", kernel="cholesky_cpu")
    error = _linalg_error(A)
    infos = _infos(A, lambda m: _failing_minor(m, error))
    if check_errors or not any(infos):
        factor = _cholesky(A, upper, "linalg.cholesky")
    else:
        factor = A.detach() * float("nan")
    return _CholeskyEx(factor, _info_tensor(A, infos))


QR_MODES = ("reduced", "complete", "r")


def linalg_qr(A, mode: str = "reduced", *, out=None):
    """(Q, R) with A = Q R, Q orthonormal columns, R upper triangular; mode 'reduced'
    (k = min(m, n) columns), 'complete' (Q square) or 'r' (R only; Q empty)."""
    check_tensor(A, "linalg_qr")
    if mode not in QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    check_matrices(A, "linalg.qr", kernel="geqrf_cpu", square=False)
    return _LinalgQr(*ops.LinalgQr.apply(A, mode=mode))


def qr(input, some: bool = True, *, out=None):
    """torch.qr: some=True is linalg.qr's 'reduced', some=False its 'complete'."""
    check_tensor(input, "qr", "input")
    check_matrices(input, "linalg.qr", kernel="geqrf_cpu", square=False)
    return _Qr(*ops.LinalgQr.apply(input, mode="reduced" if some else "complete"))


METHODS = {"inverse": inverse, "det": det, "logdet": logdet, "slogdet": slogdet,
           "cholesky": cholesky, "qr": qr}
