"""Random sampling: rand, randn, randint, randperm, normal, bernoulli, multinomial and the
*_like forms, with their argument checks in torch's words (the checks are shared with the
in-place fillers `uniform_`, `normal_` and nn.init). A sampler given an impossible distribution
raises instead of drawing something else."""
from __future__ import annotations

from .. import backend, dtypes, random
from ..tensor import Tensor
from ._args import CPP_NAMES, FLOAT_MAX, args_or_keyword, device_of, size_args
from .creation import _finish, _like


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


# ----------------------------------------------------------------------------- random

def _random(kind, size, dtype, device, requires_grad, generator, low=0, high=1):
    dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if kind != "integers":
        floating_only({"uniform": "check_uniform_bounds", "normal": "normal_kernel_cpu"}[kind],
                      dtype)
    dev = device_of(device)
    array = random.random_array(kind, size_args(size), dtype.numpy, dev, generator, low, high)
    return _finish(array, requires_grad)


def rand(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False,
         out=None, layout=None):
    """Uniform random numbers in [0, 1)."""
    return _random("uniform", args_or_keyword(args, size, "size", "rand"), dtype, device,
                   requires_grad, generator)


def randn(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False,
          out=None, layout=None):
    """Standard normal random numbers."""
    return _random("normal", args_or_keyword(args, size, "size", "randn"), dtype, device,
                   requires_grad, generator)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False, out=None, layout=None) -> Tensor:
    """Random integers in [low, high); `randint(high, size)` and `randint(low, high, size)`."""
    if size is None:
        if high is None:
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=...)
        low, high = 0, low
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    dtype = dtypes.int64 if dtype is None else dtype
    return _random("integers", size, dtype, device, requires_grad, generator, low, high)


def randperm(n: int, *, generator=None, dtype=None, device=None, requires_grad=False,
             out=None, layout=None) -> Tensor:
    """A random permutation of 0 .. n-1."""
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    dtype = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    array = random.random_array("permutation", n, dtype.numpy, device_of(device), generator)
    return _finish(array, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None) -> Tensor:
    """Normal random numbers with the given mean and std (numbers or tensors)."""
    check_std(std)
    if size is None:
        shape = mean.shape if isinstance(mean, Tensor) else std.shape
        like = mean if isinstance(mean, Tensor) else std
        noise = randn(shape, generator=generator, dtype=like.dtype, device=like.device)
    else:
        noise = randn(size, generator=generator, dtype=dtype, device=device)
    return noise * std + mean


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    probability = input if p is None else p
    if p is None and not input.is_floating_point():
        raise NotImplementedError("\"bernoulli_tensor_cpu_p_\" not implemented for "
                                  f"'{input.dtype.scalar_name}'")
    check_probability(probability)
    draws = rand(input.shape, generator=generator, device=input.device,
                 dtype=input.dtype if input.is_floating_point() else None)
    return (draws < probability).to(input.dtype)


def multinomial(input, num_samples, replacement=False, *, generator=None) -> Tensor:
    check_multinomial(input, num_samples, replacement)
    probabilities = backend.to_device(input._data, backend.CPU).astype(dtypes.float64.numpy)
    if not backend.get_array_module(probabilities).isfinite(probabilities).all() or \
            (probabilities < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    stream = (generator or random.default_generator).stream(backend.CPU)
    rows = probabilities.reshape(-1, probabilities.shape[-1])
    if (rows.sum(axis=1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    picks = []
    for row in rows:
        if not replacement and num_samples > (row > 0).sum():
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                               "replacement")
        picks.append(stream.choice(len(row), num_samples, replace=replacement, p=row / row.sum()))
    array = backend.asarray(picks, dtypes.int64.numpy).reshape(*probabilities.shape[:-1],
                                                               num_samples)
    return Tensor._make(backend.to_device(array, input.device))


def rand_like(input, *, dtype=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    dtype, device = _like(input, dtype, device, memory_format)
    return rand(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False, layout=None,
               memory_format=None):
    dtype, device = _like(input, dtype, device, memory_format)
    return randn(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False,
                 layout=None, memory_format=None):
    if high is None:
        low, high = 0, low
    dtype, device = _like(input, dtype, device, memory_format)
    return randint(low, high, input.shape, dtype=dtype, device=device, requires_grad=requires_grad)
