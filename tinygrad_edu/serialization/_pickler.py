"""The pickler that writes our objects under torch's names, so that torch.load rebuilds them.

    Tensor     -> torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
                                                  OrderedDict())
    Parameter  -> torch._utils._rebuild_parameter(<the tensor>, requires_grad, OrderedDict())
    dtype      -> torch.float32 (the global itself), Device -> torch.device("cpu"),
    Size       -> torch.Size((2, 3))
    a storage  -> the persistent id ("storage", torch.FloatStorage, "0", "cpu", numel)

torch is never imported: a `TorchGlobal` stands for a global by its module and name, and the
pickler writes the GLOBAL opcode for it directly. Python's own pickler would first import the
module to check the name, so this is a subclass of its pure-Python implementation
(`pickle._Pickler`), whose `save_global` can be overridden (the C one's cannot).
"""
from __future__ import annotations

import pickle
from collections import OrderedDict

from .. import backend, dtypes
from ..nn.parameter import Parameter
from ..tensor import Size, Tensor
from ._storage import STORAGE_TYPE_OF, StorageTable


class TorchGlobal:
    """A stand-in for the global `module.name` of torch, pickled as that name."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str):
        self.module = module
        self.name = name

    def __reduce__(self):
        return self.name  # a string: "pickle me as a global" (see save_global below)

    def __call__(self, *args):
        # pickle requires the function of a (function, arguments) pair to be callable
        raise TypeError(f"{self.module}.{self.name} is a name to write into a file, not a call")


class StorageRef:
    """A tensor's storage while pickling: becomes the persistent id torch.load resolves."""

    __slots__ = ("key", "dtype_name", "numel", "location")

    def __init__(self, key: str, dtype_name: str, numel: int, location: str):
        self.key, self.dtype_name, self.numel, self.location = key, dtype_name, numel, location


_GLOBALS: dict[tuple, TorchGlobal] = {}


def torch_global(module: str, name: str) -> TorchGlobal:
    """One stand-in per name, so the pickler's memo writes each global once."""
    return _GLOBALS.setdefault((module, name), TorchGlobal(module, name))


class TorchPickler(pickle._Pickler):
    """Pickles `obj` with torch's names for tensors, parameters, dtypes, devices and sizes."""

    def __init__(self, file, protocol: int, storages: StorageTable):
        super().__init__(file, protocol=protocol)
        self.storages = storages
        self.refs = {}  # key -> StorageRef, one per storage (memoized as one object)

    def persistent_id(self, obj):
        if type(obj) is StorageRef:
            return ("storage", torch_global("torch", STORAGE_TYPE_OF[obj.dtype_name]), obj.key,
                    obj.location, obj.numel)
        return None

    def save(self, obj, save_persistent_id=True):
        if isinstance(obj, dtypes.dtype):
            obj = torch_global("torch", obj.name)
        super().save(obj, save_persistent_id)

    def save_global(self, obj, name=None):
        if type(obj) is not TorchGlobal:
            return super().save_global(obj, name)
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode())
        self.memoize(obj)

    def reducer_override(self, obj):
        if isinstance(obj, Parameter):
            plain = _PlainTensor(self._tensor_args(obj, False))
            return (torch_global("torch._utils", "_rebuild_parameter"),
                    (plain, obj.requires_grad, OrderedDict()))
        if isinstance(obj, Tensor):
            return (torch_global("torch._utils", "_rebuild_tensor_v2"),
                    self._tensor_args(obj, obj.requires_grad))
        if isinstance(obj, backend.Device):
            return (torch_global("torch", "device"), (str(obj),))
        if type(obj) is Size:
            return (torch_global("torch", "Size"), (tuple(obj),))
        return NotImplemented

    def _tensor_args(self, tensor: Tensor, requires_grad: bool) -> tuple:
        """_rebuild_tensor_v2's arguments: (storage, offset, size, stride, requires_grad,
        backward hooks)."""
        key, name, numel, location, offset, strides = self.storages.describe(tensor)
        ref = self.refs.get(key)
        if ref is None:
            ref = self.refs[key] = StorageRef(key, name, numel, location)
        return (ref, offset, tuple(tensor.shape), strides, requires_grad, OrderedDict())


class _PlainTensor:
    """A Parameter's data, a tensor that does not require grad, inside its arguments."""

    __slots__ = ("args",)

    def __init__(self, args: tuple):
        self.args = args

    def __reduce__(self):
        return (torch_global("torch._utils", "_rebuild_tensor_v2"), self.args)
