"""OpSpec, the REGISTRY dict, and the builders that fill it (`unary`, `binary`, `reduction`, ...).

Each `OpSpec` names an op, writes it once as `fn(lib, *tensors, **options)` (lib is tinygrad_edu
or torch), and gives a hypothesis strategy `example(dtype)` that draws (input arrays, options).
`check_spec` runs one drawn example through `check_op`, forward and backward. The ops themselves
are registered in ops_core.py and ops_shape.py; import parity.ops for the filled registry.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from . import strategies as ps
from .check import check_op


@dataclass
class OpSpec:
    name: str
    fn: Callable                      # fn(lib, *tensors, **options)
    example: Callable                 # example(dtype) -> strategy of (arrays, options)
    grad: bool = True                 # compare input gradients too
    smooth: bool = True               # differentiable almost everywhere: gradcheck applies
    double: bool = True               # second derivatives are tested (float64)
    dtypes: tuple = ps.FLOAT_DTYPES
    rtol: dict = field(default_factory=dict)   # per-dtype overrides
    atol: dict = field(default_factory=dict)
    category: str = ""
    forms: tuple = ()                 # other spellings of the same op, fn's signature (aliases,
                                      # method/function forms, in-place forms): see ops_forms.py


REGISTRY: dict[str, OpSpec] = {}


def register(spec: OpSpec) -> OpSpec:
    if spec.name in REGISTRY:
        raise ValueError(f"op {spec.name!r} registered twice")
    REGISTRY[spec.name] = spec
    return spec


def check_spec(spec: OpSpec, arrays, options, dtype: str, device: str = "cpu",
               fn=None) -> float:
    """One example of `spec` (written as `fn`, one of its forms, if given), compared with torch
    forward and backward."""
    fn = spec.fn if fn is None else fn
    return check_op(lambda lib, *tensors: fn(lib, *tensors, **options), arrays,
                    rtol=spec.rtol.get(dtype), atol=spec.atol.get(dtype), grad=spec.grad,
                    device=device)


def add_forms(name: str, *forms) -> None:
    """Other spellings of the registered op `name` (same signature as its fn)."""
    spec = REGISTRY[name]
    spec.forms = spec.forms + forms


# ----------------------------------------------------------------------------- builders

def _one(array_strategy, options=None):
    return st.tuples(array_strategy.map(lambda a: [a]),
                     st.just({}) if options is None else options)


def unary(name, fn, low=-3.0, high=3.0, away_from_zero=0.0, special=True, **flags):
    register(OpSpec(name, fn, lambda dtype: _one(ps.arrays(dtype, low=low, high=high,
                                                           special=special,
                                                           away_from_zero=away_from_zero)),
                    category="unary", **flags))


def binary(name, fn, low=-3.0, high=3.0, rhs_low=None, rhs_high=None, rhs_away=0.0,
           special=True, **flags):
    @st.composite
    def example(draw, dtype):
        left, right = draw(ps.broadcastable(2))
        a = draw(ps.arrays(dtype, left, low, high, special=special))
        b = draw(ps.arrays(dtype, right, low if rhs_low is None else rhs_low,
                           high if rhs_high is None else rhs_high, special=special,
                           away_from_zero=rhs_away))
        return [a, b], {}
    register(OpSpec(name, fn, example, category="binary", **flags))


def with_scalar(name, fn, scalars, **flags):
    """A tensor op with a Python-number argument drawn from `scalars`."""
    options = scalars.map(lambda s: {"scalar": s})
    register(OpSpec(name, fn, lambda dtype: _one(ps.arrays(dtype), options),
                    category="scalar", **flags))


def _reduced_count(shape, dim) -> int:
    axes = range(len(shape)) if dim is None else (dim if isinstance(dim, tuple) else (dim,))
    return int(np.prod([shape[a] for a in axes])) if shape else 1


def reduction(name, fn, keepdim=True, allow_none=True, distinct=False, min_dims=0,
              away_from_zero=0.0, min_count=1, **flags):
    @st.composite
    def example(draw, dtype):
        shape = draw(ps.shapes(min_dims=min_dims))
        if distinct:
            a = draw(ps.distinct_arrays(dtype, shape))
        else:
            a = draw(ps.arrays(dtype, shape, away_from_zero=away_from_zero))
        options = {"dim": draw(ps.dims(len(shape), allow_none))}
        assume(_reduced_count(shape, options["dim"]) >= min_count)
        if keepdim:
            options["keepdim"] = draw(st.booleans())
        if options["dim"] is None:  # torch has no sum(keepdim=...) without a dim
            options = {}
        return [a], options
    register(OpSpec(name, fn, example, category="reduction", **flags))


def shaped(name, fn, example_fn, category="shape", **flags):
    register(OpSpec(name, fn, example_fn, category=category, **flags))

