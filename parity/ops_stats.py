"""The statistics ops of the registry: median, nanmedian, kthvalue, mode, cummax/cummin,
aminmax, logcumsumexp, nansum/nanmean, quantile/nanquantile, cov, corrcoef, diff, msort, and the
products and distances cross, kron, inner, vdot, dist, cdist; their method spellings as forms.

Ops that pick one element per slice (median, kthvalue, msort, quantile) draw distinct values:
among ties torch's quickselect and sort leave the chosen index unspecified. mode and cummax
pick by a stated rule (the last index), so they get ties too.
"""
from __future__ import annotations

from hypothesis import strategies as st

from . import strategies as ps
from .ops_core import _dim_example
from .registry import _one, reduction, shaped

# ----------------------------------------------------------------------------- order statistics

shaped("median_all", lambda t, x: t.median(x), lambda d: _one(ps.arrays(d)),
       category="reduction", forms=(lambda t, x: x.median(), lambda t, x: t.nanmedian(x),
                                    lambda t, x: x.nanmedian()))
shaped("median_dim", lambda t, x, dim, keepdim: t.median(x, dim, keepdim),
       lambda d: _dim_example(d, distinct=True), category="reduction",
       forms=(lambda t, x, dim, keepdim: x.median(dim, keepdim=keepdim),
              lambda t, x, dim, keepdim: t.nanmedian(x, dim, keepdim),
              lambda t, x, dim, keepdim: x.nanmedian(dim=dim, keepdim=keepdim)))


@st.composite
def _kth_example(draw, dtype):
    arrays, options = draw(_dim_example(dtype, distinct=True))
    shape = arrays[0].shape
    options["k"] = draw(st.integers(1, shape[options["dim"]] if shape else 1))
    return arrays, options


shaped("kthvalue", lambda t, x, k, dim, keepdim: t.kthvalue(x, k, dim, keepdim), _kth_example,
       category="reduction",
       forms=(lambda t, x, k, dim, keepdim: x.kthvalue(k, dim=dim, keepdim=keepdim),))
shaped("mode", lambda t, x, dim, keepdim: t.mode(x, dim, keepdim), lambda d: _dim_example(d),
       category="reduction",
       forms=(lambda t, x, dim, keepdim: x.mode(dim, keepdim=keepdim),))
shaped("msort", lambda t, x: t.msort(x), lambda d: _one(ps.distinct_arrays(d)),
       category="reduction", forms=(lambda t, x: x.msort(),))

# ----------------------------------------------------------------------------- scans and sums

shaped("cummax", lambda t, x, dim: t.cummax(x, dim), lambda d: _dim_example(d, keepdim=False),
       category="reduction", forms=(lambda t, x, dim: x.cummax(dim),))
shaped("cummin", lambda t, x, dim: t.cummin(x, dim), lambda d: _dim_example(d, keepdim=False),
       category="reduction", forms=(lambda t, x, dim: x.cummin(dim),))
shaped("aminmax", lambda t, x, dim, keepdim: t.aminmax(x, dim=dim, keepdim=keepdim),
       lambda d: _dim_example(d), category="reduction",
       forms=(lambda t, x, dim, keepdim: x.aminmax(dim=dim, keepdim=keepdim),))
shaped("aminmax_all", lambda t, x: t.aminmax(x), lambda d: _one(ps.arrays(d)),
       category="reduction", forms=(lambda t, x: x.aminmax(),))
shaped("logcumsumexp", lambda t, x, dim: t.logcumsumexp(x, dim),
       lambda d: _dim_example(d, keepdim=False), category="reduction",
       forms=(lambda t, x, dim: x.logcumsumexp(dim),))
reduction("nansum", lambda t, x, **o: t.nansum(x, **o),
          forms=(lambda t, x, **o: x.nansum(**o),))
reduction("nanmean", lambda t, x, **o: t.nanmean(x, **o),
          forms=(lambda t, x, **o: x.nanmean(**o),))

# ----------------------------------------------------------------------------- quantiles


@st.composite
def _quantile_example(draw, dtype):
    shape = draw(ps.shapes(max_dims=3))
    q = draw(st.one_of(st.sampled_from([0.0, 0.25, 0.5, 0.7, 1.0]),
                       st.lists(st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0]), min_size=1,
                                max_size=3)))
    dim = draw(st.one_of(st.none(), ps.dim(len(shape))))
    return [draw(ps.distinct_arrays(dtype, shape))], {
        "q": q, "dim": dim, "keepdim": draw(st.booleans()),
        "interpolation": draw(st.sampled_from(["linear", "lower", "higher", "midpoint",
                                               "nearest"]))}


def _q(t, q, x):
    return q if isinstance(q, float) else t.tensor(q, dtype=x.dtype, device=x.device)


# (spelled as a method: given a list for input, torch's TypeError lists the type of every
# argument passed, which a Python function with defaults cannot tell apart; ours lists two)
shaped("quantile", lambda t, x, q, dim, keepdim, interpolation: x.quantile(
    _q(t, q, x), dim=dim, keepdim=keepdim, interpolation=interpolation), _quantile_example,
    category="reduction",
    forms=(lambda t, x, q, dim, keepdim, interpolation: t.quantile(
        x, _q(t, q, x), dim, keepdim, interpolation=interpolation),
        lambda t, x, q, dim, keepdim, interpolation: t.nanquantile(
        x, _q(t, q, x), dim, keepdim, interpolation=interpolation),
        lambda t, x, q, dim, keepdim, interpolation: x.nanquantile(
        _q(t, q, x), dim, keepdim, interpolation=interpolation)))

# ----------------------------------------------------------------------------- covariance


@st.composite
def _observations(draw, dtype, weights=False):
    """Variables in rows (or one variable, 1-d), at least three observations each."""
    rows = draw(st.one_of(st.none(), st.integers(1, 3)))
    count = draw(st.integers(3, 5))
    x = draw(ps.distinct_arrays(dtype, (count,) if rows is None else (rows, count)))
    options = {"correction": draw(st.sampled_from([0, 1, 2]))}
    if weights:
        options["fweights"] = draw(st.lists(st.integers(1, 3), min_size=count, max_size=count))
        options["aweights"] = draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=count,
                                            max_size=count))
    return [x], options


def _weighted_cov(t, x, correction, fweights, aweights):
    return t.cov(x, correction=correction, fweights=t.tensor(fweights, device=x.device),
                 aweights=t.tensor(aweights, dtype=x.dtype, device=x.device))


shaped("cov", lambda t, x, correction: t.cov(x, correction=correction), _observations,
       category="reduction", forms=(lambda t, x, correction: x.cov(correction=correction),))
shaped("cov_weighted", _weighted_cov, lambda d: _observations(d, weights=True),
       category="reduction",
       forms=(lambda t, x, correction, fweights, aweights: x.cov(
           correction=correction, fweights=t.tensor(fweights, device=x.device),
           aweights=t.tensor(aweights, dtype=x.dtype, device=x.device)),))
shaped("corrcoef", lambda t, x, correction: t.corrcoef(x), _observations,
       category="reduction", forms=(lambda t, x, correction: x.corrcoef(),))

# ----------------------------------------------------------------------------- differences


@st.composite
def _diff_example(draw, dtype):
    arrays, options = draw(_dim_example(dtype, keepdim=False))
    options["n"] = draw(st.integers(0, 3))
    options["prepend"] = draw(st.booleans())
    return arrays, options


def _diff(t, x, dim, n, prepend):
    before = x.narrow(dim, 0, 1) * 2 if prepend else None
    return t.diff(x, n, dim, prepend=before)


shaped("diff", _diff, _diff_example, category="reduction",
       forms=(lambda t, x, dim, n, prepend: x.diff(n, dim, prepend=x.narrow(dim, 0, 1) * 2
                                                   if prepend else None),))

# ----------------------------------------------------------------------------- products


@st.composite
def _cross_example(draw, dtype):
    shape = list(draw(ps.shapes(min_dims=1, max_dims=3)))
    dim = draw(st.integers(0, len(shape) - 1))
    shape[dim] = 3
    other = [1 if d != dim and draw(st.booleans()) else s for d, s in enumerate(shape)]
    return [draw(ps.arrays(dtype, tuple(shape))), draw(ps.arrays(dtype, tuple(other)))], \
        {"dim": dim - len(shape) if draw(st.booleans()) else dim}


shaped("cross", lambda t, x, y, dim: t.cross(x, y, dim=dim), _cross_example, category="matmul",
       forms=(lambda t, x, y, dim: x.cross(y, dim),))


@st.composite
def _pair(draw, dtype, last_equal=False, max_dims=3):
    a = draw(ps.shapes(max_dims=max_dims, max_side=3))
    b = draw(ps.shapes(max_dims=max_dims, max_side=3))
    if last_equal and a and b:
        b = b[:-1] + a[-1:]
    return [draw(ps.arrays(dtype, a)), draw(ps.arrays(dtype, b))], {}


# torch's kron views a transposed input, and fails ("view size is not compatible"): contiguous
shaped("kron", lambda t, x, y: t.kron(x, y), _pair, category="matmul", layouts=("contiguous",),
       forms=(lambda t, x, y: x.kron(y),))
shaped("inner", lambda t, x, y: t.inner(x, y), lambda d: _pair(d, last_equal=True),
       category="matmul", forms=(lambda t, x, y: x.inner(y),))


@st.composite
def _vectors(draw, dtype):
    size = draw(st.integers(1, 5))
    return [draw(ps.arrays(dtype, (size,))), draw(ps.arrays(dtype, (size,)))], {}


shaped("vdot", lambda t, x, y: t.vdot(x, y), _vectors, category="matmul",
       forms=(lambda t, x, y: x.vdot(y),))


@st.composite
def _dist_example(draw, dtype):
    left, right = draw(ps.broadcastable(2, max_dims=3))
    return [draw(ps.arrays(dtype, left)), draw(ps.arrays(dtype, right))], \
        {"p": draw(st.sampled_from([1, 1.5, 2, 3, float("inf"), -1]))}


# p = 0 is left out: torch's own backward of dist fails there, on an undefined gradient; and
# p = 0.5: torch takes seconds for each second derivative there (tests/functions/
# test_statistics.py compares both, first derivatives)
shaped("dist", lambda t, x, y, p=2: t.dist(x, y, p), _dist_example, category="binary",
       smooth=False, forms=(lambda t, x, y, p=2: x.dist(y, p=p),))


@st.composite
def _cdist_example(draw, dtype, mm=False):
    batch = draw(st.sampled_from([(), (2,)]))
    columns = draw(st.integers(1, 3))
    x1 = draw(ps.arrays(dtype, batch + (draw(st.integers(1, 3)), columns)))
    x2 = draw(ps.arrays(dtype, tuple(1 if draw(st.booleans()) else b for b in batch)
                        + (draw(st.integers(1, 3)), columns)))
    p = 2.0 if mm else draw(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, float("inf")]))
    return [x1, x2], {"p": p}


# torch defines no second derivative of cdist (its backward is not differentiable)
shaped("cdist", lambda t, x1, x2, p: t.cdist(x1, x2, p), _cdist_example, category="matmul",
       smooth=False, double=False)
shaped("cdist_mm", lambda t, x1, x2, p: t.cdist(x1, x2, p, "use_mm_for_euclid_dist"),
       lambda d: _cdist_example(d, mm=True), category="matmul", smooth=False, double=False)
