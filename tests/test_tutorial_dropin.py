"""The autograd half of the classic tutorials, with `import tinygrad_edu as torch`.

Each program is the tutorial's own code (loops shortened), run once with tinygrad_edu and once
with torch; the loss must fall in both, from the same starting point, by similar factors.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch as real_torch

import tinygrad_edu


def manual_backprop(torch, init):
    dtype = torch.float
    device = torch.device("cpu")
    x = torch.tensor(init["x"], device=device, dtype=dtype)
    y = torch.tensor(init["y"], device=device, dtype=dtype)
    w1 = torch.tensor(init["w1"], device=device, dtype=dtype)
    w2 = torch.tensor(init["w2"], device=device, dtype=dtype)
    learning_rate = 1e-6
    losses = []
    for t in range(60):
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        loss = (y_pred - y).pow(2).sum().item()
        losses.append(loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h_relu = grad_y_pred.mm(w2.t())
        grad_h = grad_h_relu.clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)
        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return losses


def with_autograd(torch, init):
    dtype = torch.float
    x = torch.tensor(init["x"], dtype=dtype)
    y = torch.tensor(init["y"], dtype=dtype)
    w1 = torch.tensor(init["w1"], dtype=dtype, requires_grad=True)
    w2 = torch.tensor(init["w2"], dtype=dtype, requires_grad=True)
    learning_rate = 1e-6
    losses = []
    for t in range(60):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return losses


def with_my_relu(torch, init):
    class MyReLU(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            grad_input = grad_output.clone()
            grad_input[input < 0] = 0
            return grad_input

    x = torch.tensor(init["x"])
    y = torch.tensor(init["y"])
    w1 = torch.tensor(init["w1"], requires_grad=True)
    w2 = torch.tensor(init["w2"], requires_grad=True)
    learning_rate = 1e-6
    losses = []
    for t in range(60):
        relu = MyReLU.apply
        y_pred = relu(x.mm(w1)).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return losses


def polynomial_fit(torch, init):
    """'Learning PyTorch with examples': y = sin(x) by a cubic, with autograd."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(v, requires_grad=True) for v in init["abcd"])
    learning_rate = 1e-6
    losses = []
    for t in range(300):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= learning_rate * p.grad
                p.grad = None
    return losses


@pytest.mark.parametrize("program", [manual_backprop, with_autograd, with_my_relu,
                                     polynomial_fit])
def test_tutorial_program_runs_and_matches_torch(program):
    rng = np.random.default_rng(0)
    init = {"x": rng.standard_normal((64, 1000)).astype(np.float32),
            "y": rng.standard_normal((64, 10)).astype(np.float32),
            "w1": rng.standard_normal((1000, 100)).astype(np.float32),
            "w2": rng.standard_normal((100, 10)).astype(np.float32),
            "abcd": [float(v) for v in rng.standard_normal(4).astype(np.float32)]}
    ours = program(tinygrad_edu, init)
    theirs = program(real_torch, init)
    assert ours[-1] < ours[0] * 0.9, "the loss must fall"
    np.testing.assert_allclose(ours, theirs, rtol=2e-3)


def test_blitz_autograd_prints():
    torch = tinygrad_edu
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    assert repr(y) == "tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)"
    assert repr(y.grad_fn).startswith("<AddBackward0 object at 0x")
    z = y * y * 3
    out = z.mean()
    assert repr(out) == "tensor(27., grad_fn=<MeanBackward0>)"
    out.backward()
    assert repr(x.grad) == "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])"
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(v)
    assert x.grad.tolist() == pytest.approx([51.2, 512.0, 0.0512])
    assert (x ** 2).requires_grad
    with torch.no_grad():
        assert not (x ** 2).requires_grad
    assert not x.detach().requires_grad
    assert x.eq(x.detach()).all()
