"""Adagrad: per-coordinate learning rates from the sum of all past squared gradients."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..arrays import check_same_device
from ..backend import get_array_module
from ..tensor import Tensor
from .optimizer import (
    Optimizer,
    as_float,
    bump_version,
    check_implementation_flags,
    check_non_negative,
    scalar_step_tensor,
)


class Adagrad(Optimizer):
    """Implements Adagrad (torch.optim.Adagrad).

        input: γ (lr), θ (params), λ (weight decay), τ (initial accumulator value),
               η (lr decay), ε (eps), maximize
        initialize: sum ← τ, t ← 0  (for every parameter, when the optimizer is made)
        each step:
            t ← t + 1
            g ← -∇f(θ) if maximize else ∇f(θ)
            if λ ≠ 0:   g ← g + λθ
            γ̃ ← γ / (1 + (t - 1)η)
            sum ← sum + g²
            θ ← θ - γ̃ g / (√sum + ε)

    As in torch, the state is created in the constructor with the constructor's
    `initial_accumulator_value`; a group added later starts from `defaults`' value.
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None):
        check_non_negative(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                           initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        check_implementation_flags(foreach, fused, differentiable)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, initial_accumulator_value)

    def _init_state(self, p: Tensor, initial_accumulator_value: float) -> None:
        state = self.state[p]
        state["step"] = scalar_step_tensor()
        state["sum"] = Tensor._make(get_array_module(p._data).full_like(
            p._data, initial_accumulator_value))

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, lr_decay = as_float(group["lr"]), group["lr_decay"]
            weight_decay, eps = group["weight_decay"], group["eps"]
            for p, theta, g, state in self._params_with_grad(group):
                xp = get_array_module(theta)
                if len(state) == 0:
                    self._init_state(p, self.defaults["initial_accumulator_value"])
                accumulated = state["sum"]._data
                if type(accumulated) is not type(theta):  # made before the model moved
                    check_same_device((theta, accumulated))

                step_count = state["step"]._data
                step_count += 1
                t = float(step_count)
                if group["maximize"]:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * theta
                clr = lr / (1 + (t - 1) * lr_decay)
                accumulated += g * g
                std = xp.sqrt(accumulated)
                std += eps
                update = -clr * g  # torch's addcdiv_: (value · g) / std
                update /= std
                theta += update
                bump_version(p)
        return loss
