"""Trajectory parity: 200 steps of each optimizer, ours against torch's, every option drawn.

The problem is a fixed random quadratic, f(x) = ½ (x - c)ᵀ A (x - c) over all parameters
flattened, with A well conditioned (eigenvalues in [0.5, 2]), so rounding differences are not
amplified by the problem itself. Its gradient is computed in float64 from *torch's* parameters
and copied into both libraries' `.grad`: both optimizers see exactly the same gradients, and
what is compared is the update rule alone. The parameters are split into two or three groups
with their own options; some parameters get no gradient at some steps (they must be skipped).

Tolerances: float64 as everywhere in parity (rtol 1e-10). In float32 each step of either
library rounds differently in the last bit (torch's kernels use fused multiply-adds, and its
vectorised float32 sqrt is not correctly rounded: it differs from IEEE's in ~17% of elements),
and a parameter accumulates those ulps of the largest values it went through (times 1/(1-μ)
with momentum μ). So float32 uses rtol 1e-5 with an absolute floor of 1e-5 times the largest
magnitude the parameter has had so far, instead of a fixed 1e-6.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu
from parity.check import TOLERANCES, compare_arrays

SHAPES = [(3, 4), (5,), ()]  # a matrix, a vector and a 0-d parameter
STEPS = 200


# ----------------------------------------------------------------------------- the problem

class Quadratic:
    """f(x) = ½ (x - c)ᵀ A (x - c), x the concatenation of all parameters."""

    def __init__(self, seed: int, maximize_groups: set[int], group_of: list[int]):
        rng = np.random.default_rng(seed)
        sizes = [int(np.prod(shape)) for shape in SHAPES]
        n = sum(sizes)
        q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        self.A = q @ np.diag(rng.uniform(0.5, 2.0, n)) @ q.T
        self.c = rng.standard_normal(n)
        self.x0 = [np.asarray(rng.standard_normal(shape)) for shape in SHAPES]
        self.offsets = np.cumsum([0] + sizes)
        # A maximizing group climbs -f, so it converges like the others instead of diverging.
        self.sign = [(-1.0 if group_of[i] in maximize_groups else 1.0) for i in range(len(SHAPES))]

    def gradients(self, params: list[np.ndarray]) -> list[np.ndarray]:
        x = np.concatenate([p.reshape(-1).astype(np.float64) for p in params])
        g = self.A @ (x - self.c)
        return [np.asarray(sign * g[lo:hi].reshape(shape)) for sign, lo, hi, shape
                in zip(self.sign, self.offsets[:-1], self.offsets[1:], SHAPES)]


def has_grad(step: int, index: int) -> bool:
    """Parameter `index` gets no gradient every 7th step (shifted per parameter)."""
    return (step + 2 * index) % 7 != 0


def run_both(name: str, groups: list[dict], defaults: dict, dtype: str, seed: int,
             device: str = "cpu") -> None:
    """200 lockstep steps; compare all parameters after every step."""
    group_of = [i % len(groups) for i in range(len(SHAPES))]
    maximize = {i for i, g in enumerate(groups) if g.get("maximize", defaults.get("maximize"))}
    problem = Quadratic(seed, maximize, group_of)
    rtol, atol = TOLERANCES[dtype]

    def build(lib, dev):
        params = [lib.tensor(x.astype(dtype), device=dev, requires_grad=True)
                  for x in problem.x0]
        param_groups = [dict(options, params=[p for p, k in zip(params, group_of) if k == i])
                        for i, options in enumerate(groups)]
        return params, getattr(lib.optim, name)(param_groups, **defaults)

    ours, our_optimizer = build(tinygrad_edu, device)
    theirs, their_optimizer = build(torch, "cpu")
    scales = [float(np.abs(x).max()) for x in problem.x0]
    for step in range(STEPS):
        grads = problem.gradients([p.detach().numpy() for p in theirs])
        for i, (o, t, g) in enumerate(zip(ours, theirs, grads)):
            g = g.astype(dtype)
            o.grad = tinygrad_edu.tensor(g, device=device) if has_grad(step, i) else None
            t.grad = torch.tensor(g) if has_grad(step, i) else None
        our_optimizer.step()
        their_optimizer.step()
        for i, (o, t) in enumerate(zip(ours, theirs)):
            expected = t.detach().numpy()
            scales[i] = max(scales[i], float(np.abs(expected).max()))
            floor = max(atol, rtol * scales[i]) if dtype == "float32" else atol
            compare_arrays(np.asarray(o.detach().cpu().numpy()), expected, rtol, floor,
                           f"{name} step {step + 1}, parameter {i}")


# ----------------------------------------------------------------------------- options

lrs = st.sampled_from([1e-3, 0.01, 0.05, 0.1])
decays = st.sampled_from([0.0, 0.0, 1e-3, 0.05])
flags = st.booleans()


@st.composite
def sgd_options(draw):
    momentum = draw(st.sampled_from([0.0, 0.5, 0.9]))
    dampening = draw(st.sampled_from([0.0, 0.0, 0.1, 0.5]))
    nesterov = momentum > 0 and dampening == 0 and draw(flags)
    return {"lr": draw(st.sampled_from([0.01, 0.1, 0.3])), "momentum": momentum,
            "dampening": dampening, "nesterov": nesterov, "weight_decay": draw(decays),
            "maximize": draw(flags)}


@st.composite
def adam_options(draw):
    return {"lr": draw(lrs), "betas": (draw(st.sampled_from([0.0, 0.5, 0.9])),
                                       draw(st.sampled_from([0.9, 0.99, 0.999]))),
            "eps": draw(st.sampled_from([1e-8, 1e-3])), "weight_decay": draw(decays),
            "amsgrad": draw(flags), "maximize": draw(flags)}


@st.composite
def rmsprop_options(draw):
    # Centered RMSprop divides by √(v - g_avg²), a difference of nearly equal numbers once
    # α^t is small (v - g_avg² ≈ α^t(1 - α^t)g² for a steady gradient): torch's fused
    # multiply-adds and our two roundings then differ far beyond any tolerance, in either
    # direction. With α ≥ 0.99, α^200 > 0.13 and the problem stays well conditioned.
    centered = draw(flags)
    alpha = draw(st.sampled_from([0.99, 0.999] if centered else [0.9, 0.99]))
    return {"lr": draw(st.sampled_from([1e-3, 0.01])), "alpha": alpha,
            "eps": draw(st.sampled_from([1e-8, 1e-3])), "weight_decay": draw(decays),
            "momentum": draw(st.sampled_from([0.0, 0.5, 0.9])), "centered": centered,
            "maximize": draw(flags)}


@st.composite
def adagrad_options(draw):
    return {"lr": draw(st.sampled_from([1e-3, 0.01, 0.1, 0.5])),
            "lr_decay": draw(st.sampled_from([0.0, 0.01])),
            "weight_decay": draw(decays), "eps": draw(st.sampled_from([1e-10, 1e-3])),
            "maximize": draw(flags)}


@st.composite
def adadelta_options(draw):
    return {"lr": draw(st.sampled_from([0.1, 1.0])), "rho": draw(st.sampled_from([0.5, 0.9])),
            "eps": draw(st.sampled_from([1e-6, 1e-3])), "weight_decay": draw(decays),
            "maximize": draw(flags)}


@st.composite
def adamax_options(draw):
    return {"lr": draw(lrs), "betas": (draw(st.sampled_from([0.0, 0.5, 0.9])),
                                       draw(st.sampled_from([0.9, 0.999]))),
            "eps": draw(st.sampled_from([1e-8, 1e-3])), "weight_decay": draw(decays),
            "maximize": draw(flags)}


@st.composite
def nadam_options(draw):
    return dict(draw(adamax_options()), momentum_decay=draw(st.sampled_from([4e-3, 0.1])),
                decoupled_weight_decay=draw(flags))


@st.composite
def radam_options(draw):
    return dict(draw(adamax_options()), decoupled_weight_decay=draw(flags))


@st.composite
def asgd_options(draw):
    return {"lr": draw(st.sampled_from([0.01, 0.1])), "lambd": draw(st.sampled_from([1e-4, 0.1])),
            "alpha": draw(st.sampled_from([0.75, 0.5])), "t0": draw(st.sampled_from([1e6, 5.0])),
            "weight_decay": draw(decays), "maximize": draw(flags)}


@st.composite
def rprop_options(draw):
    return {"lr": draw(st.sampled_from([1e-3, 0.01, 0.1])),
            "etas": (draw(st.sampled_from([0.5, 0.3])), draw(st.sampled_from([1.2, 1.5]))),
            "step_sizes": (draw(st.sampled_from([1e-6, 1e-3])), draw(st.sampled_from([50, 0.2]))),
            "maximize": draw(flags)}


@st.composite
def adafactor_options(draw):
    return {"lr": draw(st.sampled_from([1e-3, 0.01, 0.1])),
            "beta2_decay": draw(st.sampled_from([-0.8, -0.5])),
            "eps": (draw(st.sampled_from([None, 1e-6])), draw(st.sampled_from([1e-3, 0.1]))),
            "d": draw(st.sampled_from([1.0, 2.0])), "weight_decay": draw(decays),
            "maximize": draw(flags)}


OPTIONS = {"SGD": sgd_options(), "Adam": adam_options(), "AdamW": adam_options(),
           "RMSprop": rmsprop_options(), "Adagrad": adagrad_options(),
           "Adadelta": adadelta_options(), "Adamax": adamax_options(), "NAdam": nadam_options(),
           "RAdam": radam_options(), "ASGD": asgd_options(), "Rprop": rprop_options(),
           "Adafactor": adafactor_options()}
# the optimizers added after the first six: fewer draws each, to keep the suite's time
LATER = {"Adamax", "NAdam", "RAdam", "ASGD", "Rprop", "Adafactor"}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(OPTIONS))
def test_trajectory_matches_torch(name, dtype):
    """Defaults from one draw, two or three groups overriding options with their own draws."""
    @given(defaults=OPTIONS[name], overrides=st.lists(OPTIONS[name], min_size=1, max_size=2),
           seed=st.integers(0, 2**16))
    @settings(max_examples=5 if name in LATER else settings().max_examples)
    def check(defaults, overrides, seed):
        groups = [{}] + overrides
        if name == "Adagrad":  # torch reads initial_accumulator_value once, in the constructor
            defaults = dict(defaults, initial_accumulator_value=0.1)
        run_both(name, groups, defaults, dtype, seed)
    check()


@pytest.mark.parametrize("name", list(OPTIONS))
def test_defaults_trajectory_matches_torch(name, device):
    """Each optimizer with all of torch's defaults (lr given where torch has none worth using),
    its parameters and state on the device."""
    run_both(name, [{}], {}, "float64", seed=0, device=device)


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_trajectory_on_device(name, device):
    """The same updates with the parameters (and so the state) on the device."""
    defaults = {"lr": 0.1, "momentum": 0.9} if name == "SGD" else {"lr": 0.01, "amsgrad": True}
    run_both(name, [{}, {"lr": 0.05}], defaults, "float32", seed=3, device=device)


@pytest.mark.parametrize("name, options", [
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-3}), ("Adam", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "amsgrad": True}), ("RMSprop", {"lr": 0.01, "momentum": 0.5}),
    ("Adagrad", {"lr": 0.1}), ("Adadelta", {"lr": 1.0}), ("Adamax", {"lr": 0.01}),
    ("NAdam", {"lr": 0.01}), ("RAdam", {"lr": 0.01}), ("ASGD", {"lr": 0.05, "t0": 10}),
    ("Rprop", {"lr": 0.01}), ("Adafactor", {"lr": 0.01}),
])
def test_mlp_trained_by_each_library_matches(name, options):
    """End to end: each library computes its own loss and gradients (a tiny tanh MLP) and
    steps its own parameters, closure style; 50 float64 steps stay together."""
    rng = np.random.default_rng(7)
    arrays = [rng.standard_normal((4, 8)) * 0.5, np.zeros(8), rng.standard_normal((8, 1)) * 0.5]
    x, y = rng.standard_normal((16, 4)), rng.standard_normal((16, 1))

    def train(lib):
        w1, b1, w2 = (lib.tensor(a.copy(), requires_grad=True) for a in arrays)
        inputs, targets = lib.tensor(x), lib.tensor(y)
        optimizer = getattr(lib.optim, name)([w1, b1, w2], **options)

        def closure():
            optimizer.zero_grad()
            loss = ((lib.tanh(inputs @ w1 + b1) @ w2 - targets) ** 2).mean()
            loss.backward()
            return loss
        losses = [optimizer.step(closure).item() for _ in range(50)]
        return losses, [p.detach().numpy() for p in (w1, b1, w2)]

    (our_losses, ours), (their_losses, theirs) = train(tinygrad_edu), train(torch)
    np.testing.assert_allclose(our_losses, their_losses, rtol=1e-10)
    assert their_losses[-1] < their_losses[0]
    for o, t in zip(ours, theirs):
        compare_arrays(o, t, *TOLERANCES["float64"], f"{name} parameters")
