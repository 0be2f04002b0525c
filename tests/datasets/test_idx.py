"""The IDX reader: round trips, the real files, and an error naming the file for each defect."""
from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu.datasets import (
    IDXError,
    read_idx,
    read_image_file,
    read_label_file,
    write_idx,
)

DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]


@given(array=hnp.arrays(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=1, max_dims=4,
                                                                    min_side=0, max_side=5)),
       compress=st.booleans())
def test_write_then_read_round_trips(tmp_path_factory, array, compress):
    path = tmp_path_factory.mktemp("idx") / ("a.idx.gz" if compress else "a.idx")
    write_idx(path, array)
    back = read_idx(path)
    assert back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array, equal_nan=array.dtype.kind == "f")
    assert back.flags.writeable and back.dtype.isnative


def independent_read(path, header: int):
    """What the files hold, read with gzip + NumPy only."""
    return np.frombuffer(gzip.open(path).read(), dtype=np.uint8, offset=header)


@pytest.mark.parametrize("split,count", [("train", 9000), ("t10k", 1000)])
def test_reads_the_shared_mnist_files(shared_data, split, count):
    raw = shared_data / "mnist" / "raw"
    images = read_image_file(raw / f"{split}-images-idx3-ubyte.gz")
    labels = read_label_file(raw / f"{split}-labels-idx1-ubyte.gz")
    assert images.shape == (count, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (count,) and labels.dtype == np.int64
    expected_images = independent_read(raw / f"{split}-images-idx3-ubyte.gz", 16)
    expected_labels = independent_read(raw / f"{split}-labels-idx1-ubyte.gz", 8)
    assert np.array_equal(images.reshape(-1), expected_images)
    assert np.array_equal(labels, expected_labels)
    assert set(np.unique(labels)) == set(range(10))


# ----------------------------------------------------------------------------- defects

def idx_bytes(array) -> bytes:
    header = struct.pack(f">HBB{array.ndim}I", 0, 0x08, array.ndim, *array.shape)
    return header + array.astype(np.uint8).tobytes()


GOOD = idx_bytes(np.arange(2 * 3 * 3).reshape(2, 3, 3))


@pytest.mark.parametrize("name,content,problem", [
    ("truncated.gz", gzip.compress(GOOD, mtime=0)[:-12], "gzip stream is truncated"),
    ("crc.gz", gzip.compress(GOOD, mtime=0)[:-8] + b"\0" * 8, "gzip stream is corrupt"),
    ("magic.idx", b"\x08\x03" + GOOD[2:], "not an IDX file (magic number 0x08030803"),
    ("typecode.idx", GOOD[:2] + b"\x07" + GOOD[3:], "not an IDX file"),
    ("short.idx", GOOD[:3], "too short for an IDX header"),
    ("header.idx", GOOD[:9], "the header promises 3 dimensions"),
    ("data.idx", GOOD[:-1], "the data is truncated"),
    ("extra.idx", GOOD + b"\0", "the data has trailing bytes"),
])
def test_each_defect_is_named_with_the_file(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IDXError) as info:
        read_idx(path)
    assert str(info.value).startswith(f"{path}: ")
    assert problem in str(info.value)


def test_images_and_labels_are_told_apart(tmp_path):
    labels = tmp_path / "labels"
    labels.write_bytes(idx_bytes(np.arange(4)))
    with pytest.raises(IDXError, match="expected IDX images \\(magic number 2051"):
        read_image_file(labels)
    images = tmp_path / "images"
    images.write_bytes(GOOD)
    with pytest.raises(IDXError, match="expected IDX labels \\(magic number 2049"):
        read_label_file(images)
    floats = tmp_path / "floats"
    write_idx(floats, np.zeros((2, 2, 2), np.float32))
    with pytest.raises(IDXError, match="found 3 dimensions of float32"):
        read_image_file(floats)


# ----------------------------------------------------------------------------- wrong kind
# A file of the other kind (labels read as images, and so on) is named by its magic number:
# the one expected and the one found in the file.

@pytest.mark.parametrize("array, reader, expected, found", [
    (np.arange(4, dtype=np.uint8), read_image_file, "magic number 2051", "magic number 2049"),
    (np.zeros((2, 2, 2), np.uint8), read_label_file, "magic number 2049", "magic number 2051"),
    (np.zeros((2, 2), np.uint8), read_image_file, "magic number 2051", "magic number 2050"),
    (np.zeros((2, 2, 2), np.float32), read_image_file, "magic number 2051", "magic number 3331"),
    (np.zeros(3, np.int32), read_label_file, "magic number 2049", "magic number 3073"),
], ids=["labels as images", "images as labels", "2-d as images", "floats", "int32 labels"])
def test_a_file_of_the_wrong_kind_names_the_magic_numbers(tmp_path, array, reader, expected,
                                                          found):
    path = tmp_path / "file.idx"
    write_idx(path, array)
    with pytest.raises(IDXError) as info:
        reader(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert f"expected IDX {'images' if reader is read_image_file else 'labels'} ({expected}" \
        in message
    assert f"but found {array.ndim} dimension" in message and f"({found})" in message
