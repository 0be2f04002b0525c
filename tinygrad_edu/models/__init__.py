"""Models, named after torchvision.models: the ResNet family, without pretrained weights."""
from .resnet import (
    BasicBlock,
    Bottleneck,
    ResNet,
    ResNet18_Weights,
    ResNet34_Weights,
    ResNet50_Weights,
    ResNet101_Weights,
    ResNet152_Weights,
    resnet18,
    resnet34,
    resnet50,
    resnet101,
    resnet152,
)

__all__ = ["BasicBlock", "Bottleneck", "ResNet", "ResNet101_Weights", "ResNet152_Weights",
           "ResNet18_Weights", "ResNet34_Weights", "ResNet50_Weights", "resnet101", "resnet152",
           "resnet18", "resnet34", "resnet50"]
