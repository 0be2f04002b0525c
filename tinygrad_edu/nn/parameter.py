"""Parameter: a tensor that a Module registers as something to train.

    self.weight = nn.Parameter(torch.randn(10, 784) / 28)

A Parameter is an ordinary leaf tensor that requires grad; its only special power is that
assigning it to a Module attribute puts it in the module's `_parameters`, so `parameters()`,
`state_dict()` and the optimizers find it. It shares memory with the tensor it was made from.

`Buffer` marks a tensor that `Module.__setattr__` should register as a buffer (state that is
saved but not trained, like BatchNorm's running mean).
"""
from __future__ import annotations

from .. import _pickle, backend
from ..functions.creation import empty
from ..tensor import Tensor, _rebuild_tensor
from ..tensor_base import init_from_array


class Parameter(Tensor):
    """torch.nn.Parameter(data=None, requires_grad=True)."""

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter data must be a Tensor, not {type(data).__name__}")
        init_from_array(self, data._data)  # the same array: memory is shared, as in torch
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        # Pickled as a Parameter (not a plain tensor), so a loaded module keeps its class.
        array = backend.to_device(self._data, backend.CPU)
        return (_rebuild_parameter, (array, self._requires_grad, str(self.device)))


def _rebuild_parameter(array, requires_grad: bool, device: str = "cpu") -> Parameter:
    return Parameter(_rebuild_tensor(array, False, device), requires_grad)


_pickle.allow(__name__, "_rebuild_parameter")


class Buffer(Tensor):
    """torch.nn.Buffer(data=None, *, persistent=True): assigning it to a Module attribute
    registers a buffer (persistent buffers are part of the state_dict)."""

    def __init__(self, data: Tensor | None = None, *, persistent: bool = True):
        if data is None:
            data = empty(0)
        init_from_array(self, data._data)
        self.persistent = persistent
