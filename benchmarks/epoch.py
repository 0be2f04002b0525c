"""One epoch over 50,000 samples with DataLoader(shuffle=True): the loader alone, and the
tutorial's logistic and CNN trained for the whole epoch (batch 64), ours against torch.

The loader alone is compared with its floor, plain NumPy fancy indexing by a permutation:

    order = rng.permutation(n);  for each batch: x[order[i:i + 64]], y[order[i:i + 64]]

The data are Fashion-MNIST's first 50,000 training images when installed (same shape as
MNIST), else random data of that shape (common.mnist_shaped).
"""
from __future__ import annotations

import numpy as np

from . import models
from .common import clock, interleave, ratio

BATCH = 64


def numpy_loader(x, y, rng):
    def run(calls: int) -> float:
        start = clock()
        for _ in range(calls):
            order = rng.permutation(len(x))
            for i in range(0, len(x), BATCH):
                rows = order[i:i + BATCH]
                x[rows], y[rows]
        return (clock() - start) / calls
    return run


def library_loader(lib, x, y):
    data = lib.utils.data
    loader = data.DataLoader(data.TensorDataset(lib.from_numpy(x), lib.from_numpy(y)),
                             batch_size=BATCH, shuffle=True)

    def run(calls: int) -> float:
        start = clock()
        for _ in range(calls):
            for _batch in loader:
                pass
        return (clock() - start) / calls
    return run


def library_epoch(lib, name: str, x, y):
    """One epoch of the tutorial loop: model(xb), cross_entropy, backward, step, zero_grad."""
    data = lib.utils.data
    lib.manual_seed(0)
    model = models.build(lib, name)
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loader = data.DataLoader(data.TensorDataset(lib.from_numpy(x), lib.from_numpy(y)),
                             batch_size=BATCH, shuffle=True)
    shape = (-1, *models.INPUT_SHAPES[name])
    cross_entropy = lib.nn.functional.cross_entropy

    def run(calls: int) -> float:
        start = clock()
        for _ in range(calls):
            for xb, yb in loader:
                loss = cross_entropy(model(xb.view(shape)), yb)
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
        return (clock() - start) / calls
    return run


def run(config) -> dict:
    samples = 2048 if config.quick else 50000
    x, y, source = config.data(samples)
    ours, torch = config.libs["ours"], config.libs["torch"]
    rng = np.random.default_rng(0)
    loader = interleave({"numpy": numpy_loader(x, y, rng), "ours": library_loader(ours, x, y),
                         "torch": library_loader(torch, x, y)}, config.rounds, calls=1)
    result = {"samples": samples, "batch": BATCH, "data": source,
              "loader": {"times": loader, "ratios": {"ours/numpy": ratio(loader, "ours", "numpy"),
                                                     "torch/numpy": ratio(loader, "torch", "numpy"),
                                                     "ours/torch": ratio(loader, "ours", "torch")}}}
    config.progress(f"loader: ours/numpy {result['loader']['ratios']['ours/numpy']:.2f}")
    for name in ("logistic", "cnn"):
        times = interleave({"ours": library_epoch(ours, name, x, y),
                            "torch": library_epoch(torch, name, x, y)}, config.epoch_rounds,
                           calls=1)
        result[name] = {"times": times, "ratios": {"ours/torch": ratio(times, "ours", "torch")}}
        config.progress(f"epoch {name}: ours/torch {result[name]['ratios']['ours/torch']:.2f}")
    return result
