"""More of Tensor's small methods and attributes, as torch answers them for a real, dense,
strided tensor: the dtype and layout queries (is_complex, is_signed, is_cpu, is_meta, ...),
nbytes/itemsize/storage_offset, the conjugate family (the tensor itself, as torch returns it for
real dtypes), `real`/`imag`, the legacy `new`, new_empty_strided, resize_, apply_/map_/map2_
(Python callables, element by element) and the sparse interface asked of a dense tensor.
"""
from __future__ import annotations

import itertools
import numbers

from .. import arrays, dtypes
from ..autograd import grad_mode
from ..autograd.inplace import _check_not_leaf
from ..tensor import Size, Tensor
from . import _args
from .attributes import data_ptr
from .creation import empty, tensor
from .decompositions import check_tensor
from .legacy import is_nonzero
from .shape import expand

__all__ = ["conj", "conj_physical", "imag", "is_complex", "is_conj", "is_inference", "is_neg",
           "is_same_size", "is_signed", "real", "resolve_conj", "resolve_neg"]


# ----------------------------------------------------------------------------- queries

def is_complex(input) -> bool:
    """No complex dtypes here: always False."""
    return False


def is_signed(input) -> bool:
    """Whether the dtype holds negative numbers (not uint8, not bool)."""
    return input.dtype not in (dtypes.uint8, dtypes.bool_)


def is_same_size(input, other) -> bool:
    return tuple(input.shape) == tuple(other.shape)


def is_conj(input) -> bool:
    """Whether a conjugation is pending (torch's lazy conj, of complex tensors only)."""
    return False


def is_neg(input) -> bool:
    """Whether a negation is pending (torch's lazy negation, of complex tensors only)."""
    return False


def is_inference(input) -> bool:
    """inference_mode here is no_grad: no tensor is an inference tensor."""
    return False


def is_set_to(self, tensor) -> bool:
    """Whether both tensors see the same memory with the same shape and strides."""
    return (data_ptr(self) == data_ptr(tensor) and self.shape == tensor.shape
            and self.stride() == tensor.stride() and self.device == tensor.device)


def storage_offset(self) -> int:
    """Where the tensor starts in its base's memory, in elements (0 for a base)."""
    base = self._base if self._base is not None else self
    return (data_ptr(self) - data_ptr(base)) // self._data.itemsize


def dim_order(self, *, ambiguity_check=False) -> tuple:
    """The dims from the outermost to the innermost in memory (largest stride first)."""
    strides = self.stride()
    return tuple(sorted(range(self.dim()), key=lambda d: -strides[d]))


# ----------------------------------------------------------------------------- conjugates

def conj(input) -> Tensor:
    """The complex conjugate: a real tensor is its own, and torch returns the tensor itself."""
    check_tensor(input, "conj", "input")
    return input


resolve_conj = resolve_neg = conj_physical = real = conj


def imag(input) -> Tensor:
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def conj_physical_(self) -> Tensor:
    """In place, so refused on a leaf that requires grad; otherwise nothing to change."""
    if grad_mode.state.enabled and self.requires_grad:
        _check_not_leaf(self)
    return self


# ----------------------------------------------------------------------------- legacy creation

def new(self, *args, device=None) -> Tensor:
    """The legacy `x.new(data)` or `x.new(*sizes)`: a tensor of x's dtype on x's device
    (`x.new()` is empty)."""
    device = self.device if device is None else device
    if not args:
        return empty(0, dtype=self.dtype, device=device)
    if len(args) == 1 and isinstance(args[0], Tensor):
        if args[0].dtype is not self.dtype:
            raise TypeError(f"expected {self.dtype} data for new(), got {args[0].dtype}")
        return args[0].detach()
    if len(args) == 1 and isinstance(args[0], (list, tuple)) and not isinstance(args[0], Size):
        return tensor(args[0], dtype=self.dtype, device=device)
    return empty(*args, dtype=self.dtype, device=device)


def new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False,
                      layout=None, pin_memory=False) -> Tensor:
    """Uninitialised memory seen with the given shape and strides (in elements)."""
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    extent = 1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    flat = empty(extent, dtype=dtype or self.dtype, device=device or self.device)
    made = Tensor._make(arrays.strided(flat._data, 0, size, stride))
    return made.requires_grad_() if requires_grad else made


def resize_(self, *sizes, memory_format=None) -> Tensor:
    """Give self a new shape in place: its first elements keep their values, any new ones are
    uninitialised (torch's storage semantics, for a contiguous tensor)."""
    if self.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = _args.size_args(sizes)
    if not self._data.flags.c_contiguous:
        raise NotImplementedError("resize_ of a non-contiguous tensor is not supported: call "
                                  "contiguous() first")
    count = 1
    for n in shape:
        count *= n
    flat = self._data.reshape(-1)
    if count > flat.shape[0]:
        grown = empty(count, dtype=self.dtype, device=self.device)._data
        grown[:flat.shape[0]] = flat
        flat = grown
    self._data = flat[:count].reshape(shape)
    return self


def resize_as_(self, the_template, memory_format=None) -> Tensor:
    return resize_(self, tuple(the_template.shape))


# ----------------------------------------------------------------------------- Python callables

def _check_callable_target(self, name: str) -> None:
    if self.device.type != "cpu":
        raise RuntimeError(f"{name} is only implemented on CPU tensors")
    if self.requires_grad and grad_mode.state.enabled:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use "
                           f"var.detach().{name}() instead.")


def _apply_elementwise(self, name, function, *others) -> Tensor:
    """self[i] = function(self[i], other[i], ...) for every element, in place."""
    _check_callable_target(self, name)
    for other in others:
        if other.dtype is not self.dtype:
            raise TypeError(f"{name}: expected {self.type()} for 'other' (got {other.type()})")
    sources = [expand(other, self.shape)._data for other in others]
    target = self._data
    cast = bool if self._data.dtype.kind == "b" else (
        int if self._data.dtype.kind in "iu" else float)
    for position in itertools.product(*map(range, target.shape)):
        values = [target[position].item()] + [s[position].item() for s in sources]
        result = function(*values)
        if not isinstance(result, numbers.Real):
            raise TypeError(f"must be real number, not {type(result).__name__}")
        target[position] = cast(result)
    return self  # torch's loop writes the memory without a version bump


def apply_(self, callable) -> Tensor:
    """self[i] = callable(self[i]) for each element (CPU, slow: a Python call per element)."""
    return _apply_elementwise(self, "apply_", callable)


def map_(self, tensor, callable) -> Tensor:
    """self[i] = callable(self[i], tensor[i]) (tensor broadcast to self's shape)."""
    return _apply_elementwise(self, "map_", callable, tensor)


def map2_(self, x, y, callable) -> Tensor:
    """self[i] = callable(self[i], x[i], y[i]) (x and y broadcast to self's shape)."""
    return _apply_elementwise(self, "map2_", callable, x, y)


# ----------------------------------------------------------------------------- sparse interface

def _not_sparse(name: str, layout: str = "sparse coordinate tensor"):
    def method(self):
        raise RuntimeError(f"{name} expected {layout} layout but got Strided")
    method.__name__ = name
    return method


METHODS = {
    # queries
    "is_complex": is_complex, "is_signed": is_signed, "is_same_size": is_same_size,
    "is_conj": is_conj, "is_neg": is_neg, "is_inference": is_inference,
    "is_nonzero": is_nonzero, "is_set_to": is_set_to, "storage_offset": storage_offset,
    "dim_order": dim_order, "const_data_ptr": data_ptr,
    "is_shared": lambda self: False, "is_distributed": lambda self: False,
    # conjugates and parts
    "conj": conj, "resolve_conj": conj, "resolve_neg": conj, "conj_physical": conj,
    "conj_physical_": conj_physical_,
    # legacy creation, resizing, callables
    "new": new, "new_empty_strided": new_empty_strided, "resize_": resize_,
    "resize_as_": resize_as_, "apply_": apply_, "map_": map_, "map2_": map2_,
    # the sparse interface, asked of a dense tensor
    "indices": _not_sparse("indices"), "values": _not_sparse("values", "sparse tensor"),
    "coalesce": _not_sparse("coalesce"), "is_coalesced": _not_sparse("is_coalesced"),
    "sparse_dim": lambda self: 0, "dense_dim": lambda self: self.dim(),
    "to_sparse_coo": lambda self: self.to_sparse(),
    # properties
    "real": property(conj), "imag": property(imag),
    "is_cpu": property(lambda self: self.device.type == "cpu"),
    "nbytes": property(lambda self: self._data.nbytes),
    "itemsize": property(lambda self: self._data.itemsize),
    **{name: property(lambda self: False)
       for name in ("is_quantized", "is_meta", "is_nested", "is_sparse_csr", "is_mkldnn",
                    "is_xla", "is_xpu", "is_mps", "is_ipu", "is_vulkan", "is_maia", "is_mtia")},
}
