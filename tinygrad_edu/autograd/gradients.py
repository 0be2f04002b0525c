"""`backward()` and `autograd.grad()`: the gradients the backward pass starts from, then the engine.

`loss.backward()` starts from d loss / d loss = 1 (a scalar output needs no `gradient`); any other
output needs its `gradient` given, of its own shape. The engine (engine.py) does the rest.
"""
from __future__ import annotations

from ..backend import get_array_module
from ..tensor_base import TensorBase
from . import engine


def _as_tuple(tensors) -> tuple:
    if isinstance(tensors, TensorBase):
        return (tensors,)
    return tuple(tensors)


def _root_gradients(outputs, grad_outputs, create_graph) -> list:
    """One gradient per output: given, or ones for a scalar output (torch's implicit grad)."""
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    else:
        grad_outputs = list(_as_tuple(grad_outputs)) if not isinstance(grad_outputs, list) \
            else grad_outputs
    if len(grad_outputs) != len(outputs):
        raise RuntimeError("grad can be implicitly created only for scalar outputs"
                           if len(grad_outputs) == 0 else
                           f"Mismatch in number of gradients: expected {len(outputs)}, got "
                           f"{len(grad_outputs)}")
    grads = []
    for index, (output, grad) in enumerate(zip(outputs, grad_outputs)):
        if not output._requires_grad and not output.requires_grad:
            raise RuntimeError(f"element {index} of tensors does not require grad and does not "
                               "have a grad_fn")
        if grad is None:
            if output._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not output.is_floating_point():
                raise RuntimeError("grad can be implicitly created only for real scalar outputs "
                                   f"but got {output.dtype}")
            data = output._data  # ones of the output's shape, dtype and device, made directly
            grads.append(output._make(get_array_module(data).ones_like(data)))
            continue  # fresh and of the right shape and dtype: nothing to check or detach
        if not isinstance(grad, TensorBase):  # an array, or a number: output-shaped
            grad = output._make(grad) if hasattr(grad, "shape") else \
                output._make(get_array_module(output._data).ones_like(output._data)) * grad
        if grad._data.shape != output._data.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{index}] has a shape of "
                               f"{grad.shape} and output[{index}] has a shape of {output.shape}.")
        if grad.dtype is not output.dtype:
            grad = grad.to(output.dtype)
        grads.append(grad if create_graph else grad.detach())
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None) -> None:
    """Accumulate into the leaves' `.grad` the gradient of `tensors` (weighted by
    `grad_tensors`). Frees the graph unless retain_graph=True."""
    outputs = _as_tuple(tensors)
    grads = _root_gradients(outputs, grad_tensors if grad_tensors is not None else grad_variables,
                            create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if not inputs:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    engine.run_backward(outputs, grads, retain_graph=retain_graph, create_graph=create_graph,
                        inputs=inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False,
         materialize_grads=False) -> tuple:
    """The gradients of `outputs` w.r.t. `inputs`, returned (not accumulated into `.grad`)."""
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = _root_gradients(outputs, grad_outputs, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    results = engine.run_backward(outputs, grads, retain_graph=retain_graph,
                                  create_graph=create_graph, inputs=inputs, accumulate=False)
    if not allow_unused and any(g is None for g in results):
        raise RuntimeError("One of the differentiated Tensors appears to not have been used in "
                           "the graph. Set allow_unused=True if this is the desired behavior.")
    if materialize_grads:
        results = [g if g is not None else x._make(get_array_module(x._data).zeros_like(x._data))
                   for g, x in zip(results, inputs)]
    return tuple(results)
