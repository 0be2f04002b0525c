"""Where a training step's time goes: forward, loss, backward, optimizer step, zero_grad.

    python -m benchmarks.phases logistic 64     # microseconds per phase, ours and torch

The profile behind the notes on missed targets in benchmarks/README.md: each phase is timed
with perf_counter around it, over many steps after a warm-up, in one process per call.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import models  # noqa: E402

PHASES = ("forward", "loss", "backward", "step", "zero_grad")


def phases(lib, name: str, size: int, steps: int = 1000, warmup: int = 100) -> dict:
    """Mean microseconds of each phase of the training step of model `name` in `lib`."""
    lib.manual_seed(0)
    model = models.build(lib, name)
    x, y = (lib.from_numpy(a) for a in models.batch(name, size))
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    cross_entropy = lib.nn.functional.cross_entropy
    total = np.zeros(len(PHASES))
    for index in range(warmup + steps):
        t0 = time.perf_counter()
        out = model(x)
        t1 = time.perf_counter()
        loss = cross_entropy(out, y)
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        optimizer.step()
        t4 = time.perf_counter()
        optimizer.zero_grad()
        t5 = time.perf_counter()
        if index >= warmup:
            total += np.diff([t0, t1, t2, t3, t4, t5])
    return dict(zip(PHASES, (total / steps * 1e6).round(1).tolist()))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", choices=models.MODELS)
    parser.add_argument("batch", type=int)
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args(argv)
    import torch  # noqa: PLC0415

    import tinygrad_edu  # noqa: PLC0415
    torch.set_num_threads(1)
    for label, lib in (("ours", tinygrad_edu), ("torch", torch)):
        found = phases(lib, args.model, args.batch, args.steps)
        print(f"{label:6s}", "  ".join(f"{k} {v:.1f}" for k, v in found.items()),
              f"  total {sum(found.values()):.1f} us")


if __name__ == "__main__":
    main()
