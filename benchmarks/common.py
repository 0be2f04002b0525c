"""What every benchmark family shares: threads, clocks, interleaved timing, the machine.

A contestant is a function `run(calls) -> seconds per call`. `interleave` runs all contestants
of a case round after round, rotating who goes first, so that a burst of load from another
process hits each of them alike; it reports the median over rounds with the min and max.
"""
from __future__ import annotations

import contextlib
import datetime
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

Contestant = Callable[[int], float]

CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
_clock = time.perf_counter


def set_clock(name: str) -> None:
    """wall: elapsed time (the default); cpu: this process's CPU time, which on a shared machine
    leaves out the time other processes held the core (fair when every library runs on one
    thread, as they do here by default)."""
    global _clock
    _clock = CLOCKS[name]


def clock() -> float:
    return _clock()


# ----------------------------------------------------------------------------- threads

def set_threads(count: int, torch=None) -> str:
    """Compute with `count` threads in NumPy's BLAS (tinygrad_edu.set_num_threads) and, when
    given, torch; say what was set. On 2 cores, a threaded OpenBLAS product that follows a torch
    op waits ~8 ms for its threads (both pools spin), so the two must be set together."""
    import tinygrad_edu  # noqa: PLC0415 - not in the process that measures torch's memory
    tinygrad_edu.set_num_threads(count)
    blas = f"NumPy BLAS {tinygrad_edu.get_num_threads()} ({tinygrad_edu._tuning.settings['blas']}" \
        " at import)"
    if torch is not None:
        torch.set_num_threads(count)
        return f"{blas}, torch {torch.get_num_threads()}"
    return blas


# ----------------------------------------------------------------------------- timing

def timed_calls(fn: Callable[[], object], synchronize=None) -> Contestant:
    """A contestant that calls `fn` and returns the seconds per call. On a GPU, `synchronize`
    waits for the queued work before each clock reading (else the clock sees only the launch)."""
    def run(calls: int) -> float:
        if synchronize is not None:
            synchronize()
        start = clock()
        for _ in range(calls):
            fn()
        if synchronize is not None:
            synchronize()
        return (clock() - start) / calls
    return run


def summary(values: list) -> dict:
    """Median, min and max of per-round seconds (and the rounds themselves)."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": list(values)}


def interleave(contestants: dict, rounds: int, budget: float = 0.0, *, calls: int = 0,
               max_calls: int = 500) -> dict:
    """{name: summary} of `rounds` interleaved rounds per contestant. A round makes `calls`
    calls or, by default, as many as fit in `budget` seconds for the slowest contestant (timed
    once after a warm-up call), the same number for all, so that short calls are not drowned by
    the clock."""
    names = list(contestants)
    if calls:
        for name in names:
            contestants[name](1)  # warm-up
    else:
        slowest = max(_after_warmup(contestants[name]) for name in names)
        calls = max(1, min(max_calls, int(budget / max(slowest, 1e-9))))
    times = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(contestants[name](calls))
    return {name: dict(summary(values), calls=calls) for name, values in times.items()}


def _after_warmup(run: Contestant) -> float:
    run(1)  # first calls fill caches, allocators and thread pools
    return run(1)


def ratio(results: dict, a: str, b: str):
    """Median of a / median of b, or None when either is missing."""
    if a in results and b in results and results[b]["median"] > 0:
        return results[a]["median"] / results[b]["median"]
    return None


# ----------------------------------------------------------------------------- data

FASHION = Path("/usr/share/datasets/fashion-mnist")


def mnist_shaped(samples: int, seed: int = 0):
    """(images float32 (n, 784) in [0, 1], labels int64 (n,)), and where they came from:
    Fashion-MNIST's training set when installed, else random data of the same shape."""
    images_path = FASHION / "train-images-idx3-ubyte.gz"
    if images_path.exists() and samples <= 60000:
        import gzip  # noqa: PLC0415
        with gzip.open(images_path) as f:
            images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:samples]
        with gzip.open(FASHION / "train-labels-idx1-ubyte.gz") as f:
            labels = np.frombuffer(f.read(), np.uint8, offset=8)[:samples]
        images = images.astype(np.float32)
        images /= 255
        return (images, labels.astype(np.int64),
                f"Fashion-MNIST ({FASHION})")
    rng = np.random.default_rng(seed)
    return (rng.random((samples, 784), dtype=np.float32), rng.integers(0, 10, samples),
            "synthetic (random, MNIST's shape)")


# ----------------------------------------------------------------------------- the machine

def machine(torch=None) -> dict:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "date": datetime.date.today().isoformat()}
    with contextlib.suppress(OSError):
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    if torch is not None:
        info["torch"] = torch.__version__
    return info
