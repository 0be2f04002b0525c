"""The rest of Tensor's attributes and Python protocols: the legacy constructor, NumPy and list
conversion, hooks, strides and memory, `len()`, `bool()`, `float()`, printing, deep copies, and
torch's checks on assigning `.grad`. Installed on Tensor from the package __init__ (see
functions/__init__.py); the core class (tensor.py) does not need them to compute.
"""
from __future__ import annotations

import copy as copy_module
import weakref

from .. import backend, dtypes
from .._tensor_str import tensor_repr
from ..autograd.node import AccumulateGrad, accumulator
from ..tensor import Tensor
from ..tensor_base import init_from_array, wrap_dim
from .creation import empty, tensor


def legacy_init(self, *args, dtype=None, device=None, requires_grad: bool = False):
    """The legacy constructor: `Tensor([1, 2])` (float32 data) or `Tensor(2, 3)` (a shape)."""
    if len(args) == 1 and not isinstance(args[0], int):
        made = tensor(args[0], dtype=dtype or dtypes.get_default_dtype(), device=device)
    else:
        made = empty(*args, dtype=dtype, device=device)
    init_from_array(self, made._data)
    if requires_grad:
        self.requires_grad_(True)


# ----------------------------------------------------------------------------- autograd extras

def _set_grad(self, value) -> None:
    if value is not None:
        if not isinstance(value, Tensor):
            raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                            f"{type(value).__name__}")
        if value._data.shape != self._data.shape:
            raise RuntimeError("assigned grad has data of a different size")
        if value._data.dtype != self._data.dtype:
            raise RuntimeError("assigned grad has data of a different type")
        if type(value._data) is not type(self._data):
            raise RuntimeError("assigned grad has data located on a different device")
    self._grad = value


def retain_grad(self) -> None:
    """Keep this non-leaf tensor's gradient in `.grad` after backward (autograd/hooks.py)."""
    if not self._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self.grad_fn is None or self._retains_grad:
        return
    self._grad_fn._retain_grad(self._output_nr, weakref.ref(self))
    self._retains_grad = True


def register_hook(self, hook):
    """hook(grad) runs when this tensor's gradient is computed; it may return a new one."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    node = self.grad_fn if self.grad_fn is not None else accumulator(self)
    if type(node) is AccumulateGrad:
        self._hook_anchor = node  # keep the leaf's node (and so the hook) alive
    return node._add_tensor_hook(self._output_nr, hook)


# ----------------------------------------------------------------------------- NumPy and lists

def tolist(self):
    return backend.to_host(self._data, "tolist")


def numpy(self, force: bool = False):
    if self.device.type != "cpu":
        if force:
            return backend.to_device(self._data, backend.CPU)
        raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                        "Tensor.cpu() to copy the tensor to host memory first.")
    if self._requires_grad and not force:
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                           "tensor.detach().numpy() instead.")
    return self._data


# ----------------------------------------------------------------------------- memory and layout

def element_size(self) -> int:
    return self._data.itemsize


def stride(self, dim: int | None = None):
    strides = tuple(s // self._data.itemsize for s in self._data.strides)
    return strides if dim is None else strides[wrap_dim(dim, self._data.ndim)]


def is_contiguous(self, memory_format=None) -> bool:
    return bool(self._data.flags.c_contiguous)


def data_ptr(self) -> int:
    return self._data.__array_interface__["data"][0] if self.device.type == "cpu" \
        else self._data.data.ptr


def get_device(self) -> int:
    return -1 if self.device.type == "cpu" else self.device.index


def is_pinned(self) -> bool:
    return False


def pin_memory(self) -> Tensor:
    """torch pins host memory to speed copies to a GPU; CuPy stages its copies itself, so
    the tensor comes back as it is (errors as torch's where there is no GPU to copy to)."""
    if self.device.type != "cpu":
        raise RuntimeError(f"cannot pin '{self.type()}' only dense CPU tensors can be pinned")
    if not backend.cuda_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")
    return self


def _get_data(self) -> Tensor:
    """The same memory without autograd history (unlike detach(), not version-checked)."""
    return Tensor._make(self._data)


def _set_data(self, value: Tensor) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
    self._data = value._data


def detach_(self) -> Tensor:
    if self._base is not None:
        raise RuntimeError("Can't detach views in-place. Use detach() instead.")
    self._grad_fn, self._requires_grad, self._output_nr = None, False, 0
    return self


def _mT(self) -> Tensor:
    if self._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                           f"Got {self._data.ndim}-D tensor.")
    return self.transpose(-2, -1)


def _T(self) -> Tensor:
    return self.permute(*range(self._data.ndim - 1, -1, -1))


# ----------------------------------------------------------------------------- Python protocols

def __array__(self, dtype=None, copy=None):
    # as torch: a CPU tensor converts even when it requires grad, a CUDA one never does
    array = self.numpy(force=True) if self.device.type == "cpu" else self.numpy()
    return array if dtype is None else array.astype(dtype, copy=False)


def __len__(self) -> int:
    if self._data.ndim == 0:
        raise TypeError("len() of a 0-d tensor")
    return self._data.shape[0]


def __iter__(self):
    if self._data.ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    return (self[i] for i in range(self._data.shape[0]))


def _one_value(self, kind: str):
    if self._data.size != 1:
        raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                           "to Scalar" if kind != "bool" else
                           "Boolean value of Tensor with more than one value is ambiguous")
    return backend.to_host(self._data, "item")


def __bool__(self) -> bool:
    return bool(_one_value(self, "bool"))


def __float__(self) -> float:
    return float(_one_value(self, "float"))


def __int__(self) -> int:
    return int(_one_value(self, "int"))


def __index__(self) -> int:
    if self._data.dtype.kind not in "iub" or self._data.size != 1:
        raise TypeError("only integer tensors of a single element can be converted to an "
                        "index")
    return int(self._data.item())


def __complex__(self) -> complex:
    return complex(_one_value(self, "complex"))


def __format__(self, spec: str) -> str:
    if self._data.ndim == 0:
        return self._data.item().__format__(spec)
    return object.__format__(self, spec) if spec else repr(self)


def __repr__(self) -> str:
    return tensor_repr(self)


def __deepcopy__(self, memo):
    if self._grad_fn is not None:
        raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                           "support the deepcopy protocol at the moment.  If you were "
                           "attempting to deepcopy a module, this may be because of a "
                           "torch.nn.utils.weight_norm usage, see "
                           "https://github.com/pytorch/pytorch/pull/103001")
    if id(self) in memo:
        return memo[id(self)]
    copy = type(self).__new__(type(self))
    init_from_array(copy, self._data.copy())
    copy._requires_grad = self._requires_grad
    if self._grad is not None:
        copy._grad = self._grad.__deepcopy__(memo)
    for key, value in self.__dict__.items():
        if key not in ("_accumulator", "_hook_anchor"):
            copy.__dict__[key] = copy_module.deepcopy(value, memo)
    memo[id(self)] = copy
    return copy


METHODS = {
    "__init__": legacy_init, "retain_grad": retain_grad, "register_hook": register_hook,
    "tolist": tolist, "numpy": numpy, "element_size": element_size, "stride": stride,
    "is_contiguous": is_contiguous, "data_ptr": data_ptr, "get_device": get_device,
    "is_pinned": is_pinned, "pin_memory": pin_memory, "detach_": detach_,
    "ndimension": Tensor.dim, "nelement": Tensor.numel,
    "__array__": __array__, "__len__": __len__, "__iter__": __iter__, "__bool__": __bool__,
    "__float__": __float__, "__int__": __int__, "__index__": __index__,
    "__complex__": __complex__, "__format__": __format__, "__repr__": __repr__,
    "__str__": __repr__, "__deepcopy__": __deepcopy__,
    # properties
    "is_cuda": property(lambda self: self.device.type == "cuda"),
    "T": property(_T), "H": property(_T), "mT": property(_mT), "mH": property(_mT),
    "output_nr": property(lambda self: self._output_nr),
    "_version": property(lambda self: self._version_counter.value),
    "data": property(_get_data, _set_data),
    "retains_grad": property(lambda self: self._retains_grad),
    "grad": property(Tensor.grad.fget, _set_grad, Tensor.grad.fdel),
}
