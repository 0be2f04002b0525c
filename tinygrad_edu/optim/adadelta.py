"""Adadelta: step sizes from running averages of squared gradients and of squared updates."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..backend import get_array_module
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


class Adadelta(Optimizer):
    """Implements Adadelta (torch.optim.Adadelta).

        input: γ (lr), ρ (rho), θ (params), λ (weight decay), ε (eps), maximize
        initialize: v ← 0 (square avg), u ← 0 (accumulated delta)  (on a parameter's first step)
        each step:
            g ← -∇f(θ) if maximize else ∇f(θ)
            if λ ≠ 0:   g ← g + λθ
            v ← ρv + (1 - ρ)g²
            Δ ← √(u + ε) / √(v + ε) · g
            u ← ρu + (1 - ρ)Δ²
            θ ← θ - γΔ
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1.0, rho: float = 0.9,
                 eps: float = 1e-6, weight_decay: float = 0, foreach: bool | None = None, *,
                 capturable: bool = False, maximize: bool = False, differentiable: bool = False):
        check_non_negative(lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_non_negative(eps=eps, weight_decay=weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, False, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, rho, eps = as_float(group["lr"]), group["rho"], group["eps"]
            weight_decay = group["weight_decay"]
            for p, theta, g, state in self._params_with_grad(group, supports_xla=False):
                xp = get_array_module(theta)
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    state["square_avg"] = zeros_state(p)
                    state["acc_delta"] = zeros_state(p)
                v, u = state["square_avg"]._data, state["acc_delta"]._data

                step_count = state["step"]._data
                step_count += 1
                if group["maximize"]:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * theta
                v *= rho
                v += (1 - rho) * g * g
                std = xp.sqrt(v + eps)
                delta = xp.sqrt(u + eps) / std
                delta *= g
                u *= rho
                u += (1 - rho) * delta * delta
                theta -= lr * delta
                bump_version(p)
        return loss
