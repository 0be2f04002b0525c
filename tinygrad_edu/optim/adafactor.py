"""Adafactor: Adam's second moment stored as a row and a column factor (Shazeer & Stern, 2018)."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from ..backend import get_array_module
from ..tensor import Tensor
from .optimizer import Optimizer, as_float, bump_version, lerp_, scalar_step_tensor


class Adafactor(Optimizer):
    """Implements Adafactor (torch.optim.Adafactor).

        input: γ (lr), β₂ decay c (beta2_decay), ε₁, ε₂ (eps), d (clipping threshold),
               θ (params), λ (weight decay)
        initialize: R ← 0 (row variances), C ← 0 (column variances), V ← 0 (for vectors)
        each step:
            t ← t + 1;   β̂ ← tᶜ;   ρ ← min(γ, 1/√t);   α ← max(ε₂, RMS(θ)) ρ
            if λ ≠ 0:   θ ← θ(1 - γλ)
            for a matrix (over its last two dims):
                R ← R + β̂(mean_j g² - R),   C ← C + β̂(mean_i g² - C)
                V̂ ← R C / max(mean_i R, ε₁)
            for a vector:  V ← V + β̂(g² - V);  V̂ ← V
            U ← g / √max(V̂, ε₁²)
            θ ← θ - α U / max(1, RMS(U)/d)
    ε₁ defaults to the machine epsilon of the parameter's dtype.
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-2, beta2_decay: float = -0.8,
                 eps: tuple[float | None, float] = (None, 1e-3), d: float = 1.0,
                 weight_decay: float = 0.0, *, foreach: bool | None = None,
                 maximize: bool = False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        for ok, message in ((0.0 <= lr, f"Learning rate should be >= 0 but is: {lr}"),
                            (0.0 >= beta2_decay, f"beta2_decay should be <= 0 but is: "
                                                 f"{beta2_decay}"),
                            (eps[0] is None or 0.0 <= eps[0],
                             f"epsilon1 should be >= 0 but is: {eps[0]}"),
                            (0.0 <= eps[1], f"epsilon2 should be >= 0 but is: {eps[1]}"),
                            (1.0 <= d, f"Clipping threshold d should be >= 1 but is: {d}"),
                            (0.0 <= weight_decay,
                             f"weight_decay should be >= 0 but is: {weight_decay}")):
            if not ok:
                raise ValueError(message)
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize}
        super().__init__(params, defaults)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, weight_decay, d = as_float(group["lr"]), group["weight_decay"], group["d"]
            eps1, eps2 = group["eps"]
            for p, theta, g, state in self._params_with_grad(group):
                xp = get_array_module(theta)
                if len(state) == 0:
                    state["step"] = scalar_step_tensor()
                    if g.ndim > 1:
                        state["row_var"] = Tensor._make(xp.zeros(g.shape[:-1] + (1,), g.dtype))
                        state["col_var"] = Tensor._make(
                            xp.zeros(g.shape[:-2] + (1,) + g.shape[-1:], g.dtype))
                    else:
                        state["variance"] = Tensor._make(xp.zeros_like(g))
                if group["maximize"]:
                    g = -g
                epsilon1 = xp.finfo(theta.dtype).eps if eps1 is None else eps1
                state["step"]._data += 1
                t = float(state["step"]._data)
                beta_hat = t ** group["beta2_decay"]
                rho = min(lr, 1 / t**0.5)
                alpha = max(eps2, _norm(xp, theta) / math.sqrt(theta.size)) * rho
                if weight_decay != 0:
                    theta *= 1 - lr * weight_decay
                if g.ndim > 1:
                    row, col = state["row_var"]._data, state["col_var"]._data
                    lerp_(row, _norm(xp, g, -1) ** 2 / g.shape[-1], beta_hat)
                    lerp_(col, _norm(xp, g, -2) ** 2 / g.shape[-2], beta_hat)
                    estimate = row @ col
                    estimate /= xp.maximum(row.mean(axis=-2, keepdims=True), epsilon1)
                else:
                    variance = state["variance"]._data
                    lerp_(variance, g * g, beta_hat)
                    estimate = variance.copy()
                update = 1 / xp.sqrt(xp.maximum(estimate, epsilon1 * epsilon1))
                update *= g
                denom = max(1.0, _norm(xp, update) / (math.sqrt(update.size) * d))
                theta -= (alpha / denom) * update
                bump_version(p)
        return loss


def _norm(xp, array, axis=None):
    """The 2-norm of all elements (a Python float), or along one axis keeping it."""
    if axis is None:
        return float(xp.sqrt(xp.sum(array * array)))
    return xp.sqrt(xp.sum(array * array, axis=axis, keepdims=True))
