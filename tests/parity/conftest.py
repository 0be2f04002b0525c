"""Set-up of the parity tests: the embedded MNIST sample as float arrays."""
from __future__ import annotations

import numpy as np
import pytest

from tinygrad_edu.datasets import mnist_sample


@pytest.fixture(scope="session")
def mnist():
    """((x_train, y_train), (x_valid, y_valid), (x_test, y_test)): the embedded 10,000 digits,
    x float32 (n, 784) in [0, 1] exactly as in the tutorial's mnist.pkl.gz."""
    return tuple((images.astype(np.float32) / np.float32(255), labels)
                 for images, labels in mnist_sample())
