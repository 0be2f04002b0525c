"""How many threads the two libraries compute with (`python -m parity --threads N`).

On a small or busy machine, thread pools that spin while waiting for a core make the small
matrix products of these runs many times slower: torch's pool (torch.set_num_threads) and the
OpenBLAS that NumPy links (set through its C function, found among the loaded libraries as
threadpoolctl finds it; NumPy offers no Python call for it). The results do not change.
"""
from __future__ import annotations

import contextlib
import ctypes

import torch


def _openblas():
    """(set_num_threads, get_num_threads) of the OpenBLAS loaded in this process, or None."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()
                            and line.split()[-1].startswith("/")})
    except OSError:  # not Linux: leave NumPy's BLAS as it is
        return None
    for path in paths:
        library = ctypes.CDLL(path)
        for name in ("scipy_openblas{}64_", "openblas{}64_", "openblas{}"):
            setter = getattr(library, name.format("_set_num_threads"), None)
            getter = getattr(library, name.format("_get_num_threads"), None)
            if setter is not None and getter is not None:
                return setter, getter
    return None


def set_threads(count: int) -> int:
    """Use `count` threads in torch and in NumPy's OpenBLAS; return the previous torch count."""
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    blas = _openblas()
    if blas is not None:
        blas[0](count)
    return previous


@contextlib.contextmanager
def threads(count: int):
    """Within the block, compute with `count` threads; the previous counts are restored."""
    blas = _openblas()
    before = blas[1]() if blas is not None else None
    previous = set_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
        if blas is not None:
            blas[0](before)
