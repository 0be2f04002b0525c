"""Lockstep training: the same model trained by tinygrad_edu and by torch, compared every step.

    lockstep = Lockstep(build, LOSSES["cross_entropy"], RunConfig("mlp", "adam", steps=50))
    result = train(lockstep, (x, y), valid=None)   # what parity.lockstep() does

torch builds and initializes the model; its state_dict is loaded into ours, so both start from
the same numbers. Both see the same batches in the same order (one shared permutation per
epoch), the same loss and the same optimizer. After every step the runner compares the loss and
every parameter's gradient; after the update, every parameter and buffer (BatchNorm's running
statistics). Every comparison is a normwise relative error (compare.py); each step's largest
ones are recorded (records.StepRecord), and each tensor's largest over the run. The first one
beyond tolerance is a `Failure`: the step, the tensor, its worst elements on both sides and the
first layer where the two models part (diagnose.py). A float64 run stops there; a float32 run
goes on (keep_going), so that the figures of the whole run can be reported. The first step whose
gradients differ by more than records.WATCH is kept too (the "onset"): where float32 drift
starts. Dropout draws the same masks on both sides (bridge.masks_from_torch).

The public entry point is `parity.lockstep()` (lockstep.py), which checks the user's build and
data first; the model zoo (zoo.py) goes through it too.
"""
from __future__ import annotations

import time

import numpy as np
import torch

import tinygrad_edu

from . import diagnose
from .bridge import build_pair, from_numpy, masks_from_torch, to_numpy, translate_errors
from .compare import FLOOR, Error, Worst, compare, worst_elements
from .losses import Loss
from .records import DEFAULT_LR, OPTIMIZERS, WATCH, Failure, RunConfig, RunResult, StepRecord

# A gradient is measured against its own largest entry, but never against less than this
# fraction of the largest gradient entry of the whole model at that step. Some gradients are
# mathematically zero and numerically rounding noise in both libraries (a convolution's bias in
# front of BatchNorm: ~1e-15 against weight gradients of ~0.5); their "relative" error would be
# noise over noise. An error of 1e-9 (the float64 tolerance) of this floor is still 1e-12 of
# the model's gradient scale.
GRADIENT_FLOOR = 1e-3


def _cast(array: np.ndarray, dtype: str, targets: str = "as given") -> np.ndarray:
    if targets == "float" or (array.dtype.kind == "f" and targets != "index"):
        return array.astype(dtype, copy=False)
    return array.astype(np.int64, copy=False) if array.dtype.kind in "iu" else array


def make_optimizer(lib, name: str, params, lr: float):
    """The six optimizers compared, with the same options in both libraries. LBFGS does one
    iteration per batch (max_iter=1): it calls its closure once, for the loss and gradients
    the step has already computed and compared, and never evaluates the model again."""
    optim = lib.optim
    if name == "sgd":
        return optim.SGD(params, lr=lr)
    if name == "momentum":
        return optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return optim.Adam(params, lr=lr)
    if name == "adamw":
        return optim.AdamW(params, lr=lr, weight_decay=0.01)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr)
    if name == "lbfgs":
        return optim.LBFGS(params, lr=lr, max_iter=1, history_size=10)
    raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(OPTIMIZERS)}")


# ----------------------------------------------------------------------------- one step


class Lockstep:
    """The pair of models, losses and optimizers, advanced together one batch at a time."""

    def __init__(self, build, loss: Loss, config: RunConfig):
        self.config, self.loss = config, loss
        self.floor = FLOOR[config.dtype]
        self.theirs, self.ours = build_pair(build, config.dtype, config.device, config.seed)
        lr = config.lr if config.lr is not None else DEFAULT_LR[config.optimizer]
        self.optimizers = (make_optimizer(tinygrad_edu, config.optimizer,
                                          self.ours.parameters(), lr),
                           make_optimizer(torch, config.optimizer, self.theirs.parameters(), lr))
        self.losses = (loss.build(tinygrad_edu), loss.build(torch))
        self.onset: Failure | None = None
        self.worst: dict[str, float] = {}   # 'loss', 'grad:<name>', 'param:<name>' -> largest

    def batch(self, x: np.ndarray, y: np.ndarray):
        """The batch in the run's dtype: floating arrays cast to it, integer ones to int64 (a
        loss on class indices); y as the loss wants it ('float' targets in the dtype)."""
        return _cast(x, self.config.dtype), _cast(y, self.config.dtype, self.loss.targets)

    def _forward_backward(self, lib, model, loss_fn, x, y, seed: int):
        """One training forward and backward on `lib`'s side; the loss (a tensor). An error is
        explained (bridge.translate_errors): the data does not fit the model, or tinygrad_edu
        lacks something the model uses."""
        device = self.config.device
        model.train()
        for param in model.parameters():
            param.grad = None
        with translate_errors(lib, x, y, self.loss.name):
            if lib is torch:
                torch.manual_seed(seed)
                output = model(from_numpy(torch, x, device))
                loss = loss_fn(output, from_numpy(torch, y, device))
            else:
                with masks_from_torch(seed, self.config.dtype, device):
                    output = model(from_numpy(lib, x, device))
                    loss = loss_fn(output, from_numpy(lib, y, device))
            if tuple(loss.shape) != ():
                raise ValueError(f"the loss must be a single number; {self.loss.name!r} gave "
                                 f"shape {tuple(loss.shape)}")
            loss.backward()
        return loss

    def step(self, index: int, epoch: int, x, y):
        """Train both models on one batch and compare: (the step's record, the failure if a
        figure is beyond tolerance, else None). Without keep_going, a failure leaves the
        parameters as they were (no update)."""
        x, y = self.batch(x, y)
        seed = self.config.seed * 1_000_003 + index  # the step's dropout masks
        theirs_loss = self._forward_backward(torch, self.theirs, self.losses[1], x, y, seed)
        ours_loss = self._forward_backward(tinygrad_edu, self.ours, self.losses[0], x, y, seed)
        tolerance = self.config.tolerance
        ours, theirs = to_numpy(ours_loss), to_numpy(theirs_loss)
        loss_error = compare(ours, theirs, self.floor)
        self._keep("loss", loss_error.relative)
        record = StepRecord(index, epoch, float(ours), float(theirs), loss_error.relative)
        failure = None
        if loss_error.relative > tolerance.loss:
            failure = Failure(index, "loss", "", loss_error)

        grads, missing = self._compare_gradients()
        record.grad_rel, record.grad_abs, record.grad_worst = (grads.relative, grads.absolute,
                                                               grads.name)
        if failure is None and missing is not None:
            failure = Failure(index, "gradient", missing[0], Error(np.inf, np.inf), missing[1])
        elif failure is None and grads.relative > tolerance.grad:  # the worst of the step's
            failure = Failure(index, "gradient", grads.name, grads.error,
                              elements=self._elements("gradient", grads.name))
        if failure is not None and not failure.where:
            failure.where = self._locate(x, y, seed)
        if self.onset is None and (failure is not None or grads.relative > WATCH):
            self.onset = failure or Failure(index, "gradient", grads.name, grads.error)
            self.onset.where = self.onset.where or self._locate(x, y, seed)
        if failure is not None and not self.config.keep_going:
            return record, failure

        for optimizer, loss in zip(self.optimizers, (ours_loss, theirs_loss)):
            optimizer.step(lambda loss=loss: loss)  # the loss and gradients already computed
        params, kinds = Worst(), {}
        for kind in ("parameter", "buffer"):
            for name, ours, theirs in self._named(f"{kind}s"):
                error = compare(to_numpy(ours), to_numpy(theirs), self.floor)
                params.update(name, error)
                self._keep(f"{kind}:{name}", error.relative)
                kinds[name] = kind
        record.param_rel, record.param_abs, record.param_worst = (params.relative,
                                                                  params.absolute, params.name)
        if failure is None and params.relative > tolerance.param:
            failure = Failure(index, kinds[params.name], params.name, params.error,
                              "the loss and gradients agreed at this step: the optimizer update "
                              "(or the buffer's running update) differs",
                              self._elements(kinds[params.name], params.name))
        return record, failure

    def _keep(self, key: str, relative: float) -> None:
        """Remember the largest relative error of `key` over the run."""
        self.worst[key] = max(self.worst.get(key, 0.0), relative)

    def _elements(self, kind: str, name: str) -> list:
        """The worst elements of a named gradient, parameter or buffer: (index, ours, torch)."""
        ours, theirs = (dict(getattr(model, f"named_{kind}s" if kind != "gradient" else
                                     "named_parameters")())[name]
                        for model in (self.ours, self.theirs))
        if kind == "gradient":
            ours, theirs = ours.grad, theirs.grad
        return worst_elements(to_numpy(ours), to_numpy(theirs))

    def _compare_gradients(self):
        """(the worst gradient error, (name, message) of a gradient that only one library has,
        or None). Each gradient is measured against its own scale, floored by GRADIENT_FLOOR
        times the model's largest gradient entry."""
        pairs, missing = [], None
        for name, ours, theirs in self._named("parameters"):
            if (theirs.grad is None) != (ours.grad is None):
                side = "ours" if ours.grad is None else "torch's"
                missing = missing or (name, f"{side} is None")
            elif theirs.grad is not None:
                pairs.append((name, to_numpy(ours.grad), to_numpy(theirs.grad)))
        scale = max((float(np.abs(theirs).max(initial=0.0)) for _, _, theirs in pairs),
                    default=0.0)
        floor = max(self.floor, GRADIENT_FLOOR * scale)
        grads = Worst()
        for name, ours, theirs in pairs:
            error = compare(ours, theirs, floor)
            grads.update(name, error)
            self._keep(f"gradient:{name}", error.relative)
        return grads, missing

    def _named(self, kind: str):
        """(name, ours, torch's) for every parameter or buffer (the names match: bridge.py
        checked them when the pair was built)."""
        ours = dict(getattr(self.ours, f"named_{kind}")())
        return [(name, ours[name], theirs)
                for name, theirs in getattr(self.theirs, f"named_{kind}")()]

    def _locate(self, x, y, seed: int) -> str:
        """Run the step's forward and backward once more with hooks (diagnose.locate): where
        the two models part. BatchNorm's running statistics, updated again by that run, and
        the state a recurrent model carries, replaced by it, are put back, so that a run that
        goes on is not changed by its diagnosis."""
        buffers = [(lib, model, name, buffer, to_numpy(buffer))
                   for lib, model in ((tinygrad_edu, self.ours), (torch, self.theirs))
                   for name, buffer in model.named_buffers()]

        def run_both():
            for lib, model, loss_fn in ((tinygrad_edu, self.ours, self.losses[0]),
                                        (torch, self.theirs, self.losses[1])):
                self._forward_backward(lib, model, loss_fn, x, y, seed)
        tolerance = min(self.config.tolerance.grad, self.config.tolerance.loss, WATCH)
        try:
            return diagnose.locate(run_both, self.ours, self.theirs, tolerance, self.floor)
        finally:
            for lib, model, name, buffer, saved in buffers:
                with lib.no_grad():
                    buffer.copy_(from_numpy(lib, saved, self.config.device))
                owner, _, attribute = name.rpartition(".")
                setattr(model.get_submodule(owner), attribute, buffer)

    def validate(self, x: np.ndarray, y: np.ndarray, chunk: int = 500):
        """The mean loss over the validation set in eval mode (no dropout, running statistics),
        for (ours, torch)."""
        totals = []
        for lib, model, loss_fn in ((tinygrad_edu, self.ours, self.losses[0]),
                                    (torch, self.theirs, self.losses[1])):
            model.eval()
            total = 0.0
            with lib.no_grad():
                for start in range(0, len(x), chunk):
                    xb, yb = self.batch(x[start:start + chunk], y[start:start + chunk])
                    out = model(from_numpy(lib, xb, self.config.device))
                    loss = loss_fn(out, from_numpy(lib, yb, self.config.device))
                    total += float(to_numpy(loss)) * len(xb)
            model.train()
            totals.append(total / len(x))
        return tuple(totals)


# ----------------------------------------------------------------------------- a whole run


def batches(count: int, batch_size: int, seed: int, epochs: int, steps: int | None,
            shuffle: bool = True):
    """(step, epoch, indices): one permutation per epoch, shared by both libraries (without
    `shuffle`, the rows in order). A last batch of a single sample is dropped (BatchNorm cannot
    train on it, in either library)."""
    rng = np.random.default_rng(seed)
    step = 0
    epoch = 0
    while (epoch < epochs) if steps is None else (step < steps):
        order = rng.permutation(count) if shuffle else np.arange(count)
        for start in range(0, count, batch_size):
            indices = order[start:start + batch_size]
            if len(indices) < 2 or (steps is not None and step >= steps):
                continue
            yield step, epoch, indices
            step += 1
        epoch += 1


def train(lockstep: Lockstep, data, valid=None, progress=None, result: RunResult | None = None):
    """Train both models in lockstep on `data` (x, y) (NumPy arrays, one sample per row), and
    evaluate on `valid` (x, y) every `eval_every` steps and at the end, when given.
    `progress(step, total, record)` is called after each step. Never raises on a disagreement:
    the result says where it happened."""
    config = lockstep.config
    (train_x, train_y) = data
    result = result if result is not None else RunResult(config)
    started = time.perf_counter()
    per_epoch = sum(1 for start in range(0, len(train_x), config.batch_size)
                    if len(train_x) - start >= 2)
    total = config.steps if config.steps is not None else per_epoch * config.epochs
    eval_every = config.eval_every or per_epoch
    for step, epoch, indices in batches(len(train_x), config.batch_size, config.seed,
                                        config.epochs, config.steps, config.shuffle):
        record, failure = lockstep.step(step, epoch, train_x[indices], train_y[indices])
        result.records.append(record)
        if failure is None and valid is not None and ((step + 1) % eval_every == 0
                                                      or step + 1 == total):
            failure = _validate(lockstep, record, *valid)
        result.failure = result.failure or failure
        if progress is not None:
            progress(step + 1, total, record)
        if failure is not None and not config.keep_going:
            break
    result.onset = lockstep.onset
    result.worst_errors = dict(lockstep.worst)
    result.seconds = time.perf_counter() - started
    return result


def _validate(lockstep: Lockstep, record: StepRecord, valid_x, valid_y) -> Failure | None:
    ours, theirs = lockstep.validate(valid_x, valid_y)
    error = compare(ours, theirs, lockstep.floor)
    record.valid_ours, record.valid_torch, record.valid_rel = ours, theirs, error.relative
    if error.relative > lockstep.config.tolerance.loss:
        return Failure(record.step, "validation loss", "", error,
                       "evaluation mode (model.eval(): running statistics, no dropout) differs")
    return None
