"""save_file / load_file: state dicts in the safetensors format, read by PyTorch's safetensors."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu import nn

torch = pytest.importorskip("torch")
safetensors_torch = pytest.importorskip("safetensors.torch")


def test_state_dict_round_trip_and_torch_reads_it(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    model[1].num_batches_tracked.fill_(3)
    state = model.state_dict()
    path = tmp_path / "model.safetensors"
    tinygrad_edu.save_file(state, path, metadata={"epoch": "2"})
    loaded = tinygrad_edu.load_file(path)
    assert sorted(loaded) == sorted(state)  # the format orders them its own way
    fresh = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    assert repr(fresh.load_state_dict(loaded)) == "<All keys matched successfully>"
    theirs = safetensors_torch.load_file(str(path))
    twin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    twin.load_state_dict(theirs)
    for name, value in state.items():
        assert theirs[name].dtype == getattr(torch, value.dtype.name), name
        assert np.array_equal(theirs[name].numpy(), value.detach().numpy()), name


def test_torch_written_files_load_here(tmp_path):
    base = torch.arange(12.0).reshape(3, 4)
    path = tmp_path / "theirs.safetensors"
    safetensors_torch.save_file({"w": base, "ints": torch.arange(3)}, str(path))
    loaded = tinygrad_edu.load_file(path)
    assert loaded["w"].tolist() == base.tolist() and loaded["ints"].dtype is tinygrad_edu.int64


def test_non_contiguous_tensors_are_written_as_their_values(tmp_path):
    base = tinygrad_edu.arange(12.0).reshape(3, 4)
    path = tmp_path / "views.safetensors"
    tinygrad_edu.save_file({"t": base.t(), "cols": base[:, ::2]}, path)
    loaded = tinygrad_edu.load_file(path)
    assert loaded["t"].tolist() == base.t().tolist()
    assert loaded["cols"].tolist() == base[:, ::2].tolist()


def test_values_that_are_not_tensors_are_refused(tmp_path):
    with pytest.raises(TypeError, match="the value of 'lr' is a float, not a tensor"):
        tinygrad_edu.save_file({"lr": 0.1}, tmp_path / "x.safetensors")
