"""embedding_bag against torch: sum, mean and max bags from offsets or 2-d inputs,
include_last_offset, padding_idx, per_sample_weights, empty bags, max_norm; torch's errors.
scale_grad_by_freq is compared with F.embedding's (see the test)."""
from __future__ import annotations

import numpy as np
import pytest

RNG = np.random.default_rng(0)
WEIGHT = RNG.standard_normal((6, 3))
INDICES = np.array([1, 2, 4, 5, 4, 3, 0, 0])


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 4, -2])
def test_bags_from_offsets_and_from_rows(mode, padding_idx, same_as_torch):
    for offsets, last in (([0, 2, 2, 5], False), ([0, 2, 2, 5, 8], True)):
        same_as_torch(lambda lib, w: lib.nn.functional.embedding_bag(
            lib.tensor(INDICES), w, lib.tensor(offsets), mode=mode, padding_idx=padding_idx,
            include_last_offset=last), WEIGHT)
    same_as_torch(lambda lib, w: lib.nn.functional.embedding_bag(
        lib.tensor(INDICES.reshape(2, 4)), w, mode=mode, padding_idx=padding_idx), WEIGHT)


def test_per_sample_weights_ties_empty_inputs_and_max_norm(same_as_torch):
    same_as_torch(lambda lib, w, p: lib.nn.functional.embedding_bag(
        lib.tensor(INDICES), w, lib.tensor([0, 3]), mode="sum", per_sample_weights=p),
        WEIGHT, RNG.standard_normal(8))
    same_as_torch(lambda lib, w: lib.nn.functional.embedding_bag(  # the first maximum wins
        lib.tensor([0, 1, 1]), w, lib.tensor([0]), mode="max"), np.array([[1.0, 2, 3]] * 2))
    same_as_torch(lambda lib, w: lib.nn.functional.embedding_bag(
        lib.tensor(np.array([], dtype=np.int64)), w, lib.tensor([0, 0])), WEIGHT)
    same_as_torch(lambda lib, w: lib.nn.functional.embedding_bag(
        lib.tensor(INDICES), w * 1, lib.tensor([0, 3]), max_norm=1.0), WEIGHT)


@pytest.mark.parametrize("mode", ["sum", "mean"])
def test_scale_grad_by_freq_divides_each_rows_gradient_by_its_count(mode, same_as_torch):
    # torch 2.13's CPU embedding_bag takes each count at the wrong position of its sorted
    # indices; we divide by the count of the index, as F.embedding does: compared with that
    def ours(lib, w):
        return lib.nn.functional.embedding_bag(lib.tensor(INDICES), w, lib.tensor([0, 3]),
                                               mode=mode, scale_grad_by_freq=True)

    def reference(lib, w):
        rows = lib.nn.functional.embedding(lib.tensor(INDICES), w, scale_grad_by_freq=True)
        pool = (lambda r: r.sum(0)) if mode == "sum" else (lambda r: r.mean(0))
        return lib.stack([pool(rows[:3]), pool(rows[3:])])
    import tinygrad_edu
    expected = same_as_torch(reference, WEIGHT)
    w = tinygrad_edu.tensor(WEIGHT, requires_grad=True)
    out = ours(tinygrad_edu, w)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy())
    out.backward(tinygrad_edu.ones_like(out))
    w2 = tinygrad_edu.tensor(WEIGHT, requires_grad=True)
    reference(tinygrad_edu, w2).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), w2.grad.numpy())


ERRORS = [
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([1, 2]), lib.ones(6, 3),
                                                 lib.tensor([1, 2])),
     "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start"),
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([1, 2]), lib.ones(6, 3),
                                                 lib.tensor([0, 7])),
     "offsets[-1] can not be greater than input's length"),
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([1, 9]), lib.ones(6, 3),
                                                 lib.tensor([0])),
     "Index 1 of input takes value 9 which is not in the valid range [0, 6)"),
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([1, 2]), lib.ones(6, 3),
                                                 lib.tensor([0]), padding_idx=7),
     "padding_idx must be within the number of embeddings, -6 through 5, but got 7"),
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([1, 2]), lib.ones(6, 3),
                                                 lib.tensor([0]), mode="max",
                                                 per_sample_weights=lib.ones(2)),
     "per_sample_weights is only supported for mode='sum'"),
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([[1, 2]]), lib.ones(6, 3),
                                                 lib.tensor([0])),
     "if input is 2D, then offsets has to be None"),
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([1, 2]), lib.ones(6, 3)),
     "offsets has to be a 1D Tensor but got None"),
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([1, 2]), lib.ones(6, 3),
                                                 lib.tensor([0]), mode="median"),
     "mode has to be one of sum, mean or max"),
    (lambda lib: lib.nn.functional.embedding_bag(lib.tensor([1.0, 2]), lib.ones(6, 3),
                                                 lib.tensor([0])),
     "Expected tensor for argument #1 'indices' to have one of the following scalar types"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
