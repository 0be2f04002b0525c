"""ctc_loss: Connectionist Temporal Classification (Graves et al., 2006), torch's algorithm.

A sequence of T frames of log-probabilities over C labels (blank included) is scored against a
shorter target sequence l of length L without knowing where each label sits: the loss is
-log Σ_π Π_t y_t(π_t), the sum over every path π of T labels that collapses to l (merge
repeats, then drop blanks). The sum over paths is a dynamic programme over the target padded
with blanks, l' = (blank, l_1, blank, l_2, ..., l_L, blank), of length 2L + 1:

    α_0(0) = y_0(blank),  α_0(1) = y_0(l_1)
    α_t(s) = y_t(l'_s) · (α_{t-1}(s) + α_{t-1}(s-1) + [l'_s ≠ blank, l'_s ≠ l'_{s-2}] α_{t-1}(s-2))
    loss   = -log(α_{T-1}(2L) + α_{T-1}(2L - 1))

and β, the same recursion run backwards from the last frame. Both are computed in log space
(sums become logsumexp), so that long sequences do not underflow. The gradient with respect to
the log-probabilities is torch's:

    d loss / d lp_t(c) = exp(lp_t(c)) - exp(log Σ_{s: l'_s = c} α_t(s) β_t(s) + loss - lp_t(c))

(the first term makes it the gradient of the logits when lp = log_softmax(logits); torch's
convention), zero for frames beyond an input's length. The reduction ('mean' divides each
loss by its target length, then averages) is composed outside the kernel, as torch does.
"""
from __future__ import annotations

from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import CPU, get_array_module, to_device
from ...functions import pointwise
from ...functions.creation import tensor as make_tensor
from ...functions.dtype_support import INTEGRAL, refuse
from ...tensor import Tensor
from ._args import check_tensor, wrap
from .loss import _reduction

__all__ = ["ctc_loss"]


def _logsumexp(xp, *terms):
    """log Σ exp(terms), elementwise; -inf where every term is -inf (not NaN)."""
    stacked = xp.stack(terms)
    top = stacked.max(axis=0)
    shift = xp.where(xp.isneginf(top), 0, top)
    return xp.log(xp.exp(stacked - shift).sum(axis=0)) + shift


def _shift(values, k: int, xp):
    """values moved k places to the right (k > 0) or left (k < 0), -inf coming in."""
    moved = xp.full_like(values, -xp.inf)
    if abs(k) < len(values):
        if k > 0:
            moved[k:] = values[:-k]
        else:
            moved[:k] = values[-k:]
    return moved


def _extended(target, blank, xp):
    """l' = the target with a blank before, between and after its labels; and whether each
    position may be reached from two positions back (a label differing from the one there)."""
    padded = xp.full(2 * len(target) + 1, blank, dtype=xp.int64)
    padded[1::2] = target
    skip = xp.zeros(len(padded), dtype=bool)
    skip[2:] = (padded[2:] != blank) & (padded[2:] != padded[:-2])
    return padded, skip


def _alpha(lp, padded, skip, length, xp):
    """log α_t(s) for t < length: (length, 2L + 1)."""
    alpha = xp.full((length, len(padded)), -xp.inf, dtype=lp.dtype)
    alpha[0, 0] = lp[0, padded[0]]
    if len(padded) > 1:
        alpha[0, 1] = lp[0, padded[1]]
    for t in range(1, length):
        previous = alpha[t - 1]
        two_back = xp.where(skip, _shift(previous, 2, xp), -xp.inf).astype(lp.dtype)
        alpha[t] = lp[t, padded] + _logsumexp(xp, previous, _shift(previous, 1, xp), two_back)
    return alpha


def _beta(lp, padded, skip, length, xp):
    """log β_t(s) for t < length, run from the last frame back (β includes y_t itself)."""
    beta = xp.full((length, len(padded)), -xp.inf, dtype=lp.dtype)
    beta[length - 1, -1] = lp[length - 1, padded[-1]]
    if len(padded) > 1:
        beta[length - 1, -2] = lp[length - 1, padded[-2]]
    skip_ahead = xp.zeros_like(skip)  # whether s + 2 may be reached from s
    skip_ahead[:-2] = skip[2:]
    for t in range(length - 2, -1, -1):
        following = beta[t + 1]
        two_ahead = xp.where(skip_ahead, _shift(following, -2, xp), -xp.inf).astype(lp.dtype)
        beta[t] = lp[t, padded] + _logsumexp(xp, following, _shift(following, -1, xp),
                                             two_ahead)
    return beta


class CtcLoss(Primitive):
    """nll_b = -log Σ_{paths of sample b} Π y   (α recursion: see the module docstring);
    d nll_b / d lp_t(c) = exp(lp_t(c)) - exp(log Σ_{s: l'_s = c} α_t(s) β_t(s) + nll_b - lp_t(c))"""

    @staticmethod
    def forward(ctx, log_probs, *, targets, input_lengths, blank, zero_infinity):
        xp = get_array_module(log_probs)
        losses, alphas = [], []
        for b, (target, length) in enumerate(zip(targets, input_lengths)):
            padded, skip = _extended(target, blank, xp)
            if length == 0:
                alphas.append(None)
                losses.append(0.0 if len(target) == 0 else xp.inf)
                continue
            alpha = _alpha(log_probs[:, b], padded, skip, length, xp)
            alphas.append(alpha)
            ends = alpha[-1, -2:]  # the paths end on the last label or the blank after it
            losses.append(float(-_logsumexp(xp, *ends)))
        nll = xp.asarray(losses, dtype=log_probs.dtype)
        ctx.save_for_backward(log_probs)
        ctx.targets, ctx.input_lengths, ctx.blank = targets, input_lengths, blank
        ctx.zero_infinity, ctx.alphas, ctx.nll = zero_infinity, alphas, nll
        return nll

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        log_probs, = ctx.saved_tensors
        lp_all = log_probs._data
        xp = get_array_module(lp_all)
        grad = xp.zeros_like(lp_all)
        for b, (target, length) in enumerate(zip(ctx.targets, ctx.input_lengths)):
            nll = ctx.nll[b]
            if length == 0 or (ctx.zero_infinity and xp.isinf(nll)):
                continue
            lp = lp_all[:length, b]
            padded, skip = _extended(target, ctx.blank, xp)
            both = ctx.alphas[b] + _beta(lp, padded, skip, length, xp)
            # log Σ over the positions s holding label c, for every c: (length, C)
            per_label = xp.full(lp.shape, -xp.inf, dtype=lp.dtype)
            for c in xp.unique(padded).tolist():
                per_label[:, c] = _logsumexp(xp, *both[:, padded == c].T)
            with xp.errstate(invalid="ignore", over="ignore"):
                grad[:length, b] = (xp.exp(lp) - xp.exp(per_label + nll - lp)) * \
                    grad_output._data[b]
        return wrap(grad)


# ----------------------------------------------------------------------------- the function

def _lengths(values, name: str) -> list:
    if isinstance(values, Tensor):
        return [int(v) for v in to_device(values._data, CPU).reshape(-1).tolist()]
    return [int(v) for v in values]


def _check_lengths(lengths: list, name: str, batch: int, limit: int | None = None) -> None:
    if len(lengths) != batch:
        raise RuntimeError(f"{name} must be of size batch_size")
    for value in lengths:
        if value < 0:
            raise RuntimeError(f"Expected {name} to have value at least 0, but got value "
                               f"{value} (while checking arguments for "
                               "ctc_loss_allocate_outputs)")
        if limit is not None and value > limit:
            raise RuntimeError(f"Expected {name} to have value at most {limit}, but got value "
                               f"{value} (while checking arguments for "
                               "ctc_loss_allocate_outputs)")


def _split_targets(targets: Tensor, target_lengths: list, batched: bool) -> list:
    """Each sample's target labels: rows of a padded (N, S) tensor, or consecutive pieces of a
    1-d tensor of all targets concatenated."""
    labels = to_device(targets._data, CPU).astype("int64")
    if not batched:
        labels = labels.reshape(1, -1)
    if labels.ndim == 1:
        starts = [sum(target_lengths[:b]) for b in range(len(target_lengths))]
        return [labels[start:start + n] for start, n in zip(starts, target_lengths)]
    longest = max(target_lengths, default=0)
    if labels.shape[1] < longest:
        raise RuntimeError(f"Expected tensor to have size at least {longest} at dimension 1, but "
                           f"got size {labels.shape[1]} for argument #2 'targets' (while "
                           "checking arguments for ctc_loss_allocate_outputs)")
    return [labels[b, :n] for b, n in enumerate(target_lengths)]


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """The CTC loss of (T, N, C) (or unbatched (T, C)) log-probabilities against targets, as a
    padded (N, S) tensor or all targets concatenated, with each sample's input and target
    lengths. 'mean' divides each loss by its target length (at least 1), then averages;
    zero_infinity replaces infinite losses (no possible alignment) and their gradients by 0."""
    check_tensor(log_probs, "ctc_loss", "log_probs")
    check_tensor(targets, "ctc_loss", "targets", 2)
    reduction = _reduction(None, None, reduction)
    refuse(log_probs, "ctc_loss_cpu", INTEGRAL | {"float16"})
    batched = log_probs.dim() == 3
    if not batched:
        log_probs = log_probs.unsqueeze(1)
    if log_probs.dim() != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {log_probs.dim()}-dimensional "
                           "tensor for argument #1 'log_probs' (while checking arguments for "
                           "ctc_loss_allocate_outputs)")
    steps, batch, labels = log_probs.shape
    if not 0 <= blank < labels:
        raise RuntimeError("blank must be in label range")
    input_lengths = _lengths(input_lengths, "input_lengths")
    target_lengths = _lengths(target_lengths, "target_lengths")
    _check_lengths(input_lengths, "input_lengths", batch, steps)
    _check_lengths(target_lengths, "target_lengths", batch)
    split = _split_targets(targets, target_lengths, batched)
    xp = get_array_module(log_probs._data)
    split = [xp.asarray(target) for target in split]
    losses = CtcLoss.apply(log_probs, targets=split, input_lengths=input_lengths, blank=blank,
                           zero_infinity=zero_infinity)
    if zero_infinity:
        losses = pointwise.where(losses == float("inf"), 0.0, losses)
    if not batched:
        losses = losses.squeeze(0)
    if reduction == "mean":
        divisors = make_tensor(target_lengths if batched else target_lengths[0],
                               dtype=losses.dtype, device=losses.device)
        return (losses / pointwise.clamp_min(divisors, 1)).mean()
    return losses.sum() if reduction == "sum" else losses
