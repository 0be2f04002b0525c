"""The core ops of the registry: one line (or a small strategy) per op of issue 2.

Each line names the op, writes it once for both libraries, and says how to draw examples; the
builders (`unary`, `binary`, `reduction`, ...) live in parity/ops.py.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import strategies as ps
from .ops import OpSpec, _one, binary, reduction, register, shaped, unary, with_scalar

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

# ----------------------------------------------------------------------------- shape


@st.composite
def _tensor_and(draw, dtype, make_options, min_dims=1, max_dims=4):
    shape = draw(ps.shapes(min_dims=min_dims, max_dims=max_dims))
    return [draw(ps.arrays(dtype, shape))], draw(make_options(shape))


def _perm(shape):
    return st.permutations(range(len(shape))).map(lambda p: {"dims": tuple(p)})


def _reshape_target(shape):
    size = int(np.prod(shape))
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    return st.sampled_from(divisors).flatmap(
        lambda d: st.sampled_from([(d, size // d), (-1, d), (size,), (d, -1, 1)])).map(
        lambda s: {"shape": s})


shaped("view", lambda t, x, shape: x.view(shape), lambda d: _tensor_and(d, _reshape_target))
shaped("reshape_transposed", lambda t, x, shape: x.mT.reshape(shape),
       lambda d: _tensor_and(d, _reshape_target, min_dims=2))
shaped("permute", lambda t, x, dims: x.permute(*dims), lambda d: _tensor_and(d, _perm))
shaped("transpose", lambda t, x, a, b: x.transpose(a, b),
       lambda d: _tensor_and(d, lambda s: st.tuples(ps.dim(len(s)), ps.dim(len(s))).map(
           lambda ab: {"a": ab[0], "b": ab[1]})))
shaped("t", lambda t, x: x.t(), lambda d: _tensor_and(d, lambda s: st.just({}), max_dims=2,
                                                      min_dims=0))
shaped("T_mT", lambda t, x: x.T + x.mT.sum(), lambda d: _tensor_and(
    d, lambda s: st.just({}), min_dims=2, max_dims=2))
shaped("flatten", lambda t, x, start, end: t.flatten(x, start, end) if
       (start % x.ndim) <= (end % x.ndim) else x.flatten(),
       lambda d: _tensor_and(d, lambda s: st.tuples(ps.dim(len(s)), ps.dim(len(s))).map(
           lambda se: {"start": se[0], "end": se[1]})))
shaped("squeeze", lambda t, x, dim: x.squeeze(dim) if dim is not None else x.squeeze(),
       lambda d: _tensor_and(d, lambda s: st.one_of(st.none(), ps.dim(len(s))).map(
           lambda v: {"dim": v}), min_dims=0))
shaped("unsqueeze", lambda t, x, dim: x.unsqueeze(dim),
       lambda d: _tensor_and(d, lambda s: st.integers(-len(s) - 1, len(s)).map(
           lambda v: {"dim": v}), min_dims=0))
shaped("expand", lambda t, x, lead: x.expand(lead + tuple(3 if n == 1 else n for n in x.shape)),
       lambda d: _tensor_and(d, lambda s: st.sampled_from([(), (2,), (1, 2)]).map(
           lambda v: {"lead": v}), min_dims=0))
shaped("repeat", lambda t, x, reps: x.repeat(*reps),
       lambda d: _tensor_and(d, lambda s: st.lists(st.integers(1, 3), min_size=max(len(s), 1),
                                                   max_size=len(s) + 1).map(
           lambda r: {"reps": tuple(r)}), min_dims=0, max_dims=3))
shaped("flip", lambda t, x, dims: x.flip(dims),
       lambda d: _tensor_and(d, lambda s: st.lists(st.integers(0, len(s) - 1), min_size=1,
                                                   unique=True).map(
           lambda v: {"dims": tuple(v)})))
shaped("roll", lambda t, x, shift, dim: x.roll(shift, dim),
       lambda d: _tensor_and(d, lambda s: st.tuples(st.integers(-3, 3), ps.dim(len(s))).map(
           lambda v: {"shift": v[0], "dim": v[1]})))
shaped("narrow", lambda t, x, start: x.narrow(-1, start, x.shape[-1] - start),
       lambda d: _tensor_and(d, lambda s: st.integers(0, s[-1] - 1).map(
           lambda v: {"start": v})))
shaped("select", lambda t, x, index: x.select(0, index),
       lambda d: _tensor_and(d, lambda s: st.integers(-s[0], s[0] - 1).map(
           lambda v: {"index": v})))
shaped("split", lambda t, x, size: t.split(x, size, dim=-1)[-1] * 2 + x.split(size, -1)[0].sum(),
       lambda d: _tensor_and(d, lambda s: st.integers(1, 3).map(lambda v: {"size": v})))
shaped("chunk", lambda t, x, chunks: t.stack([c.sum() for c in x.chunk(chunks, 0)]),
       lambda d: _tensor_and(d, lambda s: st.integers(1, 4).map(lambda v: {"chunks": v})))
shaped("unbind", lambda t, x: t.stack(list(reversed(x.unbind(0)))),
       lambda d: _tensor_and(d, lambda s: st.just({})))


@st.composite
def _cat_example(draw, dtype, stack=False):
    base = list(draw(ps.shapes(min_dims=1, max_dims=3)))
    axis = draw(st.integers(0, len(base) - (0 if stack else 1)))
    count = draw(st.integers(1, 3))
    arrays = []
    for _ in range(count):
        shape = list(base)
        if not stack:
            shape[axis] = draw(st.integers(1, 3))
        arrays.append(draw(ps.arrays(dtype, tuple(shape))))
    return arrays, {"dim": axis - (len(base) + (1 if stack else 0)) * draw(st.booleans())}


shaped("cat", lambda t, *xs, dim: t.cat(xs, dim), _cat_example)
shaped("stack", lambda t, *xs, dim: t.stack(xs, dim), lambda d: _cat_example(d, stack=True))

# ----------------------------------------------------------------------------- indexing


@st.composite
def _basic_key(draw, shape):
    key = []
    for size in shape[:draw(st.integers(0, len(shape)))]:
        kind = draw(st.sampled_from(["int", "slice", "step", "none", "full"]))
        if kind == "int":
            key.append(draw(st.integers(-size, size - 1)))
        elif kind == "slice":
            key.append(slice(draw(st.integers(-size, size)), draw(st.integers(-size, size))))
        elif kind == "step":
            key.append(slice(None, None, draw(st.integers(1, 3))))
        elif kind == "none":
            key.append(None)
            key.append(slice(None))
        else:
            key.append(slice(None))
    if draw(st.booleans()):
        key.append(Ellipsis)
    return tuple(key)


@st.composite
def _advanced_key(draw, shape):
    kind = draw(st.sampled_from(["list", "tensor", "two", "mask", "mixed"]))
    size = shape[0]
    if kind == "list":
        return ([int(i) for i in draw(ps.index_arrays(size, (draw(st.integers(1, 5)),)))],)
    if kind == "tensor":
        return (draw(ps.index_arrays(size)),)
    if kind == "two" and len(shape) >= 2:
        count = draw(st.integers(1, 4))
        return (draw(ps.index_arrays(size, (count,))),
                draw(ps.index_arrays(shape[1], (count,))))
    if kind == "mask":
        return (draw(hnp.arrays(np.bool_, shape[:draw(st.integers(1, len(shape)))])),)
    return (slice(None), draw(ps.index_arrays(shape[1], (3,)))) if len(shape) >= 2 else \
        (draw(ps.index_arrays(size)),)


def _on(lib, index, like):
    """An index tensor of `lib` on the device of `like` (gather and scatter want one device)."""
    return lib.tensor(index, device=like.device)


def _to_key(lib, key):
    """Index arrays become tensors of `lib` (lists and ints stay Python)."""
    return tuple(lib.tensor(k) if isinstance(k, np.ndarray) else k for k in key)


shaped("getitem_basic", lambda t, x, key: x[key] * 1,
       lambda d: _tensor_and(d, lambda s: _basic_key(s).map(lambda k: {"key": k})),
       category="indexing")
shaped("getitem_advanced", lambda t, x, key: x[_to_key(t, key)],
       lambda d: _tensor_and(d, lambda s: _advanced_key(s).map(lambda k: {"key": k})),
       category="indexing")
shaped("getitem_range_target", lambda t, x, target: x[range(x.shape[0]), t.tensor(target)],
       lambda d: _tensor_and(d, lambda s: ps.index_arrays(s[1], (s[0],)).map(
           lambda v: {"target": v}), min_dims=2, max_dims=2),
       category="indexing")


def _setitem(t, x, v, key):
    y = x * 1
    y[key] = v.sum()
    return y


shaped("setitem", _setitem, lambda d: _tensor_and(d, lambda s: _basic_key(s).map(
    lambda k: {"key": k})).flatmap(lambda e: st.tuples(
        ps.arrays(d, (2,)).map(lambda v: e[0] + [v]), st.just(e[1]))), category="indexing")


@st.composite
def _gather_example(draw, dtype, scatter=False):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    axis = draw(st.integers(0, len(shape) - 1))
    index_shape = tuple(draw(st.integers(1, size)) if a != axis else draw(st.integers(1, 4))
                        for a, size in enumerate(shape))
    index = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, shape[axis] - 1)))
    arrays = [draw(ps.arrays(dtype, shape))]
    if scatter:
        arrays.append(draw(ps.arrays(dtype, index_shape)))
    return arrays, {"dim": axis, "index": index}


shaped("gather", lambda t, x, dim, index: t.gather(x, dim, _on(t, index, x)), _gather_example,
       category="indexing")
shaped("scatter_add", lambda t, x, s, dim, index: x.scatter_add(dim, _on(t, index, x), s),
       lambda d: _gather_example(d, scatter=True), category="indexing")
shaped("index_select", lambda t, x, index: t.index_select(x, 0, _on(t, index, x)),
       lambda d: _tensor_and(d, lambda s: ps.index_arrays(s[0], (3,)).map(
           lambda v: {"index": v % s[0]})), category="indexing")
shaped("masked_select", lambda t, x: x.masked_select(x > 0),
       lambda d: _tensor_and(d, lambda s: st.just({})), category="indexing")


@st.composite
def _scatter_unique(draw, dtype):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    index = np.stack([draw(st.permutations(range(n))) for _ in range(m)], axis=1)
    return [draw(ps.arrays(dtype, (n, m))), draw(ps.arrays(dtype, (n, m)))], {"index": index}


shaped("scatter", lambda t, x, s, index: x.scatter(0, _on(t, index, x), s), _scatter_unique,
       category="indexing")

# ----------------------------------------------------------------------------- in place


def _inplace(method, *args):
    def fn(t, x, y):
        z = x * 1
        getattr(z, method)(y if not args else args[0])
        return z
    return fn


@st.composite
def _where_pair(draw, dtype):
    shape = draw(ps.shapes(min_dims=0, max_dims=3))
    return [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, shape))], {}


for _method in ("add_", "sub_", "mul_"):
    register(OpSpec(_method, _inplace(_method), _where_pair, category="inplace"))


register(OpSpec("div_", _inplace("div_"), lambda d: _where_pair(d).filter(
    lambda e: np.all(np.abs(e[0][1]) > 0.25)), category="inplace"))
register(OpSpec("clamp_", lambda t, x, y: (x * y).clamp_(-1, 1), _where_pair, category="inplace"))
register(OpSpec("exp_", lambda t, x, y: (x * y).exp_() * y, _where_pair, category="inplace"))
register(OpSpec("iadd_chain", lambda t, x, y: _iadd(x, y), _where_pair, category="inplace"))


def _iadd(x, y):
    z = x * 2
    z += y
    z *= y
    z -= 1
    return z
