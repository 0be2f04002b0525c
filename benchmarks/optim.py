"""Speed of optimizer.step() against torch (CPU), measured side by side.

    python benchmarks/optim.py            # the default repetitions
    python benchmarks/optim.py --quick    # fewer, for a smoke run

The parameters are those of the torch.nn tutorial's MNIST CNN (three Conv2d, kernel 3:
1→16, 16→16, 16→10) and of an MLP 784-100-10, in float32, with fixed gradients. Each case
times `step()` in tinygrad_edu and in torch in interleaved blocks (a block of ours, a block of
torch's, ...) so both see the same machine load; the per-step time is the median over blocks.
For scale, a whole CNN training step (forward, backward, SGD step; batch 64 of 28×28 digits)
is timed too: the SGD-momentum step should be a small part of it (the target: < 15%).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

import tinygrad_edu  # noqa: E402

CNN_SHAPES = [(16, 1, 3, 3), (16,), (16, 16, 3, 3), (16,), (10, 16, 3, 3), (10,)]
MLP_SHAPES = [(100, 784), (100,), (10, 100), (10,)]
OPTIMIZERS = {"SGD(momentum=0.9)": ("SGD", {"lr": 0.1, "momentum": 0.9}),
              "Adam": ("Adam", {"lr": 1e-3})}


def make_step(lib, name: str, options: dict, shapes, seed: int = 0):
    """An optimizer over fresh parameters of `shapes` whose gradients are set once."""
    rng = np.random.default_rng(seed)
    params = []
    for shape in shapes:
        p = lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        p.grad = lib.tensor(rng.standard_normal(shape).astype(np.float32))
        params.append(p)
    optimizer = getattr(lib.optim, name)(params, **options)
    optimizer.step()  # creates the state, as the first training step would
    return optimizer.step


def cnn_training_step(lib, seed: int = 0):
    """forward + backward + SGD step of the tutorial CNN on one batch of 64."""
    nn, F = lib.nn, lib.nn.functional
    lib.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
                          nn.Conv2d(16, 16, 3, stride=2, padding=1), nn.ReLU(),
                          nn.Conv2d(16, 10, 3, stride=2, padding=1), nn.ReLU(),
                          nn.AvgPool2d(4), nn.Flatten())
    optimizer = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    rng = np.random.default_rng(seed)
    x = lib.tensor(rng.random((64, 1, 28, 28), dtype=np.float32))
    y = lib.tensor(rng.integers(0, 10, 64))

    def step():
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return step


def time_pair(ours, theirs, blocks: int, calls: int) -> tuple[float, float]:
    """Median seconds per call of each, over interleaved blocks of `calls` calls."""
    ours(), theirs()  # warm up
    timings = {ours: [], theirs: []}
    for _ in range(blocks):
        for function in (ours, theirs):
            start = time.perf_counter()
            for _ in range(calls):
                function()
            timings[function].append((time.perf_counter() - start) / calls)
    return statistics.median(timings[ours]), statistics.median(timings[theirs])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch's thread count (default: torch's own; on a busy machine "
                             "1 is fairer, as NumPy's small elementwise ops use one thread)")
    args = parser.parse_args()
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    blocks, calls = (5, 50) if args.quick else (15, 200)
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), numpy {np.__version__}")
    print(f"{'case':<40}{'ours':>12}{'torch':>12}{'ratio':>8}")

    def report(label, ours, theirs):
        print(f"{label:<40}{ours * 1e6:>10.1f}µs{theirs * 1e6:>10.1f}µs{ours / theirs:>8.2f}")

    results = {}
    for model, shapes in (("CNN", CNN_SHAPES), ("MLP 784-100-10", MLP_SHAPES)):
        for label, (name, options) in OPTIMIZERS.items():
            ours, theirs = time_pair(make_step(tinygrad_edu, name, options, shapes),
                                     make_step(torch, name, options, shapes), blocks, calls)
            results[(model, label)] = (ours, theirs)
            report(f"{label} step, {model}", ours, theirs)

    try:
        ours_train = cnn_training_step(tinygrad_edu)
    except (AttributeError, ImportError, NotImplementedError) as error:  # nn not there yet
        print(f"(our CNN training step not timed: {error})")
        ours_train = None
    their_train = cnn_training_step(torch)
    train_blocks, train_calls = max(3, blocks // 3), max(5, calls // 20)
    if ours_train is not None:
        ours_t, theirs_t = time_pair(ours_train, their_train, train_blocks, train_calls)
        report("CNN training step (batch 64)", ours_t, theirs_t)
    else:
        theirs_t = time_pair(their_train, their_train, train_blocks, train_calls)[1]
        ours_t = None
    sgd_ours, sgd_theirs = results[("CNN", "SGD(momentum=0.9)")]
    print(f"\nSGD-momentum step / torch's CNN training step: {sgd_ours / theirs_t:.1%} (ours), "
          f"{sgd_theirs / theirs_t:.1%} (torch's)")
    if ours_t is not None:
        print(f"SGD-momentum step / our CNN training step:    {sgd_ours / ours_t:.1%}")


if __name__ == "__main__":
    main()
