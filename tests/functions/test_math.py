"""The math functions of functions/math.py (and torch.special) against torch: special values
(±0, ±inf, nan, poles, out-of-domain inputs), accuracy on dense grids, gradients at the points
torch defines specially, dtype promotion of integer and bool inputs, and torch's errors."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import tinygrad_edu

INF, NAN = math.inf, math.nan


def _values(lib, name, values, dtype="float64", *args, **kwargs):
    x = lib.tensor(values, dtype=getattr(lib, dtype))
    return getattr(lib, name)(x, *args, **kwargs)


def _same_values(name, values, dtype="float64", *args, rtol=1e-13, **kwargs):
    theirs = _values(torch, name, values, dtype, *args, **kwargs)
    ours = _values(tinygrad_edu, name, values, dtype, *args, **kwargs)
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=rtol, atol=1e-300)
    _same_signs(ours.numpy(), theirs.numpy())
    return ours


def _same_signs(ours, theirs):
    """The signs of ±0 and ±inf agree (a nan's sign bit means nothing)."""
    number = ~np.isnan(theirs)
    assert np.array_equal(np.signbit(ours[number]), np.signbit(theirs[number]))


# ----------------------------------------------------------------------------- special values

SPECIAL = [
    ("tan", [0.0, -0.0, INF, -INF, NAN, 1.0]),
    ("sinh", [0.0, -0.0, INF, -INF, NAN, 800.0]),
    ("cosh", [0.0, -0.0, INF, -INF, NAN, 800.0]),
    ("asin", [1.5, -1.5, 1.0, -1.0, 0.0, -0.0, NAN]),
    ("acos", [1.5, -1.5, 1.0, -1.0, 0.0, -0.0, NAN]),
    ("atan", [INF, -INF, 0.0, -0.0, NAN]),
    ("asinh", [INF, -INF, 0.0, -0.0, NAN]),
    ("acosh", [0.5, 1.0, INF, NAN]),
    ("atanh", [1.5, -1.5, 1.0, -1.0, 0.0, -0.0, NAN]),
    ("erfc", [-INF, INF, 0.0, -0.0, 26.0, 30.0, -30.0, NAN]),
    ("erfinv", [1.0, -1.0, 1.5, -1.5, 0.0, -0.0, NAN, 1 - 2 ** -53, -1 + 2 ** -53]),
    ("lgamma", [0.0, -0.0, -1.0, -2.0, -2.5, INF, -INF, NAN, 1.0, 2.0, 1e-300, 1e300, -1e300]),
    ("digamma", [0.0, -0.0, -1.0, -2.5, INF, -INF, NAN, 1.0, 1e-300, 1e20]),
    ("sinc", [0.0, -0.0, 1.0, -3.0, INF, NAN]),
    ("logit", [0.0, 1.0, -0.5, 1.5, 0.5, NAN]),
    ("frac", [INF, -INF, -2.5, 2.5, NAN, -0.0]),
    ("exp2", [-INF, INF, 1024.0, -1075.0, NAN]),
    ("sgn", [-0.0, 0.0, -2.0, NAN]),
    ("sign", [-0.0, 0.0, -2.0, NAN]),
    ("deg2rad", [-INF, 180.0, NAN]),
    ("rad2deg", [-INF, math.pi, NAN]),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, values", SPECIAL, ids=[n for n, _ in SPECIAL])
def test_special_values_match_torch(name, values, dtype):
    _same_values(name, values, dtype, rtol=1e-13 if dtype == "float64" else 1e-6)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_polygamma_at_poles_and_infinities(n):
    values = [0.0, -0.0, -2.5, 1e-3, 7.5, INF, -INF, NAN]
    theirs = torch.polygamma(n, torch.tensor(values, dtype=torch.float64))
    ours = tinygrad_edu.polygamma(n, tinygrad_edu.tensor(values, dtype=tinygrad_edu.float64))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-13)


def test_logit_clamps_to_eps():
    _same_values("logit", [0.0, 1.0, -0.5, 1.5, 0.05, 0.5], "float64", eps=0.1)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kwargs", [{}, {"nan": 2.0, "posinf": 1.0, "neginf": -1.0},
                                    {"posinf": 1e300}])
def test_nan_to_num_replacements(dtype, kwargs):
    _same_values("nan_to_num", [NAN, INF, -INF, 1.5, -0.0], dtype, **kwargs)


def test_signbit_sees_negative_zero_and_nan():
    ours = _same_values("signbit", [-0.0, 0.0, -1.0, INF, -INF], "float64")
    assert ours.dtype is tinygrad_edu.bool
    for lib in (torch, tinygrad_edu):
        assert lib.signbit(lib.tensor([-3, 0, 4])).tolist() == [True, False, False]
        assert lib.signbit(lib.tensor([True, False])).tolist() == [False, False]


BINARY = [
    ("atan2", [0.0, -0.0, 0.0, -0.0, INF, -INF, NAN, 1.0], [0.0, 0.0, -0.0, -0.0, INF, INF, 1.0,
                                                            -INF]),
    ("hypot", [INF, NAN, 3.0, 1e300, 0.0], [NAN, INF, 4.0, 1e300, -0.0]),
    ("logaddexp", [INF, -INF, INF, NAN, 1e308, -800.0], [INF, -INF, -INF, 1.0, 1e308, -800.0]),
    ("logaddexp2", [INF, -INF, INF, NAN, 1e308, -1100.0],
     [INF, -INF, -INF, 1.0, 1e308, -1100.0]),
    ("xlogy", [0.0, 0.0, 0.0, 1.0, 2.0, -0.0, 0.0], [0.0, NAN, -1.0, 0.0, INF, 5.0, INF]),
    ("copysign", [1.0, -0.0, NAN, INF, 2.0], [-0.0, 1.0, -1.0, -1.0, NAN]),
    ("float_power", [-2.0, 0.0, 2.0, 4.0], [0.5, -1.0, 1100.0, -0.5]),
]


@pytest.mark.parametrize("name, x, y", BINARY, ids=[n for n, _, _ in BINARY])
def test_binary_special_values_match_torch(name, x, y):
    results = [getattr(lib, name)(lib.tensor(x, dtype=lib.float64),
                                  lib.tensor(y, dtype=lib.float64)) for lib in (torch,
                                                                                tinygrad_edu)]
    np.testing.assert_allclose(results[1].numpy(), results[0].numpy(), rtol=1e-14)
    _same_signs(results[1].numpy(), results[0].numpy())


@pytest.mark.parametrize("call", [lambda t, x: t.xlogy(0, x), lambda t, x: t.xlogy(x, 0),
                                  lambda t, x: t.xlogy(2.5, x), lambda t, x: t.xlogy(x, 2.5),
                                  lambda t, x: t.special.xlogy(0.0, x),
                                  lambda t, x: t.copysign(x, -0.0),
                                  lambda t, x: t.float_power(2, x),
                                  lambda t, x: t.float_power(x, 0.5)])
def test_number_forms_match_torch(call, same_as_torch):
    same_as_torch(call, np.array([0.0, 2.0, -1.0, 0.5, NAN, INF], dtype=np.float32))


# ----------------------------------------------------------------------------- accuracy

GRIDS = {
    "lgamma": np.concatenate([np.linspace(1e-3, 40, 4001), np.linspace(-9.99, -0.01, 999),
                              1 + np.linspace(-1e-6, 1e-6, 41), 2 + np.linspace(-1e-6, 1e-6, 41)]),
    "digamma": np.concatenate([np.linspace(1e-3, 40, 4001), np.linspace(-9.99, -0.01, 999)]),
    "erfinv": np.concatenate([np.linspace(-0.999, 0.999, 4001), 1 - np.logspace(-16, -3, 300),
                              -1 + np.logspace(-16, -3, 300)]),
    "erfc": np.linspace(-6, 27, 4001),
}


@pytest.mark.parametrize("name", sorted(GRIDS))
def test_special_functions_are_as_accurate_as_torch(name):
    """float64 on dense grids; near zeros of the function (lgamma at 1 and 2, digamma at its
    root) the comparison is absolute, at a few units of the last place of the nearby values."""
    grid = GRIDS[name]
    theirs = getattr(torch, name)(torch.tensor(grid)).numpy()
    ours = getattr(tinygrad_edu, name)(tinygrad_edu.tensor(grid)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=2e-14, atol=1e-13)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_polygamma_is_as_accurate_as_torch(n):
    grid = np.concatenate([np.linspace(0.01, 30, 2001), np.linspace(-4.99, -0.01, 500)])
    theirs = torch.polygamma(n, torch.tensor(grid)).numpy()
    ours = tinygrad_edu.polygamma(n, tinygrad_edu.tensor(grid)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-13)


# ----------------------------------------------------------------------------- gradients

GRADIENTS = [
    (lambda t, x, y: t.xlogy(x, y), [0.0, 0.0, 0.0, 1.5], [0.0, -1.0, 2.0, 0.0]),
    (lambda t, x, y: t.copysign(x, y), [0.0, -0.0, 2.0, -3.0], [-1.0, 1.0, -0.0, 2.0]),
    (lambda t, x, y: t.atan2(x, y), [0.0, 1.0, -2.0, 1e-200], [0.0, -1.0, 0.5, 1e-200]),
    (lambda t, x, y: t.hypot(x, y), [0.0, 3.0, -2.0, INF], [0.0, 4.0, 0.5, 1.0]),
    (lambda t, x, y: t.logaddexp(x, y), [1.0, -INF, 2.0, 0.0], [1.0, 0.0, -1.0, 100.0]),
    (lambda t, x, y: t.logaddexp2(x, y), [1.0, -INF, 2.0, 0.0], [1.0, 0.0, -1.0, 100.0]),
    (lambda t, x, y: t.float_power(x, y), [0.0, 2.0, 1.5, 3.0], [2.0, 0.0, -1.0, 0.5]),
]


@pytest.mark.parametrize("call, x, y", GRADIENTS)
def test_binary_gradients_at_special_points(call, x, y, same_as_torch):
    same_as_torch(call, np.array(x), np.array(y))


UNARY_GRADIENTS = [
    (lambda t, x: t.sinc(x), [0.0, -0.0, 1.0, 0.5]),
    (lambda t, x: t.logit(x), [0.0, 1.0, -0.5, 1.5, 0.25]),
    (lambda t, x: t.logit(x, eps=0.25), [0.0, 0.25, 0.75, 1.0, 0.5]),
    (lambda t, x: t.nan_to_num(x), [NAN, INF, -INF, 2.0]),
    (lambda t, x: t.lgamma(x), [0.5, 1.0, 2.0, -1.5, 3.25]),
    (lambda t, x: t.digamma(x), [0.5, 1.0, 2.0, -1.5, 3.25]),
    (lambda t, x: t.polygamma(2, x), [0.5, 1.0, 2.0, -1.5, 3.25]),
    (lambda t, x: t.erfinv(x), [0.0, 0.5, -0.9, 1.0]),
    (lambda t, x: t.erfc(x), [0.0, 0.5, -0.9, 30.0]),
    (lambda t, x: t.asin(x), [0.0, 0.5, 1.0, -1.0]),
    (lambda t, x: t.frac(x), [0.0, 1.5, -2.25, 3.0]),
    (lambda t, x: t.exp2(x), [0.0, 1.5, -2.25]),
    (lambda t, x: t.special.ndtr(x), [0.0, 1.5, -2.25]),
]


@pytest.mark.parametrize("call, x", UNARY_GRADIENTS)
def test_unary_gradients_at_special_points(call, x, same_as_torch):
    same_as_torch(call, np.array(x))


def test_gradient_nodes_are_named_as_torch():
    for call in (lambda t, x: t.tan(x), lambda t, x: t.xlogy(x, x), lambda t, x: t.xlogy(2, x),
                 lambda t, x: t.xlogy(x, 2), lambda t, x: t.copysign(x, -1.0),
                 lambda t, x: t.polygamma(2, x), lambda t, x: t.logaddexp2(x, x)):
        names = [type(call(lib, lib.ones(2, requires_grad=True)).grad_fn).__name__
                 for lib in (torch, tinygrad_edu)]
        assert names[0] == names[1]


# ----------------------------------------------------------------------------- dtypes

UNARY_NAMES = ["tan", "sinh", "cosh", "asin", "acos", "atan", "asinh", "acosh", "atanh",
               "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "erfc", "erfinv",
               "lgamma", "digamma", "sinc", "exp2", "deg2rad", "rad2deg", "logit", "sgn",
               "nan_to_num", "signbit"]


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("name", UNARY_NAMES)
def test_integer_and_bool_inputs_promote_as_torch(name, dtype):
    values = [1, 0, 1] if dtype == "bool" else [1, 0, 3]
    results = [getattr(lib, name)(lib.tensor(values).to(getattr(lib, dtype)))
               for lib in (torch, tinygrad_edu)]
    assert str(results[1].dtype) == str(results[0].dtype)
    np.testing.assert_allclose(results[1].numpy(), results[0].numpy(), rtol=1e-6)


@pytest.mark.parametrize("call", [lambda t, a, b: t.atan2(a, b), lambda t, a, b: t.xlogy(a, b),
                                  lambda t, a, b: t.copysign(a, b),
                                  lambda t, a, b: t.float_power(a, b),
                                  lambda t, a, b: t.xlogy(a, 2), lambda t, a, b: t.xlogy(3, b),
                                  lambda t, a, b: t.polygamma(1, a),
                                  lambda t, a, b: t.hypot(a.float(), b.double())])
def test_binary_promotion_matches_torch(call):
    results = [call(lib, lib.tensor([1, 2, 0]), lib.tensor([3, -1, 2], dtype=lib.int32))
               for lib in (torch, tinygrad_edu)]
    assert str(results[1].dtype) == str(results[0].dtype)
    np.testing.assert_allclose(results[1].numpy(), results[0].numpy(), rtol=1e-6)


def test_integers_take_the_default_dtype():
    for lib in (torch, tinygrad_edu):
        lib.set_default_dtype(lib.float64)
        try:
            assert str(lib.tan(lib.tensor([1])).dtype).endswith("float64")
            assert str(lib.xlogy(lib.tensor([1]), 2).dtype).endswith("float64")
        finally:
            lib.set_default_dtype(lib.float32)


def test_float32_stays_float32_and_float_power_is_float64():
    for lib in (torch, tinygrad_edu):
        x = lib.tensor([0.5], dtype=lib.float32)
        assert str(lib.lgamma(x).dtype).endswith("float32")
        assert str(lib.xlogy(x, 2.5).dtype).endswith("float32")
        assert str(lib.float_power(x, 2).dtype).endswith("float64")


# ----------------------------------------------------------------------------- in place, out=

@pytest.mark.parametrize("name, args", [("tan_", ()), ("arcsin_", ()), ("erfinv_", ()),
                                        ("lgamma_", ()), ("logit_", (0.1,)),
                                        ("polygamma_", (1,)), ("xlogy_", (2.0,)),
                                        ("copysign_", (-1.0,)), ("nan_to_num_", ()),
                                        ("square_", ()), ("expm1_", ()), ("log1p_", ()),
                                        ("rsqrt_", ()), ("frac_", ()), ("sinc_", ())])
def test_in_place_forms_write_into_self(name, args):
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.tensor([0.25, 0.5, 0.75], dtype=lib.float64)
        assert getattr(x, name)(*args) is x
        results.append(x.numpy())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-13)


def test_out_argument():
    for lib in (torch, tinygrad_edu):
        out = lib.empty(2)
        assert lib.erfinv(lib.tensor([0.5, -0.5]), out=out) is out
        np.testing.assert_allclose(out.numpy(), [0.4769363, -0.4769363], rtol=1e-6)


# ----------------------------------------------------------------------------- errors

ERRORS = [
    (lambda t: t.frac(t.tensor([1, 2])), "\"frac_cpu\" not implemented for 'Long'"),
    (lambda t: t.frac(t.tensor([True])), "\"frac_cpu\" not implemented for 'Bool'"),
    (lambda t: t.hypot(t.tensor([1]), t.tensor([2])), "\"hypot_cpu\" not implemented"),
    (lambda t: t.logaddexp(t.tensor([True]), t.tensor([True])),
     "\"logaddexp_cpu\" not implemented for 'Bool'"),
    (lambda t: t.logaddexp2(t.tensor([1]), t.tensor([1])), "\"logaddexp2_cpu\" not"),
    (lambda t: t.atan2(t.tensor([1.0]), 2), "must be Tensor, not int"),
    (lambda t: t.hypot(t.tensor([1.0]), 2.0), "must be Tensor, not float"),
    (lambda t: t.tan(2), "must be Tensor, not int"),
    (lambda t: t.signbit(2.0), "must be Tensor, not float"),
    (lambda t: t.xlogy(2, 3), "invalid combination of arguments"),
    (lambda t: t.copysign(2, t.tensor([1.0])), "invalid combination of arguments"),
    (lambda t: t.float_power(2, 3), "invalid combination of arguments"),
    (lambda t: t.polygamma(-1, t.tensor([1.0])), "does not support negative n"),
    (lambda t: t.polygamma(1.5, t.tensor([1.0])), "must be int, not float"),
    (lambda t: t.logit(t.tensor([0.5]), eps="a"), "must be float, not str"),
    (lambda t: t.tensor([1, 2]).tan_(), "result type Float can't be cast to the desired "
                                        "output type Long"),
    (lambda t: t.tensor([1]).xlogy_(2), "can't be cast to the desired output type Long"),
    (lambda t: t.tensor([1.0]).float_power_(2), "the base given to float_power_ has dtype "
                                                "Float but the operation's result requires "
                                                "dtype Double"),
    (lambda t: t.special.softmax(t.tensor([1.0])), "missing 1 required positional argument"),
    (lambda t: t.atan2(t.ones(2), t.ones(3)), "must match the size of tensor b"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_bad_input_raises_as_torch(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)
