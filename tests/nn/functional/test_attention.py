"""F.scaled_dot_product_attention against torch, float64 to 1e-10 relative: output and the
gradients of query, key, value (and of a float mask), for bool and float masks, is_causal,
scale, grouped-query heads, broadcast batch dims, rows that see no key (zeros, as torch's safe
softmax), dropout with torch's own masks; and torch's errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.bridge import masks_from_torch
from parity.check import check_op
from parity.ops import check_spec
from parity.ops_nn import NN_REGISTRY

SPECS = ["F.scaled_dot_product_attention", "F.scaled_dot_product_attention_dropout",
         "F.multi_head_attention_forward"]
RNG = np.random.default_rng(0)


def sdpa(lib):
    return lib.nn.functional.scaled_dot_product_attention


@pytest.mark.parametrize("name", SPECS)
@given(data=st.data())
def test_drawn_examples_match_torch_in_float64(name, data):
    spec = NN_REGISTRY[name]
    arrays, options = data.draw(spec.example("float64"), label="example")
    check_spec(spec, arrays, options, "float64")


def _qkv(lead=(2,), length=3, source=5, embed=4, embed_v=6):
    return [RNG.standard_normal(lead + (length, embed)),
            RNG.standard_normal(lead + (source, embed)),
            RNG.standard_normal(lead + (source, embed_v))]


@pytest.mark.parametrize("options", [{}, {"is_causal": True}, {"scale": 0.25},
                                     {"scale": -2.0}, {"is_causal": True, "scale": 3.0},
                                     {"dropout_p": -0.5}])
@pytest.mark.parametrize("sizes", [(3, 5), (5, 3), (4, 4), (1, 1)])
def test_causal_and_scaled_match_torch(options, sizes):
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v, **options), _qkv((2, 2), *sizes))


def test_a_row_that_sees_no_key_gives_zeros_and_no_gradient():
    mask = RNG.random((3, 5)) > 0.5
    mask[1] = False  # query 1 may attend to nothing
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v, attn_mask=lib.tensor(mask)), _qkv())
    float_mask = np.where(mask, 0.0, -np.inf)
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v, attn_mask=lib.tensor(float_mask)), _qkv())
    out = sdpa(tinygrad_edu)(*[tinygrad_edu.tensor(a) for a in _qkv()],
                             attn_mask=tinygrad_edu.tensor(mask))
    assert (out.numpy()[:, 1] == 0).all()


def test_a_float_mask_gets_its_gradient():
    """The mask is added to the scores: it is differentiable, broadcast dims summed."""
    check_op(lambda lib, q, k, v, m: sdpa(lib)(q, k, v, attn_mask=m),
             _qkv() + [RNG.standard_normal((1, 3, 5))])
    check_op(lambda lib, q, k, v, m: sdpa(lib)(q, k, v, attn_mask=m),
             _qkv() + [RNG.standard_normal((3, 1))])


def test_a_float32_mask_with_float64_inputs_matches_torch():
    mask = RNG.standard_normal((3, 5)).astype("float32")
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v, attn_mask=lib.tensor(mask)), _qkv())


def test_broadcast_batch_dims_and_unbatched_inputs_match_torch():
    q, k, v = _qkv((2, 3))
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v), [q[0, :1], k, v])
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v), [q[0, 0], k[0, 0], v[0, 0]])


def test_grouped_query_heads_match_torch():
    q, k, v = RNG.standard_normal((2, 4, 3, 4)), RNG.standard_normal((2, 2, 5, 4)), \
        RNG.standard_normal((2, 1, 5, 6))
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v, enable_gqa=True), [q, k, v])


@pytest.mark.parametrize("source", [0, 2])
def test_empty_inputs_match_torch(source):
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v), _qkv((2,), 3, source))
    check_op(lambda lib, q, k, v: sdpa(lib)(q, k, v), _qkv((0,), 3, source))


@pytest.mark.parametrize("p", [0.3, 1.0])
def test_dropout_uses_torchs_masks(p):
    arrays = _qkv((2, 2))

    def call(lib, q, k, v):
        if lib is torch:
            torch.manual_seed(5)
            return sdpa(torch)(q, k, v, dropout_p=p)
        with masks_from_torch(5, "float64", "cpu"):
            return sdpa(lib)(q, k, v, dropout_p=p)
    check_op(call, arrays)


# ----------------------------------------------------------------------------- errors

def _tensors(lib, *shapes, dtype="float64"):
    return [lib.ones(shape, dtype=getattr(lib, dtype)) for shape in shapes]


ERRORS = [
    (lambda lib: sdpa(lib)(*_tensors(lib, (2, 3, 4), (2, 5, 4), (2, 5, 6)),
                           attn_mask=lib.ones(3, 5, dtype=lib.bool), is_causal=True),
     "Explicit attn_mask should not be set when is_causal=True"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (2, 3, 4), (2, 5, 3), (2, 5, 6))),
     "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 3]."),
    (lambda lib: sdpa(lib)(*_tensors(lib, (2, 3, 4), (2, 5, 4), (2, 4, 6))),
     "Expected size for first two dimensions of batch2 tensor to be: [2, 5] but got: [2, 4]."),
    (lambda lib: sdpa(lib)(*_tensors(lib, (3,), (3,), (3,))), "at least 2 dimensional"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (3, 4), (5, 4)), lib.ones(5, 6)),
     "Expected query, key, and value to have the same dtype"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (3, 4), (5, 4), (5, 6)),
                           attn_mask=lib.ones(3, 5, dtype=lib.int64)),
     "Expected attn_mask dtype to be bool or float or to match query dtype"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (3, 4), (5, 4), (5, 6), dtype="float32"),
                           attn_mask=lib.ones(3, 5, dtype=lib.float64)),
     "Expected attn_mask dtype to be bool or float or to match query dtype"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (2, 3, 4), (2, 5, 4), (2, 5, 6)),
                           attn_mask=lib.ones(1, 1, 3, 5)), "doesn't match the broadcast shape"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (2, 3, 4), (2, 5, 4), (2, 5, 6)),
                           attn_mask=lib.ones(3, 4)),
     "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 2"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (2, 3, 4), (2, 5, 4), (2, 5, 6)),
                           attn_mask=lib.ones(4, 1, 1)),
     "The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 0"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (2, 4, 3, 4), (2, 3, 5, 4), (2, 3, 5, 6)),
                           enable_gqa=True),
     "Number of heads in key and value must divide the number of heads in"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (3, 4), (5, 4), (5, 6)), enable_gqa=True),
     "Dimension out of range"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (3, 4), (5, 4), (5, 7)), dropout_p=1.5),
     "dropout probability has to be between 0 and 1, but got 1.5"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (3, 4), (5, 4), (5, 6)), is_causal=1),
     "argument 'is_causal' must be bool, not int"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (3, 4), (5, 4), (5, 6)), attn_mask=[[1.0]]),
     "must be Tensor, not list"),
    (lambda lib: sdpa(lib)([[1.0]], *_tensors(lib, (5, 4), (5, 6))),
     "argument 'query' (position 1) must be Tensor, not list"),
    (lambda lib: sdpa(lib)(*_tensors(lib, (1, 1, 3, 4), (1, 1, 5, 4), (1, 1, 5, 6),
                                     dtype="int64")),
     "expected scalar type Float but found Long"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_match_torch(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)
