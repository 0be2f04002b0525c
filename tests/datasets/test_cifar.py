"""CIFAR10 / CIFAR100 on tiny archives of the official format, downloaded from file:// URLs."""
from __future__ import annotations

import collections
import hashlib
import io
import pickle
import tarfile
from pathlib import Path

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu import transforms
from tinygrad_edu.datasets import CIFAR10, CIFAR100, extract_archive


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def fake_cifar(tmp_path: Path, base: type, sizes: dict, label_key: str, meta_key: str):
    """A subclass of `base` whose archive (built here, torchvision's format) is served from a
    file:// mirror, with the MD5s of these files; and the batches written, by name."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "build" / base.base_folder
    folder.mkdir(parents=True)
    batches = {}
    for name, count in sizes.items():
        batch = {"batch_label": f"fake {name}", label_key: rng.integers(0, 5, count).tolist(),
                 "data": rng.integers(0, 256, (count, 3072), dtype=np.uint8),
                 "filenames": [f"{name}_{i}.png" for i in range(count)]}
        (folder / name).write_bytes(pickle.dumps(batch, protocol=2))
        batches[name] = batch
    names = [f"class{i}" for i in range(5)]
    (folder / base.meta["filename"]).write_bytes(pickle.dumps({meta_key: names}, protocol=2))
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    with tarfile.open(mirror / base.filename, "w:gz") as tar:
        tar.add(folder, arcname=base.base_folder)
    train, test = (list(names) for names in (base.train_list, base.test_list))
    attributes = {
        "mirrors": [(tmp_path / "nowhere").as_uri() + "/", mirror.as_uri() + "/"],
        "tgz_md5": md5(mirror / base.filename),
        "train_list": [[name, md5(folder / name)] for name, _ in train],
        "test_list": [[name, md5(folder / name)] for name, _ in test],
        "meta": {**base.meta, "md5": md5(folder / base.meta["filename"])}}
    return type(base.__name__, (base,), attributes), batches


def refused(url):
    raise AssertionError(f"nothing should be fetched, but {url} was")


@pytest.fixture
def cifar10(tmp_path):
    sizes = {"data_batch_1": 3, "data_batch_2": 2, "data_batch_3": 1, "data_batch_4": 2,
             "data_batch_5": 1, "test_batch": 4}
    return fake_cifar(tmp_path, CIFAR10, sizes, "labels", "label_names")


def test_download_checks_unpacks_and_reads_the_batches(cifar10, tmp_path, capsys):
    dataset_class, batches = cifar10
    root = tmp_path / "data"
    train = dataset_class(str(root), train=True, download=True)
    printed = capsys.readouterr().out
    assert "nowhere" in printed and "Extracting" in printed
    names = [f"data_batch_{i}" for i in range(1, 6)]
    # torchvision: np.vstack(batches).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
    expected = np.vstack([batches[n]["data"] for n in names]).reshape(-1, 3, 32, 32)
    expected = expected.transpose((0, 2, 3, 1))
    assert train.data.dtype == np.uint8 and np.array_equal(train.data, expected)
    assert train.targets == sum((batches[n]["labels"] for n in names), [])
    assert train.classes == [f"class{i}" for i in range(5)] and train.class_to_idx["class3"] == 3
    image, target = train[4]
    assert np.array_equal(image, expected[4]) and target == train.targets[4]
    test = dataset_class(root, train=False, download=True, urlopen=refused)
    assert len(test) == 4 and test.targets == batches["test_batch"]["labels"]
    assert repr(test) == f"Dataset CIFAR10\n    Number of datapoints: 4\n    Root location: " \
                         f"{root}\n    Split: Test"


def test_items_through_to_tensor_equal_torchvisions(cifar10, tmp_path):
    dataset_class, _ = cifar10
    pipeline = transforms.Compose([transforms.RandomCrop(32, padding=4),
                                   transforms.RandomHorizontalFlip(p=0.0), transforms.ToTensor()])
    train = dataset_class(tmp_path / "data", download=True, transform=transforms.ToTensor())
    image, _ = train[1]
    theirs = torch.tensor(train.data[1]).permute(2, 0, 1).float().div(255)
    assert image.dtype == tinygrad_edu.float32 and np.array_equal(image.numpy(), theirs.numpy())
    train.transform = pipeline
    assert tuple(train[0][0].shape) == (3, 32, 32)


def test_missing_or_corrupted_files_are_errors(cifar10, tmp_path):
    dataset_class, _ = cifar10
    with pytest.raises(RuntimeError, match="Dataset not found or corrupted. You can use "
                                           "download=True to download it"):
        dataset_class(tmp_path / "data")
    dataset_class(tmp_path / "data", download=True)
    batch = tmp_path / "data" / CIFAR10.base_folder / "data_batch_2"
    batch.write_bytes(batch.read_bytes()[:-1])
    with pytest.raises(RuntimeError, match="Dataset not found or corrupted"):
        dataset_class(tmp_path / "data")
    tampered = type("CIFAR10", (dataset_class,), {"tgz_md5": "0" * 32})
    with pytest.raises(RuntimeError, match="checksum mismatch"):
        tampered(tmp_path / "other", download=True)


def test_cifar100_reads_fine_labels(tmp_path):
    dataset_class, batches = fake_cifar(tmp_path, CIFAR100, {"train": 3, "test": 2},
                                        "fine_labels", "fine_label_names")
    train = dataset_class(tmp_path / "data", download=True)
    assert train.targets == batches["train"]["fine_labels"] and len(train) == 3
    assert train.classes[0] == "class0"


def test_pickles_and_archives_from_outside_cannot_run_code(cifar10, tmp_path):
    dataset_class, _ = cifar10
    dataset_class(tmp_path / "data", download=True)
    meta = tmp_path / "data" / CIFAR10.base_folder / "batches.meta"
    meta.write_bytes(pickle.dumps({"label_names": collections.Counter()}, protocol=2))
    patched = type("CIFAR10", (dataset_class,),
                   {"meta": {**dataset_class.meta, "md5": md5(meta)}})
    with pytest.raises(pickle.UnpicklingError, match="refusing the global collections.Counter"):
        patched(tmp_path / "data")
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(RuntimeError, match="refusing to extract '../escaped.txt'"):
        extract_archive(evil, tmp_path / "target")
    assert not (tmp_path / "escaped.txt").exists()
