"""The line budget (STYLE.md rule 7): small files, and a core one can read in an afternoon."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_FILE_LINES = 450  # "no file much over ~400 lines"
CORE = ["tinygrad_edu/backend.py", "tinygrad_edu/dtypes.py", "tinygrad_edu/tensor.py",
        "tinygrad_edu/autograd", "tinygrad_edu/ops/_broadcast.py",
        "tinygrad_edu/ops/elementwise.py", "tinygrad_edu/ops/piecewise.py",
        "tinygrad_edu/ops/reduce.py", "tinygrad_edu/ops/movement.py",
        "tinygrad_edu/ops/indexing.py", "tinygrad_edu/ops/linalg.py"]
MAX_CORE_LINES = 4200  # backend, tensor, autograd engine and the core primitives


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def _python_files(entry: str):
    path = ROOT / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def test_no_source_file_is_much_over_400_lines():
    too_long = {str(p.relative_to(ROOT)): _lines(p)
                for package in ("tinygrad_edu", "parity", "benchmarks", "examples")
                for p in _python_files(package) if _lines(p) > MAX_FILE_LINES}
    assert not too_long, f"split these files along their topics: {too_long}"


def test_the_core_stays_readable_in_an_afternoon():
    total = sum(_lines(p) for entry in CORE for p in _python_files(entry))
    assert total <= MAX_CORE_LINES, f"the core grew to {total} lines"
