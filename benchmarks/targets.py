"""The performance targets of the benchmark suite, checked against a run's results: training
steps, per-op overhead, epochs and memory against torch, NumPy by hand and MyGrad.

Each target is a ratio of medians that must stay at or below a limit (strictly below for "<").
A target whose figure the run did not measure (--only, --quick sizes) is reported as such.
"""
from __future__ import annotations

STEP_LIMITS_64 = {"logistic": 0.45, "mlp": 0.75, "cnn": 0.9, "lenet": 1.0}


def _training(rows: list, model: str, size: int, key: str):
    for row in rows:
        if row["model"] == model and row["batch"] == size and row["mode"] == "train":
            return row["ratios"].get(key)
    return None


def _get(results: dict, *path):
    node = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def check(results: dict) -> list:
    found = []

    def target(name: str, value, limit: float, strict: bool = False):
        holds = None if value is None else (value < limit if strict else value <= limit)
        found.append({"target": name, "value": value, "limit": limit,
                      "comparison": "<" if strict else "<=", "holds": holds})

    rows = results.get("training", [])
    for torch in ("torch", "torch-alone"):  # torch in our process, and torch as users run it
        for model, limit in STEP_LIMITS_64.items():
            target(f"train step {model} batch 64, ours/{torch}",
                   _training(rows, model, 64, f"ours/{torch}"), limit)
        for model in STEP_LIMITS_64:
            target(f"train step {model} batch 256, ours/{torch}",
                   _training(rows, model, 256, f"ours/{torch}"), 1.0)
    for model in STEP_LIMITS_64:
        for size in (64, 256):
            target(f"train step {model} batch {size}, ours/mygrad",
                   _training(rows, model, size, "ours/mygrad"), 1.0, strict=True)
    overhead = results.get("overhead", {})
    target("per-op forward+backward, ours/torch",
           _get(overhead, "per_op", "forward+backward", "ratios", "ours/torch"), 1.0)
    target("100,000-op chain backward, ours/torch",
           _get(overhead, "long_backward", "ratios", "ours/torch"), 1.0)
    epoch = results.get("epoch", {})
    target("DataLoader epoch, ours/numpy fancy indexing",
           _get(epoch, "loader", "ratios", "ours/numpy"), 1.2)
    for model in ("logistic", "cnn"):
        target(f"{model} epoch, ours/torch", _get(epoch, model, "ratios", "ours/torch"), 1.0,
               strict=True)
    for row in results.get("recurrent", {}).get("cases", []):
        name = row["layer"] + (" packed" if row["packed"] else "")
        target(f"{name} train step, ours/torch", row["ratios"]["ours/torch"], 1.5)
    for row in results.get("transformer", {}).get("cases", []):
        name = "TransformerEncoder" + (" causal" if row["causal"] else "")
        target(f"{name} train step, ours/torch", row["ratios"]["ours/torch"], 1.2)
    target("CNN epoch peak RSS, ours/torch",
           _get(results, "memory", "ratios", "ours/torch rss_peak"), 1.0, strict=True)
    return found
