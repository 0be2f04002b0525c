"""Storages: the blocks of memory a checkpoint holds, and tensors as views of them.

A torch tensor is (storage, storage offset, size, stride). Saving finds the NumPy array that owns
each tensor's memory, writes that block once, and describes the tensor by its offset and strides
in elements; loading reads each block once and builds every tensor as a strided view of it, so
tensors that shared memory when saved share it again.
"""
from __future__ import annotations

import warnings

from .. import arrays, backend, dtypes
from ..tensor import Tensor

# torch's storage classes (as pickled by torch.save) and the element type of each
STORAGE_TYPES = {
    "DoubleStorage": "float64", "FloatStorage": "float32", "HalfStorage": "float16",
    "LongStorage": "int64", "IntStorage": "int32", "ShortStorage": "int16",
    "CharStorage": "int8", "ByteStorage": "uint8", "BoolStorage": "bool",
    "BFloat16Storage": "bfloat16", "ComplexDoubleStorage": "complex128",
    "ComplexFloatStorage": "complex64", "UntypedStorage": "uint8",
}
STORAGE_TYPE_OF = {dtype: name for name, dtype in STORAGE_TYPES.items() if name != "UntypedStorage"}
# torch's dtypes that NumPy stores as they are; bfloat16 is widened to float32 on loading
NUMPY_DTYPES = ("float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8",
                "bool", "complex128", "complex64", "uint16", "uint32", "uint64")
ITEMSIZE = {name: backend.numpy_dtype(name).itemsize for name in NUMPY_DTYPES}
ITEMSIZE["bfloat16"] = 2

_CUDA_UNAVAILABLE = (
    "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
    "If you are running on a CPU-only machine, please use torch.load with "
    "map_location=torch.device('cpu') to map your storages to the CPU.")


# ----------------------------------------------------------------------------- saving

class StorageTable:
    """The storages met while pickling, each under a key "0", "1", ... in order of first use."""

    def __init__(self):
        self.keys = {}      # id(root array) -> key
        self.records = {}   # key -> (root array, element type name)
        self.kept = []      # roots of copies, alive until they are written

    def describe(self, tensor: Tensor):
        """(key, element type, numel, location, offset, strides) of `tensor` in its storage."""
        location = "cpu" if tensor.device.type == "cpu" else f"cuda:{tensor.device.index or 0}"
        array = backend.to_device(tensor._data, backend.CPU)
        found = arrays.storage_of(array)
        if found is None:
            root = arrays.ascontiguousarray(array).reshape(-1)
            self.kept.append(root)
            found = root, 0, _contiguous_strides(array.shape)
        root, offset, strides = found
        name = tensor.dtype.name
        key = self.keys.setdefault((id(root), name), str(len(self.keys)))
        self.records[key] = (root, name)
        return key, name, root.nbytes // ITEMSIZE[name], location, offset, strides

    def write(self, writer) -> None:
        for key, (root, _) in self.records.items():
            writer.write_record(f"data/{key}", arrays.raw_bytes(root))


def _contiguous_strides(shape: tuple) -> tuple:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


# ----------------------------------------------------------------------------- loading

class LoadedStorage:
    """One storage read from a file: a 1-d array on its device, and torch's element type."""

    __slots__ = ("array", "dtype_name")

    def __init__(self, array, dtype_name: str):
        self.array = array
        self.dtype_name = dtype_name

    def __len__(self) -> int:
        return self.array.shape[0]


def make_storage(data, dtype_name: str, location: str, map_location,
                 byteorder: str = "little") -> LoadedStorage:
    """A storage from the raw bytes `data` of a record, mapped to its device."""
    if dtype_name not in ITEMSIZE:
        raise TypeError(f"tinygrad_edu.load: storages of dtype torch.{dtype_name} cannot be "
                        "read (they have no NumPy type)")
    if dtype_name == "bfloat16":
        warnings.warn("tinygrad_edu has no bfloat16: the checkpoint's bfloat16 tensors are "
                      "loaded as float32 (every value exactly)", UserWarning, stacklevel=4)
        array = arrays.bfloat16_to_float32(arrays.storage_array(data, "uint16", byteorder))
    else:
        array = arrays.storage_array(data, dtype_name, byteorder)
    return LoadedStorage(restore_location(array, location, map_location), dtype_name)


def restore_location(array, location: str, map_location):
    """torch's map_location: None (where it was saved), a device or its name, a dict from saved
    location to target, or a callable(storage, location) returning the storage to use (or None
    for the default). Here a storage is passed as a 1-d tensor of its elements."""
    if callable(map_location):
        moved = map_location(Tensor._make(array), location)
        if moved is not None:
            return moved._data if isinstance(moved, Tensor) else moved.array
    elif isinstance(map_location, dict):
        location = map_location.get(location, location)
    elif map_location is not None:
        location = map_location
    device = backend.Device(location) if isinstance(location, str) else location
    if device.type == "cuda" and not backend.cuda_available():
        raise RuntimeError(_CUDA_UNAVAILABLE)
    return backend.to_device(array, device)


def check_bounds(storage: LoadedStorage, offset: int, size: tuple, stride: tuple) -> None:
    """torch's check that a view stays inside its storage (a file must not reach other memory)."""
    if len(size) != len(stride) or any(not isinstance(v, int) or v < 0
                                       for v in (offset, *size, *stride)):
        raise RuntimeError(f"invalid tensor description: size {list(size)}, stride "
                           f"{list(stride)}, storage offset {offset}")
    needed = 0 if 0 in size else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    if needed > len(storage):
        raise RuntimeError(
            f"Trying to resize storage that is not resizable: a tensor of size {list(size)}, "
            f"stride {list(stride)} and storage offset {offset} needs {needed} elements, but "
            f"its storage holds {len(storage)}; the checkpoint is corrupted")


def tensor_from(storage: LoadedStorage, offset: int, size, stride) -> Tensor:
    """The tensor viewing `storage` at `offset` with `size` and `stride` (in elements)."""
    size, stride = tuple(size), tuple(stride)
    check_bounds(storage, offset, size, stride)
    name = "float32" if storage.dtype_name == "bfloat16" else storage.dtype_name
    if name not in {d.name for d in dtypes.ALL}:
        raise TypeError(f"tinygrad_edu.load: the checkpoint holds a tensor of dtype "
                        f"torch.{name}, which tinygrad_edu does not have (it has "
                        f"{', '.join(d.name for d in dtypes.ALL)})")
    return Tensor._make(arrays.strided(storage.array, offset, size, stride))
