"""The torch.* names of the linear algebra topic modules (decompositions.py, matrix_products.py,
spectral.py), gathered for the package __init__'s one import line; torch.linalg's names are in
tinygrad_edu/linalg.py."""
from __future__ import annotations

from .decompositions import cholesky, det, inverse, logdet, qr, slogdet
from .matrix_products import addbmm, addmv, addr, baddbmm, chain_matmul, cross, matrix_power
from .spectral import pinverse, svd

__all__ = ["addbmm", "addmv", "addr", "baddbmm", "chain_matmul", "cholesky", "cross", "det",
           "inverse", "logdet", "matrix_power", "pinverse", "qr", "slogdet", "svd"]
