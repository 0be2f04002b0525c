"""Adam: adaptive moment estimation, with torch's AMSGrad and decoupled-weight-decay options."""
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


class Adam(Optimizer):
    """Implements Adam (torch.optim.Adam).

        input: γ (lr), β1, β2 (betas), θ (params), λ (weight decay), ε (eps), amsgrad, maximize
        initialize: m ← 0, v ← 0, v_max ← 0, t ← 0  (per parameter, on its first step)
        each step:
            t ← t + 1
            g ← -∇f(θ) if maximize else ∇f(θ)
            if λ ≠ 0:   θ ← θ(1 - γλ)  if decoupled_weight_decay  else  g ← g + λθ
            m ← m + (1 - β1)(g - m)                      (a lerp: β1 m + (1 - β1) g)
            v ← β2 v + (1 - β2) g²
            if amsgrad:  v_max ← max(v_max, v);  v ← v_max
            θ ← θ - γ / (1 - β1ᵗ) · m / (√v / √(1 - β2ᵗ) + ε)

    The last line is computed in torch's order (bias corrections as Python floats, then
    `denom = √v / √(1 - β2ᵗ) + ε`), so the results agree with torch's to rounding.
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False):
        check_non_negative(lr=lr, eps=eps)
        check_betas(betas)
        check_non_negative(weight_decay=weight_decay)
        if not (all(isinstance(beta, float) for beta in betas)
                or all(isinstance(beta, Tensor) for beta in betas)):
            raise ValueError("betas must be either both floats or both Tensors")
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, fused, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, weight_decay, eps = as_float(group["lr"]), group["weight_decay"], group["eps"]
            beta1, beta2 = (as_float(beta) for beta in group["betas"])
            for p, theta, g, state in self._params_with_grad(group):
                xp = get_array_module(theta)
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    state["exp_avg"] = zeros_state(p)
                    state["exp_avg_sq"] = zeros_state(p)
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = zeros_state(p)
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
                if group["amsgrad"]:
                    v_max = state["max_exp_avg_sq"]._data
                    xp.maximum(v_max, v, out=v_max)
                    v = v_max

                bias_correction1 = 1 - beta1**t
                bias_correction2 = 1 - beta2**t
                step_size = lr / bias_correction1
                denom = xp.sqrt(v)
                denom /= bias_correction2**0.5
                denom += eps
                update = -step_size * m  # torch's addcdiv_: (value · m) / denom
                update /= denom
                theta += update
                bump_version(p)
        return loss
