"""Statistics, sorting and searching, vector products and distances (functions/statistics.py,
searching.py, products.py) against torch: values, dtypes, indices, gradients and errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

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


# ----------------------------------------------------------------------------- covariance


def test_cov_and_corrcoef(same_as_torch):
    def call(t, x):
        frequency = t.tensor([1, 2, 1, 3, 1, 1])
        weight = t.tensor([0.5, 1.0, 2.0, 1.0, 0.25, 1.0], dtype=x.dtype)
        return (t.cov(x), x.cov(correction=0), t.cov(x, fweights=frequency, aweights=weight),
                t.cov(x[0], correction=2, aweights=weight), t.corrcoef(x), x[1].corrcoef())
    same_as_torch(call, TIES)
    same_as_torch(lambda t, x: (t.cov(x), t.corrcoef(x)), INTEGERS)


def test_cov_with_no_degrees_of_freedom_warns_and_divides_by_zero(same_as_torch):
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        same_as_torch(lambda t, x: (t.cov(x, correction=6), t.corrcoef(x[0, :1])), TIES)


@pytest.mark.parametrize("call, phrase", [
    (lambda t: t.cov(t.zeros(2, 3, 4)), "expected input to have two or fewer dimensions"),
    (lambda t: t.cov(t.ones(2, 3), fweights=t.ones(3)), "expected fweights to have integral"),
    (lambda t: t.cov(t.ones(2, 3), fweights=t.tensor([1, -1, 1])), "fweights cannot be negative"),
    (lambda t: t.cov(t.ones(2, 3), aweights=t.tensor([1, 1, 1])), "aweights to have floating"),
    (lambda t: t.cov(t.ones(2, 3), aweights=t.ones(2)), "have the same numel as there are"),
    (lambda t: t.cov(t.ones(2, 3), aweights=t.zeros(3)), "weights sum to zero"),
    (lambda t: t.corrcoef(t.zeros(2, 3, 4)), "expected input to have two or fewer dimensions"),
])
def test_cov_errors(raises_as_torch, call, phrase):
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


# ----------------------------------------------------------------------------- products


def test_cross_kron_inner_vdot(same_as_torch):
    same_as_torch(lambda t, x: (t.cross(x[0, :, :3], x[1, :, 1:], dim=1),
                                x[:, 0, :3].cross(x[:, 2, 1:], -1),
                                t.cross(x[:, :, :3], x[:1, :1, 1:], dim=2),
                                t.kron(x[0], x[1, :2]), x[0, 0].kron(x[1]), t.kron(x, x[0, 0, 0]),
                                t.inner(x, x[1]), x[0, 0].inner(x[1, 1]), t.inner(x[0, 0, 0], x),
                                t.vdot(x[0, 0], x[1, 2]), x[0, 1].vdot(x[0, 2])), DISTINCT)
    same_as_torch(lambda t, x: (t.kron(x, x[0]), t.inner(x, x), t.vdot(x[0], x[1]),
                                t.cross(x[:, :3], x[:, 1:], dim=1)), INTEGERS)


def test_cross_without_dim_warns_and_takes_the_first_size_3_dim(same_as_torch):
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        same_as_torch(lambda t, x: t.cross(x[0, :, :3], x[1, :, 1:]), DISTINCT)


@pytest.mark.parametrize("p", [0.5, 1, 1.5, 2, 3, float("inf"), -1])
def test_dist_and_its_subgradients_at_zero(same_as_torch, p):
    a = np.array([[0.0, 1.0, -2.0], [2.0, 0.5, 0.0]])
    same_as_torch(lambda t, x, y: (t.dist(x, y, p), x.dist(y[0], p=p)), a, a * [[1], [-1]])
    same_as_torch(lambda t, x, y: t.dist(x, y, 0).detach(), a, a * [[1], [-1]])


@pytest.mark.parametrize("p", [0, 0.5, 1, 1.5, 2, 3, float("inf")])
def test_cdist_pairs_and_zero_distance_rules(same_as_torch, p):
    a = np.array([[[0.0, 1.0, -2.0], [2.0, 0.5, 0.0], [0.0, 1.0, -2.0]]])
    same_as_torch(lambda t, x, y: t.cdist(x, y, p), a, np.concatenate([a, a[:, :2] * 0.5], 1))
    same_as_torch(lambda t, x, y: t.cdist(x, y[0], p), np.stack([a[0], -a[0]]), a[:, :2] * 2)


def test_cdist_by_matrix_product_for_many_rows(same_as_torch):
    rows = np.random.default_rng(1).normal(size=(30, 4))
    same_as_torch(lambda t, x, y: (t.cdist(x, y), t.cdist(x[:3], y[:3], compute_mode=
                                                           "use_mm_for_euclid_dist")),
                  rows, rows[::-1] * 0.5)
    same_as_torch(lambda t, x: t.cdist(x, x, compute_mode="donot_use_mm_for_euclid_dist"), rows)


@pytest.mark.filterwarnings("ignore:Using torch.cross without specifying the dim")
@pytest.mark.parametrize("call, phrase", [
    (lambda t: t.cross(t.ones(4, 2), t.ones(4, 2)), "no dimension of size 3 in input"),
    (lambda t: t.cross(t.ones(3), t.ones(2, 3), dim=0), "must have the same number of dim"),
    (lambda t: t.cross(t.ones(3), t.ones(4), dim=0), "dimension 0 must have length 3. Got 3 and 4"),
    (lambda t: t.cross(t.ones(3), t.tensor([1, 2, 3]), dim=0), "expected scalar type Float"),
    (lambda t: t.inner(t.ones(2, 4), t.ones(2, 3)), "the last dimension must match on both"),
    (lambda t: t.vdot(t.ones(2, 2), t.ones(2, 2)), "1D tensors expected, but got 2D and 2D"),
    (lambda t: t.vdot(t.ones(2), t.tensor([1, 2])), "expected both vectors to have same dtype"),
    (lambda t: t.vdot(t.ones(2), t.ones(3)), "inconsistent tensor size"),
    (lambda t: t.dist(t.tensor([1, 2]), t.tensor([1, 2])), "input dtype should be either"),
    (lambda t: t.cdist(t.ones(2), t.ones(2, 2)), "cdist only supports at least 2D tensors"),
    (lambda t: t.cdist(t.ones(2, 3), t.ones(2, 2)), "X1 and X2 must have the same number of"),
    (lambda t: t.cdist(t.ones(2, 2, dtype=t.int64), t.ones(2, 2)), "only supports floating"),
    (lambda t: t.cdist(t.ones(2, 2), t.ones(2, 2), p=-1), "only supports non-negative p"),
    (lambda t: t.cdist(t.ones(2, 2, 2), t.ones(3, 2, 2)), "must match the size of tensor b"),
    (lambda t: t.cdist(t.ones(2, 2), t.ones(2, 2, dtype=t.float64)), "expected scalar type"),
])
def test_product_and_distance_errors(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)


def test_cdist_refuses_an_unknown_compute_mode(same_error_as_torch):
    same_error_as_torch(lambda t: t.cdist(t.ones(2, 2), t.ones(2, 2), compute_mode="fast"),
                        ValueError)


# ----------------------------------------------------------------------------- unique & counting


def _same_values(call, *arrays):
    """call(lib, *tensors) in torch and here: the same values, dtypes and shapes (no grad)."""
    theirs = call(torch, *[torch.tensor(a) for a in arrays])
    ours = call(tinygrad_edu, *[tinygrad_edu.tensor(a) for a in arrays])
    theirs, ours = (theirs, ours) if isinstance(theirs, tuple) else ((theirs,), (ours,))
    assert len(ours) == len(theirs)
    for mine, expected in zip(ours, theirs):
        assert str(mine.dtype) == str(expected.dtype)
        assert tuple(mine.shape) == tuple(expected.shape)
        np.testing.assert_allclose(mine.numpy(), expected.numpy(), rtol=1e-6)


@pytest.mark.parametrize("call", [
    lambda t, x: t.unique(x), lambda t, x: x.unique(return_inverse=True, return_counts=True),
    lambda t, x: t.unique(x, sorted=False, return_counts=True),
    lambda t, x: t.unique(x, dim=0, return_inverse=True, return_counts=True),
    lambda t, x: x.unique(dim=1, return_inverse=True),
    lambda t, x: t.unique_consecutive(x, return_inverse=True, return_counts=True),
    lambda t, x: x.unique_consecutive(dim=1, return_counts=True),
    lambda t, x: t.unique(x.float()), lambda t, x: t.unique(x[0, 0]),
])
def test_unique(call):
    _same_values(call, np.array([[3, 1, 1, 3], [3, 1, 1, 3], [0, 5, 5, 2]]))


def test_unique_of_nans_and_empty_slices():
    _same_values(lambda t, x: t.unique(x, return_counts=True), np.array([1.0, NAN, NAN, 1.0]))
    _same_values(lambda t, x: t.unique(x, dim=0, return_inverse=True), np.zeros((0, 3)))


@pytest.mark.parametrize("call", [
    lambda t, x: t.bincount(x), lambda t, x: x.bincount(minlength=9),
    lambda t, x: t.bincount(x, t.arange(5.0) / 2), lambda t, x: t.bincount(x, t.arange(5)),
    lambda t, x: t.bincount(x, t.arange(5.0, dtype=t.float64)),
    lambda t, x: t.bincount(x[:0]), lambda t, x: t.bincount(x.to(t.uint8)),
])
def test_bincount(call):
    _same_values(call, np.array([1, 1, 3, 0, 6]))


@pytest.mark.parametrize("call", [
    lambda t, x: t.histc(x), lambda t, x: x.histc(bins=4, min=0, max=3),
    lambda t, x: t.histc(x.double(), 3, 1, 1), lambda t, x: t.histc(x[:1], 4),
    lambda t, x: t.histc(x[:0], 4),
    lambda t, x: t.histogram(x, 4, range=(0.0, 3.0), weight=x * 2),
    lambda t, x: x.histogram(t.tensor([0.0, 1.0, 2.5]), density=True),
    lambda t, x: t.histogram(x[:1], 3), lambda t, x: t.histogram(x, 5, density=True),
])
def test_histograms(call):
    _same_values(call, np.array([[1.0, 2.0, 1.0], [5.0, -1.0, 0.3], [3.0, 2.9, 0.0]],
                                dtype=np.float32))


ROWS = [[1, 3, 5], [2, 4, 6], [0, 9, 9]]


@pytest.mark.parametrize("call", [
    lambda t, x: t.bucketize(x, t.tensor([1, 3, 5, 7, 9])),
    lambda t, x: t.bucketize(x, t.tensor([1, 3, 5, 7, 9]), right=True, out_int32=True),
    lambda t, x: t.bucketize(3, t.tensor([1, 3, 5])),
    lambda t, x: t.bucketize(x.double(), t.tensor([1.0, 3.5])),
    lambda t, x: t.searchsorted(t.tensor([1, 3, 5, 7, 9]), x, side="right"),
    lambda t, x: t.searchsorted(t.tensor(ROWS), x.reshape(3, 2), right=True),
    lambda t, x: t.searchsorted(t.tensor(ROWS), x.reshape(3, 2), side="left"),
    lambda t, x: t.searchsorted(t.tensor([9, 3, 5, 1]), x, sorter=t.tensor([3, 1, 2, 0])),
    lambda t, x: t.searchsorted(t.tensor([1.0, 3.0]), 2),
    lambda t, x: t.searchsorted(t.tensor([1.0, 3.0]), t.tensor([NAN, 3.0])),
])
def test_bucketize_and_searchsorted(call):
    _same_values(call, np.array([[1, 5, 2], [3, 9, 10]]))


def test_count_nonzero_over_dims():
    _same_values(lambda t, x: (t.count_nonzero(x), x.count_nonzero((0, 1)),
                               t.count_nonzero(x, dim=[-1]), t.count_nonzero(x, 0)), INTEGERS - 2)


@pytest.mark.parametrize("call, phrase", [
    (lambda t: t.unique(t.tensor(3), dim=0), "Dimension specified as 0 but tensor has no dim"),
    (lambda t: t.unique(t.zeros(0, 3), dim=1), "There are 0 sized dimensions"),
    (lambda t: t.bincount(t.tensor([1, -1])), "1-d non-negative integral inputs"),
    (lambda t: t.bincount(t.tensor([[1]])), "1-d non-negative integral inputs"),
    (lambda t: t.bincount(t.tensor([1.0])), "not implemented for 'Float'"),
    (lambda t: t.bincount(t.tensor([1, 2]), t.ones(1)), "weights should be 1-d and have the same"),
    (lambda t: t.bincount(t.tensor([1]), minlength=-1), "minlength should be >= 0"),
    (lambda t: t.histc(t.tensor([1, 2])), "not implemented for 'Long'"),
    (lambda t: t.histc(t.ones(2), bins=0), "bins must be > 0, but got 0 for dimension 0"),
    (lambda t: t.histc(t.ones(2), 4, 3, 0), "torch.histc: max must be larger than min"),
    (lambda t: t.histc(t.tensor([1.0, float("inf")])), "range of [1, inf] is not finite"),
    (lambda t: t.histogram(t.tensor([1, 2]), 2), "not implemented for 'Long'"),
    (lambda t: t.histogram(t.ones(2), 2, range=(3.0, 1.0)), "min should not exceed max"),
    (lambda t: t.histogram(t.ones(2), t.ones(2, 2)), "bins tensor should have one dimension"),
    (lambda t: t.histogram(t.ones(2), 2, weight=t.ones(3)), "should have the same shape as"),
    (lambda t: t.histogram(t.ones(2), 2, weight=t.ones(2, dtype=t.float64)), "same dtype"),
    (lambda t: t.bucketize(t.ones(2), t.ones(1, 2)), "boundaries tensor must be 1 dimension"),
    (lambda t: t.searchsorted(t.ones(2, 3), t.ones(1, 3)), "first N-1 dimensions of boundaries"),
    (lambda t: t.searchsorted(t.ones(3), 1.0, side="middle"), "side can only be 'left' or"),
    (lambda t: t.searchsorted(t.ones(3), 1.0, right=True, side="left"), "can't be set to oppo"),
    (lambda t: t.searchsorted(t.tensor(1.0), t.ones(1)), "boundaries tensor should have positive"),
    (lambda t: t.searchsorted(t.ones(3), 1.0, sorter=t.tensor([0, 1])), "must have the same si"),
    (lambda t: t.searchsorted(t.ones(2), 1.0, sorter=t.ones(2)), "sorter must be a tensor of lo"),
])
def test_counting_and_searching_errors(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)


@pytest.mark.parametrize("call, exception, phrase", [
    (lambda t, x: t.unique(x), NotImplementedError, "derivative for '_unique2' is not impl"),
    (lambda t, x: t.unique(x, dim=0), NotImplementedError, "derivative for 'unique_dim'"),
    (lambda t, x: t.unique_consecutive(x), NotImplementedError, "'unique_consecutive' is not"),
    (lambda t, x: t.histogram(x, 3).hist, RuntimeError, "derivative for aten::histogram is not"),
    (lambda t, x: t.bincount(t.tensor([0, 1, 1]), x), RuntimeError, "aten::bincount is not"),
])
def test_results_torch_cannot_differentiate_require_grad_and_refuse_backward(call, exception,
                                                                            phrase):
    for lib in (torch, tinygrad_edu):
        x = lib.tensor([3.0, 1.0, 1.0], requires_grad=True)
        y = call(lib, x)
        assert y.requires_grad and type(y.grad_fn).__name__ != "NoneType"
        with pytest.raises(exception, match=phrase):
            y.sum().backward()
    assert not tinygrad_edu.histc(x).requires_grad
