"""functions/pointwise.py against torch: integer division by zero raises (NumPy gave 0)."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu
from parity.sweeps import key_phrase

CASES = {
    "tensor % 0": lambda lib: lib.tensor([5, 3]) % 0,
    "tensor % tensor": lambda lib: lib.tensor([5, 3]) % lib.tensor([1, 0]),
    "number % tensor": lambda lib: 5 % lib.tensor([1, 0]),
    "remainder": lambda lib: lib.remainder(lib.tensor([5, 3]), 0),
    "fmod": lambda lib: lib.fmod(lib.tensor([5, 3]), lib.tensor([0, 1])),
    "floor_divide": lambda lib: lib.tensor([5, 3]) // 0,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_integer_division_by_zero_raises_as_torch(name):
    messages = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(RuntimeError) as error:
            CASES[name](lib)
        messages.append(str(error.value))
    assert messages[0] == messages[1] == "ZeroDivisionError"


def test_floating_remainder_by_zero_is_nan_as_torch():
    ours = (tinygrad_edu.tensor([5.0, 3.0]) % 0).numpy()
    theirs = (torch.tensor([5.0, 3.0]) % 0).numpy()
    assert str(ours.tolist()) == str(theirs.tolist()) == "[nan, nan]"


def _graph(lib, name, tensor_divisor):
    x = lib.tensor([3.5, -2.5, 7.0], requires_grad=True)
    d = lib.tensor([2.0, -1.5, 4.0], requires_grad=True) if tensor_divisor else 2.0
    if name == "fmod":
        y = lib.fmod(x, d)
    else:
        y = lib.div(x, d, rounding_mode=name)
    y.backward(lib.tensor([1.0, 2.0, 3.0]))
    return (y.detach().numpy().tolist(), type(y.grad_fn).__name__, x.grad.numpy().tolist(),
            d.grad.numpy().tolist() if tensor_divisor else None)


@pytest.mark.parametrize("tensor_divisor", [False, True])
@pytest.mark.parametrize("name", ["fmod", "floor", "trunc"])
def test_fmod_and_rounded_division_stay_in_the_graph_as_torch(name, tensor_divisor):
    """They returned outputs without requires_grad, silently cutting the graph."""
    assert _graph(tinygrad_edu, name, tensor_divisor) == _graph(torch, name, tensor_divisor)


# ----------------------------------------------------------------------------- int ** negative int

BASES = [-3, -2, -1, 0, 1, 2, 5]
EXPONENTS = [-3, -2, -1, 0, 1, 2, 3]
INTEGER_POWERS = {
    "tensor ** tensor": lambda lib: lib.tensor(BASES)[:, None] ** lib.tensor(EXPONENTS),
    "torch.pow(tensor, tensor)": lambda lib: lib.pow(lib.tensor(BASES)[:, None],
                                                     lib.tensor(EXPONENTS)),
    "tensor.pow(0-d tensor)": lambda lib: lib.tensor(BASES).pow(lib.tensor(-1)),
    "int32 ** int32": lambda lib: lib.tensor(BASES, dtype=lib.int32)[:, None]
    ** lib.tensor(EXPONENTS, dtype=lib.int32),
    "int8 ** int8": lambda lib: lib.tensor(BASES, dtype=lib.int8)[:, None]
    ** lib.tensor(EXPONENTS, dtype=lib.int8),
    "uint8 ** int64": lambda lib: lib.tensor([0, 1, 2, 7], dtype=lib.uint8)[:, None]
    ** lib.tensor(EXPONENTS),
    "bool ** int64": lambda lib: lib.tensor([True, False])[:, None] ** lib.tensor(EXPONENTS),
    "in place": lambda lib: lib.tensor(BASES).pow_(lib.tensor([-1, -2, -3, -1, -5, -1, -1])),
    "**= in place": lambda lib: _ipow(lib.tensor(BASES), lib.tensor(-2)),
    "int ** tensor": lambda lib: 2 ** lib.tensor(EXPONENTS),
    "-1 ** tensor": lambda lib: (-1) ** lib.tensor(EXPONENTS),
    "1 ** tensor": lambda lib: lib.pow(1, lib.tensor(EXPONENTS)),
    "0 ** tensor": lambda lib: lib.pow(0, lib.tensor(EXPONENTS, dtype=lib.int16)),
}


def _ipow(x, exponent):
    x **= exponent
    return x


@pytest.mark.parametrize("name", sorted(INTEGER_POWERS))
def test_integers_to_negative_integer_tensors_as_torch(name, same_as_torch):
    same_as_torch(INTEGER_POWERS[name])


@pytest.mark.parametrize("call", [
    lambda lib: lib.tensor([1, 2]) ** -1,
    lambda lib: lib.pow(lib.tensor([1, 2]), -2),
    lambda lib: lib.tensor(2).pow_(-1),
    lambda lib: lib.tensor([2], dtype=lib.int32) ** -3,
])
def test_integer_tensors_to_a_negative_python_int_raise_as_torch(call, same_error_as_torch):
    message = same_error_as_torch(call, RuntimeError)
    assert message == "Integers to negative integer powers are not allowed."


# ----------------------------------------------------------------------------- bad input
# Arguments torch types as Tensor refuse Python numbers; numbers that would overflow the
# tensor's dtype are refused instead of wrapping around.

def floats(lib):
    return lib.tensor([1.0, 2.0, 3.0])


@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_and_minimum_take_only_tensors(name, raises_as_torch):
    for call, argument in [(lambda lib: getattr(lib, name)(floats(lib), 2), "other"),
                           (lambda lib: getattr(lib, name)(2, floats(lib)), "input"),
                           (lambda lib: getattr(floats(lib), name)(2.5), "other")]:
        error = raises_as_torch(call, "must be Tensor, not")
        assert f"argument '{argument}'" in str(error)


@pytest.mark.parametrize("call, phrase", [
    (lambda lib: lib.fmod(2, floats(lib)), "got (int, Tensor)"),
    (lambda lib: lib.rsub(2, floats(lib)), "got (int, Tensor)"),
    (lambda lib: lib.clamp(floats(lib), 2, floats(lib)), "got (Tensor, int, Tensor)"),
    (lambda lib: lib.clamp(floats(lib), floats(lib), 2), "got (Tensor, Tensor, int)"),
    (lambda lib: lib.clamp_min(2, floats(lib)), "received an invalid combination"),
    (lambda lib: lib.lerp(floats(lib), 2, 0.5), "got (Tensor, int, float)"),
], ids=["fmod", "rsub", "clamp number, tensor", "clamp tensor, number", "clamp_min",
        "lerp"])
def test_a_number_where_torch_has_no_such_form(call, phrase, raises_as_torch):
    raises_as_torch(call, phrase)


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_addcmul_and_addcdiv_take_only_tensors(name, raises_as_torch):
    error = raises_as_torch(lambda lib: getattr(lib, name)(floats(lib), floats(lib), 2),
                            "must be Tensor, not int")
    assert "argument 'tensor2'" in str(error)
    error = raises_as_torch(lambda lib: getattr(floats(lib), name)(2, floats(lib)),
                            "must be Tensor, not int")
    assert "argument 'tensor1'" in str(error)


def test_valid_number_forms_still_match_torch():
    for call in [lambda lib: lib.fmod(floats(lib), 2), lambda lib: lib.rsub(floats(lib), 2),
                 lambda lib: lib.clamp(floats(lib), 2, 2.5), lambda lib: lib.clamp_min(
                     floats(lib), 2), lambda lib: lib.lerp(floats(lib), floats(lib) * 2, 0.5),
                 lambda lib: lib.maximum(floats(lib), lib.tensor(2.0))]:
        assert call(tinygrad_edu).tolist() == call(torch).tolist()


OVERFLOWS = [("int8", 1000), ("int8", -129), ("int8", 127.5), ("uint8", 256), ("uint8", -256),
             ("uint8", -1.5), ("int16", 40000), ("int32", 2**40), ("int64", 2**63),
             ("int64", 1e19), ("int32", float("inf")), ("float32", 1e300), ("float16", 1e10)]
FITS = [("uint8", -1), ("uint8", -255), ("int8", 127), ("bool", 2), ("bool", 0.5),
        ("int64", 2.5), ("int64", -(2**63)), ("float32", float("inf")), ("float32", float("nan")),
        ("float64", 1e300), ("int8", True)]


def _masked_fill(dtype, value):
    return lambda lib: lib.zeros(3, dtype=getattr(lib, dtype)).masked_fill(
        lib.tensor([True, False, True]), value)


@pytest.mark.parametrize("dtype, value", OVERFLOWS, ids=repr)
def test_masked_fill_refuses_a_value_that_overflows(dtype, value, raises_as_torch):
    error = raises_as_torch(_masked_fill(dtype, value), "without overflow")
    assert str(error).startswith("value cannot be converted to type ")


@pytest.mark.parametrize("dtype, value", FITS, ids=repr)
def test_masked_fill_with_a_value_that_fits_matches_torch(dtype, value):
    ours, theirs = _masked_fill(dtype, value)(tinygrad_edu), _masked_fill(dtype, value)(torch)
    assert str(ours.dtype) == str(theirs.dtype)
    assert str(ours.tolist()) == str(theirs.tolist())


def test_masked_fill_checks_a_tensor_value_and_names_the_cpp_type(raises_as_torch):
    raises_as_torch(lambda lib: lib.zeros(2, dtype=lib.int8).masked_fill(
        lib.tensor([True, False]), lib.tensor(1000)), "type int8_t without overflow")
    raises_as_torch(_masked_fill("float32", 1e300), "type float without overflow")
    raises_as_torch(_masked_fill("int32", 2**40), "type int without overflow")
    raises_as_torch(_masked_fill("int64", 2**70), "int too big to convert")


@pytest.mark.parametrize("call", [
    lambda lib: lib.where(lib.tensor([True, False]), lib.zeros(2, dtype=lib.int8), 1000),
    lambda lib: lib.where(lib.tensor([True, False]), 1000, lib.zeros(2, dtype=lib.int8)),
    lambda lib: lib.zeros(2, dtype=lib.int8).clamp(max=1000),
    lambda lib: lib.zeros(2, dtype=lib.uint8).clamp(min=-300),
], ids=["where other", "where input", "clamp max", "clamp min"])
def test_where_and_clamp_refuse_a_number_that_overflows(call, raises_as_torch):
    raises_as_torch(call, "without overflow")


def test_where_and_clamp_with_numbers_that_fit_match_torch():
    for call in [
        lambda lib: lib.where(lib.tensor([True, False]), lib.zeros(2, dtype=lib.int8), 2.5),
        lambda lib: lib.tensor([0, 5, 200], dtype=lib.uint8).clamp(min=-1),
        lambda lib: lib.tensor([0, 5, 200], dtype=lib.uint8).clamp(max=100),
    ]:
        ours, theirs = call(tinygrad_edu), call(torch)
        assert (str(ours.dtype), ours.tolist()) == (str(theirs.dtype), theirs.tolist())


def _outcome(call, lib):
    """(dtype, values) of call(lib), or (exception type, the key phrase of its message: torch
    names C++ types in some, "result type Long can't be cast to ... long int")."""
    try:
        result = call(lib)
    except Exception as error:  # noqa: BLE001 - the error is what is compared
        return type(error).__name__, key_phrase(str(error))
    return str(result.dtype), result.tolist()


SWEEP = ["bool", "uint8", "int8", "int32", "int64", "float16", "float32"]


@pytest.mark.parametrize("dtype", SWEEP)
@pytest.mark.parametrize("name", ["abs", "floor", "round", "sign", "square", "relu", "neg"])
def test_unary_functions_compute_or_refuse_each_dtype_as_torch(name, dtype):
    def call(lib):
        return getattr(lib, name)(lib.tensor([1.0, 0.0, 2.0]).to(getattr(lib, dtype)))
    assert _outcome(call, tinygrad_edu) == _outcome(call, torch)


@pytest.mark.parametrize("dtype", SWEEP)
@pytest.mark.parametrize("call", [
    lambda lib, x: x ** x, lambda lib, x: x ** 2, lambda lib, x: x // x, lambda lib, x: x % x,
    lambda lib, x: lib.fmod(x, x), lambda lib, x: lib.lerp(x, x, 0.5),
    lambda lib, x: lib.addcmul(x, x, x), lambda lib, x: lib.addcdiv(x, x, x),
    lambda lib, x: lib.round(x, decimals=1), lambda lib, x: x.clone().clamp_(-1, 1),
], ids=["pow", "pow_2", "floor_divide", "remainder", "fmod", "lerp", "addcmul", "addcdiv",
        "round_decimals", "clamp_"])
def test_operators_compute_or_refuse_each_dtype_as_torch(call, dtype):
    def run(lib):
        return call(lib, lib.tensor([1.0, 3.0, 2.0]).to(getattr(lib, dtype)))
    assert _outcome(run, tinygrad_edu) == _outcome(run, torch)


def test_floor_division_of_floats_by_zero_is_infinite_as_torch():
    def call(lib):
        return lib.tensor([1.0, -1.0]) // 0
    assert _outcome(call, tinygrad_edu) == _outcome(call, torch)
