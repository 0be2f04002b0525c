"""Every model of the parity zoo, and its optimizer, moved through a checkpoint between the
libraries: the weights arrive bit for bit, the predictions agree, and training goes on in the
other library on the same trajectory, step for step."""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
from parity.models import LOSSES, MODELS

torch = pytest.importorskip("torch")

LIBRARIES = {"ours": tinygrad_edu, "torch": torch}
STEPS_BEFORE, STEPS_AFTER = 3, 20


def batch(spec, step: int, n: int = 4):
    """Random images and labels, or word ids for a language model."""
    return spec.sample(n, np.random.default_rng(1000 + step))


def as_tensor(lib, array):
    return lib.tensor(np.array(array))


def build(lib, spec, seed: int = 0):
    lib.manual_seed(seed)
    model = spec.build(lib).double()
    for module in model.modules():  # dropout off: its masks come from each library's generator
        if isinstance(module, (lib.nn.Dropout, lib.nn.LSTM, lib.nn.MultiheadAttention)):
            module.eval()
    return model


def make_optimizer(lib, name: str, model, spec):
    if name == "momentum":
        return lib.optim.SGD(model.parameters(), lr=spec.learning_rate("momentum"), momentum=0.9)
    return lib.optim.Adam(model.parameters(), lr=spec.learning_rate("adam"))


def train_step(lib, spec, model, optimizer, step: int) -> float:
    inputs, targets = batch(spec, step)
    loss = LOSSES[spec.loss](lib)(model(as_tensor(lib, inputs)), as_tensor(lib, targets))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def params(model) -> list:
    return [value.detach().cpu().numpy().copy() for value in model.state_dict().values()]


def move(checkpoint, source: str, target: str, tmp_path):
    """Save `checkpoint` with the source library, load it with the target one."""
    path = tmp_path / f"from_{source}.pt"
    LIBRARIES[source].save(checkpoint, path)
    return LIBRARIES[target].load(path)


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("source,target", [("ours", "torch"), ("torch", "ours")])
def test_state_dict_moves_bit_for_bit_and_predicts_the_same(name, source, target, tmp_path):
    spec = MODELS[name]
    original = build(LIBRARIES[source], spec, seed=1).eval()
    loaded = move(original.state_dict(), source, target, tmp_path)
    twin = build(LIBRARIES[target], spec).eval()
    assert repr(twin.load_state_dict(loaded)) == "<All keys matched successfully>"
    for before, after in zip(params(original), params(twin)):
        assert before.dtype == after.dtype and np.array_equal(before, after)
    inputs, _ = batch(spec, 0)
    with torch.no_grad(), tinygrad_edu.no_grad():
        expected = original(as_tensor(LIBRARIES[source], inputs)).numpy()
        got = twin(as_tensor(LIBRARIES[target], inputs)).numpy()
    # the weights are identical; the two libraries' kernels round differently (~1e-16)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-13)
    # and back again: the weights return unchanged, so the source predicts exactly as before
    returned = build(LIBRARIES[source], spec).eval()
    returned.load_state_dict(move(twin.state_dict(), target, source, tmp_path))
    with torch.no_grad(), tinygrad_edu.no_grad():
        again = returned(as_tensor(LIBRARIES[source], inputs)).numpy()
    assert np.array_equal(again, expected)


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
@pytest.mark.parametrize("source,target", [("ours", "torch"), ("torch", "ours")])
def test_training_continues_in_the_other_library(name, optimizer, source, target, tmp_path):
    spec = MODELS[name]
    lib, other = LIBRARIES[source], LIBRARIES[target]
    model = build(lib, spec)
    opt = make_optimizer(lib, optimizer, model, spec)
    for step in range(STEPS_BEFORE):
        train_step(lib, spec, model, opt, step)
    if hasattr(model, "reset_hidden"):  # the state an LSTM carries is not in its state_dict:
        model.reset_hidden()            # both go on from zeros, as at a new epoch
    checkpoint = move({"model": model.state_dict(), "optimizer": opt.state_dict(),
                       "step": STEPS_BEFORE}, source, target, tmp_path)
    twin = build(other, spec, seed=2)
    twin.load_state_dict(checkpoint["model"])
    twin_opt = make_optimizer(other, optimizer, twin, spec)
    twin_opt.load_state_dict(checkpoint["optimizer"])
    assert checkpoint["step"] == STEPS_BEFORE
    for step in range(STEPS_BEFORE, STEPS_BEFORE + STEPS_AFTER):
        stayed = train_step(lib, spec, model, opt, step)
        moved = train_step(other, spec, twin, twin_opt, step)
        assert moved == pytest.approx(stayed, rel=1e-9, abs=1e-12), f"step {step}"
        for before, after in zip(params(model), params(twin)):
            np.testing.assert_allclose(after, before, rtol=1e-8, atol=1e-11,
                                       err_msg=f"step {step}")
