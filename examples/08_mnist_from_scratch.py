"""08 - "What is torch.nn really?", part 1: logistic regression on MNIST, refactored step by step.

You learn what each piece of torch.nn does for you, by first writing it by hand:
  1. from scratch: weights as tensors, log_softmax and the negative log-likelihood by hand
  2. F.cross_entropy           (log_softmax + nll in one fused, stable op)
  3. nn.Module, nn.Parameter   (the model holds its parameters; model.parameters())
  4. nn.Linear                 (the layer holds weight and bias, initialised for you)
  5. optim.SGD                 (opt.step(); opt.zero_grad())
  6. TensorDataset             (x and y indexed together)
  7. DataLoader                (batches, shuffling)
  8. validation                (model.train() / model.eval(), torch.no_grad())
  9. fit() and get_data()      (the training loop as reusable functions)

    python examples/08_mnist_from_scratch.py [--backend torch] [--epochs 2] [--data mnist.pkl.gz]

Open next: tinygrad_edu/nn/functional/loss_classification.py (the fused cross-entropy),
tinygrad_edu/utils/data/, then 09_mnist_cnn.py.
"""
import math

import numpy as np
from _common import ascii_digit, get_device, load_backend, mnist_arrays, parse_args, progress

args = parse_args(__doc__, epochs=2)
torch = load_backend(args)
dev = get_device(torch, args)
nn, optim, F = torch.nn, torch.optim, torch.nn.functional
TensorDataset, DataLoader = torch.utils.data.TensorDataset, torch.utils.data.DataLoader

# ----------------------------------------------------------------------------- the data
# The tutorial downloads mnist.pkl.gz and unpickles it; tinygrad_edu.datasets.load_mnist_pkl
# reads the same file safely (or the embedded sample of the same shape when there is none).
((x_train, y_train), (x_valid, y_valid), _) = mnist_arrays(args)
print(ascii_digit(x_train[0]))  # the tutorial shows it with pyplot.imshow
print(x_train.shape)

x_train, y_train, x_valid, y_valid = map(
    torch.tensor, (x_train, y_train, x_valid, y_valid)
)
x_train, y_train, x_valid, y_valid = (t.to(dev) for t in (x_train, y_train, x_valid, y_valid))
n, c = x_train.shape
print(x_train, y_train)
print(x_train.shape)
print(y_train.min(), y_train.max())

# ----------------------------------------------------------------------------- 1. from scratch
print("\n== 1. from scratch")
weights = torch.randn(784, 10, device=dev) / math.sqrt(784)  # Xavier initialisation
weights.requires_grad_()                                       # after the division: a leaf
bias = torch.zeros(10, requires_grad=True, device=dev)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


bs = 64  # batch size
xb = x_train[0:bs]  # a mini-batch from x
preds = model(xb)  # predictions
print(preds[0], preds.shape)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


loss_func = nll
yb = y_train[0:bs]
print(loss_func(preds, yb))


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


print(accuracy(preds, yb))

lr = 0.5  # learning rate
epochs = 1 if args.smoke else args.epochs  # how many epochs to train for

for epoch in range(epochs):
    for i in progress(range((n - 1) // bs + 1), f"epoch {epoch}"):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()

print(loss_func(model(xb), yb), accuracy(model(xb), yb))

# ----------------------------------------------------------------------------- 2. F.cross_entropy
print("\n== 2. F.cross_entropy")
loss_func = F.cross_entropy


def model(xb):  # noqa: F811 - each step of the tutorial redefines the model
    return xb @ weights + bias


print(loss_func(model(xb), yb), accuracy(model(xb), yb))

# ----------------------------------------------------------------------------- 3. nn.Module
print("\n== 3. nn.Module")


class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.randn(784, 10) / math.sqrt(784))
        self.bias = nn.Parameter(torch.zeros(10))

    def forward(self, xb):
        return xb @ self.weights + self.bias


model = Mnist_Logistic().to(dev)
print(loss_func(model(xb), yb))


def fit():
    for epoch in range(epochs):
        for i in progress(range((n - 1) // bs + 1), f"epoch {epoch}"):
            start_i = i * bs
            end_i = start_i + bs
            xb = x_train[start_i:end_i]
            yb = y_train[start_i:end_i]
            pred = model(xb)
            loss = loss_func(pred, yb)

            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= p.grad * lr
                model.zero_grad()


fit()
print(loss_func(model(xb), yb))

# ----------------------------------------------------------------------------- 4. nn.Linear
print("\n== 4. nn.Linear")


class Mnist_Logistic(nn.Module):  # noqa: F811
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(784, 10)

    def forward(self, xb):
        return self.lin(xb)


model = Mnist_Logistic().to(dev)
print(loss_func(model(xb), yb))
fit()
print(loss_func(model(xb), yb))

# ----------------------------------------------------------------------------- 5. optim
print("\n== 5. optim")


def get_model():
    model = Mnist_Logistic().to(dev)
    return model, optim.SGD(model.parameters(), lr=lr)


model, opt = get_model()
print(loss_func(model(xb), yb))

for epoch in range(epochs):
    for i in progress(range((n - 1) // bs + 1), f"epoch {epoch}"):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        opt.step()
        opt.zero_grad()

print(loss_func(model(xb), yb))

# ----------------------------------------------------------------------------- 6. TensorDataset
print("\n== 6. TensorDataset")
train_ds = TensorDataset(x_train, y_train)
model, opt = get_model()

for epoch in range(epochs):
    for i in progress(range((n - 1) // bs + 1), f"epoch {epoch}"):
        xb, yb = train_ds[i * bs: i * bs + bs]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        opt.step()
        opt.zero_grad()

print(loss_func(model(xb), yb))

# ----------------------------------------------------------------------------- 7. DataLoader
print("\n== 7. DataLoader")
train_ds = TensorDataset(x_train, y_train)
train_dl = DataLoader(train_ds, batch_size=bs)
model, opt = get_model()

for epoch in range(epochs):
    for xb, yb in progress(train_dl, f"epoch {epoch}"):
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        opt.step()
        opt.zero_grad()

print(loss_func(model(xb), yb))

# ----------------------------------------------------------------------------- 8. validation
print("\n== 8. validation")
train_ds = TensorDataset(x_train, y_train)
train_dl = DataLoader(train_ds, batch_size=bs, shuffle=True)

valid_ds = TensorDataset(x_valid, y_valid)
valid_dl = DataLoader(valid_ds, batch_size=bs * 2)

model, opt = get_model()
for epoch in range(epochs):
    model.train()
    for xb, yb in progress(train_dl, f"epoch {epoch}"):
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        opt.step()
        opt.zero_grad()

    model.eval()
    with torch.no_grad():
        valid_loss = sum(loss_func(model(xb), yb) for xb, yb in valid_dl)

    print(epoch, valid_loss / len(valid_dl))

# ----------------------------------------------------------------------------- 9. fit, get_data
print("\n== 9. fit() and get_data()")


def loss_batch(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)

    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()

    return loss.item(), len(xb)


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):  # noqa: F811
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
model, opt = get_model()
fit(epochs, model, loss_func, opt, train_dl, valid_dl)
