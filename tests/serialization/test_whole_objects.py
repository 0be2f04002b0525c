"""Whole pickled objects through save/load, as torch allows them: only with weights_only=False
or with their classes admitted by safe_globals."""
from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu import serialization


def test_a_whole_model_at_the_top_level(tmp_path):
    """save(model) / load(weights_only=False) gives a working model, as torch's does; the
    default weights-only load refuses it with torch's words."""
    x = np.random.default_rng(0).standard_normal((4, 3))
    for lib in (tinygrad_edu, torch):
        model = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.Tanh())
        path = tmp_path / f"{lib.__name__}.pt"
        lib.save(model, path)
        loaded = lib.load(path, weights_only=False)
        assert type(loaded) is type(model) and loaded is not model
        with lib.no_grad():
            np.testing.assert_array_equal(loaded(lib.tensor(x, dtype=lib.float32)).numpy(),
                                          model(lib.tensor(x, dtype=lib.float32)).numpy())
        with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
            lib.load(path)


class Box:
    def __init__(self, value):
        self.value = value


def test_safe_globals_with_a_name_reads_torchs_file_and_torch_reads_ours(tmp_path):
    """(class, "module.name") pairs, as torch takes them; each library reads the other's file."""
    name = f"{__name__}.Box"
    torch.save({"box": Box(1), "w": torch.ones(2)}, tmp_path / "theirs.pt")
    tinygrad_edu.save({"box": Box(2), "w": tinygrad_edu.ones(2)}, tmp_path / "ours.pt")
    with serialization.safe_globals([(Box, name)]):
        assert tinygrad_edu.load(tmp_path / "theirs.pt")["box"].value == 1
        assert tinygrad_edu.load(tmp_path / "ours.pt")["box"].value == 2
    with torch.serialization.safe_globals([(Box, name)]):
        assert torch.load(tmp_path / "ours.pt")["box"].value == 2
    for lib in (tinygrad_edu, torch):
        with pytest.raises(pickle.UnpicklingError, match=f"GLOBAL {name} was not an allowed"):
            lib.load(tmp_path / "theirs.pt")
