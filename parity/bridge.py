"""The bridge between the two libraries: dtypes, devices, weights, batches and dropout masks.

Everything crosses through NumPy on the host: torch's tensors leave by
`.detach().cpu().numpy()`, ours by `.numpy()` after `.cpu()`, and both libraries build tensors
from the same NumPy array, so the two runs start from bit-identical numbers.

A model is written once, as `build(lib)` (the zoo's convention: `lib` is torch or tinygrad_edu)
or as `build(nn)` (it receives torch.nn or tinygrad_edu.nn): the name of build's first parameter
decides. When the two builds differ, or tinygrad_edu lacks something the model uses, or the data
does not fit the model, a LockstepError says so in the user's terms.
"""
from __future__ import annotations

import contextlib
import inspect

import numpy as np
import torch

import tinygrad_edu
from tinygrad_edu.nn.functional import dropouts

from .check import torch_device
from .records import LockstepError


def library_dtype(lib, name: str):
    """`lib.float64` for name 'float64' (the same attribute in both libraries)."""
    return getattr(lib, name)


def to_numpy(tensor) -> np.ndarray:
    """A host NumPy copy of a tensor of either library (or anything array-like)."""
    if hasattr(tensor, "detach"):
        tensor = tensor.detach()
    if hasattr(tensor, "cpu"):
        tensor = tensor.cpu()
    if hasattr(tensor, "numpy"):
        return np.array(tensor.numpy())
    return np.array(tensor)


def from_numpy(lib, array: np.ndarray, device: str):
    """A tensor of `lib` on `device` holding a copy of `array` (dtype kept)."""
    return lib.tensor(np.array(array), device=torch_device(device) if lib is torch else device)


def copy_weights(theirs, ours) -> None:
    """Load torch's state_dict (parameters and buffers) into our model, exactly, and the
    buffers that a state_dict leaves out (non-persistent ones) as well."""
    state = {name: to_numpy(value) for name, value in theirs.state_dict().items()}
    ours.load_state_dict(state)
    buffers = dict(ours.named_buffers())
    with tinygrad_edu.no_grad():
        for name, buffer in theirs.named_buffers():
            if name not in state and name in buffers:
                buffers[name].copy_(tinygrad_edu.tensor(to_numpy(buffer)).to(buffers[name].device))


def namespace(lib, build):
    """What `build` is called with: `lib.nn` if its first parameter is named `nn`, else `lib`."""
    try:
        first = next(iter(inspect.signature(build).parameters), None)
    except (TypeError, ValueError):  # no signature (a builtin): the zoo's convention
        first = None
    return lib.nn if first == "nn" else lib


def build_pair(build, dtype: str, device: str, seed: int):
    """(torch model, our model): torch initializes (seeded), ours gets torch's state_dict."""
    torch.manual_seed(seed)
    theirs = build(namespace(torch, build))
    with translate_errors(tinygrad_edu, None, None, "", building=True):
        ours = build(namespace(tinygrad_edu, build))
    for lib, model in ((torch, theirs), (tinygrad_edu, ours)):
        if not isinstance(model, lib.nn.Module):
            raise LockstepError(f"build({namespace(lib, build).__name__}) returned "
                                f"{type(model).__name__}, not a {lib.__name__}.nn.Module")
    same_build(theirs, ours)
    theirs = theirs.to(device=torch_device(device), dtype=library_dtype(torch, dtype))
    ours = ours.to(device=device, dtype=library_dtype(tinygrad_edu, dtype))
    copy_weights(theirs, ours)
    return theirs, ours


def same_build(theirs, ours) -> None:
    """Raise a LockstepError listing the parameters and buffers of both models side by side
    unless their names and shapes are the same, in the same order."""
    def listing(model):
        return [f"{name} {tuple(value.shape)}" for kind in ("parameters", "buffers")
                for name, value in getattr(model, f"named_{kind}")()]
    left, right = listing(theirs), listing(ours)
    if left == right:
        return
    width = max(len(line) for line in left + ["torch"]) + 2
    rows = [f"  {'torch':<{width}}tinygrad_edu"]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else "-"
        b = right[i] if i < len(right) else "-"
        rows.append(f"  {a:<{width}}{b}" + ("" if a == b else "   <- differs"))
    raise LockstepError("the two builds differ: build(torch) and build(tinygrad_edu) made "
                        "models with different parameters or buffers (name and shape, in "
                        "order):\n" + "\n".join(rows))


def _missing(error: Exception) -> str | None:
    """What tinygrad_edu lacks, named, from an AttributeError (`tinygrad_edu.nn.Foo`,
    `Tensor.foo`), or None when the error is not about a missing attribute."""
    obj, name = getattr(error, "obj", None), getattr(error, "name", None)
    if name is None:
        return None
    if inspect.ismodule(obj):
        return f"{obj.__name__}.{name}"
    if obj is not None and type(obj).__module__.startswith("tinygrad_edu"):
        return f"{type(obj).__name__}.{name}"
    return None


@contextlib.contextmanager
def translate_errors(lib, x, y, loss: str, building: bool = False):
    """Explain an error of one side's build, forward, loss or backward: torch failing on the
    data (its shapes, dtypes) is the data's or the model's problem; tinygrad_edu failing where
    torch succeeded is something tinygrad_edu lacks, named when it can be."""
    try:
        yield
    except LockstepError:
        raise
    except (RuntimeError, ValueError, IndexError, TypeError) as error:
        if lib is torch:
            shapes = (f"x {tuple(x.shape)} {x.dtype}, y {tuple(y.shape)} {y.dtype}"
                      if x is not None else "")
            raise LockstepError(f"torch cannot train the model on this data ({shapes}, loss "
                                f"{loss!r}): {type(error).__name__}: {error}") from error
        raise LockstepError(_unsupported(error, building)) from error
    except (AttributeError, NotImplementedError) as error:
        if lib is torch:
            raise
        raise LockstepError(_unsupported(error, building)) from error


def _unsupported(error: Exception, building: bool) -> str:
    stage = "build(torch) ran" if building else "torch ran this step"
    missing = _missing(error)
    if missing is not None:
        return (f"the model uses {missing}, which tinygrad_edu lacks ({stage}; "
                f"{type(error).__name__}: {error})")
    return (f"tinygrad_edu fails where torch does not ({stage}): {type(error).__name__}: "
            f"{error}")


# ----------------------------------------------------------------------------- dropout


@contextlib.contextmanager
def masks_from_torch(seed: int, dtype: str, device: str):
    """Make our dropout draw the very masks torch's dropout drew after `torch.manual_seed(seed)`.

    torch's dropout draws its keep-mask from torch's generator. Inside this block, parity puts its
    own function in the place of our dropout's mask drawer
    (`tinygrad_edu.nn.functional.dropouts.bernoulli_mask`): it re-seeds torch with `seed` and
    replays the same draws, one per call, in the same order: torch's dropout applied to a tensor
    of ones, whose non-zeros are exactly the kept elements. A model that calls dropout in the
    same order as torch's twin thus sees identical masks. The drawer is restored on exit, even
    after an error.
    """
    torch_dtype = library_dtype(torch, dtype)

    def replay(shape, p, dtype, device_):
        ones = torch.ones(tuple(shape), dtype=torch_dtype, device=torch_device(device))
        kept = torch.nn.functional.dropout(ones, p, training=True) != 0
        return from_numpy(tinygrad_edu, to_numpy(kept), device)

    previous = dropouts.bernoulli_mask
    dropouts.bernoulli_mask = replay
    torch.manual_seed(seed)
    try:
        yield
    finally:
        dropouts.bernoulli_mask = previous
