"""CIFAR-10 and CIFAR-100 (torchvision.datasets): 60,000 colour images of 32 x 32 pixels.

    train = CIFAR10("data", train=True, download=True, transform=transforms.ToTensor())
    image, label = train[0]          # a (3, 32, 32) float32 tensor and an int
    train.data, train.targets        # a uint8 NumPy array (50000, 32, 32, 3) and a list of ints
    train.classes                    # ['airplane', 'automobile', ...]

The files are the official "python version": a .tar.gz holding cifar-10-batches-py/ with
data_batch_1 .. data_batch_5, test_batch and batches.meta (CIFAR-100: cifar-100-python/ with
train, test and meta), each a pickled dict whose "data" is a uint8 array (N, 3072) of N images
in channel-major order. `download=True` fetches the archive, checks its MD5 and unpacks it under
root; every file's MD5 is checked before the data is read, as torchvision does. The pickles are
read with the restricted unpickler (arrays, numbers, strings and containers only): a pickle from
outside is code. `urlopen=` (ours, not torchvision's) replaces the network opener, for tests and
proxies; `mirrors` lists where the archive is looked for.

As our MNIST, `dataset[i]` gives the image as a uint8 (32, 32, 3) NumPy array rather than a PIL
image (no imaging library needed); the transforms take either.
"""
from __future__ import annotations

import os
from collections.abc import Callable

from .. import backend
from .._pickle import restricted_load
from .archive import download_and_extract_archive
from .download import md5_of
from .vision import StandardTransform, VisionDataset


def check_integrity(path: str, md5: str | None = None) -> bool:
    """Whether the file exists and (when an MD5 is given) has that MD5."""
    return os.path.isfile(path) and (md5 is None or md5_of(path) == md5)


class CIFAR10(VisionDataset):
    """CIFAR-10: 50,000 train and 10,000 test images in 10 classes."""

    base_folder = "cifar-10-batches-py"
    mirrors = ["https://www.cs.toronto.edu/~kriz/"]
    filename = "cifar-10-python.tar.gz"
    url = mirrors[0] + filename
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list = [["data_batch_1", "c99cafc152244af753f735de768cd75f"],
                  ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
                  ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
                  ["data_batch_4", "634d18415352ddfa80567beed471001a"],
                  ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"]]
    test_list = [["test_batch", "40351d587109b95175f43aff81a1287e"]]
    meta = {"filename": "batches.meta", "key": "label_names",
            "md5": "5ff9c542aee3614f3951f8cda6e48888"}

    def __init__(self, root: str | os.PathLike, train: bool = True,
                 transform: Callable | None = None, target_transform: Callable | None = None,
                 download: bool = False, urlopen: Callable | None = None) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download(urlopen=urlopen)
        if not self._check_integrity():
            raise RuntimeError("Dataset not found or corrupted. You can use download=True to "
                               "download it")
        batches, self.targets = [], []
        for filename, _ in self.train_list if self.train else self.test_list:
            entry = self._unpickle(filename)
            batches.append(entry["data"])
            self.targets.extend(entry["labels"] if "labels" in entry else entry["fine_labels"])
        xp = backend.get_array_module(batches[0])
        images = xp.concatenate(batches).reshape(-1, 3, 32, 32)
        self.data = xp.ascontiguousarray(images.transpose(0, 2, 3, 1))  # (N, H, W, C)
        self._load_meta()

    def _unpickle(self, filename: str):
        with open(os.path.join(self.root, self.base_folder, filename), "rb") as file:
            return restricted_load(file, encoding="latin1")

    def _load_meta(self) -> None:
        path = os.path.join(self.root, self.base_folder, self.meta["filename"])
        if not check_integrity(path, self.meta["md5"]):
            raise RuntimeError("Dataset metadata file not found or corrupted. You can use "
                               "download=True to download it")
        self.classes = self._unpickle(self.meta["filename"])[self.meta["key"]]
        self.class_to_idx = {name: index for index, name in enumerate(self.classes)}

    def __getitem__(self, index: int):
        """(image, target): the image a uint8 (32, 32, 3) NumPy array, the target an int."""
        image, target = self.data[index].copy(), self.targets[index]
        return StandardTransform.of(self)(image, target)

    def __len__(self) -> int:
        return len(self.data)

    def _check_integrity(self) -> bool:
        return all(check_integrity(os.path.join(self.root, self.base_folder, filename), md5)
                   for filename, md5 in self.train_list + self.test_list)

    def download(self, urlopen: Callable | None = None) -> None:
        """Fetch and unpack the archive under root, unless the files are there and intact."""
        if self._check_integrity():
            return
        download_and_extract_archive(self.filename, self.root, self.tgz_md5, self.mirrors,
                                     urlopen=urlopen)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"


class CIFAR100(CIFAR10):
    """CIFAR-100: the same images' format, in 100 classes ("fine" labels)."""

    base_folder = "cifar-100-python"
    filename = "cifar-100-python.tar.gz"
    url = CIFAR10.mirrors[0] + filename
    tgz_md5 = "eb9058c3a382ffc7106e4002c42a8d85"
    train_list = [["train", "16019d7e3df5f24ef7b4c1c4e8ba0b7e"]]
    test_list = [["test", "f0ef6b0ae62326f3e7ffdfab6717acfc"]]
    meta = {"filename": "meta", "key": "fine_label_names",
            "md5": "7973b15100ade9c7d40fb424638fde48"}
