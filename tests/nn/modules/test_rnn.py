"""RNN, LSTM, GRU against torch's, in float64: the layer built in both libraries, torch's
state_dict loaded into ours unchanged, the same input (padded, batch-first, unbatched or packed
with unsorted lengths) and initial state; then the output, the final states and the gradients of
the input, of the initial states and of every parameter compared to 1e-10 relative.
Option combinations are drawn by hypothesis; torch's errors are compared by type and message.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import compare_arrays

RTOL, ATOL = 1e-10, 1e-12
LAYERS = {"RNN": ("RNN",), "RNN_relu": ("RNN",), "LSTM": ("LSTM",), "GRU": ("GRU",)}


def make_layer(lib, mode: str, input_size: int, hidden: int, **options):
    if mode == "RNN_relu":
        return lib.nn.RNN(input_size, hidden, nonlinearity="relu", **options)
    return getattr(lib.nn, mode)(input_size, hidden, **options)


def load_from_torch(ours, theirs) -> None:
    """torch's state_dict, as tinygrad_edu tensors, loaded with the same keys."""
    state = {k: tinygrad_edu.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()}
    ours.load_state_dict(state)


def _leaves(lib, arrays):
    return [lib.tensor(a.copy(), requires_grad=True) for a in arrays]


def _flat(value) -> list:
    """The tensors of a nested result (PackedSequence, tuples), in order."""
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _flat(v)]
    return [value] if value is not None else []


def run_both(mode: str, input_size: int, hidden: int, x: np.ndarray, states=(), lengths=None,
             batch_first: bool = False, train: bool = False, seed: int = 0, **options) -> None:
    """Build, load torch's weights, run forward and backward in both libraries, compare all."""
    torch.manual_seed(seed)
    theirs = make_layer(torch, mode, input_size, hidden, batch_first=batch_first,
                        **options).double()
    ours = make_layer(tinygrad_edu, mode, input_size, hidden, batch_first=batch_first,
                      **options).double()
    load_from_torch(ours, theirs)
    theirs.train(train)
    ours.train(train)
    results = {}
    for lib, layer in ((torch, theirs), (tinygrad_edu, ours)):
        x_in, *hx = _leaves(lib, [x, *states])
        data = x_in
        if lengths is not None:
            data = lib.nn.utils.rnn.pack_padded_sequence(x_in, lengths, batch_first=batch_first,
                                                         enforce_sorted=False)
        hx_arg = None if not hx else (tuple(hx) if mode == "LSTM" else hx[0])
        out = layer(data, hx_arg) if hx_arg is not None else layer(data)
        outputs = _flat(out)
        rng = np.random.default_rng(seed)
        loss = sum((o * lib.tensor(rng.standard_normal(tuple(o.shape)))).sum()
                   for o in outputs if o.dtype == lib.float64)
        loss.backward()
        grads = [x_in.grad, *[h.grad for h in hx]]
        grads += [p.grad for _, p in layer.named_parameters()]
        results[lib.__name__] = outputs, grads, [n for n, _ in layer.named_parameters()]
    (o_ours, g_ours, names), (o_theirs, g_theirs, torch_names) = (results["tinygrad_edu"],
                                                                   results["torch"])
    assert names == torch_names
    assert len(o_ours) == len(o_theirs)
    for i, (a, b) in enumerate(zip(o_ours, o_theirs)):
        compare_arrays(a.detach().numpy(), b.detach().numpy(), RTOL, ATOL, f"output {i}")
    labels = ["input"] + [f"state {i}" for i in range(len(states))] + names
    for label, a, b in zip(labels, g_ours, g_theirs):
        assert (a is None) == (b is None), label
        if a is not None:
            compare_arrays(a.numpy(), b.numpy(), RTOL, ATOL, f"grad of {label}")


# ----------------------------------------------------------------------------- drawn options

@st.composite
def configurations(draw):
    mode = draw(st.sampled_from(sorted(LAYERS)))
    layers = draw(st.integers(1, 3))
    options = {"num_layers": layers, "bias": draw(st.booleans()),
               "bidirectional": draw(st.booleans())}
    hidden = draw(st.integers(1, 4))
    if mode == "LSTM" and hidden > 1 and draw(st.booleans()):
        options["proj_size"] = draw(st.integers(1, hidden - 1))
    if layers > 1 and draw(st.booleans()):
        options["dropout"] = 0.5  # eval mode: no dropout at all
    return mode, draw(st.integers(1, 4)), hidden, options


def _state_shapes(mode, hidden, options, batch):
    count = options["num_layers"] * (2 if options["bidirectional"] else 1)
    out_size = options.get("proj_size") or hidden
    lead = (count,) if batch is None else (count, batch)
    shapes = [lead + (out_size,)]
    if mode == "LSTM":
        shapes.append(lead + (hidden,))
    return shapes


@given(config=configurations(), steps=st.integers(1, 4), batch=st.integers(1, 3),
       batch_first=st.booleans(), with_state=st.booleans(), seed=st.integers(0, 2**16))
def test_padded_batches_match_torch(config, steps, batch, batch_first, with_state, seed):
    mode, input_size, hidden, options = config
    rng = np.random.default_rng(seed)
    shape = (batch, steps, input_size) if batch_first else (steps, batch, input_size)
    states = [rng.standard_normal(s) for s in _state_shapes(mode, hidden, options, batch)]
    run_both(mode, input_size, hidden, rng.standard_normal(shape),
             states if with_state else (), batch_first=batch_first, seed=seed, **options)


@given(config=configurations(), lengths=st.lists(st.integers(1, 4), min_size=1, max_size=4),
       batch_first=st.booleans(), with_state=st.booleans(), seed=st.integers(0, 2**16))
def test_packed_unsorted_batches_match_torch(config, lengths, batch_first, with_state, seed):
    """Output a PackedSequence, h_n in the original batch order, gradients through the packing."""
    mode, input_size, hidden, options = config
    rng = np.random.default_rng(seed)
    steps, batch = max(lengths), len(lengths)
    shape = (batch, steps, input_size) if batch_first else (steps, batch, input_size)
    states = [rng.standard_normal(s) for s in _state_shapes(mode, hidden, options, batch)]
    run_both(mode, input_size, hidden, rng.standard_normal(shape),
             states if with_state else (), lengths=lengths, batch_first=batch_first, seed=seed,
             **options)


@given(config=configurations(), steps=st.integers(1, 4), batch_first=st.booleans(),
       with_state=st.booleans(), seed=st.integers(0, 2**16))
def test_unbatched_sequences_match_torch(config, steps, batch_first, with_state, seed):
    mode, input_size, hidden, options = config
    rng = np.random.default_rng(seed)
    states = [rng.standard_normal(s) for s in _state_shapes(mode, hidden, options, None)]
    run_both(mode, input_size, hidden, rng.standard_normal((steps, input_size)),
             states if with_state else (), batch_first=batch_first, seed=seed, **options)


@pytest.mark.parametrize("mode", sorted(LAYERS))
def test_dropout_zero_in_training_equals_no_dropout(mode):
    """dropout=0 while training draws no mask: the same numbers as torch, gradients included."""
    x = np.random.default_rng(1).standard_normal((5, 3, 4))
    run_both(mode, 4, 3, x, num_layers=3, dropout=0.0, bidirectional=True, train=True)


@pytest.mark.parametrize("mode", sorted(LAYERS))
def test_three_layers_bidirectional_long_sequence(mode):
    rng = np.random.default_rng(2)
    options = {"num_layers": 3, "bidirectional": True, "bias": True}
    if mode == "LSTM":
        options["proj_size"] = 2
    states = [rng.standard_normal(s) for s in _state_shapes(mode, 5, options, 4)]
    run_both(mode, 3, 5, rng.standard_normal((12, 4, 3)), states, **options)
    run_both(mode, 3, 5, rng.standard_normal((12, 4, 3)), states, lengths=[5, 12, 1, 7],
             **options)


def test_dropout_in_training_drops_between_layers_only():
    """With p=1 every layer but the last gets zeros as input: the output is then the last layer
    run on zeros, the same whatever the input."""
    layer = tinygrad_edu.nn.GRU(3, 4, num_layers=2, dropout=1.0)
    first = layer(tinygrad_edu.randn(5, 2, 3))[0]
    second = layer(tinygrad_edu.randn(5, 2, 3))[0]
    assert np.array_equal(first.detach().numpy(), second.detach().numpy())
    layer.eval()
    third = layer(tinygrad_edu.randn(5, 2, 3))[0]
    assert not np.array_equal(first.detach().numpy(), third.detach().numpy())


# ----------------------------------------------------------------------------- the module's face

@pytest.mark.parametrize("options", [{}, {"num_layers": 2, "bidirectional": True},
                                     {"bias": False, "proj_size": 2, "num_layers": 2},
                                     {"batch_first": True, "dropout": 0.25, "num_layers": 3}])
def test_parameters_names_shapes_order_and_repr_match_torch(options):
    for mode in ("LSTM", "GRU", "RNN", "RNN_relu"):
        if mode != "LSTM" and "proj_size" in options:
            continue
        theirs = make_layer(torch, mode, 3, 4, **options)
        ours = make_layer(tinygrad_edu, mode, 3, 4, **options)
        assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
            [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
        assert repr(ours) == repr(theirs)
        assert [[tuple(w.shape) for w in ws] for ws in ours.all_weights] == \
            [[tuple(w.shape) for w in ws] for ws in theirs.all_weights]
        assert ours._flat_weights_names == theirs._flat_weights_names
        assert ours.flatten_parameters() is None


def test_default_init_is_uniform_within_one_over_sqrt_hidden():
    tinygrad_edu.manual_seed(0)
    layer = tinygrad_edu.nn.LSTM(10, 16, num_layers=2)
    values = np.concatenate([p.detach().numpy().ravel() for p in layer.parameters()])
    bound = 1 / np.sqrt(16)
    assert values.min() >= -bound and values.max() <= bound
    assert values.min() < -0.9 * bound and values.max() > 0.9 * bound  # the whole range is used
    tinygrad_edu.manual_seed(0)
    again = tinygrad_edu.nn.LSTM(10, 16, num_layers=2)
    assert all(np.array_equal(a.detach().numpy(), b.detach().numpy())
               for a, b in zip(layer.parameters(), again.parameters()))


def test_module_paths_are_torchs():
    from tinygrad_edu.nn.modules.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
    assert (RNN, LSTM, GRU) == (tinygrad_edu.nn.RNN, tinygrad_edu.nn.LSTM, tinygrad_edu.nn.GRU)
    assert (RNNCell, LSTMCell, GRUCell) == (tinygrad_edu.nn.RNNCell, tinygrad_edu.nn.LSTMCell,
                                            tinygrad_edu.nn.GRUCell)


def test_a_torch_state_dict_loads_unchanged_in_float32():
    """The keys and shapes of torch's state_dict, nothing renamed: a float32 model agrees."""
    theirs = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2)
    ours = tinygrad_edu.nn.LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    load_from_torch(ours, theirs)
    x = np.random.default_rng(0).standard_normal((4, 2, 3)).astype(np.float32)
    out_ours, (h_ours, c_ours) = ours(tinygrad_edu.tensor(x))
    out_theirs, (h_theirs, c_theirs) = theirs(torch.tensor(x))
    for a, b in ((out_ours, out_theirs), (h_ours, h_theirs), (c_ours, c_theirs)):
        compare_arrays(a.detach().numpy(), b.detach().numpy(), 1e-5, 1e-6, "float32 LSTM")


# ----------------------------------------------------------------------------- torch's errors

def _same_error(build, call):
    """The same exception type in both libraries, and torch's message in ours."""
    outcomes = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(Exception) as caught:
            call(lib, build(lib))
        outcomes.append(caught)
    theirs, ours = outcomes
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def _t(lib, *shape, dtype="float32"):
    return lib.zeros(*shape, dtype=getattr(lib, dtype))


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("call", [
    lambda lib, m: m(_t(lib, 5)),
    lambda lib, m: m(_t(lib, 2, 3, 4, 5)),
    lambda lib, m: m(_t(lib, 5, 3, 7)),
    lambda lib, m: m(_t(lib, 5, 3, 4, dtype="float64")),
    lambda lib, m: m(_t(lib, 5, 3, 4), _t(lib, 2, 3, 5) if not isinstance(m, lib.nn.LSTM)
                     else (_t(lib, 2, 3, 6), _t(lib, 2, 3, 5))),
    lambda lib, m: m(_t(lib, 5, 3, 4), _t(lib, 2, 2, 6) if not isinstance(m, lib.nn.LSTM)
                     else (_t(lib, 2, 3, 6), _t(lib, 2, 2, 6))),
    lambda lib, m: m(_t(lib, 5, 3, 4), _t(lib, 3, 6) if not isinstance(m, lib.nn.LSTM)
                     else (_t(lib, 3, 6), _t(lib, 2, 3, 6))),
    lambda lib, m: m(_t(lib, 5, 4), _t(lib, 2, 1, 6) if not isinstance(m, lib.nn.LSTM)
                     else (_t(lib, 2, 6), _t(lib, 2, 1, 6))),
], ids=["1d", "4d", "input_size", "dtype", "hidden_size", "hidden_batch", "batched_2d_hidden",
        "unbatched_3d_hidden"])
def test_forward_errors_match_torch(mode, call):
    _same_error(lambda lib: getattr(lib.nn, mode)(4, 6, num_layers=2), call)


@pytest.mark.parametrize("make", [
    lambda nn: nn.LSTM(4, 3, dropout=1.5),
    lambda nn: nn.LSTM(4, 3, dropout=True),
    lambda nn: nn.GRU(4, 3, bias=1),
    lambda nn: nn.RNN(4, 3, batch_first=None),
    lambda nn: nn.RNN(4.0, 3),
    lambda nn: nn.RNN(0, 3),
    lambda nn: nn.GRU(4, 3.5),
    lambda nn: nn.GRU(4, 0),
    lambda nn: nn.LSTM(4, 3, num_layers=0),
    lambda nn: nn.LSTM(4, 3, proj_size=-1),
    lambda nn: nn.LSTM(4, 3, proj_size=3),
    lambda nn: nn.RNN(4, 3, proj_size=1),
    lambda nn: nn.GRU(4, 3, proj_size=1),
    lambda nn: nn.RNN(4, 3, nonlinearity="sigmoid"),
])
def test_constructor_errors_match_torch(make):
    _same_error(lambda lib: None, lambda lib, _: make(lib.nn))


def test_dropout_with_one_layer_warns_as_torch():
    """torch's warning, pointing at the line that built the layer (torch's points inside)."""
    for lib in (torch, tinygrad_edu):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.nn.LSTM(4, 3, dropout=0.5)
        assert len(caught) == 1 and caught[0].category is UserWarning
        assert "non-zero dropout expects num_layers greater than 1" in str(caught[0].message)
    assert caught[0].filename == __file__


@pytest.mark.parametrize("mode", ["LSTM", "GRU", "RNN"])
def test_layers_run_on_the_fake_gpu_as_on_the_cpu(mode, fake_cuda):
    """Every array call of the time loop exists in CuPy (the fake CuPy admits only those), and
    the packed layer's output and gradients are the CPU's."""
    layer = getattr(tinygrad_edu.nn, mode)(3, 4, 2, bidirectional=True).double()
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    results = []
    for device in ("cpu", "cuda"):
        moved = layer.to(device)
        x_in = tinygrad_edu.tensor(x, device=device, requires_grad=True)
        data = tinygrad_edu.nn.utils.rnn.pack_padded_sequence(x_in, [3, 5],
                                                              enforce_sorted=False)
        out, _ = moved(data)
        assert out.data.device.type == device
        out.data.sum().backward()
        results.append([out.data.detach().cpu().numpy(), x_in.grad.cpu().numpy(),
                        moved.weight_hh_l0.grad.cpu().numpy()])
        moved.zero_grad()
    for ours_cpu, ours_gpu in zip(*results):
        compare_arrays(ours_gpu, ours_cpu, RTOL, ATOL, "fake GPU against CPU")
