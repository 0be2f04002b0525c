"""Where two models start to disagree: the first layer whose output (or gradient) differs.

When a lockstep step fails, the step is run once more on both models with a forward hook on
every submodule. The hooks record each submodule's output in call order (and keep its gradient
with `retain_grad`). Then:

  * forward: the first output, in call order, that differs beyond tolerance is the first layer
    whose computation disagrees (everything before it agrees, so the culprit is that layer, or
    the functional ops between it and the previous hooked module);
  * backward: if every output agrees, the error is in a backward rule. Gradients flow from the
    loss backwards, so the LAST output (in call order) whose gradient differs marks the spot: the
    gradient of its output is wrong while those after it agree, so the faulty backward lies
    between it and the next hooked module.
"""
from __future__ import annotations

from dataclasses import dataclass

from .bridge import to_numpy
from .compare import compare


@dataclass
class LayerError:
    name: str          # dotted module name ('conv1', '3' in a Sequential, '' for the model)
    kind: str          # the module class
    relative: float
    detail: str


class Recorder:
    """Forward hooks on every submodule of `model` that keep (name, class, output) in order;
    of a tuple (an LSTM's output and state, attention's output and weights), the first."""

    def __init__(self, model):
        self.outputs: list[tuple[str, str, object]] = []
        self.handles = []
        for name, module in model.named_modules():
            self.handles.append(module.register_forward_hook(self._hook(name or "(model)")))

    def _hook(self, name):
        def record(module, args, output):
            if isinstance(output, tuple) and output:  # (output, state) of an RNN, attention
                output = output[0]
            if hasattr(output, "shape"):
                if getattr(output, "requires_grad", False):
                    output.retain_grad()
                self.outputs.append((name, type(module).__name__, output))
        return record

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


def _pairs(ours: Recorder, theirs: Recorder):
    """(name, kind, our output, torch's output) in call order; the model's own output comes
    last, as its hook runs after the hooks of the layers inside it."""
    if [n for n, _, _ in ours.outputs] != [n for n, _, _ in theirs.outputs]:
        raise AssertionError("the two models called their layers in different orders: "
                             f"{[n for n, _, _ in ours.outputs]} vs "
                             f"{[n for n, _, _ in theirs.outputs]}")
    return [(name, kind, o, t) for (name, kind, o), (_, _, t) in zip(ours.outputs,
                                                                       theirs.outputs)]


def first_forward_disagreement(ours: Recorder, theirs: Recorder, tolerance: float,
                               floor: float) -> LayerError | None:
    for name, kind, o, t in _pairs(ours, theirs):
        error = compare(to_numpy(o), to_numpy(t), floor)
        if error.relative > tolerance:
            return LayerError(name, kind, error.relative, error.describe())
    return None


def first_backward_disagreement(ours: Recorder, theirs: Recorder, tolerance: float,
                                floor: float) -> LayerError | None:
    for name, kind, o, t in reversed(_pairs(ours, theirs)):
        if o.grad is None or t.grad is None:
            continue
        error = compare(to_numpy(o.grad), to_numpy(t.grad), floor)
        if error.relative > tolerance:
            return LayerError(name, kind, error.relative, error.describe())
    return None


def locate(run_both, ours_model, theirs_model, tolerance: float, floor: float) -> str:
    """Run `run_both()` (one forward and backward of each model) with hooks; say where the two
    first disagree, in a sentence."""
    ours, theirs = Recorder(ours_model), Recorder(theirs_model)
    try:
        run_both()
    finally:
        ours.remove()
        theirs.remove()
    forward = first_forward_disagreement(ours, theirs, tolerance, floor)
    if forward is not None:
        names = [name for name, _, _ in ours.outputs]
        previous = names[names.index(forward.name) - 1] if names.index(forward.name) else None
        after = f" (the output of '{previous}' still agrees)" if previous else ""
        return (f"forward: the first layer whose output disagrees is '{forward.name}' "
                f"({forward.kind}){after}; {forward.detail}")
    backward = first_backward_disagreement(ours, theirs, tolerance, floor)
    if backward is not None:
        names = [name for name, _, _ in ours.outputs]
        position = names.index(backward.name)
        following = [n for n in names[position + 1:] if n != "(model)"]
        between = f" and '{following[0]}'" if following else " and the loss"
        return (f"forward outputs all agree; backward: the gradient first disagrees at the "
                f"output of '{backward.name}' ({backward.kind}), so the libraries part in the "
                f"backward between '{backward.name}'{between} (a wrong rule; in float32 also "
                f"a ReLU or max-pool choice flipped by rounding); {backward.detail}")
    return ("forward outputs all agree, and so do the gradients of every layer's output: the "
            "parameter's own gradient is wrong (the backward of the layer that holds it), or "
            "the loss differs")
