"""15 - Backpropagation through time: the gradient walks back through every step of an RNN.

You learn:
  1. an RNN unrolled by hand: one nn.RNNCell applied at every time step, the same weights each time
  2. the backward pass of the unrolled graph, traced step by step with viz.trace_backward: the
     gradient goes from the last hidden state back to the first, and each shared weight receives
     one gradient per time step, summed (backpropagation through time is the chain rule on it)
  3. h.retain_grad(): the gradient with respect to every step's hidden state, checked by hand
  4. vanishing and exploding gradients: each step back multiplies the gradient by
     W_hhᵀ diag(1 - h²), so over 30 steps its norm shrinks geometrically when the recurrent
     weights are small and grows geometrically when they are large

    python examples/15_backprop_through_time.py [--backend torch] [--device cuda] [--plot FILE]

What you should see: in part 1, each weight receives 3 gradients (3 paths meet), and autograd's
dL/dh_t equal the hand-computed ones. In part 2 (measured, both backends), from step 30 back to
step 1 the gradient norm is multiplied by 2e-10 to 3e-10 with W_hh = 0.5 Q (Q orthogonal; x0.46 per
step: vanishing), by about 1e-2 with 1.0 Q (x0.85: tanh' < 1 still shrinks it, slowly) and by
1e4 to 2e4 with 3.0 Q (x1.4 per step: exploding).
Open next: tinygrad_edu/viz/trace.py, then 16_lstm_language_model.py (clipping and gates, the two
usual cures).
"""
from _common import get_device, load_backend, parse_args

from tinygrad_edu import viz

args = parse_args(__doc__, epochs=1, plot=True)
torch = load_backend(args)
device = get_device(torch, args)


def unroll(cell, inputs):
    """h_t = cell(x_t, h_{t-1}) for t = 1..T from h_0 = 0; every h_t keeps its gradient."""
    hidden, states = None, []
    for x in inputs:
        hidden = cell(x, hidden)
        hidden.retain_grad()  # a non-leaf's .grad is kept only when asked for
        states.append(hidden)
    return states


# ----------------------------------------------------------------------------- 1. three steps
print("== 1. a scalar RNN, h_t = tanh(w_ih x_t + w_hh h_(t-1)), unrolled over 3 steps")
cell = torch.nn.RNNCell(1, 1).to(device)
with torch.no_grad():  # round numbers, the same on every backend
    cell.weight_ih.fill_(1.0)
    cell.weight_hh.fill_(0.5)
    cell.bias_ih.zero_()
    cell.bias_hh.zero_()
inputs = torch.tensor([[[1.0]], [[0.5]], [[-0.5]]], device=device)  # (steps, batch 1, input 1)
h1, h2, h3 = states = unroll(cell, inputs)
loss = h3.sum()
names = {"h1": h1, "h2": h2, "h3": h3, "loss": loss, **dict(cell.named_parameters())}
viz.trace_backward(loss, names=names)  # runs loss.backward(), printing every step

print("\nBy hand: dL/dh_(t-1) = dL/dh_t * (1 - h_t²) * w_hh, from dL/dh_3 = 1")
by_hand, w_hh = 1.0, cell.weight_hh.item()
for t in range(3, 0, -1):
    h = states[t - 1]
    print(f"  t = {t}   h_t = {h.item():+.4f}   dL/dh_t by hand {by_hand:.4f}   "
          f"autograd {h.grad.item():.4f}")
    by_hand *= (1 - h.item() ** 2) * w_hh
print(f"weight_hh.grad = {cell.weight_hh.grad.item():.4f}: one term per step, summed")

# ----------------------------------------------------------------------------- 2. thirty steps
steps, hidden_size, gains = 30, 32, (0.5, 1.0, 3.0)
print(f"\n== 2. {steps} steps of an RNNCell(4, {hidden_size}), loss = h_{steps}.sum(), "
      "W_hh = gain * (an orthogonal matrix)")
inputs = torch.randn(steps, 1, 4).to(device)    # drawn on the CPU: the same on every device
norms = {}
for gain in gains:
    cell = torch.nn.RNNCell(4, hidden_size)
    with torch.no_grad():
        torch.nn.init.orthogonal_(cell.weight_hh, gain=gain)
    states = unroll(cell.to(device), inputs)
    states[-1].sum().backward()
    norms[gain] = [h.grad.norm().item() for h in states]

print("||dL/dh_t||  " + "".join(f"{'gain ' + str(gain):>12}" for gain in gains))
for t in [steps, *range(steps - 5, 0, -5), 1]:
    print(f"t = {t:<9}" + "".join(f"{norms[gain][t - 1]:12.2e}" for gain in gains))
for gain in gains:
    change = norms[gain][0] / norms[gain][-1]
    factor = change ** (1 / (steps - 1))
    what = "vanishing" if factor < 1 else "exploding"
    print(f"gain {gain}: from step {steps} back to step 1 the norm changed by {change:.1e}, "
          f"about x{factor:.2f} per step ({what})")

print("what you should see: each step back multiplies the gradient by about the same factor, so "
      "it vanishes with small recurrent weights and explodes with large ones")

if args.plot:
    figure = viz.plot_history({f"W_hh = {gain} Q": norms[gain] for gain in gains},
                              title=f"||dL/dh_t|| for L = h_{steps}.sum()", xlabel="time step t")
    axis = figure.axes[0]
    axis.set_yscale("log")          # a geometric fall or growth is a straight line
    axis.set_ylabel("gradient norm")
    figure.savefig(args.plot)
    print(f"saved the gradient norms to {args.plot}")
