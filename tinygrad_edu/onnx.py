"""torch.onnx: exporting a model to ONNX, which tinygrad_edu does not do.

torch exports by tracing the model into a graph of its own operators (torch.export or
TorchScript) and translating that graph; tinygrad_edu runs every operation eagerly on NumPy or
CuPy and keeps no such graph. The module exists so that a program that imports it, or asks
whether an export is running, works; `export` says clearly that it cannot.
"""
from __future__ import annotations


def export(model, args=(), f=None, **kwargs):
    """Refuse, naming what to do instead."""
    raise NotImplementedError(
        "ONNX export is not supported by tinygrad_edu: it has no traced graph to translate. "
        "Save the weights with tinygrad_edu.save(model.state_dict(), path), load them into the "
        "same model built with torch (torch.load + load_state_dict) and export that with "
        "torch.onnx.export.")


def is_in_onnx_export() -> bool:
    """Whether an ONNX export is running: never, here."""
    return False
