"""Data types and torch's type promotion.

A `dtype` wraps a NumPy dtype. Promotion follows torch (not NumPy): operands fall into three
priority classes — tensors with dimensions, 0-d tensors, Python scalars — and a lower class only
changes the result when it is of a higher *category* (bool < integer < floating). So
`int_tensor * 2.5` is float32 (the default float), and `float32_tensor * float64_scalar_tensor`
stays float32.
"""
from __future__ import annotations

from . import backend


class dtype:
    """A tensor element type, printed as torch prints it (`torch.float32`)."""

    __slots__ = ("name", "numpy", "itemsize", "is_floating_point", "is_signed", "category",
                 "scalar_name")

    def __init__(self, name: str, numpy_name: str, category: int, scalar_name: str):
        self.name = name
        self.scalar_name = scalar_name  # torch's C++ name, used in its messages ("Float")
        self.numpy = backend.numpy_dtype(numpy_name)
        self.itemsize = self.numpy.itemsize
        self.is_floating_point = category == FLOAT
        self.is_signed = name not in ("uint8", "bool")
        self.category = category

    @property
    def is_complex(self) -> bool:
        return False

    def to_real(self) -> dtype:
        return self

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


BOOL, INTEGER, FLOAT = 0, 1, 2

float32 = dtype("float32", "float32", FLOAT, "Float")
float64 = dtype("float64", "float64", FLOAT, "Double")
float16 = dtype("float16", "float16", FLOAT, "Half")
int64 = dtype("int64", "int64", INTEGER, "Long")
int32 = dtype("int32", "int32", INTEGER, "Int")
int16 = dtype("int16", "int16", INTEGER, "Short")
int8 = dtype("int8", "int8", INTEGER, "Char")
uint8 = dtype("uint8", "uint8", INTEGER, "Byte")
bool_ = dtype("bool", "bool", BOOL, "Bool")

ALL = (float32, float64, float16, int64, int32, int16, int8, uint8, bool_)
_BY_NUMPY = {d.numpy: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}
_ALIASES = {"float": float32, "double": float64, "half": float16, "long": int64, "int": int32,
            "short": int16}


def _by_name(name: str) -> dtype:
    return _BY_NAME[name]


_default_float = float32


def get_default_dtype() -> dtype:
    return _default_float


def set_default_dtype(d: dtype) -> None:
    global _default_float
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def from_numpy(np_dtype) -> dtype:
    """Our dtype for a NumPy dtype, with torch's message for the ones torch lacks."""
    try:
        return _BY_NUMPY[np_dtype]
    except KeyError:
        raise TypeError(f"can't convert np.ndarray of type {np_dtype}. The only supported types "
                        "are: float64, float32, float16, int64, int32, int16, int8, uint8, "
                        "and bool.") from None


def as_dtype(spec, argument: str = "dtype", function: str = "tensor") -> dtype:
    """Accept our dtype objects (and Python's `float`/`int`/`bool`, as torch does)."""
    if isinstance(spec, dtype):
        return spec
    if spec is float:
        return float64
    if spec is int:
        return int64
    if spec is bool:
        return bool_
    raise TypeError(f"{function}(): argument '{argument}' must be torch.dtype, "
                    f"not {type(spec).__name__}")


def to_numpy(d) -> object:
    return as_dtype(d).numpy


# ----------------------------------------------------------------------------- promotion

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
    return from_numpy(backend.numpy_module().promote_types(a.numpy, b.numpy))


def scalar_dtype(value) -> dtype:
    """The dtype a Python scalar takes when it meets a tensor (a 'wrapped number')."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    return _default_float


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
