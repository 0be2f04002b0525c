"""functions/comparison.py against torch: arguments torch types as Tensor refuse Python numbers,
isclose's tolerances and dtypes are checked, bitwise ops refuse floats as torch does."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu


def floats(lib):
    return lib.tensor([1.0, 2.0, 3.0])


def ints(lib):
    return lib.tensor([1, 2, 3])


COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less",
               "less_equal", "not_equal"]
TENSOR_ONLY = ["logical_and", "logical_or", "logical_xor", "isclose", "allclose", "equal"]


@pytest.mark.parametrize("name", COMPARISONS)
def test_a_comparison_takes_a_number_only_as_its_other_argument(name, raises_as_torch):
    raises_as_torch(lambda lib: getattr(lib, name)(2, floats(lib)),
                    "received an invalid combination of arguments - got (int, Tensor)")
    ours = getattr(tinygrad_edu, name)(floats(tinygrad_edu), 2)
    theirs = getattr(torch, name)(floats(torch), 2)
    assert ours.tolist() == theirs.tolist()
    assert getattr(floats(tinygrad_edu), name)(2).tolist() == theirs.tolist()


@pytest.mark.parametrize("name", TENSOR_ONLY)
@pytest.mark.parametrize("form", ["function, number second", "function, number first",
                                  "method", "method on ints"])
def test_tensor_only_arguments_refuse_a_number(name, form, raises_as_torch):
    calls = {
        "function, number second": (lambda lib: getattr(lib, name)(floats(lib), 2), "other"),
        "function, number first": (lambda lib: getattr(lib, name)(2, floats(lib)), "input"),
        "method": (lambda lib: getattr(floats(lib), name)(2), "other"),
        "method on ints": (lambda lib: getattr(ints(lib), name)(2), "other"),
    }
    call, argument = calls[form]
    error = raises_as_torch(call, "must be Tensor, not int")
    assert f"{name}(): argument '{argument}'" in str(error)


@pytest.mark.parametrize("name", ["isclose", "allclose"])
@pytest.mark.parametrize("tolerances, phrase", [
    ({"rtol": -1}, "rtol must be greater than or equal to zero, but got -1"),
    ({"atol": -1.5}, "atol must be greater than or equal to zero, but got -1.5"),
    ({"rtol": -1, "atol": -1}, "rtol must be greater than or equal to zero, but got -1"),
    ({"rtol": float("nan")}, "rtol must be greater than or equal to zero, but got nan"),
])
def test_isclose_refuses_negative_tolerances(name, tolerances, phrase, raises_as_torch):
    raises_as_torch(lambda lib: getattr(lib, name)(floats(lib), floats(lib), **tolerances),
                    phrase)
    raises_as_torch(lambda lib: getattr(lib, name)(ints(lib), ints(lib), **tolerances), phrase)


def test_isclose_refuses_different_dtypes_and_keeps_zero_tolerances(raises_as_torch):
    raises_as_torch(lambda lib: lib.isclose(floats(lib), ints(lib)), "Float did not match Long")
    for options in ({"rtol": 0.0, "atol": 0.0}, {"rtol": -0.0}, {"equal_nan": True}):
        ours = tinygrad_edu.isclose(floats(tinygrad_edu), floats(tinygrad_edu) + 1e-6, **options)
        theirs = torch.isclose(floats(torch), floats(torch) + 1e-6, **options)
        assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("call", [
    lambda lib: lib.bitwise_and(floats(lib), 2),
    lambda lib: lib.bitwise_or(2, floats(lib)),
    lambda lib: floats(lib) & 1,
    lambda lib: 1 ^ floats(lib),
    lambda lib: ints(lib) & 1.5,
], ids=["bitwise_and", "bitwise_or reflected", "&", "^ reflected", "int & float number"])
def test_bitwise_ops_refuse_floats_with_torchs_not_implemented_error(call, raises_as_torch):
    raises_as_torch(call, "not implemented for 'Float'")


def test_bitwise_not_of_floats_raises_as_torch(raises_as_torch):
    raises_as_torch(lambda lib: lib.bitwise_not(floats(lib)),
                    "\"bitwise_not_cpu\" not implemented for 'Float'")
    raises_as_torch(lambda lib: ~floats(lib),
                    "~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    assert (~ints(tinygrad_edu)).tolist() == (~ints(torch)).tolist()
