"""Argument handling shared by the public functions: sizes, dims, dtypes, devices, scalars,
and the `out=` tensor."""
from __future__ import annotations

from .. import backend, dtypes
from ..autograd import grad_mode
from ..tensor import Size, Tensor


def size_args(args, name: str = "size") -> tuple:
    """`zeros(2, 3)`, `zeros((2, 3))`, `zeros([2, 3])` and `zeros(torch.Size([2, 3]))` alike."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    shape = []
    for size in args:
        if hasattr(size, "__index__") and not isinstance(size, float):
            size = size.__index__()
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"{name} must be tuple of ints, but got {type(size).__name__}")
        if size < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {size}: "
                               f"{list(args)}")
        shape.append(size)
    return tuple(shape)


def args_or_keyword(args: tuple, keyword, name: str, function: str) -> tuple:
    """Sizes or dims given as arguments (`x.flip(0, 1)`, `x.flip((0, 1))`) or by torch's keyword
    (`x.flip(dims=(0, 1))`, `zeros(size=(2, 3))`): torch takes both forms."""
    if keyword is None:
        return args
    if args:
        raise TypeError(f"{function}() got multiple values for argument '{name}'")
    if not isinstance(keyword, (tuple, list)):
        raise TypeError(f"{function}(): argument '{name}' must be tuple of ints, not "
                        f"{type(keyword).__name__}")
    return (keyword,)


def wrap_dim(dim, ndim: int) -> int:
    """A possibly negative dim as an axis, with torch's IndexError when out of range."""
    size = max(ndim, 1)
    if hasattr(dim, "__index__"):
        dim = dim.__index__()
    if not -size <= dim < size:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-size}, "
                         f"{size - 1}], but got {dim})")
    return dim + size if dim < 0 else dim


def wrap_dims(dim, ndim: int):
    """None (all axes), an int, or a tuple/list of ints -> None or a sorted tuple of axes."""
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)):
        if len(dim) == 0:
            return None
        axes = [wrap_dim(d, ndim) for d in dim]
        for position, axis in enumerate(axes):
            if axis in axes[:position]:
                raise RuntimeError(f"dim {axis} appears multiple times in the list of dims")
        return tuple(sorted(axes)) if ndim else None
    return (wrap_dim(dim, ndim),) if ndim else None


def numpy_dtype(dtype, default=None, function: str = "tensor"):
    """Our dtype (or None) -> the NumPy dtype to create arrays with."""
    if dtype is None:
        return None if default is None else default.numpy
    return dtypes.as_dtype(dtype, function=function).numpy


def device_of(device):
    return backend.as_device(device)


def is_scalar(value) -> bool:
    return isinstance(value, (int, float, bool))


def write_out(result: Tensor, out: Tensor, name: str) -> Tensor:
    """Store the result of function `name` in the `out=` tensor, as torch's `out=` arguments do."""
    if not isinstance(out, Tensor):
        raise TypeError(f"argument 'out' must be Tensor, not {type(out).__name__}")
    if out._requires_grad and grad_mode.state.enabled and (
            result._requires_grad or out._grad_fn is None):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if out._data.shape != result._data.shape:
        out._data = result._data.astype(out._data.dtype, copy=True)  # torch resizes `out`
    else:
        out._data[...] = result._data
    out._version_counter.bump("out=")
    return out


def maybe_out(result: Tensor, out, name: str) -> Tensor:
    """`result`, or `out` holding it when an `out=` tensor was given."""
    return result if out is None else write_out(result, out, name)


def broadcast_shapes(*shapes) -> Size:
    """torch.broadcast_shapes (an int is a 1-d shape), with torch's error naming the two sizes
    that clash."""
    shapes = [(shape,) if isinstance(shape, int) else shape for shape in shapes]
    for shape in shapes:
        if not isinstance(shape, (tuple, list)):
            raise RuntimeError("Input shapes should be of type ints, a tuple of ints, or a list "
                               f"of ints, got {shape}")
    ndim = max((len(s) for s in shapes), default=0)
    result = [1] * ndim
    for which, shape in enumerate(shapes):
        for axis in reversed(range(ndim - len(shape), ndim)):  # torch reports the last clash
            size = shape[axis - ndim + len(shape)]
            if size == result[axis] or size == 1:
                continue
            if result[axis] == 1:
                if size < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                result[axis] = size
                continue
            if which == 1:
                raise RuntimeError(f"The size of tensor a ({result[axis]}) must match the size "
                                   f"of tensor b ({size}) at non-singleton dimension {axis}")
            raise RuntimeError("shape mismatch: objects cannot be broadcast to a single shape.  "
                               f"Mismatch is between arg 0 and arg {which}.")
    return Size(result)


# ----------------------------------------------------------------------------- argument types

def tensor_only(function: str, **arguments) -> None:
    """torch's TypeError for parameters its signature types as Tensor with no number form:
    `torch.maximum(x, 2)` is refused where `torch.add(x, 2)` is not. Checked in order."""
    for name, value in arguments.items():
        if not isinstance(value, Tensor):
            raise TypeError(f"{function}(): argument '{name}' must be Tensor, not "
                            f"{type(value).__name__}")


def invalid_combination(function: str, *arguments) -> None:
    """torch's TypeError for arguments that match none of a function's signatures."""
    got = ", ".join(type(value).__name__ for value in arguments)
    raise TypeError(f"{function}() received an invalid combination of arguments - got ({got})")


def tensor_first(function: str, *arguments) -> None:
    """torch's TypeError when the first argument of a function that also takes numbers for its
    other arguments is not a Tensor: `torch.eq(2, x)` (while `torch.eq(x, 2)` is valid)."""
    if not isinstance(arguments[0], Tensor):
        invalid_combination(function, *arguments)


# ----------------------------------------------------------------------------- number to dtype

# torch's C++ names for its messages, and the largest finite value of each floating dtype
CPP_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
              "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double"}
FLOAT_MAX = {"float16": 65504.0, "float32": 3.4028234663852886e38,
              "float64": 1.7976931348623157e308}


def _fits(value, dtype) -> bool:
    """Whether a Python number converts to NumPy dtype `dtype` as torch's checked conversion
    allows: integers within range (unsigned ones also down to -max, wrapping around), floats
    within the finite range, or infinite, or NaN."""
    if dtype.kind in "iu":
        bits = 8 * dtype.itemsize
        high = 2 ** (bits - 1) - 1 if dtype.kind == "i" else 2 ** bits - 1
        low = -high - 1 if dtype.kind == "i" else (-high if isinstance(value, int) else 0)
        return low <= value <= high  # False for NaN
    if value != value or value in (float("inf"), float("-inf")):
        return True
    return abs(value) <= FLOAT_MAX.get(dtype.name, float("inf"))


def checked_scalar(value, dtype):
    """`value` as a number NumPy stores in `dtype` (negative integers wrapped for unsigned
    dtypes, as C casts them), or torch's RuntimeError when it overflows."""
    if isinstance(value, int) and not -2 ** 63 <= value < 2 ** 64:  # torch's own limits first
        raise OverflowError("int too big to convert" if value > 0 else
                            "can't convert negative int to unsigned")
    if not isinstance(value, (int, float)) or isinstance(value, bool) or dtype.kind == "b":
        return value
    if not _fits(value, dtype):
        raise RuntimeError(f"value cannot be converted to type {CPP_NAMES[dtype.name]} without "
                           "overflow")
    return value % 2 ** (8 * dtype.itemsize) if dtype.kind == "u" and value < 0 else value
