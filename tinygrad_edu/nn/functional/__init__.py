"""torch.nn.functional: the functions behind the layers, with torch's names and signatures.

    import tinygrad_edu.nn.functional as F
    loss = F.cross_entropy(F.linear(x, w, b), labels)

Each topic module holds its functions (torch's arguments, checks and error messages) and the
fused kernels they call (Primitive subclasses: forward on arrays, backward beside it):

linear               linear                         Linear, LinearNoBias
conv                 conv1d, conv2d                 Convolution (im2col)
pooling              max/avg_pool1d, max/avg_pool2d MaxPool2d, AvgPool2d
adaptive_pooling     adaptive_avg/max_pool2d        AdaptiveAvgPool2d, AdaptiveMaxPool2d
activation           relu & co., softmax            LeakyRelu, Hardtanh, Elu, Softplus, Silu, Gelu
dropouts             dropout, dropout1d, dropout2d  (a multiplication) and the mask hook
normalization        batch_norm, layer_norm         BatchNorm, LayerNorm
sparse               embedding, one_hot, pad        Embedding, ConstantPad, ReflectionPad, ...
loss                 mse, l1, smooth_l1, huber      MseLoss, SmoothL1Loss, HuberLoss
loss_classification  nll_loss, cross_entropy        NllLoss, CrossEntropy, ...
loss_binary          binary_cross_entropy(...)      BinaryCrossEntropy(WithLogits)
recurrent            (nn.RNN, nn.LSTM, nn.GRU)      Recurrence (the time loop of a layer)
attention            scaled_dot_product_attention   (composed: matmul, softmax, masked_fill)
multi_head_attention multi_head_attention_forward   (composed: nn.MultiheadAttention's math)

This file only gathers the public names. `F.linear` and `F.dropout` are the functions (the
modules are linear.py and dropouts.py).
"""
from __future__ import annotations

from .activation import (
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
from .adaptive_pooling import adaptive_avg_pool2d, adaptive_max_pool2d
from .attention import scaled_dot_product_attention
from .conv import conv1d, conv2d
from .dropouts import dropout, dropout1d, dropout2d
from .linear import linear
from .loss import huber_loss, l1_loss, mse_loss, smooth_l1_loss
from .loss_binary import binary_cross_entropy, binary_cross_entropy_with_logits
from .loss_classification import cross_entropy, nll_loss
from .multi_head_attention import multi_head_attention_forward
from .normalization import batch_norm, layer_norm
from .pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .sparse import embedding, one_hot, pad

__all__ = [
    "adaptive_avg_pool2d", "adaptive_max_pool2d", "avg_pool1d", "avg_pool2d", "batch_norm",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "conv1d",
    "conv2d", "cross_entropy", "dropout", "dropout1d", "dropout2d", "elu", "elu_", "embedding",
    "gelu", "hardtanh", "hardtanh_", "huber_loss", "l1_loss", "layer_norm", "leaky_relu",
    "leaky_relu_", "linear", "log_softmax", "max_pool1d", "max_pool2d", "mse_loss",
    "multi_head_attention_forward", "nll_loss",
    "one_hot", "pad", "relu", "relu6", "relu_", "scaled_dot_product_attention", "sigmoid", "silu",
    "smooth_l1_loss", "softmax", "softplus", "tanh",
]

# convolutions, pooling, resizing and normalization beyond the basic layers
from . import conv_nd, folding, interpolation, norms_more, pooling_more, unpooling  # noqa: E402, I001
from .conv_nd import *  # noqa: E402, F403 - the names in its __all__
from .folding import *  # noqa: E402, F403 - the names in its __all__
from .interpolation import *  # noqa: E402, F403 - the names in its __all__
from .norms_more import *  # noqa: E402, F403 - the names in its __all__
from .pooling_more import *  # noqa: E402, F403 - the names in its __all__
from .unpooling import *  # noqa: E402, F403 - the names in its __all__

__all__ += (conv_nd.__all__ + folding.__all__ + interpolation.__all__ + norms_more.__all__
            + pooling_more.__all__ + unpooling.__all__)

# more activations, losses, distances, embedding_bag, bilinear and alpha dropout
from .activation_more import *  # noqa: E402, F403, I001 - the names in its __all__
from .activation_more import __all__ as _activation_more  # noqa: E402, I001
from .bilinear import *  # noqa: E402, F403, I001 - the names in its __all__
from .bilinear import __all__ as _bilinear  # noqa: E402, I001
from .distance import *  # noqa: E402, F403, I001 - the names in its __all__
from .distance import __all__ as _distance  # noqa: E402, I001
from .dropout_alpha import *  # noqa: E402, F403, I001 - the names in its __all__
from .dropout_alpha import __all__ as _dropout_alpha  # noqa: E402, I001
from .embedding_bag import *  # noqa: E402, F403, I001 - the names in its __all__
from .embedding_bag import __all__ as _embedding_bag  # noqa: E402, I001
from .loss_ctc import *  # noqa: E402, F403, I001 - the names in its __all__
from .loss_ctc import __all__ as _loss_ctc  # noqa: E402, I001
from .loss_margin import *  # noqa: E402, F403, I001 - the names in its __all__
from .loss_margin import __all__ as _loss_margin  # noqa: E402, I001
from .loss_more import *  # noqa: E402, F403, I001 - the names in its __all__
from .loss_more import __all__ as _loss_more  # noqa: E402, I001

__all__ += (_activation_more + _bilinear + _distance + _dropout_alpha + _embedding_bag + _loss_ctc
            + _loss_margin + _loss_more)
