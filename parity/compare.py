"""How two tensors are compared in the lockstep runs: one relative error per tensor.

    error = compare(ours, theirs)      # NumPy arrays of the same shape
    error.relative                     # ‖ours - theirs‖∞ / max(‖theirs‖∞, ‖ours‖∞, floor)
    error.index, error.ours, error.theirs   # the worst element, for a diagnostic

The relative error is NORMWISE: the largest absolute difference divided by the largest magnitude
in the tensor. An element-by-element ratio |a - b| / |b| is meaningless for the many gradient
entries that are exactly 0 in torch (dead ReLUs, background pixels) or nearly 0 by cancellation:
a difference of 1e-20 on an entry of 1e-18 says nothing about the gradient being wrong. Measured
against the tensor's scale, the error is what an optimizer step would actually feel. The floor
only matters for tensors that are entirely (close to) zero on both sides; it is the absolute
tolerance of the dtype, so that two all-zero tensors agree and noise below it is ignored.
Gradients get a larger floor, relative to the whole model's gradients (runner.GRADIENT_FLOOR).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FLOOR = {"float64": 1e-12, "float32": 1e-6}


@dataclass(frozen=True)
class Error:
    """The difference between our tensor and torch's."""

    relative: float          # normwise, see the module docstring
    absolute: float          # max |ours - theirs|
    index: tuple = ()        # where the absolute difference is largest
    ours: float = 0.0        # our value there
    theirs: float = 0.0      # torch's value there

    def describe(self) -> str:
        where = f"[{', '.join(map(str, self.index))}]" if self.index else ""
        return (f"worst element {where or '(scalar)'}: ours {self.ours!r}, torch {self.theirs!r}"
                f" (abs diff {self.absolute:.3e}, rel {self.relative:.3e})")


def compare(ours, theirs, floor: float = 0.0) -> Error:
    """The normwise relative error of `ours` against `theirs` (any array-likes of one shape)."""
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(theirs, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shape {a.shape} differs from torch's {b.shape}")
    if a.size == 0:
        return Error(0.0, 0.0)
    same = (a == b) | (np.isnan(a) & np.isnan(b))  # equal infinities and NaN in both agree
    with np.errstate(invalid="ignore"):  # inf - inf is NaN: a disagreement, see below
        difference = np.where(same, 0.0, np.abs(a - b))
    difference[np.isnan(difference)] = np.inf       # NaN on one side only
    worst = np.unravel_index(int(np.argmax(difference)), a.shape)
    absolute = float(difference[worst])
    finite = np.isfinite(a) & np.isfinite(b)
    scale = max(float(np.abs(b[finite]).max(initial=0.0)),
                float(np.abs(a[finite]).max(initial=0.0)), floor)
    if absolute == 0.0:
        relative = 0.0
    else:
        relative = absolute / scale if scale > 0 else float("inf")
    return Error(relative, absolute, tuple(int(i) for i in worst), float(a[worst]),
                 float(b[worst]))


def worst_elements(ours, theirs, count: int = 3) -> list[tuple[tuple, float, float]]:
    """The `count` elements that differ most: (index, ours, theirs), largest difference first."""
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(theirs, dtype=np.float64)
    if a.shape != b.shape or a.size == 0:
        return []
    with np.errstate(invalid="ignore"):
        difference = np.where((a == b) | (np.isnan(a) & np.isnan(b)), 0.0, np.abs(a - b))
    difference[np.isnan(difference)] = np.inf
    flat = np.argsort(-difference, axis=None, kind="stable")[:count]
    return [(tuple(int(i) for i in index), float(a[index]), float(b[index]))
            for index in (np.unravel_index(int(f), a.shape) for f in flat)
            if difference[index] > 0]


@dataclass
class Worst:
    """The largest error among a set of named tensors (the gradients of one step)."""

    relative: float = 0.0
    absolute: float = 0.0
    name: str = ""
    error: Error | None = None

    def update(self, name: str, error: Error) -> None:
        self.absolute = max(self.absolute, error.absolute)
        if error.relative > self.relative or self.error is None:
            self.relative, self.name, self.error = error.relative, name, error
