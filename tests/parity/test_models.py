"""The model zoo: every model built by both libraries from the same code."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.architectures import CNN, MLP
from parity.bridge import build_pair, copy_weights, masks_from_torch, to_numpy
from parity.compare import compare
from parity.models import LOSSES, MODELS
from tinygrad_edu.nn.functional import dropouts


@pytest.mark.parametrize("name", list(MODELS))
def test_both_models_have_the_same_state_dict_and_outputs(name, mnist):
    spec = MODELS[name]
    theirs, ours = build_pair(spec.build, "float64", "cpu", seed=0)
    ours_state, theirs_state = ours.state_dict(), theirs.state_dict()
    assert list(ours_state) == list(theirs_state)
    for key in theirs_state:
        np.testing.assert_array_equal(to_numpy(ours_state[key]), to_numpy(theirs_state[key]))
    if spec.text is None:
        inputs = spec.inputs(mnist[0][0][:8]).astype(np.float64)
    else:  # word ids
        inputs, _ = spec.sample(8, np.random.default_rng(0))
    theirs.eval()
    ours.eval()
    expected = to_numpy(theirs(torch.tensor(inputs)))
    assert compare(to_numpy(ours(tinygrad_edu.tensor(inputs))), expected).relative < 1e-12


def test_the_scratch_model_uses_the_tutorials_hand_written_nll():
    scores = torch.tensor([[0.1, -0.2, 0.3], [0.5, 0.25, -1.0]])
    target = torch.tensor([2, 0])
    expected = torch.nn.functional.nll_loss(scores, target)
    assert MODELS["logistic_scratch"].loss == "tutorial_nll"
    assert LOSSES["tutorial_nll"](torch) is not torch.nn.functional.nll_loss
    assert torch.allclose(LOSSES["tutorial_nll"](torch)(scores, target), expected)


def test_dropout_masks_are_the_ones_torch_drew():
    x = np.linspace(1.0, 2.0, 60).reshape(6, 10)
    torch.manual_seed(3)
    expected = torch.nn.functional.dropout(torch.tensor(x), 0.5, training=True)
    with masks_from_torch(3, "float64", "cpu"):
        first = tinygrad_edu.nn.functional.dropout(tinygrad_edu.tensor(x), 0.5, training=True)
    np.testing.assert_array_equal(to_numpy(first), to_numpy(expected))
    with masks_from_torch(4, "float64", "cpu"):  # another seed, another mask
        other = tinygrad_edu.nn.functional.dropout(tinygrad_edu.tensor(x), 0.5, training=True)
    assert not np.array_equal(to_numpy(other), to_numpy(expected))


def test_the_mask_drawer_is_restored_even_after_an_error():
    before = dropouts.bernoulli_mask
    with pytest.raises(KeyError), masks_from_torch(0, "float32", "cpu"):
        raise KeyError
    assert dropouts.bernoulli_mask is before


@pytest.mark.parametrize("build", [MLP((5, 3), "tanh", output="log_softmax"),
                                   CNN((2, 3), 3, 2, 1, "gelu", "avg")])
def test_random_architectures_build_in_both_libraries(build, mnist):
    theirs, ours = build_pair(build, "float64", "cpu", seed=1)
    images = mnist[0][0][:4].astype(np.float64)
    assert compare(to_numpy(ours(tinygrad_edu.tensor(images))),
                   to_numpy(theirs(torch.tensor(images)))).relative < 1e-12


def test_copy_weights_rejects_a_different_architecture():
    theirs = MODELS["logistic"].build(torch)
    ours = MODELS["mlp"].build(tinygrad_edu)
    with pytest.raises(RuntimeError, match="state_dict"):
        copy_weights(theirs, ours)
