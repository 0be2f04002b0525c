"""The embedded sample, and the data lookup: explicit > $TINYGRAD_EDU_DATA > ./data > sample."""
from __future__ import annotations

import gzip
import hashlib
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu import datasets
from tinygrad_edu.datasets import MNIST, load_mnist_pkl, mnist_sample

PACKAGE = Path(tinygrad_edu.__file__).resolve().parent
SAMPLE = PACKAGE / "datasets" / "_sample"


def test_sample_shapes_dtypes_and_size():
    (x_train, y_train), (x_valid, y_valid), (x_test, y_test) = mnist_sample()
    for x, y, n in ((x_train, y_train, 8000), (x_valid, y_valid, 1000), (x_test, y_test, 1000)):
        assert x.shape == (n, 784) and x.dtype == np.uint8
        assert y.shape == (n,) and y.dtype == np.int64
        assert set(np.unique(y)) == set(range(10))
    assert x_train.max() == 255 and x_train.flags.writeable
    size = sum(path.stat().st_size for path in SAMPLE.glob("*.gz"))
    assert size <= 2 * 1024 * 1024
    x_train[:] = 0  # each call gets its own arrays
    assert mnist_sample()[0][0].max() == 255


def test_sample_is_the_shared_data(shared_data):
    """Byte for byte the shared IDX files; as floats exactly the tutorial's mnist.pkl.gz."""
    for path in SAMPLE.glob("*.gz"):
        shared = shared_data / "mnist" / "raw" / path.name
        assert hashlib.sha256(path.read_bytes()).digest() == \
            hashlib.sha256(shared.read_bytes()).digest()
    with gzip.open(shared_data / "mnist" / "mnist.pkl.gz", "rb") as file:
        expected = pickle.load(file, encoding="latin-1")
    for (x, y), (ex, ey) in zip(mnist_sample(), expected):
        assert np.array_equal(x.astype(np.float32) / np.float32(255), ex)
        assert np.array_equal(y, ey)


def test_build_script_check_passes():
    result = subprocess.run([sys.executable, str(SAMPLE / "build.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "checksums and headers as expected" in result.stdout
    assert "CC BY-SA 3.0" in (SAMPLE / "README.md").read_text()


def test_sample_loads_offline_from_package_files_only(tmp_path):
    """In a fresh interpreter with no network: every file opened lies inside the package or the
    Python installation, and the data arrive."""
    script = textwrap.dedent(f"""
        import sys
        import tinygrad_edu
        from tinygrad_edu.datasets import MNIST, mnist_sample
        opened = []
        def audit(event, args):
            if event.startswith("socket."):
                raise OSError("network disabled for this test")
            if event == "open" and isinstance(args[0], str):
                opened.append(args[0])
        sys.addaudithook(audit)
        (x, y), _, _ = mnist_sample()
        train = MNIST()
        allowed = ({str(PACKAGE)!r}, sys.prefix, sys.base_prefix, "/dev/")
        outside = [p for p in opened if not p.startswith(allowed)]
        print(x.shape, len(train), outside)
    """)
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent)}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(8000, 784) 9000 []"
    assert result.stderr.count("\n") == 1 and "using the embedded sample" in result.stderr


# ----------------------------------------------------------------------------- lookup order

@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """Run in an empty folder with TINYGRAD_EDU_DATA unset."""
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def layout(root: Path, count: int) -> Path:
    """A torchvision-style MNIST folder with `count` blank test digits labelled 3."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    datasets.write_idx(raw / "t10k-images-idx3-ubyte.gz", np.zeros((count, 28, 28), np.uint8))
    datasets.write_idx(raw / "t10k-labels-idx1-ubyte", np.full(count, 3, np.uint8))
    return root


def test_lookup_falls_back_to_the_sample_with_one_line(nowhere, capsys):
    assert len(MNIST(train=False)) == 1000
    notice = capsys.readouterr().err
    assert notice.count("\n") == 1
    assert notice.startswith("tinygrad_edu: no MNIST files in ./data; using the embedded sample")
    splits = load_mnist_pkl()
    assert [x.dtype for x, _ in splits] == [np.float32] * 3
    assert "no mnist.pkl.gz in ./data" in capsys.readouterr().err


def test_lookup_prefers_data_then_env_then_explicit(nowhere, monkeypatch, capsys):
    layout(nowhere / "data", 5)
    found = MNIST(train=False)
    assert len(found) == 5 and found.root == "data"
    monkeypatch.setenv(datasets.DATA_ENV, str(layout(nowhere / "env", 7)))
    assert len(MNIST(train=False)) == 7
    assert len(MNIST(root=layout(nowhere / "explicit", 9), train=False)) == 9
    assert capsys.readouterr().err == ""  # no notice when real files are found


def test_lookup_finds_the_tutorial_pickle(nowhere, monkeypatch):
    folder = nowhere / "data" / "mnist"
    folder.mkdir(parents=True)
    splits = tuple((np.full((2, 784), i, np.float32), np.arange(2)) for i in range(3))
    with gzip.open(folder / "mnist.pkl.gz", "wb") as file:
        pickle.dump(splits, file)
    assert load_mnist_pkl()[2][0][0, 0] == 2
    monkeypatch.setenv(datasets.DATA_ENV, str(nowhere / "empty"))
    assert load_mnist_pkl()[1][0][0, 0] == 1  # an env folder without it: ./data is next


def test_explicit_root_does_not_fall_back(nowhere):
    with pytest.raises(RuntimeError, match="Dataset not found"):
        MNIST(root=nowhere / "typo")
