"""Scale: deep graphs without recursion, saved arrays released, memory flat over many steps."""
from __future__ import annotations

import gc
import tracemalloc
import weakref

import tinygrad_edu as tg


def test_a_100000_op_chain_backpropagates():
    x = tg.tensor(1.0, dtype=tg.float64, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0001
    y.backward()
    assert abs(x.grad.item() - 1.0001 ** 100_000) < 1e-6 * 1.0001 ** 100_000


def test_backward_releases_saved_arrays():
    x = tg.randn(100, 100, requires_grad=True)
    hidden = x.exp()          # ExpBackward0 saves its output
    saved = weakref.ref(hidden._data)
    loss = (hidden * x).sum()  # MulBackward0 saves both operands
    del hidden
    gc.collect()
    assert saved() is not None, "the graph must keep what backward needs"
    loss.backward()
    gc.collect()
    assert saved() is None, "after backward without retain_graph the saved array is freed"


def test_retain_graph_keeps_saved_arrays():
    x = tg.randn(10, requires_grad=True)
    hidden = x.exp()
    saved = weakref.ref(hidden._data)
    loss = (hidden * 2).sum()
    del hidden
    loss.backward(retain_graph=True)
    gc.collect()
    assert saved() is not None
    loss.backward()
    gc.collect()
    assert saved() is None


def test_memory_does_not_grow_over_1000_training_iterations():
    tg.manual_seed(0)
    x = tg.randn(64, 20)
    y = tg.randn(64, 1)
    w1 = tg.randn(20, 32, requires_grad=True)
    w2 = tg.randn(32, 1, requires_grad=True)

    def step():
        loss = ((x.mm(w1).relu().mm(w2) - y) ** 2).mean()
        loss.backward()
        with tg.no_grad():
            for w in (w1, w2):
                w -= 1e-3 * w.grad
                w.grad = None
        return loss.item()

    for _ in range(50):  # warm up allocator caches
        step()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(1000):
        step()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert after - before < 256 * 1024, f"grew by {after - before} bytes over 1000 steps"
