"""tinygrad_edu.cuda: what torch.cuda offers the tutorials, answered through the backend.

`is_available()` is True only when CuPy is installed and sees a GPU; the other functions raise
the backend's clear error (which names what is missing) when there is none.
"""
from __future__ import annotations

from . import backend


def is_available() -> bool:
    return backend.cuda_available()


def device_count() -> int:
    return backend.cuda_device_count()


def current_device() -> int:
    return backend._cupy().cuda.runtime.getDevice()


def set_device(device) -> None:
    index = backend.as_device(device).index if not isinstance(device, int) else device
    backend._cupy().cuda.runtime.setDevice(index)


def get_device_name(device=None) -> str:
    cupy = backend._cupy()
    index = current_device() if device is None else backend.as_device(device).index \
        if not isinstance(device, int) else device
    name = cupy.cuda.runtime.getDeviceProperties(index)["name"]
    return name.decode() if isinstance(name, bytes) else name


def synchronize(device=None) -> None:
    if is_available():
        backend._cupy().cuda.Device(None if device is None else
                                    backend.as_device(device).index).synchronize()


def manual_seed(seed: int) -> None:
    """Seed the GPU random streams (they follow the default generator's seed here)."""
    backend.manual_seed(seed)


manual_seed_all = manual_seed


class device:
    """`with tinygrad_edu.cuda.device(1):` makes that GPU current inside the block."""

    def __init__(self, device):
        self.index = device if isinstance(device, int) else backend.as_device(device).index

    def __enter__(self):
        self.previous = current_device()
        set_device(self.index)
        return self

    def __exit__(self, *exc):
        set_device(self.previous)
        return False
