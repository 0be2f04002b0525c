"""A user's lockstep test is one line; `pytest --parity-steps N` (the plugin, from one line of
conftest.py) or PARITY_STEPS=N runs it deeper. Run as the user would: a fresh pytest process in
a folder of their own."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

USER_TEST = '''
import numpy as np
import parity

rng = np.random.default_rng(0)
data = (rng.standard_normal((64, 5)), rng.integers(0, 2, 64))


def build_my_net(nn):
    return nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 2))


def test_my_net():
    result = parity.lockstep(build_my_net, data, steps=2, batch_size=16)
    result.assert_ok()
    print("STEPS", len(result.records))


def test_a_planted_failure_shows_where():
    def build(lib):
        return lib.nn.Linear(5, 2, bias=lib.__name__ == "torch")
    parity.lockstep(build, data, steps=2).assert_ok()
'''


def run_pytest(folder: Path, *args: str, environment: dict | None = None):
    env = {key: value for key, value in os.environ.items() if key != "PARITY_STEPS"}
    env.update({"PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}, **(environment or {}))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                           "test_user.py", *args], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=180)


def user_folder(tmp_path: Path, plugin: bool) -> Path:
    (tmp_path / "test_user.py").write_text(USER_TEST)
    if plugin:  # the documented one-line conftest.py
        (tmp_path / "conftest.py").write_text('pytest_plugins = ["parity.pytest_plugin"]\n')
    return tmp_path


def test_the_option_deepens_the_one_line_test_and_failures_say_where(tmp_path):
    folder = user_folder(tmp_path, plugin=True)
    done = run_pytest(folder, "--parity-steps", "5")
    assert "STEPS 5" in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 failed, 1 passed" in done.stdout
    assert "LockstepError: the two builds differ" in done.stdout  # the planted failure


def test_the_environment_variable_works_without_the_plugin(tmp_path):
    folder = user_folder(tmp_path, plugin=False)
    done = run_pytest(folder, "-k", "my_net", environment={"PARITY_STEPS": "4"})
    assert done.returncode == 0 and "STEPS 4" in done.stdout, done.stdout[-3000:]
