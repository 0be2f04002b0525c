"""Tensor: the class people use. Its methods build the graph by calling primitives (ops/).

    x = torch.randn(3, requires_grad=True)
    y = (x * x).sum()      # Mul.apply(x, x), then Sum.apply(...): each leaves a graph node
    y.backward()           # the engine walks those nodes back to x: x.grad == 2 * x

What a tensor holds (its array and autograd fields) is in tensor_base.py. Below are the core
methods: autograd state, `backward()`, `item()`, and about 25 operations, each one call of its
primitive. The torch wing (functions/) installs the rest of torch's Tensor methods from the
package __init__, and re-installs several of these operations with torch's full argument forms,
type promotion and error messages; the primitive underneath stays the same.
"""
from __future__ import annotations

import warnings

from . import backend
from .autograd import gradients
from .autograd.views import refresh_view_grad_fn
from .ops import elementwise as ew
from .ops import linalg, movement, reduce
from .tensor_base import Size, TensorBase, VersionCounter, wrap_dim

__all__ = ["Size", "Tensor"]


class Tensor(TensorBase):
    __slots__ = ()

    @staticmethod
    def _make(array, requires_grad: bool = False, grad_fn=None, output_nr: int = 0):
        """The fast constructor every op uses: wrap an array without checks or copies."""
        if isinstance(array, backend.NUMPY_SCALAR):  # NumPy turns 0-d results into scalars
            array = backend.asarray(array)
        tensor = object.__new__(Tensor)
        tensor._data = array
        tensor._requires_grad = requires_grad
        tensor._grad_fn = grad_fn if requires_grad else None
        tensor._output_nr = output_nr
        tensor._version_counter = VersionCounter()
        tensor._base = None
        tensor._grad = None
        return tensor

    # ------------------------------------------------------------------------- autograd state
    @property
    def requires_grad(self) -> bool:
        if self._base is not None:
            refresh_view_grad_fn(self)
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
            refresh_view_grad_fn(self)
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            _warn_non_leaf_grad()
        return self._grad

    @grad.setter
    def grad(self, value) -> None:  # the wing installs torch's checks (functions/attributes.py)
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate into the leaves' `.grad` the gradient of this tensor (see engine.py)."""
        gradients.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """The same memory and version counter, cut out of the graph."""
        out = Tensor._make(self._data)
        out._version_counter = self._version_counter
        return out

    # ------------------------------------------------------------------------- to Python
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return backend.to_host(self._data, "item")

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor, (backend.to_device(self._data, backend.CPU), self._requires_grad,
                                  str(self.device)))

    # ------------------------------------------------------------------------- the core ops
    def __add__(self, other):
        return ew.Add.apply(self, other)

    __radd__ = __add__

    def __sub__(self, other):
        return ew.Sub.apply(self, other)

    def __rsub__(self, other):
        return ew.RSub.apply(self, other=other)

    def __mul__(self, other):
        return ew.Mul.apply(self, other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return ew.Div.apply(self, other)

    def __neg__(self):
        return ew.Neg.apply(self)

    def __pow__(self, exponent):
        return ew.PowScalar.apply(self, exponent=exponent)

    def __matmul__(self, other):
        return linalg.Matmul.apply(self, other)

    matmul = __matmul__

    def exp(self):
        return ew.Exp.apply(self)

    def log(self):
        return ew.Log.apply(self)

    def sqrt(self):
        return ew.Sqrt.apply(self)

    def tanh(self):
        return ew.Tanh.apply(self)

    def sigmoid(self):
        return ew.Sigmoid.apply(self)

    def relu(self):
        return ew.Relu.apply(self)

    def sum(self, dim=None, keepdim=False):
        return reduce.Sum.apply(self, dims=_axes(dim, self.ndim), keepdim=keepdim)

    def mean(self, dim=None, keepdim=False):
        return reduce.Mean.apply(self, dims=_axes(dim, self.ndim), keepdim=keepdim)

    def reshape(self, *shape):
        return movement.View.apply(self.contiguous(), shape=_shape(shape))

    def view(self, *shape):
        return movement.View.apply(self, shape=_shape(shape))

    def permute(self, *dims):
        return movement.Permute.apply(self, dims=_axes(_shape(dims), self.ndim))

    def transpose(self, dim0, dim1):
        ndim = self.ndim
        return movement.Transpose.apply(self, dim0=wrap_dim(dim0, ndim), dim1=wrap_dim(dim1, ndim))

    def unsqueeze(self, dim):
        axis = wrap_dim(dim, self.ndim + 1)
        return movement.Unsqueeze.apply(self, shape=self.shape[:axis] + (1,) + self.shape[axis:])

    def expand(self, *shape):
        return movement.Expand.apply(self, shape=_shape(shape))

    def contiguous(self):
        return self if self._data.flags.c_contiguous else movement.Clone.apply(self, order="C")


def _shape(args) -> tuple:
    """`reshape(2, 3)` and `reshape((2, 3))` alike."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


def _axes(dim, ndim):
    """dim (None, an int or a tuple) as non-negative axes, for NumPy."""
    if dim is None:
        return None
    if isinstance(dim, int):
        return wrap_dim(dim, ndim)
    return tuple(wrap_dim(d, ndim) for d in dim)


def _warn_non_leaf_grad() -> None:
    warnings.warn("The .grad attribute of a Tensor that is not a leaf Tensor is being "
                  "accessed. Its .grad attribute won't be populated during "
                  "autograd.backward(). If you indeed want the .grad field to be populated "
                  "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor.",
                  UserWarning, stacklevel=3)


def _rebuild_tensor(array, requires_grad, device="cpu"):
    """How a pickled tensor comes back (the name is part of the file format: keep it)."""
    tensor = Tensor._make(array)
    if device != "cpu" and backend.cuda_available():
        tensor = tensor.to(device)
    tensor._requires_grad = requires_grad
    return tensor
