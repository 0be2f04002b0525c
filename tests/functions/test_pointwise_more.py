"""functions/pointwise_more.py against torch: values, dtypes, gradients and errors of fix,
positive, fmax/fmin, heaviside, gcd/lcm, the shifts, ldexp/frexp/nextafter, the inf tests, i0,
angle, mvlgamma, renorm, diagflat and sum_to_size (the registry sweeps the differentiable ones
further: parity/ops_methods_more.py)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

NAN, INF = float("nan"), float("inf")
X = np.array([[1.5, -2.0, 0.0], [NAN, 4.0, -INF]])
Y = np.array([[1.5, NAN, -1.0], [2.0, NAN, 3.0]])


@pytest.mark.parametrize("call", [
    lambda t, x, y: t.fmax(x, y), lambda t, x, y: x.fmin(y), lambda t, x, y: t.fix(x),
    lambda t, x, y: t.positive(x), lambda t, x, y: (t.isposinf(x), x.isneginf(), t.isreal(x)),
    lambda t, x, y: t.angle(x), lambda t, x, y: x.nextafter(y),
], ids=["fmax", "fmin", "fix", "positive", "inf-tests", "angle", "nextafter"])
def test_with_nan_and_inf_as_torch(call, same_as_torch):
    same_as_torch(call, X, Y)


def test_fmax_ties_go_to_self_and_integers_and_bools_work(same_as_torch):
    same_as_torch(lambda t, x, y: t.fmax(x, y), np.array([1.0, 2.0]), np.array([1.0, 3.0]))
    same_as_torch(lambda t, x, y: t.fmin(x, y), np.array([1, 5]), np.array([True, False]))


@pytest.mark.parametrize("call", [
    lambda t, x: t.i0(x), lambda t, x: t.mvlgamma(x.abs() + 1.5, 2),
    lambda t, x: x.mvlgamma(1), lambda t, x: t.ldexp(x, t.tensor([1, -2, 3, 0, 1, -1])),
    lambda t, x: t.frexp(x), lambda t, x: t.renorm(x.reshape(3, 2), 2, 0, 1.0),
    lambda t, x: x.reshape(3, 2).renorm(1, -1, 2.5), lambda t, x: t.diagflat(x, 1),
    lambda t, x: x.reshape(3, 2).diagflat(-2), lambda t, x: x.reshape(3, 2).sum_to_size(1, 2),
    lambda t, x: x.reshape(3, 2).sum_to_size((2,)), lambda t, x: x.sum_to_size(6),
], ids=["i0", "mvlgamma", "mvlgamma1", "ldexp", "frexp", "renorm", "renorm-p1", "diagflat",
        "diagflat-2d", "sum_to_size", "sum_to_size-lead", "sum_to_size-same"])
def test_differentiable_functions_match_torch(call, same_as_torch):
    same_as_torch(call, np.array([0.5, -1.25, 3.0, 0.0, 12.0, -40.0]))


def test_i0_second_derivative_matches_torch():
    grads = []
    for lib in (torch, tinygrad_edu):
        x = lib.tensor([0.0, -1.5, 35.0], dtype=lib.float64, requires_grad=True)
        first, = lib.autograd.grad(lib.i0(x).sum(), x, create_graph=True)
        second, = lib.autograd.grad(first.sum(), x)
        grads.append((first.tolist(), second.tolist()))
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-10)


def test_integer_inputs_become_float(same_as_torch):
    same_as_torch(lambda t, x: (t.i0(x), t.angle(x), t.mvlgamma(x, 3), t.ldexp(x, x),
                                t.fix(x), t.isposinf(x)), np.array([2, -3, 4]))


@pytest.mark.parametrize("call", [
    lambda t: t.gcd(t.tensor([4, 6, 0, -12]), t.tensor([6, -9, 5, 18], dtype=t.int32)),
    lambda t: t.tensor([4, 6, 0], dtype=t.int16).lcm(t.tensor([6, -9, 5], dtype=t.int16)),
    lambda t: t.tensor([4, 6]).gcd_(t.tensor([2, 4])),
    lambda t: t.bitwise_left_shift(t.tensor([1, -3, 5]), t.tensor([3, 70, -1])),
    lambda t: t.bitwise_right_shift(t.tensor([-8, 8, -1]), t.tensor([1, 64, -2])),
    lambda t: t.tensor([1, 3], dtype=t.uint8).bitwise_left_shift(9),
    lambda t: t.tensor([1], dtype=t.int8).bitwise_left_shift_(7),
    lambda t: t.bitwise_right_shift(-16, t.tensor([2, 3])),
    lambda t: t.heaviside(t.tensor([1, 0, -2]), t.tensor([5])),
    lambda t: t.tensor([1.5, 0.0, -2.0]).heaviside_(t.tensor(0.5)),
], ids=["gcd", "lcm", "gcd_", "lshift", "rshift", "lshift-uint8", "lshift_-int8",
        "rshift-number", "heaviside", "heaviside_"])
def test_integer_functions_match_torch(call):
    ours, theirs = call(tinygrad_edu), call(torch)
    assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype)


def test_heaviside_has_no_derivative_as_torch(same_error_as_torch):
    def backward(lib):
        x = lib.tensor([1.5, 0.0], requires_grad=True)
        y = lib.heaviside(x, lib.tensor(0.5))
        assert y.requires_grad
        y.sum().backward()
    same_error_as_torch(backward, RuntimeError)


@pytest.mark.parametrize("call, exception", [
    (lambda t: t.positive(t.tensor([True])), RuntimeError),
    (lambda t: t.heaviside(t.tensor([1, 0]), t.tensor([0.5])), RuntimeError),
    (lambda t: t.gcd(t.tensor([4.0]), t.tensor([2])), NotImplementedError),
    (lambda t: t.lcm(t.tensor([True]), t.tensor([False])), NotImplementedError),
    (lambda t: t.bitwise_left_shift(t.tensor([1.0]), 2), NotImplementedError),
    (lambda t: t.bitwise_right_shift(t.tensor([True]), t.tensor([True])), NotImplementedError),
    (lambda t: t.frexp(t.tensor([1, 2])), RuntimeError),
    (lambda t: t.nextafter(t.tensor([1]), t.tensor([2])), NotImplementedError),
    (lambda t: t.mvlgamma(t.tensor([3.0]), 0), RuntimeError),
    (lambda t: t.renorm(t.ones(2, 2), 0, 0, 1.0), RuntimeError),
    (lambda t: t.renorm(t.ones(2, 2), 2, 0, -1.0), RuntimeError),
    (lambda t: t.renorm(t.ones(2), 2, 0, 1.0), RuntimeError),
    (lambda t: t.ones(2, 3).sum_to_size(2), RuntimeError),
    (lambda t: t.ones(2, 3).sum_to_size(1, 1, 3), RuntimeError),
    (lambda t: t.tensor([1, 2]).i0_(), RuntimeError),
], ids=lambda v: "" if callable(v) else v.__name__)
def test_errors_as_torch(call, exception, same_error_as_torch):
    same_error_as_torch(call, exception)


def test_fmax_takes_tensors_only(raises_as_torch):
    raises_as_torch(lambda t: t.fmax(t.tensor([1.0]), 1.0), "argument 'other'")


def test_positive_and_sum_to_size_of_the_same_size_return_self():
    x = tinygrad_edu.ones(2, 3)
    assert tinygrad_edu.positive(x) is x and x.sum_to_size(2, 3) is x


def test_in_place_forms_write_into_self(same_as_torch):
    def in_place(t, x, y):
        results = []
        for name, args in (("i0_", ()), ("mvlgamma_", (2,)), ("ldexp_", (y,)),
                           ("nextafter_", (y,)), ("renorm_", (2, 1, 1.0)), ("fix_", ())):
            z = x * 1
            results.append(getattr(z, name)(*args))
            assert results[-1] is z
        return tuple(results)
    same_as_torch(in_place, np.array([[1.5, 2.25], [3.0, 1.25]]), np.array([[1.0, 3.0],
                                                                           [2.0, 1.25]]))
