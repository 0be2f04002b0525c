"""Downloads, offline: a local file:// mirror and fake openers; failures leave no partial file."""
from __future__ import annotations

import hashlib
import io
import shutil

import pytest

from tinygrad_edu.datasets import MNIST, FashionMNIST, download_file

PAYLOAD = b"IDX bytes " * 1000
PAYLOAD_MD5 = hashlib.md5(PAYLOAD).hexdigest()


class FakeResponse(io.BytesIO):
    """What urlopen returns: a readable context manager."""


def opener(routes: dict):
    """A urlopen stand-in: routes maps URL -> bytes, or an exception to raise."""
    calls = []

    def urlopen(url):
        calls.append(url)
        outcome = routes.get(url, ConnectionError(f"no route to {url}"))
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome() if callable(outcome) else FakeResponse(outcome)

    urlopen.calls = calls
    return urlopen


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def test_first_good_mirror_wins(tmp_path, capsys):
    fetch = opener({"https://b/file.gz": PAYLOAD})
    path = download_file("file.gz", tmp_path / "raw", PAYLOAD_MD5, ["https://a/", "https://b/"],
                         urlopen=fetch)
    assert open(path, "rb").read() == PAYLOAD
    assert fetch.calls == ["https://a/file.gz", "https://b/file.gz"]
    assert leftovers(tmp_path / "raw") == ["file.gz"]
    assert "Downloading https://a/file.gz" in capsys.readouterr().out
    again = opener({})
    download_file("file.gz", tmp_path / "raw", PAYLOAD_MD5, ["https://a/"], urlopen=again)
    assert again.calls == []  # a verified file is not fetched again


def test_checksum_failure_names_every_url_and_leaves_nothing(tmp_path):
    fetch = opener({"https://a/file.gz": b"tampered", "https://b/file.gz": PAYLOAD[:-1]})
    folder = tmp_path / "data" / "MNIST" / "raw"
    with pytest.raises(RuntimeError) as info:
        download_file("file.gz", folder, PAYLOAD_MD5, ["https://a/", "https://b/"],
                      urlopen=fetch, quiet=True)
    message = str(info.value)
    assert "https://a/file.gz: ValueError: checksum mismatch" in message
    assert "https://b/file.gz: ValueError: checksum mismatch" in message
    assert f"put it in {folder}/" in message and PAYLOAD_MD5 in message
    assert leftovers(tmp_path) == []  # not even the folders it made


def test_network_failure_mid_stream_leaves_no_partial_file(tmp_path):
    class Dropping(FakeResponse):
        def read(self, size=-1):
            if self.tell() > 100:
                raise ConnectionResetError("connection reset by peer")
            return super().read(100)

    fetch = opener({"https://a/file.gz": lambda: Dropping(PAYLOAD)})
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "other.gz").write_bytes(b"kept")
    with pytest.raises(RuntimeError, match="https://a/file.gz: ConnectionResetError"):
        download_file("file.gz", folder, PAYLOAD_MD5, ["https://a/"], urlopen=fetch, quiet=True)
    assert leftovers(folder) == ["other.gz"]


def test_mnist_download_from_a_local_file_mirror(shared_data, tmp_path, monkeypatch, capsys):
    mirror = tmp_path / "mirror"
    shutil.copytree(shared_data / "mnist" / "raw", mirror)
    resources = [(path.name, hashlib.md5(path.read_bytes()).hexdigest())
                 for path in sorted(mirror.iterdir())]
    monkeypatch.setattr(MNIST, "resources", resources)
    monkeypatch.setattr(MNIST, "mirrors", [(tmp_path / "nowhere").as_uri() + "/",
                                           mirror.as_uri() + "/"])
    dataset = MNIST(root=tmp_path / "data", train=False, download=True)
    assert len(dataset) == 1000
    raw = tmp_path / "data" / "MNIST" / "raw"
    assert leftovers(raw) == sorted(name for name, _ in resources)
    assert capsys.readouterr().out.count("Downloading file://") == 8  # each file: 2 mirrors


def test_download_without_root_goes_to_data(shared_data, tmp_path, monkeypatch):
    mirror = shared_data / "mnist" / "raw"
    monkeypatch.setattr(MNIST, "resources", [(path.name, hashlib.md5(path.read_bytes())
                                              .hexdigest()) for path in sorted(mirror.iterdir())])
    monkeypatch.setattr(MNIST, "mirrors", [mirror.as_uri() + "/"])
    monkeypatch.delenv("TINYGRAD_EDU_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    dataset = MNIST(train=False, download=True)
    assert len(dataset) == 1000 and dataset.root == "data"
    assert len(leftovers(tmp_path / "data" / "MNIST" / "raw")) == 4


def test_download_copies_from_a_data_folder_without_the_network(shared_data, tmp_path,
                                                                monkeypatch, capsys):
    """MNIST(root, download=True) as the PyTorch examples call it, offline: the files found in
    $TINYGRAD_EDU_DATA are copied into root, and the test split then needs no download."""
    monkeypatch.setenv("TINYGRAD_EDU_DATA", str(shared_data))
    monkeypatch.chdir(tmp_path)
    fetch = opener({})
    train = MNIST(root="examples_data", train=True, download=True, urlopen=fetch)
    test = MNIST(root="examples_data", train=False)
    assert fetch.calls == [] and (len(train), len(test)) == (9000, 1000)
    raw = tmp_path / "examples_data" / "MNIST" / "raw"
    assert leftovers(raw) == sorted(path.name for path in (shared_data / "mnist" / "raw").iterdir())
    assert (raw / "t10k-labels-idx1-ubyte.gz").read_bytes() == \
        (shared_data / "mnist" / "raw" / "t10k-labels-idx1-ubyte.gz").read_bytes()
    assert f"copied the files from {shared_data / 'mnist' / 'raw'}" in capsys.readouterr().err

def test_mnist_download_failure_says_where_to_put_the_files(tmp_path, monkeypatch):
    monkeypatch.setattr(MNIST, "mirrors", ["https://mirror-one/", "https://mirror-two/"])
    with pytest.raises(RuntimeError) as info:
        MNIST(root=tmp_path / "data", download=True, urlopen=opener({}))
    message = str(info.value)
    assert "Error downloading train-images-idx3-ubyte.gz" in message
    for url in ("https://mirror-one/train-images-idx3-ubyte.gz",
                "https://mirror-two/train-images-idx3-ubyte.gz"):
        assert url in message
    assert str(tmp_path / "data" / "MNIST" / "raw") in message
    assert leftovers(tmp_path) == []


def test_published_mirrors_and_checksums():
    assert MNIST.mirrors == ["https://ossci-datasets.s3.amazonaws.com/mnist/",
                             "http://yann.lecun.com/exdb/mnist/"]
    assert FashionMNIST.mirrors == ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    names = [name for name, _ in MNIST.resources]
    assert names == [name for name, _ in FashionMNIST.resources] == [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    assert all(len(md5) == 32 for _, md5 in MNIST.resources + FashionMNIST.resources)
