"""LBFGS against torch's: iterates, losses, evaluation counts and state, step after step.

Two kinds of problem:
  * the optimizer alone: the loss and gradient are computed in NumPy float64 from each library's
    own parameters and handed to it, so both optimizers see the same numbers at the same point.
    On the 2-d Rosenbrock function every dot product is one addition, summed alike by torch's BLAS
    and ours, and the runs agree to the bit (this needs the fused add_, see _fma.py). With more
    parameters (a 6-parameter least-squares fit) torch's BLAS adds the dot products up in
    another order than NumPy's, and agreement is to 1e-12 relative.
  * end to end: a small tanh MLP whose loss and gradients each library computes with its own
    autograd, as a user's closure does. The gradients then differ in the last bits (reductions
    in other orders) and a non-convex loss amplifies that over the iterations: 1e-10 relative
    (parity's float64 tolerance) over 30 iterations, with the same evaluation counts.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from parity.check import TOLERANCES, compare_arrays

ROSENBROCK_START = np.array([-1.5, 2.0])


def rosenbrock(x: np.ndarray) -> tuple[float, list[np.ndarray]]:
    """f(a, b) = (1 - a)² + 100 (b - a²)², minimum 0 at (1, 1), a long curved valley."""
    a, b = x[0]
    valley = b - a * a
    f = (1 - a) ** 2 + 100 * valley**2
    return f, [np.array([-2 * (1 - a) - 400 * a * valley, 200 * valley])]


_rng = np.random.default_rng(3)
FEATURES = _rng.standard_normal((20, 5))
TARGETS = FEATURES @ _rng.standard_normal((5, 1)) + 0.3 + 0.1 * _rng.standard_normal((20, 1))
LEAST_SQUARES_START = [_rng.standard_normal((1, 5)) * 0.1, np.zeros(1)]


def least_squares(values: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
    """Mean squared error of a linear model y = x wᵀ + b, and its gradient in closed form."""
    w, b = values
    residual = FEATURES @ w.T + b - TARGETS
    n = len(FEATURES)
    return float((residual**2).mean()), [2 * (residual.T @ FEATURES) / n, 2 * residual.sum(0) / n]


def run(lib, problem, start: list[np.ndarray], steps: int, dtype=np.float64, device="cpu",
        **options):
    """`steps` calls of step(closure); after each: the returned loss, the parameters, the
    evaluation and iteration counts. The closure hands the library NumPy's loss and gradient."""
    params = [lib.tensor(a.astype(dtype), device=device, requires_grad=True) for a in start]
    optimizer = lib.optim.LBFGS(params, **options)

    def host(p):
        return p.detach().cpu().numpy().copy()

    def closure():
        optimizer.zero_grad()
        loss, grads = problem([host(p).astype(np.float64) for p in params])
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g.astype(dtype), device=device)
        return lib.tensor(np.asarray(loss, dtype=dtype), device=device)

    history = []
    for _ in range(steps):
        loss = optimizer.step(closure).item()
        state = optimizer.state[params[0]]
        history.append((loss, [host(p) for p in params], state["func_evals"], state["n_iter"]))
    return history, optimizer, params


def assert_same_runs(ours, theirs, rtol: float = 0.0) -> None:
    """Step by step: the same counts, losses and parameters (bit for bit when rtol is 0)."""
    for step, (o, t) in enumerate(zip(ours, theirs)):
        assert o[2:] == t[2:], f"step {step}: (func_evals, n_iter) {o[2:]} != torch's {t[2:]}"
        if rtol == 0:
            assert o[0] == t[0], f"step {step}: loss {o[0]!r} != torch's {t[0]!r}"
            for i, (a, b) in enumerate(zip(o[1], t[1])):
                np.testing.assert_array_equal(a, b, err_msg=f"step {step}, parameter {i}")
        else:
            np.testing.assert_allclose(o[0], t[0], rtol=rtol, err_msg=f"step {step} loss")
            for i, (a, b) in enumerate(zip(o[1], t[1])):
                compare_arrays(a, b, rtol, rtol * np.abs(b).max(), f"step {step}, parameter {i}")
    assert len(ours) == len(theirs)


OPTIONS = [
    {},
    {"line_search_fn": "strong_wolfe"},
    {"history_size": 2},
    {"history_size": 2, "line_search_fn": "strong_wolfe", "max_iter": 7},
    {"lr": 0.1, "history_size": 3},
    {"lr": 0.5, "max_iter": 3, "max_eval": 4, "line_search_fn": "strong_wolfe"},
    {"max_iter": 5, "max_eval": 2},
]


# ----------------------------------------------------------------------------- trajectories

@pytest.mark.parametrize("options", OPTIONS)
def test_rosenbrock_matches_torch_to_the_bit(options):
    """50 calls of step(): every loss, iterate and evaluation count equal to torch's."""
    ours, _, _ = run(tinygrad_edu, rosenbrock, [ROSENBROCK_START], 50, **options)
    theirs, _, _ = run(torch, rosenbrock, [ROSENBROCK_START], 50, **options)
    assert_same_runs(ours, theirs)
    if "max_eval" not in options and options.get("lr", 1) == 1:
        assert abs(theirs[-1][1][0] - 1).max() < 1e-3  # the run did reach the minimum


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_rosenbrock_in_float32_matches_torch_to_the_bit(line_search_fn):
    """float32 parameters: the scalars (slopes, steps) follow torch's float32 promotions."""
    start = [ROSENBROCK_START]
    ours, _, _ = run(tinygrad_edu, rosenbrock, start, 20, np.float32,
                     line_search_fn=line_search_fn)
    theirs, _, _ = run(torch, rosenbrock, start, 20, np.float32, line_search_fn=line_search_fn)
    assert_same_runs(ours, theirs)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_rosenbrock_on_the_device_matches_torch_to_the_bit(line_search_fn, device):
    """Parameters, gradients and the whole state on the device: the fma and the scalars work
    on CuPy arrays as on NumPy's, to the same bits."""
    start = [ROSENBROCK_START]
    ours, optimizer, params = run(tinygrad_edu, rosenbrock, start, 20, device=device,
                                  line_search_fn=line_search_fn)
    theirs, _, _ = run(torch, rosenbrock, start, 20, line_search_fn=line_search_fn)
    assert_same_runs(ours, theirs)
    assert optimizer.state[params[0]]["d"].device.type == device


def test_on_the_fake_gpu_the_state_stays_on_the_device(fake_cuda):
    """Through the fake CuPy (which offers only what CuPy has): the fma, the flat gradient and
    the line search run on "GPU" arrays, keep their state there and give torch's numbers."""
    start = [ROSENBROCK_START]
    ours, optimizer, params = run(tinygrad_edu, rosenbrock, start, 5, device="cuda",
                                  line_search_fn="strong_wolfe")
    theirs, _, _ = run(torch, rosenbrock, start, 5, line_search_fn="strong_wolfe")
    assert_same_runs(ours, theirs)
    state = optimizer.state[params[0]]
    assert {state[key].device.type for key in ("d", "prev_flat_grad", "H_diag")} == {"cuda"}
    assert {t.device.type for t in state["old_dirs"] + state["ro"]} == {"cuda"}


@pytest.mark.parametrize("options", OPTIONS)
def test_least_squares_matches_torch(options):
    """Six parameters in two tensors: dot products of length 6, summed in another order by
    torch's BLAS than by NumPy's, so 1e-12 relative rather than bit for bit."""
    ours, _, _ = run(tinygrad_edu, least_squares, LEAST_SQUARES_START, 50, **options)
    theirs, _, _ = run(torch, least_squares, LEAST_SQUARES_START, 50, **options)
    assert_same_runs(ours, theirs, rtol=1e-12)


def train_mlp(lib, steps: int, **options):
    """A 3-5-1 tanh MLP with an L2 penalty, loss and gradients from the library's autograd."""
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal((3, 5)) * 0.5, np.zeros(5), rng.standard_normal((5, 1)) * 0.5,
              np.zeros(1)]
    x = rng.standard_normal((64, 3))
    y = np.sin(x @ np.array([[1.0], [-0.5], [0.3]]))
    params = [lib.tensor(a, requires_grad=True) for a in arrays]
    w1, b1, w2, b2 = params
    inputs, targets = lib.tensor(x), lib.tensor(y)
    optimizer = lib.optim.LBFGS(params, **options)

    def closure():
        optimizer.zero_grad()
        prediction = lib.tanh(inputs @ w1 + b1) @ w2 + b2
        loss = ((prediction - targets) ** 2).mean() + 1e-2 * ((w1**2).sum() + (w2**2).sum())
        loss.backward()
        return loss

    history = []
    for _ in range(steps):
        loss = optimizer.step(closure).item()
        state = optimizer.state[w1]
        history.append((loss, [p.detach().numpy().copy() for p in params],
                        state["func_evals"], state["n_iter"]))
    return history


@pytest.mark.parametrize("options", [
    {"max_iter": 3}, {"max_iter": 3, "line_search_fn": "strong_wolfe"},
    {"max_iter": 3, "history_size": 3}, {"max_iter": 1, "lr": 0.5},
])
def test_mlp_trained_end_to_end_matches_torch(options):
    """10 calls of step(closure), each library with its own forward and backward."""
    ours, theirs = train_mlp(tinygrad_edu, 10, **options), train_mlp(torch, 10, **options)
    assert_same_runs(ours, theirs, rtol=TOLERANCES["float64"][0])
    assert theirs[-1][0] < theirs[0][0]


# ----------------------------------------------------------------------------- stopping rules

@pytest.mark.parametrize("options", [
    {"max_iter": 4}, {"max_iter": 10, "max_eval": 3}, {"max_iter": 1},
    {"max_iter": 6, "max_eval": 9, "line_search_fn": "strong_wolfe"},
    {"tolerance_change": 1e-2}, {"tolerance_change": 1e-2, "line_search_fn": "strong_wolfe"},
])
def test_iteration_and_evaluation_limits_stop_where_torchs_do(options):
    """One step() call: the same number of iterations and closure evaluations as torch."""
    ours, _, _ = run(tinygrad_edu, rosenbrock, [ROSENBROCK_START], 1, **options)
    theirs, _, _ = run(torch, rosenbrock, [ROSENBROCK_START], 1, **options)
    assert_same_runs(ours, theirs)
    max_iter = options.get("max_iter", 20)
    assert theirs[0][3] <= max_iter


def test_gradient_below_tolerance_returns_at_once():
    """max|g| ≤ tolerance_grad at the start: one evaluation, no iteration, no direction."""
    states = []
    for lib in (tinygrad_edu, torch):
        _, optimizer, params = run(lib, rosenbrock, [ROSENBROCK_START], 2,
                                   tolerance_grad=1e4)
        states.append(optimizer.state[params[0]])
    ours, theirs = states
    assert dict(ours) == dict(theirs) == {"func_evals": 2, "n_iter": 0}


def test_the_minimum_is_a_fixed_point():
    """At (1, 1) the gradient is 0: the parameters stay, as torch's do."""
    ours, _, _ = run(tinygrad_edu, rosenbrock, [np.array([1.0, 1.0])], 3)
    theirs, _, _ = run(torch, rosenbrock, [np.array([1.0, 1.0])], 3)
    assert_same_runs(ours, theirs)


# ----------------------------------------------------------------------------- state

def describe(value):
    """The structure of a state value: kind, and for tensors shape and dtype."""
    if isinstance(value, list):
        return [describe(v) for v in value]
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return ("tensor", tuple(value.shape), str(value.dtype).replace("torch.", ""))
    return (type(value).__name__,)


def plain(value):
    """A state value as NumPy/Python data, to compare the two libraries' values."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    return np.asarray(value) if hasattr(value, "shape") else value


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_state_dict_has_torchs_keys_types_and_values(line_search_fn):
    dicts = []
    for lib in (tinygrad_edu, torch):
        _, optimizer, _ = run(lib, rosenbrock, [ROSENBROCK_START], 2, history_size=4,
                              line_search_fn=line_search_fn)
        dicts.append(optimizer.state_dict())
    ours, theirs = dicts
    assert ours["param_groups"] == theirs["param_groups"]
    assert list(ours["state"]) == list(theirs["state"]) == [0]
    our_state, their_state = ours["state"][0], theirs["state"][0]
    assert list(our_state) == list(their_state)
    for key in ["func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag",
                "prev_flat_grad", "prev_loss", "al"]:
        assert describe(our_state[key]) == describe(their_state[key]), key
        np.testing.assert_equal(plain(our_state[key]), plain(their_state[key]), err_msg=key)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_resume_from_a_saved_state_dict_continues_identically(line_search_fn, tmp_path):
    """3 steps, save parameters and optimizer with save(), load them into fresh objects, 3 more
    steps: the same iterates as an uninterrupted run (and as torch's)."""
    options = {"history_size": 3, "max_iter": 5, "line_search_fn": line_search_fn}
    start = [ROSENBROCK_START]
    whole, _, _ = run(tinygrad_edu, rosenbrock, start, 6, **options)
    theirs, _, _ = run(torch, rosenbrock, start, 6, **options)
    assert_same_runs(whole, theirs)

    first, optimizer, params = run(tinygrad_edu, rosenbrock, start, 3, **options)
    path = tmp_path / "lbfgs.pt"
    tinygrad_edu.save({"params": [p.detach() for p in params],
                       "optimizer": optimizer.state_dict()}, path)
    checkpoint = tinygrad_edu.load(path)
    fresh = [tinygrad_edu.tensor(p.numpy(), requires_grad=True) for p in checkpoint["params"]]
    resumed_optimizer = tinygrad_edu.optim.LBFGS(fresh, lr=123.0)
    resumed_optimizer.load_state_dict(checkpoint["optimizer"])
    assert resumed_optimizer.param_groups[0]["lr"] == 1

    def closure():
        resumed_optimizer.zero_grad()
        loss, grads = rosenbrock([fresh[0].detach().numpy()])
        fresh[0].grad = tinygrad_edu.tensor(grads[0])
        return tinygrad_edu.tensor(loss)

    for step in range(3, 6):
        loss = resumed_optimizer.step(closure).item()
        state = resumed_optimizer.state[fresh[0]]
        assert (loss, state["func_evals"], state["n_iter"]) == (
            whole[step][0], whole[step][2], whole[step][3])
        np.testing.assert_array_equal(fresh[0].detach().numpy(), whole[step][1][0])
    assert_same_runs(first, whole[:3])


# ----------------------------------------------------------------------------- protocol

def test_step_returns_the_first_closure_result_and_runs_it_with_grad():
    """The loss returned is the object the first call of the closure returned; the closure
    runs with grad enabled even when step() is called under no_grad."""
    for lib in (tinygrad_edu, torch):
        p = lib.tensor([1.0, -2.0], dtype=lib.float64, requires_grad=True)
        optimizer = lib.optim.LBFGS([p], max_iter=3)
        results, modes = [], []

        def closure():
            optimizer.zero_grad()
            modes.append(lib.is_grad_enabled())
            loss = (p**2).sum()
            loss.backward()
            results.append(loss)
            return loss

        with lib.no_grad():
            returned = optimizer.step(closure)
        assert returned is results[0]
        assert all(modes) and len(modes) == 3


def test_parameter_without_gradient_counts_as_zero():
    """A parameter the loss does not use: its slice of the flat gradient is zero, so it does
    not move, as in torch."""
    finals = []
    for lib in (tinygrad_edu, torch):
        used = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
        unused = lib.tensor([3.0], dtype=lib.float64, requires_grad=True)
        optimizer = lib.optim.LBFGS([unused, used], line_search_fn="strong_wolfe")

        def closure():
            optimizer.zero_grad()
            loss = ((used - 2) ** 2).sum()
            loss.backward()
            return loss

        optimizer.step(closure)
        finals.append((used.detach().numpy().copy(), unused.detach().numpy().copy()))
    (our_used, our_unused), (their_used, their_unused) = finals
    np.testing.assert_array_equal(our_unused, their_unused)
    np.testing.assert_array_equal(our_unused, [3.0])
    np.testing.assert_allclose(our_used, their_used, rtol=1e-15)


def test_repr_and_the_default_max_eval_match_torch():
    for max_iter in (1, 7, 20):
        reprs = [repr(lib.optim.LBFGS([lib.zeros(2, requires_grad=True)], max_iter=max_iter,
                                      history_size=5)) for lib in (tinygrad_edu, torch)]
        assert reprs[0] == reprs[1] and f"max_eval: {max_iter * 5 // 4}\n" in reprs[0]


# ----------------------------------------------------------------------------- errors

def with_param(make):
    """`make(lib, param)` as a call of `lib` alone, for the raises_as_torch check."""
    return lambda lib: make(lib, lib.zeros(3, requires_grad=True))


def test_more_than_one_param_group_is_refused(raises_as_torch):
    raises_as_torch(with_param(lambda lib, p: lib.optim.LBFGS(
        [{"params": [p]}, {"params": [lib.zeros(1, requires_grad=True)], "lr": 0.1}])),
        "LBFGS doesn't support per-parameter options (parameter groups)")


def test_a_group_added_later_is_refused_at_step(raises_as_torch):
    def make(lib, p):
        optimizer = lib.optim.LBFGS([p])
        optimizer.add_param_group({"params": [lib.zeros(1, requires_grad=True)]})
        optimizer.step(lambda: (p**2).sum())
    raises_as_torch(with_param(make), "Expected exactly one param_group, but got 2")


def test_step_without_a_closure_is_refused(raises_as_torch):
    raises_as_torch(with_param(lambda lib, p: lib.optim.LBFGS([p]).step()),
                    "LBFGS.step() missing 1 required positional argument: 'closure'")


@pytest.mark.parametrize("lr", [-1, -0.5])
def test_negative_learning_rate(lr, raises_as_torch):
    raises_as_torch(with_param(lambda lib, p: lib.optim.LBFGS([p], lr=lr)),
                    f"Invalid learning rate: {lr}")


def test_unknown_line_search_is_refused_at_step(raises_as_torch):
    def make(lib, p):
        optimizer = lib.optim.LBFGS([p], line_search_fn="backtracking")

        def closure():
            optimizer.zero_grad()
            loss = ((p - 1) ** 2).sum()
            loss.backward()
            return loss
        optimizer.step(closure)
    raises_as_torch(with_param(make), "only 'strong_wolfe' is supported")
