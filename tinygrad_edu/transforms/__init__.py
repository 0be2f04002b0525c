"""Image transforms, named after torchvision.transforms.

    transform = transforms.Compose([
        transforms.ToTensor(),                        # uint8 (H, W) -> float32 (1, H, W) in [0, 1]
        transforms.Normalize((0.1307,), (0.3081,)),   # (x - mean) / std, per channel
    ])
    image = transform(mnist_image)

Reading order: functional.py (the operations, on PIL images, tensors and NumPy arrays) ->
transforms.py (the classes) -> _resample.py (antialiased resizing) -> _pil.py (Pillow, optional).
"""
from . import functional
from .functional import InterpolationMode
from .transforms import (
    CenterCrop,
    Compose,
    Grayscale,
    Lambda,
    Normalize,
    Pad,
    PILToTensor,
    RandomApply,
    RandomCrop,
    RandomGrayscale,
    RandomHorizontalFlip,
    RandomResizedCrop,
    RandomVerticalFlip,
    Resize,
    ToPILImage,
    ToTensor,
)

__all__ = ["CenterCrop", "Compose", "Grayscale", "InterpolationMode", "Lambda", "Normalize",
           "PILToTensor", "Pad", "RandomApply", "RandomCrop", "RandomGrayscale",
           "RandomHorizontalFlip", "RandomResizedCrop", "RandomVerticalFlip", "Resize",
           "ToPILImage", "ToTensor", "functional"]
