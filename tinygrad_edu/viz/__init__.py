"""See the graph behind a tensor, and watch the backward pass walk it.

    from tinygrad_edu import viz
    L = 10 - (w3 * (w1 * a) + w4 * (w2 * a))
    viz.print_graph(L, names={"a": a, "w1": w1, "w2": w2, "w3": w3, "w4": w4, "L": L})
    graph = viz.trace_backward(L, names=...)   # runs L.backward(), printing every step
    print(graph.to_dot())                      # Graphviz text, each edge labelled by its gradient
    graph.render("graph.svg")                  # needs Graphviz's `dot` program
    viz.plot_history({"loss": losses})         # curves (needs matplotlib)

Everything here only *reads* the graph that autograd already builds: the nodes' names and
`next_functions`, and hooks (`register_prehook`, `register_hook` on nodes, `register_hook` on leaf
tensors) to see the gradients go by. It works on real torch tensors as well.

Reading order: graph.py (walking and drawing the graph), trace.py (recording the backward pass),
plot.py (training curves).
"""
from .graph import Graph, format_grad, local_rule, print_graph, render, to_dot
from .plot import plot_history
from .trace import backward, trace_backward

__all__ = ["Graph", "backward", "format_grad", "local_rule", "plot_history", "print_graph",
           "render", "to_dot", "trace_backward"]
