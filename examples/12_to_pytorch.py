"""12 - Moving to PyTorch: a checkpoint saved here is loaded by PyTorch, and the reverse.

You learn:
  1. torch.save(model.state_dict(), path) writes PyTorch's own file format (a zip archive)
  2. real PyTorch loads it with torch.load (weights_only=True) into the same model class
     written for PyTorch, and predicts the same digits
  3. the reverse: a model trained in PyTorch is evaluated here after torch.load
  4. the optimizer's state travels too, so training can go on in the other library

    python examples/12_to_pytorch.py [--backend torch] [--device cuda] [--epochs 1] [--data ...]

It needs PyTorch installed (pip install torch). Open next: tinygrad_edu/serialization/__init__.py
(the file format), then _pickler.py (how tensors are written under torch's names).
"""
import importlib
import sys

import numpy as np
from _common import get_device, load_backend, mnist_arrays, parse_args, progress

from parity.models import mnist_cnn  # the tutorial's Mnist_CNN, written once for either library

args = parse_args(__doc__, epochs=1)
torch = load_backend(args)  # the library of this run: tinygrad_edu unless --backend torch
try:
    pytorch = importlib.import_module("torch")  # real PyTorch, on the other side
except ImportError:
    sys.exit("this example needs PyTorch: pip install torch")
dev = get_device(torch, args)
epochs = 1 if args.smoke else args.epochs

((x_train, y_train), (x_valid, y_valid), _) = mnist_arrays(args)


def train(lib, model, opt, device, bs=64):
    x, y = lib.tensor(x_train), lib.tensor(y_train)
    loader = lib.utils.data.DataLoader(lib.utils.data.TensorDataset(x, y), batch_size=bs,
                                       shuffle=True)
    for epoch in range(epochs):
        for xb, yb in progress(loader, f"{lib.__name__} epoch {epoch}"):
            loss = lib.nn.functional.cross_entropy(model(xb.to(device)), yb.to(device))
            loss.backward()
            opt.step()
            opt.zero_grad()


def logits(lib, model, device) -> np.ndarray:
    model.eval()
    with lib.no_grad():
        return model(lib.tensor(x_valid).to(device)).cpu().numpy()


def compare(name_a, a, name_b, b):
    same = (a.argmax(1) == b.argmax(1)).mean()
    print(f"accuracy: {name_a} {(a.argmax(1) == y_valid).mean():.4f}, "
          f"{name_b} {(b.argmax(1) == y_valid).mean():.4f}")
    print(f"same predicted digit on {same:.2%} of the images; "
          f"largest difference of the logits: {np.abs(a - b).max():.1e}")


# ----------------------------------------------------------------------------- 1. save here
print(f"== 1. train with {torch.__name__}, save the state_dict")
model = mnist_cnn(torch).to(dev)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
train(torch, model, opt, dev)
torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, "mnist_cnn.pt")

# ----------------------------------------------------------------------------- 2. load in PyTorch
print("\n== 2. load it into the same model written for PyTorch")
checkpoint = pytorch.load("mnist_cnn.pt", map_location="cpu")  # weights_only=True: data only
twin = mnist_cnn(pytorch)
print(twin.load_state_dict(checkpoint["model"]))
compare(torch.__name__, logits(torch, model, dev), "torch", logits(pytorch, twin, "cpu"))

# ----------------------------------------------------------------------------- 3. and back
print("\n== 3. the reverse: train on in PyTorch, evaluate here")
twin.train()
twin_opt = pytorch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
twin_opt.load_state_dict(checkpoint["optimizer"])  # the momentum buffers go on where they were
train(pytorch, twin, twin_opt, "cpu")
pytorch.save(twin.state_dict(), "from_pytorch.pt")
print(model.load_state_dict(torch.load("from_pytorch.pt", map_location=dev)))
compare("torch", logits(pytorch, twin, "cpu"), torch.__name__, logits(torch, model, dev))
