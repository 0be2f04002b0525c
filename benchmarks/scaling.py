"""Where Python overhead stops mattering: training-step time against batch size (MLP and CNN,
16 -> 1024) and against depth (MLP with 1 -> 32 hidden layers of 100, batch 64).

At small batches and in deep narrow nets the per-op cost of the engine dominates; at large
batches the arithmetic does, and the ratio tends to that of NumPy's kernels to torch's.
"""
from __future__ import annotations

from . import models
from .common import interleave, ratio, timed_calls

BATCHES = (16, 64, 256, 1024)
DEPTHS = (1, 2, 4, 8, 16, 32)


def _pair(config, model: str, size: int, depth: int = 1) -> dict:
    return {name: timed_calls(models.step_for(config.libs[name], model, size, depth=depth))
            for name in ("ours", "torch")}


def _row(times: dict, **where) -> dict:
    return dict(where, times=times, ratios={"ours/torch": ratio(times, "ours", "torch")})


def run(config) -> dict:
    batches, depths = ((16, 32), (1, 2)) if config.quick else (BATCHES, DEPTHS)
    result = {"batch": [], "depth": []}
    for model in ("mlp", "cnn"):
        for size in batches:
            times = interleave(_pair(config, model, size), config.rounds, config.budget)
            result["batch"].append(_row(times, model=model, batch=size))
            config.progress(f"scaling {model} batch {size}: ours/torch "
                            f"{result['batch'][-1]['ratios']['ours/torch']:.2f}")
    for depth in depths:
        times = interleave(_pair(config, "mlp", 64, depth), config.rounds, config.budget)
        result["depth"].append(_row(times, model="mlp", batch=64, depth=depth))
        config.progress(f"scaling mlp depth {depth}: ours/torch "
                        f"{result['depth'][-1]['ratios']['ours/torch']:.2f}")
    return result
