"""Platform tuning: measured speed tricks, kept out of the engine's reading path.

`apply()` is called once by the package __init__; with the environment variable
TINYGRAD_EDU_TUNING=0 it does nothing and every computation runs as the plain engine writes it
(the same numbers, slower). What it changes, each measured (benchmarks/README.md):

BLAS threads. NumPy's matrix products run on OpenBLAS, whose helper threads spin while they
wait for a core. On a 2-core machine with other work running, a training step on two BLAS
threads was 14x (MLP) to 20x (tutorial CNN) slower than on one, and a threaded product right
after a torch op waits ~8 ms. The tutorials' products are small, so tinygrad_edu computes on ONE
BLAS thread unless OPENBLAS_NUM_THREADS or OMP_NUM_THREADS says otherwise;
`set_num_threads(n)` changes it, as `torch.set_num_threads` does for torch.

The allocator. glibc hands a freed array back to the OS once the free memory at the top of
the heap passes a threshold that only grows to twice the largest array freed so far; the
next step's arrays then fault their pages in again (LeNet, batch 64: 1,500 page faults and a
third of the step). Raising the thresholds (arrays up to 32 MiB from the heap; up to 64 MiB of
free heap kept) ends that. Done on glibc only, and only when the user has not tuned malloc
(MALLOC_*_ variables, GLIBC_TUNABLES) nor set TINYGRAD_EDU_MALLOPT=0.

A leaf's first gradient. The engine copies it into `.grad` (the same gradient may be on its way
to another leaf); when nothing but the engine refers to it, as torch's AccumulateGrad checks, the
copy is skipped: one copy of every parameter's gradient per training step (5-10% of a small
model's step).

Convolution scratch buffers. The im2col buffers of nn/functional/conv.py are kept between calls
of the same shape instead of being allocated each time (see that file).
"""
from __future__ import annotations

import ctypes
import os
import sys

from . import backend  # noqa: F401 - loads NumPy, and with it the BLAS configured here
from .autograd import engine

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
MMAP_THRESHOLD = 32 * 2**20
TRIM_THRESHOLD = 64 * 2**20

keep_conv_buffers = False  # read by nn/functional/conv.py on each call

# what was found and done, for benchmarks and tests
settings = {"blas": None, "malloc": None, "gradients": None, "conv_buffers": None}


def _openblas():
    """(set_num_threads, get_num_threads) of the OpenBLAS NumPy loaded, or None (not Linux, or
    another BLAS). NumPy offers no call for it: the library is found among the loaded ones."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()
                            and line.split()[-1].startswith("/")})
    except OSError:
        return None
    for path in paths:
        library = ctypes.CDLL(path)
        for name in ("scipy_openblas{}64_", "openblas{}64_", "openblas{}"):
            setter = getattr(library, name.format("_set_num_threads"), None)
            getter = getattr(library, name.format("_get_num_threads"), None)
            if setter is not None and getter is not None:
                return setter, getter
    return None


_blas = _openblas()


def set_num_threads(count: int) -> None:
    """The number of threads NumPy's BLAS computes matrix products with (torch's name)."""
    if not isinstance(count, int) or isinstance(count, bool):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(count).__name__}")
    if count < 1:
        raise RuntimeError("set_num_threads expects a positive integer")
    if _blas is not None:
        _blas[0](count)


def get_num_threads() -> int:
    """The number of BLAS threads (the CPU count when the BLAS cannot be asked)."""
    return int(_blas[1]()) if _blas is not None else os.cpu_count() or 1


def _user_tuned_malloc() -> bool:
    return (os.environ.get("TINYGRAD_EDU_MALLOPT") == "0"
            or "malloc" in os.environ.get("GLIBC_TUNABLES", "")
            or any(name.startswith("MALLOC_") and name.endswith("_") for name in os.environ))


def _tune_malloc() -> str:
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return "left alone (not glibc)"
    except (AttributeError, ValueError, OSError):
        return "left alone (not glibc)"
    if _user_tuned_malloc():
        return "left alone (set by the user)"
    mallopt = ctypes.CDLL("libc.so.6").mallopt
    done = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(_M_TRIM_THRESHOLD,
                                                                    TRIM_THRESHOLD)
    return "glibc thresholds raised" if done else "left alone (mallopt refused)"


def _adopt_if_unshared(grad):
    """engine.adopt_gradient without the copy when nothing else refers to the gradient: the
    Tensor is referenced only by the engine (its local and this argument) and its array is no
    view and referenced only by that Tensor."""
    if (grad._grad_fn is None and grad._data.base is None
            and sys.getrefcount(grad._data) <= 2 and sys.getrefcount(grad) <= 3):
        return grad
    return grad._make(grad._data.copy(order="K"))


def enabled() -> bool:
    return os.environ.get("TINYGRAD_EDU_TUNING", "1") != "0"


def apply() -> None:
    """Apply every trick above, unless TINYGRAD_EDU_TUNING=0."""
    if not enabled():
        for key in settings:
            settings[key] = "off (TINYGRAD_EDU_TUNING=0)"
        return
    if _blas is None:
        settings["blas"] = "no OpenBLAS found: left alone"
    elif "OPENBLAS_NUM_THREADS" in os.environ or "OMP_NUM_THREADS" in os.environ:
        settings["blas"] = f"{get_num_threads()} threads (set by the user)"
    else:
        set_num_threads(1)
        settings["blas"] = "1 thread"
    settings["malloc"] = _tune_malloc()
    engine.adopt_gradient = _adopt_if_unshared
    settings["gradients"] = "a leaf's first gradient is taken without a copy when unshared"
    global keep_conv_buffers
    keep_conv_buffers = True
    settings["conv_buffers"] = "kept between calls"
