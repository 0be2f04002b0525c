"""linear: y = x @ Wᵀ + b, the layer that holds most of a network's weights.

The kernels are fused (one matrix product, the bias added in place); their backward is written
with Tensor ops, so that it can be differentiated again, and takes the raw products directly
when no graph is recorded. `linear` below checks its arguments as torch does, in torch's words.
"""
from __future__ import annotations

from ...autograd import grad_mode
from ...autograd.primitive import Primitive
from ...functions.dtype_support import refuse
from ...ops.linalg import Mm
from ...ops.movement import MatrixTranspose
from ...ops.reduce import Sum
from ...tensor import Tensor
from ._args import SHORT_NAMES, check_tensor, scalar_name, wrap

# ----------------------------------------------------------------------------- kernels

def _linear_backward(ctx, grad_output, x, weight, need_x, need_weight):
    """Tensor ops, so that the backward of a linear layer can itself be differentiated (under
    create_graph); a plain backward() records nothing, so it takes the raw products directly."""
    if not grad_mode.state.enabled:  # no graph to record: skip the op calls (~10 us a layer)
        g = grad_output._data
        return (wrap(g @ weight._data) if need_x else None,
                wrap(g.T @ x._data) if need_weight else None)
    dx = Mm.apply(grad_output, weight) if need_x else None
    dweight = None
    if need_weight:
        dweight = Mm.apply(MatrixTranspose.apply(grad_output, dim0=0, dim1=1), x)
    return dx, dweight


class Linear(Primitive):
    """y = x @ Wᵀ + b for a batch of rows x (fused: one product, bias added in place);
    db = Σ dy over the rows,  dx = dy @ W,  dW = dyᵀ @ x
    Inputs in torch's order (bias, input, weight), so grad_fn reads as torch's addmm."""

    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, bias, x, weight):
        ctx.save_for_backward(x, weight)
        ctx.bias_is_row = bias.ndim == 1  # else the engine sums dy down to the bias's shape
        y = x @ weight.T
        y += bias
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        need_bias, need_x, need_weight = ctx.needs_input_grad
        dbias = None
        if need_bias:
            dbias = Sum.apply(grad_output, dims=(0,)) if ctx.bias_is_row else grad_output
        dx, dweight = _linear_backward(ctx, grad_output, x, weight, need_x, need_weight)
        return dbias, dx, dweight


class LinearNoBias(Primitive):
    """y = x @ Wᵀ;  dx = dy @ W,  dW = dyᵀ @ x   (torch records it as mm)"""

    node_name = "MmBackward0"

    @staticmethod
    def forward(ctx, x, weight):
        ctx.save_for_backward(x, weight)
        return x @ weight.T

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        return _linear_backward(ctx, grad_output, x, weight, *ctx.needs_input_grad)


# ----------------------------------------------------------------------------- linear

def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = input @ weightᵀ + bias, over the last dimension of input (any leading dimensions)."""
    check_tensor(input, "linear")
    check_tensor(weight, "linear", "weight", 2)
    x_rank, w_rank = input._data.ndim, weight._data.ndim
    if x_rank == 0 or w_rank == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{x_rank}D and {w_rank}D")
    if w_rank > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {w_rank}D")
    if w_rank == 1:  # a vector of weights: a plain product, as torch's matmul
        out = input.matmul(weight)
        return out if bias is None else out + bias
    if x_rank == 2:
        _check_linear(input, weight, bias, input._data.shape[0])
        if bias is None:
            return LinearNoBias.apply(input, weight)
        return Linear.apply(bias, input, weight)
    # other ranks: flatten the leading dimensions into rows, as torch does
    rows = 1
    for size in input._data.shape[:-1]:
        rows *= size
    _check_linear(input, weight, bias, rows)
    flat = input.reshape(rows, input._data.shape[-1])
    out = LinearNoBias.apply(flat, weight) if bias is None else Linear.apply(bias, flat, weight)
    return out.view(*input._data.shape[:-1], weight._data.shape[0])


def _check_linear(input: Tensor, weight: Tensor, bias, rows: int) -> None:
    features = input._data.shape[-1]
    out_features, in_features = weight._data.shape
    if features != in_features:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{features} and "
                           f"{in_features}x{out_features})")
    if input._data.dtype != weight._data.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{SHORT_NAMES.get(input.dtype.name)} != "
                           f"{SHORT_NAMES.get(weight.dtype.name)}")
    if bias is not None:
        check_tensor(bias, "linear", "bias", 3)
        if bias._data.dtype != input._data.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                               f"{scalar_name(bias)} and {scalar_name(input)}")
        shape = bias._data.shape
        if len(shape) > 2 or any(s not in (1, t) for s, t in zip(shape[::-1],
                                                                 (out_features, rows))):
            raise RuntimeError(f"The expanded size of the tensor ({out_features}) must match the "
                               f"existing size ({shape[-1]}) at non-singleton dimension 1.  "
                               f"Target sizes: [{rows}, {out_features}].  Tensor sizes: "
                               f"{list(shape)}")
    refuse(input, "addmm_impl_cpu_")
