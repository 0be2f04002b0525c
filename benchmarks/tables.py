"""A run's results as Markdown tables (the tables of benchmarks/README.md)."""
from __future__ import annotations

TRAINING_COLUMNS = ("ours", "torch", "torch-alone", "numpy", "mygrad", "ours-cuda", "torch-cuda")


def _time(summary, scale: float = 1e3, digits: int = 3) -> str:
    """median (min-max), in milliseconds by default."""
    if summary is None:
        return "-"
    median, low, high = (summary[k] * scale for k in ("median", "min", "max"))
    return f"{median:.{digits}g} ({low:.{digits}g}-{high:.{digits}g})"


def _ratio(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def _table(header: list, rows: list) -> list:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def training(rows: list) -> list:
    present = [c for c in TRAINING_COLUMNS if any(c in row["times"] for row in rows)]
    ratios = [r for r in ("ours/torch", "ours/torch-alone", "ours/numpy", "ours/mygrad",
                          "ours-cuda/torch-cuda")
              if any(r in row["ratios"] for row in rows)]
    header = ["step", "model", "batch"] + [f"{c} ms" for c in present] + ratios
    body = [[row["mode"], row["model"], row["batch"]]
            + [_time(row["times"].get(c)) for c in present]
            + [_ratio(row["ratios"].get(r)) for r in ratios] for row in rows]
    return _table(header, body)


def epoch(result: dict) -> list:
    loader = result["loader"]
    lines = [f"{result['samples']} samples, batch {result['batch']}, {result['data']}", ""]
    body = [["DataLoader alone"] + [_time(loader["times"].get(c)) for c in
                                    ("ours", "torch", "numpy")]
            + [_ratio(loader["ratios"]["ours/torch"]), _ratio(loader["ratios"]["ours/numpy"])]]
    for model in ("logistic", "cnn"):
        if model in result:
            times = result[model]["times"]
            body.append([f"{model} epoch", _time(times["ours"]), _time(times["torch"]), "-",
                         _ratio(result[model]["ratios"]["ours/torch"]), "-"])
    return lines + _table(["one epoch", "ours ms", "torch ms", "numpy ms", "ours/torch",
                           "ours/numpy"], body)


def overhead(result: dict) -> list:
    body = [[f"{label} (per op, chain of {result['chain']})", _time(entry["times"]["ours"], 1e6),
             _time(entry["times"]["torch"], 1e6), _ratio(entry["ratios"]["ours/torch"])]
            for label, entry in result["per_op"].items()]
    entry = result["long_backward"]
    body.append([f"backward of a {result['long_chain']}-op chain (total, ms)",
                 _time(entry["times"]["ours"], 1e3), _time(entry["times"]["torch"], 1e3),
                 _ratio(entry["ratios"]["ours/torch"])])
    return _table(["overhead", "ours us", "torch us", "ours/torch"], body)


def scaling(result: dict) -> list:
    body = [[row["model"], row["batch"], "", _time(row["times"]["ours"]),
             _time(row["times"]["torch"]), _ratio(row["ratios"]["ours/torch"]),
             f"{row['times']['ours']['median'] / row['batch'] * 1e6:.1f}"]
            for row in result["batch"]]
    body += [[row["model"], row["batch"], row["depth"], _time(row["times"]["ours"]),
              _time(row["times"]["torch"]), _ratio(row["ratios"]["ours/torch"]),
              f"{row['times']['ours']['median'] / row['batch'] * 1e6:.1f}"]
             for row in result["depth"]]
    return _table(["model", "batch", "hidden layers", "ours ms", "torch ms", "ours/torch",
                   "ours us/sample"], body)


def recurrent(result: dict) -> list:
    size = result["size"]
    body = [[row["layer"] + (" packed" if row["packed"] else ""), _time(row["times"]["ours"]),
             _time(row["times"]["torch"]), _ratio(row["ratios"]["ours/torch"])]
            for row in result["cases"]]
    return [f"{size['layers']} layers of {size['hidden']}, batch {size['batch']} x "
            f"{size['steps']} steps, float32, one training step", ""] + _table(
        ["layer", "ours ms", "torch ms", "ours/torch"], body)


def transformer(result: dict) -> list:
    size = result["size"]
    body = [["causal mask" if row["causal"] else "no mask", _time(row["times"]["ours"]),
             _time(row["times"]["torch"]), _ratio(row["ratios"]["ours/torch"])]
            for row in result["cases"]]
    return [f"TransformerEncoder: {size['layers']} layers, d_model {size['d_model']}, "
            f"{size['nhead']} heads, batch {size['batch']} x {size['steps']} tokens, float32, "
            "one training step", ""] + _table(["case", "ours ms", "torch ms", "ours/torch"], body)


def memory(result: dict) -> list:
    mib = 2 ** 20
    body = []
    for name in ("ours", "torch"):
        side = result[name]
        traced = side.get("traced_peak")
        body.append([name, f"{side['rss_ready'] / mib:.0f}", f"{side['rss_peak'] / mib:.0f}",
                     f"{(side['rss_peak'] - side['rss_ready']) / mib:.0f}",
                     "-" if traced is None else f"{traced / mib:.1f}"])
    return [f"CNN training epoch over {result['samples']} samples, one process per library",
            ""] + _table(["library", "RSS ready MiB", "RSS peak MiB", "peak - ready MiB",
                          "tracemalloc peak MiB"], body)


def target_list(found: list) -> list:
    marks = {True: "yes", False: "**no**", None: "not measured"}
    body = [[t["target"], _ratio(t["value"]), f"{t['comparison']} {t['limit']}",
             marks[t["holds"]]] for t in found]
    return _table(["target", "measured", "limit", "holds"], body)


def markdown(report: dict) -> str:
    meta, results = report["meta"], report["results"]
    lines = [f"`{meta['command']}` on {meta['date']}: {meta['cpu']}, {meta['cores']} cores, "
             f"load average {meta.get('load_average')}; Python {meta['python']}, NumPy "
             f"{meta['numpy']}, torch {meta.get('torch')}; threads: {meta['threads']}; "
             f"clock: {meta['clock']}; {meta['rounds']} interleaved rounds, median (min-max); "
             f"MyGrad: {meta['mygrad']}", ""]
    sections = (("training", "Training step and inference", training),
                ("epoch", "One epoch with DataLoader(shuffle=True)", epoch),
                ("overhead", "Per-op overhead", overhead), ("scaling", "Scaling", scaling),
                ("recurrent", "Recurrent layers", recurrent),
                ("transformer", "Transformer encoder", transformer),
                ("memory", "Peak memory", memory))
    for key, title, render in sections:
        if key in results:
            lines += [f"#### {title}", ""] + render(results[key])
    lines += ["#### Targets", ""] + target_list(report["targets"])
    return "\n".join(lines)
