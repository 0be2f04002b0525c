"""MyGrad's side of the training-step benchmark, run inside MyGrad's own virtual environment.

MyGrad is a peer (a NumPy autograd), never a dependency: the driver starts this script with the
venv's Python (`--mygrad-python`) and talks to it by the worker protocol (worker.py), so that
MyGrad's rounds interleave with the others'. The models are those of models.py, written
with mygrad.nnet (conv_nd, max_pool, softmax_crossentropy) and SGD with momentum by hand.
"""
from __future__ import annotations

import sys
from pathlib import Path

import mygrad as mg
import numpy as np
from mygrad.nnet.activations import relu
from mygrad.nnet.layers import conv_nd, max_pool
from mygrad.nnet.losses import softmax_crossentropy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.models import batch  # noqa: E402 - numpy only: no torch, no tinygrad_edu
from benchmarks.worker import serve  # noqa: E402


def _param(rng, shape, fan_in):
    bound = 1 / np.sqrt(fan_in)
    return mg.tensor(rng.uniform(-bound, bound, shape).astype(np.float32))


def _linear(rng, n_in, n_out):
    return [_param(rng, (n_in, n_out), n_in), _param(rng, (n_out,), n_in)]


def _conv(rng, c_in, c_out, k):
    fan_in = c_in * k * k
    return [_param(rng, (c_out, c_in, k, k), fan_in), _param(rng, (c_out, 1, 1), fan_in)]


def _conv_stride2_pad1(x, w):
    """Conv2d(k=3, stride=2, padding=1) as torch computes it. MyGrad refuses windows that do not
    tile the padded input exactly; then the last padding row and column, which no window reads,
    are left out: one zero row and column are joined on top and left instead."""
    if (x.shape[-1] + 2 - 3) % 2 == 0:
        return conv_nd(x, w, stride=2, padding=1)
    n, c, h, width = x.shape
    x = mg.concatenate([np.zeros((n, c, 1, width), np.float32), x], axis=2)
    x = mg.concatenate([np.zeros((n, c, h + 1, 1), np.float32), x], axis=3)
    return conv_nd(x, w, stride=2, padding=0)


def build(name: str):
    """(parameters, forward(x) -> logits) of model `name`."""
    rng = np.random.default_rng(0)
    if name == "logistic":
        w, b = _linear(rng, 784, 10)
        return [w, b], lambda x: mg.matmul(x, w) + b
    if name == "mlp":
        (w1, b1), (w2, b2) = _linear(rng, 784, 100), _linear(rng, 100, 10)
        return [w1, b1, w2, b2], lambda x: mg.matmul(relu(mg.matmul(x, w1) + b1), w2) + b2
    if name == "cnn":
        convs = [_conv(rng, 1, 16, 3), _conv(rng, 16, 16, 3), _conv(rng, 16, 10, 3)]

        def cnn(x):
            for w, b in convs:
                x = relu(_conv_stride2_pad1(x, w) + b)
            return mg.mean(x, axis=(2, 3))
        return [p for layer in convs for p in layer], cnn
    if name == "lenet":
        (c1, d1), (c2, d2) = _conv(rng, 1, 6, 5), _conv(rng, 6, 16, 5)
        fcs = [_linear(rng, 400, 120), _linear(rng, 120, 84), _linear(rng, 84, 10)]

        def lenet(x):
            x = max_pool(relu(conv_nd(x, c1, stride=1) + d1), (2, 2), 2)
            x = max_pool(relu(conv_nd(x, c2, stride=1) + d2), (2, 2), 2)
            x = x.reshape(len(x), -1)
            for index, (w, b) in enumerate(fcs):
                x = mg.matmul(x, w) + b
                if index < 2:
                    x = relu(x)
            return x
        return [c1, d1, c2, d2] + [p for layer in fcs for p in layer], lenet
    raise ValueError(name)


def step_for(name: str, size: int, train: bool, lr: float = 0.01, momentum: float = 0.9):
    params, forward = build(name)
    x, y = batch(name, size)
    buffers = [None] * len(params)

    def step():
        loss = softmax_crossentropy(forward(x), y)
        loss.backward()
        for index, p in enumerate(params):
            if buffers[index] is None:
                buffers[index] = p.grad.copy()
            else:
                buffers[index] *= momentum
                buffers[index] += p.grad
            p.data -= lr * buffers[index]

    def infer():
        with mg.no_autodiff:
            forward(x)
    return step if train else infer


if __name__ == "__main__":
    serve(step_for)
