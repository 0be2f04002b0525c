"""default_collate and default_convert: the same structure, container types and dtypes as torch."""
from __future__ import annotations

from collections import OrderedDict, namedtuple

import numpy as np
import pytest
import torch
import torch.utils.data as tdata
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
import tinygrad_edu.utils.data as data

Point = namedtuple("Point", ["x", "y"])

# Leaves: a function of the sample number i and of the library, so each sample differs.
LEAVES = {
    "int": lambda i, lib: i,
    "bool": lambda i, lib: i % 2 == 0,
    "float": lambda i, lib: i / 3,
    "str": lambda i, lib: f"s{i}",
    "bytes": lambda i, lib: bytes([65 + i]),
    "np_float32": lambda i, lib: np.float32(i) / 7,
    "np_float64": lambda i, lib: np.float64(i) / 7,
    "np_int32": lambda i, lib: np.int32(i),
    "np_bool": lambda i, lib: np.bool_(i % 2),
    "np_array_uint8": lambda i, lib: np.full((2, 3), i, dtype=np.uint8),
    "np_array_float64": lambda i, lib: np.linspace(0, i, 4),
    "np_0d": lambda i, lib: np.array(i * 1.5),
    "tensor_float32": lambda i, lib: lib.arange(6, dtype=lib.float32).reshape(2, 3) * i,
    "tensor_int64": lambda i, lib: lib.tensor([i, i + 1]),
    "tensor_0d": lambda i, lib: lib.tensor(float(i)),
}


def nests(depth: int = 2):
    """Strategies for a sample's shape: leaves inside tuples, lists, dicts and namedtuples."""
    leaf = st.sampled_from(sorted(LEAVES))
    return st.recursive(leaf, lambda inner: st.one_of(
        st.tuples(st.just("tuple"), st.lists(inner, min_size=1, max_size=3)),
        st.tuples(st.just("list"), st.lists(inner, min_size=1, max_size=3)),
        st.tuples(st.just("dict"), st.lists(inner, min_size=1, max_size=3)),
        st.tuples(st.just("ordered"), st.lists(inner, min_size=1, max_size=2)),
        st.tuples(st.just("point"), st.tuples(inner, inner)),
    ), max_leaves=6)


def build(shape, i: int, lib):
    if isinstance(shape, str):
        return LEAVES[shape](i, lib)
    kind, parts = shape
    items = [build(part, i, lib) for part in parts]
    if kind == "tuple":
        return tuple(items)
    if kind == "list":
        return items
    if kind == "dict":
        return {f"k{n}": item for n, item in enumerate(items)}
    if kind == "ordered":
        return OrderedDict((f"k{n}", item) for n, item in enumerate(items))
    return Point(*items)


@given(shape=nests(), size=st.integers(1, 4))
def test_nested_samples_collate_like_torch(assert_same, shape, size):
    ours = data.default_collate([build(shape, i, tinygrad_edu) for i in range(size)])
    theirs = tdata.default_collate([build(shape, i, torch) for i in range(size)])
    assert_same(ours, theirs)


@given(shape=nests())
def test_default_convert_like_torch(assert_same, shape):
    assert_same(data.default_convert(build(shape, 3, tinygrad_edu)),
                tdata.default_convert(build(shape, 3, torch)))


@pytest.mark.parametrize("batch", [
    [1, 2.5], [2.5, 1], [True, 2], [True, False], [np.float16(1)], [np.uint8(3)],
])
def test_mixed_numbers_like_torch(assert_same, batch):
    assert_same(data.default_collate(batch), tdata.default_collate(batch))


@pytest.mark.parametrize("batch,error", [
    ([np.array(["a"])], TypeError),
    ([object()], TypeError),
    ([None], TypeError),
    ([np.array([1], dtype=object)], TypeError),
    ([[1, 2], [3]], RuntimeError),
])
def test_collate_errors_are_torchs(batch, error):
    with pytest.raises(error) as theirs:
        tdata.default_collate(batch)
    with pytest.raises(error) as ours:
        data.default_collate(batch)
    assert str(ours.value) == str(theirs.value)


def test_unequal_tensor_shapes_error_like_torch():
    with pytest.raises(RuntimeError) as theirs:
        tdata.default_collate([torch.zeros(2), torch.zeros(3)])
    with pytest.raises(RuntimeError) as ours:
        data.default_collate([tinygrad_edu.zeros(2), tinygrad_edu.zeros(3)])
    assert str(ours.value) == str(theirs.value)


def test_collate_fn_map_is_extensible():
    class Box:
        def __init__(self, value):
            self.value = value

    table = {**data.default_collate_fn_map,
             Box: lambda batch, *, collate_fn_map: [b.value for b in batch]}
    assert data.collate([(Box(1), 2), (Box(3), 4)], collate_fn_map=table)[0] == [1, 3]
