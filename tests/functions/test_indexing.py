"""functions/indexing.py against torch: the cases that were silently wrong."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu


@pytest.mark.parametrize("index", [[-1], [3], [0, 5]])
def test_index_select_refuses_an_index_out_of_range_as_torch(index):
    messages = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(IndexError) as error:
            lib.index_select(lib.tensor([1.0, 2.0, 3.0]), 0, lib.tensor(index))
        messages.append(str(error.value))
    assert messages[0] == messages[1]


def test_index_select_from_an_empty_axis_raises_as_torch():
    messages = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(RuntimeError) as error:
            lib.index_select(lib.zeros(0, 2), 0, lib.tensor([0]))
        messages.append(str(error.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("value", [5.0, 0.0])
def test_nonzero_of_a_0d_tensor_has_no_columns(value):
    theirs = torch.nonzero(torch.tensor(value))
    ours = tinygrad_edu.nonzero(tinygrad_edu.tensor(value))
    assert ours.shape == theirs.shape and str(ours.dtype) == str(theirs.dtype)


SCATTERS = {
    "multiply, tensor src": lambda lib, x: x.scatter(
        0, lib.tensor([0, 0, 2]), lib.tensor([2.0, 3.0, 4.0]), reduce="multiply"),
    "add, tensor src": lambda lib, x: x.scatter(
        0, lib.tensor([0, 0, 2]), lib.tensor([2.0, 3.0, 4.0]), reduce="add"),
    "multiply, value": lambda lib, x: x.scatter(0, lib.tensor([0, 0, 2]), 3.0, reduce="multiply"),
    "add, value": lambda lib, x: x.scatter(0, lib.tensor([0, 0, 2]), 3.0, reduce="add"),
    "in place": lambda lib, x: x.clone().scatter_(0, lib.tensor([0, 2]), 3.0, reduce="multiply"),
}


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
@pytest.mark.parametrize("name", sorted(SCATTERS))
def test_scatter_applies_its_reduce_argument_as_torch(name):
    ours = SCATTERS[name](tinygrad_edu, tinygrad_edu.ones(3) * 1.5)
    theirs = SCATTERS[name](torch, torch.ones(3) * 1.5)
    assert ours.tolist() == theirs.tolist()


def test_scatter_with_reduce_has_no_derivative_and_refuses_other_reductions_as_torch():
    messages = []
    for lib in (torch, tinygrad_edu):
        x = lib.ones(3, requires_grad=True)
        y = x.scatter(0, lib.tensor([0, 2]), 3.0, reduce="add")
        assert type(y.grad_fn).__name__ == "NotImplemented"
        with pytest.raises(RuntimeError) as no_derivative:
            y.sum().backward()
        with pytest.raises(RuntimeError) as bad_reduce:
            x.scatter(0, lib.tensor([0]), 3.0, reduce="max")
        messages.append((str(no_derivative.value), str(bad_reduce.value)))
    assert messages[0] == messages[1]


# ----------------------------------------------------------------------------- int32 indices, 0-d

INT32_INDEX_CALLS = {
    "gather": lambda lib, x: lib.gather(x, 1, lib.tensor([[0, 2], [1, 1]], dtype=lib.int32)),
    "scatter": lambda lib, x: lib.scatter(
        x, 1, lib.tensor([[2], [0]], dtype=lib.int32), x[:, :1] * 2),
    "scatter value": lambda lib, x: x.scatter(0, lib.tensor([[1, 0, 1]], dtype=lib.int32), 7.0),
    "scatter_add": lambda lib, x: lib.scatter_add(
        x, 1, lib.tensor([[2, 2], [0, 1]], dtype=lib.int32), x[:, :2] * 3),
    "scatter_ in place": lambda lib, x: (x * 1).scatter_(
        1, lib.tensor([[1], [0]], dtype=lib.int32), x[:, 1:2]),
    "scatter_add_ in place": lambda lib, x: (x * 1).scatter_add_(
        0, lib.tensor([[1, 1, 0]], dtype=lib.int32), x[1:]),
    "index_select": lambda lib, x: lib.index_select(x, 1, lib.tensor([2, 0, 2], dtype=lib.int32)),
}


@pytest.mark.parametrize("name", sorted(INT32_INDEX_CALLS))
def test_int32_indices_are_taken_as_torch(name, same_as_torch):
    same_as_torch(INT32_INDEX_CALLS[name], np.arange(1.0, 7.0).reshape(2, 3))


@pytest.mark.parametrize("call, message", [
    (lambda lib, x: lib.gather(x, 0, lib.tensor([[0]], dtype=lib.int16)), "gather"),
    (lambda lib, x: lib.scatter(x, 0, lib.tensor([[0]], dtype=lib.uint8), x), "scatter"),
    (lambda lib, x: lib.scatter_add(x, 0, lib.tensor([[0.0]]), x), "scatter"),
    (lambda lib, x: lib.index_select(x, 0, lib.tensor([0], dtype=lib.int8)), "index_select"),
    (lambda lib, x: lib.take(x, lib.tensor([0], dtype=lib.int32)), "take"),
])
def test_other_index_dtypes_are_refused_as_torch(call, message, same_error_as_torch):
    assert message in same_error_as_torch(lambda lib: call(lib, lib.ones(2, 3)), RuntimeError)


ZERO_D_CALLS = {
    "gather 0-d input, 0-d index": (lambda lib, s: lib.gather(s, 0, lib.tensor(0)), 3.0),
    "gather 0-d input, 1-d index": (lambda lib, s: s.gather(-1, lib.tensor([0, 0])), 3.0),
    "gather 1-d input, 0-d index": (lambda lib, v: lib.gather(v, 0, lib.tensor(2)),
                                    [1.0, 2.0, 3.0]),
    "scatter 0-d": (lambda lib, s: lib.scatter(s, 0, lib.tensor(0), s * 5), 3.0),
    "scatter 0-d, value": (lambda lib, s: lib.scatter(s, 0, lib.tensor(0), 7.0), 3.0),
    "scatter 0-d input, 1-d src": (
        lambda lib, s: lib.scatter(s, 0, lib.tensor([0]), lib.stack([s * 2])), 3.0),
    "scatter 1-d input, 0-d index and src": (
        lambda lib, v: lib.scatter(v, 0, lib.tensor(1), v.sum()), [1.0, 2.0, 3.0]),
    "scatter_add 0-d": (lambda lib, s: lib.scatter_add(s, 0, lib.tensor(0), s * 5), 3.0),
    "scatter_add 0-d input, 1-d index": (
        lambda lib, s: s.scatter_add(0, lib.tensor([0, 0]), lib.stack([s, s * 2])), 3.0),
    "scatter_add 1-d input, 0-d src": (
        lambda lib, v: lib.scatter_add(v, 0, lib.tensor([2]), v.sum()), [1.0, 2.0, 3.0]),
    "index_select 0-d, 0-d index": (lambda lib, s: lib.index_select(s, 0, lib.tensor(0)), 3.0),
    "index_select 0-d, int32 index": (
        lambda lib, s: s.index_select(-1, lib.tensor([0], dtype=lib.int32)), 3.0),
    "index_select 1-d, 0-d index": (lambda lib, v: lib.index_select(v, 0, lib.tensor(1)),
                                    [1.0, 2.0, 3.0]),
}


@pytest.mark.parametrize("name", sorted(ZERO_D_CALLS))
def test_0d_inputs_and_indices_as_torch(name, same_as_torch):
    call, data = ZERO_D_CALLS[name]
    same_as_torch(call, np.array(data))


@pytest.mark.parametrize("call", [
    lambda lib: lib.gather(lib.ones(1, 3), 1, lib.tensor(0)),
    lambda lib: lib.gather(lib.tensor(2.0), 0, lib.tensor(1)),
    lambda lib: lib.index_select(lib.tensor(2.0), 0, lib.tensor([0, 0])),
    lambda lib: lib.index_select(lib.tensor(2.0), 0, lib.tensor([1])),
])
def test_0d_misuse_raises_as_torch(call, same_error_as_torch):
    same_error_as_torch(call, (RuntimeError, IndexError))


# ----------------------------------------------------------------------------- NumPy integers

NUMPY_INT_KEYS = {
    "int64": lambda: np.int64(1),
    "negative int32": lambda: np.int32(-1),
    "uint8": lambda: np.uint8(0),
    "tuple of NumPy ints": lambda: (np.int64(1), np.int16(2)),
    "NumPy int and slice": lambda: (slice(None), np.int64(2)),
    "None, ellipsis and NumPy int": lambda: (None, Ellipsis, np.int8(-2)),
    "slice of NumPy ints": lambda: slice(np.int64(0), np.int64(2), np.int64(2)),
    "list of NumPy ints": lambda: [np.int64(1), np.int64(0), np.int64(1)],
}


@pytest.mark.parametrize("name", sorted(NUMPY_INT_KEYS))
def test_indexing_with_numpy_integers_as_torch(name, same_as_torch):
    key = NUMPY_INT_KEYS[name]()
    same_as_torch(lambda lib, x: x[key], np.arange(1.0, 7.0).reshape(2, 3))


@pytest.mark.parametrize("name", sorted(NUMPY_INT_KEYS))
def test_setitem_with_numpy_integers_as_torch(name, same_as_torch):
    key = NUMPY_INT_KEYS[name]()

    def assign(lib, x, value):
        y = x * 1
        y[key] = value.sum()
        return y
    same_as_torch(assign, np.arange(1.0, 7.0).reshape(2, 3), np.array([2.0, 3.0]))


def test_setitem_with_a_numpy_integer_without_grad_as_torch():
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(2, 3)
        x[np.int64(1)] = 5.0
        x[np.int64(0), np.int32(2)] = 7.0
        results.append(x.tolist())
    assert results[0] == results[1]


@pytest.mark.parametrize("key", [np.float64(1.0), 1.5, np.bool_(True), object()],
                         ids=["np.float64", "float", "np.bool_", "object"])
def test_other_index_types_raise_as_torch(key, same_error_as_torch):
    same_error_as_torch(lambda lib: lib.zeros(2, 3)[key], IndexError)


# ----------------------------------------------------------------------------- bad input
# Index tensors of the wrong dtype get torch's messages; int32 indices work where torch takes
# them; numbers written into a tensor must fit its dtype.

def floats(lib):
    return lib.tensor([1.0, 2.0, 3.0])


@pytest.mark.parametrize("index_dtype", ["float32", "bool", "uint8", "int16"])
def test_index_select_refuses_an_index_of_the_wrong_dtype(index_dtype, raises_as_torch):
    raises_as_torch(lambda lib: lib.index_select(floats(lib), 0, lib.tensor(
        [0], dtype=getattr(lib, index_dtype))),
        "index_select(): Expected dtype int32 or int64 for index")


def test_index_select_checks_the_index_shape_first_and_takes_only_a_tensor(raises_as_torch):
    raises_as_torch(lambda lib: lib.index_select(floats(lib), 0, lib.tensor([[0.0]])),
                    "index_select(): Index is supposed to be a vector")
    error = raises_as_torch(lambda lib: lib.index_select(floats(lib), 0, [0]),
                            "must be Tensor, not list")
    assert "argument 'index'" in str(error)


@pytest.mark.parametrize("call", [
    lambda lib, index: lib.gather(floats(lib), 0, index),
    lambda lib, index: lib.scatter(floats(lib), 0, index, 5.0),
    lambda lib, index: lib.scatter_add(floats(lib), 0, index, floats(lib)[:1]),
    lambda lib, index: lib.index_select(floats(lib), 0, index),
], ids=["gather", "scatter", "scatter_add", "index_select"])
def test_index_ops_take_int32_indices_and_name_both_dtypes(call, raises_as_torch):
    ours = call(tinygrad_edu, tinygrad_edu.tensor([2], dtype=tinygrad_edu.int32))
    theirs = call(torch, torch.tensor([2], dtype=torch.int32))
    assert ours.tolist() == theirs.tolist()
    error = raises_as_torch(lambda lib: call(lib, lib.tensor([0.0])), "Expected dtype int32")
    assert "int64 for index" in str(error)


def test_take_refuses_a_number_and_a_non_long_index(raises_as_torch):
    error = raises_as_torch(lambda lib: lib.take(floats(lib), 2), "must be Tensor, not int")
    assert "argument 'index'" in str(error)
    for dtype, name in [("float32", "Float"), ("int32", "Int"), ("bool", "Bool")]:
        raises_as_torch(lambda lib: lib.take(floats(lib), lib.tensor([0], dtype=getattr(
            lib, dtype))), f"take(): Expected a long tensor for index, but got {name}")


@pytest.mark.parametrize("call", [
    lambda lib: lib.zeros(2, dtype=lib.int8).__setitem__(0, 1000),
    lambda lib: lib.zeros(2).__setitem__(slice(None), 1e300),
    lambda lib: lib.scatter(lib.zeros(2, dtype=lib.int8), 0, lib.tensor([0]), 1000),
], ids=["setitem int8", "setitem float32", "scatter value"])
def test_writing_a_number_that_overflows_raises_as_torch(call, raises_as_torch):
    raises_as_torch(call, "without overflow")


def test_setitem_wraps_a_small_negative_number_into_uint8_as_torch():
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(2, dtype=lib.uint8)
        x[0] = -1
        results.append(x.tolist())
    assert results[0] == results[1] == [255, 0]


@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("value_dtype", ["bool", "int32", "float32", "float64"])
def test_index_put_converts_no_values_of_another_dtype(value_dtype, accumulate,
                                                       same_error_as_torch):
    def call(lib):
        values = lib.ones(1, dtype=getattr(lib, value_dtype))
        return lib.zeros(3, dtype=lib.int64).index_put_((lib.tensor([0]),), values, accumulate)
    same_error_as_torch(call, RuntimeError)


def test_index_put_under_one_mask_fills_one_value_of_another_dtype_as_torch():
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(3).index_put_((lib.tensor([True, False, True]),),
                                    lib.tensor([2.0], dtype=lib.float64))
        assert (str(x.dtype).split(".")[-1], x.tolist()) == ("float32", [2.0, 0.0, 2.0])
