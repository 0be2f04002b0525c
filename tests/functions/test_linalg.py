"""functions/linalg.py against torch: which of torch's product kernels refuses a bool operand
(mm, mv, dot, bmm, matmul by how torch folds it, einsum's contraction), and einsum's dtype."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

SHAPES = [((2,), (2,)), ((2, 2), (2,)), ((2,), (2, 2)), ((2, 2), (2, 2)), ((3, 2, 2), (2,)),
          ((3, 2, 2), (2, 2)), ((2,), (3, 2, 2)), ((2, 2), (3, 2, 2)), ((3, 2, 2), (3, 2, 2))]


@pytest.mark.parametrize("shapes", SHAPES, ids=repr)
def test_matmul_of_bools_names_the_kernel_torch_folds_it_into(shapes, same_error_as_torch):
    same_error_as_torch(lambda lib: lib.ones(shapes[0], dtype=lib.bool) @
                        lib.ones(shapes[1], dtype=lib.bool), NotImplementedError)


@pytest.mark.parametrize("call", [
    lambda lib, a: lib.mm(a, a), lambda lib, a: lib.addmm(a, a, a), lambda lib, a: lib.mv(a, a[0]),
    lambda lib, a: lib.dot(a[0], a[0]), lambda lib, a: lib.bmm(a[None], a[None]),
    lambda lib, a: lib.einsum("ij,jk->ik", a, a), lambda lib, a: lib.nn.functional.linear(a, a),
], ids=["mm", "addmm", "mv", "dot", "bmm", "einsum", "linear"])
def test_matrix_products_refuse_bool_as_torch(call, same_error_as_torch):
    same_error_as_torch(lambda lib: call(lib, lib.ones(2, 2, dtype=lib.bool)),
                        NotImplementedError)


@pytest.mark.parametrize("dtype", ["uint8", "int32", "int64", "float32"])
@pytest.mark.parametrize("equation", ["ij,jk->ik", "ij,ij->", "i,j->", "ij->", "ij,j->ij"])
def test_einsum_keeps_the_dtype_through_a_contraction_as_torch(equation, dtype):
    values = np.array([[1, 2], [3, 4]], dtype=dtype)
    operands = [values if len(term) == 2 else values[0]
                for term in equation.split("->")[0].split(",")]
    ours = tinygrad_edu.einsum(equation, *[tinygrad_edu.tensor(a) for a in operands])
    theirs = torch.einsum(equation, *[torch.tensor(a) for a in operands])
    assert (str(ours.dtype), ours.tolist()) == (str(theirs.dtype), theirs.tolist())
