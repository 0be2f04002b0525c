"""GPU columns: torch on CUDA against tinygrad_edu on CuPy, when a GPU is there.

Both libraries queue GPU work and return at once, so each clock reading is preceded by the
library's `cuda.synchronize()` (common.timed_calls does that when given `synchronize`).
tinygrad_edu's side runs when `tinygrad_edu.cuda.is_available()` (CuPy installed, a GPU seen);
the models and steps are the same functions as on the CPU, moved with `.to("cuda")`.
"""
from __future__ import annotations

from . import models
from .common import timed_calls


def available(lib) -> bool:
    try:
        return bool(lib.cuda.is_available())
    except Exception:  # noqa: BLE001 - a broken CUDA set-up only means "no GPU column"
        return False


def contestants(libs: dict, model: str, size: int, train: bool) -> dict:
    """{"<name>-cuda": contestant} for each library in `libs` ({name: module}) with a GPU."""
    found = {}
    for name, lib in libs.items():
        if available(lib):
            step = models.step_for(lib, model, size, train=train, device="cuda")
            found[f"{name}-cuda"] = timed_calls(step, synchronize=lib.cuda.synchronize)
    return found
