"""Activations and softmax against torch: values, gradients at and around every kink, the
in-place forms, second derivatives, and softmax's stability and implicit-dim warning.

Without torch (the last section): first and second derivatives against finite differences,
the subgradient chosen at each kink, and erf against math.erf."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.check import check_double_backward, check_op
from tinygrad_edu.autograd import gradcheck, gradgradcheck
from tinygrad_edu.functions.special import Erf, erf

DTYPES = ["float64", "float32"]

# name -> (call, the points where its derivative jumps or its formula switches)
ACTIVATIONS = {
    "relu": (lambda f, x: f.relu(x), [0.0]),
    "relu6": (lambda f, x: f.relu6(x), [0.0, 6.0]),
    "hardtanh": (lambda f, x: f.hardtanh(x), [-1.0, 1.0]),
    "hardtanh_bounds": (lambda f, x: f.hardtanh(x, -0.5, 2.0), [-0.5, 2.0]),
    "leaky_relu": (lambda f, x: f.leaky_relu(x), [0.0]),
    "leaky_relu_slope": (lambda f, x: f.leaky_relu(x, 0.2), [0.0]),
    "elu": (lambda f, x: f.elu(x), [0.0]),
    "elu_alpha": (lambda f, x: f.elu(x, alpha=0.5), [0.0]),
    "gelu": (lambda f, x: f.gelu(x), [0.0]),
    "gelu_tanh": (lambda f, x: f.gelu(x, approximate="tanh"), [0.0]),
    "silu": (lambda f, x: f.silu(x), [0.0]),
    "sigmoid": (lambda f, x: f.sigmoid(x), [0.0]),
    "tanh": (lambda f, x: f.tanh(x), [0.0]),
    "softplus": (lambda f, x: f.softplus(x), [20.0]),
    "softplus_beta": (lambda f, x: f.softplus(x, beta=2.0, threshold=3.0), [1.5]),
}


@st.composite
def inputs(draw, kinks, dtype):
    """Values near 0 and far out, with each kink itself and its neighbours mixed in."""
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=3)))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = np.asarray(rng.standard_normal(shape) * draw(st.sampled_from([0.5, 3.0, 30.0])))
    special = np.array([k + d for k in kinks for d in (0.0, 0.0, 1e-3, -1e-3)] + [-40.0, 40.0])
    if x.size:
        mask = rng.random(shape) < 0.3
        x[mask] = rng.choice(special, size=int(mask.sum()))
    return x.astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@given(data=st.data())
def test_activation_matches_torch(name, dtype, data):
    call, kinks = ACTIVATIONS[name]
    x = data.draw(inputs(kinks, dtype), label="x")
    if name == "gelu_tanh" and dtype == "float32":
        # for 3 < |x| < 6, 1 - tanh² cancels: torch's float32 gradient is then ~1e-6 from the
        # float64 truth (at x = -4.54: 2.276e-5 for 2.310e-5), and so is ours; it is compared
        # there in float64 only
        x = np.where((np.abs(x) > 3) & (np.abs(x) < 6), x / 2, x).astype(dtype)
    check_op(lambda lib, x: call(lib.nn.functional, x), [x])


@pytest.mark.parametrize("name", sorted(n for n in ACTIVATIONS if n not in ("relu", "relu6")))
def test_second_derivatives_match_torch(name):
    call, _ = ACTIVATIONS[name]
    x = np.random.default_rng(0).standard_normal((3, 4)) * 3
    check_double_backward(lambda lib, x: call(lib.nn.functional, x) * x, [x])


@pytest.mark.parametrize("call,x", [
    (lambda f, x: f.elu(x), [0.0, -0.5, 0.5]),
    (lambda f, x: f.elu(x, alpha=0.3), [0.0]),
    (lambda f, x: f.softplus(x, beta=2.0, threshold=1.0), [0.5, 0.4, 0.7]),
    (lambda f, x: f.leaky_relu(x, 0.2), [0.0]),
    (lambda f, x: f.hardtanh(x), [-1.0, 1.0]),
])
def test_second_derivatives_at_kinks_match_torch(call, x):
    check_double_backward(lambda lib, x: call(lib.nn.functional, x), [np.array(x)])


INPLACE = {
    "relu": lambda f, x: f.relu(x, inplace=True),
    "relu6": lambda f, x: f.relu6(x, inplace=True),
    "hardtanh": lambda f, x: f.hardtanh(x, -0.5, 0.5, inplace=True),
    "leaky_relu": lambda f, x: f.leaky_relu(x, 0.1, inplace=True),
    "elu": lambda f, x: f.elu(x, 0.7, inplace=True),
    "silu": lambda f, x: f.silu(x, inplace=True),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_forms_match_torch(name):
    """Applied to a non-leaf (a leaf that requires grad may not be changed in place)."""
    x = np.random.default_rng(1).standard_normal((4, 5)) * 2
    x[0, :3] = [0.0, 0.5, -0.5]

    def fn(lib, x):
        hidden = x * 1.0
        out = INPLACE[name](lib.nn.functional, hidden)
        assert out is hidden
        return out
    check_op(fn, [x])
    ours, theirs = fn(tinygrad_edu, tinygrad_edu.tensor(x, requires_grad=True)), \
        fn(torch, torch.tensor(x, requires_grad=True))
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__


def test_inplace_on_a_leaf_that_requires_grad_raises_as_torch():
    x = tinygrad_edu.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in "
                                           "an in-place operation"):
        F.leaky_relu(x, inplace=True)


def test_activation_graph_names_match_torch():
    def names(lib):
        x = lib.randn(3, requires_grad=True)
        return [type(call(lib.nn.functional, x).grad_fn).__name__
                for call, _ in ACTIVATIONS.values()]
    assert names(tinygrad_edu) == names(torch)


# ----------------------------------------------------------------------------- softmax

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4), data=st.data(),
       scale=st.sampled_from([1.0, 30.0, 1e4]))
def test_softmax_matches_torch(name, dtype, shape, data, scale):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1), label="dim")
    x = (np.random.default_rng(len(shape)).standard_normal(shape) * scale).astype(dtype)
    check_op(lambda lib, x: getattr(lib.nn.functional, name)(x, dim), [x])


def test_log_softmax_is_finite_for_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4 - 1, 3.0]])
    check_op(lambda lib, x: lib.nn.functional.log_softmax(x, dim=1), [logits])
    assert np.isfinite(F.log_softmax(tinygrad_edu.tensor(logits), dim=1).numpy()).all()


def test_softmax_dtype_argument_casts_first():
    x = np.random.default_rng(2).standard_normal((2, 3)).astype(np.float32)
    out = F.softmax(tinygrad_edu.tensor(x), 1, dtype=tinygrad_edu.float64)
    assert out.dtype is tinygrad_edu.float64
    check_op(lambda lib, x: lib.nn.functional.log_softmax(x, 1, dtype=lib.float64), [x])


@pytest.mark.parametrize("shape,dim", [((3,), 0), ((2, 3), 1), ((2, 3, 4), 0), ((2, 3, 4, 5), 1)])
def test_implicit_dim_warns_and_picks_torch_dim(shape, dim):
    x = np.random.default_rng(3).standard_normal(shape)
    for name in ("softmax", "log_softmax"):
        with pytest.warns(UserWarning, match=f"Implicit dimension choice for {name} has been "
                                             "deprecated"):
            ours = getattr(F, name)(tinygrad_edu.tensor(x))
        expected = getattr(torch.nn.functional, name)(torch.tensor(x), dim)
        np.testing.assert_allclose(ours.numpy(), expected.numpy(), rtol=1e-12)


# ----------------------------------------------------------------------------- without torch

SMOOTH = {
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "elu": lambda x: F.elu(x, 0.7),
    "gelu": lambda x: F.gelu(x),
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": lambda x: F.silu(x),
    "softplus": lambda x: F.softplus(x, beta=1.5, threshold=4.0),
    "hardtanh": lambda x: F.hardtanh(x, -0.7, 0.9),
    "erf": lambda x: Erf.apply(x),
}


def _away_from_kinks(seed):
    x = np.random.default_rng(seed).uniform(-4, 4, (3, 4))
    x[np.abs(x) < 0.05] += 0.1  # finite differences straddling a kink measure nothing
    for bound in (-0.7, 0.9, 4.0 / 1.5):
        x[np.abs(x - bound) < 0.05] += 0.1
    return tinygrad_edu.tensor(x, requires_grad=True)


@pytest.mark.parametrize("name", sorted(SMOOTH))
def test_gradients_match_finite_differences(name):
    assert gradcheck(SMOOTH[name], (_away_from_kinks(0),))


@pytest.mark.parametrize("name", sorted(SMOOTH))
def test_second_derivatives_match_finite_differences(name):
    assert gradgradcheck(SMOOTH[name], (_away_from_kinks(1),))


@pytest.mark.parametrize("call,at,slope", [
    (lambda x: F.relu(x), 0.0, 0.0),
    (lambda x: F.leaky_relu(x, 0.1), 0.0, 0.1),    # the negative side's slope, as torch
    (lambda x: F.elu(x, 0.5), 0.0, 0.5),           # alpha * exp(0)
    (lambda x: F.hardtanh(x), 1.0, 0.0),           # 0 at both bounds
    (lambda x: F.hardtanh(x), -1.0, 0.0),
    (lambda x: F.relu6(x), 6.0, 0.0),
    (lambda x: F.softplus(x, threshold=2.0), 2.0, 1 / (1 + math.exp(-2.0))),
])
def test_subgradient_at_kinks_is_torchs(call, at, slope):
    x = tinygrad_edu.tensor([at], dtype=tinygrad_edu.float64, requires_grad=True)
    call(x).backward(tinygrad_edu.ones(1, dtype=tinygrad_edu.float64))
    assert x.grad.tolist() == pytest.approx([slope], rel=1e-15)


def test_relu_passes_the_gradient_of_a_nan_as_torch():
    x = tinygrad_edu.tensor([math.nan, -1.0, 0.0, 2.0], requires_grad=True)
    F.relu(x).backward(tinygrad_edu.ones(4))
    assert x.grad.tolist() == [1.0, 0.0, 0.0, 1.0]  # threshold_backward: 0 only where y <= 0


def test_erf_is_accurate_to_double_precision():
    x = np.concatenate([np.linspace(-7, 7, 20001), [0.0, -0.0, 0.5, 4.0, -4.0, 1e-300, 30.0]])
    expected = np.array([math.erf(v) for v in x])
    assert np.max(np.abs(erf(x) - expected) / np.maximum(np.abs(expected), 1e-300)) < 2e-15
    special = erf(np.array([np.inf, -np.inf, np.nan]))
    assert special[0] == 1.0 and special[1] == -1.0 and np.isnan(special[2])


def test_gelu_and_silu_are_finite_at_extremes():
    x = tinygrad_edu.tensor([-1e4, -50.0, 50.0, 1e4], dtype=tinygrad_edu.float64,
                            requires_grad=True)
    for call in (F.gelu, F.silu, F.elu, F.softplus):
        y = call(x)
        y.backward(tinygrad_edu.ones_like(y))
        assert np.isfinite(y.numpy(force=True)).all() and np.isfinite(x.grad.numpy()).all()
        x.grad = None


@pytest.mark.parametrize("name, options", [("leaky_relu", {"negative_slope": -0.5}),
                                           ("elu", {"alpha": -1.0})])
@pytest.mark.parametrize("spelling", ["underscore", "inplace"])
def test_in_place_with_a_negative_slope_has_no_backward_as_torch(name, options, spelling):
    """In place, the backward reads the result, whose sign no longer tells the input's."""
    messages = []
    for lib in (torch, tinygrad_edu):
        x = lib.tensor([1.0, -2.0, 0.0], dtype=lib.float64, requires_grad=True)
        f = lib.nn.functional
        y = (getattr(f, f"{name}_")(x.clone(), **options) if spelling == "underscore"
             else getattr(f, name)(x.clone(), inplace=True, **options))
        with pytest.raises(RuntimeError) as caught:
            y.sum().backward()
        messages.append(str(caught.value))
    assert messages[1] in messages[0]


# ----------------------------------------------------------------------------- zero-size inputs

@pytest.mark.parametrize("shape, dim", [((0, 3), 0), ((0, 3), 1), ((3, 0), 1), ((0,), 0)])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", [None, "float64"])
def test_softmax_of_zero_size_inputs_as_torch(name, shape, dim, dtype, same_as_torch):
    def call(lib, x):
        kwargs = {} if dtype is None else {"dtype": getattr(lib, dtype)}
        return getattr(lib.nn.functional, name)(x, dim, **kwargs)
    same_as_torch(call, np.zeros(shape, np.float32))


@pytest.mark.parametrize("call", [
    lambda F, x: F.hardtanh(x.bool()), lambda F, x: F.relu6(x.bool()),
    lambda F, x: F.relu(x.bool()), lambda F, x: F.relu(x.bool(), inplace=True),
    lambda F, x: F.hardtanh(x.to(torch.uint8 if F is torch.nn.functional else
                                 tinygrad_edu.uint8)),
], ids=["hardtanh_bool", "relu6_bool", "relu_bool", "relu_inplace_bool", "hardtanh_uint8"])
def test_clipping_activations_refuse_dtypes_in_torchs_words(call, same_error_as_torch):
    same_error_as_torch(lambda lib: call(lib.nn.functional, lib.tensor([1.0, 0.0, 2.0])),
                        RuntimeError)
