"""`autograd.grad(outputs, inputs)` and `backward(inputs=...)`: run only the part of the graph
that leads to `inputs`, and catch their gradients on the way.

Each input is a *capture point*: the (node, output_nr) where its gradient arrives. Nodes that lead
to no capture point are pruned (torch prunes the same way), so an unrelated branch costs nothing.
"""
from __future__ import annotations

from .node import AccumulateGrad, gradient_edge


def capture_points(inputs) -> dict:
    """node -> [(output_nr, index of the input)] for every input."""
    points: dict = {}
    for index, tensor in enumerate(inputs):
        if not tensor._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        node, nr = gradient_edge(tensor)
        points.setdefault(node, []).append((nr, index))
    return points


def prune(order, captures) -> tuple:
    """Keep only nodes on a path to a capture point: (edge counts among them, nodes to run)."""
    needed = set(captures)
    changed = True
    while changed:  # a few sweeps over the (usually small) reached part of the graph
        changed = False
        for node in order:
            if node not in needed and any(c in needed for c, _ in node.next_functions):
                needed.add(node)
                changed = True
    runs = {node for node in needed if any(c in needed for c, _ in node.next_functions)}
    dependencies: dict = {}
    for node in runs:
        for child, _ in node.next_functions:
            if child in needed:
                dependencies[child] = dependencies.get(child, 0) + 1
    return dependencies, runs


def capture(node, grads, captures, results, inputs, accumulate, create_graph, store) -> None:
    """Record the gradients arriving at `node` for the inputs captured there; with
    `accumulate` (backward(inputs=[non_leaf])) also store them with `store` into `.grad`."""
    for nr, index in captures.get(node, ()):
        grad = grads[nr]
        if accumulate and type(node) is not AccumulateGrad and grad is not None:
            store(inputs[index], [grad], create_graph)
        results[index] = grad
