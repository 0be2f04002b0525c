"""embedding_bag: the rows of an embedding table looked up and reduced per bag (sum, mean or max)
without materialising the looked-up rows per bag first.

The bags are consecutive pieces of a 1-d index tensor, bag b starting at offsets[b] (or the rows
of a 2-d index tensor). Composed of embedding (the lookup, and its gradient into the table) and
one matrix product: for sum and mean, out = M @ rows with M[b, i] = 1 (or 1 / |bag b|) when
entry i belongs to bag b, so the gradient flows back through the product. Max mode gathers
each bag's rows into a (bags, longest bag, dim) block padded with -inf and takes its max.
Entries equal to padding_idx belong to no bag (nor count in a mean); an empty bag gives zeros.
"""
from __future__ import annotations

import warnings

from ...backend import CPU, get_array_module, to_device
from ...functions.creation import full
from ...functions.shape import cat
from ...tensor import Tensor
from ._args import check_tensor
from .activation import _constant
from .sparse import Embedding, _renorm_rows

__all__ = ["embedding_bag"]


def _tensor_type(value: Tensor) -> str:
    return f"torch.{value.dtype.scalar_name}Tensor"


def _check_dtypes(input: Tensor, offsets: Tensor, weight: Tensor, per_sample_weights) -> None:
    for name, value in (("indices", input), ("offsets", offsets)):
        if value.dtype.name not in ("int64", "int32"):
            raise RuntimeError(f"Expected tensor for argument #1 '{name}' to have one of the "
                               "following scalar types: Long, Int; but got "
                               f"{_tensor_type(value)} instead (while checking arguments for "
                               "embedding_bag)")
    if not weight.is_floating_point():
        raise RuntimeError("Expected tensor for argument #1 'weight' to have one of the "
                           "following scalar types: Half, BFloat16, Float, Double; but got "
                           f"{_tensor_type(weight)} instead (while checking arguments for "
                           "embedding_bag)")
    if per_sample_weights is not None and per_sample_weights.dtype != weight.dtype:
        raise RuntimeError("Expected tensor for argument #1 'weight' to have the same type as "
                           "tensor for argument #1 'per_sample_weights'; but type "
                           f"{_tensor_type(weight)} does not equal "
                           f"{_tensor_type(per_sample_weights)} (while checking arguments for "
                           "embedding_bag)")


def _bags(starts, count: int, include_last_offset: bool, xp):
    """Each entry's bag (-1 for entries after the last bag's end) and the number of bags."""
    bags = len(starts) - 1 if include_last_offset else len(starts)
    ends = list(starts[1:]) if include_last_offset else list(starts[1:]) + [count]
    owner = xp.full(count, -1, dtype=xp.int64)
    for b in range(bags):
        owner[starts[b]:ends[b]] = b
    return owner, bags


def _max_bags(rows: Tensor, owner, bags: int, xp) -> Tensor:
    """Each bag's elementwise max (0 for an empty bag): rows gathered into a block padded with a
    -inf row, then max over the bag axis (its gradient goes to the first largest entry)."""
    members = [xp.nonzero(owner == b)[0] for b in range(bags)]
    longest = max((len(m) for m in members), default=0)
    width = rows.shape[1]
    if longest == 0:  # every bag empty: zeros, still connected to the weight (as torch's)
        return _constant(xp.zeros((bags, rows.shape[0]), dtype=rows._data.dtype)) @ rows
    sentinel = rows.shape[0]  # the index of the -inf row
    block = xp.full((bags, longest), sentinel, dtype=xp.int64)
    for b, m in enumerate(members):
        block[b, :len(m)] = m
    padded = cat([rows, full((1, width), float("-inf"), dtype=rows.dtype, device=rows.device)])
    values = padded[_constant(block)].max(1).values
    empty = xp.asarray([len(m) == 0 for m in members])[:, None]
    return values.masked_fill(_constant(empty), 0.0)


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None,
                  max_norm: float | None = None, norm_type: float = 2,
                  scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """(bags, dim): each bag's rows of weight summed, averaged or maxed (see the module doc)"""
    check_tensor(input, "embedding_bag")
    check_tensor(weight, "embedding_bag", "weight", 2)
    if weight.dtype.name == "int64" and input.is_floating_point():
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage "
                      "`embedding_bag(weight, input, ...)` is deprecated, and should now be "
                      "`embedding_bag(input, weight, ...)`.", UserWarning, stacklevel=2)
        weight, input = input, weight
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is "
                         "not None, then it must have the same shape as the input "
                         f"({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                         f"{weight.dim()}")
    xp = get_array_module(input._data)
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {type(offsets)}")
        offsets = Tensor._make(xp.arange(0, input.numel(), input.shape[1], dtype=input._data.dtype))
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        _renorm_rows(weight, input._data, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. "
                                  "per_sample_weights is only supported for mode='sum' (got "
                                  f"mode='{mode}'). Please open a feature request on GitHub.")
    _check_dtypes(input, offsets, weight, per_sample_weights)
    rows_count = weight.shape[0]
    if padding_idx is not None:
        if not -rows_count <= padding_idx < rows_count:
            raise RuntimeError("padding_idx must be within the number of embeddings, "
                               f"-{rows_count} through {rows_count - 1}, but got {padding_idx}")
        padding_idx %= rows_count
    indices = to_device(input._data, CPU).astype("int64")
    starts = [int(s) for s in to_device(offsets._data, CPU).tolist()]
    count = len(indices)
    if starts and starts[0] != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {starts[0]}")
    if starts and starts[-1] > count:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {count} but got "
                           f"offsets[-1] of {starts[-1]}")
    if any(b < a for a, b in zip(starts, starts[1:])):
        raise RuntimeError("offsets must be non-decreasing")
    for position, index in enumerate(indices.tolist()):
        if not 0 <= index < rows_count:
            raise RuntimeError(f"Index {position} of input takes value {index} which is not in "
                               f"the valid range [0, {rows_count})")
    owner, bags = _bags(starts, count, include_last_offset, xp)
    if padding_idx is not None:
        owner = xp.where(xp.asarray(indices) == padding_idx, -1, owner)
    rows = Embedding.apply(weight, indices=xp.asarray(indices), padding_idx=None,
                           scale_grad_by_freq=scale_grad_by_freq)
    if mode == "max":
        return _max_bags(rows, owner, bags, xp)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.unsqueeze(1)
    membership = (owner[None, :] == xp.arange(bags)[:, None]).astype(weight._data.dtype)
    if mode == "mean":
        membership = membership / xp.maximum(membership.sum(1, keepdims=True), 1)
    return _constant(membership) @ rows
