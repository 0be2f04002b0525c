"""Singular values, eigenvalues and what is built on them, with torch's names, defaults and
errors: linalg.svd / svdvals / eigh / eigvalsh / pinv / lstsq / matrix_rank, and torch.svd
(some=, V rather than Vh), torch.pinverse. The primitives are in spectral_ops.py.

    U, S, Vh = torch.linalg.svd(A, full_matrices=False)    # A = U diag(S) Vh
    L, V = torch.linalg.eigh(A)                             # A = V diag(L) Vᵀ, L ascending
"""
from __future__ import annotations

from .. import dtypes
from ..backend import get_array_module
from ..tensor import Tensor
from . import spectral_ops as ops
from .decompositions import check_matrices, check_tensor, is_vector_rhs, return_type

_Svd = return_type("svd", "U S V")
_LinalgSvd = return_type("linalg_svd", "U S Vh")
_Eigh = return_type("linalg_eigh", "eigenvalues eigenvectors")
_Lstsq = return_type("linalg_lstsq", "solution residuals rank singular_values")


def linalg_svd(A, full_matrices: bool = True, *, driver=None, out=None):
    """(U, S, Vh) with A = U diag(S) Vh, S descending; full_matrices=True makes U and Vh
    square (their extra columns and rows get no gradient, as in torch)."""
    check_tensor(A, "linalg_svd")
    check_matrices(A, "linalg.svd", kernel="linalg_svd_cpu", square=False)
    return _LinalgSvd(*ops.LinalgSvd.apply(A, full_matrices=full_matrices))


def svd(input, some: bool = True, compute_uv: bool = True, *, out=None):
    """torch.svd: (U, S, V) with A = U diag(S) Vᵀ — V, not Vh; some=False gives square U and V;
    compute_uv=False gives zero U and V (m×m and n×n) beside S."""
    check_tensor(input, "svd", "input")
    check_matrices(input, "linalg.svd", kernel="linalg_svd_cpu", square=False)
    if not compute_uv:
        values = svdvals(input)
        xp = get_array_module(input._data)
        batch, (m, n) = input._data.shape[:-2], input._data.shape[-2:]
        zeros = [input._make(xp.zeros(batch + (k, k), dtype=input._data.dtype)) for k in (m, n)]
        return _Svd(zeros[0], values, zeros[1])
    u, s, vh = ops.LinalgSvd.apply(input, full_matrices=not some)
    return _Svd(u, s, vh.mT)


def svdvals(A, *, driver=None, out=None) -> Tensor:
    """The singular values, descending; their gradient is U diag(dS) Vh."""
    check_tensor(A, "linalg_svdvals")
    check_matrices(A, "linalg.svd", kernel="linalg_svd_cpu", square=False)
    return ops.LinalgSvd.apply(A, full_matrices=False)[1]


def _eigh(A: Tensor, UPLO: str):
    check_matrices(A, "linalg.eigh", kernel="linalg_eigh_cpu", checks_dtype=False)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return ops.LinalgEigh.apply(A, uplo=UPLO)


def eigh(A, UPLO: str = "L", *, out=None):
    """(eigenvalues ascending, eigenvectors as columns) of the symmetric matrices A, read from
    their lower (UPLO='L') or upper ('U') triangle."""
    check_tensor(A, "linalg_eigh", "input")
    return _Eigh(*_eigh(A, UPLO))


def eigvalsh(A, UPLO: str = "L", *, out=None) -> Tensor:
    check_tensor(A, "linalg_eigvalsh", "input")
    return _eigh(A, UPLO)[0]


def _tolerances(A: Tensor, atol, rtol) -> tuple:
    """torch's defaults: atol 0; rtol eps · max(m, n) unless an atol > 0 alone was given."""
    atol = 0.0 if atol is None else float(atol)
    if rtol is None:
        eps = float(get_array_module(A._data).finfo(A._data.dtype).eps)
        rtol = 0.0 if atol > 0 else eps * max(A._data.shape[-2:])
    return atol, float(rtol)


def _check_tensor_of(A, function: str, tolerance: str) -> None:
    """pinv's and matrix_rank's TypeError, which lists their four signatures."""
    if not isinstance(A, Tensor):
        rest = "bool hermitian = False, *, Tensor out = None)"
        raise TypeError(
            f"{function}() received an invalid combination of arguments - got "
            f"({type(A).__name__}), but expected one of:\n"
            + "".join(f" * (Tensor input, *, {kind} atol = None, {kind} rtol = None, bool "
                      "hermitian = False, Tensor out = None)\n" for kind in ("Tensor", "float"))
            + "".join(f" * (Tensor input, {kind} {tolerance}, {rest}\n"
                      for kind in ("Tensor", "float")))


def pinv(A, *, atol=None, rtol=None, hermitian: bool = False, out=None) -> Tensor:
    """The pseudo-inverse A⁺, from the SVD (the eigendecomposition when hermitian), with the
    singular values at most max(atol, rtol · σ₁) treated as zero."""
    _check_tensor_of(A, "linalg_pinv", "rcond")
    data = A._data
    if data.ndim < 2 or A.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError(f"linalg.pinv({A.dtype.scalar_name}{{{list(data.shape)}}}): expected "
                           "a tensor with 2 or more dimensions of float, double, cfloat or "
                           "cdouble types")
    atol, rtol = _tolerances(A, atol, rtol)
    return ops.LinalgPinv.apply(A, atol=atol, rtol=rtol, hermitian=hermitian)


def pinverse(input, rcond: float = 1e-15) -> Tensor:
    """torch.pinverse: linalg.pinv with rtol=rcond."""
    check_tensor(input, "pinverse", "input")
    return pinv(input, rtol=rcond)


LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")
FLOAT_OR_DOUBLE = "This function doesn't handle types other than float and double"


def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution of A X = B (min ‖A X - B‖), with torch's result fields:
    rank (not for 'gels'), singular_values ('gelsd', 'gelss') and residuals ‖A X - B‖²
    per column (when m > n, A has full rank and the driver is not the default 'gelsy')."""
    check_tensor(A, "linalg_lstsq", "input")
    check_tensor(B, "linalg_lstsq", "b", 2)
    if A.dtype not in (dtypes.float32, dtypes.float64) or B.dtype is not A.dtype:
        raise RuntimeError(FLOAT_OR_DOUBLE)
    driver = "gelsy" if driver is None else driver
    if driver not in LSTSQ_DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, "
                           "gelsy, gelsd, gelss)")
    vector = is_vector_rhs(A, B)
    matrix = B.unsqueeze(-1) if vector else B
    if matrix.shape[-2] != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    m, n = A.shape[-2], A.shape[-1]
    _, rtol = _tolerances(A, None, rcond if rcond is not None and rcond > 0 else None)
    solution = ops.LinalgLstsq.apply(A, matrix, rtol=rtol)
    xp = get_array_module(A._data)
    values = xp.linalg.svd(A._data, compute_uv=False)
    rank = (values > rtol * values[..., :1]).sum(axis=-1) if values.shape[-1] else \
        xp.zeros(A._data.shape[:-2], dtype=dtypes.int64.numpy)
    empty = A._make(xp.zeros((0,), dtype=A._data.dtype))
    residuals = empty
    if driver != "gelsy" and m > n and bool((rank == n).all()):
        residuals = (A.detach() @ solution.detach() - matrix.detach()).square().sum(-2)
        residuals = residuals.squeeze(-1) if vector else residuals
    singular = A._make(values) if driver in ("gelsd", "gelss") else empty
    rank = A._make(rank.astype(dtypes.int64.numpy)) if driver != "gels" else \
        A._make(xp.zeros((0,), dtype=dtypes.int64.numpy))
    return _Lstsq(solution.squeeze(-1) if vector else solution, residuals, rank, singular)


def matrix_rank(A, *, atol=None, rtol=None, hermitian: bool = False, out=None) -> Tensor:
    """The number of singular values (|eigenvalues| when hermitian) above max(atol, rtol · σ₁),
    as int64."""
    _check_tensor_of(A, "linalg_matrix_rank", "tol")
    if A._data.ndim < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least "
                           "2 dimensions.")
    if A.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError(FLOAT_OR_DOUBLE)
    atol, rtol = _tolerances(A, atol, rtol)
    xp = get_array_module(A._data)
    if hermitian:
        values = xp.abs(xp.linalg.eigh(A._data)[0])
    else:
        values = xp.linalg.svd(A._data, compute_uv=False)
    if values.shape[-1] == 0:
        return A._make(xp.zeros(A._data.shape[:-2], dtype=dtypes.int64.numpy))
    cutoff = xp.maximum(atol, rtol * values.max(axis=-1, keepdims=True))
    return A._make((values > cutoff).sum(axis=-1).astype(dtypes.int64.numpy))


METHODS = {"svd": svd, "pinverse": pinverse}
