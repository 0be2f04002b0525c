"""`python -m benchmarks --quick --json` runs end to end and reports every family in its shape.

Timings are never checked here (they depend on the machine and its load); only that each figure
the README's tables are made of is there, positive, and labelled."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SUMMARY_KEYS = {"median", "min", "max", "runs", "calls"}


@pytest.fixture(scope="module")
def report():
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _is_summary(times: dict) -> bool:
    return set(times) == SUMMARY_KEYS and 0 < times["min"] <= times["median"] <= times["max"]


def test_meta_says_how_it_was_measured(report):
    meta = report["meta"]
    for key in ("cpu", "cores", "date", "python", "numpy", "torch", "threads", "clock", "rounds",
                "mygrad", "command"):
        assert key in meta
    assert meta["quick"] is True and meta["command"].startswith("python -m benchmarks")


def test_training_rows_have_every_contestant_and_ratio(report):
    rows = report["results"]["training"]
    assert {row["mode"] for row in rows} == {"train", "infer"}
    assert {row["model"] for row in rows} == {"logistic", "mlp", "cnn", "lenet"}
    for row in rows:
        assert {"ours", "torch", "torch-alone", "numpy"} <= set(row["times"])
        assert all(_is_summary(times) for times in row["times"].values())
        for other in ("torch", "torch-alone", "numpy"):
            assert row["ratios"][f"ours/{other}"] > 0
        if "mygrad" in row["times"]:
            assert row["ratios"]["ours/mygrad"] > 0


def test_epoch_loader_overhead_and_scaling_sections(report):
    results = report["results"]
    epoch = results["epoch"]
    assert {"numpy", "ours", "torch"} == set(epoch["loader"]["times"])
    assert epoch["loader"]["ratios"]["ours/numpy"] > 0
    for model in ("logistic", "cnn"):
        assert _is_summary(epoch[model]["times"]["ours"]) and epoch[model]["ratios"]["ours/torch"]
    overhead = results["overhead"]
    assert set(overhead["per_op"]) == {"forward", "forward+backward", "no_grad forward"}
    assert _is_summary(overhead["long_backward"]["times"]["torch"])
    scaling = results["scaling"]
    assert len(scaling["batch"]) >= 2 and len(scaling["depth"]) >= 2
    assert all(row["ratios"]["ours/torch"] > 0 for row in scaling["batch"] + scaling["depth"])
    recurrent = results["recurrent"]
    assert [(row["layer"], row["packed"]) for row in recurrent["cases"]] == \
        [("LSTM", False), ("GRU", False), ("LSTM", True)]
    for row in recurrent["cases"]:
        assert all(_is_summary(times) for times in row["times"].values())
        assert row["ratios"]["ours/torch"] > 0
    transformer = results["transformer"]
    assert [row["causal"] for row in transformer["cases"]] == [False, True]
    assert transformer["size"]["d_model"] == 128 and transformer["size"]["nhead"] == 4
    for row in transformer["cases"]:
        assert all(_is_summary(times) for times in row["times"].values())
        assert row["ratios"]["ours/torch"] > 0


def test_memory_was_measured_in_separate_processes(report):
    memory = report["results"]["memory"]
    for name in ("ours", "torch"):
        assert memory[name]["lib"] == name
        assert 0 < memory[name]["rss_ready"] <= memory[name]["rss_peak"]
    assert memory["ours"]["traced_peak"] > 0 and "traced_peak" not in memory["torch"]


def test_every_target_is_listed_with_a_verdict(report):
    targets = report["targets"]
    assert len(targets) >= 20
    for target in targets:
        assert target["holds"] in (True, False, None)
        assert (target["value"] is None) == (target["holds"] is None)
