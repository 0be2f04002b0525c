"""Data types: torch's names for NumPy's dtypes, and the default float type.

A `dtype` wraps a NumPy dtype and knows its *category* (bool < integer < floating), which torch's
type promotion (functions/promotion.py) works with.
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
