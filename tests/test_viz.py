"""tinygrad_edu.viz: the worked example's graph (DOT, tree, step-by-step backward) checked against
gradients computed by hand and against the graph real torch builds; rendering; plot_history."""
from __future__ import annotations

import importlib
import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu
from tinygrad_edu import viz
from tinygrad_edu.ops import elementwise

torch = pytest.importorskip("torch")

LIBS = [tinygrad_edu, torch]
small = st.integers(-9, 9).filter(lambda v: v != 0).map(float)


def worked_example(lib, a, w1, w2, w3, w4):
    """The tutorial's b = w1*a, c = w2*a, d = w3*b + w4*c, L = 10 - d; products named p, q."""
    leaves = {name: lib.tensor([float(value)], requires_grad=True)
              for name, value in (("a", a), ("w1", w1), ("w2", w2), ("w3", w3), ("w4", w4))}
    t = leaves
    b = t["w1"] * t["a"]
    c = t["w2"] * t["a"]
    p = t["w3"] * b
    q = t["w4"] * c
    d = p + q
    L = 10 - d
    return L, {**leaves, "b": b, "c": c, "p": p, "q": q, "d": d, "L": L}


def by_hand(a, w1, w2, w3, w4) -> dict:
    """(input name, consumer name) -> the gradient of L sent along that edge, by the chain rule."""
    return {("d", "L"): -1.0, ("p", "d"): -1.0, ("q", "d"): -1.0,
            ("w3", "p"): -(w1 * a), ("b", "p"): -w3, ("w4", "q"): -(w2 * a), ("c", "q"): -w4,
            ("w1", "b"): -w3 * a, ("a", "b"): -w3 * w1, ("w2", "c"): -w4 * a,
            ("a", "c"): -w4 * w2}


def fmt(value: float) -> str:
    return f"{value + 0.0:.4g}"  # + 0.0: a zero gradient prints as 0, never -0


def parse_dot(text: str):
    """{node id: (short name, first label line)} and [(child name, parent name, edge label)]."""
    nodes = {}
    for node_id, label in re.findall(r'^  (\w+) \[label="([^"]*)"', text, re.M):
        first = label.split("\\n")[0]
        named = re.search(r"\((\w+)\)$", first)
        short = named.group(1) if named else first.split()[0]
        nodes[node_id] = ("out" if node_id == "out" else short, first)
    edges = [(nodes[child][0], nodes[parent][0], label.strip())
             for child, parent, label in re.findall(r'^  (\w+) -> (\w+) \[label="([^"]*)"\]',
                                                    text, re.M)]
    return nodes, edges


# ----------------------------------------------------------------------------- DOT

@given(a=small, w1=small, w2=small, w3=small, w4=small)
def test_dot_of_the_worked_example_has_every_node_and_each_edge_gradient(a, w1, w2, w3, w4):
    L, names = worked_example(tinygrad_edu, a, w1, w2, w3, w4)
    graph = viz.backward(L, names=names)
    nodes, edges = parse_dot(graph.to_dot())

    expected = {edge: fmt(value) for edge, value in by_hand(a, w1, w2, w3, w4).items()}
    assert {(child, parent): label.replace("-0", "0") if label == "-0" else label
            for child, parent, label in edges if parent != "out"} == expected
    assert ("L", "out", "1") in edges                      # the gradient backward starts from
    ops = {short: first for short, first in nodes.values() if short not in names or
           names[short].grad_fn is not None}
    assert ops["b"] == "MulBackward0 (b)" and ops["d"] == "AddBackward0 (d)"
    assert {ops[name].split()[0] for name in ("b", "c", "p", "q")} == {"MulBackward0"}
    leaf_labels = {first for short, first in nodes.values() if short in ("a", "w1", "w2")}
    assert leaf_labels == {"a [1]", "w1 [1]", "w2 [1]"}
    assert f'grad {fmt(-(w3 * w1 + w4 * w2))}"' in graph.to_dot().replace(
        'grad -0"', 'grad 0"')  # a's summed gradient


def test_the_graph_is_node_for_node_the_one_torch_builds():
    graphs = []
    for lib in LIBS:
        L, names = worked_example(lib, 4, 2, 5, 9, 7)
        graphs.append(viz.Graph(L, names=names))
    ours, theirs = graphs
    assert ours.labels == theirs.labels                   # torch's names, in the same places
    assert ours.labels[0] == "RsubBackward1 (L)"          # `10 - d`: one edge, to d
    assert ours.edges == theirs.edges and len(ours.edges) == 11
    assert ours.tree() == theirs.tree()


def test_dot_shows_local_rules_from_the_op_docstrings():
    L, names = worked_example(tinygrad_edu, 4, 2, 5, 9, 7)
    rule = elementwise.Mul.__doc__.strip().splitlines()[0]
    assert f"MulBackward0 (b)\\n{rule}" in viz.to_dot(L, names=names)
    assert rule not in viz.to_dot(L, names=names, rules=False)


# ----------------------------------------------------------------------------- tree

@pytest.mark.parametrize("lib", LIBS, ids=["tinygrad_edu", "torch"])
def test_print_graph_is_a_tree_with_gradients_after_backward(lib, capsys):
    a, w1, w2, w3, w4 = 4.0, 2.0, 5.0, 9.0, 7.0
    L, names = worked_example(lib, a, w1, w2, w3, w4)
    viz.print_graph(L, names=names)
    before = capsys.readouterr().out.splitlines()
    assert len(before) == 1 + len(viz.Graph(L, names).edges)  # one line per edge, plus the head
    assert before[0].startswith("L [1] <- ")
    assert "   grad " not in "\n".join(before)                 # nothing recorded yet

    viz.print_graph(viz.backward(L, names=names))
    lines = capsys.readouterr().out.splitlines()
    hand = by_hand(a, w1, w2, w3, w4)
    depth = {_short(line.split("── ")[1]): line.index("── ") for line in lines[1:]}
    assert depth["d"] < depth["p"] < depth["b"] < depth["w1"]  # deeper = further from L
    assert any(line.endswith(f"── w1 [1]   grad {fmt(hand['w1', 'b'])}") for line in lines)
    again = [line for line in lines if "reached again" in line]
    assert len(again) == 1 and "── a [1]" in again[0]      # a is used twice: two paths


def _short(text: str) -> str:
    """`AddBackward0 (d)   grad -1` -> d;  `w1 [1]   grad -36` -> w1"""
    named = re.match(r"\w+ \((\w+)\)", text)
    return named.group(1) if named else text.split()[0]


# ----------------------------------------------------------------------------- trace_backward

def steps_of(text: str) -> list[tuple[str, list[str]]]:
    """[(step header, body lines)] from trace_backward's output."""
    steps: list = []
    for line in text.splitlines():
        if line.startswith("step "):
            steps.append((line, []))
        elif steps:
            steps[-1][1].append(line.strip())
    return steps


@pytest.mark.parametrize("lib", LIBS, ids=["tinygrad_edu", "torch"])
@given(a=small, w1=small, w2=small, w3=small, w4=small)
def test_trace_backward_shows_the_sum_over_paths(lib, a, w1, w2, w3, w4):
    L, names = worked_example(lib, a, w1, w2, w3, w4)
    out = _Capture()
    graph = viz.trace_backward(L, names=names, file=out)
    steps = steps_of(out.text)
    assert len(steps) == len(graph.nodes)                    # every node runs exactly once

    [(header, body)] = [step for step in steps if "AccumulateGrad (a)" in step[0]]
    via_b, via_c = -w3 * w1, -w4 * w2
    summed = [line for line in body if "paths meet" in line]
    assert len(summed) == 1
    terms, total = summed[0].split(": ")[1].split(" = ")
    assert sorted(terms.split(" + ")) == sorted([fmt(via_b), fmt(via_c)])
    assert total == fmt(via_b + via_c)
    assert body[-1] == f"a.grad += {fmt(via_b + via_c)}"
    assert names["a"].grad.item() == via_b + via_c
    assert [h for h, b in steps if any("paths meet" in line for line in b)] == [header]


def test_trace_backward_runs_nodes_after_all_their_senders_with_their_rules():
    L, names = worked_example(tinygrad_edu, 4, 2, 5, 9, 7)
    out = _Capture()
    viz.trace_backward(L, names=names, file=out)
    done: list[str] = []
    mul_rule = elementwise.Mul.__doc__.strip().splitlines()[0]
    for header, body in steps_of(out.text):
        label = re.match(r"step \d+\s+(.*?)(?:\s{2,}|$)", header).group(1)
        senders = [line.split("  from ")[1] for line in body if "  from " in line]
        assert all(sender in done for sender in senders), (label, senders, done)
        if label.startswith("MulBackward0"):
            assert header.endswith(mul_rule)
        done.append(label.replace("AccumulateGrad (", "").rstrip(")") if "Accumulate" in label
                    else label)
    assert out.text.splitlines()[1].startswith(f"step 1   {type(L.grad_fn).__name__} (L)")
    assert "receives 1  (where backward starts: dL/dL)" in out.text


def test_trace_removes_its_hooks():
    L, names = worked_example(tinygrad_edu, 4, 2, 5, 9, 7)
    out = _Capture()
    viz.trace_backward(L, names=names, file=out, retain_graph=True)
    before = out.text
    L.backward()                                             # hooks gone: nothing more printed
    assert out.text == before
    assert names["a"].grad.item() == 2 * -(9 * 2 + 7 * 5)


@pytest.mark.parametrize("lib", LIBS, ids=["tinygrad_edu", "torch"])
def test_broadcast_gradients_are_shown_summed_to_the_input_shape(lib):
    w = lib.tensor([2.0], requires_grad=True)
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    loss = (w * x).sum()
    graph = viz.backward(loss, names={"w": w, "x": x})
    grads = {graph.labels[e.child]: graph.edge_grads[e] for e in graph.edges}
    assert list(grads["w"].shape) == [1] and grads["w"].item() == 6.0 == w.grad.item()
    assert grads["x"].tolist() == [2.0, 2.0, 2.0]


def test_custom_function_with_a_number_argument():
    class Scale(tinygrad_edu.autograd.Function):
        @staticmethod
        def forward(ctx, k, x):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, grad_output):
            return None, grad_output * ctx.k

    x = tinygrad_edu.ones(2, requires_grad=True)
    graph = viz.backward(Scale.apply(3.0, x).sum(), names={"x": x})
    [edge] = [e for e in graph.edges if graph.labels[e.child] == "x"]
    assert graph.edge_grads[edge].tolist() == [3.0, 3.0]
    assert graph.labels[graph.index(edge_parent(graph, edge))] == "ScaleBackward"


def edge_parent(graph, edge):
    return graph.nodes[edge.parent]


def test_deep_chains_need_no_recursion():
    x = tinygrad_edu.ones(1, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0
    graph = viz.backward(y.sum())
    assert graph.tree().count("\n") == len(graph.edges) == 3001
    assert x.grad.item() == 1.0


def test_a_tensor_without_graph_is_refused():
    with pytest.raises(ValueError, match="no grad_fn"):
        viz.to_dot(tinygrad_edu.ones(2, requires_grad=True))


def test_local_rules_cover_every_primitive_and_torch_nodes():
    from tinygrad_edu.viz.graph import _docs_by_node_name
    docs = _docs_by_node_name()
    assert {"MulBackward0", "AddmmBackward0", "ConvolutionBackward0", "NllLossBackward0"} <= set(
        docs)
    assert all(doc.strip() for doc in docs.values())
    x = torch.ones(2, requires_grad=True)
    assert viz.local_rule((x.exp()).grad_fn) == "y = exp(x);  dx = dy * y"
    linear = tinygrad_edu.nn.functional.linear(tinygrad_edu.ones(2, 3), tinygrad_edu.ones(
        4, 3, requires_grad=True), tinygrad_edu.ones(4, requires_grad=True))
    rule = viz.local_rule(linear.grad_fn)               # a two-line rule is kept whole
    assert rule.startswith("y = x @ Wᵀ + b") and "dW = dyᵀ @ x" in rule


# ----------------------------------------------------------------------------- rendering

def test_render_without_dot_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr("shutil.which", lambda name: None)
    L, names = worked_example(tinygrad_edu, 4, 2, 5, 9, 7)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        viz.render(L, tmp_path / "g.svg", names=names)


def test_render_hands_the_dot_text_to_graphviz(monkeypatch, tmp_path):
    """A stand-in `dot` on PATH records its arguments and input, as the real one would read."""
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text(f"#!{sys.executable}\nimport sys\nout = sys.argv[sys.argv.index('-o') + 1]\n"
                    "open(out, 'w').write(' '.join(sys.argv[1:]) + '\\n' + sys.stdin.read())\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{__import__('os').environ['PATH']}")
    L, names = worked_example(tinygrad_edu, 4, 2, 5, 9, 7)
    graph = viz.backward(L, names=names)
    path = graph.render(tmp_path / "g.png")
    written = path.read_text()
    assert written.startswith("-Tpng -o ")
    assert written.split("\n", 1)[1] == graph.to_dot()


# ----------------------------------------------------------------------------- plot_history

def test_plot_history_writes_an_image(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "curves.png"
    figure = viz.plot_history({"train loss": [2.0, 1.0, 0.5], "valid accuracy": [0.5, 0.8, 0.9]},
                              path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [axis.get_ylabel() for axis in figure.axes] == ["loss", "accuracy"]
    rows = [{"loss": 1.0, "acc": 0.5}, {"loss": 0.5, "acc": 0.7}]
    figure = viz.plot_history(rows, tmp_path / "rows.png")
    assert [list(line.get_ydata()) for axis in figure.axes for line in axis.lines] == [
        [1.0, 0.5], [0.5, 0.7]]


def test_plot_history_without_matplotlib_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)     # makes `import matplotlib` fail
    with pytest.raises(ModuleNotFoundError, match="pip install matplotlib"):
        viz.plot_history({"loss": [1.0]})


def test_plot_history_rejects_what_it_cannot_draw():
    with pytest.raises(TypeError, match="dict of lists"):
        viz.plot_history([1.0, 2.0])
    with pytest.raises(ValueError, match="no values"):
        viz.plot_history({"loss": []})


def test_viz_is_reachable_as_an_attribute():
    assert importlib.import_module("tinygrad_edu").viz is viz


class _Capture:
    """A file-like object collecting what is printed to it."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass
