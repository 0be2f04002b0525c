"""The unpicklers of load: torch's names mapped onto ours, and the weights-only allow-list.

A pickle names the functions that rebuild its objects ("globals"); unpickling calls them, so a
file from outside is a program. With weights_only=True (the default, as in torch >= 2.6) only
these globals are admitted: torch's tensor and parameter rebuild functions, its storage classes,
dtypes, torch.device and torch.Size, OrderedDict and a few builtins, NumPy arrays and dtypes
(as _pickle.py admits them), plus what the user allows with `add_safe_globals` / `safe_globals`
(for files they trust). Anything else is refused with the global's name. torch's names are
answered by our own functions: torch is never imported.
"""
from __future__ import annotations

import _compat_pickle
import codecs
import pickle
from collections import Counter, OrderedDict

from .. import _pickle, backend, dtypes
from ..nn.parameter import Parameter
from ..tensor import Size, Tensor
from ._storage import STORAGE_TYPES, LoadedStorage, tensor_from


class StorageType:
    """torch.FloatStorage and friends, as named in a file: only their element type matters."""

    __slots__ = ("name", "dtype_name")

    def __init__(self, name: str):
        self.name = name
        self.dtype_name = STORAGE_TYPES[name]


class MissingDtype:
    """A torch dtype tinygrad_edu lacks (complex64, uint16, ...): an error once it is used."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


# ----------------------------------------------------------------------------- torch's rebuilders

def _rebuild_tensor(storage, storage_offset, size, stride):
    if not isinstance(storage, LoadedStorage):
        raise pickle.UnpicklingError("a tensor must be rebuilt from a storage of the file")
    return tensor_from(storage, storage_offset, size, stride)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    tensor = _rebuild_tensor(storage, storage_offset, size, stride)
    tensor._requires_grad = bool(requires_grad)
    return tensor


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       dtype, metadata=None):
    """A tensor of a dtype without a storage class of its own (uint16, ...), over raw bytes."""
    if not isinstance(dtype, dtypes.dtype):
        raise TypeError(f"tinygrad_edu.load: the checkpoint holds a tensor of dtype {dtype!r}, "
                        "which tinygrad_edu does not have")
    if not isinstance(storage, LoadedStorage):
        raise pickle.UnpicklingError("a tensor must be rebuilt from a storage of the file")
    typed = LoadedStorage(storage.array.view(dtype.numpy), dtype.name)
    tensor = tensor_from(typed, storage_offset, size, stride)
    tensor._requires_grad = bool(requires_grad)
    return tensor


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return Parameter(data, bool(requires_grad))


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return Parameter(data, bool(requires_grad))  # extra Python attributes are not restored


def _rebuild_from_type_v2(func, new_type, args, state):
    """A tensor of a subclass: only Tensor and Parameter exist here."""
    tensor = func(*args)
    if new_type is Parameter and type(tensor) is not Parameter:
        return Parameter(tensor, tensor.requires_grad)
    if new_type not in (Tensor, Parameter):
        raise pickle.UnpicklingError(f"cannot rebuild a tensor of type {new_type}")
    return tensor


def _device(spec, index=None):
    return backend.Device(spec) if index is None else backend.Device(spec, index)


_TORCH = {
    "torch._utils._rebuild_tensor": _rebuild_tensor,
    "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
    "torch._utils._rebuild_tensor_v3": _rebuild_tensor_v3,
    "torch._utils._rebuild_parameter": _rebuild_parameter,
    "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
    "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
    "torch.Tensor": Tensor, "torch._tensor.Tensor": Tensor,
    "torch.nn.parameter.Parameter": Parameter,
    "torch.device": _device, "torch.Size": Size,
}
_TORCH.update({f"torch.{name}": StorageType(name) for name in STORAGE_TYPES})
_TORCH["torch.storage.UntypedStorage"] = _TORCH["torch.UntypedStorage"]
_TORCH.update({f"torch.{d.name}": d for d in dtypes.ALL})
_TORCH["torch.bfloat16"] = dtypes.float32  # widened, as its tensors are
_TORCH.update({f"torch.{name}": MissingDtype(name) for name in (
    "complex64", "complex128", "uint16", "uint32", "uint64")})

_BUILTINS = {
    "collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
    "builtins.set": set, "builtins.frozenset": frozenset, "builtins.bytearray": bytearray,
    "builtins.complex": complex, "builtins.slice": slice, "_codecs.encode": codecs.encode,
}


# ----------------------------------------------------------------------------- safe globals

_safe_globals: dict[str, object] = {}


def _global_name(entry) -> tuple[str, object]:
    if isinstance(entry, tuple):
        obj, name = entry
        return name, obj
    return f"{entry.__module__}.{entry.__qualname__}", entry


def add_safe_globals(safe_globals: list) -> None:
    """Admit these globals (classes or functions, or (object, "module.name") pairs) in
    weights-only loads. Only for files you trust: each one admitted runs on loading."""
    for entry in safe_globals:
        name, obj = _global_name(entry)
        _safe_globals[name] = obj


def get_safe_globals() -> list:
    return list(_safe_globals.values())


def clear_safe_globals() -> None:
    _safe_globals.clear()


class safe_globals:
    """with safe_globals([MyClass]): torch.load(...) -- add_safe_globals for one block only."""

    def __init__(self, safe_globals: list):
        self.names = dict(_global_name(entry) for entry in safe_globals)

    def __enter__(self):
        self.before = dict(_safe_globals)
        _safe_globals.update(self.names)

    def __exit__(self, *exc):
        _safe_globals.clear()
        _safe_globals.update(self.before)


# ----------------------------------------------------------------------------- the unpicklers

def refused(full_name: str) -> pickle.UnpicklingError:
    short = full_name.rsplit(".", 1)[-1]
    return pickle.UnpicklingError(
        f"Weights only load failed. Unsupported global: GLOBAL {full_name} was not an allowed "
        f"global by default. Please use `tinygrad_edu.serialization.add_safe_globals([{short}])` "
        f"or the `tinygrad_edu.serialization.safe_globals([{short}])` context manager to "
        "allowlist this global if you trust this class/function. Re-running tinygrad_edu.load "
        "with weights_only=False will likely succeed, but it can result in arbitrary code "
        "execution. Do it only if you got the file from a trusted source.")


def _python3_name(module: str, name: str) -> str:
    """Python 2's names, as protocol-2 pickles (torch.save's) write them: __builtin__.set."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        module, name = _compat_pickle.NAME_MAPPING[module, name]
    module = _compat_pickle.IMPORT_MAPPING.get(module, module)
    return f"{module}.{name}"


class WeightsUnpickler(pickle.Unpickler):
    """Admits only the allow-list (weights_only=True)."""

    def find_class(self, module: str, name: str):
        full_name = _python3_name(module, name)
        for table in (_TORCH, _BUILTINS, _safe_globals):
            if full_name in table:
                return table[full_name]
        if _pickle.admits(module, name):  # NumPy arrays and dtypes, our older records
            return super().find_class(module, name)
        raise refused(full_name)


class FullUnpickler(pickle.Unpickler):
    """Rebuilds anything the file names (weights_only=False), torch's tensors as ours. Other
    torch globals (a whole torch.nn module, say) cannot be rebuilt without torch."""

    def find_class(self, module: str, name: str):
        full_name = _python3_name(module, name)
        if full_name in _TORCH:
            return _TORCH[full_name]
        if module == "torch" or module.startswith("torch."):
            raise pickle.UnpicklingError(
                f"the file needs {full_name}, which tinygrad_edu cannot rebuild (it does not "
                "import torch); in PyTorch, save the model's state_dict() instead of the model")
        return super().find_class(module, name)


def unpickler(file, weights_only: bool, persistent_load, encoding: str = "utf-8"):
    """The unpickler for `file`, resolving storages through `persistent_load(saved_id)`."""
    base = WeightsUnpickler if weights_only else FullUnpickler
    loader = base(file, encoding=encoding)
    loader.persistent_load = persistent_load
    return loader
