"""bilinear: y_k = x1ᵀ W_k x2 + b_k, one (in1, in2) matrix W_k per output feature.

Composed of one matmul and a sum, so it differentiates (twice) like them: the samples are
flattened to rows, x1 @ W gives (out, rows, in2), times x2 summed over in2 gives (out, rows).
"""
from __future__ import annotations

from ...tensor import Tensor
from ._args import SHORT_NAMES, check_tensor

__all__ = ["bilinear"]


def _check(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    tensors = {"input1": input1, "input2": input2, "weight": weight}
    if bias is not None:
        tensors["bias"] = bias
    if len({t.dtype for t in tensors.values()}) > 1:
        raise RuntimeError("All tensors must have the same dtype, got " + ", ".join(
            f"{name}: {SHORT_NAMES.get(t.dtype.name, t.dtype.name)}"
            for name, t in tensors.items()))
    if input1.dim() == 0:
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and "
                           f"{input2.dim()}")
    for dim in range(input1.dim() - 1):
        if input1.shape[dim] != input2.shape[dim]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {dim}: "
                               f"got {input1.shape[dim]} and {input2.shape[dim]}")
    for name, value, axis in (("input1", input1, 1), ("input2", input2, 2)):
        if weight.dim() <= axis or value.shape[-1] != weight.shape[axis]:
            expected = weight.shape[axis] if weight.dim() > axis else None
            raise RuntimeError(f"bilinear(): {name} size does not match weight size: got "
                               f"{value.shape[-1]} but expected {expected}")
    if bias is not None and bias.shape[0] != weight.shape[0]:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[0]} but expected {weight.shape[0]}")


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor,
             bias: Tensor | None = None) -> Tensor:
    """x1ᵀ W_k x2 (+ b_k) for each output feature k; inputs (*, in1) and (*, in2), weight
    (out, in1, in2): output (*, out)"""
    check_tensor(input1, "bilinear", "input1")
    check_tensor(input2, "bilinear", "input2", 2)
    check_tensor(weight, "bilinear", "weight", 3)
    _check(input1, input2, weight, bias)
    lead = tuple(input1.shape[:-1])
    rows1 = input1.reshape(-1, input1.shape[-1])
    rows2 = input2.reshape(-1, input2.shape[-1])
    output = ((rows1 @ weight) * rows2).sum(-1).t()  # (out, rows) -> (rows, out)
    if bias is not None:
        output = output + bias
    if not output.is_floating_point():  # the sum of integers widened them: torch's keep theirs
        output = output.to(input1.dtype)
    return output.reshape(lead + (weight.shape[0],))
