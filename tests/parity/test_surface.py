"""parity/surface.py: the registry cannot fall behind the public surface.

Every public function of tinygrad_edu, nn.functional and Tensor is either exercised by a
registered op (so compared with torch, forward and backward) or excluded in
parity/exclusions.py with a reason; and the tracer that decides "exercised" is itself tested.
"""
from __future__ import annotations

import pytest
import torch

import parity.surface as surface
import tinygrad_edu
from parity import strategies as ps
from parity.exclusions import EXCLUDED
from parity.ops_nn import ALL_SPECS
from parity.registry import OpSpec, _one

TORCH_NAMESPACES = {"torch": torch, "F": torch.nn.functional, "Tensor": torch.Tensor,
                    "torch.linalg": torch.linalg, "torch.special": torch.special}


@pytest.fixture(scope="module")
def reach():
    return surface.exercised(ALL_SPECS)


def test_every_public_differentiable_function_is_in_the_registry(reach):
    missing = surface.unregistered(ALL_SPECS, reach=reach)
    assert not missing, ("public functions neither exercised by a registered op (parity/ops*.py) "
                         "nor excluded with a reason (parity/exclusions.py): "
                         + ", ".join(missing))


# Not torch's, on purpose: safetensors' save_file/load_file, offered beside torch.save/load.
PROJECT_ONLY = {"torch.save_file", "torch.load_file"}


def test_every_public_name_is_torchs():
    public = surface.public_callables()
    foreign = [name for name in public if name not in PROJECT_ONLY and not hasattr(
        TORCH_NAMESPACES[name.rpartition(".")[0]], name.rpartition(".")[2])]
    assert not foreign, f"public names torch 2.13 does not have: {foreign}"


def test_every_exclusion_names_a_public_function():
    public = surface.public_callables()
    stale = [name for name in EXCLUDED if name not in public]
    assert not stale, f"parity/exclusions.py names functions that no longer exist: {stale}"


def _spec_calling(name):
    return OpSpec(name, lambda t, x: getattr(t, name)(x),
                  lambda dtype: _one(ps.arrays(dtype, shape=(2,))))


def test_a_new_public_function_is_reported_until_an_op_exercises_it(reach, monkeypatch):
    monkeypatch.setattr(tinygrad_edu, "doubled", lambda x: x * 2, raising=False)
    assert "torch.doubled" in surface.unregistered(ALL_SPECS, reach=reach)
    more = {"doubled": _spec_calling("doubled")}
    both = {**reach, **surface.exercised(more)}
    assert "torch.doubled" not in surface.unregistered({**ALL_SPECS, **more}, reach=both)


def test_calls_made_inside_the_library_do_not_count(monkeypatch):
    monkeypatch.setattr(tinygrad_edu, "through_exp", lambda x: tinygrad_edu.exp(x) * 1,
                        raising=False)
    reach = surface.exercised({"through_exp": _spec_calling("through_exp")})
    assert set(reach) == {"torch.through_exp"}


def test_the_wrapped_functions_are_restored():
    before = surface.public_callables()
    surface.exercised({"through_exp": _spec_calling("exp")})
    assert surface.public_callables() == before
