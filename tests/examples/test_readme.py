"""README.md keeps its promises: the set-up commands come first, the quickstart runs, the
tutorial table lists every example, and every file it links to exists."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()


def code_block_after(heading: str) -> str:
    section = README.split(f"\n## {heading}\n", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_two_set_up_commands_come_first():
    assert README.startswith('# tinygrad_edu\n\n```bash\npip install -e ".[dev]"\npytest\n```\n')


def test_the_quickstart_runs_and_learns(tmp_path):
    code = code_block_after("Quickstart")
    assert len(code.strip().splitlines()) <= 13
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert done.returncode == 0, done.stderr
    loss, node = done.stdout.split(" ", 1)
    assert float(loss) < 0.5 and node.startswith("<NllLossBackward0 object")


def test_the_tutorial_table_lists_every_example():
    scripts = sorted(p.name for p in (REPO / "examples").glob("[0-9][0-9]_*.py"))
    linked = re.findall(r"\| \[`(\d\d_\w+\.py)`\]\(examples/\1\) \|", README)
    assert linked == scripts


def test_every_linked_file_exists():
    targets = re.findall(r"\]\(((?:tinygrad_edu|examples|parity|tests)/[^)#]*)\)", README)
    assert len(targets) > 10
    missing = [target for target in targets if not (REPO / target).exists()]
    assert not missing


def test_the_performance_section_is_there_for_the_benchmark_run():
    assert "\n## Performance\n" in README
