"""Lockstep training: the same model trained by tinygrad_edu and by torch, compared every step.

    result = run(RunConfig("cnn", optimizer="adam", dtype="float64", steps=50), load_data())
    result.passed, result.records[-1].loss_ours, result.failure

torch builds and initializes the model; its state_dict is loaded into ours, so both start from
the same numbers. Both see the same batches in the same order (one shared permutation per
epoch), the same loss and the same optimizer. After every step the runner compares the loss and
every parameter's gradient; after the update, every parameter and buffer (BatchNorm's running
statistics). Every comparison is a normwise relative error (compare.py); each step's largest
ones are recorded (records.StepRecord). The first one beyond tolerance is a `Failure`: the step,
the tensor, its worst element on both sides and the first layer where the two models part
(diagnose.py). A float64 run stops there; a float32 run goes on (keep_going), so that the
figures of the whole run can be reported. The first step whose gradients differ by more than
records.WATCH is kept too (the "onset"): where float32 drift starts. Dropout draws the same
masks on both sides (bridge.masks_from_torch).
"""
from __future__ import annotations

import time

import numpy as np
import torch

import tinygrad_edu

from . import diagnose
from .bridge import build_pair, from_numpy, masks_from_torch, to_numpy
from .compare import FLOOR, Error, Worst, compare
from .models import LOSSES, MODELS, ModelSpec
from .records import WATCH, Failure, RunConfig, RunResult, StepRecord

OPTIMIZERS = ("sgd", "momentum", "adam", "adamw", "rmsprop", "lbfgs")

# A gradient is measured against its own largest entry, but never against less than this
# fraction of the largest gradient entry of the whole model at that step. Some gradients are
# mathematically zero and numerically rounding noise in both libraries (a convolution's bias in
# front of BatchNorm: ~1e-15 against weight gradients of ~0.5); their "relative" error would be
# noise over noise. An error of 1e-9 (the float64 tolerance) of this floor is still 1e-12 of
# the model's gradient scale.
GRADIENT_FLOOR = 1e-3


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

    def __init__(self, spec: ModelSpec, config: RunConfig):
        self.spec, self.config = spec, config
        self.floor = FLOOR[config.dtype]
        self.theirs, self.ours = build_pair(spec.build, config.dtype, config.device, config.seed)
        lr = config.lr if config.lr is not None else spec.learning_rate(config.optimizer)
        self.optimizers = (make_optimizer(tinygrad_edu, config.optimizer,
                                          self.ours.parameters(), lr),
                           make_optimizer(torch, config.optimizer, self.theirs.parameters(), lr))
        self.losses = (LOSSES[spec.loss](tinygrad_edu), LOSSES[spec.loss](torch))
        self.onset: Failure | None = None

    def batch(self, images: np.ndarray, labels: np.ndarray):
        """The batch as NumPy arrays in the model's layout and the run's dtype."""
        x = self.spec.inputs(images).astype(self.config.dtype)
        if self.spec.targets == "one_hot":
            return x, np.eye(10, dtype=self.config.dtype)[labels]
        return x, labels.astype(np.int64)

    def _forward_backward(self, lib, model, loss_fn, x, y, seed: int):
        """One training forward and backward on `lib`'s side; the loss (a tensor)."""
        device = self.config.device
        model.train()
        for param in model.parameters():
            param.grad = None
        if lib is torch:
            torch.manual_seed(seed)
            loss = loss_fn(model(from_numpy(torch, x, device)), from_numpy(torch, y, device))
        else:
            with masks_from_torch(seed, self.config.dtype, device):
                loss = loss_fn(model(from_numpy(lib, x, device)), from_numpy(lib, y, device))
        loss.backward()
        return loss

    def step(self, index: int, epoch: int, images, labels):
        """Train both models on one batch and compare: (the step's record, the failure if a
        figure is beyond tolerance, else None). Without keep_going, a failure leaves the
        parameters as they were (no update)."""
        x, y = self.batch(images, labels)
        seed = self.config.seed * 1_000_003 + index  # the step's dropout masks
        ours_loss = self._forward_backward(tinygrad_edu, self.ours, self.losses[0], x, y, seed)
        theirs_loss = self._forward_backward(torch, self.theirs, self.losses[1], x, y, seed)
        tolerance = self.config.tolerance
        loss_error = compare(to_numpy(ours_loss), to_numpy(theirs_loss), self.floor)
        record = StepRecord(index, epoch, float(to_numpy(ours_loss)),
                            float(to_numpy(theirs_loss)), loss_error.relative)
        failure = None
        if loss_error.relative > tolerance.loss:
            failure = Failure(index, "loss", "", loss_error)

        grads, missing = self._compare_gradients()
        record.grad_rel, record.grad_abs, record.grad_worst = (grads.relative, grads.absolute,
                                                               grads.name)
        if failure is None and missing is not None:
            failure = Failure(index, "gradient", missing[0], Error(np.inf, np.inf), missing[1])
        elif failure is None and grads.relative > tolerance.grad:  # the worst of the step's
            failure = Failure(index, "gradient", grads.name, grads.error)
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
                params.update(name, compare(to_numpy(ours), to_numpy(theirs), self.floor))
                kinds[name] = kind
        record.param_rel, record.param_abs, record.param_worst = (params.relative,
                                                                  params.absolute, params.name)
        if failure is None and params.relative > tolerance.param:
            failure = Failure(index, kinds[params.name], params.name, params.error,
                              "the loss and gradients agreed at this step: the optimizer update "
                              "(or the buffer's running update) differs")
        return record, failure

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
            grads.update(name, compare(ours, theirs, floor))
        return grads, missing

    def _named(self, kind: str):
        """(name, ours, torch's) for every parameter or buffer, checking the names match."""
        ours = dict(getattr(self.ours, f"named_{kind}")())
        theirs = dict(getattr(self.theirs, f"named_{kind}")())
        if list(ours) != list(theirs):
            raise AssertionError(f"{kind} differ: {list(ours)} vs torch's {list(theirs)}")
        return [(name, ours[name], theirs[name]) for name in theirs]

    def _locate(self, x, y, seed: int) -> str:
        """Run the step's forward and backward once more with hooks (diagnose.locate): where
        the two models part. BatchNorm's running statistics, updated again by that run, are
        put back, so that a run that goes on is not changed by its diagnosis."""
        buffers = [(lib, buffer, to_numpy(buffer)) for lib, model in
                   ((tinygrad_edu, self.ours), (torch, self.theirs)) for buffer in model.buffers()]

        def run_both():
            for lib, model, loss_fn in ((tinygrad_edu, self.ours, self.losses[0]),
                                        (torch, self.theirs, self.losses[1])):
                self._forward_backward(lib, model, loss_fn, x, y, seed)
        tolerance = min(self.config.tolerance.grad, self.config.tolerance.loss, WATCH)
        try:
            return diagnose.locate(run_both, self.ours, self.theirs, tolerance, self.floor)
        finally:
            for lib, buffer, saved in buffers:
                with lib.no_grad():
                    buffer.copy_(from_numpy(lib, saved, self.config.device))

    def validate(self, images: np.ndarray, labels: np.ndarray, chunk: int = 500):
        """The mean loss over the validation set in eval mode (no dropout, running statistics),
        for (ours, torch)."""
        totals = []
        for lib, model, loss_fn in ((tinygrad_edu, self.ours, self.losses[0]),
                                    (torch, self.theirs, self.losses[1])):
            model.eval()
            total = 0.0
            with lib.no_grad():
                for start in range(0, len(images), chunk):
                    x, y = self.batch(images[start:start + chunk], labels[start:start + chunk])
                    out = model(from_numpy(lib, x, self.config.device))
                    loss = loss_fn(out, from_numpy(lib, y, self.config.device))
                    total += float(to_numpy(loss)) * len(x)
            model.train()
            totals.append(total / len(images))
        return tuple(totals)


# ----------------------------------------------------------------------------- a whole run


def batches(count: int, batch_size: int, seed: int, epochs: int, steps: int | None):
    """(step, epoch, indices): one permutation per epoch, shared by both libraries. A last batch
    of a single sample is dropped (BatchNorm cannot train on it, in either library)."""
    rng = np.random.default_rng(seed)
    step = 0
    epoch = 0
    while (epoch < epochs) if steps is None else (step < steps):
        order = rng.permutation(count)
        for start in range(0, count, batch_size):
            indices = order[start:start + batch_size]
            if len(indices) < 2 or (steps is not None and step >= steps):
                continue
            yield step, epoch, indices
            step += 1
        epoch += 1


def run(config: RunConfig, data, progress=None, spec: ModelSpec | None = None) -> RunResult:
    """Train both models in lockstep on `data` ((x_train, y_train), (x_valid, y_valid), ...):
    x float arrays (n, 784), y int arrays (n,). `progress(step, total, record)` is called after
    each step. Never raises on a disagreement: the result says where it happened."""
    if spec is None and config.model not in MODELS:
        raise ValueError(f"unknown model {config.model!r}; choose from {', '.join(MODELS)}")
    if config.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {config.optimizer!r}; choose from "
                         f"{', '.join(OPTIMIZERS)}")
    spec = spec or MODELS[config.model]
    (train_x, train_y), (valid_x, valid_y) = data[0], data[1]
    result = RunResult(config)
    started = time.perf_counter()
    lockstep = Lockstep(spec, config)
    per_epoch = sum(1 for start in range(0, len(train_x), config.batch_size)
                    if len(train_x) - start >= 2)
    total = config.steps if config.steps is not None else per_epoch * config.epochs
    eval_every = config.eval_every or per_epoch
    for step, epoch, indices in batches(len(train_x), config.batch_size, config.seed,
                                        config.epochs, config.steps):
        record, failure = lockstep.step(step, epoch, train_x[indices], train_y[indices])
        result.records.append(record)
        if failure is None and ((step + 1) % eval_every == 0 or step + 1 == total):
            failure = _validate(lockstep, record, valid_x, valid_y)
        result.failure = result.failure or failure
        if progress is not None:
            progress(step + 1, total, record)
        if failure is not None and not config.keep_going:
            break
    result.onset = lockstep.onset
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
