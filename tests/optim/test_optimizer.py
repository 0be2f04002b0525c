"""The Optimizer base: argument errors, groups, zero_grad, closures, in-place steps, repr."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
         "ASGD", "Rprop"]


def same_error(make) -> str:
    """`make(lib, param)` must raise in torch and in ours: same exception type and message."""
    errors = []
    for lib in (torch, tinygrad_edu):
        param = lib.zeros(3, requires_grad=True)
        with pytest.raises(Exception) as caught:
            make(lib, param)
        errors.append(caught.value)
    theirs, ours = errors
    assert type(ours) is type(theirs), (ours, theirs)
    assert str(ours) == str(theirs)
    return str(ours)


# ----------------------------------------------------------------------------- errors

@pytest.mark.parametrize("name", NAMES)
def test_negative_learning_rate(name):
    message = same_error(lambda lib, p: getattr(lib.optim, name)([p], lr=-1))
    assert message == "Invalid learning rate: -1"


@pytest.mark.parametrize("name", [name for name in NAMES if name != "Rprop"])
def test_negative_weight_decay(name):
    message = same_error(lambda lib, p: getattr(lib.optim, name)([p], weight_decay=-0.1))
    assert message == "Invalid weight_decay value: -0.1"


@pytest.mark.parametrize("name", ["SGD", "RMSprop"])
def test_negative_momentum(name):
    message = same_error(lambda lib, p: getattr(lib.optim, name)([p], momentum=-0.5))
    assert message == "Invalid momentum value: -0.5"


@pytest.mark.parametrize("name, options", [
    ("Adam", {"eps": -1e-8}), ("RMSprop", {"alpha": -0.1}), ("RMSprop", {"eps": -1.0}),
    ("Adagrad", {"lr_decay": -1.0}), ("Adagrad", {"initial_accumulator_value": -1.0}),
    ("Adagrad", {"eps": -1.0}), ("Adadelta", {"rho": 1.5}), ("Adadelta", {"eps": -1.0}),
    ("AdamW", {"betas": (0.9, -0.1)}), ("Adam", {"betas": (0, 0.9)}),
    ("Adamax", {"eps": -1.0}), ("Adamax", {"betas": (1.0, 0.9)}), ("NAdam", {"eps": -1.0}),
    ("NAdam", {"momentum_decay": -1.0}), ("RAdam", {"betas": (0.9, 1.0)}),
    ("Rprop", {"etas": (1.5, 1.2)}), ("Rprop", {"etas": (0.5, 0.9)}),
    ("SparseAdam", {"lr": 0.0}), ("SparseAdam", {"eps": 0.0}), ("SparseAdam", {"betas": (1, 0)}),
    ("Adafactor", {"lr": -1.0}), ("Adafactor", {"beta2_decay": 0.5}),
    ("Adafactor", {"eps": (-1.0, 1e-3)}), ("Adafactor", {"eps": (None, -1.0)}),
    ("Adafactor", {"d": 0.5}), ("Adafactor", {"weight_decay": -1.0}),
])
def test_other_option_checks(name, options):
    same_error(lambda lib, p: getattr(lib.optim, name)([p], **options))


@pytest.mark.parametrize("betas, index", [((1.0, 0.999), 0), ((-0.1, 0.999), 0),
                                          ((0.9, 1.0), 1)])
def test_betas_outside_unit_interval(betas, index):
    message = same_error(lambda lib, p: lib.optim.Adam([p], betas=betas))
    assert message == f"Invalid beta parameter at index {index}: {betas[index]}"


@pytest.mark.parametrize("options", [{"nesterov": True}, {"nesterov": True, "momentum": 0.9,
                                                           "dampening": 0.1}])
def test_nesterov_needs_momentum_and_no_dampening(options):
    message = same_error(lambda lib, p: lib.optim.SGD([p], lr=0.1, **options))
    assert message == "Nesterov momentum requires a momentum and zero dampening"


@pytest.mark.parametrize("name", NAMES)
def test_empty_parameter_list(name):
    message = same_error(lambda lib, p: getattr(lib.optim, name)([]))
    assert message == "optimizer got an empty parameter list"


def test_parameter_in_two_groups():
    message = same_error(lambda lib, p: lib.optim.SGD([{"params": [p]}, {"params": [p]}],
                                                      lr=0.1))
    assert message == "some parameters appear in more than one parameter group"
    same_error(lambda lib, p: lib.optim.SGD([p], lr=0.1).add_param_group({"params": p}))


def test_non_leaf_parameter():
    message = same_error(lambda lib, p: lib.optim.SGD([p * 2], lr=0.1))
    assert message == "can't optimize a non-leaf Tensor"


def test_params_must_be_an_iterable_of_tensors():
    same_error(lambda lib, p: lib.optim.SGD(p, lr=0.1))
    same_error(lambda lib, p: lib.optim.SGD([p, 1.0], lr=0.1))
    same_error(lambda lib, p: lib.optim.SGD([{"params": {p}}], lr=0.1))


def test_load_state_dict_with_other_groups():
    same_error(lambda lib, p: lib.optim.SGD([p], lr=0.1).load_state_dict(
        {"state": {}, "param_groups": []}))
    same_error(lambda lib, p: lib.optim.SGD([p], lr=0.1).load_state_dict(
        {"state": {}, "param_groups": [{"params": [0, 1], "lr": 0.1}]}))


def test_capturable_on_cpu_refused_at_step_as_torch():
    def make(lib, p):
        optimizer = lib.optim.Adam([p], capturable=True)
        p.grad = lib.ones(3)
        optimizer.step()
    same_error(make)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
def test_fused_is_refused_clearly(name):
    with pytest.raises(RuntimeError, match="fused=True"):
        getattr(tinygrad_edu.optim, name)([tinygrad_edu.zeros(2, requires_grad=True)],
                                          fused=True)


def test_fused_with_foreach_refused_in_torchs_words():
    same_error(lambda lib, p: lib.optim.SGD([p], lr=0.1, fused=True, foreach=True))


@pytest.mark.parametrize("name", NAMES)
def test_differentiable_is_refused_clearly(name):
    with pytest.raises(RuntimeError, match="differentiable=True"):
        getattr(tinygrad_edu.optim, name)([tinygrad_edu.zeros(2, requires_grad=True)],
                                          differentiable=True)


@pytest.mark.parametrize("name", NAMES)
def test_foreach_is_accepted(name):
    p = tinygrad_edu.ones(2, requires_grad=True)
    optimizer = getattr(tinygrad_edu.optim, name)([p], foreach=True)
    p.grad = tinygrad_edu.ones(2)
    optimizer.step()
    assert optimizer.param_groups[0]["foreach"] is True


# ----------------------------------------------------------------------------- groups, repr

def test_groups_take_defaults_and_keep_their_own_options():
    a, b = (tinygrad_edu.zeros(2, requires_grad=True) for _ in range(2))
    optimizer = tinygrad_edu.optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1,
                                       momentum=0.9)
    assert [g["lr"] for g in optimizer.param_groups] == [0.1, 0.5]
    assert [g["momentum"] for g in optimizer.param_groups] == [0.9, 0.9]
    assert optimizer.param_groups[1]["params"] == [b]
    c = tinygrad_edu.zeros(1, requires_grad=True)
    optimizer.add_param_group({"params": [c], "momentum": 0.0})
    assert optimizer.param_groups[2]["lr"] == 0.1
    assert optimizer.param_groups[2]["momentum"] == 0.0


@pytest.mark.parametrize("name", NAMES)
def test_repr_matches_torch(name):
    def build(lib):
        a, b = (lib.zeros(2, requires_grad=True) for _ in range(2))
        return getattr(lib.optim, name)([{"params": [a]}, {"params": [b], "lr": 0.5}])
    assert repr(build(tinygrad_edu)) == repr(build(torch))


def test_named_parameters_give_param_names():
    def build(lib):
        a, b = (lib.zeros(2, requires_grad=True) for _ in range(2))
        return lib.optim.Adam([("weight", a), ("bias", b)], lr=0.1)
    ours, theirs = build(tinygrad_edu), build(torch)
    assert ours.param_groups[0]["param_names"] == theirs.param_groups[0]["param_names"]
    assert ours.state_dict()["param_groups"] == theirs.state_dict()["param_groups"]


# ----------------------------------------------------------------------------- stepping

def test_zero_grad_sets_to_none_or_zeroes_in_place():
    p = tinygrad_edu.ones(3, requires_grad=True)
    optimizer = tinygrad_edu.optim.SGD([p], lr=0.1)
    (p * p).sum().backward()
    grad = p.grad
    optimizer.zero_grad(set_to_none=False)
    assert p.grad is grad
    assert p.grad.tolist() == [0.0, 0.0, 0.0]
    optimizer.zero_grad()
    assert p.grad is None


def test_closure_runs_with_grad_enabled_and_its_loss_is_returned():
    p = tinygrad_edu.tensor([1.0, -2.0], requires_grad=True)
    optimizer = tinygrad_edu.optim.SGD([p], lr=0.25)

    def closure():
        optimizer.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with tinygrad_edu.no_grad():  # torch turns grad on for the closure even here
        loss = optimizer.step(closure)
    assert loss.item() == 5.0
    assert p.tolist() == [0.5, -1.0]  # p - 0.25 * 2p


@pytest.mark.parametrize("name", NAMES)
def test_step_is_in_place_and_builds_no_graph(name):
    p = tinygrad_edu.randn(4, 3, requires_grad=True)
    identity, address = id(p), p.data_ptr()
    optimizer = getattr(tinygrad_edu.optim, name)([p], lr=0.1)
    before = p.detach().numpy().copy()
    for _ in range(3):
        optimizer.zero_grad()
        (p * p).sum().backward()
        optimizer.step()
    assert id(optimizer.param_groups[0]["params"][0]) == identity
    assert p.data_ptr() == address
    assert p.is_leaf and p.grad_fn is None and p.requires_grad
    assert not np.array_equal(p.detach().numpy(), before)
    for value in optimizer.state[p].values():
        assert not value.requires_grad and value.grad_fn is None


def test_parameters_without_grad_are_skipped():
    a, b = (tinygrad_edu.ones(2, requires_grad=True) for _ in range(2))
    optimizer = tinygrad_edu.optim.Adam([a, b], lr=0.1, weight_decay=0.1)
    a.grad = tinygrad_edu.ones(2)
    optimizer.step()
    assert b.tolist() == [1.0, 1.0]
    assert b not in optimizer.state and a in optimizer.state


def test_step_counts_as_an_in_place_change_for_autograd():
    """A graph that saved the parameter refuses backward after a step, as in torch."""
    for lib in (torch, tinygrad_edu):
        p = lib.ones(3, requires_grad=True)
        optimizer = lib.optim.SGD([p], lr=0.1)
        loss = (p * p).sum()
        p.grad = lib.ones(3)
        optimizer.step()
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()


def test_tensor_learning_rate():
    def run(lib):
        p = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        optimizer = lib.optim.SGD([p], lr=lib.tensor(0.1), momentum=0.9)
        for _ in range(3):
            p.grad = p.detach() * 2
            optimizer.step()
        return p.detach().numpy()
    # lr is a float32 tensor: both use its float32 value (0.0999999...), not 0.1
    np.testing.assert_allclose(run(tinygrad_edu), run(torch), rtol=1e-14)


def test_works_on_nn_parameters():
    nn = pytest.importorskip("tinygrad_edu.nn")
    weight = nn.Parameter(tinygrad_edu.ones(2, 2))
    optimizer = tinygrad_edu.optim.SGD([weight], lr=0.5)
    (weight * weight).sum().backward()
    optimizer.step()
    assert type(weight) is nn.Parameter
    assert weight.tolist() == [[0.0, 0.0], [0.0, 0.0]]


# ----------------------------------------------------------------------------- tutorials

def test_tutorial_manual_update_under_no_grad():
    """`with torch.no_grad(): p -= p.grad * lr; p.grad.zero_()` (the nn tutorial's loop)."""
    def run(lib):
        rng = np.random.default_rng(0)
        w = lib.tensor(rng.standard_normal((3, 2)), requires_grad=True)
        x = lib.tensor(rng.standard_normal((5, 3)))
        for _ in range(5):
            loss = (x @ w).pow(2).mean()
            loss.backward()
            with lib.no_grad():
                w -= w.grad * 0.1
                w.grad.zero_()
        assert w.is_leaf
        return w.detach().numpy()
    np.testing.assert_allclose(run(tinygrad_edu), run(torch), rtol=1e-12)


def test_tutorial_update_through_data():
    """`f.data.sub_(f.grad.data * learning_rate)` (the autograd tutorial's update)."""
    def run(lib):
        f = lib.tensor([0.5, -1.5, 2.0], requires_grad=True)
        for _ in range(4):
            (f * f * f).sum().backward()
            f.data.sub_(f.grad.data * 0.01)
            f.grad.data.zero_()
        return f.detach().numpy()
    np.testing.assert_allclose(run(tinygrad_edu), run(torch), rtol=1e-6)
