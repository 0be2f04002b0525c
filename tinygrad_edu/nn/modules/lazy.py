"""Lazy layers: LazyLinear, LazyConv1d/2d, LazyBatchNorm1d/2d infer their input size from the
first input they see.

Until then their weights are UninitializedParameter (and running statistics UninitializedBuffer):
placeholders without a shape. A forward pre-hook runs once, on the first call: it reads the
input's size (last dim for Linear, the channel dim for Conv and BatchNorm), gives the
placeholders their shapes (`materialize`), initialises them as the ordinary layer would, and
turns the module into that ordinary layer (`self.__class__ = cls_to_become`), as torch does.
"""
from __future__ import annotations

from ...autograd.grad_mode import no_grad
from ...dtypes import int64
from ...functions.creation import empty, tensor
from ...tensor import Tensor
from ...tensor_base import init_from_array
from ..module import Module
from ..parameter import Parameter
from .conv import Conv1d, Conv2d, _ConvNd
from .conv_transpose import Conv3d
from .linear import Linear
from .normalization import BatchNorm1d, BatchNorm2d, _BatchNorm
from .normalization_more import BatchNorm3d

__all__ = ["LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d", "LazyConv1d", "LazyConv2d",
           "LazyConv3d", "LazyLinear",
           "UninitializedBuffer", "UninitializedParameter"]


class _Uninitialized:
    """What the placeholders share: no shape yet; `materialize(shape)` gives them one."""

    cls_to_become = Tensor

    def _remember(self, device, dtype) -> None:
        self._factory = {"device": device, "dtype": dtype}

    def materialize(self, shape, device=None, dtype=None) -> None:
        factory = self.__dict__.get("_factory", {})
        device = factory.get("device") if device is None else device
        dtype = factory.get("dtype") if dtype is None else dtype
        with no_grad():
            self.data = empty(tuple(shape), device=device, dtype=dtype)
        self.__dict__.pop("_factory", None)
        self.__class__ = self.cls_to_become

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    __str__ = __repr__


class UninitializedParameter(_Uninitialized, Parameter):
    """A Parameter whose shape is not known yet (becomes a Parameter when materialized)."""

    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device=None, dtype=None):
        super().__init__(empty(0, device=device, dtype=dtype), requires_grad)
        self._remember(device, dtype)


class UninitializedBuffer(_Uninitialized, Tensor):
    """A buffer whose shape is not known yet (becomes a plain Tensor when materialized)."""

    cls_to_become = Tensor

    def __init__(self, requires_grad: bool = False, device=None, dtype=None):
        init_from_array(self, empty(0, device=device, dtype=dtype)._data)
        self.requires_grad_(requires_grad)
        self._remember(device, dtype)


class LazyModuleMixin:
    """The first call runs initialize_parameters(*inputs), then the module becomes
    cls_to_become."""

    cls_to_become = None

    def _register_lazy_hook(self) -> None:
        self._initialize_hook = self.register_forward_pre_hook(_infer_parameters)

    def has_uninitialized_params(self) -> bool:
        tables = (self._parameters.values(), self._buffers.values())
        return any(isinstance(value, _Uninitialized) for table in tables for value in table)

    def initialize_parameters(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"initialize_parameters is not implemented for "
                                  f"{type(self).__name__}")


def _infer_parameters(module, args):
    module.initialize_parameters(*args)
    if module.has_uninitialized_params():
        raise RuntimeError(f"module {module._get_name()} has not been fully initialized")
    module._initialize_hook.remove()
    del module._initialize_hook
    if module.cls_to_become is not None:
        module.__class__ = module.cls_to_become


# ----------------------------------------------------------------------------- the layers

class LazyLinear(LazyModuleMixin, Linear):
    """Linear whose in_features is the last dim of the first input."""

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None):
        Module.__init__(self)
        self.in_features = 0
        self.out_features = out_features
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        else:
            self.register_parameter("bias", None)
        self._register_lazy_hook()

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor) -> None:
        if self.has_uninitialized_params():
            self.in_features = input.shape[-1]
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()


class _LazyConvNd(LazyModuleMixin):
    """Conv whose in_channels is the channel dim of the first input."""

    dims = 1

    def __init__(self, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None,
                 dtype=None):
        _ConvNd.__init__(self, self.dims, 0, 0, kernel_size, stride, padding, dilation, groups,
                         False, padding_mode, device, dtype)
        self.out_channels = out_channels
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        self._register_lazy_hook()

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_channels != 0:
            _ConvNd.reset_parameters(self)

    def initialize_parameters(self, input: Tensor) -> None:
        if not self.has_uninitialized_params():
            return
        unbatched, batched = self.dims + 1, self.dims + 2
        if input.dim() not in (unbatched, batched):
            raise RuntimeError(f"Expected {unbatched}D (unbatched) or {batched}D (batched) input "
                               f"to {type(self).__name__}, but got input of size: "
                               f"{input.shape}")
        self.in_channels = input.shape[1] if input.dim() == batched else input.shape[0]
        if self.in_channels % self.groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        self.weight.materialize((self.out_channels, self.in_channels // self.groups,
                                 *self.kernel_size))
        if self.bias is not None:
            self.bias.materialize((self.out_channels,))
        self.reset_parameters()


class LazyConv1d(_LazyConvNd, Conv1d):
    cls_to_become = Conv1d
    dims = 1


class LazyConv2d(_LazyConvNd, Conv2d):
    cls_to_become = Conv2d
    dims = 2


class _LazyBatchNorm(LazyModuleMixin):
    """BatchNorm whose num_features is the channel dim (dim 1) of the first input."""

    def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None):
        _BatchNorm.__init__(self, 0, eps, momentum, False, False, device, dtype)
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = UninitializedParameter(device=device, dtype=dtype)
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(device=device, dtype=dtype)
            self.running_var = UninitializedBuffer(device=device, dtype=dtype)
            self.num_batches_tracked = tensor(0, dtype=int64, device=device)
        self._register_lazy_hook()

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.num_features != 0:
            _BatchNorm.reset_parameters(self)

    def initialize_parameters(self, input: Tensor) -> None:
        if not self.has_uninitialized_params():
            return
        self.num_features = input.shape[1]
        for name in ("weight", "bias", "running_mean", "running_var"):
            value = getattr(self, name)
            if isinstance(value, _Uninitialized):
                value.materialize((self.num_features,))
        self.reset_parameters()


class LazyBatchNorm1d(_LazyBatchNorm, BatchNorm1d):
    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyBatchNorm, BatchNorm2d):
    cls_to_become = BatchNorm2d


class LazyConv3d(_LazyConvNd, Conv3d):
    cls_to_become = Conv3d
    dims = 3


class LazyBatchNorm3d(_LazyBatchNorm, BatchNorm3d):
    cls_to_become = BatchNorm3d
