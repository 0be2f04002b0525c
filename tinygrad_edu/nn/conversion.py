"""Module's `to()` family: moving a module's tensors to a device or a dtype, in place.

    model.to("cuda")            model.double()            model.to(torch.float32)

`Module` (module.py) inherits these methods from `ModuleConversion`. Each is the one walk
`_apply(fn)`, which converts every parameter, gradient and buffer of the module tree with `fn`.
"""
from __future__ import annotations

from .. import backend, dtypes
from ..autograd import grad_mode
from ..tensor import Tensor


class ModuleConversion:
    """The device and dtype methods of Module (torch.nn.Module.to, .cuda, .double, ...)."""

    def _apply(self, fn) -> ModuleConversion:
        """Convert every parameter, gradient and buffer with fn. Parameters stay the same
        objects (only their data is swapped), so an optimizer built before `.to()` keeps
        working."""
        for module in self.children():
            module._apply(fn)
        with grad_mode.no_grad():
            for param in self._parameters.values():
                if param is None:
                    continue
                param.data = fn(param)
                if param._grad is not None:
                    param._grad.data = fn(param._grad)
            for name, buffer in self._buffers.items():
                if buffer is not None:
                    self._buffers[name] = fn(buffer)
        return self

    def to(self, *args, **kwargs) -> ModuleConversion:
        """to(device), to(dtype), to(device, dtype), to(tensor): in place, returns self."""
        device, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
        kwargs.pop("non_blocking", None)
        kwargs.pop("memory_format", None)
        if kwargs:
            raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
        for arg in args:
            if isinstance(arg, Tensor):
                device, dtype = arg.device, arg.dtype
            elif isinstance(arg, dtypes.dtype):
                dtype = arg
            elif not isinstance(arg, bool):  # a bool is non_blocking, given positionally
                device = arg
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError("nn.Module.to only accepts floating point or complex dtypes, but got "
                            f"desired dtype={dtype}")
        device = None if device is None else backend.as_device(device)
        return self._apply(lambda t: t.to(device=device, dtype=dtype if
                                          t.is_floating_point() else None))

    def cpu(self) -> ModuleConversion:
        return self._apply(lambda t: t.cpu())

    def cuda(self, device=None) -> ModuleConversion:
        return self._apply(lambda t: t.cuda(device))

    def float(self) -> ModuleConversion:
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self) -> ModuleConversion:
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self) -> ModuleConversion:
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)
