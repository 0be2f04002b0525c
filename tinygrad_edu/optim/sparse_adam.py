"""SparseAdam: Adam for sparse gradients (embedding rows), updating only the rows that appear.

tinygrad_edu computes dense gradients only (its sparse tensors are stored dense), so this
optimizer refuses them in torch's words and points to Adam, exactly as torch does for a dense
gradient; its constructor checks and state_dict are torch's.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..tensor import Tensor
from .optimizer import Optimizer, check_betas, check_non_negative


class SparseAdam(Optimizer):
    """Implements the lazy Adam algorithm for sparse gradients (torch.optim.SparseAdam)."""

    def __init__(self, params: Iterable, lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 maximize: bool = False):
        check_non_negative(lr=lr)
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        check_betas(betas)
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize})

    def step(self, closure: Callable | None = None):
        """torch's step on a dense gradient: a RuntimeError that suggests Adam."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    raise RuntimeError("SparseAdam does not support dense gradients, please "
                                       "consider Adam instead")
        return loss
