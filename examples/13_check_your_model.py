"""13 - Check your own model against PyTorch, step by step, with parity.lockstep.

You learn:
  1. a gated layer, out = a * sigmoid(b) over the two halves of a Linear layer, whose backward
     you write yourself (an autograd.Function, as in 04_custom_function.py)
  2. parity.lockstep(build, (x, y)): the model built by both libraries from one definition,
     torch's initial weights copied into ours, the same batches, the loss, every gradient and
     every parameter compared after every step
  3. checking YOUR backward: torch differentiates the plain forward, ours runs your Function
  4. a bug in that backward: the first step, the parameter and the layer where parity breaks

    python examples/13_check_your_model.py [--backend torch] [--device cuda] [--epochs 50]

--backend picks the library of part 1; parts 2-4 always run both (PyTorch must be installed),
for --epochs training steps. In a test, one line: `parity.lockstep(build, data).assert_ok()`.
Open next: parity/api.py (what lockstep checks), then parity/runner.py (one step, compared).
"""
import importlib
import sys

from _common import get_device, load_backend, mnist_arrays, parse_args, progress

import parity

args = parse_args(__doc__, epochs=30)
torch = load_backend(args)  # the library of part 1: tinygrad_edu unless --backend torch
try:
    importlib.import_module("torch")  # parity compares with real PyTorch
except ImportError:
    sys.exit("this example needs PyTorch: pip install torch")
device = get_device(torch, args)
steps = 5 if args.smoke else args.epochs
(x_train, y_train), _, _ = mnist_arrays(args)
data = (x_train[:2000], y_train[:2000])


def gated_mlp(lib, backward="yours", bug=False):
    """The model, written once for either library `lib` (torch or tinygrad_edu).

    backward="yours": the gate is your autograd.Function; "autograd": the plain forward, which
    the library differentiates itself. bug=True plants a mistake in your backward."""
    nn = lib.nn

    class GatedProduct(lib.autograd.Function):
        """y = a * s with s = sigmoid(b);  da = dy * s,  db = dy * a * s * (1 - s)"""

        @staticmethod
        def forward(ctx, a, b):
            s = b.sigmoid()
            ctx.save_for_backward(a, s)
            return a * s

        @staticmethod
        def backward(ctx, grad_output):
            a, s = ctx.saved_tensors
            if bug:
                return grad_output * s, grad_output * a * s  # forgot sigmoid's (1 - s)
            return grad_output * s, grad_output * a * s * (1 - s)

    class GatedLinear(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.linear = nn.Linear(in_features, 2 * out_features)

        def forward(self, x):
            a, b = self.linear(x).chunk(2, dim=1)
            if backward == "autograd":
                return a * b.sigmoid()
            return GatedProduct.apply(a, b)

    class GatedMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.gated = GatedLinear(784, 64)
            self.out = nn.Linear(64, 10)

        def forward(self, x):
            return self.out(self.gated(x))

    return GatedMLP()


print(f"== 1. the gated layer trains on {torch.__name__}")
model = gated_mlp(torch).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
x, y = torch.tensor(data[0]).to(device), torch.tensor(data[1]).to(device)
for step in progress(range(steps), "train"):
    batch = slice(64 * step % 1984, 64 * step % 1984 + 64)
    loss = torch.nn.functional.cross_entropy(model(x[batch]), y[batch])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step == 0 or step == steps - 1:
        print(f"step {step} loss {loss.item():.4f}")

print("== 2. lockstep against torch: your Function in both libraries")
result = parity.lockstep(gated_mlp, data, optimizer="adam", steps=steps, device=device.type)
print(result.explain())
gradients = result.errors("gradient")
worst = max(gradients, key=gradients.get)
print(f"worst gradient error over the run: {gradients[worst]:.1e} ({worst})")


def yours_against_autograd(lib, bug=False):
    """Ours runs your backward; torch differentiates the plain forward: the truth."""
    return gated_mlp(lib, "yours" if lib.__name__ == "tinygrad_edu" else "autograd", bug)


print("== 3. your backward against torch's autograd")
result = parity.lockstep(yours_against_autograd, data, steps=steps, device=device.type,
                         name="your backward")
print(result.explain())

print("== 4. a bug in your backward")
result = parity.lockstep(lambda lib: yours_against_autograd(lib, bug=True), data, steps=steps,
                         device=device.type, name="your buggy backward")
print(result.explain())
try:
    result.assert_ok()  # what a test would do
except AssertionError as error:
    print(f"assert_ok() raised AssertionError: {str(error).splitlines()[1].strip()}")
