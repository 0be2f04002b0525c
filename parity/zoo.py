"""The model zoo trained in lockstep, through the public API: each run is a parity.lockstep().

    result = run(RunConfig("cnn", optimizer="adam", dtype="float64", steps=50), load_data())
    result.passed, result.records[-1].loss_ours, result.failure

What the zoo adds to lockstep() is the data of each model: MNIST's flat (n, 784) images put in
the model's layout (`ModelSpec.inputs`), labels as class indices, or one-hot rows for a loss on
float targets (MSE), and the model's own learning rate for each optimizer. A language model
brings its own text (`ModelSpec.text`): `batch_size` columns of word ids, `bptt` rows a step,
in order.
"""
from __future__ import annotations

import numpy as np

from .api import lockstep
from .losses import LOSSES
from .models import MODELS, ModelSpec
from .records import OPTIMIZERS, RunConfig, RunResult


def prepare(spec: ModelSpec, loss: str, split) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of one MNIST split as `spec`'s model and `loss` take them."""
    images, labels = split
    if LOSSES[loss].targets == "float":
        return spec.inputs(images), np.eye(10, dtype=images.dtype)[labels]
    return spec.inputs(images), labels


def run(config: RunConfig, data, progress=None, spec: ModelSpec | None = None,
        raw: bool = False) -> RunResult:
    """Train a zoo model (`config.model`, or `spec`) in lockstep on MNIST `data`
    ((x_train, y_train), (x_valid, y_valid), ...): x float arrays (n, 784), y int arrays (n,);
    with one split only, nothing is validated (a language model ignores `data`: it reads its
    own text). `config.loss` overrides the model's loss.
    `raw`: the splits are used as they are (a user's .npz), not prepared as MNIST."""
    if spec is None and config.model not in MODELS:
        raise ValueError(f"unknown model {config.model!r}; choose from {', '.join(MODELS)}")
    if config.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {config.optimizer!r}; choose from "
                         f"{', '.join(OPTIMIZERS)}")
    spec = spec or MODELS[config.model]
    loss = config.loss or spec.loss
    rows, shuffle = config.batch_size, True
    if spec.text is not None:  # its own text, not `data`, read `bptt` rows at a time, in order
        data, raw = spec.text.splits(config.batch_size), True
        rows, shuffle = spec.text.bptt, False
    def split(i):
        return tuple(data[i]) if raw else prepare(spec, loss, data[i])
    valid = split(1) if len(data) > 1 else None
    lr = config.lr if config.lr is not None else spec.learning_rate(config.optimizer)
    return lockstep(spec.build, split(0), loss=loss,
                    optimizer=config.optimizer, steps=config.steps, dtype=config.dtype, lr=lr,
                    batch_size=rows, seed=config.seed, epochs=config.epochs,
                    device=config.device, valid=valid, eval_every=config.eval_every,
                    tolerance=config.tolerance, keep_going=config.keep_going,
                    progress=progress, name=str(config.model), shuffle=shuffle)
