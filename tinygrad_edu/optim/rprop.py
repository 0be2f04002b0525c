"""Rprop: resilient backpropagation, steps that follow only the sign of the gradient
(Riedmiller & Braun, 1993)."""
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


class Rprop(Optimizer):
    """Implements the resilient backpropagation algorithm (torch.optim.Rprop).

        input: γ (lr), η₋, η₊ (etas), Γ_min, Γ_max (step_sizes), θ (params), maximize
        initialize: g_prev ← 0, Γ ← γ (per element), t ← 0
        each step:
            g ← -∇f(θ) if maximize else ∇f(θ)
            s ← η₊ where g·g_prev > 0,  η₋ where g·g_prev < 0,  1 where it is 0
            Γ ← clamp(Γ s, Γ_min, Γ_max)
            g ← 0 where the sign flipped (s = η₋): no step there, and no flip next time
            θ ← θ - sign(g) Γ,   g_prev ← g
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2,
                 etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False):
        check_non_negative(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, False, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            eta_minus, eta_plus = group["etas"]
            size_min, size_max = group["step_sizes"]
            for p, theta, g, state in self._params_with_grad(group):
                xp = get_array_module(theta)
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    state["prev"] = zeros_state(p)
                    state["step_size"] = Tensor._make(xp.full_like(g, as_float(group["lr"])))
                prev, step_size = state["prev"]._data, state["step_size"]._data
                state["step"]._data += 1
                g = xp.array(g)  # a copy (0-d too), zeroed where the sign flipped
                if group["maximize"]:
                    xp.negative(g, out=g)
                sign = xp.sign(g * prev)
                factor = xp.where(sign > 0, eta_plus, xp.where(sign < 0, eta_minus, 1))
                factor = factor.astype(g.dtype)
                step_size *= factor
                xp.clip(step_size, size_min, size_max, out=step_size)
                g[factor == g.dtype.type(eta_minus)] = 0
                theta -= xp.sign(g) * step_size
                prev[...] = g
                bump_version(p)
        return loss
