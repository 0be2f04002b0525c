"""The zoo's language models: their text, truncated BPTT, causality, and lockstep runs."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.bridge import build_pair, to_numpy
from parity.cli import configs, train_parser
from parity.compare import compare
from parity.losses import LOSSES
from parity.models import MODELS
from parity.mutate import mutated
from parity.records import RunConfig
from parity.runner import Lockstep
from parity.zoo import run
from parity.zoo_sequence import BPTT, EVAL_BATCH_SIZE, VOCABULARY, lstm_lm, word_ids

LIBRARIES = (torch, tinygrad_edu)


def test_the_vocabulary_keeps_the_most_frequent_words_and_reads_the_rest_as_unk():
    train, valid, words = word_ids()
    assert len(words) == VOCABULARY and words[-1] == "<unk>"
    assert train.max() == valid.max() == VOCABULARY - 1
    counts = np.bincount(train, minlength=VOCABULARY)[:-1]
    assert (np.diff(counts) <= 0).all()           # most frequent first
    assert {"the", "<eos>"} <= set(words[:3])
    assert 0.75 < np.mean(train != VOCABULARY - 1) < 0.9


def test_windows_in_order_are_word_language_models_get_batch():
    spec = MODELS["lstm_lm"]
    (x, y), (x_valid, y_valid) = spec.text.splits(20)
    assert x.shape[1] == 20 and x_valid.shape[1] == EVAL_BATCH_SIZE
    ids = torch.tensor(word_ids()[0])
    steps = ids.size(0) // 20  # word_language_model's batchify and get_batch, in torch
    source = ids.narrow(0, 0, steps * 20).view(20, -1).t().contiguous()
    for i in (0, BPTT, 5 * BPTT):
        length = min(BPTT, len(source) - 1 - i)
        np.testing.assert_array_equal(x[i:i + BPTT], source[i:i + length].numpy())
        np.testing.assert_array_equal(y[i:i + BPTT].reshape(-1),
                                      source[i + 1:i + 1 + length].reshape(-1).numpy())


def _windows(n: int):
    rng = np.random.default_rng(5)
    return [rng.integers(0, VOCABULARY, (BPTT, 3)) for _ in range(n)]


@pytest.mark.parametrize("lib", LIBRARIES, ids=lambda lib: lib.__name__)
def test_the_lstm_carries_its_state_detached_from_batch_to_batch(lib):
    lib.manual_seed(0)
    model = lstm_lm(lib, dropout=0.0).double()
    first, second = (lib.tensor(window) for window in _windows(2))
    model(first)
    state = model.hidden_h, model.hidden_c
    out = model(second)
    out.sum().backward()
    # word_language_model's loop: hidden = repackage_hidden(hidden); model(data, hidden)
    with lib.no_grad():
        _, hidden = model.rnn(model.encoder(first))
        output, hidden = model.rnn(model.encoder(second), tuple(h.detach() for h in hidden))
        expected = lib.nn.functional.log_softmax(model.decoder(output), dim=-1)
    np.testing.assert_allclose(to_numpy(out), to_numpy(expected), rtol=1e-13)
    assert not state[0].requires_grad and not model.hidden_c.requires_grad
    np.testing.assert_array_equal(to_numpy(model.hidden_h), to_numpy(hidden[0]))
    assert "hidden_h" not in model.state_dict()
    model.eval()  # evaluation starts from zeros and leaves the training state alone
    fresh = lstm_lm(lib, dropout=0.0).double().eval()
    fresh.load_state_dict(model.state_dict())
    with lib.no_grad():
        np.testing.assert_array_equal(to_numpy(model(second)), to_numpy(fresh(second)))
    np.testing.assert_array_equal(to_numpy(model.hidden_h), to_numpy(hidden[0]))


def test_the_carried_state_agrees_with_torchs_and_a_wider_batch_starts_from_zeros():
    theirs, ours = build_pair(lambda lib: lstm_lm(lib, dropout=0.0), "float64", "cpu", 0)
    windows = _windows(2) + [np.zeros((BPTT, 4), dtype=np.int64)]
    for window in windows:
        expected = to_numpy(theirs(torch.tensor(window)))
        assert compare(to_numpy(ours(tinygrad_edu.tensor(window))), expected).relative < 1e-13
        assert compare(to_numpy(ours.hidden_c), to_numpy(theirs.hidden_c)).relative < 1e-13
    ours.reset_hidden()
    assert ours.hidden_h is None and dict(ours.named_buffers()) == {}


def test_the_transformer_sees_only_earlier_words():
    theirs, ours = build_pair(MODELS["transformer"].build, "float64", "cpu", 0)
    theirs.eval()
    ours.eval()
    window = _windows(1)[0]
    changed = window.copy()
    changed[-1] += 1     # a different last word changes the last position's output only
    for lib, model in ((torch, theirs), (tinygrad_edu, ours)):
        a, b = (to_numpy(model(lib.tensor(w))) for w in (window, changed))
        np.testing.assert_array_equal(a[:-1], b[:-1])
        assert not np.allclose(a[-1], b[-1])
    assert compare(to_numpy(ours(tinygrad_edu.tensor(window))),
                   to_numpy(theirs(torch.tensor(window)))).relative < 1e-13


@pytest.mark.parametrize("model,optimizer,dtype", [("lstm_lm", "adam", "float64"),
                                                   ("transformer", "momentum", "float64"),
                                                   ("lstm_lm", "adamw", "float32"),
                                                   ("transformer", "rmsprop", "float32")])
def test_a_few_steps_agree_with_torch(model, optimizer, dtype):
    config = RunConfig(model, optimizer, dtype, steps=4, batch_size=8, eval_every=4)
    result = run(config, None)
    assert result.passed, str(result.failure)
    record = result.records[-1]
    assert record.valid_rel is not None and record.valid_rel <= config.tolerance.loss
    assert max(result.worst_errors.values()) < (1e-12 if dtype == "float64" else 1e-3)
    if model == "lstm_lm":  # the carried state is compared as a buffer after every step
        assert set(result.errors("buffer")) == {"hidden_h", "hidden_c"}


def test_the_diagnosis_leaves_the_carried_state_as_it_was():
    lockstep = Lockstep(MODELS["lstm_lm"].build, LOSSES["sequence_nll"], RunConfig("lstm_lm"))
    (x, y), _ = MODELS["lstm_lm"].text.splits(4)
    lockstep.step(0, 0, x[:BPTT], y[:BPTT])
    before = {side: to_numpy(model.hidden_c) for side, model in
              (("ours", lockstep.ours), ("torch", lockstep.theirs))}
    assert "agree" in lockstep._locate(*lockstep.batch(x[:BPTT], y[:BPTT]), seed=0)
    for side, model in (("ours", lockstep.ours), ("torch", lockstep.theirs)):
        np.testing.assert_array_equal(to_numpy(model.hidden_c), before[side])


def test_a_mutated_lstm_backward_is_caught_and_located():
    with mutated("lstm"):
        result = run(RunConfig("lstm_lm", "sgd", steps=2, batch_size=4), None)
    failure = result.failure
    assert failure is not None and failure.step == 0 and failure.what == "gradient"
    assert failure.name.startswith("rnn.") or failure.name == "encoder.weight"
    assert "between 'drop' and 'rnn'" in failure.where


def test_the_language_models_default_to_their_own_batch_size():
    args = train_parser().parse_args(["--model", "lstm_lm,cnn", "--optimizer", "sgd"])
    assert [config.batch_size for config in configs(args)] == [20, 64]
    args = train_parser().parse_args(["--model", "lstm_lm", "--batch-size", "8"])
    assert {config.batch_size for config in configs(args)} == {8}


@pytest.mark.slow
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("model", ["lstm_lm", "transformer"])
def test_a_hundred_steps_agree_with_torch_in_float64(model, optimizer):
    result = run(RunConfig(model, optimizer, steps=100, batch_size=20), None)
    assert result.passed, str(result.failure)
    assert result.worst("loss")[0] <= 1e-9 and result.worst("grad")[0] <= 1e-9
    assert result.records[-1].loss_torch < result.records[0].loss_torch - 1.0
