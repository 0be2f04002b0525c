"""What a tensor holds: an array, plus what autograd needs to know about it.

    _data             the NumPy (or CuPy) array holding the numbers
    _requires_grad    whether gradients should flow to this tensor
    _grad_fn          the graph node that made it (None for leaves)
    _output_nr        which output of that node it is
    _grad             the accumulated gradient of a leaf (or of a non-leaf after retain_grad())
    _version_counter  bumped by every in-place change, shared with views, checked by backward
    _base             for a view, the tensor whose memory it shares

`TensorBase` is the part of a tensor that autograd (autograd/) and the primitives (ops/) work
with; `Tensor` (tensor.py) adds the methods people call, and those call the primitives. Keeping
the two apart lets imports point one way: ops/ and autograd/ never import tensor.py. They
recognise a tensor with `isinstance(x, TensorBase)` and make a new one with `x._make(array)`.
"""
from __future__ import annotations

from . import backend, dtypes


class Size(tuple):
    """torch.Size: a tuple of ints that prints as `torch.Size([2, 3])`."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        count = 1
        for size in self:
            count *= size
        return count


class VersionCounter:
    """How many times a tensor's memory was changed in place, and by which op last."""

    __slots__ = ("value", "last_op")

    def __init__(self):
        self.value = 0
        self.last_op = None

    def bump(self, op_name: str) -> None:
        self.value += 1
        self.last_op = op_name


class TensorBase:
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

    @staticmethod
    def _make(array, requires_grad: bool = False, grad_fn=None, output_nr: int = 0):
        """Wrap `array` as a new Tensor (defined by Tensor in tensor.py; called on any tensor,
        `x._make(array)`, by code below tensor.py)."""
        raise NotImplementedError

    # ------------------------------------------------------------------------- attributes
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self) -> dtypes.dtype:
        return dtypes.from_numpy(self._data.dtype)

    @property
    def device(self) -> backend.Device:
        return backend.device_of(self._data)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"


def init_from_array(tensor: TensorBase, array) -> None:
    """Set every field of a fresh tensor: a leaf holding `array`."""
    tensor._data = array
    tensor._requires_grad = False
    tensor._grad_fn = None
    tensor._output_nr = 0
    tensor._version_counter = VersionCounter()
    tensor._base = None
    tensor._grad = None


def wrap_dim(dim: int, ndim: int) -> int:
    """A possibly negative dim as an axis, with torch's IndexError when out of range."""
    size = max(ndim, 1)
    if not -size <= dim < size:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-size}, "
                         f"{size - 1}], but got {dim})")
    return dim + size if dim < 0 else dim
