"""torch.special: the special functions under SciPy's names. Most are the torch functions
themselves (special.expit is sigmoid, special.gammaln is lgamma, special.psi is digamma);
ndtr, the standard normal distribution function, is written from erfc.

    import tinygrad_edu as torch
    torch.special.ndtr(torch.tensor([0.0, 1.96]))   # tensor([0.5000, 0.9750])
"""
from __future__ import annotations

import math as _math

from .functions import reduction as _reduction
from .functions._args import maybe_out as _maybe_out
from .functions.math import digamma, erfc, erfinv, exp2, logit, polygamma, sinc, xlogy
from .functions.math import lgamma as gammaln
from .functions.pointwise import erf, expm1, log1p
from .functions.pointwise import round as _round
from .functions.pointwise import sigmoid as expit
from .tensor import Tensor as _Tensor

psi = digamma

__all__ = ["digamma", "erf", "erfc", "erfinv", "exp2", "expit", "expm1", "gammaln", "log1p",
           "log_softmax", "logit", "logsumexp", "ndtr", "polygamma", "psi", "round", "sinc",
           "softmax", "xlogy"]


def ndtr(input, *, out=None) -> _Tensor:
    """Φ(x) = ½ erfc(-x/√2), the standard normal cumulative distribution function."""
    return _maybe_out(erfc(input * -_math.sqrt(0.5)) * 0.5, out, "special_ndtr")


def round(input, *, decimals: int = 0, out=None) -> _Tensor:  # noqa: A001 - torch's name
    return _maybe_out(_round(input, decimals=decimals), out, "special_round")


def logsumexp(input, dim, keepdim: bool = False, *, out=None) -> _Tensor:
    return _maybe_out(_reduction.logsumexp(input, dim, keepdim), out, "special_logsumexp")


def softmax(input, dim, *, dtype=None) -> _Tensor:
    """exp(x) / Σ exp(x) along dim (the dim is required here, unlike F.softmax)."""
    return _reduction.softmax(input, dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None) -> _Tensor:
    return _reduction.log_softmax(input, dim, dtype=dtype)
