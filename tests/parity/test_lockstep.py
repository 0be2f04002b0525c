"""Lockstep training against torch: the CI-sized version of `python -m parity`.

Every model of the zoo runs 30 steps in float64 and in float32 (each with one of the six
optimizers, so that all of them are exercised), comparing losses, gradients and parameters at
every step. The full epochs are run by the CLI (see the report).
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.models import MODELS
from parity.mutate import mutated
from parity.records import OPTIMIZERS, RunConfig
from parity.runner import batches
from parity.zoo import run

STEPS = 30
OPTIMIZER_OF = {name: OPTIMIZERS[i % len(OPTIMIZERS)] for i, name in enumerate(MODELS)}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("model", [  # the language models' few steps: test_zoo_sequence.py
    pytest.param(name, marks=pytest.mark.slow) if spec.text else name
    for name, spec in MODELS.items()])
def test_thirty_steps_agree_with_torch(model, dtype, mnist, device):
    config = RunConfig(model, OPTIMIZER_OF[model], dtype, device, steps=STEPS, batch_size=32,
                       eval_every=15)
    result = run(config, mnist)
    assert result.passed, str(result.failure)
    assert len(result.records) == STEPS
    record = result.records[-1]
    assert record.valid_ours is not None and record.valid_rel <= config.tolerance.loss
    worst_loss, _ = result.worst("loss")
    assert worst_loss <= (1e-12 if dtype == "float64" else 1e-4)


def test_batches_share_one_permutation_per_epoch():
    seen = list(batches(10, 4, seed=0, epochs=2, steps=None))
    assert [step for step, _, _ in seen] == list(range(len(seen)))
    for epoch in (0, 1):
        indices = np.concatenate([i for _, e, i in seen if e == epoch])
        assert sorted(indices) == list(range(10))
    assert list(batches(10, 4, 0, 2, None))[0][2].tolist() == seen[0][2].tolist()
    assert len(list(batches(9, 4, 0, 1, None))) == 2  # a last batch of one sample is dropped
    assert len(list(batches(10, 4, 0, 1, steps=7))) == 7  # steps run on into the next epoch
    in_order = [i.tolist() for _, _, i in batches(10, 4, 0, 2, None, shuffle=False)]
    assert in_order == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 2


def test_a_wrong_weight_is_found_in_the_first_layer_that_uses_it(mnist, monkeypatch):
    import parity.runner as runner

    original = runner.build_pair

    def build_pair_with_a_wrong_weight(*args):
        theirs, ours = original(*args)
        with tinygrad_edu.no_grad():
            ours.conv2.weight.mul_(1.01)
        return theirs, ours

    monkeypatch.setattr(runner, "build_pair", build_pair_with_a_wrong_weight)
    result = run(RunConfig("cnn", steps=3), mnist)
    assert not result.passed
    failure = result.failure
    assert failure.step == 0 and failure.what == "loss"
    assert "first layer whose output disagrees is 'conv2'" in failure.where
    assert "'conv1' still agrees" in failure.where


def test_a_wrong_backward_is_located_between_two_layers(mnist):
    with mutated("relu"):
        result = run(RunConfig("sequential_cnn", steps=2), mnist)
    failure = result.failure
    assert failure is not None and failure.what == "gradient"
    assert failure.name == "1.weight"  # the worst: the error grows at every ReLU it crosses
    assert "forward outputs all agree" in failure.where
    # the gradient of the last convolution's output is the first to be wrong: it crossed the
    # last ReLU ('6') on its way back from the loss
    assert "output of '5' (Conv2d)" in failure.where and "and '6'" in failure.where


def test_an_optimizer_difference_is_reported_as_such(mnist):
    config = RunConfig("logistic", "momentum", steps=3)

    class SlowerSGD(torch.optim.SGD):
        def step(self, closure=None):
            for group in self.param_groups:
                group["lr"] *= 1 + 1e-6
            return super().step(closure)

    import parity.runner as runner

    original = runner.make_optimizer
    try:
        runner.make_optimizer = lambda lib, name, params, lr: (
            SlowerSGD(params, lr=lr, momentum=0.9) if lib is torch
            else original(lib, name, params, lr))
        result = run(config, mnist)
    finally:
        runner.make_optimizer = original
    assert result.failure.what == "parameter" and "optimizer update" in result.failure.where


def test_unknown_names_are_refused(mnist):
    with pytest.raises(ValueError, match="unknown model 'vgg'"):
        run(RunConfig("vgg", steps=1), mnist)
    with pytest.raises(ValueError, match="unknown optimizer 'adagrad'"):
        run(RunConfig("logistic", "adagrad", steps=1), mnist)


def test_float32_runs_go_on_after_a_failure_and_keep_the_first(mnist):
    with mutated("relu", size=0.05):
        result = run(RunConfig("mlp", "sgd", "float32", steps=4), mnist)
    assert len(result.records) == 4 and not result.passed
    assert result.failure.step == 0 and result.failure.what == "gradient"
    assert result.onset is result.failure


def test_the_onset_is_diagnosed_without_changing_the_run(mnist, monkeypatch):
    import parity.records
    import parity.runner

    def records(watch):
        monkeypatch.setattr(parity.runner, "WATCH", watch)
        result = run(RunConfig("bn_dropout", "momentum", "float32", steps=3, batch_size=16),
                     mnist)
        return result

    quiet, watched = records(float("inf")), records(0.0)
    assert quiet.onset is None and quiet.passed
    assert watched.onset.step == 0 and "'conv1'" in watched.onset.where
    assert watched.passed  # the onset is a note, not a failure
    # the diagnosis re-runs a step (BatchNorm's running statistics would move twice): undone
    assert [r.loss_ours for r in watched.records] == [r.loss_ours for r in quiet.records]
    assert [r.valid_ours for r in watched.records] == [r.valid_ours for r in quiet.records]
    assert parity.records.WATCH == 1e-4
