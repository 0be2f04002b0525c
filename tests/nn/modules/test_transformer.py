"""The Transformer layers and stacks against torch's, in float64: each built in both libraries,
torch's state_dict loaded into ours unchanged (strict: the same keys), the same inputs and masks;
then the output and the gradients of the inputs and of every parameter compared to 1e-10
relative.

torch's inference fast path (eval mode, fused kernels, nested tensors) rounds differently and is
not reproduced. It is never taken here: every run records gradients of parameters that require
grad (torch refuses the fast path then). Runs are in train mode with dropout 0, or in eval mode
with dropout 0.5 (off in eval); train-mode dropout > 0 is compared with torch's own masks.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from parity.bridge import masks_from_torch
from parity.check import compare_arrays
from tinygrad_edu.nn.modules import transformer

RTOL, ATOL = 1e-10, 1e-12
LIBS = (torch, tinygrad_edu)


def _activation(lib, name):
    """'relu' / 'gelu' as strings, or callables of each library (a function, a module)."""
    return {"relu": "relu", "gelu": "gelu", "F.gelu": lib.nn.functional.gelu,
            "Tanh": lib.nn.Tanh(), "lambda": lambda x: lib.nn.functional.relu(x) * 0.5}[name]


def build(lib, kind, d_model, nhead, layers=1, activation="relu", norm=True, **options):
    options["activation"] = _activation(lib, activation)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: "enable_nested_tensor is True, but ..."
        if kind == "Transformer":
            return lib.nn.Transformer(d_model, nhead, layers, layers, **options)
        if kind.endswith("Layer"):
            return getattr(lib.nn, kind)(d_model, nhead, **options)
        layer = getattr(lib.nn, f"{kind}Layer")(d_model, nhead, **options)
        return getattr(lib.nn, kind)(layer, layers, lib.nn.LayerNorm(d_model) if norm else None)


def run_both(kind, d_model, nhead, inputs, masks=None, *, train=True, seed=0,
             dropout_seed=None, build_options=None, **call):
    """Forward and backward of `kind` in both libraries on `inputs` (arrays: src, or tgt and
    memory, or src and tgt), `masks` (arrays, by argument name), `call` (flags); compare all."""
    torch.manual_seed(seed)
    theirs = build(torch, kind, d_model, nhead, **build_options).double()
    ours = build(tinygrad_edu, kind, d_model, nhead, **build_options).double()
    ours.load_state_dict({k: tinygrad_edu.tensor(v.detach().numpy())
                          for k, v in theirs.state_dict().items()})
    results = {}
    for lib, model in ((torch, theirs), (tinygrad_edu, ours)):
        model.train(train)
        leaves = [lib.tensor(a.copy(), requires_grad=True) for a in inputs]
        tensors = {name: lib.tensor(m) for name, m in (masks or {}).items()}
        replay = masks_from_torch(dropout_seed, "float64", "cpu") \
            if dropout_seed is not None and lib is tinygrad_edu else warnings.catch_warnings()
        if dropout_seed is not None and lib is torch:
            torch.manual_seed(dropout_seed)
        with replay:
            out = model(*leaves, **tensors, **call)
        rng = np.random.default_rng(seed)
        (out * lib.tensor(rng.standard_normal(tuple(out.shape)))).sum().backward()
        grads = [t.grad for t in leaves] + [p.grad for _, p in model.named_parameters()]
        results[lib.__name__] = out, grads
    names = [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_parameters()] == names
    (out_ours, g_ours), (out_theirs, g_theirs) = results["tinygrad_edu"], results["torch"]
    compare_arrays(out_ours.detach().numpy(), out_theirs.detach().numpy(), RTOL, ATOL, "output")
    for label, a, b in zip([f"input {i}" for i in range(len(inputs))] + names, g_ours, g_theirs):
        assert (a is None) == (b is None), label
        if a is not None:
            compare_arrays(a.numpy(), b.numpy(), RTOL, ATOL, f"grad of {label}")


# ----------------------------------------------------------------------------- drawn options

def _sequence(rng, batch, length, d_model, batch_first, batched):
    if not batched:
        return rng.standard_normal((length, d_model))
    return rng.standard_normal((batch, length, d_model) if batch_first else
                               (length, batch, d_model))


def _masks(rng, kind, prefix, length, source, batch, batched, padding):
    """An attention mask (bool: True = hidden, or float) and a key padding mask, never hiding
    key 0 from anyone."""
    masks = {}
    if kind != "none":
        hidden = rng.random((length, source)) < 0.3
        hidden[:, 0] = False
        masks[f"{prefix}mask"] = hidden if kind == "bool" else np.where(
            hidden, -np.inf, rng.standard_normal((length, source)))
    if padding != "none":
        hidden = rng.random((batch, source) if batched else (source,)) < 0.3
        hidden[..., 0] = False
        masks[f"{prefix}key_padding_mask"] = hidden if padding == "bool" else np.where(
            hidden, -np.inf, 0.0)
    return masks


@st.composite
def settings_(draw):
    # d_model >= 3: a LayerNorm over 2 features outputs ±1 whatever its input, so the gradient
    # through it is 0 in exact arithmetic and rounding noise in both libraries
    d_model, nhead = draw(st.sampled_from([(3, 1), (4, 1), (4, 2), (6, 2)]))
    options = {"dim_feedforward": draw(st.integers(2, 5)), "batch_first": draw(st.booleans()),
               "norm_first": draw(st.booleans()), "bias": draw(st.booleans()),
               "activation": draw(st.sampled_from(["relu", "gelu", "F.gelu", "Tanh", "lambda"])),
               "layer_norm_eps": draw(st.sampled_from([1e-5, 1e-3]))}
    train = draw(st.booleans())
    options["dropout"] = 0.0 if train else 0.5
    kinds = st.sampled_from(["none", "bool", "float"])
    mask, padding = draw(kinds), draw(kinds)
    if "none" not in (mask, padding):
        padding = mask  # mixed bool/float masks only warn (deprecated)
    return d_model, nhead, options, train, mask, padding


@given(setting=settings_(), stack=st.booleans(), layers=st.integers(1, 2),
       norm=st.booleans(), batch=st.integers(1, 2), length=st.integers(1, 4),
       batched=st.booleans(), seed=st.integers(0, 2**16))
def test_encoders_match_torch(setting, stack, layers, norm, batch, length, batched, seed):
    d_model, nhead, options, train, mask, padding = setting
    rng = np.random.default_rng(seed)
    src = _sequence(rng, batch, length, d_model, options["batch_first"], batched)
    masks = _masks(rng, mask, "", length, length, batch, batched, padding)
    if stack:
        masks = {("src_key_padding_mask" if k.endswith("padding_mask") else k): v
                 for k, v in masks.items()}
        options.update(layers=layers, norm=norm)
    else:
        masks = {f"src_{k}": v for k, v in masks.items()}
    run_both("TransformerEncoder" if stack else "TransformerEncoderLayer", d_model, nhead, [src],
             masks, train=train, seed=seed, build_options=options)


@given(setting=settings_(), stack=st.booleans(), layers=st.integers(1, 2),
       batch=st.integers(1, 2), length=st.integers(1, 4), source=st.integers(1, 4),
       batched=st.booleans(), memory_masks=st.booleans(), seed=st.integers(0, 2**16))
def test_decoders_match_torch(setting, stack, layers, batch, length, source, batched,
                              memory_masks, seed):
    d_model, nhead, options, train, mask, padding = setting
    rng = np.random.default_rng(seed)
    tgt = _sequence(rng, batch, length, d_model, options["batch_first"], batched)
    memory = _sequence(rng, batch, source, d_model, options["batch_first"], batched)
    masks = _masks(rng, mask, "tgt_", length, length, batch, batched, padding)
    if memory_masks:
        masks.update(_masks(rng, mask, "memory_", length, source, batch, batched, padding))
    if stack:
        options["layers"] = layers
    run_both("TransformerDecoder" if stack else "TransformerDecoderLayer", d_model, nhead,
             [tgt, memory], masks, train=train, seed=seed, build_options=options)


@pytest.mark.filterwarnings("ignore:Support for mismatched")  # bool padding, float causal mask
@given(setting=settings_(), layers=st.integers(1, 2), batch=st.integers(1, 2),
       length=st.integers(1, 3), source=st.integers(1, 3), batched=st.booleans(),
       causal=st.booleans(), seed=st.integers(0, 2**16))
def test_transformers_match_torch(setting, layers, batch, length, source, batched, causal,
                                  seed):
    d_model, nhead, options, train, mask, padding = setting
    rng = np.random.default_rng(seed)
    src = _sequence(rng, batch, source, d_model, options["batch_first"], batched)
    tgt = _sequence(rng, batch, length, d_model, options["batch_first"], batched)
    masks = {**_masks(rng, mask, "src_", source, source, batch, batched, padding),
             **_masks(rng, mask, "memory_", length, source, batch, batched, padding)}
    masks.update({k: v for k, v in _masks(rng, mask, "tgt_", length, length, batch, batched,
                                          padding).items() if "padding" in k})
    call = {}
    if causal:  # the decoder's own mask is the causal one, said or detected
        masks["tgt_mask"] = np.triu(np.full((length, length), -np.inf), 1)
        call["tgt_is_causal"] = True if seed % 2 else None
    options["layers"] = layers
    run_both("Transformer", d_model, nhead, [src, tgt], masks, train=train, seed=seed,
             build_options=options, **call)


# ----------------------------------------------------------------------------- chosen cases

RNG = np.random.default_rng(0)
SMALL = {"dim_feedforward": 5, "dropout": 0.0}


@pytest.mark.parametrize("is_causal", [True, None, False])
def test_causal_masks_said_or_detected_match_torch(is_causal):
    src = RNG.standard_normal((4, 2, 4))
    causal = np.triu(np.full((4, 4), -np.inf), 1)
    run_both("TransformerEncoder", 4, 2, [src], {"mask": causal},
             build_options={**SMALL, "layers": 2}, is_causal=is_causal)
    run_both("TransformerEncoderLayer", 4, 2, [src], {"src_mask": causal},
             build_options=SMALL, is_causal=bool(is_causal))


def test_dropout_in_training_uses_torchs_masks():
    src, tgt = RNG.standard_normal((3, 2, 4)), RNG.standard_normal((2, 2, 4))
    run_both("Transformer", 4, 2, [src, tgt], build_options={
        "dim_feedforward": 5, "dropout": 0.3, "layers": 2}, dropout_seed=4)


def test_a_query_that_sees_no_key_matches_torch():
    """A key_padding_mask that hides every key of one batch entry: zeros from attention."""
    src = RNG.standard_normal((3, 2, 4))
    padding = np.array([[True] * 3, [False, True, False]])
    run_both("TransformerEncoderLayer", 4, 2, [src], {"src_key_padding_mask": padding},
             build_options=SMALL)


def test_square_subsequent_mask_is_torchs():
    for size in (0, 1, 4):
        ours = tinygrad_edu.nn.Transformer.generate_square_subsequent_mask(size)
        theirs = torch.nn.Transformer.generate_square_subsequent_mask(size)
        compare_arrays(ours.numpy(), theirs.numpy(), 0, 0, "mask")
    ours = tinygrad_edu.nn.Transformer.generate_square_subsequent_mask(
        2, dtype=tinygrad_edu.float64)
    assert ours.dtype == tinygrad_edu.float64


def test_layers_are_deep_copies_and_the_state_dict_is_torchs():
    layer = tinygrad_edu.nn.TransformerEncoderLayer(4, 2, 5)
    encoder = tinygrad_edu.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    first, second = encoder.layers
    assert first is not layer and first.linear1.weight is not second.linear1.weight
    np.testing.assert_array_equal(first.linear1.weight.detach().numpy(),
                                  layer.linear1.weight.detach().numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.nn.Transformer(4, 2, 2, 1, 5, bias=False)
    ours = tinygrad_edu.nn.Transformer(4, 2, 2, 1, 5, bias=False)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)


def test_transformer_initialises_every_matrix_by_xavier_uniform():
    model = tinygrad_edu.nn.Transformer(8, 2, 1, 1, 16)
    weight = model.encoder.layers[0].linear1.weight.detach().numpy()  # (16, 8)
    assert np.abs(weight).max() <= np.sqrt(6 / (16 + 8))
    assert np.abs(weight).max() > np.sqrt(1 / 8)  # beyond Linear's own bound: re-initialised


def test_module_paths_are_torchs():
    for name in ("Transformer", "TransformerEncoder", "TransformerDecoder",
                 "TransformerEncoderLayer", "TransformerDecoderLayer"):
        assert getattr(transformer, name) is getattr(tinygrad_edu.nn, name)


ERRORS = [
    (lambda lib: lib.nn.TransformerEncoderLayer(4, 2, activation="tanh"),
     "activation should be relu/gelu, not tanh"),
    (lambda lib: lib.nn.Transformer(4, 2, 1, 1, 5)(lib.ones(3, 2, 4), lib.ones(3, 1, 4)),
     "the batch number of src and tgt must be equal"),
    (lambda lib: lib.nn.Transformer(4, 2, 1, 1, 5, batch_first=True)(
        lib.ones(2, 3, 4), lib.ones(1, 3, 4)), "the batch number of src and tgt must be equal"),
    (lambda lib: lib.nn.Transformer(4, 2, 1, 1, 5)(lib.ones(3, 2, 4), lib.ones(3, 2, 6)),
     "the feature number of src and tgt must be equal to d_model"),
    (lambda lib: lib.nn.TransformerEncoderLayer(4, 3), "embed_dim must be divisible by num_heads"),
    (lambda lib: lib.nn.TransformerEncoderLayer(4, 2)(
        lib.ones(3, 2, 4), src_key_padding_mask=lib.ones(2, 3, dtype=lib.int64)),
     "only bool and floating types of src_key_padding_mask are supported"),
]


@pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")
@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_match_torch(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)


def test_a_cloned_decoder_layer_falls_back_to_relu_as_torchs():
    """torch's TransformerDecoderLayer.__setstate__ gives relu to a state without a top-level
    `activation`; a module activation lives in _modules, so a deep copy falls back to relu."""
    for lib in LIBS:
        layer = lib.nn.TransformerDecoderLayer(4, 2, 5, activation=lib.nn.Tanh())
        decoder = lib.nn.TransformerDecoder(layer, 1)
        assert decoder.layers[0].activation is lib.nn.functional.relu
        assert isinstance(layer.activation, lib.nn.Tanh)
        encoder = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(
            4, 2, 5, activation=lib.nn.Tanh()), 1, enable_nested_tensor=False)
        assert isinstance(encoder.layers[0].activation, lib.nn.Tanh)
