"""07 - Custom nn Modules: `TwoLayerNet`, a subclass of nn.Module with its own forward.

You learn: assigning an `nn.Linear` to `self.linear1` registers it (and its parameters) in the
module; `forward` may use any tensor ops; `model(x)` calls forward.

    python examples/07_custom_module.py [--backend torch] [--device cuda] [--epochs 500]

Open next: tinygrad_edu/nn/module.py (`__setattr__` routes Modules and Parameters), then
08_mnist_from_scratch.py.
"""
from _common import get_device, load_backend, parse_args, progress

args = parse_args(__doc__, epochs=500)
torch = load_backend(args)
device = get_device(torch, args)


class TwoLayerNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        """
        In the constructor we instantiate two nn.Linear modules and assign them as
        member variables.
        """
        super(TwoLayerNet, self).__init__()  # noqa: UP008 - the tutorial's spelling
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        """
        In the forward function we accept a Tensor of input data and we must return
        a Tensor of output data. We can use Modules defined in the constructor as
        well as arbitrary operators on Tensors.
        """
        h_relu = self.linear1(x).clamp(min=0)
        y_pred = self.linear2(h_relu)
        return y_pred


# N is batch size; D_in is input dimension;
# H is hidden dimension; D_out is output dimension.
N, D_in, H, D_out = 64, 1000, 100, 10

# Create random Tensors to hold inputs and outputs
x = torch.randn(N, D_in, device=device)
y = torch.randn(N, D_out, device=device)

# Construct our model by instantiating the class defined above
model = TwoLayerNet(D_in, H, D_out).to(device)
print(model)

# Construct our loss function and an Optimizer. The call to model.parameters()
# in the SGD constructor will contain the learnable parameters of the two
# nn.Linear modules which are members of the model.
criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
steps = 100 if args.smoke else args.epochs
for t in progress(range(steps), "train"):
    # Forward pass: Compute predicted y by passing x to the model
    y_pred = model(x)

    # Compute and print loss
    loss = criterion(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    # Zero gradients, perform a backward pass, and update the weights.
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
