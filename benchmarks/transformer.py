"""A Transformer encoder's training step: nn.TransformerEncoder of 2 nn.TransformerEncoderLayer
(d_model 128, 4 heads, torch's defaults otherwise: feed-forward 2048, dropout 0.1, ReLU, post-norm)
over a batch of 32 sequences of 35 tokens (the word-language-model example's sizes), with and
without the causal mask that example uses.

A step is zero_grad, forward, mean-square loss, backward and an SGD step, as in training.py. Both
libraries run the same products (attention as batched matmuls, the feed-forward as two linear
layers); the ratio says what our Python between them costs: the per-op overhead of ~30 ops per
layer, the softmax, layer norms and dropout masks in NumPy.
"""
from __future__ import annotations

import numpy as np

from .common import interleave, ratio, timed_calls

D_MODEL, HEADS, LAYERS, BATCH, STEPS = 128, 4, 2, 32, 35


def _step(lib, causal: bool, size: tuple):
    steps, batch = size
    lib.manual_seed(0)
    layer = lib.nn.TransformerEncoderLayer(d_model=D_MODEL, nhead=HEADS)
    encoder = lib.nn.TransformerEncoder(layer, num_layers=LAYERS, enable_nested_tensor=False)
    optimizer = lib.optim.SGD(encoder.parameters(), lr=0.01)
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal((steps, batch, D_MODEL), dtype=np.float32))
    target = lib.tensor(rng.standard_normal((steps, batch, D_MODEL), dtype=np.float32))
    mask = lib.nn.Transformer.generate_square_subsequent_mask(steps) if causal else None

    def step():
        optimizer.zero_grad()
        loss = lib.nn.functional.mse_loss(encoder(x, mask=mask, is_causal=causal), target)
        loss.backward()
        optimizer.step()
    return step


def run(config) -> dict:
    size = (5, 4) if config.quick else (STEPS, BATCH)
    result = {"size": {"d_model": D_MODEL, "nhead": HEADS, "layers": LAYERS, "steps": size[0],
                       "batch": size[1]}, "cases": []}
    for causal in (False, True):
        contestants = {name: timed_calls(_step(config.libs[name], causal, size))
                       for name in ("ours", "torch")}
        times = interleave(contestants, config.rounds, config.budget)
        row = {"causal": causal, "times": times,
               "ratios": {"ours/torch": ratio(times, "ours", "torch")}}
        result["cases"].append(row)
        config.progress(f"transformer{' causal' if causal else ''}: ours/torch "
                        f"{row['ratios']['ours/torch']:.2f}")
    return result
