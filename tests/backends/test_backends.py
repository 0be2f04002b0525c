"""torch.backends: the flags programs set exist, can be set, and read back; the availability
answers are the CPU build of torch's."""
from __future__ import annotations

import pytest
import torch

import tinygrad_edu


@pytest.mark.parametrize("flag", ["enabled", "benchmark", "deterministic", "allow_tf32"])
def test_cudnn_flags_are_settable_with_torchs_defaults(flag):
    ours = tinygrad_edu.backends.cudnn
    assert getattr(ours, flag) == getattr(torch.backends.cudnn, flag)
    before = getattr(ours, flag)
    try:
        setattr(ours, flag, not before)
        assert getattr(ours, flag) is (not before)
    finally:
        setattr(ours, flag, before)


def test_availability_answers_as_torchs_cpu_build():
    assert tinygrad_edu.backends.cudnn.is_available() is False
    assert tinygrad_edu.backends.mps.is_available() is torch.backends.mps.is_available() is False
    assert tinygrad_edu.backends.mps.is_built() is torch.backends.mps.is_built()
    assert tinygrad_edu.backends.cudnn.version() is torch.backends.cudnn.version() is None


def test_every_name_in_dir_resolves():
    for name in dir(tinygrad_edu):
        getattr(tinygrad_edu, name)
