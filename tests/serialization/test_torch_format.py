"""Checkpoints between tinygrad_edu and PyTorch: ours read by torch.load, torch.save's read here."""
from __future__ import annotations

import io
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu import nn

torch = pytest.importorskip("torch")

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def ours_to_torch(obj, tmp_path, **kwargs):
    path = tmp_path / "ours.pt"
    tinygrad_edu.save(obj, path)
    return torch.load(path, **kwargs)


def torch_to_ours(obj, tmp_path, **kwargs):
    path = tmp_path / "theirs.pt"
    torch.save(obj, path, _use_new_zipfile_serialization=kwargs.pop("zip", True))
    return tinygrad_edu.load(path, **kwargs)


def element_offset(view: np.ndarray, base: np.ndarray) -> int:
    """Where `view` starts inside `base`, in elements (torch's storage_offset)."""
    start = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    return start // view.itemsize


def sample(dtype: str) -> np.ndarray:
    return (np.arange(12).reshape(3, 4) % 3 - 1).astype(dtype)


# ----------------------------------------------------------------------------- the file itself

def test_the_file_is_byte_for_byte_what_torch_writes(tmp_path):
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
    ours = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    ours.load_state_dict({k: tinygrad_edu.tensor(v.numpy()) for k, v in
                          theirs.state_dict().items()})
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    torch.save(theirs.state_dict(), tmp_path / "a" / "model.pt")
    tinygrad_edu.save(ours.state_dict(), tmp_path / "b" / "model.pt")
    theirs_zip = zipfile.ZipFile(tmp_path / "a" / "model.pt")
    ours_zip = zipfile.ZipFile(tmp_path / "b" / "model.pt")
    assert ours_zip.namelist() == theirs_zip.namelist()
    for a, b in zip(theirs_zip.infolist(), ours_zip.infolist()):
        assert (a.header_offset, a.file_size, a.flag_bits) == \
            (b.header_offset, b.file_size, b.flag_bits), a.filename
        if not a.filename.endswith("serialization_id"):
            assert theirs_zip.read(a) == ours_zip.read(b), a.filename
    serial = ours_zip.read("model/.data/serialization_id")
    assert len(serial) == 40 and serial.isdigit()
    a = (tmp_path / "a" / "model.pt").read_bytes()
    b = (tmp_path / "b" / "model.pt").read_bytes()
    assert len(a) == len(b)
    for info in ours_zip.infolist():
        assert (info.header_offset + 30 + len(info.filename) + 4) <= len(b)
    data = b[ours_zip.getinfo("model/data/0").header_offset:]
    offset = ours_zip.getinfo("model/data/0").header_offset + 30 + len("model/data/0") + \
        int.from_bytes(data[28:30], "little")
    assert offset % 64 == 0


def test_buffers_get_torchs_archive_name(tmp_path):
    buffer = io.BytesIO()
    tinygrad_edu.save({"w": tinygrad_edu.ones(2)}, buffer)
    assert zipfile.ZipFile(io.BytesIO(buffer.getvalue())).namelist()[0] == "archive/data.pkl"
    buffer.seek(0)
    assert torch.equal(torch.load(buffer)["w"], torch.ones(2))


# ----------------------------------------------------------------------------- values and dtypes

@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_both_ways(tmp_path, dtype):
    loaded = ours_to_torch({"x": tinygrad_edu.tensor(sample(dtype))}, tmp_path)["x"]
    assert loaded.dtype == getattr(torch, dtype) and np.array_equal(loaded.numpy(), sample(dtype))
    back = torch_to_ours({"x": torch.tensor(sample(dtype))}, tmp_path)["x"]
    assert back.dtype == getattr(tinygrad_edu, dtype)
    assert np.array_equal(back.numpy(), sample(dtype))


def test_bfloat16_comes_back_as_float32_with_a_warning(tmp_path):
    values = torch.tensor([1.5, -2.25, 3e38, 1e-40]).to(torch.bfloat16)
    with pytest.warns(UserWarning, match="bfloat16"):
        loaded = torch_to_ours({"x": values}, tmp_path)["x"]
    assert loaded.dtype is tinygrad_edu.float32
    assert np.array_equal(loaded.numpy(), values.float().numpy())


@pytest.mark.parametrize("dtype", ["complex64", "uint16"])
def test_dtypes_we_lack_get_a_clear_error(tmp_path, dtype):
    with pytest.raises(TypeError, match=f"dtype torch.{dtype}, which tinygrad_edu does not have"):
        torch_to_ours({"x": torch.zeros(2, dtype=getattr(torch, dtype))}, tmp_path)


def test_parameters_requires_grad_dtypes_devices_and_sizes(tmp_path):
    obj = {"p": nn.Parameter(tinygrad_edu.randn(3)),
           "frozen": nn.Parameter(tinygrad_edu.randn(2), requires_grad=False),
           "g": tinygrad_edu.ones(2, requires_grad=True), "dtype": tinygrad_edu.float64,
           "device": tinygrad_edu.device("cpu"), "size": tinygrad_edu.zeros(2, 3).shape}
    theirs = ours_to_torch(obj, tmp_path)
    assert type(theirs["p"]) is torch.nn.Parameter and theirs["p"].requires_grad
    assert type(theirs["frozen"]) is torch.nn.Parameter and not theirs["frozen"].requires_grad
    assert type(theirs["g"]) is torch.Tensor and theirs["g"].requires_grad
    assert theirs["dtype"] is torch.float64 and theirs["device"] == torch.device("cpu")
    assert type(theirs["size"]) is torch.Size and theirs["size"] == (2, 3)
    back = torch_to_ours(theirs, tmp_path)
    assert type(back["p"]) is nn.Parameter and back["p"].requires_grad
    assert type(back["frozen"]) is nn.Parameter and not back["frozen"].requires_grad
    assert back["g"].requires_grad and back["dtype"] is tinygrad_edu.float64
    assert back["device"] == tinygrad_edu.device("cpu") and back["size"] == (2, 3)
    assert np.array_equal(back["p"].detach().numpy(), obj["p"].detach().numpy())


def test_state_dict_keeps_torchs_metadata(tmp_path):
    def build(lib):
        return lib.nn.Sequential(lib.nn.Conv2d(1, 2, 3), lib.nn.BatchNorm2d(2))
    theirs = ours_to_torch(build(tinygrad_edu).state_dict(), tmp_path)
    assert type(theirs) is OrderedDict
    assert theirs._metadata == build(torch).state_dict()._metadata
    back = torch_to_ours(build(torch).state_dict(), tmp_path)
    assert back._metadata == build(torch).state_dict()._metadata


# ----------------------------------------------------------------------------- shared memory

def test_views_of_one_base_are_saved_once_and_share_memory_in_torch(tmp_path):
    base = tinygrad_edu.arange(24.0).reshape(4, 6)
    obj = {"base": base, "row": base[1], "cols": base[:, 1::2], "t": base.t(),
           "flat": base.view(-1)[5:]}
    theirs = ours_to_torch(obj, tmp_path)
    with zipfile.ZipFile(tmp_path / "ours.pt") as archive:
        assert [n for n in archive.namelist() if "/data/" in n] == ["ours/data/0"]
    pointer = theirs["base"].untyped_storage().data_ptr()
    for name, tensor in obj.items():
        mirror = theirs[name]
        assert mirror.untyped_storage().data_ptr() == pointer, name
        assert mirror.shape == tensor.shape and mirror.stride() == tensor.stride(), name
        assert mirror.storage_offset() == element_offset(tensor.numpy(), base.numpy()), name
        assert np.array_equal(mirror.numpy(), tensor.numpy()), name
    theirs["row"].fill_(-1.0)
    assert theirs["base"][1].eq(-1).all() and theirs["t"][:, 1].eq(-1).all()


def test_torchs_views_come_back_as_views(tmp_path):
    base = torch.arange(24.0).reshape(4, 6)
    obj = {"base": base, "row": base[1], "cols": base[:, 1::2], "t": base.t(),
           "narrow": base.view(-1)[5:17].view(3, 4), "expanded": base[0, :1].expand(3, 2)}
    ours = torch_to_ours(obj, tmp_path)
    for name, tensor in obj.items():
        assert ours[name].shape == tensor.shape and ours[name].stride() == tensor.stride()
        start = element_offset(ours[name].numpy(), ours["base"].numpy())
        assert start == tensor.storage_offset(), name
        assert np.array_equal(ours[name].numpy(), tensor.numpy()), name
        assert np.shares_memory(ours[name].numpy(), ours["base"].numpy()), name
    ours["row"].fill_(-1.0)
    assert ours["base"][1].eq(-1).all().item() and ours["t"][:, 1].eq(-1).all().item()
    assert not ours["cols"].is_contiguous() and ours["t"].stride() == (1, 6)


def test_torchs_legacy_format_with_views(tmp_path):
    base = torch.arange(10, dtype=torch.float64)
    obj = {"base": base, "tail": base[4:], "p": torch.nn.Parameter(torch.ones(2, 2)),
           "ints": torch.arange(3)}
    ours = torch_to_ours(obj, tmp_path, zip=False)
    assert np.array_equal(ours["tail"].numpy(), np.arange(4.0, 10.0))
    assert np.shares_memory(ours["tail"].numpy(), ours["base"].numpy())
    assert type(ours["p"]) is nn.Parameter and ours["ints"].dtype is tinygrad_edu.int64


# ----------------------------------------------------------------------------- map_location, mmap

def test_map_location_forms_on_a_torch_file(tmp_path):
    path = tmp_path / "theirs.pt"
    torch.save({"w": torch.arange(3.0)}, path)
    for where in (None, "cpu", tinygrad_edu.device("cpu"), {"cpu": "cpu"}):
        loaded = tinygrad_edu.load(path, map_location=where)["w"]
        assert loaded.device.type == "cpu" and loaded.tolist() == [0.0, 1.0, 2.0]
    seen = []

    def keep(storage, location):
        seen.append((location, storage.shape))
        return storage

    assert tinygrad_edu.load(path, map_location=keep)["w"].tolist() == [0.0, 1.0, 2.0]
    assert seen == [("cpu", (3,))]


def test_mmap_maps_the_records(tmp_path):
    path = tmp_path / "theirs.pt"
    base = torch.randn(5, 4)
    torch.save({"w": base, "v": base[2:]}, path)
    loaded = tinygrad_edu.load(path, mmap=True)
    assert np.array_equal(loaded["w"].numpy(), base.numpy())
    assert np.shares_memory(loaded["v"].numpy(), loaded["w"].numpy())
    loaded["w"].zero_()  # copy-on-write: the file keeps its values
    assert torch.equal(torch.load(path)["w"], base)
    with pytest.raises(ValueError, match="must be a file path"):
        tinygrad_edu.load(io.BytesIO(path.read_bytes()), mmap=True)
    ours = tmp_path / "ours.pt"
    tinygrad_edu.save({"w": tinygrad_edu.tensor(base.numpy())}, ours)
    assert torch.equal(torch.load(ours, mmap=True)["w"], base)


# ----------------------------------------------------------------------------- whole objects

def test_whole_objects_with_weights_only_false(tmp_path):
    model = nn.Linear(3, 2)
    theirs = ours_to_torch({"model": model, "epoch": 2}, tmp_path, weights_only=False)
    assert isinstance(theirs["model"], nn.Linear) and theirs["epoch"] == 2
    assert type(theirs["model"].weight) is torch.nn.Parameter
    assert np.array_equal(theirs["model"].weight.detach().numpy(), model.weight.detach().numpy())
    ours = tinygrad_edu.load(tmp_path / "ours.pt", weights_only=False)["model"]
    assert type(ours.weight) is nn.Parameter and tinygrad_edu.equal(ours.weight, model.weight)
    with pytest.raises(pickle.UnpicklingError, match="Unsupported global: GLOBAL tinygrad_edu"):
        torch.load(tmp_path / "ours.pt")
    torch.save(torch.nn.Linear(2, 2), tmp_path / "module.pt")
    with pytest.raises(pickle.UnpicklingError, match="needs torch.nn.modules.linear.Linear"):
        tinygrad_edu.load(tmp_path / "module.pt", weights_only=False)


class Trusted:
    def __init__(self, value):
        self.value = value


def test_safe_globals_admit_a_trusted_class(tmp_path):
    from tinygrad_edu import serialization
    path = tmp_path / "ours.pt"
    tinygrad_edu.save({"extra": Trusted(3), "w": tinygrad_edu.ones(1)}, path)
    with pytest.raises(pickle.UnpicklingError, match=f"GLOBAL {__name__}.Trusted"):
        tinygrad_edu.load(path)
    with serialization.safe_globals([Trusted]):
        assert tinygrad_edu.load(path)["extra"].value == 3
    assert Trusted not in serialization.get_safe_globals()
    serialization.add_safe_globals([Trusted])
    try:
        assert tinygrad_edu.load(path)["extra"].value == 3
    finally:
        serialization.clear_safe_globals()
    with pytest.raises(pickle.UnpicklingError, match="Trusted"):
        tinygrad_edu.load(path)
