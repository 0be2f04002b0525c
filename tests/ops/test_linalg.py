"""ops/linalg.py: Mm Bmm Matmul.

`a @ b` of two matrices and torch.mm record Mm; torch.bmm records Bmm; `a @ b` with a batch (3 or
more axes, batch axes broadcast) or a vector times a matrix records Matmul, where torch records
several nodes (UnsafeViewBackward0, SqueezeBackward4, ...). Property-based parity with torch in
float64 (with one operand not requiring grad too: each saves only what the other's gradient
reads), and a finite-difference gradcheck without torch.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu.autograd import gradcheck

SIDES = st.integers(1, 3)
REQUIRES = st.sampled_from([(True, True), (True, False), (False, True)])
BATCHES = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=2)


def arrays(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-3, 3))


@pytest.mark.parametrize("form", ["operator", "mm"])
@given(n=SIDES, k=SIDES, m=SIDES, requires=REQUIRES, data=st.data())
def test_mm_matches_torch(form, n, k, m, requires, data, device, matches_torch):
    a = data.draw(arrays((n, k)), label="a")
    b = data.draw(arrays((k, m)), label="b")
    op = (lambda lib, a, b: a @ b) if form == "operator" else (lambda lib, a, b: lib.mm(a, b))
    matches_torch(op, a, b, requires_grad=requires, device=device)


@given(batch=SIDES, n=SIDES, k=SIDES, m=SIDES, requires=REQUIRES, data=st.data())
def test_bmm_matches_torch(batch, n, k, m, requires, data, device, matches_torch):
    a = data.draw(arrays((batch, n, k)), label="a")
    b = data.draw(arrays((batch, k, m)), label="b")
    matches_torch(lambda lib, a, b: lib.bmm(a, b), a, b, requires_grad=requires, device=device)


@st.composite
def matmul_shapes(draw):
    """Shapes `a @ b` sends to Matmul: a batch on either side (broadcast against the other's),
    or a vector on one side. Two matrices (Mm), vector·vector (dot) and matrix·vector (mv) are
    other ops: a batch axis is added to those."""
    n, k, m = draw(SIDES), draw(SIDES), draw(SIDES)
    batch = draw(BATCHES)
    vector = draw(st.sampled_from(["a", "b", None]))
    a = (k,) if vector == "a" else batch.input_shapes[0] + (n, k)
    b = (k,) if vector == "b" else batch.input_shapes[1] + (k, m)
    if len(a) <= 2 and len(b) <= 2 and not (len(a) == 1 and len(b) == 2):
        a = (2,) + a
    return a, b


@given(shapes=matmul_shapes(), requires=REQUIRES, data=st.data())
def test_matmul_matches_torch(shapes, requires, data, device, matches_torch):
    a = data.draw(arrays(shapes[0]), label="a")
    b = data.draw(arrays(shapes[1]), label="b")
    matches_torch(lambda lib, a, b: a @ b, a, b, requires_grad=requires,
                  node="MatmulBackward0", device=device)


# ----------------------------------------------------------------------------- gradcheck

def matmul(a, b):
    return a @ b


# name -> (function, input shapes); float64 inputs, no torch involved
GRADCHECKS = {
    "mm": (matmul, [(2, 3), (3, 4)]),
    "bmm": (lambda a, b: a.bmm(b), [(2, 2, 3), (2, 3, 2)]),
    "matmul_batch_by_matrix": (matmul, [(2, 2, 3), (3, 2)]),
    "matmul_broadcast_batches": (matmul, [(2, 1, 2, 3), (3, 3, 2)]),
    "matmul_vector_by_batch": (matmul, [(3,), (2, 3, 2)]),
    "matmul_batch_by_vector": (matmul, [(2, 2, 3), (3,)]),
    "matmul_vector_by_matrix": (matmul, [(3,), (3, 2)]),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck(name, leaves):
    function, shapes = GRADCHECKS[name]
    assert gradcheck(function, leaves(*shapes))
