"""05 - The nn package: the two-layer net as `nn.Sequential`, the loss as `nn.MSELoss`.

You learn: `nn.Linear` holds its weight and bias as Parameters; `nn.Sequential` chains modules;
`model.parameters()` finds every Parameter; `model.zero_grad()` clears their gradients.

    python examples/05_nn_sequential.py [--backend torch] [--device cuda] [--epochs 500]

Open next: tinygrad_edu/nn/module.py (how a Module finds its parameters) and
tinygrad_edu/nn/modules/linear.py, then 06_optim_adam.py.
"""
from _common import get_device, load_backend, parse_args, progress

args = parse_args(__doc__, epochs=500)
torch = load_backend(args)
device = get_device(torch, args)

N, D_in, H, D_out = 64, 1000, 100, 10
x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

# Use the nn package to define our model as a sequence of layers. nn.Sequential
# is a Module which contains other Modules, and applies them in sequence to
# produce its output. Each Linear Module computes output from input using a
# linear function, and holds internal Tensors for its weight and bias.
model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
).to(device)
print(model)

# The nn package also contains definitions of popular loss functions; in this
# case we will use Mean Squared Error (MSE) as our loss function.
loss_fn = torch.nn.MSELoss(reduction='sum')

learning_rate = 1e-4
steps = 100 if args.smoke else args.epochs
for t in progress(range(steps), "train"):
    # Forward pass: compute predicted y by passing x to the model.
    y_pred = model(x)

    # Compute and print loss.
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    # Zero the gradients before running the backward pass.
    model.zero_grad()

    # Backward pass: compute gradient of the loss with respect to all the learnable
    # parameters of the model.
    loss.backward()

    # Update the weights using gradient descent. Each parameter is a Tensor, so
    # we can access its gradients like we did before.
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
