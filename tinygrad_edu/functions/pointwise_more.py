"""More of torch's pointwise functions: fix and positive, fmax/fmin (NaN-ignoring), heaviside,
gcd/lcm, the bit shifts, ldexp/frexp/nextafter, the inf and real tests, i0, angle, mvlgamma;
and renorm, diagflat and Tensor.sum_to_size. Each with its Tensor method and, where torch has
one, its in-place form (`METHODS`, installed on Tensor by functions.install).
"""
from __future__ import annotations

import math

from .. import dtypes
from ..autograd import grad_mode
from ..backend import get_array_module
from ..tensor import Size, Tensor
from . import _args, promotion
from . import dtype_support as support
from . import pointwise_more_ops as pmo
from .decompositions import check_tensor, return_type
from .inplace import _inplace_unary
from .inplace_more import from_copy
from .math import _float_only, _floating, lgamma
from .norms import vector_norm
from .pointwise import _cast, _raise_broadcast_error, _raw, _scalar, binary, promote, trunc, where
from .reduction import sum as _sum
from .shape_more import diag

__all__ = ["angle", "bitwise_left_shift", "bitwise_right_shift", "diagflat", "fix", "fmax",
           "fmin", "frexp", "gcd", "heaviside", "i0", "isneginf", "isposinf", "isreal", "lcm",
           "ldexp", "mvlgamma", "nextafter", "positive", "renorm"]

_Frexp = return_type("frexp", "mantissa exponent")


def _tensors(function: str, **arguments) -> None:
    """torch's TypeError for a non-Tensor argument, naming its position."""
    for position, (name, value) in enumerate(arguments.items(), 1):
        check_tensor(value, function, name, position)


def fix(input, *, out=None) -> Tensor:
    """torch.fix: another name for trunc."""
    return _args.maybe_out(trunc(input), out, "fix")


def positive(input) -> Tensor:
    """`+x`: the input itself (torch returns the same tensor), refused for bool."""
    _tensors("positive", input=input)
    support.refuse_with(input, support.BOOL, "The `+` operator, on a bool tensor is not "
                                             "supported.")
    return input


# ----------------------------------------------------------------------------- two tensors

def fmax(input, other, *, out=None) -> Tensor:
    """The larger of two tensors, ignoring a NaN in either (NaN only where both are)."""
    _tensors("fmax", input=input, other=other)
    return _args.maybe_out(binary(pmo.Fmax, input, other), out, "fmax")


def fmin(input, other, *, out=None) -> Tensor:
    """The smaller of two tensors, ignoring a NaN in either (NaN only where both are)."""
    _tensors("fmin", input=input, other=other)
    return _args.maybe_out(binary(pmo.Fmin, input, other), out, "fmin")


def heaviside(input, values, *, out=None) -> Tensor:
    """0 where input < 0, 1 where input > 0, `values` where input is 0 (no derivative)."""
    _tensors("heaviside", input=input, values=values)
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    xp = get_array_module(input._data)
    raw = input._data
    result = xp.where(raw == 0, values._data, raw > 0).astype(raw.dtype, copy=False)
    needs_grad = grad_mode.state.enabled and (input.requires_grad or values.requires_grad)
    if needs_grad:
        result = pmo.NotDifferentiable.apply(input, values, values=result, name="heaviside")
    else:
        result = Tensor._make(result)
    return _args.maybe_out(result, out, "heaviside")


def _integers(kernel: str, input, other):
    """Two operands promoted together, whose torch kernel has integer dtypes only."""
    a, b = promote(input, other)
    for x in (a, b):
        if isinstance(x, Tensor) and x._data.dtype.kind not in "iu":
            raise NotImplementedError(f'"{kernel}_cpu" not implemented for '
                                      f"'{x.dtype.scalar_name}'")
        if isinstance(x, float):
            raise NotImplementedError(f'"{kernel}_cpu" not implemented for \'Float\'')
    return a, b


def _integer_function(name: str, function, input, other, out) -> Tensor:
    _tensors(name, input=input, other=other)
    a, b = _integers(name, input, other)
    try:
        result = function(get_array_module(a._data), a._data, b._data)
    except ValueError:
        _args.broadcast_shapes(tuple(a.shape), tuple(b.shape))
        raise
    return _args.maybe_out(Tensor._make(result), out, name)


def gcd(input, other, *, out=None) -> Tensor:
    """The greatest common divisor, elementwise (integers; never negative)."""
    return _integer_function("gcd", lambda xp, a, b: xp.gcd(a, b), input, other, out)


def lcm(input, other, *, out=None) -> Tensor:
    """The least common multiple, elementwise (integers; never negative)."""
    return _integer_function("lcm", lambda xp, a, b: xp.lcm(a, b), input, other, out)


def _shift(kernel: str, input, other, left: bool) -> Tensor:
    """x << n or x >> n as torch: a shift by a negative amount or by the width or more gives
    0 (or -1 for a negative x shifted right), where C leaves the result undefined."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        _args.invalid_combination(f"bitwise_{'left' if left else 'right'}_shift", input, other)
    a, b = _integers(kernel, input, other)
    if isinstance(a, Tensor) and a._data.dtype.kind == "b" or \
            isinstance(b, Tensor) and b._data.dtype.kind == "b":
        raise NotImplementedError(f'"{kernel}_cpu" not implemented for \'Bool\'')
    tensor = a if isinstance(a, Tensor) else b
    xp = get_array_module(tensor._data)
    a_raw, b_raw = xp.asarray(_raw(a), dtype=tensor._data.dtype), _raw(b)
    bits = a_raw.dtype.itemsize * 8
    inside = (b_raw >= 0) & (b_raw < bits)
    amount = xp.where(inside, b_raw, 0).astype(a_raw.dtype)
    if left:
        result = xp.where(inside, xp.left_shift(a_raw, amount), 0)
    else:
        result = xp.where(inside, xp.right_shift(a_raw, amount), xp.where(a_raw < 0, -1, 0))
    return Tensor._make(result.astype(a_raw.dtype, copy=False))


def bitwise_left_shift(input, other, *, out=None) -> Tensor:
    return _args.maybe_out(_shift("lshift", input, other, True), out, "bitwise_left_shift")


def bitwise_right_shift(input, other, *, out=None) -> Tensor:
    return _args.maybe_out(_shift("rshift", input, other, False), out, "bitwise_right_shift")


# ----------------------------------------------------------------------------- floating point

def ldexp(input, other, *, out=None) -> Tensor:
    """input · 2^other, as torch computes it (a float result, even for integer inputs)."""
    _tensors("ldexp", input=input, other=other)
    if not input.is_floating_point() and not other.is_floating_point():
        input = input.to(dtypes.get_default_dtype())
    _raise_broadcast_error(input, other)
    target = promotion.result_type(input, other)
    return _args.maybe_out(pmo.Ldexp.apply(_cast(input, target), other), out, "ldexp")


def frexp(input, *, out=None):
    """(mantissa, exponent) with input = mantissa · 2^exponent, 0.5 <= |mantissa| < 1."""
    _tensors("frexp", input=input)
    if not input.is_floating_point():
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa, exponent = pmo.Frexp.apply(input)
    if out is not None:
        _args.write_out(mantissa, out[0], "frexp")
        _args.write_out(exponent, out[1], "frexp")
        return _Frexp(*out)
    return _Frexp(mantissa, exponent)


def nextafter(input, other, *, out=None) -> Tensor:
    """The next floating-point number after input towards other."""
    _tensors("nextafter", input=input, other=other)
    a, b = promote(input, other)
    _float_only("nextafter", a, b)
    return _args.maybe_out(binary(pmo.Nextafter, a, b), out, "nextafter")


def isneginf(input, *, out=None) -> Tensor:
    _tensors("isneginf", input=input)
    raw = input._data
    return _args.maybe_out(Tensor._make(get_array_module(raw).isneginf(raw) if
                                        raw.dtype.kind == "f" else raw != raw), out, "isneginf")


def isposinf(input, *, out=None) -> Tensor:
    _tensors("isposinf", input=input)
    raw = input._data
    return _args.maybe_out(Tensor._make(get_array_module(raw).isposinf(raw) if
                                        raw.dtype.kind == "f" else raw != raw), out, "isposinf")


def isreal(input) -> Tensor:
    """True everywhere for a real tensor (torch: where the imaginary part is 0)."""
    _tensors("isreal", input=input)
    return Tensor._make(get_array_module(input._data).ones(input._data.shape, dtype=bool))


def i0(input, *, out=None) -> Tensor:
    """I₀, the modified Bessel function of the first kind of order 0."""
    return _args.maybe_out(pmo.I0.apply(_floating("i0", input)), out, "i0")


def angle(input, *, out=None) -> Tensor:
    """The argument of each element: π for a negative number, 0 otherwise (gradient 0)."""
    return _args.maybe_out(pmo.Angle.apply(_floating("angle", input)), out, "angle")


def mvlgamma(input, p: int, *, out=None) -> Tensor:
    """log Γ_p(x) = p(p-1)/4 · log π + Σ_(j<p) lgamma(x - j/2), the multivariate log-gamma."""
    _tensors("mvlgamma", input=input)
    if input.dtype is dtypes.bool_:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = _floating("mvlgamma", input)
    total = sum(lgamma(x - j / 2) for j in range(p))
    return _args.maybe_out(total + p * (p - 1) / 4 * math.log(math.pi), out, "mvlgamma")


# ----------------------------------------------------------------------------- whole tensor

def renorm(input, p, dim: int, maxnorm, *, out=None) -> Tensor:
    """Each slice input.select(dim, i) whose p-norm exceeds maxnorm, scaled to norm maxnorm
    (by maxnorm / (norm + 1e-7), as torch)."""
    _tensors("renorm", input=input)
    if not p > 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {_scalar(maxnorm):g}")
    if input.dim() < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.dim()} "
                           "dimensions")
    dim = _args.wrap_dim(dim, input.dim())
    others = tuple(d for d in range(input.dim()) if d != dim)
    norm = vector_norm(input, p, others, keepdim=True)
    factor = where(norm > maxnorm, maxnorm / (norm + 1e-7), 1.0)
    return _args.maybe_out(input * factor, out, "renorm")


def diagflat(input, offset: int = 0) -> Tensor:
    """The flattened input on the offset-th diagonal of a square matrix."""
    _tensors("diagflat", input=input)
    return diag(input.reshape(-1), offset)


def sum_to_size(self, *size) -> Tensor:
    """self summed down to `size`, which must broadcast to self's shape (the adjoint of expand):
    the leading dims are summed away, the dims of size 1 summed with keepdim."""
    if not size:
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    size = _args.size_args(size)
    shape = tuple(self.shape)
    lead = len(shape) - len(size)
    if lead < 0 or any(n not in (1, m) for n, m in zip(size, shape[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
    if size == shape:
        return self
    dims = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(size)
                                      if n == 1 and shape[lead + i] != 1)
    summed = _sum(self, dims, keepdim=True) if dims else self
    return summed.reshape(Size(size)) if lead else summed


# ----------------------------------------------------------------------------- methods

_IN_PLACE = {"fix": fix, "heaviside": heaviside, "gcd": gcd, "lcm": lcm, "ldexp": ldexp,
             "nextafter": nextafter, "i0": i0, "renorm": renorm, "mvlgamma": mvlgamma,
             "bitwise_left_shift": bitwise_left_shift,
             "bitwise_right_shift": bitwise_right_shift}

METHODS = {
    **_IN_PLACE,
    **{f"{name}_": _inplace_unary(f"{name}_", function) for name, function in _IN_PLACE.items()},
    "renorm_": _inplace_unary("renorm_", from_copy(renorm)),  # its norms saved self
    "positive": positive, "fmax": fmax, "fmin": fmin, "frexp": frexp, "isneginf": isneginf,
    "isposinf": isposinf, "isreal": isreal, "angle": angle, "diagflat": diagflat,
    "sum_to_size": sum_to_size,
}
