"""torch.autograd.Function: differentiable operations written by users, on Tensors.

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad_output):      # y = exp(x);  dx = dy * y
            y, = ctx.saved_tensors
            return grad_output * y

The machinery is the built-in ops' (node.py); what differs is that forward runs on Tensors under
no_grad, that any argument may be a Tensor, and torch's extras: `setup_context`,
`mark_dirty`, `mark_non_differentiable`, `set_materialize_grads`.
"""
from __future__ import annotations

from ..tensor_base import TensorBase
from . import anomaly, grad_mode
from .node import _NO_EDGE, FunctionBase, SavedOutput, _saved_versions, gradient_edge


class Function(FunctionBase):
    """Base of differentiable operations written by users (torch.autograd.Function).

    Subclasses define `forward(ctx, *args)` on Tensors and `backward(ctx, *grad_outputs)`
    returning one gradient (or None) per forward argument, and are called as `Cls.apply(...)`.
    """

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError

    @classmethod
    def apply(cls, *args, **kwargs):
        tensors = [a for a in args if isinstance(a, TensorBase)]
        needs_graph = grad_mode.state.enabled and any(t._requires_grad for t in tensors)
        ctx = cls._backward_cls()
        ctx._saved = ctx._versions = ()
        ctx.needs_input_grad = tuple(isinstance(a, TensorBase) and a._requires_grad for a in args)
        uses_setup = cls.setup_context is not Function.setup_context  # torch 2's split style
        with grad_mode.no_grad():
            if uses_setup:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args, **kwargs)
        if not needs_graph:
            return output
        is_tuple = isinstance(output, tuple)
        outputs = output if is_tuple else (output,)
        outputs = tuple(_connect_output(ctx, out, i, args) for i, out in enumerate(outputs))
        ctx._num_outputs = len(outputs)
        ctx._output_meta = tuple((o.shape, o.dtype, o.device) if isinstance(o, TensorBase) else None
                                 for o in outputs)
        ctx._num_inputs = len(args)
        ctx.next_functions = tuple(gradient_edge(t) if t._requires_grad else _NO_EDGE
                                   for t in tensors)
        ctx._input_meta = tuple(_meta(t) for t in tensors)
        ctx._input_positions = tuple(i for i, a in enumerate(args) if isinstance(a, TensorBase))
        ctx._versions = _saved_versions(ctx._saved)
        ctx._saved = tuple(SavedOutput(t) if isinstance(t, TensorBase) and t._grad_fn is ctx else t
                           for t in ctx._saved)  # no cycle through the outputs
        if anomaly.state.enabled:
            anomaly.record_forward_stack(ctx)
        return outputs if is_tuple else outputs[0]


def _meta(tensor) -> tuple:
    return (tensor._data.shape, tensor._data.dtype) if tensor._requires_grad else None


def _connect_output(ctx, out, index, args):
    """Make a user Function's output the output `index` of node `ctx`."""
    if not isinstance(out, TensorBase):
        return out
    if any(out is d for d in ctx._non_differentiable) or not out.dtype.is_floating_point:
        out._requires_grad = False
        return out
    if any(out is d for d in ctx._dirty):
        if out._grad_fn is None and out._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
        out._version_counter.bump("mark_dirty")
    elif any(out is a for a in args) or out._grad_fn is not None:
        out = out.detach()  # returned an input unchanged: the output is a new alias of it
    out._grad_fn = ctx
    out._output_nr = index
    out._requires_grad = True
    return out
