"""torch.optim.lr_scheduler: change each parameter group's `lr` as training goes on.

    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        train(...)                 # calls optimizer.step()
        scheduler.step()           # then the schedule moves on by one epoch

Reading order: base.py (LRScheduler: the epoch count, step, state_dict), decay.py (a formula
of the epoch), annealing.py (cosine, warm restarts, one-cycle, cyclic), plateau.py (driven by a
metric), then composite.py (SequentialLR, ChainedScheduler). Imports point down only:
composite -> plateau -> base.
"""
from ..optimizer import Optimizer
from .annealing import CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR
from .base import EPOCH_DEPRECATION_WARNING, LRScheduler, _LRScheduler
from .composite import ChainedScheduler, SequentialLR
from .decay import (
    ConstantLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
    StepLR,
)
from .plateau import ReduceLROnPlateau

__all__ = ["LRScheduler", "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR",
           "LinearLR", "ExponentialLR", "PolynomialLR", "CosineAnnealingLR", "OneCycleLR",
           "SequentialLR", "ReduceLROnPlateau", "CosineAnnealingWarmRestarts", "CyclicLR",
           "ChainedScheduler"]
