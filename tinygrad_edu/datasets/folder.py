"""DatasetFolder and ImageFolder (torchvision.datasets): one folder per class.

    root/dog/xxx.png                    data = ImageFolder("root", transform=ToTensor())
    root/dog/xxy.jpg                    data.classes       ['cat', 'dog']
    root/cat/123.png                    data.class_to_idx  {'cat': 0, 'dog': 1}
    root/cat/nsdf3.png                  image, target = data[0]     # a PIL image, 0

Classes are the sub-folders of root, sorted by name, numbered from 0. The samples are the files
under each class folder (searched recursively, links followed) that have one of `extensions`
(ignoring case) or pass `is_valid_file`, in sorted order. A class folder with no such file is an
error unless allow_empty=True. ImageFolder opens each file with Pillow (the `vision` extra) and
gives it as an RGB PIL image, as torchvision does; DatasetFolder takes any `loader`.
"""
from __future__ import annotations

import os
from collections.abc import Callable

from ..transforms._pil import pillow
from .vision import StandardTransform, VisionDataset

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def has_file_allowed_extension(filename: str, extensions: str | tuple[str, ...]) -> bool:
    """Whether the name ends with one of the extensions, ignoring case."""
    return filename.lower().endswith(extensions if isinstance(extensions, str)
                                     else tuple(extensions))


def is_image_file(filename: str) -> bool:
    return has_file_allowed_extension(filename, IMG_EXTENSIONS)


def find_classes(directory: str | os.PathLike) -> tuple[list[str], dict[str, int]]:
    """(the class folders' names sorted, {name: index})."""
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {name: index for index, name in enumerate(classes)}


def make_dataset(directory: str | os.PathLike, class_to_idx: dict[str, int] | None = None,
                 extensions: str | tuple[str, ...] | None = None,
                 is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False) -> list[tuple[str, int]]:
    """[(path, class index)] of the valid files under each class folder of `directory`."""
    directory = os.path.expanduser(directory)
    if class_to_idx is None:
        _, class_to_idx = find_classes(directory)
    elif not class_to_idx:
        raise ValueError("'class_to_index' must have at least one entry to collect any samples.")
    if (extensions is None) == (is_valid_file is None):
        raise ValueError("Both extensions and is_valid_file cannot be None or not None at the "
                         "same time")
    if extensions is not None:
        def is_valid_file(path: str) -> bool:
            return has_file_allowed_extension(path, extensions)

    instances, found = [], set()
    for target_class in sorted(class_to_idx):
        class_index = class_to_idx[target_class]
        target_dir = os.path.join(directory, target_class)
        if not os.path.isdir(target_dir):
            continue
        for folder, _, filenames in sorted(os.walk(target_dir, followlinks=True)):
            for filename in sorted(filenames):
                path = os.path.join(folder, filename)
                if is_valid_file(path):
                    instances.append((path, class_index))
                    found.add(target_class)
    empty_classes = set(class_to_idx) - found
    if empty_classes and not allow_empty:
        message = f"Found no valid file for the classes {', '.join(sorted(empty_classes))}. "
        if extensions is not None:
            listed = extensions if isinstance(extensions, str) else ", ".join(extensions)
            message += f"Supported extensions are: {listed}"
        raise FileNotFoundError(message)
    return instances


class DatasetFolder(VisionDataset):
    """Samples in class folders, each read by `loader(path)`."""

    def __init__(self, root: str | os.PathLike, loader: Callable[[str], object],
                 extensions: tuple[str, ...] | None = None, transform: Callable | None = None,
                 target_transform: Callable | None = None,
                 is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        classes, class_to_idx = self.find_classes(self.root)
        self.samples = self.make_dataset(self.root, class_to_idx, extensions, is_valid_file,
                                         allow_empty=allow_empty)
        self.loader = loader
        self.extensions = extensions
        self.classes = classes
        self.class_to_idx = class_to_idx
        self.targets = [target for _, target in self.samples]

    @staticmethod
    def make_dataset(directory, class_to_idx, extensions=None, is_valid_file=None,
                     allow_empty: bool = False) -> list[tuple[str, int]]:
        if class_to_idx is None:
            raise ValueError("The class_to_idx parameter cannot be None.")
        return make_dataset(directory, class_to_idx, extensions, is_valid_file, allow_empty)

    def find_classes(self, directory) -> tuple[list[str], dict[str, int]]:
        return find_classes(directory)

    def __getitem__(self, index: int):
        path, target = self.samples[index]
        sample = self.loader(path)
        return StandardTransform.of(self)(sample, target)

    def __len__(self) -> int:
        return len(self.samples)


def pil_loader(path: str):
    """The image file at `path` as an RGB PIL image (needs Pillow)."""
    image_module = pillow()
    with open(path, "rb") as file:
        return image_module.open(file).convert("RGB")


default_loader = pil_loader


class ImageFolder(DatasetFolder):
    """Images in class folders, opened as RGB PIL images by default."""

    def __init__(self, root: str | os.PathLike, transform: Callable | None = None,
                 target_transform: Callable | None = None,
                 loader: Callable[[str], object] = default_loader,
                 is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False) -> None:
        super().__init__(root, loader, IMG_EXTENSIONS if is_valid_file is None else None,
                         transform=transform, target_transform=target_transform,
                         is_valid_file=is_valid_file, allow_empty=allow_empty)
        self.imgs = self.samples
