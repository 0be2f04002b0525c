"""ASGD: SGD that also keeps a running average of its iterates (Polyak & Juditsky, 1992)."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..tensor import Tensor
from .optimizer import (
    Optimizer,
    as_float,
    bump_version,
    check_implementation_flags,
    check_non_negative,
    scalar_step_tensor,
    zeros_state,
)


class ASGD(Optimizer):
    """Implements averaged SGD (torch.optim.ASGD).

        input: γ (lr), λ (lambd), α (alpha), t₀ (t0), θ (params), λ_w (weight decay)
        initialize: η ← γ, μ ← 1, θ̄ ← 0 (ax), t ← 0
        each step:
            t ← t + 1
            g ← -∇f(θ) if maximize else ∇f(θ);   if λ_w ≠ 0:  g ← g + λ_w θ
            θ ← θ(1 - λη) - η g
            θ̄ ← θ̄ + μ(θ - θ̄)   (θ̄ ← θ while μ = 1, i.e. until t₀ steps have passed)
            η ← γ / (1 + λγt)^α,   μ ← 1 / max(1, t - t₀)

    η and μ are 0-d tensors of the scalar dtype, as in torch (float32 unless float64 is the
    default), so they are rounded as torch rounds them.
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, lambd: float = 1e-4,
                 alpha: float = 0.75, t0: float = 1e6, weight_decay: float = 0,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False):
        check_non_negative(lr=lr, weight_decay=weight_decay)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, False, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, lambd, alpha = as_float(group["lr"]), group["lambd"], group["alpha"]
            t0, weight_decay = group["t0"], group["weight_decay"]
            for p, theta, g, state in self._params_with_grad(group):
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    state["eta"] = scalar_step_tensor(lr)
                    state["mu"] = scalar_step_tensor(1.0)
                    state["ax"] = zeros_state(p)
                step_count, ax = state["step"]._data, state["ax"]._data
                eta, mu = state["eta"]._data, state["mu"]._data
                step_count += 1
                if group["maximize"]:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * theta
                eta_value = float(eta)
                theta *= 1 - lambd * eta_value
                theta -= eta_value * g
                if float(mu) != 1:
                    ax += (theta - ax) * mu
                else:
                    ax[...] = theta
                t = float(step_count)
                # torch makes each a tensor of the scalar dtype first (`as_tensor`), then copies
                # it in: rounded to float32 even where a loaded state holds float64
                eta[...] = scalar_step_tensor(lr / ((1 + lambd * lr * t) ** alpha))._data
                mu[...] = scalar_step_tensor(1 / max(1, t - t0))._data
                bump_version(p)
        return loss
