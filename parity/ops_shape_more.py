"""The registry's shapes and indexing, part two: diagonals, tile and repeat_interleave, rot90 and
the flips, the splits and stacks, unfold, meshgrid, block_diag, cartesian_prod, combinations,
the index_*/put/scatter families (with their in-place forms), take_along_dim, scatter_reduce,
einsum's full equations and tensordot.

Each op's fn uses the Tensor method where torch has one (so a list in place of a tensor fails
alike in both libraries); the torch.* spellings and the in-place forms are its `forms`.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import ops_attention, ops_more, ops_shape  # noqa: F401 - the ops given more forms here
from . import strategies as ps
from .ops_shape import _on, _tensor_and, _where_pair
from .registry import add_forms, shaped


def _draw_pairs(**choices):
    return st.fixed_dictionaries({k: v if isinstance(v, st.SearchStrategy) else
                                  st.sampled_from(v) for k, v in choices.items()})


def _two_dims(shape):
    """Two different dims of `shape` (either may be negative), drawn without a filter, so that
    hypothesis shrinks an example quickly (to dims (0, 1))."""
    n = len(shape)
    return st.tuples(st.integers(0, n - 1), st.integers(1, n - 1), st.booleans(),
                     st.booleans()).map(lambda d: (d[0] - n * d[2], (d[0] + d[1]) % n - n * d[3]))

# ----------------------------------------------------------------------------- diagonals


shaped("diagonal", lambda t, x, offset, dims: x.diagonal(offset, *dims),
       lambda d: _tensor_and(d, lambda s: _draw_pairs(offset=st.integers(-3, 3),
                                                      dims=_two_dims(s)), min_dims=2))
add_forms("diagonal", lambda t, x, offset, dims: t.diagonal(x, offset, dims[0], dims[1]),
          lambda t, x, offset, dims: x.diagonal(offset=offset, dim1=dims[0], dim2=dims[1]) * 1)
shaped("diag", lambda t, x, diagonal: x.diag(diagonal),
       lambda d: _tensor_and(d, lambda s: _draw_pairs(diagonal=st.integers(-2, 2)),
                             max_dims=2))
add_forms("diag", lambda t, x, diagonal: t.diag(x, diagonal))
shaped("diag_embed", lambda t, x, offset, dims: x.diag_embed(offset, *dims),
       lambda d: _tensor_and(d, lambda s: _draw_pairs(offset=st.integers(-2, 2),
                                                      dims=_two_dims(s + (1,))), max_dims=3))
add_forms("diag_embed", lambda t, x, offset, dims: t.diag_embed(x, offset, *dims))
shaped("trace", lambda t, x: x.trace(),
       lambda d: _tensor_and(d, lambda s: st.just({}), min_dims=2, max_dims=2))
add_forms("trace", lambda t, x: t.trace(x))


@st.composite
def _diagonal_scatter(draw, dtype):
    shape = draw(ps.shapes(min_dims=2, max_dims=3))
    dims = draw(_two_dims(shape))
    offset = draw(st.integers(-2, 2))
    part = np.diagonal(np.zeros(shape), offset, *dims).shape
    return [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, part))], \
        {"offset": offset, "dims": dims}


shaped("diagonal_scatter", lambda t, x, src, offset, dims: x.diagonal_scatter(src, offset, *dims),
       _diagonal_scatter, category="indexing")
add_forms("diagonal_scatter",
          lambda t, x, src, offset, dims: t.diagonal_scatter(x, src, offset, *dims))
shaped("fill_diagonal_", lambda t, x, wrap: (x * 1).fill_diagonal_(-1.5, wrap=wrap) * x,
       lambda d: _tensor_and(d, lambda s: _draw_pairs(wrap=[False, True]), min_dims=2,
                             max_dims=2), category="inplace")
for _name in ("tril", "triu"):
    add_forms(_name, lambda t, x, diagonal, _name=_name: getattr(x * 1, f"{_name}_")(diagonal))

# ----------------------------------------------------------------------------- repeating


shaped("tile", lambda t, x, reps: x.tile(reps),
       lambda d: _tensor_and(d, lambda s: st.lists(st.integers(0, 2), max_size=len(s) + 1).map(
           lambda r: {"reps": tuple(r)}), min_dims=0, max_dims=3))
add_forms("tile", lambda t, x, reps: t.tile(x, reps), lambda t, x, reps: x.tile(*reps) if reps
          else x.tile(()))
shaped("repeat_interleave", lambda t, x, repeats, dim: x.repeat_interleave(repeats, dim),
       lambda d: _tensor_and(d, lambda s: _draw_pairs(repeats=st.integers(0, 3),
                                                      dim=st.sampled_from([None, 0, -1]))))
add_forms("repeat_interleave",
          lambda t, x, repeats, dim: t.repeat_interleave(x, repeats, dim=dim))


@st.composite
def _counts(draw, dtype):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    counts = draw(hnp.arrays(np.int64, (shape[0],), elements=st.integers(0, 3)))
    return [draw(ps.arrays(dtype, shape))], {"counts": counts}


shaped("repeat_interleave_counts",
       lambda t, x, counts: x.repeat_interleave(_on(t, counts, x), dim=0), _counts)
add_forms("repeat_interleave_counts", lambda t, x, counts: x.index_select(
    0, t.repeat_interleave(_on(t, counts, x))))
add_forms("flatten", lambda t, x, start, end: x.ravel(), lambda t, x, start, end: t.ravel(x))
shaped("rot90", lambda t, x, k, dims: x.rot90(k, dims),
       lambda d: _tensor_and(d, lambda s: _draw_pairs(k=st.integers(-4, 5), dims=_two_dims(s)),
                             min_dims=2))
add_forms("rot90", lambda t, x, k, dims: t.rot90(x, k, list(dims)))
shaped("fliplr_flipud", lambda t, x: (x.fliplr(), x.flipud()),
       lambda d: _tensor_and(d, lambda s: st.just({}), min_dims=2))
add_forms("fliplr_flipud", lambda t, x: (t.fliplr(x), t.flipud(x)))
add_forms("movedim", lambda t, x, source, destination: t.moveaxis(x, source, destination),
          lambda t, x, source, destination: x.moveaxis(source, destination))
add_forms("T_mT", lambda t, x: x.adjoint(), lambda t, x: t.adjoint(x))

# ----------------------------------------------------------------------------- splits


def _cut_points(shape):
    size = shape[-1]
    return st.one_of(st.integers(1, 4), st.lists(st.integers(-size - 1, size + 1), max_size=3))


shaped("tensor_split", lambda t, x, cuts: x.tensor_split(cuts, -1),
       lambda d: _tensor_and(d, lambda s: _cut_points(s).map(lambda c: {"cuts": c})))
add_forms("tensor_split", lambda t, x, cuts: t.tensor_split(x, cuts, dim=-1),
          lambda t, x, cuts: x.tensor_split(t.tensor(cuts), dim=-1))


@st.composite
def _split_along(draw, dtype):
    shape = tuple(2 * n for n in draw(ps.shapes(min_dims=3, max_dims=3, max_side=2)))
    return [draw(ps.arrays(dtype, shape))], {"sections": draw(st.sampled_from([1, 2, [1],
                                                                               [0, 3]]))}


shaped("hsplit_vsplit_dsplit", lambda t, x, sections: x.hsplit(sections) + x.vsplit(sections)
       + x.dsplit(sections), _split_along)
add_forms("hsplit_vsplit_dsplit", lambda t, x, sections: t.hsplit(x, sections)
          + t.vsplit(x, sections) + t.dsplit(x, sections))


@st.composite
def _sizes(draw, dtype):
    arrays, _ = draw(_tensor_and(dtype, lambda s: st.just({})))
    size = arrays[0].shape[-1]
    cuts = sorted(draw(st.lists(st.integers(0, size), max_size=3)))
    return arrays, {"sizes": [b - a for a, b in zip([0] + cuts, cuts + [size])]}


shaped("split_with_sizes", lambda t, x, sizes: x.split_with_sizes(sizes, -1), _sizes)
add_forms("split_with_sizes", lambda t, x, sizes: t.split_with_sizes(x, sizes, -1),
          lambda t, x, sizes: x.unsafe_split_with_sizes(sizes, -1),
          lambda t, x, sizes: t.unsafe_split_with_sizes(x, sizes, -1))
add_forms("split", lambda t, x, size: t.unsafe_split(x, size, -1)[-1] * 2,
          lambda t, x, size: x.unsafe_split(size, -1)[0] * 2)
add_forms("chunk", lambda t, x, chunks: t.stack([c.sum() for c in t.unsafe_chunk(x, chunks)]),
          lambda t, x, chunks: t.stack([c.sum() for c in x.unsafe_chunk(chunks)]))
add_forms("narrow", lambda t, x, start: x.narrow_copy(-1, start, x.shape[-1] - start),
          lambda t, x, start: t.narrow_copy(x, -1, start, x.shape[-1] - start))
shaped("unfold", lambda t, x, dim, size, step: x.unfold(dim, size, step),
       lambda d: _tensor_and(d, lambda s: st.integers(-len(s), len(s) - 1).flatmap(
           lambda a: _draw_pairs(dim=st.just(a), size=st.integers(0, s[a]),
                                 step=st.integers(1, 3))), min_dims=1, max_dims=3))

# ----------------------------------------------------------------------------- stacks, grids


add_forms("vstack", lambda t, *xs: t.row_stack(xs), lambda t, *xs: t.dstack(xs))
add_forms("hstack", lambda t, *xs: t.column_stack(xs))
shaped("atleast_nd", lambda t, x, y: (t.atleast_1d(x), t.atleast_2d(x), t.atleast_3d([x, y])),
       _where_pair)


@st.composite
def _broadcastable(draw, dtype, count=2):
    shapes = draw(ps.broadcastable(count, max_dims=3))
    return [draw(ps.arrays(dtype, s)) for s in shapes], {}


shaped("broadcast_tensors", lambda t, x, y, z: t.broadcast_tensors(x, y, z),
       lambda d: _broadcastable(d, 3))


@st.composite
def _vectors(draw, dtype, count=None, min_size=1):
    count = draw(st.integers(1, 3)) if count is None else count
    return [draw(ps.arrays(dtype, (draw(st.integers(min_size, 3)),))) for _ in range(count)], {}


shaped("meshgrid", lambda t, *xs: t.meshgrid(*xs, indexing="ij"), _vectors)
add_forms("meshgrid", lambda t, *xs: t.meshgrid(list(xs), indexing="xy"))
shaped("cartesian_prod", lambda t, *xs: t.cartesian_prod(*xs), _vectors)
shaped("combinations", lambda t, x, r, with_replacement: t.combinations(x, r, with_replacement),
       lambda d: _vectors(d, 1, min_size=0).flatmap(lambda e: st.tuples(st.just(e[0]), _draw_pairs(
           r=st.integers(0, 3), with_replacement=[False, True]))))


@st.composite
def _blocks(draw, dtype):
    count = draw(st.integers(1, 3))
    return [draw(ps.arrays(dtype, draw(ps.shapes(min_dims=0, max_dims=2))))
            for _ in range(count)], {}


shaped("block_diag", lambda t, *xs: t.block_diag(*xs), _blocks)

# ----------------------------------------------------------------------------- along a dim


def _shape_and_dim(draw) -> tuple:
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return shape, dim, shape[dim]


@st.composite
def _along_dim(draw, dtype, unique=False):
    """A tensor, a dim, an index of positions along it, and a source with one slice each."""
    shape, dim, size = _shape_and_dim(draw)
    if unique:
        index = np.array(draw(st.permutations(range(size)))[:draw(st.integers(0, size))])
    else:
        index = draw(hnp.arrays(np.int64, (draw(st.integers(0, 4)),),
                                elements=st.integers(0, size - 1)))
    source = list(shape)
    source[dim] = len(index)
    return [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, tuple(source)))], \
        {"dim": dim, "index": index.astype(np.int64), "alpha": draw(st.sampled_from([1, -2.5]))}


shaped("index_add", lambda t, x, s, dim, index, alpha: x.index_add(dim, _on(t, index, x), s,
                                                                   alpha=alpha),
       _along_dim, category="indexing")
add_forms("index_add", lambda t, x, s, dim, index, alpha: t.index_add(x, dim, _on(t, index, x), s,
                                                                      alpha=alpha),
          lambda t, x, s, dim, index, alpha: (x * 1).index_add_(dim, _on(t, index, x), s,
                                                                alpha=alpha))
shaped("index_copy", lambda t, x, s, dim, index, alpha: x.index_copy(dim, _on(t, index, x), s),
       lambda d: _along_dim(d, unique=True), category="indexing")
add_forms("index_copy", lambda t, x, s, dim, index, alpha: t.index_copy(x, dim, _on(t, index, x),
                                                                        s),
          lambda t, x, s, dim, index, alpha: (x * 1).index_copy_(dim, _on(t, index, x), s))
shaped("index_fill", lambda t, x, s, dim, index, alpha: x.index_fill(dim, _on(t, index, x),
                                                                     s.sum()),
       _along_dim, category="indexing")  # (torch's backward fails for a negative index)
add_forms("index_fill", lambda t, x, s, dim, index, alpha: t.index_fill(x, dim, _on(t, index, x),
                                                                        alpha),
          lambda t, x, s, dim, index, alpha: (x * 1).index_fill_(dim, _on(t, index, x), alpha))
shaped("index_put", lambda t, x, v, index, accumulate: x.index_put((_on(t, index, x),), v,
                                                                   accumulate),
       ops_more._index_put_example, category="indexing")
add_forms("index_put", lambda t, x, v, index, accumulate: t.index_put(x, [_on(t, index, x)], v,
                                                                      accumulate=accumulate))


@st.composite
def _put_example(draw, dtype):
    shape = draw(ps.shapes(min_dims=0, max_dims=3))
    size = int(np.prod(shape))
    accumulate = draw(st.booleans())
    index = draw(hnp.arrays(np.int64, (draw(st.integers(0, 4)),),
                            elements=st.integers(-size, size - 1)))
    if not accumulate:  # repeated targets without accumulation: torch leaves the order open
        index = np.unique(index % size)
    return [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, index.shape))], \
        {"index": index, "accumulate": accumulate}


shaped("put", lambda t, x, s, index, accumulate: x.put(_on(t, index, x), s, accumulate),
       _put_example, category="indexing")
add_forms("put", lambda t, x, s, index, accumulate: t.put(x, _on(t, index, x), s, accumulate),
          lambda t, x, s, index, accumulate: (x * 1).put_(_on(t, index, x), s, accumulate))
@st.composite
def _masked(draw, dtype):
    shape = draw(ps.shapes(min_dims=0, max_dims=3))
    return [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, (int(np.prod(shape)) + 1,)))], {}


shaped("masked_scatter", lambda t, x, s: x.masked_scatter(x > 0, s), _masked,
       category="indexing")
add_forms("masked_scatter", lambda t, x, s: t.masked_scatter(x, x > 0, s),
          lambda t, x, s: (x * 1).masked_scatter_(x > 0, s))


@st.composite
def _take_example(draw, dtype):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    size = shape[dim]  # each axis of the index: the input's size, 1, or (on dim) any length
    index_shape = tuple(draw(st.integers(0, 3)) if a == dim % len(shape) else
                        draw(st.sampled_from([1, n])) for a, n in enumerate(shape))
    index = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, size - 1)))
    return [draw(ps.arrays(dtype, shape))], {"dim": dim, "index": index}


shaped("take_along_dim", lambda t, x, dim, index: x.take_along_dim(_on(t, index, x), dim),
       _take_example, category="indexing")
# without dim (the input flattened: torch's view(-1) refuses a non-contiguous input, so forms only)
add_forms("take_along_dim",
          lambda t, x, dim, index: t.take_along_dim(x, _on(t, index, x), dim=dim),
          lambda t, x, dim, index: t.take_along_dim(x, _on(t, index.reshape(-1), x)))


@st.composite
def _scatter_reduce_example(draw, dtype):
    arrays, options = draw(ops_shape._gather_example(dtype, scatter=True))
    options["reduce"] = draw(st.sampled_from(["sum", "prod", "mean", "amax", "amin"]))
    options["include_self"] = draw(st.booleans())
    if options["reduce"] in ("amax", "amin"):  # ties share the gradient: keep values distinct
        arrays = [draw(ps.distinct_arrays(dtype, a.shape)) for a in arrays]
    return arrays, options


shaped("scatter_reduce", lambda t, x, s, dim, index, reduce, include_self: x.scatter_reduce(
    dim, _on(t, index, x), s, reduce, include_self=include_self), _scatter_reduce_example,
       category="indexing", double=False)
add_forms("scatter_reduce", lambda t, x, s, dim, index, reduce, include_self: t.scatter_reduce(
    x, dim, _on(t, index, x), s, reduce=reduce, include_self=include_self),
          lambda t, x, s, dim, index, reduce, include_self: (x * 1).scatter_reduce_(
    dim, _on(t, index, x), s, reduce, include_self=include_self))

# ----------------------------------------------------------------------------- slices


@st.composite
def _slice_example(draw, dtype, select=False):
    shape, dim, size = _shape_and_dim(draw)
    if select:
        key = draw(st.integers(-size, size - 1))
    else:
        key = slice(draw(st.one_of(st.none(), st.integers(-size - 1, size + 1))),
                    draw(st.one_of(st.none(), st.integers(-size - 1, size + 1))),
                    draw(st.integers(1, 3)))
    part = np.zeros(shape)[(slice(None),) * (dim % len(shape)) + (key,)].shape
    return [draw(ps.arrays(dtype, shape)), draw(ps.arrays(dtype, part))], \
        {"dim": dim, "key": key}


shaped("select_scatter", lambda t, x, s, dim, key: x.select_scatter(s, dim, key),
       lambda d: _slice_example(d, select=True), category="indexing")
add_forms("select_scatter", lambda t, x, s, dim, key: t.select_scatter(x, s, dim, key))
shaped("slice_scatter", lambda t, x, s, dim, key: x.slice_scatter(s, dim, key.start, key.stop,
                                                                  key.step),
       _slice_example, category="indexing")
add_forms("slice_scatter", lambda t, x, s, dim, key: t.slice_scatter(
    x, s, dim=dim, start=key.start, end=key.stop, step=key.step))

# ----------------------------------------------------------------------------- contractions

_EQUATIONS = {"bii->bi": ((2, 3, 3),), "...ii->...i": ((2, 3, 3),), "ii": ((3, 3),),
              "...ij,jk": ((2, 2, 3), (3, 4)), "...ij,jk->...": ((2, 3), (3, 2)),
              "ba,ab": ((2, 3), (3, 2)), "ij,ij->ij": ((2, 3), (1, 3)), "i...->...": ((2, 3),),
              "bn,anm,bm->ba": ((2, 3), (4, 3, 2), (2, 2)), "ij,->ij": ((2, 3), ()),
              "iji->ij": ((2, 3, 2),), "Ab,bC->AC": ((2, 3), (3, 2)), "i,j,k": ((2,), (3,), (1,)),
              "ij,ij->": ((1, 2), (3, 2)), "...,...->...": ((2, 3), (3,))}

shaped("einsum_full", lambda t, *xs, equation: t.einsum(equation, *xs),
       lambda d: ops_more._einsum_example(d, _EQUATIONS), category="matmul")
add_forms("einsum_full", lambda t, *xs, equation: t.einsum(equation, list(xs)))


@st.composite
def _tensordot_example(draw, dtype):
    a_shape = draw(ps.shapes(min_dims=0, max_dims=3))
    count = draw(st.integers(0, len(a_shape)))
    b_shape = a_shape[len(a_shape) - count:] + draw(ps.shapes(min_dims=0, max_dims=2))
    return [draw(ps.arrays(dtype, a_shape)), draw(ps.arrays(dtype, b_shape))], {"dims": count}


shaped("tensordot", lambda t, a, b, dims: t.tensordot(a, b, dims), _tensordot_example,
       category="matmul")
add_forms("tensordot", lambda t, a, b, dims: t.tensordot(
    a, b, (list(range(a.ndim - dims, a.ndim)), list(range(dims)))))
