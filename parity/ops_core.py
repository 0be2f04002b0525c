"""The core ops of the registry, part one: pointwise, reductions, matmul (shape, indexing and in
place ops are in ops_shape.py). One line (or a small strategy) per op of the torch namespace and
the Tensor methods.

Each line names the op, writes it once for both libraries, and says how to draw examples; the
builders (`unary`, `binary`, `reduction`, ...) live in parity/registry.py.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import strategies as ps
from .registry import _one, binary, reduction, shaped, unary, with_scalar

# ----------------------------------------------------------------------------- pointwise

unary("neg", lambda t, x: -x)
unary("abs", lambda t, x: t.abs(x))
unary("exp", lambda t, x: t.exp(x))
unary("log", lambda t, x: t.log(x), low=0.05, high=5.0)
unary("log1p", lambda t, x: t.log1p(x), low=-0.9, high=5.0)
unary("expm1", lambda t, x: t.expm1(x))
unary("sqrt", lambda t, x: t.sqrt(x), low=0.05, high=5.0)
unary("rsqrt", lambda t, x: t.rsqrt(x), low=0.05, high=5.0)
unary("sin", lambda t, x: t.sin(x))
unary("cos", lambda t, x: t.cos(x))
unary("tanh", lambda t, x: t.tanh(x))
unary("sigmoid", lambda t, x: t.sigmoid(x), low=-20.0, high=20.0)
unary("relu", lambda t, x: t.relu(x))
unary("erf", lambda t, x: t.erf(x))
unary("reciprocal", lambda t, x: t.reciprocal(x), away_from_zero=0.1)
unary("sign", lambda t, x: t.sign(x), smooth=False)
unary("floor", lambda t, x: t.floor(x), smooth=False)
unary("ceil", lambda t, x: t.ceil(x), smooth=False)
unary("round", lambda t, x: t.round(x), smooth=False, special=False)
unary("trunc", lambda t, x: t.trunc(x), smooth=False)
unary("square", lambda t, x: t.square(x))
unary("pow_2", lambda t, x: x ** 2)
unary("pow_3", lambda t, x: x.pow(3))
unary("pow_0", lambda t, x: x ** 0)
unary("pow_half", lambda t, x: x ** 0.5, low=0.05, high=5.0)
unary("pow_neg1", lambda t, x: x ** -1.0, away_from_zero=0.1)
unary("rpow", lambda t, x: 2.0 ** x)
unary("clamp_min0", lambda t, x: t.clamp(x, min=0))
unary("clamp_both", lambda t, x: x.clamp(-1, 1))
unary("clamp_max", lambda t, x: x.clamp(max=0.5))
unary("clip", lambda t, x: t.clip(x, -0.5, 2.0))
unary("relu_method", lambda t, x: x.relu())

with_scalar("add_scalar", lambda t, x, scalar: x + scalar, st.sampled_from([2, -1.5, 0.0]))
with_scalar("radd_scalar", lambda t, x, scalar: scalar + x, st.sampled_from([3, 0.25]))
with_scalar("rsub_scalar", lambda t, x, scalar: scalar - x, st.sampled_from([1, -2.5]))
with_scalar("mul_scalar", lambda t, x, scalar: x * scalar, st.sampled_from([3, -0.5, 0]))
with_scalar("div_scalar", lambda t, x, scalar: x / scalar, st.sampled_from([2, -0.5, 4.0]))
with_scalar("add_alpha", lambda t, x, scalar: t.add(x, x * 2, alpha=scalar),
            st.sampled_from([2, -0.5]))

binary("add", lambda t, x, y: x + y)
binary("sub", lambda t, x, y: x - y)
binary("sub_alpha", lambda t, x, y: t.sub(x, y, alpha=0.5))
binary("mul", lambda t, x, y: x * y)
binary("div", lambda t, x, y: x / y, rhs_away=0.25)
binary("pow", lambda t, x, y: x ** y, low=0.1, high=3.0, rhs_low=-2.0, rhs_high=2.0)
binary("maximum", lambda t, x, y: t.maximum(x, y))
binary("minimum", lambda t, x, y: t.minimum(x, y))
binary("clamp_tensor", lambda t, x, y: t.clamp(x, min=y))
binary("remainder", lambda t, x, y: x % y, rhs_away=0.5, special=False, smooth=False)
binary("max_binary", lambda t, x, y: t.max(x, y))
binary("eq", lambda t, x, y: x == y, grad=False, double=False)
binary("lt", lambda t, x, y: x < y, grad=False, double=False)
binary("ge", lambda t, x, y: t.ge(x, y), grad=False, double=False)
binary("logical_and", lambda t, x, y: t.logical_and(x > 0, y > 0), grad=False, double=False)
binary("floor_divide", lambda t, x, y: x // y, rhs_away=0.25, grad=False, double=False)


@st.composite
def _where_example(draw, dtype):
    a, b, c = draw(ps.broadcastable(3))
    return [draw(ps.arrays(dtype, a)), draw(ps.arrays(dtype, b)), draw(ps.arrays(dtype, c))], {}


shaped("where", lambda t, c, x, y: t.where(c > 0, x, y), _where_example, category="binary")
shaped("masked_fill", lambda t, m, x: x.masked_fill(m > 0, -2.0),
       lambda dtype: st.tuples(ps.broadcastable(2, max_dims=3).flatmap(
           lambda s: st.tuples(ps.arrays(dtype, s[0]), ps.arrays(dtype, s[0]))).map(list),
           st.just({})), category="binary")

# ----------------------------------------------------------------------------- reductions

reduction("sum", lambda t, x, **o: x.sum(**o))
reduction("mean", lambda t, x, **o: x.mean(**o))
reduction("prod", lambda t, x, **o: x.prod(**o) if "dim" not in o or isinstance(o["dim"], int)
          else x.prod(), double=False)
reduction("amax", lambda t, x, **o: x.amax(**o) if "dim" in o else x.amax())
reduction("amin", lambda t, x, **o: x.amin(**o) if "dim" in o else x.amin())
reduction("logsumexp", lambda t, x, **o: t.logsumexp(x, **o) if "dim" in o
          else t.logsumexp(x, dim=0))
# var/std with n - 1 <= 0 divide by zero (nan in both): not a point to compare derivatives at
reduction("var", lambda t, x, **o: x.var(**o), min_dims=1, min_count=2)
reduction("std", lambda t, x, **o: x.std(**o), min_dims=1, distinct=True, min_count=2)
reduction("norm", lambda t, x, **o: x.norm(dim=o.get("dim"), keepdim=o.get("keepdim", False))
          if not isinstance(o.get("dim"), tuple) or len(o["dim"]) == 1 else x.norm(),
          away_from_zero=0.1)  # the norm is not differentiable at the zero vector


@st.composite
def _dim_example(draw, dtype, distinct=False, keepdim=True, min_dims=1):
    shape = draw(ps.shapes(min_dims=min_dims))
    a = draw((ps.distinct_arrays if distinct else ps.arrays)(dtype, shape))
    options = {"dim": draw(ps.dim(len(shape)))}
    if keepdim:
        options["keepdim"] = draw(st.booleans())
    return [a], options


shaped("max_all", lambda t, x: x.max(), lambda d: _one(ps.arrays(d)), category="reduction")
shaped("min_all", lambda t, x: t.min(x), lambda d: _one(ps.arrays(d)), category="reduction")
shaped("max_dim", lambda t, x, dim, keepdim: t.max(x, dim, keepdim),
       lambda d: _dim_example(d), category="reduction")
shaped("min_dim", lambda t, x, dim, keepdim: x.min(dim=dim, keepdim=keepdim),
       lambda d: _dim_example(d), category="reduction")
shaped("argmax", lambda t, x, dim, keepdim: t.argmax(x, dim, keepdim),
       lambda d: _dim_example(d, distinct=True), category="reduction", grad=False, double=False)
shaped("argmin_all", lambda t, x: x.argmin(), lambda d: _one(ps.distinct_arrays(d)),
       category="reduction", grad=False, double=False)
shaped("softmax", lambda t, x, dim: t.softmax(x, dim),
       lambda d: _dim_example(d, keepdim=False), category="reduction")
shaped("log_softmax", lambda t, x, dim: x.log_softmax(dim),
       lambda d: _dim_example(d, keepdim=False), category="reduction")
shaped("cumsum", lambda t, x, dim: x.cumsum(dim), lambda d: _dim_example(d, keepdim=False),
       category="reduction")
shaped("var_correction", lambda t, x, dim, keepdim: t.var(x, dim, keepdim=keepdim,
                                                           correction=0),
       lambda d: _dim_example(d), category="reduction")
shaped("norm_p1", lambda t, x, dim, keepdim: x.norm(p=1, dim=dim, keepdim=keepdim),
       lambda d: _dim_example(d), category="reduction")
shaped("norm_p3", lambda t, x, dim, keepdim: x.norm(p=3, dim=dim, keepdim=keepdim),
       lambda d: _dim_example(d, distinct=True).filter(lambda e: np.all(np.abs(e[0][0]) > 0.1)),
       category="reduction")
shaped("all", lambda t, x, dim, keepdim: (x > 0).all(dim=dim, keepdim=keepdim),
       lambda d: _dim_example(d), category="reduction", grad=False, double=False)
shaped("any", lambda t, x: (x > 0).any(), lambda d: _one(ps.arrays(d)), category="reduction",
       grad=False, double=False)

# ----------------------------------------------------------------------------- matmul


@st.composite
def _matmul_example(draw, dtype):
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    kind = draw(st.sampled_from(["1-1", "1-2", "2-1", "2-2", "3-3", "3-2", "2-3", "1-3", "3-1",
                                 "4-3"]))
    batch = draw(hnp.array_shapes(min_dims=2, max_dims=2, max_side=3))
    shapes = {"1": lambda rows, cols: (cols,), "2": lambda rows, cols: (rows, cols)}
    left_rank, right_rank = kind.split("-")

    def shape(rank, rows, cols, which):
        if rank in shapes:
            return shapes[rank](rows, cols)
        lead = batch[-(int(rank) - 2):]
        if which == 1 and draw(st.booleans()):
            lead = (1,) * len(lead)  # a broadcast batch
        return lead + (rows, cols)
    left = shape(left_rank, n, k, 0)
    right = shape(right_rank, k, m, 1) if right_rank != "1" else (k,)
    return [draw(ps.arrays(dtype, left)), draw(ps.arrays(dtype, right))], {}


@st.composite
def _mm_example(draw, dtype, batch=False):
    n, k, m, b = (draw(st.integers(1, 4)) for _ in range(4))
    lead = (b,) if batch else ()
    return [draw(ps.arrays(dtype, lead + (n, k))), draw(ps.arrays(dtype, lead + (k, m)))], {}


@st.composite
def _addmm_example(draw, dtype):
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    bias_shape = draw(st.sampled_from([(n, m), (m,), (1, m), ()]))
    return ([draw(ps.arrays(dtype, bias_shape)), draw(ps.arrays(dtype, (n, k))),
             draw(ps.arrays(dtype, (k, m)))],
            {"beta": draw(st.sampled_from([1, 0.5])), "alpha": draw(st.sampled_from([1, -2.0]))})


@st.composite
def _vectors(draw, dtype, same=True):
    n = draw(st.integers(1, 5))
    m = n if same else draw(st.integers(1, 5))
    return [draw(ps.arrays(dtype, (n,))), draw(ps.arrays(dtype, (m,)))], {}


@st.composite
def _mv_example(draw, dtype):
    n, k = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return [draw(ps.arrays(dtype, (n, k))), draw(ps.arrays(dtype, (k,)))], {}


shaped("matmul", lambda t, a, b: a @ b, _matmul_example, category="matmul")
shaped("mm", lambda t, a, b: t.mm(a, b), _mm_example, category="matmul")
shaped("bmm", lambda t, a, b: a.bmm(b), lambda d: _mm_example(d, batch=True), category="matmul")
shaped("mv", lambda t, a, b: t.mv(a, b), _mv_example, category="matmul")
shaped("dot", lambda t, a, b: a.dot(b), _vectors, category="matmul")
shaped("outer", lambda t, a, b: t.outer(a, b), lambda d: _vectors(d, same=False),
       category="matmul")
shaped("addmm", lambda t, c, a, b, beta, alpha: t.addmm(c, a, b, beta=beta, alpha=alpha),
       _addmm_example, category="matmul")
