"""Tensor: an array plus what autograd needs to know about it.

    _data           the NumPy (or CuPy) array holding the numbers
    _requires_grad  whether gradients should flow to this tensor
    _grad_fn        the graph node that made it (None for leaves)
    _output_nr      which output of that node it is
    _grad           the accumulated gradient of a leaf (or of a non-leaf after retain_grad())
    _version_counter  bumped by every in-place change, shared with views, checked by backward
    _base           for a view, the tensor whose memory it shares

Arithmetic, reductions, shape and indexing methods live in `functions/` and are attached to the
class at the bottom of this file, so that `x.exp()` and `torch.exp(x)` are one function.
"""
from __future__ import annotations

import weakref

from . import backend, dtypes
from ._tensor_str import tensor_repr
from .autograd import function, grad_mode, primitive
from .autograd.function import AccumulateGrad
from .autograd.primitive import replay_view

_NUMPY_SCALAR = backend.numpy_module().generic


class Size(tuple):
    """torch.Size: a tuple of ints that prints as `torch.Size([2, 3])`."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        count = 1
        for size in self:
            count *= size
        return count


class _VersionCounter:
    """How many times a tensor's memory was changed in place, and by which op last."""

    __slots__ = ("value", "last_op")

    def __init__(self):
        self.value = 0
        self.last_op = None

    def bump(self, op_name: str) -> None:
        self.value += 1
        self.last_op = op_name


class Tensor:
    # __slots__ keeps attribute access fast and objects small: tensors are made on every op.
    # Rarely used state (_accumulator, _view_fn, _retains_grad...) falls back to the class
    # defaults below and lands in the instance __dict__ only when set.
    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_output_nr", "_version_counter",
                 "_base", "_grad", "__weakref__", "__dict__")

    __array_priority__ = 1000  # numpy_array * tensor -> Tensor.__rmul__, not a NumPy array
    __array_ufunc__ = None

    _accumulator = None   # weak reference to this leaf's AccumulateGrad node
    _view_fn = None       # for views: how to recreate this view from _base
    _view_version = 0     # the version at which a view's grad_fn was last made
    _retains_grad = False

    def __init__(self, *args, dtype=None, device=None, requires_grad: bool = False):
        """The legacy constructor: `Tensor([1, 2])` (float32 data) or `Tensor(2, 3)` (a shape)."""
        from .functions.creation import empty, tensor  # noqa: PLC0415
        if len(args) == 1 and not isinstance(args[0], int):
            made = tensor(args[0], dtype=dtype or dtypes.get_default_dtype(), device=device)
        else:
            made = empty(*args, dtype=dtype, device=device)
        _init_from_array(self, made._data)
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, array, requires_grad: bool = False, grad_fn=None, output_nr: int = 0):
        """The fast constructor every op uses: wrap an array without checks or copies."""
        if isinstance(array, _NUMPY_SCALAR):  # NumPy turns 0-d results into scalars
            array = backend.asarray(array)
        tensor = object.__new__(cls)
        tensor._data = array
        tensor._requires_grad = requires_grad
        tensor._grad_fn = grad_fn if requires_grad else None
        tensor._output_nr = output_nr
        tensor._version_counter = _VersionCounter()
        tensor._base = None
        tensor._grad = None
        return tensor

    # ------------------------------------------------------------------------- attributes
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> dtypes.dtype:
        return dtypes.from_numpy(self._data.dtype)

    @property
    def device(self) -> backend.Device:
        return backend.device_of(self._data)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    def stride(self, dim: int | None = None):
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    def is_contiguous(self, memory_format=None) -> bool:
        return bool(self._data.flags.c_contiguous)

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def data_ptr(self) -> int:
        return self._data.__array_interface__["data"][0] if self.device.type == "cpu" \
            else self._data.data.ptr

    def get_device(self) -> int:
        return -1 if self.device.type == "cpu" else self.device.index

    @property
    def T(self) -> Tensor:
        return self.permute(*range(self._data.ndim - 1, -1, -1))

    @property
    def mT(self) -> Tensor:
        if self._data.ndim < 2:
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                               f"Got {self._data.ndim}-D tensor.")
        return self.transpose(-2, -1)

    @property
    def H(self) -> Tensor:
        return self.T

    @property
    def mH(self) -> Tensor:
        return self.mT

    # ------------------------------------------------------------------------- autograd state
    @property
    def requires_grad(self) -> bool:
        if self._base is not None:
            self._refresh_view_grad_fn()
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if self._grad_fn is not None and not requires_grad:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you "
                               "want to use a computed variable in a subgraph that doesn't require "
                               "differentiation use var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if self._grad_fn is None:
            self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad_fn(self):
        if self._base is not None:
            self._refresh_view_grad_fn()
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            import warnings  # noqa: PLC0415 - only on this rare path
            warnings.warn("The .grad attribute of a Tensor that is not a leaf Tensor is being "
                          "accessed. Its .grad attribute won't be populated during "
                          "autograd.backward(). If you indeed want the .grad field to be populated "
                          "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor.",
                          UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
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

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def output_nr(self) -> int:
        return self._output_nr

    @property
    def _version(self) -> int:
        return self._version_counter.value

    @property
    def data(self) -> Tensor:
        """The same memory without autograd history (unlike detach(), not version-checked)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        self._data = value._data

    def _refresh_view_grad_fn(self) -> None:
        """A view whose base was changed in place gets a grad_fn leading to the base's new one."""
        version = self._version_counter.value
        if self._view_version == version:
            return
        self._view_version = version
        base = self._base
        if not base._requires_grad:
            return
        with grad_mode.enable_grad():
            fresh = replay_view(self._view_fn, base)
        self._grad_fn, self._output_nr = fresh._grad_fn, fresh._output_nr
        self._requires_grad = True

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in `.grad` after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        self._grad_fn._retain_grad(self._output_nr, weakref.ref(self))
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook):
        """hook(grad) runs when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node = self.grad_fn if self.grad_fn is not None else function.accumulator(self)
        if type(node) is AccumulateGrad:
            self._hook_anchor = node  # keep the leaf's node (and so the hook) alive
        return node._add_tensor_hook(self._output_nr, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor w.r.t. the graph leaves (torch.Tensor.backward)."""
        from .autograd import backward  # noqa: PLC0415
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """The same memory and version counter, cut out of the graph."""
        out = Tensor._make(self._data)
        out._version_counter = self._version_counter
        return out

    def detach_(self) -> Tensor:
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn, self._requires_grad, self._output_nr = None, False, 0
        return self

    # ------------------------------------------------------------------------- conversion
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return backend.to_host(self._data, "item")

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
        return bool(self._one_value("bool"))

    def __float__(self) -> float:
        return float(self._one_value("float"))

    def __int__(self) -> int:
        return int(self._one_value("int"))

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._data.item())

    def __complex__(self) -> complex:
        return complex(self._one_value("complex"))

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self._data.item().__format__(spec)
        return object.__format__(self, spec) if spec else repr(self)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return tensor_repr(self)

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor, (backend.to_device(self._data, backend.CPU), self._requires_grad,
                                  str(self.device)))

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
        _init_from_array(copy, self._data.copy())
        copy._requires_grad = self._requires_grad
        if self._grad is not None:
            copy._grad = self._grad.__deepcopy__(memo)
        for key, value in self.__dict__.items():
            if key not in ("_accumulator", "_hook_anchor"):
                import copy as copy_module  # noqa: PLC0415
                copy.__dict__[key] = copy_module.deepcopy(value, memo)
        memo[id(self)] = copy
        return copy


def _init_from_array(tensor, array) -> None:
    tensor._data = array
    tensor._requires_grad = False
    tensor._grad_fn = None
    tensor._output_nr = 0
    tensor._version_counter = _VersionCounter()
    tensor._base = None
    tensor._grad = None


def _rebuild_tensor(array, requires_grad, device="cpu"):
    tensor = Tensor._make(array)
    if device != "cpu" and backend.cuda_available():
        tensor = tensor.to(device)
    tensor._requires_grad = requires_grad
    return tensor


def _wrap_dim(dim: int, ndim: int) -> int:
    """A possibly negative dim as an axis, with torch's IndexError when out of range."""
    size = max(ndim, 1)
    if not -size <= dim < size:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-size}, "
                         f"{size - 1}], but got {dim})")
    return dim + size if dim < 0 else dim


function.Tensor = primitive.Tensor = Tensor  # the autograd machinery wraps outputs in it

from . import functions  # noqa: E402, F401 - attaches the methods to Tensor
