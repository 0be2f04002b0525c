"""Margin losses: a pair, a triplet or a row of scores is penalised when it is on the wrong side
of a margin, max(0, margin - ...). Composed of existing ops as torch writes them; the hinge's
gradient at exactly 0 is torch's: clamp_min's (1) for the pair and triplet losses, 0 for the
multi-class ones (their kernels count only terms with z > 0, as relu does).

    margin_ranking_loss     max(0, -y (x1 - x2) + margin)
    hinge_embedding_loss    x where y = 1, max(0, margin - x) where y = -1
    cosine_embedding_loss   1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where -1
    triplet_margin_loss     max(0, margin + d(a, p) - d(a, n))
    multi_margin_loss       Σ_{i≠y} max(0, margin - x[y] + x[i])^p / C
    multilabel_margin_loss  Σ_{j ∈ targets} Σ_{i ∉ targets} max(0, 1 - x[j] + x[i]) / C
"""
from __future__ import annotations

from ...autograd import grad_mode
from ...backend import get_array_module
from ...functions import pointwise
from ...functions.creation import full_like, zeros_like
from ...functions.dtype_support import INTEGRAL, refuse
from ...tensor import Tensor
from ._args import check_tensor
from .activation import _constant
from .distance import pairwise_distance
from .loss import _reduction
from .loss_more import reduce_loss

__all__ = ["cosine_embedding_loss", "hinge_embedding_loss", "margin_ranking_loss",
           "multi_margin_loss", "multilabel_margin_loss", "triplet_margin_loss",
           "triplet_margin_with_distance_loss"]


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """max(0, -target * (input1 - input2) + margin): input1 should rank above input2 where
    target is 1, below where it is -1"""
    reduction = _reduction(size_average, reduce, reduction)
    for value in (input1, input2, target):
        if not isinstance(value, Tensor):
            raise AttributeError(f"'{type(value).__name__}' object has no attribute 'dim'")
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError("margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.shape}, input2: {input2.shape}, "
                           f"target: {target.shape} ")
    difference = input1 - input2
    return reduce_loss(pointwise.clamp_min(-target * difference + float(margin), 0), reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """input where target is not -1, plus max(0, margin - input) where target is not 1"""
    check_tensor(input, "hinge_embedding_loss")
    check_tensor(target, "hinge_embedding_loss", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    zeros = zeros_like(input)
    # torch computes margin - input in the input's dtype (a filled tensor minus the input)
    margin_clamp = pointwise.clamp_min(full_like(input, margin) - input, 0)
    output = (pointwise.where(target != 1, margin_clamp, zeros)
              + pointwise.where(target != -1, input, zeros))
    return reduce_loss(output, reduction)


_EPSILON = 1e-12  # torch's, added to each squared magnitude


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1"""
    check_tensor(input1, "cosine_embedding_loss", "input1")
    check_tensor(input2, "cosine_embedding_loss", "input2", 2)
    check_tensor(target, "cosine_embedding_loss", "target", 3)
    reduction = _reduction(size_average, reduce, reduction)
    dim = target.dim()
    if dim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input1.dim() != dim + 1 or input2.dim() != dim + 1:
        raise RuntimeError(f"{dim}D target tensor expects {dim + 1}D input tensors, but found "
                           f"inputs with sizes {list(input1.shape)} and {list(input2.shape)}.")
    product = (input1 * input2).sum(dim)
    squares1 = (input1 * input1).sum(dim) + _EPSILON
    squares2 = (input2 * input2).sum(dim) + _EPSILON
    cos = product / (squares1 * squares2).sqrt()
    zeros = zeros_like(cos)
    positive = pointwise.where(target == 1, 1 - cos, zeros)
    negative = pointwise.where(target == -1, pointwise.clamp_min(cos - margin, 0), zeros)
    return reduce_loss(positive + negative, reduction)


# ----------------------------------------------------------------------------- triplets

def _triplet(anchor, positive, negative, distance, margin, swap, reduction) -> Tensor:
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if not dims[0] == dims[1] == dims[2]:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {dims[0]}D, positive "
                           f"{dims[1]}D, and negative {dims[2]}D inputs")
    distance_positive = distance(anchor, positive)
    distance_negative = distance(anchor, negative)
    if swap:  # the positive may be closer to the negative than the anchor is
        distance_negative = pointwise.minimum(distance_negative, distance(positive, negative))
    return reduce_loss(pointwise.clamp_min(margin + distance_positive - distance_negative, 0),
                       reduction)


def _check_margin(margin: float) -> None:
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-6, swap: bool = False, size_average=None,
                        reduce=None, reduction: str = "mean") -> Tensor:
    """max(0, margin + ‖a - p‖ - ‖a - n‖) (pairwise_distance with p and eps)"""
    reduction = _reduction(size_average, reduce, reduction)
    _check_margin(margin)
    check_tensor(anchor, "triplet_margin_loss", "anchor")
    check_tensor(positive, "triplet_margin_loss", "positive", 2)
    check_tensor(negative, "triplet_margin_loss", "negative", 3)
    return _triplet(anchor, positive, negative,
                    lambda x1, x2: pairwise_distance(x1, x2, p, eps), margin, swap, reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function=None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) for any distance d (pairwise_distance by default)"""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    _check_margin(margin)
    for value in (anchor, positive, negative):
        if not isinstance(value, Tensor):
            raise AttributeError(f"'{type(value).__name__}' object has no attribute 'ndim'")
    return _triplet(anchor, positive, negative, distance_function or pairwise_distance, margin,
                    swap, reduction)


# ----------------------------------------------------------------------------- multi-class

def _frames(input: Tensor) -> tuple[int, int]:
    """(samples, classes) of a (C,), (N, C) or 0-d input, with torch's shape check."""
    shape = tuple(input.shape)
    if not (len(shape) == 0 or (len(shape) in (1, 2) and shape[-1] != 0)):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {list(shape)}")
    return (shape[0] if len(shape) == 2 else 1), (shape[-1] if shape else 1)


def _check_long(target: Tensor) -> None:
    if target.dtype.name != "int64":
        raise RuntimeError(f"expected scalar type Long but found {target.dtype.scalar_name}")


def _per_sample(loss: Tensor, input: Tensor, reduction: str) -> Tensor:
    """(N,) losses for a 2-d input, one 0-d loss for a vector, then reduced."""
    return reduce_loss(loss if input.dim() == 2 else loss.reshape(()), reduction)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average=None, reduce=None,
                      reduction: str = "mean") -> Tensor:
    """Σ_{i ≠ y} weight[y] · max(0, margin - x[y] + x[i])^p / C for each sample (y = target)"""
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    check_tensor(input, "multi_margin_loss")
    check_tensor(target, "multi_margin_loss", "target", 2)
    samples, classes = _frames(input)
    if target.dim() > 1 or target.numel() != samples:
        raise RuntimeError("multi_margin_loss: target tensor should be 1-D with size equal to "
                           "the number of input samples (batch size). Expected target size "
                           f"[{samples}], but got {list(target.shape)}. Input has shape "
                           f"{list(input.shape)}.")
    _check_long(target)
    refuse(input, "multi_margin_loss_cpu_kernel", INTEGRAL | {"float16"})
    if weight is not None:
        if weight.numel() != classes:
            raise RuntimeError(f"inconsistent weight size, expected {classes} but got "
                               f"{list(weight.shape)}")
        if weight.requires_grad and grad_mode.is_grad_enabled():
            raise RuntimeError("The function 'multi_margin_loss' is not differentiable with "
                               "respect to argument 'weight'. This input cannot have "
                               "requires_grad True.")
        if weight.dtype != input.dtype:
            raise RuntimeError(f"expected scalar type {input.dtype.scalar_name} but found "
                               f"{weight.dtype.scalar_name}")
    labels = target._data.reshape(samples, 1)
    if labels.size and (int(labels.min()) < 0 or int(labels.max()) >= classes):
        raise RuntimeError("target out of range")
    scores = input.reshape(samples, classes)
    chosen = scores.gather(1, Tensor._make(labels))
    z = (margin - chosen + scores).relu()
    terms = z if p == 1 else z * z
    others = get_array_module(labels).arange(classes) != labels  # i ≠ y
    terms = terms * _constant(others.astype(input._data.dtype))
    if weight is not None:
        terms = terms * weight[Tensor._make(labels)]
    return _per_sample(terms.sum(1) / classes, input, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction: str = "mean") -> Tensor:
    """Σ_{j ∈ targets} Σ_{i ∉ targets} max(0, 1 - x[j] + x[i]) / C for each sample; a sample's
    targets are the class indices in its target row up to the first -1"""
    reduction = _reduction(size_average, reduce, reduction)
    check_tensor(input, "multilabel_margin_loss")
    check_tensor(target, "multilabel_margin_loss", "target", 2)
    samples, classes = _frames(input)
    if input.dim() <= 1:
        consistent = target.dim() <= 1 and target.numel() == classes
    else:
        consistent = tuple(target.shape) == tuple(input.shape)
    if not consistent:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                           f"{list(input.shape)}")
    _check_long(target)
    refuse(input, "multilabel_margin_loss_forward_out_frame", INTEGRAL | {"float16"})
    xp = get_array_module(target._data)
    labels = target._data.reshape(samples, classes)
    if labels.size and (int(labels.min()) < -1 or int(labels.max()) >= classes):
        raise RuntimeError("argument #2 'target' is out of range")
    # a row's targets end at its first -1
    listed = xp.cumprod(labels != -1, axis=1).astype(bool)
    is_target = xp.zeros((samples, classes), dtype=bool)
    rows = xp.nonzero(listed)[0]
    is_target[rows, labels[listed]] = True
    scores = input.reshape(samples, classes)
    chosen = scores.gather(1, Tensor._make(xp.where(listed, labels, 0)))
    z = (1 - chosen.unsqueeze(2) + scores.unsqueeze(1)).relu()  # z[n, k, i]: target k, class i
    counted = listed[:, :, None] & ~is_target[:, None, :]
    loss = (z * _constant(counted.astype(input._data.dtype))).sum((1, 2)) / classes
    return _per_sample(loss, input, reduction)
