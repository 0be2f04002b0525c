"""README.md keeps its promises: the set-up commands come first, the first run and the quickstart
work as written, the tutorial table lists every example, the reading order is the core's, every
file it links to exists, and it stays short, with the detail in benchmarks/ and parity/."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
PARITY_README = (REPO / "parity" / "README.md").read_text()
BENCHMARKS_README = (REPO / "benchmarks" / "README.md").read_text()
MAX_README_LINES = 220


def section(heading: str, text: str = README) -> str:
    """The text under `## heading`, up to the next `## ` heading."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def code_block(text: str, language: str) -> str:
    return re.search(rf"```{language}\n(.*?)```", text, re.S).group(1)


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(REPO), "PATH": ""})


def test_the_two_set_up_commands_come_first():
    assert README.startswith('# tinygrad_edu\n\n```bash\npip install -e ".[dev]"\npytest\n```\n')


def test_the_first_run_installs_runs_parity_and_tests_each_with_its_duration():
    lines = code_block(section("First run"), "bash").strip().splitlines()
    commands = [line.split("#", 1)[0].strip() for line in lines]
    assert commands == ['pip install -e ".[dev]"', "python -m parity --model all --steps 60",
                        "pytest"]
    assert all("#" in line for line in lines), "each command says how long it takes"


def test_the_quickstart_runs_and_learns(tmp_path):
    code = code_block(section("Quickstart"), "python")
    assert len(code.strip().splitlines()) <= 13
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    loss, node = done.stdout.split(" ", 1)
    assert float(loss) < 0.5 and node.startswith("<NllLossBackward0 object")


def test_the_tutorial_table_lists_every_example():
    scripts = sorted(p.name for p in (REPO / "examples").glob("[0-9][0-9]_*.py"))
    linked = re.findall(r"\| \[`(\d\d_\w+\.py)`\]\(examples/\1\) \|", README)
    assert linked == scripts


def test_every_linked_file_exists():
    targets = re.findall(r"\]\(((?:tinygrad_edu|examples|parity|benchmarks|tests)/[^)#]*)\)",
                         README)
    assert len(targets) > 10
    missing = [target for target in targets if not (REPO / target).exists()]
    assert not missing


def test_the_readme_is_short_and_links_the_detail():
    assert len(README.splitlines()) <= MAX_README_LINES
    assert "](benchmarks/README.md)" in README and "](parity/README.md)" in README
    assert "| train | logistic | 64 |" in BENCHMARKS_README  # the tables the benchmarks make
    assert "\n## Tolerances\n" in PARITY_README and "\n## Mutation testing\n" in PARITY_README


@pytest.mark.parametrize("path", ["README.md", "benchmarks/README.md", "parity/README.md",
                                  "scripts/gpu_check.sh"])
def test_the_text_speaks_of_the_project_only(path):
    """No path of one particular machine, no issue numbers."""
    text = (REPO / path).read_text()
    found = re.findall(r"/work\b|/root\b|/home\b|/tmp\b|#[0-9]+|issue [0-9]", text)
    assert not found


def test_the_mutation_example_of_the_parity_readme_runs(tmp_path):
    code = code_block(section("Mutation testing", PARITY_README), "python")
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("step 0") and "fc1.weight" in done.stdout
