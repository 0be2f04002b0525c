"""In-place methods (`x.add_(y)`, `x.zero_()`, ...): torch's dtype checks, then the shared
in-place machinery of autograd/inplace.py (version counter, leaf checks, graph rewiring)."""
from __future__ import annotations

from .. import backend, dtypes, random
from ..autograd import grad_mode
from ..autograd.inplace import adopt, apply_inplace
from ..ops import elementwise as ew
from ..tensor import Tensor
from . import dtype_support as support
from . import piecewise_ops as pw
from . import promotion
from ._args import broadcast_shapes, checked_scalar
from .pointwise import (
    _scalar,
    abs,
    ceil,
    clamp,
    exp,
    floor,
    log,
    masked_fill,
    neg,
    pow,
    promote,
    reciprocal,
    relu,
    round,
    sigmoid,
    sign,
    sqrt,
    tanh,
)
from .sampling import check_std, check_uniform, floating_only


def _inplace_binary(name, op, ufunc_name=None, true_division=False, check=None):
    """Make `x.add_(y)`-style methods: checked promotion, then the shared in-place machinery."""
    def method(self, other, **kwargs):
        alpha = kwargs.pop("alpha", 1)
        if kwargs:
            raise TypeError(f"{name}() got an unexpected keyword argument {next(iter(kwargs))!r}")
        if check is not None:
            check(self, other)
        support.check_alpha(alpha, self, other)
        if alpha != 1:
            other = other * alpha
        target = promotion.result_type(self, other if isinstance(other, Tensor) else _scalar(other))
        if true_division and not target.is_floating_point:
            target = dtypes.get_default_dtype()
        if not promotion.can_cast(target, self.dtype):
            raise RuntimeError(f"result type {target.scalar_name} can't be cast to the "
                               f"desired output type {self.dtype.scalar_name}")
        a, b = promote(self, other, true_division)
        ufunc = getattr(backend.get_array_module(self._data), ufunc_name) if ufunc_name else None
        if a is not self:  # promotion made a copy: the fast ufunc path would miss self
            ufunc = None
        return apply_inplace(self, op, (a, b), {}, name, ufunc=ufunc)
    method.__name__ = name
    return method


add_ = _inplace_binary("add_", ew.Add, "add")
sub_ = _inplace_binary("sub_", ew.Sub, "subtract", check=support.check_subtraction)
mul_ = _inplace_binary("mul_", ew.Mul, "multiply")
div_ = _inplace_binary("div_", ew.Div, "divide", true_division=True)


def _inplace_unary(name, function):
    def method(self, *args, **kwargs):
        result = function(self, *args, **kwargs)
        if result.dtype is not self.dtype and not promotion.can_cast(result.dtype, self.dtype):
            raise RuntimeError(f"result type {result.dtype.scalar_name} can't be cast to "
                               f"the desired output type {self.dtype.scalar_name}")
        return _adopt(self, result, name)
    method.__name__ = name
    return method


def _adopt(self, result, name):
    """In place by recomputing: write `result` (made from self) into self; self takes its place."""
    return adopt(self, result, name)


def masked_fill_(self, mask, value):
    return _adopt(self, masked_fill(self, mask, value), "masked_fill_")


pow_ = _inplace_unary("pow_", pow)
clamp_ = _inplace_unary("clamp_", clamp)
clamp_min_ = _inplace_unary("clamp_min_", lambda self, min: clamp(self, min=min))
clamp_max_ = _inplace_unary("clamp_max_", lambda self, max: clamp(self, max=max))
neg_ = _inplace_unary("neg_", neg)
exp_ = _inplace_unary("exp_", exp)
log_ = _inplace_unary("log_", log)
sqrt_ = _inplace_unary("sqrt_", sqrt)
abs_ = _inplace_unary("abs_", abs)
sigmoid_ = _inplace_unary("sigmoid_", sigmoid)
tanh_ = _inplace_unary("tanh_", tanh)
relu_ = _inplace_unary("relu_", relu)
floor_ = _inplace_unary("floor_", floor)
ceil_ = _inplace_unary("ceil_", ceil)
round_ = _inplace_unary("round_", round)
reciprocal_ = _inplace_unary("reciprocal_", reciprocal)
sign_ = _inplace_unary("sign_", sign)


def zero_(self) -> Tensor:
    return fill_(self, 0)


def fill_(self, value) -> Tensor:
    if isinstance(value, Tensor):
        if value._data.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        if value._requires_grad and grad_mode.state.enabled:
            return _adopt(self, value.expand(self.shape) + self * 0, "fill_")
        value = value.item()
    value = checked_scalar(value, self._data.dtype)
    return apply_inplace(self, pw.Fill, (self,), {"value": value}, "fill_")


def copy_(self, src, non_blocking: bool = False) -> Tensor:
    """Copy src's values into self (broadcasting src, converting dtype and device)."""
    if not isinstance(src, Tensor):
        src = Tensor._make(backend.asarray(src))
    moved = src.to(device=self.device)
    try:
        broadcast_shapes(tuple(self.shape), tuple(src.shape))
    except RuntimeError:
        raise RuntimeError(f"The size of tensor a ({self.shape[-1] if self.ndim else 1}) must "
                           f"match the size of tensor b ({src.shape[-1] if src.ndim else 1}) at "
                           "non-singleton dimension") from None
    if tuple(moved.shape) != tuple(self.shape):
        moved = moved.expand(self.shape)
    if not (grad_mode.state.enabled and (moved._requires_grad or self.requires_grad)):
        return adopt(self, moved, "copy_")
    return adopt(self, pw.CopyFrom.apply(moved), "copy_")


def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
    check_uniform(a, b, self.dtype)
    array = random.random_array("uniform", self._data.shape, self._data.dtype, self.device,
                                 generator, a, b)
    return _fill_random(self, array, "uniform_")


def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    floating_only("normal_kernel_cpu", self.dtype)
    check_std(std)
    array = random.random_array("normal", self._data.shape, self._data.dtype, self.device,
                                 generator)
    if std != 1:
        array *= std
    if mean != 0:
        array += mean
    return _fill_random(self, array, "normal_")


def _fill_random(self, array, name) -> Tensor:
    if self._requires_grad and self._grad_fn is None and grad_mode.state.enabled:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    self._data[...] = array
    self._version_counter.bump(name)
    return self
