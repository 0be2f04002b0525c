"""Errors in torch's words: each case raises the same exception type with torch's message."""
from __future__ import annotations

import re

import pytest
import torch

import tinygrad_edu as tg


def raises_like_torch(fn, match=None):
    """fn(lib) must raise in both libraries, the same exception type, and our message must
    contain torch's (or `match`, when our message only extends torch's)."""
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(Exception) as ours:
        fn(tg)
    assert isinstance(ours.value, type(theirs.value)) or \
        type(ours.value).__name__ == type(theirs.value).__name__, (ours.value, theirs.value)
    expected = match if match is not None else str(theirs.value).split("\n")[0]
    assert re.escape(expected) and expected in str(ours.value), (str(ours.value), expected)
    return ours.value


def test_backward_through_a_freed_graph():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x.exp() * x).sum()
        y.backward()
        y.backward()
    raises_like_torch(run)


def test_backward_on_a_non_scalar_without_gradient():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).backward()
    raises_like_torch(run, "grad can be implicitly created only for scalar outputs")


def test_backward_on_a_tensor_that_does_not_require_grad():
    raises_like_torch(lambda lib: lib.tensor([1.0, 2.0]).sum().backward())


def test_saved_tensor_modified_in_place():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.add_(1)
        y.sum().backward()
    error = raises_like_torch(run, "one of the variables needed for gradient computation has "
                                   "been modified by an inplace operation")
    message = str(error)
    assert "is at version 1; expected version 0 instead" in message
    assert "ExpBackward0 saved this tensor" in message and "'add_'" in message


def test_saved_tensor_modified_through_detach():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1
        z = y * y
        y.detach().zero_()
        z.sum().backward()
    raises_like_torch(run, "has been modified by an inplace operation")


def test_inplace_on_a_leaf_that_requires_grad():
    raises_like_torch(lambda lib: lib.tensor([1.0], requires_grad=True).add_(1))
    raises_like_torch(lambda lib: lib.tensor([1.0, 2.0], requires_grad=True)[0].mul_(2))

    def setitem(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        w[0] = 3.0
    raises_like_torch(setitem)


def test_inplace_on_a_leaf_is_fine_under_no_grad():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    with tg.no_grad():
        w -= 0.5
        w[0] = 3.0
    assert w.tolist() == [3.0, 1.5] and w.is_leaf and w.requires_grad


def test_mm_shape_mismatch():
    raises_like_torch(lambda lib: lib.zeros(64, 784).mm(lib.zeros(100, 10)),
                      "mat1 and mat2 shapes cannot be multiplied (64x784 and 100x10)")
    raises_like_torch(lambda lib: lib.zeros(64, 784) @ lib.zeros(100, 10))


def test_broadcast_failure_names_both_sizes():
    raises_like_torch(lambda lib: lib.zeros(2, 3) + lib.zeros(4, 5))
    raises_like_torch(lambda lib: lib.zeros(3) * lib.zeros(4))


def test_view_of_an_incompatible_size():
    raises_like_torch(lambda lib: lib.zeros(2, 3).view(5))
    raises_like_torch(lambda lib: lib.zeros(2, 3).t().view(6))
    raises_like_torch(lambda lib: lib.zeros(2, 3).view(-1, -1))


def test_item_on_many_elements():
    raises_like_torch(lambda lib: lib.zeros(2, 3).item())
    raises_like_torch(lambda lib: bool(lib.zeros(2)))


def test_index_out_of_range():
    raises_like_torch(lambda lib: lib.zeros(2, 3)[5])
    raises_like_torch(lambda lib: lib.zeros(2, 3)[:, 7])
    raises_like_torch(lambda lib: lib.zeros(2, 3)[lib.tensor([0, 9])])
    raises_like_torch(lambda lib: lib.zeros(2, 3)[0, 0, 0])
    raises_like_torch(lambda lib: lib.zeros(2, 3).sum(dim=2))


def test_unknown_dtype_or_device_string():
    raises_like_torch(lambda lib: lib.zeros(2, dtype="float33"))
    raises_like_torch(lambda lib: lib.device("gpu"), "device type at start of device string: gpu")
    raises_like_torch(lambda lib: lib.zeros(2).to("tpu"),
                      "device type at start of device string: tpu")


def test_numpy_of_a_tensor_that_requires_grad():
    raises_like_torch(lambda lib: lib.zeros(2, requires_grad=True).numpy())


def test_integer_tensors_cannot_require_grad():
    error = raises_like_torch(lambda lib: lib.tensor([1, 2], requires_grad=True),
                              "floating point")
    assert "require gradients" in str(error)


def test_result_type_cannot_be_cast_in_place():
    raises_like_torch(lambda lib: lib.tensor([1, 2]).add_(1.5))


def test_cat_and_stack_size_errors():
    raises_like_torch(lambda lib: lib.cat([lib.zeros(2, 3), lib.zeros(3, 4)], 1))
    raises_like_torch(lambda lib: lib.stack([lib.zeros(2, 3), lib.zeros(2, 4)]))
    raises_like_torch(lambda lib: lib.cat([]))


def test_expand_errors():
    raises_like_torch(lambda lib: lib.zeros(3).expand(2, 4))


def test_gradient_of_the_wrong_shape():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        (x * 2).backward(lib.ones(3))
    raises_like_torch(run, "Mismatch in shape")


def test_custom_function_returning_too_few_gradients():
    def run(lib):
        class Bad(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, y):
                return x * y

            @staticmethod
            def backward(ctx, grad_output):
                return grad_output

        a = lib.tensor([1.0], requires_grad=True)
        Bad.apply(a, a).sum().backward()
    raises_like_torch(run, "returned an incorrect number of gradients (expected 2, got 1)")


def test_never_a_bare_numpy_error_on_common_mistakes():
    with pytest.raises(TypeError, match="must be Tensor"):
        tg.exp([1.0, 2.0])
    with pytest.raises(TypeError):
        tg.zeros(2) + "a"
