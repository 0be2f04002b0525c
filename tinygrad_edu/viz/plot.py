"""Training curves: `plot_history({"train loss": [...], "valid accuracy": [...]}, "curves.png")`.

matplotlib is optional (`pip install matplotlib`, or the package's `plot` extra); without it,
plot_history says so instead of failing on an import deep inside.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence


def plot_history(history, path: str | os.PathLike | None = None, *, title: str | None = None,
                 xlabel: str = "epoch", show: bool = False):
    """Draw each named series of `history` as a curve; losses and accuracies on two panels.

    `history` is a mapping name -> list of numbers, or a list of per-epoch dicts (as a
    training loop appends them). A series whose name contains "acc" goes to the accuracy
    panel. With `path` the figure is saved there; `show=True` opens a window. Returns the
    matplotlib Figure.
    """
    series = _as_series(history)
    try:
        import matplotlib
    except ImportError:
        raise ModuleNotFoundError("plot_history needs matplotlib, which is not installed: pip "
                                  "install matplotlib (or pip install -e '.[plot]')") from None
    if path is not None and not show:
        matplotlib.use("Agg")  # write a file without needing a display
    from matplotlib import pyplot

    accuracy = {name: values for name, values in series.items() if "acc" in name.lower()}
    losses = {name: values for name, values in series.items() if name not in accuracy}
    panels = [(group, label) for group, label in ((losses, "loss"), (accuracy, "accuracy"))
              if group]
    figure, axes = pyplot.subplots(1, len(panels), figsize=(5 * len(panels), 3.5), squeeze=False)
    for axis, (group, label) in zip(axes[0], panels):
        for name, values in group.items():
            axis.plot(range(1, len(values) + 1), values, marker="o" if len(values) < 30 else None,
                      label=name)
        axis.set_xlabel(xlabel)
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
        axis.legend()
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    if path is not None:
        figure.savefig(path)
    if show:
        pyplot.show()
    return figure


def _as_series(history) -> dict:
    """{name: [float, ...]} from a mapping of lists or a list of per-epoch mappings."""
    if isinstance(history, Mapping):
        series = {str(name): [float(v) for v in values] for name, values in history.items()}
    elif isinstance(history, Sequence) and all(isinstance(row, Mapping) for row in history):
        series = {}
        for row in history:
            for name, value in row.items():
                series.setdefault(str(name), []).append(float(value))
    else:
        raise TypeError("history should be a dict of lists ({'loss': [...]}) or a list of "
                        f"per-epoch dicts, not {type(history).__name__}")
    if not series or not any(series.values()):
        raise ValueError("history holds no values to plot")
    return series
