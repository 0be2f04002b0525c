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
from .sweeps import LAYOUTS, layout_arrays, layout_fn


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
    layouts: tuple = LAYOUTS          # contiguous inputs, and non-contiguous views of them
    fixed: tuple = ()                 # make(dtype) -> (arrays, options): the key shapes, tested
                                      # in every hypothesis profile (see the builders)


REGISTRY: dict[str, OpSpec] = {}


def register(spec: OpSpec) -> OpSpec:
    if spec.name in REGISTRY:
        raise ValueError(f"op {spec.name!r} registered twice")
    REGISTRY[spec.name] = spec
    return spec


def check_spec(spec: OpSpec, arrays, options, dtype: str, device: str = "cpu",
               fn=None, layout: str = "contiguous") -> float:
    """One example of `spec` (written as `fn`, one of its forms, if given), compared with torch
    forward and backward; `layout` "transposed" or "sliced" passes the floating inputs as
    non-contiguous views with the same values (parity/sweeps.py)."""
    fn = layout_fn(spec.fn if fn is None else fn, layout)
    arrays = layout_arrays(arrays, layout)
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


# The key shapes every builder's op is also checked on, whatever hypothesis draws: a matrix,
# an empty tensor, a 0-d one; broadcasting both ways; reductions over one, several (negative
# too) and all dims of a 3-d tensor, with and without keepdim.
UNARY_SHAPES = [(2, 3), (0, 3), ()]
BINARY_SHAPES = [((2, 3), (2, 3)), ((3, 1), (1, 4)), ((0, 3), (1, 3)), ((), (2,))]
REDUCED_DIMS = [(None, False), (-1, True), ((0, 2), True), ((-1, -3), False), (-2, False)]


def fixed_array(shape, dtype, low=-3.0, high=3.0, away=0.0, seed=0):
    """Deterministic values in [low, high] (|x| >= away), all different."""
    values = np.random.default_rng(seed).uniform(low, high, shape)
    if away:
        values = np.sign(values + (values == 0)) * (away + np.abs(values))
    return np.asarray(values.astype(dtype))


def _fixed(make_all):
    """A tuple of make(dtype) functions, one per case of make_all(dtype) -> list."""
    count = len(make_all("float64"))
    return tuple((lambda dtype, i=i: make_all(dtype)[i]) for i in range(count))


def unary(name, fn, low=-3.0, high=3.0, away_from_zero=0.0, special=True, **flags):
    fixed = _fixed(lambda dtype: [([fixed_array(s, dtype, low, high, away_from_zero)], {})
                                  for s in UNARY_SHAPES])
    register(OpSpec(name, fn, lambda dtype: _one(ps.arrays(dtype, low=low, high=high,
                                                           special=special,
                                                           away_from_zero=away_from_zero)),
                    category="unary", fixed=fixed, **flags))


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
    rhs = (low if rhs_low is None else rhs_low, high if rhs_high is None else rhs_high)
    fixed = _fixed(lambda dtype: [([fixed_array(a, dtype, low, high),
                                    fixed_array(b, dtype, *rhs, rhs_away, seed=1)], {})
                                   for a, b in BINARY_SHAPES])
    register(OpSpec(name, fn, example, category="binary", fixed=fixed, **flags))


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

    def cases(dtype):
        a = fixed_array((2, 3, 4), dtype, away=away_from_zero)
        return [([a], {} if dim is None else
                 {"dim": dim, **({"keepdim": keep} if keepdim else {})})
                for dim, keep in REDUCED_DIMS if allow_none or dim is not None]
    register(OpSpec(name, fn, example, category="reduction", fixed=_fixed(cases), **flags))


def shaped(name, fn, example_fn, category="shape", **flags):
    register(OpSpec(name, fn, example_fn, category=category, **flags))

