"""torch alone: the tutorial models' steps in a process where tinygrad_edu is never imported.

In the driver's process torch shares the C allocator that tinygrad_edu tunes at import (see
tinygrad_edu/_cpu.py: glibc keeps freed arrays instead of returning them to the OS), and that
makes torch's own steps up to 2x faster than torch as users run it. This worker measures torch
as shipped: its own process, glibc's default allocator, the driver's thread count
(TORCH_THREADS), interleaved with the rest through the worker protocol (worker.py).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import models  # noqa: E402 - NumPy only: tinygrad_edu stays out of this process
from benchmarks.worker import serve  # noqa: E402


def step_for(model: str, size: int, train: bool):
    return models.step_for(torch, model, size, train=train)


if __name__ == "__main__":
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
    serve(step_for)
