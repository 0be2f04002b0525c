"""tril and triu: keep the lower (upper) triangle of the last two dimensions, zero the rest.

    torch.tril(x, diagonal=0)   # x[..., i, j] kept where j - i <= diagonal
    torch.triu(x, diagonal=0)   # x[..., i, j] kept where j - i >= diagonal

The gradient is masked the same way: the zeroed places did not depend on the input.
"""
from __future__ import annotations

from ..autograd.primitive import Primitive
from ..backend import get_array_module
from ..tensor import Tensor


class Tril(Primitive):
    """y = x where j - i <= diagonal (or >= diagonal for triu), 0 elsewhere;
    dx = dy masked the same way"""

    @staticmethod
    def forward(ctx, x, *, diagonal, upper=False):
        ctx.diagonal, ctx.upper = diagonal, upper
        xp = get_array_module(x)
        return xp.triu(x, diagonal) if upper else xp.tril(x, diagonal)

    @staticmethod
    def backward(ctx, grad_output):
        return _triangle(grad_output, ctx.diagonal, ctx.upper)


class Triu(Tril):
    """Tril's kernel with upper=True: a class of its own for torch's node name, TriuBackward0"""


def _triangle(x: Tensor, diagonal: int, upper: bool) -> Tensor:
    return (Triu if upper else Tril).apply(x, diagonal=diagonal, upper=upper)


def _check(input, diagonal, name: str) -> int:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if isinstance(diagonal, bool) or not hasattr(diagonal, "__index__"):
        raise TypeError(f"{name}(): argument 'diagonal' (position 2) must be int, not "
                        f"{type(diagonal).__name__}")
    if input._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return diagonal.__index__()


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dimensions (j - i <= diagonal), zeros elsewhere."""
    return _triangle(input, _check(input, diagonal, "tril"), upper=False)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dimensions (j - i >= diagonal), zeros elsewhere."""
    return _triangle(input, _check(input, diagonal, "triu"), upper=True)
