"""Grad mode is per thread, as in torch: threads that train, evaluate under no_grad or switch
grad mode do not disturb each other, and every new thread starts with grad mode on."""
from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

import tinygrad_edu

STEPS = 200


def _train(seed: int, steps: int = STEPS, start=None, evaluate_every: int = 10) -> list:
    """A small MLP trained with SGD-momentum on fixed data; its final parameters and gradients.
    Every few steps it also evaluates under no_grad, as a training loop does."""
    rng = np.random.default_rng(seed)
    nn = tinygrad_edu.nn
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 3))
    with tinygrad_edu.no_grad():
        for parameter in model.parameters():
            parameter.copy_(tinygrad_edu.tensor(rng.standard_normal(parameter.shape) * 0.3,
                                                dtype=tinygrad_edu.float32))
    x = tinygrad_edu.tensor(rng.standard_normal((32, 8)), dtype=tinygrad_edu.float32)
    y = tinygrad_edu.tensor(rng.integers(0, 3, 32))
    optimizer = tinygrad_edu.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    if start is not None:
        start.wait()  # all threads begin together, so that their steps interleave
    for step in range(steps):
        optimizer.zero_grad()
        loss = tinygrad_edu.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        if step % evaluate_every == 0:
            with tinygrad_edu.no_grad():
                assert not model(x).requires_grad
    return [p.detach().numpy().copy() for p in model.parameters()] + \
           [p.grad.numpy().copy() for p in model.parameters()]


def _in_threads(targets) -> list:
    results, errors = [None] * len(targets), []

    def run(index, target):
        try:
            results[index] = target()
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@pytest.mark.parametrize("count", [2, 4])
def test_threads_training_their_own_models_get_the_gradients_of_sequential_runs(count):
    sequential = [_train(seed) for seed in range(count)]
    start = threading.Barrier(count)
    concurrent = _in_threads([lambda seed=seed: _train(seed, start=start)
                              for seed in range(count)])
    for alone, together in zip(sequential, concurrent):
        assert all(np.array_equal(a, b) for a, b in zip(alone, together))
    assert tinygrad_edu.is_grad_enabled()


def test_a_no_grad_evaluation_thread_beside_a_training_thread():
    expected = _train(7)
    model = tinygrad_edu.nn.Linear(8, 3)
    x = tinygrad_edu.randn(4, 8)
    start, done = threading.Barrier(2), threading.Event()

    def train():
        try:
            return _train(7, start=start, evaluate_every=STEPS)
        finally:
            done.set()

    def evaluate():  # inside no_grad for as long as the training runs
        seen = []
        with tinygrad_edu.no_grad():
            start.wait()
            while not done.is_set():
                seen.append(model(x).requires_grad or tinygrad_edu.is_grad_enabled())
        return seen

    trained, evaluated = _in_threads([train, evaluate])
    assert all(np.array_equal(a, b) for a, b in zip(expected, trained))
    assert evaluated and not any(evaluated)
    assert tinygrad_edu.is_grad_enabled()


@pytest.mark.parametrize("switch", ["no_grad", "set_grad_enabled", "inference_mode"])
def test_a_thread_started_inside_no_grad_has_grad_enabled_as_in_torch(switch):
    def inside(lib):
        if switch == "set_grad_enabled":
            return getattr(lib, switch)(False)
        return getattr(lib, switch)()

    seen = {}
    for lib in (torch, tinygrad_edu):
        with inside(lib):
            thread = threading.Thread(target=lambda lib=lib: seen.update({
                lib.__name__: (lib.is_grad_enabled(),
                               (lib.ones(2, requires_grad=True) * 2).requires_grad)}))
            thread.start()
            thread.join()
            assert not lib.is_grad_enabled()
        assert lib.is_grad_enabled()
    assert seen["tinygrad_edu"] == seen["torch"] == (True, True)


def test_overlapping_no_grad_blocks_in_two_threads_leave_grad_mode_on():
    barrier = threading.Barrier(2)

    def toggle(rounds=50):
        states = []
        for _ in range(rounds):
            barrier.wait()
            with tinygrad_edu.no_grad():
                barrier.wait()  # both threads are inside their block before either leaves it
                states.append(tinygrad_edu.is_grad_enabled())
            barrier.wait()
            states.append(not tinygrad_edu.is_grad_enabled())
        return states

    for states in _in_threads([toggle, toggle]):
        assert not any(states)
    assert tinygrad_edu.is_grad_enabled()


def test_anomaly_mode_is_process_wide_as_in_torch():
    """torch keeps anomaly detection in one process-wide flag (only grad mode is per thread)."""
    seen = {}
    for lib in (torch, tinygrad_edu):
        with pytest.warns(UserWarning), lib.autograd.detect_anomaly():
            thread = threading.Thread(target=lambda lib=lib: seen.update(
                {lib.__name__: lib.is_anomaly_enabled()}))
            thread.start()
            thread.join()
    assert seen["tinygrad_edu"] == seen["torch"] is True
