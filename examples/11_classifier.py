"""11 - The blitz's "Training a Classifier", on Fashion-MNIST (or MNIST when it is missing).

You learn the whole recipe: load and normalise a dataset with transforms, define a CNN, train it
with a loss and an optimizer while printing the running loss, save and reload the weights
(`state_dict`), then measure the accuracy on the test set, overall and per class.

The tutorial uses CIFAR-10 (3 x 32 x 32 colour images); here the images are 1 x 28 x 28, padded
to 32 x 32, so `Net` keeps its layer sizes and only its first conv takes 1 channel. Fashion-MNIST
comes from the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).

    python examples/11_classifier.py [--backend torch] [--device cuda] [--epochs 2] [--plot f.png]

Open next: tinygrad_edu/datasets/mnist.py, tinygrad_edu/utils/data/dataloader.py,
tinygrad_edu/serialization.py (save/load) and tinygrad_edu/viz/plot.py (the curves).
"""
from _common import get_device, load_backend, parse_args, progress, vision

args = parse_args(__doc__, epochs=2, plot=True)
torch = load_backend(args)
nn, F, optim = torch.nn, torch.nn.functional, torch.optim
device = get_device(torch, args)
datasets, transforms = vision(torch, args)

# ----------------------------------------------------------------------------- 1. the data
transform = transforms.Compose(
    [transforms.Pad(2),
     transforms.ToTensor(),
     transforms.Normalize((0.5,), (0.5,))])

batch_size = 4
try:
    trainset = datasets.FashionMNIST(train=True, transform=transform)
    testset = datasets.FashionMNIST(train=False, transform=transform)
except RuntimeError as error:  # not installed: MNIST (found, or the embedded sample) instead
    print(f"Fashion-MNIST not found ({error}); using MNIST")
    trainset = datasets.MNIST(train=True, transform=transform)
    testset = datasets.MNIST(train=False, transform=transform)
print(f"{len(trainset)} training and {len(testset)} test images")

trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size,
                                          shuffle=True, num_workers=2)
testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size,
                                         shuffle=False, num_workers=2)
classes = tuple(trainset.classes)


# ----------------------------------------------------------------------------- 2. the network
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


net = Net()
net.to(device)

# ----------------------------------------------------------------------------- 3. loss, optimizer
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

# ----------------------------------------------------------------------------- 4. training
print_every = 4 if args.smoke else 2000
history = {"running loss": []}
for epoch in range(1 if args.smoke else args.epochs):  # loop over the dataset multiple times

    running_loss = 0.0
    for i, data in enumerate(progress(trainloader, f"epoch {epoch + 1}"), 0):
        # get the inputs; data is a list of [inputs, labels]
        inputs, labels = data[0].to(device), data[1].to(device)

        # zero the parameter gradients
        optimizer.zero_grad()

        # forward + backward + optimize
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()

        # print statistics
        running_loss += loss.item()
        if i % print_every == print_every - 1:    # print every 2000 mini-batches
            print(f'[{epoch + 1}, {i + 1:5d}] loss: {running_loss / print_every:.3f}')
            history["running loss"].append(running_loss / print_every)
            running_loss = 0.0

print('Finished Training')

PATH = './fashion_net.pt'  # the tutorial: './cifar_net.pth'
torch.save(net.state_dict(), PATH)

# ----------------------------------------------------------------------------- 5. testing
dataiter = iter(testloader)
images, labels = next(dataiter)
print('GroundTruth: ', ' '.join(f'{classes[labels[j]]:5s}' for j in range(4)))

net = Net()
net.load_state_dict(torch.load(PATH, weights_only=True))
net.to(device)

outputs = net(images.to(device))
_, predicted = torch.max(outputs, 1)
print('Predicted: ', ' '.join(f'{classes[predicted[j]]:5s}' for j in range(4)))

correct = 0
total = 0
# since we're not training, we don't need to calculate the gradients for our outputs
with torch.no_grad():
    for data in testloader:
        images, labels = data[0].to(device), data[1].to(device)
        # calculate outputs by running images through the network
        outputs = net(images)
        # the class with the highest energy is what we choose as prediction
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()

print(f'Accuracy of the network on the {total} test images: {100 * correct // total} %')

# prepare to count predictions for each class
correct_pred = {classname: 0 for classname in classes}
total_pred = {classname: 0 for classname in classes}

# again no gradients needed
with torch.no_grad():
    for data in testloader:
        images, labels = data[0].to(device), data[1].to(device)
        outputs = net(images)
        _, predictions = torch.max(outputs, 1)
        # collect the correct predictions for each class
        for label, prediction in zip(labels, predictions):
            if label == prediction:
                correct_pred[classes[label]] += 1
            total_pred[classes[label]] += 1

# print accuracy for each class
for classname, correct_count in correct_pred.items():
    if total_pred[classname]:
        accuracy = 100 * float(correct_count) / total_pred[classname]
        print(f'Accuracy for class: {classname:5s} is {accuracy:.1f} %')

if args.plot:
    from tinygrad_edu import viz
    viz.plot_history(history, args.plot, xlabel=f"every {print_every} mini-batches",
                     title=f"test accuracy {100 * correct / total:.1f} %")
    print(f"curves saved to {args.plot}")
