"""Conv3d and ConvTranspose1d/2d/3d: filter banks calling F.conv3d and F.conv_transpose*d.

A transposed convolution's weight is (in_channels, out_channels // groups, *kernel_size), the
shape of the convolution it is the adjoint of. Its forward may be given the output_size it
should produce: strided convolutions map several input sizes to one output size, so the
transposed one needs telling which to go back to (the output_padding that reaches it).
"""
from __future__ import annotations

from ...tensor import Size, Tensor
from .. import functional as F
from .conv import _ConvNd

__all__ = ["Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]


class Conv3d(_ConvNd):
    """3-D convolution over (N, C_in, D, H, W) inputs."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device=None, dtype=None):
        super().__init__(3, in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(F.conv3d, input, self.weight, self.bias)


class _ConvTransposeNd(_ConvNd):
    dims = 0

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 output_padding=0, groups: int = 1, bias: bool = True, dilation=1,
                 padding_mode: str = "zeros", device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for '
                             f"{type(self).__name__}")
        super().__init__(self.dims, in_channels, out_channels, kernel_size, stride, padding,
                         dilation, groups, bias, padding_mode, device, dtype, transposed=True,
                         output_padding=output_padding)

    def _output_padding(self, input: Tensor, output_size) -> tuple:
        """The output_padding that gives `output_size` (torch's rule and messages)."""
        if output_size is None:
            return self.output_padding
        dims = self.dims
        non_spatial = 2 if input.dim() == dims + 2 else 1
        if len(output_size) == non_spatial + dims:
            output_size = output_size[non_spatial:]
        if len(output_size) != dims:
            raise ValueError(f"ConvTranspose{dims}D: for {input.dim()}D input, output_size must "
                             f"have {dims} or {non_spatial + dims} elements (got "
                             f"{len(output_size)})")
        smallest = [(input.shape[d + non_spatial] - 1) * s - 2 * p + dl * (k - 1) + 1
                    for d, (s, p, dl, k) in enumerate(zip(self.stride, self.padding,
                                                          self.dilation, self.kernel_size))]
        largest = [size + s - 1 for size, s in zip(smallest, self.stride)]
        for size, low, high in zip(output_size, smallest, largest):
            if size < low or size > high:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes "
                                 f"range from {smallest} to {largest} (for an input of "
                                 f"{Size(input.shape[non_spatial:])!r})")
        return tuple(size - low for size, low in zip(output_size, smallest))

    def forward(self, input: Tensor, output_size=None) -> Tensor:
        output_padding = self._output_padding(input, output_size)
        conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[self.dims - 1]
        return conv(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                    self.groups, self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    """The adjoint of Conv1d over (N, C_in, L) inputs (upsampling by `stride`)."""

    dims = 1


class ConvTranspose2d(_ConvTransposeNd):
    """The adjoint of Conv2d over (N, C_in, H, W) inputs (upsampling by `stride`)."""

    dims = 2


class ConvTranspose3d(_ConvTransposeNd):
    """The adjoint of Conv3d over (N, C_in, D, H, W) inputs (upsampling by `stride`)."""

    dims = 3
