"""09 - "What is torch.nn really?", part 2: a CNN on MNIST, then the last refactors.

You learn:
  1. Mnist_CNN: three nn.Conv2d layers, F.relu, F.avg_pool2d, SGD with momentum
  2. nn.Sequential with a custom `Lambda` layer (any function as a module)
  3. WrappedDataLoader: preprocessing moves out of the model; nn.AdaptiveAvgPool2d makes the
     model work for any input size
  4. the GPU: the same model and loop, with the data moved to `dev` (cuda when available)

    python examples/09_mnist_cnn.py [--backend torch] [--device cuda] [--epochs 2] [--data ...]

Open next: tinygrad_edu/nn/functional/conv.py (convolution as im2col + one matmul) and
tinygrad_edu/nn/functional/pooling.py, then 10_lenet.py.
"""
import numpy as np
from _common import get_device, load_backend, mnist_arrays, parse_args, progress

args = parse_args(__doc__, epochs=2)
torch = load_backend(args)
nn, optim, F = torch.nn, torch.optim, torch.nn.functional
TensorDataset, DataLoader = torch.utils.data.TensorDataset, torch.utils.data.DataLoader

((x_train, y_train), (x_valid, y_valid), _) = mnist_arrays(args)
x_train, y_train, x_valid, y_valid = map(
    torch.tensor, (x_train, y_train, x_valid, y_valid)
)
train_ds = TensorDataset(x_train, y_train)
valid_ds = TensorDataset(x_valid, y_valid)
loss_func = F.cross_entropy
bs = 64
epochs = 1 if args.smoke else args.epochs


# ----------------------------------------------------------------------------- from part 1
def loss_batch(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)

    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()

    return loss.item(), len(xb)


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in progress(train_dl, f"epoch {epoch}"):
            loss_batch(model, loss_func, xb, yb, opt)

        model.eval()
        with torch.no_grad():
            losses, nums = zip(
                *[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl]
            )
            # the tutorial prints the loss only; the accuracy shows what the loss means
            correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in valid_dl)
        val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)

        print(epoch, val_loss, f"accuracy {correct / np.sum(nums):.4f}")


def get_data(train_ds, valid_ds, bs):
    return (
        DataLoader(train_ds, batch_size=bs, shuffle=True),
        DataLoader(valid_ds, batch_size=bs * 2),
    )


train_dl, valid_dl = get_data(train_ds, valid_ds, bs)

# ----------------------------------------------------------------------------- 1. a CNN
print("== 1. Mnist_CNN")


class Mnist_CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

    def forward(self, xb):
        xb = xb.view(-1, 1, 28, 28)
        xb = F.relu(self.conv1(xb))
        xb = F.relu(self.conv2(xb))
        xb = F.relu(self.conv3(xb))
        xb = F.avg_pool2d(xb, 4)
        return xb.view(-1, xb.size(1))


lr = 0.1
model = Mnist_CNN()
opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
fit(epochs, model, loss_func, opt, train_dl, valid_dl)

# ----------------------------------------------------------------------------- 2. nn.Sequential
print("\n== 2. nn.Sequential + Lambda")


class Lambda(nn.Module):
    def __init__(self, func):
        super().__init__()
        self.func = func

    def forward(self, x):
        return self.func(x)


def preprocess(x):
    return x.view(-1, 1, 28, 28)


model = nn.Sequential(
    Lambda(preprocess),
    nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.AvgPool2d(4),
    Lambda(lambda x: x.view(x.size(0), -1)),
)
print(model)

opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
fit(epochs, model, loss_func, opt, train_dl, valid_dl)

# ----------------------------------------------------------------------------- 3. wrapping
print("\n== 3. WrappedDataLoader + AdaptiveAvgPool2d")


def preprocess(x, y):  # noqa: F811 - the tutorial redefines it for the data loader
    return x.view(-1, 1, 28, 28), y


class WrappedDataLoader:
    def __init__(self, dl, func):
        self.dl = dl
        self.func = func

    def __len__(self):
        return len(self.dl)

    def __iter__(self):
        for b in self.dl:
            yield (self.func(*b))


train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
train_dl = WrappedDataLoader(train_dl, preprocess)
valid_dl = WrappedDataLoader(valid_dl, preprocess)

model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    Lambda(lambda x: x.view(x.size(0), -1)),
)

opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
fit(epochs, model, loss_func, opt, train_dl, valid_dl)

# ----------------------------------------------------------------------------- 4. the GPU
print("\n== 4. using your GPU")
dev = get_device(torch, args)  # the tutorial: cuda if torch.cuda.is_available(), else cpu
print(dev)


def preprocess(x, y):  # noqa: F811
    return x.view(-1, 1, 28, 28).to(dev), y.to(dev)


train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
train_dl = WrappedDataLoader(train_dl, preprocess)
valid_dl = WrappedDataLoader(valid_dl, preprocess)

model.to(dev)
opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
fit(epochs, model, loss_func, opt, train_dl, valid_dl)
