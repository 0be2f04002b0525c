"""10 - The blitz's "Neural Networks" page: LeNet (`Net`), its graph, and three ways to update.

You learn: define `Net` (conv, max-pool, linear); `print(net)`; `net.parameters()`; a backward
from a random gradient; a loss, and a walk back along `loss.grad_fn.next_functions`; the update
rule written by hand (`f.data.sub_(f.grad.data * learning_rate)`), then `optim.SGD`; finally a
few epochs of training on MNIST padded to 32 x 32 with `optim.SGD(momentum=0.9)`.

    python examples/10_lenet.py [--backend torch] [--device cuda] [--epochs 1] [--data ...]

Open next: tinygrad_edu/nn/modules/conv.py, tinygrad_edu/nn/functional/pooling.py, then
11_classifier.py.
"""
from _common import get_device, load_backend, parse_args, progress, vision

args = parse_args(__doc__, epochs=1)
torch = load_backend(args)
nn, F, optim = torch.nn, torch.nn.functional, torch.optim
device = get_device(torch, args)


class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()  # noqa: UP008 - the tutorial's spelling
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        # Max pooling over a (2, 2) window
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        # If the size is a square, you can specify with a single number
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)  # flatten all dimensions except the batch dimension
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


net = Net()
print(net)

params = list(net.parameters())
print(len(params))
print(params[0].size())  # conv1's .weight

input = torch.randn(1, 1, 32, 32)
out = net(input)
print(out)

# Zero the gradient buffers of all parameters and backprops with random gradients:
net.zero_grad()
out.backward(torch.randn(1, 10))

# ----------------------------------------------------------------------------- loss function
output = net(input)
target = torch.randn(10)  # a dummy target, for example
target = target.view(1, -1)  # make it the same shape as output
criterion = nn.MSELoss()

loss = criterion(output, target)
print(loss)

# Following loss in the backward direction, using its .grad_fn attribute, we see the graph:
#   input -> conv2d -> relu -> maxpool2d -> conv2d -> relu -> maxpool2d
#         -> flatten -> linear -> relu -> linear -> relu -> linear
#         -> MSELoss
#         -> loss
print(loss.grad_fn)  # MSELoss
print(loss.grad_fn.next_functions[0][0])  # Linear
print(loss.grad_fn.next_functions[0][0].next_functions[0][0])  # ReLU

# ----------------------------------------------------------------------------- backprop
net.zero_grad()     # zeroes the gradient buffers of all parameters

print('conv1.bias.grad before backward')
print(net.conv1.bias.grad)

loss.backward()

print('conv1.bias.grad after backward')
print(net.conv1.bias.grad)

# ----------------------------------------------------------------------------- update the weights
# The simplest update rule, stochastic gradient descent: weight = weight - learning_rate * gradient
learning_rate = 0.01
for f in net.parameters():
    f.data.sub_(f.grad.data * learning_rate)

# The same with the optim package:
optimizer = optim.SGD(net.parameters(), lr=0.01)

# in your training loop:
optimizer.zero_grad()   # zero the gradient buffers
output = net(input)
loss = criterion(output, target)
loss.backward()
optimizer.step()    # Does the update
print("loss before and after one SGD step:", loss.item(), criterion(net(input), target).item())

# ----------------------------------------------------------------------------- training on MNIST
# Net expects 32 x 32 images: MNIST's 28 x 28 digits padded by 2 pixels, as LeNet-5 had them.
datasets, transforms = vision(torch, args)
transform = transforms.Compose(
    [transforms.Pad(2),
     transforms.ToTensor(),
     transforms.Normalize((0.1307,), (0.3081,))])
trainset = datasets.MNIST(train=True, transform=transform)
testset = datasets.MNIST(train=False, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=64, shuffle=True)
testloader = torch.utils.data.DataLoader(testset, batch_size=256)

net = Net().to(device)
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(1 if args.smoke else args.epochs):
    running_loss = 0.0
    for inputs, labels in progress(trainloader, f"epoch {epoch + 1}"):
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"epoch {epoch + 1} loss: {running_loss / len(trainloader):.3f}")

correct = total = 0
with torch.no_grad():
    for images, labels in testloader:
        predicted = net(images.to(device)).argmax(1)
        total += labels.size(0)
        correct += (predicted == labels.to(device)).sum().item()
print(f"Accuracy of the network on the {total} test images: {100 * correct // total} %")
