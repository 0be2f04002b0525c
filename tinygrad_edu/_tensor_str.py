"""Printing tensors exactly as torch prints them.

    tensor([[ 1.9335,  0.8795, -0.6964],
            [ 0.2300, -1.1000,  3.0000]], grad_fn=<AddBackward0>)

The rules (torch's `_tensor_str`): all elements of one tensor share a width and a mode — integer
mode when every finite value is whole (`1.`), scientific when the finite non-zero magnitudes span
more than 1000x or leave [1e-4, 1e8] — with 4 decimals; lines wrap at 80 columns; above 1000
elements only the first and last 3 items of each dimension are shown.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from . import backend, dtypes


@dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None) -> None:
    """torch.set_printoptions."""
    if profile is not None:
        defaults = {"default": (4, 1000, 3), "short": (2, 1000, 2), "full": (4, math.inf, 3)}
        PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems = defaults[profile]
        PRINT_OPTS.linewidth = 80
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


class _Formatter:
    """Chooses one width and one notation for every element of a tensor."""

    def __init__(self, values: list, floating: bool):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        precision = PRINT_OPTS.precision
        if not floating:
            self.max_width = max([len(str(v)) for v in values] or [1])
            return
        finite = [v for v in values if math.isfinite(v) and v != 0]
        if not finite:  # only zeros, infs and nans: they print as `0.`, `inf`, `nan`
            return
        magnitudes = [abs(v) for v in finite]
        low, high = min(magnitudes), max(magnitudes)
        self.int_mode = all(v == math.ceil(v) for v in finite)
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        if self.sci_mode:
            widths = [len(f"{v:.{precision}e}") for v in finite]
        elif self.int_mode:
            widths = [len(f"{v:.0f}") + 1 for v in finite]
        else:
            widths = [len(f"{v:.{precision}f}") for v in finite]
        self.max_width = max(widths)  # measured on finite non-zero values only, as torch

    def _plain(self, value) -> str:
        if not self.floating:
            return str(value)
        if self.sci_mode:
            return f"{value:.{PRINT_OPTS.precision}e}"
        if self.int_mode:
            text = f"{value:.0f}"
            return text if math.isinf(value) or math.isnan(value) else text + "."
        return f"{value:.{PRINT_OPTS.precision}f}"

    def format(self, value) -> str:
        return self._plain(value).rjust(self.max_width)


def _summarized_values(array, summarize: bool) -> list:
    """The values that will be shown (the edges only, when summarizing)."""
    if not summarize:
        return array.ravel().tolist()
    edge = PRINT_OPTS.edgeitems
    if array.ndim == 0:
        return [array.item()]
    if array.shape[0] > 2 * edge:
        parts = [array[:edge], array[-edge:]]
    else:
        parts = [array]
    values = []
    for part in parts:
        for row in part:
            if array.ndim == 1:
                values.append(row.item())
            else:
                values.extend(_summarized_values(row, True))
    return values


def _vector(array, indent: int, summarize: bool, formatter: _Formatter) -> str:
    element_length = formatter.max_width + 2
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    edge = PRINT_OPTS.edgeitems
    if summarize and array.shape[0] > 2 * edge:
        data = ([formatter.format(v) for v in array[:edge].tolist()] + [" ..."]
                + [formatter.format(v) for v in array[-edge:].tolist()])
    else:
        data = [formatter.format(v) for v in array.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(array, indent: int, summarize: bool, formatter: _Formatter) -> str:
    if array.ndim == 0:
        return formatter.format(array.item())
    if array.ndim == 1:
        return _vector(array, indent, summarize, formatter)
    edge = PRINT_OPTS.edgeitems
    count = array.shape[0]
    if summarize and count > 2 * edge:
        rows = ([_nested(array[i], indent + 1, summarize, formatter) for i in range(edge)]
                + ["..."]
                + [_nested(array[i], indent + 1, summarize, formatter)
                   for i in range(count - edge, count)])
    else:
        rows = [_nested(array[i], indent + 1, summarize, formatter) for i in range(count)]
    return "[" + ("," + "\n" * (array.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _with_suffixes(text: str, suffixes: list, indent: int) -> str:
    parts = [text]
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def tensor_repr(tensor, prefix: str = "tensor(") -> str:
    array = backend.to_device(tensor._data, backend.CPU)
    indent = len(prefix)
    dtype = tensor.dtype
    suffixes = []
    if tensor.device.type != "cpu":
        suffixes.append(f"device='{tensor.device}'")
    if array.size == 0:
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype is not dtypes.get_default_dtype():
            suffixes.append(f"dtype={dtype}")
        body = "[]"
    else:
        if dtype not in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool_):
            suffixes.append(f"dtype={dtype}")
        summarize = array.size > PRINT_OPTS.threshold
        shown = array.astype("float64") if dtype is dtypes.float16 else array
        formatter = _Formatter(_summarized_values(shown, summarize), dtype.is_floating_point)
        body = _nested(shown, indent, summarize, formatter)
    grad_fn = tensor.grad_fn
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(grad_fn).__name__}>")
    elif tensor._requires_grad:
        suffixes.append("requires_grad=True")
    return _with_suffixes(prefix + body, suffixes, indent)
