"""The torch.* namespace: every Tensor method that torch also offers as a function is one here."""
from __future__ import annotations

import torch

import tinygrad_edu
from tinygrad_edu.functions import _METHODS


def test_methods_torch_offers_as_functions_are_functions_here_too():
    missing = [name for name in _METHODS
               if not name.endswith("_") and callable(getattr(torch, name, None))
               and not hasattr(tinygrad_edu, name)]
    assert not missing


def test_function_and_method_give_the_same_result():
    x = tinygrad_edu.tensor([[1.0, -2.0], [3.0, 0.5]])
    assert tinygrad_edu.sum(x, 1).tolist() == x.sum(1).tolist()
    assert tinygrad_edu.flatten(x, 0).tolist() == x.flatten(0).tolist()
    values, indices = tinygrad_edu.max(x, 1)
    assert (values.tolist(), indices.tolist()) == ([1.0, 3.0], [0, 0])
    assert tinygrad_edu.argmax(x).item() == 2
