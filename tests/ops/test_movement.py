"""ops/movement.py: View Unsqueeze Permute Transpose MatrixTranspose Expand Clone ToCopy.

x.view / x.reshape (View), x.unsqueeze (Unsqueeze), x.permute (Permute), x.transpose and x.mT
(Transpose), x.t() (MatrixTranspose), x.expand (Expand), x.clone and x.contiguous (Clone),
x.to(dtype) (ToCopy). Property-based parity with torch in float64 (the gradient of a view goes
back through the inverse rearrangement), and a finite-difference gradcheck without torch.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu
from tinygrad_edu.autograd import gradcheck


def arrays(shape, dtype=np.float64):
    return hnp.arrays(dtype, shape, elements=st.floats(-3, 3, width=np.dtype(dtype).itemsize * 8))


def shapes(min_dims=0, max_dims=3):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=3)


@st.composite
def view_shapes(draw, shape):
    """Another shape with as many elements: flat, -1, reversed, with size-1 axes, split."""
    size = int(np.prod(shape))
    candidates = [(size,), (-1,), shape[::-1], (1,) + shape, shape + (1,), (1, -1, 1)]
    candidates += [(size // k, k) for k in range(1, size + 1) if size % k == 0]
    if size == 1:
        candidates.append(())
    return draw(st.sampled_from(candidates))


# ----------------------------------------------------------------------------- views

@pytest.mark.parametrize("method", ["view", "reshape"])
@given(data=st.data())
def test_view_matches_torch(method, data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    target = data.draw(view_shapes(x.shape), label="shape")
    matches_torch(lambda lib, x: getattr(x, method)(target), x, device=device)


@given(data=st.data())
def test_unsqueeze_matches_torch(data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    dim = data.draw(st.integers(-x.ndim - 1, x.ndim), label="dim")
    matches_torch(lambda lib, x: x.unsqueeze(dim), x, device=device)


@given(data=st.data())
def test_permute_matches_torch(data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    dims = data.draw(st.permutations(range(x.ndim)), label="dims")
    dims = [d - x.ndim if data.draw(st.booleans()) else d for d in dims]  # negative dims too
    matches_torch(lambda lib, x: x.permute(tuple(dims)), x, device=device)


@given(data=st.data())
def test_transpose_matches_torch(data, device, matches_torch):
    x = data.draw(shapes(min_dims=1).flatmap(arrays), label="x")
    dim0, dim1 = data.draw(st.tuples(*[st.integers(-x.ndim, x.ndim - 1)] * 2), label="dims")
    matches_torch(lambda lib, x: x.transpose(dim0, dim1), x, device=device)


@given(x=shapes(min_dims=2).flatmap(arrays))
def test_matrix_transpose_matches_torch(x, device, matches_torch):
    matches_torch(lambda lib, x: x.mT, x, device=device)


@given(x=shapes(min_dims=2, max_dims=2).flatmap(arrays))
def test_t_matches_torch(x, device, matches_torch):
    matches_torch(lambda lib, x: x.t(), x, device=device)  # TBackward0


@st.composite
def expand_shapes(draw, shape):
    """A shape `shape` broadcasts to: size-1 axes stretched, -1 to keep an axis, axes in front.
    Never `shape` itself: expanding to the same shape is a View (a no-op), not Expand."""
    target = [draw(st.sampled_from([1, 2, 3, -1])) if size == 1 else draw(st.sampled_from(
        [size, -1])) for size in shape]
    front = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    if not front and all(new in (-1, size) for new, size in zip(target, shape)):
        front = (2,)
    return front + tuple(target)


@given(data=st.data())
def test_expand_matches_torch(data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    target = data.draw(expand_shapes(x.shape), label="shape")
    matches_torch(lambda lib, x: x.expand(target), x, device=device)


# ----------------------------------------------------------------------------- copies

@given(x=shapes().flatmap(arrays))
def test_clone_matches_torch(x, device, matches_torch):
    matches_torch(lambda lib, x: x.clone(), x, device=device)


@given(x=shapes(min_dims=2).flatmap(arrays))
def test_contiguous_of_a_transpose_clones(x, device, matches_torch):
    out = matches_torch(lambda lib, x: x.mT.contiguous(), x, device=device)
    assert out.is_contiguous()


@pytest.mark.parametrize("source,target", [("float32", "float64"), ("float64", "float32")])
@given(data=st.data())
def test_to_dtype_matches_torch(source, target, data, device, matches_torch):
    # the gradient comes back in the input's dtype; both roundings are exact IEEE casts
    x = data.draw(shapes().flatmap(lambda shape: arrays(shape, np.dtype(source))), label="x")
    out = matches_torch(lambda lib, x: x.to(getattr(lib, target)), x, device=device)
    assert str(out.dtype) == f"torch.{target}"


# ----------------------------------------------------------------------------- gradcheck

# name -> (function, input shape); float64 inputs, no torch involved
GRADCHECKS = {
    "view": (lambda x: x.view(3, 2) * x.view(3, 2), (2, 3)),
    "view_0d": (lambda x: x.view(1, 1), ()),
    "reshape_of_transpose": (lambda x: x.t().reshape(-1), (2, 3)),
    "unsqueeze": (lambda x: x.unsqueeze(1), (2, 3)),
    "permute": (lambda x: x.permute(2, 0, 1), (2, 3, 2)),
    "transpose": (lambda x: x.transpose(0, -1), (2, 3, 2)),
    "mT": (lambda x: x.mT, (2, 3, 2)),
    "t": (lambda x: x.t(), (2, 3)),
    "expand": (lambda x: x.expand(2, 3, 4), (3, 1)),
    "clone": (lambda x: x.clone(), (2, 3)),
    "contiguous": (lambda x: x.t().contiguous(), (2, 3)),
    "to_copy": (lambda x: x.to(tinygrad_edu.float64, copy=True), (2, 3)),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck(name, leaves):
    function, shape = GRADCHECKS[name]
    assert gradcheck(function, leaves(shape))


def test_gradcheck_through_a_float32_round_trip(leaves):
    # float64 -> float32 -> float64 is ToCopy twice; eps and tolerances fit float32's rounding
    x, = leaves((2, 3))
    assert gradcheck(lambda x: x.to(tinygrad_edu.float32).to(tinygrad_edu.float64), (x,),
                     eps=1e-3, atol=1e-3)
