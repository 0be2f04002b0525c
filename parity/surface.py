"""The public surface and the registry's reach: which public functions the op registries exercise.

    python -m parity ops      # prints the counts below before the matrix

`public_callables()` lists every public function of tinygrad_edu, tinygrad_edu.nn.functional
(and tinygrad_edu.linalg / special, where present) and every public Tensor method.
`exercised(specs)` runs one example of each registered op (its `fn` and its `forms`) with
those functions wrapped, and records the ones they call directly (calls made inside the
library do not count).
`unregistered()` is what is neither exercised nor in EXCLUDED (parity/exclusions.py): the
test suite requires it to be empty, so a new differentiable function cannot be added without
a registry entry — or a written reason why it needs none.
"""
from __future__ import annotations

import inspect
from contextlib import contextmanager

from hypothesis import HealthCheck, Phase, find, settings

import tinygrad_edu
import tinygrad_edu.nn.functional as functional

from .exclusions import EXCLUDED

NAMESPACES = {"torch": tinygrad_edu, "F": functional}
for _sub in ("linalg", "special"):
    if hasattr(tinygrad_edu, _sub):
        NAMESPACES[f"torch.{_sub}"] = getattr(tinygrad_edu, _sub)


def _public(owner, get=getattr):
    return {n: get(owner, n) for n in dir(owner) if not n.startswith("_")}


def public_callables() -> dict[str, object]:
    """'torch.exp', 'F.relu', 'Tensor.exp', ... -> the function itself."""
    found = {}
    for prefix, module in NAMESPACES.items():
        for name, value in _public(module).items():
            if callable(value) and not inspect.isclass(value) and not inspect.ismodule(value):
                found[f"{prefix}.{name}"] = value
    for name, value in _public(tinygrad_edu.Tensor, inspect.getattr_static).items():
        if inspect.isfunction(value):
            found[f"Tensor.{name}"] = value
    return found


@contextmanager
def _recording(calls: set):
    """Wrap every public function so that calls from outside the library are recorded."""
    depth = [0]
    restore = []

    def wrap(name, function):
        def recorded(*args, **kwargs):
            if depth[0] == 0:
                calls.add(name)
            depth[0] += 1
            try:
                return function(*args, **kwargs)
            finally:
                depth[0] -= 1
        return recorded

    try:
        for name, function in public_callables().items():
            prefix, _, attr = name.rpartition(".")
            owner = tinygrad_edu.Tensor if prefix == "Tensor" else NAMESPACES[prefix]
            had = attr in vars(owner)
            restore.append((owner, attr, vars(owner).get(attr), had))
            setattr(owner, attr, wrap(name, function))
        yield calls
    finally:
        for owner, attr, original, had in reversed(restore):
            if had:
                setattr(owner, attr, original)
            else:
                delattr(owner, attr)


def first_example(spec, dtype: str = "float64"):
    """The first example hypothesis draws for `spec`: deterministic, and (as hypothesis tries
    the simplest choices first) nearly always the simplest; not shrunk, which took several
    seconds for strategies with filters."""
    quick = settings(database=None, phases=[Phase.generate], max_examples=50, derandomize=True,
                     suppress_health_check=list(HealthCheck))
    return find(spec.example(dtype), lambda example: True, settings=quick)


def exercised(specs) -> dict[str, set]:
    """public name -> the registered ops whose fn calls it."""
    reach: dict[str, set] = {}
    for spec in specs.values():
        arrays, options = first_example(spec)
        tensors = [tinygrad_edu.tensor(a, requires_grad=a.dtype.kind == "f")
                   if hasattr(a, "dtype") else a for a in arrays]
        calls: set = set()
        with _recording(calls):
            for fn in (spec.fn,) + spec.forms:
                fn(tinygrad_edu, *tensors, **options)
        for name in calls:
            reach.setdefault(name, set()).add(spec.name)
    return reach


def unregistered(specs, public=None, reach=None) -> list[str]:
    """Public functions neither exercised by a registered op nor excluded with a reason;
    a function that is the same object as an exercised one (an alias) counts as exercised."""
    public = public_callables() if public is None else public
    reach = exercised(specs) if reach is None else reach
    covered_objects = {id(public[name]) for name in reach if name in public}
    return sorted(name for name, function in public.items()
                  if name not in reach and name not in EXCLUDED
                  and id(function) not in covered_objects)


def counts(specs) -> dict[str, int]:
    """The numbers `python -m parity ops` reports."""
    public = public_callables()
    reach = exercised(specs)
    missing = unregistered(specs, public, reach)
    differentiable = [name for name in public if name not in EXCLUDED]
    direct = [name for name in differentiable if name in reach]
    return {"registered ops": len(specs), "public functions": len(public),
            "excluded, with a reason": len(EXCLUDED),
            "public differentiable": len(differentiable),
            "  exercised by a registered op": len(direct),
            "  the same function as an exercised one": len(differentiable) - len(direct)
            - len(missing),
            "  unregistered": len(missing)}
