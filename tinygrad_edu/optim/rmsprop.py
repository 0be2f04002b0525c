"""RMSprop: divide the gradient by a running root-mean-square of recent gradients (Hinton)."""
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
    lerp_,
    scalar_step_tensor,
    zeros_state,
)


class RMSprop(Optimizer):
    """Implements RMSprop (torch.optim.RMSprop).

        input: γ (lr), α (alpha), θ (params), λ (weight decay), μ (momentum), ε (eps),
               centered, maximize
        initialize: v ← 0, b ← 0, g_avg ← 0  (per parameter, on its first step)
        each step:
            g ← -∇f(θ) if maximize else ∇f(θ)
            if λ ≠ 0:   g ← g + λθ
            v ← αv + (1 - α)g²
            if centered:  g_avg ← g_avg + (1 - α)(g - g_avg);  s ← √(v - g_avg²) + ε
            else:         s ← √v + ε
            if μ > 0:   b ← μb + g / s;  θ ← θ - γb
            else:       θ ← θ - γ g / s

    As in torch, ε is added after the square root (TensorFlow adds it before).
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False):
        check_non_negative(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay,
                           alpha=alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay, "capturable": capturable,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, False, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, alpha, eps = as_float(group["lr"]), group["alpha"], group["eps"]
            weight_decay, momentum = group["weight_decay"], group["momentum"]
            for p, theta, g, state in self._params_with_grad(group):
                xp = get_array_module(theta)
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    state["square_avg"] = zeros_state(p)
                    if momentum > 0:
                        state["momentum_buffer"] = zeros_state(p)
                    if group["centered"]:
                        state["grad_avg"] = zeros_state(p)
                v = state["square_avg"]._data

                step_count = state["step"]._data
                step_count += 1
                if group["maximize"]:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * theta
                v *= alpha
                v += (1 - alpha) * g * g
                if group["centered"]:
                    g_avg = state["grad_avg"]._data
                    lerp_(g_avg, g, 1 - alpha)
                    s = xp.sqrt(v - g_avg * g_avg)
                else:
                    s = xp.sqrt(v)
                s += eps
                if momentum > 0:
                    b = state["momentum_buffer"]._data
                    b *= momentum
                    b += g / s
                    theta -= lr * b
                else:
                    update = -lr * g  # torch's addcdiv_: (value · g) / s
                    update /= s
                    theta += update
                bump_version(p)
        return loss
