"""Indexing primitives: read some elements (`x[key]`, gather), or write some (scatter, index_put).

Reading and writing-into-zeros are each other's backward:
    y = x[key]                      dx = zeros(x.shape) with dx[key] += dy
    y = zeros(shape); y[key] += x   dx = dy[key]
`+=` (np.add.at / scatter-add) makes repeated indices add their gradients up.
`key` is a tuple of ints, slices, None, Ellipsis and integer/boolean arrays, as NumPy takes it.
"""
from __future__ import annotations

from ..arrays import scatter_add
from ..autograd.primitive import Primitive
from ..backend import get_array_module


class BasicIndex(Primitive):
    """y = x[key] for ints, slices, None and ... (a view);  dx = zeros with dx[key] = dy"""

    is_view = True
    node_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, x, *, key):
        ctx.shape, ctx.key = x.shape, key
        return x[key]

    @staticmethod
    def backward(ctx, grad_output):
        return IndexToZeros.apply(grad_output, key=ctx.key, shape=ctx.shape, accumulate=False)


class Select(BasicIndex):
    """y = x[..., i, ...] (one index on one axis, a view);  dx = zeros with that slice = dy"""

    node_name = "SelectBackward0"


class Slice(BasicIndex):
    """y = x[..., a:b:s, ...] (a view);  dx = zeros with that slice = dy"""

    node_name = "SliceBackward0"


class AdvancedIndex(Primitive):
    """y = x[key] with integer or boolean arrays in key (a copy);
    dx = zeros with dx[key] += dy (repeated indices add up)"""

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, *, key):
        ctx.shape, ctx.key = x.shape, key
        ctx.save_for_backward(*[part for part in key if hasattr(part, "dtype")])  # the indices
        return x[key]

    @staticmethod
    def backward(ctx, grad_output):
        ctx.saved_tensors  # noqa: B018 - raises if the graph was freed, as torch's does
        return IndexToZeros.apply(grad_output, key=ctx.key, shape=ctx.shape, accumulate=True)


class IndexToZeros(Primitive):
    """y = zeros(shape) with y[key] += x (the backward of indexing);  dx = dy[key]"""

    @staticmethod
    def forward(ctx, x, *, key, shape, accumulate):
        ctx.key, ctx.accumulate = key, accumulate
        y = get_array_module(x).zeros(shape, dtype=x.dtype)
        if accumulate:
            scatter_add(y, key, x)
        else:
            y[key] = x
        return y

    @staticmethod
    def backward(ctx, grad_output):
        index = AdvancedIndex if ctx.accumulate else BasicIndex
        return index.apply(grad_output, key=ctx.key)


class IndexPut(Primitive):
    """y = x with y[key] = v (x[key] = v, out of place);  dx = dy with dy[key] = 0,  dv = dy[key]"""

    @staticmethod
    def forward(ctx, x, value, *, key):
        ctx.key = key
        # Saved so that, like torch's CopySlices, a second backward through it is refused.
        ctx.save_for_backward(*[part for part in key if hasattr(part, "dtype")], None)
        y = x.copy()
        y[key] = value
        return y

    @staticmethod
    def backward(ctx, grad_output):
        ctx.saved_tensors  # noqa: B018 - raises if the graph was freed
        key = ctx.key
        dx = IndexPut.apply(grad_output, 0.0, key=key) if ctx.needs_input_grad[0] else None
        dvalue = None
        if ctx.needs_input_grad[1]:
            dvalue = grad_output[key]
        return dx, dvalue


# ----------------------------------------------------------------------------- along one axis

def along_axis_key(index, dim):
    """The NumPy key that pairs every position of `index` with its value on axis `dim`."""
    xp = get_array_module(index)
    key = list(xp.ix_(*[xp.arange(size) for size in index.shape]))
    key[dim] = index
    return tuple(key)


class Gather(Primitive):
    """y[i][j] = x[index[i][j]][j] (for dim 0, and so on);  dx = zeros scatter-added with dy"""

    @staticmethod
    def forward(ctx, x, *, dim, index):
        ctx.shape, ctx.dim = x.shape, dim
        ctx.save_for_backward(index)
        return x[along_axis_key(index, dim)]

    @staticmethod
    def backward(ctx, grad_output):
        index, = ctx.saved_tensors
        return IndexToZeros.apply(grad_output, key=along_axis_key(index._data, ctx.dim),
                                  shape=ctx.shape, accumulate=True)


class ScatterAdd(Primitive):
    """y = x with y[index[i][j]][j] += src[i][j];  dx = dy,  dsrc = dy gathered at index"""

    @staticmethod
    def forward(ctx, x, src, *, dim, index):
        ctx.dim = dim
        ctx.save_for_backward(index)
        y = x.copy()
        src = src[tuple(slice(0, size) for size in index.shape)]
        scatter_add(y, along_axis_key(index, dim), src)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        index, = ctx.saved_tensors
        dsrc = grad_output.gather(ctx.dim, index) if ctx.needs_input_grad[1] else None
        return grad_output, dsrc


