"""Datasets, named after torchvision.datasets: MNIST, FashionMNIST, and the tutorial's pickle.

Reading order: idx.py (the file format) -> download.py (getting files safely) -> lookup.py
(where data is looked for; the embedded sample) -> mnist.py (the datasets).
"""
from .download import download_file
from .idx import IDXError, read_idx, read_image_file, read_label_file, write_idx
from .lookup import DATA_ENV, mnist_sample
from .mnist import MNIST, FashionMNIST, load_mnist_pkl

__all__ = ["DATA_ENV", "FashionMNIST", "IDXError", "MNIST", "download_file", "load_mnist_pkl",
           "mnist_sample", "read_idx", "read_image_file", "read_label_file", "write_idx"]
