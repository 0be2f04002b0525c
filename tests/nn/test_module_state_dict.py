"""Module.load_state_dict: what it accepts, how it copies, and torch's error messages."""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu import nn


def make(lib, hidden: int = 4):
    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = lib.nn.Linear(hidden, 10)
            self.bn = lib.nn.BatchNorm1d(10)

        def forward(self, x):
            return self.bn(self.fc(x))

    return Net()


def load_error(lib, model, state, **kwargs) -> str:
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state, **kwargs)
    return str(info.value)


def both(state_of, model_of=make):
    """The error text of loading `state_of(lib)` into `model_of(lib)`, ours and torch's."""
    return [load_error(lib, model_of(lib), state_of(lib)) for lib in (tinygrad_edu, torch)]


def test_size_mismatch_message_is_torchs():
    ours, theirs = both(lambda lib: make(lib, hidden=5).state_dict(), lambda lib: make(lib))
    assert ours == theirs
    assert ours == ("Error(s) in loading state_dict for Net:\n\tsize mismatch for fc.weight: "
                    "copying a param with shape torch.Size([10, 5]) from checkpoint, the shape "
                    "in current model is torch.Size([10, 4]).")


def test_missing_and_unexpected_keys_messages_are_torchs():
    def edited(lib):
        state = make(lib).state_dict()
        del state["fc.bias"], state["bn.running_var"]
        state["fc.extra"] = lib.zeros(1)
        state["head.weight"] = lib.zeros(1)
        return state

    ours, theirs = both(edited)
    assert ours == theirs
    assert ours.startswith('Error(s) in loading state_dict for Net:\n\tMissing key(s) in '
                           'state_dict: "fc.bias", "bn.running_var". \n\tUnexpected key(s)')


def test_non_tensor_value_is_reported():
    def edited(lib):
        state = make(lib).state_dict()
        state["fc.bias"] = "not a tensor"
        return state

    ours, theirs = both(edited)
    assert ours == theirs


def test_non_mapping_refused():
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like, got <class 'list'>"):
        make(tinygrad_edu).load_state_dict([1, 2])


def test_strict_false_reports_without_raising():
    ours, theirs = make(tinygrad_edu), make(torch)
    state_ours, state_theirs = ours.state_dict(), theirs.state_dict()
    for state in (state_ours, state_theirs):
        del state["bn.bias"]
        state["bn.unknown"] = state["bn.weight"]
    result_ours = ours.load_state_dict(state_ours, strict=False)
    result_theirs = theirs.load_state_dict(state_theirs, strict=False)
    assert result_ours == tuple(result_theirs)
    assert repr(result_ours) == repr(result_theirs)
    assert repr(ours.load_state_dict(ours.state_dict())) == "<All keys matched successfully>"


def test_copies_in_place_from_torch_numpy_and_ours():
    model = make(tinygrad_edu)
    weight = model.fc.weight
    source = make(torch)
    source.bn.running_mean.fill_(0.5)
    source.bn.num_batches_tracked.fill_(7)
    model.load_state_dict(source.state_dict())  # torch tensors, read via .numpy()
    assert model.fc.weight is weight  # the same Parameter: an optimizer keeps working
    assert np.array_equal(weight.detach().numpy(), source.fc.weight.detach().numpy())
    assert model.bn.num_batches_tracked.item() == 7
    assert model.bn.num_batches_tracked.dtype is tinygrad_edu.int64
    as_numpy = {k: v.numpy() * 2 for k, v in source.state_dict().items()}
    model.load_state_dict(as_numpy)
    assert np.allclose(model.bn.running_mean.numpy(), 1.0)
    other = make(tinygrad_edu)
    other.load_state_dict(model.state_dict())
    assert tinygrad_edu.equal(other.fc.bias, model.fc.bias)
    assert weight.requires_grad and weight.grad_fn is None


def test_dtype_converted_to_the_models():
    model = make(tinygrad_edu).double()
    model.load_state_dict(make(torch).state_dict())  # float32 into float64
    assert model.fc.weight.dtype is tinygrad_edu.float64


def test_ours_loads_into_torch_as_numpy():
    model, target = make(tinygrad_edu), make(torch)
    target.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in
                            model.state_dict().items()})
    assert np.array_equal(target.fc.weight.detach().numpy(), model.fc.weight.detach().numpy())


def test_old_batchnorm_checkpoint_without_num_batches_tracked():
    """Version-1 checkpoints predate num_batches_tracked; torch fills it in, so do we."""
    for lib in (tinygrad_edu, torch):
        state = make(lib).state_dict()
        del state["bn.num_batches_tracked"]
        state._metadata["bn"]["version"] = 1
        assert not make(lib).load_state_dict(state).missing_keys
        del state._metadata
        assert not make(lib).load_state_dict(state).missing_keys
    state = make(tinygrad_edu).state_dict()
    del state["bn.num_batches_tracked"]
    with pytest.raises(RuntimeError, match='Missing key.*"bn.num_batches_tracked"'):
        make(tinygrad_edu).load_state_dict(state)  # version 2 must have it


def test_assign_replaces_the_tensors():
    model = make(tinygrad_edu)
    state = OrderedDict((k, v.clone()) for k, v in make(tinygrad_edu).state_dict().items())
    model.load_state_dict(state, assign=True)
    assert isinstance(model.fc.weight, nn.Parameter) and model.fc.weight.requires_grad
    assert np.shares_memory(model.fc.weight.detach().numpy(), state["fc.weight"].numpy())


def test_zero_dim_accepts_a_one_element_vector():
    for lib in (tinygrad_edu, torch):
        model = make(lib)
        state = model.state_dict()
        state["bn.num_batches_tracked"] = lib.tensor([3])
        model.load_state_dict(state)
        assert model.bn.num_batches_tracked.item() == 3
