"""The models of the classic PyTorch tutorials, written exactly as there, built with both
libraries: same state_dict keys and shapes, same printed model, checkpoints that load both
ways, then the same outputs and gradients (float64, rtol 1e-10)."""
from __future__ import annotations

import gzip
import math

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.check import compare_arrays
from tinygrad_edu import _pickle

# ----------------------------------------------------------------------------- the models

def mnist_logistic_parameters(lib):
    """torch.nn tutorial: "Refactor using nn.Module"."""
    class Mnist_Logistic(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = lib.nn.Parameter(lib.randn(784, 10) / math.sqrt(784))
            self.bias = lib.nn.Parameter(lib.zeros(10))

        def forward(self, xb):
            return xb @ self.weights + self.bias

    return Mnist_Logistic()


def mnist_logistic_linear(lib):
    """torch.nn tutorial: "Refactor using nn.Linear"."""
    class Mnist_Logistic(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = lib.nn.Linear(784, 10)

        def forward(self, xb):
            return self.lin(xb)

    return Mnist_Logistic()


def mnist_cnn(lib):
    """torch.nn tutorial: "Switch to CNN"."""
    F = lib.nn.functional

    class Mnist_CNN(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = lib.nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
            self.conv2 = lib.nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
            self.conv3 = lib.nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

        def forward(self, xb):
            xb = xb.view(-1, 1, 28, 28)
            xb = F.relu(self.conv1(xb))
            xb = F.relu(self.conv2(xb))
            xb = F.relu(self.conv3(xb))
            xb = F.avg_pool2d(xb, 4)
            return xb.view(-1, xb.size(1))

    return Mnist_CNN()


def sequential_cnn(lib):
    """torch.nn tutorial: "Using nn.Sequential" (with AdaptiveAvgPool2d, "Wrapping DataLoader")."""
    class Lambda(lib.nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    def preprocess(x):
        return x.view(-1, 1, 28, 28)

    return lib.nn.Sequential(
        Lambda(preprocess),
        lib.nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1), lib.nn.ReLU(),
        lib.nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1), lib.nn.ReLU(),
        lib.nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1), lib.nn.ReLU(),
        lib.nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )


def blitz_lenet(lib):
    """60-minute blitz, "Neural Networks": LeNet on 32x32 inputs."""
    F = lib.nn.functional

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = lib.nn.Conv2d(1, 6, 5)
            self.conv2 = lib.nn.Conv2d(6, 16, 5)
            self.fc1 = lib.nn.Linear(16 * 5 * 5, 120)
            self.fc2 = lib.nn.Linear(120, 84)
            self.fc3 = lib.nn.Linear(84, 10)

        def forward(self, input):
            c1 = F.relu(self.conv1(input))
            s2 = F.max_pool2d(c1, (2, 2))
            c3 = F.relu(self.conv2(s2))
            s4 = F.max_pool2d(c3, 2)
            s4 = lib.flatten(s4, 1)
            f5 = F.relu(self.fc1(s4))
            f6 = F.relu(self.fc2(f5))
            return self.fc3(f6)

    return Net()


def two_layer_net(lib):
    """Learning PyTorch with Examples: "Custom nn Modules" (the earlier TwoLayerNet)."""
    class TwoLayerNet(lib.nn.Module):
        def __init__(self, D_in, H, D_out):
            super().__init__()
            self.linear1 = lib.nn.Linear(D_in, H)
            self.linear2 = lib.nn.Linear(H, D_out)

        def forward(self, x):
            h_relu = self.linear1(x).clamp(min=0)
            return self.linear2(h_relu)

    return TwoLayerNet(1000, 100, 10)


def polynomial3(lib):
    """Learning PyTorch with Examples: "nn.Module" (four scalar Parameters)."""
    class Polynomial3(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = lib.nn.Parameter(lib.randn(()))
            self.b = lib.nn.Parameter(lib.randn(()))
            self.c = lib.nn.Parameter(lib.randn(()))
            self.d = lib.nn.Parameter(lib.randn(()))

        def forward(self, x):
            return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

    return Polynomial3()


def sequential_mlp(lib):
    """Learning PyTorch with Examples: "PyTorch: nn" (the 3-layer Sequential)."""
    return lib.nn.Sequential(lib.nn.Linear(1000, 100), lib.nn.ReLU(), lib.nn.Linear(100, 10))


def quickstart(lib):
    """Quickstart / "Build the Neural Network"."""
    class NeuralNetwork(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = lib.nn.Flatten()
            self.linear_relu_stack = lib.nn.Sequential(
                lib.nn.Linear(28 * 28, 512), lib.nn.ReLU(), lib.nn.Linear(512, 512),
                lib.nn.ReLU(), lib.nn.Linear(512, 10))

        def forward(self, x):
            return self.linear_relu_stack(self.flatten(x))

    return NeuralNetwork()


MODELS = {  # the model, and the shape of one batch of its input
    "Mnist_Logistic(Parameter)": (mnist_logistic_parameters, (6, 784)),
    "Mnist_Logistic(Linear)": (mnist_logistic_linear, (6, 784)),
    "Mnist_CNN": (mnist_cnn, (6, 784)),
    "Sequential CNN": (sequential_cnn, (6, 784)),
    "LeNet": (blitz_lenet, (2, 1, 32, 32)),
    "TwoLayerNet": (two_layer_net, (4, 1000)),
    "Polynomial3": (polynomial3, (20,)),
    "Sequential MLP": (sequential_mlp, (4, 1000)),
    "NeuralNetwork": (quickstart, (3, 1, 28, 28)),
}


# ----------------------------------------------------------------------------- the checks

def outputs_and_grads(model, x, lib):
    """Output and every parameter's gradient of sum(output * weights) for fixed weights."""
    out = model(x)
    upstream = np.random.default_rng(0).standard_normal(tuple(out.shape))
    (out * lib.tensor(upstream)).sum().backward()
    grads = {name: p.grad.numpy() for name, p in model.named_parameters()}
    return out.detach().numpy(), grads


def assert_same_behaviour(ours, theirs, x_array):
    ours_out, ours_grads = outputs_and_grads(ours, tinygrad_edu.tensor(x_array), tinygrad_edu)
    theirs_out, theirs_grads = outputs_and_grads(theirs, torch.tensor(x_array), torch)
    compare_arrays(ours_out, theirs_out, 1e-10, 1e-12, "output")
    assert list(ours_grads) == list(theirs_grads)
    for name in ours_grads:
        compare_arrays(ours_grads[name], theirs_grads[name], 1e-10, 1e-12, f"grad of {name}")


@pytest.mark.parametrize("name", MODELS)
def test_state_dict_keys_shapes_and_repr_equal_torchs(name):
    build, _ = MODELS[name]
    ours, theirs = build(tinygrad_edu), build(torch)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("name", MODELS)
def test_torch_checkpoint_loads_into_ours_and_agrees(name):
    build, shape = MODELS[name]
    theirs = build(torch).double()
    ours = build(tinygrad_edu).double()
    result = ours.load_state_dict(theirs.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    x = np.random.default_rng(1).standard_normal(shape)
    assert_same_behaviour(ours, theirs, x)


@pytest.mark.parametrize("name", MODELS)
def test_our_checkpoint_loads_into_torch_as_numpy_and_agrees(name):
    build, shape = MODELS[name]
    ours = build(tinygrad_edu).double()
    theirs = build(torch).double()
    theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in
                            ours.state_dict().items()})
    x = np.random.default_rng(2).standard_normal(shape)
    assert_same_behaviour(ours, theirs, x)


def test_mnist_cnn_on_real_digits_through_a_saved_checkpoint(shared_data, tmp_path):
    """The tutorial's save/load round trip, then real MNIST digits through both models."""
    with gzip.open(shared_data / "mnist" / "mnist.pkl.gz", "rb") as file:
        ((x_train, _), _, _) = _pickle.restricted_load(file, encoding="latin-1")
    theirs = mnist_cnn(torch)
    ours = mnist_cnn(tinygrad_edu)
    path = tmp_path / "mnist_cnn.pt"
    tinygrad_edu.save({k: v.numpy() for k, v in theirs.state_dict().items()}, path)
    ours.load_state_dict(tinygrad_edu.load(path))
    batch = x_train[:16]
    compare_arrays(ours(tinygrad_edu.tensor(batch)).detach().numpy(),
                   theirs(torch.tensor(batch)).detach().numpy(), 1e-5, 1e-6, "output")
