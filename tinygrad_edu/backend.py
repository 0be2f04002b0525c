"""The backend: the one module that imports NumPy (and CuPy, when a GPU is asked for).

Everything else gets its array module from here, Chainer-style:

    xp = get_array_module(array)      # numpy for CPU arrays, cupy for GPU arrays
    y = xp.exp(x)                      # each formula is written once, for both

The backend owns `Device` (`device("cpu" | "cuda" | "cuda:N")`), the array module of each,
moving arrays between devices, and making arrays from Python data. Beside it, and the only other
modules that name NumPy: arrays.py (what NumPy and CuPy spell differently: scatter-add, strided
windows) and random.py (the generators behind `manual_seed`).
"""
from __future__ import annotations

import contextlib

import numpy

# torch computes log(0) = -inf, 1/0 = inf, 0/0 = nan without a word; NumPy would warn on each.
numpy.seterr(divide="ignore", invalid="ignore", over="ignore", under="ignore")

# ----------------------------------------------------------------------------- CuPy, lazily

_cupy_module = None   # cupy, once a GPU was asked for and found
_cupyx_module = None  # cupyx (scatter_add), imported with it
_cupy_error: str | None = None


def _cupy():
    """Import CuPy on first use and say clearly what is missing when it cannot be used."""
    global _cupy_module, _cupyx_module, _cupy_error
    if _cupy_module is not None:
        return _cupy_module
    if _cupy_error is None:
        try:
            import cupy  # noqa: PLC0415 - optional dependency, imported only for a GPU
            import cupyx  # noqa: PLC0415
        except ImportError:
            _cupy_error = ("CUDA was requested but CuPy is not installed: "
                           "pip install 'tinygrad_edu[gpu]'")
        else:
            try:
                count = cupy.cuda.runtime.getDeviceCount()
            except Exception as exc:  # the driver or runtime is missing
                count, reason = 0, f" ({exc})"
            else:
                reason = ""
            if count == 0:
                _cupy_error = ("CUDA was requested but no CUDA GPU is available: CuPy is "
                               f"installed and found no device{reason}")
            else:
                _cupy_module, _cupyx_module = cupy, cupyx
                return cupy
    raise RuntimeError(_cupy_error)


def cuda_available() -> bool:
    try:
        _cupy()
    except RuntimeError:
        return False
    return True


def cuda_device_count() -> int:
    return _cupy().cuda.runtime.getDeviceCount() if cuda_available() else 0


def cuda_module(extras: bool = False):
    """CuPy itself (cupyx with extras=True), raising the clear error when there is none."""
    cupy = _cupy()
    return _cupyx_module if extras else cupy


# ----------------------------------------------------------------------------- devices

_DEVICE_TYPES = ("cpu", "cuda")


class Device:
    """Where a tensor's memory lives: `cpu` or `cuda:N` (torch.device)."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | Device, index: int | None = None):
        if isinstance(type, Device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments: {type!r}")
        if ":" in type:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            type, _, number = type.partition(":")
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{number}'")
            index = int(number)
        if type not in _DEVICE_TYPES:
            raise RuntimeError("Expected one of cpu, cuda device type at start of device string: "
                               f"{type}")
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        if type == "cpu" and index not in (None, 0):
            raise RuntimeError(f"CPU device index must be -1 or zero, got {index}")
        self.type = type
        self.index = None if type == "cpu" else index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = Device(other)
        if not isinstance(other, Device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))


device = Device
CPU = Device("cpu")


def as_device(spec) -> Device:
    """Turn `None`, a string, an int (a CUDA ordinal) or a Device into a concrete Device."""
    if spec is None or spec is CPU:
        return CPU
    if isinstance(spec, int) and not isinstance(spec, bool):
        spec = Device("cuda", spec)
    dev = spec if isinstance(spec, Device) else Device(spec)
    if dev.type == "cuda":
        cupy = _cupy()
        count = cupy.cuda.runtime.getDeviceCount()
        index = cupy.cuda.runtime.getDevice() if dev.index is None else dev.index
        if index >= count:
            raise RuntimeError(f"CUDA error: invalid device ordinal (cuda:{index} requested, "
                               f"{count} device(s) available)")
        dev = Device("cuda", index)
    return dev


NUMPY_SCALAR = numpy.generic  # what NumPy returns for a 0-d result: wrapped as an array again


def get_array_module(array):
    """numpy for NumPy arrays (and Python data), cupy for CuPy arrays."""
    if type(array) is numpy.ndarray or _cupy_module is None:
        return numpy
    return _cupy_module.get_array_module(array)


_CUDA_DEVICES: dict[int, Device] = {}  # one Device object per GPU, made once


def device_of(array) -> Device:
    if type(array) is numpy.ndarray or _cupy_module is None:
        return CPU
    index = array.device.id
    dev = _CUDA_DEVICES.get(index)
    if dev is None:
        dev = _CUDA_DEVICES[index] = Device("cuda", index)
    return dev


# Counts every copy between host and device, so tests can prove a training step makes none
# beyond the ones the user asked for.
transfer_count = {"host_to_device": 0, "device_to_host": 0}


def to_device(array, dev: Device):
    """Move an array to `dev`; returns the same array when it is already there."""
    source = device_of(array)
    if source == dev:
        return array
    if dev.type == "cpu":
        transfer_count["device_to_host"] += 1
        return _cupy_module.asnumpy(array)
    cupy = _cupy()
    with cupy.cuda.Device(dev.index):
        if source.type == "cpu":
            transfer_count["host_to_device"] += 1
        return cupy.asarray(array)


def on_host(array) -> bool:
    """Whether `array` is a NumPy one. Checks of *values* (an index in range, a probability in
    [0, 1]) run only then: on a GPU each would cost a device-to-host copy per call, so there, as
    in torch's CUDA kernels (which assert on the device), such values are not checked here."""
    return type(array) is numpy.ndarray


def to_host(array, method: str):
    """array.item() or array.tolist(): Python numbers, copied from the GPU (and counted) when
    the array lives there. Only the user's calls come here (Tensor.item, .tolist, float(t))."""
    if type(array) is not numpy.ndarray:
        transfer_count["device_to_host"] += 1
    return getattr(array, method)()


def is_array(obj) -> bool:
    return type(obj) is numpy.ndarray or (_cupy_module is not None
                                          and isinstance(obj, _cupy_module.ndarray))


# ----------------------------------------------------------------------------- arrays and dtypes

def numpy_dtype(name: str):
    return numpy.dtype(name)


def asarray(data, dtype=None, dev: Device = CPU, copy: bool | None = None):
    """An array of `data` on `dev`. `dtype` is a NumPy dtype or None (infer)."""
    if dev.type == "cpu":
        if copy:
            return numpy.array(data, dtype=dtype, copy=True)
        return numpy.asarray(data, dtype=dtype)
    cupy = _cupy()
    with cupy.cuda.Device(dev.index):
        if not isinstance(data, cupy.ndarray):
            transfer_count["host_to_device"] += 1
        return cupy.array(data, dtype=dtype, copy=bool(copy))


def xp_for(dev: Device):
    return numpy if dev.type == "cpu" else _cupy()


def zeros(shape, dtype, dev: Device):
    """An array of zeros on `dev`; `dtype` is a NumPy dtype."""
    with device_context(dev):
        return xp_for(dev).zeros(shape, dtype=dtype)


def device_context(dev: Device):
    """A context manager that makes `dev` current for array creation (a no-op on CPU)."""
    if dev.type == "cpu":
        return contextlib.nullcontext()
    return _cupy().cuda.Device(dev.index)


def reshape_view(array, shape):
    """`array` with a new shape *without copying*; ValueError when that needs a copy."""
    if array.flags.c_contiguous:
        return array.reshape(shape)
    if type(array) is numpy.ndarray:
        return array.reshape(shape, copy=False)
    view = array.view()
    try:
        view.shape = shape  # CuPy's reshape has no copy=False; setting the shape never copies
    except AttributeError:
        raise ValueError("this reshape needs a copy") from None
    return view
