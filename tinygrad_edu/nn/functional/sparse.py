"""embedding, one_hot and pad: indices in, tensors out, and tensors grown at their borders.

Embedding is a lookup table, row i of the weight being the vector of token i:

    y = W[indices];   dW = zeros with dW[indices] += dy   (a token seen twice gets both)

Padding grows a tensor at its borders (negative amounts crop); `pads` holds one (before, after)
pair per axis. Constant padding and cropping are each other's adjoint, so the backward of a
constant pad is a constant pad by the negated amounts. Reflect, replicate and circular padding
copy border elements; their backward folds each border's gradient back onto the elements it was
copied from.
"""
from __future__ import annotations

from ... import backend, dtypes
from ...autograd.primitive import Primitive
from ...autograd.raw_backward import once_differentiable
from ...backend import get_array_module
from ...functions.dtype_support import refuse
from ...ops.indexing import IndexToZeros
from ...tensor import Tensor
from ._args import check_tensor, scalar_name

# ----------------------------------------------------------------------------- embedding

class Embedding(Primitive):
    """y = W[indices];  dW[i] = Σ of dy over the positions holding index i
    (none for padding_idx; divided by i's count with scale_grad_by_freq)"""

    @staticmethod
    def forward(ctx, weight, *, indices, padding_idx, scale_grad_by_freq):
        ctx.indices, ctx.weight_shape = indices, weight.shape
        ctx.padding_idx, ctx.scale_grad_by_freq = padding_idx, scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx, grad_output):
        indices = ctx.indices.reshape(-1)
        rows = grad_output.reshape(indices.shape[0], ctx.weight_shape[1])
        if ctx.padding_idx is not None or ctx.scale_grad_by_freq:
            xp = get_array_module(indices)
            factor = xp.ones(indices.shape, dtype=grad_output._data.dtype)
            if ctx.scale_grad_by_freq:
                counts = xp.bincount(indices, minlength=ctx.weight_shape[0])
                factor = factor / counts[indices]
            if ctx.padding_idx is not None:
                factor = factor * (indices != ctx.padding_idx)
            rows = rows * Tensor._make(factor[:, None].astype(grad_output._data.dtype))
        return IndexToZeros.apply(rows, key=(indices,), shape=ctx.weight_shape, accumulate=True)


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of `weight` picked by the integer `input`: output shape input.shape + (dim,)."""
    check_tensor(input, "embedding")
    check_tensor(weight, "embedding", "weight", 2)
    if input._data.dtype.kind not in "iu" or input._data.dtype.itemsize not in (4, 8):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"{_tensor_type(input)} instead (while checking arguments for "
                           "embedding)")
    if weight._data.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    rows = weight._data.shape[0]
    if padding_idx is not None:
        if not -rows <= padding_idx < rows:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = padding_idx % rows
    indices = input._data
    if indices.size and backend.on_host(indices) and (  # value checks: see backend.on_host
            int(indices.min()) < 0 or int(indices.max()) >= rows):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, indices, max_norm, norm_type)
    return Embedding.apply(weight, indices=indices, padding_idx=padding_idx,
                           scale_grad_by_freq=scale_grad_by_freq)


def _tensor_type(tensor: Tensor) -> str:
    return f"torch.{scalar_name(tensor)}Tensor"


def _renorm_rows(weight: Tensor, indices, max_norm: float, norm_type: float) -> None:
    """Rescale, in place, the looked-up rows whose norm exceeds max_norm (torch's
    embedding_renorm_, done without recording a gradient)."""
    xp = backend.get_array_module(weight._data)
    used = xp.unique(indices.reshape(-1))
    rows = weight._data[used]  # on the raw array: no graph is recorded
    norms = (xp.abs(rows) ** norm_type).sum(axis=1) ** (1.0 / norm_type)
    scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
    weight._data[used] = rows * scale[:, None].astype(rows.dtype)
    weight._version_counter.bump("embedding_renorm_")


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape tensor.shape + (num_classes,): 1 at each index, 0 elsewhere."""
    check_tensor(tensor, "one_hot", "self")
    data = tensor._data
    if data.dtype != dtypes.int64.numpy:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    xp = backend.get_array_module(data)
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and backend.on_host(data):  # value checks: see backend.on_host (and torch)
        if int(data.min()) < 0:
            raise RuntimeError("Class values must be non-negative.")
        if int(data.max()) >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = data[..., None] == xp.arange(num_classes)
    return Tensor._make(out.astype(dtypes.int64.numpy))


# ----------------------------------------------------------------------------- pad

def _crop(array, pads):
    """Remove what negative pads ask to remove (a view)."""
    key = tuple(slice(-before if before < 0 else 0,
                      size + after if after < 0 else size)
                for size, (before, after) in zip(array.shape, pads))
    return array[key]


def _grow(array, pads, mode, value=0):
    """Apply the positive pads with NumPy's mode, then the negative ones (crops)."""
    xp = get_array_module(array)
    positive = [(max(before, 0), max(after, 0)) for before, after in pads]
    if any(before or after for before, after in positive):
        if mode == "constant":
            array = xp.pad(array, positive, mode="constant", constant_values=value)
        else:
            array = xp.pad(array, positive, mode=mode)
    if any(before < 0 or after < 0 for before, after in pads):
        array = xp.ascontiguousarray(_crop(array, [(min(b, 0), min(a, 0)) for b, a in pads]))
    return array


class ConstantPad(Primitive):
    """y = x surrounded by `value` (negative pads crop);  dx = dy with the pads undone"""

    node_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, *, pads, value):
        ctx.pads = pads
        out = _grow(x, pads, "constant", value)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        undo = tuple((-before, -after) for before, after in ctx.pads)
        return ConstantPad.apply(grad_output, pads=undo, value=0)


def _axis(ndim, axis, index):
    key = [slice(None)] * ndim
    key[axis] = index
    return tuple(key)


class _CopyPad(Primitive):
    """Padding by copying existing elements (the subclasses name NumPy's mode and fold)."""

    numpy_mode = ""
    crop_first = False  # circular padding wraps around the cropped tensor, as torch does

    @classmethod
    def forward(cls, ctx, x, *, pads):
        ctx.pads, ctx.shape, ctx.fold, ctx.crop_first = pads, x.shape, cls.fold, cls.crop_first
        if cls.crop_first:
            x = _crop(x, [(min(b, 0), min(a, 0)) for b, a in pads])
            pads = [(max(b, 0), max(a, 0)) for b, a in pads]
        return _grow(x, pads, cls.numpy_mode)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        g = grad_output._data
        xp = get_array_module(g)
        positive = [(max(before, 0), max(after, 0)) for before, after in ctx.pads]
        negative = [(min(before, 0), min(after, 0)) for before, after in ctx.pads]
        if ctx.crop_first:  # fold the borders onto the cropped tensor, then put it back
            inner = [size + b + a for size, (b, a) in zip(ctx.shape, negative)]
            g = _fold_all(ctx.fold, xp, g, positive, inner)
            return Tensor._make(_uncrop(xp, g, ctx.shape, negative))
        full = [size + b + a for size, (b, a) in zip(ctx.shape, positive)]
        g = _uncrop(xp, g, full, negative)  # the cropped elements got no gradient
        return Tensor._make(_fold_all(ctx.fold, xp, g, positive, ctx.shape))


def _uncrop(xp, g, shape, negative):
    if tuple(g.shape) == tuple(shape):
        return g
    grad = xp.zeros(shape, dtype=g.dtype)
    _crop(grad, negative)[...] = g
    return grad


def _fold_all(fold, xp, g, positive, sizes):
    for axis, (before, after) in enumerate(positive):
        if before or after:
            g = fold(xp, g, axis, before, after, sizes[axis])
    return g


class ReflectionPad(_CopyPad):
    """y = x mirrored at its borders (the edge itself not repeated);
    dx = dy plus the mirrored border gradients"""

    numpy_mode = "reflect"

    @staticmethod
    def fold(xp, g, axis, before, after, n):
        nd = g.ndim
        center = g[_axis(nd, axis, slice(before, before + n))].copy()
        if before:  # padded position p came from element before - p
            center[_axis(nd, axis, slice(1, before + 1))] += xp.flip(
                g[_axis(nd, axis, slice(0, before))], axis)
        if after:  # padded position n + q came from element n - 2 - q
            center[_axis(nd, axis, slice(n - 1 - after, n - 1))] += xp.flip(
                g[_axis(nd, axis, slice(before + n, before + n + after))], axis)
        return center


class ReplicationPad(_CopyPad):
    """y = x with its edge elements repeated;  dx = dy plus each border's sum at the edges"""

    numpy_mode = "edge"

    @staticmethod
    def fold(xp, g, axis, before, after, n):
        nd = g.ndim
        center = g[_axis(nd, axis, slice(before, before + n))].copy()
        if before:
            center[_axis(nd, axis, slice(0, 1))] += g[_axis(nd, axis, slice(0, before))].sum(
                axis=axis, keepdims=True)
        if after:
            center[_axis(nd, axis, slice(n - 1, n))] += g[_axis(nd, axis, slice(
                before + n, None))].sum(axis=axis, keepdims=True)
        return center


class CircularPad(_CopyPad):
    """y = x with the opposite side wrapped around;  dx = dy plus the wrapped borders"""

    numpy_mode = "wrap"
    crop_first = True

    @staticmethod
    def fold(xp, g, axis, before, after, n):
        nd = g.ndim
        center = g[_axis(nd, axis, slice(before, before + n))].copy()
        if before:  # the left border is a copy of the last `before` elements
            center[_axis(nd, axis, slice(n - before, n))] += g[_axis(nd, axis,
                                                                     slice(0, before))]
        if after:
            center[_axis(nd, axis, slice(0, after))] += g[_axis(nd, axis, slice(
                before + n, before + n + after))]
        return center


def _named(base, name):
    return type(name, (base,), {"node_name": f"{name}Backward0", "__module__": __name__,
                                "__doc__": base.__doc__})


# torch names the node after the number of padded axes (ReflectionPad2DBackward0 ...)
REFLECTION = {n: _named(ReflectionPad, f"ReflectionPad{n}D") for n in (1, 2, 3)}
REPLICATION = {n: _named(ReplicationPad, f"ReplicationPad{n}D") for n in (1, 2, 3)}


_SUPPORTED = ("Supported combinations for non-constant padding:\n"
              "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
              "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
              "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last len(pad) // 2 dimensions; `pad` lists (before, after) amounts starting from
    the LAST dimension: (left, right, top, bottom, ...). Modes: 'constant' (with `value`),
    'reflect', 'replicate', 'circular'. Negative amounts crop."""
    check_tensor(input, "pad")
    amounts = tuple(pad)
    for position, amount in enumerate(amounts):
        if isinstance(amount, bool) or not hasattr(amount, "__index__"):
            raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, but found "
                            f"element of type {type(amount).__name__} at pos {position}")
    amounts = tuple(a.__index__() for a in amounts)
    ndim = input._data.ndim
    if len(amounts) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(amounts) // 2 > ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(amounts)} and input of "
                           f"dimension {ndim}")
    padded = len(amounts) // 2
    pairs = [(0, 0)] * (ndim - padded) + [(amounts[2 * i], amounts[2 * i + 1])
                                          for i in reversed(range(padded))]
    shape = input._data.shape
    for size, (before, after) in zip(shape, pairs):
        if size + before + after < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
    if mode == "constant":
        return ConstantPad.apply(input, pads=tuple(pairs), value=0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    if padded not in (1, 2, 3) or ndim not in (padded + 1, padded + 2):
        raise NotImplementedError(f"Padding size {len(amounts)} is not supported for {ndim}D "
                                  f"input tensor.\n{_SUPPORTED}")
    for axis in range(ndim - padded, ndim):
        before, after = pairs[axis]
        if mode == "reflect" and (before >= shape[axis] or after >= shape[axis]):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({before}, {after}) at "
                               f"dimension {axis} of input {list(shape)}")
        if mode == "circular" and (before > shape[axis] or after > shape[axis]):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    if mode != "circular":  # torch has no bool reflection_pad2d, replication_pad1d, ...
        refuse(input, f"{'reflection' if mode == 'reflect' else 'replication'}_pad{padded}d")
    op = {"reflect": REFLECTION.get(padded), "replicate": REPLICATION.get(padded),
          "circular": CircularPad}[mode]
    return op.apply(input, pads=tuple(pairs))
