"""Losses with torch's signatures, checks and messages; the fused math is in ops/loss.py."""
from __future__ import annotations

import warnings

from ... import backend
from ...functions.pointwise import promote
from ...ops import loss as ops
from ...ops._broadcast import broadcast_shapes
from ...tensor import Size, Tensor
from ._args import check_tensor, scalar_name

_numpy = backend.numpy_module()


# ----------------------------------------------------------------------------- reduction

def _reduction(size_average, reduce, reduction: str) -> str:
    """The reduction to use, from the legacy size_average/reduce flags when given."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", UserWarning, stacklevel=3)
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _pair(name, input, target, float_kernel=None):
    """Checks for elementwise losses: tensors, torch's size warning, broadcastable shapes."""
    check_tensor(input, name)
    check_tensor(target, name, "target", 2)
    if input._data.shape != target._data.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=3)
        broadcast_shapes(input._data.shape, target._data.shape)  # torch's error if they clash
    input, target = promote(input, target)
    if float_kernel and input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{float_kernel}\" not implemented for "
                                  f"'{scalar_name(input)}'")
    return input, target


def _weighted(loss: Tensor, weight: Tensor, input: Tensor, reduction: str, by_weight: bool):
    """torch's weight= for the regression losses: elementwise, same size as the input."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    weighted = loss * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    if reduction == "mean":
        return weighted.sum() / weight.sum() if by_weight else weighted.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     "'sum'.")


# ----------------------------------------------------------------------------- regression

def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
             reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """(input - target)², reduced: the mean squared error by default."""
    input, target = _pair("mse_loss", input, target, "mse_cpu")
    if weight is not None:
        if size_average is not None or reduce is not None:
            reduction = _reduction(size_average, reduce, reduction)
        return _weighted((input - target) ** 2, weight, input, reduction, by_weight=True)
    reduction = _reduction(size_average, reduce, reduction)
    return ops.MseLoss.apply(input, target, reduction=reduction)


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
            reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """|input - target|, reduced (composed of sub, abs and mean, as torch records it)."""
    input, target = _pair("l1_loss", input, target)
    if weight is not None:
        if size_average is not None or reduce is not None:
            reduction = _reduction(size_average, reduce, reduction)
        return _weighted((input - target).abs(), weight, input, reduction, by_weight=True)
    reduction = _reduction(size_average, reduce, reduction)
    loss = (input - target).abs()
    return loss if reduction == "none" else loss.sum() if reduction == "sum" else loss.mean()


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d² / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = input - target)."""
    input, target = _pair("smooth_l1_loss", input, target, "smooth_l1_cpu")
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    return ops.SmoothL1Loss.apply(input, target, reduction=reduction, beta=beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d² where |d| < delta, delta (|d| - 0.5 delta) elsewhere (d = input - target)."""
    input, target = _pair("huber_loss", input, target, "huber_cpu")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:
        loss = ops.HuberLoss.apply(input, target, reduction="none", delta=delta)
        return _weighted(loss, weight, input, reduction, by_weight=False)
    return ops.HuberLoss.apply(input, target, reduction=_reduction(None, None, reduction),
                               delta=delta)


# ----------------------------------------------------------------------------- classification

def _class_targets(input: Tensor, target: Tensor, weight, ignore_index: int, kernel: str):
    """torch's checks for class-index targets; returns the targets and weights as arrays, and
    ignore_index (None when no target is to be ignored)."""
    if type(target._data) is not type(input._data):  # the targets go to the op as an option
        backend.check_same_device((input._data, target._data))
    shape, target_shape = input._data.shape, target._data.shape
    if len(shape) < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {len(shape)})")
    batch = target_shape[0] if target_shape else 0
    if len(shape) != 1 and shape[0] != batch:
        raise ValueError(f"Expected input batch_size ({shape[0]}) to match target batch_size "
                         f"({batch}).")
    if len(shape) <= 2 and len(target_shape) > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if len(shape) > 2 and list(target_shape) != [shape[0], *shape[2:]]:
        raise RuntimeError(f"Expected target size {[shape[0], *shape[2:]]}, got "
                           f"{list(target_shape)}")
    if target._data.dtype not in (_numpy.int64, _numpy.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{scalar_name(target)}")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input)}'")
    classes = shape[0] if len(shape) == 1 else shape[1]
    weights = _class_weights(input, weight, classes)
    labels = target._data.astype(_numpy.int64, copy=False)
    return labels, weights, _ignored(labels, classes, ignore_index)


def _ignored(labels, classes: int, ignore_index: int):
    """Raise for a target out of [0, C) (other than ignore_index); return ignore_index, or None
    when no target equals it (the op then skips masking)."""
    if labels.size == 0:
        return None
    if not backend.on_host(labels):
        return ignore_index  # not looked at on a GPU (see backend.on_host): always masked
    if not 0 <= ignore_index < classes and int(labels.view(_numpy.uint64).max()) < classes:
        return None  # the common case in one reduction: seen unsigned, a negative is huge
    low, high = int(labels.min()), int(labels.max())
    if 0 <= low and high < classes and not low <= ignore_index <= high:
        return None  # every target in range, none equal to ignore_index
    ignored = labels == ignore_index
    bad = ~ignored & ((labels < 0) | (labels >= classes))
    if bool(bad.any()):
        value = int(labels[bad].reshape(-1)[0])
        raise IndexError(f"Target {value} is out of bounds. (Class indices must lie in "
                         f"[0, {classes}) for an input with C = {classes} classes, or equal "
                         f"ignore_index={ignore_index}.)")
    return ignore_index if bool(ignored.any()) else None


def _class_weights(input: Tensor, weight, classes: int):
    if weight is None:
        return None
    if weight._data.ndim != 1 or weight._data.size != classes:
        raise RuntimeError(f"weight tensor should be defined either for all {classes} classes or "
                           f"no classes but got weight tensor of shape: {list(weight.shape)}")
    return weight._data.astype(input._data.dtype, copy=False)


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    """-input[n, target[n]] (input holds log-probabilities), weighted by class; 'mean' divides
    by the total weight of the targets that are not ignore_index."""
    check_tensor(input, "nll_loss")
    check_tensor(target, "nll_loss", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    labels, weights, ignore = _class_targets(input, target, weight, ignore_index,
                                             "nll_loss_out_frame")
    op = ops.NllLoss2d if input._data.ndim >= 3 else ops.NllLoss
    return op.apply(input, target=labels, weight=weights, ignore_index=ignore,
                    reduction=reduction)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average=None, ignore_index: int = -100, reduce=None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """nll_loss(log_softmax(input, 1), target), fused and stable for any logits. target holds
    class indices, or class probabilities when it has the input's shape. label_smoothing
    mixes the target with the uniform distribution."""
    check_tensor(input, "cross_entropy")
    check_tensor(target, "cross_entropy", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    if input._data.shape == target._data.shape:  # class probabilities
        if target._data.dtype.kind != "f":
            raise RuntimeError("Expected floating point type for target with class "
                               f"probabilities, got {scalar_name(target)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        input, target = promote(input, target)
        classes = input._data.shape[0 if input._data.ndim == 1 else 1]
        return ops.CrossEntropyWithProbabilities.apply(
            input, target, weight=_class_weights(input, weight, classes), reduction=reduction,
            label_smoothing=label_smoothing)
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")
    labels, weights, ignore = _class_targets(input, target, weight, ignore_index,
                                             "log_softmax_lastdim_kernel_impl")
    return ops.CrossEntropy.apply(input, target=labels, weight=weights,
                                  ignore_index=ignore, reduction=reduction,
                                  label_smoothing=max(label_smoothing, 0.0))


# ----------------------------------------------------------------------------- binary

def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """-(target log(input) + (1 - target) log(1 - input)), input holding probabilities;
    each log is clamped at -100, as torch does, so the loss stays finite."""
    check_tensor(input, "binary_cross_entropy")
    check_tensor(target, "binary_cross_entropy", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    if input._data.shape != target._data.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    input, target = promote(input, target)
    weights = _expanded_weight(weight, target)
    data = input._data
    if backend.on_host(data):  # value checks: see backend.on_host
        if data.size and not bool(((data >= 0) & (data <= 1)).all()):
            raise RuntimeError("all elements of input should be between 0 and 1")
        if target._data.size and not bool(((target._data >= 0) & (target._data <= 1)).all()):
            raise RuntimeError("all elements of target should be between 0 and 1")
    return ops.BinaryCrossEntropy.apply(input, target, weight=weights, reduction=reduction)


def _expanded_weight(weight, target):
    if weight is None:
        return None
    shape = broadcast_shapes(target._data.shape, weight._data.shape)
    if tuple(shape) != tuple(target._data.shape):
        raise RuntimeError(f"The size of tensor a ({shape[-1]}) must match the size of tensor b "
                           f"({target._data.shape[-1]}) at non-singleton dimension "
                           f"{len(shape) - 1}")
    return weight._data.astype(target._data.dtype, copy=False)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None, size_average=None,
                                     reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """binary_cross_entropy(sigmoid(input), target) fused and stable for any logits;
    pos_weight scales the loss of positive targets (per class, broadcast)."""
    check_tensor(input, "binary_cross_entropy_with_logits")
    check_tensor(target, "binary_cross_entropy_with_logits", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    if input._data.shape != target._data.shape:
        raise ValueError(f"Target size ({Size(target._data.shape)!r}) must be the same as input "
                         f"size ({Size(input._data.shape)!r})")
    input, target = promote(input, target)
    dtype = input._data.dtype
    shape = input._data.shape  # torch's errors, in torch's order: pos_weight * target first
    if pos_weight is not None:
        shape = broadcast_shapes(pos_weight._data.shape, shape)
    if weight is not None:
        broadcast_shapes(shape, weight._data.shape)
    return ops.BinaryCrossEntropyWithLogits.apply(
        input, target, weight=None if weight is None else weight._data.astype(dtype),
        pos_weight=None if pos_weight is None else pos_weight._data.astype(dtype),
        reduction=reduction)
