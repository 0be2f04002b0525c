"""parity.lockstep(): train YOUR model in tinygrad_edu and in torch, in lockstep, and compare.

    import parity

    def build(nn):                           # or build(lib): torch / tinygrad_edu itself
        return nn.Sequential(nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 3))

    result = parity.lockstep(build, (x, y), loss="cross_entropy", optimizer="adam", steps=50)
    result.assert_ok()                       # AssertionError: the first step and tensor that part

The model is written once and built twice, `build(torch.nn)` and `build(tinygrad_edu.nn)`.
torch initializes it; its parameters and buffers are copied into ours; both train on the same
batches, with the same dropout masks, the same loss and the same optimizer; after every step the
loss, every gradient and every parameter are compared (runner.py says how). The result holds
every step's losses (`loss_ours`, `loss_torch`), the largest relative error of the loss and of
each gradient and parameter over the run (`errors('gradient')`, `errors('parameter')`), the
first step and tensor beyond tolerance (`failure`), `ok`, and writes `plot(path)` and
`to_json(path)` as `python -m parity` does.

`data` is a pair (x, y) of NumPy arrays or of tensors of either library, or a Dataset (anything
with `len()` and `[i] -> (x_i, y_i)`). Floating data is cast to `dtype`; integer targets are
class indices. Setting PARITY_STEPS (or `pytest --parity-steps N`, see pytest_plugin.py)
replaces `steps` in every call, to run the same tests deeper.
"""
from __future__ import annotations

import os

import numpy as np

from . import report
from .bridge import to_numpy
from .losses import resolve
from .records import OPTIMIZERS, TOLERANCES, LockstepError, RunConfig, RunResult, Tolerance
from .runner import Lockstep, train

STEPS_VARIABLE = "PARITY_STEPS"


class LockstepResult(RunResult):
    """A lockstep run's result (records.RunResult) that can also draw and save itself."""

    def plot(self, path) -> None:
        """The loss curves of both libraries and the largest error per step, as a PNG."""
        report.write_plot(str(path), [self])

    def to_json(self, path) -> None:
        """Every step's figures, in the CLI's --json format (one run)."""
        report.write_json(str(path), [self], {"model": self.config.model})


def lockstep(build, data, loss="cross_entropy", optimizer: str = "adam", steps: int | None = 100,
             dtype: str = "float64", lr: float | None = None, batch_size: int = 64,
             seed: int = 0, *, epochs: int = 1, device: str = "cpu", valid=None,
             eval_every: int = 0, tolerance: Tolerance | None = None,
             keep_going: bool | None = None, progress=None,
             name: str | None = None, shuffle: bool = True) -> LockstepResult:
    """Train `build`'s model in tinygrad_edu and in torch on `data`, in lockstep; compare.

    build: `build(nn)` or `build(lib)` returning a Module, written once for both libraries.
    data: (x, y) arrays or tensors of either library, or a Dataset of (x_i, y_i) samples.
    loss: a name of parity.losses.LOSSES (cross_entropy, nll, mse, l1, smooth_l1, huber, bce,
        bce_with_logits, ...) or a function loss(output, target) on tensors of either library.
    optimizer: sgd, momentum (SGD with momentum 0.9), adam, adamw or rmsprop; `lr` its learning
        rate (default: 0.1, 0.01, 1e-3, 1e-3, 1e-3).
    steps: training steps (batches of `batch_size`, reshuffled every epoch); None: `epochs`
        epochs. PARITY_STEPS, when set, replaces it. shuffle=False: each batch is the next
        `batch_size` rows, in order (truncated backpropagation through time).
    dtype: float64 (tolerance 1e-9) or float32 (records.TOLERANCES); `tolerance` overrides.
    valid: (x, y) to compare the loss in eval mode on, every `eval_every` steps (default: every
        epoch) and at the end. `progress(step, total, record)` is called after each step.
    Raises a LockstepError (a ValueError) when the run cannot start: the builds differ, the
    data does not fit, or the model uses something tinygrad_edu lacks. A disagreement does not
    raise: the result says where it happened (`result.assert_ok()` raises it).
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose from {', '.join(OPTIMIZERS)}")
    if dtype not in TOLERANCES:
        raise ValueError(f"unknown dtype {dtype!r}; choose from {', '.join(TOLERANCES)}")
    loss = resolve(loss)
    steps = steps_from_environment(steps)
    x, y = arrays(data, "data")
    if len(x) < 2:
        raise LockstepError(f"data has {len(x)} sample(s); a training batch needs at least 2")
    config = RunConfig(name or getattr(build, "__name__", type(build).__name__), optimizer,
                       dtype, device, steps=steps, epochs=epochs, batch_size=batch_size,
                       seed=seed, lr=lr, eval_every=eval_every, tolerance=tolerance,
                       keep_going=keep_going, loss=loss.name, shuffle=shuffle)
    pair = Lockstep(build, loss, config)
    valid = None if valid is None else arrays(valid, "valid")
    return train(pair, (x, y), valid, progress, LockstepResult(config))


def steps_from_environment(steps: int | None) -> int | None:
    """`steps`, or PARITY_STEPS when that is set (a whole number of at least 1)."""
    value = os.environ.get(STEPS_VARIABLE)
    if not value:
        return steps
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{STEPS_VARIABLE} must be a whole number, got {value!r}") from None
    if number < 1:
        raise ValueError(f"{STEPS_VARIABLE} must be at least 1, got {number}")
    return number


def arrays(data, what: str) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) as NumPy arrays with one sample per row, from a pair of arrays or tensors of
    either library, or from a Dataset of (x_i, y_i) samples."""
    if hasattr(data, "shape"):
        raise LockstepError(f"{what}: a single array of shape {tuple(data.shape)}; expected "
                            "(x, y) arrays or tensors, or a Dataset of (x, y) samples")
    if isinstance(data, (tuple, list)) and len(data) == 2:
        x, y = to_numpy(data[0]), to_numpy(data[1])
    elif hasattr(data, "tensors") and len(data.tensors) == 2:  # a TensorDataset: no loop
        x, y = (to_numpy(t) for t in data.tensors)
    elif hasattr(data, "__len__") and hasattr(data, "__getitem__"):
        samples = [data[i] for i in range(len(data))]
        if not samples or not all(isinstance(s, (tuple, list)) and len(s) == 2
                                  for s in samples):
            raise LockstepError(f"{what}: a Dataset must give (x, y) pairs; got "
                                f"{type(samples[0]).__name__ if samples else 'no samples'}")
        x = np.stack([to_numpy(s[0]) for s in samples])
        y = np.stack([to_numpy(s[1]) for s in samples])
    else:
        raise LockstepError(f"{what}: expected (x, y) arrays or tensors, or a Dataset; got "
                            f"{type(data).__name__}")
    if x.ndim == 0 or y.ndim == 0:
        raise LockstepError(f"{what}: x and y need a first dimension of samples; got shapes "
                            f"{x.shape} and {y.shape}")
    if len(x) != len(y):
        raise LockstepError(f"{what}: x has {len(x)} samples but y has {len(y)} (shapes "
                            f"{x.shape} and {y.shape})")
    return x, y
