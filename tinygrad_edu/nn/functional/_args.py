"""What the topic modules share: torch's argument checks (in torch's words), and `wrap` for the
kernels whose backward computes on raw arrays."""
from __future__ import annotations

from ...functions.dtype_support import INTEGRAL, refuse
from ...tensor import Tensor

# how torch names dtypes in its C++ messages ("expected scalar type Float but found Double")
SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
# and in some others ("expected m1 and m2 to have the same dtype, but got: float != double")
SHORT_NAMES = {"float32": "float", "float64": "double", "float16": "half", "int64": "long",
               "int32": "int"}


def scalar_name(tensor: Tensor) -> str:
    return SCALAR_NAMES[tensor.dtype.name]


def check_tensor(value, function: str, argument: str = "input", position: int = 1) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(f"{function}(): argument '{argument}' (position {position}) must be "
                        f"Tensor, not {type(value).__name__}")


def int_tuple(value, n: int, function: str, argument: str) -> tuple:
    """An int, or a sequence of n ints (a 1-sequence is repeated), as an n-tuple."""
    if type(value) is int:  # the common case, first: this runs on every layer call
        return (value,) * n
    if isinstance(value, (tuple, list)):
        values = tuple(value)
        if len(values) == 1:
            values = values * n
    else:
        values = (value,) * n
    for v in values:
        if isinstance(v, bool) or not hasattr(v, "__index__"):
            raise TypeError(f"{function}(): argument '{argument}' must be tuple of ints, but "
                            f"found element of type {type(v).__name__}")
    return tuple(v.__index__() for v in values)


def check_float(input: Tensor, kernel: str) -> None:
    """Floating-point-only kernels: torch's NotImplementedError for integer inputs."""
    refuse(input, kernel, INTEGRAL)


# ----------------------------------------------------------------------------- kernels

def wrap(array):
    """A raw array returned by a backward on arrays (see once_differentiable) as a Tensor; None
    stays None."""
    return None if array is None else Tensor._make(array)
