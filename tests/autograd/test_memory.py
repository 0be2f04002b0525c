"""Graphs are freed by reference counting alone: a node that saved its own output keeps no
reference cycle through it (as torch's SavedVariable), so nothing waits for the cycle collector."""
from __future__ import annotations

import gc
import weakref

import pytest

import tinygrad_edu
from tinygrad_edu.autograd import Function


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * y


@pytest.fixture
def no_cycle_collector():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.mark.parametrize("op", [lambda x: x.tanh(), lambda x: x.exp().sigmoid(),
                                lambda x: tinygrad_edu.relu(x * 2), Exp.apply])
def test_a_graph_dropped_without_backward_is_freed_at_once(op, no_cycle_collector):
    x = tinygrad_edu.randn(4, requires_grad=True)
    y = op(x)
    node = weakref.ref(y.grad_fn)
    data = weakref.ref(y)
    del y
    assert node() is None and data() is None


@pytest.mark.parametrize("op", [lambda x: x.tanh(), Exp.apply])
def test_saved_outputs_still_serve_backward_and_double_backward(op):
    x = tinygrad_edu.tensor([0.5, -1.0], dtype=tinygrad_edu.float64, requires_grad=True)
    y = op(x)
    g, = tinygrad_edu.autograd.grad(y.sum(), x, create_graph=True)
    g.sum().backward()
    assert x.grad is not None and x.grad.shape == (2,)


def test_changing_a_saved_output_in_place_is_still_detected():
    x = tinygrad_edu.randn(3, requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError, match="output 0 of ExpBackward0"):
        y.sum().backward()
