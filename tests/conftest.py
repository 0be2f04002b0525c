"""Shared test set-up: hypothesis profiles, the device fixture, the shared data folder, one
thread per library."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from parity.threads import threads

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


# ----------------------------------------------------------------------------- parity of one call

def _numpy_of(tensor):
    return tensor.detach().cpu().numpy()


def _weights(lib, tensor):
    """1, 2, 3, ... in the tensor's shape and dtype: a grad_output that tells elements apart."""
    return (lib.arange(tensor.numel(), dtype=tensor.dtype) + 1).reshape(tensor.shape)


def _same_as_torch(call, *arrays):
    """call(lib, *leaves), run by torch and by tinygrad_edu; the leaves are made from `arrays`
    (NumPy arrays or numbers; the floating ones require grad). Every output (one, or a tuple)
    must have torch's value, dtype, shape and requires_grad; then the floating outputs that
    require grad are backpropagated with the weights 1, 2, 3, ... and every leaf must get
    torch's gradient (or none where torch has none). Returns our output."""
    import numpy as np
    import torch

    import tinygrad_edu
    runs = []
    for lib in (torch, tinygrad_edu):
        leaves = [lib.tensor(a, requires_grad=np.asarray(a).dtype.kind == "f") for a in arrays]
        out = call(lib, *leaves)
        runs.append((out, tuple(out) if isinstance(out, tuple) else (out,), leaves))
    (_, expected, their_leaves), (ours, outputs, our_leaves) = runs
    assert len(outputs) == len(expected)
    for mine, theirs in zip(outputs, expected):
        if not isinstance(theirs, torch.Tensor):
            assert mine == theirs
            continue
        assert tuple(mine.shape) == tuple(theirs.shape)
        assert str(mine.dtype) == str(theirs.dtype)
        assert mine.requires_grad == theirs.requires_grad
        np.testing.assert_allclose(_numpy_of(mine), _numpy_of(theirs), rtol=1e-6, atol=1e-7)
    differentiable = [i for i, t in enumerate(expected)
                      if isinstance(t, torch.Tensor) and t.requires_grad]
    if differentiable:
        for lib, (_, results, _) in zip((torch, tinygrad_edu), runs):
            sum((results[i] * _weights(lib, results[i])).sum() for i in differentiable).backward()
    for mine, theirs in zip(our_leaves, their_leaves):
        if theirs.grad is None:
            assert mine.grad is None
            continue
        assert tuple(mine.grad.shape) == tuple(theirs.grad.shape)
        assert str(mine.grad.dtype) == str(theirs.grad.dtype)
        np.testing.assert_allclose(_numpy_of(mine.grad), _numpy_of(theirs.grad), rtol=1e-6,
                                   atol=1e-7)
    return ours


@pytest.fixture(scope="session")
def same_as_torch():
    """`same_as_torch(call, *arrays)`: one call compared with torch in value, dtype, shape,
    requires_grad and gradient (see _same_as_torch)."""
    return _same_as_torch


def _same_error_as_torch(call, exception=Exception):
    """call(lib) raises in torch and in tinygrad_edu the same exception type with the same
    message. Returns the message."""
    import torch

    import tinygrad_edu
    errors = []
    for lib in (torch, tinygrad_edu):
        with pytest.raises(exception) as error:
            call(lib)
        errors.append((type(error.value), str(error.value)))
    assert errors[0] == errors[1]
    return errors[0][1]


@pytest.fixture(scope="session")
def same_error_as_torch():
    """`same_error_as_torch(call, exception)`: torch's exception type and message."""
    return _same_error_as_torch


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


@pytest.fixture(autouse=True)
def one_thread():
    """The machines running the tests are small and shared: thread pools spinning on busy cores
    make the small batches of the tests several times slower (torch's, and the OpenBLAS of
    NumPy). One thread each; restored afterwards."""
    with threads(1):
        yield
