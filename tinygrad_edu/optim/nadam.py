"""NAdam: Adam with Nesterov momentum and a momentum schedule (Dozat, 2016)."""
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


class NAdam(Optimizer):
    """Implements NAdam (torch.optim.NAdam).

        input: γ (lr), β1, β2 (betas), θ (params), λ (weight decay), ε (eps), ψ (momentum decay)
        initialize: m ← 0, v ← 0, Π ← 1 (the product of the μs), t ← 0
        each step:
            t ← t + 1
            g ← -∇f(θ) if maximize else ∇f(θ)
            if λ ≠ 0:   θ ← θ(1 - γλ)  if decoupled_weight_decay  else  g ← g + λθ
            μₜ ← β1 (1 - ½ · 0.96^(tψ)),   μₜ₊₁ ← β1 (1 - ½ · 0.96^((t+1)ψ)),   Π ← Π μₜ
            m ← m + (1 - β1)(g - m),   v ← β2 v + (1 - β2) g²
            s ← √(v / (1 - β2ᵗ)) + ε
            θ ← θ - γ(1 - μₜ)/(1 - Π) · g / s - γ μₜ₊₁/(1 - Π μₜ₊₁) · m / s

    Π is kept as torch keeps it: a 0-d tensor of the scalar dtype (float32 unless float64 is
    the default), so its rounding is torch's.
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False):
        check_non_negative(lr=lr, eps=eps)
        check_betas(betas)
        check_non_negative(weight_decay=weight_decay, momentum_decay=momentum_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay,
                    "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "differentiable": differentiable}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, False, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, eps, weight_decay = as_float(group["lr"]), group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            psi = group["momentum_decay"]
            for p, theta, g, state in self._params_with_grad(group):
                xp = get_array_module(theta)
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    state["mu_product"] = scalar_step_tensor(1.0)
                    state["exp_avg"] = zeros_state(p)
                    state["exp_avg_sq"] = zeros_state(p)
                m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
                step_count, mu_product = state["step"]._data, state["mu_product"]._data
                step_count += 1
                t = float(step_count)
                if group["maximize"]:
                    g = -g
                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:
                        theta *= 1 - lr * weight_decay
                    else:
                        g = g + weight_decay * theta
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (t * psi)))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * psi)))
                mu_product *= mu
                lerp_(m, g, 1 - beta1)
                v *= beta2
                v += (1 - beta2) * g * g
                denom = xp.sqrt(v / (1 - beta2**t))
                denom += eps
                product = float(mu_product)
                for value, term in ((-lr * (1.0 - mu) / (1.0 - product), g),
                                    (-lr * mu_next / (1.0 - product * mu_next), m)):
                    update = value * term  # addcdiv_: (value · term) / denom
                    update /= denom
                    theta += update
                bump_version(p)
        return loss
