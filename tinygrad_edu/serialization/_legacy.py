"""The two formats that are not a zip archive: PyTorch's before 1.6, and ours before this one.

PyTorch's legacy format (torch.save(..., _use_new_zipfile_serialization=False)) is a row of
pickles in one stream: a magic number, the protocol version 1001, a dict about the machine, the
object (storages as persistent ids ("storage", FloatStorage, key, location, numel, view)),
the list of storage keys, and then each storage raw: its element count as an int64 and its
bytes. The storages come after the object that uses them, so the object is read twice: first by
a scanning unpickler that calls nothing and only notes each storage's element type, then, once
the storages are read, for real.

An older tinygrad_edu.save wrote one pickle {"__tinygrad_edu__": 1, "object": obj}, tensors as
(NumPy array, requires_grad, device); such files are still read.
"""
from __future__ import annotations

import pickle
import struct

from .. import _pickle
from ..nn.parameter import Parameter
from ..tensor import Tensor
from ._storage import ITEMSIZE, STORAGE_TYPES, LoadedStorage, make_storage, restore_location
from ._unpickler import StorageType, refused, unpickler

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001
OLD_FORMAT_KEY = "__tinygrad_edu__"


def is_old_format(head: bytes) -> bool:
    return OLD_FORMAT_KEY.encode() in head[:64]


# ----------------------------------------------------------------------------- PyTorch < 1.6

class _Anything:
    """What every global is while scanning: accepts any construction and any state."""

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        pass

    def __setitem__(self, key, value):
        pass

    def append(self, value):
        pass

    def extend(self, values):
        pass


class _ScanUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module == "torch" and name in STORAGE_TYPES:
            return StorageType(name)
        return _Anything


def load_legacy(file, map_location, weights_only: bool, encoding: str):
    """The object of a PyTorch file in the pre-1.6 format, from the start of `file`."""
    def header():
        return unpickler(file, True, _refuse_persistent, encoding).load()

    try:
        magic = header()
    except Exception:  # noqa: BLE001 - whatever the bytes are, they are not our magic number
        magic = None
    if magic != MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file? The file is neither a PyTorch "
                           "checkpoint (zip or legacy format) nor one of an older "
                           "tinygrad_edu.save")
    version = header()
    if version != PROTOCOL_VERSION:
        raise RuntimeError(f"Invalid protocol version: {version}")
    sys_info = header()
    little = not isinstance(sys_info, dict) or sys_info.get("little_endian", True)
    start = file.tell()

    element_types = {}

    def note(saved_id):
        if isinstance(saved_id, tuple) and saved_id[0] == "storage":
            storage_type, key = saved_id[1], saved_id[2]
            if isinstance(storage_type, StorageType):
                element_types[key] = (storage_type.dtype_name, _text(saved_id[3]))
        return None

    scanner = _ScanUnpickler(file, encoding=encoding)
    scanner.persistent_load = note
    scanner.load()
    keys = header()
    storages = {}
    for key in keys:
        dtype_name, location = element_types[key]
        (numel,) = struct.unpack("<q" if little else ">q", _read(file, 8, key))
        data = bytearray(_read(file, numel * ITEMSIZE[dtype_name], key))
        storages[key] = make_storage(data, dtype_name, location, map_location,
                                     "little" if little else "big")

    def persistent_load(saved_id):
        kind = _text(saved_id[0]) if isinstance(saved_id, tuple) else None
        if kind == "module" and not weights_only:
            return saved_id[1]
        if kind != "storage":
            raise pickle.UnpicklingError(f"Unknown saved id type: {saved_id!r}")
        storage = storages[saved_id[2]]
        view = saved_id[5]
        if view is None:
            return storage
        _, offset, size = view
        return LoadedStorage(storage.array[offset:offset + size], storage.dtype_name)

    file.seek(start)
    return unpickler(file, weights_only, persistent_load, encoding).load()


def _refuse_persistent(saved_id):
    raise pickle.UnpicklingError("a storage where none can be")


def _read(file, count: int, key: str) -> bytes:
    data = file.read(count)
    if len(data) != count:
        raise RuntimeError(f"the file ends inside storage {key}: {count} bytes expected, "
                           f"{len(data)} found; the checkpoint is truncated")
    return data


def _text(value) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else value


# ----------------------------------------------------------------------------- our old format

def load_old_format(file, map_location, weights_only: bool):
    """The object of a file written by an older tinygrad_edu.save."""
    rebuilders = {("tinygrad_edu.tensor", "_rebuild_tensor"): _old_rebuild(map_location, False),
                  ("tinygrad_edu.nn.parameter", "_rebuild_parameter"):
                      _old_rebuild(map_location, True)}

    class Unpickler(_pickle.RestrictedUnpickler if weights_only else pickle.Unpickler):
        def find_class(self, module: str, name: str):
            if (module, name) in rebuilders:
                return rebuilders[module, name]
            try:
                return super().find_class(module, name)
            except pickle.UnpicklingError:
                raise refused(f"{module}.{name}") from None

    record = Unpickler(file).load()
    if not (isinstance(record, dict) and record.get(OLD_FORMAT_KEY) == 1):
        raise RuntimeError(f"Invalid file: its format tag '{OLD_FORMAT_KEY}' is of an unknown "
                           "version")
    return record["object"]


def _old_rebuild(map_location, as_parameter: bool):
    def rebuild(array, requires_grad: bool, location: str = "cpu"):
        tensor = Tensor._make(restore_location(array, location, map_location))
        if as_parameter:
            return Parameter(tensor, requires_grad)
        tensor._requires_grad = requires_grad
        return tensor
    return rebuild
