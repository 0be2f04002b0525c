"""The public API of parity: the three-line example of its docstring, run as written."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import given

import parity
import tinygrad_edu
from parity import ParityError, check_function, check_gradient, strategies


class MySigmoid(tinygrad_edu.autograd.Function):
    """A learner's Function: y = 1 / (1 + exp(-x));  dx = dy * y * (1 - y)"""

    @staticmethod
    def forward(ctx, x):
        y = 1 / (1 + (-x).exp())
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * y * (1 - y)


class WrongSigmoid(MySigmoid):
    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * y  # forgot the (1 - y)


def docstring_example() -> str:
    """The indented block of parity's docstring that starts with @given(strategies."""
    match = re.search(r"\n(    @given\(strategies.*?)\n\n", parity.__doc__, re.S)
    return "\n".join(line[4:] for line in match.group(1).splitlines())


def test_the_docstring_example_is_three_lines_and_runs():
    source = docstring_example()
    assert len(source.splitlines()) == 3
    namespace = {"given": given, "strategies": strategies, "check_function": check_function,
                 "check_gradient": check_gradient, "MySigmoid": MySigmoid, "torch": torch}
    exec(source, namespace)
    namespace["test_my_sigmoid"]()  # hypothesis runs the drawn examples


def test_the_same_three_lines_catch_a_wrong_backward():
    source = docstring_example()
    namespace = {"given": given, "strategies": strategies, "check_function": check_function,
                 "check_gradient": check_gradient, "MySigmoid": WrongSigmoid, "torch": torch}
    exec(source, namespace)
    with pytest.raises(ParityError, match="gradient of input 0"):
        namespace["test_my_sigmoid"]()


def test_check_gradient_needs_no_torch_and_catches_a_wrong_backward():
    x = np.array([0.3, -1.2, 2.0])
    check_gradient(MySigmoid.apply, [x])
    with pytest.raises(ParityError, match="Jacobian mismatch"):
        check_gradient(WrongSigmoid.apply, [x])


def test_check_function_compares_values_too():
    with pytest.raises(ParityError, match="output 0"):
        check_function(lambda x: x.exp(), torch.sigmoid, [np.array([0.5])])


def test_model_strategies_are_reachable_from_parity_strategies():
    import parity.architectures
    import parity.strategies
    for name in ("mlps", "cnns", "architectures"):
        assert getattr(parity.strategies, name) is getattr(parity.architectures, name)
