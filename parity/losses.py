"""The losses a lockstep run can train with, by name, each written once for either library.

    loss = LOSSES["cross_entropy"].build(torch)     # torch.nn.functional.cross_entropy
    LOSSES["mse"].targets                           # 'float': y is cast to the run's dtype

`targets` says what the loss expects as its second argument: 'index' (class indices, int64) or
'float' (values like the output, in the run's dtype). A loss that is not in the table can be
given as a function `loss(output, target)` on tensors of either library (tensor methods only).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def nll(input, target):
    """The torch.nn tutorial's hand-written negative log-likelihood: each row's target entry."""
    return -input[range(target.shape[0]), target].mean()


def _sequence_nll(lib):
    """word_language_model's criterion: nll_loss at every position, a (T, B, ntoken) output
    viewed as T * B rows and the (T, B) targets flattened."""
    def sequence_nll(output, target):
        return lib.nn.functional.nll_loss(output.reshape(-1, output.shape[-1]),
                                          target.reshape(-1))
    return sequence_nll


@dataclass(frozen=True)
class Loss:
    name: str
    build: Callable        # build(lib) -> loss(output, target)
    targets: str = "index"  # 'index' (int64 class indices) or 'float' (the run's dtype)


def _functional(name: str):
    return lambda lib: getattr(lib.nn.functional, name)


LOSSES: dict[str, Loss] = {loss.name: loss for loss in [
    Loss("cross_entropy", _functional("cross_entropy")),
    Loss("nll", _functional("nll_loss")),
    Loss("nll_loss", _functional("nll_loss")),
    Loss("tutorial_nll", lambda lib: nll),
    Loss("sequence_nll", _sequence_nll),
    Loss("mse", _functional("mse_loss"), "float"),
    Loss("mse_sum", lambda lib: lib.nn.MSELoss(reduction="sum"), "float"),
    Loss("l1", _functional("l1_loss"), "float"),
    Loss("smooth_l1", _functional("smooth_l1_loss"), "float"),
    Loss("huber", _functional("huber_loss"), "float"),
    Loss("bce", _functional("binary_cross_entropy"), "float"),
    Loss("bce_with_logits", _functional("binary_cross_entropy_with_logits"), "float"),
]}


def resolve(loss) -> Loss:
    """A Loss from a name of LOSSES or from a function `loss(output, target)`."""
    if callable(loss) and not isinstance(loss, str):
        return Loss(getattr(loss, "__name__", "custom"), lambda lib: loss, "as given")
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose from {', '.join(LOSSES)}, or pass a "
                         "function loss(output, target)")
    return LOSSES[loss]
