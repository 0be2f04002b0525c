"""Shared test set-up: hypothesis profiles, the device fixture, the shared data folder."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# `ci`: deterministic and moderate (selected when CI is set); `dev`: the default for local runs;
# `deep`: many examples, for long local runs (HYPOTHESIS_PROFILE=deep pytest).
settings.register_profile("ci", derandomize=True, max_examples=20, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile("dev", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else
                                     "dev"))

REPO = Path(__file__).resolve().parent.parent


def load_fake_cupy():
    """tests/cuda/fake_cupy.py, the NumPy-backed stand-in for CuPy (tests are not a package)."""
    module = sys.modules.get("fake_cupy")
    if module is None:
        spec = importlib.util.spec_from_file_location("fake_cupy",
                                                      REPO / "tests" / "cuda" / "fake_cupy.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["fake_cupy"] = module
        spec.loader.exec_module(module)
    return module


# TINYGRAD_EDU_FAKE_CUDA=1: the whole run on the fake CuPy, so that every `cuda` case runs on a
# machine without a GPU (a developer's check of the GPU code paths; CI runs tests/cuda only).
FAKE_CUDA = bool(os.environ.get("TINYGRAD_EDU_FAKE_CUDA"))
if FAKE_CUDA:
    load_fake_cupy().install()
    os.environ.setdefault("PARITY_TORCH_DEVICE", "cpu")  # torch itself has no fake GPU


def _cuda_available() -> bool:
    from tinygrad_edu import backend
    return backend.cuda_available()


def pytest_collection_modifyitems(config, items):
    if _cuda_available():
        return
    reason = pytest.mark.skip(reason="no CUDA GPU with CuPy on this machine")
    for item in items:
        if item.get_closest_marker("cuda"):  # the marker (the keyword would match tests/cuda)
            item.add_marker(reason)


@pytest.fixture
def fake_cuda():
    """The fake CuPy installed for one test (tests/cuda/fake_cupy.py says what it checks),
    with its transfer counters at zero; the real backend state is restored afterwards."""
    fake = load_fake_cupy()
    if FAKE_CUDA:  # installed for the whole run already
        fake.reset_transfers()
        yield fake
        fake.set_device_count(1)
        return
    fake.install()
    try:
        yield fake
    finally:
        fake.uninstall()


@pytest.fixture(scope="session", params=["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])
def device(request) -> str:
    """Runs a test once on the CPU and once on CUDA (skipped with a reason without a GPU).
    Session-scoped (it is only a string), so that hypothesis tests may use it too."""
    return request.param


def shared_data_dir() -> Path | None:
    env = os.environ.get("TINYGRAD_EDU_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "data")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture
def shared_data() -> Path:
    """../shared/data (the 10,000 real MNIST digits); skips when it is not beside the repo."""
    path = shared_data_dir()
    if path is None:
        pytest.skip("../shared/data is not present (set TINYGRAD_EDU_SHARED_DATA)")
    return path


def _raises_as_torch(call, phrase: str):
    """call(lib) must raise in torch and in tinygrad_edu, the same exception type, and both
    messages must contain `phrase` (torch's key phrase: the check fails if torch changes it)."""
    import torch

    import tinygrad_edu
    errors = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(Exception) as caught:
            call(lib)
        errors.append(caught.value)
    theirs, ours = errors
    assert type(ours).__name__ == type(theirs).__name__, (repr(ours), repr(theirs))
    assert phrase in str(theirs), repr(theirs)
    assert phrase in str(ours), repr(ours)
    return ours


@pytest.fixture
def raises_as_torch():
    """The check `raises_as_torch(call, phrase)`: see _raises_as_torch."""
    return _raises_as_torch
