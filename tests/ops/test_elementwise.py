"""ops/elementwise.py: Add Sub RSub Mul Div Neg PowScalar Exp Log Sqrt Tanh Sigmoid Relu.

Each op through the operator or method that records it, two independent checks:
property-based parity with torch in float64 (value, every gradient, the node's name; shapes that
broadcast, with size-1 axes and 0-d tensors), and a finite-difference gradcheck without torch.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu.autograd import gradcheck

ANY = st.floats(-3, 3)
NONZERO = st.one_of(st.floats(-3, -0.25), st.floats(0.25, 3))
POSITIVE = st.floats(0.05, 5)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)
# which inputs require grad: Mul and Div save only what the other input's gradient reads
REQUIRES = st.sampled_from([(True, True), (True, False), (False, True)])


def arrays(shape, elements=ANY):
    return hnp.arrays(np.float64, shape, elements=elements)


# ----------------------------------------------------------------------------- x op y

BINARY = {
    "add": (lambda x, y: x + y, ANY),
    "sub": (lambda x, y: x - y, ANY),
    "mul": (lambda x, y: x * y, ANY),
    "div": (lambda x, y: x / y, NONZERO),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(pair=PAIRS, requires=REQUIRES, data=st.data())
def test_binary_op_matches_torch(name, pair, requires, data, device, matches_torch):
    op, divisors = BINARY[name]
    x = data.draw(arrays(pair.input_shapes[0]), label="x")
    y = data.draw(arrays(pair.input_shapes[1], divisors), label="y")
    matches_torch(lambda lib, x, y: op(x, y), x, y, requires_grad=requires, device=device)


@pytest.mark.parametrize("name", sorted(BINARY))
@given(x=SHAPES.flatmap(arrays), number=NONZERO)
def test_binary_op_with_a_number_matches_torch(name, x, number, device, matches_torch):
    op, _ = BINARY[name]
    matches_torch(lambda lib, x: op(x, number), x, device=device)


@given(x=SHAPES.flatmap(arrays), number=st.one_of(ANY, st.integers(-3, 3)))
def test_rsub_matches_torch(x, number, device, matches_torch):
    matches_torch(lambda lib, x: number - x, x, device=device)  # RsubBackward1


@given(x=SHAPES.flatmap(arrays))
def test_neg_matches_torch(x, device, matches_torch):
    matches_torch(lambda lib, x: -x, x, device=device)


# ----------------------------------------------------------------------------- x ** c

@given(exponent=st.sampled_from([0, 1, 2, 3, -1, -2, 0.5, 1.5, -0.5, 2.0]), data=st.data())
def test_pow_scalar_matches_torch(exponent, data, device, matches_torch):
    # a fractional power of a negative number is NaN, and a negative power of 0 is inf
    domain = NONZERO if float(exponent).is_integer() else POSITIVE
    x = data.draw(SHAPES.flatmap(lambda shape: arrays(shape, domain)), label="x")
    matches_torch(lambda lib, x: x ** exponent, x, device=device)


# ----------------------------------------------------------------------------- f(x)

UNARY = {
    "exp": (lambda x: x.exp(), st.floats(-5, 5)),
    "log": (lambda x: x.log(), POSITIVE),
    "sqrt": (lambda x: x.sqrt(), POSITIVE),
    "tanh": (lambda x: x.tanh(), st.floats(-10, 10)),
    "sigmoid": (lambda x: x.sigmoid(), st.floats(-30, 30)),
    "relu": (lambda x: x.relu(), ANY),  # 0 is drawn too: its subgradient is 0, as torch's
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary_op_matches_torch(name, data, device, matches_torch):
    op, domain = UNARY[name]
    x = data.draw(SHAPES.flatmap(lambda shape: arrays(shape, domain)), label="x")
    matches_torch(lambda lib, x: op(x), x, device=device)


def test_relu_subgradient_at_zero_and_large_sigmoid(matches_torch):
    matches_torch(lambda lib, x: x.relu(), np.array([-1.0, -0.0, 0.0, 2.0]))
    matches_torch(lambda lib, x: x.sigmoid(), np.array([-800.0, -40.0, 0.0, 40.0, 800.0]))


# ----------------------------------------------------------------------------- gradcheck

# name -> (function, input shapes, (low, high) of the inputs); no torch involved
GRADCHECKS = {
    "add": (lambda x, y: x + y, [(2, 3), (3,)], (-1, 1)),
    "add_0d": (lambda x, y: x + y, [(), (2, 1)], (-1, 1)),
    "sub": (lambda x, y: x - y, [(2, 1), (1, 3)], (-1, 1)),
    "rsub": (lambda x: 2.5 - x, [(2, 3)], (-1, 1)),
    "mul": (lambda x, y: x * y, [(2, 3), (2, 1)], (-1, 1)),
    "div": (lambda x, y: x / y, [(2, 3), (3,)], (0.5, 2)),
    "neg": (lambda x: -x, [(2, 3)], (-1, 1)),
    "pow_3": (lambda x: x ** 3, [(2, 3)], (-1, 1)),
    "pow_2": (lambda x: x ** 2, [(2, 3)], (-1, 1)),
    "pow_half": (lambda x: x ** 0.5, [(2, 3)], (0.5, 2)),
    "pow_minus_2": (lambda x: x ** -2, [(2, 3)], (0.5, 2)),
    "exp": (lambda x: x.exp(), [(2, 3)], (-2, 2)),
    "log": (lambda x: x.log(), [(2, 3)], (0.5, 2)),
    "sqrt": (lambda x: x.sqrt(), [(2, 3)], (0.5, 2)),
    "tanh": (lambda x: x.tanh(), [(2, 3)], (-2, 2)),
    "sigmoid": (lambda x: x.sigmoid(), [(2, 3)], (-3, 3)),
    "relu": (lambda x: x.relu(), [(2, 3)], (-1, 1)),  # no value within eps of the kink
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_gradcheck(name, leaves):
    function, shapes, (low, high) = GRADCHECKS[name]
    assert gradcheck(function, leaves(*shapes, low=low, high=high))
