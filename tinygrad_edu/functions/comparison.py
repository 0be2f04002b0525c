"""Comparisons, logical and bitwise operators, and the NaN/inf tests: bool results, no graph."""
from __future__ import annotations

from .. import backend
from ..tensor import Tensor
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


def eq(input, other) -> Tensor:
    return _compare("equal", input, other)


def ne(input, other) -> Tensor:
    return _compare("not_equal", input, other)


def lt(input, other) -> Tensor:
    return _compare("less", input, other)


def le(input, other) -> Tensor:
    return _compare("less_equal", input, other)


def gt(input, other) -> Tensor:
    return _compare("greater", input, other)


def ge(input, other) -> Tensor:
    return _compare("greater_equal", input, other)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def logical_and(input, other) -> Tensor:
    return _compare("logical_and", input, other)


def logical_or(input, other) -> Tensor:
    return _compare("logical_or", input, other)


def logical_xor(input, other) -> Tensor:
    return _compare("logical_xor", input, other)


def logical_not(input) -> Tensor:
    return Tensor._make(backend.get_array_module(input._data).logical_not(input._data))


def _bitwise(name: str, a, b) -> Tensor:
    for x in (a, b):
        if isinstance(x, Tensor) and x._data.dtype.kind == "f":
            raise RuntimeError(f"\"{name}_cpu\" not implemented for "
                               f"'{x.dtype.scalar_name}'")
    return _compare(name, a, b)


def bitwise_and(input, other) -> Tensor:
    return _bitwise("bitwise_and", input, other)


def bitwise_or(input, other) -> Tensor:
    return _bitwise("bitwise_or", input, other)


def bitwise_xor(input, other) -> Tensor:
    return _bitwise("bitwise_xor", input, other)


def bitwise_not(input) -> Tensor:
    if input._data.dtype.kind == "f":
        raise RuntimeError("bitwise_not is only supported for integer and boolean tensors")
    return Tensor._make(backend.get_array_module(input._data).invert(input._data))


def isnan(input) -> Tensor:
    return Tensor._make(backend.get_array_module(input._data).isnan(input._data))


def isinf(input) -> Tensor:
    return Tensor._make(backend.get_array_module(input._data).isinf(input._data))


def isfinite(input) -> Tensor:
    return Tensor._make(backend.get_array_module(input._data).isfinite(input._data))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    xp = backend.get_array_module(input._data)
    return Tensor._make(xp.isclose(input._data, _raw(other), rtol=rtol, atol=atol,
                                   equal_nan=equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input, other) -> bool:
    return tuple(input.shape) == tuple(other.shape) and bool((input == other).all())


