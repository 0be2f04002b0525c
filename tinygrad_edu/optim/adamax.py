"""Adamax: Adam with the infinity norm in place of the second moment (Kingma & Ba, §7.1)."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..backend import get_array_module
from ..tensor import Tensor
from .optimizer import (
    Optimizer,
    as_float,
    bump_version,
    check_betas,
    check_implementation_flags,
    check_non_negative,
    lerp_,
    scalar_step_tensor,
    zeros_state,
)


class Adamax(Optimizer):
    """Implements Adamax (torch.optim.Adamax).

        input: γ (lr), β1, β2 (betas), θ (params), λ (weight decay), ε (eps), maximize
        initialize: m ← 0, u ← 0, t ← 0  (per parameter, on its first step)
        each step:
            t ← t + 1
            g ← -∇f(θ) if maximize else ∇f(θ)
            if λ ≠ 0:   g ← g + λθ
            m ← m + (1 - β1)(g - m)
            u ← max(β2 u, |g| + ε)
            θ ← θ - γ / (1 - β1ᵗ) · m / u
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False):
        check_non_negative(lr=lr, eps=eps)
        check_betas(betas)
        check_non_negative(weight_decay=weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, False, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, eps, weight_decay = as_float(group["lr"]), group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            for p, theta, g, state in self._params_with_grad(group):
                xp = get_array_module(theta)
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    state["exp_avg"] = zeros_state(p)
                    state["exp_inf"] = zeros_state(p)
                m, u = state["exp_avg"]._data, state["exp_inf"]._data
                step_count = state["step"]._data
                step_count += 1
                if group["maximize"]:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * theta
                lerp_(m, g, 1 - beta1)
                u *= beta2
                xp.maximum(u, xp.abs(g) + eps, out=u)
                update = -(lr / (1 - beta1 ** float(step_count))) * m  # addcdiv_: (value·m)/u
                update /= u
                theta += update
                bump_version(p)
        return loss
