"""The driver's end of the MyGrad worker (mygrad_worker.py, in MyGrad's own venv)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DEFAULT_PYTHON = Path("/tmp/mygrad-venv/bin/python")
WORKER = Path(__file__).resolve().parent / "mygrad_worker.py"


class MyGrad:
    """A MyGrad process kept for the whole run; `contestant(...)` times one of its models."""

    def __init__(self, python: Path, threads: int, clock: str):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
                   BENCH_CLOCK=clock)
        self.process = subprocess.Popen([str(python), str(WORKER)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=env)

    def _ask(self, line: str) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the MyGrad worker stopped (exit status {self.process.poll()})")
        return answer.strip()

    def contestant(self, model: str, size: int, train: bool):
        key = f"{model} {size} {'train' if train else 'infer'}"
        self._ask(f"setup {key}")

        def run(calls: int) -> float:
            return float(self._ask(f"run {key} {calls}"))
        return run

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def start(python, threads: int, clock: str):
    """A MyGrad worker, or (None, why not) when its venv is missing or MyGrad fails to load."""
    python = Path(python) if python else DEFAULT_PYTHON
    if not python.exists():
        return None, (f"no MyGrad venv at {python} (python -m venv /tmp/mygrad-venv && "
                      "/tmp/mygrad-venv/bin/pip install mygrad)")
    check = subprocess.run([str(python), "-c", "import mygrad; print(mygrad.__version__)"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        return None, f"MyGrad does not import in {python}: {check.stderr.strip()[-200:]}"
    return MyGrad(python, threads, clock), f"MyGrad {check.stdout.strip()} ({python})"


if __name__ == "__main__":  # a manual check: python -m benchmarks.mygrad_side
    worker, note = start(None, 1, "wall")
    print(note)
    if worker is not None:
        print(worker.contestant("mlp", 64, True)(10))
        worker.close()
    sys.exit(0)
