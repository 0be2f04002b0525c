"""torch.sparse: products and sums of sparse COO tensors (stored dense here; see
functions/sparse_coo.py)."""
from __future__ import annotations

from .functions.sparse_coo import SparseTensor, spmm

__all__ = ["SparseTensor", "addmm", "mm", "sum"]


def mm(mat1, mat2):
    """sparse @ dense: the gradient reaches mat2, and mat1 at its stored positions only (torch
    gives mat1 a sparse gradient with mat1's pattern; torch.spmm and @ give it all of it)."""
    return spmm(_masked(mat1), mat2)


def addmm(mat, mat1, mat2, *, beta: float = 1.0, alpha: float = 1.0):
    """beta · mat + alpha · (mat1 @ mat2), mat1 sparse (its gradient masked, as in mm)."""
    return beta * mat + alpha * spmm(_masked(mat1), mat2)


def _masked(mat):
    return mat.to_dense() if isinstance(mat, SparseTensor) else mat


def sum(input, dim=None, dtype=None):  # noqa: A001 - torch.sparse.sum
    """The sum of the stored values (all of them, or over `dim`), as a dense tensor."""
    dense = input.to_dense()
    total = dense.sum(dtype=dtype) if dim is None else dense.sum(dim, dtype=dtype)
    return total
