"""Reductions with torch's signatures: sum, mean, max, var, softmax, ..."""
from __future__ import annotations

import warnings
from collections import namedtuple

from .. import backend, dtypes
from ..ops import reduce as red
from ..ops.movement import ToCopy
from ..tensor import Tensor
from . import dtype_support as support
from . import reduction_ops as rdo
from ._args import invalid_combination, wrap_dim, wrap_dims
from .indexing import gather
from .linalg_ops import Svdvals
from .pointwise import maximum, minimum
from .shape import narrow

# torch.return_types.max & co: a named tuple, so `values, indices = torch.max(x, 1)` works
_ReturnMax = namedtuple("max", ["values", "indices"])
_ReturnMin = namedtuple("min", ["values", "indices"])


def _return_type_repr(self) -> str:
    return (f"torch.return_types.{type(self).__name__}(\nvalues={self.values!r},\n"
            f"indices={self.indices!r})")


_ReturnMax.__repr__ = _return_type_repr
_ReturnMin.__repr__ = _return_type_repr


def _accumulate_dtype(input: Tensor, dtype):
    """sum/prod/cumsum of integers or bools accumulate in int64, as torch."""
    if dtype is not None:
        return dtypes.as_dtype(dtype).numpy
    if input._data.dtype.kind in "biu":
        return dtypes.int64.numpy
    return None


def sum(input, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Σ of the elements over `dim` (all of them when dim is None)."""
    dims = wrap_dims(dim, input._data.ndim)
    op = red.Sum if dim is None else red.SumDim  # torch names the two SumBackward0 and 1
    return op.apply(input, dims=dims, keepdim=keepdim, dtype=_accumulate_dtype(input, dtype))


def mean(input, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Σ / n of the elements over `dim`."""
    if dtype is not None:
        input = input.to(dtypes.as_dtype(dtype))
    if input._data.dtype.kind != "f":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           "floating point or complex dtype. Got: "
                           f"{input.dtype.scalar_name}")
    op = red.Mean if dim is None else red.MeanDim
    dims = wrap_dims(dim, input._data.ndim)
    if input._data.size == 0:  # NaN for an empty slice, as torch, without NumPy's warning
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return op.apply(input, dims=dims, keepdim=keepdim)
    return op.apply(input, dims=dims, keepdim=keepdim)


def prod(input, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    dims = None if dim is None else wrap_dims(dim, input._data.ndim)
    return rdo.Prod.apply(input, dims=dims, keepdim=keepdim,
                          dtype=_accumulate_dtype(input, dtype))


def _refuse_empty(name: str, shape: tuple, dim) -> None:
    """max, amax, argmax and the min ones have no value for an empty slice: torch's errors.
    (torch words them a little differently: argmax's first is an IndexError, and amax names
    the dim as given, the others as wrapped.)"""
    if 0 not in shape:
        return
    if dim is None or dim == () or dim == []:
        if name.startswith("arg"):
            raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                             "input.numel() == 0.")
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                           "== 0. Specify the reduction dim with the 'dim' argument.")
    for given in dim if isinstance(dim, (tuple, list)) else (dim,):
        axis = wrap_dim(given, len(shape))
        if shape[axis] == 0:
            named = given if name in ("amax", "amin") else axis
            raise IndexError(f"{name}(): Expected reduction dim {named} to have non-zero size.")


def _reduce_extreme(input, dim, keepdim, largest: bool):
    data = input._data
    if isinstance(dim, Tensor):  # torch.max(a, b): the elementwise maximum (no keepdim)
        if keepdim is not False:
            invalid_combination("max" if largest else "min", input, dim, keepdim)
        return maximum(input, dim) if largest else minimum(input, dim)
    _refuse_empty("max" if largest else "min", data.shape, dim)
    if dim is None:
        op = rdo.MaxAll if largest else rdo.MinAll
        return op.apply(input, largest=largest)
    axis = wrap_dim(dim, data.ndim)
    op = rdo.MaxDim if largest else rdo.MinDim
    values, indices = op.apply(input, dim=axis, keepdim=keepdim, largest=largest)
    return (_ReturnMax if largest else _ReturnMin)(values, indices)


def max(input, dim=None, keepdim: bool = False):
    """max(x): the largest element; max(x, dim): (values, indices); max(x, y): elementwise."""
    return _reduce_extreme(input, dim, keepdim, largest=True)


def min(input, dim=None, keepdim: bool = False):
    return _reduce_extreme(input, dim, keepdim, largest=False)


def amax(input, dim=(), keepdim: bool = False) -> Tensor:
    """Largest elements over `dim`; ties share the gradient equally."""
    _refuse_empty("amax", input._data.shape, dim)
    return red.Amax.apply(input, dims=wrap_dims(dim, input._data.ndim), keepdim=keepdim)


def amin(input, dim=(), keepdim: bool = False) -> Tensor:
    _refuse_empty("amin", input._data.shape, dim)
    return rdo.Amin.apply(input, dims=wrap_dims(dim, input._data.ndim), keepdim=keepdim,
                          largest=False)


def _arg_extreme(input, dim, keepdim, largest):
    name = "argmax" if largest else "argmin"
    support.refuse_with(input, support.BOOL, f"{name}(): does not support bool input")
    data = input._data
    _refuse_empty(name, data.shape, dim)
    if dim is None:
        flat = data.reshape(-1)
        index = flat.argmax() if largest else flat.argmin()
        array = backend.get_array_module(data).asarray(index, dtype=dtypes.int64.numpy)
        if keepdim:
            array = array.reshape((1,) * data.ndim)
        return Tensor._make(array)
    axis = wrap_dim(dim, data.ndim)
    if data.ndim == 0:
        return Tensor._make(backend.get_array_module(data).zeros((), dtype=dtypes.int64.numpy))
    index = data.argmax(axis=axis, keepdims=keepdim) if largest else \
        data.argmin(axis=axis, keepdims=keepdim)
    return Tensor._make(index.astype(dtypes.int64.numpy, copy=False))


def argmax(input, dim=None, keepdim: bool = False) -> Tensor:
    """Index of the largest element (of the flattened tensor when dim is None)."""
    return _arg_extreme(input, dim, keepdim, largest=True)


def argmin(input, dim=None, keepdim: bool = False) -> Tensor:
    return _arg_extreme(input, dim, keepdim, largest=False)


def _legacy_unbiased(dim, unbiased) -> tuple:
    """var(input, True): in torch's old signature a positional bool is `unbiased`, not a dim."""
    return (None, dim) if isinstance(dim, bool) else (dim, unbiased)


def _variance(name: str, input, dim, unbiased, keepdim, correction) -> Tensor:
    """Σ (x - mean)² / (n - correction); correction=1 (unbiased) by default."""
    subject = "std and var" if name in ("std", "var") else name
    support.refuse_with(input, support.INTEGRAL,
                        f"{subject} only support floating point and complex dtypes")
    dim, unbiased = _legacy_unbiased(dim, unbiased)
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    dims = wrap_dims(dim, input._data.ndim)
    count = 1  # torch's reduction factor: input numel / output numel (0 for an empty input)
    for axis, size in enumerate(input._data.shape):
        if dims is None or axis in dims or size == 0:
            count *= size
    centered = input - mean(input, dims, keepdim=True)
    total = sum(centered * centered, dims, keepdim=keepdim)
    if count - correction > 0:
        return total / (count - correction)
    warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less "
                  "than the reduction factor (input numel divided by output numel).",
                  UserWarning, stacklevel=3)
    return total / 0.0


def var(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """Σ (x - mean)² / (n - correction); correction=1 (unbiased) by default."""
    return _variance("var", input, dim, unbiased, keepdim, correction)


def std(input, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> Tensor:
    """√var"""
    return _variance("std", input, dim, unbiased, keepdim, correction).sqrt()


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    dim, unbiased = _legacy_unbiased(dim, unbiased)
    variance = _variance("var_mean", input, dim, unbiased, keepdim, correction)
    return variance, mean(input, dim, keepdim)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    dim, unbiased = _legacy_unbiased(dim, unbiased)
    deviation = _variance("std_mean", input, dim, unbiased, keepdim, correction).sqrt()
    return deviation, mean(input, dim, keepdim)


def norm(input, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """The p-norm over `dim` ('fro' and 2 are the Euclidean norm; also 1, inf, 0, any p)."""
    if p == "fro" or p is None:
        p = 2.0
    if p == "nuc":
        return _nuclear_norm(input, dim, keepdim)
    if isinstance(p, str):
        raise RuntimeError(f"norm(): unsupported norm type {p!r}")
    if input._data.dtype.kind != "f":
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {input.dtype.scalar_name}")
    dims = wrap_dims(dim, input._data.ndim)
    if input._data.size == 0 and (p < 0 or p == float("inf")):  # these have no identity
        _refuse_empty_norm(p, input._data.shape, dims)
    return rdo.Norm.apply(input, p=float(p), dims=dims, keepdim=keepdim)


def _refuse_empty_norm(p, shape, dims) -> None:
    if dims is None:
        raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on an empty tensor "
                           "because the operation does not have an identity")
    for axis in dims:
        if shape[axis] == 0:  # (torch's message lacks the space before 'because')
            raise RuntimeError(f"linalg.vector_norm cannot compute the {p:g} norm on the "
                               f"dimension {axis}because this dimension is empty and the "
                               "operation does not have an identity")


def _nuclear_norm(input, dim, keepdim) -> Tensor:
    """Σ of the singular values of the matrices spanned by the two dims `dim`."""
    ndim = input._data.ndim
    dims = tuple(range(ndim)) if dim is None else wrap_dims(dim, ndim)
    if len(dims) != 2 or dims[0] == dims[1]:
        raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got "
                           + " ".join(str(d) for d in dims))
    if input._data.dtype.kind != "f":
        raise RuntimeError("linalg.matrix_norm: Expected a floating point or complex tensor as "
                           f"input. Got {input.dtype.scalar_name}")
    rest = [d for d in range(ndim) if d not in dims]
    values = Svdvals.apply(input.permute(*rest, *dims)).sum(-1)
    if keepdim:
        for d in sorted(dims):
            values = values.unsqueeze(d)
    return values


def logsumexp(input, dim, keepdim: bool = False) -> Tensor:
    """log Σ exp(x) over dim, without overflow."""
    if input._data.dtype.kind != "f":
        input = ToCopy.apply(input, dtype=dtypes.get_default_dtype().numpy)
    if input._data.size == 0:  # log Σ over nothing is log 0 = -inf (the shift needs a max)
        return input.exp().sum(dim, keepdim).log()
    return rdo.LogSumExp.apply(input, dims=wrap_dims(dim, input._data.ndim), keepdim=keepdim)


def _softmax_input(input, dim, dtype, name):
    if dim is None:
        raise TypeError(f"{name}() missing 1 required positional argument: 'dim'")
    if dtype is not None:
        input = input.to(dtypes.as_dtype(dtype))
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{name}_lastdim_kernel_impl\" not implemented for "
                                  f"'{input.dtype.scalar_name}'")
    return input, wrap_dim(dim, input._data.ndim) if input._data.ndim else None


def softmax(input, dim=None, dtype=None) -> Tensor:
    """exp(x) / Σ exp(x) along dim."""
    input, axis = _softmax_input(input, dim, dtype, "softmax")
    return rdo.Softmax.apply(input, dim=axis)


def log_softmax(input, dim=None, dtype=None) -> Tensor:
    """x - log Σ exp(x) along dim (fused and stable)."""
    input, axis = _softmax_input(input, dim, dtype, "log_softmax")
    return rdo.LogSoftmax.apply(input, dim=axis)


def cumsum(input, dim, *, dtype=None) -> Tensor:
    axis = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0:
        return input.clone()
    return rdo.Cumsum.apply(input, dim=axis, dtype=_accumulate_dtype(input, dtype))


def cumprod(input, dim, *, dtype=None) -> Tensor:
    """Π of the first i elements along dim."""
    axis = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0:
        return input.clone()
    return rdo.Cumprod.apply(input, dim=axis, dtype=_accumulate_dtype(input, dtype))


def all(input, dim=None, keepdim: bool = False) -> Tensor:
    return Tensor._make(input._data.all(axis=wrap_dims(dim, input._data.ndim), keepdims=keepdim))


def any(input, dim=None, keepdim: bool = False) -> Tensor:
    return Tensor._make(input._data.any(axis=wrap_dims(dim, input._data.ndim), keepdims=keepdim))


def count_nonzero(input, dim=None) -> Tensor:
    xp = backend.get_array_module(input._data)
    counted = xp.count_nonzero(input._data, axis=wrap_dims(dim, input._data.ndim))
    return Tensor._make(xp.asarray(counted, dtype=dtypes.int64.numpy))


def sort(input, dim: int = -1, descending: bool = False, stable: bool = False):
    """(values, indices) sorted along dim; the gradient follows the indices."""
    axis = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0:  # sorted as a tensor of size 1, and 0-d again
        values, indices = sort(input.reshape(1), 0, descending, stable)
        return namedtuple("sort", ["values", "indices"])(values.reshape(()), indices.reshape(()))
    xp = backend.get_array_module(input._data)
    data = input._data  # descending: sort by a key that reverses the order (~ for integers,
    key = (-data if data.dtype.kind == "f" else ~data) if descending else data  # no overflow)
    order = xp.argsort(key, axis=axis, kind="stable")
    indices = Tensor._make(order.astype(dtypes.int64.numpy, copy=False))
    values = gather(input, axis, indices)
    return namedtuple("sort", ["values", "indices"])(values, indices)


def argsort(input, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    return sort(input, dim, descending, stable).indices


def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    axis = wrap_dim(dim, input._data.ndim)
    if not 0 <= k <= (input._data.shape[axis] if input._data.ndim else 1):
        raise RuntimeError("selected index k out of range")
    support.refuse_with(input, support.BOOL, "topk does not support bool dtypes on CPU")
    result = sort(input, dim, descending=largest)
    if input._data.ndim == 0:  # torch gives the one element back, 0-d, for k = 0 or 1
        return namedtuple("topk", ["values", "indices"])(*result)
    return namedtuple("topk", ["values", "indices"])(narrow(result.values, axis, 0, k),
                                                     narrow(result.indices, axis, 0, k))
