"""Shared test set-up: hypothesis profiles, the device fixture, the shared data folder."""
from __future__ import annotations

import os
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


def _cuda_available() -> bool:
    from tinygrad_edu import backend
    return backend.cuda_available()


def pytest_collection_modifyitems(config, items):
    if _cuda_available():
        return
    reason = pytest.mark.skip(reason="no CUDA GPU with CuPy on this machine")
    for item in items:
        if "cuda" in item.keywords:
            item.add_marker(reason)


@pytest.fixture(params=["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])
def device(request) -> str:
    """Runs a test once on the CPU and once on CUDA (skipped with a reason without a GPU)."""
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
