"""nn.DataParallel: the blitz's wrapper for training one model on the batch split across GPUs.

    model = nn.DataParallel(model)        # what the tutorial does when it sees a GPU
    model.to(device)
    output = model(input)                 # state_dict() keys now start with "module."

Here it spreads work over *one* GPU at most. Without a GPU it is a transparent wrapper (torch's
behaviour too): `module` holds the model and forward calls it. With one GPU (or `device_ids`
naming one), it moves the model to that GPU, moves the tensors of each call there, and calls
the model, as torch does. Splitting the batch over several GPUs needs every op to run on its
tensors' GPU (a device guard around each kernel, forward and backward), which this engine does
not have: asked for more than one GPU, DataParallel says so (NotImplementedError) and how to use
one instead.
"""
from __future__ import annotations

from .. import backend, cuda
from ..tensor import Tensor
from .module import Module


def _to(value, device):
    """Tensors in (nested) tuples, lists and dicts moved to `device`; everything else kept."""
    if isinstance(value, Tensor):
        return value.to(device)
    if isinstance(value, (tuple, list)):
        return type(value)(_to(v, device) for v in value)
    if isinstance(value, dict):
        return {key: _to(v, device) for key, v in value.items()}
    return value


class DataParallel(Module):
    """Implements data parallelism at the module level (torch.nn.DataParallel), on one GPU."""

    def __init__(self, module: Module, device_ids=None, output_device=None, dim: int = 0):
        super().__init__()
        self.module = module
        self.dim = dim
        if not cuda.is_available():
            self.device_ids = []
            return
        if device_ids is None:
            device_ids = list(range(cuda.device_count()))
        self.device_ids = [_index(d) for d in device_ids]
        if len(self.device_ids) > 1:
            raise NotImplementedError(
                f"DataParallel over {len(self.device_ids)} GPUs (device_ids="
                f"{self.device_ids}) is not implemented in tinygrad_edu: its ops run on one GPU "
                "each, without torch's per-kernel device guard. Pass device_ids=[0] to train on "
                "one GPU.")
        self.output_device = _index(self.device_ids[0] if output_device is None
                                    else output_device)
        self.src_device_obj = backend.Device("cuda", self.device_ids[0])
        self.module.to(self.src_device_obj)

    def forward(self, *inputs, **kwargs):
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        for tensor in (*self.module.parameters(), *self.module.buffers()):
            if tensor.device != self.src_device_obj:
                raise RuntimeError(f"module must have its parameters and buffers on device "
                                   f"{self.src_device_obj} (device_ids[0]) but found one of "
                                   f"them on device: {tensor.device}")
        output = self.module(*_to(inputs, self.src_device_obj), **_to(kwargs,
                                                                       self.src_device_obj))
        if self.output_device != self.device_ids[0]:
            output = _to(output, backend.Device("cuda", self.output_device))
        return output


def _index(device) -> int:
    if isinstance(device, int) and not isinstance(device, bool):
        return device
    return backend.as_device(device).index
