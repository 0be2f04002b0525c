"""Attention's ops in the registries: tril and triu (torch namespace, into REGISTRY) and
scaled_dot_product_attention (nn.functional, NN_OPS, which ops_nn.py merges into NN_REGISTRY).

Masks never take a gradient here: they travel as NumPy options and become tensors inside `fn`.
The dropout example replays torch's masks (bridge.masks_from_torch), as ops_nn's dropout does.
"""
from __future__ import annotations

import torch
from hypothesis import strategies as st

from . import strategies as ps
from .bridge import masks_from_torch
from .registry import OpSpec, add_forms, shaped

NN_OPS: dict[str, OpSpec] = {}


def _nn_op(name: str, fn, example, **flags) -> None:
    NN_OPS[f"F.{name}"] = OpSpec(f"F.{name}", fn, example, category="nn", **flags)


def _options(**choices):
    return st.fixed_dictionaries({k: st.sampled_from(v) for k, v in choices.items()})


# ----------------------------------------------------------------------------- tril, triu

TRIANGULAR = ("tril", "triu")


@st.composite
def _triangular(draw, dtype):
    shape = draw(ps.shapes(min_dims=2, max_dims=4, min_side=0))
    return [draw(ps.arrays(dtype, shape))], {"diagonal": draw(st.integers(-4, 4))}


for _name in TRIANGULAR:
    shaped(_name, lambda t, x, diagonal, _name=_name: getattr(t, _name)(x, diagonal),
           _triangular)
    add_forms(_name, lambda t, x, diagonal, _name=_name: getattr(x, _name)(diagonal=diagonal))


# ----------------------------------------------------------------------------- attention


@st.composite
def _attention(draw, dtype):
    """(query, key, value) with broadcasting batch dims, and the options: a bool or float mask
    (or is_causal), a scale, grouped-query heads."""
    heads_kv = draw(st.integers(1, 2))
    group = draw(st.integers(1, 2))
    batch = draw(st.sampled_from([(), (2,), (1, 2), (2, 1)]))
    length, source = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    embed, embed_v = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    options = {}
    if draw(st.booleans()):
        options["enable_gqa"] = True
        q_lead, kv_lead = batch + (heads_kv * group,), batch + (heads_kv,)
    else:
        q_lead = kv_lead = batch + (heads_kv,)
    arrays = [draw(ps.arrays(dtype, q_lead + (length, embed))),
              draw(ps.arrays(dtype, kv_lead + (source, embed))),
              draw(ps.arrays(dtype, kv_lead + (source, embed_v)))]
    mask = draw(st.sampled_from(["none", "bool", "float", "causal"]))
    mask_shape = draw(st.sampled_from([(length, source), (1, length, source), (length, 1)]))
    if mask == "bool":
        options["mask"] = draw(ps.arrays(dtype, mask_shape)) > 0
    elif mask == "float":
        options["mask"] = draw(ps.arrays(dtype, mask_shape))
    elif mask == "causal":
        options["is_causal"] = True
    if draw(st.booleans()):
        options["scale"] = draw(st.sampled_from([0.5, -1.0, 2.0]))
    return arrays, options


def _sdpa(t, q, k, v, mask=None, **options):
    if mask is not None:
        options["attn_mask"] = t.tensor(mask, device=q.device)
        if options["attn_mask"].is_floating_point():
            options["attn_mask"] = options["attn_mask"].to(q.dtype)
    return t.nn.functional.scaled_dot_product_attention(q, k, v, **options)


def _sdpa_dropout(t, q, k, v, p):
    """Dropout on the attention weights with the masks torch draws."""
    if t is torch:
        torch.manual_seed(11)
        return torch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=p)
    with masks_from_torch(11, str(q.dtype).split(".")[-1], str(q.device)):
        return t.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=p)


# torch's CPU kernel for 4-d inputs (flash attention) has no second derivative to compare with
_ATTENTION_FLAGS = {"rtol": {"float32": 1e-4}, "atol": {"float32": 1e-5}, "double": False}
_nn_op("scaled_dot_product_attention", _sdpa, _attention, **_ATTENTION_FLAGS)
_nn_op("scaled_dot_product_attention_dropout", _sdpa_dropout,
       lambda d: _attention(d).filter(lambda e: "enable_gqa" not in e[1]).map(
           lambda e: (e[0], {"p": 0.5})), **_ATTENTION_FLAGS)


@st.composite
def _multi_head(draw, dtype):
    """query (L, N, E), key and value (S, N, E), in_proj (3E, E) and out_proj (E, E) weights
    (and biases); options: heads, need_weights, averaging, a bool attn_mask that hides no row."""
    heads = draw(st.integers(1, 2))
    embed = heads * draw(st.integers(1, 2))
    length, source, batch = (draw(st.integers(1, 3)) for _ in range(3))
    shapes = [(length, batch, embed), (source, batch, embed), (source, batch, embed),
              (3 * embed, embed), (embed, embed)]
    if draw(st.booleans()):
        shapes += [(3 * embed,), (embed,)]
    arrays = [draw(ps.arrays(dtype, shape)) for shape in shapes]
    options = draw(_options(num_heads=[heads], need_weights=[True, False],
                            average_attn_weights=[True, False]))
    if draw(st.booleans()):
        hidden = draw(ps.arrays(dtype, (length, source))) > 0
        hidden[:, 0] = False
        options["mask"] = hidden
    return arrays, options


def _mha(t, q, k, v, w_in, w_out, b_in=None, b_out=None, num_heads=1, mask=None, **options):
    if mask is not None:
        options["attn_mask"] = t.tensor(mask, device=q.device)
    output, weights = t.nn.functional.multi_head_attention_forward(
        q, k, v, q.shape[-1], num_heads, w_in, b_in, None, None, False, 0.0, w_out, b_out,
        **options)
    return output if weights is None else (output, weights)


_nn_op("multi_head_attention_forward", _mha, _multi_head, **_ATTENTION_FLAGS)
