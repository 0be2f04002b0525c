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

# more activations, losses, distances, dropouts, Bilinear, EmbeddingBag and the lazy layers
from .activation_more import *  # noqa: E402, F403 - the names in its __all__
from .activation_more import __all__ as _activation_more
from .bilinear import *  # noqa: E402, F403
from .bilinear import __all__ as _bilinear
from .distance import *  # noqa: E402, F403
from .distance import __all__ as _distance
from .dropout_more import *  # noqa: E402, F403
from .dropout_more import __all__ as _dropout_more
from .embedding_bag import *  # noqa: E402, F403
from .embedding_bag import __all__ as _embedding_bag
from .lazy import *  # noqa: E402, F403
from .lazy import __all__ as _lazy
from .loss_more import *  # noqa: E402, F403
from .loss_more import __all__ as _loss_more

__all__ += (_activation_more + _bilinear + _distance + _dropout_more + _embedding_bag + _lazy
            + _loss_more)
