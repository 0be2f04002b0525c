"""Where data comes from when no path is given, and the real digits embedded in the package.

The lookup order is

    1. an explicit path (`MNIST(root=...)`, `load_mnist_pkl(path)`): used as given, nothing else
       (but `MNIST(root, download=True)` copies the files from 2-3 when they are there)
    2. the folder named by the environment variable TINYGRAD_EDU_DATA
    3. ./data (the folder the PyTorch tutorials download into)
    4. the embedded sample, announced by a one-line notice on stderr (MNIST only; with
       `download=True` the files are fetched into the first folder of 2-3 instead)

so examples run with no set-up at all, and run on the full data as soon as it is put in place.

The embedded sample (`_sample/`, see its README) is 10,000 real MNIST digits in IDX files:
9,000 "train" and 1,000 "t10k" images, the very files of the shared data folder. `mnist_sample()`
splits them as the tutorial's mnist.pkl.gz does (8000 / 1000 / 1000), in uint8.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from .idx import read_image_file, read_label_file

DATA_ENV = "TINYGRAD_EDU_DATA"
SAMPLE_FOLDER = Path(__file__).resolve().parent / "_sample"
SAMPLE_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
TRAIN_SIZE, VALID_SIZE = 8000, 1000  # the sample's "train" file holds train, then valid


def search_roots() -> list[Path]:
    """The data folders to search when no path is given: $TINYGRAD_EDU_DATA, then ./data."""
    roots = []
    if os.environ.get(DATA_ENV):
        roots.append(Path(os.environ[DATA_ENV]))
    roots.append(Path("data"))
    return roots


def describe(places) -> str:
    """Folders for a message: relative ones as ./data, so they read as paths."""
    return ", ".join(str(place) if Path(place).is_absolute() else f"./{place}"
                     for place in places)


def notice(message: str) -> None:
    """One line on stderr: what was not found, and what is used instead."""
    print(f"tinygrad_edu: {message}", file=sys.stderr)


@functools.lru_cache(maxsize=1)
def _sample_arrays():
    arrays = [reader(SAMPLE_FOLDER / name) for reader, name in
              zip((read_image_file, read_label_file) * 2, SAMPLE_FILES)]
    for array in arrays:
        array.setflags(write=False)  # the cache is shared; callers get copies
    return tuple(arrays)


def mnist_sample():
    """The embedded 10,000 MNIST digits, split as the tutorial's mnist.pkl.gz, but in uint8:

        ((x_train, y_train), (x_valid, y_valid), (x_test, y_test))
        x: uint8 (n, 784), pixel values 0..255, each row a 28 x 28 image read row by row
        y: int64 (n,), the digit 0..9
        n: 8000, 1000, 1000

    `x / 255` in float32 is exactly the tutorial's float data. Needs no network and no file
    outside the package; each call returns fresh arrays.
    """
    train_images, train_labels, test_images, test_labels = _sample_arrays()
    images = train_images.reshape(len(train_images), -1)
    cut = TRAIN_SIZE
    return ((images[:cut].copy(), train_labels[:cut].copy()),
            (images[cut:cut + VALID_SIZE].copy(), train_labels[cut:cut + VALID_SIZE].copy()),
            (test_images.reshape(len(test_images), -1).copy(), test_labels.copy()))
