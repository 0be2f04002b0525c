"""04 - Defining new autograd functions: `MyReLU`, a torch.autograd.Function subclass.

You learn: an op is a class with `forward(ctx, input)` and `backward(ctx, grad_output)`.
forward computes the output and saves what backward needs (`ctx.save_for_backward`); backward
receives dLoss/dOutput and returns dLoss/dInput. Every built-in op of tinygrad_edu is written
exactly like this (see `class Relu` in tinygrad_edu/ops/elementwise.py).

    python examples/04_custom_function.py [--backend torch] [--device cuda] [--epochs 500]

Open next: tinygrad_edu/autograd/function.py (how `apply` builds the graph node; node.py), then
05_nn_sequential.py.
"""
from _common import get_device, load_backend, parse_args, progress

args = parse_args(__doc__, epochs=500)
torch = load_backend(args)


class MyReLU(torch.autograd.Function):
    """
    We can implement our own custom autograd Functions by subclassing
    torch.autograd.Function and implementing the forward and backward passes
    which operate on Tensors.
    """

    @staticmethod
    def forward(ctx, input):
        """
        In the forward pass we receive a Tensor containing the input and return
        a Tensor containing the output. ctx is a context object that can be used
        to stash information for backward computation. You can cache arbitrary
        objects for use in the backward pass using the ctx.save_for_backward method.
        """
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        """
        In the backward pass we receive a Tensor containing the gradient of the loss
        with respect to the output, and we need to compute the gradient of the loss
        with respect to the input.
        """
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


dtype = torch.float
device = get_device(torch, args)

N, D_in, H, D_out = 64, 1000, 100, 10
x = torch.randn(N, D_in, device=device, dtype=dtype)
y = torch.randn(N, D_out, device=device, dtype=dtype)
w1 = torch.randn(D_in, H, device=device, dtype=dtype, requires_grad=True)
w2 = torch.randn(H, D_out, device=device, dtype=dtype, requires_grad=True)

learning_rate = 1e-6
steps = 100 if args.smoke else args.epochs
for t in progress(range(steps), "train"):
    # To apply our Function, we use Function.apply method. We alias this as 'relu'.
    relu = MyReLU.apply

    # Forward pass: compute predicted y using operations; we compute
    # ReLU using our custom autograd operation.
    y_pred = relu(x.mm(w1)).mm(w2)
    if t == 0:
        print(y_pred.grad_fn.next_functions[0][0])  # the node MyReLU.apply left in the graph

    # Compute and print loss
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())

    # Use autograd to compute the backward pass.
    loss.backward()

    # Update weights using gradient descent
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad

        # Manually zero the gradients after updating weights
        w1.grad.zero_()
        w2.grad.zero_()
