"""Dropout: during training, zero each element (or whole channel) with probability p and scale
the survivors by 1 / (1 - p), so that the expected value of every element is unchanged.

    y = x * mask / (1 - p);   dx = dy * mask / (1 - p)   (recorded as a multiplication, as torch)

The mask (True = keep) is drawn by `bernoulli_mask` from the default generator.
"""
from __future__ import annotations

import warnings

from ... import backend, random
from ...tensor import Tensor
from ._args import check_tensor, scalar_name


def bernoulli_mask(shape: tuple, p: float, dtype, device) -> Tensor:
    """The keep-mask of a dropout: each element kept (True) with probability 1 - p."""
    uniform = random.random_array("uniform", shape, backend.numpy_dtype("float32"),
                                   backend.as_device(device))
    return Tensor._make(uniform >= p)  # P(u >= p) = 1 - p for u uniform on [0, 1)


def _check_probability(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _memory_order(data) -> list:
    """The axes of `data`, outermost in memory first. torch draws an element-wise mask into
    empty_like(input), laid out as the input, one element after the next in memory: a mask
    drawn in this order and transposed back is torch's for a transposed input too. Logical
    order where the strides do not tell (broadcast or reversed axes)."""
    if any(step <= 0 for step, size in zip(data.strides, data.shape) if size > 1):
        return list(range(data.ndim))
    return sorted(range(data.ndim), key=lambda axis: -data.strides[axis])


def _apply_mask(input: Tensor, p: float, mask_shape: tuple, inplace: bool) -> Tensor:
    data = input._data
    if data.dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{scalar_name(input)}")
    xp = backend.get_array_module(data)
    if p == 1:  # everything dropped: 1 / (1 - p) would be infinite
        noise = xp.zeros((), dtype=data.dtype)
    else:
        mask_shape = tuple(mask_shape)
        permuted = mask_shape == data.shape and not data.flags.c_contiguous
        order = _memory_order(data) if permuted else range(data.ndim)
        mask = bernoulli_mask(tuple(mask_shape[axis] for axis in order), p, input.dtype,
                              input.device)
        mask = mask._data if isinstance(mask, Tensor) else xp.asarray(mask)
        if permuted:  # back to the input's logical order
            mask = mask.transpose(sorted(range(data.ndim), key=list(order).__getitem__))
        # scale in the input's dtype, as torch's noise.div_(1 - p) (a NumPy scalar: on a GPU
        # it travels as a kernel argument, an array of it would be a copy to the device)
        noise = mask.astype(data.dtype) / data.dtype.type(1 - p)
    noise = Tensor._make(noise)
    return input.mul_(noise) if inplace else input * noise


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (training only;
    otherwise the input itself is returned)."""
    check_tensor(input, "dropout")
    _check_probability(p)
    if not training or p == 0 or input._data.size == 0:
        return input
    return _apply_mask(input, p, input._data.shape, inplace)


def _feature_dropout(input, p, training, inplace):
    if input._data.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if not training or p == 0 or input._data.size == 0:
        return input
    shape = input._data.shape[:2] + (1,) * (input._data.ndim - 2)  # one draw per channel
    return _apply_mask(input, p, shape, inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) or unbatched (C, L) inputs."""
    check_tensor(input, "dropout1d")
    _check_probability(p)
    if input._data.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a "
                           f"{input._data.ndim}D input. Note that dropout1d exists to provide "
                           "channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    if input._data.ndim == 2:  # unbatched (C, L): a batch of one
        return _feature_dropout(input.unsqueeze(0), p, training, inplace).squeeze(0)
    return _feature_dropout(input, p, training, inplace)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) inputs with probability p."""
    check_tensor(input, "dropout2d")
    _check_probability(p)
    rank = input._data.ndim
    if rank not in (3, 4):
        warnings.warn(f"dropout2d: Received a {rank}-D input to dropout2d, which is deprecated "
                      "and will result in an error in a future release. To retain the behavior "
                      "and silence this warning, please use dropout instead. Note that dropout2d "
                      "exists to provide channel-wise dropout on inputs with 2 spatial "
                      "dimensions, a channel dimension, and an optional batch dimension (i.e. 3D "
                      "or 4D inputs).", UserWarning, stacklevel=2)
    if rank == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
                      "1D dropout behavior is desired - input is interpreted as shape (N, C, L), "
                      "where C is the channel dim. This behavior will change in a future release "
                      "to interpret the input as one without a batch dimension, i.e. shape (C, H, "
                      "W). To maintain the 1D channel-wise dropout behavior, please switch to "
                      "using dropout1d instead.", UserWarning, stacklevel=2)
    return _feature_dropout(input, p, training, inplace)
