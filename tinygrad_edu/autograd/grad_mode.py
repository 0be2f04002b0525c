"""Grad mode: whether operations record the graph (`no_grad`, `enable_grad`, `set_grad_enabled`).

One flag per thread, as in torch, read by `apply` on every op: `no_grad` in one thread leaves
the others recording, and every new thread starts with grad mode on. Each class works as a
context manager and as a decorator, as in torch.
"""
from __future__ import annotations

import functools
import threading


class _State(threading.local):
    def __init__(self):  # runs once in each thread that reads the flag
        self.enabled = True


state = _State()


def is_grad_enabled() -> bool:
    return state.enabled


class _GradModeContext:
    """Base for the three grad-mode switches: a context manager that is also a decorator."""

    mode: bool

    def __enter__(self):
        self.previous = state.enabled
        state.enabled = self.mode

    def __exit__(self, *exc):
        state.enabled = self.previous
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args()):
                return function(*args, **kwargs)
        return wrapper

    def _args(self):
        return ()

    def clone(self):
        return self.__class__(*self._args())


class no_grad(_GradModeContext):
    """Operations inside record nothing: their outputs have requires_grad=False."""

    mode = False


class enable_grad(_GradModeContext):
    """Turns recording back on inside a `no_grad` block."""

    mode = True


class set_grad_enabled(_GradModeContext):
    """Sets grad mode to `mode` at once; as a context manager, restores it on exit."""

    def __init__(self, mode: bool):
        self.previous = state.enabled
        self.mode = bool(mode)
        state.enabled = self.mode

    def __enter__(self):
        pass  # the mode was already set by __init__; __exit__ restores the one before it

    def __call__(self, function):
        state.enabled = self.previous  # as a decorator it must not change the mode now
        return super().__call__(function)

    def _args(self):
        return (self.mode,)


class inference_mode(no_grad):
    """Accepted as torch's faster no_grad; here it is exactly no_grad."""

    def __init__(self, mode: bool = True):
        self.mode = not mode

    def _args(self):
        return (not self.mode,)
