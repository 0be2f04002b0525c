"""Without a GPU (CI): the device API answers as CPU-only torch does, and says what is missing.

Compared with the installed torch, a CPU build, which answers the same questions on the same
machine. Skipped where a GPU (or the fake CuPy of a TINYGRAD_EDU_FAKE_CUDA run) is present.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import tinygrad_edu
from tinygrad_edu import backend

pytestmark = pytest.mark.skipif(backend.cuda_available(), reason="this machine has a GPU")


def test_availability_answers_as_cpu_torch():
    assert tinygrad_edu.cuda.is_available() is torch.cuda.is_available() is False
    assert tinygrad_edu.cuda.device_count() == torch.cuda.device_count() == 0
    assert tinygrad_edu.accelerator.is_available() is torch.accelerator.is_available()
    assert tinygrad_edu.accelerator.current_accelerator() is None
    assert torch.accelerator.current_accelerator() is None
    assert tinygrad_edu.accelerator.device_count() == torch.accelerator.device_count() == 0


@pytest.mark.parametrize("call", ["current_device_index", "synchronize"])
def test_accelerator_calls_that_need_a_device_raise_torchs_error(call):
    with pytest.raises(RuntimeError) as theirs:
        getattr(torch.accelerator, call)()
    with pytest.raises(RuntimeError) as ours:
        getattr(tinygrad_edu.accelerator, call)()
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("call", [
    lambda t: t.zeros(2, device="cuda"), lambda t: t.ones(2).cuda(),
    lambda t: t.ones(2).to("cuda:0"), lambda t: t.nn.Linear(2, 2).cuda(),
    lambda t: t.cuda.current_device(), lambda t: t.cuda.get_device_name(0),
    lambda t: t.cuda.synchronize(), lambda t: t.cuda.set_device(0),
])
def test_asking_for_the_gpu_says_what_is_missing(call):
    with pytest.raises(RuntimeError, match=r"^CUDA was requested but (CuPy is not installed: "
                       r"pip install 'tinygrad_edu\[gpu\]'|no CUDA GPU is available)"):
        call(tinygrad_edu)


def test_seeding_the_gpu_without_one_is_harmless_as_in_torch():
    tinygrad_edu.manual_seed(0)
    expected = tinygrad_edu.randn(3).numpy()
    tinygrad_edu.manual_seed(0)
    tinygrad_edu.cuda.manual_seed(1)
    tinygrad_edu.cuda.manual_seed_all(2)
    torch.cuda.manual_seed_all(2)
    assert np.array_equal(tinygrad_edu.randn(3).numpy(), expected)  # the CPU stream untouched
    tinygrad_edu.cuda.empty_cache()


def test_the_tutorials_device_line_picks_the_cpu():
    device = tinygrad_edu.device("cuda:0" if tinygrad_edu.cuda.is_available() else "cpu")
    assert tinygrad_edu.ones(2, device=device).device == tinygrad_edu.device("cpu")
    device = (tinygrad_edu.accelerator.current_accelerator().type
              if tinygrad_edu.accelerator.is_available() else "cpu")
    assert device == "cpu"


def test_data_parallel_without_a_gpu_is_a_transparent_wrapper():
    tinygrad_edu.manual_seed(0)
    inner = tinygrad_edu.nn.Sequential(tinygrad_edu.nn.Linear(4, 3), tinygrad_edu.nn.ReLU())
    model = tinygrad_edu.nn.DataParallel(inner)
    theirs = torch.nn.DataParallel(torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU()))
    assert model.module is inner and model.device_ids == theirs.device_ids == []
    assert list(model.state_dict()) == list(theirs.state_dict())  # 'module.0.weight', ...
    assert repr(model) == repr(theirs)
    x = tinygrad_edu.randn(5, 4)
    assert np.array_equal(model(x).detach().numpy(), inner(x).detach().numpy())
    model(x).sum().backward()
    assert inner[0].weight.grad is not None
    assert isinstance(tinygrad_edu.nn.parallel.DataParallel(inner), tinygrad_edu.nn.Module)


def test_device_objects_answer_as_torchs():
    for spec in ("cuda", "cuda:1", "cpu"):
        ours, theirs = tinygrad_edu.device(spec), torch.device(spec)
        assert (str(ours), repr(ours), ours.type, ours.index) == \
            (str(theirs), repr(theirs), theirs.type, theirs.index)
    assert tinygrad_edu.device("cuda", 1) == tinygrad_edu.device("cuda:1")
    assert tinygrad_edu.device("cuda") != tinygrad_edu.device("cuda:0")  # as in torch


def test_pinning_memory_without_a_gpu_raises_as_torch():
    assert tinygrad_edu.ones(2).is_pinned() is torch.ones(2).is_pinned() is False
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(2).pin_memory()
    with pytest.raises(RuntimeError) as ours:
        tinygrad_edu.ones(2).pin_memory()
    assert str(ours.value) == str(theirs.value)
