"""Checks for the functions that torch writes in Python: given something else than a tensor,
torch's own code fails at its first method call, with an AttributeError naming that method."""
from __future__ import annotations

from ...tensor import Tensor


def check_python_tensor(value, method: str = "dim") -> None:
    """torch's AttributeError for a non-tensor reaching `value.<method>()`."""
    if not isinstance(value, Tensor):
        raise AttributeError(f"'{type(value).__name__}' object has no attribute '{method}'")
