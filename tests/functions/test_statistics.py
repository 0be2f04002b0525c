"""Order statistics, scans, NaN-ignoring reductions, quantiles and differences
(functions/statistics.py) against torch: values, dtypes, indices, gradients and errors."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu

NAN = float("nan")
TIES = np.array([[1., 3, 3, 2, 3, 1], [2, 2, 5, 5, 1, 0]])
DISTINCT = (np.random.default_rng(0).permutation(24).reshape(2, 3, 4) - 11.5) / 4
WITH_NAN = np.array([[1., NAN, 3, 0], [NAN, NAN, NAN, NAN], [2, 1, 4, 3]])
INTEGERS = np.array([[1, 3, 3, 2], [2, 2, 5, 1]])

# ----------------------------------------------------------------------------- order statistics

SELECTING = {
    "median": lambda t, x: t.median(x, 1),
    "median_keepdim": lambda t, x: x.median(-1, keepdim=True),
    "nanmedian": lambda t, x: t.nanmedian(x, 0),
    "kthvalue": lambda t, x: t.kthvalue(x, 2, 1),
    "kthvalue_keepdim": lambda t, x: x.kthvalue(2, dim=0, keepdim=True),
    "mode": lambda t, x: t.mode(x, 1),
    "mode_method": lambda t, x: x.mode(keepdim=True),
    "cummax": lambda t, x: t.cummax(x, 1),
    "cummin": lambda t, x: x.cummin(-1),
    "msort": lambda t, x: t.msort(x),
}


# Among equal values torch's mode and cummax/cummin pick by a stated rule (the last index);
# median and kthvalue by where its quickselect happens to leave them: with ties, values only.
TIE_RULES = ("mode", "mode_method", "cummax", "cummin")


def _values_only(call):
    def values(t, x):
        result = call(t, x)
        return (result[0] if isinstance(result, tuple) else result).detach()
    return values


@pytest.mark.parametrize("name", sorted(SELECTING))
def test_selecting_ops_pick_torch_values_indices_and_gradients(same_as_torch, name):
    same_as_torch(SELECTING[name], DISTINCT)
    call = SELECTING[name] if name in TIE_RULES else _values_only(SELECTING[name])
    same_as_torch(call, DISTINCT[0].round())


@pytest.mark.parametrize("call", [
    lambda t, x: t.median(x), lambda t, x: x.nanmedian(), lambda t, x: t.median(x, 1),
    lambda t, x: t.nanmedian(x[::2], 1), lambda t, x: t.kthvalue(x[::2], 4),
    lambda t, x: t.cummax(x, 1), lambda t, x: t.cummin(x, 0),
    lambda t, x: t.mode(x[0].nan_to_num()),
])
def test_nans_as_torch_treats_them(same_as_torch, call):
    same_as_torch(call, WITH_NAN)


@pytest.mark.parametrize("array", [TIES, DISTINCT, np.array(2.5), INTEGERS])
def test_median_of_all_shares_the_gradient_among_ties(same_as_torch, array):
    same_as_torch(lambda t, x: (t.median(x), t.nanmedian(x)), array)


def test_zero_dim_and_empty_inputs(same_as_torch):
    for call in (lambda t, x: t.median(x, 0), lambda t, x: t.kthvalue(x, 1),
                 lambda t, x: t.mode(x), lambda t, x: t.cummax(x, 0),
                 lambda t, x: t.logcumsumexp(x, 0), lambda t, x: t.aminmax(x, dim=0)):
        same_as_torch(call, np.array(1.5))
    for call in (lambda t, x: t.median(x, 1), lambda t, x: t.mode(x, 1),
                 lambda t, x: t.cummin(x, 0), lambda t, x: t.median(x)):
        same_as_torch(call, np.zeros((0, 3)))


def test_return_types_print_as_torch():
    x = tinygrad_edu.tensor([[1.0, 2.0]])
    assert repr(tinygrad_edu.median(x, 1)).startswith("torch.return_types.median(\nvalues=")
    low, high = x.aminmax()
    assert repr(x.aminmax()) == (f"torch.return_types.aminmax(\nmin={low!r},\nmax={high!r})")
    assert type(tinygrad_edu.cummax(x, 1)).__name__ == "cummax"


@pytest.mark.parametrize("call, exception", [
    (lambda t: t.median(t.tensor([True, False])), NotImplementedError),
    (lambda t: t.median(t.tensor([True, False]), 0), NotImplementedError),
    (lambda t: t.median(t.zeros(0, 3), 0), IndexError),
    (lambda t: t.median(t.zeros(2), keepdim=True), TypeError),
    (lambda t: t.kthvalue(t.zeros(2, 2), 3, -1), RuntimeError),
    (lambda t: t.kthvalue(t.zeros(2, 2), 0), RuntimeError),
    (lambda t: t.mode(t.zeros(0)), IndexError),
    (lambda t: t.aminmax(t.zeros(0, 3)), RuntimeError),
    (lambda t: t.aminmax(t.zeros(0, 3), dim=0), IndexError),
    (lambda t: t.cummax(t.zeros(2), 1), IndexError),
    (lambda t: t.logcumsumexp(t.tensor([1, 2]), 0), NotImplementedError),
    (lambda t: t.nanmean(t.tensor([1, 2])), RuntimeError),
])
def test_order_statistics_errors(same_error_as_torch, call, exception):
    same_error_as_torch(call, exception)


# ----------------------------------------------------------------------------- extremes, sums


@pytest.mark.parametrize("call", [
    lambda t, x: t.aminmax(x), lambda t, x: x.aminmax(dim=1),
    lambda t, x: t.aminmax(x, dim=-1, keepdim=True), lambda t, x: t.aminmax(x, keepdim=True),
])
def test_aminmax_shares_ties_as_amin_and_amax(same_as_torch, call):
    same_as_torch(call, TIES)
    same_as_torch(call, INTEGERS)


@pytest.mark.parametrize("array", [DISTINCT, np.array([[-np.inf, -np.inf, 1.0, 800.0, -3.0]]),
                                   np.array([[-1e-3, 7.0, 0.0, -7.0]], dtype=np.float32),
                                   np.array([[-1e-3, 700.0, 0.0, -700.0]])])
def test_logcumsumexp_is_stable_and_differentiates_as_torch(same_as_torch, array):
    same_as_torch(lambda t, x: (t.logcumsumexp(x, -1), x.logcumsumexp(0)), array)


@pytest.mark.parametrize("call", [
    lambda t, x: t.nansum(x), lambda t, x: x.nansum(1, keepdim=True),
    lambda t, x: t.nansum(x, (0, 1), dtype=t.float64), lambda t, x: t.nanmean(x),
    lambda t, x: x.nanmean(dim=0), lambda t, x: t.nanmean(x, -1, True),
])
def test_nansum_and_nanmean_skip_nans(same_as_torch, call):
    same_as_torch(call, WITH_NAN)


def test_nansum_of_integers_and_bools(same_as_torch):
    same_as_torch(lambda t, x: (t.nansum(x), t.nansum(x > 2, 0)), INTEGERS)


# ----------------------------------------------------------------------------- quantiles


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_interpolations(same_as_torch, interpolation):
    def call(t, x):
        q = t.tensor([0.0, 0.3, 0.5, 0.75, 1.0], dtype=x.dtype)
        return (t.quantile(x, 0.4, interpolation=interpolation),
                x.quantile(q, dim=1, interpolation=interpolation),
                t.quantile(x, q, dim=0, keepdim=True, interpolation=interpolation),
                t.quantile(x, 0.6, None, True, interpolation=interpolation))
    same_as_torch(call, DISTINCT)
    same_as_torch(call, DISTINCT[0].astype(np.float32))


def test_nanquantile_ignores_nans_and_quantile_propagates_them(same_as_torch):
    same_as_torch(lambda t, x: (t.quantile(x, 0.3, 1), t.nanquantile(x, 0.3, 1),
                                x.nanquantile(t.tensor([0.2, 0.9], dtype=x.dtype)),
                                t.quantile(x, 0.5)), WITH_NAN)
    same_as_torch(lambda t, x: t.quantile(x, 0.25), np.array(3.0))


@pytest.mark.parametrize("call, phrase", [
    (lambda t: t.quantile(t.ones(3), 1.5), "q must be in the range [0, 1] but got 1.5"),
    (lambda t: t.quantile(t.ones(3), t.tensor([1.5])), "q values must be in the range [0, 1]"),
    (lambda t: t.quantile(t.ones(3), t.tensor([[0.5]])), "q must be a scalar or 1D tensor"),
    (lambda t: t.quantile(t.tensor([1, 2]), 0.5), "must be either float or double dtype"),
    (lambda t: t.quantile(t.zeros(0), 0.5), "input tensor must be non-empty"),
    (lambda t: t.quantile(t.ones(3), t.tensor([0.5], dtype=t.float64)), "same dtype as the"),
    (lambda t: t.nanquantile(t.ones(3), 0.5, interpolation="cubic"),
     "interpolation must be one of linear, lower, higher, midpoint or nearest, but got cubic"),
])
def test_quantile_errors(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)


# ----------------------------------------------------------------------------- differences


def test_diff(same_as_torch):
    same_as_torch(lambda t, x: (t.diff(x), x.diff(n=2, dim=0), t.diff(x, 0), t.diff(x, 9),
                                t.diff(x, 1, 1, prepend=x[:, :1] * 2, append=t.ones(3, 2)),
                                t.diff(x, 2, -1, append=t.tensor([[1], [2], [3]]))),
                  DISTINCT[0])
    same_as_torch(lambda t, x: (t.diff(x), t.diff(x > 2, dim=0)), INTEGERS)


@pytest.mark.parametrize("call, phrase", [
    (lambda t: t.diff(t.tensor(1.0)), "diff expects input to be at least one-dimensional"),
    (lambda t: t.diff(t.ones(2), -1), "order must be non-negative but got -1"),
    (lambda t: t.diff(t.ones(2, 3), prepend=t.ones(3)), "to be the same dimension as input"),
    (lambda t: t.diff(t.ones(2, 3), append=t.ones(3, 1)),
     "input.size(0) = 2, but got tensor.size(0) = 3"),
])
def test_diff_errors(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)
