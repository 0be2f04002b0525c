"""Tensors made from several: the stacks (hstack, vstack, dstack, column_stack), atleast_1d/2d/3d,
broadcast_tensors, meshgrid, block_diag, cartesian_prod and combinations.

All are composed from reshape, expand, cat, stack and indexing, so their gradients are those
primitives' own.
"""
from __future__ import annotations

import itertools
import warnings

from ..backend import get_array_module
from ..tensor import Tensor
from . import promotion
from ._args import broadcast_shapes
from .creation import zeros
from .shape import cat, expand, reshape, stack

__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "block_diag", "broadcast_tensors",
           "cartesian_prod", "column_stack", "combinations", "dstack", "hstack", "meshgrid",
           "row_stack", "vstack"]

# ----------------------------------------------------------------------------- at least n dims


def check_tensors(tensors, argument: int = 0) -> None:
    """torch's TypeError for a sequence argument with something other than a tensor in it."""
    for position, tensor in enumerate(tensors):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"expected Tensor as element {position} in argument {argument}, but "
                            f"got {type(tensor).__name__}")


def _atleast(least: int, reshaped):
    """atleast_nd(x) -> x with at least `least` dims; (x, y) or [x, y] -> a tuple of them."""
    def atleast(*tensors):
        if len(tensors) == 1 and isinstance(tensors[0], Tensor):
            tensor = tensors[0]
            return tensor if tensor._data.ndim >= least else reshaped(tensor)
        if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
            tensors = tuple(tensors[0])
        check_tensors(tensors)
        return tuple(atleast(tensor) for tensor in tensors)
    atleast.__name__ = f"atleast_{least}d"
    return atleast


def _as_3d(tensor):
    ndim = tensor._data.ndim
    return reshape(tensor, (1, 1, 1)) if ndim == 0 else \
        tensor.unsqueeze(0).unsqueeze(-1) if ndim == 1 else tensor.unsqueeze(-1)


atleast_1d = _atleast(1, lambda tensor: reshape(tensor, 1))
atleast_2d = _atleast(2, lambda tensor: reshape(tensor, (1, 1)) if tensor._data.ndim == 0
                      else tensor.unsqueeze(0))
atleast_3d = _atleast(3, _as_3d)

# ----------------------------------------------------------------------------- stacks


def _tensor_list(tensors, name: str) -> list:
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        "not Tensor")
    tensors = list(tensors)
    check_tensors(tensors)
    if not tensors:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return tensors


def hstack(tensors, *, out=None) -> Tensor:
    """Join along the columns (dim 1), or along dim 0 for 1-d tensors (0-d ones become 1-d)."""
    tensors = atleast_1d(_tensor_list(tensors, "hstack"))
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None) -> Tensor:
    """Join along the rows (dim 0), 0-d and 1-d tensors counting as rows."""
    return cat(atleast_2d(_tensor_list(tensors, "vstack")), 0, out=out)


row_stack = vstack


def dstack(tensors, *, out=None) -> Tensor:
    """Join along the depth (dim 2), each tensor made at least 3-d first."""
    return cat(atleast_3d(_tensor_list(tensors, "dstack")), 2, out=out)


def column_stack(tensors, *, out=None) -> Tensor:
    """Join columns: 0-d and 1-d tensors become columns (n, 1), others join along dim 1."""
    tensors = _tensor_list(tensors, "column_stack")
    columns = [reshape(t, (t._data.size, 1)) if t._data.ndim <= 1 else t for t in tensors]
    return cat(columns, 1, out=out)

# ----------------------------------------------------------------------------- grids


def broadcast_tensors(*tensors) -> tuple:
    """Every tensor expanded (a view) to the shape they broadcast to together."""
    check_tensors(tensors)
    shape = tuple(broadcast_shapes(*(tuple(t.shape) for t in tensors)))
    return tuple(t if tuple(t.shape) == shape else expand(t, shape) for t in tensors)


def meshgrid(*tensors, indexing: str | None = None) -> tuple:
    """Coordinate grids of 1-d tensors: output i varies along axis i and repeats along the others
    ('ij'); 'xy' swaps the roles of the first two axes, as for (x, y) image coordinates."""
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: '
                           f"{indexing}")
    check_tensors(tensors)
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for tensor in tensors:
        if tensor._data.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got: {tensor}")
        if tensor.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) > 1:
        axes[0], axes[1] = 1, 0
    shape = [0] * len(tensors)
    for tensor, axis in zip(tensors, axes):
        shape[axis] = tensor._data.size
    grids = []
    for tensor, axis in zip(tensors, axes):
        column = [1] * len(tensors)
        column[axis] = -1
        grids.append(expand(reshape(tensor, column), shape))
    return tuple(grids)


def cartesian_prod(*tensors) -> Tensor:
    """Every tuple (a[i], b[j], ...) of the 1-d tensors' elements, one per row, in order."""
    check_tensors(tensors)
    for tensor in tensors:
        if tensor._data.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(tensor.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([reshape(grid, -1) for grid in grids], 1)


def combinations(input, r: int = 2, with_replacement: bool = False) -> Tensor:
    """Every r-element combination of a 1-d tensor's elements, in order, one per row
    (Python's itertools.combinations, or combinations_with_replacement)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"combinations(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if input._data.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    xp = get_array_module(input._data)
    if r == 0:
        return Tensor._make(xp.empty((0,), dtype=input._data.dtype))
    choose = itertools.combinations_with_replacement if with_replacement else \
        itertools.combinations
    rows = list(choose(range(input._data.shape[0]), r))
    columns = xp.asarray(rows, dtype=xp.int64).reshape(len(rows), r).T
    return stack([input[Tensor._make(column)] for column in columns], 1)


def block_diag(*tensors) -> Tensor:
    """The tensors (0-d, 1-d as a row, or 2-d) placed along the diagonal of one matrix, zeros
    elsewhere, in their common dtype."""
    check_tensors(tensors)
    for position, tensor in enumerate(tensors):
        if tensor._data.ndim > 2:
            raise RuntimeError("torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {position} has {tensor.ndim} dimensions")
    if not tensors:
        return zeros(1, 0)
    dtype = promotion.result_type(*tensors) if len(tensors) > 1 else tensors[0].dtype
    blocks = [reshape(t, (1, 1)) if t._data.ndim == 0 else atleast_2d(t) for t in tensors]
    width = sum(block._data.shape[1] for block in blocks)
    rows, left = [], 0
    for block in blocks:
        height, columns = block._data.shape
        rows.append(cat([block.new_zeros((height, left), dtype=dtype), block.to(dtype),
                         block.new_zeros((height, width - left - columns), dtype=dtype)], 1))
        left += columns
    return cat(rows, 0)
