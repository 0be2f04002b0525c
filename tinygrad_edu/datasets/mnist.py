"""MNIST and Fashion-MNIST (torchvision.datasets), and the tutorial's mnist.pkl.gz.

    train = MNIST("data", train=True, download=True, transform=transforms.ToTensor())
    image, label = train[0]          # a (1, 28, 28) float32 tensor and an int
    train.data, train.targets        # uint8 (N, 28, 28) and int64 (N,) tensors

The files are torchvision's: `root/MNIST/raw/train-images-idx3-ubyte.gz` and its three siblings
(gzipped or not). A folder holding the four files directly (as Debian's dataset-fashion-mnist
package installs them) works as `root` too. With `root=None` the data is looked up (see
lookup.py), ending with the embedded 10,000-digit sample for MNIST; `download=True` then fetches
into the first folder searched instead. With a root, `download=True` copies the files from
a folder searched (when one holds them) before it tries the network: offline runs of
torchvision programs. `urlopen=` (ours, not torchvision's) replaces the
network opener, for tests and proxies.

Unlike torchvision, `dataset[i]` gives the image as a uint8 (28, 28) NumPy array rather than a
PIL image (no imaging library needed); `transforms.ToTensor` accepts either.
"""
from __future__ import annotations

import gzip
import os
import pickle
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path

from .. import arrays, dtypes
from .._pickle import restricted_load
from ..tensor import Tensor
from ..utils.data import Dataset
from .download import download_file
from .idx import read_image_file, read_label_file
from .lookup import SAMPLE_FOLDER, describe, mnist_sample, notice, search_roots


class MNIST(Dataset):
    """The MNIST handwritten digits: 60,000 train and 10,000 test images of 28 x 28 pixels."""

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/",
               "http://yann.lecun.com/exdb/mnist/"]
    resources = [("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                 ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                 ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                 ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")]
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]
    system_folders: list[str] = []  # where an OS package may have put the files
    has_sample = True               # the embedded sample stands in when nothing is found

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False, urlopen: Callable | None = None) -> None:
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        if root is None:
            root, folder = self._look_up(download)
        else:
            folder = self._find_files(Path(root))
        self.root = os.fspath(root)
        if folder is None and download:
            self.download(urlopen=urlopen)
            folder = self._find_files(Path(root))
        if folder is None:
            image_file, label_file = self._split_files()
            raise RuntimeError(f"Dataset not found. You can use download=True to download it "
                               f"(looked for {image_file}[.gz] and {label_file}[.gz] in "
                               f"{self.raw_folder})")
        images, labels = self._load(folder)
        self.data = Tensor._make(images)
        self.targets = Tensor._make(labels)

    # ------------------------------------------------------------------------- finding files
    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: index for index, name in enumerate(self.classes)}

    def _split_files(self) -> tuple[str, str]:
        prefix = "train" if self.train else "t10k"
        return f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"

    def _find_files(self, root: Path) -> Path | None:
        """The folder under `root` holding this split's files (torchvision's layout first)."""
        name = type(self).__name__
        for folder in (root / name / "raw", root / name.lower() / "raw", root):
            found = [self._file_in(folder, stem) for stem in self._split_files()]
            if all(found):
                return folder
            if any(found):
                missing = self._split_files()[found.index(None)]
                raise FileNotFoundError(f"{folder}: found {found[0] or found[1]} but not "
                                        f"{missing} (nor {missing}.gz)")
        return None

    @staticmethod
    def _file_in(folder: Path, stem: str) -> Path | None:
        for candidate in (folder / stem, folder / f"{stem}.gz"):
            if candidate.is_file():
                return candidate
        return None

    def _look_up(self, download: bool) -> tuple[Path, Path | None]:
        """(root, folder with the files) when no root is given: the search roots, then the
        system folders; else the first search root to download into; else the sample."""
        name = type(self).__name__
        places = [*search_roots(), *map(Path, self.system_folders)]
        for root in places:
            folder = self._find_files(root)
            if folder is not None:
                return root, folder
        if download:
            return search_roots()[0], None
        looked = describe(places)
        if not self.has_sample:
            raise RuntimeError(f"Dataset not found: no {name} files in {looked}. Use "
                               "download=True, or put the IDX files in one of those folders")
        notice(f"no {name} files in {looked}; using the embedded sample of 10,000 real digits "
               "(9,000 train / 1,000 test)")
        return SAMPLE_FOLDER, SAMPLE_FOLDER

    def download(self, urlopen: Callable | None = None) -> None:
        """Fetch the four files into raw_folder, trying each mirror, checking each MD5. A data
        folder searched when no root is given that holds all four serves first: they are
        copied from there, so `MNIST(root, download=True)` works offline once they are found."""
        if self._copy_from_data_folder():
            return
        for filename, md5 in self.resources:
            if self._file_in(Path(self.raw_folder), filename.removesuffix(".gz")) is None:
                download_file(filename, self.raw_folder, md5, self.mirrors, urlopen=urlopen)

    def _copy_from_data_folder(self) -> bool:
        stems = [filename.removesuffix(".gz") for filename, _ in self.resources]
        target = Path(self.raw_folder)
        name = type(self).__name__
        for root in [*search_roots(), *map(Path, self.system_folders)]:
            for folder in (root / name / "raw", root / name.lower() / "raw", root):
                found = [self._file_in(folder, stem) for stem in stems]
                if not all(found) or folder.resolve() == target.resolve():
                    continue
                target.mkdir(parents=True, exist_ok=True)
                for path in found:
                    shutil.copyfile(path, target / path.name)
                notice(f"{name}: copied the files from {folder} into {target}, not downloaded")
                return True
        return False

    # ------------------------------------------------------------------------- loading
    def _load(self, folder: Path):
        image_path, label_path = (self._file_in(folder, stem) for stem in self._split_files())
        images = read_image_file(image_path)
        labels = read_label_file(label_path)
        if len(images) != len(labels):
            raise ValueError(f"{image_path} holds {len(images)} images but {label_path} holds "
                             f"{len(labels)} labels")
        return images, labels

    def __getitem__(self, index: int):
        """(image, target): the image a uint8 (28, 28) NumPy array, the target an int."""
        image = self.data._data[index].copy()
        target = int(self.targets._data[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"

    def __repr__(self) -> str:
        body = [f"Number of datapoints: {len(self)}", f"Root location: {self.root}",
                *self.extra_repr().splitlines()]
        if self.transform is not None or self.target_transform is not None:
            body.append(_standard_transform_repr(self.transform, self.target_transform))
        return "\n".join([f"Dataset {type(self).__name__}"] + ["    " + line for line in body])


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 60,000 train and 10,000 test 28 x 28 images of clothing."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                 ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                 ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                 ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310")]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
    system_folders = ["/usr/share/datasets/fashion-mnist"]  # apt-get install dataset-fashion-mnist
    has_sample = False


def _standard_transform_repr(transform, target_transform) -> str:
    """torchvision's StandardTransform block of a dataset's repr."""
    lines = ["StandardTransform"]
    for head, value in (("Transform: ", transform), ("Target transform: ", target_transform)):
        if value is not None:
            parts = repr(value).splitlines()
            lines += [head + parts[0]] + [" " * len(head) + part for part in parts[1:]]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- mnist.pkl.gz

def load_mnist_pkl(path: str | os.PathLike | None = None):
    """The torch.nn tutorial's mnist.pkl.gz: ((x_train, y_train), (x_valid, y_valid), (x_test,
    y_test)), x float32 (n, 784) in [0, 1], y int64 (n,).

    The file is unpickled with a restricted loader (a pickle from outside is code): only arrays,
    numbers and containers are admitted. With `path=None` it is looked for as mnist/mnist.pkl.gz
    or mnist.pkl.gz in $TINYGRAD_EDU_DATA and ./data; failing that, the embedded sample is used.
    """
    if path is None:
        for root in search_roots():
            for candidate in (root / "mnist" / "mnist.pkl.gz", root / "mnist.pkl.gz"):
                if candidate.is_file():
                    return load_mnist_pkl(candidate)
        looked = describe(search_roots())
        notice(f"no mnist.pkl.gz in {looked}; using the embedded sample of 10,000 real digits "
               "(8,000 train / 1,000 valid / 1,000 test)")
        float32 = dtypes.float32.numpy
        return tuple((images.astype(float32) / float32.type(255), labels)
                     for images, labels in mnist_sample())
    path = os.fspath(path)
    try:
        with gzip.open(path, "rb") as file:
            splits = restricted_load(file, encoding="latin-1")
    except FileNotFoundError:
        raise
    except pickle.UnpicklingError as error:
        raise pickle.UnpicklingError(f"{path}: {error}") from None
    except (EOFError, OSError, zlib.error) as error:
        raise ValueError(f"{path}: not a readable gzipped pickle ({error})") from None
    _check_splits(splits, path)
    return splits


def _check_splits(splits, path: str) -> None:
    if not isinstance(splits, (tuple, list)) or not all(
            isinstance(split, (tuple, list)) and len(split) == 2 for split in splits):
        raise ValueError(f"{path}: expected ((x_train, y_train), (x_valid, y_valid), ...) but "
                         f"found a {type(splits).__name__}")
    for position, (images, labels) in enumerate(splits):
        if not all(isinstance(array, arrays.NUMPY_ARRAY) for array in (images, labels)):
            raise ValueError(f"{path}: split {position} does not hold two NumPy arrays")
        if images.ndim != 2 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{path}: split {position} has images of shape {images.shape} and "
                             f"labels of shape {labels.shape}; expected (n, 784) and (n,)")
