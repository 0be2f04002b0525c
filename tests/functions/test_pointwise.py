"""functions/pointwise.py against torch: integer division by zero raises (NumPy gave 0)."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu

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
