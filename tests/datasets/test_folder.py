"""ImageFolder / DatasetFolder: torchvision's rules for classes, samples and errors."""
from __future__ import annotations

import sys

import numpy as np
import pytest
from PIL import Image

from tinygrad_edu import transforms
from tinygrad_edu.datasets import (
    IMG_EXTENSIONS,
    DatasetFolder,
    ImageFolder,
    find_classes,
    make_dataset,
    pil_loader,
)


@pytest.fixture
def tree(tmp_path):
    """root/cat/{b.png, sub/a.PNG}, root/dog/{c.jpg, notes.txt}, root/.hidden file."""
    rng = np.random.default_rng(0)
    for relative, mode in (("cat/b.png", "L"), ("cat/sub/a.PNG", "RGB"), ("dog/c.jpg", "RGB")):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        shape = (4, 5) if mode == "L" else (4, 5, 3)
        Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode).save(path)
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    (tmp_path / "readme.txt").write_text("a file beside the class folders")
    return tmp_path


def test_classes_samples_and_targets(tree):
    data = ImageFolder(str(tree))
    assert data.classes == ["cat", "dog"] and data.class_to_idx == {"cat": 0, "dog": 1}
    assert [(p.removeprefix(str(tree)), t) for p, t in data.samples] == [
        ("/cat/b.png", 0), ("/cat/sub/a.PNG", 0), ("/dog/c.jpg", 1)]
    assert data.targets == [0, 0, 1] and data.imgs is data.samples and len(data) == 3
    image, target = data[0]
    assert isinstance(image, Image.Image) and image.mode == "RGB" and target == 0
    grey = np.asarray(Image.open(tree / "cat" / "b.png"))
    assert np.array_equal(np.asarray(image)[:, :, 1], grey)  # "L" opened as RGB, as torchvision


def test_transforms_and_custom_loaders(tree):
    data = ImageFolder(tree, transform=transforms.Compose([transforms.Resize(2),
                                                           transforms.ToTensor()]),
                       target_transform=lambda t: -t)
    image, target = data[2]
    assert tuple(image.shape) == (3, 2, 2) and target == -1
    texts = DatasetFolder(tree, loader=lambda path: open(path).read(), extensions=".txt",
                          allow_empty=True)
    assert texts.samples == [(str(tree / "dog" / "notes.txt"), 1)]
    assert texts[0] == ("not an image", 1)


def test_empty_classes_missing_classes_and_argument_errors(tree):
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes cat. "
                                                "Supported extensions are: .txt"):
        DatasetFolder(tree, loader=open, extensions=(".txt",))
    kept = DatasetFolder(tree, loader=open, extensions=(".txt",), allow_empty=True)
    assert kept.classes == ["cat", "dog"] and len(kept) == 1
    chosen = ImageFolder(tree, is_valid_file=lambda path: path.endswith("c.jpg"),
                         allow_empty=True)
    assert [t for _, t in chosen.samples] == [1]
    with pytest.raises(ValueError, match="Both extensions and is_valid_file cannot be None or "
                                         "not None at the same time"):
        make_dataset(tree, extensions=IMG_EXTENSIONS, is_valid_file=bool)
    with pytest.raises(ValueError, match="'class_to_index' must have at least one entry"):
        make_dataset(tree, class_to_idx={}, extensions=".png")
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder in"):
        find_classes(tree / "cat" / "sub")
    assert make_dataset(tree, {"dog": 7, "bird": 8}, ".jpg", allow_empty=True) == [
        (str(tree / "dog" / "c.jpg"), 7)]


def test_the_loader_names_the_extra_when_pillow_is_missing(tree, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)  # `from PIL import Image` now fails
    with pytest.raises(ImportError, match=r"pip install tinygrad_edu\[vision\]"):
        pil_loader(str(tree / "dog" / "c.jpg"))
    with pytest.raises(ImportError, match="Pillow"):
        transforms.ToPILImage()(np.zeros((2, 2), np.uint8))
