"""SGD: stochastic gradient descent, optionally with (Nesterov) momentum."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..tensor import Tensor
from .optimizer import Optimizer, as_float, bump_version, check_implementation_flags


class SGD(Optimizer):
    """Implements stochastic gradient descent (torch.optim.SGD).

        input: γ (lr), θ (params), λ (weight decay), μ (momentum), τ (dampening),
               nesterov, maximize
        for t = 1, 2, ...
            g ← -∇f(θ) if maximize else ∇f(θ)
            if λ ≠ 0:   g ← g + λθ
            if μ ≠ 0:
                b ← g (a copy)  if t = 1  else  μb + (1 - τ)g
                g ← g + μb  if nesterov  else  b
            θ ← θ - γg
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None,
                 differentiable: bool = False, fused: bool | None = None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        check_implementation_flags(foreach, fused, differentiable)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, weight_decay = as_float(group["lr"]), as_float(group["weight_decay"])
            momentum, dampening = group["momentum"], group["dampening"]
            for p in group["params"]:
                if p._grad is None:
                    continue  # a parameter the loss did not reach is left alone, as in torch
                theta, g = p._data, p._grad._data
                if group["maximize"]:
                    g = -g
                if weight_decay != 0:
                    g = g + weight_decay * theta
                if momentum != 0:
                    state = self.state[p]
                    buffer = state.get("momentum_buffer")
                    if buffer is None:
                        state["momentum_buffer"] = buffer = Tensor._make(g.copy())
                    else:
                        b = buffer._data
                        b *= momentum
                        b += g if dampening == 0 else (1 - dampening) * g  # no needless product
                    g = g + momentum * buffer._data if group["nesterov"] else buffer._data
                theta -= lr * g
                bump_version(p)
        return loss
