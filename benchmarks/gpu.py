"""GPU columns: torch on CUDA against tinygrad_edu on CuPy, when a GPU is there.

Both libraries queue GPU work and return at once, so each clock reading is preceded by the
library's `cuda.synchronize()` (common.timed_calls does that when given `synchronize`).
tinygrad_edu's side runs when `tinygrad_edu.cuda.is_available()` (CuPy installed, a GPU seen);
the models and steps are the same functions as on the CPU, moved with `.to("cuda")`.

`python -m benchmarks.gpu [--out rows.json]` prints the GPU table alone (scripts/gpu_check.sh
runs it): the blitz's LeNet and the torch.nn tutorial's CNN, one training step at batch 64 and
1024, and our time per step over torch's.
"""
from __future__ import annotations

from . import models
from .common import interleave, ratio, timed_calls


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


# ----------------------------------------------------------------------------- the GPU table

GPU_CASES = [(model, size) for model in ("lenet", "cnn") for size in (64, 1024)]


def cnn_training(libs: dict, cases=GPU_CASES, rounds: int = 5, budget: float = 1.0,
                 progress=print) -> list:
    """The tutorial CNNs' training step on the GPU, ours against torch in the same run:
    [{model, batch, times, ratio}] with ratio = our seconds per step / torch's (None when a
    library has no GPU here). Each clock reading follows the library's cuda.synchronize()."""
    rows = []
    for model, size in cases:
        found = contestants(libs, model, size, train=True)
        if not found:
            progress(f"{model} batch {size}: no library sees a GPU")
            continue
        times = interleave(found, rounds, budget)
        both = "ours-cuda" in times and "torch-cuda" in times
        row = {"model": model, "batch": size, "times": times,
               "ratio": ratio(times, "ours-cuda", "torch-cuda") if both else None}
        rows.append(row)
        progress(f"train {model} batch {size}: " + ", ".join(
            f"{name} {1e3 * t['median']:.2f} ms" for name, t in times.items())
            + (f", ours/torch {row['ratio']:.2f}" if both else ""))
    return rows


def main(argv=None) -> list:
    """`python -m benchmarks.gpu [--out FILE] [--quick]`: the GPU table, optionally as JSON."""
    import argparse  # noqa: PLC0415
    import json  # noqa: PLC0415

    import torch  # noqa: PLC0415

    import tinygrad_edu  # noqa: PLC0415

    parser = argparse.ArgumentParser(description="tutorial CNN training steps on the GPU")
    parser.add_argument("--out", help="write the rows as JSON to this file")
    parser.add_argument("--quick", action="store_true", help="small batches, two rounds")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    cases = [("lenet", 8), ("cnn", 8)] if args.quick else GPU_CASES
    rows = cnn_training({"ours": tinygrad_edu, "torch": torch}, cases,
                        rounds=2 if args.quick else args.rounds,
                        budget=0.05 if args.quick else 1.0)
    if args.out:
        with open(args.out, "w") as file:
            json.dump(rows, file, indent=1)
    return rows


if __name__ == "__main__":
    main()
