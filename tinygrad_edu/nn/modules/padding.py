"""Padding layers: ConstantPad, ZeroPad, ReflectionPad, ReplicationPad and CircularPad in 1, 2
and 3 dimensions, each F.pad with its mode. `padding` is an int (every side alike) or one
(before, after) pair per padded axis, last axis first, as F.pad takes it."""
from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from ..module import Module

__all__ = [f"{kind}Pad{n}d" for kind in ("Circular", "Constant", "Reflection", "Replication",
                                         "Zero") for n in (1, 2, 3)]


class _PadNd(Module):
    dims = 0
    mode = ""

    def __init__(self, padding):
        super().__init__()
        if isinstance(padding, (tuple, list)):
            self.padding = tuple(padding)
        else:
            self.padding = (padding,) * (2 * self.dims)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    mode = "constant"

    def __init__(self, padding, value: float):
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _CircularPadNd(_PadNd):
    mode = "circular"

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        return F.pad(input, self.padding, "circular")

    def _check_input_dim(self, input: Tensor) -> None:
        allowed = (self.dims + 1, self.dims + 2)
        if input.dim() not in allowed:
            raise ValueError(f"expected {allowed[0]}D or {allowed[1]}D input (got {input.dim()}D "
                             "input)")


def _layer(base, kind: str, dims: int, mode: str | None = None):
    name = f"{kind}Pad{dims}d"
    attributes = {"dims": dims, "__module__": __name__, "__qualname__": name,
                  "__doc__": f"F.pad of the last {dims} dim(s)" +
                  (f", mode '{mode}'." if mode else " with a constant.")}
    if mode:
        attributes["mode"] = mode
    return type(name, (base,), attributes)


ConstantPad1d, ConstantPad2d, ConstantPad3d = (_layer(_ConstantPadNd, "Constant", n)
                                               for n in (1, 2, 3))
ZeroPad1d, ZeroPad2d, ZeroPad3d = (_layer(_ZeroPadNd, "Zero", n) for n in (1, 2, 3))
ReflectionPad1d, ReflectionPad2d, ReflectionPad3d = (_layer(_PadNd, "Reflection", n, "reflect")
                                                     for n in (1, 2, 3))
ReplicationPad1d, ReplicationPad2d, ReplicationPad3d = (
    _layer(_PadNd, "Replication", n, "replicate") for n in (1, 2, 3))
CircularPad1d, CircularPad2d, CircularPad3d = (_layer(_CircularPadNd, "Circular", n, "circular")
                                               for n in (1, 2, 3))
