"""examples/_common.py: the progress bar, the data helpers and the torch stand-ins for
torchvision that let one script run on both backends."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import _common  # noqa: E402 - lives beside the scripts, which import it the same way


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_off_a_terminal_writes_one_summary_line(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert list(_common.progress(range(5), "epoch 1")) == [0, 1, 2, 3, 4]
    [line] = err.getvalue().splitlines()
    assert line.startswith("epoch 1 [" + "#" * 30 + "] 5/5 ")


def test_progress_on_a_terminal_keeps_printed_lines_above_the_bar(monkeypatch):
    err, out = FakeTerminal(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    bar = _common.progress(range(4), "train")
    bar.draw = _counting(bar.draw, calls := [])
    for step in bar:
        print("step", step)
    assert out.getvalue() == "step 0\nstep 1\nstep 2\nstep 3\n"   # the prints, untouched
    assert sys.stdout is out                                      # restored after the loop
    assert len(calls) >= 4                        # redrawn after each printed line and at the end
    last = err.getvalue().split("\r")[-1]
    assert last.startswith("train [" + "#" * 30 + "] 4/4 ") and last.endswith("\n")


def test_progress_restores_stdout_when_the_loop_breaks(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    monkeypatch.setattr(sys, "stdout", out)
    loop = iter(_common.progress(range(10), "x"))
    next(loop)
    assert sys.stdout is not out
    loop.close()                                                  # what `break` leads to
    assert sys.stdout is out


def test_progress_without_a_length_counts_steps(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert sum(_common.progress(iter([1, 2, 3]), "stream")) == 6
    assert err.getvalue().startswith("stream 3 steps ")


def test_mnist_arrays_smoke_keeps_the_first_samples_of_each_split():
    args = _common.parse_args("", epochs=1, argv=["--smoke"])
    splits = _common.mnist_arrays(args, smoke_size=100)
    assert [x.shape for x, _ in splits] == [(100, 784)] * 3
    assert splits[0][0].dtype == np.float32 and splits[0][1].dtype == np.int64


def test_mnist_arrays_reads_the_pickle_from_a_data_folder(shared_data):
    args = _common.parse_args("", epochs=1, argv=["--data", str(shared_data)])
    (x_train, y_train), (x_valid, _), _ = _common.mnist_arrays(args)
    assert x_train.shape == (8000, 784) and x_valid.shape == (1000, 784)
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0 and set(np.unique(y_train)) == set(
        range(10))


def test_torch_stand_ins_for_torchvision_match_ours():
    torch = pytest.importorskip("torch")
    import tinygrad_edu
    args = _common.parse_args("", epochs=1, argv=["--smoke"])
    image = np.arange(28 * 28, dtype=np.uint8).reshape(28, 28)
    results = []
    for lib in (tinygrad_edu, torch):
        _, transforms = _common.vision(lib, args)
        transform = transforms.Compose([transforms.Pad(2), transforms.ToTensor(),
                                        transforms.Normalize((0.5,), (0.25,))])
        results.append(transform(image))
    ours, theirs = results
    assert isinstance(theirs, torch.Tensor) and theirs.dtype == torch.float32
    assert tuple(theirs.shape) == tuple(ours.shape) == (1, 32, 32)
    np.testing.assert_allclose(theirs.numpy(), ours.numpy(), rtol=1e-6)


def test_smoke_datasets_are_small_and_keep_their_classes():
    import tinygrad_edu
    args = _common.parse_args("", epochs=1, argv=["--smoke"])
    datasets, _ = _common.vision(tinygrad_edu, args)
    train = datasets.MNIST(train=True)
    assert len(train) == 64 and train.classes[0] == "0 - zero"
    image, label = train[63]
    assert image.shape == (28, 28) and 0 <= label <= 9
    with pytest.raises(IndexError):
        train[64]


def _counting(function, calls: list):
    def wrapper(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)
    return wrapper
