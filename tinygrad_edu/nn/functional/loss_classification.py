"""Classification losses with class-index targets: nll_loss and cross_entropy.

The kernels see every input as (N, C, S) (samples, classes, positions) and every target as
(N, S); `ignore_index` and class weights decide which samples count and how much. 'mean'
divides by the summed weight of the samples that count, as torch's nll_loss does.
"""
from __future__ import annotations

from ... import arrays, backend, dtypes
from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import get_array_module
from ...functions.pointwise import promote
from ...tensor import Tensor
from ._args import check_tensor, scalar_name, wrap
from .loss import _reduction, _upstream

_UINT64 = backend.numpy_dtype("uint64")  # for the in-range check: one unsigned max



def _samples(x, target=None):
    """x as (N, C, S) and class targets as (N, S), from (C,), (N, C) or (N, C, d1, ...)."""
    n, classes = (1, x.shape[0]) if x.ndim == 1 else x.shape[:2]
    spatial = 1
    for size in x.shape[2:]:
        spatial *= size
    x = x.reshape(n, classes, spatial)
    return x if target is None else (x, target.reshape(n, spatial))


def _picked(xp, target, ignore_index, weight, dtype):
    """For class targets (N, S): the class each sample is scored on (0 for ignored ones), the
    samples that count (None: all), and each sample's weight w[target] (None: all 1).
    ignore_index is None when the functional layer found no target to ignore."""
    if ignore_index is None:
        return target, None, None if weight is None else weight[target]
    valid = target != ignore_index
    safe = xp.where(valid, target, 0)
    sample_weight = valid.astype(dtype) if weight is None else weight[safe] * valid
    return safe, valid, sample_weight


def _total(per_sample, sample_weight, reduction):
    """Reduce per-sample losses; 'mean' divides by the summed sample weights (torch's nll)."""
    xp = get_array_module(per_sample)
    if reduction == "none":
        return per_sample, None
    if reduction == "sum":
        return xp.asarray(per_sample.sum()), None
    if sample_weight is None:  # every sample counts fully: Σ L_n / N (0/0 = NaN for none)
        return xp.asarray(per_sample.sum() / per_sample.size if per_sample.size else xp.nan,
                          dtype=per_sample.dtype), per_sample.size
    denominator = sample_weight.sum()
    return xp.asarray(per_sample.sum() / denominator), denominator


def _upstream_per_sample(xp, g, reduction, denominator, shape):
    """The gradient reaching each sample's loss: dL/Σw for 'mean' (0 when every target is
    ignored: torch's gradient is then 0, though the loss is 0/0 = NaN), dL for 'sum',
    dL_n for 'none'."""
    if reduction == "none":
        return g.reshape(shape)
    if reduction == "sum":
        return g
    if isinstance(denominator, int):
        return g / denominator if denominator else g * 0
    return xp.where(denominator != 0, g / denominator, 0).astype(g.dtype, copy=False)


def _times(a, b):
    return a if b is None else a * b


# ----------------------------------------------------------------------------- targets

def _class_targets(input: Tensor, target: Tensor, weight, ignore_index: int, kernel: str):
    """torch's checks for class-index targets; returns the targets and weights as arrays, and
    ignore_index (None when no target is to be ignored)."""
    if type(target._data) is not type(input._data):  # the targets go to the op as an option
        arrays.check_same_device((input._data, target._data))
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
    if target._data.dtype not in (dtypes.int64.numpy, dtypes.uint8.numpy):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{scalar_name(target)}")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(input)}'")
    classes = shape[0] if len(shape) == 1 else shape[1]
    weights = _class_weights(input, weight, classes)
    labels = target._data.astype(dtypes.int64.numpy, copy=False)
    return labels, weights, _ignored(labels, classes, ignore_index)


def _ignored(labels, classes: int, ignore_index: int):
    """Raise for a target out of [0, C) (other than ignore_index); return ignore_index, or None
    when no target equals it (the op then skips masking)."""
    if labels.size == 0:
        return None
    if not backend.on_host(labels):
        return ignore_index  # not looked at on a GPU (see backend.on_host): always masked
    if not 0 <= ignore_index < classes and int(labels.view(_UINT64).max()) < classes:
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


# ----------------------------------------------------------------------------- nll_loss

class NllLoss(Primitive):
    """L_n = -w[t_n]·x[n, t_n] (x holds log-probabilities; 0 where t_n == ignore_index);
    mean: Σ L_n / Σ w[t_n].  dx[n, t_n] = -w[t_n]·dL_n, 0 elsewhere
    (x is (C,), (N, C) or (N, C, d1, ...), handled as (N, C, S))"""

    @staticmethod
    def forward(ctx, x, *, target, weight, ignore_index, reduction):
        xp = get_array_module(x)
        x_shape, target_shape = x.shape, target.shape
        x, target = _samples(x, target)
        n, _, s = x.shape
        safe, _, sample_weight = _picked(xp, target, ignore_index, weight, x.dtype)
        rows, columns = xp.arange(n)[:, None], xp.arange(s)[None, :]
        per_sample = _times(-x[rows, safe, columns], sample_weight)
        loss, denominator = _total(per_sample, sample_weight, reduction)
        ctx.saved = (x.shape, x_shape, safe, sample_weight, denominator, reduction)
        out = loss.reshape(target_shape) if reduction == "none" else loss
        return out.astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        shape, x_shape, safe, sample_weight, denominator, reduction = ctx.saved
        xp = get_array_module(grad_output._data)
        g = _upstream_per_sample(xp, grad_output._data, reduction, denominator, safe.shape)
        grad = xp.zeros(shape, dtype=g.dtype)
        rows, columns = xp.arange(shape[0])[:, None], xp.arange(shape[2])[None, :]
        grad[rows, safe, columns] = -_times(g, sample_weight)  # one entry per sample
        return wrap(grad.reshape(x_shape))


class NllLoss2d(NllLoss):
    """nll_loss of (N, C, H, W) inputs (torch records it under this name)"""

    node_name = "NllLoss2DBackward0"


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    """-input[n, target[n]] (input holds log-probabilities), weighted by class; 'mean' divides
    by the total weight of the targets that are not ignore_index."""
    check_tensor(input, "nll_loss")
    check_tensor(target, "nll_loss", "target", 2)
    reduction = _reduction(size_average, reduce, reduction)
    labels, weights, ignore = _class_targets(input, target, weight, ignore_index,
                                             "nll_loss_out_frame")
    op = NllLoss2d if input._data.ndim >= 3 else NllLoss
    return op.apply(input, target=labels, weight=weights, ignore_index=ignore,
                    reduction=reduction)


# ----------------------------------------------------------------------------- cross_entropy

class CrossEntropy(Primitive):
    """log_softmax and nll_loss fused (stable for any logits), with label smoothing ε:
    L_n = (1-ε)·w[t_n]·(-p̂[n, t_n]) + (ε/C)·Σ_c w_c·(-p̂[n, c]),  p̂ = log_softmax(x) over C;
    dx[n, c] = dL_n·((1-ε)·w[t_n] + (ε/C)·Σw)·softmax(x)[n, c] - dL_n·((1-ε)·w[t_n]·[c = t_n]
    + (ε/C)·w_c).  x is (N, C, S), t (N, S); mean divides by Σ w[t_n], as nll_loss does."""

    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, x, *, target, weight, ignore_index, reduction, label_smoothing):
        xp = get_array_module(x)
        x_shape, target_shape = x.shape, target.shape
        x, target = _samples(x, target)
        n, classes, s = x.shape
        shifted = x - x.max(axis=1, keepdims=True)
        exp = xp.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        log_total = xp.log(total[:, 0])  # log_softmax = shifted - log_total, per sample
        safe, valid, sample_weight = _picked(xp, target, ignore_index, weight, x.dtype)
        rows, columns = xp.arange(n)[:, None], xp.arange(s)[None, :]
        per_sample = _times(log_total - shifted[rows, safe, columns], sample_weight)
        if label_smoothing:
            log_probability = shifted - log_total[:, None]
            scaled = log_probability if weight is None else log_probability * weight[:, None]
            smooth = _times(-scaled.sum(axis=1), valid)
            per_sample = (1 - label_smoothing) * per_sample + label_smoothing / classes * smooth
        loss, denominator = _total(per_sample, sample_weight, reduction)
        ctx.save_for_backward(exp)  # the engine frees it once backward has run
        ctx.saved = (total, safe, valid, sample_weight, denominator, rows, columns)
        ctx.options = (weight, reduction, label_smoothing, x_shape)
        out = loss.reshape(target_shape) if reduction == "none" else loss
        return out.astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        exp = ctx.saved_tensors[0]._data
        total, safe, valid, sample_weight, denominator, rows, columns = ctx.saved
        weight, reduction, smoothing, x_shape = ctx.options
        xp = get_array_module(exp)
        n, classes, s = exp.shape
        g = _upstream_per_sample(xp, grad_output._data, reduction, denominator, (n, s))
        picked_scale = _times(g * (1 - smoothing) if smoothing else g, sample_weight)
        spread_scale = picked_scale
        if smoothing:
            weight_sum = classes if weight is None else weight.sum()
            spread_scale = picked_scale + _times(g * (smoothing / classes * weight_sum), valid)
        grad = exp * (_per_class(spread_scale) / total)              # softmax · scale
        grad[rows, safe, columns] -= picked_scale
        if smoothing:
            class_weight = xp.ones(classes, dtype=exp.dtype) if weight is None else weight
            grad -= class_weight[:, None] * _per_class(_times(g * (smoothing / classes), valid))
        return wrap(grad.astype(exp.dtype, copy=False).reshape(x_shape))


def _per_class(per_sample):
    """A per-sample (N, S) array as (N, 1, S), to broadcast over the classes (0-d: as is)."""
    return per_sample[:, None] if per_sample.ndim else per_sample


class CrossEntropyWithProbabilities(Primitive):
    """Targets are class probabilities t (smoothed: t' = (1-ε)t + ε/C):
    L_n = -Σ_c w_c·t'[n, c]·log_softmax(x)[n, c];  mean divides by the number of samples;
    dx = dL·(softmax(x)·Σ_c w_c t'_c - w·t'),  dt = -dL·(1-ε)·w·log_softmax(x)"""

    @staticmethod
    def forward(ctx, x, t, *, weight, reduction, label_smoothing):
        xp = get_array_module(x)
        x_shape = x.shape
        x = _samples(x)
        t = t.reshape(x.shape)  # the same layout as the input: (N, C, S)
        classes = x.shape[1]
        shifted = x - x.max(axis=1, keepdims=True)
        log_probability = shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))
        smoothed = t * (1 - label_smoothing) + label_smoothing / classes if label_smoothing \
            else t
        weighted = smoothed if weight is None else smoothed * weight[:, None]
        per_sample = -(log_probability * weighted).sum(axis=1)
        count = per_sample.size
        loss = per_sample.reshape(x_shape[:1] + x_shape[2:] if len(x_shape) > 1 else ()) \
            if reduction == "none" else xp.asarray(
                per_sample.sum() / count if reduction == "mean" else per_sample.sum())
        ctx.save_for_backward(log_probability, weighted)
        ctx.count = count
        ctx.options = (weight, reduction, label_smoothing, x_shape)
        return loss.astype(x.dtype, copy=False)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        log_probability, weighted = (t._data for t in ctx.saved_tensors)
        count = ctx.count
        weight, reduction, smoothing, x_shape = ctx.options
        xp = get_array_module(log_probability)
        g = _upstream(grad_output, reduction, count)
        if reduction == "none":  # one gradient per sample: spread over the classes
            n, _, s = log_probability.shape
            g = g.reshape(n, 1, s)
        dx = (xp.exp(log_probability) * weighted.sum(axis=1, keepdims=True) - weighted) * g
        dt = None
        if ctx.needs_input_grad[1]:
            scaled = log_probability if weight is None else log_probability * weight[:, None]
            dt = (-(1 - smoothing) * scaled * g).reshape(x_shape)
        return wrap(dx.reshape(x_shape)), wrap(dt)


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
        return CrossEntropyWithProbabilities.apply(
            input, target, weight=_class_weights(input, weight, classes), reduction=reduction,
            label_smoothing=label_smoothing)
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")
    labels, weights, ignore = _class_targets(input, target, weight, ignore_index,
                                             "log_softmax_lastdim_kernel_impl")
    return CrossEntropy.apply(input, target=labels, weight=weights,
                                  ignore_index=ignore, reduction=reduction,
                                  label_smoothing=max(label_smoothing, 0.0))
