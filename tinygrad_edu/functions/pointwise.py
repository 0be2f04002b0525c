"""Elementwise functions and operators, with torch's type promotion and error messages."""
from __future__ import annotations

from .. import arrays, backend, dtypes
from ..ops import elementwise as ew
from ..ops.movement import ToCopy
from ..tensor import Tensor
from . import _args, promotion
from . import dtype_support as support
from . import piecewise_ops as pw
from . import pointwise_ops as pwo
from ._args import broadcast_shapes, maybe_out
from .indexing import nonzero
from .special import Erf

# ----------------------------------------------------------------------------- operands

def _scalar(value):
    """Python numbers pass; NumPy scalars and 0-d arrays become Python numbers."""
    if isinstance(value, (int, float, bool)):
        return value
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 and not isinstance(value, Tensor):
        return value.item()
    raise TypeError(f"unsupported operand type: expected a Tensor or a number, got "
                    f"{type(value).__name__}")


def _cast(tensor: Tensor, dtype) -> Tensor:
    return ToCopy.apply(tensor, dtype=dtype.numpy) if tensor.dtype is not dtype else tensor


def promote(a, b, true_division: bool = False):
    """Bring two operands (a Tensor and a Tensor or number) to torch's common dtype.

    Python numbers stay numbers: NumPy treats them as 'weak', like torch, once the tensor has the
    right kind. The result is (a, b) ready for a primitive.
    """
    a_is_tensor, b_is_tensor = isinstance(a, Tensor), isinstance(b, Tensor)
    if a_is_tensor and b_is_tensor:
        if type(a._data) is not type(b._data) or (
                not backend.on_host(a._data) and a.device != b.device):
            if a._data.ndim and b._data.ndim:
                raise RuntimeError("Expected all tensors to be on the same device, but found at "
                                   f"least two devices, {_devices(a, b)}!")
            # a 0-d CPU tensor may meet a GPU tensor, as in torch
            if a._data.ndim == 0 and a.device.type == "cpu":
                a = a.to(b.device)
            else:
                b = b.to(a.device)
        if a._data.dtype == b._data.dtype and not (true_division and a._data.dtype.kind != "f"):
            return a, b
        target = promotion.result_type(a, b)
        if true_division and not target.is_floating_point:
            target = dtypes.get_default_dtype()
        return _cast(a, target), _cast(b, target)
    if not a_is_tensor:
        b, a = promote(b, a, true_division)
        return a, b
    b = _scalar(b)
    kind = a._data.dtype.kind
    if kind == "f":
        return a, b
    if isinstance(b, float) or true_division:
        return _cast(a, dtypes.get_default_dtype()), b
    if kind == "b" and not isinstance(b, bool):
        return _cast(a, dtypes.int64), b
    if kind in "iu" and not isinstance(b, bool):
        limits = arrays.iinfo(a._data.dtype)
        if not limits.min <= b <= limits.max:  # torch wraps around; NumPy would refuse
            b = backend.asarray(b).astype(a._data.dtype)[()]  # a NumPy scalar: CuPy takes it
    return a, b


def _devices(a, b) -> str:
    return f"{b.device} and {a.device}" if a.device.type == "cpu" else f"{a.device} and {b.device}"


def binary(op, a, b, true_division: bool = False, **options) -> Tensor:
    """Apply a two-operand primitive with promotion and torch's broadcasting error."""
    a, b = promote(a, b, true_division)
    try:
        return op.apply(a, b, **options)
    except ValueError:
        _raise_broadcast_error(a, b)
        raise


def _raise_broadcast_error(*operands) -> None:
    shapes = [tuple(x.shape) for x in operands if hasattr(x, "shape")]  # tensors and arrays
    if len(set(shapes)) >= 2:  # equal shapes (the common case) need no check
        broadcast_shapes(*shapes)  # raises torch's message when they do not broadcast


# ----------------------------------------------------------------------------- arithmetic

def add(input, other, *, alpha=1, out=None) -> Tensor:
    """input + alpha * other"""
    support.check_alpha(alpha, input, other)
    if alpha != 1:
        other = other * alpha
    return maybe_out(binary(ew.Add, input, other), out, "add")


def sub(input, other, *, alpha=1, out=None) -> Tensor:
    """input - alpha * other"""
    support.check_subtraction(input, other)
    support.check_alpha(alpha, input, other)
    if alpha != 1:
        other = other * alpha
    return maybe_out(binary(ew.Sub, input, other), out, "sub")


def rsub(input, other, *, alpha=1) -> Tensor:
    """other - alpha * input (torch.rsub; `2 - x` records RsubBackward1, as torch)."""
    _args.tensor_first("rsub", input, other)
    if not isinstance(other, Tensor) and isinstance(input, Tensor):
        other = _scalar(other)
        if not (support.is_bool(other) or support.is_bool(input)):
            support.check_alpha(alpha, input, other)
            a, b = promote(input if alpha == 1 else input * alpha, other)
            return ew.RSub.apply(a, other=b)
    return sub(other, input, alpha=alpha)


def mul(input, other, *, out=None) -> Tensor:
    return maybe_out(binary(ew.Mul, input, other), out, "mul")


def div(input, other, *, rounding_mode=None, out=None) -> Tensor:
    """input / other; rounding_mode 'floor' or 'trunc' rounds the quotient (zero gradient)."""
    if rounding_mode is None:
        result = binary(ew.Div, input, other, true_division=True)
    elif rounding_mode in ("floor", "trunc") and _is_floating(input, other):
        result = binary(pwo.DivRounding, input, other, mode=rounding_mode)
    elif rounding_mode == "floor":
        result = floor_divide(input, other)
    elif rounding_mode == "trunc":
        _check_division(input, other, "div_trunc_cpu")
        a, b = promote(input, other)
        xp = backend.get_array_module(a._data)
        result = Tensor._make((xp.trunc(a._data / _raw(b))).astype(a._data.dtype))
    else:
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    return maybe_out(result, out, "div")


def _raw(x):
    return x._data if isinstance(x, Tensor) else x


def floor_divide(input, other, *, out=None) -> Tensor:
    """⌊input / other⌋, the `//` operator (no gradient, as torch)."""
    _check_division(input, other, "div_floor_cpu")
    a, b = promote(input, other)
    a_raw, b_raw = _raw(a), _raw(b)
    if isinstance(a_raw, (int, float)):
        a_raw, b_raw = b_raw.dtype.type(a_raw), b_raw
    _raise_broadcast_error(a_raw, b_raw)
    xp = backend.get_array_module(a_raw if hasattr(a_raw, "dtype") else b_raw)
    result = Tensor._make(xp.floor_divide(a_raw, b_raw))
    return maybe_out(result, out, "aten::floor_divide")  # torch's own wording here


def _is_int_zero(value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value == 0
    if hasattr(value, "dtype") and value.dtype.kind in "iu":
        return bool((value == 0).any())
    return False


def remainder(input, other, *, out=None) -> Tensor:
    """input - ⌊input/other⌋·other (the sign follows other, as Python's %)."""
    _check_division(input, other, "remainder_cpu")
    return maybe_out(binary(pwo.Remainder, input, other), out, "remainder")


def _check_division(input, other, kernel: str) -> None:
    """No bool `kernel` in torch, and an integer divisor of 0 raises (NumPy would give 0)."""
    a, b = promote(input, other)
    tensor = a if isinstance(a, Tensor) else b
    support.refuse(tensor, kernel)
    if tensor._data.dtype.kind in "iu" and _is_int_zero(_raw(b)):
        raise RuntimeError("ZeroDivisionError")


def fmod(input, other, *, out=None) -> Tensor:
    """input - trunc(input / other) · other (the sign follows input, as C's fmod)."""
    _args.tensor_first("fmod", input, other)
    _check_division(input, other, "fmod_cpu")
    op = pwo.FmodTensor if isinstance(other, Tensor) else pwo.Fmod
    return maybe_out(binary(op, input, other), out, "fmod")


def _is_floating(input, other) -> bool:
    """Whether input (op) other computes in a floating dtype, after torch's promotion."""
    a, b = promote(input, other)
    tensor = a if isinstance(a, Tensor) else b
    return tensor._data.dtype.kind == "f"


def pow(input, exponent, *, out=None) -> Tensor:
    """input ** exponent (tensor ** number, tensor ** tensor or number ** tensor)."""
    if isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        exponent = _scalar(exponent)
        if input._data.dtype.kind != "f" and (isinstance(exponent, float) or exponent < 0):
            if isinstance(exponent, int):
                raise RuntimeError("Integers to negative integer powers are not allowed.")
            input = _cast(input, dtypes.get_default_dtype())
        elif input.dtype is dtypes.bool_ and not isinstance(exponent, bool):
            input = _cast(input, dtypes.int64)  # bool ** int computes in int64, as bool + int
        return maybe_out(ew.PowScalar.apply(input, exponent=exponent), out, "pow")
    support.refuse(promotion.result_type(input, exponent), "pow")  # no bool ** bool
    if not isinstance(input, Tensor):
        base = _scalar(input)
        if exponent._data.dtype.kind != "f" and isinstance(base, float):
            exponent = _cast(exponent, dtypes.get_default_dtype())
        return maybe_out(pwo.ScalarPow.apply(exponent, base=base), out, "pow")
    return maybe_out(binary(pwo.Pow, input, exponent), out, "pow")


def neg(input, *, out=None) -> Tensor:
    support.refuse_with(input, support.BOOL, support.NEGATE_BOOL)
    return maybe_out(ew.Neg.apply(input), out, "neg")


def _float_unary(op):
    """A unary float function: integer inputs are first converted to the default float."""
    name = op.__name__.lower()

    def apply(input, *, out=None) -> Tensor:
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' (position 1) must be "
                            f"Tensor, not {type(input).__name__}")
        if input._data.dtype.kind != "f":
            input = _cast(input, dtypes.get_default_dtype())
        return maybe_out(op.apply(input), out, name)
    apply.__name__ = name
    apply.__doc__ = op.__doc__
    return apply


exp = _float_unary(ew.Exp)
log = _float_unary(ew.Log)
log1p = _float_unary(pwo.Log1p)
expm1 = _float_unary(pwo.Expm1)
sqrt = _float_unary(ew.Sqrt)
rsqrt = _float_unary(pwo.Rsqrt)
sin = _float_unary(pwo.Sin)
cos = _float_unary(pwo.Cos)
tanh = _float_unary(ew.Tanh)
sigmoid = _float_unary(ew.Sigmoid)
erf = _float_unary(Erf)
reciprocal = _float_unary(pwo.Reciprocal)


def log2(input) -> Tensor:
    return log(input) / 0.6931471805599453


def log10(input) -> Tensor:
    return log(input) / 2.302585092994046


def square(input) -> Tensor:
    return pow(input, 2)


def abs(input, *, out=None) -> Tensor:
    support.refuse(input, "abs_cpu")
    return maybe_out(pw.Abs.apply(input), out, "abs")


absolute = abs


def relu(input) -> Tensor:
    support.refuse_with(input, support.BOOL, "Boolean inputs not supported for relu")
    return ew.Relu.apply(input)


def sign(input) -> Tensor:
    return pw.Sign.apply(input)


def _rounding(op, kernel: str):
    """An integer is already whole (torch has no bool kernel, nor integer ones for decimals)."""
    def apply(input, **options) -> Tensor:
        refused = support.INTEGRAL if options.get("decimals") else support.BOOL
        support.refuse(input, "round_cpu" if options.get("decimals") else kernel, refused)
        return op.apply(input, **options) if input.is_floating_point() else input.clone()
    apply.__name__ = op.__name__.lower()
    return apply


floor = _rounding(pw.Floor, "floor_vml_cpu")
ceil = _rounding(pw.Ceil, "ceil_vml_cpu")
trunc = _rounding(pw.Trunc, "trunc_vml_cpu")
round = _rounding(pw.Round, "round_vml_cpu")


def clamp(input, min=None, max=None, *, out=None) -> Tensor:
    """Limit every element to [min, max] (either may be omitted; numbers or tensors)."""
    given = [b for b in (input, min, max) if b is not None]
    if not isinstance(input, Tensor) or len({isinstance(b, Tensor) for b in given[1:]}) > 1:
        _args.invalid_combination("clamp", *given)  # the bounds are both numbers or both tensors
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [b if b is None or isinstance(b, Tensor) else _scalar(b) for b in (min, max)]
    if any(isinstance(b, float) for b in bounds) and input._data.dtype.kind != "f":
        input = _cast(input, dtypes.get_default_dtype())
    bounds = [_args.checked_scalar(b, input._data.dtype) for b in bounds]
    if any(isinstance(b, Tensor) for b in bounds):
        target = promotion.result_type(input, *[b for b in bounds if b is not None])
        input = _cast(input, target)
        bounds = [_cast(b, target) if isinstance(b, Tensor) else b for b in bounds]
    _raise_broadcast_error(input, *bounds)
    return maybe_out(pw.Clamp.apply(input, *bounds), out, "clamp")


clip = clamp


def clamp_min(input, min) -> Tensor:
    return clamp(input, min=min)


def clamp_max(input, max) -> Tensor:
    return clamp(input, max=max)


def maximum(input, other, *, out=None) -> Tensor:
    _args.tensor_only("maximum", input=input, other=other)
    return maybe_out(binary(pw.Maximum, input, other), out, "maximum")


def minimum(input, other, *, out=None) -> Tensor:
    _args.tensor_only("minimum", input=input, other=other)
    return maybe_out(binary(pw.Minimum, input, other), out, "minimum")


def where(condition, input=None, other=None) -> Tensor:
    """input where condition is true, other elsewhere (numbers or tensors, broadcast)."""
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    condition = condition._data if isinstance(condition, Tensor) else condition
    if getattr(condition, "dtype", None) is not None and condition.dtype.kind != "b":
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {dtypes.from_numpy(condition.dtype).scalar_name}")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = Tensor._make(backend.asarray(input, dev=backend.device_of(condition)))
    dtype = promotion.result_type(input, other).numpy  # a number must fit the result's dtype
    a, b = promote(*(_args.checked_scalar(x, dtype) for x in (input, other)))
    _raise_broadcast_error(condition, a, b)
    return pw.Where.apply(a, b, condition=condition)


def masked_fill(input, mask, value) -> Tensor:
    """input with `value` wherever mask is true."""
    mask_array = mask._data if isinstance(mask, Tensor) else mask
    if mask_array.dtype.kind != "b":
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{dtypes.from_numpy(mask_array.dtype).name}")
    if isinstance(value, Tensor):
        if value._data.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value._data.ndim} dimension(s).")
        if not value._requires_grad:
            value = value.item()
    value = _args.checked_scalar(value, input._data.dtype)  # torch refuses what would overflow
    try:
        return pw.MaskedFill.apply(input, value, mask=mask_array)
    except ValueError:
        broadcast_shapes(tuple(input.shape), tuple(mask_array.shape))
        raise


def lerp(input, end, weight) -> Tensor:
    if not isinstance(input, Tensor) or not isinstance(end, Tensor):
        _args.invalid_combination("lerp", input, end, weight)
    kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
    support.refuse(input, kernel, support.INTEGRAL)
    _raise_broadcast_error(input, end, weight)  # in torch's order (the sum below is reversed)
    return input + (end - input) * weight


def addcmul(input, tensor1, tensor2, *, value=1) -> Tensor:
    _args.tensor_only("addcmul", input=input, tensor1=tensor1, tensor2=tensor2)
    support.refuse(promotion.result_type(input, tensor1, tensor2), "addcmul_cpu_out")
    return input + value * tensor1 * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1) -> Tensor:
    _args.tensor_only("addcdiv", input=input, tensor1=tensor1, tensor2=tensor2)
    support.refuse_with(promotion.result_type(tensor1, tensor2), support.INTEGRAL,
                        support.INTEGER_ADDCDIV)
    return input + value * tensor1 / tensor2
