"""The op registry: one line per op, used by the test suite and by `python -m parity ops`.

    from parity.ops import REGISTRY, check_spec

REGISTRY holds every core op (ops_core.py: pointwise, reductions, matmul; ops_shape.py: shape,
indexing, in place), registered with the builders of registry.py. The nn.functional ops have
their own dict, ops_nn.NN_REGISTRY.
"""
from __future__ import annotations

from . import (  # noqa: F401 - importing them fills REGISTRY
    ops_attention,
    ops_core,
    ops_forms,
    ops_linalg,
    ops_math,
    ops_methods_more,  # more Tensor methods: new math, in-place and shape spellings
    ops_more,
    ops_shape,
    ops_shape_more,
    ops_sparse,
    ops_stats,
)
from .registry import (
    REGISTRY,
    OpSpec,
    binary,
    check_spec,
    reduction,
    register,
    shaped,
    unary,
    with_scalar,
)

__all__ = ["REGISTRY", "OpSpec", "binary", "check_spec", "reduction", "register", "shaped",
           "unary", "with_scalar"]
