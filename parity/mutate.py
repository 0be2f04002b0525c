"""Mutation mode: break one op's backward on purpose and watch the checks catch it.

    with mutated("relu"):                     # Relu.backward now returns 1.001 x the truth
        result = run(RunConfig("mlp", steps=3), data)
    result.failure                            # step 0: gradient of 'fc1.weight' differs ...

`mutated(op)` swaps the `backward` of the op's primitive classes (tinygrad_edu/ops/, and the
fused kernels of tinygrad_edu/nn/functional/) for a slightly wrong one: the true backward, with
every gradient it returns multiplied by (1 + size). The forward is untouched, so every loss
still agrees; only gradients are off, by 0.1% by default (`size`): small enough to look
plausible in a training curve, far beyond the tolerance of a float64 parity run. On exit
(normal or not) the original methods are put back, so the patch is reversible and can be
nested.

`python -m parity --mutate OP` runs the parity runs and the op registry under the mutation and
reports which of them catch it: a demonstration that the checks have teeth.
"""
from __future__ import annotations

import contextlib
import importlib

# The op name a learner knows -> the primitives that compute it ("module:Class", the module
# under tinygrad_edu: the core's ops or nn.functional's fused kernels).
_LINEAR = ("nn.functional.linear:Linear", "nn.functional.linear:LinearNoBias",
           "functions.linalg_ops:Addmm")
MUTATIONS: dict[str, tuple[str, ...]] = {
    "conv2d": ("nn.functional.conv:Convolution",),
    "linear": _LINEAR,
    "addmm": _LINEAR,
    "matmul": ("ops.linalg:Matmul", "ops.linalg:Mm"),
    "log_softmax": ("functions.reduction_ops:LogSoftmax",),
    "softmax": ("functions.reduction_ops:Softmax",),
    "relu": ("ops.elementwise:Relu",),
    "clamp": ("functions.piecewise_ops:Clamp",),
    "exp": ("ops.elementwise:Exp",),
    "log": ("ops.elementwise:Log",),
    "mean": ("ops.reduce:Mean",),
    "sum": ("ops.reduce:Sum",),
    "max_pool2d": ("nn.functional.pooling:MaxPool2d",),
    "avg_pool2d": ("nn.functional.pooling:AvgPool2d",),
    "batch_norm": ("nn.functional.normalization:BatchNorm",),
    "cross_entropy": ("nn.functional.loss_classification:CrossEntropy",),
    "nll_loss": ("nn.functional.loss_classification:NllLoss",),
    "mse_loss": ("nn.functional.loss:MseLoss",),
    "index": ("ops.indexing:AdvancedIndex",),
    # the language models': the LSTM's time loop (backward through time, every gate; RNN and
    # GRU share the kernel), the word embeddings and the Transformer's layer norms
    "lstm": ("nn.functional.recurrent:Recurrence",),
    "embedding": ("nn.functional.sparse:Embedding",),
    "layer_norm": ("nn.functional.normalization:LayerNorm",),
}


def primitives(op: str) -> list[type]:
    """The primitive classes behind `op` (see MUTATIONS)."""
    if op not in MUTATIONS:
        raise ValueError(f"no mutation for {op!r}; choose from {', '.join(sorted(MUTATIONS))}")
    classes = []
    for path in MUTATIONS[op]:
        module, name = path.split(":")
        classes.append(getattr(importlib.import_module(f"tinygrad_edu.{module}"), name))
    return classes


def _scaled(grads, factor: float):
    """Every gradient (Tensor or None) times `factor`, in the shape backward returned them."""
    if isinstance(grads, tuple):
        return tuple(None if g is None else g * factor for g in grads)
    return None if grads is None else grads * factor


def wrong_backward(true_backward, factor: float):
    """A backward that computes the true one, then scales what it returns."""
    def backward(ctx, *grad_outputs):
        return _scaled(true_backward(ctx, *grad_outputs), factor)
    backward.__doc__ = f"MUTATED: the true backward times {factor}"
    return backward


@contextlib.contextmanager
def mutated(op: str, size: float = 1e-3):
    """Within the block, `op`'s backward returns (1 + size) times the true gradients."""
    patched = []
    try:
        for cls in primitives(op):
            own = cls.__dict__.get("backward")  # None when the method is inherited
            cls.backward = staticmethod(wrong_backward(cls.backward, 1.0 + size))
            patched.append((cls, own))
        yield
    finally:
        for cls, own in reversed(patched):
            if own is None:
                del cls.backward
            else:
                cls.backward = own
