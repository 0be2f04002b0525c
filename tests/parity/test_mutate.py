"""Mutation mode: a documented, reversible patch of one op's backward."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
from parity.check import ParityError, check_op
from parity.mutate import MUTATIONS, mutated, primitives
from tinygrad_edu.ops.elementwise import Relu


def relu_grad():
    x = tinygrad_edu.tensor([-1.0, 2.0, 3.0], dtype=tinygrad_edu.float64, requires_grad=True)
    x.relu().sum().backward()
    return x.grad.numpy()


def test_the_backward_is_scaled_inside_and_restored_after():
    original = Relu.__dict__["backward"]
    with mutated("relu", size=0.5):
        np.testing.assert_array_equal(relu_grad(), [0.0, 1.5, 1.5])
    assert Relu.__dict__["backward"] is original
    np.testing.assert_array_equal(relu_grad(), [0.0, 1.0, 1.0])


def test_restored_after_an_error_and_when_nested():
    with pytest.raises(ZeroDivisionError), mutated("relu", size=1.0):
        with mutated("relu", size=1.0):
            np.testing.assert_array_equal(relu_grad(), [0.0, 4.0, 4.0])
        np.testing.assert_array_equal(relu_grad(), [0.0, 2.0, 2.0])
        raise ZeroDivisionError
    np.testing.assert_array_equal(relu_grad(), [0.0, 1.0, 1.0])


def test_inherited_backwards_are_patched_through_the_parent_and_left_inherited():
    from tinygrad_edu.ops.linalg import Bmm, Mm
    original = Mm.__dict__["backward"]
    assert "backward" not in Bmm.__dict__
    with mutated("matmul"):
        assert Bmm.backward is Mm.backward  # bmm is mutated through mm
        assert Mm.__dict__["backward"] is not original
    assert "backward" not in Bmm.__dict__ and Mm.__dict__["backward"] is original


def test_forward_is_untouched_and_the_op_test_catches_the_backward():
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    with mutated("log_softmax"):
        check_op(lambda t, a: t.log_softmax(a, 1), [x], grad=False)  # values still agree
        with pytest.raises(ParityError, match="gradient of input 0"):
            check_op(lambda t, a: t.log_softmax(a, 1), [x])


@pytest.mark.parametrize("op", sorted(MUTATIONS))
def test_every_mutation_names_real_primitives(op):
    assert all(hasattr(cls, "backward") and hasattr(cls, "forward") for cls in primitives(op))


def test_unknown_op():
    with pytest.raises(ValueError, match="no mutation for 'softsign'"), mutated("softsign"):
        pass
