"""Peak memory of a CNN training epoch, each library in a process of its own.

    python -m benchmarks.memory --lib ours|torch [--samples 50000] [--threads 1]

prints one JSON line: the process's resident memory after the imports and data (`rss_ready`)
and its peak over the epoch (`rss_peak`, VmHWM), and for tinygrad_edu the peak of
NumPy's allocations during the epoch as tracemalloc sees them (`traced_peak`, measured in a
second epoch after the RSS figure is taken, since tracing costs memory itself). torch's
allocator is invisible to tracemalloc, so its side has RSS only. The driver (`run`) starts one
process per library, so that neither's imports or caches count against the other.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in bytes (Linux only).

    VmHWM is the peak of VmRSS for this program only: getrusage's ru_maxrss would carry over the
    peak of the parent process (Linux keeps it across fork and exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise OSError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Start VmHWM afresh from the current RSS (Linux 4.0+: clear_refs accepts 5)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def measure(lib_name: str, samples: int, threads: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from benchmarks.common import mnist_shaped, set_threads  # noqa: PLC0415
    if lib_name == "torch":  # tinygrad_edu is not imported: its allocator settings stay out
        import torch as lib  # noqa: PLC0415
        lib.set_num_threads(threads)
    else:
        import tinygrad_edu as lib  # noqa: PLC0415
        set_threads(threads)
    from benchmarks.epoch import library_epoch  # noqa: PLC0415
    x, y, source = mnist_shaped(samples)
    epoch = library_epoch(lib, "cnn", x, y)
    result = {"lib": lib_name, "samples": samples, "data": source, "rss_ready": _status("VmRSS")}
    _reset_peak()  # the peak of loading the data is not the epoch's
    epoch(1)
    result["rss_peak"] = _status("VmHWM")
    if lib_name != "torch":
        import tracemalloc  # noqa: PLC0415
        tracemalloc.start()
        epoch(1)
        result["traced_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result


def run(config) -> dict:
    samples = 2048 if config.quick else 50000
    result = {"model": "cnn", "samples": samples}
    for name in ("ours", "torch"):
        command = [sys.executable, "-m", "benchmarks.memory", "--lib", name, "--samples",
                   str(samples), "--threads", str(config.threads)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"memory run of {name} failed:\n{done.stderr[-2000:]}")
        result[name] = json.loads(done.stdout.strip().splitlines()[-1])
    result["ratios"] = {"ours/torch rss_peak": result["ours"]["rss_peak"] /
                        result["torch"]["rss_peak"]}
    config.progress(f"memory: peak RSS ours {result['ours']['rss_peak'] / 2**20:.0f} MiB, torch "
                    f"{result['torch']['rss_peak'] / 2**20:.0f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", choices=("ours", "torch"), required=True)
    parser.add_argument("--samples", type=int, default=50000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(measure(args.lib, args.samples, args.threads)))


if __name__ == "__main__":
    main()
