"""The module registry: nn layers written once for both libraries, checked against torch.

Each `ModuleSpec` writes one nn layer once: `build(lib, **options)` makes it in `lib` (torch or
tinygrad_edu), `example()` is a hypothesis strategy of `Example`s (constructor options, input
arrays, masks, call arguments, train or eval mode), and `run(lib, module, *leaves, **arguments)`
calls it. `check_module` builds the layer in both libraries (torch initializes, ours gets torch's
state_dict), runs one example in float64 and compares every output (value, dtype, shape,
requires_grad), then the gradients of every input and of every parameter, to 1e-10 relative.
Dropout > 0 runs in eval mode (off), or in train mode with torch's own masks replayed in ours
(parity.bridge.masks_from_torch). The specs are registered by topic files (modules_sequence.py).

    from parity.modules import MODULES, check_module
    import parity.modules_sequence  # noqa: F401 - registers its layers
    spec = MODULES["nn.LSTM"]
    check_module(spec, spec.example().example())     # ParityError on a difference
"""
from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from hypothesis import strategies as st

import tinygrad_edu

from .bridge import copy_weights, from_numpy, masks_from_torch, same_build
from .check import ParityError, _to_numpy, compare_arrays, torch_device

RTOL, ATOL = 1e-10, 1e-12


@dataclass
class Example:
    options: dict                                  # the constructor's keyword arguments
    arrays: list                                   # floating inputs: leaves with a gradient
    masks: dict = field(default_factory=dict)      # arrays given as tensors without gradient
    call: dict = field(default_factory=dict)       # other arguments of run (flags, lengths)
    train: bool = False
    dropout_seed: int | None = None                # train-mode dropout: torch's masks, replayed
    seed: int = 0                                  # torch's initialization, the upstream gradient


@dataclass
class ModuleSpec:
    name: str
    build: Callable      # build(lib, **options) -> module
    example: Callable    # example() -> strategy of Example
    run: Callable        # run(lib, module, *leaves, **masks_and_call) -> outputs (nested)


MODULES: dict[str, ModuleSpec] = {}


def register(name: str, build, example, run) -> None:
    if name in MODULES:
        raise ValueError(f"module {name!r} registered twice")
    MODULES[name] = ModuleSpec(name, build, example, run)


# ----------------------------------------------------------------------------- the check

def flatten(value) -> list:
    """The tensors of a nested result (tuples, PackedSequence), in order; None kept."""
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in flatten(v)]
    return [value]


def _outputs_and_grads(spec, lib, module, example, device):
    module.train(example.train)
    where = torch_device(device) if lib is torch else device
    leaves = [from_numpy(lib, a, device).requires_grad_(True) for a in example.arrays]
    masks = {name: lib.tensor(np.array(m), device=where) for name, m in example.masks.items()}
    replay = warnings.catch_warnings()
    if example.dropout_seed is not None:
        torch.manual_seed(example.dropout_seed)
        if lib is tinygrad_edu:
            replay = masks_from_torch(example.dropout_seed, "float64", device)
    with replay, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated mixed mask kinds: torch warns, so do we
        outputs = flatten(spec.run(lib, module, *leaves, **masks, **example.call))
    rng = np.random.default_rng(example.seed)
    loss = 0
    for out in outputs:
        if out is not None and out.requires_grad:
            upstream = from_numpy(lib, rng.standard_normal(tuple(out.shape)), device)
            loss = loss + (out * upstream).sum()
    loss.backward()
    named = [(f"input {i}", t) for i, t in enumerate(leaves)] + list(module.named_parameters())
    return outputs, [(name, t.grad) for name, t in named]


def check_module(spec: ModuleSpec, example: Example, device: str = "cpu") -> float:
    """Run `example` of `spec` in both libraries; raise ParityError on any difference in an
    output (value, dtype, shape, requires_grad) or a gradient; return the worst relative one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's warnings about its own fast paths
        torch.manual_seed(example.seed)
        theirs = spec.build(torch, **example.options)
        ours = spec.build(tinygrad_edu, **example.options)
    same_build(theirs, ours)
    theirs = theirs.to(device=torch_device(device), dtype=torch.float64)
    ours = ours.to(device=device, dtype=tinygrad_edu.float64)
    copy_weights(theirs, ours)
    outputs_t, grads_t = _outputs_and_grads(spec, torch, theirs, example, device)
    outputs_o, grads_o = _outputs_and_grads(spec, tinygrad_edu, ours, example, device)
    if len(outputs_o) != len(outputs_t):
        raise ParityError(f"{spec.name}: {len(outputs_o)} outputs, torch gives "
                          f"{len(outputs_t)}")
    worst = 0.0
    for i, (o, t) in enumerate(zip(outputs_o, outputs_t)):
        if (o is None) != (t is None) or (t is not None and o.requires_grad != t.requires_grad):
            raise ParityError(f"{spec.name}: output {i} is {o!r}, torch's {t!r}")
        if t is not None:
            worst = max(worst, compare_arrays(_to_numpy(o), _to_numpy(t), RTOL, ATOL,
                                              f"{spec.name} output {i}"))
    for (name, o), (_, t) in zip(grads_o, grads_t):
        if o is None or t is None:  # no gradient on one side: zeros on the other at most
            if any(g is not None and np.any(_to_numpy(g) != 0) for g in (o, t)):
                raise ParityError(f"{spec.name}: gradient of {name} is {o!r}, torch's {t!r}")
            continue
        worst = max(worst, compare_arrays(_to_numpy(o), _to_numpy(t), RTOL, ATOL,
                                          f"{spec.name} gradient of {name}"))
    return worst


# ----------------------------------------------------------------------------- shared draws

@st.composite
def dropout_modes(draw, allowed: bool = True):
    """(train, dropout, dropout_seed): train without dropout, eval with dropout 0.5 (off), or
    train with dropout 0.4 and torch's masks replayed."""
    modes = ["train", "eval", "train with dropout"] if allowed else ["train", "eval"]
    mode = draw(st.sampled_from(modes))
    if mode == "train":
        return True, 0.0, None
    if mode == "eval":
        return False, 0.5 if allowed else 0.0, None
    return True, 0.4, draw(st.integers(0, 2**16))
