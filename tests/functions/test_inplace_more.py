"""functions/inplace_more.py against torch: the in-place forms of existing functions (values,
dtype, the graph through them and its gradients), comparisons written in self's dtype with a
zero gradient, logical ops without autograd, the shape methods in place, and torch's errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu

X = np.array([[1.5, -2.25, 3.0], [0.5, 4.0, -1.25]])
Y = np.array([[0.75, 2.0, -1.5], [1.25, -0.5, 2.5]])
M = np.array([[0.5, 1.0], [-1.0, 2.0], [1.5, 0.25]])


@pytest.mark.parametrize("call", [
    lambda x, y: x.absolute_(), lambda x, y: x.negative_(), lambda x, y: x.cos_(),
    lambda x, y: x.sin_(), lambda x, y: x.erf_(), lambda x, y: x.abs().log10_(),
    lambda x, y: x.abs().log2_(), lambda x, y: x.trunc_(), lambda x, y: x.fix_(),
    lambda x, y: x.subtract_(y, alpha=2), lambda x, y: x.multiply_(y),
    lambda x, y: x.divide_(y), lambda x, y: x.true_divide_(y), lambda x, y: x.fmod_(y),
    lambda x, y: x.remainder_(y), lambda x, y: x.lerp_(y, 0.25), lambda x, y: x.lerp_(y, y),
    lambda x, y: x.addcmul_(y, y + 1, value=2), lambda x, y: x.addcdiv_(y, y * y, value=-1),
    lambda x, y: x.cumsum_(1), lambda x, y: x.cumprod_(0),
], ids=lambda call: "")
def test_in_place_forms_match_torch_through_the_graph(call, same_as_torch):
    same_as_torch(lambda lib, x, y: call(x * 1, y), X, Y)


def test_addmm_in_place(same_as_torch):
    same_as_torch(lambda lib, c, a, b: (c * 1).addmm_(a, b, beta=0.5, alpha=2), X[:, :2], X, M)


@pytest.mark.parametrize("name", ["eq_", "ne_", "lt_", "le_", "gt_", "ge_", "greater_",
                                  "greater_equal_", "less_", "less_equal_", "not_equal_"])
def test_comparisons_in_place_keep_the_dtype_and_give_a_zero_gradient(name, same_as_torch):
    same_as_torch(lambda lib, x, y: getattr(x * 1, name)(y[0]), X, X[::-1] + 0.0)
    same_as_torch(lambda lib, x: getattr(x * 1, name)(0.5), X)
    for lib in (torch, tinygrad_edu):  # an integer self stays integer
        ints = lib.tensor([1, 2, 3])
        assert getattr(ints, name)(2.5) is ints and str(ints.dtype) == "torch.int64"


def test_comparison_node_names_as_torch():
    for lib in (torch, tinygrad_edu):
        x = lib.tensor([1.0, 2.0], requires_grad=True) * 1
        assert x.eq_(lib.tensor([1.0, 0.0])).grad_fn.name().startswith("EqBackward")
        assert x.greater_(0.5).grad_fn.name().startswith("GtBackward")


@pytest.mark.parametrize("name", ["logical_and_", "logical_or_", "logical_xor_"])
def test_logical_ops_in_place_have_no_autograd_even_on_a_leaf(name):
    results = []
    for lib in (torch, tinygrad_edu):
        leaf = lib.tensor([1.5, 0.0, -2.0], requires_grad=True)
        getattr(leaf, name)(lib.tensor([0.0, 3.0, 1.0]))
        y = lib.tensor([1.5, 0.0, -2.0], requires_grad=True) * 2
        node = y.grad_fn.name()
        y.logical_not_()
        results.append((leaf.tolist(), leaf.requires_grad, leaf._version, y.tolist(),
                        y.grad_fn.name() == node, y._version))
    assert results[0] == results[1]


def test_bitwise_in_place_forms_match_torch():
    for name in ("bitwise_and_", "bitwise_or_", "bitwise_xor_"):
        ours, theirs = (getattr(lib.tensor([12, 10, 7]), name)(lib.tensor([10, 6, 1]))
                        for lib in (tinygrad_edu, torch))
        assert ours.tolist() == theirs.tolist()
    assert tinygrad_edu.tensor([5, 0]).bitwise_not_().tolist() == \
        torch.tensor([5, 0]).bitwise_not_().tolist()


def test_floor_divide_in_place_writes_and_refuses_its_backward(same_error_as_torch):
    for lib in (torch, tinygrad_edu):
        assert lib.tensor([7, -7]).floor_divide_(2).tolist() == [3, -4]

    def backward(lib):
        x = lib.tensor([7.0, -7.0], requires_grad=True) * 1
        x.floor_divide_(2)
        assert x.requires_grad
        x.sum().backward()
    same_error_as_torch(backward, RuntimeError)


@pytest.mark.parametrize("call, exception", [
    (lambda lib: lib.tensor([1, 2]).cos_(), RuntimeError),                  # Float into Long
    (lambda lib: lib.tensor([1, 2]).divide_(2), RuntimeError),
    (lambda lib: lib.tensor([True]).bitwise_and_(lib.tensor([3])), RuntimeError),
    (lambda lib: lib.tensor([1.0]).bitwise_or_(lib.tensor([3])), NotImplementedError),
    (lambda lib: lib.tensor([1.0], requires_grad=True).sin_(), RuntimeError),  # a leaf
    (lambda lib: lib.tensor([1.0], requires_grad=True).eq_(1.0), RuntimeError),
    (lambda lib: lib.tensor([2], requires_grad=False).cumsum_(0, dtype=lib.float64),
     RuntimeError),
], ids=["cast", "int-divide", "bool-and-int", "float-bitwise", "leaf", "leaf-eq", "cumsum-dtype"])
def test_in_place_errors_as_torch(call, exception, same_error_as_torch):
    same_error_as_torch(call, exception)


def test_broadcasting_into_a_smaller_self_is_refused(raises_as_torch):
    raises_as_torch(lambda lib: lib.ones(3, 1).eq_(lib.ones(1, 4)),
                    "output with shape [3, 1] doesn't match the broadcast shape")


def test_a_value_saved_for_backward_then_changed_in_place_is_caught(raises_as_torch):
    def changed(lib):
        x = lib.tensor([0.5, 1.0], requires_grad=True) * 1
        y = x.sin()
        x.cos_()
        y.sum().backward()
    raises_as_torch(changed, "modified by an inplace operation")


# ----------------------------------------------------------------------------- shapes in place

@pytest.mark.parametrize("call", [
    lambda x: x.unsqueeze_(1), lambda x: x.unsqueeze_(0).squeeze_(0), lambda x: x.t_(),
    lambda x: x.transpose_(0, 1), lambda x: x.swapaxes_(1, 0), lambda x: x.swapdims_(-1, 0),
    lambda x: x[:1].squeeze_(),
], ids=["unsqueeze_", "squeeze_", "t_", "transpose_", "swapaxes_", "swapdims_", "view"])
def test_shape_methods_in_place_match_torch(call, same_as_torch):
    def run(lib, a):
        x = a * 1
        before = x._version
        out = call(x)
        assert out is x or out._base is x
        assert out._version > before
        return out * lib.arange(1.0, out.numel() + 1, dtype=out.dtype).reshape(out.shape)
    same_as_torch(run, X)


def test_shape_in_place_on_a_view_keeps_sharing_memory_and_a_leaf_is_refused(raises_as_torch):
    for lib in (torch, tinygrad_edu):
        base = lib.zeros(2, 3)
        view = base[1]
        view.unsqueeze_(0)
        view.fill_(5)
        assert tuple(view.shape) == (1, 3) and base.sum().item() == 15
        assert view.stride() == (3, 1) and view.storage_offset() == 3
    raises_as_torch(lambda lib: lib.zeros(2, requires_grad=True).unsqueeze_(0),
                    "a leaf Variable that requires grad")
