"""A pickle loader that refuses to run code.

Unpickling calls whatever functions the file names ("globals"), so a pickle from outside is a
program. `restricted_load` admits only the globals needed to rebuild data — NumPy arrays and
dtypes, OrderedDict, and our own tensor and state-dict records — and refuses anything else,
naming the global it refused.
"""
from __future__ import annotations

import pickle

_ALLOWED = {
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("_codecs", "encode"),  # how protocol-2 pickles store bytes
    ("collections", "OrderedDict"),
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "slice"),
    ("tinygrad_edu.tensor", "_rebuild_tensor"), ("tinygrad_edu.dtypes", "_by_name"),
}
_ALLOWED_MODULE_PREFIXES = ("numpy.dtypes",)  # NumPy 2 pickles dtypes as numpy.dtypes.Float32DType


def allow(module: str, name: str) -> None:
    """Admit one more global (for a record type of our own that is safe to rebuild)."""
    _ALLOWED.add((module, name))


def admits(module: str, name: str) -> bool:
    """Whether the global module.name is on the allow-list."""
    return (module, name) in _ALLOWED or module.startswith(_ALLOWED_MODULE_PREFIXES)


class RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if admits(module, name):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Weights only load failed: refusing the global {module}.{name}. Only NumPy arrays, "
            "numbers, strings, tuples, lists, dicts and tinygrad_edu tensors may be loaded from a "
            "file of unknown origin. If you trust the file, pass weights_only=False.")


def restricted_load(file, encoding: str = "ASCII"):
    """pickle.load(file) with the allow-list above."""
    return RestrictedUnpickler(file, encoding=encoding).load()
