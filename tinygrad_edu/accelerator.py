"""tinygrad_edu.accelerator: torch's device-generic API, which current official examples use:

    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() \
        else "cpu"

Here the only accelerator is a CUDA GPU (through CuPy), so each function answers for CUDA.
"""
from __future__ import annotations

from . import backend, cuda

_NONE = "Cannot access accelerator device when none is available."


def is_available() -> bool:
    return cuda.is_available()


def current_accelerator(check_available: bool = False) -> backend.Device | None:
    """device(type='cuda') when a GPU is there, else None (torch.accelerator's answers)."""
    return backend.Device("cuda") if cuda.is_available() else None


def device_count() -> int:
    return cuda.device_count()


def _require() -> None:
    if not cuda.is_available():
        raise RuntimeError(_NONE)


def current_device_index() -> int:
    _require()
    return cuda.current_device()


def set_device_index(device, /) -> None:
    _require()
    cuda.set_device(device)


current_device_idx = current_device_index
set_device_idx = set_device_index


def synchronize(device=None, /) -> None:
    _require()
    cuda.synchronize(device)


def empty_cache() -> None:
    cuda.empty_cache()


class device_index:
    """`with torch.accelerator.device_index(1):` makes that device current inside the block
    (None: nothing changes)."""

    def __init__(self, device, /):
        self.index = device

    def __enter__(self):
        if self.index is not None:
            _require()
            self.previous = cuda.current_device()
            cuda.set_device(self.index)
        return self

    def __exit__(self, *exc):
        if self.index is not None:
            cuda.set_device(self.previous)
        return False
