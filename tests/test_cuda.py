"""tinygrad_edu.cuda without a GPU: it says so; with one (cuda marker), it answers."""
from __future__ import annotations

import pytest

import tinygrad_edu as tg
from tinygrad_edu import backend


def test_is_available_matches_the_backend():
    assert tg.cuda.is_available() == backend.cuda_available()
    assert tg.cuda.device_count() == (backend.cuda_device_count() if tg.cuda.is_available()
                                      else 0)


@pytest.mark.skipif(backend.cuda_available(), reason="this machine has a GPU")
def test_asking_for_cuda_without_a_gpu_names_what_is_missing():
    with pytest.raises(RuntimeError, match="CUDA was requested but"):
        tg.zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match="CuPy is not installed|no CUDA GPU"):
        tg.ones(2).cuda()


@pytest.mark.cuda
def test_device_queries_with_a_gpu():
    assert tg.cuda.device_count() >= 1
    assert isinstance(tg.cuda.get_device_name(0), str)
    tg.cuda.synchronize()
    with tg.cuda.device(0):
        assert tg.cuda.current_device() == 0
