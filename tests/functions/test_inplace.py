"""functions/inplace.py against torch: in-place fills refuse a number that overflows the
tensor's dtype (NumPy wrapped it around, or raised its own OverflowError)."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu


@pytest.mark.parametrize("dtype, value, cpp_name", [
    ("int8", 1000, "int8_t"), ("uint8", 256, "uint8_t"), ("uint8", -1.5, "uint8_t"),
    ("int16", -40000, "int16_t"), ("int32", 2**31, "int"), ("int64", 2**63, "int64_t"),
    ("float32", 3.5e38, "float"), ("int32", float("nan"), "int"),
], ids=repr)
@pytest.mark.parametrize("method", ["fill_", "masked_fill_"])
def test_in_place_fills_refuse_a_value_that_overflows(method, dtype, value, cpp_name,
                                                      raises_as_torch):
    def fill(lib):
        x = lib.zeros(3, dtype=getattr(lib, dtype))
        if method == "fill_":
            return x.fill_(value)
        return x.masked_fill_(lib.tensor([True, False, True]), value)
    raises_as_torch(fill, f"value cannot be converted to type {cpp_name} without overflow")


@pytest.mark.parametrize("dtype, value", [("uint8", -1), ("uint8", 255.0), ("int64", 2.5),
                                          ("bool", 7), ("float64", 1e300),
                                          ("float32", float("-inf"))], ids=repr)
def test_in_place_fills_with_values_that_fit_match_torch(dtype, value):
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(3, dtype=getattr(lib, dtype))
        x.fill_(value)
        x.masked_fill_(lib.tensor([True, False, False]), value)
        results.append(str(x.tolist()))
    assert results[0] == results[1]
