"""torch's type promotion: the dtype of `a + b` when a and b differ.

Promotion follows torch (not NumPy): operands fall into three priority classes — tensors with
dimensions, 0-d tensors, Python scalars — and a lower class only changes the result when it is of
a higher *category* (bool < integer < floating). So `int_tensor * 2.5` is float32 (the default
float), and `float32_tensor * float64_scalar_tensor` stays float32.
"""
from __future__ import annotations

from .. import arrays
from ..dtypes import BOOL, FLOAT, bool_, dtype, from_numpy, get_default_dtype, int64


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types: the smallest type both convert to without leaving their category."""
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    if a.category == BOOL:
        return a
    if a.category == FLOAT:
        return a if a.itemsize >= b.itemsize else b
    return from_numpy(arrays.promote_types(a.numpy, b.numpy))


def scalar_dtype(value) -> dtype:
    """The dtype a Python scalar takes when it meets a tensor (a 'wrapped number')."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    return get_default_dtype()


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # torch's combine_categories: a lower priority class wins only with a higher category.
    if higher is None:
        return lower
    if lower is None or higher.category == FLOAT:
        return higher
    if higher.category == BOOL or lower.category == FLOAT:
        return promote_types(higher, lower)
    return higher


def result_type(*operands) -> dtype:
    """torch.result_type over tensors (anything with `.dtype` and `.ndim`) and Python scalars."""
    dims = zeros = scalars = None
    for x in operands:
        d = getattr(x, "dtype", None)
        if d is None:
            d = scalar_dtype(x)
            scalars = d if scalars is None else promote_types(scalars, d)
        elif x.ndim == 0:
            zeros = d if zeros is None else promote_types(zeros, d)
        else:
            dims = d if dims is None else promote_types(dims, d)
    return _combine(dims, _combine(zeros, scalars))


def can_cast(source: dtype, target: dtype) -> bool:
    """torch.can_cast: no cast to a lower category (used for in-place ops and `out=`)."""
    return source.category <= target.category
