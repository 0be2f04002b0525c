"""All parameters as one flat vector, and back."""
from __future__ import annotations

from collections.abc import Iterable

from ...functions.shape import cat
from ...tensor import Tensor
from ..module import typename


def _check_same_device(param: Tensor, device):
    if device is not None and param.device != device:
        raise TypeError("Found two parameters on different devices, this is currently not "
                        "supported.")
    return param.device


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """cat([p.view(-1) for p in parameters]) (differentiable, as in torch)."""
    device, pieces = None, []
    for param in parameters:
        device = _check_same_device(param, device)
        pieces.append(param.view(-1))
    return cat(pieces)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Make each parameter's data the matching slice of `vec` (they then share memory)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {typename(vec)}")
    device, pointer = None, 0
    for param in parameters:
        device = _check_same_device(param, device)
        count = param.numel()
        param.data = vec[pointer:pointer + count].view_as(param).data
        pointer += count
