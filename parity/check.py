"""check_op: run one computation in tinygrad_edu and in torch, compare values and gradients.

The computation is written once as a function of the library namespace, `fn(lib, *tensors)`,
so `fn(tinygrad_edu, ...)` and `fn(torch, ...)` are the same code. Inputs are NumPy arrays;
floating ones get requires_grad. The backward pass uses the same random upstream gradient on
both sides.
"""
from __future__ import annotations

import os

import numpy as np
import torch

import tinygrad_edu

TOLERANCES = {"float64": (1e-10, 1e-12), "float32": (1e-5, 1e-6)}


class ParityError(AssertionError):
    """tinygrad_edu and torch disagree."""


def torch_device(device: str) -> str:
    """Where torch computes when tinygrad_edu computes on `device`: the same device, unless
    PARITY_TORCH_DEVICE says otherwise (tests/cuda's fake CuPy gives tinygrad_edu a "GPU" that
    torch cannot follow it to; torch then runs on the CPU)."""
    return os.environ.get("PARITY_TORCH_DEVICE") or str(device)


def compare_arrays(ours, theirs, rtol: float, atol: float, what: str) -> float:
    """Raise ParityError unless the arrays agree; return the worst relative difference."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    if ours.shape != theirs.shape:
        raise ParityError(f"{what}: shape {ours.shape} != torch's {theirs.shape}")
    if ours.dtype != theirs.dtype:
        raise ParityError(f"{what}: dtype {ours.dtype} != torch's {theirs.dtype}")
    if ours.dtype.kind in "biu":
        if not np.array_equal(ours, theirs):
            raise ParityError(f"{what}: values differ\nours:  {ours}\ntorch: {theirs}")
        return 0.0
    same_nan = np.isnan(ours) == np.isnan(theirs)
    if not same_nan.all():
        raise ParityError(f"{what}: NaN in different places\nours:  {ours}\ntorch: {theirs}")
    finite = ~np.isnan(ours)
    a, b = ours[finite].astype(np.float64), theirs[finite].astype(np.float64)
    inf_mismatch = (np.isinf(a) | np.isinf(b)) & (a != b)
    if inf_mismatch.any():
        raise ParityError(f"{what}: infinities differ\nours:  {ours}\ntorch: {theirs}")
    keep = ~np.isinf(a)
    a, b = a[keep], b[keep]
    difference = np.abs(a - b)
    bound = atol + rtol * np.abs(b)
    if (difference > bound).any():
        worst = int(np.argmax(difference - bound))
        raise ParityError(f"{what}: max abs diff {difference.max():.3e} (at flat index {worst}: "
                          f"ours {a[worst]!r}, torch {b[worst]!r}), rtol={rtol}, atol={atol}")
    scale = np.maximum(np.abs(b), atol)
    return float((difference / scale).max()) if difference.size else 0.0


def _to_numpy(value):
    if getattr(value, "_is_zerotensor", None) is not None and value._is_zerotensor():
        return np.zeros(tuple(value.shape), dtype=str(value.dtype).replace("torch.", ""))
    if hasattr(value, "detach"):
        value = value.detach()
    if hasattr(value, "cpu"):
        value = value.cpu()
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def _outputs(result) -> list:
    if isinstance(result, (tuple, list)):
        return [r for r in result if hasattr(r, "shape")]
    return [result]


def check_op(fn, inputs, *, dtype=None, rtol=None, atol=None, grad=True, seed: int = 0,
             requires_grad=None, device: str = "cpu") -> float:
    """Compare `fn(lib, *tensors)` between tinygrad_edu and torch, forward and backward.

    `inputs` are NumPy arrays (or Python numbers, passed unchanged). Returns the worst relative
    difference seen; raises ParityError on a mismatch beyond the tolerances of the dtype.
    """
    arrays = [np.asarray(x) if isinstance(x, np.ndarray) else x for x in inputs]
    float_kind = next((a.dtype.name for a in arrays if isinstance(a, np.ndarray)
                       and a.dtype.kind == "f"), "float64")
    default_rtol, default_atol = TOLERANCES.get(dtype or float_kind, (1e-5, 1e-6))
    rtol = default_rtol if rtol is None else rtol
    atol = default_atol if atol is None else atol
    if requires_grad is None:
        requires_grad = [isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in arrays]

    def make(lib, to_device):
        made = []
        for array, needs in zip(arrays, requires_grad):
            if not isinstance(array, np.ndarray):
                made.append(array)
                continue
            t = lib.tensor(array.copy(), device=to_device)
            if needs and grad:
                t.requires_grad_(True)
            made.append(t)
        return made

    ours_in, theirs_in = make(tinygrad_edu, device), make(torch, torch_device(device))
    ours_out = _outputs(fn(tinygrad_edu, *ours_in))
    theirs_out = _outputs(fn(torch, *theirs_in))
    worst = 0.0
    if len(ours_out) != len(theirs_out):
        raise ParityError(f"{len(ours_out)} outputs, torch gives {len(theirs_out)}")
    for i, (o, t) in enumerate(zip(ours_out, theirs_out)):
        worst = max(worst, compare_arrays(_to_numpy(o), _to_numpy(t), rtol, atol,
                                          f"output {i}"))
    if not grad:
        return worst
    rng = np.random.default_rng(seed)
    pairs = [(o, t) for o, t in zip(ours_out, theirs_out)
             if getattr(t, "requires_grad", False)]
    for o, t in pairs:
        if bool(o.requires_grad) != bool(t.requires_grad):
            raise ParityError("requires_grad of an output differs from torch's")
    if not pairs:
        return worst
    ours_loss, theirs_loss = 0, 0
    for o, t in pairs:
        upstream = rng.standard_normal(tuple(t.shape)).astype(_to_numpy(t).dtype)
        ours_loss = ours_loss + (o * tinygrad_edu.tensor(upstream, device=device)).sum()
        theirs_loss = theirs_loss + (t * torch.tensor(upstream, device=t.device)).sum()
    ours_loss.backward()
    theirs_loss.backward()
    for i, (o, t) in enumerate(zip(ours_in, theirs_in)):
        if not hasattr(t, "grad") or not getattr(t, "requires_grad", False):
            continue
        if t.grad is None:
            if o.grad is not None and np.any(_to_numpy(o.grad) != 0):
                raise ParityError(f"input {i}: torch has no gradient, ours is non-zero")
            continue
        if o.grad is None:
            if np.any(_to_numpy(t.grad) != 0):
                raise ParityError(f"input {i}: no gradient, torch's is non-zero")
            continue
        worst = max(worst, compare_arrays(_to_numpy(o.grad), _to_numpy(t.grad), rtol, atol,
                                          f"gradient of input {i}"))
    return worst


def check_double_backward(fn, inputs, *, rtol: float = 1e-9, atol: float = 1e-10,
                          seed: int = 1) -> float:
    """Compare second derivatives (float64): grad of <grad of <fn, u>, v> w.r.t. the inputs.

    Both libraries build the first gradient with create_graph=True, then differentiate it again
    (a Hessian-vector product per input). A gradient that does not depend on the inputs (e.g. of
    x + y) has no graph in either library; then both must agree that there is nothing to compare.
    """
    arrays = [np.asarray(x) if isinstance(x, np.ndarray) else x for x in inputs]
    differentiable = [isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in arrays]
    rng = np.random.default_rng(seed)

    def second(lib):
        tensors = [lib.tensor(a.copy(), requires_grad=True) if d else
                   (lib.tensor(a) if isinstance(a, np.ndarray) else a)
                   for a, d in zip(arrays, differentiable)]
        leaves = [t for t, d in zip(tensors, differentiable) if d]
        outputs = [o for o in _outputs(fn(lib, *tensors)) if o.requires_grad]
        if not outputs:
            return None
        local = np.random.default_rng(seed)
        total = sum((o * lib.tensor(local.standard_normal(tuple(o.shape)))).sum()
                    for o in outputs)
        firsts = lib.autograd.grad(total, leaves, create_graph=True, allow_unused=True)
        connected = [g for g in firsts if g is not None and g.requires_grad]
        if not connected:
            return None
        weighted = sum((g * lib.tensor(local.standard_normal(tuple(g.shape)))).sum()
                       for g in connected)
        return [None if g is None else _to_numpy(g)
                for g in lib.autograd.grad(weighted, leaves, allow_unused=True)]

    del rng
    ours, theirs = second(tinygrad_edu), second(torch)
    if theirs is None:
        if ours is not None and any(g is not None and np.any(g != 0) for g in ours):
            raise ParityError("torch's first gradient is constant, ours has a non-zero second "
                              "derivative")
        return 0.0
    if ours is None:
        if any(g is not None and np.any(g != 0) for g in theirs):
            raise ParityError("our first gradient is not connected to the graph, torch's is")
        return 0.0
    worst = 0.0
    for i, (o, t) in enumerate(zip(ours, theirs)):
        if t is None or o is None:
            other = o if t is None else t
            if other is not None and np.any(other != 0):
                raise ParityError(f"second derivative of input {i}: one side is None, the "
                                  "other non-zero")
            continue
        worst = max(worst, compare_arrays(o, t, rtol, atol, f"second derivative of input {i}"))
    return worst
