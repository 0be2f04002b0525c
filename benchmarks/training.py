"""Training steps and inference of the four tutorial models: ours, torch (in this process and
alone in its own: torch_worker.py), NumPy by hand, MyGrad.

A training step is forward + cross-entropy + backward + SGD-momentum step (+ zero_grad), at
batch 64 and 256; inference is a forward pass under no_grad at batch 128 (models.py).
"""
from __future__ import annotations

from . import gpu, models, numpy_reference
from .common import interleave, ratio, timed_calls

CASES = [(model, size, True) for size in (64, 256) for model in models.MODELS] + \
        [(model, 128, False) for model in models.MODELS]
QUICK_CASES = [(model, 16, True) for model in models.MODELS] + [("mlp", 16, False)]


def contestants(config, model: str, size: int, train: bool) -> dict:
    ours, torch = config.libs["ours"], config.libs["torch"]
    found = {"ours": timed_calls(models.step_for(ours, model, size, train=train)),
             "torch": timed_calls(models.step_for(torch, model, size, train=train)),
             "numpy": timed_calls(numpy_reference.step_for(model, size, train=train))}
    for name, worker in config.workers.items():  # torch alone, MyGrad
        found[name] = worker.contestant(model, size, train)
    found.update(gpu.contestants(config.libs, model, size, train))
    return found


def run(config) -> list:
    rows = []
    for model, size, train in QUICK_CASES if config.quick else CASES:
        times = interleave(contestants(config, model, size, train), config.rounds,
                           config.budget)
        row = {"model": model, "batch": size, "mode": "train" if train else "infer",
               "times": times,
               "ratios": {f"ours/{other}": ratio(times, "ours", other)
                          for other in ("torch", "torch-alone", "numpy", "mygrad")
                          if other in times}}
        if "ours-cuda" in times and "torch-cuda" in times:
            row["ratios"]["ours-cuda/torch-cuda"] = ratio(times, "ours-cuda", "torch-cuda")
        rows.append(row)
        config.progress(f"{row['mode']} {model} batch {size}: " + ", ".join(
            f"{name} {value:.2f}" for name, value in row["ratios"].items()))
    return rows
