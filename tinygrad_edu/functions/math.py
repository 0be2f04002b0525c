"""torch's pointwise math functions beyond the basic ones of pointwise.py: trigonometric and
hyperbolic functions and their inverses, erfc/erfinv, the gamma family, logit and xlogy, sinc,
hypot, logaddexp, copysign, nan_to_num, float_power and the angle conversions; with their torch
aliases, Tensor methods and in-place forms (`METHODS`, installed on Tensor by functions.install).

Integer and bool inputs are converted to the default float dtype first, as torch does for these
functions; the primitives are in math_ops.py and gamma_ops.py.
"""
from __future__ import annotations

import math

from .. import dtypes
from ..backend import get_array_module
from ..tensor import Tensor
from . import _args
from . import gamma_ops as go
from . import math_ops as mo
from .inplace import _inplace_unary
from .pointwise import (
    _cast,
    _float_unary,
    _scalar,
    binary,
    expm1,
    log1p,
    pow,
    promote,
    rsqrt,
    sign,
    square,
    trunc,
)

# ----------------------------------------------------------------------------- unary

tan = _float_unary(mo.Tan)
sinh = _float_unary(mo.Sinh)
cosh = _float_unary(mo.Cosh)
asin = arcsin = _float_unary(mo.Asin)
acos = arccos = _float_unary(mo.Acos)
atan = arctan = _float_unary(mo.Atan)
asinh = arcsinh = _float_unary(mo.Asinh)
acosh = arccosh = _float_unary(mo.Acosh)
atanh = arctanh = _float_unary(mo.Atanh)
erfc = _float_unary(go.Erfc)
erfinv = _float_unary(go.Erfinv)
lgamma = _float_unary(go.Lgamma)
digamma = _float_unary(go.Digamma)
sinc = _float_unary(mo.Sinc)


def _floating(name: str, input) -> Tensor:
    """input as a floating tensor (integers and bools to the default float dtype)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return input if input._data.dtype.kind == "f" else _cast(input, dtypes.get_default_dtype())


def exp2(input, *, out=None) -> Tensor:
    """2 ** input"""
    return _args.maybe_out(pow(2.0, _floating("exp2", input)), out, "exp2")


def deg2rad(input, *, out=None) -> Tensor:
    """input · π/180"""
    return _args.maybe_out(_floating("deg2rad", input) * (math.pi / 180), out, "deg2rad")


def rad2deg(input, *, out=None) -> Tensor:
    """input · 180/π"""
    return _args.maybe_out(_floating("rad2deg", input) * (180 / math.pi), out, "rad2deg")


def _float_only(name: str, *tensors) -> None:
    """torch's kernels that exist for floating dtypes only name the dtype they lack."""
    for tensor in tensors:
        if tensor._data.dtype.kind != "f":
            raise NotImplementedError(f'"{name}_cpu" not implemented for '
                                      f"'{tensor.dtype.scalar_name}'")


def frac(input, *, out=None) -> Tensor:
    """input - trunc(input): the fractional part, with input's sign (gradient 1)."""
    _float_only("frac", input)
    return _args.maybe_out(input - trunc(input), out, "frac")


def sgn(input, *, out=None) -> Tensor:
    """The sign, as torch.sign, for real tensors (x / |x| for complex ones in torch)."""
    return _args.maybe_out(sign(input), out, "sgn")


def signbit(input, *, out=None) -> Tensor:
    """Whether the sign bit is set: True for negative numbers and -0.0 (no gradient)."""
    _args.tensor_only("signbit", input=input)
    data = input._data
    bits = data < 0 if data.dtype.kind == "b" else get_array_module(data).signbit(data)
    return _args.maybe_out(input._make(bits), out, "signbit")


def logit(input, eps=None, *, out=None) -> Tensor:
    """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when eps is given."""
    if eps is not None and (not isinstance(eps, (int, float)) or isinstance(eps, bool)):
        raise TypeError(f"logit(): argument 'eps' must be float, not {type(eps).__name__}")
    return _args.maybe_out(mo.Logit.apply(_floating("logit", input), eps=eps), out, "logit")


def polygamma(n, input, *, out=None) -> Tensor:
    """The n-th derivative of digamma (n = 0 is digamma itself)."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    result = go.Polygamma.apply(_floating("polygamma", input), n=n)
    return _args.maybe_out(result, out, "polygamma")


def nan_to_num(input, nan: float = 0.0, posinf=None, neginf=None, *, out=None) -> Tensor:
    """input with nan, +inf and -inf replaced (by 0, and the dtype's largest and smallest
    finite values unless given)."""
    _args.tensor_only("nan_to_num", input=input)
    if input._data.dtype.kind != "f":
        return _args.maybe_out(input.clone(), out, "nan_to_num")
    result = mo.NanToNum.apply(input, nan=nan, posinf=posinf, neginf=neginf)
    return _args.maybe_out(result, out, "nan_to_num")


# ----------------------------------------------------------------------------- binary

def _float_binary(op, input, other) -> Tensor:
    """Two tensors (or a tensor and a number) promoted together, then to the default float."""
    a, b = promote(input, other)
    tensor = a if isinstance(a, Tensor) else b
    if tensor._data.dtype.kind != "f":
        return binary(op, input, other, true_division=True)
    return binary(op, a, b)


def atan2(input, other, *, out=None) -> Tensor:
    """The angle of the point (other, input), in (-π, π]."""
    _args.tensor_only("atan2", input=input, other=other)
    return _args.maybe_out(_float_binary(mo.Atan2, input, other), out, "atan2")


arctan2 = atan2


def _float_kernel(name: str, op, input, other, out) -> Tensor:
    """A two-tensor function whose torch kernel exists for floating dtypes only."""
    _args.tensor_only(name, input=input, other=other)
    a, b = promote(input, other)
    _float_only(name, a, b)
    return _args.maybe_out(binary(op, a, b), out, name)


def hypot(input, other, *, out=None) -> Tensor:
    """√(input² + other²), without overflow for large inputs."""
    return _float_kernel("hypot", mo.Hypot, input, other, out)


def logaddexp(input, other, *, out=None) -> Tensor:
    """log(e^input + e^other), without overflow."""
    return _float_kernel("logaddexp", mo.Logaddexp, input, other, out)


def logaddexp2(input, other, *, out=None) -> Tensor:
    """log₂(2^input + 2^other), without overflow."""
    return _float_kernel("logaddexp2", mo.Logaddexp2, input, other, out)


def xlogy(input, other, *, out=None) -> Tensor:
    """input · log(other), 0 where input is 0 (unless other is nan); either may be a number."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        _args.invalid_combination("xlogy", input, other)
    op = mo.Xlogy if isinstance(input, Tensor) and isinstance(other, Tensor) else \
        mo.XlogyScalarSelf if isinstance(other, Tensor) else mo.XlogyScalarOther
    return _args.maybe_out(_float_binary(op, input, other), out, "xlogy")


def copysign(input, other, *, out=None) -> Tensor:
    """|input| with the sign of other (a tensor or a number)."""
    _args.tensor_first("copysign", input, other)
    op = mo.Copysign if isinstance(other, Tensor) else mo.CopysignScalar
    return _args.maybe_out(_float_binary(op, input, other), out, "copysign")


def float_power(input, exponent, *, out=None) -> Tensor:
    """input ** exponent computed in float64 (the result is float64 whatever the inputs)."""
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        _args.invalid_combination("float_power", input, exponent)
    double = [_cast(x, dtypes.float64) if isinstance(x, Tensor) else float(_scalar(x))
              for x in (input, exponent)]
    return _args.maybe_out(pow(*double), out, "float_power")


# ----------------------------------------------------------------------------- in place

def float_power_(self, exponent) -> Tensor:
    if self.dtype is not dtypes.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype "
                           f"{self.dtype.scalar_name} but the operation's result requires "
                           "dtype Double")
    return _inplace_unary("float_power_", float_power)(self, exponent)


def polygamma_(self, n) -> Tensor:
    return _inplace_unary("polygamma_", lambda x: polygamma(n, x))(self)


_UNARY = {"tan": tan, "sinh": sinh, "cosh": cosh, "asin": asin, "acos": acos, "atan": atan,
          "asinh": asinh, "acosh": acosh, "atanh": atanh, "arcsin": arcsin,
          "arccos": arccos, "arctan": arctan, "arcsinh": arcsinh, "arccosh": arccosh,
          "arctanh": arctanh, "erfc": erfc, "erfinv": erfinv, "lgamma": lgamma,
          "digamma": digamma, "sinc": sinc, "exp2": exp2, "deg2rad": deg2rad,
          "rad2deg": rad2deg, "frac": frac, "sgn": sgn, "logit": logit,
          "nan_to_num": nan_to_num, "atan2": atan2, "arctan2": arctan2, "hypot": hypot,
          "xlogy": xlogy, "copysign": copysign}

# Tensor methods: every function above, its in-place form where torch has one, and the
# functions whose Tensor method has another argument order or no in-place form.
METHODS = {**_UNARY,
           **{f"{name}_": _inplace_unary(f"{name}_", function)
              for name, function in _UNARY.items()},
           "signbit": signbit, "logaddexp": logaddexp, "logaddexp2": logaddexp2,
           "float_power": float_power, "float_power_": float_power_,
           "polygamma": lambda self, n: polygamma(n, self), "polygamma_": polygamma_,
           **{f"{function.__name__}_": _inplace_unary(f"{function.__name__}_", function)
              for function in (square, expm1, log1p, rsqrt)}}
