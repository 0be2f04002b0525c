"""Random architectures: small networks drawn by hypothesis, to train in lockstep with torch.

    from hypothesis import given
    import parity

    @given(parity.architectures.mlps(in_features=20, out_features=3))
    def test_any_mlp_trains_as_in_torch(build):
        parity.lockstep(build, (x, y), loss=build.loss, steps=3).assert_ok()

A drawn architecture is a builder like those of the zoo: `build(lib)` returns the model for
`lib` (torch or tinygrad_edu), so both libraries build it from the same code. It is a frozen
dataclass, so hypothesis prints a failing example as the architecture itself, e.g.
`MLP(widths=(5, 3), activation='tanh', ...)`, ready to paste into a regression test.
`build.loss` is the loss that suits its output: 'nll' after a log_softmax, else
'cross_entropy'.

Every argument of `mlps()` and `cnns()` describes the space drawn from: a (low, high) range of
counts or sizes, or a sequence of choices; `architectures()` draws from both.
"""
from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu", "silu")
OUTPUTS = ("logits", "log_softmax")
POOLINGS = ("max", "avg", "none")


def _head(F, x, output: str):
    return F.log_softmax(x, dim=1) if output == "log_softmax" else x


class Architecture:
    """What MLP and CNN share: the loss that suits their output."""

    @property
    def loss(self) -> str:
        """'nll' after a log_softmax (log-probabilities), else 'cross_entropy' (logits)."""
        return "nll" if self.output == "log_softmax" else "cross_entropy"


@dataclass(frozen=True)
class MLP(Architecture):
    """Linear layers in_features -> *widths -> out_features, an activation (and optional
    dropout) between them, logits or log-probabilities out."""

    widths: tuple = (32,)
    activation: str = "relu"
    in_features: int = 784
    out_features: int = 10
    dropout: float = 0.0
    output: str = "logits"

    def __call__(self, lib):
        nn, F = lib.nn, lib.nn.functional
        spec = self
        sizes = (spec.in_features, *spec.widths, spec.out_features)

        class RandomMLP(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
                self.dropout = nn.Dropout(spec.dropout)

            def forward(self, x):
                for layer in self.layers[:-1]:
                    x = self.dropout(getattr(F, spec.activation)(layer(x)))
                return _head(F, self.layers[-1](x), spec.output)

        return RandomMLP()


@dataclass(frozen=True)
class CNN(Architecture):
    """Conv2d layers of the given channels (one kernel, stride and padding), an optional 2x2
    pool after the first, a global adaptive pool and a Linear classifier. The input is viewed
    as (n, in_channels, side, side), so flat MNIST rows (n, 784) are accepted as they are."""

    channels: tuple = (8,)
    kernel: int = 3
    stride: int = 1
    padding: int = 1
    activation: str = "relu"
    pooling: str = "max"
    in_channels: int = 1
    side: int = 28
    out_features: int = 10
    output: str = "logits"

    def final_side(self) -> int:
        """The side of the last feature map (< 1: the architecture does not fit its input)."""
        side = self.side
        for i in range(len(self.channels)):
            side = (side + 2 * self.padding - self.kernel) // self.stride + 1
            if i == 0 and self.pooling != "none":
                side //= 2
            if side < 1:
                return side
        return side

    def __call__(self, lib):
        nn, F = lib.nn, lib.nn.functional
        spec = self
        sizes = (spec.in_channels, *spec.channels)

        class RandomCNN(nn.Module):
            def __init__(self):
                super().__init__()
                self.convs = nn.ModuleList(nn.Conv2d(a, b, spec.kernel, stride=spec.stride,
                                                     padding=spec.padding)
                                           for a, b in zip(sizes, sizes[1:]))
                self.fc = nn.Linear(sizes[-1], spec.out_features)

            def forward(self, x):
                x = x.view(-1, spec.in_channels, spec.side, spec.side)
                for i, conv in enumerate(self.convs):
                    x = getattr(F, spec.activation)(conv(x))
                    if i == 0 and spec.pooling == "max":
                        x = F.max_pool2d(x, 2)
                    elif i == 0 and spec.pooling == "avg":
                        x = F.avg_pool2d(x, 2)
                pool = F.adaptive_max_pool2d if spec.pooling == "max" else F.adaptive_avg_pool2d
                return _head(F, self.fc(pool(x, 1).flatten(1)), spec.output)

        return RandomCNN()


# ----------------------------------------------------------------------------- strategies


def mlps(in_features: int = 784, out_features: int = 10, depth=(0, 3), width=(1, 24),
         activations=ACTIVATIONS, dropout=(0.0,), outputs=OUTPUTS):
    """MLPs with `depth` hidden layers (a (min, max) range) of `width` units each drawn from
    (min, max); activation, dropout probability and output drawn from the given choices."""
    return st.builds(MLP,
                     widths=st.lists(st.integers(*width), min_size=depth[0],
                                     max_size=depth[1]).map(tuple),
                     activation=st.sampled_from(activations),
                     in_features=st.just(in_features), out_features=st.just(out_features),
                     dropout=st.sampled_from(dropout), output=st.sampled_from(outputs))


def cnns(in_channels: int = 1, side: int = 28, out_features: int = 10, depth=(1, 3),
         channels=(1, 4), kernel=(1, 5), stride=(1, 3), activations=ACTIVATIONS,
         poolings=POOLINGS, outputs=OUTPUTS):
    """CNNs on (n, in_channels, side, side) inputs: `depth` convolutions of `channels` output
    channels each, one `kernel` and `stride` (ranges), padding up to kernel // 2; only those
    whose every feature map keeps at least one pixel."""
    @st.composite
    def draw_cnn(draw):
        size = draw(st.integers(*kernel))
        return CNN(channels=tuple(draw(st.lists(st.integers(*channels), min_size=depth[0],
                                                max_size=depth[1]))),
                   kernel=size, stride=draw(st.integers(*stride)),
                   padding=draw(st.integers(0, size // 2)),
                   activation=draw(st.sampled_from(activations)),
                   pooling=draw(st.sampled_from(poolings)), in_channels=in_channels, side=side,
                   out_features=out_features, output=draw(st.sampled_from(outputs)))
    return draw_cnn().filter(lambda cnn: cnn.final_side() >= 1)


def architectures(out_features: int = 10, activations=ACTIVATIONS, outputs=OUTPUTS):
    """An MLP or a CNN on flat MNIST rows (n, 784), with the given classes, activations and
    outputs (for other spaces, `st.one_of(mlps(...), cnns(...))`)."""
    shared = {"out_features": out_features, "activations": activations, "outputs": outputs}
    return st.one_of(mlps(**shared), cnns(**shared))
