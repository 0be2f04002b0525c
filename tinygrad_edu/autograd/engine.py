"""The backward pass: walk the graph from the outputs back to the leaves, applying the chain rule.

    1. Count, for every node reachable from the roots, how many edges lead into it.
    2. Start with the roots' gradients. Take a node whose count is zero (all the gradients meant
       for it have arrived and been summed), call its backward, and send each input gradient
       along its edge, decreasing the count of the node it reaches.
    3. Leaves are reached through `AccumulateGrad` nodes, which add the gradient into `.grad`.

No recursion anywhere, so a 100,000-op chain is fine. Each gradient is checked against the shape
and dtype of the tensor it belongs to; a gradient with broadcast shape is summed back down
(`unbroadcast`), which is why backward formulas may ignore broadcasting.

On a first read, skip what the loop does for hooks (hooks.py), for `inputs=` (capture.py) and for
anomaly mode (anomaly.py): each costs one test when unused.
"""
from __future__ import annotations

from .. import backend
from ..dtypes import from_numpy
from ..ops._broadcast import unbroadcast
from . import anomaly, grad_mode
from .capture import capture, capture_points, prune
from .hooks import run_post_hooks, run_pre_hooks, run_tensor_hooks
from .node import AccumulateGrad, gradient_edge


def run_backward(roots, root_grads, *, retain_graph: bool, create_graph: bool,
                 inputs=None, accumulate: bool = True):
    """Back-propagate `root_grads` from `roots`.

    With `inputs`, only the part of the graph that leads to them runs, and their gradients are
    returned (autograd.grad, accumulate=False) or accumulated into their `.grad`
    (backward(inputs=...)).
    """
    buffers: dict = {}
    root_nodes = []
    for tensor, grad in zip(roots, root_grads):
        node, nr = gradient_edge(tensor)
        _add_to_buffer(buffers, node, nr, grad)
        if node not in root_nodes:
            root_nodes.append(node)

    captures = capture_points(inputs) if inputs is not None else None
    dependencies, runs = _dependencies(root_nodes, captures)
    results = [None] * len(inputs) if inputs is not None else None

    ready = [node for node in root_nodes if dependencies.get(node, 0) == 0]
    with grad_mode.set_grad_enabled(create_graph):
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            if grads is not None:
                if node._has_hooks:
                    run_tensor_hooks(node, grads, _accumulate, create_graph)
                if captures is not None:
                    capture(node, grads, captures, results, inputs, accumulate, create_graph,
                            _accumulate)
            if type(node) is AccumulateGrad:
                if grads is not None and grads[0] is not None and accumulate and (
                        captures is None or node in captures):
                    if node._has_hooks:
                        grads = run_pre_hooks(node, grads)
                    _accumulate(node.variable, grads, create_graph)
                continue
            if runs is not None and node not in runs:
                continue
            input_grads = _call_backward(node, grads, retain_graph) if grads is not None else None
            _send(node, input_grads, buffers, dependencies, ready)
            del input_grads  # the engine must not keep gradients alive: see adopt_gradient
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
    return prune(order, captures)


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
            like = next(g for g in grads if g is not None)
            grads = [g if g is not None else _zeros_for(node, i, like)
                     for i, g in enumerate(grads)]
    hooked = node._has_hooks
    if hooked:
        grads = run_pre_hooks(node, grads)
    input_grads = node._apply(grads)
    if anomaly.state.enabled:
        anomaly.check_gradients(node, input_grads)
    if hooked:
        run_post_hooks(node, input_grads, grads)
    if not retain_graph:
        node._release()
    return input_grads


def _zeros_for(node, output_nr, like):
    """Zeros for an output that got no gradient (a user Function asks for them)."""
    shape, dtype, device = node._output_meta[output_nr]
    return like._make(backend.zeros(shape, dtype.numpy, device))


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


# ----------------------------------------------------------------------------- leaves

def _accumulate(variable, grads, create_graph):
    """variable.grad += grad; `.grad` keeps its identity (added into in place), as in torch."""
    grad = grads[0]
    grads[0] = None  # the engine lets go of the gradient: see adopt_gradient
    if variable._grad is None:
        variable._grad = grad if create_graph else adopt_gradient(grad)
    elif create_graph:
        variable._grad = variable._grad + grad
    else:
        variable._grad._data += grad._data


def adopt_gradient(grad):
    """A leaf's first gradient, as its new `.grad`: a copy, since the same gradient may be on its
    way to other leaves too (`a + b` sends one to both). Platform tuning (_tuning.py) replaces
    this with a version that takes the gradient itself when nothing else refers to it."""
    return grad._make(grad._data.copy(order="K"))
