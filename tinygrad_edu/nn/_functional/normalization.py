"""batch_norm and layer_norm with torch's checks; the math is in ops/normalization.py."""
from __future__ import annotations

from ...ops.normalization import BatchNorm, LayerNorm
from ...tensor import Size, Tensor
from ._args import check_tensor, scalar_name


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalize each channel (dim 1) of (N, C), (N, C, L) or (N, C, H, W) inputs.

    training: by the batch's mean and (biased) variance; running_mean/running_var, when given,
    are updated in place: running = (1 - momentum) * running + momentum * batch statistic,
    with the unbiased variance. Evaluation: by running_mean and running_var.
    """
    check_tensor(input, "batch_norm")
    if momentum is None:
        raise TypeError("batch_norm(): argument 'momentum' (position 7) must be float, not "
                        "NoneType")
    shape = input._data.shape
    channels = shape[1] if len(shape) > 1 else 0
    if training:
        count = 1
        for size in shape[:1] + shape[2:]:
            count *= size
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {Size(shape)!r}")
    for name, tensor in (("running_mean", running_mean), ("running_var", running_var),
                         ("weight", weight), ("bias", bias)):
        if tensor is not None and tensor._data.size != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not "
                               f"{tensor._data.size}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean must be defined in evaluation mode" if running_mean
                           is None else "running_var must be defined in evaluation mode")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{scalar_name(input)}'")
    for tensor in (weight, bias):
        if tensor is not None and tensor._data.dtype != input._data.dtype:
            raise RuntimeError(f"mixed dtype (CPU): expect parameter to have scalar type of "
                               f"{scalar_name(input)}")
    for tensor in (running_mean, running_var):
        if tensor is not None and tensor._data.dtype != input._data.dtype:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    return BatchNorm.apply(input, weight, bias,
                           running_mean=None if running_mean is None else running_mean._data,
                           running_var=None if running_var is None else running_var._data,
                           training=training, momentum=momentum, eps=eps)


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalize over the last len(normalized_shape) dimensions of each sample."""
    check_tensor(input, "layer_norm")
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}")
    normalized = [int(n) for n in normalized_shape]
    shape = list(input._data.shape)
    if len(normalized) == 0 or len(normalized) > len(shape) or \
            shape[len(shape) - len(normalized):] != normalized:
        raise RuntimeError(f"Given normalized_shape={normalized}, expected input with shape "
                           f"[*, {', '.join(map(str, normalized))}], but got input of size"
                           f"{shape}")
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None and list(tensor._data.shape) != normalized:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got "
                               f"{name} of shape {list(tensor.shape)} and normalized_shape = "
                               f"{normalized}")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"LayerNormKernelImpl\" not implemented for "
                                  f"'{scalar_name(input)}'")
    return LayerNorm.apply(input, weight, bias, dims=len(normalized), eps=eps)
