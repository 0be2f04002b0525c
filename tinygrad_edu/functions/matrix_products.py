"""Products with torch's names, defaults and errors: addmv, addr, addbmm, baddbmm (and their
in-place forms), chain_matmul, linalg.multi_dot, matrix_power, cross, linalg.vecdot and
linalg.diagonal. The primitives are in product_ops.py.

    torch.addmv(b, A, v, beta=0.5, alpha=2.0)    # 0.5 b + 2 A v, one op
    torch.linalg.multi_dot([A, B, C])            # A @ B @ C
    torch.linalg.matrix_power(A, -2)             # (A⁻¹)²
"""
from __future__ import annotations

import warnings

from .. import dtypes
from ..autograd.inplace import adopt
from ..backend import get_array_module
from ..tensor import Tensor
from . import dtype_support as support
from . import product_ops as ops
from . import promotion
from ._args import wrap_dim
from .decompositions import check_tensor, invert, solve
from .linalg import _shape_text, matmul
from .pointwise import where


def _scalars(dtype, beta, alpha, strict: bool = False) -> tuple:
    """β and α for an integral result: truncated to integers (addmv, addbmm, baddbmm), or
    refused when floats (addr, strict)."""
    if dtype.is_floating_point or dtype is dtypes.bool_:
        return beta, alpha
    for value, name in ((alpha, "alpha"), (beta, "beta")):
        if strict and isinstance(value, float):
            raise RuntimeError(f"For integral input tensors, argument {name} must not be a "
                               "floating point number.")
    return int(beta), int(alpha)


def _check_tensors(function: str, **arguments) -> None:
    for position, (name, value) in enumerate(arguments.items()):
        check_tensor(value, function, name, position + 1)


def _expand_error(bias: Tensor, shape: tuple) -> None:
    """torch's error when `bias` does not broadcast to the product's shape."""
    if bias.ndim > len(shape):
        raise RuntimeError(f"{len(shape)}D tensor expected, got {bias.ndim}D tensor for input")
    for position in range(1, bias.ndim + 1):
        have, want = bias.shape[-position], shape[-position]
        if have not in (1, want):
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size "
                f"({have}) at non-singleton dimension {len(shape) - position}.  Target sizes: "
                f"{list(shape)}.  Tensor sizes: {list(bias.shape)}")


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None) -> Tensor:
    """β·input + α·(mat @ vec)"""
    _check_tensors("addmv", input=input, mat=mat, vec=vec)
    if input.ndim > 1 or mat.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, "
                           f"{vec.ndim}")
    n, k = mat.shape
    if k != vec.shape[0] or input.numel() not in (1, n):
        raise RuntimeError(f"size mismatch, got input ({input.shape[0] if input.ndim else 1}), "
                           f"mat ({n}x{k}), vec ({vec.shape[0]})")
    if not input.dtype is mat.dtype is vec.dtype:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{input.dtype.scalar_name}, {mat.dtype.scalar_name}, and "
                           f"{vec.dtype.scalar_name}")
    support.refuse(mat, "addmv_impl_cpu")
    beta, alpha = _scalars(mat.dtype, beta, alpha)
    return ops.Addmv.apply(input, mat, vec, beta=beta, alpha=alpha)


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None) -> Tensor:
    """β·input + α·(vec1 ⊗ vec2), in the promoted dtype of the three."""
    _check_tensors("addr", input=input, vec1=vec1, vec2=vec2)
    for value, name in ((vec1, "vec1"), (vec2, "vec2")):
        if value.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {value.ndim}-D")
    _expand_error(input, (vec1.shape[0], vec2.shape[0]))
    dtype = promotion.result_type(input, vec1, vec2)
    beta, alpha = _scalars(dtype, beta, alpha, strict=True)
    input, vec1, vec2 = (t if t.dtype is dtype else t.to(dtype) for t in (input, vec1, vec2))
    return ops.Addr.apply(input, vec1, vec2, beta=beta, alpha=alpha)


def _batches(batch1, batch2, function: str) -> None:
    for value, name in ((batch1, "batch1"), (batch2, "batch2")):
        if value.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    b, n, k = batch1.shape
    if function == "addbmm" and batch2.shape[0] != b:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {b} and "
                           f"{batch2.shape[0]}")
    if function == "addbmm" and batch2.shape[1] != k:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({n}x{k} and "
                           f"{_shape_text(batch2.shape[1:])})")
    if tuple(batch2.shape[:2]) != (b, k):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{b}, {k}] but got: [{batch2.shape[0]}, {batch2.shape[1]}].")


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None) -> Tensor:
    """β·input + α·Σᵢ batch1[i] @ batch2[i]"""
    _check_tensors("addbmm", input=input, batch1=batch1, batch2=batch2)
    if batch1.ndim < 3:
        wrap_dim(2, batch1.ndim)  # torch reads size(2) first: its IndexError
    _batches(batch1, batch2, "addbmm")
    _expand_error(input, (batch1.shape[1], batch2.shape[2]))
    for first, second, names in ((batch1, batch2, "mat1 and mat2"), (input, batch2,
                                                                      "self and mat2")):
        if first.dtype is not second.dtype:
            raise RuntimeError(f"{names} must have the same dtype, but got "
                               f"{first.dtype.scalar_name} and {second.dtype.scalar_name}")
    support.refuse(batch1, "addmm_impl_cpu_")
    beta, alpha = _scalars(batch1.dtype, beta, alpha)
    return ops.Addbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha)


class _Default(int):
    """1, as a default that can be told from a 1 that was passed (torch's TypeError lists the
    keyword arguments given)."""


_ONE = _Default(1)


def baddbmm(input, batch1, batch2, *, beta=_ONE, alpha=_ONE, out=None) -> Tensor:
    """β·input[i] + α·batch1[i] @ batch2[i], for each i"""
    if not isinstance(input, Tensor):
        given = [type(v).__name__ for v in (input, batch1, batch2)] + [
            f"{name}={type(v).__name__}" for name, v in (("alpha", alpha), ("beta", beta))
            if v is not _ONE]
        raise TypeError(f"baddbmm() received an invalid combination of arguments - got "
                        f"({', '.join(given)}), but expected one of:")
    _check_tensors("baddbmm", input=input, batch1=batch1, batch2=batch2)
    beta, alpha = (int(v) if v is _ONE else v for v in (beta, alpha))
    _batches(batch1, batch2, "baddbmm")
    _expand_error(input, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))
    if not input.dtype is batch1.dtype is batch2.dtype:
        short = {"float32": "float", "float64": "double"}
        raise RuntimeError("Input dtypes must be the same, got: " + ", ".join(
            f"{name}{short.get(t.dtype.name, t.dtype.name)}" for name, t in
            (("input ", input), ("batch1: ", batch1), ("batch2: ", batch2))))
    support.refuse(batch1, "baddbmm")
    beta, alpha = _scalars(batch1.dtype, beta, alpha)
    return ops.Baddbmm.apply(input, batch1, batch2, beta=beta, alpha=alpha)


def _in_place(function):
    """x.addmv_(...) & co.: the out-of-place result written into x, which must have its shape."""
    def method(self, first, second, *, beta=1, alpha=1):
        result = function(self, first, second, beta=beta, alpha=alpha)
        if tuple(result.shape) != tuple(self.shape):
            raise RuntimeError(f"Bad in-place call: input tensor size {list(self.shape)} and "
                               f"output tensor size {list(result.shape)} should match")
        return adopt(self, result, f"{function.__name__}_")
    method.__name__ = f"{function.__name__}_"
    return method


# ----------------------------------------------------------------------------- chains of products


def chain_matmul(*matrices, out=None) -> Tensor:
    """matrices[0] @ matrices[1] @ ... (deprecated in torch for linalg.multi_dot)."""
    warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch "
                  "release. Use torch.linalg.multi_dot instead, which accepts a list of two or "
                  "more tensors rather than multiple parameters.", UserWarning, stacklevel=2)
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    _elements_are_tensors(matrices)
    for matrix in matrices:
        if matrix.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {matrix.ndim}, expected 2 instead.")
    if len(matrices) == 1:
        return matrices[0].clone()
    return multi_dot(matrices)


def _elements_are_tensors(tensors) -> None:
    for position, value in enumerate(tensors):
        if not isinstance(value, Tensor):
            raise TypeError(f"expected Tensor as element {position} in argument 0, but got "
                            f"{type(value).__name__}")


def multi_dot(tensors, *, out=None) -> Tensor:
    """tensors[0] @ tensors[1] @ ...: the first may be a row vector and the last a column
    vector (1-d); the others are matrices. (Multiplied left to right: torch picks the cheapest
    order, which changes only the rounding.)"""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError("linalg_multi_dot(): argument 'tensors' (position 1) must be tuple of "
                        f"Tensors, not {type(tensors).__name__}")
    _elements_are_tensors(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first, last = tensors[0], tensors[-1]
    for tensor, which in ((first, "first"), (last, "last")):
        if tensor.ndim not in (1, 2):
            raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got "
                               f"{tensor.ndim}D")
    for position, tensor in enumerate(tensors[1:-1], 1):
        if tensor.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {position} must be 2D but got "
                               f"{tensor.ndim}D")
    short = {"float32": "float", "float64": "double", "int64": "long", "int32": "int"}
    matrices = [first.unsqueeze(0) if first.ndim == 1 else first, *tensors[1:-1],
                last.unsqueeze(-1) if last.ndim == 1 else last]
    for position, (left, right) in enumerate(zip(matrices, matrices[1:])):
        if right.dtype is not matrices[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor "
                               f"0 is {short.get(first.dtype.name, first.dtype.name)} and tensor "
                               f"{position + 1} {short.get(right.dtype.name, right.dtype.name)}")
        if left.shape[1] != right.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {position} and {position + 1} with shapes "
                               f"{list(tensors[position].shape)} and "
                               f"{list(tensors[position + 1].shape)} cannot be multiplied")
    result = matrices[0]
    for matrix in matrices[1:]:
        result = matmul(result, matrix)
    if first.ndim == 1:
        result = result.squeeze(0)
    return result.squeeze(-1) if last.ndim == 1 else result


def _matrix_power(A: Tensor, n, function: str) -> Tensor:
    check_tensor(A, function, "input")
    if isinstance(n, bool) or not hasattr(n, "__index__"):
        raise TypeError(f"{function}(): argument 'n' (position 2) must be int, not "
                        f"{type(n).__name__}")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 "
                           "dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but "
                           f"they are {A.shape[-2]} by {A.shape[-1]} matrices")
    n = n.__index__()
    if n == 0:  # the identity in A's shape; A gets a zero gradient, as from torch's copy
        identity = A._make(get_array_module(A._data).eye(A.shape[-1], dtype=A._data.dtype))
        return where(identity == identity, identity, A)
    if n < 0:
        A, n = invert(A), -n
    result = square = None
    while n > 0:  # binary powering, in torch's order of products
        square = A if square is None else matmul(square, square)
        if n % 2:
            result = square if result is None else matmul(result, square)
        n //= 2
    return result.clone() if result is A else result


def linalg_matrix_power(A, n, *, out=None) -> Tensor:
    """A @ A @ ... (n times); A⁰ is the identity, A⁻ⁿ = (A⁻¹)ⁿ."""
    return _matrix_power(A, n, "linalg_matrix_power")


def matrix_power(input, n) -> Tensor:
    return _matrix_power(input, n, "matrix_power")


# ----------------------------------------------------------------------------- vectors


def _broadcast(a: Tensor, b: Tensor) -> tuple:
    """a and b expanded to one shape, with torch's error naming the first clash."""
    ndim = max(a.ndim, b.ndim)
    shape = []
    for axis in range(ndim):
        sa = a.shape[axis - ndim + a.ndim] if axis >= ndim - a.ndim else 1
        sb = b.shape[axis - ndim + b.ndim] if axis >= ndim - b.ndim else 1
        if sa != sb and 1 not in (sa, sb):
            raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b "
                               f"({sb}) at non-singleton dimension {axis}")
        shape.append(max(sa, sb) if 0 not in (sa, sb) else 0)
    return tuple(t if tuple(t.shape) == tuple(shape) else t.expand(*shape) for t in (a, b))


def _cross(input: Tensor, other: Tensor, dim: int) -> Tensor:
    shown = dim
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    dim = wrap_dim(dim, max(input.ndim, other.ndim))
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.scalar_name} but found "
                           f"{other.dtype.scalar_name}")
    support.refuse(input, "cross")
    if input.shape[dim] != 3 or other.shape[dim] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {shown} must have length 3. Got "
                           f"{input.shape[dim]} and {other.shape[dim]}")
    a, b = _broadcast(input, other)
    return ops.LinalgCross.apply(a, b, dim=dim)


def linalg_cross(input, other, *, dim: int = -1, out=None) -> Tensor:
    """The cross product of 3-vectors along dim (the operands broadcast)."""
    check_tensor(input, "linalg_cross", "input")
    check_tensor(other, "linalg_cross", "other", 2)
    return _cross(input, other, dim)


def cross(input, other, dim=None, *, out=None) -> Tensor:
    """torch.cross: without dim, along the first dim of length 3 (deprecated in torch)."""
    check_tensor(input, "cross", "input")
    check_tensor(other, "cross", "other", 2)
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease "
                      "either pass the dim explicitly or simply use torch.linalg.cross.\nThe "
                      "default value of dim will change to agree with that of linalg.cross in a "
                      "future release.", UserWarning, stacklevel=2)
        shape = _broadcast(input, other)[0].shape
        dim = next((axis for axis, size in enumerate(shape) if size == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return _cross(input, other, dim)


def vecdot(x, y, *, dim: int = -1, out=None) -> Tensor:
    """Σ x·y along dim (the operands broadcast)."""
    check_tensor(x, "linalg_vecdot", "x")
    check_tensor(y, "linalg_vecdot", "y", 2)
    for value in (x, y):
        if not value.dtype.is_floating_point:
            raise RuntimeError("linalg.vecdot: Expected a floating point or complex tensor as "
                               f"input. Got {value.dtype.scalar_name}")
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found "
                           f"x of type {x.dtype.scalar_name} and y of type "
                           f"{y.dtype.scalar_name} instead")
    a, b = _broadcast(x, y)
    return (a * b).sum(dim)


def diagonal(A, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The diagonal (shifted by offset) of the matrices on dims (dim1, dim2), as a last dim
    (a copy here, where torch gives a view)."""
    check_tensor(A, "linalg_diagonal")
    axis1, axis2 = wrap_dim(dim1, A.ndim), wrap_dim(dim2, A.ndim)
    if axis1 == axis2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return ops.Diagonal.apply(A, offset=offset, dim1=axis1, dim2=axis2)


def _product(shape) -> int:
    total = 1
    for size in shape:
        total *= size
    return total


def tensorsolve(A, B, dims=None, *, out=None) -> Tensor:
    """X with tensordot(A, X, X.ndim) = B: A's trailing dims (after B.ndim) are X's shape;
    dims moves those of A's dims to the end first."""
    check_tensor(A, "linalg_tensorsolve", "input")
    check_tensor(B, "linalg_tensorsolve", "other", 2)
    if dims is not None:
        moved = [wrap_dim(d, A.ndim) for d in dims]
        A = A.permute(*[d for d in range(A.ndim) if d not in moved], *moved)
    rows, shape = _product(A.shape[:B.ndim]), tuple(A.shape[B.ndim:])
    if _product(shape) != rows:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[other.ndim:]) "
                           f"== prod(self.shape[:other.ndim]), but got {_product(shape)} != "
                           f"{rows}")
    return solve(A.reshape(rows, rows), B.reshape(rows)).reshape(shape)


def tensorinv(A, ind: int = 2, *, out=None) -> Tensor:
    """The inverse of A for tensordot over `ind` dims: shape A.shape[ind:] + A.shape[:ind]."""
    check_tensor(A, "linalg_tensorinv", "input")
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, columns = _product(A.shape[:ind]), _product(A.shape[ind:])
    if rows != columns:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {columns} != {rows}")
    return invert(A.reshape(rows, columns)).reshape(*A.shape[ind:], *A.shape[:ind])


METHODS = {"addmv": addmv, "addr": addr, "addbmm": addbmm, "baddbmm": baddbmm,
           **{f"{f.__name__}_": _in_place(f) for f in (addmv, addr, addbmm, baddbmm)},
           "matrix_power": matrix_power, "cross": cross}
