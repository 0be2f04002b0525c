"""Random architectures: hypothesis draws small MLPs and CNNs and trains them in lockstep.

Depth, widths, kernel, stride, padding, activation, pooling, dropout, output, loss and optimizer
are drawn (parity.architectures, the public strategies); each network trains a few steps on
real digits in float64 in both libraries, through parity.lockstep, and must agree.
"""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import parity
from parity.architectures import CNN, MLP, cnns, mlps
from parity.records import OPTIMIZERS


@settings(max_examples=12)
@given(build=st.one_of(mlps(dropout=(0.0, 0.5)), cnns()),
       optimizer=st.sampled_from(OPTIMIZERS), seed=st.integers(0, 2**16),
       regression=st.booleans())
def test_random_networks_train_in_lockstep(build, optimizer, seed, regression, mnist):
    images, labels = mnist[0][0][:64], mnist[0][1][:64]
    if regression and build.output == "logits":  # MSE on one-hot rows, summed as the tutorial
        data, loss, lr = (images, np.eye(10)[labels]), "mse_sum", 1e-3
    else:
        data, loss, lr = (images, labels), build.loss, 0.05
    result = parity.lockstep(build, data, loss=loss, optimizer=optimizer, steps=3,
                             batch_size=8, seed=seed, lr=lr)
    result.assert_ok()


@settings(max_examples=5)
@given(build=mlps(in_features=6, out_features=2, depth=(1, 2), width=(2, 5),
                  activations=("tanh",), outputs=("logits",)))
def test_the_space_is_the_users(build):
    assert isinstance(build, MLP) and build.in_features == 6 and build.out_features == 2
    assert 1 <= len(build.widths) <= 2 and all(2 <= w <= 5 for w in build.widths)
    assert build.activation == "tanh" and build.loss == "cross_entropy"
    x = np.random.default_rng(0).standard_normal((10, 6))
    parity.lockstep(build, (x, np.arange(10) % 2), steps=2, batch_size=5).assert_ok()


@settings(max_examples=10)
@given(build=cnns(side=9, kernel=(3, 5), stride=(2, 3), depth=(2, 3)))
def test_drawn_cnns_fit_their_input(build):
    assert isinstance(build, CNN) and build.final_side() >= 1 and build.side == 9


def test_a_drawn_architecture_prints_as_code_to_paste():
    build = MLP((5, 3), "tanh", output="log_softmax")
    assert repr(build) == ("MLP(widths=(5, 3), activation='tanh', in_features=784, "
                           "out_features=10, dropout=0.0, output='log_softmax')")
    assert eval(repr(build), {"MLP": MLP}) == build and build.loss == "nll"

    assert CNN((4, 4), kernel=5, stride=3, padding=0, side=9).final_side() < 1  # filtered out
