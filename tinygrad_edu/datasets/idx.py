"""LeCun's IDX format, the file format of MNIST and Fashion-MNIST.

An IDX file is a header and then raw numbers, big-endian:

    bytes 0-1   0x00 0x00
    byte  2     the type of the numbers: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
                0x0D float32, 0x0E float64
    byte  3     the number of dimensions, d
    then        d sizes, each a big-endian int32
    then        prod(sizes) numbers, row-major

so MNIST images start 00 00 08 03 (the "magic number" 2051) and labels 00 00 08 01 (2049).
Every check below names the file, so that a bad download is easy to find and delete.
"""
from __future__ import annotations

import gzip
import math
import os
import struct
import zlib

from .. import arrays, backend, dtypes

_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_TYPE_NAMES = {0x08: "unsigned bytes", 0x09: "signed bytes", 0x0B: "int16", 0x0C: "int32",
               0x0D: "float32", 0x0E: "float64"}
IMAGES_MAGIC = 2051  # uint8, 3 dimensions
LABELS_MAGIC = 2049  # uint8, 1 dimension


class IDXError(ValueError):
    """A file that is not a well-formed IDX file (or not the one expected)."""


def read_bytes(path: str | os.PathLike) -> bytes:
    """The file's bytes, gunzipped when the file is gzip-compressed (by content, not by name)."""
    path = os.fspath(path)
    with open(path, "rb") as file:
        raw = file.read()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except EOFError:
        raise IDXError(f"{path}: the gzip stream is truncated (the file is incomplete; "
                       "delete it and download it again)") from None
    except (gzip.BadGzipFile, zlib.error) as error:
        raise IDXError(f"{path}: the gzip stream is corrupt ({error}); delete the file and "
                       "download it again") from None


def parse_idx(raw: bytes, path: str = "<bytes>"):
    """An IDX file's contents as a NumPy array in native byte order."""
    if len(raw) < 4:
        raise IDXError(f"{path}: too short for an IDX header ({len(raw)} bytes)")
    zero, type_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or type_code not in _TYPES:
        magic = struct.unpack(">I", raw[:4])[0]
        raise IDXError(f"{path}: not an IDX file (magic number {magic:#010x}; IDX files start "
                       "with two zero bytes, a type code 0x08-0x0E and a dimension count)")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IDXError(f"{path}: the header promises {ndim} dimensions but the file ends after "
                       f"{len(raw)} bytes")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    dtype = backend.numpy_dtype(_TYPES[type_code])
    expected = math.prod(shape) * dtype.itemsize
    if len(raw) - header != expected:
        problem = "is truncated" if len(raw) - header < expected else "has trailing bytes"
        raise IDXError(f"{path}: the data {problem}: the header says {shape} "
                       f"{_TYPE_NAMES[type_code]} ({expected} bytes) but {len(raw) - header} "
                       "bytes follow it")
    array = arrays.frombuffer(raw, dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))  # a writable copy in native order


def read_idx(path: str | os.PathLike):
    """Read an IDX file (plain or gzip-compressed) into a NumPy array."""
    return parse_idx(read_bytes(path), os.fspath(path))


def _describe(array) -> str:
    """'1 dimension of uint8 (magic number 2049)': what the header of the file `array` came from
    said (the magic number is the type code times 256 plus the number of dimensions)."""
    code = next(code for code, name in _TYPES.items()
                if backend.numpy_dtype(name).newbyteorder("=") == array.dtype)
    dimensions = f"{array.ndim} dimension{'' if array.ndim == 1 else 's'}"
    return f"{dimensions} of {array.dtype} (magic number {code << 8 | array.ndim})"


def read_image_file(path: str | os.PathLike):
    """An IDX image file: uint8 of shape (N, rows, cols)."""
    array = read_idx(path)
    if array.dtype != dtypes.uint8.numpy or array.ndim != 3:
        raise IDXError(f"{os.fspath(path)}: expected IDX images (magic number {IMAGES_MAGIC}: "
                       f"3 dimensions of uint8) but found {_describe(array)}")
    return array


def read_label_file(path: str | os.PathLike):
    """An IDX label file: uint8 of shape (N,), returned as int64 (torchvision's targets)."""
    array = read_idx(path)
    if array.dtype != dtypes.uint8.numpy or array.ndim != 1:
        raise IDXError(f"{os.fspath(path)}: expected IDX labels (magic number {LABELS_MAGIC}: "
                       f"1 dimension of uint8) but found {_describe(array)}")
    return array.astype(dtypes.int64.numpy)


def write_idx(path: str | os.PathLike, array, compress: bool | None = None) -> None:
    """Write `array` as an IDX file (gzip-compressed when the name ends in .gz); for tests and
    for building small datasets."""
    path = os.fspath(path)
    codes = {backend.numpy_dtype(code).newbyteorder("="): number
             for number, code in _TYPES.items()}
    array = arrays.ascontiguousarray(array)
    native = array.dtype.newbyteorder("=")
    if native not in codes:
        raise IDXError(f"{path}: IDX cannot store {array.dtype}")
    header = struct.pack(f">HBB{array.ndim}I", 0, codes[native], array.ndim, *array.shape)
    raw = header + array.astype(native.newbyteorder(">")).tobytes()
    if compress if compress is not None else path.endswith(".gz"):
        raw = gzip.compress(raw, compresslevel=9, mtime=0)
    with open(path, "wb") as file:
        file.write(raw)
