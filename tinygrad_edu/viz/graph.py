"""The backward graph of a tensor, as data, as Graphviz DOT text, and as a tree in the terminal.

A tensor made by ops remembers the node that made it (`y.grad_fn`); each node lists, in
`next_functions`, the nodes of its inputs; a leaf that requires grad is reached through its
`AccumulateGrad` node (whose `.variable` is the leaf). Walking `next_functions` from
`output.grad_fn` therefore visits the whole graph, from the output back to the leaves.

Names come from torch's conventions: an op node is named after its backward (`MulBackward0`);
`names={"w1": w1, "b": b}` adds your own names for leaves and for intermediate tensors.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import functions, ops
from ..autograd.node import FunctionBase
from ..nn import functional

ACCUMULATE = "AccumulateGrad"


@dataclass(frozen=True)
class Edge:
    """Input `slot` of node `parent` comes from output `output_nr` of node `child`.

    Gradients flow along it from parent to child; data flowed from child to parent.
    """

    parent: int
    slot: int
    child: int
    output_nr: int


class Graph:
    """The nodes and edges behind `output`, with labels; gradients once recorded (trace.py)."""

    def __init__(self, output, names: dict | None = None) -> None:
        if output.grad_fn is None:
            raise ValueError("this tensor has no grad_fn: it is a leaf or does not require grad, "
                             "so there is no graph behind it (create it from tensors with "
                             "requires_grad=True)")
        self.output = output
        self.nodes: list = []          # index -> graph node, the output's node first
        self.edges: list[Edge] = []
        self._index: dict = {}         # id(node) -> index (torch's nodes are compared by identity)
        self._from: list[list[Edge]] = []  # node index -> the edges to its inputs
        self._walk(output.grad_fn)
        self.labels = self._label(names or {})
        self.output_name = _name_of(output, names or {}) or "output"
        # Filled in while a backward pass is recorded (see trace.py):
        self.root_grad = None          # the gradient the backward pass starts from
        self.edge_grads: dict = {}     # Edge -> the gradient sent along it

    # ------------------------------------------------------------------------- structure
    def _walk(self, root) -> None:
        """Breadth first from the output's node: every node once, every edge once."""
        self._add(root)
        position = 0
        while position < len(self.nodes):
            node = self.nodes[position]
            for slot, (child, output_nr) in enumerate(node.next_functions):
                if child is None:      # an input that needs no gradient (a constant, a number)
                    continue
                if id(child) not in self._index:
                    self._add(child)
                edge = Edge(position, slot, self._index[id(child)], output_nr)
                self.edges.append(edge)
                self._from[position].append(edge)
            position += 1

    def _add(self, node) -> None:
        self._index[id(node)] = len(self.nodes)
        self.nodes.append(node)
        self._from.append([])

    def index(self, node) -> int:
        return self._index[id(node)]

    def is_leaf(self, i: int) -> bool:
        return type(self.nodes[i]).__name__ == ACCUMULATE

    def edges_from(self, parent: int) -> list[Edge]:
        """The edges from node `parent` to the nodes of its inputs, in input order."""
        return self._from[parent]

    def _label(self, names: dict) -> list[str]:
        """A short unique name per node: the user's name, or the op name numbered if repeated."""
        named = {}
        for name, tensor in names.items():
            key = tensor.grad_fn if tensor.grad_fn is not None else tensor
            named.setdefault(id(key), name)
        counts: dict = {}
        for node in self.nodes:
            counts[type(node).__name__] = counts.get(type(node).__name__, 0) + 1
        seen: dict = {}
        labels = []
        for node in self.nodes:
            kind = type(node).__name__
            seen[kind] = seen.get(kind, 0) + 1
            if kind == ACCUMULATE:
                leaf = node.variable
                name = named.get(id(leaf)) or ("leaf" + _numbered(seen[kind], counts[kind]))
                labels.append(name)
            else:
                name = named.get(id(node))
                labels.append(f"{kind} ({name})" if name else
                              kind + _numbered(seen[kind], counts[kind]))
        return labels

    def leaf_text(self, i: int) -> str:
        """`w1 [1]`: a leaf's name and shape."""
        return f"{self.labels[i]} {list(self.nodes[i].variable.shape)}"

    # ------------------------------------------------------------------------- output
    def to_dot(self, rules: bool = True) -> str:
        """Graphviz DOT text: leaves blue, ops grey, the output green; data flows downwards and
        each edge is labelled with the gradient that the backward pass sent along it."""
        lines = ["digraph backward {",
                 '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
                 '  edge [fontname="Helvetica", fontsize=9];']
        for i, node in enumerate(self.nodes):
            if self.is_leaf(i):
                text = self.leaf_text(i)
                grad = node.variable.grad
                if grad is not None:
                    text += f"\ngrad {format_grad(grad)}"
                lines.append(f'  n{i} [label="{_escape(text)}", fillcolor="lightblue"];')
            else:
                text = self.labels[i] + (f"\n{local_rule(node)}" if rules and local_rule(node)
                                         else "")
                lines.append(f'  n{i} [label="{_escape(text)}", fillcolor="lightgrey"];')
        output = f"{self.output_name} {list(self.output.shape)}"
        lines.append(f'  out [label="{_escape(output)}", fillcolor="darkolivegreen1"];')
        lines.append(f"  n0 -> out{_edge_label(self.root_grad)};")
        for edge in self.edges:
            lines.append(f"  n{edge.child} -> n{edge.parent}"
                         f"{_edge_label(self.edge_grads.get(edge))};")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def tree(self, rules: bool = False) -> str:
        """The graph as an indented tree, from the output back to the leaves.

        A node reached a second time (its tensor was used twice) is marked, not expanded again:
        that is where the backward pass adds up the gradients of several paths.
        """
        head = f"{self.output_name} {list(self.output.shape)} <- {self.labels[0]}"
        if self.root_grad is not None:
            head += f"   grad {format_grad(self.root_grad)}"
        if rules and local_rule(self.nodes[0]):
            head += f"   {local_rule(self.nodes[0])}"
        lines = [head]
        shown = {0}
        # (edge, prefix) pairs; a stack, so that deep graphs need no recursion
        stack = [(edge, "", last) for edge, last in _with_last(self.edges_from(0))][::-1]
        while stack:
            edge, prefix, last = stack.pop()
            child = edge.child
            text = self.leaf_text(child) if self.is_leaf(child) else self.labels[child]
            grad = self.edge_grads.get(edge)
            if grad is not None:
                text += f"   grad {format_grad(grad)}"
            again = child in shown
            if again:
                text += "   (reached again: gradients add up here)"
            elif rules and not self.is_leaf(child) and local_rule(self.nodes[child]):
                text += f"   {local_rule(self.nodes[child])}"
            lines.append(prefix + ("└── " if last else "├── ") + text)
            if again or self.is_leaf(child):
                shown.add(child)
                continue
            shown.add(child)
            inner = prefix + ("    " if last else "│   ")
            stack.extend((e, inner, is_last)
                         for e, is_last in reversed(list(_with_last(self.edges_from(child)))))
        return "\n".join(lines)

    def render(self, path: str | Path, rules: bool = True) -> Path:
        return render(self, path, rules=rules)


# ----------------------------------------------------------------------------- functions

def _as_graph(output, names) -> Graph:
    return output if isinstance(output, Graph) else Graph(output, names)


def to_dot(output, names: dict | None = None, rules: bool = True) -> str:
    """The graph behind `output` (a tensor or a recorded Graph) as Graphviz DOT text."""
    return _as_graph(output, names).to_dot(rules=rules)


def print_graph(output, names: dict | None = None, rules: bool = False, file=None) -> None:
    """Print the graph behind `output` (a tensor or a recorded Graph) as a tree."""
    print(_as_graph(output, names).tree(rules=rules), file=file or sys.stdout)


def render(output, path: str | Path, names: dict | None = None, rules: bool = True) -> Path:
    """Draw the graph to `path` (.svg, .png, .pdf ...) with Graphviz's `dot` program."""
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("drawing a graph needs Graphviz's `dot` program, which is not "
                           "installed (Debian/Ubuntu: apt-get install graphviz). viz.to_dot() "
                           "gives the DOT text without it.")
    path = Path(path)
    kind = path.suffix.lstrip(".") or "svg"
    text = to_dot(output, names, rules=rules)
    done = subprocess.run([dot, f"-T{kind}", "-o", str(path)], input=text.encode(),
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"dot failed to write {path}: {done.stderr.decode().strip()}")
    return path


def format_grad(grad) -> str:
    """A gradient for a label: its values when there are at most 4, else shape and norm."""
    if grad is None:
        return "None"
    values = grad.detach()
    if values.numel() <= 4:
        items = [f"{v:.4g}" for v in values.reshape(-1).tolist()]
        return items[0] if values.dim() == 0 or len(items) == 1 else "[" + ", ".join(items) + "]"
    return f"{list(values.shape)} (norm {values.double().norm().item():.4g})"


def local_rule(node) -> str:
    """The math of a node's backward, from its op's docstring (e.g. `y = exp(x);  dx = dy * y`).

    A tinygrad_edu node knows its op (`type(node)._forward_cls`); a torch node is matched to
    the tinygrad_edu op that torch would name the same.
    """
    kind = type(node).__name__
    if kind == ACCUMULATE:
        return "leaf.grad += grad"
    forward_cls = getattr(type(node), "_forward_cls", None)
    doc = forward_cls.__doc__ if forward_cls is not None else _docs_by_node_name().get(kind)
    return _first_statement(doc or "")


def _first_statement(doc: str) -> str:
    """The docstring's first line, continued while it is unfinished (ends in ; , : or has an
    open bracket), as the math of a backward often takes two lines."""
    lines = [line.strip() for line in doc.strip().splitlines()]
    if not lines:
        return ""
    text = lines[0]
    for line in lines[1:]:
        unfinished = (text.endswith((";", ",", ":", " with", " and"))
                      or text.count("(") > text.count(")"))
        if not unfinished or not line:
            break
        text += " " + line
    return text


# Where the ops are: the fused nn kernels first, so that a node torch names after a core op
# (a linear layer's AddmmBackward0, MmBackward0) gets the layer's rule; erf lives in functions.
_OP_PACKAGES = (functional, functions, ops)


@functools.lru_cache(maxsize=1)
def _docs_by_node_name() -> dict:
    """Node name -> docstring of the tinygrad_edu primitive torch names so (e.g. MulBackward0)."""
    docs: dict = {}
    for package in _OP_PACKAGES:
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if (isinstance(value, type) and issubclass(value, FunctionBase)
                        and value.__module__ == module.__name__ and value.__doc__):
                    docs.setdefault(value._backward_cls.__name__, value.__doc__)
    return docs


def _name_of(tensor, names: dict) -> str | None:
    return next((name for name, value in names.items() if value is tensor), None)


def _numbered(n: int, total: int) -> str:
    return f" #{n}" if total > 1 else ""


def _with_last(items):
    items = list(items)
    return [(item, i == len(items) - 1) for i, item in enumerate(items)]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _edge_label(grad) -> str:
    return "" if grad is None else f' [label=" {_escape(format_grad(grad))}"]'
