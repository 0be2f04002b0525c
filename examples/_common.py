"""What every example shares: the command line, the backend switch, the data, a progress bar.

Every script runs the same code on either library:

    python examples/08_mnist_from_scratch.py                      # tinygrad_edu (the default)
    python examples/08_mnist_from_scratch.py --backend torch      # the same code on PyTorch

because the tutorials' code only ever says `torch.<something>`, and `torch` is whichever module
`--backend` names (`importlib.import_module(args.backend)`). Data always comes from
`tinygrad_edu.datasets` as NumPy arrays (torchvision is not needed), then becomes tensors of the
chosen library.
"""
from __future__ import annotations

import argparse
import importlib
import math
import sys
import time
from pathlib import Path
from types import SimpleNamespace

BACKENDS = ("tinygrad_edu", "torch")


# ----------------------------------------------------------------------------- command line

def parse_args(description: str, epochs: int, plot: bool = False, render: bool = False,
               argv=None) -> argparse.Namespace:
    """The options every example takes (the script's docstring becomes its --help);
    `plot=True` adds --plot FILE for the scripts that draw their training curves, and
    `render=True` adds --render FILE for the one that draws a graph."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=BACKENDS, default="tinygrad_edu",
                        help="the library behind `torch` (default: tinygrad_edu)")
    parser.add_argument("--device", choices=("cpu", "cuda"), default=None,
                        help="where tensors live (default: cuda when available, else cpu)")
    parser.add_argument("--epochs", type=int, default=epochs,
                        help=f"passes over the data, or training steps (default: {epochs})")
    parser.add_argument("--smoke", action="store_true",
                        help="a quick run on a few batches, to check that everything works")
    parser.add_argument("--data", default=None,
                        help="mnist.pkl.gz, or a folder holding it or the IDX files "
                             "(default: $TINYGRAD_EDU_DATA, ./data, else the embedded sample)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    if plot:
        parser.add_argument("--plot", default=None, metavar="FILE",
                            help="save the loss/accuracy curves as an image (needs matplotlib)")
    if render:
        parser.add_argument("--render", default=None, metavar="FILE",
                            help="draw the graph into FILE (.svg, .png; needs Graphviz's dot)")
    return parser.parse_args(argv)


def load_backend(args: argparse.Namespace):
    """`torch` for the rest of the script: the module named by --backend, seeded."""
    torch = importlib.import_module(args.backend)
    torch.manual_seed(args.seed)
    return torch


def cuda_available(torch) -> bool:
    """torch.cuda.is_available(), also before tinygrad_edu grows its `cuda` module."""
    try:
        return torch.cuda.is_available()
    except (AttributeError, ModuleNotFoundError):
        from tinygrad_edu import backend
        return backend.cuda_available()


def get_device(torch, args: argparse.Namespace):
    """torch.device(args.device), or the tutorials' rule: cuda if available, else cpu."""
    name = args.device or ("cuda" if cuda_available(torch) else "cpu")
    if name == "cuda" and not cuda_available(torch):
        needs = " (it needs CuPy and an NVIDIA GPU: pip install -e '.[gpu]')" if (
            torch.__name__ == "tinygrad_edu") else ""
        sys.exit(f"--device cuda: {torch.__name__} finds no CUDA GPU here{needs}; "
                 "use --device cpu")
    return torch.device(name)


# ----------------------------------------------------------------------------- data

def mnist_arrays(args: argparse.Namespace, smoke_size: int = 512):
    """The tutorial's mnist.pkl.gz as NumPy: ((x_train, y_train), (x_valid, y_valid), test).

    x is float32 (n, 784) in [0, 1], y int64. --smoke keeps the first `smoke_size` samples of
    each split, so that the tutorial's loops run unchanged, just over less data.
    """
    from tinygrad_edu.datasets import load_mnist_pkl
    path = args.data
    if path is not None and Path(path).is_dir():
        found = [p for p in (Path(path) / "mnist.pkl.gz", Path(path) / "mnist" / "mnist.pkl.gz")
                 if p.is_file()]
        path = found[0] if found else None
    splits = load_mnist_pkl(path)
    if args.smoke:
        splits = tuple((x[:smoke_size], y[:smoke_size]) for x, y in splits)
    return splits


def vision(torch, args: argparse.Namespace):
    """(datasets, transforms) as torchvision would give them, for either backend.

    With tinygrad_edu these are its own `datasets` and `transforms`. With real torch (no
    torchvision here) they are thin stand-ins: our datasets read the files, and ToTensor /
    Normalize make torch tensors. MNIST's `root` defaults to --data when that is a folder, else
    (and always for Fashion-MNIST) the data lookup decides (tinygrad_edu/datasets/lookup.py).
    """
    import tinygrad_edu.datasets as our_datasets
    import tinygrad_edu.transforms as our_transforms
    if torch.__name__ == "tinygrad_edu":
        transforms = torch.transforms
    else:
        transforms = SimpleNamespace(
            Compose=_Compose,
            ToTensor=lambda: lambda image: torch.from_numpy(image).float().div(255).unsqueeze(0),
            Normalize=lambda mean, std: lambda x: (x - mean[0]) / std[0],
            Pad=our_transforms.Pad)  # ours works on NumPy images, before ToTensor

    def dataset(cls):
        def make(root=None, train=True, download=False, transform=None):
            if root is None and cls is our_datasets.MNIST and args.data is not None and Path(
                    args.data).is_dir():
                root = args.data  # --data names MNIST; Fashion-MNIST is looked up as usual
            data = cls(root=root, train=train, download=download, transform=transform)
            if args.smoke:
                data = Smoke(data, 64 if train else 32)
            return data
        return make

    datasets = SimpleNamespace(MNIST=dataset(our_datasets.MNIST),
                               FashionMNIST=dataset(our_datasets.FashionMNIST))
    return datasets, transforms


class _Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, image):
        for transform in self.transforms:
            image = transform(image)
        return image


class Smoke:
    """The first `size` samples of a dataset (what --smoke trains on); keeps `classes`."""

    def __init__(self, dataset, size: int) -> None:
        self.dataset, self.size = dataset, min(size, len(dataset))
        self.classes = dataset.classes

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int):
        if index >= self.size:
            raise IndexError(index)
        return self.dataset[index]


# ----------------------------------------------------------------------------- progress bar

class progress:  # noqa: N801 - used like a function, as tqdm is
    """`for xb, yb in progress(train_dl, "epoch 1"):` draws a text bar on stderr.

    On a terminal the bar is redrawn in place, and lines printed inside the loop appear above it
    (stdout is wrapped for the loop's duration). Elsewhere (a log file, a test) it writes one
    summary line at the end, so logs stay readable.
    """

    width = 30

    def __init__(self, iterable, desc: str = "", total: int | None = None) -> None:
        self.iterable, self.desc = iterable, desc
        self.total = total if total is not None else _length(iterable)
        self.live = sys.stderr.isatty()

    def __iter__(self):
        self.count, self.start, self.drawn_at = 0, time.perf_counter(), 0.0
        stdout = sys.stdout
        if self.live:
            sys.stdout = _AboveTheBar(stdout, self)
        try:
            for item in self.iterable:
                yield item
                self.count += 1
                if self.live and time.perf_counter() - self.drawn_at > 0.1:
                    self.draw()
        finally:
            sys.stdout = stdout
            self.draw(final=True)

    def line(self) -> str:
        seconds = time.perf_counter() - self.start
        if self.total:
            filled = int(self.width * self.count / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            return f"{self.desc} [{bar}] {self.count}/{self.total} {seconds:.1f}s"
        return f"{self.desc} {self.count} steps {seconds:.1f}s"

    def draw(self, final: bool = False) -> None:
        self.drawn_at = time.perf_counter()
        if self.live:
            sys.stderr.write("\r" + self.line() + ("\n" if final else ""))
        elif final:
            sys.stderr.write(self.line() + "\n")
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r" + " " * len(self.line()) + "\r")


class _AboveTheBar:
    """stdout while a bar is live: erase the bar, write the text, draw the bar again."""

    def __init__(self, stream, bar: progress) -> None:
        self.stream, self.bar = stream, bar

    def write(self, text: str) -> int:
        self.bar.clear()
        written = self.stream.write(text)
        self.stream.flush()
        if text.endswith("\n"):
            self.bar.draw()
        return written

    def __getattr__(self, name):
        return getattr(self.stream, name)


def _length(iterable) -> int | None:
    try:
        return len(iterable)
    except TypeError:
        return None


def fmt(value: float) -> str:
    """A loss for printing: 4 significant digits, as the tutorials' outputs read."""
    return "nan" if math.isnan(value) else f"{value:.4f}"


def ascii_digit(pixels, width: int = 28) -> str:
    """A 28 x 28 image in [0, 1] as text (where the tutorial calls pyplot.imshow)."""
    shades = " .:-=+*#%@"
    rows = [pixels[i:i + width] for i in range(0, len(pixels), width)]
    return "\n".join("".join(shades[min(int(v * len(shades)), len(shades) - 1)] for v in row)
                     for row in rows)
