"""Speed of the nn.functional hot paths against torch (CPU), measured side by side.

    python benchmarks/conv.py                    # the default repetitions
    python benchmarks/conv.py --quick            # fewer, for a smoke run
    python benchmarks/conv.py --blas-threads 1   # NumPy's BLAS on one thread
    python benchmarks/conv.py --blas-threads 1 --torch-threads 1   # both on one thread

Each case runs forward + backward in tinygrad_edu and in torch, in interleaved blocks (a block
of ours, a block of torch's, and so on), so that both see the same machine load; the per-call
time is the median over all blocks. The ratio ours / torch is what matters (1.0 = as fast).
torch keeps its default thread count. NumPy's BLAS uses its default too, unless
--blas-threads says otherwise. On a 2-core machine, a multi-threaded OpenBLAS product that
follows a torch op in the same process waited ~8 ms for its threads (measured: 100 us alone),
whatever torch's KMP_BLOCKTIME or OMP_WAIT_POLICY; --blas-threads 1 avoids that, and so
measures each library as it runs on its own.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

if "--blas-threads" in sys.argv:  # must be set before NumPy loads its BLAS
    _count = sys.argv[sys.argv.index("--blas-threads") + 1]
    os.environ["OPENBLAS_NUM_THREADS"] = _count  # NumPy's BLAS; torch uses its own (MKL)

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

import tinygrad_edu  # noqa: E402
import tinygrad_edu.nn.functional as F  # noqa: E402


def _pair(array, requires_grad=True):
    """The same float32 data as a tinygrad_edu tensor and a torch tensor."""
    ours = tinygrad_edu.tensor(array, requires_grad=requires_grad)
    theirs = torch.tensor(array, requires_grad=requires_grad)
    return ours, theirs


def _case_conv(rng):
    conv = torch.nn.Conv2d(16, 16, 3, stride=2, padding=1)
    x = rng.standard_normal((64, 16, 14, 14)).astype(np.float32)
    (xo, xt) = _pair(x)
    wo = tinygrad_edu.tensor(conv.weight.detach().numpy(), requires_grad=True)
    bo = tinygrad_edu.tensor(conv.bias.detach().numpy(), requires_grad=True)
    grad = rng.standard_normal((64, 16, 7, 7)).astype(np.float32)
    go, gt = tinygrad_edu.tensor(grad), torch.tensor(grad)

    def ours():
        F.conv2d(xo, wo, bo, stride=2, padding=1).backward(go)

    def theirs():
        conv(xt).backward(gt)
    return "Conv2d(16, 16, 3, stride=2, padding=1) on (64, 16, 14, 14)", ours, theirs


def _case_cross_entropy(rng):
    logits = rng.standard_normal((64, 10)).astype(np.float32)
    labels = rng.integers(0, 10, 64)
    lo, lt = _pair(logits)
    yo, yt = tinygrad_edu.tensor(labels), torch.tensor(labels)

    def ours():
        F.cross_entropy(lo, yo).backward()

    def theirs():
        torch.nn.functional.cross_entropy(lt, yt).backward()
    return "cross_entropy on (64, 10)", ours, theirs


def _case_pool(rng, name, shape, size):
    x = rng.standard_normal(shape).astype(np.float32)
    xo, xt = _pair(x)
    ours_fn, torch_fn = getattr(F, name), getattr(torch.nn.functional, name)
    out_shape = torch_fn(xt, size).shape
    grad = rng.standard_normal(tuple(out_shape)).astype(np.float32)
    go, gt = tinygrad_edu.tensor(grad), torch.tensor(grad)

    def ours():
        ours_fn(xo, size).backward(go)

    def theirs():
        torch_fn(xt, size).backward(gt)
    return f"{name}(x, {size}) on {shape}", ours, theirs


def _case_linear(rng):
    x = rng.standard_normal((64, 784)).astype(np.float32)
    w = (rng.standard_normal((128, 784)) * 0.03).astype(np.float32)
    b = rng.standard_normal(128).astype(np.float32)
    xo, xt = _pair(x, requires_grad=False)
    (wo, wt), (bo, bt) = _pair(w), _pair(b)
    grad = rng.standard_normal((64, 128)).astype(np.float32)
    go, gt = tinygrad_edu.tensor(grad), torch.tensor(grad)

    def ours():
        F.linear(xo, wo, bo).backward(go)

    def theirs():
        torch.nn.functional.linear(xt, wt, bt).backward(gt)
    return "linear (64, 784) -> 128", ours, theirs


def _per_call(fn, calls: int) -> list:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def measure(ours, theirs, blocks: int, calls: int):
    """Median seconds per call of each, from interleaved blocks."""
    for fn in (ours, theirs):  # warm up caches, allocators, thread pools
        _per_call(fn, 3)
    ours_times, torch_times = [], []
    for block in range(blocks):
        order = ((ours, ours_times), (theirs, torch_times))
        for fn, sink in order if block % 2 == 0 else reversed(order):
            sink.extend(_per_call(fn, calls))
    return statistics.median(ours_times), statistics.median(torch_times)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, NumPy "
            f"{np.__version__} (BLAS threads: {blas}), torch {torch.__version__} "
            f"({torch.get_num_threads()} threads)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--blas-threads", type=int, help="threads of NumPy's BLAS")
    parser.add_argument("--torch-threads", type=int, help="torch's threads (default: its own)")
    args = parser.parse_args(argv)
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    blocks, calls = (4, 10) if args.quick else (10, 20)
    rng = np.random.default_rng(0)
    cases = [_case_conv(rng), _case_cross_entropy(rng),
             _case_pool(rng, "max_pool2d", (64, 16, 28, 28), 2),
             _case_pool(rng, "avg_pool2d", (64, 10, 4, 4), 4),
             _case_linear(rng)]
    print(machine())
    print(f"forward + backward, median of {blocks} interleaved blocks x {calls} calls")
    print(f"{'case':58} {'ours':>10} {'torch':>10} {'ratio':>7}")
    for name, ours, theirs in cases:
        ours_s, torch_s = measure(ours, theirs, blocks, calls)
        print(f"{name:58} {ours_s * 1e6:8.0f}us {torch_s * 1e6:8.0f}us {ours_s / torch_s:7.2f}")


if __name__ == "__main__":
    main()
