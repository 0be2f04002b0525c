"""Anomaly detection: find the forward op whose backward produced NaN.

Inside `detect_anomaly()`, every graph node remembers the stack of the forward call that made
it, and the engine checks each gradient a node returns; on a NaN it raises an error naming the
node, after printing where that node's forward was called.
"""
from __future__ import annotations

import traceback
import warnings


class _State:
    __slots__ = ("enabled", "check_nan")

    def __init__(self):
        self.enabled = False
        self.check_nan = True


state = _State()


def is_anomaly_enabled() -> bool:
    return state.enabled


def record_forward_stack(node) -> None:
    node._forward_stack = "".join(traceback.format_stack()[:-3])


def check_gradients(node, grads) -> None:
    """Raise if a gradient `node` returned contains NaN, naming the node and its forward call."""
    if not state.check_nan:
        return
    for index, grad in enumerate(grads):
        if grad is None:
            continue
        if bool(grad.isnan().any()):
            stack = node.__dict__.get("_forward_stack")
            if stack:
                warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that "
                              f"caused the error:\n{stack}", stacklevel=2)
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {index}th "
                               "output.")


class detect_anomaly:
    """Context manager (and decorator) that turns anomaly detection on."""

    def __init__(self, check_nan: bool = True):
        self.check_nan = check_nan

    def __enter__(self):
        self.previous = (state.enabled, state.check_nan)
        state.enabled, state.check_nan = True, self.check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __exit__(self, *exc):
        state.enabled, state.check_nan = self.previous
        return False

    def __call__(self, function):
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.check_nan):
                return function(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """Turn anomaly detection on or off (and back again at the end of a `with` block)."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self.previous = (state.enabled, state.check_nan)
        state.enabled, state.check_nan = bool(mode), check_nan

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        state.enabled, state.check_nan = self.previous
        return False
