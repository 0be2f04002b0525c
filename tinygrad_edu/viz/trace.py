"""Watching the backward pass: which gradient travels along which edge, and in which order.

Nothing in the engine changes. Before `backward()` runs, a hook is put on every node of the
graph: a pre-hook (called with the gradients a node receives, before its backward runs), a
post-hook (called with the gradients it sends to its inputs), and, for each leaf, a tensor hook
(called with the gradient about to be added into `.grad`). The hooks only look; they are
removed when the pass ends.

Where a tensor was used twice, its node receives one gradient per path: the engine adds them up
before the node runs. That is the chain rule's "sum over paths", and the trace shows it.
"""
from __future__ import annotations

import sys

from .graph import Graph, format_grad, local_rule


def backward(output, gradient=None, names: dict | None = None,
             retain_graph: bool = False) -> Graph:
    """`output.backward(gradient)`, recording the gradient sent along every edge.

    Returns the Graph: `to_dot()`, `tree()` and `render()` then label each edge with it.
    """
    graph = Graph(output, names)
    with _Recorder(graph, printer=None):
        output.backward(gradient, retain_graph=retain_graph)
    return graph


def trace_backward(output, gradient=None, names: dict | None = None,
                   retain_graph: bool = False, file=None) -> Graph:
    """`output.backward(gradient)`, printing each step of the pass as it happens: the node,
    its local rule, the gradient it receives (and the sum, where paths meet), what it sends."""
    graph = Graph(output, names)
    printer = _Printer(graph, file or sys.stdout)
    print(f"backward pass from {graph.output_name}: each node runs once every gradient meant "
          "for it has arrived", file=printer.file)
    with _Recorder(graph, printer):
        output.backward(gradient, retain_graph=retain_graph)
    return graph


class _Recorder:
    """Puts the hooks on every node of `graph` on entry and removes them on exit."""

    def __init__(self, graph: Graph, printer: _Printer | None) -> None:
        self.graph, self.printer = graph, printer
        self.arrived: dict = {}    # node index -> [(edge, gradient)] sent to it so far
        self.handles: list = []
        self.step = 0

    def __enter__(self) -> _Recorder:
        for i, node in enumerate(self.graph.nodes):
            if self.graph.is_leaf(i):
                self.handles.append(node.variable.register_hook(self._leaf_hook(i)))
            else:
                self.handles.append(node.register_prehook(self._prehook(i)))
                self.handles.append(node.register_hook(self._posthook(i)))
        return self

    def __exit__(self, *exc) -> None:
        for handle in self.handles:
            handle.remove()

    def _arrivals(self, i: int, shape_of) -> list:
        """The gradients sent to node i, each summed down to the shape it is received with
        (tinygrad_edu's engine un-broadcasts a gradient after the node that sent it)."""
        arrivals = [(edge, _sum_to(grad, shape_of(edge)))
                    for edge, grad in self.arrived.pop(i, [])]
        for edge, grad in arrivals:
            self.graph.edge_grads[edge] = grad
        return arrivals

    def _prehook(self, i: int):
        def hook(grad_outputs):
            self.step += 1
            if i == 0:
                self.graph.root_grad = next(g for g in grad_outputs if g is not None)
            arrivals = self._arrivals(i, lambda edge: grad_outputs[edge.output_nr].shape)
            if self.printer:
                self.printer.node(self.step, i, grad_outputs, arrivals)
        return hook

    def _posthook(self, i: int):
        def hook(grad_inputs, grad_outputs):
            grads = _align(self.graph.nodes[i], grad_inputs)
            sent = []
            for edge in self.graph.edges_from(i):
                grad = grads[edge.slot] if edge.slot < len(grads) else None
                if grad is None:
                    continue
                self.arrived.setdefault(edge.child, []).append((edge, grad))
                self.graph.edge_grads[edge] = grad
                sent.append((edge, grad))
            if self.printer:
                self.printer.sends(sent)
        return hook

    def _leaf_hook(self, i: int):
        def hook(grad):
            self.step += 1
            arrivals = self._arrivals(i, lambda edge: grad.shape)
            if self.printer:
                self.printer.leaf(self.step, i, grad, arrivals)
        return hook


class _Printer:
    """The text of trace_backward: one block per step."""

    def __init__(self, graph: Graph, file) -> None:
        self.graph, self.file = graph, file

    def say(self, text: str) -> None:
        print(text, file=self.file)

    def header(self, step: int, i: int) -> None:
        label = self.graph.labels[i]
        if self.graph.is_leaf(i):
            label = f"AccumulateGrad ({label})"
        self.say(f"step {step:<3} {label:<28} {local_rule(self.graph.nodes[i])}".rstrip())

    def received(self, arrivals: list, total) -> None:
        for n, (edge, grad) in enumerate(arrivals):
            head = "receives" if n == 0 else ""
            sender = self.graph.labels[edge.parent]
            self.say(f"         {head:<9}{format_grad(grad)}  from {sender}")
        if len(arrivals) > 1:
            terms = " + ".join(format_grad(grad) for _, grad in arrivals)
            self.say(f"         {len(arrivals)} paths meet here, so their gradients are summed: "
                     f"{terms} = {format_grad(total)}")

    def node(self, step: int, i: int, grad_outputs, arrivals: list) -> None:
        self.header(step, i)
        if i == 0:
            start = next(g for g in grad_outputs if g is not None)
            self.say(f"         receives {format_grad(start)}  (where backward starts: "
                     f"d{self.graph.output_name}/d{self.graph.output_name})")
        else:
            total = next((g for g in grad_outputs if g is not None), None)
            self.received(arrivals, total)

    def sends(self, sent: list) -> None:
        for n, (edge, grad) in enumerate(sent):
            head = "sends" if n == 0 else ""
            self.say(f"         {head:<9}{format_grad(grad)}  to {self.graph.labels[edge.child]}")

    def leaf(self, step: int, i: int, grad, arrivals: list) -> None:
        self.header(step, i)
        self.received(arrivals, grad)
        self.say(f"         {self.graph.labels[i]}.grad += {format_grad(grad)}")


def _align(node, grad_inputs) -> tuple:
    """The gradients in the order of `next_functions`.

    A tinygrad_edu user Function returns one gradient per forward argument, numbers included,
    while its edges are for its tensor arguments only (`_input_positions` says which).
    """
    positions = getattr(node, "_input_positions", None)
    if positions is not None and len(grad_inputs) != len(node.next_functions):
        return tuple(grad_inputs[p] for p in positions)
    return tuple(grad_inputs)


def _sum_to(grad, shape):
    """grad summed over broadcast axes down to `shape` (the adjoint of broadcasting)."""
    shape = tuple(shape)
    grad = grad.detach()
    if tuple(grad.shape) == shape:
        return grad
    lead = grad.dim() - len(shape)
    if lead > 0:
        grad = grad.sum(dim=tuple(range(lead)))
    ones = tuple(d for d, size in enumerate(shape) if size == 1 and grad.shape[d] != 1)
    return grad.sum(dim=ones, keepdim=True) if ones else grad
