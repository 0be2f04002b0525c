"""The names old tutorials use: typed tensor classes, dtype limits, and a few small queries.

    x = torch.FloatTensor([[1, 2], [3, 4]])     # a float32 tensor from data
    w = torch.FloatTensor(3, 5)                 # a float32 tensor of that shape (zeros here;
                                                # torch leaves it uninitialised)
    isinstance(x, torch.FloatTensor)            # True: float32 on the CPU
    x.type(torch.DoubleTensor)                  # a float64 copy
    torch.finfo(torch.float32).eps              # 1.1920928955078125e-07

The typed classes are not subclasses of Tensor (every tensor here is a `Tensor`); as in torch,
`isinstance` asks for the dtype and the device instead.
"""
from __future__ import annotations

import warnings

from .. import backend, dtypes
from ..backend import CPU
from ..random import default_generator
from ..tensor import Size, Tensor
from .creation import tensor, zeros

__all__ = ["BoolTensor", "ByteTensor", "CharTensor", "DoubleTensor", "FloatTensor",
           "HalfTensor", "IntTensor", "LongTensor", "ShortTensor", "finfo", "get_rng_state",
           "iinfo", "is_nonzero", "is_storage", "set_default_tensor_type", "set_rng_state",
           "typename"]


class _TypedTensorClass(type):
    """The metaclass of FloatTensor & co: `isinstance(x, FloatTensor)` checks x's dtype and
    device; calling the class builds a tensor of that dtype from data or from sizes."""

    def __instancecheck__(cls, obj) -> bool:
        return (isinstance(obj, Tensor) and obj.dtype is cls.dtype
                and obj.device.type == cls.device_type)

    def __call__(cls, *args, device=None):
        device = device if device is not None else cls.device_type
        if len(args) == 1 and not isinstance(args[0], int) and not isinstance(args[0], Size):
            data = args[0]
            if isinstance(data, Tensor) and data.dtype is not cls.dtype:
                raise TypeError(f"expected {_options(cls.dtype, device)} (got "
                                f"{_options(data.dtype, data.device.type)})")
            return tensor(data, dtype=cls.dtype, device=device)
        shape = tuple(args[0]) if len(args) == 1 and isinstance(args[0], Size) else args or (0,)
        if not all(isinstance(size, int) for size in shape):
            raise TypeError(f"new(): argument 'size' must be tuple of ints, but found element of "
                            f"type {type(shape[0]).__name__}")
        return zeros(shape, dtype=cls.dtype, device=device)

    def __repr__(cls) -> str:
        return f"<class '{cls.__module__}.{cls.__name__}'>"


# the C++ type names torch's constructor messages use
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
              "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
              "uint8": "unsigned char", "bool": "bool"}


def _options(dtype, device: str) -> str:
    return (f"TensorOptions(dtype={_CPP_NAMES[dtype.name]}, device={device}, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


def _typed(name: str, dtype, device_type: str = "cpu"):
    prefix = "torch" if device_type == "cpu" else "torch.cuda"
    return _TypedTensorClass(name, (), {"dtype": dtype, "device_type": device_type,
                                        "__module__": prefix, "is_cuda": device_type == "cuda"})


FloatTensor = _typed("FloatTensor", dtypes.float32)
DoubleTensor = _typed("DoubleTensor", dtypes.float64)
HalfTensor = _typed("HalfTensor", dtypes.float16)
LongTensor = _typed("LongTensor", dtypes.int64)
IntTensor = _typed("IntTensor", dtypes.int32)
ShortTensor = _typed("ShortTensor", dtypes.int16)
CharTensor = _typed("CharTensor", dtypes.int8)
ByteTensor = _typed("ByteTensor", dtypes.uint8)
BoolTensor = _typed("BoolTensor", dtypes.bool_)
TYPED_CLASSES = (FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor,
                 CharTensor, ByteTensor, BoolTensor)
CUDA_TYPED_CLASSES = tuple(_typed(cls.__name__, cls.dtype, "cuda") for cls in TYPED_CLASSES)


# ----------------------------------------------------------------------------- dtype limits

class finfo:  # noqa: N801 - torch's name
    """The limits of a floating dtype: bits, eps, max, min, tiny (= smallest_normal),
    resolution; `finfo()` describes the default dtype."""

    def __init__(self, type=None):  # noqa: A002 - torch's argument name
        type = dtypes.get_default_dtype() if type is None else type
        if not isinstance(type, dtypes.dtype) or not type.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        info = backend.xp_for(CPU).finfo(type.numpy)
        self.dtype, self.bits = type.name, info.bits
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0**-info.precision  # as torch gives it: not rounded to the dtype

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:  # noqa: N801 - torch's name
    """The limits of an integer dtype: bits, max, min."""

    def __init__(self, type):  # noqa: A002 - torch's argument name
        if not isinstance(type, dtypes.dtype) or type.is_floating_point or type is dtypes.bool_:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = backend.xp_for(CPU).iinfo(type.numpy)
        self.dtype, self.bits, self.max, self.min = type.name, info.bits, int(info.max), \
            int(info.min)

    def __repr__(self) -> str:
        return f"iinfo(min={float(self.min):g}, max={float(self.max):g}, dtype={self.dtype})"


# ----------------------------------------------------------------------------- small queries

def typename(obj) -> str:
    """torch.typename: 'torch.FloatTensor' for a tensor, the qualified class name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    kind = obj if isinstance(obj, type) else type(obj)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def is_nonzero(input) -> bool:
    """The truth of a one-element tensor; torch's errors for none or several elements."""
    if input.numel() == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if input.numel() > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input.item())


def is_storage(obj) -> bool:
    """False: tinygrad_edu has no user-visible storage objects (`untyped_storage()` aside)."""
    return False


def set_default_tensor_type(t) -> None:
    """Deprecated in torch: the default floating dtype from a typed class or its name."""
    warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
                  UserWarning, stacklevel=2)
    if isinstance(t, str):
        found = [cls for cls in TYPED_CLASSES if f"torch.{cls.__name__}" == t]
        if not found:
            raise TypeError(f"invalid type: '{t}'")
        t = found[0]
    dtypes.set_default_dtype(t.dtype)


def get_rng_state():
    """The default generator's state (its seed and NumPy bit-generator state, not torch's
    byte tensor: the streams differ, so states cannot be exchanged with torch)."""
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    default_generator.set_state(new_state)
