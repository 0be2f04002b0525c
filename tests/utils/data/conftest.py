"""Shared by the utils.data tests: `assert_same(ours, theirs)`, a fixture comparing a batch of
ours with torch's exactly.

Tensors become ("tensor", dtype name, shape, values as a NumPy array); containers keep their
type name, so [tensor, tensor] and (tensor, tensor) differ, as they do in torch.
"""
from __future__ import annotations

import numpy as np
import pytest


def structure(value):
    if hasattr(value, "detach") and hasattr(value, "dtype"):
        array = np.asarray(value.detach().cpu().numpy())
        return ("tensor", str(value.dtype), tuple(value.shape), array)
    if isinstance(value, dict):
        return ("dict", type(value).__name__, {key: structure(v) for key, v in value.items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [structure(item) for item in value])
    return ("leaf", type(value).__name__, value)


def _assert_same(ours, theirs, where: str = "batch") -> None:
    """Raise AssertionError describing the first difference between two structures."""
    a, b = structure(ours), structure(theirs)
    _compare(a, b, where)


def _compare(a, b, where: str) -> None:
    assert a[0] == b[0], f"{where}: {a[0]} != torch's {b[0]}"
    if a[0] == "tensor":
        assert a[1] == b[1], f"{where}: dtype {a[1]} != torch's {b[1]}"
        assert a[2] == b[2], f"{where}: shape {a[2]} != torch's {b[2]}"
        assert a[3].dtype == b[3].dtype and np.array_equal(a[3], b[3]), f"{where}: values differ"
    elif a[0] == "dict":
        assert list(a[2]) == list(b[2]), f"{where}: keys {list(a[2])} != {list(b[2])}"
        for key in a[2]:
            _compare(a[2][key], b[2][key], f"{where}[{key!r}]")
    elif a[0] == "leaf":
        assert (a[1], a[2]) == (b[1], b[2]), f"{where}: {a[1:]} != torch's {b[1:]}"
    else:
        assert len(a[1]) == len(b[1]), f"{where}: length {len(a[1])} != {len(b[1])}"
        for position, (x, y) in enumerate(zip(a[1], b[1])):
            _compare(x, y, f"{where}[{position}]")


@pytest.fixture(scope="session")
def assert_same():
    """assert_same(ours, theirs, where="batch"): equal structure, container types, dtypes, shapes
    and values."""
    return _assert_same
