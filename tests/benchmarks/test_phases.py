"""benchmarks/phases.py times each phase of a step, for both libraries (never checks speed)."""
from __future__ import annotations

import torch

import tinygrad_edu
from benchmarks import phases


def test_every_phase_is_timed_for_both_libraries():
    for lib in (tinygrad_edu, torch):
        found = phases.phases(lib, "mlp", 8, steps=3, warmup=1)
        assert tuple(found) == phases.PHASES and all(value > 0 for value in found.values())
