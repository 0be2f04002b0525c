"""The random in-place fillers beyond uniform_ and normal_ (bernoulli_, exponential_,
geometric_, cauchy_, log_normal_, random_) and the sampling methods x.bernoulli() and
x.multinomial(), with torch's argument checks. Each distribution is drawn from the uniform or
normal numbers of tinygrad_edu.random (inverse-CDF for exponential, geometric and Cauchy), so
the values differ from torch's for the same seed, as its CUDA numbers do; the distributions
are the same.
"""
from __future__ import annotations

import math

from .. import arrays, dtypes, random
from ..backend import get_array_module
from ..tensor import Tensor
from .inplace import _fill_random
from .sampling import bernoulli, check_probability, multinomial
from .shape import expand

_CONTINUOUS = "{} distribution is a continuous probability distribution. dtype must be a " \
              "floating point but you specified {}"


def _uniform(self, generator):
    draw_dtype = self._data.dtype if self.is_floating_point() else dtypes.float64.numpy
    return random.random_array("uniform", self._data.shape, draw_dtype, self.device, generator)


def _continuous(self, name: str, cpp_name: bool = False) -> None:
    if not self.is_floating_point():
        spelled = {"int64": "long int", "int32": "int"}.get(self.dtype.name, self.dtype.name) \
            if cpp_name else self.dtype.scalar_name
        raise RuntimeError(_CONTINUOUS.format(name, spelled))


def _positive(name: str, what: str, value) -> None:
    if not value > 0:
        raise RuntimeError(f"{name} expects {what} > 0.0, but found {what}={value:g}")


def bernoulli_(self, p=0.5, *, generator=None) -> Tensor:
    """1 with probability p (a number, or a tensor broadcast to self's shape), else 0."""
    check_probability(p)
    if isinstance(p, Tensor):
        p = expand(p, self.shape)._data
    return _fill_random(self, _uniform(self, generator) < p, "bernoulli_")


def _exponential(self, generator):
    """Exponential(1) numbers: -log(1 - u)."""
    uniform = _uniform(self, generator)
    return -get_array_module(uniform).log1p(-uniform)


def exponential_(self, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Exponential(λ): -log(1 - u) / λ."""
    _positive("exponential_", "lambda", lambd)
    _continuous(self, "Exponential")
    return _fill_random(self, _exponential(self, generator) / lambd, "exponential_")


def geometric_(self, p: float, *, generator=None) -> Tensor:
    """Geometric(p), the number of trials to the first success: ⌈log(1 - u) / log(1 - p)⌉."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    trials = _exponential(self, generator) / -math.log1p(-p)
    xp = get_array_module(trials)
    return _fill_random(self, xp.maximum(xp.ceil(trials), 1), "geometric_")


def cauchy_(self, median: float = 0.0, sigma: float = 1.0, *, generator=None) -> Tensor:
    """Cauchy(median, σ): median + σ · tan(π (u - ½))."""
    _positive("cauchy_", "sigma", sigma)
    _continuous(self, "Cauchy", cpp_name=True)
    uniform = _uniform(self, generator)
    angle = get_array_module(uniform).tan((uniform - 0.5) * math.pi)
    return _fill_random(self, median + sigma * angle, "cauchy_")


def log_normal_(self, mean: float = 1.0, std: float = 2.0, *, generator=None) -> Tensor:
    """exp(N(mean, std²))."""
    _positive("log_normal_", "std", std)
    if not self.is_floating_point():
        raise NotImplementedError(f"\"log_normal_cpu\" not implemented for "
                                  f"'{self.dtype.scalar_name}'")
    normal = random.random_array("normal", self._data.shape, self._data.dtype, self.device,
                                 generator)
    return _fill_random(self, get_array_module(normal).exp(normal * std + mean), "log_normal_")


_C_TYPES = {"uint8": "unsigned char", "int8": "signed char", "int16": "short",
            "int32": "int", "int64": "long"}
_EXACT_FLOAT_LIMIT = {"float16": 2 ** 11, "float32": 2 ** 24, "float64": 2 ** 53}


def random_(self, *args, generator=None) -> Tensor:
    """Integers: [from, to), [0, to), or [0, the dtype's largest integer it holds exactly]."""
    if len(args) > 2:
        raise TypeError(f"random_() takes at most 2 arguments ({len(args)} given)")
    low, high = (0, args[0]) if len(args) == 1 else (args if args else (0, None))
    if high is None:
        if self.dtype is dtypes.bool_:
            high = 2
        elif self.is_floating_point():
            high = _EXACT_FLOAT_LIMIT[self.dtype.name] + 1
        else:
            high = int(arrays.iinfo(self._data.dtype).max) + 1
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    if not self.is_floating_point() and self.dtype is not dtypes.bool_ and \
            high - 1 > arrays.iinfo(self._data.dtype).max:
        raise RuntimeError(f"to - 1 is out of bounds for {_C_TYPES[self.dtype.name]}")
    array = random.random_array("integers", self._data.shape, self._data.dtype, self.device,
                                generator, low, high)
    return _fill_random(self, array, "random_")


METHODS = {"bernoulli_": bernoulli_, "exponential_": exponential_, "geometric_": geometric_,
           "cauchy_": cauchy_, "log_normal_": log_normal_, "random_": random_,
           "bernoulli": bernoulli, "multinomial": multinomial}
