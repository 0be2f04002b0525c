"""The sequence layers of the module registry (parity/modules_sequence.py) against torch: for each
registered layer, hypothesis draws options, inputs, masks and the mode; outputs, final states and
the gradients of the inputs, initial states and every parameter must agree to 1e-10 (float64).

The suite's budget is small: a few examples per layer under the `ci` profile, many more under
HYPOTHESIS_PROFILE=deep.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import parity.modules_sequence  # noqa: F401 - registers the sequence layers
from parity.check import ParityError
from parity.modules import MODULES, Example, check_module

SEQUENCE = [name for name, spec in MODULES.items()
            if spec.build.__module__ == parity.modules_sequence.__name__]
EXAMPLES = max(3, settings.default.max_examples // 4)  # ci 5, dev 10, deep 125


@pytest.mark.parametrize("name", SEQUENCE)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_sequence_layers_match_torch(name, data, device):
    spec = MODULES[name]
    check_module(spec, data.draw(spec.example(), label="example"), device)


def test_every_sequence_layer_is_registered():
    assert sorted(SEQUENCE) == sorted(f"nn.{kind}" for kind in (
        "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "MultiheadAttention",
        "TransformerEncoderLayer", "TransformerDecoderLayer", "TransformerEncoder",
        "TransformerDecoder", "Transformer"))


def _lstm_example(**changes) -> Example:
    rng = np.random.default_rng(0)
    example = Example({"input_size": 2, "hidden_size": 3, "num_layers": 2, "dropout": 0.4,
                       "batch_first": True}, [rng.standard_normal((2, 3, 2))],
                      call={"form": "padded"}, train=True, dropout_seed=5)
    return dataclasses.replace(example, **changes)


def test_the_check_sees_a_wrong_mask_a_wrong_gradient_and_a_missing_output():
    """The check can fail: a parameter gradient off by 1e-8 in ours only, an output torch does
    not give, dropout masks drawn by each library on its own (not replayed)."""
    spec = MODULES["nn.LSTM"]
    assert check_module(spec, _lstm_example()) < 1e-10

    def run_with(change):
        def run(lib, module, *leaves, **arguments):
            out = spec.run(lib, module, *leaves, **arguments)
            return change(lib, module, out) if lib.__name__ == "tinygrad_edu" else out
        return dataclasses.replace(spec, run=run)

    def scale_grad(lib, module, out):
        module.weight_hh_l1.register_hook(lambda grad: grad * (1 + 1e-8))
        return out
    for broken, phrase in ((run_with(scale_grad), "gradient of weight_hh_l1"),
                           (run_with(lambda lib, module, out: (*out, out[0])), "outputs")):
        with pytest.raises(ParityError, match=phrase):
            check_module(broken, _lstm_example())
    with pytest.raises(ParityError, match="output 0"):
        check_module(spec, _lstm_example(train=True, dropout_seed=None))
