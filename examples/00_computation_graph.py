"""00 - The computation graph, and the backward pass that walks it, step by step.

The worked example of "Understanding Graphs, Automatic Differentiation and Autograd":

    b = w1 * a      c = w2 * a      d = w3 * b + w4 * c      L = 10 - d

You learn: each op leaves a node behind (`L.grad_fn`, named as torch names it: MulBackward0);
`next_functions` links each node to the nodes of its inputs; leaves are reached through
`AccumulateGrad` nodes. `L.backward()` walks this graph from L to the leaves and applies the
chain rule: the gradient of L with respect to a leaf is the sum, over every path from L to that
leaf, of the product of the local gradients along the path.

    python examples/00_computation_graph.py [--backend torch] [--render graph.svg]

Open next: tinygrad_edu/viz/ (how the graph is read and the pass watched), then
tinygrad_edu/autograd/node.py and tinygrad_edu/autograd/engine.py, then 01_tensors.py.
"""
from _common import get_device, load_backend, parse_args

from tinygrad_edu import viz

args = parse_args(__doc__, epochs=1, render=True)
torch = load_backend(args)
device = get_device(torch, args)

# ----------------------------------------------------------------------------- the forward pass
a = torch.tensor([4.0], device=device, requires_grad=True)  # the blog's `a` needs no grad;
weights = [torch.tensor([float(i)], device=device, requires_grad=True)  # asking for it shows
           for i in (2, 5, 9, 7)]                             # two paths meeting at a leaf
w1, w2, w3, w4 = weights

b = w1 * a
c = w2 * a
d = w3 * b + w4 * c
L = (10 - d)
names = {"a": a, "w1": w1, "w2": w2, "w3": w3, "w4": w4, "b": b, "c": c, "d": d, "L": L}

# ----------------------------------------------------------------------------- the graph
print("L.grad_fn:", L.grad_fn)
print("its inputs' nodes:", L.grad_fn.next_functions)
print("\nThe graph behind L (each node lists the nodes of its inputs):")
viz.print_graph(L, names=names, rules=True)

# ----------------------------------------------------------------------------- backward, traced
print()
graph = viz.trace_backward(L, names=names)  # runs L.backward(), printing every step

for index, weight in enumerate(weights, start=1):
    gradient, *_ = weight.grad.data
    print(f"Gradient of w{index} w.r.t to L: {gradient}")
print(f"Gradient of a w.r.t to L: {a.grad.item()}")

# ----------------------------------------------------------------------------- by hand
# Local gradients: dL/dd = -1, dd/db = w3, dd/dc = w4, db/dw1 = a, db/da = w1, dc/da = w2 ...
# The gradient for a leaf is the sum over paths of the product of the edge gradients.
v = {name: t.item() for name, t in names.items() if t.grad_fn is None}  # the leaves
by_hand = {
    "w1": -1 * v["w3"] * v["a"],                                    # L -> d -> b -> w1
    "w2": -1 * v["w4"] * v["a"],                                    # L -> d -> c -> w2
    "w3": -1 * (v["w1"] * v["a"]),                                  # L -> d -> w3 (times b)
    "w4": -1 * (v["w2"] * v["a"]),                                  # L -> d -> w4 (times c)
    "a": -1 * v["w3"] * v["w1"] + -1 * v["w4"] * v["w2"],           # via b, plus via c
}
print("\nBy hand, the sum over paths of the product of edge gradients:")
for name, value in by_hand.items():
    autograd_value = names[name].grad.item()
    print(f"  dL/d{name:<3} = {value:6.1f}   autograd: {autograd_value:6.1f}   "
          f"{'ok' if value == autograd_value else 'DIFFERENT'}")

# ----------------------------------------------------------------------------- the drawing
print("\nThe same graph as Graphviz DOT text, each edge labelled with its gradient:")
print(graph.to_dot())
if args.render:
    print("drawn into", graph.render(args.render))

# ----------------------------------------------------------------------------- a real model
print("The graph of a small network's loss (parameters named by named_parameters()):")
nn = torch.nn
model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1)).to(device)
x, target = torch.randn(4, 3, device=device), torch.randn(4, 1, device=device)
loss = torch.nn.functional.mse_loss(model(x), target)
viz.print_graph(viz.backward(loss, names={**dict(model.named_parameters()), "loss": loss}))
