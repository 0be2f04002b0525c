"""The argument checks of the random samplers, in torch's words: shared by the creation functions
(`rand`, `normal`, `bernoulli`, `multinomial`), the in-place fillers (`uniform_`, `normal_`) and
nn.init. A sampler given an impossible distribution raises instead of drawing something else."""
from __future__ import annotations

from ..tensor import Tensor
from ._args import CPP_NAMES, FLOAT_MAX


def floating_only(kernel: str, dtype) -> None:
    """torch draws uniform and normal numbers only into floating tensors."""
    if not dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dtype.scalar_name}'")


def check_uniform(low, high, dtype) -> None:
    """U[low, high) for a tensor of `dtype`: finite bounds, in order, whose gap fits the dtype."""
    floating_only("check_uniform_bounds", dtype)
    limit = FLOAT_MAX[dtype.numpy.name]
    for name, bound in (("from", low), ("to", high)):
        if not -limit <= bound <= limit:  # infinite and NaN bounds too
            raise RuntimeError(f"{name} is out of bounds for {CPP_NAMES[dtype.numpy.name]}")
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={low:g} > to={high:g}")
    if high - low > limit:
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<"
                           f"{dtype.scalar_name}>::max(), but found to={high:g} and "
                           f"from={low:g} which result in to-from to exceed the limit")


def check_std(std) -> None:
    """N(mean, std²) needs std >= 0 (a number, or every element of a tensor)."""
    if isinstance(std, Tensor):
        if not bool((std._data >= 0).all()):  # NaN too
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif not std >= 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def check_probability(p) -> None:
    """Bernoulli(p) needs 0 <= p <= 1 (a number, or every element of a tensor)."""
    if isinstance(p, Tensor):
        if not bool(((p._data >= 0) & (p._data <= 1)).all()):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    elif not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")


def check_multinomial(input: Tensor, num_samples: int, replacement: bool) -> None:
    """Rows of weights (1-d or 2-d, floating) and a positive number of samples."""
    if not input.is_floating_point():
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           f"{input.dtype.scalar_name}")
    if input._data.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not replacement and num_samples > input._data.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
