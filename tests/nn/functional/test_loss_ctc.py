"""ctc_loss against torch: padded and concatenated targets, unbatched input, every reduction,
impossible alignments (infinite loss, NaN gradient) and zero_infinity, torch's gradient
convention; without torch, a brute-force sum over all alignments; torch's errors."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import tinygrad_edu
import tinygrad_edu.nn.functional as F

RNG = np.random.default_rng(0)
LOGITS = RNG.standard_normal((6, 3, 4))
LOG_PROBS = LOGITS - np.log(np.exp(LOGITS).sum(-1, keepdims=True))
TARGETS = np.array([[1, 2, 2], [3, 1, 0], [1, 1, 1]])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_matches_torch(reduction, zero_infinity, same_as_torch):
    options = {"reduction": reduction, "zero_infinity": zero_infinity}
    same_as_torch(lambda lib, x: lib.nn.functional.ctc_loss(
        x, lib.tensor(TARGETS), [6, 4, 5], [3, 2, 3], **options), LOG_PROBS)
    # [6, 1, 2]: samples 2 and 3 cannot fit their targets: infinite loss, NaN gradient
    same_as_torch(lambda lib, x: lib.nn.functional.ctc_loss(
        x, lib.tensor(TARGETS), [6, 1, 2], [3, 2, 3], **options), LOG_PROBS)
    same_as_torch(lambda lib, x: lib.nn.functional.ctc_loss(
        x, lib.tensor([1, 2, 2, 3, 1, 1, 1, 1]), lib.tensor([6, 4, 5]), lib.tensor([3, 2, 3]),
        **options), LOG_PROBS)
    same_as_torch(lambda lib, x: lib.nn.functional.ctc_loss(
        x[:, 0], lib.tensor([1, 2, 2]), lib.tensor(6), lib.tensor(3), **options), LOG_PROBS)


def test_through_log_softmax_another_blank_and_empty_targets(same_as_torch):
    same_as_torch(lambda lib, x: lib.nn.functional.ctc_loss(
        x.log_softmax(2), lib.tensor(TARGETS), [6, 4, 5], [3, 0, 1], blank=3), LOGITS)


def _brute_force(log_probs, target, blank):
    """-log Σ over every path of len(log_probs) labels that collapses to target."""
    steps, labels = log_probs.shape
    total = 0.0
    for path in itertools.product(range(labels), repeat=steps):
        merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        if [c for c in merged if c != blank] == list(target):
            total += math.exp(sum(log_probs[t, c] for t, c in enumerate(path)))
    return -math.log(total)


@pytest.mark.parametrize("target", [[1], [1, 1], [2, 1], []])
def test_the_recursion_sums_every_alignment(target):
    log_probs = LOG_PROBS[:4, 0, :3]
    loss = F.ctc_loss(tinygrad_edu.tensor(log_probs[:, None]), tinygrad_edu.tensor([target]),
                      [4], [len(target)], reduction="sum")
    assert loss.item() == pytest.approx(_brute_force(log_probs, target, 0), rel=1e-12)


def test_twice_differentiating_is_refused_clearly():
    x = tinygrad_edu.tensor(LOG_PROBS, requires_grad=True)
    loss = F.ctc_loss(x, tinygrad_edu.tensor(TARGETS), [6, 4, 5], [3, 2, 3])
    grad, = tinygrad_edu.autograd.grad(loss * loss, x, create_graph=True)
    with pytest.raises(RuntimeError, match="once_differentiable"):
        grad.sum().backward()


ERRORS = [
    (lambda lib: lib.nn.functional.ctc_loss(lib.zeros(5, 2, 4), lib.tensor([[1, 2]] * 2),
                                            [6, 4], [2, 2]),
     "Expected input_lengths to have value at most 5, but got value 6"),
    (lambda lib: lib.nn.functional.ctc_loss(lib.zeros(5, 2, 4), lib.tensor([[1, 2]] * 2),
                                            [5, 4, 3], [2, 2]),
     "input_lengths must be of size batch_size"),
    (lambda lib: lib.nn.functional.ctc_loss(lib.zeros(5, 2, 4), lib.tensor([[1, 2]] * 2),
                                            [5, 4], [3, 2]),
     "Expected tensor to have size at least 3 at dimension 1, but got size 2"),
    (lambda lib: lib.nn.functional.ctc_loss(lib.zeros(5, 2, 4), lib.tensor([[1, 2]] * 2),
                                            [5, 4], [2, 2], blank=4),
     "blank must be in label range"),
    (lambda lib: lib.nn.functional.ctc_loss(lib.zeros(5, 2, 4), lib.tensor([[1, 2]] * 2),
                                            [5, -1], [2, 2]),
     "Expected input_lengths to have value at least 0, but got value -1"),
    (lambda lib: lib.nn.functional.ctc_loss(lib.zeros(5, 2, 4, dtype=lib.int64),
                                            lib.tensor([[1, 2]] * 2), [5, 4], [2, 2]),
     "\"ctc_loss_cpu\" not implemented for 'Long'"),
    (lambda lib: lib.nn.functional.ctc_loss(lib.zeros(5, 2, 4), lib.tensor([[1, 2]] * 2),
                                            [5, 4], [2, 2], reduction="x"),
     "x is not a valid value for reduction"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
