"""Memory formats and layouts: torch.contiguous_format, torch.channels_last, torch.strided, ...

torch's functions take them as `memory_format=` and `layout=`. Every tensor here is strided and
row-major, and a channels-last copy would hold the same values in another order of memory, so
the formats are checked as torch checks them (the rank that channels-last needs) and otherwise
make no difference to the result.
"""
from __future__ import annotations


class memory_format:  # lowercase, as torch names the class
    """How a tensor's elements are ordered in memory (torch.memory_format)."""

    __slots__ = ("name", "rank")

    def __init__(self, name: str, rank: int | None = None):
        self.name, self.rank = name, rank  # rank: the number of dims the format needs

    def __repr__(self) -> str:
        return f"torch.{self.name}"


class layout:  # lowercase, as torch names the class
    """How a tensor is stored (torch.layout); here every tensor is strided."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last", 4)
channels_last_3d = memory_format("channels_last_3d", 5)
strided = layout("strided")


def check_memory_format(value, ndim: int, function: str) -> None:
    """torch's errors for a `memory_format=` argument that is not one, or that needs another
    rank; a valid one is accepted (see the module's docstring)."""
    if value is None:
        return
    if not isinstance(value, memory_format):
        raise TypeError(f"{function}(): argument 'memory_format' must be torch.memory_format, not "
                        f"{type(value).__name__}")
    if value.rank is not None and ndim != value.rank:
        raise RuntimeError(f"required rank {value.rank} tensor to use {value.name} format")

