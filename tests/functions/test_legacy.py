"""Old tutorials' names: typed tensor classes, finfo/iinfo and small queries, against torch."""
from __future__ import annotations

import warnings

import pytest
import torch

import tinygrad_edu

TYPED = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
         "CharTensor", "ByteTensor", "BoolTensor"]


@pytest.mark.parametrize("name", TYPED)
def test_typed_classes_build_and_recognise_tensors_as_torch(name):
    ours, theirs = getattr(tinygrad_edu, name), getattr(torch, name)
    for args in ([[1, 0], [3, 4]], (2, 3), (torch.Size([2]),), ()):
        our_args = [tinygrad_edu.Size(a) if isinstance(a, torch.Size) else a for a in args] \
            if isinstance(args, tuple) else [args]
        their_args = list(args) if isinstance(args, tuple) else [args]
        x, y = ours(*our_args), theirs(*their_args)
        assert (str(x.dtype), tuple(x.shape)) == (str(y.dtype), tuple(y.shape))
        if isinstance(args, list):
            assert x.tolist() == y.tolist()
        assert x.type() == y.type() == f"torch.{name}"
        for other in TYPED:
            assert isinstance(x, getattr(tinygrad_edu, other)) == \
                isinstance(y, getattr(torch, other))
    assert repr(ours) == repr(theirs)
    assert repr(getattr(tinygrad_edu.cuda, name)) == repr(getattr(torch.cuda, name))
    assert not isinstance(ours([1]), getattr(tinygrad_edu.cuda, name))


def test_type_takes_a_typed_class_and_refuses_bad_sizes():
    x = tinygrad_edu.tensor([1.5, 2.0])
    assert str(x.type(tinygrad_edu.LongTensor).dtype) == str(
        torch.tensor([1.5]).type(torch.LongTensor).dtype)
    assert x.type(tinygrad_edu.DoubleTensor).tolist() == [1.5, 2.0]
    with pytest.raises(TypeError):
        torch.FloatTensor(2, "a")
    with pytest.raises(TypeError, match="must be tuple of ints"):
        tinygrad_edu.FloatTensor(2, "a")
    messages = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(TypeError) as caught:
            lib.LongTensor(lib.zeros(2, dtype=lib.float64))
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_is_torchs(name):
    ours, theirs = tinygrad_edu.finfo(getattr(tinygrad_edu, name)), torch.finfo(
        getattr(torch, name))
    for attribute in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution",
                      "dtype"):
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_is_torchs(name):
    ours, theirs = tinygrad_edu.iinfo(getattr(tinygrad_edu, name)), torch.iinfo(
        getattr(torch, name))
    assert (ours.bits, ours.max, ours.min, ours.dtype) == (theirs.bits, theirs.max, theirs.min,
                                                          theirs.dtype)
    assert repr(ours) == repr(theirs)


def test_info_errors_and_the_default():
    assert tinygrad_edu.finfo().dtype == torch.finfo().dtype
    for lib in (torch, tinygrad_edu):
        with pytest.raises(TypeError, match="requires a floating point input type"):
            lib.finfo(lib.int32)
        with pytest.raises(TypeError, match="requires an integer input type"):
            lib.iinfo(lib.float32)


@pytest.mark.parametrize("data", [[0], [2.5], [True], [[0.0]]])
def test_is_nonzero(data):
    assert tinygrad_edu.is_nonzero(tinygrad_edu.tensor(data)) == torch.is_nonzero(
        torch.tensor(data))


@pytest.mark.parametrize("data", [[], [1, 2]])
def test_is_nonzero_errors(data):
    messages = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(RuntimeError) as caught:
            lib.is_nonzero(lib.tensor(data))
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_set_default_tensor_type_warns_and_sets_the_dtype():
    for lib in (torch, tinygrad_edu):
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                lib.set_default_tensor_type(lib.DoubleTensor)
                assert str(lib.tensor([1.0]).dtype) == "torch.float64"
                lib.set_default_tensor_type("torch.FloatTensor")
            assert "deprecated" in str(caught[0].message)
        finally:
            lib.set_default_dtype(lib.float32)
        assert str(lib.tensor([1.0]).dtype) == "torch.float32"


def test_queries():
    x = tinygrad_edu.ones(2)
    assert tinygrad_edu.typename(x) == torch.typename(torch.ones(2)) == "torch.FloatTensor"
    assert tinygrad_edu.typename(3) == torch.typename(3)
    assert tinygrad_edu.is_storage(x) is torch.is_storage(torch.ones(2)) is False
    state = tinygrad_edu.get_rng_state()
    first = tinygrad_edu.rand(3).tolist()
    tinygrad_edu.set_rng_state(state)
    assert tinygrad_edu.rand(3).tolist() == first
