"""What a parity run shows: a progress bar, the final table, the JSON record and the plot."""
from __future__ import annotations

import json
import sys
import time

from .records import RunResult

# ----------------------------------------------------------------------------- progress


class Progress:
    """A plain-text progress bar: redrawn in place with '\\r' on a terminal, one line every
    `every` steps otherwise (logs and CI output stay readable)."""

    def __init__(self, label: str, stream=None, every: int = 25, width: int = 24):
        self.label, self.every, self.width = label, every, width
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.perf_counter()

    def __call__(self, step: int, total: int, record) -> None:
        if not self.tty and step % self.every and step != total:
            return
        done = int(self.width * step / max(total, 1))
        elapsed = time.perf_counter() - self.started
        text = (f"{self.label} [{'#' * done}{'.' * (self.width - done)}] {step}/{total} "
                f"loss {record.loss_ours:.4f} / {record.loss_torch:.4f} "
                f"rel {max(record.loss_rel, record.grad_rel):.1e} {elapsed:.0f}s")
        if self.tty:
            self.stream.write("\r" + text + ("\n" if step == total else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self, result: RunResult) -> None:
        """End the line when a run stopped early (a disagreement)."""
        if self.tty and not result.passed:
            self.stream.write("\n")
            self.stream.flush()


# ----------------------------------------------------------------------------- the table

COLUMNS = ("model", "optimizer", "dtype", "steps", "loss ours", "loss torch", "worst loss rel",
           "worst grad rel", "worst parameter", "verdict")


def row(result: RunResult) -> list[str]:
    config = result.config
    last = result.records[-1] if result.records else None
    loss_rel, _ = result.worst("loss")
    grad_rel, _ = result.worst("grad")
    param_rel, param_name = result.worst("param")
    worst_param = f"{param_name} {param_rel:.1e}" if param_name else "-"
    verdict = "pass" if result.passed else f"FAIL at step {result.failure.step}"
    if not result.passed and config.keep_going:
        verdict = f"FAIL from step {result.failure.step}"
    return [str(config.model), config.optimizer, config.dtype, str(len(result.records)),
            f"{last.loss_ours:.6f}" if last else "-", f"{last.loss_torch:.6f}" if last else "-",
            f"{loss_rel:.1e}", f"{grad_rel:.1e}", worst_param, verdict]


def table(results: list[RunResult]) -> str:
    """The summary: one row per run, columns aligned."""
    rows = [list(COLUMNS)] + [row(result) for result in results]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(r, widths)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _label(result: RunResult) -> str:
    return f"{result.config.model} / {result.config.optimizer} / {result.config.dtype}"


def failures(results: list[RunResult]) -> str:
    """The diagnostic of every failed run."""
    return "\n".join(f"{_label(r)}: {r.failure}" for r in results if not r.passed)


def onsets(results: list[RunResult]) -> str:
    """Where each run's gradients first part beyond the watch level, for the runs whose onset
    is not already their failure (e.g. float32 runs that stay within tolerance)."""
    return "\n".join(f"{_label(r)}: {r.onset}" for r in results
                     if r.onset is not None and r.onset is not r.failure)


# ----------------------------------------------------------------------------- files


def write_json(path: str, results: list[RunResult], settings: dict) -> None:
    """Every step of every run: the settings, then one object per run (config, verdict,
    failure, and per step: losses, the largest gradient and parameter errors and where)."""
    document = {"settings": settings, "passed": all(r.passed for r in results),
                "runs": [r.to_dict() for r in results]}
    with open(path, "w") as file:
        json.dump(document, file, indent=1, allow_nan=True)


def write_plot(path: str, results: list[RunResult]) -> None:
    """One panel per model with the loss curves of both libraries (ours thick and translucent,
    torch dashed on top: they should overlap), and below, every run's largest relative error
    per step (loss or gradient) on a log scale."""
    try:
        import matplotlib  # noqa: PLC0415 - an optional extra
    except ImportError:
        raise SystemExit("--plot needs matplotlib: pip install 'tinygrad_edu[plot]' "
                         "(or pip install matplotlib)") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415 - after choosing the Agg backend

    models = list(dict.fromkeys(str(r.config.model) for r in results))
    columns = min(len(models), 4)
    rows = -(-len(models) // columns)
    figure = plt.figure(figsize=(4 * columns, 3 * rows + 3.5))
    grid = figure.add_gridspec(rows + 1, columns, height_ratios=[3] * rows + [3.5])
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    errors = figure.add_subplot(grid[rows, :])
    spectrum = matplotlib.colormaps["turbo"]
    for i, model in enumerate(models):
        axes = figure.add_subplot(grid[i // columns, i % columns])
        runs = [r for r in results if str(r.config.model) == model]
        for j, result in enumerate(runs):
            color = colors[j % len(colors)]
            label = f"{result.config.optimizer}/{result.config.dtype}"
            steps = [r.step for r in result.records]
            axes.plot(steps, [r.loss_ours for r in result.records], color=color, lw=3,
                      alpha=0.4, label=f"{label} tinygrad_edu")
            axes.plot(steps, [r.loss_torch for r in result.records], color="black", lw=0.8,
                      ls="--")
            errors.semilogy(steps, [max(r.loss_rel, r.grad_rel, 1e-17) for r in result.records],
                            lw=0.8, label=f"{model}/{label}",
                            color=spectrum(len(errors.lines) / max(len(results) - 1, 1)))
        axes.set_title(f"{model} (torch dashed)", fontsize=9)
        axes.tick_params(labelsize=7)
        axes.grid(True, alpha=0.3)
        axes.legend(fontsize=6)
    errors.set_xlabel("step")
    errors.set_ylabel("max(loss, gradient) rel. error")
    errors.grid(True, alpha=0.3)
    errors.legend(fontsize=5, ncol=max(1, min(6, len(results) // 4)), loc="upper left")
    figure.suptitle("training loss: tinygrad_edu and torch in lockstep")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
