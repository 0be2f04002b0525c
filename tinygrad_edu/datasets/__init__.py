"""Datasets, named after torchvision.datasets: MNIST, FashionMNIST, CIFAR10/100, FakeData,
ImageFolder/DatasetFolder, and the tutorial's pickle.

Reading order: idx.py (the file format) -> download.py (getting files safely) -> lookup.py
(where data is looked for; the embedded sample) -> mnist.py (the datasets) -> vision.py (the
base of the others) -> fake.py -> folder.py -> archive.py -> cifar.py.
"""
from .archive import download_and_extract_archive, extract_archive
from .cifar import CIFAR10, CIFAR100
from .download import download_file
from .fake import FakeData
from .folder import (
    IMG_EXTENSIONS,
    DatasetFolder,
    ImageFolder,
    default_loader,
    find_classes,
    has_file_allowed_extension,
    make_dataset,
    pil_loader,
)
from .idx import IDXError, read_idx, read_image_file, read_label_file, write_idx
from .lookup import DATA_ENV, mnist_sample
from .mnist import MNIST, FashionMNIST, load_mnist_pkl
from .vision import StandardTransform, VisionDataset

__all__ = ["CIFAR10", "CIFAR100", "DATA_ENV", "DatasetFolder", "FakeData", "FashionMNIST",
           "IDXError", "IMG_EXTENSIONS", "ImageFolder", "MNIST", "StandardTransform",
           "VisionDataset", "default_loader", "download_and_extract_archive", "download_file",
           "extract_archive", "find_classes", "has_file_allowed_extension", "load_mnist_pkl",
           "make_dataset", "mnist_sample", "pil_loader", "read_idx", "read_image_file",
           "read_label_file", "write_idx"]
