"""The in-place forms (`x.cos_()`, `x.eq_(y)`, `x.logical_and_(y)`, ...) of torch functions that
exist out of place, made from tables: each computes the out-of-place result and writes it into
self with the shared machinery of inplace.py (torch's cast check, the leaf check, the version
counter, the graph rewired through the op).

Three kinds, as torch has them:
  - ordinary ops: the result takes self's place in the graph (x.cos_() records CosBackward0);
  - comparisons: the 0/1 result is written in self's dtype, with a zero gradient;
  - logical ops: torch gives them no autograd at all, so they write into any tensor (even a
    leaf that requires grad) and leave its graph as it was.
"""
from __future__ import annotations

from ..autograd import grad_mode
from ..autograd.inplace import _check_not_leaf, adopt
from ..tensor import Tensor
from . import comparison as cmp
from . import pointwise as pw
from . import pointwise_more_ops as pmo
from . import shape
from .inplace import _inplace_unary
from .linalg import addmm
from .reduction import cumprod, cumsum


def from_copy(function):
    """function, computed from a copy of self when a graph is recorded: for the in-place form of
    a composite whose inner steps save self (log10 = log(x) / ln 10 saves x in LogBackward),
    which the write would overwrite. torch saves the original self in the same way."""
    def on_copy(self, *args, **kwargs):
        if grad_mode.state.enabled and self.requires_grad:
            self = self.clone()
        return function(self, *args, **kwargs)
    return on_copy


_ORDINARY = {
    "absolute_": pw.abs, "negative_": pw.neg, "cos_": pw.cos, "sin_": pw.sin, "erf_": pw.erf,
    "log10_": from_copy(pw.log10), "log2_": from_copy(pw.log2), "trunc_": pw.trunc,
    "subtract_": pw.sub, "multiply_": pw.mul, "divide_": pw.div, "true_divide_": pw.div,
    "fmod_": pw.fmod, "remainder_": pw.remainder, "lerp_": pw.lerp, "addcmul_": pw.addcmul,
    "addcdiv_": pw.addcdiv, "addmm_": addmm,
    "bitwise_and_": cmp.bitwise_and, "bitwise_or_": cmp.bitwise_or,
    "bitwise_xor_": cmp.bitwise_xor, "bitwise_not_": cmp.bitwise_not,
}

_COMPARISONS = {"eq_": cmp.eq, "ne_": cmp.ne, "lt_": cmp.lt, "le_": cmp.le, "gt_": cmp.gt,
                "ge_": cmp.ge, "greater_": cmp.gt, "greater_equal_": cmp.ge, "less_": cmp.lt,
                "less_equal_": cmp.le, "not_equal_": cmp.ne}

_LOGICAL = {"logical_and_": cmp.logical_and, "logical_or_": cmp.logical_or,
            "logical_xor_": cmp.logical_xor, "logical_not_": cmp.logical_not}

# one node class per comparison, so that x.eq_(y).grad_fn prints <EqBackward0> as in torch
_NODES = {name: type(name.rstrip("_").capitalize(), (pmo.Compared,), {"__module__": __name__})
          for name in ("eq_", "ne_", "lt_", "le_", "gt_", "ge_")}
_SAME_NODE = {"greater_": "gt_", "greater_equal_": "ge_", "less_": "lt_", "less_equal_": "le_",
              "not_equal_": "ne_"}


def _comparison(name: str, function):
    node = _NODES[_SAME_NODE.get(name, name)]

    def method(self, other) -> Tensor:
        result = function(self, other)
        wants = grad_mode.state.enabled and (
            self.requires_grad or isinstance(other, Tensor) and other.requires_grad)
        if wants:
            other_input = other if isinstance(other, Tensor) else None
            result = node.apply(self, other_input, values=result._data)
        return adopt(self, result, name)
    method.__name__ = name
    return method


def _logical(name: str, function):
    def method(self, *args) -> Tensor:
        result = function(self, *args)
        with grad_mode.no_grad():  # no autograd: the values change, the graph does not
            return adopt(self, result, name)
    method.__name__ = name
    return method


_write_quotient = _inplace_unary("floor_divide_", lambda self, quotient: quotient)


def floor_divide_(self, other) -> Tensor:
    """x //= other; torch defines no derivative: a graph through it raises on backward."""
    quotient = pw.floor_divide(self, other)
    if grad_mode.state.enabled and self.requires_grad:
        quotient = pmo.NotDifferentiable.apply(self, values=quotient._data,
                                               name="floor_divide_")
    return _write_quotient(self, quotient)


_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
              "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
              "uint8": "unsigned char", "bool": "bool"}


def _cumulative(name: str, function):
    def method(self, dim, *, dtype=None) -> Tensor:
        if dtype is not None and dtype is not self.dtype:
            names = [_CPP_NAMES[str(d).replace("torch.", "")] for d in (self.dtype, dtype)]
            raise RuntimeError(f"Bad in-place call: input tensor dtype {names[0]} and output "
                               f"tensor dtype {names[1]} should match")
        return _inplace_unary(name, function)(self, dim)
    method.__name__ = name
    return method


# ----------------------------------------------------------------------------- shapes in place

def _reshaping(name: str, function):
    """x.unsqueeze_(0), x.t_(), ...: self becomes the view function(self) — same memory, new
    shape and strides; in the graph it takes the view's place (x.grad_fn: UnsqueezeBackward)."""
    def method(self, *args) -> Tensor:
        if grad_mode.state.enabled and self.requires_grad:
            _check_not_leaf(self)
        view = function(self, *args)
        self._data = view._data
        if view._requires_grad:
            self._grad_fn, self._output_nr = view._grad_fn, view._output_nr
        if self._base is not None:  # still a view of the same base, by a longer chain
            self._view_fn, self._view_version = view._view_fn, view._view_version
        self._version_counter.bump(name)
        return self
    method.__name__ = name
    return method


_RESHAPING = {"squeeze_": shape.squeeze, "unsqueeze_": shape.unsqueeze, "t_": shape.t,
              "transpose_": shape.transpose, "swapaxes_": shape.transpose,
              "swapdims_": shape.transpose}

METHODS = {
    **{name: _inplace_unary(name, function) for name, function in _ORDINARY.items()},
    **{name: _comparison(name, function) for name, function in _COMPARISONS.items()},
    **{name: _logical(name, function) for name, function in _LOGICAL.items()},
    "floor_divide_": floor_divide_,
    "cumsum_": _cumulative("cumsum_", cumsum), "cumprod_": _cumulative("cumprod_", cumprod),
    **{name: _reshaping(name, function) for name, function in _RESHAPING.items()},
}
