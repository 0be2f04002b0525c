"""save and load: tensors, state dicts and optimizer states in a file.

    torch.save(model.state_dict(), "mnist_cnn.pt")
    model.load_state_dict(torch.load("mnist_cnn.pt"))

The file is a pickle of `{"__tinygrad_edu__": 1, "object": obj}`: the tag says which format
(and version) it is; tensors inside are pickled as their NumPy array (moved to the CPU) plus
requires_grad and the device they lived on. A file is written to a temporary name and renamed
into place, so an interrupted save never leaves a half-written checkpoint behind.

Loading a pickle can run code, so `load` uses the restricted unpickler by default
(`weights_only=True`, as torch 2.6+): only arrays, numbers, strings, containers and our tensors
come back; anything else is refused by name. Pass `weights_only=False` for files you trust.
"""
from __future__ import annotations

import os
import pickle
import tempfile

from . import _pickle, backend
from .nn.parameter import Parameter
from .tensor import Tensor

FORMAT_KEY = "__tinygrad_edu__"
FORMAT_VERSION = 1
DEFAULT_PROTOCOL = 4  # protocol 5 would pickle arrays through a global the loader refuses

_CUDA_UNAVAILABLE = (
    "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
    "If you are running on a CPU-only machine, please use torch.load with "
    "map_location=torch.device('cpu') to map your storages to the CPU.")


def save(obj, f, pickle_module=pickle, pickle_protocol: int = DEFAULT_PROTOCOL) -> None:
    """Write `obj` to `f`, a path (written atomically) or a binary file object."""
    record = {FORMAT_KEY: FORMAT_VERSION, "object": obj}
    if hasattr(f, "write"):
        pickle_module.dump(record, f, protocol=pickle_protocol)
        return
    path = os.fspath(f)
    if not os.path.isdir(os.path.dirname(path) or "."):  # name the user's path, not a temporary
        raise RuntimeError(f"Parent directory {os.path.dirname(path)} does not exist.")
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pt")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle_module.dump(record, out, protocol=pickle_protocol)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def load(f, map_location=None, pickle_module=None, *, weights_only: bool = True, **kwargs):
    """Read what `save` wrote. map_location: None (where it was saved), 'cpu', a device, a dict
    {'cuda:0': 'cpu'}, or a callable(tensor, location) returning the tensor to use."""
    if hasattr(f, "read"):
        return _load(f, map_location, weights_only)
    with open(os.fspath(f), "rb") as file:
        return _load(file, map_location, weights_only)


def _load(file, map_location, weights_only: bool):
    start = file.read(2)
    file.seek(-len(start), os.SEEK_CUR)
    if start == b"PK":
        raise RuntimeError("This file was written by PyTorch's torch.save (a zip archive); "
                           "tinygrad_edu.load reads only files written by tinygrad_edu.save. "
                           "Convert it in PyTorch with torch.save({k: v.numpy() for k, v in "
                           "state_dict.items()}, path, _use_new_zipfile_serialization=False) "
                           "or load the state dict there and pass it to load_state_dict.")
    base = _pickle.RestrictedUnpickler if weights_only else pickle.Unpickler
    rebuilders = {("tinygrad_edu.tensor", "_rebuild_tensor"): _rebuild(map_location, False),
                  ("tinygrad_edu.nn.parameter", "_rebuild_parameter"):
                      _rebuild(map_location, True)}

    class Unpickler(base):
        def find_class(self, module: str, name: str):
            if (module, name) in rebuilders:
                return rebuilders[module, name]
            return super().find_class(module, name)

    record = Unpickler(file).load()
    if not (isinstance(record, dict) and record.get(FORMAT_KEY) == FORMAT_VERSION):
        raise RuntimeError("Invalid file: not written by tinygrad_edu.save (its format tag "
                           f"'{FORMAT_KEY}' is missing or of an unknown version)")
    return record["object"]


def _rebuild(map_location, as_parameter: bool):
    """The function that turns a pickled (array, requires_grad, device) into a tensor."""
    def rebuild(array, requires_grad: bool, location: str = "cpu"):
        tensor = Tensor._make(array)
        mapped = None
        if callable(map_location):
            mapped = map_location(tensor, location)
        if mapped is None:
            target = location
            if isinstance(map_location, dict):
                target = map_location.get(location, location)
            elif isinstance(map_location, (str, backend.Device)):
                target = map_location
            device = backend.Device(target) if isinstance(target, str) else target
            if device.type == "cuda" and not backend.cuda_available():
                raise RuntimeError(_CUDA_UNAVAILABLE)
            mapped = tensor.to(device)
        if as_parameter:
            return Parameter(mapped, requires_grad)
        mapped._requires_grad = requires_grad
        return mapped
    return rebuild
