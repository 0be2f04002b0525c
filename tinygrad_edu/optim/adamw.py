"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter)."""
from __future__ import annotations

from collections.abc import Iterable

from ..tensor import Tensor
from .adam import Adam


class AdamW(Adam):
    """Implements AdamW (torch.optim.AdamW): Adam whose weight decay shrinks the parameters
    directly, θ ← θ(1 - γλ), instead of entering the gradient and with it the moments.

    The algorithm is Adam's with `decoupled_weight_decay=True` (see adam.py); only the default
    weight decay differs (1e-2).
    """

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:  # whatever a checkpoint says, AdamW stays decoupled
            group["decoupled_weight_decay"] = True
