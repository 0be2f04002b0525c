"""Random numbers (torch.random): the generators behind `manual_seed`, on NumPy or CuPy.

It sits beside backend.py and, like it, imports NumPy: NumPy's PCG64 draws the CPU numbers.
"""
from __future__ import annotations

import numpy

from .backend import CPU, Device, as_device, cuda_module

_DEFAULT_SEED = 67280421310721  # torch's default CPU seed, so unseeded runs are repeatable too


class Generator:
    """A random stream (torch.Generator): NumPy's PCG64 on the CPU, CuPy's on each GPU.

    The GPU streams are seeded like the CPU one unless tinygrad_edu.cuda.manual_seed reseeded
    them alone; their numbers differ from the CPU's, as torch's CUDA numbers differ from its
    CPU numbers for the same seed."""

    def __init__(self, device="cpu"):
        self.device = as_device(device) if device != "cpu" else CPU
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        seed = int(seed)
        self._seed = seed
        self._numpy = numpy.random.Generator(numpy.random.PCG64(seed & (2**64 - 1)))
        self._cuda_seed = seed          # the seed of every GPU stream ...
        self._cuda_seeds = {}           # ... unless reseeded alone: {GPU index: seed}
        self._cupy = {}                 # {GPU index: CuPy RandomState}, made on first use
        return self

    def manual_seed_cuda(self, seed: int, index: int | None = None) -> None:
        """Reseed the GPU streams only (torch.cuda.manual_seed): one GPU, or all for None."""
        if index is None:
            self._cuda_seed, self._cuda_seeds = int(seed), {}
            self._cupy.clear()
        else:
            self._cuda_seeds[index] = int(seed)
            self._cupy.pop(index, None)

    def seed(self) -> int:
        seed = int(numpy.random.SeedSequence().entropy) & (2**63 - 1)
        self.manual_seed(seed)
        return seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self):
        return {"seed": self._seed, "numpy": self._numpy.bit_generator.state}

    def set_state(self, state) -> Generator:
        self._seed = state["seed"]
        self._numpy.bit_generator.state = state["numpy"]
        self._cupy.clear()
        return self

    def stream(self, dev: Device):
        """The generator that makes arrays on `dev` (NumPy's, or that GPU's CuPy one)."""
        if dev.type == "cpu":
            return self._numpy
        stream = self._cupy.get(dev.index)
        if stream is None:
            cupy = cuda_module()
            seed = self._cuda_seeds.get(dev.index, self._cuda_seed)
            with cupy.cuda.Device(dev.index):  # CuPy's generator belongs to the current GPU
                stream = self._cupy[dev.index] = cupy.random.RandomState(seed & (2**63 - 1))
        return stream


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator, CPU and GPUs (torch.manual_seed)."""
    return default_generator.manual_seed(seed)


_FLOATS = (numpy.float32, numpy.float64)  # the dtypes both libraries draw directly


def random_array(kind: str, shape, dtype, dev: Device, generator: Generator | None = None,
                 low=0, high=1):
    """Random numbers made on `dev`: kind is 'uniform', 'normal', 'integers' or 'permutation'."""
    stream = (generator or default_generator).stream(dev)
    draw_dtype = dtype if dtype in _FLOATS else numpy.float64
    if dev.type == "cpu":
        if kind == "uniform":
            out = stream.random(shape, dtype=draw_dtype).astype(dtype, copy=False)
            return out if (low, high) == (0, 1) else out * (high - low) + low
        if kind == "normal":
            return stream.standard_normal(shape, dtype=draw_dtype).astype(dtype, copy=False)
        if kind == "integers":  # drawn as int64 for a floating dtype (torch allows one)
            drawn = dtype if numpy.dtype(dtype).kind in "biu" else numpy.int64
            return stream.integers(low, high, size=shape, dtype=drawn).astype(dtype, copy=False)
        if kind == "permutation":
            return stream.permutation(shape).astype(dtype, copy=False)
        raise ValueError(kind)
    with cuda_module().cuda.Device(dev.index):
        if kind == "uniform":
            out = stream.random_sample(shape, dtype=draw_dtype).astype(dtype, copy=False)
            return out if (low, high) == (0, 1) else out * (high - low) + low
        if kind == "normal":
            return stream.standard_normal(shape, dtype=draw_dtype).astype(dtype, copy=False)
        if kind == "integers":
            return stream.randint(low, high, size=shape).astype(dtype, copy=False)
        if kind == "permutation":
            return stream.permutation(shape).astype(dtype, copy=False)
    raise ValueError(kind)
