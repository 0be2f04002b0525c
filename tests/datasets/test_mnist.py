"""MNIST / FashionMNIST / load_mnist_pkl on the real files; bad files fail loudly and early."""
from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu import datasets, transforms
from tinygrad_edu.datasets import MNIST, FashionMNIST, IDXError, load_mnist_pkl

SPLITS = {"train": 9000, "t10k": 1000}
FASHION = Path("/usr/share/datasets/fashion-mnist")


def published_sha256(shared_data: Path) -> dict[str, str]:
    """The SHA-256 values listed in the shared data README, by relative path."""
    text = (shared_data / "README.md").read_text()
    return {name: digest for digest, name in re.findall(r"([0-9a-f]{64})\s+(\S+)", text)}


def raw_files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "mnist" / "raw").glob("*-ubyte.gz"))


@pytest.fixture
def mnist_root(shared_data, tmp_path) -> Path:
    """torchvision's layout, root/MNIST/raw/, made of links to the shared files (checked)."""
    published = published_sha256(shared_data)
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for path in raw_files(shared_data):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == published[f"raw/{path.name}"], f"{path} is not the published file"
        (raw / path.name).symlink_to(path)
    return tmp_path


def independent(path: Path, header: int) -> np.ndarray:
    return np.frombuffer(gzip.open(path).read(), dtype=np.uint8, offset=header)


@pytest.mark.parametrize("train", [True, False])
def test_mnist_loads_exactly_the_shared_files(shared_data, mnist_root, train):
    split = "train" if train else "t10k"
    dataset = MNIST(root=mnist_root, train=train)
    raw = shared_data / "mnist" / "raw"
    images = independent(raw / f"{split}-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    labels = independent(raw / f"{split}-labels-idx1-ubyte.gz", 8)
    assert len(dataset) == SPLITS[split] == len(images)
    assert dataset.data.dtype == tinygrad_edu.uint8 and tuple(dataset.data.shape) == \
        (SPLITS[split], 28, 28)
    assert dataset.targets.dtype == tinygrad_edu.int64
    assert np.array_equal(dataset.data.numpy(), images)
    assert np.array_equal(dataset.targets.numpy(), labels)
    for index in (0, 17, SPLITS[split] - 1):  # a few samples through __getitem__
        image, target = dataset[index]
        assert isinstance(image, np.ndarray) and image.dtype == np.uint8 and image.shape == (28, 28)
        assert np.array_equal(image, images[index]) and target == int(labels[index])
        assert type(target) is int


def test_mnist_attributes_and_transforms(mnist_root):
    dataset = MNIST(root=mnist_root, transform=transforms.Compose([
        transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))]),
        target_transform=lambda t: t + 100)
    image, target = dataset[3]
    raw = dataset.data.numpy()[3].astype(np.float32) / np.float32(255)
    assert tuple(image.shape) == (1, 28, 28) and image.dtype == tinygrad_edu.float32
    assert np.allclose(image.numpy()[0], (raw - np.float32(0.1307)) / np.float32(0.3081))
    assert target == int(dataset.targets[3]) + 100
    assert dataset.classes[:2] == ["0 - zero", "1 - one"] and len(dataset.classes) == 10
    assert dataset.class_to_idx["9 - nine"] == 9
    assert dataset.raw_folder == os.path.join(str(mnist_root), "MNIST", "raw")
    assert repr(dataset).splitlines() == [
        "Dataset MNIST", "    Number of datapoints: 9000", f"    Root location: {mnist_root}",
        "    Split: Train", "    StandardTransform", "Transform: Compose(",
        "               ToTensor()", "               Normalize(mean=(0.1307,), std=(0.3081,))",
        "           )", "Target transform: " + repr(dataset.target_transform)]


def test_uncompressed_files_and_other_layouts_are_accepted(shared_data, tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for path in raw_files(shared_data):
        (raw / path.name.removesuffix(".gz")).write_bytes(gzip.open(path).read())
    assert len(MNIST(root=tmp_path, train=False)) == 1000
    assert len(MNIST(root=shared_data, train=False)) == 1000  # shared/data/mnist/raw
    assert len(MNIST(root=shared_data / "mnist" / "raw", train=False)) == 1000  # the folder


def test_data_loader_over_mnist(mnist_root):
    loader = tinygrad_edu.utils.data.DataLoader(
        MNIST(root=mnist_root, train=False, transform=transforms.ToTensor()), batch_size=256)
    images, labels = next(iter(loader))
    assert tuple(images.shape) == (256, 1, 28, 28) and labels.dtype == tinygrad_edu.int64
    assert len(loader) == 4


# ----------------------------------------------------------------------------- bad files

def copy_raw(shared_data: Path, root: Path) -> Path:
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for path in raw_files(shared_data):
        shutil.copy(path, raw / path.name)
    return raw


def test_truncated_gzip_is_named(shared_data, tmp_path):
    raw = copy_raw(shared_data, tmp_path)
    images = raw / "t10k-images-idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[:5000])
    with pytest.raises(IDXError, match=re.escape(f"{images}: the gzip stream is truncated")):
        MNIST(root=tmp_path, train=False)


def test_wrong_magic_number_is_named(shared_data, tmp_path):
    raw = copy_raw(shared_data, tmp_path)
    labels, images = raw / "t10k-labels-idx1-ubyte.gz", raw / "t10k-images-idx3-ubyte.gz"
    shutil.copy(labels, images)  # a label file where the images should be
    with pytest.raises(IDXError, match=re.escape(f"{images}: expected IDX images")):
        MNIST(root=tmp_path, train=False)


def test_count_mismatch_names_both_files(shared_data, tmp_path):
    raw = copy_raw(shared_data, tmp_path)
    labels = raw / "t10k-labels-idx1-ubyte.gz"
    datasets.write_idx(labels, independent(labels, 8)[:999])
    with pytest.raises(ValueError) as info:
        MNIST(root=tmp_path, train=False)
    assert str(info.value) == (f"{raw / 't10k-images-idx3-ubyte.gz'} holds 1000 images but "
                               f"{labels} holds 999 labels")


def test_missing_files_are_named(shared_data, tmp_path):
    raw = copy_raw(shared_data, tmp_path)
    (raw / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="but not t10k-labels-idx1-ubyte"):
        MNIST(root=tmp_path, train=False)
    with pytest.raises(RuntimeError, match="Dataset not found. You can use download=True"):
        MNIST(root=tmp_path / "empty")


# ----------------------------------------------------------------------------- mnist.pkl.gz

def test_load_mnist_pkl_matches_the_file(shared_data):
    path = shared_data / "mnist" / "mnist.pkl.gz"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == \
        published_sha256(shared_data)["mnist.pkl.gz"]
    with gzip.open(path, "rb") as file:  # the trusted file, read the tutorial's way
        expected = pickle.load(file, encoding="latin-1")
    splits = load_mnist_pkl(path)
    assert [len(x) for x, _ in splits] == [8000, 1000, 1000]
    for (x, y), (ex, ey) in zip(splits, expected):
        assert x.dtype == np.float32 and x.shape[1] == 784 and 0 <= x.min() and x.max() <= 1
        assert y.dtype == np.int64
        assert np.array_equal(x, ex) and np.array_equal(y, ey)


def test_load_mnist_pkl_refuses_code(tmp_path):
    class Payload:
        def __reduce__(self):
            return (os.system, ("echo owned > " + str(tmp_path / "owned"),))

    path = tmp_path / "evil.pkl.gz"
    with gzip.open(path, "wb") as file:
        pickle.dump(((np.zeros((1, 784), np.float32), Payload()),), file)
    with pytest.raises(pickle.UnpicklingError, match="refusing the global"):
        load_mnist_pkl(path)
    assert not (tmp_path / "owned").exists()


@pytest.mark.parametrize("content,problem", [
    (b"not gzip", "not a readable gzipped pickle"),
    (gzip.compress(pickle.dumps([1, 2])), "expected ((x_train, y_train), (x_valid, y_valid)"),
    (gzip.compress(pickle.dumps(((np.zeros((2, 3)), np.zeros(3)),))), "split 0 has images of"),
], ids=["not-gzip", "not-splits", "bad-shapes"])
def test_load_mnist_pkl_bad_files(tmp_path, content, problem):
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(content)
    with pytest.raises(ValueError) as info:
        load_mnist_pkl(path)
    assert str(info.value).startswith(str(path)) and problem in str(info.value)
    with pytest.raises(FileNotFoundError):
        load_mnist_pkl(tmp_path / "missing.pkl.gz")


# ----------------------------------------------------------------------------- Fashion-MNIST

@pytest.mark.skipif(not FASHION.is_dir(), reason="Debian's dataset-fashion-mnist package is not "
                    "installed (apt-get install dataset-fashion-mnist)")
def test_fashion_mnist_from_the_debian_package(tmp_path, monkeypatch):
    train = FashionMNIST(root=FASHION)
    test = FashionMNIST(root=FASHION, train=False)
    assert (len(train), len(test)) == (60000, 10000)
    assert tuple(train.data.shape) == (60000, 28, 28) and train.data.dtype == tinygrad_edu.uint8
    assert sorted(set(test.targets.tolist())) == list(range(10))
    labels = np.frombuffer(gzip.open(FASHION / "t10k-labels-idx1-ubyte.gz").read()[8:], np.uint8)
    assert np.array_equal(test.targets.numpy(), labels)
    assert train.classes[0] == "T-shirt/top" and train.classes[9] == "Ankle boot"
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert len(FashionMNIST(train=False)) == 10000  # found with no root at all


def test_fashion_mnist_has_no_sample(tmp_path, monkeypatch):
    monkeypatch.setattr(FashionMNIST, "system_folders", [])
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuntimeError, match="Dataset not found: no FashionMNIST files in ./data"):
        FashionMNIST()

