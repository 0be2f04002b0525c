"""Matrix products with torch's rank rules and error messages."""
from __future__ import annotations

from ..ops import linalg as la
from ..tensor import Tensor
from . import dtype_support as support
from . import linalg_ops as lao
from ._args import maybe_out


def _same_dtype(kernel: str, a: Tensor, b: Tensor) -> None:
    """The checks every matrix product makes once the shapes fit: one dtype, one device, and
    a dtype that torch's `kernel` (which computes the product) has a version for: not bool."""
    if a._data.dtype != b._data.dtype:
        short = {"float32": "float", "float64": "double", "int64": "long", "int32": "int"}
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{short.get(a.dtype.name, a.dtype.name)} != "
                           f"{short.get(b.dtype.name, b.dtype.name)}")
    if type(a._data) is not type(b._data):
        raise RuntimeError("Expected all tensors to be on the same device, but found at least two "
                           f"devices, {a.device} and {b.device}!")
    support.refuse(a, kernel)


def _shape_text(shape) -> str:
    return "x".join(str(s) for s in shape)


def mm(input, mat2, *, out=None) -> Tensor:
    """Matrix product of two matrices."""
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input._data.shape[1] != mat2._data.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({_shape_text(input.shape)} and {_shape_text(mat2.shape)})")
    _same_dtype("addmm_impl_cpu_", input, mat2)
    return maybe_out(la.Mm.apply(input, mat2), out, "mm")


def bmm(input, mat2, *, out=None) -> Tensor:
    """Batched matrix product: out[i] = input[i] @ mat2[i]."""
    if input._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    b, n, k = input._data.shape
    if mat2._data.shape[:2] != (b, k):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{b}, {k}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    _same_dtype("bmm", input, mat2)
    return maybe_out(la.Bmm.apply(input, mat2), out, "bmm")


def mv(input, vec) -> Tensor:
    if input._data.ndim != 2 or vec._data.ndim != 1 or input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input.shape[0] if input.ndim else 0}), "
                           f"mat ({_shape_text(input.shape)}), vec ({_shape_text(vec.shape)})")
    _same_dtype("addmv_impl_cpu", input, vec)
    return lao.Mv.apply(input, vec)


def dot(input, tensor) -> Tensor:
    if input._data.ndim != 1 or tensor._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D "
                           "tensors")
    if input._data.shape != tensor._data.shape:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
                           f"[{tensor.shape[0]}] to have the same number of elements, but got "
                           f"{input.shape[0]} and {tensor.shape[0]} elements respectively")
    _same_dtype("dot", input, tensor)
    return lao.Dot.apply(input, tensor)


def matmul(input, other, *, out=None) -> Tensor:
    """The @ operator: dot, matrix-vector, matrix-matrix or batched, by the operands' ranks."""
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if out is not None:
        return maybe_out(matmul(input, other), out, "matmul")
    a_dim, b_dim = input._data.ndim, other._data.ndim
    if a_dim == 0 or b_dim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a_dim}D and {b_dim}D")
    if a_dim == 2 and b_dim == 2:
        return mm(input, other)
    if a_dim == 1 and b_dim == 1:
        return dot(input, other)
    if a_dim == 2 and b_dim == 1:
        return mv(input, other)
    # torch folds the batch into rows when other is a vector or a matrix: mv or mm, else bmm
    _same_dtype({1: "addmv_impl_cpu", 2: "addmm_impl_cpu_"}.get(b_dim, "bmm"), input, other)
    inner_a = input._data.shape[-1]
    inner_b = other._data.shape[-2] if b_dim > 1 else other._data.shape[0]
    if inner_a != inner_b:
        left = input._data.shape[-2:] if a_dim > 1 else (1, inner_a)
        right = other._data.shape[-2:] if b_dim > 1 else (inner_b, 1)
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_shape_text(left)} and "
                           f"{_shape_text(right)})")
    try:
        return la.Matmul.apply(input, other)
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({input.shape[0]}) must match the size of "
                           f"tensor b ({other.shape[0]}) at non-singleton dimension 0") from None


def addmm(input, mat1, mat2, *, beta=1, alpha=1) -> Tensor:
    """beta * input + alpha * (mat1 @ mat2), one fused op (what nn.Linear uses)."""
    if mat1._data.ndim != 2 or mat2._data.ndim != 2 or mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({_shape_text(mat1.shape)} and {_shape_text(mat2.shape)})")
    _same_dtype("addmm_impl_cpu_", mat1, mat2)
    return lao.Addmm.apply(input, mat1, mat2, beta=beta, alpha=alpha)


def outer(input, vec2) -> Tensor:
    """out[i][j] = input[i] * vec2[j]"""
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer

