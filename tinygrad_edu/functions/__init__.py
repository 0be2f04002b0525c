"""The functions of the `torch.*` namespace, and the same functions attached as Tensor methods.

`torch.exp(x)` and `x.exp()` are one function here: each is defined once (with `input` first)
and installed on the Tensor class by `install()`, which the package __init__ calls once. Some
replace a core method of tensor.py with torch's full argument forms, promotion and errors.
"""
from __future__ import annotations

from ..ops import elementwise as ew
from ..tensor import Tensor
from . import (
    attributes,
    comparison,
    conversion,
    creation,
    decompositions,
    indexing,
    indexing_more,
    inplace,
    inplace_more,
    linalg,
    math,
    matrix_products,
    methods_more,
    pointwise,
    pointwise_more,
    products,
    reduction,
    sampling_more,
    searching,
    shape,
    shape_more,
    sparse_coo,
    spectral,
    statistics,
    triangular,
)

# Tensor methods: the method name, and the function that implements it.
_METHODS = {
    # pointwise
    "add": pointwise.add, "sub": pointwise.sub, "subtract": pointwise.sub, "mul": pointwise.mul,
    "multiply": pointwise.mul, "div": pointwise.div, "divide": pointwise.div,
    "true_divide": pointwise.div, "floor_divide": pointwise.floor_divide,
    "remainder": pointwise.remainder, "fmod": pointwise.fmod, "pow": pointwise.pow,
    "neg": pointwise.neg, "negative": pointwise.neg, "abs": pointwise.abs,
    "absolute": pointwise.abs, "exp": pointwise.exp, "log": pointwise.log,
    "log1p": pointwise.log1p, "log2": pointwise.log2, "log10": pointwise.log10,
    "expm1": pointwise.expm1, "sqrt": pointwise.sqrt, "rsqrt": pointwise.rsqrt,
    "square": pointwise.square, "sin": pointwise.sin, "cos": pointwise.cos,
    "tanh": pointwise.tanh, "sigmoid": pointwise.sigmoid, "erf": pointwise.erf,
    "relu": pointwise.relu,
    "reciprocal": pointwise.reciprocal, "sign": pointwise.sign, "floor": pointwise.floor,
    "ceil": pointwise.ceil, "round": pointwise.round, "trunc": pointwise.trunc,
    "clamp": pointwise.clamp, "clip": pointwise.clamp, "clamp_min": pointwise.clamp_min,
    "clamp_max": pointwise.clamp_max, "maximum": pointwise.maximum,
    "minimum": pointwise.minimum, "where": lambda self, condition, other:
        pointwise.where(condition, self, other),
    "masked_fill": pointwise.masked_fill, "lerp": pointwise.lerp,
    "addcmul": pointwise.addcmul, "addcdiv": pointwise.addcdiv,
    "eq": comparison.eq, "ne": comparison.ne, "lt": comparison.lt, "le": comparison.le,
    "gt": comparison.gt, "ge": comparison.ge, "greater": comparison.gt, "less": comparison.lt,
    "greater_equal": comparison.ge, "less_equal": comparison.le, "not_equal": comparison.ne,
    "logical_and": comparison.logical_and, "logical_or": comparison.logical_or,
    "logical_xor": comparison.logical_xor, "logical_not": comparison.logical_not,
    "bitwise_and": comparison.bitwise_and, "bitwise_or": comparison.bitwise_or,
    "bitwise_xor": comparison.bitwise_xor, "bitwise_not": comparison.bitwise_not,
    "isnan": comparison.isnan, "isinf": comparison.isinf, "isfinite": comparison.isfinite,
    "isclose": comparison.isclose, "allclose": comparison.allclose, "equal": comparison.equal,
    # in place
    "add_": inplace.add_, "sub_": inplace.sub_, "mul_": inplace.mul_,
    "div_": inplace.div_, "pow_": inplace.pow_, "neg_": inplace.neg_,
    "exp_": inplace.exp_, "log_": inplace.log_, "sqrt_": inplace.sqrt_,
    "abs_": inplace.abs_, "sigmoid_": inplace.sigmoid_, "tanh_": inplace.tanh_,
    "relu_": inplace.relu_, "floor_": inplace.floor_, "ceil_": inplace.ceil_,
    "round_": inplace.round_, "reciprocal_": inplace.reciprocal_, "sign_": inplace.sign_,
    "clamp_": inplace.clamp_, "clip_": inplace.clamp_, "clamp_min_": inplace.clamp_min_,
    "clamp_max_": inplace.clamp_max_, "masked_fill_": inplace.masked_fill_,
    "zero_": inplace.zero_, "fill_": inplace.fill_, "copy_": inplace.copy_,
    "uniform_": inplace.uniform_, "normal_": inplace.normal_,
    "scatter_": indexing.scatter_, "scatter_add_": indexing.scatter_add_,
    "index_put_": indexing.index_put_,
    # reductions
    "sum": reduction.sum, "mean": reduction.mean, "prod": reduction.prod, "max": reduction.max,
    "min": reduction.min, "amax": reduction.amax, "amin": reduction.amin,
    "argmax": reduction.argmax, "argmin": reduction.argmin, "var": reduction.var,
    "std": reduction.std, "norm": reduction.norm, "logsumexp": reduction.logsumexp,
    "softmax": reduction.softmax, "log_softmax": reduction.log_softmax,
    "cumsum": reduction.cumsum, "cumprod": reduction.cumprod, "all": reduction.all,
    "any": reduction.any, "count_nonzero": reduction.count_nonzero, "sort": reduction.sort,
    "argsort": reduction.argsort, "topk": reduction.topk,
    # shape
    "view": shape.view, "view_as": shape.view_as, "reshape": shape.reshape,
    "reshape_as": shape.reshape_as, "flatten": shape.flatten, "unflatten": shape.unflatten,
    "squeeze": shape.squeeze, "unsqueeze": shape.unsqueeze, "permute": shape.permute,
    "transpose": shape.transpose, "swapaxes": shape.transpose, "swapdims": shape.transpose,
    "t": shape.t, "movedim": shape.movedim, "expand": shape.expand,
    "expand_as": shape.expand_as, "broadcast_to": shape.broadcast_to,
    "repeat": shape.repeat, "narrow": shape.narrow, "select": shape.select,
    "unbind": shape.unbind, "split": shape.split, "chunk": shape.chunk, "flip": shape.flip,
    "roll": shape.roll, "clone": shape.clone, "contiguous": shape.contiguous,
    "tril": triangular.tril, "triu": triangular.triu,
    # conversions
    "to": conversion.to, "type": conversion.type_, "type_as": conversion.type_as,
    "float": conversion.float_, "double": conversion.double, "half": conversion.half,
    "long": conversion.long, "int": conversion.int_, "short": conversion.short,
    "char": conversion.char, "byte": conversion.byte, "bool": conversion.bool_,
    "cpu": conversion.cpu, "cuda": conversion.cuda,
    # indexing
    "gather": indexing.gather, "scatter": indexing.scatter, "scatter_add": indexing.scatter_add,
    "index_select": indexing.index_select, "masked_select": indexing.masked_select,
    "nonzero": indexing.nonzero, "take": indexing.take,
    # linear algebra
    "matmul": linalg.matmul, "mm": linalg.mm, "bmm": linalg.bmm,
    "mv": linalg.mv,
    "dot": linalg.dot, "outer": linalg.outer, "ger": linalg.outer, "addmm": linalg.addmm,
    # creation from an existing tensor
    "new_empty": creation.new_empty, "new_zeros": creation.new_zeros,
    "new_ones": creation.new_ones, "new_full": creation.new_full,
    "new_tensor": creation.new_tensor,
}


def _reflected(function):
    def method(self, other):
        return function(other, self)
    return method


def _operator(op, general):
    """`x + y`, `x * y`, ...: the common case (a float tensor with a Python number, or with a
    tensor of the same dtype) goes straight to the primitive; anything else takes the general
    path (promotion, devices, torch's error messages). Every op call pays for this path."""
    def operator(self, other):
        data = self._data
        if data.dtype.kind == "f":
            kind = type(other)
            if kind is float or kind is int:
                return op.apply(self, other)
            if isinstance(other, Tensor) and other._data.dtype is data.dtype and \
                    type(other._data) is type(data):
                try:
                    return op.apply(self, other)
                except ValueError:
                    pass  # shapes do not broadcast: the general path raises torch's error
        return general(self, other)
    operator.__name__ = general.__name__
    return operator


def _rsub_operator(self, other):
    """`2 - x`: a float tensor and a Python number go straight to RSub, as `_operator` does
    (backward formulas such as tanh's `1 - y * y` take this path)."""
    kind = type(other)
    if (kind is float or kind is int) and self._data.dtype.kind == "f":
        return ew.RSub.apply(self, other=other)
    return pointwise.rsub(self, other)


def _reciprocal_times(self, other):
    if isinstance(other, (int, float)) and not isinstance(other, bool):
        return pointwise.reciprocal(self) * other
    return pointwise.div(other, self)


def _invert(self):
    """`~x`: torch's operator refuses floating tensors with a TypeError of its own."""
    if self._data.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return comparison.bitwise_not(self)


def _inplace_operator(method):
    def operator(self, other):
        return method(self, other)
    return operator


_OPERATORS = {
    # `2 + x` and `2 * x` are recorded with the tensor first, `2 - x` as rsub and `2 / x` as
    # reciprocal times 2: the graphs torch builds
    "__add__": _operator(ew.Add, pointwise.add), "__radd__": _operator(ew.Add, pointwise.add),
    "__sub__": _operator(ew.Sub, pointwise.sub), "__rsub__": _rsub_operator,
    "__mul__": _operator(ew.Mul, pointwise.mul), "__rmul__": _operator(ew.Mul, pointwise.mul),
    "__truediv__": _operator(ew.Div, pointwise.div), "__rtruediv__": _reciprocal_times,
    "__floordiv__": pointwise.floor_divide, "__rfloordiv__": _reflected(pointwise.floor_divide),
    "__mod__": pointwise.remainder, "__rmod__": _reflected(pointwise.remainder),
    "__pow__": pointwise.pow, "__rpow__": _reflected(pointwise.pow),
    "__matmul__": linalg.matmul, "__rmatmul__": _reflected(linalg.matmul),
    "__neg__": pointwise.neg, "__abs__": pointwise.abs, "__pos__": lambda self: self,
    "__invert__": _invert,
    "__and__": comparison.bitwise_and, "__rand__": _reflected(comparison.bitwise_and),
    "__or__": comparison.bitwise_or, "__ror__": _reflected(comparison.bitwise_or),
    "__xor__": comparison.bitwise_xor, "__rxor__": _reflected(comparison.bitwise_xor),
    "__eq__": comparison.eq, "__ne__": comparison.ne, "__lt__": comparison.lt,
    "__le__": comparison.le, "__gt__": comparison.gt, "__ge__": comparison.ge,
    "__iadd__": _inplace_operator(inplace.add_), "__isub__": _inplace_operator(inplace.sub_),
    "__imul__": _inplace_operator(inplace.mul_),
    "__itruediv__": _inplace_operator(inplace.div_),
    "__ipow__": _inplace_operator(inplace.pow_),
    "__getitem__": indexing.getitem, "__setitem__": indexing.setitem,
}


def _comparison(function):
    def operator(self, other):
        if other is None or not isinstance(other, (Tensor, int, float, bool)) and \
                not hasattr(other, "__array__"):
            return NotImplemented
        return function(self, other)
    return operator


# Installed in this order, a later table's name replacing an earlier one's: each topic module
# keeps the Tensor methods it defines in its own METHODS table.
_METHOD_TABLES = (attributes.METHODS, _METHODS, math.METHODS, sparse_coo.METHODS,
                  statistics.METHODS, searching.METHODS, products.METHODS,
                  decompositions.METHODS, matrix_products.METHODS, spectral.METHODS,  # linalg
                  shape_more.METHODS, indexing_more.METHODS,  # shapes and indexing, more
                  methods_more.METHODS, inplace_more.METHODS, pointwise_more.METHODS,
                  sampling_more.METHODS,  # more methods: queries, in place, math, random
                  _OPERATORS)


def install() -> None:
    """Put the torch surface on Tensor: the methods, the operators and the Python protocols."""
    for table in _METHOD_TABLES:
        for name, function in table.items():
            setattr(Tensor, name, function)
    for name in ("__eq__", "__ne__"):
        setattr(Tensor, name, _comparison(_OPERATORS[name]))
    Tensor.__hash__ = object.__hash__  # defining __eq__ would otherwise remove it
