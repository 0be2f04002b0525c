"""Conversions between dtypes and devices: `to`, `float()`, `long()`, `type`, `cpu`, `cuda`."""
from __future__ import annotations

from .. import backend, dtypes
from ..autograd.views import tensor_type_name
from ..ops import movement as mv
from ..tensor import Tensor
from .formats import check_memory_format


def to(input, *args, **kwargs) -> Tensor:
    """to(dtype), to(device), to(device, dtype), to(other), with copy= and non_blocking=."""
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    check_memory_format(kwargs.pop("memory_format", None), input._data.ndim, "to")
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for arg in args:
        if isinstance(arg, Tensor):
            dtype, device = arg.dtype, arg.device
        elif isinstance(arg, dtypes.dtype) or arg in (float, int, bool):
            dtype = arg
        elif isinstance(arg, (str, backend.Device)) or (isinstance(arg, int)
                                                        and not isinstance(arg, bool)):
            device = arg
        elif isinstance(arg, bool):
            continue  # non_blocking given positionally
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got "
                            f"({type(arg).__name__})")
    target_dtype = None if dtype is None else dtypes.as_dtype(dtype, function="to")
    target_device = None if device is None else backend.as_device(device)
    same_dtype = target_dtype is None or target_dtype.numpy == input._data.dtype
    same_device = target_device is None or target_device == input.device
    if same_dtype and same_device and not copy:
        return input
    return mv.ToCopy.apply(input, dtype=None if same_dtype else target_dtype.numpy,
                           device=None if same_device else target_device, copy=copy)


def _converter(dtype_name, name):
    def convert(input, *, memory_format=None) -> Tensor:
        check_memory_format(memory_format, input._data.ndim, name)
        return to(input, getattr(dtypes, dtype_name))
    convert.__name__ = convert.__qualname__ = name
    return convert


# Tensor.float(), .double(), ... (named with a trailing _ here so as not to hide the builtins)
float_ = _converter("float32", "float")
double = _converter("float64", "double")
half = _converter("float16", "half")
long = _converter("int64", "long")
int_ = _converter("int32", "int")
short = _converter("int16", "short")
char = _converter("int8", "char")
byte = _converter("uint8", "byte")
bool_ = _converter("bool_", "bool")

_TYPE_NAMES = {"torch.FloatTensor": "float32", "torch.DoubleTensor": "float64",
               "torch.HalfTensor": "float16", "torch.LongTensor": "int64",
               "torch.IntTensor": "int32", "torch.ShortTensor": "int16",
               "torch.CharTensor": "int8", "torch.ByteTensor": "uint8",
               "torch.BoolTensor": "bool_"}


def type_(input, dtype=None, non_blocking: bool = False, *, memory_format=None):
    """Without arguments the type string ('torch.FloatTensor'); with one, a conversion."""
    if dtype is None:
        name = tensor_type_name(input)
        return name if input.device.type == "cpu" else name.replace("torch.", "torch.cuda.")
    if isinstance(dtype, str):
        dtype = getattr(dtypes, _TYPE_NAMES[dtype.replace(".cuda", "")])
    elif isinstance(getattr(dtype, "dtype", None), dtypes.dtype):  # torch.FloatTensor & co
        if dtype.device_type != input.device.type:
            input = to(input, dtype.device_type)
        dtype = dtype.dtype
    return to(input, dtype, memory_format=memory_format)


def type_as(input, other) -> Tensor:
    return to(input, other.dtype)


def cpu(input, *, memory_format=None) -> Tensor:
    return to(input, backend.CPU, memory_format=memory_format)


def cuda(input, device=None, non_blocking: bool = False, *, memory_format=None) -> Tensor:
    return to(input, "cuda" if device is None else device, memory_format=memory_format)
