"""Files from outside: malicious pickles refused, corrupt files named, torch never needed."""
from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import textwrap
import zipfile

import pytest

import tinygrad_edu
from tinygrad_edu.serialization import _zip

torch = pytest.importorskip("torch")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class RunsCode:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


@pytest.mark.parametrize("zip_format", [True, False])
def test_malicious_pickles_are_refused_in_both_formats(tmp_path, zip_format):
    path = tmp_path / "evil.pt"
    torch.save({"w": torch.ones(2), "evil": RunsCode()}, path,
               _use_new_zipfile_serialization=zip_format)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL (posix|nt).system was not an allowed"):
        tinygrad_edu.load(path)
    with pytest.raises(pickle.UnpicklingError, match="(posix|nt).system"):
        torch.load(path)  # torch refuses it the same way


def rewrite(path, change) -> None:
    """Rewrite the zip at `path` with change(name, data) -> (name, data) or None (dropped)."""
    with zipfile.ZipFile(path) as archive:
        records = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in records:
            changed = change(name, data)
            if changed is not None:
                archive.writestr(*changed)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "ckpt.pt"
    tinygrad_edu.save({"w": tinygrad_edu.arange(6.0)}, path)
    return path


def test_a_truncated_zip(saved):
    saved.write_bytes(saved.read_bytes()[:200])
    with pytest.raises(RuntimeError, match="failed finding central directory"):
        tinygrad_edu.load(saved)
    with pytest.raises(RuntimeError, match="failed finding central directory"):
        torch.load(saved)


def test_a_missing_record(saved):
    rewrite(saved, lambda name, data: None if name.endswith("data/0") else (name, data))
    with pytest.raises(RuntimeError, match="failed locating file data/0: file not found"):
        tinygrad_edu.load(saved)
    with pytest.raises(RuntimeError, match="failed locating file data/0: file not found"):
        torch.load(saved)


def test_a_record_of_the_wrong_size(saved):
    rewrite(saved, lambda name, data: (name, data[:-8] if name.endswith("data/0") else data))
    with pytest.raises(RuntimeError, match=r"record size \(16 bytes\) does not match expected "
                                           r"size \(24 bytes"):
        tinygrad_edu.load(saved)
    with pytest.raises(RuntimeError, match=r"record size \(16 bytes\) does not match"):
        torch.load(saved)


def test_a_damaged_record_fails_its_checksum(saved):
    data = bytearray(saved.read_bytes())
    with open(saved, "rb") as file:
        start = _zip.ZipReader(file).data_offset("data/0")
    data[start + 5] ^= 0xFF
    saved.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="failed reading file data/0"):
        tinygrad_edu.load(saved)


def test_a_bad_magic_number(tmp_path):
    path = tmp_path / "legacy.pt"
    torch.save({"w": torch.ones(2)}, path, _use_new_zipfile_serialization=False)
    data = path.read_bytes()
    magic = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
    assert data.startswith(magic)
    path.write_bytes(pickle.dumps(12345, protocol=2) + data[len(magic):])
    with pytest.raises(RuntimeError, match="Invalid magic number; corrupt file"):
        tinygrad_edu.load(path)
    with pytest.raises(RuntimeError, match="Invalid magic number; corrupt file"):
        torch.load(path, weights_only=True)
    path.write_bytes(data[:-4])
    with pytest.raises(RuntimeError, match="the checkpoint is truncated"):
        tinygrad_edu.load(path)


def test_a_view_reaching_outside_its_storage_is_refused(saved):
    def widen(name, data):
        # the tensor claims 60 elements of a 6-element storage
        return name, data.replace(b"K\x06\x85", b"K<\x85") if name.endswith("data.pkl") \
            else data
    rewrite(saved, widen)
    with pytest.raises(RuntimeError, match="not resizable: .* needs 60 elements, but its "
                                           "storage holds 6"):
        tinygrad_edu.load(saved)
    with pytest.raises(RuntimeError, match="Trying to resize storage that is not resizable"):
        torch.load(saved)


def test_save_into_a_missing_folder_says_so(tmp_path):
    missing = tmp_path / "no" / "such"
    with pytest.raises(RuntimeError, match=f"Parent directory {missing} does not exist."):
        tinygrad_edu.save({}, missing / "x.pt")
    with pytest.raises(RuntimeError, match=f"Parent directory {missing} does not exist."):
        torch.save({}, missing / "x.pt")


def test_zip64_fields_are_read_back(monkeypatch):
    """Records past 4 GiB use zip64 fields; a lowered limit exercises them with small data."""
    monkeypatch.setattr(_zip, "ZIP64_LIMIT", 100)
    buffer = io.BytesIO()
    tinygrad_edu.save({"w": tinygrad_edu.arange(40.0)}, buffer)
    monkeypatch.undo()
    buffer.seek(0)
    assert tinygrad_edu.load(buffer)["w"].tolist() == list(range(40))


def test_load_never_imports_torch(tmp_path):
    path = tmp_path / "theirs.pt"
    legacy = tmp_path / "legacy.pt"
    base = torch.arange(6.0).reshape(2, 3)
    torch.save({"w": base, "t": base.t(), "p": torch.nn.Parameter(torch.ones(2))}, path)
    torch.save({"w": base}, legacy, _use_new_zipfile_serialization=False)
    script = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "torch" or name.startswith("torch."):
                    raise ImportError("torch is blocked here")
        sys.meta_path.insert(0, Block())
        import tinygrad_edu
        loaded = tinygrad_edu.load({str(path)!r})
        assert loaded["t"].tolist() == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
        assert type(loaded["p"]).__name__ == "Parameter"
        assert tinygrad_edu.load({str(legacy)!r})["w"].sum().item() == 15.0
        tinygrad_edu.save(loaded, {str(tmp_path / "again.pt")!r})
        assert "torch" not in sys.modules
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr
    assert torch.equal(torch.load(tmp_path / "again.pt")["t"], base.t())
