"""The core ops of the registry, part two: shape, indexing, in place (pointwise, reductions and
matmul are in ops_core.py): the ops that move, pick or overwrite elements.

Each line names the op, writes it once for both libraries, and says how to draw examples; the
builders (`shaped`, `register`, ...) live in parity/registry.py.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import strategies as ps
from .registry import OpSpec, register, shaped

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


shaped("view", lambda t, x, shape: x.view(shape), lambda d: _tensor_and(d, _reshape_target),
       layouts=("contiguous",))  # a view of a view whose strides do not fit is refused by both
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
