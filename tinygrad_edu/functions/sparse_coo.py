"""Sparse COO tensors, stored dense: torch's sparse_coo semantics on an ordinary dense array.

    adj = torch.sparse_coo_tensor(indices, values, (n, n))   # indices: 2 x nnz, values: nnz
    adj.indices(), adj.values(), adj.coalesce(), adj._nnz()   # the COO view, as torch's
    out = torch.sparse.mm(adj, x)      # = adj @ x: gradients reach x and `values`

A graph tutorial's adjacency matrix is small enough to hold dense, so a SparseTensor here is a
Tensor whose data is the dense matrix (duplicate indices summed into it), plus the COO indices
and values it was made from. Every op sees the dense data and returns a dense result: correct
values, no memory saving. What is sparse about it is the interface: `is_sparse`, `layout`,
`indices()`/`values()` (after `coalesce()`, as torch requires), `_nnz()`, `to_dense()`, the
printed form. The gradient of `to_sparse()` is the identity, of `sparse_coo_tensor` with
respect to `values` the dense gradient read at the indices: both are torch's.
"""
from __future__ import annotations

from .. import dtypes
from ..autograd.primitive import Primitive
from ..backend import get_array_module
from ..tensor import Tensor
from .creation import tensor as make_tensor
from .formats import layout, strided

__all__ = ["sparse_coo", "sparse_coo_tensor", "spmm"]

sparse_coo = layout("sparse_coo")


class ScatterToDense(Primitive):
    """y = zeros(size) with y[indices[:, k]] += values[k];  dvalues[k] = dy[indices[:, k]]"""

    @staticmethod
    def forward(ctx, values, *, indices, size):
        ctx.key = key = tuple(indices)
        y = get_array_module(values).zeros(size, dtype=values.dtype)
        get_array_module(values).add.at(y, key, values)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output[ctx.key]


class ToDense(Primitive):
    """y = x (the stored dense array);  dx = dy where an index is stored, 0 elsewhere: torch's
    `to_dense()` passes the gradient back through the sparsity pattern only"""

    @staticmethod
    def forward(ctx, x, *, indices):
        ctx.key = tuple(indices)
        return x.copy()

    @staticmethod
    def backward(ctx, grad_output):
        grad = get_array_module(grad_output._data).zeros_like(grad_output._data)
        grad[ctx.key] = 1
        return grad_output * grad_output._make(grad)


class SparseTensor(Tensor):
    """A Tensor with torch's sparse COO interface (see the module docstring). Made by
    `sparse_coo_tensor` or `Tensor.to_sparse()`, never directly."""

    __slots__ = ()

    @property
    def is_sparse(self) -> bool:
        return True

    @property
    def layout(self):
        return sparse_coo

    def is_coalesced(self) -> bool:
        return self.__dict__["_coalesced"]

    def _indices(self) -> Tensor:
        return self.__dict__["_coo_indices"]

    def _values(self) -> Tensor:
        return self.__dict__["_coo_values"]

    def indices(self) -> Tensor:
        if not self.is_coalesced():
            raise RuntimeError("Cannot get indices on an uncoalesced tensor, please call "
                               ".coalesce() first")
        return self._indices()

    def values(self) -> Tensor:
        if not self.is_coalesced():
            raise RuntimeError("Cannot get values on an uncoalesced tensor, please call "
                               ".coalesce() first")
        return self._values()

    def _nnz(self) -> int:
        return self._indices().shape[1]

    def sparse_dim(self) -> int:
        return self._indices().shape[0]

    def dense_dim(self) -> int:
        return self.dim() - self.sparse_dim()

    def coalesce(self) -> SparseTensor:
        """Indices sorted and unique, the values of repeated indices summed (zeros kept)."""
        if self.is_coalesced():
            return self
        xp = get_array_module(self._data)
        indices = self._indices()._data
        unique = xp.unique(indices, axis=1) if indices.shape[1] else indices
        dense = Tensor.clone(self)  # the same graph: the gradient passes through unchanged
        values = dense[tuple(make_tensor(row, device=self.device) for row in unique)]
        return _as_sparse(dense, make_tensor(unique, device=self.device), values, True)

    def to_dense(self, dtype=None, *, masked_grad: bool = True) -> Tensor:
        """The dense tensor; its gradient reaches only the stored positions unless
        masked_grad=False."""
        if masked_grad:
            dense = ToDense.apply(self, indices=self._indices()._data)
        else:
            dense = Tensor.clone(self)
        return dense if dtype is None else dense.to(dtype)

    def to_sparse(self, *args, **kwargs) -> SparseTensor:
        return self

    def __repr__(self) -> str:
        indices = repr(self._indices()).replace("\n", "\n" + " " * 15)
        values = repr(self._values().detach()).replace("\n", "\n" + " " * 14)
        dtype = f", dtype={self.dtype}" if ", dtype=" in values else ""  # torch moves it here
        values = values.replace(dtype, "")
        text = (f"tensor(indices={indices},\n       values={values},\n       "
                f"size={tuple(self.shape)}, nnz={self._nnz()}{dtype}, layout=torch.sparse_coo")
        if self.grad_fn is not None:
            text += f",\n       grad_fn=<{self.grad_fn.name()}>"
        elif self.requires_grad:
            text += ", requires_grad=True"
        return text + ")"

    __str__ = __repr__


def _as_sparse(dense: Tensor, indices: Tensor, values: Tensor, coalesced: bool) -> SparseTensor:
    """`dense` turned into a SparseTensor in place (same object, same graph node)."""
    dense.__class__ = SparseTensor
    dense.__dict__.update(_coo_indices=indices, _coo_values=values, _coalesced=coalesced)
    return dense


def sparse_coo_tensor(indices, values, size=None, *, dtype=None, device=None,
                      pin_memory=False, requires_grad: bool = False, check_invariants=None,
                      is_coalesced=None) -> SparseTensor:
    """A sparse COO tensor: `values[k]` at position `indices[:, k]` (repeats are summed).

    Indices are always checked (as torch's check_invariants=True does): an index outside `size`
    or negative is an error here, where torch without the checks leaves memory undefined."""
    indices = indices if isinstance(indices, Tensor) else make_tensor(indices, device=device)
    values = values if isinstance(values, Tensor) else make_tensor(values, device=device)
    if size is not None and len(size) != indices.shape[0] + values.dim() - 1:
        raise RuntimeError(f"'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = "
                           f"{len(size)}, sparse_dim = {indices.shape[0]}, dense_dim = "
                           f"{values.dim() - 1}")
    if indices.dim() != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(indices.shape)}")
    if indices.is_floating_point():
        raise RuntimeError(f"indices must be an int64 tensor, but got {indices.dtype}")
    indices = indices.long()
    if dtype is not None:
        values = values.to(dtype)
    if values.dim() == 0 or values.shape[0] != indices.shape[1]:
        raise RuntimeError(f"indices and values must have same nnz, but got nnz from indices: "
                           f"{indices.shape[1]}, nnz from values: "
                           f"{values.shape[0] if values.dim() else 1}")
    found = [int(row.max()) + 1 if indices.shape[1] else 0 for row in indices._data]
    if size is None:
        size = tuple(found) + tuple(values.shape[1:])
    size = tuple(size)
    for dim, (need, have) in enumerate(zip(found, size)):
        if need > have:
            raise RuntimeError(f"size is inconsistent with indices: for dim {dim}, size is "
                               f"{have} but found index {need - 1}")
    for dim, row in enumerate(indices._data):
        if indices.shape[1] and int(row.min()) < 0:
            raise RuntimeError(f"found negative index {int(row.min())} for dim {dim}")
    if requires_grad:  # a leaf, as in torch (its .grad is dense here)
        values = values.detach()
    dense = ScatterToDense.apply(values, indices=indices._data, size=size)
    if requires_grad:
        dense.requires_grad_()
    coalesced = bool(is_coalesced) or indices.shape[1] <= 1
    return _as_sparse(dense, indices, values, coalesced)


def to_sparse(input, *args, layout=None, blocksize=None, dense_dim=None) -> SparseTensor:
    """The non-zero elements of a dense tensor, as a coalesced sparse COO tensor."""
    if layout not in (None, sparse_coo) or blocksize is not None or dense_dim:
        raise NotImplementedError("to_sparse: only the COO layout with every dimension sparse "
                                  "is supported")
    if args and args[0] != input.dim():
        raise NotImplementedError("to_sparse(sparse_dim): only sparse_dim = input.dim() is "
                                  "supported")
    indices = input.nonzero().t()
    dense = Tensor.clone(input)  # the identity, with its own graph node
    values = dense[tuple(indices)] if input.dim() else dense.reshape(-1)[:indices.shape[1]]
    return _as_sparse(dense, indices, values, True)


def to_dense(input, dtype=None, *, masked_grad=None) -> Tensor:
    """A dense tensor is its own dense form (torch returns it unchanged)."""
    return input if dtype is None else input.to(dtype)


def spmm(input, mat2) -> Tensor:
    """sparse @ dense (torch.spmm, torch.sparse.mm): stored dense, so a matrix product."""
    if input.dim() < 2:
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-max(input.dim(), 1)}, {max(input.dim(), 1) - 1}], but got -2)")
    if isinstance(input, SparseTensor) and input.dtype is not mat2.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.scalar_name} but found "
                           f"{mat2.dtype.scalar_name}")
    if input.dtype is mat2.dtype is dtypes.bool_:  # torch's sparse kernel has a bool form
        return (input.long() @ mat2.long()) != 0
    return input @ mat2


METHODS = {"to_sparse": to_sparse, "to_dense": to_dense,
           "is_sparse": property(lambda self: False), "layout": property(lambda self: strided)}
