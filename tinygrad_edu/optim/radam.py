"""RAdam: Adam with the variance of its adaptive learning rate rectified (Liu et al., 2019)."""
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


class RAdam(Optimizer):
    """Implements RAdam (torch.optim.RAdam).

        input: γ (lr), β1, β2 (betas), θ (params), λ (weight decay), ε (eps)
        initialize: m ← 0, v ← 0, t ← 0;   ρ∞ ← 2/(1 - β2) - 1
        each step:
            t ← t + 1
            g ← -∇f(θ) if maximize else ∇f(θ)
            if λ ≠ 0:   θ ← θ(1 - γλ)  if decoupled_weight_decay  else  g ← g + λθ
            m ← m + (1 - β1)(g - m),   v ← β2 v + (1 - β2) g²
            m̂ ← m / (1 - β1ᵗ),   ρₜ ← ρ∞ - 2t β2ᵗ / (1 - β2ᵗ)
            if ρₜ > 5:  l ← √(1 - β2ᵗ) / (√v + ε)
                        r ← √((ρₜ - 4)(ρₜ - 2)ρ∞ / ((ρ∞ - 4)(ρ∞ - 2)ρₜ))
                        θ ← θ - γ m̂ l r
            else:       θ ← θ - γ m̂          (the early steps: plain momentum SGD)
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False):
        check_non_negative(lr=lr, eps=eps)
        check_betas(betas)
        check_non_negative(weight_decay=weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, False, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, eps, weight_decay = as_float(group["lr"]), group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            rho_inf = 2 / (1 - beta2) - 1
            for p, theta, g, state in self._params_with_grad(group):
                xp = get_array_module(theta)
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    state["exp_avg"] = zeros_state(p)
                    state["exp_avg_sq"] = zeros_state(p)
                m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
                step_count = state["step"]._data
                step_count += 1
                t = float(step_count)
                if group["maximize"]:
                    g = -g
                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:
                        theta *= 1 - lr * weight_decay
                    else:
                        g = g + weight_decay * theta
                lerp_(m, g, 1 - beta1)
                v *= beta2
                v += (1 - beta2) * g * g
                bias_correction2 = 1 - beta2**t
                m_hat = m / (1 - beta1**t)
                rho_t = rho_inf - 2 * t * (beta2**t) / bias_correction2
                if rho_t > 5.0:
                    # torch's `float / tensor` is reciprocal-then-multiply
                    adaptive = (1 / (xp.sqrt(v) + eps)) * bias_correction2**0.5
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                            / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    theta -= m_hat * lr * adaptive * rect
                else:
                    theta -= m_hat * lr
                bump_version(p)
        return loss
