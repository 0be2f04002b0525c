"""Reading PyTorch's zip format: the pickle first, each storage's record when a tensor needs it."""
from __future__ import annotations

import io
import pickle

from .. import arrays
from ._storage import ITEMSIZE, make_storage
from ._unpickler import StorageType, unpickler
from ._zip import ZipReader


def load_zip(file, path, map_location, weights_only: bool, mmap: bool, encoding: str):
    """The object in the archive `file`; with mmap, records are mapped from `path` in place."""
    archive = ZipReader(file)
    if archive.has_record("constants.pkl"):
        raise RuntimeError("This file is a TorchScript archive (torch.jit.save): it holds a "
                           "program, not a checkpoint; use torch.jit.load in PyTorch")
    byteorder = "little"
    if archive.has_record("byteorder"):
        byteorder = archive.read("byteorder").decode("ascii", "replace")
        if byteorder not in ("little", "big"):
            raise ValueError("Unknown endianness type: " + byteorder)
    loaded = {}

    def persistent_load(saved_id):
        if not (isinstance(saved_id, tuple) and len(saved_id) == 5
                and _text(saved_id[0]) == "storage" and isinstance(saved_id[1], StorageType)):
            raise pickle.UnpicklingError(f"Unknown saved id: {saved_id!r} (expected a storage)")
        _, storage_type, key, location, numel = saved_id
        key = _text(key)
        if key not in loaded:
            loaded[key] = _read_storage(archive, path if mmap else None, key,
                                        storage_type.dtype_name, numel, _text(location),
                                        map_location, byteorder)
        return loaded[key]

    data = io.BytesIO(archive.read("data.pkl"))
    return unpickler(data, weights_only, persistent_load, encoding).load()


def _read_storage(archive, path, key: str, dtype_name: str, numel: int, location: str,
                  map_location, byteorder: str):
    name = f"data/{key}"
    info = archive.info(name)
    nbytes = numel * ITEMSIZE[dtype_name]
    if info.file_size != nbytes:
        raise RuntimeError(
            f"record size ({info.file_size} bytes) does not match expected size ({nbytes} "
            f"bytes = {numel} elements * {ITEMSIZE[dtype_name]} bytes/element) for dtype "
            f"{dtype_name} (record {name}); the checkpoint is corrupted")
    if path is not None:
        data = arrays.memory_map(path, archive.data_offset(name), nbytes)
    else:
        data = archive.read(name, bytearray(nbytes))
    return make_storage(data, dtype_name, location, map_location, byteorder)


def _text(value) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else value
