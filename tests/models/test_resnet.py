"""models.resnet against torchvision's ResNet, rebuilt here in torch.nn from torchvision's source
(torchvision is not installed): the same state_dict keys and shapes, the same outputs and
gradients in float64 once torch's weights are copied in, torchvision's initialisation."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

import tinygrad_edu
from tinygrad_edu import models

# ----------------------------------------------------------------------------- torchvision's ResNet

def conv3x3(inplanes, planes, stride=1, groups=1, dilation=1):
    return nn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=dilation,
                     groups=groups, bias=False, dilation=dilation)


def conv1x1(inplanes, planes, stride=1):
    return nn.Conv2d(inplanes, planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64,
                 dilation=1):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64,
                 dilation=1):
        super().__init__()
        width = int(planes * (base_width / 64.0)) * groups
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, planes * 4)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn3(self.conv3(self.relu(self.bn2(self.conv2(out)))))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet(nn.Module):
    def __init__(self, block, layers, num_classes=1000):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def same_state_dict_layout(ours, theirs) -> None:
    mine = [(key, tuple(value.shape)) for key, value in ours.state_dict().items()]
    expected = [(key, tuple(value.shape)) for key, value in theirs.state_dict().items()]
    assert mine == expected


# ----------------------------------------------------------------------------- the tests

@pytest.fixture(scope="module")
def resnet18_pair():
    """torchvision's resnet18 rebuilt in torch (seeded), and ours: built once for the file."""
    torch.manual_seed(0)
    return ResNet(BasicBlock, [2, 2, 2, 2]), models.resnet18()


def test_resnet18_keys_shapes_and_size_are_torchvisions(resnet18_pair):
    theirs, ours = resnet18_pair
    same_state_dict_layout(ours, theirs)
    # torchvision's model card: 11,689,512 parameters
    assert sum(p.numel() for p in ours.parameters()) == 11_689_512
    assert tuple(models.resnet18(num_classes=10).fc.weight.shape) == (10, 512)


@pytest.mark.slow
@pytest.mark.parametrize("name,block,layers,count", [
    ("resnet34", BasicBlock, [3, 4, 6, 3], 21_797_672),
    ("resnet50", Bottleneck, [3, 4, 6, 3], 25_557_032)])
def test_deeper_resnets_keys_shapes_and_sizes_are_torchvisions(name, block, layers, count):
    ours = getattr(models, name)()
    same_state_dict_layout(ours, ResNet(block, layers))
    assert sum(p.numel() for p in ours.parameters()) == count


def close_to_scale(mine, expected, name="") -> None:
    """Equal up to 1e-8 of the largest magnitude: batch norm over 2 values (the last stages see
    1 x 1 images) is badly conditioned and amplifies rounding, in torch as here."""
    np.testing.assert_allclose(mine, expected, rtol=0, atol=1e-8 * np.abs(expected).max(),
                               err_msg=name)


def copied(theirs, ours):
    ours.load_state_dict({key: tinygrad_edu.tensor(value.detach().numpy())
                          for key, value in theirs.state_dict().items()})
    return ours


@pytest.mark.parametrize("block", ["resnet18", "bottleneck"])
def test_forward_and_backward_equal_torch_in_float64(block, resnet18_pair):
    if block == "resnet18":
        theirs, ours = resnet18_pair
    else:  # the Bottleneck stages of resnet50, one block each
        torch.manual_seed(0)
        theirs, ours = (ResNet(Bottleneck, [1, 1, 1, 1]),
                        models.ResNet(models.Bottleneck, [1, 1, 1, 1]))
    theirs = theirs.double()
    ours = copied(theirs, ours.double())
    image = np.random.default_rng(0).standard_normal((2, 3, 16, 16))
    x_theirs = torch.tensor(image, requires_grad=True)
    x_ours = tinygrad_edu.tensor(image, requires_grad=True)
    out_theirs, out_ours = theirs(x_theirs), ours(x_ours)  # training mode: batch statistics
    close_to_scale(out_ours.detach().numpy(), out_theirs.detach().numpy())
    out_theirs.pow(2).sum().backward()
    out_ours.pow(2).sum().backward()
    close_to_scale(x_ours.grad.numpy(), x_theirs.grad.numpy())
    their_grads = dict(theirs.named_parameters())
    for name, parameter in ours.named_parameters():
        close_to_scale(parameter.grad.numpy(), their_grads[name].grad.numpy(), name)
    for name, buffer in ours.named_buffers():  # running statistics updated the same way
        close_to_scale(buffer.numpy().astype(float),
                       dict(theirs.named_buffers())[name].numpy().astype(float), name)
    theirs.eval()
    ours.eval()
    with torch.no_grad(), tinygrad_edu.no_grad():  # evaluation: the running statistics
        close_to_scale(ours(tinygrad_edu.tensor(image)).numpy(),
                       theirs(torch.tensor(image)).numpy())


def test_initialisation_is_torchvisions(resnet18_pair):
    model = models.resnet18(zero_init_residual=True)
    weight = model.layer4[1].conv2.weight.detach().numpy()  # 512 x 512 x 3 x 3
    fan_out = 512 * 9
    assert abs(weight.std() / math.sqrt(2.0 / fan_out) - 1) < 0.01  # kaiming_normal_, fan_out
    assert abs(weight.mean()) < 1e-3
    assert np.all(model.bn1.weight.detach().numpy() == 1)
    assert np.all(model.bn1.bias.detach().numpy() == 0)
    assert np.all(model.layer1[0].bn2.weight.detach().numpy() == 0)  # zero_init_residual
    assert np.all(resnet18_pair[1].layer1[0].bn2.weight.detach().numpy() == 1)
    bound = 1 / math.sqrt(512)  # the Linear layer keeps torch's default U(-1/√in, 1/√in)
    assert np.abs(model.fc.weight.detach().numpy()).max() <= bound
    assert np.abs(model.fc.weight.detach().numpy()).max() > 0.9 * bound


@pytest.mark.parametrize("kwargs", [{"weights": "DEFAULT"}, {"weights": "IMAGENET1K_V1"},
                                    {"weights": models.ResNet18_Weights.DEFAULT},
                                    {"pretrained": True}])
def test_pretrained_weights_are_refused_clearly(kwargs):
    with pytest.warns(UserWarning) if "pretrained" in kwargs else _nothing():
        with pytest.raises(RuntimeError, match="pretrained weights are not available"):
            models.resnet18(**kwargs)
    for name in ("resnet34", "resnet50", "resnet101", "resnet152"):
        with pytest.raises(RuntimeError, match=f"{name}\\(weights=IMAGENET1K_V1\\): pretrained"):
            getattr(models, name)(weights="IMAGENET1K_V1")


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_legacy_pretrained_false_and_block_checks():
    with pytest.warns(UserWarning, match="The parameter 'pretrained' is deprecated since 0.13"):
        model = models.resnet18(pretrained=False, num_classes=3)
    assert tuple(model.fc.weight.shape) == (3, 512)
    assert models.ResNet50_Weights.DEFAULT is models.ResNet50_Weights.IMAGENET1K_V2
    with pytest.raises(ValueError, match="BasicBlock only supports groups=1 and base_width=64"):
        models.BasicBlock(64, 64, groups=2)
    with pytest.raises(NotImplementedError, match="Dilation > 1 not supported in BasicBlock"):
        models.BasicBlock(64, 64, dilation=2)
    with pytest.raises(ValueError, match="replace_stride_with_dilation should be None or a "
                                         "3-element tuple"):
        models.ResNet(models.Bottleneck, [1, 1, 1, 1], replace_stride_with_dilation=[True])
