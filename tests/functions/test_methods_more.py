"""functions/methods_more.py against torch: the queries and attributes of a real dense tensor,
the conjugate family, the legacy `new`, new_empty_strided, resize_, apply_/map_/map2_ and the
sparse interface asked of a dense tensor."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

DTYPES = ["float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_queries_and_attributes_match_torch(dtype):
    answers = []
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(2, 3, dtype=getattr(lib, dtype))
        view = x[1, 1:]
        answers.append((
            x.is_complex(), lib.is_complex(x), x.is_signed(), lib.is_signed(x),
            x.is_conj(), lib.is_conj(x), x.is_neg(), lib.is_neg(x), x.is_inference(),
            lib.is_inference(x), x.is_same_size(lib.ones(2, 3)), lib.is_same_size(x, view),
            x.is_cpu, x.is_quantized, x.is_meta, x.is_nested, x.is_sparse_csr, x.is_mkldnn,
            x.is_xla, x.is_xpu, x.is_mps, x.is_ipu, x.is_vulkan, x.is_maia, x.is_mtia,
            x.is_shared(), x.is_distributed(), x.nbytes, x.itemsize, view.nbytes,
            view.storage_offset(), x.t()[2].storage_offset(), x.storage_offset(),
            x.dim_order(), x.t().dim_order(), x.is_set_to(x[:]), x.is_set_to(view),
            x.const_data_ptr() == x.data_ptr(), x.sparse_dim(), x.dense_dim()))
    assert answers[0] == answers[1]


def test_is_nonzero_as_torch(same_error_as_torch):
    for lib in (torch, tinygrad_edu):
        assert lib.tensor([2.0]).is_nonzero() and not lib.tensor(0).is_nonzero()
    same_error_as_torch(lambda lib: lib.tensor([1, 2]).is_nonzero(), RuntimeError)


def test_the_conjugate_family_returns_the_tensor_itself(same_as_torch):
    def parts(lib, x):
        same = (x.conj(), lib.conj(x), x.resolve_conj(), lib.resolve_conj(x), x.resolve_neg(),
                lib.resolve_neg(x), x.conj_physical(), lib.conj_physical(x), x.real,
                lib.real(x), (x * 1).conj_physical_())
        assert all(y is x for y in same[:-1])
        return x * 2 + same[-1]
    same_as_torch(parts, np.array([1.5, -2.0]))


def test_conj_physical_in_place_refuses_a_leaf_that_requires_grad(same_error_as_torch):
    same_error_as_torch(lambda lib: lib.ones(2, requires_grad=True).conj_physical_(),
                        RuntimeError)


@pytest.mark.parametrize("call", [lambda lib: lib.ones(2).imag,
                                  lambda lib: lib.imag(lib.ones(2))])
def test_imag_of_a_real_tensor_is_an_error(call, same_error_as_torch):
    same_error_as_torch(call, RuntimeError)


@pytest.mark.parametrize("name", ["indices", "values", "coalesce", "is_coalesced"])
def test_the_sparse_interface_of_a_dense_tensor_as_torch(name, same_error_as_torch):
    same_error_as_torch(lambda lib: getattr(lib.ones(2, 3), name)(), RuntimeError)


def test_to_sparse_coo_is_to_sparse():
    ours, theirs = (lib.tensor([[0.0, 2.0], [3.0, 0.0]]).to_sparse_coo()
                    for lib in (tinygrad_edu, torch))
    assert ours.is_sparse and ours.indices().tolist() == theirs.indices().tolist()
    assert ours.values().tolist() == theirs.values().tolist()
    assert ours.to_sparse_coo() is ours


@pytest.mark.parametrize("args", [([1, 2],), ((2, 3),), (2, 1), (), "size"],
                         ids=["list", "tuple", "sizes", "empty", "Size"])
@pytest.mark.parametrize("dtype", ["float64", "int32"])
def test_legacy_new_as_torch(args, dtype):
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(2, dtype=getattr(lib, dtype))
        made = x.new(lib.Size([2, 1])) if args == "size" else x.new(*args)
        values = made.tolist() if isinstance(args, tuple) and len(args) == 1 else None
        results.append((tuple(made.shape), str(made.dtype), values, made.requires_grad))
    assert results[0] == results[1]


def test_new_empty_strided_as_torch():
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(2).new_empty_strided((2, 3), (1, 2), dtype=lib.int64)
        y = lib.zeros(2).new_empty_strided((0, 3), (3, 1), requires_grad=True)
        results.append((x.stride(), tuple(x.shape), str(x.dtype), y.stride(), y.requires_grad))
    assert results[0] == results[1]


@pytest.mark.parametrize("call", [
    lambda lib: lib.arange(6.0).resize_(2, 2), lambda lib: lib.arange(6.0).resize_((3, 2)),
    lambda lib: lib.arange(4).resize_(8)[:4], lambda lib: lib.arange(6.0).resize_as_(
        lib.zeros(1, 5)),
], ids=["shrink", "same", "grow", "as"])
def test_resize_keeps_the_first_elements(call):
    ours, theirs = call(tinygrad_edu), call(torch)
    assert ours.tolist() == theirs.tolist() and ours.stride() == theirs.stride()


def test_resize_shares_memory_and_refuses_a_tensor_that_requires_grad(same_error_as_torch):
    for lib in (torch, tinygrad_edu):
        x = lib.zeros(6)
        view = x.view(2, 3)
        view.resize_(2, 2).fill_(1)
        assert x.tolist() == [1, 1, 1, 1, 0, 0]
    same_error_as_torch(lambda lib: lib.ones(3, requires_grad=True).resize_(2), RuntimeError)


def test_apply_and_map_as_torch(same_error_as_torch):
    results = []
    for lib in (torch, tinygrad_edu):
        x = lib.arange(6.0).reshape(2, 3)
        v0 = x._version
        x.apply_(lambda v: v * v)
        x.map_(lib.tensor([1.0, 2.0, 3.0]), lambda a, b: a - b)
        x.map2_(lib.ones(2, 1), lib.tensor([0.5, 0.0, 1.0]), lambda a, b, c: a + b * c)
        n = lib.tensor([1, 2]).apply_(lambda v: v * 10.7)
        results.append((x.tolist(), x._version - v0, n.tolist()))
    assert results[0] == results[1]
    same_error_as_torch(lambda lib: lib.ones(2, requires_grad=True).apply_(abs), RuntimeError)
    same_error_as_torch(lambda lib: lib.arange(3).map_(lib.ones(3), max), TypeError)
    same_error_as_torch(lambda lib: lib.arange(3.0).apply_(lambda v: "s"), TypeError)
