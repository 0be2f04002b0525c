"""The backward pass: walk the graph from the outputs back to the leaves, applying the chain rule.

    1. Count, for every node reachable from the roots, how many edges lead into it.
    2. Start with the roots' gradients. Take a node whose count is zero (all the gradients meant
       for it have arrived and been summed), call its backward, and send each input gradient
       along its edge, decreasing the count of the node it reaches.
    3. Leaves are reached through `AccumulateGrad` nodes, which add the gradient into `.grad`.

No recursion anywhere, so a 100,000-op chain is fine. Each gradient is checked against the shape
and dtype of the tensor it belongs to; a gradient with broadcast shape is summed back down
(`unbroadcast`), which is why backward formulas may ignore broadcasting.
"""
from __future__ import annotations

import sys

from ..dtypes import from_numpy
from ..ops._broadcast import unbroadcast
from . import anomaly, function, grad_mode
from .function import AccumulateGrad


def run_backward(roots, root_grads, *, retain_graph: bool, create_graph: bool,
                 inputs=None, accumulate: bool = True, allow_unused: bool = False):
    """Back-propagate `root_grads` from `roots`.

    With `inputs`, only the part of the graph that leads to them runs, and their gradients are
    returned (autograd.grad, accumulate=False) or accumulated into their `.grad`
    (backward(inputs=...)).
    """
    buffers: dict = {}
    root_nodes = []
    for tensor, grad in zip(roots, root_grads):
        node, nr = function.gradient_edge(tensor)
        _add_to_buffer(buffers, node, nr, grad)
        if node not in root_nodes:
            root_nodes.append(node)

    captures = _capture_points(inputs) if inputs is not None else None
    dependencies, runs = _dependencies(root_nodes, captures)
    results = [None] * len(inputs) if inputs is not None else None

    ready = [node for node in root_nodes if dependencies.get(node, 0) == 0]
    with grad_mode.set_grad_enabled(create_graph):
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            if grads is not None:
                if node._has_hooks:
                    _run_tensor_hooks(node, grads)
                if captures is not None:
                    _capture(node, grads, captures, results, inputs, accumulate, create_graph)
            if type(node) is AccumulateGrad:
                if grads is not None and grads[0] is not None and accumulate and (
                        captures is None or node in captures):
                    if node._has_hooks:
                        for hook in node.__dict__.get("_pre_hooks", ()):
                            replaced = hook(tuple(grads))
                            if replaced is not None:
                                grads = list(replaced)
                    _accumulate(node.variable, grads, create_graph)
                continue
            if runs is not None and node not in runs:
                continue
            input_grads = _call_backward(node, grads, retain_graph) if grads is not None else None
            _send(node, input_grads, buffers, dependencies, ready)
            del input_grads  # the engine must not keep gradients alive: see _owned_by_engine

    if results is not None and not allow_unused and accumulate is False:
        for grad in results:
            if grad is None:
                raise RuntimeError("One of the differentiated Tensors appears to not have been "
                                   "used in the graph. Set allow_unused=True if this is the "
                                   "desired behavior.")
    return results


# ----------------------------------------------------------------------------- graph discovery

def _dependencies(root_nodes, captures):
    """How many edges lead into each node; with captures, also which nodes must run at all."""
    dependencies: dict = {}
    seen = set(root_nodes)
    stack = list(root_nodes)
    order = []
    while stack:
        node = stack.pop()
        order.append(node)
        for child, _ in node.next_functions:
            if child is None:
                continue
            dependencies[child] = dependencies.get(child, 0) + 1
            if child not in seen:
                seen.add(child)
                stack.append(child)
    if captures is None:
        return dependencies, None
    # Keep only nodes on a path to a capture point (torch prunes the same way).
    needed = set(captures)
    changed = True
    while changed:  # a few sweeps over the (usually small) reached part of the graph
        changed = False
        for node in order:
            if node not in needed and any(c in needed for c, _ in node.next_functions):
                needed.add(node)
                changed = True
    runs = {node for node in needed if any(c in needed for c, _ in node.next_functions)}
    dependencies = {}
    for node in runs:
        for child, _ in node.next_functions:
            if child in needed:
                dependencies[child] = dependencies.get(child, 0) + 1
    return dependencies, runs


def _capture_points(inputs) -> dict:
    points: dict = {}
    for index, tensor in enumerate(inputs):
        if not tensor._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        node, nr = function.gradient_edge(tensor)
        points.setdefault(node, []).append((nr, index))
    return points


def _capture(node, grads, captures, results, inputs, accumulate, create_graph):
    for nr, index in captures.get(node, ()):
        grad = grads[nr]
        if accumulate and type(node) is not AccumulateGrad and grad is not None:
            _accumulate(inputs[index], [grad], create_graph)  # backward(inputs=[non_leaf])
        results[index] = grad


# ----------------------------------------------------------------------------- running one node

def _call_backward(node, grads, retain_graph):
    """Run one node's backward on its output gradients; None when there is nothing to send."""
    if len(grads) == 1:
        if grads[0] is None:
            return None
    elif None in grads:
        if all(g is None for g in grads):
            return None
        if node._materialize_grads:
            grads = [g if g is not None else _zeros_for(node, i) for i, g in enumerate(grads)]
    hooked = node._has_hooks
    if hooked:
        for hook in node.__dict__.get("_pre_hooks", ()):
            replaced = hook(tuple(grads))
            if replaced is not None:
                grads = list(replaced)
    input_grads = node._apply(grads)
    if anomaly.state.enabled:
        anomaly.check_gradients(node, input_grads)
    if hooked:
        for hook in node.__dict__.get("_post_hooks", ()):
            hook(input_grads, tuple(grads))
    if not retain_graph:
        node._release()
    return input_grads


def _zeros_for(node, output_nr):
    shape, dtype, device = node._output_meta[output_nr]
    from ..functions.creation import zeros  # noqa: PLC0415 - imports this package
    return zeros(shape, dtype=dtype, device=device)


def _send(node, input_grads, buffers, dependencies, ready):
    """Route each input gradient along its edge, checking and un-broadcasting it on the way."""
    edges = node.next_functions
    if input_grads is None:
        input_grads = (None,) * len(edges)
    for index, ((child, nr), meta, grad) in enumerate(zip(edges, node._input_meta, input_grads)):
        if child is None:
            continue
        remaining = dependencies.get(child)
        if remaining is None:  # pruned: `inputs` does not need this part of the graph
            continue
        if grad is not None:
            shape, dtype = meta  # the input's shape and (NumPy) dtype
            data = grad._data
            if data.shape != shape:
                grad = _reduce_to_shape(node, index, grad, shape)
            if data.dtype != dtype:
                grad = grad.to(from_numpy(dtype))
            _add_to_buffer(buffers, child, nr, grad)
        dependencies[child] = remaining - 1
        if remaining == 1:
            ready.append(child)


def _reduce_to_shape(node, index, grad, shape):
    try:
        return unbroadcast(grad, shape)
    except ValueError:
        raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {index}"
                           f" - got {list(grad.shape)} but expected shape compatible with "
                           f"{list(shape)}") from None


def _add_to_buffer(buffers, node, nr, grad):
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * node._num_outputs
    slots[nr] = grad if slots[nr] is None else slots[nr] + grad


def _run_tensor_hooks(node, grads):
    """Tensor.register_hook and retain_grad: run on the gradient of each output of `node`."""
    table = node.__dict__.get("_tensor_hooks")
    if table:
        for nr, hooks in table.items():
            for hook in list(hooks):
                if grads[nr] is not None:
                    replaced = hook(grads[nr])
                    if replaced is not None:
                        grads[nr] = replaced
    retained = node.__dict__.get("_retained")
    if retained:
        for nr, ref in retained.items():
            tensor = ref()
            if tensor is not None and grads[nr] is not None:
                _accumulate(tensor, [grads[nr]], grad_mode.state.enabled)


# ----------------------------------------------------------------------------- leaves

def _accumulate(variable, grads, create_graph):
    """variable.grad += grad, taking the gradient's memory when nobody else can see it."""
    grad = grads[0]
    grads[0] = None  # drop the engine's reference, so _owned_by_engine can see the true count
    if variable._grad is None:
        if create_graph:
            variable._grad = grad
        elif _owned_by_engine(grad):
            variable._grad = grad
        else:
            variable._grad = grad.detach().clone()
    elif create_graph:
        variable._grad = variable._grad + grad
    else:
        variable._grad._data += grad._data  # in place, as torch: `.grad` keeps its identity


def _owned_by_engine(grad) -> bool:
    # Like torch's AccumulateGrad, reuse the gradient's memory if nothing else refers to it:
    # the Tensor is referenced only here (local + call argument) and its array is not a view and
    # is referenced only by that Tensor. Otherwise (e.g. `a + b` hands the same gradient to both)
    # it must be copied, or a.grad and b.grad would share memory.
    return (grad._grad_fn is None and grad._data.base is None
            and sys.getrefcount(grad._data) <= 2 and sys.getrefcount(grad) <= 3)
