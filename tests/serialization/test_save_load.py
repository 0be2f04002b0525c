"""tinygrad_edu.save / load among themselves: round trips, atomic writes, safety, map_location,
and the files older versions wrote."""
from __future__ import annotations

import io
import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu import _pickle, backend, nn, serialization
from tinygrad_edu.tensor import _rebuild_tensor


def round_trip(obj, tmp_path, **load_kwargs):
    path = tmp_path / "object.pt"
    tinygrad_edu.save(obj, path)
    return tinygrad_edu.load(path, **load_kwargs)


def test_tensors_keep_values_dtype_and_requires_grad(tmp_path):
    tensors = [tinygrad_edu.randn(3, 4), tinygrad_edu.arange(5), tinygrad_edu.tensor(2.5),
               tinygrad_edu.ones(2, dtype=tinygrad_edu.float64, requires_grad=True),
               tinygrad_edu.tensor([True, False]), tinygrad_edu.randn(4, 6)[:, ::2]]
    loaded = round_trip(tensors, tmp_path)
    for before, after in zip(tensors, loaded):
        assert type(after) is tinygrad_edu.Tensor
        assert after.dtype is before.dtype and after.shape == before.shape
        assert after.requires_grad == before.requires_grad
        assert np.array_equal(after.detach().numpy(), before.detach().numpy())


def test_state_dict_round_trip_loads_into_a_model(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    model[1].running_mean.fill_(0.5)
    state = round_trip(model.state_dict(), tmp_path)
    assert isinstance(state, OrderedDict) and list(state) == list(model.state_dict())
    assert state._metadata == model.state_dict()._metadata
    fresh = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    assert repr(fresh.load_state_dict(state)) == "<All keys matched successfully>"
    assert tinygrad_edu.equal(fresh[0].weight, model[0].weight)
    assert fresh[1].running_mean[0].item() == 0.5


def test_nested_containers_and_parameters(tmp_path):
    param = nn.Parameter(tinygrad_edu.randn(2, 2))
    obj = {"epoch": 3, "loss": 0.25, "name": "cnn", "none": None, "shape": (1, 2),
           "items": [param, {"inner": tinygrad_edu.zeros(1)}], "flags": {True, False}}
    loaded = round_trip(obj, tmp_path)
    assert {k: v for k, v in loaded.items() if k != "items"} == \
        {k: v for k, v in obj.items() if k != "items"}
    assert type(loaded["items"][0]) is nn.Parameter and loaded["items"][0].requires_grad
    assert tinygrad_edu.equal(loaded["items"][0], param)
    assert loaded["items"][1]["inner"].shape == (1,)


def test_parameter_pickles_as_a_parameter_for_the_restricted_loader():
    # the older format's pickling of a Parameter (plain pickle.dumps still uses it)
    param = nn.Parameter(tinygrad_edu.randn(3), requires_grad=False)
    loaded = _pickle.restricted_load(io.BytesIO(pickle.dumps(param)))
    assert type(loaded) is nn.Parameter and not loaded.requires_grad
    assert tinygrad_edu.equal(loaded, param)


def test_optimizer_state_dict_round_trip(tmp_path):
    model = nn.Linear(3, 2)
    optimizer = tinygrad_edu.optim.Adam(model.parameters(), lr=0.1)
    model(tinygrad_edu.randn(4, 3)).sum().backward()
    optimizer.step()
    state = round_trip(optimizer.state_dict(), tmp_path)
    fresh = tinygrad_edu.optim.Adam(nn.Linear(3, 2).parameters(), lr=0.5)
    fresh.load_state_dict(state)
    assert fresh.param_groups[0]["lr"] == 0.1
    saved = optimizer.state_dict()["state"][0]
    for key, value in state["state"][0].items():
        expected = saved[key]
        assert np.array_equal(np.asarray(value), np.asarray(expected)), key


def test_file_objects_and_the_package_names(tmp_path):
    buffer = io.BytesIO()
    serialization.save([tinygrad_edu.ones(2)], buffer)
    buffer.seek(0)
    assert tinygrad_edu.load(buffer)[0].tolist() == [1.0, 1.0]
    assert tinygrad_edu.save is serialization.save and tinygrad_edu.load is serialization.load
    tinygrad_edu.save(tinygrad_edu.ones(1), str(tmp_path / "as_text.pt"))
    assert tinygrad_edu.load(str(tmp_path / "as_text.pt")).item() == 1.0
    with open(tmp_path / "f.pt", "wb") as file:
        tinygrad_edu.save({"a": 1}, file)
    with open(tmp_path / "f.pt", "rb") as file:
        assert tinygrad_edu.load(file) == {"a": 1}


class Payload:
    """Not data: a weights-only load must refuse to rebuild it."""

    def __init__(self, value):
        self.value = value


def test_weights_only_refuses_other_globals_by_name(tmp_path):
    path = tmp_path / "model.pt"
    tinygrad_edu.save({"model": nn.Linear(2, 2), "payload": Payload(1)}, path)
    with pytest.raises(pickle.UnpicklingError,
                       match="Unsupported global: GLOBAL tinygrad_edu.nn.modules.linear.Linear"):
        tinygrad_edu.load(path)
    loaded = tinygrad_edu.load(path, weights_only=False)
    assert isinstance(loaded["model"], nn.Linear) and loaded["payload"].value == 1
    with open(path, "wb") as file:
        pickle.dump({"__tinygrad_edu__": 1, "object": os.system}, file)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL (posix|nt).system was not an allowed"):
        tinygrad_edu.load(path)


def test_files_of_other_formats_are_refused_clearly(tmp_path):
    path = tmp_path / "plain.pkl"
    with open(path, "wb") as file:
        pickle.dump({"weight": np.ones(2)}, file)
    with pytest.raises(RuntimeError, match="Invalid magic number; corrupt file"):
        tinygrad_edu.load(path)


def test_files_of_the_older_format_still_load(tmp_path):
    """Before the zip format, save wrote one pickle {"__tinygrad_edu__": 1, "object": obj}."""
    obj = {"weight": tinygrad_edu.randn(2, 3), "param": nn.Parameter(tinygrad_edu.ones(2)),
           "epoch": 4}
    path = tmp_path / "old.pt"
    with open(path, "wb") as file:
        pickle.dump({"__tinygrad_edu__": 1, "object": obj}, file, protocol=4)
    loaded = tinygrad_edu.load(path)
    assert tinygrad_edu.equal(loaded["weight"], obj["weight"]) and loaded["epoch"] == 4
    assert type(loaded["param"]) is nn.Parameter and loaded["param"].requires_grad
    with open(path, "wb") as file:
        pickle.dump({"__tinygrad_edu__": 1, "object": os.system}, file, protocol=4)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL (posix|nt).system was not an allowed"):
        tinygrad_edu.load(path)


class Unpicklable:
    def __reduce__(self):
        raise RuntimeError("cannot pickle this")


def test_interrupted_save_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "ckpt.pt"
    tinygrad_edu.save({"version": 1}, path)
    with pytest.raises(RuntimeError, match="cannot pickle this"):
        tinygrad_edu.save({"version": 2, "bad": Unpicklable()}, path)
    assert tinygrad_edu.load(path) == {"version": 1}
    assert os.listdir(tmp_path) == ["ckpt.pt"]


class SavedOnCuda:
    """Pickles like a tensor that lived on cuda:0, in the older format (to test loading on a
    CPU-only machine)."""

    def __reduce__(self):
        return (_rebuild_tensor, (np.arange(3.0), False, "cuda:0"))


def test_map_location_forms(tmp_path):
    path = tmp_path / "cuda.pt"
    with open(path, "wb") as file:
        pickle.dump({"__tinygrad_edu__": 1, "object": [SavedOnCuda()]}, file, protocol=4)
    if not backend.cuda_available():
        with pytest.raises(RuntimeError, match="use torch.load with map_location"):
            tinygrad_edu.load(path)
    for where in ("cpu", tinygrad_edu.device("cpu"), {"cuda:0": "cpu"}):
        (tensor,) = tinygrad_edu.load(path, map_location=where)
        assert tensor.device.type == "cpu" and tensor.tolist() == [0.0, 1.0, 2.0]
    seen = []

    def mapper(storage, location):
        seen.append(location)
        return storage * 2

    assert tinygrad_edu.load(path, map_location=mapper)[0].tolist() == [0.0, 2.0, 4.0]
    assert seen == ["cuda:0"]


def test_device_round_trip(tmp_path, device):
    tensor = tinygrad_edu.randn(3, device=device)
    path = tmp_path / "t.pt"
    tinygrad_edu.save(tensor, path)
    assert tinygrad_edu.load(path).device == tensor.device
    on_cpu = tinygrad_edu.load(path, map_location="cpu")
    assert on_cpu.device.type == "cpu"
    assert np.array_equal(on_cpu.numpy(), tensor.cpu().numpy())


def test_numpy_arrays_come_back_as_numpy_arrays(tmp_path):
    """As in torch.save, a NumPy array stays one; the weights-only loader admits NumPy's own
    globals (arrays, dtypes) and nothing else of NumPy's."""
    state = {"w": np.arange(6.0).reshape(2, 3), "n": np.int64(3), "t": np.dtype("float32")}
    loaded = round_trip(state, tmp_path)
    assert type(loaded["w"]) is np.ndarray and np.array_equal(loaded["w"], state["w"])
    assert loaded["n"] == 3 and loaded["t"] == np.dtype("float32")
    path = tmp_path / "evil.pt"
    tinygrad_edu.save({"f": np.load}, path)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL numpy.*load was not an allowed"):
        tinygrad_edu.load(path)


# ----------------------------------------------------------------------------- bad paths
# Saving into a folder that does not exist names the folder the user gave, as torch does (not
# the temporary file that the atomic write would have used).

@pytest.mark.parametrize("parts", [("missing", "model.pt"), ("missing", "deeper", "x.pt")],
                         ids=str)
def test_save_into_a_missing_folder_names_the_users_path(tmp_path, parts, raises_as_torch):
    path = os.path.join(str(tmp_path), *parts)
    error = raises_as_torch(lambda lib: lib.save({"w": lib.ones(2)}, path),
                            f"Parent directory {os.path.dirname(path)} does not exist.")
    assert ".tmp-" not in str(error)
    assert os.listdir(tmp_path) == []


def test_save_under_a_relative_missing_folder_names_it_as_given(tmp_path, monkeypatch,
                                                                  raises_as_torch):
    monkeypatch.chdir(tmp_path)
    raises_as_torch(lambda lib: lib.save([1], os.path.join("nope", "x.pt")),
                    "Parent directory nope does not exist.")
    tinygrad_edu.save([1], "here.pt")  # the current folder needs no parent named
    assert tinygrad_edu.load("here.pt") == [1]
