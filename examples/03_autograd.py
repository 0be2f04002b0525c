"""03 - Autograd: the same two-layer net, with `requires_grad` and `loss.backward()`.

You learn: a tensor created with `requires_grad=True` records every op applied to it (the
graph: `y.grad_fn`); `backward()` walks that graph and fills each leaf's `.grad`; weight updates
run under `torch.no_grad()`. Then the blitz's autograd page: `out.backward()` on a scalar,
`y.backward(v)` for a vector-Jacobian product, `no_grad`, `detach`.

    python examples/03_autograd.py [--backend torch] [--device cuda] [--epochs 500]

Open next: tinygrad_edu/autograd/engine.py (the backward pass), then 04_custom_function.py.
"""
from _common import get_device, load_backend, parse_args, progress

args = parse_args(__doc__, epochs=500)
torch = load_backend(args)

dtype = torch.float
device = get_device(torch, args)

# ----------------------------------------------------------------------------- the two-layer net
N, D_in, H, D_out = 64, 1000, 100, 10
x = torch.randn(N, D_in, device=device, dtype=dtype)
y = torch.randn(N, D_out, device=device, dtype=dtype)

# Setting requires_grad=True indicates that we want to compute gradients with
# respect to these Tensors during the backward pass.
w1 = torch.randn(D_in, H, device=device, dtype=dtype, requires_grad=True)
w2 = torch.randn(H, D_out, device=device, dtype=dtype, requires_grad=True)

learning_rate = 1e-6
steps = 100 if args.smoke else args.epochs
for t in progress(range(steps), "train"):
    # Forward pass: the same ops as before, but no intermediate values need keeping by hand.
    y_pred = x.mm(w1).clamp(min=0).mm(w2)

    # loss is a Tensor of shape () and loss.item() the number it holds
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())

    # Compute the gradient of loss with respect to all Tensors with requires_grad=True:
    # afterwards w1.grad and w2.grad hold them.
    loss.backward()

    # Update the weights by hand. No need to track this in the graph, hence no_grad.
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        # Gradients accumulate: zero them after the update.
        w1.grad.zero_()
        w2.grad.zero_()

# ----------------------------------------------------------------------------- the blitz's page
x = torch.ones(2, 2, requires_grad=True)
print(x)
y = x + 2
print(y)
print(y.grad_fn)            # y was created by an operation, so it has a grad_fn
z = y * y * 3
out = z.mean()
print(z, out)

a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)      # changes an existing tensor's flag in place
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)

out.backward()              # out is a scalar: the same as out.backward(torch.tensor(1.))
print(x.grad)               # d(out)/dx = 3 (x + 2) / 2 = 4.5

# A vector-valued y has a Jacobian; backward(v) computes the vector-Jacobian product vᵀ·J.
x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)

# The same from the newer page: Q = 3a³ - b², external_grad = dQ/dQ
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a**2 == a.grad)
print(-2 * b == b.grad)

# Stop autograd from tracking: a no_grad block, or detach() for a copy without history.
print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)

print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())
