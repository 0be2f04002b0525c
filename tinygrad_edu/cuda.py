"""tinygrad_edu.cuda: what torch.cuda offers the tutorials, answered through the backend (CuPy).

`is_available()` and `device_count()` answer on any machine (False and 0 without CuPy or a
GPU). Everything that needs a GPU raises the backend's clear error, which says what is missing:
CuPy ("pip install 'tinygrad_edu[gpu]'") or a GPU. Devices are given as torch gives them: an
index, "cuda:1", or a `device`.
"""
from __future__ import annotations

from . import backend, random
from .functions.legacy import CUDA_TYPED_CLASSES

# torch.cuda.FloatTensor & co: old tutorials write `dtype = torch.cuda.FloatTensor`
(FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor, CharTensor,
 ByteTensor, BoolTensor) = CUDA_TYPED_CLASSES


def is_available() -> bool:
    return backend.cuda_available()


def device_count() -> int:
    return backend.cuda_device_count()


def is_initialized() -> bool:
    return backend.cuda_available()


def _index(device) -> int:
    """A GPU index from an int, a string or a device; None means the current GPU."""
    if device is None:
        return current_device()
    if isinstance(device, int) and not isinstance(device, bool):
        backend.as_device(device)  # checks the ordinal
        return device
    dev = backend.as_device(device)
    if dev.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {dev}")
    return dev.index


def current_device() -> int:
    return backend.cuda_module().cuda.runtime.getDevice()


def set_device(device) -> None:
    """Make `device` the current GPU (a negative index is a no-op, as in torch)."""
    if isinstance(device, int) and device < 0:
        return
    backend.cuda_module().cuda.runtime.setDevice(_index(device))


def get_device_name(device=None) -> str:
    name = backend.cuda_module().cuda.runtime.getDeviceProperties(_index(device))["name"]
    return name.decode() if isinstance(name, bytes) else name


class _DeviceProperties:
    """What torch.cuda.get_device_properties reports that CuPy knows too."""

    def __init__(self, properties: dict):
        name = properties["name"]
        self.name = name.decode() if isinstance(name, bytes) else name
        self.total_memory = int(properties.get("totalGlobalMem", 0))
        self.major = properties.get("major")
        self.minor = properties.get("minor")
        self.multi_processor_count = properties.get("multiProcessorCount")

    def __repr__(self) -> str:
        return (f"_CudaDeviceProperties(name='{self.name}', major={self.major}, "
                f"minor={self.minor}, total_memory={self.total_memory // 2**20}MB, "
                f"multi_processor_count={self.multi_processor_count})")


def get_device_properties(device=None) -> _DeviceProperties:
    properties = backend.cuda_module().cuda.runtime.getDeviceProperties(_index(device))
    return _DeviceProperties(properties)


def synchronize(device=None) -> None:
    """Wait until the GPU has finished all queued work (read clocks only after this)."""
    backend.cuda_module().cuda.Device(_index(device)).synchronize()


def manual_seed(seed: int) -> None:
    """Seed the random stream of the current GPU (torch.cuda.manual_seed); the CPU's is kept.
    Without a GPU there is nothing to seed yet: the seed applies to every GPU stream."""
    index = current_device() if is_available() else None
    random.default_generator.manual_seed_cuda(seed, index)


def manual_seed_all(seed: int) -> None:
    """Seed the random streams of every GPU (torch.cuda.manual_seed_all)."""
    random.default_generator.manual_seed_cuda(seed)


def empty_cache() -> None:
    """Give the GPU memory CuPy keeps for reuse back to the driver (a no-op without a GPU)."""
    if is_available():
        backend.cuda_module().get_default_memory_pool().free_all_blocks()


def memory_allocated(device=None) -> int:
    """Bytes held by tensors now (CuPy's memory pool: all GPUs together)."""
    return int(backend.cuda_module().get_default_memory_pool().used_bytes())


class device:
    """`with tinygrad_edu.cuda.device(1):` makes that GPU current inside the block."""

    def __init__(self, device):
        self.index = device if isinstance(device, int) else _index(device)

    def __enter__(self):
        self.previous = current_device()
        if self.index >= 0:
            set_device(self.index)
        return self

    def __exit__(self, *exc):
        set_device(self.previous)
        return False
