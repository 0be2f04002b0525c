"""save and load, in PyTorch's own file format: checkpoints move both ways between the libraries.

    torch.save(model.state_dict(), "mnist_cnn.pt")          # tinygrad_edu as torch
    model.load_state_dict(torch.load("mnist_cnn.pt"))

    real_torch_model.load_state_dict(real_torch.load("mnist_cnn.pt"))   # in PyTorch itself

The file is the zip archive torch.save writes (torch >= 1.6): `data.pkl`, the object pickled with
torch's names (tensors rebuilt by torch._utils._rebuild_tensor_v2, parameters by
_rebuild_parameter, storages as persistent ids), and one raw record per storage (_zip.py,
_pickler.py, _storage.py). Tensors that view one block of memory are saved with it once and come
back as views of one block, in either library. A file is written to a temporary name and renamed
into place, so an interrupted save never leaves a half-written checkpoint behind.

load reads that format, PyTorch's legacy one (before 1.6) and the one older versions of this
package wrote. Loading a pickle can run code, so by default (weights_only=True, as in torch 2.6+)
only tensors, storages, containers, numbers, strings and a few of torch's names are admitted
(_unpickler.py); anything else is refused by name. `add_safe_globals` / `safe_globals` admit more
-- for files you trust only, as is weights_only=False.

Element types: those of tinygrad_edu load as they are; bfloat16 has no NumPy type and is loaded
as float32 (exactly, with a warning); complex and uint16/32/64 tensors get a clear error.
"""
from __future__ import annotations

import io
import os
import pickle
import tempfile

from ._legacy import is_old_format, load_legacy, load_old_format
from ._pickler import TorchPickler
from ._reader import load_zip
from ._safetensors import load_file, save_file
from ._storage import StorageTable
from ._unpickler import add_safe_globals, clear_safe_globals, get_safe_globals, safe_globals
from ._zip import ZipWriter

DEFAULT_PROTOCOL = 2  # torch.save's

__all__ = ["save", "load", "add_safe_globals", "clear_safe_globals", "get_safe_globals",
           "safe_globals", "save_file", "load_file"]


def save(obj, f, pickle_module=pickle, pickle_protocol: int = DEFAULT_PROTOCOL) -> None:
    """Write `obj` to `f` (a path, written atomically, or a binary file object) in PyTorch's
    zip format. pickle_module is accepted for torch's signature; the pickler is always ours."""
    if hasattr(f, "write"):
        _write(obj, f, "archive", pickle_protocol)
        return
    path = os.fspath(f)
    if not os.path.isdir(os.path.dirname(path) or "."):  # the folder as the user named it
        raise RuntimeError(f"Parent directory {os.path.dirname(path)} does not exist.")
    folder = os.path.dirname(os.path.abspath(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    archive = stem if stem.isascii() and stem else "archive"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pt")
    try:
        with os.fdopen(handle, "wb") as out:
            _write(obj, out, archive, pickle_protocol)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _write(obj, file, archive_name: str, protocol: int) -> None:
    storages = StorageTable()
    pickled = io.BytesIO()
    TorchPickler(pickled, protocol, storages).dump(obj)
    writer = ZipWriter(file, archive_name)
    writer.write_record("data.pkl", pickled.getbuffer())
    writer.write_record(".format_version", b"1")
    writer.write_record(".storage_alignment", b"64")
    writer.write_record("byteorder", b"little")
    storages.write(writer)
    writer.finish()


def load(f, map_location=None, pickle_module=None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args):
    """Read a checkpoint written by torch.save or save.

    map_location: None (the device it was saved from), "cpu", a device, a dict
    {"cuda:0": "cpu"}, or a callable(storage, location) returning the storage to use (a storage
    is passed as a 1-d tensor of its elements; None keeps the default).
    weights_only (default True): only data comes back; False rebuilds any object (trusted files).
    mmap=True maps the storages from the file (copy-on-write) instead of reading them.
    """
    if weights_only is None:
        weights_only = True
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is "
                           "specified")
    encoding = pickle_load_args.get("encoding", "utf-8")
    if hasattr(f, "read"):
        if mmap:
            raise ValueError("f must be a file path in order to use the mmap argument")
        return _load(f, None, map_location, weights_only, False, encoding)
    path = os.fspath(f)
    with open(path, "rb") as file:
        return _load(file, path, map_location, weights_only, bool(mmap), encoding)


def _load(file, path, map_location, weights_only: bool, mmap: bool, encoding: str):
    start = file.tell()
    head = file.read(512)
    file.seek(start)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return load_zip(file, path, map_location, weights_only, mmap, encoding)
    if mmap:
        raise RuntimeError("mmap can only be used with files saved with "
                           "`torch.save(_use_new_zipfile_serialization=True)`, please torch.save "
                           "your checkpoint with this option in order to use mmap.")
    if is_old_format(head):
        return load_old_format(file, map_location, weights_only)
    if head[257:262] == b"ustar":
        raise RuntimeError("This file is in the tar format of PyTorch 0.3 and earlier, which "
                           "tinygrad_edu cannot read: load it with torch.load and save it again")
    return load_legacy(file, map_location, weights_only, encoding)
