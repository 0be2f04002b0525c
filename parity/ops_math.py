"""The math ops of the registry: trigonometric and hyperbolic functions and their inverses, the
error and gamma families, logit, xlogy, sinc, hypot, logaddexp, copysign, nan_to_num,
float_power, the angle conversions and torch.special; with their aliases, method and in-place
spellings as forms.

In-place forms of acosh, asinh and atanh run on detached tensors: torch defines no derivative
for those three. Value ranges keep away from poles and branch points (tan at ±π/2, atanh at
±1, lgamma at 0, -1, ...), where both libraries agree only that the result is huge; the special
points torch defines (0 for sinc, xlogy and the logit clamp, ±inf and nan for nan_to_num) are
drawn on purpose.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import ops_core  # noqa: F401 - the ops some forms below belong to
from . import strategies as ps
from .registry import add_forms, binary, shaped, unary


def _spellings(name, *aliases, in_place=True):
    """t.name(x), x.name() and x.clone().name_() for the op and each alias (in_place=False:
    x.detach().clone().name_(), for the ops whose in-place form torch cannot differentiate)."""
    forms = []
    for spelling in (name, *aliases):
        forms.append(lambda t, x, s=spelling: getattr(t, s)(x))
        forms.append(lambda t, x, s=spelling: getattr(x, s)())
        if in_place:
            forms.append(lambda t, x, s=spelling: getattr(x.clone(), f"{s}_")())
        elif in_place is False:
            forms.append(lambda t, x, s=spelling: getattr(x.detach().clone(), f"{s}_")())
    return tuple(forms)


def _binary_spellings(name, *aliases, in_place=True):
    forms = []
    for spelling in (name, *aliases):
        forms.append(lambda t, x, y, s=spelling: getattr(t, s)(x, y))
        forms.append(lambda t, x, y, s=spelling: getattr(x, s)(y))
        if in_place:
            # x + 0 y: x broadcast to the result's shape, which an in-place op cannot grow to
            forms.append(lambda t, x, y, s=spelling: getattr(x + 0 * y, f"{s}_")(y))
    return tuple(forms)


def _special(name, special_name=None):
    """torch.special's spelling of a unary op."""
    return lambda t, x: getattr(t.special, special_name or name)(x)


# ----------------------------------------------------------------------------- trigonometric

unary("tan", lambda t, x: t.tan(x), low=-1.3, high=1.3, forms=_spellings("tan"))
unary("sinh", lambda t, x: t.sinh(x), forms=_spellings("sinh"))
unary("cosh", lambda t, x: t.cosh(x), forms=_spellings("cosh"))
unary("asin", lambda t, x: t.asin(x), low=-0.95, high=0.95, forms=_spellings("asin", "arcsin"))
unary("acos", lambda t, x: t.acos(x), low=-0.95, high=0.95, forms=_spellings("acos", "arccos"))
unary("atan", lambda t, x: t.atan(x), forms=_spellings("atan", "arctan"))
unary("asinh", lambda t, x: t.asinh(x), forms=_spellings("asinh", "arcsinh", in_place=False))
unary("acosh", lambda t, x: t.acosh(x), low=1.05, high=5.0,
      forms=_spellings("acosh", "arccosh", in_place=False))
unary("atanh", lambda t, x: t.atanh(x), low=-0.95, high=0.95,
      forms=_spellings("atanh", "arctanh", in_place=False))
binary("atan2", lambda t, y, x: t.atan2(y, x), rhs_away=0.1,
       forms=_binary_spellings("atan2", "arctan2"))
unary("sinc", lambda t, x: t.sinc(x), forms=_spellings("sinc") + (_special("sinc"),))
unary("deg2rad", lambda t, x: t.deg2rad(x), forms=_spellings("deg2rad"))
unary("rad2deg", lambda t, x: t.rad2deg(x), forms=_spellings("rad2deg"))
binary("hypot", lambda t, x, y: t.hypot(x, y), rhs_away=0.1, forms=_binary_spellings("hypot"))

# ----------------------------------------------------------------------------- error and gamma

unary("erfc", lambda t, x: t.erfc(x), forms=_spellings("erfc") + (_special("erfc"),))
unary("erfinv", lambda t, x: t.erfinv(x), low=-0.95, high=0.95,
      forms=_spellings("erfinv") + (_special("erfinv"),))
unary("lgamma", lambda t, x: t.lgamma(x), low=0.05, high=6.0,
      forms=_spellings("lgamma") + (_special("lgamma", "gammaln"),))
unary("lgamma_negative", lambda t, x: t.lgamma(x), low=-2.9, high=-0.1, special=False)
unary("digamma", lambda t, x: t.digamma(x), low=0.05, high=6.0,
      forms=_spellings("digamma") + (_special("digamma"), _special("digamma", "psi"),
                                     lambda t, x: t.polygamma(0, x)))
for _n in (1, 2, 3):
    unary(f"polygamma_{_n}", lambda t, x, n=_n: t.polygamma(n, x), low=0.1, high=5.0,
          forms=(lambda t, x, n=_n: x.polygamma(n),
                 lambda t, x, n=_n: x.clone().polygamma_(n),
                 lambda t, x, n=_n: t.special.polygamma(n, x)))
unary("ndtr", lambda t, x: t.special.ndtr(x))

# ----------------------------------------------------------------------------- logarithmic

unary("logit", lambda t, x: t.logit(x), low=0.05, high=0.95,
      forms=_spellings("logit") + (_special("logit"),))
unary("logit_eps", lambda t, x: t.logit(x, eps=0.25), low=-0.5, high=1.5, smooth=False,
      forms=(lambda t, x: x.logit(0.25), lambda t, x: x.clone().logit_(eps=0.25),
             lambda t, x: t.special.logit(x, eps=0.25)))
binary("xlogy", lambda t, x, y: t.xlogy(x, y), rhs_low=0.1, rhs_high=3.0,
       forms=_binary_spellings("xlogy") + (lambda t, x, y: t.special.xlogy(x, y),))
unary("xlogy_number_other", lambda t, x: t.xlogy(x, 2.5),
      forms=(lambda t, x: x.xlogy(2.5), lambda t, x: t.special.xlogy(x, 2.5)))
unary("xlogy_number_self", lambda t, y: t.xlogy(3, y), low=0.1, high=3.0,
      forms=(lambda t, y: t.special.xlogy(3, y),))
binary("logaddexp", lambda t, x, y: t.logaddexp(x, y),
       forms=_binary_spellings("logaddexp", in_place=False))
binary("logaddexp2", lambda t, x, y: t.logaddexp2(x, y),
       forms=_binary_spellings("logaddexp2", in_place=False))
unary("exp2", lambda t, x: t.exp2(x), forms=_spellings("exp2") + (_special("exp2"),))

# ----------------------------------------------------------------------------- sign and parts

unary("frac", lambda t, x: t.frac(x), smooth=False, forms=_spellings("frac"))
unary("sgn", lambda t, x: t.sgn(x), smooth=False, forms=_spellings("sgn"))
unary("signbit", lambda t, x: t.signbit(x), grad=False, forms=(lambda t, x: x.signbit(),))
binary("copysign", lambda t, x, y: t.copysign(x, y), smooth=False,
       forms=_binary_spellings("copysign"))
unary("copysign_number", lambda t, x: t.copysign(x, -2.0), smooth=False,
      forms=(lambda t, x: x.copysign(-2.0), lambda t, x: x.clone().copysign_(-2.0)))


@st.composite
def _with_non_finite(draw, dtype):
    """Arrays mixing ordinary values with nan and ±inf, and nan_to_num's replacements."""
    elements = st.one_of(ps.values(), st.sampled_from([np.nan, np.inf, -np.inf]))
    array = draw(hnp.arrays(np.dtype(dtype), ps.shapes(), elements=elements))
    options = draw(st.sampled_from([{}, {"nan": 1.5}, {"posinf": 9.0, "neginf": -9.0},
                                    {"nan": -1.0, "posinf": 2.0}]))
    return [array], options


shaped("nan_to_num", lambda t, x, **o: t.nan_to_num(x, **o), _with_non_finite,
       category="unary", smooth=False,
       forms=(lambda t, x, **o: x.nan_to_num(**o), lambda t, x, **o: x.clone().nan_to_num_(**o)))

# ----------------------------------------------------------------------------- float_power

unary("float_power_2", lambda t, x: t.float_power(x, 2), forms=(
    lambda t, x: x.float_power(2), lambda t, x: x.double().clone().float_power_(2)))
binary("float_power", lambda t, x, y: t.float_power(x, y), low=0.1, high=3.0,
       forms=(lambda t, x, y: x.float_power(y),))
unary("float_power_number_base", lambda t, x: t.float_power(2, x))

# ----------------------------------------------------------------------------- other spellings

for _name in ("square", "expm1", "log1p", "rsqrt"):
    add_forms(_name, lambda t, x, s=_name: getattr(x.clone(), f"{s}_")())
for _name in ("expm1", "log1p", "erf", "round"):
    add_forms(_name, _special(_name))
add_forms("sigmoid", _special("sigmoid", "expit"))
add_forms("logsumexp", lambda t, x, **o: t.special.logsumexp(x, **o) if "dim" in o
          else t.special.logsumexp(x, dim=0))
add_forms("softmax", lambda t, x, dim: t.special.softmax(x, dim))
add_forms("log_softmax", lambda t, x, dim: t.special.log_softmax(x, dim=dim))
