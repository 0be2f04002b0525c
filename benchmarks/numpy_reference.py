"""The bound: the same four models written by hand in NumPy, forward and backward, no autograd.

This is what an engine on NumPy cannot beat by much: the same arithmetic with no graph, no
Tensor objects and no argument checks. Convolutions are im2col with one matrix product each
(the columns are a strided window view copied once, batch axis last); col2im adds the column
gradients back with one strided add per kernel offset; 2x2 max pooling compares the four taps
of each window. float32 throughout, SGD with momentum as torch defines it (buffer = first
gradient, then mu * buffer + gradient). Plain NumPy: no scratch buffers, no blocked copies.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


class Linear:
    def __init__(self, rng, n_in: int, n_out: int):
        bound = 1 / np.sqrt(n_in)
        self.w = rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32)
        self.b = rng.uniform(-bound, bound, n_out).astype(np.float32)

    def forward(self, x, train=True):
        self.x = x
        y = x @ self.w.T
        y += self.b
        return y

    def backward(self, dy, need_dx=True):
        self.grads = (dy.T @ self.x, dy.sum(0))
        return dy @ self.w if need_dx else None

    def params(self):
        return (self.w, self.b)


class ReLU:
    def forward(self, x, train=True):
        self.y = np.maximum(x, 0)
        return self.y

    def backward(self, dy, need_dx=True):
        return dy * (self.y > 0)


class Conv2d:
    """y = W @ cols + b, cols[(c, i, j), (oh, ow, n)] = x_padded[n, c, oh*s + i, ow*s + j]:
    im2col with the batch axis last, (C, H, W, N), so that every window slice copied (and every
    col2im add) moves runs of N contiguous numbers; one transposing copy in and out."""

    def __init__(self, rng, c_in: int, c_out: int, k: int, stride: int = 1, padding: int = 0):
        bound = 1 / np.sqrt(c_in * k * k)
        self.w = rng.uniform(-bound, bound, (c_out, c_in, k, k)).astype(np.float32)
        self.b = rng.uniform(-bound, bound, c_out).astype(np.float32)
        self.k, self.s, self.p = k, stride, padding

    def forward(self, x, train=True):
        k, s, p = self.k, self.s, self.p
        n, c, h, w = x.shape
        padded = np.zeros((c, h + 2 * p, w + 2 * p, n), np.float32)
        padded[:, p:p + h, p:p + w] = x.transpose(1, 2, 3, 0)
        windows = sliding_window_view(padded, (k, k), axis=(1, 2))[:, ::s, ::s]
        oh, ow = windows.shape[1:3]
        cols = windows.transpose(0, 4, 5, 1, 2, 3).reshape(c * k * k, oh * ow * n)  # a copy
        out = self.w.reshape(len(self.w), -1) @ cols
        out += self.b[:, None]
        self.cols, self.x_shape = cols, x.shape
        return out.reshape(-1, oh, ow, n).transpose(3, 0, 1, 2).copy()

    def backward(self, dy, need_dx=True):
        k, s, p = self.k, self.s, self.p
        o, oh, ow = dy.shape[1:]
        g = dy.transpose(1, 2, 3, 0).reshape(o, -1)  # (O, OH*OW*N), a copy
        self.grads = ((g @ self.cols.T).reshape(self.w.shape), g.sum(1))
        if not need_dx:
            return None
        n, c, h, w = self.x_shape
        dcols = (self.w.reshape(o, -1).T @ g).reshape(c, k, k, oh, ow, n)
        dx = np.zeros((c, h + 2 * p, w + 2 * p, n), np.float32)
        for i in range(k):  # col2im: every kernel offset adds back what it read
            for j in range(k):
                dx[:, i:i + s * oh:s, j:j + s * ow:s] += dcols[:, i, j]
        return dx[:, p:p + h, p:p + w].transpose(3, 0, 1, 2).copy()

    def params(self):
        return (self.w, self.b)


class MaxPool2:
    """2x2 windows that tile the image: the larger of the four taps (the first on ties)."""

    def forward(self, x, train=True):
        taps = [x[:, :, i::2, j::2] for i in (0, 1) for j in (0, 1)]
        y = taps[0].copy()
        winner = np.zeros(y.shape, np.int8)
        for index in (1, 2, 3):
            np.maximum(winner, (taps[index] > y) * np.int8(index), out=winner)
            np.maximum(y, taps[index], out=y)
        self.winner, self.shape = winner, x.shape
        return y

    def backward(self, dy, need_dx=True):
        dx = np.empty(self.shape, np.float32)
        for index in range(4):
            np.multiply(dy, self.winner == index, out=dx[:, :, index // 2::2, index % 2::2])
        return dx


class GlobalAvgPool:
    def forward(self, x, train=True):
        self.shape = x.shape
        return x.mean(axis=(2, 3))

    def backward(self, dy, need_dx=True):
        n, c, h, w = self.shape
        return np.broadcast_to((dy / (h * w))[:, :, None, None], self.shape)


class Flatten:
    def forward(self, x, train=True):
        self.shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dy, need_dx=True):
        return dy.reshape(self.shape)


def layers(name: str, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    if name == "logistic":
        return [Linear(rng, 784, 10)]
    if name == "mlp":
        return [Linear(rng, 784, 100), ReLU(), Linear(rng, 100, 10)]
    if name == "cnn":
        return [Conv2d(rng, 1, 16, 3, 2, 1), ReLU(), Conv2d(rng, 16, 16, 3, 2, 1), ReLU(),
                Conv2d(rng, 16, 10, 3, 2, 1), ReLU(), GlobalAvgPool()]
    if name == "lenet":
        return [Conv2d(rng, 1, 6, 5), ReLU(), MaxPool2(), Conv2d(rng, 6, 16, 5), ReLU(),
                MaxPool2(), Flatten(), Linear(rng, 400, 120), ReLU(), Linear(rng, 120, 84),
                ReLU(), Linear(rng, 84, 10)]
    raise ValueError(f"unknown model {name!r}")


def cross_entropy_grad(logits, labels):
    """The mean cross-entropy of softmax(logits) and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = float(np.log(total[:, 0]).mean() - shifted[rows, labels].mean())
    grad = exp / total
    grad[rows, labels] -= 1
    grad /= len(labels)
    return loss, grad


def backward(net: list, x, y) -> float:
    """Forward and backward through `net`; each layer keeps its gradients. Returns the loss."""
    out = x
    for layer in net:
        out = layer.forward(out)
    loss, grad = cross_entropy_grad(out, y)
    for index in range(len(net) - 1, -1, -1):
        grad = net[index].backward(grad, need_dx=index > 0)
    return loss


def training_step(name: str, x, y, lr: float = 0.01, momentum: float = 0.9, net=None):
    """The hand-written training step of model `name` (or of the layers `net`) on x, y."""
    net = layers(name) if net is None else net
    buffers = {}

    def step():
        backward(net, x, y)
        for layer in net:
            if not hasattr(layer, "grads"):
                continue
            for param, g in zip(layer.params(), layer.grads):
                buffer = buffers.get(id(param))
                if buffer is None:
                    buffers[id(param)] = buffer = g.copy()
                else:
                    buffer *= momentum
                    buffer += g
                param -= lr * buffer
    return step


def inference(name: str, x):
    net = layers(name)

    def forward():
        out = x
        for layer in net:
            out = layer.forward(out, train=False)
        return out
    return forward


def step_for(name: str, size: int, *, train: bool = True, seed: int = 0):
    from .models import batch  # noqa: PLC0415 - the same data as the other contestants
    x, y = batch(name, size, seed)
    return training_step(name, x, y) if train else inference(name, x)
