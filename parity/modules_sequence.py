"""The sequence layers in the module registry (parity/modules.py): nn.RNN, nn.LSTM, nn.GRU and
their cells, nn.MultiheadAttention, the Transformer layers, stacks and nn.Transformer.

What hypothesis draws, per layer: every constructor option that changes the computation
(layers 1-3, bias, batch_first, bidirectional, proj_size, nonlinearity; kdim/vdim, add_bias_kv,
add_zero_attn; norm_first, activation as a string or a callable, final norms, layers 1-2),
dropout (train without, eval with, train with torch's masks replayed), the input's form
(batched, unbatched; for recurrent layers also a PackedSequence from unsorted lengths, padded
again by pad_packed_sequence), initial states or none, and masks (2-d or 3-d, bool or float,
causal with is_causal said or detected; key padding masks bool or float). Sizes are tiny (hidden
2-4, sequences 1-4, batches 1-3). Masks never hide every key from a query, whose attention
weights would be NaN.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from .modules import Example, dropout_modes, register


def _normal(rng, shape) -> np.ndarray:
    return rng.standard_normal(shape)


def random_mask(rng, kind: str, shape: tuple):
    """None, or a mask of `shape` (the last dim are the keys): "bool" (True = hidden), "float"
    (-inf = hidden, else added), "causal" / "causal bool" (square: key j hidden from query
    i < j). Key 0 is never hidden."""
    if kind == "none":
        return None
    if kind.startswith("causal"):
        above = np.triu(np.ones(shape, dtype=bool), 1)
        return above if kind == "causal bool" else np.where(above, -np.inf, 0.0)
    hidden = rng.random(shape) < 0.3
    hidden[..., 0] = False
    return hidden if kind == "bool" else np.where(hidden, -np.inf, rng.standard_normal(shape))


def _sequence_shape(batch, steps, features, batch_first) -> tuple:
    """(T, B, F), (B, T, F) with batch_first, or (T, F) for batch None."""
    if batch is None:
        return (steps, features)
    return (batch, steps, features) if batch_first else (steps, batch, features)


def _masks(**masks) -> dict:
    return {name: m for name, m in masks.items() if m is not None}


# ----------------------------------------------------------------------------- recurrent layers

def _run_recurrent(lib, module, x, *states, form="padded", lengths=None):
    """module(x, h0 or (h0, c0) or None); packed: x packed from unsorted lengths, the output
    padded again (pad_packed_sequence), so lengths and padding are compared too."""
    hx = None if not states else (tuple(states) if len(states) == 2 else states[0])
    if form != "packed":
        return module(x, hx)
    utils = lib.nn.utils.rnn
    packed = utils.pack_padded_sequence(x, lengths, batch_first=module.batch_first,
                                        enforce_sorted=False)
    out, hidden = module(packed, hx)
    return utils.pad_packed_sequence(out, batch_first=module.batch_first), hidden


@st.composite
def _recurrent_example(draw, kind: str):
    hidden, layers = draw(st.integers(2, 4)), draw(st.integers(1, 3))
    directions = draw(st.integers(1, 2))
    options = {"input_size": draw(st.integers(1, 4)), "hidden_size": hidden,
               "num_layers": layers, "bias": draw(st.booleans()),
               "batch_first": draw(st.booleans()), "bidirectional": directions == 2}
    if kind == "RNN":
        options["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    out_size = hidden
    if kind == "LSTM":
        options["proj_size"] = draw(st.integers(0, hidden - 1))
        out_size = options["proj_size"] or hidden
    train, options["dropout"], dropout_seed = draw(dropout_modes(layers > 1))
    form = draw(st.sampled_from(["padded", "unbatched", "packed"]))
    call = {"form": form}
    if form == "packed":
        call["lengths"] = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
        steps, batch = max(call["lengths"]), len(call["lengths"])
    else:
        steps, batch = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        batch = None if form == "unbatched" else batch
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    arrays = [_normal(rng, _sequence_shape(batch, steps, options["input_size"],
                                           options["batch_first"]))]
    if draw(st.booleans()):  # initial states given
        lead = (layers * directions,) + (() if batch is None else (batch,))
        arrays.append(_normal(rng, lead + (out_size,)))
        if kind == "LSTM":
            arrays.append(_normal(rng, lead + (hidden,)))
    return Example(options, arrays, call=call, train=train, dropout_seed=dropout_seed,
                   seed=seed)


def _by_name(kind: str):
    return lambda lib, **options: getattr(lib.nn, kind)(**options)


for _kind in ("RNN", "LSTM", "GRU"):
    register(f"nn.{_kind}", _by_name(_kind), lambda kind=_kind: _recurrent_example(kind),
             _run_recurrent)


# ----------------------------------------------------------------------------- cells

def _run_cell(lib, module, x, *states):
    return module(x, None if not states else (tuple(states) if len(states) == 2 else states[0]))


@st.composite
def _cell_example(draw, kind: str):
    options = {"input_size": draw(st.integers(1, 4)), "hidden_size": draw(st.integers(2, 4)),
               "bias": draw(st.booleans())}
    if kind == "RNNCell":
        options["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    lead = draw(st.sampled_from([(), (1,), (2,), (3,)]))  # () = unbatched
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    arrays = [_normal(rng, lead + (options["input_size"],))]
    if draw(st.booleans()):
        count = 2 if kind == "LSTMCell" else 1
        arrays += [_normal(rng, lead + (options["hidden_size"],)) for _ in range(count)]
    return Example(options, arrays, train=draw(st.booleans()), seed=seed)


for _kind in ("RNNCell", "LSTMCell", "GRUCell"):
    register(f"nn.{_kind}", _by_name(_kind), lambda kind=_kind: _cell_example(kind), _run_cell)


# ----------------------------------------------------------------------------- attention

MASK_KINDS = ["none", "bool", "float"]


def _run_attention(lib, module, *leaves, self_attention=False, **arguments):
    """module(query, key, value, ...); self-attention passes one tensor three times (torch's
    shared in-projection path)."""
    query, key, value = leaves * 3 if self_attention else leaves
    return module(query, key, value, **arguments)


@st.composite
def _attention_example(draw):
    heads = draw(st.integers(1, 2))
    embed = heads * draw(st.integers(1, 2))
    options = {"embed_dim": embed, "num_heads": heads, "bias": draw(st.booleans()),
               "add_bias_kv": draw(st.booleans()), "add_zero_attn": draw(st.booleans()),
               "batch_first": draw(st.booleans())}
    if draw(st.booleans()):
        options["kdim"], options["vdim"] = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    train, options["dropout"], dropout_seed = draw(dropout_modes())
    batch = draw(st.sampled_from([None, 1, 2, 3]))
    length = draw(st.integers(1, 4))
    causal = draw(st.booleans())
    source = length if causal else draw(st.integers(1, 4))
    call = {"need_weights": draw(st.booleans()), "average_attn_weights": draw(st.booleans())}
    mask_kind = draw(st.sampled_from(["causal", "causal bool"] if causal else MASK_KINDS))
    rows = (1 if batch is None else batch) * heads
    mask_shape = draw(st.sampled_from([(length, source), (rows, length, source)]))
    if causal:
        call["is_causal"] = True
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    masks = _masks(attn_mask=random_mask(rng, mask_kind, mask_shape),
                   key_padding_mask=random_mask(rng, draw(st.sampled_from(MASK_KINDS)),
                                                (source,) if batch is None else (batch, source)))
    first = options["batch_first"]
    shared = "kdim" not in options and length == source and draw(st.booleans())
    if shared:
        call["self_attention"] = True
        arrays = [_normal(rng, _sequence_shape(batch, length, embed, first))]
    else:
        arrays = [_normal(rng, _sequence_shape(batch, length, embed, first)),
                  _normal(rng, _sequence_shape(batch, source, options.get("kdim", embed), first)),
                  _normal(rng, _sequence_shape(batch, source, options.get("vdim", embed), first))]
    return Example(options, arrays, masks, call, train, dropout_seed, seed)


register("nn.MultiheadAttention", _by_name("MultiheadAttention"), _attention_example,
         _run_attention)


# ----------------------------------------------------------------------------- Transformers

def _activation(lib, name):
    """The activation as a string, or a callable of `lib`: a function, a module, a lambda."""
    return {"relu": "relu", "gelu": "gelu", "F.gelu": lib.nn.functional.gelu,
            "Tanh": lib.nn.Tanh(), "lambda": lambda x: lib.nn.functional.relu(x) * 0.5}[name]


def _build_transformer(kind: str):
    """A layer; a stack of `layers` copies of one, with a final LayerNorm or none; or the
    whole Transformer (its own final norms)."""
    def build(lib, layers=1, norm=False, activation="relu", **options):
        options["activation"] = _activation(lib, activation)
        if kind == "Transformer":
            return lib.nn.Transformer(num_encoder_layers=layers, num_decoder_layers=layers,
                                      **options)
        if kind.endswith("Layer"):
            return getattr(lib.nn, kind)(**options)
        layer = getattr(lib.nn, f"{kind}Layer")(**options)
        final = lib.nn.LayerNorm(options["d_model"]) if norm else None
        return getattr(lib.nn, kind)(layer, layers, final)
    return build


def _run_transformer(lib, module, *leaves, **arguments):
    return module(*leaves, **arguments)


@st.composite
def _transformer_options(draw, stack: bool):
    # d_model >= 3: a LayerNorm over 2 features gives ±1 whatever its input, so the gradient
    # through it is 0 in exact arithmetic and rounding noise in both libraries
    d_model, nhead = draw(st.sampled_from([(3, 1), (4, 1), (4, 2), (6, 2)]))
    options = {"d_model": d_model, "nhead": nhead, "dim_feedforward": draw(st.integers(2, 5)),
               "batch_first": draw(st.booleans()), "norm_first": draw(st.booleans()),
               "bias": draw(st.booleans()), "layer_norm_eps": draw(st.sampled_from([1e-5, 1e-3])),
               "activation": draw(st.sampled_from(["relu", "gelu", "F.gelu", "Tanh", "lambda"]))}
    if stack:
        options["layers"] = draw(st.integers(1, 2))
    mode = draw(dropout_modes())
    options["dropout"] = mode[1]
    return options, mode


@st.composite
def _attention_mask(draw, rng, prefix, length, source, batch, heads, causal_allowed):
    """{prefix + 'mask': ..., prefix + 'key_padding_mask': ...} drawn: 2-d or 3-d attention
    masks, bool or float, the causal mask when `causal_allowed` (then length == source)."""
    kinds = MASK_KINDS + (["causal", "causal bool"] if causal_allowed else [])
    kind = draw(st.sampled_from(kinds))
    rows = (1 if batch is None else batch) * heads
    shape = (length, source) if kind.startswith("causal") else draw(st.sampled_from(
        [(length, source), (rows, length, source)]))
    padding = random_mask(rng, draw(st.sampled_from(MASK_KINDS)),
                          (source,) if batch is None else (batch, source))
    return kind, {f"{prefix}mask": random_mask(rng, kind, shape),
                  f"{prefix}key_padding_mask": padding}


def _causal_flag(draw, kind: str, stack: bool):
    """The is_causal argument: with the causal mask, True (or None: detected, for stacks);
    otherwise False or (stacks) None."""
    if kind.startswith("causal"):
        return draw(st.sampled_from([True, None] if stack else [True]))
    return draw(st.sampled_from([False, None] if stack else [False]))


@st.composite
def _transformer_example(draw, kind: str):
    stack = not kind.endswith("Layer")
    options, (train, _, dropout_seed) = draw(_transformer_options(stack))
    if kind.endswith("Encoder"):
        options["norm"] = draw(st.booleans())
    batch, length = draw(st.sampled_from([None, 1, 2])), draw(st.integers(1, 4))
    source = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    first, d_model, heads = options["batch_first"], options["d_model"], options["nhead"]
    sequence = [_normal(rng, _sequence_shape(batch, length, d_model, first))]
    masks, call = {}, {}
    if "Encoder" in kind:
        mask, drawn = draw(_attention_mask(rng, "src_", length, length, batch, heads, True))
        if kind == "TransformerEncoder":  # the stack names its mask `mask`
            drawn["mask"] = drawn.pop("src_mask")
        call["is_causal"] = _causal_flag(draw, mask, stack)
        masks.update(drawn)
        return Example(options, sequence, _masks(**masks), call, train, dropout_seed, seed)
    other = [_normal(rng, _sequence_shape(batch, source, d_model, first))]
    mask, drawn = draw(_attention_mask(rng, "tgt_", length, length, batch, heads, True))
    masks.update(drawn)
    call["tgt_is_causal"] = _causal_flag(draw, mask, stack)
    masks.update(draw(_attention_mask(rng, "memory_", length, source, batch, heads, False))[1])
    if kind == "Transformer":  # src, tgt: the encoder's masks too
        mask, drawn = draw(_attention_mask(rng, "src_", source, source, batch, heads, True))
        masks.update(drawn)
        call["src_is_causal"] = _causal_flag(draw, mask, stack)
        return Example(options, other + sequence, _masks(**masks), call, train, dropout_seed,
                       seed)
    return Example(options, sequence + other, _masks(**masks), call, train, dropout_seed, seed)


for _kind in ("TransformerEncoderLayer", "TransformerDecoderLayer", "TransformerEncoder",
              "TransformerDecoder", "Transformer"):
    register(f"nn.{_kind}", _build_transformer(_kind),
             lambda kind=_kind: _transformer_example(kind), _run_transformer)
