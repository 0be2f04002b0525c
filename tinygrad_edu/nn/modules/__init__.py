"""The layers of torch.nn, one topic per file."""
from .activation import (
    ELU,
    GELU,
    Hardtanh,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from .attention import MultiheadAttention
from .container import ModuleList, ParameterList, Sequential
from .container_dict import ModuleDict, ParameterDict
from .conv import Conv1d, Conv2d
from .dropout import Dropout, Dropout2d
from .flatten import Flatten, Unflatten
from .linear import Identity, Linear
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from .pooling import (
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
)
from .rnn import GRU, LSTM, RNN, RNNBase
from .rnn_cell import GRUCell, LSTMCell, RNNCell, RNNCellBase
from .sparse import Embedding
from .transformer import (
    Transformer,
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)

__all__ = [
    "ELU",
    "GELU",
    "Hardtanh",
    "LeakyReLU",
    "LogSoftmax",
    "ReLU",
    "ReLU6",
    "Sigmoid",
    "SiLU",
    "Softmax",
    "Softplus",
    "Tanh",
    "MultiheadAttention",
    "ModuleDict",
    "ModuleList",
    "ParameterDict",
    "ParameterList",
    "Sequential",
    "Conv1d",
    "Conv2d",
    "Dropout",
    "Dropout2d",
    "Flatten",
    "Unflatten",
    "Identity",
    "Linear",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
    "BatchNorm1d",
    "BatchNorm2d",
    "LayerNorm",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "MaxPool1d",
    "MaxPool2d",
    "Embedding",
    "RNNBase",
    "RNN",
    "LSTM",
    "GRU",
    "RNNCellBase",
    "RNNCell",
    "LSTMCell",
    "GRUCell",
    "Transformer",
    "TransformerEncoder",
    "TransformerDecoder",
    "TransformerEncoderLayer",
    "TransformerDecoderLayer",
]

# convolutions, pooling, resizing, padding and normalization beyond the basic layers
from . import conv_transpose, fold, normalization_more, padding, pooling_more  # noqa: E402, I001
from .conv_transpose import *  # noqa: E402, F403 - the names in its __all__
from .fold import *  # noqa: E402, F403 - the names in its __all__
from .normalization_more import *  # noqa: E402, F403 - the names in its __all__
from .padding import *  # noqa: E402, F403 - the names in its __all__
from .pooling_more import *  # noqa: E402, F403 - the names in its __all__

__all__ += (conv_transpose.__all__ + fold.__all__ + normalization_more.__all__
            + padding.__all__ + pooling_more.__all__)

# more activations, losses, distances, dropouts, Bilinear, EmbeddingBag and the lazy layers
from .activation_more import *  # noqa: E402, F403, I001 - the names in its __all__
from .activation_more import __all__ as _activation_more  # noqa: E402, I001
from .bilinear import *  # noqa: E402, F403, I001 - the names in its __all__
from .bilinear import __all__ as _bilinear  # noqa: E402, I001
from .distance import *  # noqa: E402, F403, I001 - the names in its __all__
from .distance import __all__ as _distance  # noqa: E402, I001
from .dropout_more import *  # noqa: E402, F403, I001 - the names in its __all__
from .dropout_more import __all__ as _dropout_more  # noqa: E402, I001
from .embedding_bag import *  # noqa: E402, F403, I001 - the names in its __all__
from .embedding_bag import __all__ as _embedding_bag  # noqa: E402, I001
from .lazy import *  # noqa: E402, F403, I001 - the names in its __all__
from .lazy import __all__ as _lazy  # noqa: E402, I001
from .loss_more import *  # noqa: E402, F403, I001 - the names in its __all__
from .loss_more import __all__ as _loss_more  # noqa: E402, I001

__all__ += (_activation_more + _bilinear + _distance + _dropout_more + _embedding_bag + _lazy
            + _loss_more)
