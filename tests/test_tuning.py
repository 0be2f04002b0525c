"""Platform tuning (_tuning.py): BLAS threads, the allocator, gradient and buffer reuse, and
TINYGRAD_EDU_TUNING=0, which turns all of it off."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch

import tinygrad_edu
from tinygrad_edu import _tuning
from tinygrad_edu.autograd import engine

GLIBC = hasattr(os, "confstr") and (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
needs_openblas = pytest.mark.skipif(_tuning._blas is None, reason="NumPy's BLAS is not OpenBLAS")


def _settings_in_new_process(**env) -> dict:
    code = ("import json, tinygrad_edu as t; "
            "print(json.dumps(dict(t._tuning.settings, threads=t.get_num_threads(), "
            "adopt=t.autograd.engine.adopt_gradient.__name__)))")
    clean = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS",
                                                               "OMP_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", code], env=dict(clean, **env),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@needs_openblas
def test_one_blas_thread_by_default_and_the_users_choice_otherwise():
    assert _settings_in_new_process()["threads"] == 1
    chosen = _settings_in_new_process(OPENBLAS_NUM_THREADS="2")
    assert "set by the user" in chosen["blas"]
    if (os.cpu_count() or 1) >= 2:  # OpenBLAS uses no more threads than cores
        assert chosen["threads"] == 2


@needs_openblas
def test_set_num_threads_round_trip():
    before = tinygrad_edu.get_num_threads()
    wanted = 2 if before == 1 else 1
    try:
        tinygrad_edu.set_num_threads(wanted)
        assert tinygrad_edu.get_num_threads() == min(wanted, os.cpu_count() or 1)
    finally:
        tinygrad_edu.set_num_threads(before)


@pytest.mark.parametrize("count", [0, -1, 1.5, "2", True])
def test_set_num_threads_rejects_what_torch_rejects(count):
    with pytest.raises(RuntimeError) as theirs:
        torch.set_num_threads(count)
    with pytest.raises(RuntimeError) as ours:
        tinygrad_edu.set_num_threads(count)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.skipif(not GLIBC, reason="the allocator is tuned on glibc only")
def test_malloc_is_tuned_unless_the_user_tuned_it():
    assert _settings_in_new_process()["malloc"] == "glibc thresholds raised"
    for env in ({"TINYGRAD_EDU_MALLOPT": "0"}, {"MALLOC_TRIM_THRESHOLD_": "1000000"},
                {"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=1000000"}):
        assert _settings_in_new_process(**env)["malloc"] == "left alone (set by the user)"


PAGE_FAULTS = """
import resource, tinygrad_edu, numpy as np
def step():  # arrays the size of a small CNN's im2col columns, freed and made again
    a = np.ones((144, 3136), np.float32)
    b = np.ones((16, 16, 16, 64), np.float32)
    c = np.ones((64, 16, 14, 14), np.float32)
    del a, b
    return c, np.ones((144, 3136), np.float32)
for _ in range(5):
    step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    step()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 50)
"""


@pytest.mark.skipif(not GLIBC, reason="the allocator is tuned on glibc only")
def test_freed_arrays_are_reused_without_page_faults():
    def faults(**env):
        done = subprocess.run([sys.executable, "-c", PAGE_FAULTS], env=dict(os.environ, **env),
                              capture_output=True, text=True, check=True)
        return float(done.stdout)
    assert faults() < 10 < faults(TINYGRAD_EDU_MALLOPT="0")


def test_tuning_is_applied_by_default():
    settings = _settings_in_new_process()
    assert settings["adopt"] == "_adopt_if_unshared"
    assert settings["conv_buffers"] == "kept between calls"
    assert engine.adopt_gradient is _tuning._adopt_if_unshared
    assert _tuning.keep_conv_buffers


def test_tuning_off_leaves_the_process_and_the_engine_alone():
    settings = _settings_in_new_process(TINYGRAD_EDU_TUNING="0")
    assert settings["adopt"] == "adopt_gradient"  # the engine's own: always a copy
    assert all(value == "off (TINYGRAD_EDU_TUNING=0)" for key, value in settings.items()
               if key in ("blas", "malloc", "gradients", "conv_buffers"))


def test_training_gives_the_same_numbers_with_and_without_tuning():
    code = ("import json, tinygrad_edu as t; t.manual_seed(0); "
            "m = t.nn.Sequential(t.nn.Conv2d(1, 2, 3), t.nn.ReLU(), t.nn.Flatten(), "
            "t.nn.Linear(8, 3)); opt = t.optim.SGD(m.parameters(), lr=0.1); "
            "x = t.randn(4, 1, 4, 4); y = t.tensor([0, 1, 2, 0])\n"
            "for _ in range(3):\n"
            "    opt.zero_grad(); loss = t.nn.functional.cross_entropy(m(x), y); "
            "loss.backward(); opt.step()\n"
            "print(json.dumps([p.grad.tolist() for p in m.parameters()] + [loss.item()]))")
    runs = [subprocess.run([sys.executable, "-c", code], env=dict(os.environ, **env),
                           capture_output=True, text=True, check=True).stdout
            for env in ({}, {"TINYGRAD_EDU_TUNING": "0"})]
    assert json.loads(runs[0]) == json.loads(runs[1])
