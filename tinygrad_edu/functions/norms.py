"""torch.linalg's norms: vector_norm, matrix_norm and norm (which picks one of the two by ord
and dim), with torch's defaults and errors. Vector norms are reduction.norm's fused op; matrix
norms are written from it, from sums and maxima of |A|, and from the singular values.

    torch.linalg.vector_norm(x, ord=3)        # (Σ |x|³)^(1/3) over all elements
    torch.linalg.matrix_norm(A, ord="nuc")    # Σ singular values
    torch.linalg.matrix_norm(A, ord=1)        # the largest column sum of |A|
"""
from __future__ import annotations

import math

from .. import dtypes
from ..tensor import Tensor
from . import promotion, reduction
from ._args import wrap_dim
from .decompositions import check_tensor
from .spectral import svdvals

MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def _as_dtype(x: Tensor, dtype, name: str) -> Tensor:
    if dtype is None:
        return x
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating_point:
        raise RuntimeError(f"{name}: dtype should be floating point or complex, but got "
                           f"{dtype.scalar_name}")
    if promotion.promote_types(x.dtype, dtype) is not dtype:
        raise RuntimeError(f"{name}: the dtype of the input ({x.dtype.scalar_name}) should be "
                           f"convertible without narrowing to the specified dtype "
                           f"({dtype.scalar_name})")
    return x.to(dtype)


def _floating(x: Tensor, name: str) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{x.dtype.scalar_name}")


def vector_norm(x, ord=2, dim=None, keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """(Σ |x|^ord)^(1/ord) over dim (all dims when None); ord inf / -inf: max / min |x|,
    ord 0: the number of non-zero elements."""
    check_tensor(x, "linalg_vector_norm", "input")
    if isinstance(ord, str) or not isinstance(ord, (int, float)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not "
                        f"{type(ord).__name__}")
    _floating(x, "linalg.vector_norm")
    x = _as_dtype(x, dtype, "linalg.vector_norm")
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None and keepdim:
        dim = tuple(range(x.ndim))
    return reduction.norm(x, ord, dim, keepdim)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None,
                out=None) -> Tensor:
    """The norm of the matrices on dims `dim`: 'fro' (√Σ a²), 'nuc' (Σ σ), 2 / -2 (largest /
    smallest σ), 1 / -1 (largest / smallest column sum of |A|), inf / -inf (row sums)."""
    check_tensor(A, "linalg_matrix_norm", "input")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    _floating(A, "linalg.matrix_norm")
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if len(dims) != 2:
        raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got "
                           + " ".join(str(d) for d in dims))
    first, second = (wrap_dim(d, A.ndim) for d in dims)
    if first == second:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dims[0]}, "
                           f"{dims[1]})")
    if ord not in MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    A = _as_dtype(A, dtype, "linalg.matrix_norm")
    if ord == "fro":
        return reduction.norm(A, 2, (first, second), keepdim)
    if ord in ("nuc", 2, -2):
        if A.dtype is dtypes.float16:
            raise RuntimeError("linalg.matrix_norm: Low precision dtypes not supported. Got Half")
        rest = [d for d in range(A.ndim) if d not in (first, second)]
        values = svdvals(A.permute(*rest, first, second))
        result = values.sum(-1) if ord == "nuc" else values.amax(-1) if ord == 2 else \
            values.amin(-1)
        for d in sorted((first, second)) if keepdim else ():
            result = result.unsqueeze(d)
        return result
    summed, extreme = (first, second) if abs(ord) == 1 else (second, first)
    sums = A.abs().sum(summed, keepdim=True)
    result = sums.amax(extreme, keepdim=True) if ord > 0 else sums.amin(extreme, keepdim=True)
    return result if keepdim else result.squeeze((first, second))


def norm(A, ord=None, dim=None, keepdim: bool = False, *, dtype=None, out=None) -> Tensor:
    """vector_norm for an int dim (or a 1-d A), matrix_norm for two dims (or a 2-d A, or a
    string ord); without ord and dim, the 2-norm of all the elements."""
    if not isinstance(A, Tensor) and (ord, dim) != (None, None):  # (torch's words when the
        given = ", ".join(type(v).__name__ for v in (A, ord, dim))  # three were passed)
        raise TypeError(f"linalg_norm() received an invalid combination of arguments - got "
                        f"({given}), but expected one of:")
    check_tensor(A, "linalg_norm", "input")
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                               f"Got {list(dims)}")
        if len(dims) == 1:
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
        return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A.ndim}D.")
    if A.ndim == 1 and not isinstance(ord, str):
        return vector_norm(A, ord, None, keepdim, dtype=dtype)
    return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
