"""ops/indexing.py: BasicIndex Select Slice AdvancedIndex IndexToZeros IndexPut Gather ScatterAdd.

x[i] (Select), x[a:b:s] (Slice), x[1:, None] (BasicIndex), x[index_tensor] (AdvancedIndex),
`y[key] = v` on a clone (IndexPut), x.gather and x.scatter_add; IndexToZeros is the backward of
reading, reached by differentiating a gradient (autograd.grad with create_graph=True).
Property-based parity with torch in float64, and a finite-difference gradcheck without torch.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu
from tinygrad_edu.autograd import gradcheck

BOUND = st.none() | st.integers(-4, 4)
SLICES = st.builds(slice, BOUND, BOUND, st.none() | st.integers(1, 3))
# two index arrays that broadcast together (never 0-d: torch takes a 0-d index as an int)
INDEX_PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=2, max_side=3)
REQUIRES = st.sampled_from([(True, True), (True, False), (False, True)])


def arrays(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-3, 3))


def shapes(min_dims=1, max_dims=3):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=4)


def indices(shape, size):
    """int64 indices into an axis of `size`, repeats and negative ones included."""
    return hnp.arrays(np.int64, shape, elements=st.integers(-size, size - 1))


# ----------------------------------------------------------------------------- reading

@pytest.mark.parametrize("form", ["getitem", "select"])
@given(data=st.data())
def test_select_matches_torch(form, data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    dim = data.draw(st.integers(0, x.ndim - 1), label="dim")
    i = data.draw(st.integers(-x.shape[dim], x.shape[dim] - 1), label="index")
    key = (slice(None),) * dim + (i,)
    if form == "select":
        matches_torch(lambda lib, x: x.select(dim, i), x, device=device)
    else:
        matches_torch(lambda lib, x: x[key], x, device=device)


@given(data=st.data())
def test_slice_matches_torch(data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    key = data.draw(st.lists(SLICES, min_size=1, max_size=x.ndim), label="key")
    # at least one slice that leaves out an element: a key of whole-axis slices only
    # (x[:, 0:3] of a (2, 3) tensor) is recorded by torch as AliasBackward0, not as a slice
    assume(any(part.indices(size) != (0, size, 1) for part, size in zip(key, x.shape)))
    matches_torch(lambda lib, x: x[tuple(key)], x, device=device)


@given(data=st.data())
def test_basic_index_matches_torch(data, device, matches_torch):
    # ints and slices with at least one None: one BasicIndex view here, two or more ops in torch
    x = data.draw(shapes(min_dims=0).flatmap(arrays), label="x")
    parts = [data.draw(st.integers(-size, size - 1) | SLICES, label="part")
             for size in x.shape[:data.draw(st.integers(0, x.ndim), label="indexed axes")]]
    for _ in range(data.draw(st.integers(1, 2), label="new axes")):
        parts.insert(data.draw(st.integers(0, len(parts)), label="at"), None)
    key = tuple(parts)
    matches_torch(lambda lib, x: x[key], x, node="AsStridedBackward0", device=device)


def test_mixed_int_and_slice_is_one_basic_index(matches_torch):
    x = np.arange(12.0).reshape(3, 4)
    matches_torch(lambda lib, x: x[1, 1:], x, node="AsStridedBackward0")
    matches_torch(lambda lib, x: x[-1, ::2, None], x, node="AsStridedBackward0")


@given(data=st.data())
def test_advanced_index_matches_torch(data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    form = data.draw(st.sampled_from(["first axis", "second axis", "two arrays", "mask"]))
    if form == "mask":
        mask_ndim = data.draw(st.integers(1, x.ndim), label="mask ndim")
        index = data.draw(hnp.arrays(np.bool_, x.shape[:mask_ndim]), label="mask")
        key = (index,)
    elif form == "two arrays" and x.ndim >= 2:
        pair = data.draw(INDEX_PAIRS, label="index shapes")
        key = (data.draw(indices(pair.input_shapes[0], x.shape[0]), label="rows"),
               data.draw(indices(pair.input_shapes[1], x.shape[1]), label="columns"))
    elif form == "second axis" and x.ndim >= 2:
        key = (slice(None), data.draw(indices(shapes(1, 2), x.shape[1]), label="index"))
    else:  # a 0-d index tensor is an int to torch (Select): shapes of 1 or 2 axes only
        key = (data.draw(indices(shapes(1, 2), x.shape[0]), label="index"),)

    def read(lib, x):
        return x[tuple(lib.tensor(k, device=x.device) if isinstance(k, np.ndarray) else k
                       for k in key)]

    matches_torch(read, x, device=device)


@given(data=st.data())
def test_gather_matches_torch(data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1), label="dim")
    index_shape = tuple(data.draw(st.integers(1, 4 if axis == dim % x.ndim else size))
                        for axis, size in enumerate(x.shape))
    index = data.draw(hnp.arrays(np.int64, index_shape,
                                 elements=st.integers(0, x.shape[dim] - 1)), label="index")
    matches_torch(lambda lib, x: x.gather(dim, lib.tensor(index, device=x.device)), x,
                  device=device)


# ----------------------------------------------------------------------------- writing

@given(requires=REQUIRES, data=st.data())
def test_scatter_add_matches_torch(requires, data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    dim = data.draw(st.integers(-x.ndim, x.ndim - 1), label="dim")
    index_shape = tuple(data.draw(st.integers(1, 3 if axis == dim % x.ndim else size))
                        for axis, size in enumerate(x.shape))
    src = data.draw(arrays(index_shape), label="src")  # larger: see the test below
    index = data.draw(hnp.arrays(np.int64, index_shape,
                                 elements=st.integers(0, x.shape[dim] - 1)), label="index")
    matches_torch(lambda lib, x, src: x.scatter_add(dim, lib.tensor(index, device=x.device), src),
                  x, src, requires_grad=requires, device=device)


def test_scatter_add_of_a_larger_src_refuses_its_backward_as_torch():
    # src may be larger than index in the forward; its gradient (dy gathered at index) then has
    # index's shape, and the engine refuses it with torch's own message
    message = "ScatterAddBackward0 returned an invalid gradient at index 1 - got \\[2, 2\\]"
    x = tinygrad_edu.zeros(3, 2, dtype=tinygrad_edu.float64, requires_grad=True)
    src = tinygrad_edu.ones(2, 3, dtype=tinygrad_edu.float64, requires_grad=True)
    y = x.scatter_add(0, tinygrad_edu.tensor([[0, 2], [0, 0]]), src)
    np.testing.assert_array_equal(y.detach().numpy(), [[2, 1], [0, 0], [0, 1]])
    with pytest.raises(RuntimeError, match=message):
        y.sum().backward()


@given(requires=REQUIRES, data=st.data())
def test_index_put_matches_torch(requires, data, device, matches_torch):
    x = data.draw(shapes().flatmap(arrays), label="x")
    form = data.draw(st.sampled_from(["index", "mask", "slice"]), label="key")
    if form == "index":  # distinct indices: with repeats, which write wins is unspecified
        rows = data.draw(st.permutations(range(x.shape[0])), label="rows")
        key = np.array(rows[:data.draw(st.integers(1, x.shape[0]))], dtype=np.int64)
    elif form == "mask":
        key = data.draw(hnp.arrays(np.bool_, x.shape[:1]), label="mask")
    else:
        key = data.draw(SLICES, label="slice")
    written = x[key].shape
    value_shape = tuple(data.draw(st.sampled_from([1, size])) for size in written[
        data.draw(st.integers(0, len(written)), label="dropped axes"):])
    value = data.draw(arrays(value_shape), label="value")

    def put(lib, x, value):
        y = x.clone()
        y[lib.tensor(key, device=x.device) if isinstance(key, np.ndarray) else key] = value
        return y

    # torch records a write through slices as CopySlices; here it is IndexPut in every case
    node = True if form != "slice" else "IndexPutBackward0"
    matches_torch(put, x, value, requires_grad=requires, node=node, device=device)


# ----------------------------------------------------------------------------- IndexToZeros

READS = {  # what the tested gradient reads from x: a view (no +=) or with repeats (+=)
    "slice": lambda lib, x: x[1:, ::2],
    "index": lambda lib, x: x[lib.tensor([2, 0, 2, 2], device=x.device)],
    "gather": lambda lib, x: x.gather(1, lib.tensor([[0, 0], [1, 0], [2, 2]], device=x.device)),
}


def gradient_of(read, lib, grad_output):
    """dx of read(x) for this grad_output, kept in the graph: IndexToZeros(grad_output)."""
    x = lib.tensor(np.arange(12.0).reshape(3, 4), dtype=lib.float64, requires_grad=True,
                   device=grad_output.device)
    dx, = lib.autograd.grad(read(lib, x), x, grad_outputs=grad_output, create_graph=True)
    return dx


@pytest.mark.parametrize("name", sorted(READS))
@given(data=st.data())
def test_index_to_zeros_matches_torch(name, data, device, matches_torch):
    shape = READS[name](tinygrad_edu, tinygrad_edu.zeros(3, 4)).shape
    grad_output = data.draw(arrays(shape), label="grad_output")
    # torch names its node after the backward it differentiates (SliceBackwardBackward0, ...)
    matches_torch(lambda lib, g: gradient_of(READS[name], lib, g), grad_output,
                  node="IndexToZerosBackward0", device=device)


# ----------------------------------------------------------------------------- gradcheck

def put_rows(x, value):
    y = x.clone()
    y[tinygrad_edu.tensor([2, 0])] = value
    return y


def put_slice(x, value):
    y = x.clone()
    y[1:, None, ::2] = value
    return y


# name -> (function, input shapes); float64 inputs, no torch involved
GRADCHECKS = {
    "select": (lambda x: x[1], [(3, 4)]),
    "slice": (lambda x: x[:, 1:3], [(3, 4)]),
    "basic_index": (lambda x: x[1:, None], [(3, 4)]),
    "basic_index_mixed": (lambda x: x[0, ::2], [(3, 4)]),
    "advanced_index": (lambda x: x[tinygrad_edu.tensor([0, 2, 0])], [(3, 4)]),
    "advanced_index_mask": (lambda x: x[tinygrad_edu.tensor([True, False, True])], [(3, 4)]),
    "index_put_rows": (put_rows, [(3, 4), (4,)]),
    "index_put_slice": (put_slice, [(3, 4), (2, 1, 2)]),
    "gather": (lambda x: x.gather(1, tinygrad_edu.tensor([[0, 0], [3, 1], [2, 2]])), [(3, 4)]),
    "scatter_add": (lambda x, src: x.scatter_add(0, tinygrad_edu.tensor([[0, 2], [0, 0]]), src),
                    [(3, 2), (2, 2)]),
    "index_to_zeros": (lambda g: gradient_of(READS["index"], tinygrad_edu, g), [(4, 4)]),
    "index_to_zeros_view": (lambda g: gradient_of(READS["slice"], tinygrad_edu, g), [(2, 2)]),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck(name, leaves):
    function, shapes_ = GRADCHECKS[name]
    assert gradcheck(function, leaves(*shapes_))
