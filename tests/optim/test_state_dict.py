"""Optimizer checkpoints: torch's state_dict layout, and resuming gives the same run."""
from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

import tinygrad_edu

SETUPS = {
    "SGD": {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    "SGD-plain": {"lr": 0.1},
    "Adam": {"lr": 0.01, "amsgrad": True, "weight_decay": 0.01},
    "AdamW": {"lr": 0.01},
    "RMSprop": {"lr": 0.01, "momentum": 0.5, "centered": True},
    "Adagrad": {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1},
    "Adadelta": {"lr": 1.0, "rho": 0.8},
    "Adamax": {"lr": 0.01, "weight_decay": 0.01},
    "NAdam": {"lr": 0.01, "decoupled_weight_decay": True, "weight_decay": 0.01},
    "RAdam": {"lr": 0.01},
    "ASGD": {"lr": 0.01, "t0": 2.0},
    "Rprop": {"lr": 0.01},
    "Adafactor": {"lr": 0.01},
}
SHAPES = [(4, 3), (3,), (2,)]


def make(lib, name: str, arrays: list[np.ndarray]):
    """Three parameters in two groups; the last one never gets a gradient."""
    params = [lib.tensor(a.copy(), requires_grad=True) for a in arrays]
    groups = [{"params": params[:1]}, {"params": params[1:], "lr": 0.05}]
    return params, getattr(lib.optim, name.split("-")[0])(groups, **SETUPS[name])


def train(lib, params, optimizer, steps: int, start: int) -> None:
    """Gradients that depend on the parameters (a quadratic), step numbers `start`, ..."""
    for step in range(start, start + steps):
        optimizer.zero_grad()
        for k, p in enumerate(params[:2]):
            p.grad = p.detach() * (1.0 + 0.1 * k) + 0.01 * (step % 5)
        optimizer.step()


def initial_arrays(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in SHAPES]


def describe(value):
    """The structure of a state value: kind, and for tensors shape and dtype."""
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return ("tensor", tuple(value.shape), str(value.dtype).replace("torch.", ""))
    return (type(value).__name__, value)


@pytest.mark.parametrize("name", list(SETUPS))
def test_state_dict_has_torchs_structure(name):
    arrays = initial_arrays()
    dicts = []
    for lib in (tinygrad_edu, torch):
        params, optimizer = make(lib, name, arrays)
        train(lib, params, optimizer, steps=3, start=0)
        dicts.append(optimizer.state_dict())
    ours, theirs = dicts
    assert list(ours) == list(theirs) == ["state", "param_groups"]
    assert ours["param_groups"] == theirs["param_groups"]
    assert list(ours["state"]) == list(theirs["state"])
    for index in theirs["state"]:
        our_state, their_state = ours["state"][index], theirs["state"][index]
        assert list(our_state) == list(their_state)
        for key in their_state:
            assert describe(our_state[key]) == describe(their_state[key]), key
            np.testing.assert_allclose(np.asarray(our_state[key]),
                                       their_state[key].numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", list(SETUPS))
def test_resume_equals_an_uninterrupted_run(name):
    """50 steps, save parameters and optimizer, load into fresh objects, 50 more steps."""
    arrays = initial_arrays()
    params, optimizer = make(tinygrad_edu, name, arrays)
    train(tinygrad_edu, params, optimizer, steps=50, start=0)
    saved_params = [p.detach().numpy().copy() for p in params]
    saved_optimizer = copy.deepcopy(optimizer.state_dict())  # what save + load would give
    train(tinygrad_edu, params, optimizer, steps=50, start=50)

    fresh_params, fresh_optimizer = make(tinygrad_edu, name, initial_arrays(seed=1))
    fresh_optimizer.param_groups[0]["lr"] = 123.0  # overwritten by the checkpoint
    with tinygrad_edu.no_grad():
        for p, array in zip(fresh_params, saved_params):
            p.copy_(tinygrad_edu.tensor(array))
    fresh_optimizer.load_state_dict(saved_optimizer)
    assert fresh_optimizer.param_groups[0]["lr"] == optimizer.param_groups[0]["lr"]
    train(tinygrad_edu, fresh_params, fresh_optimizer, steps=50, start=50)
    for resumed, uninterrupted in zip(fresh_params, params):
        np.testing.assert_array_equal(resumed.detach().numpy(), uninterrupted.detach().numpy())


def test_loaded_state_is_cast_to_the_parameters_dtype_but_step_is_not():
    source = [tinygrad_edu.ones(3, dtype=tinygrad_edu.float64, requires_grad=True)]
    optimizer = tinygrad_edu.optim.Adam(source)
    source[0].grad = tinygrad_edu.ones(3, dtype=tinygrad_edu.float64)
    optimizer.step()
    target = tinygrad_edu.ones(3, requires_grad=True)  # float32
    loaded = tinygrad_edu.optim.Adam([target])
    loaded.load_state_dict(optimizer.state_dict())
    state = loaded.state[target]
    assert state["exp_avg"].dtype == tinygrad_edu.float32
    assert state["step"].dtype == tinygrad_edu.float32 and state["step"].item() == 1.0


def test_a_torch_state_dict_loads_into_ours():
    """torch's checkpoint layout is ours: the lists, dicts and options carry over unchanged."""
    arrays = initial_arrays()
    params, optimizer = make(torch, "SGD", arrays)
    train(torch, params, optimizer, steps=2, start=0)
    state = optimizer.state_dict()
    converted = {"param_groups": state["param_groups"],
                 "state": {k: {key: tinygrad_edu.tensor(v.numpy()) for key, v in s.items()}
                           for k, s in state["state"].items()}}
    our_params, ours = make(tinygrad_edu, "SGD", [p.detach().numpy() for p in params])
    ours.load_state_dict(converted)
    train(torch, params, optimizer, steps=3, start=2)
    train(tinygrad_edu, our_params, ours, steps=3, start=2)
    for o, t in zip(our_params, params):
        np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), rtol=1e-12)
