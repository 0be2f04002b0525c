"""The core registry, part three: the rest of the differentiable torch surface — logs in other
bases, casts, lerp/addcmul/addcdiv, cumprod, sort/topk, take, movedim, unflatten, einsum,
hstack/vstack, var_mean/std_mean, index_put_ and the fills. One line (or a small strategy) each;
the builders are in parity/registry.py.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import strategies as ps
from .ops_core import _dim_example
from .ops_shape import _on, _tensor_and, _where_pair
from .registry import OpSpec, binary, reduction, register, shaped, unary

# 0**y: 0, or 1 at y = 0; its y-gradient is 0 there (torch's second derivative is NaN: 0·log 0)
unary("rpow_zero_base", lambda t, x: 0.0 ** x, low=0.0, double=False)
unary("log10", lambda t, x: t.log10(x), low=0.05, high=5.0)
unary("log2", lambda t, x: x.log2(), low=0.05, high=5.0)
unary("clone", lambda t, x: t.clone(x))
unary("contiguous", lambda t, x: x.contiguous())
# a float32 or float16 result is too coarse for finite differences: smooth=False (no gradcheck)
unary("float", lambda t, x: x.float(), smooth=False)
unary("double", lambda t, x: x.double())
unary("half", lambda t, x: x.half().double() * x, smooth=False)
binary("fmod", lambda t, x, y: t.fmod(x, y), rhs_away=0.5, special=False, smooth=False)


@st.composite
def _three(draw, dtype, third_away=0.0):
    a, b, c = draw(ps.broadcastable(3, max_dims=3))
    return [draw(ps.arrays(dtype, a)), draw(ps.arrays(dtype, b)),
            draw(ps.arrays(dtype, c, away_from_zero=third_away))], \
        {"value": draw(st.sampled_from([1, 0.5, -2]))}


shaped("lerp", lambda t, x, y, w, value: t.lerp(x, y, w), _three, category="binary")
shaped("lerp_scalar", lambda t, x, y, w, value: x.lerp(y, value) + w, _three, category="binary")
shaped("addcmul", lambda t, x, a, b, value: t.addcmul(x, a, b, value=value), _three,
       category="binary")
shaped("addcdiv", lambda t, x, a, b, value: t.addcdiv(x, a, b, value=value),
       lambda d: _three(d, third_away=0.25), category="binary")
shaped("cumprod", lambda t, x, dim: t.cumprod(x, dim), lambda d: _dim_example(d, keepdim=False),
       category="reduction", double=False)
# float32: summing a non-contiguous view in another order moves the gradient by a few ulps
reduction("var_mean", lambda t, x, **o: t.var_mean(x, **o), min_dims=1, min_count=2,
          rtol={"float32": 1e-4}, atol={"float32": 1e-5})
reduction("std_mean", lambda t, x, **o: t.std_mean(x, **o), min_dims=1, distinct=True,
          min_count=2, rtol={"float32": 1e-4}, atol={"float32": 1e-5})


@st.composite
def _sort_example(draw, dtype, k=False):
    arrays, options = draw(_dim_example(dtype, distinct=True, keepdim=False))
    options["descending" if not k else "largest"] = draw(st.booleans())
    if k:
        options["k"] = draw(st.integers(0, arrays[0].shape[options["dim"]]))
    return arrays, options


shaped("sort", lambda t, x, dim, descending: t.sort(x, dim, descending), _sort_example,
       category="reduction")
shaped("topk", lambda t, x, dim, largest, k: t.topk(x, k, dim, largest),
       lambda d: _sort_example(d, k=True), category="reduction")
shaped("take", lambda t, x, index: t.take(x, _on(t, index, x)),
       lambda d: _tensor_and(d, lambda s: ps.index_arrays(int(np.prod(s))).map(
           lambda v: {"index": v}), min_dims=0), category="indexing")


def _moves(shape):
    n = len(shape)
    pairs = st.lists(st.tuples(st.integers(-n, n - 1), st.integers(-n, n - 1)), min_size=1,
                     max_size=n).filter(lambda p: len({a % n for a, _ in p}) == len(p) and
                                        len({b % n for _, b in p}) == len(p))
    return st.one_of(pairs.map(lambda p: {"source": p[0][0], "destination": p[0][1]}),
                     pairs.map(lambda p: {"source": tuple(a for a, _ in p),
                                          "destination": tuple(b for _, b in p)}))


shaped("movedim", lambda t, x, source, destination: t.movedim(x, source, destination),
       lambda d: _tensor_and(d, _moves))


def _unflatten_sizes(shape):
    dim = st.integers(-len(shape), len(shape) - 1)
    return dim.map(lambda d: {"dim": d, "sizes": (1, shape[d], 1) if shape[d] % 2
                              else (2, -1)})


shaped("unflatten", lambda t, x, dim, sizes: t.unflatten(x, dim, sizes),
       lambda d: _tensor_and(d, _unflatten_sizes))

_EQUATIONS = {"ij,jk->ik": ((2, 3), (3, 4)), "bij,bjk->bik": ((2, 2, 3), (2, 3, 1)),
              "i,i->": ((3,), (3,)), "i,j->ij": ((2,), (3,)), "ij->": ((2, 3),),
              "ijk->kji": ((1, 2, 3),), "ij,j": ((2, 3), (3,))}


@st.composite
def _einsum_example(draw, dtype, equations=_EQUATIONS):
    equation = draw(st.sampled_from(sorted(equations)))
    return [draw(ps.arrays(dtype, s)) for s in equations[equation]], {"equation": equation}


shaped("einsum", lambda t, *xs, equation: t.einsum(equation, *xs), _einsum_example,
       category="matmul")


@st.composite
def _stackable(draw, dtype):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    return [draw(ps.arrays(dtype, shape)) for _ in range(draw(st.integers(1, 3)))], {}


shaped("hstack", lambda t, *xs: t.hstack(xs), _stackable)
shaped("vstack", lambda t, *xs: t.vstack(list(xs)), _stackable)


@st.composite
def _index_put_example(draw, dtype):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    index = draw(hnp.arrays(np.int64, (draw(st.integers(1, 4)),),
                            elements=st.integers(-shape[0], shape[0] - 1)))
    values = draw(ps.arrays(dtype, (len(index),) + shape[1:]))
    accumulate = draw(st.booleans())
    if not accumulate:  # repeated targets without accumulation: torch leaves the order open
        index = np.unique(index % shape[0])
        values = values[:len(index)]
    return [draw(ps.arrays(dtype, shape)), values], {"index": index, "accumulate": accumulate}


shaped("index_put_", lambda t, x, v, index, accumulate: (x * 1).index_put_(
    (_on(t, index, x),), v, accumulate=accumulate), _index_put_example, category="inplace")


def _filled(t, x, y):
    z = x * y
    z.fill_(1.5)
    return z * y


register(OpSpec("fill_", _filled, _where_pair, category="inplace"))
