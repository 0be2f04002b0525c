"""functions/formats.py against torch: the memory formats and layouts that torch's functions
take, and that change no value here."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

NAMES = ["contiguous_format", "preserve_format", "channels_last", "channels_last_3d", "strided"]


@pytest.mark.parametrize("name", NAMES)
def test_the_names_exist_and_print_as_torch(name):
    ours, theirs = getattr(tinygrad_edu, name), getattr(torch, name)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
    assert type(ours).__name__ == type(theirs).__name__
    assert isinstance(ours, tinygrad_edu.memory_format if name != "strided"
                      else tinygrad_edu.layout)


X = np.arange(6.0).reshape(2, 3)
X4 = np.arange(24.0).reshape(1, 2, 3, 4)
FORMAT_CALLS = {
    "to(dtype, memory_format)": lambda lib, x: x.to(lib.float64,
                                                    memory_format=lib.preserve_format),
    "to(device, dtype, memory_format)": lambda lib, x: x.to(
        "cpu", lib.float32, memory_format=lib.contiguous_format),
    "to(other, memory_format)": lambda lib, x: x.to(x, memory_format=lib.preserve_format),
    "float": lambda lib, x: x.float(memory_format=lib.preserve_format),
    "double": lambda lib, x: x.double(memory_format=lib.contiguous_format),
    "half": lambda lib, x: x.half(memory_format=lib.preserve_format),
    "int": lambda lib, x: x.int(memory_format=lib.preserve_format),
    "long": lambda lib, x: x.long(memory_format=lib.preserve_format),
    "short": lambda lib, x: x.short(memory_format=lib.preserve_format),
    "char": lambda lib, x: x.char(memory_format=lib.preserve_format),
    "byte": lambda lib, x: x.byte(memory_format=lib.preserve_format),
    "bool": lambda lib, x: x.bool(memory_format=lib.preserve_format),
    "type": lambda lib, x: x.type(lib.float64, memory_format=lib.preserve_format),
    "cpu": lambda lib, x: x.cpu(memory_format=lib.preserve_format),
    "contiguous": lambda lib, x: x.t().contiguous(memory_format=lib.contiguous_format),
    "contiguous preserve": lambda lib, x: x.contiguous(memory_format=lib.preserve_format),
    "clone": lambda lib, x: x.clone(memory_format=lib.contiguous_format),
    "torch.clone": lambda lib, x: lib.clone(x, memory_format=lib.preserve_format),
    "zeros_like": lambda lib, x: lib.zeros_like(x, memory_format=lib.preserve_format,
                                                layout=lib.strided),
    "ones_like": lambda lib, x: lib.ones_like(x, layout=lib.strided),
    "full_like": lambda lib, x: lib.full_like(x, 2.5, layout=lib.strided,
                                              memory_format=lib.contiguous_format),
    "empty_like shape": lambda lib, x: lib.empty_like(
        x, memory_format=lib.preserve_format, layout=lib.strided).zero_(),
    "zeros": lambda lib, x: x + lib.zeros(2, 3, layout=lib.strided),
    "ones": lambda lib, x: x * lib.ones((2, 3), layout=lib.strided),
    "full": lambda lib, x: x * lib.full((2, 3), 2.0, layout=lib.strided),
    "arange": lambda lib, x: x * lib.arange(3, layout=lib.strided),
    "linspace": lambda lib, x: x * lib.linspace(0, 1, 3, layout=lib.strided),
    "eye": lambda lib, x: lib.eye(2, dtype=x.dtype, layout=lib.strided) @ x,
    "new_zeros": lambda lib, x: x + x.new_zeros(2, 3, layout=lib.strided),
    "empty channels_last": lambda lib, x: lib.empty(
        1, 2, 3, 1, memory_format=lib.channels_last).zero_() + x[None, ..., None],
}


@pytest.mark.parametrize("name", sorted(FORMAT_CALLS))
def test_memory_format_and_layout_arguments_as_torch(name, same_as_torch):
    same_as_torch(FORMAT_CALLS[name], X)


CHANNELS_LAST_CALLS = {
    "contiguous": lambda lib, x: x.contiguous(memory_format=lib.channels_last),
    "to": lambda lib, x: x.to(memory_format=lib.channels_last),
    "float": lambda lib, x: x.float(memory_format=lib.channels_last),
    "clone": lambda lib, x: x.clone(memory_format=lib.channels_last),
    "zeros_like": lambda lib, x: lib.zeros_like(x, memory_format=lib.channels_last) + x,
}


@pytest.mark.parametrize("name", sorted(CHANNELS_LAST_CALLS))
def test_channels_last_of_a_4d_tensor_keeps_every_value_as_torch(name, same_as_torch):
    same_as_torch(CHANNELS_LAST_CALLS[name], X4)


@pytest.mark.parametrize("name", sorted(CHANNELS_LAST_CALLS))
def test_channels_last_needs_a_4d_tensor_as_torch(name, same_error_as_torch):
    same_error_as_torch(lambda lib: CHANNELS_LAST_CALLS[name](lib, lib.tensor(X)), RuntimeError)


@pytest.mark.parametrize("call", [
    lambda lib: lib.empty(2, 3, memory_format=lib.channels_last),
    lambda lib: lib.empty(2, memory_format=lib.preserve_format),
    lambda lib: lib.ones(2, 3, 4).contiguous(memory_format=lib.channels_last_3d),
])
def test_formats_that_do_not_apply_raise_as_torch(call, same_error_as_torch):
    same_error_as_torch(call, RuntimeError)


def test_a_memory_format_that_is_not_one_is_refused_as_torch():
    for lib in (torch, tinygrad_edu):
        with pytest.raises(TypeError, match="memory_format"):
            lib.ones(2).float(memory_format=1)
