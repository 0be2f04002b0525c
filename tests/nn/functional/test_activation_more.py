"""selu, celu, glu, prelu, rrelu, hardswish & co. against torch: values and gradients at and
around their kinks, the in-place forms, torch's errors; rrelu's training slopes (replayed from
torch, and their distribution); hardsigmoid's float32 1/6 in the gradient."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
import tinygrad_edu.nn.functional as F
from parity.ops_nn_act import _rrelu_from_torch
from tinygrad_edu.autograd import gradcheck, gradgradcheck

KINKS = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, -40.0, 40.0, 2.5, -2.0, 0.3])

CALLS = {
    "selu": lambda f, x: f.selu(x),
    "celu": lambda f, x: f.celu(x, alpha=0.5),
    "hardswish": lambda f, x: f.hardswish(x),
    "hardsigmoid": lambda f, x: f.hardsigmoid(x),
    "hardshrink": lambda f, x: f.hardshrink(x, 0.5),
    "softshrink": lambda f, x: f.softshrink(x, 1.0),
    "tanhshrink": lambda f, x: f.tanhshrink(x),
    "logsigmoid": lambda f, x: f.logsigmoid(x),
    "mish": lambda f, x: f.mish(x),
    "softsign": lambda f, x: f.softsign(x),
    "threshold": lambda f, x: f.threshold(x, 0.5, -2.0),
    "rrelu_eval": lambda f, x: f.rrelu(x, 0.1, 0.3),
    "softmin": lambda f, x: f.softmin(x, 0),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_values_and_gradients_at_the_kinks(name, same_as_torch):
    same_as_torch(lambda lib, x: CALLS[name](lib.nn.functional, x), KINKS)


IN_PLACE = {
    "selu_": lambda f, x: f.selu_(x),
    "celu_": lambda f, x: f.celu_(x, 2.0),
    "threshold_": lambda f, x: f.threshold_(x, 0.0, 7.0),
    "rrelu_": lambda f, x: f.rrelu_(x),
    "hardswish": lambda f, x: f.hardswish(x, inplace=True),
    "hardsigmoid": lambda f, x: f.hardsigmoid(x, inplace=True),
    "mish": lambda f, x: f.mish(x, inplace=True),
    "selu": lambda f, x: f.selu(x, inplace=True),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_forms_write_into_the_input_and_backpropagate(name, same_as_torch):
    def call(lib, x):
        y = x * 1
        out = IN_PLACE[name](lib.nn.functional, y)
        assert out is y
        return out
    same_as_torch(call, KINKS)


def test_in_place_on_a_leaf_that_requires_grad_is_refused(raises_as_torch):
    raises_as_torch(lambda lib: lib.nn.functional.selu_(lib.ones(2, requires_grad=True)),
                    "a leaf Variable that requires grad")


def test_hardsigmoid_gradient_is_torchs_float32_sixth_even_in_float64():
    x = tinygrad_edu.tensor([0.5], dtype=tinygrad_edu.float64, requires_grad=True)
    F.hardsigmoid(x).backward()
    assert x.grad.item() == float(np.float32(1 / 6)) != 1 / 6


@pytest.mark.parametrize("shape, weights", [((2, 3, 2), 3), ((2, 3), 1), ((3,), 1), ((), 1)])
def test_prelu_one_slope_or_one_per_channel(shape, weights, same_as_torch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    if x.ndim:
        x.flat[0] = 0.0  # the kink: the slope's side, as torch
    same_as_torch(lambda lib, x, w: lib.nn.functional.prelu(x, w), x, rng.standard_normal(weights))


def test_glu_halves_along_dim(same_as_torch):
    x = np.random.default_rng(1).standard_normal((2, 4, 3))
    same_as_torch(lambda lib, x: lib.nn.functional.glu(x, 1), x)
    same_as_torch(lambda lib, x: lib.nn.functional.glu(x.transpose(1, 2)), x)


def test_second_derivatives_agree_with_finite_differences():
    x = tinygrad_edu.tensor([-2.5, -0.7, 0.4, 2.2], dtype=tinygrad_edu.float64,
                            requires_grad=True)
    for name in ("selu", "celu", "hardswish", "logsigmoid", "mish", "softsign", "tanhshrink"):
        assert gradcheck(lambda t: CALLS[name](F, t), (x,))
        assert gradgradcheck(lambda t: CALLS[name](F, t), (x,))


def test_rrelu_training_replays_torchs_slopes(same_as_torch):
    x = np.random.default_rng(2).standard_normal((3, 4))

    def call(lib, x):
        if lib is torch:
            torch.manual_seed(5)
            return torch.nn.functional.rrelu(x, 0.1, 0.4, training=True)
        with _rrelu_from_torch(5):
            return F.rrelu(x, 0.1, 0.4, training=True)
    same_as_torch(call, x)


def test_rrelu_training_slopes_are_uniform_between_the_bounds():
    tinygrad_edu.manual_seed(0)
    x = -tinygrad_edu.ones(20000, dtype=tinygrad_edu.float64)
    slopes = -F.rrelu(x, 0.2, 0.6, training=True).numpy()
    assert 0.2 <= slopes.min() and slopes.max() <= 0.6
    assert abs(slopes.mean() - 0.4) < 0.005 and abs(slopes.var() - 0.4 ** 2 / 12) < 0.002
    positive = F.rrelu(tinygrad_edu.ones(5), training=True)
    assert positive.tolist() == [1.0] * 5


ERRORS = [
    (lambda lib: lib.nn.functional.glu(lib.ones(2, 3)), "Halving dimension must be even"),
    (lambda lib: lib.nn.functional.glu(lib.tensor(1.0)), "glu does not support scalars"),
    (lambda lib: lib.nn.functional.prelu(lib.ones(2, 3), lib.ones(2)),
     "Mismatch of parameter numbers and input channel size"),
    (lambda lib: lib.nn.functional.prelu(lib.tensor(1.0), lib.ones(2)),
     "Not allow zero-dim input tensor"),
    (lambda lib: lib.nn.functional.softshrink(lib.ones(2), -1.0),
     "lambda must be in range [0, 3.40282e+38] for input dtype Float, but found -1"),
    (lambda lib: lib.nn.functional.celu(lib.ones(2), 0.0), "alpha cannot be 0 for CELU"),
    (lambda lib: lib.nn.functional.rrelu(lib.ones(2), 0.5, 0.1, training=True),
     "Lower bound should be less than or equal to the upper bound"),
    (lambda lib: lib.nn.functional.threshold(lib.ones(2, dtype=lib.uint8), 1.0, -1.0),
     "value cannot be converted to type uint8_t without overflow"),
    (lambda lib: lib.nn.functional.selu(lib.ones(2, dtype=lib.int64)), "\"elu_cpu\" not "),
    (lambda lib: lib.nn.functional.hardswish([1.0]), "must be Tensor, not list"),
    (lambda lib: lib.nn.functional.tanhshrink([1.0]), "'list' object has no attribute 'tanh'"),
    (lambda lib: lib.nn.functional.softmin([1.0], 0), "bad operand type for unary -"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_are_torchs(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)


def test_softmin_without_dim_warns_as_torch():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
        F.softmin(tinygrad_edu.ones(2, 3))
