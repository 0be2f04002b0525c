"""VisionDataset (torchvision.datasets.VisionDataset): the base of the image datasets.

It keeps `root`, `transform` and `target_transform` (or one joint `transforms`), and prints as
torchvision's datasets print:

    Dataset CIFAR10
        Number of datapoints: 50000
        Root location: data
        Split: Train
"""
from __future__ import annotations

import os
from collections.abc import Callable

from ..utils.data import Dataset
from .mnist import _standard_transform_repr


class StandardTransform:
    """(input, target) -> (transform(input), target_transform(target)), each when given."""

    def __init__(self, transform: Callable | None = None,
                 target_transform: Callable | None = None) -> None:
        self.transform = transform
        self.target_transform = target_transform

    def __call__(self, input, target):
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    @classmethod
    def of(cls, dataset: VisionDataset) -> StandardTransform:
        """The dataset's transforms as they are now (they may be reassigned after building)."""
        return cls(dataset.transform, dataset.target_transform)

    def __repr__(self) -> str:
        return _standard_transform_repr(self.transform, self.target_transform)


class VisionDataset(Dataset):
    """A dataset of images under `root`, with optional transforms of images and targets."""

    _repr_indent = 4

    def __init__(self, root: str | os.PathLike | None = None, transforms: Callable | None = None,
                 transform: Callable | None = None,
                 target_transform: Callable | None = None) -> None:
        if isinstance(root, str):
            root = os.path.expanduser(root)
        self.root = root
        has_separate_transform = transform is not None or target_transform is not None
        if transforms is not None and has_separate_transform:
            raise ValueError("Only transforms or transform/target_transform can be passed as "
                             "argument")
        self.transform = transform
        self.target_transform = target_transform
        if has_separate_transform:
            transforms = StandardTransform(transform, target_transform)
        self.transforms = transforms

    def __getitem__(self, index: int):
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        body = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if self.transforms is not None:
            body.append(repr(self.transforms))
        indent = " " * self._repr_indent
        return "\n".join([f"Dataset {type(self).__name__}"] + [indent + line for line in body])
