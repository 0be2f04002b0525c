"""The op coverage matrix: every op of the registry run against torch, outside pytest.

    python -m parity ops --examples 20

For each op and dtype (and device, when a GPU is present) hypothesis draws `examples` inputs,
each compared forward and backward with torch (parity.ops.check_spec). The matrix lists op ->
category -> dtypes/devices tested -> examples -> worst relative error, or the first failure.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .ops import OpSpec, check_spec


@dataclass
class Coverage:
    name: str
    category: str
    tested: list[str]         # 'float64/cpu', ...
    examples: int = 0
    worst: float = 0.0
    error: str = ""           # the first failure, if any

    @property
    def passed(self) -> bool:
        return not self.error


def exercise(spec: OpSpec, dtype: str, examples: int, device: str = "cpu",
             shrink: bool = False) -> tuple[int, float, str]:
    """Run `examples` drawn examples of `spec`: (examples run, worst error, first failure)."""
    state = {"count": 0, "worst": 0.0}
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(max_examples=examples, database=None, deadline=None, derandomize=True,
              phases=phases, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data):
        arrays, options = data.draw(spec.example(dtype))
        layout = spec.layouts[state["count"] % len(spec.layouts)]  # contiguous, then views
        for fn in (spec.fn,) + spec.forms:  # the op and its other spellings (ops_forms.py)
            state["worst"] = max(state["worst"], check_spec(spec, arrays, options, dtype,
                                                            device, fn=fn, layout=layout))
        state["count"] += 1

    try:
        with warnings.catch_warnings():  # torch's remarks (e.g. on padding='same') stay quiet
            warnings.simplefilter("ignore", UserWarning)
            for make in spec.fixed:  # the builder's key shapes first
                arrays, options = make(dtype)
                state["worst"] = max(state["worst"],
                                     check_spec(spec, arrays, options, dtype, device))
                state["count"] += 1
            check()
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        first = str(error).strip().splitlines()
        return state["count"] + 1, state["worst"], f"{type(error).__name__}: " + (
            first[0] if first else "")
    return state["count"], state["worst"], ""


def coverage(specs: dict[str, OpSpec], examples: int, devices: list[str],
             progress=None) -> list[Coverage]:
    """Exercise every spec in every one of its dtypes on every device."""
    rows = []
    for i, (name, spec) in enumerate(sorted(specs.items())):
        row = Coverage(name, spec.category or "-", [])
        for device in devices:
            for dtype in spec.dtypes:
                count, worst, error = exercise(spec, dtype, examples, device)
                row.tested.append(f"{dtype}/{device}")
                row.examples += count
                row.worst = max(row.worst, worst)
                row.error = row.error or (f"[{dtype}/{device}] {error}" if error else "")
        rows.append(row)
        if progress is not None:
            progress(i + 1, len(specs), name)
    return rows


def matrix(rows: list[Coverage]) -> str:
    """The table: op, category, dtypes/devices, examples, worst error (or FAIL and why)."""
    header = ("op", "category", "tested", "examples", "worst rel error")
    lines = [header] + [(r.name, r.category, ", ".join(r.tested), str(r.examples),
                         f"{r.worst:.1e}" if r.passed else "FAIL " + r.error[:120])
                        for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
            for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    passed = sum(r.passed for r in rows)
    text.append(f"\n{passed}/{len(rows)} ops agree with torch; "
                f"{sum(r.examples for r in rows)} examples")
    return "\n".join(text)
