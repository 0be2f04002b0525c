"""Learning-rate schedulers: the same lr sequence as torch's, to the last bit."""
from __future__ import annotations

import copy
import warnings

import pytest
import torch

import tinygrad_edu

EPOCHS = 100


def optimizer_for(lib, name: str = "SGD"):
    """Two parameter groups with different starting learning rates."""
    a, b = lib.zeros(2, requires_grad=True), lib.zeros(3, requires_grad=True)
    groups = [{"params": [a]}, {"params": [b], "lr": 0.05}]
    if name == "Adam":
        return lib.optim.Adam(groups, lr=0.1)
    return lib.optim.SGD(groups, lr=0.1, momentum=0.9)


SCHEDULES = {
    "StepLR": lambda s, o: s.StepLR(o, step_size=7, gamma=0.5),
    "StepLR-default": lambda s, o: s.StepLR(o, 30),
    "MultiStepLR": lambda s, o: s.MultiStepLR(o, milestones=[10, 30, 30, 75], gamma=0.3),
    "ExponentialLR": lambda s, o: s.ExponentialLR(o, gamma=0.95),
    "CosineAnnealingLR": lambda s, o: s.CosineAnnealingLR(o, T_max=40),
    "CosineAnnealingLR-restart": lambda s, o: s.CosineAnnealingLR(o, T_max=15, eta_min=1e-3),
    "LambdaLR": lambda s, o: s.LambdaLR(o, lambda epoch: 1.0 / (1 + epoch)),
    "LambdaLR-per-group": lambda s, o: s.LambdaLR(o, [lambda e: 0.9**e, lambda e: e // 10]),
    "MultiplicativeLR": lambda s, o: s.MultiplicativeLR(o, lambda epoch: 0.97),
    "OneCycleLR": lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=EPOCHS),
    "OneCycleLR-linear": lambda s, o: s.OneCycleLR(o, max_lr=[1.0, 0.3], epochs=10,
                                                   steps_per_epoch=11, pct_start=0.25,
                                                   anneal_strategy="linear"),
    "OneCycleLR-three-phase": lambda s, o: s.OneCycleLR(o, max_lr=0.5, total_steps=120,
                                                        three_phase=True, div_factor=10.0),
    "LinearLR": lambda s, o: s.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=20),
    "ConstantLR": lambda s, o: s.ConstantLR(o, factor=0.5, total_iters=10),
    "PolynomialLR": lambda s, o: s.PolynomialLR(o, total_iters=60, power=2.0),
    "SequentialLR": lambda s, o: s.SequentialLR(o, [s.LinearLR(o, 0.1, total_iters=5),
                                                    s.CosineAnnealingLR(o, T_max=30),
                                                    s.ExponentialLR(o, 0.9)], [5, 40]),
    "CosineAnnealingWarmRestarts": lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=7),
    "CosineAnnealingWarmRestarts-mult": lambda s, o: s.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=1e-3),
    "CyclicLR": lambda s, o: s.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=6),
    "CyclicLR-triangular2": lambda s, o: s.CyclicLR(o, [0.01, 0.02], [0.1, 0.3], step_size_up=4,
                                                    step_size_down=9, mode="triangular2",
                                                    base_momentum=0.5, max_momentum=0.95),
    "CyclicLR-exp-range": lambda s, o: s.CyclicLR(o, 0.01, 0.1, 5, mode="exp_range",
                                                  gamma=0.98, cycle_momentum=False),
    "CyclicLR-scale-fn": lambda s, o: s.CyclicLR(o, 0.01, 0.1, 5, scale_fn=lambda x: 0.9**x,
                                                 scale_mode="iterations"),
    "ChainedScheduler": lambda s, o: s.ChainedScheduler([s.ConstantLR(o, 0.5, total_iters=4),
                                                         s.ExponentialLR(o, 0.9)]),
}


def lr_sequence(lib, schedule, epochs: int = EPOCHS, optimizer_name: str = "SGD"):
    """The lrs after construction and after each step, with the momentum (or beta1) seen."""
    optimizer = optimizer_for(lib, optimizer_name)
    scheduler = schedule(lib.optim.lr_scheduler, optimizer)
    seen = [(tuple(scheduler.get_last_lr()), tuple(g["lr"] for g in optimizer.param_groups))]
    for _ in range(epochs):
        optimizer.step()
        scheduler.step()
        momenta = tuple(g.get("momentum", g.get("betas")) for g in optimizer.param_groups)
        seen.append((tuple(scheduler.get_last_lr()), momenta))
    return seen


def test_every_name_is_at_torchs_module_path():
    """The package re-exports each topic file's classes: `optim.lr_scheduler.X`, as in torch."""
    ours, theirs = tinygrad_edu.optim.lr_scheduler, torch.optim.lr_scheduler
    for name in [*ours.__all__, "_LRScheduler", "EPOCH_DEPRECATION_WARNING", "Optimizer"]:
        assert hasattr(ours, name) and hasattr(theirs, name), name
    assert ours._LRScheduler is ours.LRScheduler
    assert ours.Optimizer is tinygrad_edu.optim.Optimizer
    assert ours.EPOCH_DEPRECATION_WARNING == theirs.EPOCH_DEPRECATION_WARNING


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_lr_sequence_equals_torchs_exactly(name):
    assert lr_sequence(tinygrad_edu, SCHEDULES[name]) == lr_sequence(torch, SCHEDULES[name])


def test_one_cycle_moves_adams_beta1():
    schedule = SCHEDULES["OneCycleLR"]
    ours = lr_sequence(tinygrad_edu, schedule, optimizer_name="Adam")
    assert ours == lr_sequence(torch, schedule, optimizer_name="Adam")


def test_one_cycle_refuses_to_step_past_the_end():
    for lib in (torch, tinygrad_edu):
        optimizer = optimizer_for(lib)
        scheduler = lib.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1.0, total_steps=3)
        for _ in range(3):
            optimizer.step()
            scheduler.step()
        with pytest.raises(ValueError, match="Tried to step 4 times. The specified number of "
                                             "total steps is 3"):
            scheduler.step()


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
                                  "LinearLR", "ConstantLR", "PolynomialLR"])
def test_step_with_an_epoch_uses_the_closed_form(name):
    def run(lib):
        optimizer = optimizer_for(lib)
        scheduler = SCHEDULES[name](lib.optim.lr_scheduler, optimizer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [scheduler.step(epoch) or tuple(scheduler.get_last_lr())
                    for epoch in (3, 17, 5, 40, 41)]
    assert run(tinygrad_edu) == run(torch)


@pytest.mark.parametrize("name", ["StepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR",
                                  "OneCycleLR", "SequentialLR", "LinearLR"])
def test_resume_from_state_dict(name):
    """Save optimizer and scheduler at epoch 30, rebuild both, load: the same schedule on."""
    schedule = SCHEDULES[name]
    optimizer = optimizer_for(tinygrad_edu)
    scheduler = schedule(tinygrad_edu.optim.lr_scheduler, optimizer)
    for _ in range(30):
        optimizer.step()
        scheduler.step()
    saved = copy.deepcopy((optimizer.state_dict(), scheduler.state_dict()))
    expected = []
    for _ in range(30):
        optimizer.step()
        scheduler.step()
        expected.append(scheduler.get_last_lr())

    fresh_optimizer = optimizer_for(tinygrad_edu)
    fresh = schedule(tinygrad_edu.optim.lr_scheduler, fresh_optimizer)
    fresh_optimizer.load_state_dict(saved[0])
    fresh.load_state_dict(saved[1])
    resumed = []
    for _ in range(30):
        fresh_optimizer.step()
        fresh.step()
        resumed.append(fresh.get_last_lr())
    assert resumed == expected


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "CosineAnnealingLR", "OneCycleLR",
                                  "SequentialLR", "LambdaLR"])
def test_state_dict_keys_match_torch(name):
    def keys(lib):
        state = SCHEDULES[name](lib.optim.lr_scheduler, optimizer_for(lib)).state_dict()
        return sorted(state), state.get("last_epoch"), state.get("base_lrs")
    assert keys(tinygrad_edu) == keys(torch)


def test_last_epoch_resumes_from_initial_lr():
    """A scheduler built with last_epoch >= 0 continues from the groups' `initial_lr`."""
    def run(lib):
        optimizer = optimizer_for(lib)
        with pytest.raises(KeyError, match="initial_lr"):
            lib.optim.lr_scheduler.StepLR(optimizer, 3, last_epoch=5)
        for group in optimizer.param_groups:
            group["initial_lr"] = group["lr"]
        scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(optimizer, 20, last_epoch=5)
        lrs = [tuple(scheduler.get_last_lr())]
        for _ in range(10):
            optimizer.step()
            scheduler.step()
            lrs.append(tuple(scheduler.get_last_lr()))
        return lrs
    assert run(tinygrad_edu) == run(torch)


def test_warns_when_stepped_before_the_optimizer():
    optimizer = optimizer_for(tinygrad_edu)
    scheduler = tinygrad_edu.optim.lr_scheduler.StepLR(optimizer, 3)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        scheduler.step()
    optimizer = optimizer_for(tinygrad_edu)
    scheduler = tinygrad_edu.optim.lr_scheduler.StepLR(optimizer, 3)
    optimizer.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler.step()


@pytest.mark.parametrize("make", [
    lambda s, o: s.ConstantLR(o, factor=1.5),
    lambda s, o: s.LinearLR(o, start_factor=0.0),
    lambda s, o: s.LambdaLR(o, [lambda e: 1.0]),
    lambda s, o: s.OneCycleLR(o, max_lr=1.0),
    lambda s, o: s.OneCycleLR(o, max_lr=1.0, total_steps=10, anneal_strategy="exp"),
    lambda s, o: s.SequentialLR(o, [s.StepLR(o, 2)], [3]),
    lambda s, o: s.ReduceLROnPlateau(o, factor=1.0),
    lambda s, o: s.ReduceLROnPlateau(o, mode="median"),
    lambda s, o: s.ReduceLROnPlateau(o, min_lr=[0.1]),
])
def test_errors_in_torchs_words(make):
    errors = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(Exception) as caught:
            make(lib.optim.lr_scheduler, optimizer_for(lib))
        errors.append(caught.value)
    assert type(errors[1]) is type(errors[0])
    assert str(errors[1]) == str(errors[0])


# ----------------------------------------------------------------------------- ReduceLROnPlateau

LOSSES = ([1.0, 0.9, 0.95, 0.97, 0.96, 0.899, 0.8999, 0.9, 0.91, 0.5, 0.5, 0.50001, 0.6, 0.7,
           0.49995, 0.8, 0.8, 0.8, 0.1, 0.2] * 3)


@pytest.mark.parametrize("options", [
    {}, {"patience": 0}, {"patience": 2, "factor": 0.5},
    {"mode": "max", "patience": 1}, {"threshold_mode": "abs", "threshold": 0.01, "patience": 1},
    {"mode": "max", "threshold_mode": "abs", "threshold": 0.05, "patience": 0},
    {"patience": 1, "cooldown": 3}, {"patience": 0, "min_lr": 0.01, "factor": 0.3},
    {"patience": 0, "min_lr": [0.02, 0.0], "factor": 0.5},
    {"patience": 0, "factor": 0.5, "eps": 0.02},
])
def test_reduce_on_plateau_reduces_at_torchs_epochs(options):
    def run(lib):
        optimizer = optimizer_for(lib)
        scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **options)
        lrs = []
        for loss in LOSSES:
            scheduler.step(lib.tensor(loss))  # a 0-d tensor, as a validation loss would be
            lrs.append((tuple(g["lr"] for g in optimizer.param_groups),
                        tuple(scheduler.get_last_lr()), scheduler.num_bad_epochs,
                        scheduler.cooldown_counter))
        return lrs, sorted(scheduler.state_dict())
    ours, theirs = run(tinygrad_edu), run(torch)
    assert ours == theirs
    assert len({lrs for lrs, *_ in ours[0]}) > 1  # the script does make it reduce


def test_reduce_on_plateau_resumes_from_state_dict():
    optimizer = optimizer_for(tinygrad_edu)
    scheduler = tinygrad_edu.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=1,
                                                                 mode="max")
    for loss in LOSSES[:10]:
        scheduler.step(loss)
    saved = copy.deepcopy(scheduler.state_dict())
    fresh = tinygrad_edu.optim.lr_scheduler.ReduceLROnPlateau(optimizer_for(tinygrad_edu))
    fresh.load_state_dict(saved)
    assert fresh.mode == "max" and fresh.best == scheduler.best
    assert fresh.is_better(scheduler.best + 1.0, scheduler.best)


def test_warm_restarts_with_fractional_epochs_follow_torch():
    def run(lib):
        optimizer = optimizer_for(lib)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, 4, T_mult=2)
        lrs = []
        for epoch in (0.5, 1.25, 3.9, 4.0, 7.5, 12.0, 13.3, 30.0):
            optimizer.step()
            scheduler.step(epoch)
            lrs.append((scheduler.get_last_lr(), scheduler.T_i, scheduler.T_cur))
        return lrs
    assert run(tinygrad_edu) == run(torch)


@pytest.mark.parametrize("make", [
    lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=0),
    lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0),
    lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=2, eta_min="x"),
    lambda s, o: s.CyclicLR(o, 0.1, 1.0, mode="sawtooth"),
    lambda s, o: s.CyclicLR(o, [0.1], 1.0),
    lambda s, o: s.ChainedScheduler([]),
])
def test_new_scheduler_errors_in_torchs_words(make):
    errors = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(Exception) as caught:
            make(lib.optim.lr_scheduler, optimizer_for(lib))
        errors.append((type(caught.value).__name__, str(caught.value)))
    assert errors[0] == errors[1]


def test_cyclic_lr_needs_momentum_and_chained_state_round_trips():
    for lib in (torch, tinygrad_edu):
        p = lib.zeros(2, requires_grad=True)
        with pytest.raises(ValueError, match="optimizer must support momentum"):
            lib.optim.lr_scheduler.CyclicLR(lib.optim.Adagrad([p]), 0.01, 0.1)
    sequences = []
    for lib in (torch, tinygrad_edu):
        schedule = SCHEDULES["ChainedScheduler"]
        optimizer = optimizer_for(lib)
        scheduler = schedule(lib.optim.lr_scheduler, optimizer)
        for _ in range(3):
            optimizer.step()
            scheduler.step()
        state = copy.deepcopy(scheduler.state_dict())
        fresh_optimizer = optimizer_for(lib)
        fresh_optimizer.load_state_dict(optimizer.state_dict())
        fresh = schedule(lib.optim.lr_scheduler, fresh_optimizer)
        fresh.load_state_dict(state)
        for _ in range(5):
            fresh_optimizer.step()
            fresh.step()
        sequences.append((sorted(state), fresh.get_last_lr()))
    assert sequences[0] == sequences[1]
