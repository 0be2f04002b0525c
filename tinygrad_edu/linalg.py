"""torch.linalg: inverses, determinants, solves, factorizations, norms and products of matrices,
under torch.linalg's names (the functions live in functions/: decompositions.py, spectral.py,
norms.py and matrix_products.py; their primitives beside them, in the *_ops.py files).

    import tinygrad_edu as torch
    A = torch.randn(3, 3, dtype=torch.float64)
    torch.linalg.solve(A, torch.ones(3))          # x with A x = 1
    U, S, Vh = torch.linalg.svd(A)                # A = U diag(S) Vh
    torch.linalg.matrix_norm(A, ord="nuc")        # Σ S
"""
from __future__ import annotations

from .functions.decompositions import _LinAlgError as LinAlgError
from .functions.decompositions import cholesky_ex, inv, inv_ex, solve
from .functions.decompositions import linalg_cholesky as cholesky
from .functions.decompositions import linalg_det as det
from .functions.decompositions import linalg_qr as qr
from .functions.decompositions import linalg_slogdet as slogdet
from .functions.linalg import matmul
from .functions.matrix_products import diagonal, multi_dot, tensorinv, tensorsolve, vecdot
from .functions.matrix_products import linalg_cross as cross
from .functions.matrix_products import linalg_matrix_power as matrix_power
from .functions.norms import matrix_norm, norm, vector_norm
from .functions.spectral import eigh, eigvalsh, lstsq, matrix_rank, pinv, svdvals
from .functions.spectral import linalg_svd as svd

__all__ = ["LinAlgError", "cholesky", "cholesky_ex", "cross", "det", "diagonal", "eigh",
           "eigvalsh", "inv", "inv_ex", "lstsq", "matmul", "matrix_norm", "matrix_power",
           "matrix_rank", "multi_dot", "norm", "pinv", "qr", "slogdet", "solve", "svd", "svdvals",
           "tensorinv", "tensorsolve", "vecdot", "vector_norm"]
