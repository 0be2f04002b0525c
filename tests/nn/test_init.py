"""nn.init and the layers' default initialisation, against torch's distributions.

Random draws cannot match torch's bit for bit (different generators), so each distribution is
checked three ways: the exact parameters (bounds, std) handed to the sampler equal torch's; a
two-sample Kolmogorov–Smirnov test against torch's own draws does not reject at 1%; and the
values respect the bounds.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from scipy.stats import ks_2samp

import tinygrad_edu
from tinygrad_edu import nn
from tinygrad_edu.nn import init


@pytest.fixture(autouse=True)
def seeded():
    """Both generators seeded, so that every statistical test here is repeatable."""
    tinygrad_edu.manual_seed(0)
    torch.manual_seed(0)


LAYERS = {
    "Linear(784, 10)": lambda lib: lib.nn.Linear(784, 10),
    "Conv2d(1, 16, 3)": lambda lib: lib.nn.Conv2d(1, 16, 3),
    "Conv2d(16, 10, 3)": lambda lib: lib.nn.Conv2d(16, 10, 3),
    "Conv1d(4, 6, 5, groups=2)": lambda lib: lib.nn.Conv1d(4, 6, 5, groups=2),
}


def record_calls(monkeypatch, cls, method: str) -> list:
    """Replace cls.method by a wrapper that records its arguments (then calls the original)."""
    calls, original = [], getattr(cls, method)

    def wrapper(self, *args, **kwargs):
        calls.append((tuple(self.shape), args))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, method, wrapper)
    return calls


def values(make, lib, copies: int) -> dict:
    """Every parameter of `copies` fresh layers, flattened, by name."""
    lib.manual_seed(1)
    found = {}
    for _ in range(copies):
        for name, param in make(lib).named_parameters():
            found.setdefault(name, []).append(param.detach().numpy().ravel())
    return {name: np.concatenate(parts) for name, parts in found.items()}


@pytest.mark.parametrize("name", LAYERS)
def test_default_init_bounds_equal_torchs(name, monkeypatch):
    ours = record_calls(monkeypatch, tinygrad_edu.Tensor, "uniform_")
    theirs = record_calls(monkeypatch, torch.Tensor, "uniform_")
    LAYERS[name](tinygrad_edu), LAYERS[name](torch)
    assert len(ours) == 2 and ours == theirs  # weight then bias, the same (shape, (-b, b))


@pytest.mark.parametrize("name", LAYERS)
def test_default_init_distribution_matches_torch(name):
    make = LAYERS[name]
    ours, theirs = values(make, tinygrad_edu, 20), values(make, torch, 20)
    fan_in = math.prod(make(torch).weight.shape[1:])
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform_(a=sqrt(5)) and the bias both give this
    for key in ("weight", "bias"):
        assert ks_2samp(ours[key], theirs[key]).pvalue > 0.01, key
        assert np.abs(ours[key]).max() <= bound
        assert np.abs(ours[key]).max() > 0.9 * bound


def test_manual_seed_makes_init_repeatable():
    tinygrad_edu.manual_seed(3)
    first = nn.Linear(5, 4).weight.detach().numpy().copy()
    tinygrad_edu.manual_seed(3)
    assert np.array_equal(first, nn.Linear(5, 4).weight.detach().numpy())
    assert not np.array_equal(first, nn.Linear(5, 4).weight.detach().numpy())


def test_other_layers_defaults_equal_torch():
    for make in (lambda lib: lib.nn.BatchNorm2d(3), lambda lib: lib.nn.LayerNorm([2, 3]),
                 lambda lib: lib.nn.BatchNorm1d(4, affine=False)):
        ours, theirs = make(tinygrad_edu).state_dict(), make(torch).state_dict()
        assert list(ours) == list(theirs)
        for key in ours:
            assert np.array_equal(ours[key].numpy(), theirs[key].numpy()), key
    ours, theirs = values(lambda lib: lib.nn.Embedding(50, 8), tinygrad_edu, 5), \
        values(lambda lib: lib.nn.Embedding(50, 8), torch, 5)
    assert ks_2samp(ours["weight"], theirs["weight"]).pvalue > 0.01
    assert nn.Embedding(5, 3, padding_idx=-1).weight[4].abs().sum().item() == 0


# ----------------------------------------------------------------------------- the functions

FILLS = {
    "xavier_uniform_": lambda lib, t: lib.nn.init.xavier_uniform_(t, gain=2.0),
    "xavier_normal_": lambda lib, t: lib.nn.init.xavier_normal_(t),
    "kaiming_uniform_": lambda lib, t: lib.nn.init.kaiming_uniform_(t, mode="fan_out",
                                                                  nonlinearity="relu"),
    "kaiming_normal_": lambda lib, t: lib.nn.init.kaiming_normal_(t, a=0.2),
    "uniform_": lambda lib, t: lib.nn.init.uniform_(t, -0.5, 2.0),
    "normal_": lambda lib, t: lib.nn.init.normal_(t, 1.0, 0.3),
    "trunc_normal_": lambda lib, t: lib.nn.init.trunc_normal_(t, 0.5, 1.0, -1.0, 1.5),
}


@pytest.mark.parametrize("name", FILLS)
def test_fill_distribution_matches_torch(name):
    ours = FILLS[name](tinygrad_edu, tinygrad_edu.empty(60, 30, 2)).numpy().ravel()
    theirs = FILLS[name](torch, torch.empty(60, 30, 2)).numpy().ravel()
    assert ks_2samp(ours, theirs).pvalue > 0.01
    assert ours.min() >= theirs.min() - 0.2 and ours.max() <= theirs.max() + 0.2
    if name == "trunc_normal_":
        assert ours.min() >= -1.0 and ours.max() <= 1.5


@pytest.mark.parametrize("nonlinearity, param", [
    ("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu", None)])
def test_calculate_gain_equals_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == \
        torch.nn.init.calculate_gain(nonlinearity, param)


@pytest.mark.parametrize("shape", [(3, 4), (6, 2, 5), (8, 3, 2, 2), (2, 0)])
def test_fans_equal_torch(shape):
    assert init._calculate_fan_in_and_fan_out(tinygrad_edu.empty(shape)) == \
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.init.calculate_gain("softsign"),
    lambda lib: lib.nn.init.calculate_gain("leaky_relu", True),
    lambda lib: lib.nn.init.xavier_uniform_(lib.empty(3)),
    lambda lib: lib.nn.init.kaiming_normal_(lib.empty(3, 2), mode="fan"),
    lambda lib: lib.nn.init.eye_(lib.empty(2, 2, 2)),
    lambda lib: lib.nn.init.dirac_(lib.empty(2, 2)),
])
def test_errors_equal_torch(call):
    messages = []
    for lib in (tinygrad_edu, torch):
        with pytest.raises(ValueError) as info:
            call(lib)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("fill", [
    lambda lib, t: lib.nn.init.constant_(t, 0.25), lambda lib, t: lib.nn.init.ones_(t),
    lambda lib, t: lib.nn.init.zeros_(t), lambda lib, t: lib.nn.init.eye_(t[0, 0]),
    lambda lib, t: lib.nn.init.dirac_(t), lambda lib, t: lib.nn.init.dirac_(t, groups=2)])
def test_deterministic_fills_equal_torch(fill):
    ours = nn.Parameter(tinygrad_edu.full((4, 3, 3, 5), 7.0))
    theirs = torch.nn.Parameter(torch.full((4, 3, 3, 5), 7.0))
    assert fill(tinygrad_edu, ours) is not None
    fill(torch, theirs)
    assert np.array_equal(ours.detach().numpy(), theirs.detach().numpy())
    assert ours.grad_fn is None and ours.requires_grad  # done without recording a graph


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 2, 3)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    weight = init.orthogonal_(tinygrad_edu.empty(shape), gain=2.0).numpy().reshape(shape[0], -1)
    small = weight @ weight.T if shape[0] <= weight.shape[1] else weight.T @ weight
    assert np.allclose(small, 4 * np.eye(small.shape[0]), atol=1e-5)


def test_in_place_on_parameters_returns_the_tensor_and_warns_on_empty():
    weight = nn.Parameter(tinygrad_edu.empty(3, 4))
    assert init.kaiming_uniform_(weight) is weight and weight.grad_fn is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        init.kaiming_uniform_(tinygrad_edu.empty(0, 3))
    assert "Initializing zero-element tensors is a no-op" in str(caught[0].message)


# ----------------------------------------------------------------------------- bad input
# The initialisers refuse impossible distributions with torch's errors (an empty [a, b] made
# trunc_normal_'s rejection loop run forever).

@pytest.mark.parametrize("call, phrase", [
    (lambda lib, t: lib.nn.init.normal_(t, 0.0, -1.0), "normal expects std >= 0.0, but found "
     "std -1"),
    (lambda lib, t: lib.nn.init.uniform_(t, 2.0, 1.0), "uniform_ expects to return a [from, to) "
     "range, but found from=2 > to=1"),
    (lambda lib, t: lib.nn.init.trunc_normal_(t, a=2.0, b=1.0), "uniform_ expects to return a "
     "[from, to) range, but found from=2 > to=1"),
    (lambda lib, t: lib.nn.init.trunc_normal_(t, mean=1.0, std=2.0, a=3.0, b=-3.0),
     "uniform_ expects to return a [from, to) range, but found from=3 > to=-3"),
], ids=["normal_", "uniform_", "trunc_normal_", "trunc_normal_ shifted"])
def test_initialisers_refuse_impossible_distributions(call, phrase, raises_as_torch):
    raises_as_torch(lambda lib: call(lib, lib.zeros(3)), phrase)


def test_trunc_normal_fills_every_element_even_nan_garbage():
    """empty() memory may hold NaN: every element is drawn, as in torch, whatever was there."""
    for lib in (torch, tinygrad_edu):
        t = lib.full((500,), float("nan"))
        lib.nn.init.trunc_normal_(t, a=-1.0, b=1.0)
        values = t.numpy()
        assert not np.isnan(values).any() and values.min() >= -1.0 and values.max() <= 1.0
