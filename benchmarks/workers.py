"""The driver's end of the contestants that run in processes of their own (protocol: worker.py).

    MyGrad       mygrad_worker.py, in MyGrad's own venv (a peer, never a dependency)
    torch alone  torch_worker.py, this Python: torch without tinygrad_edu in its process
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MYGRAD_PYTHON = "MYGRAD_PYTHON"  # the environment variable that names MyGrad's Python


class Worker:
    """A worker process kept for the whole run; `contestant(...)` times one of its models."""

    def __init__(self, python, script: Path, threads: int, clock: str):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
                   TORCH_THREADS=str(threads), BENCH_CLOCK=clock)
        self.script = script.name
        self.process = subprocess.Popen([str(python), str(script)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=env)

    def _ask(self, line: str) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the worker {self.script} stopped (exit status "
                               f"{self.process.poll()})")
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


def start_mygrad(python, threads: int, clock: str):
    """A MyGrad worker on `python` (else $MYGRAD_PYTHON), or (None, why not) when neither names
    a Python, it is missing, or MyGrad fails to load in it."""
    python = python or os.environ.get(MYGRAD_PYTHON)
    if not python:
        return None, (f"left out: no --mygrad-python or ${MYGRAD_PYTHON} (python -m venv VENV && "
                      "VENV/bin/pip install mygrad, then --mygrad-python VENV/bin/python)")
    python = Path(python)
    if not python.exists():
        return None, f"no MyGrad Python at {python} (--mygrad-python or ${MYGRAD_PYTHON})"
    check = subprocess.run([str(python), "-c", "import mygrad; print(mygrad.__version__)"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        return None, f"MyGrad does not import in {python}: {check.stderr.strip()[-200:]}"
    return (Worker(python, HERE / "mygrad_worker.py", threads, clock),
            f"MyGrad {check.stdout.strip()} ({python})")


def start_torch_alone(threads: int, clock: str) -> Worker:
    """torch in a process of its own (torch_worker.py), with glibc's default allocator."""
    return Worker(sys.executable, HERE / "torch_worker.py", threads, clock)


if __name__ == "__main__":  # a manual check: python -m benchmarks.workers
    worker, note = start_mygrad(None, 1, "wall")
    print(note)
    for each in (worker, start_torch_alone(1, "wall")):
        if each is not None:
            print(each.script, each.contestant("mlp", 64, True)(10))
            each.close()
