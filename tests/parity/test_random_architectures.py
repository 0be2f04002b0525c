"""Random architectures: hypothesis draws small MLPs and CNNs and trains them in lockstep.

Depth, widths, kernel, stride, padding, activation, pooling, loss and optimizer are drawn; each
network trains a few steps on real digits in float64 in both libraries, and must agree.
"""
from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parity.models import ACTIVATIONS, ModelSpec, random_cnn, random_mlp
from parity.runner import OPTIMIZERS, RunConfig, run

LOSSES = ("cross_entropy", "nll_loss", "mse_sum")


@st.composite
def mlps(draw):
    widths = tuple(draw(st.lists(st.integers(1, 24), min_size=0, max_size=3)))
    loss = draw(st.sampled_from(LOSSES))
    return ModelSpec(f"mlp{list(widths)}", random_mlp(widths, draw(st.sampled_from(ACTIVATIONS)),
                                                         log_softmax=loss == "nll_loss"),
                     loss=loss)


@st.composite
def cnns(draw):
    channels = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    kernel = draw(st.integers(1, 5))
    stride, padding = draw(st.integers(1, 3)), draw(st.integers(0, kernel // 2))
    pooling = draw(st.sampled_from(["max", "avg", "none"]))
    side = 28
    for i in range(len(channels)):  # every feature map keeps at least one pixel
        side = (side + 2 * padding - kernel) // stride + 1
        side = side // 2 if i == 0 and pooling != "none" else side
        assume(side >= 1)
    loss = draw(st.sampled_from(LOSSES))
    build = random_cnn(channels, kernel, stride, padding,
                       activation=draw(st.sampled_from(ACTIVATIONS)), pooling=pooling,
                       log_softmax=loss == "nll_loss")
    return ModelSpec(f"cnn{list(channels)}k{kernel}", build, loss=loss)


@settings(max_examples=12)
@given(spec=st.one_of(mlps(), cnns()), optimizer=st.sampled_from(OPTIMIZERS),
       seed=st.integers(0, 2**16))
def test_random_networks_train_in_lockstep(spec, optimizer, seed, mnist):
    lr = 1e-3 if spec.loss == "mse_sum" else 0.05
    config = RunConfig(spec.name, optimizer, "float64", steps=3, batch_size=8, seed=seed, lr=lr)
    result = run(config, mnist, spec=spec)
    assert result.passed, f"{spec.name}: {result.failure}"
