"""torch.onnx: importable, export refused clearly."""
from __future__ import annotations

import importlib

import pytest
import torch

import tinygrad_edu
from tinygrad_edu import nn


def test_onnx_imports_and_is_reachable_from_the_package():
    module = importlib.import_module("tinygrad_edu.onnx")
    assert tinygrad_edu.onnx is module
    assert "onnx" in dir(tinygrad_edu)  # it loads on first use, as torch.onnx does
    assert torch.onnx is importlib.import_module("torch.onnx")


def test_export_is_refused_naming_onnx_export(tmp_path):
    model = nn.Linear(3, 2)
    with pytest.raises(NotImplementedError, match="ONNX export is not supported"):
        tinygrad_edu.onnx.export(model, (tinygrad_edu.randn(1, 3),), tmp_path / "model.onnx")
    assert not (tmp_path / "model.onnx").exists()


def test_is_in_onnx_export_as_torch_outside_an_export():
    assert tinygrad_edu.onnx.is_in_onnx_export() is torch.onnx.is_in_onnx_export() is False
