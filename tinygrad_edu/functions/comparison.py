"""Comparisons, logical and bitwise operators, and the NaN/inf tests: bool results, no graph."""
from __future__ import annotations

from .. import backend
from ..tensor import Tensor
from ._args import tensor_first, tensor_only
from .pointwise import _raise_broadcast_error, _raw, _scalar, promote


def _compare(name: str, a, b) -> Tensor:
    """Comparisons make bool tensors and no graph (they have no gradient)."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        a, b = promote(a, b)
    a_raw = a._data if isinstance(a, Tensor) else _scalar(a)
    b_raw = b._data if isinstance(b, Tensor) else _scalar(b)
    xp = backend.get_array_module(a_raw if isinstance(a, Tensor) else b_raw)
    try:
        return Tensor._make(getattr(xp, name)(a_raw, b_raw))
    except ValueError:
        _raise_broadcast_error(a, b)
        raise


def _comparison(torch_name: str, name: str):
    """eq, ne, lt, ...: the input must be a Tensor, the other a Tensor or a number."""
    def comparison(input, other) -> Tensor:
        tensor_first(torch_name, input, other)
        return _compare(name, input, other)
    comparison.__name__ = comparison.__qualname__ = torch_name
    return comparison


eq = _comparison("eq", "equal")
ne = _comparison("ne", "not_equal")
lt = _comparison("lt", "less")
le = _comparison("le", "less_equal")
gt = _comparison("gt", "greater")
ge = _comparison("ge", "greater_equal")
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def logical_and(input, other) -> Tensor:
    tensor_only("logical_and", input=input, other=other)
    return _compare("logical_and", input, other)


def logical_or(input, other) -> Tensor:
    tensor_only("logical_or", input=input, other=other)
    return _compare("logical_or", input, other)


def logical_xor(input, other) -> Tensor:
    tensor_only("logical_xor", input=input, other=other)
    return _compare("logical_xor", input, other)


def logical_not(input) -> Tensor:
    tensor_only("logical_not", input=input)
    return Tensor._make(backend.get_array_module(input._data).logical_not(input._data))


def _bitwise(name: str, a, b) -> Tensor:
    for x in (a, b):
        if isinstance(x, float) or isinstance(x, Tensor) and x._data.dtype.kind == "f":
            scalar_name = x.dtype.scalar_name if isinstance(x, Tensor) else "Float"
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{scalar_name}'")
    return _compare(name, a, b)


def bitwise_and(input, other) -> Tensor:
    return _bitwise("bitwise_and", input, other)


def bitwise_or(input, other) -> Tensor:
    return _bitwise("bitwise_or", input, other)


def bitwise_xor(input, other) -> Tensor:
    return _bitwise("bitwise_xor", input, other)


def bitwise_not(input) -> Tensor:
    if input._data.dtype.kind == "f":
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for "
                                  f"'{input.dtype.scalar_name}'")
    return Tensor._make(backend.get_array_module(input._data).invert(input._data))


def isnan(input) -> Tensor:
    return Tensor._make(backend.get_array_module(input._data).isnan(input._data))


def isinf(input) -> Tensor:
    return Tensor._make(backend.get_array_module(input._data).isinf(input._data))


def isfinite(input) -> Tensor:
    return Tensor._make(backend.get_array_module(input._data).isfinite(input._data))


def _check_tolerances(input, other, rtol, atol) -> None:
    tensor_only("isclose", input=input, other=other)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{input.dtype.scalar_name} did not match {other.dtype.scalar_name}")
    for name, value in (("rtol", rtol), ("atol", atol)):
        if not value >= 0:  # NaN too
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got "
                               f"{value:g}")


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    _check_tolerances(input, other, rtol, atol)
    xp = backend.get_array_module(input._data)
    return Tensor._make(xp.isclose(input._data, _raw(other), rtol=rtol, atol=atol,
                                   equal_nan=equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    tensor_only("allclose", input=input, other=other)
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input, other) -> bool:
    tensor_only("equal", input=input, other=other)
    return tuple(input.shape) == tuple(other.shape) and bool((input == other).all())
