"""nn.MultiheadAttention against torch's, in float64: the layer built in both libraries, torch's
state_dict loaded into ours unchanged, the same query/key/value; then the output, the attention
weights and the gradients of the inputs and of every parameter compared to 1e-10 relative.

torch has an inference "fast path" (a fused kernel, eval mode with no gradient required) that
rounds differently; every comparison here records gradients, which keeps torch off it, and runs
in train mode with dropout 0 or in eval mode (where dropout is off). Dropout > 0 in train mode
is compared with torch's own masks (parity.bridge.masks_from_torch).
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
from tinygrad_edu.nn.modules.activation import MultiheadAttention
from tinygrad_edu.nn.modules.linear import NonDynamicallyQuantizableLinear

RTOL, ATOL = 1e-10, 1e-12


def load_from_torch(ours, theirs) -> None:
    """torch's state_dict, as tinygrad_edu tensors, loaded with the same keys."""
    state = {k: tinygrad_edu.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()}
    ours.load_state_dict(state)


def compare_runs(results: dict, labels: list) -> None:
    (o_ours, g_ours), (o_theirs, g_theirs) = results["tinygrad_edu"], results["torch"]
    assert len(o_ours) == len(o_theirs)
    for i, (a, b) in enumerate(zip(o_ours, o_theirs)):
        assert (a is None) == (b is None), f"output {i}"
        if a is not None:
            compare_arrays(a.detach().numpy(), b.detach().numpy(), RTOL, ATOL, f"output {i}")
    for label, a, b in zip(labels, g_ours, g_theirs):
        assert (a is None) == (b is None), label
        if a is not None:
            compare_arrays(a.numpy(), b.numpy(), RTOL, ATOL, f"grad of {label}")


def _masks(lib, masks: dict) -> dict:
    """Masks as tensors of `lib` (float masks take no gradient)."""
    return {name: lib.tensor(m) for name, m in masks.items()}


def run_both(embed, heads, inputs, masks=None, seed=0, train=True, dropout_seed=None,
             self_attention=False, layer_options=None, **call):
    """Build, load torch's weights, run forward and backward in both libraries, compare all."""
    masks = masks or {}
    options = dict(layer_options or {})
    torch.manual_seed(seed)
    theirs = torch.nn.MultiheadAttention(embed, heads, **options).double()
    ours = tinygrad_edu.nn.MultiheadAttention(embed, heads, **options).double()
    load_from_torch(ours, theirs)
    results = {}
    for lib, layer in ((torch, theirs), (tinygrad_edu, ours)):
        layer.train(train)
        leaves = [lib.tensor(a.copy(), requires_grad=True) for a in inputs]
        q, k, v = (leaves * 3)[:3] if self_attention else leaves
        if dropout_seed is not None and lib is torch:
            torch.manual_seed(dropout_seed)
        with warnings.catch_warnings(), masks_from_torch(dropout_seed or 0, "float64", "cpu") \
                if dropout_seed is not None and lib is tinygrad_edu else _nothing():
            warnings.simplefilter("ignore")
            out, weights = layer(q, k, v, **_masks(lib, masks), **call)
        rng = np.random.default_rng(seed)
        loss = (out * lib.tensor(rng.standard_normal(tuple(out.shape)))).sum()
        if weights is not None:
            loss = loss + (weights * lib.tensor(rng.standard_normal(tuple(weights.shape)))).sum()
        loss.backward()
        grads = [t.grad for t in leaves] + [p.grad for _, p in layer.named_parameters()]
        results[lib.__name__] = [out, weights], grads
    names = [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_parameters()] == names
    compare_runs(results, [f"input {i}" for i in range(len(inputs))] + names)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# ----------------------------------------------------------------------------- drawn options

@st.composite
def configurations(draw):
    heads = draw(st.integers(1, 3))
    embed = heads * draw(st.integers(1, 3))
    options = {"bias": draw(st.booleans()), "batch_first": draw(st.booleans()),
               "add_bias_kv": draw(st.booleans()), "add_zero_attn": draw(st.booleans())}
    if draw(st.booleans()):
        options["kdim"], options["vdim"] = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return embed, heads, options


@st.composite
def mask_arrays(draw, batch, heads, length, source, batched, mask_kind, padding_kind):
    """attn_mask (2-d or 3-d) and key_padding_mask, bool (True = masked) or float; masks never
    hide every key from a query (torch's need_weights path would give NaN there)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    masks = {}
    if mask_kind != "none":
        three_d = draw(st.booleans())
        shape = ((batch if batched else 1) * heads, length, source) if three_d else \
            (length, source)
        hidden = rng.random(shape) < 0.3
        hidden[..., 0] = False  # every query sees key 0
        masks["attn_mask"] = hidden if mask_kind == "bool" else np.where(
            hidden, -np.inf, rng.standard_normal(shape))
    if padding_kind != "none":
        shape = (batch, source) if batched else (source,)
        hidden = rng.random(shape) < 0.3
        hidden[..., 0] = False
        masks["key_padding_mask"] = hidden if padding_kind == "bool" else np.where(
            hidden, -np.inf, rng.standard_normal(shape))
    return masks


@given(config=configurations(), batch=st.integers(1, 3), length=st.integers(1, 4),
       source=st.integers(1, 4), batched=st.booleans(), data=st.data(),
       need_weights=st.booleans(), average=st.booleans(), train=st.booleans(),
       seed=st.integers(0, 2**16))
def test_drawn_layers_match_torch(config, batch, length, source, batched, data, need_weights,
                                  average, train, seed):
    embed, heads, options = config
    rng = np.random.default_rng(seed)
    kdim, vdim = options.get("kdim", embed), options.get("vdim", embed)
    lead_q = ((batch, length) if options["batch_first"] else (length, batch)) if batched else \
        (length,)
    lead_s = ((batch, source) if options["batch_first"] else (source, batch)) if batched else \
        (source,)
    inputs = [rng.standard_normal(lead_q + (embed,)), rng.standard_normal(lead_s + (kdim,)),
              rng.standard_normal(lead_s + (vdim,))]
    kinds = st.sampled_from(["none", "bool", "float"])
    mask_kind, padding_kind = data.draw(kinds), data.draw(kinds)
    if mask_kind != padding_kind and "none" not in (mask_kind, padding_kind):
        padding_kind = mask_kind  # mixed kinds only warn (deprecated); tested on their own
    masks = data.draw(mask_arrays(batch, heads, length, source, batched, mask_kind,
                                  padding_kind))
    options["dropout"] = 0.0 if train else 0.5  # eval mode: no dropout at all
    run_both(embed, heads, inputs, masks, seed=seed, train=train, layer_options=options,
             need_weights=need_weights, average_attn_weights=average)


# ----------------------------------------------------------------------------- chosen cases

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("need_weights", [False, True])
def test_self_attention_shares_the_projection_and_matches_torch(batch_first, need_weights):
    x = RNG.standard_normal((3, 2, 4))
    run_both(4, 2, [x], self_attention=True, layer_options={"batch_first": batch_first},
             need_weights=need_weights)


@pytest.mark.parametrize("need_weights", [False, True])
def test_key_is_value_matches_torch(need_weights):
    q, kv = RNG.standard_normal((3, 2, 4)), RNG.standard_normal((5, 2, 4))
    torch.manual_seed(0)
    theirs = torch.nn.MultiheadAttention(4, 2).double()
    ours = tinygrad_edu.nn.MultiheadAttention(4, 2).double()
    load_from_torch(ours, theirs)
    outs = []
    for lib, layer in ((torch, theirs), (tinygrad_edu, ours)):
        query, memory = lib.tensor(q, requires_grad=True), lib.tensor(kv, requires_grad=True)
        out = layer(query, memory, memory, need_weights=need_weights)[0]
        out.sum().backward()
        outs.append([out.detach().numpy(), query.grad.numpy(), memory.grad.numpy()])
    for a, b in zip(*outs):
        compare_arrays(b, a, RTOL, ATOL, "key is value")


@pytest.mark.parametrize("need_weights", [False, True])
@pytest.mark.parametrize("with_padding", [False, True])
def test_is_causal_with_its_mask_matches_torch(need_weights, with_padding):
    inputs = [RNG.standard_normal((4, 2, 6)) for _ in range(3)]
    masks = {"attn_mask": np.triu(np.full((4, 4), -np.inf), 1)}
    if with_padding:
        masks["key_padding_mask"] = np.array([[False, False, True, True], [False] * 4])
    run_both(6, 3, inputs, masks, need_weights=need_weights, is_causal=True)


@pytest.mark.parametrize("need_weights", [False, True])
def test_dropout_in_training_uses_torchs_masks(need_weights):
    inputs = [RNG.standard_normal((3, 2, 4)) for _ in range(3)]
    run_both(4, 2, inputs, layer_options={"dropout": 0.4}, dropout_seed=3,
             need_weights=need_weights)


def test_torchs_initialisation_rules():
    layer = tinygrad_edu.nn.MultiheadAttention(6, 2, add_bias_kv=True, kdim=3, vdim=5)
    names = [name for name, _ in layer.named_parameters()]
    assert names == [n for n, _ in torch.nn.MultiheadAttention(
        6, 2, add_bias_kv=True, kdim=3, vdim=5).named_parameters()]
    assert (layer.in_proj_bias.detach().numpy() == 0).all()
    assert (layer.out_proj.bias.detach().numpy() == 0).all()
    bound = np.sqrt(6 / (6 + 3))  # xavier_uniform_ on k_proj_weight (6, 3)
    assert np.abs(layer.k_proj_weight.detach().numpy()).max() <= bound
    assert type(layer.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
    assert repr(layer) == repr(torch.nn.MultiheadAttention(6, 2, add_bias_kv=True, kdim=3,
                                                           vdim=5))


def test_module_paths_are_torchs():
    assert MultiheadAttention is tinygrad_edu.nn.MultiheadAttention
    assert issubclass(NonDynamicallyQuantizableLinear, tinygrad_edu.nn.Linear)


def test_mixed_mask_kinds_warn_as_torch():
    inputs = [RNG.standard_normal((3, 2, 4)) for _ in range(3)]
    masks = {"attn_mask": np.zeros((3, 3)), "key_padding_mask": np.zeros((2, 3), dtype=bool)}
    for lib in (torch, tinygrad_edu):
        layer = lib.nn.MultiheadAttention(4, 2).double()
        with pytest.warns(UserWarning, match="Support for mismatched key_padding_mask and "
                                             "attn_mask is deprecated"):
            layer(*[lib.tensor(a) for a in inputs], **_masks(lib, masks))
    run_both(4, 2, inputs, masks)


# ----------------------------------------------------------------------------- errors

def _mha(lib, *args, **options):
    return lib.nn.MultiheadAttention(*args, **options).double()


def _call(*shapes, layer=(4, 2), masks=None, **call):
    """A call of a (4, 2) layer on ones of the given shapes, with masks built by each lib."""
    def run(lib):
        tensors = [lib.ones(shape, dtype=lib.float64) for shape in shapes]
        built = {name: make(lib) for name, make in (masks or {}).items()}
        return _mha(lib, *layer)(*tensors, **built, **call)
    return run


ERRORS = [
    (lambda lib: _mha(lib, 0, 2), "embed_dim and num_heads must be greater than 0"),
    (lambda lib: _mha(lib, 5, 2), "embed_dim must be divisible by num_heads"),
    (_call((1, 3, 2, 4), (1, 3, 2, 4), (1, 3, 2, 4)),
     "query should be unbatched 2D or batched 3D tensor but received 4-D query tensor"),
    (_call((3, 2, 4), (3, 4), (3, 4)),
     "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D"),
    (_call((3, 4), (3, 2, 4), (3, 4)),
     "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D"),
    (_call((3, 2, 4), (3, 2, 4), (3, 2, 4), masks={"key_padding_mask": lambda lib: lib.zeros(
        3, dtype=lib.bool)}), "expected `key_padding_mask` to be `None` or 2-D but found 1-D"),
    (_call((3, 2, 4), (3, 2, 4), (3, 2, 4), masks={"attn_mask": lambda lib: lib.zeros(
        1, 1, 3, 3)}), "expected `attn_mask` to be `None`, 2-D or 3-D but found 4-D"),
    (_call((3, 4), (5, 4), (5, 4), masks={"attn_mask": lambda lib: lib.zeros(1, 3, 5)}),
     "Expected `attn_mask` shape to be (2, 3, 5) but got"),
    (_call((3, 2, 4), (5, 2, 4), (5, 2, 4), masks={"attn_mask": lambda lib: lib.zeros(3, 4)}),
     "The shape of the 2D attn_mask is"),
    (_call((3, 2, 4), (5, 2, 4), (5, 2, 4), masks={"attn_mask": lambda lib: lib.zeros(2, 3, 5)}),
     "The shape of the 3D attn_mask is"),
    (_call((3, 2, 4), (5, 2, 4), (5, 2, 4), masks={"attn_mask": lambda lib: lib.zeros(
        3, 5, dtype=lib.int64)}), "only bool and floating types of attn_mask are supported"),
    (_call((3, 2, 4), (5, 2, 4), (5, 2, 4), masks={"key_padding_mask": lambda lib: lib.zeros(
        2, 5, dtype=lib.int64)}), "only bool and floating types of key_padding_mask"),
    (_call((3, 2, 4), (5, 2, 4), (5, 2, 4), is_causal=True),
     "Need attn_mask if specifying the is_causal hint"),
    (_call((3, 2, 6), (5, 2, 6), (5, 2, 6)), "was expecting embedding dimension of 4, but got 6"),
    (_call((3, 2, 4), (5, 2, 4), (4, 2, 4)), "does not match value shape"),
    (_call((3, 2, 4), (5, 2, 4), (5, 2, 4), masks={"key_padding_mask": lambda lib: lib.zeros(
        2, 4, dtype=lib.bool)}), "Expected key_padded_mask.shape[1] to be 5, but got 4"),
    (_call((3, 2, 4), (5, 2, 4), (5, 2, 4), masks={"key_padding_mask": lambda lib: lib.zeros(
        3, 5, dtype=lib.bool)}), "Expected key_padded_mask.shape[0] to be 2, but got 3"),
    (_call((3, 2, 4), (5, 2, 3), (4, 2, 4), layer=(4, 2, 0.0, True, False, False, 3, 4)),
     "key's sequence and batch dims"),
]


@pytest.mark.parametrize("call, phrase", ERRORS)
def test_errors_match_torch(raises_as_torch, call, phrase):
    raises_as_torch(call, phrase)
