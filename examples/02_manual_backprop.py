"""02 - Learning PyTorch with Examples, "Tensors": a two-layer net with hand-written gradients.

You learn: what autograd will automate. The forward pass is three tensor ops; the backward pass
is the chain rule applied by hand, one line per op, in reverse order; the update is plain
gradient descent. No `requires_grad` anywhere.

    python examples/02_manual_backprop.py [--backend torch] [--device cuda] [--epochs 500]

Open next: 03_autograd.py (the same net, with autograd doing the backward pass).
"""
from _common import get_device, load_backend, parse_args, progress

args = parse_args(__doc__, epochs=500)
torch = load_backend(args)

dtype = torch.float
device = get_device(torch, args)

# N is batch size; D_in is input dimension;
# H is hidden dimension; D_out is output dimension.
N, D_in, H, D_out = 64, 1000, 100, 10

# Create random input and output data
x = torch.randn(N, D_in, device=device, dtype=dtype)
y = torch.randn(N, D_out, device=device, dtype=dtype)

# Randomly initialize weights
w1 = torch.randn(D_in, H, device=device, dtype=dtype)
w2 = torch.randn(H, D_out, device=device, dtype=dtype)

learning_rate = 1e-6
steps = 100 if args.smoke else args.epochs
for t in progress(range(steps), "train"):
    # Forward pass: compute predicted y
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)

    # Compute and print loss
    loss = (y_pred - y).pow(2).sum().item()
    if t % 100 == 99:
        print(t, loss)

    # Backprop to compute gradients of w1 and w2 with respect to loss
    grad_y_pred = 2.0 * (y_pred - y)            # loss = sum((y_pred - y)²)
    grad_w2 = h_relu.t().mm(grad_y_pred)        # y_pred = h_relu @ w2
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()                # h_relu = max(h, 0): the gradient passes
    grad_h[h < 0] = 0                           # where h > 0 and is cut where h < 0
    grad_w1 = x.t().mm(grad_h)                  # h = x @ w1

    # Update weights using gradient descent
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
