"""Per-op overhead: what the engine adds to an op whose arithmetic costs nothing.

A chain of elementwise ops on 1-element tensors (y * w, y + w, tanh(y), y * 0.5, repeated;
w a 1-element leaf) is built, back-propagated and dropped; the times are divided by the number
of ops. Measured: the forward pass that records the graph, forward + backward (teardown
included: dropping the graph is part of the price), and the forward pass under no_grad.
Then a 100,000-op chain's backward alone (the graph built untimed, each round afresh).
"""
from __future__ import annotations

import numpy as np

from .common import clock, interleave, ratio


def chain(lib, length: int, w):
    def build(x):
        y = x
        for _ in range(length // 4):
            y = y * w
            y = y + w
            y = y.tanh()
            y = y * 0.5
        for _ in range(length % 4):
            y = y * 0.5
        return y
    return build


def _leaves(lib):
    x = lib.tensor(np.array([0.5], np.float32), requires_grad=True)
    w = lib.tensor(np.array([1.01], np.float32), requires_grad=True)
    return x, w


def forward_only(lib, length: int):
    x, w = _leaves(lib)
    build = chain(lib, length, w)

    def run(calls: int) -> float:
        start = clock()
        for _ in range(calls):
            build(x)  # the graph is dropped at once: teardown is counted
        return (clock() - start) / calls / length
    return run


def forward_backward(lib, length: int):
    x, w = _leaves(lib)
    build = chain(lib, length, w)

    def run(calls: int) -> float:
        start = clock()
        for _ in range(calls):
            build(x).sum().backward()
        return (clock() - start) / calls / length
    return run


def no_grad_forward(lib, length: int):
    x, w = _leaves(lib)
    build = chain(lib, length, w)

    def run(calls: int) -> float:
        with lib.no_grad():
            start = clock()
            for _ in range(calls):
                build(x)
            return (clock() - start) / calls / length
    return run


def long_backward(lib, length: int):
    """Seconds for the backward of one `length`-op chain (and dropping it)."""
    x, w = _leaves(lib)
    build = chain(lib, length, w)

    def run(calls: int) -> float:
        total = 0.0
        for _ in range(calls):
            y = build(x).sum()
            start = clock()
            y.backward()
            del y
            total += clock() - start
        return total / calls
    return run


def run(config) -> dict:
    ours, torch = config.libs["ours"], config.libs["torch"]
    length, long_length = (100, 2000) if config.quick else (1000, 100000)
    result = {"chain": length, "per_op": {}, "long_chain": long_length}
    for label, make in (("forward", forward_only), ("forward+backward", forward_backward),
                        ("no_grad forward", no_grad_forward)):
        # a few whole chains per round (the contestants report seconds per op, so the time
        # budget would ask for hundreds of chains: garbage piles up, not what is measured)
        times = interleave({"ours": make(ours, length), "torch": make(torch, length)},
                           config.rounds, calls=5)
        result["per_op"][label] = {"times": times,
                                   "ratios": {"ours/torch": ratio(times, "ours", "torch")}}
        config.progress(f"per-op {label}: ours {times['ours']['median'] * 1e6:.2f} us, torch "
                        f"{times['torch']['median'] * 1e6:.2f} us")
    times = interleave({"ours": long_backward(ours, long_length),
                        "torch": long_backward(torch, long_length)},
                       max(2, config.rounds // 2), calls=1)
    result["long_backward"] = {"times": times,
                               "ratios": {"ours/torch": ratio(times, "ours", "torch")}}
    config.progress(f"{long_length}-op backward: ours/torch "
                    f"{result['long_backward']['ratios']['ours/torch']:.2f}")
    return result
