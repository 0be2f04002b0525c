"""Sparse COO tensors in the registry: made from values (the gradient reaches them), made from a
dense tensor, and multiplied with a dense matrix. Every op here ends dense (`to_dense()` or a
product), so what is compared is the values and gradients torch computes for the COO forms.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from . import strategies as ps
from .ops_shape import _on
from .registry import add_forms, shaped


@st.composite
def _coo(draw, dtype):
    """values (nnz, *dense dims) and COO indices (2, nnz), repeats allowed, inside `size`."""
    rows, cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    nnz = draw(st.integers(0, 6))
    dense = draw(st.sampled_from([(), (2,)]))
    indices = np.array([draw(st.lists(st.integers(0, rows - 1), min_size=nnz, max_size=nnz)),
                        draw(st.lists(st.integers(0, cols - 1), min_size=nnz, max_size=nnz))],
                       dtype=np.int64).reshape(2, nnz)
    return [draw(ps.arrays(dtype, (nnz, *dense)))], {"indices": indices,
                                                     "size": (rows, cols, *dense)}


# contiguous values only: torch misreads a transposed (1, n) view's strides (zeros come out)
shaped("sparse_coo_tensor", lambda t, v, indices, size:
       t.sparse_coo_tensor(_on(t, indices, v), v, size).to_dense(), _coo, category="indexing",
       layouts=("contiguous",))
add_forms("sparse_coo_tensor", lambda t, v, indices, size:
          t.sparse_coo_tensor(_on(t, indices, v), v, size).coalesce().values())


@st.composite
def _matrices(draw, dtype):
    m, k, n = (draw(st.integers(1, 4)) for _ in range(3))
    a = draw(ps.arrays(dtype, (m, k)))
    a[draw(st.lists(st.integers(0, m - 1), max_size=m)), 0] = 0  # some zeros to leave out
    return [a, draw(ps.arrays(dtype, (k, n)))], {}


shaped("to_sparse", lambda t, a, b: a.to_sparse().to_dense() * b.sum(), _matrices,
       category="indexing")
add_forms("to_sparse", lambda t, a, b: a.to_sparse().to_dense(masked_grad=False) * b.sum(),
          lambda t, a, b: a.to_dense() * b.sum())  # a dense tensor's own dense form
# torch.spmm and @ pass the sparse operand the whole gradient; torch.sparse.mm and addmm only
# its stored positions (their gradient is sparse with the operand's pattern)
shaped("spmm", lambda t, a, b: t.spmm(a.to_sparse(), b), _matrices, category="matmul")
add_forms("spmm", lambda t, a, b: t.sparse.mm(a.to_sparse(), b),
          lambda t, a, b: a.to_sparse() @ b,
          lambda t, a, b: t.sparse.addmm(b.sum(0), a.to_sparse(), b, beta=0.5, alpha=2.0))
