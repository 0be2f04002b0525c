"""Recurrent layers: a training step (forward, backward) of a 2-layer LSTM(256) and GRU(256) over
a batch of 32 sequences of 35 steps (the word-language-model example's sizes), and of the LSTM
over the same batch packed with lengths 35 down to 4.

The input projection of all steps is one matrix product in both libraries; the time loop is
torch's C++ against our fused NumPy loop (nn/functional/recurrent.py), so the ratio says what
the Python loop over 35 steps costs next to the products.
"""
from __future__ import annotations

import numpy as np

from .common import interleave, ratio, timed_calls

LAYERS, HIDDEN, BATCH, STEPS = 2, 256, 32, 35


def _step(lib, kind: str, packed: bool, size: tuple):
    steps, batch, hidden = size
    lib.manual_seed(0)
    layer = getattr(lib.nn, kind)(hidden, hidden, LAYERS)
    x = lib.tensor(np.random.default_rng(0).standard_normal((steps, batch, hidden),
                                                           dtype=np.float32))
    lengths = np.linspace(steps, 4, batch).astype(int).tolist()

    def step():
        layer.zero_grad()
        data = lib.nn.utils.rnn.pack_padded_sequence(x, lengths) if packed else x
        output, _ = layer(data)
        (output.data if packed else output).sum().backward()
    return step


def run(config) -> dict:
    size = (5, 4, 32) if config.quick else (STEPS, BATCH, HIDDEN)
    result = {"size": {"layers": LAYERS, "steps": size[0], "batch": size[1], "hidden": size[2]},
              "cases": []}
    for kind, packed in (("LSTM", False), ("GRU", False), ("LSTM", True)):
        contestants = {name: timed_calls(_step(config.libs[name], kind, packed, size))
                       for name in ("ours", "torch")}
        times = interleave(contestants, config.rounds, config.budget)
        row = {"layer": kind, "packed": packed, "times": times,
               "ratios": {"ours/torch": ratio(times, "ours", "torch")}}
        result["cases"].append(row)
        config.progress(f"recurrent {kind}{' packed' if packed else ''}: ours/torch "
                        f"{row['ratios']['ours/torch']:.2f}")
    return result
