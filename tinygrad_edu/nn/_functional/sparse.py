"""embedding, one_hot and pad: indices in, tensors out, and tensors grown at their borders."""
from __future__ import annotations

from ... import backend
from ...ops.embedding import Embedding
from ...ops.padding import REFLECTION, REPLICATION, CircularPad, ConstantPad
from ...tensor import Tensor
from ._args import check_tensor

_numpy = backend.numpy_module()


# ----------------------------------------------------------------------------- embedding

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
    from ._args import scalar_name  # noqa: PLC0415
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
    if data.dtype != _numpy.int64:
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
    return Tensor._make(out.astype(_numpy.int64))


# ----------------------------------------------------------------------------- pad

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
    op = {"reflect": REFLECTION.get(padded), "replicate": REPLICATION.get(padded),
          "circular": CircularPad}[mode]
    return op.apply(input, pads=tuple(pairs))
