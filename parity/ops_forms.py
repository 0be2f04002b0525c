"""Other spellings of registered ops: aliases (divide, multiply, negative, ...), the function and
method forms, and the in-place forms (abs_, clamp_min_, scatter_, ...). Each form is checked
against torch on the examples of the op it belongs to (tests/functions/test_registry.py), so
every public name in this file is exercised by the registry (parity/surface.py).
"""
from __future__ import annotations

from . import ops_core, ops_more  # noqa: F401 - the ops these forms belong to
from .ops_shape import _on
from .registry import add_forms


def _in_place(method, *args):
    """x.clone().<method>_(*args): the in-place form of a unary op."""
    return lambda t, x: getattr(x.clone(), method)(*args)


for _name in ("abs", "ceil", "floor", "round", "sign", "sqrt", "tanh", "sigmoid", "reciprocal",
              "relu", "log", "neg"):
    add_forms(_name, _in_place(f"{_name}_"))
add_forms("abs", lambda t, x: x.abs(), lambda t, x: t.absolute(x), lambda t, x: x.absolute())
add_forms("neg", lambda t, x: t.neg(x), lambda t, x: x.neg(), lambda t, x: t.negative(x),
          lambda t, x: x.negative())
add_forms("pow_2", _in_place("pow_", 2))
add_forms("clamp_max", lambda t, x: t.clamp_max(x, 0.5), lambda t, x: x.clamp_max(0.5),
          _in_place("clamp_max_", 0.5))
add_forms("clamp_min0", lambda t, x: t.clamp_min(x, 0), lambda t, x: x.clamp_min(0),
          _in_place("clamp_min_", 0), _in_place("clip_", 0))
add_forms("div", lambda t, x, y: t.div(x, y), lambda t, x, y: x.div(y),
          lambda t, x, y: t.divide(x, y), lambda t, x, y: x.divide(y),
          lambda t, x, y: t.true_divide(x, y), lambda t, x, y: x.true_divide(y))
add_forms("mul", lambda t, x, y: t.mul(x, y), lambda t, x, y: x.mul(y),
          lambda t, x, y: t.multiply(x, y), lambda t, x, y: x.multiply(y))
add_forms("sub", lambda t, x, y: t.rsub(y, x), lambda t, x, y: t.subtract(x, y),
          lambda t, x, y: x.subtract(y))
add_forms("remainder", lambda t, x, y: t.remainder(x, y), lambda t, x, y: x.remainder(y))
add_forms("fmod", lambda t, x, y: x.fmod(y))
add_forms("matmul", lambda t, a, b: t.matmul(a, b), lambda t, a, b: a.matmul(b))
add_forms("lerp", lambda t, x, y, w, value: x.lerp(y, w))
add_forms("addcmul", lambda t, x, a, b, value: x.addcmul(a, b, value=value))
add_forms("addcdiv", lambda t, x, a, b, value: x.addcdiv(a, b, value=value))
add_forms("cumprod", lambda t, x, dim: x.cumprod(dim))
add_forms("sort", lambda t, x, dim, descending: x.sort(dim=dim, descending=descending))
add_forms("topk", lambda t, x, dim, largest, k: x.topk(k, dim=dim, largest=largest))
add_forms("take", lambda t, x, index: x.take(_on(t, index, x)))
add_forms("movedim", lambda t, x, source, destination: x.movedim(source, destination))
add_forms("unflatten", lambda t, x, dim, sizes: x.unflatten(dim, sizes))
add_forms("clone", lambda t, x: x.clone(), lambda t, x: t.zeros_like(x).copy_(x))
add_forms("float", lambda t, x: x.to(t.float32), lambda t, x: x.type(t.float32),
          lambda t, x: x.type_as(t.ones((), dtype=t.float32)))
add_forms("where", lambda t, c, x, y: x.where(c > 0, y))
add_forms("masked_fill", lambda t, m, x: x.clone().masked_fill_(m > 0, -2.0))
add_forms("expand", lambda t, x, lead: x.broadcast_to(lead + tuple(3 if n == 1 else n
                                                                   for n in x.shape)),
          lambda t, x, lead: t.broadcast_to(x, lead + tuple(3 if n == 1 else n for n in x.shape)),
          lambda t, x, lead: x.expand_as(t.zeros(lead + tuple(3 if n == 1 else n
                                                              for n in x.shape))))
add_forms("view", lambda t, x, shape: x.view_as(x.reshape(shape)))
add_forms("reshape_transposed", lambda t, x, shape: x.mT.reshape_as(x.mT.reshape(shape)))
add_forms("scatter", lambda t, x, s, index: x.clone().scatter_(0, _on(t, index, x), s))
add_forms("scatter_add", lambda t, x, s, dim, index: x.clone().scatter_add_(dim,
                                                                            _on(t, index, x), s))
add_forms("fill_", lambda t, x, y: (x * y).zero_() + y)
