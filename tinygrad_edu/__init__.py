"""tinygrad_edu: a from-scratch autograd engine with PyTorch's API, on NumPy (CPU) or CuPy (GPU).

    import tinygrad_edu as torch
    x = torch.randn(3, requires_grad=True)
    (x * x).sum().backward()
    print(x.grad)            # 2 * x

The core (backend, dtypes, tensor_base, tensor, autograd, ops) is read first: the README's
"Reading order" lists its files. The torch wing (functions, nn, optim, utils.data, datasets, ...)
is built on it; `functions.install()` below puts the torch surface on Tensor, and
`_tuning.apply()` the measured platform tuning (TINYGRAD_EDU_TUNING=0 turns it off).
"""
from __future__ import annotations

import importlib as _importlib

from . import _tuning, autograd, functions
from ._tensor_str import set_printoptions
from ._tuning import get_num_threads, set_num_threads
from .autograd import (
    enable_grad,
    inference_mode,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from .backend import Device as device
from .dtypes import bool_ as bool  # noqa: A001 - torch.bool, as torch names it
from .dtypes import (
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from .functions import promotion as _promotion
from .functions._args import broadcast_shapes
from .functions.comparison import (
    allclose,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    eq,
    equal,
    ge,
    greater,
    greater_equal,
    gt,
    isclose,
    isfinite,
    isinf,
    isnan,
    le,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    ne,
    not_equal,
)
from .functions.creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    logspace,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from .functions.einsum import *  # noqa: F403 - the names in its __all__
from .functions.formats import (
    channels_last,
    channels_last_3d,
    contiguous_format,
    layout,
    memory_format,
    preserve_format,
    strided,
)
from .functions.indexing import (
    gather,
    index_select,
    masked_select,
    nonzero,
    scatter,
    scatter_add,
    take,
)
from .functions.indexing_more import *  # noqa: F403 - the names in its __all__
from .functions.joining import *  # noqa: F403 - the names in its __all__
from .functions.legacy import *  # noqa: F403 - the names in its __all__
from .functions.linalg import addmm, bmm, dot, ger, matmul, mm, mv, outer
from .functions.math import (
    acos,
    acosh,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    copysign,
    cosh,
    deg2rad,
    digamma,
    erfc,
    erfinv,
    exp2,
    float_power,
    frac,
    hypot,
    lgamma,
    logaddexp,
    logaddexp2,
    logit,
    nan_to_num,
    polygamma,
    rad2deg,
    sgn,
    signbit,
    sinc,
    sinh,
    tan,
    xlogy,
)
from .functions.matrices import *  # noqa: F403 - linear algebra: the names in its __all__
from .functions.methods_more import *  # noqa: F403 - more methods: the names in its __all__
from .functions.pointwise import (
    abs,  # noqa: A004,
    absolute,
    add,
    addcdiv,
    addcmul,
    ceil,
    clamp,
    clamp_max,
    clamp_min,
    clip,
    cos,
    div,
    erf,
    exp,
    expm1,
    floor,
    floor_divide,
    fmod,
    lerp,
    log,
    log1p,
    log2,
    log10,
    masked_fill,
    maximum,
    minimum,
    mul,
    neg,
    pow,  # noqa: A004,
    reciprocal,
    relu,
    remainder,
    round,  # noqa: A004,
    rsqrt,
    rsub,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    sub,
    tanh,
    trunc,
    where,
)
from .functions.pointwise import div as divide
from .functions.pointwise import div as true_divide
from .functions.pointwise import mul as multiply
from .functions.pointwise import neg as negative
from .functions.pointwise import sub as subtract
from .functions.pointwise_more import *  # noqa: F403 - more methods: the names in its __all__
from .functions.products import *  # noqa: F403 - the names in its __all__
from .functions.promotion import can_cast, promote_types
from .functions.reduction import (
    all,  # noqa: A004
    amax,
    amin,
    any,  # noqa: A004
    argmax,
    argmin,
    argsort,
    count_nonzero,
    cumprod,
    cumsum,
    log_softmax,
    logsumexp,
    max,  # noqa: A004
    mean,
    min,  # noqa: A004
    norm,
    prod,
    softmax,
    sort,
    std,
    std_mean,
    sum,  # noqa: A004
    topk,
    var,
    var_mean,
)
from .functions.sampling import (
    bernoulli,
    multinomial,
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
)
from .functions.searching import *  # noqa: F403 - the names in its __all__
from .functions.shape import (
    broadcast_to,
    cat,
    chunk,
    clone,
    concat,
    concatenate,
    flatten,
    flip,
    movedim,
    narrow,
    permute,
    reshape,
    roll,
    select,
    split,
    squeeze,
    stack,
    swapaxes,
    swapdims,
    t,
    transpose,
    unbind,
    unflatten,
    unsqueeze,
)
from .functions.shape_more import *  # noqa: F403 - the names in its __all__
from .functions.sparse_coo import *  # noqa: F403 - the names in its __all__
from .functions.statistics import *  # noqa: F403 - the names in its __all__
from .functions.triangular import tril, triu
from .random import Generator, default_generator, manual_seed
from .tensor import Size, Tensor

functions.install()  # the torch surface on Tensor: methods, operators, Python protocols
_tuning.apply()      # BLAS threads, malloc thresholds, gradient and buffer reuse (see _tuning.py)

float = float32  # noqa: A001 - torch.float
double = float64
half = float16
long = int64
int = int32  # noqa: A001 - torch.int
short = int16

__version__ = "0.1.0"

_SUBMODULES = {"nn", "optim", "utils", "datasets", "transforms", "viz", "cuda", "accelerator",
                "backends", "onnx", "serialization", "special", "sparse", "linalg"}
_SERIALIZATION = ("save", "load", "save_file", "load_file")


def __getattr__(name: str):
    """Subpackages load on first use (`torch.nn`, `torch.optim`, ...), keeping import fast."""
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    if name in _SERIALIZATION:
        return getattr(_importlib.import_module(f"{__name__}.serialization"), name)
    raise AttributeError(f"module 'tinygrad_edu' has no attribute '{name}'")


def __dir__() -> list[str]:
    """The loaded names and the ones that load on first use."""
    return sorted(set(globals()) | _SUBMODULES | set(_SERIALIZATION))


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def is_floating_point(input) -> bool:
    return input.is_floating_point()


def numel(input) -> int:
    return input.numel()


def initial_seed() -> int:
    return default_generator.initial_seed()


def seed() -> int:
    return default_generator.seed()


def result_type(tensor1, tensor2):
    return _promotion.result_type(tensor1, tensor2)


def set_default_device(device_) -> None:
    raise NotImplementedError("set_default_device is not supported; pass device= explicitly")
