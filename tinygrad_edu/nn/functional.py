"""torch.nn.functional: the functions behind the layers, with torch's names and signatures.

    import tinygrad_edu.nn.functional as F
    loss = F.cross_entropy(F.linear(x, w, b), labels)

Each topic lives in its own module under nn/_functional (argument handling and torch's error
messages), and the differentiable math in ops/ (conv, pooling, activation, normalization,
embedding, padding, loss). This file only gathers the public names.

`dropout_mask_source` is a hook: the function dropout uses to draw its keep-masks,
(shape, p, dtype, device) -> Tensor of booleans (True = keep). Replace it, e.g. in a test, to make
dropout use a given mask (the one torch drew, for a parity check); restore it afterwards.
"""
from __future__ import annotations

from ._functional.activation import (
    elu,
    elu_,
    gelu,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    relu,
    relu6,
    relu_,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from ._functional.conv import conv1d, conv2d, linear
from ._functional.dropout import bernoulli_mask, dropout, dropout1d, dropout2d
from ._functional.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)
from ._functional.normalization import batch_norm, layer_norm
from ._functional.pooling import (
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from ._functional.sparse import embedding, one_hot, pad

dropout_mask_source = bernoulli_mask

__all__ = [
    "adaptive_avg_pool2d", "adaptive_max_pool2d", "avg_pool1d", "avg_pool2d", "batch_norm",
    "bernoulli_mask", "binary_cross_entropy", "binary_cross_entropy_with_logits", "conv1d",
    "conv2d", "cross_entropy", "dropout", "dropout1d", "dropout2d", "elu", "elu_", "embedding",
    "gelu", "hardtanh", "hardtanh_", "huber_loss", "l1_loss", "layer_norm", "leaky_relu",
    "leaky_relu_", "linear", "log_softmax", "max_pool1d", "max_pool2d", "mse_loss", "nll_loss",
    "one_hot", "pad", "relu", "relu6", "relu_", "sigmoid", "silu", "smooth_l1_loss", "softmax",
    "softplus", "tanh", "dropout_mask_source",
]
