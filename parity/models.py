"""The model zoo: each model written ONCE, as a function of the library it is built with.

    model = mnist_cnn(torch)            # the tutorial's CNN, built by PyTorch
    model = mnist_cnn(tinygrad_edu)     # the very same code, built by tinygrad_edu

Every builder takes the namespace `lib` (torch or tinygrad_edu) and uses only `lib.nn`,
`lib.nn.functional` and tensor methods, so the two models cannot differ by construction: any
disagreement in training comes from the libraries. The code follows the tutorials it comes from
(the torch.nn tutorial "What is torch.nn really?", the 60-minute blitz, "Learning PyTorch with
examples"), with only the changes needed to train on MNIST.

A `ModelSpec` adds what training needs: how a batch of flat (n, 784) images is shaped for the
model, which loss it is trained with, and learning rates that make each optimizer converge.
The two language models (zoo_sequence.py) train on text instead, their `text` task says how.
Random small networks, drawn by hypothesis, are in architectures.py; zoo.py trains the zoo
through the public parity.lockstep().
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .losses import LOSSES as ALL_LOSSES
from .records import DEFAULT_LR
from .zoo_sequence import TextTask, lstm_lm, transformer_lm

# ----------------------------------------------------------------------------- the tutorials


def logistic_from_scratch(lib):
    """torch.nn tutorial, "Neural net from scratch": weights, bias, a hand-written log_softmax.

    The tutorial keeps `weights` and `bias` as bare tensors; here they are Parameters of a
    Module so that torch's initial values can be copied over and optimizers can be swapped.
    """
    class LogisticFromScratch(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = lib.nn.Parameter(lib.randn(784, 10) / math.sqrt(784))
            self.bias = lib.nn.Parameter(lib.zeros(10))

        def forward(self, xb):
            return log_softmax(xb @ self.weights + self.bias)

    def log_softmax(x):
        return x - x.exp().sum(-1).log().unsqueeze(-1)

    return LogisticFromScratch()


def mnist_logistic(lib):
    """torch.nn tutorial, "Refactor using nn.Linear"."""
    class Mnist_Logistic(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = lib.nn.Linear(784, 10)

        def forward(self, xb):
            return self.lin(xb)

    return Mnist_Logistic()


def mlp(lib):
    """A two-hidden-layer perceptron ending in log_softmax (trained with nll_loss)."""
    nn, F = lib.nn, lib.nn.functional

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 128)
            self.fc2 = nn.Linear(128, 64)
            self.fc3 = nn.Linear(64, 10)

        def forward(self, x):
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return F.log_softmax(self.fc3(x), dim=1)

    return MLP()


def mnist_cnn(lib):
    """torch.nn tutorial, "Switch to CNN": three strided convolutions, then an average pool."""
    nn, F = lib.nn, lib.nn.functional

    class Mnist_CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
            self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

        def forward(self, xb):
            xb = xb.view(-1, 1, 28, 28)
            xb = F.relu(self.conv1(xb))
            xb = F.relu(self.conv2(xb))
            xb = F.relu(self.conv3(xb))
            xb = F.avg_pool2d(xb, 4)
            return xb.view(-1, xb.size(1))

    return Mnist_CNN()


def sequential_cnn(lib):
    """torch.nn tutorial, "Using nn.Sequential" with AdaptiveAvgPool2d (any input size)."""
    nn = lib.nn

    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    return nn.Sequential(
        Lambda(lambda x: x.view(-1, 1, 28, 28)),
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )


def lenet(lib):
    """The 60-minute blitz's `Net` (LeNet-5): 32 x 32 inputs, so MNIST is padded by 2 pixels."""
    nn, F = lib.nn, lib.nn.functional

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = lib.flatten(x, 1)
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.fc3(x)

    return Net()


def two_layer_net(lib):
    """"Learning PyTorch with examples": TwoLayerNet, relu written as clamp(min=0)."""
    class TwoLayerNet(lib.nn.Module):
        def __init__(self, D_in, H, D_out):
            super().__init__()
            self.linear1 = lib.nn.Linear(D_in, H)
            self.linear2 = lib.nn.Linear(H, D_out)

        def forward(self, x):
            h_relu = self.linear1(x).clamp(min=0)
            return self.linear2(h_relu)

    return TwoLayerNet(784, 100, 10)


def bn_dropout_cnn(lib):
    """A CNN with BatchNorm and Dropout: its output depends on train() / eval() mode.

    The convolutions in front of a BatchNorm have no bias, as in ResNet: BatchNorm subtracts the
    batch mean, so such a bias has no effect and a gradient of exactly zero, which floating
    point turns into rounding noise, different in each library. (For the same reason there is
    no BatchNorm after fc1: the weights of fc1 that meet a feature constant over the batch, the
    background corners of every digit, would be such zero-gradient parameters too.) Adam would
    divide that noise by its own root-mean-square and move them by ~lr per step.
    """
    nn, F = lib.nn, lib.nn.functional

    class BatchNormDropoutCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 8, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(8)
            self.conv2 = nn.Conv2d(8, 16, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(16)
            self.fc1 = nn.Linear(16 * 7 * 7, 64)
            self.dropout = nn.Dropout(0.5)
            self.fc2 = nn.Linear(64, 10)

        def forward(self, x):
            x = x.view(-1, 1, 28, 28)
            x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
            x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
            x = x.flatten(1)
            x = self.dropout(F.relu(self.fc1(x)))
            return self.fc2(x)

    return BatchNormDropoutCNN()


def row_lstm(lib):
    """Sequential MNIST, the recurrent tutorials' classifier: an LSTM reads each image row by
    row (28 steps of 28 pixels) and a linear layer classifies its last hidden state."""
    class RowLSTM(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = lib.nn.LSTM(28, 64, batch_first=True)
            self.fc = lib.nn.Linear(64, 10)

        def forward(self, xb):
            _, (h_n, _) = self.lstm(xb.view(-1, 28, 28))
            return self.fc(h_n[-1])

    return RowLSTM()


# ----------------------------------------------------------------------------- losses

# The zoo's losses by name (losses.LOSSES), as functions of the library: LOSSES[name](lib).
LOSSES: dict[str, Callable] = {name: loss.build for name, loss in ALL_LOSSES.items()}

# ----------------------------------------------------------------------------- inputs


def flat(images: np.ndarray) -> np.ndarray:
    """(n, 784): the tutorial's layout; models that need images reshape it themselves."""
    return images


def padded_32(images: np.ndarray) -> np.ndarray:
    """(n, 1, 32, 32): LeNet's input size, MNIST with a 2-pixel border of background."""
    return np.pad(images.reshape(-1, 1, 28, 28), ((0, 0), (0, 0), (2, 2), (2, 2)))


# ----------------------------------------------------------------------------- the zoo

# Learning rates: the tutorials' where they give one (0.5 for logistic regression, 0.1 with
# momentum 0.9 for the CNN); otherwise records.DEFAULT_LR, except where a model needs less.


@dataclass(frozen=True)
class ModelSpec:
    """A model of the zoo and how it is trained."""

    name: str
    build: Callable            # build(lib) -> lib.nn.Module
    loss: str = "cross_entropy"
    inputs: Callable = flat    # (n, 784) float images -> the model's input layout
    lr: dict = field(default_factory=dict)   # per optimizer, over DEFAULT_LR
    source: str = ""
    text: TextTask | None = None   # a language model: its own text, read in order, not MNIST
    batch_size: int = 64           # when none is asked for (a language model: text columns)

    def learning_rate(self, optimizer: str) -> float:
        return self.lr.get(optimizer, DEFAULT_LR[optimizer])

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Random (inputs, targets) of n samples, as the model and its loss take them, for a
        quick check: float64 images and labels (one-hot rows for a float loss), or word ids."""
        if self.text is not None:
            return self.text.sample(n, rng)
        images, labels = rng.random((n, 784)), rng.integers(0, 10, n)
        return self.inputs(images), np.eye(10)[labels] if self.targets == "one_hot" else labels

    @property
    def targets(self) -> str:
        """'labels' (class indices) or 'one_hot' (for a regression-style loss such as MSE)."""
        return "one_hot" if ALL_LOSSES[self.loss].targets == "float" else "labels"


MODELS: dict[str, ModelSpec] = {spec.name: spec for spec in [
    ModelSpec("logistic_scratch", logistic_from_scratch, loss="tutorial_nll",
              lr={"sgd": 0.5, "momentum": 0.05}, source="torch.nn tutorial, from scratch"),
    ModelSpec("logistic", mnist_logistic, lr={"sgd": 0.5, "momentum": 0.05},
              source="torch.nn tutorial, Mnist_Logistic (nn.Linear)"),
    ModelSpec("mlp", mlp, loss="nll_loss", source="MLP with log_softmax + nll_loss"),
    ModelSpec("cnn", mnist_cnn, lr={"momentum": 0.1},
              source="torch.nn tutorial, Mnist_CNN"),
    ModelSpec("sequential_cnn", sequential_cnn, lr={"momentum": 0.1},
              source="torch.nn tutorial, nn.Sequential + Lambda + AdaptiveAvgPool2d"),
    ModelSpec("lenet", lenet, inputs=padded_32, lr={"momentum": 0.05},
              source="60-minute blitz, Net (LeNet-5) on 32x32"),
    ModelSpec("two_layer", two_layer_net, loss="mse_sum",
              lr={"sgd": 1e-3, "momentum": 1e-4, "rmsprop": 1e-4},
              source="Learning PyTorch with examples, TwoLayerNet, MSELoss(sum)"),
    ModelSpec("bn_dropout", bn_dropout_cnn, source="CNN with BatchNorm2d/1d and Dropout"),
    ModelSpec("row_lstm", row_lstm, source="sequential MNIST: an LSTM over the image rows"),
    # L-BFGS at 0.1 makes the language models' training chaotic: rounding differences of 1e-16
    # grow past 1e-9 within a hundred steps
    ModelSpec("lstm_lm", lstm_lm, loss="sequence_nll", text=TextTask(), batch_size=20,
              lr={"sgd": 1.0, "momentum": 0.1, "lbfgs": 0.02},
              source="word_language_model, LSTM, truncated BPTT on docstrings"),
    ModelSpec("transformer", transformer_lm, loss="sequence_nll", text=TextTask(),
              batch_size=20, lr={"lbfgs": 0.02},
              source="word_language_model, causal Transformer encoder on docstrings"),
]}
