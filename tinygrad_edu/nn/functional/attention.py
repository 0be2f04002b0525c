"""Scaled dot-product attention, composed from matmul, softmax and masked_fill.

    weights = softmax(Q Kᵀ · scale + bias);   output = dropout(weights) V

Q is (..., L, E), K is (..., S, E), V is (..., S, Ev); the leading dimensions broadcast. The
bias comes from `attn_mask` (bool: True takes part, False gets -inf; float: added) or from
`is_causal` (query i sees keys j <= i). A query row that sees no key at all gets zero weights,
not NaN: torch's "safe" softmax. No fused kernel: the gradient is the one of the composition.
"""
from __future__ import annotations

import math

from ...dtypes import bool_
from ...functions import reduction
from ...functions._args import broadcast_shapes
from ...functions.creation import ones, zeros
from ...functions.triangular import tril
from ...tensor import Tensor
from . import dropouts
from ._args import SCALAR_NAMES, SHORT_NAMES, check_tensor

_CPP_NAMES = {**SHORT_NAMES, "float16": "c10::Half", "int64": "long int", "bool": "bool"}


def _cpp(tensor: Tensor) -> str:
    return _CPP_NAMES.get(tensor.dtype.name, tensor.dtype.name)


def _check_arguments(query, key, value, attn_mask, dropout_p, is_causal) -> None:
    for position, (name, tensor) in enumerate((("query", query), ("key", key),
                                               ("value", value)), start=1):
        check_tensor(tensor, "scaled_dot_product_attention", name, position)
    if attn_mask is not None:
        check_tensor(attn_mask, "scaled_dot_product_attention", "attn_mask", 4)
    if dropout_p > 1:  # (a negative or NaN probability means no dropout, as in torch)
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    if not isinstance(is_causal, bool):
        raise TypeError("scaled_dot_product_attention(): argument 'is_causal' must be bool, not "
                        f"{type(is_causal).__name__}")
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {_cpp(query)} key.dtype: {_cpp(key)} and value.dtype: "
                           f"{_cpp(value)} instead.")
    if not query.is_floating_point():
        raise RuntimeError(f"expected scalar type Float but found {SCALAR_NAMES[query.dtype.name]}")
    if attn_mask is not None and attn_mask.dtype.name not in ("bool", "float32") and \
            attn_mask.dtype != query.dtype:
        raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query dtype, "
                           f"but got attn_mask.dtype: {_cpp(attn_mask)} and  query.dtype: "
                           f"{_cpp(query)} instead.")
    if min(query.ndim, key.ndim, value.ndim) < 2:
        raise RuntimeError("Expected query, key, and value to all be  at least 2 dimensional, but "
                           f"got query.dim: {query.ndim} key.dim: {key.ndim} and value.dim: "
                           f"{value.ndim} instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")


def _check_batch2(batch: tuple, left: Tensor, right: Tensor) -> None:
    """torch's bmm message when left @ right does not fit: right's rows must be left's columns."""
    count = math.prod(batch)
    if left.shape[-1] != right.shape[-2]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{count}, {left.shape[-1]}] but got: [{count}, {right.shape[-2]}].")


def _repeat_heads(tensor: Tensor, heads: int) -> Tensor:
    """tensor.repeat_interleave(heads // tensor.size(-3), dim=-3): each key/value head serves a
    group of query heads (grouped-query attention)."""
    group = heads // tensor.shape[-3]
    if group == 1:
        return tensor
    lead, (count, rows, cols) = tuple(tensor.shape[:-3]), tuple(tensor.shape[-3:])
    widened = tensor.unsqueeze(-3).expand(*lead, count, group, rows, cols)
    return widened.reshape(*lead, count * group, rows, cols)


def _group_query_heads(query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, Tensor]:
    if query.ndim < 3:
        raise IndexError("Dimension out of range (expected to be in range of [-2, 1], but got "
                         "-3)")
    heads = query.shape[-3]
    if heads % key.shape[-3] or heads % value.shape[-3]:
        raise RuntimeError("Number of heads in key and value must divide the number of heads in ")
    return _repeat_heads(key, heads), _repeat_heads(value, heads)


def attention_bias(scores_shape: tuple, attn_mask: Tensor, dtype) -> Tensor:
    """The additive form of a mask: a bool mask (True = takes part) becomes 0 / -inf, a float
    mask is added as it is (in the scores' dtype). It must broadcast to the scores' shape
    (torch adds it in place)."""
    shape = tuple(broadcast_shapes(scores_shape, attn_mask.shape))  # torch's message if not
    if shape != tuple(scores_shape):  # the mask would make the scores larger
        raise RuntimeError(f"output with shape [{', '.join(map(str, scores_shape))}] doesn't "
                           f"match the broadcast shape [{', '.join(map(str, shape))}]")
    if attn_mask.dtype.name == "bool":
        bias = zeros(attn_mask.shape, dtype=dtype, device=attn_mask.device)
        return bias.masked_fill(attn_mask.logical_not(), float("-inf"))
    return attn_mask.to(dtype)


def safe_softmax(scores: Tensor) -> Tensor:
    """softmax over the last dimension, except that a row of -inf only (a query that may attend
    to nothing) gets zeros instead of NaN, and no gradient: torch's _safe_softmax."""
    empty = (scores == float("-inf")).all(dim=-1, keepdim=True)
    weights = reduction.softmax(scores.masked_fill(empty, 0.0), -1)
    return weights.masked_fill(empty, 0.0)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor,
                                 attn_mask: Tensor | None = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q Kᵀ · scale + mask) V over the last two dimensions, scale = 1/sqrt(E) unless
    given; dropout (probability dropout_p, always applied when > 0) on the weights."""
    _check_arguments(query, key, value, attn_mask, dropout_p, is_causal)
    if enable_gqa:
        key, value = _group_query_heads(query, key, value)
    batch = tuple(broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2]))
    _check_batch2(batch, query, key.transpose(-2, -1))
    length, source = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = query.matmul(key.transpose(-2, -1)) * scale
    if is_causal:  # query i attends to keys 0..i, counted from the top-left corner
        allowed = tril(ones(length, source, dtype=bool_, device=query.device))
        scores = scores.masked_fill(allowed.logical_not(), float("-inf"))
    elif attn_mask is not None:
        scores = scores + attention_bias(scores.shape, attn_mask, query.dtype)
    weights = safe_softmax(scores)
    if dropout_p > 0.0:
        weights = dropouts.dropout(weights, dropout_p, training=True)
    _check_batch2(batch, weights, value)
    return weights.matmul(value)
