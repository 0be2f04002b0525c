"""On a real GPU (CuPy and a CUDA device; skipped with the reason elsewhere): what the fake
CuPy of test_fake_cuda.py cannot prove. scripts/gpu_check.sh runs these with the rest.

Torch parity on the GPU is checked by the `cuda` cases of the op registries, the layer tests,
the optimizer trajectories and the lockstep runs (tests/parity/test_lockstep.py); here: hidden
copies under CuPy's own synchronisation detector, CuPy's scatter_add, the device API.
"""
from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu
from tinygrad_edu import arrays, backend

pytestmark = pytest.mark.cuda


def _cnn():
    nn = tinygrad_edu.nn
    return nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(6, 16, 5),
                         nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(256, 120),
                         nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_a_cnn_training_step_never_waits_for_the_gpu(optimizer):
    """CuPy raises DeviceSynchronized for any device-to-host copy inside the block: the step
    itself copies nothing; only the user's .item() after it does (counted by the backend)."""
    cupyx = pytest.importorskip("cupyx")
    if not hasattr(cupyx, "allow_synchronize"):
        pytest.skip("this CuPy has no allow_synchronize (removed after its deprecation)")
    net = _cnn().cuda()
    options = {"lr": 0.01, "momentum": 0.9} if optimizer == "SGD" else {"lr": 1e-3}
    opt = getattr(tinygrad_edu.optim, optimizer)(net.parameters(), **options)
    x = tinygrad_edu.randn(64, 1, 28, 28, device="cuda")
    y = tinygrad_edu.randint(0, 10, (64,), device="cuda")
    losses = []
    for step in range(3):
        before = dict(backend.transfer_count)
        with cupyx.allow_synchronize(False):
            opt.zero_grad()
            loss = tinygrad_edu.nn.functional.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
        assert backend.transfer_count == before, f"step {step} copied between host and device"
        losses.append(loss.item())
        assert backend.transfer_count["device_to_host"] == before["device_to_host"] + 1
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]


@pytest.mark.parametrize("dtype", ["int64", "int32", "float32", "float64", "uint8", "bool"])
def test_scatter_add_on_the_gpu_adds_repeated_indices(dtype):
    """cupyx.scatter_add lacks int64, uint8 and bool: the backend goes around it."""
    target = np.zeros(4, dtype=dtype)
    index = np.array([0, 2, 2, 3, 0, 0])
    values = np.ones(6, dtype=dtype)
    expected = target.copy()
    arrays.scatter_add(expected, index, values)
    gpu = tinygrad_edu.device("cuda:0")
    on_gpu = backend.to_device(target, gpu)
    arrays.scatter_add(on_gpu, backend.to_device(index, gpu), backend.to_device(values, gpu))
    assert np.array_equal(backend.to_device(on_gpu, backend.CPU), expected)


def test_the_device_api_on_a_gpu():
    cuda = tinygrad_edu.cuda
    assert cuda.is_available() and cuda.device_count() >= 1
    assert isinstance(cuda.get_device_name(0), str) and cuda.get_device_properties(0).name
    with cuda.device(0):
        assert cuda.current_device() == 0
    cuda.synchronize()
    assert tinygrad_edu.accelerator.current_accelerator() == tinygrad_edu.device("cuda")
    x = tinygrad_edu.ones(3, device="cuda")
    assert str(x.device) == "cuda:0" and x.cpu().tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(TypeError, match="Use Tensor.cpu()"):
        x.numpy()
    with pytest.raises(RuntimeError, match="cuda:0 and cpu!"):
        x + tinygrad_edu.ones(3)


def test_data_parallel_on_the_gpu_trains_like_the_module():
    tinygrad_edu.manual_seed(0)
    inner = tinygrad_edu.nn.Linear(4, 2)
    reference = tinygrad_edu.nn.Linear(4, 2)
    reference.load_state_dict(inner.state_dict())
    model = tinygrad_edu.nn.DataParallel(inner, device_ids=[0])
    assert model.device_ids == [0] and inner.weight.device == tinygrad_edu.device("cuda:0")
    x = tinygrad_edu.randn(8, 4)
    out = model(x)
    assert out.device.type == "cuda"
    assert np.allclose(out.detach().cpu().numpy(), reference(x).detach().numpy(), atol=1e-6)


@pytest.mark.parametrize("script", ["06_optim_adam", "09_mnist_cnn", "10_lenet",
                                    "11_classifier"])
def test_the_tutorials_run_on_the_gpu(script, tmp_path):
    """The examples' smoke runs with --device cuda (as the tutorials' 'use your GPU' parts)."""
    if getattr(backend._cupy_module, "__fake__", False):
        pytest.skip("the fake CuPy of a TINYGRAD_EDU_FAKE_CUDA run lives in this process only")
    import os  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo),
                                                        os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(repo / "examples" / f"{script}.py"), "--smoke",
                           "--device", "cuda"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
