"""Views and version counters: what autograd does when tensors share memory.

A view (`x[0]`, `x.t()`, `x.view(...)`) shares memory with its base and the base's version
counter. Each view remembers how it was made (`_view_fn`: the chain of view ops from the base), so
that after an in-place change of the base (see inplace.py) its grad_fn can be rebuilt from the
base's new one. A backward that saved a tensor checks its version: a mismatch means the saved
values were overwritten, and `inplace_error` says so, as torch does.
"""
from __future__ import annotations

from . import grad_mode


def mark_view(view, source, cls, options) -> None:
    """Record that `view` shares memory with `source`, and how to recreate it from the base."""
    base = source._base if source._base is not None else source
    view._base = base
    view._version_counter = base._version_counter
    view._view_version = base._version_counter.value
    view._view_fn = (source._view_fn, cls, options)  # parent chain, then this op


def replay_view(view_fn, base):
    """Apply a recorded chain of view ops to `base` (used when a view is modified in place)."""
    if view_fn is None:
        return base
    parent, cls, options = view_fn
    return cls.apply(replay_view(parent, base), **options)


def refresh_view_grad_fn(view) -> None:
    """A view whose base was changed in place gets a grad_fn leading to the base's new one."""
    version = view._version_counter.value
    if view._view_version == version:
        return
    view._view_version = version
    base = view._base
    if not base._requires_grad:
        return
    with grad_mode.enable_grad():
        fresh = replay_view(view._view_fn, base)
    view._grad_fn, view._output_nr = fresh._grad_fn, fresh._output_nr
    view._requires_grad = True


def tensor_type_name(tensor) -> str:
    names = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
             "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
    return f"torch.{names[tensor.dtype.name]}Tensor"


def inplace_error(node, tensor, version) -> str:
    """torch's message for a saved tensor changed in place before backward used it."""
    shape = list(tensor.shape)
    origin = (f", which is output {tensor._output_nr} of {tensor._grad_fn.name()}"
              if tensor._grad_fn is not None else "")
    counter = tensor._version_counter
    return ("one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{tensor_type_name(tensor)} {shape}]{origin}, is at version "
            f"{counter.value}; expected version {version} instead. Hint: enable anomaly detection "
            "to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True).\n"
            f"What happened: {node.name()} saved this tensor for its backward at version "
            f"{version}; "
            f"later the in-place op '{counter.last_op}' changed it (now version {counter.value}), "
            "so the gradient would be computed from the wrong values. Use the out-of-place op "
            f"(e.g. '{counter.last_op.rstrip('_')}') or clone() the tensor before changing it.")
