"""Conversions between dtypes and devices: `to`, `float()`, `long()`, `type`, `cpu`, `cuda`."""
from __future__ import annotations

from .. import backend, dtypes
from ..autograd.views import tensor_type_name
from ..ops import movement as mv
from ..tensor import Tensor


def to(input, *args, **kwargs) -> Tensor:
    """to(dtype), to(device), to(device, dtype), to(other), with copy= and non_blocking=."""
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
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


def _converter(dtype_name):
    def convert(input, memory_format=None) -> Tensor:
        return to(input, getattr(dtypes, dtype_name))
    convert.__name__ = dtype_name
    return convert


# Tensor.float(), .double(), ... (named with a trailing _ here so as not to hide the builtins)
float_ = _converter("float32")
double = _converter("float64")
half = _converter("float16")
long = _converter("int64")
int_ = _converter("int32")
short = _converter("int16")
char = _converter("int8")
byte = _converter("uint8")
bool_ = _converter("bool_")

_TYPE_NAMES = {"torch.FloatTensor": "float32", "torch.DoubleTensor": "float64",
               "torch.HalfTensor": "float16", "torch.LongTensor": "int64",
               "torch.IntTensor": "int32", "torch.ShortTensor": "int16",
               "torch.CharTensor": "int8", "torch.ByteTensor": "uint8",
               "torch.BoolTensor": "bool_"}


def type_(input, dtype=None, non_blocking: bool = False):
    """Without arguments the type string ('torch.FloatTensor'); with one, a conversion."""
    if dtype is None:
        name = tensor_type_name(input)
        return name if input.device.type == "cpu" else name.replace("torch.", "torch.cuda.")
    if isinstance(dtype, str):
        dtype = getattr(dtypes, _TYPE_NAMES[dtype.replace(".cuda", "")])
    return to(input, dtype)


def type_as(input, other) -> Tensor:
    return to(input, other.dtype)


def cpu(input) -> Tensor:
    return to(input, backend.CPU)


def cuda(input, device=None, non_blocking: bool = False) -> Tensor:
    return to(input, "cuda" if device is None else device)
