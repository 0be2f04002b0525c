"""Optimizer hooks around step(), state_dict() and load_state_dict(), run as torch runs them."""
from __future__ import annotations

import importlib

import pytest
import torch

import tinygrad_edu


def calls_of(lib):
    """The order in which each kind of hook ran over two steps, a state_dict and a load."""
    calls = []
    p = lib.ones(2, requires_grad=True)
    optimizer = lib.optim.SGD([p], lr=0.5)
    module = importlib.import_module(f"{lib.__name__}.optim.optimizer")
    handles = [
        module.register_optimizer_step_pre_hook(lambda o, a, k: calls.append(("global pre",
                                                                               len(a), k))),
        module.register_optimizer_step_post_hook(lambda o, a, k: calls.append("global post")),
        optimizer.register_step_pre_hook(lambda o, a, k: calls.append("pre")),
        optimizer.register_step_post_hook(lambda o, a, k: calls.append("post")),
        optimizer.register_state_dict_pre_hook(lambda o: calls.append("sd pre")),
        optimizer.register_state_dict_post_hook(lambda o, sd: calls.append(sorted(sd))),
        optimizer.register_load_state_dict_pre_hook(lambda o, sd: calls.append("load pre")),
        optimizer.register_load_state_dict_post_hook(lambda o: calls.append("load post")),
    ]
    p.grad = lib.ones(2)
    optimizer.step()
    handles[2].remove()
    optimizer.step()
    optimizer.load_state_dict(optimizer.state_dict())
    for handle in handles:
        handle.remove()
    optimizer.step()
    return calls, p.tolist()


def test_hooks_run_in_torchs_order_and_remove():
    assert calls_of(tinygrad_edu) == calls_of(torch)


def test_a_pre_hook_may_replace_the_arguments_and_must_return_a_pair():
    for lib in (torch, tinygrad_edu):
        p = lib.ones(2, requires_grad=True)
        optimizer = lib.optim.SGD([p], lr=0.5)
        seen = []
        optimizer.register_step_pre_hook(lambda o, a, k: (a, {"closure": lambda: 3.0}))
        optimizer.register_step_post_hook(lambda o, a, k: seen.append(k["closure"]()))
        p.grad = lib.ones(2)
        assert optimizer.step() == 3.0 and seen == [3.0]
        bad = lib.optim.SGD([p], lr=0.5)
        bad.register_step_pre_hook(lambda o, a, k: 7)
        with pytest.raises(RuntimeError, match="must return None or a tuple of"):
            bad.step()


def test_hooks_may_replace_state_dicts():
    for lib in (torch, tinygrad_edu):
        p = lib.ones(2, requires_grad=True)
        optimizer = lib.optim.Adam([p], lr=0.5)
        optimizer.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
        assert optimizer.state_dict()["extra"] == 1
        optimizer.register_load_state_dict_pre_hook(
            lambda o, sd: {k: v for k, v in sd.items() if k != "extra"})
        optimizer.load_state_dict(optimizer.state_dict())


def test_sparse_adam_refuses_dense_gradients_as_torch():
    errors = []
    for lib in (torch, tinygrad_edu):
        p = lib.ones(2, requires_grad=True)
        optimizer = lib.optim.SparseAdam([p])
        p.grad = lib.ones(2)
        with pytest.raises(RuntimeError) as caught:
            optimizer.step()
        errors.append(str(caught.value))
        assert optimizer.defaults == {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8,
                                      "maximize": False}
    assert errors[0] == errors[1]


@pytest.mark.parametrize("name", ["Adamax", "NAdam", "RAdam", "ASGD", "Rprop", "Adafactor"])
def test_defaults_are_torchs(name):
    ours = getattr(tinygrad_edu.optim, name)([tinygrad_edu.ones(2, requires_grad=True)])
    theirs = getattr(torch.optim, name)([torch.ones(2, requires_grad=True)])
    assert ours.defaults == theirs.defaults
    assert list(ours.defaults) == list(theirs.defaults)
