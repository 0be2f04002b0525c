"""The training data of the parity runs: MNIST as float32 (n, 784) arrays in [0, 1].

    (x_train, y_train), (x_valid, y_valid) = load_data()[:2]

`path` may be a .npz file of your own data (arrays `x` and `y`, and optionally `x_valid` and
`y_valid`; any shapes and dtypes, used as they are), the torch.nn tutorial's mnist.pkl.gz (or
any file in its format) or a folder holding MNIST's IDX files (torchvision's MNIST/raw layout,
or the four files directly). Without a path, the data lookup applies: $TINYGRAD_EDU_DATA, then
./data (a mnist.pkl.gz, or IDX files), and finally the 10,000 real digits embedded in
tinygrad_edu, so that a parity run needs no network and no set-up.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from tinygrad_edu.datasets import MNIST, load_mnist_pkl
from tinygrad_edu.datasets.lookup import search_roots


def _from_idx(folder) -> tuple:
    """(train, valid) from an IDX folder: the train file, and the t10k file as validation."""
    splits = []
    for train in (True, False):
        dataset = MNIST(folder, train=train)
        images = dataset.data.numpy().reshape(len(dataset), -1)
        splits.append((images.astype(np.float32) / np.float32(255),
                       dataset.targets.numpy().astype(np.int64)))
    return tuple(splits)


def load_npz(path) -> tuple:
    """((x, y),) or ((x, y), (x_valid, y_valid)) from a .npz file (no pickled objects)."""
    with np.load(path, allow_pickle=False) as arrays:
        missing = [key for key in ("x", "y") if key not in arrays.files]
        if missing:
            raise ValueError(f"{path}: a .npz for parity needs arrays 'x' and 'y' (one sample "
                             f"per row); it has {', '.join(arrays.files) or 'none'}")
        splits = [(arrays["x"], arrays["y"])]
        if "x_valid" in arrays.files and "y_valid" in arrays.files:
            splits.append((arrays["x_valid"], arrays["y_valid"]))
    return tuple(splits)


def load_data(path: str | os.PathLike | None = None) -> tuple:
    """((x_train, y_train), (x_valid, y_valid), ...): x float32 (n, 784), y int64 (n,) for
    MNIST; a .npz file's arrays as they are."""
    if path is not None:
        path = Path(path)
        if path.suffix == ".npz":
            return load_npz(path)
        if path.is_dir():
            return _from_idx(path)
        return load_mnist_pkl(path)
    for root in search_roots():
        if any((root / name).is_file() for name in ("mnist/mnist.pkl.gz", "mnist.pkl.gz")):
            return load_mnist_pkl(None)
        try:
            return _from_idx(root)
        except (RuntimeError, FileNotFoundError):
            continue  # no IDX files there either
    return load_mnist_pkl(None)  # announces the embedded sample on stderr and returns it
