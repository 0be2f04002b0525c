"""safetensors files (the Hugging Face format): a JSON header and raw tensors, no pickle at all.

    tinygrad_edu.save_file(model.state_dict(), "model.safetensors")
    model.load_state_dict(tinygrad_edu.load_file("model.safetensors"))

The same files are read by `safetensors.torch.load_file` in PyTorch. They go through the
safetensors package's NumPy API, an optional extra: `pip install tinygrad_edu[safetensors]`.
Tensors that share memory are written as separate copies (the format has no views).
"""
from __future__ import annotations

import os

from ..tensor import Tensor

_MISSING = ("save_file and load_file need the safetensors package: "
            "pip install tinygrad_edu[safetensors]  (or: pip install safetensors)")


def _safetensors_numpy():
    try:
        import safetensors.numpy  # an optional extra, imported on first use
    except ImportError:
        raise ImportError(_MISSING) from None
    return safetensors.numpy


def save_file(tensors: dict, filename, metadata: dict | None = None) -> None:
    """Write a dict of name -> tensor (a state_dict) to `filename` in the safetensors format."""
    arrays = {}
    for name, tensor in tensors.items():
        if not isinstance(tensor, Tensor):
            raise TypeError(f"save_file: the value of '{name}' is a {type(tensor).__name__}, "
                            "not a tensor")
        arrays[name] = tensor.detach().cpu().contiguous().numpy()
    _safetensors_numpy().save_file(arrays, os.fspath(filename), metadata=metadata)


def load_file(filename, device="cpu") -> dict:
    """The dict of name -> tensor in the safetensors file `filename`, on `device`."""
    arrays = _safetensors_numpy().load_file(os.fspath(filename))
    return {name: Tensor._make(array).to(device) for name, array in arrays.items()}
