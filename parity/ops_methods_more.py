"""The registry's entries for functions/pointwise_more.py, methods_more.py and inplace_more.py:
fmax/fmin, ldexp, frexp, nextafter, i0, angle, mvlgamma, renorm, diagflat, sum_to_size,
positive and the conjugate family (the identity on real tensors); and, as forms of the ops they
belong to, the in-place spellings (cos_, subtract_, eq_, cumsum_, unsqueeze_, t_, ...).

Several spellings that must agree are often checked in one form returning a tuple, to keep the
number of test cases small.
"""
from __future__ import annotations

from hypothesis import strategies as st

from . import ops_core, ops_more, ops_shape, ops_sparse  # noqa: F401 - the ops forms join
from . import strategies as ps
from .registry import add_forms, binary, shaped, unary


def _spellings(name, *args, in_place=True):
    """t.name(x, *args), x.name(*args) and x.clone().name_(*args)."""
    forms = (lambda t, x: getattr(t, name)(x, *args), lambda t, x: getattr(x, name)(*args))
    if in_place:
        forms += (lambda t, x: getattr(x.clone(), f"{name}_")(*args),)
    return forms


def _binary_spellings(name, in_place=True):
    forms = (lambda t, x, y: getattr(x, name)(y),)
    if in_place:  # x + 0 y: x broadcast to the result's shape
        forms += (lambda t, x, y: getattr(x + 0 * y, f"{name}_")(y),)
    return forms


# ----------------------------------------------------------------------------- new functions

binary("fmax", lambda t, x, y: t.fmax(x, y), smooth=False, forms=_binary_spellings("fmax", False))
binary("fmin", lambda t, x, y: t.fmin(x, y), smooth=False, forms=_binary_spellings("fmin", False))
binary("ldexp", lambda t, x, y: t.ldexp(x, y), forms=_binary_spellings("ldexp"))
binary("nextafter", lambda t, x, y: t.nextafter(x, y), smooth=False,
       forms=_binary_spellings("nextafter"))
unary("frexp", lambda t, x: t.frexp(x), smooth=False, forms=(lambda t, x: x.frexp(),))
unary("i0", lambda t, x: t.i0(x), forms=_spellings("i0"))
unary("angle", lambda t, x: t.angle(x), smooth=False, forms=_spellings("angle", in_place=False))
unary("mvlgamma", lambda t, x: t.mvlgamma(x, 3), low=1.2, high=5.0,
      forms=_spellings("mvlgamma", 3))
unary("positive", lambda t, x: t.positive(x) * 1, forms=(lambda t, x: x.positive() * 1,))
unary("conj", lambda t, x: t.conj(x) * 1, forms=(
    lambda t, x: (x.conj(), t.resolve_conj(x), x.resolve_conj(), t.resolve_neg(x),
                  x.resolve_neg(), t.conj_physical(x), x.conj_physical(), t.real(x)),
    lambda t, x: x.clone().conj_physical_()))


@st.composite
def _renorm_example(draw, dtype):
    shape = draw(ps.shapes(min_dims=2, max_dims=3))
    return [draw(ps.arrays(dtype, shape, away_from_zero=0.1))], {
        "p": draw(st.sampled_from([1, 2, 3.5])), "dim": draw(ps.dim(len(shape))),
        "maxnorm": draw(st.sampled_from([0.5, 2.0]))}


shaped("renorm", lambda t, x, p, dim, maxnorm: t.renorm(x, p, dim, maxnorm), _renorm_example,
       forms=(lambda t, x, p, dim, maxnorm: (x.renorm(p, dim, maxnorm),
                                            x.clone().renorm_(p, dim, maxnorm)),))


@st.composite
def _diagflat_example(draw, dtype):
    return [draw(ps.arrays(dtype, draw(ps.shapes(max_dims=2))))], {
        "offset": draw(st.integers(-2, 2))}


shaped("diagflat", lambda t, x, offset: t.diagflat(x, offset), _diagflat_example,
       forms=(lambda t, x, offset: x.diagflat(offset),))


@st.composite
def _sum_to_size_example(draw, dtype):
    shape = draw(ps.shapes(min_dims=1, max_dims=3))
    keep = draw(st.integers(0, len(shape)))
    size = tuple(n if draw(st.booleans()) else 1 for n in shape[len(shape) - keep:])
    return [draw(ps.arrays(dtype, shape))], {"size": size}


shaped("sum_to_size", lambda t, x, size: x.sum_to_size(size) * 1, _sum_to_size_example,
       category="reduction",
       forms=(lambda t, x, size: (x.sum_to_size(*size) if size else x.sum_to_size(size)) * 1,))

# ----------------------------------------------------------------------------- other spellings

for _name in ("sin", "cos", "erf", "log10", "log2"):
    add_forms(_name, lambda t, x, s=_name: getattr(x.clone(), f"{s}_")())
add_forms("trunc", lambda t, x: (t.fix(x), x.fix()), lambda t, x: x.clone().trunc_(),
          lambda t, x: x.clone().fix_())
add_forms("abs", lambda t, x: x.clone().absolute_())
add_forms("neg", lambda t, x: x.clone().negative_())
add_forms("sub", lambda t, x, y: (x + 0 * y).subtract_(y, alpha=2))
add_forms("mul", lambda t, x, y: (x + 0 * y).multiply_(y))
add_forms("div", lambda t, x, y: ((x + 0 * y).divide_(y), (x + 0 * y).true_divide_(y)))
add_forms("fmod", lambda t, x, y: (x + 0 * y).fmod_(y))
add_forms("remainder", lambda t, x, y: (x + 0 * y).remainder_(y))
add_forms("lerp", lambda t, x, y, w, value: (x + 0 * (y + w)).lerp_(y, w))
add_forms("addcmul", lambda t, x, a, b, value: (x + 0 * (a + b)).addcmul_(a, b, value=value))
add_forms("addcdiv", lambda t, x, a, b, value: (x + 0 * (a + b)).addcdiv_(a, b, value=value))
add_forms("addmm", lambda t, c, a, b, beta, alpha: (c + 0 * (a @ b)).addmm_(a, b, beta=beta,
                                                                             alpha=alpha))
add_forms("cumsum", lambda t, x, dim: x.clone().cumsum_(dim))
add_forms("cumprod", lambda t, x, dim: x.clone().cumprod_(dim))
add_forms("eq", lambda t, x, y: tuple(
    getattr(x + 0 * y, name)(y) for name in (
        "eq_", "ne_", "lt_", "le_", "gt_", "ge_", "greater_", "greater_equal_", "less_",
        "less_equal_", "not_equal_")))
add_forms("floor_divide", lambda t, x, y: (x + 0 * y).floor_divide_(y))
add_forms("logical_and", lambda t, x, y: tuple(
    getattr(x + 0 * y > 0, name)(y > 0) for name in (
        "logical_and_", "logical_or_", "logical_xor_")) + ((x > 0).logical_not_(),))
add_forms("unsqueeze", lambda t, x, dim: x.clone().unsqueeze_(dim))
add_forms("squeeze", lambda t, x, dim: x.clone().squeeze_(dim) if dim is not None
          else x.clone().squeeze_())
add_forms("transpose", lambda t, x, a, b: (x.clone().transpose_(a, b),
                                           x.clone().swapaxes_(a, b), x.clone().swapdims_(a, b)))
add_forms("t", lambda t, x: x.clone().t_())
add_forms("to_sparse", lambda t, a, b: a.to_sparse_coo().to_dense() * b.sum())
