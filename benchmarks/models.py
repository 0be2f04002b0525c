"""The benchmarked models, written once as functions of a library (`tinygrad_edu` or `torch`).

    logistic  Linear(784, 10) on flat images                  (the torch.nn tutorial, part 1)
    mlp       784-100-10 with ReLU                            (the tutorial's MLP)
    cnn       three Conv2d(., ., 3, stride=2, padding=1) + ReLU, adaptive average pool
              (the torch.nn tutorial's Mnist_CNN)
    lenet     the 60-minute blitz's LeNet on 32x32 images

A training step is the tutorial's loop body: forward, cross-entropy, backward, SGD with
momentum 0.9, zero_grad. Inference is a forward pass under no_grad in eval mode.
"""
from __future__ import annotations

import numpy as np

MODELS = ("logistic", "mlp", "cnn", "lenet")
INPUT_SHAPES = {"logistic": (784,), "mlp": (784,), "cnn": (1, 28, 28), "lenet": (1, 32, 32)}


def build(lib, name: str, depth: int = 1):
    """The model `name` of library `lib` (`depth`: the number of hidden layers of an mlp)."""
    nn = lib.nn
    if name == "logistic":
        return nn.Linear(784, 10)
    if name == "mlp":
        layers = [nn.Linear(784, 100), nn.ReLU()]
        for _ in range(depth - 1):
            layers += [nn.Linear(100, 100), nn.ReLU()]
        return nn.Sequential(*layers, nn.Linear(100, 10))
    if name == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, 10, 3, stride=2, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
    if name == "lenet":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10))
    raise ValueError(f"unknown model {name!r}; choose from {MODELS}")


def batch(name: str, size: int, seed: int = 0):
    """Random inputs of the model's shape (float32 in [0, 1]) and labels, as NumPy arrays."""
    rng = np.random.default_rng(seed)
    x = rng.random((size, *INPUT_SHAPES[name]), dtype=np.float32)
    return x, rng.integers(0, 10, size)


def training_step(lib, model, x, y, lr: float = 0.01):
    """The tutorial's loop body as a function of no arguments (x, y: the library's tensors)."""
    cross_entropy = lib.nn.functional.cross_entropy
    optimizer = lib.optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    def step():
        loss = cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return step


def inference(lib, model, x):
    """A forward pass under no_grad, in eval mode."""
    model.eval()

    def forward():
        with lib.no_grad():
            model(x)
    return forward


def step_for(lib, name: str, size: int, *, train: bool = True, depth: int = 1, seed: int = 0,
             device: str = "cpu"):
    """The training step (or inference) of model `name` at batch `size` in library `lib`."""
    lib.manual_seed(seed)
    model = build(lib, name, depth).to(device)
    x, y = batch(name, size, seed)
    x, y = lib.from_numpy(x).to(device), lib.from_numpy(y).to(device)
    return training_step(lib, model, x, y) if train else inference(lib, model, x)
