"""pytest's `--parity-steps N`: run every parity.lockstep() of a test session N steps deep.

A lockstep test is one line, kept short for CI:

    def test_my_net():
        parity.lockstep(build_my_net, data, steps=20).assert_ok()

and locally, deeper: `pytest --parity-steps 500`, or `PARITY_STEPS=500 pytest` (the variable
works without this plugin). To get the option, add one line to your conftest.py:

    pytest_plugins = ["parity.pytest_plugin"]

The option sets PARITY_STEPS for the session (parity.api.steps_from_environment reads it), so
that it reaches every lockstep() call, and puts the variable back as it was at the end.
"""
from __future__ import annotations

import os

import pytest

from .api import STEPS_VARIABLE

_PREVIOUS = "_parity_steps_previous"


def pytest_addoption(parser) -> None:
    parser.addoption("--parity-steps", type=int, default=None, metavar="N",
                     help="run every parity.lockstep() for N steps instead of the steps its "
                     f"test asks for (the same as {STEPS_VARIABLE}=N)")


def pytest_configure(config) -> None:
    steps = config.getoption("--parity-steps")
    if steps is None:
        return
    if steps < 1:
        raise pytest.UsageError(f"--parity-steps must be at least 1, got {steps}")
    setattr(config, _PREVIOUS, os.environ.get(STEPS_VARIABLE))
    os.environ[STEPS_VARIABLE] = str(steps)


def pytest_unconfigure(config) -> None:
    if not hasattr(config, _PREVIOUS):
        return
    previous = getattr(config, _PREVIOUS)
    if previous is None:
        os.environ.pop(STEPS_VARIABLE, None)
    else:
        os.environ[STEPS_VARIABLE] = previous
