"""DataLoader speed: one shuffled epoch over a 60000 x 784 float32 TensorDataset, batch 64.

Three contestants, measured interleaved in one process (median of --rounds epochs each):

    numpy   the floor: fancy-index the arrays by slices of one permutation, x[rows]
    take    the same loop with x.take(rows, axis=0), the gather our TensorDataset uses
            (NumPy's take skips fancy indexing's general machinery: faster for 2-D rows)
    ours    tinygrad_edu.utils.data.DataLoader(TensorDataset(x, y), 64, shuffle=True)
    torch   torch.utils.data.DataLoader over the same data (skipped if torch is missing)

Targets: ours <= 1.2 x numpy, and ours < torch. ours / take shows the loader's own overhead.

    python benchmarks/dataloader.py [--rounds 7] [--rows 60000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tinygrad_edu  # noqa: E402
from tinygrad_edu.utils.data import DataLoader, TensorDataset  # noqa: E402

BATCH = 64


def numpy_epoch(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> int:
    order = rng.permutation(len(x))
    batches = 0
    for start in range(0, len(x), BATCH):
        rows = order[start:start + BATCH]
        x[rows], y[rows]
        batches += 1
    return batches


def take_epoch(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> int:
    order = rng.permutation(len(x))
    batches = 0
    for start in range(0, len(x), BATCH):
        rows = order[start:start + BATCH]
        x.take(rows, axis=0), y.take(rows, axis=0)
        batches += 1
    return batches


def loader_epoch(loader) -> int:
    batches = 0
    for _xb, _yb in loader:
        batches += 1
    return batches


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--rows", type=int, default=60000)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.random((args.rows, 784), dtype=np.float32)
    y = rng.integers(0, 10, args.rows)
    ours = DataLoader(TensorDataset(tinygrad_edu.from_numpy(x), tinygrad_edu.from_numpy(y)),
                      batch_size=BATCH, shuffle=True)
    contestants = {"numpy": lambda: numpy_epoch(x, y, rng), "take": lambda: take_epoch(x, y, rng),
                   "ours": lambda: loader_epoch(ours)}
    try:
        import torch
        from torch.utils.data import DataLoader as TorchLoader
        from torch.utils.data import TensorDataset as TorchDataset
    except ImportError:
        print("torch is not installed: comparing with NumPy only")
    else:
        torch.set_num_threads(1)
        theirs = TorchLoader(TorchDataset(torch.from_numpy(x), torch.from_numpy(y)),
                             batch_size=BATCH, shuffle=True)
        contestants["torch"] = lambda: loader_epoch(theirs)

    for run in contestants.values():  # warm up: first touches of memory, imports, caches
        run()
    times = {name: [] for name in contestants}
    for _ in range(args.rounds):
        for name, run in contestants.items():
            times[name].append(timed(run))

    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"one epoch, {args.rows} x 784 float32, batch {BATCH}, shuffle; "
          f"median of {args.rounds} interleaved rounds")
    for name, median in medians.items():
        print(f"  {name:6s} {median * 1e3:9.2f} ms")
    print(f"ours / numpy = {medians['ours'] / medians['numpy']:.3f}  (target <= 1.2)")
    print(f"ours / take  = {medians['ours'] / medians['take']:.3f}  (the loader's own overhead)")
    if "torch" in medians:
        print(f"ours / torch = {medians['ours'] / medians['torch']:.3f}  (target < 1)")


if __name__ == "__main__":
    main()
